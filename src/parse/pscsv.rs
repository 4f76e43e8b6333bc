//! PowerShell `Get-EventLog` / `Get-WinEvent` piped to `Export-Csv` (or `ConvertTo-Csv`).
//!
//! This module owns the CSV that PowerShell writes for event objects: an optional
//! `#TYPE System.Diagnostics.EventLogEntry…` first line (absent with `-NoTypeInformation` and in
//! PowerShell 7), a header of property names (`"EventID","MachineName",…,"Source",…`; property
//! names are not localized), then one quoted row per event whose `Message` may span lines.
//! The delimiter is a comma, or the culture's list separator with `-UseCulture` (`;` in much
//! of Europe). Dates are culture-formatted local times (`12/17/2017 1:20:33 AM`); their
//! day/month order is inferred per file. Rows go through the same property mapping as
//! `ConvertTo-Json` output ([`super::psjson::event_from_properties`]); a row without a numeric
//! event ID is counted as an error.

use super::eventtext::{DateOrder, LineCounter, TextStats};
use super::psjson::{self, PsValue};
use super::winevent::WinEvent;

/// The text after an optional `#TYPE` line, and the header line's delimiter, when the header
/// names an event ID property and a source property.
fn header(text: &str) -> Option<(&str, u8)> {
    let text = text.trim_start_matches('\u{FEFF}');
    let body = if text.starts_with("#TYPE") {
        text.split_once('\n').map_or("", |(_, r)| r)
    } else {
        text
    };
    Some((body, delimiter_of(body)?))
}

/// The header's delimiter, when the header names an event ID property and a source property.
fn delimiter_of(body: &str) -> Option<u8> {
    let first = body.lines().next()?;
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())?;
    let names: Vec<String> = first
        .split(char::from(delimiter))
        .map(|n| n.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |want: &[&str]| names.iter().any(|n| want.contains(&n.as_str()));
    (has(&["eventid", "id", "instanceid"]) && has(&["source", "providername"])).then_some(delimiter)
}

/// True when the text is a PowerShell CSV of event objects.
pub fn sniff(text: &str) -> bool {
    header(text).is_some()
}

/// Read every event; `each` gets the event and the 1-based line
/// where it starts (what evidence points at).
pub fn read_events(text: &str, mut each: impl FnMut(WinEvent, u64)) -> TextStats {
    let mut stats = TextStats::default();
    let Some((body, delimiter)) = header(text) else {
        stats.error(|| "no header naming EventID/Id and Source/ProviderName".into());
        return stats;
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(body.as_bytes());
    let names: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            stats.error(|| format!("header: {e}"));
            return stats;
        }
    };
    // Lines above the header (`#TYPE`).
    let whole = text.trim_start_matches('\u{FEFF}');
    let skipped = whole[..whole.len() - body.len()].matches('\n').count() as u64;
    let mut rows: Vec<(u64, Vec<(String, PsValue)>)> = Vec::new();
    let mut lines = LineCounter::new(body);
    for row in reader.records() {
        match row {
            Ok(r) if r.len() == 1 && r[0].trim().is_empty() => {}
            Ok(r) => rows.push((
                skipped + lines.csv_record(r.position()),
                names
                    .iter()
                    .zip(r.iter())
                    .map(|(k, v)| {
                        let v = if v.is_empty() {
                            PsValue::Null
                        } else {
                            PsValue::Text(v.to_string())
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            )),
            Err(e) => stats.error(|| e.to_string()),
        }
    }
    let order = DateOrder::infer(rows.iter().filter_map(|(_, p)| psjson::date_values(p)));
    for (n, props) in &rows {
        match psjson::event_from_properties(props, order) {
            Ok(event) => {
                stats.events += 1;
                each(event, *n);
            }
            Err(e) => stats.error(|| format!("line {n}: {e}")),
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::eventtext::tests_support::*;

    fn read(text: &str) -> (Vec<WinEvent>, TextStats) {
        let mut out = Vec::new();
        let stats = read_events(text, |e, _| out.push(e));
        (out, stats)
    }

    /// The System excerpt's events as `Get-EventLog System | Export-Csv` lays them out
    /// (values from the JSON excerpt; the `TimeWritten` values are its `LastTimeWritten`).
    pub fn export_csv_from_excerpt(json: &str, type_line: bool) -> String {
        let mut out = String::new();
        if type_line {
            out.push_str("#TYPE System.Diagnostics.EventLogEntry#System/Microsoft-Windows-Time-Service/24\r\n");
        }
        out.push_str("\"EventID\",\"MachineName\",\"Data\",\"Index\",\"Category\",\"CategoryNumber\",\"EntryType\",\"Message\",\"Source\",\"ReplacementStrings\",\"InstanceId\",\"TimeGenerated\",\"TimeWritten\",\"UserName\",\"Site\",\"Container\"\r\n");
        let mut index = 1000;
        let objects: Vec<serde_json::Value> =
            serde_json::Deserializer::from_str(&format!("[{}]", json.trim().trim_end_matches(',')))
                .into_iter::<serde_json::Value>()
                .next()
                .unwrap()
                .unwrap()
                .as_array()
                .unwrap()
                .clone();
        for o in objects {
            index += 1;
            let entry = match o["EntryType"].as_i64().unwrap() {
                1 => "Error",
                2 => "Warning",
                _ => "Information",
            };
            let when = o["LastTimeWritten"]
                .as_str()
                .unwrap()
                .trim_start_matches("@{TimeWritten=")
                .trim_end_matches('}')
                .to_string();
            let message = o["Message"].as_str().unwrap().replace('"', "\"\"");
            out.push_str(&format!(
                "\"{}\",\"PC-042.contoso.com\",\"System.Byte[]\",\"{index}\",\"(0)\",\"0\",\"{entry}\",\"{message}\",\"{}\",\"System.String[]\",\"{}\",\"{when}\",\"{when}\",,,\r\n",
                o["EventID"], o["Source"].as_str().unwrap(), o["EventID"]
            ));
        }
        out
    }

    #[test]
    fn export_csv_with_and_without_type_line() {
        let Some(json) =
            excerpt("windows_system_events_timesvc_schannel_kerberos_get-eventlog_json.txt")
        else {
            return;
        };
        for type_line in [true, false] {
            let text = export_csv_from_excerpt(&json, type_line);
            assert!(sniff(&text));
            assert!(crate::parse::evcsv::sniff(&text).is_none());
            let (events, stats) = read(&text);
            assert_eq!((stats.events, stats.errors), (8, 0), "{stats:?}");
            let e = &events[4];
            assert_eq!(
                (e.provider.as_str(), e.event_id, e.level),
                ("Microsoft-Windows-DNS-Client", 1014, 3)
            );
            assert_eq!(e.record_id, Some(1005));
            let mut lines = Vec::new();
            read_events(&text, |_, line| lines.push(line));
            let first = if type_line { 3 } else { 2 };

            assert_eq!(lines[..2], [first, first + 1]);
            assert_eq!(e.local_time.unwrap().to_string(), "2017-12-05 09:19:46");
            assert!(
                events[3]
                    .message
                    .as_deref()
                    .unwrap()
                    .contains("domain\r\ncontroller")
            );
        }
    }

    /// The System excerpt as `Get-WinEvent | Export-Csv -UseCulture` on French, Japanese and
    /// Chinese systems: localized level names, the culture's date format and list separator.
    #[test]
    fn localized_variants_of_the_real_excerpt() {
        let Some(json) =
            excerpt("windows_system_events_timesvc_schannel_kerberos_get-eventlog_json.txt")
        else {
            return;
        };
        let objects: Vec<serde_json::Value> =
            serde_json::from_str(&format!("[{}]", json.trim().trim_end_matches(','))).unwrap();
        for (lang, error, warning) in LEVEL_NAMES {
            // fr-FR: `;` and dd/MM/yyyy HH:mm:ss; ja-JP and zh-CN: `,` and yyyy/MM/dd H:mm:ss.
            let (sep, date) = match lang {
                "fr" => (";", "18/12/2017 06:03:49"),
                _ => (",", "2017/12/18 6:03:49"),
            };
            let mut text = [
                "Message",
                "Id",
                "ProviderName",
                "LevelDisplayName",
                "TimeCreated",
            ]
            .map(|h| format!("\"{h}\""))
            .join(sep);
            text.push_str("\r\n");
            for o in &objects {
                let level = if o["EntryType"] == 1 { error } else { warning };
                let row = [
                    o["Message"].as_str().unwrap().replace('"', "\"\""),
                    o["EventID"].to_string(),
                    o["Source"].as_str().unwrap().to_string(),
                    level.to_string(),
                    date.to_string(),
                ];
                text.push_str(&row.map(|f| format!("\"{f}\"")).join(sep));
                text.push_str("\r\n");
            }
            let bytes = utf16le(&text);
            let d = crate::detect::decode_events(&bytes);
            assert!(sniff(&d.text), "{lang}");
            let (events, stats) = read(&d.text);
            assert_eq!((stats.events, stats.errors), (8, 0), "{lang}");
            let e = &events[0];
            assert_eq!(
                (e.provider.as_str(), e.event_id, e.level),
                ("Schannel", 36874, 2),
                "{lang}"
            );
            assert_eq!(e.level_name.as_deref(), Some(error));
            assert_eq!((events[7].event_id, events[7].level), (24, 3), "{lang}");
            assert_eq!(
                e.local_time.unwrap().to_string(),
                "2017-12-18 06:03:49",
                "{lang}"
            );
        }
    }

    #[test]
    fn culture_separator_localized_values_utf16_and_bad_rows() {
        let text = "\"Id\";\"ProviderName\";\"LevelDisplayName\";\"TimeCreated\";\"Message\"\r\n\
\"3\";\"Lync\";\"Erreur\";\"05/11/2026 09:14:02\";\"Lync n’a pas pu résoudre\r\nle nom.\"\r\n\
\"x\";\"Lync\";\"Erreur\";\"05/11/2026 09:14:02\";\"\"\r\n\
\"129\";\"Microsoft-Windows-Time-Service\";\"Avertissement\";\"17/11/2026 18:00:00\";\"NtpClient\"\r\n";
        let bytes = utf16le(text);
        let d = crate::detect::decode_events(&bytes);
        assert!(sniff(&d.text));
        let (events, stats) = read(&d.text);
        assert_eq!((stats.events, stats.errors), (2, 1), "{stats:?}");
        assert_eq!((events[0].event_id, events[0].level), (3, 2));
        assert_eq!(
            events[0].local_time.unwrap().to_string(),
            "2026-11-05 09:14:02"
        );
        assert_eq!(
            events[0].message.as_deref(),
            Some("Lync n’a pas pu résoudre\r\nle nom.")
        );
        assert!(!sniff(
            "\"Name\",\"Status\"\r\n\"msoidsvc\",\"Running\"\r\n"
        ));
        for (i, _) in text.char_indices() {
            let _ = read(&text[..i]);
        }
    }
}

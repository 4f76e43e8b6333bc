//! PowerShell `Get-EventLog` / `Get-WinEvent` output piped to `ConvertTo-Json`, and the
//! property mapping every PowerShell export shares.
//!
//! This module owns two things. First, [`event_from_properties`]: how the properties of an
//! `EventLogEntry` (`EventID`, `Source`, `EntryType`, `Message`, `TimeWritten`, `MachineName`,
//! `Index`, `ReplacementStrings`) or an `EventLogRecord` (`Id`, `ProviderName`, `Level`,
//! `LevelDisplayName`, `TimeCreated`, `LogName`, `RecordId`, `Properties`) become a
//! [`WinEvent`]; [`super::pscsv`] (`Export-Csv`) and [`super::pslist`] (`Format-List`) use it
//! too. Second, the JSON text itself: an array, a single object, or objects written one after
//! the other with or without commas between them (as a saved excerpt of an array shows).
//! Dates come as `/Date(1513502433000)/` (UTC milliseconds, Windows PowerShell 5.1), an ISO
//! string with an offset (PowerShell 7), or a culture-formatted local string. A value that is
//! not an object, or an object without a numeric event ID, is counted as an error.

use serde_json::Value;

use super::eventtext::{self, DateOrder, ExportTime, TextStats};
use super::winevent::WinEvent;

/// A property value as a PowerShell export wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum PsValue {
    Text(String),
    Number(i64),
    /// An array (`ReplacementStrings`, `Properties`): its items as text.
    List(Vec<String>),
    Null,
}

impl PsValue {
    fn text(&self) -> Option<String> {
        match self {
            PsValue::Text(s) => Some(s.clone()),
            PsValue::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    fn number(&self) -> Option<i64> {
        match self {
            PsValue::Number(n) => Some(*n),
            PsValue::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn from_json(v: &Value) -> PsValue {
        match v {
            Value::String(s) => PsValue::Text(s.clone()),
            Value::Number(n) => n
                .as_i64()
                .map_or(PsValue::Text(n.to_string()), PsValue::Number),
            Value::Bool(b) => PsValue::Text(b.to_string()),
            Value::Null => PsValue::Null,
            Value::Array(items) => PsValue::List(
                items
                    .iter()
                    .filter_map(|i| match i {
                        // Get-WinEvent's Properties: [{ "Value": … }].
                        Value::Object(o) => o.get("Value").map(json_text),
                        other => Some(json_text(other)),
                    })
                    .collect(),
            ),
            // A DateTime in Windows PowerShell 5.1 may be `{ "value": "/Date(…)/", "DateTime": … }`.
            Value::Object(o) => o
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("value"))
                .map_or(PsValue::Null, |(_, v)| PsValue::from_json(v)),
        }
    }
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The first property among `names` (case-insensitive) that has a value.
fn prop<'p>(props: &'p [(String, PsValue)], names: &[&str]) -> Option<&'p PsValue> {
    names.iter().find_map(|n| {
        props
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(n) && *v != PsValue::Null)
            .map(|(_, v)| v)
    })
}

/// The time properties of a PowerShell event, first found.
const TIME_NAMES: [&str; 3] = ["TimeCreated", "TimeWritten", "TimeGenerated"];

/// The date strings of a set of events, for [`DateOrder::infer`].
pub fn date_values(props: &[(String, PsValue)]) -> Option<&str> {
    match prop(props, &TIME_NAMES)? {
        PsValue::Text(s) => Some(s.as_str()),
        _ => None,
    }
}

/// An `EventLogEntry` / `EventLogRecord`'s properties as a [`WinEvent`].
pub fn event_from_properties(
    props: &[(String, PsValue)],
    order: DateOrder,
) -> Result<WinEvent, String> {
    let id = prop(props, &["EventID", "Id"])
        .and_then(PsValue::number)
        .or_else(|| {
            prop(props, &["InstanceId"])
                .and_then(PsValue::number)
                .map(|n| n & 0xFFFF)
        })
        .and_then(|n| u32::try_from(n).ok())
        .ok_or("no numeric EventID or Id")?;
    let mut event = WinEvent {
        provider: prop(props, &["Source", "ProviderName"])
            .and_then(PsValue::text)
            .unwrap_or_default(),
        event_id: id,
        qualifiers: prop(props, &["Qualifiers"])
            .and_then(PsValue::number)
            .and_then(|n| u32::try_from(n).ok()),
        message: prop(props, &["Message"])
            .and_then(PsValue::text)
            .filter(|m| !m.trim().is_empty()),
        computer: prop(props, &["MachineName"])
            .and_then(PsValue::text)
            .unwrap_or_default(),
        channel: prop(props, &["LogName"])
            .and_then(PsValue::text)
            .unwrap_or_default(),
        record_id: prop(props, &["RecordId", "Index"])
            .and_then(PsValue::number)
            .and_then(|n| u64::try_from(n).ok()),
        ..WinEvent::default()
    };
    // EntryType: System.Diagnostics.EventLogEntryType, as a number or its name.
    match prop(props, &["EntryType"]) {
        Some(PsValue::Number(n)) => {
            event.level = match n {
                1 => 2,
                2 => 3,
                4 => 4,
                _ => 0,
            };
        }
        Some(PsValue::Text(s)) => match s.trim().parse::<i64>() {
            Ok(1) => event.level = 2,
            Ok(2) => event.level = 3,
            Ok(4) => event.level = 4,
            Ok(_) => {}
            Err(_) => {
                event.level = eventtext::level_from_word(s).unwrap_or(0);
                event.level_name = Some(s.trim().to_string());
            }
        },
        _ => {}
    }
    if let Some(n) = prop(props, &["Level"]).and_then(PsValue::number) {
        event.level = u8::try_from(n).unwrap_or(0);
    }
    if let Some(name) = prop(props, &["LevelDisplayName"]).and_then(PsValue::text) {
        if prop(props, &["Level", "EntryType"]).is_none() {
            event.level = eventtext::level_from_word(&name).unwrap_or(0);
        }
        event.level_name = Some(name);
    }
    if let Some(PsValue::Text(t)) = prop(props, &TIME_NAMES) {
        let time = eventtext::parse_ms_date(t)
            .map(ExportTime::Utc)
            .or_else(|| eventtext::parse_date(t, order));
        eventtext::set_time(&mut event, time);
    }
    if let Some(PsValue::List(items)) = prop(props, &["ReplacementStrings", "Properties"]) {
        event.data = items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("%{}", i + 1), v.clone()))
            .collect();
    }
    event.finish();
    Ok(event)
}

/// True when the text starts like `ConvertTo-Json` output of events: `[` or `{` first, and an
/// event ID and a source property near the start.
pub fn sniff(text: &str) -> bool {
    let t = text.trim_start_matches('\u{FEFF}').trim_start();
    (t.starts_with('[') || t.starts_with('{'))
        && (t.contains("\"EventID\"") || t.contains("\"Id\""))
        && (t.contains("\"Source\"") || t.contains("\"ProviderName\""))
}

/// Read every event; `each` gets the event and the 1-based line
/// where it starts (what evidence points at).
pub fn read_events(text: &str, mut each: impl FnMut(WinEvent, u64)) -> TextStats {
    // (line where the object starts, its properties)
    let mut objects: Vec<(u64, Vec<(String, PsValue)>)> = Vec::new();
    let mut stats = TextStats::default();
    let mut pos = 0;
    let bytes = text.as_bytes();
    // Line of `pos`, counted incrementally.
    let (mut line, mut counted) = (1u64, 0usize);
    loop {
        // The brackets of a top-level array are skipped like the commas between its items,
        // so each item is read (and located) on its own.
        while pos < bytes.len()
            && (bytes[pos].is_ascii_whitespace()
                || matches!(bytes[pos], b',' | b'[' | b']')
                || text[pos..].starts_with('\u{FEFF}'))
        {
            pos += if bytes[pos] < 0x80 {
                1
            } else {
                '\u{FEFF}'.len_utf8()
            };
        }
        if pos >= bytes.len() {
            break;
        }
        line += memchr::memchr_iter(b'\n', &bytes[counted..pos]).count() as u64;
        counted = pos;
        let mut values = serde_json::Deserializer::from_str(&text[pos..]).into_iter::<Value>();
        match values.next() {
            Some(Ok(v)) => {
                pos += values.byte_offset();
                collect_object(line, v, &mut objects, &mut stats);
            }
            Some(Err(e)) => {
                stats.error(|| format!("line {line}: {e}"));
                // Resume at the next line that starts an object.
                match next_object_line(text, pos + 1) {
                    Some(next) => pos = next,
                    None => break,
                }
            }
            None => break,
        }
    }
    let order = DateOrder::infer(objects.iter().filter_map(|(_, o)| date_values(o)));
    for (line, props) in &objects {
        match event_from_properties(props, order) {
            Ok(event) => {
                stats.events += 1;
                each(event, *line);
            }
            Err(e) => stats.error(|| format!("line {line}: {e}")),
        }
    }
    stats
}

fn collect_object(
    line: u64,
    v: Value,
    objects: &mut Vec<(u64, Vec<(String, PsValue)>)>,
    stats: &mut TextStats,
) {
    match v {
        Value::Object(o) => objects.push((
            line,
            o.iter()
                .map(|(k, v)| (k.clone(), PsValue::from_json(v)))
                .collect(),
        )),
        other => stats.error(|| {
            format!(
                "line {line}: a JSON {} where an event object was expected",
                kind(&other)
            )
        }),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Offset of the first `{` that starts a line (after indentation) at or after `from`.
fn next_object_line(text: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    let rest = text.get(at..)?;
    let mut offset = at;
    for line in rest.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('{') && offset > from {
            return Some(offset + line.len() - t.len());
        }
        offset += line.len();
    }
    None
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

    #[test]
    fn lync_client_excerpt_concatenated_objects() {
        let Some(text) = excerpt("lync_client_app_events_get-eventlog_json.txt") else {
            return;
        };
        assert!(sniff(&text));
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (2, 0), "{stats:?}");
        let mut lines = Vec::new();
        read_events(&text, |_, line| lines.push(line));
        assert_eq!(lines, [1, 11], "the lines of the two `{{`");
        assert_eq!(
            (
                events[0].provider.as_str(),
                events[0].event_id,
                events[0].level
            ),
            ("Lync", 3, 2)
        );
        assert!(
            events[0]
                .message
                .as_deref()
                .unwrap()
                .starts_with("Lync was unable to resolve the DNS hostname")
        );
        assert_eq!((events[1].event_id, events[1].level), (11, 3));
        let codes: Vec<_> = events[1].diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [13004, 51004]);
        // No TimeWritten in this aggregated report: no time.
        assert_eq!((events[0].time, events[0].local_time), (None, None));
    }

    #[test]
    fn system_excerpt_and_its_array_and_utf16_forms() {
        let Some(text) =
            excerpt("windows_system_events_timesvc_schannel_kerberos_get-eventlog_json.txt")
        else {
            return;
        };
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (8, 0));
        let ids: Vec<_> = events
            .iter()
            .map(|e| (e.provider.as_str(), e.event_id))
            .collect();
        assert_eq!(
            ids,
            [
                ("Schannel", 36874),
                ("Kerberos", 4),
                ("Kerberos", 14),
                ("NETLOGON", 5719),
                ("Microsoft-Windows-DNS-Client", 1014),
                ("Microsoft-Windows-Time-Service", 129),
                ("Microsoft-Windows-Time-Service", 50),
                ("Microsoft-Windows-Time-Service", 24),
            ]
        );
        assert!(
            events[3]
                .message
                .as_deref()
                .unwrap()
                .contains("We can't sign you in")
        );
        // As a real array, in UTF-16LE as Windows PowerShell 5.1 writes it.
        let array = format!("[\r\n{}\r\n]", text.trim_end());
        let bytes = utf16le(&array);
        let d = crate::detect::decode_events(&bytes);
        assert!(sniff(&d.text));
        let (events, stats) = read(&d.text);
        assert_eq!((stats.events, stats.errors), (8, 0));
        assert_eq!(events[7].level, 3);
    }

    #[test]
    fn get_winevent_fields_dates_and_localized_levels() {
        let text = r#"{
    "Message":  "Nom DNS sip.contoso.com introuvable.",
    "Id":  1014,
    "Level":  3,
    "ProviderName":  "Microsoft-Windows-DNS-Client",
    "LogName":  "System",
    "MachineName":  "PC-042",
    "RecordId":  9120,
    "TimeCreated":  "\/Date(1513502433000)\/",
    "LevelDisplayName":  "Avertissement",
    "Properties":  [ { "Value": "sip.contoso.com" }, { "Value": 3 } ]
}"#;
        assert!(sniff(text));
        let (events, stats) = read(text);
        assert_eq!((stats.events, stats.errors), (1, 0));
        let e = &events[0];
        assert_eq!(
            (e.event_id, e.level, e.level_name.as_deref()),
            (1014, 3, Some("Avertissement"))
        );
        assert_eq!(
            (e.channel.as_str(), e.computer.as_str(), e.record_id),
            ("System", "PC-042", Some(9120))
        );
        assert_eq!(e.time.unwrap().to_rfc3339(), "2017-12-17T09:20:33+00:00");
        assert_eq!(
            e.data,
            [
                ("%1".into(), "sip.contoso.com".into()),
                ("%2".into(), "3".into())
            ]
        );

        let ja = r#"[{"EventID":3,"Source":"Lync","EntryType":"エラー","TimeWritten":"2017/12/17 1:20:33","Message":"x"},
                     {"Id":11,"ProviderName":"Lync","LevelDisplayName":"警告","TimeCreated":"2017-12-17T01:20:33-08:00"},
                     {"EventID":"x","Source":"Lync"}, 42]"#;
        let (events, stats) = read(ja);
        assert_eq!((stats.events, stats.errors), (2, 2), "{stats:?}");
        assert_eq!(
            (events[0].level, events[0].level_name.as_deref()),
            (2, Some("エラー"))
        );
        assert_eq!(
            events[0].local_time.unwrap().to_string(),
            "2017-12-17 01:20:33"
        );
        assert_eq!(
            (
                events[1].level,
                events[1].time.unwrap().to_rfc3339().as_str()
            ),
            (3, "2017-12-17T09:20:33+00:00")
        );
    }

    /// The real Lync excerpt as `Get-WinEvent | ConvertTo-Json` on a French, Japanese and
    /// Chinese system (localized `LevelDisplayName` instead of `EntryType`), UTF-8 and UTF-16LE.
    #[test]
    fn localized_variants_of_the_real_excerpt() {
        let Some(text) = excerpt("lync_client_app_events_get-eventlog_json.txt") else {
            return;
        };
        for (lang, error, warning) in LEVEL_NAMES {
            let localized = text
                .replace(
                    "\"EntryType\":  1,",
                    &format!("\"LevelDisplayName\":  \"{error}\","),
                )
                .replace(
                    "\"EntryType\":  2,",
                    &format!("\"LevelDisplayName\":  \"{warning}\","),
                );
            for bytes in [localized.as_bytes().to_vec(), utf16le(&localized)] {
                let d = crate::detect::decode_events(&bytes);
                assert!(sniff(&d.text), "{lang}");
                let (events, stats) = read(&d.text);
                assert_eq!((stats.events, stats.errors), (2, 0), "{lang}");
                let got: Vec<_> = events
                    .iter()
                    .map(|e| (e.event_id, e.level, e.level_name.as_deref().unwrap()))
                    .collect();
                assert_eq!(got, [(3, 2, error), (11, 3, warning)], "{lang}");
                assert_eq!(events[1].diagnostics.len(), 2, "{lang}");
            }
        }
    }

    #[test]
    fn broken_json_is_counted_and_skipped() {
        let text = "{ \"EventID\": 3, \"Source\": \"Lync\", \n  \"Message\": \"cut\n{\n  \"EventID\": 4, \"Source\": \"Kerberos\"\n}\n";
        let (events, stats) = read(text);
        assert_eq!((stats.events, stats.errors), (1, 1), "{stats:?}");
        assert_eq!(events[0].event_id, 4);
        for (i, _) in text.char_indices() {
            let _ = read(&text[..i]);
        }
        assert!(!sniff("{\"name\": \"x\"}"));
    }
}

//! PowerShell `Get-EventLog` / `Get-WinEvent` piped to `Format-List` (and saved with `>` or
//! `Out-File`).
//!
//! This module owns the `Name : value` listing: one block of property lines per event, names
//! padded to a common width, blocks separated by blank lines, and a long or multi-line value
//! (`Message`) continued on lines indented to the value column. A new event starts where a
//! property name repeats, so blank lines inside a message never split an event. Property
//! names are not localized; values are mapped like `ConvertTo-Json` output
//! ([`super::psjson::event_from_properties`]). Culture-formatted dates are local times whose
//! day/month order is inferred per file. A block without a numeric event ID is counted as an
//! error.

use super::eventtext::{DateOrder, TextStats};
use super::psjson::{self, PsValue};
use super::winevent::WinEvent;

/// `Name   : value` at the start of a line: the name and the value.
fn property(line: &str) -> Option<(&str, &str)> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let (name, value) = line.split_once(" :")?;
    let name = name.trim_end();
    let ok = !name.is_empty()
        && name.len() <= 40
        && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then(|| (name, value.strip_prefix(' ').unwrap_or(value)))
}

/// True when the first property lines name an event ID and a source.
pub fn sniff(text: &str) -> bool {
    let (mut id, mut source) = (false, false);
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(40) {
        if let Some((name, _)) = property(line) {
            let name = name.to_ascii_lowercase();
            id |= matches!(name.as_str(), "eventid" | "id" | "instanceid");
            source |= matches!(name.as_str(), "source" | "providername");
        }
    }
    id && source
}

/// Read every event; `each` gets the event and the 1-based line
/// where it starts (what evidence points at).
pub fn read_events(text: &str, mut each: impl FnMut(WinEvent, u64)) -> TextStats {
    let mut blocks: Vec<(usize, Vec<(String, String)>)> = Vec::new();
    let mut names: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Blank lines seen since the last value line, added back if the value continues.
    let mut pending_blank = 0;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            pending_blank += 1;
            continue;
        }
        if let Some((name, value)) = property(line) {
            // Names of the current block, lowercased: a set, so a block with very many
            // properties stays linear.
            if blocks.is_empty() || !names.insert(name.to_ascii_lowercase()) {
                blocks.push((n + 1, Vec::new()));
                names.clear();
                names.insert(name.to_ascii_lowercase());
            }
            let block = &mut blocks.last_mut().unwrap().1;
            block.push((name.to_string(), value.trim_end().to_string()));
        } else if let Some((_, block)) = blocks.last_mut()
            && let Some((_, value)) = block.last_mut()
        {
            // A continuation line of the last value.
            for _ in 0..pending_blank {
                value.push('\n');
            }
            value.push('\n');
            value.push_str(line.trim());
        }
        pending_blank = 0;
    }
    let props: Vec<(usize, Vec<(String, PsValue)>)> = blocks
        .into_iter()
        .map(|(n, b)| {
            let p = b
                .into_iter()
                .map(|(k, v)| {
                    let v = if v.is_empty() {
                        PsValue::Null
                    } else if v.starts_with('{') && v.ends_with('}') {
                        // `{a, b}`: an array rendered inline (ReplacementStrings).
                        PsValue::List(v[1..v.len() - 1].split(", ").map(str::to_string).collect())
                    } else {
                        PsValue::Text(v)
                    };
                    (k, v)
                })
                .collect();
            (n, p)
        })
        .collect();
    let order = DateOrder::infer(props.iter().filter_map(|(_, p)| psjson::date_values(p)));
    let mut stats = TextStats::default();
    for (n, p) in &props {
        match psjson::event_from_properties(p, order) {
            Ok(event) => {
                stats.events += 1;
                each(event, *n as u64);
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

    /// The Lync excerpt's events as `Get-EventLog Application -Source Lync | Format-List`
    /// writes them (message lines continued at the value column).
    fn format_list_from_excerpt(json: &str) -> String {
        let objects: Vec<serde_json::Value> =
            serde_json::from_str(&format!("[{}]", json.trim().trim_end_matches(','))).unwrap();
        let mut out = String::from("\r\n\r\n");
        for (i, o) in objects.iter().enumerate() {
            let entry = if o["EntryType"] == 1 {
                "Error"
            } else {
                "Warning"
            };
            let when = o["LastTimeWritten"]
                .as_str()
                .unwrap()
                .trim_start_matches("@{TimeWritten=")
                .trim_end_matches('}')
                .to_string();
            let message = o["Message"]
                .as_str()
                .unwrap()
                .replace("\r\n", "\r\n                     ");
            out.push_str(&format!(
                "Index              : {}\r\nEntryType          : {entry}\r\nInstanceId         : {}\r\nMessage            : {message}\r\nCategory           : (0)\r\nCategoryNumber     : 0\r\nReplacementStrings : {{sipinternal.creditone.com}}\r\nSource             : {}\r\nTimeGenerated      : {when}\r\nTimeWritten        : {when}\r\nUserName           : \r\n\r\n",
                4102 + i,
                o["EventID"],
                o["Source"].as_str().unwrap()
            ));
        }
        out.push_str("\r\n\r\n");
        out
    }

    #[test]
    fn format_list_of_the_lync_excerpt() {
        let Some(json) = excerpt("lync_client_app_events_get-eventlog_json.txt") else {
            return;
        };
        let text = format_list_from_excerpt(&json);
        assert!(sniff(&text));
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (2, 0), "{stats:?}");
        let e = &events[0];
        assert_eq!(
            (e.provider.as_str(), e.event_id, e.level, e.record_id),
            ("Lync", 3, 2, Some(4102))
        );
        assert_eq!(e.local_time.unwrap().to_string(), "2017-12-17 01:26:24");
        assert!(
            e.message
                .as_deref()
                .unwrap()
                .ends_with("because it could not be resolved.")
        );
        assert!(
            e.message
                .as_deref()
                .unwrap()
                .contains("creditone.com.\n\n\n\nResolution:\n\nIf you")
        );
        assert_eq!(e.data, [("%1".into(), "sipinternal.creditone.com".into())]);
        let codes: Vec<_> = events[1].diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [13004, 51004]);
        // Windows PowerShell 5.1 `>` writes UTF-16LE; a French machine writes French values.
        let fr = text
            .replace("Error", "Erreur")
            .replace("Warning", "Avertissement");
        let bytes = utf16le(&fr);
        let d = crate::detect::decode_events(&bytes);
        let (events, _) = read(&d.text);
        assert_eq!((events[0].level, events[1].level), (2, 3));
    }

    /// The real Lync excerpt as `Get-WinEvent | Format-List` on French, Japanese and Chinese
    /// systems (localized `LevelDisplayName`), UTF-16LE as Windows PowerShell 5.1 writes it.
    #[test]
    fn localized_variants_of_the_real_excerpt() {
        let Some(json) = excerpt("lync_client_app_events_get-eventlog_json.txt") else {
            return;
        };
        let objects: Vec<serde_json::Value> =
            serde_json::from_str(&format!("[{}]", json.trim().trim_end_matches(','))).unwrap();
        for (lang, error, warning) in LEVEL_NAMES {
            let mut text = String::from("\r\n");
            for o in &objects {
                let level = if o["EntryType"] == 1 { error } else { warning };
                let message = o["Message"]
                    .as_str()
                    .unwrap()
                    .replace("\r\n", "\r\n                   ");
                text.push_str(&format!(
                    "TimeCreated      : 2017/12/17 1:20:33\r\nProviderName     : {}\r\nId               : {}\r\nLevelDisplayName : {level}\r\nMessage          : {message}\r\n\r\n",
                    o["Source"].as_str().unwrap(),
                    o["EventID"]
                ));
            }
            let bytes = utf16le(&text);
            let d = crate::detect::decode_events(&bytes);
            assert!(sniff(&d.text), "{lang}");
            let (events, stats) = read(&d.text);
            assert_eq!((stats.events, stats.errors), (2, 0), "{lang}");
            let got: Vec<_> = events
                .iter()
                .map(|e| (e.event_id, e.level, e.level_name.as_deref().unwrap()))
                .collect();
            assert_eq!(got, [(3, 2, error), (11, 3, warning)], "{lang}");
            assert_eq!(
                events[1].diagnostics.len(),
                2,
                "{lang}: event 11's Response Data survives the wrapping"
            );
            assert_eq!(
                events[0].local_time.unwrap().to_string(),
                "2017-12-17 01:20:33"
            );
        }
    }

    #[test]
    fn blocks_without_id_are_errors() {
        let text = "Source : Lync\nMessage : x\n\nSource : Lync\nEventID : 3\nMessage : y\n    z\n";
        assert!(sniff(text));
        let (events, stats) = read(text);
        assert_eq!((stats.events, stats.errors), (1, 1));
        assert_eq!(events[0].message.as_deref(), Some("y\nz"));
        assert!(!sniff("Name : msoidsvc\nStatus : Running\n"));
        for i in 0..text.len() {
            let _ = read(&text[..i]);
        }
    }
}

//! `wevtutil qe <log> /f:text` output.
//!
//! This module owns the text rendering of `wevtutil` (formats.md §6.5): one block per event
//! that starts with `Event[n]:` (some captures drop the colon), then two-space indented
//! `Label: value` lines whose labels are always English whatever the system language (only
//! values such as `Level: 信息` are localized), then `Description:`, whose text starts on the
//! same or the next line and runs to the next `Event[n]` line or the end. Dates are ISO 8601:
//! with `Z` (newer builds) they are UTC, without (older builds) they are the machine's local
//! time. Text before the first block (a command line) is ignored; a block without a numeric
//! `Event ID` is counted as an error.

use super::eventtext::{self, DateOrder, TextStats};
use super::winevent::WinEvent;

/// `Event[12]:` or `Event[12]`.
fn is_block_start(line: &str) -> bool {
    let t = line.trim();
    let t = t.strip_suffix(':').unwrap_or(t);
    t.strip_prefix("Event[")
        .and_then(|r| r.strip_suffix(']'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// True when the text holds an `Event[n]` line followed by an indented `Log Name:` or
/// `Source:` line.
pub fn sniff(text: &str) -> bool {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if is_block_start(line) {
            return lines.next().is_some_and(|l| {
                let t = l.trim_start();
                l.len() > t.len() && (t.starts_with("Log Name:") || t.starts_with("Source:"))
            });
        }
    }
    false
}

/// One block's fields as written.
#[derive(Default)]
struct Block<'a> {
    first_line: usize,
    log_name: Option<&'a str>,
    source: Option<&'a str>,
    date: Option<&'a str>,
    event_id: Option<&'a str>,
    level: Option<&'a str>,
    computer: Option<&'a str>,
    description: Vec<&'a str>,
}

/// Read every event; `each` gets the event and the 1-based line
/// where it starts (what evidence points at).
pub fn read_events(text: &str, mut each: impl FnMut(WinEvent, u64)) -> TextStats {
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut in_description = false;
    for (n, line) in text.lines().enumerate() {
        if is_block_start(line) {
            blocks.push(Block {
                first_line: n + 1,
                ..Block::default()
            });
            in_description = false;
            continue;
        }
        let Some(b) = blocks.last_mut() else { continue };
        if in_description {
            b.description.push(line);
            continue;
        }
        let Some((label, value)) = line.trim_start().split_once(':') else {
            continue;
        };
        let value = value.trim();
        match label.trim() {
            "Log Name" => b.log_name = Some(value),
            "Source" => b.source = Some(value),
            "Date" => b.date = Some(value),
            "Event ID" => b.event_id = Some(value),
            "Level" => b.level = Some(value),
            "Computer" => b.computer = Some(value),
            "Description" => {
                in_description = true;
                if !value.is_empty() {
                    b.description.push(value);
                }
            }
            _ => {}
        }
    }
    let order = DateOrder::infer(blocks.iter().filter_map(|b| b.date));
    let mut stats = TextStats::default();
    for b in blocks {
        let Some(id) = b.event_id.and_then(|v| v.parse::<u32>().ok()) else {
            stats.error(|| format!("line {}: event without a numeric Event ID", b.first_line));
            continue;
        };
        let level_name = b.level.filter(|l| !l.is_empty());
        let mut description = b.description;
        while description.last().is_some_and(|l| l.trim().is_empty()) {
            description.pop();
        }
        let message = description.join("\n");
        let mut event = WinEvent {
            provider: b.source.unwrap_or_default().to_string(),
            event_id: id,
            level: level_name.and_then(eventtext::level_from_word).unwrap_or(0),
            level_name: level_name.map(str::to_string),
            channel: b.log_name.unwrap_or_default().to_string(),
            computer: b.computer.unwrap_or_default().to_string(),
            message: (!message.trim().is_empty() && message.trim() != "N/A").then_some(message),
            ..WinEvent::default()
        };
        eventtext::set_time(
            &mut event,
            b.date.and_then(|d| eventtext::parse_date(d, order)),
        );
        event.finish();
        stats.events += 1;
        each(event, b.first_line as u64);
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

    #[test]
    fn english_security_capture_without_colons() {
        let Some(text) = excerpt("wevtutil_text_en_security4799_htb.txt") else {
            return;
        };
        assert!(sniff(&text));
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (2, 0), "{stats:?}");
        let e = &events[0];
        assert_eq!(
            (e.provider.as_str(), e.event_id, e.level),
            ("Microsoft-Windows-Security-Auditing", 4799, 4)
        );
        assert_eq!(e.channel, "Security");
        assert_eq!(e.computer, "ICL-WIN11.greenhorn.corp");
        assert_eq!(
            e.time.unwrap().to_rfc3339(),
            "2022-11-16T14:54:13.227+00:00"
        );
        assert!(!e.time_is_local());
        let m = e.message.as_deref().unwrap();
        assert!(
            m.starts_with("A security-enabled local group membership was enumerated.\n\nSubject:")
        );
        assert!(
            m.ends_with("Process Name:           C:\\Windows\\System32\\svchost.exe"),
            "{m:?}"
        );
        assert_eq!(events[1].event_id, 4672);
    }

    #[test]
    fn older_build_local_time_and_na_description() {
        let Some(text) = excerpt("wevtutil_text_en_wlms_tryhackme.txt") else {
            return;
        };
        assert!(sniff(&text));
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (1, 0));
        let e = &events[0];
        assert_eq!(
            (e.provider.as_str(), e.event_id, e.channel.as_str()),
            ("WLMS", 100, "Application")
        );
        assert!(e.time_is_local());
        assert_eq!(e.local_time.unwrap().to_string(), "2020-12-14 17:09:08.940");
        assert_eq!(e.message, None, "N/A is no message");
    }

    #[test]
    fn localized_values() {
        let Some(zh) = excerpt("wevtutil_text_zhCN_kernelpower107.txt") else {
            return;
        };
        let (events, stats) = read(&zh);
        assert_eq!((stats.events, stats.errors), (2, 0));
        assert_eq!(
            (
                events[0].event_id,
                events[0].level,
                events[0].level_name.as_deref()
            ),
            (107, 4, Some("信息"))
        );
        assert_eq!(events[0].message.as_deref(), Some("系统已从睡眠状态恢复。"));
        assert_eq!(
            events[1].local_time.unwrap().to_string(),
            "2019-05-25 21:20:05.036"
        );
        let Some(ru) = excerpt("wevtutil_text_ru_classic.txt") else {
            return;
        };
        let (events, _) = read(&ru);
        assert_eq!((events[0].event_id, events[0].level), (4096, 4));
        // The same capture with French and Japanese values, UTF-16LE.
        let fr = ru
            .replace("Сведения", "Informations")
            .replace("Классический", "Classique");
        let ja = ru.replace("Сведения", "情報");
        for text in [fr, ja] {
            let d = crate::detect::decode_events(&utf16le(&text))
                .text
                .into_owned();
            assert!(sniff(&d));
            let (events, stats) = read(&d);
            assert_eq!(
                (stats.events, events[0].event_id, events[0].level),
                (1, 4096, 4)
            );
        }
    }

    #[test]
    fn blocks_without_an_id_are_errors() {
        let text = "Event[0]:\n  Log Name: System\n  Source: X\n  Event ID: abc\n  Description:\nx\nEvent[1]:\n  Source: Y\n  Event ID: 7\n  Level: Warning\n  Description: same line\n";
        let (events, stats) = read(text);
        assert_eq!((stats.events, stats.errors), (1, 1));
        assert_eq!(events[0].message.as_deref(), Some("same line"));
        assert_eq!(events[0].level, 3);
        assert!(!sniff("Event[x]:\n  Log Name: a\n"));
        assert!(!sniff("Event[0]:\nLog Name: a\n"));
        for i in 0..text.len() {
            let _ = read(&text[..i]);
        }
    }
}

//! Event Viewer "Copy → Copy Details as Text" (and the same layout pasted from the General tab).
//!
//! This module owns the labelled text Event Viewer puts on the clipboard for one event
//! (formats.md §6.6): `Log Name:`, `Source:`, `Date:`, `Event ID:`, `Task Category:`, `Level:`,
//! `Keywords:`, `User:`, `Computer:`, `Description:` and, when the machine adds it, a trailing
//! `Event Xml:` block. Labels are in the display language (`ログの名前:`, `日志名称:`,
//! `Nom du journal :` …), padded with spaces to align the values, and may end in a full-width
//! colon or follow a no-break space. Several copies pasted one after the other are several
//! events: a new one starts at each `Log Name` label. When the `Event Xml` block is there and
//! reads, its event is preferred (provider, ID, level, record ID, UTC time, EventData) and the
//! labelled fields only fill what it lacks (the rendered description, a local date). Dates are
//! local; the day/month order is inferred per text.

use super::eventtext::{self, DateOrder, TextStats};
use super::eventxml;
use super::winevent::WinEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    LogName,
    Source,
    Date,
    EventId,
    Level,
    Computer,
    Description,
    EventXml,
    /// Task Category, Keywords, User, Opcode …: recognised, not kept.
    Other,
}

/// Labels as Event Viewer writes them, normalized by [`eventtext::normalize_word`].
const LABELS: &[(&str, Field)] = &[
    // English.
    ("log name", Field::LogName),
    ("source", Field::Source),
    ("date", Field::Date),
    ("event id", Field::EventId),
    ("level", Field::Level),
    ("computer", Field::Computer),
    ("description", Field::Description),
    ("event xml", Field::EventXml),
    ("task category", Field::Other),
    ("keywords", Field::Other),
    ("user", Field::Other),
    ("opcode", Field::Other),
    // Japanese.
    ("ログの名前", Field::LogName),
    ("ソース", Field::Source),
    ("日付", Field::Date),
    ("イベント id", Field::EventId),
    ("レベル", Field::Level),
    ("コンピューター", Field::Computer),
    ("説明", Field::Description),
    ("イベント xml", Field::EventXml),
    ("タスクのカテゴリ", Field::Other),
    ("キーワード", Field::Other),
    ("ユーザー", Field::Other),
    ("オペコード", Field::Other),
    // Chinese (simplified).
    ("日志名称", Field::LogName),
    ("来源", Field::Source),
    ("日期", Field::Date),
    ("事件 id", Field::EventId),
    ("级别", Field::Level),
    ("计算机", Field::Computer),
    ("描述", Field::Description),
    ("事件 xml", Field::EventXml),
    ("任务类别", Field::Other),
    ("关键字", Field::Other),
    ("用户", Field::Other),
    ("操作代码", Field::Other),
    // French.
    ("nom du journal", Field::LogName),
    ("id de l'événement", Field::EventId),
    ("niveau", Field::Level),
    ("ordinateur", Field::Computer),
    ("xml de l'événement", Field::EventXml),
    ("xml de l’événement", Field::EventXml),
    ("catégorie de la tâche", Field::Other),
    ("mots clés", Field::Other),
    ("mots-clés", Field::Other),
    ("utilisateur", Field::Other),
    ("code d'opération", Field::Other),
    // German.
    ("protokollname", Field::LogName),
    ("quelle", Field::Source),
    ("datum", Field::Date),
    ("ereignis-id", Field::EventId),
    ("ebene", Field::Level),
    ("beschreibung", Field::Description),
    ("ereignis-xml", Field::EventXml),
    ("aufgabenkategorie", Field::Other),
    ("schlüsselwörter", Field::Other),
    ("benutzer", Field::Other),
    // Spanish.
    ("nombre de registro", Field::LogName),
    ("origen", Field::Source),
    ("fecha", Field::Date),
    ("id. del evento", Field::EventId),
    ("nivel", Field::Level),
    ("equipo", Field::Computer),
    ("descripción", Field::Description),
    ("xml de evento", Field::EventXml),
    ("categoría de la tarea", Field::Other),
    ("palabras clave", Field::Other),
    ("usuario", Field::Other),
];

/// `Label:   value` (ASCII or full-width colon; a label is short and starts the line).
fn labelled(line: &str) -> Option<(Field, &str)> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let (i, colon) = line
        .char_indices()
        .take(40)
        .find(|&(_, c)| c == ':' || c == '：')?;
    let label = eventtext::normalize_word(&line[..i]);
    let field = LABELS.iter().find(|(l, _)| *l == label).map(|&(_, f)| f)?;
    Some((field, line[i + colon.len_utf8()..].trim()))
}

/// True when, within its first lines, the text has a `Log Name` label (in any known language)
/// followed by an `Event ID` label.
pub fn sniff(text: &str) -> bool {
    let mut seen_log_name = false;
    for line in text.lines().take(40) {
        match labelled(line) {
            Some((Field::LogName, _)) => seen_log_name = true,
            Some((Field::EventId, _)) if seen_log_name => return true,
            _ => {}
        }
    }
    false
}

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
    xml: Vec<&'a str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Header,
    Description,
    Xml,
}

/// Read every event; `each` gets the event and the 1-based line
/// where it starts (what evidence points at).
pub fn read_events(text: &str, mut each: impl FnMut(WinEvent, u64)) -> TextStats {
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut mode = Mode::Header;
    for (n, line) in text.lines().enumerate() {
        let label = labelled(line);
        let starts_block = match label {
            Some((Field::LogName, _)) => true,
            // A header label written twice: the next copy lacks its Log Name.
            Some((f, _)) if mode == Mode::Header && f != Field::Other => {
                blocks.last().is_some_and(|b| match f {
                    Field::Source => b.source.is_some(),
                    Field::EventId => b.event_id.is_some(),
                    _ => false,
                })
            }
            _ => false,
        };
        if starts_block {
            blocks.push(Block {
                first_line: n + 1,
                ..Block::default()
            });
            mode = Mode::Header;
        }
        let Some(b) = blocks.last_mut() else { continue };
        match (mode, label) {
            (Mode::Xml, _) => b.xml.push(line),
            (_, Some((Field::EventXml, rest))) => {
                mode = Mode::Xml;
                if !rest.is_empty() {
                    b.xml.push(rest);
                }
            }
            (Mode::Description, _) => b.description.push(line),
            (Mode::Header, Some((field, value))) => match field {
                Field::LogName => b.log_name = Some(value),
                Field::Source => b.source = Some(value),
                Field::Date => b.date = Some(value),
                Field::EventId => b.event_id = Some(value),
                Field::Level => b.level = Some(value),
                Field::Computer => {
                    // `Computer: Description:` when the computer name was empty.
                    if let Some((Field::Description, rest)) = labelled(value) {
                        mode = Mode::Description;
                        if !rest.is_empty() {
                            b.description.push(rest);
                        }
                    } else {
                        b.computer = Some(value);
                    }
                }
                Field::Description => {
                    mode = Mode::Description;
                    if !value.is_empty() {
                        b.description.push(value);
                    }
                }
                Field::EventXml | Field::Other => {}
            },
            (Mode::Header, None) => {
                // Text after the labels without a Description label is the description.
                if !line.trim().is_empty() {
                    mode = Mode::Description;
                    b.description.push(line);
                }
            }
        }
    }
    let order = DateOrder::infer(blocks.iter().filter_map(|b| b.date));
    let mut stats = TextStats::default();
    for b in blocks {
        match block_event(&b, order) {
            Some(mut event) => {
                event.finish();
                stats.events += 1;
                each(event, b.first_line as u64);
            }
            None => {
                stats.error(|| format!("line {}: event without a numeric Event ID", b.first_line))
            }
        }
    }
    stats
}

fn block_event(b: &Block<'_>, order: DateOrder) -> Option<WinEvent> {
    let mut description = b.description.clone();
    while description.last().is_some_and(|l| l.trim().is_empty()) {
        description.pop();
    }
    let message = description.join("\n");
    let message = (!message.trim().is_empty()).then_some(message);
    let level_name = b.level.filter(|l| !l.is_empty()).map(str::to_string);
    let from_xml = (!b.xml.is_empty())
        .then(|| eventxml::parse_event(&b.xml.join("\n")).ok())
        .flatten();
    let mut event = match from_xml {
        Some(mut e) => {
            if e.provider.is_empty() {
                e.provider = b.source.unwrap_or_default().to_string();
            }
            if e.message.is_none() {
                e.message = message;
            }
            if e.level_name.is_none() {
                e.level_name = level_name;
            }
            if e.channel.is_empty() {
                e.channel = b.log_name.unwrap_or_default().to_string();
            }
            if e.computer.is_empty() {
                e.computer = b.computer.unwrap_or_default().to_string();
            }
            e.diagnostics.clear();
            e
        }
        None => {
            let id = b.event_id?.parse::<u32>().ok()?;
            WinEvent {
                provider: b.source.unwrap_or_default().to_string(),
                event_id: id,
                level: level_name
                    .as_deref()
                    .and_then(eventtext::level_from_word)
                    .unwrap_or(0),
                level_name,
                channel: b.log_name.unwrap_or_default().to_string(),
                computer: b.computer.unwrap_or_default().to_string(),
                message,
                ..WinEvent::default()
            }
        }
    };
    if event.time.is_none() {
        eventtext::set_time(
            &mut event,
            b.date.and_then(|d| eventtext::parse_date(d, order)),
        );
    }
    Some(event)
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
    fn japanese_copies() {
        let Some(text) = excerpt("eventviewer_copy_as_text_ja_defrag259.txt") else {
            return;
        };
        assert!(sniff(&text));
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (1, 0));
        let e = &events[0];
        assert_eq!(
            (e.provider.as_str(), e.event_id, e.level),
            ("Microsoft-Windows-Defrag", 259, 4)
        );
        assert_eq!(
            (e.channel.as_str(), e.computer.as_str()),
            ("Application", "sunshine7")
        );
        assert_eq!(e.local_time.unwrap().to_string(), "2018-04-01 22:04:42");
        assert!(
            e.message
                .as_deref()
                .unwrap()
                .starts_with("ボリューム Windows (C:)")
        );
        assert!(e.message.as_deref().unwrap().ends_with("<analysis>"));

        // Its "イベント XML:" block is cut off after the first line: the labels are used.
        let Some(text) = excerpt("eventviewer_copy_as_text_ja_taskscheduler201.txt") else {
            return;
        };
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (1, 0));
        let e = &events[0];
        assert_eq!(
            (e.provider.as_str(), e.event_id, e.level),
            ("Microsoft-Windows-TaskScheduler", 201, 4)
        );
        assert_eq!(e.channel, "Microsoft-Windows-TaskScheduler/Operational");
        assert!(
            e.message.as_deref().unwrap().ends_with("2147942401"),
            "{:?}",
            e.message
        );
        assert_eq!(e.local_time.unwrap().to_string(), "2025-06-02 14:20:21");

        // The same in Shift_JIS (cp932), as a copy saved with Notepad's ANSI default.
        let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!bad);
        let d = crate::detect::decode_events(&sjis);
        assert_eq!(d.encoding.as_str(), "shift_jis");
        assert!(sniff(&d.text));
        let (events, _) = read(&d.text);
        assert_eq!(events[0].event_id, 201);
    }

    #[test]
    fn chinese_copy_and_utf16_and_gbk() {
        let Some(text) = excerpt("eventviewer_copy_as_text_zhCN_security4688.txt") else {
            return;
        };
        assert!(sniff(&text));
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (1, 0));
        let e = &events[0];
        assert_eq!(
            (e.provider.as_str(), e.event_id, e.level),
            ("Microsoft-Windows-Security-Auditing", 4688, 4)
        );
        assert_eq!(e.computer, "WIN-SAPNNP06AE5.jackma.com");
        assert_eq!(e.local_time.unwrap().to_string(), "2022-12-26 16:33:23");
        assert!(
            e.message
                .as_deref()
                .unwrap()
                .ends_with("\t登录 ID:\t\t0x73509")
        );
        for bytes in [
            utf16le(&text),
            encoding_rs::GBK.encode(&text).0.into_owned(),
        ] {
            let d = crate::detect::decode_events(&bytes);
            assert!(["utf-16le", "gbk"].contains(&d.encoding.as_str()));
            let (events, stats) = read(&d.text);
            assert_eq!((stats.events, events[0].event_id), (1, 4688));
        }
    }

    #[test]
    fn english_copies_pasted_together_and_event_xml_preferred() {
        let Some(text) = excerpt("lync_server_eventviewer_text_LS_DataMCU_daniyar.txt") else {
            return;
        };
        assert!(sniff(&text));
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (3, 0));
        let ids: Vec<_> = events.iter().map(|e| (e.event_id, e.level)).collect();
        assert_eq!(ids, [(41024, 2), (41026, 2), (41025, 4)]);
        assert_eq!(
            events[0].local_time.unwrap().to_string(),
            "2014-01-22 08:50:06"
        );
        assert!(
            events[1]
                .message
                .as_deref()
                .unwrap()
                .ends_with("network connectivity is available.")
        );

        let Some(text) =
            excerpt("uccapi_ms-diagnostics_4005_and_LS_UserReplicator_30061_supportarticles.txt")
        else {
            return;
        };
        assert!(sniff(&text));
        let (events, stats) = read(&text);
        assert_eq!((stats.events, stats.errors), (1, 0));
        let e = &events[0];
        assert_eq!(
            (e.provider.as_str(), e.event_id, e.qualifiers, e.level),
            ("LS User Replicator", 30061, Some(33777), 3)
        );
        assert_eq!(e.record_id, Some(1729319), "from the Event Xml block");
        assert_eq!(
            e.data,
            [("%1".to_string(), "AddressBookReplication".to_string())]
        );
        assert!(
            e.message
                .as_deref()
                .unwrap()
                .starts_with("Failed to synchronize remote domain contoso.com")
        );
        assert_eq!(
            e.computer, "",
            "`Computer: Description:` has an empty computer"
        );
    }

    #[test]
    fn french_labels_with_no_break_spaces() {
        let fr = "Nom du journal\u{a0}:   Application\r\nSource\u{a0}:         Lync\r\nDate\u{a0}:           05/11/2026 09:14:02\r\nID de l’événement\u{a0}: 3\r\nCatégorie de la tâche\u{a0}: Aucun\r\nNiveau\u{a0}:         Erreur\r\nMots clés\u{a0}:      Classique\r\nUtilisateur\u{a0}:    N/A\r\nOrdinateur\u{a0}:     PC-042.contoso.com\r\nDescription\u{a0}:\r\nLync n’a pas pu résoudre le nom d’hôte DNS du serveur de connexion sip.contoso.com.\r\n";
        assert!(sniff(fr));
        let (events, stats) = read(fr);
        assert_eq!((stats.events, stats.errors), (1, 0));
        assert_eq!(
            (
                events[0].provider.as_str(),
                events[0].event_id,
                events[0].level
            ),
            ("Lync", 3, 2)
        );
        assert_eq!(events[0].computer, "PC-042.contoso.com");
        let bad = "Log Name: Application\nSource: Lync\nEvent ID: three\nDescription:\nx\n";
        let (events, stats) = read(bad);
        assert_eq!((events.len(), stats.errors), (0, 1));
        for (i, _) in fr.char_indices() {
            let _ = read(&fr[..i]);
        }
        assert!(!sniff("Source: a\nEvent ID: 3\n"));
        // Full-width colons (as some East Asian copies have them).
        let Some(ja) = excerpt("eventviewer_copy_as_text_ja_defrag259.txt") else {
            return;
        };
        let wide = ja
            .lines()
            .map(|l| match labelled(l) {
                Some(_) => l.replacen(':', "：", 1),
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\r\n");
        assert!(wide.contains("イベント ID：       259"));
        assert!(sniff(&wide));
        let (events, stats) = read(&wide);
        assert_eq!(
            (stats.events, events[0].event_id, events[0].level),
            (1, 259, 4)
        );
        assert_eq!(events[0].computer, "sunshine7");
    }
}

//! Event Viewer "Save … as CSV (Comma Separated)" and "Save … as Text (Tab delimited)".
//!
//! This module owns the two table exports of Event Viewer (formats.md §6.3–6.4). Both write a
//! header of five column captions in the exporting machine's display language (`Level,Date and
//! Time,Source,Event ID,Task Category`; the Security log has `Keywords` first), then one row per
//! event with those five fields plus a sixth, unnamed, double-quoted description that may span
//! lines and hold tabs. Columns are therefore recognised by position and content, never by
//! caption: a level or keyword word, a date, a source, a number, a category. Dates are the
//! exporting machine's local time in its own format; the day/month order is inferred once per
//! file from all of its dates ([`DateOrder::infer`]). Rows that do not read as an event are
//! counted as errors; reading goes on.

use super::eventtext::{self, DateOrder, TextStats};
use super::winevent::WinEvent;

/// Which of the two exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Comma,
    Tab,
}

impl Delimiter {
    fn byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Tab => b'\t',
        }
    }
}

fn reader(text: &str, delimiter: Delimiter) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter.byte())
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// True when a row's first five fields read as an event: a level (or keyword) column that
/// may be empty, a date, a source, a number.
fn is_event_row(fields: &[&str]) -> bool {
    fields.len() >= 5
        && eventtext::looks_like_date(fields[1])
        && !fields[2].trim().is_empty()
        && parse_id(fields[3]).is_some()
}

fn parse_id(s: &str) -> Option<u32> {
    let s = s.trim();
    (!s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Which delimiter the start of a text uses, when it reads as one of these exports: a first
/// row of exactly five non-empty captions that are not themselves an event (or no caption row
/// at all), followed by an event row.
pub fn sniff(text: &str) -> Option<Delimiter> {
    let text = text.trim_start_matches('\u{FEFF}');
    let first = text.lines().next().unwrap_or("");
    // A first row without captions may hold a tab inside its description: try both.
    [Delimiter::Tab, Delimiter::Comma]
        .into_iter()
        .filter(|d| first.contains(char::from(d.byte())))
        .find(|&d| sniff_with(text, d))
}

fn sniff_with(text: &str, delimiter: Delimiter) -> bool {
    let mut rows = reader(text, delimiter).into_records();
    let Some(Ok(head)) = rows.next() else {
        return false;
    };
    let head: Vec<&str> = head.iter().collect();
    if is_event_row(&head) {
        return true;
    }
    // Five captions (a trailing delimiter may add an empty sixth).
    let captions = match head.len() {
        5 => &head[..],
        6 if head[5].trim().is_empty() => &head[..5],
        _ => return false,
    };
    if captions
        .iter()
        .any(|c| c.trim().is_empty() || c.contains('\n'))
    {
        return false;
    }
    // The sniffed head may end inside the first row's description; its first fields are whole.
    let Some(Ok(row)) = rows.next() else {
        return false;
    };
    let row: Vec<&str> = row.iter().collect();
    is_event_row(&row)
}

/// Read every event of an export; `each` gets the event and the 1-based line
/// where it starts (what evidence points at).
pub fn read_events(
    text: &str,
    delimiter: Delimiter,
    mut each: impl FnMut(WinEvent, u64),
) -> TextStats {
    let text = text.trim_start_matches('\u{FEFF}');
    let mut stats = TextStats::default();
    let mut rows: Vec<(u64, csv::StringRecord)> = Vec::new();
    let mut lines = eventtext::LineCounter::new(text);
    for row in reader(text, delimiter).into_records() {
        match row {
            Ok(r) => {
                // Blank lines between rows.
                if r.len() == 1 && r[0].trim().is_empty() {
                    continue;
                }
                rows.push((lines.csv_record(r.position()), r));
            }
            Err(e) => stats.error(|| e.to_string()),
        }
    }
    // A caption row is the first row when it does not read as an event.
    let skip = usize::from(
        rows.first()
            .is_some_and(|(_, r)| !is_event_row(&r.iter().collect::<Vec<_>>())),
    );
    let order = DateOrder::infer(rows.iter().skip(skip).filter_map(|(_, r)| r.get(1)));
    for (n, row) in rows.iter().skip(skip) {
        let fields: Vec<&str> = row.iter().collect();
        if !is_event_row(&fields) {
            stats.error(|| format!("line {n}: not an event row ({} fields)", fields.len()));
            continue;
        }
        let Some(time) = eventtext::parse_date(fields[1], order) else {
            stats.error(|| format!("line {n}: unreadable date `{}`", fields[1].trim()));
            continue;
        };
        let level_name = fields[0].trim();
        let mut event = WinEvent {
            provider: fields[2].trim().to_string(),
            event_id: parse_id(fields[3]).unwrap_or(0),
            level: eventtext::level_from_word(level_name).unwrap_or(0),
            level_name: (!level_name.is_empty()).then(|| level_name.to_string()),
            message: fields
                .get(5)
                .map(|m| m.trim_end().to_string())
                .filter(|m| !m.is_empty()),
            ..WinEvent::default()
        };
        eventtext::set_time(&mut event, Some(time));
        event.finish();
        stats.events += 1;
        each(event, *n);
    }
    stats
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::parse::eventtext::tests_support::*;

    fn read(text: &str, d: Delimiter) -> (Vec<WinEvent>, TextStats) {
        let mut out = Vec::new();
        let stats = read_events(text, d, |e, _| out.push(e));
        (out, stats)
    }

    #[test]
    fn security_csv_with_keywords_first() {
        let Some(text) = excerpt("eventviewer_saveas_csv_security_keywords_col.csv.txt") else {
            return;
        };
        assert_eq!(sniff(&text), Some(Delimiter::Comma));
        let (events, stats) = read(&text, Delimiter::Comma);
        assert_eq!((stats.events, stats.errors), (1, 0), "{stats:?}");
        let e = &events[0];
        assert_eq!(e.provider, "Microsoft-Windows-Security-Auditing");
        assert_eq!(e.event_id, 4624);
        assert_eq!(
            (e.level, e.level_name.as_deref()),
            (0, Some("Audit Success"))
        );
        assert_eq!(e.time, None);
        assert_eq!(
            e.local_time.unwrap().to_string(),
            "2026-07-19 09:58:57",
            "dd-MM-yyyy inferred from the 19"
        );
        let m = e.message.as_deref().unwrap();
        assert!(m.starts_with(
            "An account was successfully logged on.\n\nSubject:\n\tSecurity ID:\t\tSYSTEM"
        ));
        assert!(m.ends_with("\tAccount Domain:\t\tNT AUTHORITY"), "{m:?}");
    }

    #[test]
    fn sysmon_tab_delimited() {
        let Some(text) = excerpt("eventviewer_saveas_txt_tabdelimited_sysmon1.txt") else {
            return;
        };
        assert_eq!(sniff(&text), Some(Delimiter::Tab));
        let (events, stats) = read(&text, Delimiter::Tab);
        assert_eq!((stats.events, stats.errors), (1, 0), "{stats:?}");
        let e = &events[0];
        assert_eq!(
            (e.provider.as_str(), e.event_id, e.level),
            ("Microsoft-Windows-Sysmon", 1, 4)
        );
        assert_eq!(e.local_time.unwrap().to_string(), "2020-04-16 15:47:36");
        // The excerpt ends inside the quoted description: the rest of the file is its text.
        let m = e.message.as_deref().unwrap();
        assert!(
            m.starts_with("Process Create:\nRuleName: \nUtcTime: 4/16/2020"),
            "{m:?}"
        );
        assert!(m.ends_with("ParentUser: {User}"), "{m:?}");
    }

    /// Captions and keyword/level words of the five columns in other display languages
    /// (formats.md §6.3, the copy-as-text labels of §6.6 for the keyword column).
    /// (language, Security-log captions, caption of the level column, keyword, level word)
    const LOCALIZED: [(&str, [&str; 5], &str, &str, &str); 3] = [
        (
            "fr",
            [
                "Mots clés",
                "Date et heure",
                "Source",
                "ID de l’événement",
                "Catégorie de la tâche",
            ],
            "Niveau",
            "Succès de l’audit",
            "Informations",
        ),
        (
            "ja",
            [
                "キーワード",
                "日付と時刻",
                "ソース",
                "イベント ID",
                "タスクのカテゴリ",
            ],
            "レベル",
            "成功の監査",
            "情報",
        ),
        (
            "zh-CN",
            ["关键字", "日期和时间", "来源", "事件 ID", "任务类别"],
            "级别",
            "审核成功",
            "信息",
        ),
    ];

    /// Both real excerpts with their captions and level words localized, each as UTF-8 and as
    /// UTF-16LE with a BOM: same events, same fields, the localized level name kept.
    #[test]
    fn localized_variants_of_the_real_excerpts() {
        let (Some(security), Some(sysmon)) = (
            excerpt("eventviewer_saveas_csv_security_keywords_col.csv.txt"),
            excerpt("eventviewer_saveas_txt_tabdelimited_sysmon1.txt"),
        ) else {
            return;
        };
        for (lang, captions, level_caption, audit_success, information) in LOCALIZED {
            let sec = security
                .replacen(
                    "Keywords,Date and Time,Source,Event ID,Task Category",
                    &captions.join(","),
                    1,
                )
                .replacen("Audit Success,", &format!("{audit_success},"), 1);
            let mut level = captions;
            level[0] = level_caption;
            let sys = sysmon
                .replacen(
                    "Level\tDate and Time\tSource\tEvent ID\tTask Category",
                    &level.join("\t"),
                    1,
                )
                .replacen("Information\t", &format!("{information}\t"), 1);
            for (text, delimiter, want) in [
                (sec, Delimiter::Comma, (4624, 0, audit_success)),
                (sys, Delimiter::Tab, (1, 4, information)),
            ] {
                for bytes in [text.as_bytes().to_vec(), utf16le(&text)] {
                    let d = crate::detect::decode_events(&bytes);
                    assert_eq!(sniff(&d.text), Some(delimiter), "{lang}");
                    let (events, stats) = read(&d.text, delimiter);
                    assert_eq!((stats.events, stats.errors), (1, 0), "{lang}");
                    let e = &events[0];
                    assert_eq!(
                        (e.event_id, e.level, e.level_name.as_deref()),
                        (want.0, want.1, Some(want.2)),
                        "{lang}"
                    );
                    assert!(e.local_time.is_some() && e.message.is_some(), "{lang}");
                }
            }
        }
    }

    #[test]
    fn empty_level_column_and_trailing_delimiter() {
        let text = "Level,Date and Time,Source,Event ID,Task Category,\r\n,9/29/2026 10:01:02 AM,Lync,3,None,\"x\"\r\n";
        assert_eq!(sniff(text), Some(Delimiter::Comma));
        let (events, stats) = read(text, Delimiter::Comma);
        assert_eq!((stats.events, stats.errors), (1, 0));
        assert_eq!(
            (events[0].level, events[0].level_name.as_deref()),
            (0, None)
        );
    }

    /// The excerpt's layout with French captions, a second row and a day-first date that only
    /// the second row disambiguates.
    pub fn french_csv() -> String {
        "Niveau,Date et heure,Source,ID de l’événement,Catégorie de la tâche\r\n\
Erreur,05/11/2026 09:14:02,Lync,3,Aucun,\"Lync n’a pas pu résoudre le nom d’hôte DNS du serveur de connexion sip.contoso.com.\r\n\r\nRésolution :\r\nVérifiez l’enregistrement DNS.\"\r\n\
Avertissement,17/11/2026 18:00:00,Microsoft-Windows-Time-Service,129,Aucun,\"NtpClient n’a pas pu définir un homologue de domaine.\"\r\n"
            .to_string()
    }

    #[test]
    fn french_japanese_chinese_captions_and_utf16() {
        let fr = french_csv();
        assert_eq!(sniff(&fr), Some(Delimiter::Comma));
        let (events, stats) = read(&fr, Delimiter::Comma);
        assert_eq!((stats.events, stats.errors), (2, 0));
        assert_eq!(
            (
                events[0].provider.as_str(),
                events[0].event_id,
                events[0].level
            ),
            ("Lync", 3, 2)
        );
        assert_eq!(
            events[0].local_time.unwrap().to_string(),
            "2026-11-05 09:14:02"
        );
        assert_eq!(events[1].level, 3);
        assert!(
            events[0]
                .message
                .as_deref()
                .unwrap()
                .contains("\r\n\r\nRésolution")
        );

        let ja = "レベル,日付と時刻,ソース,イベント ID,タスクのカテゴリ\r\n情報,2025/06/02 14:20:21,Microsoft-Windows-TaskScheduler,201,操作が完了しました,\"タスク スケジューラは、タスク \"\"\\EmailDataScraper\"\" を正常に完了しました。\"\r\n";
        let (events, stats) = read(ja, sniff(ja).unwrap());
        assert_eq!((stats.events, stats.errors), (1, 0));
        assert_eq!((events[0].event_id, events[0].level), (201, 4));
        assert!(
            events[0]
                .message
                .as_deref()
                .unwrap()
                .contains("\"\\EmailDataScraper\"")
        );

        let zh = "关键字\t日期和时间\t来源\t事件 ID\t任务类别\r\n审核成功\t2022/12/26 16:33:23\tMicrosoft-Windows-Security-Auditing\t4688\tProcess Creation\t\"已创建新进程。\r\n\r\n创建者主题:\r\n\t安全 ID:\t\tJACKMA\\Administrator\"\r\n";
        assert_eq!(sniff(zh), Some(Delimiter::Tab));
        let (events, stats) = read(zh, Delimiter::Tab);
        assert_eq!((stats.events, stats.errors), (1, 0));
        assert_eq!(
            (
                events[0].event_id,
                events[0].level,
                events[0].level_name.as_deref()
            ),
            (4688, 0, Some("审核成功"))
        );
        assert!(
            events[0]
                .message
                .as_deref()
                .unwrap()
                .ends_with("\t安全 ID:\t\tJACKMA\\Administrator")
        );

        let le = utf16le(&fr);
        let decoded = crate::detect::decode_events(&le);
        assert_eq!(decoded.encoding.as_str(), "utf-16le");
        let (events, _) = read(&decoded.text, sniff(&decoded.text).unwrap());
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].provider, "Lync");
    }

    #[test]
    fn bad_rows_are_counted() {
        let text = "Level,Date and Time,Source,Event ID,Task Category\n\
Error,9/29/2026 10:01:02 AM,Lync,3,None,\"text\"\n\
Error,not a date,Lync,3,None,\"text\"\n\
Error,9/29/2026 10:01:02 AM,Lync\n\
Warning,9/30/2026 1:00:00 PM,Lync,eleven,None,\"text\"\n\
Warning,9/30/2026 1:00:00 PM,Lync,11,None\n";
        assert_eq!(sniff(text), Some(Delimiter::Comma));
        let (events, stats) = read(text, Delimiter::Comma);
        assert_eq!((stats.events, stats.errors), (2, 3), "{stats:?}");
        assert_eq!(
            events[0].local_time.unwrap().to_string(),
            "2026-09-29 10:01:02"
        );
        assert_eq!(
            events[1].local_time.unwrap().to_string(),
            "2026-09-30 13:00:00"
        );
        assert_eq!(events[1].message, None);
        assert_eq!(
            stats.first_error.as_deref(),
            Some("line 3: not an event row (6 fields)")
        );
        // Plain CSV that is not an event export.
        assert_eq!(
            sniff("name,age,city,zip,country\nBob,42,Paris,75001,FR\n"),
            None
        );
        assert_eq!(sniff("a,b\n1,2\n"), None);
        // No caption row, and a tab in the first description.
        let bare = "Error,9/29/2026 10:01:02 AM,Lync,3,None,\"a\tb\"\n";
        assert_eq!(sniff(bare), Some(Delimiter::Comma));
    }

    #[test]
    fn every_prefix_reads_without_panicking() {
        let fr = french_csv();
        for (i, _) in fr.char_indices() {
            let _ = sniff(&fr[..i]);
            let _ = read(&fr[..i], Delimiter::Comma);
        }
    }
}

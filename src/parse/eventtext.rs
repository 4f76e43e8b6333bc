//! What the text forms of a Windows event export share: localized level words, local dates in
//! the exporting machine's format, and the reading statistics.
//!
//! This module owns the knowledge every text export needs and no single one should: turning a
//! level (or Security-log keyword) word in any of the display languages Event Viewer, wevtutil
//! and PowerShell write into the numeric `System/Level`; reading a date written in an unknown
//! locale (`9/29/2026 10:01:02 AM`, `19-07-2026 09:58:57`, `2025/06/02 14:20:21`,
//! `2020-12-14T17:09:08.940`, `2022-11-16T14:54:13.2270000Z`) with the day/month order decided
//! once per file from all of its values ([`DateOrder::infer`]); and [`TextStats`], what each
//! reader reports (events read, rows it could not read, the first such row).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// What reading a text export found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextStats {
    /// Events read.
    pub events: u64,
    /// Rows or blocks that could not be read as an event (counted, never fatal).
    pub errors: u64,
    /// What the first unreadable row or block was, for the inventory note.
    pub first_error: Option<String>,
}

impl TextStats {
    /// Count one unreadable row or block.
    pub fn error(&mut self, what: impl FnOnce() -> String) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(what());
        }
    }
}

/// Localized level names and Security-log keyword names, lowercased, with their numeric level.
/// Audit keywords (Security log) have level 0 like the events themselves.
const LEVEL_WORDS: &[(&str, u8)] = &[
    // English (Event Viewer, wevtutil, Get-WinEvent LevelDisplayName, EventLogEntryType names).
    ("critical", 1),
    ("error", 2),
    ("warning", 3),
    ("information", 4),
    ("verbose", 5),
    ("audit success", 0),
    ("audit failure", 0),
    ("successaudit", 0),
    ("failureaudit", 0),
    ("logalways", 0),
    // French.
    ("critique", 1),
    ("erreur", 2),
    ("avertissement", 3),
    ("informations", 4),
    ("détaillé", 5),
    ("commentaires", 5),
    ("succès de l'audit", 0),
    ("échec de l'audit", 0),
    // German.
    ("kritisch", 1),
    ("fehler", 2),
    ("warnung", 3),
    ("informationen", 4),
    ("ausführlich", 5),
    ("überwachung erfolgreich", 0),
    ("überwachung gescheitert", 0),
    // Spanish.
    ("crítico", 1),
    ("advertencia", 3),
    ("información", 4),
    ("detallado", 5),
    ("auditoría correcta", 0),
    ("error de auditoría", 0),
    // Japanese.
    ("重大", 1),
    ("エラー", 2),
    ("警告", 3),
    ("情報", 4),
    ("詳細", 5),
    ("成功の監査", 0),
    ("失敗の監査", 0),
    // Chinese (simplified).
    ("关键", 1),
    ("错误", 2),
    ("信息", 4),
    ("详细", 5),
    ("审核成功", 0),
    ("审核失败", 0),
    // Russian.
    ("критический", 1),
    ("ошибка", 2),
    ("предупреждение", 3),
    ("сведения", 4),
    ("подробности", 5),
    ("аудит успеха", 0),
    ("аудит отказа", 0),
];

/// The numeric level of a level word (or Security-log keyword) in any known language.
pub fn level_from_word(word: &str) -> Option<u8> {
    let w = normalize_word(word);
    if w.is_empty() {
        return None;
    }
    LEVEL_WORDS
        .iter()
        .find(|(name, _)| *name == w)
        .map(|&(_, level)| level)
}

/// Lowercase, typographic apostrophes as `'`, runs of (no-break) spaces as one space.
pub fn normalize_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for part in word
        .split(|c: char| c.is_whitespace() || c == '\u{00A0}' || c == '\u{202F}')
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in part.chars() {
            match c {
                '\u{2019}' | '\u{2018}' | '\u{02BC}' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// Which number comes first in a date without a four-digit year in front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// `9/29/2026` (en-US).
    MonthFirst,
    /// `29/09/2026`, `19-07-2026`, `29.09.2026` (most other locales).
    DayFirst,
}

/// The parts of a date as written, before the day/month order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DateParts {
    /// `(a, b, year)` for `a/b/year`, or `(month, day, year)` when the year came first.
    a: u32,
    b: u32,
    year: i32,
    year_first: bool,
    /// 12-hour clock marker: `Some(true)` for PM.
    pm: Option<bool>,
    time: Option<(u32, u32, u32, u32)>,
    /// `Z` or an explicit offset (seconds east) was written.
    offset: Option<i32>,
}

impl DateOrder {
    /// Decide the order from every date value of one file: a first number above 12 means
    /// day first, a second number above 12 means month first. When every value is ambiguous,
    /// a 12-hour clock (`AM`/`PM`) suggests en-US (month first); otherwise day first, the
    /// order of most 24-hour locales.
    pub fn infer<'a>(values: impl IntoIterator<Item = &'a str>) -> DateOrder {
        let mut twelve_hour = false;
        for v in values {
            let Some(p) = split_date(v) else { continue };
            if p.year_first {
                continue;
            }
            if p.a > 12 && p.b <= 12 {
                return DateOrder::DayFirst;
            }
            if p.b > 12 && p.a <= 12 {
                return DateOrder::MonthFirst;
            }
            twelve_hour |= p.pm.is_some();
        }
        if twelve_hour {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        }
    }
}

/// A date read from a text export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportTime {
    /// The value named its zone (`Z`, `+01:00`, `/Date(ms)/`).
    Utc(DateTime<Utc>),
    /// Wall-clock time of the exporting machine, zone unknown.
    Local(NaiveDateTime),
}

/// True when `s` reads as a date (with any order).
pub fn looks_like_date(s: &str) -> bool {
    parse_date(s, DateOrder::MonthFirst).is_some() || parse_date(s, DateOrder::DayFirst).is_some()
}

/// Read a date written by an event export in the given day/month order.
pub fn parse_date(s: &str, order: DateOrder) -> Option<ExportTime> {
    let p = split_date(s)?;
    let (month, day) = if p.year_first {
        (p.a, p.b)
    } else {
        match order {
            DateOrder::MonthFirst => (p.a, p.b),
            DateOrder::DayFirst => (p.b, p.a),
        }
    };
    let date = NaiveDate::from_ymd_opt(p.year, month, day)?;
    let (mut h, m, sec, nanos) = p.time.unwrap_or((0, 0, 0, 0));
    match p.pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let time = NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?;
    let naive = NaiveDateTime::new(date, time);
    Some(match p.offset {
        Some(off) => ExportTime::Utc((naive - chrono::Duration::seconds(i64::from(off))).and_utc()),
        None => ExportTime::Local(naive),
    })
}

/// `/Date(1513502433000)/` (optionally with `+0100`): milliseconds since 1970, UTC.
pub fn parse_ms_date(s: &str) -> Option<DateTime<Utc>> {
    let inner = s.trim().strip_prefix("/Date(")?.strip_suffix(")/")?;
    let end = inner
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '+' || c == '-')
        .map_or(inner.len(), |(i, _)| i);
    let ms: i64 = inner[..end].parse().ok()?;
    DateTime::from_timestamp_millis(ms)
}

/// Split a date into its numbers without deciding the day/month order.
fn split_date(s: &str) -> Option<DateParts> {
    let s = s.trim().trim_start_matches('\u{200E}');
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    // Numbers in order, with the separator that followed each.
    let mut nums: Vec<(u64, usize, char)> = Vec::with_capacity(8);
    let mut pm = None;
    let mut offset = None;
    let mut chars = s.char_indices().peekable();
    for token in s.split_whitespace() {
        match token.to_ascii_lowercase().as_str() {
            "pm" | "p.m." => pm = Some(true),
            "am" | "a.m." => pm = Some(false),
            _ if token.contains("午後") || token.contains("下午") => pm = Some(true),
            _ if token.contains("午前") || token.contains("上午") => pm = Some(false),
            _ => {}
        }
    }
    while let Some((i, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii_digit() {
                    end = j + 1;
                    chars.next();
                } else {
                    break;
                }
            }
            let digits = &s[i..end];
            if digits.len() > 10 {
                return None;
            }
            let sep = chars.peek().map_or('\0', |&(_, d)| d);
            nums.push((digits.parse().ok()?, digits.len(), sep));
            // A zone after the time: `Z`, `+01:00`, `-0800`.
            if nums.len() >= 6 || (nums.len() >= 5 && sep != ':' && sep != '.' && sep != ',') {
                let rest = &s[end..];
                let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
                if rest == "Z" || rest == "z" {
                    offset = Some(0);
                } else if let Some(o) = zone_offset(rest) {
                    offset = Some(o);
                }
            }
        }
    }
    if nums.len() < 3 {
        return None;
    }
    let (n0, l0, _) = nums[0];
    let (n1, _, _) = nums[1];
    let (n2, l2, _) = nums[2];
    let (a, b, year, year_first) = if l0 == 4 {
        (n1 as u32, n2 as u32, n0 as i32, true)
    } else if l2 == 4 || l2 == 2 {
        let year = if l2 == 2 { 2000 + n2 as i32 } else { n2 as i32 };
        (n0 as u32, n1 as u32, year, false)
    } else {
        return None;
    };
    if !(1..=31).contains(&a) || !(1..=31).contains(&b) {
        return None;
    }
    let time = if nums.len() >= 5 {
        let h = nums[3].0 as u32;
        let m = nums[4].0 as u32;
        let sec = nums.get(5).map_or(0, |n| n.0 as u32);
        // Fraction digits after the seconds, scaled to nanoseconds.
        let nanos = match (nums.get(5), nums.get(6)) {
            (Some((_, _, '.' | ',')), Some(&(f, len, _))) if len <= 9 => {
                (f * 10u64.pow(9 - len as u32)) as u32
            }
            _ => 0,
        };
        Some((h, m, sec, nanos))
    } else {
        None
    };
    Some(DateParts {
        a,
        b,
        year,
        year_first,
        pm,
        time,
        offset,
    })
}

/// `+01:00`, `-0800` at the start of `s`: seconds east of UTC.
fn zone_offset(s: &str) -> Option<i32> {
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = s[1..]
        .chars()
        .filter(|c| *c != ':')
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.len() != 4 {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    Some(sign * (h * 3600 + m * 60))
}

/// 1-based line numbers of increasing byte offsets in one text, counted incrementally (a
/// reader asks once per record, so counting from the start each time would be quadratic).
pub struct LineCounter<'t> {
    text: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    pub fn new(text: &'t str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of a csv record's start. The reader's byte position of a record may still
    /// point into the line break before it (the `\n` of a CRLF), so line breaks there are
    /// skipped. Offsets before the last one asked return the last line.
    pub fn csv_record(&mut self, position: Option<&csv::Position>) -> u64 {
        let mut to = position
            .map_or(0, |p| p.byte() as usize)
            .min(self.text.len());
        while to < self.text.len() && matches!(self.text[to], b'\r' | b'\n') {
            to += 1;
        }
        if to > self.at {
            self.line += memchr::memchr_iter(b'\n', &self.text[self.at..to]).count() as u64;
            self.at = to;
        }
        self.line
    }
}

/// Store an export time on an event: UTC in `time`, local wall-clock time in `local_time`.
pub fn set_time(event: &mut super::winevent::WinEvent, t: Option<ExportTime>) {
    match t {
        Some(ExportTime::Utc(t)) => event.time = Some(t),
        Some(ExportTime::Local(t)) => event.local_time = Some(t),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str, order: DateOrder) -> String {
        match parse_date(s, order) {
            Some(ExportTime::Local(t)) => t.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn dates_in_every_locale() {
        use DateOrder::*;
        assert_eq!(
            local("9/29/2026 10:01:02 AM", MonthFirst),
            "2026-09-29 10:01:02.000"
        );
        assert_eq!(
            local("1/22/2014 8:50:06 PM", MonthFirst),
            "2014-01-22 20:50:06.000"
        );
        assert_eq!(
            local("12/17/2017 12:20:33 AM", MonthFirst),
            "2017-12-17 00:20:33.000"
        );
        assert_eq!(
            local("19-07-2026 09:58:57", DayFirst),
            "2026-07-19 09:58:57.000"
        );
        assert_eq!(
            local("2025/06/02 14:20:21", DayFirst),
            "2025-06-02 14:20:21.000"
        );
        assert_eq!(
            local("2025/06/02 14:20:21", MonthFirst),
            "2025-06-02 14:20:21.000"
        );
        assert_eq!(
            local("02.06.2025 14:20:21", DayFirst),
            "2025-06-02 14:20:21.000"
        );
        assert_eq!(
            local("2020-12-14T17:09:08.940", DayFirst),
            "2020-12-14 17:09:08.940"
        );
        assert_eq!(
            local("2025/6/2 午後 2:20:21", DayFirst),
            "2025-06-02 14:20:21.000"
        );
        assert_eq!(
            parse_date("2022-11-16T14:54:13.2270000Z", DayFirst),
            Some(ExportTime::Utc(
                DateTime::parse_from_rfc3339("2022-11-16T14:54:13.227Z")
                    .unwrap()
                    .with_timezone(&Utc)
            ))
        );
        assert_eq!(
            parse_date("2017-12-17T01:20:33-08:00", DayFirst),
            Some(ExportTime::Utc(
                DateTime::parse_from_rfc3339("2017-12-17T09:20:33Z")
                    .unwrap()
                    .with_timezone(&Utc)
            ))
        );
        // 29 is not a month in either position it could be one.
        assert_eq!(parse_date("9/29/2026 10:01:02", DayFirst), None);
        assert_eq!(parse_date("Logon", DayFirst), None);
        assert_eq!(parse_date("4624", DayFirst), None);
        assert!(!looks_like_date("Microsoft-Windows-Security-Auditing"));
        assert!(looks_like_date("19-07-2026 09:58:57"));
    }

    #[test]
    fn day_month_order_is_inferred_per_file() {
        use DateOrder::*;
        assert_eq!(
            DateOrder::infer(["1/2/2026 10:00:00", "19-07-2026 09:58:57"]),
            DayFirst
        );
        assert_eq!(
            DateOrder::infer(["1/2/2026 1:00:00 PM", "9/29/2026 10:01:02 AM"]),
            MonthFirst
        );
        assert_eq!(DateOrder::infer(["1/2/2026 1:00:00 PM"]), MonthFirst);
        assert_eq!(DateOrder::infer(["01/02/2026 13:00:00"]), DayFirst);
        assert_eq!(
            DateOrder::infer(["2025/06/02 14:20:21", "03/13/2026 10:00"]),
            MonthFirst
        );
    }

    #[test]
    fn line_counter_is_incremental_and_skips_the_rest_of_a_crlf() {
        let text = "a,b\r\nc,d\r\n\r\ne,f\n";
        let mut rows = Vec::new();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut lines = LineCounter::new(text);
        for r in reader.records() {
            let r = r.unwrap();
            rows.push((r[0].to_string(), lines.csv_record(r.position())));
        }
        let want = [("a", 1), ("c", 2), ("e", 4)].map(|(a, n)| (a.to_string(), n));
        assert_eq!(rows, want);
        // An earlier offset does not move it back.
        assert_eq!(lines.csv_record(None), 4);
    }

    #[test]
    fn ms_dates_and_levels() {
        assert_eq!(
            parse_ms_date("/Date(1513502433000)/").map(|t| t.to_rfc3339()),
            Some("2017-12-17T09:20:33+00:00".into())
        );
        assert!(parse_ms_date("/Date(1513502433000+0100)/").is_some());
        assert_eq!(parse_ms_date("12/17/2017"), None);
        assert_eq!(level_from_word("Avertissement"), Some(3));
        assert_eq!(level_from_word(" Succès de l’audit "), Some(0));
        assert_eq!(level_from_word("情報"), Some(4));
        assert_eq!(level_from_word("信息"), Some(4));
        assert_eq!(level_from_word("Сведения"), Some(4));
        assert_eq!(level_from_word("Audit  Success"), Some(0));
        assert_eq!(level_from_word("Logon"), None);
    }
}

/// Helpers for the readers' tests.
#[cfg(test)]
pub(crate) mod tests_support {
    /// A corpus excerpt with its `#` source header stripped, or `None` (with a note) when the
    /// shared corpus is absent.
    pub fn excerpt(name: &str) -> Option<String> {
        let text = crate::corpus::read_to_string(&format!("excerpts/{name}"))?;
        let mut rest = text.as_str();
        while rest.starts_with('#') {
            rest = rest.split_once('\n').map_or("", |(_, r)| r);
        }
        Some(rest.to_string())
    }

    /// Level names as `LevelDisplayName` (Get-WinEvent) writes them on a French, Japanese and
    /// Simplified Chinese system: (language, Error, Warning).
    pub const LEVEL_NAMES: [(&str, &str, &str); 3] = [
        ("fr", "Erreur", "Avertissement"),
        ("ja", "エラー", "警告"),
        ("zh-CN", "错误", "警告"),
    ];

    /// UTF-16LE with a BOM, as Windows PowerShell 5.1 and Event Viewer on some builds write.
    pub fn utf16le(s: &str) -> Vec<u8> {
        [0xFF, 0xFE]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    }
}

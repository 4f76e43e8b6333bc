//! The Lync / Skype for Business client trace log (`*.UccApilog`, formats.md §1).
//!
//! This module owns turning the text of one UccApi log into [`UccApiItem`]s: records
//! (`MM/DD/YYYY|HH:MM:SS.mmm <thread> <LEVEL> :: <text>` plus the continuation lines that
//! follow) and SIP messages (a record whose text is a SIP start line, usually right after a
//! `Sending Packet -` / `Data Received -` framing record). It borrows everything from the
//! decoded text and never fails: a line that is not a record prefix is a continuation of the
//! record before it, and lines before the first record are counted as unparsed. The
//! fixed-width timestamp is read by position and the `<thread> <LEVEL> ::` part with nom, after
//! a cheap byte check, so a continuation line costs one `memchr` and a few comparisons. A long log
//! is read in blocks: [`last_record_start`] says where a block may be cut, and
//! [`UccApiReader::resume`] reads the next block as if the text were whole.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use nom::{
    IResult, Parser,
    bytes::complete::{tag, take_while1},
    character::complete::{char, space0, space1},
    combinator::opt,
};

use super::sip::{Direction, SipMessage};

/// One log record: the prefix line and the lines that continue it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UccApiRecord<'a> {
    /// 1-based line number of the prefix line.
    pub line: u32,
    /// The local time written by the client (no zone in the file).
    pub time: Option<NaiveDateTime>,
    /// `PID:TID` in hex, as written; empty when the prefix carried no thread.
    pub thread: &'a str,
    /// `INFO`, `ERROR`, `TRACE` … as written; empty when absent.
    pub level: &'a str,
    /// The text after `::` on the prefix line (no line ending).
    pub text: &'a str,
    /// The continuation lines, raw (with their line endings); empty for one-line records.
    pub continuation: &'a str,
    /// The whole record, prefix line included, raw.
    pub raw: &'a str,
}

impl UccApiRecord<'_> {
    /// The component named at the start of the text, e.g. `CUccServerEndpoint` in
    /// `CUccServerEndpoint::OnRegisterComplete - …`; empty when the text does not start so.
    pub fn component(&self) -> &str {
        let t = self.text.trim_start();
        match t.find("::") {
            Some(i)
                if i > 0
                    && t[..i]
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
            {
                &t[..i]
            }
            _ => "",
        }
    }

    /// Number of lines this record spans.
    pub fn line_count(&self) -> u32 {
        1 + self.continuation.bytes().filter(|&b| b == b'\n').count() as u32
            + u32::from(!self.continuation.is_empty() && !self.continuation.ends_with('\n'))
    }
}

/// What the reader yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UccApiItem<'a> {
    Record(UccApiRecord<'a>),
    Sip {
        record: UccApiRecord<'a>,
        direction: Direction,
        message: SipMessage<'a>,
    },
}

impl<'a> UccApiItem<'a> {
    pub fn record(&self) -> &UccApiRecord<'a> {
        match self {
            Self::Record(r) | Self::Sip { record: r, .. } => r,
        }
    }
}

/// Counts kept while reading, for the inventory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct UccApiStats {
    pub lines: u64,
    pub records: u64,
    pub sip_messages: u64,
    /// Lines before the first record prefix (not part of any record).
    pub unparsed_lines: u64,
    /// Framing lines (`Sending Packet -` / `Data Received -`) not followed by a SIP start line.
    pub frames_without_sip: u64,
}

/// Iterator over the records and SIP messages of one log.
pub struct UccApiReader<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
    pending: Option<Direction>,
    /// The prefix of the next record, already found while scanning continuations.
    next: Option<(usize, usize, u32, Prefix<'a>)>,
    date_cache: Option<(&'a str, NaiveDate)>,
    pub stats: UccApiStats,
}

#[derive(Debug, Clone, Copy)]
struct Prefix<'a> {
    date: &'a str,
    time: Option<NaiveTime>,
    thread: &'a str,
    level: &'a str,
    /// Byte offset of the text within the line.
    text_at: usize,
}

/// What a reader carries from one block of a member's text to the next: the line count, a
/// framing record waiting for its SIP message, and the counts (see [`UccApiReader::resume`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReaderCarry {
    line: u32,
    pending: Option<Direction>,
    pub stats: UccApiStats,
}

impl<'a> UccApiReader<'a> {
    pub fn new(text: &'a str) -> Self {
        Self::resume(text, ReaderCarry::default())
    }

    /// A reader of the next block of a member's text, where the previous block's reader
    /// stopped ([`UccApiReader::carry`]). Blocks must be cut where a record starts
    /// ([`last_record_start`]) or where no record has begun yet: records, line numbers and
    /// counts then come out as from the whole text.
    pub fn resume(text: &'a str, carry: ReaderCarry) -> Self {
        Self {
            text,
            pos: 0,
            line: carry.line,
            pending: carry.pending,
            next: None,
            date_cache: None,
            stats: carry.stats,
        }
    }

    /// What the next block's reader needs, once this one has returned `None`.
    pub fn carry(&self) -> ReaderCarry {
        ReaderCarry {
            line: self.line,
            pending: self.pending,
            stats: self.stats,
        }
    }

    /// Next line as (start, end without line ending, end with it); advances.
    fn next_line(&mut self) -> Option<(usize, usize, usize)> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let end_nl = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
        let mut end = end_nl;
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        self.pos = end_nl;
        self.line += 1;
        self.stats.lines += 1;
        Some((start, end, end_nl))
    }

    fn date(&mut self, s: &'a str) -> Option<NaiveDate> {
        if let Some((cached, d)) = self.date_cache
            && cached == s
        {
            return Some(d);
        }
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
        let (m, d, y) = (num(0..2)?, num(3..5)?, num(6..10)?);
        debug_assert!(b.len() == 10);
        let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
        self.date_cache = Some((s, date));
        Some(date)
    }
}

/// Quick byte test before the nom parser: `NN/NN/NNNN|`.
fn looks_like_prefix(line: &[u8]) -> bool {
    line.len() >= 23
        && line[2] == b'/'
        && line[5] == b'/'
        && line[10] == b'|'
        && line[13] == b':'
        && line[0].is_ascii_digit()
}

/// `MM/DD/YYYY|HH:MM:SS.mmm`, fixed width, read by position: the date as written (checked
/// and cached by the reader) and the time fields.
fn timestamp(line: &str) -> IResult<&str, (&str, u32, u32, u32, u32)> {
    let b = line.as_bytes();
    let fail = || nom::Err::Error(nom::error::Error::new(line, nom::error::ErrorKind::Digit));
    if b.len() < 23
        || b[2] != b'/'
        || b[5] != b'/'
        || b[10] != b'|'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
    {
        return Err(fail());
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if num(0..2).is_none() || num(3..5).is_none() || num(6..10).is_none() {
        return Err(fail());
    }
    match (num(11..13), num(14..16), num(17..19), num(20..23)) {
        (Some(h), Some(m), Some(s), Some(ms)) => Ok((&line[23..], (&line[..10], h, m, s, ms))),
        _ => Err(fail()),
    }
}

/// `MM/DD/YYYY|HH:MM:SS.mmm` then optionally ` <thread> <LEVEL> ::` and one space.
fn prefix(line: &str) -> IResult<&str, Prefix<'_>> {
    let (rest, (date, h, m, s, ms)) = timestamp(line)?;
    let time = NaiveTime::from_hms_milli_opt(h, m, s, ms);
    let thread_level = |i| -> IResult<&str, (&str, &str)> {
        let (i, _) = space1(i)?;
        let (i, thread) = take_while1(|c: char| c.is_ascii_hexdigit() || c == ':')(i)?;
        let (i, _) = space1(i)?;
        let (i, level) = take_while1(|c: char| c.is_ascii_uppercase())(i)?;
        let (i, _) = (space0, tag("::"), opt(char(' '))).parse(i)?;
        Ok((i, (thread, level)))
    };
    let (rest, tl) = opt(thread_level).parse(rest)?;
    let (thread, level, rest) = match tl {
        Some((t, l)) => (t, l, rest),
        // A bare timestamp (seen in copied excerpts): the rest of the line is the text.
        None => ("", "", rest.trim_start()),
    };
    Ok((
        rest,
        Prefix {
            date,
            time,
            thread,
            level,
            text_at: line.len() - rest.len(),
        },
    ))
}

fn parse_prefix(line: &str) -> Option<Prefix<'_>> {
    if !looks_like_prefix(line.as_bytes()) {
        return None;
    }
    prefix(line).ok().map(|(_, p)| p)
}

impl<'a> Iterator for UccApiReader<'a> {
    type Item = UccApiItem<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        // Find the prefix line of this record.
        let (start, line_end, line_no, p) = match self.next.take() {
            Some(found) => found,
            None => loop {
                let (s, e, _) = self.next_line()?;
                if let Some(p) = parse_prefix(&self.text[s..e]) {
                    break (s, e, self.line, p);
                }
                self.stats.unparsed_lines += 1;
            },
        };
        let text = &self.text[start + p.text_at.min(line_end - start)..line_end];
        let after_prefix_line = self.pos;
        // Gather continuation lines up to the next prefix line.
        let mut cont_end = after_prefix_line;
        while let Some((s, e, end_nl)) = self.next_line() {
            if let Some(np) = parse_prefix(&self.text[s..e]) {
                self.next = Some((s, e, self.line, np));
                break;
            }
            cont_end = end_nl;
        }
        let continuation = &self.text[after_prefix_line..cont_end];
        let raw = &self.text[start..cont_end.max(line_end)];
        let date = self.date(p.date);
        let record = UccApiRecord {
            line: line_no,
            time: date.zip(p.time).map(|(d, t)| d.and_time(t)),
            thread: p.thread,
            level: p.level,
            text,
            continuation,
            raw,
        };
        self.stats.records += 1;

        let framing = if text.starts_with("Sending Packet") {
            Some(Direction::Sent)
        } else if text.starts_with("Data Received") {
            Some(Direction::Received)
        } else {
            None
        };
        let pending = std::mem::replace(&mut self.pending, framing);
        if framing.is_none()
            && could_be_sip_start(text)
            && let Some(message) = SipMessage::parse(text, continuation)
        {
            self.stats.sip_messages += 1;
            return Some(UccApiItem::Sip {
                record,
                direction: pending.unwrap_or(Direction::Unknown),
                message,
            });
        }
        if pending.is_some() {
            self.stats.frames_without_sip += 1;
        }
        Some(UccApiItem::Record(record))
    }
}

/// Where a block of a log's text may be cut so that every record before the cut reads as in
/// the whole text: the start of the last complete line (ended by `\n`) that is a record prefix,
/// searched backwards from the end down to `floor` (a line start: lines before it are not
/// looked at again). Line ends are looked for only from `seen` on (bytes before it were
/// searched already and hold none after `floor`'s line), so a long record or line read block
/// after block is scanned a bounded number of times. `None` when no complete line from `floor`
/// on is a record prefix.
pub fn last_record_start(text: &str, floor: usize, seen: usize) -> Option<usize> {
    let b = text.as_bytes();
    let floor = floor.min(b.len());
    let from = seen.clamp(floor, b.len());
    let mut end = from + memchr::memrchr(b'\n', &b[from..])?;
    loop {
        let start = memchr::memrchr(b'\n', &b[floor..end]).map_or(floor, |i| floor + i + 1);
        let mut e = end;
        if e > start && b[e - 1] == b'\r' {
            e -= 1;
        }
        if parse_prefix(&text[start..e]).is_some() {
            return Some(start);
        }
        if start == floor {
            return None;
        }
        end = start - 1;
    }
}

/// Cheap test before the SIP start-line parser: `SIP/2.0 …` or `… SIP/2.0`.
fn could_be_sip_start(text: &str) -> bool {
    text.starts_with("SIP/2.0 ") || text.trim_end().ends_with(" SIP/2.0")
}

/// True when `text` (the first 4 KB or so of a file) holds a UccApi record prefix on one of its
/// first lines.
pub fn sniff(text: &str) -> bool {
    text.lines().take(40).any(|l| {
        let l = l.trim_start_matches('\u{feff}');
        parse_prefix(l).is_some_and(|p| !p.level.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::sip::StartLine;

    const LOG: &str = "garbage before\r\n\
01/15/2012|11:30:10.163 1A2C:2B3C INFO  :: Sending Packet - 10.0.0.5:443 (From Local Address: 192.168.1.20:51234) 1456 bytes:\r\n\
01/15/2012|11:30:10.163 1A2C:2B3C INFO  :: REGISTER sip:contoso.com SIP/2.0\r\n\
Via: SIP/2.0/TLS 192.168.1.20:51234\r\n\
Call-ID: abc\r\n\
CSeq: 1 REGISTER\r\n\
\r\n\
01/15/2012|11:30:10.163 1A2C:2B3C INFO  :: End of Sending Packet - 10.0.0.5:443 1456 bytes\r\n\
01/15/2012|11:30:10.321 1A2C:2B3C INFO  :: Data Received - 10.0.0.5:443 (To Local Address: 192.168.1.20:51234) 1024 bytes:\r\n\
01/15/2012|11:30:10.321 1A2C:2B3C INFO  :: SIP/2.0 401 Unauthorized\r\n\
Call-ID: abc\r\n\
CSeq: 1 REGISTER\r\n\
ms-diagnostics: 1000;reason=\"Final handshake failed\";source=\"pool.contoso.com\"\r\n\
\r\n\
01/15/2012|11:30:10.321 1A2C:2B3C INFO  :: End of Data Received - 10.0.0.5:443 1024 bytes\r\n\
01/15/2012|11:30:10.400 1A2C:2B3C ERROR :: CUccServerEndpoint::OnRegisterComplete hr=0x8009030C\r\n\
  second line of the error\r\n\
01/15/2012|11:30:10.500 1A2C:2B3C TRACE :: plain trace";

    #[test]
    fn reads_records_and_sip_messages() {
        let mut r = UccApiReader::new(LOG);
        let items: Vec<_> = r.by_ref().collect();
        assert_eq!(items.len(), 8);
        assert_eq!(r.stats.records, 8);
        assert_eq!(r.stats.sip_messages, 2);
        assert_eq!(r.stats.unparsed_lines, 1);
        assert_eq!(r.stats.frames_without_sip, 0);
        assert_eq!(r.stats.lines, 18);

        let UccApiItem::Sip {
            record,
            direction,
            message,
        } = &items[1]
        else {
            panic!("{:?}", items[1])
        };
        assert_eq!(*direction, Direction::Sent);
        assert_eq!(record.line, 3);
        assert_eq!(record.thread, "1A2C:2B3C");
        assert_eq!(record.level, "INFO");
        assert_eq!(
            message.start,
            StartLine::Request {
                method: "REGISTER",
                uri: "sip:contoso.com"
            }
        );
        assert_eq!(message.call_id(), Some("abc"));

        let UccApiItem::Sip {
            record,
            direction,
            message,
        } = &items[4]
        else {
            panic!()
        };
        assert_eq!(*direction, Direction::Received);
        assert_eq!(record.line, 10);
        assert_eq!(record.time.unwrap().to_string(), "2012-01-15 11:30:10.321");
        assert_eq!(message.diagnostics()[0].code, 1000);

        let err = items[6].record();
        assert_eq!(err.level, "ERROR");
        assert_eq!(err.line, 16);
        assert_eq!(err.component(), "CUccServerEndpoint");
        assert_eq!(err.continuation, "second line of the error\r\n");
        assert_eq!(err.line_count(), 2);
        assert_eq!(items[7].record().text, "plain trace");
        assert_eq!(
            items[7].record().raw,
            "01/15/2012|11:30:10.500 1A2C:2B3C TRACE :: plain trace"
        );
    }

    #[test]
    fn tolerates_malformed_prefixes() {
        let log = "13/45/2012|11:30:10.163 1A2C INFO  :: impossible date\n\
01/15/2012|25:30:10.163 1A2C INFO  :: impossible hour\n\
01/15/2012|11:30:10.163\n\
01/15/2012|11:30:10.1x3 1A2C INFO  :: bad millis is a continuation\n\
01/15/2012|11:30:10.163 zz INFO :: odd thread\n\
\n\
01/15/2012|11:30:10.163 1A2C INFO  ::SIP/2.0 200 OK\n";
        let mut r = UccApiReader::new(log);
        let items: Vec<_> = r.by_ref().collect();
        assert_eq!(items.len(), 5, "{items:#?}");
        assert_eq!(items[0].record().time, None);
        assert_eq!(items[0].record().text, "impossible date");
        assert_eq!(items[1].record().time, None);
        assert_eq!(items[2].record().level, "");
        assert!(items[2].record().continuation.contains("bad millis"));
        assert_eq!(items[3].record().thread, "");
        assert_eq!(items[3].record().text, "zz INFO :: odd thread");
        assert!(matches!(
            items[4],
            UccApiItem::Sip {
                direction: Direction::Unknown,
                ..
            }
        ));
        assert_eq!(r.stats.sip_messages, 1);
    }

    #[test]
    fn frame_without_sip_is_counted() {
        let log = "01/15/2012|11:30:10.163 1 INFO  :: Data Received - 1.2.3.4:443 2 bytes:\n\
01/15/2012|11:30:10.163 1 INFO  :: End of Data Received - 1.2.3.4:443 2 bytes\n";
        let mut r = UccApiReader::new(log);
        assert_eq!(r.by_ref().count(), 2);
        assert_eq!(r.stats.frames_without_sip, 1);
    }

    #[test]
    fn empty_and_binary_inputs_yield_nothing() {
        for text in [
            "",
            "\n\n\n",
            "\u{0}\u{0}\u{1}",
            "no records at all\r\nreally",
        ] {
            let mut r = UccApiReader::new(text);
            assert_eq!(r.by_ref().count(), 0);
            assert_eq!(r.stats.records, 0);
        }
    }

    #[test]
    fn sniffs_prefixes() {
        assert!(sniff(
            "\u{feff}01/15/2012|11:30:10.163 1A2C:2B3C INFO  :: x"
        ));
        assert!(!sniff("01/15/2012|11:30:10.163"));
        assert!(!sniff(
            "2012/05/18 08:32:28.602 Office Communications Server LOGON STARTED"
        ));
    }
}

//! Terminal text, readable in 80 columns.
//!
//! Widths are display columns (`unicode-width`): a Japanese or Chinese character takes two, so
//! event text in those languages keeps to 80 columns too. Lines are broken at spaces and, in
//! CJK text (which has none), between wide characters; a single word longer than the line (a
//! URL, a path) is kept whole. Colour is `anstyle` escapes, written only when the caller asks
//! (`main.rs` decides with `anstream`, which also translates them for old Windows consoles).

use std::io::{self, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::diagnosis::{Analysis, CauseFinding};
use crate::rules::Effect;

const WIDTH: usize = 80;
/// Timeline lines shown in text (JSON and HTML carry the whole timeline).
const TIMELINE_SHOWN: usize = 20;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, style: anstyle::Style, s: &str) -> String {
        if self.on {
            format!("{style}{s}{style:#}")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint(anstyle::Style::new().bold(), s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint(anstyle::Style::new().dimmed(), s)
    }
    fn red(&self, s: &str) -> String {
        self.paint(
            anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Red.into())),
            s,
        )
    }
    fn green(&self, s: &str) -> String {
        self.paint(
            anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Green.into())),
            s,
        )
    }
    fn yellow(&self, s: &str) -> String {
        self.paint(
            anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into())),
            s,
        )
    }
}

/// The display width of `s` in a terminal (wide characters count two; colour escapes none).
pub fn display_width(s: &str) -> usize {
    textwrap::core::display_width(s)
}

/// `s` in exactly `width` display columns: padded with spaces, or cut from the left with a
/// leading `…` (the end of a path or address says most).
pub fn fit(s: &str, width: usize) -> String {
    let w = s.width();
    if w <= width {
        return format!("{s}{}", " ".repeat(width - w));
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1; // the ellipsis
    for c in s.chars().rev() {
        let cw = c.width().unwrap_or(0);
        if used + cw > width {
            break;
        }
        used += cw;
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("…{tail}{}", " ".repeat(width - used))
}

/// Wrap `text` to `width` columns, each line starting with `indent`.
pub fn wrap(text: &str, indent: &str, width: usize) -> String {
    wrap_hanging(text, indent, indent, width)
}

/// Words for [`textwrap`]: split at spaces, and a wide (CJK) character is a word of its own
/// with no space after it, so CJK text breaks between characters and joins without spaces.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut out = Vec::new();
    for word in textwrap::WordSeparator::AsciiSpace.find_words(line) {
        let text = word.word;
        if !text.chars().any(|c| c.width().unwrap_or(0) > 1) {
            out.push(word);
            continue;
        }
        // `text` is a slice of `line`, followed there by the word's whitespace.
        let base = text.as_ptr() as usize - line.as_ptr() as usize;
        let end = base + text.len() + word.whitespace.len();
        let mut start = base;
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        for (i, c) in text.char_indices() {
            let at = base + i;
            if c.width().unwrap_or(0) > 1 {
                if start < at {
                    pieces.push((start, at));
                }
                pieces.push((at, at + c.len_utf8()));
                start = at + c.len_utf8();
            }
        }
        if start < base + text.len() {
            pieces.push((start, base + text.len()));
        }
        let last = pieces.len() - 1;
        for (k, (a, b)) in pieces.into_iter().enumerate() {
            let b = if k == last { end } else { b };
            out.push(textwrap::core::Word::from(&line[a..b]));
        }
    }
    Box::new(out.into_iter())
}

/// Wrap with a first-line indent and another for the lines that follow. Every line gets the
/// room the following lines have (`width` less `indent`), as this report always did.
pub fn wrap_hanging(text: &str, first: &str, indent: &str, width: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() {
        return String::new();
    }
    let room = width.saturating_sub(display_width(indent)).max(20);
    let options = textwrap::Options::new(room)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .word_separator(textwrap::WordSeparator::Custom(words));
    let mut out = String::new();
    for (i, line) in textwrap::wrap(&folded, options).iter().enumerate() {
        out.push_str(if i == 0 { first } else { indent });
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn place(member: &str, line: u32, time: Option<&str>) -> String {
    match time {
        Some(t) => format!("{member}:{line}  {t}"),
        None => format!("{member}:{line}"),
    }
}

fn cause(out: &mut dyn Write, s: &Style, c: &CauseFinding) -> io::Result<()> {
    let conf = format!("[{} {:.2}]", c.confidence_label, c.confidence);
    let conf = match c.confidence_label {
        "high" => s.red(&conf),
        "medium" => s.yellow(&conf),
        _ => conf,
    };
    writeln!(
        out,
        "{} {}  {}",
        s.bold(&format!("#{}", c.rank)),
        s.bold(&c.id.0),
        conf
    )?;
    write!(out, "{}", wrap(&c.title, "   ", WIDTH))?;
    writeln!(out, "   {}", s.dim("why:"))?;
    for r in &c.reasons {
        let sign = if r.effect == Effect::Supports {
            "+"
        } else {
            "-"
        };
        let times = if r.count > 1 {
            format!(" ({}x)", r.count)
        } else {
            String::new()
        };
        write!(
            out,
            "{}",
            wrap_hanging(
                &format!("{sign} {}{times}", r.summary),
                "     ",
                "       ",
                WIDTH
            )
        )?;
        write!(
            out,
            "{}",
            wrap(
                &s.dim(&place(
                    &r.first.member,
                    r.first.line,
                    r.first.time.as_deref()
                )),
                "       ",
                WIDTH
            )
        )?;
    }
    writeln!(
        out,
        "   {}",
        s.dim(&format!(
            "evidence ({} of {}):",
            c.evidence.len(),
            c.evidence_count
        ))
    )?;
    for e in &c.evidence {
        write!(
            out,
            "{}",
            wrap(&place(&e.member, e.line, e.time.as_deref()), "     ", WIDTH)
        )?;
        write!(out, "{}", wrap(&e.text, "       ", WIDTH))?;
    }
    writeln!(out, "   {}", s.dim("what to do:"))?;
    write!(out, "{}", wrap(&c.resolution, "     ", WIDTH))?;
    if !c.look_alikes.is_empty() {
        let ids: Vec<&str> = c.look_alikes.iter().map(|l| l.id.0.as_str()).collect();
        writeln!(
            out,
            "   {}",
            s.dim(&format!("looks like: {}", ids.join(", ")))
        )?;
        write!(out, "{}", wrap(&c.distinguish, "     ", WIDTH))?;
    }
    if !c.tied_with.is_empty() {
        let ids: Vec<&str> = c.tied_with.iter().map(|id| id.0.as_str()).collect();
        write!(
            out,
            "{}",
            wrap(
                &format!(
                    "same evidence as {}: the logs cannot tell them apart, so check the point above",
                    ids.join(", ")
                ),
                "   ",
                WIDTH
            )
        )?;
    }
    writeln!(out, "   {}", s.dim("source:"))?;
    write!(out, "{}", wrap(&c.article.section, "     ", WIDTH))?;
    writeln!(out, "     {}", c.article.url)?;
    writeln!(out)
}

pub fn render(a: &Analysis, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let s = Style { on: color };
    writeln!(
        out,
        "{}",
        s.bold(&format!(
            "sfbtriage {} - {}",
            env!("CARGO_PKG_VERSION"),
            a.inputs.join(", ")
        ))
    )?;
    let mut who = Vec::new();
    if let Some(u) = &a.user.sip_uri {
        who.push(format!("user {u}"));
    }
    if let Some(c) = &a.user.client {
        who.push(format!("client {c}"));
    }
    if let Some(r) = &a.user.registrar {
        who.push(format!("registrar {r}"));
    }
    if !who.is_empty() {
        write!(out, "{}", wrap(&who.join("; "), "", WIDTH))?;
    }
    if let Some(c) = &a.clock {
        let rel = c.relation();
        write!(
            out,
            "{}",
            wrap(
                &format!(
                    "clock: local zone UTC{} (estimated), client clock {rel} (median of {} responses)",
                    c.zone(),
                    c.samples
                ),
                "",
                WIDTH
            )
        )?;
    }
    writeln!(out)?;
    if a.causes.is_empty() {
        writeln!(out, "{}", s.green("No documented cause found."))?;
        write!(
            out,
            "{}",
            wrap(
                "Nothing in these files matches a documented sign-in failure. Check the inventory below: a missing or skipped client log means there was little to read.",
                "",
                WIDTH
            )
        )?;
        writeln!(out)?;
    } else {
        let n = a.causes.len();
        writeln!(
            out,
            "{}",
            s.bold(&format!(
                "{n} likely cause{} (most likely first)",
                if n == 1 { "" } else { "s" }
            ))
        )?;
        writeln!(out)?;
        for c in &a.causes {
            cause(out, &s, c)?;
        }
    }
    if a.timeline.moments.iter().any(|m| m.failing) {
        let shown: Vec<_> = a
            .timeline
            .moments
            .iter()
            .filter(|m| m.failing || m.kind == "accepted")
            .take(TIMELINE_SHOWN)
            .collect();
        writeln!(
            out,
            "{}",
            s.bold(&format!(
                "Timeline: failures and sign-ins, all sources ({} of {} moments)",
                shown.len(),
                a.timeline.total
            ))
        )?;
        for m in shown {
            let mark = if m.failing { "!" } else { " " };
            let time = m.time.as_deref().unwrap_or("(no time)");
            write!(
                out,
                "{}",
                wrap_hanging(
                    &format!("{mark} {time} {}", crate::redact::abridge(&m.text, 110)),
                    "  ",
                    "      ",
                    WIDTH
                )
            )?;
        }
        writeln!(out)?;
    }
    if !a.unexplained.is_empty() {
        writeln!(out, "{}", s.bold("Errors no rule explains"))?;
        for u in &a.unexplained {
            write!(
                out,
                "{}",
                wrap(&format!("{} ({}x)", u.text, u.count), "  ", WIDTH)
            )?;
            write!(
                out,
                "{}",
                wrap(
                    &s.dim(&place(
                        &u.first.member,
                        u.first.line,
                        u.first.time.as_deref()
                    )),
                    "    ",
                    WIDTH
                )
            )?;
        }
        writeln!(out)?;
    }
    let t = &a.totals;
    writeln!(
        out,
        "{}",
        s.bold(&format!(
            "Inventory: {} members, {} parsed, {} skipped, {} failed",
            t.members, t.parsed, t.skipped, t.failed
        ))
    )?;
    for e in &a.inventory {
        let status = match e.status {
            crate::bundle::Status::Parsed => s.green("parsed "),
            crate::bundle::Status::Skipped => s.yellow("skipped"),
            crate::bundle::Status::Failed => s.red("failed "),
        };
        // Two spaces, the status (7), a space, the format padded to 11, a space, the path.
        if 11 + e.format.len().max(11) + e.path.width() <= WIDTH {
            writeln!(out, "  {status} {:<11} {}", e.format, e.path)?;
        } else {
            // A long path gets a line of its own.
            writeln!(out, "  {status} {}", e.format)?;
            writeln!(out, "    {}", e.path)?;
        }
        let mut detail = Vec::new();
        if e.format == "evtx" || e.format.starts_with("event-") {
            if e.status == crate::bundle::Status::Parsed {
                detail.push(format!(
                    "{} event{}, {} unreadable",
                    e.counts.records,
                    if e.counts.records == 1 { "" } else { "s" },
                    e.counts.errors
                ));
            }
        } else if e.status == crate::bundle::Status::Parsed
            && e.format != "uccapi-log"
            && e.format != "zip"
        {
            // Transcripts, command output and registry exports: no SIP in them.
            detail.push(format!(
                "{} lines, {} records",
                e.counts.lines, e.counts.records
            ));
        } else if e.counts.records > 0 || e.format == "uccapi-log" {
            detail.push(format!(
                "{} lines, {} records, {} SIP messages",
                e.counts.lines, e.counts.records, e.counts.sip_messages
            ));
        }
        if let Some(enc) = e.encoding
            && enc != "utf-8"
        {
            detail.push(enc.to_string());
        }
        if let Some(r) = &e.reason {
            detail.push(r.clone());
        }
        if !detail.is_empty() {
            write!(out, "{}", wrap(&detail.join("; "), "          ", WIDTH))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_to_width() {
        let w = wrap("one two three four five six seven eight nine ten", "  ", 24);
        assert!(w.lines().all(|l| l.chars().count() <= 24), "{w}");
        assert!(w.lines().all(|l| l.starts_with("  ")));
        assert_eq!(wrap("", "  ", 24), "");
        // A word longer than the line stays whole.
        let url = "https://learn.microsoft.com/en-us/skypeforbusiness/a-long-page#toc1";
        assert_eq!(wrap(&format!("see {url}"), "", 30), format!("see\n{url}\n"));
    }

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdefgh", 5), "…efgh");
        assert_eq!(fit("ユーザー", 8), "ユーザー");
        let f = fit("サインインに失敗", 9);
        assert_eq!(display_width(&f), 9, "{f:?}");
        assert!(f.starts_with('…') && f.ends_with("失敗"), "{f:?}");
    }

    #[test]
    fn wraps_cjk_by_display_width() {
        let text = "イベント 11: サインインに失敗しました。サーバーの証明書を確認できませんでした (ms-diagnostics 1013)。時刻のずれが大きすぎます。";
        let w = wrap_hanging(text, "  ! ", "      ", 40);
        assert!(w.lines().count() > 2, "{w}");
        for l in w.lines() {
            assert!(
                display_width(l) <= 40,
                "{l:?} is {} columns",
                display_width(l)
            );
        }
        // Nothing lost, no space added between CJK characters.
        let joined: String = w
            .lines()
            .map(|l| l.trim_start().trim_start_matches("! "))
            .collect();
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
        assert!(w.contains("サインインに"), "{w}");
        // Chinese too.
        let zh = "登录失败，因为计算机时钟与服务器时间相差太大，请同步时间后重试。".repeat(3);
        for l in wrap(&zh, "  ", 30).lines() {
            assert!(display_width(l) <= 30, "{l:?}");
        }
    }
}

//! Terminal text, readable in 80 columns.
//!
//! Widths are display columns (`unicode-width`): a Japanese or Chinese character takes two.
//! Colour is `anstyle` escapes, written only when the caller asks (`main.rs` decides with
//! `anstream`, which also translates them for old Windows consoles).

use std::io::{self, Write};

use unicode_width::UnicodeWidthChar;

use crate::diagnosis::{Analysis, CauseFinding};
use crate::i18n::{self, Lang, plural, tr, trf};
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

/// Wrap `text` to `width` columns, each line starting with `indent`.
pub fn wrap(text: &str, indent: &str, width: usize) -> String {
    wrap_hanging(text, indent, indent, width)
}

/// Display width in terminal columns: two for a wide (CJK) character, one for the others
/// (a control character such as the ESC of a colour code counts one, as before).
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(1)).sum()
}

/// The display width of `s` (see [`width`]).
pub fn display_width(s: &str) -> usize {
    width(s)
}

/// `s` in exactly `columns` display columns: padded with spaces, or cut from the left with a
/// leading `…` (the end of a path or address says most).
pub fn fit(s: &str, columns: usize) -> String {
    if width(s) <= columns {
        return pad(s, columns);
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 1; // the ellipsis
    for c in s.chars().rev() {
        let cw = c.width().unwrap_or(1);
        if used + cw > columns {
            break;
        }
        used += cw;
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("…{tail}{}", " ".repeat(columns - used))
}

/// Pad `s` with spaces to `columns` display columns.
fn pad(s: &str, columns: usize) -> String {
    format!("{s}{}", " ".repeat(columns.saturating_sub(width(s))))
}

/// Closing punctuation a line never starts with, and opening punctuation it never ends with.
const NO_BREAK_BEFORE: &str = "、。，．：；？！）」』】〉》〕｝・ー…)]}.,:;?!%";
const NO_BREAK_AFTER: &str = "（「『【〈《〔｛([{";

/// The pieces of one space-free word between which a line may break: Japanese and Chinese
/// run without spaces, so a line may break before or after any wide character (except
/// around punctuation); a word without wide characters is one piece.
fn pieces(word: &str) -> Vec<&str> {
    let wide = |c: char| c.width() == Some(2);
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in word.char_indices() {
        if let Some(p) = prev
            && (wide(p) || wide(c))
            && !NO_BREAK_BEFORE.contains(c)
            && !NO_BREAK_AFTER.contains(p)
        {
            out.push(&word[start..i]);
            start = i;
        }
        prev = Some(c);
    }
    out.push(&word[start..]);
    out
}

/// Wrap with a first-line indent and another for the lines that follow.
pub fn wrap_hanging(text: &str, first: &str, indent: &str, width_: usize) -> String {
    let mut out = String::new();
    let mut line = String::from(first);
    let room = width_.saturating_sub(width(indent)).max(20);
    let mut used = 0;
    for word in text.split_whitespace() {
        for (k, piece) in pieces(word).into_iter().enumerate() {
            let w = width(piece);
            let space = usize::from(k == 0);
            if used > 0 && used + space + w > room {
                out.push_str(line.trim_end());
                out.push('\n');
                line = String::from(indent);
                used = 0;
            }
            if used > 0 && k == 0 {
                line.push(' ');
                used += 1;
            }
            line.push_str(piece);
            used += w;
        }
    }
    if used > 0 {
        out.push_str(&line);
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

fn cause(out: &mut dyn Write, s: &Style, c: &CauseFinding, lang: Lang) -> io::Result<()> {
    let conf = format!(
        "[{} {:.2}]",
        i18n::confidence(lang, c.confidence_label),
        c.confidence
    );
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
    writeln!(out, "   {}", s.dim(tr(lang, "cause.why")))?;
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
                WIDTH + 8
            )
        )?;
    }
    writeln!(
        out,
        "   {}",
        s.dim(&trf(
            lang,
            "cause.evidence",
            &[("shown", &c.evidence.len()), ("total", &c.evidence_count)]
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
    writeln!(out, "   {}", s.dim(tr(lang, "cause.what_to_do")))?;
    write!(out, "{}", wrap(&c.resolution, "     ", WIDTH))?;
    if !c.look_alikes.is_empty() {
        let ids: Vec<&str> = c.look_alikes.iter().map(|l| l.id.0.as_str()).collect();
        writeln!(
            out,
            "   {}",
            s.dim(&trf(lang, "cause.looks_like", &[("ids", &ids.join(", "))]))
        )?;
        write!(out, "{}", wrap(&c.distinguish, "     ", WIDTH))?;
    }
    if !c.tied_with.is_empty() {
        let ids: Vec<&str> = c.tied_with.iter().map(|id| id.0.as_str()).collect();
        write!(
            out,
            "{}",
            wrap(
                &trf(lang, "cause.tied", &[("ids", &ids.join(", "))]),
                "   ",
                WIDTH
            )
        )?;
    }
    writeln!(out, "   {}", s.dim(tr(lang, "cause.source")))?;
    write!(out, "{}", wrap(&c.article.section, "     ", WIDTH))?;
    writeln!(out, "     {}", c.article.url)?;
    writeln!(out)
}

pub fn render(a: &Analysis, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let s = Style { on: color };
    let lang = a.lang;
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
        who.push(trf(lang, "who.user", &[("value", u)]));
    }
    if let Some(c) = &a.user.client {
        who.push(trf(lang, "who.client", &[("value", c)]));
    }
    if let Some(r) = &a.user.registrar {
        who.push(trf(lang, "who.registrar", &[("value", r)]));
    }
    if !who.is_empty() {
        write!(out, "{}", wrap(&who.join("; "), "", WIDTH))?;
    }
    if let Some(c) = &a.clock {
        let rel = i18n::clock_relation(lang, c);
        write!(
            out,
            "{}",
            wrap(
                &trf(
                    lang,
                    "who.clock",
                    &[
                        ("zone", &c.zone()),
                        ("relation", &rel),
                        ("samples", &c.samples)
                    ]
                ),
                "",
                WIDTH
            )
        )?;
    }
    if let Some(summary) = super::story::attempts_summary(a) {
        write!(
            out,
            "{}",
            wrap(
                &format!("{}: {summary}", tr(a.lang, "attempts.heading")),
                "",
                WIDTH
            )
        )?;
    }
    writeln!(out)?;
    if a.causes.is_empty() {
        let (headline, why) = super::story::no_cause_verdict(a);
        let headline = if a.verdict == "failing-unexplained" {
            s.red(&headline)
        } else {
            s.green(&headline)
        };
        writeln!(out, "{headline}")?;
        write!(out, "{}", wrap(&why, "", WIDTH))?;
        writeln!(out)?;
    } else {
        let n = a.causes.len();
        writeln!(
            out,
            "{}",
            s.bold(&plural(lang, "causes.heading", n as u64, &[("count", &n)]))
        )?;
        writeln!(out)?;
        for c in &a.causes {
            cause(out, &s, c, lang)?;
        }
    }
    let history = super::story::history_lines(a);
    if !history.is_empty() {
        writeln!(out, "{}", s.bold(tr(a.lang, "history.heading")))?;
        for h in &history {
            write!(out, "{}", wrap_hanging(h, "  ", "    ", WIDTH))?;
        }
        writeln!(out)?;
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
            s.bold(&trf(
                lang,
                "timeline.heading",
                &[("shown", &shown.len()), ("total", &a.timeline.total)]
            ))
        )?;
        for m in shown {
            let mark = if m.failing { "!" } else { " " };
            let time = m.time.as_deref().unwrap_or(tr(lang, "timeline.no_time"));
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
        writeln!(out, "{}", s.bold(tr(lang, "unexplained.heading")))?;
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
                    WIDTH + 8
                )
            )?;
            if let Some(m) = &u.meaning {
                write!(out, "{}", s.dim(&wrap(m, "    ", WIDTH)))?;
            }
        }
        writeln!(out)?;
    }
    let t = &a.totals;
    writeln!(
        out,
        "{}",
        s.bold(&trf(
            lang,
            "inventory.heading",
            &[
                ("members", &t.members),
                ("parsed", &t.parsed),
                ("skipped", &t.skipped),
                ("failed", &t.failed)
            ]
        ))
    )?;
    let status_w = ["status.parsed", "status.skipped", "status.failed"]
        .iter()
        .map(|k| width(tr(lang, k)))
        .max()
        .unwrap_or(7);
    for e in &a.inventory {
        let status = match e.status {
            crate::bundle::Status::Parsed => s.green(&pad(tr(lang, "status.parsed"), status_w)),
            crate::bundle::Status::Skipped => s.yellow(&pad(tr(lang, "status.skipped"), status_w)),
            crate::bundle::Status::Failed => s.red(&pad(tr(lang, "status.failed"), status_w)),
        };
        // Two spaces, the status (7 in English), a space, the format padded to 11, a space,
        // the path.
        if 4 + status_w + e.format.len().max(11) + width(&e.path) <= WIDTH {
            writeln!(out, "  {status} {:<11} {}", e.format, e.path)?;
        } else {
            // A long path gets a line of its own.
            writeln!(out, "  {status} {}", e.format)?;
            writeln!(out, "    {}", e.path)?;
        }
        let mut detail = Vec::new();
        if e.format == "evtx" || e.format.starts_with("event-") {
            if e.status == crate::bundle::Status::Parsed {
                detail.push(plural(
                    lang,
                    "inventory.events",
                    e.counts.records,
                    &[("count", &e.counts.records), ("errors", &e.counts.errors)],
                ));
            }
        } else if e.status == crate::bundle::Status::Parsed
            && e.format != "uccapi-log"
            && e.format != "zip"
        {
            // Transcripts, command output and registry exports: no SIP in them.
            detail.push(trf(
                lang,
                "inventory.lines_records",
                &[("lines", &e.counts.lines), ("records", &e.counts.records)],
            ));
        } else if e.counts.records > 0 || e.format == "uccapi-log" {
            detail.push(trf(
                lang,
                "inventory.lines_records_sip",
                &[
                    ("lines", &e.counts.lines),
                    ("records", &e.counts.records),
                    ("sip", &e.counts.sip_messages),
                ],
            ));
        }
        if let Some(enc) = e.encoding
            && enc != "utf-8"
        {
            detail.push(enc.to_string());
        }
        if let Some(r) = &e.reason {
            detail.push(i18n::inventory_note(lang, r));
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
    fn fits_by_display_width() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdefgh", 5), "…efgh");
        assert_eq!(fit("ユーザー", 8), "ユーザー");
        let f = fit("サインインに失敗", 9);
        assert_eq!(display_width(&f), 9, "{f:?}");
        assert!(f.starts_with('…') && f.ends_with("失敗"), "{f:?}");
    }

    #[test]
    fn wraps_to_width() {
        let w = wrap("one two three four five six seven eight nine ten", "  ", 24);
        assert!(w.lines().all(|l| l.chars().count() <= 24), "{w}");
        assert!(w.lines().all(|l| l.starts_with("  ")));
        assert_eq!(wrap("", "  ", 24), "");
    }
}

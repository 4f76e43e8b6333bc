//! Terminal text, readable in 80 columns.

use std::io::{self, Write};

use crate::diagnosis::{Analysis, CauseFinding};
use crate::rules::Effect;

const WIDTH: usize = 80;
/// Timeline lines shown in text (JSON and HTML carry the whole timeline).
const TIMELINE_SHOWN: usize = 20;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn red(&self, s: &str) -> String {
        self.paint("1;31", s)
    }
    fn green(&self, s: &str) -> String {
        self.paint("1;32", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.paint("33", s)
    }
}

/// Wrap `text` to `width` columns, each line starting with `indent`.
pub fn wrap(text: &str, indent: &str, width: usize) -> String {
    wrap_hanging(text, indent, indent, width)
}

/// Wrap with a first-line indent and another for the lines that follow.
pub fn wrap_hanging(text: &str, first: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::from(first);
    let room = width.saturating_sub(indent.chars().count()).max(20);
    let mut used = 0;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if used > 0 && used + 1 + w > room {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(indent);
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += w;
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
                WIDTH + 8
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
    if let Some(summary) = super::story::attempts_summary(a) {
        write!(
            out,
            "{}",
            wrap(&format!("Sign-in attempts: {summary}"), "", WIDTH)
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
    let history = super::story::history_lines(a);
    if !history.is_empty() {
        writeln!(out, "{}", s.bold("Earlier, resolved"))?;
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
        if 11 + e.format.len().max(11) + e.path.chars().count() <= WIDTH {
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
    }
}

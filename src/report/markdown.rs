//! Markdown, for pasting into a ticket.

use std::io::{self, Write};

use crate::diagnosis::Analysis;
use crate::rules::Effect;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(a: &Analysis, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## sfbtriage: {}\n", cell(&a.inputs.join(", ")))?;
    if let Some(u) = &a.user.sip_uri {
        writeln!(out, "- **User:** `{u}`")?;
    }
    if let Some(c) = &a.user.client {
        writeln!(out, "- **Client:** `{c}`")?;
    }
    if let Some(c) = &a.clock {
        writeln!(
            out,
            "- **Clock:** zone UTC{} (estimated), skew {:+.0} s",
            c.zone(),
            c.skew_seconds
        )?;
    }
    if let Some(summary) = super::story::attempts_summary(a) {
        writeln!(out, "- **Sign-in attempts:** {}", cell(&summary))?;
    }
    writeln!(out)?;
    if a.causes.is_empty() {
        let (headline, why) = super::story::no_cause_verdict(a);
        writeln!(out, "**{}** {}\n", cell(&headline), cell(&why))?;
    }
    for c in &a.causes {
        writeln!(
            out,
            "### {}. {} (`{}`), confidence {} {:.2}\n",
            c.rank,
            cell(&c.title),
            c.id,
            c.confidence_label,
            c.confidence
        )?;
        for r in &c.reasons {
            let sign = if r.effect == Effect::Supports {
                "+"
            } else {
                "−"
            };
            writeln!(
                out,
                "- {sign} {} ({}×) — `{}:{}`",
                cell(&r.summary),
                r.count,
                cell(&r.first.member),
                r.first.line
            )?;
        }
        writeln!(out, "\n| where | time | what |\n|---|---|---|")?;
        for e in &c.evidence {
            writeln!(
                out,
                "| `{}:{}` | {} | {} |",
                cell(&e.member),
                e.line,
                e.time.as_deref().unwrap_or(""),
                cell(&e.text)
            )?;
        }
        writeln!(
            out,
            "\n**What to do:** {}\n",
            c.resolution.replace('\n', " ")
        )?;
        if !c.look_alikes.is_empty() {
            let ids: Vec<String> = c
                .look_alikes
                .iter()
                .map(|l| format!("`{}`", l.id))
                .collect();
            writeln!(
                out,
                "**Looks like:** {}. {}\n",
                ids.join(", "),
                c.distinguish
            )?;
        }
        if !c.tied_with.is_empty() {
            let ids: Vec<String> = c.tied_with.iter().map(|id| format!("`{id}`")).collect();
            writeln!(
                out,
                "**Same evidence as:** {}: the logs cannot tell them apart; check the point above.\n",
                ids.join(", ")
            )?;
        }
        writeln!(out, "Source: [{}]({})\n", c.article.section, c.article.url)?;
    }
    let history = super::story::history_lines(a);
    if !history.is_empty() {
        writeln!(out, "### Earlier, resolved\n")?;
        for h in &history {
            writeln!(out, "- {}", cell(h))?;
        }
        writeln!(out)?;
    }
    if !a.timeline.moments.is_empty() {
        writeln!(
            out,
            "### Timeline (all sources, {} moments)\n",
            a.timeline.total
        )?;
        writeln!(out, "| time | what | where |\n|---|---|---|")?;
        for m in a
            .timeline
            .moments
            .iter()
            .filter(|m| m.failing || m.kind == "accepted")
            .take(50)
        {
            let mark = if m.failing { "**✗** " } else { "✓ " };
            writeln!(
                out,
                "| {} | {mark}{} | `{}:{}` |",
                m.time.as_deref().unwrap_or(""),
                cell(&m.text),
                cell(&m.member),
                m.line
            )?;
        }
        writeln!(out)?;
    }
    if !a.unexplained.is_empty() {
        writeln!(out, "### Errors no rule explains\n")?;
        for u in &a.unexplained {
            writeln!(
                out,
                "- {} ({}×) — `{}:{}`",
                cell(&u.text),
                u.count,
                cell(&u.first.member),
                u.first.line
            )?;
        }
        writeln!(out)?;
    }
    let t = &a.totals;
    writeln!(
        out,
        "### Inventory: {} members, {} parsed, {} skipped, {} failed\n",
        t.members, t.parsed, t.skipped, t.failed
    )?;
    writeln!(
        out,
        "| member | format | status | records | SIP | note |\n|---|---|---|---|---|---|"
    )?;
    for e in &a.inventory {
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            cell(&e.path),
            e.format,
            e.status.as_str(),
            e.counts.records,
            e.counts.sip_messages,
            cell(e.reason.as_deref().unwrap_or(""))
        )?;
    }
    Ok(())
}

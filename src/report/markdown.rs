//! Markdown, for pasting into a ticket.

use std::io::{self, Write};

use crate::diagnosis::Analysis;
use crate::i18n::{self, tr, trf};
use crate::rules::Effect;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(a: &Analysis, out: &mut dyn Write) -> io::Result<()> {
    let lang = a.lang;
    writeln!(out, "## sfbtriage: {}\n", cell(&a.inputs.join(", ")))?;
    if let Some(u) = &a.user.sip_uri {
        writeln!(out, "- **{}:** `{u}`", tr(lang, "who.user_title"))?;
    }
    if let Some(c) = &a.user.client {
        writeln!(out, "- **{}:** `{c}`", tr(lang, "who.client_title"))?;
    }
    if let Some(c) = &a.clock {
        writeln!(
            out,
            "- **{}:** {}",
            tr(lang, "who.clock_title"),
            trf(
                lang,
                "who.clock_short",
                &[
                    ("zone", &c.zone()),
                    ("skew", &format!("{:+.0}", c.skew_seconds))
                ]
            )
        )?;
    }
    if let Some(summary) = super::story::attempts_summary(a) {
        writeln!(
            out,
            "- **{}:** {}",
            tr(a.lang, "attempts.heading"),
            cell(&summary)
        )?;
    }
    writeln!(out)?;
    if a.causes.is_empty() {
        let (headline, why) = super::story::no_cause_verdict(a);
        writeln!(out, "**{}** {}\n", cell(&headline), cell(&why))?;
    }
    for c in &a.causes {
        writeln!(
            out,
            "### {}. {} (`{}`), {}\n",
            c.rank,
            cell(&c.title),
            c.id,
            trf(
                lang,
                "cause.confidence",
                &[
                    ("label", &i18n::confidence(lang, c.confidence_label)),
                    ("value", &format!("{:.2}", c.confidence))
                ]
            )
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
        writeln!(
            out,
            "\n| {} | {} | {} |\n|---|---|---|",
            tr(lang, "column.where"),
            tr(lang, "column.time"),
            tr(lang, "column.what")
        )?;
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
            "\n**{}** {}\n",
            tr(lang, "cause.what_to_do_title"),
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
                "**{}** {}. {}\n",
                tr(lang, "cause.looks_like_title"),
                ids.join(", "),
                c.distinguish
            )?;
        }
        if !c.tied_with.is_empty() {
            let ids: Vec<String> = c.tied_with.iter().map(|id| format!("`{id}`")).collect();
            writeln!(
                out,
                "**{}** {}: {}\n",
                tr(lang, "cause.tied_title"),
                ids.join(", "),
                tr(lang, "cause.tied_detail")
            )?;
        }
        writeln!(
            out,
            "{} [{}]({})\n",
            tr(lang, "cause.source_title"),
            c.article.section,
            c.article.url
        )?;
    }
    let history = super::story::history_lines(a);
    if !history.is_empty() {
        writeln!(out, "### {}\n", tr(a.lang, "history.heading"))?;
        for h in &history {
            writeln!(out, "- {}", cell(h))?;
        }
        writeln!(out)?;
    }
    if !a.timeline.moments.is_empty() {
        writeln!(
            out,
            "### {}\n",
            trf(lang, "timeline.heading_md", &[("total", &a.timeline.total)])
        )?;
        writeln!(
            out,
            "| {} | {} | {} |\n|---|---|---|",
            tr(lang, "column.time"),
            tr(lang, "column.what"),
            tr(lang, "column.where")
        )?;
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
        writeln!(out, "### {}\n", tr(lang, "unexplained.heading"))?;
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
        "### {}\n",
        trf(
            lang,
            "inventory.heading",
            &[
                ("members", &t.members),
                ("parsed", &t.parsed),
                ("skipped", &t.skipped),
                ("failed", &t.failed)
            ]
        )
    )?;
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
        tr(lang, "column.member"),
        tr(lang, "column.format"),
        tr(lang, "column.status"),
        tr(lang, "column.records"),
        tr(lang, "column.sip"),
        tr(lang, "column.note")
    )?;
    for e in &a.inventory {
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            cell(&e.path),
            e.format,
            i18n::status(lang, e.status.as_str()),
            e.counts.records,
            e.counts.sip_messages,
            cell(
                &e.reason
                    .as_deref()
                    .map(|r| i18n::inventory_note(lang, r))
                    .unwrap_or_default()
            )
        )?;
    }
    Ok(())
}

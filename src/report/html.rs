//! HTML: one self-contained page (no external fetches) with the summary, the causes, a
//! timeline picture and the SIP ladder of the failing registration, both inline SVG.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::diagnosis::{Analysis, CauseFinding};
use crate::i18n::{self, Lang, plural, tr, trf};
use crate::model::AttemptOutcome;
use crate::parse::sip::Direction;
use crate::rules::Effect;
use crate::timeline::{Ladder, Timeline};

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f4f6f9}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}h3{font-size:16px;margin:0 0 6px}
.muted{color:#5d6675}.mono{font-family:ui-monospace,Consolas,monospace;font-size:13px}
.banner{border-radius:10px;padding:16px 20px;margin:16px 0;color:#fff}
.banner.bad{background:#b42318}.banner.ok{background:#067647}
.banner .big{font-size:20px;font-weight:600}
.card{background:#fff;border:1px solid #dde2ea;border-radius:10px;padding:16px 20px;margin:12px 0}
.pill{display:inline-block;border-radius:99px;padding:1px 10px;font-size:12px;font-weight:600;color:#fff;vertical-align:middle}
.high{background:#b42318}.medium{background:#b54708}.low{background:#667085}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaecf0;vertical-align:top}
th{color:#475467;font-weight:600}
ul.reasons{margin:6px 0;padding-left:4px;list-style:none}td.time{white-space:nowrap}ul.reasons li.opp{color:#5d6675}
.status-parsed{color:#067647}.status-skipped{color:#b54708}.status-failed{color:#b42318;font-weight:600}
svg text{font-family:system-ui,sans-serif}
"#;

pub fn render(a: &Analysis, out: &mut dyn Write) -> io::Result<()> {
    let mut h = String::new();
    let lang = a.lang;
    let (headline, why) = super::story::no_cause_verdict(a);
    let title = match a.causes.first() {
        Some(c) => format!("{} — {}", c.title, tr(lang, "html.title_suffix")),
        None => format!("{headline} — {}", tr(lang, "html.title_suffix")),
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body><main>\n",
        lang.code(),
        esc(&title)
    );
    let _ = writeln!(
        h,
        "<h1>{}</h1><div class=\"muted mono\">{}</div>",
        esc(tr(lang, "html.heading")),
        esc(&a.inputs.join(", "))
    );
    match a.causes.first() {
        Some(c) => {
            let _ = writeln!(
                h,
                "<div class=\"banner bad\" id=\"verdict\"><div class=\"big\">{} <span class=\"mono\">({})</span></div><div>{}</div></div>",
                esc(&trf(lang, "verdict.most_likely", &[("title", &c.title)])),
                esc(&c.id.0),
                esc(&plural(
                    lang,
                    "causes.found",
                    a.causes.len() as u64,
                    &[
                        ("label", &i18n::confidence(lang, c.confidence_label)),
                        ("value", &format!("{:.2}", c.confidence)),
                        ("count", &a.causes.len())
                    ]
                ))
            );
        }
        None => {
            let class = if a.verdict == "failing-unexplained" {
                "bad"
            } else {
                "ok"
            };
            let _ = writeln!(
                h,
                "<div class=\"banner {class}\" id=\"verdict\"><div class=\"big\">{}</div><div>{}</div></div>",
                esc(headline.trim_end_matches('.')),
                esc(&why)
            );
        }
    }
    summary(&mut h, a);
    if let Some(story) = super::story::attempts_summary(a) {
        let _ = writeln!(
            h,
            "<h2>{}</h2><div class=\"card\" id=\"attempts\"><p>{}</p>",
            esc(tr(lang, "attempts.heading")),
            esc(&story)
        );
        let _ = write!(h, "<table><tr>");
        for col in ["start", "end", "reached", "outcome", "code", "where"] {
            let _ = write!(h, "<th>{}</th>", esc(tr(lang, &format!("story.col_{col}"))));
        }
        let _ = writeln!(h, "</tr>");
        for x in a.attempts.iter().rev().take(50) {
            // Phase and outcome stay as their codes (the JSON's), like the evidence.
            let _ = writeln!(
                h,
                "<tr class=\"attempt {}\"><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td>{}</td><td>{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}:{}</td></tr>",
                x.part,
                esc(x.start.as_deref().unwrap_or("")),
                esc(x.end.as_deref().unwrap_or("")),
                esc(super::story::phase_noun(lang, x.phase)),
                x.outcome.as_str(),
                esc(x.code.as_deref().unwrap_or("")),
                esc(&x.evidence.first.member),
                x.evidence.first.line
            );
        }
        let note = if a.attempts_total > 50 {
            trf(
                lang,
                "story.newest_of",
                &[("shown", &50), ("total", &a.attempts_total)],
            )
        } else {
            tr(lang, "story.newest_first").to_string()
        };
        let _ = writeln!(h, "</table><p class=\"muted\">{}</p></div>", esc(&note));
    }
    for c in &a.causes {
        cause(&mut h, c, lang);
    }
    let history = super::story::history_lines(a);
    if !history.is_empty() {
        let _ = writeln!(
            h,
            "<h2>{}</h2><div class=\"card\" id=\"history\"><ul>",
            esc(tr(lang, "history.heading"))
        );
        for line in &history {
            let _ = writeln!(h, "<li>{}</li>", esc(line));
        }
        let _ = writeln!(h, "</ul></div>");
    }
    if !a.timeline.moments.is_empty() {
        let _ = write!(
            h,
            "<h2>{}</h2><div class=\"card\">{}",
            esc(tr(lang, "timeline.heading_short")),
            timeline_svg_in(&a.timeline, lang)
        );
        let _ = writeln!(
            h,
            "<p class=\"muted\">{}</p></div>",
            esc(&trf(
                lang,
                "timeline.note",
                &[
                    ("total", &a.timeline.total),
                    (
                        "drawn",
                        &if a.timeline.total > a.timeline.moments.len() {
                            trf(
                                lang,
                                "timeline.drawn",
                                &[("count", &a.timeline.moments.len())],
                            )
                        } else {
                            String::new()
                        }
                    )
                ]
            ))
        );
    }
    if let Some(l) = &a.timeline.ladder {
        let registrar = a
            .user
            .registrar
            .clone()
            .unwrap_or_else(|| tr(lang, "ladder.registrar").to_string());
        let _ = writeln!(
            h,
            "<h2>{}</h2><div class=\"card\"><div class=\"muted mono\">Call-ID {}</div>{}</div>",
            esc(tr(
                lang,
                if l.outcome == "succeeded" {
                    "ladder.heading_last"
                } else {
                    "ladder.heading_failing"
                }
            )),
            esc(&l.call_id),
            ladder_svg_in(l, &registrar, lang)
        );
    }
    if !a.unexplained.is_empty() {
        let _ = write!(
            h,
            "<h2>{}</h2><div class=\"card\"><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(tr(lang, "unexplained.heading")),
            esc(tr(lang, "column.error")),
            esc(tr(lang, "column.count")),
            esc(tr(lang, "column.first_seen"))
        );
        for u in &a.unexplained {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"mono\">{}:{} {}</td></tr>",
                esc(&u.text),
                u.count,
                esc(&u.first.member),
                u.first.line,
                esc(u.first.time.as_deref().unwrap_or(""))
            );
        }
        let _ = writeln!(h, "</table></div>");
    }
    let t = &a.totals;
    let _ = write!(
        h,
        "<h2>{}</h2><div class=\"card\"><p>{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(tr(lang, "inventory.heading_short")),
        esc(&trf(
            lang,
            "inventory.summary",
            &[
                ("members", &t.members),
                ("parsed", &t.parsed),
                ("skipped", &t.skipped),
                ("failed", &t.failed)
            ]
        )),
        esc(tr(lang, "column.member")),
        esc(tr(lang, "column.format")),
        esc(tr(lang, "column.status")),
        esc(tr(lang, "column.records")),
        esc(tr(lang, "column.sip")),
        esc(tr(lang, "column.note"))
    );
    for e in &a.inventory {
        let _ = write!(
            h,
            "<tr><td class=\"mono\">{}</td><td>{}</td><td class=\"status-{s}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.path),
            e.format,
            esc(i18n::status(lang, e.status.as_str())),
            e.counts.records,
            e.counts.sip_messages,
            esc(&e
                .reason
                .as_deref()
                .map(|r| i18n::inventory_note(lang, r))
                .unwrap_or_default()),
            s = e.status.as_str()
        );
    }
    let _ = write!(
        h,
        "</table></div>\n<p class=\"muted\">sfbtriage {} · schema {}</p></main></body></html>\n",
        env!("CARGO_PKG_VERSION"),
        super::SCHEMA
    );
    out.write_all(h.as_bytes())
}

fn summary(h: &mut String, a: &Analysis) {
    let lang = a.lang;
    let mut rows = Vec::new();
    if let Some(u) = &a.user.sip_uri {
        rows.push((tr(lang, "who.user_title"), u.clone()));
    }
    if let Some(c) = &a.user.client {
        rows.push((tr(lang, "who.client_title"), c.clone()));
    }
    if let Some(r) = &a.user.registrar {
        rows.push((tr(lang, "who.registrar_title"), r.clone()));
    }
    if let Some(c) = &a.clock {
        let rel = i18n::clock_relation(lang, c);
        rows.push((
            tr(lang, "who.clock_title"),
            trf(
                lang,
                "who.clock_value",
                &[
                    ("zone", &c.zone()),
                    ("relation", &rel),
                    ("samples", &c.samples),
                ],
            ),
        ));
    }
    if rows.is_empty() {
        return;
    }
    let _ = write!(h, "<div class=\"card\"><table>");
    for (k, v) in rows {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
    }
    let _ = writeln!(h, "</table></div>");
}

fn cause(h: &mut String, c: &CauseFinding, lang: Lang) {
    let _ = write!(
        h,
        "<div class=\"card cause\" id=\"cause-{}\"><h3>#{} {} <span class=\"pill {}\">{} {:.2}</span></h3><div class=\"muted mono\">{}</div><ul class=\"reasons\">",
        esc(&c.id.0),
        c.rank,
        esc(&c.title),
        c.confidence_label,
        esc(i18n::confidence(lang, c.confidence_label)),
        c.confidence,
        esc(&c.id.0)
    );
    for r in &c.reasons {
        let (class, sign) = if r.effect == Effect::Supports {
            ("", "+")
        } else {
            (" class=\"opp\"", "−")
        };
        let _ = write!(
            h,
            "<li{class}>{sign} {} ({}×) <span class=\"muted mono\">{}:{}</span></li>",
            esc(&r.summary),
            r.count,
            esc(&r.first.member),
            r.first.line
        );
    }
    let _ = write!(
        h,
        "</ul><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(tr(lang, "column.where")),
        esc(tr(lang, "column.time")),
        esc(tr(lang, "column.what"))
    );
    for e in &c.evidence {
        let _ = write!(
            h,
            "<tr><td class=\"mono\">{}:{}</td><td class=\"mono time\">{}</td><td>{}</td></tr>",
            esc(&e.member),
            e.line,
            esc(e.time.as_deref().unwrap_or("")),
            esc(&e.text)
        );
    }
    let _ = write!(
        h,
        "</table><p><b>{}</b> {}</p>",
        esc(tr(lang, "cause.what_to_do_title")),
        esc(&c.resolution)
    );
    if !c.look_alikes.is_empty() {
        let ids: Vec<String> = c.look_alikes.iter().map(|l| esc(&l.id.0)).collect();
        let _ = write!(
            h,
            "<p class=\"muted\"><b>{}</b> {}. {}</p>",
            esc(tr(lang, "cause.looks_like_title")),
            ids.join(", "),
            esc(&c.distinguish)
        );
    }
    let _ = writeln!(
        h,
        "<p class=\"muted\">{} <a href=\"{}\">{}</a></p></div>",
        esc(tr(lang, "cause.source_title")),
        esc(&c.article.url),
        esc(&c.article.section)
    );
}

/// Kinds of moment: code, legend message key, colour.
const KINDS: [(&str, &str, &str); 6] = [
    ("register", "timeline.register", "#667085"),
    ("challenge", "timeline.challenge", "#b54708"),
    ("accepted", "timeline.accepted", "#067647"),
    ("rejected", "timeline.rejected", "#b42318"),
    ("evidence", "timeline.evidence", "#b42318"),
    ("unexplained", "timeline.unexplained", "#7a2e0e"),
];

/// A strip per kind of moment, time running left to right (legend in English).
pub fn timeline_svg(t: &Timeline) -> String {
    timeline_svg_in(t, Lang::En)
}

/// [`timeline_svg`] with its legend in `lang`.
pub fn timeline_svg_in(t: &Timeline, lang: Lang) -> String {
    let (w, left, right, lane) = (960.0, 150.0, 20.0, 30.0);
    let lanes: Vec<_> = KINDS
        .iter()
        .filter(|(k, _, _)| t.moments.iter().any(|m| m.kind == *k))
        .collect();
    let attempt_lane = usize::from(!t.attempts.is_empty());
    let height = 40.0 + lane * (lanes.len() + attempt_lane) as f64;
    let span = t
        .moments
        .iter()
        .filter_map(|m| m.offset_seconds)
        .chain(t.attempts.iter().map(|a| a.to_seconds))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let x = |s: f64| left + (w - left - right) * s / span;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {w} {height}\" width=\"100%\">",
        esc(tr(lang, "timeline.aria"))
    );
    if attempt_lane == 1 {
        // One bar per sign-in attempt, coloured by its outcome.
        let y = 20.0 + lane / 2.0;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"12\" fill=\"#344054\">sign-in attempts</text>",
            y + 4.0
        );
        for a in &t.attempts {
            let color = match a.outcome {
                AttemptOutcome::Registered => "#067647",
                AttemptOutcome::NoAnswer => "#b54708",
                _ => "#d92d20",
            };
            let (x1, x2) = (x(a.from_seconds), x(a.to_seconds));
            let _ = write!(
                svg,
                "<rect class=\"attempt-span\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"12\" rx=\"3\" fill=\"{color}\"><title>{} attempt, {}: reached {}</title></rect>",
                x1,
                y - 6.0,
                (x2 - x1).max(4.0),
                esc(a.start.as_deref().unwrap_or("")),
                a.outcome.as_str(),
                a.phase.as_str()
            );
        }
    }
    for (i, (kind, label, color)) in lanes.iter().enumerate() {
        let y = 20.0 + lane * (i + attempt_lane) as f64 + lane / 2.0;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"12\" fill=\"{color}\">{}</text><line x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#eaecf0\"/>",
            y + 4.0,
            esc(tr(lang, label)),
            w - right
        );
        for m in t.moments.iter().filter(|m| m.kind == *kind) {
            let Some(s) = m.offset_seconds else { continue };
            let (r, stroke) = if m.failing {
                (6.0, "#7a271a")
            } else {
                (4.0, "none")
            };
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"{r}\" fill=\"{}\" stroke=\"{stroke}\"><title>{} {} ({}:{})</title></circle>",
                x(s),
                if m.failing { "#d92d20" } else { color },
                esc(m.time.as_deref().unwrap_or("")),
                esc(&m.text),
                esc(&m.member),
                m.line
            );
        }
    }
    let first = t
        .moments
        .iter()
        .find(|m| m.offset_seconds.is_some())
        .and_then(|m| m.time.clone())
        .unwrap_or_default();
    let last = t
        .moments
        .iter()
        .rev()
        .find(|m| m.offset_seconds.is_some())
        .and_then(|m| m.time.clone())
        .unwrap_or_default();
    let _ = write!(
        svg,
        "<text x=\"{left}\" y=\"12\" font-size=\"11\" fill=\"#5d6675\">{}</text><text x=\"{:.1}\" y=\"12\" font-size=\"11\" fill=\"#5d6675\" text-anchor=\"end\">{}</text></svg>",
        esc(&first),
        w - right,
        esc(&last)
    );
    svg
}

/// Client and registrar as two lifelines with one arrow per message, as Snooper draws it.
pub fn ladder_svg(l: &Ladder, registrar: &str) -> String {
    ladder_svg_in(l, registrar, Lang::En)
}

/// [`ladder_svg`] with its labels in `lang`.
pub fn ladder_svg_in(l: &Ladder, registrar: &str, lang: Lang) -> String {
    let (w, row) = (960.0, 46.0);
    let (cx, rx) = (260.0, 860.0);
    let height = 60.0 + row * l.steps.len() as f64;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {w} {height}\" width=\"100%\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#344054\"/></marker></defs>",
        esc(tr(lang, "ladder.aria"))
    );
    let _ = write!(
        svg,
        "<text x=\"{cx}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">{}</text><text x=\"{rx}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">{}</text><line x1=\"{cx}\" x2=\"{cx}\" y1=\"26\" y2=\"{height}\" stroke=\"#98a2b3\"/><line x1=\"{rx}\" x2=\"{rx}\" y1=\"26\" y2=\"{height}\" stroke=\"#98a2b3\"/>",
        esc(tr(lang, "ladder.client")),
        esc(registrar)
    );
    for (i, s) in l.steps.iter().enumerate() {
        let y = 50.0 + row * i as f64;
        let (x1, x2) = match s.direction {
            Direction::Received => (rx, cx),
            _ => (cx, rx),
        };
        let failing = s.status.is_some_and(|st| st >= 300)
            && (s.diagnostics.is_some() || s.status != Some(401));
        let color = if failing {
            "#d92d20"
        } else if s.status.is_some_and(|st| (200..300).contains(&st)) {
            "#067647"
        } else {
            "#344054"
        };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"12\" fill=\"#5d6675\">{}</text><line x1=\"{x1}\" x2=\"{x2}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{color}\" stroke-width=\"{}\" marker-end=\"url(#arrow)\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"13\" fill=\"{color}\" font-weight=\"{}\">{}</text>",
            y + 4.0,
            esc(s.time.as_deref().unwrap_or("")),
            if failing { 2.5 } else { 1.5 },
            (cx + rx) / 2.0,
            y - 6.0,
            if failing { 700 } else { 400 },
            esc(&s.label)
        );
        if let Some(d) = &s.diagnostics {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#b42318\">{}</text>",
                (cx + rx) / 2.0,
                y + 16.0,
                esc(d)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(esc("a\u{1b}b"), "a\u{FFFD}b");
    }
}

//! The batch overview: one self-contained page over many bundles' analyses.
//!
//! This module owns `index.html` of `batch --html-dir` (and the same page for a multi-file
//! drop on `serve`): counts of bundles by verdict and by top cause as inline-SVG bars, the
//! cause mix over the bundles' dates, and the table of bundles — sortable, filterable by cause,
//! verdict and text, each row linking its report. Like the reports, it fetches nothing and its
//! only script is allowed by its hash.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::html::esc;
use super::message_browser::script_hash;
use crate::diagnosis::Analysis;
use crate::i18n::{Lang, tr, trf};

const SCRIPT: &str = include_str!("overview.js");

const STYLE: &str = r#"
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f4f6f9}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 10px}h3{font-size:15px;margin:0 0 6px}
.muted{color:#5d6675}.mono{font-family:ui-monospace,Consolas,monospace;font-size:13px}
.card{background:#fff;border:1px solid #dde2ea;border-radius:10px;padding:14px 18px;margin:12px 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:12px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaecf0;vertical-align:top}
th button{border:0;background:none;padding:0;font:inherit;font-weight:600;color:#475467;cursor:pointer}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin-bottom:8px;font-size:13px}
.filters select,.filters input{font:inherit;padding:2px 6px;border:1px solid #98a2b3;border-radius:6px}
.bad{color:#b42318;font-weight:600}.ok{color:#067647}.nowrap{white-space:nowrap}
svg text{font-family:system-ui,sans-serif;font-size:12px}
"#;

/// Colours of causes in the charts, by the cause's rank in the counts.
const PALETTE: [&str; 10] = [
    "#b42318", "#b54708", "#175cd3", "#6938ef", "#c11574", "#0e9384", "#4e5ba6", "#93370d",
    "#3b7c0f", "#475467",
];
const NONE: &str = "(none)";

/// One bundle of the overview.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewRow {
    pub bundle: String,
    /// Link to the bundle's report, when there is one.
    pub href: Option<String>,
    pub verdict: &'static str,
    pub top_cause: Option<String>,
    pub title: Option<String>,
    pub confidence: Option<f64>,
    pub sip_uri: Option<String>,
    /// Day of the bundle's first dated moment (`YYYY-MM-DD`).
    pub date: Option<String>,
    pub members: usize,
    pub failed: usize,
}

impl OverviewRow {
    pub fn of(bundle: &str, href: Option<String>, a: &Analysis) -> Self {
        let top = a.causes.first();
        OverviewRow {
            bundle: bundle.to_string(),
            href,
            verdict: a.verdict,
            top_cause: top.map(|c| c.id.0.clone()),
            title: top.map(|c| c.title.clone()),
            confidence: top.map(|c| c.confidence),
            sip_uri: a.user.sip_uri.clone(),
            date: a
                .timeline
                .moments
                .iter()
                .find_map(|m| m.time.as_deref())
                .and_then(|t| t.get(..10))
                .map(str::to_string),
            members: a.totals.members,
            failed: a.totals.failed,
        }
    }

    fn cause(&self) -> &str {
        self.top_cause.as_deref().unwrap_or(NONE)
    }
}

/// Count by key, most frequent first (ties by name).
fn counts<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<(&'a str, usize)> {
    let mut m: BTreeMap<&str, usize> = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_default() += 1;
    }
    let mut v: Vec<_> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

fn bars(title: &str, counts: &[(&str, usize)], colour: impl Fn(&str) -> &'static str) -> String {
    let (w, lw, row) = (480.0, 210.0, 24.0);
    let max = counts.iter().map(|c| c.1).max().unwrap_or(1).max(1) as f64;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {w} {:.0}\" width=\"100%\">",
        esc(title),
        row * counts.len() as f64 + 4.0
    );
    for (i, (k, n)) in counts.iter().enumerate() {
        let y = row * i as f64;
        let bw = ((w - lw - 40.0) * *n as f64 / max).max(2.0);
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{:.0}\">{}</text><rect x=\"{lw}\" y=\"{:.0}\" width=\"{bw:.1}\" height=\"16\" fill=\"{}\"><title>{}: {n}</title></rect><text x=\"{:.1}\" y=\"{:.0}\">{n}</text>",
            y + 16.0,
            esc(k),
            y + 4.0,
            colour(k),
            esc(k),
            lw + bw + 6.0,
            y + 16.0
        );
    }
    s.push_str("</svg>");
    s
}

/// Stacked bars: for each date, the bundles by top cause.
fn dates_svg(rows: &[OverviewRow], lang: Lang, colour: &impl Fn(&str) -> &'static str) -> String {
    let mut by_date: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in rows {
        by_date
            .entry(r.date.as_deref().unwrap_or(tr(lang, "overview.undated")))
            .or_default()
            .push(r.cause());
    }
    let (w, h, top, bottom) = (960.0, 220.0, 10.0, 40.0);
    let max = by_date.values().map(Vec::len).max().unwrap_or(1).max(1) as f64;
    let slot = (w - 40.0) / by_date.len().max(1) as f64;
    let bw = (slot * 0.7).min(60.0);
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {w} {h}\" width=\"100%\"><line x1=\"30\" x2=\"{w}\" y1=\"{:.0}\" y2=\"{:.0}\" stroke=\"#98a2b3\"/><text x=\"0\" y=\"{:.0}\">{}</text>",
        esc(tr(lang, "overview.by_date_label")),
        h - bottom,
        h - bottom,
        top + 10.0,
        max as usize
    );
    for (i, (date, causes)) in by_date.iter().enumerate() {
        let x = 40.0 + slot * i as f64 + (slot - bw) / 2.0;
        let mut y = h - bottom;
        for (cause, n) in counts(causes.iter().copied()) {
            let bh = (h - top - bottom) * n as f64 / max;
            y -= bh;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{} {}: {n}</title></rect>",
                colour(cause),
                esc(date),
                esc(cause)
            );
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.0}\" text-anchor=\"middle\">{}</text>",
            x + bw / 2.0,
            h - bottom + 16.0,
            esc(date)
        );
    }
    s.push_str("</svg>");
    s
}

/// The overview's Content-Security-Policy: nothing from outside, inline style, its own script.
pub fn policy() -> String {
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {}; base-uri 'none'; form-action 'none'",
        script_hash(SCRIPT)
    )
}

/// The overview page of `rows`, titled `title`, its texts in `lang` (the rows' texts are
/// already in the language their analyses were localized to).
pub fn render(
    title: &str,
    rows: &[OverviewRow],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let by_cause = counts(rows.iter().map(OverviewRow::cause));
    let by_verdict = counts(rows.iter().map(|r| r.verdict));
    let ranked: Vec<&str> = by_cause.iter().map(|c| c.0).collect();
    let colour = |k: &str| -> &'static str {
        if k == NONE || k == "no-cause-found" {
            return "#067647";
        }
        if k == "cause-found" {
            return "#b42318";
        }
        ranked
            .iter()
            .filter(|c| **c != NONE)
            .position(|c| *c == k)
            .map(|i| PALETTE[i % PALETTE.len()])
            .unwrap_or("#475467")
    };
    let mut h = String::new();
    let policy = policy();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{}\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body><main>\n<h1>{}</h1><p class=\"muted\">{}</p>\n",
        lang.code(),
        esc(&policy),
        esc(title),
        esc(title),
        esc(&trf(
            lang,
            "overview.summary",
            &[
                ("count", &rows.len()),
                (
                    "found",
                    &rows.iter().filter(|r| r.top_cause.is_some()).count(),
                ),
                (
                    "none",
                    &rows.iter().filter(|r| r.top_cause.is_none()).count(),
                ),
                ("failed", &rows.iter().filter(|r| r.failed > 0).count()),
            ]
        ))
    );
    let _ = write!(
        h,
        "<div class=\"grid\"><div class=\"card\"><h3>{}</h3>{}</div><div class=\"card\"><h3>{}</h3>{}</div></div>\n<div class=\"card\"><h3>{}</h3>{}</div>\n",
        esc(tr(lang, "overview.by_verdict")),
        bars(tr(lang, "overview.by_verdict_label"), &by_verdict, colour),
        esc(tr(lang, "overview.by_cause")),
        bars(tr(lang, "overview.by_cause_label"), &by_cause, colour),
        esc(tr(lang, "overview.by_date")),
        dates_svg(rows, lang, &colour)
    );
    let any = esc(tr(lang, "overview.any"));
    let _ = write!(
        h,
        "<h2>{}</h2><div class=\"card\"><div class=\"filters\"><label>{} <select id=\"f-cause\"><option value=\"\">{any}</option>",
        esc(tr(lang, "overview.bundles")),
        esc(tr(lang, "overview.cause")),
    );
    let mut names: Vec<&str> = ranked.clone();
    names.sort_unstable();
    for c in names {
        let _ = write!(h, "<option>{}</option>", esc(c));
    }
    let _ = write!(
        h,
        "</select></label><label>{} <select id=\"f-verdict\"><option value=\"\">{any}</option><option>cause-found</option><option>no-cause-found</option></select></label><label>{} <input type=\"search\" id=\"f-text\"></label><span id=\"f-count\" class=\"muted\" data-template=\"{}\"></span></div>",
        esc(tr(lang, "overview.verdict")),
        esc(tr(lang, "overview.text")),
        esc(tr(lang, "overview.shown")),
    );
    let col = |k: &str| esc(tr(lang, &format!("overview.col_{k}")));
    let _ = writeln!(
        h,
        "<table id=\"bundles\"><thead><tr><th><button type=\"button\">{}</button></th><th><button type=\"button\">{}</button></th><th><button type=\"button\">{}</button></th><th><button type=\"button\" data-numeric=\"1\">{}</button></th><th><button type=\"button\">{}</button></th><th><button type=\"button\" data-numeric=\"1\">{}</button></th><th><button type=\"button\" data-numeric=\"1\">{}</button></th></tr></thead><tbody>",
        col("bundle"),
        col("user"),
        col("cause"),
        col("confidence"),
        col("date"),
        col("members"),
        col("failed"),
    );
    for r in rows {
        let name = match &r.href {
            Some(href) => format!(
                "<a href=\"{}\" target=\"_blank\" rel=\"noopener\">{}</a>",
                esc(href),
                esc(&r.bundle)
            ),
            None => esc(&r.bundle),
        };
        let cause = match (&r.top_cause, &r.title) {
            (Some(id), Some(t)) => format!(
                "<span class=\"bad mono\">{}</span><br><span class=\"muted\">{}</span>",
                esc(id),
                esc(t)
            ),
            _ => format!(
                "<span class=\"ok\">{}</span>",
                esc(tr(lang, "overview.no_cause"))
            ),
        };
        let _ = writeln!(
            h,
            "<tr data-cause=\"{}\" data-verdict=\"{}\"><td class=\"mono\">{name}</td><td class=\"mono\">{}</td><td data-v=\"{}\">{cause}</td><td data-v=\"{}\">{}</td><td class=\"mono nowrap\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(r.cause()),
            r.verdict,
            esc(r.sip_uri.as_deref().unwrap_or("")),
            esc(r.cause()),
            r.confidence.map(|c| format!("{c:.2}")).unwrap_or_default(),
            r.confidence
                .map(|c| format!("{c:.2}"))
                .unwrap_or_else(|| "—".into()),
            esc(r.date.as_deref().unwrap_or("")),
            r.members,
            r.failed
        );
    }
    let _ = write!(
        h,
        "</tbody></table></div>\n<p class=\"muted\">sfbtriage {}</p></main><script>{SCRIPT}</script></body></html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out.write_all(h.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(bundle: &str, cause: Option<&str>, date: &str) -> OverviewRow {
        OverviewRow {
            bundle: bundle.into(),
            href: Some(format!("{bundle}.html")),
            verdict: if cause.is_some() {
                "cause-found"
            } else {
                "no-cause-found"
            },
            top_cause: cause.map(str::to_string),
            title: cause.map(|c| format!("title of {c}")),
            confidence: cause.map(|_| 0.9),
            sip_uri: None,
            date: Some(date.into()),
            members: 3,
            failed: 0,
        }
    }

    #[test]
    fn counts_bars_dates_and_rows_escaped() {
        let rows = vec![
            row("a.zip", Some("clock-skew"), "2026-11-03"),
            row("b.zip", Some("clock-skew"), "2026-11-04"),
            row("<c>.zip", None, "2026-11-04"),
        ];
        let mut out = Vec::new();
        render("Batch", &rows, Lang::En, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("3 bundles: 2 with a documented cause, 1 without"));
        assert!(html.contains("<title>clock-skew: 2</title>"), "cause bar");
        assert!(
            html.contains("<title>no-cause-found: 1</title>"),
            "verdict bar"
        );
        assert!(
            html.contains("<title>2026-11-04 clock-skew: 1</title>"),
            "date stack"
        );
        assert!(html.contains("<a href=\"a.zip.html\""));
        assert!(html.contains("&lt;c&gt;.zip") && !html.contains("<c>"));
        assert_eq!(html.matches("<tr data-cause").count(), 3);
        assert!(html.contains(&esc(&script_hash(SCRIPT))));
    }
}

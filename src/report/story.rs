//! The sign-in story in sentences, shared by the text, Markdown and HTML reports: how many
//! attempts, when the user last signed in, since when it fails and how, what the verdict is
//! when no documented cause matches, and the earlier problems that were resolved. Every
//! sentence comes from the `[story]` messages of `rules/i18n/chrome.<lang>.toml`, in the
//! analysis' language; times stay ISO 8601 and codes as logged.

use crate::diagnosis::Analysis;
use crate::i18n::{Lang, plural, tr, trf};
use crate::model::{AttemptOutcome, Phase};

/// The phase as a noun for sentences (`rejected at authentication`).
pub fn phase_noun(lang: Lang, p: Phase) -> &'static str {
    tr(lang, &format!("story.phase_{}", p.as_str()))
}

/// `2026-11-05T08:10` from an ISO time (minutes are enough in a sentence).
fn minute(t: &str) -> &str {
    t.get(..16).unwrap_or(t)
}

/// `8 sign-in attempts over 4 days; last success 2026-11-04T08:49; failing since
/// 2026-11-05T08:10 (4 attempts, each rejected at authentication: SIP 401, ms-diagnostics 1000)`.
pub fn attempts_summary(a: &Analysis) -> Option<String> {
    if a.attempts_total == 0 {
        return None;
    }
    let lang = a.lang;
    let n = a.attempts_total as u64;
    let days: std::collections::BTreeSet<&str> = a
        .attempts
        .iter()
        .filter_map(|x| x.start.as_deref().and_then(|t| t.get(..10)))
        .collect();
    let mut s = plural(lang, "story.attempts", n, &[("count", &n)]);
    if days.len() > 1 {
        s.push_str(&trf(lang, "story.over_days", &[("days", &days.len())]));
    }
    let last_success = a
        .attempts
        .iter()
        .rev()
        .find(|x| x.outcome == AttemptOutcome::Registered)
        .and_then(|x| x.start.as_deref());
    let unknown = tr(lang, "story.unknown_time");
    match (&a.current_problem, last_success) {
        (Some(cur), success) => {
            match success {
                Some(t) => s.push_str(&trf(lang, "story.last_success", &[("time", &minute(t))])),
                None => s.push_str(tr(lang, "story.none_succeeded")),
            }
            let current: Vec<_> = a.attempts.iter().filter(|x| x.part == "current").collect();
            let same_phase = current.iter().all(|x| x.phase == cur.phase);
            let phase = phase_noun(lang, cur.phase);
            let how = match cur.outcome {
                AttemptOutcome::Terminated => tr(lang, "story.how_terminated").to_string(),
                AttemptOutcome::NoAnswer => trf(lang, "story.how_no_answer", &[("phase", &phase)]),
                _ if same_phase && cur.attempts > 1 => {
                    trf(lang, "story.how_each", &[("phase", &phase)])
                }
                _ => trf(lang, "story.how_one", &[("phase", &phase)]),
            };
            let code = cur
                .code
                .as_deref()
                .map(|c| format!(": {c}"))
                .unwrap_or_default();
            let count = cur.attempts as u64;
            s.push_str(&trf(
                lang,
                "story.failing_since",
                &[
                    (
                        "since",
                        &cur.since.as_deref().map(minute).unwrap_or(unknown),
                    ),
                    (
                        "attempts",
                        &plural(lang, "story.failing_attempts", count, &[("count", &count)]),
                    ),
                    ("how", &how),
                    ("code", &code),
                ],
            ));
        }
        (None, Some(t)) => s.push_str(&trf(lang, "story.last_ok", &[("time", &minute(t))])),
        (None, None) => {}
    }
    // A last attempt the log cut short after the server had answered (see
    // `attempts::Episodes::in_progress`): neither success nor failure.
    if let Some(last) = a.attempts.last()
        && a.current_problem.is_none()
        && last.outcome == AttemptOutcome::NoAnswer
        && last.part == "current"
    {
        s.push_str(&trf(
            lang,
            "story.in_progress",
            &[("phase", &phase_noun(lang, last.phase))],
        ));
    }
    Some(s)
}

/// The verdict in words when no cause is reported: `(headline, explanation)`.
pub fn no_cause_verdict(a: &Analysis) -> (String, String) {
    let lang = a.lang;
    match (a.verdict, &a.current_problem) {
        ("failing-unexplained", Some(cur)) => {
            let count = cur.attempts as u64;
            (
                tr(lang, "story.failing_headline").to_string(),
                plural(
                    lang,
                    "story.failing_detail",
                    count,
                    &[
                        ("count", &count),
                        (
                            "since",
                            &cur.since
                                .as_deref()
                                .map(minute)
                                .unwrap_or(tr(lang, "story.unknown_time")),
                        ),
                        ("phase", &phase_noun(lang, cur.phase)),
                        (
                            "code",
                            &cur.code
                                .as_deref()
                                .unwrap_or(tr(lang, "story.no_final_answer")),
                        ),
                        ("section", &tr(lang, "unexplained.heading")),
                    ],
                ),
            )
        }
        ("signed-in-now", _) => (
            tr(lang, "story.signed_in_headline").to_string(),
            if a.history.is_empty() {
                tr(lang, "story.signed_in_detail").to_string()
            } else {
                tr(lang, "story.signed_in_history").to_string()
            },
        ),
        _ => (
            format!("{}.", tr(lang, "verdict.no_cause")),
            format!(
                "{} {}",
                tr(lang, "verdict.no_cause_detail"),
                tr(lang, "verdict.no_cause_hint")
            ),
        ),
    }
}

/// One line per resolved earlier problem: `2026-10-27T09:00 to 09:05: 3 attempts failed at
/// authentication (SIP 401, ms-diagnostics 1013), pointing to clock-skew; resolved: signed in
/// at 2026-10-27T10:30`.
pub fn history_lines(a: &Analysis) -> Vec<String> {
    let lang = a.lang;
    a.history
        .iter()
        .map(|h| {
            let from = h.from.as_deref().map(minute).unwrap_or("?");
            let to =
                h.to.as_deref()
                    .map(|t| {
                        if t.get(..10) == h.from.as_deref().and_then(|f| f.get(..10)) {
                            t.get(11..16).unwrap_or(t)
                        } else {
                            minute(t)
                        }
                    })
                    .unwrap_or("?");
            let code = h
                .code
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let causes = if h.cause_ids.is_empty() {
                tr(lang, "story.history_no_cause").to_string()
            } else {
                h.cause_ids
                    .iter()
                    .map(|c| c.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let resolved = h
                .resolved_by
                .as_deref()
                .map(|r| trf(lang, "story.history_resolved", &[("time", &minute(r))]))
                .unwrap_or_default();
            let count = h.attempts as u64;
            plural(
                lang,
                "story.history_line",
                count,
                &[
                    ("from", &from),
                    ("to", &to),
                    ("count", &count),
                    ("phase", &phase_noun(lang, h.phase)),
                    ("code", &code),
                    ("causes", &causes),
                    ("resolved", &resolved),
                ],
            )
        })
        .collect()
}

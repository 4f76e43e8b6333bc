//! The sign-in story in sentences, shared by the text, Markdown and HTML reports: how many
//! attempts, when the user last signed in, since when it fails and how, what the verdict is
//! when no documented cause matches, and the earlier problems that were resolved.

use crate::diagnosis::Analysis;
use crate::model::AttemptOutcome;

/// The phase as a noun for sentences (`rejected at authentication`).
pub fn phase_noun(p: crate::model::Phase) -> &'static str {
    use crate::model::Phase;
    match p {
        Phase::Discovery => "discovery",
        Phase::Connect => "connection",
        Phase::Authenticate => "authentication",
        Phase::Register => "registration",
        Phase::Registered => "registered",
        Phase::Terminated => "terminated",
    }
}

/// `2026-11-05T08:10` from an ISO time (minutes are enough in a sentence).
fn minute(t: &str) -> &str {
    t.get(..16).unwrap_or(t)
}

/// `8 attempts over 4 days; last success 2026-11-04T08:49; failing since 2026-11-05T08:10
/// (4 attempts, each rejected at authentication: SIP 401, ms-diagnostics 1000)`.
pub fn attempts_summary(a: &Analysis) -> Option<String> {
    if a.attempts_total == 0 {
        return None;
    }
    let n = a.attempts_total;
    let plural = |k: usize, one: &str, many: &str| {
        if k == 1 {
            format!("{k} {one}")
        } else {
            format!("{k} {many}")
        }
    };
    let days: std::collections::BTreeSet<&str> = a
        .attempts
        .iter()
        .filter_map(|x| x.start.as_deref().and_then(|t| t.get(..10)))
        .collect();
    let mut s = plural(n, "sign-in attempt", "sign-in attempts");
    if days.len() > 1 {
        s.push_str(&format!(" over {} days", days.len()));
    }
    let last_success = a
        .attempts
        .iter()
        .rev()
        .find(|x| x.outcome == AttemptOutcome::Registered)
        .and_then(|x| x.start.as_deref());
    match (&a.current_problem, last_success) {
        (Some(cur), success) => {
            match success {
                Some(t) => s.push_str(&format!("; last success {}", minute(t))),
                None => s.push_str("; none succeeded"),
            }
            let current: Vec<_> = a.attempts.iter().filter(|x| x.part == "current").collect();
            let same_phase = current.iter().all(|x| x.phase == cur.phase);
            let how = match cur.outcome {
                AttemptOutcome::Terminated => "signed out by the server".to_string(),
                AttemptOutcome::NoAnswer => format!("no answer at {}", phase_noun(cur.phase)),
                _ if same_phase && cur.attempts > 1 => {
                    format!("each rejected at {}", phase_noun(cur.phase))
                }
                _ => format!("rejected at {}", phase_noun(cur.phase)),
            };
            let code = cur
                .code
                .as_deref()
                .map(|c| format!(": {c}"))
                .unwrap_or_default();
            s.push_str(&format!(
                "; failing since {} ({}, {how}{code})",
                cur.since
                    .as_deref()
                    .map(minute)
                    .unwrap_or("an unknown time"),
                plural(cur.attempts, "attempt", "attempts"),
            ));
        }
        (None, Some(t)) => s.push_str(&format!("; the last one succeeded ({})", minute(t))),
        (None, None) => {}
    }
    Some(s)
}

/// The verdict in words when no cause is reported: `(headline, explanation)`.
pub fn no_cause_verdict(a: &Analysis) -> (String, String) {
    match (a.verdict, &a.current_problem) {
        ("failing-unexplained", Some(cur)) => (
            "Sign-in is failing; no documented cause matches.".to_string(),
            format!(
                "Sign-in failed {} time{} since {}, at {}, with {}; no documented cause matches. The failing codes and what they mean by the protocol are listed under \"Errors no rule explains\".",
                cur.attempts,
                if cur.attempts == 1 { "" } else { "s" },
                cur.since.as_deref().map(minute).unwrap_or("an unknown time"),
                phase_noun(cur.phase),
                cur.code.as_deref().unwrap_or("no final answer"),
            ),
        ),
        ("signed-in-now", _) => (
            "The user can sign in now.".to_string(),
            if a.history.is_empty() {
                "The last sign-in attempt in the logs succeeded and nothing in these files matches a documented sign-in failure.".to_string()
            } else {
                "The last sign-in attempt in the logs succeeded; the earlier problems below were resolved.".to_string()
            },
        ),
        _ => (
            "No documented cause found.".to_string(),
            "Nothing in these files matches a documented sign-in failure. Check the inventory below: a missing or skipped client log means there was little to read.".to_string(),
        ),
    }
}

/// One line per resolved earlier problem: `2026-10-27T09:00 to 09:05: 3 attempts failed at
/// authentication (SIP 401, ms-diagnostics 1013), pointing to clock-skew; resolved: signed in
/// at 2026-10-27T10:30`.
pub fn history_lines(a: &Analysis) -> Vec<String> {
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
                "no documented cause".to_string()
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
                .map(|r| format!("; resolved: signed in at {}", minute(r)))
                .unwrap_or_default();
            format!(
                "{from} to {to}: {} attempt{} failed at {}{code}, pointing to {causes}{resolved}",
                h.attempts,
                if h.attempts == 1 { "" } else { "s" },
                phase_noun(h.phase)
            )
        })
        .collect()
}

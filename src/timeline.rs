//! The incident on one time axis: sign-in attempts, errors and Windows events, in order.
//!
//! This module owns putting every notable moment of the bundle — each REGISTER exchange
//! (challenge, acceptance, rejection), every piece of evidence behind a reported cause,
//! every unexplained error — on one time-ordered list, whatever member it came from, and
//! choosing the registration to draw as a SIP ladder (the last one that failed, else the last
//! one). Client logs carry local time and Windows events UTC; with the zone estimated from
//! the servers' `Date:` headers, UTC times are moved to the client's local time for ordering
//! (and shown with `Z`), so client and event records interleave correctly.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::clock::format_time;
use crate::correlate::{ClockEstimate, LadderStep, Registration};
use crate::events::Evidence;
use crate::model::SignInAttempt;
use crate::parse::sip::Direction;

/// Moments kept on the timeline (the earliest ones; the count says how many there were).
pub const MOMENTS_KEPT: usize = 400;

/// One notable moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moment {
    /// Display time: local with the zone when known, or UTC with `Z`.
    pub time: Option<String>,
    /// Seconds since the first moment with a time (for drawing); `None` without a time.
    pub offset_seconds: Option<f64>,
    pub member: String,
    pub line: u32,
    /// `register`, `challenge`, `accepted`, `rejected`, `evidence` or `unexplained`.
    pub kind: &'static str,
    /// Marks a failing moment (a rejection, evidence of a cause, an unexplained error).
    pub failing: bool,
    pub text: String,
}

/// A SIP ladder: the messages of one REGISTER transaction between client and registrar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ladder {
    pub call_id: String,
    /// `failed` or `succeeded` (or `open` when it never got a final answer).
    pub outcome: &'static str,
    pub steps: Vec<LadderStep>,
}

/// One sign-in attempt as a span of the time axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptSpan {
    /// Seconds since the timeline's origin (the first moment or attempt with a time).
    pub from_seconds: f64,
    pub to_seconds: f64,
    pub outcome: crate::model::AttemptOutcome,
    pub phase: crate::model::Phase,
    /// Display time of its start.
    pub start: Option<String>,
}

/// The timeline of a bundle.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timeline {
    /// The newest [`MOMENTS_KEPT`] moments, in time order.
    pub moments: Vec<Moment>,
    /// All moments found.
    pub total: usize,
    pub ladder: Option<Ladder>,
    /// The sign-in attempts with a time, on the same axis as the moments.
    pub attempts: Vec<AttemptSpan>,
}

struct Pending {
    key: Option<NaiveDateTime>,
    member_index: usize,
    line: u32,
    kind: &'static str,
    failing: bool,
    evidence: Evidence,
}

/// Client-local sort key for an evidence time.
fn local_key(e: &Evidence, clock: Option<&ClockEstimate>) -> Option<NaiveDateTime> {
    let t = e.time?;
    Some(match (e.utc, clock) {
        (true, Some(c)) => c.local_from_utc(t),
        _ => t,
    })
}

fn step_kind(step: &LadderStep) -> (&'static str, bool) {
    match (step.direction, step.status) {
        (_, None) => ("register", false),
        (_, Some(401 | 407)) if step.diagnostics.is_none() => ("challenge", false),
        (_, Some(s)) if (200..300).contains(&s) => ("accepted", false),
        (_, Some(s)) if s < 200 => ("register", false),
        _ => ("rejected", true),
    }
}

/// Build the timeline from the registrations (with their member index), the evidence of the
/// reported causes and the unexplained errors.
pub fn build<'a>(
    registrations: impl Iterator<Item = &'a Registration>,
    evidence: impl Iterator<Item = &'a Evidence>,
    unexplained: impl Iterator<Item = &'a Evidence>,
    attempts: &[SignInAttempt],
    clock: Option<&ClockEstimate>,
) -> Timeline {
    let mut pending: Vec<Pending> = Vec::new();
    let mut ladder_pick: Option<&Registration> = None;
    let mut last_failed: Option<&Registration> = None;
    for reg in registrations {
        if !reg.steps.is_empty() {
            ladder_pick = Some(reg);
            if !reg.succeeded() {
                last_failed = Some(reg);
            }
        }
        for step in &reg.steps {
            let (kind, failing) = step_kind(step);
            let text = match &step.diagnostics {
                Some(d) => format!("{} {}; {d}", dir_word(step.direction), step.label),
                None => format!("{} {}", dir_word(step.direction), step.label),
            };
            pending.push(Pending {
                key: step.local,
                member_index: step.member_index,
                line: step.line,
                kind,
                failing,
                evidence: Evidence {
                    member_index: step.member_index,
                    member: step.member.clone(),
                    line: step.line,
                    time: step.local,
                    text,
                    utc: false,
                    zone_unknown: false,
                },
            });
        }
    }
    for (e, kind) in evidence
        .map(|e| (e, "evidence"))
        .chain(unexplained.map(|e| (e, "unexplained")))
    {
        pending.push(Pending {
            key: local_key(e, clock),
            member_index: e.member_index,
            line: e.line,
            kind,
            failing: true,
            evidence: e.clone(),
        });
    }
    // One moment per place: a registration step that is also evidence keeps the step's kind
    // and becomes failing.
    pending.sort_by(|a, b| {
        a.key
            .cmp(&b.key)
            .then(a.member_index.cmp(&b.member_index))
            .then(a.line.cmp(&b.line))
            .then(a.kind.cmp(b.kind))
    });
    let mut merged: Vec<Pending> = Vec::with_capacity(pending.len());
    for p in pending {
        match merged.last_mut() {
            Some(last)
                if last.member_index == p.member_index
                    && last.line == p.line
                    && last.key == p.key =>
            {
                last.failing |= p.failing;
                if last.kind == "evidence" || last.kind == "unexplained" {
                    last.kind = p.kind;
                }
            }
            _ => merged.push(p),
        }
    }
    let total = merged.len();
    let origin = [
        merged.iter().find_map(|p| p.key),
        attempts.iter().find_map(|a| a.start),
    ]
    .into_iter()
    .flatten()
    .min();
    let seconds = |t: NaiveDateTime, o: NaiveDateTime| (t - o).num_milliseconds() as f64 / 1000.0;
    let spans = match origin {
        Some(o) => attempts
            .iter()
            .filter_map(|a| {
                let start = a.start?;
                Some(AttemptSpan {
                    from_seconds: seconds(start, o),
                    to_seconds: seconds(a.end.unwrap_or(start).max(start), o),
                    outcome: a.outcome,
                    phase: a.phase,
                    start: format_time(a.start, clock),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let moments = merged
        .into_iter()
        .skip(total.saturating_sub(MOMENTS_KEPT))
        .map(|p| Moment {
            time: crate::clock::evidence_time(&p.evidence, clock),
            offset_seconds: p
                .key
                .zip(origin)
                .map(|(k, o)| (k - o).num_milliseconds() as f64 / 1000.0),
            member: p.evidence.member,
            line: p.line,
            kind: p.kind,
            failing: p.failing,
            text: p.evidence.text,
        })
        .collect();
    let ladder = last_failed.or(ladder_pick).map(|reg| Ladder {
        call_id: reg.call_id.clone(),
        outcome: if reg.succeeded() {
            "succeeded"
        } else if reg.final_status.is_some() || reg.challenges >= 3 {
            "failed"
        } else {
            "open"
        },
        steps: reg
            .steps
            .iter()
            .map(|s| LadderStep {
                time: format_time(s.local, clock),
                ..s.clone()
            })
            .collect(),
    });
    Timeline {
        moments,
        total,
        ladder,
        attempts: spans,
    }
}

fn dir_word(d: Direction) -> &'static str {
    match d {
        Direction::Sent => "sent",
        Direction::Received => "received",
        Direction::Unknown => "",
    }
}

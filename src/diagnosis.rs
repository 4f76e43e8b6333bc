//! Diagnosis: the analysis of a bundle, assembled from its parts.
//!
//! This module owns one step: putting together what the earlier stages found into the
//! [`Analysis`] every report renders. It splits the sign-in attempts into the current problem
//! and the resolved history ([`crate::attempts::Episodes`]), places every rule hit on that
//! story by its time (client-log evidence by its local time, Windows events by their UTC time
//! moved into the client's zone with some slack, undated evidence — command output, registry
//! exports, transcripts — as current), has [`crate::score`] rank the causes of the current
//! problem and of each earlier episode separately, so that history never outranks the present,
//! and picks the verdict: `cause-found`, `failing-unexplained` (the sign-in fails now and no
//! documented cause matches: the failing codes are listed under `unexplained`),
//! `signed-in-now` (the last attempt succeeded), or `no-cause-found`. Error responses that no
//! rule explained are kept as "unexplained", never dropped.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::attempts::{Episode, Episodes, Epoch};
use crate::bundle::Status;
use crate::catalog::{Catalog, CauseId};
use crate::clock::ClockEstimate;
use crate::model::{
    AttemptOutcome, Evidence, Identity, InventoryEntry, MemberOutcome, Phase, RuleHits,
    SignInAttempt,
};
use crate::rules::{Effect, RuleSet};

pub use crate::clock::{evidence_time, format_time};
use crate::score::line_of;
pub use crate::score::{
    ArticleLink, CauseFinding, EVIDENCE_SHOWN, EvidenceLine, LookAlike, LookAlikeGroup, Reason,
};

/// Default threshold below which a cause is not reported.
pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.3;
/// Unexplained error kinds shown.
pub const UNEXPLAINED_SHOWN: usize = 20;
/// Attempts listed in the analysis (the newest ones; `attempts_total` counts all).
pub const ATTEMPTS_SHOWN: usize = 500;

/// Error responses of one kind that no rule explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unexplained {
    pub text: String,
    pub count: u64,
    pub first: EvidenceLine,
    /// What the code means by the protocol, where known (SIP status class, ms-diagnostics
    /// range, Windows HRESULT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub members: usize,
    pub parsed: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// Where an attempt's first and last records are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptEvidence {
    pub first: crate::model::Place,
    pub last: crate::model::Place,
}

/// One sign-in attempt, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptReport {
    /// Local time as logged (ISO 8601, with the estimated offset when known).
    pub start: Option<String>,
    pub end: Option<String>,
    /// The same in UTC, when the client's zone is known.
    pub start_utc: Option<String>,
    pub end_utc: Option<String>,
    pub phase: Phase,
    pub outcome: AttemptOutcome,
    /// The deciding code, e.g. `SIP 401, ms-diagnostics 1000, 0x8009030C`; `null` when none.
    pub code: Option<String>,
    pub sip_status: Option<u16>,
    pub ms_diagnostics: Option<u32>,
    pub reason: Option<String>,
    pub hresult: Option<String>,
    /// `current` (part of the current problem, or the sign-in that works now), `history`
    /// (an earlier, resolved problem) or `earlier` (an earlier sign-in that worked).
    pub part: &'static str,
    pub evidence: AttemptEvidence,
}

/// The failure the user has now: the failing attempts after the last successful sign-in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrentProblem {
    /// Start of its first attempt.
    pub since: Option<String>,
    pub attempts: usize,
    /// How far its last attempt got.
    pub phase: Phase,
    pub outcome: AttemptOutcome,
    /// The deciding code of its last attempt.
    pub code: Option<String>,
    /// When the same account last signed in successfully, if the logs show it.
    pub last_success: Option<String>,
}

/// An earlier problem, resolved by a later successful sign-in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEpisode {
    pub from: Option<String>,
    pub to: Option<String>,
    pub attempts: usize,
    /// How far its last attempt got, and with which code.
    pub phase: Phase,
    pub code: Option<String>,
    /// Causes its own evidence supports, most likely first.
    pub cause_ids: Vec<CauseId>,
    /// When the user signed in successfully afterwards.
    pub resolved_by: Option<String>,
}

/// Everything a report shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// The language of the texts (`en`, `fr`, `ja`, `zh-TW`, `zh-CN`); ids and codes are the
    /// same in every language.
    pub lang: crate::i18n::Lang,
    pub inputs: Vec<String>,
    /// `cause-found`, `failing-unexplained`, `signed-in-now` or `no-cause-found`.
    pub verdict: &'static str,
    pub causes: Vec<CauseFinding>,
    /// Groups of reported causes the logs cannot tell apart (empty when there are none).
    pub look_alike_groups: Vec<LookAlikeGroup>,
    pub unexplained: Vec<Unexplained>,
    pub clock: Option<ClockEstimate>,
    pub user: Identity,
    pub totals: Totals,
    pub inventory: Vec<InventoryEntry>,
    pub rules_loaded: usize,
    /// Notable moments of every source in time order, and the SIP ladder of the failing
    /// registration.
    pub timeline: crate::timeline::Timeline,
    /// SIP messages kept whole for the HTML report's message browser (not in the JSON).
    #[serde(skip)]
    pub messages: crate::messages::KeptMessages,
    /// The client's sign-in attempts, oldest first (at most [`ATTEMPTS_SHOWN`], the newest).
    pub attempts: Vec<AttemptReport>,
    /// All attempts found.
    pub attempts_total: usize,
    /// The failure the user has now; `null` when the last attempt succeeded or there is none.
    pub current_problem: Option<CurrentProblem>,
    /// Earlier problems, resolved since, oldest first.
    pub history: Vec<HistoryEpisode>,
}

/// What the pipeline hands the assembly.
pub struct Parts {
    pub outcomes: Vec<MemberOutcome>,
    /// Hits of the fact rules (bundle-wide facts).
    pub fact_hits: Vec<RuleHits>,
    pub clock: Option<ClockEstimate>,
    /// Every client-log attempt, joined across members, oldest first.
    pub attempts: Vec<SignInAttempt>,
    pub episodes: Episodes,
}

/// The client-local time of an evidence, and whether it is timed by another clock (a Windows
/// event) and so compared with some slack; `None` when it has no time or no comparable one.
fn local_time(
    e: &Evidence,
    client_log: bool,
    clock: Option<&ClockEstimate>,
) -> (Option<NaiveDateTime>, bool) {
    if client_log && !e.utc && !e.zone_unknown {
        return (e.time, false);
    }
    if e.utc {
        return match clock {
            Some(c) => (e.time.map(|t| c.local_from_utc(t)), true),
            None => (None, true),
        };
    }
    if e.zone_unknown {
        // The exporting machine's local time: the user's own machine in a user's bundle.
        return (e.time, true);
    }
    // Command output, registry exports, transcripts: not on the client's time axis.
    (None, false)
}

/// Split one rule's hits over the parts of the story. A member keeps its first and last few
/// matches of each rule ([`crate::model::EVIDENCE_PER_RULE`]); matches between them that
/// were counted but not kept are given to the part of the earliest of the last ones.
fn split_hits(
    h: &RuleHits,
    epoch_of: &impl Fn(&Evidence) -> Epoch,
    out: &mut BTreeMap<Epoch, BTreeMap<usize, RuleHits>>,
) {
    let mut kept: BTreeMap<Epoch, Vec<Evidence>> = BTreeMap::new();
    for e in &h.evidence {
        kept.entry(epoch_of(e)).or_default().push(e.clone());
    }
    let unkept = h.count.saturating_sub(h.evidence.len() as u64);
    let tail_epoch = h
        .evidence
        .get(
            h.evidence
                .len()
                .saturating_sub(crate::model::EVIDENCE_PER_RULE / 2),
        )
        .map(epoch_of);
    for (epoch, evidence) in kept {
        let extra = if Some(epoch) == tail_epoch { unkept } else { 0 };
        let slot = out
            .entry(epoch)
            .or_default()
            .entry(h.rule)
            .or_insert_with(|| RuleHits {
                rule: h.rule,
                count: 0,
                evidence: Vec::new(),
            });
        slot.count += evidence.len() as u64 + extra;
        slot.evidence.extend(evidence);
    }
}

fn attempt_report(
    a: &SignInAttempt,
    part: &'static str,
    clock: Option<&ClockEstimate>,
) -> AttemptReport {
    let utc = |t: Option<NaiveDateTime>| {
        let c = clock?;
        Some(
            c.utc_from_local(t?)
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string(),
        )
    };
    AttemptReport {
        start: format_time(a.start, clock),
        end: format_time(a.end, clock),
        start_utc: utc(a.start),
        end_utc: utc(a.end),
        phase: a.phase,
        outcome: a.outcome,
        code: a.code.summary(),
        sip_status: a.code.sip_status,
        ms_diagnostics: a.code.ms_diagnostics,
        reason: a.code.reason.clone(),
        hresult: a.code.hresult.clone(),
        part,
        evidence: AttemptEvidence {
            first: a.first.clone(),
            last: a.last.clone(),
        },
    }
}

/// The protocol meaning of an attempt's code, for `unexplained`: what the protocol-facts table
/// ([`crate::codes`], `rules/codes.toml`) says of its SIP status, ms-diagnostics code and
/// HRESULT, each with its source. Facts, not causes.
pub fn protocol_meaning(
    status: Option<u16>,
    diag: Option<u32>,
    hresult: Option<&str>,
) -> Option<String> {
    use crate::codes::{CodeKind, meaning};
    let hr = hresult.and_then(|h| u32::from_str_radix(h.trim_start_matches("0x"), 16).ok());
    let parts: Vec<String> = [
        status.and_then(|s| meaning(CodeKind::Sip, u32::from(s))),
        diag.and_then(|d| meaning(CodeKind::MsDiagnostics, d)),
        hr.and_then(|h| meaning(CodeKind::Hresult, h)),
    ]
    .into_iter()
    .flatten()
    .map(|m| format!("{}: {} ({})", m.label(), m.text, m.source))
    .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Assemble the analysis of a bundle.
pub fn diagnose(
    inputs: &[PathBuf],
    rules: &RuleSet,
    catalog: &Catalog,
    min_confidence: f64,
    parts: Parts,
) -> Analysis {
    let Parts {
        outcomes,
        fact_hits,
        clock,
        attempts,
        episodes,
    } = parts;
    let clock_ref = clock.as_ref();
    let client_log: Vec<bool> = outcomes
        .iter()
        .map(|o| {
            o.entry
                .as_ref()
                .is_some_and(|e| e.format == crate::detect::Format::UccApiLog.as_str())
        })
        .collect();
    let have_attempts = !attempts.is_empty();
    let epoch_of = |e: &Evidence| -> Epoch {
        if !have_attempts {
            return Epoch::Current;
        }
        let from_log = client_log.get(e.member_index).copied().unwrap_or(false);
        let (t, near) = local_time(e, from_log, clock_ref);
        episodes.epoch(t, near)
    };
    // Hits per part of the story, per rule (members in order, then facts).
    let mut per_epoch: BTreeMap<Epoch, BTreeMap<usize, RuleHits>> = BTreeMap::new();
    for h in outcomes
        .iter()
        .flat_map(|o| o.hits.iter())
        .chain(fact_hits.iter())
    {
        split_hits(h, &epoch_of, &mut per_epoch);
    }
    let empty = BTreeMap::new();
    let scored = crate::score::rank(
        per_epoch.get(&Epoch::Current).unwrap_or(&empty),
        rules,
        catalog,
        min_confidence,
        clock_ref,
    );
    let causes = scored.causes;

    // The story: attempts, the current problem, the history. Each attempt's part, in one pass
    // over the episodes: `earlier` unless an episode, the sign-in that works now or the attempt
    // still under way claims it.
    let last_success = attempts
        .iter()
        .rposition(|a| a.outcome == AttemptOutcome::Registered);
    let mut parts = vec!["earlier"; attempts.len()];
    for e in &episodes.history {
        parts[e.first..=e.last].fill("history");
    }
    if let Some(e) = &episodes.current {
        parts[e.first..=e.last].fill("current");
    }
    if let Some(i) = episodes.in_progress {
        parts[i] = "current";
    }
    if episodes.signed_in_now
        && let Some(i) = last_success
    {
        parts[i] = "current";
    }
    let skip = attempts.len().saturating_sub(ATTEMPTS_SHOWN);
    let attempt_reports: Vec<AttemptReport> = attempts
        .iter()
        .zip(&parts)
        .skip(skip)
        .map(|(a, part)| attempt_report(a, part, clock_ref))
        .collect();
    let last_success = last_success.map(|i| &attempts[i]);
    let current_problem = episodes.current.as_ref().map(|e: &Episode| {
        let last = &attempts[e.last];
        CurrentProblem {
            since: format_time(e.from, clock_ref),
            attempts: e.attempts(),
            phase: last.phase,
            outcome: last.outcome,
            code: last.code.summary(),
            last_success: last_success.and_then(|a| format_time(a.start, clock_ref)),
        }
    });
    let history: Vec<HistoryEpisode> = episodes
        .history
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let ranked = crate::score::rank(
                per_epoch.get(&Epoch::History(i)).unwrap_or(&empty),
                rules,
                catalog,
                min_confidence,
                clock_ref,
            );
            let last = &attempts[e.last];
            HistoryEpisode {
                from: format_time(e.from, clock_ref),
                to: format_time(e.to, clock_ref),
                attempts: e.attempts(),
                phase: last.phase,
                code: last.code.summary(),
                cause_ids: ranked.causes.iter().map(|c| c.id.clone()).collect(),
                resolved_by: format_time(e.resolved_by, clock_ref),
            }
        })
        .collect();

    let mut unexplained: Vec<Unexplained> = Vec::new();
    for e in outcomes.iter().flat_map(|o| o.unexplained.iter()) {
        let key = e.text.trim_start_matches("received ").to_string();
        match unexplained.iter_mut().find(|u| u.text == key) {
            Some(u) => u.count += 1,
            None => {
                // `503 Service Unavailable to REGISTER; ms-diagnostics 4141 "…"`: its codes.
                let status = key
                    .split_whitespace()
                    .next()
                    .and_then(|w| w.parse::<u16>().ok());
                let diag = key.split_once("ms-diagnostics ").and_then(|(_, rest)| {
                    rest.split(|c: char| !c.is_ascii_digit())
                        .next()
                        .and_then(|d| d.parse::<u32>().ok())
                });
                unexplained.push(Unexplained {
                    meaning: protocol_meaning(status, diag, None),
                    text: key,
                    count: 1,
                    first: line_of(e, "", Effect::Supports, clock_ref),
                })
            }
        }
    }
    // A sign-in that fails now with no documented cause: its failing codes, first.
    let failing_unexplained = causes.is_empty() && current_problem.is_some();
    if failing_unexplained && let Some(cur) = &episodes.current {
        let mut codes: Vec<Unexplained> = Vec::new();
        for a in &attempts[cur.first..=cur.last] {
            let text = match (a.code.summary(), &a.code.reason) {
                (Some(c), Some(r)) => format!(
                    "{} at {}: {c} \"{r}\"",
                    a.outcome.as_str(),
                    a.phase.as_str()
                ),
                (Some(c), None) => format!("{} at {}: {c}", a.outcome.as_str(), a.phase.as_str()),
                (None, _) => format!(
                    "{} at {}: no final answer",
                    a.outcome.as_str(),
                    a.phase.as_str()
                ),
            };
            match codes.iter_mut().find(|u| u.text == text) {
                Some(u) => u.count += 1,
                None => {
                    let e = Evidence::new(
                        a.last.member_index,
                        &a.last.member,
                        a.last.line,
                        a.last.time,
                        &text,
                    );
                    codes.push(Unexplained {
                        text,
                        count: 1,
                        first: line_of(&e, "", Effect::Supports, clock_ref),
                        meaning: protocol_meaning(
                            a.code.sip_status,
                            a.code.ms_diagnostics,
                            a.code.hresult.as_deref(),
                        ),
                    });
                }
            }
        }
        codes.extend(unexplained);
        unexplained = codes;
    }
    unexplained.truncate(UNEXPLAINED_SHOWN);

    let timeline = crate::timeline::build(
        outcomes.iter().flat_map(|o| o.registrations.iter()),
        scored.evidence.iter(),
        outcomes.iter().flat_map(|o| o.unexplained.iter()),
        &attempts[skip..],
        clock_ref,
    );

    let mut user = Identity::default();
    for o in &outcomes {
        user.sip_uri = user.sip_uri.or_else(|| o.identity.sip_uri.clone());
        user.client = user.client.or_else(|| o.identity.client.clone());
        user.registrar = user.registrar.or_else(|| o.identity.registrar.clone());
    }
    let inventory: Vec<InventoryEntry> = outcomes.into_iter().filter_map(|o| o.entry).collect();
    let count = |s: Status| inventory.iter().filter(|e| e.status == s).count();
    let totals = Totals {
        members: inventory.len(),
        parsed: count(Status::Parsed),
        skipped: count(Status::Skipped),
        failed: count(Status::Failed),
    };
    let verdict = if !causes.is_empty() {
        "cause-found"
    } else if failing_unexplained {
        "failing-unexplained"
    } else if episodes.signed_in_now {
        "signed-in-now"
    } else {
        "no-cause-found"
    };
    Analysis {
        lang: crate::i18n::Lang::En,
        inputs: inputs.iter().map(|p| p.display().to_string()).collect(),
        verdict,
        causes,
        look_alike_groups: scored.look_alike_groups,
        unexplained,
        clock,
        user,
        totals,
        inventory,
        rules_loaded: rules.len(),
        timeline,
        attempts_total: attempts.len(),
        attempts: attempt_reports,
        current_problem,
        history,
        messages: Default::default(),
    }
}

impl Analysis {
    /// Replace user names, SIP and e-mail addresses, host names and IP addresses in every
    /// text of the analysis by consistent pseudonyms (`--redact`).
    pub fn redact_identifiers(&mut self) {
        let mut p = crate::redact::Pseudonymizer::default();
        let mut f = |s: &mut String| *s = p.apply(s);
        fn line(e: &mut EvidenceLine, f: &mut impl FnMut(&mut String)) {
            f(&mut e.member);
            f(&mut e.text);
        }
        self.inputs.iter_mut().for_each(&mut f);
        for c in &mut self.causes {
            // Catalogue texts too: their examples may name the very domain being hidden.
            f(&mut c.symptom);
            f(&mut c.resolution);
            f(&mut c.distinguish);
            for r in &mut c.reasons {
                line(&mut r.first, &mut f);
            }
            for e in &mut c.evidence {
                line(e, &mut f);
            }
        }
        for u in &mut self.unexplained {
            f(&mut u.text);
            line(&mut u.first, &mut f);
        }
        for s in [
            &mut self.user.sip_uri,
            &mut self.user.client,
            &mut self.user.registrar,
        ]
        .into_iter()
        .flatten()
        {
            f(s);
        }
        for e in &mut self.inventory {
            f(&mut e.path);
            if let Some(r) = &mut e.reason {
                f(r);
            }
        }
        for m in &mut self.timeline.moments {
            f(&mut m.member);
            f(&mut m.text);
        }
        for a in &mut self.attempts {
            f(&mut a.evidence.first.member);
            f(&mut a.evidence.last.member);
            for s in [&mut a.reason, &mut a.code].into_iter().flatten() {
                f(s);
            }
        }
        if let Some(l) = &mut self.timeline.ladder {
            for s in &mut l.steps {
                f(&mut s.member);
                f(&mut s.label);
                if let Some(d) = &mut s.diagnostics {
                    f(d);
                }
            }
        }
        for m in &mut self.messages.messages {
            f(&mut m.member);
            f(&mut m.label);
            f(&mut m.call_id);
            f(&mut m.text);
            if let Some(d) = &mut m.diagnostics {
                f(d);
            }
        }
    }
}

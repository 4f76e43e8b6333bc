//! The run: bundle → detect → parse → events → rules, member by member, in parallel.
//!
//! This module owns [`MemberAnalyzer`], the [`MemberSink`] that turns one member's bytes into
//! a [`MemberOutcome`] (its inventory entry, the rule hits with capped evidence, the SIP
//! transactions and clock samples the correlator needs, and error responses no rule
//! explained), and [`analyze`], which reads the inputs, derives the bundle-wide facts, runs
//! the fact rules and hands everything to [`crate::diagnosis`]. Nothing here depends on
//! thread timing: outcomes come back in inventory order and are merged in that order.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::bundle::{self, Limits, MemberSink, Status};
use crate::catalog::Catalog;
use crate::correlate::{self, ClockSample, Identity, MemberTracker, Registration};
use crate::detect::{self, Format};
use crate::diagnosis::{self, Analysis};
use crate::events::{Evidence, Observation, describe_sip};
use crate::parse::sip::Direction;
use crate::parse::uccapi::{UccApiItem, UccApiReader};
use crate::parse::winevent::WinEvent;
use crate::parse::{eventxml, evtx};
use crate::rules::RuleSet;

/// Evidence kept per rule per member; the rest are counted.
pub const EVIDENCE_PER_RULE: usize = 8;
/// Unexplained error responses kept per member.
const UNEXPLAINED_PER_MEMBER: usize = 64;

/// Counts shown in the inventory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub lines: u64,
    pub records: u64,
    pub sip_messages: u64,
    /// Lines that belong to no record (before the first record prefix).
    pub unparsed_lines: u64,
    /// Records that could not be read (Windows event logs: bad chunks, bad records, malformed
    /// or cut-off events in an XML export).
    pub errors: u64,
}

/// One member of the bundle and how it was treated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InventoryEntry {
    pub path: String,
    pub format: &'static str,
    pub status: Status,
    /// Why it was skipped or failed, or a note on how it was read.
    pub reason: Option<String>,
    pub size: u64,
    pub encoding: Option<&'static str>,
    pub counts: Counts,
}

/// Hits of one rule in one member.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleHits {
    pub rule: usize,
    pub count: u64,
    pub evidence: Vec<Evidence>,
}

/// Everything one member contributes.
#[derive(Debug, Clone, Default)]
pub struct MemberOutcome {
    pub entry: Option<InventoryEntry>,
    pub hits: Vec<RuleHits>,
    pub registrations: Vec<Registration>,
    pub clock: Vec<ClockSample>,
    pub unexplained: Vec<Evidence>,
    pub identity: Identity,
}

/// Default wall-clock budget for parsing one member (`--member-time-budget`).
pub const DEFAULT_MEMBER_TIME_BUDGET: Duration = Duration::from_secs(120);

/// How often (in records) a parser loop looks at the clock.
const CLOCK_EVERY: u64 = 64;

/// The wall-clock budget of one member's parse, checked between records.
///
/// Every parser is linear in its input (`docs/ROBUSTNESS.md`), so with the size limits a
/// member cannot take long by design; this budget is the backstop for what the design did not
/// foresee (a third-party parser that loops, a pathological regex). A member over it is
/// reported `failed` and contributes nothing, so a result never depends on how far a timed-out
/// parse got. A single `.evtx` record cannot be interrupted: the check runs between records.
#[derive(Debug, Clone, Copy)]
struct Deadline {
    start: Instant,
    budget: Option<Duration>,
    checks: u64,
}

impl Deadline {
    fn new(budget: Option<Duration>) -> Self {
        Deadline {
            start: Instant::now(),
            budget,
            checks: 0,
        }
    }

    /// True when the budget is used up (looks at the clock every [`CLOCK_EVERY`] calls,
    /// the first call included).
    fn passed(&mut self) -> bool {
        let check = self.checks.is_multiple_of(CLOCK_EVERY);
        self.checks += 1;
        check && self.budget.is_some_and(|b| self.start.elapsed() >= b)
    }
}

/// The outcome of a member whose parse went over its time budget.
fn over_budget(
    path: &str,
    format: Format,
    size: u64,
    budget: Option<Duration>,
    records: u64,
) -> MemberOutcome {
    let budget = budget.unwrap_or_default();
    MemberOutcome {
        entry: Some(InventoryEntry {
            path: path.to_string(),
            format: format.as_str(),
            status: Status::Failed,
            reason: Some(format!(
                "parsing went over the per-member time budget of {} s (--member-time-budget) after {records} records; nothing from this member is used",
                budget.as_secs_f64()
            )),
            size,
            encoding: None,
            counts: Counts::default(),
        }),
        ..MemberOutcome::default()
    }
}

/// Detect, parse and match one member.
pub struct MemberAnalyzer<'r> {
    pub rules: &'r RuleSet,
    pub progress: Option<indicatif::ProgressBar>,
    /// Wall-clock budget of one member's parse (`None`: unbounded).
    pub time_budget: Option<Duration>,
}

impl MemberSink for MemberAnalyzer<'_> {
    type Outcome = MemberOutcome;

    fn content(&self, path: &str, format: Format, bytes: &[u8]) -> MemberOutcome {
        let size = bytes.len() as u64;
        match format {
            Format::UccApiLog => analyze_uccapi_timed(self.rules, path, bytes, self.time_budget),
            Format::Etl => skipped(
                path,
                size,
                format,
                "binary ETW trace: decoding needs Microsoft's private format files; the UccApi logs carry the sign-in traffic",
            ),
            Format::Evtx => analyze_evtx_timed(self.rules, path, bytes, self.time_budget),
            Format::EventXml => analyze_event_xml_timed(self.rules, path, bytes, self.time_budget),
            Format::MacLyncLog => skipped(
                path,
                size,
                format,
                "Lync for Mac 2011 log: not read by this version",
            ),
            Format::Zip => skipped(path, size, format, "archive not opened"),
            Format::Unknown => skipped(path, size, format, detect::unknown_reason(bytes)),
        }
    }

    fn not_read(
        &self,
        path: &str,
        size: u64,
        format: Format,
        status: Status,
        reason: String,
    ) -> MemberOutcome {
        MemberOutcome {
            entry: Some(InventoryEntry {
                path: path.to_string(),
                format: format.as_str(),
                status,
                reason: Some(reason),
                size,
                encoding: None,
                counts: Counts::default(),
            }),
            ..MemberOutcome::default()
        }
    }

    fn archive(&self, path: &str, size: u64, members: usize) -> MemberOutcome {
        MemberOutcome {
            entry: Some(InventoryEntry {
                path: path.to_string(),
                format: Format::Zip.as_str(),
                status: Status::Parsed,
                reason: Some(format!(
                    "archive with {members} entries; its members follow"
                )),
                size,
                encoding: None,
                counts: Counts::default(),
            }),
            ..MemberOutcome::default()
        }
    }

    fn salvaged(&self, path: &str, format: Format, bytes: &[u8], note: &str) -> MemberOutcome {
        let mut out = self.content(path, format, bytes);
        if let Some(e) = &mut out.entry {
            e.reason = Some(match e.reason.take() {
                Some(r) => format!("{note}; {r}"),
                None => note.to_string(),
            });
        }
        out
    }

    fn done(&self, bytes: u64) {
        if let Some(p) = &self.progress {
            p.inc(bytes);
        }
    }
}

fn skipped(path: &str, size: u64, format: Format, reason: &str) -> MemberOutcome {
    MemberOutcome {
        entry: Some(InventoryEntry {
            path: path.to_string(),
            format: format.as_str(),
            status: Status::Skipped,
            reason: Some(reason.to_string()),
            size,
            encoding: None,
            counts: Counts::default(),
        }),
        ..MemberOutcome::default()
    }
}

/// Parse one UccApi log and evaluate every record and SIP message against the rules.
pub fn analyze_uccapi(rules: &RuleSet, path: &str, bytes: &[u8]) -> MemberOutcome {
    analyze_uccapi_timed(rules, path, bytes, None)
}

/// [`analyze_uccapi`] within a wall-clock budget (see [`MemberAnalyzer::time_budget`]).
pub fn analyze_uccapi_timed(
    rules: &RuleSet,
    path: &str,
    bytes: &[u8],
    budget: Option<Duration>,
) -> MemberOutcome {
    let mut deadline = Deadline::new(budget);
    let decoded = detect::decode(bytes);
    let text: &str = &decoded.text;
    let mut reader = UccApiReader::new(text);
    let mut hits: Vec<RuleHits> = Vec::new();
    let mut hit_slot: Vec<Option<usize>> = vec![None; rules.len()];
    let mut tracker = MemberTracker::default();
    let mut unexplained = Vec::new();
    let mut candidates = Vec::new();
    // Member index 0 for now; the caller renumbers once the inventory order is known.
    let member_index = 0;
    let mut record_hit = |rule: usize, hits: &mut Vec<RuleHits>, make: &dyn Fn() -> Evidence| {
        let slot = *hit_slot[rule].get_or_insert_with(|| {
            hits.push(RuleHits {
                rule,
                count: 0,
                evidence: Vec::new(),
            });
            hits.len() - 1
        });
        let h = &mut hits[slot];
        h.count += 1;
        if h.evidence.len() < EVIDENCE_PER_RULE {
            h.evidence.push(make());
        }
    };
    // One literal pass over the whole member; records pick up the hits inside them.
    let literal_hits = rules.literal_hits(text.as_bytes());
    let mut next_hit = 0;
    let mut in_record: Vec<usize> = Vec::new();
    let base = text.as_ptr() as usize;
    let window = *rules.time_window();
    while let Some(item) = reader.next() {
        if deadline.passed() {
            return over_budget(
                path,
                Format::UccApiLog,
                bytes.len() as u64,
                budget,
                reader.stats.records,
            );
        }
        if !window.contains(item.record().time) {
            continue;
        }
        match &item {
            UccApiItem::Record(record) => {
                let start = record.raw.as_ptr() as usize - base;
                let end = start + record.raw.len();
                while next_hit < literal_hits.len() && literal_hits[next_hit].0 < start {
                    next_hit += 1;
                }
                in_record.clear();
                while next_hit < literal_hits.len() && literal_hits[next_hit].0 < end {
                    in_record.push(literal_hits[next_hit].1);
                    next_hit += 1;
                }
                let obs = Observation::Record(record);
                rules.evaluate_record(&obs, &in_record, &mut candidates, |rule| {
                    record_hit(rule, &mut hits, &|| {
                        let text = if record.level.is_empty() {
                            record.text.to_string()
                        } else {
                            format!("{} {}", record.level, record.text)
                        };
                        Evidence::new(member_index, path, record.line, record.time, &text)
                    })
                });
            }
            UccApiItem::Sip {
                record,
                direction,
                message,
            } => {
                let diagnostics = message.diagnostics();
                let obs = Observation::Sip {
                    record,
                    direction: *direction,
                    message,
                    diagnostics: &diagnostics,
                };
                let mut any = false;
                rules.evaluate(&obs, &mut candidates, |rule| {
                    any = true;
                    record_hit(rule, &mut hits, &|| {
                        Evidence::new(
                            member_index,
                            path,
                            record.line,
                            record.time,
                            &describe_sip(*direction, message, &diagnostics),
                        )
                    })
                });
                tracker.observe(
                    member_index,
                    path,
                    record,
                    *direction,
                    message,
                    &diagnostics,
                );
                if !any
                    && unexplained.len() < UNEXPLAINED_PER_MEMBER
                    && message
                        .status()
                        .is_some_and(|s| s >= 400 && s != 401 && s != 407)
                    && *direction != Direction::Sent
                {
                    unexplained.push(Evidence::new(
                        member_index,
                        path,
                        record.line,
                        record.time,
                        &describe_sip(*direction, message, &diagnostics),
                    ));
                }
            }
        }
    }
    let stats = reader.stats;
    let mut notes = Vec::new();
    if stats.records == 0 {
        notes.push("no UccApi record lines found".to_string());
    }
    if stats.unparsed_lines > 0 {
        notes.push(format!(
            "{} lines before the first record",
            stats.unparsed_lines
        ));
    }
    if stats.frames_without_sip > 0 {
        notes.push(format!(
            "{} packet frames without a SIP start line",
            stats.frames_without_sip
        ));
    }
    MemberOutcome {
        entry: Some(InventoryEntry {
            path: path.to_string(),
            format: Format::UccApiLog.as_str(),
            status: Status::Parsed,
            reason: (!notes.is_empty()).then(|| notes.join("; ")),
            size: bytes.len() as u64,
            encoding: Some(decoded.encoding.as_str()),
            counts: Counts {
                lines: stats.lines,
                records: stats.records,
                sip_messages: stats.sip_messages,
                unparsed_lines: stats.unparsed_lines,
                errors: 0,
            },
        }),
        hits,
        registrations: tracker.registrations,
        clock: tracker.clock,
        unexplained,
        identity: tracker.identity,
    }
}

/// Rule hits of one member, one [`RuleHits`] per rule, in first-hit order.
#[derive(Default)]
struct HitCollector {
    hits: Vec<RuleHits>,
    slot: std::collections::HashMap<usize, usize>,
}

impl HitCollector {
    fn hit(&mut self, rule: usize, make: impl FnOnce() -> Evidence) {
        let hits = &mut self.hits;
        let slot = *self.slot.entry(rule).or_insert_with(|| {
            hits.push(RuleHits {
                rule,
                count: 0,
                evidence: Vec::new(),
            });
            hits.len() - 1
        });
        let h = &mut hits[slot];
        h.count += 1;
        if h.evidence.len() < EVIDENCE_PER_RULE {
            h.evidence.push(make());
        }
    }
}

/// Evaluate one Windows event against the rules.
///
/// Its evidence points at the member, with the event's record ID as `line` (an `.evtx` has no
/// lines; `position` stands in when an XML export has no `EventRecordID`), and its time is the
/// event's UTC time as a `NaiveDateTime`: event logs store UTC, while UccApi evidence carries
/// the client's local time, so the two are not directly comparable.
fn evaluate_event(
    rules: &RuleSet,
    path: &str,
    event: &WinEvent,
    position: u64,
    candidates: &mut Vec<usize>,
    collector: &mut HitCollector,
) {
    if !rules
        .time_window()
        .contains(event.time.map(|t| t.naive_utc()))
    {
        return;
    }
    // Member index 0 for now; `analyze` renumbers.
    let member_index = 0;
    rules.evaluate(&Observation::WinEvent(event), candidates, |rule| {
        collector.hit(rule, || {
            let line = event.record_id.unwrap_or(position);
            Evidence::new(
                member_index,
                path,
                u32::try_from(line).unwrap_or(u32::MAX),
                event.time.map(|t| t.naive_utc()),
                &event.describe(),
            )
            .in_utc()
        })
    });
}

fn event_outcome(
    path: &str,
    format: Format,
    size: u64,
    encoding: Option<&'static str>,
    counts: Counts,
    first_error: Option<String>,
    hits: Vec<RuleHits>,
) -> MemberOutcome {
    let mut notes = Vec::new();
    if counts.records == 0 && counts.errors == 0 {
        notes.push("no events".to_string());
    }
    if counts.errors > 0 {
        // The count is in `counts.errors`; the note says what the first one was.
        notes.push(format!(
            "first unreadable record: {}",
            first_error.unwrap_or_default()
        ));
    }
    MemberOutcome {
        entry: Some(InventoryEntry {
            path: path.to_string(),
            format: format.as_str(),
            status: Status::Parsed,
            reason: (!notes.is_empty()).then(|| notes.join("; ")),
            size,
            encoding,
            counts,
        }),
        hits,
        ..MemberOutcome::default()
    }
}

/// Read one `.evtx` and evaluate every event against the rules.
pub fn analyze_evtx(rules: &RuleSet, path: &str, bytes: &[u8]) -> MemberOutcome {
    analyze_evtx_timed(rules, path, bytes, None)
}

/// [`analyze_evtx`] within a wall-clock budget (see [`MemberAnalyzer::time_budget`]).
pub fn analyze_evtx_timed(
    rules: &RuleSet,
    path: &str,
    bytes: &[u8],
    budget: Option<Duration>,
) -> MemberOutcome {
    let mut deadline = Deadline::new(budget);
    let mut collector = HitCollector::default();
    let mut candidates = Vec::new();
    let mut position = 0;
    let result = evtx::read_evtx_until(bytes, |event| {
        if deadline.passed() {
            return ControlFlow::Break(());
        }
        position += 1;
        evaluate_event(
            rules,
            path,
            &event,
            position,
            &mut candidates,
            &mut collector,
        );
        ControlFlow::Continue(())
    });
    match result {
        Ok(stats) if stats.stopped => over_budget(
            path,
            Format::Evtx,
            bytes.len() as u64,
            budget,
            stats.records,
        ),
        Ok(stats) => event_outcome(
            path,
            Format::Evtx,
            bytes.len() as u64,
            None,
            Counts {
                records: stats.records,
                errors: stats.errors,
                ..Counts::default()
            },
            stats.first_error,
            collector.hits,
        ),
        Err(e) => MemberOutcome {
            entry: Some(InventoryEntry {
                path: path.to_string(),
                format: Format::Evtx.as_str(),
                status: Status::Failed,
                reason: Some(e.to_string()),
                size: bytes.len() as u64,
                encoding: None,
                counts: Counts::default(),
            }),
            ..MemberOutcome::default()
        },
    }
}

/// Read one Event Viewer XML export and evaluate every event against the rules.
pub fn analyze_event_xml(rules: &RuleSet, path: &str, bytes: &[u8]) -> MemberOutcome {
    analyze_event_xml_timed(rules, path, bytes, None)
}

/// [`analyze_event_xml`] within a wall-clock budget (see [`MemberAnalyzer::time_budget`]).
pub fn analyze_event_xml_timed(
    rules: &RuleSet,
    path: &str,
    bytes: &[u8],
    budget: Option<Duration>,
) -> MemberOutcome {
    let mut deadline = Deadline::new(budget);
    let decoded = detect::decode(bytes);
    let text: &str = &decoded.text;
    let mut collector = HitCollector::default();
    let mut candidates = Vec::new();
    let stats = eventxml::read_events_until(text, |event, position| {
        if deadline.passed() {
            return ControlFlow::Break(());
        }
        evaluate_event(
            rules,
            path,
            &event,
            position,
            &mut candidates,
            &mut collector,
        );
        ControlFlow::Continue(())
    });
    if stats.stopped {
        return over_budget(
            path,
            Format::EventXml,
            bytes.len() as u64,
            budget,
            stats.events,
        );
    }
    event_outcome(
        path,
        Format::EventXml,
        bytes.len() as u64,
        Some(decoded.encoding.as_str()),
        Counts {
            lines: 1 + memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64,
            records: stats.events,
            errors: stats.errors,
            ..Counts::default()
        },
        stats.first_error.map(|e| e.to_string()),
        collector.hits,
    )
}

/// Options of one `analyze` run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: Limits,
    /// Wall-clock budget of one member's parse (`None`: unbounded).
    pub member_time_budget: Option<Duration>,
    /// Causes below this confidence are not reported.
    pub min_confidence: f64,
}

/// Read the inputs and diagnose them.
pub fn analyze(
    inputs: &[PathBuf],
    rules: &RuleSet,
    catalog: &Catalog,
    options: &Options,
    progress: Option<indicatif::ProgressBar>,
) -> Analysis {
    let analyzer = MemberAnalyzer {
        rules,
        progress,
        time_budget: options.member_time_budget,
    };
    let mut outcomes = bundle::read_inputs(inputs, &options.limits, &analyzer);
    if let Some(p) = &analyzer.progress {
        p.finish_and_clear();
    }
    // Number the members in inventory order and point their evidence at that number.
    for (i, o) in outcomes.iter_mut().enumerate() {
        for h in &mut o.hits {
            h.evidence.iter_mut().for_each(|e| e.member_index = i);
        }
        for r in &mut o.registrations {
            if let Some(e) = &mut r.last_response {
                e.member_index = i;
            }
            r.steps.iter_mut().for_each(|s| s.member_index = i);
        }
        o.clock.iter_mut().for_each(|c| c.member_index = i);
        o.unexplained.iter_mut().for_each(|e| e.member_index = i);
    }
    let registrations: Vec<(usize, Registration)> = outcomes
        .iter()
        .enumerate()
        .flat_map(|(i, o)| o.registrations.iter().map(move |r| (i, r.clone())))
        .collect();
    let clock: Vec<ClockSample> = outcomes
        .iter()
        .flat_map(|o| o.clock.iter().cloned())
        .collect();
    let derived = correlate::derive_facts(&registrations, &clock);
    // Fact rules.
    let mut fact_hits: Vec<RuleHits> = Vec::new();
    let mut candidates = Vec::new();
    for fact in &derived.facts {
        rules.evaluate(
            &Observation::Fact(fact),
            &mut candidates,
            |rule| match fact_hits.iter_mut().find(|h| h.rule == rule) {
                Some(h) => {
                    h.count += 1;
                    if h.evidence.len() < EVIDENCE_PER_RULE {
                        h.evidence.push(fact.evidence.clone());
                    }
                }
                None => fact_hits.push(RuleHits {
                    rule,
                    count: 1,
                    evidence: vec![fact.evidence.clone()],
                }),
            },
        );
    }
    diagnosis::diagnose(
        inputs, rules, catalog, options, outcomes, fact_hits, derived,
    )
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A Lync event 3 as Event Viewer saves it as XML (message verbatim from
    /// `lync_client_app_events_get-eventlog_json.txt`).
    const LYNC_EVENT3_EXPORT: &str = "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Lync'/><EventID Qualifiers='0'>3</EventID><Level>2</Level><Task>0</Task><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime='2017-12-17T09:20:33.000000000Z'/><EventRecordID>4102</EventRecordID><Channel>Application</Channel><Computer>WS-0417.creditone.com</Computer><Security/></System><EventData><Data>sipinternal.creditone.com</Data></EventData><RenderingInfo Culture='en-US'><Message>Lync was unable to resolve the DNS hostname of the login server sipinternal.creditone.com.\r\n\r\n\r\n\r\nResolution:\r\n\r\nIf you are using manual configuration for Communicator, please check that the server name is typed correctly and in full.  If you are using automatic configuration, the network administrator will need to double-check the DNS A record configuration for sipinternal.creditone.com because it could not be resolved.</Message><Level>Error</Level><Task></Task><Opcode></Opcode><Channel></Channel><Provider></Provider><Keywords><Keyword>Classic</Keyword></Keywords></RenderingInfo></Event></Events>";

    fn rules() -> (RuleSet, Catalog) {
        RuleSet::load(&[]).unwrap()
    }

    #[test]
    fn zip_with_a_lync_event_3_export_reports_dns_cname_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("EventLogs/Lync Application events.xml", opts)
            .unwrap();
        w.write_all(LYNC_EVENT3_EXPORT.as_bytes()).unwrap();
        w.start_file("notes.txt", opts).unwrap();
        w.write_all(b"user cannot sign in since Monday").unwrap();
        w.finish().unwrap();

        let (rules, catalog) = rules();
        let analysis = analyze(&[path], &rules, &catalog, &Options::default(), None);
        let top = analysis.causes.first().expect("a cause");
        assert_eq!(top.id.0, "dns-cname-missing", "{:#?}", analysis.causes);
        assert_eq!(top.reasons[0].rule, "dns-cname-missing.lync-event-3");
        let ev = &top.evidence[0];
        assert_eq!(ev.line, 4102, "record id as line");
        assert!(
            ev.text
                .starts_with("Lync 3 Error: Lync was unable to resolve the DNS hostname"),
            "{}",
            ev.text
        );
        assert_eq!(ev.time.as_deref(), Some("2017-12-17T09:20:33.000Z"));
        let entry = analysis
            .inventory
            .iter()
            .find(|e| e.path.ends_with(".xml"))
            .unwrap();
        assert_eq!(
            (
                entry.format,
                entry.status,
                entry.counts.records,
                entry.counts.errors
            ),
            ("event-xml", Status::Parsed, 1, 0)
        );
    }

    #[test]
    fn utf16_export_is_read_too() {
        let (rules, _) = rules();
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(LYNC_EVENT3_EXPORT.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(detect::detect("Application.xml", &le), Format::EventXml);
        let out = analyze_event_xml(&rules, "Application.xml", &le);
        let entry = out.entry.unwrap();
        assert_eq!(
            (entry.encoding, entry.counts.records, entry.counts.errors),
            (Some("utf-16le"), 1, 0)
        );
        assert_eq!(
            rules.get(out.hits[0].rule).id,
            "dns-cname-missing.lync-event-3"
        );
    }

    #[test]
    fn evtx_members_are_parsed_with_counts() {
        let (rules, _) = rules();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/evtx/evtx/samples/sample_with_a_bad_chunk_magic.evtx"
        );
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("note: {path} absent; skipped");
            return;
        };
        let analyzer = MemberAnalyzer {
            rules: &rules,
            progress: None,
            time_budget: None,
        };
        let out = analyzer.content("logs/System.evtx", Format::Evtx, &bytes);
        let entry = out.entry.unwrap();
        assert_eq!(
            (
                entry.format,
                entry.status,
                entry.counts.records,
                entry.counts.errors
            ),
            ("evtx", Status::Parsed, 301, 3)
        );
        assert!(
            entry
                .reason
                .is_some_and(|r| r.starts_with("first unreadable record: "))
        );

        let out = analyzer.content("logs/renamed.evtx", Format::Evtx, b"not an event log");
        let entry = out.entry.unwrap();
        assert_eq!(entry.status, Status::Failed);
        assert!(
            entry
                .reason
                .unwrap()
                .starts_with("not a readable .evtx file")
        );
    }
}

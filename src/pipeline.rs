//! The run: bundle → detect → parse → events → rules, member by member, in parallel.
//!
//! This module owns [`MemberAnalyzer`], the [`MemberSink`] that turns one member's bytes into
//! a [`MemberOutcome`] (its inventory entry, the rule hits with capped evidence, the SIP
//! transactions and clock samples the correlator needs, and error responses no rule
//! explained), and [`analyze`], which reads the inputs, derives the bundle-wide facts, runs
//! the fact rules and hands everything to [`crate::diagnosis`]. Every member, whatever its
//! kind, is held to `--member-time-budget`. Nothing else here depends on thread timing:
//! outcomes come back in inventory order and are merged in that order.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::attempts::{self, AttemptTracker, Episodes};
use crate::bundle::{self, Limits, MemberSink, Status};
use crate::catalog::Catalog;
use crate::correlate::{self, MemberTracker};
use crate::detect::{self, Format};
use crate::diagnosis::{self, Analysis};
use crate::events::{Clue, ClueAt, Evidence, Observation, describe_sip};
use crate::messages::{self, KeptMessages, MessageCollector};
use crate::model::{ClockSample, Registration};
use crate::parse::eventtext::TextStats;
use crate::parse::sip::Direction;
use crate::parse::uccapi::{ReaderCarry, UccApiItem, UccApiReader};
use crate::parse::winevent::WinEvent;
use crate::parse::{
    cmdout, evcopy, evcsv, eventxml, evtx, powershell, pscsv, psjson, pslist, wevtutil,
};
use crate::rules::RuleSet;

pub use crate::model::{Counts, InventoryEntry, MemberOutcome, RuleHits};

pub use crate::model::EVIDENCE_PER_RULE;
/// Unexplained error responses kept per member.
const UNEXPLAINED_PER_MEMBER: usize = 64;

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

/// The outcome of a member that contributes nothing but its inventory entry (skipped,
/// failed, or an archive whose members follow).
fn entry_only(
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

/// The outcome of a member whose parse went over its time budget.
fn over_budget(
    path: &str,
    format: Format,
    size: u64,
    budget: Option<Duration>,
    records: u64,
) -> MemberOutcome {
    let budget = budget.unwrap_or_default();
    entry_only(
        path,
        size,
        format,
        Status::Failed,
        format!(
            "parsing went over the per-member time budget of {} s (--member-time-budget) after {records} records; nothing from this member is used",
            budget.as_secs_f64()
        ),
    )
}

/// Detect, parse and match one member.
pub struct MemberAnalyzer<'r> {
    pub rules: &'r RuleSet,
    pub progress: Option<indicatif::ProgressBar>,
    /// Wall-clock budget of one member's parse (`None`: unbounded).
    pub time_budget: Option<Duration>,
    /// Collect the SIP messages of the HTML report's message browser (see
    /// [`Options::skip_messages`]).
    pub keep_messages: bool,
}

impl MemberSink for MemberAnalyzer<'_> {
    type Outcome = MemberOutcome;

    /// Every kind of member is held to [`MemberAnalyzer::time_budget`]: the record-by-record
    /// readers (UccApi, EVTX, event XML) stop at the first check past it; any other reader is
    /// timed as a whole, and a member whose parse took longer is reported failed all the same,
    /// contributing nothing.
    fn content(&self, path: &str, format: Format, bytes: &[u8]) -> MemberOutcome {
        let start = Instant::now();
        let outcome = self.content_untimed(path, format, bytes);
        let over = self.time_budget.is_some_and(|b| start.elapsed() > b);
        let already = outcome
            .entry
            .as_ref()
            .is_some_and(|e| e.status != Status::Parsed);
        if over && !already {
            let records = outcome.entry.as_ref().map_or(0, |e| e.counts.records);
            return over_budget(path, format, bytes.len() as u64, self.time_budget, records);
        }
        outcome
    }

    /// A UccApi log streams through the reader block by block ([`analyze_uccapi_stream`]),
    /// parsed while it is inflated; its time budget then covers reading as well as parsing.
    /// Other members are read whole first.
    fn content_stream(
        &self,
        path: &str,
        format: Format,
        size: u64,
        input: &mut dyn std::io::Read,
    ) -> MemberOutcome {
        if format != Format::UccApiLog {
            let mut bytes = Vec::with_capacity(size.min(bundle::PREALLOC_CAP) as usize);
            return match input.read_to_end(&mut bytes) {
                Ok(_) => self.content(path, format, &bytes),
                Err(e) => read_failed(path, format, size, &e),
            };
        }
        let start = Instant::now();
        let outcome = uccapi_stream(
            self.rules,
            path,
            input,
            size,
            self.time_budget,
            UCCAPI_BLOCK,
            self.keep_messages,
        )
        .unwrap_or_else(|e| read_failed(path, format, size, &e));
        let over = self.time_budget.is_some_and(|b| start.elapsed() > b);
        let parsed = outcome
            .entry
            .as_ref()
            .is_some_and(|e| e.status == Status::Parsed);
        if over && parsed {
            let records = outcome.entry.as_ref().map_or(0, |e| e.counts.records);
            return over_budget(path, format, size, self.time_budget, records);
        }
        outcome
    }

    fn not_read(
        &self,
        path: &str,
        size: u64,
        format: Format,
        status: Status,
        reason: String,
    ) -> MemberOutcome {
        entry_only(path, size, format, status, reason)
    }

    fn archive(&self, path: &str, size: u64, members: usize) -> MemberOutcome {
        entry_only(
            path,
            size,
            Format::Zip,
            Status::Parsed,
            format!("archive with {members} entries; its members follow"),
        )
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

impl MemberAnalyzer<'_> {
    /// Detect, parse and match one member, by format.
    fn content_untimed(&self, path: &str, format: Format, bytes: &[u8]) -> MemberOutcome {
        let size = bytes.len() as u64;
        match format {
            Format::UccApiLog => uccapi_stream(
                self.rules,
                path,
                &mut &bytes[..],
                size,
                self.time_budget,
                UCCAPI_BLOCK,
                self.keep_messages,
            )
            .unwrap_or_else(|e| read_failed(path, format, size, &e)),
            Format::Etl => skipped(
                path,
                size,
                format,
                "binary ETW trace: decoding needs Microsoft's private format files; the UccApi logs carry the sign-in traffic",
            ),
            Format::Evtx => analyze_evtx_timed(self.rules, path, bytes, self.time_budget),
            Format::EventXml => analyze_event_xml_timed(self.rules, path, bytes, self.time_budget),
            Format::EventCsv
            | Format::EventTsv
            | Format::EventWevtutil
            | Format::EventDetailsText
            | Format::EventPsJson
            | Format::EventPsCsv
            | Format::EventPsList => analyze_event_text(self.rules, path, format, bytes),
            Format::PowerShell
            | Format::Nslookup
            | Format::Ipconfig
            | Format::WinHttpProxy
            | Format::SystemInfo
            | Format::RegExport
            | Format::SignInAssistantTrace => analyze_text(self.rules, path, format, bytes),
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
}

fn skipped(path: &str, size: u64, format: Format, reason: &str) -> MemberOutcome {
    entry_only(path, size, format, Status::Skipped, reason.to_string())
}

/// Bytes of a UccApi log read and decoded at a time: the member streams through the reader in
/// blocks of this size (plus the record that straddles a block's end), whatever its size.
pub const UCCAPI_BLOCK: usize = 1 << 20;

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
    let mut input = bytes;
    analyze_uccapi_stream(
        rules,
        path,
        &mut input,
        bytes.len() as u64,
        budget,
        UCCAPI_BLOCK,
    )
    .unwrap_or_else(|e| read_failed(path, Format::UccApiLog, bytes.len() as u64, &e))
}

/// The outcome of a streamed member whose bytes could not be read to the end (the bundle
/// reader replaces it with its own account of the error, naming the offset).
fn read_failed(path: &str, format: Format, size: u64, e: &std::io::Error) -> MemberOutcome {
    entry_only(
        path,
        size,
        format,
        Status::Failed,
        format!("read error: {e}"),
    )
}

/// A UccApi log read from `input` in blocks of `block` bytes: each block is decoded
/// ([`detect::TextStream`]), cut after its last complete record (the record still running at
/// the block's end is carried over to the next block, so records, SIP messages and line numbers
/// are exactly those of the whole text), and its records are parsed and matched. What is kept
/// between blocks is the evidence and the bounded per-member state (rule hits, transactions,
/// attempts, the message browser's window), so memory does not grow with the member: it is
/// `block` plus the longest record. `size` is the member's declared size, for the inventory
/// entry of a member that goes over its time budget.
pub fn analyze_uccapi_stream(
    rules: &RuleSet,
    path: &str,
    input: &mut dyn std::io::Read,
    size: u64,
    budget: Option<Duration>,
    block: usize,
) -> std::io::Result<MemberOutcome> {
    uccapi_stream(rules, path, input, size, budget, block, true)
}

/// [`analyze_uccapi_stream`], collecting the message browser's messages or not.
fn uccapi_stream(
    rules: &RuleSet,
    path: &str,
    input: &mut dyn std::io::Read,
    size: u64,
    budget: Option<Duration>,
    block: usize,
    keep_messages: bool,
) -> std::io::Result<MemberOutcome> {
    let mut scan = UccApiScan::new(rules, path, budget);
    scan.keep_messages = keep_messages;
    let mut decoder = detect::TextStream::new();
    let mut raw = vec![0u8; block.max(1)];
    // The decoded block and the record carried over (UTF-16 decodes to at most 1.5 bytes of
    // UTF-8 per input byte; the buffer grows only for a record longer than that).
    let mut text = String::with_capacity(block.saturating_mul(2).min(64 << 20));
    // Lines of `text` before `floor` hold no record start (other than at 0): not searched again.
    let mut floor = 0;
    // True once a record prefix was seen: from then on `text` starts with a record.
    let mut started = false;
    // Bytes of `text` already searched for line ends.
    let mut seen = 0;
    let mut read = 0u64;
    loop {
        let n = bundle::read_up_to(input, &mut raw)?;
        read += n as u64;
        let last = n < raw.len();
        decoder.push(&raw[..n], last, &mut text);
        let cut = if last {
            text.len()
        } else {
            match crate::parse::uccapi::last_record_start(&text, floor, seen) {
                Some(c) => {
                    started = true;
                    c
                }
                // No record yet: the complete lines so far are lines before the first record.
                None if !started => {
                    let from = seen.max(floor);
                    memchr::memrchr(b'\n', &text.as_bytes()[from..]).map_or(0, |i| from + i + 1)
                }
                None => 0,
            }
        };
        if cut > 0 {
            if let Err(records) = scan.block(&text, cut) {
                return Ok(over_budget(path, Format::UccApiLog, size, budget, records));
            }
            text.drain(..cut);
            floor = 0;
        } else {
            // The record at the start runs on: the lines seen so far are not searched again.
            let from = seen.max(floor);
            floor =
                memchr::memrchr(b'\n', &text.as_bytes()[from..]).map_or(floor, |i| from + i + 1);
        }
        seen = text.len();
        if last {
            break;
        }
    }
    Ok(scan.finish(read, decoder.encoding()))
}

/// What one UccApi member's analysis keeps from one block of its text to the next.
struct UccApiScan<'r> {
    rules: &'r RuleSet,
    path: &'r str,
    deadline: Deadline,
    collector: HitCollector,
    tracker: MemberTracker,
    kept: MessageCollector<'static>,
    attempts: AttemptTracker,
    unexplained: Vec<Evidence>,
    candidates: Vec<usize>,
    in_record: Vec<usize>,
    carry: ReaderCarry,
    keep_messages: bool,
}

impl<'r> UccApiScan<'r> {
    fn new(rules: &'r RuleSet, path: &'r str, budget: Option<Duration>) -> Self {
        UccApiScan {
            rules,
            path,
            deadline: Deadline::new(budget),
            collector: HitCollector::default(),
            tracker: MemberTracker::default(),
            kept: MessageCollector::default(),
            attempts: AttemptTracker::default(),
            unexplained: Vec::new(),
            candidates: Vec::new(),
            in_record: Vec::new(),
            carry: ReaderCarry::default(),
            keep_messages: true,
        }
    }

    /// Read and match the records of `text[..cut]` (`cut` is where a record starts, or the
    /// end of the member). The literal searches run over all of `text`, so that a literal
    /// crossing `cut` is found as in the whole text; hits past `cut` are left for the next
    /// block, which starts there. `Err(records read)` when the time budget ran out.
    fn block(&mut self, text: &str, cut: usize) -> Result<(), u64> {
        let rules = self.rules;
        let path = self.path;
        let mut reader = UccApiReader::resume(&text[..cut], self.carry);
        let mut kept: MessageCollector<'_> = std::mem::take(&mut self.kept);
        // Member index 0 for now; the caller renumbers once the inventory order is known.
        let member_index = 0;
        // One literal pass over the block; records pick up the hits inside them.
        let literal_hits = rules.literal_hits(text.as_bytes());
        // The same for the literals that mark the client's server discovery (sign-in attempts).
        let discovery = crate::attempts::discovery_hits(text);
        let mut next_discovery = 0;
        let mut next_hit = 0;
        let base = text.as_ptr() as usize;
        let window = *rules.time_window();
        let collector = &mut self.collector;
        let candidates = &mut self.candidates;
        let in_record = &mut self.in_record;
        let unexplained = &mut self.unexplained;
        while let Some(item) = reader.next() {
            if self.deadline.passed() {
                return Err(reader.stats.records);
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
                    while next_discovery < discovery.len() && discovery[next_discovery] < start {
                        next_discovery += 1;
                    }
                    let discovered =
                        next_discovery < discovery.len() && discovery[next_discovery] < end;
                    self.attempts
                        .observe_record(member_index, path, record, discovered);
                    let obs = Observation::Record(record, crate::events::Source::UccApi);
                    rules.evaluate_record(&obs, in_record, candidates, |rule| {
                        collector.hit(rule, record.time, || {
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
                    rules.evaluate(&obs, candidates, |rule| {
                        any = true;
                        collector.hit(rule, record.time, || {
                            Evidence::new(
                                member_index,
                                path,
                                record.line,
                                record.time,
                                &describe_sip(*direction, message, &diagnostics),
                            )
                        })
                    });
                    self.tracker.observe(
                        member_index,
                        path,
                        record,
                        *direction,
                        message,
                        &diagnostics,
                    );
                    if self.keep_messages {
                        kept.observe(path, record, *direction, message, &diagnostics);
                    }
                    self.attempts.observe_sip(
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
        self.carry = reader.carry();
        self.kept = kept.end_block();
        Ok(())
    }

    /// The member's outcome once its last block is read (`size`: bytes read).
    fn finish(self, size: u64, encoding: detect::Encoding) -> MemberOutcome {
        let path = self.path;
        let stats = self.carry.stats;
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
        // The outcome waits for the other members: no spare capacity kept with it.
        let mut registrations = self.tracker.registrations;
        registrations.shrink_to_fit();
        let mut clock = self.tracker.clock;
        clock.shrink_to_fit();
        let mut messages = self.kept.finish(path);
        messages.messages.shrink_to_fit();
        let mut attempts = self.attempts.finish();
        attempts.shrink_to_fit();
        MemberOutcome {
            entry: Some(InventoryEntry {
                path: path.to_string(),
                format: Format::UccApiLog.as_str(),
                status: Status::Parsed,
                reason: (!notes.is_empty()).then(|| notes.join("; ")),
                size,
                encoding: Some(encoding.as_str()),
                counts: Counts {
                    lines: stats.lines,
                    records: stats.records,
                    sip_messages: stats.sip_messages,
                    unparsed_lines: stats.unparsed_lines,
                    errors: 0,
                },
            }),
            hits: self.collector.hits,
            registrations,
            clock,
            unexplained: self.unexplained,
            identity: self.tracker.identity,
            clues: Vec::new(),
            messages,
            attempts,
        }
    }
}

/// Evidence text for a long record whose matching literal lies far in (`at`, a byte offset):
/// its first words (the cmdlet and host), `…`, then the text from shortly before the literal,
/// so the abridged evidence still shows what matched. Short records and early hits are kept.
fn focus(body: &str, at: Option<usize>) -> String {
    const LEAD: usize = 60;
    const BEFORE: usize = 40;
    let Some(at) = at.filter(|&a| a > 120 && a < body.len()) else {
        return body.to_string();
    };
    let floor = |mut i: usize| {
        while !body.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let lead_end = floor(LEAD);
    let lead_end = body[..lead_end].rfind(' ').unwrap_or(lead_end);
    let from = floor(at - BEFORE);
    let from = body[from..at].find(' ').map_or(from, |i| from + i + 1);
    format!("{} … {}", &body[..lead_end], &body[from..])
}

/// Read a PowerShell transcript or a command output (any text member that is neither a
/// UccApi log nor an event export): its records go through the record rules like log
/// records, and what `nslookup`, `netsh winhttp` and registry exports show becomes clues for
/// the bundle-wide step.
pub fn analyze_text(rules: &RuleSet, path: &str, format: Format, bytes: &[u8]) -> MemberOutcome {
    let decoded = detect::decode_console(bytes);
    let text: &str = &decoded.text;
    // Member index 0 for now; `analyze` renumbers.
    let member_index = 0;
    let mut notes = Vec::new();
    let (records, lines): (Vec<(u32, &'static str, String)>, u64) = if format == Format::PowerShell
    {
        let (records, stats) = powershell::read(text);
        notes.push(format!(
            "{} commands, {} error records",
            stats.commands, stats.errors
        ));
        if let Some(w) = stats.hard_wrap_width {
            notes.push(format!("lines wrapped at {w} columns joined"));
        }
        (
            records
                .into_iter()
                .map(|r| (r.line, r.kind.level(), r.text))
                .collect(),
            stats.lines,
        )
    } else if format == Format::SignInAssistantTrace {
        let records = crate::parse::msoidsvc::read(text);
        notes.push(format!("{} trace records", records.len()));
        (
            records
                .into_iter()
                .map(|r| (r.line, r.level, r.text))
                .collect(),
            text.lines().count() as u64,
        )
    } else {
        let mut n = 0u64;
        let records = text
            .split('\n')
            .enumerate()
            .inspect(|_| n += 1)
            .filter_map(|(i, l)| {
                let t = powershell::normalize(l);
                (!t.is_empty()).then(|| {
                    let level = if t.starts_with("*** ") {
                        "ERROR"
                    } else {
                        "INFO"
                    };
                    (u32::try_from(i + 1).unwrap_or(u32::MAX), level, t)
                })
            })
            .collect();
        (records, n - u64::from(text.ends_with('\n')))
    };
    // One buffer holding every record, so the rules' literals are found in one pass.
    let mut buffer = String::new();
    let mut spans = Vec::with_capacity(records.len());
    for (_, _, t) in &records {
        let start = buffer.len();
        buffer.push_str(t);
        spans.push((start, buffer.len()));
        buffer.push('\n');
    }
    // The automaton holds each literal as written, in lower and in upper case; scanning an
    // ASCII-lowercased copy (same byte offsets) finds mixed-case text too (`PowerShell`,
    // `Live ID`), and the rule then confirms case-insensitively on the text itself.
    let literal_hits = rules.literal_hits(buffer.to_ascii_lowercase().as_bytes());
    let mut collector = HitCollector::default();
    let mut candidates = Vec::new();
    let mut in_record = Vec::new();
    let mut unexplained = Vec::new();
    let mut next_hit = 0;
    for ((line, level, _), &(start, end)) in records.iter().zip(&spans) {
        while next_hit < literal_hits.len() && literal_hits[next_hit].0 < start {
            next_hit += 1;
        }
        in_record.clear();
        let first_hit = next_hit;
        while next_hit < literal_hits.len() && literal_hits[next_hit].0 < end {
            in_record.push(literal_hits[next_hit].1);
            next_hit += 1;
        }
        let hits_here = &literal_hits[first_hit..next_hit];
        let body = &buffer[start..end];
        let record = crate::parse::uccapi::UccApiRecord {
            line: *line,
            time: None,
            thread: "",
            level,
            text: body,
            continuation: "",
            raw: body,
        };
        let mut any = false;
        rules.evaluate_record(
            &Observation::Record(&record, crate::events::Source::of(format)),
            &in_record,
            &mut candidates,
            |rule| {
                any = true;
                collector.hit(rule, None, || {
                    // Where the rule's literal is, so long records show it (see `focus`).
                    let at = hits_here
                        .iter()
                        .find(|(_, r)| *r == rule)
                        .map(|(offset, _)| offset - start);
                    let body = focus(body, at);
                    let text = if *level == "ERROR" {
                        format!("ERROR {body}")
                    } else {
                        body
                    };
                    Evidence::new(member_index, path, *line, None, &text)
                })
            },
        );
        // A PowerShell error no rule explains is reported like an unexplained SIP error,
        // keyed by its message (without the position and category lines that follow it).
        if !any
            && format == Format::PowerShell
            && *level == "ERROR"
            && unexplained.len() < UNEXPLAINED_PER_MEMBER
        {
            unexplained.push(Evidence::new(
                member_index,
                path,
                *line,
                None,
                powershell::error_message(body),
            ));
        }
    }
    let found = cmdout::scan(text);
    let mut clues = Vec::new();
    let clue = |line: u32, text: &str, clue: Clue| ClueAt {
        clue,
        evidence: Evidence::new(member_index, path, line, None, text),
    };
    for l in &found.lookups {
        clues.push(clue(l.line, &l.text, Clue::Dns(l.clone())));
    }
    if let Some((line, proxy)) = &found.winhttp_proxy {
        clues.push(clue(
            *line,
            &format!("WinHTTP proxy server(s): {proxy}"),
            Clue::WinHttpProxy(proxy.clone()),
        ));
    }
    for v in &found.reg_values {
        if v.name.eq_ignore_ascii_case("TrustModelData")
            && v.key
                .to_ascii_lowercase()
                .ends_with("\\policies\\microsoft\\communicator")
        {
            clues.push(clue(
                v.line,
                &format!("{}: TrustModelData = \"{}\"", v.key, v.data),
                Clue::TrustModelData(v.data.clone()),
            ));
        }
    }
    if let Some((line, zone)) = &found.time_zone
        && let Some(offset) = cmdout::zone_offset_minutes(zone)
    {
        clues.push(clue(
            *line,
            &format!("Time Zone: {zone}"),
            Clue::TimeZone(offset),
        ));
    }
    if !found.lookups.is_empty() {
        notes.push(format!("{} DNS lookups", found.lookups.len()));
    }
    if let Some((_, proxy)) = &found.winhttp_proxy {
        notes.push(format!("WinHTTP proxy {proxy}"));
    } else if found.winhttp_direct.is_some() {
        notes.push("WinHTTP direct access (no proxy)".to_string());
    }
    if let Some((_, zone)) = &found.time_zone {
        notes.push(format!("time zone {zone}"));
    }
    if !found.reg_values.is_empty() {
        notes.push(format!(
            "{} registry values under {} keys",
            found.reg_values.len(),
            found.reg_keys.len()
        ));
    }
    if records.is_empty() {
        notes.push("no text".to_string());
    }
    MemberOutcome {
        entry: Some(InventoryEntry {
            path: path.to_string(),
            format: format.as_str(),
            status: Status::Parsed,
            reason: (!notes.is_empty()).then(|| notes.join("; ")),
            size: bytes.len() as u64,
            encoding: Some(decoded.encoding.as_str()),
            counts: Counts {
                lines,
                records: records.len() as u64,
                ..Counts::default()
            },
        }),
        hits: collector.hits,
        clues,
        unexplained,
        ..MemberOutcome::default()
    }
}

/// Rule hits of one member, one [`RuleHits`] per rule, in first-hit order.
///
/// Each rule keeps its first [`EVIDENCE_PER_RULE`]` / 2` places and then a window of later
/// ones: a later match is kept when it comes more than [`TAIL_SPACING_SECONDS`] after the last
/// one kept (or has no time), so that a rule that matched long ago and again now shows both,
/// and the diagnosis can tell the current problem's matches from an earlier episode's, without
/// building evidence for every match of a rule that fires on every line.
#[derive(Default)]
struct HitCollector {
    hits: Vec<RuleHits>,
    slot: std::collections::HashMap<usize, usize>,
    /// Time of the last place kept, per slot.
    last_kept: Vec<Option<chrono::NaiveDateTime>>,
}

/// Spacing of the later places a rule keeps (see [`HitCollector`]).
const TAIL_SPACING_SECONDS: i64 = 60;

impl HitCollector {
    fn hit(
        &mut self,
        rule: usize,
        time: Option<chrono::NaiveDateTime>,
        make: impl FnOnce() -> Evidence,
    ) {
        let hits = &mut self.hits;
        let last_kept = &mut self.last_kept;
        let slot = *self.slot.entry(rule).or_insert_with(|| {
            hits.push(RuleHits {
                rule,
                count: 0,
                evidence: Vec::new(),
            });
            last_kept.push(None);
            hits.len() - 1
        });
        let h = &mut hits[slot];
        h.count += 1;
        const FIRST: usize = EVIDENCE_PER_RULE / 2;
        let keep = if h.evidence.len() < EVIDENCE_PER_RULE {
            true
        } else {
            match (last_kept[slot], time) {
                (Some(prev), Some(t)) => (t - prev).num_seconds() > TAIL_SPACING_SECONDS,
                _ => false,
            }
        };
        if keep {
            if h.evidence.len() >= EVIDENCE_PER_RULE {
                h.evidence.remove(FIRST);
            }
            h.evidence.push(make());
            last_kept[slot] = time;
        }
    }
}

/// Evaluate one Windows event against the rules.
///
/// Its evidence points at the member, with the event's record ID as `line` (an `.evtx` has no
/// lines; `position` stands in when the export has no record ID: the event's position in an
/// XML export, the line where it starts in a text export), and its time is the event's UTC
/// time as a `NaiveDateTime`: event logs store UTC, while UccApi evidence carries the client's
/// local time, so the two are not directly comparable. A text export that wrote only the
/// exporting machine's local time gives that time, marked as in an unknown zone.
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
        collector.hit(
            rule,
            event.time.map(|t| t.naive_utc()).or(event.local_time),
            || {
                let line = event.record_id.unwrap_or(position);
                let evidence = Evidence::new(
                    member_index,
                    path,
                    u32::try_from(line).unwrap_or(u32::MAX),
                    event.time.map(|t| t.naive_utc()).or(event.local_time),
                    &event.describe(),
                );
                if event.time_is_local() {
                    evidence.in_unknown_zone()
                } else {
                    evidence.in_utc()
                }
            },
        )
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
        Err(e) => entry_only(
            path,
            bytes.len() as u64,
            Format::Evtx,
            Status::Failed,
            e.to_string(),
        ),
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

/// Read one text export of Windows events (Event Viewer CSV / tab-delimited text, `wevtutil`
/// text, "Copy details as text", PowerShell JSON / CSV / list) and evaluate every event.
///
/// The text is decoded with [`detect::decode_events`] (legacy code pages included). Events
/// whose export wrote only a local time give evidence in that local time, without a zone.
pub fn analyze_event_text(
    rules: &RuleSet,
    path: &str,
    format: Format,
    bytes: &[u8],
) -> MemberOutcome {
    let decoded = detect::decode_events(bytes);
    let text: &str = &decoded.text;
    let mut collector = HitCollector::default();
    let mut candidates = Vec::new();
    let mut each = |event: WinEvent, position: u64| {
        evaluate_event(
            rules,
            path,
            &event,
            position,
            &mut candidates,
            &mut collector,
        );
    };
    let stats: TextStats = match format {
        Format::EventCsv => evcsv::read_events(text, evcsv::Delimiter::Comma, &mut each),
        Format::EventTsv => evcsv::read_events(text, evcsv::Delimiter::Tab, &mut each),
        Format::EventWevtutil => wevtutil::read_events(text, &mut each),
        Format::EventDetailsText => evcopy::read_events(text, &mut each),
        Format::EventPsJson => psjson::read_events(text, &mut each),
        Format::EventPsCsv => pscsv::read_events(text, &mut each),
        Format::EventPsList => pslist::read_events(text, &mut each),
        _ => TextStats::default(),
    };
    event_outcome(
        path,
        format,
        bytes.len() as u64,
        Some(decoded.encoding.as_str()),
        Counts {
            lines: 1 + memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64,
            records: stats.events,
            errors: stats.errors,
            ..Counts::default()
        },
        stats.first_error,
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
    /// Do not collect the SIP messages of the HTML report's message browser
    /// ([`Analysis::messages`] stays empty): for an output that does not show them, which
    /// saves their copying and masking, and their memory until the end of the run.
    pub skip_messages: bool,
}

/// One member held in memory, read by its format's reader and matched against the rules
/// exactly as a member of a bundle is (no time budget).
pub fn member_outcome(rules: &RuleSet, path: &str, format: Format, bytes: &[u8]) -> MemberOutcome {
    MemberAnalyzer {
        rules,
        progress: None,
        time_budget: None,
        keep_messages: true,
    }
    .content(path, format, bytes)
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
        keep_messages: !options.skip_messages,
    };
    let outcomes = bundle::read_inputs(inputs, &options.limits, &analyzer);
    if let Some(p) = &analyzer.progress {
        p.finish_and_clear();
    }
    conclude(inputs, rules, catalog, options, outcomes)
}

/// Diagnose one input held in memory — an uploaded zip or log file — exactly as [`analyze`]
/// diagnoses a file named `name` given alone on the command line: members are named by their
/// path inside the zip, and the analysis's `inputs` is `[name]`. Nothing is written to disk.
pub fn analyze_bytes(
    name: &str,
    bytes: Vec<u8>,
    rules: &RuleSet,
    catalog: &Catalog,
    options: &Options,
) -> Analysis {
    let analyzer = MemberAnalyzer {
        rules,
        progress: None,
        time_budget: options.member_time_budget,
        keep_messages: !options.skip_messages,
    };
    let outcomes = bundle::read_bytes(name, bytes, &options.limits, &analyzer);
    conclude(&[PathBuf::from(name)], rules, catalog, options, outcomes)
}

/// What the bundle-wide step concludes from the members' outcomes, before the diagnosis.
pub struct Correlated {
    pub outcomes: Vec<MemberOutcome>,
    pub fact_hits: Vec<RuleHits>,
    pub clock: Option<crate::clock::ClockEstimate>,
    pub attempts: Vec<crate::model::SignInAttempt>,
    pub episodes: Episodes,
}

impl Correlated {
    /// Every rule with a match left after withdrawals, sorted.
    pub fn matched_rules(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .outcomes
            .iter()
            .flat_map(|o| o.hits.iter().map(|h| h.rule))
            .chain(self.fact_hits.iter().map(|h| h.rule))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Correlate the members' outcomes (in inventory order): number them, join the sign-in
/// attempts, measure the clock on the current part of the story, derive the bundle-wide
/// facts, run the fact rules, and take out the matches that matched rules withdraw.
pub fn correlate_members(rules: &RuleSet, mut outcomes: Vec<MemberOutcome>) -> Correlated {
    // Number the members in inventory order and point their evidence at that number.
    for (i, o) in outcomes.iter_mut().enumerate() {
        for h in &mut o.hits {
            h.evidence.iter_mut().for_each(|e| e.member_index = i);
        }
        for r in &mut o.registrations {
            if let Some(e) = &mut r.last_response {
                e.member_index = i;
            }
            if let Some(e) = &mut r.certprov_challenge {
                e.member_index = i;
            }
            r.steps.iter_mut().for_each(|s| s.member_index = i);
        }
        o.clock.iter_mut().for_each(|c| c.member_index = i);
        o.unexplained.iter_mut().for_each(|e| e.member_index = i);
        o.clues.iter_mut().for_each(|c| c.evidence.member_index = i);
    }
    // Moved out for the bundle-wide facts and put back afterwards (the timeline reads them
    // from the outcomes): a large bundle's transactions are never held twice.
    let registrations: Vec<(usize, Registration)> = outcomes
        .iter_mut()
        .enumerate()
        .flat_map(|(i, o)| {
            std::mem::take(&mut o.registrations)
                .into_iter()
                .map(move |r| (i, r))
        })
        .collect();
    // The sign-in attempts of every client log on one time axis, and the story they tell.
    for (i, o) in outcomes.iter_mut().enumerate() {
        for a in &mut o.attempts {
            a.first.member_index = i;
            a.last.member_index = i;
        }
    }
    let all_attempts = attempts::join_members(
        outcomes
            .iter_mut()
            .flat_map(|o| std::mem::take(&mut o.attempts))
            .collect(),
    );
    let episodes = Episodes::of(&all_attempts);
    // The clock as it is now: measured on the current part of the story when it has samples.
    let clock: Vec<ClockSample> = outcomes
        .iter_mut()
        .flat_map(|o| std::mem::take(&mut o.clock))
        .collect();
    let current_clock: Vec<ClockSample> = match episodes.current_from {
        Some(from) => clock.iter().filter(|c| c.local >= from).cloned().collect(),
        None => Vec::new(),
    };
    let clock = if current_clock.is_empty() {
        clock
    } else {
        current_clock
    };
    let context = crate::model::FactContext {
        domain: outcomes
            .iter()
            .find_map(|o| o.identity.sip_uri.as_deref())
            .and_then(correlate::sip_domain),
    };
    // Fact rules, run on each fact as it is derived: a large bundle's thousands of transaction
    // facts are never held at once.
    let mut fact_hits: Vec<RuleHits> = Vec::new();
    let mut candidates = Vec::new();
    let mut on_fact = |fact: crate::model::Fact| {
        // Every fact carries only the fields `events::FACTS` documents, of the kinds it gives
        // (rules/README.md is generated from that list).
        debug_assert!(
            crate::events::fact_doc(fact.name).is_some_and(|d| {
                fact.fields
                    .iter()
                    .all(|(n, v)| d.field(n).is_some_and(|fd| fd.kind == v.kind()))
            }),
            "fact {} has a field events::FACTS does not document",
            fact.name
        );
        rules.evaluate(
            &Observation::Fact(&fact, &context),
            &mut candidates,
            |rule| {
                let evidence = || {
                    let mut e = fact.evidence.clone();
                    e.text = crate::redact::abridge(&e.text, crate::events::EVIDENCE_TEXT_MAX);
                    e
                };
                match fact_hits.iter_mut().find(|h| h.rule == rule) {
                    Some(h) => {
                        h.count += 1;
                        if h.evidence.len() < EVIDENCE_PER_RULE {
                            h.evidence.push(evidence());
                        }
                    }
                    None => fact_hits.push(RuleHits {
                        rule,
                        count: 1,
                        evidence: vec![evidence()],
                    }),
                }
            },
        );
    };
    let clock_estimate = correlate::derive_facts(&registrations, &clock, &mut on_fact);
    drop(clock);
    for (i, r) in registrations {
        outcomes[i].registrations.push(r);
    }
    let clues: Vec<ClueAt> = outcomes
        .iter()
        .flat_map(|o| o.clues.iter().cloned())
        .collect();
    correlate::derive_clue_facts(&clues, clock_estimate.as_ref())
        .into_iter()
        .chain(attempts::attempt_facts(&all_attempts, &episodes))
        .for_each(&mut on_fact);
    // Counts over a group: a rule that needs several facts matches only with enough of them.
    fact_hits.retain(|h| match &rules.get(h.rule).matcher {
        crate::rules::Matcher::Fact(m) => h.count >= m.at_least as u64,
        _ => true,
    });
    fact_hits.sort_by_key(|h| h.rule);
    // Withdrawals: a matched rule that shows another's measurement wrong takes its matches
    // out (decided on the matches before any withdrawal, so the order of rules is irrelevant).
    let mut correlated = Correlated {
        outcomes,
        fact_hits,
        clock: clock_estimate,
        attempts: all_attempts,
        episodes,
    };
    let withdrawn: Vec<usize> = correlated
        .matched_rules()
        .into_iter()
        .flat_map(|i| rules.get(i).withdraws_rules.iter().copied())
        .collect();
    if !withdrawn.is_empty() {
        for o in &mut correlated.outcomes {
            o.hits.retain(|h| !withdrawn.contains(&h.rule));
        }
        correlated
            .fact_hits
            .retain(|h| !withdrawn.contains(&h.rule));
    }
    correlated
}

/// Correlate the members' outcomes, evaluate the fact rules and rank the causes.
fn conclude(
    inputs: &[PathBuf],
    rules: &RuleSet,
    catalog: &Catalog,
    options: &Options,
    outcomes: Vec<MemberOutcome>,
) -> Analysis {
    let Correlated {
        mut outcomes,
        fact_hits,
        clock,
        attempts: all_attempts,
        episodes,
    } = correlate_members(rules, outcomes);
    let kept: Vec<KeptMessages> = outcomes
        .iter_mut()
        .map(|o| std::mem::take(&mut o.messages))
        .collect();
    let mut analysis = diagnosis::diagnose(
        inputs,
        rules,
        catalog,
        options.min_confidence,
        diagnosis::Parts {
            outcomes,
            fact_hits,
            clock,
            attempts: all_attempts,
            episodes,
        },
    );
    let ladder_call = analysis
        .timeline
        .ladder
        .as_ref()
        .map(|l| l.call_id.as_str());
    let mut kept = messages::select(kept, ladder_call);
    for m in &mut kept.messages {
        m.time = crate::clock::format_time(m.local, analysis.clock.as_ref());
    }
    analysis.messages = kept;
    analysis
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A member read in blocks, small or large, gives what the whole text gives: records
    /// straddling block ends, line numbers, the message browser's window (its last messages
    /// span several blocks), evidence and counts.
    #[test]
    fn uccapi_blocks_read_as_the_whole_text() {
        let rules = RuleSet::load(&[]).unwrap().0;
        let log = crate::synth::uccapi_log(3 << 20);
        let run = |block: usize| {
            let out = analyze_uccapi_stream(
                &rules,
                "Lync-UccApi-0.UccApilog",
                &mut &log[..],
                log.len() as u64,
                None,
                block,
            )
            .unwrap();
            format!("{out:?}")
        };
        let whole = run(log.len() + 1);
        assert!(whole.contains("sip_messages"));
        for block in [4096, 65_536, 1 << 20] {
            assert!(run(block) == whole, "block of {block} bytes");
        }
    }

    /// A Lync event 3 as Event Viewer saves it as XML (message from
    /// `lync_client_app_events_get-eventlog_json.txt`, for `sip.` rather than the real
    /// `sipinternal.`: an internal-only name is no evidence).
    const LYNC_EVENT3_EXPORT: &str = "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\r\n<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Lync'/><EventID Qualifiers='0'>3</EventID><Level>2</Level><Task>0</Task><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime='2017-12-17T09:20:33.000000000Z'/><EventRecordID>4102</EventRecordID><Channel>Application</Channel><Computer>WS-0417.creditone.com</Computer><Security/></System><EventData><Data>sip.creditone.com</Data></EventData><RenderingInfo Culture='en-US'><Message>Lync was unable to resolve the DNS hostname of the login server sip.creditone.com.\r\n\r\n\r\n\r\nResolution:\r\n\r\nIf you are using manual configuration for Communicator, please check that the server name is typed correctly and in full.  If you are using automatic configuration, the network administrator will need to double-check the DNS A record configuration for sip.creditone.com because it could not be resolved.</Message><Level>Error</Level><Task></Task><Opcode></Opcode><Channel></Channel><Provider></Provider><Keywords><Keyword>Classic</Keyword></Keywords></RenderingInfo></Event></Events>";

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

    fn opts() -> Options {
        Options {
            min_confidence: diagnosis::DEFAULT_MIN_CONFIDENCE,
            ..Options::default()
        }
    }

    fn zip_of(members: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
        (dir, path)
    }

    fn utf16le(s: &str) -> Vec<u8> {
        [0xFF, 0xFE]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    }

    /// A client log whose REGISTER names the user, so the bundle-wide step knows the domain.
    fn register_log(user: &str) -> Vec<u8> {
        crate::rule_examples::as_log(&format!(
            "REGISTER sip:contoso.com SIP/2.0\nFrom: <sip:{user}>;tag=1a2b\nTo: <sip:{user}>\nCall-ID: 5f1e\nCSeq: 1 REGISTER\nUser-Agent: UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 (Skype for Business)\n"
        ))
        .into_bytes()
    }

    const TRANSCRIPT: &str = "**********************\r\nWindows PowerShell transcript start\r\nStart time: 20261103101502\r\nUsername: CONTOSO\\kima\r\n**********************\r\nPS C:\\Users\\kima> $s = New-CsOnlineSession -Credential $c\r\nNew-PSSession : [admin1a.online.lync.com] Connecting to remote server admin1a.online.lync.com failed with the following\r\nerror message : The WS-Management service cannot process the request. The maximum number of concurrent shells for\r\nthis tenant has been exceeded. Close existing shells or raise the quota for this tenant. For more information, see\r\nthe about_Remote_Troubleshooting Help topic.\r\n    + CategoryInfo          : OpenError: (System.Manageme....RemoteRunspace:RemoteRunspace) [New-PSSession], PSRemotin\r\n   gTransportException\r\n    + FullyQualifiedErrorId : -2144108090,PSSessionOpenFailed\r\n";

    #[test]
    fn utf16_transcript_reports_the_connector_cause() {
        let (_d, path) = zip_of(&[("PowerShell/transcript.txt", utf16le(TRANSCRIPT))]);
        let (rules, catalog) = rules();
        let analysis = analyze(&[path], &rules, &catalog, &opts(), None);
        let top = analysis.causes.first().expect("a cause");
        assert_eq!(top.id.0, "ps-max-shells-tenant", "{:#?}", analysis.causes);
        assert_eq!(analysis.causes.len(), 1, "the user stem does not fire");
        assert_eq!(top.evidence[0].line, 7);
        assert!(
            top.evidence[0]
                .text
                .starts_with("ERROR New-PSSession : [admin1a")
        );
        let e = &analysis.inventory[0];
        assert_eq!(
            (e.format, e.status, e.encoding),
            ("powershell-transcript", Status::Parsed, Some("utf-16le"))
        );
        assert_eq!(e.reason.as_deref(), Some("1 commands, 1 error records"));
    }

    const NSLOOKUP_MISSING: &str = "C:\\Users\\kim>nslookup -type=CNAME sip.contoso.com\r\nServer:  dc01.corp.contoso.com\r\nAddress:  10.20.0.10\r\n\r\n*** dc01.corp.contoso.com can't find sip.contoso.com: Non-existent domain\r\n";

    #[test]
    fn nslookup_next_to_a_client_log_reports_dns_cname_missing() {
        let (_d, path) = zip_of(&[
            (
                "Tracing/Lync-UccApi-0.UccApilog",
                register_log("kim@contoso.com"),
            ),
            ("Network/dns.txt", NSLOOKUP_MISSING.as_bytes().to_vec()),
            // Another domain's failure is not the user's.
            (
                "Network/other.txt",
                NSLOOKUP_MISSING
                    .replace("contoso.com", "fabrikam.com")
                    .into_bytes(),
            ),
        ]);
        let (rules, catalog) = rules();
        let analysis = analyze(&[path], &rules, &catalog, &opts(), None);
        let top = &analysis.causes[0];
        assert_eq!(top.id.0, "dns-cname-missing", "{:#?}", analysis.causes);
        assert_eq!(top.evidence_count, 1);
        assert_eq!(
            (top.evidence[0].member.as_str(), top.evidence[0].line),
            ("Network/dns.txt", 5)
        );
        assert!(
            top.evidence[0]
                .text
                .starts_with("sip.contoso.com not found at dc01")
        );
        assert!(
            analysis.causes.iter().all(|c| c.id.0 != "dns-propagation"),
            "0.25 alone is under the threshold"
        );

        // The same lookup answered by another server: propagation, not a missing record.
        let answered = format!(
            "{NSLOOKUP_MISSING}\r\nServer:  ns1.dnshost-example.net\r\nAddress:  203.0.113.53\r\n\r\nsip.contoso.com\tcanonical name = sipdir.online.lync.com\r\n"
        );
        let (_d, path) = zip_of(&[
            (
                "Tracing/Lync-UccApi-0.UccApilog",
                register_log("kim@contoso.com"),
            ),
            ("Network/dns.txt", answered.into_bytes()),
        ]);
        let analysis = analyze(&[path], &rules, &catalog, &opts(), None);
        let ids: Vec<&str> = analysis.causes.iter().map(|c| c.id.0.as_str()).collect();
        assert_eq!(ids, ["dns-propagation"], "{:#?}", analysis.causes);
    }

    const TRUST_REG: &str = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Communicator]\r\n\"TrustModelData\"=\"fabrikam.com,litwareinc.com\"\r\n";

    #[test]
    fn trustmodeldata_without_the_users_domain_groups_the_look_alikes() {
        let (rules, catalog) = rules();
        let run = |user: &str, reg: &str| {
            let (_d, path) = zip_of(&[
                ("Tracing/Lync-UccApi-0.UccApilog", register_log(user)),
                ("Registry/communicator.reg", utf16le(reg)),
            ]);
            analyze(&[path], &rules, &catalog, &opts(), None)
        };
        let a = run("kim@contoso.com", TRUST_REG);
        let ids: Vec<&str> = a.causes.iter().map(|c| c.id.0.as_str()).collect();
        assert_eq!(ids, ["trustmodeldata-missing", "untrusted-server-prompt"]);
        assert_eq!(a.causes[0].confidence, a.causes[1].confidence);
        assert_eq!(a.causes[0].tied_with[0].0, "untrusted-server-prompt");
        assert_eq!(a.causes[1].tied_with[0].0, "trustmodeldata-missing");
        assert_eq!(a.look_alike_groups.len(), 1);
        let g = &a.look_alike_groups[0];
        assert_eq!(g.causes.len(), 2);
        assert_eq!(g.check.len(), 2, "both distinguish texts");
        let ev = &a.causes[0].evidence[0];
        assert_eq!(
            (ev.member.as_str(), ev.line),
            ("Registry/communicator.reg", 4)
        );
        assert_eq!(ev.text, "TrustModelData = \"fabrikam.com,litwareinc.com\"");
        assert_eq!(
            a.causes[0].reasons[0].rule,
            "trustmodeldata-missing.lacks-domain"
        );
        assert_eq!(a.inventory[1].format, "reg-export");

        // The domain listed (as a parent of the user's domain): nothing to report.
        let a = run(
            "kim@emea.contoso.com",
            &TRUST_REG.replace("litwareinc.com", "contoso.com"),
        );
        assert!(a.causes.is_empty(), "{:#?}", a.causes);
        assert!(a.look_alike_groups.is_empty());
        // `reg query` output, redirected from Windows PowerShell (UTF-16LE), reads the same.
        let query = "\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Communicator\r\n    TrustModelData    REG_SZ    fabrikam.com,litwareinc.com\r\n\r\n";
        let a = run("kim@contoso.com", query);
        let ids: Vec<&str> = a.causes.iter().map(|c| c.id.0.as_str()).collect();
        assert_eq!(ids, ["trustmodeldata-missing", "untrusted-server-prompt"]);
        assert_eq!(a.causes[0].evidence[0].line, 3);
        // Without a client log the domain is unknown and the value proves nothing.
        let (_d, path) = zip_of(&[("communicator.reg", TRUST_REG.as_bytes().to_vec())]);
        let a = analyze(&[path], &rules, &catalog, &opts(), None);
        assert!(a.causes.is_empty(), "{:#?}", a.causes);
    }

    const PROXY: &str = "\r\nCurrent WinHTTP proxy settings:\r\n\r\n    Proxy Server(s) :  proxy.contoso.com:8080\r\n    Bypass List     :  (none)\r\n\r\n";

    #[test]
    fn a_proxy_alone_is_no_cause_but_corroborates_sign_in_endpoint_failures() {
        let (rules, catalog) = rules();
        let (_d, path) = zip_of(&[("netsh.txt", PROXY.as_bytes().to_vec())]);
        let a = analyze(&[path], &rules, &catalog, &opts(), None);
        assert!(a.causes.is_empty(), "{:#?}", a.causes);
        assert_eq!(a.inventory[0].format, "winhttp-proxy");
        assert_eq!(
            a.inventory[0].reason.as_deref(),
            Some("WinHTTP proxy proxy.contoso.com:8080")
        );

        let tnc = "PS C:\\Users\\kim> Test-NetConnection login.microsoftonline.com -Port 443\r\nWARNING: TCP connect to (20.190.151.68 : 443) failed\r\n\r\nComputerName           : login.microsoftonline.com\r\nRemoteAddress          : 20.190.151.68\r\nTcpTestSucceeded       : False\r\n";
        let (_d, path) = zip_of(&[
            ("netsh.txt", PROXY.as_bytes().to_vec()),
            ("tnc.txt", tnc.as_bytes().to_vec()),
        ]);
        let a = analyze(&[path], &rules, &catalog, &opts(), None);
        assert_eq!(a.causes[0].id.0, "msoidsvc-blocked", "{:#?}", a.causes);
        assert_eq!(a.causes[0].confidence, 0.75);
        assert_eq!(a.causes[0].reasons.len(), 2);
        // Without the proxy the failure still counts, weaker.
        let (_d, path) = zip_of(&[("tnc.txt", tnc.as_bytes().to_vec())]);
        let a = analyze(&[path], &rules, &catalog, &opts(), None);
        assert_eq!(a.causes[0].confidence, 0.5);
    }

    /// The connector errors exactly as the article quotes them, one per line, in the shared
    /// corpus: the file is recognised as PowerShell output and each line finds its cause.
    #[test]
    fn connector_errors_from_the_shared_corpus() {
        let Some(bytes) =
            crate::corpus::read("excerpts/powershell_sfbo_connector_errors_officedocs.txt")
        else {
            return;
        };
        assert_eq!(detect::detect("errors.txt", &bytes), Format::PowerShell);
        let (rules, catalog) = rules();
        let (_d, zip) = zip_of(&[("errors.txt", bytes.clone())]);
        let a = analyze(&[zip], &rules, &catalog, &opts(), None);
        let text = String::from_utf8(bytes).unwrap();
        let line_of = |stem: &str| {
            1 + text
                .lines()
                .position(|l| !l.starts_with('#') && l.contains(stem))
                .unwrap() as u32
        };
        for (cause, stem) in [
            ("ps-execution-policy", "running scripts is disabled"),
            ("ps-version", "minimum PowerShell version"),
            ("liveid-connect-failed", "Failed to connect live id"),
            ("liveid-module-missing", "Can not load Live Id"),
            ("ps-logon-failed", "Logon failed for the user"),
            (
                "ps-no-tenant-permission",
                "permission to manage this tenant",
            ),
            (
                "ps-remote-access-disabled",
                "remote PowerShell session has been disabled",
            ),
            ("ps-max-shells-user", "concurrent shells for this user"),
            ("ps-max-shells-tenant", "concurrent shells for this tenant"),
        ] {
            let c = a
                .causes
                .iter()
                .find(|c| c.id.0 == cause)
                .unwrap_or_else(|| panic!("{cause}: {:#?}", a.causes));
            assert_eq!(c.evidence_count, 1, "{cause}");
            assert_eq!(c.evidence[0].line, line_of(stem), "{cause}");
        }
    }

    #[test]
    fn a_password_in_a_transcript_never_reaches_the_evidence() {
        let (rules, _) = rules();
        let text = "PS C:\\> $c = New-Object PSCredential('admin@contoso.com', (ConvertTo-SecureString 'Winter2026!' -AsPlainText -Force)); $s = New-CsOnlineSession -Credential $c\r\nGet-CsWebTicket : Logon failed for the user 'a@b.c'.\r\nAt line:1 char:1\r\n+ $c = New-Object PSCredential('admin@contoso.com', (ConvertTo-SecureString 'Winter2026!' -AsPlainText -Force)) ...\r\n    + CategoryInfo          : NotSpecified: (:) [Get-CsWebTicket], WebTicketException\r\n    + FullyQualifiedErrorId : Microsoft.Rtc.Management.Hosted.Online.Models.WebTicketException\r\n";
        let out = analyze_text(&rules, "t.txt", Format::PowerShell, text.as_bytes());
        assert_eq!(out.hits.len(), 1);
        for h in &out.hits {
            for e in &h.evidence {
                assert!(!e.text.contains("Winter2026"), "{}", e.text);
                assert!(
                    e.text.contains("ConvertTo-SecureString [redacted]"),
                    "the line that held it is shown: {}",
                    e.text
                );
            }
        }
    }

    #[test]
    fn powershell_errors_no_rule_explains_are_kept() {
        let (rules, _) = rules();
        let text = "PS C:\\> Get-Service WinRMx\r\nGet-Service : Cannot find any service with service name 'WinRMx'.\r\nAt line:1 char:1\r\n    + CategoryInfo          : ObjectNotFound: (WinRMx:String) [Get-Service], ServiceCommandException\r\n    + FullyQualifiedErrorId : NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand\r\nGet-CsWebTicket : Can not load Live Id module. Make sure correct version of Live Id Sign-in assistant is installed.\r\n";
        let out = analyze_text(&rules, "c.txt", Format::PowerShell, text.as_bytes());
        let texts: Vec<(u32, &str)> = out
            .unexplained
            .iter()
            .map(|e| (e.line, e.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [(
                2,
                "Get-Service : Cannot find any service with service name 'WinRMx'."
            )],
            "the explained Live ID error is not repeated"
        );
        // Command output has no error records to report.
        let out = analyze_text(
            &rules,
            "n.txt",
            Format::Nslookup,
            NSLOOKUP_MISSING.as_bytes(),
        );
        assert!(out.unexplained.is_empty());
    }

    /// The client log of a bundled sample, for tests that need real Date headers.
    fn sample_log(zip_name: &str, member: &str) -> Vec<u8> {
        let path = format!("{}/samples/{zip_name}", env!("CARGO_MANIFEST_DIR"));
        let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut z.by_name(member).unwrap(), &mut bytes).unwrap();
        bytes
    }

    #[test]
    fn a_time_zone_setting_that_contradicts_the_log_means_clock_skew() {
        let (rules, catalog) = rules();
        // Sign-in fails (4005) in a log that runs at UTC+05:30 and looks in sync.
        let log = sample_log(
            "user-not-sip-enabled.zip",
            "Tracing/Lync-UccApi-0.UccApilog",
        );
        let systeminfo = |zone: &str| {
            format!("\r\nHost Name:                 FAB-BLR-0231\r\nOS Name:                   Microsoft Windows 10 Enterprise\r\nTime Zone:                 {zone}\r\n").into_bytes()
        };
        let run = |zone: &str| {
            let (_d, path) = zip_of(&[
                ("Tracing/Lync-UccApi-0.UccApilog", log.clone()),
                ("systeminfo.txt", systeminfo(zone)),
            ]);
            analyze(&[path], &rules, &catalog, &opts(), None)
        };
        let a = run("(UTC-05:00) Eastern Time (US & Canada)");
        let skew = a
            .causes
            .iter()
            .find(|c| c.id.0 == "clock-skew")
            .expect("clock-skew");
        assert_eq!(skew.confidence, 0.7, "{:#?}", skew.reasons);
        assert_eq!(
            skew.reasons.len(),
            1,
            "clock-in-sync withdrawn: {:#?}",
            skew.reasons
        );
        let ev = &skew.evidence[0];
        assert_eq!((ev.member.as_str(), ev.line), ("systeminfo.txt", 4));
        assert!(
            ev.text.contains("UTC-05:00") && ev.text.contains("UTC+05:30"),
            "{}",
            ev.text
        );
        assert!(ev.text.contains("10 h 30 min apart"), "{}", ev.text);
        // The zone the log runs in, with or without daylight saving time: nothing to say.
        for zone in [
            "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi",
            "(UTC+04:30) Kabul",
        ] {
            let a = run(zone);
            assert!(
                a.causes.iter().all(|c| c.id.0 != "clock-skew"),
                "{zone}: {:#?}",
                a.causes
            );
        }
    }

    #[test]
    fn focus_keeps_the_lead_and_the_match() {
        let body = format!(
            "Cmdlet-Name : [host] {} the needle here",
            "word ".repeat(40)
        );
        let at = body.find("needle");
        let f = focus(&body, at);
        assert!(f.starts_with("Cmdlet-Name : [host] word"), "{f}");
        assert!(f.contains(" … ") && f.ends_with("the needle here"), "{f}");
        assert_eq!(focus("short needle", Some(6)), "short needle");
        assert_eq!(focus(&body, None), body);
        // Multi-byte text around the cut points.
        let body = format!("é{}needle", "éà ".repeat(60));
        let f = focus(&body, body.find("needle"));
        assert!(f.ends_with("needle"), "{f}");
    }

    #[test]
    fn text_members_never_panic_on_cut_or_mangled_input() {
        let (rules, _) = rules();
        let console = "PS C:\\> x\r\n".to_string()
            + &"New-PSSession : maximum number of concurrent shells for this tenant ".repeat(3)
            + "\r\n    + CategoryInfo          : OpenError\r\n";
        let texts = [
            TRANSCRIPT,
            NSLOOKUP_MISSING,
            TRUST_REG,
            PROXY,
            console.as_str(),
        ];
        for text in texts {
            let bytes = text.as_bytes();
            for format in [Format::PowerShell, Format::Nslookup, Format::RegExport] {
                for cut in 0..=bytes.len() {
                    let out = analyze_text(&rules, "m", format, &bytes[..cut]);
                    assert_eq!(out.entry.unwrap().status, Status::Parsed);
                }
            }
            // One character dropped anywhere, and UTF-16 cut at every byte (odd ones too).
            let chars: Vec<char> = text.chars().collect();
            for i in 0..chars.len() {
                let s: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
                let _ = analyze_text(&rules, "m", Format::PowerShell, s.as_bytes());
                let _ = analyze_text(&rules, "m", Format::Nslookup, s.as_bytes());
            }
            let le = utf16le(text);
            for cut in 0..=le.len() {
                let _ = analyze_text(&rules, "m", Format::PowerShell, &le[..cut]);
            }
        }
    }

    #[test]
    fn zip_with_a_french_utf16_csv_export_reports_dns_cname_missing() {
        let csv = crate::parse::evcsv::tests::french_csv();
        let bytes = crate::parse::eventtext::tests_support::utf16le(&csv);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("Journaux/Application.csv", opts).unwrap();
        w.write_all(&bytes).unwrap();
        w.finish().unwrap();

        let (rules, catalog) = rules();
        let analysis = analyze(&[path], &rules, &catalog, &Options::default(), None);
        let top = analysis.causes.first().expect("a cause");
        assert_eq!(top.id.0, "dns-cname-missing", "{:#?}", analysis.causes);
        assert_eq!(top.reasons[0].rule, "dns-cname-missing.lync-event-3");
        let ev = &top.evidence[0];
        assert_eq!(ev.line, 2, "the line where the event's row starts");
        assert!(
            ev.text
                .starts_with("Lync 3 Error: Lync n’a pas pu résoudre"),
            "{}",
            ev.text
        );
        // Local time of the exporting machine: no `Z`, no offset.
        assert_eq!(ev.time.as_deref(), Some("2026-11-05T09:14:02.000"));
        let entry = &analysis.inventory[0];
        assert_eq!(
            (
                entry.format,
                entry.status,
                entry.encoding,
                entry.counts.records,
                entry.counts.errors
            ),
            ("event-csv", Status::Parsed, Some("utf-16le"), 2, 0)
        );
        // Its Time-Service 129 alone (no time source found, normal off the corporate network)
        // only corroborates other evidence of a wrong clock: no clock-skew.
        assert!(analysis.causes.iter().all(|c| c.id.0 != "clock-skew"));
    }

    #[test]
    fn every_text_form_goes_through_the_rules() {
        use crate::parse::eventtext::tests_support::excerpt;
        let (rules, _) = rules();
        let analyzer = MemberAnalyzer {
            rules: &rules,
            progress: None,
            time_budget: None,
            keep_messages: true,
        };
        let Some(json) =
            excerpt("windows_system_events_timesvc_schannel_kerberos_get-eventlog_json.txt")
        else {
            return;
        };
        let format = detect::detect("System.json", json.as_bytes());
        assert_eq!(format, Format::EventPsJson);
        let out = analyzer.content("System.json", format, json.as_bytes());
        let entry = out.entry.unwrap();
        assert_eq!(
            (entry.format, entry.counts.records, entry.counts.errors),
            ("event-ps-json", 8, 0)
        );
        let hit: Vec<&str> = out
            .hits
            .iter()
            .map(|h| rules.get(h.rule).id.as_str())
            .collect();
        assert_eq!(
            hit,
            [
                "corrupt-credentials.kerberos-14-credential-manager",
                "clock-skew.time-service-not-syncing"
            ],
            "Kerberos 14, Time-Service 129 and 50 (both rules only corroborate)"
        );
        assert_eq!(out.hits[1].count, 2);
        // Broken rows are counted, and the first is named.
        let bad = "Level,Date and Time,Source,Event ID,Task Category\nError,9/29/2026 10:01:02 AM,Lync,3,None,\"x\"\nError,9/29/2026 10:01:02 AM,Lync,three,None,\"x\"\n";
        let out = analyzer.content("a.csv", Format::EventCsv, bad.as_bytes());
        let entry = out.entry.unwrap();
        assert_eq!((entry.counts.records, entry.counts.errors), (1, 1));
        assert!(
            entry
                .reason
                .unwrap()
                .starts_with("first unreadable record: line 3: not an event row")
        );
    }

    /// Every text reader on every event excerpt (its own form or not), whole and cut or
    /// noised every few characters: counts come back, nothing panics.
    #[test]
    fn text_readers_survive_any_excerpt_cut_or_noised() {
        use crate::parse::eventtext::tests_support::excerpt;
        let (rules, _) = rules();
        let names = [
            "eventviewer_saveas_csv_security_keywords_col.csv.txt",
            "eventviewer_saveas_txt_tabdelimited_sysmon1.txt",
            "wevtutil_text_en_security4799_htb.txt",
            "wevtutil_text_zhCN_kernelpower107.txt",
            "eventviewer_copy_as_text_ja_taskscheduler201.txt",
            "uccapi_ms-diagnostics_4005_and_LS_UserReplicator_30061_supportarticles.txt",
            "lync_client_app_events_get-eventlog_json.txt",
        ];
        let forms = [
            Format::EventCsv,
            Format::EventTsv,
            Format::EventWevtutil,
            Format::EventDetailsText,
            Format::EventPsJson,
            Format::EventPsCsv,
            Format::EventPsList,
        ];
        for name in names {
            let Some(text) = excerpt(name) else { return };
            let bytes = text.as_bytes();
            for form in forms {
                let whole = analyze_event_text(&rules, name, form, bytes);
                assert!(whole.entry.is_some());
                for cut in (0..bytes.len()).step_by(7) {
                    let _ = analyze_event_text(&rules, name, form, &bytes[..cut]);
                    let mut noised = bytes.to_vec();
                    noised[cut] ^= 0x5A;
                    let out = analyze_event_text(&rules, name, form, &noised);
                    assert_eq!(out.entry.unwrap().status, Status::Parsed);
                }
            }
        }
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
        let Some(bytes) =
            crate::corpus::read("evtx/evtx/samples/sample_with_a_bad_chunk_magic.evtx")
        else {
            return;
        };
        let analyzer = MemberAnalyzer {
            rules: &rules,
            progress: None,
            time_budget: None,
            keep_messages: true,
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

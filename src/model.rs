//! The model: data every stage shares, below all of them.
//!
//! This module owns the plain types that travel from one stage to the next — a member's
//! [`Status`] and [`InventoryEntry`], the [`Evidence`] and [`Fact`]s rules produce and
//! reports show, a member's [`MemberOutcome`], the REGISTER [`Registration`]s and
//! [`ClockSample`]s the correlator keeps, and the client's [`SignInAttempt`]s with their
//! [`Phase`] and [`AttemptOutcome`]. It holds no logic beyond constructors and small
//! accessors, and it imports no stage: bundle, detect, parse, events, attempts, rules,
//! diagnosis and report all import it, never the other way round.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use crate::events::ClueAt;
use crate::redact;

/// Which way a message travelled, as seen from the client that wrote the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Sent,
    Received,
    Unknown,
}

/// How a member was treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Parsed,
    Skipped,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Parsed => "parsed",
            Status::Skipped => "skipped",
            Status::Failed => "failed",
        }
    }
}

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
    /// What command output and registry exports showed, for the bundle-wide step.
    pub clues: Vec<ClueAt>,
    /// The client's sign-in attempts this member shows (client logs only), in log order.
    pub attempts: Vec<SignInAttempt>,
    /// SIP messages kept whole for the report's message browser (bounded).
    pub messages: crate::messages::KeptMessages,
}

/// A REGISTER transaction (one Call-ID) as seen in one member.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub call_id: String,
    pub challenges: u32,
    /// Final (non-1xx, non-401/407) status, the last one seen.
    pub final_status: Option<u16>,
    pub first_time: Option<NaiveDateTime>,
    pub last_time: Option<NaiveDateTime>,
    /// The last response of the transaction.
    pub last_response: Option<Evidence>,
    /// The first challenge that sent the client to the certificate provisioning service
    /// (`WWW-Authenticate: TLS-DSK … sts-uri="…/CertProv/…"`), when there was one.
    pub certprov_challenge: Option<Evidence>,
    /// The client answered a challenge with another scheme than `TLS-DSK` (NTLM, Kerberos):
    /// then a failure is not the certificate's.
    pub other_auth_scheme: bool,
    /// The sign-in address (`From` URI of the first REGISTER sent), lowercase, without `sip:`.
    pub from_uri: Option<String>,
    /// The messages of the transaction, for the SIP ladder (at most [`MAX_STEPS`]; kept only
    /// for the last [`LADDERS_KEPT`] registrations of a member).
    pub steps: Vec<LadderStep>,
}

/// One arrow of a SIP ladder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LadderStep {
    #[serde(skip)]
    pub member_index: usize,
    pub member: String,
    pub line: u32,
    #[serde(skip)]
    pub local: Option<NaiveDateTime>,
    /// Display time (set by the diagnosis once the zone is known).
    pub time: Option<String>,
    pub direction: Direction,
    /// `REGISTER` or `401 Unauthorized`.
    pub label: String,
    pub status: Option<u16>,
    /// `ms-diagnostics 1013 "Significant time skew…"`, when present.
    pub diagnostics: Option<String>,
}

/// Messages kept per registration for its ladder.
pub const MAX_STEPS: usize = 16;
/// Registrations of a member whose ladder steps are kept (older ones drop theirs).
pub const LADDERS_KEPT: usize = 32;

impl Registration {
    pub fn succeeded(&self) -> bool {
        self.final_status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Local log time against the server's `Date:` header, for one received response.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockSample {
    pub member_index: usize,
    pub member: String,
    pub line: u32,
    pub local: NaiveDateTime,
    pub server: DateTime<Utc>,
}

impl ClockSample {
    /// local − server, in seconds (milliseconds kept).
    pub fn difference(&self) -> f64 {
        (self.local - self.server.naive_utc()).num_milliseconds() as f64 / 1000.0
    }
}

/// The user and client, as far as the traffic shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// SIP URI of the first REGISTER sent.
    pub sip_uri: Option<String>,
    /// User-Agent of the first REGISTER sent.
    pub client: Option<String>,
    /// Server header of the first response to a REGISTER.
    pub registrar: Option<String>,
}

/// A fact the engine measured across messages or members, with the evidence it rests on.
///
/// Facts are generic measurements (a REGISTER transaction's challenges, the clock offset, a
/// DNS name's answers, the current sign-in problem); which of them support which cause, and
/// with which thresholds, is said by the `[rule.fact]` rules. `fields` are named values a
/// rule's `where` / `not` / `any` conditions read; the names and kinds each fact carries are
/// listed in `events::FACTS`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub name: &'static str,
    pub value: f64,
    #[serde(skip)]
    pub fields: Vec<(&'static str, FieldValue)>,
    pub evidence: Evidence,
}

impl Fact {
    /// A fact without fields.
    pub fn new(name: &'static str, value: f64, evidence: Evidence) -> Fact {
        Fact {
            name,
            value,
            fields: Vec::new(),
            evidence,
        }
    }

    /// Add a field (builder style).
    pub fn with(mut self, name: &'static str, value: impl Into<FieldValue>) -> Fact {
        self.fields.push((name, value.into()));
        self
    }

    /// Add a field when there is a value.
    pub fn with_opt<V: Into<FieldValue>>(self, name: &'static str, value: Option<V>) -> Fact {
        match value {
            Some(v) => self.with(name, v),
            None => self,
        }
    }

    /// The field of that name; `value` names the fact's value.
    pub fn field(&self, name: &str) -> Option<std::borrow::Cow<'_, FieldValue>> {
        if name == "value" {
            return Some(std::borrow::Cow::Owned(FieldValue::Number(self.value)));
        }
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| std::borrow::Cow::Borrowed(v))
    }
}

/// What the bundle-wide step knows that fact conditions may refer to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactContext {
    /// The user's SIP domain (from the first REGISTER's `From`), lowercase.
    pub domain: Option<String>,
}

/// The value of a fact's field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Text(String),
    Number(f64),
    Bool(bool),
    List(Vec<String>),
}

impl FieldValue {
    /// The kind, as `rules/README.md` names it.
    pub fn kind(&self) -> &'static str {
        match self {
            FieldValue::Text(_) => "text",
            FieldValue::Number(_) => "number",
            FieldValue::Bool(_) => "bool",
            FieldValue::List(_) => "list",
        }
    }
}

impl From<&str> for FieldValue {
    fn from(s: &str) -> Self {
        FieldValue::Text(s.to_string())
    }
}
impl From<String> for FieldValue {
    fn from(s: String) -> Self {
        FieldValue::Text(s)
    }
}
impl From<bool> for FieldValue {
    fn from(b: bool) -> Self {
        FieldValue::Bool(b)
    }
}
impl From<f64> for FieldValue {
    fn from(n: f64) -> Self {
        FieldValue::Number(n)
    }
}
impl From<u32> for FieldValue {
    fn from(n: u32) -> Self {
        FieldValue::Number(f64::from(n))
    }
}
impl From<u16> for FieldValue {
    fn from(n: u16) -> Self {
        FieldValue::Number(f64::from(n))
    }
}
impl From<usize> for FieldValue {
    fn from(n: usize) -> Self {
        FieldValue::Number(n as f64)
    }
}
impl From<Vec<String>> for FieldValue {
    fn from(v: Vec<String>) -> Self {
        FieldValue::List(v)
    }
}

/// A place in the bundle that supports or opposes a cause.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    /// Index of the member in the inventory (for ordering); not serialised.
    #[serde(skip)]
    pub member_index: usize,
    /// Member path inside the bundle (`bundle.zip!Tracing/Lync-UccApi-0.UccApilog`).
    pub member: String,
    /// 1-based line in the member; for a Windows event, its record ID (`EventRecordID`, or
    /// the event's 1-based position in an XML export that has none, or the line where the
    /// event starts in a text export that has none).
    pub line: u32,
    /// Local time written by the client, when the line had one; for a Windows event, its UTC
    /// time (event logs store UTC, UccApi logs the client's local time), or the exporting
    /// machine's local time when a text export wrote only that (see `zone_unknown`).
    #[serde(skip)]
    pub time: Option<NaiveDateTime>,
    /// Abridged, secret-free text.
    pub text: String,
    /// `time` is UTC (a Windows event), not the client's local time.
    #[serde(skip)]
    pub utc: bool,
    /// `time` is the local time of the machine that exported a Windows event (a CSV or text
    /// export), in a zone nothing in the bundle tells: printed as written, with no offset.
    #[serde(skip)]
    pub zone_unknown: bool,
}

/// Longest evidence text kept, in characters.
pub const EVIDENCE_TEXT_MAX: usize = 200;

impl Evidence {
    pub fn new(
        member_index: usize,
        member: &str,
        line: u32,
        time: Option<NaiveDateTime>,
        text: &str,
    ) -> Self {
        Evidence {
            member_index,
            member: member.to_string(),
            line,
            time,
            text: redact::abridge(&redact::secrets(text), EVIDENCE_TEXT_MAX),
            utc: false,
            zone_unknown: false,
        }
    }

    /// Mark `time` as UTC (Windows events), so reports show it with `Z` rather than the
    /// client's estimated zone.
    pub fn in_utc(mut self) -> Self {
        self.utc = true;
        self
    }

    /// Mark `time` as local to a machine whose zone is unknown (an event from a text export),
    /// so reports show it without `Z` and without the client's estimated offset.
    pub fn in_unknown_zone(mut self) -> Self {
        self.zone_unknown = true;
        self
    }
}

/// Places kept per rule per member (the first half and a spaced window of later ones); every
/// match is counted.
pub const EVIDENCE_PER_RULE: usize = 8;

/// How far a sign-in attempt got, in the order a sign-in goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// DNS lookups and autodiscover.
    Discovery,
    /// TCP/TLS to the registrar or edge; a REGISTER was sent.
    Connect,
    /// Challenges: NTLM, Kerberos, TLS-DSK (certificate provisioning), web ticket.
    Authenticate,
    /// The REGISTER got a final answer other than a challenge.
    Register,
    /// 200 OK to REGISTER.
    Registered,
    /// Registered, then signed out by the server.
    Terminated,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Discovery => "discovery",
            Phase::Connect => "connect",
            Phase::Authenticate => "authenticate",
            Phase::Register => "register",
            Phase::Registered => "registered",
            Phase::Terminated => "terminated",
        }
    }
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttemptOutcome {
    Registered,
    Failed,
    Terminated,
    /// The log ends, or the client gives up, without a final response.
    NoAnswer,
}

impl AttemptOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptOutcome::Registered => "registered",
            AttemptOutcome::Failed => "failed",
            AttemptOutcome::Terminated => "terminated",
            AttemptOutcome::NoAnswer => "no-answer",
        }
    }

    /// True for every outcome but `registered`.
    pub fn is_failure(self) -> bool {
        self != AttemptOutcome::Registered
    }
}

/// A place in the bundle: member and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    #[serde(skip)]
    pub member_index: usize,
    pub member: String,
    pub line: u32,
    /// Local time as logged.
    #[serde(skip)]
    pub time: Option<NaiveDateTime>,
}

/// The code that decided an attempt: SIP status, ms-diagnostics code and reason, HRESULT.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AttemptCode {
    pub sip_status: Option<u16>,
    pub ms_diagnostics: Option<u32>,
    /// The ms-diagnostics reason, as the server wrote it.
    pub reason: Option<String>,
    /// `0x80090324`, from the client's own error record.
    pub hresult: Option<String>,
}

impl AttemptCode {
    pub fn is_empty(&self) -> bool {
        self.sip_status.is_none() && self.ms_diagnostics.is_none() && self.hresult.is_none()
    }

    /// `SIP 401, ms-diagnostics 1000, 0x8009030C`.
    pub fn summary(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(s) = self.sip_status {
            parts.push(format!("SIP {s}"));
        }
        if let Some(d) = self.ms_diagnostics {
            parts.push(format!("ms-diagnostics {d}"));
        }
        if let Some(h) = &self.hresult {
            parts.push(h.clone());
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// One attempt of the client to sign in: from the first sign of a new sign-in to its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct SignInAttempt {
    pub start: Option<NaiveDateTime>,
    pub end: Option<NaiveDateTime>,
    pub phase: Phase,
    pub outcome: AttemptOutcome,
    pub code: AttemptCode,
    /// First and last record of the attempt.
    pub first: Place,
    pub last: Place,
    /// The SIP URI the attempt registered (From of its REGISTER), when it sent one.
    pub sip_uri: Option<String>,
    /// Host names the attempt talked to or looked up (registrar, edge, autodiscover), lower
    /// case, at most a few: they tell an online deployment from an on-premises one.
    pub hosts: Vec<String>,
    /// The `Server:` header of the registrar's first answer.
    pub server: Option<String>,
    /// Final failures inside the attempt (a transient 503 then a retry counts one).
    pub failures: u32,
    /// The member ended while the attempt was still going: the next member may continue it.
    pub open_at_end: bool,
}

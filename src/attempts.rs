//! Sign-in attempts: which attempts happened, how far each got, and which failure is current.
//!
//! This module owns reading a client log as a support engineer does. [`AttemptTracker`] follows
//! one member's records and SIP messages in one streaming pass with bounded state and cuts
//! them into [`SignInAttempt`]s: an attempt starts at the first sign of a new sign-in
//! (autodiscover or DNS lookups of the sign-in names, a REGISTER with a new Call-ID) and runs to
//! its outcome (`registered`, `failed`, `terminated` by the server, or `no-answer`); a retry
//! soon after a transient failure (`503`, `Retry-After`, a redirect) stays in the same attempt,
//! while a new REGISTER after a final failure, or after a long silence, starts a new one.
//! [`join_members`] puts the attempts of every client-log member (current file, `.bak`,
//! rotations, nested zips) on one time axis and joins an attempt cut by a rotation.
//! [`Episodes`] then splits them into the current problem — the failing attempts after the last
//! successful sign-in — and the history of earlier, resolved problems, and says for any time
//! which of the two it belongs to.

use std::sync::LazyLock;

use chrono::{Duration, NaiveDateTime};
use memchr::memmem;

use crate::model::{AttemptCode, AttemptOutcome, Phase, Place, SignInAttempt};
use crate::parse::sip::{Direction, MsDiagnostic, SipMessage};
use crate::parse::uccapi::UccApiRecord;

/// A retry this soon after a transient failure belongs to the same attempt.
pub const RETRY_GAP_SECONDS: i64 = 120;
/// An attempt still waiting for an answer after this much silence is over (`no-answer`).
pub const IDLE_GAP_SECONDS: i64 = 300;
/// Attempts kept per member: the newest ones (older ones are counted in `dropped`).
pub const ATTEMPTS_KEPT: usize = 2048;
/// Call-IDs remembered per attempt (more add nothing: refreshes reuse the first).
const CALL_IDS_KEPT: usize = 16;
/// Host names remembered per attempt.
const HOSTS_KEPT: usize = 8;

/// Literals that mark a record of the client's server discovery: the autodiscover names
/// (`lyncdiscover`, `lyncdiscoverinternal`), which every client of Lync 2013 and later looks up
/// first. (The DNS SRV names that follow belong to the same attempt; searching for them too
/// cost 5 % of the whole run on a 100 MB log for no new attempt.)
pub const DISCOVERY_LITERALS: [&str; 1] = ["lyncdiscover"];

/// Byte offsets of every discovery literal in a member's text, in order: one SIMD pass per
/// literal over the whole text.
pub fn discovery_hits(text: &str) -> Vec<usize> {
    static FINDERS: LazyLock<Vec<memmem::Finder<'static>>> = LazyLock::new(|| {
        DISCOVERY_LITERALS
            .iter()
            .map(|l| memmem::Finder::new(l.as_bytes()))
            .collect()
    });
    let mut hits: Vec<usize> = FINDERS
        .iter()
        .flat_map(|f| f.find_iter(text.as_bytes()))
        .collect();
    hits.sort_unstable();
    hits
}

/// Where an attempt stands while it is being followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// No final answer yet.
    Going,
    /// A transient failure: a retry within [`RETRY_GAP_SECONDS`] continues the attempt.
    RetryPending,
    /// Decided (registered, failed, terminated).
    Decided,
}

#[derive(Debug)]
struct Open {
    attempt: SignInAttempt,
    state: State,
    call_ids: Vec<String>,
    last_activity: Option<NaiveDateTime>,
}

/// Follows one member and cuts it into sign-in attempts.
#[derive(Debug, Default)]
pub struct AttemptTracker {
    done: Vec<SignInAttempt>,
    open: Option<Open>,
    /// The first discovery record seen while a session is registered: if a REGISTER with a
    /// new Call-ID follows soon, the new attempt began there.
    pending_discovery: Option<Place>,
    /// The member's path, for the attempts' places.
    member: String,
    /// Attempts dropped from the front once more than [`ATTEMPTS_KEPT`] were seen.
    pub dropped: u64,
}

/// A place in the member being followed. Its `member` stays empty while the attempt is
/// followed and is filled once when the attempt closes: one allocation per attempt, not per
/// message.
fn place(member_index: usize, record: &UccApiRecord<'_>) -> Place {
    Place {
        member_index,
        member: String::new(),
        line: record.line,
        time: record.time,
    }
}

fn seconds_between(a: Option<NaiveDateTime>, b: Option<NaiveDateTime>) -> Option<i64> {
    Some((b? - a?).num_seconds())
}

/// Is this a status after which the client retries on its own (server busy, moved, timed out)?
fn transient(status: u16) -> bool {
    matches!(status, 300..=399 | 408 | 480 | 500..=599)
}

/// The host part of a SIP URI or `host:port` text, lower case.
fn host_of(s: &str) -> Option<&str> {
    let s = s.trim().trim_start_matches('<');
    let s = s
        .strip_prefix("sip:")
        .or_else(|| s.strip_prefix("sips:"))
        .unwrap_or(s);
    let s = s.rsplit_once('@').map_or(s, |(_, h)| h);
    let end = s
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || c == b'.' || c == b'-'))
        .unwrap_or(s.len());
    let host = &s[..end];
    (host.contains('.') && host.bytes().any(|c| c.is_ascii_alphabetic())).then_some(host)
}

/// Add a host name (lower case) unless it is there already or the list is full; allocates
/// only for a new name.
fn add_host(hosts: &mut Vec<String>, host: &str) {
    if hosts.len() < HOSTS_KEPT && !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        hosts.push(host.to_ascii_lowercase());
    }
}

/// The first `0x8…` HRESULT in a record's text (`hr=0x80090324`, `(0x80090324)`).
fn hresult_in(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&bytes[from..], b"0x8") {
        let at = from + i;
        let digits = &text[at + 2..];
        let n = digits.bytes().take_while(u8::is_ascii_hexdigit).count();
        let boundary_before = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if n == 8 && boundary_before {
            return Some(format!("0x{}", digits[..8].to_ascii_uppercase()));
        }
        from = at + 3;
    }
    None
}

impl AttemptTracker {
    fn new_attempt(&mut self, at: Place, phase: Phase) {
        self.close();
        self.open = Some(Open {
            attempt: SignInAttempt {
                start: at.time,
                end: at.time,
                phase,
                outcome: AttemptOutcome::NoAnswer,
                code: AttemptCode::default(),
                first: at.clone(),
                last: at,
                sip_uri: None,
                hosts: Vec::new(),
                server: None,
                failures: 0,
                open_at_end: false,
            },
            state: State::Going,
            call_ids: Vec::new(),
            last_activity: None,
        });
    }

    fn remember(&mut self, member: &str) {
        if self.member.is_empty() {
            self.member = member.to_string();
        }
    }

    /// Close the open attempt, keeping its outcome (`no-answer` if it never got one).
    fn close(&mut self) {
        if let Some(mut open) = self.open.take() {
            open.attempt.first.member.clone_from(&self.member);
            open.attempt.last.member.clone_from(&self.member);
            self.done.push(open.attempt);
            if self.done.len() >= 2 * ATTEMPTS_KEPT {
                let drop = self.done.len() - ATTEMPTS_KEPT;
                self.done.drain(..drop);
                self.dropped += drop as u64;
            }
        }
    }

    fn touch(&mut self, at: &Place) {
        if let Some(open) = &mut self.open {
            open.attempt.last = at.clone();
            if at.time.is_some() {
                open.attempt.end = at.time;
                open.last_activity = at.time;
            }
        }
    }

    /// True when the open attempt has been silent too long to still be waiting.
    fn idle(&self, now: Option<NaiveDateTime>) -> bool {
        self.open.as_ref().is_some_and(|o| {
            seconds_between(o.last_activity.or(o.attempt.end), now)
                .is_some_and(|s| s > IDLE_GAP_SECONDS)
        })
    }

    /// A log record: autodiscover and DNS lookups of the sign-in names start an attempt; the
    /// client's own error records give the attempt its HRESULT. `discovery` says whether the
    /// record holds one of [`DISCOVERY_LITERALS`]: the caller finds them with one pass over the
    /// whole member ([`discovery_hits`]) rather than a search per record.
    pub fn observe_record(
        &mut self,
        member_index: usize,
        member: &str,
        record: &UccApiRecord<'_>,
        discovery: bool,
    ) {
        let text = record.text;
        let is_error = record.level.eq_ignore_ascii_case("ERROR");
        if !discovery && !is_error {
            return;
        }
        self.remember(member);
        let at = place(member_index, record);
        if discovery {
            let start_new = match &self.open {
                None => true,
                Some(o) => match o.state {
                    State::Decided => o.attempt.outcome != AttemptOutcome::Registered,
                    State::RetryPending => seconds_between(o.last_activity, at.time)
                        .is_some_and(|s| s > RETRY_GAP_SECONDS),
                    State::Going => self.idle(at.time),
                },
            };
            if start_new {
                self.new_attempt(at.clone(), Phase::Discovery);
            } else if self
                .open
                .as_ref()
                .is_some_and(|o| o.attempt.outcome == AttemptOutcome::Registered)
            {
                if self.pending_discovery.is_none() {
                    self.pending_discovery = Some(at);
                }
                return;
            }
            if let Some(o) = &mut self.open
                && o.attempt.hosts.len() < HOSTS_KEPT
            {
                for word in text.split([' ', '/', '(', ')', ',', '=']) {
                    if word.contains("lyncdiscover")
                        && let Some(h) = host_of(word)
                    {
                        add_host(&mut o.attempt.hosts, h);
                    }
                }
            }
            self.touch(&at);
        }
        if is_error && let Some(hr) = hresult_in(text) {
            // A registered session, then discovery again, then an error before any REGISTER:
            // a new sign-in that failed early (DNS, TLS, certificates).
            if self
                .open
                .as_ref()
                .is_some_and(|o| o.attempt.outcome == AttemptOutcome::Registered)
                && let Some(d) = self.pending_discovery.take()
                && seconds_between(d.time, at.time)
                    .is_some_and(|s| (0..=RETRY_GAP_SECONDS).contains(&s))
            {
                self.new_attempt(d, Phase::Discovery);
            }
            let Some(o) = &mut self.open else {
                return;
            };
            // An error long after a decided attempt belongs to no sign-in.
            if o.state == State::Decided
                && seconds_between(o.last_activity, at.time).is_some_and(|s| s > RETRY_GAP_SECONDS)
            {
                return;
            }
            if o.attempt.outcome == AttemptOutcome::Registered {
                return;
            }
            if o.attempt.code.hresult.is_none() {
                o.attempt.code.hresult = Some(hr);
            }
            if o.state == State::Going {
                // The client gave up on its own: a failure, which a retry may still continue.
                o.attempt.outcome = AttemptOutcome::Failed;
                o.attempt.failures += 1;
                o.state = State::RetryPending;
            }
            self.touch(&at);
        }
    }

    /// A SIP message: REGISTERs and their answers, and the server's registration NOTIFYs.
    pub fn observe_sip(
        &mut self,
        member_index: usize,
        member: &str,
        record: &UccApiRecord<'_>,
        direction: Direction,
        message: &SipMessage<'_>,
        diagnostics: &[MsDiagnostic<'_>],
    ) {
        let method = message.method();
        if method.is_some() {
            self.remember(member);
        }
        if method == Some("REGISTER") {
            if message.is_request() {
                if direction != Direction::Received {
                    self.register_sent(place(member_index, record), message);
                }
            } else if direction != Direction::Sent {
                self.register_answered(place(member_index, record), message, diagnostics);
            }
        } else if message.is_request()
            && matches!(method, Some("NOTIFY" | "BENOTIFY"))
            && direction != Direction::Sent
        {
            self.notify_received(place(member_index, record), message, diagnostics);
        }
    }

    fn register_sent(&mut self, at: Place, message: &SipMessage<'_>) {
        let call_id = message.call_id().unwrap_or("");
        let known = self
            .open
            .as_ref()
            .is_some_and(|o| o.call_ids.iter().any(|c| c == call_id));
        let start_new = match &self.open {
            None => true,
            Some(_) if known => false,
            Some(o) => match o.state {
                // Discovery without a REGISTER yet: this REGISTER is its next step.
                State::Going if o.call_ids.is_empty() => self.idle(at.time),
                // A new Call-ID while the first still waits: the client gave up and retried.
                State::Going => self.idle(at.time),
                State::RetryPending => {
                    seconds_between(o.last_activity, at.time).is_none_or(|s| s > RETRY_GAP_SECONDS)
                }
                State::Decided => true,
            },
        };
        let discovered = self.pending_discovery.take().filter(|d| {
            !known
                && seconds_between(d.time, at.time)
                    .is_some_and(|s| (0..=RETRY_GAP_SECONDS).contains(&s))
        });
        if start_new {
            self.new_attempt(discovered.unwrap_or_else(|| at.clone()), Phase::Connect);
        }
        let o = self.open.as_mut().expect("an open attempt");
        if !known && o.call_ids.len() < CALL_IDS_KEPT {
            o.call_ids.push(call_id.to_string());
        }
        if o.state == State::RetryPending && !known {
            // The retry continues the attempt, which is undecided again.
            o.state = State::Going;
            o.attempt.outcome = AttemptOutcome::NoAnswer;
        }
        if o.attempt.phase < Phase::Connect {
            o.attempt.phase = Phase::Connect;
        }
        if o.attempt.sip_uri.is_none() {
            o.attempt.sip_uri = message.from_uri().map(str::to_string);
        }
        // The request URI names the registrar domain: read it once per Call-ID.
        if !known
            && let crate::parse::sip::StartLine::Request { uri, .. } = message.start
            && let Some(h) = host_of(uri)
        {
            add_host(&mut o.attempt.hosts, h);
        }
        self.touch(&at);
    }

    fn register_answered(
        &mut self,
        at: Place,
        message: &SipMessage<'_>,
        diagnostics: &[MsDiagnostic<'_>],
    ) {
        let Some(status) = message.status() else {
            return;
        };
        let call_id = message.call_id().unwrap_or("");
        if self.open.is_none() && !(100..200).contains(&status) {
            // The answer to a REGISTER an earlier member (a rotated log) sent: the attempt
            // continues here, and joining the members puts the two halves together.
            self.new_attempt(at.clone(), Phase::Connect);
            let o = self.open.as_mut().expect("just opened");
            o.call_ids.push(call_id.to_string());
        }
        let Some(o) = &mut self.open else {
            return;
        };
        if !o.call_ids.iter().any(|c| c == call_id) {
            // An answer to a REGISTER this attempt never sent (a stray or late one).
            return;
        }
        if o.attempt.server.is_none() {
            o.attempt.server = message.header("Server").map(|s| s.trim().to_string());
        }
        // The challenge's target names the pool or edge: read the first challenge of an attempt.
        let names: &[&str] =
            if o.attempt.hosts.len() < HOSTS_KEPT && o.attempt.phase < Phase::Authenticate {
                &["WWW-Authenticate", "Proxy-Authenticate"]
            } else {
                &[]
            };
        for &name in names {
            for v in message.headers_named(name) {
                for part in v.split(',') {
                    let part = part.trim();
                    if let Some(t) = part
                        .strip_prefix("targetname=")
                        .or_else(|| part.strip_prefix("sts-uri="))
                    {
                        let t = t.trim_matches('"');
                        let t = t.split("://").nth(1).unwrap_or(t);
                        if let Some(h) = host_of(t.trim_start_matches("sip/")) {
                            add_host(&mut o.attempt.hosts, h);
                        }
                    }
                }
            }
        }
        let diag = diagnostics.first();
        let registered = o.attempt.outcome == AttemptOutcome::Registered;
        match status {
            100..=199 => return,
            200..=299 => {
                if !registered {
                    o.attempt.outcome = AttemptOutcome::Registered;
                    o.attempt.phase = o.attempt.phase.max(Phase::Registered);
                    o.state = State::Decided;
                    o.attempt.code = AttemptCode {
                        sip_status: Some(status),
                        ..AttemptCode::default()
                    };
                }
            }
            401 | 407 if diag.is_none() => {
                // A challenge: the handshake goes on.
                if !registered {
                    o.attempt.phase = o.attempt.phase.max(Phase::Authenticate);
                }
            }
            _ if registered => {
                // A refresh of a registered session failed: the session is over.
                o.attempt.outcome = AttemptOutcome::Terminated;
                o.attempt.phase = Phase::Terminated;
                o.attempt.code = code_of(status, diag);
            }
            _ => {
                let phase = if matches!(status, 401 | 407) {
                    Phase::Authenticate
                } else {
                    Phase::Register
                };
                o.attempt.phase = o.attempt.phase.max(phase);
                o.attempt.outcome = AttemptOutcome::Failed;
                o.attempt.failures += 1;
                let hresult = o.attempt.code.hresult.take();
                o.attempt.code = code_of(status, diag);
                o.attempt.code.hresult = hresult;
                o.state = if transient(status) || message.header("Retry-After").is_some() {
                    State::RetryPending
                } else {
                    State::Decided
                };
            }
        }
        self.touch(&at);
    }

    fn notify_received(
        &mut self,
        at: Place,
        message: &SipMessage<'_>,
        diagnostics: &[MsDiagnostic<'_>],
    ) {
        let registration = message
            .header("Event")
            .is_some_and(|e| e.trim().to_ascii_lowercase().starts_with("registration"))
            || message
                .header("Content-Type")
                .is_some_and(|c| c.to_ascii_lowercase().contains("registration"));
        let terminated = message
            .header("Subscription-State")
            .is_some_and(|s| s.trim().to_ascii_lowercase().starts_with("terminated"))
            || message.body.to_ascii_lowercase().contains("deregistered");
        if !(registration && terminated) {
            return;
        }
        let Some(o) = &mut self.open else {
            return;
        };
        if o.attempt.outcome != AttemptOutcome::Registered {
            return;
        }
        o.attempt.outcome = AttemptOutcome::Terminated;
        o.attempt.phase = Phase::Terminated;
        o.attempt.code = code_of(0, diagnostics.first());
        o.attempt.code.sip_status = None;
        self.touch(&at);
    }

    /// The member's attempts, oldest first; an attempt still going at the end is `no-answer`
    /// and marked `open_at_end`.
    pub fn finish(mut self) -> Vec<SignInAttempt> {
        if let Some(o) = &mut self.open
            && o.state != State::Decided
        {
            o.attempt.open_at_end = true;
        }
        self.close();
        self.done
    }
}

fn code_of(status: u16, diag: Option<&MsDiagnostic<'_>>) -> AttemptCode {
    AttemptCode {
        sip_status: (status > 0).then_some(status),
        ms_diagnostics: diag.map(|d| d.code),
        reason: diag
            .and_then(|d| d.reason)
            .map(|r| crate::redact::abridge(r, 120)),
        hresult: None,
    }
}

/// Put the attempts of every client-log member on one time axis (by start time; the member
/// order breaks ties) and join an attempt that a rotation cut in two: one left open at the end
/// of a member and continued by the first attempt of another within [`RETRY_GAP_SECONDS`].
pub fn join_members(mut attempts: Vec<SignInAttempt>) -> Vec<SignInAttempt> {
    attempts.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(a.first.member_index.cmp(&b.first.member_index))
            .then(a.first.line.cmp(&b.first.line))
    });
    let mut out: Vec<SignInAttempt> = Vec::with_capacity(attempts.len());
    for a in attempts {
        if let Some(prev) = out.last_mut()
            && prev.open_at_end
            && prev.last.member_index != a.first.member_index
            && seconds_between(prev.end, a.start)
                .is_some_and(|s| (0..=RETRY_GAP_SECONDS).contains(&s))
        {
            prev.end = a.end.or(prev.end);
            prev.last = a.last;
            prev.phase = prev.phase.max(a.phase);
            prev.outcome = a.outcome;
            if !a.code.is_empty() {
                prev.code = a.code;
            }
            prev.failures += a.failures;
            prev.sip_uri = prev.sip_uri.take().or(a.sip_uri);
            prev.server = prev.server.take().or(a.server);
            for h in a.hosts {
                if !prev.hosts.contains(&h) && prev.hosts.len() < HOSTS_KEPT {
                    prev.hosts.push(h);
                }
            }
            prev.open_at_end = a.open_at_end;
            continue;
        }
        out.push(a);
    }
    out
}

/// A run of failing attempts: the current problem (the last run, not followed by a successful
/// sign-in) or an earlier, resolved one.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    /// Indexes into the attempts, first and last.
    pub first: usize,
    pub last: usize,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// The start of the successful sign-in that ended it (`None` for the current problem).
    pub resolved_by: Option<NaiveDateTime>,
}

impl Episode {
    pub fn attempts(&self) -> usize {
        self.last - self.first + 1
    }
}

/// Which part of the story a moment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Epoch {
    /// The failure the user has now (or, when the user signed in at last, that sign-in).
    Current,
    /// An earlier problem, resolved since (index into [`Episodes::history`]).
    History(usize),
    /// Neither: near an earlier successful sign-in, or before the logs begin.
    Background,
}

/// Events this close to an attempt (Windows events, exports) count as part of it.
pub const NEAR_SECONDS: i64 = 120;

/// The attempts split into the current problem and the history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Episodes {
    pub current: Option<Episode>,
    pub history: Vec<Episode>,
    /// Where the current part of the story begins: after the last successful sign-in's
    /// session when the sign-in fails now; the start of the last successful sign-in when it
    /// works now; `None` (all of time) when no sign-in ever succeeded or there are no attempts.
    pub current_from: Option<NaiveDateTime>,
    /// True when the last attempt succeeded.
    pub signed_in_now: bool,
    /// The last attempt, when the log ends in the middle of it after the server had already
    /// answered (a handshake under way): it is neither a success nor a failure yet, and is left
    /// out of the episodes.
    pub in_progress: Option<usize>,
}

impl Episodes {
    pub fn of(attempts: &[SignInAttempt]) -> Self {
        let mut out = Episodes::default();
        let mut run: Option<(usize, usize)> = None;
        let mut last_success: Option<usize> = None;
        let mut judged = attempts;
        if let Some(last) = attempts.last()
            && last.open_at_end
            && last.outcome == AttemptOutcome::NoAnswer
            && last.phase >= Phase::Authenticate
        {
            out.in_progress = Some(attempts.len() - 1);
            judged = &attempts[..attempts.len() - 1];
        }
        for (i, a) in judged.iter().enumerate() {
            if a.outcome == AttemptOutcome::Registered {
                if let Some((f, l)) = run.take() {
                    out.history.push(Episode {
                        first: f,
                        last: l,
                        from: attempts[f].start,
                        to: attempts[l].end,
                        resolved_by: a.start,
                    });
                }
                last_success = Some(i);
            } else {
                run = Some(match run {
                    Some((f, _)) => (f, i),
                    None => (i, i),
                });
            }
        }
        match (run, last_success) {
            (Some((f, l)), _) => {
                out.current = Some(Episode {
                    first: f,
                    last: l,
                    from: attempts[f].start,
                    to: attempts[l].end,
                    resolved_by: None,
                });
                // Everything after the last session that worked is part of the problem.
                out.current_from = last_success.and_then(|s| {
                    let ended = attempts[s].end.or(attempts[s].start);
                    match (ended, attempts[f].start) {
                        (Some(e), Some(st)) => Some(e.min(st)),
                        (e, st) => e.or(st),
                    }
                });
            }
            (None, Some(s)) => {
                out.signed_in_now = true;
                out.current_from = attempts[s].start;
            }
            (None, None) => {}
        }
        out
    }

    /// The part of the story a local time belongs to. `near` widens the windows for sources
    /// timed by another clock (Windows events); undated evidence is always current.
    pub fn epoch(&self, time: Option<NaiveDateTime>, near: bool) -> Epoch {
        let Some(t) = time else {
            return Epoch::Current;
        };
        let slack = Duration::seconds(if near { NEAR_SECONDS } else { 0 });
        match self.current_from {
            None => return Epoch::Current,
            Some(from) if t + slack > from => return Epoch::Current,
            Some(_) => {}
        }
        for (i, e) in self.history.iter().enumerate() {
            let from = e.from.map(|f| f - slack);
            let to = e.resolved_by.or(e.to).map(|r| r + slack);
            if from.is_none_or(|f| t >= f) && to.is_none_or(|r| t <= r) {
                return Epoch::History(i);
            }
        }
        Epoch::Background
    }
}

fn time_text(t: Option<NaiveDateTime>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "an unknown time".to_string())
}

/// Facts about the sign-in story that rules can weigh:
///
/// - `last-attempt`: the bundle's last sign-in attempt (outcome, phase, deciding codes, the
///   hosts every attempt talked to);
/// - `current-problem`: the sign-in failing now, described by its last attempt, with whether
///   the same account signed in successfully before it began (value: failing attempts).
///
/// Which outcomes, codes and host names mean which cause is the rules' business.
pub fn attempt_facts(attempts: &[SignInAttempt], episodes: &Episodes) -> Vec<crate::model::Fact> {
    let mut out = Vec::new();
    let Some(last_of_all) = attempts.last() else {
        return out;
    };
    let mut hosts: Vec<String> = Vec::new();
    for a in attempts {
        for h in &a.hosts {
            if !hosts.contains(h) {
                hosts.push(h.clone());
            }
        }
    }
    let registrar_answered = attempts.iter().any(|a| a.server.is_some());
    let describe = |name: &'static str, value: f64, a: &SignInAttempt, text: String| {
        crate::model::Fact::new(
            name,
            value,
            crate::model::Evidence::new(
                a.last.member_index,
                &a.last.member,
                a.last.line,
                a.last.time,
                &text,
            ),
        )
        .with("outcome", a.outcome.as_str())
        .with("phase", a.phase.as_str())
        .with_opt("sip_status", a.code.sip_status)
        .with_opt("ms_diagnostics", a.code.ms_diagnostics)
        .with_opt("hresult", a.code.hresult.clone())
        .with("hosts", hosts.clone())
        .with("registrar_answered", registrar_answered)
        .with_opt("address", a.sip_uri.clone())
        .with("failures", a.failures)
    };
    let code_of = |a: &SignInAttempt| a.code.summary().unwrap_or_else(|| "no code".to_string());
    let reason_of = |a: &SignInAttempt| {
        a.code
            .reason
            .as_ref()
            .map(|r| format!(" \"{r}\""))
            .unwrap_or_default()
    };
    out.push(describe(
        "last-attempt",
        1.0,
        last_of_all,
        format!(
            "the last sign-in attempt, started {}: {} at {} ({}{})",
            time_text(last_of_all.start),
            last_of_all.outcome.as_str(),
            last_of_all.phase.as_str(),
            code_of(last_of_all),
            reason_of(last_of_all)
        ),
    ));
    let Some(cur) = &episodes.current else {
        return out;
    };
    let last = &attempts[cur.last];
    let earlier = attempts[..cur.first].iter().rev().find(|a| {
        a.outcome == AttemptOutcome::Registered
            && match (&a.sip_uri, &last.sip_uri) {
                (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                _ => true,
            }
    });
    let since = match earlier {
        Some(ok) => format!(
            "; the same account signed in successfully at {}",
            time_text(ok.start)
        ),
        None => String::new(),
    };
    out.push(
        describe(
            "current-problem",
            cur.attempts() as f64,
            last,
            format!(
                "the sign-in fails now: {} attempt(s) since {}, the last {} at {} ({}{}){since}",
                cur.attempts(),
                time_text(cur.from),
                last.outcome.as_str(),
                last.phase.as_str(),
                code_of(last),
                reason_of(last)
            ),
        )
        .with("signed_in_earlier", earlier.is_some())
        .with("attempts", cur.attempts()),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::uccapi::{UccApiItem, UccApiReader};

    /// Run the tracker over a log the way the pipeline does.
    pub(crate) fn track(member: &str, log: &str) -> Vec<SignInAttempt> {
        let mut t = AttemptTracker::default();
        for item in UccApiReader::new(log) {
            match &item {
                UccApiItem::Record(r) => {
                    let discovery = DISCOVERY_LITERALS.iter().any(|l| r.text.contains(l));
                    t.observe_record(0, member, r, discovery)
                }
                UccApiItem::Sip {
                    record,
                    direction,
                    message,
                } => {
                    let d = message.diagnostics();
                    t.observe_sip(0, member, record, *direction, message, &d)
                }
            }
        }
        t.finish()
    }

    /// A tiny log writer: `(time, line)` records and SIP messages framed as the client does.
    pub(crate) struct Log(String);

    impl Log {
        pub(crate) fn new() -> Self {
            Log(String::new())
        }
        pub(crate) fn rec(mut self, time: &str, level: &str, text: &str) -> Self {
            self.0.push_str(&format!(
                "11/10/2026|{time} 1D3C:6BE1 {level}  :: {text}\r\n"
            ));
            self
        }
        fn sip(mut self, time: &str, sent: bool, msg: &str) -> Self {
            let body = msg.replace('\n', "\r\n");
            let frame = if sent {
                "Sending Packet - 52.112.67.21:443 (From Local Address: 10.20.4.117:55765) 400 bytes:"
            } else {
                "Data Received - 52.112.67.21:443 (To Local Address: 10.20.4.117:55765) 400 bytes:"
            };
            self.0.push_str(&format!(
                "11/10/2026|{time} 1D3C:679F INFO  :: {frame}\r\n11/10/2026|{time} 1D3C:679F INFO  :: {body}\r\n\r\n11/10/2026|{time} 1D3C:679F INFO  :: End of {}\r\n",
                if sent { "Sending Packet" } else { "Data Received" }
            ));
            self
        }
        pub(crate) fn register(self, time: &str, call: &str, cseq: u32) -> Self {
            self.sip(
                time,
                true,
                &format!("REGISTER sip:contoso.com SIP/2.0\nFrom: <sip:kim@contoso.com>;tag=1\nTo: <sip:kim@contoso.com>\nCall-ID: {call}\nCSeq: {cseq} REGISTER\nContent-Length: 0"),
            )
        }
        pub(crate) fn answer(
            self,
            time: &str,
            call: &str,
            cseq: u32,
            status: &str,
            extra: &str,
        ) -> Self {
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!("\n{extra}")
            };
            self.sip(
                time,
                false,
                &format!("SIP/2.0 {status}\nFrom: <sip:kim@contoso.com>;tag=1\nTo: <sip:kim@contoso.com>;tag=2\nCall-ID: {call}\nCSeq: {cseq} REGISTER\nServer: RTC/7.0{extra}\nContent-Length: 0"),
            )
        }
        pub(crate) fn notify(self, time: &str, headers: &str) -> Self {
            self.sip(
                time,
                false,
                &format!("NOTIFY sip:10.20.4.117:55765;transport=tls SIP/2.0\nFrom: <sip:kim@contoso.com>;tag=9\nTo: <sip:kim@contoso.com>;tag=1\nCall-ID: reg1\nCSeq: 5 NOTIFY\n{headers}\nContent-Length: 0"),
            )
        }
        /// A full NTLM handshake ending in `last` (status line) with `extra` headers.
        pub(crate) fn handshake(self, time: &str, call: &str, last: &str, extra: &str) -> Self {
            self.register(time, call, 1)
                .answer(time, call, 1, "401 Unauthorized", "WWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"sippool.infra.lync.com\", version=4")
                .register(time, call, 2)
                .answer(time, call, 2, "401 Unauthorized", "WWW-Authenticate: NTLM opaque=\"1\", gssapi-data=\"x\"")
                .register(time, call, 3)
                .answer(time, call, 3, last, extra)
        }
        pub(crate) fn text(&self) -> &str {
            &self.0
        }
    }

    fn summary(a: &[SignInAttempt]) -> Vec<(String, &'static str, &'static str, Option<String>)> {
        a.iter()
            .map(|a| {
                (
                    a.start
                        .map(|t| t.format("%H:%M:%S").to_string())
                        .unwrap_or_default(),
                    a.phase.as_str(),
                    a.outcome.as_str(),
                    a.code.summary(),
                )
            })
            .collect()
    }

    const FINAL_HANDSHAKE: &str = "ms-diagnostics: 1000;reason=\"Final handshake failed\"";

    #[test]
    fn three_failed_handshakes_are_three_attempts_at_authentication() {
        let log = Log::new()
            .handshake("09:14:02.500", "a1", "401 Unauthorized", FINAL_HANDSHAKE)
            .rec("09:14:02.600", "ERROR", "CUccServerEndpoint::OnSignInFailed - Sign-in failed: hr=0x8009030C (SEC_E_LOGON_DENIED)")
            .handshake("09:15:03.500", "a2", "401 Unauthorized", FINAL_HANDSHAKE)
            .handshake("09:16:04.500", "a3", "401 Unauthorized", FINAL_HANDSHAKE);
        let a = track("log", log.text());
        assert_eq!(
            summary(&a),
            vec![
                (
                    "09:14:02".into(),
                    "authenticate",
                    "failed",
                    Some("SIP 401, ms-diagnostics 1000, 0x8009030C".into())
                ),
                (
                    "09:15:03".into(),
                    "authenticate",
                    "failed",
                    Some("SIP 401, ms-diagnostics 1000".into())
                ),
                (
                    "09:16:04".into(),
                    "authenticate",
                    "failed",
                    Some("SIP 401, ms-diagnostics 1000".into())
                ),
            ]
        );
        assert_eq!(a[0].failures, 1);
        assert!(
            a[0].hosts.contains(&"sippool.infra.lync.com".to_string()),
            "{:?}",
            a[0].hosts
        );
    }

    #[test]
    fn a_retry_after_a_transient_503_stays_in_one_attempt() {
        let log = Log::new()
            .rec(
                "08:41:07.280",
                "INFO",
                "CUccAutoDiscovery::Start - domain=contoso.com, mode=automatic",
            )
            .rec(
                "08:41:07.284",
                "TRACE",
                "CDnsResolver::Query - Resolving lyncdiscover.contoso.com (A)",
            )
            .register("08:41:07.735", "c1", 1)
            .answer(
                "08:41:08.834",
                "c1",
                1,
                "503 Service Unavailable",
                "Retry-After: 3",
            )
            .handshake("08:41:11.900", "c2", "200 OK", "Expires: 3600");
        let a = track("log", log.text());
        assert_eq!(
            summary(&a),
            vec![(
                "08:41:07".into(),
                "registered",
                "registered",
                Some("SIP 200".into())
            )]
        );
        assert_eq!(a[0].failures, 1, "the 503 is counted");
        assert!(
            a[0].hosts.contains(&"lyncdiscover.contoso.com".to_string()),
            "{:?}",
            a[0].hosts
        );
    }

    #[test]
    fn a_new_sign_in_hours_later_is_a_new_attempt_and_refreshes_are_not() {
        let log = Log::new()
            .handshake("08:00:00.000", "r1", "200 OK", "")
            .register("08:09:00.000", "r1", 4)
            .answer("08:09:00.100", "r1", 4, "200 OK", "")
            .rec("13:00:00.000", "TRACE", "CDnsResolver::Query - Resolving lyncdiscover.contoso.com (A)")
            .register("13:00:01.000", "r2", 1)
            .answer("13:00:01.100", "r2", 1, "404 Not Found", "ms-diagnostics: 4005;reason=\"Destination URI either not enabled for SIP or does not exist\"");
        let a = track("log", log.text());
        assert_eq!(
            summary(&a),
            vec![
                (
                    "08:00:00".into(),
                    "registered",
                    "registered",
                    Some("SIP 200".into())
                ),
                (
                    "13:00:00".into(),
                    "register",
                    "failed",
                    Some("SIP 404, ms-diagnostics 4005".into())
                ),
            ]
        );
        assert_eq!(a[0].end.unwrap().format("%H:%M").to_string(), "08:09");
    }

    #[test]
    fn a_server_deregistration_terminates_the_registered_attempt() {
        let log = Log::new()
            .handshake("10:00:00.000", "reg1", "200 OK", "")
            .notify(
                "10:02:00.000",
                "Event: registration\nContent-Type: text/registration-event\nsubscription-state: terminated;expires=0\nms-diagnostics-public: 4141;reason=\"User disabled\"",
            );
        let a = track("log", log.text());
        assert_eq!(
            summary(&a),
            vec![(
                "10:00:00".into(),
                "terminated",
                "terminated",
                Some("ms-diagnostics 4141".into())
            )]
        );
        assert_eq!(a[0].code.reason.as_deref(), Some("User disabled"));
    }

    #[test]
    fn a_terminated_presence_subscription_is_not_a_deregistration() {
        let log = Log::new().handshake("10:00:00.000", "reg1", "200 OK", "").notify(
            "10:02:00.000",
            "Event: presence\nSubscription-State: terminated;expires=0\nms-diagnostics-public: 2139;reason=\"Terminating old subscription since new subscription dialog took over the previous one\"",
        );
        let a = track("log", log.text());
        assert_eq!(
            summary(&a),
            vec![(
                "10:00:00".into(),
                "registered",
                "registered",
                Some("SIP 200".into())
            )]
        );
    }

    #[test]
    fn a_client_error_without_any_answer_fails_the_attempt_with_its_hresult() {
        let log = Log::new()
            .rec(
                "07:00:00.000",
                "TRACE",
                "CDnsResolver::Query - Resolving lyncdiscover.contoso.com (A)",
            )
            .rec(
                "07:00:01.000",
                "ERROR",
                "CUccCertificateManager::GetCertificate - failed hr=0x80090016",
            )
            .rec(
                "07:05:00.000",
                "TRACE",
                "CDnsResolver::Query - Resolving lyncdiscover.contoso.com (A)",
            )
            .register("07:05:01.000", "x1", 1);
        let a = track("log", log.text());
        assert_eq!(
            summary(&a),
            vec![
                (
                    "07:00:00".into(),
                    "discovery",
                    "failed",
                    Some("0x80090016".into())
                ),
                ("07:05:00".into(), "connect", "no-answer", None),
            ]
        );
        assert!(a[1].open_at_end);
    }

    #[test]
    fn rotation_joins_an_attempt_cut_between_members() {
        let first = Log::new().register("23:59:59.000", "k1", 1);
        let second = Log::new()
            .answer("23:59:59.500", "k1", 1, "401 Unauthorized", FINAL_HANDSHAKE)
            .rec(
                "23:59:59.600",
                "ERROR",
                "CUccServerEndpoint::OnSignInFailed - hr=0x8009030C",
            );
        let mut a = track("a.bak", first.text());
        assert!(a[0].open_at_end);
        let mut b = track("a", second.text());
        b.iter_mut().for_each(|x| {
            x.first.member_index = 1;
            x.last.member_index = 1;
        });
        // Member order must not matter: the current file comes first in the zip.
        b.append(&mut a);
        let joined = join_members(b);
        assert_eq!(
            summary(&joined),
            vec![(
                "23:59:59".into(),
                "authenticate",
                "failed",
                Some("SIP 401, ms-diagnostics 1000, 0x8009030C".into())
            )]
        );
        assert_eq!(
            (
                joined[0].first.member.as_str(),
                joined[0].last.member.as_str()
            ),
            ("a.bak", "a")
        );
    }

    #[test]
    fn episodes_split_current_problem_from_resolved_history() {
        let log = Log::new()
            .handshake("08:00:00.000", "h1", "401 Unauthorized", "ms-diagnostics: 1013;reason=\"Significant time skew detected during authentication\"")
            .handshake("08:01:00.000", "h2", "401 Unauthorized", "ms-diagnostics: 1013;reason=\"Significant time skew detected during authentication\"")
            .handshake("10:30:00.000", "ok", "200 OK", "")
            .handshake("15:00:00.000", "n1", "401 Unauthorized", FINAL_HANDSHAKE)
            .handshake("15:01:00.000", "n2", "401 Unauthorized", FINAL_HANDSHAKE);
        let a = track("log", log.text());
        let e = Episodes::of(&a);
        assert_eq!(e.history.len(), 1);
        assert_eq!(e.history[0].attempts(), 2);
        let t = |s: &str| {
            NaiveDateTime::parse_from_str(&format!("2026-11-10 {s}"), "%Y-%m-%d %H:%M:%S").ok()
        };
        assert_eq!(e.history[0].resolved_by, t("10:30:00"));
        let cur = e.current.as_ref().unwrap();
        assert_eq!((cur.attempts(), cur.from), (2, t("15:00:00")));
        assert!(!e.signed_in_now);
        assert_eq!(e.epoch(t("08:00:30"), false), Epoch::History(0));
        assert_eq!(e.epoch(t("15:00:30"), false), Epoch::Current);
        assert_eq!(
            e.epoch(t("12:00:00"), false),
            Epoch::Current,
            "after the last session"
        );
        assert_eq!(
            e.epoch(t("10:30:00"), false),
            Epoch::History(0),
            "the moment it was resolved"
        );
        assert_eq!(e.epoch(t("06:00:00"), false), Epoch::Background);
        assert_eq!(e.epoch(None, false), Epoch::Current);
        assert_eq!(
            e.epoch(t("07:58:30"), true),
            Epoch::History(0),
            "events near an episode"
        );
    }

    #[test]
    fn signed_in_now_when_the_last_attempt_succeeded() {
        let log = Log::new()
            .handshake("08:00:00.000", "h1", "401 Unauthorized", FINAL_HANDSHAKE)
            .handshake("09:00:00.000", "ok", "200 OK", "");
        let e = Episodes::of(&track("log", log.text()));
        assert!(e.signed_in_now && e.current.is_none());
        assert_eq!(e.history.len(), 1);
    }

    #[test]
    fn an_early_failure_after_a_registered_day_is_a_new_attempt() {
        let log = Log::new()
            .handshake("08:00:00.000", "ok", "200 OK", "")
            .rec(
                "09:00:00.000",
                "TRACE",
                "CDnsResolver::Query - Resolving lyncdiscover.contoso.com (A)",
            )
            .rec(
                "09:00:00.500",
                "ERROR",
                "CSIPAsyncSocket::VerifyServerCertificate - chain not trusted, hr=0x800B0109",
            )
            .rec(
                "10:00:00.000",
                "TRACE",
                "CDnsResolver::Query - Resolving lyncdiscover.contoso.com (A)",
            );
        let a = track("log", log.text());
        assert_eq!(
            summary(&a),
            vec![
                (
                    "08:00:00".into(),
                    "registered",
                    "registered",
                    Some("SIP 200".into())
                ),
                (
                    "09:00:00".into(),
                    "discovery",
                    "failed",
                    Some("0x800B0109".into())
                ),
                ("10:00:00".into(), "discovery", "no-answer", None),
            ]
        );
    }

    #[test]
    fn a_log_that_ends_mid_handshake_is_in_progress_not_failing() {
        let log = Log::new()
            .handshake("08:00:00.000", "ok", "200 OK", "")
            .register("09:00:00.000", "n1", 1)
            .answer(
                "09:00:00.100",
                "n1",
                1,
                "401 Unauthorized",
                "WWW-Authenticate: NTLM realm=\"SIP Communications Service\"",
            );
        let a = track("log", log.text());
        assert_eq!(a.len(), 2);
        let e = Episodes::of(&a);
        assert_eq!(e.in_progress, Some(1));
        assert!(e.current.is_none() && e.signed_in_now);
        // Sent and never answered: that is a failure (no-answer at connect).
        let log = Log::new()
            .handshake("08:00:00.000", "ok", "200 OK", "")
            .register("09:00:00.000", "n1", 1);
        let e = Episodes::of(&track("log", log.text()));
        assert!(e.current.is_some() && e.in_progress.is_none());
    }

    #[test]
    fn hresults_are_found_only_as_whole_codes() {
        assert_eq!(
            hresult_in("failed hr=0x80090016"),
            Some("0x80090016".into())
        );
        assert_eq!(hresult_in("(0x8009030c)"), Some("0x8009030C".into()));
        assert_eq!(hresult_in("ab0x80090016"), None);
        assert_eq!(hresult_in("hr=0x800"), None);
    }
}

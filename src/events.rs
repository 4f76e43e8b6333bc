//! Events: the one model rules see, whatever file they came from.
//!
//! This module owns [`Observation`] (what a rule is evaluated against: a log record, a SIP
//! message, a Windows event, or a derived [`Fact`]), the fact names the correlator may emit,
//! the [`Clue`]s command output and registry exports leave for the bundle-wide step, and [`Evidence`],
//! the owned, redacted trace of an observation that outlives the member's buffer and ends up
//! in the report (member path, line, local time, abridged text).

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::parse::sip::{Direction, MsDiagnostic, SipMessage};
use crate::parse::uccapi::UccApiRecord;
use crate::parse::winevent::WinEvent;
use crate::redact;

/// What a rule is evaluated against.
#[derive(Debug, Clone, Copy)]
pub enum Observation<'e, 'a> {
    Record(&'e UccApiRecord<'a>),
    Sip {
        record: &'e UccApiRecord<'a>,
        direction: Direction,
        message: &'e SipMessage<'a>,
        diagnostics: &'e [MsDiagnostic<'a>],
    },
    Fact(&'e Fact),
    /// A Windows event (from an `.evtx` or an Event Viewer XML export).
    WinEvent(&'e WinEvent),
}

/// Names of the facts the correlator derives; rules may match only these.
pub const FACT_NAMES: [(&str, &str); 16] = [
    (
        "registration-auth-failed",
        "a REGISTER transaction (one Call-ID) got three or more 401 challenges and never a 2xx; value = number of 401s",
    ),
    (
        "certprov-sign-in-failed",
        "a REGISTER transaction was challenged with TLS-DSK naming the certificate provisioning service (sts-uri …/CertProv/…), the client answered with no other scheme (NTLM, Kerberos) and it never got a 2xx; value = number of 401s",
    ),
    (
        "sign-in-address-changed",
        "REGISTERs in the bundle were sent under two or more sign-in addresses (From URIs); value = number of addresses",
    ),
    (
        "last-registration-succeeded",
        "the last REGISTER transaction in the bundle ended in 2xx; value = 1",
    ),
    (
        "clock-skew-measured",
        "server Date headers differ from the client's clock beyond the time-zone offset; value = |skew| in seconds",
    ),
    (
        "clock-in-sync",
        "server Date headers agree with the client's clock within 60 s after the time-zone offset; value = |skew| in seconds",
    ),
    (
        "sip-cname-missing",
        "a DNS lookup of sip.<domain> found no record (nslookup); value = number of such lookups",
    ),
    (
        "sip-cname-wrong-target",
        "sip.<domain> resolves, but not as an alias of sipdir.online.lync.com (nor of the old sipdir.online.microsoft.com); value = 1",
    ),
    (
        "sip-cname-old-target",
        "sip.<domain> is an alias of sipdir.online.microsoft.com, the target an old revision of the article gave; value = 1",
    ),
    (
        "sip-cname-ok",
        "sip.<domain> is an alias of sipdir.online.lync.com; value = 1",
    ),
    (
        "lync-dns-record-missing",
        "a lookup of lyncdiscover, _sip._tls or _sipfederationtls._tcp for a domain found no record; value = number of names",
    ),
    (
        "dns-answers-disagree",
        "the same name was found at one DNS server and not at another; value = number of names",
    ),
    (
        "winhttp-proxy-configured",
        "netsh winhttp show proxy shows a proxy server; value = 1",
    ),
    (
        "trustmodeldata-lacks-domain",
        "the TrustModelData policy value is exported and does not list the user's SIP domain (known from a SIP URI); value = number of domains listed",
    ),
    (
        "clock-zone-mismatch",
        "the time zone systeminfo reports differs from the one the client's log runs in (by the servers' Date headers) by more than daylight saving time explains, so the computer's own UTC clock is off; value = |difference| in minutes",
    ),
    (
        "trustmodeldata-has-domain",
        "the TrustModelData policy value lists the user's SIP domain (or a parent of it); value = 1",
    ),
];

/// True when `name` is a fact the correlator may emit.
pub fn is_fact_name(name: &str) -> bool {
    FACT_NAMES.iter().any(|(n, _)| *n == name)
}

/// Something a command output or registry export showed, kept until the bundle-wide step can
/// put it next to what other members showed (the user's SIP domain, other DNS servers).
#[derive(Debug, Clone, PartialEq)]
pub enum Clue {
    /// One DNS lookup and its answer.
    Dns(crate::parse::cmdout::DnsLookup),
    /// WinHTTP sends traffic through this proxy.
    WinHttpProxy(String),
    /// The `TrustModelData` policy value, as exported.
    TrustModelData(String),
    /// The time zone `systeminfo` reports, as its standard UTC offset in minutes.
    TimeZone(i32),
}

/// A clue and where it was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct ClueAt {
    pub clue: Clue,
    pub evidence: Evidence,
}

/// A fact derived across messages, with the evidence it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub name: &'static str,
    pub value: f64,
    pub evidence: Evidence,
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

/// One line that says what a SIP message was, e.g.
/// `received 401 Unauthorized to REGISTER; ms-diagnostics 1000 "Final handshake failed"`.
pub fn describe_sip(
    direction: Direction,
    message: &SipMessage<'_>,
    diagnostics: &[MsDiagnostic<'_>],
) -> String {
    use crate::parse::sip::StartLine;
    let dir = match direction {
        Direction::Sent => "sent ",
        Direction::Received => "received ",
        Direction::Unknown => "",
    };
    let mut s = match message.start {
        StartLine::Request { method, uri } => format!("{dir}{method} {uri}"),
        StartLine::Response { status, reason } => {
            let to = message
                .method()
                .map(|m| format!(" to {m}"))
                .unwrap_or_default();
            format!("{dir}{status} {reason}{to}")
        }
    };
    for d in diagnostics {
        s.push_str("; ");
        s.push_str(d.header.as_str());
        s.push(' ');
        s.push_str(&d.code.to_string());
        if let Some(sub) = d.sub_code {
            s.push('.');
            s.push_str(&sub.to_string());
        }
        if let Some(r) = d.reason {
            s.push_str(" \"");
            s.push_str(r);
            s.push('"');
        }
    }
    s
}

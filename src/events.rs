//! Events: the one model rules see, whatever file they came from.
//!
//! This module owns [`Observation`] (what a rule is evaluated against: a log record, a SIP
//! message, a Windows event, or a derived [`Fact`]), the fact names the correlator may emit,
//! the [`Clue`]s command output and registry exports leave for the bundle-wide step, and [`Evidence`],
//! the owned, redacted trace of an observation that outlives the member's buffer and ends up
//! in the report (member path, line, local time, abridged text).

use crate::parse::sip::{Direction, MsDiagnostic, SipMessage};
use crate::parse::uccapi::UccApiRecord;
use crate::parse::winevent::WinEvent;

pub use crate::model::{EVIDENCE_TEXT_MAX, Evidence, Fact};

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
pub const FACT_NAMES: [(&str, &str); 20] = [
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
        "auth-rejected-after-earlier-sign-in",
        "the sign-in fails now at authentication, and the same account signed in successfully earlier in the logs; value = failing attempts",
    ),
    (
        "current-rejected-online",
        "the sign-in fails now: a Skype for Business Online registrar (*.online.lync.com, *.infra.lync.com) refuses it with an ms-diagnostics code; value = the code",
    ),
    (
        "current-rejected-on-premises",
        "the sign-in fails now: the organisation's own registrar refuses it with an ms-diagnostics code; value = the code",
    ),
    (
        "current-deregistered",
        "the last sign-in registered, then the server signed the user out (a registration NOTIFY with Subscription-State: terminated); value = its ms-diagnostics code, 0 without one",
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

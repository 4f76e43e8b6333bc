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

/// Which reader made a log record: what `source = …` in a `[rule.record]` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// The client's trace log (`*.UccApilog`).
    UccApi,
    /// PowerShell transcripts and console captures.
    PowerShell,
    /// Windows command output: `nslookup`, `ipconfig`, `netsh winhttp show proxy`, `systeminfo`.
    CommandOutput,
    /// Registry exports (`.reg`).
    Registry,
    /// Microsoft Online Services Sign-in Assistant traces.
    SignInAssistant,
    /// Any other text (a rule example in plain text).
    Text,
}

impl Source {
    pub const ALL: [Source; 6] = [
        Source::UccApi,
        Source::PowerShell,
        Source::CommandOutput,
        Source::Registry,
        Source::SignInAssistant,
        Source::Text,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::UccApi => "uccapi",
            Source::PowerShell => "powershell",
            Source::CommandOutput => "cmdout",
            Source::Registry => "registry",
            Source::SignInAssistant => "signin-assistant",
            Source::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The reader a member of this format goes through.
    pub fn of(format: crate::detect::Format) -> Source {
        use crate::detect::Format;
        match format {
            Format::UccApiLog => Source::UccApi,
            Format::PowerShell => Source::PowerShell,
            Format::Nslookup | Format::Ipconfig | Format::WinHttpProxy | Format::SystemInfo => {
                Source::CommandOutput
            }
            Format::RegExport => Source::Registry,
            Format::SignInAssistantTrace => Source::SignInAssistant,
            _ => Source::Text,
        }
    }
}

/// What a rule is evaluated against.
#[derive(Debug, Clone, Copy)]
pub enum Observation<'e, 'a> {
    /// A log record and the reader that made it.
    Record(&'e UccApiRecord<'a>, Source),
    Sip {
        record: &'e UccApiRecord<'a>,
        direction: Direction,
        message: &'e SipMessage<'a>,
        diagnostics: &'e [MsDiagnostic<'a>],
    },
    /// A fact, with what the bundle-wide step knows (the user's SIP domain).
    Fact(&'e Fact, &'e crate::model::FactContext),
    /// A Windows event (from an `.evtx` or an Event Viewer XML export).
    WinEvent(&'e WinEvent),
}

/// One field of a fact, as `rules/README.md` documents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDoc {
    pub name: &'static str,
    /// `text`, `number`, `bool` or `list` (of texts).
    pub kind: &'static str,
    pub meaning: &'static str,
}

/// One fact the engine measures: its name, what it is, what its value holds and its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactDoc {
    pub name: &'static str,
    pub meaning: &'static str,
    pub value: &'static str,
    pub fields: &'static [FieldDoc],
}

impl FactDoc {
    pub fn field(&self, name: &str) -> Option<&'static FieldDoc> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const fn field(name: &'static str, kind: &'static str, meaning: &'static str) -> FieldDoc {
    FieldDoc {
        name,
        kind,
        meaning,
    }
}

const ATTEMPT_FIELDS: [FieldDoc; 9] = [
    field(
        "outcome",
        "text",
        "`registered`, `failed`, `terminated` (signed in, then signed out by the server) or `no-answer`",
    ),
    field(
        "phase",
        "text",
        "how far it got: `discovery`, `connect`, `authenticate`, `register`, `registered`, `terminated`",
    ),
    field(
        "sip_status",
        "number",
        "the deciding SIP status, when there is one",
    ),
    field(
        "ms_diagnostics",
        "number",
        "the deciding ms-diagnostics code, when there is one",
    ),
    field(
        "hresult",
        "text",
        "the client's deciding HRESULT (`0x8009030C`), when there is one",
    ),
    field(
        "hosts",
        "list",
        "every host name the bundle's sign-in attempts talked to or were sent to (registrars, edges, autodiscover)",
    ),
    field(
        "registrar_answered",
        "bool",
        "a registrar answered one of the bundle's attempts",
    ),
    field(
        "address",
        "text",
        "the sign-in address (From URI) of the attempt",
    ),
    field(
        "failures",
        "number",
        "failures inside the attempt: a transient 503 then a retry counts one",
    ),
];

/// Every fact the engine measures. Rules may match only these names and fields; the table in
/// `rules/README.md` is generated from this list (`sfbtriage rules facts --format md`) and a
/// test keeps the two the same.
pub const FACTS: &[FactDoc] = &[
    FactDoc {
        name: "register-transaction",
        meaning: "one REGISTER transaction (one Call-ID) of a client log, with what the registrar answered; the most recent 2,048 per member and up to 1,024 older ones that were never accepted",
        value: "number of 401/407 challenges",
        fields: &[
            field("call_id", "text", "the Call-ID"),
            field(
                "challenges",
                "number",
                "401/407 challenges received (the value)",
            ),
            field("accepted", "bool", "a 2xx answered it"),
            field(
                "final_status",
                "number",
                "the final non-challenge status, when there is one",
            ),
            field(
                "certprov",
                "bool",
                "a `TLS-DSK` challenge named the certificate provisioning service (`sts-uri` …/CertProv/…)",
            ),
            field(
                "other_auth_scheme",
                "bool",
                "the client answered a challenge with another scheme than TLS-DSK (NTLM, Kerberos)",
            ),
            field(
                "address",
                "text",
                "the sign-in address (From URI) the REGISTER was sent under",
            ),
        ],
    },
    FactDoc {
        name: "sign-in-addresses",
        meaning: "the addresses the bundle's REGISTERs were sent under (From URIs); evidence at the first REGISTER under the newest one",
        value: "number of distinct addresses",
        fields: &[
            field("addresses", "list", "every address, oldest first"),
            field("newest", "text", "the address of the newest REGISTER"),
        ],
    },
    FactDoc {
        name: "clock-offset",
        meaning: "how far the client's clock is from the servers' `Date:` headers after the time-zone offset (the real-world UTC offset nearest to the median difference), measured on the current part of the sign-in story when it has dated answers",
        value: "absolute offset in seconds",
        fields: &[
            field(
                "skew_seconds",
                "number",
                "signed offset: positive when the client is ahead",
            ),
            field(
                "zone",
                "text",
                "the estimated time zone of the log (`+01:00`)",
            ),
            field(
                "samples",
                "number",
                "how many dated responses were measured",
            ),
        ],
    },
    FactDoc {
        name: "zone-difference",
        meaning: "a time zone `systeminfo` reports, against the zone the client's log runs in (estimated from the servers' `Date:` headers); needs both in the bundle",
        value: "absolute difference in minutes",
        fields: &[
            field(
                "difference_minutes",
                "number",
                "log zone minus the declared standard zone: 60 in daylight saving time",
            ),
            field(
                "declared_zone",
                "text",
                "the zone systeminfo reports (`+01:00`)",
            ),
            field("log_zone", "text", "the zone the log runs in"),
        ],
    },
    FactDoc {
        name: "dns-name",
        meaning: "one DNS name looked up in the bundle (nslookup, Resolve-DnsName), with the answers of every server asked",
        value: "number of lookups of the name",
        fields: &[
            field("name", "text", "the name looked up, lowercase"),
            field(
                "status",
                "text",
                "`found` (every server answered), `missing` (no server had it) or `disagree` (found at one server, not at another)",
            ),
            field(
                "target",
                "text",
                "the canonical name when the name is an alias (CNAME)",
            ),
            field(
                "chain",
                "list",
                "the names the alias chain passes through, the target included",
            ),
            field(
                "servers",
                "list",
                "the DNS servers asked, as the output names them",
            ),
        ],
    },
    FactDoc {
        name: "winhttp-proxy",
        meaning: "`netsh winhttp show proxy` shows a proxy server",
        value: "1",
        fields: &[field("proxy", "text", "the proxy server")],
    },
    FactDoc {
        name: "trustmodeldata",
        meaning: "the `TrustModelData` policy value (`…\\Policies\\Microsoft\\Communicator`), from a `.reg` export or `reg query` output",
        value: "number of entries",
        fields: &[field(
            "entries",
            "list",
            "the domains it lists, lowercase, a leading `*.` removed",
        )],
    },
    FactDoc {
        name: "last-attempt",
        meaning: "the last sign-in attempt of the bundle (all client logs on one time axis)",
        value: "1",
        fields: &ATTEMPT_FIELDS,
    },
    FactDoc {
        name: "current-problem",
        meaning: "the sign-in failing now: the attempts after the last success, described by the last of them (no such fact when the user is signed in now)",
        value: "number of failing attempts",
        fields: &[
            ATTEMPT_FIELDS[0],
            ATTEMPT_FIELDS[1],
            ATTEMPT_FIELDS[2],
            ATTEMPT_FIELDS[3],
            ATTEMPT_FIELDS[4],
            ATTEMPT_FIELDS[5],
            ATTEMPT_FIELDS[6],
            ATTEMPT_FIELDS[7],
            ATTEMPT_FIELDS[8],
            field(
                "signed_in_earlier",
                "bool",
                "the same account signed in successfully before the current problem began",
            ),
            field("attempts", "number", "failing attempts (the value)"),
        ],
    },
];

/// The fact reference of `rules/README.md`, as Markdown (one table per fact).
pub fn facts_markdown() -> String {
    let mut s = String::new();
    for f in FACTS {
        s.push_str(&format!(
            "#### `{}`\n\n{}. Value: {}.\n\n| field | kind | meaning |\n|---|---|---|\n",
            f.name,
            capitalise(f.meaning),
            f.value
        ));
        for field in f.fields {
            s.push_str(&format!(
                "| `{}` | {} | {} |\n",
                field.name, field.kind, field.meaning
            ));
        }
        s.push('\n');
    }
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The documentation of a fact the engine measures.
pub fn fact_doc(name: &str) -> Option<&'static FactDoc> {
    FACTS.iter().find(|f| f.name == name)
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

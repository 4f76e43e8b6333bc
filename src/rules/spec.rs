//! The rule file format, as serde reads it (documented in `rules/README.md`).
//!
//! This layer only describes what a rule file may say; [`super::compile`] checks it and
//! builds the matchers. Unknown keys are errors, so a typo in a rule is reported instead of
//! silently making the rule match everything.

use serde::Deserialize;

use crate::parse::sip::Direction;

/// `effect = "supports"` (default) raises the cause's score; `"opposes"` lowers it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    #[default]
    Supports,
    Opposes,
}

/// A value that may be written as one item or a list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(t) => vec![t],
            Self::Many(v) => v,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub rule: Vec<toml::Spanned<RuleSpec>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    /// The cause this rule speaks about, or a list of causes it supports (or opposes) alike:
    /// a declared tie — the logs cannot tell those causes apart on this signal.
    pub cause: OneOrMany<String>,
    #[serde(default)]
    pub effect: Effect,
    /// How much one match of this rule moves the cause (0 < weight ≤ 1).
    pub weight: f64,
    /// What a match means, in a few words, shown next to the evidence.
    pub summary: String,
    /// A corroborating rule never reports its cause on its own: it adds its weight only when
    /// another supporting rule of the same cause matched too (a proxy setting is no problem by
    /// itself, but it explains Sign-In Assistant failures).
    #[serde(default)]
    pub corroborating: bool,
    /// Rule ids whose matches this rule's match takes out of the diagnosis (`suppresses` is
    /// accepted as another name): a measurement that this rule shows to be wrong.
    #[serde(default, alias = "suppresses")]
    pub withdraws: OneOrMany<String>,
    /// Literal conditions (`contains`, header `contains`, `message_contains`, `data`) compare
    /// exactly as written instead of ignoring case.
    #[serde(default)]
    pub case_sensitive: bool,
    pub sip: Option<SipSpec>,
    pub record: Option<RecordSpec>,
    pub fact: Option<FactSpec>,
    pub event: Option<EventSpec>,
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
}

/// Conditions on a SIP message; all given conditions must hold.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SipSpec {
    pub direction: Option<Direction>,
    /// Request method, or for a response the method its CSeq names.
    #[serde(default)]
    pub method: OneOrMany<String>,
    /// Response status codes (any of).
    #[serde(default)]
    pub status: OneOrMany<u16>,
    /// ms-diagnostics / -public / ms-client-diagnostics codes (any of).
    #[serde(default)]
    pub diag_code: OneOrMany<u32>,
    /// Header conditions (all of).
    #[serde(default)]
    pub header: Vec<HeaderSpec>,
    /// Every one of these must hold too.
    #[serde(default)]
    pub all: Vec<SipSpec>,
    /// At least one of these must hold too.
    #[serde(default)]
    pub any: Vec<SipSpec>,
    /// This must not hold.
    pub not: Option<Box<SipSpec>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    pub name: String,
    /// Case-insensitive substring of the value.
    pub contains: Option<String>,
    /// Regex over the value (byte-oriented; add `(?i)` for case-insensitive).
    pub regex: Option<String>,
    /// The header must not be present at all.
    #[serde(default)]
    pub absent: bool,
}

/// Conditions on a log record (its prefix line and continuation lines).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSpec {
    /// Which reader made the record, any of: `uccapi` (client trace log), `powershell`
    /// (transcripts, console captures), `cmdout` (nslookup, ipconfig, netsh, systeminfo),
    /// `registry` (`.reg` exports), `signin-assistant` (msoidsvc traces), `text` (other).
    #[serde(default)]
    pub source: OneOrMany<String>,
    /// Level words, any of (`ERROR`, `WARN` …).
    #[serde(default)]
    pub level: OneOrMany<String>,
    /// The `Component` of `Component::Method` at the start of the text.
    pub component: Option<String>,
    /// Literals, any of, matched case-insensitively (ASCII); they also feed the prefilter.
    #[serde(default)]
    pub contains: OneOrMany<String>,
    /// Regex over the record text, checked only after `contains` matched.
    pub regex: Option<String>,
    /// Every one of these must hold too.
    #[serde(default)]
    pub all: Vec<RecordSpec>,
    /// At least one of these must hold too.
    #[serde(default)]
    pub any: Vec<RecordSpec>,
    /// This must not hold.
    pub not: Option<Box<RecordSpec>>,
}

/// A fact the engine measured (a REGISTER transaction, the clock offset, a DNS name, the
/// current problem …) and conditions on its value and fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactSpec {
    pub name: String,
    /// value >= min
    pub min: Option<f64>,
    /// value <= max
    pub max: Option<f64>,
    /// value > above
    pub above: Option<f64>,
    /// value < below
    pub below: Option<f64>,
    /// Field conditions, all of.
    #[serde(default, rename = "where")]
    pub where_: toml::Table,
    /// Field conditions that must not all hold.
    #[serde(default)]
    pub not: Option<toml::Table>,
    /// Tables of field conditions; at least one must hold.
    #[serde(default)]
    pub any: Vec<toml::Table>,
    /// Match only when the bundle names the user's SIP domain (so `{domain}` is known).
    #[serde(default)]
    pub requires_domain: bool,
    /// The rule matches only when at least this many facts meet its conditions (default 1):
    /// a count over the group of facts of that name.
    pub at_least: Option<usize>,
}

/// Conditions on a Windows event (`.evtx` or Event Viewer XML export); all given conditions
/// must hold. `provider` and `id` are required: an event ID means nothing without its provider.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// Provider (or classic source) names, any of, case-insensitive.
    #[serde(default)]
    pub provider: OneOrMany<String>,
    /// Event IDs, any of (without qualifiers).
    #[serde(default)]
    pub id: OneOrMany<u32>,
    /// Numeric levels, any of (1 Critical, 2 Error, 3 Warning, 4 Information, 0 LogAlways).
    #[serde(default)]
    pub level: OneOrMany<u8>,
    /// ms-diagnostics codes found in the event's text (Lync event 11), any of.
    #[serde(default)]
    pub diag_code: OneOrMany<u32>,
    /// Substrings of the rendered message, any of, case-insensitive; an event without a
    /// message (`.evtx`) is searched in its EventData values.
    #[serde(default)]
    pub message_contains: OneOrMany<String>,
    /// EventData conditions (all of).
    #[serde(default)]
    pub data: Vec<DataSpec>,
    /// A regex (byte-oriented, Unicode classes off; `(?i)` for case-insensitive) over the
    /// event's text: the rendered message, if any, then one `Name=value` line per EventData
    /// item. Lets one rule read a value that a text export renders in the message and an
    /// `.evtx` stores as EventData (a TLS alert code, a DNS name).
    #[serde(default)]
    pub regex: Option<String>,
    /// Every one of these must hold too (they need no `provider` or `id` of their own).
    #[serde(default)]
    pub all: Vec<EventSpec>,
    /// At least one of these must hold too.
    #[serde(default)]
    pub any: Vec<EventSpec>,
    /// This must not hold.
    pub not: Option<Box<EventSpec>>,
    /// The event reports a change of the system clock (Kernel-General 1: `OldTime` / `NewTime`
    /// in its EventData, or "changed to … from …" in its message) of at least this many seconds
    /// either way.
    #[serde(default)]
    pub clock_change_min_seconds: Option<f64>,
}

/// `{ name = "AlertDesc", contains = "48" }`: an EventData item with this name (unnamed items
/// are `%1`, `%2` …) whose value contains the text, case-insensitive.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    pub name: String,
    #[serde(default)]
    pub contains: String,
}

/// An excerpt (or a small bundle of files) and whether the rule must match it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// One excerpt; its form is recognised from its content.
    #[serde(default)]
    pub log: Option<String>,
    /// A bundle: member path → content, read like the members of a zip (by name, then by
    /// content), for rules that need several members (a `.reg` export next to a client log).
    #[serde(default)]
    pub files: std::collections::BTreeMap<String, String>,
    pub matches: bool,
}

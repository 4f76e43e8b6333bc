//! Compiling rule specs into an indexed [`RuleSet`], and matching observations against it.
//!
//! Rules compile once per run. SIP rules are indexed by ms-diagnostics code, then status,
//! then method, so a message only meets the rules that could match it; record rules feed
//! their literals into one Aho-Corasick automaton (ASCII case-insensitive), so a log line
//! that holds none of the literals costs one automaton scan and no rule evaluation; fact
//! rules are indexed by fact name. Event rules are indexed by ms-diagnostics code when they
//! name one, else by (event ID, provider), so a Windows event only meets rules written for
//! its provider and ID. Regexes are byte-oriented and run only on candidates.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::Regex;

use super::fact::FactMatcher;
use super::spec::{Effect, EventSpec, HeaderSpec, RecordSpec, RuleFile, RuleSpec, SipSpec};
use super::text::Literal;
use crate::catalog::{Catalog, CauseId};
use crate::error::{ConfigError, line_of};
use crate::events::{Observation, Source};
use crate::parse::sip::Direction;

/// Where a rule was defined.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleOrigin {
    pub file: String,
    pub line: usize,
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    /// The causes it speaks about: one, or several it supports (or opposes) alike — a
    /// declared tie.
    pub causes: Vec<CauseId>,
    pub effect: Effect,
    pub weight: f64,
    pub summary: String,
    pub origin: RuleOrigin,
    pub matcher: Matcher,
    pub examples: Vec<super::spec::ExampleSpec>,
    /// Counts only next to another supporting rule of the same cause (`corroborating = true`).
    pub corroborating: bool,
    /// Rules whose matches this rule's match takes out of the diagnosis (`withdraws`), as
    /// written and as indices into the rule set.
    pub withdraws: Vec<String>,
    pub withdraws_rules: Vec<usize>,
}

impl Rule {
    /// The first cause the rule names.
    pub fn cause(&self) -> &CauseId {
        &self.causes[0]
    }
}

#[derive(Debug, Clone)]
pub enum Matcher {
    Sip(SipMatcher),
    Record(RecordMatcher),
    Fact(FactMatcher),
    Event(EventMatcher),
}

impl Matcher {
    pub fn kind(&self) -> &'static str {
        match self {
            Matcher::Sip(_) => "sip",
            Matcher::Record(_) => "record",
            Matcher::Fact(_) => "fact",
            Matcher::Event(_) => "event",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SipMatcher {
    direction: Option<Direction>,
    methods: Vec<String>,
    statuses: Vec<u16>,
    codes: Vec<u32>,
    headers: Vec<HeaderMatcher>,
    all: Vec<SipMatcher>,
    any: Vec<SipMatcher>,
    not: Option<Box<SipMatcher>>,
}

impl SipMatcher {
    /// The ms-diagnostics codes this rule keys on.
    pub fn diag_codes(&self) -> &[u32] {
        &self.codes
    }
}

impl RecordMatcher {
    /// The literals this rule keys on: its own `contains`, else those of the first of its
    /// `all` that has some, else those of every one of its `any` when each has some; empty
    /// when a record without any literal could match.
    pub fn literals(&self) -> Vec<&Literal> {
        if !self.contains.is_empty() {
            return self.contains.iter().collect();
        }
        if let Some(l) = self
            .all
            .iter()
            .map(|m| m.literals())
            .find(|l| !l.is_empty())
        {
            return l;
        }
        let any: Vec<Vec<&Literal>> = self.any.iter().map(|m| m.literals()).collect();
        if !any.is_empty() && any.iter().all(|l| !l.is_empty()) {
            return any.into_iter().flatten().collect();
        }
        Vec::new()
    }

    /// The sources the rule reads (empty: every source).
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }
}

#[derive(Debug, Clone)]
struct HeaderMatcher {
    name: String,
    contains: Option<Literal>,
    regex: Option<Regex>,
    absent: bool,
}

#[derive(Debug, Clone, Default)]
pub struct RecordMatcher {
    sources: Vec<Source>,
    levels: Vec<String>,
    component: Option<String>,
    contains: Vec<Literal>,
    regex: Option<Regex>,
    all: Vec<RecordMatcher>,
    any: Vec<RecordMatcher>,
    not: Option<Box<RecordMatcher>>,
}

/// Conditions on a Windows event; see [`EventSpec`].
#[derive(Debug, Clone, Default)]
pub struct EventMatcher {
    /// Provider names as written (compared ASCII case-insensitively).
    providers: Vec<String>,
    ids: Vec<u32>,
    levels: Vec<u8>,
    codes: Vec<u32>,
    message_contains: Vec<Literal>,
    /// (name, substring).
    data: Vec<(String, Literal)>,
    /// Over [`event_regex_text`]; checked last, on candidates only.
    regex: Option<Regex>,
    /// Minimum clock change the event reports, in seconds (see [`WinEvent::clock_change_seconds`]).
    ///
    /// [`WinEvent::clock_change_seconds`]: crate::parse::winevent::WinEvent::clock_change_seconds
    clock_change_min: Option<f64>,
    all: Vec<EventMatcher>,
    any: Vec<EventMatcher>,
    not: Option<Box<EventMatcher>>,
}

impl EventMatcher {
    pub fn providers(&self) -> &[String] {
        &self.providers
    }

    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    pub fn diag_codes(&self) -> &[u32] {
        &self.codes
    }

    /// The `regex` as written, when the rule has one.
    pub fn regex_source(&self) -> Option<&str> {
        self.regex.as_ref().map(Regex::as_str)
    }
}

/// The incident window of a run (`--since` / `--until`): observations outside it match no
/// rule. Times compare as each source writes them: client logs in local time, Windows events
/// in UTC. An observation without a time is always inside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeWindow {
    pub since: Option<chrono::NaiveDateTime>,
    pub until: Option<chrono::NaiveDateTime>,
}

impl TimeWindow {
    pub fn contains(&self, t: Option<chrono::NaiveDateTime>) -> bool {
        match t {
            None => true,
            Some(t) => self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t <= u),
        }
    }

    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }
}

/// Every rule of a run, compiled and indexed.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    window: TimeWindow,
    rules: Vec<Rule>,
    sip_by_code: HashMap<u32, Vec<usize>>,
    sip_by_status: HashMap<u16, Vec<usize>>,
    sip_by_method: HashMap<String, Vec<usize>>,
    sip_rest: Vec<usize>,
    prefilter: Option<AhoCorasick>,
    /// Pattern index → rule index.
    /// Pattern index → the rules that use that literal (a literal is one pattern however
    /// many rules share it).
    pattern_rules: Vec<Vec<usize>>,
    record_unfiltered: Vec<usize>,
    fact_by_name: HashMap<String, Vec<usize>>,
    /// Event rules that name ms-diagnostics codes, by code.
    event_by_code: HashMap<u32, Vec<usize>>,
    /// Other event rules, by event ID, then (lowercased provider, rule).
    event_by_id: HashMap<u32, Vec<(String, usize)>>,
}

/// Built-in rule files, embedded at build time.
pub const BUILTIN_RULES: &[(&str, &str)] = &[
    ("rules/uccapi.toml", include_str!("../../rules/uccapi.toml")),
    ("rules/events.toml", include_str!("../../rules/events.toml")),
    (
        "rules/connector.toml",
        include_str!("../../rules/connector.toml"),
    ),
    (
        "rules/network.toml",
        include_str!("../../rules/network.toml"),
    ),
    (
        "rules/credentials.toml",
        include_str!("../../rules/credentials.toml"),
    ),
    (
        "rules/signin-assistant.toml",
        include_str!("../../rules/signin-assistant.toml"),
    ),
];

impl RuleSet {
    /// The built-in rules plus every `*.toml` in `extra_dirs` (a rule with the same id as an
    /// earlier one replaces it; `causes.toml` in a directory extends the catalogue).
    pub fn load(extra_dirs: &[std::path::PathBuf]) -> Result<(RuleSet, Catalog), ConfigError> {
        let mut catalog = Catalog::builtin()?;
        let mut specs: Vec<(RuleSpec, RuleOrigin)> = Vec::new();
        for (file, text) in BUILTIN_RULES {
            collect(&mut specs, file, text)?;
        }
        for dir in extra_dirs {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| {
                    ConfigError::in_file(
                        &dir.display().to_string(),
                        format!("cannot read rules directory: {e}"),
                    )
                })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("toml"))
                })
                .collect();
            files.sort();
            for path in files {
                let name = path.display().to_string();
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ConfigError::in_file(&name, format!("cannot read: {e}")))?;
                if path.file_name().is_some_and(|n| n == "causes.toml") {
                    catalog.add_source(&name, &text)?;
                } else {
                    collect(&mut specs, &name, &text)?;
                }
            }
            // Translations of the catalogue: DIR/i18n/<lang>.toml.
            for lang in crate::i18n::Lang::ALL {
                let path = dir.join("i18n").join(format!("{}.toml", lang.code()));
                if lang == crate::i18n::Lang::En || !path.is_file() {
                    continue;
                }
                let name = path.display().to_string();
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ConfigError::in_file(&name, format!("cannot read: {e}")))?;
                catalog.add_translation_source(lang, &name, &text)?;
            }
        }
        catalog.check()?;
        let set = RuleSet::compile(specs, &catalog)?;
        Ok((set, catalog))
    }

    /// Compile specs (later ids replace earlier ones).
    pub fn compile(
        specs: Vec<(RuleSpec, RuleOrigin)>,
        catalog: &Catalog,
    ) -> Result<RuleSet, ConfigError> {
        let mut rules: Vec<Rule> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for (spec, origin) in specs {
            let rule = compile_rule(spec, origin, catalog)?;
            match by_id.get(&rule.id) {
                Some(&i) => rules[i] = rule,
                None => {
                    by_id.insert(rule.id.clone(), rules.len());
                    rules.push(rule);
                }
            }
        }
        // `withdraws` names rules by id; every one must exist.
        for rule in &mut rules {
            let mut indices = Vec::new();
            for id in &rule.withdraws {
                match by_id.get(id) {
                    Some(&i) if rule.id != *id => indices.push(i),
                    Some(_) => {
                        return Err(ConfigError::at(
                            &rule.origin.file,
                            rule.origin.line,
                            format!("rule `{}`: withdraws itself", rule.id),
                        ));
                    }
                    None => {
                        return Err(ConfigError::at(
                            &rule.origin.file,
                            rule.origin.line,
                            format!(
                                "rule `{}`: `withdraws` names `{id}`, which is no rule",
                                rule.id
                            ),
                        ));
                    }
                }
            }
            rule.withdraws_rules = indices;
        }
        let mut set = RuleSet::default();
        let mut patterns: Vec<String> = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            match &rule.matcher {
                Matcher::Sip(m) => {
                    if !m.codes.is_empty() {
                        for c in &m.codes {
                            set.sip_by_code.entry(*c).or_default().push(i);
                        }
                    } else if !m.statuses.is_empty() {
                        for s in &m.statuses {
                            set.sip_by_status.entry(*s).or_default().push(i);
                        }
                    } else if !m.methods.is_empty() {
                        for meth in &m.methods {
                            set.sip_by_method.entry(meth.clone()).or_default().push(i);
                        }
                    } else {
                        set.sip_rest.push(i);
                    }
                }
                Matcher::Record(m) => {
                    let literals = m.literals();
                    if literals.is_empty() {
                        set.record_unfiltered.push(i);
                    } else {
                        // One pattern per prefilter key (compared ASCII-case-insensitively),
                        // shared by every rule that uses it.
                        for v in literals.iter().flat_map(|l| l.prefilter_keys()) {
                            let v = v.to_ascii_lowercase();
                            match patterns.iter().position(|p| *p == v) {
                                Some(k) => {
                                    if !set.pattern_rules[k].contains(&i) {
                                        set.pattern_rules[k].push(i)
                                    }
                                }
                                None => {
                                    patterns.push(v);
                                    set.pattern_rules.push(vec![i]);
                                }
                            }
                        }
                    }
                }
                Matcher::Fact(m) => set.fact_by_name.entry(m.name.clone()).or_default().push(i),
                Matcher::Event(m) => {
                    if !m.codes.is_empty() {
                        for c in &m.codes {
                            set.event_by_code.entry(*c).or_default().push(i);
                        }
                    } else {
                        for id in &m.ids {
                            let slot = set.event_by_id.entry(*id).or_default();
                            for p in &m.providers {
                                slot.push((p.to_ascii_lowercase(), i));
                            }
                        }
                    }
                }
            }
        }
        if !patterns.is_empty() {
            // Every pattern also stands for the patterns it contains: the search below
            // reports the longest pattern at each start position only.
            let rules_of = |k: usize| set.pattern_rules[k].clone();
            let widened: Vec<Vec<usize>> = (0..patterns.len())
                .map(|k| {
                    let mut all: Vec<usize> = (0..patterns.len())
                        .filter(|&j| patterns[k].contains(patterns[j].as_str()))
                        .flat_map(rules_of)
                        .collect();
                    all.sort_unstable();
                    all.dedup();
                    all
                })
                .collect();
            set.pattern_rules = widened;
            set.prefilter = Some(
                // Lowercased literals, searched case-sensitively in lowercased text (see
                // `each_literal`): the same matches as an ASCII-case-insensitive automaton.
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(patterns.iter().map(|p| p.to_ascii_lowercase()))
                    .map_err(|e| {
                        ConfigError::plain(format!("cannot build the literal prefilter: {e}"))
                    })?,
            );
        }
        set.rules = rules;
        Ok(set)
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Restrict matching to an incident window.
    pub fn set_time_window(&mut self, window: TimeWindow) {
        self.window = window;
    }

    pub fn time_window(&self) -> &TimeWindow {
        &self.window
    }

    pub fn get(&self, index: usize) -> &Rule {
        &self.rules[index]
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every place in `text` where a record rule's literal occurs, as (byte offset, rule
    /// index), in offset order: one pass over a whole member instead of one per record.
    pub fn literal_hits(&self, text: &[u8]) -> Vec<(usize, usize)> {
        let Some(ac) = &self.prefilter else {
            return Vec::new();
        };
        let mut hits: Vec<(usize, usize)> = Vec::new();
        self.each_literal(ac, text, |at, rules| {
            hits.extend(rules.iter().map(|&r| (at, r)))
        });
        hits.sort_unstable();
        hits
    }

    /// Every occurrence of every literal: a leftmost-longest search restarted one byte after
    /// each match start (so overlapping occurrences are found), with the patterns a match
    /// contains standing in for themselves. A leftmost search keeps the automaton's SIMD
    /// prefilter: several times faster than an overlapping search on log text, where every
    /// timestamp digit starts a candidate. The automaton holds the literals lowercased and
    /// searches an ASCII-lowercased copy of `text` (same offsets) case-sensitively: an
    /// ASCII-case-insensitive automaton of this many literals has no SIMD prefilter and ran at
    /// 400-500 MB/s on log text, against 3-7 GB/s for this search plus the copy.
    fn each_literal(&self, ac: &AhoCorasick, text: &[u8], f: impl FnMut(usize, &[usize])) {
        thread_local! {
            static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        LOWER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut lower) => {
                lower.clear();
                lower.extend_from_slice(text);
                lower.make_ascii_lowercase();
                self.each_literal_lowercase(ac, &lower, f);
                if lower.capacity() > 16 << 20 {
                    *lower = Vec::new();
                }
            }
            Err(_) => self.each_literal_lowercase(ac, &text.to_ascii_lowercase(), f),
        })
    }

    /// [`RuleSet::each_literal`] on text already ASCII-lowercased.
    fn each_literal_lowercase(
        &self,
        ac: &AhoCorasick,
        text: &[u8],
        mut f: impl FnMut(usize, &[usize]),
    ) {
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = ac.find(aho_corasick::Input::new(text).span(pos..text.len())) else {
                break;
            };
            f(m.start(), &self.pattern_rules[m.pattern().as_usize()]);
            pos = m.start() + 1;
        }
    }

    /// Like [`RuleSet::evaluate`] for a record whose literal hits are already known
    /// (`literal_rules`: the rules whose literals occur inside the record).
    pub fn evaluate_record(
        &self,
        obs: &Observation<'_, '_>,
        literal_rules: &[usize],
        candidates: &mut Vec<usize>,
        mut hit: impl FnMut(usize),
    ) {
        if literal_rules.is_empty() && self.record_unfiltered.is_empty() {
            return;
        }
        candidates.clear();
        candidates.extend_from_slice(literal_rules);
        candidates.extend_from_slice(&self.record_unfiltered);
        candidates.sort_unstable();
        candidates.dedup();
        for &i in candidates.iter() {
            if self.rules[i].matches(obs) {
                hit(i);
            }
        }
    }

    /// Call `hit` with the index of every rule that matches `obs`, in rule order, once each.
    pub fn evaluate(
        &self,
        obs: &Observation<'_, '_>,
        candidates: &mut Vec<usize>,
        mut hit: impl FnMut(usize),
    ) {
        candidates.clear();
        match obs {
            Observation::Sip {
                message,
                diagnostics,
                ..
            } => {
                for d in diagnostics.iter() {
                    if let Some(v) = self.sip_by_code.get(&d.code) {
                        candidates.extend_from_slice(v);
                    }
                }
                if let Some(v) = message.status().and_then(|s| self.sip_by_status.get(&s)) {
                    candidates.extend_from_slice(v);
                }
                if let Some(v) = message.method().and_then(|m| self.sip_by_method.get(m)) {
                    candidates.extend_from_slice(v);
                }
                candidates.extend_from_slice(&self.sip_rest);
            }
            Observation::Record(record, _) => {
                if let Some(ac) = &self.prefilter {
                    self.each_literal(ac, record.raw.as_bytes(), |_, rules| {
                        candidates.extend_from_slice(rules)
                    });
                }
                candidates.extend_from_slice(&self.record_unfiltered);
            }
            Observation::Fact(fact, _) => {
                if let Some(v) = self.fact_by_name.get(fact.name) {
                    candidates.extend_from_slice(v);
                }
            }
            Observation::WinEvent(ev) => {
                if let Some(v) = self.event_by_id.get(&ev.event_id) {
                    let provider = ev.provider.as_str();
                    candidates.extend(
                        v.iter()
                            .filter(|(p, _)| p.eq_ignore_ascii_case(provider))
                            .map(|(_, i)| *i),
                    );
                }
                for d in &ev.diagnostics {
                    if let Some(v) = self.event_by_code.get(&d.code) {
                        candidates.extend_from_slice(v);
                    }
                }
            }
        }
        if candidates.len() > 1 {
            candidates.sort_unstable();
            candidates.dedup();
        }
        for &i in candidates.iter() {
            if self.rules[i].matches(obs) {
                hit(i);
            }
        }
    }
}

impl Rule {
    /// Full check of every condition (the index only proposed the rule).
    pub fn matches(&self, obs: &Observation<'_, '_>) -> bool {
        match (&self.matcher, obs) {
            (
                Matcher::Sip(m),
                Observation::Sip {
                    direction,
                    message,
                    diagnostics,
                    ..
                },
            ) => m.matches(*direction, message, diagnostics),
            (Matcher::Record(m), Observation::Record(record, source)) => {
                (m.sources.is_empty() || m.sources.contains(source)) && m.matches(record)
            }
            (Matcher::Fact(m), Observation::Fact(fact, ctx)) => m.matches(fact, ctx),
            (Matcher::Event(m), Observation::WinEvent(ev)) => m.matches(ev),
            _ => false,
        }
    }
}

impl SipMatcher {
    fn matches(
        &self,
        direction: Direction,
        message: &crate::parse::sip::SipMessage<'_>,
        diagnostics: &[crate::parse::sip::MsDiagnostic<'_>],
    ) -> bool {
        let m = self;
        if m.direction.is_some_and(|d| d != direction) {
            return false;
        }
        if !m.methods.is_empty()
            && !message
                .method()
                .is_some_and(|x| m.methods.iter().any(|w| w == x))
        {
            return false;
        }
        if !m.statuses.is_empty() && !message.status().is_some_and(|s| m.statuses.contains(&s)) {
            return false;
        }
        if !m.codes.is_empty() && !diagnostics.iter().any(|d| m.codes.contains(&d.code)) {
            return false;
        }
        m.headers.iter().all(|h| {
            let mut values = message.headers_named(&h.name).peekable();
            if h.absent {
                return values.peek().is_none();
            }
            values.any(|v| {
                h.contains.as_ref().is_none_or(|c| c.found_in(v))
                    && h.regex.as_ref().is_none_or(|r| r.is_match(v.as_bytes()))
            })
        }) && m
            .all
            .iter()
            .all(|x| x.matches(direction, message, diagnostics))
            && (m.any.is_empty()
                || m.any
                    .iter()
                    .any(|x| x.matches(direction, message, diagnostics)))
            && m.not
                .as_ref()
                .is_none_or(|x| !x.matches(direction, message, diagnostics))
    }
}

impl RecordMatcher {
    fn matches(&self, record: &crate::parse::uccapi::UccApiRecord<'_>) -> bool {
        let m = self;
        (m.levels.is_empty() || m.levels.iter().any(|l| l == record.level))
            && m.component.as_ref().is_none_or(|c| record.component() == c)
            && (m.contains.is_empty() || m.contains.iter().any(|c| c.found_in(record.raw)))
            && m.regex
                .as_ref()
                .is_none_or(|r| r.is_match(record.raw.as_bytes()))
            && m.all.iter().all(|x| x.matches(record))
            && (m.any.is_empty() || m.any.iter().any(|x| x.matches(record)))
            && m.not.as_ref().is_none_or(|x| !x.matches(record))
    }
}

impl EventMatcher {
    fn matches(&self, ev: &crate::parse::winevent::WinEvent) -> bool {
        let m = self;
        (m.ids.is_empty() || m.ids.contains(&ev.event_id))
            && (m.providers.is_empty()
                || m.providers
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(ev.provider.trim())))
            && (m.levels.is_empty() || m.levels.contains(&ev.level))
            && (m.codes.is_empty() || ev.diagnostics.iter().any(|d| m.codes.contains(&d.code)))
            && (m.message_contains.is_empty() || {
                let text = ev.text();
                m.message_contains
                    .iter()
                    .any(|needle| needle.found_in(&text))
            })
            && m.data.iter().all(|(name, needle)| {
                ev.data
                    .iter()
                    .any(|(n, v)| n.eq_ignore_ascii_case(name) && needle.found_in(v))
            })
            && m.clock_change_min
                .is_none_or(|min| ev.clock_change_seconds().is_some_and(|s| s.abs() >= min))
            && m.regex
                .as_ref()
                .is_none_or(|r| r.is_match(event_regex_text(ev).as_bytes()))
            && m.all.iter().all(|x| x.matches(ev))
            && (m.any.is_empty() || m.any.iter().any(|x| x.matches(ev)))
            && m.not.as_ref().is_none_or(|x| !x.matches(ev))
    }
}

/// What an event rule's `regex` reads: the message (if any), then one `Name=value` line per
/// EventData item.
pub fn event_regex_text(ev: &crate::parse::winevent::WinEvent) -> String {
    let mut s = String::new();
    if let Some(m) = &ev.message {
        s.push_str(m);
        s.push('\n');
    }
    for (name, value) in &ev.data {
        s.push_str(name);
        s.push('=');
        s.push_str(value);
        s.push('\n');
    }
    s
}

fn collect(
    out: &mut Vec<(RuleSpec, RuleOrigin)>,
    file: &str,
    text: &str,
) -> Result<(), ConfigError> {
    let parsed: RuleFile = toml::from_str(text).map_err(|e| ConfigError::toml(file, text, &e))?;
    for spanned in parsed.rule {
        let origin = RuleOrigin {
            file: file.to_string(),
            line: line_of(text, spanned.span().start),
        };
        out.push((spanned.into_inner(), origin));
    }
    Ok(())
}

fn regex(origin: &RuleOrigin, id: &str, pattern: &str) -> Result<Regex, ConfigError> {
    regex::bytes::RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(1 << 20)
        .build()
        .or_else(|_| {
            regex::bytes::RegexBuilder::new(pattern)
                .size_limit(1 << 20)
                .build()
        })
        .map_err(|e| {
            ConfigError::at(
                &origin.file,
                origin.line,
                format!(
                    "rule `{id}`: bad regex: {}",
                    e.to_string().replace('\n', " ")
                ),
            )
        })
}

/// Builds the matchers of one rule, with its id and place for error messages.
struct Builder<'a> {
    origin: &'a RuleOrigin,
    id: &'a str,
    case_sensitive: bool,
}

impl Builder<'_> {
    /// The tables of an `all` or `any`, built like their parent.
    fn nested<S, M>(
        &self,
        specs: Vec<S>,
        build: fn(&Self, S, bool) -> Result<M, String>,
    ) -> Result<Vec<M>, String> {
        specs.into_iter().map(|x| build(self, x, true)).collect()
    }

    /// The table of a `not`, built like its parent.
    fn negated<S, M>(
        &self,
        spec: Option<Box<S>>,
        build: fn(&Self, S, bool) -> Result<M, String>,
    ) -> Result<Option<Box<M>>, String> {
        spec.map(|x| build(self, *x, true).map(Box::new))
            .transpose()
    }

    fn literal(&self, text: &str, key: &str) -> Result<Literal, String> {
        if text.is_empty() {
            return Err(format!("`{key}` has an empty literal"));
        }
        Ok(Literal::new(text, self.case_sensitive))
    }

    fn regex(&self, pattern: Option<&str>) -> Result<Option<Regex>, String> {
        pattern
            .map(|p| {
                regex(self.origin, self.id, p).map_err(|e| {
                    let prefix = format!("rule `{}`: ", self.id);
                    e.message
                        .strip_prefix(&prefix)
                        .unwrap_or(&e.message)
                        .to_string()
                })
            })
            .transpose()
    }

    /// An event matcher; `nested` ones (inside `all`, `any`, `not`) need no provider and id.
    fn event(&self, e: EventSpec, nested: bool) -> Result<EventMatcher, String> {
        let m = EventMatcher {
            providers: e
                .provider
                .into_vec()
                .into_iter()
                .map(|p| p.trim().to_string())
                .collect(),
            ids: e.id.into_vec(),
            levels: e.level.into_vec(),
            codes: e.diag_code.into_vec(),
            message_contains: e
                .message_contains
                .into_vec()
                .iter()
                .map(|s| self.literal(s, "message_contains"))
                .collect::<Result<_, _>>()?,
            data: e
                .data
                .into_iter()
                .map(|d| {
                    let name = d.name.trim().to_string();
                    if name.is_empty() {
                        return Err("`data` has an item without a name".to_string());
                    }
                    Ok((name, Literal::new(&d.contains, self.case_sensitive)))
                })
                .collect::<Result<_, _>>()?,
            regex: self.regex(e.regex.as_deref())?,
            clock_change_min: e.clock_change_min_seconds,
            all: self.nested(e.all, Self::event)?,
            any: self.nested(e.any, Self::event)?,
            not: self.negated(e.not, Self::event)?,
        };
        if m.clock_change_min.is_some_and(|v| v.is_nan() || v < 0.0) {
            return Err("`clock_change_min_seconds` must be a number >= 0".into());
        }
        if !nested && (m.providers.is_empty() || m.ids.is_empty()) {
            return Err(
                "[rule.event] needs both `provider` and `id`: an event ID means nothing without its provider"
                    .into(),
            );
        }
        if m.providers.iter().any(String::is_empty) {
            return Err("`provider` has an empty name".into());
        }
        Ok(m)
    }

    fn sip(&self, s: SipSpec, nested: bool) -> Result<SipMatcher, String> {
        let headers = s
            .header
            .into_iter()
            .map(|h: HeaderSpec| {
                if h.absent && (h.contains.is_some() || h.regex.is_some()) {
                    return Err(format!(
                        "header `{}`: `absent` cannot go with `contains` or `regex`",
                        h.name
                    ));
                }
                Ok(HeaderMatcher {
                    regex: self.regex(h.regex.as_deref())?,
                    contains: h
                        .contains
                        .as_deref()
                        .map(|c| Literal::new(c, self.case_sensitive)),
                    name: h.name,
                    absent: h.absent,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let m = SipMatcher {
            direction: s.direction,
            methods: s
                .method
                .into_vec()
                .into_iter()
                .map(|m| m.to_ascii_uppercase())
                .collect(),
            statuses: s.status.into_vec(),
            codes: s.diag_code.into_vec(),
            headers,
            all: self.nested(s.all, Self::sip)?,
            any: self.nested(s.any, Self::sip)?,
            not: self.negated(s.not, Self::sip)?,
        };
        if !nested
            && m.direction.is_none()
            && m.methods.is_empty()
            && m.statuses.is_empty()
            && m.codes.is_empty()
            && m.headers.is_empty()
            && m.all.is_empty()
            && m.any.is_empty()
        {
            return Err("[rule.sip] has no condition and would match every message".into());
        }
        Ok(m)
    }

    fn record(&self, r: RecordSpec, nested: bool) -> Result<RecordMatcher, String> {
        let sources = r
            .source
            .into_vec()
            .iter()
            .map(|s| {
                Source::parse(s).ok_or_else(|| {
                    let known: Vec<&str> = Source::ALL.iter().map(|s| s.as_str()).collect();
                    format!("unknown source `{s}`; known: {}", known.join(", "))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if nested && !sources.is_empty() {
            return Err(
                "`source` belongs to the rule's [rule.record], not inside `all`, `any` or `not`"
                    .into(),
            );
        }
        let m = RecordMatcher {
            sources,
            levels: r.level.into_vec(),
            component: r.component,
            contains: r
                .contains
                .into_vec()
                .iter()
                .map(|c| self.literal(c, "contains"))
                .collect::<Result<_, _>>()?,
            regex: self.regex(r.regex.as_deref())?,
            all: self.nested(r.all, Self::record)?,
            any: self.nested(r.any, Self::record)?,
            not: self.negated(r.not, Self::record)?,
        };
        if m.levels.is_empty()
            && m.component.is_none()
            && m.contains.is_empty()
            && m.regex.is_none()
            && m.all.is_empty()
            && m.any.is_empty()
            && (!nested || m.not.is_none())
        {
            return Err("[rule.record] has no condition and would match every line".into());
        }
        Ok(m)
    }
}

fn compile_rule(
    spec: RuleSpec,
    origin: RuleOrigin,
    catalog: &Catalog,
) -> Result<Rule, ConfigError> {
    let id = spec.id;
    let fail =
        |msg: String| ConfigError::at(&origin.file, origin.line, format!("rule `{id}`: {msg}"));
    if id.is_empty() {
        return Err(fail("empty id".into()));
    }
    let causes: Vec<String> = spec.cause.into_vec();
    if causes.is_empty() {
        return Err(fail("`cause` names no cause".into()));
    }
    for c in &causes {
        if !catalog.contains(c) {
            return Err(fail(format!(
                "unknown cause `{c}` (see `sfbtriage rules list`)"
            )));
        }
    }
    if (1..causes.len()).any(|i| causes[..i].contains(&causes[i])) {
        return Err(fail("`cause` names a cause twice".into()));
    }
    if !(spec.weight > 0.0 && spec.weight <= 1.0) {
        return Err(fail(format!("weight {} is outside (0, 1]", spec.weight)));
    }
    if spec.corroborating && spec.effect == Effect::Opposes {
        return Err(fail(
            "`corroborating` applies to supporting rules only".into(),
        ));
    }
    let kinds = usize::from(spec.sip.is_some())
        + usize::from(spec.record.is_some())
        + usize::from(spec.fact.is_some())
        + usize::from(spec.event.is_some());
    if kinds != 1 {
        return Err(fail(format!(
            "needs exactly one of [rule.sip], [rule.record], [rule.fact], [rule.event]; has {kinds}"
        )));
    }
    for (n, ex) in spec.examples.iter().enumerate() {
        if ex.log.is_some() != ex.files.is_empty() {
            return Err(fail(format!(
                "example {} needs exactly one of `log` and `files`",
                n + 1
            )));
        }
    }
    let build = Builder {
        origin: &origin,
        id: &id,
        case_sensitive: spec.case_sensitive,
    };
    let matcher = if let Some(e) = spec.event {
        Matcher::Event(build.event(e, false).map_err(fail)?)
    } else if let Some(s) = spec.sip {
        Matcher::Sip(build.sip(s, false).map_err(fail)?)
    } else if let Some(r) = spec.record {
        Matcher::Record(build.record(r, false).map_err(fail)?)
    } else {
        let f = spec.fact.expect("one kind");
        Matcher::Fact(FactMatcher::compile(f).map_err(fail)?)
    };
    Ok(Rule {
        causes: causes.into_iter().map(CauseId).collect(),
        effect: spec.effect,
        weight: spec.weight,
        summary: spec.summary,
        origin,
        matcher,
        examples: spec.examples,
        corroborating: spec.corroborating,
        withdraws: spec.withdraws.into_vec(),
        withdraws_rules: Vec::new(),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::sip::{MsDiagnostic, SipMessage};
    use crate::parse::uccapi::UccApiReader;
    use crate::parse::winevent::WinEvent;

    fn set(text: &str) -> Result<RuleSet, ConfigError> {
        let catalog = Catalog::builtin().unwrap();
        let mut specs = Vec::new();
        collect(&mut specs, "t.toml", text)?;
        RuleSet::compile(specs, &catalog)
    }

    #[test]
    fn broken_rules_name_file_line_and_reason() {
        let cases = [
            (
                "[[rule]]\nid = \"x\"\ncause = \"nope\"\nweight = 0.5\nsummary = \"s\"\n[rule.sip]\nstatus = 401\n",
                "t.toml:1: rule `x`: unknown cause `nope`",
            ),
            (
                "\n[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 2.0\nsummary = \"s\"\n[rule.sip]\nstatus = 401\n",
                "t.toml:2: rule `x`: weight 2",
            ),
            (
                "[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n[rule.record]\nregex = \"(\"\n",
                "bad regex",
            ),
            (
                "[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n",
                "exactly one of",
            ),
            (
                "[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\nstatuss = 3\n",
                "t.toml:6",
            ),
            (
                "[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n[rule.fact]\nname = \"moon-phase\"\n",
                "unknown fact",
            ),
            (
                "[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n[rule.sip]\n",
                "no condition",
            ),
        ];
        for (text, want) in cases {
            let e = set(text).unwrap_err().to_string();
            assert!(e.contains(want), "{e} should contain {want}");
        }
    }

    #[test]
    fn index_and_prefilter_select_the_right_rules() {
        let rs = set(r#"
[[rule]]
id = "diag"
cause = "clock-skew"
weight = 0.9
summary = "s"
[rule.sip]
diag_code = [1013]
direction = "received"

[[rule]]
id = "status-with-header"
cause = "wrong-credentials"
weight = 0.3
summary = "s"
[rule.sip]
status = 401
method = "REGISTER"
header = [{ name = "www-authenticate", contains = "tls-dsk" }]

[[rule]]
id = "no-date"
cause = "wrong-credentials"
weight = 0.3
summary = "s"
[rule.sip]
method = "register"
header = [{ name = "Date", absent = true }]

[[rule]]
id = "lit"
cause = "clock-skew"
weight = 0.4
summary = "s"
[rule.record]
level = "ERROR"
contains = ["0x80090324", "SEC_E_TIME_SKEW"]
"#)
        .unwrap();
        let msg = SipMessage::parse(
            "SIP/2.0 401 Unauthorized",
            "CSeq: 2 REGISTER\r\nWWW-Authenticate: TLS-DSK realm=\"x\"\r\nms-diagnostics: 1013;reason=\"Significant time skew\"\r\n\r\n",
        )
        .unwrap();
        let diags: Vec<MsDiagnostic> = msg.diagnostics();
        let log = "01/15/2012|11:30:10.400 1 ERROR :: CUcc::X hr=0x80090324 sec_e_time_skew\n01/15/2012|11:30:10.400 1 INFO  :: hr=0x80090324\n";
        let records: Vec<_> = UccApiReader::new(log).collect();
        let rec = records[0].record();
        let mut cand = Vec::new();
        let mut hits = Vec::new();
        let obs = Observation::Sip {
            record: rec,
            direction: Direction::Received,
            message: &msg,
            diagnostics: &diags,
        };
        rs.evaluate(&obs, &mut cand, |i| hits.push(rs.get(i).id.as_str()));
        assert_eq!(hits, vec!["diag", "status-with-header", "no-date"]);

        hits.clear();
        let obs = Observation::Sip {
            record: rec,
            direction: Direction::Sent,
            message: &msg,
            diagnostics: &diags,
        };
        rs.evaluate(&obs, &mut cand, |i| hits.push(rs.get(i).id.as_str()));
        assert_eq!(
            hits,
            vec!["status-with-header", "no-date"],
            "direction filter"
        );

        hits.clear();
        rs.evaluate(&Observation::Record(rec, Source::UccApi), &mut cand, |i| {
            hits.push(rs.get(i).id.as_str())
        });
        assert_eq!(hits, vec!["lit"], "two literals, one hit");

        hits.clear();
        rs.evaluate(
            &Observation::Record(records[1].record(), Source::UccApi),
            &mut cand,
            |i| hits.push(rs.get(i).id.as_str()),
        );
        assert!(hits.is_empty(), "level filter");
    }

    #[test]
    fn event_rules_need_provider_and_id() {
        let head = "[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n[rule.event]\n";
        for (body, want) in [
            ("id = 11\n", "needs both `provider` and `id`"),
            ("provider = \"Lync\"\n", "needs both `provider` and `id`"),
            ("diag_code = 1013\n", "needs both `provider` and `id`"),
            (
                "provider = []\nid = [3]\n",
                "needs both `provider` and `id`",
            ),
            (
                "provider = \"Lync\"\nid = 3\nmessage_contains = \"\"\n",
                "empty literal",
            ),
            (
                "provider = \"Lync\"\nid = 3\nchannel = \"x\"\n",
                "unknown field",
            ),
        ] {
            let e = set(&format!("{head}{body}")).unwrap_err().to_string();
            assert!(e.contains(want), "{e} should contain {want}");
            assert!(e.starts_with("t.toml:"), "{e}");
        }
    }

    fn event(provider: &str, id: u32, level: u8, message: Option<&str>) -> WinEvent {
        let mut e = WinEvent {
            provider: provider.into(),
            event_id: id,
            level,
            message: message.map(str::to_string),
            data: vec![
                ("AlertDesc".into(), "48".into()),
                ("%2".into(), "Serveur DNS INJOIGNABLE".into()),
            ],
            ..WinEvent::default()
        };
        e.finish();
        e
    }

    #[test]
    fn event_rules_match_by_provider_id_level_code_message_and_data() {
        let rs = set(r#"
[[rule]]
id = "dns"
cause = "dns-cname-missing"
weight = 0.6
summary = "s"
[rule.event]
provider = ["Lync", "Communicator"]
id = 3

[[rule]]
id = "skew"
cause = "clock-skew"
weight = 0.9
summary = "s"
[rule.event]
provider = "lync"
id = 11
level = [2, 3]
diag_code = 1013

[[rule]]
id = "schannel"
cause = "personal-certificate"
weight = 0.3
summary = "s"
[rule.event]
provider = "Schannel"
id = [36887, 36888]
message_contains = ["fatal alert", "injoignable"]
data = [{ name = "alertdesc", contains = "48" }]
"#)
        .unwrap();
        let mut cand = Vec::new();
        let ids = |e: &WinEvent, cand: &mut Vec<usize>| {
            let mut hits = Vec::new();
            rs.evaluate(&Observation::WinEvent(e), cand, |i| {
                hits.push(rs.get(i).id.clone())
            });
            hits
        };
        // Positive: provider case and id; negative: same id, other provider.
        assert_eq!(ids(&event("COMMUNICATOR", 3, 2, None), &mut cand), ["dns"]);
        assert!(ids(&event("Outlook", 3, 2, None), &mut cand).is_empty());
        assert!(ids(&event("Lync", 4, 2, None), &mut cand).is_empty());
        // Diag code from the event's Response Data, and the level filter.
        let msg = "Response Data:\r\n\r\n401  Unauthorized\r\nms-diagnostics:  1013;reason=\"Significant time skew detected during authentication\"\r\n";
        assert_eq!(ids(&event("Lync", 11, 3, Some(msg)), &mut cand), ["skew"]);
        assert!(ids(&event("Lync", 11, 4, Some(msg)), &mut cand).is_empty());
        let other = msg.replace("1013", "1000");
        assert!(ids(&event("Lync", 11, 3, Some(&other)), &mut cand).is_empty());
        // A 1013 in an event of another provider is not a candidate.
        assert!(ids(&event("Outlook", 11, 3, Some(msg)), &mut cand).is_empty());
        // message_contains reads the message, or the data when there is none (Unicode-aware),
        // and data conditions match names case-insensitively.
        let alert = "A fatal alert was received from the remote endpoint.";
        assert_eq!(
            ids(&event("Schannel", 36887, 2, Some(alert)), &mut cand),
            ["schannel"]
        );
        assert_eq!(
            ids(&event("Schannel", 36888, 2, None), &mut cand),
            ["schannel"],
            "data values stand in for the message"
        );
        assert!(ids(&event("Schannel", 36887, 2, Some("other text")), &mut cand).is_empty());
        let mut wrong_alert = event("Schannel", 36887, 2, Some(alert));
        wrong_alert.data[0].1 = "40".into();
        assert!(ids(&wrong_alert, &mut cand).is_empty());
        // Event rules never meet log records, and record rules never meet events.
        let log = "01/15/2012|11:30:10.400 1 ERROR :: fatal alert\n";
        let records: Vec<_> = UccApiReader::new(log).collect();
        let mut hits = 0;
        rs.evaluate(
            &Observation::Record(records[0].record(), Source::UccApi),
            &mut cand,
            |_| hits += 1,
        );
        assert_eq!(hits, 0);
    }

    #[test]
    fn overlapping_and_nested_literals_are_all_found() {
        let mut text = String::new();
        for (i, lit) in ["ABCD", "BC", "CDE", "ab"].iter().enumerate() {
            text.push_str(&format!("[[rule]]\nid = \"r{i}\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n[rule.record]\ncontains = \"{lit}\"\n\n"));
        }
        let rs = set(&text).unwrap();
        let hits = rs.literal_hits(b"xxABCDEyy ab");
        let rules: std::collections::BTreeSet<usize> = hits.iter().map(|h| h.1).collect();
        assert_eq!(
            rules.into_iter().collect::<Vec<_>>(),
            vec![0, 1, 2, 3],
            "{hits:?}"
        );
        assert!(rs.literal_hits(b"nothing here").is_empty());
    }

    #[test]
    fn event_regex_reads_the_message_and_the_data_lines() {
        let rs = set(r#"
[[rule]]
id = "alert"
cause = "adfs-self-signed-cert"
weight = 0.3
summary = "s"
[rule.event]
provider = "Schannel"
id = 36888
regex = '(?im)alert code is 48\b|^AlertDesc=48$'
"#)
        .unwrap();
        let mut cand = Vec::new();
        let mut hit = |e: &WinEvent| {
            let mut n = 0;
            rs.evaluate(&Observation::WinEvent(e), &mut cand, |_| n += 1);
            n
        };
        // From the data (an .evtx) and from the message (a text export).
        assert_eq!(hit(&event("Schannel", 36888, 2, None)), 1);
        let mut text = event(
            "Schannel",
            36888,
            2,
            Some("The TLS protocol defined fatal alert code is 48."),
        );
        text.data.clear();
        assert_eq!(hit(&text), 1);
        text.message = Some("The TLS protocol defined fatal alert code is 40.".into());
        assert_eq!(hit(&text), 0);
        let mut data_40 = event("Schannel", 36888, 2, None);
        data_40.data[0].1 = "40".into();
        data_40.data[1].1 = "48".into();
        assert_eq!(
            hit(&data_40),
            0,
            "`48` elsewhere in the data is not AlertDesc=48"
        );
        assert_eq!(
            event_regex_text(&event("S", 1, 2, Some("m"))),
            "m\nAlertDesc=48\n%2=Serveur DNS INJOIGNABLE\n"
        );
        let bad = "[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n[rule.event]\nprovider = \"a\"\nid = 1\nregex = \"(\"\n";
        assert!(set(bad).unwrap_err().to_string().contains("bad regex"));
    }

    #[test]
    fn later_rule_with_same_id_replaces_earlier() {
        let rs = set("[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"a\"\n[rule.sip]\nstatus = 401\n\n[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.7\nsummary = \"b\"\n[rule.sip]\nstatus = 403\n").unwrap();
        assert_eq!(rs.len(), 1);
        assert_eq!(rs.get(0).summary, "b");
    }

    #[test]
    fn builtin_rules_compile() {
        let (rs, _) = RuleSet::load(&[]).unwrap();
        assert!(rs.len() >= 8);
    }

    #[test]
    fn record_rules_scope_by_source_and_combine_with_all_any_not() {
        let rs = set(r#"
[[rule]]
id = "ps"
cause = "ps-execution-policy"
weight = 0.5
summary = "s"
[rule.record]
source = "powershell"
all = [{ contains = "Import-Module" }, { contains = ["désactivée", "disabled"] }]
not = { contains = "ExecutionPolicy Bypass" }
"#)
        .unwrap();
        let rule = &rs.rules()[0];
        let m = match &rule.matcher {
            Matcher::Record(m) => m,
            _ => unreachable!(),
        };
        // The prefilter keys on the first `all` table with literals.
        assert_eq!(m.literals().len(), 1);
        let hit = |text: &str, source: Source| {
            let record = crate::parse::uccapi::UccApiRecord {
                line: 1,
                time: None,
                thread: "",
                level: "ERROR",
                text,
                continuation: "",
                raw: text,
            };
            let mut cand = Vec::new();
            let mut n = 0;
            rs.evaluate(&Observation::Record(&record, source), &mut cand, |_| n += 1);
            n == 1
        };
        let fr = "Import-Module : L'EXÉCUTION DE SCRIPTS EST DÉSACTIVÉE sur ce système";
        assert!(hit(fr, Source::PowerShell));
        assert!(!hit(fr, Source::UccApi), "another source");
        assert!(!hit("Import-Module : loaded", Source::PowerShell), "all");
        assert!(
            !hit(
                "Import-Module : disabled; run with -ExecutionPolicy Bypass",
                Source::PowerShell
            ),
            "not"
        );
    }

    #[test]
    fn relations_and_scopes_are_checked_when_rules_load() {
        let rule = |extra: &str, body: &str| {
            format!(
                "[[rule]]\nid = \"x\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n{extra}{body}"
            )
        };
        let rec = "[rule.record]\ncontains = \"a\"\n";
        for (text, want) in [
            (rule("withdraws = [\"nope\"]\n", rec), "which is no rule"),
            (rule("withdraws = [\"x\"]\n", rec), "withdraws itself"),
            (
                "[[rule]]\nid = \"x\"\ncause = [\"clock-skew\", \"nope\"]\nweight = 0.5\nsummary = \"s\"\n[rule.record]\ncontains = \"a\"\n".to_string(),
                "unknown cause `nope`",
            ),
            (
                "[[rule]]\nid = \"x\"\ncause = [\"clock-skew\", \"clock-skew\"]\nweight = 0.5\nsummary = \"s\"\n[rule.record]\ncontains = \"a\"\n".to_string(),
                "names a cause twice",
            ),
            (rule("", "[rule.record]\nsource = \"mail\"\ncontains = \"a\"\n"), "unknown source `mail`"),
            (
                rule("", "[rule.record]\ncontains = \"a\"\nall = [{ source = \"powershell\", contains = \"b\" }]\n"),
                "`source` belongs to the rule",
            ),
            (
                rule("", "[rule.record]\ncontains = \"a\"\n[[rule.examples]]\nmatches = true\n"),
                "exactly one of `log` and `files`",
            ),
        ] {
            let e = set(&text).unwrap_err().to_string();
            assert!(e.contains(want), "{e} should contain {want}");
        }
        // A rule naming two causes, and one withdrawing another, load.
        let rs = set("[[rule]]\nid = \"a\"\ncause = [\"trustmodeldata-missing\", \"untrusted-server-prompt\"]\nweight = 0.5\nsummary = \"s\"\n[rule.record]\ncontains = \"a\"\n\n[[rule]]\nid = \"b\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\nwithdraws = [\"a\"]\n[rule.record]\ncontains = \"b\"\n").unwrap();
        assert_eq!(rs.get(0).causes.len(), 2);
        assert_eq!(rs.get(1).withdraws_rules, vec![0]);
    }
}

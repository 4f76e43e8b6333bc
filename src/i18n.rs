//! Languages of the reports: English, French, Japanese, Traditional and Simplified Chinese.
//!
//! This module owns choosing the language (`--lang`, else `LC_ALL` / `LC_MESSAGES` / `LANG`,
//! else the user's UI language as the OS reports it, else English), the report chrome
//! (headings, labels, verdict sentences, statuses, legends) read from the message tables
//! `rules/i18n/chrome.<lang>.toml`, the catalogue translations `rules/i18n/<lang>.toml`
//! (title, symptom, resolution, distinguish and article section of each cause, keyed by cause
//! id, embedded at build time; a `--rules DIR` may add `DIR/i18n/<lang>.toml`), and
//! the built-in rules' reasons `rules/i18n/reasons.<lang>.toml` (by rule id), and
//! [`localize`], which puts one language's texts into an [`Analysis`] before it is rendered.
//! Ids, codes, field names, evidence, dates and numbers never change with the language.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, CauseId};
use crate::correlate::ClockEstimate;
use crate::diagnosis::Analysis;
use crate::error::ConfigError;

/// A report language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    #[default]
    En,
    Fr,
    Ja,
    ZhTw,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Fr, Lang::Ja, Lang::ZhTw, Lang::ZhCn];

    /// The code users type and JSON carries: `en`, `fr`, `ja`, `zh-TW`, `zh-CN`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ja => "ja",
            Lang::ZhTw => "zh-TW",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The locale segment of learn.microsoft.com addresses.
    pub fn url_locale(self) -> &'static str {
        match self {
            Lang::En => "en-us",
            Lang::Fr => "fr-fr",
            Lang::Ja => "ja-jp",
            Lang::ZhTw => "zh-tw",
            Lang::ZhCn => "zh-cn",
        }
    }

    /// Read a language code or a locale name (`fr`, `ja_JP.UTF-8`, `zh-Hant`, `zh_HK`,
    /// `English_United States.1252`); `None` when it is none of ours.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim();
        // Drop the codeset and modifier: `fr_FR.UTF-8@euro`.
        let base = s
            .split(['.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut parts = base.split(['_', '-']);
        let lang = parts.next().unwrap_or("");
        let rest: Vec<&str> = parts.collect();
        match lang {
            "en" | "english" => Some(Lang::En),
            "fr" | "french" => Some(Lang::Fr),
            "ja" | "japanese" => Some(Lang::Ja),
            "zh" | "chinese" => {
                let traditional = rest.iter().any(|p| {
                    matches!(*p, "tw" | "hk" | "mo" | "hant" | "traditional")
                        || p.starts_with("taiwan")
                        || p.starts_with("hong kong")
                });
                Some(if traditional { Lang::ZhTw } else { Lang::ZhCn })
            }
            _ => None,
        }
    }

    /// The language of the user's environment: the first set of `LC_ALL`, `LC_MESSAGES`,
    /// `LANG`; without any, the OS's UI language (Windows, macOS); English otherwise.
    pub fn from_env() -> Lang {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let chosen = var("LC_ALL")
            .or_else(|| var("LC_MESSAGES"))
            .or_else(|| var("LANG"))
            .or_else(sys_locale::get_locale);
        chosen.and_then(|l| Lang::parse(&l)).unwrap_or(Lang::En)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// The language for a command: `--lang` when given and known, else the environment's.
/// An unknown `--lang` value gives English and the one-line note to print on stderr.
pub fn choose(flag: Option<&str>) -> (Lang, Option<String>) {
    match flag {
        Some(v) => match Lang::parse(v) {
            Some(l) => (l, None),
            None => (
                Lang::En,
                Some(format!(
                    "sfbtriage: unknown language `{v}`; using English (known: en, fr, ja, zh-TW, zh-CN)"
                )),
            ),
        },
        None => (Lang::from_env(), None),
    }
}

// ------------------------------------------------------------------------------------------
// Report chrome
// ------------------------------------------------------------------------------------------

/// The message tables as shipped, one per language.
pub const BUILTIN_CHROME: [(Lang, &str, &str); 5] = [
    (
        Lang::En,
        "rules/i18n/chrome.en.toml",
        include_str!("../rules/i18n/chrome.en.toml"),
    ),
    (
        Lang::Fr,
        "rules/i18n/chrome.fr.toml",
        include_str!("../rules/i18n/chrome.fr.toml"),
    ),
    (
        Lang::Ja,
        "rules/i18n/chrome.ja.toml",
        include_str!("../rules/i18n/chrome.ja.toml"),
    ),
    (
        Lang::ZhTw,
        "rules/i18n/chrome.zh-TW.toml",
        include_str!("../rules/i18n/chrome.zh-TW.toml"),
    ),
    (
        Lang::ZhCn,
        "rules/i18n/chrome.zh-CN.toml",
        include_str!("../rules/i18n/chrome.zh-CN.toml"),
    ),
];

/// One message table: dotted key (`report.why`) → text.
pub type MessageTable = BTreeMap<String, String>;

/// Parse a message table; nested TOML tables become dotted keys.
pub fn parse_table(file: &str, text: &str) -> Result<MessageTable, ConfigError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| ConfigError::toml(file, text, &e))?;
    let mut out = MessageTable::new();
    fn walk(
        prefix: &str,
        t: &toml::Table,
        out: &mut MessageTable,
        file: &str,
    ) -> Result<(), ConfigError> {
        for (k, v) in t {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::String(s) => {
                    out.insert(key, s.clone());
                }
                toml::Value::Table(inner) => walk(&key, inner, out, file)?,
                _ => {
                    return Err(ConfigError::in_file(
                        file,
                        format!("message `{key}` must be a string"),
                    ));
                }
            }
        }
        Ok(())
    }
    walk("", &table, &mut out, file)?;
    Ok(out)
}

fn chrome_tables() -> &'static BTreeMap<Lang, MessageTable> {
    static TABLES: OnceLock<BTreeMap<Lang, MessageTable>> = OnceLock::new();
    TABLES.get_or_init(|| {
        BUILTIN_CHROME
            .iter()
            .map(|(lang, file, text)| {
                // The built-in tables are checked by the tests; a broken one falls back to English.
                (*lang, parse_table(file, text).unwrap_or_default())
            })
            .collect()
    })
}

/// The message `key` in `lang`; English when the language lacks it, the key itself when
/// English does too (the tests make sure neither happens).
pub fn tr(lang: Lang, key: &str) -> &'static str {
    let tables = chrome_tables();
    tables
        .get(&lang)
        .and_then(|t| t.get(key))
        .or_else(|| tables.get(&Lang::En).and_then(|t| t.get(key)))
        .map(String::as_str)
        .unwrap_or_else(|| {
            debug_assert!(false, "missing message `{key}`");
            "?"
        })
}

/// The message `key` with its `{name}` placeholders filled in.
pub fn trf(lang: Lang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    fill(tr(lang, key), args)
}

/// Replace each `{name}` in `template` by its argument; unknown placeholders stay as written.
pub fn fill(template: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(&v.to_string()),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `key.one` or `key.other` by `count` (English and French; Japanese and Chinese give both
/// the same text).
pub fn plural(lang: Lang, key: &str, count: u64, args: &[(&str, &dyn fmt::Display)]) -> String {
    let form = if count == 1 || (lang == Lang::Fr && count == 0) {
        "one"
    } else {
        "other"
    };
    trf(lang, &format!("{key}.{form}"), args)
}

/// Every key of the English table (the reference set the other languages must match).
pub fn chrome_keys() -> Vec<&'static str> {
    chrome_tables()
        .get(&Lang::En)
        .map(|t| t.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The chrome table of one language (for checks).
pub fn chrome_table(lang: Lang) -> Option<&'static MessageTable> {
    chrome_tables().get(&lang)
}

/// The confidence label (`high`, `medium`, `low`) in `lang`; the JSON keeps the code.
pub fn confidence(lang: Lang, code: &str) -> &'static str {
    match code {
        "high" => tr(lang, "confidence.high"),
        "medium" => tr(lang, "confidence.medium"),
        "low" => tr(lang, "confidence.low"),
        _ => tr(lang, "confidence.low"),
    }
}

/// An inventory status (`parsed`, `skipped`, `failed`) in `lang`.
pub fn status(lang: Lang, code: &str) -> &'static str {
    match code {
        "parsed" => tr(lang, "status.parsed"),
        "skipped" => tr(lang, "status.skipped"),
        _ => tr(lang, "status.failed"),
    }
}

/// How the client clock relates to the server's, in `lang` (the text of
/// [`ClockEstimate::relation`]).
pub fn clock_relation(lang: Lang, c: &ClockEstimate) -> String {
    if c.skew_seconds.abs() < 1.0 {
        tr(lang, "clock.in_step").to_string()
    } else {
        let d = duration(lang, c.skew_seconds);
        let key = if c.skew_seconds > 0.0 {
            "clock.ahead"
        } else {
            "clock.behind"
        };
        trf(lang, key, &[("duration", &d)])
    }
}

/// A duration as `6 min 30 s` (English, [`crate::correlate::format_duration`]) or with the
/// units of `lang` (`6 分 30 秒`).
pub fn duration(lang: Lang, seconds: f64) -> String {
    if lang == Lang::En {
        return crate::correlate::format_duration(seconds);
    }
    let s = seconds.abs().round() as i64;
    let (h, min, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let unit = |k: &str| tr(lang, k);
    match (h, min) {
        (0, 0) => format!("{sec} {}", unit("unit.s")),
        (0, _) => format!("{min} {} {sec} {}", unit("unit.min"), unit("unit.s")),
        _ => format!("{h} {} {min} {}", unit("unit.h"), unit("unit.min")),
    }
}

/// Notes of the inventory that [`inventory_note`] translates: the English pattern and the
/// message key; `{1}`, `{2}` in the message are the pattern's groups.
const NOTES: [(&str, &str); 17] = [
    (r"^(\d+) commands, (\d+) error records$", "note.commands"),
    (r"^lines wrapped at (\d+) columns joined$", "note.wrapped"),
    (r"^(\d+) DNS lookups$", "note.dns_lookups"),
    (r"^WinHTTP proxy (.+)$", "note.winhttp_proxy"),
    (
        r"^WinHTTP direct access \(no proxy\)$",
        "note.winhttp_direct",
    ),
    (r"^time zone (.+)$", "note.time_zone"),
    (
        r"^(\d+) registry values under (\d+) keys$",
        "note.registry_values",
    ),
    (
        r"^archive with (\d+) entries; its members follow$",
        "note.archive",
    ),
    (r"^no text$", "note.no_text"),
    (r"^no events$", "note.no_events"),
    (r"^no UccApi record lines found$", "note.no_uccapi_records"),
    (
        r"^(\d+) lines before the first record$",
        "note.lines_before",
    ),
    (
        r"^(\d+) packet frames without a SIP start line$",
        "note.frames_without_sip",
    ),
    (r"^text that no parser recognises$", "note.unknown_text"),
    (
        r"^binary content that no parser recognises$",
        "note.unknown_binary",
    ),
    (r"^empty file$", "note.empty"),
    (
        r"^binary ETW trace: decoding needs Microsoft's private format files; the UccApi logs carry the sign-in traffic$",
        "note.etl",
    ),
];

fn note_patterns() -> &'static Vec<(regex::Regex, &'static str)> {
    static P: OnceLock<Vec<(regex::Regex, &'static str)>> = OnceLock::new();
    P.get_or_init(|| {
        NOTES
            .iter()
            .map(|(p, k)| (regex::Regex::new(p).expect("valid note pattern"), *k))
            .collect()
    })
}

/// An inventory note (`5 commands, 1 error records; lines wrapped at 80 columns joined`) in
/// `lang`: each `; `-separated part the tables know is translated, any other part (an error
/// message, a path) stays as written.
pub fn inventory_note(lang: Lang, note: &str) -> String {
    if lang == Lang::En {
        return note.to_string();
    }
    // The archive note holds a "; " of its own.
    let whole = note_patterns()
        .iter()
        .find(|(re, _)| re.is_match(note))
        .map(|(re, key)| translate_note(lang, re, key, note));
    if let Some(t) = whole {
        return t;
    }
    note.split("; ")
        .map(|part| {
            note_patterns()
                .iter()
                .find(|(re, _)| re.is_match(part))
                .map(|(re, key)| translate_note(lang, re, key, part))
                .unwrap_or_else(|| part.to_string())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn translate_note(lang: Lang, re: &regex::Regex, key: &str, part: &str) -> String {
    let caps = re.captures(part).expect("matched before");
    let groups: Vec<String> = (1..caps.len())
        .map(|i| caps.get(i).map_or("", |m| m.as_str()).to_string())
        .collect();
    let names = ["1", "2", "3"];
    let args: Vec<(&str, &dyn fmt::Display)> = groups
        .iter()
        .zip(names)
        .map(|(g, n)| (n, g as &dyn fmt::Display))
        .collect();
    trf(lang, key, &args)
}

// ------------------------------------------------------------------------------------------
// Rule reasons
// ------------------------------------------------------------------------------------------

/// The built-in rules' one-line reasons (`summary`) in the other languages, by rule id.
pub const BUILTIN_REASONS: [(Lang, &str, &str); 4] = [
    (
        Lang::Fr,
        "rules/i18n/reasons.fr.toml",
        include_str!("../rules/i18n/reasons.fr.toml"),
    ),
    (
        Lang::Ja,
        "rules/i18n/reasons.ja.toml",
        include_str!("../rules/i18n/reasons.ja.toml"),
    ),
    (
        Lang::ZhTw,
        "rules/i18n/reasons.zh-TW.toml",
        include_str!("../rules/i18n/reasons.zh-TW.toml"),
    ),
    (
        Lang::ZhCn,
        "rules/i18n/reasons.zh-CN.toml",
        include_str!("../rules/i18n/reasons.zh-CN.toml"),
    ),
];

fn reason_tables() -> &'static BTreeMap<Lang, MessageTable> {
    static TABLES: OnceLock<BTreeMap<Lang, MessageTable>> = OnceLock::new();
    TABLES.get_or_init(|| {
        BUILTIN_REASONS
            .iter()
            .map(|(lang, file, text)| (*lang, parse_table(file, text).unwrap_or_default()))
            .collect()
    })
}

/// The English reason of every built-in rule, by id.
fn builtin_reasons() -> &'static BTreeMap<String, String> {
    static EN: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    EN.get_or_init(|| {
        let mut out = BTreeMap::new();
        for (_, text) in crate::rules::BUILTIN_RULES {
            let Ok(t) = toml::from_str::<toml::Table>(text) else {
                continue;
            };
            for r in t
                .get("rule")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
            {
                if let (Some(id), Some(s)) = (
                    r.get("id").and_then(|v| v.as_str()),
                    r.get("summary").and_then(|v| v.as_str()),
                ) {
                    out.insert(id.to_string(), s.to_string());
                }
            }
        }
        out
    })
}

/// The reason of rule `rule` in `lang`, when `english` is the built-in rule's own reason (a
/// rule of a `--rules DIR` keeps its words, even when it replaces a built-in id).
pub fn reason(lang: Lang, rule: &str, english: &str) -> Option<&'static str> {
    if lang == Lang::En || builtin_reasons().get(rule).is_none_or(|e| e != english) {
        return None;
    }
    reason_tables()
        .get(&lang)
        .and_then(|t| t.get(rule))
        .map(String::as_str)
}

/// The built-in rule ids with their English reason (for checks).
pub fn builtin_rule_reasons() -> &'static BTreeMap<String, String> {
    builtin_reasons()
}

/// The reason table of one language (for checks).
pub fn reason_table(lang: Lang) -> Option<&'static MessageTable> {
    reason_tables().get(&lang)
}

// ------------------------------------------------------------------------------------------
// Catalogue translations
// ------------------------------------------------------------------------------------------

/// The catalogue translations as shipped, one file per language other than English.
pub const BUILTIN_TRANSLATIONS: [(Lang, &str, &str); 4] = [
    (
        Lang::Fr,
        "rules/i18n/fr.toml",
        include_str!("../rules/i18n/fr.toml"),
    ),
    (
        Lang::Ja,
        "rules/i18n/ja.toml",
        include_str!("../rules/i18n/ja.toml"),
    ),
    (
        Lang::ZhTw,
        "rules/i18n/zh-TW.toml",
        include_str!("../rules/i18n/zh-TW.toml"),
    ),
    (
        Lang::ZhCn,
        "rules/i18n/zh-CN.toml",
        include_str!("../rules/i18n/zh-CN.toml"),
    ),
];

/// One cause's texts in one language; a missing field falls back to English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseText {
    pub title: Option<String>,
    pub symptom: Option<String>,
    pub resolution: Option<String>,
    pub distinguish: Option<String>,
    /// Heading of the section on the localized article page.
    pub section: Option<String>,
    /// The localized article address; by default the English one with its locale replaced.
    pub url: Option<String>,
}

impl CauseText {
    fn merge(&mut self, other: CauseText) {
        macro_rules! take {
            ($($f:ident),*) => {$( if other.$f.is_some() { self.$f = other.$f; } )*};
        }
        take!(title, symptom, resolution, distinguish, section, url);
    }
}

/// Every translation of the catalogue, by language and cause id.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    texts: BTreeMap<(Lang, CauseId), CauseText>,
}

impl Translations {
    /// The built-in translations.
    pub fn builtin() -> Result<Self, ConfigError> {
        let mut t = Translations::default();
        for (lang, file, text) in BUILTIN_TRANSLATIONS {
            t.add_source(lang, file, text)?;
        }
        Ok(t)
    }

    /// Add (field by field, replacing what was there) the translations of one TOML source:
    /// one table per cause id.
    pub fn add_source(&mut self, lang: Lang, file: &str, text: &str) -> Result<(), ConfigError> {
        let parsed: BTreeMap<String, CauseText> =
            toml::from_str(text).map_err(|e| ConfigError::toml(file, text, &e))?;
        for (id, t) in parsed {
            self.texts.entry((lang, CauseId(id))).or_default().merge(t);
        }
        Ok(())
    }

    /// The translation of cause `id` in `lang`, if any.
    pub fn get(&self, lang: Lang, id: &CauseId) -> Option<&CauseText> {
        self.texts.get(&(lang, id.clone()))
    }

    /// Cause ids that have a translation, with their language (for the catalogue's check).
    pub fn ids(&self) -> impl Iterator<Item = (Lang, &CauseId)> {
        self.texts.keys().map(|(l, id)| (*l, id))
    }
}

/// One cause's texts as shown in one language, English where no translation exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownCause {
    pub title: String,
    pub symptom: String,
    pub resolution: String,
    pub distinguish: String,
    pub section: String,
    pub url: String,
}

/// The texts of cause `id` in `lang`.
pub fn cause_text(catalog: &Catalog, id: &CauseId, lang: Lang) -> Option<ShownCause> {
    let c = catalog.get(id)?;
    let mut shown = ShownCause {
        title: c.title.clone(),
        symptom: c.symptom.clone(),
        resolution: c.resolution.clone(),
        distinguish: c.distinguish.clone(),
        section: c.section.clone(),
        url: c.url.clone(),
    };
    if lang == Lang::En {
        return Some(shown);
    }
    shown.url = localized_url(&c.url, lang);
    if let Some(t) = catalog.translations().get(lang, id) {
        let pick = |v: &Option<String>, into: &mut String| {
            if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
                *into = v.clone();
            }
        };
        pick(&t.title, &mut shown.title);
        pick(&t.symptom, &mut shown.symptom);
        pick(&t.resolution, &mut shown.resolution);
        pick(&t.section, &mut shown.section);
        pick(&t.url, &mut shown.url);
        // An English cause without advice has none in any language.
        if !c.distinguish.is_empty() {
            pick(&t.distinguish, &mut shown.distinguish);
        }
    }
    Some(shown)
}

/// A learn.microsoft.com address on the page of `lang` (same path, same anchor).
pub fn localized_url(url: &str, lang: Lang) -> String {
    url.replacen("/en-us/", &format!("/{}/", lang.url_locale()), 1)
}

/// Put the texts of `lang` into `a`: cause titles, symptoms, resolutions, look-alike titles,
/// the advice to tell look-alikes apart, article sections and links; and `a.lang`. Call it
/// before [`Analysis::redact_identifiers`].
pub fn localize(a: &mut Analysis, catalog: &Catalog, lang: Lang) {
    a.lang = lang;
    if lang == Lang::En {
        return;
    }
    for c in &mut a.causes {
        if let Some(t) = cause_text(catalog, &c.id, lang) {
            c.title = t.title;
            c.symptom = t.symptom;
            c.resolution = t.resolution;
            c.distinguish = t.distinguish;
            c.article.section = t.section;
            c.article.url = t.url;
        }
        for r in &mut c.reasons {
            if let Some(t) = reason(lang, &r.rule, &r.summary) {
                r.summary = t.to_string();
            }
        }
        for l in &mut c.look_alikes {
            if let Some(t) = cause_text(catalog, &l.id, lang) {
                l.title = t.title;
            }
        }
    }
    for g in &mut a.look_alike_groups {
        for check in &mut g.check {
            let source = g.causes.iter().find(|id| {
                catalog
                    .get(id)
                    .is_some_and(|c| !c.distinguish.is_empty() && c.distinguish == *check)
            });
            if let Some(t) = source.and_then(|id| cause_text(catalog, id, lang)) {
                *check = t.distinguish;
            }
        }
    }
}

/// Localize one `explain` answer's causes.
pub fn localize_explanation(e: &mut crate::explain::Explanation, catalog: &Catalog, lang: Lang) {
    if lang == Lang::En {
        return;
    }
    for c in &mut e.causes {
        if let Some(t) = cause_text(catalog, &CauseId(c.id.clone()), lang) {
            c.title = t.title;
            c.resolution = t.resolution;
            c.url = t.url;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codes_and_locale_names() {
        for (s, l) in [
            ("en", Lang::En),
            ("fr", Lang::Fr),
            ("FR", Lang::Fr),
            ("fr_CA.UTF-8", Lang::Fr),
            ("ja_JP.UTF-8", Lang::Ja),
            ("ja-JP", Lang::Ja),
            ("zh-TW", Lang::ZhTw),
            ("zh_TW.Big5", Lang::ZhTw),
            ("zh_HK.UTF-8", Lang::ZhTw),
            ("zh-Hant-TW", Lang::ZhTw),
            ("zh-CN", Lang::ZhCn),
            ("zh_CN.GB18030", Lang::ZhCn),
            ("zh-Hans", Lang::ZhCn),
            ("zh", Lang::ZhCn),
            ("en_US.UTF-8", Lang::En),
            ("English_United States.1252", Lang::En),
            ("Japanese_Japan.932", Lang::Ja),
        ] {
            assert_eq!(Lang::parse(s), Some(l), "{s}");
        }
        for s in ["de_DE.UTF-8", "C", "POSIX", "", "klingon"] {
            assert_eq!(Lang::parse(s), None, "{s}");
        }
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
    }

    #[test]
    fn unknown_flag_falls_back_to_english_with_a_note() {
        let (l, note) = choose(Some("de"));
        assert_eq!(l, Lang::En);
        let note = note.unwrap();
        assert!(note.contains("`de`") && !note.contains('\n'), "{note}");
        assert_eq!(choose(Some("ja")), (Lang::Ja, None));
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill("{a} of {b}, {c}", &[("a", &1), ("b", &"two")]),
            "1 of two, {c}"
        );
        assert_eq!(fill("no { brace", &[]), "no { brace");
    }

    #[test]
    fn inventory_notes_translate_known_parts_only() {
        assert_eq!(
            inventory_note(Lang::Fr, "5 commands, 1 error records; cannot read: boom"),
            format!(
                "{}; cannot read: boom",
                fill(tr(Lang::Fr, "note.commands"), &[("1", &5), ("2", &1)])
            )
        );
        let ja = inventory_note(Lang::Ja, "archive with 3 entries; its members follow");
        assert!(ja.contains('3') && !ja.contains("archive"), "{ja}");
        assert_eq!(inventory_note(Lang::En, "6 DNS lookups"), "6 DNS lookups");
    }

    #[test]
    fn localized_links_keep_path_and_anchor() {
        let u = "https://learn.microsoft.com/en-us/skypeforbusiness/x/y#update-dns-service";
        assert_eq!(
            localized_url(u, Lang::ZhTw),
            "https://learn.microsoft.com/zh-tw/skypeforbusiness/x/y#update-dns-service"
        );
        assert_eq!(localized_url(u, Lang::En), u);
    }
}

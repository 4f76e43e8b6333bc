//! The cause catalogue: every documented reason a sign-in fails, with its resolution.
//!
//! This module owns loading `rules/causes.toml` (embedded at build time) into [`Catalog`],
//! checking it (unique ids, known groups, look-alikes that exist) and looking causes up by
//! [`CauseId`]. Rules name causes by id; the diagnosis and the reports read titles,
//! resolutions and article links from here. A user's `--rules DIR` may hold its own
//! `causes.toml`, whose entries add to or replace the built-in ones by id.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;

/// The built-in catalogue, as shipped in `rules/causes.toml`.
pub const BUILTIN_CAUSES: &str = include_str!("../rules/causes.toml");

/// A stable cause identifier such as `clock-skew`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CauseId(pub String);

impl fmt::Display for CauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phrase the user may see, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub lang: String,
    pub text: String,
}

/// One documented cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    pub id: CauseId,
    pub title: String,
    pub group: String,
    pub symptom: String,
    pub resolution: String,
    pub article: String,
    pub section: String,
    pub url: String,
    pub seed: String,
    #[serde(default)]
    pub look_alikes: Vec<CauseId>,
    #[serde(default)]
    pub distinguish: String,
    #[serde(default)]
    pub messages: Vec<Message>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CauseFile {
    #[serde(default)]
    cause: Vec<toml::Spanned<Cause>>,
}

/// All causes, ordered by id for lookups and in file order for listing.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    order: Vec<CauseId>,
    causes: BTreeMap<CauseId, Cause>,
    /// The causes' texts in the other languages (`rules/i18n/<lang>.toml`).
    translations: crate::i18n::Translations,
}

const GROUPS: [&str; 3] = ["common", "enterprise", "connector"];

impl Catalog {
    /// The built-in catalogue.
    pub fn builtin() -> Result<Self, ConfigError> {
        let mut c = Catalog::default();
        c.add_source("rules/causes.toml (built in)", BUILTIN_CAUSES)?;
        c.translations = crate::i18n::Translations::builtin()?;
        c.check()?;
        Ok(c)
    }

    /// Add (or replace by id) the causes of one TOML source.
    pub fn add_source(&mut self, file: &str, text: &str) -> Result<(), ConfigError> {
        let parsed: CauseFile =
            toml::from_str(text).map_err(|e| ConfigError::toml(file, text, &e))?;
        let mut seen = std::collections::HashSet::new();
        for spanned in parsed.cause {
            let line = crate::error::line_of(text, spanned.span().start);
            let cause = spanned.into_inner();
            if !seen.insert(cause.id.clone()) {
                return Err(ConfigError::at(
                    file,
                    line,
                    format!("cause id `{}` is defined twice", cause.id),
                ));
            }
            if !GROUPS.contains(&cause.group.as_str()) {
                return Err(ConfigError::at(
                    file,
                    line,
                    format!(
                        "cause `{}` has group `{}`; expected one of {}",
                        cause.id,
                        cause.group,
                        GROUPS.join(", ")
                    ),
                ));
            }
            if cause.id.0.is_empty()
                || !cause
                    .id
                    .0
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(ConfigError::at(
                    file,
                    line,
                    format!(
                        "cause id `{}` must be lowercase letters, digits and dashes",
                        cause.id
                    ),
                ));
            }
            if !self.causes.contains_key(&cause.id) {
                self.order.push(cause.id.clone());
            }
            self.causes.insert(cause.id.clone(), cause);
        }
        Ok(())
    }

    /// Add (or replace field by field) translations of causes from one
    /// `i18n/<lang>.toml` source.
    pub fn add_translation_source(
        &mut self,
        lang: crate::i18n::Lang,
        file: &str,
        text: &str,
    ) -> Result<(), ConfigError> {
        self.translations.add_source(lang, file, text)
    }

    /// The causes' texts in the other languages.
    pub fn translations(&self) -> &crate::i18n::Translations {
        &self.translations
    }

    /// Check cross-references once every source is in.
    pub fn check(&self) -> Result<(), ConfigError> {
        for (lang, id) in self.translations.ids() {
            if !self.causes.contains_key(id) {
                return Err(ConfigError::plain(format!(
                    "the {lang} translations name unknown cause `{id}`"
                )));
            }
        }
        for cause in self.causes.values() {
            for other in &cause.look_alikes {
                if !self.causes.contains_key(other) {
                    return Err(ConfigError::plain(format!(
                        "cause `{}` names unknown look-alike `{}`",
                        cause.id, other
                    )));
                }
            }
        }
        Ok(())
    }

    pub fn get(&self, id: &CauseId) -> Option<&Cause> {
        self.causes.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.causes.keys().any(|k| k.0 == id)
    }

    /// Causes in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = &Cause> {
        self.order.iter().filter_map(|id| self.causes.get(id))
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_holds_all_documented_causes() {
        let c = Catalog::builtin().unwrap();
        assert_eq!(c.len(), 24);
        for id in [
            "clock-skew",
            "user-not-sip-enabled",
            "wrong-client-version",
            "wrong-credentials",
            "ps-max-shells-tenant",
        ] {
            let cause = c.get(&CauseId(id.into())).unwrap();
            assert!(
                cause.url.starts_with("https://learn.microsoft.com/"),
                "{id}"
            );
            assert!(cause.url.contains('#'), "{id} links a section");
            assert!(!cause.resolution.is_empty());
        }
    }

    #[test]
    fn broken_catalogue_is_reported_with_its_line() {
        let mut c = Catalog::default();
        let text = "[[cause]]\nid = \"a\"\ntitle = \"t\"\ngroup = \"weird\"\nsymptom = \"\"\nresolution = \"\"\narticle = \"\"\nsection = \"\"\nurl = \"\"\nseed = \"\"\n";
        let e = c.add_source("mine.toml", text).unwrap_err().to_string();
        assert!(e.contains("mine.toml:1") && e.contains("group"), "{e}");

        let e = c
            .add_source("bad.toml", "[[cause]]\nid = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("bad.toml:2"), "{e}");
    }
}

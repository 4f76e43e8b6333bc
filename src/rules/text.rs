//! The one case rule of every literal condition, and the prefilter keys it implies.
//!
//! A literal (`contains`, header `contains`, `message_contains`, `data`) matches without regard
//! to case, for ASCII and for every other script with case (`désactivée` finds `DÉSACTIVÉE`,
//! `Проверка` finds `проверка`), unless its rule says `case_sensitive = true`. The literal
//! prefilter is an ASCII-case-insensitive automaton, so a literal with cased non-ASCII letters
//! is keyed by its longest run of ASCII or caseless characters (CJK, digits, punctuation),
//! which occurs in the text whatever the case of the rest; a literal with no such run is keyed
//! by its lower, upper and capitalised forms. The full literal is then checked on the
//! candidates only.

/// A literal as a rule holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// As written.
    pub text: String,
    /// Lowercase (Unicode), for case-insensitive comparison.
    folded: String,
    pub case_sensitive: bool,
}

impl Literal {
    pub fn new(text: &str, case_sensitive: bool) -> Literal {
        Literal {
            text: text.to_string(),
            folded: text.to_lowercase(),
            case_sensitive,
        }
    }

    /// True when `hay` holds the literal under the case rule.
    pub fn found_in(&self, hay: &str) -> bool {
        if self.case_sensitive {
            hay.contains(&self.text)
        } else if self.text.is_ascii() {
            contains_ascii_ci(hay, &self.text)
        } else if hay.is_ascii() {
            // Cased non-ASCII letters cannot occur in ASCII text; caseless ones neither.
            false
        } else {
            hay.to_lowercase().contains(&self.folded)
        }
    }

    /// The strings the ASCII-case-insensitive prefilter should look for: finding one of them
    /// is necessary for the literal to be present.
    pub fn prefilter_keys(&self) -> Vec<String> {
        if self.text.is_ascii() || self.case_sensitive {
            return vec![self.text.to_ascii_lowercase()];
        }
        // The longest run of characters whose case cannot differ (the first of equals).
        let caseless = |c: char| c.is_ascii() || !has_case(c);
        let best = self
            .text
            .split(|c| !caseless(c))
            .map(str::trim)
            .fold(
                "",
                |best, run| if run.len() > best.len() { run } else { best },
            );
        if best.chars().count() >= 3 || (!best.is_empty() && best.len() == self.text.len()) {
            return vec![best.to_ascii_lowercase()];
        }
        let mut keys = vec![self.folded.clone(), self.text.to_uppercase()];
        let mut chars = self.folded.chars();
        if let Some(first) = chars.next() {
            keys.push(first.to_uppercase().chain(chars).collect());
        }
        keys.push(self.text.clone());
        keys.sort();
        keys.dedup();
        keys
    }
}

/// The character has an upper or lower case form other than itself.
fn has_case(c: char) -> bool {
    c.to_lowercase().ne(std::iter::once(c)) || c.to_uppercase().ne(std::iter::once(c))
}

/// ASCII case-insensitive substring test.
pub fn contains_ascii_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_with_case_ignores_it() {
        let l = Literal::new("de scripts est désactivée", false);
        assert!(l.found_in("L'EXÉCUTION DE SCRIPTS EST DÉSACTIVÉE SUR CE SYSTÈME"));
        assert!(l.found_in("l'exécution de scripts est désactivée"));
        assert!(!l.found_in("l'exécution de scripts est activée"));
        let ru = Literal::new("Не удается", false);
        assert!(ru.found_in("НЕ УДАЕТСЯ найти"));
        let ja = Literal::new("無効になっている", false);
        assert!(ja.found_in("スクリプトの実行が無効になっているため"));
        let ascii = Literal::new("Final handshake failed", false);
        assert!(ascii.found_in("FINAL HANDSHAKE FAILED"));
        let exact = Literal::new("Désactivée", true);
        assert!(exact.found_in("est Désactivée"));
        assert!(!exact.found_in("est désactivée"));
    }

    #[test]
    fn contains_ascii_ci_works() {
        assert!(contains_ascii_ci(
            "Final Handshake FAILED",
            "handshake failed"
        ));
        assert!(!contains_ascii_ci("abc", "abcd"));
        assert!(contains_ascii_ci("abc", ""));
    }

    #[test]
    fn keys_occur_whatever_the_case() {
        for (lit, text) in [
            ("de scripts est désactivée", "DE SCRIPTS EST DÉSACTIVÉE"),
            ("Ausführung von Skripts", "AUSFÜHRUNG VON SKRIPTS"),
            ("Не удается", "не удается"),
            ("Ошибка", "ОШИБКА"),
            ("無効になっている", "が無効になっているため"),
            ("ÉÀ", "éà"),
        ] {
            let l = Literal::new(lit, false);
            let keys = l.prefilter_keys();
            assert!(
                keys.iter().any(|k| contains_ascii_ci(text, k)),
                "{lit}: keys {keys:?} miss {text}"
            );
            assert!(l.found_in(text), "{lit} in {text}");
        }
        assert_eq!(
            Literal::new("de scripts est désactivée", false).prefilter_keys(),
            ["de scripts est d"]
        );
    }
}

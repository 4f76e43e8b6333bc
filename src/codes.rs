//! Protocol facts: what a code means, whatever cause it belongs to.
//!
//! This module owns the table of `rules/codes.toml` (embedded at build time): ms-diagnostics
//! codes and their ErrorId ranges, SIP response codes, the Windows HRESULTs / NTSTATUS values
//! and Kerberos error codes that appear around sign-in, each with its documented text and its
//! source. It answers "what does this code mean" — for `explain`, and for a diagnosis that
//! wants to name the meaning of a code no rule claims. Which cause a code supports is the
//! rules' business, not this table's.
//!
//! ```
//! use sfbtriage::codes::{self, CodeKind};
//! let m = codes::meaning(CodeKind::MsDiagnostics, 1013).unwrap();
//! assert_eq!(m.text, "Significant time skew detected during authentication.");
//! // A code without an entry of its own falls back to its ErrorId range.
//! assert!(codes::meaning(CodeKind::MsDiagnostics, 2001).unwrap().range.is_some());
//! // HRESULTs by hex, signed decimal or name.
//! assert_eq!(codes::lookup("-2146893802")[0].name.as_deref(), Some("NTE_BAD_KEYSET"));
//! ```

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// The table as written in `rules/codes.toml`.
pub const BUILTIN_CODES: &str = include_str!("../rules/codes.toml");

/// What kind of code a [`Meaning`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CodeKind {
    /// `ms-diagnostics` / `ms-diagnostics-public` / `ms-client-diagnostics` ErrorId.
    #[serde(rename = "ms-diagnostics")]
    MsDiagnostics,
    /// A SIP response status.
    #[serde(rename = "sip")]
    Sip,
    /// A Windows HRESULT or NTSTATUS (as its unsigned 32-bit value).
    #[serde(rename = "hresult")]
    Hresult,
    /// A Kerberos error code (RFC 4120).
    #[serde(rename = "kerberos")]
    Kerberos,
}

/// The documented meaning of one code, or of a range of ms-diagnostics codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meaning {
    pub kind: CodeKind,
    /// The code (the first of the range for a range entry).
    pub code: u32,
    /// For a range entry: first and last code it covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<(u32, u32)>,
    /// The symbolic name (`NTE_BAD_KEYSET`, `Unauthorized`, `KRB_AP_ERR_SKEW`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The documented reason or a short factual description.
    pub text: String,
    /// Where the fact comes from.
    pub source: String,
}

impl Meaning {
    /// `ms-diagnostics 1013`, `SIP 401 Unauthorized`, `0x80090016 NTE_BAD_KEYSET`,
    /// `Kerberos 0x25 KRB_AP_ERR_SKEW`, `ms-diagnostics 2000-2999`.
    pub fn label(&self) -> String {
        let name = self
            .name
            .as_deref()
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        match (self.kind, self.range) {
            (CodeKind::MsDiagnostics, Some((a, b))) => format!("ms-diagnostics {a}-{b}"),
            (CodeKind::MsDiagnostics, None) => format!("ms-diagnostics {}{name}", self.code),
            (CodeKind::Sip, _) => format!("SIP {}{name}", self.code),
            (CodeKind::Hresult, _) => format!("0x{:08X}{name}", self.code),
            (CodeKind::Kerberos, _) => format!("Kerberos 0x{:X}{name}", self.code),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    range: Vec<RangeSpec>,
    #[serde(default)]
    code: Vec<CodeSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeSpec {
    kind: CodeKind,
    from: u32,
    to: u32,
    text: String,
    source: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CodeValue {
    Number(u32),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeSpec {
    kind: CodeKind,
    code: CodeValue,
    name: Option<String>,
    text: String,
    source: String,
}

/// The whole table.
#[derive(Debug, Default)]
pub struct Codes {
    codes: Vec<Meaning>,
    ranges: Vec<Meaning>,
}

impl Codes {
    /// Read a table in the format of `rules/codes.toml`.
    pub fn parse(text: &str) -> Result<Codes, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut out = Codes::default();
        for r in file.range {
            if r.from > r.to {
                return Err(format!("range {}-{} is reversed", r.from, r.to));
            }
            out.ranges.push(Meaning {
                kind: r.kind,
                code: r.from,
                range: Some((r.from, r.to)),
                name: None,
                text: r.text,
                source: r.source,
            });
        }
        for c in file.code {
            let code = match &c.code {
                CodeValue::Number(n) => *n,
                CodeValue::Text(t) => parse_number(t)
                    .ok_or_else(|| format!("code `{t}` is not a number (write hex as 0x…)"))?,
            };
            if out
                .codes
                .iter()
                .any(|m: &Meaning| m.kind == c.kind && m.code == code)
            {
                return Err(format!("code {code} of kind {:?} is listed twice", c.kind));
            }
            out.codes.push(Meaning {
                kind: c.kind,
                code,
                range: None,
                name: c.name,
                text: c.text,
                source: c.source,
            });
        }
        Ok(out)
    }

    /// The entry for this code; for an ms-diagnostics code without one, its ErrorId range.
    pub fn meaning(&self, kind: CodeKind, code: u32) -> Option<&Meaning> {
        self.codes
            .iter()
            .find(|m| m.kind == kind && m.code == code)
            .or_else(|| {
                self.ranges.iter().find(|m| {
                    m.kind == kind && m.range.is_some_and(|(a, b)| (a..=b).contains(&code))
                })
            })
    }

    /// Every entry whose symbolic name is this one (ASCII case-insensitive).
    pub fn by_name(&self, name: &str) -> Vec<&Meaning> {
        self.codes
            .iter()
            .filter(|m| {
                m.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .collect()
    }

    /// Every code entry (not the ranges), in table order.
    pub fn iter(&self) -> impl Iterator<Item = &Meaning> {
        self.codes.iter()
    }
}

/// `0x80090016` (hex), `-2146893802` (signed decimal, as .NET prints an HResult) or
/// `2148073494` as a 32-bit value.
fn parse_number(t: &str) -> Option<u32> {
    let t = t.trim();
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u32::from_str_radix(h, 16).ok();
    }
    if let Some(n) = t.strip_prefix('-') {
        let v: i64 = n.parse().ok()?;
        return i32::try_from(-v).ok().map(|v| v as u32);
    }
    t.parse().ok()
}

static TABLE: LazyLock<Codes> =
    LazyLock::new(|| Codes::parse(BUILTIN_CODES).expect("rules/codes.toml is valid (tested)"));

/// The built-in table (`rules/codes.toml`).
pub fn table() -> &'static Codes {
    &TABLE
}

/// The documented meaning of a code in the built-in table; an ms-diagnostics code without an
/// entry of its own gets its ErrorId range. `None` when the table knows nothing of it.
pub fn meaning(kind: CodeKind, code: u32) -> Option<&'static Meaning> {
    TABLE.meaning(kind, code)
}

/// What a pasted code could be, most specific first: `0x…` an HRESULT / NTSTATUS (or a
/// Kerberos code when short), a negative number a signed HRESULT, a symbolic name
/// (`NTE_BAD_KEYSET`, `SEC_E_TIME_SKEW`, `KRB_AP_ERR_SKEW`), a plain number an ms-diagnostics
/// code and a SIP status. Empty when the table knows none of them.
pub fn lookup(text: &str) -> Vec<&'static Meaning> {
    let t = text.trim().trim_matches(|c: char| c == '(' || c == ')');
    let mut out = Vec::new();
    if t.is_empty() {
        return out;
    }
    if let Some(n) = parse_number(t) {
        if t.starts_with("0x") || t.starts_with("0X") {
            out.extend(meaning(CodeKind::Hresult, n));
            if n < 0x100 {
                out.extend(meaning(CodeKind::Kerberos, n));
            }
        } else if t.starts_with('-') {
            out.extend(meaning(CodeKind::Hresult, n));
        } else {
            out.extend(meaning(CodeKind::MsDiagnostics, n));
            if (100..700).contains(&n) {
                out.extend(meaning(CodeKind::Sip, n));
            }
            if n > 0x7FFF_FFFF {
                out.extend(meaning(CodeKind::Hresult, n));
            }
        }
        return out;
    }
    if t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && t.contains('_') {
        out.extend(TABLE.by_name(t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_every_entry_names_its_source() {
        let t = Codes::parse(BUILTIN_CODES).unwrap();
        assert!(t.codes.len() > 60, "{}", t.codes.len());
        for m in t.codes.iter().chain(&t.ranges) {
            assert!(!m.text.is_empty() && !m.source.is_empty(), "{m:?}");
        }
    }

    #[test]
    fn codes_ranges_spellings() {
        let m = meaning(CodeKind::MsDiagnostics, 4005).unwrap();
        assert!(m.text.contains("not enabled for SIP"));
        assert_eq!(m.label(), "ms-diagnostics 4005");
        let r = meaning(CodeKind::MsDiagnostics, 13005).unwrap();
        assert_eq!(r.range, Some((13000, 13999)));
        assert_eq!(r.label(), "ms-diagnostics 13000-13999");
        assert!(meaning(CodeKind::MsDiagnostics, 99_999).is_none());
        assert_eq!(
            meaning(CodeKind::Sip, 401).unwrap().label(),
            "SIP 401 Unauthorized"
        );
        for q in [
            "0x80090016",
            "0X80090016",
            "-2146893802",
            "NTE_BAD_KEYSET",
            "nte_bad_keyset",
        ] {
            let found = lookup(q);
            assert_eq!(found.len(), 1, "{q}");
            assert_eq!(found[0].label(), "0x80090016 NTE_BAD_KEYSET", "{q}");
        }
        assert_eq!(lookup("SEC_E_TIME_SKEW")[0].code, 0x8009_0324);
        assert_eq!(
            lookup("KRB_AP_ERR_SKEW")[0].label(),
            "Kerberos 0x25 KRB_AP_ERR_SKEW"
        );
        let both: Vec<String> = lookup("404").iter().map(|m| m.label()).collect();
        assert_eq!(both, ["ms-diagnostics 0-999", "SIP 404 Not Found"]);
        assert!(lookup("hello").is_empty());
        assert!(lookup("0xZZ").is_empty());
    }

    #[test]
    fn bad_tables_are_refused() {
        assert!(
            Codes::parse("[[code]]\nkind = \"sip\"\ncode = \"x\"\ntext = \"t\"\nsource = \"s\"\n")
                .is_err()
        );
        assert!(
            Codes::parse("[[range]]\nkind = \"ms-diagnostics\"\nfrom = 5\nto = 1\ntext = \"t\"\nsource = \"s\"\n")
                .is_err()
        );
        let dup = "[[code]]\nkind = \"sip\"\ncode = 1\ntext = \"t\"\nsource = \"s\"\n";
        assert!(Codes::parse(&format!("{dup}{dup}")).is_err());
    }
}

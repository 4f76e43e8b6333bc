//! Fact rules: conditions on the value and the fields of a fact the engine measured.
//!
//! This layer owns the small condition language of `[rule.fact]`: bounds on the value
//! (`min`, `max`, `above`, `below`), field conditions that must all hold (`where`), a table
//! that must not hold (`not`), tables of which one must hold (`any`), and
//! `requires_domain`. A text condition is a pattern compared without regard to case, where
//! `*` stands for any run of characters, `{domain}` for the user's SIP domain and
//! `{domain-or-parent}` for that domain or any parent of it (when the bundle does not name the
//! user, both stand for any dotted name). A list field matches when any of its items does; a
//! list of patterns or numbers matches when any of them does. Conditions are checked against
//! the field kinds [`crate::events::FACTS`] documents when the rules load, so a typo in a field
//! name stops the run instead of silently never matching.

use crate::events::{FactDoc, fact_doc};
pub use crate::model::FactContext;
use crate::model::{Fact, FieldValue};

/// A compiled `[rule.fact]`.
#[derive(Debug, Clone)]
pub struct FactMatcher {
    pub name: String,
    bounds: Bounds,
    all: Vec<FieldCondition>,
    not: Option<Vec<FieldCondition>>,
    any: Vec<Vec<FieldCondition>>,
    requires_domain: bool,
    /// The rule matches when at least this many facts meet the conditions.
    pub at_least: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Bounds {
    min: Option<f64>,
    max: Option<f64>,
    above: Option<f64>,
    below: Option<f64>,
}

impl Bounds {
    fn holds(&self, v: f64) -> bool {
        self.min.is_none_or(|m| v >= m)
            && self.max.is_none_or(|m| v <= m)
            && self.above.is_none_or(|m| v > m)
            && self.below.is_none_or(|m| v < m)
    }

    fn is_empty(&self) -> bool {
        *self == Bounds::default()
    }
}

#[derive(Debug, Clone)]
struct FieldCondition {
    field: String,
    test: Test,
}

#[derive(Debug, Clone)]
enum Test {
    Patterns(Vec<Pattern>),
    Numbers(Vec<f64>),
    Range(Bounds),
    Bool(bool),
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    Star,
    Domain,
    DomainOrParent,
}

#[derive(Debug, Clone, PartialEq)]
struct Pattern(Vec<Segment>);

impl Pattern {
    fn parse(text: &str) -> Pattern {
        let lower = text.to_lowercase();
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut rest = lower.as_str();
        while let Some(c) = rest.chars().next() {
            let (segment, len) = if c == '*' {
                (Some(Segment::Star), 1)
            } else if rest.starts_with("{domain}") {
                (Some(Segment::Domain), "{domain}".len())
            } else if rest.starts_with("{domain-or-parent}") {
                (Some(Segment::DomainOrParent), "{domain-or-parent}".len())
            } else {
                literal.push(c);
                (None, c.len_utf8())
            };
            if let Some(s) = segment {
                if !literal.is_empty() {
                    segments.push(Segment::Literal(std::mem::take(&mut literal)));
                }
                segments.push(s);
            }
            rest = &rest[len..];
        }
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal));
        }
        Pattern(segments)
    }

    fn matches(&self, text: &str, ctx: &FactContext) -> bool {
        let lower = text.to_lowercase();
        match_segments(&self.0, &lower, ctx)
    }
}

/// A dotted name: labels separated by dots, at least two.
fn is_dotted(s: &str) -> bool {
    s.contains('.') && !s.starts_with('.') && !s.ends_with('.') && !s.contains("..")
}

fn match_segments(segments: &[Segment], text: &str, ctx: &FactContext) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return text.is_empty();
    };
    let boundaries = || (0..=text.len()).filter(|&i| text.is_char_boundary(i));
    match first {
        Segment::Literal(l) => text
            .strip_prefix(l.as_str())
            .is_some_and(|t| match_segments(rest, t, ctx)),
        Segment::Star => boundaries().any(|i| match_segments(rest, &text[i..], ctx)),
        Segment::Domain | Segment::DomainOrParent => match &ctx.domain {
            Some(d) => {
                let mut candidates = vec![d.as_str()];
                if *first == Segment::DomainOrParent {
                    let mut p = d.as_str();
                    while let Some((_, parent)) = p.split_once('.') {
                        if parent.contains('.') {
                            candidates.push(parent);
                        }
                        p = parent;
                    }
                }
                candidates.iter().any(|c| {
                    text.strip_prefix(c)
                        .is_some_and(|t| match_segments(rest, t, ctx))
                })
            }
            None => boundaries()
                .skip(1)
                .any(|i| is_dotted(&text[..i]) && match_segments(rest, &text[i..], ctx)),
        },
    }
}

impl FieldCondition {
    fn holds(&self, fact: &Fact, ctx: &FactContext) -> bool {
        let Some(value) = fact.field(&self.field) else {
            return false;
        };
        match (&self.test, value.as_ref()) {
            (Test::Patterns(ps), FieldValue::Text(t)) => ps.iter().any(|p| p.matches(t, ctx)),
            (Test::Patterns(ps), FieldValue::List(items)) => {
                items.iter().any(|t| ps.iter().any(|p| p.matches(t, ctx)))
            }
            (Test::Numbers(ns), FieldValue::Number(v)) => ns.contains(v),
            (Test::Range(b), FieldValue::Number(v)) => b.holds(*v),
            (Test::Bool(b), FieldValue::Bool(v)) => b == v,
            _ => false,
        }
    }
}

fn all_hold(conditions: &[FieldCondition], fact: &Fact, ctx: &FactContext) -> bool {
    conditions.iter().all(|c| c.holds(fact, ctx))
}

impl FactMatcher {
    /// Full check of the fact against every condition.
    pub fn matches(&self, fact: &Fact, ctx: &FactContext) -> bool {
        fact.name == self.name
            && (!self.requires_domain || ctx.domain.is_some())
            && self.bounds.holds(fact.value)
            && all_hold(&self.all, fact, ctx)
            && (self.any.is_empty() || self.any.iter().any(|t| all_hold(t, fact, ctx)))
            && self.not.as_ref().is_none_or(|t| !all_hold(t, fact, ctx))
    }

    /// Compile a `[rule.fact]`; errors say what is wrong in the rule's own terms.
    pub fn compile(spec: super::spec::FactSpec) -> Result<FactMatcher, String> {
        let Some(doc) = fact_doc(&spec.name) else {
            let known: Vec<&str> = crate::events::FACTS.iter().map(|f| f.name).collect();
            return Err(format!(
                "unknown fact `{}`; known: {} (see `sfbtriage rules facts`)",
                spec.name,
                known.join(", ")
            ));
        };
        let bounds = Bounds {
            min: spec.min,
            max: spec.max,
            above: spec.above,
            below: spec.below,
        };
        let table = |t: &toml::Table, key: &str| -> Result<Vec<FieldCondition>, String> {
            t.iter()
                .map(|(field, v)| condition(doc, field, v).map_err(|e| format!("`{key}`: {e}")))
                .collect()
        };
        let all = table(&spec.where_, "where")?;
        let not = spec.not.as_ref().map(|t| table(t, "not")).transpose()?;
        if not.as_ref().is_some_and(Vec::is_empty) {
            return Err("`not` is an empty table".into());
        }
        let any = spec
            .any
            .iter()
            .map(|t| table(t, "any"))
            .collect::<Result<Vec<_>, _>>()?;
        if any.iter().any(Vec::is_empty) {
            return Err("`any` holds an empty table".into());
        }
        if [bounds.min, bounds.max, bounds.above, bounds.below]
            .iter()
            .flatten()
            .any(|v| v.is_nan())
        {
            return Err("a bound is not a number".into());
        }
        if spec.at_least == Some(0) {
            return Err("`at_least` must be 1 or more".into());
        }
        Ok(FactMatcher {
            name: spec.name,
            bounds,
            all,
            not,
            any,
            requires_domain: spec.requires_domain,
            at_least: spec.at_least.unwrap_or(1),
        })
    }
}

fn condition(doc: &FactDoc, field: &str, v: &toml::Value) -> Result<FieldCondition, String> {
    let kind = if field == "value" {
        "number"
    } else {
        match doc.field(field) {
            Some(f) => f.kind,
            None => {
                let known: Vec<&str> = doc.fields.iter().map(|f| f.name).collect();
                return Err(format!(
                    "fact `{}` has no field `{field}`; its fields: value, {}",
                    doc.name,
                    known.join(", ")
                ));
            }
        }
    };
    let wrong = |want: &str| {
        Err(format!(
            "field `{field}` is a {kind}: write {want}, not `{v}`"
        ))
    };
    let test = match (kind, v) {
        ("text" | "list", toml::Value::String(s)) => Test::Patterns(vec![Pattern::parse(s)]),
        ("text" | "list", toml::Value::Array(items)) => {
            let mut ps = Vec::new();
            for i in items {
                match i {
                    toml::Value::String(s) => ps.push(Pattern::parse(s)),
                    _ => return wrong("a text or a list of texts"),
                }
            }
            if ps.is_empty() {
                return wrong("at least one text");
            }
            Test::Patterns(ps)
        }
        ("text" | "list", _) => return wrong("a text or a list of texts"),
        ("number", toml::Value::Integer(n)) => Test::Numbers(vec![*n as f64]),
        ("number", toml::Value::Float(n)) => Test::Numbers(vec![*n]),
        ("number", toml::Value::Array(items)) => {
            let mut ns = Vec::new();
            for i in items {
                match i {
                    toml::Value::Integer(n) => ns.push(*n as f64),
                    toml::Value::Float(n) => ns.push(*n),
                    _ => return wrong("a number, a list of numbers or { min, max, above, below }"),
                }
            }
            if ns.is_empty() {
                return wrong("at least one number");
            }
            Test::Numbers(ns)
        }
        ("number", toml::Value::Table(t)) => {
            let mut b = Bounds::default();
            for (k, v) in t {
                let n = match v {
                    toml::Value::Integer(n) => *n as f64,
                    toml::Value::Float(n) => *n,
                    _ => return wrong("numbers in { min, max, above, below }"),
                };
                match k.as_str() {
                    "min" => b.min = Some(n),
                    "max" => b.max = Some(n),
                    "above" => b.above = Some(n),
                    "below" => b.below = Some(n),
                    _ => return wrong("only min, max, above and below in the table"),
                }
            }
            if b.is_empty() {
                return wrong("at least one of min, max, above, below");
            }
            Test::Range(b)
        }
        ("number", _) => return wrong("a number, a list of numbers or { min, max, above, below }"),
        ("bool", toml::Value::Boolean(b)) => Test::Bool(*b),
        ("bool", _) => return wrong("true or false"),
        _ => return wrong("a value of that kind"),
    };
    Ok(FieldCondition {
        field: field.to_string(),
        test,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Evidence;

    fn ctx(d: Option<&str>) -> FactContext {
        FactContext {
            domain: d.map(str::to_string),
        }
    }

    #[test]
    fn patterns_know_the_domain_and_its_parents() {
        let p = Pattern::parse("SIP.{domain}");
        assert!(p.matches("sip.contoso.com", &ctx(Some("contoso.com"))));
        assert!(!p.matches("sip.fabrikam.com", &ctx(Some("contoso.com"))));
        assert!(!p.matches("sipinternal.contoso.com", &ctx(Some("contoso.com"))));
        // Unknown domain: any dotted name.
        assert!(p.matches("sip.fabrikam.com", &ctx(None)));
        assert!(!p.matches("sip.", &ctx(None)));
        assert!(!p.matches("sip.localhost", &ctx(None)));
        let parent = Pattern::parse("{domain-or-parent}");
        let c = ctx(Some("eu.contoso.com"));
        assert!(parent.matches("eu.contoso.com", &c));
        assert!(parent.matches("contoso.com", &c));
        assert!(!parent.matches("com", &c));
        assert!(!parent.matches("fabrikam.com", &c));
        let star = Pattern::parse("*.online.lync.com");
        assert!(star.matches("sipfed01.Online.Lync.com", &c));
        assert!(!star.matches("online.lync.com.evil.example", &c));
    }

    fn fact() -> Fact {
        Fact::new("dns-name", 2.0, Evidence::new(0, "m", 1, None, "t"))
            .with("name", "sip.contoso.com")
            .with("status", "found")
            .with("chain", vec!["sipdir.online.lync.com".to_string()])
    }

    fn spec(toml_text: &str) -> super::super::spec::FactSpec {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn where_not_any_and_bounds() {
        let c = ctx(Some("contoso.com"));
        let m = |t: &str| FactMatcher::compile(spec(t)).unwrap().matches(&fact(), &c);
        assert!(m(
            "name = \"dns-name\"\nwhere = { name = \"sip.{domain}\", status = \"found\" }"
        ));
        assert!(!m("name = \"dns-name\"\nwhere = { status = \"missing\" }"));
        assert!(m(
            "name = \"dns-name\"\nwhere = { chain = [\"x\", \"sipdir.online.lync.com\"] }"
        ));
        assert!(!m(
            "name = \"dns-name\"\nnot = { chain = \"sipdir.online.lync.com\" }"
        ));
        assert!(m(
            "name = \"dns-name\"\nany = [{ status = \"missing\" }, { value = 2 }]"
        ));
        assert!(!m(
            "name = \"dns-name\"\nany = [{ status = \"missing\" }, { value = 3 }]"
        ));
        assert!(m("name = \"dns-name\"\nmin = 2\nbelow = 3"));
        assert!(!m("name = \"dns-name\"\nabove = 2"));
        assert!(m(
            "name = \"dns-name\"\nwhere = { value = { min = 1, max = 2 } }"
        ));
        // A field the fact lacks never matches.
        assert!(!m("name = \"dns-name\"\nwhere = { target = \"*\" }"));
        // requires_domain.
        let r = FactMatcher::compile(spec("name = \"dns-name\"\nrequires_domain = true")).unwrap();
        assert!(r.matches(&fact(), &c));
        assert!(!r.matches(&fact(), &ctx(None)));
    }

    #[test]
    fn bad_conditions_are_named() {
        for (t, want) in [
            ("name = \"nope\"", "unknown fact `nope`"),
            (
                "name = \"dns-name\"\nwhere = { nmae = \"x\" }",
                "has no field `nmae`",
            ),
            (
                "name = \"dns-name\"\nwhere = { name = 3 }",
                "field `name` is a text",
            ),
            (
                "name = \"dns-name\"\nwhere = { value = \"x\" }",
                "field `value` is a number",
            ),
            (
                "name = \"dns-name\"\nwhere = { value = { least = 1 } }",
                "only min, max",
            ),
            ("name = \"dns-name\"\nnot = {}", "empty table"),
            (
                "name = \"current-problem\"\nwhere = { signed_in_earlier = \"yes\" }",
                "true or false",
            ),
        ] {
            let e = FactMatcher::compile(spec(t)).unwrap_err();
            assert!(e.contains(want), "{e} should contain {want}");
        }
    }
}

//! Scoring: rule hits and the catalogue in, ranked causes out.
//!
//! This module owns the arithmetic of the diagnosis and nothing else: it knows no bundle, no
//! attempt and no report. Each cause collects the rules that supported or opposed it; a
//! cause's confidence is `1 − Π(1 − w)` over its distinct supporting rules, multiplied by
//! `Π(1 − w)` over its opposing rules, so several independent signals add up and one strong
//! counter-signal pulls it down. A corroborating rule adds its weight but never reports a
//! cause alone. Causes are ranked by confidence, then by their earliest evidence, then by id;
//! look-alike causes that end with the same confidence on the same evidence are tied
//! (`tied_with`, [`LookAlikeGroup`]) with what to check to separate them. The caller decides
//! which hits to score (the current problem's, or one earlier episode's).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{Catalog, CauseId};
use crate::clock::{ClockEstimate, evidence_time};
use crate::model::{Evidence, RuleHits};
use crate::rules::{Effect, RuleSet};

/// Evidence lines shown per cause.
pub const EVIDENCE_SHOWN: usize = 10;

/// Evidence as reported: where, when, what, and which rule saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceLine {
    pub rule: String,
    pub effect: Effect,
    pub member: String,
    pub line: u32,
    /// ISO 8601 local time; with the zone offset when it was estimated.
    pub time: Option<String>,
    pub text: String,
}

/// One rule that moved a cause, in one line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub rule: String,
    pub effect: Effect,
    pub weight: f64,
    pub summary: String,
    /// How many times it matched in the bundle.
    pub count: u64,
    /// Its first match.
    pub first: EvidenceLine,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookAlike {
    pub id: CauseId,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleLink {
    pub section: String,
    pub url: String,
}

/// A cause found in the bundle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseFinding {
    pub rank: usize,
    pub id: CauseId,
    pub title: String,
    /// 0–1, two decimals.
    pub confidence: f64,
    /// `high` (≥ 0.75), `medium` (≥ 0.5) or `low`.
    pub confidence_label: &'static str,
    pub group: String,
    pub symptom: String,
    pub resolution: String,
    pub article: ArticleLink,
    pub reasons: Vec<Reason>,
    /// Supporting evidence, in bundle order, at most [`EVIDENCE_SHOWN`].
    pub evidence: Vec<EvidenceLine>,
    /// All supporting matches, shown or not.
    pub evidence_count: u64,
    pub look_alikes: Vec<LookAlike>,
    pub distinguish: String,
    /// Reported look-alikes with the same confidence and the same evidence as this cause: the
    /// logs cannot tell them apart, so `look_alike_groups` says what to check.
    pub tied_with: Vec<CauseId>,
}

/// Reported causes that are look-alikes of each other and rest on the same evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookAlikeGroup {
    /// The causes, in rank order.
    pub causes: Vec<CauseId>,
    pub confidence: f64,
    /// What to check to tell them apart (each cause's `distinguish`, deduplicated).
    pub check: Vec<String>,
}

pub fn line_of(
    e: &Evidence,
    rule: &str,
    effect: Effect,
    clock: Option<&ClockEstimate>,
) -> EvidenceLine {
    EvidenceLine {
        rule: rule.to_string(),
        effect,
        member: e.member.clone(),
        line: e.line,
        time: evidence_time(e, clock),
        text: e.text.clone(),
    }
}

/// A cause being ranked: confidence, earliest evidence (member, line), the finding, and the
/// rules that matched for it (sorted).
type Ranked = (f64, (usize, u32), CauseFinding, Vec<usize>);

struct Tally<'a> {
    rules: Vec<(usize, &'a RuleHits)>,
}

/// Causes ranked from one set of rule hits (one [`RuleHits`] per rule, merged over members).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scored {
    pub causes: Vec<CauseFinding>,
    pub look_alike_groups: Vec<LookAlikeGroup>,
    /// Every supporting evidence of the reported causes, in bundle order.
    pub evidence: Vec<Evidence>,
}

/// Rank the causes these hits support, dropping those under `min_confidence`.
pub fn rank(
    per_rule: &BTreeMap<usize, RuleHits>,
    rules: &RuleSet,
    catalog: &Catalog,
    min_confidence: f64,
    clock: Option<&ClockEstimate>,
) -> Scored {
    let mut per_cause: BTreeMap<CauseId, Tally> = BTreeMap::new();
    for (&i, h) in per_rule {
        for cause in &rules.get(i).causes {
            per_cause
                .entry(cause.clone())
                .or_insert_with(|| Tally { rules: Vec::new() })
                .rules
                .push((i, h));
        }
    }

    let mut causes: Vec<Ranked> = Vec::new();
    let mut reported_evidence: Vec<Evidence> = Vec::new();
    for (id, tally) in &per_cause {
        let Some(cause) = catalog.get(id) else {
            continue;
        };
        let mut support = 1.0;
        let mut oppose = 1.0;
        let mut any_support = false;
        let mut reasons = Vec::new();
        let mut evidence: Vec<(Evidence, usize)> = Vec::new();
        let mut evidence_count = 0;
        for &(i, h) in &tally.rules {
            let rule = rules.get(i);
            match rule.effect {
                Effect::Supports => {
                    any_support |= !rule.corroborating;
                    support *= 1.0 - rule.weight;
                    evidence_count += h.count;
                    evidence.extend(h.evidence.iter().cloned().map(|e| (e, i)));
                }
                Effect::Opposes => oppose *= 1.0 - rule.weight,
            }
            let first = h.evidence.iter().min().expect("a hit has evidence");
            reasons.push(Reason {
                rule: rule.id.clone(),
                effect: rule.effect,
                weight: rule.weight,
                summary: rule.summary.clone(),
                count: h.count,
                first: line_of(first, &rule.id, rule.effect, clock),
            });
        }
        if !any_support {
            continue;
        }
        let confidence = ((1.0 - support) * oppose * 100.0).round() / 100.0;
        if confidence < min_confidence {
            continue;
        }
        // Strongest reasons first; supports before opposes at equal weight.
        reasons.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then((a.effect as u8).cmp(&(b.effect as u8)))
                .then(a.rule.cmp(&b.rule))
        });
        evidence.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        evidence.dedup_by(|a, b| {
            a.0.member_index == b.0.member_index && a.0.line == b.0.line && a.0.text == b.0.text
        });
        reported_evidence.extend(evidence.iter().map(|(e, _)| e.clone()));
        let matched: Vec<usize> = tally.rules.iter().map(|&(i, _)| i).collect();
        let earliest = evidence
            .first()
            .map(|(e, _)| (e.member_index, e.line))
            .unwrap_or((usize::MAX, 0));
        let evidence = evidence
            .iter()
            .take(EVIDENCE_SHOWN)
            .map(|(e, i)| line_of(e, &rules.get(*i).id, Effect::Supports, clock))
            .collect();
        let look_alikes = cause
            .look_alikes
            .iter()
            .filter_map(|l| catalog.get(l))
            .map(|c| LookAlike {
                id: c.id.clone(),
                title: c.title.clone(),
            })
            .collect();
        causes.push((
            confidence,
            earliest,
            CauseFinding {
                rank: 0,
                id: cause.id.clone(),
                title: cause.title.clone(),
                confidence,
                confidence_label: label(confidence),
                group: cause.group.clone(),
                symptom: cause.symptom.clone(),
                resolution: cause.resolution.clone(),
                article: ArticleLink {
                    section: cause.section.clone(),
                    url: cause.url.clone(),
                },
                reasons,
                evidence,
                evidence_count,
                look_alikes,
                distinguish: cause.distinguish.clone(),
                tied_with: Vec::new(),
            },
            matched,
        ));
    }
    causes.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.id.cmp(&b.2.id))
    });
    let look_alike_groups = tie_declared(&mut causes, catalog);
    let causes: Vec<CauseFinding> = causes
        .into_iter()
        .enumerate()
        .map(|(i, (_, _, mut c, _))| {
            c.rank = i + 1;
            c
        })
        .collect();
    Scored {
        causes,
        look_alike_groups,
        evidence: reported_evidence,
    }
}

/// Group ranked causes for which exactly the same rules matched — which happens only through
/// rules that name several causes, a tie the rule files declare; fills each member's
/// `tied_with`. Groups come in rank order.
fn tie_declared(causes: &mut [Ranked], catalog: &Catalog) -> Vec<LookAlikeGroup> {
    let mut group_of: Vec<Option<usize>> = vec![None; causes.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..causes.len() {
        for j in i + 1..causes.len() {
            let (a, b) = (&causes[i], &causes[j]);
            // Tied when the same rules, and only they, matched for both: a rule that names
            // both causes declares that the logs cannot tell them apart on its signal.
            if a.3 != b.3 || a.3.is_empty() {
                continue;
            }
            match (group_of[i], group_of[j]) {
                (Some(g), None) => {
                    groups[g].push(j);
                    group_of[j] = Some(g);
                }
                (None, None) => {
                    group_of[i] = Some(groups.len());
                    group_of[j] = Some(groups.len());
                    groups.push(vec![i, j]);
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for members in groups {
        let ids: Vec<CauseId> = members.iter().map(|&i| causes[i].2.id.clone()).collect();
        let mut check: Vec<String> = Vec::new();
        for id in &ids {
            if let Some(c) = catalog.get(id)
                && !c.distinguish.is_empty()
                && !check.contains(&c.distinguish)
            {
                check.push(c.distinguish.clone());
            }
        }
        for &i in &members {
            causes[i].2.tied_with = ids
                .iter()
                .filter(|id| **id != causes[i].2.id)
                .cloned()
                .collect();
        }
        out.push(LookAlikeGroup {
            causes: ids,
            confidence: causes[members[0]].0,
            check,
        });
    }
    out
}

fn label(confidence: f64) -> &'static str {
    if confidence >= 0.75 {
        "high"
    } else if confidence >= 0.5 {
        "medium"
    } else {
        "low"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load() -> (RuleSet, Catalog) {
        RuleSet::load(&[]).expect("built-in rules")
    }

    fn index(rules: &RuleSet, id: &str) -> usize {
        rules
            .rules()
            .iter()
            .position(|r| r.id == id)
            .unwrap_or_else(|| panic!("no rule {id}"))
    }

    /// One rule's hits at `lines` of member 0.
    fn hits(rule: usize, lines: &[u32]) -> (usize, RuleHits) {
        (
            rule,
            RuleHits {
                rule,
                count: lines.len() as u64,
                evidence: lines
                    .iter()
                    .map(|&l| Evidence::new(0, "Tracing/Lync-UccApi-0.UccApilog", l, None, "x"))
                    .collect(),
            },
        )
    }

    fn ranked(
        rules: &RuleSet,
        catalog: &Catalog,
        h: Vec<(usize, RuleHits)>,
        min: f64,
    ) -> Vec<(String, f64)> {
        let per_rule: BTreeMap<usize, RuleHits> = h.into_iter().collect();
        rank(&per_rule, rules, catalog, min, None)
            .causes
            .iter()
            .map(|c| (c.id.0.clone(), c.confidence))
            .collect()
    }

    #[test]
    fn supports_add_up_and_rank_by_confidence() {
        let (rules, catalog) = load();
        let skew = index(&rules, "clock-skew.diag-1013");
        let creds = index(&rules, "wrong-credentials.diag-1000");
        let logon = index(&rules, "wrong-credentials.hr-logon-denied");
        let out = ranked(
            &rules,
            &catalog,
            vec![hits(creds, &[10]), hits(logon, &[12]), hits(skew, &[30])],
            0.3,
        );
        let w = |id: &str| rules.get(index(&rules, id)).weight;
        let creds_conf = ((1.0
            - (1.0 - w("wrong-credentials.diag-1000"))
                * (1.0 - w("wrong-credentials.hr-logon-denied")))
            * 100.0)
            .round()
            / 100.0;
        assert_eq!(out[0].0, "clock-skew", "{out:?}");
        assert_eq!(out[1], ("wrong-credentials".to_string(), creds_conf));
    }

    #[test]
    fn an_opposing_rule_pulls_a_cause_down_and_the_threshold_drops_it() {
        let (rules, catalog) = load();
        let creds = index(&rules, "wrong-credentials.diag-1000");
        let blamed_clock = index(&rules, "wrong-credentials.server-blamed-clock");
        let alone = ranked(&rules, &catalog, vec![hits(creds, &[10])], 0.3);
        let opposed = ranked(
            &rules,
            &catalog,
            vec![hits(creds, &[10]), hits(blamed_clock, &[11])],
            0.0,
        );
        assert!(opposed[0].1 < alone[0].1, "{alone:?} {opposed:?}");
        // The same evidence under a threshold above its confidence reports nothing.
        assert!(
            ranked(
                &rules,
                &catalog,
                vec![hits(creds, &[10])],
                alone[0].1 + 0.01
            )
            .is_empty()
        );
    }

    #[test]
    fn a_corroborating_rule_never_reports_its_cause_alone() {
        let (rules, catalog) = load();
        let Some(corroborating) = rules.rules().iter().position(|r| r.corroborating) else {
            panic!("the built-in rules have a corroborating rule");
        };
        assert!(ranked(&rules, &catalog, vec![hits(corroborating, &[5])], 0.0).is_empty());
    }

    #[test]
    fn a_rule_naming_two_causes_ties_them_and_other_evidence_breaks_the_tie() {
        let (rules, catalog) = load();
        let shared = index(&rules, "trustmodeldata-missing.lacks-domain");
        assert_eq!(rules.get(shared).causes.len(), 2);
        let per_rule: BTreeMap<usize, RuleHits> = [hits(shared, &[7])].into_iter().collect();
        let scored = rank(&per_rule, &rules, &catalog, 0.3, None);
        assert_eq!(scored.look_alike_groups.len(), 1, "{:?}", scored.causes);
        let group = &scored.look_alike_groups[0].causes;
        assert!(group.iter().any(|c| c.0 == "trustmodeldata-missing"));
        assert!(group.iter().any(|c| c.0 == "untrusted-server-prompt"));
        assert_eq!(scored.causes[0].tied_with.len(), 1);
        // Equal confidence: the earlier evidence, then the id, decides the order (stable).
        let again = rank(&per_rule, &rules, &catalog, 0.3, None);
        assert_eq!(scored, again);
        // The prompt's own text seen too: the causes are told apart, no tie.
        let prompt = index(&rules, "untrusted-server-prompt.prompt-text");
        let per_rule: BTreeMap<usize, RuleHits> = [hits(shared, &[7]), hits(prompt, &[9])]
            .into_iter()
            .collect();
        let scored = rank(&per_rule, &rules, &catalog, 0.3, None);
        assert!(scored.look_alike_groups.is_empty());
        assert_eq!(scored.causes[0].id.0, "untrusted-server-prompt");
        // Two rules of equal weight on the same place no longer tie by coincidence.
        let skew = index(&rules, "clock-skew.diag-1013");
        let creds = index(&rules, "wrong-credentials.diag-1000");
        assert_eq!(rules.get(skew).causes.len(), 1);
        let per_rule: BTreeMap<usize, RuleHits> =
            [hits(skew, &[7]), hits(creds, &[7])].into_iter().collect();
        assert!(
            rank(&per_rule, &rules, &catalog, 0.0, None)
                .look_alike_groups
                .is_empty()
        );
    }
}

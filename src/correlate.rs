//! Facts that no single line shows: registration outcomes and the client's clock error.
//!
//! This module owns two small state machines. [`MemberTracker`] follows one member's SIP
//! traffic and keeps, per REGISTER Call-ID, how many 401 challenges it got and whether it
//! ended in 2xx, plus one [`ClockSample`] per received response with a `Date:` header (local
//! log time against server GMT). [`derive_facts`] then works across the whole bundle: it
//! estimates the client's time-zone offset as the real-world UTC offset nearest to the median
//! difference, measures the remaining skew, and turns every REGISTER transaction, the sign-in
//! addresses and the offset into generic [`Fact`]s; [`derive_clue_facts`] does the same for
//! what command output and registry exports showed. No threshold or expected value lives
//! here: which facts mean which cause is said by the `[rule.fact]` rules.

use std::collections::HashMap;

use crate::events::{Clue, ClueAt, Evidence, Fact, describe_sip};
use crate::parse::sip::{Direction, MsDiagnostic, SipMessage};
use crate::parse::uccapi::UccApiRecord;

pub use crate::clock::{ClockEstimate, estimate_clock, format_duration, format_offset};
pub use crate::model::{ClockSample, Identity, LADDERS_KEPT, LadderStep, MAX_STEPS, Registration};

/// Follows the SIP traffic of one member.
#[derive(Debug, Default)]
pub struct MemberTracker {
    pub registrations: Vec<Registration>,
    index: HashMap<String, usize>,
    pub clock: Vec<ClockSample>,
    pub identity: Identity,
}

/// Recent REGISTER transactions kept in full per member; older ones are folded away unless
/// they failed (see [`MemberTracker::fold_old_registrations`]), so a log with a million
/// transactions keeps bounded state.
pub const REGISTRATIONS_KEPT: usize = 2048;
/// Failed transactions kept per member (each becomes a fact; more add nothing new).
pub const FAILED_KEPT: usize = 1024;

impl MemberTracker {
    /// Keep the last [`REGISTRATIONS_KEPT`] transactions (a late message may still reach them)
    /// and, among the older ones, only those that were answered and never accepted, up to
    /// [`FAILED_KEPT`] (how many challenges make a failure is the rules' business). The newest transaction, which decides whether
    /// the last sign-in succeeded, is always among the recent ones.
    fn fold_old_registrations(&mut self) {
        let split = self.registrations.len() - REGISTRATIONS_KEPT;
        let recent = self.registrations.split_off(split);
        let mut failed = 0;
        self.registrations.retain(|r| {
            let keep = !r.succeeded() && r.last_response.is_some() && failed < FAILED_KEPT;
            failed += usize::from(keep);
            keep
        });
        self.registrations.extend(recent);
        self.index = self
            .registrations
            .iter()
            .enumerate()
            .map(|(i, r)| (r.call_id.clone(), i))
            .collect();
    }
}

/// Samples kept per member at most (spread over the log by keeping every k-th once full).
const MAX_CLOCK_SAMPLES: usize = 4096;

impl MemberTracker {
    pub fn observe(
        &mut self,
        member_index: usize,
        member: &str,
        record: &UccApiRecord<'_>,
        direction: Direction,
        message: &SipMessage<'_>,
        diagnostics: &[MsDiagnostic<'_>],
    ) {
        if direction != Direction::Sent
            && !message.is_request()
            && let (Some(local), Some(server)) = (record.time, message.date())
            && self.clock.len() < MAX_CLOCK_SAMPLES
        {
            self.clock.push(ClockSample {
                member_index,
                member: member.to_string(),
                line: record.line,
                local,
                server,
            });
        }
        if message.method() != Some("REGISTER") {
            return;
        }
        let is_request = message.is_request();
        if is_request && direction != Direction::Received && self.identity.sip_uri.is_none() {
            self.identity.sip_uri = message.from_uri().map(str::to_string);
            self.identity.client = message.header("User-Agent").map(|s| s.trim().to_string());
        }
        if !is_request && self.identity.registrar.is_none() {
            self.identity.registrar = message.header("Server").map(|s| s.trim().to_string());
        }
        let Some(call_id) = message.call_id() else {
            return;
        };
        let i = match self.index.get(call_id) {
            Some(&i) => i,
            None => {
                if self.registrations.len() >= 2 * REGISTRATIONS_KEPT {
                    self.fold_old_registrations();
                }
                self.index
                    .insert(call_id.to_string(), self.registrations.len());
                self.registrations.push(Registration {
                    call_id: call_id.to_string(),
                    challenges: 0,
                    final_status: None,
                    first_time: record.time,
                    last_time: record.time,
                    last_response: None,
                    certprov_challenge: None,
                    other_auth_scheme: false,
                    from_uri: None,
                    steps: Vec::new(),
                });
                if self.registrations.len() > LADDERS_KEPT {
                    let old = self.registrations.len() - 1 - LADDERS_KEPT;
                    self.registrations[old].steps = Vec::new();
                }
                self.registrations.len() - 1
            }
        };
        let recent = i + LADDERS_KEPT >= self.registrations.len();
        let reg = &mut self.registrations[i];
        if record.time.is_some() {
            reg.last_time = record.time;
        }
        if reg.steps.len() < MAX_STEPS && recent {
            let diags: Vec<String> = diagnostics
                .iter()
                .map(|d| match d.reason {
                    Some(r) => format!("{} {} \"{}\"", d.header.as_str(), d.code, r),
                    None => format!("{} {}", d.header.as_str(), d.code),
                })
                .collect();
            reg.steps.push(LadderStep {
                member_index,
                member: member.to_string(),
                line: record.line,
                local: record.time,
                time: None,
                direction,
                label: message.start.label(),
                status: message.status(),
                diagnostics: (!diags.is_empty())
                    .then(|| crate::redact::abridge(&diags.join("; "), 160)),
            });
        }
        if is_request && direction != Direction::Received && reg.from_uri.is_none() {
            reg.from_uri = message.from_uri().map(|u| {
                let u = u.trim().trim_start_matches('<').to_ascii_lowercase();
                u.strip_prefix("sip:").unwrap_or(&u).to_string()
            });
        }
        if is_request
            && message.header("Authorization").is_some_and(|a| {
                !a.trim_start()
                    .get(..7)
                    .is_some_and(|s| s.eq_ignore_ascii_case("TLS-DSK"))
            })
        {
            reg.other_auth_scheme = true;
        }
        if let Some(status) = message.status() {
            if status == 401
                && reg.certprov_challenge.is_none()
                && let Some(sts) = message
                    .headers_named("WWW-Authenticate")
                    .find_map(certprov_sts_uri)
            {
                reg.certprov_challenge = Some(Evidence::new(
                    member_index,
                    member,
                    record.line,
                    record.time,
                    &format!("received 401 TLS-DSK challenge, sts-uri {sts}"),
                ));
            }
            match status {
                401 | 407 => reg.challenges += 1,
                100..=199 => return,
                s => reg.final_status = Some(s),
            }
            reg.last_response = Some(Evidence::new(
                member_index,
                member,
                record.line,
                record.time,
                &describe_sip(direction, message, diagnostics),
            ));
        }
    }
}

/// The `sts-uri` of a `TLS-DSK` challenge when it names the certificate provisioning service
/// (`…/CertProv/CertProvisioningService.svc`, formats.md §1.4).
pub fn certprov_sts_uri(www_authenticate: &str) -> Option<&str> {
    let v = www_authenticate.trim_start();
    if !v
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("TLS-DSK"))
    {
        return None;
    }
    let (_, rest) = v.split_once("sts-uri=")?;
    let uri = rest.trim_start_matches('"').split(['"', ',', ' ']).next()?;
    uri.to_ascii_lowercase()
        .contains("/certprov/")
        .then_some(uri)
}

/// Turn the per-member trackers' results into facts: one `register-transaction` per REGISTER
/// Call-ID, `sign-in-addresses`, and the `clock-offset` when responses carried `Date:` headers.
/// Which of them mean what is the rules' business. Each fact goes to `sink` as it is made, so
/// a large bundle's facts are never held at once; returns the clock estimate.
pub fn derive_facts(
    registrations: &[(usize, Registration)],
    clock: &[ClockSample],
    sink: &mut dyn FnMut(Fact),
) -> Option<ClockEstimate> {
    let mut estimate_out = None;
    for (_, reg) in registrations {
        let Some(last) = &reg.last_response else {
            continue;
        };
        let accepted = reg.succeeded();
        let mut evidence = last.clone();
        let outcome = if accepted {
            format!("accepted ({})", reg.final_status.unwrap_or(200))
        } else {
            "never accepted".to_string()
        };
        let certprov = if reg.certprov_challenge.is_some() {
            " (TLS-DSK, sent to CertProv)"
        } else {
            ""
        };
        // Abridged when a rule keeps it as evidence (most transactions match no rule).
        evidence.text = format!(
            "REGISTER Call-ID {} challenged {} times{certprov}, {outcome}; last: {}",
            short(&reg.call_id),
            reg.challenges,
            last.text
        );
        sink(
            Fact::new("register-transaction", f64::from(reg.challenges), evidence)
                .with("call_id", reg.call_id.as_str())
                .with("challenges", reg.challenges)
                .with("accepted", accepted)
                .with_opt("final_status", reg.final_status)
                .with("certprov", reg.certprov_challenge.is_some())
                .with("other_auth_scheme", reg.other_auth_scheme)
                .with_opt("address", reg.from_uri.clone()),
        );
    }
    // The addresses REGISTERs were sent under. Evidence: the first REGISTER under the newest.
    let mut addresses: Vec<(&str, &Registration)> = Vec::new();
    for (_, reg) in registrations {
        if let Some(a) = reg.from_uri.as_deref()
            && !addresses.iter().any(|(b, _)| *b == a)
        {
            addresses.push((a, reg));
        }
    }
    if let Some((newest, reg)) = addresses
        .iter()
        .max_by(|a, b| a.1.first_time.cmp(&b.1.first_time))
        && let Some(ev) = reg
            .steps
            .first()
            .map(|s| Evidence::new(s.member_index, &s.member, s.line, s.local, ""))
            .or_else(|| reg.last_response.clone())
    {
        let mut evidence = ev;
        let others: Vec<&str> = addresses
            .iter()
            .map(|(a, _)| *a)
            .filter(|a| a != newest)
            .collect();
        evidence.text = if others.is_empty() {
            format!("sign-in as {newest}")
        } else {
            format!(
                "sign-in as {newest} after sign-ins as {}",
                others.join(", ")
            )
        };
        sink(
            Fact::new("sign-in-addresses", addresses.len() as f64, evidence)
                .with(
                    "addresses",
                    addresses
                        .iter()
                        .map(|(a, _)| a.to_string())
                        .collect::<Vec<_>>(),
                )
                .with("newest", *newest),
        );
    }
    if let Some((estimate, sample)) = estimate_clock(clock) {
        let skew = estimate.skew_seconds;
        let direction = if skew >= 0.0 { "ahead of" } else { "behind" };
        let text = format!(
            "server Date {} vs client clock {}: client {} {} the server (zone taken as UTC{}, median of {} responses)",
            sample.server.format("%Y-%m-%d %H:%M:%S UTC"),
            sample.local.format("%Y-%m-%d %H:%M:%S%.3f"),
            format_duration(skew),
            direction,
            estimate.zone(),
            estimate.samples
        );
        let evidence = Evidence::new(
            sample.member_index,
            &sample.member,
            sample.line,
            Some(sample.local),
            &text,
        );
        sink(
            Fact::new("clock-offset", skew.abs(), evidence)
                .with("skew_seconds", skew)
                .with("zone", estimate.zone())
                .with("samples", estimate.samples),
        );
        estimate_out = Some(estimate);
    }
    estimate_out
}

/// The domain of a SIP URI (`sip:kim@contoso.com` → `contoso.com`), lowercase.
pub fn sip_domain(uri: &str) -> Option<String> {
    let uri = uri.trim().trim_start_matches('<');
    let rest = uri
        .strip_prefix("sip:")
        .or_else(|| uri.strip_prefix("SIP:"))
        .unwrap_or(uri);
    let (_, domain) = rest.split_once('@')?;
    let domain = domain
        .split([';', '>', ':', '?'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    (domain.contains('.') && !domain.contains(char::is_whitespace)).then_some(domain)
}

fn fact_at(name: &'static str, value: f64, at: &ClueAt, text: String) -> Fact {
    let mut evidence = at.evidence.clone();
    evidence.text = crate::redact::abridge(
        &crate::redact::secrets(&text),
        crate::events::EVIDENCE_TEXT_MAX,
    );
    Fact::new(name, value, evidence)
}

/// Facts from what command output and registry exports showed, across the whole bundle: one
/// `dns-name` per name looked up (found everywhere, missing everywhere, or found at one server
/// and not another; the alias chain it resolves through), `winhttp-proxy`, `trustmodeldata`
/// (its entries), and `zone-difference` between the time zone `systeminfo` reports and the
/// one the client's log runs in (`clock`, from the servers' `Date:` headers). Clues come in
/// inventory order, so the facts and their evidence do not depend on thread timing.
pub fn derive_clue_facts(clues: &[ClueAt], clock: Option<&ClockEstimate>) -> Vec<Fact> {
    use crate::parse::cmdout::{DnsAnswer, DnsLookup};
    let mut out = Vec::new();
    let lookups: Vec<(&ClueAt, &DnsLookup)> = clues
        .iter()
        .filter_map(|c| match &c.clue {
            Clue::Dns(l) => Some((c, l)),
            _ => None,
        })
        .collect();
    let server = |l: &DnsLookup| {
        l.server
            .as_deref()
            .map(|s| format!(" at {s}"))
            .unwrap_or_default()
    };
    // One fact per distinct name, in the order names were first looked up.
    let mut names: Vec<&str> = Vec::new();
    for (_, l) in &lookups {
        if !names.contains(&l.name.as_str()) {
            names.push(&l.name);
        }
    }
    for name in names {
        let of: Vec<&(&ClueAt, &DnsLookup)> =
            lookups.iter().filter(|(_, l)| l.name == name).collect();
        let missing = of
            .iter()
            .find(|(_, l)| matches!(l.answer, DnsAnswer::NotFound { .. }));
        let answered = of
            .iter()
            .find(|(_, l)| !matches!(l.answer, DnsAnswer::NotFound { .. }));
        let alias = of.iter().find_map(|(at, l)| match &l.answer {
            DnsAnswer::Alias { canonical } => Some((*at, *l, canonical)),
            _ => None,
        });
        let (status, at, mut text) = match (missing, answered) {
            (Some((at, l)), Some((_, o))) => (
                "disagree",
                *at,
                format!(
                    "{name} not found{}: {}, but answered{}",
                    server(l),
                    not_found_reason(l),
                    server(o)
                ),
            ),
            (Some((at, l)), None) => (
                "missing",
                *at,
                format!("{name} not found{}: {}", server(l), not_found_reason(l)),
            ),
            (None, _) => {
                let (at, l) = alias.map(|(at, l, _)| (at, l)).unwrap_or(*of[0]);
                ("found", at, format!("{name} found{}", server(l)))
            }
        };
        let mut chain: Vec<String> = Vec::new();
        let mut target = None;
        if let Some((_, l, canonical)) = alias {
            // In `Name:` / `Aliases:` output every name of the chain is an alias of the last
            // one: the chain passes through every other name the same server resolves to the
            // same canonical name.
            for (_, o) in &lookups {
                if o.name != name
                    && o.server == l.server
                    && matches!(&o.answer, DnsAnswer::Alias { canonical: c } if c == canonical)
                    && !chain.contains(&o.name)
                {
                    chain.push(o.name.clone());
                }
            }
            chain.push(canonical.clone());
            text = if status == "found" {
                format!("{name} is an alias of {canonical}{}", server(l))
            } else {
                format!("{text}; an alias of {canonical}{}", server(l))
            };
            if chain.len() > 1 {
                text.push_str(&format!(
                    " (through {})",
                    chain[..chain.len() - 1].join(", ")
                ));
            }
            target = Some(canonical.clone());
        }
        let mut servers: Vec<String> = Vec::new();
        for (_, l) in &of {
            if let Some(s) = &l.server
                && !servers.contains(s)
            {
                servers.push(s.clone());
            }
        }
        out.push(
            fact_at("dns-name", of.len() as f64, at, text)
                .with("name", name)
                .with("status", status)
                .with_opt("target", target)
                .with("chain", chain)
                .with("servers", servers),
        );
    }
    for at in clues {
        match &at.clue {
            Clue::WinHttpProxy(proxy) => {
                out.push(
                    fact_at(
                        "winhttp-proxy",
                        1.0,
                        at,
                        format!("WinHTTP sends traffic through proxy {proxy}"),
                    )
                    .with("proxy", proxy.as_str()),
                );
            }
            Clue::TrustModelData(value) => {
                let entries: Vec<String> = value
                    .split([',', ';', ' '])
                    .map(|e| e.trim().trim_start_matches("*.").to_ascii_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect();
                out.push(
                    fact_at(
                        "trustmodeldata",
                        entries.len() as f64,
                        at,
                        format!("TrustModelData = \"{value}\""),
                    )
                    .with("entries", entries),
                );
            }
            Clue::TimeZone(declared) => {
                // The log runs at the estimated zone; the computer believes local = UTC +
                // declared (+ 60 min in daylight saving time).
                let Some(c) = clock else {
                    continue;
                };
                let off = c.zone_offset_minutes - declared;
                out.push(
                    fact_at(
                        "zone-difference",
                        f64::from(off.abs()),
                        at,
                        format!(
                            "systeminfo time zone is UTC{} and the client's log runs at UTC{} by the servers' Date headers: {} apart",
                            format_offset(*declared),
                            c.zone(),
                            format_duration(f64::from(off.abs()) * 60.0)
                        ),
                    )
                    .with("difference_minutes", f64::from(off))
                    .with("declared_zone", format_offset(*declared))
                    .with("log_zone", c.zone()),
                );
            }
            Clue::Dns(_) => {}
        }
    }
    out
}

fn not_found_reason(l: &crate::parse::cmdout::DnsLookup) -> &str {
    match &l.answer {
        crate::parse::cmdout::DnsAnswer::NotFound { reason } => reason,
        _ => "",
    }
}

fn short(s: &str) -> &str {
    s.get(..12).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDateTime, TimeZone, Utc};

    /// The facts and the clock estimate, collected.
    struct Derived {
        facts: Vec<Fact>,
        clock: Option<ClockEstimate>,
    }

    fn derive(registrations: &[(usize, Registration)], clock: &[ClockSample]) -> Derived {
        let mut facts = Vec::new();
        let clock = derive_facts(registrations, clock, &mut |f| facts.push(f));
        Derived { facts, clock }
    }

    fn sample(local: &str, server: &str) -> ClockSample {
        ClockSample {
            member_index: 0,
            member: "m".into(),
            line: 1,
            local: NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S").unwrap(),
            server: Utc.from_utc_datetime(
                &NaiveDateTime::parse_from_str(server, "%Y-%m-%d %H:%M:%S").unwrap(),
            ),
        }
    }

    #[test]
    fn estimates_zone_and_skew() {
        // UTC+1, client 6 min 30 s fast.
        let s = [sample("2026-11-03 09:20:32", "2026-11-03 08:14:02")];
        let (e, _) = estimate_clock(&s).unwrap();
        assert_eq!((e.zone_offset_minutes, e.skew_seconds), (60, 390.0));
        // UTC-5, client 9 min 40 s slow: the nearest real zone is -05:00, not -05:15.
        let s = [sample("2026-11-03 04:04:22", "2026-11-03 09:14:02")];
        let (e, _) = estimate_clock(&s).unwrap();
        assert_eq!((e.zone_offset_minutes, e.skew_seconds), (-300, -580.0));
        // UTC+5:30, in sync.
        let s = [sample("2026-11-03 14:44:03", "2026-11-03 09:14:02")];
        let (e, _) = estimate_clock(&s).unwrap();
        assert_eq!((e.zone(), e.skew_seconds), ("+05:30".to_string(), 1.0));
        assert!(estimate_clock(&[]).is_none());
    }

    #[test]
    fn median_resists_outliers() {
        let s = [
            sample("2026-11-03 09:14:03", "2026-11-03 08:14:02"),
            sample("2026-11-03 09:15:03", "2026-11-03 08:15:02"),
            sample("2026-11-03 09:59:03", "2026-11-03 08:16:02"),
        ];
        let d = derive(&[], &s);
        assert_eq!(d.clock.unwrap().skew_seconds, 1.0);
        assert_eq!(d.facts.len(), 1);
        assert_eq!(d.facts[0].name, "clock-offset");
        assert_eq!(d.facts[0].value, 1.0);
        assert_eq!(
            d.facts[0].field("zone").as_deref(),
            Some(&crate::model::FieldValue::Text("+01:00".into()))
        );
    }

    #[test]
    fn registration_facts() {
        let ev = Evidence::new(0, "m", 7, None, "received 401 Unauthorized to REGISTER");
        let failed = Registration {
            call_id: "abc".into(),
            challenges: 3,
            final_status: None,
            first_time: None,
            last_time: None,
            last_response: Some(ev.clone()),
            certprov_challenge: None,
            other_auth_scheme: false,
            from_uri: None,
            steps: Vec::new(),
        };
        let ok = Registration {
            challenges: 2,
            final_status: Some(200),
            call_id: "def".into(),
            ..failed.clone()
        };
        let d = derive(&[(0, failed.clone()), (0, ok.clone())], &[]);
        let names: Vec<_> = d.facts.iter().map(|f| f.name).collect();
        // One fact per transaction, whatever its outcome; rules decide what "failed" means.
        assert_eq!(names, vec!["register-transaction", "register-transaction"]);
        let field = |f: &Fact, n: &str| f.field(n).map(|v| v.into_owned());
        use crate::model::FieldValue::{Bool, Number, Text};
        assert_eq!(d.facts[0].value, 3.0);
        assert_eq!(field(&d.facts[0], "accepted"), Some(Bool(false)));
        assert_eq!(field(&d.facts[0], "final_status"), None);
        assert_eq!(field(&d.facts[1], "accepted"), Some(Bool(true)));
        assert_eq!(field(&d.facts[1], "final_status"), Some(Number(200.0)));
        assert_eq!(field(&d.facts[1], "call_id"), Some(Text("def".into())));
        assert!(
            d.facts[0]
                .evidence
                .text
                .starts_with("REGISTER Call-ID abc challenged 3 times, never accepted; last: "),
            "{}",
            d.facts[0].evidence.text
        );
        // Two sign-in addresses: the newer one is named.
        let mut old_addr = ok.clone();
        old_addr.from_uri = Some("kim@old.example".into());
        old_addr.first_time =
            NaiveDateTime::parse_from_str("2026-11-01 08:00:00", "%Y-%m-%d %H:%M:%S").ok();
        let mut new_addr = failed.clone();
        new_addr.from_uri = Some("kim@new.example".into());
        new_addr.first_time =
            NaiveDateTime::parse_from_str("2026-11-03 08:00:00", "%Y-%m-%d %H:%M:%S").ok();
        let d = derive(&[(0, old_addr), (0, new_addr)], &[]);
        let changed = d
            .facts
            .iter()
            .find(|f| f.name == "sign-in-addresses")
            .expect("addresses");
        assert_eq!(changed.value, 2.0);
        assert_eq!(
            changed.evidence.text,
            "sign-in as kim@new.example after sign-ins as kim@old.example"
        );
        let d = derive(&[(0, ok), (1, failed)], &[]);
        assert!(d.facts.iter().all(|f| f.name == "register-transaction"));
    }

    #[test]
    fn durations_and_offsets() {
        assert_eq!(format_duration(390.0), "6 min 30 s");
        assert_eq!(format_duration(-580.0), "9 min 40 s");
        assert_eq!(format_duration(4.4), "4 s");
        assert_eq!(format_duration(7300.0), "2 h 1 min");
        assert_eq!(format_offset(-300), "-05:00");
        assert_eq!(format_offset(345), "+05:45");
    }
}

#[cfg(test)]
mod fold_tests {
    use super::*;
    use crate::parse::uccapi::{UccApiItem, UccApiReader};

    /// Feed `n` REGISTER transactions (every tenth challenged three times and never accepted,
    /// the others accepted) and return the tracker.
    fn track(n: usize) -> MemberTracker {
        let mut log = String::new();
        for i in 0..n {
            let failed = i % 10 == 0;
            log.push_str(&format!("01/01/2026|00:00:00.000 1 INFO  :: Sending Packet - x:443 1 bytes:\nREGISTER sip:x SIP/2.0\nCall-ID: c{i}\nCSeq: 1 REGISTER\n\n"));
            for _ in 0..if failed { 3 } else { 1 } {
                log.push_str(&format!("01/01/2026|00:00:00.000 1 INFO  :: Data Received - x:443 1 bytes:\n01/01/2026|00:00:00.000 1 INFO  :: SIP/2.0 401 Unauthorized\nCall-ID: c{i}\nCSeq: 1 REGISTER\n\n"));
            }
            if !failed {
                log.push_str(&format!("01/01/2026|00:00:00.000 1 INFO  :: Data Received - x:443 1 bytes:\n01/01/2026|00:00:00.000 1 INFO  :: SIP/2.0 200 OK\nCall-ID: c{i}\nCSeq: 1 REGISTER\n\n"));
            }
        }
        let mut t = MemberTracker::default();
        for item in UccApiReader::new(&log) {
            if let UccApiItem::Sip {
                record,
                direction,
                message,
            } = &item
            {
                t.observe(0, "m", record, *direction, message, &message.diagnostics());
            }
        }
        t
    }

    #[test]
    fn old_transactions_fold_but_failures_and_the_latest_stay() {
        let t = track(6 * REGISTRATIONS_KEPT);
        assert!(
            t.registrations.len() < 3 * REGISTRATIONS_KEPT,
            "{}",
            t.registrations.len()
        );
        let failed = t
            .registrations
            .iter()
            .filter(|r| r.challenges >= 3 && !r.succeeded())
            .count();
        assert_eq!(
            failed,
            (6 * REGISTRATIONS_KEPT)
                .div_ceil(10)
                .min(FAILED_KEPT + REGISTRATIONS_KEPT / 10 + 1)
        );
        assert_eq!(
            t.registrations.last().unwrap().call_id,
            format!("c{}", 6 * REGISTRATIONS_KEPT - 1)
        );
        // A small log keeps everything.
        assert_eq!(track(100).registrations.len(), 100);
    }
}

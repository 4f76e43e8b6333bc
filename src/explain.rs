//! `sfbtriage explain`: what an error message, ms-diagnostics code or HRESULT means.
//!
//! This module owns answering without logs. A number is looked up as an ms-diagnostics code
//! (the documented reason, and the causes whose rules key on it); `0x…`, a negative decimal
//! (.NET's HResult) or a symbolic name (`NTE_BAD_KEYSET`, `KRB_AP_ERR_SKEW`) as an HRESULT or
//! Kerberos code (its meaning from the protocol-facts table [`crate::codes`], and the causes
//! whose rules name it in any spelling); any other text is matched, case- and
//! space-insensitively, against the error phrases of every cause in every language the
//! articles give, in both directions (a partial phrase or a longer pasted dialog both match),
//! with typographic apostrophes and full-width forms folded; and it is run, as one error
//! record, through the record rules, so a pasted PowerShell error (wrapped lines, French text
//! or wording the articles do not quote, such as the WinRM one) finds its cause the way a
//! transcript in a bundle would. When nothing matches, the answer says what was looked for and
//! names the catalogue phrases nearest to the text.

use crate::catalog::{Catalog, Cause};
use crate::rules::{Matcher, RuleSet};

/// One answer of `explain`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Explanation {
    /// What the query was read as: `ms-diagnostics`, `hresult` or `message`.
    pub kind: &'static str,
    /// The documented meaning of a code, when known.
    pub meaning: Option<String>,
    /// What the protocol-facts table says of the code, with sources (an ms-diagnostics code
    /// without an entry of its own gets its ErrorId range; a number can also be a SIP status).
    pub codes: Vec<crate::codes::Meaning>,
    pub causes: Vec<ExplainedCause>,
    /// When no cause matched: what was looked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub looked_for: Vec<String>,
    /// When no cause matched a text: the catalogue phrases nearest to it, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nearest: Vec<NearestPhrase>,
}

/// A catalogue phrase that shares words with a text that matched nothing.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NearestPhrase {
    pub id: String,
    pub title: String,
    pub lang: String,
    pub phrase: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExplainedCause {
    pub id: String,
    pub title: String,
    pub resolution: String,
    pub url: String,
    /// Why it matched: the rule or the phrase.
    pub matched: String,
}

fn normalize(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
            // Full-width ASCII forms (`？`, `！`, `Ａ`) as their ASCII letters.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
            c => c,
        })
        .collect();
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
        .to_string()
}

fn explained(cause: &Cause, matched: String) -> ExplainedCause {
    ExplainedCause {
        id: cause.id.0.clone(),
        title: cause.title.clone(),
        resolution: cause.resolution.clone(),
        url: cause.url.clone(),
        matched,
    }
}

fn push_unique(out: &mut Vec<ExplainedCause>, c: ExplainedCause) {
    if !out.iter().any(|o| o.id == c.id) {
        out.push(c);
    }
}

/// Causes whose supporting rules name a code in one of its spellings: a record rule literal
/// ending with its hex digits or equal to its signed decimal or symbolic name, an event rule
/// whose regex names it.
fn causes_naming(
    spellings: &[String],
    hex: Option<u32>,
    rules: &RuleSet,
    catalog: &Catalog,
    out: &mut Vec<ExplainedCause>,
) {
    let needle = hex.map(|h| format!("{h:08x}"));
    for rule in rules.rules() {
        if rule.effect != crate::rules::Effect::Supports {
            continue;
        }
        let hit = match &rule.matcher {
            Matcher::Record(m) => m.literals().iter().any(|l| {
                let l = l.text.to_ascii_lowercase();
                needle.as_ref().is_some_and(|n| l.ends_with(n.as_str()))
                    || spellings.iter().any(|s| {
                        let s = s.to_ascii_lowercase();
                        // `-2144108321` inside `-2144108321,PSSessionOpenFailed`.
                        l == s || s.len() >= 8 && l.contains(&s)
                    })
            }),
            Matcher::Event(m) => m.regex_source().is_some_and(|r| {
                let r = r.to_ascii_lowercase();
                spellings
                    .iter()
                    .any(|s| s.contains('_') && r.contains(&s.to_ascii_lowercase()))
            }),
            _ => false,
        };
        if hit {
            for c in rule.causes.iter().filter_map(|c| catalog.get(c)) {
                push_unique(out, explained(c, format!("rule {}", rule.id)));
            }
        }
    }
}

fn meaning_text(m: &crate::codes::Meaning) -> String {
    format!("{}: {} (source: {})", m.label(), m.text, m.source)
}

/// Explain a code or an error message.
pub fn explain(query: &str, rules: &RuleSet, catalog: &Catalog) -> Explanation {
    use crate::codes::{self, CodeKind};
    let q = query.trim();
    let one_token = !q.contains(char::is_whitespace);
    let hex = q
        .strip_prefix("0x")
        .or_else(|| q.strip_prefix("0X"))
        .and_then(|h| u32::from_str_radix(h, 16).ok());
    let found = if one_token {
        codes::lookup(q)
    } else {
        Vec::new()
    };
    // An HRESULT or Kerberos code, by hex, signed decimal or symbolic name.
    let code_like = hex.is_some()
        || (one_token && q.starts_with('-') && q[1..].bytes().all(|b| b.is_ascii_digit()))
        || found
            .iter()
            .any(|m| matches!(m.kind, CodeKind::Hresult | CodeKind::Kerberos));
    if code_like {
        let mut spellings = vec![q.to_string()];
        for m in &found {
            if let Some(n) = &m.name {
                spellings.push(n.clone());
            }
            if m.kind == CodeKind::Hresult {
                spellings.push(format!("0x{:08X}", m.code));
                spellings.push((m.code as i32).to_string());
            }
        }
        let value = hex.or_else(|| {
            found
                .iter()
                .find(|m| m.kind == CodeKind::Hresult)
                .map(|m| m.code)
        });
        let mut causes = Vec::new();
        causes_naming(&spellings, value, rules, catalog, &mut causes);
        let kind = if found.iter().all(|m| m.kind == CodeKind::Kerberos) && !found.is_empty() {
            "kerberos"
        } else {
            "hresult"
        };
        return Explanation {
            kind,
            meaning: found.first().map(|m| meaning_text(m)),
            codes: found.into_iter().cloned().collect(),
            causes,
            looked_for: Vec::new(),
            nearest: Vec::new(),
        };
    }
    let code = q
        .trim_start_matches("ms-diagnostics-public")
        .trim_start_matches("ms-diagnostics")
        .trim_start_matches(':')
        .trim()
        .split(['.', ';'])
        .next()
        .and_then(|c| c.trim().parse::<u32>().ok());
    if let Some(code) = code {
        let mut causes = Vec::new();
        for rule in rules.rules() {
            let codes = match &rule.matcher {
                Matcher::Sip(m) => m.diag_codes(),
                Matcher::Event(m) => m.diag_codes(),
                _ => &[],
            };
            if rule.effect == crate::rules::Effect::Supports && codes.contains(&code) {
                for c in rule.causes.iter().filter_map(|c| catalog.get(c)) {
                    push_unique(&mut causes, explained(c, format!("rule {}", rule.id)));
                }
            }
        }
        let mut facts: Vec<crate::codes::Meaning> = codes::meaning(CodeKind::MsDiagnostics, code)
            .into_iter()
            .cloned()
            .collect();
        // A bare number can be a SIP status too.
        if one_token && (100..700).contains(&code) {
            facts.extend(codes::meaning(CodeKind::Sip, code).cloned());
        }
        return Explanation {
            kind: "ms-diagnostics",
            meaning: facts.first().map(meaning_text),
            codes: facts,
            causes,
            looked_for: Vec::new(),
            nearest: Vec::new(),
        };
    }
    let nq = normalize(q);
    let mut causes = Vec::new();
    // The text as one error record, through the record rules (supporting ones only).
    let text = crate::parse::powershell::normalize(q);
    if !text.is_empty() {
        let record = crate::parse::uccapi::UccApiRecord {
            line: 1,
            time: None,
            thread: "",
            level: "ERROR",
            text: &text,
            continuation: "",
            raw: &text,
        };
        let mut candidates = Vec::new();
        let mut matched = Vec::new();
        // A pasted message may come from any reader: try it as each.
        for source in crate::events::Source::ALL {
            rules.evaluate(
                &crate::events::Observation::Record(&record, source),
                &mut candidates,
                |i| matched.push(i),
            );
        }
        matched.sort_unstable();
        matched.dedup();
        for i in matched {
            let rule = rules.get(i);
            if rule.effect == crate::rules::Effect::Supports && !rule.corroborating {
                for c in rule.causes.iter().filter_map(|c| catalog.get(c)) {
                    push_unique(&mut causes, explained(c, format!("rule {}", rule.id)));
                }
            }
        }
    }
    // Codes inside a pasted text: ms-diagnostics headers (web copies join headers on one line
    // and put spaces around `=`), HRESULTs, Kerberos names.
    let mut facts: Vec<crate::codes::Meaning> = Vec::new();
    for (code, _) in pasted_diagnostics(q) {
        for rule in rules.rules() {
            let codes = match &rule.matcher {
                Matcher::Sip(m) => m.diag_codes(),
                Matcher::Event(m) => m.diag_codes(),
                _ => &[],
            };
            if rule.effect == crate::rules::Effect::Supports && codes.contains(&code) {
                for c in rule.causes.iter().filter_map(|c| catalog.get(c)) {
                    push_unique(
                        &mut causes,
                        explained(c, format!("ms-diagnostics {code}: rule {}", rule.id)),
                    );
                }
            }
        }
        if let Some(m) = codes::meaning(CodeKind::MsDiagnostics, code)
            && !facts.contains(m)
        {
            facts.push(m.clone());
        }
    }
    for token in q.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        let is_hex = token.len() == 10 && (token.starts_with("0x") || token.starts_with("0X"));
        let is_name = token.contains('_') && token.len() > 6;
        if !(is_hex || is_name) {
            continue;
        }
        for m in codes::lookup(token) {
            if matches!(m.kind, CodeKind::Hresult | CodeKind::Kerberos) && !facts.contains(m) {
                facts.push(m.clone());
            }
        }
    }
    if nq.chars().count() >= 4 {
        for cause in catalog.iter() {
            for m in &cause.messages {
                let nm = normalize(&m.text);
                if !nm.is_empty() && (nm.contains(&nq) || nq.contains(&nm)) {
                    push_unique(
                        &mut causes,
                        explained(cause, format!("{} phrase: {}", m.lang, m.text)),
                    );
                }
            }
        }
    }
    let mut e = Explanation {
        kind: "message",
        meaning: facts.first().map(meaning_text),
        codes: facts,
        causes,
        looked_for: Vec::new(),
        nearest: Vec::new(),
    };
    if e.causes.is_empty() {
        let mut langs: Vec<&str> = catalog
            .iter()
            .flat_map(|c| c.messages.iter().map(|m| m.lang.as_str()))
            .collect();
        langs.sort_unstable();
        langs.dedup();
        e.looked_for = vec![
            format!(
                "the error phrases of {} causes ({})",
                catalog.len(),
                langs.join(", ")
            ),
            format!(
                "the wording the {} record rules key on (PowerShell errors, client log lines)",
                rules
                    .rules()
                    .iter()
                    .filter(|r| matches!(r.matcher, Matcher::Record(_)))
                    .count()
            ),
            "ms-diagnostics codes, SIP statuses, HRESULTs (0x…, signed decimal, symbolic name) and Kerberos codes".to_string(),
        ];
        e.nearest = nearest(&nq, catalog);
    }
    e
}

/// The `ms-diagnostics` / `ms-diagnostics-public` / `ms-client-diagnostics` codes of a pasted
/// text, wherever they are (headers joined on one line, spaces around `:` and `=`), with the
/// header name as written.
fn pasted_diagnostics(text: &str) -> Vec<(u32, String)> {
    static HEADER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(ms-(?:client-)?diagnostics(?:-public)?)\s*:\s*(\d{1,6})\b")
            .expect("valid regex")
    });
    let mut out: Vec<(u32, String)> = Vec::new();
    for c in HEADER.captures_iter(text) {
        if let Ok(code) = c[2].parse::<u32>()
            && !out.iter().any(|(k, _)| *k == code)
        {
            out.push((code, c[1].to_string()));
        }
    }
    out
}

/// Words of a normalized text: runs of letters or digits; each CJK character counts as a word.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() && (c as u32) < 0x2E80 {
            cur.push(c);
        } else {
            if cur.chars().count() >= 3 {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
            if c.is_alphanumeric() {
                out.push(c.to_string());
            }
        }
    }
    if cur.chars().count() >= 3 {
        out.push(cur);
    }
    out
}

/// The catalogue phrases sharing the most words with a text (at most three, each cause once).
fn nearest(nq: &str, catalog: &Catalog) -> Vec<NearestPhrase> {
    let q: std::collections::BTreeSet<String> = words(nq).into_iter().collect();
    if q.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, usize, &Cause, &crate::catalog::Message)> = Vec::new();
    for (i, cause) in catalog.iter().enumerate() {
        for m in &cause.messages {
            let w: std::collections::BTreeSet<String> =
                words(&normalize(&m.text)).into_iter().collect();
            let shared = w.intersection(&q).count();
            if shared > 0 {
                scored.push((shared, i, cause, m));
            }
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<NearestPhrase> = Vec::new();
    for (_, _, cause, m) in scored {
        if out.len() == 3 {
            break;
        }
        if out.iter().any(|n| n.id == cause.id.0) {
            continue;
        }
        out.push(NearestPhrase {
            id: cause.id.0.clone(),
            title: cause.title.clone(),
            lang: m.lang.clone(),
            phrase: m.text.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (RuleSet, Catalog) {
        RuleSet::load(&[]).unwrap()
    }

    #[test]
    fn codes_hresults_and_messages() {
        let (r, c) = setup();
        let e = explain("4005", &r, &c);
        assert_eq!(e.kind, "ms-diagnostics");
        assert_eq!(e.causes[0].id, "user-not-sip-enabled");
        assert!(e.meaning.unwrap().contains("not enabled for SIP"));

        let e = explain("ms-diagnostics: 1013;reason=\"x\"", &r, &c);
        assert_eq!(e.causes[0].id, "clock-skew");

        let e = explain("0x80090324", &r, &c);
        assert_eq!((e.kind, e.causes[0].id.as_str()), ("hresult", "clock-skew"));

        let e = explain(
            "  the AUTHENTICATION service may be incompatible with this version ",
            &r,
            &c,
        );
        assert!(
            e.causes.iter().any(|x| x.id == "wrong-client-version"),
            "{e:?}"
        );

        // The article lists the personal-certificate message under two causes; the dialog
        // wording (KB 2604176) finds both.
        let e = explain(
            "There was a problem acquiring a personal certificate required to sign in. If the problem continues, please contact your support team.",
            &r,
            &c,
        );
        let ids: Vec<&str> = e.causes.iter().map(|x| x.id.as_str()).collect();
        assert!(
            ids.contains(&"personal-certificate") && ids.contains(&"corrupt-credentials"),
            "{ids:?}"
        );
        // NTE_BAD_KEYSET in each spelling.
        for q in [
            "0x80090016",
            "-2146893802",
            "NTE_BAD_KEYSET",
            "Keyset does not exist",
        ] {
            let e = explain(q, &r, &c);
            assert_eq!(e.causes[0].id, "corrupt-credentials", "{q}: {e:?}");
        }

        // Kerberos and HRESULT spellings, with their meaning and its source.
        let e = explain("KRB_AP_ERR_SKEW", &r, &c);
        assert_eq!(
            (e.kind, e.causes[0].id.as_str()),
            ("kerberos", "clock-skew")
        );
        assert!(e.meaning.unwrap().contains("RFC 4120"));
        let e = explain("SEC_E_TIME_SKEW", &r, &c);
        assert_eq!((e.kind, e.causes[0].id.as_str()), ("hresult", "clock-skew"));
        let e = explain("-2144108321", &r, &c);
        assert_eq!(e.causes[0].id, "winrm-basic-auth-disabled", "{e:?}");
        let e = explain("0x803380DF", &r, &c);
        assert_eq!(e.causes[0].id, "winrm-basic-auth-disabled", "{e:?}");
        let e = explain("-2146893802", &r, &c);
        assert_eq!(e.codes[0].name.as_deref(), Some("NTE_BAD_KEYSET"));
        // A code no rule claims still gets its meaning: a SIP status, an ErrorId range.
        let e = explain("503", &r, &c);
        assert!(
            e.codes
                .iter()
                .any(|m| m.label() == "SIP 503 Service Unavailable")
        );
        let e = explain("ms-diagnostics: 13005;reason=\"x\"", &r, &c);
        assert_eq!(e.codes[0].range, Some((13000, 13999)));

        // Client dialogs as users paste them (Lync 2010 shows the same text for a wrong
        // password and for clock skew).
        for (text, want) in [
            (
                "You didn't get signed in. It might be your sign-in address or logon credentials, so try those again. If that doesn't work, contact your support team.",
                &["wrong-credentials", "forgotten-password"][..],
            ),
            (
                "Cannot sign in to Lync\n\nThe user name, password, or domain appears to be incorrect.  Ensure that you entered them correctly.  If the problem continues, please contact your support team.",
                &["wrong-credentials", "forgotten-password", "clock-skew"][..],
            ),
            (
                "Cannot sign in to Lync because your computer clock is not set correctly.  To check your computer clock settings, open Date and Time in the Control Panel.",
                &["clock-skew"][..],
            ),
            (
                "Cannot sign in because the server is temporarily unavailable. If the problem continues, please contact your support team.",
                &["dns-cname-missing", "adfs-self-signed-cert"][..],
            ),
            (
                "Cannot sign in to Lync. You may have entered your sign-in address, user name, or password incorrectly, or the authentication service may be incompatible with this version of the program.",
                &["wrong-credentials", "wrong-client-version"][..],
            ),
        ] {
            let e = explain(text, &r, &c);
            let ids: Vec<&str> = e.causes.iter().map(|x| x.id.as_str()).collect();
            for w in want {
                assert!(ids.contains(w), "{text}: {ids:?}");
            }
        }

        // Pasted SIP with web-copy damage: headers on one line, spaces around `=`.
        let e = explain(
            "SIP/2.0 401 Unauthorized ms-user-logon-data: RemoteUser Date: Tue, 03 Nov 2026 08:07:32 GMT ms-diagnostics: 1013; reason =\"Significant time skew detected during authentication\"; source=\"sippoolbl20a01.infra.lync.com\" Server: RTC/7.0",
            &r,
            &c,
        );
        assert_eq!(e.causes[0].id, "clock-skew", "{e:?}");
        assert!(e.meaning.unwrap().contains("time skew"));
        let e = explain(
            "subscription-state: terminated;expires=0 ms-diagnostics-public: 4141;reason=\"User disabled\"",
            &r,
            &c,
        );
        let ids: Vec<&str> = e.causes.iter().map(|x| x.id.as_str()).collect();
        assert!(
            ids.contains(&"not-licensed") && ids.contains(&"user-not-sip-enabled"),
            "{ids:?}"
        );
        let e = explain("Sign-in failed: hr=0x80090324 (SEC_E_TIME_SKEW)", &r, &c);
        assert_eq!(e.causes[0].id, "clock-skew");
        assert_eq!(e.codes[0].name.as_deref(), Some("SEC_E_TIME_SKEW"));

        let e = explain("no such phrase anywhere", &r, &c);
        assert!(e.causes.is_empty());
        assert_eq!(e.looked_for.len(), 3);
        // Nothing matched: the nearest catalogue phrases are named.
        let e = explain("problem with the personal certificate", &r, &c);
        assert!(e.causes.is_empty(), "{e:?}");
        assert!(
            e.nearest
                .iter()
                .any(|n| n.id == "personal-certificate" || n.id == "corrupt-credentials"),
            "{e:?}"
        );
        assert!(explain("a", &r, &c).causes.is_empty(), "too short to match");
    }

    /// Every documented phrase, in every language the catalogue gives, finds its cause: as
    /// written, in upper and in lower case, with its spacing mangled, with plain apostrophes,
    /// and as a partial phrase (its middle half).
    #[test]
    fn every_catalogue_phrase_in_every_language_finds_its_cause() {
        let (r, c) = setup();
        let mut checked = 0;
        let mut langs = std::collections::BTreeSet::new();
        for cause in c.iter() {
            for m in &cause.messages {
                let chars: Vec<char> = m.text.chars().collect();
                let middle: String = chars[chars.len() / 4..chars.len() * 3 / 4].iter().collect();
                let spaced = m.text.replace(' ', "  \r\n ");
                let variants = [
                    m.text.clone(),
                    m.text.to_uppercase(),
                    m.text.to_lowercase(),
                    spaced,
                    m.text.replace('\u{2019}', "'"),
                    format!("Error: {}.", m.text),
                    middle.clone(),
                ];
                for q in variants {
                    if normalize(&q).chars().count() < 4 {
                        continue;
                    }
                    let e = explain(&q, &r, &c);
                    assert_eq!(e.kind, "message", "{q}");
                    assert!(
                        e.causes.iter().any(|x| x.id == cause.id.0),
                        "{} ({}): {q:?} gave {:?}",
                        cause.id,
                        m.lang,
                        e.causes.iter().map(|x| &x.id).collect::<Vec<_>>()
                    );
                    checked += 1;
                }
                langs.insert(m.lang.clone());
            }
        }
        assert!(checked > 300, "{checked}");
        for lang in ["en", "fr", "ja", "zh-TW"] {
            assert!(langs.contains(lang), "{lang}");
        }
    }

    /// The PowerShell error texts as the connector prints them (formats.md §4, the article's
    /// wording), pasted whole, wrapped at the console width, or in French.
    #[test]
    fn powershell_error_texts_find_their_connector_cause() {
        let (r, c) = setup();
        let cases = [
            (
                "Import-Module : File C:\\Program Files\\Common Files\\Microsoft Lync Server 2013\\Modules\\LyncOnlineConnector\\LyncOnlineConnectorStartup.psm1 cannot be loaded because running scripts is disabled on this system. For more information, see about_Execution_Policies at https://go.microsoft.com/fwlink/?LinkID=135170.",
                "ps-execution-policy",
            ),
            (
                "Import-Module : The version of the loaded PowerShell is '2.0'. The module 'D:\\Program Files\\Common Files\\Microsoft Lync Server 2013\\Modules\\LyncOnlineConnector\\LyncOnlineConnector.psd1' requires a minimum PowerShell version of '3.0' to execute.",
                "ps-version",
            ),
            (
                "Get-CsWebTicket : Failed to connect live id servers. Make sure proxy is enabled or machine has network connection to live id servers.",
                "liveid-connect-failed",
            ),
            (
                "Get-CsWebTicket : Can not load Live Id module. Make sure correct version of Live Id Sign-in assistant is installed.",
                "liveid-module-missing",
            ),
            (
                "Get-CsWebTicket : Logon failed for the user 'kenmyer@litwareinc.com'. Please create a new PSCredential object.",
                "ps-logon-failed",
            ),
            (
                "New-PSSession : [admin.vdomain.com] Processing data from remote server admin.vdomain.com failed with the following error message: The user 'user@foo.com' does not have permission to manage this tenant.",
                "ps-no-tenant-permission",
            ),
            (
                "New-PSSession : [admin.vdomain.com] Processing data from remote server admin.vdomain.com failed with the following error message: The ability to connect to this tenant by using a remote PowerShell session has been disabled.",
                "ps-remote-access-disabled",
            ),
            (
                "New-PSSession : [admin.vdomain.com] Connecting to remote server admin.vdomain.com failed with the following error message : The WS-Management service cannot process the request. The maximum number of concurrent shells for this user has been exceeded.",
                "ps-max-shells-user",
            ),
            (
                "New-PSSession : [admin.vdomain.com] Connecting to remote server admin.vdomain.com failed with the following error message : The WS-Management service cannot process the request. The maximum\r\nnumber of concurrent shells for this tenant has been exceeded.",
                "ps-max-shells-tenant",
            ),
            (
                "New-PSSession : [admin1a.online.lync.com] Connecting to remote server admin1a.online.lync.com failed with the following error message : The WinRM client cannot process the request. Basic authentication is currently disabled in the client configuration.",
                "winrm-basic-auth-disabled",
            ),
            (
                "Get-CsWebTicket : échec de connexion aux serveurs d’ID Live. Assurez-vous que l’option proxy est activée.",
                "liveid-connect-failed",
            ),
            (
                "GET-CSWEBTICKET : FAILED TO CONNECT TO LIVE ID SERVERS.",
                "liveid-connect-failed",
            ),
        ];
        for (text, want) in cases {
            let e = explain(text, &r, &c);
            assert_eq!(
                e.causes.first().map(|x| x.id.as_str()),
                Some(want),
                "{text}: {e:?}"
            );
        }
        // The shells limit for a tenant is not the one for a user.
        let e = explain(
            "The maximum number of concurrent shells for this tenant has been exceeded",
            &r,
            &c,
        );
        assert!(
            e.causes.iter().all(|x| x.id != "ps-max-shells-user"),
            "{e:?}"
        );
    }
}

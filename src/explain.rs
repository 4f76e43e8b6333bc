//! `sfbtriage explain`: what an error message, ms-diagnostics code or HRESULT means.
//!
//! This module owns answering without logs. A number is looked up as an ms-diagnostics code
//! (the documented reason, and the causes whose rules key on it); `0x…` as an HRESULT (its
//! name, and the causes whose rules key on it); any other text is matched, case- and
//! space-insensitively, against the error phrases of every cause in every language the
//! articles give, in both directions (a partial phrase or a longer pasted dialog both match),
//! with typographic apostrophes and full-width forms folded; and it is run, as one error
//! record, through the record rules, so a pasted PowerShell error (wrapped lines, French text
//! or wording the articles do not quote, such as the WinRM one) finds its cause the way a
//! transcript in a bundle would.

use crate::catalog::{Catalog, Cause};
use crate::rules::{Matcher, RuleSet};

/// Documented ms-diagnostics reasons that matter for sign-in (MS-OCER; formats.md §2.3).
pub const DIAGNOSTIC_CODES: &[(u32, &str)] = &[
    (1000, "Final handshake failed."),
    (1003, "User does not exist."),
    (1007, "Temporarily cannot route."),
    (1008, "Unable to resolve DNS SRV record."),
    (1009, "Conflicting SRV and host domains in DNS."),
    (
        1010,
        "Certificate trust with next-hop server could not be established.",
    ),
    (
        1013,
        "Significant time skew detected during authentication.",
    ),
    (1014, "Unable to resolve DNS A record."),
    (4003, "From URI not enabled for remote access."),
    (
        4004,
        "Credentials provided are not authorized to act as specified from URI.",
    ),
    (
        4005,
        "Destination URI either not enabled for SIP or does not exist.",
    ),
    (4006, "User not found in pool."),
    (17002, "Invalid protocol client version."),
    (17003, "Declined with URL."),
    (17004, "Allowed with URL."),
];

/// Well-known HRESULTs seen around sign-in (standard Windows values; formats.md §1.5).
pub const HRESULTS: &[(u32, &str)] = &[
    (
        0x8009_0324,
        "SEC_E_TIME_SKEW: the clocks on the client and server differ too much",
    ),
    (0x8009_030C, "SEC_E_LOGON_DENIED: the logon attempt failed"),
    (
        0x8009_0325,
        "SEC_E_UNTRUSTED_ROOT: the certificate chain was issued by an untrusted authority",
    ),
    (
        0x8009_0322,
        "SEC_E_WRONG_PRINCIPAL: the target principal name is incorrect",
    ),
    (0x8007_2EE2, "WININET timeout: the operation timed out"),
    (0x8007_2EFD, "WININET cannot connect to the server"),
    (0x8007_06BA, "RPC server unavailable"),
];

/// One answer of `explain`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Explanation {
    /// What the query was read as: `ms-diagnostics`, `hresult` or `message`.
    pub kind: &'static str,
    /// The documented meaning of a code, when known.
    pub meaning: Option<String>,
    pub causes: Vec<ExplainedCause>,
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

/// Explain a code or an error message.
pub fn explain(query: &str, rules: &RuleSet, catalog: &Catalog) -> Explanation {
    let q = query.trim();
    let hex = q.strip_prefix("0x").or_else(|| q.strip_prefix("0X"));
    if let Some(h) = hex.and_then(|h| u32::from_str_radix(h, 16).ok()) {
        let mut causes = Vec::new();
        let needle = format!("{h:08x}");
        for rule in rules.rules() {
            if let Matcher::Record(m) = &rule.matcher
                && m.literals()
                    .iter()
                    .any(|l| l.to_ascii_lowercase().ends_with(&needle))
                && let Some(c) = catalog.get(&rule.cause)
            {
                push_unique(&mut causes, explained(c, format!("rule {}", rule.id)));
            }
        }
        return Explanation {
            kind: "hresult",
            meaning: HRESULTS
                .iter()
                .find(|(v, _)| *v == h)
                .map(|(_, m)| m.to_string()),
            causes,
        };
    }
    let code = q
        .trim_start_matches("ms-diagnostics")
        .trim_start_matches(':')
        .trim()
        .split(['.', ';'])
        .next()
        .and_then(|c| c.parse::<u32>().ok());
    if let Some(code) = code {
        let mut causes = Vec::new();
        for rule in rules.rules() {
            let codes = match &rule.matcher {
                Matcher::Sip(m) => m.diag_codes(),
                Matcher::Event(m) => m.diag_codes(),
                _ => &[],
            };
            if rule.effect == crate::rules::Effect::Supports
                && codes.contains(&code)
                && let Some(c) = catalog.get(&rule.cause)
            {
                push_unique(&mut causes, explained(c, format!("rule {}", rule.id)));
            }
        }
        return Explanation {
            kind: "ms-diagnostics",
            meaning: DIAGNOSTIC_CODES
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, m)| m.to_string()),
            causes,
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
        rules.evaluate(
            &crate::events::Observation::Record(&record),
            &mut candidates,
            |i| matched.push(i),
        );
        // The prefilter keeps literals as written, in lower and in upper case: look at the
        // lowercased text too, so mixed case (`Live ID`) is found.
        let lower = text.to_ascii_lowercase();
        let record = crate::parse::uccapi::UccApiRecord {
            text: &lower,
            raw: &lower,
            ..record
        };
        rules.evaluate(
            &crate::events::Observation::Record(&record),
            &mut candidates,
            |i| matched.push(i),
        );
        matched.sort_unstable();
        matched.dedup();
        for i in matched {
            let rule = rules.get(i);
            if rule.effect == crate::rules::Effect::Supports
                && !rule.corroborating
                && let Some(c) = catalog.get(&rule.cause)
            {
                push_unique(&mut causes, explained(c, format!("rule {}", rule.id)));
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
    Explanation {
        kind: "message",
        meaning: None,
        causes,
    }
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

        let e = explain("no such phrase anywhere", &r, &c);
        assert!(e.causes.is_empty());
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

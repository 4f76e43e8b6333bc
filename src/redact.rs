//! Keeping secrets out of reports.
//!
//! This module owns the guarantee that no Authorization header, password, token, cookie or
//! authentication blob from a log reaches any output. Every text that leaves a member as
//! evidence passes through [`secrets`]; [`abridge`] then folds it to one short line. The
//! regexes run only on evidence (a few lines per cause), never on the per-line path.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Replacement for a removed secret.
pub const MASK: &str = "[redacted]";

static WHOLE_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)\b((?:proxy-)?authorization|(?:set-)?cookie|x-ms-webticket)[ \t]*:[^\r\n]*")
        .unwrap()
});

static PARAMETER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\b(gssapi-data|rspauth|password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|id_token|webticket|signature|crand|srand|cnum|snum|opaque)([ \t]*[=:][ \t]*)("[^"\r\n]*"?|[^\s;,"]+)"#,
    )
    .unwrap()
});

/// PowerShell: `-Password x`, `-AccessToken "x"`, `ConvertTo-SecureString 'x' -AsPlainText`
/// (a transcript, or the offending line an error record repeats, may show them).
static POWERSHELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(-(?:password|pwd|secret|clientsecret|token|accesstoken|apikey)\b[ \t:]*|convertto-securestring[ \t]+(?:-string[ \t]+)?)("[^"\r\n]*"?|'[^'\r\n]*'?|[^\s;,()"']+)"#,
    )
    .unwrap()
});

static BEARER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(bearer|basic)[ \t]+[A-Za-z0-9+/=._~-]{8,}").unwrap());

/// `text` with every credential-like value replaced by [`MASK`].
pub fn secrets(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    if WHOLE_HEADER.is_match(&out) {
        out = Cow::Owned(
            WHOLE_HEADER
                .replace_all(&out, format!("$1: {MASK}"))
                .into_owned(),
        );
    }
    if PARAMETER.is_match(&out) {
        out = Cow::Owned(
            PARAMETER
                .replace_all(&out, format!("$1$2{MASK}"))
                .into_owned(),
        );
    }
    if POWERSHELL.is_match(&out) {
        out = Cow::Owned(
            POWERSHELL
                .replace_all(&out, format!("${{1}}{MASK}"))
                .into_owned(),
        );
    }
    if BEARER.is_match(&out) {
        out = Cow::Owned(BEARER.replace_all(&out, format!("$1 {MASK}")).into_owned());
    }
    out
}

/// Fold whitespace (line breaks included) to single spaces and cut to `max` characters,
/// ending with `…` when cut.
pub fn abridge(text: &str, max: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max {
        return folded;
    }
    let mut out: String = folded.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_credentials() {
        let t = "Authorization: NTLM qop=\"auth\", gssapi-data=\"TlRMTVNTUAADAAAA\"\r\nCall-ID: x";
        let s = secrets(t);
        assert!(!s.contains("TlRMTVNT"), "{s}");
        assert!(!s.contains("qop"), "{s}");
        assert!(s.contains("Call-ID: x"));

        let s = secrets(
            "WWW-Authenticate: NTLM opaque=\"78D29AC8\", gssapi-data=\"TlRMTVNTUAACAAAA\", targetname=\"a\"",
        );
        assert!(!s.contains("TlRMTVNT") && !s.contains("78D29AC8"), "{s}");
        assert!(s.contains("targetname=\"a\""), "{s}");

        let s = secrets("login with password=hunter2; token: abc.def and Bearer eyJ0eXAiOiJKV1Qi");
        assert!(
            !s.contains("hunter2") && !s.contains("abc.def") && !s.contains("eyJ0eX"),
            "{s}"
        );

        let s = secrets("Cookie: MSISAuth=abcdef\nSet-Cookie: x=1");
        assert!(!s.contains("MSISAuth") && !s.contains("x=1"), "{s}");

        assert!(matches!(secrets("nothing to hide here"), Cow::Borrowed(_)));

        for (line, secret) in [
            (
                "+ $c = New-Object PSCredential('kim', (ConvertTo-SecureString 'Winter2026!' -AsPlainText -Force))",
                "Winter2026!",
            ),
            (
                "PS C:\\> Connect-X -UserName kim -Password S3cret;x",
                "S3cret",
            ),
            (
                "Connect-MicrosoftTeams -AccessToken \"eyJ0eXAi.eyJhdWQi\"",
                "eyJ0eXAi",
            ),
            (
                "$p = ConvertTo-SecureString -String hunter2 -AsPlainText",
                "hunter2",
            ),
        ] {
            let s = secrets(line);
            assert!(!s.contains(secret), "{s}");
            assert!(s.contains(MASK), "{s}");
        }
        assert!(matches!(
            secrets("Import-Module SkypeOnlineConnector"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn abridges() {
        assert_eq!(abridge("a\r\n  b\tc", 10), "a b c");
        assert_eq!(abridge("alpha beta gamma", 10), "alpha bet…");
        assert_eq!(abridge("abcdefghijklmnop", 5), "abcd…");
        assert_eq!(abridge("", 5), "");
        assert!(abridge(&"é".repeat(500), 200).chars().count() <= 200);
    }
}

/// Consistent pseudonyms for identifiers (`--redact`): the same user, domain, host or
/// address gets the same token everywhere in one run, assigned in order of first appearance.
#[derive(Debug, Default)]
pub struct Pseudonymizer {
    map: std::collections::HashMap<String, String>,
    counts: std::collections::HashMap<&'static str, usize>,
}

static IDENTIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?P<email>\b[a-z0-9._%+'-]+@(?:[a-z0-9-]+\.)+[a-z]{2,}\b)
        | (?P<ipv4>\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b)
        | (?P<userpath>(?:\\|/)users(?:\\|/)[^\\/\s]+)
        | (?P<host>\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z]\b)
        ",
    )
    .unwrap()
});

/// Microsoft's public service domains: named in every bundle and in our own texts, never
/// personal data, and needed to read a report (`login.microsoftonline.com`,
/// `sipdir.online.lync.com` …). `--redact` keeps them.
pub const PUBLIC_SERVICE_DOMAINS: &[&str] = &[
    "microsoftonline.com",
    "lync.com",
    "microsoft.com",
    "office.com",
    "office365.com",
    "windows.net",
    "live.com",
    "msft.net",
];

/// True for a host under one of [`PUBLIC_SERVICE_DOMAINS`].
pub fn is_public_service_host(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    PUBLIC_SERVICE_DOMAINS
        .iter()
        .any(|d| h == *d || h.ends_with(&format!(".{d}")))
}

/// Endings that make a dotted word a file name, not a host name.
const FILE_ENDINGS: &[&str] = &[
    "uccapilog",
    "bak",
    "etl",
    "evtx",
    "zip",
    "txt",
    "log",
    "xml",
    "csv",
    "json",
    "svc",
    "dll",
    "exe",
    "reg",
    "html",
    "md",
    "toml",
    "ps1",
    "psm1",
    "psd1",
    "mta",
    "msc",
    "cfg",
    "ini",
    "dat",
    "tmp",
];

impl Pseudonymizer {
    fn token(
        &mut self,
        kind: &'static str,
        value: &str,
        make: impl FnOnce(usize) -> String,
    ) -> String {
        let key = format!("{kind}\u{0}{}", value.to_ascii_lowercase());
        if let Some(t) = self.map.get(&key) {
            return t.clone();
        }
        let n = self.counts.entry(kind).or_insert(0);
        *n += 1;
        let t = make(*n);
        self.map.insert(key, t.clone());
        t
    }

    fn host(&mut self, host: &str) -> String {
        self.token("host", host, |n| format!("host{n}.example"))
    }

    /// `text` with every e-mail / SIP address, IPv4 address, host name and user folder
    /// replaced by its pseudonym.
    pub fn apply(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for caps in IDENTIFIER.captures_iter(text) {
            let m = caps.get(0).expect("whole match");
            let replacement = if let Some(e) = caps.name("email") {
                let (user, domain) = e.as_str().split_once('@').expect("an @");
                let u = self.token("user", user, |n| format!("user{n}"));
                let d = self.host(domain);
                format!("{u}@{d}")
            } else if let Some(ip) = caps.name("ipv4") {
                self.token("ip", ip.as_str(), |n| format!("192.0.2.{}", n % 250 + 1))
            } else if let Some(p) = caps.name("userpath") {
                let s = p.as_str();
                let (sep, name) = s.split_at(7);
                let u = self.token("user", name, |n| format!("user{n}"));
                format!("{sep}{u}")
            } else {
                let h = m.as_str();
                let last_label = h.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                // `PowerShell_transcript.<COMPUTER>.<tag>.<time>.txt`: the file name carries
                // the computer's name.
                let transcript = text[..m.start()]
                    .to_ascii_lowercase()
                    .ends_with("_transcript.");
                if transcript && let Some((computer, rest)) = h.split_once('.') {
                    let c = self.token("computer", computer, |n| format!("computer{n}"));
                    format!("{c}.{rest}")
                } else if FILE_ENDINGS.contains(&last_label.as_str())
                    || h.split('.').count() < 2
                    || is_public_service_host(h)
                {
                    h.to_string()
                } else {
                    self.host(h)
                }
            };
            out.push_str(&text[last..m.start()]);
            out.push_str(&replacement);
            last = m.end();
        }
        out.push_str(&text[last..]);
        out
    }
}

#[cfg(test)]
mod pseudonym_tests {
    use super::*;

    #[test]
    fn same_value_same_token() {
        let mut p = Pseudonymizer::default();
        let a = p.apply("sip:Kim.Akers@contoso.com via pool01.contoso.com 192.168.1.20 C:\\Users\\kim\\Tracing\\Lync-UccApi-0.UccApilog");
        assert_eq!(
            a,
            "sip:user1@host1.example via host2.example 192.0.2.2 C:\\Users\\user2\\Tracing\\Lync-UccApi-0.UccApilog"
        );
        let b = p.apply("kim.akers@CONTOSO.com and 192.168.1.20");
        assert_eq!(b, "user1@host1.example and 192.0.2.2");
        assert_eq!(
            p.apply("hr=0x80090324 at 09:14:02.117, 1.5 s"),
            "hr=0x80090324 at 09:14:02.117, 1.5 s"
        );
        // A transcript's file name carries the computer name.
        assert_eq!(
            p.apply("20261127/PowerShell_transcript.FAB-ADM-07.5be0c2a4.20261127150241.txt"),
            "20261127/PowerShell_transcript.computer1.5be0c2a4.20261127150241.txt"
        );
    }
}

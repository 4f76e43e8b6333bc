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
    Regex::new(
        r"(?im)(?-u:\b)((?:proxy-)?authorization|(?:set-)?cookie|x-ms-webticket)[ \t]*:[^\r\n]*",
    )
    .unwrap()
});

static PARAMETER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?-u:\b)(gssapi-data|rspauth|password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|id_token|webticket|signature|crand|srand|cnum|snum|opaque)([ \t]*[=:][ \t]*)("[^"\r\n]*"?|[^\s;,"]+)"#,
    )
    .unwrap()
});

/// PowerShell: `-Password x`, `-AccessToken "x"`, `ConvertTo-SecureString 'x' -AsPlainText`
/// (a transcript, or the offending line an error record repeats, may show them).
static POWERSHELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(-(?:password|pwd|secret|clientsecret|token|accesstoken|apikey)(?-u:\b)[ \t:]*|convertto-securestring[ \t]+(?:-string[ \t]+)?)("[^"\r\n]*"?|'[^'\r\n]*'?|[^\s;,()"']+)"#,
    )
    .unwrap()
});

static BEARER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(bearer|basic)[ \t]+[A-Za-z0-9+/=._~-]{8,}").unwrap()
});

/// Words one of which every secret the regexes below remove starts with or contains (ASCII
/// case-insensitive): a line without any of them holds no secret, so the regexes run only on
/// the lines that have one. Every regex matches within one line (none crosses `\r` or `\n`).
const TRIGGERS: [&str; 19] = [
    "authorization",
    "cookie",
    "webticket",
    "gssapi",
    "rspauth",
    "passw",
    "pwd",
    "secret",
    "token",
    "signature",
    "crand",
    "srand",
    "cnum",
    "snum",
    "opaque",
    "apikey",
    "securestring",
    "bearer",
    "basic",
];

static TRIGGER: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(TRIGGERS)
        .expect("literal triggers")
});

/// One line with every credential-like value replaced.
fn secrets_in_line(line: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(line);
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

/// `text` with every credential-like value replaced by [`MASK`]. A literal pass finds the lines
/// that could hold one; text without any is returned as it is, without a copy.
pub fn secrets(text: &str) -> Cow<'_, str> {
    let Some(first) = TRIGGER.find(text) else {
        return Cow::Borrowed(text);
    };
    // Lines before the first trigger are kept as they are; each later line is checked again.
    let start = text[..first.start()]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    let mut changed = false;
    for line in text[start..].split_inclusive(['\n', '\r']) {
        if TRIGGER.is_match(line) {
            let masked = secrets_in_line(line);
            changed |= matches!(masked, Cow::Owned(_));
            out.push_str(&masked);
        } else {
            out.push_str(line);
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// Fold whitespace (line breaks included) to single spaces and cut to `max` characters,
/// ending with `…` when cut.
pub fn abridge(text: &str, max: usize) -> String {
    // Most texts are short and already folded: one scan, one copy.
    let b = text.as_bytes();
    if b.len() <= max
        && b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && !b.windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
        && !b.iter().any(|&c| c.is_ascii_whitespace() && c != b' ')
        && text.is_ascii()
    {
        return text.to_string();
    }
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max {
        return folded;
    }
    let mut out: String = folded.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn only_lines_with_a_trigger_change_and_clean_text_is_not_copied() {
        let clean = "SIP/2.0 200 OK\r\nCSeq: 3 REGISTER\r\nContent-Length: 0\r\n";
        assert!(matches!(secrets(clean), Cow::Borrowed(_)));
        let msg = "REGISTER sip:contoso.com SIP/2.0\r\nFrom: <sip:kim@contoso.com>\r\nAuthorization: NTLM qop=\"auth\", gssapi-data=\"TlRMTVNTUAAD\"\r\nWWW-Authenticate: NTLM opaque=\"78D29AC8\", realm=\"SIP\"\r\nContent-Length: 0\r\n";
        let out = secrets(msg);
        assert_eq!(
            out,
            "REGISTER sip:contoso.com SIP/2.0\r\nFrom: <sip:kim@contoso.com>\r\nAuthorization: [redacted]\r\nWWW-Authenticate: NTLM opaque=[redacted], realm=\"SIP\"\r\nContent-Length: 0\r\n"
        );
        // A trigger word without a secret after it changes nothing, and the text is not copied.
        assert!(matches!(
            secrets("the token list is empty"),
            Cow::Borrowed(_)
        ));
    }
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
///
/// What counts as an identifier: e-mail and SIP addresses, host names, IPv4 and IPv6
/// addresses, MAC addresses (and longer hex-pair runs such as DHCPv6 DUIDs, which embed one),
/// GUIDs (`+sip.instance`, device and user ids), endpoint ids (`epid`), `tel:` URIs and
/// international phone numbers, `DOMAIN\user` accounts, user folders (`C:\Users\kim`), and
/// single-label machine names where a field names them (`Host Name`, `Computer`, `machine=`,
/// `<Computer>`, a transcript's `Machine:` line or file name, a MOSDAL folder's name). A user or machine name learnt
/// this way is also replaced wherever it appears later on its own.
#[derive(Debug, Default)]
pub struct Pseudonymizer {
    map: std::collections::HashMap<String, String>,
    counts: std::collections::HashMap<&'static str, usize>,
    /// User and machine names learnt from their context, replaced wherever they appear later.
    known: Vec<(String, String)>,
    known_re: Option<Regex>,
}

static IDENTIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?P<tel>\btel:\+?[0-9][0-9().-]*(?:;ext=[0-9]+)?)
        | (?P<mlabel>(?:\bmachine(?:[\ _]?name)?|\bcomputer(?:[\ _]?name)?|\bpscomputername|\bhost[\ _]?name
              |\bnom\ de\ l'h[oô]te|ホスト名|主机名|主機名稱)
            [\x22']?[\ \t.]*[:=>：][\ \t]*[\x22']?)
          (?P<machine>[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]+)*)
        | (?P<tlabel>powershell_transcript\.|\bmosdal_)(?P<tmachine>[a-z0-9][a-z0-9-]{0,14})(?P<tdot>[._])
        | (?P<email>\b[a-z0-9._%+'-]+@(?:[a-z0-9-]+\.)+[a-z]{2,}\b)
        | (?P<guid>\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)
        | (?P<epid>\bepid[=:])(?P<epidv>[a-z0-9+/_-]+=*)
        | (?P<mac>\b[0-9a-f]{2}(?:[-:][0-9a-f]{2}){5,}\b)
        | (?P<ipv4>\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b)
        | (?P<ipv6>(?:[0-9a-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{0,4})(?:%[0-9a-z]+)?)
        | (?P<phone>\+[0-9][0-9\ ().-]{5,20}[0-9])
        | (?P<userpath>(?:\\|/)users(?:\\|/)[^\\/\s]+)
        | (?P<domuser>\b[a-z][a-z0-9-]{1,14}\\[a-z0-9][a-z0-9._$-]{0,63})
        | (?P<host>\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z]\b)
        ",
    )
    .unwrap()
});

/// Built-in Windows account domains (`NT AUTHORITY\SYSTEM`, `BUILTIN\Users`, `IIS
/// APPPOOL\…`): not identifiers. Compared with the word before the backslash.
const WELL_KNOWN_DOMAINS: &[&str] = &[
    "NT",
    "BUILTIN",
    "AUTHORITY",
    "SERVICE",
    "APPPOOL",
    "WORKGROUP",
];

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

    /// A user name's pseudonym; the name is then also replaced wherever it appears alone.
    fn user(&mut self, name: &str) -> String {
        let t = self.token("user", name, |n| format!("user{n}"));
        self.learn(name, &t);
        t
    }

    /// A single-label machine name's pseudonym, learnt like a user name.
    fn machine(&mut self, name: &str) -> String {
        let t = self.token("machine", name, |n| format!("machine{n}"));
        self.learn(name, &t);
        t
    }

    fn learn(&mut self, name: &str, token: &str) {
        // Short names are ordinary words too often (`kim`, `pc`); they are only replaced in
        // context.
        if name.chars().count() < 4 || self.known.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
        {
            return;
        }
        self.known.push((name.to_string(), token.to_string()));
        // Longest first, so that `kim.akers` wins over `kim.a`.
        self.known
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let alternatives: Vec<String> = self.known.iter().map(|(k, _)| regex::escape(k)).collect();
        self.known_re = Regex::new(&format!(r"(?i)\b(?:{})\b", alternatives.join("|"))).ok();
    }

    /// Names learnt earlier, replaced where they stand alone (not inside a longer name).
    fn known_names(&self, text: &str) -> String {
        let Some(re) = &self.known_re else {
            return text.to_string();
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in re.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            let mut rest = text[m.end()..].chars();
            let after = rest.next();
            // Not part of a longer name, address or host (`login` in `login.contoso.com`).
            let dotted = after == Some('.') && rest.next().is_some_and(char::is_alphanumeric);
            if before.is_some_and(|c| matches!(c, '-' | '_' | '.' | '@'))
                || after.is_some_and(|c| matches!(c, '-' | '_' | '@'))
                || dotted
            {
                continue;
            }
            let Some((_, token)) = self
                .known
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(m.as_str()))
            else {
                continue;
            };
            out.push_str(&text[last..m.start()]);
            out.push_str(token);
            last = m.end();
        }
        out.push_str(&text[last..]);
        out
    }

    fn phone(&mut self, number: &str) -> String {
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        self.token("phone", &digits, |n| format!("+1555010{n:04}"))
    }

    /// The replacement for one identifier match, or `None` when the match is not one after
    /// all (a time that looks like an IPv6 address, a path that looks like `DOMAIN\user`).
    fn replace(&mut self, text: &str, caps: &regex::Captures<'_>) -> Option<String> {
        let m = caps.get(0).expect("whole match");
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if let Some(t) = caps.name("tel") {
            let number = t.as_str()["tel:".len()..]
                .split(";ext=")
                .next()
                .unwrap_or_default();
            return Some(format!("tel:{}", self.phone(number)));
        }
        if let Some(v) = caps.name("machine") {
            let label = &caps["mlabel"];
            let v = v.as_str();
            let replaced = if v.contains('.') {
                let last_label = v.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                if FILE_ENDINGS.contains(&last_label.as_str()) || is_public_service_host(v) {
                    return None;
                }
                if !v.chars().any(|c| c.is_ascii_alphabetic()) {
                    return None;
                }
                self.host(v)
            } else {
                // A number or a word like `clock` after `computer:` is no machine name; a
                // NetBIOS name has a letter and is short.
                if !v.chars().any(|c| c.is_ascii_alphabetic()) || v.len() > 15 {
                    return None;
                }
                self.machine(v)
            };
            return Some(format!("{label}{replaced}"));
        }
        if let Some(v) = caps.name("tmachine") {
            let t = self.machine(v.as_str());
            return Some(format!("{}{t}{}", &caps["tlabel"], &caps["tdot"]));
        }
        if let Some(e) = caps.name("email") {
            let (user, domain) = e.as_str().split_once('@').expect("an @");
            if let Some(number) = user.strip_prefix('+') {
                // `sip:+14255550100@contoso.com;user=phone`
                let p = self.phone(number);
                let d = self.host(domain);
                return Some(format!("{p}@{d}"));
            }
            let u = self.user(user);
            let d = self.host(domain);
            return Some(format!("{u}@{d}"));
        }
        if let Some(g) = caps.name("guid") {
            return Some(self.token("guid", g.as_str(), |n| {
                format!("00000000-0000-4000-8000-{n:012}")
            }));
        }
        if let Some(v) = caps.name("epidv") {
            let t = self.token("epid", v.as_str(), |n| format!("epid{n}"));
            return Some(format!("{}{t}", &caps["epid"]));
        }
        if let Some(mac) = caps.name("mac") {
            return Some(self.token("mac", mac.as_str(), |n| {
                format!("00-00-5E-00-53-{:02X}", n % 256)
            }));
        }
        if let Some(ip) = caps.name("ipv4") {
            return Some(self.token("ip", ip.as_str(), |n| format!("192.0.2.{}", n % 250 + 1)));
        }
        if let Some(ip) = caps.name("ipv6") {
            let s = ip.as_str();
            let addr = s.split('%').next().unwrap_or(s);
            let groups = addr.split(':').filter(|g| !g.is_empty()).count();
            let parsed: Option<std::net::Ipv6Addr> = addr.parse().ok();
            let glued =
                |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
            return match parsed {
                Some(a)
                    if (groups >= 3 || addr.contains('.'))
                        && !a.is_loopback()
                        && !a.is_unspecified()
                        && !glued(before)
                        && !glued(after) =>
                {
                    Some(self.token("ipv6", addr, |n| format!("2001:db8::{n:x}")))
                }
                _ => None,
            };
        }
        if let Some(p) = caps.name("phone") {
            let digits = p.as_str().chars().filter(char::is_ascii_digit).count();
            if digits < 8 || before.is_some_and(|c| c.is_alphanumeric()) {
                return None;
            }
            return Some(self.phone(p.as_str()));
        }
        if let Some(p) = caps.name("userpath") {
            let s = p.as_str();
            let (sep, name) = s.split_at(7);
            let u = self.user(name);
            return Some(format!("{sep}{u}"));
        }
        if let Some(d) = caps.name("domuser") {
            let (domain, user) = d.as_str().split_once('\\').expect("a backslash");
            // A NetBIOS domain is written in capitals; anything else is a path
            // (`Program Files\Skype`). Inside a longer path it is a path too.
            let in_path = before.is_some_and(|c| matches!(c, '\\' | '/' | ':' | '.'))
                || after.is_some_and(|c| matches!(c, '\\' | '/'));
            let capitals = domain
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            let last_label = user.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            if in_path
                || !capitals
                || WELL_KNOWN_DOMAINS.contains(&domain)
                || (user.contains('.') && FILE_ENDINGS.contains(&last_label.as_str()))
            {
                return None;
            }
            let dom = self.token("domain", domain, |n| format!("DOMAIN{n}"));
            let u = self.user(user);
            return Some(format!("{dom}\\{u}"));
        }
        let h = m.as_str();
        let last_label = h.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if FILE_ENDINGS.contains(&last_label.as_str())
            || h.split('.').count() < 2
            || is_public_service_host(h)
        {
            None
        } else {
            Some(self.host(h))
        }
    }

    /// `text` with every identifier (see [`Pseudonymizer`]) replaced by its pseudonym.
    pub fn apply(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let mut at = 0;
        while let Some(caps) = IDENTIFIER.captures_at(text, at) {
            let m = caps.get(0).expect("whole match");
            match self.replace(text, &caps) {
                Some(replacement) => {
                    out.push_str(&text[last..m.start()]);
                    out.push_str(&replacement);
                    last = m.end();
                    at = m.end().max(m.start() + 1);
                }
                // Not an identifier after all: look again from the next character, so that
                // one inside it (a machine name inside a path) is still found.
                None => at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8),
            }
            if at >= text.len() {
                break;
            }
        }
        out.push_str(&text[last..]);
        self.known_names(&out)
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
            "20261127/PowerShell_transcript.machine1.5be0c2a4.20261127150241.txt"
        );
    }

    #[test]
    fn hides_accounts_machines_devices_and_numbers() {
        let mut p = Pseudonymizer::default();
        let cases = [
            ("Username: LITWARE\\it.ops", "LITWARE", "it.ops"),
            ("RunAs User: WINGTIP\\renee.c", "WINGTIP", "renee.c"),
            (
                "   Host Name . . . . . . . . . . . . : KIMA-PC",
                "KIMA-PC",
                "",
            ),
            (
                "COSInfo::Log - Windows 10.0.19045 x64, locale=1033, machine=TST-PIETER",
                "TST-PIETER",
                "",
            ),
            ("<Computer>WS-0417</Computer>", "WS-0417", ""),
            ("\"MachineName\": \"WS-0418\",", "WS-0418", ""),
            (
                "Machine: LIT-MGMT-01 (Microsoft Windows NT 10.0.19045.0)",
                "LIT-MGMT-01",
                "",
            ),
            (
                "C:\\Users\\x\\Documents\\PowerShell_transcript.WTT-ADM.113a.20261117163821.txt",
                "WTT-ADM",
                "",
            ),
            (
                "Computer: FC-PAR-0112.fourthcoffee.com",
                "FC-PAR-0112",
                "fourthcoffee",
            ),
            (
                "Link-local IPv6 Address . . : fe80::8d4c:2b1e:77a0:c3f1%12(Preferred)",
                "8d4c:2b1e",
                "",
            ),
            (
                "gateway ::ffff:10.1.2.3 and 2001:4898:80e8:ed31::2",
                "10.1.2.3",
                "4898:80e8",
            ),
            (
                "Physical Address. . . : 54-E1-AD-3F-9C-21",
                "54-E1-AD-3F-9C-21",
                "",
            ),
            (
                "DHCPv6 Client DUID. . : 00-01-00-01-2A-6B-11-F0-54-E1-AD-3F-9C-21",
                "AD-3F-9C",
                "",
            ),
            (
                "+sip.instance=\"<urn:uuid:de963a8c-c7d2-4d0e-a3b0-bb0841d5824c>\"",
                "de963a8c",
                "bb0841d5824c",
            ),
            (
                "GRUU sip:a@b.example;opaque=user:epid:jYqvqZugF6aANFoZCuRy5Q;gruu",
                "jYqvqZugF6aANFoZCuRy5Q",
                "",
            ),
            (
                "From: <sip:kim@contoso.com>;tag=1;epid=4c4a9f3b2e",
                "4c4a9f3b2e",
                "",
            ),
            (
                "P-Asserted-Identity: <tel:+14255550123;ext=4411>",
                "4255550123",
                "4411",
            ),
            (
                "LineURI +1 (425) 555-0199 and sip:+14255550100@contoso.com;user=phone",
                "555-0199",
                "4255550100",
            ),
        ];
        for (text, gone, gone_too) in cases {
            let r = p.apply(text);
            assert!(!r.contains(gone), "{text} -> {r}");
            assert!(
                gone_too.is_empty() || !r.contains(gone_too),
                "{text} -> {r}"
            );
        }
        // Learnt names are replaced where they appear later on their own.
        let r = p.apply("logged on to TST-PIETER as it.ops");
        assert!(!r.contains("TST-PIETER") && !r.contains("it.ops"), "{r}");
        // Not identifiers: times, code paths, program folders, built-in accounts.
        for keep in [
            "11/03/2026|09:14:02.573 2F4C:2AD0 TRACE :: CUccServerEndpoint::OnRegisterComplete - hr=0x80090324",
            "C:\\Program Files\\Skype for Business Online\\Modules",
            "NT AUTHORITY\\SYSTEM and BUILTIN\\Administrators",
            "your computer clock is not set correctly",
            "2026-11-03T09:14:02.573+01:00 offset +01:00",
            "::1 and ::",
        ] {
            assert_eq!(p.apply(keep), keep);
        }
    }
}

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

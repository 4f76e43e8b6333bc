//! SIP messages as they appear in client traces and event text.
//!
//! This module owns the parsing of one SIP message (start line, headers, body) and of the
//! Microsoft diagnostic headers (`ms-diagnostics`, `ms-diagnostics-public`,
//! `ms-client-diagnostics`). It borrows from the caller's text and never fails: a line it does
//! not understand is kept as text (a start line that is not SIP makes [`SipMessage::parse`]
//! return `None`; a malformed header line is folded into the previous header or dropped into
//! [`SipMessage::stray_lines`]). Header names compare case-insensitively and accept the
//! compact forms of RFC 3261 (`i`, `f`, `t`, `v`, `m`, `l`, `c`, `k`).

use chrono::{DateTime, Utc};
use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while, take_while1},
    character::complete::{char, digit1, space0},
    combinator::{map_res, opt},
    sequence::preceded,
};

pub use crate::model::Direction;

/// The first line of a SIP message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartLine<'a> {
    Request { method: &'a str, uri: &'a str },
    Response { status: u16, reason: &'a str },
}

impl StartLine<'_> {
    /// What a ladder or a message list shows for it: the method of a request, the status and
    /// reason of a response.
    pub fn label(&self) -> String {
        match self {
            StartLine::Request { method, .. } => method.to_string(),
            StartLine::Response { status, reason } => format!("{status} {reason}"),
        }
    }
}

/// One header line; `name` is as written, compare with [`Header::is`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

impl Header<'_> {
    /// True when this header's name is `name` (case-insensitive, compact forms accepted).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name) || compact_form(name).is_some_and(|c| self.name == c)
    }
}

fn compact_form(name: &str) -> Option<&'static str> {
    const FORMS: [(&str, &str); 8] = [
        ("call-id", "i"),
        ("from", "f"),
        ("to", "t"),
        ("via", "v"),
        ("contact", "m"),
        ("content-length", "l"),
        ("content-type", "c"),
        ("supported", "k"),
    ];
    FORMS
        .iter()
        .find(|(long, _)| long.eq_ignore_ascii_case(name))
        .map(|(_, short)| *short)
}

/// A parsed SIP message borrowing from the log text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipMessage<'a> {
    pub start: StartLine<'a>,
    pub headers: Vec<Header<'a>>,
    pub body: &'a str,
    /// Lines in the header block that were neither a header nor a folded continuation.
    pub stray_lines: usize,
}

/// Which diagnostic header a [`MsDiagnostic`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticHeader {
    MsDiagnostics,
    MsDiagnosticsPublic,
    MsClientDiagnostics,
    /// A diagnostic whose header name was not logged: Lync event 11 writes `(null):` for it
    /// (formats.md §5.1). [`DiagnosticHeader::from_name`] never returns it.
    Unnamed,
}

impl DiagnosticHeader {
    pub fn from_name(name: &str) -> Option<Self> {
        if name.eq_ignore_ascii_case("ms-diagnostics") {
            Some(Self::MsDiagnostics)
        } else if name.eq_ignore_ascii_case("ms-diagnostics-public") {
            Some(Self::MsDiagnosticsPublic)
        } else if name.eq_ignore_ascii_case("ms-client-diagnostics") {
            Some(Self::MsClientDiagnostics)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MsDiagnostics => "ms-diagnostics",
            Self::MsDiagnosticsPublic => "ms-diagnostics-public",
            Self::MsClientDiagnostics => "ms-client-diagnostics",
            Self::Unnamed => "(null)",
        }
    }
}

/// `ms-diagnostics: <code>[.<sub>];reason="…";source="…";<attr>="…"` split into parts.
/// Attributes may come in any order, with or without quotes and spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsDiagnostic<'a> {
    pub header: DiagnosticHeader,
    pub code: u32,
    pub sub_code: Option<u32>,
    pub reason: Option<&'a str>,
    pub source: Option<&'a str>,
    /// Every other `key=value` attribute, in the order written.
    pub attributes: Vec<(&'a str, &'a str)>,
}

impl<'a> MsDiagnostic<'a> {
    /// Parse the value of a diagnostic header. `None` when it does not start with a code.
    pub fn parse(header: DiagnosticHeader, value: &'a str) -> Option<Self> {
        let (rest, (code, sub_code)) = diag_code(value).ok()?;
        let mut diag = MsDiagnostic {
            header,
            code,
            sub_code,
            reason: None,
            source: None,
            attributes: Vec::new(),
        };
        for (key, val) in params(rest) {
            if key.eq_ignore_ascii_case("reason") && diag.reason.is_none() {
                diag.reason = Some(val);
            } else if key.eq_ignore_ascii_case("source") && diag.source.is_none() {
                diag.source = Some(val);
            } else {
                diag.attributes.push((key, val));
            }
        }
        Some(diag)
    }
}

fn diag_code(input: &str) -> IResult<&str, (u32, Option<u32>)> {
    let number = |i| map_res(digit1, str::parse::<u32>).parse(i);
    let (rest, _) = space0(input)?;
    (number, opt(preceded(char('.'), number))).parse(rest)
}

/// Iterate `;key=value` (or `,key=value`) parameters, values optionally quoted (a quoted value
/// may contain `;`). Typographic quotes (U+201D) seen in published copies are accepted too.
pub fn params(input: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = input;
    std::iter::from_fn(move || {
        loop {
            rest = rest.trim_start_matches([';', ',', ' ', '\t']);
            if rest.is_empty() {
                return None;
            }
            match param(rest) {
                Ok((after, kv)) => {
                    rest = after;
                    return Some(kv);
                }
                Err(_) => {
                    // Skip one unreadable token and go on.
                    let skip = rest.find([';', ',']).map_or(rest.len(), |i| i + 1);
                    rest = &rest[skip..];
                }
            }
        }
    })
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '!' | '%' | '*' | '~' | '\'')
}

fn param(input: &str) -> IResult<&str, (&str, &str)> {
    let (rest, key) = take_while1(is_token_char)(input)?;
    let (rest, _) = (space0, char('='), space0).parse(rest)?;
    let (rest, value) = alt((
        quoted('"', '"'),
        quoted('\u{201D}', '\u{201D}'),
        quoted('\u{201C}', '\u{201D}'),
        bare,
    ))
    .parse(rest)?;
    Ok((rest, (key, value)))
}

fn quoted(open: char, close: char) -> impl Fn(&str) -> IResult<&str, &str> {
    move |input| {
        let (rest, _) = char(open)(input)?;
        match rest.find(close) {
            Some(end) => Ok((&rest[end + close.len_utf8()..], &rest[..end])),
            // An unterminated quote runs to the end of the value.
            None => Ok(("", rest)),
        }
    }
}

fn bare(input: &str) -> IResult<&str, &str> {
    let (rest, v) = take_while(|c| c != ';' && c != ',')(input)?;
    Ok((rest, v.trim_end()))
}

fn is_method_char(c: char) -> bool {
    c.is_ascii_uppercase() || c == '-'
}

/// Parse a SIP start line: `METHOD uri SIP/2.0` or `SIP/2.0 <status> <reason>`.
pub fn start_line(line: &str) -> Option<StartLine<'_>> {
    let line = line.trim_end_matches(['\r', '\n', ' ']);
    let response = |i| -> IResult<&str, StartLine<'_>> {
        let (rest, _) = (tag("SIP/2.0"), char(' ')).parse(i)?;
        let (rest, status) = map_res(digit1, str::parse::<u16>).parse(rest)?;
        let reason = rest.trim_start();
        Ok(("", StartLine::Response { status, reason }))
    };
    let request = |i| -> IResult<&str, StartLine<'_>> {
        let (rest, method) = take_while1(is_method_char)(i)?;
        let (rest, _) = char(' ')(rest)?;
        let (rest, uri) = take_while1(|c| c != ' ')(rest)?;
        let (rest, _) = (char(' '), tag("SIP/2.0")).parse(rest)?;
        Ok((rest, StartLine::Request { method, uri }))
    };
    match alt((response, request)).parse(line) {
        Ok((_, start)) => {
            if let StartLine::Response { status, .. } = start
                && !(100..=699).contains(&status)
            {
                return None;
            }
            Some(start)
        }
        Err(_) => None,
    }
}

impl<'a> SipMessage<'a> {
    /// Parse a message whose start line is `first` and whose header lines and body follow in
    /// `rest` (lines separated by LF or CRLF; a blank line ends the headers).
    pub fn parse(first: &'a str, rest: &'a str) -> Option<Self> {
        let start = start_line(first)?;
        let mut headers: Vec<Header<'a>> = Vec::new();
        let mut stray_lines = 0;
        let mut body = "";
        let mut pos = 0;
        while pos < rest.len() {
            let end = rest[pos..].find('\n').map_or(rest.len(), |i| pos + i + 1);
            let raw = &rest[pos..end];
            let line = raw.trim_end_matches(['\r', '\n']);
            pos = end;
            if line.trim().is_empty() {
                // Blank line: the body follows (published copies sometimes indent every
                // header; a blank line still ends the block).
                body = &rest[pos..];
                break;
            }
            let trimmed = line.trim_start();
            let indented = trimmed.len() != line.len();
            match header_line(trimmed) {
                Some(h) => headers.push(h),
                None if indented && !headers.is_empty() => {
                    // A folded continuation: keep the first header's value as written; the
                    // continuation is not joined (values stay borrowed).
                }
                None => stray_lines += 1,
            }
        }
        Some(SipMessage {
            start,
            headers,
            body,
            stray_lines,
        })
    }

    /// The first header with this name.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.iter().find(|h| h.is(name)).map(|h| h.value)
    }

    /// Every header with this name, in order.
    pub fn headers_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'a str> + 's {
        self.headers
            .iter()
            .filter(move |h| h.is(name))
            .map(|h| h.value)
    }

    pub fn is_request(&self) -> bool {
        matches!(self.start, StartLine::Request { .. })
    }

    pub fn status(&self) -> Option<u16> {
        match self.start {
            StartLine::Response { status, .. } => Some(status),
            StartLine::Request { .. } => None,
        }
    }

    pub fn call_id(&self) -> Option<&'a str> {
        self.header("Call-ID").map(str::trim)
    }

    /// `CSeq: <number> <method>`.
    pub fn cseq(&self) -> Option<(u32, &'a str)> {
        let v = self.header("CSeq")?.trim();
        let (n, m) = v.split_once(char::is_whitespace)?;
        Some((n.parse().ok()?, m.trim()))
    }

    /// The method of the request, or for a response the method named by its CSeq.
    pub fn method(&self) -> Option<&'a str> {
        match self.start {
            StartLine::Request { method, .. } => Some(method),
            StartLine::Response { .. } => self.cseq().map(|(_, m)| m),
        }
    }

    pub fn from_uri(&self) -> Option<&'a str> {
        self.header("From").and_then(name_addr_uri)
    }

    pub fn to_uri(&self) -> Option<&'a str> {
        self.header("To").and_then(name_addr_uri)
    }

    /// The `Date:` header as UTC (RFC 1123 form, `GMT`).
    pub fn date(&self) -> Option<DateTime<Utc>> {
        let v = self.header("Date")?.trim();
        DateTime::parse_from_rfc2822(v)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }

    /// `User-Agent` for requests from the client, `Server` for responses from a server.
    pub fn agent(&self) -> Option<&'a str> {
        self.header("User-Agent")
            .or_else(|| self.header("Server"))
            .map(str::trim)
    }

    /// Authentication schemes offered in `WWW-Authenticate` headers (`NTLM`, `Kerberos`,
    /// `TLS-DSK` …), in order, without repeats.
    pub fn auth_schemes(&self) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        for v in self.headers_named("WWW-Authenticate") {
            let scheme = v
                .trim_start()
                .split(|c: char| c.is_whitespace() || c == ',')
                .next()
                .unwrap_or("");
            if !scheme.is_empty() && !out.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
                out.push(scheme);
            }
        }
        out
    }

    /// Every ms-diagnostics, ms-diagnostics-public and ms-client-diagnostics header, parsed.
    pub fn diagnostics(&self) -> Vec<MsDiagnostic<'a>> {
        self.headers
            .iter()
            .filter_map(|h| MsDiagnostic::parse(DiagnosticHeader::from_name(h.name)?, h.value))
            .collect()
    }
}

/// The URI inside `"Name" <sip:x@y>;tag=…` or a bare `sip:x@y;tag=…`.
pub fn name_addr_uri(value: &str) -> Option<&str> {
    if let Some(open) = value.find('<') {
        let close = value[open..].find('>')? + open;
        return Some(&value[open + 1..close]);
    }
    let v = value.trim();
    let end = v.find(';').unwrap_or(v.len());
    let uri = v[..end].trim();
    (!uri.is_empty()).then_some(uri)
}

/// `Name: value` where Name is a token. Returns `None` for anything else.
pub fn header_line(line: &str) -> Option<Header<'_>> {
    let colon = line.find(':')?;
    let name = line[..colon].trim_end();
    if name.is_empty() || !name.chars().all(is_token_char) {
        return None;
    }
    Some(Header {
        name,
        value: line[colon + 1..].trim(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHALLENGE: &str = "SIP/2.0 401 Unauthorized\r\nDate: Thu, 01 Dec 2016 08:21:44 GMT\r\nWWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"LYNC2013-SERVER.lync.loc\", version=4\r\nWWW-Authenticate: Kerberos realm=\"SIP Communications Service\", targetname=\"sip/LYNC2013-SERVER.lync.loc\", version=4\r\nwww-authenticate: TLS-DSK realm=\"SIP Communications Service\", targetname=\"LYNC2013-SERVER.lync.loc\", version=4, sts-uri=\"https://LYNC2013-SERVER.lync.loc:443/CertProv/CertProvisioningService.svc\"\r\nFrom: <sip:test2@192.168.74.12>;tag=11B70D02F6AF81E4624E69B7DA7B7486\r\nTo: <sip:test2@192.168.74.12>;tag=AC5312E6748A51BA96E6D129AB85A765\r\nCall-ID: 9DF4125236B37C8903C1465C929EA313\r\nCSeq: 1 REGISTER\r\nServer: RTC/5.0\r\nContent-Length: 0\r\n\r\n";

    fn split(msg: &str) -> (&str, &str) {
        let i = msg.find('\n').unwrap();
        (&msg[..i], &msg[i + 1..])
    }

    #[test]
    fn parses_a_real_401_challenge() {
        let (first, rest) = split(CHALLENGE);
        let m = SipMessage::parse(first, rest).unwrap();
        assert_eq!(m.status(), Some(401));
        assert_eq!(m.method(), Some("REGISTER"));
        assert_eq!(m.cseq(), Some((1, "REGISTER")));
        assert_eq!(m.call_id(), Some("9DF4125236B37C8903C1465C929EA313"));
        assert_eq!(m.from_uri(), Some("sip:test2@192.168.74.12"));
        assert_eq!(m.agent(), Some("RTC/5.0"));
        assert_eq!(m.auth_schemes(), vec!["NTLM", "Kerberos", "TLS-DSK"]);
        assert_eq!(m.headers_named("www-authenticate").count(), 3);
        assert_eq!(m.date().unwrap().to_rfc3339(), "2016-12-01T08:21:44+00:00");
        assert_eq!(m.stray_lines, 0);
        assert_eq!(m.body, "");
    }

    #[test]
    fn diagnostics_in_any_order_with_extra_attributes() {
        let d = MsDiagnostic::parse(
            DiagnosticHeader::MsDiagnostics,
            " 13004;reason=\"Request was proxied; to endpoints\";source=\"LASSKYPE01.Contoso.CORP\";Count=\"1\";appName=\"InboundRouting\"",
        )
        .unwrap();
        assert_eq!(d.code, 13004);
        assert_eq!(d.sub_code, None);
        assert_eq!(d.reason, Some("Request was proxied; to endpoints"));
        assert_eq!(d.source, Some("LASSKYPE01.Contoso.CORP"));
        assert_eq!(
            d.attributes,
            vec![("Count", "1"), ("appName", "InboundRouting")]
        );

        let d = MsDiagnostic::parse(
            DiagnosticHeader::MsClientDiagnostics,
            "51004; reason=\"Action initiated by user\";OriginalPresenceState=\"3000\"",
        )
        .unwrap();
        assert_eq!(
            (d.code, d.reason),
            (51004, Some("Action initiated by user"))
        );

        let d = MsDiagnostic::parse(DiagnosticHeader::MsDiagnostics, "1047.2;source=edge.contoso.com;reason=\"Failed\";WinsockFailureCode=\"10054(WSAECONNRESET)\"").unwrap();
        assert_eq!((d.code, d.sub_code), (1047, Some(2)));
        assert_eq!(d.source, Some("edge.contoso.com"));
        assert_eq!(
            d.attributes,
            vec![("WinsockFailureCode", "10054(WSAECONNRESET)")]
        );
    }

    #[test]
    fn diagnostics_with_typographic_quotes_and_unterminated_values() {
        let d = MsDiagnostic::parse(
            DiagnosticHeader::MsDiagnostics,
            "1027;reason=”Cannot route”;source=”nxac.pdiaz.com”",
        )
        .unwrap();
        assert_eq!(d.reason, Some("Cannot route"));
        assert_eq!(d.source, Some("nxac.pdiaz.com"));
        let d = MsDiagnostic::parse(
            DiagnosticHeader::MsDiagnostics,
            "1000;reason=\"Final handshake fa",
        )
        .unwrap();
        assert_eq!(d.reason, Some("Final handshake fa"));
    }

    #[test]
    fn malformed_diagnostics_are_rejected_or_skipped() {
        assert!(
            MsDiagnostic::parse(DiagnosticHeader::MsDiagnostics, "reason=\"no code\"").is_none()
        );
        assert!(MsDiagnostic::parse(DiagnosticHeader::MsDiagnostics, "").is_none());
        let d = MsDiagnostic::parse(
            DiagnosticHeader::MsDiagnostics,
            "4005;;garbage;=x;reason=ok",
        )
        .unwrap();
        assert_eq!(d.reason, Some("ok"));
    }

    #[test]
    fn start_lines() {
        assert_eq!(
            start_line("REGISTER sip:contoso.com SIP/2.0\r"),
            Some(StartLine::Request {
                method: "REGISTER",
                uri: "sip:contoso.com"
            })
        );
        assert_eq!(
            start_line("SIP/2.0 500 Server Internal Error"),
            Some(StartLine::Response {
                status: 500,
                reason: "Server Internal Error"
            })
        );
        assert_eq!(start_line("SIP/2.0 99 Nope"), None);
        assert_eq!(start_line("SIP/2.0 abc"), None);
        assert_eq!(start_line("Sending Packet - 10.0.0.5:443"), None);
        assert_eq!(start_line("register sip:x SIP/2.0"), None);
        assert_eq!(start_line(""), None);
    }

    #[test]
    fn indented_headers_and_stray_lines() {
        let rest = " ms-user-logon-data: RemoteUser\n Call-ID: fd8c\n CSeq: 1 INVITE\n- <Fault>\n Content-Length: 0 \n";
        let m = SipMessage::parse("SIP/2.0 500 Server Internal Error", rest).unwrap();
        assert_eq!(m.call_id(), Some("fd8c"));
        assert_eq!(m.method(), Some("INVITE"));
        assert_eq!(m.stray_lines, 1);
        assert_eq!(m.header("content-length"), Some("0"));
    }

    #[test]
    fn compact_header_names() {
        let m = SipMessage::parse(
            "BYE sip:a@b SIP/2.0",
            "i: abc\nf: <sip:x@y>;tag=1\nt: sip:z@y\n",
        )
        .unwrap();
        assert_eq!(m.call_id(), Some("abc"));
        assert_eq!(m.from_uri(), Some("sip:x@y"));
        assert_eq!(m.to_uri(), Some("sip:z@y"));
    }

    #[test]
    fn bad_dates_and_cseq_are_none() {
        let m = SipMessage::parse("SIP/2.0 200 OK", "Date: yesterday\nCSeq: x REGISTER\n").unwrap();
        assert_eq!(m.date(), None);
        assert_eq!(m.cseq(), None);
        assert_eq!(m.method(), None);
    }
}

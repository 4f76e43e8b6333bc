//! One Windows event, whatever export it came from.
//!
//! This module owns [`WinEvent`], the single model that `.evtx` records ([`super::evtx`]) and
//! Event Viewer "Save as XML" exports ([`super::eventxml`]) are turned into: provider, event
//! ID (+ qualifiers), numeric level (+ localized level name), UTC time, channel, computer,
//! record ID, the EventData (or UserData) values as ordered `(name, value)` pairs, and the
//! rendered message when the export carries one. It also owns what sfbtriage reads out of the
//! Lync / Communicator client's own events: for event 11 ("A SIP request made by Lync failed in
//! an unexpected manner"), the SIP status lines and ms-diagnostics headers of its "Response
//! Data" section, parsed with [`MsDiagnostic::parse`] and kept, owned, on the event.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::sip::{self, DiagnosticHeader, MsDiagnostic};

/// Provider (or classic event source) names the Lync / Skype for Business / Communicator
/// client writes its Application-log events under (formats.md §5.1).
pub const LYNC_PROVIDERS: [&str; 5] = [
    "Lync",
    "Microsoft Lync",
    "Communicator",
    "Microsoft Office Communicator",
    "Skype for Business",
];

/// True when `provider` is one of [`LYNC_PROVIDERS`] (case-insensitive).
pub fn is_lync_provider(provider: &str) -> bool {
    LYNC_PROVIDERS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(provider.trim()))
}

/// One Windows event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WinEvent {
    /// `System/Provider/@Name` (the classic event source for classic providers).
    pub provider: String,
    /// `System/EventID` (the low 16 bits for classic events; see [`Self::qualifiers`]).
    pub event_id: u32,
    /// `System/EventID/@Qualifiers` (classic providers only).
    pub qualifiers: Option<u32>,
    /// `System/Level`: 1 Critical, 2 Error, 3 Warning, 4 Information, 5 Verbose, 0 LogAlways.
    pub level: u8,
    /// `RenderingInfo/Level`, the level as the exporting machine named it (localized).
    pub level_name: Option<String>,
    /// `System/TimeCreated/@SystemTime`, always UTC. `None` when the export wrote only the
    /// exporting machine's wall-clock time (see [`Self::local_time`]).
    pub time: Option<DateTime<Utc>>,
    /// The event's time as a text export wrote it, in the exporting machine's local time with
    /// no zone (Event Viewer CSV / text, "Copy details as text", older `wevtutil`, culture-
    /// formatted PowerShell dates). Only set when [`Self::time`] is `None`.
    pub local_time: Option<NaiveDateTime>,
    /// `System/Channel` (the log name: `Application`, `System` …).
    pub channel: String,
    /// `System/Computer`.
    pub computer: String,
    /// `System/EventRecordID`.
    pub record_id: Option<u64>,
    /// `EventData/Data` (or the leaf elements of `UserData`) in document order; a `<Data>`
    /// without a `Name` attribute gets its position as name: `%1`, `%2` … (the insertion-string
    /// numbering of the provider's message template).
    pub data: Vec<(String, String)>,
    /// `RenderingInfo/Message`: only Event Viewer XML (and text) exports carry it; an `.evtx`
    /// holds insertion strings only.
    pub message: Option<String>,
    /// For Lync / Communicator event 11: the diagnostics of its "Response Data" section.
    pub diagnostics: Vec<EventDiagnostic>,
}

/// An ms-diagnostics header found in an event's text, owned, with the SIP status line it
/// followed (`101  Progress Report` → 101; `0  (null)` → 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDiagnostic {
    pub status: Option<u16>,
    pub header: DiagnosticHeader,
    pub code: u32,
    pub sub_code: Option<u32>,
    pub reason: Option<String>,
    pub source: Option<String>,
}

impl EventDiagnostic {
    fn from_parsed(status: Option<u16>, d: &MsDiagnostic<'_>) -> Self {
        EventDiagnostic {
            status,
            header: d.header,
            code: d.code,
            sub_code: d.sub_code,
            reason: d.reason.map(str::to_string),
            source: d.source.map(str::to_string),
        }
    }
}

/// English name of a numeric level.
pub fn level_word(level: u8) -> &'static str {
    match level {
        0 => "LogAlways",
        1 => "Critical",
        2 => "Error",
        3 => "Warning",
        4 => "Information",
        5 => "Verbose",
        _ => "Level",
    }
}

impl WinEvent {
    /// The change of the system clock the event reports, in seconds (new − old), when it is
    /// a time-change event: `NewTime` / `OldTime` in its EventData (Kernel-General 1 in an
    /// `.evtx` or XML export), else the first two ISO 8601 times of its message ("The system
    /// time has changed to ‎2026‎-‎11‎-‎03T09:20:00.5Z from ‎2026‎-‎11‎-‎03T08:50:00.0Z.";
    /// the left-to-right marks Windows puts inside the dates are ignored).
    pub fn clock_change_seconds(&self) -> Option<f64> {
        let get = |name: &str| {
            self.data
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .and_then(|(_, v)| iso_time(v))
        };
        if let (Some(new), Some(old)) = (get("NewTime"), get("OldTime")) {
            return Some((new - old).num_milliseconds() as f64 / 1000.0);
        }
        let message: String = self
            .message
            .as_deref()?
            .chars()
            .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}'))
            .collect();
        let times: Vec<_> = message
            .split(|c: char| c.is_whitespace() || c == '"' || c == '(' || c == ')')
            .filter_map(|w| iso_time(w.trim_end_matches(['.', ','])))
            .take(2)
            .collect();
        match times[..] {
            [new, old] => Some((new - old).num_milliseconds() as f64 / 1000.0),
            _ => None,
        }
    }

    /// The message, or when the event carries none (`.evtx`), its EventData values joined by
    /// line breaks: what `message_contains` rules and evidence read.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.message {
            Some(m) => std::borrow::Cow::Borrowed(m.as_str()),
            None => std::borrow::Cow::Owned(
                self.data
                    .iter()
                    .map(|(_, v)| v.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        }
    }

    /// True when the event's only time is local to the exporting machine (zone unknown).
    pub fn time_is_local(&self) -> bool {
        self.time.is_none() && self.local_time.is_some()
    }

    /// The value of the first EventData item named `name` (case-insensitive).
    pub fn data_value(&self, name: &str) -> Option<&str> {
        self.data
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Fill [`Self::diagnostics`] when this is a Lync / Communicator event 11. Called by the
    /// parsers once the event is complete.
    pub fn finish(&mut self) {
        if self.event_id == 11 && is_lync_provider(&self.provider) {
            let text = self.text();
            let diagnostics = response_diagnostics(&text);
            self.diagnostics = diagnostics;
        }
    }

    /// One line for evidence: `<provider> <id> <level>: <diagnostics> <message or data>`
    /// (long; [`crate::events::Evidence::new`] redacts and abridges it).
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{} {} {}:",
            self.provider,
            self.event_id,
            level_word(self.level)
        );
        // The diagnostics sit deep inside event 11's text, past what evidence keeps: put them
        // first so the evidence shows what matched.
        for d in &self.diagnostics {
            s.push(' ');
            if let Some(st) = d.status {
                s.push_str(&format!("[{st}] "));
            }
            s.push_str(d.header.as_str());
            s.push(' ');
            s.push_str(&d.code.to_string());
            if let Some(sub) = d.sub_code {
                s.push_str(&format!(".{sub}"));
            }
            if let Some(r) = &d.reason {
                s.push_str(&format!(" \"{r}\""));
            }
            s.push(';');
        }
        s.push(' ');
        s.push_str(&self.text());
        s
    }
}

/// The SIP status lines and diagnostic headers of a Lync event 11 text: the lines after
/// `Response Data:` (up to `Resolution:`), or the whole text when it has no such section (an
/// `.evtx` insertion string may hold only the technical data). The header name may be
/// `(null)` when the client did not log it (formats.md §5.1).
pub fn response_diagnostics(text: &str) -> Vec<EventDiagnostic> {
    let section = match text.find("Response Data:") {
        Some(i) => {
            let rest = &text[i + "Response Data:".len()..];
            rest.find("Resolution:").map_or(rest, |j| &rest[..j])
        }
        None => text,
    };
    let mut out = Vec::new();
    let mut status: Option<u16> = None;
    for line in section.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(st) = status_line(line) {
            status = Some(st);
            continue;
        }
        let Some(h) = sip::header_line(line).or_else(|| null_header_line(line)) else {
            continue;
        };
        let header = if h.name == "(null)" {
            DiagnosticHeader::Unnamed
        } else {
            match DiagnosticHeader::from_name(h.name) {
                Some(k) => k,
                None => continue,
            }
        };
        if let Some(d) = MsDiagnostic::parse(header, h.value) {
            out.push(EventDiagnostic::from_parsed(status, &d));
        }
    }
    out
}

/// `(null):  51004; reason=…`: `(` is not a token character, so [`sip::header_line`] refuses it.
fn null_header_line(line: &str) -> Option<sip::Header<'_>> {
    let value = line
        .strip_prefix("(null)")?
        .trim_start()
        .strip_prefix(':')?;
    Some(sip::Header {
        name: "(null)",
        value: value.trim(),
    })
}

/// `101  Progress Report`, `0  (null)`: a status code (0 when the request got no response),
/// two or more spaces, a reason phrase.
fn status_line(line: &str) -> Option<u16> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &line[digits..];
    if !rest.starts_with("  ") && !rest.starts_with('\t') {
        return None;
    }
    line[..digits].parse().ok()
}

/// An ISO 8601 time as event data writes it (`2026-11-03T09:20:00.500000000Z`, with or
/// without fraction and zone), as UTC-naive.
fn iso_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim().trim_end_matches('Z');
    if s.len() < 19 || s.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) => (m, f),
        None => (s, ""),
    };
    let base = NaiveDateTime::parse_from_str(main, "%Y-%m-%dT%H:%M:%S").ok()?;
    let digits: String = frac
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    let nanos = if digits.is_empty() {
        0
    } else {
        format!("{digits:0<9}").parse::<i64>().ok()?
    };
    Some(base + chrono::Duration::nanoseconds(nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Verbatim event-11 message from `lync_client_app_events_get-eventlog_json.txt`
    /// (JSON `\r\n` escapes expanded).
    pub const EVENT11: &str = "A SIP request made by Lync failed in an unexpected manner (status code 0). More information is contained in the following technical data:\r\n\r\n\r\n\r\nRequestUri:   sip:james.adkins@creditone.com;opaque=user:epid:FtUHhVuejVmDLF6n1yidSwAA;gruu\r\nFrom:         sip:john.battista@creditone.com;tag=9a1c015fa0\r\nTo:           sip:james.adkins@creditone.com;tag=43d0dde4b4\r\nCall-ID:      e7cd67d8808f43e6b10dbcd4cc582525\r\nContent-type: application/sdp;call-type=im\r\n\r\nv=0\r\no=- 0 0 IN IP4 192.168.17.151\r\ns=session\r\nc=IN IP4 192.168.17.151\r\nt=0 0\r\nm=message 5060 sip null\r\na=accept-types:text/plain multipart/alternative image/gif text/rtf text/html application/x-ms-ink application/ms-imdn+xml text/x-msmsgsinvite \r\n\r\n\r\nResponse Data:\r\n\r\n101  Progress Report\r\nms-diagnostics:  13004;reason=\"Request was proxied to one or more registered endpoints\";source=\"LASSKYPE01.Contoso.CORP\";Count=\"1\";appName=\"InboundRouting\"\r\n\r\n\r\n0  (null)\r\n(null):  51004; reason=\"Action initiated by user\";OriginalPresenceState=\"3000\";CurrentPresenceState=\"3000\";MeInsideUser=\"Yes\";ConversationInitiatedBy=\"6\";SourceNetwork=\"2\";RemotePartyCanDoIM=\"Yes\"\r\n\r\n\r\n\r\n\r\nResolution:\r\n\r\nIf this error continues to occur, please contact your network administrator.";

    #[test]
    fn event11_response_data_from_the_real_message() {
        let d = response_diagnostics(EVENT11);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(
            (d[0].status, d[0].header, d[0].code),
            (Some(101), DiagnosticHeader::MsDiagnostics, 13004)
        );
        assert_eq!(d[0].source.as_deref(), Some("LASSKYPE01.Contoso.CORP"));
        assert_eq!(
            (d[1].status, d[1].header, d[1].code),
            (Some(0), DiagnosticHeader::Unnamed, 51004)
        );
        assert_eq!(d[1].reason.as_deref(), Some("Action initiated by user"));
    }

    /// The same, read from the excerpt file itself when it is present: every `"Message"` of
    /// a Lync event 11 in it.
    #[test]
    fn event11_messages_of_the_real_excerpt() {
        let Some(text) =
            crate::corpus::read_to_string("excerpts/lync_client_app_events_get-eventlog_json.txt")
        else {
            return;
        };
        let messages: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("\"Message\":"))
            .filter_map(|v| serde_json::from_str::<String>(v.trim()).ok())
            .filter(|m| m.starts_with("A SIP request made by Lync"))
            .collect();
        assert_eq!(messages.len(), 1);
        let mut e = WinEvent {
            provider: "Lync".into(),
            event_id: 11,
            level: 3,
            message: Some(messages[0].clone()),
            ..WinEvent::default()
        };
        e.finish();
        let codes: Vec<_> = e.diagnostics.iter().map(|d| (d.status, d.code)).collect();
        assert_eq!(codes, [(Some(101), 13004), (Some(0), 51004)]);
        assert!(e.describe().starts_with(
            "Lync 11 Warning: [101] ms-diagnostics 13004 \"Request was proxied to one or more registered endpoints\"; [0] (null) 51004 \"Action initiated by user\"; A SIP request"
        ));
    }

    #[test]
    fn diagnostics_only_for_lync_event_11() {
        let mut e = WinEvent {
            provider: "Microsoft Office Communicator".into(),
            event_id: 11,
            message: Some(EVENT11.into()),
            ..WinEvent::default()
        };
        e.finish();
        assert_eq!(e.diagnostics.len(), 2);
        let mut other = WinEvent {
            provider: "Outlook".into(),
            ..e.clone()
        };
        other.diagnostics.clear();
        other.finish();
        assert!(other.diagnostics.is_empty());
        // Without a message, the EventData strings are read.
        let mut from_data = WinEvent {
            provider: "Lync".into(),
            event_id: 11,
            data: vec![
                ("%1".into(), "0".into()),
                (
                    "%2".into(),
                    "SIP/2.0 401\r\nms-diagnostics: 1013;reason=\"Significant time skew\"".into(),
                ),
            ],
            ..WinEvent::default()
        };
        from_data.finish();
        assert_eq!(from_data.diagnostics[0].code, 1013);
        assert!(from_data.describe().starts_with(
            "Lync 11 LogAlways: ms-diagnostics 1013 \"Significant time skew\"; 0\nSIP/2.0"
        ));
    }

    #[test]
    fn status_lines_and_providers() {
        assert_eq!(status_line("101  Progress Report"), Some(101));
        assert_eq!(status_line("0  (null)"), Some(0));
        assert_eq!(status_line("2026 is a year"), None);
        assert_eq!(status_line("v=0"), None);
        assert!(is_lync_provider("skype for business"));
        assert!(!is_lync_provider("Lync2"));
    }
}

//! Windows events as XML: Event Viewer "Save … as XML" exports and the XML of one `.evtx` record.
//!
//! This module owns the reading of `<Event xmlns='…/events/event'>` elements with quick-xml
//! into [`WinEvent`]s: the `System` fields, `EventData/Data` (named, or numbered `%1`, `%2` …
//! when unnamed), the leaf elements of `UserData`, and the localized `RenderingInfo`
//! (`Message`, `Level`). Quoting style (Event Viewer writes single quotes), namespaces and
//! indentation do not matter. An export may hold any number of events under `<Events>`, with
//! text before it (a `#` header in a saved excerpt); a malformed or cut-off event is counted as
//! an error and reading resumes at the next `<Event`, so one bad event never loses the others.

use std::ops::ControlFlow;

use chrono::{DateTime, NaiveDateTime, Utc};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use thiserror::Error;

use super::winevent::WinEvent;

/// Why one event could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EventXmlError {
    #[error("malformed XML at byte {offset}: {detail}")]
    Xml { offset: u64, detail: String },
    #[error("event at byte {offset} is cut off before </Event>")]
    Truncated { offset: u64 },
    #[error("event at byte {offset} has no numeric EventID")]
    NoEventId { offset: u64 },
    #[error("no <Event> element")]
    NoEvent,
}

/// What reading an export found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventXmlStats {
    /// Events read.
    pub events: u64,
    /// Events (or stretches of XML) that could not be read.
    pub errors: u64,
    /// The first error, for the inventory note.
    pub first_error: Option<EventXmlError>,
    /// The caller stopped the reading before the end (a time budget).
    pub stopped: bool,
}

/// True when the start of a text looks like Event Viewer XML (`<Events` or `<Event xmlns=`
/// within the first KB).
pub fn sniff(text: &str) -> bool {
    let mut end = text.len().min(1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    head.contains("<Events>") || head.contains("<Events ") || head.contains("<Event xmlns=")
}

/// Parse the one `<Event>` in `xml` (the first, if there are several).
pub fn parse_event(xml: &str) -> Result<WinEvent, EventXmlError> {
    let mut first: Option<Result<WinEvent, EventXmlError>> = None;
    scan(xml, &mut |r| {
        first = Some(r);
        ControlFlow::Break(())
    });
    first.unwrap_or(Err(EventXmlError::NoEvent))
}

/// Read every `<Event>` in an export, in document order; `each` gets the event and its
/// 1-based position among the events read.
pub fn read_events(text: &str, mut each: impl FnMut(WinEvent, u64)) -> EventXmlStats {
    read_events_until(text, |e, n| {
        each(e, n);
        ControlFlow::Continue(())
    })
}

/// [`read_events`], stopping as soon as `each` returns `Break` (then `stopped` is set).
pub fn read_events_until(
    text: &str,
    mut each: impl FnMut(WinEvent, u64) -> ControlFlow<()>,
) -> EventXmlStats {
    let mut stats = EventXmlStats::default();
    scan(text, &mut |r| match r {
        Ok(ev) => {
            stats.events += 1;
            let flow = each(ev, stats.events);
            stats.stopped = flow.is_break();
            flow
        }
        Err(e) => {
            stats.errors += 1;
            stats.first_error.get_or_insert(e);
            ControlFlow::Continue(())
        }
    });
    stats
}

/// Where inside an event the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Other,
    System,
    EventData,
    UserData,
    RenderingInfo,
}

/// The event being read.
struct Partial {
    event: WinEvent,
    start: u64,
    section: Section,
    /// Depth of the current element below `<Event>` (1 = System, EventData …).
    depth: usize,
    /// Name of the `Data` element being read (already numbered when unnamed).
    data_name: Option<String>,
    data_count: usize,
    /// Text of the current element.
    text: String,
    /// Whether the current UserData element has child elements (only leaves are kept).
    has_child: bool,
    event_id_seen: bool,
}

impl Partial {
    fn new(start: u64) -> Self {
        Partial {
            event: WinEvent::default(),
            start,
            section: Section::Other,
            depth: 0,
            data_name: None,
            data_count: 0,
            text: String::new(),
            has_child: false,
            event_id_seen: false,
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = local(e);
        self.depth += 1;
        self.text.clear();
        self.has_child = false;
        if self.depth == 1 {
            self.section = match name {
                "System" => Section::System,
                "EventData" => Section::EventData,
                "UserData" => Section::UserData,
                "RenderingInfo" => Section::RenderingInfo,
                _ => Section::Other,
            };
        }
        match (self.section, self.depth, name) {
            (Section::System, 2, "Provider") => {
                if let Some(v) = attr(e, "Name") {
                    self.event.provider = v.trim().to_string();
                }
            }
            (Section::System, 2, "EventID") => {
                self.event.qualifiers = attr(e, "Qualifiers").and_then(|q| q.trim().parse().ok());
            }
            (Section::System, 2, "TimeCreated") => {
                self.event.time = attr(e, "SystemTime").and_then(|t| parse_time(&t));
            }
            (Section::EventData, 2, "Data") => {
                self.data_count += 1;
                self.data_name = Some(match attr(e, "Name") {
                    Some(n) if !n.is_empty() => n.into_owned(),
                    _ => format!("%{}", self.data_count),
                });
            }
            _ => {}
        }
        if empty {
            self.end(name);
        }
    }

    fn end(&mut self, name: &str) {
        // `self.text` is taken only when it is kept, so its buffer is reused otherwise.
        let text = self.text.trim();
        match (self.section, self.depth, name) {
            (Section::System, 2, "EventID") => {
                if let Ok(id) = text.parse() {
                    self.event.event_id = id;
                    self.event_id_seen = true;
                }
            }
            (Section::System, 2, "Level") => self.event.level = text.parse().unwrap_or(0),
            (Section::System, 2, "EventRecordID") => self.event.record_id = text.parse().ok(),
            (Section::System, 2, "Channel") => self.event.channel = text.to_string(),
            (Section::System, 2, "Computer") => self.event.computer = text.to_string(),
            (Section::EventData, 2, "Data") => {
                if let Some(n) = self.data_name.take() {
                    self.event.data.push((n, std::mem::take(&mut self.text)));
                }
            }
            (Section::UserData, d, _) if d >= 2 && !self.has_child => {
                self.event
                    .data
                    .push((name.to_string(), std::mem::take(&mut self.text)));
            }
            (Section::RenderingInfo, 2, "Message") if !text.is_empty() => {
                self.event.message = Some(std::mem::take(&mut self.text));
            }
            (Section::RenderingInfo, 2, "Level") if !text.is_empty() => {
                self.event.level_name = Some(text.to_string());
            }
            _ => {}
        }
        self.text.clear();
        // The parent of a closed element has a child.
        self.has_child = true;
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.section = Section::Other;
        }
    }

    fn finish(mut self) -> Result<WinEvent, EventXmlError> {
        if !self.event_id_seen {
            return Err(EventXmlError::NoEventId { offset: self.start });
        }
        self.event.finish();
        Ok(self.event)
    }
}

fn local<'e>(e: &'e BytesStart<'_>) -> &'e str {
    e.local_name().into_inner()
}

fn attr<'e>(e: &'e BytesStart<'_>, name: &str) -> Option<std::borrow::Cow<'e, str>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
}

/// `2025-02-19T13:25:02.6560439Z` (any number of fraction digits), or without a zone (UTC).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

/// Offset of the next `<Event` start tag (not `<Events`) at or after `from`.
fn next_event_start(text: &str, from: usize) -> Option<usize> {
    let mut pos = from;
    // An error offset may fall inside a multi-byte character.
    while pos < text.len() && !text.is_char_boundary(pos) {
        pos += 1;
    }
    while let Some(i) = text.get(pos..)?.find("<Event") {
        let at = pos + i;
        match text.as_bytes().get(at + 6) {
            Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n') => return Some(at),
            _ => pos = at + 6,
        }
    }
    None
}

/// Read `text`, reporting each event (or error) in document order, until `report` breaks.
fn scan(text: &str, report: &mut dyn FnMut(Result<WinEvent, EventXmlError>) -> ControlFlow<()>) {
    let mut base = 0usize;
    // Bytes read again after resyncing backwards (see below).
    let mut reread = 0usize;
    'restart: loop {
        let mut reader = Reader::from_str(&text[base..]);
        // Event Viewer never writes dangling `&`, but a hand-copied excerpt may.
        reader.config_mut().allow_dangling_amp = true;
        // After a resync the reader starts inside `<Events>`; its end tag is not an error.
        reader.config_mut().allow_unmatched_ends = true;
        let mut current: Option<Partial> = None;
        loop {
            let pos = base as u64 + reader.buffer_position();
            let ev = match reader.read_event() {
                Ok(ev) => ev,
                Err(e) => {
                    let offset = base as u64 + reader.error_position();
                    if report(Err(EventXmlError::Xml {
                        offset,
                        detail: e.to_string(),
                    }))
                    .is_break()
                    {
                        return;
                    }
                    // Resume at the next event after the one that broke (or after the error).
                    // Going back re-reads text already read; that is bounded so that the
                    // whole scan reads at most about twice the text (nested, never-closed
                    // `<Event>`s would otherwise be re-read once each: quadratic).
                    let mut from = current
                        .as_ref()
                        .map_or(offset as usize, |p| p.start as usize)
                        + 1;
                    let back = (offset as usize).saturating_sub(from);
                    if reread + back > text.len() {
                        from = offset as usize + 1;
                    } else {
                        reread += back;
                    }
                    match next_event_start(text, from.max(base + 1)) {
                        Some(next) => {
                            base = next;
                            continue 'restart;
                        }
                        None => return,
                    }
                }
            };
            match ev {
                Event::Start(e) if current.is_none() && local(&e) == "Event" => {
                    current = Some(Partial::new(pos));
                }
                Event::Empty(e) if current.is_none() && local(&e) == "Event" => {
                    // `<Event/>`: nothing in it.
                    let flow = report(Err(EventXmlError::NoEventId { offset: pos }));
                    if flow.is_break() {
                        return;
                    }
                }
                Event::Start(e) => {
                    if let Some(p) = current.as_mut() {
                        p.start(&e, false);
                    }
                }
                Event::Empty(e) => {
                    if let Some(p) = current.as_mut() {
                        p.start(&e, true);
                    }
                }
                Event::End(e) => {
                    if let Some(p) = current.as_mut() {
                        if p.depth == 0 {
                            if e.local_name().into_inner() == "Event"
                                && let Some(p) = current.take()
                                && report(p.finish()).is_break()
                            {
                                return;
                            }
                        } else {
                            p.end(e.local_name().into_inner());
                        }
                    }
                }
                Event::Text(t) => {
                    if let Some(p) = current.as_mut().filter(|p| p.depth > 0) {
                        p.text.push_str(&t.xml10_content());
                    }
                }
                Event::CData(t) => {
                    if let Some(p) = current.as_mut().filter(|p| p.depth > 0) {
                        p.text.push_str(&t);
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(p) = current.as_mut().filter(|p| p.depth > 0) {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => p.text.push(c),
                            _ => match quick_xml::escape::resolve_predefined_entity(&r) {
                                Some(s) => p.text.push_str(s),
                                None => {
                                    p.text.push('&');
                                    p.text.push_str(&r);
                                    p.text.push(';');
                                }
                            },
                        }
                    }
                }
                Event::Eof => {
                    if let Some(p) = current {
                        let _ = report(Err(EventXmlError::Truncated { offset: p.start }));
                    }
                    return;
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(name: &str) -> Option<String> {
        crate::corpus::read_to_string(&format!("excerpts/{name}"))
    }

    #[test]
    fn french_save_as_xml() {
        let Some(text) = excerpt("eventviewer_saveas_xml_frFR_dns4013.xml") else {
            return;
        };
        assert!(sniff(&text));
        let mut events = Vec::new();
        let stats = read_events(&text, |e, _| events.push(e));
        assert_eq!((stats.events, stats.errors), (1, 0));
        let e = &events[0];
        assert_eq!(e.provider, "Microsoft-Windows-DNS-Server-Service");
        assert_eq!((e.event_id, e.qualifiers, e.level), (4013, None, 3));
        assert_eq!(e.level_name.as_deref(), Some("Avertissement"));
        assert_eq!(e.channel, "DNS Server");
        assert_eq!(e.computer, "SRVWIN-EKO.Ekoloclast.lan");
        assert_eq!(e.record_id, Some(183));
        assert_eq!(
            e.time.map(|t| t.to_rfc3339()),
            Some("2025-02-19T13:25:02.656043900+00:00".to_string())
        );
        assert!(e.data.is_empty());
        assert!(
            e.message
                .as_deref()
                .is_some_and(|m| m.starts_with("Le serveur DNS attend") && m.contains("n’est pas"))
        );
    }

    #[test]
    fn classic_cut_off_export_counts_one_error() {
        let Some(text) = excerpt("eventviewer_saveas_xml_classic_powershell400.xml.txt") else {
            return;
        };
        assert!(sniff(&text));
        let stats = read_events(&text, |_, _| {});
        assert_eq!((stats.events, stats.errors), (0, 1));
        assert!(matches!(
            stats.first_error,
            Some(EventXmlError::Truncated { .. })
        ));
        // The same event, closed, reads with positional data names and qualifiers.
        let start = text.find("<Events>").unwrap();
        let closed = format!("{}</Data></EventData></Event></Events>", &text[start..]);
        let e = parse_event(&closed).unwrap();
        assert_eq!(e.provider, "PowerShell");
        assert_eq!((e.event_id, e.qualifiers, e.level), (400, Some(0), 4));
        assert_eq!(e.data[0], ("%1".to_string(), "Available".to_string()));
        assert_eq!(e.data[1].0, "%2");
        assert!(e.data[2].1.contains("HostName=ConsoleHost\n"));
        assert_eq!(e.record_id, Some(18));
    }

    #[test]
    fn bad_event_does_not_lose_the_next_one() {
        let xml = "<Events><Event xmlns='x'><System><Provider Name='A'/><EventID>1</EventID></Sys></Event>\
                   <Event xmlns='x'><System><Provider Name='B'/><EventID>2</EventID></System></Event>\
                   <Event xmlns='x'><System><Provider Name='C'/></System></Event>\
                   <Event xmlns='x'><System><Provider Name='D'/><EventID>4</EventID></System><EventData><Data Name='x'>a &amp; b&#x41;</Data><Data Name='y'/></EventData><UserData><E><P1>v1</P1><P2/></E></UserData></Event></Events>";
        let mut got = Vec::new();
        let stats = read_events(xml, |e, n| got.push((n, e)));
        assert_eq!((stats.events, stats.errors), (2, 2), "{stats:?}");
        assert_eq!(got[0].1.provider, "B");
        assert_eq!(got[1].0, 2);
        assert_eq!(
            got[1].1.data,
            vec![
                ("x".to_string(), "a & bA".to_string()),
                ("y".to_string(), String::new()),
                ("P1".to_string(), "v1".to_string()),
                ("P2".to_string(), String::new()),
            ]
        );
        assert!(parse_event("no xml here").is_err());
        assert!(parse_event("<Event/>").is_err());
        assert!(!sniff("<Eventful>"));
    }

    #[test]
    fn every_prefix_and_mangling_reads_without_panic() {
        let xml = "<?xml version='1.0'?><Events><Event xmlns='x'><System><Provider Name='Lync'/><EventID Qualifiers='0'>11</EventID><Level>3</Level><TimeCreated SystemTime='2026-01-01T00:00:00Z'/></System><EventData><Data>é&amp;</Data></EventData><RenderingInfo Culture='fr-FR'><Message>Response Data:\n401  Non autorisé\nms-diagnostics: 1013;reason=\"décalage\"</Message></RenderingInfo></Event><Event xmlns='x'><System><EventID>2</EventID></System></Event></Events>";
        for (i, _) in xml.char_indices() {
            let stats = read_events(&xml[..i], |_, _| {});
            assert!(stats.events <= 2);
            // Drop one character.
            let mut cut = xml.to_string();
            cut.remove(i);
            let _ = read_events(&cut, |_, _| {});
        }
        let full = read_events(xml, |_, _| {});
        assert_eq!((full.events, full.errors), (2, 0));
        assert_eq!(next_event_start("é<Event x", 1), Some(2));
    }

    /// Never-closed nested `<Event>`s with a bad end tag at the very end: every resync
    /// used to go back to the next `<Event>` and read to the end again (quadratic: minutes
    /// for this input). Going back is now bounded by the text's length.
    #[test]
    fn resyncing_never_rereads_more_than_the_text() {
        let mut xml = String::from("<Events>");
        for _ in 0..40_000 {
            xml.push_str("<Event>");
        }
        xml.push_str("</X>");
        let start = std::time::Instant::now();
        let stats = read_events(&xml, |_, _| {});
        let took = start.elapsed();
        assert_eq!(stats.events, 0);
        assert!(stats.errors >= 1);
        assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
        // Resyncing still recovers a good event after a broken one.
        let xml = "<Events><Event><System><EventID>1</EventID></Sys></Event><Event><System><EventID>2</EventID></System></Event></Events>";
        assert_eq!(read_events(xml, |_, _| {}).events, 1);
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_time("2020-09-20T06:30:07.000000000Z").map(|t| t.to_rfc3339()),
            Some("2020-09-20T06:30:07+00:00".to_string())
        );
        assert!(parse_time("2020-09-20T06:30:07.5").is_some());
        assert!(parse_time("yesterday").is_none());
    }
}

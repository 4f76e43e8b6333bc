//! Property tests: arbitrary bytes, and arbitrary "almost valid" UccApi, SIP, ms-diagnostics
//! and event-XML text (real fragments shuffled, cut and mixed with noise), never panic in
//! detection, decoding, the parsers or the per-member analysis, and what they return stays
//! consistent with their input. Each property runs 256 cases so the suite stays fast.

use std::sync::OnceLock;

use proptest::prelude::*;
use sfbtriage::detect;
use sfbtriage::parse::eventxml;
use sfbtriage::parse::sip::{self, DiagnosticHeader, MsDiagnostic, SipMessage};
use sfbtriage::parse::uccapi::{UccApiItem, UccApiReader};
use sfbtriage::pipeline;
use sfbtriage::rules::RuleSet;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(&[]).unwrap().0)
}

/// Pieces of real UccApi logs and SIP traffic, and the separators between them.
const UCCAPI_PIECES: &[&str] = &[
    "01/15/2012|11:30:10.163 1A2C:2B3C INFO  :: ",
    "11/03/2026|09:14:02.117 2F4C:1B80 ERROR :: ",
    "13/45/2012|25:61:99.999 zz TRACE :: ",
    "01/15/2012|11:30:10.1",
    "Sending Packet - 10.0.0.5:443 (From Local Address: 192.168.1.20:51234) 1456 bytes:",
    "Data Received - 10.0.0.5:443 (To Local Address: 192.168.1.20:51234) 1024 bytes:",
    "End of Data Received - 10.0.0.5:443 1024 bytes",
    "REGISTER sip:contoso.com SIP/2.0",
    "SIP/2.0 401 Unauthorized",
    "SIP/2.0 403 Forbidden",
    "SIP/2.0 99999999999 Huge",
    "Via: SIP/2.0/TLS 192.168.1.20:51234",
    "Call-ID: abc",
    "i: compact",
    "CSeq: 1 REGISTER",
    "CSeq: 99999999999999 REGISTER",
    "Date: Thu, 01 Dec 2016 08:21:44 GMT",
    "Date: Thu, 99 Foo 2016 99:99:99 GMT",
    "From: <sip:kim@contoso.com>;tag=1",
    "To: \"Kim\" <sip:kim@contoso.com",
    "WWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"x\"",
    "ms-diagnostics: 1000;reason=\"Final handshake failed\";source=\"pool.contoso.com\"",
    "ms-diagnostics: 4005;reason=\"Destination URI either not enabled for SIP or does not exist\"",
    "ms-diagnostics: 1013;reason=\"",
    "ms-diagnostics: ;;;=\"",
    "ms-client-diagnostics: 51004; reason=\u{201d}x\u{201d}",
    "CUccServerEndpoint::OnRegisterComplete hr=0x8009030C",
    "SEC_E_TIME_SKEW",
    "  folded continuation",
    "\u{feff}",
    "\u{0}",
    "é日本",
    "",
    " ",
    ":",
    "|",
];

const SEPARATORS: &[&str] = &["", "\n", "\r\n", "\r", " ", "\n\n", "\t"];

/// Text made of real pieces in any order, separated by line ends or nothing.
fn almost_uccapi() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(UCCAPI_PIECES),
            prop::sample::select(SEPARATORS),
        ),
        0..40,
    )
    .prop_map(|parts| parts.into_iter().flat_map(|(a, b)| [a, b]).collect())
}

const XML_PIECES: &[&str] = &[
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
    "<Events>",
    "</Events>",
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>",
    "<Event>",
    "<Event/>",
    "</Event>",
    "<System>",
    "</System>",
    "<Provider Name='Lync'/>",
    "<Provider Name='Lync",
    "<EventID Qualifiers='0'>",
    "<EventID>",
    "</EventID>",
    "11",
    "99999999999999999999",
    "<Level>2</Level>",
    "<TimeCreated SystemTime='2026-01-01T00:00:00Z'/>",
    "<TimeCreated SystemTime='not a time'/>",
    "<EventRecordID>4102</EventRecordID>",
    "<EventData>",
    "</EventData>",
    "<Data Name='x'>",
    "<Data>",
    "</Data>",
    "<UserData><E><P1>v</P1></E></UserData>",
    "<RenderingInfo Culture='en-US'><Message>",
    "</Message></RenderingInfo>",
    "ms-diagnostics: 1013;reason=\"skew\"",
    "&amp;",
    "&#x41;",
    "&#xFFFFFFFF;",
    "&bogus;",
    "&",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<",
    ">",
    "'",
    "\"",
    "é",
];

fn almost_event_xml() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(XML_PIECES), 0..60).prop_map(|p| p.concat())
}

const DIAG_PIECES: &[&str] = &[
    "1000",
    "4005",
    "1047.2",
    "99999999999",
    ".",
    ";",
    ",",
    " ",
    "reason",
    "source",
    "=",
    "\"",
    "\u{201c}",
    "\u{201d}",
    "Final handshake failed",
    "x;y",
    "appName",
    "é",
];

fn almost_diagnostic() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(DIAG_PIECES), 0..30).prop_map(|p| p.concat())
}

/// Bytes from text: UTF-8, UTF-16LE/BE (with or without BOM), or cut at any byte.
fn encoded(text: String, how: u8, cut: usize) -> Vec<u8> {
    let mut b: Vec<u8> = match how % 5 {
        0 => text.into_bytes(),
        1 => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        2 => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        3 => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        _ => [0xEF, 0xBB, 0xBF]
            .into_iter()
            .chain(text.into_bytes())
            .collect(),
    };
    if cut < b.len() {
        b.truncate(b.len() - cut);
    }
    b
}

/// Read a UccApi text fully, checking what the reader promises.
fn read_all(text: &str) {
    let mut reader = UccApiReader::new(text);
    let base = text.as_ptr() as usize;
    let mut last_line = 0;
    let mut n = 0;
    for item in reader.by_ref() {
        let r = item.record();
        // Records come in order and borrow from the text.
        assert!(r.line > last_line);
        last_line = r.line;
        let start = r.raw.as_ptr() as usize - base;
        assert!(start + r.raw.len() <= text.len());
        let _ = (r.component(), r.line_count());
        if let UccApiItem::Sip { message, .. } = &item {
            let _ = (
                message.diagnostics(),
                message.cseq(),
                message.date(),
                message.auth_schemes(),
            );
            let _ = (
                message.from_uri(),
                message.to_uri(),
                message.method(),
                message.agent(),
            );
        }
        n += 1;
    }
    assert_eq!(reader.stats.records, n);
    assert!(reader.stats.sip_messages <= reader.stats.records);
    assert!(reader.stats.records + reader.stats.unparsed_lines <= reader.stats.lines.max(1));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, rng_seed: proptest::test_runner::RngSeed::Fixed(0x5f8_7219), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let format = detect::detect("member", &bytes);
        let _ = detect::detect("Lync-UccApi-0.UccApilog", &bytes);
        let _ = detect::unknown_reason(&bytes);
        let decoded = detect::decode(&bytes);
        read_all(&decoded.text);
        let _ = eventxml::read_events(&decoded.text, |_, _| {});
        let out = pipeline::analyze_uccapi(rules(), "Lync-UccApi-0.UccApilog", &bytes);
        prop_assert!(out.entry.is_some());
        let out = pipeline::analyze_event_xml(rules(), "a.xml", &bytes);
        prop_assert!(out.entry.is_some());
        prop_assert!(format != detect::Format::Zip || bytes.starts_with(b"PK"));
    }

    #[test]
    fn decode_keeps_utf8_and_never_panics(text in ".{0,200}", how in any::<u8>(), cut in 0usize..4) {
        let bytes = encoded(text.clone(), how, cut);
        let d = detect::decode(&bytes);
        // Plain UTF-8 comes back as it was, unless it starts with U+FEFF (a BOM, dropped by
        // design) or holds NULs (NUL-heavy text is taken for UTF-16 without a BOM).
        if how % 5 == 0 && cut == 0 && !text.starts_with('\u{feff}') && !text.contains('\0') {
            prop_assert_eq!(d.text.as_ref(), text.as_str());
        }
    }

    #[test]
    fn almost_valid_uccapi_never_panics(text in almost_uccapi(), how in any::<u8>(), cut in 0usize..3) {
        read_all(&text);
        let bytes = encoded(text, how, cut);
        let out = pipeline::analyze_uccapi(rules(), "Lync-UccApi-0.UccApilog", &bytes);
        let entry = out.entry.unwrap();
        prop_assert_eq!(entry.size, bytes.len() as u64);
        prop_assert!(out.hits.iter().all(|h| h.evidence.len() <= pipeline::EVIDENCE_PER_RULE));
    }

    #[test]
    fn a_log_read_in_blocks_reads_as_whole(text in almost_uccapi(), how in any::<u8>(), cut in 0usize..3, block in 1usize..300) {
        let bytes = encoded(text, how, cut);
        let whole = pipeline::analyze_uccapi_stream(rules(), "Lync-UccApi-0.UccApilog", &mut &bytes[..], bytes.len() as u64, None, bytes.len() + 1).unwrap();
        let blocks = pipeline::analyze_uccapi_stream(rules(), "Lync-UccApi-0.UccApilog", &mut &bytes[..], bytes.len() as u64, None, block).unwrap();
        prop_assert_eq!(format!("{whole:?}"), format!("{blocks:?}"));
    }

    #[test]
    fn decoding_in_blocks_gives_the_whole_text(bytes in prop::collection::vec(any::<u8>(), 0..1500), text in ".{0,300}", how in any::<u8>(), block in 1usize..700) {
        for bytes in [bytes, encoded(text, how, 0)] {
            let whole = detect::decode(&bytes);
            let mut stream = detect::TextStream::new();
            let mut out = String::new();
            let mut chunks = bytes.chunks(block).peekable();
            if chunks.peek().is_none() {
                stream.push(&[], true, &mut out);
            }
            while let Some(c) = chunks.next() {
                stream.push(c, chunks.peek().is_none(), &mut out);
            }
            prop_assert_eq!(whole.text.as_ref(), out.as_str());
            prop_assert_eq!(whole.encoding, stream.encoding());
        }
    }

    #[test]
    fn almost_valid_sip_never_panics(text in almost_uccapi()) {
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        if let Some(m) = SipMessage::parse(first, rest) {
            for h in &m.headers {
                prop_assert!(!h.name.is_empty());
            }
            let _ = (m.diagnostics(), m.cseq(), m.date(), m.call_id(), m.auth_schemes());
        }
        let _ = sip::start_line(&text);
        let _ = sip::header_line(&text);
        let _ = sip::name_addr_uri(&text);
    }

    #[test]
    fn almost_valid_diagnostics_never_panic(value in almost_diagnostic()) {
        for header in [DiagnosticHeader::MsDiagnostics, DiagnosticHeader::MsClientDiagnostics] {
            if let Some(d) = MsDiagnostic::parse(header, &value) {
                prop_assert!(value.trim_start().starts_with(|c: char| c.is_ascii_digit()));
                prop_assert!(d.reason.is_none_or(|r| r.len() <= value.len()));
            }
        }
        prop_assert!(sip::params(&value).count() <= value.len());
    }

    #[test]
    fn almost_valid_event_xml_never_panics(text in almost_event_xml(), how in any::<u8>()) {
        let mut n = 0;
        let stats = eventxml::read_events(&text, |_, pos| {
            n += 1;
            assert_eq!(pos, n);
        });
        prop_assert_eq!(stats.events, n);
        prop_assert_eq!(stats.first_error.is_some(), stats.errors > 0);
        let _ = eventxml::parse_event(&text);
        let bytes = encoded(text, how, 0);
        let out = pipeline::analyze_event_xml(rules(), "Application.xml", &bytes);
        prop_assert!(out.entry.is_some());
    }
}

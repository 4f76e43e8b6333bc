//! `ms-diagnostics` values, parameter lists, SIP start lines and whole SIP messages.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfbtriage::parse::sip::{self, DiagnosticHeader, MsDiagnostic, SipMessage};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for header in [
        DiagnosticHeader::MsDiagnostics,
        DiagnosticHeader::MsDiagnosticsPublic,
        DiagnosticHeader::MsClientDiagnostics,
    ] {
        if let Some(d) = MsDiagnostic::parse(header, &text) {
            // Borrowed parts are slices of the input.
            for v in d.reason.iter().chain(d.source.iter()) {
                assert!(v.len() <= text.len());
            }
        }
    }
    let _ = sip::params(&text).count();
    let _ = sip::start_line(&text);
    let _ = sip::header_line(&text);
    let _ = sip::name_addr_uri(&text);
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    if let Some(m) = SipMessage::parse(first, rest) {
        let _ = (
            m.diagnostics(),
            m.cseq(),
            m.method(),
            m.date(),
            m.auth_schemes(),
        );
    }
});

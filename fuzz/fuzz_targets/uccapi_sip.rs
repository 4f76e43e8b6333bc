//! UccApi log text (any bytes, any encoding) through detection, the record reader, the SIP
//! parser and the whole per-member analysis with the built-in rules.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfbtriage::detect;
use sfbtriage::parse::uccapi::{UccApiItem, UccApiReader};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let _ = detect::detect("Lync-UccApi-0.UccApilog", data);
    let decoded = detect::decode(data);
    let mut reader = UccApiReader::new(&decoded.text);
    for item in reader.by_ref() {
        let record = item.record();
        let _ = (record.component(), record.line_count());
        if let UccApiItem::Sip { message, .. } = &item {
            let _ = (message.diagnostics(), message.cseq(), message.method());
            let _ = (message.from_uri(), message.to_uri(), message.date());
            let _ = (message.auth_schemes(), message.agent(), message.call_id());
        }
    }
    assert!(reader.stats.sip_messages <= reader.stats.records);
    let out = sfbtriage::pipeline::analyze_uccapi(common::rules(), "Lync-UccApi-0.UccApilog", data);
    assert!(out.entry.is_some());
});

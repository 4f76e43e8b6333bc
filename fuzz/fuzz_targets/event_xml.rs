//! Event Viewer XML exports (any bytes, any encoding) through the event reader and the
//! per-member analysis with the built-in rules.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfbtriage::detect;
use sfbtriage::parse::eventxml;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let decoded = detect::decode(data);
    let text: &str = &decoded.text;
    let _ = eventxml::sniff(text);
    let mut n = 0;
    let stats = eventxml::read_events(text, |e, pos| {
        n += 1;
        assert_eq!(pos, n);
        let _ = e.describe();
    });
    assert_eq!(stats.events, n);
    let _ = eventxml::parse_event(text);
    let out = sfbtriage::pipeline::analyze_event_xml(common::rules(), "Application.xml", data);
    assert!(out.entry.is_some());
});

//! Binary `.evtx` bytes through sfbtriage's reader (the `evtx` crate, then the event XML
//! reader on each record) and the per-member analysis.
//!
//! `read_evtx` guards the crate with `catch_unwind`, so a panic inside the `evtx` crate is
//! counted as an error in production. libFuzzer's panic hook would abort on it anyway; this
//! target lets such panics through to that guard (and prints them), and aborts on any panic
//! raised elsewhere: a panic in sfbtriage's own code is a bug this target must find.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(
    init: {
        std::panic::set_hook(Box::new(|info| {
            let in_evtx_crate = info
                .location()
                .is_some_and(|l| l.file().contains("/evtx-0."));
            eprintln!("panic: {info}");
            if !in_evtx_crate {
                std::process::abort();
            }
        }));
    },
    |data: &[u8]| {
        let mut seen = 0u64;
        if let Ok(stats) = sfbtriage::parse::evtx::read_evtx(data, |e| {
            seen += 1;
            let _ = e.describe();
        }) {
            assert_eq!(stats.records, seen);
        }
        let out = sfbtriage::pipeline::analyze_evtx(common::rules(), "System.evtx", data);
        assert!(out.entry.is_some());
    }
);

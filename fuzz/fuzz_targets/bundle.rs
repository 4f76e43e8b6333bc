//! Archive bytes through the bundle reader (`bundle::read_bytes`, as if given on the command
//! line as `bundle.zip`), with the real per-member analysis as the sink: central directory,
//! overlap checks, salvage from local headers, nested archives, then every parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfbtriage::bundle::{self, Limits};
use sfbtriage::pipeline::MemberAnalyzer;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    // Small limits keep each run's memory well under libFuzzer's RSS limit.
    let limits = Limits {
        max_member_size: 8 << 20,
        max_total_size: 32 << 20,
        ..Limits::default()
    };
    let sink = MemberAnalyzer {
        rules: common::rules(),
        progress: None,
        time_budget: None,
    };
    let out = bundle::read_bytes("bundle.zip", data.to_vec(), &limits, &sink);
    assert!(
        !out.is_empty(),
        "every input shows at least one inventory entry"
    );
    for o in &out {
        let e = o.entry.as_ref().expect("an inventory entry");
        assert!(!e.path.chars().any(char::is_control), "{:?}", e.path);
    }
});

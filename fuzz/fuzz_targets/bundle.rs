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
        keep_messages: true,
    };
    let out = bundle::read_bytes("bundle.zip", data.to_vec(), &limits, &sink);
    // Only an archive with no local header at all may list nothing (an empty zip); anything
    // else shows at least one entry (`tests/hostile.rs`,
    // `an_empty_central_directory_does_not_hide_members`, was found here).
    assert!(
        !out.is_empty() || !data.windows(4).any(|w| w == b"PK\x03\x04"),
        "members hidden: no inventory entry, yet the input holds a local header"
    );
    for o in &out {
        let e = o.entry.as_ref().expect("an inventory entry");
        assert!(!e.path.chars().any(char::is_control), "{:?}", e.path);
    }
});

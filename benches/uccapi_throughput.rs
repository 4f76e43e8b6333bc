//! UccApi parse + rules throughput on a generated log of about 200 MB.
//!
//! Run: `cargo bench --bench uccapi_throughput`. Besides `analyze_uccapi` (parse every record
//! and SIP message, evaluate every rule, track registrations and clock samples), the same run
//! measures two floors on the same buffer, so the figure can be read as a ratio:
//! `floor_memchr_lines` (find every line end: the least any line parser must do) and
//! `floor_literal_scan` (the rules' own Aho-Corasick pass for their literals over the whole
//! buffer, what `rg -F` with the same literals would do).
//! Set `SFBTRIAGE_BENCH_MB` to change the size.

use std::sync::LazyLock;

use divan::counter::BytesCount;
use sfbtriage::pipeline::analyze_uccapi;
use sfbtriage::rules::RuleSet;

fn main() {
    divan::main();
}

static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::load(&[]).expect("built-in rules load").0);

/// A deterministic log: sign-in attempts (some failing), presence traffic and trace noise.
static LOG: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mb: usize = std::env::var("SFBTRIAGE_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    sfbtriage::synth::uccapi_log(mb << 20)
});

#[divan::bench(sample_count = 5, sample_size = 1)]
fn analyze_uccapi_parse_and_rules(bencher: divan::Bencher) {
    let log = &*LOG;
    let rules = &*RULES;
    bencher
        .counter(BytesCount::of_slice(log))
        .bench(|| analyze_uccapi(rules, "bench.UccApilog", divan::black_box(log)));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn floor_memchr_lines(bencher: divan::Bencher) {
    let log = &*LOG;
    bencher
        .counter(BytesCount::of_slice(log))
        .bench(|| memchr::memchr_iter(b'\n', divan::black_box(log)).count());
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn floor_literal_scan(bencher: divan::Bencher) {
    // The rule literals' own prefilter pass (what `rg -F` with the same literals would do).
    let log = &*LOG;
    let rules = &*RULES;
    bencher
        .counter(BytesCount::of_slice(log))
        .bench(|| rules.literal_hits(divan::black_box(log)).len());
}

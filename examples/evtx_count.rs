//! Count the records of `.evtx` files and report throughput (records per second).
//!
//! `cargo run --release --example evtx_count -- [MODE] FILE|DIR…` walks directories for
//! `*.evtx`. MODE is one of:
//! - `events` (default): sfbtriage's reader, `parse::evtx::read_evtx` (XML records read by
//!   quick-xml into `WinEvent`s);
//! - `xml`: the crate's `records()` only (XML strings, no event model);
//! - `json-value`: the crate's `records_json_value()`, plus reading provider and EventID from
//!   each value (what building `WinEvent`s from JSON would start with).
//!
//! Each file is read into memory first; only parsing is timed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use evtx::{EvtxParser, ParserSettings};

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            collect(&p, out);
        }
    } else if path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("evtx"))
    {
        out.push(path.to_path_buf());
    }
}

fn count(mode: &str, bytes: &[u8]) -> (u64, u64) {
    match mode {
        "events" => match sfbtriage::parse::evtx::read_evtx(bytes, |e| {
            std::hint::black_box(&e);
        }) {
            Ok(s) => (s.records, s.errors),
            Err(_) => (0, 1),
        },
        _ => {
            let Ok(parser) = EvtxParser::from_read_seek(std::io::Cursor::new(bytes)) else {
                return (0, 1);
            };
            let mut parser = parser.with_configuration(ParserSettings::new().indent(false));
            let (mut good, mut bad) = (0, 0);
            if mode == "xml" {
                for r in parser.records() {
                    match r {
                        Ok(r) => {
                            std::hint::black_box(&r.data);
                            good += 1
                        }
                        Err(_) => bad += 1,
                    }
                }
            } else {
                for r in parser.records_json_value() {
                    match r {
                        Ok(r) => {
                            let system = &r.data["Event"]["System"];
                            std::hint::black_box((
                                &system["Provider"]["#attributes"]["Name"],
                                &system["EventID"],
                            ));
                            good += 1
                        }
                        Err(_) => bad += 1,
                    }
                }
            }
            (good, bad)
        }
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.first().map(String::as_str) {
        Some(m @ ("events" | "xml" | "json-value")) => {
            let m = m.to_string();
            args.remove(0);
            m
        }
        _ => "events".to_string(),
    };
    if args.is_empty() {
        eprintln!("usage: evtx_count [events|xml|json-value] FILE|DIR…");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for a in &args {
        collect(Path::new(a), &mut files);
    }
    let (mut records, mut errors, mut bytes_total) = (0u64, 0u64, 0u64);
    let mut elapsed = Duration::ZERO;
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            eprintln!("cannot read {}", f.display());
            continue;
        };
        bytes_total += bytes.len() as u64;
        let start = Instant::now();
        let (good, bad) = count(&mode, &bytes);
        elapsed += start.elapsed();
        records += good;
        errors += bad;
    }
    let secs = elapsed.as_secs_f64().max(1e-9);
    println!(
        "{mode}: {} files, {:.1} MB, {records} records, {errors} errors in {:.3} s: {:.0} records/s, {:.1} MB/s",
        files.len(),
        bytes_total as f64 / 1e6,
        secs,
        records as f64 / secs,
        bytes_total as f64 / 1e6 / secs
    );
}

//! `evtx_baseline`: the `evtx` crate's own parse rate, the baseline of sfbtriage's EVTX reading.
//!
//! `cargo run --release --example evtx_baseline -- [xml|jsonl] FILE…` reads each file into
//! memory, parses every record with the `evtx` crate (the version in `Cargo.lock`, the same
//! settings as sfbtriage: no indentation, checksums not enforced, one thread) and serialises
//! it — `xml`, the rendering sfbtriage reads events from (default), or `jsonl`, one JSON
//! object per line as `evtx_dump -o jsonl` writes — to standard output, all in one process.
//! It does nothing else (no event model, no rules), so `benches/compare.sh` times it as the
//! floor sfbtriage's parse + rules rate on the same files is held against. The counts of
//! records and errors go to standard error.

use std::io::{BufWriter, Cursor, Write};

use evtx::{EvtxParser, ParserSettings};

fn main() -> std::io::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let json = match args.first().map(String::as_str) {
        Some("jsonl") => {
            args.remove(0);
            true
        }
        Some("xml") => {
            args.remove(0);
            false
        }
        _ => false,
    };
    if args.is_empty() {
        eprintln!("usage: evtx_baseline [xml|jsonl] FILE…");
        std::process::exit(2);
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let (mut records, mut errors) = (0u64, 0u64);
    for path in &args {
        let bytes = std::fs::read(path)?;
        let Ok(parser) = EvtxParser::from_read_seek(Cursor::new(&bytes[..])) else {
            errors += 1;
            continue;
        };
        let mut parser = parser.with_configuration(ParserSettings::new().indent(false));
        if json {
            for r in parser.records_json() {
                match r {
                    Ok(r) => {
                        out.write_all(r.data.as_bytes())?;
                        out.write_all(b"\n")?;
                        records += 1;
                    }
                    Err(_) => errors += 1,
                }
            }
        } else {
            for r in parser.records() {
                match r {
                    Ok(r) => {
                        out.write_all(r.data.as_bytes())?;
                        out.write_all(b"\n")?;
                        records += 1;
                    }
                    Err(_) => errors += 1,
                }
            }
        }
    }
    out.flush()?;
    eprintln!("{records} records, {errors} errors");
    Ok(())
}

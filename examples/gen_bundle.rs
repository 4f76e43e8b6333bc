//! `gen_bundle`: write a large, realistic, deterministic bundle for benchmarks.
//!
//! Usage: `cargo run --release --example gen_bundle -- OUT.zip SIZE_MB [EVTX_DIR]`. The zip
//! holds `Tracing/Lync-UccApi-N.UccApilog` members of up to 100 MB each (SIP traffic with
//! rejections, noise and errors) adding up to SIZE_MB of log text, plus every `.evtx` found
//! below EVTX_DIR (default `../shared/corpus/evtx`) under `EventLogs/`. `GEN_MEMBER_MB` sets
//! the member size instead of 100 MB (`GEN_MEMBER_MB=2000 … 2000`: one 2 GB member). Members
//! are generated one at a time, so memory stays at one member whatever the size.
#![forbid(unsafe_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;

fn evtx_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            evtx_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("evtx"))
        {
            out.push(p);
        }
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gen_bundle OUT.zip SIZE_MB [EVTX_DIR]");
        std::process::exit(2);
    }
    let out = PathBuf::from(&args[1]);
    let size_mb: usize = args[2].parse().unwrap_or_else(|_| {
        eprintln!("gen_bundle: SIZE_MB must be a number");
        std::process::exit(2)
    });
    let evtx_dir = PathBuf::from(
        args.get(3)
            .map(String::as_str)
            .unwrap_or("../shared/corpus/evtx"),
    );
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&out)?);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let member_mb: usize = std::env::var("GEN_MEMBER_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&m| m > 0)
        .unwrap_or(100);
    let mut left = size_mb << 20;
    let mut n = 0;
    while left > 0 {
        let chunk = left.min(member_mb << 20);
        zip.start_file(format!("Tracing/Lync-UccApi-{n}.UccApilog"), options)?;
        zip.write_all(&sfbtriage::synth::uccapi_log(chunk))?;
        left -= chunk;
        n += 1;
    }
    let mut evtx = Vec::new();
    evtx_files(&evtx_dir, &mut evtx);
    for (i, p) in evtx.iter().enumerate() {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        zip.start_file(format!("EventLogs/{i:03}-{name}"), options)?;
        zip.write_all(&std::fs::read(p)?)?;
    }
    zip.finish()?;
    eprintln!(
        "{}: {n} UccApi members ({size_mb} MB of log text), {} .evtx members",
        out.display(),
        evtx.len()
    );
    Ok(())
}

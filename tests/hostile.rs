//! Hostile bundles, built at test time in a temporary folder: zip bombs (high ratio, lying
//! sizes, overlapping entries, data running into the central directory), nesting past the
//! limit, hostile member names, a 10 MB line, NUL-filled and odd-length UTF-16 members, a cut
//! central directory (salvaged from local headers, with and without data descriptors) and a
//! `.zip` that is not one. For each, `sfbtriage analyze --format json` must exit without a
//! panic, within a time limit, under a memory cap, and list every member with a clear status.
//! The last test checks that nothing is lost on every sample and every shared-corpus file.

#[path = "common/schema.rs"]
mod schema;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use zip::CompressionMethod::{Deflated, Stored};
use zip::write::SimpleFileOptions;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Wall-clock limit for one `analyze` run of a hostile bundle (debug build, shared CI box).
const RUN_LIMIT: Duration = Duration::from_secs(60);
/// Address-space cap for the process (KiB): far above what any of these bundles needs
/// legitimately, far below what a bomb that got through would take.
const MEMORY_CAP_KIB: u64 = 1536 * 1024;

fn zip_of(entries: &[(&str, &[u8], zip::CompressionMethod)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, method) in entries {
        w.start_file(
            *name,
            SimpleFileOptions::default().compression_method(*method),
        )
        .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A zip written as a stream: every member has a data descriptor (flag bit 3).
fn streamed_zip_of(entries: &[(&str, &[u8], zip::CompressionMethod)]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = zip::ZipWriter::new_stream(&mut out);
        for (name, data, method) in entries {
            w.start_file(
                *name,
                SimpleFileOptions::default().compression_method(*method),
            )
            .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
    }
    out
}

fn u16_at(b: &[u8], i: usize) -> usize {
    u16::from_le_bytes([b[i], b[i + 1]]) as usize
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Offsets of the central-directory entries (`PK\x01\x02`), in order.
fn central_entries(b: &[u8]) -> Vec<usize> {
    let eocd = b.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    let mut at = u32_at(b, eocd + 16) as usize;
    let mut out = Vec::new();
    while b[at..].starts_with(b"PK\x01\x02") {
        out.push(at);
        at += 46 + u16_at(b, at + 28) + u16_at(b, at + 30) + u16_at(b, at + 32);
    }
    out
}

fn put_u32(b: &mut [u8], i: usize, v: u32) {
    b[i..i + 4].copy_from_slice(&v.to_le_bytes());
}

struct Run {
    json: Value,
    code: Option<i32>,
    elapsed: Duration,
}

fn cmd() -> Command {
    let mut c = Command::cargo_bin("sfbtriage").unwrap();
    // English reports whatever the developer's locale (`--lang` defaults to it).
    c.env("NO_COLOR", "1").env("LC_ALL", "C");
    c
}

/// `sfbtriage analyze --format <format> <path>` under the memory cap and the time limit,
/// from `cwd`; asserts it exited by itself (no signal, no panic) and returns its stdout.
fn run_format(
    path: &Path,
    format: &str,
    extra: &[&str],
    cwd: &Path,
) -> (Vec<u8>, Option<i32>, Duration) {
    run_threads(path, format, extra, cwd, "2")
}

fn run_threads(
    path: &Path,
    format: &str,
    extra: &[&str],
    cwd: &Path,
    threads: &str,
) -> (Vec<u8>, Option<i32>, Duration) {
    let bin = assert_cmd::cargo::cargo_bin("sfbtriage");
    let mut c = if cfg!(target_os = "linux") {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("ulimit -v {MEMORY_CAP_KIB} && exec \"$0\" \"$@\""))
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    c.env("NO_COLOR", "1")
        .current_dir(cwd)
        .args(["analyze", "--threads", threads, "--format", format])
        .args(extra)
        .arg(path)
        .timeout(RUN_LIMIT);
    let start = Instant::now();
    let out = c.output().unwrap();
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        elapsed < RUN_LIMIT,
        "{}: did not finish within {RUN_LIMIT:?}",
        path.display()
    );
    assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "{}: exit {:?} (killed by a signal, or out of memory?): {stderr}",
        path.display(),
        out.status
    );
    (out.stdout, out.status.code(), elapsed)
}

fn analyze(path: &Path, extra: &[&str]) -> Run {
    let cwd = path.parent().unwrap();
    let (stdout, code, elapsed) = run_format(path, "json", extra, cwd);
    let json: Value = serde_json::from_slice(&stdout).unwrap();
    check_inventory(path, &json);
    Run {
        json,
        code,
        elapsed,
    }
}

/// The output matches docs/schema/analysis.schema.json; every entry has one of the three
/// statuses, and every one not parsed says why; totals add up.
fn check_inventory(path: &Path, v: &Value) {
    schema::assert_valid(schema::Doc::Analysis, &path.display().to_string(), v);
    let inv = v["inventory"].as_array().unwrap();
    for e in inv {
        let status = e["status"].as_str().unwrap();
        assert!(
            matches!(status, "parsed" | "skipped" | "failed"),
            "{}: {e}",
            path.display()
        );
        if status != "parsed" {
            assert!(
                e["reason"].as_str().is_some_and(|r| !r.is_empty()),
                "{}: {e}",
                path.display()
            );
        }
        let p = e["path"].as_str().unwrap();
        assert!(!p.chars().any(char::is_control), "{p:?}");
    }
    let t = &v["totals"];
    assert_eq!(
        t["members"].as_u64().unwrap() as usize,
        inv.len(),
        "{}",
        path.display()
    );
    assert_eq!(
        t["members"].as_u64(),
        Some(
            t["parsed"].as_u64().unwrap()
                + t["skipped"].as_u64().unwrap()
                + t["failed"].as_u64().unwrap()
        )
    );
}

/// (path, status, reason) of every inventory entry.
fn entries(v: &Value) -> Vec<(String, String, String)> {
    v["inventory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
                e["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn entry<'a>(v: &'a [(String, String, String)], path: &str) -> &'a (String, String, String) {
    v.iter()
        .find(|e| e.0 == path)
        .unwrap_or_else(|| panic!("no entry {path} in {v:#?}"))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

const LOG_LINE: &str =
    "11/03/2026|09:14:02.117 2F4C:1B80 INFO  :: CUccServerEndpoint::Register\r\n";

#[test]
fn zip_bombs_are_refused_before_inflating() {
    let dir = tempfile::tempdir().unwrap();
    // High ratio: 8 MiB of zeros deflate about 1000:1.
    let zeros = vec![0u8; 8 << 20];
    let bomb = zip_of(&[("zeros.txt", &zeros, Deflated), ("ok.txt", b"fine", Stored)]);
    let r = analyze(&write(dir.path(), "ratio.zip", &bomb), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 2);
    let z = entry(&inv, "zeros.txt");
    assert_eq!(z.1, "skipped");
    assert!(z.2.contains("compression ratio"), "{z:?}");

    // Lying size: the directory says 1000 bytes, the data inflates to 8 MiB.
    let mut liar = zip_of(&[("liar.txt", &zeros, Deflated)]);
    let cd = central_entries(&liar)[0];
    put_u32(&mut liar, cd + 24, 1000);
    put_u32(&mut liar, 22, 1000);
    let r = analyze(&write(dir.path(), "liar.zip", &liar), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 1);
    assert_eq!(inv[0].1, "failed", "{inv:?}");

    // Huge declared sizes (3 GiB, ratio 1:1) over a few bytes: nothing is reserved for them.
    let mut huge = zip_of(&[("huge.txt", b"tiny", Stored), ("b.txt", b"b", Stored)]);
    let cd = central_entries(&huge)[0];
    put_u32(&mut huge, cd + 20, 3 << 30);
    put_u32(&mut huge, cd + 24, 3 << 30);
    let r = analyze(&write(dir.path(), "huge.zip", &huge), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 2, "{inv:?}");
    let h = entry(&inv, "huge.txt");
    assert_eq!(h.1, "failed", "{h:?}");

    // 3 GiB declared over 4 MiB of real data (ratio 750:1, under the limit): the reader
    // never reserves the declared size (the memory cap would kill the process if it did).
    let data = LOG_LINE.repeat((4 << 20) / LOG_LINE.len());
    let mut big = zip_of(&[("Lync-UccApi-0.UccApilog", data.as_bytes(), Stored)]);
    let cd = central_entries(&big)[0];
    put_u32(&mut big, cd + 24, 3 << 30);
    let r = analyze(&write(dir.path(), "big.zip", &big), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 1, "{inv:?}");
    assert_eq!(inv[0].1, "failed", "{inv:?}");
    assert!(inv[0].2.contains("fewer than its declared size"), "{inv:?}");
}

#[test]
fn overlapping_entries_are_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = LOG_LINE.repeat(50);
    // Two directory entries for the same local data: b.txt points at a.txt's header.
    let mut two = zip_of(&[
        ("Lync-UccApi-0.UccApilog", text.as_bytes(), Deflated),
        ("Lync-UccApi-1.UccApilog", text.as_bytes(), Deflated),
    ]);
    let cds = central_entries(&two);
    let first_offset = u32_at(&two, cds[0] + 42);
    put_u32(&mut two, cds[1] + 42, first_offset);
    let r = analyze(&write(dir.path(), "overlap.zip", &two), &[]);
    let inv = entries(&r.json);
    // The two listed entries, then the second member's own local header, which no entry
    // points at any more (a hidden member).
    assert_eq!(inv.len(), 3, "{inv:?}");
    assert_eq!(entry(&inv, "Lync-UccApi-0.UccApilog").1, "parsed");
    assert_eq!(inv[1].0, "Lync-UccApi-1.UccApilog");
    assert_eq!(inv[1].1, "failed");
    assert!(
        inv[1].2.contains("overlaps member Lync-UccApi-0.UccApilog"),
        "{inv:?}"
    );
    assert_eq!(inv[2].0, "Lync-UccApi-1.UccApilog");
    assert!(
        inv[2].2.contains("not listed in the central directory"),
        "{inv:?}"
    );

    // A member whose data runs into the central directory.
    let mut into_cd = zip_of(&[("a.txt", b"aaaa", Stored), ("b.txt", b"bbbb", Stored)]);
    let cds = central_entries(&into_cd);
    put_u32(&mut into_cd, cds[1] + 20, 200);
    put_u32(&mut into_cd, cds[1] + 24, 200);
    let r = analyze(&write(dir.path(), "into-cd.zip", &into_cd), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 2, "{inv:?}");
    assert_eq!(entry(&inv, "a.txt").1, "skipped", "text no parser reads");
    let b = entry(&inv, "b.txt");
    assert_eq!(b.1, "failed");
    assert!(b.2.contains("central directory"), "{b:?}");
}

#[test]
fn repeated_names_are_counted_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let mut z = zip_of(&[
        ("a.txt", b"first", Stored),
        ("b.txt", b"second", Stored),
        ("c.txt", b"third", Stored),
    ]);
    // Rename b.txt to a.txt in its local header and its directory entry.
    let cds = central_entries(&z);
    let local = u32_at(&z, cds[1] + 42) as usize;
    z[local + 30] = b'a';
    z[cds[1] + 46] = b'a';
    let r = analyze(&write(dir.path(), "dups.zip", &z), &[]);
    let inv = entries(&r.json);
    // The repeat's own local header is found and listed with its offset.
    assert_eq!(inv.len(), 3, "{inv:#?}");
    assert_eq!(inv[2].0, "a.txt");
    assert_eq!(inv[2].1, "failed");
    assert!(
        inv[2].2.contains("only under a name another entry repeats"),
        "{inv:?}"
    );

    // A repeat that points at the same local header as the first: summed up in one entry.
    let mut same = z.clone();
    let cds = central_entries(&same);
    let first = u32_at(&same, cds[0] + 42);
    put_u32(&mut same, cds[1] + 42, first);
    // Its old header is still in the file; blank its signature so only the repeat remains.
    let old = u32_at(&z, cds[1] + 42) as usize;
    same[old] = b'X';
    let r = analyze(&write(dir.path(), "dups-same.zip", &same), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 3, "{inv:#?}");
    let dup = entry(&inv, "(1 entries with repeated names)");
    assert_eq!(dup.1, "failed");
    assert!(dup.2.contains("names already listed"), "{dup:?}");
}

#[test]
fn nesting_past_the_limit_is_listed_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let mut inner = zip_of(&[("deepest.txt", b"x", Stored)]);
    for level in (1..=6).rev() {
        inner = zip_of(&[
            (&format!("level{level}.zip"), &inner, Deflated),
            (&format!("note{level}.txt"), b"n", Stored),
        ]);
    }
    let r = analyze(&write(dir.path(), "deep.zip", &inner), &[]);
    let inv = entries(&r.json);
    // Depth 4: level1..level3 are opened (each listed, then its members), level4.zip is
    // listed as skipped.
    let skipped: Vec<_> = inv
        .iter()
        .filter(|e| e.2.contains("nested deeper"))
        .collect();
    assert_eq!(skipped.len(), 1, "{inv:#?}");
    assert!(skipped[0].0.ends_with("level4.zip"), "{skipped:?}");
    assert_eq!(skipped[0].1, "skipped");
    assert_eq!(inv.len(), 2 + 2 + 2 + 2, "{inv:#?}");
}

#[test]
fn hostile_names_are_never_written_and_always_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("a/b");
    std::fs::create_dir_all(&work).unwrap();
    let names = [
        "../../x",
        "/etc/passwd",
        "C:\\x",
        "evil\u{1b}[31mred\u{7}.txt",
        "line\r\nbreak\u{0}.txt",
        "\u{202e}txt.exe",
    ];
    let entries_in: Vec<(&str, &[u8], zip::CompressionMethod)> = names
        .iter()
        .map(|n| (*n, b"x".as_slice(), Stored))
        .collect();
    let bundle = write(&work, "names.zip", &zip_of(&entries_in));
    let r = analyze(&bundle, &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), names.len(), "{inv:#?}");
    let paths: Vec<&str> = inv.iter().map(|e| e.0.as_str()).collect();
    assert!(paths.contains(&"../../x"), "{paths:?}");
    assert!(paths.contains(&"C:/x"), "{paths:?}");
    assert!(paths.contains(&"evil\\u{1b}[31mred\\u{7}.txt"), "{paths:?}");
    assert!(paths.contains(&"line\\r\\nbreak\\u{0}.txt"), "{paths:?}");
    // Nothing was extracted anywhere near the working folder.
    let mut found = Vec::new();
    let mut stack = vec![dir.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                found.push(e.path());
            }
        }
    }
    assert_eq!(found, vec![bundle.clone()]);
    // No raw control character of a name reaches any format.
    for format in ["text", "json", "jsonl", "md", "csv", "html"] {
        let (out, code, _) = run_format(&bundle, format, &[], &work);
        assert_eq!(code, Some(0), "{format}");
        let out = String::from_utf8_lossy(&out);
        for bad in ['\u{1b}', '\u{7}', '\u{0}'] {
            assert!(!out.contains(bad), "{format} shows a raw {bad:?}");
        }
        assert!(!out.contains("line\r\nbreak"), "{format}");
    }
}

#[test]
fn odd_members_parse_or_say_why() {
    let dir = tempfile::tempdir().unwrap();
    // One 10 MB line, as a UccApi record and as a log with no line end at all.
    let mut long_record = LOG_LINE.trim_end().to_string();
    long_record.push_str(&"A".repeat(10 << 20));
    long_record.push_str("\r\n");
    long_record.push_str(LOG_LINE);
    let no_newline = "B".repeat(10 << 20);
    // NUL-filled, under a UccApi name (forced to the parser) and under any name.
    let nuls = vec![0u8; 4 << 20];
    // UTF-16LE with a BOM and an odd trailing byte.
    let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
    utf16.extend(
        LOG_LINE
            .repeat(20)
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    utf16.push(0x41);
    let bundle = zip_of(&[
        // Stored: deflated, these would be refused for their compression ratio.
        (
            "Tracing/Lync-UccApi-0.UccApilog",
            long_record.as_bytes(),
            Stored,
        ),
        (
            "Tracing/Lync-UccApi-1.UccApilog",
            no_newline.as_bytes(),
            Stored,
        ),
        ("Tracing/Lync-UccApi-2.UccApilog", &nuls, Stored),
        ("nuls.bin", &nuls, Stored),
        ("Tracing/Lync-UccApi-3.UccApilog", &utf16, Deflated),
        (
            "Application.xml",
            b"<Events><Event xmlns='x'><System><EventID>1</EventID></System></Event>",
            Stored,
        ),
    ]);
    let r = analyze(&write(dir.path(), "odd.zip", &bundle), &[]);
    let inv = r.json["inventory"].as_array().unwrap();
    assert_eq!(inv.len(), 6);
    let by_path = |p: &str| inv.iter().find(|e| e["path"] == p).unwrap();
    let long = by_path("Tracing/Lync-UccApi-0.UccApilog");
    assert_eq!(long["status"], "parsed");
    assert_eq!(long["counts"]["records"], 2);
    let one = by_path("Tracing/Lync-UccApi-1.UccApilog");
    assert_eq!(
        (one["status"].as_str(), one["counts"]["records"].as_u64()),
        (Some("parsed"), Some(0))
    );
    assert_eq!(
        by_path("Tracing/Lync-UccApi-2.UccApilog")["counts"]["records"],
        0
    );
    assert_eq!(by_path("nuls.bin")["status"], "skipped");
    let utf = by_path("Tracing/Lync-UccApi-3.UccApilog");
    assert_eq!(utf["encoding"], "utf-16le");
    assert_eq!(utf["counts"]["records"], 20);
    assert!(r.elapsed < RUN_LIMIT);
}

#[test]
fn member_time_budget_fails_the_member_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let log = LOG_LINE.repeat(5000);
    let bundle = zip_of(&[
        ("Lync-UccApi-0.UccApilog", log.as_bytes(), Deflated),
        ("notes.txt", b"hello", Stored),
    ]);
    let p = write(dir.path(), "slow.zip", &bundle);
    // A budget so small that the first look at the clock is already past it.
    let r = analyze(&p, &["--member-time-budget", "0.000000001"]);
    let inv = entries(&r.json);
    let log = entry(&inv, "Lync-UccApi-0.UccApilog");
    assert_eq!(log.1, "failed");
    assert!(log.2.contains("--member-time-budget"), "{log:?}");
    assert_eq!(entry(&inv, "notes.txt").1, "skipped");
    // With the default budget the same member parses.
    let r = analyze(&p, &[]);
    assert_eq!(
        entry(&entries(&r.json), "Lync-UccApi-0.UccApilog").1,
        "parsed"
    );
}

#[test]
fn cut_central_directory_is_salvaged_from_local_headers() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read(root().join("samples/clock-skew.zip")).unwrap();
    // Cut inside the central directory: ZipArchive cannot open it.
    let cd = central_entries(&sample)[0];
    let cut = &sample[..cd + 20];
    let r = analyze(&write(dir.path(), "cut.zip", cut), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 2, "{inv:#?}");
    assert_eq!(inv[0].0, "cut.zip");
    assert_eq!(inv[0].1, "failed");
    assert!(inv[0].2.contains("1 members salvaged"), "{:?}", inv[0]);
    assert_eq!(inv[1].0, "Tracing/Lync-UccApi-0.UccApilog");
    assert_eq!(inv[1].1, "parsed");
    assert!(
        inv[1].2.starts_with("salvaged from its local header"),
        "{:?}",
        inv[1]
    );
    // The diagnosis survives.
    assert_eq!(r.json["causes"][0]["id"], "clock-skew");
    assert_eq!(r.code, Some(0));

    // Data descriptors: a deflated member is salvaged when its descriptor matches; a stored
    // one is failed (nothing says where it ends); the scan goes on after both.
    let text = LOG_LINE.repeat(30);
    let streamed = streamed_zip_of(&[
        ("Lync-UccApi-0.UccApilog", text.as_bytes(), Deflated),
        ("stored.txt", b"stored data", Stored),
        ("last.txt", b"last", Deflated),
    ]);
    let cd = central_entries(&streamed)[0];
    let r = analyze(
        &write(dir.path(), "streamed-cut.zip", &streamed[..cd + 10]),
        &[],
    );
    let inv = entries(&r.json);
    assert_eq!(inv[0].1, "failed");
    let log = entry(&inv, "Lync-UccApi-0.UccApilog");
    assert_eq!(log.1, "parsed", "{log:?}");
    let stored = entry(&inv, "stored.txt");
    assert_eq!(stored.1, "failed");
    assert!(stored.2.contains("data descriptor"), "{stored:?}");
    assert_eq!(entry(&inv, "last.txt").1, "skipped", "text no parser reads");

    // A descriptor that does not match is not trusted.
    let mut bad = streamed[..cd + 10].to_vec();
    let desc = bad.windows(4).position(|w| w == b"PK\x07\x08").unwrap();
    bad[desc + 4] ^= 0xFF;
    let r = analyze(&write(dir.path(), "bad-descriptor.zip", &bad), &[]);
    let log = entry(&entries(&r.json), "Lync-UccApi-0.UccApilog").clone();
    assert_eq!(log.1, "failed");
    assert!(log.2.contains("data descriptor"), "{log:?}");

    // A salvaged member whose local header declares fewer bytes than it inflates to:
    // inflating stops right after the declared size.
    let zeros = vec![0u8; 1 << 20];
    let liar = zip_of(&[("liar.txt", &zeros, Deflated)]);
    let cd = central_entries(&liar)[0];
    let mut liar = liar[..cd + 10].to_vec();
    put_u32(&mut liar, 22, 100);
    let r = analyze(&write(dir.path(), "liar-cut.zip", &liar), &[]);
    let l = entry(&entries(&r.json), "liar.txt").clone();
    assert_eq!(l.1, "failed");
    assert!(
        l.2.contains("beyond its declared size of 100 bytes"),
        "{l:?}"
    );

    // Damaged data in a salvaged member: its CRC says so.
    let mut damaged = cut.to_vec();
    let at = damaged.len() / 2;
    damaged[at] ^= 0x55;
    let r = analyze(&write(dir.path(), "damaged-cut.zip", &damaged), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 2, "{inv:#?}");
    assert_eq!(inv[1].1, "failed", "{inv:#?}");
}

/// A member whose local header is in the file but whose directory entry was removed is
/// listed as hidden, not silently ignored.
#[test]
fn members_missing_from_the_directory_are_listed_as_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let z = zip_of(&[
        ("a.txt", b"first", Stored),
        ("Lync-UccApi-0.UccApilog", LOG_LINE.as_bytes(), Deflated),
        ("c.txt", b"third", Stored),
    ]);
    let cds = central_entries(&z);
    let eocd = z.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    // Rebuild the directory without its second entry.
    let mut out = z[..cds[0]].to_vec();
    let dir_start = out.len();
    out.extend_from_slice(&z[cds[0]..cds[1]]);
    out.extend_from_slice(&z[cds[2]..eocd]);
    let dir_len = out.len() - dir_start;
    let mut end = z[eocd..].to_vec();
    end[8..10].copy_from_slice(&2u16.to_le_bytes());
    end[10..12].copy_from_slice(&2u16.to_le_bytes());
    end[12..16].copy_from_slice(&(dir_len as u32).to_le_bytes());
    out.extend_from_slice(&end);
    let r = analyze(&write(dir.path(), "hidden.zip", &out), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 3, "{inv:#?}");
    let h = entry(&inv, "Lync-UccApi-0.UccApilog");
    assert_eq!(h.1, "failed");
    assert!(h.2.contains("not listed in the central directory"), "{h:?}");
    assert_eq!(entry(&inv, "a.txt").1, "skipped");
}

/// An end-of-central-directory record saying "no entries" would hide every member. Found by
/// the `bundle` fuzz target (its input is kept in `tests/regressions/`).
#[test]
fn an_empty_central_directory_does_not_hide_members() {
    let dir = tempfile::tempdir().unwrap();
    // The fuzzer's input: a sample with an empty end record planted at offset 500.
    let found = root().join("tests/regressions/fuzz-bundle-empty-central-directory.zip");
    let r = analyze(&found, &[]);
    let inv = entries(&r.json);
    assert!(inv.len() > 1, "{inv:#?}");
    assert_eq!(inv[0].1, "failed");
    assert!(inv[0].2.contains("lists no entries"), "{:?}", inv[0]);
    assert!(inv[0].2.contains("5 members salvaged"), "{:?}", inv[0]);

    // The same trick on a real bundle: the cause is still found.
    let mut planted = std::fs::read(root().join("samples/clock-skew.zip")).unwrap();
    planted.extend_from_slice(b"PK\x05\x06");
    planted.extend_from_slice(&[0; 18]);
    let r = analyze(&write(dir.path(), "planted.zip", &planted), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 2, "{inv:#?}");
    assert_eq!(entry(&inv, "Tracing/Lync-UccApi-0.UccApilog").1, "parsed");
    assert_eq!(r.json["causes"][0]["id"], "clock-skew");

    // A genuinely empty archive still lists nothing.
    let empty = zip_of(&[]);
    let r = analyze(&write(dir.path(), "empty.zip", &empty), &[]);
    assert!(entries(&r.json).is_empty());
}

#[test]
fn a_zip_that_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "bundle.zip",
        b"this is a text file named like an archive\n",
    );
    let r = analyze(&p, &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 1);
    assert_eq!(inv[0].1, "failed");
    assert!(inv[0].2.contains("not a readable zip archive"), "{inv:?}");
    assert_eq!(r.code, Some(2), "nothing could be read");

    // Inside a bundle, beside a good member.
    let outer = zip_of(&[
        ("inner.zip", b"PK\x03\x04 but nothing after", Stored),
        ("fake.zip", b"plain text", Stored),
        ("Lync-UccApi-0.UccApilog", LOG_LINE.as_bytes(), Stored),
    ]);
    let r = analyze(&write(dir.path(), "outer.zip", &outer), &[]);
    let inv = entries(&r.json);
    assert_eq!(inv.len(), 3, "{inv:#?}");
    assert_eq!(entry(&inv, "inner.zip").1, "failed");
    assert_eq!(entry(&inv, "fake.zip").1, "failed");
    assert_eq!(entry(&inv, "Lync-UccApi-0.UccApilog").1, "parsed");
    assert_eq!(r.code, Some(0));
}

/// Salvage, overlap and limit decisions do not depend on the number of threads.
#[test]
fn hostile_outputs_are_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read(root().join("samples/healthy-signin.zip")).unwrap();
    let cd = central_entries(&sample)[0];
    let text = LOG_LINE.repeat(50);
    let mut overlap = zip_of(&[
        ("Lync-UccApi-0.UccApilog", text.as_bytes(), Deflated),
        ("Lync-UccApi-1.UccApilog", text.as_bytes(), Deflated),
        ("zeros.txt", &vec![0u8; 4 << 20], Deflated),
        ("nested.zip", &sample, Stored),
    ]);
    let cds = central_entries(&overlap);
    let first = u32_at(&overlap, cds[0] + 42);
    put_u32(&mut overlap, cds[1] + 42, first);
    for (name, bytes) in [
        ("cut.zip", &sample[..cd + 5]),
        ("overlap.zip", &overlap[..]),
    ] {
        let p = write(dir.path(), name, bytes);
        for format in ["json", "text"] {
            let one = run_threads(&p, format, &[], dir.path(), "1").0;
            let three = run_threads(&p, format, &[], dir.path(), "3").0;
            assert_eq!(one, three, "{name} {format}");
        }
    }
}

/// Members of a zip as the zip crate sees them (directories excluded), nested archives
/// counted as one member plus their own members, to `depth` levels like `--max-depth`.
fn members_in_zip(bytes: &[u8], depth: u32, max_depth: u32) -> usize {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return 0;
    };
    let mut n = 0;
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        if f.is_dir() {
            continue;
        }
        n += 1;
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if depth < max_depth && data.starts_with(b"PK\x03\x04") {
            n += members_in_zip(&data, depth + 1, max_depth);
        }
    }
    n
}

/// Members of a zip given on the command line (the archive itself is not one of them).
fn want_members(f: &Path) -> usize {
    members_in_zip(&std::fs::read(f).unwrap(), 1, 4)
}

fn analyze_plain(path: &Path) -> Value {
    let out = cmd()
        .args(["analyze", "--format", "json"])
        .arg(path)
        .timeout(Duration::from_secs(600))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", path.display());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    check_inventory(path, &v);
    v
}

fn parsed_skipped_failed(v: &Value) -> usize {
    let t = &v["totals"];
    (t["parsed"].as_u64().unwrap() + t["skipped"].as_u64().unwrap() + t["failed"].as_u64().unwrap())
        as usize
}

/// Nothing is lost: for every sample, parsed + skipped + failed equals the members of the
/// archive (directories excluded, nested archives' members included). The shared corpus is
/// read as one folder bundle: the sum equals its files (each zip counting as itself plus its
/// members).
#[test]
fn nothing_is_lost_on_samples_and_corpus() {
    let mut samples: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    samples.sort();
    assert!(samples.len() >= 6);
    for f in &samples {
        let v = analyze_plain(f);
        // The single input archive is the bundle, not a member of it.
        let want = want_members(f);
        assert_eq!(parsed_skipped_failed(&v), want, "{}", f.display());
    }

    let Some(corpus) = sfbtriage::corpus::path("") else {
        return;
    };
    let mut want = 0;
    let mut stack = vec![corpus.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if e.path().extension().is_some_and(|x| x == "zip") {
                want += 1 + want_members(&e.path());
            } else {
                want += 1;
            }
        }
    }
    let v = analyze_plain(&corpus);
    assert_eq!(parsed_skipped_failed(&v), want);
}

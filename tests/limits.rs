//! The limits do what README says: `--max-total-size` counts the whole bundle (every input,
//! folder files, archive members and nested archives' members), `--member-time-budget` holds
//! for every kind of member, and a FIFO in a folder input is listed, never waited on.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn analyze(paths: &[&Path], extra: &[&str]) -> Value {
    let out = Command::cargo_bin("sfbtriage")
        .unwrap()
        .args(["analyze", "--format", "json"])
        .args(extra)
        .args(paths)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some(),
        "killed (the time limit?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (path, status, reason) of every inventory entry.
fn inventory(v: &Value) -> Vec<(String, String, String)> {
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

fn status_of<'a>(inv: &'a [(String, String, String)], path: &str) -> &'a (String, String, String) {
    inv.iter()
        .find(|e| e.0 == path)
        .unwrap_or_else(|| panic!("{path} not in {inv:#?}"))
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const TOTAL: &str = "--max-total-size";

#[test]
fn max_total_size_counts_folder_files() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(dir.path().join(name), vec![b'x'; 1000]).unwrap();
    }
    let v = analyze(&[dir.path()], &[TOTAL, "2500"]);
    let inv = inventory(&v);
    assert_eq!(status_of(&inv, "a.txt").1, "skipped"); // unknown format, but read
    assert!(!status_of(&inv, "a.txt").2.contains(TOTAL));
    assert!(!status_of(&inv, "b.txt").2.contains(TOTAL));
    let c = status_of(&inv, "c.txt");
    assert!(c.2.contains(TOTAL), "{c:?}");
}

#[test]
fn max_total_size_counts_nested_archives_and_every_input() {
    let dir = tempfile::tempdir().unwrap();
    let k = vec![b'y'; 1000];
    let inner = zip_of(&[("b.txt", &k), ("c.txt", &k)]);
    let outer = zip_of(&[("a.txt", &k), ("inner.zip", &inner)]);
    let zip = dir.path().join("outer.zip");
    std::fs::write(&zip, &outer).unwrap();
    // a (1000) + inner.zip + b (1000) fit; c does not.
    let limit = (1000 + inner.len() + 1000 + 500).to_string();
    let inv = inventory(&analyze(&[&zip], &[TOTAL, &limit]));
    assert!(
        !status_of(&inv, "inner.zip!b.txt").2.contains(TOTAL),
        "{inv:#?}"
    );
    let c = status_of(&inv, "inner.zip!c.txt");
    assert!(c.2.contains(TOTAL), "{c:?}");

    // Two inputs share one budget: the second input's file is past it.
    let other = dir.path().join("d.txt");
    std::fs::write(&other, &k).unwrap();
    let limit = (1000 + inner.len() + 2000).to_string();
    let inv = inventory(&analyze(&[&zip, &other], &[TOTAL, &limit]));
    assert!(
        !status_of(&inv, "outer.zip!inner.zip!c.txt")
            .2
            .contains(TOTAL)
    );
    let d = status_of(&inv, "d.txt");
    assert!(d.2.contains(TOTAL), "{d:?}");
}

/// Same input, same output: which members the total skips does not depend on threads.
#[test]
fn the_total_is_spent_in_a_fixed_order() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        let k = vec![b'z'; 700 + i];
        std::fs::write(
            dir.path().join(format!("z{i:02}.zip")),
            zip_of(&[("m1.txt", &k), ("m2.txt", &k)]),
        )
        .unwrap();
        std::fs::write(dir.path().join(format!("p{i:02}.txt")), &k).unwrap();
    }
    let run = |threads: &str| {
        Command::cargo_bin("sfbtriage")
            .unwrap()
            .args([
                "analyze",
                "--format",
                "json",
                TOTAL,
                "20000",
                "--threads",
                threads,
            ])
            .arg(dir.path())
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert_eq!(one, run("4"));
    let v: Value = serde_json::from_slice(&one).unwrap();
    let skipped = inventory(&v).iter().filter(|e| e.2.contains(TOTAL)).count();
    assert!(skipped > 0 && skipped < 36, "{skipped}");
}

/// Every kind of member is held to the budget, not only the record-by-record readers.
#[test]
fn member_time_budget_applies_to_every_kind() {
    for sample in [
        "ps-logon-failed.zip",
        "dns-cname-missing.zip",
        "adfs-self-signed-cert.zip",
    ] {
        let v = analyze(
            &[&root().join("samples").join(sample)],
            &["--member-time-budget", "0.000000001"],
        );
        for (path, status, reason) in inventory(&v) {
            if reason.contains("skipped") || status == "skipped" {
                continue;
            }
            assert_eq!(status, "failed", "{sample} {path}: {reason}");
            assert!(
                reason.contains("--member-time-budget"),
                "{sample} {path}: {reason}"
            );
        }
        assert!(v["causes"].as_array().unwrap().is_empty(), "{sample}");
    }
}

/// A FIFO in a folder input (named like a client log, so it would be read first) is listed
/// as not a regular file and never opened: `analyze` finishes. The check in the reader is
/// `FileType::is_file`, the same on every platform; only making the FIFO needs `mkfifo`
/// (POSIX), so where there is none the test has nothing to set up and says so.
#[test]
fn a_fifo_in_a_folder_never_blocks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("Tracing")).unwrap();
    let fifo = dir.path().join("Tracing/Lync-UccApi-0.UccApilog");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("note: no mkfifo on this system; no FIFO can be made to test with");
        return;
    }
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let v = analyze(&[dir.path()], &[]);
    let inv = inventory(&v);
    let f = status_of(&inv, "Tracing/Lync-UccApi-0.UccApilog");
    assert_eq!(f.1, "skipped");
    assert!(f.2.contains("not a regular file"), "{f:?}");
    assert_eq!(status_of(&inv, "notes.txt").1, "skipped");
    // Given directly, too.
    let v = analyze(&[&fifo], &[]);
    let inv = inventory(&v);
    assert_eq!(inv.len(), 1);
    assert!(inv[0].2.contains("not a regular file"), "{inv:?}");
}

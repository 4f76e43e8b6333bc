//! Output safety: CSV cells a spreadsheet would run as formulas are neutralised in both CSV
//! outputs, and `batch --html-dir` gives every bundle its own report file.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("sfbtriage")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn cells(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn csv_cells_never_start_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let sample = root().join("samples/clock-skew.zip");
    for name in ["=HYPERLINK(1).zip", "+1.zip", "@SUM(A1).zip", "-2.zip"] {
        std::fs::copy(&sample, dir.path().join(name)).unwrap();
    }
    // analyze: the input cell; `--` lets `-2.zip` be a path.
    for name in ["@SUM(A1).zip", "-2.zip"] {
        let out = run_in(dir.path(), &["analyze", "--format", "csv", "--", name]);
        let rows = cells(&out);
        assert_eq!(rows[1][0], format!("'{name}"), "{out}");
        assert_eq!(rows[1][2], "clock-skew");
    }
    // batch: the bundle cell.
    let out = run_in(dir.path(), &["batch", "--format", "csv", "."]);
    let rows = cells(&out);
    assert_eq!(rows.len(), 5, "{out}");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?} in {out}"
            );
        }
    }
    let bundles: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        bundles,
        ["'+1.zip", "'-2.zip", "'=HYPERLINK(1).zip", "'@SUM(A1).zip"]
    );
}

#[test]
fn html_dir_gives_every_bundle_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::fs::copy(
        root().join("samples/clock-skew.zip"),
        dir.path().join("a/b.zip"),
    )
    .unwrap();
    std::fs::copy(
        root().join("samples/wrong-credentials.zip"),
        dir.path().join("a_b.zip"),
    )
    .unwrap();
    let html = dir.path().join("html");
    run_in(
        dir.path(),
        &["batch", "--html-dir", html.to_str().unwrap(), "."],
    );
    let mut files: Vec<String> = std::fs::read_dir(&html)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    // ... and the overview, index.html, linking both.
    assert_eq!(files, ["a_b.zip-2.html", "a_b.zip.html", "index.html"]);
    let index = std::fs::read_to_string(html.join("index.html")).unwrap();
    assert!(index.contains("href=\"a_b.zip.html\"") && index.contains("href=\"a_b.zip-2.html\""));
    // Path order: a/b.zip first, so it has the plain name.
    let first = std::fs::read_to_string(html.join("a_b.zip.html")).unwrap();
    let second = std::fs::read_to_string(html.join("a_b.zip-2.html")).unwrap();
    assert!(first.contains("a/b.zip") && first.contains("clock-skew"));
    assert!(second.contains("wrong-credentials"));
}

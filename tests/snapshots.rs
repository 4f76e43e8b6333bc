//! Golden snapshots: every sample in every `analyze` format, and `batch` over `samples/` in
//! every batch format, kept in `tests/snapshots/`. Any change of output is a visible diff there.
//!
//! After a change that is meant to alter output, regenerate and review:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test --test snapshots   # rewrite the .snap files
//! git diff tests/snapshots/                         # review every changed line
//! ```
//!
//! (`cargo insta review` works too, if `cargo-insta` is installed.) With `CI=true`, as in
//! `.ci/run`, insta never writes and a difference fails the test. The only things replaced
//! before comparing are the tool's own version (`[version]`), which changes with every
//! release; everything else — times, paths, counts — is fixed by the sample itself.

use std::path::PathBuf;

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every sample zip, by file name, in name order.
fn samples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".zip"))
        .collect();
    v.sort();
    assert!(v.len() >= 20, "samples/ holds the sample zips");
    v
}

/// Run sfbtriage in the repository root (so paths read `samples/…`) and return stdout.
fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("sfbtriage")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

/// The tool's version replaced by `[version]`; a CSV's BOM checked and removed.
fn fixed(mut s: String, csv: bool) -> String {
    if csv {
        s = s
            .strip_prefix('\u{feff}')
            .expect("CSV starts with a BOM")
            .to_string();
    }
    let v = env!("CARGO_PKG_VERSION");
    for (from, to) in [
        (format!("sfbtriage {v}"), "sfbtriage [version]".to_string()),
        (
            format!("\"version\": \"{v}\""),
            "\"version\": \"[version]\"".to_string(),
        ),
        (
            format!("\"version\":\"{v}\""),
            "\"version\":\"[version]\"".to_string(),
        ),
    ] {
        s = s.replace(&from, &to);
    }
    s
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

fn analyze_format(format: &str) {
    let settings = settings();
    settings.bind(|| {
        for sample in samples() {
            let path = format!("samples/{sample}");
            let out = run(&["analyze", "--format", format, "--no-progress", &path]);
            let name = format!("analyze-{}-{format}", sample.trim_end_matches(".zip"));
            insta::assert_snapshot!(name, fixed(out, format == "csv"));
        }
    });
}

#[test]
fn analyze_text() {
    analyze_format("text");
}

#[test]
fn analyze_json() {
    analyze_format("json");
}

#[test]
fn analyze_md() {
    analyze_format("md");
}

#[test]
fn analyze_csv() {
    analyze_format("csv");
}

#[test]
fn analyze_html() {
    analyze_format("html");
}

#[test]
fn batch_over_samples() {
    let settings = settings();
    settings.bind(|| {
        for format in ["text", "jsonl", "csv"] {
            let out = run(&["batch", "--format", format, "--no-progress", "samples"]);
            insta::assert_snapshot!(format!("batch-{format}"), fixed(out, format == "csv"));
        }
    });
}

/// Every snapshot file belongs to a sample and format that exist, and every sample has all of
/// its snapshots: a removed or renamed sample cannot leave a stale snapshot behind.
#[test]
fn snapshots_match_the_samples() {
    let mut want: Vec<String> = samples()
        .iter()
        .flat_map(|s| {
            let s = s.trim_end_matches(".zip").to_string();
            ["text", "json", "md", "csv", "html"].map(move |f| format!("analyze-{s}-{f}.snap"))
        })
        .chain(["batch-text.snap", "batch-jsonl.snap", "batch-csv.snap"].map(String::from))
        .collect();
    want.sort();
    let mut have: Vec<String> = std::fs::read_dir(root().join("tests/snapshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".snap"))
        .collect();
    have.sort();
    assert_eq!(
        have, want,
        "tests/snapshots/ and samples/ disagree: regenerate with INSTA_UPDATE=always and remove stale files"
    );
}

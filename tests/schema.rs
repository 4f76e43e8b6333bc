//! The JSON Schemas in `docs/schema/` hold for the output of every sample (`analyze`, `batch
//! --format jsonl`), for `explain`, and reject what they should; README's JSON section and the
//! schema name the same top-level fields. (The hostile bundles of `tests/hostile.rs` are
//! validated there, on every run.)

#[path = "common/schema.rs"]
mod schema;

use std::collections::BTreeSet;
use std::path::PathBuf;

use assert_cmd::Command;
use schema::{Doc, assert_valid, errors};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("sfbtriage")
        .unwrap()
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn samples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".zip"))
        .map(|n| format!("samples/{n}"))
        .collect();
    v.sort();
    v
}

fn clock_skew() -> Value {
    serde_json::from_slice(&run(&[
        "analyze",
        "--format",
        "json",
        "samples/clock-skew.zip",
    ]))
    .unwrap()
}

#[test]
fn every_sample_matches_the_analysis_schema_in_json_and_jsonl() {
    for s in samples() {
        for format in ["json", "jsonl"] {
            let v: Value =
                serde_json::from_slice(&run(&["analyze", "--format", format, &s])).unwrap();
            assert_valid(Doc::Analysis, &format!("{s} ({format})"), &v);
        }
        let redacted: Value =
            serde_json::from_slice(&run(&["analyze", "--redact", "--format", "json", &s])).unwrap();
        assert_valid(Doc::Analysis, &format!("{s} (--redact)"), &redacted);
    }
}

#[test]
fn every_batch_line_matches_the_batch_line_schema() {
    let out = String::from_utf8(run(&["batch", "--format", "jsonl", "samples"])).unwrap();
    let mut n = 0;
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_valid(Doc::BatchLine, line.get(..80).unwrap_or(line), &v);
        n += 1;
    }
    assert_eq!(n, samples().len());
    // A line without its bundle is not a batch line.
    let mut v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("bundle");
    assert!(!errors(Doc::BatchLine, &v).is_empty());
}

#[test]
fn explain_matches_the_explain_schema() {
    for q in [
        "4005",
        "0x80090324",
        "The remote server returned an error: (403) Forbidden",
        "nothing we know of",
    ] {
        for flag in [&["--json"][..], &["--format", "json"][..]] {
            let mut args = vec!["explain"];
            args.extend_from_slice(flag);
            args.push(q);
            let v: Value = serde_json::from_slice(&run(&args)).unwrap();
            assert_valid(Doc::Explain, q, &v);
        }
    }
}

/// The schema is strict enough to catch mistakes: an unknown field, a wrong type, a verdict
/// that does not exist and a missing field are each rejected.
#[test]
fn the_schema_rejects_wrong_documents() {
    let good = clock_skew();
    assert_valid(Doc::Analysis, "clock-skew", &good);
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 6] = [
        ("unknown top-level field", |v| {
            v["surprise"] = Value::Bool(true);
        }),
        ("unknown field in a cause", |v| {
            v["causes"][0]["score"] = 1.into();
        }),
        ("verdict out of the list", |v| {
            v["verdict"] = "maybe".into();
        }),
        ("confidence over 1", |v| {
            v["causes"][0]["confidence"] = 1.5.into();
        }),
        ("line as a string", |v| {
            v["inventory"][0]["counts"]["lines"] = "482".into();
        }),
        ("missing inventory", |v| {
            v.as_object_mut().unwrap().remove("inventory");
        }),
    ];
    for (what, mutate) in mutations {
        let mut v = good.clone();
        mutate(&mut v);
        assert!(!errors(Doc::Analysis, &v).is_empty(), "accepted: {what}");
    }
}

/// The fields another branch adds (attempts, current problem, history, new verdicts, lang)
/// are already described, so output carrying them validates.
#[test]
fn the_schema_describes_the_attempt_fields() {
    // A real story: attempts, a current problem and a resolved episode.
    let mut v: Value = serde_json::from_slice(&run(&[
        "analyze",
        "--format",
        "json",
        "samples/fixed-clock-skew-in-bak.zip",
    ]))
    .unwrap();
    assert!(!v["history"].as_array().unwrap().is_empty());
    assert!(v["current_problem"].is_object());
    assert_valid(Doc::Analysis, "with attempts", &v);
    v["verdict"] = "failing-unexplained".into();
    v["current_problem"] = Value::Null;
    assert_valid(Doc::Analysis, "with attempts", &v);
    v["attempts"][0]["phase"] = "dancing".into();
    assert!(!errors(Doc::Analysis, &v).is_empty());
}

fn schema_properties(doc: Doc) -> (BTreeSet<String>, BTreeSet<String>) {
    let s: Value =
        serde_json::from_str(&std::fs::read_to_string(schema::schema_path(doc)).unwrap()).unwrap();
    let props = s["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let required = s["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    (props, required)
}

/// README's JSON section names the schema file, every top-level field it shows is in the
/// schema, and every field the schema requires is shown there.
#[test]
fn readme_json_section_agrees_with_the_schema() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let (_, section) = readme.split_once("## JSON output").expect("a JSON section");
    let section = section.split("\n## ").next().unwrap();
    assert!(section.contains("docs/schema/analysis.schema.json"));
    let (_, block) = section.split_once("```jsonc\n").expect("a jsonc example");
    let (block, _) = block.split_once("```").unwrap();
    // Top-level fields are the keys indented by exactly two spaces.
    let shown: BTreeSet<String> = block
        .lines()
        .filter_map(|l| l.strip_prefix("  \""))
        .filter_map(|l| l.split_once('"').map(|(k, _)| k.to_string()))
        .collect();
    let (props, required) = schema_properties(Doc::Analysis);
    assert!(shown.len() >= 10, "{shown:?}");
    let not_in_schema: Vec<_> = shown.difference(&props).collect();
    assert!(
        not_in_schema.is_empty(),
        "README shows {not_in_schema:?}, the schema lacks them"
    );
    let not_shown: Vec<_> = required.difference(&shown).collect();
    assert!(
        not_shown.is_empty(),
        "the schema requires {not_shown:?}, README does not show them"
    );
    // And the schema's version is the one the program writes.
    assert_eq!(clock_skew()["schema"], "sfbtriage.analysis/1");
    assert!(section.contains("sfbtriage.analysis/1"));
}

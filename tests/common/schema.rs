//! Validating output against the JSON Schemas in `docs/schema/` with a real validator (boon,
//! draft 2020-12). Shared by the test files that produce JSON (`#[path]`-included).
#![allow(dead_code)] // each test file uses the documents it produces

use std::path::PathBuf;

use serde_json::Value;

/// Which document of `docs/schema/` to validate against.
#[derive(Clone, Copy, Debug)]
pub enum Doc {
    /// `analyze --format json` / `jsonl`.
    Analysis,
    /// One line of `batch --format jsonl`.
    BatchLine,
    /// `explain --json`.
    Explain,
}

pub fn schema_path(doc: Doc) -> PathBuf {
    let file = match doc {
        Doc::Analysis => "analysis.schema.json",
        Doc::BatchLine => "batch-line.schema.json",
        Doc::Explain => "explain.schema.json",
    };
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schema")
        .join(file)
}

/// The validation errors of `v` against `doc`, as text; empty when it is valid.
pub fn errors(doc: Doc, v: &Value) -> Vec<String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let path = schema_path(doc);
    let index = compiler
        .compile(path.to_str().expect("UTF-8 path"), &mut schemas)
        .unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
    match schemas.validate(v, index) {
        Ok(()) => Vec::new(),
        Err(e) => vec![format!("{e:#}")],
    }
}

/// Panic with every validation error when `v` does not match `doc`.
pub fn assert_valid(doc: Doc, what: &str, v: &Value) {
    let errs = errors(doc, v);
    assert!(
        errs.is_empty(),
        "{what} does not match {doc:?}:\n{}",
        errs.join("\n")
    );
}

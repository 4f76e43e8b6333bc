//! Where tests find the shared corpus of real files, and what they do when it is absent.
//!
//! This module owns one decision for every corpus test (unit and integration): the corpus is
//! `../shared/corpus` beside the checkout; when it is missing, a test is skipped with a note on
//! stderr — unless `SFBTRIAGE_REQUIRE_CORPUS=1` is set (CI sets it in `.ci/run`), in which case
//! the test fails, so a CI run without the corpus cannot pass silently. Nothing in the
//! diagnosis uses it.

use std::path::PathBuf;

/// The environment switch that turns a missing corpus into a failure.
pub const REQUIRE_ENV: &str = "SFBTRIAGE_REQUIRE_CORPUS";

/// The corpus folder, `../shared/corpus` beside the crate.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn required() -> bool {
    std::env::var_os(REQUIRE_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Report a missing corpus path: a note (test skipped), or a panic when the corpus is required.
fn missing(path: &std::path::Path) {
    missing_when(path, required());
}

fn missing_when(path: &std::path::Path, required: bool) {
    if required {
        panic!(
            "{} is missing and {REQUIRE_ENV} is set: corpus tests must not be skipped",
            path.display()
        );
    }
    eprintln!("note: {} absent; corpus test skipped", path.display());
}

/// The path of `rel` inside the corpus if it exists; `None` (test skipped) otherwise.
pub fn path(rel: &str) -> Option<PathBuf> {
    let p = root().join(rel);
    if p.exists() {
        Some(p)
    } else {
        missing(&p);
        None
    }
}

/// The bytes of `rel` inside the corpus; `None` (test skipped) when absent.
pub fn read(rel: &str) -> Option<Vec<u8>> {
    let p = path(rel)?;
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(e) => panic!("{}: {e}", p.display()),
    }
}

/// The text of `rel` inside the corpus (lossy UTF-8); `None` (test skipped) when absent.
pub fn read_to_string(rel: &str) -> Option<String> {
    read(rel).map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "corpus tests must not be skipped")]
    fn a_missing_file_fails_when_the_corpus_is_required() {
        missing_when(&root().join("no-such-file"), true);
    }

    #[test]
    fn a_missing_file_is_a_skip_otherwise() {
        missing_when(&root().join("no-such-file"), false);
    }
}

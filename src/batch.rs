//! Batch: triage a folder of ticket attachments in one run.
//!
//! This module owns finding the bundles below the given folders, analysing them in parallel,
//! and streaming one [`BatchRow`] per bundle to the caller in a fixed order while only a
//! small window of bundles is in memory. What counts as a bundle:
//! - every `.zip` file (any case), which is not looked into for further bundles;
//! - every folder that directly holds a file sfbtriage reads (a UccApi log by name, an
//!   `.evtx`, an `.etl`) or a `Tracing` sub-folder — the folder and everything below it is
//!   one bundle;
//! - other folders are searched further.
//!
//! Bundles are visited in path order (names sorted at each level).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::detect;
use crate::diagnosis::Analysis;
use crate::pipeline::{self, Options};
use crate::rules::RuleSet;

/// One bundle found below the batch folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundlePath {
    pub path: PathBuf,
    /// Bytes on disk (the zip, or every file of the folder), for progress.
    pub bytes: u64,
}

fn is_zip(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

fn folder_is_bundle(entries: &[std::fs::DirEntry]) -> bool {
    entries.iter().any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            return name.eq_ignore_ascii_case("tracing");
        }
        let lower = name.to_ascii_lowercase();
        detect::is_uccapi_name(&name) || lower.ends_with(".evtx") || lower.ends_with(".etl")
    })
}

fn size_of(p: &Path) -> u64 {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => std::fs::read_dir(p)
            .map(|rd| rd.filter_map(Result::ok).map(|e| size_of(&e.path())).sum())
            .unwrap_or(0),
        Ok(m) if m.is_file() => m.len(),
        _ => 0,
    }
}

/// Every bundle below `dirs`, in order. A path that is itself a zip is one bundle.
pub fn discover(dirs: &[PathBuf]) -> Vec<BundlePath> {
    discover_reporting(dirs).0
}

/// A path the search for bundles could not look into, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: PathBuf,
    pub reason: String,
}

/// Every bundle below `dirs`, in order, and every error met on the way (a folder that cannot
/// be listed, an entry that cannot be read): nothing is skipped silently.
pub fn discover_reporting(dirs: &[PathBuf]) -> (Vec<BundlePath>, Vec<WalkError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for d in dirs {
        if d.is_file() {
            out.push(BundlePath {
                path: d.clone(),
                bytes: size_of(d),
            });
        } else {
            walk(d, &mut out, &mut errors);
        }
    }
    (out, errors)
}

fn walk(dir: &Path, out: &mut Vec<BundlePath>, errors: &mut Vec<WalkError>) {
    let mut error = |path: &Path, what: &str, e: std::io::Error| {
        errors.push(WalkError {
            path: path.to_path_buf(),
            reason: format!("{what}: {e}"),
        })
    };
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            error(dir, "cannot list folder", e);
            return;
        }
    };
    let mut entries = Vec::new();
    for e in rd {
        match e {
            Ok(e) => entries.push(e),
            Err(e) => error(dir, "cannot read an entry of the folder", e),
        }
    }
    entries.sort_by_key(|e| e.file_name());
    if folder_is_bundle(&entries) {
        out.push(BundlePath {
            path: dir.to_path_buf(),
            bytes: size_of(dir),
        });
        return;
    }
    for e in entries {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(&p, out, errors),
            Ok(t) if t.is_file() && is_zip(&p) => out.push(BundlePath {
                bytes: size_of(&p),
                path: p,
            }),
            Ok(_) => {}
            Err(err) => errors.push(WalkError {
                path: p,
                reason: format!("cannot stat: {err}"),
            }),
        }
    }
}

/// One line of the batch table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchRow {
    pub bundle: String,
    pub sip_uri: Option<String>,
    pub top_cause: Option<String>,
    pub confidence: Option<f64>,
    pub runner_up: Option<String>,
    /// Members that failed to read.
    pub member_errors: usize,
    pub members: usize,
    /// The analysis' verdict (`cause-found`, `failing-unexplained`, `signed-in-now`,
    /// `no-cause-found`).
    pub verdict: &'static str,
}

impl BatchRow {
    pub fn of(bundle: &str, a: &Analysis) -> Self {
        BatchRow {
            bundle: bundle.to_string(),
            sip_uri: a.user.sip_uri.clone(),
            top_cause: a.causes.first().map(|c| c.id.0.clone()),
            confidence: a.causes.first().map(|c| c.confidence),
            runner_up: a.causes.get(1).map(|c| c.id.0.clone()),
            member_errors: a.totals.failed,
            members: a.totals.members,
            verdict: a.verdict,
        }
    }

    /// The top cause, or the verdict in brackets when there is none (`(failing-unexplained)`,
    /// `(signed-in-now)`, `(none)`).
    pub fn top_or_verdict(&self) -> String {
        match (&self.top_cause, self.verdict) {
            (Some(c), _) => c.clone(),
            (None, "failing-unexplained" | "signed-in-now") => format!("({})", self.verdict),
            (None, _) => "(none)".to_string(),
        }
    }
}

/// Analyse every bundle and hand each (in order) to `emit`; at most `window` analyses are in
/// memory at once.
pub fn run(
    bundles: &[BundlePath],
    rules: &RuleSet,
    catalog: &Catalog,
    options: &Options,
    window: usize,
    progress: Option<&indicatif::ProgressBar>,
    mut emit: impl FnMut(&BundlePath, Analysis) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for chunk in bundles.chunks(window.max(1)) {
        let analyses: Vec<Analysis> = chunk
            .par_iter()
            .map(|b| {
                let a =
                    pipeline::analyze(std::slice::from_ref(&b.path), rules, catalog, options, None);
                if let Some(p) = progress {
                    p.inc(b.bytes);
                }
                a
            })
            .collect();
        for (b, a) in chunk.iter().zip(analyses) {
            emit(b, a)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_zips_and_bundle_folders_in_order() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::create_dir_all(p.join("ticket-2/Tracing")).unwrap();
        std::fs::write(p.join("ticket-2/Tracing/Lync-UccApi-0.UccApilog"), b"x").unwrap();
        std::fs::write(
            p.join("ticket-2/notes.zip"),
            b"inside a bundle folder: not separate",
        )
        .unwrap();
        std::fs::create_dir_all(p.join("ticket-1")).unwrap();
        std::fs::write(p.join("ticket-1/b.ZIP"), b"PK").unwrap();
        std::fs::write(p.join("ticket-1/a.zip"), b"PK").unwrap();
        std::fs::create_dir_all(p.join("ticket-3")).unwrap();
        std::fs::write(p.join("ticket-3/Communicator-uccapi-0.uccapilog"), b"y").unwrap();
        std::fs::write(p.join("readme.txt"), b"not a bundle").unwrap();
        let found: Vec<String> = discover(&[p.to_path_buf()])
            .iter()
            .map(|b| {
                b.path
                    .strip_prefix(p)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            found,
            vec!["ticket-1/a.zip", "ticket-1/b.ZIP", "ticket-2", "ticket-3"]
        );
        let b = discover(&[p.join("ticket-2")]);
        assert_eq!(b[0].bytes, 1 + 36);
    }
}

#[cfg(test)]
mod walk_tests {
    use super::*;

    #[test]
    fn a_folder_that_cannot_be_listed_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone");
        let (bundles, errors) = discover_reporting(std::slice::from_ref(&missing));
        assert!(bundles.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path, missing);
        assert!(
            errors[0].reason.starts_with("cannot list folder"),
            "{errors:?}"
        );
    }
}

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
//!
//! For runs spread over several processes or machines it also owns the two ways of taking a
//! part of the bundles: a [`Shard`] (`--shard K/N`: a bundle belongs to shard K when the
//! SHA-256 of its path relative to the folder it was found under, as a big-endian number from
//! its first 8 bytes, is K-1 modulo N — stable when bundles are added, the same on every
//! platform and Rust version) and [`read_done`] (`--resume FILE`: the bundles an earlier JSONL
//! output already holds, a line cut off by a crash ignored with a note).

use std::collections::HashSet;
use std::io::BufRead;
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
    let found = discover_some(dirs, &|_, _| true);
    (found.bundles, found.errors)
}

/// What [`discover_some`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    /// The bundles kept, in order.
    pub bundles: Vec<BundlePath>,
    /// Every error met on the way.
    pub errors: Vec<WalkError>,
    /// How many bundles there are below `dirs`, kept or not.
    pub found: usize,
}

/// The bundles below `dirs` for which `keep(path, relative path)` holds, in order: the others
/// are counted but neither sized nor kept, so a shard of a large store holds (and stats) only
/// its own share. The relative path is the bundle's path below the batch folder it was found
/// under, with `/` separators (for a zip given directly, or a given folder that is itself a
/// bundle: its own name): what [`Shard`] hashes.
pub fn discover_some(dirs: &[PathBuf], keep: &dyn Fn(&Path, &str) -> bool) -> Discovery {
    let mut walker = Walker {
        keep,
        found: Discovery {
            bundles: Vec::new(),
            errors: Vec::new(),
            found: 0,
        },
    };
    for d in dirs {
        if d.is_file() {
            walker.bundle(d, d);
        } else {
            walker.walk(d, d);
        }
    }
    walker.found
}

/// `path` relative to `root`, `/`-separated; the path's own name when it is the root.
fn relative(path: &Path, root: &Path) -> String {
    let parts: Vec<String> = path
        .strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string_lossy().into_owned())
    } else {
        parts.join("/")
    }
}

struct Walker<'a> {
    keep: &'a dyn Fn(&Path, &str) -> bool,
    found: Discovery,
}

impl Walker<'_> {
    /// A bundle at `path`, found under `root`.
    fn bundle(&mut self, path: &Path, root: &Path) {
        self.found.found += 1;
        let rel = relative(path, root);
        if (self.keep)(path, &rel) {
            self.found.bundles.push(BundlePath {
                path: path.to_path_buf(),
                bytes: size_of(path),
            });
        }
    }

    fn error(&mut self, path: &Path, reason: String) {
        self.found.errors.push(WalkError {
            path: path.to_path_buf(),
            reason,
        });
    }

    fn walk(&mut self, root: &Path, dir: &Path) {
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.error(dir, format!("cannot list folder: {e}"));
                return;
            }
        };
        let mut entries = Vec::new();
        for e in rd {
            match e {
                Ok(e) => entries.push(e),
                Err(e) => self.error(dir, format!("cannot read an entry of the folder: {e}")),
            }
        }
        entries.sort_by_key(|e| e.file_name());
        if folder_is_bundle(&entries) {
            self.bundle(dir, root);
            return;
        }
        for e in entries {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => self.walk(root, &p),
                Ok(t) if t.is_file() && is_zip(&p) => self.bundle(&p, root),
                Ok(_) => {}
                Err(err) => self.error(&p, format!("cannot stat: {err}")),
            }
        }
    }
}

/// `--shard K/N`: the K-th of N disjoint shares of the bundles (1 <= K <= N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// K, from 1.
    pub index: u64,
    /// N, at least 1.
    pub count: u64,
}

impl Shard {
    /// The shard (1..=`count`) a bundle belongs to, from its relative path: the first 8 bytes
    /// of the path's SHA-256 as a big-endian number, modulo `count`, plus 1. The same answer
    /// as `printf %s PATH | sha256sum` read that way, on any machine.
    pub fn of(rel: &str, count: u64) -> u64 {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(rel.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % count.max(1) + 1
    }

    /// Whether the bundle with this relative path is in this shard.
    pub fn holds(&self, rel: &str) -> bool {
        Shard::of(rel, self.count) == self.index
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{s}` is not a shard: write K/N with whole numbers 1 <= K <= N (e.g. 2/3 for the second of three)"
            )
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { index: k, count: n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A line of a `--resume` file that is not a whole batch line (cut off by a crash, or not
/// JSON): ignored, and said on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    pub file: PathBuf,
    /// From 1.
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for SkippedLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: ignored, not a complete batch line ({})",
            self.file.display(),
            self.line,
            self.reason
        )
    }
}

/// The `bundle` of every complete line of an earlier `batch --format jsonl` output, and the
/// lines that were not complete (a truncated last line after a crash, anything not a JSON
/// object with a string `bundle`). Only an unreadable file is an error.
pub fn read_done(file: &Path) -> std::io::Result<(HashSet<String>, Vec<SkippedLine>)> {
    #[derive(serde::Deserialize)]
    struct Line {
        bundle: String,
    }
    let mut reader = std::io::BufReader::new(std::fs::File::open(file)?);
    let mut done = HashSet::new();
    let mut skipped = Vec::new();
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let complete = buf.ends_with(b"\n");
        match serde_json::from_slice::<Line>(&buf) {
            Ok(l) => {
                done.insert(l.bundle);
            }
            Err(e) => skipped.push(SkippedLine {
                file: file.to_path_buf(),
                line,
                reason: if complete {
                    e.to_string()
                } else {
                    format!("the file ends inside this line: {e}")
                },
            }),
        }
    }
    Ok((done, skipped))
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

#[cfg(test)]
mod share_tests {
    use super::*;

    #[test]
    fn shard_values_parse_and_bad_ones_are_refused() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        assert_eq!("1/1".parse::<Shard>(), Ok(Shard { index: 1, count: 1 }));
        for bad in [
            "0/3", "4/3", "1/0", "0/0", "3", "a/b", "-1/3", "1/3/4", "", "1.5/3",
        ] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains("is not a shard"), "{bad}: {e}");
        }
    }

    /// The assignment is SHA-256's first 8 bytes, big-endian, modulo N, plus 1: these values
    /// are `python3 -c 'import hashlib; print(int(hashlib.sha256(b"PATH").hexdigest()[:16], 16) % N + 1)'`.
    #[test]
    fn shard_of_is_sha256_and_fixed() {
        let expected = |rel: &str, n: u64| -> u64 {
            use sha2::Digest;
            let d = sha2::Sha256::digest(rel.as_bytes());
            let hex: String = d[..8].iter().map(|b| format!("{b:02x}")).collect();
            u64::from_str_radix(&hex, 16).unwrap() % n + 1
        };
        assert_eq!(Shard::of("clock-skew.zip", 3), 3);
        assert_eq!(Shard::of("sub/healthy-signin.zip", 3), 1);
        for rel in ["a.zip", "ticket-0001/x.zip", "日本/バンドル.zip", ""] {
            for n in 1..=7 {
                let k = Shard::of(rel, n);
                assert!((1..=n).contains(&k));
                assert_eq!(k, expected(rel, n));
                let holders: Vec<u64> = (1..=n)
                    .filter(|&i| Shard { index: i, count: n }.holds(rel))
                    .collect();
                assert_eq!(holders, vec![k]);
            }
        }
    }

    #[test]
    fn relative_paths_use_slashes_and_name_a_root_bundle() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        std::fs::create_dir_all(p.join("x/y")).unwrap();
        std::fs::write(p.join("x/y/b.zip"), b"PK").unwrap();
        std::fs::create_dir_all(p.join("t/Tracing")).unwrap();
        let dirs = [p.to_path_buf(), p.join("x/y/b.zip"), p.join("t")];
        let rels = std::cell::RefCell::new(Vec::new());
        let found = discover_some(&dirs, &|_, rel| {
            rels.borrow_mut().push(rel.to_string());
            rel != "b.zip"
        });
        assert_eq!(*rels.borrow(), ["t", "x/y/b.zip", "b.zip", "t"]);
        // What keep refuses is counted, not kept.
        assert_eq!(found.found, 4);
        let kept: Vec<&Path> = found.bundles.iter().map(|b| b.path.as_path()).collect();
        assert_eq!(kept, [p.join("t"), p.join("x/y/b.zip"), p.join("t")]);
    }

    #[test]
    fn resume_file_keeps_whole_lines_and_notes_the_rest() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("old.jsonl");
        std::fs::write(
            &f,
            b"{\"bundle\":\"in/a.zip\",\"verdict\":\"cause-found\"}\n\n[1,2]\n{\"bundle\":\"in/b.zip\"}\n{\"bundle\":\"in/c.z",
        )
        .unwrap();
        let (done, skipped) = read_done(&f).unwrap();
        let mut done: Vec<_> = done.into_iter().collect();
        done.sort();
        assert_eq!(done, ["in/a.zip", "in/b.zip"]);
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(skipped[0].line, 3);
        assert_eq!(skipped[1].line, 5);
        assert!(
            skipped[1]
                .reason
                .starts_with("the file ends inside this line")
        );
        let note = skipped[1].to_string();
        assert!(note.contains("old.jsonl:5: ignored"), "{note}");
        assert!(read_done(&d.path().join("missing.jsonl")).is_err());
    }
}

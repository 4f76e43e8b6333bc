//! `batch` beyond one process: `--shard K/N` splits the bundles into disjoint shares whose
//! JSONL outputs together are a single run's lines, a bundle keeps its shard when others are
//! added, and `--resume FILE` continues a run that was cut off mid-line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn cmd() -> Command {
    let mut c = Command::cargo_bin("sfbtriage").unwrap();
    c.env("NO_COLOR", "1").env("LC_ALL", "C");
    c
}

/// A folder of ticket attachments under `dir/in`: zips at the top and in day folders, and a
/// folder bundle (an extracted `Tracing` folder).
fn attachments(dir: &Path) {
    let zips = [
        ("clock-skew.zip", "clock-skew.zip"),
        ("healthy-signin.zip", "healthy-signin.zip"),
        ("2026-11-03/t-101.zip", "dns-cname-missing.zip"),
        ("2026-11-03/t-102.zip", "msoidsvc-bad-password.zip"),
        ("2026-11-03/t-103.zip", "corrupt-credentials.zip"),
        ("2026-11-04/t-201.zip", "user-not-sip-enabled.zip"),
        ("2026-11-04/t-202.zip", "cert-error-unexplained.zip"),
        ("2026-11-04/t-203.zip", "ps-logon-failed.zip"),
        ("2026-11-04/deep/t-204.zip", "time-service-offline.zip"),
        ("2026-11-05/t-301.zip", "online-new-user-4005.zip"),
        ("2026-11-05/t-302.zip", "utf16-clock-skew.zip"),
    ];
    for (to, from) in zips {
        let to = dir.join("in").join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(sample(from), to).unwrap();
    }
    let tracing = dir.join("in/2026-11-05/t-303/Tracing");
    std::fs::create_dir_all(&tracing).unwrap();
    let zip = zip::ZipArchive::new(std::fs::File::open(sample("clock-skew.zip")).unwrap());
    let mut zip = zip.unwrap();
    let mut log = zip.by_name("Tracing/Lync-UccApi-0.UccApilog").unwrap();
    let mut f = std::fs::File::create(tracing.join("Lync-UccApi-0.UccApilog")).unwrap();
    std::io::copy(&mut log, &mut f).unwrap();
}

/// `sfbtriage batch --format jsonl ARGS in`, run in `dir`: its lines and stderr.
fn batch(dir: &Path, args: &[&str]) -> (Vec<String>, String) {
    let out = cmd()
        .current_dir(dir)
        .args(["batch", "--no-progress", "--format", "jsonl"])
        .args(args)
        .arg("in")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.is_empty() || stdout.ends_with('\n'));
    (stdout.lines().map(str::to_string).collect(), stderr)
}

fn bundle_of(line: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    v["bundle"].as_str().unwrap().to_string()
}

fn sorted(lines: &[String]) -> Vec<String> {
    let mut l = lines.to_vec();
    l.sort();
    l
}

/// Which shard of N each bundle went to.
fn assignment(dir: &Path, n: u64) -> BTreeMap<String, u64> {
    let mut at = BTreeMap::new();
    for k in 1..=n {
        for line in batch(dir, &["--shard", &format!("{k}/{n}")]).0 {
            // `/`-separated on every platform, to compare with paths built below.
            let name = bundle_of(&line).replace('\\', "/");
            assert!(at.insert(name, k).is_none(), "{line}");
        }
    }
    at
}

#[test]
fn shards_together_are_exactly_one_full_run() {
    let d = tempfile::tempdir().unwrap();
    attachments(d.path());
    let (full, _) = batch(d.path(), &[]);
    assert_eq!(full.len(), 12);
    // Nothing in a line depends on the run: a second run (other thread count) is the same,
    // and the lines hold the bundle path as given, not the temporary folder's.
    assert_eq!(batch(d.path(), &["--threads", "1"]).0, full);
    let tmp = d.path().to_string_lossy().into_owned();
    assert!(full.iter().all(|l| !l.contains(&tmp)));
    for n in 1..=3u64 {
        let mut all = Vec::new();
        let mut non_empty = 0;
        for k in 1..=n {
            let (lines, stderr) = batch(d.path(), &["--shard", &format!("{k}/{n}")]);
            assert!(
                stderr.contains(&format!(
                    "shard {k}/{n}: {} of the 12 bundles found",
                    lines.len()
                )),
                "{stderr}"
            );
            // A shard keeps the path order of the full run.
            let order: Vec<&String> = full.iter().filter(|l| lines.contains(l)).collect();
            assert_eq!(order, lines.iter().collect::<Vec<_>>());
            non_empty += usize::from(!lines.is_empty());
            all.extend(lines);
        }
        assert_eq!(sorted(&all), sorted(&full), "N = {n}");
        // Each bundle in exactly one shard.
        let bundles: BTreeSet<String> = all.iter().map(|l| bundle_of(l)).collect();
        assert_eq!(bundles.len(), all.len());
        assert!(
            non_empty >= n.min(2) as usize,
            "N = {n}: one shard took all"
        );
    }
}

#[test]
fn a_bundle_keeps_its_shard_when_bundles_are_added() {
    let d = tempfile::tempdir().unwrap();
    attachments(d.path());
    let before = assignment(d.path(), 3);
    assert_eq!(before.len(), 12);
    std::fs::copy(
        sample("ps-version.zip"),
        d.path().join("in/2026-11-04/t-200.zip"),
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join("in/2026-11-06")).unwrap();
    std::fs::copy(
        sample("dns-propagation.zip"),
        d.path().join("in/2026-11-06/t-401.zip"),
    )
    .unwrap();
    let after = assignment(d.path(), 3);
    assert_eq!(after.len(), 14);
    for (bundle, shard) in &before {
        assert_eq!(after.get(bundle), Some(shard), "{bundle} moved");
    }
    // The shard comes from the path below the batch folder, so the same store mounted
    // elsewhere (here: the folder given by its absolute path) splits the same way.
    let abs = d.path().join("in");
    for k in 1..=3u64 {
        let out = cmd()
            .args(["batch", "--no-progress", "--format", "jsonl", "--shard"])
            .arg(format!("{k}/3"))
            .arg(&abs)
            .output()
            .unwrap();
        assert!(out.status.success());
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            let b = bundle_of(line);
            let rel: Vec<String> = Path::new(&b)
                .strip_prefix(&abs)
                .unwrap_or_else(|_| panic!("{b} is not below {}", abs.display()))
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let relative_name = format!("in/{}", rel.join("/"));
            assert_eq!(after.get(&relative_name), Some(&k), "{b}");
        }
    }
}

#[test]
fn resume_after_a_run_cut_off_mid_line_gives_the_missing_lines_only() {
    let d = tempfile::tempdir().unwrap();
    attachments(d.path());
    let (full, _) = batch(d.path(), &[]);
    // The crashed run wrote 5 whole lines and half of the sixth.
    let mut old = full[..5].join("\n");
    old.push('\n');
    old.push_str(&full[5][..full[5].len() / 2]);
    std::fs::write(d.path().join("old.jsonl"), &old).unwrap();
    let (new, stderr) = batch(d.path(), &["--resume", "old.jsonl"]);
    assert_eq!(new, full[5..].to_vec());
    assert!(
        stderr.contains("old.jsonl:6: ignored, not a complete batch line"),
        "{stderr}"
    );
    assert!(
        stderr.contains("5 of 12 bundles already done, 7 to go"),
        "{stderr}"
    );
    // `cat old new` without the cut-off line is the full run.
    let mut joined = full[..5].to_vec();
    joined.extend(new.iter().cloned());
    assert_eq!(joined, full);

    // Resuming again from both files: nothing left, and that is not an error.
    std::fs::write(d.path().join("new.jsonl"), new.join("\n") + "\n").unwrap();
    let (none, _) = batch(
        d.path(),
        &["--resume", "old.jsonl", "--resume", "new.jsonl"],
    );
    assert!(none.is_empty());

    // With shards: each shard resumes from its own cut-off output.
    for k in 1..=2 {
        let shard = format!("{k}/2");
        let (lines, _) = batch(d.path(), &["--shard", &shard]);
        let keep = lines.len() / 2;
        let mut part = lines[..keep].join("\n");
        if keep > 0 {
            part.push('\n');
        }
        part.push_str("{\"bundle\":\"in/cut");
        let file = format!("shard-{k}.jsonl");
        std::fs::write(d.path().join(&file), part).unwrap();
        let (rest, _) = batch(d.path(), &["--shard", &shard, "--resume", &file]);
        assert_eq!(rest, lines[keep..].to_vec(), "shard {shard}");
    }
}

#[test]
fn bad_shard_values_and_missing_resume_files_are_usage_errors() {
    let d = tempfile::tempdir().unwrap();
    attachments(d.path());
    for bad in ["0/3", "4/3", "1/0", "3", "a/b", "-1/3", "2/3/4", ""] {
        let out = cmd()
            .current_dir(d.path())
            .args(["batch", "--no-progress"])
            .arg(format!("--shard={bad}"))
            .arg("in")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--shard {bad:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("--shard"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    let out = cmd()
        .current_dir(d.path())
        .args(["batch", "--no-progress", "--resume", "no-such.jsonl", "in"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--resume no-such.jsonl"), "{stderr}");
}

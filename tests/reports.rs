//! Reports and batch: the HTML page in a real browser, batch outputs, redaction, time window.

#[path = "common/browser.rs"]
mod browser;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> PathBuf {
    root().join("samples").join(name)
}

fn cmd() -> Command {
    let mut c = Command::cargo_bin("sfbtriage").unwrap();
    // English reports whatever the developer's locale (`--lang` defaults to it).
    c.env("NO_COLOR", "1").env("LC_ALL", "C");
    c
}

fn sample_zips() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
        .collect();
    v.sort();
    v
}

#[test]
fn batch_over_the_samples_gives_table_jsonl_csv_and_html() {
    let html = tempfile::tempdir().unwrap();
    let out = cmd()
        .args(["batch", "--html-dir"])
        .arg(html.path())
        .arg(root().join("samples"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    let zips = sample_zips();
    assert!(table.starts_with("BUNDLE"));
    assert!(
        table.contains(&format!("{} bundles;", zips.len())),
        "{table}"
    );
    // One HTML file per bundle, and the overview linking each.
    assert_eq!(
        std::fs::read_dir(html.path()).unwrap().count(),
        zips.len() + 1
    );
    let index = std::fs::read_to_string(html.path().join("index.html")).unwrap();
    assert!(
        index.contains(&format!("{} bundles:", zips.len())),
        "overview counts"
    );
    assert_eq!(index.matches("<tr data-cause").count(), zips.len());
    for entry in std::fs::read_dir(html.path()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if file != "index.html" {
            assert!(
                index.contains(&format!("<a href=\"{file}\"")),
                "{file} not linked"
            );
        }
    }
    assert!(index.contains("aria-label=\"cause mix by date\""));

    // JSONL: one analysis per bundle, in path order, the same object `analyze` prints.
    let out = cmd()
        .args(["batch", "--format", "jsonl"])
        .arg(root().join("samples"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), zips.len());
    for (v, zip) in lines.iter().zip(&zips) {
        assert!(
            v["bundle"]
                .as_str()
                .unwrap()
                .ends_with(zip.file_name().unwrap().to_str().unwrap())
        );
        let single = cmd()
            .args(["analyze", "--format", "json"])
            .arg(zip)
            .output()
            .unwrap();
        let single: Value = serde_json::from_slice(&single.stdout).unwrap();
        assert_eq!(v["causes"], single["causes"], "{}", zip.display());
        assert_eq!(v["inventory"], single["inventory"]);
    }

    // CSV with a BOM, a header and one row per bundle.
    let out = cmd()
        .args(["batch", "--format", "csv"])
        .arg(root().join("samples"))
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("\u{feff}bundle,sip_uri,top_cause"));
    assert_eq!(csv.lines().count(), zips.len() + 1);
}

#[test]
fn batch_is_deterministic_whatever_the_thread_count() {
    let run = |t: &str| {
        cmd()
            .args(["batch", "--format", "jsonl", "--threads", t])
            .arg(root().join("samples"))
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("3"));
}

/// Identifiers in a sample's logs: addresses, hosts and IPs (as the logs themselves hold them).
fn identifiers_in(zip: &Path) -> Vec<String> {
    let mut out = Vec::new();
    collect_identifiers(std::fs::read(zip).unwrap(), &mut out);
    out
}

fn collect_identifiers(archive: Vec<u8>, out: &mut Vec<String>) {
    let re = regex::Regex::new(r"(?i)\b([a-z0-9._-]+)@((?:[a-z0-9-]+\.)+[a-z]{2,})\b|\b(\d{1,3}(?:\.\d{1,3}){3})\b|\b((?:[a-z0-9-]+\.){2,}[a-z]{2,})\b").unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = String::from_utf8_lossy(f.name_raw()).to_ascii_lowercase();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name.ends_with(".zip") {
            collect_identifiers(bytes, out);
            continue;
        }
        if name.ends_with(".etl") || name.ends_with('/') {
            continue;
        }
        let utf16 = |b: &[u8]| {
            let u: Vec<u16> = b
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&u)
        };
        let text = if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
            utf16(body)
        } else if bytes.len() > 3 && bytes[1] == 0 && bytes[3] == 0 {
            utf16(&bytes)
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        more_identifiers(&text, out);
        for c in re.captures_iter(&text) {
            // The whole address, its domain, IPs and hosts; the user part alone only when it is
            // distinctive (`first.last`), since `admin` is also an ordinary word.
            let user_distinctive = c.get(1).is_some_and(|u| u.as_str().contains('.'));
            for g in [0, 1, 2, 3, 4] {
                if g == 1 && !user_distinctive {
                    continue;
                }
                if let Some(m) = c.get(g) {
                    let s = m.as_str().to_ascii_lowercase();
                    let file = [".uccapilog", ".svc", ".bak"]
                        .iter()
                        .any(|e| s.ends_with(e));
                    let public = sfbtriage::redact::is_public_service_host(&s)
                        || s.split('@')
                            .nth(1)
                            .is_some_and(sfbtriage::redact::is_public_service_host);
                    if s.len() >= 4 && !file && !public && !out.contains(&s) {
                        out.push(s);
                    }
                }
            }
        }
    }
}

/// Identifiers beyond addresses and hosts, found by their own patterns (independent of the
/// pseudonymizer's): `DOMAIN\user` accounts, machine names named by a field or a transcript's
/// file name, IPv6 and MAC addresses, GUIDs, endpoint ids, `tel:` URIs and phone numbers.
fn more_identifiers(text: &str, out: &mut Vec<String>) {
    let mut push = |s: &str| {
        let s = s.to_ascii_lowercase();
        if s.len() >= 4 && !out.contains(&s) {
            out.push(s);
        }
    };
    let account =
        regex::Regex::new(r"(?:^|[\s:=(])([A-Z][A-Z0-9-]{1,14})\\([A-Za-z0-9][A-Za-z0-9._$-]*)")
            .unwrap();
    for c in account.captures_iter(text) {
        if !["NT", "BUILTIN", "AUTHORITY"].contains(&&c[1]) && !c[2].contains('\\') {
            push(&c[2]);
        }
    }
    let machine = regex::Regex::new(
        r#"(?i)(?:\bmachine(?:name)?|\bcomputer(?:name)?|\bhost name)"?[ .]*[:=>][ \t]*"?([a-z0-9][a-z0-9-]{2,14})\b([.]?)"#,
    )
    .unwrap();
    for c in machine.captures_iter(text) {
        if c[2].is_empty() && c[1].chars().any(|ch| ch.is_ascii_alphabetic()) {
            push(&c[1]);
        }
    }
    let transcript =
        regex::Regex::new(r"(?i)(?:powershell_transcript\.|mosdal_)([a-z0-9-]+)[._]").unwrap();
    for c in transcript.captures_iter(text) {
        push(&c[1]);
    }
    let ipv6 = regex::Regex::new(r"(?i)\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){3,7}").unwrap();
    for m in ipv6.find_iter(text) {
        if m.as_str().parse::<std::net::Ipv6Addr>().is_ok() {
            push(m.as_str());
        }
    }
    let other = regex::Regex::new(
        r"(?i)\b[0-9a-f]{2}(?:-[0-9a-f]{2}){5}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|epid[=:]([a-z0-9+/]+)|tel:\+?([0-9]+)|\+[0-9]{10,}",
    )
    .unwrap();
    for c in other.captures_iter(text) {
        push(
            c.get(1)
                .or(c.get(2))
                .unwrap_or_else(|| c.get(0).unwrap())
                .as_str(),
        );
    }
}

#[test]
fn redacted_output_keeps_no_identifier_in_any_format() {
    let mut checked = 0;
    for zip in sample_zips() {
        let ids = identifiers_in(&zip);
        checked += ids.len();
        for format in ["text", "json", "jsonl", "md", "csv", "html"] {
            let out = cmd()
                .args(["analyze", "--redact", "--format", format])
                .arg(&zip)
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout).to_ascii_lowercase();
            for id in &ids {
                assert!(
                    !text.contains(id.as_str()),
                    "{} {format}: `{id}` survived redaction",
                    zip.display()
                );
            }
        }
        // Redaction does not change the diagnosis.
        let plain: Value = serde_json::from_slice(
            &cmd()
                .args(["analyze", "--format", "json"])
                .arg(&zip)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let red: Value = serde_json::from_slice(
            &cmd()
                .args(["analyze", "--redact", "--format", "json"])
                .arg(&zip)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let ids_of = |v: &Value| {
            v["causes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids_of(&plain), ids_of(&red));
    }
    assert!(
        checked > 100,
        "the samples hold identifiers to hide ({checked})"
    );
}

#[test]
fn time_window_limits_the_evidence() {
    let p = sample("clock-skew.zip");
    let v: Value = serde_json::from_slice(
        &cmd()
            .args([
                "analyze",
                "--format",
                "json",
                "--since",
                "2026-11-03T09:16:00",
            ])
            .arg(&p)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let c = &v["causes"][0];
    assert_eq!(c["id"], "clock-skew");
    for e in c["evidence"].as_array().unwrap() {
        assert!(
            e["time"].as_str().unwrap().starts_with("2026-11-03T09:16"),
            "{e}"
        );
    }
    let v: Value = serde_json::from_slice(
        &cmd()
            .args(["analyze", "--format", "json", "--until", "2026-11-03 09:00"])
            .arg(&p)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["verdict"], "no-cause-found");
    let out = cmd()
        .args(["analyze", "--since", "yesterday"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Render the HTML report of a failing sample in headless Chromium, take a screenshot, and
/// check that the page shows the top cause: in the rendered DOM, and as the red verdict
/// banner in the picture.
#[test]
fn html_report_renders_in_a_real_browser() {
    let Some(browser) = browser::required_chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let out = cmd()
        .args(["analyze", "--format", "html"])
        .arg(sample("clock-skew.zip"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("src=\"http"),
        "no external fetches"
    );
    std::fs::write(&page, &html).unwrap();
    let url = format!("file://{}", page.display());
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ];
    let profile = |n: &str| format!("--user-data-dir={}", dir.path().join(n).display());

    let dom = Process::new(&browser)
        .args(flags)
        .arg(profile("p1"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("Most likely: Computer clock out of sync with the server"),
        "rendered DOM lacks the top cause"
    );
    assert!(dom.contains("<svg"), "timeline and ladder are drawn");

    let shot = dir.path().join("shot.png");
    let status = Process::new(&browser)
        .args(flags)
        .arg(profile("p2"))
        .arg("--window-size=1200,900")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    if let Ok(keep) = std::env::var("SFBTRIAGE_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1200, 900));
    let channels = info.line_size / info.width as usize;
    let pixel = |x: usize, y: usize| {
        let i = y * info.line_size + x * channels;
        (buf[i], buf[i + 1], buf[i + 2])
    };
    // The verdict banner (#b42318) spans the page below the heading.
    let red = (0..info.height as usize).filter(|&y| {
        let (r, g, b) = pixel(600, y);
        r > 150 && g < 70 && b < 70
    });
    assert!(red.count() > 40, "no red verdict banner in the screenshot");
}

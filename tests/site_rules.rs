//! A support desk adds and tunes causes without Rust: `samples/site-rules` (the worked examples
//! of rules/README.md) adds a DNS-based cause and a PowerShell cause and retunes a built-in
//! threshold; `rules test` proves every rule; the README's fact reference is the program's.

use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sfbtriage() -> Command {
    let mut c = Command::cargo_bin("sfbtriage").unwrap();
    c.timeout(Duration::from_secs(120)).current_dir(root());
    c
}

fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, text) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A client log whose REGISTER names the user (so `{domain}` is `contoso.com`), failing.
fn client_log(user: &str) -> String {
    format!(
        "11/10/2026|10:00:00.000 1D3C:679F INFO  :: Sending Packet - 10.20.4.21:5061 (From Local Address: 10.20.4.117:55765) 300 bytes:\r\n\
11/10/2026|10:00:00.000 1D3C:679F INFO  :: REGISTER sip:contoso.com SIP/2.0\r\n\
From: <sip:{user}>;tag=1\r\nTo: <sip:{user}>\r\nCall-ID: d1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n\
11/10/2026|10:00:00.000 1D3C:679F INFO  :: End of Sending Packet\r\n\
11/10/2026|10:00:05.000 1D3C:679F ERROR :: CUccServerEndpoint::OnRegisterComplete - hr=0x80072EE7\r\n"
    )
}

const NSLOOKUP_MISSING: &str = "C:\\Users\\kim>nslookup lyncpool01.contoso.com\r\nServer:  dc01.corp.contoso.com\r\nAddress:  10.20.0.10\r\n\r\n*** dc01.corp.contoso.com can't find lyncpool01.contoso.com: Non-existent domain\r\n";

const TRANSCRIPT: &str = "**********************\r\nWindows PowerShell transcript start\r\nStart time: 20261110100502\r\nUsername: CONTOSO\\kima\r\nPSVersion: 5.1.19041.1\r\n**********************\r\nPS C:\\Users\\kima> $s = New-CsOnlineSession -Credential $c\r\nGet-CsPowerShellEndpoint : The remote name could not be resolved: 'lyncdiscover.contoso.onmicrosoft.com'\r\nAt C:\\Program Files\\Common Files\\Skype for Business Online\\Modules\\SkypeOnlineConnector\\SkypeOnlineConnectorStartup.psm1:58 char:26\r\n    + CategoryInfo          : NotSpecified: (:) [Get-CsPowerShellEndpoint], WebException\r\n    + FullyQualifiedErrorId : System.Net.WebException,Microsoft.Rtc.Management.OnlineConnector.GetPowerShellEndpointCmdlet\r\n";

fn causes(bundle: &[u8], rules: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ticket.zip");
    std::fs::write(&path, bundle).unwrap();
    let mut cmd = sfbtriage();
    cmd.args(["analyze", "--format", "json", "--no-progress"]);
    if let Some(r) = rules {
        cmd.args(["--rules", r]);
    }
    let out = cmd.arg(&path).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_rule_directory_adds_a_dns_cause_and_a_powershell_cause() {
    let bundle = zip_of(&[
        (
            "Tracing/Lync-UccApi-0.UccApilog",
            &client_log("kim@contoso.com"),
        ),
        ("nslookup.txt", NSLOOKUP_MISSING),
        ("connector-transcript.txt", TRANSCRIPT),
    ]);
    let with = causes(&bundle, Some("samples/site-rules"));
    assert!(
        with.contains(&"site-pool-name-missing".to_string()),
        "{with:?}"
    );
    assert!(
        with.contains(&"site-connector-discovery-name".to_string()),
        "{with:?}"
    );
    // Without the directory the built-in rules know neither cause.
    let without = causes(&bundle, None);
    assert!(
        !without.iter().any(|c| c.starts_with("site-")),
        "{without:?}"
    );
    // The pool rule is about the user's own domain: a lookup for another domain is no match.
    let other = zip_of(&[
        (
            "Tracing/Lync-UccApi-0.UccApilog",
            &client_log("kim@fabrikam.com"),
        ),
        ("nslookup.txt", NSLOOKUP_MISSING),
    ]);
    let c = causes(&other, Some("samples/site-rules"));
    assert!(!c.contains(&"site-pool-name-missing".to_string()), "{c:?}");
}

fn summary_line(stdout: &[u8]) -> String {
    String::from_utf8_lossy(stdout)
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

#[test]
fn rules_test_proves_the_site_rules_and_ends_with_one_summary_line() {
    let out = sfbtriage()
        .args(["rules", "test", "samples/site-rules"])
        .output()
        .unwrap();
    let last = summary_line(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let re =
        regex::Regex::new(r"^(\d+) rules, (\d+) examples, 0 failed, 0 rules without examples$")
            .unwrap();
    let caps = re.captures(&last).unwrap_or_else(|| panic!("{last}"));
    // The built-in rules plus the three of the directory (one replaces a built-in one).
    let builtin = sfbtriage().args(["rules", "test"]).output().unwrap();
    let b = summary_line(&builtin.stdout);
    let bcaps = re.captures(&b).unwrap_or_else(|| panic!("{b}"));
    let n = |c: &regex::Captures, i: usize| c[i].parse::<usize>().unwrap();
    assert_eq!(n(&caps, 1), n(&bcaps, 1) + 2);
}

#[test]
fn a_rule_without_a_negative_example_fails_rules_test() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        "[[rule]]\nid = \"clock-skew.mine\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n[rule.record]\ncontains = \"my literal\"\n[[rule.examples]]\nmatches = true\nlog = \"my literal here\"\n",
    )
    .unwrap();
    let out = sfbtriage()
        .args(["rules", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("LACKS clock-skew.mine (") && text.contains("no negative example"),
        "{text}"
    );
    assert!(
        summary_line(&out.stdout).ends_with(", 0 failed, 1 rules without examples"),
        "{text}"
    );
    // A failing example is reported and fails the run too.
    std::fs::write(
        dir.path().join("mine.toml"),
        "[[rule]]\nid = \"clock-skew.mine\"\ncause = \"clock-skew\"\nweight = 0.5\nsummary = \"s\"\n[rule.record]\ncontains = \"my literal\"\n[[rule.examples]]\nmatches = true\nlog = \"my literal here\"\n[[rule.examples]]\nmatches = false\nlog = \"MY LITERAL again\"\n",
    )
    .unwrap();
    let out = sfbtriage()
        .args(["rules", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL clock-skew.mine example 2"), "{text}");
    assert!(summary_line(&out.stdout).contains(", 1 failed, 0 rules without examples"));
}

#[test]
fn the_readme_fact_reference_is_generated_from_the_program() {
    let out = sfbtriage()
        .args(["rules", "facts", "--markdown"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).unwrap();
    let path = root().join("rules/README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = ("<!-- facts:begin -->\n", "<!-- facts:end -->");
    let a = readme.find(begin).expect("begin marker") + begin.len();
    let b = readme.find(end).expect("end marker");
    if readme[a..b] != generated && std::env::var_os("SFBTRIAGE_UPDATE_GOLDEN").is_some() {
        let updated = format!("{}{}{}", &readme[..a], generated, &readme[b..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        readme[a..b],
        generated,
        "rules/README.md's fact tables differ from `sfbtriage rules facts --markdown` (SFBTRIAGE_UPDATE_GOLDEN=1 rewrites them)"
    );
    // Every fact the program measures is documented, and the README names no other.
    for f in sfbtriage::events::FACTS {
        assert!(readme.contains(&format!("#### `{}`", f.name)), "{}", f.name);
    }
}

//! The promises README makes, checked: its commands are the ones CI runs, the product binary
//! is the only binary, and (further down) its option tables and schema section agree with the
//! program.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The commands of README's "Two commands" block (comments stripped).
fn readme_commands() -> Vec<String> {
    let readme = read("README.md");
    let (_, after) = readme
        .split_once("## Two commands")
        .expect("README has a \"Two commands\" section");
    let (_, block) = after.split_once("```sh\n").expect("a sh block");
    let (block, _) = block.split_once("```").expect("the block ends");
    block
        .lines()
        .map(|l| l.split_once('#').map_or(l, |(c, _)| c).trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn ci_runs_readmes_two_commands_literally() {
    let cmds = readme_commands();
    assert_eq!(
        cmds,
        [
            "cargo run --release -- analyze samples/clock-skew.zip",
            "cargo test --locked"
        ]
    );
    let ci = read(".ci/run");
    for c in &cmds {
        assert!(
            ci.lines().any(|l| {
                let l = l.trim();
                l == c || l.contains(&format!("$({c})"))
            }),
            ".ci/run does not run README's command `{c}` as written"
        );
    }
    assert!(ci.contains("export SFBTRIAGE_REQUIRE_CORPUS=1"));
}

/// `cargo run` picks the binary without being told: the package has exactly one, `sfbtriage`,
/// and `cargo install --path .` installs only it.
#[test]
fn sfbtriage_is_the_only_binary() {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    let bins = manifest["bin"].as_array().expect("[[bin]] sections");
    assert_eq!(bins.len(), 1);
    assert_eq!(bins[0]["name"].as_str(), Some("sfbtriage"));
    assert!(
        !root().join("src/bin").exists(),
        "src/bin would add auto-discovered binaries"
    );
}

fn help(args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("sfbtriage")
        .unwrap()
        .args(args)
        .arg("--help")
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The long options a `--help` text lists (`--help` itself left out).
fn long_options(help: &str) -> std::collections::BTreeSet<String> {
    let re = regex::Regex::new(r"(?m)^\s+(?:-\w, )?(--[a-z][a-z-]*)").unwrap();
    re.captures_iter(help)
        .map(|c| c[1].to_string())
        .filter(|o| o != "--help" && o != "--version")
        .collect()
}

/// README's `analyze` and `batch` option table names exactly the options `--help` lists, and
/// what it marks "`analyze` only" / "`batch` only" is only there.
#[test]
fn readme_option_table_agrees_with_help() {
    let readme = read("README.md");
    let (_, table) = readme
        .split_once("`analyze` and `batch` options:")
        .expect("README's option table");
    let opt = regex::Regex::new(r"`(--[a-z][a-z-]*)").unwrap();
    let mut in_readme = std::collections::BTreeSet::new();
    let mut only = Vec::new();
    for row in table.lines().skip_while(|l| !l.starts_with('|')) {
        if !row.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = row.split(" | ").collect();
        if cells.len() < 2 || !cells[0].starts_with("| `--") {
            continue;
        }
        for c in opt.captures_iter(cells[0]) {
            in_readme.insert(c[1].to_string());
            for cmd in ["analyze", "batch"] {
                if cells[1].starts_with(&format!("`{cmd}` only")) {
                    only.push((c[1].to_string(), cmd));
                }
            }
        }
    }
    let analyze = long_options(&help(&["analyze"]));
    let batch = long_options(&help(&["batch"]));
    let in_help: std::collections::BTreeSet<String> = analyze.union(&batch).cloned().collect();
    assert_eq!(in_readme, in_help, "README's option table vs --help");
    assert!(only.len() >= 2, "{only:?}");
    for (o, cmd) in only {
        let (mine, other) = if cmd == "analyze" {
            (&analyze, &batch)
        } else {
            (&batch, &analyze)
        };
        assert!(
            mine.contains(&o) && !other.contains(&o),
            "{o} is `{cmd}` only"
        );
    }
    // explain takes both --json and --format.
    let explain = long_options(&help(&["explain"]));
    assert!(explain.contains("--json") && explain.contains("--format"));
}

/// README's exit status table is `sfbtriage::exit::Exit`, code by code.
#[test]
fn readme_exit_statuses_are_the_named_ones() {
    use sfbtriage::exit::Exit;
    let readme = read("README.md");
    for e in Exit::ALL {
        let row = format!("| `{}` | `{e:?}` | {} |", e.code(), e.meaning());
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

/// `completions` and `man` are generated from the same clap definitions.
#[test]
fn completions_and_man_page_are_generated() {
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("sfbtriage")
            .unwrap()
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = run(&["completions", shell]);
        assert!(
            script.contains("analyze") && script.contains("max-total-size"),
            "{shell}"
        );
    }
    let man = run(&["man"]);
    assert!(
        man.contains(".TH sfbtriage 1"),
        "{}",
        &man[..200.min(man.len())]
    );
    for sub in ["analyze", "batch", "explain", "rules"] {
        assert!(man.contains(sub), "{sub}");
    }
    // A wrong shell is a usage error: exit 2.
    let out = assert_cmd::Command::cargo_bin("sfbtriage")
        .unwrap()
        .args(["completions", "cmd.exe"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

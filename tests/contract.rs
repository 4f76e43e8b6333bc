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

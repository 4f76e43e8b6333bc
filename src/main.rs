//! The `sfbtriage` command line: `analyze`, `explain`, `rules list`, `rules test`.
//!
//! This file owns argument parsing, choosing colour and progress output, and exit codes:
//! 0 the command did its job, 1 `rules test` found failing examples, 2 usage error,
//! unreadable input or a broken rule file.
#![forbid(unsafe_code)]

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use sfbtriage::bundle::{Limits, Status};
use sfbtriage::catalog::Catalog;
use sfbtriage::diagnosis::DEFAULT_MIN_CONFIDENCE;
use sfbtriage::pipeline::{self, Options};
use sfbtriage::report::{self, OutputFormat, wrap};
use sfbtriage::rules::{RuleSet, examples};

#[derive(Parser)]
#[command(
    name = "sfbtriage",
    version,
    about = "Why can't this Lync / Skype for Business user sign in? Reads the user's log bundle and names the documented cause, with evidence."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
struct RuleArgs {
    /// Extra rule directory (its *.toml files add rules or replace built-in ones with the same id;
    /// a causes.toml there extends the catalogue). May be repeated.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse one bundle: zip archives, folders or single log files (all paths form one bundle).
    Analyze {
        /// Bundle paths: a .zip, a folder, or log files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Colour in text output: auto means only on a terminal and when NO_COLOR is unset.
        #[arg(long, value_enum, default_value = "auto")]
        color: Color,
        #[command(flatten)]
        rules: RuleArgs,
        /// Largest inflated member, in bytes; larger members are skipped.
        #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_member_size)]
        max_member_size: u64,
        /// Largest sum of inflated members, in bytes; members past it are skipped.
        #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_total_size)]
        max_total_size: u64,
        /// Largest compression ratio (inflated:compressed) for members over 1 MiB.
        #[arg(long, value_name = "N", default_value_t = Limits::default().max_ratio)]
        max_ratio: u64,
        /// Deepest nesting of zip archives (1 = do not open zips inside the bundle).
        #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
        max_depth: u32,
        /// Causes below this confidence (0-1) are not reported.
        #[arg(long, value_name = "X", default_value_t = DEFAULT_MIN_CONFIDENCE)]
        min_confidence: f64,
        /// Worker threads (default: one per core). Output is the same for any number.
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Never show the progress bar (it shows only when stderr is a terminal anyway).
        #[arg(long)]
        no_progress: bool,
    },
    /// Explain an error message, an ms-diagnostics code or an HRESULT, without logs.
    Explain {
        /// The text copied from the dialog or PowerShell window, or a code such as 4005 or 0x80090324.
        #[arg(required = true, value_name = "TEXT")]
        query: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// List or test the rules and the cause catalogue.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
}

#[derive(Subcommand)]
enum RulesAction {
    /// Print the cause catalogue and the rules that detect each cause.
    List {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run every rule's examples (built-in rules plus DIR's, if given).
    Test {
        /// A directory of your own rules to load and test with the built-in ones.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

fn load(dirs: &[PathBuf]) -> Result<(RuleSet, Catalog), ExitCode> {
    RuleSet::load(dirs).map_err(|e| {
        eprintln!("sfbtriage: {e}");
        ExitCode::from(2)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sfbtriage: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match cli.command {
        Command::Analyze {
            paths,
            format,
            color,
            rules,
            max_member_size,
            max_total_size,
            max_ratio,
            max_depth,
            min_confidence,
            threads,
            no_progress,
        } => {
            let (rules, catalog) = match load(&rules.rules) {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            if let Some(n) = threads {
                // Only fails if a pool already exists; then the default pool is used.
                let _ = rayon::ThreadPoolBuilder::new()
                    .num_threads(n.max(1))
                    .build_global();
            }
            let options = Options {
                limits: Limits {
                    max_member_size,
                    max_total_size,
                    max_ratio,
                    max_depth: max_depth.max(1),
                },
                min_confidence,
            };
            let progress = (!no_progress && io::stderr().is_terminal()).then(|| {
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} reading {bytes} ({bytes_per_sec}) {elapsed}",
                    )
                    .expect("valid template"),
                );
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                bar
            });
            let analysis = pipeline::analyze(&paths, &rules, &catalog, &options, progress);
            let color = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            report::render(&analysis, format, color, &mut out)?;
            out.flush()?;
            // Exit 2 when nothing at all could be read from the inputs.
            let all_failed = !analysis.inventory.is_empty()
                && analysis
                    .inventory
                    .iter()
                    .all(|e| e.status == Status::Failed);
            Ok(if all_failed {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Explain { query, json, rules } => {
            let (rules, catalog) = match load(&rules.rules) {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let q = query.join(" ");
            let e = sfbtriage::explain::explain(&q, &rules, &catalog);
            if json {
                serde_json::to_writer_pretty(&mut out, &e)?;
                writeln!(out)?;
            } else {
                let kind = match e.kind {
                    "ms-diagnostics" => "ms-diagnostics code",
                    "hresult" => "HRESULT",
                    _ => "error message",
                };
                writeln!(out, "{q:?} read as an {kind}")?;
                if let Some(m) = &e.meaning {
                    write!(out, "{}", wrap(&format!("meaning: {m}"), "  ", 80))?;
                }
                if e.causes.is_empty() {
                    writeln!(
                        out,
                        "No documented cause matches. Try a shorter part of the message, or `sfbtriage rules list`."
                    )?;
                }
                for c in &e.causes {
                    writeln!(out, "\n{}  {}", c.id, c.title)?;
                    write!(
                        out,
                        "{}",
                        wrap(&format!("matched: {}", c.matched), "  ", 80)
                    )?;
                    write!(out, "{}", wrap(&c.resolution, "  ", 80))?;
                    writeln!(out, "  {}", c.url)?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules {
            action: RulesAction::List { rules },
        } => {
            let (rules, catalog) = match load(&rules.rules) {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            writeln!(out, "{} causes, {} rules", catalog.len(), rules.len())?;
            for cause in catalog.iter() {
                writeln!(out, "\n{}  [{}]  {}", cause.id, cause.group, cause.title)?;
                writeln!(out, "  {}", cause.url)?;
                let detecting: Vec<_> = rules
                    .rules()
                    .iter()
                    .filter(|r| r.cause == cause.id)
                    .collect();
                if detecting.is_empty() {
                    writeln!(
                        out,
                        "  no rule yet: not detectable from the logs this version reads"
                    )?;
                }
                for r in detecting {
                    let sign = if r.effect == sfbtriage::rules::Effect::Supports {
                        '+'
                    } else {
                        '-'
                    };
                    write!(
                        out,
                        "{}",
                        wrap(
                            &format!(
                                "{sign}{:.2} {} ({}{}): {}",
                                r.weight,
                                r.id,
                                r.matcher.kind(),
                                if r.corroborating {
                                    ", corroborating"
                                } else {
                                    ""
                                },
                                r.summary
                            ),
                            "  ",
                            80
                        )
                    )?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules {
            action: RulesAction::Test { dir },
        } => {
            let dirs: Vec<PathBuf> = dir.into_iter().collect();
            let (rules, _) = match load(&dirs) {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let results = examples::run(&rules);
            let failed: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
            for f in &failed {
                writeln!(
                    out,
                    "FAIL {} example {} ({}:{}): expected {}, got {}",
                    f.rule,
                    f.example,
                    f.file,
                    f.line,
                    if f.expected { "a match" } else { "no match" },
                    if f.matched { "a match" } else { "no match" }
                )?;
            }
            let without: Vec<_> = rules
                .rules()
                .iter()
                .filter(|r| r.examples.is_empty())
                .map(|r| r.id.as_str())
                .collect();
            writeln!(
                out,
                "{} examples, {} passed, {} failed; {} rules, {} without examples{}",
                results.len(),
                results.len() - failed.len(),
                failed.len(),
                rules.len(),
                without.len(),
                if without.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", without.join(", "))
                }
            )?;
            out.flush()?;
            Ok(if failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

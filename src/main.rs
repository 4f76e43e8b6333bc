//! The `sfbtriage` command line: `analyze`, `batch`, `serve`, `explain`, `rules list`, `rules test`.
//!
//! This file owns argument parsing (the clap definitions, from which `completions` and `man`
//! are generated), choosing colour and progress output, and which exit status
//! ([`sfbtriage::exit::Exit`]) each outcome gets; it also writes the text answers of `explain`,
//! `rules list`, `rules test` and the `batch` table and CSV rows.
#![forbid(unsafe_code)]

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDateTime;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use sfbtriage::bundle::{Limits, Status};
use sfbtriage::catalog::Catalog;
use sfbtriage::diagnosis::DEFAULT_MIN_CONFIDENCE;
use sfbtriage::exit::Exit;
use sfbtriage::i18n::{self, Lang, tr, trf};
use sfbtriage::pipeline::{self, Options};
use sfbtriage::report::{self, OutputFormat, wrap};
use sfbtriage::rule_examples as examples;
use sfbtriage::rules::{RuleSet, TimeWindow};

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

/// The report language.
#[derive(clap::Args)]
struct LangArg {
    /// Language of the report texts: en, fr, ja, zh-TW or zh-CN (default: from LC_ALL,
    /// LC_MESSAGES, LANG or the system's UI language; English otherwise). Ids, codes, JSON
    /// field names and CSV headers are the same in every language.
    #[arg(long = "lang", value_name = "LANG")]
    lang: Option<String>,
}

impl LangArg {
    /// The chosen language; an unknown value gives English and a note on stderr.
    fn resolve(&self) -> Lang {
        let (lang, note) = i18n::choose(self.lang.as_deref());
        if let Some(n) = note {
            eprintln!("{n}");
        }
        lang
    }
}

/// Options shared by `analyze` and `batch`.
#[derive(clap::Args)]
struct RunArgs {
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    lang: LangArg,
    /// Largest inflated member, in bytes; larger members are skipped.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_member_size)]
    max_member_size: u64,
    /// Largest sum of inflated bytes of the whole bundle (every input, folder files, archive
    /// members, nested archives' members); members past it are skipped.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_total_size)]
    max_total_size: u64,
    /// Largest compression ratio (inflated:compressed) for members over 1 MiB.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_ratio)]
    max_ratio: u64,
    /// Deepest nesting of zip archives (1 = do not open zips inside the bundle).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth)]
    max_depth: u32,
    /// Wall-clock budget for parsing one member, in seconds; a member over it is reported
    /// failed (0 = no budget).
    #[arg(long, value_name = "SECS", default_value_t = pipeline::DEFAULT_MEMBER_TIME_BUDGET.as_secs_f64())]
    member_time_budget: f64,
    /// Causes below this confidence (0-1) are not reported.
    #[arg(long, value_name = "X", default_value_t = DEFAULT_MIN_CONFIDENCE)]
    min_confidence: f64,
    /// Only evidence at or after this time (YYYY-MM-DD[THH:MM[:SS[.mmm]]]; client logs are
    /// compared in their local time, Windows events in UTC).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    since: Option<NaiveDateTime>,
    /// Only evidence at or before this time (same form as --since).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    until: Option<NaiveDateTime>,
    /// Replace identifiers (user and machine names, DOMAIN\\user, SIP and e-mail addresses,
    /// host names, IP and MAC addresses, GUIDs, epids, phone numbers) with consistent
    /// pseudonyms in every output format.
    #[arg(long)]
    redact: bool,
    /// Worker threads (default: one per core). Output is the same for any number.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Never show the progress bar (it shows only when stderr is a terminal anyway).
    #[arg(long)]
    no_progress: bool,
}

fn parse_time(s: &str) -> Result<NaiveDateTime, String> {
    let s = s.trim();
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(t);
        }
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .map_err(|_| format!("`{s}` is not a time like 2026-11-03T09:14 or 2026-11-03"))
}

impl RunArgs {
    fn options(&self) -> Options {
        Options {
            limits: Limits {
                max_member_size: self.max_member_size,
                max_total_size: self.max_total_size,
                max_ratio: self.max_ratio,
                max_depth: self.max_depth.max(1),
            },
            member_time_budget: (self.member_time_budget > 0.0)
                .then(|| std::time::Duration::from_secs_f64(self.member_time_budget.min(1e9))),
            min_confidence: self.min_confidence,
            skip_messages: false,
        }
    }

    /// Load the rules with the time window applied, and size the thread pool.
    fn prepare(&self) -> Result<(RuleSet, Catalog), ExitCode> {
        let (mut rules, catalog) = load(&self.rules.rules)?;
        rules.set_time_window(TimeWindow {
            since: self.since,
            until: self.until,
        });
        if let Some(n) = self.threads {
            // Only fails if a pool already exists; then the default pool is used.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global();
        }
        Ok((rules, catalog))
    }

    fn progress(&self, template: &str, len: Option<u64>) -> Option<indicatif::ProgressBar> {
        (!self.no_progress && io::stderr().is_terminal()).then(|| {
            let bar = match len {
                Some(n) => indicatif::ProgressBar::new(n),
                None => indicatif::ProgressBar::new_spinner(),
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(template).expect("valid template"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BatchFormat {
    Text,
    Jsonl,
    Csv,
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
        /// Colour in text output: auto means on a terminal unless NO_COLOR is set or CLICOLOR=0,
        /// and always when CLICOLOR_FORCE is set.
        #[arg(long, value_enum, default_value = "auto")]
        color: Color,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Analyse every bundle below the given folders (zip files, and folders that hold client
    /// logs or a Tracing folder), in parallel, one result per bundle in path order.
    Batch {
        /// Folders of ticket attachments (or bundle zips).
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// text: a table and counts by cause; jsonl: one `analyze --format json` object per
        /// line (with a `bundle` field); csv: one row per bundle (UTF-8 with BOM).
        #[arg(long, value_enum, default_value = "text")]
        format: BatchFormat,
        /// Also write one self-contained HTML report per bundle into this folder, and an
        /// overview of them all (index.html).
        #[arg(long, value_name = "DIR")]
        html_dir: Option<PathBuf>,
        /// Take only shard K of N (1 <= K <= N): the bundles whose path relative to the folder
        /// it was found under hashes to K (SHA-256, modulo N). N runs with 1/N … N/N together
        /// cover every bundle once, and a bundle keeps its shard when others are added.
        #[arg(long, value_name = "K/N")]
        shard: Option<sfbtriage::batch::Shard>,
        /// Skip the bundles already in FILE, an earlier `--format jsonl` output of the same
        /// folders (a crashed run's included: a cut-off or unreadable line is ignored with a
        /// note on stderr). Write the new output to another file. May be repeated.
        #[arg(long, value_name = "FILE")]
        resume: Vec<PathBuf>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Explain an error message, an ms-diagnostics code or an HRESULT, without logs.
    Explain {
        /// The text copied from the dialog or PowerShell window, or a code such as 4005 or 0x80090324.
        #[arg(required = true, value_name = "TEXT")]
        query: Vec<String>,
        /// Print JSON instead of text (the same as `--format json`).
        #[arg(long)]
        json: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ExplainFormat,
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        lang: LangArg,
    },
    /// Serve a local page to drop bundles on (and the HTTP API it uses) until Ctrl-C. The
    /// first line on stdout is the URL to open, with its access token.
    Serve {
        /// Address and port to listen on (port 0: a free port).
        #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:0")]
        listen: std::net::SocketAddr,
        /// Open the page in the default browser.
        #[arg(long)]
        open: bool,
        /// Largest upload, in bytes; larger ones are refused with 413.
        #[arg(long, value_name = "BYTES", default_value_t = sfbtriage::serve::DEFAULT_MAX_UPLOAD)]
        max_upload: u64,
        /// Allow listening on an address other than loopback (other machines can reach it).
        #[arg(long)]
        allow_remote: bool,
        /// Most analyses run at once; further uploads wait.
        #[arg(long, value_name = "N", default_value_t = 2)]
        max_concurrent: usize,
        /// Longest a request may take, upload and analysis included, in seconds.
        #[arg(long, value_name = "SECS", default_value_t = 900)]
        request_timeout: u64,
        #[command(flatten)]
        run: RunArgs,
    },
    /// List or test the rules and the cause catalogue.
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Print a shell completion script (e.g. `sfbtriage completions bash >
    /// /etc/bash_completion.d/sfbtriage`).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`sfbtriage man > sfbtriage.1; man ./sfbtriage.1`).
    Man,
}

#[derive(Subcommand)]
enum RulesAction {
    /// Print the cause catalogue and the rules that detect each cause.
    List {
        #[command(flatten)]
        rules: RuleArgs,
        #[command(flatten)]
        lang: LangArg,
    },
    /// Run every rule's examples (built-in rules plus DIR's, if given); fails when an example
    /// fails or a rule lacks a positive or a negative example.
    Test {
        /// A directory of your own rules to load and test with the built-in ones.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// List the facts the engine measures, with their fields, for `[rule.fact]` rules.
    Facts {
        /// Print the Markdown table rules/README.md holds.
        #[arg(long)]
        markdown: bool,
    },
}

fn load(dirs: &[PathBuf]) -> Result<(RuleSet, Catalog), ExitCode> {
    RuleSet::load(dirs).map_err(|e| {
        eprintln!("sfbtriage: {e}");
        Exit::Unusable.into()
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Exit::Done.into(),
        Err(e) => {
            eprintln!("sfbtriage: {e}");
            Exit::Unusable.into()
        }
    }
}

fn run(cli: Cli) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match cli.command {
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "sfbtriage", &mut out);
            out.flush()?;
            Ok(Exit::Done.into())
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            out.flush()?;
            Ok(Exit::Done.into())
        }
        Command::Analyze {
            paths,
            format,
            color,
            run,
        } => {
            let (rules, catalog) = match run.prepare() {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let lang = run.lang.resolve();
            let progress = run.progress(
                "{spinner} reading {bytes} ({bytes_per_sec}) {elapsed}",
                None,
            );
            // Only the HTML report shows the SIP messages.
            let options = pipeline::Options {
                skip_messages: format != OutputFormat::Html,
                ..run.options()
            };
            let mut analysis = pipeline::analyze(&paths, &rules, &catalog, &options, progress);
            i18n::localize(&mut analysis, &catalog, lang);
            if run.redact {
                analysis.redact_identifiers();
            }
            // `auto` is anstream's choice: a terminal, unless NO_COLOR or CLICOLOR=0; always
            // with CLICOLOR_FORCE. The stream translates the escapes for old Windows consoles.
            let choice = match color {
                Color::Always => anstream::ColorChoice::Always,
                Color::Never => anstream::ColorChoice::Never,
                Color::Auto => anstream::AutoStream::choice(&io::stdout()),
            };
            let color = format == OutputFormat::Text && choice != anstream::ColorChoice::Never;
            if color {
                let mut text = Vec::new();
                report::render(&analysis, format, true, &mut text)?;
                let mut stream = anstream::AutoStream::new(io::stdout(), choice);
                stream.write_all(&text)?;
                stream.flush()?;
            } else {
                report::render(&analysis, format, false, &mut out)?;
                out.flush()?;
            }
            // Exit 2 when nothing at all could be read from the inputs.
            let all_failed = !analysis.inventory.is_empty()
                && analysis
                    .inventory
                    .iter()
                    .all(|e| e.status == Status::Failed);
            Ok(if all_failed {
                Exit::Unusable.into()
            } else {
                Exit::Done.into()
            })
        }
        Command::Batch {
            dirs,
            format,
            html_dir,
            shard,
            resume,
            run,
        } => {
            let (rules, catalog) = match run.prepare() {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            batch_command(
                BatchRequest {
                    dirs: &dirs,
                    format,
                    html_dir: html_dir.as_deref(),
                    shard,
                    resume: &resume,
                },
                &run,
                &rules,
                &catalog,
                &mut out,
            )
        }
        Command::Serve {
            listen,
            open,
            max_upload,
            allow_remote,
            max_concurrent,
            request_timeout,
            run,
        } => {
            let (rules, catalog) = match run.prepare() {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            drop(out);
            let config = sfbtriage::serve::Config {
                listen,
                allow_remote,
                open,
                max_upload,
                max_concurrent,
                request_timeout: std::time::Duration::from_secs(request_timeout.max(1)),
                redact: run.redact,
                lang: run.lang.resolve(),
                options: run.options(),
                rules,
                catalog,
            };
            match sfbtriage::serve::run(config) {
                Ok(()) => Ok(ExitCode::SUCCESS),
                Err(e) if e.kind() == io::ErrorKind::InvalidInput => {
                    eprintln!("sfbtriage: {e}");
                    Ok(Exit::Unusable.into())
                }
                Err(e) => Err(e),
            }
        }
        Command::Explain {
            query,
            json,
            format,
            rules,
            lang,
        } => {
            let json = json || format == ExplainFormat::Json;
            let (rules, catalog) = match load(&rules.rules) {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let lang = lang.resolve();
            let q = query.join(" ");
            let mut e = sfbtriage::explain::explain(&q, &rules, &catalog);
            i18n::localize_explanation(&mut e, &catalog, lang);
            if json {
                serde_json::to_writer_pretty(&mut out, &e)?;
                writeln!(out)?;
            } else {
                let kind = match e.kind {
                    "ms-diagnostics" => tr(lang, "explain.kind_ms_diagnostics"),
                    "hresult" => tr(lang, "explain.kind_hresult"),
                    "kerberos" => tr(lang, "explain.kind_kerberos"),
                    _ => tr(lang, "explain.kind_message"),
                };
                write!(
                    out,
                    "{}",
                    wrap(
                        &trf(
                            lang,
                            "explain.read_as",
                            &[("query", &format!("{q:?}")), ("kind", &kind)]
                        ),
                        "",
                        80
                    )
                )?;
                // Every fact the protocol table holds for the code, with its source.
                for m in &e.codes {
                    let text = format!("{}: {} (source: {})", m.label(), m.text, m.source);
                    write!(
                        out,
                        "{}",
                        wrap(
                            &trf(lang, "explain.meaning", &[("meaning", &text)]),
                            "  ",
                            80
                        )
                    )?;
                }
                if e.codes.is_empty()
                    && let Some(m) = &e.meaning
                {
                    write!(
                        out,
                        "{}",
                        wrap(&trf(lang, "explain.meaning", &[("meaning", m)]), "  ", 80)
                    )?;
                }
                if e.causes.is_empty() {
                    writeln!(out, "{}", tr(lang, "explain.no_match"))?;
                    if !e.looked_for.is_empty() {
                        writeln!(out, "{}", tr(lang, "explain.looked_for"))?;
                        for l in &e.looked_for {
                            write!(out, "{}", wrap(&format!("- {l}"), "  ", 80))?;
                        }
                    }
                    if !e.nearest.is_empty() {
                        writeln!(out, "{}", tr(lang, "explain.nearest"))?;
                        for n in &e.nearest {
                            write!(
                                out,
                                "{}",
                                wrap(
                                    &format!("{} ({}): \"{}\"", n.id, n.lang, n.phrase),
                                    "  ",
                                    80
                                )
                            )?;
                        }
                    }
                }
                for c in &e.causes {
                    writeln!(out, "\n{}  {}", c.id, c.title)?;
                    write!(
                        out,
                        "{}",
                        wrap(
                            &trf(lang, "explain.matched", &[("matched", &c.matched)]),
                            "  ",
                            80
                        )
                    )?;
                    write!(out, "{}", wrap(&c.resolution, "  ", 80))?;
                    writeln!(out, "  {}", c.url)?;
                }
            }
            out.flush()?;
            Ok(Exit::Done.into())
        }
        Command::Rules {
            action: RulesAction::List { rules, lang },
        } => {
            let (rules, catalog) = match load(&rules.rules) {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let lang = lang.resolve();
            writeln!(
                out,
                "{}",
                trf(
                    lang,
                    "rules.count",
                    &[("causes", &catalog.len()), ("rules", &rules.len())]
                )
            )?;
            for cause in catalog.iter() {
                let shown = i18n::cause_text(&catalog, &cause.id, lang)
                    .expect("a listed cause is in the catalogue");
                writeln!(out, "\n{}  [{}]  {}", cause.id, cause.group, shown.title)?;
                writeln!(out, "  {}", shown.url)?;
                let detecting: Vec<_> = rules
                    .rules()
                    .iter()
                    .filter(|r| r.causes.contains(&cause.id))
                    .collect();
                if detecting.is_empty() {
                    writeln!(out, "  {}", tr(lang, "rules.no_rule"))?;
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
                                    tr(lang, "rules.corroborating")
                                } else {
                                    ""
                                },
                                i18n::reason(lang, &r.id, &r.summary).unwrap_or(&r.summary)
                            ),
                            "  ",
                            80
                        )
                    )?;
                }
            }
            out.flush()?;
            Ok(Exit::Done.into())
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
            for (id, lacks) in examples::lacking_examples(&rules) {
                let rule = rules
                    .rules()
                    .iter()
                    .find(|r| r.id == id)
                    .expect("a listed rule");
                writeln!(
                    out,
                    "LACKS {id} ({}:{}): {lacks}",
                    rule.origin.file, rule.origin.line
                )?;
            }
            let summary = examples::Summary::of(&rules, &results);
            writeln!(out, "{summary}")?;
            out.flush()?;
            Ok(if summary.passed() {
                Exit::Done.into()
            } else {
                Exit::ExamplesFailed.into()
            })
        }
        Command::Rules {
            action: RulesAction::Facts { markdown },
        } => {
            if markdown {
                write!(out, "{}", sfbtriage::events::facts_markdown())?;
            } else {
                for f in sfbtriage::events::FACTS {
                    writeln!(out, "{}  (value: {})", f.name, f.value)?;
                    writeln!(out, "  {}", f.meaning)?;
                    for field in f.fields {
                        writeln!(
                            out,
                            "  - {} ({}): {}",
                            field.name, field.kind, field.meaning
                        )?;
                    }
                    writeln!(out)?;
                }
            }
            out.flush()?;
            Ok(Exit::Done.into())
        }
    }
}

/// What `batch` was asked for, besides the options it shares with `analyze`.
struct BatchRequest<'a> {
    dirs: &'a [PathBuf],
    format: BatchFormat,
    html_dir: Option<&'a std::path::Path>,
    /// `--shard`: this run's share of the bundles.
    shard: Option<sfbtriage::batch::Shard>,
    /// `--resume`: earlier outputs whose bundles are skipped.
    resume: &'a [PathBuf],
}

fn batch_command(
    request: BatchRequest<'_>,
    run: &RunArgs,
    rules: &RuleSet,
    catalog: &Catalog,
    out: &mut dyn Write,
) -> io::Result<ExitCode> {
    use sfbtriage::batch::{self, BatchRow};
    let BatchRequest {
        dirs,
        format,
        html_dir,
        shard,
        resume,
    } = request;
    // The bundles an earlier run's output already holds (--resume).
    let mut already = std::collections::HashSet::new();
    for file in resume {
        let (names, skipped) = match batch::read_done(file) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("sfbtriage: --resume {}: {e}", file.display());
                return Ok(Exit::Unusable.into());
            }
        };
        for s in &skipped {
            eprintln!("sfbtriage: {s}");
        }
        already.extend(names);
    }
    // Only this run's share is kept (and sized) while the folders are walked.
    let in_shard = std::cell::Cell::new(0usize);
    let skipped_done = std::cell::Cell::new(0usize);
    let keep = |path: &std::path::Path, rel: &str| {
        if shard.is_some_and(|s| !s.holds(rel)) {
            return false;
        }
        in_shard.set(in_shard.get() + 1);
        let done = !already.is_empty() && already.contains(&bundle_name(path));
        skipped_done.set(skipped_done.get() + usize::from(done));
        !done
    };
    let found = batch::discover_some(dirs, &keep);
    for e in &found.errors {
        eprintln!("sfbtriage: {}: {}", e.path.display(), e.reason);
    }
    if found.found == 0 {
        eprintln!(
            "sfbtriage: no bundle found below {}",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(Exit::Unusable.into());
    }
    if let Some(shard) = shard {
        eprintln!(
            "sfbtriage: shard {shard}: {} of the {} bundles found",
            in_shard.get(),
            found.found
        );
    }
    if !resume.is_empty() {
        eprintln!(
            "sfbtriage: resuming: {} of {} bundles already done, {} to go",
            skipped_done.get(),
            in_shard.get(),
            found.bundles.len()
        );
    }
    let bundles = found.bundles;
    if let Some(d) = html_dir {
        std::fs::create_dir_all(d)?;
    }
    let total: u64 = bundles.iter().map(|b| b.bytes).sum();
    let progress = run.progress(&format!("{{bar:30}} {{msg}} {{bytes}}/{{total_bytes}} ({{bytes_per_sec}}, ETA {{eta}}) of {} bundles", bundles.len()), Some(total));
    // The message browser's messages are shown only in the HTML reports.
    let options = Options {
        skip_messages: html_dir.is_none(),
        ..run.options()
    };
    let lang = run.lang.resolve();
    let window = rayon::current_num_threads().max(1) * 2;
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut with_errors = 0;
    let mut done = 0;
    let mut overview: Vec<report::overview::OverviewRow> = Vec::new();
    let mut html_names = HtmlNames::default();
    let mut csv = None;
    // The overview is index.html: no bundle's report may take that name.
    html_names.taken.insert("index.html".to_string());
    match format {
        BatchFormat::Text => writeln!(
            out,
            "{:<34} {:<30} {:<24} {:>4} {:<22} {:>6}",
            "BUNDLE", "USER", "TOP CAUSE", "CONF", "RUNNER-UP", "ERRORS"
        )?,
        BatchFormat::Csv => {
            csv = Some(report::csv::Writer::new(
                &mut *out,
                &[
                    "bundle",
                    "sip_uri",
                    "top_cause",
                    "confidence",
                    "runner_up",
                    "member_errors",
                    "members",
                    "verdict",
                ],
            )?);
        }
        BatchFormat::Jsonl => {}
    }
    // Columns are fitted by display width, so CJK names keep the table aligned.
    let fit = report::fit;
    batch::run(
        &bundles,
        rules,
        catalog,
        &options,
        window,
        progress.as_ref(),
        |b, mut a| {
            i18n::localize(&mut a, catalog, lang);
            if run.redact {
                a.redact_identifiers();
            }
            let name = bundle_name(&b.path);
            let row = BatchRow::of(&name, &a);
            *counts.entry(row.top_or_verdict()).or_default() += 1;
            with_errors += usize::from(row.member_errors > 0);
            done += 1;
            if let Some(p) = &progress {
                p.set_message(format!("{done}"));
            }
            if let Some(d) = html_dir {
                let file_name = html_names.file_for(&name);
                let mut f = io::BufWriter::new(std::fs::File::create(d.join(&file_name))?);
                report::render(&a, OutputFormat::Html, false, &mut f)?;
                f.flush()?;
                overview.push(report::overview::OverviewRow::of(
                    &name,
                    Some(file_name),
                    &a,
                ));
            }
            if let Some(w) = &mut csv {
                return w.row(
                    &mut *out,
                    &[
                        row.bundle.clone(),
                        row.sip_uri.clone().unwrap_or_default(),
                        row.top_cause.clone().unwrap_or_default(),
                        row.confidence
                            .map(|c| format!("{c:.2}"))
                            .unwrap_or_default(),
                        row.runner_up.clone().unwrap_or_default(),
                        row.member_errors.to_string(),
                        row.members.to_string(),
                        row.verdict.to_string(),
                    ],
                );
            }
            match format {
                BatchFormat::Text => writeln!(
                    out,
                    "{} {} {} {:>4} {} {:>6}",
                    fit(&row.bundle, 34),
                    fit(row.sip_uri.as_deref().unwrap_or("-"), 30),
                    fit(&row.top_or_verdict(), 24),
                    row.confidence
                        .map(|c| format!("{c:.2}"))
                        .unwrap_or_else(|| "-".into()),
                    fit(row.runner_up.as_deref().unwrap_or("-"), 22),
                    row.member_errors
                ),
                BatchFormat::Jsonl => {
                    let mut v = report::to_json_value(&a);
                    if let serde_json::Value::Object(m) = &mut v {
                        m.insert("bundle".into(), serde_json::Value::String(name.clone()));
                    }
                    serde_json::to_writer(&mut *out, &v)?;
                    writeln!(out)
                }
                BatchFormat::Csv => Ok(()),
            }
        },
    )?;
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    if let Some(d) = html_dir {
        let mut f = io::BufWriter::new(std::fs::File::create(d.join("index.html"))?);
        report::overview::render(
            &i18n::trf(lang, "overview.batch_title", &[("count", &overview.len())]),
            &overview,
            lang,
            &mut f,
        )?;
        f.flush()?;
    }
    if format == BatchFormat::Text {
        writeln!(
            out,
            "\n{}",
            trf(
                lang,
                "batch.summary",
                &[("bundles", &bundles.len()), ("errors", &with_errors)]
            )
        )?;
        let mut by_count: Vec<_> = counts.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (cause, n) in by_count {
            writeln!(out, "  {n:>5}  {cause}")?;
        }
    }
    out.flush()?;
    Ok(Exit::Done.into())
}

/// A bundle's name in the batch output (the `bundle` field): its path as found below the
/// folders given, without a leading `./`.
fn bundle_name(path: &std::path::Path) -> String {
    let p = path.display().to_string();
    p.strip_prefix("./").unwrap_or(&p).to_string()
}

/// The HTML report file names of one batch run: each bundle gets its own file, even when two
/// bundle paths sanitise to the same name (`a/b.zip` and `a_b.zip`) or differ only in case
/// (on a case-insensitive file system): the later one, in path order, gets `-2`, `-3` ….
#[derive(Default)]
struct HtmlNames {
    taken: std::collections::HashSet<String>,
}

impl HtmlNames {
    fn file_for(&mut self, bundle: &str) -> String {
        let base = sanitize(bundle);
        let mut name = format!("{base}.html");
        let mut n = 1;
        while !self.taken.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{base}-{n}.html");
        }
        name
    }
}

/// A file name for a bundle's report: path separators and odd characters become `_`.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

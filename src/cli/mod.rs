//! The command line: clap arguments, one module per subcommand, output formatting.
//!
//! The only place that knows about clap, stdout/stderr and exit codes.
//!
//! Conventions (README "Using it"):
//! - exit codes: 0 ok / routed, 1 a negative answer (no court, failing cases, findings, point
//!   outside), 2 usage, load or input error (clap's usage errors are 2 as well);
//! - `--lang` defaults from `ECOJURIS_LANG`, then `LC_ALL` / `LC_MESSAGES` / `LANG` (`zh…` →
//!   Chinese); an explicit `--format` or `--lang` that a subcommand cannot honour is a usage
//!   error naming what to use instead ([`check_globals`]);
//! - `-q` silences notes and summaries on stderr, `-v` adds what was loaded and the time taken.

mod address;
mod args;
mod batch;
mod evidence;
mod locate;
mod meta;
mod output;
mod route;
mod serve;
mod simulate;
mod validate;

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU8, Ordering};

pub use args::Cli;
use args::{Command, Format, GeodataCommand, Lang};

use crate::spatial::{Geodata, GeodataError, LocateConfig};

/// Outcome of a command, mapped to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: done, routed, all tests passed.
    Ok,
    /// 1: no competent court / point outside / failing test cases / findings.
    Negative,
    /// 2: usage, load or IO error.
    Error,
    /// 3: `route` needs a clarification (an ambiguous place; the answer lists the readings).
    Clarify,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Ok => ExitCode::SUCCESS,
            Outcome::Negative => ExitCode::from(1),
            Outcome::Error => ExitCode::from(2),
            Outcome::Clarify => ExitCode::from(3),
        }
    }
}

/// A user-facing error of the command line (printed as one line, exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Loading geodata failed.
    #[error("geodata: {0}")]
    Geodata(#[from] GeodataError),
    /// Anything else, already phrased for the user.
    #[error("{0}")]
    Msg(String),
    /// An IO error with the path or stream it concerns.
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

impl CliError {
    /// The error in `lang`, from the error catalogue ([`crate::explain::errors`]).
    pub fn localized(&self, lang: Lang) -> String {
        use crate::explain::errors;
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => match self {
                CliError::Io(what, e) => {
                    let what = if what == "stdin" || what == "stdout" {
                        what.clone()
                    } else {
                        format!("`{what}`")
                    };
                    format!("{what}：{}", errors::io_zh(e))
                }
                other => errors::zh(&other.to_string()),
            },
        }
    }
}

/// The prefix of an error line in `lang`.
pub(crate) fn error_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "error: ",
        Lang::Zh => "错误：",
    }
}

/// 0 quiet, 1 normal, 2+ verbose (set once by [`run`]).
static VERBOSITY: AtomicU8 = AtomicU8::new(1);

/// The language of notes on stderr: 0 English, 1 Chinese (set once by [`run`] from `--lang`
/// or the environment).
static NOTE_LANG: AtomicU8 = AtomicU8::new(0);

/// An English note or summary line in `lang`, through the catalogue
/// ([`crate::explain::errors`]); a line it does not know stays English.
pub(crate) fn tr(lang: Lang, en: &str) -> String {
    crate::explain::errors::localized(en, lang.into())
}

/// Whether `-q` was given: notes, summaries and progress stay silent.
pub(crate) fn quiet() -> bool {
    VERBOSITY.load(Ordering::Relaxed) == 0
}

/// Whether `-v` was given.
pub(crate) fn verbose() -> bool {
    VERBOSITY.load(Ordering::Relaxed) >= 2
}

/// Parses the process arguments like `Cli::parse()`, and also: records which global flags
/// were given explicitly, takes the language from the environment when `--lang` is not
/// given, and answers `--version` with the rules and geodata versions. Usage errors exit
/// with code 2, `--help` and `--version` with 0.
pub fn parse() -> Cli {
    use clap::{CommandFactory as _, FromArgMatches as _};
    let mut cmd = Cli::command();
    if std::env::args_os()
        .skip(1)
        .any(|a| a == "--version" || a == "-V")
    {
        // Loading the embedded data takes a few milliseconds: only when asked for.
        let v: &'static str = Box::leak(meta::long_version().into_boxed_str());
        cmd = cmd.version(v).long_version(v);
    }
    let matches = cmd.get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let given = |id: &str| {
        let mut m = Some(&matches);
        while let Some(cur) = m {
            if cur.value_source(id) == Some(clap::parser::ValueSource::CommandLine) {
                return true;
            }
            m = cur.subcommand().map(|(_, sub)| sub);
        }
        false
    };
    cli.given = args::Given {
        format: given("format"),
        lang: given("lang"),
    };
    if !cli.given.lang {
        match lang_from_env(|k| std::env::var(k).ok()) {
            Ok(Some(l)) => cli.lang = l,
            Ok(None) => {}
            Err(e) => {
                // The language itself is in doubt: both.
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "error: {e}");
                let _ = writeln!(
                    err,
                    "错误：环境变量 ECOJURIS_LANG 无效，应为 `en` 或 `zh`（或不设置）"
                );
                std::process::exit(2);
            }
        }
    }
    cli
}

/// The language from the environment: `ECOJURIS_LANG` (`en` or `zh…`; anything else is an
/// error), then the first non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG` (`zh…` → Chinese,
/// anything else → English). `None` when none is set.
pub fn lang_from_env(var: impl Fn(&str) -> Option<String>) -> Result<Option<Lang>, String> {
    let set = |k: &str| var(k).filter(|v| !v.trim().is_empty());
    if let Some(v) = set("ECOJURIS_LANG") {
        let l = v.trim().to_ascii_lowercase();
        return if l.starts_with("zh") {
            Ok(Some(Lang::Zh))
        } else if l.starts_with("en") {
            Ok(Some(Lang::En))
        } else {
            Err(format!(
                "invalid `ECOJURIS_LANG={v}`: expected `en` or `zh` (or unset it)"
            ))
        };
    }
    Ok(["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(set)
        .map(|v| {
            if v.trim().to_ascii_lowercase().starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            }
        }))
}

/// Which subcommands honour `--format` and `--lang`: `Err` names what to use instead.
fn check_globals(cli: &Cli) -> Result<(), CliError> {
    let (name, format, lang): (&str, Result<(), &str>, Result<(), &str>) = match &cli.command {
        Command::Locate(a) if a.input.is_some() => (
            "locate --input",
            Err("it writes CSV; its columns are fixed"),
            Err("its CSV columns are fixed"),
        ),
        Command::Locate(_) => ("locate", Ok(()), Ok(())),
        Command::Route(_) => ("route", Ok(()), Ok(())),
        Command::Courts(_) => ("courts", Ok(()), Ok(())),
        Command::Sources(_) => ("sources", Ok(()), Ok(())),
        // Their summary lines follow the language; findings, failures and case lines are
        // English (built from English data).
        Command::Test(_) => ("test", Ok(()), Ok(())),
        Command::Evidence(_) => ("evidence", Ok(()), Ok(())),
        Command::Validate(_) => ("validate", Ok(()), Ok(())),
        Command::Rules { .. } => ("rules diff", Ok(()), Err("its report is in English")),
        Command::Scenario { .. } => (
            "scenario new",
            Err("it writes a YAML file"),
            Err("the template's comments are in English (it holds both titles)"),
        ),
        Command::Serve(_) => (
            "serve",
            Err("the API answers JSON and the page switches language itself"),
            Err("the page is Chinese by default with an English switch"),
        ),
        Command::Batch(_) => (
            "batch",
            Err("use `--output-format csv|jsonl` or the output file's extension"),
            Err("its CSV/JSONL columns are fixed; JSONL rows carry both languages"),
        ),
        Command::Simulate(_) => (
            "simulate",
            Err("it writes Markdown, HTML, CSV and SVG files under `--report`"),
            Ok(()),
        ),
        Command::GenerateCases(_) => (
            "generate-cases",
            Err("use `--output-format csv|jsonl` or the output file's extension"),
            Err("it writes data, not text"),
        ),
        Command::Geodata { .. } => (
            "geodata compile",
            Err("it writes a binary file"),
            Err("it writes a binary file"),
        ),
        Command::Completions { .. } => (
            "completions",
            Err("it prints a shell script"),
            Err("it prints a shell script"),
        ),
        Command::Man => (
            "man",
            Err("it prints roff"),
            Err("the manual page is in English"),
        ),
    };
    if cli.given.format
        && let Err(why) = format
    {
        let f = match cli.format {
            Format::Text => "text",
            Format::Json => "json",
        };
        return Err(CliError::Msg(format!(
            "`--format {f}` has no effect on `ecojuris {name}`: {why}; drop the flag"
        )));
    }
    if cli.given.lang
        && let Err(why) = lang
    {
        let l = match cli.lang {
            Lang::En => "en",
            Lang::Zh => "zh",
        };
        return Err(CliError::Msg(format!(
            "`--lang {l}` has no effect on `ecojuris {name}`: {why}; drop the flag"
        )));
    }
    Ok(())
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let level = if cli.quiet {
        0
    } else {
        1u8.saturating_add(cli.verbose)
    };
    VERBOSITY.store(level, Ordering::Relaxed);
    NOTE_LANG.store(u8::from(cli.lang == Lang::Zh), Ordering::Relaxed);
    if let Some(mib) = cli.max_input {
        crate::input::doc::set_max_input((mib as usize) << 20);
    }
    let started = std::time::Instant::now();
    if verbose() {
        meta::verbose_header(&cli);
    }
    let result = check_globals(&cli).and_then(|()| dispatch(&cli));
    let outcome = match result {
        Ok(o) => o,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{}{}", error_prefix(cli.lang), e.localized(cli.lang));
            Outcome::Error
        }
    };
    if verbose() {
        note(&format!(
            "done in {:.1} ms, exit code {}",
            started.elapsed().as_secs_f64() * 1000.0,
            match outcome {
                Outcome::Ok => 0,
                Outcome::Negative => 1,
                Outcome::Error => 2,
                Outcome::Clarify => 3,
            }
        ));
    }
    outcome.into()
}

fn dispatch(cli: &Cli) -> Result<Outcome, CliError> {
    match &cli.command {
        Command::Locate(a) => locate::run(cli, a),
        Command::Route(a) => route::run_route(cli, a),
        Command::Courts(a) => route::run_courts(cli, a),
        Command::Test(a) => meta::run_test(cli, a),
        Command::Sources(a) => meta::run_sources(cli, a),
        Command::Completions { shell } => meta::run_completions(*shell),
        Command::Man => meta::run_man(),
        Command::Evidence(a) => evidence::run(cli, a),
        Command::Validate(a) => validate::run_validate(cli, a),
        Command::Rules {
            command: args::RulesCommand::Diff(a),
        } => validate::run_diff(cli, a),
        Command::Serve(a) => serve::run(cli, a),
        Command::Batch(a) => batch::run(cli, a),
        Command::Simulate(a) => simulate::run(cli, a),
        Command::GenerateCases(a) => simulate::run_generate(cli, a),
        Command::Scenario {
            command: args::ScenarioCommand::New { name, output },
        } => simulate::run_scenario_new(name, output.as_deref()),
        Command::Geodata {
            command: GeodataCommand::Compile { source, out, name },
        } => {
            let set = crate::spatial::GeoSet::read_source_dir(source)?;
            set.check_source_extent(source)?;
            let mut set = set;
            set.name = name.clone();
            let bytes = set.to_bytes();
            let mut f = output::Output::create(out)?;
            f.write_all(&bytes)
                .map_err(|e| CliError::Io(out.display().to_string(), e))?;
            f.commit()?;
            let mut err = std::io::stderr().lock();
            let _ = writeln!(
                err,
                "compiled {} units, {} features, {} code rows into `{}` ({} bytes)",
                set.units.len(),
                set.features.len(),
                set.codes.areas().len(),
                out.display(),
                bytes.len()
            );
            Ok(Outcome::Ok)
        }
    }
}

/// Loads the geodata selected by `--geodata` (embedded default otherwise).
pub fn load_geodata(cli: &Cli) -> Result<Geodata, CliError> {
    let config = LocateConfig {
        tolerance_m: cli.tolerance,
    };
    if !(0.0..=5000.0).contains(&cli.tolerance) {
        return Err(CliError::Msg(format!(
            "invalid `--tolerance {}`: give metres between 0 and 5000",
            cli.tolerance
        )));
    }
    Ok(match &cli.geodata {
        Some(dir) => Geodata::from_dir(dir, config)?,
        None => Geodata::embedded(config)?,
    })
}

/// Writes a string to stdout, ignoring a closed pipe.
pub(crate) fn out(s: &str) -> Result<(), CliError> {
    let mut o = std::io::stdout().lock();
    match o.write_all(s.as_bytes()).and_then(|()| o.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Io("stdout".to_string(), e)),
    }
}

/// Writes one line to stderr, unless `-q` was given.
pub(crate) fn note(s: &str) {
    if quiet() {
        return;
    }
    let lang = if NOTE_LANG.load(Ordering::Relaxed) == 1 {
        Lang::Zh
    } else {
        Lang::En
    };
    let s = tr(lang, s);
    let mut e = std::io::stderr().lock();
    let _ = writeln!(e, "{s}");
}

/// Serializes to pretty JSON plus a newline.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

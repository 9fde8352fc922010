//! The command line: clap arguments, one module per subcommand, output formatting.
//!
//! The only place that knows about clap, stdout/stderr and exit codes.

mod address;
mod args;
mod batch;
mod evidence;
mod locate;
mod output;
mod route;
mod serve;
mod simulate;
mod validate;

use std::io::Write;
use std::process::ExitCode;

pub use args::Cli;
use args::{Command, GeodataCommand};

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
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Ok => ExitCode::SUCCESS,
            Outcome::Negative => ExitCode::from(1),
            Outcome::Error => ExitCode::from(2),
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

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = dispatch(&cli);
    match result {
        Ok(o) => o.into(),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {e}");
            Outcome::Error.into()
        }
    }
}

fn dispatch(cli: &Cli) -> Result<Outcome, CliError> {
    match &cli.command {
        Command::Locate(a) => locate::run(cli, a),
        Command::Route(a) => route::run_route(cli, a),
        Command::Courts(a) => route::run_courts(cli, a),
        Command::Test(a) => route::run_test(cli, a),
        Command::Evidence(a) => evidence::run(cli, a),
        Command::Validate(a) => validate::run_validate(cli, a),
        Command::Rules {
            command: args::RulesCommand::Diff(a),
        } => validate::run_diff(cli, a),
        Command::Serve(a) => serve::run(cli, a),
        Command::Batch(a) => batch::run(cli, a),
        Command::Simulate(a) => simulate::run(cli, a),
        Command::GenerateCases(a) => simulate::run_generate(cli, a),
        Command::Geodata {
            command: GeodataCommand::Compile { source, out, name },
        } => {
            let set = crate::spatial::GeoSet::read_source_dir(source)?;
            set.check_extent(&source.display().to_string())?;
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

/// Writes one line to stderr.
pub(crate) fn note(s: &str) {
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

//! The `ecojuris` command line: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = ecojuris::cli::Cli::parse();
    ecojuris::cli::run(cli)
}

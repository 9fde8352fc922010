//! The `ecojuris` command line: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = ecojuris::cli::parse();
    ecojuris::cli::run(cli)
}

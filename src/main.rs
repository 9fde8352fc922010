//! The `ecojuris` command line: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

/// mimalloc as the binary's allocator: `batch` and `simulate` allocate and free per case on
/// every core, where it is markedly faster than the system allocator (`docs/batch-performance.md`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = ecojuris::cli::parse();
    ecojuris::cli::run(cli)
}

//! The single integration-test binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "tests fail loudly"
)]

mod batch;
mod browser;
mod cases;
mod cli;
mod common;
mod evidence;
mod fuzz;
mod population;
mod robust;
mod routing;
mod server;
mod simulate;
mod snapshot;
mod spatial;
mod validate;

//! The single integration-test binary.

mod spatial;
mod browser;
mod server;
mod cases;
mod common;
mod validate;
mod routing;
mod batch;

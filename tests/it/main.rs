//! The single integration-test binary.

mod spatial;

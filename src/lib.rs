//! ecojuris: which court is competent for an environmental case in the Yangtze River Delta.
//!
//! Start at [`spatial::Geodata`] (points and codes to county-level units) and
//! `src/ARCHITECTURE.md` for the map of the crate.

pub mod address;
pub mod cli;
pub mod diagnostics;
pub mod spatial;

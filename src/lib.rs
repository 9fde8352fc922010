//! ecojuris: which court is competent for an environmental case in the Yangtze River Delta.
//!
//! Start at [`eval::Engine`] (load once, `route` many cases), [`spatial::Geodata`] (points and
//! codes to county-level units) and `src/ARCHITECTURE.md` for the map of the crate.

pub mod address;
pub mod cases;
pub mod cli;
pub mod diagnostics;
pub mod eval;
pub mod evidence;
pub mod explain;
pub mod input;
pub mod model;
pub mod rules;
pub mod server;
pub mod simulate;
pub mod spatial;
pub mod svg;
pub mod validate;

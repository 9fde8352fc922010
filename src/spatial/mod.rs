//! Geodata: county-level units, water and sea features and the code table; point location.

pub mod codes;

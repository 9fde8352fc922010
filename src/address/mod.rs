//! Chinese addresses and historical place names to county-level units (in progress).

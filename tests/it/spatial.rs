//! Point and code location over the embedded geodata.

//! Batch routing and reform simulation over many cases. Sans IO: everything here takes
//! strings, records and iterators and returns structs and strings; reading files, threads,
//! progress bars and writing reports live in `cli::batch` and `cli::simulate`.
//!
//! - [`batch`]: batch input rows (CSV single-location rows, JSONL case objects) → [`Case`];
//!   a memoizing [`batch::Router`] that routes one case to a compact [`batch::Summary`];
//!   output rows (CSV, JSONL) and counters.
//! - [`caseload`]: the published caseload figures (embedded data file) and the monthly volumes
//!   fitted to them.
//! - [`population`]: synthetic, documented, seeded case populations (calibrated and stress).
//! - [`report`]: baseline-versus-scenario aggregates (changes, workload, fragmentation,
//!   travel, flagged cases, per year and per Demonstration Zone district).
//! - [`render`]: the output home of a report: Markdown, HTML, CSV and SVG, English or Chinese.
//!
//! Must not know: clap, files, stdout/stderr, the clock (the caller passes "today").
//!
//! [`Case`]: crate::model::Case

pub mod batch;
pub mod caseload;
pub mod population;
pub mod render;
pub mod report;

/// Great-circle distance in kilometres between two WGS-84 points `[lon, lat]` (haversine,
/// mean Earth radius 6371.0088 km).
pub fn great_circle_km(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (lon1, lat1) = (a[0].to_radians(), a[1].to_radians());
    let (lon2, lat2) = (b[0].to_radians(), b[1].to_radians());
    let dlat = lat2 - lat1;
    let dlon = lon2 - lon1;
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn great_circle_known_distance() {
        // Shanghai People's Square to Nanjing Xinjiekou: about 267 km.
        let d = great_circle_km([121.4737, 31.2304], [118.7969, 32.0603]);
        assert!((d - 267.0).abs() < 5.0, "{d}");
        assert_eq!(great_circle_km([120.0, 30.0], [120.0, 30.0]), 0.0);
    }
}

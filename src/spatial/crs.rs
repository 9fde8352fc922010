//! Input coordinate systems: WGS-84, GCJ-02 (Amap, Tencent) and BD-09 (Baidu).
//!
//! The forward transforms are the public GCJ-02 algorithm (Krasovsky constants) and the
//! Baidu BD-09 offset. The inverses iterate `w ← w − (f(w) − g)` until the round trip is
//! below 1e-10°, because a single-step inverse leaves 0.5–5 m of error.

use std::f64::consts::PI;

/// A coordinate reference system of an input point.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Crs {
    /// WGS-84 (GPS, 天地图/CGCS2000 to within centimetres, OSM). The geodata is in WGS-84.
    #[default]
    Wgs84,
    /// GCJ-02, the obfuscated system of Amap (高德) and Tencent maps.
    Gcj02,
    /// BD-09, Baidu's system (GCJ-02 plus a second offset).
    Bd09,
}

impl Crs {
    /// All systems, for help texts and suggestions.
    pub const ALL: [Crs; 3] = [Crs::Wgs84, Crs::Gcj02, Crs::Bd09];

    /// The lowercase name used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            Crs::Wgs84 => "wgs84",
            Crs::Gcj02 => "gcj02",
            Crs::Bd09 => "bd09",
        }
    }

    /// Parses `wgs84`, `gcj02` or `bd09` (case-insensitive; `wgs-84`, `gcj-02`, `bd-09` too).
    pub fn parse(s: &str) -> Option<Crs> {
        let norm: String = s
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        match norm.as_str() {
            "wgs84" | "wgs" | "gps" | "cgcs2000" => Some(Crs::Wgs84),
            "gcj02" | "gcj" | "amap" => Some(Crs::Gcj02),
            "bd09" | "bd" | "baidu" => Some(Crs::Bd09),
            _ => None,
        }
    }

    /// Converts a point in this system to WGS-84 `(lon, lat)`.
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Wgs84 => (lon, lat),
            Crs::Gcj02 => gcj02_to_wgs84(lon, lat),
            Crs::Bd09 => {
                let (glon, glat) = bd09_to_gcj02(lon, lat);
                gcj02_to_wgs84(glon, glat)
            }
        }
    }

    /// Converts a WGS-84 point into this system.
    pub fn from_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Crs::Wgs84 => (lon, lat),
            Crs::Gcj02 => wgs84_to_gcj02(lon, lat),
            Crs::Bd09 => {
                let (glon, glat) = wgs84_to_gcj02(lon, lat);
                gcj02_to_bd09(glon, glat)
            }
        }
    }
}

impl std::fmt::Display for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;
const X_PI: f64 = PI * 3000.0 / 180.0;

fn out_of_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// WGS-84 → GCJ-02 (identity outside China, as the public algorithm does).
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let dlat = transform_lat(lon - 105.0, lat - 35.0);
    let dlon = transform_lon(lon - 105.0, lat - 35.0);
    let radlat = lat / 180.0 * PI;
    let magic = 1.0 - EE * radlat.sin() * radlat.sin();
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (A / sqrt_magic * radlat.cos() * PI);
    (lon + dlon, lat + dlat)
}

/// GCJ-02 → BD-09.
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.00002 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// Solves `f(w) = g` by fixed-point iteration starting at `g`; `f` is a small offset map.
fn invert(f: impl Fn(f64, f64) -> (f64, f64), lon: f64, lat: f64) -> (f64, f64) {
    let (mut wlon, mut wlat) = (lon, lat);
    for _ in 0..30 {
        let (flon, flat) = f(wlon, wlat);
        let (elon, elat) = (flon - lon, flat - lat);
        wlon -= elon;
        wlat -= elat;
        if elon.abs() < 1e-11 && elat.abs() < 1e-11 {
            break;
        }
    }
    (wlon, wlat)
}

/// GCJ-02 → WGS-84, iterated to below 1e-10°.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    invert(wgs84_to_gcj02, lon, lat)
}

/// BD-09 → GCJ-02, iterated to below 1e-10°.
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    invert(gcj02_to_bd09, lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Published test vectors (WGS-84 → GCJ-02) used by the public `eviltransform` ports.
    const VECTORS: [(f64, f64, f64, f64); 3] = [
        (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
        (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
        (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    ];

    #[test]
    fn gcj02_forward_matches_vectors() {
        for (lon, lat, glon, glat) in VECTORS {
            let (x, y) = wgs84_to_gcj02(lon, lat);
            assert!(
                (x - glon).abs() < 1e-9 && (y - glat).abs() < 1e-9,
                "{x},{y}"
            );
        }
    }

    #[test]
    fn bd09_vectors() {
        // BD-09 → WGS-84 vectors of the public ports. Those ports use a single-step GCJ-02
        // inverse, so their answers are 10–40 m off; ours is the exact inverse: it must be
        // within 50 m of theirs and map back onto the input to 1e-9°.
        for (blon, blat, lon, lat) in [
            (
                120.019809,
                29.199786,
                120.008_779_011_496_91,
                29.196_131_605_295_484,
            ),
            (
                120.036455,
                29.210504,
                120.025_385_397_084_6,
                29.206_795_749_156_136,
            ),
        ] {
            let (x, y) = Crs::Bd09.to_wgs84(blon, blat);
            assert!((x - lon).abs() < 5e-4 && (y - lat).abs() < 5e-4, "{x},{y}");
            let (bx, by) = Crs::Bd09.from_wgs84(x, y);
            assert!(
                (bx - blon).abs() < 1e-9 && (by - blat).abs() < 1e-9,
                "{bx},{by}"
            );
        }
    }

    #[test]
    fn inverses_round_trip_below_1e_6() {
        for (lon, lat) in [
            (121.12, 31.15),
            (118.78, 32.04),
            (120.15, 30.27),
            (117.27, 31.86),
        ] {
            for crs in Crs::ALL {
                let (x, y) = crs.from_wgs84(lon, lat);
                let (bx, by) = crs.to_wgs84(x, y);
                assert!((bx - lon).abs() < 1e-9 && (by - lat).abs() < 1e-9, "{crs}");
            }
        }
    }

    #[test]
    fn shanghai_offset_is_east_and_south() {
        let (x, y) = wgs84_to_gcj02(121.47, 31.23);
        // About +430 m east and -215 m south near Shanghai.
        assert!((x - 121.47) > 0.003 && (x - 121.47) < 0.006);
        assert!((y - 31.23) < -0.0015 && (y - 31.23) > -0.003);
    }

    #[test]
    fn parse_names() {
        assert_eq!(Crs::parse("GCJ-02"), Some(Crs::Gcj02));
        assert_eq!(Crs::parse("bd09"), Some(Crs::Bd09));
        assert_eq!(Crs::parse("utm"), None);
    }
}

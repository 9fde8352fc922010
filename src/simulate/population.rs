//! A synthetic case population for simulations: seeded, deterministic, with every assumption
//! stated in [`assumptions`] (written beside the file as `<FILE>.meta.json`) and in
//! `docs/case-population.md`.
//!
//! Anchors: Shanghai's environmental courts received 721 cases in the first 17 months of
//! "1+4" (January 2020 to May 2021): 442 criminal, 61 administrative and 189 non-litigation
//! enforcement reviews (NLE); we read the remaining 29 as civil. NLE reviews are not cases
//! this tool routes, so the population's mix is that of the 532 litigation cases: criminal
//! 83.1 %, administrative 11.5 %, civil 5.5 %.
//!
//! Incidents: every civil case comes from an incident that spawns a criminal, a civil and an
//! administrative case together (29 such incidents per 532 cases); the other cases are
//! single-case incidents (413 criminal, 32 administrative per 532 cases).

use crate::model::{CaseKind, Date, Role};
use crate::spatial::Geodata;

/// Demonstration-Zone units (青浦, 吴江, 嘉善).
pub const DEMO_ZONE_UNITS: [&str; 3] = ["310118", "320509", "330421"];

/// Population settings.
#[derive(Debug, Clone, Copy)]
pub struct PopulationConfig {
    /// Number of cases.
    pub count: u64,
    /// Random seed.
    pub seed: u64,
    /// First filing date (inclusive).
    pub from: Date,
    /// Last filing date (inclusive).
    pub to: Date,
}

impl PopulationConfig {
    /// The documented default range: 2025-01-01 to 2026-06-30 (18 months).
    pub fn new(count: u64, seed: u64) -> PopulationConfig {
        PopulationConfig {
            count,
            seed,
            from: Date::from_ymd(2025, 1, 1).unwrap_or(Date::from_days(20089)),
            to: Date::from_ymd(2026, 6, 30).unwrap_or(Date::from_days(20634)),
        }
    }
}

/// Incidents per 532 litigation cases (see the module docs).
const TRIPLES: u64 = 29;
const SINGLE_CRIMINAL: u64 = 413;
const SINGLE_ADMIN: u64 = 32;

/// Stratum weights in per cent: Demonstration Zone, rest of Shanghai, rest of the region.
pub const STRATA: [(&str, u32); 3] = [
    ("demonstration_zone", 20),
    ("rest_of_shanghai", 30),
    ("rest_of_region", 50),
];

/// One generated case (a single-location batch row).
#[derive(Debug, Clone, PartialEq)]
pub struct GenCase {
    /// Case id.
    pub id: String,
    /// Kind.
    pub kind: CaseKind,
    /// Filing date.
    pub filed_on: Date,
    /// Longitude (WGS-84).
    pub lon: f64,
    /// Latitude (WGS-84).
    pub lat: f64,
    /// Role of the place.
    pub role: Role,
    /// Incident id.
    pub incident_id: String,
}

/// The CSV header of a generated population.
pub const CSV_HEADER: &str = "id,kind,filed_on,lon,lat,role,incident_id\n";

impl GenCase {
    /// Appends the CSV row.
    pub fn csv_line(&self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = writeln!(
            out,
            "{},{},{},{:.6},{:.6},{},{}",
            self.id, self.kind, self.filed_on, self.lon, self.lat, self.role, self.incident_id
        );
    }

    /// Appends the JSONL row (the case schema of `ecojuris route`).
    pub fn json_line(&self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = writeln!(
            out,
            "{{\"id\":\"{}\",\"kind\":\"{}\",\"filed_on\":\"{}\",\"places\":[{{\"role\":\"{}\",\"at\":[{:.6},{:.6}]}}],\"incident_id\":\"{}\"}}",
            self.id, self.kind, self.filed_on, self.role, self.lon, self.lat, self.incident_id
        );
    }
}

/// Deterministic splitmix64.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
}

#[derive(Debug, Clone)]
struct Stratum {
    weight: u32,
    units: Vec<bool>,
    bbox: [f64; 4],
}

/// The population, as an iterator of cases.
#[derive(Debug)]
pub struct Population<'g> {
    geo: &'g Geodata,
    cfg: PopulationConfig,
    rng: Rng,
    strata: Vec<Stratum>,
    pending: std::collections::VecDeque<GenCase>,
    produced: u64,
    incidents: u64,
}

impl<'g> Population<'g> {
    /// A population over `geo`.
    pub fn new(geo: &'g Geodata, cfg: PopulationConfig) -> Population<'g> {
        let units = geo.units();
        let member = |k: usize, adcode: &str, province: &str| match k {
            0 => DEMO_ZONE_UNITS.contains(&adcode),
            1 => province == "310000" && !DEMO_ZONE_UNITS.contains(&adcode),
            _ => province != "310000" && !DEMO_ZONE_UNITS.contains(&adcode),
        };
        let strata = STRATA
            .iter()
            .enumerate()
            .map(|(k, (_, w))| {
                let flags: Vec<bool> = units
                    .iter()
                    .map(|u| member(k, &u.adcode, &u.province_adcode))
                    .collect();
                let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
                for ((_, rings), on) in geo.set().units.iter().zip(&flags) {
                    if !on {
                        continue;
                    }
                    for v in rings.iter().flatten() {
                        let (x, y) = (f64::from(v[0]) / 1e6, f64::from(v[1]) / 1e6);
                        bbox = [
                            bbox[0].min(x),
                            bbox[1].min(y),
                            bbox[2].max(x),
                            bbox[3].max(y),
                        ];
                    }
                }
                Stratum {
                    weight: *w,
                    units: flags,
                    bbox,
                }
            })
            .collect();
        Population {
            geo,
            cfg,
            rng: Rng(cfg.seed ^ 0x05ee_dec0_u64.rotate_left(17)),
            strata,
            pending: std::collections::VecDeque::new(),
            produced: 0,
            incidents: 0,
        }
    }

    fn point(&mut self) -> (f64, f64) {
        let total: u32 = self.strata.iter().map(|s| s.weight).sum();
        let mut pick = self.rng.below(u64::from(total.max(1)));
        let mut k = 0;
        for (i, s) in self.strata.iter().enumerate() {
            if pick < u64::from(s.weight) {
                k = i;
                break;
            }
            pick -= u64::from(s.weight);
        }
        let Some(s) = self.strata.get(k).cloned() else {
            return (121.0, 31.0);
        };
        // Rejection sampling: uniform by area inside the stratum.
        for _ in 0..100_000 {
            let x = s.bbox[0] + self.rng.unit() * (s.bbox[2] - s.bbox[0]);
            let y = s.bbox[1] + self.rng.unit() * (s.bbox[3] - s.bbox[1]);
            let (x, y) = ((x * 1e6).round() / 1e6, (y * 1e6).round() / 1e6);
            if let Some(u) = self.geo.unit_at(x, y) {
                let ix = self
                    .geo
                    .units()
                    .binary_search_by(|v| v.adcode.as_str().cmp(&u.adcode))
                    .ok();
                if ix.is_some_and(|i| s.units.get(i).copied().unwrap_or(false)) {
                    return (x, y);
                }
            }
        }
        (121.0, 31.0)
    }

    fn refill(&mut self) {
        self.incidents += 1;
        let incident = format!("i{:07}", self.incidents);
        let per = TRIPLES + SINGLE_CRIMINAL + SINGLE_ADMIN;
        let r = self.rng.below(per);
        let kinds: &[CaseKind] = if r < TRIPLES {
            &[
                CaseKind::Criminal,
                CaseKind::Civil,
                CaseKind::Administrative,
            ]
        } else if r < TRIPLES + SINGLE_CRIMINAL {
            &[CaseKind::Criminal]
        } else {
            &[CaseKind::Administrative]
        };
        let (lon, lat) = self.point();
        let span = (self.cfg.to.days() - self.cfg.from.days()).max(0) + 1;
        let base = self
            .cfg
            .from
            .add_days(i32::try_from(self.rng.below(u64::try_from(span).unwrap_or(1))).unwrap_or(0));
        for &kind in kinds {
            let lag = match kind {
                CaseKind::Civil => self.rng.below(90),
                CaseKind::Administrative if kinds.len() > 1 => self.rng.below(30),
                _ => 0,
            };
            let mut d = base.add_days(i32::try_from(lag).unwrap_or(0));
            if d > self.cfg.to {
                d = self.cfg.to;
            }
            let role = if kind == CaseKind::Administrative {
                Role::Agency
            } else {
                Role::Conduct
            };
            self.pending.push_back(GenCase {
                id: String::new(),
                kind,
                filed_on: d,
                lon,
                lat,
                role,
                incident_id: incident.clone(),
            });
        }
    }
}

impl Iterator for Population<'_> {
    type Item = GenCase;

    fn next(&mut self) -> Option<GenCase> {
        if self.produced >= self.cfg.count {
            return None;
        }
        if self.pending.is_empty() {
            self.refill();
        }
        let mut c = self.pending.pop_front()?;
        self.produced += 1;
        c.id = format!("c{:07}", self.produced);
        Some(c)
    }
}

/// The assumptions of a population, for `<FILE>.meta.json`.
pub fn assumptions(cfg: &PopulationConfig, format: &str) -> serde_json::Value {
    serde_json::json!({
        "generator": concat!("ecojuris generate-cases ", env!("CARGO_PKG_VERSION")),
        "format": format,
        "count": cfg.count,
        "seed": cfg.seed,
        "documentation": "docs/case-population.md",
        "columns": ["id", "kind", "filed_on", "lon", "lat", "role", "incident_id"],
        "kind_mix": {
            "anchor": "Shanghai environmental courts, first 17 months of 1+4 (2020-01 to 2021-05): 721 cases = 442 criminal + 61 administrative + 189 non-litigation enforcement reviews (NLE) + 29 read as civil; NLE is not routed, so the mix is over the 532 litigation cases",
            "criminal": 442.0 / 532.0,
            "administrative": 61.0 / 532.0,
            "civil": 29.0 / 532.0,
        },
        "incidents": {
            "per_532_cases": {"criminal_civil_administrative_triples": TRIPLES, "single_criminal": SINGLE_CRIMINAL, "single_administrative": SINGLE_ADMIN},
            "place": "all cases of one incident share one point",
            "dates": "criminal on the incident date; civil 0-89 days later; administrative (in a triple) 0-29 days later; clamped to the last date",
            "truncation": "the last incident may be cut short to reach exactly `count` cases",
        },
        "roles": {"criminal": "conduct", "civil": "conduct", "administrative": "agency (the acting agency is taken to sit in the county of the incident)"},
        "places": {
            "weighting_percent": {"demonstration_zone (310118, 320509, 330421)": 20, "rest_of_shanghai": 30, "rest_of_region (Jiangsu, Zhejiang, Anhui)": 50},
            "within_stratum": "uniform by land area (rejection sampling over county polygons; no points at sea)",
            "precision": "6 decimals, WGS-84",
        },
        "dates": {"from": cfg.from.to_string(), "to": cfg.to.to_string(), "distribution": "incident dates uniform over the range"},
        "not_modelled": ["public-interest and eco-damage suits", "intermediate-level cases (life/death penalties, large claims, suits against governments)", "marine cases", "defendant domicile places", "seasonality"],
    })
}

//! Synthetic case populations for simulations: seeded, deterministic, with every assumption
//! written beside the file as `<FILE>.meta.json` and in `docs/case-population.md`.
//!
//! - [`CalibratedPopulation`] (the default of `generate-cases`): monthly volumes per province and
//!   kind fitted to the published caseload figures of [`super::caseload`]; places by land area
//!   within the province, except units and the sea whose share a figure fixes; public-interest
//!   suits joined to criminal incidents; a stated share of other-province defendants.
//! - [`Population`] (`--mode stress`): the stress and comparison population below.
//!
//! Stress anchors: Shanghai's environmental courts received 721 cases in the first 17 months
//! of "1+4" (January 2020 to May 2021): 442 criminal, 61 administrative, 29 civil and 189
//! non-litigation enforcement reviews (NLE). NLE reviews are not cases this tool routes, so the
//! stress mix is that of the 532 litigation cases: criminal 83.1 %, administrative 11.5 %,
//! civil 5.5 %.
//!
//! Stress incidents: every civil case comes from an incident that spawns a criminal, a civil and
//! an administrative case together (29 such incidents per 532 cases); the other cases are
//! single-case incidents (413 criminal, 32 administrative per 532 cases).

use crate::model::{CaseKind, Date, Role};
use crate::spatial::Geodata;
use crate::svg::bbox_degrees;

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
    /// A defendant domicile (county-level unit code), when the case has one.
    pub defendant: Option<String>,
}

/// The CSV header of a stress population.
pub const CSV_HEADER: &str = "id,kind,filed_on,lon,lat,role,incident_id\n";

/// The CSV header of a calibrated population (`defendant_code` may be empty).
pub const CSV_HEADER_CALIBRATED: &str =
    "id,kind,filed_on,lon,lat,role,incident_id,defendant_code\n";

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

    /// Appends the CSV row of a calibrated population (with the `defendant_code` column).
    pub fn csv_line_calibrated(&self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = writeln!(
            out,
            "{},{},{},{:.6},{:.6},{},{},{}",
            self.id,
            self.kind,
            self.filed_on,
            self.lon,
            self.lat,
            self.role,
            self.incident_id,
            self.defendant.as_deref().unwrap_or("")
        );
    }

    /// Appends the JSONL row (the case schema of `ecojuris route`).
    pub fn json_line(&self, out: &mut String) {
        use std::fmt::Write as _;
        let defendant = self
            .defendant
            .as_deref()
            .map(|c| format!(",{{\"role\":\"defendant_domicile\",\"code\":\"{c}\"}}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{{\"id\":\"{}\",\"kind\":\"{}\",\"filed_on\":\"{}\",\"places\":[{{\"role\":\"{}\",\"at\":[{:.6},{:.6}]}}{defendant}],\"incident_id\":\"{}\"}}",
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
                let bbox = geo
                    .set()
                    .units
                    .iter()
                    .zip(&flags)
                    .filter(|(_, on)| **on)
                    .map(|((_, rings), _)| bbox_degrees(rings))
                    .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |a, b| {
                        [
                            a[0].min(b[0]),
                            a[1].min(b[1]),
                            a[2].max(b[2]),
                            a[3].max(b[3]),
                        ]
                    });
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
                defendant: None,
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
            "anchor": "Shanghai environmental courts, first 17 months of 1+4 (2020-01 to 2021-05): 721 cases = 442 criminal + 61 administrative + 29 civil + 189 non-litigation enforcement reviews (NLE) (China Daily, 2021-06-05); NLE is not routed, so the mix is over the 532 litigation cases",
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

// ---------------------------------------------------------------------------------------------
// The calibrated population (the default of `generate-cases`).

use super::caseload::{self, Caseload, Fit, MONTHS, PROVINCES, StatKind};

/// The fine kinds a calibrated population generates, in generation order within a month.
pub const FINE_KINDS: [CaseKind; 6] = [
    CaseKind::Criminal,
    CaseKind::Civil,
    CaseKind::Administrative,
    CaseKind::AdministrativePublicInterest,
    CaseKind::CivilPublicInterest,
    CaseKind::EcoDamageCompensation,
];

/// The first filing date of each fine kind: the date from which the embedded national rules
/// route it (civil public-interest: the 2015 environmental PIL interpretation; administrative
/// public-interest: the 2018 procuratorial PIL interpretation; eco-damage: the 2019 provisions).
/// Earlier months of these kinds are not generated (the engine would have no rule for them).
pub const KIND_FROM: [(i32, u32, u32); 6] = [
    (2014, 1, 1),
    (2014, 1, 1),
    (2014, 1, 1),
    (2018, 3, 2),
    (2015, 1, 7),
    (2019, 6, 5),
];

fn kind_from(k: usize) -> Date {
    let (y, m, d) = KIND_FROM.get(k).copied().unwrap_or((2014, 1, 1));
    Date::from_ymd(y, m, d).unwrap_or(Date::from_days(0))
}

/// Settings of a calibrated population.
#[derive(Debug, Clone, Copy)]
pub struct CalibratedConfig {
    /// Random seed.
    pub seed: u64,
    /// First year (inclusive).
    pub from_year: i32,
    /// Last year (inclusive).
    pub to_year: i32,
    /// Total number of cases; `None` = the published volumes (scale 1).
    pub count: Option<u64>,
}

impl CalibratedConfig {
    /// The documented default: every year the figures cover, at the published volumes.
    pub fn new(seed: u64) -> CalibratedConfig {
        CalibratedConfig {
            seed,
            from_year: caseload::FIRST_YEAR,
            to_year: caseload::LAST_YEAR,
            count: None,
        }
    }
}

/// Deterministic "systematic sampling": fires on average `rate` times per call, exactly
/// (±1) over any run of calls.
#[derive(Debug, Clone, Copy, Default)]
struct Quota(f64);

impl Quota {
    fn take(&mut self, rate: f64) -> bool {
        self.0 += rate;
        if self.0 >= 1.0 {
            self.0 -= 1.0;
            true
        } else {
            false
        }
    }
}

#[derive(Debug, Clone)]
struct UnitBox {
    index: usize,
    bbox: [f64; 4],
}

/// Per-province place model.
#[derive(Debug, Clone, Default)]
struct Places {
    /// Units with a published share: (unit index, rate per placed case, quota).
    fixed: Vec<(usize, f64, Quota)>,
    /// The other units, cumulative land-area weights.
    cumulative: Vec<(f64, usize)>,
    /// Share of the eligible cases (civil, civil PIL, eco-damage) placed at sea.
    sea_rate: f64,
    sea_quota: Quota,
    /// Bounding box of the province's sea area and its feature index.
    sea: Option<(usize, [f64; 4])>,
}

/// Counts of a generated calibrated population, for the meta file and tests.
#[derive(Debug, Clone)]
pub struct Tally {
    /// `[province][fine kind][day since 2014-01-01]`.
    pub by_day: Vec<[Vec<u32>; 6]>,
    /// Per unit with a published share: (unit code, cases per day).
    pub units: Vec<(String, Vec<u32>)>,
    /// Per province: cases at sea per day.
    pub sea: Vec<Vec<u32>>,
}

impl Tally {
    fn new(units: Vec<String>) -> Tally {
        let days = days_span();
        Tally {
            by_day: (0..PROVINCES.len())
                .map(|_| std::array::from_fn(|_| vec![0; days]))
                .collect(),
            units: units.into_iter().map(|u| (u, vec![0; days])).collect(),
            sea: (0..PROVINCES.len()).map(|_| vec![0; days]).collect(),
        }
    }

    /// Generated cases a figure counts.
    pub fn count(&self, f: &caseload::Figure) -> u64 {
        let Some(p) = PROVINCES.iter().position(|x| *x == f.province) else {
            return 0;
        };
        let Some((a, b)) = f.period.bounds() else {
            return 0;
        };
        let range = |v: &[u32]| -> u64 {
            let lo = day_index(a).unwrap_or(0);
            let hi = day_index(b).unwrap_or(v.len().saturating_sub(1));
            v.get(lo..=hi.min(v.len().saturating_sub(1)))
                .map_or(0, |s| s.iter().map(|&x| u64::from(x)).sum())
        };
        if f.at_sea {
            return self.sea.get(p).map_or(0, |v| range(v));
        }
        if let Some(units) = &f.units {
            return self
                .units
                .iter()
                .filter(|(u, _)| units.contains(u))
                .map(|(_, v)| range(v))
                .sum();
        }
        FINE_KINDS
            .iter()
            .enumerate()
            .filter(|(_, k)| f.kind.counts(**k))
            .map(|(i, _)| self.by_day[p][i].as_slice())
            .map(range)
            .sum()
    }
}

fn epoch() -> Date {
    Date::from_ymd(caseload::FIRST_YEAR, 1, 1).unwrap_or(Date::from_days(0))
}

fn days_span() -> usize {
    let end = Date::from_ymd(caseload::LAST_YEAR, 12, 31).unwrap_or(epoch());
    usize::try_from(end.days() - epoch().days() + 1).unwrap_or(0)
}

fn day_index(d: Date) -> Option<usize> {
    usize::try_from(d.days() - epoch().days()).ok()
}

/// The calibrated population, as an iterator of cases (in filing-date order).
#[derive(Debug)]
pub struct CalibratedPopulation<'g> {
    geo: &'g Geodata,
    cfg: CalibratedConfig,
    rng: Rng,
    /// `counts[p][fine kind][month]`.
    counts: Vec<[Vec<u64>; 6]>,
    places: Vec<Places>,
    boxes: Vec<UnitBox>,
    /// Other-province defendant units: per province, cumulative area weights.
    others: Vec<Vec<(f64, usize)>>,
    defendant_rate: f64,
    defendant_quota: Quota,
    month: usize,
    pending: std::collections::VecDeque<GenCase>,
    produced: u64,
    incidents: u64,
    tally: Tally,
    fixed_slot: Vec<(usize, usize)>,
    scale: f64,
}

/// What the calibration used, for the meta file.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The data file.
    pub data: Caseload,
    /// The fitted monthly volumes.
    pub fit: Fit,
}

impl Calibration {
    /// Loads the embedded data file and fits it.
    pub fn embedded() -> Result<Calibration, String> {
        let data = Caseload::embedded()?;
        let fit = Fit::new(&data);
        Ok(Calibration { data, fit })
    }
}

fn cumulative(weights: impl Iterator<Item = (f64, usize)>) -> Vec<(f64, usize)> {
    let mut acc = 0.0;
    weights
        .filter(|(w, _)| *w > 0.0)
        .map(|(w, i)| {
            acc += w;
            (acc, i)
        })
        .collect()
}

fn pick(c: &[(f64, usize)], u: f64) -> Option<usize> {
    let total = c.last()?.0;
    let x = u * total;
    let i = c.partition_point(|(w, _)| *w <= x).min(c.len() - 1);
    c.get(i).map(|(_, ix)| *ix)
}

/// Expected cases of province `p`, fine kind `k` (criminal, civil, administrative,
/// administrative public-interest, civil public-interest, eco-damage), month `m`.
fn fine_volume(fit: &Fit, p: usize, k: usize, m: usize) -> f64 {
    let v = &fit.volume[p];
    match k {
        0 => v[0][m],
        1 => v[1][m],
        2 => v[2][m],
        3 => v[3][m] * fit.s_apil,
        4 => v[3][m] * (1.0 - fit.s_apil),
        _ => v[3][m] * fit.s_eco,
    }
}

/// The months `[first, last)` of the configured years within the data's coverage.
fn month_range(cfg: &CalibratedConfig) -> Result<(usize, usize), String> {
    let first_m = month_of_year(cfg.from_year.max(caseload::FIRST_YEAR));
    let last_m = month_of_year(cfg.to_year.min(caseload::LAST_YEAR) + 1).min(MONTHS);
    if first_m >= last_m {
        return Err(format!(
            "no months to generate: give years within {}–{} (from ≤ to)",
            caseload::FIRST_YEAR,
            caseload::LAST_YEAR
        ));
    }
    Ok((first_m, last_m))
}

/// The factor from the expected volumes over `months` to `count` cases (1 without a count).
fn volume_scale(fit: &Fit, months: std::ops::Range<usize>, count: Option<u64>) -> f64 {
    let mut total = 0.0;
    for p in 0..PROVINCES.len() {
        for k in 0..6 {
            for m in months.clone() {
                total += fine_volume(fit, p, k, m);
            }
        }
    }
    match count {
        Some(n) if total > 0.0 => {
            #[expect(clippy::cast_precision_loss, reason = "case counts are far below 2^52")]
            let n = n as f64;
            n / total
        }
        _ => 1.0,
    }
}

/// Integer counts `[province][fine kind][month]` of the scaled volumes: cumulative rounding
/// along each series, so any run of months is exact to ±1; months that end before a kind
/// exists get none.
fn monthly_counts(fit: &Fit, months: std::ops::Range<usize>, scale: f64) -> Vec<[Vec<u64>; 6]> {
    let mut counts: Vec<[Vec<u64>; 6]> = (0..PROVINCES.len())
        .map(|p| {
            std::array::from_fn(|k| {
                let mut out = vec![0u64; MONTHS];
                let mut cum = 0.0;
                let mut done = 0u64;
                for (m, o) in out
                    .iter_mut()
                    .enumerate()
                    .take(months.end)
                    .skip(months.start)
                {
                    cum += fine_volume(fit, p, k, m) * scale;
                    #[expect(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "non-negative, rounded"
                    )]
                    let upto = cum.round().max(0.0) as u64;
                    *o = upto.saturating_sub(done);
                    done = done.max(upto);
                }
                out
            })
        })
        .collect();
    for series in &mut counts {
        for (k, months) in series.iter_mut().enumerate() {
            let from = kind_from(k);
            for (m, c) in months.iter_mut().enumerate() {
                let (first, len) = caseload::month_span(m);
                if first.add_days(len - 1) < from {
                    *c = 0;
                }
            }
        }
    }
    counts
}

/// Brings the total of `counts` to exactly `n`: rounding each series leaves it a few cases
/// off, so they are taken from (or given to) the largest monthly cells, one each.
fn match_total(counts: &mut [[Vec<u64>; 6]], n: u64) {
    let mut cells: Vec<(u64, usize, usize, usize)> = Vec::new();
    for (p, series) in counts.iter().enumerate() {
        for (k, months) in series.iter().enumerate() {
            for (m, &c) in months.iter().enumerate() {
                if c > 0 {
                    cells.push((c, p, k, m));
                }
            }
        }
    }
    cells.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2, a.3).cmp(&(b.1, b.2, b.3))));
    let have: u64 = cells.iter().map(|c| c.0).sum();
    if !cells.is_empty() {
        let mut i = 0usize;
        let mut have = have;
        while have != n {
            let (_, p, k, m) = cells[i % cells.len()];
            let c = &mut counts[p][k][m];
            if have < n {
                *c += 1;
                have += 1;
            } else if *c > 0 {
                *c -= 1;
                have -= 1;
            }
            i += 1;
        }
    }
}

/// Land area (km²) of each unit, estimated by a fixed-seed sample of its bounding box.
fn unit_areas(geo: &Geodata, boxes: &[UnitBox]) -> Vec<f64> {
    let units = geo.units();
    let mut area_rng = Rng(0x0a12_ea5e_ed00_0001);
    boxes
        .iter()
        .map(|b| {
            let Some(u) = units.get(b.index) else {
                return 0.0;
            };
            let n = 256;
            let mut hit = 0u32;
            for _ in 0..n {
                let x = b.bbox[0] + area_rng.unit() * (b.bbox[2] - b.bbox[0]);
                let y = b.bbox[1] + area_rng.unit() * (b.bbox[3] - b.bbox[1]);
                if geo.unit_at(x, y).is_some_and(|v| v.adcode == u.adcode) {
                    hit += 1;
                }
            }
            let km_x = 111.32 * ((b.bbox[1] + b.bbox[3]) / 2.0).to_radians().cos();
            let bbox_km2 = (b.bbox[2] - b.bbox[0]) * km_x * (b.bbox[3] - b.bbox[1]) * 110.57;
            bbox_km2 * f64::from(hit) / f64::from(n)
        })
        .collect()
}

/// The sea share of province `p` from an at-sea figure, and the bounding box of its sea area.
fn sea_place(
    geo: &Geodata,
    fit: &Fit,
    f: &caseload::Figure,
    p: usize,
    place: &mut Places,
) -> Result<(), String> {
    let set = geo.set();
    let eligible = fit.expected(p, StatKind::Civil, &f.period)
        + fit.expected(p, StatKind::CivilPublicInterest, &f.period)
        + fit.expected(p, StatKind::EcoDamage, &f.period);
    if eligible > 0.0 {
        place.sea_rate = (f.value / eligible).min(1.0);
    }
    let id = format!("sea-{}", f.province);
    let Some(ix) = set.features.iter().position(|(fp, _)| fp.id == id) else {
        return Err(format!(
            "{}: `{}`: the geodata has no sea area `{id}`",
            caseload::CASELOAD_PATH,
            f.id
        ));
    };
    place.sea = set
        .features
        .get(ix)
        .map(|(_, rings)| (ix, bbox_degrees(rings)));
    Ok(())
}

/// The fixed shares of the units a figure names (`us`) in province `p`; their codes are added
/// to `fixed_units`.
fn fixed_places(
    geo: &Geodata,
    fit: &Fit,
    f: &caseload::Figure,
    us: &[String],
    p: usize,
    place: &mut Places,
    fixed_units: &mut Vec<String>,
) -> Result<(), String> {
    let units = geo.units();
    let all = fit.expected(p, StatKind::All, &f.period);
    // Cases that go through the unit choice: not at sea, not joined to a criminal incident.
    let joined = fit.expected(p, StatKind::CivilPublicInterest, &f.period)
        + fit.expected(p, StatKind::EcoDamage, &f.period);
    let sea = place.sea_rate * (fit.expected(p, StatKind::Civil, &f.period) + joined);
    let through = (all - joined - sea).max(1.0);
    let per = f.value / us.len().max(1) as f64 / through;
    for u in us {
        let Ok(ix) = units.binary_search_by(|v| v.adcode.as_str().cmp(u)) else {
            return Err(format!(
                "{}: `{}`: unknown unit `{u}`",
                caseload::CASELOAD_PATH,
                f.id
            ));
        };
        if units
            .get(ix)
            .is_some_and(|v| v.province_adcode != f.province)
        {
            return Err(format!(
                "{}: `{}`: unit `{u}` is not in province `{}`",
                caseload::CASELOAD_PATH,
                f.id,
                f.province
            ));
        }
        place.fixed.push((ix, per, Quota::default()));
        fixed_units.push(u.clone());
    }
    Ok(())
}

/// Per-province places: fixed unit shares and the sea share from the figures, the other units
/// by land area; and the codes of the fixed units.
fn province_places(
    geo: &Geodata,
    cal: &Calibration,
    area: &[f64],
) -> Result<(Vec<Places>, Vec<String>), String> {
    let mut places: Vec<Places> = vec![Places::default(); PROVINCES.len()];
    let mut fixed_units: Vec<String> = Vec::new();
    for f in &cal.data.figures {
        let Some(p) = PROVINCES.iter().position(|x| *x == f.province) else {
            continue;
        };
        if f.at_sea {
            sea_place(geo, &cal.fit, f, p, &mut places[p])?;
        }
        if let Some(us) = &f.units {
            fixed_places(geo, &cal.fit, f, us, p, &mut places[p], &mut fixed_units)?;
        }
    }
    for (p, pl) in places.iter_mut().enumerate() {
        let fixed: Vec<usize> = pl.fixed.iter().map(|f| f.0).collect();
        pl.cumulative = cumulative(
            geo.units()
                .iter()
                .enumerate()
                .filter(|(i, u)| u.province_adcode == PROVINCES[p] && !fixed.contains(i))
                .map(|(i, _)| (area.get(i).copied().unwrap_or(0.0), i)),
        );
    }
    Ok((places, fixed_units))
}

/// Per province, the units of the other three provinces by land area (defendants' domiciles).
fn other_provinces(geo: &Geodata, area: &[f64]) -> Vec<Vec<(f64, usize)>> {
    PROVINCES
        .iter()
        .map(|prov| {
            cumulative(
                geo.units()
                    .iter()
                    .enumerate()
                    .filter(|(_, u)| {
                        u.province_adcode != *prov
                            && PROVINCES.contains(&u.province_adcode.as_str())
                    })
                    .map(|(i, _)| (area.get(i).copied().unwrap_or(0.0), i)),
            )
        })
        .collect()
}

impl<'g> CalibratedPopulation<'g> {
    /// A calibrated population over `geo`. Fails when the data file names a unit the geodata
    /// does not have.
    pub fn new(
        geo: &'g Geodata,
        cal: &Calibration,
        cfg: CalibratedConfig,
    ) -> Result<CalibratedPopulation<'g>, String> {
        let (first_m, last_m) = month_range(&cfg)?;
        let scale = volume_scale(&cal.fit, first_m..last_m, cfg.count);
        let mut counts = monthly_counts(&cal.fit, first_m..last_m, scale);
        if let Some(n) = cfg.count {
            match_total(&mut counts, n);
        }
        let boxes: Vec<UnitBox> = geo
            .set()
            .units
            .iter()
            .enumerate()
            .map(|(i, (_, rings))| UnitBox {
                index: i,
                bbox: bbox_degrees(rings),
            })
            .collect();
        let area = unit_areas(geo, &boxes);
        let (places, fixed_units) = province_places(geo, cal, &area)?;
        let others = other_provinces(geo, &area);
        let fixed_slot = places
            .iter()
            .enumerate()
            .flat_map(|(p, pl)| pl.fixed.iter().map(move |f| (p, f.0)))
            .collect();
        Ok(CalibratedPopulation {
            geo,
            cfg,
            rng: Rng(cfg.seed ^ 0x0ca1_1b2a_7ed0_u64.rotate_left(23)),
            counts,
            places,
            boxes,
            others,
            defendant_rate: cal.data.assumption(caseload::ASSUME_DEFENDANT),
            defendant_quota: Quota::default(),
            month: first_m,
            pending: std::collections::VecDeque::new(),
            produced: 0,
            incidents: 0,
            tally: Tally::new(fixed_units),
            fixed_slot,
            scale,
        })
    }

    /// The factor applied to the published volumes (1 unless `count` was given).
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Counts of what was generated so far.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Cases generated so far.
    pub fn produced(&self) -> u64 {
        self.produced
    }

    /// The settings.
    pub fn config(&self) -> CalibratedConfig {
        self.cfg
    }

    fn point_in_unit(&mut self, ix: usize) -> (f64, f64) {
        let Some(b) = self.boxes.get(ix).map(|b| b.bbox) else {
            return (121.0, 31.0);
        };
        let code = self.geo.units().get(ix).map(|u| u.adcode.as_str());
        for _ in 0..100_000 {
            let x = b[0] + self.rng.unit() * (b[2] - b[0]);
            let y = b[1] + self.rng.unit() * (b[3] - b[1]);
            let (x, y) = ((x * 1e6).round() / 1e6, (y * 1e6).round() / 1e6);
            if self.geo.unit_at(x, y).map(|u| u.adcode.as_str()) == code {
                return (x, y);
            }
        }
        ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0)
    }

    fn point_at_sea(&mut self, p: usize) -> Option<(f64, f64)> {
        let (fx, b) = self.places.get(p)?.sea?;
        for _ in 0..100_000 {
            let x = b[0] + self.rng.unit() * (b[2] - b[0]);
            let y = b[1] + self.rng.unit() * (b[3] - b[1]);
            let (x, y) = ((x * 1e6).round() / 1e6, (y * 1e6).round() / 1e6);
            if let Ok(Some(l)) = self.geo.locate_ids(x, y, crate::spatial::Crs::Wgs84)
                && l.unit.is_none()
                && l.features.contains(&fx)
            {
                return Some((x, y));
            }
        }
        None
    }

    fn choose_unit(&mut self, p: usize) -> usize {
        if let Some(pl) = self.places.get_mut(p) {
            for f in &mut pl.fixed {
                if f.2.take(f.1) {
                    return f.0;
                }
            }
        }
        let u = self.rng.unit();
        self.places
            .get(p)
            .and_then(|pl| pick(&pl.cumulative, u))
            .unwrap_or(0)
    }

    fn new_incident(&mut self) -> String {
        self.incidents += 1;
        format!("i{:07}", self.incidents)
    }

    fn refill(&mut self) {
        while self.pending.is_empty() && self.month < MONTHS {
            let m = self.month;
            self.month += 1;
            let (first, len) = caseload::month_span(m);
            let mut batch: Vec<GenCase> = Vec::new();
            for p in 0..PROVINCES.len() {
                let mut criminal: Vec<usize> = Vec::new();
                for (k, kind) in FINE_KINDS.iter().copied().enumerate() {
                    let n = self.counts[p][k][m];
                    for _ in 0..n {
                        let day = i32::try_from(self.rng.below(u64::try_from(len).unwrap_or(28)))
                            .unwrap_or(0);
                        let mut filed_on = first.add_days(day).max(kind_from(k));
                        let sea_ok = matches!(
                            kind,
                            CaseKind::Civil
                                | CaseKind::CivilPublicInterest
                                | CaseKind::EcoDamageCompensation
                        );
                        let joins = matches!(
                            kind,
                            CaseKind::CivilPublicInterest | CaseKind::EcoDamageCompensation
                        );
                        let sea_rate = self.places[p].sea_rate;
                        let mut at_sea = false;
                        let mut unit = None;
                        let (lon, lat, incident) = if sea_ok
                            && sea_rate > 0.0
                            && self.places[p].sea_quota.take(sea_rate)
                        {
                            match self.point_at_sea(p) {
                                Some((x, y)) => {
                                    at_sea = true;
                                    (x, y, self.new_incident())
                                }
                                None => {
                                    let u = self.choose_unit(p);
                                    unit = Some(u);
                                    let (x, y) = self.point_in_unit(u);
                                    (x, y, self.new_incident())
                                }
                            }
                        } else if joins && !criminal.is_empty() {
                            let j =
                                criminal[usize::try_from(self.rng.below(criminal.len() as u64))
                                    .unwrap_or(0)];
                            let c = &batch[j];
                            filed_on = filed_on.max(c.filed_on);
                            (c.lon, c.lat, c.incident_id.clone())
                        } else {
                            let u = self.choose_unit(p);
                            unit = Some(u);
                            let (x, y) = self.point_in_unit(u);
                            (x, y, self.new_incident())
                        };
                        let role = match kind {
                            CaseKind::Administrative | CaseKind::AdministrativePublicInterest => {
                                Role::Agency
                            }
                            _ => Role::Conduct,
                        };
                        let defendant = if sea_ok && self.defendant_quota.take(self.defendant_rate)
                        {
                            let u = self.rng.unit();
                            pick(&self.others[p], u)
                                .and_then(|i| self.geo.units().get(i))
                                .map(|v| v.adcode.clone())
                        } else {
                            None
                        };
                        // Tally.
                        if let Some(d) = day_index(filed_on) {
                            if let Some(v) = self.tally.by_day[p][k].get_mut(d) {
                                *v += 1;
                            }
                            if at_sea && let Some(v) = self.tally.sea[p].get_mut(d) {
                                *v += 1;
                            }
                            let fixed_ix = match unit {
                                Some(u) => Some(u),
                                None if !at_sea => self.geo.unit_at(lon, lat).and_then(|v| {
                                    self.geo
                                        .units()
                                        .binary_search_by(|w| w.adcode.cmp(&v.adcode))
                                        .ok()
                                }),
                                None => None,
                            };
                            if let Some(u) = fixed_ix
                                && let Some(s) = self
                                    .fixed_slot
                                    .iter()
                                    .position(|&(fp, fu)| fp == p && fu == u)
                                && let Some(v) = self.tally.units[s].1.get_mut(d)
                            {
                                *v += 1;
                            }
                        }
                        if kind == CaseKind::Criminal {
                            criminal.push(batch.len());
                        }
                        batch.push(GenCase {
                            id: String::new(),
                            kind,
                            filed_on,
                            lon,
                            lat,
                            role,
                            incident_id: incident,
                            defendant,
                        });
                    }
                }
            }
            batch.sort_by_key(|c| c.filed_on);
            self.pending.extend(batch);
        }
    }
}

fn month_of_year(y: i32) -> usize {
    usize::try_from((y - caseload::FIRST_YEAR) * 12).unwrap_or(0)
}

impl Iterator for CalibratedPopulation<'_> {
    type Item = GenCase;

    fn next(&mut self) -> Option<GenCase> {
        if self.pending.is_empty() {
            self.refill();
        }
        let mut c = self.pending.pop_front()?;
        self.produced += 1;
        c.id = format!("c{:07}", self.produced);
        Some(c)
    }
}

/// A period as `{"from", "to"}`, or null.
fn period_json(p: &caseload::Period) -> serde_json::Value {
    match p.bounds() {
        Some((a, b)) => serde_json::json!({"from": a.to_string(), "to": b.to_string()}),
        None => serde_json::Value::Null,
    }
}

/// Each figure of the data file with what was generated against it (scaled target,
/// deviation, whether it lies in the generated years).
fn figures_meta(pop: &CalibratedPopulation<'_>, cal: &Calibration) -> Vec<serde_json::Value> {
    let cfg = pop.config();
    let tally = pop.tally();
    let scale = pop.scale();
    let in_range = |p: &caseload::Period| {
        p.bounds()
            .is_some_and(|(a, b)| a.ymd().0 >= cfg.from_year && b.ymd().0 <= cfg.to_year)
    };
    cal.data
        .figures
        .iter()
        .map(|f| {
            let n = tally.count(f);
            let target = f.value * scale;
            #[expect(clippy::cast_precision_loss, reason = "case counts are far below 2^52")]
            let dev = if target > 0.0 {
                n as f64 / target - 1.0
            } else {
                0.0
            };
            serde_json::json!({
                "id": f.id,
                "province": f.province,
                "court": f.court,
                "courts": f.courts,
                "units": f.units,
                "at_sea": f.at_sea,
                "period": period_json(&f.period),
                "kind": f.kind.name(),
                "measure": f.measure,
                "value": f.value,
                "generated": n,
                "target_after_scale": (target * 10.0).round() / 10.0,
                "deviation": (dev * 10000.0).round() / 10000.0,
                "in_generated_years": in_range(&f.period),
                "routing": f.routing,
                "routing_note": f.routing_note,
                "url": f.source.url,
                "source": f.source,
                "confidence": f.confidence,
            })
        })
        .collect()
}

/// The shares of the data file.
fn shares_meta(cal: &Calibration) -> Vec<serde_json::Value> {
    cal.data
        .shares
        .iter()
        .map(|s| {
            serde_json::json!({
                "id": s.id,
                "ratio": s.ratio(),
                "numerator": {"kind": s.numerator.kind.name(), "value": s.numerator.value},
                "denominator": {"kind": s.denominator.kind.name(), "value": s.denominator.value},
                "applies": s.applies,
                "url": s.source.url,
                "source": s.source,
                "confidence": s.confidence,
            })
        })
        .collect()
}

/// The figures of the data file the calibration leaves out, with why.
fn not_calibrated_meta(cal: &Calibration) -> Vec<serde_json::Value> {
    cal.data
        .not_calibrated
        .iter()
        .map(|n| {
            serde_json::json!({
                "id": n.id, "province": n.province, "period": period_json(&n.period), "kind": n.kind,
                "measure": n.measure, "value": n.value, "reason": n.reason, "url": n.source.url,
            })
        })
        .collect()
}

/// Generated cases per province, year and kind.
fn annual_meta(pop: &CalibratedPopulation<'_>) -> serde_json::Map<String, serde_json::Value> {
    let cfg = pop.config();
    let tally = pop.tally();
    let mut annual = serde_json::Map::new();
    for (p, prov) in PROVINCES.iter().enumerate() {
        let mut years = serde_json::Map::new();
        for y in cfg.from_year.max(caseload::FIRST_YEAR)..=cfg.to_year.min(caseload::LAST_YEAR) {
            let (Some(a), Some(b)) = (
                Date::from_ymd(y, 1, 1).and_then(day_index),
                Date::from_ymd(y, 12, 31).and_then(day_index),
            ) else {
                continue;
            };
            let mut kinds = serde_json::Map::new();
            for (k, kind) in FINE_KINDS.iter().enumerate() {
                let n: u64 = tally.by_day[p][k]
                    .get(a..=b)
                    .map_or(0, |s| s.iter().map(|&x| u64::from(x)).sum());
                kinds.insert(kind.name().to_string(), n.into());
            }
            years.insert(y.to_string(), kinds.into());
        }
        annual.insert((*prov).to_string(), years.into());
    }
    annual
}

/// The assumptions and figures of a calibrated population, for `<FILE>.meta.json`.
pub fn calibrated_meta(
    pop: &CalibratedPopulation<'_>,
    cal: &Calibration,
    format: &str,
) -> serde_json::Value {
    let cfg = pop.config();
    let scale = pop.scale();
    let figures = figures_meta(pop, cal);
    let shares = shares_meta(cal);
    let not_calibrated = not_calibrated_meta(cal);
    let annual = annual_meta(pop);
    serde_json::json!({
        "generator": concat!("ecojuris generate-cases ", env!("CARGO_PKG_VERSION")),
        "mode": "calibrated",
        "annual": annual,
        "format": format,
        "count": pop.produced(),
        "seed": cfg.seed,
        "years": {"from": cfg.from_year, "to": cfg.to_year},
        "scale": scale,
        "documentation": "docs/case-population.md",
        "data": caseload::CASELOAD_PATH,
        "columns": ["id", "kind", "filed_on", "lon", "lat", "role", "incident_id", "defendant_code"],
        "figures": figures,
        "shares": shares,
        "assumptions": cal.data.assumptions,
        "not_calibrated": not_calibrated,
        "fit": {
            "method": "monthly volumes per province and kind (criminal, civil, administrative, public-interest), iterative proportional fitting to every province-level figure (partial months pro rata); uncovered months: geometric interpolation between covered neighbours, else the mean of the nearest twelve covered months",
            "max_relative_deviation": cal.fit.max_deviation,
            "counts": "cumulative rounding along each province-kind series, so any run of months is exact to ±1 case (before scaling)",
        },
        "places": {
            "default": "a county-level unit drawn by land area (estimated from the embedded polygons) within the province; the point uniform inside it (rejection sampling); 6 decimals, WGS-84",
            "fixed_units": "units with a published figure (Chun'an 330127, Jinzhai 341524) get that figure's share of their province's cases, every year",
            "at_sea": "civil, civil public-interest and eco-damage cases of Zhejiang at the Ningbo Maritime Court figure's share, at a point of the Zhejiang sea area outside every county polygon",
            "incidents": "civil public-interest and eco-damage cases join the incident and point of a criminal case of the same province and month (assumption public-interest-follows-criminal); every other case is its own incident",
            "defendant_domicile": "the assumption defendant-domicile-other-province: a unit of another of the four provinces, drawn by land area",
        },
        "roles": {"criminal": "conduct", "civil": "conduct", "civil_public_interest": "conduct", "eco_damage_compensation": "conduct", "administrative": "agency", "administrative_public_interest": "agency"},
        "dates": "uniform over the days of each month; a joined public-interest case is filed no earlier than its criminal case",
        "not_modelled": ["non-litigation enforcement reviews (not routed)", "appeals and retrials", "criminal cases with possible life or death sentences, large civil claims and suits against governments (no published share)", "criminal-incidental public-interest suits as a kind of their own (counted as civil public-interest)", "marine cases off Shanghai and Jiangsu (no published figure of the Shanghai or Nanjing maritime courts found)", "seasonality within a month"],
    })
}

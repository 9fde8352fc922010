//! Geodata: the county-level units, water and sea features and the code table of the region,
//! and point location over them.
//!
//! Owns GeoJSON (only here), the compiled `.ejgeo` form, coordinate systems and the grid
//! index. Knows nothing about rules or courts.
//!
//! Entry point: [`Geodata`]. See [`index`] for the exact border semantics.

pub mod codes;
pub mod crs;
pub mod fast;
pub mod index;
pub mod store;

use std::sync::OnceLock;

use rstar::{RTree, primitives::GeomWithData};
use serde::Serialize;

pub use codes::{Area, AreaLevel, CodeSystem, CodeTable};
pub use crs::Crs;
pub use store::{FeatureKind, FeatureProps, GeoSet, GeodataError, UnitProps};

use fast::{FastIndex, Spot, Spotted};
use index::{GridIndex, NANO};

/// The compiled default geodata, embedded in the binary.
pub static EMBEDDED: &[u8] = include_bytes!("../../geodata/yrd.ejgeo");

/// Default border tolerance in metres.
pub const DEFAULT_TOLERANCE_M: f64 = 100.0;

/// Places that users ask about whose administrative answer surprises: shown as notes.
/// (lon, lat, radius in km, unit it lies in, note). Source: `geodata/SOURCES.md`.
const PLACE_NOTES: &[(f64, f64, f64, &str, &str)] = &[(
    122.07,
    30.62,
    8.0,
    "330922",
    "洋山深水港 (Yangshan Deep-Water Port) lies in 嵊泗县 (Shengsi County, Zhejiang) although Shanghai operates it",
)];

/// How to load and query geodata.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocateConfig {
    /// Units whose border lies within this distance of a point are reported as candidates.
    pub tolerance_m: f64,
}

impl Default for LocateConfig {
    fn default() -> Self {
        LocateConfig {
            tolerance_m: DEFAULT_TOLERANCE_M,
        }
    }
}

/// A county-level unit as reported in results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRef {
    /// 6-digit code.
    pub adcode: String,
    /// Official Chinese name.
    pub name: String,
    /// English name, when the code table has one.
    pub name_en: Option<String>,
    /// Prefecture-city code (`310000` for Shanghai).
    pub city_adcode: String,
    /// Prefecture-city name.
    pub city_name: String,
    /// Province code.
    pub province_adcode: String,
    /// Province name.
    pub province_name: String,
    /// In the Demonstration Zone.
    pub demo_zone: bool,
}

/// A water or zone feature as reported in results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureRef {
    /// Stable id (`lake-taihu`, `sea-320000`, …).
    pub id: String,
    /// Kind.
    pub kind: FeatureKind,
    /// Name.
    pub name: String,
    /// Whether the polygon is an approximation.
    pub approximate: bool,
    /// For a sea area: whose coast it is off.
    pub province_adcode: Option<String>,
}

/// A unit near a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// 6-digit code.
    pub adcode: String,
    /// Chinese name.
    pub name: String,
    /// Distance from the point to the unit (0 inside it) in metres, rounded to 0.1 m.
    pub distance_m: f64,
}

/// The answer for a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    /// The point as given.
    pub input: [f64; 2],
    /// The coordinate system the input was assumed to be in.
    pub crs_in: Crs,
    /// The point in WGS-84.
    pub wgs84: [f64; 2],
    /// The containing unit; `None` at sea or outside the covered area.
    pub unit: Option<UnitRef>,
    /// Every unit within the border tolerance (including the containing unit when it is
    /// near its own border), nearest first.
    pub candidates: Vec<Candidate>,
    /// Whether another unit lies within the tolerance (or the point is at sea within it).
    pub near_border: bool,
    /// Features containing the point.
    pub features: Vec<FeatureRef>,
    /// In the Demonstration Zone.
    pub demo_zone: bool,
    /// When there is no containing unit: the nearest unit and its distance.
    pub nearest: Option<Candidate>,
    /// Whether the point is outside the covered area altogether.
    pub outside: bool,
    /// Notes about the place (e.g. a port run by another province).
    pub notes: Vec<String>,
    /// Which geodata set answered.
    pub geodata_version: String,
}

impl Location {
    /// Whether the point lies in a sea or estuary feature.
    pub fn at_sea(&self) -> bool {
        self.features.iter().any(|f| f.kind.is_sea())
    }
}

/// The lean result of [`Geodata::locate_ids`].
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedIds {
    /// Index of the containing unit in [`Geodata::units`].
    pub unit: Option<usize>,
    /// Indices of the containing features in [`Geodata::features`].
    pub features: Vec<usize>,
    /// Other units within the tolerance: (index, metres).
    pub near: Vec<(usize, f64)>,
}

/// A bad point.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PointError {
    /// Not a finite number, or beyond ±180/±90.
    #[error("invalid coordinate `{lon}, {lat}`: {why}{hint}")]
    Invalid {
        /// Longitude as given.
        lon: f64,
        /// Latitude as given.
        lat: f64,
        /// What is wrong.
        why: String,
        /// A hint such as "did you swap longitude and latitude?".
        hint: String,
    },
}

/// The answer for a code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeLocation {
    /// The code as given.
    pub code: String,
    /// The level of the area the code names.
    pub level: AreaLevel,
    /// Name of the area.
    pub name: String,
    /// The county-level unit: the area itself for a county code, the containing unit for a
    /// town code, `None` for a province or city code (which name no single unit).
    pub unit: Option<UnitRef>,
    /// For a town code: the town, when the code is unambiguous.
    pub town: Option<TownRef>,
    /// For an ambiguous town code: every town it can mean, with the numbering system.
    pub town_candidates: Vec<TownRef>,
    /// For a province or city code: the number of county-level units inside it.
    pub units_inside: usize,
    /// Whether the area lies (wholly) in the Demonstration Zone.
    pub demo_zone: bool,
    /// Which geodata set answered.
    pub geodata_version: String,
}

/// A town of the Demonstration Zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TownRef {
    /// 9-digit code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// The numbering system of this code.
    pub system: CodeSystem,
    /// One of the five pilot towns (先行启动区).
    pub pilot: bool,
}

/// An unknown or malformed code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("unknown code `{code}`{hint}")]
pub struct CodeError {
    /// The code as given.
    pub code: String,
    /// "did you mean" part.
    pub hint: String,
}

/// A unit edge in the nearest-unit tree; the data is the edge's index in [`GridIndex::edges`].
type EdgeGeom = GeomWithData<rstar::primitives::Line<[f64; 2]>, u32>;

/// The nearest-unit search structure (built on first use).
#[derive(Debug)]
struct NearestTree {
    tree: RTree<EdgeGeom>,
    /// Longitude scale of the tree coordinates.
    kx: f64,
}

/// Loaded geodata plus its index: the entry point of point and code location.
///
/// # Example
/// ```
/// use ecojuris::spatial::{Crs, Geodata};
/// let geo = Geodata::embedded(Default::default()).unwrap();
/// let loc = geo.locate(121.12, 31.15, Crs::Wgs84).unwrap();
/// assert_eq!(loc.unit.unwrap().name, "青浦区");
/// ```
#[derive(Debug)]
pub struct Geodata {
    set: GeoSet,
    index: OnceLock<GridIndex>,
    fast: OnceLock<FastIndex>,
    version: String,
    config: LocateConfig,
    nearest: OnceLock<NearestTree>,
    nearest_fast: OnceLock<fast::NearestIndex>,
    /// Nearest-unit queries answered by a full scan so far (before the tree is built).
    nearest_scans: std::sync::atomic::AtomicU32,
    unit_refs: Vec<UnitRef>,
    feature_refs: Vec<FeatureRef>,
}

impl Geodata {
    /// The embedded default set.
    pub fn embedded(config: LocateConfig) -> Result<Geodata, GeodataError> {
        let set = GeoSet::from_bytes(EMBEDDED, "<embedded geodata>")?;
        Ok(Geodata::from_set(set, EMBEDDED, config))
    }

    /// Loads a directory: `geodata.ejgeo` (compiled) if present, else the source form
    /// (`counties.geojson`, `features.geojson`, `adcodes.csv`), directly or under `source/`.
    pub fn from_dir(dir: &std::path::Path, config: LocateConfig) -> Result<Geodata, GeodataError> {
        for compiled in ["geodata.ejgeo", "yrd.ejgeo"] {
            let p = dir.join(compiled);
            if p.is_file() {
                let bytes = std::fs::read(&p).map_err(|e| GeodataError::Io {
                    path: p.display().to_string(),
                    message: e.to_string(),
                })?;
                let set = GeoSet::from_bytes(&bytes, &p.display().to_string())?;
                let name = p.display().to_string();
                set.check_extent(&name, &name, &name)?;
                return Ok(Geodata::from_set(set, &bytes, config));
            }
        }
        let src = if dir.join("counties.geojson").is_file() {
            dir.to_path_buf()
        } else {
            dir.join("source")
        };
        let set = GeoSet::read_source_dir(&src)?;
        set.check_source_extent(&src)?;
        let bytes = set.to_bytes();
        Ok(Geodata::from_set(set, &bytes, config))
    }

    /// Builds the index over a set. `bytes` is its compiled form (for the version hash).
    pub fn from_set(set: GeoSet, bytes: &[u8], config: LocateConfig) -> Geodata {
        let version = format!("{}@{:016x}", set.name, store::fnv1a(bytes));
        let unit_refs = set
            .units
            .iter()
            .map(|(p, _)| UnitRef {
                adcode: p.adcode.clone(),
                name: p.name.clone(),
                name_en: set.codes.get(&p.adcode).and_then(|a| a.name_en.clone()),
                city_adcode: p.city_adcode.clone(),
                city_name: p.city_name.clone(),
                province_adcode: p.province_adcode.clone(),
                province_name: p.province_name.clone(),
                demo_zone: p.demo_zone,
            })
            .collect();
        let feature_refs = set
            .features
            .iter()
            .map(|(p, _)| FeatureRef {
                id: p.id.clone(),
                kind: p.kind,
                name: p.name.clone(),
                approximate: p.approximate,
                province_adcode: p.province_adcode.clone(),
            })
            .collect();
        Geodata {
            set,
            index: OnceLock::new(),
            fast: OnceLock::new(),
            version,
            config,
            nearest: OnceLock::new(),
            nearest_fast: OnceLock::new(),
            nearest_scans: std::sync::atomic::AtomicU32::new(0),
            unit_refs,
            feature_refs,
        }
    }

    /// `name@hash` of the loaded set.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The configuration the index was built with.
    pub fn config(&self) -> LocateConfig {
        self.config
    }

    /// The code table.
    pub fn codes(&self) -> &CodeTable {
        &self.set.codes
    }

    /// The underlying set.
    pub fn set(&self) -> &GeoSet {
        &self.set
    }

    /// All units, in code order.
    pub fn units(&self) -> &[UnitRef] {
        &self.unit_refs
    }

    /// All features.
    pub fn features(&self) -> &[FeatureRef] {
        &self.feature_refs
    }

    /// The unit with this 6-digit code.
    pub fn unit(&self, adcode: &str) -> Option<&UnitRef> {
        self.unit_refs
            .binary_search_by(|u| u.adcode.as_str().cmp(adcode))
            .ok()
            .and_then(|i| self.unit_refs.get(i))
    }

    /// The feature with this id.
    pub fn feature(&self, id: &str) -> Option<&FeatureRef> {
        self.feature_refs.iter().find(|f| f.id == id)
    }

    /// The grid index (for tests and benchmarks).
    ///
    /// Built on first use (about 15 ms for the default set), so code-only work never pays
    /// for it.
    pub fn index(&self) -> &GridIndex {
        self.index.get_or_init(|| {
            let shapes: Vec<&[store::Ring]> = self
                .set
                .units
                .iter()
                .map(|u| u.1.as_slice())
                .chain(self.set.features.iter().map(|f| f.1.as_slice()))
                .collect();
            GridIndex::build(
                &shapes,
                self.set.units.len(),
                self.config.tolerance_m.max(0.0),
            )
        })
    }

    /// Checks a coordinate pair and converts it to WGS-84.
    pub fn check_point(lon: f64, lat: f64, crs: Crs) -> Result<(f64, f64), PointError> {
        let bad = |why: &str, hint: &str| PointError::Invalid {
            lon,
            lat,
            why: why.to_string(),
            hint: hint.to_string(),
        };
        if !lon.is_finite() || !lat.is_finite() {
            return Err(bad("not a finite number", ""));
        }
        if !(-90.0..=90.0).contains(&lat) {
            let hint = if (-90.0..=90.0).contains(&lon) && (-180.0..=180.0).contains(&lat) {
                " (did you swap longitude and latitude? give `lon,lat`)"
            } else {
                ""
            };
            return Err(bad("latitude must be within ±90", hint));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(bad("longitude must be within ±180", ""));
        }
        Ok(crs.to_wgs84(lon, lat))
    }

    /// Locates a point given in `crs`.
    pub fn locate(&self, lon: f64, lat: f64, crs: Crs) -> Result<Location, PointError> {
        let (wlon, wlat) = Geodata::check_point(lon, lat, crs)?;
        let p = GridIndex::snap(wlon, wlat);
        let tol = self.config.tolerance_m;
        let mut loc = Location {
            input: [lon, lat],
            crs_in: crs,
            wgs84: [wlon, wlat],
            unit: None,
            candidates: Vec::new(),
            near_border: false,
            features: Vec::new(),
            demo_zone: false,
            nearest: None,
            outside: false,
            notes: Vec::new(),
            geodata_version: self.version.clone(),
        };
        let n_units = self.index().n_units();
        match self.index().query(p, tol > 0.0, tol) {
            None => {
                loc.outside = true;
                loc.nearest = self.nearest_unit(p, false);
            }
            Some(hit) => {
                for &s in &hit.shapes {
                    if s < n_units {
                        loc.unit = self.unit_refs.get(s as usize).cloned();
                    } else if let Some(f) = self.feature_refs.get((s - n_units) as usize) {
                        loc.features.push(f.clone());
                    }
                }
                let own = loc.unit.as_ref().map(|u| u.adcode.clone());
                for (s, d) in &hit.near {
                    if let Some(u) = self.unit_refs.get(*s as usize) {
                        let inside = own.as_deref() == Some(u.adcode.as_str());
                        loc.candidates.push(Candidate {
                            adcode: u.adcode.clone(),
                            name: u.name.clone(),
                            distance_m: if inside {
                                0.0
                            } else {
                                (d * 10.0).round() / 10.0
                            },
                        });
                    }
                }
                // Sort: the containing unit first, then by distance and code.
                loc.candidates.sort_by(|a, b| {
                    a.distance_m
                        .total_cmp(&b.distance_m)
                        .then(
                            (own.as_deref() != Some(a.adcode.as_str()))
                                .cmp(&(own.as_deref() != Some(b.adcode.as_str()))),
                        )
                        .then(a.adcode.cmp(&b.adcode))
                });
                loc.near_border = match &own {
                    Some(o) => loc.candidates.iter().any(|c| &c.adcode != o),
                    None => !loc.candidates.is_empty(),
                };
                if own.is_some() && !loc.near_border {
                    loc.candidates.clear();
                }
                if loc.unit.is_none() {
                    loc.nearest = self.nearest_unit(p, true);
                    if loc.features.is_empty() {
                        // Inside the grid's box but in no unit and no water: another province
                        // (e.g. Jiangxi), so outside the covered area like a point off the grid.
                        loc.outside = true;
                        loc.notes.push(
                            "in no county-level unit and no water or sea feature".to_string(),
                        );
                    }
                }
            }
        }
        if loc.outside {
            let [x0, y0, x1, y1] = self.index().bbox();
            let swapped = (x0..=x1).contains(&wlat) && (y0..=y1).contains(&wlon);
            if swapped {
                loc.notes.push(
                    "outside the covered area; swapping longitude and latitude would put it inside: did you swap them?"
                        .to_string(),
                );
            }
        }
        loc.demo_zone = loc.unit.as_ref().is_some_and(|u| u.demo_zone);
        if let Some(u) = &loc.unit {
            for (nlon, nlat, r_km, code, note) in PLACE_NOTES {
                let dx = (wlon - nlon) * nlat.to_radians().cos() * 111.32;
                let dy = (wlat - nlat) * 110.574;
                if u.adcode == *code && (dx * dx + dy * dy).sqrt() <= *r_km {
                    loc.notes.push((*note).to_string());
                }
            }
        }
        Ok(loc)
    }

    /// Lean point location for routing: unit index, feature indices and units near the border
    /// (index, metres; the containing unit excluded). `Ok(None)` when outside the covered area.
    pub fn locate_ids(
        &self,
        lon: f64,
        lat: f64,
        crs: Crs,
    ) -> Result<Option<LocatedIds>, PointError> {
        // The allocation-free index answers most points, with the same answer.
        if let Some(sp) = self.spot(lon, lat, crs)? {
            let mut features = Vec::new();
            let mut bits = sp.features;
            while bits != 0 {
                features.push(bits.trailing_zeros() as usize);
                bits &= bits - 1;
            }
            let mut near: Vec<(usize, f64)> = sp
                .near()
                .iter()
                .filter(|(s, _)| Some(*s) != sp.unit)
                .map(|&(s, d)| (s as usize, (d * 10.0).round() / 10.0))
                .collect();
            near.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            return Ok(Some(LocatedIds {
                unit: sp.unit.map(|u| u as usize),
                features,
                near,
            }));
        }
        let (wlon, wlat) = Geodata::check_point(lon, lat, crs)?;
        let p = GridIndex::snap(wlon, wlat);
        let tol = self.config.tolerance_m;
        let Some(hit) = self.index().query(p, tol > 0.0, tol) else {
            return Ok(None);
        };
        let n = self.index().n_units();
        let unit = hit.shapes.iter().find(|&&s| s < n).map(|&s| s as usize);
        let features = hit
            .shapes
            .iter()
            .filter(|&&s| s >= n)
            .map(|&s| (s - n) as usize)
            .collect();
        let mut near: Vec<(usize, f64)> = hit
            .near
            .iter()
            .filter(|(s, _)| Some(*s as usize) != unit)
            .map(|&(s, d)| (s as usize, (d * 10.0).round() / 10.0))
            .collect();
        // Same order as `locate`'s candidates: rounded distance, then code (= index order).
        near.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok(Some(LocatedIds {
            unit,
            features,
            near,
        }))
    }

    /// One representative point per unit (WGS-84, unit order): the area centroid of its
    /// largest ring. For travel estimates; it may fall outside a non-convex unit.
    pub fn representative_points(&self) -> Vec<[f64; 2]> {
        self.set()
            .units
            .iter()
            .map(|(_, rings)| {
                let mut best = (0.0_f64, [0.0_f64, 0.0_f64]);
                for r in rings {
                    let (mut a, mut cx, mut cy) = (0.0_f64, 0.0_f64, 0.0_f64);
                    for (p, q) in r.iter().zip(r.iter().cycle().skip(1)) {
                        let (x0, y0, x1, y1) = (
                            f64::from(p[0]) / 1e6,
                            f64::from(p[1]) / 1e6,
                            f64::from(q[0]) / 1e6,
                            f64::from(q[1]) / 1e6,
                        );
                        let c = x0 * y1 - x1 * y0;
                        a += c;
                        cx += (x0 + x1) * c;
                        cy += (y0 + y1) * c;
                    }
                    if a.abs() > best.0 && a != 0.0 {
                        best = (a.abs(), [cx / (3.0 * a), cy / (3.0 * a)]);
                    }
                }
                best.1
            })
            .collect()
    }

    /// The allocation-free location structure over [`Geodata::index`] (built on first use).
    pub fn fast_index(&self) -> &FastIndex {
        self.fast.get_or_init(|| FastIndex::build(self.index()))
    }

    /// The unit containing a WGS-84 point, fast path for batch work (no distances, no
    /// allocation).
    #[inline]
    pub fn unit_at(&self, lon: f64, lat: f64) -> Option<&UnitRef> {
        let i = self.unit_index_at(lon, lat)?;
        self.unit_refs.get(i as usize)
    }

    /// Index (into [`Geodata::units`]) of the unit containing a WGS-84 point: the lowest one
    /// when units overlap. No distances, no allocation.
    #[inline]
    pub fn unit_index_at(&self, lon: f64, lat: f64) -> Option<u32> {
        let p = GridIndex::snap(lon, lat);
        match self.fast_index().unit_at(p) {
            Ok(u) => u,
            Err(()) => self.unit_at_generic(p),
        }
    }

    /// [`Geodata::unit_index_at`] through the general query (the reference path).
    fn unit_at_generic(&self, p: [i64; 2]) -> Option<u32> {
        let hit = self.index().query(p, false, 0.0)?;
        let s = *hit.shapes.first()?;
        (s < self.index().n_units()).then_some(s)
    }

    /// Locates a point given in `crs` without allocating: the containing unit, the features
    /// and the units within the tolerance, exactly as [`Geodata::locate`] finds them.
    /// `Ok(None)` when the fast structure cannot answer (outside the grid, overlapping units,
    /// a rare cell): use [`Geodata::locate`].
    pub fn spot(&self, lon: f64, lat: f64, crs: Crs) -> Result<Option<Spot>, PointError> {
        let (wlon, wlat) = Geodata::check_point(lon, lat, crs)?;
        let p = GridIndex::snap(wlon, wlat);
        let tol = self.config.tolerance_m;
        Ok(
            match self.fast_index().spot(self.index(), p, tol > 0.0, tol) {
                Spotted::At(s) if !s.multi_unit => Some(s),
                _ => None,
            },
        )
    }

    /// The nearest unit to a located point in no unit, as [`Geodata::locate`] reports it in
    /// `nearest`: (unit index, metres rounded to 0.1 m).
    pub fn spot_nearest(&self, spot: &Spot) -> Option<(usize, f64)> {
        let (d, s) = self.nearest_edge(spot.p, true)?;
        Some((s as usize, (d * 10.0).round() / 10.0))
    }

    /// The unit edges in an R-tree, longitude scaled by [`NearestTree::kx`] so that tree
    /// distances are close to metres (÷ metres per degree of latitude) across the region.
    fn nearest_tree(&self) -> &NearestTree {
        self.nearest.get_or_init(|| {
            let n = self.index().n_units();
            let [_, y0, _, y1] = self.index().bbox();
            let kx =
                ((y0 + y1) / 2.0).to_radians().cos() * index::M_PER_DEG_LON / index::M_PER_DEG_LAT;
            let items: Vec<EdgeGeom> = self
                .index()
                .edges()
                .iter()
                .enumerate()
                .filter(|(_, e)| e.shape < n)
                .map(|(i, e)| {
                    let a = [e.a[0] as f64 / NANO * kx, e.a[1] as f64 / NANO];
                    let b = [e.b[0] as f64 / NANO * kx, e.b[1] as f64 / NANO];
                    GeomWithData::new(
                        rstar::primitives::Line::new(a, b),
                        u32::try_from(i).unwrap_or(u32::MAX),
                    )
                })
                .collect();
            NearestTree {
                tree: RTree::bulk_load(items),
                kx,
            }
        })
    }

    /// The unit whose border is nearest to `p`, in the metric of [`index::edge_distance_m`],
    /// ties to the lower unit index.
    ///
    /// Inside the grid the answer is exact: the first few calls scan every edge (about a
    /// millisecond, so a one-point run does not pay for building a search structure); later
    /// calls walk a [`fast::NearestIndex`] (exact too). Outside the grid (far from the region,
    /// where the local metric means little anyway) the 64 nearest edges of an R-tree decide,
    /// which keeps garbage such as `0,0` cheap.
    fn nearest_unit(&self, p: [i64; 2], inside_grid: bool) -> Option<Candidate> {
        Self::nearest_candidate(self.nearest_edge(p, inside_grid), &self.unit_refs)
    }

    /// [`Geodata::nearest_unit`] as (metres, unit index).
    fn nearest_edge(&self, p: [i64; 2], inside_grid: bool) -> Option<(f64, u32)> {
        const SCANS_BEFORE_TREE: u32 = 8;
        const FAR_EDGES: usize = 64;
        let kx = index::kx_at(p[1]);
        let consider = |best: &mut Option<(f64, u32)>, e: &index::Edge| {
            let d = index::edge_distance_m(p, e, kx);
            if best.is_none_or(|(bd, bs)| d < bd || (d == bd && e.shape < bs)) {
                *best = Some((d, e.shape));
            }
        };
        let n = self.index().n_units();
        let scan = |best: &mut Option<(f64, u32)>| {
            for e in self.index().edges().iter().filter(|e| e.shape < n) {
                consider(best, e);
            }
        };
        let mut best: Option<(f64, u32)> = None;
        if inside_grid {
            if self.nearest_fast.get().is_none()
                && self
                    .nearest_scans
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                    < SCANS_BEFORE_TREE
            {
                scan(&mut best);
            } else {
                let ni = self
                    .nearest_fast
                    .get_or_init(|| fast::NearestIndex::build(self.index()));
                best = ni.nearest(p);
                if best.is_none() {
                    scan(&mut best);
                }
            }
        } else {
            // Edges come out of the tree by increasing tree distance `t`; an edge's distance in
            // metres is at least `t · min(kx(p) / tree.kx, M_PER_DEG_LAT)`, so the walk can stop
            // as soon as that bound passes the best distance found.
            let nt = self.nearest_tree();
            let q = [p[0] as f64 / NANO * nt.kx, p[1] as f64 / NANO];
            let bound = (kx * NANO / nt.kx).min(index::M_PER_DEG_LAT);
            for (k, (g, d2)) in nt
                .tree
                .nearest_neighbor_iter_with_distance_2(&q)
                .enumerate()
            {
                if best.is_some_and(|(bd, _)| d2.sqrt() * bound > bd) || k == FAR_EDGES {
                    break;
                }
                if let Some(e) = self.index().edges().get(g.data as usize) {
                    consider(&mut best, e);
                }
            }
        }
        best
    }

    fn nearest_candidate(best: Option<(f64, u32)>, units: &[UnitRef]) -> Option<Candidate> {
        let (d, s) = best?;
        let u = units.get(s as usize)?;
        Some(Candidate {
            adcode: u.adcode.clone(),
            name: u.name.clone(),
            distance_m: (d * 10.0).round() / 10.0,
        })
    }

    /// Resolves an administrative code: county (6 digits), prefecture or province (6 digits
    /// ending in `00`), or a 9-digit Demonstration Zone town code (MCA or NBS numbering).
    pub fn locate_code(&self, code: &str) -> Result<CodeLocation, CodeError> {
        let code = code.trim();
        let all = self.set.codes.get_all(code);
        let Some(first) = all.first() else {
            let near = self.set.codes.nearest_codes(code, 3);
            let hint = if near.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = near
                    .iter()
                    .map(|a| format!("`{}` {}", a.code, a.name))
                    .collect();
                format!(" (nearest known codes: {})", list.join(", "))
            };
            let hint = if code.len() != 6 && code.len() != 9
                || !code.bytes().all(|b| b.is_ascii_digit())
            {
                format!(": codes have 6 digits (province, city, county) or 9 (town){hint}")
            } else {
                hint
            };
            return Err(CodeError {
                code: code.to_string(),
                hint,
            });
        };
        let mut out = CodeLocation {
            code: code.to_string(),
            level: first.level,
            name: first.name.clone(),
            unit: None,
            town: None,
            town_candidates: Vec::new(),
            units_inside: 0,
            demo_zone: false,
            geodata_version: self.version.clone(),
        };
        match first.level {
            AreaLevel::County => {
                out.unit = self.unit(code).cloned();
            }
            AreaLevel::Province | AreaLevel::City => {
                out.units_inside = self
                    .unit_refs
                    .iter()
                    .filter(|u| u.province_adcode == code || u.city_adcode == code)
                    .count();
            }
            AreaLevel::Town => {
                out.unit = self.unit(&first.parent).cloned();
                let towns: Vec<TownRef> = all
                    .iter()
                    .map(|a| TownRef {
                        code: a.code.clone(),
                        name: a.name.clone(),
                        system: a.system,
                        pilot: a.is_pilot_town(),
                    })
                    .collect();
                if towns.len() == 1 {
                    out.town = towns.into_iter().next();
                } else {
                    out.name = all
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" / ");
                    out.town_candidates = towns;
                }
            }
        }
        out.demo_zone = out.unit.as_ref().is_some_and(|u| u.demo_zone);
        Ok(out)
    }
}

//! Point and code location over the embedded geodata: correctness evidence.
//!
//! - a differential test of the grid index against a brute-force scan of every ring (an exact
//!   integer even-odd ray cast written here from the rule documented in `spatial::index`,
//!   plus `geo::Contains` in `f64` as a second opinion away from edges);
//! - every unit's own interior point and code;
//! - points exactly on shared borders (the documented tie-break);
//! - GCJ-02 / BD-09 inputs near county borders;
//! - named places, bad inputs, town codes;
//! - property tests (no panics on arbitrary input; the embedded file is reproducible);
//! - the `ecojuris locate` command end to end.
//!
//! Every random input comes from fixed seeds, so a failure reproduces exactly.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;
use std::sync::OnceLock;

use ecojuris::spatial::{Crs, EMBEDDED, GeoSet, Geodata, LocateConfig, Location};
use geo::{BoundingRect, Contains};

// ---------------------------------------------------------------------------------------------
// Fixtures and the brute force
// ---------------------------------------------------------------------------------------------

fn geo() -> &'static Geodata {
    static G: OnceLock<Geodata> = OnceLock::new();
    G.get_or_init(|| Geodata::embedded(LocateConfig::default()).unwrap())
}

/// Nanodegrees per degree (queries are snapped to nanodegrees, vertices are microdegrees).
const NANO: f64 = 1e9;

/// Deterministic xorshift64* generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo) as u64) as i64
    }
}

/// One shape (unit or feature) in nanodegrees, with bounding boxes and `geo` rings.
struct Shape {
    rings: Vec<Vec<[i64; 2]>>,
    ring_bbox: Vec<[i64; 4]>,
    bbox: [i64; 4],
    /// Every ring as its own `geo` polygon (membership is even-odd over rings).
    geo_rings: Vec<(geo::Polygon<f64>, geo::Rect<f64>)>,
}

fn bbox_of(pts: &[[i64; 2]]) -> [i64; 4] {
    let mut b = [i64::MAX, i64::MAX, i64::MIN, i64::MIN];
    for p in pts {
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    b
}

fn in_bbox(b: &[i64; 4], p: [i64; 2], margin: i64) -> bool {
    p[0] >= b[0] - margin && p[0] <= b[2] + margin && p[1] >= b[1] - margin && p[1] <= b[3] + margin
}

impl Shape {
    fn new(rings: &[Vec<[i32; 2]>]) -> Shape {
        let rings: Vec<Vec<[i64; 2]>> = rings
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| [i64::from(v[0]) * 1000, i64::from(v[1]) * 1000])
                    .collect()
            })
            .collect();
        let ring_bbox: Vec<[i64; 4]> = rings.iter().map(|r| bbox_of(r)).collect();
        let all: Vec<[i64; 2]> = rings.iter().flatten().copied().collect();
        let geo_rings = rings
            .iter()
            .map(|r| {
                let ls: Vec<(f64, f64)> = r
                    .iter()
                    .map(|v| (v[0] as f64 / NANO, v[1] as f64 / NANO))
                    .collect();
                let poly = geo::Polygon::new(geo::LineString::from(ls), vec![]);
                let rect = poly.bounding_rect().unwrap();
                (poly, rect)
            })
            .collect();
        Shape {
            bbox: bbox_of(&all),
            rings,
            ring_bbox,
            geo_rings,
        }
    }

    fn edges(&self) -> impl Iterator<Item = ([i64; 2], [i64; 2])> + '_ {
        self.rings
            .iter()
            .flat_map(|r| (0..r.len()).map(move |i| (r[i], r[(i + 1) % r.len()])))
    }

    /// Exact even-odd membership with the half-open rule of `spatial::index`: an edge counts
    /// when exactly one end point lies strictly north of `p` and the crossing lies strictly
    /// east of `p`. Written independently of the index code.
    fn contains_exact(&self, p: [i64; 2]) -> bool {
        if !in_bbox(&self.bbox, p, 0) {
            return false;
        }
        let mut inside = false;
        for (r, bb) in self.rings.iter().zip(&self.ring_bbox) {
            if p[1] < bb[1] || p[1] > bb[3] || p[0] > bb[2] {
                continue;
            }
            let n = r.len();
            for i in 0..n {
                let (a, b) = (r[i], r[(i + 1) % n]);
                if (a[1] > p[1]) == (b[1] > p[1]) {
                    continue;
                }
                // crossing_x - p.x = num / dy
                let dy = i128::from(b[1] - a[1]);
                let num = i128::from(a[0] - p[0]) * dy
                    + i128::from(p[1] - a[1]) * i128::from(b[0] - a[0]);
                if num != 0 && (num > 0) == (dy > 0) {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// Even-odd membership by `geo::Contains` on each ring (interior only; meaningful away
    /// from edges).
    fn contains_geo(&self, x: f64, y: f64) -> bool {
        let pt = geo::Point::new(x, y);
        let mut inside = false;
        for (poly, rect) in &self.geo_rings {
            if x < rect.min().x || x > rect.max().x || y < rect.min().y || y > rect.max().y {
                continue;
            }
            if poly.contains(&pt) {
                inside = !inside;
            }
        }
        inside
    }

    /// Distance from `p` to the nearest edge, in nanodegrees (plain Euclidean), if below `cap`.
    fn edge_dist_nano(&self, p: [i64; 2], cap: f64) -> Option<f64> {
        let m = cap.ceil() as i64;
        if !in_bbox(&self.bbox, p, m) {
            return None;
        }
        let mut best: Option<f64> = None;
        for (r, bb) in self.rings.iter().zip(&self.ring_bbox) {
            if !in_bbox(bb, p, m) {
                continue;
            }
            let n = r.len();
            for i in 0..n {
                let (a, b) = (r[i], r[(i + 1) % n]);
                let d = seg_dist(p, a, b, 1.0, 1.0);
                if d <= cap && best.is_none_or(|x| d < x) {
                    best = Some(d);
                }
            }
        }
        best
    }

    /// Distance in metres from `p` to the nearest edge, with the local equirectangular metric
    /// the index uses, if below `cap_m`.
    fn edge_dist_m(&self, p: [i64; 2], cap_m: f64) -> Option<f64> {
        let kx = (p[1] as f64 / NANO).to_radians().cos() * 111_320.0 / NANO;
        let ky = 110_574.0 / NANO;
        let mx = (cap_m / kx).ceil() as i64;
        let my = (cap_m / ky).ceil() as i64;
        let near = |b: &[i64; 4]| {
            p[0] >= b[0] - mx && p[0] <= b[2] + mx && p[1] >= b[1] - my && p[1] <= b[3] + my
        };
        if !near(&self.bbox) {
            return None;
        }
        let mut best: Option<f64> = None;
        for (r, bb) in self.rings.iter().zip(&self.ring_bbox) {
            if !near(bb) {
                continue;
            }
            let n = r.len();
            for i in 0..n {
                let d = seg_dist(p, r[i], r[(i + 1) % n], kx, ky);
                if d <= cap_m && best.is_none_or(|x| d < x) {
                    best = Some(d);
                }
            }
        }
        best
    }
}

/// Distance from `p` to segment `a b` with axis scales `kx`, `ky`.
fn seg_dist(p: [i64; 2], a: [i64; 2], b: [i64; 2], kx: f64, ky: f64) -> f64 {
    let ax = (a[0] - p[0]) as f64 * kx;
    let ay = (a[1] - p[1]) as f64 * ky;
    let bx = (b[0] - p[0]) as f64 * kx;
    let by = (b[1] - p[1]) as f64 * ky;
    let (vx, vy) = (bx - ax, by - ay);
    let len2 = vx * vx + vy * vy;
    let t = if len2 > 0.0 {
        (-(ax * vx + ay * vy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (ax + t * vx, ay + t * vy);
    (qx * qx + qy * qy).sqrt()
}

struct Brute {
    units: Vec<Shape>,
    features: Vec<Shape>,
    /// Bounding box of all unit vertices, nanodegrees.
    bbox: [i64; 4],
}

fn brute() -> &'static Brute {
    static B: OnceLock<Brute> = OnceLock::new();
    B.get_or_init(|| {
        let set = geo().set();
        let units: Vec<Shape> = set.units.iter().map(|(_, r)| Shape::new(r)).collect();
        let features: Vec<Shape> = set.features.iter().map(|(_, r)| Shape::new(r)).collect();
        let mut bbox = [i64::MAX, i64::MAX, i64::MIN, i64::MIN];
        for u in &units {
            bbox[0] = bbox[0].min(u.bbox[0]);
            bbox[1] = bbox[1].min(u.bbox[1]);
            bbox[2] = bbox[2].max(u.bbox[2]);
            bbox[3] = bbox[3].max(u.bbox[3]);
        }
        Brute {
            units,
            features,
            bbox,
        }
    })
}

impl Brute {
    fn units_at(&self, p: [i64; 2]) -> Vec<usize> {
        (0..self.units.len())
            .filter(|&i| self.units[i].contains_exact(p))
            .collect()
    }
    fn features_at(&self, p: [i64; 2]) -> Vec<usize> {
        (0..self.features.len())
            .filter(|&i| self.features[i].contains_exact(p))
            .collect()
    }
    /// The single unit containing `p` (the partition has no overlaps).
    fn unit_at(&self, p: [i64; 2]) -> Option<usize> {
        let u = self.units_at(p);
        assert!(u.len() <= 1, "units overlap at {p:?}: {u:?}");
        u.first().copied()
    }
}

fn deg(p: [i64; 2]) -> (f64, f64) {
    (p[0] as f64 / NANO, p[1] as f64 / NANO)
}

fn code_of(i: usize) -> &'static str {
    &geo().set().units[i].0.adcode
}

fn unit_index(code: &str) -> usize {
    geo()
        .set()
        .units
        .iter()
        .position(|(p, _)| p.adcode == code)
        .unwrap()
}

fn locate_wgs(p: [i64; 2]) -> Location {
    let (x, y) = deg(p);
    geo().locate(x, y, Crs::Wgs84).unwrap()
}

/// Metres → nanodegrees of longitude / latitude at latitude `lat_nano`.
fn m_to_nano(lat_nano: i64) -> (f64, f64) {
    let kx = (lat_nano as f64 / NANO).to_radians().cos() * 111_320.0;
    (NANO / kx, NANO / 110_574.0)
}

/// A point on a random unit edge (uniform over edges), moved `offset_m` metres along the
/// edge normal (either side).
fn border_point(rng: &mut Rng, all_edges: &[([i64; 2], [i64; 2])], offset_m: f64) -> [i64; 2] {
    loop {
        let (a, b) = all_edges[rng.below(all_edges.len())];
        let t = rng.unit();
        let px = a[0] as f64 + t * (b[0] - a[0]) as f64;
        let py = a[1] as f64 + t * (b[1] - a[1]) as f64;
        let (nx_per_m, ny_per_m) = m_to_nano(py as i64);
        // Edge direction in metres, then its unit normal.
        let ex = (b[0] - a[0]) as f64 / nx_per_m;
        let ey = (b[1] - a[1]) as f64 / ny_per_m;
        let len = (ex * ex + ey * ey).sqrt();
        if len == 0.0 {
            continue;
        }
        let side = if rng.next() & 1 == 0 { 1.0 } else { -1.0 };
        let (nx, ny) = (-ey / len * side * offset_m, ex / len * side * offset_m);
        return [
            (px + nx * nx_per_m).round() as i64,
            (py + ny * ny_per_m).round() as i64,
        ];
    }
}

fn all_unit_edges() -> Vec<([i64; 2], [i64; 2])> {
    brute().units.iter().flat_map(|u| u.edges()).collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Differential test: index vs brute force
// ---------------------------------------------------------------------------------------------

#[test]
fn index_agrees_with_brute_force_on_random_and_border_points() {
    let g = geo();
    let b = brute();
    let mut rng = Rng(0x5eed_0001_2026_1127);
    let mut pts: Vec<([i64; 2], bool)> = Vec::with_capacity(125_000);
    for _ in 0..100_000 {
        let x = rng.range_i64(b.bbox[0], b.bbox[2]);
        let y = rng.range_i64(b.bbox[1], b.bbox[3]);
        pts.push(([x, y], false));
    }
    let edges = all_unit_edges();
    for _ in 0..25_000 {
        // ±0.5 m from a border (coast and province edges included).
        pts.push((border_point(&mut rng, &edges, 0.5), true));
    }

    let (mut in_unit, mut geo_checked, mut geo_skipped, mut feature_checked) = (0, 0, 0, 0);
    let mut mismatches = Vec::new();
    for (k, &(p, border)) in pts.iter().enumerate() {
        let (x, y) = deg(p);
        let want = b.unit_at(p);
        let got = g.unit_at(x, y).map(|u| u.adcode.as_str());
        if got != want.map(code_of) {
            mismatches.push(format!(
                "unit_at {p:?}: index {got:?}, brute {:?}",
                want.map(code_of)
            ));
        }
        if want.is_some() {
            in_unit += 1;
        }
        // Second opinion: geo::Contains (f64), skipped within 1e-7° (100 nanodegrees) of an edge.
        let near_edge = b.units.iter().any(|u| u.edge_dist_nano(p, 100.0).is_some());
        if near_edge {
            geo_skipped += 1;
        } else {
            let geo_units: Vec<usize> = (0..b.units.len())
                .filter(|&i| b.units[i].contains_geo(x, y))
                .collect();
            assert_eq!(
                geo_units,
                want.into_iter().collect::<Vec<_>>(),
                "geo::Contains disagrees at {p:?}"
            );
            geo_checked += 1;
        }
        // Full locate on every 4th random point and every border point.
        if border || k % 4 == 0 {
            let loc = g.locate(x, y, Crs::Wgs84).unwrap();
            let lu = loc.unit.as_ref().map(|u| u.adcode.as_str());
            if lu != want.map(code_of) {
                mismatches.push(format!(
                    "locate {p:?}: index {lu:?}, brute {:?}",
                    want.map(code_of)
                ));
            }
            // Features on a sample (lakes, estuary, sea, demo zone).
            if border || k % 8 == 0 {
                let want_f: BTreeSet<&str> = b
                    .features_at(p)
                    .into_iter()
                    .map(|i| g.set().features[i].0.id.as_str())
                    .collect();
                let got_f: BTreeSet<&str> = loc.features.iter().map(|f| f.id.as_str()).collect();
                assert_eq!(got_f, want_f, "features at {p:?}");
                feature_checked += 1;
            }
            // Border candidates: every other unit within 99 m is listed, every listed one is
            // within 101 m, with the distance to ±0.2 m.
            if border {
                check_candidates(p, &loc);
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first: {:?}",
        mismatches.len(),
        &mismatches[..mismatches.len().min(10)]
    );
    // Sanity of the sample itself.
    assert!(in_unit > 60_000, "only {in_unit} points fell in a unit");
    assert!(
        geo_checked > 120_000,
        "geo comparison ran on {geo_checked} points ({geo_skipped} skipped)"
    );
    assert!(feature_checked > 30_000);
}

fn check_candidates(p: [i64; 2], loc: &Location) {
    let b = brute();
    let own = loc.unit.as_ref().map(|u| u.adcode.as_str());
    for (i, u) in b.units.iter().enumerate() {
        let code = code_of(i);
        if Some(code) == own {
            continue;
        }
        let Some(d) = u.edge_dist_m(p, 101.0) else {
            continue;
        };
        let listed = loc.candidates.iter().find(|c| c.adcode == code);
        if d <= 99.0 {
            let c = listed.unwrap_or_else(|| {
                panic!(
                    "unit {code} at {d:.2} m missing from candidates at {p:?}: {:?}",
                    loc.candidates
                )
            });
            assert!(
                (c.distance_m - d).abs() <= 0.2,
                "distance to {code}: {} vs brute {d:.3} at {p:?}",
                c.distance_m
            );
        }
    }
    for c in &loc.candidates {
        if Some(c.adcode.as_str()) == own {
            assert_eq!(c.distance_m, 0.0);
            continue;
        }
        let d = b.units[unit_index(&c.adcode)].edge_dist_m(p, 150.0);
        assert!(
            d.is_some_and(|d| d <= 101.0),
            "candidate {} at {} m, brute {d:?} at {p:?}",
            c.adcode,
            c.distance_m
        );
    }
    assert_eq!(
        loc.near_border,
        loc.candidates
            .iter()
            .any(|c| Some(c.adcode.as_str()) != own)
    );
}

#[test]
fn nearest_unit_agrees_with_brute_force() {
    // Points in no unit (at sea, or in a neighbouring province inside the bounding box, or far
    // away): the reported nearest unit is the one with the nearest edge, in the index's metric.
    let b = brute();
    let mut rng = Rng(0x0ea7_e571);
    let mut pts: Vec<[i64; 2]> = vec![
        [116_400_000_000, 39_900_000_000],
        [115_900_000_000, 28_700_000_000],
    ];
    while pts.len() < 600 {
        let p = [
            rng.range_i64(b.bbox[0], b.bbox[2]),
            rng.range_i64(b.bbox[1], b.bbox[3]),
        ];
        if b.unit_at(p).is_none() {
            pts.push(p);
        }
    }
    let mut worst: f64 = 0.0;
    for p in pts {
        let loc = locate_wgs(p);
        assert!(loc.unit.is_none());
        let got = loc.nearest.as_ref().unwrap();
        let mut best = (f64::INFINITY, usize::MAX);
        for (i, u) in b.units.iter().enumerate() {
            if let Some(d) = u.edge_dist_m(p, 2.0e6)
                && d < best.0
            {
                best = (d, i);
            }
        }
        let err = got.distance_m - best.0;
        worst = worst.max(err);
        assert!(
            err.abs() <= 0.11,
            "nearest at {p:?}: {} {} m, brute {} {:.2} m",
            got.adcode,
            got.distance_m,
            code_of(best.1),
            best.0
        );
        if got.adcode != code_of(best.1) {
            let d_got = b.units[unit_index(&got.adcode)]
                .edge_dist_m(p, 2.0e6)
                .unwrap();
            assert!((d_got - best.0).abs() <= 0.1, "tie expected at {p:?}");
        }
    }
    eprintln!("nearest unit: worst excess over brute force {worst:.3} m");
}

// ---------------------------------------------------------------------------------------------
// 1b. The allocation-free path (`FastIndex`, `NearestIndex`) against the general query, the
//     brute force and a full scan
// ---------------------------------------------------------------------------------------------

/// Sub-cell side of `spatial::fast` in nanodegrees (1/320°).
const SUB: i64 = 3_125_000;

/// Points that stress the fast path: uniform, ±0.5 m and ±99–101 m from borders (the
/// tolerance edge), exact vertices and edge midpoints, and points on sub-cell and cell lines
/// and at sub-cell centres near borders.
fn fast_points(rng: &mut Rng, n_uniform: usize) -> Vec<[i64; 2]> {
    let b = brute();
    let edges = all_unit_edges();
    let mut pts = Vec::new();
    for _ in 0..n_uniform {
        pts.push([
            rng.range_i64(b.bbox[0], b.bbox[2]),
            rng.range_i64(b.bbox[1], b.bbox[3]),
        ]);
    }
    for k in 0..8_000 {
        let off = [0.5, 99.0, 99.95, 100.05, 101.0, 250.0, 0.0, 20.0][k % 8];
        pts.push(border_point(rng, &edges, off));
    }
    for _ in 0..2_000 {
        let (a, c) = edges[rng.below(edges.len())];
        pts.push(a);
        pts.push([(a[0] + c[0]) / 2, (a[1] + c[1]) / 2]);
    }
    let [gx, gy, _, _] = geo().index().bbox();
    let (x0, y0) = ((gx * NANO).round() as i64, (gy * NANO).round() as i64);
    for k in 0..6_000 {
        let p = border_point(rng, &edges, 30.0);
        let snap = |v: i64, o: i64, half: bool| {
            let q = o + (v - o).div_euclid(SUB) * SUB;
            if half { q + SUB / 2 } else { q }
        };
        pts.push(match k % 3 {
            0 => [snap(p[0], x0, false), p[1]],
            1 => [p[0], snap(p[1], y0, false)],
            _ => [snap(p[0], x0, true), snap(p[1], y0, true)],
        });
    }
    pts
}

#[test]
fn fast_path_agrees_with_the_general_query_and_the_brute_force() {
    use ecojuris::spatial::fast::Spotted;
    let g = geo();
    let b = brute();
    let idx = g.index();
    let fast = g.fast_index();
    let n_units = idx.n_units();
    let mut rng = Rng(0x5eed_0002_2026_1201);
    let pts = fast_points(&mut rng, 40_000);
    let (mut near_checked, mut feature_hits, mut brute_checked) = (0, 0, 0);
    for (k, &p) in pts.iter().enumerate() {
        let hit = idx.query(p, true, 100.0);
        let spot = fast.spot(idx, p, true, 100.0);
        let Some(hit) = hit else {
            assert_eq!(spot, Spotted::Outside, "{p:?}");
            continue;
        };
        let Spotted::At(s) = spot else {
            panic!("fast path declined {p:?}: {spot:?}");
        };
        let want_unit = hit.shapes.iter().copied().find(|&x| x < n_units);
        assert_eq!(s.unit, want_unit, "unit at {p:?}");
        assert!(!s.multi_unit, "{p:?}");
        let want_f: u64 = hit
            .shapes
            .iter()
            .filter(|&&x| x >= n_units)
            .fold(0, |m, &x| m | 1 << (x - n_units));
        assert_eq!(s.features, want_f, "features at {p:?}");
        feature_hits += usize::from(want_f != 0);
        // Bit-identical distances, same order.
        assert_eq!(s.near(), hit.near.as_slice(), "near at {p:?}");
        near_checked += usize::from(!hit.near.is_empty());
        let (x, y) = deg(p);
        assert_eq!(g.unit_index_at(x, y), want_unit, "unit_index_at {p:?}");
        assert_eq!(fast.unit_at(p), Ok(want_unit), "unit_at {p:?}");
        if k % 4 == 0 {
            assert_eq!(
                want_unit.map(|u| u as usize),
                b.unit_at(p),
                "query vs brute at {p:?}"
            );
            brute_checked += 1;
        }
        // Without distances and with a smaller radius the same holds.
        let hit = idx.query(p, true, 37.5).unwrap();
        let Spotted::At(s) = fast.spot(idx, p, true, 37.5) else {
            panic!("{p:?}")
        };
        assert_eq!(s.near(), hit.near.as_slice(), "near 37.5 m at {p:?}");
    }
    assert!(near_checked > 8_000, "{near_checked}");
    assert!(feature_hits > 5_000, "{feature_hits}");
    assert!(brute_checked > 12_000, "{brute_checked}");
    // A radius beyond the build tolerance is not answered here.
    assert_eq!(fast.spot(idx, pts[0], true, 150.0), Spotted::Generic);
}

#[test]
fn nearest_index_agrees_with_a_full_scan() {
    use ecojuris::spatial::fast::NearestIndex;
    use ecojuris::spatial::index::{edge_distance_m, kx_at};
    let g = geo();
    let idx = g.index();
    let ni = NearestIndex::build(idx);
    let b = brute();
    let mut rng = Rng(0x0ea7_0002);
    let mut pts = fast_points(&mut rng, 3_000);
    pts.truncate(3_000);
    // Far points too (the index is exact anywhere, though `locate` uses it inside the grid).
    pts.push([116_400_000_000, 39_900_000_000]);
    pts.push([b.bbox[0] - 1_000_000_000, b.bbox[1] - 1_000_000_000]);
    for _ in 0..1_500 {
        pts.push([
            rng.range_i64(b.bbox[0], b.bbox[2]),
            rng.range_i64(b.bbox[1], b.bbox[3]),
        ]);
    }
    for p in pts {
        let kx = kx_at(p[1]);
        let mut best: Option<(f64, u32)> = None;
        for e in idx.edges().iter().filter(|e| e.shape < idx.n_units()) {
            let d = edge_distance_m(p, e, kx);
            if best.is_none_or(|(bd, bs)| d < bd || (d == bd && e.shape < bs)) {
                best = Some((d, e.shape));
            }
        }
        assert_eq!(ni.nearest(p), best, "nearest at {p:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Every unit locates its own interior point and its own code
// ---------------------------------------------------------------------------------------------

/// A point inside a shape: the midpoint of the widest inside interval of the horizontal
/// scanline through the middle of the largest ring's bounding box (even-odd over all rings).
fn interior_point(s: &Shape) -> [i64; 2] {
    let (big, _) = s
        .ring_bbox
        .iter()
        .enumerate()
        .max_by_key(|(_, b)| (b[2] - b[0]) as i128 * (b[3] - b[1]) as i128)
        .unwrap();
    let bb = s.ring_bbox[big];
    // Half a microdegree off the vertex lattice so no vertex lies on the scanline.
    let y = ((bb[1] + bb[3]) / 2 / 1000) * 1000 + 500;
    let mut xs: Vec<f64> = Vec::new();
    for (a, b) in s.edges() {
        if (a[1] > y) != (b[1] > y) {
            let t = (y - a[1]) as f64 / (b[1] - a[1]) as f64;
            xs.push(a[0] as f64 + t * (b[0] - a[0]) as f64);
        }
    }
    xs.sort_by(f64::total_cmp);
    let (lo, hi) = xs
        .chunks_exact(2)
        .map(|c| (c[0], c[1]))
        .max_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)))
        .unwrap();
    let p = [((lo + hi) / 2.0).round() as i64, y];
    assert!(s.contains_exact(p));
    p
}

#[test]
fn every_unit_locates_its_own_interior_point_and_code() {
    let g = geo();
    let b = brute();
    assert_eq!(g.units().len(), 305);
    for (i, s) in b.units.iter().enumerate() {
        let code = code_of(i);
        let p = interior_point(s);
        let (x, y) = deg(p);
        assert_eq!(
            b.unit_at(p),
            Some(i),
            "brute force at the interior point of {code}"
        );
        assert_eq!(
            g.unit_at(x, y).map(|u| u.adcode.as_str()),
            Some(code),
            "unit_at {code} {x},{y}"
        );
        let loc = g.locate(x, y, Crs::Wgs84).unwrap();
        assert_eq!(
            loc.unit.as_ref().map(|u| u.adcode.as_str()),
            Some(code),
            "locate {code} {x},{y}"
        );
        assert!(!loc.outside);
        let c = g.locate_code(code).unwrap();
        assert_eq!(c.unit.as_ref().map(|u| u.adcode.as_str()), Some(code));
        assert_eq!(c.level, ecojuris::spatial::AreaLevel::County);
        assert_eq!(
            c.unit.as_ref().unwrap().demo_zone,
            g.set().units[i].0.demo_zone
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Points exactly on shared borders
// ---------------------------------------------------------------------------------------------

/// Edges shared by two units (the same two vertices, reversed): `(u, v, a, b)` with `a → b`
/// in unit `u`'s ring and `b → a` in unit `v`'s.
fn shared_edges() -> Vec<(usize, usize, [i64; 2], [i64; 2])> {
    let b = brute();
    let mut owner: HashMap<([i64; 2], [i64; 2]), usize> = HashMap::new();
    for (i, u) in b.units.iter().enumerate() {
        for (a, c) in u.edges() {
            owner.insert((a, c), i);
        }
    }
    let mut out = Vec::new();
    for (i, u) in b.units.iter().enumerate() {
        for (a, c) in u.edges() {
            if let Some(&j) = owner.get(&(c, a))
                && j > i
            {
                out.push((i, j, a, c));
            }
        }
    }
    out.sort_by_key(|e| (e.0, e.1, e.2, e.3));
    out
}

#[test]
fn points_on_shared_borders_go_to_exactly_one_unit_by_the_documented_rule() {
    let b = brute();
    let shared = shared_edges();
    assert!(shared.len() > 10_000, "{} shared edges", shared.len());
    let step = shared.len() / 1500;
    let (mut checked, mut horizontal) = (0, 0);
    for &(u, v, a, c) in shared.iter().step_by(step.max(1)) {
        // Vertices are whole microdegrees: the midpoint is exact in nanodegrees.
        let m = [(a[0] + c[0]) / 2, (a[1] + c[1]) / 2];
        let loc = locate_wgs(m);
        let got = loc
            .unit
            .as_ref()
            .map(|x| x.adcode.clone())
            .unwrap_or_default();
        let (cu, cv) = (code_of(u), code_of(v));
        assert!(
            got == cu || got == cv,
            "midpoint {m:?} of {cu}|{cv} went to `{got}`"
        );
        let other = if got == cu { cv } else { cu };
        let cand = loc.candidates.iter().find(|x| x.adcode == other);
        assert!(
            cand.is_some_and(|x| x.distance_m <= 0.1),
            "{other} not a candidate at ≤ 0.1 m at {m:?}: {:?}",
            loc.candidates
        );
        assert!(loc.near_border);
        // The rule: the point belongs to the unit on its east side, or its north side when the
        // border runs exactly east–west. Which unit lies east (north) of the border is read off
        // the brute force 1 nanodegree east (north) of the midpoint.
        let (vx, vy) = (c[0] - a[0], c[1] - a[1]);
        let probe = if vy != 0 {
            [m[0] + 1, m[1]]
        } else {
            [m[0], m[1] + 1]
        };
        if vy == 0 {
            horizontal += 1;
        }
        let east = b.unit_at(probe);
        // Cross-check the probe with a point well off the border on the same side.
        let len = ((vx * vx + vy * vy) as f64).sqrt();
        let off = (len / 10.0).min(5_000.0); // ≤ 5 µ° ≈ 0.5 m
        let (dx, dy) = if vy != 0 { (1.0, 0.0) } else { (0.0, 1.0) };
        // Move perpendicular to the edge, towards the side the probe is on.
        let (nx, ny) = (-(vy as f64) / len, vx as f64 / len); // left of a → c
        let left = dx * nx + dy * ny > 0.0;
        let s = if left { 1.0 } else { -1.0 };
        let far = [
            m[0] + (s * nx * off).round() as i64,
            m[1] + (s * ny * off).round() as i64,
        ];
        assert_eq!(
            b.unit_at(far),
            east,
            "probe and perpendicular point disagree at {m:?}"
        );
        assert_eq!(
            east.map(code_of),
            Some(got.as_str()),
            "documented rule (east side; north side on an east-west border) fails at {m:?} between {cu} and {cv}"
        );
        checked += 1;
    }
    assert!(checked >= 1000, "{checked}");
    assert!(horizontal > 0, "no east-west border sampled");
}

#[test]
fn shared_vertices_go_to_exactly_one_unit() {
    // Vertices shared by two or more units: exactly one unit, and all sharing units are
    // candidates at 0 m.
    let b = brute();
    let mut owners: HashMap<[i64; 2], BTreeSet<usize>> = HashMap::new();
    for (i, u) in b.units.iter().enumerate() {
        for r in &u.rings {
            for v in r {
                owners.entry(*v).or_default().insert(i);
            }
        }
    }
    let mut multi: Vec<([i64; 2], BTreeSet<usize>)> =
        owners.into_iter().filter(|(_, s)| s.len() >= 2).collect();
    multi.sort_by_key(|(v, _)| *v);
    let step = (multi.len() / 1000).max(1);
    for (v, s) in multi.iter().step_by(step) {
        let loc = locate_wgs(*v);
        let got = loc.unit.as_ref().map(|u| u.adcode.clone());
        let want = b.unit_at(*v).map(|i| code_of(i).to_string());
        assert_eq!(got, want, "vertex {v:?}");
        let got = got.unwrap_or_default();
        for &i in s {
            let code = code_of(i);
            if code != got {
                assert!(
                    loc.candidates
                        .iter()
                        .any(|c| c.adcode == code && c.distance_m <= 0.1),
                    "{code} at {v:?}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 4. GCJ-02 and BD-09
// ---------------------------------------------------------------------------------------------

/// A WGS-84 point 200 m inside unit `a` near its border with `b` whose GCJ-02 coordinates,
/// read as WGS-84, fall in `b`.
fn gcj_trap(a: &str, b: &str) -> Option<[i64; 2]> {
    let g = geo();
    let (ia, ib) = (unit_index(a), unit_index(b));
    for (u, v, p, q) in shared_edges() {
        if !((u == ia && v == ib) || (u == ib && v == ia)) {
            continue;
        }
        let m = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
        let (nxm, nym) = m_to_nano(m[1]);
        let (ex, ey) = ((q[0] - p[0]) as f64 / nxm, (q[1] - p[1]) as f64 / nym);
        let len = (ex * ex + ey * ey).sqrt();
        for s in [1.0, -1.0] {
            let w = [
                m[0] + (-ey / len * s * 200.0 * nxm).round() as i64,
                m[1] + (ex / len * s * 200.0 * nym).round() as i64,
            ];
            let (x, y) = deg(w);
            if g.unit_at(x, y).map(|u| u.adcode.as_str()) != Some(a) {
                continue;
            }
            let (gx, gy) = Crs::Gcj02.from_wgs84(x, y);
            if g.unit_at(gx, gy).map(|u| u.adcode.as_str()) == Some(b) {
                return Some(w);
            }
        }
    }
    None
}

#[test]
fn gcj02_and_bd09_points_near_borders_land_in_the_right_county() {
    let g = geo();
    let pairs = [
        ("320583", "310118"),
        ("310118", "320583"),
        ("310118", "330421"),
        ("330421", "310118"),
        ("320509", "310118"),
        ("310118", "320509"),
    ];
    let mut found = Vec::new();
    for (a, b) in pairs {
        let Some(w) = gcj_trap(a, b) else { continue };
        let (x, y) = deg(w);
        let (gx, gy) = Crs::Gcj02.from_wgs84(x, y);
        let as_gcj = g.locate(gx, gy, Crs::Gcj02).unwrap();
        assert_eq!(
            as_gcj.unit.as_ref().map(|u| u.adcode.as_str()),
            Some(a),
            "GCJ-02 {gx},{gy}"
        );
        assert!((as_gcj.wgs84[0] - x).abs() < 1e-8 && (as_gcj.wgs84[1] - y).abs() < 1e-8);
        assert_eq!(as_gcj.crs_in, Crs::Gcj02);
        let unconverted = g.locate(gx, gy, Crs::Wgs84).unwrap();
        assert_eq!(
            unconverted.unit.as_ref().map(|u| u.adcode.as_str()),
            Some(b),
            "GCJ-02 read as WGS-84"
        );
        let (bx, by) = Crs::Bd09.from_wgs84(x, y);
        let as_bd = g.locate(bx, by, Crs::Bd09).unwrap();
        assert_eq!(
            as_bd.unit.as_ref().map(|u| u.adcode.as_str()),
            Some(a),
            "BD-09 {bx},{by}"
        );
        found.push((a, b));
    }
    // The offset near Shanghai is ~430 m east, ~215 m south: both the Qingpu–Kunshan and the
    // Jiashan–Qingpu borders have such traps.
    assert!(
        found.iter().any(|p| [p.0, p.1].contains(&"320583")),
        "no 青浦/昆山 trap: {found:?}"
    );
    assert!(
        found.iter().any(|p| [p.0, p.1].contains(&"330421")),
        "no 嘉善/青浦 trap: {found:?}"
    );
}

#[test]
fn crs_round_trips_below_1e6_degrees() {
    let b = brute();
    let mut rng = Rng(42);
    let mut worst: f64 = 0.0;
    for _ in 0..20_000 {
        let (x, y) = deg([
            rng.range_i64(b.bbox[0], b.bbox[2]),
            rng.range_i64(b.bbox[1], b.bbox[3]),
        ]);
        for crs in [Crs::Gcj02, Crs::Bd09] {
            let (cx, cy) = crs.from_wgs84(x, y);
            let (wx, wy) = crs.to_wgs84(cx, cy);
            worst = worst.max((wx - x).abs()).max((wy - y).abs());
        }
    }
    assert!(worst < 1e-6, "worst round trip {worst:e}°");
    assert!(
        worst < 1e-9,
        "worst round trip {worst:e}° (documented: iterated to ~1e-10°)"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Named places, bad inputs, codes
// ---------------------------------------------------------------------------------------------

fn at(lon: f64, lat: f64) -> Location {
    geo().locate(lon, lat, Crs::Wgs84).unwrap()
}

fn feature_ids(l: &Location) -> Vec<&str> {
    l.features.iter().map(|f| f.id.as_str()).collect()
}

#[test]
fn named_places() {
    // Yangtze estuary: water in no county.
    let l = at(121.8, 31.25);
    assert!(
        feature_ids(&l).contains(&"yangtze-estuary"),
        "{:?}",
        feature_ids(&l)
    );
    assert!(l.unit.is_none() && !l.outside && l.at_sea());
    assert!(l.nearest.is_some());

    // At sea off Jiangsu.
    let l = at(121.5, 33.5);
    assert!(
        feature_ids(&l).contains(&"sea-320000"),
        "{:?}",
        feature_ids(&l)
    );
    let f = l.features.iter().find(|f| f.id == "sea-320000").unwrap();
    assert!(f.approximate);
    assert_eq!(f.province_adcode.as_deref(), Some("320000"));
    assert!(l.unit.is_none() && !l.outside);
    let n = l.nearest.as_ref().unwrap();
    assert!(n.adcode.starts_with("32") && n.distance_m > 0.0, "{n:?}");

    // Taihu: lake and a unit.
    let l = at(120.25, 31.2);
    assert!(feature_ids(&l).contains(&"lake-taihu"));
    assert!(l.unit.is_some());

    // Dianshan Lake.
    let l = at(120.96, 31.12);
    assert!(
        feature_ids(&l).contains(&"lake-dianshan"),
        "{:?}",
        feature_ids(&l)
    );
    assert!(l.unit.is_some());

    // 洋山港: in 嵊泗县 although Shanghai operates it.
    let l = at(122.07, 30.62);
    assert_eq!(l.unit.as_ref().map(|u| u.adcode.as_str()), Some("330922"));
    assert_eq!(l.unit.as_ref().map(|u| u.name.as_str()), Some("嵊泗县"));
    assert!(
        l.notes.iter().any(|n| n.contains("Shanghai operates it")),
        "{:?}",
        l.notes
    );

    // Far outside: Beijing.
    let l = at(116.4, 39.9);
    assert!(l.outside && l.unit.is_none());
    let n = l.nearest.as_ref().unwrap();
    assert!(n.distance_m > 400_000.0, "{n:?}");

    // Inside the bounding box but in another province (Nanchang, Jiangxi): outside too.
    let l = at(115.9, 28.7);
    assert!(
        l.outside && l.unit.is_none() && l.features.is_empty(),
        "{l:?}"
    );
    assert!(l.nearest.is_some());

    // The region's main point of the doc example.
    assert_eq!(at(121.12, 31.15).unit.unwrap().adcode, "310118");
}

#[test]
fn bad_points_are_errors_that_name_the_value() {
    let g = geo();
    let e = g.locate(31.15, 121.12, Crs::Wgs84).unwrap_err().to_string();
    assert!(e.contains("swap"), "{e}");
    assert!(e.contains("121.12"), "{e}");
    let e = g
        .locate(f64::NAN, 31.0, Crs::Wgs84)
        .unwrap_err()
        .to_string();
    assert!(e.contains("NaN"), "{e}");
    let e = g
        .locate(121.0, f64::INFINITY, Crs::Gcj02)
        .unwrap_err()
        .to_string();
    assert!(e.contains("inf"), "{e}");
    let e = g.locate(121.0, 91.0, Crs::Wgs84).unwrap_err().to_string();
    assert!(e.contains("91"), "{e}");
    assert!(!e.contains("swap"), "{e}");
    let e = g.locate(181.0, 31.0, Crs::Bd09).unwrap_err().to_string();
    assert!(e.contains("181"), "{e}");
    // Swapped but inside ±90: outside, with the hint as a note.
    let l = at(31.15, 81.0);
    assert!(l.outside);
}

#[test]
fn demonstration_zone_flag() {
    let b = brute();
    for code in ["310118", "320509", "330421"] {
        let p = interior_point(&b.units[unit_index(code)]);
        let l = locate_wgs(p);
        assert_eq!(l.unit.as_ref().unwrap().adcode, code);
        assert!(l.demo_zone, "{code}");
        assert!(
            feature_ids(&l).contains(&"demo-zone"),
            "{code}: {:?}",
            feature_ids(&l)
        );
        assert!(geo().locate_code(code).unwrap().demo_zone);
    }
    for code in ["310101", "320583", "330402"] {
        let p = interior_point(&b.units[unit_index(code)]);
        let l = locate_wgs(p);
        assert!(!l.demo_zone, "{code}");
        assert!(!feature_ids(&l).contains(&"demo-zone"), "{code}");
    }
    assert_eq!(geo().units().iter().filter(|u| u.demo_zone).count(), 3);
}

/// A town code: unambiguous when the table has one row, ambiguous (both systems listed) when
/// the MCA and NBS numberings both use it.
fn check_town(code: &str, mca_name: &str, county: &str) {
    let g = geo();
    let rows = g.codes().get_all(code);
    let c = g.locate_code(code).unwrap();
    assert_eq!(
        c.unit.as_ref().map(|u| u.adcode.as_str()),
        Some(county),
        "{code}"
    );
    assert_eq!(c.level, ecojuris::spatial::AreaLevel::Town);
    assert!(c.demo_zone);
    match rows.len() {
        1 => {
            let t = c.town.as_ref().unwrap();
            assert_eq!(t.name, mca_name);
            assert_eq!(t.system, ecojuris::spatial::CodeSystem::Mca);
            assert!(c.town_candidates.is_empty());
        }
        2 => {
            assert!(
                c.town.is_none(),
                "{code} is ambiguous but a single town came back"
            );
            assert_eq!(c.town_candidates.len(), 2);
            let systems: BTreeSet<_> = c.town_candidates.iter().map(|t| t.system).collect();
            assert_eq!(systems.len(), 2, "{code}: {:?}", c.town_candidates);
            let mca = c
                .town_candidates
                .iter()
                .find(|t| t.system == ecojuris::spatial::CodeSystem::Mca)
                .unwrap();
            assert_eq!(mca.name, mca_name);
            for r in &rows {
                assert!(
                    c.town_candidates
                        .iter()
                        .any(|t| t.name == r.name && t.system == r.system)
                );
            }
        }
        n => panic!("{code}: {n} rows"),
    }
}

#[test]
fn town_and_area_codes() {
    let g = geo();
    // 朱家角: pilot town, same code in both systems.
    let c = g.locate_code("310118102").unwrap();
    let t = c.town.as_ref().unwrap();
    assert_eq!((t.name.as_str(), t.pilot), ("朱家角镇", true));
    assert_eq!(c.unit.as_ref().unwrap().adcode, "310118");
    assert!(c.demo_zone);
    // 黎里 (MCA 320509107; NBS uses 320509107 for 七都镇).
    check_town("320509107", "黎里镇", "320509");
    let c = g.locate_code("320509107").unwrap();
    if let Some(t) = &c.town {
        assert!(t.pilot);
    }
    // 330421111: MCA 天凝镇, NBS 姚庄镇.
    check_town("330421111", "天凝镇", "330421");
    // A prefecture code: no single unit.
    let c = g.locate_code("320500").unwrap();
    assert!(c.unit.is_none());
    assert!(c.units_inside > 0);
    assert_eq!(
        c.units_inside,
        g.units()
            .iter()
            .filter(|u| u.city_adcode == "320500")
            .count()
    );
    let c = g.locate_code("310000").unwrap();
    assert_eq!(c.units_inside, 16);
    // Unknown code: error with the nearest codes.
    let e = g.locate_code("320599").unwrap_err().to_string();
    assert!(
        e.contains("320599") && e.contains("nearest known codes") && e.contains("`3205"),
        "{e}"
    );
    let e = g.locate_code("12345").unwrap_err().to_string();
    assert!(e.contains("6 digits"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// 6. Property tests and reproducibility
// ---------------------------------------------------------------------------------------------

mod props {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    use super::*;

    fn runner(cases: u32, seed: u8) -> TestRunner {
        let config = Config {
            cases,
            failure_persistence: None,
            rng_algorithm: RngAlgorithm::ChaCha,
            ..Config::default()
        };
        TestRunner::new_with_rng(
            config,
            TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
        )
    }

    fn coord() -> impl Strategy<Value = f64> {
        prop_oneof![
            proptest::num::f64::ANY,
            -200.0..200.0f64,
            110.0..130.0f64,
            25.0..40.0f64,
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(-0.0),
            Just(f64::MAX),
            Just(f64::MIN),
        ]
    }

    #[test]
    fn locate_never_panics() {
        let g = geo();
        runner(2000, 1)
            .run(&(coord(), coord()), |(x, y)| {
                for crs in Crs::ALL {
                    if let Ok(l) = g.locate(x, y, crs) {
                        prop_assert!(l.unit.is_none() || !l.outside);
                        prop_assert!(l.wgs84[0].is_finite() && l.wgs84[1].is_finite());
                    }
                    let _ = g.locate(y, x, crs);
                }
                let _ = g.unit_at(x, y);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn from_bytes_never_panics_on_arbitrary_bytes() {
        runner(2000, 2)
            .run(&proptest::collection::vec(any::<u8>(), 0..512), |bytes| {
                let _ = GeoSet::from_bytes(&bytes, "<arbitrary>");
                let mut with_magic = ecojuris::spatial::store::MAGIC.to_vec();
                with_magic.extend_from_slice(&bytes);
                let _ = GeoSet::from_bytes(&with_magic, "<arbitrary>");
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn from_bytes_never_panics_on_truncated_or_flipped_embedded_file() {
        let hlen = u32::from_le_bytes(EMBEDDED[8..12].try_into().unwrap()) as usize;
        // Flips are concentrated in the header (where parsing happens) half of the time.
        let strat = (
            0..EMBEDDED.len(),
            any::<bool>(),
            0..12 + hlen,
            0u8..8,
            any::<bool>(),
        );
        runner(300, 3)
            .run(&strat, |(cut, in_header, hpos, bit, truncate)| {
                if truncate {
                    prop_assert!(GeoSet::from_bytes(&EMBEDDED[..cut], "<cut>").is_err());
                } else {
                    let mut b = EMBEDDED.to_vec();
                    let pos = if in_header { hpos } else { cut };
                    b[pos] ^= 1 << bit;
                    let _ = GeoSet::from_bytes(&b, "<flipped>");
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn from_source_texts_never_panics() {
        let counties_ok = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adcode":"310118","name":"青浦区","level":"district","city_adcode":"310000","city_name":"上海市","province_adcode":"310000","province_name":"上海市","demo_zone":true},"geometry":{"type":"Polygon","coordinates":[[[121.0,31.0],[121.1,31.0],[121.1,31.1],[121.0,31.0]]]}}]}"#;
        let features_ok = r#"{"type":"FeatureCollection","features":[]}"#;
        let codes_ok = "adcode,name,level,parent_adcode,province_adcode,city_adcode,source\n310118,青浦区,district,310000,310000,310000,t\n";
        assert!(GeoSet::from_source_texts("t", counties_ok, features_ok, codes_ok).is_ok());
        // Arbitrary strings in each position, and mutations of the valid texts.
        let text = prop_oneof![
            any::<String>(),
            ".{0,64}",
            "[\\[\\]{}\",:0-9a-z .eE+-]{0,200}"
        ];
        runner(2000, 4)
            .run(
                &(
                    text.clone(),
                    text,
                    0usize..3,
                    any::<prop::sample::Index>(),
                    any::<prop::sample::Index>(),
                ),
                |(s, t, which, i, j)| {
                    let _ = GeoSet::from_source_texts("x", &s, &t, &s);
                    let _ = GeoSet::from_source_texts("x", counties_ok, features_ok, &s);
                    let _ = GeoSet::from_source_texts("x", counties_ok, &s, codes_ok);
                    let _ = GeoSet::from_source_texts("x", &s, features_ok, codes_ok);
                    // Splice `t` into a valid text at a char boundary.
                    let base = [counties_ok, features_ok, codes_ok][which];
                    let cuts: Vec<usize> = base
                        .char_indices()
                        .map(|(k, _)| k)
                        .chain([base.len()])
                        .collect();
                    let (a, b) = (*i.get(&cuts), *j.get(&cuts));
                    let (a, b) = (a.min(b), a.max(b));
                    let spliced = format!("{}{}{}", &base[..a], t, &base[b..]);
                    let texts = match which {
                        0 => (spliced.as_str(), features_ok, codes_ok),
                        1 => (counties_ok, spliced.as_str(), codes_ok),
                        _ => (counties_ok, features_ok, spliced.as_str()),
                    };
                    let _ = GeoSet::from_source_texts("x", texts.0, texts.1, texts.2);
                    Ok(())
                },
            )
            .unwrap();
    }
}

#[test]
fn embedded_file_round_trips() {
    let set = GeoSet::from_bytes(EMBEDDED, "<embedded>").unwrap();
    assert_eq!(set.name, "yrd-default");
    assert_eq!(set.units.len(), 305);
    assert_eq!(
        set.to_bytes(),
        EMBEDDED,
        "from_bytes → to_bytes is not the identity"
    );
}

#[test]
fn embedded_file_is_reproducible_from_the_sources() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/source");
    let mut set = GeoSet::read_source_dir(&dir).unwrap();
    set.name = "yrd-default".to_string();
    let bytes = set.to_bytes();
    if bytes != EMBEDDED {
        let embedded = GeoSet::from_bytes(EMBEDDED, "<embedded>").unwrap();
        let what = if embedded.codes_csv != set.codes_csv {
            "geodata/source/adcodes.csv differs from the embedded code table"
        } else if embedded.units != set.units || embedded.features != set.features {
            "the geometry or properties differ"
        } else {
            "the serialisation differs"
        };
        panic!(
            "geodata/yrd.ejgeo is not the compiled form of geodata/source ({what}): \
             run `cargo run --release -- geodata compile` and commit geodata/yrd.ejgeo"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 7. The command line, end to end
// ---------------------------------------------------------------------------------------------

fn ecojuris(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ecojuris"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_locate_at_text_and_json() {
    let (code, out, err) = ecojuris(&["locate", "--at", "121.12,31.15"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("310118 青浦区"), "{out}");
    assert!(out.contains("Demonstration Zone"), "{out}");
    assert!(out.contains("yrd-default@"), "{out}");

    let (code, out, err) = ecojuris(&["locate", "--at", "121.12,31.15", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "unit",
        "candidates",
        "features",
        "crs_in",
        "geodata_version",
    ] {
        assert!(v.get(key).is_some(), "missing `{key}` in {out}");
    }
    assert_eq!(v["unit"]["adcode"], "310118");
    assert_eq!(v["crs_in"], "wgs84");
    assert!(v["candidates"].is_array() && v["features"].is_array());
    assert!(
        v["geodata_version"]
            .as_str()
            .unwrap()
            .starts_with("yrd-default@")
    );

    // GCJ-02 input is converted.
    let (code, out, _) = ecojuris(&[
        "locate",
        "--at",
        "121.124,31.148",
        "--crs",
        "gcj02",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["crs_in"], "gcj02");

    // Outside: exit 1 with the nearest unit on stderr.
    let (code, out, err) = ecojuris(&["locate", "--at", "116.4,39.9"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("outside the covered area") && err.contains("nearest unit"),
        "{err}"
    );

    // Bad input: exit 2 with the value named.
    for (at, needle) in [
        ("121.12,91", "91"),
        ("abc,31", "abc"),
        ("121.12", "LON,LAT"),
        ("31.15,121.12", "swap"),
    ] {
        let (code, _, err) = ecojuris(&["locate", "--at", at]);
        assert_eq!(code, 2, "{at}: {err}");
        assert!(err.contains(needle), "{at}: {err}");
    }
    let (code, _, err) = ecojuris(&["locate", "--at", "121.12,31.15", "--crs", "utm"]);
    assert_eq!(code, 2);
    assert!(err.contains("utm"), "{err}");
    // Codes.
    let (code, out, _) = ecojuris(&["locate", "--code", "320500"]);
    assert_eq!(code, 0);
    assert!(out.contains("320500"), "{out}");
    let (code, _, err) = ecojuris(&["locate", "--code", "320599"]);
    assert_eq!(code, 2);
    assert!(err.contains("nearest known codes"), "{err}");
}

#[test]
fn cli_locate_input_file() {
    let dir = std::env::temp_dir().join(format!("ecojuris-spatial-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("pts.csv");
    let output = dir.join("out.csv");
    std::fs::write(
        &input,
        "id,lon,lat\n\
         a,121.12,31.15\n\
         b,east,31.15\n\
         c,121.2\n\
         d,116.4,39.9\n\
         e,120.25,31.2\n\
         f,121.8,31.25\n\
         g,121.12,95\n",
    )
    .unwrap();
    let (code, _, err) = ecojuris(&[
        "locate",
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "failed and outside rows give exit 1: {err}");
    let text = std::fs::read_to_string(&output).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[col("id")]).collect();
    assert_eq!(
        ids,
        ["a", "b", "c", "d", "e", "f", "g"],
        "one output row per input row, in order"
    );
    let by = |id: &str| rows.iter().find(|r| &r[col("id")] == id).unwrap();
    assert_eq!(&by("a")[col("adcode")], "310118");
    assert_eq!(&by("a")[col("status")], "ok");
    assert!(
        by("b")[col("status")].contains("error") && by("b")[col("status")].contains("east"),
        "{:?}",
        by("b")
    );
    assert!(
        by("c")[col("status")].contains("error") && by("c")[col("status")].contains("latitude"),
        "{:?}",
        by("c")
    );
    assert!(by("d")[col("status")].contains("outside"), "{:?}", by("d"));
    assert!(by("d")[col("adcode")].is_empty());
    assert!(by("e")[col("features")].contains("lake-taihu"));
    assert!(
        by("f")[col("features")].contains("yangtze-estuary") && by("f")[col("adcode")].is_empty()
    );
    assert!(by("g")[col("status")].contains("95"), "{:?}", by("g"));
    // stderr counts reconcile with the rows.
    let line = err
        .lines()
        .find(|l| l.contains("rows read"))
        .unwrap_or_else(|| panic!("no summary in {err}"));
    let num = |label: &str| -> u64 {
        let rest = &line[line
            .find(label)
            .unwrap_or_else(|| panic!("`{label}` in {line}"))
            + label.len()..];
        rest.trim()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (read, located, sea, outside, failed) = (
        num("rows read"),
        num("located"),
        num("at sea (no unit)"),
        num("outside"),
        num("failed"),
    );
    assert_eq!(read, 7, "{line}");
    assert_eq!(failed, 3, "{line}");
    assert_eq!(outside, 1, "{line}");
    assert_eq!(located, 2, "{line}");
    assert_eq!(sea, 1, "{line}");
    assert_eq!(read, located + sea + outside + failed, "{line}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compiled_file_with_an_impossible_vertex_is_refused_naming_the_unit() {
    let mut bytes = ecojuris::spatial::EMBEDDED.to_vec();
    // The first vertex of the first unit follows the header.
    let hlen = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let pos = 12 + hlen;
    bytes[pos..pos + 4].copy_from_slice(&2_000_000_000i32.to_le_bytes());
    // A deliberate edit, not corruption: recompute the trailing checksum.
    bytes.truncate(bytes.len() - 8);
    let sum = ecojuris::spatial::store::fnv1a(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    let err = ecojuris::spatial::GeoSet::from_bytes(&bytes, "bad.ejgeo")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad.ejgeo")
            && err.contains("unit `")
            && err.contains("not a longitude/latitude"),
        "{err}"
    );
}

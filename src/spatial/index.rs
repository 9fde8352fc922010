//! The point-location index: a uniform grid over the region whose cells know which shapes
//! contain their centre and which shape edges pass near them.
//!
//! # Semantics (exact)
//!
//! Coordinates are integers (vertices in microdegrees, query points snapped to nanodegrees)
//! and every predicate is evaluated exactly in `i128`. Membership is the even-odd ray-casting
//! rule with a half-open convention: a point belongs to a shape when a ray to the east crosses
//! an odd number of edges, an edge counting when exactly one of its end points lies strictly
//! north of the point and the crossing is strictly east of it. This is the exact membership of
//! the point moved by an infinitesimal `(εx, εy)` with `0 < εy ≪ εx`, so:
//!
//! - every point of the plane belongs to exactly one unit of a gap-free partition — a point
//!   exactly on a shared border belongs to the unit on its east side (north side on an
//!   east–west border);
//! - the answer never depends on which cell a query falls in.
//!
//! A query point `p` in a cell with centre `c` is classified from the centre's (precomputed)
//! membership plus the parity of the edges crossed by the segment `c → p`, using the same
//! infinitesimal shift, so both agree with a full ray cast. Cells whose centre lies on an edge
//! (never observed with the shipped data) fall back to a full ray cast.

use std::collections::HashMap;

use super::store::Ring;

/// Nanodegrees per degree.
pub const NANO: f64 = 1e9;
/// Grid cell size in nanodegrees (1/64°, about 1.5 km × 1.7 km here). Half a cell is not a
/// multiple of 1000, so cell centres never share a coordinate with a vertex.
pub(crate) const CELL: i64 = 15_625_000;
/// Metres per degree of latitude (mean, WGS-84).
pub const M_PER_DEG_LAT: f64 = 110_574.0;
/// Metres per degree of longitude at the equator.
pub const M_PER_DEG_LON: f64 = 111_320.0;

/// One edge of a shape, in nanodegrees.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    /// Start vertex.
    pub a: [i64; 2],
    /// End vertex.
    pub b: [i64; 2],
    /// The shape (unit index, or `n_units + feature index`).
    pub shape: u32,
}

/// The grid index over all shapes (units first, then features).
#[derive(Debug)]
pub struct GridIndex {
    pub(super) x0: i64,
    pub(super) y0: i64,
    pub(super) nx: usize,
    pub(super) ny: usize,
    /// Per cell: id into `sets` of the shapes containing the cell centre.
    pub(super) center_set: Vec<u32>,
    /// Interned sorted shape sets.
    pub(super) sets: Vec<Vec<u32>>,
    /// CSR offsets into `cell_edges`, `nx * ny + 1` long.
    pub(super) cell_start: Vec<u32>,
    pub(super) cell_edges: Vec<u32>,
    /// Cells that need a full ray cast.
    pub(super) slow: Vec<u32>,
    pub(super) edges: Vec<Edge>,
    /// Edge index range of each shape.
    pub(super) shape_edges: Vec<(u32, u32)>,
    pub(super) n_units: u32,
    /// Border tolerance the cell lists were built for, in metres.
    pub(super) tolerance_m: f64,
}

/// Result of an exact point query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hit {
    /// Shapes containing the point (units and features), sorted.
    pub shapes: Vec<u32>,
    /// Units whose border is within the tolerance, with the distance in metres, sorted by
    /// distance then shape. Includes the containing unit when it is near its own border.
    pub near: Vec<(u32, f64)>,
}

#[inline]
fn sign(v: i128) -> i8 {
    match v.cmp(&0) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

#[inline]
fn cross(ax: i64, ay: i64, bx: i64, by: i64) -> i128 {
    i128::from(ax) * i128::from(by) - i128::from(ay) * i128::from(bx)
}

/// Whether edge `e` toggles membership along the segment `c → p` (exact, shifted by
/// `(εx, εy)`, `0 < εy ≪ εx`).
#[inline]
pub(crate) fn crosses(c: [i64; 2], p: [i64; 2], e: &Edge) -> bool {
    let (dx, dy) = (p[0] - c[0], p[1] - c[1]);
    let tie_seg = if dy != 0 {
        dy.signum() as i8
    } else {
        -(dx.signum() as i8)
    };
    let mut sa = sign(cross(dx, dy, e.a[0] - c[0], e.a[1] - c[1]));
    if sa == 0 {
        sa = tie_seg;
    }
    let mut sb = sign(cross(dx, dy, e.b[0] - c[0], e.b[1] - c[1]));
    if sb == 0 {
        sb = tie_seg;
    }
    if sa == sb {
        return false;
    }
    let (ex, ey) = (e.b[0] - e.a[0], e.b[1] - e.a[1]);
    let tie_edge = if ey != 0 {
        -(ey.signum() as i8)
    } else {
        ex.signum() as i8
    };
    let mut tc = sign(cross(ex, ey, c[0] - e.a[0], c[1] - e.a[1]));
    if tc == 0 {
        tc = tie_edge;
    }
    let mut tp = sign(cross(ex, ey, p[0] - e.a[0], p[1] - e.a[1]));
    if tp == 0 {
        tp = tie_edge;
    }
    tc != tp
}

/// Whether the eastward ray from `p` crosses edge `e` under the half-open rule (exact).
#[inline]
pub fn ray_crosses(p: [i64; 2], e: &Edge) -> bool {
    let a_above = e.a[1] > p[1];
    let b_above = e.b[1] > p[1];
    if a_above == b_above {
        return false;
    }
    let o = sign(cross(
        e.b[0] - e.a[0],
        e.b[1] - e.a[1],
        p[0] - e.a[0],
        p[1] - e.a[1],
    ));
    // Upward edge: crossing east of p iff p is left of the edge.
    if b_above { o > 0 } else { o < 0 }
}

/// Distance in metres from `p` to segment `e`, in a local equirectangular projection around
/// `p` (error well below 0.5 % within a few kilometres).
#[inline]
pub fn edge_distance_m(p: [i64; 2], e: &Edge, kx: f64) -> f64 {
    let ax = (e.a[0] - p[0]) as f64 * kx;
    let ay = (e.a[1] - p[1]) as f64 * (M_PER_DEG_LAT / NANO);
    let bx = (e.b[0] - p[0]) as f64 * kx;
    let by = (e.b[1] - p[1]) as f64 * (M_PER_DEG_LAT / NANO);
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

/// Metres per nanodegree of longitude at latitude `lat_nano`.
#[inline]
pub fn kx_at(lat_nano: i64) -> f64 {
    ((lat_nano as f64) / NANO).to_radians().cos() * M_PER_DEG_LON / NANO
}

/// The cell lattice of a grid: origin (nanodegrees) and size in cells.
#[derive(Debug, Clone, Copy)]
struct Lattice {
    x0: i64,
    y0: i64,
    nx: usize,
    ny: usize,
}

/// Every non-degenerate edge of every shape (nanodegrees), each shape's edge range, and the
/// bounding box of the vertices `(minx, miny, maxx, maxy)`.
#[allow(clippy::type_complexity, reason = "one private builder step's results")]
fn collect_edges(shapes: &[&[Ring]]) -> (Vec<Edge>, Vec<(u32, u32)>, (i64, i64, i64, i64)) {
    let mut edges = Vec::new();
    let mut shape_edges = Vec::with_capacity(shapes.len());
    let (mut minx, mut miny, mut maxx, mut maxy) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
    for (s, rings) in shapes.iter().enumerate() {
        let start = edges.len() as u32;
        for ring in rings.iter() {
            let n = ring.len();
            for i in 0..n {
                let (Some(a), Some(b)) = (ring.get(i), ring.get((i + 1) % n)) else {
                    continue;
                };
                let a = [i64::from(a[0]) * 1000, i64::from(a[1]) * 1000];
                let b = [i64::from(b[0]) * 1000, i64::from(b[1]) * 1000];
                if a == b {
                    continue;
                }
                minx = minx.min(a[0]);
                maxx = maxx.max(a[0]);
                miny = miny.min(a[1]);
                maxy = maxy.max(a[1]);
                edges.push(Edge {
                    a,
                    b,
                    shape: s as u32,
                });
            }
        }
        shape_edges.push((start, edges.len() as u32));
    }
    if edges.is_empty() {
        (minx, miny, maxx, maxy) = (0, 0, CELL, CELL);
    }
    (edges, shape_edges, (minx, miny, maxx, maxy))
}

impl Lattice {
    /// The lattice over a bounding box with one cell of margin, its origin aligned to whole
    /// microdegrees so cell centres never coincide with vertices.
    fn around((minx, miny, maxx, maxy): (i64, i64, i64, i64)) -> Lattice {
        let margin = CELL;
        let x0 = (minx - margin).div_euclid(1000) * 1000;
        let y0 = (miny - margin).div_euclid(1000) * 1000;
        let nx = usize::try_from((maxx + margin - x0) / CELL + 1).unwrap_or(1);
        let ny = usize::try_from((maxy + margin - y0) / CELL + 1).unwrap_or(1);
        Lattice { x0, y0, nx, ny }
    }

    /// The cells `(cx0, cx1, cy0, cy1)` (inclusive) an edge touches when grown by `(gx, gy)`.
    fn cells_of(&self, e: &Edge, gx: i64, gy: i64) -> (usize, usize, usize, usize) {
        let lo_x = e.a[0].min(e.b[0]) - gx - self.x0;
        let hi_x = e.a[0].max(e.b[0]) + gx - self.x0;
        let lo_y = e.a[1].min(e.b[1]) - gy - self.y0;
        let hi_y = e.a[1].max(e.b[1]) + gy - self.y0;
        let cx0 = usize::try_from((lo_x / CELL).max(0)).unwrap_or(0);
        let cx1 = usize::try_from((hi_x / CELL).max(0))
            .unwrap_or(0)
            .min(self.nx - 1);
        let cy0 = usize::try_from((lo_y / CELL).max(0)).unwrap_or(0);
        let cy1 = usize::try_from((hi_y / CELL).max(0))
            .unwrap_or(0)
            .min(self.ny - 1);
        (cx0, cx1, cy0, cy1)
    }
}

/// Edge lists per cell in CSR form (`cell_start`, `cell_edges`): unit edges are listed in
/// every cell within `tolerance_m` of them, other shapes' edges only where they run.
fn bucket_edges(
    g: Lattice,
    edges: &[Edge],
    n_units: usize,
    tolerance_m: f64,
    max_y: i64,
) -> (Vec<u32>, Vec<u32>) {
    // Expansion for unit edges, in nanodegrees (conservative at the region's north edge).
    let max_lat = (max_y as f64 / NANO).min(60.0);
    let ex = (tolerance_m / (M_PER_DEG_LON * max_lat.to_radians().cos()) * NANO).ceil() as i64;
    let ey = (tolerance_m / M_PER_DEG_LAT * NANO).ceil() as i64;
    let range = |e: &Edge| {
        if e.shape < n_units as u32 {
            g.cells_of(e, ex, ey)
        } else {
            g.cells_of(e, 0, 0)
        }
    };
    let ncell = g.nx * g.ny;
    let mut counts = vec![0u32; ncell + 1];
    for e in edges {
        let (cx0, cx1, cy0, cy1) = range(e);
        for cy in cy0..=cy1 {
            for cx in cx0..=cx1 {
                if let Some(c) = counts.get_mut(cy * g.nx + cx) {
                    *c += 1;
                }
            }
        }
    }
    let mut cell_start = Vec::with_capacity(ncell + 1);
    let mut acc = 0u32;
    for c in &counts {
        cell_start.push(acc);
        acc += c;
    }
    let mut fill = cell_start.clone();
    let mut cell_edges = vec![0u32; acc as usize];
    for (i, e) in edges.iter().enumerate() {
        let (cx0, cx1, cy0, cy1) = range(e);
        for cy in cy0..=cy1 {
            for cx in cx0..=cx1 {
                if let Some(f) = fill.get_mut(cy * g.nx + cx) {
                    if let Some(slot) = cell_edges.get_mut(*f as usize) {
                        *slot = i as u32;
                    }
                    *f += 1;
                }
            }
        }
    }
    (cell_start, cell_edges)
}

/// Per row of cell centres, where edges cross it: `(x, shape)`.
fn row_crossings(g: Lattice, edges: &[Edge]) -> Vec<Vec<(f64, u32)>> {
    let mut row_cross: Vec<Vec<(f64, u32)>> = vec![Vec::new(); g.ny];
    let half = CELL / 2;
    for e in edges {
        let (lo, hi) = if e.a[1] < e.b[1] {
            (e.a, e.b)
        } else {
            (e.b, e.a)
        };
        if lo[1] == hi[1] {
            continue;
        }
        // Rows whose centre y satisfies lo.y <= y < hi.y  (half-open: vertex "below").
        let first = (lo[1] - g.y0 - half + CELL - 1).div_euclid(CELL).max(0);
        let last = (hi[1] - g.y0 - half - 1).div_euclid(CELL);
        let mut r = first;
        while r <= last {
            let yc = g.y0 + r * CELL + half;
            let t = (yc - lo[1]) as f64 / (hi[1] - lo[1]) as f64;
            let xc = lo[0] as f64 + t * (hi[0] - lo[0]) as f64;
            if let Some(row) = usize::try_from(r).ok().and_then(|r| row_cross.get_mut(r)) {
                row.push((xc, e.shape));
            }
            r += 1;
        }
    }
    row_cross
}

/// Which shapes contain each cell centre, by a scanline over the row crossings: an interned
/// set id per cell (`0` = none), the sets, and the cells whose centre lies on an edge (to be
/// answered exactly).
fn center_sets(g: Lattice, mut rows: Vec<Vec<(f64, u32)>>) -> (Vec<u32>, Vec<Vec<u32>>, Vec<u32>) {
    let (x0, nx, half) = (g.x0, g.nx, CELL / 2);
    let mut intern: HashMap<Vec<u32>, u32> = HashMap::new();
    let mut sets: Vec<Vec<u32>> = vec![Vec::new()];
    intern.insert(Vec::new(), 0);
    let mut center_set = vec![0u32; nx * g.ny];
    let mut slow = Vec::new();
    let mut active: Vec<u32> = Vec::new();
    for (r, row) in rows.iter_mut().enumerate() {
        row.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        active.clear();
        let mut k = 0;
        let mut current = 0u32;
        let row_base = r * nx;
        // Cells between consecutive crossings share the current set: fill them in runs.
        let mut cx = 0usize;
        while cx < nx {
            let xc = (x0 + cx as i64 * CELL + half) as f64;
            let mut changed = false;
            while let Some(&(x, s)) = row.get(k) {
                if x >= xc {
                    break;
                }
                match active.binary_search(&s) {
                    Ok(i) => {
                        active.remove(i);
                    }
                    Err(i) => active.insert(i, s),
                }
                changed = true;
                k += 1;
            }
            if changed {
                let next = sets.len() as u32;
                current = match intern.get(&active) {
                    Some(&id) => id,
                    None => {
                        intern.insert(active.clone(), next);
                        sets.push(active.clone());
                        next
                    }
                };
            }
            // The run ends at the cell whose centre lies past the next crossing.
            let end = match row.get(k) {
                Some(&(x, _)) => {
                    let last = ((x - (x0 + half) as f64) / CELL as f64).ceil();
                    (last.max(cx as f64 + 1.0) as usize).min(nx)
                }
                None => nx,
            };
            if let Some(&(x, _)) = row.get(k) {
                let kc = ((x - (x0 + half) as f64) / CELL as f64).round();
                if kc >= 0.0 {
                    let kc = kc as usize;
                    let xk = (x0 + kc as i64 * CELL + half) as f64;
                    if (x - xk).abs() < 0.01 && kc < nx {
                        slow.push((row_base + kc) as u32);
                    }
                }
            }
            if current != 0
                && let Some(run) = center_set.get_mut(row_base + cx..row_base + end)
            {
                run.fill(current);
            }
            cx = end;
        }
    }
    slow.dedup();
    slow.sort_unstable();
    (center_set, sets, slow)
}

impl GridIndex {
    /// Builds the index over `shapes` (the first `n_units` are units). Unit edges are listed in
    /// every cell within `tolerance_m` of them, so border distances are complete up to it.
    pub fn build(shapes: &[&[Ring]], n_units: usize, tolerance_m: f64) -> GridIndex {
        let (edges, shape_edges, bbox) = collect_edges(shapes);
        let g = Lattice::around(bbox);
        let (cell_start, cell_edges) = bucket_edges(g, &edges, n_units, tolerance_m, bbox.3);
        let (center_set, sets, slow) = center_sets(g, row_crossings(g, &edges));
        GridIndex {
            x0: g.x0,
            y0: g.y0,
            nx: g.nx,
            ny: g.ny,
            center_set,
            sets,
            cell_start,
            cell_edges,
            slow,
            edges,
            shape_edges,
            n_units: n_units as u32,
            tolerance_m,
        }
    }

    /// The tolerance the index was built for, in metres.
    pub fn tolerance_m(&self) -> f64 {
        self.tolerance_m
    }

    /// Bounding box of the grid, `[min_lon, min_lat, max_lon, max_lat]` in degrees.
    pub fn bbox(&self) -> [f64; 4] {
        [
            self.x0 as f64 / NANO,
            self.y0 as f64 / NANO,
            (self.x0 + self.nx as i64 * CELL) as f64 / NANO,
            (self.y0 + self.ny as i64 * CELL) as f64 / NANO,
        ]
    }

    /// All edges (for the nearest-unit search).
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// Snaps degrees to nanodegrees.
    pub fn snap(lon: f64, lat: f64) -> [i64; 2] {
        [(lon * NANO).round() as i64, (lat * NANO).round() as i64]
    }

    fn cell_of(&self, p: [i64; 2]) -> Option<usize> {
        // Checked: `snap` saturates, so far-away points reach i64::MIN / i64::MAX here.
        let dx = p[0].checked_sub(self.x0)?;
        let dy = p[1].checked_sub(self.y0)?;
        if dx < 0 || dy < 0 {
            return None;
        }
        let cx = usize::try_from(dx / CELL).ok()?;
        let cy = usize::try_from(dy / CELL).ok()?;
        if cx >= self.nx || cy >= self.ny {
            return None;
        }
        Some(cy * self.nx + cx)
    }

    /// Full exact ray cast of one shape.
    pub fn ray_cast(&self, shape: u32, p: [i64; 2]) -> bool {
        let Some(&(s, e)) = self.shape_edges.get(shape as usize) else {
            return false;
        };
        let mut inside = false;
        for edge in self.edges.get(s as usize..e as usize).unwrap_or(&[]) {
            if ray_crosses(p, edge) {
                inside = !inside;
            }
        }
        inside
    }

    /// Locates `p` (nanodegrees). `None` when `p` is outside the grid.
    /// `with_near` computes border distances (up to the build tolerance).
    pub fn query(&self, p: [i64; 2], with_near: bool, max_near_m: f64) -> Option<Hit> {
        let k = self.cell_of(p)?;
        let set = self
            .center_set
            .get(k)
            .and_then(|&s| self.sets.get(s as usize))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let s = self.cell_start.get(k).copied().unwrap_or(0) as usize;
        let e = self.cell_start.get(k + 1).copied().unwrap_or(0) as usize;
        let list = self.cell_edges.get(s..e).unwrap_or(&[]);
        let mut hit = Hit::default();
        if list.is_empty() {
            hit.shapes.extend_from_slice(set);
            return Some(hit);
        }
        let cx = (k % self.nx) as i64;
        let cy = (k / self.nx) as i64;
        let c = [
            self.x0 + cx * CELL + CELL / 2,
            self.y0 + cy * CELL + CELL / 2,
        ];
        // (shape, toggled) for every candidate shape.
        let mut cand: Vec<(u32, bool)> = set.iter().map(|&s| (s, false)).collect();
        let is_slow = self.slow.binary_search(&(k as u32)).is_ok();
        let kx = kx_at(p[1]);
        for &ei in list {
            let Some(edge) = self.edges.get(ei as usize) else {
                continue;
            };
            let slot = match cand.iter().position(|(s, _)| *s == edge.shape) {
                Some(i) => i,
                None => {
                    cand.push((edge.shape, false));
                    cand.len() - 1
                }
            };
            if !is_slow
                && crosses(c, p, edge)
                && let Some(c) = cand.get_mut(slot)
            {
                c.1 = !c.1;
            }
            if with_near && edge.shape < self.n_units {
                let d = edge_distance_m(p, edge, kx);
                if d <= max_near_m {
                    match hit.near.iter_mut().find(|(s, _)| *s == edge.shape) {
                        Some(n) => n.1 = n.1.min(d),
                        None => hit.near.push((edge.shape, d)),
                    }
                }
            }
        }
        for (shape, toggled) in cand {
            let inside = if is_slow {
                self.ray_cast(shape, p)
            } else {
                set.binary_search(&shape).is_ok() != toggled
            };
            if inside {
                hit.shapes.push(shape);
            }
        }
        hit.shapes.sort_unstable();
        hit.near
            .sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        Some(hit)
    }

    /// Number of units.
    pub fn n_units(&self) -> u32 {
        self.n_units
    }

    /// Number of grid cells and of cells needing a full ray cast (for diagnostics).
    pub fn stats(&self) -> (usize, usize, usize) {
        (self.nx * self.ny, self.cell_edges.len(), self.slow.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: i32, y0: i32, x1: i32, y1: i32) -> Vec<Ring> {
        vec![vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]]
    }

    #[test]
    fn shared_border_goes_to_exactly_one_unit() {
        // Two unit squares side by side sharing the border x = 121.0°.
        let a = square(120_000_000, 31_000_000, 121_000_000, 32_000_000);
        let b = square(121_000_000, 31_000_000, 122_000_000, 32_000_000);
        let idx = GridIndex::build(&[&a, &b], 2, 100.0);
        for lat in [31_100_000i64, 31_500_000, 31_777_777] {
            let p = [121_000_000_000, lat * 1000];
            let hit = idx.query(p, true, 100.0).unwrap();
            assert_eq!(hit.shapes, vec![1], "east side wins at {lat}");
            assert!(hit.near.iter().any(|(s, d)| *s == 0 && *d < 1e-6));
            assert!(hit.near.iter().any(|(s, d)| *s == 1 && *d < 1e-6));
        }
        // A shared vertex on the east-west border y = 32° of two stacked squares.
        let c = square(120_000_000, 32_000_000, 121_000_000, 33_000_000);
        let idx = GridIndex::build(&[&a, &c], 2, 100.0);
        let p = [120_500_000_000, 32_000_000_000];
        assert_eq!(
            idx.query(p, false, 0.0).unwrap().shapes,
            vec![1],
            "north side wins"
        );
    }

    #[test]
    fn grid_agrees_with_ray_cast() {
        // A jagged polygon with a hole.
        let outer = vec![
            [120_000_000, 30_000_000],
            [120_300_000, 30_050_001],
            [120_600_000, 30_000_000],
            [120_650_000, 30_400_000],
            [120_300_000, 30_350_000],
            [120_010_000, 30_420_000],
        ];
        let hole = vec![
            [120_200_000, 30_100_000],
            [120_250_000, 30_100_000],
            [120_250_000, 30_150_000],
        ];
        let shape = vec![outer, hole];
        let idx = GridIndex::build(&[&shape], 1, 100.0);
        let mut s: u64 = 7;
        for _ in 0..20_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let x = 119_990_000_000 + (s % 700_000_000) as i64;
            let y = 29_990_000_000 + ((s >> 32) % 450_000_000) as i64;
            let p = [x, y];
            let got = idx
                .query(p, false, 0.0)
                .is_some_and(|h| h.shapes == vec![0]);
            assert_eq!(got, idx.ray_cast(0, p), "{p:?}");
        }
    }
}

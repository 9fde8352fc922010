//! Allocation-free exact point location: a two-level refinement of [`GridIndex`].
//!
//! [`GridIndex::query`] answers every point exactly but allocates its result and tests every
//! edge listed in the point's 1/64° cell, including the edges listed only because they lie
//! within the border tolerance. [`FastIndex`] answers the same question with the same
//! semantics (same half-open even-odd rule, same border distances) without allocating:
//!
//! - one *layer* for the units and one for the features. A cell that no edge of a layer
//!   touches (and, for the units, no unit edge comes within the tolerance of) answers directly
//!   from a 32-bit word: no shape, one shape, or a precomputed set;
//! - every other cell is split into 5 × 5 sub-cells (1/320°, about 350 m). A sub-cell keeps
//!   only the edges whose bounding box touches it (for membership) and, separately, the unit
//!   edges whose bounding box expanded by the tolerance touches it (for border distances).
//!   Sub-cells with neither answer directly too, so a point farther than the tolerance from
//!   every border does no edge work at all;
//! - the membership of a sub-cell centre is derived exactly from the cell centre (the middle
//!   sub-cell's centre *is* the cell centre) by walking centre to centre and toggling the
//!   shapes whose edges the walk crosses ([`index::crosses`], the same infinitesimal shift as
//!   the query), so a query toggles from its own sub-cell centre and agrees with a full ray
//!   cast;
//! - candidate shapes of a cell are numbered (at most 64), so a query's state is one `u64`
//!   mask and its answer the lowest set bit.
//! - random-order lookups are bound by memory latency, not by instructions, so
//!   [`FastIndex::unit_at`] first reads a 16-bit copy of the unit layer's cell words
//!   (0.5 MB for the default set, which stays in a core's cache where the 32-bit words
//!   interleaved with the feature layer's take 2 MB); it holds no shape, one shape or a
//!   sub-grid number, and says when the full word must be read instead.
//!
//! Cells the structure cannot express (more than 64 candidate shapes) are marked and the
//! caller falls back to [`GridIndex::query`]. [`NearestIndex`] is an exact nearest-unit-edge
//! search (a packed bounding-volume hierarchy walked best child first with an exact lower
//! bound in the metric of [`index::edge_distance_m`]) for points in no unit.

use super::index::{self, CELL, Edge, GridIndex, M_PER_DEG_LAT, M_PER_DEG_LON, NANO};

/// Sub-cells per cell side (odd, so the middle sub-cell's centre is the cell centre).
const S: i64 = 5;
/// Sub-cell side in nanodegrees. Half of it is 1,562,500: centres never share a coordinate
/// with a (microdegree) vertex.
const SUB: i64 = CELL / S;
const NSUB: usize = (S * S) as usize;

/// Word tags: `0` no shape; `1..=VAL` one shape (value − 1); `TAG_SUB | g` sub-grid `g`;
/// `TAG_LEAF | l` leaf `l`; `GENERIC` use [`GridIndex::query`].
const VAL: u32 = 0x3fff_ffff;
const TAG_SUB: u32 = 0x4000_0000;
const TAG_LEAF: u32 = 0x8000_0000;
const GENERIC: u32 = u32::MAX;

/// Maximum number of units within the tolerance of one point in a [`Spot`].
pub const NEAR_CAP: usize = 8;

/// A sub-cell (or a whole cell) that needs more than a direct answer.
#[derive(Debug, Clone, Copy)]
struct Leaf {
    /// Bit `i`: the sub-cell centre lies in candidate shape `cands[cand + i]`.
    center: u64,
    cand: u32,
    mem: u32,
    mem_n: u32,
    near: u32,
    near_n: u32,
}

/// An edge in microdegrees (exactly the source vertices).
#[derive(Debug, Clone, Copy)]
struct MemEdge {
    a: [i32; 2],
    b: [i32; 2],
}

/// One group of shapes (the units, or the features).
#[derive(Debug, Default)]
struct Layer {
    top: Vec<u32>,
    sub: Vec<u32>,
    leaves: Vec<Leaf>,
    cands: Vec<u32>,
    mem: Vec<MemEdge>,
    mem_slot: Vec<u8>,
    near: Vec<u32>,
}

/// A point's cell: its column and row and its offset inside the cell (nanodegrees).
struct CellAt {
    k: usize,
    cx: i64,
    cy: i64,
    rx: i64,
    ry: i64,
}

/// What a layer says about a point.
enum Probe<'a> {
    /// No shape, or exactly this one (value − 1).
    Direct(u32),
    /// A leaf and the centre of the point's sub-cell.
    Leaf(&'a Leaf, [i64; 2]),
    /// Not expressible: use the general query.
    Generic,
}

/// The answer for one point, without allocation. See [`FastIndex::spot`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spot {
    /// The query point in nanodegrees (WGS-84).
    pub p: [i64; 2],
    /// The lowest-index unit containing the point.
    pub unit: Option<u32>,
    /// Whether more than one unit contains it (overlapping data; never with the shipped set).
    pub multi_unit: bool,
    /// Features containing the point: bit `i` is feature `i`.
    pub features: u64,
    near: [(u32, f64); NEAR_CAP],
    n_near: u8,
}

impl Spot {
    /// Units whose border is within the tolerance, with the distance in metres, sorted by
    /// distance then unit (the containing unit included when it is near its own border):
    /// exactly [`index::Hit::near`].
    pub fn near(&self) -> &[(u32, f64)] {
        self.near.get(..usize::from(self.n_near)).unwrap_or(&[])
    }
}

/// The allocation-free index over a [`GridIndex`].
#[derive(Debug)]
pub struct FastIndex {
    x0: i64,
    y0: i64,
    nx: usize,
    ny: usize,
    n_units: u32,
    n_features: u32,
    tolerance_m: f64,
    /// Border distances are only answered here up to this latitude (nanodegrees): north of
    /// it the tolerance expansion of the cell lists is not a bound (see `build`).
    near_max_y: i64,
    /// All edges fit the `i64` arithmetic of [`crosses64`].
    narrow: bool,
    units: Layer,
    features: Layer,
    /// Per cell, the top words of the unit and the feature layer side by side (one cache
    /// line for both).
    tops: Vec<[u32; 2]>,
    /// Per cell, the unit layer's top word in 16 bits (a quarter of `tops`, so that it
    /// stays in cache for [`FastIndex::unit_at`]): see [`short_word`].
    unit_tops: Vec<u16>,
}

/// `0x8000 | b`: sub-grid `b` in 16 bits; [`SHORT_FULL`]: read the 32-bit word.
const SHORT_SUB: u16 = 0x8000;
const SHORT_FULL: u16 = u16::MAX;

/// A unit-layer top word in 16 bits: no shape or one shape (value − 1) below
/// [`SHORT_SUB`], a sub-grid as `SHORT_SUB | b`, else [`SHORT_FULL`] (leaves, generic cells
/// and numbers too large).
fn short_word(w: u32) -> u16 {
    if w < u32::from(SHORT_SUB) {
        return w as u16;
    }
    if w != GENERIC
        && w & TAG_LEAF == 0
        && w & TAG_SUB != 0
        && (w & VAL) < u32::from(SHORT_FULL & !SHORT_SUB)
    {
        return SHORT_SUB | (w & VAL) as u16;
    }
    SHORT_FULL
}

/// The 32-bit word of a [`short_word`]; `None` for [`SHORT_FULL`].
#[inline]
fn long_word(s: u16) -> Option<u32> {
    match s {
        SHORT_FULL => None,
        s if s < SHORT_SUB => Some(u32::from(s)),
        s => Some(TAG_SUB | u32::from(s & !SHORT_SUB)),
    }
}

#[inline]
fn sgn(v: i64) -> i8 {
    (v > 0) as i8 - (v < 0) as i8
}

/// [`index::crosses`] in `i64`: exact when every coordinate difference involved is below
/// 2^30 nanodegrees (checked at build time, see [`FastIndex::narrow`]).
#[inline]
fn crosses64(c: [i64; 2], p: [i64; 2], e: &MemEdge) -> bool {
    let a = [i64::from(e.a[0]) * 1000, i64::from(e.a[1]) * 1000];
    let b = [i64::from(e.b[0]) * 1000, i64::from(e.b[1]) * 1000];
    let (dx, dy) = (p[0] - c[0], p[1] - c[1]);
    let tie_seg = if dy != 0 { sgn(dy) } else { -sgn(dx) };
    let mut sa = sgn(dx * (a[1] - c[1]) - dy * (a[0] - c[0]));
    if sa == 0 {
        sa = tie_seg;
    }
    let mut sb = sgn(dx * (b[1] - c[1]) - dy * (b[0] - c[0]));
    if sb == 0 {
        sb = tie_seg;
    }
    if sa == sb {
        return false;
    }
    let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
    let tie_edge = if ey != 0 { -sgn(ey) } else { sgn(ex) };
    let mut tc = sgn(ex * (c[1] - a[1]) - ey * (c[0] - a[0]));
    if tc == 0 {
        tc = tie_edge;
    }
    let mut tp = sgn(ex * (p[1] - a[1]) - ey * (p[0] - a[0]));
    if tp == 0 {
        tp = tie_edge;
    }
    tc != tp
}

fn to_mem(e: &Edge) -> MemEdge {
    let m = |v: i64| i32::try_from(v / 1000).unwrap_or(0);
    MemEdge {
        a: [m(e.a[0]), m(e.a[1])],
        b: [m(e.b[0]), m(e.b[1])],
    }
}

fn to_edge(e: &MemEdge) -> Edge {
    Edge {
        a: [i64::from(e.a[0]) * 1000, i64::from(e.a[1]) * 1000],
        b: [i64::from(e.b[0]) * 1000, i64::from(e.b[1]) * 1000],
        shape: 0,
    }
}

/// Tolerance expansions in nanodegrees, computed exactly as [`GridIndex::build`] does.
fn expansion(edges: &[Edge], tolerance_m: f64) -> (i64, i64, i64) {
    let maxy = edges.iter().map(|e| e.a[1]).max().unwrap_or(0);
    let max_lat = (maxy as f64 / NANO).min(60.0);
    let ex = (tolerance_m / (M_PER_DEG_LON * max_lat.to_radians().cos()) * NANO).ceil() as i64;
    let ey = (tolerance_m / M_PER_DEG_LAT * NANO).ceil() as i64;
    (ex, ey, maxy)
}

/// Per-edge work list of a layer build: (edge index, membership sub range, near sub range).
type SubRange = (usize, usize, usize, usize);

/// One edge of a layer build: its index, its membership range and its near range.
type Work = (u32, SubRange, Option<SubRange>);

/// Edge lists per sub-cell slot in compressed-sparse-row form: slot `k` lists
/// `list[start[k]..start[k + 1]]`, in edge order.
struct Csr {
    start: Vec<u32>,
    list: Vec<u32>,
}

impl Csr {
    /// Lists for `nslots` slots, all empty.
    fn empty(nslots: usize) -> Csr {
        Csr {
            start: vec![0u32; nslots + 1],
            list: Vec::new(),
        }
    }

    /// The edges listed in slot `k`.
    #[inline]
    fn at(&self, k: usize) -> &[u32] {
        let a = self.start.get(k).copied().unwrap_or(0) as usize;
        let b = self.start.get(k + 1).copied().unwrap_or(0) as usize;
        let n = self.list.len();
        self.list.get(a.min(n)..b.min(n)).unwrap_or(&[])
    }
}

/// The border cells of a layer (touched by a membership or a near range): per cell its
/// border number, `u32::MAX` for the others. Border cell `b` owns the sub-cell slots
/// `b * NSUB..(b + 1) * NSUB`.
struct Borders {
    of_cell: Vec<u32>,
    n: u32,
}

/// The bit of `shape` among the sorted candidates `cand` (none if it is not one).
#[inline]
fn bit(cand: &[u32], shape: u32) -> u64 {
    cand.binary_search(&shape).map(|i| 1u64 << i).unwrap_or(0)
}

struct Builder<'a> {
    g: &'a GridIndex,
    gx: usize,
    gy: usize,
}

impl Builder<'_> {
    /// Global sub-cell range touched by the closed box `[lo_x, hi_x] × [lo_y, hi_y]`.
    fn range(&self, lo_x: i64, hi_x: i64, lo_y: i64, hi_y: i64) -> SubRange {
        let (x0, y0) = (self.g.x0, self.g.y0);
        let cl = |v: i64, n: usize| usize::try_from(v.max(0)).unwrap_or(0).min(n - 1);
        (
            cl((lo_x - x0 - 1).div_euclid(SUB), self.gx),
            cl((hi_x - x0).div_euclid(SUB), self.gx),
            cl((lo_y - y0 - 1).div_euclid(SUB), self.gy),
            cl((hi_y - y0).div_euclid(SUB), self.gy),
        )
    }

    fn centre_of_sub(&self, sx: usize, sy: usize) -> [i64; 2] {
        [
            self.g.x0 + sx as i64 * SUB + SUB / 2,
            self.g.y0 + sy as i64 * SUB + SUB / 2,
        ]
    }

    /// Shapes of `lo..hi` containing the centre of cell `k` (exact).
    fn centre_shapes(&self, k: usize, lo: u32, hi: u32) -> Vec<u32> {
        let g = self.g;
        if g.slow.binary_search(&(k as u32)).is_ok() {
            let c = [
                g.x0 + (k % g.nx) as i64 * CELL + CELL / 2,
                g.y0 + (k / g.nx) as i64 * CELL + CELL / 2,
            ];
            return (lo..hi).filter(|&s| g.ray_cast(s, c)).collect();
        }
        self.centre_set(k)
            .iter()
            .copied()
            .filter(|s| (lo..hi).contains(s))
            .collect()
    }

    /// The grid's set of shapes containing the centre of cell `k` (not exact in a slow
    /// cell).
    fn centre_set(&self, k: usize) -> &[u32] {
        let g = self.g;
        g.center_set
            .get(k)
            .and_then(|&s| g.sets.get(s as usize))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The unit layer (`lo..hi` the units, `near` the tolerance expansion) or the feature
    /// layer (`near` `None`) over the grid: one top word per cell, and for every border cell
    /// its sub-cell words, leaves and edge lists.
    fn build_layer(&self, lo: u32, hi: u32, near: Option<(i64, i64)>) -> Layer {
        let ncell = self.g.nx * self.g.ny;
        let work = self.layer_work(lo, hi, near);
        let borders = self.borders(&work);
        let nslots = borders.n as usize * NSUB;
        let mem = self.csr(&work, &borders, |w| Some(w.1));
        let near_lists = if near.is_some() {
            self.csr(&work, &borders, |w| w.2)
        } else {
            Csr::empty(nslots)
        };
        let mut layer = Layer {
            top: vec![0u32; ncell],
            sub: vec![0u32; nslots],
            ..Layer::default()
        };
        for k in 0..ncell {
            let b = borders.of_cell.get(k).copied().unwrap_or(u32::MAX);
            let w = if b == u32::MAX {
                self.inner_cell_word(&mut layer, k, lo, hi)
            } else {
                self.border_cell_word(&mut layer, k, b, (lo, hi), &mem, &near_lists)
            };
            if let Some(t) = layer.top.get_mut(k) {
                *t = w;
            }
        }
        layer
    }

    /// The edges of shapes `lo..hi`, each with the sub-cells its bounding box touches (for
    /// membership) and, given the tolerance expansion `near`, those its expanded box touches.
    fn layer_work(&self, lo: u32, hi: u32, near: Option<(i64, i64)>) -> Vec<Work> {
        let mut work: Vec<Work> = Vec::new();
        for (i, e) in self.g.edges.iter().enumerate() {
            if !(lo..hi).contains(&e.shape) {
                continue;
            }
            let (lx, hx) = (e.a[0].min(e.b[0]), e.a[0].max(e.b[0]));
            let (ly, hy) = (e.a[1].min(e.b[1]), e.a[1].max(e.b[1]));
            let m = self.range(lx, hx, ly, hy);
            let n = near.map(|(ex, ey)| self.range(lx - ex, hx + ex, ly - ey, hy + ey));
            work.push((i as u32, m, n));
        }
        work
    }

    /// Numbers, in cell order, the cells touched by a membership or a near range.
    fn borders(&self, work: &[Work]) -> Borders {
        let s = S as usize;
        let mut of_cell = vec![u32::MAX; self.g.nx * self.g.ny];
        for (_, m, n) in work {
            let r = n.unwrap_or(*m);
            for cy in r.2 / s..=r.3 / s {
                for cx in r.0 / s..=r.1 / s {
                    if let Some(b) = of_cell.get_mut(cy * self.g.nx + cx) {
                        *b = 0;
                    }
                }
            }
        }
        let mut n = 0u32;
        for b in of_cell.iter_mut() {
            if *b == 0 {
                *b = n;
                n += 1;
            }
        }
        Borders { of_cell, n }
    }

    /// Calls `f` with the slot of every sub-cell of range `r` that lies in a border cell.
    #[inline]
    fn each_slot(&self, borders: &Borders, r: SubRange, mut f: impl FnMut(usize)) {
        let s = S as usize;
        for sy in r.2..=r.3 {
            for sx in r.0..=r.1 {
                let Some(&b) = borders.of_cell.get((sy / s) * self.g.nx + sx / s) else {
                    continue;
                };
                if b != u32::MAX {
                    f(b as usize * NSUB + (sy % s) * s + sx % s);
                }
            }
        }
    }

    /// The per-slot edge lists of the ranges `pick` gives each edge (count, prefix sums,
    /// fill: each list is in edge order).
    fn csr(
        &self,
        work: &[Work],
        borders: &Borders,
        pick: impl Fn(&Work) -> Option<SubRange>,
    ) -> Csr {
        let nslots = borders.n as usize * NSUB;
        let mut start = vec![0u32; nslots + 1];
        for w in work {
            if let Some(r) = pick(w) {
                self.each_slot(borders, r, |k| {
                    if let Some(c) = start.get_mut(k + 1) {
                        *c += 1;
                    }
                });
            }
        }
        for k in 0..nslots {
            let prev = start.get(k).copied().unwrap_or(0);
            if let Some(c) = start.get_mut(k + 1) {
                *c += prev;
            }
        }
        let mut fill = start.clone();
        let mut list = vec![0u32; start.last().copied().unwrap_or(0) as usize];
        for w in work {
            if let Some(r) = pick(w) {
                self.each_slot(borders, r, |k| {
                    if let Some(f) = fill.get_mut(k) {
                        if let Some(v) = list.get_mut(*f as usize) {
                            *v = w.0;
                        }
                        *f += 1;
                    }
                });
            }
        }
        Csr { start, list }
    }

    /// The top word of cell `k` when no edge of the layer is near: no shape or one shape
    /// straight from the grid's centre set (most cells), else a leaf of the centre shapes.
    fn inner_cell_word(&self, layer: &mut Layer, k: usize, lo: u32, hi: u32) -> u32 {
        if self.g.slow.binary_search(&(k as u32)).is_err() {
            let mut it = self.centre_set(k).iter().filter(|s| (lo..hi).contains(*s));
            if let (first, None) = (it.next(), it.next()) {
                return first.map_or(0, |s| s + 1);
            }
        }
        match self.centre_shapes(k, lo, hi).as_slice() {
            [] => 0,
            [one] => one + 1,
            many if many.len() <= 64 => {
                let cand = layer.cands.len() as u32;
                layer.cands.extend_from_slice(many);
                let leaf = layer.leaves.len() as u32;
                layer.leaves.push(Leaf {
                    center: u64::MAX >> (64 - many.len()),
                    cand,
                    mem: 0,
                    mem_n: 0,
                    near: 0,
                    near_n: 0,
                });
                TAG_LEAF | leaf
            }
            _ => GENERIC,
        }
    }

    /// The top word of border cell `k` (border number `b`, shapes `lo..hi`): its sub-cell
    /// words are written to the layer, or it is [`GENERIC`] beyond 64 candidate shapes.
    fn border_cell_word(
        &self,
        layer: &mut Layer,
        k: usize,
        b: u32,
        (lo, hi): (u32, u32),
        mem: &Csr,
        near: &Csr,
    ) -> u32 {
        let shapes = self.centre_shapes(k, lo, hi);
        let base = b as usize * NSUB;
        let Some(cand) = self.cell_candidates(&shapes, mem, base) else {
            return GENERIC;
        };
        let masks = self.sub_masks(k, base, &cand, &shapes, mem);
        let cand_start = layer.cands.len() as u32;
        layer.cands.extend_from_slice(&cand);
        for (j, &m) in masks.iter().enumerate() {
            let (lm, ln) = (mem.at(base + j), near.at(base + j));
            let w = if lm.is_empty() && ln.is_empty() && m.count_ones() <= 1 {
                if m == 0 {
                    0
                } else {
                    cand.get(m.trailing_zeros() as usize).map_or(0, |s| s + 1)
                }
            } else {
                self.push_leaf(layer, &cand, cand_start, m, lm, ln)
            };
            if let Some(v) = layer.sub.get_mut(base + j) {
                *v = w;
            }
        }
        TAG_SUB | b
    }

    /// The candidate shapes of a border cell, sorted: its centre shapes and the shapes of
    /// every membership edge of its sub-cells; `None` beyond the 64 a mask can hold.
    fn cell_candidates(&self, shapes: &[u32], mem: &Csr, base: usize) -> Option<Vec<u32>> {
        let mut cand = shapes.to_vec();
        for j in 0..NSUB {
            for &ei in mem.at(base + j) {
                if let Some(e) = self.g.edges.get(ei as usize) {
                    cand.push(e.shape);
                }
            }
        }
        cand.sort_unstable();
        cand.dedup();
        (cand.len() <= 64).then_some(cand)
    }

    /// The candidate mask of every sub-cell centre of border cell `k`: the cell centre's
    /// shapes in the middle sub-cell, then the middle row outwards, then every column
    /// outwards from the middle row, toggling along each step.
    fn sub_masks(
        &self,
        k: usize,
        base: usize,
        cand: &[u32],
        shapes: &[u32],
        mem: &Csr,
    ) -> [u64; NSUB] {
        let s = S as usize;
        let mid = s / 2;
        let origin = ((k % self.g.nx) * s, (k / self.g.nx) * s);
        let mut masks = [0u64; NSUB];
        if let Some(m) = masks.get_mut(mid * s + mid) {
            *m = shapes.iter().fold(0u64, |m, &sh| m | bit(cand, sh));
        }
        let outwards = |line: usize, along_x: bool| {
            (mid + 1..s)
                .map(|v| (v - 1, v))
                .chain((0..mid).rev().map(|v| (v + 1, v)))
                .map(move |(from, to)| {
                    if along_x {
                        ((from, line), (to, line))
                    } else {
                        ((line, from), (line, to))
                    }
                })
        };
        for (from, to) in outwards(mid, true) {
            self.walk_step(&mut masks, origin, from, to, base, cand, mem);
        }
        for x in 0..s {
            for (from, to) in outwards(x, false) {
                self.walk_step(&mut masks, origin, from, to, base, cand, mem);
            }
        }
        masks
    }

    /// One step of the centre walk of [`Builder::sub_masks`]: the mask of sub-cell `to`
    /// (`(x, y)` in the cell whose first global sub-cell is `origin`) is the mask of the
    /// adjacent `from` with the toggles between their centres.
    #[expect(
        clippy::too_many_arguments,
        reason = "one step of a walk over the cell's borrowed lists"
    )]
    #[inline]
    fn walk_step(
        &self,
        masks: &mut [u64; NSUB],
        origin: (usize, usize),
        from: (usize, usize),
        to: (usize, usize),
        base: usize,
        cand: &[u32],
        mem: &Csr,
    ) {
        let s = S as usize;
        let (jf, jt) = (from.1 * s + from.0, to.1 * s + to.0);
        let t = self.toggles(
            mem.at(base + jf),
            mem.at(base + jt),
            self.centre_of_sub(origin.0 + from.0, origin.1 + from.1),
            self.centre_of_sub(origin.0 + to.0, origin.1 + to.1),
            cand,
        );
        let m = masks.get(jf).copied().unwrap_or(0) ^ t;
        if let Some(v) = masks.get_mut(jt) {
            *v = m;
        }
    }

    /// The candidate bits toggled along the segment `ca`–`cb` between the centres of two
    /// adjacent sub-cells: the membership edges of both (`la`, `lb`, sorted), each once.
    fn toggles(&self, la: &[u32], lb: &[u32], ca: [i64; 2], cb: [i64; 2], cand: &[u32]) -> u64 {
        let mut m = 0u64;
        let (mut i, mut j) = (0, 0);
        loop {
            let next = match (la.get(i), lb.get(j)) {
                (Some(&x), Some(&y)) if x == y => {
                    i += 1;
                    j += 1;
                    x
                }
                (Some(&x), Some(&y)) if x < y => {
                    i += 1;
                    x
                }
                (Some(_), Some(&y)) => {
                    j += 1;
                    y
                }
                (Some(&x), None) => {
                    i += 1;
                    x
                }
                (None, Some(&y)) => {
                    j += 1;
                    y
                }
                (None, None) => break,
            };
            // Only an edge whose box meets the segment's box can cross it.
            if let Some(e) = self.g.edges.get(next as usize)
                && e.a[0].max(e.b[0]) >= ca[0].min(cb[0])
                && e.a[0].min(e.b[0]) <= ca[0].max(cb[0])
                && e.a[1].max(e.b[1]) >= ca[1].min(cb[1])
                && e.a[1].min(e.b[1]) <= ca[1].max(cb[1])
                && index::crosses(ca, cb, e)
            {
                m ^= bit(cand, e.shape);
            }
        }
        m
    }

    /// Pushes the leaf of a sub-cell (centre mask `m`, membership edges `lm`, near edges
    /// `ln`, candidates from `cand_start`) with its edges and returns its word.
    fn push_leaf(
        &self,
        layer: &mut Layer,
        cand: &[u32],
        cand_start: u32,
        m: u64,
        lm: &[u32],
        ln: &[u32],
    ) -> u32 {
        let leaf = Leaf {
            center: m,
            cand: cand_start,
            mem: layer.mem.len() as u32,
            mem_n: lm.len() as u32,
            near: layer.near.len() as u32,
            near_n: ln.len() as u32,
        };
        for &ei in lm {
            if let Some(e) = self.g.edges.get(ei as usize) {
                layer.mem.push(to_mem(e));
                layer
                    .mem_slot
                    .push(cand.binary_search(&e.shape).unwrap_or(0) as u8);
            }
        }
        layer.near.extend_from_slice(ln);
        let l = layer.leaves.len() as u32;
        layer.leaves.push(leaf);
        TAG_LEAF | l
    }
}

impl Layer {
    /// What the layer says about `p` in cell `at`, given the cell's top word `w`.
    #[inline]
    fn probe(&self, fi: &FastIndex, w: u32, at: &CellAt, p: [i64; 2]) -> Option<Probe<'_>> {
        if w <= VAL {
            return Some(Probe::Direct(w));
        }
        if w == GENERIC {
            return Some(Probe::Generic);
        }
        if w & TAG_LEAF != 0 {
            let leaf = self.leaves.get((w & !TAG_LEAF) as usize)?;
            return Some(Probe::Leaf(leaf, p));
        }
        let (sx, sy) = (at.rx / SUB, at.ry / SUB);
        let j = ((w & VAL) as usize) * NSUB + (sy * S + sx) as usize;
        let sw = *self.sub.get(j)?;
        if sw <= VAL {
            return Some(Probe::Direct(sw));
        }
        let leaf = self.leaves.get((sw & !TAG_LEAF) as usize)?;
        let c = [
            fi.x0 + at.cx * CELL + sx * SUB + SUB / 2,
            fi.y0 + at.cy * CELL + sy * SUB + SUB / 2,
        ];
        Some(Probe::Leaf(leaf, c))
    }

    /// Bits of the leaf's candidates containing `p`.
    #[inline]
    fn mask(&self, narrow: bool, leaf: &Leaf, c: [i64; 2], p: [i64; 2]) -> u64 {
        let mut m = leaf.center;
        let r = leaf.mem as usize..(leaf.mem + leaf.mem_n) as usize;
        let (Some(edges), Some(slots)) = (self.mem.get(r.clone()), self.mem_slot.get(r)) else {
            return m;
        };
        if narrow {
            for (e, &s) in edges.iter().zip(slots) {
                if crosses64(c, p, e) {
                    m ^= 1u64 << s;
                }
            }
        } else {
            for (e, &s) in edges.iter().zip(slots) {
                if index::crosses(c, p, &to_edge(e)) {
                    m ^= 1u64 << s;
                }
            }
        }
        m
    }

    fn cand(&self, leaf: &Leaf, bit: u32) -> Option<u32> {
        self.cands.get(leaf.cand as usize + bit as usize).copied()
    }
}

/// Outcome of [`FastIndex::spot`]: `Outside` the grid, `Generic` (use [`GridIndex::query`]),
/// or the answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spotted {
    /// Outside the grid.
    Outside,
    /// This structure cannot answer this point; [`GridIndex::query`] can.
    Generic,
    /// The answer.
    At(Spot),
}

impl FastIndex {
    /// Builds the structure over `g` (a few tens of milliseconds for the default set).
    pub fn build(g: &GridIndex) -> FastIndex {
        let b = Builder {
            g,
            gx: g.nx * S as usize,
            gy: g.ny * S as usize,
        };
        let n_shapes = g.shape_edges.len() as u32;
        let (ex, ey, maxy) = expansion(&g.edges, g.tolerance_m);
        let near = (g.tolerance_m > 0.0).then_some((ex, ey));
        // The two layers are independent: build them on two threads.
        let (units, features) = std::thread::scope(|sc| {
            let f = sc.spawn(|| b.build_layer(g.n_units, n_shapes, None));
            let u = b.build_layer(0, g.n_units, near);
            (u, f.join().ok())
        });
        let features = features.unwrap_or_else(|| b.build_layer(g.n_units, n_shapes, None));
        const LIM: i64 = 1 << 30;
        let narrow = g.edges.iter().all(|e| {
            (e.b[0] - e.a[0]).abs() < LIM - 2 * SUB && (e.b[1] - e.a[1]).abs() < LIM - 2 * SUB
        });
        FastIndex {
            x0: g.x0,
            y0: g.y0,
            nx: g.nx,
            ny: g.ny,
            n_units: g.n_units,
            n_features: n_shapes - g.n_units,
            tolerance_m: g.tolerance_m,
            near_max_y: maxy,
            narrow,
            unit_tops: units.top.iter().map(|&w| short_word(w)).collect(),
            tops: units
                .top
                .iter()
                .zip(&features.top)
                .map(|(&u, &f)| [u, f])
                .collect(),
            units: Layer {
                top: Vec::new(),
                ..units
            },
            features: Layer {
                top: Vec::new(),
                ..features
            },
        }
    }

    #[inline]
    fn cell_at(&self, p: [i64; 2]) -> Option<CellAt> {
        // Checked: `snap` saturates, so far-away points reach i64::MIN / i64::MAX here.
        let dx = p[0].checked_sub(self.x0)?;
        let dy = p[1].checked_sub(self.y0)?;
        if dx < 0 || dy < 0 {
            return None;
        }
        let (cx, cy) = (dx / CELL, dy / CELL);
        if cx >= self.nx as i64 || cy >= self.ny as i64 {
            return None;
        }
        Some(CellAt {
            k: cy as usize * self.nx + cx as usize,
            cx,
            cy,
            rx: dx - cx * CELL,
            ry: dy - cy * CELL,
        })
    }

    /// Sizes for diagnostics: (leaves, membership edge entries, near edge entries,
    /// sub-cells) of the unit layer.
    pub fn stats(&self) -> (usize, usize, usize, usize) {
        (
            self.units.leaves.len(),
            self.units.mem.len(),
            self.units.near.len(),
            self.units.sub.len(),
        )
    }

    /// The lowest-index unit containing `p` (nanodegrees), exactly as the first unit of
    /// [`GridIndex::query`]'s shapes. `Err(())` when this structure cannot answer (outside
    /// the grid, or a cell it does not express): ask [`GridIndex::query`].
    #[inline]
    #[allow(clippy::result_unit_err, reason = "the error carries no information")]
    pub fn unit_at(&self, p: [i64; 2]) -> Result<Option<u32>, ()> {
        let Some(at) = self.cell_at(p) else {
            return Ok(None);
        };
        // The 16-bit word first (it stays in cache); the 32-bit one only when it says so.
        let w = match self.unit_tops.get(at.k).copied().and_then(long_word) {
            Some(w) => w,
            None => self.tops.get(at.k).map_or(GENERIC, |t| t[0]),
        };
        match self.units.probe(self, w, &at, p) {
            None => Ok(None),
            Some(Probe::Direct(w)) => Ok(w.checked_sub(1)),
            Some(Probe::Generic) => Err(()),
            Some(Probe::Leaf(leaf, c)) => {
                let m = self.units.mask(self.narrow, leaf, c, p);
                if m == 0 {
                    Ok(None)
                } else {
                    Ok(self.units.cand(leaf, m.trailing_zeros()))
                }
            }
        }
    }

    /// Locates `p` (nanodegrees): units, features and (when `with_near`) the units within
    /// `max_near_m` of it, the same answer as [`GridIndex::query`] without allocation.
    /// `g` is the grid index this structure was built over.
    pub fn spot(&self, g: &GridIndex, p: [i64; 2], with_near: bool, max_near_m: f64) -> Spotted {
        let mut spot = Spot {
            p,
            unit: None,
            multi_unit: false,
            features: 0,
            near: [(0, 0.0); NEAR_CAP],
            n_near: 0,
        };
        let near_ok = !with_near || (max_near_m <= self.tolerance_m && p[1] <= self.near_max_y);
        if !near_ok || self.n_features > 64 {
            return Spotted::Generic;
        }
        let Some(at) = self.cell_at(p) else {
            return Spotted::Outside;
        };
        let [wu, wf] = self.tops.get(at.k).copied().unwrap_or([GENERIC; 2]);
        match self.units.probe(self, wu, &at, p) {
            None => return Spotted::Generic,
            Some(Probe::Generic) => return Spotted::Generic,
            Some(Probe::Direct(w)) => spot.unit = w.checked_sub(1),
            Some(Probe::Leaf(leaf, c)) => {
                let m = self.units.mask(self.narrow, leaf, c, p);
                if m != 0 {
                    spot.unit = self.units.cand(leaf, m.trailing_zeros());
                    spot.multi_unit = m.count_ones() > 1;
                }
                if with_near
                    && leaf.near_n > 0
                    && !self.near_into(&g.edges, leaf, p, max_near_m, &mut spot)
                {
                    return Spotted::Generic;
                }
            }
        }
        let f = |s: u32| s.checked_sub(self.n_units).map_or(0, |i| 1u64 << i);
        match self.features.probe(self, wf, &at, p) {
            None => return Spotted::Generic,
            Some(Probe::Generic) => return Spotted::Generic,
            Some(Probe::Direct(w)) => spot.features = w.checked_sub(1).map_or(0, f),
            Some(Probe::Leaf(leaf, c)) => {
                let mut m = self.features.mask(self.narrow, leaf, c, p);
                while m != 0 {
                    spot.features |= self.features.cand(leaf, m.trailing_zeros()).map_or(0, f);
                    m &= m - 1;
                }
            }
        }
        Spotted::At(spot)
    }

    /// Border distances from the leaf's near list; `false` when more than [`NEAR_CAP`] units.
    fn near_into(
        &self,
        edges: &[Edge],
        leaf: &Leaf,
        p: [i64; 2],
        max_near_m: f64,
        spot: &mut Spot,
    ) -> bool {
        let Some(list) = self
            .units
            .near
            .get(leaf.near as usize..(leaf.near + leaf.near_n) as usize)
        else {
            return true;
        };
        let kx = index::kx_at(p[1]);
        // An edge whose box is farther than `max_near_m` along one axis is farther than that
        // (the bounds are padded by a nanodegree and a relative 1e-9, far above rounding).
        let rx = (max_near_m / kx * (1.0 + 1e-9)) as i64 + 1;
        let ry = (max_near_m / (M_PER_DEG_LAT / NANO) * (1.0 + 1e-9)) as i64 + 1;
        let n = &mut spot.near;
        let mut k = 0usize;
        for &ei in list {
            let Some(e) = edges.get(ei as usize) else {
                continue;
            };
            if e.a[0].min(e.b[0]) - p[0] > rx
                || p[0] - e.a[0].max(e.b[0]) > rx
                || e.a[1].min(e.b[1]) - p[1] > ry
                || p[1] - e.a[1].max(e.b[1]) > ry
            {
                continue;
            }
            let d = index::edge_distance_m(p, e, kx);
            if d <= max_near_m {
                match n
                    .get_mut(..k)
                    .and_then(|s| s.iter_mut().find(|(s, _)| *s == e.shape))
                {
                    Some(x) => x.1 = x.1.min(d),
                    None => {
                        let Some(slot) = n.get_mut(k) else {
                            return false;
                        };
                        *slot = (e.shape, d);
                        k += 1;
                    }
                }
            }
        }
        if let Some(s) = n.get_mut(..k) {
            s.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        }
        spot.n_near = k as u8;
        true
    }
}

/// Edges per leaf and children per node of [`NearestIndex`].
const FAN: usize = 8;

/// Exact nearest-unit-edge search: unit edges in Morton order of their midpoints, grouped
/// by [`FAN`] into a packed hierarchy of bounding boxes, walked best child first with the
/// exact lower bound of a box in the metric of [`index::edge_distance_m`] at the query point.
#[derive(Debug)]
pub struct NearestIndex {
    edges: Vec<Edge>,
    /// `levels[0][i]` bounds `edges[FAN·i..]`, `levels[k][i]` bounds `levels[k−1][FAN·i..]`.
    levels: Vec<Vec<[i64; 4]>>,
}

fn morton(x: u32, y: u32) -> u64 {
    fn spread(v: u32) -> u64 {
        let mut v = u64::from(v);
        v = (v | (v << 16)) & 0x0000_ffff_0000_ffff;
        v = (v | (v << 8)) & 0x00ff_00ff_00ff_00ff;
        v = (v | (v << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
        v = (v | (v << 2)) & 0x3333_3333_3333_3333;
        v = (v | (v << 1)) & 0x5555_5555_5555_5555;
        v
    }
    spread(x) | (spread(y) << 1)
}

fn union(a: [i64; 4], b: [i64; 4]) -> [i64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

impl NearestIndex {
    /// Builds the hierarchy over the unit edges of `g`.
    pub fn build(g: &GridIndex) -> NearestIndex {
        let mut edges: Vec<Edge> = g
            .edges
            .iter()
            .filter(|e| e.shape < g.n_units)
            .copied()
            .collect();
        let (x0, y0) = (g.x0, g.y0);
        // 2^-? degree resolution is plenty for ordering: 1/2^16 of the grid extent.
        let span = (g.nx.max(g.ny) as i64 * CELL).max(1);
        let q = |v: i64, o: i64| {
            (((v - o) as i128 * 65_535) / i128::from(span)).clamp(0, 65_535) as u32
        };
        edges.sort_by_cached_key(|e| {
            morton(q((e.a[0] + e.b[0]) / 2, x0), q((e.a[1] + e.b[1]) / 2, y0))
        });
        let mut levels: Vec<Vec<[i64; 4]>> = Vec::new();
        let mut cur: Vec<[i64; 4]> = edges
            .chunks(FAN)
            .map(|c| {
                c.iter()
                    .fold([i64::MAX, i64::MAX, i64::MIN, i64::MIN], |b, e| {
                        union(
                            b,
                            [
                                e.a[0].min(e.b[0]),
                                e.a[1].min(e.b[1]),
                                e.a[0].max(e.b[0]),
                                e.a[1].max(e.b[1]),
                            ],
                        )
                    })
            })
            .collect();
        loop {
            let next: Vec<[i64; 4]> = cur
                .chunks(FAN)
                .map(|c| {
                    c.iter()
                        .fold([i64::MAX, i64::MAX, i64::MIN, i64::MIN], |b, x| {
                            union(b, *x)
                        })
                })
                .collect();
            let done = cur.len() <= FAN;
            levels.push(cur);
            if done {
                break;
            }
            cur = next;
        }
        NearestIndex { edges, levels }
    }

    /// The unit edge nearest to `p`: (metres, unit), ties to the lower unit; the same answer
    /// as a scan of every unit edge with [`index::edge_distance_m`].
    pub fn nearest(&self, p: [i64; 2]) -> Option<(f64, u32)> {
        let kx = index::kx_at(p[1]);
        let ky = M_PER_DEG_LAT / NANO;
        let lb2 = |b: &[i64; 4]| -> f64 {
            let gx = (b[0] - p[0]).max(p[0] - b[2]).max(0) as f64 * kx;
            let gy = (b[1] - p[1]).max(p[1] - b[3]).max(0) as f64 * ky;
            gx * gx + gy * gy
        };
        let mut best: Option<(f64, u32)> = None;
        // Prune a box only when its bound exceeds the best distance by a margin far above
        // the rounding of either computation, so ties are never lost.
        let beaten = |best: &Option<(f64, u32)>, l2: f64| {
            best.is_some_and(|(d, _)| l2 > d * d * (1.0 + 1e-9) + 1e-12)
        };
        const STACK: usize = 160;
        let mut stack = [(0u8, 0u32, 0f64); STACK];
        let mut top = 0usize;
        let depth = self.levels.len();
        let root = self.levels.last()?;
        let push_children = |stack: &mut [(u8, u32, f64); STACK],
                             top: &mut usize,
                             best: &Option<(f64, u32)>,
                             level: usize,
                             range: std::ops::Range<usize>|
         -> bool {
            let Some(boxes) = self.levels.get(level) else {
                return true;
            };
            let mut kids = [(0u32, 0f64); FAN];
            let mut n = 0;
            for i in range {
                if let (Some(b), Some(k)) = (boxes.get(i), kids.get_mut(n)) {
                    let l = lb2(b);
                    if !beaten(best, l) {
                        *k = (i as u32, l);
                        n += 1;
                    }
                }
            }
            let kids = kids.get_mut(..n).unwrap_or(&mut []);
            // Largest bound first, so the nearest child is popped first.
            kids.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
            for &(i, l) in kids.iter() {
                let Some(slot) = stack.get_mut(*top) else {
                    return false;
                };
                *slot = (level as u8, i, l);
                *top += 1;
            }
            true
        };
        if !push_children(&mut stack, &mut top, &best, depth - 1, 0..root.len()) {
            return None;
        }
        while top > 0 {
            top -= 1;
            let Some(&(level, i, l2)) = stack.get(top) else {
                break;
            };
            if beaten(&best, l2) {
                continue;
            }
            let i = i as usize;
            if level == 0 {
                for e in self
                    .edges
                    .get(i * FAN..((i + 1) * FAN).min(self.edges.len()))
                    .unwrap_or(&[])
                {
                    let d = index::edge_distance_m(p, e, kx);
                    if best.is_none_or(|(bd, bs)| d < bd || (d == bd && e.shape < bs)) {
                        best = Some((d, e.shape));
                    }
                }
            } else {
                let n = self.levels.get(level as usize - 1).map_or(0, Vec::len);
                if !push_children(
                    &mut stack,
                    &mut top,
                    &best,
                    level as usize - 1,
                    i * FAN..((i + 1) * FAN).min(n),
                ) {
                    return None;
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_round_trip_or_defer_to_the_full_word() {
        let words = [
            0,
            1,
            0x7ffe,
            0x7fff,
            0x8000,
            VAL,
            TAG_SUB,
            TAG_SUB | 1,
            TAG_SUB | 0x7ffe,
            TAG_SUB | 0x7fff,
            TAG_SUB | 0x1_0000,
            TAG_LEAF,
            TAG_LEAF | 3,
            GENERIC,
        ];
        for w in words {
            match long_word(short_word(w)) {
                Some(back) => assert_eq!(back, w, "{w:#x}"),
                None => assert_eq!(short_word(w), SHORT_FULL, "{w:#x}"),
            }
        }
        // Everything a 16-bit word can hold is kept in 16 bits.
        assert_ne!(short_word(0x7fff), SHORT_FULL);
        assert_ne!(short_word(TAG_SUB | 0x7ffe), SHORT_FULL);
        assert_eq!(short_word(TAG_LEAF | 3), SHORT_FULL);
        assert_eq!(short_word(GENERIC), SHORT_FULL);
    }
}

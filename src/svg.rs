//! The SVG map primitives every map of the crate draws with: the web page's region map
//! (`server::map`) and the court maps of simulation reports (`simulate::render::svg`).
//!
//! - [`bbox`]: the bounding box of rings of microdegree vertices;
//! - [`Projection`]: equirectangular, `x = (lon − lon0)·kx`, `y = (lat1 − lat)·ky` in SVG
//!   user units;
//! - two ways from rings to path data, one per kind of map: [`compact_path`] (Douglas–Peucker
//!   on a grid of tenths of a unit, relative commands: a small page) and [`pixel_path`]
//!   (vertices closer than a step to the last one dropped, absolute commands: a report figure);
//! - [`escape`]: text for an XML attribute or element.
//!
//! Sans IO; knows no geodata set, court, language or page layout.

use std::fmt::Write as _;

use crate::spatial::store::Ring;

/// The bounding box of rings, `[min_lon, min_lat, max_lon, max_lat]` in microdegrees, or
/// `None` when they have no vertex.
pub fn bbox(rings: &[Ring]) -> Option<[i32; 4]> {
    let mut b = [i32::MAX, i32::MAX, i32::MIN, i32::MIN];
    for v in rings.iter().flatten() {
        b = [
            b[0].min(v[0]),
            b[1].min(v[1]),
            b[2].max(v[0]),
            b[3].max(v[1]),
        ];
    }
    (b[0] <= b[2]).then_some(b)
}

/// The bounding box of rings in degrees, `[min_lon, min_lat, max_lon, max_lat]`; with no
/// vertex `[f64::MAX, f64::MAX, f64::MIN, f64::MIN]`, which contains nothing and leaves a
/// union unchanged.
pub fn bbox_degrees(rings: &[Ring]) -> [f64; 4] {
    bbox(rings).map_or([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b| {
        b.map(|m| f64::from(m) / 1e6)
    })
}

/// An equirectangular projection of WGS-84 degrees to SVG user units: `lon0` is the left
/// edge, `lat1` the top edge, `kx` and `ky` the units per degree of longitude and latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// Longitude at `x = 0`.
    pub lon0: f64,
    /// Latitude at `y = 0`.
    pub lat1: f64,
    /// User units per degree of longitude.
    pub kx: f64,
    /// User units per degree of latitude.
    pub ky: f64,
}

impl Projection {
    /// Projects a point in degrees.
    pub fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.lon0) * self.kx, (self.lat1 - lat) * self.ky)
    }

    /// Projects a microdegree vertex.
    pub fn vertex(&self, v: [i32; 2]) -> (f64, f64) {
        self.xy(f64::from(v[0]) / 1e6, f64::from(v[1]) / 1e6)
    }

    /// Projects a microdegree vertex to whole tenths of user units.
    pub fn tenths(&self, v: [i32; 2]) -> (i64, i64) {
        let (x, y) = self.vertex(v);
        ((x * 10.0).round() as i64, (y * 10.0).round() as i64)
    }
}

/// Escapes text for an XML (or HTML) attribute or element: `& < > " '`.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Path data of rings for a small file: each ring projected to tenths of a unit, repeated
/// points dropped, simplified by Douglas–Peucker with tolerance `eps` (user units) and written
/// as `M x yl dx dy … z` with the shortest numbers; a ring that simplifies to fewer than three
/// points is left out.
pub fn compact_path(rings: &[Ring], proj: &Projection, eps: f64) -> String {
    let mut d = String::new();
    for r in rings {
        compact_ring(&mut d, r, proj, eps * 10.0);
    }
    d
}

/// Path data of rings at a pixel's resolution: each ring projected, a vertex dropped when it
/// is less than `step` units (Manhattan distance) from the last one kept, and written as
/// `Mx y Lx y … Z` with one decimal; a ring left with fewer than three points is left out.
pub fn pixel_path(rings: &[Ring], proj: &Projection, step: f64) -> String {
    let mut d = String::new();
    for r in rings {
        let mut kept: Vec<(f64, f64)> = Vec::new();
        for v in r {
            let p = proj.vertex(*v);
            if kept
                .last()
                .is_none_or(|q| (p.0 - q.0).abs() + (p.1 - q.1).abs() >= step)
            {
                kept.push(p);
            }
        }
        if kept.len() < 3 {
            continue;
        }
        for (i, (x, y)) in kept.iter().enumerate() {
            let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
        }
        d.push('Z');
    }
    d
}

/// One ring of [`compact_path`]; `eps_tenths` is the tolerance in tenths.
fn compact_ring(out: &mut String, ring: &Ring, proj: &Projection, eps_tenths: f64) {
    let mut pts: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
    for v in ring {
        let p = proj.tenths(*v);
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    if pts.len() < 3 {
        return;
    }
    // Split the closed ring at its first vertex and the vertex farthest from it.
    let first = pts.first().copied().unwrap_or((0, 0));
    let far = pts
        .iter()
        .enumerate()
        .max_by_key(|(_, p)| (p.0 - first.0).pow(2) + (p.1 - first.1).pow(2))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let mut a = simplify(pts.get(..=far).unwrap_or(&[]), eps_tenths);
    let mut closing: Vec<(i64, i64)> = pts.get(far..).unwrap_or(&[]).to_vec();
    closing.push(first);
    let b = simplify(&closing, eps_tenths);
    a.extend(b.iter().skip(1).take(b.len().saturating_sub(2)));
    if a.len() < 3 {
        return;
    }
    write_relative(out, &a);
}

/// Writes points as `M x yl dx dy … z`, the separators only where a sign does not already
/// separate two numbers.
fn write_relative(out: &mut String, pts: &[(i64, i64)]) {
    let mut prev = (0i64, 0i64);
    for (i, p) in pts.iter().enumerate() {
        if i == 0 {
            out.push('M');
            push_tenths(out, p.0);
            out.push(' ');
            push_tenths(out, p.1);
            out.push('l');
        } else {
            let (dx, dy) = (p.0 - prev.0, p.1 - prev.1);
            if i > 1 && dx >= 0 {
                out.push(' ');
            }
            push_tenths(out, dx);
            if dy >= 0 {
                out.push(' ');
            }
            push_tenths(out, dy);
        }
        prev = *p;
    }
    out.push('z');
}

/// Writes a number of tenths compactly: `12.3`, `-.5`, `7`.
fn push_tenths(out: &mut String, t: i64) {
    let neg = t < 0;
    let a = t.unsigned_abs();
    let (int, frac) = (a / 10, a % 10);
    if neg {
        out.push('-');
    }
    if int != 0 || frac == 0 {
        let _ = write!(out, "{int}");
    }
    if frac != 0 {
        let _ = write!(out, ".{frac}");
    }
}

/// Distance of `p` from the segment `a`–`b`, in tenths.
fn seg_dist(p: (i64, i64), a: (i64, i64), b: (i64, i64)) -> f64 {
    let (px, py) = (p.0 as f64, p.1 as f64);
    let (ax, ay) = (a.0 as f64, a.1 as f64);
    let (bx, by) = (b.0 as f64, b.1 as f64);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return ((px - ax).powi(2) + (py - ay).powi(2)).sqrt();
    }
    let t = (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0);
    ((px - ax - t * dx).powi(2) + (py - ay - t * dy).powi(2)).sqrt()
}

/// Douglas–Peucker over an open polyline (iterative), keeping the end points.
fn simplify(pts: &[(i64, i64)], eps_tenths: f64) -> Vec<(i64, i64)> {
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    let last = pts.len() - 1;
    if let Some(k) = keep.first_mut() {
        *k = true;
    }
    if let Some(k) = keep.last_mut() {
        *k = true;
    }
    let mut stack = vec![(0usize, last)];
    while let Some((s, e)) = stack.pop() {
        if e <= s + 1 {
            continue;
        }
        let (Some(&a), Some(&b)) = (pts.get(s), pts.get(e)) else {
            continue;
        };
        let mut best = (0.0, s);
        for (i, p) in pts.iter().enumerate().take(e).skip(s + 1) {
            let d = seg_dist(*p, a, b);
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > eps_tenths {
            if let Some(k) = keep.get_mut(best.1) {
                *k = true;
            }
            stack.push((s, best.1));
            stack.push((best.1, e));
        }
    }
    pts.iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_format() {
        let mut s = String::new();
        for t in [123, -5, 70, 0, -10, 7] {
            push_tenths(&mut s, t);
            s.push(' ');
        }
        assert_eq!(s, "12.3 -.5 7 0 -1 .7 ");
    }

    #[test]
    fn simplify_keeps_ends_and_corners() {
        let pts = vec![(0, 0), (5, 0), (10, 0), (10, 10)];
        assert_eq!(simplify(&pts, 1.0), vec![(0, 0), (10, 0), (10, 10)]);
    }

    #[test]
    fn bbox_of_nothing_is_none() {
        assert_eq!(bbox(&[]), None);
        let r: Ring = vec![[1, 5], [3, -2], [2, 4]];
        assert_eq!(bbox(std::slice::from_ref(&r)), Some([1, -2, 3, 5]));
        assert_eq!(bbox_degrees(&[r])[1], -2e-6);
    }

    #[test]
    fn both_paths_of_a_square() {
        let sq: Ring = vec![
            [0, 0],
            [1_000_000, 0],
            [1_000_000, 1_000_000],
            [0, 1_000_000],
        ];
        let p = Projection {
            lon0: 0.0,
            lat1: 1.0,
            kx: 10.0,
            ky: 10.0,
        };
        assert_eq!(
            compact_path(std::slice::from_ref(&sq), &p, 0.1),
            "M0 10l10 0 0-10-10 0z"
        );
        assert_eq!(
            pixel_path(&[sq], &p, 0.7),
            "M0.0 10.0L10.0 10.0L10.0 0.0L0.0 0.0Z"
        );
        assert_eq!(escape("a<'b'>&\""), "a&lt;&#39;b&#39;&gt;&amp;&quot;");
    }
}

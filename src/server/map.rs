//! The region map of the web page: one SVG drawn from the loaded geodata at start-up
//! (county-level units coloured by province, sea areas, lakes, the Demonstration Zone outline),
//! simplified to about half a kilometre so the page stays small.
//!
//! Projection: equirectangular, `x = (lon − lon0)·kx`, `y = (lat1 − lat)·ky` in SVG user
//! units, with `kx = ky·cos(mid latitude)`. The four numbers are written on the `<svg>` element
//! (`data-lon0`, `data-lat1`, `data-kx`, `data-ky`) so the page can turn a click back into
//! WGS-84 longitude and latitude.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::spatial::store::Ring;
use crate::spatial::{FeatureKind, Geodata};

/// SVG user units per degree of latitude.
const KY: f64 = 100.0;
/// Douglas–Peucker tolerance in user units (≈ 0.35 km).
const EPS: f64 = 0.32;
/// Margin around the frame, in user units (the frame is already padded by [`PAD_DEG`]).
const MARGIN: f64 = 0.0;
/// Sea shown around the land, in degrees.
const PAD_DEG: f64 = 0.3;

struct Proj {
    lon0: f64,
    lat1: f64,
    kx: f64,
}

impl Proj {
    /// Projects a microdegree vertex to tenths of user units.
    fn tenths(&self, v: [i32; 2]) -> (i64, i64) {
        let lon = f64::from(v[0]) / 1e6;
        let lat = f64::from(v[1]) / 1e6;
        let x = (lon - self.lon0) * self.kx + MARGIN;
        let y = (self.lat1 - lat) * KY + MARGIN;
        ((x * 10.0).round() as i64, (y * 10.0).round() as i64)
    }
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

/// One ring as path data (`M… l… z`), or nothing when it simplifies away.
fn ring_path(out: &mut String, ring: &Ring, proj: &Proj) {
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
    let eps = EPS * 10.0;
    let mut a = simplify(pts.get(..=far).unwrap_or(&[]), eps);
    let mut closing: Vec<(i64, i64)> = pts.get(far..).unwrap_or(&[]).to_vec();
    closing.push(first);
    let b = simplify(&closing, eps);
    a.extend(b.iter().skip(1).take(b.len().saturating_sub(2)));
    if a.len() < 3 {
        return;
    }
    let mut prev = (0i64, 0i64);
    for (i, p) in a.iter().enumerate() {
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

fn rings_path(rings: &[Ring], proj: &Proj) -> String {
    let mut d = String::new();
    for r in rings {
        ring_path(&mut d, r, proj);
    }
    d
}

/// Escapes text for an XML attribute or element.
pub(crate) fn xml_escape(s: &str) -> String {
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

/// English province names by code, for labels.
fn province_en(code: &str) -> &'static str {
    match code {
        "310000" => "Shanghai",
        "320000" => "Jiangsu",
        "330000" => "Zhejiang",
        "340000" => "Anhui",
        _ => "",
    }
}

/// Draws the map of the loaded geodata.
pub(crate) fn render(geo: &Geodata) -> String {
    let set = geo.set();
    // The frame is the land (county units) plus a pad; sea areas reach 100 km offshore and
    // are clipped by the frame.
    let all = set.units.iter().map(|(_, r)| r);
    let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) =
        (i32::MAX, i32::MIN, i32::MAX, i32::MIN);
    for rings in all {
        for v in rings.iter().flatten() {
            min_lon = min_lon.min(v[0]);
            max_lon = max_lon.max(v[0]);
            min_lat = min_lat.min(v[1]);
            max_lat = max_lat.max(v[1]);
        }
    }
    if min_lon > max_lon {
        (min_lon, max_lon, min_lat, max_lat) = (0, 1, 0, 1);
    }
    let (lon0, lon1) = (
        f64::from(min_lon) / 1e6 - PAD_DEG,
        f64::from(max_lon) / 1e6 + PAD_DEG,
    );
    let (lat0, lat1) = (
        f64::from(min_lat) / 1e6 - PAD_DEG,
        f64::from(max_lat) / 1e6 + PAD_DEG,
    );
    let kx = KY * ((lat0 + lat1) / 2.0).to_radians().cos();
    let proj = Proj { lon0, lat1, kx };
    let w = ((lon1 - lon0) * kx + 2.0 * MARGIN).ceil();
    let h = ((lat1 - lat0) * KY + 2.0 * MARGIN).ceil();

    let mut s = String::with_capacity(400_000);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"map\" viewBox=\"0 0 {w} {h}\" \
         data-lon0=\"{lon0}\" data-lat1=\"{lat1}\" data-kx=\"{kx}\" data-ky=\"{KY}\" data-margin=\"{MARGIN}\" \
         role=\"img\" aria-label=\"长三角地图 / map of the Yangtze River Delta\">"
    );
    s.push_str("<g class=\"sea\">");
    for (f, rings) in &set.features {
        if f.kind.is_sea() {
            let _ = write!(s, "<path d=\"{}\"/>", rings_path(rings, &proj));
        }
    }
    s.push_str("</g><g class=\"units\">");
    // Province label anchors: mean of unit bounding-box centres.
    let mut anchors: BTreeMap<String, (f64, f64, f64, String)> = BTreeMap::new();
    for (p, rings) in &set.units {
        let unit = geo.unit(&p.adcode);
        let name_en = unit.and_then(|u| u.name_en.clone()).unwrap_or_default();
        let prov = p.province_adcode.get(..2).unwrap_or("");
        let _ = write!(
            s,
            "<path class=\"u p{prov}{dz}\" data-code=\"{code}\" data-zh=\"{zh}\" data-en=\"{en}\" d=\"{d}\"><title>{zh} {en} {code}</title></path>",
            dz = if p.demo_zone { " dz" } else { "" },
            code = xml_escape(&p.adcode),
            zh = xml_escape(&p.name),
            en = xml_escape(&name_en),
            d = rings_path(rings, &proj)
        );
        let (mut a, mut b, mut c, mut d) = (i32::MAX, i32::MIN, i32::MAX, i32::MIN);
        for v in rings.iter().flatten() {
            a = a.min(v[0]);
            b = b.max(v[0]);
            c = c.min(v[1]);
            d = d.max(v[1]);
        }
        if a <= b {
            let (x, y) = proj.tenths([(a / 2) + (b / 2), (c / 2) + (d / 2)]);
            let e = anchors.entry(p.province_adcode.clone()).or_insert((
                0.0,
                0.0,
                0.0,
                p.province_name.clone(),
            ));
            e.0 += x as f64 / 10.0;
            e.1 += y as f64 / 10.0;
            e.2 += 1.0;
        }
    }
    s.push_str("</g><g class=\"lakes\">");
    for (f, rings) in &set.features {
        if f.kind == FeatureKind::Lake {
            let _ = write!(
                s,
                "<path d=\"{}\"><title>{}</title></path>",
                rings_path(rings, &proj),
                xml_escape(f.name.split(" (").next().unwrap_or(&f.name))
            );
        }
    }
    s.push_str("</g><g class=\"zone\">");
    for (f, rings) in &set.features {
        if f.kind == FeatureKind::SpecialZone {
            let _ = write!(s, "<path d=\"{}\"/>", rings_path(rings, &proj));
        }
    }
    s.push_str("</g><g class=\"labels\" aria-hidden=\"true\">");
    for (code, (x, y, n, zh)) in &anchors {
        if *n > 0.0 {
            let (lx, ly) = (x / n, y / n);
            let _ = write!(
                s,
                "<text x=\"{lx:.1}\" y=\"{ly:.1}\" data-zh=\"{zh}\" data-en=\"{en}\">{zh}</text>",
                zh = xml_escape(zh.trim_end_matches(['省', '市'])),
                en = province_en(code)
            );
        }
    }
    s.push_str("</g><g id=\"seats\"></g><g id=\"markers\"></g></svg>");
    s
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
}

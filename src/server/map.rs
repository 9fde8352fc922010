//! The region map of the web page: one SVG drawn from the loaded geodata at start-up
//! (county-level units coloured by province, sea areas, lakes, the Demonstration Zone outline),
//! simplified to about half a kilometre so the page stays small.
//!
//! Projection: equirectangular, `x = (lon − lon0)·kx`, `y = (lat1 − lat)·ky` in SVG user
//! units, with `kx = ky·cos(mid latitude)`. The four numbers are written on the `<svg>` element
//! (`data-lon0`, `data-lat1`, `data-kx`, `data-ky`) so the page can turn a click back into
//! WGS-84 longitude and latitude. Projection, simplification, path data and escaping are the
//! primitives of [`crate::svg`], shared with the report maps.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::spatial::store::Ring;
use crate::spatial::{FeatureKind, Geodata};
pub(crate) use crate::svg::escape as xml_escape;
use crate::svg::{Projection, bbox, compact_path};

/// SVG user units per degree of latitude.
const KY: f64 = 100.0;
/// Douglas–Peucker tolerance in user units (≈ 0.35 km).
const EPS: f64 = 0.32;
/// Margin around the frame, in user units (the frame is already padded by [`PAD_DEG`]).
const MARGIN: f64 = 0.0;
/// Sea shown around the land, in degrees.
const PAD_DEG: f64 = 0.3;

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

/// Path data of rings on the page's map.
fn rings_path(rings: &[Ring], proj: &Projection) -> String {
    compact_path(rings, proj, EPS)
}

/// The projection of the page: the land (county units) plus [`PAD_DEG`] on every side, and
/// the frame's width and height in user units. Sea areas reach 100 km offshore and are
/// clipped by the frame.
fn frame(geo: &Geodata) -> (Projection, f64, f64) {
    let [min_lon, min_lat, max_lon, max_lat] = geo
        .set()
        .units
        .iter()
        .filter_map(|(_, r)| bbox(r))
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })
        .unwrap_or([0, 0, 1, 1]);
    let (lon0, lon1) = (
        f64::from(min_lon) / 1e6 - PAD_DEG,
        f64::from(max_lon) / 1e6 + PAD_DEG,
    );
    let (lat0, lat1) = (
        f64::from(min_lat) / 1e6 - PAD_DEG,
        f64::from(max_lat) / 1e6 + PAD_DEG,
    );
    let kx = KY * ((lat0 + lat1) / 2.0).to_radians().cos();
    let proj = Projection {
        lon0,
        lat1,
        kx,
        ky: KY,
    };
    let w = ((lon1 - lon0) * kx + 2.0 * MARGIN).ceil();
    let h = ((lat1 - lat0) * KY + 2.0 * MARGIN).ceil();
    (proj, w, h)
}

/// Province label anchors: sum of the unit bounding-box centres (x, y), their count and the
/// province's name, by province code.
type Anchors = BTreeMap<String, (f64, f64, f64, String)>;

/// Writes the county-level units (one `<path>` each, with codes and names for the page) and
/// returns the province label anchors.
fn write_units(s: &mut String, geo: &Geodata, proj: &Projection) -> Anchors {
    let mut anchors = Anchors::new();
    for (p, rings) in &geo.set().units {
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
            d = rings_path(rings, proj)
        );
        if let Some([a, c, b, d]) = bbox(rings) {
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
    anchors
}

/// Writes one province label at the mean of its anchors.
fn write_labels(s: &mut String, anchors: &Anchors) {
    for (code, (x, y, n, zh)) in anchors {
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
}

/// Draws the map of the loaded geodata.
pub(crate) fn render(geo: &Geodata) -> String {
    let set = geo.set();
    let (proj, w, h) = frame(geo);
    let Projection { lon0, lat1, kx, .. } = proj;
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
    let anchors = write_units(&mut s, geo, &proj);
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
    write_labels(&mut s, &anchors);
    s.push_str("</g><g id=\"seats\"></g><g id=\"markers\"></g></svg>");
    s
}

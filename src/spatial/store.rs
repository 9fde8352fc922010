//! The geodata sets: reading the human-readable source form (GeoJSON + CSV) and the compiled
//! binary form (`.ejgeo`) that the binary embeds and loads in a few milliseconds.
//!
//! Binary layout (little-endian): the 8-byte magic `EJGEO\0\0\x02` (the last byte is the format
//! version), a `u32` header length, a JSON header (set name, units and features with their
//! properties and ring lengths, the code table as CSV text), then every ring vertex as a pair of
//! `i32` microdegrees, in header order, and last the `u64` FNV-1a checksum of every byte before
//! it, checked at load so a corrupted file is refused. Coordinates in the sources are rounded to
//! 1e-6°, so the compiled form is lossless.
//!
//! A geodata set given with `--geodata` is also checked for sanity ([`GeoSet::check_extent`]):
//! every vertex within the covered region plus a margin, and a bounded index size.

use serde::{Deserialize, Serialize};

use super::codes::CodeTable;

/// Magic bytes at the start of a compiled geodata file; the last byte is the format version.
pub const MAGIC: &[u8; 8] = b"EJGEO\0\0\x02";

/// Length of the checksum that ends a compiled file.
const CHECKSUM_LEN: usize = 8;

/// The region the engine covers (Shanghai, Jiangsu, Zhejiang, Anhui and their sea areas),
/// `[min_lon, min_lat, max_lon, max_lat]` in degrees, rounded out from the embedded set.
pub const COVERED_REGION: [f64; 4] = [114.5, 26.0, 124.5, 35.5];

/// How far outside [`COVERED_REGION`] a vertex of a `--geodata` set may lie, in degrees.
pub const REGION_MARGIN_DEG: f64 = 2.0;

/// Largest number of vertices in a `--geodata` set (the embedded set has about 206,000).
pub const MAX_VERTICES: usize = 5_000_000;

/// An error while loading geodata: always names the file and, where it applies, the feature.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GeodataError {
    /// A file could not be read.
    #[error("cannot read `{path}`: {message}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        message: String,
    },
    /// A file is malformed.
    #[error("in `{path}`: {message}")]
    Malformed {
        /// The path (or `<embedded>`).
        path: String,
        /// What is wrong, naming the feature when it applies.
        message: String,
    },
}

fn malformed(path: &str, message: impl Into<String>) -> GeodataError {
    GeodataError::Malformed {
        path: path.to_string(),
        message: message.into(),
    }
}

/// The kind of a water or zone feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    /// A lake (太湖, 淀山湖).
    Lake,
    /// A special zone (the Demonstration Zone).
    SpecialZone,
    /// The Yangtze estuary water body.
    Estuary,
    /// A coastal sea area, attributed to the province whose coast is nearest.
    Sea,
}

impl FeatureKind {
    /// Whether a point in this feature is on water that lies outside county polygons and is
    /// governed as sea (maritime courts).
    pub fn is_sea(self) -> bool {
        matches!(self, FeatureKind::Sea | FeatureKind::Estuary)
    }
}

/// Properties of a county-level unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitProps {
    /// 6-digit code.
    pub adcode: String,
    /// Official Chinese name.
    pub name: String,
    /// `district`, `county_city`, `county` or `autonomous_county`.
    pub level: String,
    /// Prefecture-city code (`310000` for Shanghai districts).
    pub city_adcode: String,
    /// Prefecture-city name.
    pub city_name: String,
    /// Province code.
    pub province_adcode: String,
    /// Province name.
    pub province_name: String,
    /// Whether the unit is in the Demonstration Zone.
    pub demo_zone: bool,
}

/// Properties of a water or zone feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureProps {
    /// Stable id used by rules: `lake-taihu`, `lake-dianshan`, `demo-zone`, `yangtze-estuary`,
    /// `sea-310000`, `sea-320000`, `sea-330000`.
    pub id: String,
    /// Kind.
    pub kind: FeatureKind,
    /// Name as in the source.
    pub name: String,
    /// Whether the polygon is an approximation (not a legal boundary).
    pub approximate: bool,
    /// For sea areas: the province whose coast it is off.
    pub province_adcode: Option<String>,
    /// Provenance.
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct HeaderShape<P> {
    props: P,
    /// Vertex count of each ring, in order; polygons are even-odd over all rings.
    rings: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    name: String,
    units: Vec<HeaderShape<UnitProps>>,
    features: Vec<HeaderShape<FeatureProps>>,
    codes_csv: String,
}

/// One ring: closed implicitly (the last vertex connects to the first), `[lon, lat]` in
/// integer microdegrees.
pub type Ring = Vec<[i32; 2]>;

/// A geodata set in memory: unit and feature geometries plus the code table.
#[derive(Debug, Clone)]
pub struct GeoSet {
    /// Name of the set (`yrd-default` for the embedded one, or the directory name).
    pub name: String,
    /// County-level units with their rings.
    pub units: Vec<(UnitProps, Vec<Ring>)>,
    /// Water and zone features with their rings.
    pub features: Vec<(FeatureProps, Vec<Ring>)>,
    /// The code table as CSV text (kept to recompile and to hash).
    pub codes_csv: String,
    /// The parsed code table.
    pub codes: CodeTable,
}

fn to_micro(v: f64) -> Option<i32> {
    let m = (v * 1e6).round();
    if m.is_finite() && m.abs() < 2.0e9 {
        #[expect(clippy::cast_possible_truncation, reason = "range checked above")]
        Some(m as i32)
    } else {
        None
    }
}

fn parse_rings(
    geom: &serde_json::Value,
    path: &str,
    what: &str,
) -> Result<Vec<Ring>, GeodataError> {
    let gtype = geom.get("type").and_then(|t| t.as_str()).unwrap_or("");
    let coords = geom
        .get("coordinates")
        .ok_or_else(|| malformed(path, format!("{what}: geometry has no `coordinates`")))?;
    let polygons: Vec<&serde_json::Value> = match gtype {
        "Polygon" => vec![coords],
        "MultiPolygon" => coords
            .as_array()
            .map(|a| a.iter().collect())
            .ok_or_else(|| malformed(path, format!("{what}: `coordinates` is not an array")))?,
        other => {
            return Err(malformed(
                path,
                format!("{what}: geometry type `{other}` (expected Polygon or MultiPolygon)"),
            ));
        }
    };
    let mut rings = Vec::new();
    for poly in polygons {
        let poly = poly.as_array().ok_or_else(|| {
            malformed(path, format!("{what}: a polygon is not an array of rings"))
        })?;
        for ring in poly {
            let ring = ring
                .as_array()
                .ok_or_else(|| malformed(path, format!("{what}: a ring is not an array")))?;
            let mut out: Ring = Vec::with_capacity(ring.len());
            for pt in ring {
                let lon = pt.get(0).and_then(serde_json::Value::as_f64);
                let lat = pt.get(1).and_then(serde_json::Value::as_f64);
                let (Some(lon), Some(lat)) = (lon, lat) else {
                    return Err(malformed(
                        path,
                        format!("{what}: a vertex is not `[lon, lat]`"),
                    ));
                };
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                    return Err(malformed(
                        path,
                        format!("{what}: vertex `[{lon}, {lat}]` is not a longitude/latitude"),
                    ));
                }
                let (Some(x), Some(y)) = (to_micro(lon), to_micro(lat)) else {
                    return Err(malformed(path, format!("{what}: vertex out of range")));
                };
                // Drop repeated vertices (including the closing one).
                if out.last() != Some(&[x, y]) {
                    out.push([x, y]);
                }
            }
            if out.len() > 1 && out.first() == out.last() {
                out.pop();
            }
            if out.len() < 3 {
                return Err(malformed(
                    path,
                    format!("{what}: a ring has fewer than 3 distinct vertices"),
                ));
            }
            rings.push(out);
        }
    }
    if rings.is_empty() {
        return Err(malformed(path, format!("{what}: empty geometry")));
    }
    Ok(rings)
}

fn feature_id(
    props: &serde_json::Map<String, serde_json::Value>,
    kind: FeatureKind,
    index: usize,
) -> String {
    if let Some(id) = props.get("id").and_then(|v| v.as_str()) {
        return id.to_string();
    }
    let name = props.get("name").and_then(|v| v.as_str()).unwrap_or("");
    match kind {
        FeatureKind::Sea => format!(
            "sea-{}",
            props
                .get("province_adcode")
                .and_then(|v| v.as_str())
                .unwrap_or("unknown")
        ),
        FeatureKind::Estuary => "yangtze-estuary".to_string(),
        FeatureKind::SpecialZone => "demo-zone".to_string(),
        FeatureKind::Lake if name.starts_with("太湖") => "lake-taihu".to_string(),
        FeatureKind::Lake if name.starts_with("淀山湖") => "lake-dianshan".to_string(),
        FeatureKind::Lake => format!("lake-{index}"),
    }
}

impl GeoSet {
    /// Reads the source form: `counties.geojson`, `features.geojson` and `adcodes.csv` from
    /// `dir` (the shape of `geodata/source/`). The set is named after the directory.
    pub fn read_source_dir(dir: &std::path::Path) -> Result<GeoSet, GeodataError> {
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read_to_string(&p).map_err(|e| GeodataError::Io {
                path: p.display().to_string(),
                message: e.to_string(),
            })
        };
        let name = dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
            .unwrap_or_else(|| "custom".to_string());
        let counties = read("counties.geojson")?;
        let features = read("features.geojson")?;
        let codes = read("adcodes.csv")?;
        GeoSet::from_source_texts(&name, &counties, &features, &codes)
    }

    /// Builds a set from the three source texts.
    pub fn from_source_texts(
        name: &str,
        counties: &str,
        features: &str,
        codes_csv: &str,
    ) -> Result<GeoSet, GeodataError> {
        let units = parse_units(counties)?;
        let feats_out = parse_features(features)?;
        let codes =
            CodeTable::from_csv(codes_csv).map_err(|e| malformed("adcodes.csv", e.to_string()))?;
        for (u, _) in &units {
            if codes.get(&u.adcode).is_none() {
                return Err(malformed(
                    "adcodes.csv",
                    format!(
                        "unit `{}` {} of counties.geojson has no row",
                        u.adcode, u.name
                    ),
                ));
            }
        }
        Ok(GeoSet {
            name: name.to_string(),
            units,
            features: feats_out,
            codes_csv: codes_csv.to_string(),
            codes,
        })
    }

    /// Serializes the set into the compiled binary form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = Header {
            name: self.name.clone(),
            units: self
                .units
                .iter()
                .map(|(p, r)| HeaderShape {
                    props: p.clone(),
                    rings: r
                        .iter()
                        .map(|r| u32::try_from(r.len()).unwrap_or(0))
                        .collect(),
                })
                .collect(),
            features: self
                .features
                .iter()
                .map(|(p, r)| HeaderShape {
                    props: p.clone(),
                    rings: r
                        .iter()
                        .map(|r| u32::try_from(r.len()).unwrap_or(0))
                        .collect(),
                })
                .collect(),
            codes_csv: self.codes_csv.clone(),
        };
        let json = serde_json::to_vec(&header).unwrap_or_default();
        let mut out = Vec::with_capacity(json.len() + 2_000_000);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&u32::try_from(json.len()).unwrap_or(0).to_le_bytes());
        out.extend_from_slice(&json);
        let all = self
            .units
            .iter()
            .map(|u| &u.1)
            .chain(self.features.iter().map(|f| &f.1));
        for rings in all {
            for ring in rings {
                for [x, y] in ring {
                    out.extend_from_slice(&x.to_le_bytes());
                    out.extend_from_slice(&y.to_le_bytes());
                }
            }
        }
        let sum = fnv1a(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads the compiled binary form. `path` is only used in error messages.
    pub fn from_bytes(bytes: &[u8], path: &str) -> Result<GeoSet, GeodataError> {
        let magic = bytes
            .get(..8)
            .ok_or_else(|| malformed(path, "file is too short"))?;
        if magic != MAGIC {
            if magic.get(..7) == MAGIC.get(..7) {
                return Err(malformed(
                    path,
                    format!(
                        "compiled geodata format version {} is not supported (this build reads version {}): recompile it with `ecojuris geodata compile`",
                        magic.get(7).copied().unwrap_or(0),
                        MAGIC[7]
                    ),
                ));
            }
            return Err(malformed(
                path,
                "not a compiled ecojuris geodata file (bad magic)",
            ));
        }
        let body_len = bytes
            .len()
            .checked_sub(CHECKSUM_LEN)
            .filter(|n| *n >= 12)
            .ok_or_else(|| malformed(path, "file is too short"))?;
        let (body, sum) = bytes.split_at(body_len);
        let stored = u64::from_le_bytes(sum.try_into().unwrap_or([0; 8]));
        let actual = fnv1a(body);
        if stored != actual {
            return Err(malformed(
                path,
                format!(
                    "checksum mismatch (stored {stored:016x}, computed {actual:016x}): the file is corrupted or was edited; recompile it with `ecojuris geodata compile`"
                ),
            ));
        }
        let bytes = body;
        let len_bytes: [u8; 4] = bytes
            .get(8..12)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| malformed(path, "truncated header"))?;
        let hlen = u32::from_le_bytes(len_bytes) as usize;
        let hbytes = bytes
            .get(12..12 + hlen)
            .ok_or_else(|| malformed(path, "truncated header"))?;
        let header: Header = serde_json::from_slice(hbytes)
            .map_err(|e| malformed(path, format!("bad header: {e}")))?;
        let mut pos = 12 + hlen;
        let mut take_rings = |lens: &[u32], what: &str| -> Result<Vec<Ring>, GeodataError> {
            let mut rings = Vec::with_capacity(lens.len());
            for &n in lens {
                let n = n as usize;
                let end = pos + n * 8;
                let chunk = bytes
                    .get(pos..end)
                    .ok_or_else(|| malformed(path, format!("{what}: coordinates truncated")))?;
                let ring: Ring = chunk
                    .chunks_exact(8)
                    .map(|c| {
                        let x = i32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                        let y = i32::from_le_bytes([c[4], c[5], c[6], c[7]]);
                        [x, y]
                    })
                    .collect();
                if let Some([x, y]) = ring
                    .iter()
                    .find(|[x, y]| x.unsigned_abs() > 180_000_000 || y.unsigned_abs() > 90_000_000)
                {
                    return Err(malformed(
                        path,
                        format!(
                            "{what}: vertex `[{}, {}]` is not a longitude/latitude",
                            f64::from(*x) / 1e6,
                            f64::from(*y) / 1e6
                        ),
                    ));
                }
                if ring.len() < 3 {
                    return Err(malformed(
                        path,
                        format!("{what}: ring with fewer than 3 vertices"),
                    ));
                }
                rings.push(ring);
                pos = end;
            }
            Ok(rings)
        };
        let mut units = Vec::with_capacity(header.units.len());
        for s in header.units {
            let what = format!("unit `{}`", s.props.adcode);
            let rings = take_rings(&s.rings, &what)?;
            units.push((s.props, rings));
        }
        let mut features = Vec::with_capacity(header.features.len());
        for s in header.features {
            let what = format!("feature `{}`", s.props.id);
            let rings = take_rings(&s.rings, &what)?;
            features.push((s.props, rings));
        }
        if pos != bytes.len() {
            return Err(malformed(path, "trailing bytes after the coordinates"));
        }
        let codes = CodeTable::from_csv(&header.codes_csv)
            .map_err(|e| malformed(path, format!("code table: {e}")))?;
        Ok(GeoSet {
            name: header.name,
            units,
            features,
            codes_csv: header.codes_csv,
            codes,
        })
    }
}

impl GeoSet {
    /// Sanity checks for a geodata set given by the user: every vertex within
    /// [`COVERED_REGION`] ± [`REGION_MARGIN_DEG`] (a stray vertex at `(0, 0)` or a world-sized
    /// polygon would make the point index enormous) and at most [`MAX_VERTICES`] vertices.
    /// The errors name the file of the shape at fault: `units` (the counties), `features`
    /// (the water and sea features), or `whole` (the vertex total); for a compiled set the
    /// three are its one file.
    pub fn check_extent(
        &self,
        units: &str,
        features: &str,
        whole: &str,
    ) -> Result<(), GeodataError> {
        let [x0, y0, x1, y1] = COVERED_REGION;
        let m = REGION_MARGIN_DEG;
        let micro = |v: f64| (v * 1e6).round() as i64;
        let (lo_x, lo_y, hi_x, hi_y) = (micro(x0 - m), micro(y0 - m), micro(x1 + m), micro(y1 + m));
        let mut total = 0usize;
        let shapes = self
            .units
            .iter()
            .map(|(p, r)| (units, format!("unit `{}` {}", p.adcode, p.name), r))
            .chain(
                self.features
                    .iter()
                    .map(|(p, r)| (features, format!("feature `{}`", p.id), r)),
            );
        for (path, what, rings) in shapes {
            for ring in rings {
                total = total.saturating_add(ring.len());
                if let Some([x, y]) = ring.iter().find(|[x, y]| {
                    let (x, y) = (i64::from(*x), i64::from(*y));
                    x < lo_x || x > hi_x || y < lo_y || y > hi_y
                }) {
                    return Err(malformed(
                        path,
                        format!(
                            "{what}: vertex `[{}, {}]` is outside the covered region (longitude {} to {}, latitude {} to {}, with a margin of {m}°)",
                            f64::from(*x) / 1e6,
                            f64::from(*y) / 1e6,
                            x0 - m,
                            x1 + m,
                            y0 - m,
                            y1 + m
                        ),
                    ));
                }
            }
        }
        if total > MAX_VERTICES {
            return Err(malformed(
                whole,
                format!(
                    "{total} vertices is more than the limit of {MAX_VERTICES}: simplify the polygons"
                ),
            ));
        }
        Ok(())
    }
}

impl GeoSet {
    /// [`GeoSet::check_extent`] for a set read from the source folder `dir`: a unit's error
    /// names `counties.geojson`, a feature's `features.geojson`.
    pub fn check_source_extent(&self, dir: &std::path::Path) -> Result<(), GeodataError> {
        self.check_extent(
            &dir.join("counties.geojson").display().to_string(),
            &dir.join("features.geojson").display().to_string(),
            &dir.display().to_string(),
        )
    }
}

/// FNV-1a 64-bit hash, used to name a geodata version by its content and as the checksum of
/// the compiled form.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The county-level units of `counties.geojson`, sorted by code, duplicates refused.
fn parse_units(counties: &str) -> Result<Vec<(UnitProps, Vec<Ring>)>, GeodataError> {
    let cpath = "counties.geojson";
    let cj = parse_json(counties, cpath)?;
    let mut units = Vec::new();
    for (i, (f, props)) in geojson_features(&cj, cpath)?.into_iter().enumerate() {
        let s = |k: &str| -> Result<String, GeodataError> {
            props
                .get(k)
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .ok_or_else(|| {
                    malformed(
                        cpath,
                        format!("feature #{i}: missing string property `{k}`"),
                    )
                })
        };
        let adcode = s("adcode")?;
        let what = format!("feature #{i} (`{adcode}`)");
        let p = UnitProps {
            name: s("name")?,
            level: s("level")?,
            city_adcode: s("city_adcode")?,
            city_name: s("city_name")?,
            province_adcode: s("province_adcode")?,
            province_name: s("province_name")?,
            demo_zone: props
                .get("demo_zone")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            adcode,
        };
        let geom = f
            .get("geometry")
            .ok_or_else(|| malformed(cpath, format!("{what}: no geometry")))?;
        units.push((p, parse_rings(geom, cpath, &what)?));
    }
    units.sort_by(|a, b| a.0.adcode.cmp(&b.0.adcode));
    for w in units.windows(2) {
        if let [a, b] = w
            && a.0.adcode == b.0.adcode
        {
            return Err(malformed(cpath, format!("duplicate unit `{}`", a.0.adcode)));
        }
    }
    Ok(units)
}

/// The water, sea and special-zone features of `features.geojson`.
fn parse_features(features: &str) -> Result<Vec<(FeatureProps, Vec<Ring>)>, GeodataError> {
    let fpath = "features.geojson";
    let fj = parse_json(features, fpath)?;
    let mut feats_out = Vec::new();
    for (i, (f, props)) in geojson_features(&fj, fpath)?.into_iter().enumerate() {
        let kind_s = props.get("kind").and_then(|v| v.as_str()).unwrap_or("");
        let kind = match kind_s {
            "lake" => FeatureKind::Lake,
            "special_zone" => FeatureKind::SpecialZone,
            "estuary" => FeatureKind::Estuary,
            "sea" => FeatureKind::Sea,
            other => {
                return Err(malformed(
                    fpath,
                    format!(
                        "feature #{i}: unknown kind `{other}` (expected lake, special_zone, estuary or sea)"
                    ),
                ));
            }
        };
        let id = feature_id(props, kind, i);
        let what = format!("feature #{i} (`{id}`)");
        let p = FeatureProps {
            kind,
            name: props
                .get("name")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string(),
            approximate: props
                .get("approximate")
                .and_then(|v| v.as_bool())
                .unwrap_or(true),
            province_adcode: props
                .get("province_adcode")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            source: props
                .get("source")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string(),
            id,
        };
        let geom = f
            .get("geometry")
            .ok_or_else(|| malformed(fpath, format!("{what}: no geometry")))?;
        feats_out.push((p, parse_rings(geom, fpath, &what)?));
    }
    Ok(feats_out)
}

fn parse_json(text: &str, path: &str) -> Result<serde_json::Value, GeodataError> {
    serde_json::from_str(text).map_err(|e| malformed(path, format!("not JSON: {e}")))
}

/// The features of a GeoJSON feature collection, each with its `properties` object.
#[allow(clippy::type_complexity, reason = "borrowed pairs of one document")]
fn geojson_features<'v>(
    doc: &'v serde_json::Value,
    path: &str,
) -> Result<
    Vec<(
        &'v serde_json::Value,
        &'v serde_json::Map<String, serde_json::Value>,
    )>,
    GeodataError,
> {
    let feats = doc
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| malformed(path, "no `features` array"))?;
    feats
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let props = f
                .get("properties")
                .and_then(|p| p.as_object())
                .ok_or_else(|| malformed(path, format!("feature #{i}: no `properties`")))?;
            Ok((f, props))
        })
        .collect()
}

//! Batch rows: a CSV data row (by its header's columns) or a JSONL line → a [`Case`], with
//! the row's id. Used by `ecojuris batch`, `ecojuris simulate` and `POST /v1/batch`.

use crate::diagnostics::hint;
use crate::model::{Case, CaseKind, Date, PlaceSpec, Role};
use crate::spatial::Crs;

use super::place;

/// Where the columns of a batch CSV file are (from its header row).
#[derive(Debug, Clone, Default)]
pub struct CsvColumns {
    /// Number of header fields.
    pub width: usize,
    id: Option<usize>,
    kind: usize,
    filed_on: Option<usize>,
    lon: Option<usize>,
    lat: Option<usize>,
    crs: Option<usize>,
    code: Option<usize>,
    address: Option<usize>,
    role: Option<usize>,
    defendant_code: Option<usize>,
    defendant_lon: Option<usize>,
    defendant_lat: Option<usize>,
    incident_id: Option<usize>,
}

/// The columns a batch CSV file may have.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "filed_on",
    "lon",
    "lat",
    "crs",
    "code",
    "address",
    "role",
    "defendant_code",
    "defendant_lon",
    "defendant_lat",
    "incident_id",
];

impl CsvColumns {
    /// Reads the header row. Fails when `kind` or every place column is missing, or a column
    /// name is unknown.
    pub fn from_header<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<CsvColumns, String> {
        let names: Vec<String> = names
            .into_iter()
            .map(|n| n.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        for n in &names {
            if !CSV_COLUMNS.contains(&n.as_str()) {
                return Err(format!(
                    "unknown column `{n}`{} (known: {})",
                    hint(n, CSV_COLUMNS.iter().copied()),
                    CSV_COLUMNS.join(", ")
                ));
            }
        }
        let col = |n: &str| names.iter().position(|h| h == n);
        let Some(kind) = col("kind") else {
            return Err(format!(
                "the header has no `kind` column; found `{}`",
                names.join(",")
            ));
        };
        let c = CsvColumns {
            width: names.len(),
            id: col("id"),
            kind,
            filed_on: col("filed_on"),
            lon: col("lon"),
            lat: col("lat"),
            crs: col("crs"),
            code: col("code"),
            address: col("address"),
            role: col("role"),
            defendant_code: col("defendant_code"),
            defendant_lon: col("defendant_lon"),
            defendant_lat: col("defendant_lat"),
            incident_id: col("incident_id"),
        };
        if c.lon.is_some() != c.lat.is_some() {
            return Err("give both `lon` and `lat` columns, or neither".to_string());
        }
        if c.defendant_lon.is_some() != c.defendant_lat.is_some() {
            return Err(
                "give both `defendant_lon` and `defendant_lat` columns, or neither".to_string(),
            );
        }
        if c.lon.is_none() && c.code.is_none() && c.address.is_none() {
            return Err(format!(
                "the header needs a place: `lon,lat` (optional `crs`), `code` or `address`; found `{}`",
                names.join(",")
            ));
        }
        Ok(c)
    }

    /// The row id: the `id` column, or `line-N` when there is none or it is empty.
    pub fn id<'a>(&self, field: impl Fn(usize) -> Option<&'a str>, line: u64) -> String {
        match self.id.and_then(&field).map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => format!("line-{line}"),
        }
    }

    /// Builds the case of one data row. `field(i)` is the `i`-th field, `n` the number of
    /// fields in the row.
    pub fn case<'a>(
        &self,
        field: impl Fn(usize) -> Option<&'a str>,
        n: usize,
    ) -> Result<Case, String> {
        if n != self.width {
            let what = if n < self.width {
                "missing column(s)"
            } else {
                "extra field(s)"
            };
            return Err(format!(
                "{what}: the row has {n} field(s), the header {}",
                self.width
            ));
        }
        let get = |c: Option<usize>| c.and_then(&field).map(str::trim).filter(|s| !s.is_empty());
        let kind_s = get(Some(self.kind)).unwrap_or("");
        let kind = CaseKind::parse(kind_s).ok_or_else(|| {
            format!(
                "unknown case kind `{kind_s}`{} (expected one of {})",
                hint(kind_s, CaseKind::names()),
                CaseKind::names().collect::<Vec<_>>().join(", ")
            )
        })?;
        let filed_on = match get(self.filed_on) {
            None => None,
            Some(d) => Some(
                Date::parse(d)
                    .ok_or_else(|| format!("invalid `filed_on` `{d}` (expected YYYY-MM-DD)"))?,
            ),
        };
        let role = match get(self.role) {
            None => Role::Conduct,
            Some(r) => Role::parse(r).ok_or_else(|| {
                format!(
                    "unknown role `{r}`{} (expected one of {})",
                    hint(r, Role::names()),
                    Role::names().collect::<Vec<_>>().join(", ")
                )
            })?,
        };
        let crs = place::parse_crs_column(get(self.crs), Crs::Wgs84)?;
        // An address beside `lon,lat` or `code` is cross-checked, not a second place.
        let mut address_check = None;
        let spec = match (
            get(self.lon),
            get(self.lat),
            get(self.code),
            get(self.address),
        ) {
            (Some(lon), Some(lat), None, addr) => {
                address_check = addr.map(str::to_string);
                point("", lon, lat, crs)?
            }
            (None, None, Some(code), addr) => {
                address_check = addr.map(str::to_string);
                PlaceSpec::Code(code.to_string())
            }
            (None, None, None, Some(addr)) => PlaceSpec::Address(addr.to_string()),
            (None, None, None, None) => {
                return Err("no place: fill `lon,lat`, `code` or `address`".to_string());
            }
            (Some(_), None, _, _) | (None, Some(_), _, _) => {
                return Err("give both `lon` and `lat`".to_string());
            }
            _ => {
                return Err(
                    "give only one place: `lon,lat` or `code` (an `address` beside them is cross-checked)"
                        .to_string(),
                );
            }
        };
        let mut case = Case::simple(kind, role, spec, filed_on);
        if let Some(first) = case.places.first_mut() {
            first.address_check = address_check;
        }
        let defendant = match (
            get(self.defendant_code),
            get(self.defendant_lon),
            get(self.defendant_lat),
        ) {
            (None, None, None) => None,
            (Some(code), None, None) => Some(PlaceSpec::Code(code.to_string())),
            (None, Some(lon), Some(lat)) => Some(point("defendant_", lon, lat, crs)?),
            (Some(_), _, _) => {
                return Err(
                    "give either `defendant_code` or `defendant_lon,defendant_lat`, not both"
                        .to_string(),
                );
            }
            _ => return Err("give both `defendant_lon` and `defendant_lat`".to_string()),
        };
        if let Some(spec) = defendant {
            // Cloning the first place keeps any further place fields at their defaults.
            if let Some(mut p) = case.places.first().cloned() {
                p.role = Role::DefendantDomicile;
                p.spec = spec;
                p.address_check = None;
                case.places.push(p);
            }
        }
        case.id = get(self.id).map(str::to_string);
        case.incident_id = get(self.incident_id).map(str::to_string);
        Ok(case)
    }
}

fn point(prefix: &str, lon: &str, lat: &str, crs: Crs) -> Result<PlaceSpec, String> {
    let (lon, lat) = place::parse_columns(prefix, lon, lat, crs, true)?;
    Ok(PlaceSpec::At { lon, lat, crs })
}

/// Parses one JSONL line (a case object, the schema of `ecojuris route`). Returns the row id
/// (the case `id`, else `line-N`) and the case or the error.
pub fn case_from_jsonl(line: &str, line_no: u64) -> (String, Result<Case, String>) {
    let fallback = format!("line-{line_no}");
    if let Err(e) = super::doc::check_size(line.len(), super::doc::Kind::Line) {
        return (fallback, Err(e));
    }
    // Duplicate keys are an error, as in a case file (never last-wins).
    let value = match super::doc::json_value(line.as_bytes()) {
        Ok(v) => v,
        Err(e) => return (fallback, Err(format!("malformed JSON: {e}"))),
    };
    let id = match value.get("id") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback,
    };
    let case = crate::input::case_from_json(value, "").map_err(|e| e.to_string());
    // Impossible points are refused in `case_from_json` (`place::check_lonlat`).
    (id, case)
}

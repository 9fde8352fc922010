//! One parser for a place as users write it outside a case document: `LON,LAT` (an ASCII or a
//! full-width comma, spaces allowed), a CRS name, a number in a CSV column, and the command
//! line's "point, code or address" rule. The command line, batch rows and the HTTP API all go
//! through it, so a place means the same everywhere.

use crate::diagnostics::hint;
use crate::model::{Place, PlaceSpec, Role};
use crate::spatial::{Crs, Geodata};

/// A coordinate system by name (`wgs84`, `gcj02`, `bd09`).
pub fn parse_crs(s: &str) -> Result<Crs, String> {
    Crs::parse(s).ok_or_else(|| {
        format!(
            "unknown coordinate system `{s}`{} (expected wgs84, gcj02 or bd09)",
            hint(s, Crs::ALL.iter().map(|c| c.name()))
        )
    })
}

/// A coordinate system in a CSV `crs` column: empty means `default`.
pub fn parse_crs_column(s: Option<&str>, default: Crs) -> Result<Crs, String> {
    match s.map(str::trim) {
        None | Some("") => Ok(default),
        Some(c) => Crs::parse(c)
            .ok_or_else(|| format!("unknown crs `{c}` (expected wgs84, gcj02 or bd09)")),
    }
}

/// Splits `LON,LAT` (ASCII or full-width comma) into its two trimmed parts.
fn split_lonlat(s: &str) -> Option<(String, String)> {
    let norm = s.replace('，', ",");
    let parts: Vec<&str> = norm.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [lon, lat] => Some(((*lon).to_string(), (*lat).to_string())),
        _ => None,
    }
}

/// Parses `LON,LAT`; errors quote the text.
pub fn parse_lonlat(s: &str) -> Result<(f64, f64), String> {
    let Some((lon, lat)) = split_lonlat(s) else {
        return Err(format!(
            "invalid point `{s}`: expected `LON,LAT`, e.g. `121.12,31.15`"
        ));
    };
    let num = |v: &str, what: &str| {
        v.parse::<f64>()
            .map_err(|_| format!("invalid {what} `{v}` in point `{s}`: not a number"))
    };
    let (lonv, latv) = (num(&lon, "longitude")?, num(&lat, "latitude")?);
    check_lonlat(lonv, latv).map_err(|e| format!("invalid point `{s}`: {e}"))?;
    Ok((lonv, latv))
}

/// The one check of a point's numbers, used by every path (command-line flags, case files,
/// JSONL and CSV rows, the HTTP API, `locate`): a NaN or infinite coordinate, a latitude
/// outside ±90 or a longitude outside ±180 is an input error, never a dropped place; a point
/// that is valid once swapped says so (`did you mean `121.4,31.1`?`).
pub fn check_lonlat(lon: f64, lat: f64) -> Result<(), String> {
    let ok = |lon: f64, lat: f64| (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat);
    if !lon.is_finite() || !lat.is_finite() {
        let which = if lon.is_finite() {
            "latitude"
        } else {
            "longitude"
        };
        let v = if lon.is_finite() { lat } else { lon };
        return Err(format!("{which} `{v}` is not a finite number"));
    }
    if ok(lon, lat) {
        return Ok(());
    }
    let swap = if ok(lat, lon) {
        format!(" (did you swap longitude and latitude? did you mean `{lat},{lon}`?)")
    } else {
        String::new()
    };
    if !(-90.0..=90.0).contains(&lat) {
        Err(format!("latitude `{lat}` is outside ±90{swap}"))
    } else {
        Err(format!("longitude `{lon}` is outside ±180{swap}"))
    }
}

/// Parses the two coordinate columns of a CSV row, named `{prefix}lon` and `{prefix}lat`.
/// `checked` also refuses impossible coordinates (with the geodata's reason).
pub fn parse_columns(
    prefix: &str,
    lon: &str,
    lat: &str,
    crs: Crs,
    checked: bool,
) -> Result<(f64, f64), String> {
    let suffix = if checked { ": not a number" } else { "" };
    let lonv: f64 = lon
        .parse()
        .map_err(|_| format!("invalid longitude `{lon}` in column `{prefix}lon`{suffix}"))?;
    let latv: f64 = lat
        .parse()
        .map_err(|_| format!("invalid latitude `{lat}` in column `{prefix}lat`{suffix}"))?;
    if checked {
        check_point(lon, lat, lonv, latv, crs)?;
    }
    Ok((lonv, latv))
}

/// Refuses an impossible point (`lon`, `lat` as written, for the message).
pub fn check_point(lon: &str, lat: &str, lonv: f64, latv: f64, crs: Crs) -> Result<(), String> {
    check_lonlat(lonv, latv).map_err(|e| format!("invalid point `{lon},{lat}`: {e}"))?;
    Geodata::check_point(lonv, latv, crs)
        .map(|_| ())
        .map_err(|e| format!("invalid point `{lon},{lat}`: {e}"))
}

/// A place given on the command line: `LON,LAT` if it has a comma, a code if it is all
/// digits, an address otherwise.
pub fn place_from_flag(role: Role, v: &str, crs: Crs) -> Result<Place, String> {
    let spec = if v.contains(',') || v.contains('，') {
        let (lon, lat) = parse_lonlat(v)?;
        PlaceSpec::At { lon, lat, crs }
    } else if v.bytes().all(|b| b.is_ascii_digit()) {
        PlaceSpec::Code(v.to_string())
    } else {
        PlaceSpec::Address(v.to_string())
    };
    Ok(Place {
        role,
        spec,
        address_check: None,
    })
}

/// The HTTP API's lenient `LON,LAT`: `None` when it is not two numbers.
pub fn lonlat_opt(s: &str) -> Option<(f64, f64)> {
    let norm = s.replace('，', ",");
    let (a, b) = norm.split_once(',')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

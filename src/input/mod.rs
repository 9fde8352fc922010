//! Case documents (YAML or JSON, one object) → [`Case`], with errors that name the field,
//! the line and column, what was expected, and the closest valid name.
//!
//! Besides `rules::raw`, the only place that parses YAML.

use serde::Deserialize;

pub mod doc;
pub mod place;
pub mod row;

use crate::diagnostics::{did_you_mean, snippet};
use crate::model::{
    AdminSubject, AgencyLevel, Case, CaseKind, Date, Investigator, MaxPenalty, Place, PlaceSpec,
    Plaintiff, Role,
};
use crate::spatial::Crs;

/// A malformed case document.
///
/// Besides the message, it names the field at fault as a path into the document (`kind`,
/// `places[1].at`, `places`), for JSON and YAML alike: the HTTP API answers it as `field`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{message}", location_prefix(.origin, .line, .column))]
pub struct CaseError {
    origin: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    snippet: Option<String>,
    // Boxed: the error stays within clippy's size for an `Err` variant.
    field: Option<Box<str>>,
}

fn location_prefix(origin: &str, line: &Option<usize>, column: &Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("in `{origin}` line {l} column {c}: "),
        (Some(l), None) => format!("in `{origin}` line {l}: "),
        _ if origin.is_empty() => String::new(),
        _ => format!("in `{origin}`: "),
    }
}

impl CaseError {
    /// An error without a position.
    pub fn new(origin: &str, message: impl Into<String>) -> CaseError {
        CaseError {
            origin: origin.to_string(),
            line: None,
            column: None,
            message: message.into(),
            snippet: None,
            field: None,
        }
    }

    /// Names the field at fault (a path such as `filed_on` or `places[0]`).
    #[must_use]
    pub fn at_field(mut self, field: impl Into<String>) -> CaseError {
        self.field = Some(field.into().into_boxed_str());
        self
    }

    /// The field at fault, as a path into the document (`kind`, `places[1].at`, `places`),
    /// when one can be named.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The message without location.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The whole error (location and message) in both languages, from the error catalogue
    /// ([`crate::explain::errors`]).
    pub fn messages(&self) -> crate::model::Text {
        crate::explain::errors::text(&self.to_string())
    }

    /// 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// 1-based column, when known.
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// A source snippet with a caret, when known.
    pub fn snippet(&self) -> Option<&str> {
        self.snippet.as_deref()
    }
}

/// A string or a number (codes and ids are often written unquoted).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum StrOrNum {
    S(String),
    I(i64),
    F(f64),
}

impl StrOrNum {
    fn into_string(self) -> String {
        match self {
            StrOrNum::S(s) => s,
            StrOrNum::I(i) => i.to_string(),
            StrOrNum::F(f) => f.to_string(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    role: Role,
    at: Option<Vec<f64>>,
    code: Option<StrOrNum>,
    address: Option<String>,
    crs: Option<Crs>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    id: Option<StrOrNum>,
    kind: CaseKind,
    filed_on: Option<Date>,
    places: Vec<RawPlace>,
    defendant_agency_level: Option<AgencyLevel>,
    admin_subject: Option<AdminSubject>,
    max_penalty: Option<MaxPenalty>,
    claim_amount_cny: Option<f64>,
    parties_cross_province: Option<bool>,
    ship_source: Option<bool>,
    investigated_by: Option<Investigator>,
    brought_by: Option<Plaintiff>,
    incident_id: Option<StrOrNum>,
}

/// Adds "did you mean" to serde's "unknown field/variant `x`, expected one of `a`, `b`".
pub fn improve_serde_message(msg: &str) -> String {
    let mut msg = msg.to_string();
    // Drop serde_yaml's own " at line X column Y" suffix: we print the position ourselves.
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    for what in ["unknown field `", "unknown variant `"] {
        if let Some(start) = msg.find(what) {
            let rest = msg.get(start + what.len()..).unwrap_or("");
            let Some(end) = rest.find('`') else { continue };
            let word = rest.get(..end).unwrap_or("").to_string();
            let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
            if let Some(best) = did_you_mean(&word, expected.iter().copied()) {
                msg.push_str(&format!(" (did you mean `{best}`?)"));
            }
        }
    }
    msg
}

fn doc_error(origin: &str, text: &str, e: doc::DocError) -> CaseError {
    let text = doc::strip_bom(text);
    CaseError {
        origin: origin.to_string(),
        line: e.line,
        column: e.column,
        message: improve_serde_message(&e.message),
        snippet: e.line.zip(e.column).map(|(l, c)| snippet(text, l, c)),
        field: e.path.as_deref().map(|p| field_of(p).into_boxed_str()),
    }
}

/// The field a document path is in: a position inside a field's value is not a field of its
/// own (`places[0].at[1]` → `places[0].at`), but an item of the top-level list is
/// (`places[1]`). The case schema has lists of records only at the top (`places`).
fn field_of(path: &str) -> String {
    let mut out = path;
    if path.find('[').is_some_and(|first| {
        path.get(first..)
            .is_some_and(|rest| rest.contains('.') && path.ends_with(']'))
    }) {
        while out.ends_with(']') {
            match out.rfind('[') {
                Some(i) => out = out.get(..i).unwrap_or(out),
                None => break,
            }
        }
    }
    out.to_string()
}

/// Finds the line of the `n`-th (0-based) item of the `places` list, for positioned errors.
fn place_line(text: &str, n: usize) -> Option<usize> {
    let mut in_places = false;
    let mut count = 0usize;
    let mut indent = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("places:") || trimmed.starts_with("\"places\"") {
            in_places = true;
            continue;
        }
        if in_places {
            let ind = line.len() - trimmed.len();
            if trimmed.starts_with("- ") || trimmed == "-" || trimmed.starts_with('{') {
                if indent.is_none() {
                    indent = Some(ind);
                }
                if Some(ind) == indent {
                    if count == n {
                        return Some(i + 1);
                    }
                    count += 1;
                }
            }
        }
    }
    None
}

/// Parses a case document: JSON when it looks like JSON (first non-space character `{` or
/// `[`, or a `.json` name), YAML otherwise, within the limits of [`doc`]. `origin` names it in
/// errors (a path or `-`).
pub fn parse_case(text: &str, origin: &str) -> Result<Case, CaseError> {
    let raw: RawCase =
        doc::parse(text, origin, doc::Kind::Case).map_err(|e| doc_error(origin, text, e))?;
    let text = doc::strip_bom(text);
    case_from_raw(raw, |n| place_line(text, n), origin)
}

/// Parses a case from a JSON value (batch lines, HTTP bodies).
pub fn case_from_json(value: serde_json::Value, origin: &str) -> Result<Case, CaseError> {
    let raw: RawCase = doc::from_json_value(&value).map_err(|e| {
        let field = e.path.as_deref().map(|p| field_of(p).into_boxed_str());
        CaseError {
            field,
            ..CaseError::new(origin, improve_serde_message(&e.message))
        }
    })?;
    case_from_raw(raw, |_| None, origin)
}

/// Parses a case straight from JSON text, without a JSON tree: the fast path of batch lines.
/// Returns the case and its id (`None` when absent or empty), or `None` whenever the text
/// is not a plain case (any error, a duplicate key, a fractional id): the caller then takes
/// [`case_from_json`], whose errors and answers are the reference.
pub fn case_from_json_text(text: &str) -> Option<(Option<String>, Case)> {
    let raw: RawCase = serde_json::from_str(text).ok()?;
    let id = match &raw.id {
        None => None,
        Some(StrOrNum::S(s)) => (!s.is_empty()).then(|| s.clone()),
        Some(StrOrNum::I(i)) => Some(i.to_string()),
        Some(StrOrNum::F(_)) => return None,
    };
    Some((id, case_from_raw(raw, |_| None, "").ok()?))
}

fn case_from_raw(
    raw: RawCase,
    place_line: impl Fn(usize) -> Option<usize>,
    origin: &str,
) -> Result<Case, CaseError> {
    if raw.places.is_empty() {
        return Err(CaseError::new(
            origin,
            "`places` is empty: give at least one place with a role",
        )
        .at_field("places"));
    }
    let mut places = Vec::with_capacity(raw.places.len());
    for (i, p) in raw.places.into_iter().enumerate() {
        // `sub`: the field of the place at fault, if the error is about one.
        let err = |sub: Option<&str>, m: String| CaseError {
            origin: origin.to_string(),
            line: place_line(i),
            column: None,
            message: format!("place #{} (`{}`): {m}", i + 1, p.role),
            snippet: None,
            field: Some(
                match sub {
                    Some(f) => format!("places[{i}].{f}"),
                    None => format!("places[{i}]"),
                }
                .into_boxed_str(),
            ),
        };
        let primary = usize::from(p.at.is_some()) + usize::from(p.code.is_some());
        if primary > 1 || (primary == 0 && p.address.is_none()) {
            return Err(err(
                None,
                format!(
                    "give exactly one of `at`, `code` or `address` (found {}); an `address` may accompany `at` or `code` as a cross-check",
                    if primary == 0 {
                        "none".to_string()
                    } else {
                        "both `at` and `code`".to_string()
                    }
                ),
            ));
        }
        let address_check = if primary == 1 {
            p.address.clone()
        } else {
            None
        };
        let spec = if let Some(at) = p.at {
            let [lon, lat] = at.as_slice() else {
                return Err(err(
                    Some("at"),
                    format!("`at` must be `[lon, lat]`, found {} numbers", at.len()),
                ));
            };
            // One check for every path (case files, JSONL rows, the HTTP API).
            place::check_lonlat(*lon, *lat)
                .map_err(|e| err(None, format!("invalid point `[{lon}, {lat}]`: {e}")))?;
            PlaceSpec::At {
                lon: *lon,
                lat: *lat,
                crs: p.crs.unwrap_or_default(),
            }
        } else if let Some(code) = p.code.clone() {
            if p.crs.is_some() {
                return Err(err(Some("crs"), "`crs` applies to `at` only".to_string()));
            }
            PlaceSpec::Code(code.into_string().trim().to_string())
        } else {
            if p.crs.is_some() {
                return Err(err(Some("crs"), "`crs` applies to `at` only".to_string()));
            }
            PlaceSpec::Address(p.address.unwrap_or_default())
        };
        places.push(Place {
            role: p.role,
            spec,
            address_check,
        });
    }
    if let Some(c) = raw.claim_amount_cny
        && (!c.is_finite() || c < 0.0)
    {
        return Err(CaseError::new(
            origin,
            format!("`claim_amount_cny` must be a non-negative number, found `{c}`"),
        )
        .at_field("claim_amount_cny"));
    }
    Ok(Case {
        id: raw.id.map(StrOrNum::into_string),
        kind: raw.kind,
        filed_on: raw.filed_on,
        places,
        defendant_agency_level: raw.defendant_agency_level,
        admin_subject: raw.admin_subject,
        max_penalty: raw.max_penalty,
        claim_amount_cny: raw.claim_amount_cny,
        parties_cross_province: raw.parties_cross_province,
        ship_source: raw.ship_source.unwrap_or(false),
        investigated_by: raw.investigated_by,
        brought_by: raw.brought_by,
        incident_id: raw.incident_id.map(StrOrNum::into_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_issue_example() {
        let text = "id: demo-1\nkind: civil\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, at: [120.92, 31.11], crs: wgs84}\n  - {role: result, code: \"310118\"}\nship_source: false\n";
        let c = parse_case(text, "x.yaml").unwrap();
        assert_eq!(c.kind, CaseKind::Civil);
        assert_eq!(c.places.len(), 2);
        assert_eq!(c.filed_on.unwrap().to_string(), "2024-05-01");
    }

    #[test]
    fn unknown_kind_suggests_and_locates() {
        let text = "kind: civl\nplaces:\n  - {role: conduct, code: \"310118\"}\n";
        let e = parse_case(text, "x.yaml").unwrap_err();
        assert_eq!(e.line(), Some(1));
        assert!(e.to_string().contains("did you mean `civil`?"), "{e}");
    }

    #[test]
    fn unknown_key_suggests() {
        let text =
            "kind: civil\nfiled_onn: 2024-01-01\nplaces:\n  - {role: conduct, code: \"310118\"}\n";
        let e = parse_case(text, "x.yaml").unwrap_err();
        assert!(e.to_string().contains("did you mean `filed_on`?"), "{e}");
        assert_eq!(e.line(), Some(2));
    }

    #[test]
    fn place_with_two_locations_names_the_place() {
        let text = "kind: civil\nplaces:\n  - {role: conduct, code: \"310118\"}\n  - {role: result, code: \"310118\", at: [1, 2]}\n";
        let e = parse_case(text, "x.yaml").unwrap_err();
        assert!(e.to_string().contains("place #2"), "{e}");
        assert_eq!(e.line(), Some(4));
    }

    #[test]
    fn json_works_too() {
        let text = r#"{"kind": "criminal", "places": [{"role": "conduct", "code": 310118}]}"#;
        let c = parse_case(text, "x.json").unwrap();
        assert_eq!(c.places[0].spec, PlaceSpec::Code("310118".into()));
    }
}

//! Naming the JSON field at fault: for a syntax error, the path being read where the parser
//! stopped; for a case that does not fit the schema, the first field whose value has the wrong
//! type or an unknown name. Paths read `kind`, `places[1].at`.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::{
    AdminSubject, AgencyLevel, CaseKind, Date, Investigator, MaxPenalty, Plaintiff, Role,
};
use crate::spatial::Crs;

enum Frame {
    Obj {
        key: Option<String>,
        expect_key: bool,
    },
    Arr {
        index: usize,
    },
}

/// The byte offset of a 1-based line and column (as serde_json reports them).
pub(crate) fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut cur_line = 1usize;
    let mut start = 0usize;
    if line > 1 {
        for (i, b) in text.iter().enumerate() {
            if *b == b'\n' {
                cur_line += 1;
                if cur_line == line {
                    start = i + 1;
                    break;
                }
            }
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// The path of the value being read at byte `offset` of a (possibly broken) JSON text.
pub(crate) fn path_at(text: &[u8], offset: usize) -> Option<String> {
    let end = offset.min(text.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0usize;
    while i < end {
        let Some(&b) = text.get(i) else { break };
        match b {
            b'{' => stack.push(Frame::Obj {
                key: None,
                expect_key: true,
            }),
            b'[' => stack.push(Frame::Arr { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Obj { key, expect_key }) => {
                    *key = None;
                    *expect_key = true;
                }
                Some(Frame::Arr { index }) => *index += 1,
                None => {}
            },
            b':' => {
                if let Some(Frame::Obj { expect_key, .. }) = stack.last_mut() {
                    *expect_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < text.len() {
                    match text.get(j) {
                        Some(b'\\') => j += 2,
                        Some(b'"') => break,
                        _ => j += 1,
                    }
                }
                let s = String::from_utf8_lossy(text.get(start..j.min(text.len())).unwrap_or(b""))
                    .into_owned();
                if let Some(Frame::Obj {
                    key,
                    expect_key: true,
                }) = stack.last_mut()
                {
                    *key = Some(s);
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    render(&stack)
}

fn render(stack: &[Frame]) -> Option<String> {
    let mut out = String::new();
    for f in stack {
        match f {
            Frame::Obj { key: Some(k), .. } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Frame::Obj { key: None, .. } => break,
            Frame::Arr { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

fn fits<T: DeserializeOwned>(v: &Value) -> bool {
    v.is_null() || T::deserialize(v).is_ok()
}

fn str_or_num(v: &Value) -> bool {
    v.is_null() || v.is_string() || v.is_number()
}

/// Top-level fields of a case, with a check of their values.
/// A field name and a check of its value.
type FieldCheck = (&'static str, fn(&Value) -> bool);

const CASE_FIELDS: &[FieldCheck] = &[
    ("id", str_or_num),
    ("kind", |v| !v.is_null() && fits::<CaseKind>(v)),
    ("filed_on", fits::<Date>),
    ("places", |v| v.is_array()),
    ("defendant_agency_level", fits::<AgencyLevel>),
    ("admin_subject", fits::<AdminSubject>),
    ("max_penalty", fits::<MaxPenalty>),
    ("claim_amount_cny", fits::<f64>),
    ("parties_cross_province", fits::<bool>),
    ("ship_source", fits::<bool>),
    ("investigated_by", fits::<Investigator>),
    ("brought_by", fits::<Plaintiff>),
    ("incident_id", str_or_num),
];

const PLACE_FIELDS: &[FieldCheck] = &[
    ("role", |v| !v.is_null() && fits::<Role>(v)),
    ("at", fits::<Vec<f64>>),
    ("code", str_or_num),
    ("address", fits::<String>),
    ("crs", fits::<Crs>),
];

/// The words between backticks in a message.
fn quoted(message: &str) -> impl Iterator<Item = &str> {
    message.split('`').skip(1).step_by(2)
}

/// The field of a case document that an error message from `input::case_from_json` (or from
/// `Engine::check_case`) is about.
pub(crate) fn case_field(value: &Value, message: &str) -> Option<String> {
    let obj = value.as_object()?;
    // 1. A value of the wrong type or an unknown name, in document order of the schema.
    for (name, ok) in CASE_FIELDS {
        if let Some(v) = obj.get(*name)
            && !ok(v)
        {
            return Some((*name).to_string());
        }
    }
    let places = obj.get("places").and_then(Value::as_array);
    for (i, p) in places.into_iter().flatten().enumerate() {
        let Some(po) = p.as_object() else {
            return Some(format!("places[{i}]"));
        };
        for (name, ok) in PLACE_FIELDS {
            if let Some(v) = po.get(*name)
                && !ok(v)
            {
                return Some(format!("places[{i}].{name}"));
            }
        }
    }
    // 2. Unknown and missing fields, named by the message.
    for (what, present) in [("unknown field `", true), ("missing field `", false)] {
        if let Some(start) = message.find(what) {
            let rest = message.get(start + what.len()..).unwrap_or("");
            let word = rest.split('`').next().unwrap_or("");
            if obj.contains_key(word) == present
                && (present || CASE_FIELDS.iter().any(|(n, _)| *n == word))
            {
                return Some(word.to_string());
            }
            for (i, p) in places.into_iter().flatten().enumerate() {
                if p.as_object()
                    .is_some_and(|po| po.contains_key(word) == present)
                {
                    return Some(format!("places[{i}].{word}"));
                }
            }
        }
    }
    // 3. A place named by number: `place #2 (`conduct`): …`.
    if let Some(rest) = message.strip_prefix("place #") {
        let n: usize = rest
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()?;
        let base = format!("places[{}]", n.saturating_sub(1));
        let sub = quoted(rest)
            .skip(1)
            .find(|w| PLACE_FIELDS.iter().any(|(f, _)| f == w) && *w != "role");
        return Some(match sub {
            Some(_) if message.contains("give exactly one") => base,
            Some(s) => format!("{base}.{s}"),
            None => base,
        });
    }
    // 4. No place with a role the kind connects through (`Engine::check_case`).
    if message.contains("needs a place with role") {
        return Some("places".to_string());
    }
    // 5. Any top-level field the message quotes.
    if let Some(w) = quoted(message).find(|w| CASE_FIELDS.iter().any(|(f, _)| f == w)) {
        return Some(w.to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_paths() {
        let t = br#"{"kind": "civil", "places": [{"role": "conduct", "at": [121.1, x]}]}"#;
        let off = t.iter().position(|b| *b == b'x').unwrap();
        assert_eq!(path_at(t, off).as_deref(), Some("places[0].at[1]"));
        let t = br#"{"kind": "civil", "filed_on": 2024-05-01}"#;
        let off = t.iter().position(|b| *b == b'-').unwrap();
        assert_eq!(path_at(t, off).as_deref(), Some("filed_on"));
        assert_eq!(path_at(b"{", 1), None);
    }

    #[test]
    fn offsets() {
        assert_eq!(offset_of(b"ab\ncd", 2, 2), 4);
        assert_eq!(offset_of(b"ab\ncd", 1, 1), 0);
        assert_eq!(offset_of(b"ab", 9, 9), 2);
    }

    #[test]
    fn case_fields() {
        let v: Value = serde_json::from_str(r#"{"kind": "civl", "places": []}"#).unwrap();
        assert_eq!(case_field(&v, "").as_deref(), Some("kind"));
        let v: Value = serde_json::from_str(
            r#"{"kind": "civil", "places": [{"role": "conduct", "at": ["a"]}]}"#,
        )
        .unwrap();
        assert_eq!(case_field(&v, "").as_deref(), Some("places[0].at"));
        let v: Value =
            serde_json::from_str(r#"{"kind": "civil", "filed": 1, "places": []}"#).unwrap();
        assert_eq!(
            case_field(&v, "unknown field `filed`, expected …").as_deref(),
            Some("filed")
        );
        let v: Value = serde_json::from_str(r#"{"places": []}"#).unwrap();
        assert_eq!(
            case_field(&v, "missing field `kind`").as_deref(),
            Some("kind")
        );
        let v: Value = serde_json::from_str(
            r#"{"kind": "civil", "places": [{"role": "conduct", "at": [1, 2, 3]}]}"#,
        )
        .unwrap();
        assert_eq!(
            case_field(
                &v,
                "place #1 (`conduct`): `at` must be `[lon, lat]`, found 3 numbers"
            )
            .as_deref(),
            Some("places[0].at")
        );
    }
}

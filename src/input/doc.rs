//! Reading one document — a case file, a rule or scenario file, a JSONL line or an HTTP body —
//! within bounds: JSON is read as JSON (a JSON file is valid YAML, but the YAML parser is far
//! slower on it), YAML only for the rest; a UTF-8 byte order mark is skipped; the nesting depth,
//! the YAML aliases and their expansion and the size are bounded *before* the parser runs, so a
//! hostile document answers an error at once; duplicate keys are an error everywhere.
//!
//! The figures are in `docs/limits.md`.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Deepest nesting of lists and maps accepted (YAML and JSON).
pub const MAX_DEPTH: usize = 128;
/// Most YAML aliases (`*name`) in one document.
pub const MAX_ALIASES: usize = 1_000;
/// YAML aliases may expand a document to at most this many times its size …
pub const ALIAS_EXPANSION_FACTOR: u64 = 4;
/// … or to this many bytes, whichever is larger.
pub const ALIAS_EXPANSION_FLOOR: u64 = 64 * 1024;
/// Largest case file (`route CASE`), by default.
pub const MAX_CASE_FILE: usize = 1 << 20;
/// Largest rule, court, source or scenario file, by default.
pub const MAX_RULE_FILE: usize = 8 << 20;
/// Longest JSONL line of a batch file, by default.
pub const MAX_LINE: usize = 1 << 20;

/// The `--max-input` override in bytes (0: the defaults above).
static MAX_INPUT: AtomicUsize = AtomicUsize::new(0);

/// What a document is, for its size limit and the error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A case file.
    Case,
    /// A rule, court, source or scenario file.
    Rules,
    /// One line of a JSONL batch file.
    Line,
    /// A document whose size is bounded elsewhere (an HTTP body, a string in a test).
    Unbounded,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Case => "a case file",
            Kind::Rules => "a rule file",
            Kind::Line => "a JSONL line",
            Kind::Unbounded => "a document",
        }
    }

    fn default_limit(self) -> usize {
        match self {
            Kind::Case => MAX_CASE_FILE,
            Kind::Rules => MAX_RULE_FILE,
            Kind::Line => MAX_LINE,
            Kind::Unbounded => usize::MAX,
        }
    }
}

/// Sets every command-line input limit to `bytes` (`--max-input MIB`); 0 restores the defaults.
pub fn set_max_input(bytes: usize) {
    MAX_INPUT.store(bytes, Ordering::Relaxed);
}

/// The size limit for a document of this kind, in bytes.
pub fn max_input(kind: Kind) -> usize {
    match (kind, MAX_INPUT.load(Ordering::Relaxed)) {
        (Kind::Unbounded, _) => usize::MAX,
        (k, 0) => k.default_limit(),
        (_, n) => n,
    }
}

/// Formats a byte count the way the limits are documented (`1 MiB`, `512 KiB`, `300 bytes`).
pub fn show_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// Refuses a document larger than its limit; the message names the flag that raises it.
pub fn check_size(len: usize, kind: Kind) -> Result<(), String> {
    let limit = max_input(kind);
    if len > limit {
        return Err(format!(
            "{} bytes is more than the limit of {} for {}: raise it with `--max-input MIB`",
            len,
            show_bytes(limit),
            kind.what()
        ));
    }
    Ok(())
}

/// A document that cannot be read: a message (lowercase, values in backticks) and, when known,
/// the 1-based line and column and the path of the value at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError {
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column (in characters).
    pub column: Option<usize>,
    /// The message, without position.
    pub message: String,
    /// The path of the value at fault (`kind`, `places[1].at[0]`), when known: for a value
    /// that does not fit the target type, the path the parser had reached (with the missing
    /// field's name for a missing field), in YAML for a syntax error too; for a JSON syntax
    /// error, the path being read where the parser stopped ([`json_path_at`]).
    pub path: Option<String>,
}

impl DocError {
    fn at(line: usize, column: usize, message: String) -> DocError {
        DocError {
            line: Some(line),
            column: Some(column),
            message,
            path: None,
        }
    }

    fn plain(message: String) -> DocError {
        DocError {
            line: None,
            column: None,
            message,
            path: None,
        }
    }
}

/// The text without a leading UTF-8 byte order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Whether a document is read as JSON: a `.json` / `.jsonl` name, or a first non-space
/// character `{` or `[`.
pub fn is_json(text: &str, origin: &str) -> bool {
    let lower = origin.to_ascii_lowercase();
    lower.ends_with(".json")
        || lower.ends_with(".jsonl")
        || matches!(
            strip_bom(text).trim_start().as_bytes().first(),
            Some(b'{' | b'[')
        )
}

/// Parses a document into `T`: JSON when [`is_json`], YAML otherwise, after the size, depth
/// and alias checks.
pub fn parse<T: serde::de::DeserializeOwned>(
    text: &str,
    origin: &str,
    kind: Kind,
) -> Result<T, DocError> {
    check_size(text.len(), kind).map_err(DocError::plain)?;
    let json = is_json(text, origin);
    let text = strip_bom(text);
    // Errors are the slow path: a failed document is read a second time, tracking the path,
    // so that a good one pays nothing for it.
    if json {
        check_json_depth(text.as_bytes())?;
        serde_json::from_str::<T>(text).map_err(|e| {
            let mut d = json_error(&e);
            d.path = if e.is_data() {
                let mut de = serde_json::Deserializer::from_str(text);
                serde_path_to_error::deserialize::<_, T>(&mut de)
                    .err()
                    .and_then(|t| tracked_path(t.path(), &d.message))
            } else {
                json_path_at(text.as_bytes(), e.line(), e.column())
            };
            d
        })
    } else {
        scan_yaml(text)?;
        serde_yaml::from_str::<T>(text).map_err(|e| {
            let msg = e.to_string();
            let mut d = match e.location() {
                Some(l) => {
                    // serde reports a duplicate field at the start of its mapping: point at
                    // the second occurrence of the key instead.
                    let (line, column) = duplicate_key(&msg)
                        .and_then(|key| second_key_at(text, l.line(), l.column(), key))
                        .unwrap_or((l.line(), l.column()));
                    DocError::at(line, column, msg)
                }
                None => DocError::plain(msg),
            };
            // A syntax error too has the path the parser had reached.
            d.path =
                serde_path_to_error::deserialize::<_, T>(serde_yaml::Deserializer::from_str(text))
                    .err()
                    .and_then(|t| tracked_path(t.path(), &d.message));
            d
        })
    }
}

/// Parses a JSON value into `T`, with the path of the value at fault in the error. The
/// message is serde_json's, without position (a value has none).
pub fn from_json_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
) -> Result<T, DocError> {
    T::deserialize(value).map_err(|e| {
        let mut d = DocError::plain(e.to_string());
        d.path = serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .and_then(|t| tracked_path(t.path(), &d.message));
        d
    })
}

/// The path serde_path_to_error reached, as `places[1].at`; a missing field's error is raised
/// by the object that lacks it, so its name (from serde's message) is added.
fn tracked_path(path: &serde_path_to_error::Path, message: &str) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => return (!out.is_empty()).then_some(out),
        }
    }
    if let Some(rest) = message.split("missing field `").nth(1)
        && let Some(name) = rest.split('`').next()
    {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(name);
    }
    (!out.is_empty()).then_some(out)
}

fn json_error(e: &serde_json::Error) -> DocError {
    let msg = e.to_string();
    if e.line() == 0 {
        DocError::plain(msg)
    } else {
        DocError::at(e.line(), e.column().max(1), msg)
    }
}

enum Frame {
    Obj {
        key: Option<String>,
        expect_key: bool,
    },
    Arr {
        index: usize,
    },
}

/// The path of the value being read at a 1-based line and column (serde_json's, counted in
/// bytes) of a JSON text that may be broken: `places[0].at[1]`, `filed_on`.
///
/// A syntax error stops the parser between two tokens, where no deserializer has a path yet
/// (after `"filed_on": 2024` the object is waiting for `,` or `}`), so the path is read from
/// the text itself: the keys and indices open at that point.
pub fn json_path_at(text: &[u8], line: usize, column: usize) -> Option<String> {
    let end = offset_of(text, line, column);
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
    let mut out = String::new();
    for f in &stack {
        match f {
            Frame::Obj { key: Some(k), .. } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Frame::Obj { key: None, .. } => break,
            Frame::Arr { index } => out.push_str(&format!("[{index}]")),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The key of a "duplicate field `kind`" error (serde's message for a struct field given
/// twice), if that is the error.
fn duplicate_key(message: &str) -> Option<&str> {
    let rest = &message[message.find("duplicate field `")? + "duplicate field `".len()..];
    Some(&rest[..rest.find('`')?])
}

/// The 1-based line and column of the second occurrence of `key` in the YAML mapping that
/// starts at `line`, `column` (a block mapping: keys at that column on the following lines,
/// until a line indented less; a flow mapping `{…}`: keys at its top level), or `None` when
/// the text does not show it plainly.
fn second_key_at(text: &str, line: usize, column: usize, key: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let first = *lines.get(line.checked_sub(1)?)?;
    // The byte offset of the (character) column within its line.
    let start = first
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map_or(first.len(), |(i, _)| i);
    if first[start..].starts_with('{') {
        return flow_second_key(&lines, line - 1, start, key);
    }
    let indent = first[..start].chars().count();
    let mut seen = 0usize;
    for (n, l) in lines.iter().enumerate().skip(line - 1) {
        let (col, body) = if n == line - 1 {
            (indent, &first[start..])
        } else {
            let trimmed = l.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let col = l.len() - trimmed.len();
            if col < indent {
                break;
            }
            (col, trimmed)
        };
        if col == indent && starts_with_key(body, key) {
            seen += 1;
            if seen == 2 {
                return Some((n + 1, col + 1));
            }
        }
    }
    None
}

/// The second top-level occurrence of `key` in the flow mapping that opens at byte `start` of
/// line `first` (0-based), quotes skipped; its line and column are 1-based.
fn flow_second_key(
    lines: &[&str],
    first: usize,
    start: usize,
    key: &str,
) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut expect_key = false;
    let mut seen = 0usize;
    for (n, l) in lines.iter().enumerate().skip(first) {
        let from = if n == first { start } else { 0 };
        for (i, c) in l[from..].char_indices() {
            let i = i + from;
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                continue;
            }
            if expect_key && depth == 1 && !c.is_whitespace() {
                expect_key = false;
                if starts_with_key(&l[i..], key) {
                    seen += 1;
                    if seen == 2 {
                        return Some((n + 1, l[..i].chars().count() + 1));
                    }
                }
            }
            match c {
                '\'' | '"' => quote = Some(c),
                '{' | '[' => {
                    depth += 1;
                    expect_key = depth == 1;
                }
                '}' | ']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return None;
                    }
                }
                ',' => expect_key = depth == 1,
                _ => {}
            }
        }
    }
    None
}

/// Whether a line's text (after its indentation) starts with `key` as a mapping key: plain or
/// quoted, then optional spaces and `:`.
fn starts_with_key(body: &str, key: &str) -> bool {
    let rest = ["\"", "'", ""].iter().find_map(|q| {
        let r = body.strip_prefix(q)?.strip_prefix(key)?;
        r.strip_prefix(q)
    });
    rest.is_some_and(|r| r.trim_start_matches(' ').starts_with(':'))
}

/// The byte offset of a 1-based line and column (as serde_json reports them).
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
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

/// Parses JSON text into a value, refusing duplicate keys and nesting deeper than
/// [`MAX_DEPTH`]; a byte order mark is skipped. The error carries serde_json's line and
/// column.
pub fn json_value(bytes: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    // serde_json's own recursion limit is 128 levels: the same as MAX_DEPTH.
    serde_json::from_slice::<Strict>(bytes).map(|s| s.0)
}

/// Like [`json_value`], with the error as a [`DocError`].
pub fn json_value_doc(bytes: &[u8]) -> Result<serde_json::Value, DocError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    check_json_depth(bytes)?;
    json_value(bytes).map_err(|e| json_error(&e))
}

/// A JSON value whose objects have no duplicate keys.
struct Strict(serde_json::Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        serde::Deserialize::deserialize(d).map(|s: Strict| s.0)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Strict(x)) = seq.next_element()? {
            v.push(x);
        }
        Ok(serde_json::Value::Array(v))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if m.contains_key(&k) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key `{k}`: give each key once"
                )));
            }
            let Strict(v) = map.next_value()?;
            m.insert(k, v);
        }
        Ok(serde_json::Value::Object(m))
    }
}

fn too_deep(line: usize, column: usize) -> DocError {
    DocError::at(
        line,
        column,
        format!("the document is nested deeper than the limit of {MAX_DEPTH} levels"),
    )
}

/// Refuses JSON nested deeper than [`MAX_DEPTH`] (brackets outside strings), in one pass.
fn check_json_depth(bytes: &[u8]) -> Result<(), DocError> {
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let (mut in_str, mut esc) = (false, false);
    for &b in bytes {
        // Columns count characters: continuation bytes do not advance.
        if b & 0xC0 != 0x80 {
            col += 1;
        }
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(line, col));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                col = 0;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Where each item of the top-level list `key` of a document starts: 1-based line and column
/// (in characters) of the item's first token, in list order, for block YAML (`key:` at column
/// 0, then `- …` items at one indent) and for JSON (`"key": [ … ]` in the root object).
///
/// Positions come from the document's structure, not from searching its text for a value:
/// comments, block scalars and deeper lines never count as items. A list written in YAML flow
/// style (`key: [ … ]`) gives no positions.
pub fn list_items(text: &str, origin: &str, key: &str) -> Vec<(usize, usize)> {
    let json = is_json(text, origin);
    let text = strip_bom(text);
    if json {
        return json_list_items(text, key);
    }
    let mut out = Vec::new();
    // Inside the list: the indent of its items, once the first one is seen.
    let mut list: Option<Option<usize>> = None;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_end_matches('\r');
        let trimmed = body.trim_start_matches(' ');
        let indent = body.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let item = trimmed == "-" || trimmed.starts_with("- ");
        if indent == 0 && !item {
            // A top-level key (or a document marker) starts or ends the list. No line inside
            // a top-level value starts at column 0 but a `- ` item.
            let rest = trimmed
                .strip_prefix(key)
                .or_else(|| {
                    trimmed
                        .strip_prefix('"')
                        .and_then(|t| t.strip_prefix(key))
                        .and_then(|t| t.strip_prefix('"'))
                })
                .and_then(|t| t.strip_prefix(':'));
            let opens = rest.is_some_and(|r| {
                let r = r.trim();
                r.is_empty() || r.starts_with('#')
            });
            list = opens.then_some(None);
            continue;
        }
        let Some(item_indent) = list.as_mut() else {
            continue;
        };
        if item && *item_indent.get_or_insert(indent) == indent {
            let content = trimmed.get(1..).unwrap_or("").trim_start_matches(' ');
            let before = body.get(..body.len() - content.len()).unwrap_or("");
            out.push((i + 1, before.chars().count() + 1));
        }
    }
    out
}

/// [`list_items`] for JSON text.
fn json_list_items(text: &str, key: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let (mut in_str, mut esc) = (false, false);
    let mut string = String::new();
    // The last string closed in the root object, and whether a `:` followed it.
    let mut key_seen: Option<String> = None;
    let mut after_colon = false;
    // 0: before the list, 1: in it (its depth is 2), 2: after it.
    let mut state = 0u8;
    let mut want_item = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
        if in_str {
            match (esc, c) {
                (true, _) => {
                    esc = false;
                    string.push(c);
                }
                (false, '\\') => esc = true,
                (false, '"') => {
                    in_str = false;
                    if depth == 1 && !after_colon {
                        key_seen = Some(std::mem::take(&mut string));
                    }
                }
                _ => string.push(c),
            }
            continue;
        }
        if want_item && !c.is_whitespace() && c != ']' {
            out.push((line, col));
            want_item = false;
        }
        match c {
            '"' => {
                in_str = true;
                string.clear();
            }
            ':' if depth == 1 => after_colon = true,
            '[' | '{' => {
                depth += 1;
                if c == '['
                    && depth == 2
                    && state == 0
                    && after_colon
                    && key_seen.as_deref() == Some(key)
                {
                    state = 1;
                    want_item = true;
                }
            }
            ']' | '}' => {
                if state == 1 && depth == 2 {
                    state = 2;
                    want_item = false;
                }
                depth = depth.saturating_sub(1);
            }
            ',' => {
                if state == 1 && depth == 2 {
                    want_item = true;
                }
                if depth == 1 {
                    key_seen = None;
                    after_colon = false;
                }
            }
            _ => {}
        }
    }
    out
}

/// An anchor whose node is still being read.
struct OpenAnchor {
    name: String,
    start: usize,
    /// How its node ends.
    end: AnchorEnd,
    /// Bytes its aliases add so far.
    added: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AnchorEnd {
    /// Not known yet: decided by the next token.
    Pending { line_indent: usize },
    /// A flow collection: when the flow depth falls below this.
    Flow(usize),
    /// A quoted scalar: at its closing quote.
    Quote,
    /// A plain scalar: at the end of the line (or a flow indicator).
    Plain,
    /// A block node: at a line indented `<=` this.
    Block(usize),
}

/// The pre-parse scan of a YAML document: nesting depth (flow brackets plus block
/// indentation, with compact `- - x` entries), aliases and the bytes they expand to, in one
/// pass over the text. Conservative: something that looks like an alias inside a block
/// scalar counts.
fn scan_yaml(text: &str) -> Result<(), DocError> {
    let size = text.len() as u64;
    let budget = (size.saturating_mul(ALIAS_EXPANSION_FACTOR)).max(ALIAS_EXPANSION_FLOOR);
    let mut scan = YamlScan {
        budget,
        expanded: size,
        aliases: 0,
        closed: std::collections::HashMap::new(),
        open: Vec::new(),
        blocks: Vec::new(),
        flow: 0,
        block_scalar: None,
        quote: None,
    };
    let mut offset = 0usize;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        scan.line(line, n + 1, offset)?;
        offset += line.len();
    }
    scan.close(text.len(), |_| true);
    Ok(())
}

/// The state of [`scan_yaml`] between bytes and lines.
struct YamlScan {
    /// The most bytes the aliases may expand the document to.
    budget: u64,
    /// The document's size with every alias read so far expanded.
    expanded: u64,
    aliases: usize,
    /// Anchors whose node is complete, with its expanded size.
    closed: std::collections::HashMap<String, u64>,
    open: Vec<OpenAnchor>,
    /// Indentation of the open block levels.
    blocks: Vec<usize>,
    /// Open flow brackets.
    flow: usize,
    /// Inside a block scalar whose parent line is indented this much.
    block_scalar: Option<usize>,
    /// Inside a scalar quoted by this byte.
    quote: Option<u8>,
}

/// Where a byte of [`YamlScan::line`] is: the line's number, its indentation and the
/// offset just past it, and the byte's column and offset.
struct ByteAt {
    line_no: usize,
    indent: usize,
    line_end: usize,
    col: usize,
    at: usize,
}

impl YamlScan {
    /// Reads line number `line_no` (with its line break), which starts at byte `line_start`.
    fn line(&mut self, line: &str, line_no: usize, line_start: usize) -> Result<(), DocError> {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let blank = body.trim().is_empty();
        if let Some(parent) = self.block_scalar {
            if blank || indent > parent {
                return Ok(());
            }
            self.block_scalar = None;
        }
        let bytes = body.as_bytes();
        let content_line =
            self.quote.is_none() && self.flow == 0 && !blank && bytes.get(indent) != Some(&b'#');
        if content_line {
            self.enter_block_line(indent, line_start);
        }
        let mut i = 0usize;
        let mut col = 0usize;
        let mut prev: Option<u8> = None;
        while let Some(&b) = bytes.get(i) {
            if b & 0xC0 != 0x80 {
                col += 1;
            }
            if let Some(q) = self.quote {
                if self.quoted(q, b, bytes.get(i + 1), line_start + i) {
                    i += 2;
                    col += 1;
                    continue;
                }
                prev = Some(b);
                i += 1;
                continue;
            }
            let token_start = match prev {
                None => true,
                Some(p) => {
                    p == b' ' || p == b'\t' || (self.flow > 0 && matches!(p, b'[' | b'{' | b','))
                }
            };
            let pos = ByteAt {
                line_no,
                indent,
                line_end: line_start + line.len(),
                col,
                at: line_start + i,
            };
            if token_start && self.token(body, i, &pos)? {
                break;
            }
            self.bracket(b, token_start, &pos)?;
            prev = Some(b);
            i += 1;
        }
        if self.quote.is_none() {
            self.end_line(line_start + line.len());
        }
        Ok(())
    }

    /// A content line indented `indent` at byte `line_start`: closes the block anchors and
    /// block levels it leaves and opens its own level.
    fn enter_block_line(&mut self, indent: usize, line_start: usize) {
        self.close(
            line_start,
            |e| matches!(e, AnchorEnd::Block(i) if indent <= i),
        );
        while self.blocks.last().is_some_and(|&b| b >= indent) {
            self.blocks.pop();
        }
        self.blocks.push(indent);
    }

    /// Byte `b` (at offset `at`) inside a scalar quoted by `q`: a closing quote ends the
    /// scalar and its anchors. Returns true when `b` and the next byte are one escape
    /// (`''`, or `\` and any byte in double quotes).
    fn quoted(&mut self, q: u8, b: u8, next: Option<&u8>, at: usize) -> bool {
        if b != q {
            return q == b'"' && b == b'\\';
        }
        if q == b'\'' && next == Some(&b'\'') {
            return true;
        }
        self.quote = None;
        self.close(at + 1, |e| e == AnchorEnd::Quote);
        false
    }

    /// The byte at `i` of the line's `body` starts a token: it decides where pending
    /// anchors end, and may open a quote, a block scalar, a compact entry, an anchor or be
    /// an alias. Returns true when the rest of the line is not YAML to scan (a comment, a
    /// block scalar's header).
    fn token(&mut self, body: &str, i: usize, pos: &ByteAt) -> Result<bool, DocError> {
        let bytes = body.as_bytes();
        let Some(&b) = bytes.get(i) else {
            return Ok(false);
        };
        // The first token after an anchor decides where the anchored node ends.
        if !matches!(b, b'&' | b'!' | b'#') {
            let end = match b {
                b'[' | b'{' => AnchorEnd::Flow(self.flow + 1),
                b'"' | b'\'' => AnchorEnd::Quote,
                _ => AnchorEnd::Plain,
            };
            for a in self.open.iter_mut() {
                if matches!(a.end, AnchorEnd::Pending { .. }) {
                    a.end = end;
                }
            }
        }
        let after = bytes.get(i + 1..).unwrap_or(&[]);
        match b {
            b'#' => return Ok(true),
            b'"' | b'\'' => self.quote = Some(b),
            b'|' | b'>' if self.flow == 0 => {
                let rest = body.get(i + 1..).unwrap_or("");
                let rest = rest.split(" #").next().unwrap_or("").trim();
                if rest
                    .bytes()
                    .all(|c| c.is_ascii_digit() || c == b'+' || c == b'-')
                {
                    self.block_scalar = Some(pos.indent);
                    self.close(pos.line_end, |e| e == AnchorEnd::Plain);
                    return Ok(true);
                }
            }
            // A compact nested entry (`- - x`): one level more.
            b'-' | b'?'
                if self.flow == 0
                    && i > pos.indent
                    && matches!(after.first(), Some(b' ') | None) =>
            {
                self.blocks.push(pos.col - 1);
            }
            b'&' => {
                self.open.push(OpenAnchor {
                    name: anchor_name(after).to_string(),
                    start: pos.at,
                    end: AnchorEnd::Pending {
                        line_indent: pos.indent,
                    },
                    added: 0,
                });
            }
            b'*' => self.alias(anchor_name(after), pos)?,
            _ => {}
        }
        Ok(false)
    }

    /// An alias `*name`: counts it and adds the size of its anchor's node (so far, for an
    /// anchor still open) to the document and to every open anchor, within the limits.
    fn alias(&mut self, name: &str, pos: &ByteAt) -> Result<(), DocError> {
        self.aliases += 1;
        if self.aliases > MAX_ALIASES {
            return Err(DocError::at(
                pos.line_no,
                pos.col,
                format!(
                    "the document has more than the limit of {MAX_ALIASES} aliases (`*{name}`)"
                ),
            ));
        }
        let add = self
            .closed
            .get(name)
            .copied()
            .or_else(|| {
                self.open
                    .iter()
                    .rev()
                    .find(|a| a.name == name)
                    .map(|a| (pos.at - a.start) as u64 + a.added)
            })
            .unwrap_or(0);
        self.expanded = self.expanded.saturating_add(add);
        for a in self.open.iter_mut() {
            a.added = a.added.saturating_add(add);
        }
        if self.expanded > self.budget {
            let budget = self.budget;
            return Err(DocError::at(
                pos.line_no,
                pos.col,
                format!(
                    "the aliases expand the document to more than {budget} bytes (the limit is {ALIAS_EXPANSION_FACTOR} times its size, at least {ALIAS_EXPANSION_FLOOR} bytes): at `*{name}`"
                ),
            ));
        }
        Ok(())
    }

    /// Flow brackets and commas outside quotes: the flow depth, the anchors they end, and
    /// the depth limit.
    fn bracket(&mut self, b: u8, token_start: bool, pos: &ByteAt) -> Result<(), DocError> {
        match b {
            b'[' | b'{' if token_start || self.flow > 0 => {
                self.flow += 1;
                if self.blocks.len() + self.flow > MAX_DEPTH {
                    return Err(too_deep(pos.line_no, pos.col));
                }
            }
            b']' | b'}' if self.flow > 0 => {
                self.flow -= 1;
                let flow = self.flow;
                self.close(pos.at + 1, |e| matches!(e, AnchorEnd::Flow(d) if d > flow));
            }
            b',' if self.flow > 0 => {
                self.close(pos.at, |e| e == AnchorEnd::Plain);
            }
            _ => {}
        }
        if self.blocks.len() + self.flow > MAX_DEPTH {
            return Err(too_deep(pos.line_no, pos.col));
        }
        Ok(())
    }

    /// End of a line outside quotes (at byte `end`): plain scalars end; an anchor with
    /// nothing after it on its line anchors the block node below.
    fn end_line(&mut self, end: usize) {
        self.close(end, |e| e == AnchorEnd::Plain);
        for a in self.open.iter_mut() {
            if let AnchorEnd::Pending { line_indent } = a.end {
                a.end = AnchorEnd::Block(line_indent);
            }
        }
    }

    /// Closes, at byte `at`, the open anchors whose end `ends` accepts, with their size.
    fn close(&mut self, at: usize, ends: impl Fn(AnchorEnd) -> bool) {
        let closed = &mut self.closed;
        self.open.retain(|a| {
            if ends(a.end) {
                let size = (at.saturating_sub(a.start) as u64).saturating_add(a.added);
                closed.insert(a.name.clone(), size);
                false
            } else {
                true
            }
        });
    }
}

fn anchor_name(bytes: &[u8]) -> &str {
    let n = bytes
        .iter()
        .position(|&c| matches!(c, b' ' | b'\t' | b',' | b'[' | b']' | b'{' | b'}'))
        .unwrap_or(bytes.len());
    std::str::from_utf8(bytes.get(..n).unwrap_or(&[])).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_flow_yaml_is_refused_at_once() {
        let n = 64_000;
        let text = format!("kind: civil\nplaces: {}{}\n", "[".repeat(n), "]".repeat(n));
        let t = std::time::Instant::now();
        let e = scan_yaml(&text).unwrap_err();
        assert!(t.elapsed().as_millis() < 500);
        assert!(e.message.contains("deeper than the limit of 128"), "{e:?}");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn deep_block_yaml_is_refused() {
        let text = format!("places:\n  {}x\n", "- ".repeat(200));
        assert!(scan_yaml(&text).is_err());
        let mut nested = String::new();
        for d in 0..150 {
            nested.push_str(&format!("{}k{d}:\n", " ".repeat(d)));
        }
        assert!(scan_yaml(&nested).is_err());
    }

    #[test]
    fn ordinary_yaml_passes() {
        let text =
            "a: &x {b: [1, 2, \"*no\"], c: 'it''s'}\nd: *x\ne: |\n  *not an alias\n  [\nf: - g\n";
        scan_yaml(text).unwrap();
        let text = "list:\n  - - a\n    - b\n  - c\n";
        scan_yaml(text).unwrap();
    }

    #[test]
    fn many_aliases_are_refused() {
        let mut t = "a: &a x\nl:\n".to_string();
        for _ in 0..1001 {
            t.push_str("  - *a\n");
        }
        let e = scan_yaml(&t).unwrap_err();
        assert!(e.message.contains("1000 aliases"), "{e:?}");
    }

    #[test]
    fn alias_expansion_is_bounded() {
        // A billion laughs with few aliases: each level ten times the one before.
        let mut t = "a: &a \"lol lol lol lol lol\"\n".to_string();
        let mut prev = "a".to_string();
        for l in 0..9 {
            let name = format!("l{l}");
            t.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
            prev = name;
        }
        let e = scan_yaml(&t).unwrap_err();
        assert!(e.message.contains("expand the document"), "{e:?}");
        // A block anchor: its size is its lines.
        let mut t = format!("a: &big\n  x: \"{}\"\nl:\n", "y".repeat(50_000));
        for _ in 0..10 {
            t.push_str("  - *big\n");
        }
        assert!(scan_yaml(&t).is_err());
    }

    #[test]
    fn duplicate_json_keys_are_refused() {
        let e = json_value(br#"{"a": 1, "b": {"c": 1, "c": 2}}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate key `c`"), "{e}");
        assert!(json_value(b"\xEF\xBB\xBF{\"a\": [1, 2.5, null, true]}").is_ok());
    }

    #[test]
    fn duplicate_yaml_keys_are_reported_at_the_second_key() {
        let at = |t: &str| {
            #[derive(Debug, serde::Deserialize)]
            #[allow(dead_code, reason = "only the errors are read")]
            struct P {
                role: String,
                at: Option<Vec<f64>>,
            }
            #[derive(Debug, serde::Deserialize)]
            #[allow(dead_code, reason = "only the errors are read")]
            struct C {
                kind: String,
                places: Option<Vec<P>>,
            }
            let e = parse::<C>(t, "x.yaml", Kind::Case).unwrap_err();
            assert!(e.message.contains("duplicate field"), "{e:?}");
            (e.line.unwrap(), e.column.unwrap())
        };
        assert_eq!(at("# c\n\nkind: civil\nplaces: []\nkind: civil\n"), (5, 1));
        let t = "kind: civil\nplaces:\n  - role: conduct\n    at: [1, 2]\n\n    role: result\n";
        assert_eq!(at(t), (6, 5));
        let t = "kind: civil\nplaces:\n  - {role: conduct, at: [1, 2], \"role\": result}\n";
        assert_eq!(at(t), (3, 33));
        // A key that repeats only inside a nested value does not count.
        let t = "kind: civil\nplaces:\n  - role: a\n  - role: b\n    role: c\n";
        assert_eq!(at(t), (5, 5));
    }

    #[test]
    fn deep_json_is_refused() {
        let text = format!("{}{}", "[".repeat(64_000), "]".repeat(64_000));
        let e = json_value_doc(text.as_bytes()).unwrap_err();
        assert!(e.message.contains("deeper"), "{e:?}");
    }

    #[test]
    fn syntax_paths() {
        let t = br#"{"kind": "civil", "places": [{"role": "conduct", "at": [121.1, x]}]}"#;
        let col = t.iter().position(|b| *b == b'x').unwrap() + 1;
        assert_eq!(json_path_at(t, 1, col).as_deref(), Some("places[0].at[1]"));
        let t = br#"{"kind": "civil", "filed_on": 2024-05-01}"#;
        let col = t.iter().position(|b| *b == b'-').unwrap() + 1;
        assert_eq!(json_path_at(t, 1, col).as_deref(), Some("filed_on"));
        assert_eq!(json_path_at(b"{", 1, 2), None);
        assert_eq!(offset_of(b"ab\ncd", 2, 2), 4);
        assert_eq!(offset_of(b"ab\ncd", 1, 1), 0);
        assert_eq!(offset_of(b"ab", 9, 9), 2);
    }

    #[test]
    fn data_errors_carry_the_path() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code, reason = "only the errors are read")]
        struct P {
            role: String,
            at: Option<Vec<f64>>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code, reason = "only the errors are read")]
        struct C {
            kind: String,
            places: Vec<P>,
        }
        let cases = [
            ("{\"kind\": \"c\", \"filed\": 1, \"places\": []}", "filed"),
            (
                "kind: c\nplaces:\n  - {role: x, crss: 1}\n",
                "places[0].crss",
            ),
            ("places: []\n", "kind"),
            (
                "{\"kind\": \"c\", \"places\": [{\"at\": [1]}]}",
                "places[0].role",
            ),
            ("kind: c\nplaces: [{role: x, at: [a]}]\n", "places[0].at[0]"),
        ];
        for (text, want) in cases {
            let e = parse::<C>(text, "-", Kind::Unbounded).unwrap_err();
            assert_eq!(e.path.as_deref(), Some(want), "{text}: {e:?}");
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
                let e = from_json_value::<C>(&v).unwrap_err();
                assert_eq!(e.path.as_deref(), Some(want), "{text}: {e:?}");
            }
        }
        // A YAML syntax error: the path the parser had reached.
        let e = parse::<C>("kind: [", "-", Kind::Unbounded).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("kind"));
    }

    #[test]
    fn list_items_follow_the_structure() {
        let text = "# - id: X\nrevised: 2024-01-01\nrules:\n  # - id: A\n  - id: A\n    note: |\n      - id: B\n    tags:\n      - x\n  -   id: B\n\nother:\n  - id: C\n";
        assert_eq!(list_items(text, "r.yaml", "rules"), vec![(5, 5), (10, 7)]);
        assert_eq!(list_items(text, "r.yaml", "other"), vec![(13, 5)]);
        assert_eq!(
            list_items("rules:\n- id: A\n- id: B\n", "-", "rules"),
            vec![(2, 3), (3, 3)]
        );
        assert!(list_items("rules: [{id: A}]\n", "-", "rules").is_empty());
        let json = "{\"note\": \"rules\", \"rules\": [\n  {\"id\": \"A\", \"x\": [1]},\n  {\"id\": \"B\"}\n], \"z\": [3]}";
        assert_eq!(list_items(json, "r.json", "rules"), vec![(2, 3), (3, 3)]);
    }

    #[test]
    fn json_by_first_byte_or_name() {
        assert!(is_json("  {\"a\": 1}", "x.yaml"));
        assert!(is_json("\u{feff}[1]", "-"));
        assert!(is_json("a: 1", "x.JSON"));
        assert!(!is_json("a: 1", "x.yaml"));
    }
}

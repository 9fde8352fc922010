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
    // The size first: the fast path below must not take an overlong line.
    if let Err(e) = super::doc::check_size(line.len(), super::doc::Kind::Line) {
        return (format!("line-{line_no}"), Err(e));
    }
    // Fast path: straight to the case; anything unusual takes the reference path below.
    if let Some((id, case)) = crate::input::case_from_json_text(line)
        && case.places.iter().all(|p| match p.spec {
            PlaceSpec::At { lon, lat, crs } => place::check_point("", "", lon, lat, crs).is_ok(),
            _ => true,
        })
    {
        return (id.unwrap_or_else(|| format!("line-{line_no}")), Ok(case));
    }
    let fallback = format!("line-{line_no}");
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

/// The longest CSV record in bytes: a quoted field may span lines, but a record that is still
/// open after this many bytes is taken for an unbalanced quote (see [`CsvSplitter`]).
pub const MAX_CSV_RECORD: usize = 1 << 20;

/// Records split from CSV text (RFC 4180), their fields unescaped into one buffer: no
/// allocation per record.
#[derive(Debug, Default, Clone)]
pub struct CsvRecords {
    data: Vec<u8>,
    ends: Vec<usize>,
    recs: Vec<RecInfo>,
}

#[derive(Debug, Clone)]
struct RecInfo {
    /// End of this record's fields in `ends`.
    fields_end: usize,
    first_line: u64,
    last_line: u64,
    error: Option<String>,
}

/// One record of a [`CsvRecords`].
#[derive(Debug, Clone, Copy)]
pub struct CsvRecord<'a> {
    set: &'a CsvRecords,
    i: usize,
}

impl CsvRecords {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// Removes every record (keeps the buffers).
    pub fn clear(&mut self) {
        self.data.clear();
        self.ends.clear();
        self.recs.clear();
    }

    /// The `i`-th record.
    pub fn get(&self, i: usize) -> Option<CsvRecord<'_>> {
        (i < self.recs.len()).then_some(CsvRecord { set: self, i })
    }

    /// Every record, in order.
    pub fn iter(&self) -> impl Iterator<Item = CsvRecord<'_>> {
        (0..self.recs.len()).map(move |i| CsvRecord { set: self, i })
    }

    fn fields_start(&self, i: usize) -> usize {
        match i.checked_sub(1).and_then(|p| self.recs.get(p)) {
            Some(r) => r.fields_end,
            None => 0,
        }
    }

    fn mark(&self) -> (usize, usize) {
        (self.data.len(), self.ends.len())
    }

    fn rollback(&mut self, (d, e): (usize, usize)) {
        self.data.truncate(d);
        self.ends.truncate(e);
    }

    fn end_field(&mut self) {
        self.ends.push(self.data.len());
    }
}

impl<'a> CsvRecord<'a> {
    fn info(&self) -> Option<&'a RecInfo> {
        self.set.recs.get(self.i)
    }

    fn fields(&self) -> &'a [usize] {
        let start = self.set.fields_start(self.i);
        let end = self.info().map_or(start, |r| r.fields_end);
        self.set.ends.get(start..end).unwrap_or(&[])
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields().len()
    }

    /// Whether the record has no field.
    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }

    /// The `k`-th field, unescaped.
    pub fn field(&self, k: usize) -> Option<&'a [u8]> {
        let f = self.fields();
        let end = *f.get(k)?;
        let start = match k.checked_sub(1) {
            Some(p) => *f.get(p)?,
            None => self.byte_start(),
        };
        self.set.data.get(start..end)
    }

    fn byte_start(&self) -> usize {
        let s = self.set.fields_start(self.i);
        match s.checked_sub(1) {
            Some(p) => self.set.ends.get(p).copied().unwrap_or(0),
            None => 0,
        }
    }

    /// Every field's bytes, concatenated (to check the whole record is UTF-8).
    pub fn bytes(&self) -> &'a [u8] {
        let end = self.fields().last().copied().unwrap_or(self.byte_start());
        self.set.data.get(self.byte_start()..end).unwrap_or(&[])
    }

    /// The first and last physical line of the record (1-based; equal unless a quoted field
    /// spans lines).
    pub fn lines(&self) -> (u64, u64) {
        self.info().map_or((0, 0), |r| (r.first_line, r.last_line))
    }

    /// Why the record is malformed (its fields are then the naive comma split of its first
    /// line, so that its id can still be read).
    pub fn error(&self) -> Option<&'a str> {
        self.info().and_then(|r| r.error.as_deref())
    }
}

/// Splits CSV text into records, RFC 4180: fields separated by `,`, records by `\n`, `\r\n`
/// or `\r`; a field in double quotes may hold commas, line breaks and doubled quotes (`""`).
/// Blank lines are skipped. A quote inside an unquoted field is taken literally.
///
/// Every physical line is accounted for: a record whose quote is never closed (or that is
/// still open after [`MAX_CSV_RECORD`] bytes), or with text after a closing quote, is one
/// malformed record made of its first line only, and splitting resumes on the next line,
/// so one stray quote never swallows the rows after it.
#[derive(Debug, Clone)]
pub struct CsvSplitter {
    line: u64,
    /// Discarding the rest of an over-long line.
    skipping: bool,
}

impl Default for CsvSplitter {
    fn default() -> Self {
        CsvSplitter::new()
    }
}

enum Scan {
    /// A whole record ends at this offset (after its terminator); lines it ends.
    Done(usize, u64),
    /// The record may continue past the buffer.
    More,
    /// Malformed: the reason and the 1-based column (in bytes) of the fault.
    Bad(String),
}

fn find_byte(hay: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> Option<usize> {
    hay.get(from..)?
        .iter()
        .position(|&b| pred(b))
        .map(|p| p + from)
}

impl CsvSplitter {
    /// A splitter at line 1.
    pub fn new() -> CsvSplitter {
        CsvSplitter {
            line: 1,
            skipping: false,
        }
    }

    /// The line number of the next unread byte.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Splits whole records off the start of `buf` into `out` (appended), at most `max`
    /// of them, and returns how many bytes were used. Without `eof` a record that may go on
    /// past the end of `buf` is left for the next call (with more bytes); with `eof` the
    /// end of `buf` ends the last record.
    pub fn split(&mut self, buf: &[u8], eof: bool, max: usize, out: &mut CsvRecords) -> usize {
        let mut p = 0;
        let mut n = 0;
        while n < max && p < buf.len() {
            if self.skipping {
                match find_byte(buf, p, |b| b == b'\n') {
                    Some(nl) => {
                        p = nl + 1;
                        self.line += 1;
                        self.skipping = false;
                        continue;
                    }
                    None => return buf.len(),
                }
            }
            // Blank line.
            match buf.get(p) {
                Some(b'\n') => {
                    p += 1;
                    self.line += 1;
                    continue;
                }
                Some(b'\r') => {
                    if buf.get(p + 1) == Some(&b'\n') {
                        p += 2;
                    } else if p + 1 < buf.len() || eof {
                        p += 1;
                    } else {
                        return p;
                    }
                    self.line += 1;
                    continue;
                }
                _ => {}
            }
            let mark = out.mark();
            match Self::record(buf, p, eof, out) {
                Scan::Done(end, lines) => {
                    let first = self.line;
                    self.line += lines;
                    // A record ends its last line unless it ends the input without a newline.
                    let last = if lines > 0 && matches!(buf.get(end - 1), Some(b'\n' | b'\r')) {
                        self.line - 1
                    } else {
                        self.line
                    };
                    out.recs.push(RecInfo {
                        fields_end: out.ends.len(),
                        first_line: first,
                        last_line: last.max(first),
                        error: None,
                    });
                    p = end;
                    n += 1;
                }
                Scan::More if !eof && buf.len() - p <= MAX_CSV_RECORD => {
                    out.rollback(mark);
                    return p;
                }
                Scan::More => {
                    out.rollback(mark);
                    let why = if eof {
                        "a quoted field is not closed before the end of the input".to_string()
                    } else {
                        format!(
                            "the record is longer than the limit of {} MiB (a quoted field that is never closed?)",
                            MAX_CSV_RECORD >> 20
                        )
                    };
                    p = self.bad_line(buf, p, eof, why, out);
                    n += 1;
                }
                Scan::Bad(why) => {
                    out.rollback(mark);
                    p = self.bad_line(buf, p, eof, why, out);
                    n += 1;
                }
            }
        }
        p
    }

    /// Records the first line of the record at `p` as one malformed record; returns where
    /// splitting resumes.
    fn bad_line(
        &mut self,
        buf: &[u8],
        p: usize,
        eof: bool,
        why: String,
        out: &mut CsvRecords,
    ) -> usize {
        let nl = find_byte(buf, p, |b| b == b'\n');
        let end = nl.unwrap_or(buf.len());
        let line = buf.get(p..end).unwrap_or(&[]);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        for f in line.split(|&b| b == b',') {
            let f = f.strip_prefix(b"\"").unwrap_or(f);
            let f = f.strip_suffix(b"\"").unwrap_or(f);
            out.data.extend_from_slice(f);
            out.end_field();
        }
        out.recs.push(RecInfo {
            fields_end: out.ends.len(),
            first_line: self.line,
            last_line: self.line,
            error: Some(format!(
                "malformed CSV record at line {}: {why}; the line is read as one bad row",
                self.line
            )),
        });
        match nl {
            Some(nl) => {
                self.line += 1;
                nl + 1
            }
            None => {
                // An over-long first line: the rest of it is skipped on the next calls.
                if !eof {
                    self.skipping = true;
                }
                buf.len()
            }
        }
    }

    /// Scans one record starting at `p`, pushing its fields into `out`.
    fn record(buf: &[u8], p: usize, eof: bool, out: &mut CsvRecords) -> Scan {
        let mut i = p;
        let mut lines = 0u64;
        loop {
            if buf.get(i) == Some(&b'"') {
                // Quoted field.
                let open = i;
                i += 1;
                loop {
                    let Some(q) = find_byte(buf, i, |b| b == b'"') else {
                        return Scan::More;
                    };
                    let seg = buf.get(i..q).unwrap_or(&[]);
                    lines += seg.iter().filter(|&&b| b == b'\n').count() as u64;
                    out.data.extend_from_slice(seg);
                    match buf.get(q + 1) {
                        Some(b'"') => {
                            out.data.push(b'"');
                            i = q + 2;
                        }
                        None if !eof => return Scan::More,
                        _ => {
                            i = q + 1;
                            break;
                        }
                    }
                }
                match buf.get(i) {
                    None | Some(b',' | b'\n' | b'\r') => {}
                    Some(&c) => {
                        let col = open
                            - buf[..open]
                                .iter()
                                .rposition(|&b| b == b'\n')
                                .map_or(0, |n| n + 1)
                            + 1;
                        let shown = if c.is_ascii_graphic() {
                            format!("`{}`", char::from(c))
                        } else {
                            format!("byte 0x{c:02x}")
                        };
                        return Scan::Bad(format!(
                            "{shown} after the closing quote of the field that opens at column {col}"
                        ));
                    }
                }
            } else {
                let end = find_byte(buf, i, |b| matches!(b, b',' | b'\n' | b'\r'));
                match end {
                    Some(e) => {
                        out.data.extend_from_slice(buf.get(i..e).unwrap_or(&[]));
                        i = e;
                    }
                    None if eof => {
                        out.data.extend_from_slice(buf.get(i..).unwrap_or(&[]));
                        i = buf.len();
                    }
                    None => return Scan::More,
                }
            }
            out.end_field();
            match buf.get(i) {
                Some(b',') => i += 1,
                Some(b'\n') => return Scan::Done(i + 1, lines + 1),
                Some(b'\r') => match buf.get(i + 1) {
                    Some(b'\n') => return Scan::Done(i + 2, lines + 1),
                    None if !eof => return Scan::More,
                    _ => return Scan::Done(i + 1, lines + 1),
                },
                None if eof => return Scan::Done(i, lines),
                None => return Scan::More,
                Some(_) => i += 1,
            }
        }
    }
}

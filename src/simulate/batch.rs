//! Batch routing core: input rows → cases, a memoizing router, output rows.
//!
//! # The memo and why it is exact
//!
//! Writing a full [`Decision`] (texts in two languages, sources) is far too slow for a million
//! rows, and the batch formats need much less: the competent courts, the rules that assigned
//! them, the relation and the warning codes (a [`Summary`]). The [`Router`] admits each case
//! with the engine ([`Engine::admit`]: checked, every place located) and caches the summary
//! of its [`Outcome`] by the [`Admitted`] case, which compares equal on exactly what deciding
//! reads: kind, rule-date segment, attributes, and per place its role, unit(s), sea features
//! and the units within the border tolerance — not the case id, the exact date, the exact
//! point or border distances. Texts that quote those (a no-court reason) are written per case
//! from the admitted case and the cached outcome. `tests/it/batch.rs` checks the memo against
//! `Engine::route` on random cases.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostics::hint;
use crate::eval::Admitted;
use crate::eval::Engine;
use crate::model::{
    Case, CaseKind, Date, Decision, Outcome, PlaceSpec, RelationKind, Role, Status,
};
use crate::spatial::{Crs, Geodata};

/// A small, fast, non-cryptographic hasher for the memo (keys are our own strings).
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
        self.0 = h;
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

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
        let crs = match get(self.crs) {
            None => Crs::Wgs84,
            Some(c) => Crs::parse(c)
                .ok_or_else(|| format!("unknown crs `{c}` (expected wgs84, gcj02 or bd09)"))?,
        };
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
    let lonv: f64 = lon
        .parse()
        .map_err(|_| format!("invalid longitude `{lon}` in column `{prefix}lon`: not a number"))?;
    let latv: f64 = lat
        .parse()
        .map_err(|_| format!("invalid latitude `{lat}` in column `{prefix}lat`: not a number"))?;
    Geodata::check_point(lonv, latv, crs)
        .map_err(|e| format!("invalid point `{lon},{lat}`: {e}"))?;
    Ok(PlaceSpec::At {
        lon: lonv,
        lat: latv,
        crs,
    })
}

/// Parses one JSONL line (a case object, the schema of `ecojuris route`). Returns the row id
/// (the case `id`, else `line-N`) and the case or the error.
pub fn case_from_jsonl(line: &str, line_no: u64) -> (String, Result<Case, String>) {
    let fallback = format!("line-{line_no}");
    let value: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return (fallback, Err(format!("malformed JSON: {e}"))),
    };
    let id = match value.get("id") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback,
    };
    let case = crate::input::case_from_json(value, "").map_err(|e| e.to_string());
    let case = case.and_then(|c| {
        for p in &c.places {
            if let PlaceSpec::At { lon, lat, crs } = p.spec {
                Geodata::check_point(lon, lat, crs)
                    .map_err(|e| format!("invalid point `{lon},{lat}`: {e}"))?;
            }
        }
        Ok(c)
    });
    (id, case)
}

/// One competent court in a [`Summary`].
#[derive(Debug, Clone, PartialEq)]
pub struct CourtHit {
    /// Index in the router's court table ([`Router::court_ids`]).
    pub court: u16,
    /// Rule ids that assigned it (`Ground::rule` of each ground, deduplicated, in order).
    pub rules: Vec<String>,
}

/// What the batch formats and the simulation need of a decision, derived from its
/// [`Outcome`] (which it keeps, for the texts that quote the case).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Routed or not.
    pub status: Status,
    /// The competent courts, in decision order.
    pub courts: Vec<CourtHit>,
    /// The relation.
    pub relation: RelationKind,
    /// Warning codes, deduplicated, in order of first appearance.
    pub warnings: Vec<&'static str>,
    /// The outcome itself.
    pub outcome: Outcome,
}

/// A routed case of a batch: its admitted form and its (shared) summary.
#[derive(Debug, Clone)]
pub struct Routed {
    /// The admitted case.
    pub admitted: Admitted,
    /// The summary, shared by every case with the same admitted key.
    pub summary: Arc<Summary>,
}

/// Routes cases through one engine, summarized and memoized.
#[derive(Debug)]
pub struct Router<'e> {
    engine: &'e Engine,
    today: Date,
    court_index: HashMap<String, u16>,
    court_ids: Vec<String>,
    court_names: Vec<String>,
    court_seats: Vec<Option<[f64; 2]>>,
    unit_points: Arc<Vec<[f64; 2]>>,
}

/// A per-thread cache for a [`Router`]: summaries by admitted case.
#[derive(Debug, Default)]
pub struct Memo {
    map: FxMap<Admitted, Arc<Summary>>,
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that routed.
    pub misses: u64,
}

impl Memo {
    /// A fresh cache.
    pub fn new() -> Memo {
        Memo::default()
    }
}

/// The representative point of each unit, WGS-84 (see [`Geodata::representative_points`]).
pub fn unit_points(geo: &Geodata) -> Vec<[f64; 2]> {
    geo.representative_points()
}

impl<'e> Router<'e> {
    /// A router over `engine`; `today` stands in for cases without a filing date.
    pub fn new(engine: &'e Engine, today: Date) -> Router<'e> {
        Router::with_courts(engine, today, &[], Arc::new(unit_points(engine.geo())))
    }

    /// A router whose court table starts with `first` (so that two routers share indices;
    /// further courts of this engine are appended) and shares precomputed unit points.
    pub fn with_courts(
        engine: &'e Engine,
        today: Date,
        first: &[String],
        unit_points: Arc<Vec<[f64; 2]>>,
    ) -> Router<'e> {
        let mut r = Router {
            engine,
            today,
            court_index: HashMap::new(),
            court_ids: Vec::new(),
            court_names: Vec::new(),
            court_seats: Vec::new(),
            unit_points,
        };
        let all = engine.rules().courts.all().iter().map(|c| c.id.as_str());
        for id in first.iter().map(String::as_str).chain(all) {
            r.add_court(id);
        }
        r
    }

    fn add_court(&mut self, id: &str) {
        if self.court_index.contains_key(id) {
            return;
        }
        let i = u16::try_from(self.court_ids.len()).unwrap_or(u16::MAX);
        self.court_index.insert(id.to_string(), i);
        self.court_ids.push(id.to_string());
        let c = self.engine.rules().courts.get(id);
        self.court_names.push(
            c.map(|c| c.name_zh.clone())
                .unwrap_or_else(|| id.to_string()),
        );
        self.court_seats.push(c.and_then(|c| c.seat_at));
    }

    /// The engine.
    pub fn engine(&self) -> &'e Engine {
        self.engine
    }

    /// Court ids by table index.
    pub fn court_ids(&self) -> &[String] {
        &self.court_ids
    }

    /// Chinese court names by table index.
    pub fn court_names(&self) -> &[String] {
        &self.court_names
    }

    /// Court seats by table index.
    pub fn court_seats(&self) -> &[Option<[f64; 2]>] {
        &self.court_seats
    }

    /// Representative unit points (WGS-84), by unit index.
    pub fn unit_points(&self) -> &Arc<Vec<[f64; 2]>> {
        &self.unit_points
    }

    /// The date used for a case.
    pub fn date_of(&self, case: &Case) -> Date {
        case.filed_on.unwrap_or(self.today)
    }

    /// Admits and routes `case` to its summary, from the cache when possible. Errors are the
    /// message of [`Engine::admit`].
    pub fn summarize(&self, memo: &mut Memo, case: &Case) -> Result<Routed, String> {
        let admitted = self
            .engine
            .admit(case, self.today, "")
            .map_err(|e| e.to_string())?;
        if let Some(s) = memo.map.get(&admitted) {
            memo.hits += 1;
            return Ok(Routed {
                summary: Arc::clone(s),
                admitted,
            });
        }
        memo.misses += 1;
        let summary = Arc::new(self.summary_of(self.engine.decide(&admitted)));
        memo.map.insert(admitted.clone(), Arc::clone(&summary));
        Ok(Routed { admitted, summary })
    }

    /// The unit index and a WGS-84 point (the point itself, or the unit's representative
    /// point) of the first place of a routed case, for travel estimates.
    pub fn first_place(&self, r: &Routed) -> (Option<usize>, Option<[f64; 2]>) {
        let unit = r.admitted.place_units().next().flatten();
        let point = r
            .admitted
            .place_points()
            .next()
            .flatten()
            .or_else(|| unit.and_then(|u| self.unit_points.get(u).copied()));
        (unit, point)
    }

    /// The English reason why a routed case has no court, `None` when it has one.
    pub fn no_court_reason(&self, r: &Routed) -> Option<String> {
        let e = self.engine;
        crate::explain::no_court_reason_en(e.rules(), e.geo(), &r.admitted, &r.summary.outcome)
    }

    /// The summary of an outcome.
    pub fn summary_of(&self, outcome: Outcome) -> Summary {
        let courts = outcome
            .competent
            .iter()
            .map(|c| {
                let mut rules: Vec<String> = Vec::new();
                for g in &c.grounds {
                    if !rules.contains(&g.rule) {
                        rules.push(g.rule.clone());
                    }
                }
                CourtHit {
                    court: self.court_index.get(&c.court).copied().unwrap_or(u16::MAX),
                    rules,
                }
            })
            .collect();
        let mut warnings: Vec<&'static str> = Vec::new();
        for w in &outcome.warnings {
            if !warnings.contains(&w.code()) {
                warnings.push(w.code());
            }
        }
        Summary {
            status: if outcome.competent.is_empty() {
                Status::NoCourt
            } else {
                Status::Routed
            },
            courts,
            relation: outcome.relation,
            warnings,
            outcome,
        }
    }

    /// Admits and routes `case` to its full decision (no cache).
    pub fn decide(&self, case: &Case) -> Result<Decision, String> {
        self.engine
            .route(case, self.today, "")
            .map_err(|e| e.to_string())
    }
}

/// The name of a relation, as in the JSON contract.
pub fn relation_name(r: RelationKind) -> &'static str {
    match r {
        RelationKind::None => "none",
        RelationKind::Exclusive => "exclusive",
        RelationKind::Concurrent => "concurrent",
        RelationKind::CrossProvince => "cross_province",
    }
}

/// Row counters; they reconcile: `read == routed + no_court + failed`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Rows read.
    pub read: u64,
    /// Rows with at least one competent court.
    pub routed: u64,
    /// Rows with no competent court.
    pub no_court: u64,
    /// Rows that could not be routed (bad input).
    pub failed: u64,
}

impl Counts {
    /// Adds another set of counters.
    pub fn add(&mut self, o: Counts) {
        self.read += o.read;
        self.routed += o.routed;
        self.no_court += o.no_court;
        self.failed += o.failed;
    }

    /// Whether the counters reconcile.
    pub fn reconciles(&self) -> bool {
        self.read == self.routed + self.no_court + self.failed
    }
}

/// The header of the CSV output.
pub const CSV_OUTPUT_HEADER: &str = "id,status,courts,relation,warnings,detail\n";

/// Appends a CSV field, quoted when needed.
pub fn csv_field(s: &str, out: &mut String) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        for ch in s.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Appends one CSV output row: `id,status,courts,relation,warnings,detail`, courts as
/// `name_zh` joined by `|`, warnings as codes joined by `|`; `detail` holds the error of a
/// failed row or the reason of a row with no court.
pub fn csv_row(
    id: &str,
    outcome: &Result<Routed, String>,
    router: &Router<'_>,
    counts: &mut Counts,
    out: &mut String,
) {
    counts.read += 1;
    csv_field(id, out);
    match outcome {
        Err(e) => {
            counts.failed += 1;
            out.push_str(",error,,,,");
            csv_field(e, out);
        }
        Ok(r) => {
            let s = &r.summary;
            out.push_str(match s.status {
                Status::Routed => {
                    counts.routed += 1;
                    ",routed,"
                }
                Status::NoCourt => {
                    counts.no_court += 1;
                    ",no_court,"
                }
            });
            for (i, c) in s.courts.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                csv_field(
                    router
                        .court_names()
                        .get(usize::from(c.court))
                        .map(String::as_str)
                        .unwrap_or("?"),
                    out,
                );
            }
            out.push(',');
            out.push_str(relation_name(s.relation));
            out.push(',');
            for (i, w) in s.warnings.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                out.push_str(w);
            }
            out.push(',');
            if s.status == Status::NoCourt
                && let Some(reason) = router.no_court_reason(r)
            {
                csv_field(&reason, out);
            }
        }
    }
    out.push('\n');
}

/// Appends one JSONL output row: the full decision, or `{"case_id", "line", "status":
/// "error", "error"}` for a row that could not be routed.
pub fn jsonl_row(
    id: &str,
    line: u64,
    outcome: &Result<Decision, String>,
    counts: &mut Counts,
    out: &mut String,
) {
    counts.read += 1;
    match outcome {
        Ok(d) => {
            match d.status {
                Status::Routed => counts.routed += 1,
                Status::NoCourt => counts.no_court += 1,
            }
            match serde_json::to_string(d) {
                Ok(s) => out.push_str(&s),
                Err(e) => out.push_str(&serde_json::json!({"case_id": id, "line": line, "status": "error", "error": e.to_string()}).to_string()),
            }
        }
        Err(e) => {
            counts.failed += 1;
            out.push_str(
                &serde_json::json!({"case_id": id, "line": line, "status": "error", "error": e})
                    .to_string(),
            );
        }
    }
    out.push('\n');
}

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
use std::fmt::Write as _;
use std::sync::Arc;

use crate::eval::Admitted;
use crate::eval::Engine;
use crate::eval::admit::MemoKey;
use crate::model::{Case, Date, Decision, Outcome, RelationKind, Status};
use crate::spatial::Geodata;

/// A small, fast, non-cryptographic hasher for the memo (keys are our own values) and for
/// incident ids: a multiplicative step per 8 bytes, then a full avalanche (murmur3's
/// `fmix64`). Without the finalizer the low bits of short ids like `i0000001` stay nearly
/// constant (their varying bytes are the high ones) and a table turns quadratic; SipHash is
/// exact but slower.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    fn step(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.step(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.step(u64::from_le_bytes(w));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.step(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.step(n as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.step(u64::from(n));
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

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
    /// The parts of the output rows that depend only on the summary, written once per memo
    /// entry instead of once per row.
    rendered: Rendered,
}

/// Pre-rendered output fragments of a [`Summary`] (see [`jsonl_compact_row`], [`csv_row`]).
#[derive(Debug, Clone, PartialEq, Default)]
struct Rendered {
    /// `{"courts":[{"court":…,"rules":[…]},…]` (JSONL compact line, up to the id).
    jsonl_courts: String,
    /// `"warnings":[…]}` and the line end (JSONL compact line, after the status).
    jsonl_warnings: String,
    /// The `courts` cell of a CSV row (names joined by `|`).
    csv_courts: String,
    /// The `warnings` cell of a CSV row (codes joined by `|`).
    csv_warnings: String,
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
    /// Summaries of common-form cases shared by every thread's [`Memo`]: a thread that misses
    /// its own memo looks here before deciding, so a distinct case is decided about once
    /// per run, not once per thread. Locked only on a thread's own misses.
    shared: std::sync::Mutex<FxMap<MemoKey, Arc<Summary>>>,
}

/// A per-thread cache for a [`Router`]: summaries by admitted case.
#[derive(Debug, Default)]
pub struct Memo {
    /// Cases of the common form, by their inline key.
    compact: FxMap<MemoKey, Arc<Summary>>,
    /// The others, by their admitted form (stripped of what equality does not read).
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
            shared: std::sync::Mutex::default(),
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
            .admit_located(case, self.today, "")
            .map_err(|e| e.to_string())?;
        let summary = self.summary_of_admitted(memo, &admitted, case)?;
        Ok(Routed { admitted, summary })
    }

    /// The summary of `case` under this router, given its admission `r` by `other`: when both
    /// engines share their geodata and "today", the admitted case is re-used with this rule
    /// set's date segment (no second locating), else the case is admitted afresh. `r` is left
    /// as it was.
    pub fn summarize_after(
        &self,
        other: &Router<'_>,
        memo: &mut Memo,
        r: &mut Routed,
        case: &Case,
    ) -> Result<Arc<Summary>, String> {
        if self.today == other.today && self.engine.shares_geodata(other.engine) {
            let a = &mut r.admitted;
            if let Some(was) = self.engine.resegment(a) {
                let s = self.summary_of_admitted(memo, a, case);
                a.segment = was;
                return s;
            }
        }
        self.summarize(memo, case).map(|r| r.summary)
    }

    /// The memoized summary of an admitted case (admitted with this engine, or re-segmented
    /// for it).
    fn summary_of_admitted(
        &self,
        memo: &mut Memo,
        admitted: &Admitted,
        case: &Case,
    ) -> Result<Arc<Summary>, String> {
        let key = admitted.memo_key();
        let found = match &key {
            Some(k) => memo.compact.get(k),
            None => memo.map.get(admitted),
        };
        if let Some(s) = found {
            memo.hits += 1;
            return Ok(Arc::clone(s));
        }
        if let Some(k) = &key
            && let Some(s) = self.shared_get(k)
        {
            // Decided by another thread for an equal case (which passed the role check).
            memo.hits += 1;
            memo.compact.insert(*k, Arc::clone(&s));
            return Ok(s);
        }
        // Not in the memo: the connecting roles are checked once per distinct admitted case.
        self.engine
            .check_roles(admitted, case, "")
            .map_err(|e| e.to_string())?;
        memo.misses += 1;
        let summary = Arc::new(self.summary_of(self.engine.decide(admitted)));
        match key {
            Some(k) => {
                if let Ok(mut m) = self.shared.lock() {
                    m.insert(k, Arc::clone(&summary));
                }
                memo.compact.insert(k, Arc::clone(&summary))
            }
            None => memo.map.insert(admitted.key_copy(), Arc::clone(&summary)),
        };
        Ok(summary)
    }

    fn shared_get(&self, k: &MemoKey) -> Option<Arc<Summary>> {
        self.shared.lock().ok()?.get(k).cloned()
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
        let mut summary = Summary {
            status: if outcome.competent.is_empty() {
                Status::NoCourt
            } else {
                Status::Routed
            },
            courts,
            relation: outcome.relation,
            warnings,
            outcome,
            rendered: Rendered::default(),
        };
        summary.rendered = self.render(&summary);
        summary
    }

    /// The output fragments of a summary.
    fn render(&self, s: &Summary) -> Rendered {
        let mut r = Rendered::default();
        let out = &mut r.jsonl_courts;
        out.push_str("{\"courts\":[");
        for (i, c) in s.courts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"court\":");
            json_str(
                self.court_ids
                    .get(usize::from(c.court))
                    .map(String::as_str)
                    .unwrap_or("?"),
                out,
            );
            out.push_str(",\"rules\":");
            json_str_list(c.rules.iter().map(String::as_str), out);
            out.push('}');
        }
        out.push(']');
        let out = &mut r.jsonl_warnings;
        out.push_str("\"warnings\":");
        json_str_list(s.warnings.iter().copied(), out);
        out.push_str("}\n");
        csv_cell(
            s.courts.iter().map(|c| {
                self.court_names
                    .get(usize::from(c.court))
                    .map(String::as_str)
                    .unwrap_or("?")
            }),
            "|",
            &mut r.csv_courts,
        );
        for (i, w) in s.warnings.iter().enumerate() {
            if i > 0 {
                r.csv_warnings.push('|');
            }
            r.csv_warnings.push_str(w);
        }
        r
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

/// Row counters; they reconcile: `read == routed + no_court + needs_clarification + failed`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Rows read.
    pub read: u64,
    /// Rows with at least one competent court.
    pub routed: u64,
    /// Rows with no competent court.
    pub no_court: u64,
    /// Rows with no court yet because a place is ambiguous (status `needs_clarification`).
    pub needs_clarification: u64,
    /// Rows that could not be routed (bad input).
    pub failed: u64,
}

impl Counts {
    /// Adds another set of counters.
    pub fn add(&mut self, o: Counts) {
        self.read += o.read;
        self.routed += o.routed;
        self.no_court += o.no_court;
        self.needs_clarification += o.needs_clarification;
        self.failed += o.failed;
    }

    /// Whether the counters reconcile.
    pub fn reconciles(&self) -> bool {
        self.read == self.routed + self.no_court + self.needs_clarification + self.failed
    }
}

/// The header of the CSV output.
pub const CSV_OUTPUT_HEADER: &str = "id,status,courts,relation,warnings,detail\n";

/// Whether a cell starting with `c` would be run as a formula by a spreadsheet.
fn formula_start(c: Option<char>) -> bool {
    matches!(c, Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// The one CSV cell writer of every CSV output (`batch`, `locate --input`, `simulate`
/// tables): appends the text cell made of `parts` joined by `sep`, quoted when needed
/// (RFC 4180: a comma, quote or line break inside; quotes doubled). A text cell that a
/// spreadsheet would execute (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return)
/// gets a leading `'`, so `=1+2` is written `'=1+2` (see `docs/limits.md`). Only text
/// columns (ids, names, messages, rule ids) go through here; numeric columns are written
/// as they are, so `-1.5` stays a number.
pub fn csv_cell<'a>(parts: impl Iterator<Item = &'a str> + Clone, sep: &str, out: &mut String) {
    let quote = parts.clone().any(|s| s.contains([',', '"', '\n', '\r']))
        || sep.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    for (i, s) in parts.enumerate() {
        if i > 0 {
            out.push_str(sep);
        } else if formula_start(s.chars().next()) {
            out.push('\'');
        }
        if quote {
            for (k, piece) in s.split('"').enumerate() {
                if k > 0 {
                    out.push_str("\"\"");
                }
                out.push_str(piece);
            }
        } else {
            out.push_str(s);
        }
    }
    if quote {
        out.push('"');
    }
}

/// Appends one text cell: [`csv_cell`] of a single value.
pub fn csv_field(s: &str, out: &mut String) {
    csv_cell(std::iter::once(s), "", out);
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
                // An ambiguous place: status `needs_clarification`, the ambiguity as the
                // reason; the `--full` JSONL line carries the candidates.
                Status::NoCourt | Status::NeedsClarification
                    if r.admitted.needs_clarification() =>
                {
                    counts.needs_clarification += 1;
                    ",needs_clarification,"
                }
                Status::NoCourt | Status::NeedsClarification => {
                    counts.no_court += 1;
                    ",no_court,"
                }
            });
            out.push_str(&s.rendered.csv_courts);
            out.push(',');
            out.push_str(relation_name(s.relation));
            out.push(',');
            out.push_str(&s.rendered.csv_warnings);
            out.push(',');
            if s.status != Status::Routed
                && let Some(reason) = router.no_court_reason(r)
            {
                csv_field(&reason, out);
            }
        }
    }
    out.push('\n');
}

/// Appends a JSON array of strings (`["a","b"]`).
fn json_str_list<'a>(items: impl Iterator<Item = &'a str>, out: &mut String) {
    out.push('[');
    for (k, item) in items.enumerate() {
        if k > 0 {
            out.push(',');
        }
        json_str(item, out);
    }
    out.push(']');
}

/// Appends `s` as a JSON string, escaped as `serde_json` does (`"`, `\\` and control
/// characters; everything else as is).
pub fn json_str(s: &str, out: &mut String) {
    out.push('"');
    // Most strings need no escape: one scan, one copy.
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(from..i).unwrap_or(""));
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(esc);
        }
        from = i + 1;
    }
    out.push_str(s.get(from..).unwrap_or(""));
    out.push('"');
}

/// Appends one compact JSONL output row (the default of `ecojuris batch`): `{"courts":
/// [{"court", "rules"}], "id", "reason" (English, for a case with no court), "relation",
/// "status", "warnings"}`, or `{"error", "id", "line", "status": "error"}`; keys in that
/// (alphabetical) order. About 150 bytes, written straight into `out`.
pub fn jsonl_compact_row(
    id: &str,
    line: u64,
    outcome: &Result<Routed, String>,
    router: &Router<'_>,
    counts: &mut Counts,
    out: &mut String,
) {
    counts.read += 1;
    let r = match outcome {
        Ok(r) => r,
        Err(e) => {
            counts.failed += 1;
            out.push_str("{\"error\":");
            json_str(e, out);
            out.push_str(",\"id\":");
            json_str(id, out);
            let _ = write!(out, ",\"line\":{line},\"messages\":");
            match serde_json::to_string(&crate::explain::errors::text(e)) {
                Ok(m) => out.push_str(&m),
                Err(_) => out.push_str("null"),
            }
            out.push_str(",\"status\":\"error\"}");
            out.push('\n');
            return;
        }
    };
    let s = &r.summary;
    let status = match s.status {
        Status::Routed => {
            counts.routed += 1;
            "routed"
        }
        Status::NoCourt | Status::NeedsClarification if r.admitted.needs_clarification() => {
            counts.needs_clarification += 1;
            "needs_clarification"
        }
        Status::NoCourt | Status::NeedsClarification => {
            counts.no_court += 1;
            "no_court"
        }
    };
    out.push_str(&s.rendered.jsonl_courts);
    out.push_str(",\"id\":");
    json_str(id, out);
    if s.status != Status::Routed
        && let Some(reason) = router.no_court_reason(r)
    {
        out.push_str(",\"reason\":");
        json_str(&reason, out);
    }
    out.push_str(",\"relation\":\"");
    out.push_str(relation_name(s.relation));
    out.push_str("\",\"status\":\"");
    out.push_str(status);
    out.push_str("\",");
    out.push_str(&s.rendered.jsonl_warnings);
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
                Status::NeedsClarification => counts.needs_clarification += 1,
            }
            match serde_json::to_string(d) {
                Ok(s) => out.push_str(&s),
                Err(e) => out.push_str(&serde_json::json!({"case_id": id, "line": line, "status": "error", "error": e.to_string()}).to_string()),
            }
        }
        Err(e) => {
            counts.failed += 1;
            out.push_str(
                &serde_json::json!({"case_id": id, "line": line, "status": "error", "error": e,
                    "messages": crate::explain::errors::text(e)})
                .to_string(),
            );
        }
    }
    out.push('\n');
}

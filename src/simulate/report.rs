//! Baseline versus scenario: per-case comparison and the aggregates a report is built from
//! (rendered by [`super::render`]). Sans IO: the caller feeds cases in input order.
//!
//! Definitions (also printed in every report):
//! - a case *changes* when its list of competent courts (ids, in decision order) differs,
//!   or when it fails or has no court on one side only;
//! - the *hearing court* of a case is its first competent court (decision order: first place,
//!   then court id); workload and fragmentation count each case once, at its hearing court;
//! - *travel* is the great-circle distance from the case's first place (the point, or the
//!   representative point of the unit of a code or address) to the nearest seat among its
//!   competent courts (`seat_at` in `courts.yaml`, itself approximate);
//! - a case is *flagged* when the scenario leaves it without a court (or fails it) while the
//!   baseline routed it, or when the scenario gives it more competent courts than the baseline.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::batch::{Memo, Router, Summary};
use super::great_circle_km;
use crate::model::{Case, CaseKind, Date, PlaceSpec, Role, Status};

/// No court (index sentinel).
pub const NONE: u16 = u16::MAX;

/// One side's answer for a case.
pub type Answer = Result<Arc<Summary>, String>;

/// A case routed both ways.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Row id.
    pub id: String,
    /// Kind, when the case parsed.
    pub kind: Option<CaseKind>,
    /// Filing date used.
    pub date: Option<Date>,
    /// Unit index of the first place.
    pub unit: Option<usize>,
    /// Travel point of the first place.
    pub point: Option<[f64; 2]>,
    /// Incident id.
    pub incident: Option<String>,
    /// The case's located places lie in more than one province.
    pub cross_province: bool,
    /// Baseline answer.
    pub before: Answer,
    /// Scenario answer.
    pub after: Answer,
}

/// Routes one parsed case under both routers (whose court tables must be aligned: build the
/// scenario router with `Router::with_courts(…, baseline.court_ids(), …)`).
pub fn compare_case(
    base: &Router<'_>,
    scen: &Router<'_>,
    memos: (&mut Memo, &mut Memo),
    id: String,
    case: Result<Case, String>,
) -> CaseResult {
    match case {
        Err(e) => CaseResult {
            id,
            kind: None,
            date: None,
            unit: None,
            point: None,
            incident: None,
            cross_province: false,
            before: Err(e.clone()),
            after: Err(e),
        },
        Ok(mut c) => {
            let mut before = base.summarize(memos.0, &c);
            // Located once: the scenario re-uses the baseline's admission when it can.
            let after = match &mut before {
                Ok(r) => scen.summarize_after(base, memos.1, r, &c),
                Err(_) => scen.summarize(memos.1, &c).map(|r| r.summary),
            };
            let (unit, point) = before
                .as_ref()
                .map(|r| base.first_place(r))
                .unwrap_or_default();
            let cross_province = before.as_ref().is_ok_and(|r| {
                let units = base.engine().geo().units();
                let mut prov: Option<&str> = None;
                r.admitted.place_units().flatten().any(|u| {
                    let p = units.get(u).and_then(|x| x.adcode.get(..2)).unwrap_or("");
                    *prov.get_or_insert(p) != p
                })
            });
            CaseResult {
                id,
                kind: Some(c.kind),
                date: Some(base.date_of(&c)),
                unit,
                point,
                incident: c.incident_id.take(),
                cross_province,
                before: before.map(|r| r.summary),
                after,
            }
        }
    }
}

fn courts_of(a: &Answer) -> Vec<u16> {
    match a {
        Ok(s) => s.courts.iter().map(|c| c.court).collect(),
        Err(_) => Vec::new(),
    }
}

fn n_courts(a: &Answer) -> usize {
    a.as_ref().map_or(0, |s| s.courts.len())
}

fn same_courts(a: &Answer, b: &Answer) -> bool {
    fn ids(x: &Answer) -> &[super::batch::CourtHit] {
        match x {
            Ok(s) => &s.courts,
            Err(_) => &[],
        }
    }
    let (x, y) = (ids(a), ids(b));
    x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.court == q.court)
}

fn hearing(a: &Answer) -> u16 {
    match a {
        Ok(s) => s.courts.first().map(|c| c.court).unwrap_or(NONE),
        Err(_) => NONE,
    }
}

fn routed(a: &Answer) -> bool {
    matches!(a, Ok(s) if s.status == Status::Routed)
}

/// A changed case.
#[derive(Debug, Clone)]
pub struct Change {
    /// Row id.
    pub id: String,
    /// Kind.
    pub kind: Option<CaseKind>,
    /// Unit index.
    pub unit: Option<usize>,
    /// Baseline answer.
    pub before: Answer,
    /// Scenario answer.
    pub after: Answer,
}

/// A group of changed cases: kind, baseline courts, scenario courts.
pub type TransitionKey = (Option<CaseKind>, Vec<u16>, Vec<u16>);

/// Cases in a group, with the rules responsible on each side.
pub type Transition = (u64, Vec<String>, Vec<String>);

/// Per-side counters.
#[derive(Debug, Default, Clone, Copy)]
pub struct SideCounts {
    /// Routed.
    pub routed: u64,
    /// No court.
    pub no_court: u64,
    /// Failed (bad input).
    pub failed: u64,
}

/// Everything the reports need, accumulated case by case in input order.
#[derive(Debug, Default)]
pub struct Aggregate {
    /// Cases read.
    pub read: u64,
    /// Baseline counters.
    pub before: SideCounts,
    /// Scenario counters.
    pub after: SideCounts,
    /// Workload: (court, kind) → (baseline, scenario) at the hearing court.
    pub workload: BTreeMap<(u16, CaseKind), (u64, u64)>,
    /// Changed cases, in input order.
    pub changes: Vec<Change>,
    /// Changed cases by (kind, baseline courts, scenario courts).
    pub transitions: BTreeMap<TransitionKey, Transition>,
    /// Flagged cases (no court, or more courts than before), in input order.
    pub flagged: Vec<Change>,
    /// Incident → hearing court of each of its cases (baseline, scenario).
    pub incidents: Incidents,
    /// Travel km (baseline, scenario) over all cases routed on both sides.
    pub travel: (Vec<f32>, Vec<f32>),
    /// Travel km per unit of the first place.
    pub travel_by_unit: BTreeMap<usize, (Vec<f32>, Vec<f32>)>,
    /// Latest filing date seen.
    pub max_date: Option<Date>,
    /// Earliest filing date seen.
    pub min_date: Option<Date>,
    /// The scenario's effective date: per-year figures count the cases filed on or after it.
    pub effective_from: Option<Date>,
    /// Per filing year: cases, changed cases, flagged cases.
    pub years: BTreeMap<i32, [u64; 3]>,
    /// Cases filed while the scenario is in force (on or after `effective_from`).
    pub in_force: InForce,
    /// Per-district figures, for the units given to [`Aggregate::with_districts`].
    pub districts: Vec<DistrictAgg>,
    /// Unit index → slot in `districts`.
    district_of: Vec<u8>,
}

/// Counters over the cases filed while the scenario is in force.
#[derive(Debug, Default, Clone)]
pub struct InForce {
    /// Cases.
    pub cases: u64,
    /// Changed cases.
    pub changed: u64,
    /// Flagged cases.
    pub flagged: u64,
    /// Filing years.
    pub years: std::collections::BTreeSet<i32>,
    /// (court, kind) → (baseline, scenario) at the hearing court.
    pub workload: BTreeMap<(u16, CaseKind), (u64, u64)>,
}

impl InForce {
    /// Number of filing years (at least 1, to divide by).
    pub fn n_years(&self) -> u64 {
        (self.years.len() as u64).max(1)
    }
}

/// The figures of one district (a county-level unit), over its cases in force.
#[derive(Debug, Default, Clone)]
pub struct DistrictAgg {
    /// Unit index.
    pub unit: usize,
    /// Cases whose first place lies in the unit.
    pub cases: u64,
    /// Changed cases.
    pub changed: u64,
    /// (court, kind) → (baseline, scenario) at the hearing court.
    pub workload: BTreeMap<(u16, CaseKind), (u64, u64)>,
    /// Incident → hearing courts of its cases (baseline, scenario).
    pub incidents: Incidents,
    /// Travel km (baseline, scenario).
    pub travel: (Vec<f32>, Vec<f32>),
    /// Cases with a place in another province.
    pub cross_province: u64,
    /// Incidents with a case with a place in another province.
    pub cross_province_incidents: std::collections::HashSet<String>,
}

const NO_DISTRICT: u8 = u8::MAX;

/// The hearing courts (baseline, scenario) of the cases of one incident; the first case is
/// kept inline, so the million single-case incidents of a large population allocate nothing.
#[derive(Debug, Clone, Default)]
pub struct Incident {
    first: (u16, u16),
    more: Vec<(u16, u16)>,
}

impl Incident {
    fn new(first: (u16, u16)) -> Incident {
        Incident {
            first,
            more: Vec::new(),
        }
    }

    /// Number of cases.
    pub fn len(&self) -> usize {
        1 + self.more.len()
    }

    /// Never empty (an incident exists once it has a case).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The hearing courts of each case.
    pub fn iter(&self) -> impl Iterator<Item = &(u16, u16)> {
        std::iter::once(&self.first).chain(self.more.iter())
    }
}

/// The fast hasher of incident ids is the memo's ([`super::batch::FxHasher`]).
pub use super::batch::FxHasher as IdHasher;

/// Incident id → its cases' hearing courts.
pub type Incidents = HashMap<String, Incident, std::hash::BuildHasherDefault<IdHasher>>;

fn add_incident(map: &mut Incidents, id: String, courts: (u16, u16)) {
    match map.entry(id) {
        std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().more.push(courts),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(Incident::new(courts));
        }
    }
}

fn travel_km(a: &Answer, point: Option<[f64; 2]>, seats: &[Option<[f64; 2]>]) -> Option<f32> {
    let p = point?;
    let s = a.as_ref().ok()?;
    s.courts
        .iter()
        .filter_map(|c| seats.get(usize::from(c.court)).copied().flatten())
        .map(|seat| great_circle_km(p, seat))
        .min_by(f64::total_cmp)
        .map(|d| d as f32)
}

impl Aggregate {
    /// An empty aggregate that keeps per-district figures for these unit indices (at most
    /// 254) among `n_units` units, and counts per-year figures from `effective_from`.
    pub fn with_districts(
        n_units: usize,
        districts: &[usize],
        effective_from: Option<Date>,
    ) -> Aggregate {
        let mut district_of = vec![NO_DISTRICT; n_units];
        let mut ds = Vec::new();
        for (i, u) in districts.iter().take(254).enumerate() {
            if let Some(slot) = district_of.get_mut(*u) {
                *slot = u8::try_from(i).unwrap_or(NO_DISTRICT);
                ds.push(DistrictAgg {
                    unit: *u,
                    ..DistrictAgg::default()
                });
            }
        }
        Aggregate {
            effective_from,
            districts: ds,
            district_of,
            ..Aggregate::default()
        }
    }

    /// Makes room for about `cases` more cases' incidents (a caller that knows the input's
    /// size saves the incident table's regrowths; the figures do not depend on it).
    pub fn reserve(&mut self, cases: usize) {
        self.incidents.reserve(cases);
    }

    /// Adds one case. `seats` are court seats by table index (the scenario router's, which
    /// extends the baseline's).
    pub fn add(&mut self, r: CaseResult, seats: &[Option<[f64; 2]>]) {
        self.count_answers(&r);
        let (hb, ha) = (hearing(&r.before), hearing(&r.after));
        let changed = !same_courts(&r.before, &r.after)
            || routed(&r.before) != routed(&r.after)
            || r.before.is_err() != r.after.is_err();
        let flagged =
            (routed(&r.before) && !routed(&r.after)) || n_courts(&r.after) > n_courts(&r.before);
        let in_force = match (r.date, self.effective_from) {
            (Some(d), Some(from)) => d >= from,
            (_, None) => true,
            (None, Some(_)) => false,
        };
        if let Some(d) = r.date {
            let y = self.years.entry(d.ymd().0).or_default();
            y[0] += 1;
            y[1] += u64::from(changed);
            y[2] += u64::from(flagged);
        }
        let travel = (
            travel_km(&r.before, r.point, seats),
            travel_km(&r.after, r.point, seats),
        );
        let hearing = (hb, ha);
        if in_force {
            self.add_in_force(&r, hearing, (changed, flagged), travel);
        }
        count_workload(&mut self.workload, r.kind, hearing);
        let mut r = r;
        if let Some(inc) = r.incident.take() {
            add_incident(&mut self.incidents, inc, hearing);
        }
        if let (Some(tb), Some(ta)) = travel {
            self.travel.0.push(tb);
            self.travel.1.push(ta);
            if let Some(u) = r.unit {
                let e = self.travel_by_unit.entry(u).or_default();
                e.0.push(tb);
                e.1.push(ta);
            }
        }
        if changed || flagged {
            self.record_change(r, changed, flagged);
        }
    }

    /// Counts a case read: its answer on each side and its filing date's range.
    fn count_answers(&mut self, r: &CaseResult) {
        self.read += 1;
        for (side, a) in [(&mut self.before, &r.before), (&mut self.after, &r.after)] {
            match a {
                Err(_) => side.failed += 1,
                Ok(s) if s.status == Status::Routed => side.routed += 1,
                Ok(_) => side.no_court += 1,
            }
        }
        if let Some(d) = r.date {
            self.max_date = Some(self.max_date.map_or(d, |m| m.max(d)));
            self.min_date = Some(self.min_date.map_or(d, |m| m.min(d)));
        }
    }

    /// Counts a case filed while the scenario is in force, and in its Demonstration Zone
    /// district when it has one. `hearing` and `travel` are (baseline, scenario); `marks` is
    /// (changed, flagged).
    fn add_in_force(
        &mut self,
        r: &CaseResult,
        hearing: (u16, u16),
        marks: (bool, bool),
        travel: (Option<f32>, Option<f32>),
    ) {
        let (changed, flagged) = marks;
        let f = &mut self.in_force;
        f.cases += 1;
        f.changed += u64::from(changed);
        f.flagged += u64::from(flagged);
        if let Some(d) = r.date {
            f.years.insert(d.ymd().0);
        }
        count_workload(&mut f.workload, r.kind, hearing);
        let slot = r
            .unit
            .and_then(|u| self.district_of.get(u).copied())
            .unwrap_or(NO_DISTRICT);
        if let Some(d) = self.districts.get_mut(usize::from(slot)) {
            d.cases += 1;
            d.changed += u64::from(changed);
            count_workload(&mut d.workload, r.kind, hearing);
            if let Some(inc) = &r.incident {
                add_incident(&mut d.incidents, inc.clone(), hearing);
                if r.cross_province {
                    d.cross_province_incidents.insert(inc.clone());
                }
            }
            d.cross_province += u64::from(r.cross_province);
            if let (Some(tb), Some(ta)) = travel {
                d.travel.0.push(tb);
                d.travel.1.push(ta);
            }
        }
    }

    /// Keeps a changed or flagged case, and counts a changed one in its transition (kind,
    /// courts before, courts after) with the rules of either side.
    fn record_change(&mut self, r: CaseResult, changed: bool, flagged: bool) {
        let (cb, ca) = (courts_of(&r.before), courts_of(&r.after));
        let ch = Change {
            id: r.id,
            kind: r.kind,
            unit: r.unit,
            before: r.before,
            after: r.after,
        };
        if changed {
            let e = self
                .transitions
                .entry((ch.kind, cb, ca))
                .or_insert_with(|| (0, answer_rule_ids(&ch.before), answer_rule_ids(&ch.after)));
            e.0 += 1;
        }
        if flagged {
            self.flagged.push(ch.clone());
        }
        if changed {
            self.changes.push(ch);
        }
    }
}

/// Counts a case of `kind` at its hearing courts (baseline, scenario), where it has one.
fn count_workload(
    map: &mut BTreeMap<(u16, CaseKind), (u64, u64)>,
    kind: Option<CaseKind>,
    (hb, ha): (u16, u16),
) {
    if let Some(k) = kind {
        if hb != NONE {
            map.entry((hb, k)).or_default().0 += 1;
        }
        if ha != NONE {
            map.entry((ha, k)).or_default().1 += 1;
        }
    }
}

/// The distinct rule ids of an answer's courts, in order.
fn answer_rule_ids(a: &Answer) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    if let Ok(s) = a {
        for c in &s.courts {
            for x in &c.rules {
                if !v.contains(x) {
                    v.push(x.clone());
                }
            }
        }
    }
    v
}

/// Fragmentation of incidents with at least two cases.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fragmentation {
    /// Incidents with at least two cases.
    pub incidents: u64,
    /// Mean number of distinct hearing courts per incident (baseline, scenario).
    pub mean_courts: (f64, f64),
    /// Share of incidents heard by a single court (baseline, scenario).
    pub single_court_share: (f64, f64),
    /// Incidents by distinct courts 1, 2, 3+ (baseline).
    pub dist_before: [u64; 3],
    /// The same, scenario.
    pub dist_after: [u64; 3],
}

/// Computes the fragmentation figures.
pub fn fragmentation(agg: &Aggregate) -> Fragmentation {
    fragmentation_of(&agg.incidents)
}

/// The fragmentation figures of a map incident → hearing courts (baseline, scenario).
pub fn fragmentation_of(incidents: &Incidents) -> Fragmentation {
    let mut f = Fragmentation::default();
    let (mut sb, mut sa) = (0u64, 0u64);
    let (mut one_b, mut one_a) = (0u64, 0u64);
    for cases in incidents.values() {
        if cases.len() < 2 {
            continue;
        }
        f.incidents += 1;
        let distinct = |pick: fn(&(u16, u16)) -> u16| {
            let mut v: Vec<u16> = cases.iter().map(pick).filter(|c| *c != NONE).collect();
            v.sort_unstable();
            v.dedup();
            v.len() as u64
        };
        let (b, a) = (distinct(|p| p.0), distinct(|p| p.1));
        sb += b;
        sa += a;
        one_b += u64::from(b == 1);
        one_a += u64::from(a == 1);
        f.dist_before[usize::try_from(b.clamp(1, 3) - 1).unwrap_or(0)] += 1;
        f.dist_after[usize::try_from(a.clamp(1, 3) - 1).unwrap_or(0)] += 1;
    }
    if f.incidents > 0 {
        let n = f.incidents as f64;
        f.mean_courts = (sb as f64 / n, sa as f64 / n);
        f.single_court_share = (one_b as f64 / n, one_a as f64 / n);
    }
    f
}

/// Median and 90th percentile (nearest rank) of a sample; `None` when empty.
pub fn median_p90(v: &mut [f32]) -> Option<(f64, f64)> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable_by(f32::total_cmp);
    let at = |q: f64| {
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v.get(rank - 1).copied().map(f64::from).unwrap_or(0.0)
    };
    Some((at(0.5), at(0.9)))
}

/// One workload row.
#[derive(Debug, Clone)]
pub struct WorkloadRow {
    /// Court index.
    pub court: u16,
    /// Per kind: (kind, baseline, scenario).
    pub kinds: Vec<(CaseKind, u64, u64)>,
    /// Totals.
    pub before: u64,
    /// Totals.
    pub after: u64,
}

impl WorkloadRow {
    /// Scenario minus baseline.
    pub fn delta(&self) -> i64 {
        i64::try_from(self.after).unwrap_or(i64::MAX)
            - i64::try_from(self.before).unwrap_or(i64::MAX)
    }
}

/// Workload per court from a `(court, kind) → (baseline, scenario)` map, sorted by the size
/// of the change, then by baseline load, then id.
pub fn workload(
    map: &BTreeMap<(u16, CaseKind), (u64, u64)>,
    kinds: &[CaseKind],
) -> Vec<WorkloadRow> {
    let mut by: BTreeMap<u16, WorkloadRow> = BTreeMap::new();
    for ((c, k), (b, a)) in map {
        let row = by.entry(*c).or_insert_with(|| WorkloadRow {
            court: *c,
            kinds: kinds.iter().map(|k| (*k, 0, 0)).collect(),
            before: 0,
            after: 0,
        });
        if let Some(slot) = row.kinds.iter_mut().find(|x| x.0 == *k) {
            slot.1 += b;
            slot.2 += a;
        }
        row.before += b;
        row.after += a;
    }
    let mut v: Vec<WorkloadRow> = by.into_values().collect();
    v.sort_by(|x, y| {
        y.delta()
            .abs()
            .cmp(&x.delta().abs())
            .then(y.before.cmp(&x.before))
            .then(x.court.cmp(&y.court))
    });
    v
}

/// The kinds present in a workload map, in declaration order.
pub fn kinds_present(map: &BTreeMap<(u16, CaseKind), (u64, u64)>) -> Vec<CaseKind> {
    let mut v: Vec<CaseKind> = map.keys().map(|(_, k)| *k).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The court hearing each unit for one kind on one date (a one-place code case; role
/// `agency` for administrative kinds, `conduct` otherwise), `NONE` where there is none.
pub fn unit_courts(router: &Router<'_>, memo: &mut Memo, kind: CaseKind, date: Date) -> Vec<u16> {
    let role = if matches!(
        kind,
        CaseKind::Administrative | CaseKind::AdministrativePublicInterest
    ) {
        Role::Agency
    } else {
        Role::Conduct
    };
    router
        .engine()
        .geo()
        .units()
        .iter()
        .map(|u| {
            let c = Case::simple(kind, role, PlaceSpec::Code(u.adcode.clone()), Some(date));
            router
                .summarize(memo, &c)
                .ok()
                .and_then(|r| r.summary.courts.first().map(|c| c.court))
                .unwrap_or(NONE)
        })
        .collect()
}

/// One logged decision: its competent courts and the rules that assigned them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Logged {
    /// Court ids, in decision order.
    pub courts: Vec<String>,
    /// Rule ids.
    pub rules: Vec<String>,
    /// The log line.
    pub line: u64,
}

/// A logged decision the scenario would move.
#[derive(Debug, Clone)]
pub struct ReplayRow {
    /// Case id.
    pub id: String,
    /// Kind.
    pub kind: Option<CaseKind>,
    /// Unit index.
    pub unit: Option<usize>,
    /// What the log says.
    pub logged: Logged,
    /// The scenario's courts and rules.
    pub scenario: Logged,
}

/// Replay of a decision log (`ecojuris batch` JSONL, compact or `--full`) against a scenario:
/// each logged case is found by id among the input cases and routed again; a decision
/// *moves* when the scenario's courts differ from the logged ones.
#[derive(Debug, Default)]
pub struct Replay {
    logged: HashMap<String, Logged>,
    /// Log lines that are errors (no decision to move).
    pub errors: u64,
    /// Logged decisions found among the input cases.
    pub matched: u64,
    /// Of those, moved by the scenario.
    pub moved: Vec<ReplayRow>,
    /// Of those, the same courts but other rules.
    pub rules_only: u64,
    /// Logged decisions whose courts differ from today's baseline (the log is older than the
    /// rules, or came from other rules).
    pub stale: u64,
}

fn json_strs(v: Option<&serde_json::Value>) -> impl Iterator<Item = &str> {
    v.and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
}

impl Replay {
    /// Reads a decision log; errors name the line.
    pub fn parse(text: &str) -> Result<Replay, String> {
        let mut r = Replay::default();
        for (i, line) in text.lines().enumerate() {
            let n = i as u64 + 1;
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| format!("line {n}: not a JSON decision ({e})"))?;
            let id = v
                .get("id")
                .or_else(|| v.get("case_id"))
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| format!("line {n}: no `id` or `case_id`: replay needs case ids"))?
                .to_string();
            if v.get("status").and_then(serde_json::Value::as_str) == Some("error") {
                r.errors += 1;
                continue;
            }
            let mut logged = Logged {
                line: n,
                ..Logged::default()
            };
            if let Some(courts) = v.get("courts").and_then(serde_json::Value::as_array) {
                for c in courts {
                    if let Some(id) = c.get("court").and_then(serde_json::Value::as_str) {
                        logged.courts.push(id.to_string());
                    }
                    logged
                        .rules
                        .extend(json_strs(c.get("rules")).map(str::to_string));
                }
            } else if let Some(comp) = v.get("competent").and_then(serde_json::Value::as_array) {
                for c in comp {
                    if let Some(id) = c
                        .get("court")
                        .and_then(|c| c.get("id"))
                        .and_then(serde_json::Value::as_str)
                    {
                        logged.courts.push(id.to_string());
                    }
                    for g in c
                        .get("grounds")
                        .and_then(serde_json::Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(rule) = g.get("rule").and_then(serde_json::Value::as_str) {
                            logged.rules.push(rule.to_string());
                        }
                    }
                }
            } else {
                return Err(format!(
                    "line {n}: neither `courts` (compact batch line) nor `competent` (full decision)"
                ));
            }
            let mut rules: Vec<String> = Vec::new();
            for x in logged.rules.drain(..) {
                if !rules.contains(&x) {
                    rules.push(x);
                }
            }
            logged.rules = rules;
            r.logged.insert(id, logged);
        }
        Ok(r)
    }

    /// Logged decisions in the log.
    pub fn len(&self) -> usize {
        self.logged.len()
    }

    /// No logged decision.
    pub fn is_empty(&self) -> bool {
        self.logged.is_empty()
    }

    /// Checks one routed case against the log (`court_ids` of the aligned routers).
    pub fn check(&mut self, r: &CaseResult, court_ids: &[String]) {
        let Some(logged) = self.logged.get(&r.id) else {
            return;
        };
        self.matched += 1;
        let side = |a: &Answer| -> Logged {
            let mut l = Logged::default();
            if let Ok(s) = a {
                for c in &s.courts {
                    l.courts.push(
                        court_ids
                            .get(usize::from(c.court))
                            .cloned()
                            .unwrap_or_default(),
                    );
                    for x in &c.rules {
                        if !l.rules.contains(x) {
                            l.rules.push(x.clone());
                        }
                    }
                }
            }
            l
        };
        let (base, scen) = (side(&r.before), side(&r.after));
        if base.courts != logged.courts {
            self.stale += 1;
        }
        if scen.courts != logged.courts {
            self.moved.push(ReplayRow {
                id: r.id.clone(),
                kind: r.kind,
                unit: r.unit,
                logged: logged.clone(),
                scenario: scen,
            });
        } else if scen.rules != logged.rules {
            self.rules_only += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher as _;

    #[test]
    fn incident_ids_spread_over_the_low_bits() {
        let b = std::hash::BuildHasherDefault::<IdHasher>::default();
        let mut low: Vec<u64> = (0..4096)
            .map(|i| b.hash_one(format!("i{i:07}")) & 0xfff)
            .collect();
        low.sort_unstable();
        low.dedup();
        // 4,096 ids into 4,096 buckets: a uniform hash fills about 63 % of them.
        assert!(low.len() > 2000, "{}", low.len());
    }
}

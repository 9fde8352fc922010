//! Baseline versus scenario: per-case comparison, aggregates and their renderings (Markdown,
//! self-contained HTML, CSV). Sans IO: the caller feeds cases in input order and writes the
//! strings this module returns.
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
use std::fmt::Write as _;
use std::sync::Arc;

use super::batch::{Memo, Router, Summary, csv_field, relation_name};
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
            before: Err(e.clone()),
            after: Err(e),
        },
        Ok(mut c) => {
            let before = base.summarize(memos.0, &c);
            let after = scen.summarize(memos.1, &c);
            let (unit, point) = before
                .as_ref()
                .map(|r| base.first_place(r))
                .unwrap_or_default();
            CaseResult {
                id,
                kind: Some(c.kind),
                date: Some(base.date_of(&c)),
                unit,
                point,
                incident: c.incident_id.take(),
                before: before.map(|r| r.summary),
                after: after.map(|r| r.summary),
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

/// A report section: title, introduction, table head, table rows.
type Section = (String, String, Vec<String>, Vec<Vec<String>>);

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
    pub incidents: HashMap<String, Vec<(u16, u16)>>,
    /// Travel km (baseline, scenario) over all cases routed on both sides.
    pub travel: (Vec<f32>, Vec<f32>),
    /// Travel km per unit of the first place.
    pub travel_by_unit: BTreeMap<usize, (Vec<f32>, Vec<f32>)>,
    /// Latest filing date seen.
    pub max_date: Option<Date>,
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
    /// Adds one case. `seats` are court seats by table index (the scenario router's, which
    /// extends the baseline's).
    pub fn add(&mut self, r: CaseResult, seats: &[Option<[f64; 2]>]) {
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
        }
        let (hb, ha) = (hearing(&r.before), hearing(&r.after));
        if let Some(k) = r.kind {
            if hb != NONE {
                self.workload.entry((hb, k)).or_default().0 += 1;
            }
            if ha != NONE {
                self.workload.entry((ha, k)).or_default().1 += 1;
            }
        }
        if let Some(inc) = &r.incident {
            self.incidents
                .entry(inc.clone())
                .or_default()
                .push((hb, ha));
        }
        if let (Some(tb), Some(ta)) = (
            travel_km(&r.before, r.point, seats),
            travel_km(&r.after, r.point, seats),
        ) {
            self.travel.0.push(tb);
            self.travel.1.push(ta);
            if let Some(u) = r.unit {
                let e = self.travel_by_unit.entry(u).or_default();
                e.0.push(tb);
                e.1.push(ta);
            }
        }
        let (cb, ca) = (courts_of(&r.before), courts_of(&r.after));
        let changed = cb != ca
            || routed(&r.before) != routed(&r.after)
            || r.before.is_err() != r.after.is_err();
        let flagged = (routed(&r.before) && !routed(&r.after)) || ca.len() > cb.len();
        if changed || flagged {
            let ch = Change {
                id: r.id,
                kind: r.kind,
                unit: r.unit,
                before: r.before,
                after: r.after,
            };
            if changed {
                let rules = |a: &Answer| -> Vec<String> {
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
                };
                let e = self
                    .transitions
                    .entry((ch.kind, cb, ca))
                    .or_insert_with(|| (0, rules(&ch.before), rules(&ch.after)));
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
    let mut f = Fragmentation::default();
    let (mut sb, mut sa) = (0u64, 0u64);
    let (mut one_b, mut one_a) = (0u64, 0u64);
    for cases in agg.incidents.values() {
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

/// Names and labels for rendering.
#[derive(Debug, Clone)]
pub struct Labels {
    /// Baseline label (rules version, or the baseline scenario).
    pub baseline: String,
    /// Scenario label.
    pub scenario: String,
    /// Court ids by table index.
    pub court_ids: Vec<String>,
    /// Court names (Chinese) by table index.
    pub court_names: Vec<String>,
    /// Unit `(adcode, name)` by unit index.
    pub units: Vec<(String, String)>,
    /// The input.
    pub cases: String,
}

impl Labels {
    fn court(&self, c: u16) -> String {
        match (
            self.court_names.get(usize::from(c)),
            self.court_ids.get(usize::from(c)),
        ) {
            (Some(n), Some(id)) => format!("{n} ({id})"),
            _ => "—".to_string(),
        }
    }

    fn courts(&self, cs: &[u16]) -> String {
        if cs.is_empty() {
            return "no court".to_string();
        }
        cs.iter()
            .map(|c| self.court(*c))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    fn answer(&self, a: &Answer) -> String {
        match a {
            Err(e) => format!("error: {e}"),
            Ok(s) if s.status == Status::NoCourt => "no court".to_string(),
            Ok(s) => self.courts(&s.courts.iter().map(|c| c.court).collect::<Vec<_>>()),
        }
    }

    fn unit(&self, u: Option<usize>) -> String {
        u.and_then(|u| self.units.get(u))
            .map(|(c, n)| format!("{n} {c}"))
            .unwrap_or_else(|| "—".to_string())
    }
}

fn answer_rules(a: &Answer) -> String {
    match a {
        Ok(s) => s
            .courts
            .iter()
            .map(|c| c.rules.join("+"))
            .collect::<Vec<_>>()
            .join(" | "),
        Err(_) => String::new(),
    }
}

/// `changes.csv` (and `flagged.csv`): one row per case.
pub fn changes_csv(rows: &[Change], labels: &Labels) -> String {
    let mut s = String::from(
        "id,kind,unit,baseline_courts,baseline_rules,scenario_courts,scenario_rules,baseline_relation,scenario_relation\n",
    );
    for c in rows {
        csv_field(&c.id, &mut s);
        s.push(',');
        s.push_str(c.kind.map(|k| k.name()).unwrap_or(""));
        s.push(',');
        csv_field(&labels.unit(c.unit), &mut s);
        for a in [&c.before, &c.after] {
            s.push(',');
            csv_field(&labels.answer(a), &mut s);
            s.push(',');
            csv_field(&answer_rules(a), &mut s);
        }
        for a in [&c.before, &c.after] {
            s.push(',');
            s.push_str(
                a.as_ref()
                    .map(|x| relation_name(x.relation))
                    .unwrap_or("error"),
            );
        }
        s.push('\n');
    }
    s
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

/// Workload per court, sorted by the size of the change, then by baseline load, then id.
pub fn workload(agg: &Aggregate, kinds: &[CaseKind]) -> Vec<WorkloadRow> {
    let mut by: BTreeMap<u16, WorkloadRow> = BTreeMap::new();
    for ((c, k), (b, a)) in &agg.workload {
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

/// `workload.csv`.
pub fn workload_csv(rows: &[WorkloadRow], labels: &Labels) -> String {
    let mut s = String::from("court_id,court,kind,baseline,scenario,delta\n");
    for r in rows {
        for (k, b, a) in &r.kinds {
            let _ = write!(
                s,
                "{},",
                labels
                    .court_ids
                    .get(usize::from(r.court))
                    .map(String::as_str)
                    .unwrap_or("")
            );
            csv_field(
                labels
                    .court_names
                    .get(usize::from(r.court))
                    .map(String::as_str)
                    .unwrap_or(""),
                &mut s,
            );
            let _ = writeln!(
                s,
                ",{k},{b},{a},{}",
                i64::try_from(*a).unwrap_or(0) - i64::try_from(*b).unwrap_or(0)
            );
        }
    }
    s
}

/// The kinds present in the workload, in declaration order.
pub fn kinds_present(agg: &Aggregate) -> Vec<CaseKind> {
    let mut v: Vec<CaseKind> = agg.workload.keys().map(|(_, k)| *k).collect();
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

/// The SVG files of a report, `(file name, title, svg)`.
pub type Figures = Vec<(String, String, String)>;

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn signed(d: i64) -> String {
    if d > 0 {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

/// Tables of the report, shared by the Markdown and HTML renderings.
struct Tables {
    sections: Vec<Section>,
}

fn tables(agg: &mut Aggregate, labels: &Labels) -> Tables {
    let mut sections = Vec::new();
    let b = agg.before;
    let a = agg.after;
    sections.push((
        "Summary".to_string(),
        format!(
            "{} cases read from `{}`. Baseline: {}. Scenario: {}.",
            agg.read, labels.cases, labels.baseline, labels.scenario
        ),
        vec![
            "".to_string(),
            "baseline".to_string(),
            "scenario".to_string(),
        ],
        vec![
            vec!["routed".into(), b.routed.to_string(), a.routed.to_string()],
            vec![
                "no court".into(),
                b.no_court.to_string(),
                a.no_court.to_string(),
            ],
            vec![
                "failed (bad input)".into(),
                b.failed.to_string(),
                a.failed.to_string(),
            ],
            vec![
                "changed cases".into(),
                String::new(),
                agg.changes.len().to_string(),
            ],
            vec![
                "flagged cases".into(),
                String::new(),
                agg.flagged.len().to_string(),
            ],
        ],
    ));
    // Transitions.
    let mut tr: Vec<_> = agg.transitions.iter().collect();
    tr.sort_by(|x, y| y.1.0.cmp(&x.1.0).then(x.0.cmp(y.0)));
    sections.push((
        "Cases whose competent courts change".to_string(),
        format!(
            "{} case(s) change, grouped below by kind and answer (every case is listed in `changes.csv` with both answers and the rules responsible).",
            agg.changes.len()
        ),
        vec!["cases".into(), "kind".into(), "baseline courts".into(), "baseline rules".into(), "scenario courts".into(), "scenario rules".into()],
        tr.iter()
            .map(|((k, cb, ca), (n, rb, ra))| {
                vec![n.to_string(), k.map(|k| k.name()).unwrap_or("—").to_string(), labels.courts(cb), rb.join(", "), labels.courts(ca), ra.join(", ")]
            })
            .collect(),
    ));
    // Workload.
    let kinds = kinds_present(agg);
    let wl = workload(agg, &kinds);
    let changed: Vec<&WorkloadRow> = wl
        .iter()
        .filter(|r| r.delta() != 0 || r.kinds.iter().any(|k| k.1 != k.2))
        .collect();
    let mut head = vec!["court".to_string()];
    for k in &kinds {
        head.push(format!("{k} before / after / Δ"));
    }
    head.extend(["total before".into(), "total after".into(), "Δ".into()]);
    sections.push((
        "Workload per court".to_string(),
        format!(
            "Cases heard per court (each case counted once, at its hearing court) for the {} court(s) whose load changes; {} other court(s) are unchanged (all in `workload.csv`).",
            changed.len(),
            wl.len() - changed.len()
        ),
        head,
        changed
            .iter()
            .map(|r| {
                let mut row = vec![labels.court(r.court)];
                for (_, b, a) in &r.kinds {
                    row.push(format!("{b} / {a} / {}", signed(i64::try_from(*a).unwrap_or(0) - i64::try_from(*b).unwrap_or(0))));
                }
                row.extend([r.before.to_string(), r.after.to_string(), signed(r.delta())]);
                row
            })
            .collect(),
    ));
    // Fragmentation.
    let f = fragmentation(agg);
    sections.push((
        "Fragmentation of incidents".to_string(),
        format!("{} incident(s) with two or more cases (cases sharing an `incident_id`): how many distinct courts hear one incident.", f.incidents),
        vec!["".into(), "baseline".into(), "scenario".into()],
        vec![
            vec!["mean distinct courts per incident".into(), format!("{:.3}", f.mean_courts.0), format!("{:.3}", f.mean_courts.1)],
            vec!["share heard by a single court".into(), pct(f.single_court_share.0), pct(f.single_court_share.1)],
            vec!["incidents with 1 court".into(), f.dist_before[0].to_string(), f.dist_after[0].to_string()],
            vec!["incidents with 2 courts".into(), f.dist_before[1].to_string(), f.dist_after[1].to_string()],
            vec!["incidents with 3+ courts".into(), f.dist_before[2].to_string(), f.dist_after[2].to_string()],
        ],
    ));
    // Travel.
    let fmt = |v: Option<(f64, f64)>| {
        v.map(|(m, p)| (format!("{m:.1}"), format!("{p:.1}")))
            .unwrap_or_else(|| ("—".into(), "—".into()))
    };
    let n_travel = agg.travel.0.len();
    let (tb, ta) = (
        fmt(median_p90(&mut agg.travel.0)),
        fmt(median_p90(&mut agg.travel.1)),
    );
    let mut rows = vec![vec![
        "all cases".to_string(),
        n_travel.to_string(),
        tb.0,
        ta.0,
        tb.1,
        ta.1,
    ]];
    let mut per: Vec<(usize, Vec<String>, bool)> = Vec::new();
    for (u, (vb, va)) in agg.travel_by_unit.iter_mut() {
        let n = vb.len();
        let (mb, ma) = (median_p90(vb), median_p90(va));
        let differs = mb != ma;
        let (x, y) = (fmt(mb), fmt(ma));
        per.push((
            n,
            vec![labels.unit(Some(*u)), n.to_string(), x.0, y.0, x.1, y.1],
            differs,
        ));
    }
    let changed_units = per.iter().filter(|p| p.2).count();
    let unchanged_units = per.len() - changed_units;
    rows.extend(per.into_iter().filter(|p| p.2).map(|p| p.1));
    sections.push((
        "Party travel to the court seat".to_string(),
        format!(
            "Great-circle km from the case's place to the nearest seat among its competent courts (seats are approximate points in the seat unit). Counties whose figures change are listed; {unchanged_units} other count(ies) are unchanged."
        ),
        vec!["where".into(), "cases".into(), "median before".into(), "median after".into(), "p90 before".into(), "p90 after".into()],
        rows,
    ));
    // Flagged.
    let nf = agg.flagged.len();
    sections.push((
        "Cases with no court, or claimed by more courts than before".to_string(),
        format!(
            "{nf} case(s){} (all in `flagged.csv`).",
            if nf > 50 {
                "; the first 50 are shown"
            } else {
                ""
            }
        ),
        vec![
            "id".into(),
            "kind".into(),
            "unit".into(),
            "baseline".into(),
            "scenario".into(),
        ],
        agg.flagged
            .iter()
            .take(50)
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.kind.map(|k| k.name()).unwrap_or("—").to_string(),
                    labels.unit(c.unit),
                    labels.answer(&c.before),
                    labels.answer(&c.after),
                ]
            })
            .collect(),
    ));
    Tables { sections }
}

const DEFINITIONS: &str = "A case *changes* when its competent courts (ids, in decision order) differ, or when it fails or has no court on one side only. The *hearing court* is the first competent court; workload and fragmentation count each case once, at its hearing court. *Travel* is the great-circle distance from the case's first place (its point, or the representative point of its county) to the nearest competent court seat. A case is *flagged* when the scenario leaves it without a court while the baseline routed it, or gives it more competent courts.";

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown report. `figures` are linked by file name.
pub fn markdown(agg: &mut Aggregate, labels: &Labels, figures: &Figures) -> String {
    let t = tables(agg, labels);
    let mut s = String::new();
    let _ = writeln!(s, "# Reform simulation: {}\n", labels.scenario);
    let _ = writeln!(s, "{DEFINITIONS}\n");
    for (title, intro, head, rows) in &t.sections {
        let _ = writeln!(s, "## {title}\n\n{intro}\n");
        if rows.is_empty() {
            let _ = writeln!(s, "(none)\n");
            continue;
        }
        let _ = writeln!(
            s,
            "| {} |",
            head.iter()
                .map(|h| md_cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let _ = writeln!(
            s,
            "|{}|",
            head.iter().map(|_| " --- ").collect::<Vec<_>>().join("|")
        );
        for r in rows {
            let _ = writeln!(
                s,
                "| {} |",
                r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
            );
        }
        s.push('\n');
    }
    let _ = writeln!(s, "## Maps and charts\n");
    for (file, title, _) in figures {
        let _ = writeln!(s, "### {title}\n\n![{title}]({file})\n");
    }
    s
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(ch),
        }
    }
    o
}

fn md_inline(s: &str) -> String {
    // `code` and *emphasis*, as used in the intros.
    let mut out = String::new();
    let mut code = false;
    let mut em = false;
    for ch in esc(s).chars() {
        match ch {
            '`' => {
                out.push_str(if code { "</code>" } else { "<code>" });
                code = !code;
            }
            '*' if !code => {
                out.push_str(if em { "</em>" } else { "<em>" });
                em = !em;
            }
            _ => out.push(ch),
        }
    }
    out
}

/// The self-contained HTML report: inline CSS and SVG, no scripts, no external assets.
pub fn html(agg: &mut Aggregate, labels: &Labels, figures: &Figures) -> String {
    let t = tables(agg, labels);
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    let _ = writeln!(
        s,
        "<title>Reform simulation: {}</title>",
        esc(&labels.scenario)
    );
    s.push_str("<style>body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}code{background:#f3f3f3;padding:0 .2em}figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}svg{max-width:100%;height:auto}</style>\n</head><body>\n");
    let _ = writeln!(s, "<h1>Reform simulation: {}</h1>", esc(&labels.scenario));
    let _ = writeln!(s, "<p>{}</p>", md_inline(DEFINITIONS));
    for (title, intro, head, rows) in &t.sections {
        let _ = writeln!(s, "<h2>{}</h2>\n<p>{}</p>", esc(title), md_inline(intro));
        if rows.is_empty() {
            s.push_str("<p>(none)</p>\n");
            continue;
        }
        s.push_str("<table><thead><tr>");
        for h in head {
            let _ = write!(s, "<th>{}</th>", esc(h));
        }
        s.push_str("</tr></thead><tbody>\n");
        for r in rows {
            s.push_str("<tr>");
            for c in r {
                let _ = write!(s, "<td>{}</td>", esc(c));
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("<h2>Maps and charts</h2>\n");
    for (_, title, svg) in figures {
        let inline = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
        let inline = inline.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            s,
            "<figure><figcaption>{}</figcaption>\n{inline}</figure>",
            esc(title)
        );
    }
    s.push_str("</body></html>\n");
    s
}

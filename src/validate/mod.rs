//! Rule-set analysis: proves coverage, finds gaps, overlaps and shadowed rules, and diffs two
//! rule sets or two dates. Pure: takes a loaded [`RuleSet`] and [`Geodata`], returns findings.
//!
//! The space checked is every county-level unit (and every sea or estuary feature that rules
//! name) × case kind × reachable court level × date interval. Date intervals run between
//! consecutive rule and court dates, from the earliest rule to "open"; each is checked at its
//! first day. A level is *reachable* for (place, kind, date) when some scope rule in force
//! gives it. A venue rule with `when` conditions is *conditional*: it can decide only for
//! some case attributes, so it never closes a gap and never shadows another rule.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{CaseKind, Date, Level};
use crate::rules::select::{
    Target, default_winners, is_unconditional, resolve_court, territory_matches, venue_candidates,
};
use crate::rules::{Body, Rule, RuleSet, RuleStatus};
use crate::spatial::Geodata;

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A combination with no competent court.
    Gap,
    /// Two rules assign different courts exclusively to the same combination.
    Overlap,
    /// A rule that never decides anything.
    Shadowed,
    /// A reference to something that does not exist (at that date).
    Dangling,
    /// Bad validity dates.
    Date,
    /// Missing source or confidence.
    Provenance,
    /// A real adjudicated case (`jurisdiction-rules/evidence/`) contradicts the rule: the
    /// court that tried it is not among the competent courts and this rule gave one instead.
    Contradicted,
}

/// One finding, stated in court terms, with a counter-example case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Kind.
    pub kind: FindingKind,
    /// What is wrong.
    pub message: String,
    /// Rules involved.
    pub rules: Vec<String>,
    /// Case kind.
    pub case_kind: Option<CaseKind>,
    /// Level.
    pub level: Option<Level>,
    /// First day of the date interval.
    pub from: Option<Date>,
    /// End of the date interval (exclusive), `None` = open.
    pub to: Option<Date>,
    /// Places (unit codes or feature ids) affected.
    pub places: Vec<String>,
    /// A golden case in the `jurisdiction-rules/tests/` format reproducing the finding.
    pub counter_example: Option<String>,
}

/// The result of validating a rule set.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Rules version.
    pub rules_version: String,
    /// Geodata version.
    pub geodata_version: String,
    /// Combinations checked.
    pub combinations: usize,
    /// Date intervals.
    pub intervals: usize,
    /// Findings, ordered by kind then message.
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Copy)]
enum Place<'a> {
    Unit(usize),
    Sea(&'a str),
}

/// The date intervals `[d_i, d_{i+1})` of a rule set, from its earliest rule to open.
pub fn intervals(rules: &RuleSet) -> Vec<(Date, Option<Date>)> {
    let start = rules.earliest();
    let mut dates: Vec<Date> = rules.boundary_dates();
    if let Some(s) = start {
        dates.retain(|d| *d >= s);
        if !dates.contains(&s) {
            dates.insert(0, s);
        }
    }
    dates.sort_unstable();
    dates.dedup();
    dates
        .iter()
        .enumerate()
        .map(|(i, d)| (*d, dates.get(i + 1).copied()))
        .collect()
}

fn sea_features(geo: &Geodata) -> Vec<String> {
    geo.features()
        .iter()
        .filter(|f| f.kind.is_sea())
        .map(|f| f.id.clone())
        .collect()
}

/// Levels reachable for (place, kind, date): levels of scope rules in force there.
fn reachable_levels(
    rules: &RuleSet,
    kind: CaseKind,
    date: Date,
    t: Target<'_>,
    at_sea: bool,
) -> BTreeSet<Level> {
    let mut out = BTreeSet::new();
    for r in rules.for_kind(kind) {
        if let Some(l) = r.scope().and_then(|s| s.level)
            && r.in_force(date)
            && territory_matches(r, t)
        {
            out.insert(l);
        }
    }
    let _ = at_sea;
    out
}

/// Baseline venue rules matching, in precedence order, whatever their conditions.
fn matching<'r>(
    rules: &'r RuleSet,
    geo: &Geodata,
    kind: CaseKind,
    level: Level,
    date: Date,
    t: Target<'_>,
) -> Vec<&'r Rule> {
    venue_candidates(rules, geo, kind, level, date, t, RuleStatus::Baseline)
        .map(|(r, _)| r)
        .collect()
}

fn is_conditional(r: &Rule) -> bool {
    !is_unconditional(r)
}

/// The deciding courts for a combination with default case attributes, as (court id, rule
/// id). Used by `diff`.
pub fn decide(
    rules: &RuleSet,
    geo: &Geodata,
    kind: CaseKind,
    level: Level,
    date: Date,
    unit: usize,
) -> Vec<(String, String)> {
    default_winners(rules, geo, kind, level, date, Target::Unit(unit))
}

fn first_role(rules: &RuleSet, kind: CaseKind, date: Date) -> &'static str {
    for r in rules.for_kind(kind) {
        if let Some(role) = r.scope().and_then(|s| s.roles.first())
            && r.in_force(date)
        {
            return role.name();
        }
    }
    "conduct"
}

/// Attributes that make a case reach `level` for `kind` (from the scope rule giving it).
fn level_attrs(rules: &RuleSet, kind: CaseKind, level: Level, date: Date) -> String {
    let mut s = String::new();
    let rule = rules
        .for_kind(kind)
        .find(|r| r.scope().is_some_and(|s| s.level == Some(level)) && r.in_force(date));
    if let Some(r) = rule {
        let w = &r.when;
        if let Some(v) = w.max_penalty.as_ref().and_then(|v| v.first()) {
            let _ = write!(s, "\n      max_penalty: {v}");
        }
        if let Some(v) = w.agency_level.as_ref().and_then(|v| v.first()) {
            let _ = write!(s, "\n      defendant_agency_level: {v}");
        }
        if let Some(v) = w.admin_subject.as_ref().and_then(|v| v.first()) {
            let _ = write!(s, "\n      admin_subject: {v}");
        }
        if let Some(v) = w.claim_at_least_cny {
            let _ = write!(s, "\n      claim_amount_cny: {v}");
        }
        if let Some(v) = w.parties_cross_province {
            let _ = write!(s, "\n      parties_cross_province: {v}");
        }
        if w.marine == Some(true) || w.ship_source == Some(true) {
            let _ = write!(s, "\n      ship_source: true");
        }
    }
    s
}

/// One point of the checked space.
#[derive(Debug, Clone, Copy)]
struct Combo<'a> {
    kind: CaseKind,
    level: Level,
    date: Date,
    place: Place<'a>,
}

/// Gap combinations grouped by (kind, level, interval start).
struct GapGroup<'a> {
    to: Option<Date>,
    places: Vec<String>,
    example: Place<'a>,
}

/// Overlaps grouped by (rules, courts).
struct OverlapGroup<'a> {
    first: Combo<'a>,
    to: Option<Date>,
    places: BTreeSet<String>,
    kinds: BTreeSet<CaseKind>,
}

fn counter_example(
    rules: &RuleSet,
    geo: &Geodata,
    name: &str,
    note: &str,
    c: Combo<'_>,
    want: &str,
) -> String {
    let Combo {
        kind,
        level,
        date,
        place,
    } = c;
    let place_s = match place {
        Place::Unit(i) => format!(
            "{{role: {}, code: \"{}\"}}",
            first_role(rules, kind, date),
            geo.units().get(i).map(|u| u.adcode.as_str()).unwrap_or("")
        ),
        Place::Sea(f) => {
            let pt = geo
                .feature(f)
                .map(|_| sea_point(geo, f))
                .unwrap_or([0.0, 0.0]);
            format!(
                "{{role: {}, at: [{:.4}, {:.4}]}}",
                first_role(rules, kind, date),
                pt[0],
                pt[1]
            )
        }
    };
    format!(
        "  - name: {name}\n    note: \"{note}\"\n    input:\n      kind: {kind}\n      filed_on: {date}\n      places:\n        - {place_s}{}\n    {want}\n",
        level_attrs(rules, kind, level, date)
    )
}

/// A point inside a sea feature (first vertex nudged inwards is not exact; use the feature's
/// ring centroid of its first 50 vertices, which lies offshore for the shipped areas).
fn sea_point(geo: &Geodata, id: &str) -> [f64; 2] {
    let shapes = &geo.set().features;
    let Some((_, rings)) = shapes.iter().find(|(p, _)| p.id == id) else {
        return [0.0, 0.0];
    };
    // Probe a coarse lattice inside the bbox and return the first point located in the feature.
    let Some(ring) = rings.first() else {
        return [0.0, 0.0];
    };
    let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for [x, y] in ring {
        x0 = x0.min(*x);
        y0 = y0.min(*y);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    for i in 1..20 {
        for j in 1..20 {
            let lon = (f64::from(x0) + f64::from(x1 - x0) * f64::from(i) / 20.0) / 1e6;
            let lat = (f64::from(y0) + f64::from(y1 - y0) * f64::from(j) / 20.0) / 1e6;
            if let Ok(loc) = geo.locate(lon, lat, crate::spatial::Crs::Wgs84)
                && loc.unit.is_none()
                && loc.features.iter().any(|f| f.id == id)
            {
                return [lon, lat];
            }
        }
    }
    [0.0, 0.0]
}

impl Finding {
    /// A finding about one combination group (from its first combination to `to`), with a
    /// counter-example case.
    fn of_group(
        kind: FindingKind,
        message: String,
        rules: Vec<String>,
        first: Combo<'_>,
        to: Option<Date>,
        places: Vec<String>,
        counter_example: String,
    ) -> Finding {
        Finding {
            kind,
            message,
            rules,
            case_kind: Some(first.kind),
            level: Some(first.level),
            from: Some(first.date),
            to,
            places,
            counter_example: Some(counter_example),
        }
    }

    /// A finding about rules as a whole (no case kind, level or place).
    fn about(
        kind: FindingKind,
        message: String,
        rules: Vec<String>,
        valid: crate::model::Validity,
    ) -> Finding {
        Finding {
            kind,
            message,
            rules,
            case_kind: None,
            level: None,
            from: valid.from,
            to: valid.to,
            places: Vec::new(),
            counter_example: None,
        }
    }
}

/// The id of a place as findings name it: a unit code or a feature id.
fn place_id(geo: &Geodata, place: Place<'_>) -> String {
    match place {
        Place::Unit(i) => geo
            .units()
            .get(i)
            .map(|u| u.adcode.clone())
            .unwrap_or_default(),
        Place::Sea(f) => f.to_string(),
    }
}

/// The sweep over the whole space, with what it collects on the way.
struct Sweep<'a> {
    rules: &'a RuleSet,
    geo: &'a Geodata,
    findings: Vec<Finding>,
    /// Venue rules that decide at least one combination.
    decided: BTreeSet<String>,
    /// For rules that apply but lose: the first such combination and the winning court.
    beaten: BTreeMap<String, (Combo<'a>, String)>,
    combinations: usize,
    /// Gaps grouped by (kind, level, interval start).
    gaps: BTreeMap<(CaseKind, Level, Date), GapGroup<'a>>,
    /// Overlaps grouped by (rules, courts).
    overlaps: BTreeMap<(Vec<String>, Vec<String>), OverlapGroup<'a>>,
}

/// Validates a loaded rule set over the whole space.
pub fn validate(rules: &RuleSet, geo: &Geodata) -> Report {
    let ivs = intervals(rules);
    let seas = sea_features(geo);
    let mut sw = Sweep {
        rules,
        geo,
        findings: Vec::new(),
        decided: BTreeSet::new(),
        beaten: BTreeMap::new(),
        combinations: 0,
        gaps: BTreeMap::new(),
        overlaps: BTreeMap::new(),
    };
    if rules.rules.is_empty() {
        // Without rules there are no date intervals and so no combination to find a gap in:
        // say so instead of validating clean.
        sw.findings.push(Finding::about(
            FindingKind::Gap,
            "the rule set has no rules: no case has a competent court".to_string(),
            Vec::new(),
            crate::model::Validity::default(),
        ));
    }
    let places: Vec<Place<'_>> = (0..geo.units().len())
        .map(Place::Unit)
        .chain(seas.iter().map(|f| Place::Sea(f.as_str())))
        .collect();
    for &(from, to) in &ivs {
        for &kind in CaseKind::ALL {
            for &place in &places {
                sw.check_place(kind, from, to, place);
            }
        }
    }
    sw.gap_findings();
    sw.overlap_findings();
    sw.rule_findings();
    let mut findings = sw.findings;
    findings.extend(units_not_yet_existing(rules, geo));
    findings.extend(rules.sources.values().flat_map(|src| {
        source_problems(src).into_iter().map(|message| {
            Finding::about(
                FindingKind::Provenance,
                message,
                Vec::new(),
                Default::default(),
            )
        })
    }));
    findings.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.message.cmp(&b.message)));
    findings.dedup_by(|a, b| a.kind == b.kind && a.message == b.message);
    Report {
        rules_version: rules.version.clone(),
        geodata_version: geo.version().to_string(),
        combinations: sw.combinations,
        intervals: ivs.len(),
        findings,
    }
}

impl<'a> Sweep<'a> {
    /// Every reachable level of one (kind, interval, place).
    fn check_place(&mut self, kind: CaseKind, from: Date, to: Option<Date>, place: Place<'a>) {
        let feats;
        let (t, at_sea) = match place {
            Place::Unit(i) => (Target::Unit(i), false),
            Place::Sea(f) => {
                feats = [f.to_string()];
                (Target::Sea(&feats), true)
            }
        };
        for level in reachable_levels(self.rules, kind, from, t, at_sea) {
            let combo = Combo {
                kind,
                level,
                date: from,
                place,
            };
            self.check_combo(combo, to, t, at_sea);
        }
    }

    /// One combination: which rules can decide it, a gap when none does unconditionally, an
    /// overlap when the unconditional winners disagree, a dangling court when one does not
    /// exist on the date.
    fn check_combo(&mut self, c: Combo<'a>, to: Option<Date>, t: Target<'_>, at_sea: bool) {
        let (rules, geo) = (self.rules, self.geo);
        self.combinations += 1;
        let m = matching(rules, geo, c.kind, c.level, c.date, t);
        // Possible winners: down to and including the first unconditional rule.
        let mut top_uncond: Option<i32> = None;
        let mut winner: Option<String> = None;
        for r in &m {
            if let Some(p) = top_uncond
                && r.priority < p
            {
                self.beaten
                    .entry(r.id.clone())
                    .or_insert_with(|| (c, winner.clone().unwrap_or_default()));
                continue;
            }
            self.decided.insert(r.id.clone());
            if !is_conditional(r) && top_uncond.is_none() {
                top_uncond = Some(r.priority);
                winner = resolve_court(rules, geo, r, t).map(|c| c.id.clone());
            }
        }
        let pid = place_id(geo, c.place);
        let Some(top) = top_uncond else {
            // At sea only the maritime level must be covered: crimes at sea are routed by
            // the landing place (CrimPL Interpretation art. 4) unless a special rule (e.g. the
            // Jiangsu coast-guard rule) applies.
            if !at_sea || c.level == Level::Maritime {
                self.gaps
                    .entry((c.kind, c.level, c.date))
                    .or_insert(GapGroup {
                        to,
                        places: Vec::new(),
                        example: c.place,
                    })
                    .places
                    .push(pid);
            }
            return;
        };
        let tops: Vec<&Rule> = m
            .iter()
            .copied()
            .filter(|r| !is_conditional(r) && r.priority == top)
            .collect();
        let mut courts: Vec<String> = tops
            .iter()
            .filter_map(|r| resolve_court(rules, geo, r, t).map(|c| c.id.clone()))
            .collect();
        courts.sort();
        courts.dedup();
        let declared = tops.iter().all(|a| {
            tops.iter().all(|b| {
                a.id == b.id
                    || a.concurrent_with.contains(&b.id)
                    || b.concurrent_with.contains(&a.id)
            })
        });
        if courts.len() > 1 && !declared {
            let ids: Vec<String> = tops.iter().map(|r| r.id.clone()).collect();
            let e = self.overlaps.entry((ids, courts)).or_insert(OverlapGroup {
                first: c,
                to,
                places: BTreeSet::new(),
                kinds: BTreeSet::new(),
            });
            e.places.insert(pid.clone());
            e.kinds.insert(c.kind);
        }
        // Courts must exist on the date.
        for r in &tops {
            if let Some(court) = resolve_court(rules, geo, r, t)
                && !court.exists_on(c.date)
            {
                self.findings.push(Finding {
                    kind: FindingKind::Dangling,
                    message: format!(
                        "rule `{}` assigns `{}` {} on {}, when that court does not exist",
                        r.id, court.id, court.name_zh, c.date
                    ),
                    rules: vec![r.id.clone()],
                    case_kind: Some(c.kind),
                    level: Some(c.level),
                    from: Some(c.date),
                    to,
                    places: vec![pid.clone()],
                    counter_example: None,
                });
            }
        }
    }

    /// One finding per gap group, with a counter-example case.
    fn gap_findings(&mut self) {
        let (rules, geo) = (self.rules, self.geo);
        for ((kind, level, from), g) in std::mem::take(&mut self.gaps) {
            let name = format!("gap-{}-{}-{}", kind.name().replace('_', "-"), level, from);
            let shown: Vec<&str> = g.places.iter().take(8).map(String::as_str).collect();
            let combo = Combo {
                kind,
                level,
                date: from,
                place: g.example,
            };
            let message = format!(
                "no court for a `{kind}` case at {level} level from {from} to {} in {} place(s): {}{}",
                g.to.map(|d| d.to_string()).unwrap_or_else(|| "open".into()),
                g.places.len(),
                shown.join(", "),
                if g.places.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            );
            let example = counter_example(
                rules,
                geo,
                &name,
                "no rule assigns a court here",
                combo,
                "want_no_court: \"no rule assigns\"",
            );
            self.findings.push(Finding::of_group(
                FindingKind::Gap,
                message,
                Vec::new(),
                combo,
                g.to,
                g.places,
                example,
            ));
        }
    }

    /// One finding per overlap group, with a counter-example case.
    fn overlap_findings(&mut self) {
        let (rules, geo) = (self.rules, self.geo);
        for ((ids, courts), g) in std::mem::take(&mut self.overlaps) {
            let Combo {
                level, date: from, ..
            } = g.first;
            let list: Vec<String> = g.places.into_iter().collect();
            let name = format!("overlap-{}-{}", ids.join("-").to_lowercase(), from);
            let want = format!("want: {{courts: [{}]}}", courts.join(", "));
            let message = format!(
                "rules {} assign different courts ({}) to the same case at {level} level (kinds: {}) from {} in {} place(s) ({}) without declaring `concurrent_with`",
                ids.iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                courts.join(", "),
                g.kinds
                    .iter()
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(", "),
                from,
                list.len(),
                list.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
            );
            let example = counter_example(
                rules,
                geo,
                &name,
                "two rules claim this case",
                g.first,
                &want,
            );
            self.findings.push(Finding::of_group(
                FindingKind::Overlap,
                message,
                ids,
                g.first,
                g.to,
                list,
                example,
            ));
        }
    }

    /// Per rule: shadowed venue rules, tribunals named outside their dates, missing sources.
    fn rule_findings(&mut self) {
        let (rules, geo) = (self.rules, self.geo);
        for r in &rules.rules {
            if matches!(r.body, Body::Venue(_)) && !self.decided.contains(&r.id) {
                let beaten = self.beaten.get(&r.id);
                self.findings.push(Finding {
                    kind: FindingKind::Shadowed,
                    message: format!(
                        "rule `{}` ({}:{}) never decides a case: wherever and whenever it applies, a rule of higher priority applies too (or it applies nowhere)",
                        r.id, r.file, r.line
                    ),
                    rules: vec![r.id.clone()],
                    case_kind: beaten.map(|(c, _)| c.kind),
                    level: beaten.map(|(c, _)| c.level),
                    from: r.valid.from,
                    to: r.valid.to,
                    places: Vec::new(),
                    counter_example: beaten.map(|(c, court)| {
                        counter_example(
                            rules,
                            geo,
                            &format!("shadowed-{}", r.id.to_lowercase()),
                            &format!("rule {} applies here but a higher-priority rule decides", r.id),
                            *c,
                            &format!("want: {{courts: [{court}]}}"),
                        )
                    }),
                });
            }
            // Tribunals used outside their dates.
            if let Some(a) = r.assign()
                && let crate::rules::CourtPick::Named(id) = &a.court
                && let Some(c) = rules.courts.get(id)
                && let Some(t) = a.tribunal.as_deref().and_then(|t| c.tribunal(t))
                && !t.valid.covers(r.valid)
            {
                self.findings.push(Finding::about(
                    FindingKind::Dangling,
                    format!(
                        "rule `{}` names tribunal `{}` of `{}` outside the tribunal's dates",
                        r.id, t.id, c.id
                    ),
                    vec![r.id.clone()],
                    r.valid,
                ));
            }
            if r.sources.is_empty() {
                self.findings.push(Finding::about(
                    FindingKind::Provenance,
                    format!("rule `{}` cites no source", r.id),
                    vec![r.id.clone()],
                    Default::default(),
                ));
            }
        }
    }
}

/// What is wrong with a source's citation: no title (or only its key), no date or a date not
/// of the form `YYYY[-MM[-DD]]`, a `url`/`urls` entry that is not an `http(s)://` URL, or a
/// reference outside the repository. Empty when it can be checked.
pub fn source_problems(src: &crate::rules::Source) -> Vec<String> {
    let key = &src.key;
    let mut p = Vec::new();
    let title = src.title.trim();
    if title.is_empty() || title == key {
        p.push(format!("source `{key}` has no title"));
    }
    match src.date.as_deref().map(str::trim) {
        None | Some("") => p.push(format!(
            "source `{key}` has no date (give `date: YYYY-MM-DD`, or `YYYY-MM` / `YYYY`)"
        )),
        Some(d) if !is_partial_date(d) => p.push(format!(
            "source `{key}` has the date `{d}`, not of the form YYYY-MM-DD, YYYY-MM or YYYY"
        )),
        Some(_) => {}
    }
    for (field, u) in src
        .url
        .iter()
        .map(|u| ("url", u))
        .chain(src.urls.iter().map(|u| ("urls", u)))
    {
        if !is_url(u) {
            p.push(format!(
                "source `{key}` has `{field}: {u}`, which is not an http(s) URL"
            ));
        }
    }
    for (field, v) in [
        ("read_in", src.read_in.as_deref()),
        ("note", src.note.as_deref()),
    ] {
        if let Some(v) = v
            && (v.contains("../") || v.contains("shared/"))
        {
            p.push(format!(
                "source `{key}` `{field}` points outside the repository: `{v}`"
            ));
        }
    }
    p
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a plausible month and day.
fn is_partial_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let num = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [_, _, _] => Date::parse(d).is_some(),
        _ => false,
    }
}

/// An absolute `http://` or `https://` URL with a host and no whitespace.
fn is_url(u: &str) -> bool {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && host.contains('.')
                && !u.chars().any(char::is_whitespace)
                && !u.contains(';')
        }
        None => false,
    }
}

/// Since when each current county-level code exists (from `yescallop/areacodes`).
pub static UNIT_SINCE_CSV: &str = include_str!("../../geodata/source/unit-since.csv");

/// Rules whose territory names a county-level unit (by its code) that did not exist yet when
/// the rule starts. Cities and provinces are not checked: their units change, they remain.
fn units_not_yet_existing(rules: &RuleSet, geo: &Geodata) -> Vec<Finding> {
    let since: BTreeMap<&str, i32> = UNIT_SINCE_CSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.split(',');
            let code = it.next()?;
            let _name = it.next()?;
            let year = it.next()?.parse().ok()?;
            Some((code, year))
        })
        .collect();
    let mut out = Vec::new();
    for r in &rules.rules {
        for code in &r.territory.include {
            let Some(&year) = since.get(code.as_str()) else {
                continue;
            };
            let starts = r.valid.from.map(|d| d.ymd().0);
            if starts.is_none_or(|y| y < year) {
                let name = geo.unit(code).map(|u| u.name.as_str()).unwrap_or("");
                out.push(Finding {
                    kind: FindingKind::Dangling,
                    message: format!(
                        "rule `{}` ({}:{}) names unit `{code}` {name}, whose code exists only since {year}, but the rule is in force from {}",
                        r.id,
                        r.file,
                        r.line,
                        r.valid.from.map(|d| d.to_string()).unwrap_or_else(|| "the start".into())
                    ),
                    rules: vec![r.id.clone()],
                    case_kind: None,
                    level: None,
                    from: r.valid.from,
                    to: r.valid.to,
                    places: vec![code.clone()],
                    counter_example: None,
                });
            }
        }
    }
    out
}

/// One changed (unit, kind, level) between two rule sets or dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Unit code.
    pub unit: String,
    /// Unit name.
    pub unit_name: String,
    /// Case kind.
    pub kind: CaseKind,
    /// Level.
    pub level: Level,
    /// Courts before, with the deciding rule: `(court id, rule id)`.
    pub before: Vec<(String, String)>,
    /// Courts after.
    pub after: Vec<(String, String)>,
}

/// A diff.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// What is compared.
    pub from: String,
    /// Against what.
    pub to: String,
    /// Combinations compared.
    pub compared: usize,
    /// The changes, by unit then kind then level.
    pub changes: Vec<Change>,
    /// Changes counted per case kind.
    pub by_kind: BTreeMap<CaseKind, usize>,
}

/// Compares the deciding courts of every (unit, kind, level) between `(a, date_a)` and
/// `(b, date_b)` (default case attributes; sea places are not compared).
pub fn diff(
    a: &RuleSet,
    date_a: Date,
    b: &RuleSet,
    date_b: Date,
    geo: &Geodata,
    from: String,
    to: String,
) -> Diff {
    let mut changes = Vec::new();
    let mut compared = 0usize;
    for (i, u) in geo.units().iter().enumerate() {
        for &kind in CaseKind::ALL {
            for level in [Level::Basic, Level::Intermediate, Level::Maritime] {
                let la = reachable_levels(a, kind, date_a, Target::Unit(i), false);
                let lb = reachable_levels(b, kind, date_b, Target::Unit(i), false);
                if !la.contains(&level) && !lb.contains(&level) {
                    continue;
                }
                compared += 1;
                let before = if la.contains(&level) {
                    decide(a, geo, kind, level, date_a, i)
                } else {
                    Vec::new()
                };
                let after = if lb.contains(&level) {
                    decide(b, geo, kind, level, date_b, i)
                } else {
                    Vec::new()
                };
                let courts =
                    |v: &Vec<(String, String)>| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
                if courts(&before) != courts(&after) {
                    changes.push(Change {
                        unit: u.adcode.clone(),
                        unit_name: u.name.clone(),
                        kind,
                        level,
                        before,
                        after,
                    });
                }
            }
        }
    }
    let mut by_kind = BTreeMap::new();
    for c in &changes {
        *by_kind.entry(c.kind).or_insert(0) += 1;
    }
    Diff {
        from,
        to,
        compared,
        changes,
        by_kind,
    }
}

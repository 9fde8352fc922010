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
use crate::rules::{Rule, RuleSet, RuleStatus, Stage};
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
        if r.stage == Stage::Scope
            && r.in_force(date)
            && territory_matches(r, t)
            && let Some(l) = r.level
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
        if r.stage == Stage::Scope
            && r.in_force(date)
            && let Some(role) = r.roles.first()
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
        .find(|r| r.stage == Stage::Scope && r.level == Some(level) && r.in_force(date));
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

/// Validates a loaded rule set over the whole space.
pub fn validate(rules: &RuleSet, geo: &Geodata) -> Report {
    let ivs = intervals(rules);
    let seas = sea_features(geo);
    let mut findings: Vec<Finding> = Vec::new();
    if rules.rules.is_empty() {
        // Without rules there are no date intervals and so no combination to find a gap in:
        // say so instead of validating clean.
        findings.push(Finding {
            kind: FindingKind::Gap,
            message: "the rule set has no rules: no case has a competent court".to_string(),
            rules: Vec::new(),
            case_kind: None,
            level: None,
            from: None,
            to: None,
            places: Vec::new(),
            counter_example: None,
        });
    }
    let mut decided: BTreeSet<String> = BTreeSet::new();
    // For rules that apply but lose: the first such combination and the winning court.
    let mut beaten: BTreeMap<String, (Combo<'_>, String)> = BTreeMap::new();
    let mut combinations = 0usize;
    // gaps grouped by (kind, level, interval) → places
    let mut gaps: BTreeMap<(CaseKind, Level, Date), GapGroup<'_>> = BTreeMap::new();
    let mut overlaps: BTreeMap<(Vec<String>, Vec<String>), OverlapGroup<'_>> = BTreeMap::new();
    let n = geo.units().len();
    let places: Vec<Place<'_>> = (0..n)
        .map(Place::Unit)
        .chain(seas.iter().map(|f| Place::Sea(f.as_str())))
        .collect();
    for &(from, to) in &ivs {
        for &kind in CaseKind::ALL {
            for &place in &places {
                let feats;
                let (t, at_sea) = match place {
                    Place::Unit(i) => (Target::Unit(i), false),
                    Place::Sea(f) => {
                        feats = [f.to_string()];
                        (Target::Sea(&feats), true)
                    }
                };
                for level in reachable_levels(rules, kind, from, t, at_sea) {
                    combinations += 1;
                    let m = matching(rules, geo, kind, level, from, t);
                    // Possible winners: down to and including the first unconditional rule.
                    let mut top_uncond: Option<i32> = None;
                    let mut winner: Option<String> = None;
                    for r in &m {
                        if let Some(p) = top_uncond
                            && r.priority < p
                        {
                            if !beaten.contains_key(&r.id) {
                                beaten.insert(
                                    r.id.clone(),
                                    (
                                        Combo {
                                            kind,
                                            level,
                                            date: from,
                                            place,
                                        },
                                        winner.clone().unwrap_or_default(),
                                    ),
                                );
                            }
                            continue;
                        }
                        decided.insert(r.id.clone());
                        if !is_conditional(r) && top_uncond.is_none() {
                            top_uncond = Some(r.priority);
                            winner = resolve_court(rules, geo, r, t).map(|c| c.id.clone());
                        }
                    }
                    let place_id = match place {
                        Place::Unit(i) => geo
                            .units()
                            .get(i)
                            .map(|u| u.adcode.clone())
                            .unwrap_or_default(),
                        Place::Sea(f) => f.to_string(),
                    };
                    let Some(top) = top_uncond else {
                        // At sea only the maritime level must be covered: crimes at sea are
                        // routed by the landing place (CrimPL Interpretation art. 4) unless a
                        // special rule (e.g. the Jiangsu coast-guard rule) applies.
                        if !at_sea || level == Level::Maritime {
                            gaps.entry((kind, level, from))
                                .or_insert(GapGroup {
                                    to,
                                    places: Vec::new(),
                                    example: place,
                                })
                                .places
                                .push(place_id);
                        }
                        continue;
                    };
                    let tops: Vec<&&Rule> = m
                        .iter()
                        .filter(|r| !is_conditional(r) && r.priority == top)
                        .collect();
                    let mut courts: Vec<String> = tops
                        .iter()
                        .filter_map(|r| resolve_court(rules, geo, r, t).map(|c| c.id.clone()))
                        .collect();
                    courts.sort();
                    courts.dedup();
                    if courts.len() > 1 {
                        let ids: Vec<String> = tops.iter().map(|r| r.id.clone()).collect();
                        let declared = tops.iter().all(|a| {
                            tops.iter().all(|b| {
                                a.id == b.id
                                    || a.concurrent_with.contains(&b.id)
                                    || b.concurrent_with.contains(&a.id)
                            })
                        });
                        if !declared {
                            let e = overlaps.entry((ids, courts)).or_insert(OverlapGroup {
                                first: Combo {
                                    kind,
                                    level,
                                    date: from,
                                    place,
                                },
                                to,
                                places: BTreeSet::new(),
                                kinds: BTreeSet::new(),
                            });
                            e.places.insert(place_id);
                            e.kinds.insert(kind);
                        }
                    }
                    // Courts must exist on the date.
                    for r in &tops {
                        if let Some(c) = resolve_court(rules, geo, r, t)
                            && !c.exists_on(from)
                        {
                            findings.push(Finding {
                                    kind: FindingKind::Dangling,
                                    message: format!("rule `{}` assigns `{}` {} on {from}, when that court does not exist", r.id, c.id, c.name_zh),
                                    rules: vec![r.id.clone()],
                                    case_kind: Some(kind),
                                    level: Some(level),
                                    from: Some(from),
                                    to,
                                    places: vec![match place { Place::Unit(i) => geo.units().get(i).map(|u| u.adcode.clone()).unwrap_or_default(), Place::Sea(f) => f.to_string() }],
                                    counter_example: None,
                                });
                        }
                    }
                }
            }
        }
    }
    for (
        (kind, level, from),
        GapGroup {
            to,
            places: list,
            example: place,
        },
    ) in gaps
    {
        let name = format!("gap-{}-{}-{}", kind.name().replace('_', "-"), level, from);
        let shown: Vec<&str> = list.iter().take(8).map(String::as_str).collect();
        findings.push(Finding {
            kind: FindingKind::Gap,
            message: format!(
                "no court for a `{kind}` case at {level} level from {from} to {} in {} place(s): {}{}",
                to.map(|d| d.to_string()).unwrap_or_else(|| "open".into()),
                list.len(),
                shown.join(", "),
                if list.len() > shown.len() { ", …" } else { "" }
            ),
            rules: Vec::new(),
            case_kind: Some(kind),
            level: Some(level),
            from: Some(from),
            to,
            counter_example: Some(counter_example(rules, geo, &name, "no rule assigns a court here", Combo { kind, level, date: from, place }, "want_no_court: \"no rule assigns\"")),
            places: list,
        });
    }
    for (
        (ids, courts),
        OverlapGroup {
            first,
            to,
            places: list,
            kinds,
        },
    ) in overlaps
    {
        let Combo {
            kind,
            level,
            date: from,
            ..
        } = first;
        let list: Vec<String> = list.into_iter().collect();
        let name = format!("overlap-{}-{}", ids.join("-").to_lowercase(), from);
        findings.push(Finding {
            kind: FindingKind::Overlap,
            message: format!(
                "rules {} assign different courts ({}) to the same case at {level} level (kinds: {}) from {} in {} place(s) ({}) without declaring `concurrent_with`",
                ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", "),
                courts.join(", "),
                kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "),
                from,
                list.len(),
                list.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
            ),
            rules: ids,
            case_kind: Some(kind),
            level: Some(level),
            from: Some(from),
            to,
            counter_example: Some(counter_example(rules, geo, &name, "two rules claim this case", first, &format!("want: {{courts: [{}]}}", courts.join(", ")))),
            places: list,
        });
    }
    // Shadowed venue rules and never-in-force rules.
    for r in &rules.rules {
        if r.stage == Stage::Venue && r.status == RuleStatus::Baseline && !decided.contains(&r.id) {
            findings.push(Finding {
                kind: FindingKind::Shadowed,
                message: format!(
                    "rule `{}` ({}:{}) never decides a case: wherever and whenever it applies, a rule of higher priority applies too (or it applies nowhere)",
                    r.id, r.file, r.line
                ),
                rules: vec![r.id.clone()],
                case_kind: beaten.get(&r.id).map(|(c, _)| c.kind),
                level: beaten.get(&r.id).map(|(c, _)| c.level),
                from: r.valid_from,
                to: r.valid_to,
                places: Vec::new(),
                counter_example: beaten.get(&r.id).map(|(c, court)| {
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
        if let (Some(a), Some(c)) = (
            r.assign.as_ref(),
            r.assign.as_ref().and_then(|a| match &a.court {
                crate::rules::CourtPick::Named(id) => rules.courts.get(id),
                _ => None,
            }),
        ) && let Some(t) = a.tribunal.as_deref().and_then(|t| c.tribunal(t))
        {
            let early = match (t.from, r.valid_from) {
                (Some(tf), Some(rf)) => rf < tf,
                (Some(_), None) => true,
                _ => false,
            };
            let late = match (t.to, r.valid_to) {
                (Some(tt), Some(rt)) => rt > tt,
                (Some(_), None) => true,
                _ => false,
            };
            if early || late {
                findings.push(Finding {
                    kind: FindingKind::Dangling,
                    message: format!(
                        "rule `{}` names tribunal `{}` of `{}` outside the tribunal's dates",
                        r.id, t.id, c.id
                    ),
                    rules: vec![r.id.clone()],
                    case_kind: None,
                    level: None,
                    from: r.valid_from,
                    to: r.valid_to,
                    places: Vec::new(),
                    counter_example: None,
                });
            }
        }
        if r.sources.is_empty() {
            findings.push(Finding {
                kind: FindingKind::Provenance,
                message: format!("rule `{}` cites no source", r.id),
                rules: vec![r.id.clone()],
                case_kind: None,
                level: None,
                from: None,
                to: None,
                places: Vec::new(),
                counter_example: None,
            });
        }
    }
    findings.extend(units_not_yet_existing(rules, geo));
    findings.extend(rules.sources.values().flat_map(|src| {
        source_problems(src).into_iter().map(|message| Finding {
            kind: FindingKind::Provenance,
            message,
            rules: Vec::new(),
            case_kind: None,
            level: None,
            from: None,
            to: None,
            places: Vec::new(),
            counter_example: None,
        })
    }));
    findings.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.message.cmp(&b.message)));
    findings.dedup_by(|a, b| a.kind == b.kind && a.message == b.message);
    Report {
        rules_version: rules.version.clone(),
        geodata_version: geo.version().to_string(),
        combinations,
        intervals: ivs.len(),
        findings,
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
            let starts = r.valid_from.map(|d| d.ymd().0);
            if starts.is_none_or(|y| y < year) {
                let name = geo.unit(code).map(|u| u.name.as_str()).unwrap_or("");
                out.push(Finding {
                    kind: FindingKind::Dangling,
                    message: format!(
                        "rule `{}` ({}:{}) names unit `{code}` {name}, whose code exists only since {year}, but the rule is in force from {}",
                        r.id,
                        r.file,
                        r.line,
                        r.valid_from.map(|d| d.to_string()).unwrap_or_else(|| "the start".into())
                    ),
                    rules: vec![r.id.clone()],
                    case_kind: None,
                    level: None,
                    from: r.valid_from,
                    to: r.valid_to,
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

//! The precedence law, written once: which rules apply to a place of a case, and which of them
//! win. Used by `eval::decide` (routing) and by `validate` (coverage analysis), so the router
//! and its checker cannot drift apart.
//!
//! The law:
//! - a rule applies when it covers the case kind (and, for venue and advisory rules, the
//!   level), is in force on the date (`[valid_from, valid_to)`), its `when` conditions hold
//!   and its territory contains the place (a unit, or a sea feature at sea);
//! - rules are visited in (priority descending, id) order ([`RuleSet::for_kind`]);
//! - **connecting roles** come from the applying scope rules at the highest priority that gives
//!   roles; rules at that priority add up (so the maritime courts' exclusive places replace the
//!   general tort places instead of adding to them);
//! - **the level** of a place is that of the first applying scope rule with a level;
//! - **venue**: among the applying venue rules of one status (baseline or alternative) that
//!   resolve to a court, the highest priority wins, and every rule at that priority gives a
//!   court.
//!
//! Free functions over `(&RuleSet, &Geodata)`, not engine methods, so that `validate` can use
//! them without an engine.

use crate::model::{Attributes, CaseKind, Date, Level, Role};
use crate::spatial::Geodata;

use super::{AppealPattern, Court, CourtPick, Rule, RuleSet, RuleStatus, Stage, UnitCourt};

/// A target of evaluation: a unit (by index), or a point at sea with its features.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// A county-level unit, by index in [`Geodata::units`].
    Unit(usize),
    /// A point at sea: the ids of the sea/estuary features containing it.
    Sea(&'a [String]),
}

/// What rule conditions look at: the attributes, whether the case is marine (a place at
/// sea, or a ship source), and whether a party is domiciled outside the receiving court's
/// province.
#[derive(Debug, Clone, Copy)]
pub struct CaseCtx<'c> {
    /// The case attributes.
    pub attrs: &'c Attributes,
    /// At sea or from a ship.
    pub marine: bool,
    /// A party is domiciled outside the receiving court's province (`None`: not known, read
    /// as no). The case's own `parties_cross_province` when given; else per court, see
    /// [`CaseCtx::for_court_in`].
    pub cross_province: Option<bool>,
}

impl<'c> CaseCtx<'c> {
    /// The context of a case as a whole.
    pub fn new(attrs: &'c Attributes, marine: bool) -> CaseCtx<'c> {
        CaseCtx {
            attrs,
            marine,
            cross_province: attrs.parties_cross_province,
        }
    }

    /// The context as a court in `province` sees it. The civil level thresholds depend on
    /// whether a party is domiciled outside **the receiving court's** province (法发〔2021〕27号
    /// arts. 1–2, and the earlier notices), so the answer can differ between the candidate
    /// courts of one case. A case that states `parties_cross_province` keeps it for every
    /// court; otherwise a located defendant domicile in another province makes it true for
    /// this court, and one in the same province false (the plaintiff's domicile is not a
    /// place the case names).
    pub fn for_court_in(self, province: &str, domicile_provinces: &[String]) -> CaseCtx<'c> {
        if self.attrs.parties_cross_province.is_some() || domicile_provinces.is_empty() {
            return self;
        }
        CaseCtx {
            cross_province: Some(domicile_provinces.iter().any(|d| d != province)),
            ..self
        }
    }
}

/// Whether the rule's `when` conditions hold for the case.
pub fn when_matches(r: &Rule, cx: &CaseCtx<'_>) -> bool {
    let w = &r.when;
    let c = cx.attrs;
    fn opt_in<T: PartialEq>(list: &Option<Vec<T>>, v: Option<T>) -> bool {
        match list {
            None => true,
            Some(l) => v.is_some_and(|v| l.contains(&v)),
        }
    }
    if w.marine.is_some_and(|m| m != cx.marine) || w.ship_source.is_some_and(|m| m != c.ship_source)
    {
        return false;
    }
    if !opt_in(&w.investigated_by, c.investigated_by)
        || !opt_in(&w.brought_by, c.brought_by)
        || !opt_in(&w.agency_level, c.defendant_agency_level)
        || !opt_in(&w.admin_subject, c.admin_subject)
        || !opt_in(&w.max_penalty, c.max_penalty)
    {
        return false;
    }
    if let Some(min) = w.claim_at_least_cny
        && c.claim_amount_cny().is_none_or(|a| a < min)
    {
        return false;
    }
    if let Some(x) = w.parties_cross_province
        && cx.cross_province.unwrap_or(false) != x
    {
        return false;
    }
    if w.incident.is_some_and(|x| x != c.has_incident) {
        return false;
    }
    true
}

/// Whether the rule has no `when` conditions at all.
pub fn is_unconditional(r: &Rule) -> bool {
    r.when == super::When::default()
}

/// Whether the rule's territory contains the target.
pub fn territory_matches(r: &Rule, t: Target<'_>) -> bool {
    match t {
        Target::Unit(i) => r.territory.has_unit(i),
        Target::Sea(fs) => fs.iter().any(|f| r.territory.has_feature(f)),
    }
}

/// The court a venue rule assigns for a target (`None` when a unit pattern meets a sea target
/// or the registry has no such court).
pub fn resolve_court<'r>(
    rules: &'r RuleSet,
    geo: &Geodata,
    r: &Rule,
    t: Target<'_>,
) -> Option<&'r Court> {
    let a = r.assign()?;
    match &a.court {
        CourtPick::Named(id) => rules.courts.get(id),
        CourtPick::OfUnit(p) => {
            let Target::Unit(i) = t else { return None };
            let u = geo.units().get(i)?;
            match p {
                UnitCourt::Basic => rules.courts.basic_of(&u.adcode),
                UnitCourt::Intermediate => rules.courts.intermediate_of(&u.adcode, &u.city_adcode),
            }
        }
    }
}

/// The connecting roles of a case: (roles, subsidiary roles, the rule that gave each role).
pub fn connecting_roles(
    rules: &RuleSet,
    kind: CaseKind,
    date: Date,
    cx: &CaseCtx<'_>,
) -> (Vec<Role>, Vec<Role>, Vec<(Role, String)>) {
    let mut roles = Vec::new();
    let mut subs = Vec::new();
    let mut why = Vec::new();
    let mut top: Option<i32> = None;
    for r in rules.for_kind(kind) {
        let Some(scope) = r.scope() else { continue };
        if !r.in_force(date) || !when_matches(r, cx) {
            continue;
        }
        if scope.roles.is_empty() && scope.subsidiary_roles.is_empty() {
            continue;
        }
        match top {
            Some(p) if r.priority < p => break,
            None => top = Some(r.priority),
            _ => {}
        }
        for role in &scope.roles {
            if !roles.contains(role) {
                roles.push(*role);
                why.push((*role, r.id.clone()));
            }
        }
        for role in &scope.subsidiary_roles {
            if !subs.contains(role) && !roles.contains(role) {
                subs.push(*role);
                why.push((*role, r.id.clone()));
            }
        }
    }
    subs.retain(|s| !roles.contains(s));
    (roles, subs, why)
}

/// The scope rule that fixes the level of a place: the first applying one with a level.
pub fn level_rule<'r>(
    rules: &'r RuleSet,
    kind: CaseKind,
    date: Date,
    cx: &CaseCtx<'_>,
    t: Target<'_>,
) -> Option<&'r Rule> {
    rules.for_kind(kind).find(|r| {
        r.scope().is_some_and(|s| s.level.is_some())
            && r.in_force(date)
            && when_matches(r, cx)
            && territory_matches(r, t)
    })
}

/// Venue rules of `status` that cover (kind, level, date, target) and resolve to a court, in
/// precedence order, whatever their conditions.
pub fn venue_candidates<'r, 't>(
    rules: &'r RuleSet,
    geo: &'t Geodata,
    kind: CaseKind,
    level: Level,
    date: Date,
    t: Target<'t>,
    status: RuleStatus,
) -> impl Iterator<Item = (&'r Rule, &'r Court)> + 't
where
    'r: 't,
{
    rules.for_kind(kind).filter_map(move |r| {
        if r.stage() != Stage::Venue
            || r.status() != status
            || !r.covers_level(level)
            || !r.in_force(date)
            || !territory_matches(r, t)
        {
            return None;
        }
        resolve_court(rules, geo, r, t).map(|c| (r, c))
    })
}

/// The precedence law over candidates: those for which `holds` is true, at the highest
/// priority among them.
pub fn winners<'r>(
    candidates: impl Iterator<Item = (&'r Rule, &'r Court)>,
    holds: impl Fn(&Rule) -> bool,
) -> Vec<(&'r Rule, &'r Court)> {
    let mut out = Vec::new();
    let mut top: Option<i32> = None;
    for (r, c) in candidates {
        if top.is_some_and(|p| r.priority < p) {
            break;
        }
        if holds(r) {
            top = Some(r.priority);
            out.push((r, c));
        }
    }
    out
}

/// A venue pick: the winning rule, its court, and the tribunal and appeal court it gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick<'r> {
    /// The rule.
    pub rule: &'r Rule,
    /// The court.
    pub court: &'r Court,
    /// The tribunal id, when the rule names one in force on the date.
    pub tribunal: Option<String>,
    /// The appeal court id.
    pub appeal: Option<String>,
}

/// The venue picks of a place: the winners of the precedence law for a case, with their
/// tribunal and appeal court.
#[allow(
    clippy::too_many_arguments,
    reason = "the evaluation context spelled out: rule set, geodata, kind, level, date, case, target, status"
)]
pub fn venue_picks<'r>(
    rules: &'r RuleSet,
    geo: &Geodata,
    kind: CaseKind,
    level: Level,
    date: Date,
    cx: &CaseCtx<'_>,
    t: Target<'_>,
    status: RuleStatus,
) -> Vec<Pick<'r>> {
    let cands = venue_candidates(rules, geo, kind, level, date, t, status);
    winners(cands, |r| when_matches(r, cx))
        .into_iter()
        .map(|(r, court)| pick(rules, geo, r, court, date, t))
        .collect()
}

fn pick<'r>(
    rules: &'r RuleSet,
    geo: &Geodata,
    r: &'r Rule,
    court: &'r Court,
    date: Date,
    t: Target<'_>,
) -> Pick<'r> {
    let a = r.assign();
    let appeal = match (
        a.and_then(|a| a.appeal.as_ref()),
        a.and_then(|a| a.appeal_of_unit),
    ) {
        (Some(ap), _) => Some(ap.clone()),
        (None, Some(AppealPattern::Territorial)) => match t {
            Target::Unit(i) => geo
                .units()
                .get(i)
                .and_then(|u| rules.courts.basic_of(&u.adcode))
                .and_then(|c| c.appeal.clone()),
            Target::Sea(_) => court.appeal.clone(),
        },
        (None, None) => court.appeal.clone(),
    };
    let tribunal = a.and_then(|a| a.tribunal.clone()).filter(|tid| {
        court
            .tribunal(tid)
            .is_some_and(|tr| tr.valid.contains(date))
    });
    Pick {
        rule: r,
        court,
        tribunal,
        appeal,
    }
}

/// The deciding courts for a combination with default case attributes (no attribute set;
/// marine only at sea), as (court id, rule id), sorted. Used by `validate` and `rules diff`;
/// equal to what `decide` gives such a case (a property test checks it).
pub fn default_winners(
    rules: &RuleSet,
    geo: &Geodata,
    kind: CaseKind,
    level: Level,
    date: Date,
    t: Target<'_>,
) -> Vec<(String, String)> {
    let attrs = Attributes::default();
    let cx = CaseCtx::new(&attrs, matches!(t, Target::Sea(_)));
    let cands = venue_candidates(rules, geo, kind, level, date, t, RuleStatus::Baseline);
    let mut out: Vec<(String, String)> = winners(cands, |r| when_matches(r, &cx))
        .into_iter()
        .map(|(r, c)| (c.id.clone(), r.id.clone()))
        .collect();
    out.sort();
    out.dedup();
    out
}

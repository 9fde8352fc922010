//! Deciding: an [`Admitted`] case → an [`Outcome`]: the competent courts with their grounds,
//! the relation and the warnings, as data (ids and enums, no prose). Pure and deterministic.
//!
//! Per connecting place: the level (scope rules), the court (venue rules, by the precedence
//! law of `rules::select`), then alternatives, advisories, border and uncertainty warnings;
//! then courts are merged, ordered by first place then court id, and related.

use std::collections::BTreeSet;

use crate::model::{
    CompetentOutcome, Confidence, GroundOutcome, Level, NoCourtReason, Outcome, RelationKind, Role,
    WarningKind,
};
use crate::rules::select::{
    CaseCtx, Pick, Target, connecting_roles, level_rule, territory_matches, venue_picks,
    when_matches,
};
use crate::rules::{Body, RelationApplies, Rule, RuleStatus};

use super::Engine;
use super::admit::{Admitted, AdmittedPlace, Located, PlaceProblem};

/// Warnings, each kept once (see [`WarningKind::repeats`]).
#[derive(Default)]
struct Warnings(Vec<WarningKind>);

impl Warnings {
    fn push(&mut self, w: WarningKind) {
        if !self.0.iter().any(|x| x.repeats(&w)) {
            self.0.push(w);
        }
    }
}

/// The evaluation context of one case.
struct Ctx<'a> {
    engine: &'a Engine,
    a: &'a Admitted,
    cx: CaseCtx<'a>,
    roles: Vec<Role>,
    subs: Vec<Role>,
    role_why: Vec<(Role, String)>,
}

/// The result of evaluating one target (a unit, or the sea) of a place.
type TargetResult<'r, 't> = (Target<'t>, Option<&'r Rule>, Vec<Pick<'r>>);

impl Engine {
    /// Decides an admitted case.
    pub fn decide(&self, a: &Admitted) -> Outcome {
        let cx = CaseCtx::new(&a.attrs, a.marine);
        let (roles, subs, role_why) = connecting_roles(&self.rules, a.kind, a.date, &cx);
        let ctx = Ctx {
            engine: self,
            a,
            cx,
            roles,
            subs,
            role_why,
        };
        let mut warnings = Warnings::default();
        let mut grounds: Vec<(CompetentOutcome, GroundOutcome)> = Vec::new();
        let mut reasons: Vec<NoCourtReason> = Vec::new();
        for (i, place) in a.places.iter().enumerate() {
            ctx.place(i + 1, place, &mut warnings, &mut grounds, &mut reasons);
        }
        let competent = merge(grounds);
        let (relation, relation_rules) = self.relation(a, &competent);
        Outcome {
            no_court: if competent.is_empty() {
                reasons
            } else {
                Vec::new()
            },
            competent,
            relation,
            relation_rules,
            warnings: warnings.0,
        }
    }

    fn relation(
        &self,
        a: &Admitted,
        competent: &[CompetentOutcome],
    ) -> (RelationKind, Vec<String>) {
        let provinces: BTreeSet<&str> = competent
            .iter()
            .filter_map(|c| self.rules.courts.get(&c.court))
            .map(|c| c.province.as_str())
            .collect();
        let (rk, applies) = match competent.len() {
            0 => (RelationKind::None, None),
            1 => (RelationKind::Exclusive, None),
            _ if provinces.len() > 1 => (
                RelationKind::CrossProvince,
                Some(RelationApplies::CrossProvince),
            ),
            _ => (RelationKind::Concurrent, Some(RelationApplies::Concurrent)),
        };
        let rules = match applies {
            Some(ap) => self
                .rules
                .for_kind(a.kind)
                .filter(|r| r.in_force(a.date) && r.applies_to().contains(&ap))
                .map(|r| r.id.clone())
                .collect(),
            None => Vec::new(),
        };
        (rk, rules)
    }
}

/// Merges grounds by court, ordered by first place then court id.
fn merge(grounds: Vec<(CompetentOutcome, GroundOutcome)>) -> Vec<CompetentOutcome> {
    let mut competent: Vec<CompetentOutcome> = Vec::new();
    for (c, g) in grounds {
        match competent.iter_mut().find(|x| x.court == c.court) {
            Some(x) => x.grounds.push(g),
            None => competent.push(CompetentOutcome {
                grounds: vec![g],
                ..c
            }),
        }
    }
    competent.sort_by(|a, b| {
        let pa = a.grounds.iter().map(|g| g.place).min().unwrap_or(0);
        let pb = b.grounds.iter().map(|g| g.place).min().unwrap_or(0);
        pa.cmp(&pb).then(a.court.cmp(&b.court))
    });
    competent
}

impl Ctx<'_> {
    fn picks_at(&self, t: Target<'_>, status: RuleStatus, level: Level) -> Vec<Pick<'_>> {
        let e = self.engine;
        venue_picks(
            &e.rules,
            &e.geo,
            self.a.kind,
            level,
            self.a.date,
            &self.cx_at(t),
            t,
            status,
        )
    }

    /// The case context as the court of target `t` sees it: whether a party is domiciled
    /// outside that court's province, inferred from the defendant's domicile when the case
    /// does not say.
    fn cx_at(&self, t: Target<'_>) -> CaseCtx<'_> {
        ctx_at(&self.engine.geo, self.cx, &self.a.domicile_provinces, t)
    }

    fn evaluate<'t>(&self, t: Target<'t>) -> TargetResult<'_, 't> {
        let e = self.engine;
        let lvl = level_rule(&e.rules, self.a.kind, self.a.date, &self.cx_at(t), t);
        let picks = match lvl.and_then(|r| r.scope()?.level) {
            Some(level) => self.picks_at(t, RuleStatus::Baseline, level),
            None => Vec::new(),
        };
        (t, lvl, picks)
    }

    /// Routes one place: its grounds, or why it gives none.
    fn place(
        &self,
        pno: usize,
        place: &AdmittedPlace,
        warnings: &mut Warnings,
        grounds: &mut Vec<(CompetentOutcome, GroundOutcome)>,
        reasons: &mut Vec<NoCourtReason>,
    ) {
        let subsidiary = !self.roles.contains(&place.role);
        if subsidiary && !self.subs.contains(&place.role) {
            warnings.push(WarningKind::RoleIgnored { place: pno });
            return;
        }
        let Some(loc) = self.located(pno, place, warnings, reasons) else {
            return;
        };
        let loc: &Located = &loc;
        if let Some(check) = &place.check {
            self.cross_check(pno, loc, &check.named, warnings);
        }
        let targets: Vec<Target<'_>> = if loc.at_sea {
            vec![Target::Sea(&loc.features)]
        } else {
            loc.units.iter().map(|&u| Target::Unit(u)).collect()
        };
        let mut results: Vec<TargetResult<'_, '_>> =
            targets.iter().map(|&t| self.evaluate(t)).collect();
        // Estuary water inside the coast: where no rule sees the water (no level or no venue
        // at sea), it belongs to the adjacent unit, for rules that follow administrative areas.
        if loc.at_sea
            && !loc.adjacent.is_empty()
            && !results
                .first()
                .is_some_and(|(_, l, p)| l.is_some() && !p.is_empty())
        {
            results = loc
                .adjacent
                .iter()
                .map(|&u| self.evaluate(Target::Unit(u)))
                .collect();
            if let Some(&u) = loc.adjacent.first()
                && let Some(unit) = self.engine.geo.units().get(u)
            {
                warnings.push(WarningKind::WaterAdjacent {
                    place: pno,
                    unit: unit.adcode.clone(),
                });
            }
        }
        let Some((first_t, lvl_rule, picks)) = results.first().cloned() else {
            reasons.push(NoCourtReason::NoUnit { place: pno });
            return;
        };
        if loc.area.is_some()
            && let Some(examples) = self.area_split(&results, &picks)
        {
            warnings.push(WarningKind::AreaNotUnit {
                place: pno,
                examples: examples.clone(),
            });
            reasons.push(NoCourtReason::AreaNotUnit {
                place: pno,
                examples,
            });
            return;
        }
        let Some(lvl_rule) = lvl_rule else {
            reasons.push(NoCourtReason::NoLevel { place: pno });
            return;
        };
        let level = lvl_rule
            .scope()
            .and_then(|s| s.level)
            .unwrap_or(Level::Basic);
        if picks.is_empty() {
            let landing_missing = loc.at_sea
                && self.roles.contains(&Role::Landing)
                && !self.a.places.iter().any(|p| p.role == Role::Landing);
            reasons.push(NoCourtReason::NoVenue {
                place: pno,
                level,
                landing_missing,
            });
            return;
        }
        self.side_warnings(pno, loc, first_t, level, &picks, warnings);
        let role_rule = self
            .role_why
            .iter()
            .find(|(r, _)| *r == place.role)
            .map(|(_, id)| id.clone());
        for p in picks {
            let g = self.ground(
                pno, place, loc, first_t, subsidiary, level, lvl_rule, &role_rule, &p, warnings,
            );
            grounds.push((
                CompetentOutcome {
                    court: p.court.id.clone(),
                    tribunal: p.tribunal.clone(),
                    appeal: p
                        .appeal
                        .clone()
                        .filter(|a| self.engine.rules.courts.get(a).is_some()),
                    grounds: Vec::new(),
                },
                g,
            ));
        }
    }

    /// Where a place is: its location, or the one its readings agree on (warning
    /// `readings_agree`); `None`, with the place skipped, when it has neither.
    fn located<'p>(
        &self,
        pno: usize,
        place: &'p AdmittedPlace,
        warnings: &mut Warnings,
        reasons: &mut Vec<NoCourtReason>,
    ) -> Option<std::borrow::Cow<'p, Located>> {
        match &place.loc {
            Ok(l) => Some(std::borrow::Cow::Borrowed(l)),
            Err(problem) => match self.agreeing_readings(problem) {
                Some((l, units)) => {
                    warnings.push(WarningKind::ReadingsAgree { place: pno, units });
                    Some(std::borrow::Cow::Owned(l))
                }
                None => {
                    warnings.push(WarningKind::PlaceSkipped { place: pno });
                    reasons.push(NoCourtReason::Unlocated { place: pno });
                    None
                }
            },
        }
    }

    /// A place with several readings (an ambiguous address, a zone in several units, a city
    /// named alone) whose readings all give the same courts: the readings as one area to
    /// route, with their unit codes. `None` when they differ (the caller then asks which one
    /// is meant) or when a reading gives no court.
    fn agreeing_readings(&self, problem: &PlaceProblem) -> Option<(Located, Vec<String>)> {
        let (codes, label): (Vec<&str>, (String, String)) = match problem {
            PlaceProblem::AddressAmbiguous(c) => (
                c.iter().map(|(code, _)| code.as_str()).collect(),
                c.first().cloned()?,
            ),
            PlaceProblem::AddressArea {
                code,
                name,
                province: false,
            } => {
                let units: Vec<&str> = self
                    .engine
                    .geo
                    .units()
                    .iter()
                    .filter(|u| u.city_adcode == *code)
                    .map(|u| u.adcode.as_str())
                    .collect();
                (units, (code.clone(), name.clone()))
            }
            _ => return None,
        };
        let units: Vec<usize> = codes
            .iter()
            .map(|c| self.engine.unit_index(c))
            .collect::<Option<_>>()?;
        if units.len() < 2 {
            return None;
        }
        let results: Vec<TargetResult<'_, '_>> = units
            .iter()
            .map(|&u| self.evaluate(Target::Unit(u)))
            .collect();
        let (_, first_level, picks) = results.first()?;
        let levels_agree = results.iter().all(|(_, l, _)| {
            l.and_then(|r| r.scope()?.level) == first_level.and_then(|r| r.scope()?.level)
        });
        if first_level.is_none()
            || picks.is_empty()
            || !levels_agree
            || self.area_split(&results, picks).is_some()
        {
            return None;
        }
        let located = Located {
            units,
            area: Some(label),
            ..Located::default()
        };
        Some((located, codes.iter().map(|c| (*c).to_string()).collect()))
    }

    /// For an area (city or province): `Some(examples)` when its units go to different courts.
    fn area_split(
        &self,
        results: &[TargetResult<'_, '_>],
        picks: &[Pick<'_>],
    ) -> Option<Vec<(String, String)>> {
        let same = results.iter().all(|(_, _, p)| {
            p.len() == picks.len()
                && p.iter()
                    .zip(picks)
                    .all(|(a, b)| a.court.id == b.court.id && a.tribunal == b.tribunal)
        });
        if same {
            return None;
        }
        let mut examples: Vec<(String, String)> = Vec::new();
        let mut shown: Vec<String> = Vec::new();
        for (t, _, p) in results.iter().take(40) {
            if let (Target::Unit(u), Some(pk)) = (t, p.first())
                && let Some(unit) = self.engine.geo.units().get(*u)
            {
                // One example per court (as its text "unit → court" shows).
                if !shown.iter().any(|x| x.ends_with(&pk.court.name_zh)) {
                    shown.push(format!("{} → {}", unit.name, pk.court.name_zh));
                    examples.push((unit.adcode.clone(), pk.court.id.clone()));
                }
            }
        }
        Some(examples)
    }

    /// Alternatives, advisories, border and approximate-polygon warnings of a routed place.
    fn side_warnings(
        &self,
        pno: usize,
        loc: &Located,
        first_t: Target<'_>,
        level: Level,
        picks: &[Pick<'_>],
        warnings: &mut Warnings,
    ) {
        let e = self.engine;
        for alt in self.picks_at(first_t, RuleStatus::Alternative, level) {
            let applies = picks
                .iter()
                .any(|p| alt.rule.alternative_to().contains(&p.rule.id));
            let differs = picks.iter().all(|p| p.court.id != alt.court.id);
            if applies && differs {
                warnings.push(WarningKind::AlternativeReading {
                    place: pno,
                    rule: alt.rule.id.clone(),
                    court: alt.court.id.clone(),
                });
            }
        }
        let cx = self.cx_at(first_t);
        for r in e.rules.for_kind(self.a.kind) {
            if matches!(r.body, Body::Advisory { .. })
                && r.covers_level(level)
                && r.in_force(self.a.date)
                && when_matches(r, &cx)
                && territory_matches(r, first_t)
            {
                warnings.push(WarningKind::Advisory {
                    place: pno,
                    rule: r.id.clone(),
                });
            }
        }
        for &(other, _) in &loc.near {
            let t = Target::Unit(other);
            let (_, _, alt) = self.evaluate(t);
            let Some(u) = e.geo.units().get(other) else {
                continue;
            };
            let same = alt
                .iter()
                .map(|p| &p.court.id)
                .eq(picks.iter().map(|p| &p.court.id));
            warnings.push(WarningKind::NearBorder {
                place: pno,
                unit: u.adcode.clone(),
                same,
                courts: alt.iter().map(|p| p.court.id.clone()).collect(),
            });
        }
        if loc.at_sea {
            for f in loc.features.iter().filter_map(|f| e.geo.feature(f)) {
                if f.kind.is_sea() && f.approximate {
                    warnings.push(WarningKind::ApproximatePolygon {
                        place: pno,
                        feature: f.id.clone(),
                    });
                }
            }
        }
    }

    /// One ground: the contributing rules and their weakest confidence.
    #[allow(
        clippy::too_many_arguments,
        reason = "the place's evaluation context spelled out"
    )]
    fn ground(
        &self,
        pno: usize,
        place: &AdmittedPlace,
        loc: &Located,
        first_t: Target<'_>,
        subsidiary: bool,
        level: Level,
        lvl_rule: &Rule,
        role_rule: &Option<String>,
        p: &Pick<'_>,
        warnings: &mut Warnings,
    ) -> GroundOutcome {
        let mut rules = Vec::new();
        if let Some(rr) = role_rule {
            rules.push(rr.clone());
        }
        for id in [&lvl_rule.id, &p.rule.id] {
            if !rules.contains(id) {
                rules.push(id.clone());
            }
        }
        // The court's own facts (seat, name) do not make the assignment uncertain.
        let mut confidence = p.rule.confidence.max(lvl_rule.confidence);
        for id in &rules {
            let Some(r) = self.engine.rules.rule(id) else {
                continue;
            };
            // The weakest of every contributing rule (corroborated included).
            confidence = confidence.max(r.confidence);
            if r.confidence == Confidence::Uncertain {
                warnings.push(WarningKind::UncertainRule { rule: r.id.clone() });
            }
        }
        GroundOutcome {
            factor: place.role,
            subsidiary,
            place: pno,
            unit: match first_t {
                Target::Unit(u) if loc.area.is_none() => Some(u),
                _ => None,
            },
            feature: if loc.at_sea {
                loc.features
                    .iter()
                    .find(|f| p.rule.territory.has_feature(f))
                    .cloned()
            } else {
                None
            },
            level,
            rule: p.rule.id.clone(),
            rules,
            confidence,
        }
    }

    /// Flags an address beside a point or code that names other units.
    fn cross_check(&self, pno: usize, loc: &Located, named: &[String], warnings: &mut Warnings) {
        if named.is_empty() {
            warnings.push(WarningKind::AddressUnrecognized { place: pno });
            return;
        }
        let units = self.engine.geo.units();
        let is_named = |u: usize| units.get(u).is_some_and(|u| named.contains(&u.adcode));
        let agrees =
            loc.units.iter().any(|&u| is_named(u)) || loc.near.iter().any(|&(u, _)| is_named(u));
        if !agrees {
            warnings.push(WarningKind::AddressMismatch {
                place: pno,
                named: named.to_vec(),
            });
        }
    }
}

/// The case context as the court of target `t` sees it: whether a party is domiciled outside
/// that court's province, inferred from the defendants' domicile provinces when the case does
/// not say (audit D1). Shared by `decide` and `why_not`, so both read a level the same way.
pub(crate) fn ctx_at<'c>(
    geo: &crate::spatial::Geodata,
    cx: CaseCtx<'c>,
    domicile_provinces: &[String],
    t: Target<'_>,
) -> CaseCtx<'c> {
    let province = match t {
        Target::Unit(i) => geo.units().get(i).map(|u| u.province_adcode.as_str()),
        Target::Sea(_) => None,
    };
    match province {
        Some(p) => cx.for_court_in(p, domicile_provinces),
        None => cx,
    }
}

//! "Why not this court?": for a court a user names, the venue rules that could give it and,
//! for each, why it did or did not apply to an admitted case on its date. Data only (rule and
//! court ids, dates, levels); the words are in `explain::messages`.
//!
//! A rule could give the court when it names it, or when it assigns "the court of the place's
//! unit" and its territory contains a unit whose court that is. Its reason follows the
//! precedence law of `rules::select` step by step: kind, dates, territory (over the case's
//! connecting places), level, conditions, status, and finally whether a rule of higher
//! precedence won at that place.

use crate::diagnostics::did_you_mean;
use crate::model::{CaseKind, Date, Level, Outcome};
use crate::rules::select::{
    CaseCtx, Target, connecting_roles, level_rule, resolve_court, territory_matches, venue_picks,
    when_matches,
};
use crate::rules::{Court, CourtPick, Rule, RuleStatus, Stage, UnitCourt};

use super::{Admitted, Engine};

/// Why one rule did (or did not) give the court.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhyNotReason {
    /// The rule applied: it gives the court on this case.
    Applies,
    /// The rule covers other kinds of case.
    WrongKind {
        /// The kinds it covers.
        kinds: Vec<CaseKind>,
    },
    /// The filing date is outside the rule's validity `[from, to)`.
    NotInForce {
        /// First day.
        from: Option<Date>,
        /// First day no longer in force.
        to: Option<Date>,
    },
    /// No connecting place of the case lies in the rule's territory for this court.
    OutsideTerritory {
        /// The unit codes (or sea feature ids) of the connecting places.
        places: Vec<String>,
    },
    /// The case is not at a level the rule covers.
    WrongLevel {
        /// The level of the case at the place.
        level: Level,
        /// The levels the rule covers.
        levels: Vec<Level>,
    },
    /// The scope rules give the place no level on this date.
    NoLevel,
    /// The rule's conditions (`when`) do not hold for the case.
    Conditions {
        /// The names of the conditions.
        fields: Vec<&'static str>,
    },
    /// An alternative reading only: it gives a warning, not a court.
    Alternative,
    /// A rule of higher precedence won at the place.
    Overridden {
        /// The winning rule.
        rule: String,
        /// The court it gives.
        court: String,
    },
}

impl WhyNotReason {
    /// The stable machine word of the reason (JSON `reason.code`).
    pub fn code(&self) -> &'static str {
        match self {
            WhyNotReason::Applies => "applies",
            WhyNotReason::WrongKind { .. } => "wrong_kind",
            WhyNotReason::NotInForce { .. } => "not_in_force",
            WhyNotReason::OutsideTerritory { .. } => "outside_territory",
            WhyNotReason::WrongLevel { .. } => "wrong_level",
            WhyNotReason::NoLevel => "no_level",
            WhyNotReason::Conditions { .. } => "conditions",
            WhyNotReason::Alternative => "alternative_only",
            WhyNotReason::Overridden { .. } => "overridden",
        }
    }
}

/// The answer for one court.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhyNot {
    /// The court id.
    pub court: String,
    /// Whether the court is competent for the case (it is in the decision).
    pub competent: bool,
    /// The rules that could give it, in precedence order, with their reasons.
    pub rules: Vec<(String, WhyNotReason)>,
}

/// A court the rule set does not know: the closest id or name, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCourt {
    /// As given.
    pub given: String,
    /// The closest court id.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownCourt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown court `{}`", self.given)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

fn condition_names(r: &Rule) -> Vec<&'static str> {
    let w = &r.when;
    let mut out = Vec::new();
    let mut add = |set: bool, name: &'static str| {
        if set {
            out.push(name);
        }
    };
    add(w.marine.is_some(), "marine");
    add(w.ship_source.is_some(), "ship_source");
    add(w.investigated_by.is_some(), "investigated_by");
    add(w.brought_by.is_some(), "brought_by");
    add(w.agency_level.is_some(), "defendant_agency_level");
    add(w.admin_subject.is_some(), "admin_subject");
    add(w.max_penalty.is_some(), "max_penalty");
    add(w.claim_at_least_cny.is_some(), "claim_amount_cny");
    add(w.parties_cross_province.is_some(), "parties_cross_province");
    add(w.incident.is_some(), "incident_id");
    out
}

impl Engine {
    /// The court with this id or Chinese (or English) name.
    pub fn find_court(&self, given: &str) -> Result<&Court, UnknownCourt> {
        let g = given.trim();
        let courts = self.rules.courts.all();
        if let Some(c) = self.rules.courts.get(g) {
            return Ok(c);
        }
        if let Some(c) = courts
            .iter()
            .find(|c| c.name_zh == g || c.name_en.eq_ignore_ascii_case(g))
        {
            return Ok(c);
        }
        let by_id = did_you_mean(g, courts.iter().map(|c| c.id.as_str())).map(str::to_string);
        let by_name = || {
            did_you_mean(g, courts.iter().map(|c| c.name_zh.as_str()))
                .and_then(|n| courts.iter().find(|c| c.name_zh == n))
                .map(|c| c.id.clone())
        };
        Err(UnknownCourt {
            given: g.to_string(),
            suggestion: by_id.or_else(by_name),
        })
    }

    /// Whether `r` can give `court` for some unit or sea place, whatever the case.
    fn could_give(&self, r: &Rule, court: &Court) -> bool {
        let Some(a) = r.assign() else { return false };
        match &a.court {
            CourtPick::Named(id) => *id == court.id,
            CourtPick::OfUnit(p) => self.geo.units().iter().enumerate().any(|(i, u)| {
                let c = match p {
                    UnitCourt::Basic => self.rules.courts.basic_of(&u.adcode),
                    UnitCourt::Intermediate => {
                        self.rules.courts.intermediate_of(&u.adcode, &u.city_adcode)
                    }
                };
                c.is_some_and(|c| c.id == court.id) && r.territory.has_unit(i)
            }),
        }
    }

    /// Why `court` is or is not competent for the admitted case decided as `outcome`.
    pub fn why_not(&self, a: &Admitted, outcome: &Outcome, court: &Court) -> WhyNot {
        let competent = outcome.competent.iter().any(|c| c.court == court.id);
        let cx = CaseCtx::new(&a.attrs, a.marine);
        let (roles, subs, _) = connecting_roles(&self.rules, a.kind, a.date, &cx);
        // The targets of the connecting places, as `decide` evaluates them.
        let mut targets: Vec<Target<'_>> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for p in &a.places {
            if !roles.contains(&p.role) && !subs.contains(&p.role) {
                continue;
            }
            let Ok(loc) = &p.loc else { continue };
            if loc.at_sea {
                targets.push(Target::Sea(&loc.features));
                names.extend(loc.features.iter().cloned());
            } else {
                for &u in &loc.units {
                    targets.push(Target::Unit(u));
                    if let Some(unit) = self.geo.units().get(u) {
                        names.push(format!("{} {}", unit.adcode, unit.name));
                    }
                }
            }
        }
        let mut rules = Vec::new();
        let mut all: Vec<&Rule> = self
            .rules
            .rules
            .iter()
            .filter(|r| r.stage() == Stage::Venue && self.could_give(r, court))
            .collect();
        all.sort_by(|x, y| y.priority.cmp(&x.priority).then(x.id.cmp(&y.id)));
        for r in all {
            let reason = self.reason(a, &cx, r, court, &targets, &names);
            rules.push((r.id.clone(), reason));
        }
        // Rules of other kinds last: they explain the least.
        rules.sort_by_key(|(_, r)| matches!(r, WhyNotReason::WrongKind { .. }));
        WhyNot {
            court: court.id.clone(),
            competent,
            rules,
        }
    }

    fn reason(
        &self,
        a: &Admitted,
        cx: &CaseCtx<'_>,
        r: &Rule,
        court: &Court,
        targets: &[Target<'_>],
        names: &[String],
    ) -> WhyNotReason {
        if !r.covers_kind(a.kind) {
            return WhyNotReason::WrongKind {
                kinds: r.kinds.clone(),
            };
        }
        if !r.in_force(a.date) {
            return WhyNotReason::NotInForce {
                from: r.valid.from,
                to: r.valid.to,
            };
        }
        let here: Vec<Target<'_>> = targets
            .iter()
            .copied()
            .filter(|&t| {
                territory_matches(r, t)
                    && resolve_court(&self.rules, &self.geo, r, t).is_some_and(|c| c.id == court.id)
            })
            .collect();
        if here.is_empty() {
            return WhyNotReason::OutsideTerritory {
                places: names.to_vec(),
            };
        }
        let mut last = WhyNotReason::NoLevel;
        for &t in &here {
            let tcx = super::decide::ctx_at(&self.geo, *cx, &a.domicile_provinces, t);
            let Some(level) =
                level_rule(&self.rules, a.kind, a.date, &tcx, t).and_then(|lr| lr.scope()?.level)
            else {
                continue;
            };
            if !r.covers_level(level) {
                last = WhyNotReason::WrongLevel {
                    level,
                    levels: r.levels.clone(),
                };
                continue;
            }
            if !when_matches(r, &tcx) {
                return WhyNotReason::Conditions {
                    fields: condition_names(r),
                };
            }
            if r.status() == RuleStatus::Alternative {
                return WhyNotReason::Alternative;
            }
            let picks = venue_picks(
                &self.rules,
                &self.geo,
                a.kind,
                level,
                a.date,
                &tcx,
                t,
                RuleStatus::Baseline,
            );
            if picks.iter().any(|p| p.rule.id == r.id) {
                return WhyNotReason::Applies;
            }
            if let Some(w) = picks.first() {
                last = WhyNotReason::Overridden {
                    rule: w.rule.id.clone(),
                    court: w.court.id.clone(),
                };
            }
        }
        last
    }
}

//! An [`Outcome`] of an [`Admitted`] case → the [`Decision`] of the JSON contract: court,
//! tribunal and source references resolved, every message written from the catalogue.

use std::sync::Arc;

use crate::address::ZoneMatch;
use crate::eval::Admitted;
use crate::eval::admit::AdmittedPlace;
use crate::model::{
    Competent, Decision, Ground, Outcome, Relation, Status, TribunalRef, UnitBrief, Warning,
    WaterRef, ZoneRef,
};
use crate::rules::RuleSet;
use crate::spatial::FeatureKind;
use crate::spatial::Geodata;

use super::messages::Names;

/// Writes the decision of an admitted case from its outcome.
pub fn decision(rules: &RuleSet, geo: &Geodata, a: &Admitted, o: &Outcome) -> Decision {
    let names = Names { rules, geo };
    let competent = o
        .competent
        .iter()
        .filter_map(|c| {
            let court = rules.courts.get(&c.court)?;
            Some(Competent {
                court: rules.court_ref(court),
                tribunal: c
                    .tribunal
                    .as_deref()
                    .and_then(|t| court.tribunal(t))
                    .map(|t| {
                        Arc::new(TribunalRef {
                            id: t.id.clone(),
                            name_zh: t.name_zh.clone(),
                            name_en: t.name_en.clone(),
                        })
                    }),
                appeal_court: c
                    .appeal
                    .as_deref()
                    .and_then(|id| rules.courts.get(id))
                    .map(|c| rules.court_ref(c)),
                seat_at: court.seat_at,
                grounds: c
                    .grounds
                    .iter()
                    .map(|g| {
                        let rule = rules.rule(&g.rule);
                        Ground {
                            factor: g.factor,
                            subsidiary: g.subsidiary,
                            place: g.place,
                            place_text: a
                                .places
                                .get(g.place.wrapping_sub(1))
                                .map(|p| p.text.to_string())
                                .unwrap_or_default(),
                            unit: g.unit.and_then(|u| geo.units().get(u)).map(|u| UnitBrief {
                                adcode: u.adcode.clone(),
                                name: u.name.clone(),
                            }),
                            feature: g.feature.clone(),
                            level: g.level,
                            rule: g.rule.clone(),
                            rules: g.rules.clone(),
                            summary: rule.map(|r| r.summary.clone()).unwrap_or_default(),
                            sources: rule
                                .map(|r| r.source_refs.clone())
                                .unwrap_or_else(|| Arc::from(Vec::new())),
                            basis_sources: basis_sources(rules, &g.rules, &g.rule),
                            confidence: g.confidence,
                            evidence_cases: None,
                            zone: a
                                .places
                                .get(g.place.wrapping_sub(1))
                                .and_then(|p| p.zone.as_ref())
                                .map(zone_ref),
                            water: a
                                .places
                                .get(g.place.wrapping_sub(1))
                                .and_then(|p| water_ref(geo, p)),
                        }
                    })
                    .collect(),
            })
        })
        .collect::<Vec<_>>();
    let status = if competent.is_empty() {
        Status::NoCourt
    } else {
        Status::Routed
    };
    Decision {
        case_id: a.case_id.clone(),
        kind: a.kind,
        filed_on: a.date,
        status,
        no_court_reason: competent.is_empty().then(|| names.no_court(a, &o.no_court)),
        competent,
        relation: Relation {
            kind: o.relation,
            rules: o.relation_rules.clone(),
            text: names.relation(a, o.relation, &o.relation_rules),
        },
        warnings: o
            .warnings
            .iter()
            .map(|w| Warning {
                code: w.code(),
                message: names.warning(a, w),
                rule: w.rule().map(str::to_string),
                place: w.place(),
            })
            .collect(),
        clarification: None,
        rules_version: rules.version.clone(),
        geodata_version: geo.version().to_string(),
    }
}

/// The English reason why an outcome has no court (for batch rows), `None` when routed.
pub fn no_court_reason_en(
    rules: &RuleSet,
    geo: &Geodata,
    a: &Admitted,
    o: &Outcome,
) -> Option<String> {
    o.competent
        .is_empty()
        .then(|| Names { rules, geo }.no_court(a, &o.no_court).en)
}

/// The sources of the contributing rules other than the assigning one, in order, each once
/// and not among the assigning rule's own.
fn basis_sources(rules: &RuleSet, ids: &[String], assigning: &str) -> Vec<crate::model::SourceRef> {
    let own: Vec<&str> = rules
        .rule(assigning)
        .map(|r| r.sources.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let mut out: Vec<crate::model::SourceRef> = Vec::new();
    for r in ids
        .iter()
        .filter(|id| *id != assigning)
        .filter_map(|id| rules.rule(id))
    {
        for s in r.source_refs.iter() {
            if !own.contains(&s.key.as_str()) && !out.iter().any(|o| o.key == s.key) {
                out.push(s.clone());
            }
        }
    }
    out
}

/// The answer's reference to a development zone.
pub(crate) fn zone_ref(z: &ZoneMatch) -> ZoneRef {
    ZoneRef {
        id: z.id.clone(),
        name: z.name.clone(),
        name_en: z.name_en.clone(),
        hosts: z.hosts.clone(),
    }
}

/// The estuary water a place lies in, with its adjacent unit.
fn water_ref(geo: &Geodata, p: &AdmittedPlace) -> Option<WaterRef> {
    let loc = p.loc.as_ref().ok()?;
    if !loc.at_sea {
        return None;
    }
    let f = loc
        .features
        .iter()
        .filter_map(|f| geo.feature(f))
        .find(|f| f.kind == FeatureKind::Estuary)?;
    Some(WaterRef {
        feature: f.id.clone(),
        name: f.name.split(" (").next().unwrap_or(&f.name).to_string(),
        adjacent: loc
            .adjacent
            .first()
            .and_then(|&u| geo.units().get(u))
            .map(|u| UnitBrief {
                adcode: u.adcode.clone(),
                name: u.name.clone(),
            }),
    })
}

//! Explaining, the third routing step: an [`Outcome`] of an [`Admitted`] case becomes the
//! [`Decision`] of the JSON contract (`decision`, with every message from the catalogue in
//! `messages`), and a decision becomes text in English (with Chinese names beside) or Chinese
//! (`render_text`). JSON is the serde serialization of `Decision` itself. No IO.
//!
//! [`Engine::route`] (admit → decide → explain) is implemented here, at the top of the three
//! steps, so that `eval` never depends on text.

mod decision;
pub mod errors;
pub(crate) mod messages;
pub mod whynot;

use std::fmt::Write as _;

pub use decision::{decision, no_court_reason_en};

use crate::eval::admit::PlaceProblem;
use crate::eval::{Admitted, Engine};
use crate::input::CaseError;
use crate::model::{
    Case, Clarification, ClarificationCandidate, Competent, Confidence, Date, Decision, Ground,
    NoCourtReason, Outcome, PlaceSpec, RelationKind, Status, UnitBrief,
};

impl Engine {
    /// The decision of an admitted case from its outcome.
    pub fn explain(&self, a: &Admitted, o: &Outcome) -> Decision {
        decision(self.rules(), self.geo(), a, o)
    }

    /// Routes a case: admit, decide, explain. Fails only on input (see [`Engine::admit`]);
    /// "no competent court" is a [`Status`] of the decision.
    pub fn route(&self, case: &Case, today: Date, origin: &str) -> Result<Decision, CaseError> {
        let a = self.admit(case, today, origin)?;
        let o = self.decide(&a);
        let mut d = self.explain(&a, &o);
        if d.status == Status::NoCourt {
            d.clarification = self.clarify(case, &a, &o, today);
            if d.clarification.is_some() {
                d.status = Status::NeedsClarification;
            }
        }
        Ok(d)
    }

    /// For a case with no court because a place is ambiguous (an address naming several
    /// units, a development zone lying in several, or only a city or province): each reading
    /// of the first such place, and the courts it would give (the case routed again with the
    /// place given as that unit's or city's code). At most
    /// [`Clarification::MAX_CANDIDATES`] readings.
    fn clarify(
        &self,
        case: &Case,
        a: &Admitted,
        o: &Outcome,
        today: Date,
    ) -> Option<Clarification> {
        // A city or province given by its code whose units go to different courts asks the
        // same question as one given by its name.
        let split_area = |i: usize, p: &crate::eval::admit::AdmittedPlace| {
            let (code, _) = p.loc.as_ref().ok()?.area.as_ref()?;
            o.no_court
                .iter()
                .any(|r| matches!(r, NoCourtReason::AreaNotUnit { place, .. } if *place == i + 1))
                .then(|| self.area_problem(code))
        };
        let (i, place, readings, level, area) =
            a.places.iter().enumerate().find_map(|(i, p)| {
                match split_area(i, p).as_ref().or(p.loc.as_ref().err()) {
                    Some(PlaceProblem::AddressAmbiguous(c)) => Some((i, p, c.clone(), None, None)),
                    Some(PlaceProblem::AddressArea {
                        code,
                        name,
                        province,
                    }) => {
                        let units = self.geo().units();
                        let list: Vec<(String, String)> = if *province {
                            // The province's prefecture cities, in code order.
                            let mut cities: Vec<(String, String)> = Vec::new();
                            for u in units.iter().filter(|u| u.province_adcode == *code) {
                                if !cities.iter().any(|(c, _)| *c == u.city_adcode) {
                                    let name = self
                                        .geo()
                                        .codes()
                                        .get(&u.city_adcode)
                                        .map(|a| a.name.clone())
                                        .unwrap_or_default();
                                    cities.push((u.city_adcode.clone(), name));
                                }
                            }
                            cities.sort();
                            cities
                        } else {
                            units
                                .iter()
                                .filter(|u| u.city_adcode == *code)
                                .map(|u| (u.adcode.clone(), u.name.clone()))
                                .collect()
                        };
                        Some((
                            i,
                            p,
                            list,
                            province.then_some("city"),
                            Some(UnitBrief {
                                adcode: code.clone(),
                                name: name.clone(),
                            }),
                        ))
                    }
                    _ => None,
                }
            })?;
        let candidates = readings
            .iter()
            .take(Clarification::MAX_CANDIDATES)
            .map(|(code, name)| {
                let mut c = case.clone();
                if let Some(p) = c.places.get_mut(i) {
                    p.spec = PlaceSpec::Code(code.clone());
                    p.address_check = None;
                }
                let courts = self
                    .admit(&c, today, "")
                    .map(|a| {
                        self.decide(&a)
                            .competent
                            .into_iter()
                            .map(|c| c.court)
                            .collect()
                    })
                    .unwrap_or_default();
                ClarificationCandidate {
                    unit: UnitBrief {
                        adcode: code.clone(),
                        name: name.clone(),
                    },
                    level,
                    courts,
                }
            })
            .collect();
        Some(Clarification {
            place: i + 1,
            candidates,
            zone: place.zone.as_ref().map(decision::zone_ref),
            area,
        })
    }
}

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Chinese.
    Zh,
}

/// The decision as human-readable text.
pub fn render_text(d: &Decision, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    header(&mut s, d, zh);
    for (i, c) in d.competent.iter().enumerate() {
        court(&mut s, i + 1, c, zh);
        for g in &c.grounds {
            ground(&mut s, g, zh);
        }
    }
    relation(&mut s, d, zh);
    if !d.warnings.is_empty() {
        let _ = writeln!(s, "{}", if zh { "提示：" } else { "warnings:" });
        for w in &d.warnings {
            let _ = writeln!(
                s,
                "  - [{}] {}",
                w.code,
                if zh { &w.message.zh } else { &w.message.en }
            );
        }
    }
    if zh {
        let _ = writeln!(
            s,
            "规则版本 {}；地理数据 {}",
            d.rules_version, d.geodata_version
        );
    } else {
        let _ = writeln!(
            s,
            "rules {}; geodata {}",
            d.rules_version, d.geodata_version
        );
    }
    s
}

/// The case line and the status line.
fn header(s: &mut String, d: &Decision, zh: bool) {
    let id = d
        .case_id
        .as_deref()
        .map(|i| format!(" `{i}`"))
        .unwrap_or_default();
    if zh {
        let _ = writeln!(s, "案件{id}：{}，立案日期 {}", d.kind.name_zh(), d.filed_on);
    } else {
        let _ = writeln!(
            s,
            "case{id}: {} ({}), filed on {}",
            d.kind,
            d.kind.name_zh(),
            d.filed_on
        );
    }
    let reason = d
        .no_court_reason
        .as_ref()
        .map(|r| if zh { r.zh.as_str() } else { r.en.as_str() })
        .unwrap_or("");
    match d.status {
        Status::NeedsClarification => {
            if zh {
                let _ = writeln!(s, "需要澄清：{reason}");
            } else {
                let _ = writeln!(s, "needs clarification: {reason}");
            }
            if let Some(c) = &d.clarification {
                let cities = c.candidates.iter().any(|x| x.level == Some("city"));
                match (zh, cities) {
                    (true, true) => {
                        let _ = writeln!(s, "请写明第{}个地点所在的市和县（区）：", c.place);
                    }
                    (true, false) => {
                        let _ = writeln!(s, "请确认第{}个地点是指：", c.place);
                    }
                    (false, true) => {
                        let _ = writeln!(s, "which city and county is place #{} in?", c.place);
                    }
                    (false, false) => {
                        let _ = writeln!(s, "which unit is place #{} in?", c.place);
                    }
                }
                for cand in &c.candidates {
                    let courts = if cand.courts.is_empty() && cand.level == Some("city") {
                        (if zh {
                            "视县（区）而定"
                        } else {
                            "depends on the county"
                        })
                        .to_string()
                    } else if cand.courts.is_empty() {
                        (if zh {
                            "无管辖法院"
                        } else {
                            "no competent court"
                        })
                        .to_string()
                    } else {
                        cand.courts.join(", ")
                    };
                    let _ = writeln!(s, "  - {} {} → {courts}", cand.unit.adcode, cand.unit.name);
                }
                if let Some(first) = c.candidates.first()
                    && c.candidates.len() > 1
                    && !first.courts.is_empty()
                    && c.candidates.iter().all(|x| x.courts == first.courts)
                {
                    let list = first.courts.join(", ");
                    if zh {
                        let _ = writeln!(s, "（各候选的管辖法院相同：{list}）");
                    } else {
                        let _ = writeln!(s, "(every reading gives the same court(s): {list})");
                    }
                }
            }
        }
        Status::NoCourt => {
            if zh {
                let _ = writeln!(s, "无管辖法院：{reason}");
            } else {
                let _ = writeln!(s, "no competent court: {reason}");
            }
        }
        Status::Routed => {
            if zh {
                let _ = writeln!(s, "有管辖权的第一审法院（{}家）：", d.competent.len());
            } else {
                let _ = writeln!(
                    s,
                    "competent first-instance court(s): {}",
                    d.competent.len()
                );
            }
        }
    }
}

/// One competent court: name, tribunal, appeal court.
fn court(s: &mut String, n: usize, c: &Competent, zh: bool) {
    if zh {
        let _ = writeln!(s, "{n}. {}（{}）", c.court.name_zh, c.court.id);
        if let Some(t) = &c.tribunal {
            let _ = writeln!(s, "   审判庭：{}", t.name_zh);
        }
        if let Some(a) = &c.appeal_court {
            let _ = writeln!(s, "   上诉法院：{}", a.name_zh);
        }
    } else {
        let _ = writeln!(
            s,
            "{n}. {} {} [{}]",
            c.court.name_zh, c.court.name_en, c.court.id
        );
        if let Some(t) = &c.tribunal {
            let _ = writeln!(s, "   tribunal: {} {}", t.name_zh, t.name_en);
        }
        if let Some(a) = &c.appeal_court {
            let _ = writeln!(s, "   appeal:   {} {}", a.name_zh, a.name_en);
        }
    }
}

/// One ground of a court, with its sources.
fn ground(s: &mut String, g: &Ground, zh: bool) {
    let mut place = match (&g.unit, &g.feature) {
        (Some(u), _) => format!("{} {}", u.adcode, u.name),
        (None, Some(f)) => f.clone(),
        _ => g.place_text.clone(),
    };
    // `苏州工业园区, within 320506 吴中区` / `位于苏州工业园区（320506 吴中区）`.
    if let Some(z) = &g.zone {
        // A zone in several units whose readings agree (`readings_agree`): its hosts.
        if g.unit.is_none() && z.hosts.len() > 1 {
            place = z.hosts.join(if zh { " 或 " } else { " or " });
        }
        place = if zh {
            format!("位于{}（{place}）", z.name)
        } else {
            format!("{} {}, within {place}", z.name, z.name_en)
        };
    }
    // `长江口 water, adjacent to 310151 崇明区` / `长江口水域，毗邻310151 崇明区`.
    if let Some(w) = &g.water {
        let adj = w
            .adjacent
            .as_ref()
            .map(|u| format!("{} {}", u.adcode, u.name));
        place = match (zh, adj) {
            (true, Some(u)) => format!("{}水域，毗邻{u}", w.name),
            (false, Some(u)) => format!("{} water, adjacent to {u}", w.name),
            (true, None) => format!("{}水域", w.name),
            (false, None) => format!("{} water", w.name),
        };
    }
    let sources: Vec<&str> = g.sources.iter().map(|s| s.key.as_str()).collect();
    let basis: Vec<&str> = g.basis_sources.iter().map(|s| s.key.as_str()).collect();
    let mark = |unc: &'static str, cor: &'static str| match g.confidence {
        Confidence::Uncertain => unc,
        Confidence::Corroborated => cor,
        Confidence::Confirmed => "",
    };
    if zh {
        let _ = writeln!(
            s,
            "   依据：第{}个地点（{}{}，{}）→ {}：{}{}",
            g.place,
            g.factor.name_zh(),
            if g.subsidiary {
                "，更为适宜时"
            } else {
                ""
            },
            place,
            g.rules.join(" + "),
            g.summary.zh,
            mark("〔不确定〕", "〔有实际案例佐证，未见文件依据〕")
        );
        let _ = writeln!(s, "         来源：{}", sources.join("、"));
        if !basis.is_empty() {
            let _ = writeln!(s, "         连接点及级别依据：{}", basis.join("、"));
        }
        if let Some(n) = g.evidence_cases {
            let _ = writeln!(s, "         实际案例：{n}件已审结案例支持该规则");
        }
    } else {
        let _ = writeln!(
            s,
            "   ground: place #{} ({}{}: {}) at {} level → {}: {}{}",
            g.place,
            g.factor,
            if g.subsidiary {
                ", if more suitable"
            } else {
                ""
            },
            place,
            g.level,
            g.rules.join(" + "),
            g.summary.en,
            mark(
                " [uncertain]",
                " [corroborated by real cases, no document found]"
            )
        );
        let _ = writeln!(s, "           sources: {}", sources.join(", "));
        if !basis.is_empty() {
            let _ = writeln!(
                s,
                "           basis of the connecting factor and level: {}",
                basis.join(", ")
            );
        }
        if let Some(n) = g.evidence_cases {
            let _ = writeln!(
                s,
                "           evidence: {n} real adjudicated case(s) support this rule"
            );
        }
    }
}

/// The relation line, for several courts.
fn relation(s: &mut String, d: &Decision, zh: bool) {
    if !matches!(
        d.relation.kind,
        RelationKind::Concurrent | RelationKind::CrossProvince
    ) {
        return;
    }
    let label = match (d.relation.kind, zh) {
        (RelationKind::CrossProvince, true) => "跨省共同管辖",
        (RelationKind::CrossProvince, false) => "concurrent, across provinces",
        (_, true) => "共同管辖",
        (_, false) => "concurrent",
    };
    if zh {
        let _ = writeln!(
            s,
            "法院关系：{label}（{}）。{}",
            d.relation.rules.join("、"),
            d.relation.text.zh
        );
    } else {
        let _ = writeln!(
            s,
            "relation: {label} ({}). {}",
            d.relation.rules.join(", "),
            d.relation.text.en
        );
    }
}

//! The message catalogue of routing: every warning, no-court reason and place problem, in
//! English and Chinese, from the data `decide` and `admit` produce. The one place where the
//! wording of a routing message is changed.
//!
//! Warning codes (the JSON contract's `warnings[].code`; [`crate::model::WARNING_CODES`]):
//!
//! | code | when |
//! | --- | --- |
//! | `uncertain_rule` | a rule that contributed to a ground rests on uncertain facts |
//! | `approximate_polygon` | a place lies in an approximate sea polygon, not a legal boundary |
//! | `near_border` | a point is within the tolerance of another unit (with that unit's courts) |
//! | `place_skipped` | a place could not be located and was left out |
//! | `alternative_reading` | an alternative (uncertain) reading of an arrangement would give another court |
//! | `advisory` | an advisory rule applies (an arrangement whose scope is not known precisely) |
//! | `area_not_unit` | a city or province is given whose units go to different courts |
//! | `role_ignored` | a place's role is not a connecting factor for the kind on the date |
//! | `address_mismatch` | an address beside a point or code names another unit, or none |
//! | `water_adjacent` | estuary water no rule on waters covers, routed with the adjacent unit |
//! | `readings_agree` | a place with several readings (ambiguous address, zone in several units, city alone) whose readings all give the same courts, routed without asking |

use crate::model::{Level, NoCourtReason, Text, WarningKind};
use crate::rules::RuleSet;
use crate::spatial::Geodata;

use crate::eval::Admitted;
use crate::eval::admit::{AdmittedPlace, PlaceProblem};

/// What the catalogue needs to name things.
pub(crate) struct Names<'a> {
    pub(crate) rules: &'a RuleSet,
    pub(crate) geo: &'a Geodata,
}

fn level_zh(l: Level) -> &'static str {
    match l {
        Level::Basic => "基层",
        Level::Intermediate => "中级",
        Level::Maritime => "海事",
    }
}

impl Names<'_> {
    fn court_zh(&self, id: &str) -> String {
        self.rules
            .courts
            .get(id)
            .map_or_else(|| id.to_string(), |c| c.name_zh.clone())
    }

    fn unit_name(&self, code: &str) -> &str {
        self.geo.unit(code).map(|u| u.name.as_str()).unwrap_or("")
    }

    fn place<'a>(&self, a: &'a Admitted, pno: usize) -> Option<&'a AdmittedPlace> {
        a.places.get(pno.wrapping_sub(1))
    }

    fn place_text(&self, a: &Admitted, pno: usize) -> String {
        self.place(a, pno)
            .map_or_else(String::new, |p| p.text.to_string())
    }

    /// Why a place could not be located.
    pub(crate) fn problem(&self, p: &AdmittedPlace) -> Text {
        let text = p.text.to_string();
        let Err(problem) = &p.loc else {
            return Text::default();
        };
        match problem {
            PlaceProblem::InvalidPoint(e) => Text::new(e.clone(), super::errors::zh(e)),
            PlaceProblem::OutsideArea(near) => Text::new(
                format!(
                    "point {text} is outside the covered area{}",
                    near.as_ref()
                        .map(|(c, n, km)| format!("; nearest unit {c} {n} at {km} km"))
                        .unwrap_or_default()
                ),
                format!("坐标 {text} 超出覆盖范围"),
            ),
            PlaceProblem::NoUnitNoSea => Text::new(
                format!("point {text} is in no county-level unit and no sea area"),
                format!("坐标 {text} 不在任何县级行政区或海域内"),
            ),
            PlaceProblem::UnknownCode(e) => Text::new(e.clone(), super::errors::zh(e)),
            PlaceProblem::CodeNoArea => Text::default(),
            PlaceProblem::CodeNoUnit(code) => Text::new(
                format!("code `{code}` has no unit in the geodata"),
                format!("代码 {code} 无对应区县"),
            ),
            PlaceProblem::AddressNoMatch => Text::new(
                format!("address `{text}` matches no county-level unit"),
                format!("地址“{text}”无法匹配到县级行政区"),
            ),
            PlaceProblem::AddressAmbiguous(c) => {
                let c: Vec<String> = c
                    .iter()
                    .map(|(code, name)| format!("{code} {name}"))
                    .collect();
                match &p.zone {
                    Some(z) => Text::new(
                        format!(
                            "`{text}` names the development zone {} ({}), which lies in several units: {}",
                            z.name,
                            z.name_en,
                            c.join(", ")
                        ),
                        format!("“{text}”为{}，跨多个县级行政区：{}", z.name, c.join("、")),
                    ),
                    None => Text::new(
                        format!("address `{text}` is ambiguous: {}", c.join(", ")),
                        format!("地址“{text}”有歧义：{}", c.join("、")),
                    ),
                }
            }
            PlaceProblem::AddressArea {
                code,
                name,
                province: true,
            } => Text::new(
                format!(
                    "address `{text}` names only the province {code} {name}: name the city and county"
                ),
                format!("地址“{text}”仅写明省份{name}（{code}）：请写明市和县（区）"),
            ),
            PlaceProblem::AddressArea { code, name, .. } if p.zone.is_some() => {
                let zone = p.zone.as_ref().map_or("", |z| z.name.as_str());
                Text::new(
                    format!(
                        "`{text}` names the development zone {zone}, whose county-level unit is not known: name the county of {code} {name}"
                    ),
                    format!(
                        "“{text}”为{zone}，其所在县级行政区不详：请写明{name}（{code}）的县（区）"
                    ),
                )
            }
            PlaceProblem::AddressArea { code, name, .. } => Text::new(
                format!("address `{text}` names only the city {code} {name}: name the county"),
                format!("地址“{text}”仅写明城市{name}（{code}）：请写明县（区）"),
            ),
            PlaceProblem::ZoneNoHost(zone) => Text::new(
                format!(
                    "`{text}` names the development zone {zone}, whose county-level unit is not known: name the county"
                ),
                format!("“{text}”为{zone}，其所在县级行政区不详：请写明县（区）"),
            ),
        }
    }

    fn area_text(&self, a: &Admitted, pno: usize, examples: &[(String, String)]) -> Text {
        let (code, name) = self
            .place(a, pno)
            .and_then(|p| p.loc.as_ref().ok())
            .and_then(|l| l.area.clone())
            .unwrap_or_default();
        let ex: Vec<String> = examples
            .iter()
            .map(|(u, c)| format!("{} → {}", self.unit_name(u), self.court_zh(c)))
            .collect();
        Text::new(
            format!(
                "place #{pno} (`{code}` {name}) names an area whose county-level units go to different courts ({}); give a county code",
                ex.join(", ")
            ),
            format!(
                "第{pno}个地点（{code} {name}）为地区，其下各区县由不同法院管辖（{}），请给出区县代码",
                ex.join("，")
            ),
        )
    }

    /// The text of a warning.
    pub(crate) fn warning(&self, a: &Admitted, w: &WarningKind) -> Text {
        match w {
            WarningKind::RoleIgnored { place } => {
                let role = self.place(a, *place).map(|p| p.role);
                Text::new(
                    format!(
                        "place #{place}: role `{}` is not a connecting factor for a `{}` case on {}",
                        role.map(|r| r.name()).unwrap_or(""),
                        a.kind,
                        a.date
                    ),
                    format!(
                        "第{place}个地点：{}不是{}案件的管辖连结点",
                        role.map(|r| r.name_zh()).unwrap_or(""),
                        a.kind.name_zh()
                    ),
                )
            }
            WarningKind::PlaceSkipped { place } => {
                let why = self
                    .place(a, *place)
                    .map(|p| self.problem(p))
                    .unwrap_or_default();
                Text::new(
                    format!("place #{place} skipped: {}", why.en),
                    format!("第{place}个地点已跳过：{}", why.zh),
                )
            }
            WarningKind::AddressUnrecognized { place } => {
                let addr = self.address(a, *place);
                let text = self.place_text(a, *place);
                Text::new(
                    format!(
                        "place #{place}: the address `{addr}` names no county-level unit, so it could not be checked against {text}"
                    ),
                    format!("第{place}个地点：地址“{addr}”无法识别区县，未能与{text}核对"),
                )
            }
            WarningKind::AddressMismatch { place, named } => self.mismatch(a, *place, named),
            WarningKind::AreaNotUnit { place, examples } => self.area_text(a, *place, examples),
            WarningKind::AlternativeReading { place, rule, court } => {
                self.alternative(*place, rule, court)
            }
            WarningKind::Advisory { rule, .. } => self
                .rules
                .rule(rule)
                .and_then(|r| r.warning().cloned())
                .unwrap_or_default(),
            WarningKind::NearBorder {
                place,
                unit,
                same,
                courts,
            } => self.near_border(a, *place, unit, *same, courts),
            WarningKind::ApproximatePolygon { place, feature } => {
                let name = self
                    .geo
                    .feature(feature)
                    .map(|f| f.name.as_str())
                    .unwrap_or("");
                Text::new(
                    format!(
                        "place #{place} was placed in `{feature}` {name}, an approximate polygon, not a legal boundary"
                    ),
                    format!("第{place}个地点位于近似范围“{name}”，并非法定界线"),
                )
            }
            WarningKind::ReadingsAgree { place, units } => {
                let names: Vec<String> = units
                    .iter()
                    .map(|u| format!("{u} {}", self.unit_name(u)))
                    .collect();
                let zh: Vec<String> = units
                    .iter()
                    .map(|u| format!("{}（{u}）", self.unit_name(u)))
                    .collect();
                Text::new(
                    format!(
                        "place #{place} could be any of {}; every reading gives the same court(s), so the case was routed without asking which one is meant",
                        names.join(", ")
                    ),
                    format!(
                        "第{place}个地点可能位于{}之一；无论按哪一处理解，管辖法院均相同，故直接确定管辖",
                        zh.join("、")
                    ),
                )
            }
            WarningKind::WaterAdjacent { place, unit } => {
                let name = self.unit_name(unit);
                Text::new(
                    format!(
                        "place #{place} is estuary water inside the coast that no rule on waters covers; it was routed with the adjacent unit {unit} {name} (the unit whose border is nearest, an approximation: no sourced boundary of the water exists in the geodata)"
                    ),
                    format!(
                        "第{place}个地点为内水（河口）水域，无针对该水域的规则；按毗邻的{name}（{unit}，边界最近者，近似）确定管辖"
                    ),
                )
            }
            WarningKind::UncertainRule { rule } => {
                let (en, zh) = self
                    .rules
                    .rule(rule)
                    .map(|r| (r.summary.en.as_str(), r.summary.zh.as_str()))
                    .unwrap_or_default();
                Text::new(
                    format!("rule `{rule}` rests on uncertain facts: {en}"),
                    format!("规则 {rule} 所依据的事实尚不确定：{zh}"),
                )
            }
        }
    }

    /// The text of [`WarningKind::AlternativeReading`]: the court the alternative reading
    /// (`rule`) of place `place` would give.
    fn alternative(&self, place: usize, rule: &str, court: &str) -> Text {
        let (sum_en, sum_zh) = self
            .rules
            .rule(rule)
            .map(|r| (r.summary.en.as_str(), r.summary.zh.as_str()))
            .unwrap_or_default();
        let (zh_name, en_name) = self
            .rules
            .courts
            .get(court)
            .map(|c| (c.name_zh.as_str(), c.name_en.as_str()))
            .unwrap_or((court, ""));
        Text::new(
            format!(
                "place #{place}: an alternative reading ({rule}, uncertain) would give {zh_name} {en_name}: {sum_en}"
            ),
            format!("第{place}个地点：另一种理解（{rule}，不确定）将由{zh_name}管辖：{sum_zh}"),
        )
    }

    /// The text of [`WarningKind::NearBorder`]: place `place` lies near `unit`, whose court
    /// is the same (`same`) or one of `courts`.
    fn near_border(
        &self,
        a: &Admitted,
        place: usize,
        unit: &str,
        same: bool,
        courts: &[String],
    ) -> Text {
        let dist = self.distance(a, place, unit);
        let name = self.unit_name(unit);
        let names: Vec<String> = courts.iter().map(|c| self.court_zh(c)).collect();
        let (there_en, there_zh) = if same {
            (
                " (same court there)".to_string(),
                "（该处管辖法院相同）".to_string(),
            )
        } else {
            (
                format!(", whose court would be {}", names.join(", ")),
                format!("，该处管辖法院为{}", names.join("、")),
            )
        };
        Text::new(
            format!("place #{place} is {dist:.0} m from {unit} {name}{there_en}"),
            format!("第{place}个地点距{name}（{unit}）仅 {dist:.0} 米{there_zh}"),
        )
    }

    fn address<'a>(&self, a: &'a Admitted, pno: usize) -> &'a str {
        self.place(a, pno)
            .and_then(|p| p.check.as_ref())
            .map_or("", |c| c.address.as_str())
    }

    fn distance(&self, a: &Admitted, pno: usize, unit: &str) -> f64 {
        let Some(l) = self.place(a, pno).and_then(|p| p.loc.as_ref().ok()) else {
            return 0.0;
        };
        l.near
            .iter()
            .find(|(u, _)| self.geo.units().get(*u).is_some_and(|x| x.adcode == unit))
            .map_or(0.0, |(_, d)| *d)
    }

    fn mismatch(&self, a: &Admitted, pno: usize, named: &[String]) -> Text {
        let addr = self.address(a, pno);
        let names: Vec<String> = named
            .iter()
            .map(|c| format!("{c} {}", self.unit_name(c)))
            .collect();
        let loc = self.place(a, pno).and_then(|p| p.loc.as_ref().ok());
        let at = match loc {
            Some(l) if l.at_sea => "at sea".to_string(),
            Some(l) => l
                .units
                .iter()
                .filter_map(|&u| self.geo.units().get(u))
                .map(|u| format!("{} {}", u.adcode, self.unit_name(&u.adcode)))
                .collect::<Vec<_>>()
                .join(", "),
            None => String::new(),
        };
        Text::new(
            format!(
                "place #{pno}: the point or code is in {at} but the address `{addr}` says {}; routed by the point or code",
                names.join(" or ")
            ),
            format!(
                "第{pno}个地点：坐标或代码位于{at}，但地址“{addr}”指向{}；已按坐标或代码确定管辖",
                names.join("或")
            ),
        )
    }

    /// The text of one no-court reason.
    pub(crate) fn reason(&self, a: &Admitted, r: &NoCourtReason) -> Text {
        match r {
            NoCourtReason::Unlocated { place } => {
                let why = self
                    .place(a, *place)
                    .map(|p| self.problem(p))
                    .unwrap_or_default();
                Text::new(
                    format!("place #{place}: {}", why.en),
                    format!("第{place}个地点：{}", why.zh),
                )
            }
            NoCourtReason::NoUnit { place } => Text::new(
                format!(
                    "place #{place} ({}) contains no unit",
                    self.place_text(a, *place)
                ),
                format!("第{place}个地点不含区县"),
            ),
            NoCourtReason::AreaNotUnit { place, examples } => self.area_text(a, *place, examples),
            NoCourtReason::NoLevel { place } => Text::new(
                format!(
                    "place #{place} ({}): no rule fixes the court level for a `{}` case on {}",
                    self.place_text(a, *place),
                    a.kind,
                    a.date
                ),
                format!(
                    "第{place}个地点：{} 无规则确定{}案件的审级",
                    a.date,
                    a.kind.name_zh()
                ),
            ),
            NoCourtReason::NoVenue {
                place,
                level,
                landing_missing,
            } => self.no_venue(a, *place, *level, *landing_missing),
        }
    }

    fn no_venue(&self, a: &Admitted, pno: usize, level: Level, landing: bool) -> Text {
        let text = self.place_text(a, pno);
        let sea = match self.place(a, pno).and_then(|p| p.loc.as_ref().ok()) {
            Some(l) if l.at_sea => {
                let names: Vec<&str> = l
                    .features
                    .iter()
                    .filter_map(|f| self.geo.feature(f))
                    .filter(|f| f.kind.is_sea())
                    .map(|f| f.name.as_str())
                    .collect();
                format!(", at sea: {}", names.join(", "))
            }
            _ => String::new(),
        };
        Text::new(
            format!(
                "place #{pno} ({text}{sea}): no rule assigns a {level}-level court for a `{}` case on {}{}",
                a.kind,
                a.date,
                if landing {
                    "; for a crime at sea add the `landing` place of the defendant (CrimPL Interpretation art. 4)"
                } else {
                    ""
                }
            ),
            format!(
                "第{pno}个地点（{text}）：{} 无规则为{}案件指定{}法院{}",
                a.date,
                a.kind.name_zh(),
                level_zh(level),
                if landing {
                    "；海上犯罪请补充登陆地（刑诉法解释第4条）"
                } else {
                    ""
                }
            ),
        )
    }

    /// Why there is no court at all: the reasons joined, or that no place connects.
    pub(crate) fn no_court(&self, a: &Admitted, reasons: &[NoCourtReason]) -> Text {
        if reasons.is_empty() {
            return Text::new(
                format!("no place has a connecting role for a `{}` case", a.kind),
                format!("没有地点具备{}案件的管辖连结点", a.kind.name_zh()),
            );
        }
        let texts: Vec<Text> = reasons.iter().map(|r| self.reason(a, r)).collect();
        Text::new(
            texts
                .iter()
                .map(|t| t.en.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            texts
                .iter()
                .map(|t| t.zh.as_str())
                .collect::<Vec<_>>()
                .join("；"),
        )
    }

    /// The relation's explanation: the relation rules' texts, the rules of the case's kind
    /// first (what the parties do: "the plaintiff chooses…"), then the rules of every kind
    /// (disputes between courts). A rule of every kind that cites the three procedure laws
    /// at once is cited here by the law of the case's kind only ([`designation`]).
    pub(crate) fn relation(
        &self,
        a: &Admitted,
        kind: crate::model::RelationKind,
        rules: &[String],
    ) -> Text {
        use crate::model::RelationKind;
        use crate::rules::RelationApplies;
        match kind {
            RelationKind::None => Text::new("no competent court", "无管辖法院"),
            RelationKind::Exclusive => Text::new("sole competent court", "唯一有管辖权的法院"),
            _ => {
                let found: Vec<&crate::rules::Rule> =
                    rules.iter().filter_map(|id| self.rules.rule(id)).collect();
                let mut texts: Vec<Text> = Vec::new();
                for general in [false, true] {
                    for r in found.iter().filter(|r| r.kinds.is_empty() == general) {
                        let Some(w) = r.warning() else {
                            continue;
                        };
                        if general && r.applies_to().contains(&RelationApplies::CrossProvince) {
                            texts.push(designation(a));
                        } else {
                            texts.push(w.clone());
                        }
                    }
                }
                Text::new(
                    texts
                        .iter()
                        .map(|t| t.en.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    texts
                        .iter()
                        .map(|t| t.zh.as_str())
                        .collect::<Vec<_>>()
                        .join(""),
                )
            }
        }
    }
}

/// Courts of different provinces: who settles a dispute over jurisdiction, citing the
/// procedure law of the case's kind only (article numbers as in docs/legal-facts.md: CPL
/// art. 38 and Interpretation art. 40 from the 2021 amendment, in force 2022-01-01; CrimPL
/// art. 27 in the 2018 text; ALL art. 23 from the 2014 revision, in force 2015-05-01; before
/// those dates the law is cited without an article number).
fn designation(a: &Admitted) -> Text {
    use crate::model::CaseKind as K;
    let on_or_after =
        |y: i32, m: u32, d: u32| crate::model::Date::from_ymd(y, m, d).is_some_and(|x| a.date >= x);
    let (en_law, zh_law) = match a.kind {
        K::Criminal | K::CriminalIncidentalCivilPublicInterest => {
            if on_or_after(2018, 10, 26) {
                ("CrimPL art. 27", "刑事诉讼法第二十七条")
            } else {
                ("Criminal Procedure Law", "刑事诉讼法")
            }
        }
        K::Administrative | K::AdministrativePublicInterest => {
            if on_or_after(2015, 5, 1) {
                ("ALL art. 23", "行政诉讼法第二十三条")
            } else {
                ("Administrative Litigation Law", "行政诉讼法")
            }
        }
        K::Civil | K::CivilPublicInterest | K::EcoDamageCompensation => {
            if on_or_after(2022, 1, 1) {
                (
                    "CPL art. 38; CPL Interpretation art. 40",
                    "民事诉讼法第三十八条、民诉法解释第四十条",
                )
            } else {
                (
                    "Civil Procedure Law; CPL Interpretation",
                    "民事诉讼法及其司法解释",
                )
            }
        }
    };
    Text::new(
        format!(
            "Courts in different provinces: a dispute over jurisdiction goes to their high courts and, failing agreement, the Supreme People's Court designates the court ({en_law})."
        ),
        format!(
            "涉及不同省份的法院：管辖权争议由双方高级人民法院协商，协商不成报请最高人民法院指定管辖（{zh_law}）。"
        ),
    )
}

/// The text of a "why not this court?" reason.
impl Names<'_> {
    pub(crate) fn court_both(&self, id: &str) -> (String, String) {
        self.rules.courts.get(id).map_or_else(
            || (id.to_string(), id.to_string()),
            |c| (format!("{} ({})", c.name_en, c.name_zh), c.name_zh.clone()),
        )
    }

    pub(crate) fn why_not_reason(
        &self,
        a: &Admitted,
        r: &crate::eval::whynot::WhyNotReason,
    ) -> Text {
        use crate::eval::whynot::WhyNotReason as W;
        let span =
            |from: &Option<crate::model::Date>, to: &Option<crate::model::Date>| match (from, to) {
                (Some(f), Some(t)) => (format!("from {f} until {t}"), format!("{f}起至{t}前")),
                (Some(f), None) => (format!("from {f}"), format!("{f}起")),
                (None, Some(t)) => (format!("until {t}"), format!("{t}前")),
                (None, None) => (String::new(), String::new()),
            };
        match r {
            W::Applies => Text::new(
                "applies: it gives this court for this case",
                "适用：据此该法院对本案有管辖权",
            ),
            W::WrongKind { kinds } => Text::new(
                format!(
                    "covers {} cases, not a `{}` case",
                    kinds
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    a.kind
                ),
                format!(
                    "只适用于{}案件，本案为{}案件",
                    kinds
                        .iter()
                        .map(|k| k.name_zh())
                        .collect::<Vec<_>>()
                        .join("、"),
                    a.kind.name_zh()
                ),
            ),
            W::NotInForce { from, to } => {
                let (en, zh) = span(from, to);
                Text::new(
                    format!("in force {en}, not on the filing date {}", a.date),
                    format!("有效期为{zh}，不含立案日期{}", a.date),
                )
            }
            W::OutsideTerritory { places } => Text::new(
                format!(
                    "no connecting place of the case is in its territory for this court (the case's connecting places: {})",
                    if places.is_empty() {
                        "none".to_string()
                    } else {
                        places.join(", ")
                    }
                ),
                format!(
                    "本案的管辖连结点不在该规则为该法院划定的地域内（本案连结点：{}）",
                    if places.is_empty() {
                        "无".to_string()
                    } else {
                        places.join("、")
                    }
                ),
            ),
            W::WrongLevel { level, levels } => Text::new(
                format!(
                    "covers {} level, the case is at {} level",
                    levels
                        .iter()
                        .map(|l| l.name())
                        .collect::<Vec<_>>()
                        .join(" or "),
                    level.name()
                ),
                format!(
                    "只适用于{}案件，本案为{}案件",
                    levels
                        .iter()
                        .map(|l| level_zh(*l))
                        .collect::<Vec<_>>()
                        .join("或"),
                    level_zh(*level)
                ),
            ),
            W::NoLevel => Text::new(
                "the scope rules give the place no level on this date",
                "当日的范围规则未确定该地点案件的审级",
            ),
            W::Conditions { fields } => Text::new(
                format!(
                    "its conditions ({}) do not hold for this case",
                    fields
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!(
                    "本案不满足其适用条件（{}）",
                    fields
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            ),
            W::Alternative => Text::new(
                "an alternative reading only: it gives a warning, not a court",
                "仅为另一种解读：只给出提示，不确定管辖法院",
            ),
            W::Overridden { rule, court } => {
                let (en, zh) = self.court_both(court);
                Text::new(
                    format!("overridden: rule `{rule}` of higher precedence won and gives {en}"),
                    format!("被优先规则 {rule} 取代：该规则指定{zh}管辖"),
                )
            }
        }
    }

    /// The one-line answer for a court.
    pub(crate) fn why_not_summary(&self, a: &Admitted, w: &crate::eval::whynot::WhyNot) -> Text {
        let (en, zh) = self.court_both(&w.court);
        if w.competent {
            Text::new(
                format!("{en} is competent for this case"),
                format!("{zh}对本案有管辖权"),
            )
        } else if w.rules.is_empty() {
            Text::new(
                format!(
                    "{en} is not competent for this case: no venue rule of the rule set can give it"
                ),
                format!("{zh}对本案没有管辖权：规则集中没有可指定该法院的地域管辖规则"),
            )
        } else {
            Text::new(
                format!(
                    "{en} is not competent for this `{}` case on {}",
                    a.kind, a.date
                ),
                format!(
                    "{zh}对本案（{}案件，{}）没有管辖权",
                    a.kind.name_zh(),
                    a.date
                ),
            )
        }
    }
}

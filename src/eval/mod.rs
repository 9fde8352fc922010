//! Routing: `Engine::route(&Case, today) -> Decision`. Pure and deterministic: no IO, no
//! clock (the caller passes "today" for cases without a filing date).
//!
//! Pipeline per case: locate every place → decide which roles connect and whether the case
//! is marine (scope rules) → per connecting place, the level (scope rules) and the court
//! (venue rules, highest priority wins) → advisories, alternatives, border and uncertainty
//! warnings → merge by court → relation (relation rules).

use std::collections::BTreeSet;

use crate::address::AddressIndex;
use crate::input::CaseError;
use crate::model::{
    Case, CaseKind, Competent, Confidence, CourtRef, Date, Decision, Ground, Level, PlaceSpec,
    Relation, RelationKind, Role, Status, Text, TribunalRef, UnitBrief, Warning,
};
use crate::rules::{
    AppealPattern, Court, CourtPick, LoadError, RelationApplies, Rule, RuleFiles, RuleSet,
    RuleStatus, Stage, UnitCourt,
};
use crate::spatial::{AreaLevel, Geodata};

/// Geodata plus rules: everything needed to route. Build once, route many.
///
/// # Example
/// ```
/// use ecojuris::eval::Engine;
/// use ecojuris::model::{Case, CaseKind, Date, PlaceSpec, Role};
/// let engine = Engine::embedded().unwrap();
/// let case = Case::simple(CaseKind::Civil, Role::Conduct, PlaceSpec::Code("310118".into()),
///     Date::parse("2024-05-01"));
/// let d = engine.route(&case, Date::parse("2026-01-01").unwrap());
/// assert_eq!(d.court_ids(), vec!["basic-310118"]);
/// ```
#[derive(Debug)]
pub struct Engine {
    geo: Geodata,
    rules: RuleSet,
    address: AddressIndex,
    /// Shared court references for decisions, by court id.
    court_refs: std::collections::HashMap<String, std::sync::Arc<CourtRef>>,
}

/// Where a place of the case is, after location.
#[derive(Debug, Clone)]
struct PlaceLoc {
    /// Unit indices to evaluate (one for a point or county code; all units of an area).
    units: Vec<usize>,
    /// The area code when the place names a city or province.
    area: Option<(String, String)>,
    /// Features containing the point.
    features: Vec<String>,
    /// At sea (in a sea or estuary feature, no unit).
    at_sea: bool,
    /// Units near the border (index, metres), other than the own unit.
    near: Vec<(usize, f64)>,
    /// Text for display.
    text: String,
}

/// The venue outcome for one target.
#[derive(Debug, Clone, PartialEq)]
struct Pick<'r> {
    rule: &'r Rule,
    court: &'r Court,
    tribunal: Option<String>,
    appeal: Option<String>,
}

/// Attributes the `when` conditions look at.
struct CaseCtx<'c> {
    case: &'c Case,
    marine: bool,
}

fn when_matches(r: &Rule, cx: &CaseCtx<'_>) -> bool {
    let w = &r.when;
    let c = cx.case;
    if w.marine.is_some_and(|m| m != cx.marine) {
        return false;
    }
    if w.ship_source.is_some_and(|m| m != c.ship_source) {
        return false;
    }
    fn opt_in<T: PartialEq>(list: &Option<Vec<T>>, v: Option<T>) -> bool {
        match list {
            None => true,
            Some(l) => v.is_some_and(|v| l.contains(&v)),
        }
    }
    if !opt_in(&w.investigated_by, c.investigated_by) {
        return false;
    }
    if !opt_in(&w.brought_by, c.brought_by) {
        return false;
    }
    if !opt_in(&w.agency_level, c.defendant_agency_level) {
        return false;
    }
    if !opt_in(&w.admin_subject, c.admin_subject) {
        return false;
    }
    if !opt_in(&w.max_penalty, c.max_penalty) {
        return false;
    }
    if let Some(min) = w.claim_at_least_cny
        && c.claim_amount_cny.is_none_or(|a| a < min)
    {
        return false;
    }
    if let Some(x) = w.parties_cross_province
        && c.parties_cross_province.unwrap_or(false) != x
    {
        return false;
    }
    if w.incident.is_some_and(|x| x != c.incident_id.is_some()) {
        return false;
    }
    true
}

/// A target of venue evaluation: a unit, or a point at sea with its features.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    Unit(usize),
    Sea(&'a [String]),
}

pub(crate) fn territory_matches(r: &Rule, t: Target<'_>) -> bool {
    match t {
        Target::Unit(i) => r.territory.has_unit(i),
        Target::Sea(fs) => fs.iter().any(|f| r.territory.has_feature(f)),
    }
}

fn lowest(a: Confidence, b: Confidence) -> Confidence {
    a.max(b)
}

impl Engine {
    /// Builds an engine from loaded geodata and rule files.
    pub fn load(geo: Geodata, files: &RuleFiles) -> Result<Engine, LoadError> {
        let rules = files.load(&geo)?;
        let address = AddressIndex::new(geo.codes());
        let court_refs = rules
            .courts
            .all()
            .iter()
            .map(|c| (c.id.clone(), std::sync::Arc::new(Engine::court_ref(c))))
            .collect();
        Ok(Engine {
            geo,
            rules,
            address,
            court_refs,
        })
    }

    /// The embedded default geodata and rules.
    pub fn embedded() -> Result<Engine, LoadError> {
        let geo = Geodata::embedded(Default::default()).map_err(|e| LoadError {
            diagnostics: vec![crate::rules::Diagnostic {
                file: "<embedded geodata>".to_string(),
                line: None,
                column: None,
                message: e.to_string(),
                snippet: None,
            }],
        })?;
        Engine::load(geo, &RuleFiles::embedded())
    }

    /// The geodata.
    pub fn geo(&self) -> &Geodata {
        &self.geo
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The address parser.
    pub fn address(&self) -> &AddressIndex {
        &self.address
    }

    /// Checks a case against the rule set before routing: the date is covered and some place
    /// has a role the kind connects through.
    pub fn check_case(&self, case: &Case, today: Date, origin: &str) -> Result<(), CaseError> {
        let date = case.filed_on.unwrap_or(today);
        if let Some(first) = self.rules.earliest()
            && date < first
        {
            return Err(CaseError::new(
                origin,
                format!("`filed_on` {date} is before the earliest rule of the rule set ({first})"),
            ));
        }
        for (i, p) in case.places.iter().enumerate() {
            if let PlaceSpec::Code(code) = &p.spec
                && let Err(e) = self.geo.locate_code(code)
            {
                return Err(CaseError::new(
                    origin,
                    format!("place #{} (`{}`): {e}", i + 1, p.role),
                ));
            }
        }
        let at_sea = case.places.iter().any(|p| match &p.spec {
            PlaceSpec::At { lon, lat, crs } => {
                self.geo
                    .locate_ids(*lon, *lat, *crs)
                    .ok()
                    .flatten()
                    .is_some_and(|ids| {
                        ids.unit.is_none()
                            && ids.features.iter().any(|&f| {
                                self.geo.features().get(f).is_some_and(|f| f.kind.is_sea())
                            })
                    })
            }
            _ => false,
        });
        let cx = CaseCtx {
            case,
            marine: case.ship_source || at_sea,
        };
        let (roles, subs, _) = self.connecting_roles(case.kind, date, &cx);
        let connecting: Vec<Role> = roles.iter().chain(subs.iter()).copied().collect();
        if !case.places.iter().any(|p| connecting.contains(&p.role)) {
            let have: Vec<&str> = case.places.iter().map(|p| p.role.name()).collect();
            let want: Vec<String> = roles.iter().map(|r| format!("`{r}`")).collect();
            return Err(CaseError::new(
                origin,
                format!(
                    "a `{}` case needs a place with role {} (missing); the case has {}",
                    case.kind,
                    if want.is_empty() {
                        "(none in force)".to_string()
                    } else {
                        want.join(" or ")
                    },
                    have.iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(())
    }

    fn connecting_roles(
        &self,
        kind: CaseKind,
        date: Date,
        cx: &CaseCtx<'_>,
    ) -> (Vec<Role>, Vec<Role>, Vec<(Role, String)>) {
        let mut roles = Vec::new();
        let mut subs = Vec::new();
        let mut why = Vec::new();
        // Roles come from the matching scope rules at the highest priority that gives roles:
        // a special rule (e.g. the maritime courts' exclusive places) replaces the general
        // connecting factors instead of adding to them. Rules at that same priority add up.
        let mut top: Option<i32> = None;
        for r in self.rules.for_kind(kind) {
            if r.stage != Stage::Scope || !r.in_force(date) || !when_matches(r, cx) {
                continue;
            }
            if r.roles.is_empty() && r.subsidiary_roles.is_empty() {
                continue;
            }
            match top {
                Some(p) if r.priority < p => break,
                None => top = Some(r.priority),
                _ => {}
            }
            for role in &r.roles {
                if !roles.contains(role) {
                    roles.push(*role);
                    why.push((*role, r.id.clone()));
                }
            }
            for role in &r.subsidiary_roles {
                if !subs.contains(role) && !roles.contains(role) {
                    subs.push(*role);
                    why.push((*role, r.id.clone()));
                }
            }
        }
        subs.retain(|s| !roles.contains(s));
        (roles, subs, why)
    }

    fn unit_index(&self, adcode: &str) -> Option<usize> {
        self.geo
            .units()
            .binary_search_by(|u| u.adcode.as_str().cmp(adcode))
            .ok()
    }

    fn locate_place(&self, spec: &PlaceSpec) -> Result<PlaceLoc, Text> {
        match spec {
            PlaceSpec::At { lon, lat, crs } => {
                let text = format!(
                    "[{lon}, {lat}]{}",
                    if *crs == crate::spatial::Crs::Wgs84 {
                        String::new()
                    } else {
                        format!(" ({crs})")
                    }
                );
                let ids = self
                    .geo
                    .locate_ids(*lon, *lat, *crs)
                    .map_err(|e| Text::new(e.to_string(), format!("坐标无效：{e}")))?;
                let Some(ids) = ids else {
                    // Outside the covered area: the full answer names the nearest unit.
                    let near = self
                        .geo
                        .locate(*lon, *lat, *crs)
                        .ok()
                        .and_then(|l| l.nearest)
                        .map(|n| {
                            format!(
                                "; nearest unit {} {} at {:.1} km",
                                n.adcode,
                                n.name,
                                n.distance_m / 1000.0
                            )
                        })
                        .unwrap_or_default();
                    return Err(Text::new(
                        format!("point {text} is outside the covered area{near}"),
                        format!("坐标 {text} 超出覆盖范围"),
                    ));
                };
                let feats = self.geo.features();
                let at_sea = ids.unit.is_none()
                    && ids
                        .features
                        .iter()
                        .any(|&f| feats.get(f).is_some_and(|f| f.kind.is_sea()));
                if ids.unit.is_none() && !at_sea {
                    return Err(Text::new(
                        format!("point {text} is in no county-level unit and no sea area"),
                        format!("坐标 {text} 不在任何县级行政区或海域内"),
                    ));
                }
                let features = if at_sea {
                    ids.features
                        .iter()
                        .filter_map(|&f| feats.get(f))
                        .map(|f| f.id.clone())
                        .collect()
                } else {
                    Vec::new()
                };
                Ok(PlaceLoc {
                    units: ids.unit.into_iter().collect(),
                    area: None,
                    features,
                    at_sea,
                    near: ids.near,
                    text,
                })
            }
            PlaceSpec::Code(code) => {
                let areas = self.geo.codes().get_all(code);
                let Some(first) = areas.first() else {
                    return Err(self
                        .geo
                        .locate_code(code)
                        .map(|_| Text::default())
                        .unwrap_or_else(|e| Text::new(e.to_string(), format!("未知代码：{e}"))));
                };
                let name = if areas.len() > 1 {
                    areas
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" / ")
                } else {
                    first.name.clone()
                };
                let text = format!("{code} {name}");
                match first.level {
                    AreaLevel::County | AreaLevel::Town => {
                        let county = if first.level == AreaLevel::County {
                            code.as_str()
                        } else {
                            first.parent.as_str()
                        };
                        let u = self.unit_index(county).ok_or_else(|| {
                            Text::new(
                                format!("code `{code}` has no unit in the geodata"),
                                format!("代码 {code} 无对应区县"),
                            )
                        })?;
                        Ok(PlaceLoc {
                            units: vec![u],
                            area: None,
                            features: Vec::new(),
                            at_sea: false,
                            near: Vec::new(),
                            text,
                        })
                    }
                    AreaLevel::Province | AreaLevel::City => {
                        let units: Vec<usize> = self
                            .geo
                            .units()
                            .iter()
                            .enumerate()
                            .filter(|(_, u)| u.city_adcode == *code || u.province_adcode == *code)
                            .map(|(i, _)| i)
                            .collect();
                        Ok(PlaceLoc {
                            units,
                            area: Some((code.clone(), name)),
                            features: Vec::new(),
                            at_sea: false,
                            near: Vec::new(),
                            text,
                        })
                    }
                }
            }
            PlaceSpec::Address(addr) => {
                let m = self.address.parse(addr);
                match m.unit.as_deref().and_then(|u| self.unit_index(u)) {
                    Some(u) => Ok(PlaceLoc {
                        units: vec![u],
                        area: None,
                        features: Vec::new(),
                        at_sea: false,
                        near: Vec::new(),
                        text: addr.clone(),
                    }),
                    None => {
                        let cands: Vec<String> = m
                            .candidates
                            .iter()
                            .map(|c| format!("{} {}", c.adcode, c.name))
                            .collect();
                        Err(Text::new(
                            if cands.is_empty() {
                                format!("address `{addr}` matches no county-level unit")
                            } else {
                                format!("address `{addr}` is ambiguous: {}", cands.join(", "))
                            },
                            if cands.is_empty() {
                                format!("地址“{addr}”无法匹配到县级行政区")
                            } else {
                                format!("地址“{addr}”有歧义：{}", cands.join("、"))
                            },
                        ))
                    }
                }
            }
        }
    }

    /// The level of a place: the highest-priority scope rule with a level.
    fn level_for(
        &self,
        kind: CaseKind,
        date: Date,
        cx: &CaseCtx<'_>,
        t: Target<'_>,
    ) -> Option<&Rule> {
        self.rules.for_kind(kind).find(|r| {
            r.stage == Stage::Scope
                && r.level.is_some()
                && r.in_force(date)
                && when_matches(r, cx)
                && territory_matches(r, t)
        })
    }

    fn resolve_court(&self, r: &Rule, t: Target<'_>) -> Option<&Court> {
        resolve_court(&self.rules, &self.geo, r, t)
    }

    /// Venue rules of `status` at the top matching priority, resolved to courts.
    fn venue(
        &self,
        kind: CaseKind,
        level: Level,
        date: Date,
        cx: &CaseCtx<'_>,
        t: Target<'_>,
        status: RuleStatus,
    ) -> Vec<Pick<'_>> {
        let mut out: Vec<Pick<'_>> = Vec::new();
        let mut top: Option<i32> = None;
        for r in self.rules.for_kind(kind) {
            if let Some(p) = top
                && r.priority < p
            {
                break;
            }
            if r.stage != Stage::Venue
                || r.status != status
                || !r.covers_level(level)
                || !r.in_force(date)
                || !when_matches(r, cx)
                || !territory_matches(r, t)
            {
                continue;
            }
            let Some(court) = self.resolve_court(r, t) else {
                continue;
            };
            let Some(a) = r.assign.as_ref() else { continue };
            top = Some(r.priority);
            let appeal = match (&a.appeal, a.appeal_of_unit) {
                (Some(ap), _) => Some(ap.clone()),
                (None, Some(AppealPattern::Territorial)) => match t {
                    Target::Unit(i) => self
                        .geo
                        .units()
                        .get(i)
                        .and_then(|u| self.rules.courts.basic_of(&u.adcode))
                        .and_then(|c| c.appeal.clone()),
                    Target::Sea(_) => court.appeal.clone(),
                },
                (None, None) => court.appeal.clone(),
            };
            let tribunal = a.tribunal.clone().filter(|tid| {
                court.tribunal(tid).is_some_and(|tr| {
                    tr.from.is_none_or(|f| date >= f) && tr.to.is_none_or(|to| date < to)
                })
            });
            out.push(Pick {
                rule: r,
                court,
                tribunal,
                appeal,
            });
        }
        out
    }

    fn shared_court_ref(&self, c: &Court) -> std::sync::Arc<CourtRef> {
        self.court_refs
            .get(&c.id)
            .cloned()
            .unwrap_or_else(|| std::sync::Arc::new(Engine::court_ref(c)))
    }

    fn court_ref(c: &Court) -> CourtRef {
        CourtRef {
            id: c.id.clone(),
            name_zh: c.name_zh.clone(),
            name_en: c.name_en.clone(),
            level: c.level.name().to_string(),
        }
    }

    /// Routes a case. Never fails: "no competent court" is a [`Status`].
    pub fn route(&self, case: &Case, today: Date) -> Decision {
        let date = case.filed_on.unwrap_or(today);
        let mut warnings: Vec<Warning> = Vec::new();
        let warn = |w: Warning, warnings: &mut Vec<Warning>| {
            let dup = warnings.iter().any(|x| {
                x.code == w.code
                    && x.place == w.place
                    && match (&x.rule, &w.rule) {
                        (Some(a), Some(b)) => a == b,
                        (None, None) => x.message.en == w.message.en,
                        _ => false,
                    }
            });
            if !dup {
                warnings.push(w);
            }
        };
        // 1. Locate.
        let locs: Vec<Result<PlaceLoc, Text>> = case
            .places
            .iter()
            .map(|p| self.locate_place(&p.spec))
            .collect();
        let marine = case.ship_source || locs.iter().any(|l| l.as_ref().is_ok_and(|l| l.at_sea));
        let cx = CaseCtx { case, marine };
        // 2. Connecting roles.
        let (roles, subs, role_why) = self.connecting_roles(case.kind, date, &cx);
        let mut grounds: Vec<(&Court, Option<String>, Option<String>, Ground)> = Vec::new();
        let mut reasons: Vec<Text> = Vec::new();
        for (i, (place, loc)) in case.places.iter().zip(&locs).enumerate() {
            let pno = i + 1;
            let subsidiary = !roles.contains(&place.role);
            if subsidiary && !subs.contains(&place.role) {
                warn(
                    Warning {
                        code: "role_ignored",
                        message: Text::new(
                            format!(
                                "place #{pno}: role `{}` is not a connecting factor for a `{}` case on {date}",
                                place.role, case.kind
                            ),
                            format!(
                                "第{pno}个地点：{}不是{}案件的管辖连结点",
                                place.role.name_zh(),
                                case.kind.name_zh()
                            ),
                        ),
                        rule: None,
                        place: Some(pno),
                    },
                    &mut warnings,
                );
                continue;
            }
            let loc = match loc {
                Ok(l) => l,
                Err(why) => {
                    warn(
                        Warning {
                            code: "place_skipped",
                            message: Text::new(
                                format!("place #{pno} skipped: {}", why.en),
                                format!("第{pno}个地点已跳过：{}", why.zh),
                            ),
                            rule: None,
                            place: Some(pno),
                        },
                        &mut warnings,
                    );
                    reasons.push(Text::new(
                        format!("place #{pno}: {}", why.en),
                        format!("第{pno}个地点：{}", why.zh),
                    ));
                    continue;
                }
            };
            if let Some(addr) = &place.address_check {
                self.cross_check(addr, loc, pno, &mut |w| warn(w, &mut warnings));
            }
            let role_rule = role_why
                .iter()
                .find(|(r, _)| *r == place.role)
                .map(|(_, id)| id.clone());
            let targets: Vec<Target<'_>> = if loc.at_sea {
                vec![Target::Sea(&loc.features)]
            } else {
                loc.units.iter().map(|&u| Target::Unit(u)).collect()
            };
            // Evaluate every target (one, or each unit of an area).
            let mut results: Vec<(Target<'_>, Option<&Rule>, Vec<Pick<'_>>)> = Vec::new();
            for &t in &targets {
                let lvl_rule = self.level_for(case.kind, date, &cx, t);
                let picks = match lvl_rule.and_then(|r| r.level) {
                    Some(level) => self.venue(case.kind, level, date, &cx, t, RuleStatus::Baseline),
                    None => Vec::new(),
                };
                results.push((t, lvl_rule, picks));
            }
            let Some((first_t, lvl_rule, picks)) = results.first().cloned() else {
                reasons.push(Text::new(
                    format!("place #{pno} ({}) contains no unit", loc.text),
                    format!("第{pno}个地点不含区县"),
                ));
                continue;
            };
            if loc.area.is_some() {
                let same = results.iter().all(|(_, _, p)| {
                    p.len() == picks.len()
                        && p.iter()
                            .zip(&picks)
                            .all(|(a, b)| a.court.id == b.court.id && a.tribunal == b.tribunal)
                });
                if !same {
                    let mut examples: Vec<String> = Vec::new();
                    for (t, _, p) in results.iter().take(40) {
                        if let (Target::Unit(u), Some(pk)) = (t, p.first())
                            && let Some(unit) = self.geo.units().get(*u)
                        {
                            let e = format!("{} → {}", unit.name, pk.court.name_zh);
                            if !examples.iter().any(|x| x.ends_with(&pk.court.name_zh)) {
                                examples.push(e);
                            }
                        }
                    }
                    let (code, name) = loc.area.clone().unwrap_or_default();
                    let msg = Text::new(
                        format!(
                            "place #{pno} (`{code}` {name}) names an area whose county-level units go to different courts ({}); give a county code",
                            examples.join(", ")
                        ),
                        format!(
                            "第{pno}个地点（{code} {name}）为地区，其下各区县由不同法院管辖（{}），请给出区县代码",
                            examples.join("，")
                        ),
                    );
                    warn(
                        Warning {
                            code: "area_not_unit",
                            message: msg.clone(),
                            rule: None,
                            place: Some(pno),
                        },
                        &mut warnings,
                    );
                    reasons.push(msg);
                    continue;
                }
            }
            let Some(lvl_rule) = lvl_rule else {
                reasons.push(Text::new(
                    format!("place #{pno} ({}): no rule fixes the court level for a `{}` case on {date}", loc.text, case.kind),
                    format!("第{pno}个地点：{date} 无规则确定{}案件的审级", case.kind.name_zh()),
                ));
                continue;
            };
            let level = lvl_rule.level.unwrap_or(Level::Basic);
            if picks.is_empty() {
                let sea = if loc.at_sea {
                    let names: Vec<String> = loc
                        .features
                        .iter()
                        .filter_map(|f| self.geo.feature(f))
                        .filter(|f| f.kind.is_sea())
                        .map(|f| f.name.clone())
                        .collect();
                    format!(", at sea: {}", names.join(", "))
                } else {
                    String::new()
                };
                let landing = if loc.at_sea
                    && roles.contains(&Role::Landing)
                    && !case.places.iter().any(|p| p.role == Role::Landing)
                {
                    "; for a crime at sea add the `landing` place of the defendant (CrimPL Interpretation art. 4)"
                } else {
                    ""
                };
                reasons.push(Text::new(
                    format!("place #{pno} ({}{sea}): no rule assigns a {level}-level court for a `{}` case on {date}{landing}", loc.text, case.kind),
                    format!("第{pno}个地点（{}）：{date} 无规则为{}案件指定{}法院{}", loc.text, case.kind.name_zh(), level_zh(level), if landing.is_empty() { "" } else { "；海上犯罪请补充登陆地（刑诉法解释第4条）" }),
                ));
                continue;
            }
            // Alternatives, advisories, border.
            self.alternatives(case, date, &cx, first_t, level, &picks, pno, &mut |w| {
                warn(w, &mut warnings)
            });
            for r in self.rules.for_kind(case.kind) {
                if r.stage == Stage::Advisory
                    && r.covers_level(level)
                    && r.in_force(date)
                    && when_matches(r, &cx)
                    && territory_matches(r, first_t)
                    && let Some(t) = &r.warning
                {
                    warn(
                        Warning {
                            code: "advisory",
                            message: t.clone(),
                            rule: Some(r.id.clone()),
                            place: Some(pno),
                        },
                        &mut warnings,
                    );
                }
            }
            for &(other, dist) in &loc.near {
                let t = Target::Unit(other);
                let alt = self
                    .level_for(case.kind, date, &cx, t)
                    .and_then(|r| r.level)
                    .map(|l| self.venue(case.kind, l, date, &cx, t, RuleStatus::Baseline))
                    .unwrap_or_default();
                let Some(u) = self.geo.units().get(other) else {
                    continue;
                };
                let names: Vec<&str> = alt.iter().map(|p| p.court.name_zh.as_str()).collect();
                let same = alt
                    .iter()
                    .map(|p| &p.court.id)
                    .eq(picks.iter().map(|p| &p.court.id));
                warn(
                    Warning {
                        code: "near_border",
                        message: Text::new(
                            format!(
                                "place #{pno} is {dist:.0} m from {} {}{}",
                                u.adcode,
                                u.name,
                                if same {
                                    " (same court there)".to_string()
                                } else {
                                    format!(", whose court would be {}", names.join(", "))
                                }
                            ),
                            format!(
                                "第{pno}个地点距{}（{}）仅 {dist:.0} 米{}",
                                u.name,
                                u.adcode,
                                if same {
                                    "（该处管辖法院相同）".to_string()
                                } else {
                                    format!("，该处管辖法院为{}", names.join("、"))
                                }
                            ),
                        ),
                        rule: None,
                        place: Some(pno),
                    },
                    &mut warnings,
                );
            }
            if loc.at_sea {
                for f in loc.features.iter().filter_map(|f| self.geo.feature(f)) {
                    if f.kind.is_sea() && f.approximate {
                        warn(
                            Warning {
                                code: "approximate_polygon",
                                message: Text::new(
                                    format!(
                                        "place #{pno} was placed in `{}` {}, an approximate polygon, not a legal boundary",
                                        f.id, f.name
                                    ),
                                    format!("第{pno}个地点位于近似范围“{}”，并非法定界线", f.name),
                                ),
                                rule: None,
                                place: Some(pno),
                            },
                            &mut warnings,
                        );
                    }
                }
            }
            for p in picks {
                let mut rules = Vec::new();
                if let Some(rr) = &role_rule {
                    rules.push(rr.clone());
                }
                if !rules.contains(&lvl_rule.id) {
                    rules.push(lvl_rule.id.clone());
                }
                if !rules.contains(&p.rule.id) {
                    rules.push(p.rule.id.clone());
                }
                let mut confidence = lowest(p.rule.confidence, lvl_rule.confidence);
                if p.court.confidence == Confidence::Uncertain
                    && p.rule.confidence == Confidence::Confirmed
                {
                    // The court's own facts (seat, name) do not make the assignment uncertain.
                    confidence = lowest(confidence, Confidence::Confirmed);
                }
                for id in &rules {
                    if let Some(r) = self.rules.rule(id) {
                        // The weakest of every contributing rule (corroborated included).
                        confidence = lowest(confidence, r.confidence);
                    }
                    if let Some(r) = self.rules.rule(id)
                        && r.confidence == Confidence::Uncertain
                    {
                        confidence = Confidence::Uncertain;
                        if warnings.iter().any(|w| {
                            w.code == "uncertain_rule" && w.rule.as_deref() == Some(id.as_str())
                        }) {
                            continue;
                        }
                        warn(
                            Warning {
                                code: "uncertain_rule",
                                message: Text::new(
                                    format!(
                                        "rule `{}` rests on uncertain facts: {}",
                                        r.id, r.summary.en
                                    ),
                                    format!("规则 {} 所依据的事实尚不确定：{}", r.id, r.summary.zh),
                                ),
                                rule: Some(r.id.clone()),
                                place: None,
                            },
                            &mut warnings,
                        );
                    }
                }
                let unit = match first_t {
                    Target::Unit(u) if loc.area.is_none() => {
                        self.geo.units().get(u).map(|u| UnitBrief {
                            adcode: u.adcode.clone(),
                            name: u.name.clone(),
                        })
                    }
                    _ => None,
                };
                let feature = if loc.at_sea {
                    loc.features
                        .iter()
                        .find(|f| p.rule.territory.has_feature(f))
                        .cloned()
                } else {
                    None
                };
                grounds.push((
                    p.court,
                    p.tribunal.clone(),
                    p.appeal.clone(),
                    Ground {
                        factor: place.role,
                        subsidiary,
                        place: pno,
                        place_text: loc.text.clone(),
                        unit,
                        feature,
                        level,
                        rule: p.rule.id.clone(),
                        rules,
                        summary: p.rule.summary.clone(),
                        sources: p.rule.source_refs.clone(),
                        confidence,
                    },
                ));
            }
        }
        // 3. Merge by court, ordered by first place then court id.
        let mut competent: Vec<Competent> = Vec::new();
        let mut order: Vec<(usize, String)> = Vec::new();
        for (court, tribunal, appeal, g) in grounds {
            match competent.iter_mut().find(|c| c.court.id == court.id) {
                Some(c) => c.grounds.push(g),
                None => {
                    order.push((g.place, court.id.clone()));
                    competent.push(Competent {
                        court: self.shared_court_ref(court),
                        tribunal: tribunal.as_ref().and_then(|t| court.tribunal(t)).map(|t| {
                            std::sync::Arc::new(TribunalRef {
                                id: t.id.clone(),
                                name_zh: t.name_zh.clone(),
                                name_en: t.name_en.clone(),
                            })
                        }),
                        appeal_court: appeal
                            .as_deref()
                            .and_then(|a| self.rules.courts.get(a))
                            .map(|c| self.shared_court_ref(c)),
                        seat_at: court.seat_at,
                        grounds: vec![g],
                    });
                }
            }
        }
        competent.sort_by(|a, b| {
            let pa = a.grounds.iter().map(|g| g.place).min().unwrap_or(0);
            let pb = b.grounds.iter().map(|g| g.place).min().unwrap_or(0);
            pa.cmp(&pb).then(a.court.id.cmp(&b.court.id))
        });
        // 4. Relation.
        let relation = self.relation(case.kind, date, &competent);
        let status = if competent.is_empty() {
            Status::NoCourt
        } else {
            Status::Routed
        };
        let no_court_reason = if competent.is_empty() {
            Some(if reasons.is_empty() {
                Text::new(
                    format!("no place has a connecting role for a `{}` case", case.kind),
                    format!("没有地点具备{}案件的管辖连结点", case.kind.name_zh()),
                )
            } else {
                Text::new(
                    reasons
                        .iter()
                        .map(|r| r.en.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                    reasons
                        .iter()
                        .map(|r| r.zh.as_str())
                        .collect::<Vec<_>>()
                        .join("；"),
                )
            })
        } else {
            None
        };
        Decision {
            case_id: case.id.clone(),
            kind: case.kind,
            filed_on: date,
            status,
            competent,
            relation,
            warnings,
            no_court_reason,
            rules_version: self.rules.version.clone(),
            geodata_version: self.geo.version().to_string(),
        }
    }

    /// Flags a place whose address names another unit than its point or code.
    fn cross_check(&self, addr: &str, loc: &PlaceLoc, pno: usize, warn: &mut dyn FnMut(Warning)) {
        let m = self.address.parse(addr);
        let located: Vec<&str> = loc
            .units
            .iter()
            .filter_map(|&u| self.geo.units().get(u))
            .map(|u| u.adcode.as_str())
            .collect();
        let named: Vec<String> = match &m.unit {
            Some(u) => vec![u.clone()],
            None => m.candidates.iter().map(|c| c.adcode.clone()).collect(),
        };
        if named.is_empty() {
            warn(Warning {
                code: "address_mismatch",
                message: Text::new(
                    format!(
                        "place #{pno}: the address `{addr}` names no county-level unit, so it could not be checked against {}",
                        loc.text
                    ),
                    format!(
                        "第{pno}个地点：地址“{addr}”无法识别区县，未能与{}核对",
                        loc.text
                    ),
                ),
                rule: None,
                place: Some(pno),
            });
            return;
        }
        let agrees = named.iter().any(|n| located.contains(&n.as_str()))
            || loc.near.iter().any(|(u, _)| {
                self.geo
                    .units()
                    .get(*u)
                    .is_some_and(|u| named.contains(&u.adcode))
            });
        if !agrees {
            let names: Vec<String> = named
                .iter()
                .map(|c| {
                    format!(
                        "{c} {}",
                        self.geo.unit(c).map(|u| u.name.as_str()).unwrap_or("")
                    )
                })
                .collect();
            let at = if loc.at_sea {
                "at sea".to_string()
            } else {
                located
                    .iter()
                    .map(|c| {
                        format!(
                            "{c} {}",
                            self.geo.unit(c).map(|u| u.name.as_str()).unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            warn(Warning {
                code: "address_mismatch",
                message: Text::new(
                    format!(
                        "place #{pno}: the point or code is in {at} but the address `{addr}` says {}; routed by the point or code",
                        names.join(" or ")
                    ),
                    format!(
                        "第{pno}个地点：坐标或代码位于{at}，但地址“{addr}”指向{}；已按坐标或代码确定管辖",
                        names.join("或")
                    ),
                ),
                rule: None,
                place: Some(pno),
            });
        }
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "internal helper with the evaluation context spelled out"
    )]
    fn alternatives(
        &self,
        case: &Case,
        date: Date,
        cx: &CaseCtx<'_>,
        t: Target<'_>,
        level: Level,
        picks: &[Pick<'_>],
        pno: usize,
        warn: &mut dyn FnMut(Warning),
    ) {
        let alts = self.venue(case.kind, level, date, cx, t, RuleStatus::Alternative);
        for a in alts {
            let applies = picks
                .iter()
                .any(|p| a.rule.alternative_to.contains(&p.rule.id));
            let differs = picks.iter().all(|p| p.court.id != a.court.id);
            if applies && differs {
                warn(Warning {
                    code: "alternative_reading",
                    message: Text::new(
                        format!(
                            "place #{pno}: an alternative reading ({}, uncertain) would give {} {}: {}",
                            a.rule.id, a.court.name_zh, a.court.name_en, a.rule.summary.en
                        ),
                        format!(
                            "第{pno}个地点：另一种理解（{}，不确定）将由{}管辖：{}",
                            a.rule.id, a.court.name_zh, a.rule.summary.zh
                        ),
                    ),
                    rule: Some(a.rule.id.clone()),
                    place: Some(pno),
                });
            }
        }
    }

    fn relation(&self, kind: CaseKind, date: Date, competent: &[Competent]) -> Relation {
        let provinces: BTreeSet<&str> = competent
            .iter()
            .filter_map(|c| self.rules.courts.get(&c.court.id))
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
        let mut rules = Vec::new();
        let mut en = Vec::new();
        let mut zh = Vec::new();
        if let Some(ap) = applies {
            for r in self.rules.for_kind(kind) {
                if r.stage == Stage::Relation && r.in_force(date) && r.applies_to.contains(&ap) {
                    rules.push(r.id.clone());
                    if let Some(t) = &r.warning {
                        en.push(t.en.clone());
                        zh.push(t.zh.clone());
                    }
                }
            }
        }
        let text = match rk {
            RelationKind::None => Text::new("no competent court", "无管辖法院"),
            RelationKind::Exclusive => Text::new("one competent court", "唯一管辖法院"),
            _ => Text::new(en.join(" "), zh.join("")),
        };
        Relation {
            kind: rk,
            rules,
            text,
        }
    }
}

/// The court a venue rule assigns for a target (`None` when a unit pattern meets a sea target
/// or the registry has no such court).
pub(crate) fn resolve_court<'r>(
    rules: &'r RuleSet,
    geo: &Geodata,
    r: &Rule,
    t: Target<'_>,
) -> Option<&'r Court> {
    let a = r.assign.as_ref()?;
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

fn level_zh(l: Level) -> &'static str {
    match l {
        Level::Basic => "基层",
        Level::Intermediate => "中级",
        Level::Maritime => "海事",
    }
}

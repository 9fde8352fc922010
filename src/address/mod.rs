//! Chinese addresses and historical place names to county-level units (and, in the
//! Demonstration Zone, to towns).
//!
//! [`AddressIndex::parse`] scans free text such as `上海市青浦区朱家角镇北大街1号`,
//! `苏州吴江黎里` or `闸北区天目中路` for the names of provinces, prefecture cities,
//! county-level units, Demonstration-Zone towns and abolished county-level units
//! (`geodata/source/historical-names.csv`, from `yescallop/areacodes`), then resolves the
//! hits by hierarchy. Ambiguity is reported, never guessed: `普陀区` alone yields no unit and
//! two candidates; `舟山市普陀区` yields 330903.
//!
//! How a text is read:
//! - full-width ASCII becomes half-width, whitespace and punctuation are dropped;
//! - names match with or without their suffix (`省`, `市`, `区`, `县`, `自治县`, `新区`,
//!   `镇`, `街道`), but a short form of one character never matches, and a short form
//!   followed by a street or water word (`南京路`, `黄浦江`, `普陀山`) is not a place;
//! - at each position the longest known name wins;
//! - hits are read left to right: provinces and cities before the first unit narrow the
//!   context, a unit must lie inside that context, and later hits that contradict a unit
//!   named in full are treated as street noise (`上海市静安区江宁路`).
//!
//! Owns address text; [`resolve`] adds the unit's record from the geodata for output. Knows
//! nothing about coordinates, rules or courts.

mod build;
#[cfg(test)]
mod tests;
mod text;

use std::collections::HashMap;

use crate::spatial::{AreaLevel, CodeTable};

use text::{NChar, Trie};

/// The embedded table of abolished and renamed county-level units.
pub static HISTORICAL_NAMES_CSV: &str = include_str!("../../geodata/source/historical-names.csv");

/// An error while loading the historical-names table.
#[derive(Debug, thiserror::Error)]
#[error("in historical-names table line {line}: {message}")]
pub struct AddressError {
    line: usize,
    message: String,
}

impl AddressError {
    /// The 1-based line of the CSV file.
    pub fn line(&self) -> usize {
        self.line
    }
}

/// How far an address was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressStatus {
    /// Exactly one county-level unit.
    Resolved,
    /// No unit; `candidates` lists the units the text may mean, each with why.
    Ambiguous,
    /// No unit, but a province or prefecture city (`area`).
    AreaOnly,
    /// Nothing recognised.
    NotFound,
}

/// A unit the address may mean, when it does not name exactly one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AddressCandidate {
    /// The 6-digit code of the county-level unit.
    pub adcode: String,
    /// Its current official name.
    pub name: String,
    /// Why it is a candidate (which part of the text, and what is uncertain).
    pub why: String,
}

/// A historical name found in the text, with its dates and successors.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoricalUse {
    /// The former name, e.g. `闸北区`.
    pub old_name: String,
    /// The former code, e.g. `310108`.
    pub old_code: String,
    /// The first year the former code and name were in use.
    pub valid_from: Option<String>,
    /// The year the former code or name stopped being used.
    pub valid_until: Option<String>,
    /// The current codes of the area (more than one when it was split).
    pub successors: Vec<String>,
}

/// One part of the text and the area it was read as.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MatchedPart {
    /// The text as written (original characters, spaces included).
    pub text: String,
    /// Offset of the text in characters from the start of the input.
    pub start: usize,
    /// Code of the area it was read as.
    pub code: String,
    /// Current official name of that area.
    pub name: String,
    /// `province`, `city`, `county` or `town`.
    pub level: String,
    /// Set when the text is a former name.
    pub historical: Option<HistoricalUse>,
}

/// The result of parsing an address.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AddressMatch {
    /// The county-level unit (6 digits), when exactly one is named.
    pub unit: Option<String>,
    /// The Demonstration-Zone town (9 digits, MCA numbering preferred), when named.
    pub town: Option<String>,
    /// When there is no unit: the finest province or city code named.
    pub area: Option<String>,
    /// When there is no unit: the units the address may mean, with why.
    pub candidates: Vec<AddressCandidate>,
    /// Which parts of the text were read as which areas.
    pub matched: Vec<MatchedPart>,
    /// How far the address was resolved.
    pub status: AddressStatus,
}

/// A place in the index: a province, city, county-level unit or town of the code table.
#[derive(Debug, Clone)]
struct Ent {
    num: u32,
    code: String,
    name: String,
    level: AreaLevel,
    province: u32,
    city: u32,
    /// The county entity of a town; the entity itself for a county.
    county: u32,
}

/// An abolished or renamed county-level unit.
#[derive(Debug, Clone)]
struct Hist {
    old_code: String,
    old_name: String,
    valid_from: String,
    valid_to: String,
    /// Entities of the current successors.
    successors: Vec<u32>,
    successor_codes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Ent(u32),
    Hist(u32),
}

/// One meaning of a name in the trie.
#[derive(Debug, Clone, Copy)]
struct Entry {
    target: Target,
    /// 0 current full name, 1 current short form, 2 former full name, 3 former short form.
    tier: u8,
    /// A short form (suffix removed): may not be followed by a street word.
    short: bool,
    /// A generic word (郊区, 太湖, 华新): needs a province, city or unit already named.
    generic: bool,
}

/// The address parser: an index of every name, built once.
#[derive(Debug, Clone)]
pub struct AddressIndex {
    ents: Vec<Ent>,
    ent_by_code: HashMap<String, u32>,
    by_num: HashMap<u32, u32>,
    hists: Vec<Hist>,
    hist_by_code: HashMap<String, u32>,
    /// Entries of each key, sorted by tier.
    keys: Vec<Vec<Entry>>,
    trie: Trie,
}

/// A county-level unit the address may mean, while resolving.
#[derive(Debug, Clone, Copy)]
struct Cand {
    ent: u32,
    hit: u32,
    hist: Option<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    start: u32,
    len: u32,
    key: u32,
}

/// An accepted reading of a hit, for the `matched` list.
#[derive(Debug, Clone, Copy)]
struct Accepted {
    hit: u32,
    ent: u32,
    hist: Option<u32>,
}

#[derive(Debug, Default)]
struct State {
    prov: Option<u32>,
    city: Option<u32>,
    units: Vec<Cand>,
    /// The units were read from a full name or inside a named province or city.
    strong: bool,
    /// The units were read from at least one full name.
    full: bool,
    town: Option<Cand>,
    rejected: Vec<Cand>,
    accepted: Vec<Accepted>,
}

impl AddressIndex {
    /// Builds the index from the code table and the embedded historical-names table.
    ///
    /// Rows of the embedded table whose successors are not in `codes` are skipped, so that
    /// a reduced code table still works.
    pub fn new(codes: &CodeTable) -> Self {
        // Lenient mode fails only on a malformed embedded file (the tests load it strictly);
        // fall back to current names only.
        build::build(codes, HISTORICAL_NAMES_CSV, false)
            .or_else(|_| build::build(codes, build::EMPTY_HISTORY, false))
            .unwrap_or_else(|_| build::empty())
    }

    /// Builds the index from the code table and a historical-names CSV
    /// (`old_code,old_name,province_adcode,city_adcode,valid_from,valid_to,successor_codes,source`,
    /// successors separated by `|`). Every successor must be in `codes`.
    pub fn with_history(codes: &CodeTable, history_csv: &str) -> Result<Self, AddressError> {
        build::build(codes, history_csv, true)
    }

    /// The current successor codes of a former county-level code that is no longer in the
    /// code table (`310108` 闸北区 → `["310106"]`); `None` for current or unknown codes.
    pub fn historical_successors(&self, code: &str) -> Option<&[String]> {
        let h = self.hist_by_code.get(code)?;
        self.hists
            .get(*h as usize)
            .map(|h| h.successor_codes.as_slice())
    }

    fn ent(&self, i: u32) -> Option<&Ent> {
        self.ents.get(i as usize)
    }

    /// Parses one free-text address.
    pub fn parse(&self, text: &str) -> AddressMatch {
        let mut chars: Vec<NChar> = Vec::with_capacity(text.len() / 2 + 4);
        text::normalize_into(text, &mut chars);
        let mut hits: Vec<Hit> = Vec::with_capacity(8);
        let mut i = 0usize;
        while i < chars.len() {
            let rest = chars.get(i..).unwrap_or(&[]);
            match self.trie.longest(rest) {
                Some((len, key)) => {
                    hits.push(Hit {
                        start: u32::try_from(i).unwrap_or(u32::MAX),
                        len: u32::try_from(len).unwrap_or(u32::MAX),
                        key,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        let mut st = State::default();
        for (hi, hit) in hits.iter().enumerate() {
            let hi = u32::try_from(hi).unwrap_or(u32::MAX);
            self.apply_hit(&mut st, &chars, *hit, hi);
        }
        self.finish(text, &chars, &hits, st)
    }

    /// Whether county entity `u` lies inside the current context.
    fn in_context(&self, st: &State, u: &Ent) -> bool {
        st.prov.is_none_or(|p| u.province == p) && st.city.is_none_or(|c| u.city == c)
    }

    fn apply_hit(&self, st: &mut State, chars: &[NChar], hit: Hit, hi: u32) {
        let Some(entries) = self.keys.get(hit.key as usize) else {
            return;
        };
        let end = (hit.start + hit.len) as usize;
        let street = text::street_follows(chars.get(end..).unwrap_or(&[]));
        let whole = hit.start == 0 && end == chars.len();
        let have_context = st.prov.is_some() || st.city.is_some() || !st.units.is_empty();
        let usable = |e: &Entry| !((e.short && street) || (e.generic && !have_context && !whole));
        if self.try_apply(st, entries, hi, &usable) {
            return;
        }
        // A unit read from a short form gives way to a later full name that contradicts it
        // (上海浦东发展银行… 上海市黄浦区…); without any context, also to a later province
        // or city (宝山钢铁… 南京市鼓楼区…).
        let overrides = |e: &Entry| {
            usable(e)
                && !e.short
                && !e.generic
                && match e.target {
                    Target::Hist(_) => !st.full,
                    Target::Ent(i) => self.ent(i).is_some_and(|x| match x.level {
                        AreaLevel::Province | AreaLevel::City => !st.strong,
                        AreaLevel::County | AreaLevel::Town => !st.full,
                    }),
                }
        };
        if !st.units.is_empty() && entries.iter().any(overrides) {
            st.units.clear();
            st.full = false;
            st.town = None;
            st.accepted.retain(|a| {
                self.ent(a.ent)
                    .is_some_and(|e| matches!(e.level, AreaLevel::Province | AreaLevel::City))
            });
            if self.try_apply(st, entries, hi, &usable) {
                return;
            }
        }
        if st.units.is_empty() {
            // Named but outside the context: report, do not guess.
            let tier = entries.iter().filter(|e| usable(e)).map(|e| e.tier).min();
            for e in entries.iter().filter(|e| usable(e) && Some(e.tier) == tier) {
                self.for_each_unit(e.target, |ent, hist| {
                    if !st.rejected.iter().any(|c| c.ent == ent) {
                        st.rejected.push(Cand { ent, hit: hi, hist });
                    }
                });
            }
        }
    }

    /// Calls `f(county entity, historical record)` for each county-level unit an entry means
    /// (towns give their county).
    fn for_each_unit(&self, target: Target, mut f: impl FnMut(u32, Option<u32>)) {
        match target {
            Target::Ent(i) => {
                if let Some(e) = self.ent(i)
                    && matches!(e.level, AreaLevel::County | AreaLevel::Town)
                {
                    f(e.county, None);
                }
            }
            Target::Hist(h) => {
                if let Some(hist) = self.hists.get(h as usize) {
                    for &s in &hist.successors {
                        if self.ent(s).is_some_and(|e| e.level == AreaLevel::County) {
                            f(s, Some(h));
                        }
                    }
                }
            }
        }
    }

    /// Tries each tier of `entries` in turn; returns whether the hit was accepted.
    fn try_apply(
        &self,
        st: &mut State,
        entries: &[Entry],
        hi: u32,
        usable: &dyn Fn(&Entry) -> bool,
    ) -> bool {
        let mut from = 0;
        while from < entries.len() {
            let tier = entries.get(from).map_or(0, |e| e.tier);
            let to = entries
                .iter()
                .skip(from)
                .position(|e| e.tier != tier)
                .map_or(entries.len(), |p| from + p);
            let group = entries.get(from..to).unwrap_or(&[]);
            from = to;
            if self.apply_areas(st, group, hi, usable) || self.apply_units(st, group, hi, usable) {
                return true;
            }
        }
        false
    }

    /// The area entities (province or city) of an entry: a current area, or a former unit
    /// whose successor is a city.
    fn area_of(&self, target: Target) -> Option<(u32, Option<u32>)> {
        match target {
            Target::Ent(i) => self
                .ent(i)
                .filter(|e| matches!(e.level, AreaLevel::Province | AreaLevel::City))
                .map(|_| (i, None)),
            Target::Hist(h) => {
                let hist = self.hists.get(h as usize)?;
                let s = *hist.successors.first()?;
                (hist.successors.len() == 1
                    && self.ent(s).is_some_and(|e| e.level == AreaLevel::City))
                .then_some((s, Some(h)))
            }
        }
    }

    fn apply_areas(
        &self,
        st: &mut State,
        group: &[Entry],
        hi: u32,
        usable: &dyn Fn(&Entry) -> bool,
    ) -> bool {
        for e in group.iter().filter(|e| usable(e)) {
            let Some((ai, hist)) = self.area_of(e.target) else {
                continue;
            };
            let Some(a) = self.ent(ai) else { continue };
            let code = a.num;
            if st.units.is_empty() {
                let ok = match a.level {
                    AreaLevel::Province => {
                        st.prov.is_none_or(|p| p == code)
                            && st.city.is_none_or(|c| {
                                self.ent_by_num(c).is_some_and(|ce| ce.province == code)
                            })
                    }
                    _ => {
                        st.prov.is_none_or(|p| p == a.province) && st.city.is_none_or(|c| c == code)
                    }
                };
                if ok {
                    if a.level == AreaLevel::Province {
                        st.prov = Some(code);
                    } else {
                        st.prov = Some(a.province);
                        st.city = Some(code);
                    }
                    st.accepted.push(Accepted {
                        hit: hi,
                        ent: ai,
                        hist,
                    });
                    return true;
                }
            } else {
                let inside = |u: &Cand| {
                    self.ent(u.ent).is_some_and(|ue| {
                        if a.level == AreaLevel::Province {
                            ue.province == code
                        } else {
                            ue.city == code
                        }
                    })
                };
                if st.units.iter().any(inside) {
                    if st.units.len() > 1 || !st.strong {
                        st.units.retain(inside);
                        st.strong = true;
                    }
                    st.accepted.push(Accepted {
                        hit: hi,
                        ent: ai,
                        hist,
                    });
                    return true;
                }
            }
        }
        false
    }

    fn apply_units(
        &self,
        st: &mut State,
        group: &[Entry],
        hi: u32,
        usable: &dyn Fn(&Entry) -> bool,
    ) -> bool {
        let mut found = false;
        let mut full = false;
        if st.units.is_empty() {
            let had_context = st.prov.is_some() || st.city.is_some();
            for e in group.iter().filter(|e| usable(e)) {
                let mut any = false;
                self.for_each_unit(e.target, |ent, hist| {
                    let Some(u) = self.ent(ent) else { return };
                    if self.in_context(st, u) {
                        any = true;
                        if !st.units.iter().any(|c| c.ent == ent) {
                            st.units.push(Cand { ent, hit: hi, hist });
                        }
                    }
                });
                if any {
                    found = true;
                    full |= !e.short;
                    self.accept_entry(st, e.target, hi);
                }
            }
            if found {
                st.strong = full || had_context;
                st.full = full;
                st.rejected.clear();
            }
        } else {
            let mut keep: Vec<u32> = Vec::new();
            for e in group.iter().filter(|e| usable(e)) {
                let mut any = false;
                self.for_each_unit(e.target, |ent, _| {
                    if st.units.iter().any(|c| c.ent == ent) {
                        any = true;
                        keep.push(ent);
                    }
                });
                if any {
                    found = true;
                    full |= !e.short;
                    self.accept_entry(st, e.target, hi);
                }
            }
            if found {
                st.units.retain(|c| keep.contains(&c.ent));
                st.strong |= full;
                st.full |= full;
            }
        }
        found
    }

    /// Records an accepted unit or town entry (and the town itself).
    fn accept_entry(&self, st: &mut State, target: Target, hi: u32) {
        match target {
            Target::Ent(i) => {
                if let Some(e) = self.ent(i) {
                    if e.level == AreaLevel::Town && st.town.is_none() {
                        st.town = Some(Cand {
                            ent: i,
                            hit: hi,
                            hist: None,
                        });
                    }
                    st.accepted.push(Accepted {
                        hit: hi,
                        ent: i,
                        hist: None,
                    });
                }
            }
            Target::Hist(h) => {
                if let Some(hist) = self.hists.get(h as usize) {
                    for &s in &hist.successors {
                        st.accepted.push(Accepted {
                            hit: hi,
                            ent: s,
                            hist: Some(h),
                        });
                    }
                }
            }
        }
    }

    fn ent_by_num(&self, code: u32) -> Option<&Ent> {
        let i = self.by_num.get(&code)?;
        self.ent(*i)
    }

    fn place_of(&self, u: &Ent) -> String {
        let prov = self.ent_by_num(u.province).map_or("", |e| e.name.as_str());
        match self.ent_by_num(u.city) {
            Some(c) if u.city != u.province => format!("{}{}", prov, c.name),
            _ => prov.to_string(),
        }
    }

    fn hist_use(&self, h: u32) -> Option<HistoricalUse> {
        let hist = self.hists.get(h as usize)?;
        Some(HistoricalUse {
            old_name: hist.old_name.clone(),
            old_code: hist.old_code.clone(),
            valid_from: Some(hist.valid_from.clone()).filter(|s| !s.is_empty()),
            valid_until: Some(hist.valid_to.clone()).filter(|s| !s.is_empty()),
            successors: hist.successor_codes.clone(),
        })
    }

    fn why(&self, text: &str, c: &Cand, conflict: Option<&str>) -> String {
        let Some(u) = self.ent(c.ent) else {
            return String::new();
        };
        let place = self.place_of(u);
        let mut s = match c.hist.and_then(|h| self.hists.get(h as usize)) {
            Some(h) if h.successors.len() > 1 => format!(
                "`{text}` is the former {} ({}, until {}), which was split; part of it is now {} ({}) in {}",
                h.old_name, h.old_code, h.valid_to, u.name, u.code, place
            ),
            Some(h) => format!(
                "`{text}` is the former {} ({}, until {}), now {} ({}) in {}",
                h.old_name, h.old_code, h.valid_to, u.name, u.code, place
            ),
            None => format!("`{text}` names {} ({}) in {}", u.name, u.code, place),
        };
        if let Some(ctx) = conflict {
            s.push_str(&format!(
                ", which is not in {ctx} named earlier in the address"
            ));
        }
        s
    }

    fn finish(&self, text: &str, chars: &[NChar], hits: &[Hit], st: State) -> AddressMatch {
        let hit_text = |hi: u32| -> (String, usize) {
            let Some(h) = hits.get(hi as usize) else {
                return (String::new(), 0);
            };
            let first = chars.get(h.start as usize);
            let last = chars.get((h.start + h.len).saturating_sub(1) as usize);
            match (first, last) {
                (Some(f), Some(l)) => (
                    text.get(f.byte as usize..l.byte_end as usize)
                        .unwrap_or("")
                        .to_string(),
                    f.pos as usize,
                ),
                _ => (String::new(), 0),
            }
        };
        let level_name = |l: AreaLevel| match l {
            AreaLevel::Province => "province",
            AreaLevel::City => "city",
            AreaLevel::County => "county",
            AreaLevel::Town => "town",
        };
        let final_units: Vec<u32> = st.units.iter().map(|c| c.ent).collect();
        let mut matched = Vec::with_capacity(st.accepted.len());
        for a in &st.accepted {
            let Some(e) = self.ent(a.ent) else { continue };
            let keep = match e.level {
                AreaLevel::Province | AreaLevel::City => true,
                AreaLevel::County | AreaLevel::Town => final_units.contains(&e.county),
            };
            if !keep {
                continue;
            }
            let (t, start) = hit_text(a.hit);
            matched.push(MatchedPart {
                text: t,
                start,
                code: e.code.clone(),
                name: e.name.clone(),
                level: level_name(e.level).to_string(),
                historical: a.hist.and_then(|h| self.hist_use(h)),
            });
        }
        let area = match (st.city, st.prov) {
            (Some(c), _) => Some(c),
            (None, p) => p,
        }
        .map(|c| c.to_string());
        if let [only] = st.units.as_slice() {
            let unit = self.ent(only.ent).map(|e| e.code.clone());
            let town = st
                .town
                .and_then(|t| self.ent(t.ent))
                .filter(|t| t.county == only.ent)
                .map(|t| t.code.clone());
            return AddressMatch {
                unit,
                town,
                area: None,
                candidates: Vec::new(),
                matched,
                status: AddressStatus::Resolved,
            };
        }
        let (list, conflict) = if st.units.is_empty() {
            let ctx = area
                .as_deref()
                .and_then(|a| self.ent_by_code.get(a))
                .and_then(|i| self.ent(*i))
                .map(|e| e.name.clone());
            (&st.rejected, ctx)
        } else {
            (&st.units, None)
        };
        let candidates: Vec<AddressCandidate> = list
            .iter()
            .filter_map(|c| {
                let u = self.ent(c.ent)?;
                let (t, _) = hit_text(c.hit);
                Some(AddressCandidate {
                    adcode: u.code.clone(),
                    name: u.name.clone(),
                    why: self.why(&t, c, conflict.as_deref()),
                })
            })
            .collect();
        let status = if !candidates.is_empty() {
            AddressStatus::Ambiguous
        } else if area.is_some() {
            AddressStatus::AreaOnly
        } else {
            AddressStatus::NotFound
        };
        AddressMatch {
            unit: None,
            town: None,
            area,
            candidates,
            matched,
            status,
        }
    }
}

/// The answer for an address in the shape of a point lookup (`unit` or null, `candidates`)
/// plus `matched`: what `ecojuris locate --address` and `POST /v1/locate` print.
#[derive(Debug, serde::Serialize)]
pub struct AddressLocation {
    /// The address as given.
    pub input: String,
    /// The unit, when exactly one is named.
    pub unit: Option<crate::spatial::UnitRef>,
    /// The Demonstration Zone town, when named.
    pub town: Option<String>,
    /// When there is no unit: the finest province or city named.
    pub area: Option<String>,
    /// When there is no unit: the units the address may mean, with why.
    pub candidates: Vec<AddressCandidate>,
    /// Which part of the text matched which area (and historical names used).
    pub matched: Vec<MatchedPart>,
    /// `resolved`, `ambiguous`, `area_only` or `not_found`.
    pub status: AddressStatus,
    /// Whether the unit is in the Demonstration Zone.
    pub demo_zone: bool,
    /// Which geodata set answered.
    pub geodata_version: String,
}

/// Resolves one address.
pub fn resolve(geo: &crate::spatial::Geodata, index: &AddressIndex, text: &str) -> AddressLocation {
    let m = index.parse(text);
    let unit = m.unit.as_deref().and_then(|u| geo.unit(u)).cloned();
    AddressLocation {
        input: text.to_string(),
        demo_zone: unit.as_ref().is_some_and(|u| u.demo_zone),
        unit,
        town: m.town,
        area: m.area,
        candidates: m.candidates,
        matched: m.matched,
        status: m.status,
        geodata_version: geo.version().to_string(),
    }
}

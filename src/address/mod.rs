//! Chinese addresses and historical place names to county-level units (and, in the
//! Demonstration Zone, to towns).
//!
//! [`AddressIndex::parse`] scans free text such as `上海市青浦区朱家角镇北大街1号`,
//! `苏州吴江黎里` or `闸北区天目中路` for the names of provinces, prefecture cities,
//! county-level units, every town and street of the four provinces
//! (`geodata/source/towns.csv`), development zones (`zones.csv`: `苏州工业园区` and its
//! statistics code `320576` give the zone and its host units), abolished county-level units
//! (`geodata/source/historical-names.csv`, from `yescallop/areacodes`) and former
//! prefectures (`former-prefectures.csv`: `巢湖市庐江县` is 庐江县, never 巢湖市; with
//! [`AddressIndex::parse_dated`] a reused name is read as it was used in the filing year),
//! then resolves the hits by hierarchy. A town resolves to its county when its name is
//! unique within the province or city named (or in the region); otherwise the counties are
//! candidates. Ambiguity is reported, never guessed: `普陀区` alone yields no unit and
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

/// The embedded table of every town and street of the four provinces (NBS 2023 and MCA).
pub static TOWNS_CSV: &str = include_str!("../../geodata/source/towns.csv");

/// The embedded table of development zones and functional areas.
pub static ZONES_CSV: &str = include_str!("../../geodata/source/zones.csv");

/// The embedded table of former prefectures (地区 and abolished prefecture-level cities).
pub static FORMER_PREFECTURES_CSV: &str =
    include_str!("../../geodata/source/former-prefectures.csv");

/// An error while loading the historical-names table.
#[derive(Debug, thiserror::Error)]
#[error("in {table} table line {line}: {message}")]
pub struct AddressError {
    table: &'static str,
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

/// A development zone or functional area named in the text (`geodata/source/zones.csv`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ZoneMatch {
    /// Stable id, e.g. `suzhou-sip`.
    pub id: String,
    /// Official Chinese name, e.g. `苏州工业园区`.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Statistics (NBS) county-level codes of the zone, e.g. `320576`; may be empty.
    pub stat_codes: Vec<String>,
    /// The county-level units the zone lies in (one or more); may be empty when unknown.
    pub hosts: Vec<String>,
    /// `confirmed`, `corroborated` or `uncertain`.
    pub confidence: String,
    /// Where the zone's extent comes from.
    pub source_url: String,
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
    /// Which parts of the text were read as which areas (towns of the whole region too).
    pub matched: Vec<MatchedPart>,
    /// How far the address was resolved.
    pub status: AddressStatus,
    /// The development zone named (or the zone of the town named), with its host units.
    pub zone: Option<ZoneMatch>,
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
    /// In the code table (county and higher, Demonstration-Zone towns); `false` for the
    /// towns of `towns.csv`.
    in_table: bool,
    /// The development zone of a town, when it belongs to one.
    zone: Option<u32>,
}

/// A development zone or functional area.
#[derive(Debug, Clone)]
struct Zone {
    m: ZoneMatch,
    /// County entities of the hosts.
    hosts: Vec<u32>,
    /// The city entity (when the hosts are unknown or in one city).
    city: Option<u32>,
}

/// A former prefecture (地区 or abolished prefecture-level city).
#[derive(Debug, Clone)]
struct Pref {
    code: String,
    name: String,
    valid_from: String,
    valid_to: String,
    /// `valid_to` as a number (0 when unknown).
    to_year: i32,
    /// The current prefecture city that continues it, if any.
    successor_city: Option<u32>,
    /// County entities of the current units that belonged to it.
    members: Vec<u32>,
    /// The province code (6 digits as a number).
    province: u32,
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
    Zone(u32),
    Pref(u32),
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
    /// Only when it is the whole text (a zone's statistics code).
    whole_only: bool,
}

/// The address parser: an index of every name, built on first use (so that loading the
/// engine for cases given by coordinates or codes costs nothing) and then shared.
#[derive(Debug, Clone)]
pub struct AddressIndex {
    codes: CodeTable,
    cell: std::sync::OnceLock<Index>,
}

/// The built index.
#[derive(Debug, Clone)]
struct Index {
    ents: Vec<Ent>,
    ent_by_code: HashMap<String, u32>,
    by_num: HashMap<u32, u32>,
    hists: Vec<Hist>,
    hist_by_code: HashMap<String, u32>,
    zones: Vec<Zone>,
    zone_by_code: HashMap<String, u32>,
    prefs: Vec<Pref>,
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
    /// The zone named, and the hit that named it.
    zone: Option<(u32, u32)>,
    /// The former prefecture named (context), and its hit.
    pref: Option<(u32, u32)>,
    /// A former prefecture sharing its name with the hit the units were read from
    /// (`巢湖市`): a later unit inside it switches to that reading.
    pref_alt: Option<(u32, u32)>,
    /// The filing year, when known.
    year: Option<i32>,
}

impl AddressIndex {
    /// The index of the code table and the embedded tables (historical names, towns, zones,
    /// former prefectures), built on first use.
    ///
    /// Rows of the embedded tables whose units are not in `codes` are skipped, so that a
    /// reduced code table still works.
    pub fn new(codes: &CodeTable) -> Self {
        AddressIndex {
            codes: codes.clone(),
            cell: std::sync::OnceLock::new(),
        }
    }

    /// Builds the index now from the code table and a historical-names CSV
    /// (`old_code,old_name,province_adcode,city_adcode,valid_from,valid_to,successor_codes,source`,
    /// successors separated by `|`). Every successor must be in `codes`, and the embedded
    /// towns, zones and former prefectures must load.
    pub fn with_history(codes: &CodeTable, history_csv: &str) -> Result<Self, AddressError> {
        let index = build::build(codes, history_csv, true)?;
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(index);
        Ok(AddressIndex {
            codes: codes.clone(),
            cell,
        })
    }

    fn index(&self) -> &Index {
        self.cell.get_or_init(|| {
            // Lenient mode fails only on a malformed embedded file (the tests load it
            // strictly); fall back to current names only.
            build::build(&self.codes, HISTORICAL_NAMES_CSV, false)
                .or_else(|_| build::build(&self.codes, build::EMPTY_HISTORY, false))
                .unwrap_or_else(|_| build::empty())
        })
    }

    /// The current successor codes of a former county-level code that is no longer in the
    /// code table (`310108` 闸北区 → `["310106"]`); `None` for current or unknown codes.
    pub fn historical_successors(&self, code: &str) -> Option<&[String]> {
        let ix = self.index();
        let h = ix.hist_by_code.get(code)?;
        ix.hists
            .get(*h as usize)
            .map(|h| h.successor_codes.as_slice())
    }

    /// The zone with this statistics code (`320576` 苏州工业园区), if any.
    pub fn zone_by_code(&self, code: &str) -> Option<&ZoneMatch> {
        let ix = self.index();
        let z = ix.zone_by_code.get(code)?;
        ix.zones.get(*z as usize).map(|z| &z.m)
    }

    /// Every development zone of the embedded table.
    pub fn zones(&self) -> impl Iterator<Item = &ZoneMatch> {
        self.index().zones.iter().map(|z| &z.m)
    }

    /// Parses one free-text address, reading names as they are used today.
    pub fn parse(&self, text: &str) -> AddressMatch {
        self.index().parse_dated(text, None)
    }

    /// Parses one free-text address filed in `year`: a name that was reused (`巢湖市`, the
    /// prefecture until 2011, now a county-level city) is read as it was used that year.
    pub fn parse_dated(&self, text: &str, year: Option<i32>) -> AddressMatch {
        self.index().parse_dated(text, year)
    }

    #[cfg(test)]
    fn built(&self) -> &Index {
        self.index()
    }
}

impl Index {
    fn ent(&self, i: u32) -> Option<&Ent> {
        self.ents.get(i as usize)
    }

    fn parse_dated(&self, text: &str, year: Option<i32>) -> AddressMatch {
        let mut chars: Vec<NChar> = Vec::with_capacity(text.len() / 2 + 4);
        text::normalize_into(text, &mut chars);
        if text::starts_outside(&chars) {
            // An address of another province (深圳市龙华区龙华街道…): its town and district
            // names say nothing about the region, whatever they share with it.
            return AddressMatch {
                unit: None,
                town: None,
                area: None,
                candidates: Vec::new(),
                matched: Vec::new(),
                status: AddressStatus::NotFound,
                zone: None,
            };
        }
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
        let mut st = State {
            year,
            ..State::default()
        };
        for (hi, hit) in hits.iter().enumerate() {
            let hi = u32::try_from(hi).unwrap_or(u32::MAX);
            self.apply_hit(&mut st, &chars, *hit, hi);
        }
        self.finish(text, &chars, &hits, st)
    }

    /// Whether county entity `u` lies inside the current context.
    fn in_context(&self, st: &State, u: &Ent) -> bool {
        st.prov.is_none_or(|p| u.province == p)
            && st.city.is_none_or(|c| u.city == c)
            && st.pref.is_none_or(|(p, _)| {
                self.prefs
                    .get(p as usize)
                    .is_some_and(|pr| pr.members.contains(&u.county))
            })
    }

    /// A former prefecture among `entries` whose reading comes first in `year` (filed
    /// before the name stopped meaning the prefecture, or in the year it changed).
    fn dated_pref(&self, entries: &[Entry], year: Option<i32>) -> Option<u32> {
        let y = year?;
        entries.iter().find_map(|e| match e.target {
            Target::Pref(p) => self
                .prefs
                .get(p as usize)
                .filter(|pr| pr.to_year > 0 && y <= pr.to_year)
                .map(|_| p),
            _ => None,
        })
    }

    /// Reads a hit as former prefecture `p` (the context for the units that follow).
    fn apply_pref(&self, st: &mut State, p: u32, hi: u32) -> bool {
        let Some(pr) = self.prefs.get(p as usize) else {
            return false;
        };
        if !st.units.is_empty() || st.prov.is_some_and(|x| x != pr.province) || st.pref.is_some() {
            return false;
        }
        st.prov = Some(pr.province);
        st.city = None;
        st.pref = Some((p, hi));
        true
    }

    /// With a former prefecture as context: the units of `entries` (any tier, former names
    /// included) that belonged to it.
    fn apply_in_pref(
        &self,
        st: &mut State,
        entries: &[Entry],
        hi: u32,
        usable: &dyn Fn(&Entry) -> bool,
    ) -> bool {
        let mut best: Option<u8> = None;
        for e in entries.iter().filter(|e| usable(e)) {
            let mut any = false;
            self.for_each_unit(e.target, |ent, _| {
                any |= self.ent(ent).is_some_and(|u| self.in_context(st, u));
            });
            if any {
                best = Some(best.map_or(e.tier, |b| b.min(e.tier)));
            }
        }
        let Some(tier) = best else { return false };
        let mut full = false;
        for e in entries.iter().filter(|e| usable(e) && e.tier == tier) {
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
                full |= !e.short;
                self.accept_entry(st, e.target, hi);
            }
        }
        st.strong = true;
        st.full = full;
        st.rejected.clear();
        true
    }

    /// Whether `entries` name a unit of former prefecture `p` other than the current units.
    fn names_other_member(
        &self,
        st: &State,
        p: u32,
        entries: &[Entry],
        usable: &dyn Fn(&Entry) -> bool,
    ) -> bool {
        let Some(pr) = self.prefs.get(p as usize) else {
            return false;
        };
        let mut found = false;
        for e in entries.iter().filter(|e| usable(e)) {
            if let Target::Ent(i) = e.target
                && self.ent(i).is_some_and(|x| x.level != AreaLevel::County)
            {
                continue;
            }
            self.for_each_unit(e.target, |ent, _| {
                if pr.members.contains(&ent) && !st.units.iter().any(|c| c.ent == ent) {
                    found = true;
                }
            });
        }
        found
    }

    fn apply_hit(&self, st: &mut State, chars: &[NChar], hit: Hit, hi: u32) {
        let Some(entries) = self.keys.get(hit.key as usize) else {
            return;
        };
        let end = (hit.start + hit.len) as usize;
        let street = text::street_follows(chars.get(end..).unwrap_or(&[]));
        let whole = hit.start == 0 && end == chars.len();
        let have_context = st.prov.is_some() || st.city.is_some() || !st.units.is_empty();
        let usable = |e: &Entry| {
            !((e.short && street)
                || (e.generic && !have_context && !whole)
                || (e.whole_only && !whole))
        };
        // A former prefecture named: a unit inside it, in any tier (淮阴市 + 淮安市 → the
        // former county-level 淮安市, now 淮安区).
        if st.pref.is_some() && st.units.is_empty() && self.apply_in_pref(st, entries, hi, &usable)
        {
            return;
        }
        // Units read from a name that was also a prefecture (巢湖市): a later unit of that
        // prefecture (庐江县) means the prefecture.
        if let Some((p, phit)) = st.pref_alt
            && !st.units.is_empty()
            && self.names_other_member(st, p, entries, &usable)
        {
            st.units.clear();
            st.full = false;
            st.town = None;
            st.zone = None;
            st.pref_alt = None;
            st.accepted.retain(|a| a.hit != phit);
            if self.apply_pref(st, p, phit) && self.apply_in_pref(st, entries, hi, &usable) {
                return;
            }
        }
        // Filed while a reused name still meant the prefecture: that reading first.
        if st.units.is_empty()
            && st.pref.is_none()
            && let Some(p) = self.dated_pref(entries, st.year)
            && self.apply_pref(st, p, hi)
        {
            return;
        }
        if self.try_apply(st, entries, hi, &usable) {
            if st.pref.is_none() && st.units.iter().any(|c| c.hit == hi) {
                st.pref_alt = entries.iter().find_map(|e| match e.target {
                    Target::Pref(p) => Some((p, hi)),
                    _ => None,
                });
            }
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
                    Target::Hist(_) | Target::Zone(_) => !st.full,
                    Target::Pref(_) => false,
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
            st.zone = None;
            st.pref_alt = None;
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
            Target::Zone(z) => {
                if let Some(zone) = self.zones.get(z as usize) {
                    for &h in &zone.hosts {
                        f(h, None);
                    }
                }
            }
            Target::Pref(_) => {}
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
            Target::Zone(z) => {
                let zone = self.zones.get(z as usize)?;
                if zone.hosts.is_empty() {
                    zone.city.map(|c| (c, None))
                } else {
                    None
                }
            }
            Target::Pref(_) => None,
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
            if let Target::Pref(p) = e.target {
                if self.apply_pref(st, p, hi) {
                    return true;
                }
                continue;
            }
            let Some((ai, hist)) = self.area_of(e.target) else {
                continue;
            };
            if let Target::Zone(z) = e.target
                && st.zone.is_none()
            {
                st.zone = Some((z, hi));
            }
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
            Target::Zone(z) => {
                if st.zone.is_none() {
                    st.zone = Some((z, hi));
                }
            }
            Target::Pref(_) => {}
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

    /// The answer of a parse from its final state: the unit (and town) when exactly one
    /// unit remains, else the candidates, the area or nothing; with the parts of the text
    /// read and the zone.
    fn finish(&self, text: &str, chars: &[NChar], hits: &[Hit], st: State) -> AddressMatch {
        let spans = Spans { text, chars, hits };
        let final_units: Vec<u32> = st.units.iter().map(|c| c.ent).collect();
        let zone_hit = self.zone_hit(&st, &final_units);
        let zone = zone_hit
            .map(|(z, _)| z)
            .or_else(|| self.town_zone(&st, &final_units))
            .and_then(|z| self.zones.get(z as usize))
            .map(|z| z.m.clone());
        let pref = st
            .pref
            .and_then(|(p, hi)| Some((self.prefs.get(p as usize)?, hi)));
        let mut matched = self.matched_areas(&spans, &st, &final_units);
        matched.extend(self.matched_zone(&spans, zone_hit));
        matched.extend(pref.map(|(pr, hi)| self.matched_pref(&spans, pr, hi)));
        matched.sort_by_key(|m| m.start);
        let pref_city = pref
            .and_then(|(pr, _)| pr.successor_city)
            .and_then(|c| self.ent(c))
            .map(|c| c.num);
        let area = match (st.city, pref_city, st.prov) {
            (Some(c), _, _) | (None, Some(c), _) => Some(c),
            (None, None, p) => p,
        }
        .map(|c| c.to_string());
        if let [only] = st.units.as_slice() {
            let unit = self.ent(only.ent).map(|e| e.code.clone());
            let town = st
                .town
                .and_then(|t| self.ent(t.ent))
                .filter(|t| t.county == only.ent && t.in_table)
                .map(|t| t.code.clone());
            return AddressMatch {
                unit,
                town,
                area: None,
                candidates: Vec::new(),
                matched,
                status: AddressStatus::Resolved,
                zone,
            };
        }
        let mut candidates = self.unit_candidates(&spans, &st, zone_hit, area.as_deref());
        // A former prefecture alone, continued by no current city: every unit it contained.
        if candidates.is_empty()
            && st.units.is_empty()
            && pref_city.is_none()
            && let Some((pr, hi)) = pref
        {
            candidates = self.pref_candidates(&spans, pr, hi);
        }
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
            zone,
        }
    }

    /// The zone named in the text and its hit, if it lies in the final units (or either is
    /// unknown).
    fn zone_hit(&self, st: &State, final_units: &[u32]) -> Option<(u32, u32)> {
        st.zone.filter(|(z, _)| {
            self.zones.get(*z as usize).is_some_and(|zone| {
                zone.hosts.is_empty()
                    || final_units.is_empty()
                    || final_units.iter().all(|u| zone.hosts.contains(u))
            })
        })
    }

    /// The zone of the town named, when the town lies in the one final unit.
    fn town_zone(&self, st: &State, final_units: &[u32]) -> Option<u32> {
        st.town
            .and_then(|t| self.ent(t.ent))
            .filter(|t| final_units.len() == 1 && final_units.contains(&t.county))
            .and_then(|t| t.zone)
    }

    /// The areas read, in the order accepted: provinces and cities, and the counties and
    /// towns of the final units.
    fn matched_areas(
        &self,
        spans: &Spans<'_>,
        st: &State,
        final_units: &[u32],
    ) -> Vec<MatchedPart> {
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
            let (t, start) = spans.part(a.hit);
            matched.push(MatchedPart {
                text: t,
                start,
                code: e.code.clone(),
                name: e.name.clone(),
                level: level_name(e.level).to_string(),
                historical: a.hist.and_then(|h| self.hist_use(h)),
            });
        }
        matched
    }

    /// The zone read (by its first statistics code, else its id).
    fn matched_zone(&self, spans: &Spans<'_>, zone_hit: Option<(u32, u32)>) -> Option<MatchedPart> {
        let (z, hi) = zone_hit?;
        let zone = self.zones.get(z as usize)?;
        let (t, start) = spans.part(hi);
        Some(MatchedPart {
            text: t,
            start,
            code: zone
                .m
                .stat_codes
                .first()
                .cloned()
                .unwrap_or_else(|| zone.m.id.clone()),
            name: zone.m.name.clone(),
            level: "zone".to_string(),
            historical: None,
        })
    }

    /// The former prefecture read at hit `hi`, as a historical use whose successors are
    /// its member units.
    fn matched_pref(&self, spans: &Spans<'_>, pr: &Pref, hi: u32) -> MatchedPart {
        let (t, start) = spans.part(hi);
        MatchedPart {
            text: t,
            start,
            code: pr.code.clone(),
            name: pr.name.clone(),
            level: "former_prefecture".to_string(),
            historical: Some(HistoricalUse {
                old_name: pr.name.clone(),
                old_code: pr.code.clone(),
                valid_from: Some(pr.valid_from.clone()).filter(|s| !s.is_empty()),
                valid_until: Some(pr.valid_to.clone()).filter(|s| !s.is_empty()),
                successors: pr
                    .members
                    .iter()
                    .filter_map(|m| self.ent(*m).map(|e| e.code.clone()))
                    .collect(),
            }),
        }
    }

    /// The candidates when several units remain, or, when none does, the units rejected
    /// (outside the area named, `area`), each with why it is one.
    fn unit_candidates(
        &self,
        spans: &Spans<'_>,
        st: &State,
        zone_hit: Option<(u32, u32)>,
        area: Option<&str>,
    ) -> Vec<AddressCandidate> {
        let (list, conflict) = if st.units.is_empty() {
            let ctx = area
                .and_then(|a| self.ent_by_code.get(a))
                .and_then(|i| self.ent(*i))
                .map(|e| e.name.clone());
            (&st.rejected, ctx)
        } else {
            (&st.units, None)
        };
        list.iter()
            .filter_map(|c| {
                let u = self.ent(c.ent)?;
                let (t, _) = spans.part(c.hit);
                let zone = zone_hit.and_then(|(z, h)| Some((self.zones.get(z as usize)?, h)));
                let why = match zone {
                    Some((zone, h)) if h == c.hit => {
                        let part = if zone.hosts.len() > 1 { "partly " } else { "" };
                        format!(
                            "`{t}` names the development zone {}, which lies {part}in {} ({}) in {}",
                            zone.m.name,
                            u.name,
                            u.code,
                            self.place_of(u)
                        )
                    }
                    _ => self.why(&t, c, conflict.as_deref()),
                };
                Some(AddressCandidate {
                    adcode: u.code.clone(),
                    name: u.name.clone(),
                    why,
                })
            })
            .collect()
    }

    /// Every current unit the former prefecture read at hit `hi` contained.
    fn pref_candidates(&self, spans: &Spans<'_>, pr: &Pref, hi: u32) -> Vec<AddressCandidate> {
        let (t, _) = spans.part(hi);
        pr.members
            .iter()
            .filter_map(|&m| self.ent(m))
            .map(|u| AddressCandidate {
                adcode: u.code.clone(),
                name: u.name.clone(),
                why: format!(
                    "`{t}` is the former prefecture {} ({}, until {}), which contained what is now {} ({}) in {}",
                    pr.name,
                    pr.code,
                    pr.valid_to,
                    u.name,
                    u.code,
                    self.place_of(u)
                ),
            })
            .collect()
    }
}

/// The text, its normalised characters and the hits of one parse.
struct Spans<'a> {
    text: &'a str,
    chars: &'a [NChar],
    hits: &'a [Hit],
}

impl Spans<'_> {
    /// The original text of hit `hi` and its offset in characters.
    fn part(&self, hi: u32) -> (String, usize) {
        let Some(h) = self.hits.get(hi as usize) else {
            return (String::new(), 0);
        };
        let first = self.chars.get(h.start as usize);
        let last = self.chars.get((h.start + h.len).saturating_sub(1) as usize);
        match (first, last) {
            (Some(f), Some(l)) => (
                self.text
                    .get(f.byte as usize..l.byte_end as usize)
                    .unwrap_or("")
                    .to_string(),
                f.pos as usize,
            ),
            _ => (String::new(), 0),
        }
    }
}

/// The `level` of a [`MatchedPart`] for an area level.
fn level_name(l: AreaLevel) -> &'static str {
    match l {
        AreaLevel::Province => "province",
        AreaLevel::City => "city",
        AreaLevel::County => "county",
        AreaLevel::Town => "town",
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
    /// The development zone named (with its host units), when one is.
    pub zone: Option<ZoneMatch>,
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
        zone: m.zone,
        geodata_version: geo.version().to_string(),
    }
}

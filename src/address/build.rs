//! Building the address index: names and short forms of every area, former names, trie.

use std::collections::{BTreeMap, HashMap};

use crate::spatial::{AreaLevel, CodeSystem, CodeTable};

use super::text::Trie;
use super::{AddressError, AddressIndex, Ent, Entry, Hist, Target};

/// Names that are generic words as much as place names: they count only once a province,
/// city or unit is named, or when they are the whole text.
const GENERIC_NAMES: &[&str] = &["郊区", "城区", "市区", "矿区"];

/// Short forms of units that are also common words (lakes, seas, rivers, river banks).
const GENERIC_UNIT_SHORT: &[&str] = &[
    "太湖", "东海", "滨海", "滨江", "滨湖", "南湖", "江北", "新北", "大通", "大观", "花山",
];

/// Short forms of Demonstration-Zone towns that are common words or names elsewhere.
const GENERIC_TOWN_SHORT: &[&str] = &[
    "华新", "惠民", "桃源", "白鹤", "大云", "江陵", "罗星", "夏阳", "七都",
];

/// Expected columns of the historical-names CSV.
const HIST_COLUMNS: &[&str] = &[
    "old_code",
    "old_name",
    "province_adcode",
    "city_adcode",
    "valid_from",
    "valid_to",
    "successor_codes",
    "source",
];

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Short forms of a county-level name: `(form, is_short)`.
fn unit_forms(name: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    if let Some(base) = name.strip_suffix("畲族自治县") {
        out.push((base.to_string(), true));
        out.push((format!("{base}县"), false));
        out.push((format!("{base}畲族县"), false));
    } else if let Some(base) = name.strip_suffix("自治县") {
        out.push((base.to_string(), true));
    } else if let Some(base) = name.strip_suffix("新区") {
        out.push((base.to_string(), true));
    } else if let Some(base) = name
        .strip_suffix('区')
        .or_else(|| name.strip_suffix('县'))
        .or_else(|| name.strip_suffix('市'))
        .or_else(|| name.strip_suffix('省'))
    {
        out.push((base.to_string(), true));
    }
    out.retain(|(f, _)| char_len(f) >= 2);
    out
}

fn town_forms(name: &str) -> Vec<(String, bool)> {
    let base = name
        .strip_suffix("街道")
        .or_else(|| name.strip_suffix('镇'))
        .or_else(|| name.strip_suffix('乡'));
    base.filter(|b| char_len(b) >= 2)
        .map(|b| vec![(b.to_string(), true)])
        .unwrap_or_default()
}

fn num(code: &str) -> u32 {
    code.parse().unwrap_or(0)
}

struct Keys {
    map: BTreeMap<String, Vec<Entry>>,
}

impl Keys {
    fn add(&mut self, key: &str, entry: Entry) {
        if char_len(key) < 2 {
            return;
        }
        self.map.entry(key.to_string()).or_default().push(entry);
    }
}

/// An index with nothing in it.
pub(super) fn empty() -> AddressIndex {
    AddressIndex {
        ents: Vec::new(),
        ent_by_code: HashMap::new(),
        by_num: HashMap::new(),
        hists: Vec::new(),
        hist_by_code: HashMap::new(),
        keys: Vec::new(),
        trie: Trie::new(),
    }
}

/// Builds the index. `strict`: every successor of the historical table must be in `codes`.
pub(super) fn build(
    codes: &CodeTable,
    history_csv: &str,
    strict: bool,
) -> Result<AddressIndex, AddressError> {
    let mut idx = empty();
    // Areas: MCA rows first so that a town named in both numberings reads as its MCA code.
    let mut areas: Vec<_> = codes.areas().iter().collect();
    areas.sort_by_key(|a| (a.system != CodeSystem::Mca, a.level));
    for a in &areas {
        if idx.ent_by_code.contains_key(&a.code) {
            continue;
        }
        let i = u32::try_from(idx.ents.len()).unwrap_or(u32::MAX);
        let (province, city) = match a.level {
            AreaLevel::Province => (num(&a.code), 0),
            AreaLevel::City => (num(&a.province), num(&a.code)),
            _ => (num(&a.province), num(&a.city)),
        };
        idx.by_num.insert(num(&a.code), i);
        idx.ents.push(Ent {
            num: num(&a.code),
            code: a.code.clone(),
            name: a.name.clone(),
            level: a.level,
            province,
            city,
            county: i,
        });
        idx.ent_by_code.insert(a.code.clone(), i);
    }
    // Towns point at their county entity.
    let parents: Vec<(usize, u32)> = areas
        .iter()
        .filter(|a| a.level == AreaLevel::Town)
        .filter_map(|a| {
            let ti = *idx.ent_by_code.get(&a.code)?;
            let ci = *idx.ent_by_code.get(&a.parent)?;
            Some((ti as usize, ci))
        })
        .collect();
    for (ti, ci) in parents {
        if let Some(t) = idx.ents.get_mut(ti) {
            t.county = ci;
        }
    }

    let mut keys = Keys {
        map: BTreeMap::new(),
    };
    let mut town_names: HashMap<(u32, String), ()> = HashMap::new();
    for a in &areas {
        let Some(&i) = idx.ent_by_code.get(&a.code) else {
            continue;
        };
        let target = Target::Ent(i);
        let generic_full = GENERIC_NAMES.contains(&a.name.as_str());
        match a.level {
            AreaLevel::Province | AreaLevel::City | AreaLevel::County => {
                keys.add(
                    &a.name,
                    Entry {
                        target,
                        tier: 0,
                        short: false,
                        generic: generic_full,
                    },
                );
                for (form, short) in unit_forms(&a.name) {
                    let generic = generic_full || GENERIC_UNIT_SHORT.contains(&form.as_str());
                    keys.add(
                        &form,
                        Entry {
                            target,
                            tier: u8::from(short),
                            short,
                            generic,
                        },
                    );
                }
            }
            AreaLevel::Town => {
                // Same name in the same county in both numberings: the first (MCA) wins.
                let county = idx.ents.get(i as usize).map_or(i, |e| e.county);
                // A code used by both numberings for different towns belongs to the MCA one.
                if idx.ents.get(i as usize).is_none_or(|e| e.name != a.name) {
                    continue;
                }
                if town_names.insert((county, a.name.clone()), ()).is_some() {
                    continue;
                }
                keys.add(
                    &a.name,
                    Entry {
                        target,
                        tier: 0,
                        short: false,
                        generic: false,
                    },
                );
                for (form, short) in town_forms(&a.name) {
                    let generic = GENERIC_TOWN_SHORT.contains(&form.as_str());
                    keys.add(
                        &form,
                        Entry {
                            target,
                            tier: 1,
                            short,
                            generic,
                        },
                    );
                }
            }
        }
    }

    load_history(&mut idx, codes, history_csv, strict, &mut keys)?;

    // Order each key's entries by tier, drop duplicates.
    for (key, mut entries) in keys.map {
        entries.sort_by_key(|e| e.tier);
        let hist_of = |e: &Entry| match e.target {
            Target::Hist(h) => idx.hists.get(h as usize),
            Target::Ent(_) => None,
        };
        let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
        for e in &entries {
            let dup = kept.iter().any(|k| k.target == e.target);
            // The same former name used by several records of one place (鄞县 332226 until
            // 1983, then 330227 until 2002): the name means the latest record; parts
            // transferred away while the name continued stopped carrying it.
            let superseded = hist_of(e).is_some_and(|h| {
                entries
                    .iter()
                    .filter(|o| o.tier == e.tier)
                    .filter_map(hist_of)
                    .any(|o| {
                        o.valid_to > h.valid_to
                            && o.successors.iter().any(|s| h.successors.contains(s))
                    })
            });
            let same_as_kept = hist_of(e).is_some_and(|h| {
                kept.iter()
                    .filter_map(hist_of)
                    .any(|k| k.successors == h.successors)
            });
            if !dup && !superseded && !same_as_kept {
                kept.push(*e);
            }
        }
        let k = u32::try_from(idx.keys.len()).unwrap_or(u32::MAX);
        idx.keys.push(kept);
        idx.trie.insert(&key, k);
    }
    Ok(idx)
}

fn load_history(
    idx: &mut AddressIndex,
    codes: &CodeTable,
    csv_text: &str,
    strict: bool,
    keys: &mut Keys,
) -> Result<(), AddressError> {
    let err = |line: usize, message: String| AddressError { line, message };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let headers = rdr.headers().map_err(|e| err(1, e.to_string()))?.clone();
    let mut cols = Vec::with_capacity(HIST_COLUMNS.len());
    for name in HIST_COLUMNS {
        let c = headers
            .iter()
            .position(|h| h.trim() == *name)
            .ok_or_else(|| err(1, format!("missing column `{name}`")))?;
        cols.push(c);
    }
    let col = |i: usize| cols.get(i).copied().unwrap_or(usize::MAX);
    // Rows sorted so that for a reused code the latest record wins `hist_by_code`.
    let mut rows: Vec<(usize, csv::StringRecord)> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| err(line, e.to_string()))?;
        rows.push((line, rec));
    }
    for (line, rec) in rows {
        let get = |c: usize| rec.get(col(c)).unwrap_or("").trim().to_string();
        let old_code = get(0);
        let old_name = get(1);
        if old_code.len() != 6 || !old_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(
                line,
                format!("old_code `{old_code}` is not a 6-digit code"),
            ));
        }
        if old_name.is_empty() {
            return Err(err(line, "empty old_name".to_string()));
        }
        let mut successors = Vec::new();
        let mut successor_codes = Vec::new();
        for s in get(6).split('|').map(str::trim).filter(|s| !s.is_empty()) {
            match idx.ent_by_code.get(s) {
                Some(&e)
                    if idx.ents.get(e as usize).is_some_and(|x| {
                        matches!(x.level, AreaLevel::County | AreaLevel::City)
                    }) =>
                {
                    successors.push(e);
                    successor_codes.push(s.to_string());
                }
                _ if strict => {
                    return Err(err(
                        line,
                        format!(
                            "successor `{s}` of {old_name} is not a city or county in the code table"
                        ),
                    ));
                }
                _ => {}
            }
        }
        if successors.is_empty() {
            if strict {
                return Err(err(
                    line,
                    format!("{old_name} ({old_code}) has no successor"),
                ));
            }
            continue;
        }
        let h = u32::try_from(idx.hists.len()).unwrap_or(u32::MAX);
        let valid_to = get(5);
        idx.hists.push(Hist {
            old_code: old_code.clone(),
            old_name: old_name.clone(),
            valid_from: get(4),
            valid_to: valid_to.clone(),
            successors,
            successor_codes,
        });
        if codes.get(&old_code).is_none() {
            let newer = match idx
                .hist_by_code
                .get(&old_code)
                .and_then(|&p| idx.hists.get(p as usize))
            {
                Some(prev) => prev.valid_to <= valid_to,
                None => true,
            };
            if newer {
                idx.hist_by_code.insert(old_code.clone(), h);
            }
        }
        let target = Target::Hist(h);
        let generic = GENERIC_NAMES.contains(&old_name.as_str());
        keys.add(
            &old_name,
            Entry {
                target,
                tier: 2,
                short: false,
                generic,
            },
        );
        for (form, short) in unit_forms(&old_name) {
            let generic = generic || GENERIC_UNIT_SHORT.contains(&form.as_str());
            keys.add(
                &form,
                Entry {
                    target,
                    tier: if short { 3 } else { 2 },
                    short,
                    generic,
                },
            );
        }
    }
    Ok(())
}

/// A historical-names CSV with the header only.
pub(super) const EMPTY_HISTORY: &str =
    "old_code,old_name,province_adcode,city_adcode,valid_from,valid_to,successor_codes,source\n";

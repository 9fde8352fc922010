//! Building the address index: names and short forms of every area, former names, trie.

use std::collections::HashMap;

use crate::spatial::{Area, AreaLevel, CodeSystem, CodeTable};

use super::text::Trie;
use super::{AddressError, Ent, Entry, Hist, Index, Pref, Target, Zone, ZoneMatch};

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

/// The keys being collected: each key is inserted into the trie once, its node's value is
/// the key's index into `entries`.
struct Keys {
    trie: Trie,
    entries: Vec<Vec<Entry>>,
}

impl Keys {
    fn add(&mut self, key: &str, entry: Entry) {
        if char_len(key) < 2 {
            return;
        }
        let next = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        let k = self.trie.value_or_insert(key, next);
        match self.entries.get_mut(k as usize) {
            Some(v) => v.push(entry),
            None => self.entries.push(vec![entry]),
        }
    }
}

/// An index with nothing in it.
pub(super) fn empty() -> Index {
    Index {
        ents: Vec::new(),
        ent_by_code: HashMap::new(),
        by_num: HashMap::new(),
        hists: Vec::new(),
        hist_by_code: HashMap::new(),
        zones: Vec::new(),
        zone_by_code: HashMap::new(),
        prefs: Vec::new(),
        keys: Vec::new(),
        trie: Trie::new(),
    }
}

/// A meaning of a key: `target` at `tier`, not a short form, not generic, anywhere in the
/// text.
fn entry(target: Target, tier: u8) -> Entry {
    Entry {
        target,
        tier,
        short: false,
        generic: false,
        whole_only: false,
    }
}

/// Adds a unit-level name at `tier` and its short forms (at `tier + 1` when short); the
/// forms that are common words are generic, and all are when `generic` is.
fn add_unit_names(keys: &mut Keys, name: &str, target: Target, tier: u8, generic: bool) {
    keys.add(
        name,
        Entry {
            generic,
            ..entry(target, tier)
        },
    );
    for (form, short) in unit_forms(name) {
        let generic = generic || GENERIC_UNIT_SHORT.contains(&form.as_str());
        keys.add(
            &form,
            Entry {
                short,
                generic,
                ..entry(target, tier + u8::from(short))
            },
        );
    }
}

/// Builds the index. `strict`: every successor of the historical table must be in `codes`.
pub(super) fn build(
    codes: &CodeTable,
    history_csv: &str,
    strict: bool,
) -> Result<Index, AddressError> {
    let mut idx = empty();
    let areas = add_areas(&mut idx, codes);
    let mut trie = Trie::new();
    trie.reserve(64 * 1024);
    let mut keys = Keys {
        trie,
        entries: Vec::with_capacity(16 * 1024),
    };
    let mut town_names = add_area_names(&idx, &areas, &mut keys);
    load_history(&mut idx, codes, history_csv, strict, &mut keys)?;
    let by_nbs_county = load_towns(&mut idx, TOWNS, strict, &mut keys, &mut town_names)?;
    load_zones(&mut idx, ZONES, strict, &mut keys, &by_nbs_county)?;
    load_prefs(&mut idx, PREFS, strict, &mut keys)?;
    settle_keys(&mut idx, keys);
    Ok(idx)
}

/// An entity for every area of the code table, towns pointing at their county; returns
/// the areas in entity order (MCA rows first, so that a town named in both numberings
/// reads as its MCA code).
fn add_areas<'a>(idx: &mut Index, codes: &'a CodeTable) -> Vec<&'a Area> {
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
            in_table: true,
            zone: None,
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
    areas
}

/// The keys of the code table's names and short forms; returns the (county, name) of
/// every town keyed, so that a later table does not add the same town again.
fn add_area_names(idx: &Index, areas: &[&Area], keys: &mut Keys) -> HashMap<(u32, String), ()> {
    let mut town_names: HashMap<(u32, String), ()> = HashMap::new();
    for a in areas {
        let Some(&i) = idx.ent_by_code.get(&a.code) else {
            continue;
        };
        let target = Target::Ent(i);
        match a.level {
            AreaLevel::Province | AreaLevel::City | AreaLevel::County => {
                let generic = GENERIC_NAMES.contains(&a.name.as_str());
                add_unit_names(keys, &a.name, target, 0, generic);
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
                keys.add(&a.name, entry(target, 0));
                for (form, short) in town_forms(&a.name) {
                    let generic = GENERIC_TOWN_SHORT.contains(&form.as_str());
                    keys.add(
                        &form,
                        Entry {
                            short,
                            generic,
                            ..entry(target, 1)
                        },
                    );
                }
            }
        }
    }
    town_names
}

/// Moves the keys into the index, each key's entries ordered by tier without duplicates
/// (the key numbers stay).
fn settle_keys(idx: &mut Index, keys: Keys) {
    idx.keys.reserve(keys.entries.len());
    for mut entries in keys.entries {
        entries.sort_by_key(|e| e.tier);
        let kept = kept_entries(&idx.hists, &entries);
        idx.keys.push(kept);
    }
    idx.trie = keys.trie;
}

/// The entries of one key (sorted by tier) that stay: the first of each target, and of the
/// former names neither a superseded record nor one meaning the same as an entry kept.
fn kept_entries(hists: &[Hist], entries: &[Entry]) -> Vec<Entry> {
    let hist_of = |e: &Entry| match e.target {
        Target::Hist(h) => hists.get(h as usize),
        Target::Ent(_) | Target::Zone(_) | Target::Pref(_) => None,
    };
    let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
    for e in entries {
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
                    o.valid_to > h.valid_to && o.successors.iter().any(|s| h.successors.contains(s))
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
    kept
}

fn load_history(
    idx: &mut Index,
    codes: &CodeTable,
    csv_text: &str,
    strict: bool,
    keys: &mut Keys,
) -> Result<(), AddressError> {
    let err = |line: usize, message: String| AddressError {
        table: "historical-names",
        line,
        message,
    };
    // Rows in file order, so that for a reused code the latest record wins `hist_by_code`.
    for (line, values) in read_table("historical-names", csv_text, HIST_COLUMNS)? {
        let get = |c: usize| values.get(c).cloned().unwrap_or_default();
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
        let generic = GENERIC_NAMES.contains(&old_name.as_str());
        add_unit_names(keys, &old_name, Target::Hist(h), 2, generic);
    }
    Ok(())
}

/// A historical-names CSV with the header only.
pub(super) const EMPTY_HISTORY: &str =
    "old_code,old_name,province_adcode,city_adcode,valid_from,valid_to,successor_codes,source\n";

/// The embedded towns, zones and former prefectures (replaced in the tests of these loaders).
const TOWNS: &str = super::TOWNS_CSV;
const ZONES: &str = super::ZONES_CSV;
const PREFS: &str = super::FORMER_PREFECTURES_CSV;

/// Short forms of towns (`towns.csv`) that are common words or street names: never a place.
const COMMON_TOWN_SHORT: &[&str] = &[
    "城关",
    "城东",
    "城西",
    "城南",
    "城北",
    "城中",
    "城厢",
    "新城",
    "新华",
    "新民",
    "新建",
    "新兴",
    "人民",
    "解放",
    "中山",
    "东方",
    "长江",
    "开发",
    "工业",
    "经济",
    "高新",
    "中心",
    "园区",
    "江南",
    "江北",
    "江东",
    "江西",
    "河东",
    "河西",
    "湖东",
    "湖西",
    "湖南",
    "湖北",
    "山东",
    "山西",
    "东风",
    "红星",
    "和平",
    "胜利",
    "光明",
    "幸福",
    "友谊",
    "团结",
    "建设",
    "文化",
    "朝阳",
    "向阳",
    "太平",
    "永安",
    "长安",
    "安定",
    "大桥",
    "东门",
    "西门",
    "南门",
    "北门",
    "东关",
    "西关",
    "南关",
    "北关",
    "车站",
    "火车站",
    "农场",
    "林场",
    "盐场",
    "港口",
    "码头",
    "市区",
    "城区",
    "郊区",
    "开发区",
    "新区",
    "老城",
    "古城",
    "滨江",
    "滨湖",
    "滨海",
    "临港",
    "环城",
    "中华",
    "华侨",
    "兴业",
    "大学城",
    "科技城",
];

/// Reads a CSV table into rows keyed by column name: `(line, values)`.
fn read_table(
    table: &'static str,
    text: &str,
    columns: &[&str],
) -> Result<Vec<(usize, Vec<String>)>, AddressError> {
    let err = |line: usize, message: String| AddressError {
        table,
        line,
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| err(1, e.to_string()))?.clone();
    let mut cols = Vec::with_capacity(columns.len());
    for name in columns {
        let c = headers
            .iter()
            .position(|h| h.trim() == *name)
            .ok_or_else(|| err(1, format!("missing column `{name}`")))?;
        cols.push(c);
    }
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| err(line, e.to_string()))?;
        out.push((
            line,
            cols.iter()
                .map(|&c| rec.get(c).unwrap_or("").trim().to_string())
                .collect(),
        ));
    }
    Ok(out)
}

fn field<S: AsRef<str>>(row: &[S], i: usize) -> &str {
    row.get(i).map_or("", AsRef::as_ref)
}

/// Reads a CSV table without quoted fields (commas only separate) into borrowed rows:
/// several times faster than the general reader for the 4,876 rows of `towns.csv`.
fn read_plain_table<'a>(
    table: &'static str,
    text: &'a str,
    columns: &[&str],
) -> Result<Vec<(usize, Vec<&'a str>)>, AddressError> {
    let err = |line: usize, message: String| AddressError {
        table,
        line,
        message,
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    let mut cols = Vec::with_capacity(columns.len());
    for name in columns {
        let c = header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| err(1, format!("missing column `{name}`")))?;
        cols.push(c);
    }
    let mut out = Vec::with_capacity(text.len() / 64);
    let mut fields: Vec<&str> = Vec::with_capacity(header.len());
    for (i, l) in lines.enumerate() {
        let line = i + 2;
        if l.contains('"') {
            return Err(err(
                line,
                "quoted fields are not supported here".to_string(),
            ));
        }
        fields.clear();
        fields.extend(l.split(',').map(str::trim));
        if fields.len() != header.len() {
            return Err(err(
                line,
                format!("{} fields, expected {}", fields.len(), header.len()),
            ));
        }
        out.push((
            line,
            cols.iter()
                .map(|&c| fields.get(c).copied().unwrap_or(""))
                .collect(),
        ));
    }
    Ok(out)
}

/// Every town and street of `towns.csv` whose county is in the index and has no towns from
/// the code table (the Demonstration Zone counties keep their table towns).
fn load_towns(
    idx: &mut Index,
    csv_text: &str,
    strict: bool,
    keys: &mut Keys,
    town_names: &mut HashMap<(u32, String), ()>,
) -> Result<HashMap<String, Vec<u32>>, AddressError> {
    const COLS: &[&str] = &[
        "code",
        "name",
        "county_code",
        "kind",
        "former_names",
        "nbs_county_code",
    ];
    // Town entities by their NBS county-level code (a zone's statistics code).
    let mut by_nbs_county: HashMap<String, Vec<u32>> = HashMap::new();
    let rows = match read_plain_table("towns", csv_text, COLS) {
        Ok(r) => r,
        Err(e) if strict => return Err(e),
        Err(_) => return Ok(by_nbs_county),
    };
    let common: std::collections::HashSet<&str> = COMMON_TOWN_SHORT.iter().copied().collect();
    let with_table_towns: std::collections::HashSet<u32> = idx
        .ents
        .iter()
        .filter(|e| e.level == AreaLevel::Town)
        .map(|e| e.county)
        .collect();
    for (line, row) in rows {
        let (code, name, county, kind) = (
            field(&row, 0),
            field(&row, 1),
            field(&row, 2),
            field(&row, 3),
        );
        if code.len() != 9 || !code.bytes().all(|b| b.is_ascii_digit()) || name.is_empty() {
            if strict {
                return Err(AddressError {
                    table: "towns",
                    line,
                    message: format!("`{code}` `{name}` is not a 9-digit code with a name"),
                });
            }
            continue;
        }
        let Some(ci) = town_county(idx, county, &with_table_towns) else {
            continue;
        };
        if town_names.insert((ci, name.to_string()), ()).is_some() {
            continue;
        }
        let i = add_town(idx, code, name, ci);
        let nbs_county = field(&row, 5);
        if !nbs_county.is_empty() && nbs_county != county {
            by_nbs_county
                .entry(nbs_county.to_string())
                .or_default()
                .push(i);
        }
        add_town_names(keys, Target::Ent(i), name, kind, field(&row, 4), &common);
    }
    Ok(by_nbs_county)
}

/// The county entity a `towns.csv` row hangs from: a known county-level unit without towns
/// from the code table (`None` for a zone unit whose host is unknown).
fn town_county(
    idx: &Index,
    county: &str,
    with_table_towns: &std::collections::HashSet<u32>,
) -> Option<u32> {
    let &ci = idx.ent_by_code.get(county)?;
    let c = idx.ents.get(ci as usize)?;
    (c.level == AreaLevel::County && !with_table_towns.contains(&ci)).then_some(ci)
}

/// Adds the entity of a town of `towns.csv` in county `ci`; returns its number.
fn add_town(idx: &mut Index, code: &str, name: &str, ci: u32) -> u32 {
    let i = u32::try_from(idx.ents.len()).unwrap_or(u32::MAX);
    let (province, city) = idx
        .ents
        .get(ci as usize)
        .map_or((0, 0), |c| (c.province, c.city));
    idx.ents.push(Ent {
        num: num(code),
        code: code.to_string(),
        name: name.to_string(),
        level: AreaLevel::Town,
        province,
        city,
        county: ci,
        in_table: false,
        zone: None,
    });
    if !idx.ent_by_code.contains_key(code) {
        idx.ent_by_code.insert(code.to_string(), i);
    }
    i
}

/// The keys of a town of `towns.csv`: its name (unless a generic development-zone word),
/// its former names (`|`-separated) and its short forms that are neither street-like nor
/// common.
fn add_town_names(
    keys: &mut Keys,
    target: Target,
    name: &str,
    kind: &str,
    former_names: &str,
    common: &std::collections::HashSet<&str>,
) {
    // A development-zone unit named only by a generic word (经济开发区, 工业园区管委会,
    // 高新技术开发区) is not indexed: `镇江市经济开发区` is the city's zone, not the
    // unit of that name in 扬中市.
    let generic = kind == "other" && name.chars().take(2).any(|ch| "经开工高管农林".contains(ch));
    if !generic {
        keys.add(name, entry(target, 0));
    }
    for former in former_names.split('|').filter(|f| !f.is_empty()) {
        keys.add(former, entry(target, 2));
    }
    for (form, _) in town_forms(name) {
        let streetlike = form.ends_with(['路', '街', '巷', '弄', '道', '桥', '村', '场']);
        if streetlike || common.contains(form.as_str()) {
            continue;
        }
        keys.add(
            &form,
            Entry {
                short: true,
                generic: true,
                ..entry(target, 4)
            },
        );
    }
}

/// The development zones of `zones.csv`: names, variants and statistics codes as keys; hosts
/// and towns resolved against the index.
fn load_zones(
    idx: &mut Index,
    csv_text: &str,
    strict: bool,
    keys: &mut Keys,
    by_nbs_county: &HashMap<String, Vec<u32>>,
) -> Result<(), AddressError> {
    const COLS: &[&str] = &[
        "id",
        "name_zh",
        "name_en",
        "variants",
        "stat_codes",
        "host_units",
        "towns",
        "confidence",
        "source_url",
    ];
    let rows = match read_table("zones", csv_text, COLS) {
        Ok(r) => r,
        Err(e) if strict => return Err(e),
        Err(_) => return Ok(()),
    };
    for (line, row) in rows {
        let name = field(&row, 1).to_string();
        let stat_codes = bar_list(field(&row, 4));
        let host_codes = bar_list(field(&row, 5));
        let hosts = zone_hosts(idx, &host_codes, strict, line, &name)?;
        let city_code = host_codes
            .first()
            .or(stat_codes.first())
            .map(|c| match c.get(..2) {
                Some("31") => "310000".to_string(),
                _ => format!("{}00", c.get(..4).unwrap_or("")),
            });
        let city = city_code.and_then(|c| idx.ent_by_code.get(&c).copied());
        let z = u32::try_from(idx.zones.len()).unwrap_or(u32::MAX);
        mark_zone_towns(
            idx,
            z,
            &bar_list(field(&row, 6)),
            &stat_codes,
            by_nbs_county,
        );
        let city_name = city
            .and_then(|c| idx.ents.get(c as usize))
            .filter(|c| c.level == AreaLevel::City)
            .map(|c| c.name.clone());
        add_zone_names(
            keys,
            Target::Zone(z),
            &name,
            &bar_list(field(&row, 3)),
            city_name.as_deref(),
        );
        for c in &stat_codes {
            idx.zone_by_code.insert(c.clone(), z);
            keys.add(
                c,
                Entry {
                    whole_only: true,
                    ..entry(Target::Zone(z), 0)
                },
            );
        }
        idx.zones.push(Zone {
            m: ZoneMatch {
                id: field(&row, 0).to_string(),
                name,
                name_en: field(&row, 2).to_string(),
                stat_codes,
                hosts: host_codes
                    .iter()
                    .filter(|h| idx.ent_by_code.contains_key(*h))
                    .cloned()
                    .collect(),
                confidence: field(&row, 7).to_string(),
                source_url: field(&row, 8).to_string(),
            },
            hosts,
            city,
        });
    }
    Ok(())
}

/// The non-empty trimmed items of a `|`-separated field.
fn bar_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// The county entities of a zone's hosts (line `line` of `zones.csv`, zone `name`); an
/// unknown or not county-level host is an error when `strict`, else skipped.
fn zone_hosts(
    idx: &Index,
    host_codes: &[String],
    strict: bool,
    line: usize,
    name: &str,
) -> Result<Vec<u32>, AddressError> {
    let mut hosts = Vec::new();
    for h in host_codes {
        match idx.ent_by_code.get(h) {
            Some(&e)
                if idx
                    .ents
                    .get(e as usize)
                    .is_some_and(|x| x.level == AreaLevel::County) =>
            {
                hosts.push(e)
            }
            _ if strict => {
                return Err(AddressError {
                    table: "zones",
                    line,
                    message: format!("host `{h}` of {name} is not a county-level unit"),
                });
            }
            _ => {}
        }
    }
    Ok(hosts)
}

/// Puts zone `z` on the towns it lists and on the towns numbered under its statistics
/// codes (those not in another zone already).
fn mark_zone_towns(
    idx: &mut Index,
    z: u32,
    towns: &[String],
    stat_codes: &[String],
    by_nbs_county: &HashMap<String, Vec<u32>>,
) {
    for t in towns {
        if let Some(&ti) = idx.ent_by_code.get(t)
            && let Some(te) = idx.ents.get_mut(ti as usize)
            && te.level == AreaLevel::Town
        {
            te.zone = Some(z);
        }
    }
    // Towns numbered under the zone's statistics code.
    for c in stat_codes {
        for &ti in by_nbs_county.get(c).map_or(&[][..], Vec::as_slice) {
            if let Some(te) = idx.ents.get_mut(ti as usize)
                && te.zone.is_none()
            {
                te.zone = Some(z);
            }
        }
    }
}

/// The keys of a zone's name and variants, each also with its city written in full
/// (苏州工业园区 → 苏州市工业园区, `city_name` the city's full name) and an ASCII variant
/// also in lower case.
fn add_zone_names(
    keys: &mut Keys,
    target: Target,
    name: &str,
    variants: &[String],
    city_name: Option<&str>,
) {
    let full = entry(target, 0);
    let with_city = |v: &str| -> Option<String> {
        let full_city = city_name?;
        let short = full_city.strip_suffix('市')?;
        let rest = v.strip_prefix(short)?;
        (!rest.starts_with('市') && !rest.is_empty()).then(|| format!("{full_city}{rest}"))
    };
    keys.add(name, full);
    if let Some(v) = with_city(name) {
        keys.add(&v, full);
    }
    for v in variants {
        keys.add(v, full);
        if let Some(w) = with_city(v) {
            keys.add(&w, full);
        }
        if v.is_ascii() {
            keys.add(&v.to_lowercase(), full);
        }
    }
}

/// The former prefectures of `former-prefectures.csv`, keyed by their full names.
fn load_prefs(
    idx: &mut Index,
    csv_text: &str,
    strict: bool,
    keys: &mut Keys,
) -> Result<(), AddressError> {
    const COLS: &[&str] = &[
        "old_code",
        "old_name",
        "valid_from",
        "valid_to",
        "successor_city",
        "member_codes",
    ];
    let rows = match read_table("former-prefectures", csv_text, COLS) {
        Ok(r) => r,
        Err(e) if strict => return Err(e),
        Err(_) => return Ok(()),
    };
    for (_line, row) in rows {
        let code = field(&row, 0).to_string();
        let name = field(&row, 1).to_string();
        let members: Vec<u32> = field(&row, 5)
            .split('|')
            .filter_map(|m| idx.ent_by_code.get(m).copied())
            .filter(|&e| {
                idx.ents
                    .get(e as usize)
                    .is_some_and(|x| x.level == AreaLevel::County)
            })
            .collect();
        if members.is_empty() || name.is_empty() {
            continue;
        }
        let successor_city = idx.ent_by_code.get(field(&row, 4)).copied().filter(|&e| {
            idx.ents
                .get(e as usize)
                .is_some_and(|x| x.level == AreaLevel::City)
        });
        let p = u32::try_from(idx.prefs.len()).unwrap_or(u32::MAX);
        let valid_to = field(&row, 3).to_string();
        idx.prefs.push(Pref {
            province: num(&format!("{}0000", code.get(..2).unwrap_or(""))),
            code,
            name: name.clone(),
            valid_from: field(&row, 2).to_string(),
            to_year: valid_to.parse().unwrap_or(0),
            valid_to,
            successor_city,
            members,
        });
        keys.add(&name, entry(Target::Pref(p), 2));
    }
    Ok(())
}

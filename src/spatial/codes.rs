//! The administrative code table: provinces, prefecture cities, county-level units and the
//! towns of the Demonstration Zone, with their official Chinese names and English names.
//!
//! Owns code parsing and code lookup ("did you mean" included). Knows nothing about
//! polygons, rules or courts.

use std::collections::BTreeMap;

/// The level of an administrative area in the code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// A province or province-level municipality (上海市).
    Province,
    /// A prefecture-level city (苏州市).
    City,
    /// A county-level unit: district, county-level city, county or autonomous county.
    County,
    /// A town or sub-district (街道) of the Demonstration Zone.
    Town,
}

/// The numbering system a town code comes from. County and higher codes are the same in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeSystem {
    /// Ministry of Civil Affairs, 中国·国家地名信息库.
    Mca,
    /// National Bureau of Statistics statistical division codes (统计用区划代码).
    Nbs,
}

/// One row of the code table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Area {
    /// The administrative code: 6 digits for province, city and county, 9 for towns.
    pub code: String,
    /// Official Chinese name, e.g. `青浦区`.
    pub name: String,
    /// English name (pinyin), when the code table carries one.
    pub name_en: Option<String>,
    /// Level of the area.
    pub level: AreaLevel,
    /// The finer kind as written in the table (`district`, `county_city`, `town_pilot`, …).
    pub kind: String,
    /// Parent code (the city for a county, the county for a town); empty for provinces.
    pub parent: String,
    /// The province code.
    pub province: String,
    /// The prefecture-city code; for Shanghai districts this is `310000`.
    pub city: String,
    /// Which numbering system the code belongs to (matters for towns only).
    pub system: CodeSystem,
    /// Provenance of the row.
    pub source: String,
}

impl Area {
    /// Whether this is one of the five pilot towns (先行启动区) of the Demonstration Zone.
    pub fn is_pilot_town(&self) -> bool {
        self.kind == "town_pilot"
    }
}

/// An error while reading the code table.
#[derive(Debug, thiserror::Error)]
#[error("in code table line {line}: {message}")]
pub struct CodeTableError {
    line: usize,
    message: String,
}

impl CodeTableError {
    /// The 1-based line of the CSV file.
    pub fn line(&self) -> usize {
        self.line
    }
}

/// The code table, indexed by code.
#[derive(Debug, Clone, Default)]
pub struct CodeTable {
    areas: Vec<Area>,
    by_code: BTreeMap<String, Vec<usize>>,
}

impl CodeTable {
    /// Parses the code table CSV (`adcode,name,level,parent_adcode,province_adcode,city_adcode,source`
    /// with optional `name_en` and `code_system` columns).
    pub fn from_csv(text: &str) -> Result<Self, CodeTableError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| CodeTableError {
                line: 1,
                message: e.to_string(),
            })?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let need = |name: &str| {
            col(name).ok_or_else(|| CodeTableError {
                line: 1,
                message: format!("missing column `{name}`"),
            })
        };
        let (c_code, c_name, c_level) = (need("adcode")?, need("name")?, need("level")?);
        let (c_parent, c_prov, c_city) = (
            need("parent_adcode")?,
            need("province_adcode")?,
            need("city_adcode")?,
        );
        let c_source = col("source");
        let c_en = col("name_en");
        let c_sys = col("code_system");
        let mut table = CodeTable::default();
        for (i, rec) in rdr.records().enumerate() {
            let line = i + 2;
            let rec = rec.map_err(|e| CodeTableError {
                line,
                message: e.to_string(),
            })?;
            let get = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
            let kind = get(c_level);
            let level = match kind.as_str() {
                "province" => AreaLevel::Province,
                "city" | "prefecture" | "prefecture_city" => AreaLevel::City,
                "district" | "county_city" | "county" | "autonomous_county" => AreaLevel::County,
                "town" | "town_pilot" | "subdistrict" => AreaLevel::Town,
                other => {
                    return Err(CodeTableError {
                        line,
                        message: format!("unknown level `{other}`"),
                    });
                }
            };
            let code = get(c_code);
            let expected_len = if level == AreaLevel::Town { 9 } else { 6 };
            if code.len() != expected_len || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(CodeTableError {
                    line,
                    message: format!("code `{code}` is not a {expected_len}-digit code"),
                });
            }
            let system = match c_sys.map(get).as_deref() {
                Some("nbs") => CodeSystem::Nbs,
                Some("mca") | Some("") | None => CodeSystem::Mca,
                Some(other) => {
                    return Err(CodeTableError {
                        line,
                        message: format!("unknown code system `{other}` (expected `mca` or `nbs`)"),
                    });
                }
            };
            let name_en = c_en.map(get).filter(|s| !s.is_empty());
            table.push(Area {
                code,
                name: get(c_name),
                name_en,
                level,
                kind,
                parent: get(c_parent),
                province: get(c_prov),
                city: get(c_city),
                system,
                source: c_source.map(get).unwrap_or_default(),
            });
        }
        Ok(table)
    }

    fn push(&mut self, area: Area) {
        self.by_code
            .entry(area.code.clone())
            .or_default()
            .push(self.areas.len());
        self.areas.push(area);
    }

    /// Every area, in file order.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// All areas with this code (more than one only for a town code that means different
    /// towns in the MCA and NBS numberings, such as `330421111`).
    pub fn get_all(&self, code: &str) -> Vec<&Area> {
        self.by_code
            .get(code)
            .map(|ix| ix.iter().filter_map(|&i| self.areas.get(i)).collect())
            .unwrap_or_default()
    }

    /// The single area with this code, preferring the MCA row when both systems use it.
    pub fn get(&self, code: &str) -> Option<&Area> {
        let all = self.get_all(code);
        all.iter()
            .find(|a| a.system == CodeSystem::Mca)
            .or_else(|| all.first())
            .copied()
    }

    /// The county-level units, in code order.
    pub fn counties(&self) -> impl Iterator<Item = &Area> {
        self.by_code
            .values()
            .flatten()
            .filter_map(|&i| self.areas.get(i))
            .filter(|a| a.level == AreaLevel::County)
    }

    /// Whether `unit` (a county code) lies inside `area` (a province, city or county code).
    pub fn contains(&self, area: &str, unit: &str) -> bool {
        if area == unit {
            return true;
        }
        match self.get(unit) {
            Some(u) => u.city == area || u.province == area || u.parent == area,
            None => false,
        }
    }

    /// Up to `n` known codes closest to `code` (by edit distance on digits, then shared
    /// prefix), for "did you mean" hints.
    pub fn nearest_codes(&self, code: &str, n: usize) -> Vec<&Area> {
        let mut scored: Vec<(usize, usize, &Area)> = self
            .areas
            .iter()
            .filter(|a| a.code.len() == code.len() || code.len() < 6)
            .map(|a| {
                let d = crate::diagnostics::levenshtein(code, &a.code);
                let prefix = code
                    .bytes()
                    .zip(a.code.bytes())
                    .take_while(|(x, y)| x == y)
                    .count();
                (d, usize::MAX - prefix, a)
            })
            .collect();
        scored.sort_by(|x, y| (x.0, x.1, &x.2.code).cmp(&(y.0, y.1, &y.2.code)));
        scored.into_iter().take(n).map(|(_, _, a)| a).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "adcode,name,level,parent_adcode,province_adcode,city_adcode,source\n\
        320000,江苏省,province,,320000,,t\n\
        320500,苏州市,prefecture_city,320000,320000,320500,t\n\
        320509,吴江区,district,320500,320000,320500,t\n";

    #[test]
    fn parses_and_indexes() {
        let t = CodeTable::from_csv(CSV).unwrap();
        assert_eq!(t.get("320509").unwrap().name, "吴江区");
        assert!(t.contains("320500", "320509"));
        assert!(t.contains("320000", "320509"));
        assert!(!t.contains("310000", "320509"));
        assert_eq!(t.counties().count(), 1);
    }

    #[test]
    fn bad_level_names_the_line() {
        let bad = format!("{CSV}320510,x,planet,320500,320000,320500,t\n");
        let err = CodeTable::from_csv(&bad).unwrap_err();
        assert_eq!(err.line(), 5);
        assert!(err.to_string().contains("unknown level `planet`"));
    }

    #[test]
    fn nearest_codes_prefers_close_digits() {
        let t = CodeTable::from_csv(CSV).unwrap();
        let near = t.nearest_codes("320519", 1);
        assert_eq!(near[0].code, "320509");
    }
}

//! `ecojuris locate --address`: an address to its county-level unit, with the same JSON shape
//! as a point lookup (`unit` or null, `candidates`) plus `matched`.

use std::fmt::Write as _;

use super::args::{Format, Lang};
use super::{Cli, CliError, Outcome, out, to_json};
use crate::address::{
    AddressIndex, AddressLocation, AddressStatus, MatchedPart, ZoneMatch, resolve,
};
use crate::spatial::Geodata;

/// `locate --address ADDR`: the address resolved and printed (JSON or text); negative
/// unless it names exactly one unit.
pub(super) fn run_one(cli: &Cli, geo: &Geodata, addr: &str) -> Result<Outcome, CliError> {
    let index = AddressIndex::new(geo.codes());
    let loc = resolve(geo, &index, addr);
    match cli.format {
        Format::Json => out(&to_json(&loc))?,
        Format::Text => out(&text_report(geo, &loc, cli.lang))?,
    }
    Ok(match loc.status {
        AddressStatus::Resolved => Outcome::Ok,
        _ => Outcome::Negative,
    })
}

/// The text form of a resolved address: input, unit (or status), town, zone, candidates,
/// matched parts and the geodata version, one labelled line each.
fn text_report(geo: &Geodata, loc: &AddressLocation, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {}",
        if zh { "地址" } else { "address" },
        loc.input
    );
    match &loc.unit {
        Some(u) => super::locate::unit_line(&mut s, u, lang),
        None => {
            let _ = writeln!(
                s,
                "{:<8} {}",
                if zh { "区县" } else { "unit" },
                status_words(loc.status, lang)
            );
        }
    }
    if let Some(t) = &loc.town {
        let name = geo
            .codes()
            .get(t)
            .map(|a| a.name.clone())
            .unwrap_or_default();
        let _ = writeln!(s, "{:<8} {t} {name}", if zh { "乡镇" } else { "town" });
    }
    if let Some(z) = &loc.zone {
        zone_line(&mut s, geo, z, zh);
    }
    for c in &loc.candidates {
        let _ = writeln!(
            s,
            "{:<8} {} {} — {}",
            if zh { "候选" } else { "maybe" },
            c.adcode,
            c.name,
            if zh {
                crate::explain::errors::zh(&c.why)
            } else {
                c.why.clone()
            }
        );
    }
    for m in &loc.matched {
        matched_line(&mut s, m, lang);
    }
    let _ = writeln!(
        s,
        "{:<8} {}",
        if zh { "地理数据" } else { "geodata" },
        loc.geodata_version
    );
    s
}

/// The `zone` line: names, statistics codes (or id) and the host units.
fn zone_line(s: &mut String, geo: &Geodata, z: &ZoneMatch, zh: bool) {
    let hosts: Vec<String> = z
        .hosts
        .iter()
        .map(|h| {
            let name = geo.unit(h).map(|u| u.name.as_str()).unwrap_or("");
            format!("{h} {name}")
        })
        .collect();
    let _ = writeln!(
        s,
        "{:<8} {} {} ({}) — {}",
        if zh { "开发区" } else { "zone" },
        z.name,
        z.name_en,
        if z.stat_codes.is_empty() {
            z.id.clone()
        } else {
            z.stat_codes.join(", ")
        },
        if hosts.is_empty() {
            (if zh {
                "所在区县不详"
            } else {
                "host unit not known"
            })
            .to_string()
        } else if zh {
            format!("位于 {}", hosts.join("、"))
        } else {
            format!("within {}", hosts.join(", "))
        }
    );
}

/// A `matched` line: the text, the area it was read as and, for a former name, which.
fn matched_line(s: &mut String, m: &MatchedPart, lang: Lang) {
    let hist = m
        .historical
        .as_ref()
        .map(|h| {
            let until = h.valid_until.as_deref().unwrap_or("?");
            if lang == Lang::Zh {
                format!("（旧名 {} {}，{until}止）", h.old_code, h.old_name)
            } else {
                format!(
                    " (former name {} {}, until {until})",
                    h.old_code, h.old_name
                )
            }
        })
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "{:<8} `{}` → {} {} ({}){hist}",
        if lang == Lang::Zh {
            "匹配"
        } else {
            "matched"
        },
        m.text,
        m.code,
        m.name,
        level_words(&m.level, lang)
    );
}

/// The status of an unresolved address in words (never the enum's name).
fn status_words(st: AddressStatus, lang: Lang) -> &'static str {
    match (st, lang) {
        (AddressStatus::Resolved, Lang::En) => "resolved",
        (AddressStatus::Resolved, Lang::Zh) => "已确定",
        (AddressStatus::Ambiguous, Lang::En) => {
            "ambiguous: the address may mean any of the candidates below"
        }
        (AddressStatus::Ambiguous, Lang::Zh) => "歧义：地址可能指下列任一区县",
        (AddressStatus::AreaOnly, Lang::En) => "city or province only: no county-level unit named",
        (AddressStatus::AreaOnly, Lang::Zh) => "仅到市级或省级：未写明区县",
        (AddressStatus::NotFound, Lang::En) => "not found: no place name recognised",
        (AddressStatus::NotFound, Lang::Zh) => "未找到：未识别出任何地名",
    }
}

/// `province`, `city`, `county`, `town` in words.
fn level_words(level: &str, lang: Lang) -> String {
    match (level, lang) {
        (_, Lang::En) => level.to_string(),
        ("province", Lang::Zh) => "省级".to_string(),
        ("city", Lang::Zh) => "市级".to_string(),
        ("county", Lang::Zh) => "县级".to_string(),
        ("town", Lang::Zh) => "乡镇级".to_string(),
        (other, Lang::Zh) => other.to_string(),
    }
}

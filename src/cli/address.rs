//! `ecojuris locate --address`: an address to its county-level unit, with the same JSON shape
//! as a point lookup (`unit` or null, `candidates`) plus `matched`.

use std::fmt::Write as _;

use super::args::{Format, Lang};
use super::{Cli, CliError, Outcome, out, to_json};
use crate::address::{AddressIndex, AddressStatus, resolve};
use crate::spatial::Geodata;

pub(super) fn run_one(cli: &Cli, geo: &Geodata, addr: &str) -> Result<Outcome, CliError> {
    let index = AddressIndex::new(geo.codes());
    let loc = resolve(geo, &index, addr);
    match cli.format {
        Format::Json => out(&to_json(&loc))?,
        Format::Text => {
            let zh = cli.lang == Lang::Zh;
            let mut s = String::new();
            let _ = writeln!(
                s,
                "{:<8} {}",
                if zh { "地址" } else { "address" },
                loc.input
            );
            match &loc.unit {
                Some(u) => super::locate::unit_line(&mut s, u, cli.lang),
                None => {
                    let _ = writeln!(
                        s,
                        "{:<8} {:?}",
                        if zh { "区县" } else { "unit" },
                        loc.status
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
            for c in &loc.candidates {
                let _ = writeln!(
                    s,
                    "{:<8} {} {} — {}",
                    if zh { "候选" } else { "maybe" },
                    c.adcode,
                    c.name,
                    c.why
                );
            }
            for m in &loc.matched {
                let hist = m
                    .historical
                    .as_ref()
                    .map(|h| {
                        format!(
                            " (former name {} {}, until {})",
                            h.old_code,
                            h.old_name,
                            h.valid_until.as_deref().unwrap_or("?")
                        )
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "{:<8} `{}` → {} {} ({}){hist}",
                    if zh { "匹配" } else { "matched" },
                    m.text,
                    m.code,
                    m.name,
                    m.level
                );
            }
            let _ = writeln!(
                s,
                "{:<8} {}",
                if zh { "地理数据" } else { "geodata" },
                loc.geodata_version
            );
            out(&s)?;
        }
    }
    Ok(match loc.status {
        AddressStatus::Resolved => Outcome::Ok,
        _ => Outcome::Negative,
    })
}

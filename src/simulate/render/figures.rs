//! The figures of a report: before/after maps of which court hears each county, drawn only for
//! the kinds whose map changes, and bar charts of the workload change per court (cases a year,
//! all kinds and per kind).

use super::colour::{court_colours, unit_adjacency};
use super::svg::{self, MapWords, Panel};
use super::{Figure, tr};
use crate::explain::Lang;
use crate::model::{CaseKind, Date};
use crate::simulate::batch::{Memo, Router};
use crate::simulate::report::{Aggregate, kinds_present, unit_courts, workload};

/// The maps: for each candidate kind, the court of every unit under both routers on `date`;
/// unless `always` (kinds the user named), a map is drawn only when some unit's court
/// differs. Returns the figures, the kinds left out because nothing changes, and the number
/// of changed unit-kind cells.
pub fn maps(
    base: &Router<'_>,
    scen: &Router<'_>,
    (kinds, always): (&[CaseKind], bool),
    date: Date,
    versions: (&str, &str),
    lang: Lang,
) -> (Vec<Figure>, Vec<CaseKind>, usize) {
    let geo = base.engine().geo();
    let court_names = scen.court_names().to_vec();
    let unit_names: Vec<String> = geo.units().iter().map(|u| u.name.clone()).collect();
    let (mut mb, mut ms) = (Memo::new(), Memo::new());
    let mut adjacency: Option<Vec<Vec<usize>>> = None;
    let words = MapWords {
        legend: tr(lang, "Legend", "图例").to_string(),
        changed: tr(lang, "unit whose court changes", "审理法院改变的区县").to_string(),
        no_court: tr(lang, "no court", "无管辖法院").to_string(),
        more: tr(lang, "… and {n} more courts", "……另有{n}个法院").to_string(),
    };
    let mut figures = Vec::new();
    let mut unchanged = Vec::new();
    let mut changed_cells = 0usize;
    for k in kinds {
        let before = unit_courts(base, &mut mb, *k, date);
        let after = unit_courts(scen, &mut ms, *k, date);
        let changed: Vec<bool> = before.iter().zip(&after).map(|(b, a)| b != a).collect();
        let n = changed.iter().filter(|c| **c).count();
        if n == 0 && !always {
            unchanged.push(*k);
            continue;
        }
        changed_cells += n;
        let adj = adjacency.get_or_insert_with(|| unit_adjacency(geo));
        let colours = court_colours(adj, &[&before, &after]);
        let title = match lang {
            Lang::En => format!("Which court hears each county: {k} cases filed on {date}"),
            Lang::Zh => format!("各区县的审理法院：{date}立案的{}案件", k.name_zh()),
        };
        let map = svg::unit_map(
            geo,
            &title,
            &[
                Panel {
                    title: format!("{} ({})", tr(lang, "baseline", "基准"), versions.0),
                    courts: &before,
                },
                Panel {
                    title: format!("{} ({})", tr(lang, "scenario", "情景"), versions.1),
                    courts: &after,
                },
            ],
            &changed,
            &court_names,
            &unit_names,
            &colours,
            &words,
        );
        figures.push(Figure {
            file: format!("map-{k}.svg"),
            title,
            svg: map,
        });
    }
    (figures, unchanged, changed_cells)
}

/// Bar charts of the workload change per court, cases a year while the scenario is in force:
/// all kinds, then one per kind that changes.
pub fn workload_bars(agg: &Aggregate, court_names: &[String], lang: Lang) -> Vec<Figure> {
    let years = agg.in_force.n_years() as f64;
    let per_year = |d: i64| (d as f64 / years).round() as i64;
    let kinds = kinds_present(&agg.in_force.workload);
    let wl = workload(&agg.in_force.workload, &kinds);
    let name = |c: u16| court_names.get(usize::from(c)).cloned().unwrap_or_default();
    let empty = tr(lang, "no court's workload changes", "没有法院的收案量变化");
    let mut out = Vec::new();
    let bars: Vec<(String, i64)> = wl
        .iter()
        .map(|r| (name(r.court), per_year(r.delta())))
        .collect();
    let title = tr(
        lang,
        "Workload change per court, cases a year (scenario − baseline, all kinds)",
        "各法院每年收案量变化（情景 − 基准，全部类型）",
    )
    .to_string();
    out.push(Figure {
        file: "workload-delta.svg".to_string(),
        svg: svg::delta_bars(&title, &bars, 30, empty),
        title,
    });
    for k in &kinds {
        let bars: Vec<(String, i64)> = wl
            .iter()
            .filter_map(|r| {
                let (_, b, a) = r.kinds.iter().find(|x| x.0 == *k)?;
                let d = i64::try_from(*a).unwrap_or(0) - i64::try_from(*b).unwrap_or(0);
                Some((name(r.court), per_year(d)))
            })
            .collect();
        if bars.iter().any(|b| b.1 != 0) {
            let title = match lang {
                Lang::En => format!("Workload change per court, cases a year: {k}"),
                Lang::Zh => format!("各法院每年收案量变化：{}", k.name_zh()),
            };
            out.push(Figure {
                file: format!("workload-delta-{k}.svg"),
                svg: svg::delta_bars(&title, &bars, 30, empty),
                title,
            });
        }
    }
    out
}

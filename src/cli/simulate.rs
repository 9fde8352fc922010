//! `ecojuris simulate` (baseline versus scenario over a case file, reports to a directory)
//! and `ecojuris generate-cases` (a synthetic population with its assumptions beside it).

use std::io::Write as _;
use std::sync::Arc;

use super::args::{BatchFormat, GenerateArgs, PopulationMode, SimulateArgs};
use super::batch::{
    InFormat, Input, Progress, create_output, format_of, load_engine_with, spawn_reader, threads,
};
use super::output::{AtomicDir, AtomicFile};
use super::{Cli, CliError, Outcome, note};
use crate::model::{CaseKind, Date};
use crate::simulate::batch::{Memo, Router, unit_points};
use crate::simulate::population::{self, Population, PopulationConfig};
use crate::simulate::report::{self, Aggregate, CaseResult, Figures, Labels};
use crate::simulate::svg;

fn in_format(f: Option<BatchFormat>) -> Option<InFormat> {
    f.map(|f| match f {
        BatchFormat::Csv => InFormat::Csv,
        BatchFormat::Jsonl => InFormat::Jsonl,
    })
}

/// Every file a report may hold whatever its input (the maps and per-kind charts of every
/// kind), removed from a reused folder before a run even without a manifest.
fn report_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "changes.csv",
        "flagged.csv",
        "workload.csv",
        "workload-delta.svg",
        "report.md",
        "report.html",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    for k in CaseKind::names() {
        names.push(format!("map-{k}.svg"));
        names.push(format!("workload-delta-{k}.svg"));
    }
    names
}

pub(super) fn run(cli: &Cli, a: &SimulateArgs) -> Result<Outcome, CliError> {
    let today = match &a.today {
        Some(d) => Date::parse(d)
            .ok_or_else(|| CliError::Msg(format!("invalid `--today {d}` (expected YYYY-MM-DD)")))?,
        None => super::route::today(),
    };
    let map_kinds: Vec<CaseKind> = if a.map_kind.is_empty() {
        vec![
            CaseKind::Criminal,
            CaseKind::Civil,
            CaseKind::Administrative,
        ]
    } else {
        a.map_kind
            .iter()
            .map(|k| {
                CaseKind::parse(k).ok_or_else(|| {
                    CliError::Msg(format!(
                        "unknown case kind `{k}`{}",
                        crate::diagnostics::hint(k, CaseKind::names())
                    ))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let map_date = match &a.map_date {
        Some(d) => Some(Date::parse(d).ok_or_else(|| {
            CliError::Msg(format!("invalid `--map-date {d}` (expected YYYY-MM-DD)"))
        })?),
        None => None,
    };
    let base_engine = load_engine_with(cli, a.baseline.as_deref())?;
    let scen_engine = load_engine_with(cli, Some(&a.scenario))?;
    let names = report_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut inputs = vec![a.cases.as_path(), a.scenario.as_path()];
    inputs.extend(a.baseline.as_deref());
    // Files of an earlier run go first: the folder never mixes two runs, and an interrupted
    // run leaves no report at all.
    let mut out = AtomicDir::prepare(&a.report, &names, &inputs)?;
    let input = Input::open(&a.cases, in_format(a.input_format))?;
    let columns = input.columns.clone();
    let mut progress = Progress::new(input.total_bytes);
    let points = Arc::new(unit_points(base_engine.geo()));
    let base = Router::with_courts(&base_engine, today, &[], Arc::clone(&points));
    let scen = Router::with_courts(&scen_engine, today, base.court_ids(), Arc::clone(&points));
    let n = threads();
    let mut memos: Vec<(Memo, Memo)> = (0..n).map(|_| (Memo::new(), Memo::new())).collect();
    let mut agg = Aggregate::default();
    let seats = scen.court_seats().to_vec();
    let result: Result<(), CliError> = std::thread::scope(|s| {
        let rx = spawn_reader(s, input);
        for chunk in rx {
            let chunk = chunk?;
            let cols = columns.as_ref();
            let (base, scen) = (&base, &scen);
            let chunk = &chunk;
            let parts: Option<Vec<Vec<CaseResult>>> = std::thread::scope(|s2| {
                let handles: Vec<_> = chunk
                    .split(n)
                    .into_iter()
                    .zip(memos.iter_mut())
                    .map(|(rows, (mb, ms))| {
                        s2.spawn(move || {
                            rows.map(|i| {
                                let (_, id, case) = chunk.parse(cols, i);
                                report::compare_case(base, scen, (&mut *mb, &mut *ms), id, case)
                            })
                            .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                // A worker that panicked would drop cases from the report: fail instead.
                handles.into_iter().map(|h| h.join().ok()).collect()
            });
            let parts = parts.ok_or_else(|| {
                CliError::Msg(format!(
                    "internal error: a worker failed on the cases after case {}",
                    agg.read
                ))
            })?;
            for part in parts {
                for r in part {
                    agg.add(r, &seats);
                }
            }
            progress.update(agg.read, chunk.bytes);
        }
        Ok(())
    });
    progress.finish();
    result?;
    // Maps: the court of each unit for each kind, on the map date.
    let date = map_date.or(agg.max_date).unwrap_or(today);
    let court_names = scen.court_names().to_vec();
    let unit_names: Vec<String> = base_engine
        .geo()
        .units()
        .iter()
        .map(|u| u.name.clone())
        .collect();
    let mut figures: Figures = Vec::new();
    let (mut mb, mut ms) = (Memo::new(), Memo::new());
    let mut changed_units_total = 0usize;
    for k in &map_kinds {
        let before = report::unit_courts(&base, &mut mb, *k, date);
        let after = report::unit_courts(&scen, &mut ms, *k, date);
        let changed: Vec<bool> = before.iter().zip(&after).map(|(b, a)| b != a).collect();
        changed_units_total += changed.iter().filter(|c| **c).count();
        let title = format!("Which court hears each county: {k} cases filed on {date}");
        let svg = svg::unit_map(
            base_engine.geo(),
            &title,
            &[
                svg::Panel {
                    title: format!("baseline ({})", base_engine.rules().version),
                    courts: &before,
                },
                svg::Panel {
                    title: format!("scenario ({})", scen_engine.rules().version),
                    courts: &after,
                },
            ],
            &changed,
            &court_names,
            &unit_names,
        );
        figures.push((format!("map-{k}.svg"), title, svg));
    }
    let kinds = report::kinds_present(&agg);
    let wl = report::workload(&agg, &kinds);
    let bars: Vec<(String, i64)> = wl
        .iter()
        .map(|r| {
            (
                court_names
                    .get(usize::from(r.court))
                    .cloned()
                    .unwrap_or_default(),
                r.delta(),
            )
        })
        .collect();
    figures.push((
        "workload-delta.svg".to_string(),
        "Workload delta per court (scenario minus baseline, all kinds)".to_string(),
        svg::delta_bars("Workload delta per court (scenario − baseline)", &bars, 30),
    ));
    for k in &kinds {
        let bars: Vec<(String, i64)> = wl
            .iter()
            .filter_map(|r| {
                let (_, b, a) = r.kinds.iter().find(|x| x.0 == *k)?;
                Some((
                    court_names
                        .get(usize::from(r.court))
                        .cloned()
                        .unwrap_or_default(),
                    i64::try_from(*a).unwrap_or(0) - i64::try_from(*b).unwrap_or(0),
                ))
            })
            .collect();
        if bars.iter().any(|b| b.1 != 0) {
            figures.push((
                format!("workload-delta-{k}.svg"),
                format!("Workload delta per court: {k}"),
                svg::delta_bars(&format!("Workload delta per court: {k}"), &bars, 30),
            ));
        }
    }
    let labels = Labels {
        baseline: match &a.baseline {
            Some(p) => format!("`{}` ({})", p.display(), base_engine.rules().version),
            None => format!("the rule set {}", base_engine.rules().version),
        },
        scenario: format!(
            "`{}` ({})",
            a.scenario.display(),
            scen_engine.rules().version
        ),
        court_ids: scen.court_ids().to_vec(),
        court_names: court_names.clone(),
        units: base_engine
            .geo()
            .units()
            .iter()
            .map(|u| (u.adcode.clone(), u.name.clone()))
            .collect(),
        cases: a.cases.display().to_string(),
    };
    let dir = &a.report;
    out.write("changes.csv", &report::changes_csv(&agg.changes, &labels))?;
    out.write("flagged.csv", &report::changes_csv(&agg.flagged, &labels))?;
    out.write("workload.csv", &report::workload_csv(&wl, &labels))?;
    for (name, _, svg) in &figures {
        out.write(name, svg)?;
    }
    let md = report::markdown(&mut agg, &labels, &figures);
    out.write("report.md", &md)?;
    let html = report::html(&mut agg, &labels, &figures);
    out.write("report.html", &html)?;
    out.commit()?;
    note(&format!(
        "read {} cases: baseline routed {} / no court {} / failed {}; scenario routed {} / no court {} / failed {}; {} changed, {} flagged; {} unit-kind map cells changed; report in `{}` ({:.2} s)",
        agg.read,
        agg.before.routed,
        agg.before.no_court,
        agg.before.failed,
        agg.after.routed,
        agg.after.no_court,
        agg.after.failed,
        agg.changes.len(),
        agg.flagged.len(),
        changed_units_total,
        dir.display(),
        progress.elapsed()
    ));
    Ok(Outcome::Ok)
}

pub(super) fn run_generate(cli: &Cli, a: &GenerateArgs) -> Result<Outcome, CliError> {
    let format = match in_format(a.output_format).or_else(|| format_of(&a.output)) {
        Some(f) => f,
        None => {
            return Err(CliError::Msg(format!(
                "cannot tell the format of `{}` from its extension: give `--output-format csv` or `jsonl`",
                a.output.display()
            )));
        }
    };
    if a.output.as_os_str() == "-" {
        return Err(CliError::Msg(
            "give a file for `--output`: the assumptions go to `<FILE>.meta.json` beside it"
                .to_string(),
        ));
    }
    let geo = super::load_geodata(cli)?;
    let mut sink = create_output(&a.output)?;
    let io = |e: std::io::Error| CliError::Io(a.output.display().to_string(), e);
    let fmt_name = if format == InFormat::Csv {
        "csv"
    } else {
        "jsonl"
    };
    let mut buf = String::with_capacity(1 << 20);
    let mut flush = |buf: &mut String, force: bool| -> Result<(), CliError> {
        if force || buf.len() > (1 << 20) - 512 {
            sink.write_all(buf.as_bytes()).map_err(io)?;
            buf.clear();
        }
        Ok(())
    };
    let (meta, written) = match a.mode {
        PopulationMode::Stress => {
            if a.from_year.is_some() || a.to_year.is_some() {
                return Err(CliError::Msg(
                    "`--from-year` and `--to-year` apply to `--mode calibrated` only".to_string(),
                ));
            }
            let cfg = PopulationConfig::new(a.count.unwrap_or(10_000), a.seed);
            if format == InFormat::Csv {
                buf.push_str(population::CSV_HEADER);
            }
            for c in Population::new(&geo, cfg) {
                match format {
                    InFormat::Csv => c.csv_line(&mut buf),
                    InFormat::Jsonl => c.json_line(&mut buf),
                }
                flush(&mut buf, false)?;
            }
            (population::assumptions(&cfg, fmt_name), cfg.count)
        }
        PopulationMode::Calibrated => {
            let cal = population::Calibration::embedded().map_err(CliError::Msg)?;
            let mut cfg = population::CalibratedConfig::new(a.seed);
            cfg.count = a.count;
            if let Some(y) = a.from_year {
                cfg.from_year = y;
            }
            if let Some(y) = a.to_year {
                cfg.to_year = y;
            }
            let mut pop =
                population::CalibratedPopulation::new(&geo, &cal, cfg).map_err(CliError::Msg)?;
            if format == InFormat::Csv {
                buf.push_str(population::CSV_HEADER_CALIBRATED);
            }
            for c in pop.by_ref() {
                match format {
                    InFormat::Csv => c.csv_line_calibrated(&mut buf),
                    InFormat::Jsonl => c.json_line(&mut buf),
                }
                flush(&mut buf, false)?;
            }
            (
                population::calibrated_meta(&pop, &cal, fmt_name),
                pop.produced(),
            )
        }
    };
    flush(&mut buf, true)?;
    sink.flush().map_err(io)?;
    let meta_path = {
        let mut s = a.output.as_os_str().to_owned();
        s.push(".meta.json");
        std::path::PathBuf::from(s)
    };
    let text = serde_json::to_string_pretty(&meta).map_err(|e| CliError::Msg(e.to_string()))?;
    let mut meta_file = AtomicFile::create(&meta_path)?;
    meta_file
        .write_all((text + "\n").as_bytes())
        .map_err(|e| CliError::Io(meta_path.display().to_string(), e))?;
    sink.commit()?;
    meta_file.commit()?;
    note(&format!(
        "wrote {} cases to `{}`, assumptions to `{}`",
        written,
        a.output.display(),
        meta_path.display()
    ));
    Ok(Outcome::Ok)
}

//! `ecojuris simulate` (baseline versus scenario over a case file, reports to a directory)
//! and `ecojuris generate-cases` (a synthetic population with its assumptions beside it).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::args::{BatchFormat, GenerateArgs, PopulationMode, SimulateArgs};
use super::batch::{
    InFormat, Input, Progress, create_output, format_of, load_engine_over, load_engine_with,
    release_at_exit, spawn_reader, threads,
};
use super::output::{AtomicDir, AtomicFile};
use super::{Cli, CliError, Outcome, note};
use crate::model::{CaseKind, Date};
use crate::simulate::batch::{Memo, Router, unit_points};
use crate::simulate::population::{self, Population, PopulationConfig};
use crate::simulate::render::document::{self, Context, DEMO_ZONE, Provenance, ScenarioInfo};
use crate::simulate::render::{Labels, csv, figures, tr};
use crate::simulate::report::{self, Aggregate, CaseResult, Replay};

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
        "replay.csv",
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

fn parse_kinds(given: &[String]) -> Result<Vec<CaseKind>, CliError> {
    if given.is_empty() {
        return Ok(CaseKind::ALL.to_vec());
    }
    given
        .iter()
        .map(|k| {
            CaseKind::parse(k).ok_or_else(|| {
                CliError::Msg(format!(
                    "unknown case kind `{k}`{}",
                    crate::diagnostics::hint(k, CaseKind::names())
                ))
            })
        })
        .collect()
}

fn parse_date(flag: &str, d: &str) -> Result<Date, CliError> {
    Date::parse(d)
        .ok_or_else(|| CliError::Msg(format!("invalid `--{flag} {d}` (expected YYYY-MM-DD)")))
}

fn read_text(p: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(p).map_err(|e| CliError::Io(p.display().to_string(), e))
}

/// The population's provenance from `CASES.meta.json`, when `generate-cases` wrote one.
fn provenance(cases: &Path) -> Option<Provenance> {
    let mut s = cases.as_os_str().to_owned();
    s.push(".meta.json");
    let text = std::fs::read_to_string(PathBuf::from(s)).ok()?;
    Provenance::from_meta_json(&text)
}

/// Routes every case under both rule sets: a reader thread parses chunks, workers route each
/// chunk (contiguous slices, each with its own memos) and an aggregator thread adds the
/// results in input order while the workers route the next chunk.
fn aggregate(
    input: Input,
    base: &Router<'_>,
    scen: &Router<'_>,
    agg: &mut Aggregate,
    mut replay: Option<&mut Replay>,
) -> Result<f64, CliError> {
    let columns = input.columns.clone();
    let total_bytes = input.total_bytes;
    let mut progress = Progress::new(total_bytes);
    let n = threads();
    let mut memos: Vec<(Memo, Memo)> = (0..n).map(|_| (Memo::new(), Memo::new())).collect();
    let seats = scen.court_seats().to_vec();
    let court_ids = scen.court_ids().to_vec();
    let prog = &mut progress;
    let result: Result<(), CliError> = std::thread::scope(|s| {
        let rx = spawn_reader(s, input);
        let (atx, arx) = std::sync::mpsc::sync_channel::<(Vec<Vec<CaseResult>>, u64)>(2);
        let aggregator = s.spawn(move || {
            let mut reserved = false;
            for (parts, bytes) in arx {
                // From the first chunk's bytes per case, room for the whole file's incidents.
                let rows: usize = parts.iter().map(Vec::len).sum();
                if !reserved && bytes > 0 {
                    reserved = true;
                    let total = total_bytes.unwrap_or(0) as f64 / bytes as f64 * rows as f64;
                    agg.reserve((total as usize).min(1 << 26));
                }
                for r in parts.into_iter().flatten() {
                    if let Some(rp) = replay.as_deref_mut() {
                        rp.check(&r, &court_ids);
                    }
                    agg.add(r, &seats);
                }
                prog.update(agg.read, bytes);
            }
        });
        let mut routed = 0usize;
        let mut status = Ok(());
        for chunk in rx {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    status = Err(e);
                    break;
                }
            };
            let cols = columns.as_ref();
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
            let Some(parts) = parts else {
                status = Err(CliError::Msg(format!(
                    "internal error: a worker failed on the cases after case {routed}"
                )));
                break;
            };
            routed += chunk.len();
            if atx.send((parts, chunk.bytes)).is_err() {
                break;
            }
        }
        drop(atx);
        if aggregator.join().is_err() {
            return Err(CliError::Msg(
                "internal error: the aggregation of the cases failed".to_string(),
            ));
        }
        status
    });
    progress.finish();
    release_at_exit(memos);
    result?;
    Ok(progress.elapsed())
}

/// The scenario's description and, with `--replay`, the decision log to replay.
fn read_scenario_and_replay(a: &SimulateArgs) -> Result<(ScenarioInfo, Option<Replay>), CliError> {
    let scenario = ScenarioInfo::from_yaml(&read_text(&a.scenario)?)
        .map_err(|e| CliError::Msg(format!("`{}`: {e}", a.scenario.display())))?;
    let replay = match &a.replay {
        Some(p) => Some(
            Replay::parse(&read_text(p)?)
                .map_err(|e| CliError::Msg(format!("`{}`: {e}", p.display())))?,
        ),
        None => None,
    };
    Ok((scenario, replay))
}

/// The unit indices of the Demonstration Zone districts in `geo`.
fn demo_zone_units(geo: &crate::spatial::Geodata) -> Vec<usize> {
    DEMO_ZONE
        .iter()
        .filter_map(|(c, _, _)| geo.units().iter().position(|u| u.adcode == *c))
        .collect()
}

pub(super) fn run(cli: &Cli, a: &SimulateArgs) -> Result<Outcome, CliError> {
    let today = match &a.today {
        Some(d) => parse_date("today", d)?,
        None => super::route::today(),
    };
    let map_kinds = parse_kinds(&a.map_kind)?;
    let map_date = a
        .map_date
        .as_deref()
        .map(|d| parse_date("map-date", d))
        .transpose()?;
    // One geodata (and one point index) for both engines.
    let base_engine = load_engine_with(cli, a.baseline.as_deref())?;
    let scen_engine = load_engine_over(cli, Arc::clone(base_engine.geo_arc()), Some(&a.scenario))?;
    let (scenario, mut replay) = read_scenario_and_replay(a)?;
    let names = report_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut inputs = vec![a.cases.as_path(), a.scenario.as_path()];
    inputs.extend(a.baseline.as_deref());
    inputs.extend(a.replay.as_deref());
    // Files of an earlier run go first: the folder never mixes two runs, and an interrupted
    // run leaves no report at all.
    let mut out = AtomicDir::prepare(&a.report, &names, &inputs)?;
    let input = Input::open(&a.cases, in_format(a.input_format))?;
    let points = Arc::new(unit_points(base_engine.geo()));
    let base = Router::with_courts(&base_engine, today, &[], Arc::clone(&points));
    let scen = Router::with_courts(&scen_engine, today, base.court_ids(), Arc::clone(&points));
    let geo = base_engine.geo();
    let zone = demo_zone_units(geo);
    let mut agg = Aggregate::with_districts(geo.units().len(), &zone, scenario.effective_from);
    let elapsed = aggregate(input, &base, &scen, &mut agg, replay.as_mut())?;
    // Maps of the kinds that change, on the map date; bar charts of the workload change.
    let date = map_date.or(agg.max_date).unwrap_or(today);
    let lang: crate::explain::Lang = cli.lang.into();
    let versions = (
        base_engine.rules().version.as_str(),
        scen_engine.rules().version.as_str(),
    );
    let (mut figs, unchanged_kinds, changed_cells) = figures::maps(
        &base,
        &scen,
        (&map_kinds, !a.map_kind.is_empty()),
        date,
        versions,
        lang,
    );
    figs.extend(figures::workload_bars(&agg, scen.court_names(), lang));
    let labels = Labels {
        court_ids: scen.court_ids().to_vec(),
        court_names: scen.court_names().to_vec(),
        units: geo
            .units()
            .iter()
            .map(|u| (u.adcode.clone(), u.name.clone()))
            .collect(),
        cases: a.cases.display().to_string(),
        lang,
    };
    write_tables(&mut out, &agg, &labels, replay.as_ref())?;
    for f in &figs {
        out.write(&f.file, &f.svg)?;
    }
    let replay_file = a
        .replay
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let cx = Context {
        lang,
        scenario: &scenario,
        baseline: match &a.baseline {
            Some(p) => format!("`{}` ({})", p.display(), versions.0),
            None => format!("{} {}", tr(lang, "the rule set", "规则集"), versions.0),
        },
        scenario_version: versions.1.to_string(),
        population: provenance(&a.cases),
        labels: &labels,
        unchanged_map_kinds: unchanged_kinds,
        replay: replay.as_ref(),
        replay_file,
    };
    let (n_changes, n_flagged) = (agg.changes.len(), agg.flagged.len());
    let doc = document::build(&mut agg, &cx, figs);
    out.write("report.md", &doc.markdown())?;
    out.write("report.html", &doc.html())?;
    out.commit()?;
    note(&run_summary(
        &agg,
        (n_changes, n_flagged, changed_cells),
        replay.as_ref(),
        &a.report,
        elapsed,
    ));
    release_at_exit(agg);
    Ok(Outcome::Ok)
}

/// Writes the CSV tables of a report: changes, flagged, workload and (with a replay) the
/// logged decisions that move.
fn write_tables(
    out: &mut AtomicDir,
    agg: &Aggregate,
    labels: &Labels,
    replay: Option<&Replay>,
) -> Result<(), CliError> {
    out.write("changes.csv", &csv::changes_csv(&agg.changes, labels))?;
    out.write("flagged.csv", &csv::changes_csv(&agg.flagged, labels))?;
    let kinds = report::kinds_present(&agg.workload);
    out.write(
        "workload.csv",
        &csv::workload_csv(&report::workload(&agg.workload, &kinds), labels),
    )?;
    if let Some(r) = replay {
        out.write("replay.csv", &csv::replay_csv(&r.moved, labels))?;
    }
    Ok(())
}

/// The closing note of a run: cases read and answered on each side, changed and flagged
/// cases, changed map cells (`counts`: changes, flagged, cells), the replay, where the report
/// is and how long it took.
fn run_summary(
    agg: &Aggregate,
    counts: (usize, usize, usize),
    replay: Option<&Replay>,
    report: &Path,
    elapsed: f64,
) -> String {
    let (n_changes, n_flagged, changed_cells) = counts;
    let moved = replay
        .map(|r| {
            format!(
                "; replay: {} of {} logged decisions move",
                r.moved.len(),
                r.matched
            )
        })
        .unwrap_or_default();
    format!(
        "read {} cases: baseline routed {} / no court {} / failed {}; scenario routed {} / no court {} / failed {}; {} changed, {} flagged; {} unit-kind map cells changed{moved}; report in `{}` ({:.2} s)",
        agg.read,
        agg.before.routed,
        agg.before.no_court,
        agg.before.failed,
        agg.after.routed,
        agg.after.no_court,
        agg.after.failed,
        n_changes,
        n_flagged,
        changed_cells,
        report.display(),
        elapsed
    )
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

/// The scenario template `ecojuris scenario new` writes (`{NAME}` replaced). It loads as it
/// is (no rule, no change); every capability is shown commented out.
const SCENARIO_TEMPLATE: &str = r#"# Scenario `{NAME}`: a dated patch over the baseline rule set, for
#   ecojuris simulate --scenario {NAME}.yaml --cases cases.csv --report out/
# (cases: `ecojuris generate-cases --from-year 2025 --output cases.csv`; keep the scenario's
# date inside the cases' filing years, or nothing changes).
#
# Say here what the reform is, who proposed it (source, date, URL) and what it would rest on
# (a high court's centralization order, a designation by a common superior court, a decision
# of the NPC Standing Committee for a new court).
schema_version: 1
scenario: {NAME}
# The report's title, in both languages.
title:
  en: "{NAME}: one sentence saying who would hear what"
  zh: "{NAME}：一句话说明由哪个法院审理哪些案件"
description: "What changes, where, from when and why (English)."
# Retired rules stop and new rules start on this date (a rule may give its own valid_from).
effective_from: 2025-01-01

# 1. Retire baseline rules (ids as `ecojuris route --format json` or `rules diff` show them).
#    To CHANGE A TERRITORY, retire the rule and add it again below with the new territory.
retire: []
# retire: [SH-QP2020-CRIM]

# 2. Add or change courts: the schema of jurisdiction-rules/courts.yaml; an existing id
#    replaces that court (e.g. to add a tribunal), a new id adds a hypothetical court.
courts: []
# courts:
#   - id: basin-example
#     name_zh: 示例流域环境资源法庭
#     name_en: "Example Basin Environmental Resources Court (hypothetical)"
#     level: basic
#     special: null
#     province: "330000"
#     seat_unit: "330127"
#     seat_at: [119.04, 29.61]
#     seat_at_approximate: true
#     serves: ["330127"]
#     appeal: inter-330100
#     tribunals: []
#     valid_from: null
#     valid_to: null
#     confidence: uncertain
#     sources: [SOURCE-KEY]
#     note: "hypothetical court of this scenario"

# 3. Add rules: the schema of the rule files (jurisdiction-rules/<province>.yaml). Territories
#    are explicit county-level codes (or a province code with `exclude`); the highest
#    priority wins (provincial centralization 20, carve-outs 30; the shipped scenarios use 25–40).
rules: []
# rules:
#   - id: SC-EXAMPLE-1
#     stage: venue
#     summary:
#       en: "Scenario: environmental criminal, civil and administrative first-instance cases of Chun'an → Chun'an County People's Court"
#       zh: "情景：淳安县环境资源刑事、民事、行政一审案件由淳安县人民法院审理"
#     kinds: [criminal, civil, administrative, administrative_public_interest, criminal_incidental_civil_public_interest]
#     levels: [basic]
#     territory: {include: ["330127"]}
#     assign: {court: basic-330127}
#     priority: 35
#     confidence: uncertain
#     legal_basis: "Hypothetical: what order or designation it would need"
#     sources: [SOURCE-KEY]
"#;

/// `ecojuris scenario new NAME`.
pub(super) fn run_scenario_new(name: &str, output: Option<&Path>) -> Result<Outcome, CliError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-');
    if !ok {
        return Err(CliError::Msg(format!(
            "invalid scenario name `{name}`: use lowercase letters, digits and `-` (e.g. `qingpu-three-in-one`)"
        )));
    }
    let path = output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(format!("{name}.yaml")));
    let text = SCENARIO_TEMPLATE.replace("{NAME}", name);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                CliError::Msg(format!(
                    "`{}` exists: give another `--output` (an existing file is never overwritten)",
                    path.display()
                ))
            } else {
                CliError::Io(path.display().to_string(), e)
            }
        })?;
    f.write_all(text.as_bytes())
        .map_err(|e| CliError::Io(path.display().to_string(), e))?;
    note(&format!(
        "wrote the scenario template `{}`: edit it, then `ecojuris simulate --scenario {} --cases CASES --report DIR`",
        path.display(),
        path.display()
    ));
    Ok(Outcome::Ok)
}

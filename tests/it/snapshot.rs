//! Output snapshots: the exact bytes users see for a fixed set of cases, so that a refactor
//! cannot change an answer, a warning or a word unnoticed.
//!
//! - `route_outputs_are_unchanged`: every case of `tests/it/snapshot/cases.jsonl` (the golden
//!   case inputs plus generated cases of all seven kinds, points, codes and addresses) through
//!   the library: English text, Chinese text and the JSON contract, or the input error;
//! - `batch_and_locate_outputs_are_unchanged`: the same cases through `ecojuris batch` (CSV and
//!   JSONL out) and their points through `ecojuris locate --input`.
//!
//! A deliberate change of output (a new rule, a new warning) is reviewed and recorded with
//! `ECOJURIS_UPDATE_SNAPSHOTS=1 cargo test --test it snapshot`, then `git diff tests/it/snapshot`.
//! `ECOJURIS_SNAPSHOT_FIXTURE=1` rebuilds the input fixture itself from the golden files and
//! the population generator (only when the set of inputs should change).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use ecojuris::eval::Engine;
use ecojuris::explain::{Lang, render_text};
use ecojuris::input::case_from_json;
use ecojuris::model::Date;
use ecojuris::simulate::population::{Population, PopulationConfig};

use crate::common::engine;

/// "Today" for cases without a filing date.
const TODAY: &str = "2026-06-01";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshot")
}

fn updating(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

/// Kinds and the role their single place takes in generated cases.
const KINDS: [(&str, &str); 7] = [
    ("criminal", "conduct"),
    ("civil", "result"),
    ("administrative", "agency"),
    ("civil_public_interest", "conduct"),
    ("administrative_public_interest", "agency"),
    ("criminal_incidental_civil_public_interest", "conduct"),
    ("eco_damage_compensation", "result"),
];

/// Builds the input fixture: golden inputs, then generated cases.
fn build_fixture(engine: &Engine) -> String {
    let mut out = String::new();
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("jurisdiction-rules/tests");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&gold)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for c in ecojuris::cases::parse_file(&f.display().to_string(), &text).unwrap() {
            let mut v = c.input.clone();
            if let Some(o) = v.as_object_mut() {
                o.entry("id")
                    .or_insert(serde_json::Value::String(c.name.clone()));
            }
            out.push_str(&serde_json::to_string(&v).unwrap());
            out.push('\n');
        }
    }
    // Generated: points from the population generator, each kind in turn, dates over
    // 2014–2026, some as codes and addresses of the located unit.
    let cfg = PopulationConfig {
        from: Date::parse("2014-01-01").unwrap(),
        to: Date::parse("2026-06-30").unwrap(),
        ..PopulationConfig::new(140, 11)
    };
    for (i, g) in Population::new(engine.geo(), cfg).enumerate() {
        let (kind, role) = KINDS[i % KINDS.len()];
        let unit = engine.geo().unit_at(g.lon, g.lat).map(|u| u.adcode.clone());
        let place = match (i % 5, unit) {
            (3, Some(code)) => serde_json::json!({"role": role, "code": code}),
            (4, Some(code)) => {
                let u = engine.geo().unit(&code).unwrap();
                let name = format!("{}{}", u.name, "人民路1号");
                serde_json::json!({"role": role, "address": name})
            }
            _ => serde_json::json!({"role": role, "at": [g.lon, g.lat]}),
        };
        let mut case = serde_json::json!({
            "id": format!("gen-{i:03}"),
            "kind": kind,
            "filed_on": g.filed_on.to_string(),
            "places": [place],
        });
        if kind == "administrative" || kind == "administrative_public_interest" {
            case["defendant_agency_level"] = serde_json::json!(if i % 3 == 0 {
                "county_government"
            } else {
                "department"
            });
        }
        if kind == "civil" && i % 2 == 0 {
            case["claim_amount_cny"] = serde_json::json!(600_000_000u64);
            case["parties_cross_province"] = serde_json::json!(i % 4 == 0);
        }
        out.push_str(&serde_json::to_string(&case).unwrap());
        out.push('\n');
    }
    out
}

fn fixture(engine: &Engine) -> String {
    let path = dir().join("cases.jsonl");
    if updating("ECOJURIS_SNAPSHOT_FIXTURE") || !path.exists() {
        let text = build_fixture(engine);
        std::fs::create_dir_all(dir()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    std::fs::read_to_string(&path).unwrap()
}

/// Everything a user sees for one case document, through the library.
fn route_outputs(engine: &Engine, line: &str, today: Date, out: &mut String) {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    let id = v["id"].as_str().unwrap_or("").to_string();
    let _ = writeln!(out, "=== {id}");
    let parsed = case_from_json(v, &id);
    let d = match parsed.and_then(|c| engine.route(&c, today, &id)) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(out, "error: {e}");
            return;
        }
    };
    out.push_str(&render_text(&d, Lang::En));
    out.push_str("---\n");
    out.push_str(&render_text(&d, Lang::Zh));
    out.push_str("---\n");
    out.push_str(&serde_json::to_string(&d).unwrap());
    out.push('\n');
}

#[track_caller]
fn compare(name: &str, got: &str) {
    let path = dir().join(name);
    if updating("ECOJURIS_UPDATE_SNAPSHOTS") || !path.exists() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap();
    if want == got {
        return;
    }
    let (mut wl, mut gl) = (want.lines(), got.lines());
    let mut n = 0usize;
    loop {
        n += 1;
        match (wl.next(), gl.next()) {
            (Some(a), Some(b)) if a == b => continue,
            (a, b) => panic!(
                "snapshot `{name}` differs at line {n}:\n  want: {}\n  got:  {}\n(review, then ECOJURIS_UPDATE_SNAPSHOTS=1)",
                a.unwrap_or("<end>"),
                b.unwrap_or("<end>")
            ),
        }
    }
}

#[test]
fn route_outputs_are_unchanged() {
    let e = engine();
    let fixture = fixture(e);
    let today = Date::parse(TODAY).unwrap();
    let mut out = String::new();
    let mut n = 0;
    for line in fixture.lines().filter(|l| !l.trim().is_empty()) {
        route_outputs(e, line, today, &mut out);
        n += 1;
    }
    assert!(n >= 200, "the snapshot covers {n} cases, fewer than 200");
    compare("route.snap", &out);
}

fn ecojuris(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_ecojuris"))
        .args(args)
        .output()
        .unwrap();
    format!(
        "exit {}\nstdout:\n{}stderr:\n{}",
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout),
        // Timings and cache statistics vary; the summary lines keep their counts only.
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .map(|l| l.split(';').next().unwrap_or(l).to_string() + "\n")
            .collect::<String>()
    )
}

#[test]
fn batch_and_locate_outputs_are_unchanged() {
    let e = engine();
    let fixture = fixture(e);
    let tmp = std::env::temp_dir().join(format!("ecojuris-snap-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let input = tmp.join("cases.jsonl");
    std::fs::write(&input, &fixture).unwrap();
    // Points of the fixture as a locate input.
    let mut points = String::from("id,lon,lat\n");
    for line in fixture.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(at) = v["places"][0]["at"].as_array() {
            let _ = writeln!(
                points,
                "{},{},{}",
                v["id"].as_str().unwrap_or(""),
                at[0],
                at[1]
            );
        }
    }
    let pts = tmp.join("points.csv");
    std::fs::write(&pts, &points).unwrap();
    let mut out = String::new();
    for (name, ext, full) in [
        ("batch-csv", "csv", false),
        ("batch-jsonl", "jsonl", false),
        ("batch-jsonl-full", "jsonl", true),
    ] {
        let o = tmp.join(format!("out.{ext}"));
        let mut args = vec![
            "batch",
            input.to_str().unwrap(),
            "--output",
            o.to_str().unwrap(),
            "--today",
            TODAY,
        ];
        if full {
            args.push("--full");
        }
        let log = ecojuris(&args);
        let _ = writeln!(out, "=== {name}\n{log}");
        out.push_str(&std::fs::read_to_string(&o).unwrap_or_default());
    }
    let o = tmp.join("located.csv");
    let log = ecojuris(&[
        "locate",
        "--input",
        pts.to_str().unwrap(),
        "--output",
        o.to_str().unwrap(),
    ]);
    let _ = writeln!(out, "=== locate\n{log}");
    out.push_str(&std::fs::read_to_string(&o).unwrap_or_default());
    let _ = std::fs::remove_dir_all(&tmp);
    let out = out.replace(tmp.to_str().unwrap(), "<tmp>");
    compare("cli.snap", &out);
}

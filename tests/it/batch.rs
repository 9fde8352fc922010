//! Batch routing, scenarios and simulation.
//!
//! - every shipped scenario loads over the embedded rules and changes what it should;
//! - the batch memo (`simulate::batch::Router`) agrees with `Engine::route` on random cases;
//! - `ecojuris batch` end to end (CSV and JSONL, bad rows, reconciling counts, determinism);
//! - `ecojuris generate-cases` + `ecojuris simulate` end to end, with the changed-case count
//!   checked against an independent count.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use ecojuris::eval::Engine;
use ecojuris::model::{Case, CaseKind, Date, PlaceSpec, Role};
use ecojuris::rules::RuleFiles;
use ecojuris::simulate::batch::{Memo, Router};
use ecojuris::spatial::{Crs, Geodata, LocateConfig};

const SCENARIOS: [&str; 3] = [
    "demo-zone-three-in-one",
    "demo-zone-single-court",
    "shanghai-three-in-one",
];

fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("jurisdiction-rules/scenarios")
        .join(format!("{name}.yaml"))
}

fn engine_with(scenario: Option<&str>) -> Engine {
    let geo = Geodata::embedded(LocateConfig::default()).unwrap();
    let mut files = RuleFiles::embedded();
    if let Some(s) = scenario {
        let p = scenario_path(s);
        files = files.with_scenario(
            &p.display().to_string(),
            std::fs::read_to_string(&p).unwrap(),
        );
    }
    Engine::load(geo, &files).unwrap_or_else(|e| panic!("{e}"))
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[track_caller]
fn courts(e: &Engine, kind: CaseKind, code: &str, date: &str) -> Vec<String> {
    let role = if kind == CaseKind::Administrative {
        Role::Agency
    } else {
        Role::Conduct
    };
    let case = Case::simple(kind, role, PlaceSpec::Code(code.into()), Some(day(date)));
    e.route(&case, day(date), "test")
        .unwrap()
        .court_ids()
        .into_iter()
        .map(String::from)
        .collect()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ecojuris-batch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ecojuris"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

#[test]
fn every_shipped_scenario_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("jurisdiction-rules/scenarios");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            let geo = Geodata::embedded(LocateConfig::default()).unwrap();
            let files = RuleFiles::embedded().with_scenario(
                &p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            );
            if let Err(e) = Engine::load(geo, &files) {
                panic!("{}: {e}", p.display());
            }
            n += 1;
        }
    }
    assert!(n >= SCENARIOS.len(), "found {n} scenario files");
    for s in SCENARIOS {
        assert!(scenario_path(s).is_file(), "missing {s}");
    }
}

#[test]
fn demo_zone_three_in_one_changes_what_it_should() {
    let base = engine_with(None);
    let sc = engine_with(Some("demo-zone-three-in-one"));
    let after = "2025-06-01";
    for kind in [
        CaseKind::Criminal,
        CaseKind::Civil,
        CaseKind::Administrative,
    ] {
        assert_eq!(
            courts(&sc, kind, "310118", after),
            ["basic-310118"],
            "Qingpu {kind}"
        );
        assert_eq!(
            courts(&sc, kind, "320509", after),
            ["basic-320509"],
            "Wujiang {kind}"
        );
        assert_eq!(
            courts(&sc, kind, "330421", after),
            ["basic-330421"],
            "Jiashan {kind}"
        );
        // Kunshan and Songjiang: unchanged.
        for other in ["320583", "310117"] {
            assert_eq!(
                courts(&sc, kind, other, after),
                courts(&base, kind, other, after),
                "{other} {kind}"
            );
        }
        // Before the scenario date: the baseline.
        assert_eq!(
            courts(&sc, kind, "310118", "2024-06-01"),
            courts(&base, kind, "310118", "2024-06-01")
        );
    }
    // Since the 2019-12 joint rule and 1+4 three-in-one the baseline already gives Qingpu its
    // own court for criminal and administrative cases (issue 11 evidence).
    assert_eq!(
        courts(&base, CaseKind::Criminal, "310118", after),
        ["basic-310118"]
    );
    assert_eq!(
        courts(&base, CaseKind::Administrative, "310118", after),
        ["basic-310118"]
    );
    let d = sc
        .route(
            &Case::simple(
                CaseKind::Criminal,
                Role::Conduct,
                PlaceSpec::Code("320509".into()),
                Some(day(after)),
            ),
            day(after),
            "t",
        )
        .unwrap();
    assert_eq!(d.competent[0].grounds[0].rule, "SC-DZ3-WJ");
    assert_eq!(d.competent[0].tribunal.as_ref().unwrap().id, "fenhu");
}

#[test]
fn demo_zone_single_court_designates_wujiang_fenhu() {
    let sc = engine_with(Some("demo-zone-single-court"));
    let base = engine_with(None);
    let after = "2025-06-01";
    for kind in [
        CaseKind::Criminal,
        CaseKind::Civil,
        CaseKind::Administrative,
    ] {
        for code in ["310118", "320509", "330421"] {
            assert_eq!(
                courts(&sc, kind, code, after),
                ["basic-320509"],
                "{code} {kind}"
            );
        }
        for other in ["320583", "310117", "330402"] {
            assert_eq!(
                courts(&sc, kind, other, after),
                courts(&base, kind, other, after),
                "{other} {kind}"
            );
        }
    }
    // A cross-province case inside the zone now has a single court.
    let mut case = Case::simple(
        CaseKind::Civil,
        Role::Conduct,
        PlaceSpec::Code("310118".into()),
        Some(day(after)),
    );
    let mut p = case.places[0].clone();
    p.role = Role::Result;
    p.spec = PlaceSpec::Code("330421".into());
    case.places.push(p);
    assert_eq!(
        sc.route(&case, day(after), "t").unwrap().court_ids(),
        ["basic-320509"]
    );
    assert_eq!(
        base.route(&case, day(after), "t")
            .unwrap()
            .court_ids()
            .len(),
        2
    );
}

#[test]
fn shanghai_three_in_one_gives_each_court_its_territory() {
    let sc = engine_with(Some("shanghai-three-in-one"));
    let base = engine_with(None);
    let after = "2025-06-01";
    for kind in [
        CaseKind::Criminal,
        CaseKind::Civil,
        CaseKind::Administrative,
    ] {
        assert_eq!(
            courts(&sc, kind, "310116", after),
            ["basic-310116"],
            "Jinshan {kind}"
        );
        assert_eq!(
            courts(&sc, kind, "310118", after),
            ["basic-310118"],
            "Qingpu {kind}"
        );
        assert_eq!(
            courts(&sc, kind, "310151", after),
            ["basic-310151"],
            "Chongming {kind}"
        );
        for rail in ["310101", "310115", "310117", "310112"] {
            assert_eq!(
                courts(&sc, kind, rail, after),
                ["sh-railway"],
                "{rail} {kind}"
            );
        }
        assert_eq!(
            courts(&sc, kind, "320583", after),
            courts(&base, kind, "320583", after)
        );
    }
    // Retired rules still apply before the date (Jinshan crimes: the Jinshan court under the
    // 2019-12 joint rule, SH-2020-CRIM-LOCAL, which the scenario does not retire).
    assert_eq!(
        courts(&sc, CaseKind::Criminal, "310116", "2024-06-01"),
        ["basic-310116"]
    );
    assert_eq!(
        courts(&sc, CaseKind::Criminal, "310115", "2024-06-01"),
        ["sh-railway"]
    );
}

// ---------------------------------------------------------------------------------------------
// The memo agrees with Engine::route
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A case with one point place and, for `domicile = Some(i)`, a defendant's domicile at one
/// of four county codes (by `i`), as the random-case tests build them.
fn point_case(
    kind: CaseKind,
    role: Role,
    (lon, lat): (f64, f64),
    date: Date,
    domicile: Option<usize>,
) -> Case {
    let mut case = Case::simple(
        kind,
        role,
        PlaceSpec::At {
            lon,
            lat,
            crs: Crs::Wgs84,
        },
        Some(date),
    );
    if let Some(i) = domicile {
        let mut p = case.places[0].clone();
        p.role = Role::DefendantDomicile;
        p.spec = PlaceSpec::Code(["310118", "320509", "330421", "320583"][i % 4].into());
        case.places.push(p);
    }
    case
}

#[test]
fn memo_agrees_with_route_on_random_cases() {
    for scenario in [None, Some("demo-zone-three-in-one")] {
        let e = engine_with(scenario);
        let today = day("2026-01-01");
        let router = Router::new(&e, today);
        let mut memo = Memo::new();
        let mut rng = Rng(0x1234_5678_9abc_def1);
        let kinds = [
            CaseKind::Criminal,
            CaseKind::Civil,
            CaseKind::Administrative,
            CaseKind::CivilPublicInterest,
        ];
        let mut checked = 0;
        for i in 0..6000 {
            // Points concentrated around the Demonstration Zone (many near borders), some
            // anywhere in the region, some at sea.
            let (lon, lat) = if i % 3 == 0 {
                (116.0 + rng.next() * 7.0, 28.0 + rng.next() * 7.0)
            } else {
                (120.7 + rng.next() * 0.6, 30.8 + rng.next() * 0.4)
            };
            let kind = kinds[i % kinds.len()];
            let role = match (kind, i % 5) {
                (CaseKind::Administrative, _) => Role::Agency,
                (_, 0) => Role::Result,
                _ => Role::Conduct,
            };
            let date = Date::from_days(day("2018-06-01").days() + (rng.next() * 3000.0) as i32);
            let mut case = point_case(kind, role, (lon, lat), date, (i % 7 == 0).then_some(i));
            if i % 11 == 0 {
                case.claim_amount_cny = Some(2e9);
                case.parties_cross_province = Some(false);
            }
            let got = router.summarize(&mut memo, &case);
            let want = e.route(&case, today, "");
            match (got, want) {
                (Ok(g), Ok(w)) => {
                    let d = e.explain(&g.admitted, &g.summary.outcome);
                    assert_eq!(d, w, "case {i}: {case:?}");
                }
                (Err(_), Err(_)) => {}
                (g, w) => panic!("case {i}: memo {g:?} vs route {w:?}"),
            }
            checked += 1;
        }
        assert_eq!(checked, 6000);
        assert!(
            memo.hits > 1000,
            "the memo should hit: {} hits, {} misses",
            memo.hits,
            memo.misses
        );
    }
}

/// The scenario router re-uses the baseline's admission (`Router::summarize_after`, shared
/// geodata): its summaries are those of admitting afresh, on dates either side of the
/// scenario's rules, with second places, large claims, sea and border points; and threads
/// sharing one router (one memo each) answer as one thread does.
#[test]
fn scenario_reuse_of_the_baseline_admission_is_exact() {
    let base_engine = engine_with(None);
    let p = scenario_path("demo-zone-three-in-one");
    let files = RuleFiles::embedded().with_scenario(
        &p.display().to_string(),
        std::fs::read_to_string(&p).unwrap(),
    );
    let scen_engine =
        Engine::load_shared(std::sync::Arc::clone(base_engine.geo_arc()), &files).unwrap();
    assert!(scen_engine.shares_geodata(&base_engine));
    let today = day("2026-01-01");
    let base = Router::new(&base_engine, today);
    let points = std::sync::Arc::clone(base.unit_points());
    let reuse = Router::with_courts(&scen_engine, today, base.court_ids(), points.clone());
    let fresh = Router::with_courts(&scen_engine, today, base.court_ids(), points);
    let (mut mb, mut mr, mut mf) = (Memo::new(), Memo::new(), Memo::new());
    let mut rng = Rng(0x0dd_ba11_5eed_f00d);
    let kinds = [
        CaseKind::Criminal,
        CaseKind::Civil,
        CaseKind::Administrative,
        CaseKind::CivilPublicInterest,
    ];
    let mut cases = Vec::new();
    for i in 0..4000 {
        let (lon, lat) = if i % 4 == 0 {
            (116.0 + rng.next() * 7.0, 28.0 + rng.next() * 7.0)
        } else {
            (120.7 + rng.next() * 0.6, 30.8 + rng.next() * 0.4)
        };
        let kind = kinds[i % kinds.len()];
        let role = match kind {
            CaseKind::Administrative => Role::Agency,
            _ => Role::Conduct,
        };
        let date = Date::from_days(day("2014-01-01").days() + (rng.next() * 4800.0) as i32);
        let mut case = point_case(kind, role, (lon, lat), date, (i % 5 == 0).then_some(i));
        if i % 9 == 0 {
            case.claim_amount_cny = Some(2e9);
        }
        cases.push(case);
    }
    let mut answers = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let got = match base.summarize(&mut mb, case) {
            Ok(mut r) => reuse.summarize_after(&base, &mut mr, &mut r, case),
            Err(_) => reuse.summarize(&mut mr, case).map(|r| r.summary),
        };
        let want = fresh.summarize(&mut mf, case).map(|r| r.summary);
        match (&got, &want) {
            (Ok(g), Ok(w)) => assert_eq!(**g, **w, "case {i}: {case:?}"),
            (Err(g), Err(w)) => assert_eq!(g, w, "case {i}"),
            _ => panic!("case {i}: re-used {got:?} vs fresh {want:?}"),
        }
        answers.push(want);
    }
    assert!(mr.hits > 500, "{} hits", mr.hits);
    // Two threads on one router, each with its own memo, over halves of the cases.
    let shared = Router::with_courts(
        &scen_engine,
        today,
        base.court_ids(),
        base.unit_points().clone(),
    );
    let (a, b) = cases.split_at(cases.len() / 2);
    let got: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = [a, b]
            .into_iter()
            .map(|part| {
                let shared = &shared;
                s.spawn(move || {
                    let mut memo = Memo::new();
                    part.iter()
                        .map(|c| shared.summarize(&mut memo, c).map(|r| r.summary))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    for (i, (g, w)) in got.iter().zip(&answers).enumerate() {
        match (g, w) {
            (Ok(g), Ok(w)) => assert_eq!(**g, **w, "case {i}"),
            (Err(g), Err(w)) => assert_eq!(g, w, "case {i}"),
            _ => panic!("case {i}: threads {g:?} vs one {w:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// `ecojuris batch`
// ---------------------------------------------------------------------------------------------

const CSV_INPUT: &str = "id,kind,filed_on,lon,lat,role,incident_id
qp-crim,criminal,2025-05-01,121.05,31.12,conduct,i1
qp-civ,civil,2025-05-01,121.05,31.12,,i1
qp-adm,administrative,2025-05-01,121.05,31.12,agency,i1
bad-kind,crimnal,2025-05-01,120.65,31.0,,
bad-coord,criminal,2025-05-01,abc,31.0,,
bad-lat,criminal,2025-05-01,120.9,95.0,,
missing,criminal,2025-05-01,120.9
bad-role,civil,2025-05-01,120.9,30.9,plaintif,
outside,criminal,2025-05-01,130.9,30.9,,
wj,criminal,2025-05-01,120.65,31.0,,
";

fn run_batch(input: &Path, output: &Path, extra: &[&str]) -> (i32, String) {
    let out = bin()
        .arg("batch")
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn counts_line(stderr: &str) -> (u64, u64, u64, u64) {
    let (read, routed, no_court, clarify, failed) = counts_line5(stderr);
    assert_eq!(clarify, 0, "no clarification expected: {stderr}");
    (read, routed, no_court, failed)
}

fn counts_line5(stderr: &str) -> (u64, u64, u64, u64, u64) {
    // "read N = routed A + no court B + needs clarification C + failed D; …"
    let line = stderr
        .lines()
        .find(|l| l.starts_with("read "))
        .unwrap_or_else(|| panic!("no summary in {stderr}"));
    let nums: Vec<u64> = line
        .split(';')
        .next()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    (nums[0], nums[1], nums[2], nums[3], nums[4])
}

#[test]
fn batch_csv_end_to_end_with_bad_rows() {
    let d = tmp("csv");
    let input = d.join("in.csv");
    std::fs::write(&input, CSV_INPUT).unwrap();
    let output = d.join("out.csv");
    let (code, stderr) = run_batch(&input, &output, &["--today", "2026-01-01"]);
    assert_eq!(code, 1, "some rows fail: {stderr}");
    let text = std::fs::read_to_string(&output).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "status", "courts", "relation", "warnings", "detail"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len(),
        CSV_INPUT.lines().count() - 1,
        "one output row per input row"
    );
    let by = |id: &str| {
        rows.iter()
            .find(|r| &r[0] == id)
            .unwrap_or_else(|| panic!("no row {id}"))
            .clone()
    };
    assert_eq!(&by("qp-crim")[2], "上海市青浦区人民法院");
    assert_eq!(&by("qp-civ")[2], "上海市青浦区人民法院");
    assert_eq!(&by("qp-adm")[2], "上海市青浦区人民法院");
    assert_eq!(&by("wj")[2], "苏州市吴江区人民法院");
    for (id, needle) in [
        ("bad-kind", "did you mean `criminal`"),
        ("bad-coord", "invalid longitude `abc`"),
        ("bad-lat", "latitude"),
        ("missing", "missing column"),
        ("bad-role", "unknown role `plaintif`"),
    ] {
        let r = by(id);
        assert_eq!(&r[1], "error", "{id}");
        assert!(r[5].contains(needle), "{id}: {}", &r[5]);
    }
    assert_eq!(&by("outside")[1], "no_court");
    assert!(by("outside")[5].contains("outside the covered area"));
    // Order is the input order.
    let ids: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    let want: Vec<&str> = CSV_INPUT
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, want);
    let (read, routed, no_court, failed) = counts_line(&stderr);
    assert_eq!((read, routed, no_court, failed), (10, 4, 1, 5), "{stderr}");
    assert_eq!(read, routed + no_court + failed);
}

#[test]
fn batch_jsonl_end_to_end_with_a_malformed_line() {
    let d = tmp("jsonl");
    let input = d.join("in.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "a", "kind": "criminal", "filed_on": "2025-05-01", "places": [{"role": "conduct", "code": "310118"}]}"#,
            "\n",
            r#"{"id": "b", "kind": "civil", "filed_on": "2025-05-01", "places": [{"role": "conduct", "code": "310118"}, {"role": "result", "code": "330421"}]}"#,
            "\n",
            r#"{"id": "c", "kind": "civil", "places": [{"role": "conduct", "code": "310118""#,
            "\n",
            "\n",
            r#"{"id": "d", "kind": "civl", "places": [{"role": "conduct", "code": "310118"}]}"#,
            "\n",
            r#"{"id": 5, "kind": "administrative", "filed_on": "2025-05-01", "places": [{"role": "agency", "at": [120.65, 31.0]}]}"#,
            "\n",
        ),
    )
    .unwrap();
    // JSONL in, compact JSONL out by default: status, courts with their rules, relation,
    // warning codes; well under 300 bytes a decision.
    let compact = d.join("compact.jsonl");
    let (code, stderr) = run_batch(&input, &compact, &["--today", "2026-01-01"]);
    assert_eq!(code, 1, "{stderr}");
    let text = std::fs::read_to_string(&compact).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "the blank line is not a row");
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["status"], "routed");
    assert_eq!(lines[0]["courts"][0]["court"], "basic-310118");
    assert!(
        lines[0]["courts"][0]["rules"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
    assert_eq!(lines[1]["relation"], "cross_province");
    assert_eq!(lines[2]["status"], "error");
    assert_eq!(lines[2]["id"], "line-3");
    let routed: Vec<&str> = text.lines().filter(|l| l.contains("\"routed\"")).collect();
    assert!(routed.iter().all(|l| l.len() <= 300), "{routed:?}");
    // `--full`: the whole decision per line.
    let output = d.join("out.jsonl");
    let (code, stderr) = run_batch(&input, &output, &["--today", "2026-01-01", "--full"]);
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "the blank line is not a row");
    assert_eq!(lines[0]["case_id"], "a");
    assert_eq!(lines[0]["competent"][0]["court"]["id"], "basic-310118");
    assert_eq!(lines[1]["relation"]["kind"], "cross_province");
    assert_eq!(lines[2]["status"], "error");
    assert_eq!(lines[2]["case_id"], "line-3");
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .contains("malformed JSON")
    );
    assert_eq!(lines[3]["status"], "error");
    assert!(lines[3]["error"].as_str().unwrap().contains("civil"));
    assert_eq!(lines[4]["case_id"], "5");
    assert_eq!(lines[4]["competent"][0]["court"]["id"], "basic-320509");
    assert_eq!(counts_line(&stderr), (5, 3, 0, 2));
    // JSONL in, CSV out.
    let csv_out = d.join("out.csv");
    let (_, stderr) = run_batch(&input, &csv_out, &["--today", "2026-01-01"]);
    let text = std::fs::read_to_string(&csv_out).unwrap();
    assert_eq!(text.lines().count(), 6, "{text}");
    assert!(
        text.contains("b,routed,上海市青浦区人民法院|嘉善县人民法院,cross_province,"),
        "{text}"
    );
    assert_eq!(counts_line(&stderr), (5, 3, 0, 2));
}

#[test]
fn batch_header_without_a_place_is_an_error() {
    let d = tmp("header");
    let input = d.join("in.csv");
    std::fs::write(&input, "id,kind,filed_on\n1,criminal,2025-01-01\n").unwrap();
    let (code, stderr) = run_batch(&input, &d.join("out.csv"), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("needs a place"), "{stderr}");
}

#[test]
fn generate_batch_and_simulate_are_deterministic_and_consistent() {
    let d = tmp("sim");
    let pop = d.join("pop.csv");
    let out = bin()
        .args([
            "generate-cases",
            "--mode",
            "stress",
            "--count",
            "3000",
            "--seed",
            "11",
            "--output",
        ])
        .arg(&pop)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("pop.csv.meta.json")).unwrap())
            .unwrap();
    assert_eq!(meta["count"], 3000);
    assert_eq!(meta["seed"], 11);
    let text = std::fs::read_to_string(&pop).unwrap();
    assert_eq!(text.lines().count(), 3001);
    assert!(text.starts_with("id,kind,filed_on,lon,lat,role,incident_id\n"));
    // The same seed gives the same file.
    let pop2 = d.join("pop2.csv");
    assert!(
        bin()
            .args([
                "generate-cases",
                "--mode",
                "stress",
                "--count",
                "3000",
                "--seed",
                "11",
                "--output"
            ])
            .arg(&pop2)
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(std::fs::read(&pop).unwrap(), std::fs::read(&pop2).unwrap());

    // Batch twice: byte-identical, and every row routed.
    let (o1, o2) = (d.join("o1.csv"), d.join("o2.csv"));
    let (c1, e1) = run_batch(&pop, &o1, &[]);
    let (_, _) = run_batch(&pop, &o2, &[]);
    assert_eq!(c1, 0, "{e1}");
    assert_eq!(std::fs::read(&o1).unwrap(), std::fs::read(&o2).unwrap());
    assert_eq!(counts_line(&e1), (3000, 3000, 0, 0));
    let (j1, j2) = (d.join("o1.jsonl"), d.join("o2.jsonl"));
    run_batch(&pop, &j1, &[]);
    run_batch(&pop, &j2, &[]);
    assert_eq!(std::fs::read(&j1).unwrap(), std::fs::read(&j2).unwrap());

    // Simulate.
    // The single-court scenario: since the 2019-12 joint rule the baseline already gives
    // Qingpu its own three-in-one court, so the three-in-one scenario changes nothing there.
    let scen = scenario_path("demo-zone-single-court");
    let rep = d.join("report");
    let out = bin()
        .arg("simulate")
        .arg("--scenario")
        .arg(&scen)
        .arg("--cases")
        .arg(&pop)
        .arg("--report")
        .arg(&rep)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "report.md",
        "report.html",
        "changes.csv",
        "flagged.csv",
        "workload.csv",
        "map-criminal.svg",
        "map-civil.svg",
        "map-administrative.svg",
        "workload-delta.svg",
    ] {
        assert!(rep.join(f).is_file(), "missing {f}");
    }
    let html = std::fs::read_to_string(rep.join("report.html")).unwrap();
    for attr in ["src=", "href="] {
        for (i, _) in html.match_indices(attr) {
            let tail: String = html[i..].chars().take(80).collect();
            assert!(
                !tail.to_ascii_lowercase().contains("http"),
                "external asset: {tail}"
            );
        }
    }
    assert!(!html.contains("<script"), "no scripts");
    assert!(html.contains("<svg"), "maps are inline");
    let svg = std::fs::read_to_string(rep.join("map-criminal.svg")).unwrap();
    assert!(svg.contains("青浦区") && svg.contains("Legend"));

    // Independent count of changed cases: route every case under both rule sets directly.
    let base = engine_with(None);
    let sc = engine_with(Some("demo-zone-single-court"));
    let today = day("2026-01-01");
    let mut rdr = csv::Reader::from_path(&pop).unwrap();
    let mut changed = 0;
    let mut zone_criminal = 0;
    for r in rdr.records() {
        let r = r.unwrap();
        let kind = CaseKind::parse(&r[1]).unwrap();
        let role = Role::parse(&r[5]).unwrap();
        let case = Case::simple(
            kind,
            role,
            PlaceSpec::At {
                lon: r[3].parse().unwrap(),
                lat: r[4].parse().unwrap(),
                crs: Crs::Wgs84,
            },
            Date::parse(&r[2]),
        );
        let (a, b) = (
            base.route(&case, today, "t").unwrap(),
            sc.route(&case, today, "t").unwrap(),
        );
        if a.court_ids() != b.court_ids() {
            changed += 1;
            if kind == CaseKind::Criminal {
                assert_eq!(b.court_ids(), ["basic-320509"]);
                zone_criminal += 1;
            }
        }
    }
    assert!(
        changed > 0 && zone_criminal > 0,
        "the population must exercise the scenario"
    );
    let changes = std::fs::read_to_string(rep.join("changes.csv")).unwrap();
    assert_eq!(changes.lines().count() - 1, changed, "changes.csv rows");
    let md = std::fs::read_to_string(rep.join("report.md")).unwrap();
    assert!(
        md.contains(&format!("| changed cases |  | {changed} |")),
        "{md}"
    );
    assert!(
        md.contains("SC-DZ1-ALL") && md.contains("SH-2020-CRIM-LOCAL"),
        "rules responsible are named"
    );
    assert!(
        md.contains("## Fragmentation of incidents")
            && md.contains("## Party travel to the court seat")
    );
}

/// Issue 13 item 7: one unbalanced quote must not swallow the rows after it; a quoted
/// field may hold commas, doubled quotes and line breaks (RFC 4180); an id a spreadsheet
/// would run as a formula is escaped in the CSV output.
#[test]
fn batch_csv_unbalanced_quote_loses_no_row_and_formula_ids_are_escaped() {
    let d = tmp("quotes");
    let input = d.join("in.csv");
    std::fs::write(
        &input,
        concat!(
            "id,kind,filed_on,lon,lat\n",
            "a,criminal,2025-05-01,121.12,31.15\n",
            "b,\"civil,2025-05-01,121.12,31.15\n",
            "c,civil,2025-05-01,121.12,31.15\n",
            "\"d,\"\"e\"\"\",civil,2025-05-01,121.12,31.15\n",
            "=1+2,civil,2025-05-01,121.12,31.15\n",
            "f,civil,2025-05-01,\"121.12\",31.15\n",
            "g,\"multi\n",
            "line\",2025-05-01,121.12,31.15\n",
            "h,\"civil,2025-05-01,121.12,31.15\n",
            "i,civil,2025-05-01,121.12,31.15\n",
        ),
    )
    .unwrap();
    let output = d.join("out.csv");
    let (code, stderr) = run_batch(&input, &output, &["--today", "2026-01-01"]);
    assert_eq!(code, 1, "two rows fail: {stderr}");
    let text = std::fs::read_to_string(&output).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(
        ids,
        ["a", "b", "c", "d,\"e\"", "'=1+2", "f", "g", "h", "i"],
        "every record, in order, ids kept: {text}"
    );
    let status: Vec<&str> = rows.iter().map(|r| r.get(1).unwrap()).collect();
    assert_eq!(
        status,
        [
            "routed", "error", "routed", "routed", "routed", "routed", "error", "error", "routed"
        ]
    );
    // The bad quote is reported at its line; the record spanning lines with its range.
    assert!(
        rows[1][5].contains("malformed CSV record at line 3"),
        "{}",
        &rows[1][5]
    );
    assert!(
        rows[6][5].contains("record at lines 8–9"),
        "{}",
        &rows[6][5]
    );
    assert!(
        rows[7][5].contains("line 10") && rows[7][5].contains("not closed"),
        "{}",
        &rows[7][5]
    );
    assert!(text.contains("\n'=1+2,routed,"), "{text}");
    assert_eq!(counts_line(&stderr), (9, 6, 0, 3), "{stderr}");
}

/// An ambiguous place is a question, not a failure: batch rows say `needs_clarification`
/// (with the ambiguity as the reason) and the summary counts them on their own, reconciling
/// read = routed + no court + needs clarification + failed; `--full` lines carry the
/// candidates.
#[test]
fn batch_counts_clarifications_on_their_own() {
    let d = tmp("clarify");
    let input = d.join("in.csv");
    std::fs::write(
        &input,
        "id,kind,filed_on,address\n\
         gulou,civil,2025-05-01,鼓楼区\n\
         city,civil,2025-05-01,苏州市\n\
         sip,civil,2025-05-01,江苏省苏州市苏州工业园区星湖街328号\n\
         qp,civil,2025-05-01,上海市青浦区朱家角镇\n\
         none,civil,2025-05-01,火星某路1号\n",
    )
    .unwrap();
    let output = d.join("out.csv");
    let (code, stderr) = run_batch(&input, &output, &["--today", "2026-01-01"]);
    assert_eq!(code, 1, "{stderr}");
    let text = std::fs::read_to_string(&output).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let status = |id: &str| {
        rows.iter()
            .find(|r| &r[0] == id)
            .map(|r| r[1].to_string())
            .unwrap_or_default()
    };
    assert_eq!(status("gulou"), "needs_clarification", "{text}");
    assert_eq!(status("city"), "needs_clarification", "{text}");
    // A zone whose hosts give the same court routes (warning `readings_agree`).
    assert_eq!(status("sip"), "routed", "{text}");
    assert_eq!(status("qp"), "routed", "{text}");
    assert_eq!(status("none"), "no_court", "{text}");
    let gulou = rows.iter().find(|r| &r[0] == "gulou").unwrap();
    assert!(
        gulou[5].contains("320302"),
        "the reason names the readings: {text}"
    );
    let (read, routed, no_court, clarify, failed) = counts_line5(&stderr);
    assert_eq!(
        (read, routed, no_court, clarify, failed),
        (5, 2, 1, 2, 0),
        "{stderr}"
    );
    assert_eq!(read, routed + no_court + clarify + failed);
    // Compact JSONL and `--full` JSONL agree on the status and the counts.
    for extra in [&[][..], &["--full"][..]] {
        let out = d.join("out.jsonl");
        let mut args = vec!["--today", "2026-01-01"];
        args.extend_from_slice(extra);
        let (_, stderr) = run_batch(&input, &out, &args);
        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["status"], "needs_clarification", "{extra:?}");
        if !extra.is_empty() {
            let codes: Vec<&str> = lines[0]["clarification"]["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["unit"]["adcode"].as_str().unwrap())
                .collect();
            assert_eq!(codes, ["320106", "320302"]);
        }
        assert_eq!(
            counts_line5(&stderr),
            (5, 2, 1, 2, 0),
            "{extra:?}: {stderr}"
        );
    }
}

//! Fuzzing as proptest soaks (stable toolchain, no `cargo fuzz`): random bytes and random edits
//! of valid inputs over every input surface — case documents (YAML and JSON), JSONL batch rows,
//! rule (scenario) files, compiled geodata bytes, HTTP bodies of `/v1/route`, and garbage case
//! files through the binary. Each asserts: no panic, a well-formed error (a message; a line and
//! column of at least 1 when given), impossible coordinates never accepted, never success where
//! an error is due.
//!
//! Short run (part of `cargo test`): 256 inputs per target (fewer for the slow ones, see
//! `scale`). Long run: `ECOJURIS_FUZZ_CASES=100000 cargo test --release --test it fuzz --
//! --nocapture`; each target prints the count of inputs tried and the time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "test helpers: a failure must stop the test with its message; counts are printed"
)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ecojuris::eval::Engine;
use ecojuris::input::{parse_case, row::case_from_jsonl};
use ecojuris::model::{Date, PlaceSpec};
use ecojuris::rules::RuleFiles;
use ecojuris::server::{self, ServerConfig};
use ecojuris::spatial::{EMBEDDED, GeoSet};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tower::ServiceExt as _;

/// Inputs per target: `ECOJURIS_FUZZ_CASES`, default 256.
fn budget() -> u32 {
    std::env::var("ECOJURIS_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

/// Runs `check` over `budget() / scale` inputs and prints the count and the time.
fn soak<S: Strategy>(
    name: &str,
    scale: u32,
    strategy: S,
    check: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases = (budget() / scale).max(8);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 64,
        ..Config::default()
    });
    let n = AtomicU64::new(0);
    let t = Instant::now();
    let result = runner.run(&strategy, |v| {
        n.fetch_add(1, Ordering::Relaxed);
        check(v)
    });
    eprintln!(
        "fuzz {name}: {} inputs in {:.1} s",
        n.load(Ordering::Relaxed),
        t.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("fuzz {name}: {e}");
    }
}

/// Tokens an edit may insert: YAML and JSON structure, aliases, numbers that are not numbers,
/// a byte order mark, impossible coordinates.
const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ": ",
    "\n",
    "\n  - ",
    "- ",
    "\"",
    "'",
    "&a ",
    "*a",
    "*b",
    "&b ",
    "!!str ",
    "|\n",
    ">-\n",
    "#",
    "\u{feff}",
    "NaN",
    ".nan",
    "-.inf",
    "1e999",
    "-0",
    "91",
    "181",
    "31.1, 121.4",
    "\"kind\": \"civil\", ",
    "kind: criminal\n",
    "\"places\": [], ",
    "null",
    "2024-13-45",
    "\\u0000",
    "\\ud800",
    "上海市青浦区",
    "\u{0}",
    "\t",
    "  ",
    "<<: *a\n",
];

const CASE_SEEDS: &[&str] = &[
    "id: demo-1\nkind: civil\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, at: [120.92, 31.11], crs: wgs84}\n  - {role: result, code: \"310118\"}\nship_source: false\n",
    "kind: criminal\nplaces:\n  - role: conduct\n    address: 上海市青浦区\n  - role: defendant_domicile\n    code: 320509\nclaim_amount_cny: 1000000\n",
    "a: &a {role: conduct, code: \"310118\"}\nkind: civil\nplaces: [*a, *a]\n",
    r#"{"kind":"civil","filed_on":"2024-05-01","places":[{"role":"conduct","code":"310118"}]}"#,
    r#"{"id":7,"kind":"administrative","defendant_agency_level":"county","places":[{"role":"agency","at":[121.12,31.15]},{"role":"result","address":"苏州吴江黎里"}]}"#,
];

/// A seed with up to 12 random edits: delete, insert or replace a byte, insert a token, or
/// repeat a slice (growth).
fn edited(seeds: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let edit = (
        0u8..5,
        any::<prop::sample::Index>(),
        any::<u8>(),
        prop::sample::select(TOKENS),
        0usize..40,
    );
    (
        prop::sample::select(seeds),
        prop::collection::vec(edit, 0..12),
    )
        .prop_map(|(seed, edits)| {
            let mut b = seed.as_bytes().to_vec();
            for (op, at, byte, token, len) in edits {
                let i = at.index(b.len() + 1);
                match op {
                    0 if i < b.len() => {
                        b.remove(i);
                    }
                    1 => b.insert(i, byte),
                    2 if i < b.len() => b[i] = byte,
                    3 => {
                        let tail = b.split_off(i);
                        b.extend_from_slice(token.as_bytes());
                        b.extend_from_slice(&tail);
                    }
                    _ => {
                        let end = (i + len).min(b.len());
                        let piece = b[i.min(end)..end].to_vec();
                        for _ in 0..(len % 8) {
                            b.extend_from_slice(&piece);
                        }
                    }
                }
            }
            b
        })
}

/// Random bytes or an edited seed; `true` when the input is pure random bytes.
fn garbage_or_edit(seeds: &'static [&'static str]) -> impl Strategy<Value = (bool, Vec<u8>)> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..400).prop_map(|b| (true, b)),
        4 => edited(seeds).prop_map(|b| (false, b)),
    ]
}

fn well_formed(
    message: &str,
    line: Option<usize>,
    column: Option<usize>,
) -> Result<(), TestCaseError> {
    prop_assert!(!message.trim().is_empty(), "empty error message");
    prop_assert!(line.is_none_or(|l| l >= 1), "line {line:?}: {message}");
    prop_assert!(
        column.is_none_or(|c| c >= 1),
        "column {column:?}: {message}"
    );
    Ok(())
}

fn points_are_possible(case: &ecojuris::model::Case) -> Result<(), TestCaseError> {
    for p in &case.places {
        if let PlaceSpec::At { lon, lat, .. } = p.spec {
            prop_assert!(
                lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0,
                "an impossible point was accepted: {lon},{lat}"
            );
        }
    }
    Ok(())
}

#[test]
fn fuzz_case_documents() {
    soak(
        "case documents",
        1,
        garbage_or_edit(CASE_SEEDS),
        |(random, bytes)| {
            let text = String::from_utf8_lossy(&bytes);
            for origin in ["fuzz.yaml", "fuzz.json"] {
                let t = Instant::now();
                match parse_case(&text, origin) {
                    Ok(case) => {
                        prop_assert!(!random, "random bytes parsed as a case: {text:?}");
                        points_are_possible(&case)?;
                    }
                    Err(e) => well_formed(e.message(), e.line(), e.column())?,
                }
                prop_assert!(
                    t.elapsed().as_secs() < 2,
                    "{} s on {text:?}",
                    t.elapsed().as_secs()
                );
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_jsonl_rows() {
    soak(
        "JSONL rows",
        1,
        garbage_or_edit(CASE_SEEDS),
        |(random, bytes)| {
            let text = String::from_utf8_lossy(&bytes);
            let line = text.replace('\n', " ");
            let (id, case) = case_from_jsonl(line.trim(), 7);
            prop_assert!(!id.is_empty());
            match case {
                Ok(c) => {
                    prop_assert!(!random, "random bytes parsed as a case: {line:?}");
                    points_are_possible(&c)?;
                }
                Err(e) => well_formed(&e, None, None)?,
            }
            Ok(())
        },
    );
}

fn scenario_seeds() -> &'static [&'static str] {
    static S: OnceLock<Vec<&'static str>> = OnceLock::new();
    S.get_or_init(|| {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("jurisdiction-rules/scenarios");
        let mut v: Vec<&'static str> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| &*std::fs::read_to_string(e.unwrap().path()).unwrap().leak())
            .collect();
        v.sort();
        v
    })
}

fn geo() -> &'static ecojuris::spatial::Geodata {
    static G: OnceLock<ecojuris::spatial::Geodata> = OnceLock::new();
    G.get_or_init(|| ecojuris::spatial::Geodata::embedded(Default::default()).unwrap())
}

#[test]
fn fuzz_rule_files() {
    soak("rule files", 4, edited(scenario_seeds()), |bytes| {
        let text = String::from_utf8_lossy(&bytes).to_string();
        let files = RuleFiles::embedded().with_scenario("fuzz.yaml", text);
        if let Err(e) = files.load(geo()) {
            prop_assert!(
                !e.diagnostics.is_empty(),
                "a load error without a diagnostic"
            );
            for d in &e.diagnostics {
                well_formed(&d.message, d.line, d.column)?;
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_geodata_bytes() {
    let edit = (0u8..3, any::<prop::sample::Index>(), any::<u8>());
    let strategy = (prop::collection::vec(edit, 1..6), any::<bool>());
    soak("geodata bytes", 4, strategy, |(edits, fix_checksum)| {
        let mut b = EMBEDDED.to_vec();
        for (op, at, byte) in edits {
            // Most edits go to the header (the first 4 KiB), where the structure is.
            let i = if op == 0 {
                at.index(4096.min(b.len()))
            } else {
                at.index(b.len())
            };
            match op {
                0 | 1 => b[i] ^= byte | 1,
                _ => b.truncate(i.max(1)),
            }
        }
        if fix_checksum && b.len() > 8 {
            // Past the checksum, into the parser.
            let n = b.len() - 8;
            let sum = ecojuris::spatial::store::fnv1a(&b[..n]);
            b[n..].copy_from_slice(&sum.to_le_bytes());
        }
        if let Err(e) = GeoSet::from_bytes(&b, "fuzz.ejgeo") {
            let m = e.to_string();
            prop_assert!(m.contains("fuzz.ejgeo"), "{m}");
        }
        Ok(())
    });
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn router() -> axum::Router {
    static R: OnceLock<axum::Router> = OnceLock::new();
    R.get_or_init(|| {
        let engine = Arc::new(Engine::embedded().unwrap());
        server::router(
            engine,
            ServerConfig {
                today: Date::parse("2026-01-01"),
                ..ServerConfig::default()
            },
        )
    })
    .clone()
}

#[test]
fn fuzz_http_route_bodies() {
    soak(
        "HTTP /v1/route bodies",
        2,
        garbage_or_edit(CASE_SEEDS),
        |(random, bytes)| {
            let (status, body) = runtime().block_on(async {
                let req = Request::post("/v1/route")
                    .header("content-type", "application/json")
                    .body(Body::from(bytes.clone()))
                    .unwrap();
                let resp = router().oneshot(req).await.unwrap();
                let status = resp.status();
                let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
                    .await
                    .unwrap();
                (status, body)
            });
            prop_assert!(
                status != StatusCode::INTERNAL_SERVER_ERROR,
                "500: {:?}",
                String::from_utf8_lossy(&body)
            );
            let v: serde_json::Value = serde_json::from_slice(&body)
                .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {body:?}")))?;
            if status.is_success() {
                prop_assert!(!random, "random bytes routed: {bytes:?}");
                prop_assert!(v.get("status").is_some(), "{v}");
            } else {
                let e = &v["error"];
                prop_assert!(e["code"].is_string() && e["message"].is_string(), "{v}");
                prop_assert!(!e["message"].as_str().unwrap_or("").is_empty(), "{v}");
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_cli_garbage_case_files_exit_2() {
    let dir = std::env::temp_dir().join(format!("ecojuris-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let strategy = prop::collection::vec(any::<u8>(), 0..300);
    soak("command-line garbage case files", 8, strategy, |bytes| {
        let f = dir.join("garbage.yaml");
        std::fs::write(&f, &bytes).unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_ecojuris"))
            .args(["route", f.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        prop_assert_eq!(o.status.code(), Some(2), "{:?}: {}", bytes, err);
        prop_assert!(err.starts_with("error: "), "{err}");
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&dir);
}

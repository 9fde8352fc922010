//! The HTTP API through `Router::oneshot` (no socket): bodies equal the command line's JSON,
//! errors name the field, limits answer 413, the batch streams JSONL in order, every endpoint is
//! in `/openapi.json`, and no body of random bytes or random JSON makes a handler fail (a
//! property test). One test starts the real binary to check graceful shutdown on SIGTERM.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failure must stop the test with its message"
)]

use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use ecojuris::eval::Engine;
use ecojuris::model::Date;
use ecojuris::server::{self, ServerConfig};
use proptest::prelude::*;
use serde_json::{Value, json};
use tower::ServiceExt as _;

fn engine() -> Arc<Engine> {
    static E: OnceLock<Arc<Engine>> = OnceLock::new();
    E.get_or_init(|| Arc::new(Engine::embedded().unwrap()))
        .clone()
}

fn config() -> ServerConfig {
    ServerConfig {
        today: Date::parse("2026-01-01"),
        ..ServerConfig::default()
    }
}

fn app() -> Router {
    static R: OnceLock<Router> = OnceLock::new();
    R.get_or_init(|| server::router(engine(), config())).clone()
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

struct Answer {
    status: StatusCode,
    ctype: String,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).unwrap()
    }
    fn error(&self) -> Value {
        let v = self.json();
        let e = v
            .get("error")
            .unwrap_or_else(|| panic!("no `error` object: {v}"))
            .clone();
        assert!(e.get("code").is_some_and(Value::is_string), "{v}");
        assert!(e.get("message").is_some_and(Value::is_string), "{v}");
        assert!(
            e.get("field").is_some(),
            "`field` must be present (null when unknown): {v}"
        );
        e
    }
}

async fn send_to(app: Router, req: Request<Body>) -> Answer {
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let ctype = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        ctype,
        body,
    }
}

fn call(req: Request<Body>) -> Answer {
    runtime().block_on(send_to(app(), req))
}

fn post(path: &str, body: impl Into<Body>) -> Answer {
    call(Request::post(path).body(body.into()).unwrap())
}

fn get(path: &str) -> Answer {
    call(Request::get(path).body(Body::empty()).unwrap())
}

const QINGPU: &str =
    r#"{"kind":"civil","filed_on":"2024-05-01","places":[{"role":"conduct","code":"310118"}]}"#;

// ---------------------------------------------------------------------------------------------
// /v1/route
// ---------------------------------------------------------------------------------------------

#[test]
fn route_answers_the_decision() {
    let a = post("/v1/route", QINGPU);
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.ctype, "application/json");
    let d = a.json();
    assert_eq!(d["status"], "routed");
    assert_eq!(d["competent"][0]["court"]["id"], "basic-310118");
    assert_eq!(
        d["competent"][0]["court"]["name_zh"],
        "上海市青浦区人民法院"
    );
    assert_eq!(d["relation"]["kind"], "exclusive");
}

#[test]
fn route_body_is_exactly_the_cli_json() {
    let case = r#"{"id":"cmp-1","kind":"civil","filed_on":"2024-05-01","places":[{"role":"conduct","at":[120.92,31.11],"crs":"wgs84"},{"role":"result","code":"310118"}]}"#;
    let path =
        std::env::temp_dir().join(format!("ecojuris-server-cmp-{}.json", std::process::id()));
    std::fs::write(&path, case).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ecojuris"))
        .args(["route", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = post("/v1/route", case);
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.text(), String::from_utf8(out.stdout).unwrap());
}

#[test]
fn route_without_a_date_uses_today() {
    let a = post(
        "/v1/route",
        r#"{"kind":"civil","places":[{"role":"conduct","code":"310118"}]}"#,
    );
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["filed_on"], "2026-01-01");
}

#[test]
fn no_court_is_a_decision_not_an_error() {
    // A point at sea far off the covered coast would be an error; a no-court decision is 200.
    let a = post("/v1/route", QINGPU);
    assert_eq!(a.status, StatusCode::OK);
}

#[test]
fn malformed_json_names_line_column_and_field() {
    let a = post(
        "/v1/route",
        r#"{"kind": "civil", "filed_on": 2024-05-01, "places": []}"#,
    );
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let e = a.error();
    assert_eq!(e["code"], "malformed_json");
    assert_eq!(e["field"], "filed_on");
    assert_eq!(e["line"], 1);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON at line 1 column"),
        "{e}"
    );

    let a = post(
        "/v1/route",
        "{\"kind\": \"civil\",\n \"places\": [{\"role\": \"conduct\", \"at\": [121.1, }]}",
    );
    let e = a.error();
    assert_eq!(e["field"], "places[0].at[1]", "{e}");
    assert_eq!(e["line"], 2);

    let a = post("/v1/route", "");
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.error()["code"], "malformed_json");
}

#[test]
fn unknown_field_gets_did_you_mean_like_the_cli() {
    let a = post(
        "/v1/route",
        r#"{"kind":"civil","filed_onn":"2024-01-01","places":[{"role":"conduct","code":"310118"}]}"#,
    );
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let e = a.error();
    assert_eq!(e["code"], "invalid_case");
    assert_eq!(e["field"], "filed_onn");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `filed_on`?"),
        "{e}"
    );

    let a = post(
        "/v1/route",
        r#"{"kind":"civl","places":[{"role":"conduct","code":"310118"}]}"#,
    );
    let e = a.error();
    assert_eq!(e["field"], "kind");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `civil`?"),
        "{e}"
    );

    let a = post(
        "/v1/route",
        r#"{"kind":"civil","places":[{"role":"conduct","code":"310118","crss":"wgs84"}]}"#,
    );
    assert_eq!(a.error()["field"], "places[0].crss");
}

#[test]
fn bad_values_name_the_field() {
    let cases = [
        (
            r#"{"kind":"civil","places":[{"role":"conduct","at":["a",1]}]}"#,
            "places[0].at",
        ),
        (
            r#"{"kind":"civil","places":[{"role":"conduct","at":[1,2,3]}]}"#,
            "places[0].at",
        ),
        (
            r#"{"kind":"civil","places":[{"role":"victim","code":"310118"}]}"#,
            "places[0].role",
        ),
        (
            r#"{"kind":"civil","places":[{"role":"conduct","code":"310118","at":[1,2]}]}"#,
            "places[0]",
        ),
        (r#"{"kind":"civil","places":[]}"#, "places"),
        (
            r#"{"kind":"civil","filed_on":"2024-13-40","places":[{"role":"conduct","code":"310118"}]}"#,
            "filed_on",
        ),
        (
            r#"{"kind":"civil","claim_amount_cny":-5,"places":[{"role":"conduct","code":"310118"}]}"#,
            "claim_amount_cny",
        ),
        (r#"{"places":[{"role":"conduct","code":"310118"}]}"#, "kind"),
        (
            r#"{"kind":"civil","places":[{"role":"conduct","code":"999999"}]}"#,
            "places[0]",
        ),
        (
            r#"{"kind":"administrative","filed_on":"2024-05-01","places":[{"role":"conduct","code":"310118"}]}"#,
            "places",
        ),
        (
            r#"{"kind":"civil","filed_on":"1950-01-01","places":[{"role":"conduct","code":"310118"}]}"#,
            "filed_on",
        ),
    ];
    for (body, field) in cases {
        let a = post("/v1/route", body);
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}: {}", a.text());
        let e = a.error();
        assert_eq!(e["field"], field, "{body}: {e}");
    }
    let a = post("/v1/route", "[1, 2]");
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        a.error()["message"]
            .as_str()
            .unwrap()
            .contains("found an array")
    );
}

#[test]
fn oversized_bodies_get_413() {
    let big = vec![b' '; server::BODY_LIMIT + 1];
    // Without Content-Length: counted while reading.
    let a = post("/v1/route", big.clone());
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.error()["code"], "body_too_large");
    assert!(a.error()["message"].as_str().unwrap().contains("1 MiB"));
    // With Content-Length: refused before reading.
    let req = Request::post("/v1/locate")
        .header(header::CONTENT_LENGTH, (server::BODY_LIMIT + 1).to_string())
        .body(Body::from(big))
        .unwrap();
    let a = call(req);
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    let req = Request::post("/v1/batch")
        .header(
            header::CONTENT_LENGTH,
            (server::BATCH_LIMIT + 1).to_string(),
        )
        .body(Body::empty())
        .unwrap();
    let a = call(req);
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.error()["message"].as_str().unwrap().contains("64 MiB"));
    // Exactly at the limit is fine (and then malformed).
    let mut at = vec![b' '; server::BODY_LIMIT - 2];
    at.extend_from_slice(b"{}");
    let a = post("/v1/route", at);
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[test]
fn slow_bodies_time_out() {
    let app = server::router(
        engine(),
        ServerConfig {
            timeout: Duration::from_millis(200),
            ..config()
        },
    );
    let stream = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
    let req = Request::post("/v1/route")
        .body(Body::from_stream(stream))
        .unwrap();
    let a = runtime().block_on(send_to(app, req));
    assert_eq!(a.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(a.error()["code"], "timeout");
}

// ---------------------------------------------------------------------------------------------
// /v1/locate
// ---------------------------------------------------------------------------------------------

#[test]
fn locate_point_code_and_address() {
    let a = post("/v1/locate", r#"{"at":[121.12,31.15],"crs":"wgs84"}"#);
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert_eq!(v["unit"]["adcode"], "310118");
    assert_eq!(v["unit"]["name"], "青浦区");
    // Same as the CLI's JSON.
    let out = Command::new(env!("CARGO_BIN_EXE_ecojuris"))
        .args(["locate", "--at", "121.12,31.15", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(a.text(), String::from_utf8(out.stdout).unwrap());

    let a = post("/v1/locate", r#"{"at":"121.12，31.15","crs":"gcj02"}"#);
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["crs_in"], "gcj02");

    let a = post("/v1/locate", r#"{"code":"310118"}"#);
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["unit"]["adcode"], "310118");
    let out = Command::new(env!("CARGO_BIN_EXE_ecojuris"))
        .args(["locate", "--code", "310118", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(a.text(), String::from_utf8(out.stdout).unwrap());
    let a = post("/v1/locate", r#"{"code":310118}"#);
    assert_eq!(a.json()["unit"]["adcode"], "310118");

    let a = post("/v1/locate", r#"{"address":"上海市青浦区朱家角镇"}"#);
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["unit"]["adcode"], "310118");
    for addr in [
        "上海市青浦区朱家角镇",
        "普陀区",
        "闸北区天目中路",
        "nowhere",
    ] {
        let a = post("/v1/locate", json!({ "address": addr }).to_string());
        let out = Command::new(env!("CARGO_BIN_EXE_ecojuris"))
            .args(["locate", "--address", addr, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(a.text(), String::from_utf8(out.stdout).unwrap(), "{addr}");
    }
}

#[test]
fn locate_errors_name_the_field() {
    let cases = [
        (r#"{"cod":"310118"}"#, "cod", "did you mean `code`?"),
        (r#"{"at":[121.1]}"#, "at", "[lon, lat]"),
        (r#"{"at":[121.1, 31.1], "crs":"wgs"}"#, "", ""),
        (
            r#"{"at":[121.1, 31.1], "crs":"gjc02"}"#,
            "crs",
            "did you mean `gcj02`?",
        ),
        (
            r#"{"at":[500, 31.1]}"#,
            "at",
            "longitude `500` is outside ±180",
        ),
        (r#"{"code":"999999"}"#, "code", "unknown code"),
        (
            r#"{"code":"310118", "crs":"wgs84"}"#,
            "crs",
            "applies to `at` only",
        ),
        (r#"{"code":"310118", "at":[1,2]}"#, "", "exactly one"),
        (r#"{}"#, "", "exactly one"),
        (r#"{"address": 5}"#, "address", "must be a string"),
    ];
    for (body, field, msg) in cases {
        let a = post("/v1/locate", body);
        if field.is_empty() && msg.is_empty() {
            assert_eq!(a.status, StatusCode::OK, "{body}");
            continue;
        }
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{body}: {}", a.text());
        let e = a.error();
        if field.is_empty() {
            assert!(e["field"].is_null(), "{body}: {e}");
        } else {
            assert_eq!(e["field"], field, "{body}: {e}");
        }
        assert!(e["message"].as_str().unwrap().contains(msg), "{body}: {e}");
    }
}

// ---------------------------------------------------------------------------------------------
// /v1/batch
// ---------------------------------------------------------------------------------------------

#[test]
fn batch_streams_one_line_per_case_in_order() {
    let body = format!(
        "{QINGPU}\n{{\"id\":7,\"kind\":\"civl\",\"places\":[]}}\n\n   \r\n{{broken\n{QINGPU}"
    );
    let a = post("/v1/batch", body);
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.ctype, "application/x-ndjson");
    let lines: Vec<Value> = a
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{}", a.text());
    assert_eq!(lines[0]["competent"][0]["court"]["id"], "basic-310118");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["field"], "kind");
    assert_eq!(lines[1]["case_id"], "7");
    assert_eq!(lines[1]["status"], "error");
    assert!(lines[2]["case_id"].is_null());
    assert_eq!(lines[2]["line"], 5);
    assert_eq!(lines[2]["error"]["code"], "malformed_json");
    assert_eq!(lines[3]["status"], "routed");
    // Each decision line is the route decision, compact.
    let single = post("/v1/route", QINGPU).json();
    assert_eq!(lines[0], single);
}

#[test]
fn batch_reads_a_body_in_pieces() {
    // Lines split across chunks at awkward places.
    let text = format!("{QINGPU}\n{QINGPU}\n{QINGPU}\n");
    let bytes = text.into_bytes();
    let pieces: Vec<Result<Bytes, std::io::Error>> = bytes
        .chunks(7)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let req = Request::post("/v1/batch")
        .body(Body::from_stream(futures_util::stream::iter(pieces)))
        .unwrap();
    let a = call(req);
    assert_eq!(a.text().lines().count(), 3);
    assert!(a.text().lines().all(|l| l.contains("basic-310118")));
}

#[test]
fn batch_limits_lines_and_total() {
    let app = server::router(
        engine(),
        ServerConfig {
            body_limit: 1000,
            batch_limit: 5000,
            ..config()
        },
    );
    let long = format!("{QINGPU}\n{}\n{QINGPU}\n", "x".repeat(1500));
    let a = runtime().block_on(send_to(
        app.clone(),
        Request::post("/v1/batch").body(Body::from(long)).unwrap(),
    ));
    let lines: Vec<Value> = a
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{}", a.text());
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["code"], "body_too_large");
    assert_eq!(lines[2]["status"], "routed");

    let many = format!("{QINGPU}\n").repeat(100);
    let a = runtime().block_on(send_to(
        app,
        Request::post("/v1/batch").body(Body::from(many)).unwrap(),
    ));
    let last: Value = serde_json::from_str(a.text().lines().last().unwrap()).unwrap();
    assert_eq!(last["error"]["code"], "body_too_large", "{last}");
    assert!(last["line"].is_null());
}

// ---------------------------------------------------------------------------------------------
// Registry, rules, health, OpenAPI, page
// ---------------------------------------------------------------------------------------------

#[test]
fn courts_match_the_cli_and_filter() {
    let a = get("/v1/courts");
    assert_eq!(a.status, StatusCode::OK);
    let out = Command::new(env!("CARGO_BIN_EXE_ecojuris"))
        .args(["courts", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(a.text(), String::from_utf8(out.stdout).unwrap());
    let all = a.json().as_array().unwrap().len();
    let a = get("/v1/courts?province=310000&level=basic");
    let some = a.json();
    let some = some.as_array().unwrap();
    assert!(!some.is_empty() && some.len() < all);
    assert!(
        some.iter()
            .all(|c| c["province"] == "310000" && c["level"] == "basic")
    );
    let a = get("/v1/courts?levl=basic");
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.error()["field"], "levl");
    let a = get("/v1/courts?level=middle");
    assert_eq!(a.error()["field"], "level");
}

#[test]
fn rules_list_versions_dates_and_sources() {
    let v = get("/v1/rules").json();
    assert_eq!(
        v["rules_version"].as_str().unwrap(),
        engine().rules().version
    );
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), engine().rules().rules.len());
    assert!(rules.iter().any(|r| r["valid_from"].is_string()));
    let keys: std::collections::BTreeSet<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    for r in rules {
        for s in r["sources"].as_array().unwrap() {
            assert!(
                keys.contains(s.as_str().unwrap()),
                "rule {} cites unknown source {s}",
                r["id"]
            );
        }
    }
}

#[test]
fn health_and_fallbacks() {
    let v = get("/healthz").json();
    assert_eq!(v["status"], "ok");
    let a = get("/nope");
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.error()["code"], "not_found");
    let a = get("/v1/route");
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.error()["code"], "method_not_allowed");
}

#[test]
fn openapi_describes_every_endpoint() {
    let a = get("/openapi.json");
    assert_eq!(a.status, StatusCode::OK);
    let spec = a.json();
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    let served = [
        ("/v1/route", "post"),
        ("/v1/locate", "post"),
        ("/v1/batch", "post"),
        ("/v1/courts", "get"),
        ("/v1/rules", "get"),
        ("/healthz", "get"),
        ("/openapi.json", "get"),
        ("/", "get"),
        ("/app.js", "get"),
        ("/app.css", "get"),
        ("/map.svg", "get"),
    ];
    assert_eq!(
        paths.len(),
        served.len(),
        "documented paths: {:?}",
        paths.keys().collect::<Vec<_>>()
    );
    for (p, m) in served {
        assert!(
            paths.get(p).and_then(|x| x.get(m)).is_some(),
            "`{m} {p}` is not documented"
        );
        let a = if m == "get" { get(p) } else { post(p, "{}") };
        assert_ne!(
            a.status,
            StatusCode::NOT_FOUND,
            "{p} documented but not served"
        );
        assert_ne!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{p}");
    }
    // Every $ref resolves.
    let text = a.text();
    for part in text.split("\"$ref\":").skip(1) {
        let r = part
            .trim_start()
            .trim_start_matches('"')
            .split('"')
            .next()
            .unwrap();
        let mut node = &spec;
        for seg in r.trim_start_matches("#/").split('/') {
            node = node
                .get(seg)
                .unwrap_or_else(|| panic!("unresolved $ref {r}"));
        }
    }
}

#[test]
fn page_map_and_assets_are_served_from_the_binary() {
    let a = get("/");
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.ctype.starts_with("text/html"));
    let html = a.text();
    assert!(html.contains("<svg") && html.contains("id=\"map\""));
    assert!(!html.contains("<!--MAP-->") && !html.contains("{{"));
    // No network assets: every src/href is local.
    for attr in ["src=\"", "href=\""] {
        for part in html.split(attr).skip(1) {
            let url = part.split('"').next().unwrap();
            assert!(
                url.starts_with('/') || url.starts_with('#'),
                "external asset `{url}`"
            );
        }
    }
    let units = html.matches("class=\"u p").count();
    assert_eq!(units, engine().geo().units().len());
    for (p, t) in [
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
        ("/map.svg", "image/svg+xml"),
    ] {
        let a = get(p);
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.ctype.starts_with(t), "{p}: {}", a.ctype);
        assert!(!a.body.is_empty());
    }
    assert!(get("/map.svg").body.len() < 400_000, "map too heavy");
}

// ---------------------------------------------------------------------------------------------
// No failure on any body
// ---------------------------------------------------------------------------------------------

fn check_any_body(path: &'static str, body: Vec<u8>) -> Result<(), TestCaseError> {
    let a = post(path, body.clone());
    prop_assert!(
        matches!(
            a.status,
            StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE
        ),
        "{path} answered {} to {:?}: {}",
        a.status,
        String::from_utf8_lossy(&body),
        a.text()
    );
    if path == "/v1/batch" {
        for line in a.text().lines() {
            prop_assert!(
                serde_json::from_str::<Value>(line).is_ok(),
                "bad JSONL line {line}"
            );
        }
    } else {
        let v: Value =
            serde_json::from_slice(&a.body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if a.status != StatusCode::OK {
            prop_assert!(
                v["error"]["code"].is_string() && v["error"].get("field").is_some(),
                "{v}"
            );
        }
    }
    Ok(())
}

/// JSON values shaped like cases, with random and wrong values in every slot.
fn jsonish() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        (100.0f64..130.0, 20.0f64..40.0).prop_map(|(a, b)| json!([a, b])),
        "[a-z_]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "civil",
            "criminal",
            "conduct",
            "result",
            "310118",
            "320509",
            "330421",
            "wgs84",
            "gcj02",
            "bd09",
            "2024-05-01",
            "1900-01-01",
            "上海市青浦区",
            "苏州吴江黎里",
            "",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    let keys = prop::sample::select(vec![
        "id",
        "kind",
        "filed_on",
        "places",
        "role",
        "at",
        "code",
        "address",
        "crs",
        "ship_source",
        "claim_amount_cny",
        "max_penalty",
        "brought_by",
        "defendant_agency_level",
        "x",
    ]);
    leaf.prop_recursive(4, 40, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..6).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_fail(
        path in prop::sample::select(vec!["/v1/route", "/v1/locate", "/v1/batch"]),
        body in prop::collection::vec(any::<u8>(), 0..600),
    ) {
        check_any_body(path, body)?;
    }

    #[test]
    fn random_json_never_fails(
        path in prop::sample::select(vec!["/v1/route", "/v1/locate", "/v1/batch"]),
        v in jsonish(),
    ) {
        check_any_body(path, serde_json::to_vec(&v).unwrap())?;
    }

    #[test]
    fn random_cases_never_fail(
        kind in prop::sample::select(vec!["civil", "criminal", "administrative", "civil_public_interest",
            "administrative_public_interest", "criminal_incidental_civil_public_interest", "eco_damage_compensation"]),
        role in prop::sample::select(vec!["conduct", "result", "defendant_domicile", "agency", "landing"]),
        lon in 110.0f64..130.0,
        lat in 20.0f64..40.0,
        crs in prop::sample::select(vec!["wgs84", "gcj02", "bd09"]),
        year in 1985i32..2031,
        ship in any::<bool>(),
    ) {
        let case = json!({"kind": kind, "filed_on": format!("{year}-06-30"), "ship_source": ship,
            "places": [{"role": role, "at": [lon, lat], "crs": crs}]});
        check_any_body("/v1/route", serde_json::to_vec(&case).unwrap())?;
    }
}

// ---------------------------------------------------------------------------------------------
// The real binary: SIGTERM shuts it down gracefully
// ---------------------------------------------------------------------------------------------

#[test]
fn sigterm_shuts_down_gracefully() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecojuris"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.starts_with("listening on http://127.0.0.1:"),
        "{first}"
    );
    let addr = first
        .trim_start_matches("listening on http://")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    // It answers.
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    std::io::Write::write_all(
        &mut s,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let mut resp = String::new();
    std::io::Read::read_to_string(&mut s, &mut resp).unwrap();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let start = std::time::Instant::now();
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            panic!("server still running 15 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(code.success(), "exit status {code}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "shut down"), "{rest:?}");
}

// ---------------------------------------------------------------------------------------------
// Issue 13, items 4, 8, 11: the API's inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_keys_are_refused_by_route_and_batch() {
    // Last-wins would have routed this as a criminal case.
    let dup = r#"{"kind":"civil","places":[{"role":"conduct","code":"310118"}],"kind":"criminal"}"#;
    let a = post("/v1/route", dup);
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text());
    let e = a.error();
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("duplicate key `kind`"),
        "{e}"
    );
    let nested =
        r#"{"kind":"civil","places":[{"role":"conduct","code":"310118","code":"320500"}]}"#;
    let a = post("/v1/batch", format!("{nested}\n{QINGPU}\n"));
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let lines: Vec<Value> = a
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", a.text());
    assert!(
        lines[0].to_string().contains("duplicate key `code`"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1]["status"], "routed", "{}", lines[1]);
}

#[test]
fn impossible_points_are_400_with_the_swap_named() {
    let swapped = r#"{"kind":"civil","places":[{"role":"conduct","at":[31.1,121.4]}]}"#;
    let a = post("/v1/route", swapped);
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text());
    let m = a.error()["message"].as_str().unwrap().to_string();
    assert!(m.contains("did you mean `121.4,31.1`?"), "{m}");
    // Beside a valid place, the impossible one is not dropped.
    let mixed = r#"{"kind":"civil","places":[{"role":"result","code":"310118"},{"role":"conduct","at":[200,31]}]}"#;
    let a = post("/v1/route", mixed);
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text());
    let a = post("/v1/locate", r#"{"at":[31.1,121.4]}"#);
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text());
    assert!(a.text().contains("121.4,31.1"), "{}", a.text());
}

#[test]
fn a_bom_is_accepted_and_deep_nesting_is_refused_at_once() {
    let a = post("/v1/route", format!("\u{feff}{QINGPU}"));
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let t = std::time::Instant::now();
    let a = post("/v1/route", deep);
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text());
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Errors in both languages, why-not
// ---------------------------------------------------------------------------------------------

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// `messages.en` is `message`, `messages.zh` is Chinese.
fn assert_bilingual(e: &Value) {
    assert_eq!(e["messages"]["en"], e["message"], "{e}");
    let zh = e["messages"]["zh"].as_str().unwrap_or("");
    assert!(has_chinese(zh), "{e}");
}

#[test]
fn error_bodies_carry_chinese() {
    let a = post("/v1/route", r#"{"kind": "civil", "places": [}"#);
    assert_eq!(a.error()["code"], "malformed_json");
    assert_bilingual(&a.error());
    assert!(
        a.error()["messages"]["zh"]
            .as_str()
            .unwrap()
            .starts_with("JSON 格式错误")
    );

    let a = post(
        "/v1/route",
        r#"{"kind":"administrative","filed_on":"2024-01-01","places":[{"role":"conduct","at":[121.1,31.1]}]}"#,
    );
    let e = a.error();
    assert_eq!(e["code"], "invalid_case");
    assert_bilingual(&e);
    let zh = e["messages"]["zh"].as_str().unwrap();
    assert!(!zh.contains("needs a place with role"), "{zh}");

    let req = Request::post("/v1/route")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(QINGPU))
        .unwrap();
    let a = call(req);
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_bilingual(&a.error());

    let a = post("/v1/route", vec![b' '; server::BODY_LIMIT + 1]);
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_bilingual(&a.error());

    let a = get("/v1/nothing-here");
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_bilingual(&a.error());
}

#[test]
fn batch_error_lines_carry_chinese() {
    let a = post("/v1/batch", "{\"kind\": \"civl\", \"places\": []}\n");
    let line: Value = serde_json::from_str(a.text().lines().next().unwrap()).unwrap();
    assert_eq!(line["status"], "error");
    assert_bilingual(&line["error"]);
}

#[test]
fn route_answers_why_not() {
    let body = r#"{"kind":"criminal","filed_on":"2018-03-01","places":[{"role":"conduct","code":"310118"}],"why_not":["basic-310118"]}"#;
    let a = post("/v1/route", body);
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let d = a.json();
    assert_eq!(d["competent"][0]["court"]["id"], "sh-railway");
    let w = &d["why_not"][0];
    assert_eq!(w["competent"], false);
    assert!(
        w["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["reason"]["code"] == "overridden"
                && r["reason"]["en"].as_str().unwrap().contains("SH-2016-CRIM")),
        "{w}"
    );
    // Without `why_not` the body is the plain decision.
    let plain = post("/v1/route", QINGPU).json();
    assert!(plain.get("why_not").is_none());
    // An unknown court is a 400 naming the entry, with a suggestion.
    let body = r#"{"kind":"criminal","places":[{"role":"conduct","code":"310118"}],"why_not":["basic-31018"]}"#;
    let a = post("/v1/route", body);
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let e = a.error();
    assert_eq!(e["code"], "unknown_court");
    assert_eq!(e["field"], "why_not[0]");
    assert!(
        e["message"].as_str().unwrap().contains("basic-310118"),
        "{e}"
    );
    assert_bilingual(&e);
    let a = post(
        "/v1/route",
        r#"{"kind":"criminal","places":[{"role":"conduct","code":"310118"}],"why_not":"x"}"#,
    );
    assert_eq!(a.error()["field"], "why_not");
}

/// The API answers as the command line does for development zones and clarifications: a zone
/// code locates to the zone and its hosts (as `locate --code`), and a city alone, a zone in
/// several units or `鼓楼区` route to `needs_clarification` with the candidates.
#[test]
fn zones_and_clarifications_over_the_api() {
    let a = post("/v1/locate", r#"{"code":"320576"}"#);
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert_eq!(v["zone"]["id"], "suzhou-sip");
    let out = Command::new(env!("CARGO_BIN_EXE_ecojuris"))
        .args(["locate", "--code", "320576", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(a.text(), String::from_utf8(out.stdout).unwrap());
    for (addr, first) in [
        ("苏州市", "320505"),
        ("鼓楼区", "320106"),
        ("上海化学工业区", "310116"),
    ] {
        let body = json!({"kind": "civil", "filed_on": "2025-06-01",
            "places": [{"role": "conduct", "address": addr}]});
        let a = post("/v1/route", body.to_string());
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let d = a.json();
        assert_eq!(d["status"], "needs_clarification", "{addr}: {d}");
        assert_eq!(
            d["clarification"]["candidates"][0]["unit"]["adcode"], first,
            "{addr}: {d}"
        );
    }
    // A zone whose hosts agree routes, the readings named in a warning.
    let body = json!({"kind": "civil", "filed_on": "2025-06-01",
        "places": [{"role": "conduct", "address": "苏州工业园区"}]});
    let d = post("/v1/route", body.to_string()).json();
    assert_eq!(d["status"], "routed", "{d}");
    assert_eq!(d["competent"][0]["grounds"][0]["zone"]["id"], "suzhou-sip");
    assert!(
        d["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "readings_agree"),
        "{d}"
    );
    let body = json!({"kind": "civil", "filed_on": "2025-06-01",
        "places": [{"role": "conduct", "address": "湖州市南太湖新区"}]});
    let d = post("/v1/route", body.to_string()).json();
    assert_eq!(
        d["competent"][0]["grounds"][0]["zone"]["id"],
        "huzhou-south-taihu"
    );
}

//! Issue 13 regressions: outputs that are complete or absent, rule files that cannot be
//! skipped, geodata that is checked, and a server that cannot be stalled.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use ecojuris::eval::Engine;
use ecojuris::model::Date;
use ecojuris::server::{self, ConnLimits, ServerConfig};
use ecojuris::spatial::{EMBEDDED, GeoSet};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ecojuris"))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ecojuris-robust-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

const QINGPU_JSON: &str =
    r#"{"kind":"civil","filed_on":"2024-05-01","places":[{"role":"conduct","code":"310118"}]}"#;

fn jsonl_cases(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&QINGPU_JSON.replacen('{', &format!("{{\"id\":\"c{i}\","), 1));
        s.push('\n');
    }
    s
}

fn csv_points(n: usize) -> String {
    let mut s = String::from("id,lon,lat\n");
    for i in 0..n {
        s.push_str(&format!("p{i},121.12,31.15\n"));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// 1. An output that is the input is refused before anything is written

#[test]
fn batch_and_locate_refuse_an_output_that_is_the_input_even_through_links() {
    let d = tmp("same");
    let cases = d.join("p.jsonl");
    std::fs::write(&cases, jsonl_cases(50)).unwrap();
    let points = d.join("p.csv");
    std::fs::write(&points, csv_points(50)).unwrap();
    std::fs::hard_link(&cases, d.join("hard.jsonl")).unwrap();
    std::os::unix::fs::symlink(&points, d.join("soft.csv")).unwrap();
    let before = (
        std::fs::read(&cases).unwrap(),
        std::fs::read(&points).unwrap(),
    );
    let runs: Vec<(Vec<&str>, PathBuf, PathBuf)> = vec![
        (vec!["batch"], cases.clone(), cases.clone()),
        (vec!["batch"], cases.clone(), d.join("hard.jsonl")),
        (vec!["locate", "--input"], points.clone(), points.clone()),
        (
            vec!["locate", "--input"],
            points.clone(),
            d.join("soft.csv"),
        ),
    ];
    for (cmd, input, output) in runs {
        let out = bin()
            .args(&cmd)
            .arg(&input)
            .arg("--output")
            .arg(&output)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd:?} {output:?}: {err}");
        assert!(
            err.contains("refusing to write") && err.contains("is the input"),
            "{err}"
        );
    }
    assert_eq!(std::fs::read(&cases).unwrap(), before.0, "input changed");
    assert_eq!(std::fs::read(&points).unwrap(), before.1, "input changed");
    assert_eq!(
        listing(&d),
        ["hard.jsonl", "p.csv", "p.jsonl", "soft.csv"],
        "no temporary file left"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_failed_batch_leaves_no_file_under_the_output_name() {
    let d = tmp("fail");
    // A directory named like an input: opening works, reading fails after the output opened.
    std::fs::create_dir(d.join("in.jsonl")).unwrap();
    std::fs::write(d.join("old.jsonl"), "earlier output\n").unwrap();
    let out = bin()
        .arg("batch")
        .arg(d.join("in.jsonl"))
        .arg("--output")
        .arg(d.join("out.jsonl"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(listing(&d), ["in.jsonl", "old.jsonl"]);
    let _ = std::fs::remove_dir_all(&d);
}

/// Starts `args` with a stdin pipe kept open, feeds `head`, waits until the command has
/// opened its temporary output in `dir`, sends `signal` and returns (exit code, stderr).
fn interrupt(args: &[&str], dir: &Path, head: &str, signal: &str) -> (Option<i32>, String) {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(head.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let start = Instant::now();
    while !listing(dir).iter().any(|f| f.ends_with(".tmp")) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no temporary file in {dir:?}: {:?}",
            listing(dir)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Let the reader block on the open pipe with rows in flight.
    std::thread::sleep(Duration::from_millis(300));
    let st = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn sigterm_or_sigint_during_batch_or_locate_leaves_no_output_and_says_so() {
    let d = tmp("sig");
    let out = d.join("out.jsonl");
    let args = [
        "batch",
        "-",
        "--input-format",
        "jsonl",
        "--output",
        out.to_str().unwrap(),
    ];
    let (code, err) = interrupt(&args, &d, &jsonl_cases(2000), "-TERM");
    assert_eq!(code, Some(143), "{err}");
    assert!(
        err.contains("interrupted by SIGTERM") && err.contains("no output written"),
        "{err}"
    );
    assert!(listing(&d).is_empty(), "{:?}", listing(&d));

    let out = d.join("loc.csv");
    let args = ["locate", "--input", "-", "--output", out.to_str().unwrap()];
    let (code, err) = interrupt(&args, &d, &csv_points(2000), "-INT");
    assert_eq!(code, Some(130), "{err}");
    assert!(err.contains("interrupted by SIGINT"), "{err}");
    assert!(listing(&d).is_empty(), "{:?}", listing(&d));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_reused_simulate_report_folder_holds_only_the_latest_run() {
    let d = tmp("report");
    let cases = d.join("cases.jsonl");
    std::fs::write(&cases, jsonl_cases(20)).unwrap();
    let scen = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("jurisdiction-rules/scenarios/demo-zone-three-in-one.yaml");
    let rep = d.join("report");
    let run = |kind: &str| {
        let out = bin()
            .arg("simulate")
            .arg("--scenario")
            .arg(&scen)
            .arg("--cases")
            .arg(&cases)
            .arg("--report")
            .arg(&rep)
            .args(["--map-kind", kind, "--today", "2026-01-01"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run("criminal");
    assert!(rep.join("map-criminal.svg").is_file());
    // A file the user keeps in the folder is not the report's.
    std::fs::write(rep.join("notes.txt"), "mine").unwrap();
    run("civil");
    let files = listing(&rep);
    assert!(files.contains(&"map-civil.svg".to_string()), "{files:?}");
    assert!(
        !files.contains(&"map-criminal.svg".to_string()),
        "stale file of the earlier run: {files:?}"
    );
    assert!(files.contains(&"notes.txt".to_string()), "{files:?}");
    assert!(!files.iter().any(|f| f.ends_with(".tmp")), "{files:?}");
    let manifest = std::fs::read_to_string(rep.join(".ecojuris-report")).unwrap();
    assert!(manifest.lines().any(|l| l == "map-civil.svg"), "{manifest}");
    assert!(!manifest.contains("notes.txt"), "{manifest}");
    let _ = std::fs::remove_dir_all(&d);
}

// ---------------------------------------------------------------------------------------------
// 6. A rule file that cannot be read is an error, never skipped

fn rules_copy(name: &str) -> PathBuf {
    let d = tmp(name);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("jurisdiction-rules");
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, d.join(p.file_name().unwrap())).unwrap();
        }
    }
    d
}

#[test]
fn a_dangling_symlink_or_a_directory_named_yaml_in_rules_is_an_error_naming_it() {
    // The Qingpu criminal case that silently went to the wrong court when shanghai.yaml was
    // skipped.
    for (what, name) in [("dangling", "shanghai.yaml"), ("dir", "shanghai.yaml")] {
        let d = rules_copy(what);
        std::fs::remove_file(d.join(name)).unwrap();
        if what == "dangling" {
            std::os::unix::fs::symlink(d.join("nowhere.yaml"), d.join(name)).unwrap();
        } else {
            std::fs::create_dir(d.join(name)).unwrap();
        }
        let out = bin()
            .arg("--rules")
            .arg(&d)
            .args([
                "route",
                "--kind",
                "criminal",
                "--conduct",
                "310118",
                "--date",
                "2024-05-01",
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains(name), "{what}: {err}");
        assert!(
            err.contains(if what == "dangling" {
                "symbolic link"
            } else {
                "directory"
            }),
            "{what}: {err}"
        );
        let _ = std::fs::remove_dir_all(&d);
    }
}

// ---------------------------------------------------------------------------------------------
// 10. Geodata

#[test]
fn a_corrupted_compiled_file_is_refused_by_its_checksum() {
    assert!(GeoSet::from_bytes(EMBEDDED, "yrd.ejgeo").is_ok());
    let mut bytes = EMBEDDED.to_vec();
    // 2,000 flipped bytes in the coordinates (they would still parse).
    let start = bytes.len() / 2;
    for b in &mut bytes[start..start + 2000] {
        *b ^= 0x01;
    }
    let err = GeoSet::from_bytes(&bytes, "bad.ejgeo")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad.ejgeo") && err.contains("checksum mismatch"),
        "{err}"
    );
    // A file of the previous format is named as such.
    let mut old = EMBEDDED.to_vec();
    old[7] = 1;
    let err = GeoSet::from_bytes(&old, "old.ejgeo")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("format version 1") && err.contains("geodata compile"),
        "{err}"
    );
    // Truncated.
    let err = GeoSet::from_bytes(&EMBEDDED[..EMBEDDED.len() - 3], "cut.ejgeo")
        .unwrap_err()
        .to_string();
    assert!(err.contains("cut.ejgeo"), "{err}");
}

#[test]
fn geodata_outside_the_covered_region_is_refused_naming_the_unit() {
    let set = GeoSet::from_bytes(EMBEDDED, "<embedded>").unwrap();
    assert!(set.check_extent("<e>", "<e>", "<e>").is_ok());
    let mut stray = set.clone();
    stray.units[0].1[0][1] = [0, 0];
    let err = stray
        .check_extent(
            "custom/counties.geojson",
            "custom/features.geojson",
            "custom",
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("custom/counties.geojson")
            && err.contains(&format!("unit `{}`", set.units[0].0.adcode))
            && err.contains("outside the covered region"),
        "{err}"
    );
    // End to end with `--geodata`: a compiled file with one world-sized ring.
    let d = tmp("geo");
    let mut world = set.clone();
    world.features[0].1[0] = vec![
        [-179_000_000, -80_000_000],
        [179_000_000, -80_000_000],
        [179_000_000, 80_000_000],
    ];
    // `to_bytes` seals it with a valid checksum: only the extent check can refuse it.
    let bytes = world.to_bytes();
    std::fs::write(d.join("geodata.ejgeo"), &bytes).unwrap();
    let out = bin()
        .arg("--geodata")
        .arg(&d)
        .args(["locate", "--at", "121.12,31.15"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("geodata.ejgeo") && err.contains("outside the covered region"),
        "{err}"
    );
    // A source folder: the error names the file that holds the stray vertex.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/source");
    let s = tmp("geo-source");
    for f in std::fs::read_dir(&src).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, s.join(f.file_name().unwrap())).unwrap();
    }
    let text = std::fs::read_to_string(s.join("counties.geojson")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ring = match doc["features"][0]["geometry"]["type"].as_str() {
        Some("Polygon") => &mut doc["features"][0]["geometry"]["coordinates"][0],
        _ => &mut doc["features"][0]["geometry"]["coordinates"][0][0],
    };
    ring.as_array_mut()
        .unwrap()
        .insert(1, serde_json::json!([0.0, 0.0]));
    std::fs::write(s.join("counties.geojson"), doc.to_string()).unwrap();
    for args in [
        vec![
            "--geodata",
            s.to_str().unwrap(),
            "locate",
            "--at",
            "121.12,31.15",
        ],
        vec![
            "geodata",
            "compile",
            s.to_str().unwrap(),
            "--out",
            "x.ejgeo",
        ],
    ] {
        let (code, _, err, _) = run_in(&d, &args);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("counties.geojson") && err.contains("vertex `[0, 0]`"),
            "{err}"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
    let _ = std::fs::remove_dir_all(&s);
}

// ---------------------------------------------------------------------------------------------
// 2, 3, 9. The server

fn engine() -> Arc<Engine> {
    static E: std::sync::OnceLock<Arc<Engine>> = std::sync::OnceLock::new();
    E.get_or_init(|| Arc::new(Engine::embedded().unwrap()))
        .clone()
}

struct TestServer {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    stopping: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    fn start(config: ServerConfig, limits: ConnLimits) -> TestServer {
        let stopping = config.stopping.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (atx, arx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                atx.send(listener.local_addr().unwrap()).unwrap();
                let flag = config.stopping.clone();
                let router = server::router(engine(), config);
                let shutdown = async move {
                    let _ = rx.await;
                    flag.store(true, Ordering::Relaxed);
                };
                server::serve_with(listener, router, shutdown, limits)
                    .await
                    .unwrap();
            });
        });
        TestServer {
            addr: arx.recv().unwrap(),
            stop: Some(tx),
            stopping,
            thread: Some(thread),
        }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s
    }

    fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::Relaxed);
        self.shutdown();
    }
}

fn test_config() -> ServerConfig {
    ServerConfig {
        today: Date::parse("2026-01-01"),
        ..ServerConfig::default()
    }
}

/// One request with `Connection: close`; the whole answer (head and body) as text.
fn request(s: &ServerAddr, head: &str, body: &[u8]) -> String {
    let mut c = TcpStream::connect(s).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    c.write_all(head.as_bytes()).unwrap();
    c.write_all(body).unwrap();
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    String::from_utf8_lossy(&out).to_string()
}

type ServerAddr = std::net::SocketAddr;

fn post_head(path: &str, ctype: &str, len: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {ctype}\r\nContent-Length: {len}\r\n\r\n"
    )
}

/// Decodes a chunked body (enough for these tests).
fn dechunk(resp: &str) -> String {
    let bytes = resp.as_bytes();
    let Some(start) = resp.find("\r\n\r\n") else {
        return String::new();
    };
    let mut rest = &bytes[start + 4..];
    let mut out: Vec<u8> = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..eol]).unwrap_or("0");
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let data = &rest[eol + 2..];
        if n == 0 || data.len() < n {
            break;
        }
        out.extend_from_slice(&data[..n]);
        rest = data.get(n + 2..).unwrap_or(&[]);
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn stalled_batch_uploads_release_their_slots_by_the_deadline() {
    let config = ServerConfig {
        max_batches: 2,
        batch_timeout: Duration::from_secs(1),
        ..test_config()
    };
    let srv = TestServer::start(config, ConnLimits::default());
    let head = "POST /v1/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    let line = format!("{QINGPU_JSON}\n");
    let chunk = format!("{:x}\r\n{line}\r\n", line.len());
    // Two clients take both slots, send one line and stall.
    let mut stalled: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut c = srv.connect();
            c.write_all(head.as_bytes()).unwrap();
            c.write_all(chunk.as_bytes()).unwrap();
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let busy = request(
        &srv.addr,
        &post_head("/v1/batch", "application/x-ndjson", line.len()),
        line.as_bytes(),
    );
    assert!(busy.starts_with("HTTP/1.1 503"), "{busy}");
    // Each stalled client gets its decision, then a timeout line, and its slot back.
    for c in &mut stalled {
        let mut out = Vec::new();
        let start = Instant::now();
        let _ = c.read_to_end(&mut out);
        assert!(start.elapsed() < Duration::from_secs(10));
        let text = dechunk(&String::from_utf8_lossy(&out));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].contains("\"status\":\"routed\""), "{text}");
        assert!(lines[1].contains("\"code\":\"timeout\""), "{text}");
    }
    let ok = request(
        &srv.addr,
        &post_head("/v1/batch", "application/x-ndjson", line.len()),
        line.as_bytes(),
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(dechunk(&ok).contains("\"status\":\"routed\""), "{ok}");
}

#[test]
fn a_client_uploading_a_large_batch_before_reading_does_not_deadlock() {
    let srv = TestServer::start(test_config(), ConnLimits::default());
    // 14 MB of cases (as in the report; 12 MB already stalled the earlier server on the
    // development machine): hundreds of MB of answers that the client does not read until its
    // upload is complete.
    let mut body = String::with_capacity(15 << 20);
    let mut n = 0usize;
    while body.len() < 14 << 20 {
        body.push_str(QINGPU_JSON);
        body.push('\n');
        n += 1;
    }
    let mut c = srv.connect();
    c.set_write_timeout(Some(Duration::from_secs(60))).unwrap();
    c.write_all(post_head("/v1/batch", "application/x-ndjson", body.len()).as_bytes())
        .unwrap();
    // The whole body is written before a byte is read.
    c.write_all(body.as_bytes())
        .expect("the server stopped reading the upload");
    drop(body);
    // Read the chunked answer as a stream (it is large): every chunk is whole lines.
    let mut r = std::io::BufReader::new(c);
    let mut head = String::new();
    loop {
        head.clear();
        std::io::BufRead::read_line(&mut r, &mut head).unwrap();
        if head == "\r\n" || head.is_empty() {
            break;
        }
    }
    let (mut lines, mut routed) = (0usize, 0usize);
    let mut chunk = Vec::new();
    loop {
        head.clear();
        std::io::BufRead::read_line(&mut r, &mut head).unwrap();
        let size = usize::from_str_radix(head.trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        chunk.resize(size + 2, 0);
        r.read_exact(&mut chunk).unwrap();
        let text = std::str::from_utf8(&chunk[..size]).unwrap();
        lines += text.matches('\n').count();
        routed += text.matches("\"status\":\"routed\"").count();
    }
    assert_eq!(lines, n);
    assert_eq!(routed, n);
}

#[test]
fn at_shutdown_a_running_batch_ends_with_an_error_line_not_mid_record() {
    let mut srv = TestServer::start(test_config(), ConnLimits::default());
    let mut c = srv.connect();
    c.write_all(b"POST /v1/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    let body = jsonl_cases(3);
    c.write_all(format!("{:x}\r\n{body}\r\n", body.len()).as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    srv.shutdown();
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    let text = dechunk(&String::from_utf8_lossy(&out));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    for l in &lines {
        serde_json::from_str::<serde_json::Value>(l).unwrap();
    }
    assert!(lines[3].contains("\"code\":\"shutting_down\""), "{text}");
    assert!(text.ends_with('\n'));
}

#[test]
fn oversized_answers_are_refused_and_content_type_is_checked() {
    let srv = TestServer::start(
        ServerConfig {
            response_limit: 16 << 10,
            ..test_config()
        },
        ConnLimits::default(),
    );
    // Many places: the answer grows with them.
    let places: Vec<String> = (0..200)
        .map(|_| r#"{"role":"conduct","code":"310118"}"#.to_string())
        .collect();
    let case = format!(
        r#"{{"kind":"civil","filed_on":"2024-05-01","places":[{}]}}"#,
        places.join(",")
    );
    let r = request(
        &srv.addr,
        &post_head("/v1/route", "application/json", case.len()),
        case.as_bytes(),
    );
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");
    assert!(
        r.contains("\"code\":\"response_too_large\"") && r.contains("16 KiB"),
        "{r}"
    );
    let ok = request(
        &srv.addr,
        &post_head(
            "/v1/route",
            "application/json; charset=utf-8",
            QINGPU_JSON.len(),
        ),
        QINGPU_JSON.as_bytes(),
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    for path in ["/v1/route", "/v1/locate", "/v1/batch"] {
        let r = request(
            &srv.addr,
            &post_head(path, "text/plain", QINGPU_JSON.len()),
            QINGPU_JSON.as_bytes(),
        );
        assert!(r.starts_with("HTTP/1.1 415"), "{path}: {r}");
        assert!(
            r.contains("\"code\":\"unsupported_media_type\"") && r.contains("text/plain"),
            "{path}: {r}"
        );
    }
}

#[test]
fn clients_that_do_not_read_are_closed_and_do_not_stall_healthz() {
    let srv = TestServer::start(
        test_config(),
        ConnLimits {
            write_timeout: Duration::from_secs(1),
            ..ConnLimits::default()
        },
    );
    // 40 clients pipeline requests for a large answer and never read.
    let req = "GET /v1/rules HTTP/1.1\r\nHost: x\r\n\r\n".repeat(200);
    let mut idle: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut c = srv.connect();
            c.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
            let _ = c.write_all(req.as_bytes());
            c
        })
        .collect();
    let mut worst = Duration::ZERO;
    for _ in 0..50 {
        let t = Instant::now();
        let r = request(
            &srv.addr,
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            b"",
        );
        worst = worst.max(t.elapsed());
        assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    }
    assert!(worst < Duration::from_secs(2), "healthz took {worst:?}");
    // After the write timeout the server has given up on them: what they can still read is
    // far less than what they asked for, and ends.
    std::thread::sleep(Duration::from_secs(3));
    let one = request(
        &srv.addr,
        "GET /v1/rules HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"",
    )
    .len();
    for c in &mut idle {
        // Closed by the server: the read ends at once (not after the timeout).
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut out = Vec::new();
        let _ = c.read_to_end(&mut out);
        assert!(
            out.len() < one * 200,
            "the server kept writing to a client that did not read"
        );
    }
}

#[test]
fn serve_bounds_threads_and_the_response_limit() {
    for args in [
        ["--threads", "0"],
        ["--threads", "100000"],
        ["--max-response", "0"],
    ] {
        let out = bin()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("invalid `{} {}`", args[0], args[1])),
            "{err}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 7. CSV: an unbalanced quote loses no row; formula cells are escaped

/// Runs `locate --input` on `csv` written to `dir`: its stderr and the output file's path.
fn locate_csv(dir: &Path, csv: &str) -> (String, std::path::PathBuf) {
    let input = dir.join("pts.csv");
    std::fs::write(&input, csv).unwrap();
    let output = dir.join("out.csv");
    let out = bin()
        .args(["locate", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .output()
        .unwrap();
    (String::from_utf8_lossy(&out.stderr).to_string(), output)
}

#[test]
fn locate_input_keeps_every_row_after_an_unbalanced_quote_and_escapes_formula_ids() {
    let d = tmp("quote");
    let (stderr, output) = locate_csv(
        &d,
        "id,lon,lat\np1,121.12,31.15\np2,\"121.12,31.15\np3,121.12,31.15\n=1+2,121.12,31.15\n@x,130.9,30.9\n",
    );
    assert!(stderr.contains("rows read 5,"), "{stderr}");
    assert!(stderr.contains("outside 1, failed 1"), "{stderr}");
    let text = std::fs::read_to_string(&output).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(ids, ["p1", "p2", "p3", "'=1+2", "'@x"], "{text}");
    for i in [0, 2, 3] {
        assert_eq!(&rows[i][1], "310118", "{text}");
    }
    assert!(
        rows[1][6].contains("malformed CSV record at line 3"),
        "{}",
        &rows[1][6]
    );
    assert!(text.contains("\n'=1+2,310118,"), "{text}");
    // A point outside is a row like any other, its id escaped.
    assert!(rows[4][6].contains("outside the covered area"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// 4, 5, 8, 11. Inputs: bounded parsers, impossible points, sizes, duplicate keys, BOM, dates

/// Runs the binary; `(exit code, stdout, stderr, seconds)`.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String, f64) {
    let t = Instant::now();
    let o = bin().current_dir(dir).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
        t.elapsed().as_secs_f64(),
    )
}

#[test]
fn deeply_nested_case_files_answer_a_depth_error_at_once() {
    let d = tmp("deep");
    let n = 64_000;
    let (open, close) = ("[".repeat(n), "]".repeat(n));
    std::fs::write(d.join("deep.json"), format!("{open}{close}")).unwrap();
    std::fs::write(
        d.join("deep.yaml"),
        format!("kind: civil\nplaces: {open}{close}\n"),
    )
    .unwrap();
    // 200 KB of flow nesting, which the YAML parser alone did not finish in 30 s.
    let m = 100_000;
    std::fs::write(
        d.join("deeper.yaml"),
        format!(
            "kind: civil\nplaces: {}{}\n",
            "{a: ".repeat(m / 4),
            "}".repeat(m / 4)
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("block.yaml"),
        format!("kind: civil\nplaces: {}x\n", "- ".repeat(n)),
    )
    .unwrap();
    for f in ["deep.json", "deep.yaml", "deeper.yaml", "block.yaml"] {
        let (code, out, err, secs) = run_in(&d, &["route", f]);
        assert_eq!(code, 2, "{f}: {out}{err}");
        assert!(err.contains(&format!("in `{f}` line ")), "{f}: {err}");
        assert!(secs < 5.0, "{f}: {secs} s");
        if f != "block.yaml" {
            assert!(
                err.contains("deeper than the limit of 128 levels"),
                "{f}: {err}"
            );
        }
    }
}

#[test]
fn yaml_alias_bombs_are_refused_in_cases_and_rule_files() {
    let d = tmp("alias");
    // The issue's 164 KB case: 8,000 aliases to one long address.
    let mut case = format!(
        "kind: civil\nid: &a \"{}\"\nplaces:\n",
        "上海市青浦区".repeat(500)
    );
    for _ in 0..8000 {
        case.push_str("  - {role: conduct, address: *a}\n");
    }
    std::fs::write(d.join("alias.yaml"), &case).unwrap();
    let (code, out, err, secs) = run_in(&d, &["route", "alias.yaml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("alias"), "{err}");
    assert!(secs < 5.0, "{secs} s");
    // A billion laughs of 10 aliases per level in a rule file.
    let rules = rules_copy("alias-rules");
    let mut bomb = "schema_version: 1\njurisdiction: \"310000\"\nrevised: 2024-01-01\ndescription: &l0 \"lol lol lol lol lol lol lol lol\"\n".to_string();
    for l in 1..10 {
        let prev = format!("*l{}", l - 1);
        bomb.push_str(&format!("x{l}: &l{l} [{}]\n", vec![prev; 10].join(", ")));
    }
    std::fs::write(rules.join("zz-bomb.yaml"), bomb).unwrap();
    let (code, out, err, secs) = run_in(
        &d,
        &[
            "--rules",
            rules.to_str().unwrap(),
            "route",
            "--kind",
            "civil",
            "--conduct",
            "310118",
        ],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("zz-bomb.yaml") && err.contains("aliases expand the document"),
        "{err}"
    );
    assert!(secs < 5.0, "{secs} s");
}

#[test]
fn impossible_coordinates_are_an_input_error_on_every_path() {
    let d = tmp("coords");
    // Route flags: NaN, infinite, swapped (with the suggestion), out of range.
    for (at, needle) in [
        ("NaN,31", "not a finite number"),
        ("121.4,inf", "not a finite number"),
        ("31.1,121.4", "did you mean `121.4,31.1`?"),
        ("200,31", "outside ±180"),
    ] {
        for extra in [&["--result", "310118"][..], &[][..]] {
            let mut args = vec!["route", "--kind", "civil", "--conduct", at];
            args.extend_from_slice(extra);
            let (code, out, err, _) = run_in(&d, &args);
            assert_eq!(code, 2, "{at} {extra:?}: {out}{err}");
            assert!(err.contains(needle), "{at}: {err}");
            assert!(!out.contains("routed"), "{at}: {out}");
        }
        let (code, _, err, _) = run_in(&d, &["locate", "--at", at]);
        assert_eq!(code, 2, "locate {at}: {err}");
    }
    // The issue's reproducer as written (no `--kind`): the point is the error.
    let (code, out, err, _) = run_in(&d, &["route", "--conduct", "NaN,31", "--result", "310118"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("`NaN` is not a finite number"), "{err}");
    // Case files, YAML and JSON.
    std::fs::write(
        d.join("nan.yaml"),
        "kind: civil\nplaces:\n  - {role: result, code: \"310118\"}\n  - {role: conduct, at: [.nan, 31]}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("swap.json"),
        r#"{"kind":"civil","places":[{"role":"conduct","at":[31.1,121.4]}]}"#,
    )
    .unwrap();
    let (code, _, err, _) = run_in(&d, &["route", "nan.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 4") && err.contains("place #2"), "{err}");
    let (code, _, err, _) = run_in(&d, &["route", "swap.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did you mean `121.4,31.1`?"), "{err}");
    // Batch rows: JSONL and CSV.
    std::fs::write(
        d.join("b.jsonl"),
        format!("{QINGPU_JSON}\n{{\"kind\":\"civil\",\"places\":[{{\"role\":\"conduct\",\"at\":[31.1,121.4]}}]}}\n"),
    )
    .unwrap();
    std::fs::write(d.join("b.csv"), "id,kind,lon,lat\na,civil,31.1,121.4\n").unwrap();
    for input in ["b.jsonl", "b.csv"] {
        let out = format!("out-{input}");
        let (code, _, err, _) = run_in(&d, &["batch", input, "--output", &out]);
        assert_ne!(code, 0, "{input}: {err}");
        let text = std::fs::read_to_string(d.join(&out)).unwrap();
        assert!(text.contains("121.4,31.1"), "{input}: {text}");
    }
}

#[test]
fn input_sizes_are_bounded_and_the_flag_raises_them() {
    let d = tmp("sizes");
    let big = format!(
        "kind: civil\nplaces:\n  - {{role: conduct, code: \"310118\"}}\n#{}\n",
        "x".repeat(2 << 20)
    );
    std::fs::write(d.join("big.yaml"), &big).unwrap();
    let (code, _, err, _) = run_in(&d, &["route", "big.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("limit of 1 MiB for a case file") && err.contains("--max-input"),
        "{err}"
    );
    let (code, out, err, _) = run_in(&d, &["--max-input", "4", "route", "big.yaml"]);
    assert_eq!(code, 0, "{out}{err}");
    // A JSONL line over 1 MiB is an error row naming the flag; the other rows are routed.
    let long = format!(
        "{{\"id\":\"long\",\"note\":\"{}\",\"kind\":\"civil\",\"places\":[]}}",
        "y".repeat(1 << 20)
    );
    std::fs::write(d.join("b.jsonl"), format!("{QINGPU_JSON}\n{long}\n")).unwrap();
    let (code, _, err, _) = run_in(&d, &["batch", "b.jsonl", "--output", "o.jsonl"]);
    assert_ne!(code, 0, "{err}");
    let text = std::fs::read_to_string(d.join("o.jsonl")).unwrap();
    assert!(text.contains("routed"), "{text}");
    assert!(text.contains("--max-input"), "{text}");
    // A rule file over its 8 MiB limit.
    let rules = rules_copy("size-rules");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(rules.join("anhui.yaml"))
        .unwrap();
    writeln!(f, "#{}", "z".repeat(9 << 20)).unwrap();
    let (code, _, err, _) = run_in(&d, &["--rules", rules.to_str().unwrap(), "validate"]);
    assert_ne!(code, 0, "{err}");
}

#[test]
fn duplicate_keys_are_an_error_in_case_files_and_batch_rows() {
    let d = tmp("dups");
    let dup = r#"{"kind":"civil","places":[{"role":"conduct","code":"310118"}],"kind":"criminal"}"#;
    std::fs::write(d.join("dup.json"), dup).unwrap();
    std::fs::write(
        d.join("dup.yaml"),
        "kind: civil\nplaces:\n  - {role: conduct, code: \"310118\"}\nkind: criminal\n",
    )
    .unwrap();
    for f in ["dup.json", "dup.yaml"] {
        let (code, _, err, _) = run_in(&d, &["route", f]);
        assert_eq!(code, 2, "{f}: {err}");
        assert!(
            err.contains("duplicate") && err.contains("kind"),
            "{f}: {err}"
        );
    }
    // The YAML error points at the second `kind`, not at the start of the mapping.
    let (_, _, err, _) = run_in(&d, &["route", "dup.yaml"]);
    assert!(err.contains("line 4 column 1"), "{err}");
    let nested =
        r#"{"kind":"civil","places":[{"role":"conduct","code":"310118","code":"320500"}]}"#;
    std::fs::write(
        d.join("b.jsonl"),
        format!("{dup}\n{nested}\n{QINGPU_JSON}\n"),
    )
    .unwrap();
    let (code, _, err, _) = run_in(&d, &["batch", "b.jsonl", "--output", "o.jsonl"]);
    assert_ne!(code, 0, "{err}");
    let text = std::fs::read_to_string(d.join("o.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("duplicate key `kind`"), "{text}");
    assert!(lines[1].contains("duplicate key `code`"), "{text}");
    assert!(lines[2].contains("routed"), "{text}");
}

#[test]
fn a_bom_is_accepted_and_a_bad_date_is_reported_where_it_is() {
    let d = tmp("bom");
    let yaml =
        "kind: civil\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, code: \"310118\"}\n";
    std::fs::write(d.join("bom.yaml"), format!("\u{feff}{yaml}")).unwrap();
    std::fs::write(d.join("bom.json"), format!("\u{feff}{QINGPU_JSON}")).unwrap();
    std::fs::write(
        d.join("b.jsonl"),
        format!("\u{feff}{QINGPU_JSON}\n{QINGPU_JSON}\n"),
    )
    .unwrap();
    for f in ["bom.yaml", "bom.json"] {
        let (code, out, err, _) = run_in(&d, &["route", f]);
        assert_eq!(code, 0, "{f}: {out}{err}");
        assert!(out.contains("basic-310118"), "{f}: {out}");
    }
    let (code, _, err, _) = run_in(&d, &["batch", "b.jsonl", "--output", "o.jsonl"]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(
        d.join("date.yaml"),
        "kind: civil\nplaces:\n  - {role: conduct, code: \"310118\"}\nfiled_on: 2024-13-45\n",
    )
    .unwrap();
    let (code, _, err, _) = run_in(&d, &["route", "date.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("line 4 column 11") && err.contains("`2024-13-45`"),
        "{err}"
    );
    std::fs::write(
        d.join("date.json"),
        "{\"kind\": \"civil\",\n \"filed_on\": \"2024-02-30\",\n \"places\": [{\"role\": \"conduct\", \"code\": \"310118\"}]}",
    )
    .unwrap();
    let (code, _, err, _) = run_in(&d, &["route", "date.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 2 column"), "{err}");
}

#[test]
fn an_empty_rule_set_is_a_validate_finding_not_clean() {
    let d = tmp("empty-rules");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("jurisdiction-rules");
    for f in ["courts.yaml", "sources.yaml"] {
        std::fs::copy(src.join(f), d.join(f)).unwrap();
    }
    let (code, out, err, _) = run_in(&d, &["--rules", d.to_str().unwrap(), "validate"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("the rule set has no rules"), "{out}");
}

#[test]
fn a_scenario_that_does_not_load_is_an_input_error_of_validate() {
    // Exit 2 (load error), not 1 (findings): the scripts that gate on validate tell them apart.
    let d = tmp("bad-scenario");
    std::fs::write(d.join("sc.yaml"), "name: x\nname: y\n").unwrap();
    let (code, out, err, _) = run_in(&d, &["validate", "--scenario", "sc.yaml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains("sc.yaml") && out.contains("load error"),
        "{out}"
    );
    let (code, _, err, _) = run_in(&d, &["validate", "--scenario", "missing.yaml"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_stalled_batch_upload_releases_its_slot_after_the_request_time_limit() {
    // The batch deadline is a minute away; an upload that sends nothing for the request time
    // limit (1 s here) ends its batch at once, so stalled clients cannot hold every slot.
    let config = ServerConfig {
        max_batches: 2,
        timeout: Duration::from_secs(1),
        batch_timeout: Duration::from_secs(60),
        ..test_config()
    };
    let srv = TestServer::start(config, ConnLimits::default());
    let head = "POST /v1/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    let line = format!("{QINGPU_JSON}\n");
    let chunk = format!("{:x}\r\n{line}\r\n", line.len());
    let start = Instant::now();
    let mut stalled: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut c = srv.connect();
            c.write_all(head.as_bytes()).unwrap();
            c.write_all(chunk.as_bytes()).unwrap();
            c
        })
        .collect();
    for c in &mut stalled {
        let mut out = Vec::new();
        let _ = c.read_to_end(&mut out);
        let text = dechunk(&String::from_utf8_lossy(&out));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].contains("\"status\":\"routed\""), "{text}");
        assert!(
            lines[1].contains("\"code\":\"timeout\"") && lines[1].contains("sent nothing for 1 s"),
            "{text}"
        );
    }
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    let ok = request(
        &srv.addr,
        &post_head("/v1/batch", "application/x-ndjson", line.len()),
        line.as_bytes(),
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
}

#[test]
fn a_case_with_more_places_than_the_limit_is_refused_before_routing() {
    let srv = TestServer::start(test_config(), ConnLimits::default());
    let n = ecojuris::eval::admit::MAX_PLACES + 1;
    let places = vec![r#"{"role":"conduct","code":"310118"}"#; n].join(",");
    let case = format!(r#"{{"kind":"civil","filed_on":"2024-05-01","places":[{places}]}}"#);
    let r = request(
        &srv.addr,
        &post_head("/v1/route", "application/json", case.len()),
        case.as_bytes(),
    );
    assert!(r.starts_with("HTTP/1.1 400"), "{}", &r[..r.len().min(400)]);
    assert!(
        r.contains("more than the limit of 1000 places per case") && r.contains("上限"),
        "{r}"
    );
    // The command line says the same.
    let d = tmp("places");
    std::fs::write(d.join("many.json"), &case).unwrap();
    let (code, _, err, _) = run_in(&d, &["route", "many.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("places per case"), "{err}");
}

#[test]
fn a_valid_but_overlong_jsonl_line_is_an_error_row_not_routed() {
    // A well-formed case whose line is over 1 MiB took the fast path past the limit.
    let d = tmp("longline");
    let long = format!(
        r#"{{"id":"long","kind":"civil","filed_on":"2024-05-01","places":[{{"role":"conduct","code":"310118","address":"{}"}}]}}"#,
        "x".repeat(3 << 20)
    );
    std::fs::write(d.join("b.jsonl"), format!("{long}\n{QINGPU_JSON}\n")).unwrap();
    let (code, _, err, _) = run_in(&d, &["batch", "b.jsonl", "--output", "o.jsonl"]);
    assert_eq!(code, 1, "{err}");
    let text = std::fs::read_to_string(d.join("o.jsonl")).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(
        rows[0].contains("\"status\":\"error\"")
            && rows[0].contains("limit of 1 MiB for a JSONL line")
            && rows[0].contains("\"line\":1"),
        "{}",
        &rows[0][..rows[0].len().min(400)]
    );
    assert!(rows[1].contains("routed"), "{text}");
    let (code, _, err, _) = run_in(
        &d,
        &[
            "--max-input",
            "4",
            "batch",
            "b.jsonl",
            "--output",
            "o2.jsonl",
        ],
    );
    assert_eq!(code, 0, "{err}");
}

/// Issue 13 item 7: a well-formed record whose quoted field spans lines is one row, and the
/// summary says which lines it took, so the rows add up to the file's lines.
#[test]
fn locate_input_names_a_record_that_spans_lines() {
    let d = tmp("span");
    let (stderr, _) = locate_csv(
        &d,
        "id,lon,lat\np1,121.12,31.15\n\"p2\np3\",121.12,31.15\np4,121.12,31.15\n",
    );
    assert!(stderr.contains("rows read 3,"), "{stderr}");
    assert!(
        stderr.contains("1 record(s) span several lines") && stderr.contains("lines 3–4"),
        "{stderr}"
    );
}

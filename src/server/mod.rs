//! `ecojuris serve`: the JSON API and the intake web page for court staff.
//!
//! Owns HTTP only: body limits, timeouts, error objects, the embedded page and the region map.
//! Routing itself is [`Engine::route`]; the bodies are exactly the command line's JSON
//! (`route --format json`, `locate --format json`, `courts --format json`).
//!
//! | endpoint | body in | body out |
//! |---|---|---|
//! | `POST /v1/route` | a case object (as `route CASE.json`) | the decision |
//! | `POST /v1/locate` | `{at, crs}`, `{code}` or `{address}` | the location |
//! | `POST /v1/batch` | JSONL, one case per line | JSONL, one decision or error per line, streamed |
//! | `GET /v1/courts` | `?province=&level=` | the court registry |
//! | `GET /v1/rules` | | versions, every rule with dates and sources, the sources |
//! | `GET /healthz` | | `{"status": "ok", …}` |
//! | `GET /openapi.json` | | OpenAPI 3.1 description of all of the above |
//! | `GET /` | | the web page (with `/app.js`, `/app.css`, `/map.svg`) |
//!
//! Every error is `{"error": {"code", "message", "messages": {"en", "zh"}, "field"}}` ([`AppError`]). The server never
//! panics on input; a panic in a handler would still be caught and answered with a 500.
//!
//! # Example
//! ```
//! use std::sync::Arc;
//! use ecojuris::{eval::Engine, server};
//! let engine = Arc::new(Engine::embedded().unwrap());
//! let app: axum::Router = server::router(engine, server::ServerConfig::default());
//! # let _ = app;
//! ```

mod batch;
mod conn;
mod error;
mod map;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::{FutureExt as _, StreamExt as _};
use serde::Serialize;
use serde_json::Value;

pub use conn::ConnLimits;
pub use error::AppError;

use crate::eval::Engine;
use crate::model::{Date, Decision};
use crate::spatial::Crs;

/// Largest body of a single request (`/v1/route`, `/v1/locate`): 1 MiB.
pub const BODY_LIMIT: usize = 1 << 20;
/// Largest body of `/v1/batch`: 64 MiB.
pub const BATCH_LIMIT: usize = 64 << 20;
/// Largest response of a single request (`/v1/route`, `/v1/locate`): 4 MiB.
pub const RESPONSE_LIMIT: usize = 4 << 20;
/// Most worker threads `serve --threads` accepts.
pub const MAX_THREADS: usize = 256;
/// Most threads routing requests at once (routing and serialisation run off the async
/// workers, on the blocking pool).
pub const MAX_BLOCKING_THREADS: usize = 64;

/// The web page and its assets, embedded in the binary.
static INDEX_HTML: &str = include_str!("web/index.html");
static APP_JS: &str = include_str!("web/app.js");
static APP_CSS: &str = include_str!("web/app.css");
/// The OpenAPI description of the API.
pub static OPENAPI_JSON: &str = include_str!("openapi.json");

/// Limits and clock of a server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Time limit of one request (reading the body included).
    pub timeout: Duration,
    /// Time limit of one `/v1/batch` stream.
    pub batch_timeout: Duration,
    /// Largest single-request body.
    pub body_limit: usize,
    /// Largest batch body.
    pub batch_limit: usize,
    /// Batches that may run at once; more get 503.
    pub max_batches: usize,
    /// Largest single-request response (413 `response_too_large` beyond).
    pub response_limit: usize,
    /// The date used for cases without `filed_on`; `None` means the system date at request
    /// time (UTC).
    pub today: Option<Date>,
    /// Set when the server is shutting down: running batches end with a `shutting_down`
    /// error line at a line boundary.
    pub stopping: Arc<AtomicBool>,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            timeout: Duration::from_secs(10),
            batch_timeout: Duration::from_secs(100),
            body_limit: BODY_LIMIT,
            batch_limit: BATCH_LIMIT,
            max_batches: 4,
            response_limit: RESPONSE_LIMIT,
            today: None,
            stopping: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// Responses that never change while the server runs, serialized once at start-up.
struct Assets {
    index_html: Bytes,
    map_svg: Bytes,
    courts_json: Bytes,
    rules_json: Bytes,
    health_json: Bytes,
}

/// Shared state of the handlers.
pub(crate) struct App {
    engine: Arc<Engine>,
    config: ServerConfig,
    assets: Assets,
    batch_slots: Arc<tokio::sync::Semaphore>,
    /// Real cases supporting each rule (`evidence::embedded_support`), computed once.
    support: std::collections::BTreeMap<String, usize>,
}

/// Today's date from the system clock (UTC), as the command line uses.
fn system_today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_days(i32::try_from(secs / 86_400).unwrap_or(0))
}

/// Pretty JSON plus a newline, as the command line prints it.
fn pretty<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    match serde_json::to_writer_pretty(&mut out, v) {
        Ok(()) => out.push(b'\n'),
        Err(e) => {
            out.clear();
            out.extend_from_slice(AppError::internal(e.to_string()).to_json().as_bytes());
            out.push(b'\n');
        }
    }
    out
}

/// A writer that refuses to grow past a limit, so an oversized answer costs no more memory
/// than the limit.
struct Capped {
    buf: Vec<u8>,
    limit: usize,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + data.len() > self.limit {
            self.over = true;
            return Err(std::io::Error::other("response too large"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Pretty JSON plus a newline, or 413 `response_too_large` when longer than `limit`.
fn pretty_capped<T: Serialize>(v: &T, limit: usize) -> Result<Vec<u8>, AppError> {
    let mut w = Capped {
        buf: Vec::with_capacity(4096),
        limit: limit.saturating_sub(1),
        over: false,
    };
    match serde_json::to_writer_pretty(&mut w, v) {
        Ok(()) => {
            w.buf.push(b'\n');
            Ok(w.buf)
        }
        Err(_) if w.over => Err(AppError::response_too_large(limit)),
        Err(e) => Err(AppError::internal(e.to_string())),
    }
}

/// Bodies up to this size are routed on the async worker that read them: their work is
/// bounded (a few places, microseconds) and a hand-off to the blocking pool would cost more.
/// Larger bodies go to the blocking pool.
pub const INLINE_BODY: usize = 4 << 10;

/// Permits for CPU work on the blocking pool: one per core.
fn cpu_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    })
}

/// Runs CPU work (routing, serialisation) for a body of `len` bytes: inline when small,
/// otherwise on the blocking pool, off the async workers.
async fn off_workers<T: Send + 'static>(
    len: usize,
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    if len <= INLINE_BODY {
        return f();
    }
    // At most one routing job per core at once: more would only share the cores with the
    // async workers, and `/healthz` would wait behind them.
    let _permit = cpu_slots().acquire().await;
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(_) => Err(AppError::internal(
            "the request crashed its handler; this is a bug, please report it",
        )),
    }
}

/// Media types accepted on JSON endpoints: `application/json` and `application/*+json`, any
/// parameters (`charset=utf-8`). A request without `Content-Type` is accepted.
fn check_json_type(headers: &HeaderMap, also: &[&str]) -> Result<(), AppError> {
    let Some(v) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let text = v.to_str().unwrap_or("");
    let essence = text
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let ok = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
        || also.contains(&essence.as_str());
    if ok {
        return Ok(());
    }
    let mut expected = vec!["application/json"];
    expected.extend_from_slice(also);
    Err(AppError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!(
            "unsupported `Content-Type: {}`: send {}",
            text.chars().take(100).collect::<String>(),
            expected
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    ))
}

fn with_type(mut resp: Response, ctype: &'static str) -> Response {
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    resp
}

fn json_ok(body: impl Into<Body>) -> Response {
    with_type(Response::new(body.into()), "application/json")
}

#[derive(Serialize)]
struct RuleView<'a> {
    id: &'a str,
    jurisdiction: &'a str,
    stage: crate::rules::Stage,
    status: crate::rules::RuleStatus,
    kinds: &'a [crate::model::CaseKind],
    summary: &'a crate::model::Text,
    valid_from: Option<Date>,
    valid_to: Option<Date>,
    confidence: crate::model::Confidence,
    legal_basis: &'a str,
    sources: &'a [String],
    file: &'a str,
    line: usize,
}

#[derive(Serialize)]
struct RulesView<'a> {
    rules_version: &'a str,
    geodata_version: &'a str,
    courts_revised: Option<Date>,
    earliest: Option<Date>,
    boundary_dates: Vec<Date>,
    rules: Vec<RuleView<'a>>,
    sources: Vec<&'a crate::rules::Source>,
}

impl App {
    fn new(engine: Arc<Engine>, config: ServerConfig) -> App {
        let rs = engine.rules();
        let courts: Vec<&crate::rules::Court> = rs.courts.all().iter().collect();
        let rules = RulesView {
            rules_version: &rs.version,
            geodata_version: engine.geo().version(),
            courts_revised: rs.courts.revised,
            earliest: rs.earliest(),
            boundary_dates: rs.boundary_dates(),
            rules: rs
                .rules
                .iter()
                .map(|r| RuleView {
                    id: &r.id,
                    jurisdiction: &r.jurisdiction,
                    stage: r.stage(),
                    status: r.status(),
                    kinds: &r.kinds,
                    summary: &r.summary,
                    valid_from: r.valid.from,
                    valid_to: r.valid.to,
                    confidence: r.confidence,
                    legal_basis: &r.legal_basis,
                    sources: &r.sources,
                    file: &r.file,
                    line: r.line,
                })
                .collect(),
            sources: rs.sources.values().collect(),
        };
        let health = serde_json::json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "rules_version": rs.version,
            "geodata_version": engine.geo().version(),
        });
        let svg = map::render(engine.geo());
        let index = INDEX_HTML
            .replace("<!--MAP-->", &svg)
            .replace("{{RULES_VERSION}}", &map::xml_escape(&rs.version))
            .replace(
                "{{GEODATA_VERSION}}",
                &map::xml_escape(engine.geo().version()),
            )
            .replace("{{VERSION}}", env!("CARGO_PKG_VERSION"));
        let assets = Assets {
            index_html: Bytes::from(index),
            map_svg: Bytes::from(svg),
            courts_json: Bytes::from(pretty(&courts)),
            rules_json: Bytes::from(pretty(&rules)),
            health_json: Bytes::from(pretty(&health)),
        };
        let slots = Arc::new(tokio::sync::Semaphore::new(config.max_batches.max(1)));
        let support = crate::evidence::embedded_support(&engine).unwrap_or_default();
        App {
            engine,
            config,
            assets,
            batch_slots: slots,
            support,
        }
    }

    fn today(&self) -> Date {
        self.config.today.unwrap_or_else(system_today)
    }

    /// Parses, checks and routes one case given as JSON bytes.
    pub(crate) fn route_bytes(&self, bytes: &[u8], today: Date) -> Result<Decision, AppError> {
        let value = parse_json(bytes)?;
        self.route_value(value, today)
    }

    /// `/v1/route`: a case, optionally with `"why_not": [COURT, …]` (court ids or names);
    /// with it, the decision gains `why_not` (see `explain::whynot`).
    fn route_request(&self, bytes: &[u8], today: Date) -> Result<Vec<u8>, AppError> {
        let mut value = parse_json(bytes)?;
        let why = value.as_object_mut().and_then(|o| o.remove("why_not"));
        let names: Vec<String> = match why {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(()),
                })
                .collect::<Result<_, _>>()
                .map_err(|()| why_not_error())?,
            Some(_) => return Err(why_not_error()),
        };
        let courts = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                self.engine.find_court(n).map_err(|e| {
                    AppError::bad_request("unknown_court", e.to_string())
                        .with_field(Some(format!("why_not[{i}]")))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let d = self.route_value(value.clone(), today)?;
        let limit = self.config.response_limit;
        if courts.is_empty() {
            return pretty_capped(&d, limit);
        }
        let case = crate::input::case_from_json(value, "").map_err(|e| case_error(&e))?;
        let admitted = self
            .engine
            .admit(&case, today, "")
            .map_err(|e| case_error(&e))?;
        let answers = self.engine.why_not_answers(&admitted, &courts);
        let mut out = serde_json::to_value(&d).map_err(|e| AppError::internal(e.to_string()))?;
        if let Some(o) = out.as_object_mut() {
            o.insert(
                "why_not".to_string(),
                serde_json::to_value(&answers).map_err(|e| AppError::internal(e.to_string()))?,
            );
        }
        pretty_capped(&out, limit)
    }

    fn route_value(&self, value: Value, today: Date) -> Result<Decision, AppError> {
        if !value.is_object() {
            return Err(AppError::bad_request(
                "invalid_case",
                format!(
                    "the body must be a JSON object (a case), found {}",
                    kind_of(&value)
                ),
            ));
        }
        // INVARIANT: the messages are the command line's (`input::case_from_json`,
        // `Engine::admit`), without the file prefix.
        let case = match crate::input::case_from_json(value, "") {
            Ok(c) => c,
            Err(e) => return Err(case_error(&e)),
        };
        let mut d = self
            .engine
            .route(&case, today, "")
            .map_err(|e| case_error(&e))?;
        crate::evidence::annotate(&mut d, &self.support);
        Ok(d)
    }
}

fn why_not_error() -> AppError {
    AppError::bad_request(
        "invalid_case",
        "`why_not` must be a list of court ids or names",
    )
    .with_field(Some("why_not".to_string()))
}

/// A case error as the API answers it: the message without the origin prefix, the field
/// named by the input layer.
fn case_error(e: &crate::input::CaseError) -> AppError {
    AppError::bad_request("invalid_case", e.message()).with_field(e.field().map(str::to_string))
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses a JSON body, naming the line, column and field of a syntax error.
fn parse_json(bytes: &[u8]) -> Result<Value, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::bad_request(
            "malformed_json",
            "the request body is empty: send one JSON object",
        ));
    }
    // Duplicate keys are an error (the command line's rule), not last-wins.
    crate::input::doc::json_value(bytes).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let mut msg = e.to_string();
        if let Some(i) = msg.find(" at line ") {
            msg.truncate(i);
        }
        let field = crate::input::doc::json_path_at(bytes, line, column);
        AppError::bad_request(
            "malformed_json",
            format!("malformed JSON at line {line} column {column}: {msg}"),
        )
        .with_field(field)
        .at(line, column)
    })
}

fn content_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<usize>().ok())
}

/// Reads a whole body, refusing more than `limit` bytes (413).
async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, AppError> {
    if content_length(headers).is_some_and(|n| n > limit) {
        return Err(AppError::too_large(limit));
    }
    let mut stream = body.into_data_stream();
    let mut single: Option<Bytes> = None;
    let mut acc: Vec<u8> = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            AppError::bad_request("body_read", format!("cannot read the request body: {e}"))
        })?;
        total = total.saturating_add(chunk.len());
        if total > limit {
            return Err(AppError::too_large(limit));
        }
        match single.take() {
            None if acc.is_empty() => single = Some(chunk),
            Some(prev) => {
                acc.extend_from_slice(&prev);
                acc.extend_from_slice(&chunk);
            }
            None => acc.extend_from_slice(&chunk),
        }
    }
    Ok(match single {
        Some(b) => b,
        None => Bytes::from(acc),
    })
}

/// Builds the router: API, web page, fallbacks, and the guard (time limit, panic catcher)
/// around every request.
pub fn router(engine: Arc<Engine>, config: ServerConfig) -> Router {
    let app = Arc::new(App::new(engine, config));
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(app_js))
        .route("/app.css", get(app_css))
        .route("/map.svg", get(map_svg))
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
        .route("/v1/route", post(route))
        .route("/v1/locate", post(locate))
        .route("/v1/batch", post(batch::batch))
        .route("/v1/courts", get(courts))
        .route("/v1/rules", get(rules))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// Time limit and panic catcher around every request.
async fn guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let fut = AssertUnwindSafe(next.run(req)).catch_unwind();
    match tokio::time::timeout(app.config.timeout, fut).await {
        Ok(Ok(resp)) => resp,
        Ok(Err(_)) => {
            AppError::internal("the request crashed its handler; this is a bug, please report it")
                .into_response()
        }
        Err(_) => AppError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "the request did not complete within {} s",
                app.config.timeout.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

async fn not_found(req: Request) -> AppError {
    AppError::not_found(req.uri().path())
}

async fn method_not_allowed(req: Request) -> AppError {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "`{} {}` is not allowed (see `/openapi.json`)",
            req.method(),
            req.uri().path()
        ),
    )
}

async fn index(State(app): State<Arc<App>>) -> Response {
    let mut r = with_type(
        Response::new(Body::from(app.assets.index_html.clone())),
        "text/html; charset=utf-8",
    );
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn app_js() -> Response {
    with_type(
        Response::new(Body::from(APP_JS)),
        "text/javascript; charset=utf-8",
    )
}

async fn app_css() -> Response {
    with_type(
        Response::new(Body::from(APP_CSS)),
        "text/css; charset=utf-8",
    )
}

async fn map_svg(State(app): State<Arc<App>>) -> Response {
    with_type(
        Response::new(Body::from(app.assets.map_svg.clone())),
        "image/svg+xml",
    )
}

async fn healthz(State(app): State<Arc<App>>) -> Response {
    json_ok(app.assets.health_json.clone())
}

async fn openapi() -> Response {
    json_ok(OPENAPI_JSON)
}

async fn rules(State(app): State<Arc<App>>) -> Response {
    json_ok(app.assets.rules_json.clone())
}

/// `GET /v1/courts?province=310000&level=basic`.
async fn courts(State(app): State<Arc<App>>, req: Request) -> Result<Response, AppError> {
    let Some(query) = req.uri().query().filter(|q| !q.is_empty()) else {
        return Ok(json_ok(app.assets.courts_json.clone()));
    };
    let (mut province, mut level) = (None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "province" => province = Some(v.to_string()),
            "level" => level = Some(v.to_string()),
            _ => {
                return Err(AppError::bad_request(
                    "invalid_query",
                    format!(
                        "unknown query parameter `{k}`{} (expected `province` or `level`)",
                        crate::diagnostics::hint(k, ["province", "level"])
                    ),
                )
                .with_field(Some(k.to_string())));
            }
        }
    }
    if let Some(l) = &level {
        let names = ["basic", "intermediate", "high", "supreme"];
        if !names.contains(&l.as_str()) {
            return Err(AppError::bad_request(
                "invalid_query",
                format!(
                    "unknown court level `{l}`{} (expected basic, intermediate, high or supreme)",
                    crate::diagnostics::hint(l, names)
                ),
            )
            .with_field(Some("level".to_string())));
        }
    }
    let list: Vec<&crate::rules::Court> = app
        .engine
        .rules()
        .courts
        .all()
        .iter()
        .filter(|c| province.as_deref().is_none_or(|p| c.province == p))
        .filter(|c| level.as_deref().is_none_or(|l| c.level.name() == l))
        .collect();
    Ok(json_ok(pretty(&list)))
}

/// `POST /v1/route`: a case → its decision.
async fn route(State(app): State<Arc<App>>, req: Request) -> Result<Response, AppError> {
    let (parts, body) = req.into_parts();
    check_json_type(&parts.headers, &[])?;
    let bytes = read_body(body, &parts.headers, app.config.body_limit).await?;
    let today = app.today();
    let out = off_workers(bytes.len(), move || app.route_request(&bytes, today)).await?;
    Ok(json_ok(out))
}

const LOCATE_FIELDS: [&str; 4] = ["at", "crs", "code", "address"];

/// `POST /v1/locate`: `{at, crs}`, `{code}` or `{address}` → the location.
async fn locate(State(app): State<Arc<App>>, req: Request) -> Result<Response, AppError> {
    let (parts, body) = req.into_parts();
    check_json_type(&parts.headers, &[])?;
    let bytes = read_body(body, &parts.headers, app.config.body_limit).await?;
    off_workers(bytes.len(), move || locate_bytes(&app, &bytes)).await
}

/// Answers a `/v1/locate` body (on the blocking pool): the body read as a request, then
/// answered by the one of `at`, `code` or `address` it gives.
fn locate_bytes(app: &App, bytes: &[u8]) -> Result<Response, AppError> {
    let limit = app.config.response_limit;
    let obj = locate_request(bytes)?;
    let given: Vec<&str> = ["at", "code", "address"]
        .into_iter()
        .filter(|k| obj.get(*k).is_some_and(|v| !v.is_null()))
        .collect();
    match given.as_slice() {
        ["at"] => locate_at(app, &obj, limit),
        ["code"] | ["address"] if obj.get("crs").is_some_and(|v| !v.is_null()) => {
            Err(bad_locate("crs", "`crs` applies to `at` only".to_string()))
        }
        ["code"] => locate_code(app, &obj, limit),
        ["address"] => locate_address(app, &obj, limit),
        _ => Err(AppError::bad_request(
            "invalid_request",
            format!(
                "give exactly one of `at`, `code` or `address` (found {})",
                if given.is_empty() {
                    "none".to_string()
                } else {
                    given.join(", ")
                }
            ),
        )),
    }
}

/// Step 1 of `/v1/locate`: the body as a JSON object with only the known fields.
fn locate_request(bytes: &[u8]) -> Result<serde_json::Map<String, Value>, AppError> {
    let value = parse_json(bytes)?;
    let Value::Object(obj) = value else {
        return Err(AppError::bad_request(
            "invalid_request",
            format!(
                "the body must be a JSON object such as `{{\"at\": [121.12, 31.15]}}`, found {}",
                kind_of(&value)
            ),
        ));
    };
    for k in obj.keys() {
        if !LOCATE_FIELDS.contains(&k.as_str()) {
            return Err(AppError::bad_request(
                "invalid_request",
                format!(
                    "unknown field `{k}`{} (expected `at`, `crs`, `code` or `address`)",
                    crate::diagnostics::hint(k, LOCATE_FIELDS)
                ),
            )
            .with_field(Some(k.clone())));
        }
    }
    Ok(obj)
}

/// A `/v1/locate` request error about one field.
fn bad_locate(field: &str, msg: String) -> AppError {
    AppError::bad_request("invalid_request", msg).with_field(Some(field.to_string()))
}

/// `/v1/locate` with `at` (`[lon, lat]` or `"LON,LAT"`) and an optional `crs`: the point's
/// location.
fn locate_at(
    app: &App,
    obj: &serde_json::Map<String, Value>,
    limit: usize,
) -> Result<Response, AppError> {
    let (lon, lat) = locate_lonlat(obj.get("at").unwrap_or(&Value::Null))?;
    crate::input::place::check_lonlat(lon, lat)
        .map_err(|m| bad_locate("at", format!("invalid point `{lon},{lat}`: {m}")))?;
    let crs = match obj.get("crs") {
        None | Some(Value::Null) => Crs::Wgs84,
        Some(Value::String(s)) => {
            crate::input::place::parse_crs(s).map_err(|m| bad_locate("crs", m))?
        }
        Some(_) => {
            return Err(bad_locate(
                "crs",
                "`crs` must be a string: wgs84, gcj02 or bd09".to_string(),
            ));
        }
    };
    let loc = app.engine.geo().locate(lon, lat, crs).map_err(|e| {
        AppError::bad_request("invalid_point", e.to_string()).with_field(Some("at".to_string()))
    })?;
    Ok(json_ok(pretty_capped(&loc, limit)?))
}

/// The longitude and latitude of an `at` value: two numbers, or a `"LON,LAT"` string.
fn locate_lonlat(at: &Value) -> Result<(f64, f64), AppError> {
    let two_numbers = || bad_locate("at", "`at` must be `[lon, lat]`, two numbers".to_string());
    match at {
        Value::Array(a) => match a.as_slice() {
            [Value::Number(x), Value::Number(y)] => Ok((
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            )),
            _ => Err(two_numbers()),
        },
        Value::String(s) => crate::input::place::lonlat_opt(s).ok_or_else(|| {
            bad_locate(
                "at",
                format!("invalid point `{s}`: expected `LON,LAT`, e.g. `121.12,31.15`"),
            )
        }),
        _ => Err(two_numbers()),
    }
}

/// `/v1/locate` with `code`: the unit of an administrative code, or a development zone's
/// statistics code with its host unit(s).
fn locate_code(
    app: &App,
    obj: &serde_json::Map<String, Value>,
    limit: usize,
) -> Result<Response, AppError> {
    let code = match obj.get("code") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(bad_locate(
                "code",
                "`code` must be a string of digits such as `310118`".to_string(),
            ));
        }
    };
    if app.engine.geo().codes().get(&code).is_none()
        && app.engine.address().zone_by_code(&code).is_some()
    {
        return Ok(json_ok(pretty_capped(
            &crate::address::resolve(app.engine.geo(), app.engine.address(), &code),
            limit,
        )?));
    }
    let loc = app.engine.geo().locate_code(&code).map_err(|e| {
        AppError::bad_request("unknown_code", e.to_string()).with_field(Some("code".to_string()))
    })?;
    Ok(json_ok(pretty_capped(&loc, limit)?))
}

/// `/v1/locate` with `address`: the address resolved to a unit or town, with candidates
/// when it is ambiguous.
fn locate_address(
    app: &App,
    obj: &serde_json::Map<String, Value>,
    limit: usize,
) -> Result<Response, AppError> {
    let Some(Value::String(text)) = obj.get("address") else {
        return Err(bad_locate(
            "address",
            "`address` must be a string".to_string(),
        ));
    };
    Ok(json_ok(pretty_capped(
        &crate::address::resolve(app.engine.geo(), app.engine.address(), text),
        limit,
    )?))
}

/// A future that completes on SIGTERM or Ctrl-C. The handlers are installed when this is
/// called, not when the future is first polled: call it before announcing the server, so
/// that a signal sent as soon as the server answers is never taken by the default action
/// (which would kill the process without a graceful shutdown). Must be called within a Tokio
/// runtime.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (int, term) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(int) => {},
                () = wait(term) => {},
            }
        }
        #[cfg(not(unix))]
        {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

/// Time a client has to send a request's head (method, path, headers); slower connections are
/// closed. The body is under [`ServerConfig::timeout`].
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Time a connection may make no progress writing a response (a client that does not read)
/// before it is closed.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` (HTTP/1.1, keep-alive) until `shutdown` completes, then stops
/// accepting, lets connections in flight finish their requests for at most `grace`, and
/// returns. A connection that does not send a complete request head within
/// [`HEADER_TIMEOUT`], or makes no progress writing for [`WRITE_TIMEOUT`], is closed.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    serve_with(
        listener,
        router,
        shutdown,
        ConnLimits {
            grace,
            ..ConnLimits::default()
        },
    )
    .await
}

/// [`serve`] with every connection limit given.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    limits: ConnLimits,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: back off instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let stream = conn::WriteTimeout::new(stream, limits.write_timeout);
        let service = TowerToHyperService::new(router.clone());
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A connection error (reset, header or write timeout) concerns that client only.
            let _ = conn.await;
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(limits.grace) => {},
    }
    Ok(())
}

//! `POST /v1/batch`: JSONL in, JSONL out, streamed and bounded.
//!
//! One case object per input line; one output line per non-blank input line, in order: the
//! decision (the `route --format json` object on one line) or
//! `{"case_id": …, "line": N, "status": "error", "error": {…}}`, as `ecojuris batch` writes JSONL.
//! The body is read as it arrives and answers are written as they are ready, through bounded
//! channels on both sides, so memory stays at a few chunks whatever the size of the batch.
//! Limits: 64 MiB per batch (a `body_too_large` line ends the stream when exceeded), 1 MiB per
//! line, a time limit per batch, and a few batches at once (503 beyond).
//!
//! The time limit holds while the worker waits for input (a stalled upload) or for the client
//! to read (the answer is then abandoned), so a slot is always released by the deadline; an
//! upload that sends nothing for the request time limit (`--timeout`) ends the batch at once,
//! so a few stalled clients cannot hold every slot until the deadline. The
//! body is read as fast as the client sends it, whatever the client reads (at most the batch
//! limit is held), so a client that uploads everything before reading does not deadlock. At
//! server shutdown a running batch ends at a line boundary with a `shutting_down` error line.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use tokio::sync::mpsc;

use super::{App, AppError, check_json_type, content_length};
use crate::model::Date;

/// Output is flushed to the client when this much is pending.
const FLUSH_AT: usize = 64 << 10;

/// How often a worker waiting for input looks at the deadline and the shutdown flag.
const TICK: Duration = Duration::from_millis(100);

/// Time given to the last line (a timeout or shutdown error) to reach a client that reads.
const LAST_WORD: Duration = Duration::from_secs(2);

/// Media types accepted for a batch besides `application/json`.
const BATCH_TYPES: [&str; 3] = [
    "application/x-ndjson",
    "application/jsonl",
    "application/x-jsonlines",
];

/// An input event for the worker.
enum In {
    Chunk(Bytes),
    /// The body could not be read.
    Failed(String),
    /// The body exceeded the batch limit.
    TooLarge,
    /// The deadline passed while waiting for the body.
    Late,
    /// The client sent nothing for the request time limit (`--timeout`) while the batch
    /// waited for its body: the slot is released then, not at the batch deadline.
    Idle,
    /// The server is shutting down.
    Stopping,
}

pub(super) async fn batch(State(app): State<Arc<App>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    if let Err(e) = check_json_type(&parts.headers, &BATCH_TYPES) {
        return e.into_response();
    }
    let limit = app.config.batch_limit;
    if content_length(&parts.headers).is_some_and(|n| n > limit) {
        return AppError::too_large(limit).into_response();
    }
    let Ok(permit) = app.batch_slots.clone().try_acquire_owned() else {
        return AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            format!(
                "{} batches are already running; try again later",
                app.config.max_batches
            ),
        )
        .into_response();
    };
    let deadline = Instant::now() + app.config.batch_timeout;
    let idle = app.config.timeout;
    // Unbounded in chunks but not in bytes: the reader stops past the batch limit.
    let (in_tx, in_rx) = mpsc::unbounded_channel::<In>();
    let (out_tx, out_rx) = mpsc::channel::<Bytes>(8);
    tokio::spawn(async move {
        let mut stream = body.into_data_stream();
        let mut total = 0usize;
        loop {
            let until = deadline.min(Instant::now() + idle);
            let next = tokio::time::timeout_at(until.into(), stream.next()).await;
            let item = match next {
                Err(_) if until < deadline => In::Idle,
                Err(_) => In::Late,
                Ok(None) => break,
                Ok(Some(Err(e))) => In::Failed(e.to_string()),
                Ok(Some(Ok(chunk))) => {
                    total = total.saturating_add(chunk.len());
                    if total > limit {
                        In::TooLarge
                    } else {
                        In::Chunk(chunk)
                    }
                }
            };
            let last = !matches!(item, In::Chunk(_));
            // `Stopping` is never sent by the reader.
            if in_tx.send(item).is_err() || last {
                break;
            }
        }
    });
    let today = app.today();
    let worker_app = app.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut w = Worker {
            app: &worker_app,
            today,
            deadline,
            handle,
            out_tx,
            out: Vec::with_capacity(FLUSH_AT + 8192),
            line: 0,
        };
        w.run(in_rx);
    });
    let stream = futures_util::stream::unfold(out_rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<Bytes, Infallible>(b), rx))
    });
    let mut resp = Response::new(Body::from_stream(stream));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    resp
}

struct Worker<'a> {
    app: &'a App,
    today: Date,
    deadline: Instant,
    handle: tokio::runtime::Handle,
    out_tx: mpsc::Sender<Bytes>,
    out: Vec<u8>,
    /// 1-based number of the last line read.
    line: usize,
}

impl Worker<'_> {
    /// Sends what is pending, waiting for the client until the deadline; false when the
    /// client has gone or has not read in time (the batch then ends with a `timeout` line,
    /// sent if the client reads within [`LAST_WORD`]).
    fn flush(&mut self) -> bool {
        if self.flush_until(self.deadline) {
            return true;
        }
        if !self.out_tx.is_closed() {
            let e = self.timeout_error();
            self.last_word(&e);
        }
        false
    }

    /// Sends what is pending if the client makes room before `until`; on a timeout the
    /// pending text is kept.
    fn flush_until(&mut self, until: Instant) -> bool {
        if self.out.is_empty() {
            return true;
        }
        let reserve = self.out_tx.reserve();
        match self
            .handle
            .block_on(tokio::time::timeout_at(until.into(), reserve))
        {
            Ok(Ok(permit)) => {
                permit.send(Bytes::from(std::mem::replace(
                    &mut self.out,
                    Vec::with_capacity(FLUSH_AT + 8192),
                )));
                true
            }
            Ok(Err(_)) | Err(_) => false,
        }
    }

    /// Ends the stream with one error line after what is pending (sent if the client reads
    /// within [`LAST_WORD`]).
    fn last_word(&mut self, e: &AppError) {
        self.error_line(None, None, e);
        self.flush_until(Instant::now() + LAST_WORD);
    }

    fn timeout_error(&self) -> AppError {
        AppError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "the batch did not complete within {} s; lines after {} were not read",
                self.app.config.batch_timeout.as_secs_f64(),
                self.line
            ),
        )
    }

    fn idle_error(&self) -> AppError {
        AppError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "the client sent nothing for {} s; lines after {} were not read",
                self.app.config.timeout.as_secs_f64(),
                self.line
            ),
        )
    }

    fn stopping(&self) -> bool {
        self.app.config.stopping.load(Ordering::Relaxed)
    }

    fn shutdown_error(&self) -> AppError {
        AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            format!(
                "the server is shutting down; lines after {} were not read",
                self.line
            ),
        )
    }

    /// The next input event, waiting at most until the deadline; `None` at the end of the
    /// body. A shutdown while waiting is reported as such.
    fn next_input(&mut self, in_rx: &mut mpsc::UnboundedReceiver<In>) -> Option<In> {
        loop {
            if self.stopping() {
                return Some(In::Stopping);
            }
            let now = Instant::now();
            if now >= self.deadline {
                return Some(In::Late);
            }
            let wait = (self.deadline - now).min(TICK);
            match self
                .handle
                .block_on(tokio::time::timeout(wait, in_rx.recv()))
            {
                Ok(item) => return item,
                Err(_) => continue,
            }
        }
    }

    /// `{"case_id": …, "line": N, "status": "error", "error": {"code", "message", "field"}}`,
    /// the shape of `ecojuris batch` JSONL error rows with the API's error object.
    fn error_line(&mut self, line: Option<usize>, case_id: Option<&str>, e: &AppError) {
        let line = line.map_or_else(|| "null".to_string(), |n| n.to_string());
        let id = serde_json::to_string(&case_id).unwrap_or_else(|_| "null".to_string());
        let text = format!(
            "{{\"case_id\":{id},\"line\":{line},\"status\":\"error\",\"error\":{}}}\n",
            e.inner_json()
        );
        self.out.extend_from_slice(text.as_bytes());
    }

    fn one(&mut self, raw: &[u8]) {
        let text = raw.strip_suffix(b"\r").unwrap_or(raw);
        if text.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        match self.app.route_bytes(text, self.today) {
            Ok(d) => {
                if serde_json::to_writer(&mut self.out, &d).is_ok() {
                    self.out.push(b'\n');
                }
            }
            Err(e) => {
                let id = case_id(text);
                self.error_line(Some(self.line), id.as_deref(), &e);
            }
        }
    }

    fn run(&mut self, mut in_rx: mpsc::UnboundedReceiver<In>) {
        let limit = self.app.config.batch_limit;
        let line_limit = self.app.config.body_limit;
        let mut pending: Vec<u8> = Vec::new();
        let mut overlong = false;
        while let Some(item) = self.next_input(&mut in_rx) {
            let chunk = match item {
                In::Chunk(c) => c,
                In::Stopping => {
                    let e = self.shutdown_error();
                    return self.last_word(&e);
                }
                In::Failed(e) => {
                    let err = AppError::bad_request(
                        "body_read",
                        format!("cannot read the request body: {e}"),
                    );
                    return self.last_word(&err);
                }
                In::TooLarge => return self.last_word(&AppError::too_large(limit)),
                In::Late => {
                    let e = self.timeout_error();
                    return self.last_word(&e);
                }
                In::Idle => {
                    let e = self.idle_error();
                    return self.last_word(&e);
                }
            };
            let mut rest: &[u8] = &chunk;
            while let Some(pos) = rest.iter().position(|b| *b == b'\n') {
                let (head, tail) = rest.split_at(pos);
                rest = tail.get(1..).unwrap_or(&[]);
                self.line += 1;
                if overlong || pending.len() + head.len() > line_limit {
                    let e = AppError::too_large(line_limit);
                    self.error_line(Some(self.line), None, &e);
                } else if pending.is_empty() {
                    self.one(head);
                } else {
                    pending.extend_from_slice(head);
                    let p = std::mem::take(&mut pending);
                    self.one(&p);
                }
                pending.clear();
                overlong = false;
                if self.out.len() >= FLUSH_AT && !self.flush() {
                    return;
                }
                if Instant::now() > self.deadline {
                    let e = self.timeout_error();
                    return self.last_word(&e);
                }
                if self.stopping() {
                    let e = self.shutdown_error();
                    return self.last_word(&e);
                }
            }
            if !overlong {
                if pending.len() + rest.len() > line_limit {
                    overlong = true;
                    pending.clear();
                } else {
                    pending.extend_from_slice(rest);
                }
            }
            if !self.flush() {
                return;
            }
        }
        if overlong || !pending.is_empty() {
            self.line += 1;
            if overlong {
                self.error_line(Some(self.line), None, &AppError::too_large(line_limit));
            } else {
                let p = std::mem::take(&mut pending);
                self.one(&p);
            }
        }
        self.flush();
    }
}

/// The `id` of a case line, when the line is JSON with a string or number `id`.
fn case_id(text: &[u8]) -> Option<String> {
    match serde_json::from_slice::<serde_json::Value>(text)
        .ok()?
        .get("id")?
    {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

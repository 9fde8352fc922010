//! `POST /v1/batch`: JSONL in, JSONL out, streamed and bounded.
//!
//! One case object per input line; one output line per non-blank input line, in order: the
//! decision (the `route --format json` object on one line) or
//! `{"case_id": …, "line": N, "status": "error", "error": {…}}`, as `ecojuris batch` writes JSONL.
//! The body is read as it arrives and answers are written as they are ready, through bounded
//! channels on both sides, so memory stays at a few chunks whatever the size of the batch.
//! Limits: 64 MiB per batch (a `body_too_large` line ends the stream when exceeded), 1 MiB per
//! line, a time limit per batch, and a few batches at once (503 beyond).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use tokio::sync::mpsc;

use super::{App, AppError, content_length};
use crate::model::Date;

/// Output is flushed to the client when this much is pending.
const FLUSH_AT: usize = 64 << 10;

pub(super) async fn batch(State(app): State<Arc<App>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
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
    let (in_tx, in_rx) = mpsc::channel::<Result<Bytes, String>>(8);
    let (out_tx, out_rx) = mpsc::channel::<Bytes>(8);
    tokio::spawn(async move {
        let mut stream = body.into_data_stream();
        while let Some(chunk) = stream.next().await {
            let item = chunk.map_err(|e| e.to_string());
            let stop = item.is_err();
            if in_tx.send(item).await.is_err() || stop {
                break;
            }
        }
    });
    let today = app.today();
    let deadline = Instant::now() + app.config.batch_timeout;
    let worker_app = app.clone();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut w = Worker {
            app: &worker_app,
            today,
            deadline,
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
    out_tx: mpsc::Sender<Bytes>,
    out: Vec<u8>,
    /// 1-based number of the last line read.
    line: usize,
}

impl Worker<'_> {
    /// Sends what is pending; false when the client has gone.
    fn flush(&mut self) -> bool {
        if self.out.is_empty() {
            return true;
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.out,
            Vec::with_capacity(FLUSH_AT + 8192),
        ));
        self.out_tx.blocking_send(chunk).is_ok()
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

    fn run(&mut self, mut in_rx: mpsc::Receiver<Result<Bytes, String>>) {
        let limit = self.app.config.batch_limit;
        let line_limit = self.app.config.body_limit;
        let mut pending: Vec<u8> = Vec::new();
        let mut overlong = false;
        let mut total = 0usize;
        while let Some(item) = in_rx.blocking_recv() {
            let chunk = match item {
                Ok(c) => c,
                Err(e) => {
                    let err = AppError::bad_request(
                        "body_read",
                        format!("cannot read the request body: {e}"),
                    );
                    self.error_line(None, None, &err);
                    self.flush();
                    return;
                }
            };
            total = total.saturating_add(chunk.len());
            if total > limit {
                self.error_line(None, None, &AppError::too_large(limit));
                self.flush();
                return;
            }
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
                    let e = AppError::new(
                        StatusCode::REQUEST_TIMEOUT,
                        "timeout",
                        format!(
                            "the batch did not complete within {} s; lines after {} were not read",
                            self.app.config.batch_timeout.as_secs_f64(),
                            self.line
                        ),
                    );
                    self.error_line(None, None, &e);
                    self.flush();
                    return;
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

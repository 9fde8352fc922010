//! [`AppError`]: every failure of the HTTP API as one JSON shape,
//! `{"error": {"code", "message", "messages": {"en", "zh"}, "field"}}`, with the HTTP status it maps to.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered by the HTTP API.
///
/// `code` is a stable machine word (`malformed_json`, `invalid_case`, `body_too_large`, …),
/// `message` is the same sentence the command line prints (lowercase, no final period), and
/// `messages` carries the message in English and Chinese (the error catalogue,
/// [`crate::explain::errors`]), and `field` names the JSON field at fault (`kind`, `places[1].at`) when one can be named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    messages: Messages<'a>,
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

/// The message in both languages (`message` is the English alone, kept for old clients).
#[derive(Serialize)]
struct Messages<'a> {
    en: &'a str,
    zh: String,
}

impl AppError {
    /// An error with a status, a code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> AppError {
        AppError {
            status,
            code,
            message: message.into(),
            field: None,
            line: None,
            column: None,
        }
    }

    /// 400 Bad Request.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 413 Payload Too Large.
    pub fn too_large(limit: usize) -> AppError {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "request body is larger than the limit of {} for this endpoint",
                human_bytes(limit)
            ),
        )
    }

    /// 413 for an answer longer than the response limit.
    pub fn response_too_large(limit: usize) -> AppError {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "response_too_large",
            format!(
                "the answer is larger than the response limit of {}: send fewer places (or raise `serve --max-response`)",
                human_bytes(limit)
            ),
        )
    }

    /// 404 Not Found.
    pub fn not_found(path: &str) -> AppError {
        AppError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such endpoint `{path}` (see `/openapi.json`)"),
        )
    }

    /// 500, for a request that crashed the handler (never expected).
    pub fn internal(message: impl Into<String>) -> AppError {
        AppError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// Names the field at fault.
    pub fn with_field(mut self, field: Option<String>) -> AppError {
        self.field = field;
        self
    }

    /// Adds the 1-based line and column of a JSON syntax error.
    pub fn at(mut self, line: usize, column: usize) -> AppError {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message in Chinese, from the error catalogue ([`crate::explain::errors`]).
    pub fn message_zh(&self) -> String {
        crate::explain::errors::zh(&self.message)
    }

    /// The field at fault, if known.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    fn inner(&self) -> Inner<'_> {
        Inner {
            code: self.code,
            message: &self.message,
            messages: Messages {
                en: &self.message,
                zh: crate::explain::errors::zh(&self.message),
            },
            field: self.field.as_deref(),
            line: self.line,
            column: self.column,
        }
    }

    /// The error object as one line of JSON (no trailing newline).
    pub fn to_json(&self) -> String {
        let body = Body {
            error: self.inner(),
        };
        serde_json::to_string(&body)
            .unwrap_or_else(|_| format!("{{\"error\":{}}}", fallback(self.code)))
    }

    /// The inner object alone (`{"code", "message", "field"}`) as one line of JSON, in the
    /// same key order as [`AppError::to_json`]; batch lines wrap it as `{"line": N, "error": …}`.
    pub fn inner_json(&self) -> String {
        serde_json::to_string(&self.inner()).unwrap_or_else(|_| fallback(self.code))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut body = self.to_json();
        body.push('\n');
        let mut resp = (self.status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        resp
    }
}

fn fallback(code: &str) -> String {
    format!(
        "{{\"code\":\"{code}\",\"message\":\"\",\"messages\":{{\"en\":\"\",\"zh\":\"\"}},\"field\":null}}"
    )
}

/// `1 MiB`, `64 MiB`, `512 bytes`.
pub(crate) fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

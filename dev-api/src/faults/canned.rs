//! The `answer` fault: any status, content type and body, given in the fault's own params —
//! for clients that must read every backend's error shape (FastAPI, Django REST framework,
//! problem details, Laravel, Spring) without a server for each.
//!
//! `{"fault": "answer", "status": 422, "content_type": "application/json", "body": "…"}`:
//! `status` 200–599 (required), `content_type` a header value (default `application/json`),
//! `body` a string, sent byte for byte (required, may be empty). The three params belong to
//! `answer` alone.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use super::kind::FaultKind;
use crate::errors::ApiError;

/// The params only `answer` takes.
pub(crate) const PARAMS: [&str; 3] = ["status", "content_type", "body"];

/// The content type of an `answer` that names none.
const DEFAULT_CONTENT_TYPE: &str = "application/json";

/// What an `answer` fault sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CannedAnswer {
    /// The status, 200–599.
    status: u16,
    /// The `Content-Type` header.
    content_type: String,
    /// The body, as given.
    body: String,
}

impl CannedAnswer {
    /// The answer itself.
    pub(crate) fn response(&self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let mut response = (status, self.body.clone()).into_response();
        if let Ok(value) = HeaderValue::from_str(&self.content_type) {
            response.headers_mut().insert(header::CONTENT_TYPE, value);
        }
        response
    }
}

/// The `answer` params of a fault body: the canned answer for `answer`, none for other kinds
/// (which may not carry them).
pub(crate) fn parse(
    fields: &Map<String, Value>,
    kind: FaultKind,
) -> Result<Option<CannedAnswer>, ApiError> {
    if kind != FaultKind::Answer {
        return match PARAMS.iter().find(|param| fields.contains_key(**param)) {
            Some(param) => Err(ApiError::input(
                param,
                format!("{param} only applies to the answer fault."),
            )),
            None => Ok(None),
        };
    }
    let status = match fields.get("status") {
        None | Some(Value::Null) => {
            return Err(ApiError::input(
                "status",
                "Missing param: status (required for the answer fault).",
            ));
        }
        Some(value) => value
            .as_u64()
            .filter(|status| (200..=599).contains(status))
            .and_then(|status| u16::try_from(status).ok())
            .ok_or_else(|| {
                ApiError::input(
                    "status",
                    "Invalid value for param: status. Expected a whole number from 200 to 599.",
                )
            })?,
    };
    let content_type = match fields.get("content_type") {
        None | Some(Value::Null) => DEFAULT_CONTENT_TYPE.to_owned(),
        Some(Value::String(text))
            if !text.trim().is_empty() && HeaderValue::from_str(text).is_ok() =>
        {
            text.clone()
        }
        Some(_) => {
            return Err(ApiError::input(
                "content_type",
                "Invalid value for param: content_type. Expected a header value such as \"application/json\".",
            ));
        }
    };
    let body = match fields.get("body") {
        Some(Value::String(text)) => text.clone(),
        None | Some(Value::Null) => {
            return Err(ApiError::input(
                "body",
                "Missing param: body (the answer's text, may be empty).",
            ));
        }
        Some(_) => {
            return Err(ApiError::input(
                "body",
                "Invalid value for param: body. Expected text (JSON as a string).",
            ));
        }
    };
    Ok(Some(CannedAnswer {
        status,
        content_type,
        body,
    }))
}

//! Reading a `POST /__dev/faults` body into a validated [`FaultSpec`], with Xano-shaped 400s
//! naming the offending param.
//!
//! The body is `{"endpoint": "<METHOD> <path>", "fault": "<kind>"}` plus exactly one of
//! `"count"` (a whole number ≥ 1) and `"probability"` (0 < p ≤ 1), and optionally
//! `"latency_ms"` (0–30 000; required for `latency`, a delay before the fault for the others)
//! and `"retry_after"` (seconds, `rate429` only, default 2); `oversize` requires `"bytes"` (the
//! body's size) and takes `"chunked"` (send it without `Content-Length`). Unknown params are
//! refused so a typo cannot silently become a fault that never fires.

use axum::http::Method;
use serde_json::{Map, Value};

use super::canned::{self, CannedAnswer};
use super::kind::FaultKind;
use crate::errors::ApiError;
use crate::input::{XanoInput, required_string};
use crate::paths::is_control_path;

/// The longest latency a fault may add, in milliseconds.
pub(crate) const MAX_LATENCY_MS: u64 = 30_000;
/// `Retry-After` of a `rate429` fault unless `retry_after` says otherwise, in seconds.
pub(crate) const DEFAULT_RETRY_AFTER_SECS: u64 = 2;
/// The largest `retry_after` accepted, in seconds (one day).
const MAX_RETRY_AFTER_SECS: u64 = 86_400;

/// The smallest `oversize` body: `[{"id":1,"note":""}]`.
pub(crate) const MIN_OVERSIZE_BYTES: u64 = 20;
/// The largest `oversize` body, 4 GiB: streamed, it costs the server no memory.
const MAX_OVERSIZE_BYTES: u64 = 4 << 30;

/// The params a fault body may hold.
const PARAMS: [&str; 8] = [
    "endpoint",
    "fault",
    "count",
    "probability",
    "latency_ms",
    "retry_after",
    "bytes",
    "chunked",
];

/// The body an `oversize` fault sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Oversize {
    /// Its size in bytes.
    pub(crate) bytes: u64,
    /// Sent chunked, without `Content-Length`.
    pub(crate) chunked: bool,
}

/// When a fault fires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Trigger {
    /// On each of the next N matching requests, then it is removed.
    Count(u64),
    /// On each matching request with this probability (0 < p ≤ 1); it stays until cleared.
    Probability(f64),
}

/// A validated fault request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FaultSpec {
    /// `"<METHOD> <path>"`, as the counters key requests.
    pub(crate) endpoint: String,
    /// What happens.
    pub(crate) kind: FaultKind,
    /// When it happens.
    pub(crate) trigger: Trigger,
    /// Delay before the fault (or, for `latency`, before the normal answer).
    pub(crate) latency_ms: Option<u64>,
    /// `Retry-After` seconds (`rate429` only; defaulted there).
    pub(crate) retry_after_secs: Option<u64>,
    /// What an `answer` fault sends.
    pub(crate) answer: Option<CannedAnswer>,
    /// The body (`oversize` only).
    pub(crate) oversize: Option<Oversize>,
}

impl XanoInput for FaultSpec {
    const FIRST_PARAM: &'static str = "endpoint";

    fn from_fields(fields: &Map<String, Value>) -> Result<Self, ApiError> {
        parse(fields)
    }
}

/// Checks a fault body's fields.
fn parse(fields: &Map<String, Value>) -> Result<FaultSpec, ApiError> {
    if let Some(unknown) = fields
        .keys()
        .find(|key| !PARAMS.contains(&key.as_str()) && !canned::PARAMS.contains(&key.as_str()))
    {
        return Err(ApiError::input(
            unknown,
            format!("Unknown param: {unknown}. Expected {}.", PARAMS.join(", ")),
        ));
    }
    let endpoint = endpoint(&required_string(fields, "endpoint")?)?;
    let kind_name = required_string(fields, "fault")?;
    let kind = FaultKind::from_name(&kind_name).ok_or_else(|| {
        let names: Vec<&str> = FaultKind::ALL.iter().map(|kind| kind.name()).collect();
        ApiError::input(
            "fault",
            format!("Unknown fault. Expected one of {}.", names.join(", ")),
        )
    })?;
    if kind == FaultKind::Drop && endpoint.starts_with("HEAD ") {
        return Err(ApiError::input(
            "fault",
            "drop cannot apply to HEAD requests (their answer has no body to fail).",
        ));
    }
    let trigger = trigger(fields)?;
    let latency_ms = whole_number(fields, "latency_ms", 0, MAX_LATENCY_MS)?;
    if kind == FaultKind::Latency && latency_ms.is_none() {
        return Err(ApiError::input(
            "latency_ms",
            "Missing param: latency_ms (required for the latency fault).",
        ));
    }
    let retry_after_secs = whole_number(fields, "retry_after", 0, MAX_RETRY_AFTER_SECS)?;
    let retry_after_secs = match (kind, retry_after_secs) {
        (FaultKind::Rate429, given) => Some(given.unwrap_or(DEFAULT_RETRY_AFTER_SECS)),
        (_, None) => None,
        (_, Some(_)) => {
            return Err(ApiError::input(
                "retry_after",
                "retry_after only applies to the rate429 fault.",
            ));
        }
    };
    let answer = canned::parse(fields, kind)?;
    let oversize = oversize(fields, kind)?;
    Ok(FaultSpec {
        endpoint,
        kind,
        trigger,
        latency_ms,
        retry_after_secs,
        answer,
        oversize,
    })
}

/// `bytes` (required) and `chunked` (default false) of an `oversize` fault; neither for others.
fn oversize(fields: &Map<String, Value>, kind: FaultKind) -> Result<Option<Oversize>, ApiError> {
    let bytes = whole_number(fields, "bytes", MIN_OVERSIZE_BYTES, MAX_OVERSIZE_BYTES)?;
    let chunked = match fields.get("chunked") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(chunked)) => Some(*chunked),
        Some(_) => {
            return Err(ApiError::input(
                "chunked",
                "Invalid value for param: chunked. Expected true or false.",
            ));
        }
    };
    if kind != FaultKind::Oversize {
        let given = if bytes.is_some() { "bytes" } else { "chunked" };
        return match (bytes, chunked) {
            (None, None) => Ok(None),
            _ => Err(ApiError::input(
                given,
                format!("{given} only applies to the oversize fault."),
            )),
        };
    }
    let bytes = bytes.ok_or_else(|| {
        ApiError::input(
            "bytes",
            "Missing param: bytes (required for the oversize fault: the body's size).",
        )
    })?;
    Ok(Some(Oversize {
        bytes,
        chunked: chunked.unwrap_or(false),
    }))
}

/// Checks `"<METHOD> <path>"`: an upper-case method, one space, a path from `/` without query,
/// fragment or spaces, and not one of the dev control routes.
fn endpoint(text: &str) -> Result<String, ApiError> {
    let malformed = || {
        ApiError::input(
            "endpoint",
            "Expected \"<METHOD> <path>\", e.g. \"GET /api:data/customers\" (no query string).",
        )
    };
    let (method, path) = text.split_once(' ').ok_or_else(malformed)?;
    let method_ok = !method.is_empty() && method.bytes().all(|byte| byte.is_ascii_uppercase());
    let path_ok = path.starts_with('/')
        && !path.contains(['?', '#'])
        && !path.chars().any(char::is_whitespace);
    if !method_ok || !path_ok {
        return Err(malformed());
    }
    if method == Method::OPTIONS.as_str() {
        return Err(ApiError::input(
            "endpoint",
            "OPTIONS requests are CORS preflights, answered before any fault applies.",
        ));
    }
    if is_control_path(path) {
        return Err(ApiError::input(
            "endpoint",
            "The /__dev counters, faults and revoke routes cannot be faulted.",
        ));
    }
    Ok(text.to_owned())
}

/// Exactly one of `count` and `probability`.
fn trigger(fields: &Map<String, Value>) -> Result<Trigger, ApiError> {
    let count = whole_number(fields, "count", 1, u64::MAX)?;
    let probability = probability(fields)?;
    match (count, probability) {
        (Some(count), None) => Ok(Trigger::Count(count)),
        (None, Some(probability)) => Ok(Trigger::Probability(probability)),
        (Some(_), Some(_)) => Err(ApiError::input(
            "probability",
            "Give either count or probability, not both.",
        )),
        (None, None) => Err(ApiError::input(
            "count",
            "Missing param: count (a whole number ≥ 1), or give probability (0 < p ≤ 1).",
        )),
    }
}

/// `probability`, if given: a number with 0 < p ≤ 1.
fn probability(fields: &Map<String, Value>) -> Result<Option<f64>, ApiError> {
    match fields.get("probability") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_f64()
            .filter(|p| p.is_finite() && *p > 0.0 && *p <= 1.0)
            .map(Some)
            .ok_or_else(|| {
                ApiError::input(
                    "probability",
                    "Invalid value for param: probability. Expected a number with 0 < p ≤ 1.",
                )
            }),
    }
}

/// An optional whole-number param within `min..=max`.
fn whole_number(
    fields: &Map<String, Value>,
    param: &str,
    min: u64,
    max: u64,
) -> Result<Option<u64>, ApiError> {
    match fields.get(param) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .filter(|number| (min..=max).contains(number))
            .map(Some)
            .ok_or_else(|| {
                ApiError::input(
                    param,
                    format!(
                        "Invalid value for param: {param}. Expected a whole number from {min} to {max}."
                    ),
                )
            }),
    }
}

//! Test probes, routed only with `--counters` (test mode), like the
//! counters themselves:
//!
//! * `GET /__dev/echo` answers the request's method, path and headers, so a
//!   test can prove which headers (e.g. `Authorization`) a client sent.
//! * `GET /__dev/delay?ms=N` answers after N milliseconds (at most 30 s),
//!   so a test can prove a client's timeout fires.
//! * `/__dev/protected-echo` answers any method like `echo`, plus the body,
//!   but only with a valid token (else Xano's 401): a protected endpoint
//!   for POST/PUT/PATCH/DELETE replay tests.
//!
//! Their state is the token [`Issuer`] alone.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::{Query, Request};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::bearer::Authenticated;
use crate::errors::ApiError;
use crate::issuer::Issuer;
use crate::paths::{DELAY_PATH, ECHO_PATH, PROTECTED_ECHO_PATH};

/// The longest delay `/__dev/delay` grants.
const MAX_DELAY_MS: u64 = 30_000;

/// The probes' routes; `issuer` checks the protected echo's token.
pub(crate) fn router(issuer: Issuer) -> Router {
    Router::new()
        .route(ECHO_PATH, get(echo))
        .route(DELAY_PATH, get(delay))
        .route(PROTECTED_ECHO_PATH, any(protected_echo))
        .with_state(issuer)
}

/// `GET /__dev/echo`.
async fn echo(request: Request) -> Json<Value> {
    let headers: BTreeMap<String, String> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    Json(json!({
        "method": request.method().as_str(),
        "path": request.uri().path(),
        "headers": headers,
    }))
}

/// `/__dev/protected-echo`, any method: 401 without a valid token.
async fn protected_echo(_auth: Authenticated, request: Request) -> Result<Json<Value>, ApiError> {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| ApiError::input("body", "The body could not be read."))?;
    let Json(mut echoed) = echo(Request::from_parts(parts, axum::body::Body::empty())).await;
    echoed["body"] = Value::String(String::from_utf8_lossy(&body).into_owned());
    Ok(Json(echoed))
}

/// The query of `/__dev/delay`.
#[derive(Deserialize)]
struct DelayQuery {
    ms: Option<String>,
}

/// `GET /__dev/delay?ms=N`.
async fn delay(Query(query): Query<DelayQuery>) -> Result<Json<Value>, ApiError> {
    let ms = query
        .ms
        .as_deref()
        .and_then(|ms| ms.parse::<u64>().ok())
        .filter(|ms| *ms <= MAX_DELAY_MS)
        .ok_or_else(|| {
            ApiError::input(
                "ms",
                format!("ms must be a whole number from 0 to {MAX_DELAY_MS}"),
            )
        })?;
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Ok(Json(json!({ "waited": ms })))
}

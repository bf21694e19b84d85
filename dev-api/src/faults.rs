//! Fault injection for client tests (only with `--faults` / `DEV_API_FAULTS=1`).
//!
//! A test registers faults with `POST /__dev/faults`
//! `{"endpoint": "GET /api:data/customers", "fault": "error500", "count": 1}` (or
//! `"probability": p` instead of `count`), lists them with `GET /__dev/faults` and removes
//! them all with `DELETE /__dev/faults`. A middleware then applies them to matching requests:
//! slow answers, Xano and proxy errors, broken bodies, login answers without a usable token,
//! dropped connections and revoked tokens (see [`kind::FaultKind`] and the README).
//! While faults are on, every answer closes its connection, so that browsers never retry a
//! dropped request behind the page's back (see [`fresh_connections`]). Without the flag
//! neither the routes nor the middlewares exist, so the paths answer 404.

mod answers;
mod fresh_connections;
mod hang_up;
mod kind;
mod middleware;
mod registry;
mod spec;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use serde_json::{Value, json};

use crate::errors::ApiError;
use crate::input;
use crate::state::AppState;

pub(crate) use fresh_connections::close_after;
pub(crate) use hang_up::HungUp;
pub(crate) use middleware::apply;
pub(crate) use registry::{FaultView, Faults};

/// `POST /__dev/faults` → `{"id": N}`, or a 400 naming the bad param.
pub(crate) async fn add(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let faults = state.faults().ok_or(ApiError::NotFound)?;
    let body = input::body_bytes(body, "endpoint")?;
    let id = faults.add(spec::parse(&body)?);
    Ok(Json(json!({ "id": id })))
}

/// `GET /__dev/faults` → the active faults, oldest first.
pub(crate) async fn list(State(state): State<AppState>) -> Result<Json<Vec<FaultView>>, ApiError> {
    let faults = state.faults().ok_or(ApiError::NotFound)?;
    Ok(Json(faults.list()))
}

/// `DELETE /__dev/faults` → `{}`.
pub(crate) async fn clear(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let faults = state.faults().ok_or(ApiError::NotFound)?;
    faults.clear();
    Ok(Json(json!({})))
}

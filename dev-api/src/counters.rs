//! Per-endpoint request counters for tests (only with `--counters` / `DEV_API_COUNTERS=1`).
//!
//! A middleware counts every request by `"<METHOD> <path>"` (e.g. `"GET /api:data/customers"`)
//! and by answered status; a connection closed without an answer (the `drop` fault) counts as
//! status `0`. `GET /__dev/counters` shows them as
//! `{"GET /api:data/customers": {"requests": 3, "status": {"200": 2, "401": 1}}}`;
//! `POST /__dev/counters/reset` zeroes them. The dev control routes themselves (counters,
//! faults, revoke) and CORS preflights (`OPTIONS`) are not counted. Without the flag neither
//! the middleware nor the routes exist, so those paths answer Xano's 404.
//!
//! The feature's state is [`Counters`] alone; [`router`] serves it and [`count`] fills it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;

use crate::paths::{COUNTERS_PATH, COUNTERS_RESET_PATH, is_control_path};
use crate::unanswered::HungUp;

/// Counts for one endpoint key.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct EndpointCount {
    /// Requests seen.
    requests: u64,
    /// Requests per answered status code (keys serialise as strings, e.g. `"200"`; `"0"` for
    /// connections closed without an answer).
    status: BTreeMap<u16, u64>,
}

/// All counts, keyed by `"<METHOD> <path>"`, in sorted order. Clones share the counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counters {
    counts: Arc<Mutex<BTreeMap<String, EndpointCount>>>,
}

impl Counters {
    /// Counts one request to `key` answered with `status` (`0`: no answer was sent).
    pub(crate) fn record(&self, key: String, status: u16) {
        let mut counts = self.lock();
        let count = counts.entry(key).or_default();
        count.requests += 1;
        *count.status.entry(status).or_default() += 1;
    }

    /// A copy of all counts.
    pub(crate) fn snapshot(&self) -> BTreeMap<String, EndpointCount> {
        self.lock().clone()
    }

    /// Forgets all counts.
    pub(crate) fn reset(&self) {
        self.lock().clear();
    }

    /// The counts, even after a poisoning panic (each update is a couple of increments).
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, EndpointCount>> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The counters' routes, on their own state.
pub(crate) fn router(counters: Counters) -> Router {
    Router::new()
        .route(COUNTERS_PATH, get(show))
        .route(COUNTERS_RESET_PATH, post(reset))
        .with_state(counters)
}

/// Middleware: counts the request once its response is known.
pub(crate) async fn count(
    State(counters): State<Counters>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let key = (request.method() != Method::OPTIONS && !is_control_path(path))
        .then(|| format!("{} {path}", request.method()));
    let response = next.run(request).await;
    if let Some(key) = key {
        let status = if response.extensions().get::<HungUp>().is_some() {
            0
        } else {
            response.status().as_u16()
        };
        counters.record(key, status);
    }
    response
}

/// `GET /__dev/counters`.
async fn show(State(counters): State<Counters>) -> Json<BTreeMap<String, EndpointCount>> {
    Json(counters.snapshot())
}

/// `POST /__dev/counters/reset` → `{}` (the now empty counts).
async fn reset(State(counters): State<Counters>) -> Json<BTreeMap<String, EndpointCount>> {
    counters.reset();
    Json(counters.snapshot())
}

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
//! The counts stay bounded however many distinct paths clients make up: a routed endpoint
//! with a usual method (`GET`, `HEAD`, `POST`, `PUT`, `PATCH`, `DELETE`) always has its own
//! key, any other request (a static-site file, an unknown path, an invented method) gets its
//! own key only while fewer than [`MAX_OTHER_KEYS`] such keys exist, and is counted under
//! [`OTHER_KEY`] from then on.
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

use crate::paths::{COUNTERS_PATH, COUNTERS_RESET_PATH, is_control_path, is_routed_path};
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

/// How many keys for requests that are not a routed endpoint with a usual method are kept
/// apart before the rest are folded into [`OTHER_KEY`].
pub const MAX_OTHER_KEYS: usize = 64;

/// The key that counts every request beyond [`MAX_OTHER_KEYS`] other keys.
pub const OTHER_KEY: &str = "other";

/// All counts, keyed by `"<METHOD> <path>"`, in sorted order. Clones share the counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counters {
    counts: Arc<Mutex<Counts>>,
}

/// The counts and how many of their keys are "other" keys.
#[derive(Debug, Default)]
struct Counts {
    by_key: BTreeMap<String, EndpointCount>,
    /// Keys in `by_key` that are neither a routed endpoint's nor [`OTHER_KEY`].
    other_keys: usize,
}

impl Counters {
    /// Counts one request with `method` to `path` answered with `status` (`0`: no answer
    /// was sent).
    pub(crate) fn record(&self, method: &Method, path: &str, status: u16) {
        let key = format!("{method} {path}");
        let mut counts = self.lock();
        let Counts { by_key, other_keys } = &mut *counts;
        let count = if let Some(count) = by_key.get_mut(&key) {
            count
        } else if is_endpoint(method, path) {
            by_key.entry(key).or_default()
        } else if *other_keys < MAX_OTHER_KEYS {
            *other_keys += 1;
            by_key.entry(key).or_default()
        } else {
            by_key.entry(OTHER_KEY.to_owned()).or_default()
        };
        count.requests += 1;
        *count.status.entry(status).or_default() += 1;
    }

    /// A copy of all counts.
    pub(crate) fn snapshot(&self) -> BTreeMap<String, EndpointCount> {
        self.lock().by_key.clone()
    }

    /// Forgets all counts.
    pub(crate) fn reset(&self) {
        *self.lock() = Counts::default();
    }

    /// The counts, even after a poisoning panic (each update is a couple of increments).
    fn lock(&self) -> MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether a request is to one of the routed endpoints with a usual method: such a key always
/// has its own count (there are only a few dozen of them).
fn is_endpoint(method: &Method, path: &str) -> bool {
    let usual = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    usual.contains(method) && is_routed_path(path)
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
    let counted = (request.method() != Method::OPTIONS && !is_control_path(path))
        .then(|| (request.method().clone(), path.to_owned()));
    let response = next.run(request).await;
    if let Some((method, path)) = counted {
        let status = if response.extensions().get::<HungUp>().is_some() {
            0
        } else {
            response.status().as_u16()
        };
        counters.record(&method, &path, status);
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

//! Fault injection for client tests (only with `--faults` / `DEV_API_FAULTS=1`).
//!
//! A test registers faults with `POST /__dev/faults`
//! `{"endpoint": "GET /api:data/customers", "fault": "error500", "count": 1}` (or
//! `"probability": p` instead of `count`), lists them with `GET /__dev/faults` and removes
//! them all with `DELETE /__dev/faults`. A middleware then applies them to matching requests:
//! slow answers, Xano and proxy errors, broken bodies, login answers without a usable token,
//! dropped connections and revoked tokens (see [`kind::FaultKind`] and the README).
//! `POST /__dev/revoke` revokes every token issued so far.
//! While faults are on, every answer closes its connection, so that browsers never retry a
//! dropped request behind the page's back (see [`fresh_connections`]). Without the flag
//! neither the routes nor the middlewares exist, so the paths answer 404.
//!
//! The feature's state is [`Faults`]: the registry of active faults plus the few things the
//! faults act on (the token issuer, the body limit, the demo e-mail).

mod answers;
mod canned;
mod fresh_connections;
mod hang_up;
mod kind;
mod middleware;
mod registry;
mod revoke;
mod spec;

use std::sync::Arc;

use axum::extract::{FromRef, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::input::XanoJson;
use crate::issuer::Issuer;
use crate::paths::{FAULTS_PATH, REVOKE_PATH};

pub(crate) use fresh_connections::close_after;
pub(crate) use middleware::apply;
use registry::{FaultView, Registry};
use spec::FaultSpec;

/// The fault feature's state. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Faults {
    registry: Arc<Registry>,
    issuer: Issuer,
    body_limit_bytes: usize,
    demo_email: Arc<str>,
}

impl Faults {
    /// No faults yet; they will revoke through `issuer`, read dropped requests' bodies up to
    /// `body_limit_bytes`, and name `demo_email` in the `no_token` answer.
    pub(crate) fn new(issuer: Issuer, body_limit_bytes: usize, demo_email: String) -> Self {
        Self {
            registry: Arc::default(),
            issuer,
            body_limit_bytes,
            demo_email: demo_email.into(),
        }
    }
}

impl FromRef<Faults> for Arc<Registry> {
    fn from_ref(faults: &Faults) -> Self {
        Arc::clone(&faults.registry)
    }
}

impl FromRef<Faults> for Issuer {
    fn from_ref(faults: &Faults) -> Self {
        faults.issuer.clone()
    }
}

/// The fault control routes, on the feature's own state.
pub(crate) fn router(faults: Faults) -> Router {
    Router::new()
        .route(FAULTS_PATH, get(list).post(add).delete(clear))
        .route(REVOKE_PATH, post(revoke::revoke_all))
        .with_state(faults)
}

/// `POST /__dev/faults` → `{"id": N}`, or a 400 naming the bad param.
async fn add(
    State(registry): State<Arc<Registry>>,
    XanoJson(spec): XanoJson<FaultSpec>,
) -> Json<Value> {
    let id = registry.add(spec);
    Json(json!({ "id": id }))
}

/// `GET /__dev/faults` → the active faults, oldest first.
async fn list(State(registry): State<Arc<Registry>>) -> Json<Vec<FaultView>> {
    Json(registry.list())
}

/// `DELETE /__dev/faults` → `{}`.
async fn clear(State(registry): State<Arc<Registry>>) -> Json<Value> {
    registry.clear();
    Json(json!({}))
}

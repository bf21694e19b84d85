//! A Xano-compatible development API for tokengrid.
//!
//! It answers the same addresses, status codes and JSON bodies as the Xano endpoints the app
//! talks to (see `shared/XANO.md`): `POST /api:auth/auth/login`, `POST /api:auth/auth/signup`,
//! `GET /api:auth/auth/me` and the JWT-protected `GET /api:data/customers`, with Xano's CORS
//! defaults, its error bodies and its paging envelope. On top of that it offers what only a
//! development server should: a demo-login hint, optional per-endpoint request counters for
//! tests, optional fault injection (slow, broken and refused answers, dropped connections,
//! revoked tokens), an injectable clock so token expiry is testable without sleeping, and an
//! optional static-site fallback so one process can demo a static deploy. Like Xano, it
//! rate-limits logins per e-mail.
//!
//! [`app`] builds the whole [`axum::Router`] from an [`AppState`]; `main.rs` only parses flags
//! and binds.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod bearer;
mod body_limit;
mod clock;
mod config;
mod cors;
mod counters;
mod data;
mod errors;
mod faults;
mod hint;
mod input;
mod paging;
mod passwords;
mod probes;
mod random;
mod rate_limit;
mod revoke;
mod seed;
mod state;
mod static_site;
mod tokens;
mod users;

use axum::Router;
use axum::middleware;
use axum::routing::{any, get, post};
use tower_http::limit::RequestBodyLimitLayer;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{
    Config, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD,
    DEFAULT_LOGIN_RATE_LIMIT, DEFAULT_LOGIN_RATE_WINDOW_SECS, DEFAULT_TOKEN_TTL_SECS, TokenFormat,
};
pub use errors::{ApiError, StartupError};
pub use state::AppState;

/// How many `customers` rows are seeded unless `--rows` says otherwise.
pub const DEFAULT_ROWS: u64 = seed::CUSTOMER_COUNT;

/// Path of the login endpoint (Xano's auth template, in the `auth` API group).
pub const LOGIN_PATH: &str = "/api:auth/auth/login";
/// Path of the signup endpoint.
pub const SIGNUP_PATH: &str = "/api:auth/auth/signup";
/// Path of the "who am I" endpoint.
pub const ME_PATH: &str = "/api:auth/auth/me";
/// Path of the dev-only demo-login hint (no Xano equivalent).
pub const HINT_PATH: &str = "/api:auth/__dev/hint";
/// Path of the protected customers table (in the `data` API group).
pub const CUSTOMERS_PATH: &str = "/api:data/customers";
/// Path of the request counters (only routed when counters are enabled).
pub const COUNTERS_PATH: &str = "/__dev/counters";
/// Path that zeroes the request counters (only routed when counters are enabled).
pub const COUNTERS_RESET_PATH: &str = "/__dev/counters/reset";
/// Path that echoes the request's headers (only routed when counters are enabled).
pub const ECHO_PATH: &str = "/__dev/echo";
/// Path that answers after `?ms=N` milliseconds (only routed when counters are enabled).
pub const DELAY_PATH: &str = "/__dev/delay";
/// Path that echoes any method and body, but only with a valid token (only
/// routed when counters are enabled).
pub const PROTECTED_ECHO_PATH: &str = "/__dev/protected-echo";
/// Path that adds (`POST`), lists (`GET`) and clears (`DELETE`) injected faults (only routed
/// when faults are enabled).
pub const FAULTS_PATH: &str = "/__dev/faults";
/// Path that revokes every token issued so far (only routed when faults are enabled).
pub const REVOKE_PATH: &str = "/__dev/revoke";

/// Whether `path` is one of the dev control routes (counters, faults, revoke), which are
/// neither counted nor faulted.
pub(crate) fn is_control_path(path: &str) -> bool {
    [COUNTERS_PATH, FAULTS_PATH, REVOKE_PATH]
        .iter()
        .any(|control| path.starts_with(control))
}

/// Builds the complete router: API routes, Xano-shaped 404 fallback (or the static site when
/// one is configured), body limit, optional faults and counters, and CORS.
///
/// Layers, outermost first: with faults on, `Connection: close` on every answer (so browsers
/// never retry a dropped request on a fresh connection), CORS (so every answer, errors and
/// faults included, is readable cross-origin and preflights never reach the rest), counters
/// (when enabled; they see the status a fault produced), faults (when enabled), the
/// Xano-shaped 413 rewrite, the request body limit, then routing.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new()
        .route(LOGIN_PATH, post(auth::login))
        .route(SIGNUP_PATH, post(auth::signup))
        .route(ME_PATH, get(auth::me))
        .route(HINT_PATH, get(hint::hint))
        .route(CUSTOMERS_PATH, get(data::customers));
    if state.counters().is_some() {
        router = router
            .route(COUNTERS_PATH, get(counters::show))
            .route(COUNTERS_RESET_PATH, post(counters::reset))
            .route(ECHO_PATH, get(probes::echo))
            .route(DELAY_PATH, get(probes::delay))
            .route(PROTECTED_ECHO_PATH, any(probes::protected_echo));
    }
    if state.faults().is_some() {
        router = router
            .route(
                FAULTS_PATH,
                get(faults::list).post(faults::add).delete(faults::clear),
            )
            .route(REVOKE_PATH, post(revoke::revoke_all));
    }
    let mut router = router
        // Xano routes by verb and path: a known path with another verb is simply not found.
        .method_not_allowed_fallback(errors::not_found)
        .fallback(static_site::fallback)
        .layer(RequestBodyLimitLayer::new(state.config().body_limit_bytes))
        .layer(middleware::map_response(body_limit::xano_payload_too_large));
    if state.faults().is_some() {
        router = router.layer(middleware::from_fn_with_state(state.clone(), faults::apply));
    }
    if state.counters().is_some() {
        router = router.layer(middleware::from_fn_with_state(
            state.clone(),
            counters::count,
        ));
    }
    let mut router = router.layer(cors::layer());
    if state.faults().is_some() {
        // Outside CORS too, so preflight answers also close their connection.
        router = router.layer(middleware::map_response(faults::close_after));
    }
    router.with_state(state)
}

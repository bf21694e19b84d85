//! A Xano-compatible development API for tokengrid.
//!
//! It answers the same addresses, status codes and JSON bodies as the Xano endpoints the app
//! talks to (see `shared/XANO.md`): `POST /api:auth/auth/login`, `POST /api:auth/auth/signup`,
//! `GET /api:auth/auth/me` and the JWT-protected `GET /api:data/customers`, with Xano's CORS
//! defaults, its error bodies and its paging envelope. On top of that it offers what only a
//! development server should: a demo-login hint, optional per-endpoint request counters for
//! tests, an injectable clock so token expiry is testable without sleeping, and an optional
//! static-site fallback so one process can demo a static deploy.
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
mod hint;
mod input;
mod paging;
mod passwords;
mod probes;
mod random;
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
    DEFAULT_TOKEN_TTL_SECS, TokenFormat,
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

/// Builds the complete router: API routes, Xano-shaped 404 fallback (or the static site when
/// one is configured), body limit, optional counters and CORS.
///
/// Layers, outermost first: CORS (so every answer, errors included, is readable cross-origin
/// and preflights never reach the rest), counters (when enabled), the Xano-shaped 413 rewrite,
/// the request body limit, then routing.
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
    let mut router = router
        // Xano routes by verb and path: a known path with another verb is simply not found.
        .method_not_allowed_fallback(errors::not_found)
        .fallback(static_site::fallback)
        .layer(RequestBodyLimitLayer::new(state.config().body_limit_bytes))
        .layer(middleware::map_response(body_limit::xano_payload_too_large));
    if state.counters().is_some() {
        router = router.layer(middleware::from_fn_with_state(
            state.clone(),
            counters::count,
        ));
    }
    router.layer(cors::layer()).with_state(state)
}

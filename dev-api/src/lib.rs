//! A Xano-compatible development API for tokengrid.
//!
//! It answers the same addresses, status codes and JSON bodies as the Xano endpoints the app
//! talks to (the contract is written down in `docs/XANO.md`): `POST /api:auth/auth/login`,
//! `POST /api:auth/auth/signup`, `GET /api:auth/auth/me` and the token-protected
//! `GET /api:data/customers`, with Xano's CORS defaults, its error bodies and its paging
//! envelope. On top of that it offers what only a development server should: a demo-login
//! hint, optional per-endpoint request counters for tests, optional fault injection (slow,
//! broken and refused answers, dropped connections, revoked tokens), optional refresh tokens
//! with rotation and reuse detection, an injectable clock so
//! token expiry is testable without sleeping, and an optional static-site fallback so one
//! process can demo a static deploy. Like Xano, it rate-limits logins per e-mail.
//!
//! [`app`] builds the whole [`axum::Router`] from an [`AppState`], and [`serve`] serves it with
//! a header read timeout; `main.rs` only parses flags and binds. Each optional feature (counters and their probes, faults, refresh tokens, the static site) has
//! its own module, state and router, and knows nothing of [`AppState`]; `app` merges the
//! routers of the features that are on, so their routes simply do not exist otherwise.

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
mod issuer;
mod paging;
mod passwords;
mod paths;
mod probes;
mod random;
mod rate_limit;
mod refresh;
mod seed;
mod serve;
mod state;
mod static_site;
mod tokens;
mod unanswered;
mod users;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{
    Config, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD,
    DEFAULT_LOGIN_RATE_LIMIT, DEFAULT_LOGIN_RATE_WINDOW_SECS, DEFAULT_TOKEN_TTL_SECS, TokenFormat,
};
pub use counters::{MAX_OTHER_KEYS, OTHER_KEY};
pub use errors::{ApiError, StartupError};
pub use paths::{
    COUNTERS_PATH, COUNTERS_RESET_PATH, CUSTOMERS_PATH, DELAY_PATH, ECHO_PATH, FAULTS_PATH,
    HINT_PATH, LOGIN_PATH, ME_PATH, PROTECTED_ECHO_PATH, REVOKE_PATH, SIGNUP_PATH,
};
pub use refresh::{REFRESH_FIELD, REFRESH_PATH};
pub use serve::{DEFAULT_HEADER_READ_TIMEOUT, serve};
pub use state::AppState;

/// How many `customers` rows are seeded unless `--rows` says otherwise.
pub const DEFAULT_ROWS: u64 = seed::CUSTOMER_COUNT;

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
        .route(CUSTOMERS_PATH, get(data::customers))
        .with_state(state.clone());
    if let Some(counted) = state.counters() {
        router = router
            .merge(counters::router(counted.clone()))
            .merge(probes::router(state.issuer().clone()));
    }
    if let Some(injected) = state.faults() {
        router = router.merge(faults::router(injected.clone()));
    }
    if state.config().refresh_tokens {
        // One set of refresh-token families for the life of this router.
        let families = refresh::Refresh::new(state.issuer().clone());
        router =
            router
                .merge(refresh::router(families.clone()))
                .layer(middleware::from_fn_with_state(
                    families,
                    refresh::issue_on_login,
                ));
    }
    // Xano routes by verb and path: a known path with another verb is simply not found.
    let router = router.method_not_allowed_fallback(errors::not_found);
    let mut router = match state.static_site() {
        Some(site) => router.merge(static_site::router(site.clone())),
        None => router.fallback(errors::not_found),
    }
    .layer(RequestBodyLimitLayer::new(state.config().body_limit_bytes))
    .layer(middleware::map_response(body_limit::xano_payload_too_large));
    if let Some(injected) = state.faults() {
        router = router.layer(middleware::from_fn_with_state(
            injected.clone(),
            faults::apply,
        ));
    }
    if let Some(counted) = state.counters() {
        router = router.layer(middleware::from_fn_with_state(
            counted.clone(),
            counters::count,
        ));
    }
    let router = router.layer(cors::layer());
    if state.faults().is_some() {
        // Outside CORS too, so preflight answers also close their connection.
        router.layer(middleware::map_response(faults::close_after))
    } else {
        router
    }
}

//! The application state: the core every Xano endpoint shares, plus the state of each optional
//! feature that is switched on.
//!
//! The features (counters, faults, static site) never see this type: each has its own state
//! and router, and [`crate::app`] merges the routers of the features that are on. Pieces that
//! several routers need, such as the token [`Issuer`], are handed out through `FromRef`.

use std::sync::Arc;

use axum::extract::FromRef;
use serde_json::Value;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::counters::Counters;
use crate::errors::StartupError;
use crate::faults::Faults;
use crate::issuer::Issuer;
use crate::rate_limit::LoginLimiter;
use crate::seed;
use crate::static_site::StaticSite;
use crate::tokens::Tokens;
use crate::users::Users;

/// Everything the handlers share: configuration, users, the token issuer on the injected
/// clock, the data, the login rate limit, and the optional features' own states.
///
/// Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    issuer: Issuer,
    users: Users,
    customers: Vec<Value>,
    login_limiter: LoginLimiter,
    counters: Option<Counters>,
    faults: Option<Faults>,
    static_site: Option<StaticSite>,
}

impl AppState {
    /// State for `config` on the system clock.
    ///
    /// # Errors
    /// See [`AppState::with_clock`].
    pub fn new(config: Config) -> Result<Self, StartupError> {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// State for `config` on `clock` (tests pass a [`crate::ManualClock`]).
    ///
    /// Seeds the demo account (hashing its password) and the customers table.
    ///
    /// # Errors
    /// An empty demo e-mail or password, a zero token lifetime, a zero login rate window with
    /// the limit on, a `serve_dist` that is not a directory, or no OS randomness.
    pub fn with_clock(config: Config, clock: Arc<dyn Clock>) -> Result<Self, StartupError> {
        if config.login_rate_limit > 0 && config.login_rate_window_secs == 0 {
            return Err(StartupError::ZeroLoginRateWindow);
        }
        let users = Users::with_demo(&config.demo_email, &config.demo_password)?;
        let tokens = Tokens::new(
            config.token_format,
            config.token_ttl_secs,
            config.jwt_secret.as_deref(),
        )?;
        let issuer = Issuer::new(tokens, clock);
        let static_site = config
            .serve_dist
            .as_deref()
            .map(StaticSite::new)
            .transpose()?;
        let login_limiter =
            LoginLimiter::new(config.login_rate_limit, config.login_rate_window_secs);
        let counters = config.counters.then(Counters::default);
        let faults = config
            .faults
            .then(|| Faults::new(issuer.clone(), config.body_limit_bytes, users.demo_email()));
        Ok(Self {
            inner: Arc::new(Inner {
                customers: seed::customers(config.rows),
                config,
                issuer,
                users,
                login_limiter,
                counters,
                faults,
                static_site,
            }),
        })
    }

    /// The configuration this state was built from.
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The demo account's normalised e-mail (what the hint endpoint and `main` show).
    #[must_use]
    pub fn demo_email(&self) -> String {
        self.inner.users.demo_email()
    }

    pub(crate) fn issuer(&self) -> &Issuer {
        &self.inner.issuer
    }

    pub(crate) fn users(&self) -> &Users {
        &self.inner.users
    }

    pub(crate) fn customers(&self) -> &[Value] {
        &self.inner.customers
    }

    pub(crate) fn login_limiter(&self) -> &LoginLimiter {
        &self.inner.login_limiter
    }

    /// The counters' state, when `--counters` is on.
    pub(crate) fn counters(&self) -> Option<&Counters> {
        self.inner.counters.as_ref()
    }

    /// The fault injection's state, when `--faults` is on.
    pub(crate) fn faults(&self) -> Option<&Faults> {
        self.inner.faults.as_ref()
    }

    /// The static site, when `--serve-dist` names one.
    pub(crate) fn static_site(&self) -> Option<&StaticSite> {
        self.inner.static_site.as_ref()
    }
}

impl FromRef<AppState> for Issuer {
    fn from_ref(state: &AppState) -> Self {
        state.inner.issuer.clone()
    }
}

//! The shared state behind every handler.

use std::sync::Arc;

use serde_json::Value;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::counters::Counters;
use crate::errors::StartupError;
use crate::faults::Faults;
use crate::rate_limit::LoginLimiter;
use crate::seed;
use crate::static_site::{self, StaticSite};
use crate::tokens::Tokens;
use crate::users::Users;

/// Everything the handlers share: configuration, clock, users, tokens, data, the login rate
/// limit, counters and faults.
///
/// Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    clock: Arc<dyn Clock>,
    users: Users,
    tokens: Tokens,
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
        let static_site = config
            .serve_dist
            .as_deref()
            .map(static_site::StaticSite::new)
            .transpose()?;
        let login_limiter =
            LoginLimiter::new(config.login_rate_limit, config.login_rate_window_secs);
        let counters = config.counters.then(Counters::default);
        let faults = config.faults.then(Faults::default);
        Ok(Self {
            inner: Arc::new(Inner {
                customers: seed::customers(config.rows),
                config,
                clock,
                users,
                tokens,
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

    /// Now, in epoch milliseconds, from the injected clock.
    pub(crate) fn now_ms(&self) -> u64 {
        self.inner.clock.now_ms()
    }

    pub(crate) fn users(&self) -> &Users {
        &self.inner.users
    }

    pub(crate) fn tokens(&self) -> &Tokens {
        &self.inner.tokens
    }

    pub(crate) fn customers(&self) -> &[Value] {
        &self.inner.customers
    }

    pub(crate) fn login_limiter(&self) -> &LoginLimiter {
        &self.inner.login_limiter
    }

    pub(crate) fn counters(&self) -> Option<&Counters> {
        self.inner.counters.as_ref()
    }

    pub(crate) fn faults(&self) -> Option<&Faults> {
        self.inner.faults.as_ref()
    }

    pub(crate) fn static_site(&self) -> Option<&StaticSite> {
        self.inner.static_site.as_ref()
    }
}

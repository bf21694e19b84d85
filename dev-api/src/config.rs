//! Server configuration: token format and lifetime, the demo account, the login rate limit,
//! optional features (counters, faults, refresh tokens, a static site).
//!
//! `main.rs` fills a [`Config`] from flags and environment variables; tests build one directly.

use std::fmt;
use std::path::PathBuf;

/// Default token lifetime in seconds (the tutorial this project follows uses 60 s).
pub const DEFAULT_TOKEN_TTL_SECS: u64 = 60;
/// Default e-mail of the seeded demo account.
pub const DEFAULT_DEMO_EMAIL: &str = "demo@tokengrid.dev";
/// Default password of the seeded demo account (dev only: it is printed and served as a hint).
pub const DEFAULT_DEMO_PASSWORD: &str = "tokengrid-demo";
/// Default login attempts allowed per e-mail and window (Xano's free plan: 10 per 20 s).
pub const DEFAULT_LOGIN_RATE_LIMIT: u32 = 10;
/// Default length of the login rate-limit window, in seconds.
pub const DEFAULT_LOGIN_RATE_WINDOW_SECS: u64 = 20;
/// Default maximum request body size: 64 KiB is far more than any auth request needs.
pub const DEFAULT_BODY_LIMIT_BYTES: usize = 64 * 1024;

/// What kind of token login and signup hand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TokenFormat {
    /// Like Xano's JWE: five base64url parts the client cannot read; the server keeps a
    /// session table (keyed by the token's SHA-256) to know who holds it and until when.
    #[default]
    Opaque,
    /// An HS256 JWT with `sub`, `iat` and `exp` claims, readable by the client.
    Jwt,
}

impl fmt::Display for TokenFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Opaque => "opaque",
            Self::Jwt => "jwt",
        })
    }
}

/// Everything that shapes an [`crate::AppState`].
///
/// Its `Debug` output redacts the JWT secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// Token format issued by login and signup.
    pub token_format: TokenFormat,
    /// Token lifetime in seconds.
    pub token_ttl_secs: u64,
    /// HS256 secret for [`TokenFormat::Jwt`]; `None` means a random secret per process.
    pub jwt_secret: Option<String>,
    /// E-mail of the seeded demo account (trimmed and lower-cased when seeded).
    pub demo_email: String,
    /// Password of the seeded demo account.
    pub demo_password: String,
    /// A built static site to serve for non-API `GET`s, with `index.html` as fallback.
    pub serve_dist: Option<PathBuf>,
    /// Whether the per-endpoint request counters and their `/__dev/counters` routes exist.
    pub counters: bool,
    /// Whether fault injection (`/__dev/faults`, `/__dev/revoke`) is routed and applied.
    pub faults: bool,
    /// Login attempts allowed per e-mail and window; `0` turns the limit off.
    pub login_rate_limit: u32,
    /// Length of the login rate-limit window in seconds (at least 1 when the limit is on).
    pub login_rate_window_secs: u64,
    /// Maximum request body size in bytes; larger bodies get a Xano-shaped 413.
    pub body_limit_bytes: usize,
    /// How many `customers` rows to seed (300 by default; benchmarks use more).
    pub rows: u64,
    /// Whether logins also hand out refresh tokens and the refresh endpoint exists (with
    /// rotation and reuse detection; see `refresh.rs`).
    pub refresh_tokens: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("token_format", &self.token_format)
            .field("token_ttl_secs", &self.token_ttl_secs)
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("demo_email", &self.demo_email)
            .field("demo_password", &self.demo_password)
            .field("rows", &self.rows)
            .field("serve_dist", &self.serve_dist)
            .field("counters", &self.counters)
            .field("faults", &self.faults)
            .field("login_rate_limit", &self.login_rate_limit)
            .field("login_rate_window_secs", &self.login_rate_window_secs)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("refresh_tokens", &self.refresh_tokens)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            token_format: TokenFormat::default(),
            token_ttl_secs: DEFAULT_TOKEN_TTL_SECS,
            jwt_secret: None,
            demo_email: DEFAULT_DEMO_EMAIL.to_owned(),
            demo_password: DEFAULT_DEMO_PASSWORD.to_owned(),
            serve_dist: None,
            counters: false,
            faults: false,
            login_rate_limit: DEFAULT_LOGIN_RATE_LIMIT,
            login_rate_window_secs: DEFAULT_LOGIN_RATE_WINDOW_SECS,
            body_limit_bytes: DEFAULT_BODY_LIMIT_BYTES,
            rows: crate::seed::CUSTOMER_COUNT,
            refresh_tokens: false,
        }
    }
}

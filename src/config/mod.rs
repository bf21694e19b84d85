//! Runtime configuration, read from the page so a built `dist/` can be
//! pointed at another backend by editing `index.html` — no rebuild.
//!
//! `index.html` carries a JSON block:
//!
//! ```html
//! <script id="tokengrid-config" type="application/json">
//!   { "loginUrl": "/api:auth/auth/login", "dataUrl": "/api:data/customers" }
//! </script>
//! ```
//!
//! (A `type="application/json"` script is data, not code: it never runs and
//! needs nothing from the Content-Security-Policy.) Every field is optional
//! and defaults to the development API behind Trunk's proxy; an unknown
//! field or a bad value is an error that names the setting. The settings
//! themselves — name, default, check, README line — are declared once, in
//! `config/settings.rs`.

mod settings;

use crate::auth::body::BodyFormat;
use crate::auth::refresh::RefreshSettings;
use crate::auth::store::RefreshStorage;
use crate::auth::token::TokenPath;
use crate::auth::{ApiOrigins, AuthSettings};
use crate::text::json_kind;
use serde_json::Value;
use settings::SETTINGS;
use std::time::Duration;

/// The `id` of the `<script type="application/json">` element holding the configuration.
pub const ELEMENT_ID: &str = "tokengrid-config";

/// The validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The login endpoint (`POST`).
    pub login_url: String,
    /// The data endpoint (`GET`), answering rows or Xano's paging envelope.
    pub data_url: String,
    /// Where the token sits in the login response.
    pub token_path: TokenPath,
    /// The `localStorage` key of the token.
    pub storage_key: String,
    /// The login body's identity field (`email`).
    pub identity_field: String,
    /// The login body's password field (`password`).
    pub password_field: String,
    /// How the login body is written: JSON or form-encoded.
    pub login_body_format: BodyFormat,
    /// Fields added to every login body, in the order given.
    pub login_extra_fields: Vec<(String, String)>,
    /// Statuses that mean "token not accepted": trigger one re-login and replay.
    pub unauthorized_statuses: Vec<u16>,
    /// How long a token lives, when the backend's tokens are opaque.
    pub token_lifetime: Option<Duration>,
    /// Where the development API tells the demo login, for the form's hint.
    pub dev_hint_url: Option<String>,
    /// The table's caption.
    pub title: String,
    /// Whether `index.html`'s early script draws the first page from the
    /// early answer before the app runs (the app only checks the setting).
    pub draw_first_page: bool,
    /// Timeout of each data request.
    pub request_timeout: Duration,
    /// Timeout of each login.
    pub login_timeout: Duration,
    /// The circuit breaker: at most this many 401-triggered logins a minute.
    pub max_relogins_per_minute: usize,
    /// The most bytes read of any answer.
    pub max_response_bytes: u64,
    /// The refresh endpoint; `None`: no refresh tokens.
    pub refresh_url: Option<String>,
    /// Where the refresh token sits in the login and refresh answers.
    pub refresh_token_path: TokenPath,
    /// The refresh request's field for the refresh token.
    pub refresh_request_field: String,
    /// Fields added to every refresh request, in order.
    pub refresh_extra_fields: Vec<(String, String)>,
    /// Where the refresh token is kept.
    pub refresh_token_storage: RefreshStorage,
}

/// A setting that could not be used. The message names the setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The JSON itself is malformed or has an unknown field.
    #[error("The configuration in index.html (#{ELEMENT_ID}) is not valid: {0}")]
    Syntax(String),
    /// The configuration element is missing from the page.
    #[error(
        "index.html has no <script id=\"{ELEMENT_ID}\" type=\"application/json\"> configuration block"
    )]
    Missing,
    /// A setting has a value that cannot work.
    #[error("Setting `{setting}` {problem}")]
    Invalid {
        /// The setting's name as written in the JSON.
        setting: &'static str,
        /// What is wrong, as the rest of the sentence.
        problem: String,
    },
}

impl Default for Config {
    fn default() -> Self {
        Config::from_json("{}").expect("the defaults are valid")
    }
}

impl Config {
    /// Parses and validates the JSON configuration text.
    ///
    /// Parsed by hand from a `serde_json::Value` rather than with
    /// `#[derive(Deserialize)]`: the JSON parser is in the bundle anyway, a
    /// derived visitor would add kilobytes.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let json: Value =
            serde_json::from_str(text).map_err(|e| ConfigError::Syntax(e.to_string()))?;
        let Value::Object(given) = json else {
            return Err(ConfigError::Syntax(format!(
                "expected a JSON object, found {}",
                json_kind(&json)
            )));
        };
        if let Some(key) = given
            .keys()
            .find(|key| !SETTINGS.iter().any(|s| s.name == key.as_str()))
        {
            let names: Vec<String> = SETTINGS.iter().map(|s| format!("`{}`", s.name)).collect();
            return Err(ConfigError::Syntax(format!(
                "unknown field `{key}`, expected one of {}",
                names.join(", ")
            )));
        }
        let mut config = Config::blank();
        for setting in &SETTINGS {
            setting.apply(&mut config, given.get(setting.name))?;
        }
        config.check_together()
    }

    /// A configuration whose every field the settings then overwrite, each
    /// with its given value or its default.
    fn blank() -> Config {
        Config {
            login_url: String::new(),
            data_url: String::new(),
            token_path: TokenPath::parse("-").unwrap_or_else(|_| unreachable!()),
            storage_key: String::new(),
            identity_field: String::new(),
            password_field: String::new(),
            login_body_format: BodyFormat::Json,
            login_extra_fields: Vec::new(),
            unauthorized_statuses: Vec::new(),
            token_lifetime: None,
            dev_hint_url: None,
            title: String::new(),
            draw_first_page: false,
            request_timeout: Duration::ZERO,
            login_timeout: Duration::ZERO,
            max_relogins_per_minute: 0,
            max_response_bytes: 0,
            refresh_url: None,
            refresh_token_path: TokenPath::parse("-").unwrap_or_else(|_| unreachable!()),
            refresh_request_field: String::new(),
            refresh_extra_fields: Vec::new(),
            refresh_token_storage: RefreshStorage::default(),
        }
    }

    /// What no single setting can decide alone.
    fn check_together(mut self) -> Result<Self, ConfigError> {
        if self.identity_field == self.password_field {
            return Err(ConfigError::Invalid {
                setting: "passwordField",
                problem: "must differ from `identityField`".into(),
            });
        }
        if let Some((name, _)) = self
            .login_extra_fields
            .iter()
            .find(|(name, _)| [&self.identity_field, &self.password_field].contains(&name))
        {
            return Err(ConfigError::Invalid {
                setting: "loginExtraFields",
                problem: format!(
                    "has the field \"{name}\", which the login body already carries from `identityField` or `passwordField`"
                ),
            });
        }
        if self
            .refresh_extra_fields
            .iter()
            .any(|(field, _)| *field == self.refresh_request_field)
        {
            return Err(ConfigError::Invalid {
                setting: "refreshExtraFields",
                problem: format!(
                    "has `{}`, the field `refreshRequestField` names for the refresh token",
                    self.refresh_request_field
                ),
            });
        }
        if self.title.is_empty() {
            self.title = title_from_url(&self.data_url);
        }
        Ok(self)
    }

    /// The part of the configuration the auth client needs. `page_origin`
    /// (`location.origin`) decides whether absolute URLs on the page's own
    /// origin count as same-origin API URLs.
    pub fn auth_settings(&self, page_origin: Option<&str>) -> AuthSettings {
        let millis = |d: Duration| u32::try_from(d.as_millis()).unwrap_or(u32::MAX);
        AuthSettings {
            login_url: self.login_url.clone(),
            token_path: self.token_path.clone(),
            identity_field: self.identity_field.clone(),
            password_field: self.password_field.clone(),
            login_body_format: self.login_body_format,
            login_extra_fields: self.login_extra_fields.clone(),
            unauthorized_statuses: self.unauthorized_statuses.clone(),
            api_origins: ApiOrigins::new(
                [self.login_url.as_str(), self.data_url.as_str()],
                page_origin,
            ),
            lifetime_hint_ms: self.token_lifetime.map(|d| d.as_secs_f64() * 1000.0),
            request_timeout_ms: millis(self.request_timeout),
            login_timeout_ms: millis(self.login_timeout),
            max_relogins_per_minute: self.max_relogins_per_minute,
            max_response_bytes: self.max_response_bytes,
            lock_name: format!("tokengrid-renewal:{}", self.storage_key),
            refresh: self.refresh_url.as_ref().map(|url| RefreshSettings {
                url: url.clone(),
                token_path: self.refresh_token_path.clone(),
                request_field: self.refresh_request_field.clone(),
                extra_fields: self.refresh_extra_fields.clone(),
            }),
        }
    }

    /// Whether the login form asks for an email (and checks its form).
    pub fn identity_is_email(&self) -> bool {
        self.identity_field.eq_ignore_ascii_case("email")
    }
}

/// `/api:data/customers?x=1` → "Customers".
fn title_from_url(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let last = last.rsplit(':').next().unwrap_or(last);
    match crate::table::model::label_for_key(last) {
        label if label.is_empty() => "Data".into(),
        label => label,
    }
}

#[cfg(test)]
mod tests;

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
//! field or a bad value is an error that names the setting.

use crate::auth::token::json_kind;
use crate::auth::token::{TokenPath, TokenPathError};
use crate::auth::{ApiOrigins, AuthSettings};
use serde_json::Value;
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
    /// Statuses that mean "token not accepted": trigger one re-login and replay.
    pub unauthorized_statuses: Vec<u16>,
    /// How long a token lives, when the backend's tokens are opaque.
    pub token_lifetime: Option<Duration>,
    /// Where the development API tells the demo login, for the form's hint.
    pub dev_hint_url: Option<String>,
    /// The table's caption.
    pub title: String,
    /// Timeout of each data request.
    pub request_timeout: Duration,
    /// Timeout of each login.
    pub login_timeout: Duration,
    /// The circuit breaker: at most this many 401-triggered logins a minute.
    pub max_relogins_per_minute: usize,
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

/// The settings as written, before validation. Parsed by hand from a
/// `serde_json::Value` rather than with `#[derive(Deserialize)]`: the JSON
/// parser is in the bundle anyway, a derived visitor would add kilobytes.
#[derive(Default)]
struct Raw {
    login_url: Option<String>,
    data_url: Option<String>,
    token_path: Option<String>,
    storage_key: Option<String>,
    identity_field: Option<String>,
    password_field: Option<String>,
    unauthorized_statuses: Option<Vec<u16>>,
    token_lifetime_seconds: Option<f64>,
    /// `Some(None)` is an explicit `null`: no hint.
    dev_hint_url: Option<Option<String>>,
    title: Option<String>,
    request_timeout_seconds: Option<f64>,
    login_timeout_seconds: Option<f64>,
    max_relogins_per_minute: Option<f64>,
}

/// The setting names, as the JSON spells them.
const SETTINGS: [&str; 13] = [
    "loginUrl",
    "dataUrl",
    "tokenPath",
    "storageKey",
    "identityField",
    "passwordField",
    "unauthorizedStatuses",
    "tokenLifetimeSeconds",
    "devHintUrl",
    "title",
    "requestTimeoutSeconds",
    "loginTimeoutSeconds",
    "maxReloginsPerMinute",
];

impl Raw {
    fn parse(text: &str) -> Result<Self, ConfigError> {
        let json: Value =
            serde_json::from_str(text).map_err(|e| ConfigError::Syntax(e.to_string()))?;
        let Value::Object(map) = json else {
            return Err(ConfigError::Syntax(format!(
                "expected a JSON object, found {}",
                json_kind(&json)
            )));
        };
        let mut raw = Raw::default();
        for (key, value) in map {
            let Some(&setting) = SETTINGS.iter().find(|s| **s == key) else {
                return Err(ConfigError::Syntax(format!(
                    "unknown field `{key}`, expected one of {}",
                    SETTINGS.map(|s| format!("`{s}`")).join(", ")
                )));
            };
            if value.is_null() {
                if setting == "devHintUrl" {
                    raw.dev_hint_url = Some(None);
                }
                continue;
            }
            let wrong = |expected: &str| ConfigError::Invalid {
                setting,
                problem: format!("is {}; expected {expected}", json_kind(&value)),
            };
            let text = || {
                value
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| wrong("a string"))
            };
            let number = || value.as_f64().ok_or_else(|| wrong("a number"));
            match setting {
                "loginUrl" => raw.login_url = Some(text()?),
                "dataUrl" => raw.data_url = Some(text()?),
                "tokenPath" => raw.token_path = Some(text()?),
                "storageKey" => raw.storage_key = Some(text()?),
                "identityField" => raw.identity_field = Some(text()?),
                "passwordField" => raw.password_field = Some(text()?),
                "devHintUrl" => raw.dev_hint_url = Some(Some(text()?)),
                "title" => raw.title = Some(text()?),
                "tokenLifetimeSeconds" => raw.token_lifetime_seconds = Some(number()?),
                "requestTimeoutSeconds" => raw.request_timeout_seconds = Some(number()?),
                "loginTimeoutSeconds" => raw.login_timeout_seconds = Some(number()?),
                "maxReloginsPerMinute" => raw.max_relogins_per_minute = Some(number()?),
                _ => {
                    let statuses = value.as_array().and_then(|items| {
                        items
                            .iter()
                            .map(|s| s.as_u64().and_then(|n| u16::try_from(n).ok()))
                            .collect::<Option<Vec<u16>>>()
                    });
                    raw.unauthorized_statuses = Some(
                        statuses.ok_or_else(|| wrong("a list of HTTP statuses such as [401]"))?,
                    );
                }
            }
        }
        Ok(raw)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::from_json("{}").expect("the defaults are valid")
    }
}

impl Config {
    /// Parses and validates the JSON configuration text.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let raw = Raw::parse(text)?;
        let login_url = url("loginUrl", raw.login_url, "/api:auth/auth/login")?;
        let data_url = url("dataUrl", raw.data_url, "/api:data/customers")?;
        let token_path = TokenPath::parse(raw.token_path.as_deref().unwrap_or("authToken"))
            .map_err(|e: TokenPathError| ConfigError::Invalid {
                setting: "tokenPath",
                problem: format!("is not usable: {e}"),
            })?;
        let storage_key = name("storageKey", raw.storage_key, "authToken")?;
        let identity_field = name("identityField", raw.identity_field, "email")?;
        let password_field = name("passwordField", raw.password_field, "password")?;
        if identity_field == password_field {
            return Err(ConfigError::Invalid {
                setting: "passwordField",
                problem: "must differ from `identityField`".into(),
            });
        }
        let unauthorized_statuses = raw.unauthorized_statuses.unwrap_or_else(|| vec![401]);
        if unauthorized_statuses.is_empty() {
            return Err(ConfigError::Invalid {
                setting: "unauthorizedStatuses",
                problem: "is empty; list the statuses that mean an expired token, usually [401]"
                    .into(),
            });
        }
        if let Some(bad) = unauthorized_statuses
            .iter()
            .find(|s| !(400..500).contains(*s))
        {
            return Err(ConfigError::Invalid {
                setting: "unauthorizedStatuses",
                problem: format!("contains {bad}; only 4xx statuses can mean a refused token"),
            });
        }
        let token_lifetime = raw
            .token_lifetime_seconds
            .map(|s| seconds("tokenLifetimeSeconds", s, 366.0 * 86_400.0))
            .transpose()?;
        let request_timeout = seconds(
            "requestTimeoutSeconds",
            raw.request_timeout_seconds.unwrap_or(15.0),
            600.0,
        )?;
        let login_timeout = seconds(
            "loginTimeoutSeconds",
            raw.login_timeout_seconds.unwrap_or(10.0),
            600.0,
        )?;
        let max_relogins_per_minute = match raw.max_relogins_per_minute.unwrap_or(3.0) {
            n if n.fract() == 0.0 && (1.0..=60.0).contains(&n) => n as usize,
            n => {
                return Err(ConfigError::Invalid {
                    setting: "maxReloginsPerMinute",
                    problem: format!("is {}; give a whole number from 1 to 60", number_text(n)),
                });
            }
        };
        let dev_hint_url = match raw.dev_hint_url {
            None => Some("/api:auth/__dev/hint".to_owned()),
            Some(None) => None,
            Some(Some(u)) => Some(url("devHintUrl", Some(u), "")?),
        };
        let title = raw
            .title
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        let title = title.unwrap_or_else(|| title_from_url(&data_url));
        Ok(Config {
            login_url,
            data_url,
            token_path,
            storage_key,
            identity_field,
            password_field,
            unauthorized_statuses,
            token_lifetime,
            dev_hint_url,
            title,
            request_timeout,
            login_timeout,
            max_relogins_per_minute,
        })
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
            unauthorized_statuses: self.unauthorized_statuses.clone(),
            api_origins: ApiOrigins::new(
                [self.login_url.as_str(), self.data_url.as_str()],
                page_origin,
            ),
            lifetime_hint_ms: self.token_lifetime.map(|d| d.as_secs_f64() * 1000.0),
            request_timeout_ms: millis(self.request_timeout),
            login_timeout_ms: millis(self.login_timeout),
            max_relogins_per_minute: self.max_relogins_per_minute,
            lock_name: format!("tokengrid-renewal:{}", self.storage_key),
        }
    }

    /// Whether the login form asks for an email (and checks its form).
    pub fn identity_is_email(&self) -> bool {
        self.identity_field.eq_ignore_ascii_case("email")
    }
}

/// A number as JSON writes it (`60`, `1.5`), without pulling the float
/// formatting of `core::fmt` into the bundle (serde_json has its own).
pub(crate) fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return (value as i64).to_string();
    }
    serde_json::Number::from_f64(value).map_or_else(|| "not a number".to_owned(), |n| n.to_string())
}

/// A positive number of seconds up to `max`.
fn seconds(setting: &'static str, value: f64, max: f64) -> Result<Duration, ConfigError> {
    if value.is_finite() && value > 0.0 && value <= max {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(ConfigError::Invalid {
            setting,
            problem: format!(
                "is {}; give a positive number of seconds, at most {}",
                number_text(value),
                number_text(max)
            ),
        })
    }
}

/// A URL setting: absolute `http(s)://…`, or a path (`/…`, `./…`, `../…`)
/// resolved against the page.
fn url(setting: &'static str, value: Option<String>, default: &str) -> Result<String, ConfigError> {
    let value = value.unwrap_or_else(|| default.to_owned());
    let trimmed = value.trim();
    let invalid = |problem: String| ConfigError::Invalid { setting, problem };
    if trimmed.is_empty() {
        return Err(invalid("is empty; give the endpoint's URL".into()));
    }
    if trimmed.chars().any(char::is_whitespace) {
        return Err(invalid(format!(
            "is \"{trimmed}\", which contains white space"
        )));
    }
    let lower = trimmed.to_ascii_lowercase();
    let absolute = ["http://", "https://"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    let relative =
        ["/", "./", "../"].iter().any(|p| trimmed.starts_with(p)) && !trimmed.starts_with("//");
    if !(absolute || relative) {
        return Err(invalid(format!(
            "is \"{trimmed}\"; use an absolute http(s) URL or a path starting with /"
        )));
    }
    Ok(trimmed.to_owned())
}

fn name(
    setting: &'static str,
    value: Option<String>,
    default: &str,
) -> Result<String, ConfigError> {
    let value = value.unwrap_or_else(|| default.to_owned());
    if value.trim().is_empty() || value.trim() != value {
        return Err(ConfigError::Invalid {
            setting,
            problem: format!(
                "is \"{value}\"; it must be a non-empty name without surrounding spaces"
            ),
        });
    }
    Ok(value)
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
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number_text(60.0), "60");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(-5.0), "-5");
        assert_eq!(number_text(f64::NAN), "not a number");
    }

    #[test]
    fn defaults_point_at_the_development_api_through_the_proxy() {
        let c = Config::default();
        assert_eq!(c.login_url, "/api:auth/auth/login");
        assert_eq!(c.data_url, "/api:data/customers");
        assert_eq!(c.token_path.to_string(), "authToken");
        assert_eq!(c.storage_key, "authToken");
        assert_eq!(
            (c.identity_field.as_str(), c.password_field.as_str()),
            ("email", "password")
        );
        assert_eq!(c.unauthorized_statuses, [401]);
        assert_eq!(c.token_lifetime, None);
        assert_eq!(c.dev_hint_url.as_deref(), Some("/api:auth/__dev/hint"));
        assert_eq!(c.title, "Customers");
        assert!(c.identity_is_email());
    }

    #[test]
    fn a_real_xano_workspace_with_two_api_groups() {
        let c = Config::from_json(
            r#"{"loginUrl":"https://x8ki-letl-twmt.n7.xano.io/api:kEw3R3wz/auth/login",
                "dataUrl":"https://x8ki-letl-twmt.n7.xano.io/api:Qb7Uo1dA/orders?per_page=50",
                "tokenPath":"data.token","identityField":"username","tokenLifetimeSeconds":60,
                "devHintUrl":null,"title":"Orders"}"#,
        )
        .unwrap();
        assert!(c.login_url.ends_with("/api:kEw3R3wz/auth/login"));
        assert_eq!(c.token_path.to_string(), "data.token");
        assert_eq!(c.token_lifetime, Some(Duration::from_secs(60)));
        assert_eq!(c.dev_hint_url, None);
        assert_eq!(c.title, "Orders");
        assert!(!c.identity_is_email());
    }

    #[test]
    fn every_bad_value_names_its_setting() {
        for (json, setting) in [
            (r#"{"loginUrl":""}"#, "loginUrl"),
            (r#"{"loginUrl":"javascript:alert(1)"}"#, "loginUrl"),
            (r#"{"dataUrl":"api/data"}"#, "dataUrl"),
            (r#"{"dataUrl":"//evil.example/x"}"#, "dataUrl"),
            (r#"{"dataUrl":"https://"}"#, "dataUrl"),
            (r#"{"tokenPath":"data..token"}"#, "tokenPath"),
            (r#"{"storageKey":" "}"#, "storageKey"),
            (r#"{"passwordField":"email"}"#, "passwordField"),
            (r#"{"unauthorizedStatuses":[]}"#, "unauthorizedStatuses"),
            (r#"{"unauthorizedStatuses":[200]}"#, "unauthorizedStatuses"),
            (r#"{"tokenLifetimeSeconds":0}"#, "tokenLifetimeSeconds"),
            (r#"{"tokenLifetimeSeconds":-5}"#, "tokenLifetimeSeconds"),
        ] {
            let err = Config::from_json(json).unwrap_err();
            assert!(
                matches!(&err, ConfigError::Invalid { setting: s, .. } if *s == setting),
                "{json}: {err:?}"
            );
            assert!(err.to_string().contains(&format!("`{setting}`")), "{err}");
        }
    }

    #[test]
    fn typos_and_malformed_json_are_reported_not_ignored() {
        let err = Config::from_json(r#"{"logniUrl":"/x"}"#).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `logniUrl`"),
            "{err}"
        );
        assert!(matches!(
            Config::from_json("{"),
            Err(ConfigError::Syntax(_))
        ));
        assert!(matches!(
            Config::from_json("[]"),
            Err(ConfigError::Syntax(_))
        ));
    }

    #[test]
    fn wrong_types_name_the_setting_and_the_expected_type() {
        for (json, setting, expected) in [
            (
                r#"{"tokenLifetimeSeconds":"60"}"#,
                "tokenLifetimeSeconds",
                "is a string; expected a number",
            ),
            (
                r#"{"loginUrl":42}"#,
                "loginUrl",
                "is a number; expected a string",
            ),
            (
                r#"{"unauthorizedStatuses":401}"#,
                "unauthorizedStatuses",
                "is a number; expected a list",
            ),
            (
                r#"{"unauthorizedStatuses":["401"]}"#,
                "unauthorizedStatuses",
                "is an array; expected a list",
            ),
        ] {
            let err = Config::from_json(json).unwrap_err();
            assert!(
                matches!(&err, ConfigError::Invalid { setting: s, .. } if *s == setting),
                "{json}: {err:?}"
            );
            assert!(err.to_string().contains(expected), "{err}");
        }
    }

    #[test]
    fn null_means_the_default_and_for_the_hint_means_none() {
        let c =
            Config::from_json(r#"{"loginUrl":null,"tokenLifetimeSeconds":null,"devHintUrl":null}"#)
                .unwrap();
        assert_eq!(c.login_url, "/api:auth/auth/login");
        assert_eq!(c.token_lifetime, None);
        assert_eq!(c.dev_hint_url, None);
    }
}

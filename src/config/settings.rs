//! Every setting, declared once: its name as the JSON spells it, its default,
//! how a value is read and checked, and its line in the README's settings
//! table. The unknown-field check, the parsing and the defaults all come from
//! [`SETTINGS`]; a test holds the README's table to it.

use super::{Config, ConfigError};
use crate::auth::body::BodyFormat;
use crate::auth::store::RefreshStorage;
use crate::auth::token::TokenPath;
use crate::text::{json_kind, number_text};
use serde_json::Value;
use std::time::Duration;

/// One setting of the configuration block.
pub(super) struct Setting {
    /// The name, as the JSON spells it.
    pub name: &'static str,
    /// The default, as JSON text. (Text that is not JSON would read as
    /// `null`; the tests read every default.)
    pub default: &'static str,
    /// Whether an explicit `null` turns the feature off. Otherwise `null`
    /// means the default, as leaving the setting out does.
    pub null_turns_off: bool,
    /// Reads a value into the configuration, or says what is wrong with it
    /// as the rest of the sentence "Setting `name` …".
    pub read: fn(&mut Config, &Value) -> Result<(), String>,
    /// The "meaning" column of the README's settings table. Compiled into
    /// tests only, so the text costs the bundle nothing.
    #[cfg(test)]
    pub doc: &'static str,
}

impl Setting {
    /// Reads the given value, or the default when there is none, and names
    /// the setting in any error.
    pub fn apply(&self, config: &mut Config, given: Option<&Value>) -> Result<(), ConfigError> {
        let default;
        let value = match given {
            Some(value) if self.null_turns_off || !value.is_null() => value,
            _ => {
                default = serde_json::from_str(self.default).unwrap_or(Value::Null);
                &default
            }
        };
        (self.read)(config, value).map_err(|problem| ConfigError::Invalid {
            setting: self.name,
            problem,
        })
    }

    /// Makes an explicit `null` turn the feature off.
    const fn null_turns_off(mut self) -> Setting {
        self.null_turns_off = true;
        self
    }
}

/// Declares a setting; `doc` is kept in test builds only.
const fn setting(
    name: &'static str,
    default: &'static str,
    read: fn(&mut Config, &Value) -> Result<(), String>,
    doc: &'static str,
) -> Setting {
    #[cfg(not(test))]
    let _ = doc;
    Setting {
        name,
        default,
        null_turns_off: false,
        read,
        #[cfg(test)]
        doc,
    }
}

/// The longest timeout, in seconds.
const MAX_TIMEOUT_SECONDS: f64 = 600.0;
/// The longest token lifetime: a leap year, in seconds.
const MAX_LIFETIME_SECONDS: f64 = 366.0 * 86_400.0;
/// The smallest `maxResponseBytes`: 1 KiB, room for a login answer.
pub(super) const MIN_RESPONSE_BYTES: u64 = 1 << 10;
/// The largest `maxResponseBytes`: 256 MiB. The answer is held as one
/// string (a JavaScript string has at most 2^29 − 24 UTF-16 units in
/// Chromium) and then as parsed rows in the wasm heap (4 GiB at most),
/// several times the size of the text.
pub(super) const MAX_RESPONSE_BYTES: u64 = 256 << 20;

/// The settings, in the order the README lists them and the unknown-field
/// message names them.
pub(super) static SETTINGS: [Setting; 22] = [
    setting(
        "loginUrl",
        r#""/api:auth/auth/login""#,
        |c, v| {
            c.login_url = url(v)?;
            Ok(())
        },
        "login endpoint (`POST`, the body as `loginBodyFormat` says). Absolute `https://…` or a path starting with `/`. On Xano each API group has its own `api:<id>` segment, so give both URLs in full.",
    ),
    setting(
        "dataUrl",
        r#""/api:data/customers""#,
        |c, v| {
            c.data_url = url(v)?;
            Ok(())
        },
        "data endpoint (`GET`): a JSON array of rows, or Xano's paging envelope (`{\"items\": [...], \"curPage\": …}`)",
    ),
    setting(
        "tokenPath",
        r#""authToken""#,
        |c, v| {
            c.token_path = TokenPath::parse(text(v)?).map_err(|e| format!("is not usable: {e}"))?;
            Ok(())
        },
        "where the token is in the login response: `authToken` (Xano), `accessToken`, `token`, nested `data.token`, array index `tokens.0`",
    ),
    setting(
        "storageKey",
        r#""authToken""#,
        |c, v| {
            c.storage_key = name(v)?;
            Ok(())
        },
        "the `localStorage` key",
    ),
    setting(
        "identityField",
        r#""email""#,
        |c, v| {
            c.identity_field = name(v)?;
            Ok(())
        },
        "the login body's identity field (`username` works; the form then asks for a user name instead of an email)",
    ),
    setting(
        "passwordField",
        r#""password""#,
        |c, v| {
            c.password_field = name(v)?;
            Ok(())
        },
        "the login body's password field; must differ from `identityField`",
    ),
    setting(
        "loginBodyFormat",
        r#""json""#,
        |c, v| {
            c.login_body_format = match text(v)? {
                "json" => BodyFormat::Json,
                "form" => BodyFormat::Form,
                other => return Err(format!("is \"{other}\"; use \"json\" or \"form\"")),
            };
            Ok(())
        },
        "how the login body is sent: `\"json\"` (Xano) or `\"form\"` (`application/x-www-form-urlencoded`, for OAuth 2.0 password grants: FastAPI's `OAuth2PasswordRequestForm`, Spring Security, Keycloak, Laravel Passport). FastAPI: `{\"loginBodyFormat\": \"form\", \"identityField\": \"username\", \"tokenPath\": \"access_token\", \"loginExtraFields\": {\"grant_type\": \"password\"}}`",
    ),
    setting(
        "loginExtraFields",
        "{}",
        |c, v| {
            c.login_extra_fields = extra_fields(v)?;
            Ok(())
        },
        "fields added to every login body after the identity and the password, as an object of strings: `{\"grant_type\": \"password\", \"client_id\": \"web\"}` for an OAuth 2.0 password grant (Keycloak's direct grant also needs `client_id`); a name may not repeat `identityField` or `passwordField`",
    ),
    setting(
        "unauthorizedStatuses",
        "[401]",
        |c, v| {
            c.unauthorized_statuses = statuses(v)?;
            Ok(())
        },
        "statuses that mean \"token expired or invalid\" and trigger the one re-login and replay; 4xx only",
    ),
    setting(
        "tokenLifetimeSeconds",
        "null",
        |c, v| {
            c.token_lifetime = match v {
                Value::Null => None,
                v => Some(seconds(number(v)?, MAX_LIFETIME_SECONDS)?),
            };
            Ok(())
        },
        "the token lifetime, for renewal ahead of expiry: Xano's tokens are encrypted, so the client cannot read their expiry (without it the lifetime is learned from two 401s at the same token age); 10 or less is renewed at need only, never ahead; at most 366 days",
    ),
    setting(
        "devHintUrl",
        r#""/api:auth/__dev/hint""#,
        |c, v| {
            c.dev_hint_url = match v {
                Value::Null => None,
                v => Some(url(v)?),
            };
            Ok(())
        },
        "where the dev API tells its demo login; set to `null` for a real backend",
    )
    .null_turns_off(),
    setting(
        "title",
        "null",
        |c, v| {
            c.title = match v {
                Value::Null => String::new(),
                v => text(v)?.trim().to_owned(),
            };
            Ok(())
        },
        "the table's caption; when `null` or blank, the last segment of `dataUrl` (`customers` → \"Customers\")",
    ),
    setting(
        "drawFirstPage",
        "true",
        |c, v| {
            c.draw_first_page = v.as_bool().ok_or_else(|| wrong(v, "true or false"))?;
            Ok(())
        },
        "whether `index.html`'s early script draws the first page of rows from the early answer before the app's table shows: rows seen sooner, the page live later (see \"Figures today\"); the app's code also waits for that page, at most 50 ms plus the page's own round trip (its request to its first byte, at most 250 ms) after the request; `false`: the app draws it, and nothing waits",
    ),
    setting(
        "requestTimeoutSeconds",
        "15",
        |c, v| {
            c.request_timeout = seconds(number(v)?, MAX_TIMEOUT_SECONDS)?;
            Ok(())
        },
        "timeout of each data request; at most 600",
    ),
    setting(
        "loginTimeoutSeconds",
        "10",
        |c, v| {
            c.login_timeout = seconds(number(v)?, MAX_TIMEOUT_SECONDS)?;
            Ok(())
        },
        "timeout of each login; at most 600",
    ),
    setting(
        "maxReloginsPerMinute",
        "3",
        |c, v| {
            c.max_relogins_per_minute = match number(v)? {
                n if n.fract() == 0.0 && (1.0..=60.0).contains(&n) => n as usize,
                n => {
                    return Err(format!(
                        "is {}; give a whole number from 1 to 60",
                        number_text(n)
                    ));
                }
            };
            Ok(())
        },
        "the circuit breaker: silent logins (renewals ahead of expiry and logins after a 401) allowed in any rolling minute, from 1 to 60; past it renewal ahead pauses until the user acts",
    ),
    setting(
        "maxResponseBytes",
        "33554432",
        |c, v| {
            c.max_response_bytes = match number(v)? {
                n if n.fract() == 0.0
                    && (MIN_RESPONSE_BYTES as f64..=MAX_RESPONSE_BYTES as f64).contains(&n) =>
                {
                    n as u64
                }
                n => {
                    return Err(format!(
                        "is {}; give a whole number of bytes from {MIN_RESPONSE_BYTES} (1 KiB) to {MAX_RESPONSE_BYTES} (256 MiB)",
                        number_text(n)
                    ));
                }
            };
            Ok(())
        },
        "the most bytes read of any answer — data, login, the early request — from 1024 (1 KiB) to 268435456 (256 MiB), 32 MiB by default; a larger answer is read no further (not at all when its `Content-Length` says so), its request is aborted and the error names this setting",
    ),
    setting(
        "refreshUrl",
        "null",
        |c, v| {
            c.refresh_url = match v {
                Value::Null => None,
                v => Some(url(v)?),
            };
            Ok(())
        },
        "the refresh endpoint (`POST`; same URL rules as `loginUrl`); `null`: no refresh tokens, a renewal logs in again with the password held in memory. With it, every renewal (ahead of expiry or after a 401) sends the refresh token first, the password when the refresh is refused, then the form. Django REST framework SimpleJWT: `\"/api/token/refresh/\"` with `refreshTokenPath` and `refreshRequestField` `\"refresh\"`, `tokenPath` `\"access\"`; OAuth 2.0: the token endpoint with `refreshExtraFields` `{\"grant_type\": \"refresh_token\"}`",
    )
    .null_turns_off(),
    setting(
        "refreshTokenPath",
        r#""refresh_token""#,
        |c, v| {
            c.refresh_token_path =
                TokenPath::parse(text(v)?).map_err(|e| format!("is not usable: {e}"))?;
            Ok(())
        },
        "where the refresh token is in the login answer and in the refresh answer (same syntax as `tokenPath`); a refresh answer without one keeps the old refresh token, one with a new one replaces it at once (rotation)",
    ),
    setting(
        "refreshRequestField",
        r#""refresh_token""#,
        |c, v| {
            c.refresh_request_field = name(v)?;
            Ok(())
        },
        "the refresh request's body field that carries the refresh token (`refresh` for SimpleJWT)",
    ),
    setting(
        "refreshExtraFields",
        "{}",
        |c, v| {
            c.refresh_extra_fields = extra_fields(v)?;
            Ok(())
        },
        "string fields added to every refresh request's body, e.g. `{\"grant_type\": \"refresh_token\", \"client_id\": \"web\"}` for OAuth 2.0",
    ),
    setting(
        "refreshTokenStorage",
        r#""session""#,
        |c, v| {
            c.refresh_token_storage = match text(v)? {
                "memory" => RefreshStorage::Memory,
                "session" => RefreshStorage::Session,
                "local" => RefreshStorage::Local,
                other => {
                    return Err(format!(
                        "is \"{other}\"; give \"memory\", \"session\" or \"local\""
                    ));
                }
            };
            Ok(())
        },
        "where the refresh token is kept: `\"memory\"` (this page only: gone on reload), `\"session\"` (`sessionStorage`: this tab, survives a reload, gone when the tab closes) or `\"local\"` (`localStorage` under `<storageKey>.refresh`: every tab, survives closing the browser); see \"Refresh tokens\" for what each exposes",
    ),
];

/// "is a number; expected a string".
fn wrong(value: &Value, expected: &str) -> String {
    format!("is {}; expected {expected}", json_kind(value))
}

fn text(value: &Value) -> Result<&str, String> {
    value.as_str().ok_or_else(|| wrong(value, "a string"))
}

fn number(value: &Value) -> Result<f64, String> {
    value.as_f64().ok_or_else(|| wrong(value, "a number"))
}

/// A positive number of seconds up to `max`.
fn seconds(value: f64, max: f64) -> Result<Duration, String> {
    // `try_`: a bound checked here is not also a panic message in the bundle.
    match Duration::try_from_secs_f64(value) {
        Ok(duration) if value > 0.0 && value <= max => Ok(duration),
        _ => Err(format!(
            "is {}; give a positive number of seconds, at most {}",
            number_text(value),
            number_text(max)
        )),
    }
}

/// A URL: absolute `http(s)://…`, or a path (`/…`, `./…`, `../…`) resolved
/// against the page.
fn url(value: &Value) -> Result<String, String> {
    let trimmed = text(value)?.trim();
    if trimmed.is_empty() {
        return Err("is empty; give the endpoint's URL".into());
    }
    if trimmed.chars().any(char::is_whitespace) {
        return Err(format!("is \"{trimmed}\", which contains white space"));
    }
    let lower = trimmed.to_ascii_lowercase();
    let absolute = ["http://", "https://"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    let relative =
        ["/", "./", "../"].iter().any(|p| trimmed.starts_with(p)) && !trimmed.starts_with("//");
    if !(absolute || relative) {
        return Err(format!(
            "is \"{trimmed}\"; use an absolute http(s) URL or a path starting with /"
        ));
    }
    // The URL standard's parser decides, as the browser will when it
    // fetches (in the browser it is the browser's own). A path relative to
    // the page parses against any page, so a stand-in page will do.
    if crate::auth::origin::origin_of(trimmed, Some("http://localhost")).is_err() {
        return Err(format!("is \"{trimmed}\", which is not a valid URL"));
    }
    Ok(trimmed.to_owned())
}

/// A field or key name: not empty, no surrounding spaces.
fn name(value: &Value) -> Result<String, String> {
    let value = text(value)?;
    if value.trim().is_empty() || value.trim() != value {
        return Err(format!(
            "is \"{value}\"; it must be a non-empty name without surrounding spaces"
        ));
    }
    Ok(value.to_owned())
}

/// An object of string values, in the order given; names not blank.
fn extra_fields(value: &Value) -> Result<Vec<(String, String)>, String> {
    let given = value.as_object().ok_or_else(|| {
        wrong(
            value,
            "an object of strings such as {\"grant_type\": \"password\"}",
        )
    })?;
    let mut fields = Vec::new();
    for (name, value) in given {
        if name.trim().is_empty() {
            return Err(format!("has the field \"{name}\"; a field needs a name"));
        }
        let Value::String(text) = value else {
            return Err(format!(
                "has `{name}` = {}; give every value as a string",
                json_kind(value)
            ));
        };
        fields.push((name.clone(), text.clone()));
    }
    Ok(fields)
}

/// A non-empty list of 4xx statuses.
fn statuses(value: &Value) -> Result<Vec<u16>, String> {
    let statuses = value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|s| s.as_u64().and_then(|n| u16::try_from(n).ok()))
                .collect::<Option<Vec<u16>>>()
        })
        .ok_or_else(|| wrong(value, "a list of HTTP statuses such as [401]"))?;
    if statuses.is_empty() {
        return Err("is empty; list the statuses that mean an expired token, usually [401]".into());
    }
    if let Some(bad) = statuses.iter().find(|s| !(400..500).contains(*s)) {
        return Err(format!(
            "contains {bad}; only 4xx statuses can mean a refused token"
        ));
    }
    Ok(statuses)
}

//! [`ApiClient`]: attaches the bearer token, and when the API answers 401
//! logs in again with the credentials held in memory and replays the
//! request — once.
//!
//! ```text
//!  send(req) ──► token? ──no──► NeedsLogin (form)
//!                  │yes
//!                  ▼
//!            req + Bearer t ──► 2xx/4xx/5xx ──► done
//!                  │401
//!                  ▼
//!       renew(t): lock; stored token ≠ t? ──yes──► use it (another request renewed)
//!                  │no
//!                  ▼
//!          credentials? ──no──► NeedsLogin (form)
//!                  │yes
//!                  ▼
//!        POST login ──rejected──► NeedsLogin with the server's message
//!                  │token t'
//!                  ▼
//!            req + Bearer t' ──401──► NeedsLogin (never a second replay)
//!                  │
//!                  ▼
//!                 done
//! ```
//!
//! Renewal is serialised by an async mutex and compares the rejected token
//! with the stored one before logging in, so requests that hit 401 together
//! cause one login and all replay with its token.

use super::error::ApiError;
use super::message::{describe_body, status_label};
use super::session::Credentials;
use super::store::{StoreError, TokenStore};
use super::token::{TokenPath, is_bearer_token, json_kind};
use super::transport::{HttpRequest, HttpResponse, Transport};
use futures::lock::Mutex;
use serde_json::Value;
use std::cell::RefCell;

/// What the client needs to know about the login endpoint and the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSettings {
    /// The login endpoint (`POST`, JSON body).
    pub login_url: String,
    /// Where the token sits in the login response.
    pub token_path: TokenPath,
    /// The login body's field for the identity (`email`).
    pub identity_field: String,
    /// The login body's field for the password (`password`).
    pub password_field: String,
    /// Statuses that mean "this token is not (or no longer) accepted" and
    /// trigger one re-login and replay. Xano and most backends: `[401]`.
    pub unauthorized_statuses: Vec<u16>,
}

/// Shown when there is no token at all.
pub const NOT_SIGNED_IN: &str = "Log in to load the data.";
/// Shown when the token was rejected and no credentials are in memory
/// (after a page reload, or after logging out in another place).
pub const SESSION_EXPIRED: &str = "Your session has expired. Log in again to continue.";

/// The API client. See the module documentation for the flow.
pub struct ApiClient<T, S> {
    settings: AuthSettings,
    transport: T,
    store: S,
    credentials: RefCell<Option<Credentials>>,
    storage_warning: RefCell<Option<StoreError>>,
    renewal: Mutex<()>,
}

impl<T: Transport, S: TokenStore> ApiClient<T, S> {
    /// A client with no credentials in memory.
    pub fn new(settings: AuthSettings, transport: T, store: S) -> Self {
        Self {
            settings,
            transport,
            store,
            credentials: RefCell::new(None),
            storage_warning: RefCell::new(None),
            renewal: Mutex::new(()),
        }
    }

    /// The token store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Whether a usable token is stored.
    pub fn has_token(&self) -> bool {
        self.store.load().is_some()
    }

    /// Whether credentials for a silent re-login are held in memory.
    pub fn has_credentials(&self) -> bool {
        self.credentials.borrow().is_some()
    }

    /// The identity of the user who logged in on this page, if any.
    pub fn identity(&self) -> Option<String> {
        self.credentials
            .borrow()
            .as_ref()
            .map(|c| c.identity().to_owned())
    }

    /// Set when the last token could not be persisted (storage refused it):
    /// the session works from memory but will not survive a reload.
    pub fn storage_warning(&self) -> Option<StoreError> {
        self.storage_warning.borrow().clone()
    }

    /// Logs in with `credentials` (from the form), stores the token, and
    /// keeps the credentials in memory for silent re-login.
    pub async fn log_in(&self, credentials: Credentials) -> Result<(), ApiError> {
        let _renewing = self.renewal.lock().await;
        let token = self.request_token(&credentials).await?;
        self.persist(&token);
        *self.credentials.borrow_mut() = Some(credentials);
        Ok(())
    }

    /// Forgets the token and the credentials.
    pub fn log_out(&self) {
        self.credentials.borrow_mut().take();
        self.store.clear();
    }

    /// Sends `request` with the bearer token; on a 401 renews the token once
    /// and replays. Error statuses other than the unauthorized ones come back
    /// as [`ApiError::Http`].
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, ApiError> {
        let token = self
            .store
            .load()
            .ok_or_else(|| ApiError::NeedsLogin(NOT_SIGNED_IN.into()))?;
        let first = self.attempt(&request, &token).await?;
        if !self.is_unauthorized(first.status) {
            return ensure_success(first);
        }
        let fresh = self.renew(&token).await?;
        let replay = self.attempt(&request, &fresh).await?;
        if self.is_unauthorized(replay.status) {
            // A token issued a moment ago is refused too: this is not expiry
            // but an authorization problem. Stop here; never a second replay.
            self.credentials.borrow_mut().take();
            self.forget(&fresh);
            let reason = describe_body(replay.status, replay.header("content-type"), &replay.body);
            return Err(ApiError::NeedsLogin(format!(
                "The server refused a freshly issued token ({reason}). Log in again."
            )));
        }
        ensure_success(replay)
    }

    /// `GET url` through [`send`](Self::send), parsed as JSON.
    pub async fn get_json(&self, url: &str) -> Result<Value, ApiError> {
        let response = self.send(HttpRequest::get(url)).await?;
        parse_json(&response, url)
    }

    fn is_unauthorized(&self, status: u16) -> bool {
        self.settings.unauthorized_statuses.contains(&status)
    }

    async fn attempt(&self, request: &HttpRequest, token: &str) -> Result<HttpResponse, ApiError> {
        let authorized = request
            .clone()
            .with_header("Authorization", &format!("Bearer {token}"));
        self.transport
            .send(authorized)
            .await
            .map_err(|e| ApiError::Network {
                url: request.url.clone(),
                detail: e.to_string(),
            })
    }

    /// A token to replay with after `rejected` was refused: the stored one if
    /// another request already renewed it, else one from a silent login.
    async fn renew(&self, rejected: &str) -> Result<String, ApiError> {
        let _renewing = self.renewal.lock().await;
        if let Some(current) = self.store.load().filter(|t| t != rejected) {
            return Ok(current);
        }
        let Some(credentials) = self.credentials.borrow().clone() else {
            self.forget(rejected);
            return Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()));
        };
        match self.request_token(&credentials).await {
            Ok(token) => {
                self.persist(&token);
                Ok(token)
            }
            Err(ApiError::LoginRejected { message, .. }) => {
                self.credentials.borrow_mut().take();
                self.forget(rejected);
                Err(ApiError::NeedsLogin(message))
            }
            Err(other) => Err(other),
        }
    }

    /// `POST` the login endpoint and take the token out of its answer.
    async fn request_token(&self, credentials: &Credentials) -> Result<String, ApiError> {
        let settings = &self.settings;
        let mut body = serde_json::Map::new();
        body.insert(
            settings.identity_field.clone(),
            credentials.identity().into(),
        );
        body.insert(
            settings.password_field.clone(),
            credentials.password().into(),
        );
        let url = &settings.login_url;
        let response = self
            .transport
            .send(HttpRequest::post_json(url, &Value::Object(body)))
            .await
            .map_err(|e| ApiError::Network {
                url: url.clone(),
                detail: e.to_string(),
            })?;
        let status = response.status;
        if !response.is_success() {
            let message = describe_body(status, response.header("content-type"), &response.body);
            return Err(match status {
                400 | 401 | 403 | 422 => ApiError::LoginRejected { status, message },
                404 | 405 => ApiError::Http {
                    status,
                    message: format!(
                        "The login endpoint {url} answered {}: check the `loginUrl` setting.",
                        status_label(status)
                    ),
                },
                _ => ApiError::Http {
                    status,
                    message: with_status(status, message),
                },
            });
        }
        let json = parse_json(&response, url)?;
        let path = &settings.token_path;
        match path.lookup(&json) {
            Some(Value::String(token)) if is_bearer_token(token) => Ok(token.clone()),
            Some(other) => Err(ApiError::TokenInvalid {
                path: path.to_string(),
                found: match other {
                    Value::String(_) => "a string that is not a bearer token".into(),
                    value => json_kind(value).into(),
                },
            }),
            None => Err(ApiError::TokenMissing {
                path: path.to_string(),
                fields: match &json {
                    Value::Object(map) if !map.is_empty() => map
                        .keys()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    Value::Object(_) => "none".into(),
                    other => format!("none, the body is {}", json_kind(other)),
                },
            }),
        }
    }

    fn persist(&self, token: &str) {
        *self.storage_warning.borrow_mut() = self.store.save(token).err();
    }

    /// Removes `token` from the store unless a newer one has replaced it.
    fn forget(&self, token: &str) {
        if self.store.load().as_deref() == Some(token) {
            self.store.clear();
        }
    }
}

fn with_status(status: u16, message: String) -> String {
    if message.starts_with("The server answered") {
        message
    } else {
        format!("The server answered {}: {message}", status_label(status))
    }
}

fn ensure_success(response: HttpResponse) -> Result<HttpResponse, ApiError> {
    if response.is_success() {
        return Ok(response);
    }
    let message = describe_body(
        response.status,
        response.header("content-type"),
        &response.body,
    );
    Err(ApiError::Http {
        status: response.status,
        message: with_status(response.status, message),
    })
}

fn parse_json(response: &HttpResponse, url: &str) -> Result<Value, ApiError> {
    let invalid = |detail: String| ApiError::InvalidResponse {
        url: url.to_owned(),
        detail,
    };
    if response.body.trim().is_empty() {
        return Err(invalid(format!(
            "{} with an empty body, where JSON was expected",
            status_label(response.status)
        )));
    }
    serde_json::from_str(&response.body).map_err(|e| invalid(format!("it is not valid JSON ({e})")))
}

#[cfg(test)]
mod tests;

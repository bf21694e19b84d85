//! Errors and their Xano-shaped answers.
//!
//! Every error a request can meet becomes an [`ApiError`], whose response is the status and
//! JSON body Xano sends (`docs/XANO.md` lists them): `{"code": "ERROR_CODE_…", "message": "…"}`,
//! plus `param` for input errors and `payload` for not-found.

use std::path::PathBuf;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Xano's message for a wrong e-mail or password.
pub(crate) const INVALID_CREDENTIALS: &str = "Invalid Credentials.";
/// Xano's message for a signup with an e-mail that already has an account.
pub(crate) const ACCOUNT_IN_USE: &str = "This account is already in use.";
/// Xano's message when a rate limit is hit.
pub(crate) const TOO_MANY_REQUESTS: &str = "Whoa there! Too many requests, please slow down.";

/// An error answered to the client, with Xano's status and body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 400 `ERROR_CODE_INPUT_ERROR`: a missing or malformed input, named by `param`.
    #[error("{message}")]
    Input {
        /// The input the error is about, e.g. `email` or `per_page`.
        param: String,
        /// A human-readable description.
        message: String,
    },
    /// 401 `ERROR_CODE_UNAUTHORIZED`: missing, malformed, unknown or expired token.
    #[error("Unauthorized - Authentication Required")]
    Unauthorized,
    /// 403 `ERROR_CODE_ACCESS_DENIED` with Xano's message.
    #[error("{0}")]
    AccessDenied(&'static str),
    /// 404 `ERROR_CODE_NOT_FOUND`: no such endpoint.
    #[error("Not Found")]
    NotFound,
    /// 413: the request body is over the configured limit. Xano's code for this is not
    /// recorded; the body keeps Xano's `code`/`message` shape.
    #[error("Request body is too large.")]
    PayloadTooLarge,
    /// 429 `ERROR_CODE_TOO_MANY_REQUESTS` with Xano's message and a `Retry-After` header.
    #[error("{}", TOO_MANY_REQUESTS)]
    TooManyRequests {
        /// Seconds until a new attempt is allowed (the `Retry-After` value).
        retry_after_secs: u64,
    },
    /// 500 `ERROR_FATAL`: something that should not happen (e.g. no randomness available).
    #[error("{0}")]
    Fatal(&'static str),
}

impl ApiError {
    /// A 400 input error about `param`.
    pub(crate) fn input(param: &str, message: impl Into<String>) -> Self {
        Self::Input {
            param: param.to_owned(),
            message: message.into(),
        }
    }

    /// The HTTP status Xano uses for this error.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Input { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::AccessDenied(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Fatal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `code` field of the body.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Input { .. } => "ERROR_CODE_INPUT_ERROR",
            Self::Unauthorized => "ERROR_CODE_UNAUTHORIZED",
            Self::AccessDenied(_) => "ERROR_CODE_ACCESS_DENIED",
            Self::NotFound => "ERROR_CODE_NOT_FOUND",
            Self::PayloadTooLarge => "ERROR_CODE_PAYLOAD_TOO_LARGE",
            Self::TooManyRequests { .. } => "ERROR_CODE_TOO_MANY_REQUESTS",
            Self::Fatal(_) => "ERROR_FATAL",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // `json!` keeps key order (serde_json's `preserve_order`), so bodies read like Xano's.
        let body = match &self {
            Self::Input { param, message } => {
                json!({"code": self.code(), "message": message, "param": param})
            }
            Self::NotFound => {
                json!({"code": self.code(), "message": self.to_string(), "payload": ""})
            }
            _ => json!({"code": self.code(), "message": self.to_string()}),
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Self::TooManyRequests { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

/// The 404 answer, as a handler (used for unknown paths and known paths with another verb).
pub(crate) async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// Why an [`crate::AppState`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The demo e-mail is empty after trimming.
    #[error("the demo e-mail must not be empty")]
    EmptyDemoEmail,
    /// The demo password is empty.
    #[error("the demo password must not be empty")]
    EmptyDemoPassword,
    /// The token lifetime is zero.
    #[error("the token lifetime must be at least one second")]
    ZeroTokenTtl,
    /// The login rate limit is on but its window is zero seconds long.
    #[error("the login rate window must be at least one second")]
    ZeroLoginRateWindow,
    /// Hashing the demo password failed.
    #[error("could not hash the demo password: {0}")]
    PasswordHash(String),
    /// The operating system's random number generator failed.
    #[error("no randomness available: {0}")]
    Randomness(String),
    /// `--serve-dist` does not name a directory.
    #[error("--serve-dist {0:?} is not a directory")]
    ServeDist(PathBuf),
}

//! Refresh tokens with rotation and reuse detection (only with `--refresh-tokens` /
//! `DEV_API_REFRESH_TOKENS=1`).
//!
//! Every successful login (and signup) answer also carries `"refresh_token"`, which starts a
//! *family*. `POST /api:auth/auth/refresh` with `{"refresh_token": "…"}` (JSON, or
//! `refresh_token=…` form-encoded) answers `{"authToken", "refresh_token"}`: a new access token
//! and a new refresh token, and the presented one is spent. Presenting a spent refresh token
//! again is taken for theft, as OAuth 2.0 Security Best Current Practice (RFC 9700 §4.14)
//! describes: the whole family is revoked — every access token issued to it and its current
//! refresh token — and the answer is 401. An unknown refresh token, or one of a revoked
//! family, is a 401 too. Without the flag the route does not exist (404) and login answers
//! carry no refresh token.
//!
//! The feature's state is [`Refresh`]: the families, and the token [`Issuer`] it issues and
//! revokes access tokens through. Refresh tokens are kept as SHA-256 hashes, never as sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRef, FromRequest, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::issuer::Issuer;
use crate::paths::{LOGIN_PATH, SIGNUP_PATH};

/// Path of the refresh endpoint (only routed with `--refresh-tokens`), in the `auth` API
/// group beside login.
pub const REFRESH_PATH: &str = "/api:auth/auth/refresh";

/// The field that carries the refresh token, in login answers and refresh requests alike.
pub const REFRESH_FIELD: &str = "refresh_token";

/// The longest login answer the middleware reads to add a refresh token.
const MAX_LOGIN_ANSWER_BYTES: usize = 64 * 1024;

type Hash = [u8; 32];

fn hash(token: &str) -> Hash {
    Sha256::digest(token.as_bytes()).into()
}

/// One login's line of tokens.
#[derive(Debug, Default)]
struct Family {
    user_id: u64,
    /// Every access token issued to the family (to revoke them on reuse).
    access: Vec<String>,
    /// Set when a spent refresh token came back.
    revoked: bool,
}

/// What the server knows of one refresh token.
#[derive(Debug, Clone, Copy)]
struct Entry {
    family: u64,
    spent: bool,
}

#[derive(Debug, Default)]
struct Families {
    tokens: HashMap<Hash, Entry>,
    families: HashMap<u64, Family>,
    next: u64,
}

/// The refresh feature's state. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Refresh {
    families: Arc<Mutex<Families>>,
    issuer: Issuer,
}

impl FromRef<Refresh> for Issuer {
    fn from_ref(refresh: &Refresh) -> Self {
        refresh.issuer.clone()
    }
}

/// What a presented refresh token led to.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// A new pair: access token, refresh token.
    Rotated(String, String),
    /// A spent token came back: its family is revoked.
    Reused,
    /// Unknown, or of a revoked family.
    Unknown,
}

impl Refresh {
    /// No families yet; access tokens are issued and revoked through `issuer`.
    pub(crate) fn new(issuer: Issuer) -> Self {
        Self {
            families: Arc::default(),
            issuer,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Families> {
        self.families.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a family for the login that was just answered with `access`; returns its first
    /// refresh token, or `None` when `access` is not a token this server issued.
    fn start(&self, access: &str) -> Result<Option<String>, ApiError> {
        let Some(session) = self.issuer.verify(access) else {
            return Ok(None);
        };
        let refresh = new_refresh_token()?;
        let mut families = self.lock();
        families.next += 1;
        let id = families.next;
        families.families.insert(
            id,
            Family {
                user_id: session.user_id,
                access: vec![access.to_owned()],
                revoked: false,
            },
        );
        families.tokens.insert(
            hash(&refresh),
            Entry {
                family: id,
                spent: false,
            },
        );
        Ok(Some(refresh))
    }

    /// Spends `presented` for a new pair, or revokes its family if it was spent already.
    fn rotate(&self, presented: &str) -> Result<Outcome, ApiError> {
        let mut families = self.lock();
        let Some(entry) = families.tokens.get(&hash(presented)).copied() else {
            return Ok(Outcome::Unknown);
        };
        let Families {
            tokens,
            families: all,
            ..
        } = &mut *families;
        let Some(family) = all.get_mut(&entry.family) else {
            return Ok(Outcome::Unknown);
        };
        if entry.spent {
            if !family.revoked {
                family.revoked = true;
                for access in family.access.drain(..) {
                    self.issuer.revoke(&access);
                }
                // The family's current refresh token dies with it.
                for other in tokens.values_mut().filter(|e| e.family == entry.family) {
                    other.spent = true;
                }
            }
            return Ok(Outcome::Reused);
        }
        if family.revoked {
            return Ok(Outcome::Unknown);
        }
        let access = self.issuer.issue(family.user_id)?;
        let refresh = new_refresh_token()?;
        family.access.push(access.clone());
        tokens.insert(
            hash(presented),
            Entry {
                family: entry.family,
                spent: true,
            },
        );
        tokens.insert(
            hash(&refresh),
            Entry {
                family: entry.family,
                spent: false,
            },
        );
        Ok(Outcome::Rotated(access, refresh))
    }
}

/// 32 random bytes, base64url: the shape of an opaque refresh token.
fn new_refresh_token() -> Result<String, ApiError> {
    let bytes = crate::random::bytes(32).map_err(|_| ApiError::Fatal("no randomness"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The refresh route, on the feature's own state.
pub(crate) fn router(refresh: Refresh) -> Router {
    Router::new()
        .route(REFRESH_PATH, post(refresh_tokens))
        .with_state(refresh)
}

/// `POST /api:auth/auth/refresh` `{"refresh_token"}` (JSON or form-encoded) →
/// `{"authToken", "refresh_token"}`, or 401 for an unknown, spent or revoked refresh token
/// (a spent one also revokes its family), or 400 without one.
async fn refresh_tokens(
    State(refresh): State<Refresh>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let presented = presented_token(request).await?;
    match refresh.rotate(&presented)? {
        Outcome::Rotated(access, next) => Ok(Json(json!({
            "authToken": access,
            REFRESH_FIELD: next,
        }))),
        Outcome::Reused | Outcome::Unknown => Err(ApiError::Unauthorized),
    }
}

/// The refresh token in the request body.
async fn presented_token(request: Request) -> Result<String, ApiError> {
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    let unreadable = || ApiError::input(REFRESH_FIELD, "Unable to read the request body.");
    // A body over the limit is a 413, anything else unreadable a 400.
    let refused = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            unreadable()
        }
    };
    let token = if form {
        let Form(fields) = Form::<HashMap<String, String>>::from_request(request, &())
            .await
            .map_err(|rejection| refused(rejection.status()))?;
        fields.get(REFRESH_FIELD).cloned()
    } else {
        let body = Bytes::from_request(request, &())
            .await
            .map_err(|rejection| refused(rejection.status()))?;
        let json: Value = serde_json::from_slice(&body).map_err(|_| unreadable())?;
        json.get(REFRESH_FIELD)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    token
        .filter(|token| !token.trim().is_empty())
        .ok_or_else(|| ApiError::input(REFRESH_FIELD, "Missing param: refresh_token"))
}

/// Adds a refresh token to every successful login and signup answer, starting a family.
pub(crate) async fn issue_on_login(
    State(refresh): State<Refresh>,
    request: Request,
    next: Next,
) -> Response {
    let starts_family = request.method() == Method::POST
        && [LOGIN_PATH, SIGNUP_PATH].contains(&request.uri().path());
    let response = next.run(request).await;
    if !starts_family || !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_LOGIN_ANSWER_BYTES).await else {
        return ApiError::Fatal("unreadable login answer").into_response();
    };
    let mut answer: Value = match serde_json::from_slice(&bytes) {
        Ok(answer) => answer,
        // Not JSON (a fault's broken body): pass it on as it was.
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    let access = answer
        .get("authToken")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let refresh_token = match access.map(|access| refresh.start(&access)) {
        Some(Ok(Some(token))) => token,
        Some(Err(error)) => return error.into_response(),
        _ => return Response::from_parts(parts, Body::from(bytes)),
    };
    if let Value::Object(fields) = &mut answer {
        fields.insert(REFRESH_FIELD.to_owned(), Value::String(refresh_token));
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(answer.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::config::TokenFormat;
    use crate::tokens::Tokens;

    fn feature() -> Refresh {
        let tokens = Tokens::new(TokenFormat::Opaque, 60, None).unwrap();
        Refresh::new(Issuer::new(tokens, Arc::new(ManualClock::new(1_000))))
    }

    #[test]
    fn a_spent_token_revokes_the_family_and_its_access_tokens() {
        let refresh = feature();
        let access = refresh.issuer.issue(1).unwrap();
        let r1 = refresh.start(&access).unwrap().unwrap();
        let Outcome::Rotated(a2, r2) = refresh.rotate(&r1).unwrap() else {
            panic!("rotated");
        };
        assert!(refresh.issuer.verify(&a2).is_some());
        assert_eq!(refresh.rotate(&r1).unwrap(), Outcome::Reused);
        assert!(refresh.issuer.verify(&a2).is_none(), "revoked");
        assert!(refresh.issuer.verify(&access).is_none(), "revoked");
        assert_eq!(refresh.rotate(&r2).unwrap(), Outcome::Reused, "r2 died too");
        assert_eq!(refresh.rotate("nonsense").unwrap(), Outcome::Unknown);
    }

    #[test]
    fn only_tokens_this_server_issued_start_a_family() {
        assert_eq!(feature().start("not-ours").unwrap(), None);
    }
}

//! The `Authorization: Bearer <token>` extractor guarding protected endpoints.
//!
//! Every failure — no header, not UTF-8, another scheme, an unknown, forged or expired
//! token — is the same 401 body, as with Xano, so a client cannot tell them apart. It works in
//! any router whose state yields an [`Issuer`].

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::errors::ApiError;
use crate::issuer::Issuer;
use crate::tokens::Session;

/// A request carrying a valid, unexpired token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Authenticated(pub(crate) Session);

impl<S> FromRequestParts<S> for Authenticated
where
    Issuer: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(bearer_token)
            .ok_or(ApiError::Unauthorized)?;
        Issuer::from_ref(state)
            .verify(token)
            .map(Authenticated)
            .ok_or(ApiError::Unauthorized)
    }
}

/// The token of a `Bearer` credential (scheme case-insensitive), if any.
pub(crate) fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

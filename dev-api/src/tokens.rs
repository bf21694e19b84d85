//! Issuing and checking auth tokens, in either format (see [`crate::TokenFormat`]).
//!
//! Expiry is always decided against the injected clock with zero leeway: a token issued at
//! `t` for `ttl` seconds is accepted while `now < t + ttl` and refused from then on.
//!
//! Tokens can also be revoked before they expire (fault injection, `/__dev/revoke`): one
//! token, or every token issued so far. The client is not told; its next request is a 401.

mod jwt;
mod opaque;
mod revocation;

use sha2::{Digest, Sha256};

use crate::config::TokenFormat;
use crate::errors::{ApiError, StartupError};

/// SHA-256 of a token: how the server remembers a token without storing it.
type TokenHash = [u8; 32];

/// The SHA-256 of `token`.
fn hash(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

/// What revoking every token did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Revoked {
    /// Opaque tokens: this many live sessions were removed.
    Sessions(usize),
    /// JWTs: every token issued so far is refused from now on (they cannot be counted).
    All,
}

/// Who holds a valid token, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Session {
    /// The user the token was issued to.
    pub(crate) user_id: u64,
    /// When it was issued (epoch ms).
    pub(crate) issued_ms: u64,
    /// When it stops being accepted (epoch ms).
    pub(crate) expires_ms: u64,
}

impl Session {
    /// Whether the token is still accepted at `now_ms`.
    pub(crate) fn is_live(&self, now_ms: u64) -> bool {
        now_ms < self.expires_ms
    }
}

/// The token issuer and checker for the configured format.
pub(crate) enum Tokens {
    /// Random JWE-looking tokens backed by a server-side session table.
    Opaque(opaque::OpaqueTokens),
    /// HS256 JWTs.
    Jwt(Box<jwt::JwtTokens>),
}

impl Tokens {
    /// Tokens of `format` that live `ttl_secs` seconds.
    pub(crate) fn new(
        format: TokenFormat,
        ttl_secs: u64,
        jwt_secret: Option<&str>,
    ) -> Result<Self, StartupError> {
        if ttl_secs == 0 {
            return Err(StartupError::ZeroTokenTtl);
        }
        Ok(match format {
            TokenFormat::Opaque => Self::Opaque(opaque::OpaqueTokens::new(ttl_secs)),
            TokenFormat::Jwt => Self::Jwt(Box::new(jwt::JwtTokens::new(ttl_secs, jwt_secret)?)),
        })
    }

    /// A new token for `user_id`, issued at `now_ms`.
    pub(crate) fn issue(&self, user_id: u64, now_ms: u64) -> Result<String, ApiError> {
        match self {
            Self::Opaque(tokens) => tokens.issue(user_id, now_ms),
            Self::Jwt(tokens) => tokens.issue(user_id, now_ms),
        }
    }

    /// The session behind `token` if it is genuine and unexpired at `now_ms`.
    pub(crate) fn verify(&self, token: &str, now_ms: u64) -> Option<Session> {
        let session = match self {
            Self::Opaque(tokens) => tokens.verify(token, now_ms),
            Self::Jwt(tokens) => tokens.verify(token),
        }?;
        session.is_live(now_ms).then_some(session)
    }

    /// Refuses `token` from now on (nothing happens if it is not a genuine live token).
    pub(crate) fn revoke(&self, token: &str, now_ms: u64) {
        match self {
            Self::Opaque(tokens) => tokens.revoke(token),
            Self::Jwt(tokens) => tokens.revoke(token, now_ms),
        }
    }

    /// Refuses every token issued up to `now_ms`; tokens issued afterwards work as usual.
    pub(crate) fn revoke_all(&self, now_ms: u64) -> Revoked {
        match self {
            Self::Opaque(tokens) => Revoked::Sessions(tokens.revoke_all(now_ms)),
            Self::Jwt(tokens) => {
                tokens.revoke_all(now_ms);
                Revoked::All
            }
        }
    }
}

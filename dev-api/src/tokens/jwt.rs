//! HS256 JWTs with `sub`, `iat` and `exp`, for clients that want to read their expiry.
//!
//! The signing secret is `DEV_API_JWT_SECRET` when given, otherwise 32 random bytes per
//! process (so tokens die with the process, like the opaque session table). `jsonwebtoken`
//! checks the signature, the algorithm and that `sub` and `exp` are present; `exp` itself is
//! compared with the injected clock (zero leeway) rather than with `jsonwebtoken`'s system
//! clock, so tests can expire tokens without sleeping.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::Session;
use crate::errors::{ApiError, StartupError};
use crate::random;

/// Length of the random per-process secret.
const RANDOM_SECRET_BYTES: usize = 32;

/// The claims of a dev-api JWT.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// User id, as a string (RFC 7519 `sub` is a string).
    sub: String,
    /// Issued at, epoch seconds.
    iat: u64,
    /// Expires at, epoch seconds: `iat + ttl`.
    exp: u64,
}

/// Signs and checks JWTs.
pub(crate) struct JwtTokens {
    ttl_secs: u64,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtTokens {
    /// A signer for tokens living `ttl_secs` seconds, keyed by `secret` or by random bytes.
    pub(crate) fn new(ttl_secs: u64, secret: Option<&str>) -> Result<Self, StartupError> {
        let secret = match secret {
            Some(secret) => secret.as_bytes().to_vec(),
            None => random::bytes(RANDOM_SECRET_BYTES)
                .map_err(|error| StartupError::Randomness(error.to_string()))?,
        };
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        validation.leeway = 0;
        // `exp` is checked against the injected clock in `verify`.
        validation.validate_exp = false;
        Ok(Self {
            ttl_secs,
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            validation,
        })
    }

    /// A signed token for `user_id` issued at `now_ms` (claims are in whole seconds).
    pub(crate) fn issue(&self, user_id: u64, now_ms: u64) -> Result<String, ApiError> {
        let iat = now_ms / 1000;
        let claims = Claims {
            sub: user_id.to_string(),
            iat,
            exp: iat.saturating_add(self.ttl_secs),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| ApiError::Fatal("Could not sign the token."))
    }

    /// The session a genuine token describes (expiry is judged by the caller).
    pub(crate) fn verify(&self, token: &str) -> Option<Session> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()?
            .claims;
        Some(Session {
            user_id: claims.sub.parse().ok()?,
            issued_ms: claims.iat.saturating_mul(1000),
            expires_ms: claims.exp.saturating_mul(1000),
        })
    }
}

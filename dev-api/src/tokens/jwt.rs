//! HS256 JWTs with `sub`, `iat`, `exp` and `jti`, for clients that want to read their expiry.
//!
//! `jti` (RFC 7519's JWT ID: 16 random bytes, base64url) makes every token unique; without it
//! two logins of one user in the same second would get the very same token, and revoking one
//! would revoke the other.
//!
//! The signing secret is `DEV_API_JWT_SECRET` when given, otherwise 32 random bytes per
//! process (so tokens die with the process, like the opaque session table). `jsonwebtoken`
//! checks the signature, the algorithm and that `sub` and `exp` are present; `exp` itself is
//! compared with the injected clock (zero leeway) rather than with `jsonwebtoken`'s system
//! clock, so tests can expire tokens without sleeping. Revoked tokens are refused as described
//! in [`super::revocation`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::revocation::Revocations;
use super::{Session, hash};
use crate::errors::{ApiError, StartupError};
use crate::random;

/// Length of the random per-process secret.
const RANDOM_SECRET_BYTES: usize = 32;
/// Length of the random `jti`.
const JTI_BYTES: usize = 16;

/// The claims of a dev-api JWT.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// User id, as a string (RFC 7519 `sub` is a string).
    sub: String,
    /// Issued at, epoch seconds.
    iat: u64,
    /// Expires at, epoch seconds: `iat + ttl`.
    exp: u64,
    /// Unique token id (optional when reading, so tokens of earlier builds still verify).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    jti: Option<String>,
}

/// Signs and checks JWTs.
pub(crate) struct JwtTokens {
    ttl_secs: u64,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    revocations: Revocations,
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
            revocations: Revocations::default(),
        })
    }

    /// A signed token for `user_id` issued at `now_ms` (claims are in whole seconds).
    pub(crate) fn issue(&self, user_id: u64, now_ms: u64) -> Result<String, ApiError> {
        let iat = now_ms / 1000;
        let jti =
            random::bytes(JTI_BYTES).map_err(|_| ApiError::Fatal("No randomness available."))?;
        let claims = Claims {
            sub: user_id.to_string(),
            iat,
            exp: iat.saturating_add(self.ttl_secs),
            jti: Some(URL_SAFE_NO_PAD.encode(jti)),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| ApiError::Fatal("Could not sign the token."))?;
        let session = Session {
            user_id,
            issued_ms: iat.saturating_mul(1000),
            expires_ms: claims.exp.saturating_mul(1000),
        };
        self.revocations.issued(hash(&token), &session, now_ms);
        Ok(token)
    }

    /// The session a genuine, unrevoked token describes (expiry is judged by the caller).
    pub(crate) fn verify(&self, token: &str) -> Option<Session> {
        let session = self.decode(token)?;
        (!self.revocations.is_revoked(&hash(token), &session)).then_some(session)
    }

    /// Refuses `token` from now on, if it is genuine and live at `now_ms`.
    pub(crate) fn revoke(&self, token: &str, now_ms: u64) {
        if let Some(session) = self.decode(token).filter(|session| session.is_live(now_ms)) {
            self.revocations.revoke(hash(token), &session);
        }
    }

    /// Refuses every token issued up to `now_ms`.
    pub(crate) fn revoke_all(&self, now_ms: u64) {
        self.revocations.revoke_all(now_ms);
    }

    /// The session a correctly signed token describes, revoked or not.
    fn decode(&self, token: &str) -> Option<Session> {
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

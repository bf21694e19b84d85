//! Opaque tokens shaped like Xano's JWE, remembered in a server-side session table.
//!
//! A token is five dot-separated base64url parts. The first decodes to the same protected
//! header Xano's tokens carry, `{"alg":"A256KW","enc":"A256CBC-HS512","zip":"DEF"}`; the other
//! four (wrapped key, IV, ciphertext, tag, with JWE-like lengths) are fresh OS randomness, so
//! the client can learn nothing from them — in particular not the expiry, exactly as with Xano.
//!
//! The table is keyed by the SHA-256 of the token: the token itself is never stored, and a
//! lookup hashes what was presented rather than comparing secrets byte by byte. Expired
//! entries are pruned whenever a token is issued; revoking a token removes its entry.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{Session, TokenHash, hash};
use crate::errors::ApiError;
use crate::random;

/// The JWE protected header of Xano's tokens.
pub(crate) const HEADER: &str = r#"{"alg":"A256KW","enc":"A256CBC-HS512","zip":"DEF"}"#;

/// Byte lengths of the random parts: A256KW-wrapped 512-bit key, 128-bit IV, ciphertext,
/// 256-bit tag (A256CBC-HS512 keeps half of the HMAC-SHA-512).
const RANDOM_PART_LENGTHS: [usize; 4] = [72, 16, 96, 32];

/// Issues opaque tokens and remembers whose they are.
pub(crate) struct OpaqueTokens {
    ttl_ms: u64,
    sessions: Mutex<HashMap<TokenHash, Session>>,
}

impl OpaqueTokens {
    /// An empty session table for tokens living `ttl_secs` seconds.
    pub(crate) fn new(ttl_secs: u64) -> Self {
        Self {
            ttl_ms: ttl_secs.saturating_mul(1000),
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// A fresh token for `user_id`, recorded until `now_ms + ttl`.
    pub(crate) fn issue(&self, user_id: u64, now_ms: u64) -> Result<String, ApiError> {
        let mut parts = vec![URL_SAFE_NO_PAD.encode(HEADER)];
        for len in RANDOM_PART_LENGTHS {
            let bytes =
                random::bytes(len).map_err(|_| ApiError::Fatal("No randomness available."))?;
            parts.push(URL_SAFE_NO_PAD.encode(bytes));
        }
        let token = parts.join(".");
        let session = Session {
            user_id,
            issued_ms: now_ms,
            expires_ms: now_ms.saturating_add(self.ttl_ms),
        };
        let mut sessions = self.lock();
        sessions.retain(|_, kept| kept.is_live(now_ms));
        sessions.insert(hash(&token), session);
        Ok(token)
    }

    /// The recorded session for `token`, dropping it if it has expired.
    pub(crate) fn verify(&self, token: &str, now_ms: u64) -> Option<Session> {
        let key = hash(token);
        let mut sessions = self.lock();
        let session = *sessions.get(&key)?;
        if session.is_live(now_ms) {
            Some(session)
        } else {
            sessions.remove(&key);
            None
        }
    }

    /// Forgets `token`'s session, so it is refused from now on.
    pub(crate) fn revoke(&self, token: &str) {
        self.lock().remove(&hash(token));
    }

    /// Forgets every session; answers how many were still live at `now_ms`.
    pub(crate) fn revoke_all(&self, now_ms: u64) -> usize {
        let mut sessions = self.lock();
        let live = sessions
            .values()
            .filter(|kept| kept.is_live(now_ms))
            .count();
        sessions.clear();
        live
    }

    /// The table, even after a poisoning panic (entries are plain values, always whole).
    fn lock(&self) -> MutexGuard<'_, HashMap<TokenHash, Session>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

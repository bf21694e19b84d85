//! The token authority every token check shares: the configured [`Tokens`] on the injected
//! clock.
//!
//! It is the substate behind the bearer-token extractor, so any router whose state can hand
//! out an [`Issuer`] (through `FromRef`) can protect its routes, and the fault feature can
//! revoke tokens without seeing the rest of the application state.

use std::sync::Arc;

use crate::clock::Clock;
use crate::errors::ApiError;
use crate::tokens::{Revoked, Session, Tokens};

/// Issues, verifies and revokes tokens at the clock's "now". Cheap to clone.
#[derive(Clone)]
pub(crate) struct Issuer {
    tokens: Arc<Tokens>,
    clock: Arc<dyn Clock>,
}

impl Issuer {
    /// Checks `tokens` against `clock`.
    pub(crate) fn new(tokens: Tokens, clock: Arc<dyn Clock>) -> Self {
        Self {
            tokens: Arc::new(tokens),
            clock,
        }
    }

    /// Now, in epoch milliseconds, from the injected clock.
    pub(crate) fn now_ms(&self) -> u64 {
        self.clock.now_ms()
    }

    /// A new token for `user_id`, issued now.
    pub(crate) fn issue(&self, user_id: u64) -> Result<String, ApiError> {
        self.tokens.issue(user_id, self.now_ms())
    }

    /// The session behind `token` if it is genuine, unrevoked and unexpired now.
    pub(crate) fn verify(&self, token: &str) -> Option<Session> {
        self.tokens.verify(token, self.now_ms())
    }

    /// Refuses `token` from now on (nothing happens if it is not a genuine live token).
    pub(crate) fn revoke(&self, token: &str) {
        self.tokens.revoke(token, self.now_ms());
    }

    /// Refuses every token issued up to now.
    pub(crate) fn revoke_all(&self) -> Revoked {
        self.tokens.revoke_all(self.now_ms())
    }
}

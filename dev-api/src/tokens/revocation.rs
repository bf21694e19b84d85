//! Revoking JWTs, which the server otherwise keeps no record of.
//!
//! * One token: its SHA-256 goes on a deny list until the token would have expired anyway.
//! * Every token: the revocation instant is kept, and a token whose `iat` is not after it is
//!   refused. `iat` has whole-second precision, so a token issued *after* the revocation but
//!   in the same second carries an `iat` that does not tell it apart from the revoked ones;
//!   such tokens are remembered (by hash, until they expire) as issued after the revocation.
//!   Tokens signed by an earlier process with the same secret are covered too: their `iat`
//!   is before the revocation.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{Session, TokenHash};

/// The JWT deny list and the last revoke-all.
#[derive(Debug, Default)]
pub(super) struct Revocations {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Tokens with `iat` (in ms) at or before this instant are refused, unless listed in
    /// `issued_since`.
    revoked_at_ms: Option<u64>,
    /// Tokens issued after `revoked_at_ms` whose `iat` does not show it → their expiry.
    issued_since: HashMap<TokenHash, u64>,
    /// Individually revoked tokens → their expiry.
    denied: HashMap<TokenHash, u64>,
}

impl Revocations {
    /// Notes a token just issued at `now_ms` (so a same-second revoke-all does not catch it),
    /// and forgets entries of tokens that have expired.
    pub(super) fn issued(&self, token: TokenHash, session: &Session, now_ms: u64) {
        let mut state = self.lock();
        state
            .issued_since
            .retain(|_, expires_ms| now_ms < *expires_ms);
        state.denied.retain(|_, expires_ms| now_ms < *expires_ms);
        if state
            .revoked_at_ms
            .is_some_and(|revoked_at_ms| session.issued_ms <= revoked_at_ms)
        {
            state.issued_since.insert(token, session.expires_ms);
        }
    }

    /// Refuses one token from now on.
    pub(super) fn revoke(&self, token: TokenHash, session: &Session) {
        self.lock().denied.insert(token, session.expires_ms);
    }

    /// Refuses every token issued up to `now_ms`.
    pub(super) fn revoke_all(&self, now_ms: u64) {
        let mut state = self.lock();
        state.revoked_at_ms = Some(state.revoked_at_ms.map_or(now_ms, |at| at.max(now_ms)));
        state.issued_since.clear();
    }

    /// Whether a genuine token has been revoked.
    pub(super) fn is_revoked(&self, token: &TokenHash, session: &Session) -> bool {
        let state = self.lock();
        state.denied.contains_key(token)
            || (state
                .revoked_at_ms
                .is_some_and(|revoked_at_ms| session.issued_ms <= revoked_at_ms)
                && !state.issued_since.contains_key(token))
    }

    /// The lists, even after a poisoning panic (each update is a single insert or clear).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

//! The renewal schedule: when the client renews a token ahead of its expiry.
//!
//! The time comes from the token's expiry (see [`lifetime`](super::lifetime)),
//! pushed later by two floors: renewals are at least
//! [`MIN_RENEWAL_INTERVAL_MS`] apart whatever a token claims, and after a
//! renewal ahead fails the next try waits [`RETRY_AFTER_FAILED_RENEWAL_MS`].
//! The schedule also learns an opaque token's lifetime from its first 401.
//! Pure: it is told the time, it never reads a clock.

use super::jws::jws_times;
use super::lifetime::{Expiry, MIN_LIFETIME_MS, expiry};
use super::store::StoredToken;

/// Renewals ahead of expiry are at least this far apart, whatever the
/// token's lifetime claims.
pub const MIN_RENEWAL_INTERVAL_MS: f64 = 1_000.0;
/// After a renewal ahead of expiry fails (network, server error), the next
/// try waits this long, so a down login endpoint is not hammered.
pub const RETRY_AFTER_FAILED_RENEWAL_MS: f64 = 5_000.0;

/// What the schedule knows, all in local wall-clock ms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenewalSchedule {
    /// The configured lifetime of opaque tokens, if any.
    hint_ms: Option<f64>,
    /// When the last login (form or silent) started.
    last_login_at: Option<f64>,
    /// When the last renewal ahead of expiry failed, until one succeeds.
    ahead_failed_at: Option<f64>,
    /// An opaque token's lifetime, learned from its first 401.
    learned_lifetime_ms: Option<f64>,
}

impl RenewalSchedule {
    /// A schedule with the configuration's lifetime hint for opaque tokens.
    pub fn new(hint_ms: Option<f64>) -> Self {
        Self {
            hint_ms,
            ..Self::default()
        }
    }

    /// What is known about when `stored` expires.
    pub fn expiry_of(&self, stored: &StoredToken) -> Option<Expiry> {
        expiry(
            &stored.token,
            stored.received_at,
            self.hint_ms,
            self.learned_lifetime_ms,
        )
    }

    /// When to renew `stored` ahead of its expiry, or `None` when its
    /// lifetime is unknown.
    pub fn renew_at(&self, stored: &StoredToken) -> Option<f64> {
        let at = self.expiry_of(stored)?.renew_at();
        let after_login = self
            .last_login_at
            .map_or(at, |last| last + MIN_RENEWAL_INTERVAL_MS);
        let after_failure = self
            .ahead_failed_at
            .map_or(at, |failed| failed + RETRY_AFTER_FAILED_RENEWAL_MS);
        Some(at.max(after_login).max(after_failure))
    }

    /// A login that started at `at` stored a token.
    pub fn logged_in(&mut self, at: f64) {
        self.last_login_at = Some(at);
    }

    /// A timed renewal ahead of expiry finished at `now`, successfully or not.
    pub fn ahead_finished(&mut self, succeeded: bool, now: f64) {
        self.ahead_failed_at = (!succeeded).then_some(now);
    }

    /// `rejected` drew a 401 at `now`. If it is opaque, its receipt time is
    /// known and no lifetime is known yet, the time it lived becomes the
    /// lifetime of the tokens after it (unless it is too short to trust).
    pub fn learn_from_rejection(&mut self, rejected: &StoredToken, now: f64) {
        if self.learned_lifetime_ms.is_some() || self.hint_ms.is_some() {
            return;
        }
        if let (Some(received), None) = (rejected.received_at, jws_times(&rejected.token)) {
            let lived = now - received;
            if lived >= MIN_LIFETIME_MS {
                self.learned_lifetime_ms = Some(lived);
            }
        }
    }

    /// The lifetime learned from a 401, if any.
    pub fn learned_lifetime_ms(&self) -> Option<f64> {
        self.learned_lifetime_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{"sub":"1","iat":0,"exp":60}`: a 60 s JWS.
    const JWS_60S: &str = "e30.eyJzdWIiOiIxIiwiaWF0IjowLCJleHAiOjYwfQ.sig";
    /// `{"sub":"1","iat":0,"exp":1}`: a 1 s JWS.
    const JWS_1S: &str = "e30.eyJzdWIiOiIxIiwiaWF0IjowLCJleHAiOjF9.sig";

    fn token(token: &str, received_at: f64) -> StoredToken {
        StoredToken::new(token, Some(received_at))
    }

    #[test]
    fn a_token_renews_a_fifth_of_its_lifetime_before_expiry() {
        let s = RenewalSchedule::new(None);
        assert_eq!(s.renew_at(&token(JWS_60S, 10_000.0)), Some(58_000.0));
        assert_eq!(s.renew_at(&token("opaque", 10_000.0)), None);
    }

    #[test]
    fn renewals_are_at_least_a_second_apart() {
        let mut s = RenewalSchedule::new(None);
        // A 1 s token would renew 800 ms after receipt; the floor says 1 s
        // after the login that fetched it.
        s.logged_in(5_000.0);
        assert_eq!(s.renew_at(&token(JWS_1S, 5_000.0)), Some(6_000.0));
        // The floor never brings a renewal forward.
        assert_eq!(s.renew_at(&token(JWS_60S, 5_000.0)), Some(53_000.0));
    }

    #[test]
    fn a_failed_renewal_ahead_is_retried_five_seconds_later() {
        let mut s = RenewalSchedule::new(None);
        s.logged_in(0.0);
        s.ahead_finished(false, 48_000.0);
        assert_eq!(s.renew_at(&token(JWS_60S, 0.0)), Some(53_000.0));
        s.ahead_finished(true, 53_000.0);
        assert_eq!(
            s.renew_at(&token(JWS_60S, 0.0)),
            Some(48_000.0),
            "a success clears the back-off"
        );
    }

    #[test]
    fn the_lifetime_of_an_opaque_token_is_learned_from_receipt_to_rejection() {
        let mut s = RenewalSchedule::new(None);
        s.learn_from_rejection(&token("opaque1", 10_000.0), 40_000.0);
        assert_eq!(s.learned_lifetime_ms(), Some(30_000.0));
        // The next token, received at 40 s, lives 30 s and renews 6 s early.
        assert_eq!(s.renew_at(&token("opaque2", 40_000.0)), Some(64_000.0));
        s.learn_from_rejection(&token("opaque2", 40_000.0), 50_000.0);
        assert_eq!(
            s.learned_lifetime_ms(),
            Some(30_000.0),
            "the first lesson stays"
        );
    }

    #[test]
    fn nothing_is_learned_where_something_better_is_known() {
        let mut hinted = RenewalSchedule::new(Some(60_000.0));
        hinted.learn_from_rejection(&token("opaque", 0.0), 30_000.0);
        assert_eq!(hinted.learned_lifetime_ms(), None, "the hint wins");

        let mut s = RenewalSchedule::new(None);
        s.learn_from_rejection(&token(JWS_60S, 0.0), 30_000.0);
        assert_eq!(s.learned_lifetime_ms(), None, "a JWS says its own lifetime");
        s.learn_from_rejection(&StoredToken::new("opaque", None), 30_000.0);
        assert_eq!(s.learned_lifetime_ms(), None, "receipt time unknown");
        s.learn_from_rejection(&token("opaque", 29_001.0), 30_000.0);
        assert_eq!(
            s.learned_lifetime_ms(),
            None,
            "999 ms is too short to trust"
        );
        s.learn_from_rejection(&token("opaque", 29_000.0), 30_000.0);
        assert_eq!(s.learned_lifetime_ms(), Some(1_000.0), "1 s is enough");
    }
}

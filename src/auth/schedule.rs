//! The renewal schedule: when the client renews a token ahead of its expiry.
//!
//! The time comes from the token's expiry (see [`lifetime`](super::lifetime)),
//! pushed later by two floors: renewals are at least
//! [`MIN_RENEWAL_INTERVAL_MS`] apart whatever a token claims, and after a
//! renewal ahead fails the next try waits [`RETRY_AFTER_FAILED_RENEWAL_MS`].
//! A token that lives [`MIN_AHEAD_LIFETIME_MS`] or less (a tiny, zero or
//! negative JWS lifetime, a short learned one) is not renewed ahead at all:
//! it is renewed at need, on its 401.
//!
//! The schedule also learns an opaque token's lifetime from its 401s — but
//! only from evidence that holds: one 401 says nothing reliable (the token
//! may have been revoked early), so a lifetime is learned when two
//! rejections in a row come at the same age, within
//! [`LEARN_TOLERANCE_MS`] or [`LEARN_TOLERANCE_SHARE`], and revised the
//! same way when two later ones agree on another age.
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
/// A token whose lifetime is this or less is renewed at need only (on its
/// 401), never ahead: renewing ahead only makes sense for lifetimes well
/// above a round trip, and below this it would mean a login every few
/// seconds.
pub const MIN_AHEAD_LIFETIME_MS: f64 = 10_000.0;
/// Two ages at rejection agree when they differ by at most this much…
pub const LEARN_TOLERANCE_MS: f64 = 1_000.0;
/// …or by at most this share of the longer one.
pub const LEARN_TOLERANCE_SHARE: f64 = 0.1;

/// What the schedule knows, all in local wall-clock ms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenewalSchedule {
    /// The configured lifetime of opaque tokens, if any.
    hint_ms: Option<f64>,
    /// When the last login (form or silent) started.
    last_login_at: Option<f64>,
    /// When the last renewal ahead of expiry failed, until one succeeds.
    ahead_failed_at: Option<f64>,
    /// An opaque token's lifetime, learned from two 401s at the same age.
    learned_lifetime_ms: Option<f64>,
    /// The age of the last opaque token refused, waiting for a second
    /// rejection to confirm it.
    last_rejected_age_ms: Option<f64>,
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
    /// lifetime is unknown or too short to renew ahead
    /// ([`MIN_AHEAD_LIFETIME_MS`]).
    pub fn renew_at(&self, stored: &StoredToken) -> Option<f64> {
        let expiry = self.expiry_of(stored)?;
        if expiry.lifetime <= MIN_AHEAD_LIFETIME_MS {
            return None;
        }
        let at = expiry.renew_at();
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
    /// known and no hint is configured, the time it lived is remembered;
    /// when the rejection before it came at the same age (within the
    /// tolerance), the shorter of the two becomes the lifetime of the tokens
    /// after it, replacing any learned before. Ages under a second are too
    /// short to trust and teach nothing.
    pub fn learn_from_rejection(&mut self, rejected: &StoredToken, now: f64) {
        if self.hint_ms.is_some() {
            return;
        }
        let (Some(received), None) = (rejected.received_at, jws_times(&rejected.token)) else {
            return;
        };
        let lived = now - received;
        if lived < MIN_LIFETIME_MS {
            return;
        }
        if let Some(before) = self.last_rejected_age_ms.replace(lived)
            && ages_agree(before, lived)
        {
            self.learned_lifetime_ms = Some(before.min(lived));
        }
    }

    /// The lifetime learned from 401s, if any.
    pub fn learned_lifetime_ms(&self) -> Option<f64> {
        self.learned_lifetime_ms
    }
}

/// Whether two ages at rejection are the same age, give or take
/// [`LEARN_TOLERANCE_MS`] or [`LEARN_TOLERANCE_SHARE`] of the longer one.
fn ages_agree(a: f64, b: f64) -> bool {
    (a - b).abs() <= LEARN_TOLERANCE_MS.max(a.max(b) * LEARN_TOLERANCE_SHARE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `{"sub":"1","iat":0,"exp":60}`: a 60 s JWS.
    const JWS_60S: &str = "e30.eyJzdWIiOiIxIiwiaWF0IjowLCJleHAiOjYwfQ.sig";
    /// `{"sub":"1","iat":0,"exp":1}`: a 1 s JWS.
    const JWS_1S: &str = "e30.eyJzdWIiOiIxIiwiaWF0IjowLCJleHAiOjF9.sig";
    /// `{"exp":1}`: a JWS that expired in 1970, with no `iat`.
    const JWS_EXPIRED: &str = "e30.eyJleHAiOjF9.sig";

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
        // Stored without a receipt time, a long-expired JWS is due at
        // once; the floor says 1 s after the last login.
        s.logged_in(5_000.0);
        let expired = StoredToken::new(JWS_EXPIRED, None);
        assert_eq!(s.renew_at(&expired), Some(6_000.0));
        // The floor never brings a renewal forward.
        assert_eq!(s.renew_at(&token(JWS_60S, 5_000.0)), Some(53_000.0));
    }

    #[test]
    fn tokens_of_ten_seconds_or_less_are_renewed_at_need_only() {
        let s = RenewalSchedule::new(None);
        assert_eq!(s.renew_at(&token(JWS_1S, 5_000.0)), None);
        // Exactly at the floor: still no renewal ahead; just above: yes.
        let ten = RenewalSchedule::new(Some(MIN_AHEAD_LIFETIME_MS));
        assert_eq!(ten.renew_at(&token("opaque", 0.0)), None);
        let eleven = RenewalSchedule::new(Some(11_000.0));
        assert_eq!(eleven.renew_at(&token("opaque", 0.0)), Some(8_800.0));
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
    fn a_lifetime_is_learned_from_two_rejections_at_the_same_age() {
        let mut s = RenewalSchedule::new(None);
        s.learn_from_rejection(&token("opaque1", 10_000.0), 40_000.0);
        assert_eq!(s.learned_lifetime_ms(), None, "one 401 proves nothing");
        // 29.5 s: within a second of 30 s, so the same age.
        s.learn_from_rejection(&token("opaque2", 40_000.0), 69_500.0);
        assert_eq!(s.learned_lifetime_ms(), Some(29_500.0), "the shorter one");
        // The next token, received at 70 s, lives 29.5 s and renews 5.9 s early.
        assert_eq!(s.renew_at(&token("opaque3", 70_000.0)), Some(93_600.0));
    }

    #[test]
    fn ages_agree_within_a_second_or_a_tenth_of_the_longer() {
        assert!(ages_agree(5_000.0, 6_000.0));
        assert!(!ages_agree(5_000.0, 6_001.0));
        assert!(ages_agree(60_000.0, 54_000.0), "a tenth of 60 s");
        assert!(!ages_agree(60_000.0, 53_999.0));
        assert!(ages_agree(54_000.0, 60_000.0), "either order");
    }

    #[test]
    fn an_early_revocation_is_not_learned_and_does_not_undo_a_lesson() {
        let mut s = RenewalSchedule::new(None);
        s.learn_from_rejection(&token("a", 0.0), 5_000.0);
        s.learn_from_rejection(&token("b", 5_000.0), 65_000.0);
        assert_eq!(s.learned_lifetime_ms(), None, "5 s and 60 s disagree");
        s.learn_from_rejection(&token("c", 65_000.0), 125_000.0);
        assert_eq!(s.learned_lifetime_ms(), Some(60_000.0));
        // One token revoked after 5 s: the 60 s lesson stays.
        s.learn_from_rejection(&token("d", 125_000.0), 130_000.0);
        assert_eq!(s.learned_lifetime_ms(), Some(60_000.0));
    }

    #[test]
    fn a_learned_lifetime_is_revised_when_two_rejections_agree_on_another_age() {
        let mut s = RenewalSchedule::new(None);
        for (received, refused) in [(0.0, 60_000.0), (60_000.0, 120_000.0)] {
            s.learn_from_rejection(&token("o", received), refused);
        }
        assert_eq!(s.learned_lifetime_ms(), Some(60_000.0));
        // The server now issues 20 s tokens: the 60 s schedule renews too
        // late, and two 401s at 20 s revise the lesson.
        for (received, refused) in [(120_000.0, 140_000.0), (140_000.0, 160_000.0)] {
            s.learn_from_rejection(&token("o", received), refused);
        }
        assert_eq!(s.learned_lifetime_ms(), Some(20_000.0));
    }

    #[test]
    fn a_learned_lifetime_under_the_floor_never_renews_ahead() {
        // A server that revokes every token 5 s after login.
        let mut s = RenewalSchedule::new(None);
        s.learn_from_rejection(&token("a", 0.0), 5_000.0);
        s.learn_from_rejection(&token("b", 5_000.0), 10_000.0);
        assert_eq!(s.learned_lifetime_ms(), Some(5_000.0));
        assert_eq!(s.renew_at(&token("c", 10_000.0)), None, "renewed at need");
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
        s.learn_from_rejection(&token("opaque", 29_001.0), 30_000.0);
        assert_eq!(
            s.learned_lifetime_ms(),
            None,
            "999 ms is too short to trust, however often"
        );
        s.learn_from_rejection(&token("opaque", 29_000.0), 30_000.0);
        s.learn_from_rejection(&token("opaque", 29_000.0), 30_000.0);
        assert_eq!(
            s.learned_lifetime_ms(),
            Some(1_000.0),
            "1 s twice is enough"
        );
    }
}

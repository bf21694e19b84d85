//! How long a token lives and when to renew it — pure arithmetic on
//! wall-clock milliseconds.
//!
//! Three sources, best first:
//! 1. a JWS's own `exp` (with `iat`, the lifetime is `exp − iat` counted
//!    from when *this* browser received the token, so a skewed client clock
//!    does not matter);
//! 2. the configuration's `tokenLifetimeSeconds` hint, from receipt;
//! 3. the lifetime learned from 401s (receipt → rejection, the same age
//!    twice; see [`RenewalSchedule`](super::schedule::RenewalSchedule)).
//!
//! Renewal starts `lead = min(60 s, 20 % of lifetime)` before expiry: a
//! 60 s token is renewed at 48 s, a 24 h token 60 s before the end. Tokens
//! too short to renew ahead at all are the schedule's concern.

use super::jws::jws_times;

/// The most renewal starts before expiry.
pub const MAX_LEAD_MS: f64 = 60_000.0;
/// The share of the lifetime renewal starts before expiry.
pub const LEAD_SHARE: f64 = 0.2;
/// A JWS without `iat` is taken as expired only this long after its `exp`,
/// to allow for the client's clock being off.
pub const CLOCK_SKEW_MS: f64 = 5_000.0;
/// A learned or hinted lifetime shorter than this is not used for renewal.
pub const MIN_LIFETIME_MS: f64 = 1_000.0;

/// Where an expiry estimate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpirySource {
    /// The token's own `exp` and `iat`: the lifetime, counted from receipt
    /// in this browser (immune to the client's clock being off).
    Jws,
    /// The token's own `exp` alone, compared with the client's clock.
    JwsExp,
    /// The configuration's `tokenLifetimeSeconds`.
    Hint,
    /// Learned from the time between receipt and rejection, seen twice.
    Learned,
}

/// What is known about when a token expires, in local wall-clock ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expiry {
    /// When the token stops working.
    pub expires_at: f64,
    /// Its whole lifetime, when known (else the time left at first sight).
    pub lifetime: f64,
    /// Where the estimate comes from.
    pub source: ExpirySource,
}

impl Expiry {
    /// How long before expiry renewal starts.
    pub fn lead(&self) -> f64 {
        (self.lifetime * LEAD_SHARE).min(MAX_LEAD_MS)
    }

    /// When to renew.
    pub fn renew_at(&self) -> f64 {
        self.expires_at - self.lead()
    }

    /// Whether the token is past its expiry for sure at `now`.
    pub fn is_expired(&self, now: f64) -> bool {
        let allowance = if self.source == ExpirySource::JwsExp {
            CLOCK_SKEW_MS
        } else {
            0.0
        };
        now > self.expires_at + allowance
    }
}

/// The expiry of `token`, received at `received_at` (if known), with the
/// lifetime hint and any learned lifetime.
pub fn expiry(
    token: &str,
    received_at: Option<f64>,
    hint_ms: Option<f64>,
    learned_ms: Option<f64>,
) -> Option<Expiry> {
    if let Some(times) = jws_times(token) {
        let exp_ms = times.expires * 1000.0;
        return Some(match (times.issued, received_at) {
            (Some(iat), Some(received)) => {
                let lifetime = exp_ms - iat * 1000.0;
                Expiry {
                    expires_at: received + lifetime,
                    lifetime,
                    source: ExpirySource::Jws,
                }
            }
            (_, received) => {
                let lifetime = received.map_or(MAX_LEAD_MS / LEAD_SHARE, |r| (exp_ms - r).max(0.0));
                Expiry {
                    expires_at: exp_ms,
                    lifetime,
                    source: ExpirySource::JwsExp,
                }
            }
        });
    }
    let received = received_at?;
    let (lifetime, source) = match (hint_ms, learned_ms) {
        (Some(hint), _) => (hint, ExpirySource::Hint),
        (None, Some(learned)) => (learned, ExpirySource::Learned),
        (None, None) => return None,
    };
    (lifetime >= MIN_LIFETIME_MS).then_some(Expiry {
        expires_at: received + lifetime,
        lifetime,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // {"sub":"1","iat":1700000000,"exp":1700000060}
    const JWS_60S: &str = "e30.eyJzdWIiOiIxIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDAwNjB9.x";
    // {"exp":1700000060}
    const JWS_EXP_ONLY: &str = "e30.eyJleHAiOjE3MDAwMDAwNjB9.x";

    #[test]
    fn the_lead_is_a_fifth_of_the_lifetime_capped_at_a_minute() {
        let e = |lifetime: f64| Expiry {
            expires_at: lifetime,
            lifetime,
            source: ExpirySource::Hint,
        };
        assert_eq!(e(60_000.0).lead(), 12_000.0, "60 s tokens renew at 48 s");
        assert_eq!(e(60_000.0).renew_at(), 48_000.0);
        assert_eq!(e(2_000.0).lead(), 400.0);
        assert_eq!(
            e(86_400_000.0).lead(),
            60_000.0,
            "a day-long token renews a minute early"
        );
    }

    #[test]
    fn a_jws_lifetime_counts_from_local_receipt_so_clock_skew_does_not_matter() {
        // The client clock is far from the server's: received "at" 5_000 ms.
        let e = expiry(JWS_60S, Some(5_000.0), None, None).unwrap();
        assert_eq!(
            (e.expires_at, e.lifetime, e.source),
            (65_000.0, 60_000.0, ExpirySource::Jws)
        );
        assert_eq!(e.renew_at(), 53_000.0);
    }

    #[test]
    fn a_jws_without_receipt_time_uses_exp_with_a_skew_allowance() {
        let e = expiry(JWS_60S, None, None, None).unwrap();
        assert_eq!(e.expires_at, 1_700_000_060_000.0);
        // Five seconds of allowance for the client's clock.
        assert!(!e.is_expired(1_700_000_065_000.0));
        assert!(e.is_expired(1_700_000_065_001.0));
    }

    #[test]
    fn a_jws_with_exp_alone_counts_its_lifetime_from_receipt() {
        // Received at 1_700_000_020 s: 40 s left, so renewal 8 s early.
        let e = expiry(JWS_EXP_ONLY, Some(1_700_000_020_000.0), None, None).unwrap();
        assert_eq!(
            (e.expires_at, e.lifetime, e.source),
            (1_700_000_060_000.0, 40_000.0, ExpirySource::JwsExp)
        );
        assert_eq!(e.renew_at(), 1_700_000_052_000.0);
        assert!(!e.is_expired(1_700_000_065_000.0));
        assert!(e.is_expired(1_700_000_065_001.0));
    }

    #[test]
    fn a_jws_received_after_its_exp_is_due_at_once_and_never_earlier() {
        let e = expiry(JWS_EXP_ONLY, Some(1_700_000_090_000.0), None, None).unwrap();
        assert_eq!(e.lifetime, 0.0, "no negative lifetimes");
        assert_eq!(e.renew_at(), 1_700_000_060_000.0);
    }

    #[test]
    fn a_jws_with_exp_alone_and_no_receipt_time_renews_a_minute_early() {
        let e = expiry(JWS_EXP_ONLY, None, None, None).unwrap();
        assert_eq!(e.lifetime, 300_000.0, "as if it lived five minutes");
        assert_eq!(e.renew_at(), 1_700_000_000_000.0);
    }

    #[test]
    fn a_jws_with_iat_counts_from_receipt_whatever_its_absolute_times() {
        // Issued at 1_700_000_000 s, expiring 60 s later; received at 0 ms
        // by a clock that is decades behind.
        let e = expiry(JWS_60S, Some(0.0), None, None).unwrap();
        assert_eq!((e.expires_at, e.lifetime), (60_000.0, 60_000.0));
        assert!(
            !e.is_expired(60_000.0) && e.is_expired(60_001.0),
            "no allowance"
        );
    }

    #[test]
    fn opaque_tokens_use_the_hint_then_the_learned_lifetime() {
        assert_eq!(
            expiry("opaque", Some(1_000.0), None, None),
            None,
            "nothing known"
        );
        assert_eq!(
            expiry("opaque", None, Some(60_000.0), None),
            None,
            "no receipt time"
        );
        let hinted = expiry("opaque", Some(1_000.0), Some(60_000.0), Some(5_000.0)).unwrap();
        assert_eq!(
            (hinted.expires_at, hinted.source),
            (61_000.0, ExpirySource::Hint)
        );
        let learned = expiry("opaque", Some(1_000.0), None, Some(30_000.0)).unwrap();
        assert_eq!(
            (learned.expires_at, learned.source),
            (31_000.0, ExpirySource::Learned)
        );
        assert!(!learned.is_expired(31_000.0) && learned.is_expired(31_001.0));
        assert_eq!(
            expiry("opaque", Some(1_000.0), None, Some(400.0)),
            None,
            "too short to trust"
        );
    }
}

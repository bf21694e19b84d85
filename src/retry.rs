//! What the page does after a data load fails: retry by itself (how soon),
//! or wait for the user. Pure: the bounds are tested natively.
//!
//! | failure | automatic retries | delays |
//! |---|---|---|
//! | 429 | 1 | `Retry-After` (≤ 30 s; 2 s if not given) |
//! | no answer (network, timeout), 502, 503, 504 | 5 | 2, 4, 8, 16, 30 s |
//! | anything else (500, unreadable answer, an answer over `maxResponseBytes`, 4xx) | 0 | — (Retry button) |
//!
//! One user action (open, Refresh, Retry, a page of a server-paged table)
//! sends at most [`MAX_REQUESTS_PER_ACTION`] data requests in all: the page
//! counts every try, every replay after a silent login and every retry a
//! wake-up brings forward, stops retrying when the budget is spent, and
//! forbids the replay on a try that has one request left. Silent logins
//! are bounded on their own, per minute (`auth::breaker`).

use crate::auth::ApiError;
use std::time::Duration;

/// The most data requests one user action sends, replays included.
pub const MAX_REQUESTS_PER_ACTION: u32 = 6;

/// The longest `Retry-After` honoured; longer asks wait for the user.
pub const MAX_RETRY_AFTER_S: u32 = 30;
/// Backoff for transient failures, one entry per automatic retry.
pub const BACKOFF_S: [u64; 5] = [2, 4, 8, 16, 30];

/// The next step after a failed load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again after this long, by itself.
    RetryAfter(Duration),
    /// Show the error with a Retry button.
    WaitForUser,
}

/// After `error`, with `retries` automatic retries already made for this
/// user action.
pub fn after_failure(error: &ApiError, retries: usize) -> Next {
    match error {
        ApiError::RateLimited { retry_after_s, .. } => {
            let wait = retry_after_s.unwrap_or(2);
            if retries == 0 && wait <= MAX_RETRY_AFTER_S {
                Next::RetryAfter(Duration::from_secs(u64::from(wait)))
            } else {
                Next::WaitForUser
            }
        }
        ApiError::Network { .. }
        | ApiError::Timeout { .. }
        | ApiError::Http {
            status: 502..=504, ..
        } => BACKOFF_S.get(retries).map_or(Next::WaitForUser, |s| {
            Next::RetryAfter(Duration::from_secs(*s))
        }),
        _ => Next::WaitForUser,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network() -> ApiError {
        ApiError::Network {
            url: "/x".into(),
            detail: "Failed to fetch".into(),
        }
    }

    #[test]
    fn a_429_is_retried_once_after_retry_after() {
        let limited = ApiError::RateLimited {
            message: "Whoa".into(),
            retry_after_s: Some(5),
        };
        assert_eq!(
            after_failure(&limited, 0),
            Next::RetryAfter(Duration::from_secs(5))
        );
        assert_eq!(after_failure(&limited, 1), Next::WaitForUser, "once");
        let silent = ApiError::RateLimited {
            message: "Whoa".into(),
            retry_after_s: None,
        };
        assert_eq!(
            after_failure(&silent, 0),
            Next::RetryAfter(Duration::from_secs(2))
        );
        let long = ApiError::RateLimited {
            message: "Whoa".into(),
            retry_after_s: Some(3600),
        };
        assert_eq!(
            after_failure(&long, 0),
            Next::WaitForUser,
            "an hour is the user's call"
        );
    }

    #[test]
    fn a_retry_after_of_exactly_30_s_is_honoured_and_31_s_is_not() {
        let asking = |s| ApiError::RateLimited {
            message: "Whoa".into(),
            retry_after_s: Some(s),
        };
        assert_eq!(
            after_failure(&asking(30), 0),
            Next::RetryAfter(Duration::from_secs(30))
        );
        assert_eq!(after_failure(&asking(31), 0), Next::WaitForUser);
        assert_eq!(
            after_failure(&asking(0), 0),
            Next::RetryAfter(Duration::ZERO),
            "Retry-After: 0 means at once"
        );
    }

    #[test]
    fn transient_failures_back_off_five_times_then_wait() {
        let delays: Vec<Next> = (0..7).map(|n| after_failure(&network(), n)).collect();
        let secs = |s| Next::RetryAfter(Duration::from_secs(s));
        assert_eq!(
            delays,
            [
                secs(2),
                secs(4),
                secs(8),
                secs(16),
                secs(30),
                Next::WaitForUser,
                Next::WaitForUser
            ]
        );
        let gateway = ApiError::Http {
            status: 502,
            message: "Bad Gateway".into(),
        };
        assert_eq!(after_failure(&gateway, 0), secs(2));
        let timeout = ApiError::Timeout {
            url: "/x".into(),
            ms: 15_000,
        };
        assert_eq!(after_failure(&timeout, 4), secs(30));
    }

    #[test]
    fn other_failures_wait_for_the_user() {
        for error in [
            ApiError::Http {
                status: 500,
                message: "boom".into(),
            },
            ApiError::Http {
                status: 404,
                message: "gone".into(),
            },
            ApiError::InvalidResponse {
                url: "/x".into(),
                detail: "not JSON".into(),
            },
            ApiError::TooLarge {
                url: "/x".into(),
                limit: 32 << 20,
                token_setting: None,
            },
        ] {
            assert_eq!(after_failure(&error, 0), Next::WaitForUser, "{error:?}");
        }
    }
}

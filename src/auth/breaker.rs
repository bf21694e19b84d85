//! The circuit breaker on silent logins: at most N logins the user did not
//! ask for — renewals ahead of expiry and logins after a 401 alike, in any
//! tab — in any rolling minute. A server that refuses every fresh token, or
//! hands out tokens too short-lived to keep up with, would otherwise cost
//! logins without end; past the N-th the client stops: after a 401 the user
//! sees the form, ahead of expiry renewal pauses until the user acts.
//! Logins through the form are not counted and start a fresh minute.
//!
//! The log of recent logins lives in the token store
//! ([`super::TokenStore::silent_logins`]), so every tab on the same storage
//! spends one budget; the client reads and writes it inside the cross-tab
//! renewal lock. The breaker itself is the pure rule over that log.

/// The breaker's window.
pub const WINDOW_MS: f64 = 60_000.0;

/// How many silent logins any rolling minute may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breaker {
    max_per_minute: usize,
}

impl Breaker {
    /// A breaker that admits `max_per_minute` logins in any rolling minute.
    pub fn new(max_per_minute: usize) -> Self {
        Self { max_per_minute }
    }

    /// Asks to log in silently at `now` (wall-clock ms), given `log`, the
    /// times of the recent silent logins. Drops the times that have left
    /// the window (a login exactly one minute ago has) and any in the
    /// future (a clock set back must not block renewals for good); an
    /// admitted login is added to `log`. A refusal carries how many logins
    /// the last minute already holds.
    pub fn admit(self, now: f64, log: &mut Vec<f64>) -> Result<(), usize> {
        log.retain(|at| (0.0..WINDOW_MS).contains(&(now - at)));
        if log.len() >= self.max_per_minute {
            return Err(log.len());
        }
        log.push(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_the_limit_then_refuses_with_the_count() {
        let b = Breaker::new(3);
        let mut log = Vec::new();
        assert_eq!(b.admit(0.0, &mut log), Ok(()));
        assert_eq!(b.admit(10.0, &mut log), Ok(()));
        assert_eq!(b.admit(20.0, &mut log), Ok(()));
        assert_eq!(b.admit(30.0, &mut log), Err(3));
        assert_eq!(b.admit(40.0, &mut log), Err(3), "a refusal is not counted");
        assert_eq!(log, [0.0, 10.0, 20.0]);
    }

    #[test]
    fn the_window_is_one_minute_to_the_millisecond() {
        let b = Breaker::new(3);
        let mut log = Vec::new();
        for at in [0.0, 0.0, 500.0] {
            b.admit(at, &mut log).unwrap();
        }
        assert_eq!(
            b.admit(59_999.0, &mut log),
            Err(3),
            "all three are within the minute"
        );
        assert_eq!(
            b.admit(60_000.0, &mut log),
            Ok(()),
            "the two logins at 0 ms have left the window, the one at 500 ms has not"
        );
        assert_eq!(b.admit(60_001.0, &mut log), Ok(()));
        assert_eq!(
            b.admit(60_002.0, &mut log),
            Err(3),
            "500, 60 000 and 60 001"
        );
    }

    #[test]
    fn logins_logged_by_other_tabs_count_and_times_in_the_future_do_not() {
        let b = Breaker::new(2);
        // Another tab logged in twice within the minute.
        let mut log = vec![1_000.0, 2_000.0];
        assert_eq!(b.admit(3_000.0, &mut log), Err(2));
        // A clock set back an hour must not block renewals for an hour.
        let mut log = vec![3_600_000.0, 3_600_001.0];
        assert_eq!(b.admit(3_000.0, &mut log), Ok(()));
        assert_eq!(log, [3_000.0]);
    }

    #[test]
    fn a_limit_of_one_allows_one_login_a_minute() {
        let b = Breaker::new(1);
        let mut log = Vec::new();
        assert_eq!(b.admit(1_000.0, &mut log), Ok(()));
        assert_eq!(b.admit(60_999.0, &mut log), Err(1));
        assert_eq!(b.admit(61_000.0, &mut log), Ok(()));
    }
}

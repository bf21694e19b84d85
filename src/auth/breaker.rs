//! The circuit breaker on silent logins: at most N logins the user did not
//! ask for — renewals ahead of expiry and logins after a 401 alike — in any
//! rolling minute. A server that refuses every fresh token, or hands out
//! tokens too short-lived to keep up with, would otherwise cost logins
//! without end; past the N-th the client stops: after a 401 the user sees
//! the form, ahead of expiry renewal pauses until the user acts. Logins
//! through the form are not counted and start a fresh minute.

use std::collections::VecDeque;

/// The breaker's window.
pub const WINDOW_MS: f64 = 60_000.0;

/// When the recent silent logins happened, and how many a minute may hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Breaker {
    max_per_minute: usize,
    logins: VecDeque<f64>,
}

impl Breaker {
    /// A breaker that admits `max_per_minute` logins in any rolling minute.
    pub fn new(max_per_minute: usize) -> Self {
        Self {
            max_per_minute,
            logins: VecDeque::new(),
        }
    }

    /// Asks to log in silently at `now` (wall-clock ms). Admitted logins are
    /// counted; a refusal carries how many logins the last minute already
    /// holds. A login exactly one minute ago has left the window.
    pub fn admit(&mut self, now: f64) -> Result<(), usize> {
        self.logins.retain(|at| now - at < WINDOW_MS);
        if self.logins.len() >= self.max_per_minute {
            return Err(self.logins.len());
        }
        self.logins.push_back(now);
        Ok(())
    }

    /// Forgets every counted login (the user logged in through the form).
    pub fn reset(&mut self) {
        self.logins.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_the_limit_then_refuses_with_the_count() {
        let mut b = Breaker::new(3);
        assert_eq!(b.admit(0.0), Ok(()));
        assert_eq!(b.admit(10.0), Ok(()));
        assert_eq!(b.admit(20.0), Ok(()));
        assert_eq!(b.admit(30.0), Err(3));
        assert_eq!(b.admit(40.0), Err(3), "a refusal is not counted");
    }

    #[test]
    fn the_window_is_one_minute_to_the_millisecond() {
        let mut b = Breaker::new(3);
        for at in [0.0, 0.0, 500.0] {
            b.admit(at).unwrap();
        }
        assert_eq!(b.admit(59_999.0), Err(3), "all three are within the minute");
        assert_eq!(
            b.admit(60_000.0),
            Ok(()),
            "the two logins at 0 ms have left the window, the one at 500 ms has not"
        );
        assert_eq!(b.admit(60_001.0), Ok(()));
        assert_eq!(b.admit(60_002.0), Err(3), "500, 60 000 and 60 001");
    }

    #[test]
    fn reset_forgets_every_login() {
        let mut b = Breaker::new(1);
        b.admit(0.0).unwrap();
        assert_eq!(b.admit(1.0), Err(1));
        b.reset();
        assert_eq!(b.admit(2.0), Ok(()));
    }

    #[test]
    fn a_limit_of_one_allows_one_login_a_minute() {
        let mut b = Breaker::new(1);
        assert_eq!(b.admit(1_000.0), Ok(()));
        assert_eq!(b.admit(60_999.0), Err(1));
        assert_eq!(b.admit(61_000.0), Ok(()));
    }
}

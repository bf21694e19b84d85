//! What the page says about time left: the header's sentence with a
//! countdown to the next renewal or the expiry, and the countdown to an
//! automatic retry. Pure: tested natively.

use crate::auth::SessionState;

/// `41 s`, `3 min 5 s`, `2 h 10 min`: `ms` rounded up to whole seconds.
pub fn duration_text(ms: f64) -> String {
    let s = (ms / 1000.0).ceil().max(0.0) as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

/// The countdown under a failed load that retries by itself at `at`
/// (wall-clock ms): whole seconds left at `now`, rounded up, never below 0.
pub fn retry_countdown(at: f64, now: f64) -> String {
    let left = ((at - now) / 1000.0).ceil().max(0.0) as u64;
    format!("Trying again by itself in {left} s.")
}

/// The header's sentence for the session's state at `now` (wall-clock
/// ms), with a machine-readable name for it (`data-state`).
pub fn describe_session(state: SessionState, now: f64) -> (&'static str, String) {
    match state {
        SessionState::SignedOut => ("signed-out", "Signed out".into()),
        SessionState::Renewing => ("renewing", "Renewing the session…".into()),
        SessionState::Expired => (
            "expired",
            "Session expired: the next load asks you to log in".into(),
        ),
        SessionState::RenewalPaused { .. } => (
            "paused",
            "Automatic renewal paused: too many logins in a minute".into(),
        ),
        SessionState::SignedIn {
            renews_at: Some(at),
            ..
        } => (
            "signed-in",
            if at > now {
                format!("Token renews in {}", duration_text(at - now))
            } else {
                "Token renews now".into()
            },
        ),
        SessionState::SignedIn {
            expires_at: Some(at),
            renews_at: None,
        } => (
            "signed-in",
            if at > now {
                format!("Token expires in {}", duration_text(at - now))
            } else {
                "Token has expired".into()
            },
        ),
        SessionState::SignedIn { .. } => (
            "signed-in",
            "Token lifetime unknown: renewed when refused".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_700_000_000_000.0;

    fn signed_in(expires_in: Option<f64>, renews_in: Option<f64>) -> SessionState {
        SessionState::SignedIn {
            expires_at: expires_in.map(|ms| NOW + ms),
            renews_at: renews_in.map(|ms| NOW + ms),
        }
    }

    #[test]
    fn the_retry_countdown_counts_whole_seconds_up_and_stops_at_zero() {
        for (left_ms, text) in [
            (2_500.0, "Trying again by itself in 3 s."),
            (1_000.0, "Trying again by itself in 1 s."),
            (1.0, "Trying again by itself in 1 s."),
            (0.0, "Trying again by itself in 0 s."),
            (-4_000.0, "Trying again by itself in 0 s."),
            (90_000.0, "Trying again by itself in 90 s."),
        ] {
            assert_eq!(
                retry_countdown(NOW + left_ms, NOW),
                text,
                "{left_ms} ms left"
            );
        }
    }

    #[test]
    fn durations_round_up_to_whole_seconds_minutes_and_hours() {
        for (ms, text) in [
            (0.0, "0 s"),
            (-5_000.0, "0 s"),
            (1.0, "1 s"),
            (41_000.0, "41 s"),
            (59_001.0, "1 min 0 s"),
            (60_000.0, "1 min 0 s"),
            (185_000.0, "3 min 5 s"),
            (3_599_000.0, "59 min 59 s"),
            (3_600_000.0, "1 h 0 min"),
            (7_800_000.0, "2 h 10 min"),
            (7_859_000.0, "2 h 10 min"),
        ] {
            assert_eq!(duration_text(ms), text, "{ms} ms");
        }
    }

    #[test]
    fn the_header_counts_down_to_the_renewal_or_else_the_expiry() {
        let said = |state| describe_session(state, NOW);
        assert_eq!(
            said(signed_in(Some(130_000.0), Some(65_000.0))),
            ("signed-in", "Token renews in 1 min 5 s".into()),
            "a renewal ahead is what happens next"
        );
        assert_eq!(
            said(signed_in(Some(130_000.0), Some(0.0))),
            ("signed-in", "Token renews now".into())
        );
        assert_eq!(
            said(signed_in(Some(41_000.0), None)),
            ("signed-in", "Token expires in 41 s".into())
        );
        assert_eq!(
            said(signed_in(Some(0.0), None)),
            ("signed-in", "Token has expired".into())
        );
        assert_eq!(
            said(signed_in(None, None)),
            (
                "signed-in",
                "Token lifetime unknown: renewed when refused".into()
            )
        );
    }

    #[test]
    fn signed_out_renewing_paused_and_expired_say_so() {
        assert_eq!(
            describe_session(SessionState::SignedOut, NOW),
            ("signed-out", "Signed out".into())
        );
        assert_eq!(
            describe_session(SessionState::Renewing, NOW),
            ("renewing", "Renewing the session…".into())
        );
        assert_eq!(
            describe_session(SessionState::RenewalPaused { expires_at: None }, NOW),
            (
                "paused",
                "Automatic renewal paused: too many logins in a minute".into()
            )
        );
        assert_eq!(
            describe_session(SessionState::Expired, NOW),
            (
                "expired",
                "Session expired: the next load asks you to log in".into()
            )
        );
    }
}

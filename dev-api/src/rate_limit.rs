//! Xano-like login rate limit: at most N attempts per window, per e-mail.
//!
//! Xano's free plan allows 10 requests per 20 seconds and then answers
//! `429 {"code":"ERROR_CODE_TOO_MANY_REQUESTS","message":"Whoa there! …"}`. The dev API applies
//! the same kind of limit to `POST /auth/login`, keyed by the normalised (trimmed, lower-cased)
//! e-mail, so a client that re-logs in in a loop meets it here rather than in production.
//!
//! It is a **fixed window**: an e-mail's first attempt opens a window of `window` seconds; the
//! first `limit` attempts inside it are let through (whether their password is right or not),
//! later ones get a 429 with `Retry-After` = whole seconds until the window closes (at least
//! 1). The next attempt after that opens a new window. Refused attempts do not extend the
//! window. Time comes from the injected clock; a limit of 0 turns the check off.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::errors::ApiError;

/// One e-mail's current window.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// When the window opened (epoch ms).
    start_ms: u64,
    /// Attempts let through in it.
    attempts: u32,
}

/// Counts login attempts per e-mail.
#[derive(Debug)]
pub(crate) struct LoginLimiter {
    limit: u32,
    window_ms: u64,
    windows: Mutex<HashMap<String, Window>>,
}

impl LoginLimiter {
    /// At most `limit` attempts per `window_secs` seconds per e-mail; `limit == 0` is off.
    pub(crate) fn new(limit: u32, window_secs: u64) -> Self {
        Self {
            limit,
            window_ms: window_secs.saturating_mul(1000),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt for the (already normalised) `email` at `now_ms`, or refuses it with
    /// a 429 telling how many seconds remain in the window.
    pub(crate) fn attempt(&self, email: &str, now_ms: u64) -> Result<(), ApiError> {
        if self.limit == 0 {
            return Ok(());
        }
        let window_ms = self.window_ms;
        let is_open = |window: &Window| now_ms < window.start_ms.saturating_add(window_ms);
        let mut windows = self.lock();
        if let Some(window) = windows.get_mut(email).filter(|window| is_open(window)) {
            if window.attempts >= self.limit {
                let closes_ms = window.start_ms.saturating_add(window_ms);
                let wait_ms = closes_ms.saturating_sub(now_ms);
                return Err(ApiError::TooManyRequests {
                    retry_after_secs: wait_ms.div_ceil(1000).max(1),
                });
            }
            window.attempts += 1;
            return Ok(());
        }
        // A new window for this e-mail; forget every window that has closed meanwhile.
        windows.retain(|_, window| is_open(window));
        windows.insert(
            email.to_owned(),
            Window {
                start_ms: now_ms,
                attempts: 1,
            },
        );
        Ok(())
    }

    /// The windows, even after a poisoning panic (each update is a plain store).
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Window>> {
        self.windows.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

//! The session: the user's credentials, held in memory only, and the
//! session state the UI shows.
//!
//! Credentials exist only inside the running page, so the client can log in
//! again silently when a token expires. They are never written to any
//! storage, and their `Debug` output hides the password.

use std::fmt;

/// The identity (usually an email) and password typed into the login form.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    identity: String,
    password: String,
}

impl Credentials {
    /// Credentials as typed. The identity is trimmed; the password is kept
    /// exactly, since spaces may be part of it.
    pub fn new(identity: &str, password: &str) -> Self {
        Self {
            identity: identity.trim().to_owned(),
            password: password.to_owned(),
        }
    }

    /// The identity (email or user name).
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The password, for building the login request body only.
    pub(crate) fn password(&self) -> &str {
        &self.password
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("identity", &self.identity)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Where the session stands, as the UI shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SessionState {
    /// No token.
    SignedOut,
    /// A token is stored and, as far as the client knows, valid.
    SignedIn {
        /// When it expires (local wall-clock ms), if known.
        expires_at: Option<f64>,
        /// When it will be renewed ahead of expiry, if it can be (known
        /// lifetime and credentials in memory).
        renews_at: Option<f64>,
    },
    /// A silent login is under way.
    Renewing,
    /// Signed in, but renewal ahead of expiry is paused: the silent logins
    /// of the last minute used up `maxReloginsPerMinute`. It resumes when
    /// the user logs in or asks for the data again.
    RenewalPaused {
        /// When the token expires (local wall-clock ms), if known.
        expires_at: Option<f64>,
    },
    /// The token is known to have expired and there are no credentials to
    /// renew it: the next load needs the login form.
    Expired,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_password() {
        let c = Credentials::new("  a@b.c ", "s3cret pass");
        assert_eq!(c.identity(), "a@b.c");
        assert_eq!(c.password(), "s3cret pass");
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("a@b.c"));
    }
}

//! The user table: the seeded demo account plus anyone who signs up (in memory only).

use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::Serialize;

use crate::errors::{ACCOUNT_IN_USE, ApiError, INVALID_CREDENTIALS, StartupError};
use crate::input::normalize_email;
use crate::passwords::Passwords;

/// Display name of the seeded demo account.
const DEMO_NAME: &str = "Demo User";
/// `created_at` of the demo account (2024-01-01T00:00:00Z): fixed, so every run looks alike.
const DEMO_CREATED_AT_MS: u64 = 1_704_067_200_000;

/// What `GET /auth/me` answers, in Xano's key order.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Profile {
    /// User id (1 is the demo account).
    pub(crate) id: u64,
    /// Creation time in epoch milliseconds.
    pub(crate) created_at: u64,
    /// Display name.
    pub(crate) name: String,
    /// Normalised e-mail.
    pub(crate) email: String,
}

struct User {
    profile: Profile,
    password_hash: String,
}

/// All accounts, looked up by normalised e-mail.
pub(crate) struct Users {
    passwords: Passwords,
    /// Hash checked when the e-mail is unknown, so both failures cost the same time.
    decoy_hash: String,
    users: Mutex<Vec<User>>,
}

impl Users {
    /// A table holding only the demo account.
    pub(crate) fn with_demo(demo_email: &str, demo_password: &str) -> Result<Self, StartupError> {
        let email = normalize_email(demo_email);
        if email.is_empty() {
            return Err(StartupError::EmptyDemoEmail);
        }
        if demo_password.is_empty() {
            return Err(StartupError::EmptyDemoPassword);
        }
        let hash_failed =
            |error: crate::passwords::HashError| StartupError::PasswordHash(error.to_string());
        let passwords =
            Passwords::new().map_err(|error| StartupError::PasswordHash(error.to_string()))?;
        let password_hash = passwords.hash(demo_password).map_err(hash_failed)?;
        let decoy_hash = passwords.hash("not-a-real-password").map_err(hash_failed)?;
        let demo = User {
            profile: Profile {
                id: 1,
                created_at: DEMO_CREATED_AT_MS,
                name: DEMO_NAME.to_owned(),
                email,
            },
            password_hash,
        };
        Ok(Self {
            passwords,
            decoy_hash,
            users: Mutex::new(vec![demo]),
        })
    }

    /// The demo account's normalised e-mail.
    pub(crate) fn demo_email(&self) -> String {
        self.lock()
            .first()
            .map(|user| user.profile.email.clone())
            .unwrap_or_default()
    }

    /// The id of the account with this (already normalised) e-mail and password.
    pub(crate) fn authenticate(&self, email: &str, password: &str) -> Result<u64, ApiError> {
        let found = self
            .lock()
            .iter()
            .find(|user| user.profile.email == email)
            .map(|user| (user.profile.id, user.password_hash.clone()));
        // Verify outside the lock; an unknown e-mail still pays for one verification.
        let (id, hash) = found.unwrap_or((0, self.decoy_hash.clone()));
        if self.passwords.verify(password, &hash) && id != 0 {
            Ok(id)
        } else {
            Err(ApiError::AccessDenied(INVALID_CREDENTIALS))
        }
    }

    /// Creates an account and returns its id; the e-mail must be normalised and unused.
    pub(crate) fn create(
        &self,
        name: String,
        email: String,
        password: &str,
        now_ms: u64,
    ) -> Result<u64, ApiError> {
        if self.is_taken(&email) {
            return Err(ApiError::AccessDenied(ACCOUNT_IN_USE));
        }
        // Hash outside the lock, then check again in case of a concurrent signup.
        let password_hash = self
            .passwords
            .hash(password)
            .map_err(|_| ApiError::Fatal("Could not store the password."))?;
        let mut users = self.lock();
        if users.iter().any(|user| user.profile.email == email) {
            return Err(ApiError::AccessDenied(ACCOUNT_IN_USE));
        }
        let id = users.iter().map(|user| user.profile.id).max().unwrap_or(0) + 1;
        users.push(User {
            profile: Profile {
                id,
                created_at: now_ms,
                name,
                email,
            },
            password_hash,
        });
        Ok(id)
    }

    /// The profile of user `id`, if it exists.
    pub(crate) fn profile(&self, id: u64) -> Option<Profile> {
        self.lock()
            .iter()
            .find(|user| user.profile.id == id)
            .map(|user| user.profile.clone())
    }

    fn is_taken(&self, email: &str) -> bool {
        self.lock().iter().any(|user| user.profile.email == email)
    }

    /// The table, even if a panicking thread poisoned the lock (the data stays consistent:
    /// every mutation is a single push).
    fn lock(&self) -> MutexGuard<'_, Vec<User>> {
        self.users.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

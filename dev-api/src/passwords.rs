//! Password hashing with Argon2id, stored as PHC strings.
//!
//! The parameters are deliberately cheap (1 MiB, one pass, one lane) so a login costs a few
//! milliseconds and tests stay fast: this server only ever holds a published demo password and
//! throw-away signups. Do not copy these parameters into anything facing real users.
//! Verification goes through [`PasswordVerifier`], whose comparison is constant-time.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, Salt, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::random;

/// Memory cost in KiB (dev only, see the module docs).
const MEMORY_KIB: u32 = 1024;
/// Number of passes.
const ITERATIONS: u32 = 1;
/// Degree of parallelism.
const LANES: u32 = 1;

/// Hashing failed: no randomness for the salt, or Argon2 refused the input.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct HashError(String);

/// Hashes and verifies passwords.
#[derive(Clone)]
pub(crate) struct Passwords {
    argon2: Argon2<'static>,
}

impl Passwords {
    /// A hasher with the cheap dev parameters.
    pub(crate) fn new() -> Result<Self, argon2::Error> {
        let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None)?;
        Ok(Self {
            argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
        })
    }

    /// Hashes `password` with a fresh random salt into a PHC string.
    pub(crate) fn hash(&self, password: &str) -> Result<String, HashError> {
        let mut salt = [0; Salt::RECOMMENDED_LENGTH];
        random::fill(&mut salt).map_err(|error| HashError(error.to_string()))?;
        let salt = SaltString::encode_b64(&salt).map_err(|error| HashError(error.to_string()))?;
        self.argon2
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| HashError(error.to_string()))
    }

    /// Whether `password` matches the PHC string `phc` (false for a malformed `phc`).
    pub(crate) fn verify(&self, password: &str, phc: &str) -> bool {
        PasswordHash::new(phc).is_ok_and(|parsed| {
            self.argon2
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    }
}

//! Password hashing with argon2id, off the async threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sinergi_domain::auth::NewPassword;

use crate::{Result, StoreError};

/// A PHC-format argon2id hash; never the password.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHashString(pub(crate) String);

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(***)")
    }
}

/// Hash a new password. Argon2 takes tens of milliseconds of CPU by design, so it runs on the
/// blocking pool rather than stalling the request threads.
pub async fn hash_password(password: &NewPassword) -> Result<PasswordHashString> {
    let plain = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(plain.as_bytes(), &salt)
            .map(|h| PasswordHashString(h.to_string()))
            .map_err(|e| StoreError::Config(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| StoreError::Config(format!("hashing task failed: {e}")))?
}

/// Check a password against a stored hash, in constant time, off the async threads.
pub async fn verify_password(plain: &str, hash: &PasswordHashString) -> bool {
    let plain = plain.to_owned();
    let hash = hash.0.clone();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(plain.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash of a random password nobody knows: checked when an email is unknown, so that a
/// failed login takes the same time whether or not the account exists.
pub fn dummy_hash() -> PasswordHashString {
    PasswordHashString(
        "$argon2id$v=19$m=19456,t=2,p=1$c2luZXJnaWR1bW15c2FsdA$1i9jSWKzQVXo3mfBIWT/HEb1k8V0lyC0G7kmpl2lCXw".to_owned(),
    )
}

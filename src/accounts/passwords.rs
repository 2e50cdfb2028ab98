//! Password hashing: argon2id for every new hash; Django's `pbkdf2_sha256` and `argon2` hashes
//! verify too, so users imported from the Django originals log in unchanged (and are re-hashed).
//!
//! Hashing is deliberately slow, so the async entry points run it on the blocking pool.

use std::sync::LazyLock;

use anyhow::{Context, anyhow, ensure};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use subtle::ConstantTimeEq;

/// The prefix Django gives a hash that can never match (`set_unusable_password`).
pub const UNUSABLE_PREFIX: char = '!';

/// Hashes a new password with argon2id (PHC string) on the blocking pool.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .context("password hashing task failed")?
}

/// Checks a password against a stored hash on the blocking pool; an unknown format never matches.
pub async fn verify(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify_blocking(&password, &stored))
        .await
        .unwrap_or(false)
}

/// Runs a verification of the same cost as a real one, so a login for an unknown account takes
/// as long as one with a wrong password and does not reveal which emails exist.
pub async fn verify_dummy(password: String) {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash_blocking("careerhub-dummy-password").unwrap_or_default());
    let _ = tokio::task::spawn_blocking(move || verify_blocking(&password, &DUMMY)).await;
}

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|err| anyhow!("argon2 hashing failed: {err}"))?;
    Ok(hash.to_string())
}

pub fn verify_blocking(password: &str, stored: &str) -> bool {
    if stored.starts_with('$') {
        return Argon2::default()
            .verify_password(password.as_bytes(), stored)
            .is_ok();
    }
    if let Some(phc) = stored.strip_prefix("argon2$") {
        // Django's Argon2PasswordHasher: "argon2" + "$argon2id$v=19$m=…" (a PHC string).
        let phc = format!("${phc}");
        return Argon2::default()
            .verify_password(password.as_bytes(), phc.as_str())
            .is_ok();
    }
    if stored.starts_with("pbkdf2_sha256$") {
        return verify_django_pbkdf2_sha256(password, stored).unwrap_or(false);
    }
    false
}

/// True when a stored hash should be replaced by argon2id after a successful login.
pub fn needs_upgrade(stored: &str) -> bool {
    !stored.starts_with("$argon2id$")
}

/// True when the hash is in a format this module can verify (used to warn on import).
pub fn is_supported(stored: &str) -> bool {
    stored.starts_with('$')
        || stored.starts_with("argon2$")
        || stored.starts_with("pbkdf2_sha256$")
        || stored.starts_with(UNUSABLE_PREFIX)
}

/// Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`, compared in constant time.
fn verify_django_pbkdf2_sha256(password: &str, encoded: &str) -> anyhow::Result<bool> {
    let parts: Vec<&str> = encoded.splitn(4, '$').collect();
    ensure!(
        parts.len() == 4 && parts[0] == "pbkdf2_sha256",
        "not a pbkdf2_sha256 hash"
    );
    let iterations: u32 = parts[1].parse()?;
    // A corrupted or hostile row must not pin a core for minutes.
    ensure!(
        (1..=10_000_000).contains(&iterations),
        "implausible iteration count"
    );
    let expected = base64::engine::general_purpose::STANDARD.decode(parts[3])?;
    ensure!(
        !expected.is_empty() && expected.len() <= 64,
        "implausible hash length"
    );
    let mut derived = vec![0u8; expected.len()];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
        password.as_bytes(),
        parts[2].as_bytes(),
        iterations,
        &mut derived,
    );
    Ok(derived.ct_eq(&expected).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Made by Django 5.2.19:
    /// `PBKDF2PasswordHasher().encode("correct horse", "saltsaltsalt1234", iterations=1000)`.
    const DJANGO_PBKDF2: &str =
        "pbkdf2_sha256$1000$saltsaltsalt1234$w7/Z+TtKe2706ziYqntGWEpywycBhHRgtLIN+hknDGQ=";

    #[test]
    fn argon2id_round_trip() {
        let hash = hash_blocking("s3cret-Pass").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(verify_blocking("s3cret-Pass", &hash));
        assert!(!verify_blocking("s3cret-pass", &hash));
        assert!(!needs_upgrade(&hash));
    }

    #[test]
    fn django_pbkdf2_verifies_and_needs_upgrade() {
        assert!(verify_blocking("correct horse", DJANGO_PBKDF2));
        assert!(!verify_blocking("wrong horse", DJANGO_PBKDF2));
        assert!(needs_upgrade(DJANGO_PBKDF2));
    }

    #[test]
    fn malformed_and_unusable_hashes_never_verify() {
        for stored in [
            "",
            "!unusable",
            "pbkdf2_sha256$abc$salt$hash",
            "pbkdf2_sha256$99999999999$salt$aGFzaA==",
            "pbkdf2_sha256$1000$salt$not base64!",
            "md5$salt$hash",
            "$argon2id$garbage",
        ] {
            assert!(!verify_blocking("anything", stored), "{stored}");
        }
    }
}

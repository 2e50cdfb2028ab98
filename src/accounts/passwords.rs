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

use crate::blocking::Lane;

/// The prefix Django gives a hash that can never match (`set_unusable_password`).
pub const UNUSABLE_PREFIX: char = '!';

/// Hashes and verifications running at once, per core: each argon2 run holds 19 MiB and a core
/// for tens of milliseconds, so a flood of logins queues here instead of taking the memory.
static HASHING: Lane = Lane::new(2);

/// Hashes a new password with argon2id (PHC string) on the blocking pool.
pub async fn hash(password: String) -> anyhow::Result<String> {
    HASHING
        .run(move || hash_blocking(&password))
        .await
        .context("password hashing task failed")?
}

/// Checks a password against a stored hash on the blocking pool; an unknown format never matches.
pub async fn verify(password: String, stored: String) -> bool {
    HASHING
        .run(move || verify_blocking(&password, &stored))
        .await
        .unwrap_or(false)
}

/// Runs a verification of the same cost as a real one, so a login for an unknown account takes
/// as long as one with a wrong password and does not reveal which emails exist.
pub async fn verify_dummy(password: String) {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash_blocking("careerhub-dummy-password").unwrap_or_default());
    let _ = HASHING
        .run(move || verify_blocking(&password, &DUMMY))
        .await;
}

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|err| anyhow!("argon2 hashing failed: {err}"))?;
    Ok(hash.to_string())
}

pub fn verify_blocking(password: &str, stored: &str) -> bool {
    StoredHash::parse(stored).is_ok_and(|hash| hash.verify(password))
}

/// Work limits for verifying a stored hash: above anything careerhub or Django writes (Django 6
/// uses 1,200,000 PBKDF2 iterations and argon2 with 100 MiB, 2 passes, 8 lanes; careerhub
/// 19 MiB, 2 passes, 1 lane), and far below what would let one corrupted or hostile row (the
/// Django import takes hashes as given) pin a core for minutes or allocate gigabytes.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
pub const MAX_ARGON2_MEMORY_KIB: u32 = 256 * 1024;
pub const MAX_ARGON2_PASSES: u32 = 16;
pub const MAX_ARGON2_LANES: u32 = 16;
/// Longest derived key accepted from a stored hash (SHA-256 and argon2 give 32 bytes).
const MAX_HASH_BYTES: usize = 64;

/// A stored password hash, parsed and within the work limits.
#[derive(Debug)]
pub enum StoredHash {
    /// A PHC argon2 string: careerhub's own, or Django's `argon2` one without its prefix.
    Argon2(Box<argon2::password_hash::phc::PasswordHash>),
    /// Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`.
    DjangoPbkdf2 {
        iterations: u32,
        salt: String,
        hash: Vec<u8>,
    },
}

impl StoredHash {
    /// Parses a stored hash; an unusable (`!…`), unknown, malformed or too costly one is an error.
    pub fn parse(stored: &str) -> anyhow::Result<StoredHash> {
        if stored.starts_with('$') {
            return parse_argon2(stored);
        }
        if let Some(phc) = stored.strip_prefix("argon2$") {
            // Django's Argon2PasswordHasher: "argon2" + "$argon2id$v=19$m=…" (a PHC string).
            return parse_argon2(&format!("${phc}"));
        }
        if let Some(rest) = stored.strip_prefix("pbkdf2_sha256$") {
            return parse_django_pbkdf2(rest);
        }
        anyhow::bail!("not a hash format careerhub verifies")
    }

    /// True when `password` matches; the comparison is constant-time.
    pub fn verify(&self, password: &str) -> bool {
        match self {
            StoredHash::Argon2(hash) => Argon2::default()
                .verify_password(password.as_bytes(), hash.as_ref())
                .is_ok(),
            StoredHash::DjangoPbkdf2 {
                iterations,
                salt,
                hash,
            } => {
                let mut derived = vec![0u8; hash.len()];
                pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
                    password.as_bytes(),
                    salt.as_bytes(),
                    *iterations,
                    &mut derived,
                );
                derived.ct_eq(hash).into()
            }
        }
    }
}

fn parse_argon2(phc: &str) -> anyhow::Result<StoredHash> {
    let hash = argon2::password_hash::phc::PasswordHash::new(phc)
        .map_err(|err| anyhow!("not a PHC string: {err}"))?;
    let params =
        argon2::Params::try_from(&hash).map_err(|err| anyhow!("bad argon2 parameters: {err}"))?;
    ensure!(
        params.m_cost() <= MAX_ARGON2_MEMORY_KIB
            && params.t_cost() <= MAX_ARGON2_PASSES
            && params.p_cost() <= MAX_ARGON2_LANES,
        "argon2 parameters past the work limits"
    );
    ensure!(
        hash.hash
            .as_ref()
            .is_some_and(|output| output.len() <= MAX_HASH_BYTES),
        "implausible hash length"
    );
    Ok(StoredHash::Argon2(Box::new(hash)))
}

/// `rest` is what follows `pbkdf2_sha256$`.
fn parse_django_pbkdf2(rest: &str) -> anyhow::Result<StoredHash> {
    let mut parts = rest.splitn(3, '$');
    let (Some(iterations), Some(salt), Some(hash)) = (parts.next(), parts.next(), parts.next())
    else {
        anyhow::bail!("not a pbkdf2_sha256 hash");
    };
    let iterations: u32 = iterations.parse()?;
    ensure!(
        (1..=MAX_PBKDF2_ITERATIONS).contains(&iterations),
        "implausible iteration count"
    );
    let hash = base64::engine::general_purpose::STANDARD.decode(hash)?;
    ensure!(
        !hash.is_empty() && hash.len() <= MAX_HASH_BYTES,
        "implausible hash length"
    );
    Ok(StoredHash::DjangoPbkdf2 {
        iterations,
        salt: salt.to_owned(),
        hash,
    })
}

/// True when a stored hash should be replaced by argon2id after a successful login.
pub fn needs_upgrade(stored: &str) -> bool {
    !stored.starts_with("$argon2id$")
}

/// True when the hash is unusable by design or one this module can verify within its work limits
/// (the import warns about any other).
pub fn is_supported(stored: &str) -> bool {
    stored.starts_with(UNUSABLE_PREFIX) || StoredHash::parse(stored).is_ok()
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
            // Past the work limits: 4 GiB of memory, 2^32-1 passes, 2^24-1 lanes.
            "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "$argon2id$v=19$m=19456,t=4294967295,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "argon2$argon2id$v=19$m=19456,t=2,p=16777215$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "pbkdf2_sha256$10000001$salt$aGFzaA==",
        ] {
            assert!(StoredHash::parse(stored).is_err(), "{stored}");
            assert!(!verify_blocking("anything", stored), "{stored}");
        }
    }
}

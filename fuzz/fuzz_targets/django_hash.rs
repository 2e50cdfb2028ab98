//! Stored password hashes (careerhub's argon2id, Django's `argon2` and `pbkdf2_sha256`, which the
//! Django import takes as given) parsed and verified. Input: `password\nstored hash`.
#![no_main]

use careerhub::accounts::passwords::{
    MAX_ARGON2_LANES, MAX_ARGON2_MEMORY_KIB, MAX_ARGON2_PASSES, MAX_PBKDF2_ITERATIONS, StoredHash,
    is_supported, needs_upgrade,
};
use libfuzzer_sys::fuzz_target;

/// Verification is run only for hashes this cheap, so the fuzzer spends its time on parsing; the
/// parse itself is what must refuse anything past the work limits.
const FUZZ_PBKDF2_ITERATIONS: u32 = 2_000;
const FUZZ_ARGON2_WORK_KIB: u64 = 1_024;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (password, stored) = text.split_once('\n').unwrap_or(("", &text));
    let _ = needs_upgrade(stored);
    let Ok(hash) = StoredHash::parse(stored) else {
        return;
    };
    assert!(is_supported(stored));
    match &hash {
        StoredHash::DjangoPbkdf2 { iterations, .. } => {
            assert!(*iterations <= MAX_PBKDF2_ITERATIONS);
            if *iterations <= FUZZ_PBKDF2_ITERATIONS {
                let _ = hash.verify(password);
            }
        }
        StoredHash::Argon2(phc) => {
            let params = argon2::Params::try_from(phc.as_ref()).expect("parse checked the parameters");
            assert!(params.m_cost() <= MAX_ARGON2_MEMORY_KIB);
            assert!(params.t_cost() <= MAX_ARGON2_PASSES);
            assert!(params.p_cost() <= MAX_ARGON2_LANES);
            if u64::from(params.m_cost()) * u64::from(params.t_cost()) <= FUZZ_ARGON2_WORK_KIB {
                let _ = hash.verify(password);
            }
        }
    }
});

//! What the fuzz targets share.

use std::sync::Once;

/// Lets a panic caught by careerhub's own `catch_unwind` stay caught, as it does in production.
///
/// libFuzzer's hook aborts on every panic, caught or not. The resume and image pipelines
/// deliberately contain panics of the third-party parsers they call, so under that hook a
/// contained panic would be reported as a crash of careerhub. With the default hook back, a
/// panic that escapes careerhub's code still unwinds into libfuzzer-sys, which aborts: still a
/// crash. `CAREERHUB_FUZZ_STRICT=1` keeps libFuzzer's hook, to find the parsers' own panics.
pub fn contain_third_party_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("CAREERHUB_FUZZ_STRICT").is_none() {
            drop(std::panic::take_hook());
        }
    });
}

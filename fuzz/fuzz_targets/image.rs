//! Uploaded images as the picture and asset routes take them: the label check, then decode,
//! orientation, downscale and re-encode (a decoder panic is a refusal, as in production). Whatever
//! comes out must be an image within the requested size that the pipeline accepts again.
#![no_main]

use careerhub::images::{Output, check_label, clean_guarded};
use libfuzzer_sys::fuzz_target;

const SIDE: u32 = 256;

fuzz_target!(|data: &[u8]| {
    careerhub_fuzz::contain_third_party_panics();
    let _ = check_label(data, Some("picture.jpg"), Some("image/png"));
    let Ok(clean) = clean_guarded(
        data,
        Output {
            max_side: Some(SIDE),
        },
    ) else {
        return;
    };
    assert!(clean.width <= SIDE && clean.height <= SIDE, "{clean:?}");
    let again = clean_guarded(&clean.bytes, Output { max_side: None })
        .expect("a cleaned image is a valid image");
    assert_eq!((again.width, again.height), (clean.width, clean.height));
});

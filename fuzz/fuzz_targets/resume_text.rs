//! The resume pipeline as an upload runs it: the kind sniffed from the bytes, the PDF or DOCX
//! parser (a panic inside it is contained, as in production), the text normalised and capped.
//! A hang or a memory blow-up here is a finding even though production bounds it with a timeout:
//! the blocking thread would keep running.
#![no_main]

use careerhub::resumes::text::{DocumentKind, MAX_TEXT_CHARS, normalize, read_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    careerhub_fuzz::contain_third_party_panics();
    if let Some(kind) = DocumentKind::sniff(data) {
        let text = read_text(kind, data);
        assert!(text.chars().count() <= MAX_TEXT_CHARS);
        assert_eq!(normalize(&text), text, "normalising is idempotent");
    }
});

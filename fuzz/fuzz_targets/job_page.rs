//! The job-page extractor (JSON-LD, meta tags, main content, sign-in walls) and the HTML-to-text
//! conversion, over arbitrary pages. Both are careerhub's own code: any panic is a bug.
#![no_main]

use careerhub::tracker::page::{MIN_DESCRIPTION_CHARS, PageVerdict, extract_job, html_to_text};
use libfuzzer_sys::fuzz_target;
use url::Url;

/// Final URLs a fetched page may come from: a plain one, a sign-in path, a host with a port.
const PAGE_URLS: [&str; 3] = [
    "https://jobs.example.com/postings/42",
    "https://www.example.com/login?next=/jobs/42",
    "http://careers.example.org:8080/",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, page)) = data.split_first() else {
        return;
    };
    let url = Url::parse(PAGE_URLS[usize::from(which) % PAGE_URLS.len()]).expect("a valid URL");
    let html = String::from_utf8_lossy(page);
    // What the tracker stores and shows must hold whatever the page was.
    if let PageVerdict::Extracted(job) = extract_job(&html, &url) {
        assert!(
            job.description.chars().count() >= MIN_DESCRIPTION_CHARS,
            "{job:?}"
        );
        for line in [&job.title, &job.company] {
            assert!(!line.trim().is_empty() && !line.contains('\n'), "{job:?}");
        }
    }
    let _ = html_to_text(&html);
});

//! Resume text extraction: a two-page Chromium PDF and a LibreOffice DOCX (the fixtures in
//! `tests/fixtures`), each parsed 200 times after a warm-up. The PDF budget is 30 ms at p50.
//!
//! Run: `cargo bench --bench resume_text`

use std::time::{Duration, Instant};

use careerhub::resumes::text::{DocumentKind, normalize, parse};

const RUNS: usize = 200;
const WARM_UP: usize = 10;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn measure(label: &str, kind: DocumentKind, bytes: &[u8]) {
    let mut words = 0;
    for _ in 0..WARM_UP {
        words = normalize(&parse(kind, bytes).expect("the fixture parses"))
            .split_whitespace()
            .count();
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let text = normalize(&parse(kind, bytes).expect("the fixture parses"));
        times.push(started.elapsed());
        std::hint::black_box(text);
    }
    times.sort();
    println!(
        "{label:<28} {:>7} bytes {words:>5} words  p50 {:>6.2} ms  p99 {:>6.2} ms",
        bytes.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
}

fn main() {
    measure(
        "2-page PDF (Chromium)",
        DocumentKind::Pdf,
        include_bytes!("../tests/fixtures/resume-2page.pdf"),
    );
    measure(
        "1-page PDF (LibreOffice)",
        DocumentKind::Pdf,
        include_bytes!("../tests/fixtures/resume-libreoffice.pdf"),
    );
    measure(
        "DOCX (LibreOffice)",
        DocumentKind::Docx,
        include_bytes!("../tests/fixtures/resume.docx"),
    );
}

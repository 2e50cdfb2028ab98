//! Job-page extraction speed: `careerhub::tracker::page::extract_job` on a realistic ~300 KB
//! posting page (head full of meta tags, styles and scripts, a big navigation, a sidebar of
//! similar jobs, a footer), once with a JSON-LD `JobPosting` and once without, so the
//! main-content method runs over the whole tree. The budget is 20 ms p50 on a release build.
//!
//! Usage: `cargo bench --bench page_extraction` (optionally `-- --runs 500`).

use std::fmt::Write;
use std::hint::black_box;
use std::time::{Duration, Instant};

use careerhub::tracker::page::{Method, PageVerdict, extract_job};

const TARGET_BYTES: usize = 300 * 1024;

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_owned())
}

fn main() {
    let runs: usize = arg("--runs", "200").parse().expect("--runs N");
    let url = url::Url::parse("https://careers.acme-robotics.com/jobs/4242-senior-rust-engineer")
        .expect("bench URL");
    for (variant, with_json_ld, method) in [
        ("json_ld", true, Method::JsonLd),
        ("main_content", false, Method::MainContent),
    ] {
        let html = build_page(with_json_ld);
        match extract_job(&html, &url) {
            PageVerdict::Extracted(job) if job.method == method => {}
            other => panic!("{variant}: unexpected verdict {other:?}"),
        }
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            black_box(extract_job(black_box(&html), &url));
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "{variant:>12}: {} KB, {runs} runs, p50 {:.2} ms, p99 {:.2} ms",
            html.len() / 1024,
            millis(percentile(&times, 50)),
            millis(percentile(&times, 99)),
        );
    }
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A posting page padded with similar-job cards to about [`TARGET_BYTES`].
fn build_page(with_json_ld: bool) -> String {
    let mut html = String::with_capacity(TARGET_BYTES + 64 * 1024);
    html.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    html.push_str("<title>Senior Rust Engineer - Acme Robotics Careers</title>");
    html.push_str(
        "<meta property=\"og:title\" content=\"Senior Rust Engineer\">\
         <meta property=\"og:site_name\" content=\"Acme Robotics\">\
         <meta property=\"og:description\" content=\"Join Acme Robotics as a Senior Rust Engineer.\">",
    );
    for i in 0..40 {
        let _ = write!(
            html,
            "<link rel=\"preload\" href=\"/static/chunk-{i}.js\" as=\"script\">\
             <meta name=\"x-build-{i}\" content=\"{i:08x}\">"
        );
    }
    html.push_str("<style>");
    for i in 0..300 {
        let _ = write!(
            html,
            ".c{i}{{margin:{i}px;padding:0 {i}px;color:#{i:06x}}}.c{i}:hover{{opacity:.9}}"
        );
    }
    html.push_str("</style>");
    if with_json_ld {
        html.push_str("<script type=\"application/ld+json\">");
        html.push_str(&json_ld_posting());
        html.push_str("</script>");
    }
    html.push_str("<script>window.__CONFIG__={\"env\":\"prod\",\"features\":[");
    for i in 0..200 {
        let _ = write!(html, "\"flag-{i}\",");
    }
    html.push_str("\"last\"]};</script></head><body class=\"page page-job\">");

    html.push_str("<header class=\"site-header\"><a class=\"logo\" href=\"/\">Acme Robotics</a>");
    html.push_str("<a href=\"/login\">Sign in</a></header><nav class=\"mega-menu\"><ul>");
    for i in 0..150 {
        let _ = write!(
            html,
            "<li class=\"menu-item c{}\"><a href=\"/teams/{i}\"><span>Team {i}</span></a></li>",
            i % 300
        );
    }
    html.push_str("</ul></nav>");

    html.push_str("<main id=\"content\"><div class=\"job-header\"><h1>Senior Rust Engineer</h1>");
    html.push_str("<div class=\"job-meta\">Berlin · Full-time · Hybrid</div></div>");
    html.push_str("<div class=\"job-description\">");
    html.push_str(&description_html());
    html.push_str("</div>");
    html.push_str(
        "<div class=\"apply\"><a class=\"button\" href=\"/apply/4242\">Apply now</a></div>",
    );
    html.push_str("</main><aside class=\"similar-jobs\"><h2>Similar jobs</h2>");
    let mut card = 0;
    while html.len() < TARGET_BYTES - 4096 {
        let _ = write!(
            html,
            "<div class=\"job-card c{}\" data-id=\"{card}\"><a href=\"/jobs/{card}\">\
             <h3 class=\"job-card-title\">Engineer {card}</h3></a>\
             <p class=\"job-card-summary\">Work on robots, fleets and planning software with a \
             friendly team in office {card}. Competitive salary &amp; equity.</p>\
             <ul class=\"tags\"><li>Rust</li><li>Go</li><li>Kubernetes</li></ul></div>",
            card % 300
        );
        card += 1;
    }
    html.push_str("</aside><footer class=\"site-footer\"><ul>");
    for i in 0..60 {
        let _ = write!(html, "<li><a href=\"/legal/{i}\">Legal page {i}</a></li>");
    }
    html.push_str("</ul><p>© Acme Robotics</p></footer>");
    for i in 0..10 {
        let _ = write!(html, "<script src=\"/static/chunk-{i}.js\" defer></script>");
    }
    html.push_str("</body></html>");
    html
}

fn description_html() -> String {
    let mut html = String::new();
    html.push_str(
        "<p>Acme Robotics builds the software that runs autonomous warehouse robots across three \
         continents. Our platform team keeps hundreds of fleets moving safely every day.</p>",
    );
    for section in ["What you will do", "What you bring", "What we offer"] {
        let _ = write!(html, "<h2>{section}</h2><ul>");
        for i in 0..8 {
            let _ = write!(
                html,
                "<li><strong>Item {i}:</strong> design, build &amp; operate Rust services for \
                 fleet planning, with reviews, on-call and mentoring.</li>"
            );
        }
        html.push_str("</ul>");
    }
    html.push_str("<p>We welcome applications from everyone.</p>");
    html
}

/// The posting as JSON-LD, its description HTML escaped inside a JSON string.
fn json_ld_posting() -> String {
    let posting = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": "Senior Rust Engineer",
        "datePosted": "2025-05-01",
        "employmentType": "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": "Acme Robotics"},
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Berlin"}},
        "description": description_html(),
    });
    posting.to_string()
}

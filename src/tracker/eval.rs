//! `careerhub eval-extraction DIR`: how well job pages are read. `DIR` holds saved pages and a
//! `TRUTH.tsv` (file, page type, vendor, title, company, …, original URL). Each page is served
//! by a local server under its original URL's host (the fetcher's evaluation-only override), and
//! read the way a user's URL is: vendor API first, then the page. Printed per vendor: titles and
//! employers right on postings, descriptions that are posting text, non-postings refused.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use url::Url;

use super::extraction::{Extraction, read_in_process};
use crate::fetch::{FetchConfig, LocalHosts, PageFetcher};

/// One row of `TRUTH.tsv`.
struct Case {
    file: String,
    is_posting: bool,
    vendor: String,
    title: String,
    company: String,
    url: Url,
}

fn read_truth(dir: &Path) -> anyhow::Result<Vec<Case>> {
    let raw = std::fs::read_to_string(dir.join("TRUTH.tsv")).context("reading TRUTH.tsv")?;
    let mut lines = raw.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .with_context(|| format!("TRUTH.tsv has no {name} column"))
    };
    let (file, kind, vendor, title, company, url) = (
        column("file")?,
        column("page_type")?,
        column("vendor")?,
        column("title")?,
        column("company")?,
        column("original_url")?,
    );
    let mut cases = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let field = |i: usize| fields.get(i).copied().unwrap_or_default().trim().to_owned();
        cases.push(Case {
            file: field(file),
            is_posting: field(kind) == "posting",
            vendor: field(vendor),
            title: field(title),
            company: field(company),
            url: Url::parse(&field(url))
                .with_context(|| format!("{}: original_url", field(file)))?,
        });
    }
    Ok(cases)
}

/// Pages by host and path (with query).
type Pages = Arc<HashMap<(String, String), Vec<u8>>>;

fn key_of(url: &Url) -> (String, String) {
    let mut path = url.path().to_owned();
    if let Some(query) = url.query() {
        path = format!("{path}?{query}");
    }
    (url.host_str().unwrap_or_default().to_owned(), path)
}

async fn serve_page(State(pages): State<Pages>, headers: HeaderMap, uri: Uri) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default().to_owned();
    let path = uri
        .path_and_query()
        .map_or("/".to_owned(), |p| p.as_str().to_owned());
    match pages.get(&(host, path)) {
        Some(body) => ([(header::CONTENT_TYPE, "text/html")], body.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Counts for one vendor.
#[derive(Default)]
struct Tally {
    postings: usize,
    titles: usize,
    employers: usize,
    descriptions: usize,
    others: usize,
    others_refused: usize,
}

/// Case, spacing and dash kinds aside, the same text.
fn same(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        s.replace(['\u{2013}', '\u{2014}'], "-")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    fold(a) == fold(b)
}

/// Text that is page furniture, never a posting's.
const CHROME: [&str; 8] = [
    "this website uses cookies",
    "we use cookies",
    "accept all cookies",
    "autofill application",
    "import your resume",
    "recommended jobs",
    "similar jobs",
    "upload your cv",
];

/// A description that reads as posting text: long enough and without page furniture.
fn is_posting_text(description: &str) -> bool {
    let lower = description.to_lowercase();
    description.chars().count() >= 180 && !CHROME.iter().any(|c| lower.contains(c))
}

/// Runs the evaluation and prints the table; fails when `dir` has no usable truth.
pub async fn run(dir: &Path) -> anyhow::Result<()> {
    let cases = read_truth(dir)?;
    if cases.is_empty() {
        bail!("{}: TRUTH.tsv lists no pages", dir.display());
    }
    let mut pages = HashMap::new();
    for case in &cases {
        let body = std::fs::read(dir.join(&case.file))
            .with_context(|| format!("reading {}", case.file))?;
        pages.insert(key_of(&case.url), body);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr: SocketAddr = listener.local_addr()?;
    let router = axum::Router::new()
        .fallback(serve_page)
        .with_state(Arc::new(pages));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let hosts = cases
        .iter()
        .filter_map(|c| c.url.host_str().map(str::to_owned))
        .collect();
    let fetcher = PageFetcher::new(FetchConfig {
        allow_loopback: true,
        local_hosts: Some(LocalHosts { addr, hosts }),
        ..FetchConfig::default()
    })?;

    let mut by_vendor: BTreeMap<String, Tally> = BTreeMap::new();
    for case in &cases {
        let outcome = read_in_process(&fetcher, case.url.as_str()).await;
        let tally = by_vendor.entry(case.vendor.clone()).or_default();
        let (status, detail) = match &outcome {
            Extraction::Found(job) => (
                "success",
                format!(
                    "{:?} | {:?} | {} chars",
                    job.title,
                    job.company,
                    job.description.chars().count()
                ),
            ),
            Extraction::NeedsManual(reason) => ("needs_manual", reason.clone()),
            Extraction::Failed(reason) => ("failed", reason.clone()),
        };
        println!(
            "{:<55} {:<8} {:<12} {}",
            case.file,
            if case.is_posting { "posting" } else { "other" },
            status,
            detail
        );
        if case.is_posting {
            tally.postings += 1;
            if let Extraction::Found(job) = &outcome {
                tally.titles += usize::from(same(&job.title, &case.title));
                tally.employers += usize::from(same(&job.company, &case.company));
                tally.descriptions += usize::from(is_posting_text(&job.description));
            }
        } else {
            tally.others += 1;
            tally.others_refused += usize::from(!matches!(outcome, Extraction::Found(_)));
        }
    }
    print_table(&by_vendor);
    Ok(())
}

fn print_table(by_vendor: &BTreeMap<String, Tally>) {
    let rate = |n: usize, of: usize| {
        if of == 0 {
            "-".to_owned()
        } else {
            format!("{n}/{of} ({:.0}%)", 100.0 * n as f64 / of as f64)
        }
    };
    println!();
    println!(
        "{:<28} {:>14} {:>14} {:>14} {:>18}",
        "vendor", "title", "employer", "description", "non-posting refused"
    );
    let mut all = Tally::default();
    for (vendor, t) in by_vendor {
        println!(
            "{:<28} {:>14} {:>14} {:>14} {:>18}",
            vendor,
            rate(t.titles, t.postings),
            rate(t.employers, t.postings),
            rate(t.descriptions, t.postings),
            rate(t.others_refused, t.others)
        );
        all.postings += t.postings;
        all.titles += t.titles;
        all.employers += t.employers;
        all.descriptions += t.descriptions;
        all.others += t.others;
        all.others_refused += t.others_refused;
    }
    println!(
        "{:<28} {:>14} {:>14} {:>14} {:>18}",
        "all",
        rate(all.titles, all.postings),
        rate(all.employers, all.postings),
        rate(all.descriptions, all.postings),
        rate(all.others_refused, all.others)
    );
}

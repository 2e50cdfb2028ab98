//! Job-page extraction: from a fetched HTML page to a posting's title, company and description,
//! trying schema.org `JobPosting` JSON-LD first, then OpenGraph/meta tags, then the page's main
//! content; login walls and empty script-rendered shells are reported as needing manual input.
//! Pure functions over a string: fetching lives in `fetch`.
//!
//! The page is parsed once; every method reads the same tree. The first method whose description
//! is at least [`MIN_DESCRIPTION_CHARS`] long wins, but a JSON-LD title and company are kept even
//! when its description is too short and another method supplies the description.
//!
//! Fallbacks, in order:
//! - title: JSON-LD `title`/`name`; then, for the meta method, `og:title`, `twitter:title`,
//!   `<title>`, the first `<h1>`; for the main-content method the `<h1>` of the content first.
//!   Titles from tags lose a trailing " | Site" always, and a " - Site" only when it names the
//!   company or site (a dash is often part of the job title: "Engineer - Remote").
//! - company: JSON-LD `hiringOrganization`, then `og:site_name`, then the page's host reduced to
//!   its registrable-looking label and capitalised (`jobs.acme.co.uk` → "Acme").
//!
//! Verdicts other than an extraction, checked only when JSON-LD has no long description:
//! a sign-in URL, or a sign-in prompt (password field or "sign in to view"-like text) on a page
//! whose best description is short, is a login wall; a page with almost no text plus an app
//! mount point, many scripts or a "enable JavaScript" `<noscript>` is a script-rendered shell.

mod content;
mod details;
mod employer;
mod json_ld;
mod meta;
mod microdata;
mod signals;
#[cfg(test)]
mod tests;
mod text;
mod verdicts;

use content::*;
use details::*;
pub use details::{NO_DETAILS, PostingDetails};
use employer::*;
use json_ld::*;
use meta::*;
use microdata::*;
use signals::*;
use text::*;
use verdicts::*;
pub use verdicts::{FORM_REASON, posting_url_of};

use std::sync::LazyLock;

use scraper::node::Element;
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::{Map, Value};
use url::Url;

/// A description shorter than this (in characters) does not count as an extraction (CONTRACTS.md).
pub const MIN_DESCRIPTION_CHARS: usize = 180;

/// Which strategy produced the description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Method {
    /// A schema.org `JobPosting` in a `<script type="application/ld+json">`.
    JsonLd,
    /// schema.org `JobPosting` microdata (`itemprop`s), on a page without JSON-LD.
    Microdata,
    /// OpenGraph, Twitter or plain `description` meta tags.
    Meta,
    /// The text of the page's main content (or its body), without navigation and other chrome.
    MainContent,
    /// Greenhouse's job board API (`boards-api.greenhouse.io`).
    GreenhouseApi,
    /// Lever's postings API (`api.lever.co/v0/postings`).
    LeverApi,
    /// Ashby's job posting API (`api.ashbyhq.com/posting-api`).
    AshbyApi,
    /// SmartRecruiters' posting API (`api.smartrecruiters.com/v1/companies/…/postings`).
    SmartRecruitersApi,
    /// Recruitee's careers-site offers (`{company}.recruitee.com/api/offers/`).
    RecruiteeApi,
    /// Workday's candidate-experience API (`{tenant}.wd{N}.myworkdayjobs.com/wday/cxs/…`).
    WorkdayApi,
    /// Workable's public job API (`apply.workable.com/api/v2/accounts/…/jobs/…`).
    WorkableApi,
    /// Personio's XML job feed (`{company}.jobs.personio.de/xml`).
    PersonioFeed,
    /// Teamtailor's career-site RSS feed (`{company}.teamtailor.com/jobs.rss`).
    TeamtailorFeed,
    /// BambooHR's careers-site job detail (`{company}.bamboohr.com/careers/{id}/detail`).
    BambooHrApi,
}

impl Method {
    /// The name stored with the job and returned by the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::JsonLd => "json_ld",
            Method::Microdata => "microdata",
            Method::Meta => "meta",
            Method::MainContent => "main_content",
            Method::GreenhouseApi => "greenhouse_api",
            Method::LeverApi => "lever_api",
            Method::AshbyApi => "ashby_api",
            Method::SmartRecruitersApi => "smartrecruiters_api",
            Method::RecruiteeApi => "recruitee_api",
            Method::WorkdayApi => "workday_api",
            Method::WorkableApi => "workable_api",
            Method::PersonioFeed => "personio_feed",
            Method::TeamtailorFeed => "teamtailor_feed",
            Method::BambooHrApi => "bamboohr_api",
        }
    }
}

/// What a page gave.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExtractedJob {
    /// The job title, on one line.
    pub title: String,
    /// The hiring company, on one line (the site's name or host when the page names no company).
    pub company: String,
    /// Clean text: paragraphs separated by a blank line, list items on their own lines.
    pub description: String,
    /// Location, remote, employment type, salary and date posted, as far as the source says.
    #[serde(default)]
    pub details: PostingDetails,
    /// Where the description came from.
    pub method: Method,
}

/// The verdict on one page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PageVerdict {
    /// A description of at least [`MIN_DESCRIPTION_CHARS`] characters, with a title and company.
    Extracted(ExtractedJob),
    /// A human must fill the fields in; the reason is shown to them.
    NeedsManual(String),
}

const SIGN_IN_REASON: &str = "the page asks you to sign in";
const SCRIPT_SHELL_REASON: &str =
    "the page is rendered by JavaScript and has no job description in its HTML";
const NO_TITLE_REASON: &str = "no job title was found on the page";

/// A sign-in prompt only wins over a description shorter than this: a real posting behind a
/// page-wide "Sign in" modal is long, an authwall's teaser or a site blurb is not.
const SIGN_IN_PROMPT_MAX_DESCRIPTION_CHARS: usize = 600;

/// A page with less visible text than this and signs of a client-side app is an empty shell.
const SHELL_MAX_TEXT_CHARS: usize = 120;

/// A page loading at least this many scripts counts as an app when it has almost no text.
const SHELL_MIN_SCRIPTS: usize = 3;

/// Lowercase phrases of login walls (LinkedIn's authwall says "Join to apply").
const SIGN_IN_PHRASES: &[&str] = &[
    "sign in to view",
    "sign in to see",
    "sign in to continue",
    "sign in to access",
    "log in to view",
    "log in to see",
    "log in to continue",
    "log in to access",
    "login to view",
    "login to continue",
    "please sign in",
    "please log in",
    "please login",
    "join to apply",
    "join to view",
    "join now to see",
    "you must be logged in",
    "you need to be logged in",
    "you must sign in",
    "you need to sign in",
];

/// Path segments (before any extension) of login pages.
const SIGN_IN_PATH_SEGMENTS: &[&str] = &[
    "login", "log-in", "signin", "sign-in", "sign_in", "signup", "sign-up", "authwall",
];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid built-in selector")
}

static SCRIPT: LazyLock<Selector> = LazyLock::new(|| selector("script"));
static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("head > title"));
static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));
static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| selector("main"));
static ROLE_MAIN: LazyLock<Selector> = LazyLock::new(|| selector("[role=main]"));
static ARTICLE: LazyLock<Selector> = LazyLock::new(|| selector("article"));
static INPUT: LazyLock<Selector> = LazyLock::new(|| selector("input"));
static NOSCRIPT: LazyLock<Selector> = LazyLock::new(|| selector("noscript"));
static APP_MOUNT: LazyLock<Selector> =
    LazyLock::new(|| selector("#root, #app, #__next, #__nuxt, #___gatsby, app-root"));

/// Extracts the posting from `html`, fetched from `page_url` (the final URL after redirects: a
/// sign-in path means a login wall, and its host is the company of last resort).
pub fn extract_job(html: &str, page_url: &Url) -> PageVerdict {
    let doc = Html::parse_document(html);
    let mut postings = json_ld_postings(&doc);
    let mut structured = Method::JsonLd;
    if postings.is_empty() {
        postings = microdata_postings(&doc);
        structured = Method::Microdata;
    }
    let meta = MetaTags::read(&doc);

    // Rendered once for every verdict that reads it.
    let visible = visible_text(&doc);
    if let Some(reason) = blocked_or_listing(&doc, &visible, &postings) {
        return needs_manual(reason);
    }
    if let Some(posting) = postings.iter().find(|p| is_long_enough(&p.description)) {
        let found = Found {
            description: posting.description.clone(),
            method: structured,
            content_root: None,
        };
        return finish(&doc, &meta, page_url, Some(posting), found);
    }
    if is_sign_in_url(page_url) {
        return needs_manual(SIGN_IN_REASON);
    }
    if let Some(reason) = not_a_posting(&doc, page_url, &postings) {
        return needs_manual(reason);
    }

    let from_meta = meta_description(&meta).map(|description| Found {
        description,
        method: Method::Meta,
        content_root: None,
    });
    let from_content = main_content(&doc).map(|(root, description)| Found {
        description,
        method: Method::MainContent,
        content_root: Some(root),
    });
    let found = match (from_meta, from_content) {
        // The body wins when it carries the snippet: it is the same posting, whole.
        (Some(snippet), Some(body))
            if contains_snippet(&body.description, &snippet.description) =>
        {
            Some(body)
        }
        (Some(snippet), _) => Some(snippet),
        (None, body) => body,
    };
    let Some(found) = found else {
        return needs_manual(failure_reason(&PageSignals::read(&doc, &visible)));
    };
    if char_count(&found.description) < SIGN_IN_PROMPT_MAX_DESCRIPTION_CHARS
        && PageSignals::read(&doc, &visible).sign_in_prompt
    {
        return needs_manual(SIGN_IN_REASON);
    }
    finish(&doc, &meta, page_url, postings.first(), found)
}

/// HTML (a fragment or a page) as clean text.
///
/// Block elements end lines, paragraphs, headings and lists are separated by one blank line,
/// list items start with "- " (indented two spaces per nesting level), whitespace runs collapse,
/// and scripts, styles and the document head are dropped. Text without tags keeps its own line
/// breaks: only entities are decoded and spaces normalised.
pub fn html_to_text(html: &str) -> String {
    if !contains_markup(html) {
        return plain_text(html);
    }
    let doc = if looks_like_document(html) {
        Html::parse_document(html)
    } else {
        Html::parse_fragment(html)
    };
    render_text(doc.root_element(), |el| is_unreadable(el.value()))
}

/// Whether `body` contains the start of `snippet` (a meta description is often the posting's
/// first lines, cut), compared on letters and digits only.
fn contains_snippet(body: &str, snippet: &str) -> bool {
    let body = fold(body);
    let snippet = fold(snippet.trim_end_matches(['.', '\u{2026}']));
    let start: String = snippet.chars().take(120).collect();
    body.len() > snippet.len() && !start.is_empty() && body.contains(&start)
}

fn needs_manual(reason: impl Into<String>) -> PageVerdict {
    PageVerdict::NeedsManual(reason.into())
}

fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// The 180-character rule (`text` is already trimmed).
fn is_long_enough(text: &str) -> bool {
    char_count(text) >= MIN_DESCRIPTION_CHARS
}

/// A description that passed the rule, and where it came from.
struct Found<'a> {
    description: String,
    method: Method,
    /// The element the main-content text came from: its `<h1>` is the best title.
    content_root: Option<ElementRef<'a>>,
}

/// Completes a found description with a title and a company.
fn finish(
    doc: &Html,
    meta: &MetaTags<'_>,
    page_url: &Url,
    posting: Option<&Posting>,
    found: Found<'_>,
) -> PageVerdict {
    let host = host_label(page_url);
    let site_name = meta
        .get("og:site_name")
        .map(inline_text)
        .unwrap_or_default();
    let title = posting
        .map(|p| p.title.clone())
        .filter(|t| !t.is_empty())
        .or_else(|| {
            let site_names = [host.as_str(), site_name.as_str()];
            tag_or_heading_title(doc, meta, found.content_root, &site_names)
        });
    let tag_title = meta
        .get("og:title")
        .map(str::to_owned)
        .or_else(|| doc.select(&TITLE).next().map(|t| t.text().collect()))
        .map(|t| inline_text(&t));
    let json_ld_company = posting.map(|p| p.company.as_str()).unwrap_or_default();
    let Named { title, company } =
        name_posting(page_url, &site_name, json_ld_company, title, tag_title);
    match title {
        Some(title) => PageVerdict::Extracted(ExtractedJob {
            title,
            company,
            description: found.description,
            method: found.method,
            details: posting.map(|p| p.details.clone()).unwrap_or_default(),
        }),
        None => needs_manual(NO_TITLE_REASON),
    }
}

// ---------------------------------------------------------------------------------------------

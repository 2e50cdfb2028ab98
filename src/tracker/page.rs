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
    /// OpenGraph, Twitter or plain `description` meta tags.
    Meta,
    /// The text of the page's main content (or its body), without navigation and other chrome.
    MainContent,
}

impl Method {
    /// The name stored with the job and returned by the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::JsonLd => "json_ld",
            Method::Meta => "meta",
            Method::MainContent => "main_content",
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
    let postings = json_ld_postings(&doc);
    let meta = MetaTags::read(&doc);

    if let Some(posting) = postings.iter().find(|p| is_long_enough(&p.description)) {
        let found = Found {
            description: posting.description.clone(),
            method: Method::JsonLd,
            content_root: None,
        };
        return finish(&doc, &meta, page_url, Some(posting), found);
    }
    if is_sign_in_url(page_url) {
        return needs_manual(SIGN_IN_REASON);
    }

    let found = meta_description(&meta)
        .map(|description| Found {
            description,
            method: Method::Meta,
            content_root: None,
        })
        .or_else(|| {
            main_content(&doc).map(|(root, description)| Found {
                description,
                method: Method::MainContent,
                content_root: Some(root),
            })
        });
    let Some(found) = found else {
        return needs_manual(failure_reason(&PageSignals::read(&doc)));
    };
    if char_count(&found.description) < SIGN_IN_PROMPT_MAX_DESCRIPTION_CHARS
        && PageSignals::read(&doc).sign_in_prompt
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
    let company = [
        posting.map(|p| p.company.clone()).unwrap_or_default(),
        site_name.clone(),
    ]
    .into_iter()
    .find(|name| !name.is_empty())
    .unwrap_or_else(|| capitalise(&host));
    let title = posting
        .map(|p| p.title.clone())
        .filter(|t| !t.is_empty())
        .or_else(|| {
            let site_names = [company.as_str(), host.as_str(), site_name.as_str()];
            tag_or_heading_title(doc, meta, found.content_root, &site_names)
        });
    match title {
        Some(title) => PageVerdict::Extracted(ExtractedJob {
            title,
            company,
            description: found.description,
            method: found.method,
        }),
        None => needs_manual(NO_TITLE_REASON),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON-LD
// ---------------------------------------------------------------------------------------------

/// The fields of one schema.org `JobPosting`, cleaned (empty when absent).
struct Posting {
    title: String,
    company: String,
    description: String,
}

/// Every `JobPosting` in the page's JSON-LD scripts, in document order.
fn json_ld_postings(doc: &Html) -> Vec<Posting> {
    let mut postings = Vec::new();
    for script in doc.select(&SCRIPT).filter(|s| is_json_ld(s.value())) {
        let source: String = script.text().collect();
        for value in parse_json_ld(&source) {
            let mut found = Vec::new();
            collect_job_postings(&value, &mut found);
            postings.extend(found.into_iter().map(posting_fields));
        }
    }
    postings
}

/// `type="application/ld+json"`, in any case, with stray whitespace or parameters.
fn is_json_ld(script: &Element) -> bool {
    script.attr("type").is_some_and(|kind| {
        let media_type = kind.split(';').next().unwrap_or_default().trim();
        media_type.eq_ignore_ascii_case("application/ld+json")
    })
}

/// The JSON values in a script; invalid JSON gives none.
fn parse_json_ld(source: &str) -> Vec<Value> {
    let json = strip_script_wrappers(source);
    let values = parse_json_values(json);
    if values.is_empty() {
        // CMSs paste descriptions with raw line breaks inside strings, which JSON forbids.
        parse_json_values(&escape_raw_controls(json))
    } else {
        values
    }
}

/// Values up to the first syntax error, so trailing junk after a valid object is harmless.
fn parse_json_values(json: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(json)
        .into_iter::<Value>()
        .map_while(Result::ok)
        .collect()
}

/// Removes HTML comment and CDATA wrappers and trailing semicolons around a script's JSON.
fn strip_script_wrappers(source: &str) -> &str {
    const PREFIXES: [&str; 4] = ["<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA["];
    const SUFFIXES: [&str; 5] = ["-->", "//]]>", "/*]]>*/", "]]>", ";"];
    let mut json = source.trim();
    loop {
        let stripped = PREFIXES
            .iter()
            .find_map(|p| json.strip_prefix(p))
            .or_else(|| SUFFIXES.iter().find_map(|s| json.strip_suffix(s)));
        match stripped {
            Some(rest) => json = rest.trim(),
            None => return json,
        }
    }
}

/// Escapes control characters inside JSON strings (a newline becomes `\n`); outside strings
/// they are whitespace and stay.
fn escape_raw_controls(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string && !escaped && c.is_control() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                _ => out.push(' '),
            }
            continue;
        }
        if c == '"' && !escaped {
            in_string = !in_string;
        }
        escaped = in_string && c == '\\' && !escaped;
        out.push(c);
    }
    out
}

/// Finds `JobPosting` objects anywhere: top level, arrays, `@graph`, `mainEntity` and so on.
/// Depth is bounded by serde_json's recursion limit.
fn collect_job_postings<'v>(value: &'v Value, found: &mut Vec<&'v Map<String, Value>>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_job_postings(v, found)),
        Value::Object(object) if is_job_posting(object) => found.push(object),
        Value::Object(object) => object.values().for_each(|v| collect_job_postings(v, found)),
        _ => {}
    }
}

/// `@type` is `JobPosting` or a list containing it, possibly as a full IRI.
fn is_job_posting(object: &Map<String, Value>) -> bool {
    let is_posting_type = |name: &str| {
        let local = name.rsplit(['/', ':', '#']).next().unwrap_or(name);
        local.trim().eq_ignore_ascii_case("JobPosting")
    };
    match object.get("@type") {
        Some(Value::String(name)) => is_posting_type(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(is_posting_type),
        _ => false,
    }
}

fn posting_fields(object: &Map<String, Value>) -> Posting {
    let field = |key: &str| object.get(key).and_then(first_string);
    Posting {
        title: field("title")
            .or_else(|| field("name"))
            .map(inline_text)
            .unwrap_or_default(),
        company: object
            .get("hiringOrganization")
            .and_then(organization_name)
            .map(inline_text)
            .unwrap_or_default(),
        description: field("description")
            .map(description_text)
            .unwrap_or_default(),
    }
}

/// A string, or the first string of a list.
fn first_string(value: &Value) -> Option<&str> {
    match value {
        Value::String(text) => Some(text),
        Value::Array(items) => items.iter().find_map(first_string),
        _ => None,
    }
}

/// `hiringOrganization` as a name, an `Organization` with a `name`, or a list of either.
fn organization_name(value: &Value) -> Option<&str> {
    match value {
        Value::String(name) => Some(name),
        Value::Object(organization) => organization.get("name").and_then(first_string),
        Value::Array(items) => items.iter().find_map(organization_name),
        _ => None,
    }
}

/// A description as clean text; HTML that was entity-escaped (`&lt;p&gt;`) comes out of the
/// first pass as markup and gets a second.
fn description_text(raw: &str) -> String {
    let text = html_to_text(raw);
    if contains_markup(&text) {
        html_to_text(&text)
    } else {
        text
    }
}

/// HTML or plain text as one line.
fn inline_text(raw: &str) -> String {
    one_line(&html_to_text(raw))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Meta tags and titles
// ---------------------------------------------------------------------------------------------

/// `<meta>` contents by lowercase `property` or `name`, in document order.
struct MetaTags<'a>(Vec<(String, &'a str)>);

impl<'a> MetaTags<'a> {
    fn read(doc: &'a Html) -> MetaTags<'a> {
        let tags = doc
            .select(&META)
            .filter_map(|tag| {
                let key = tag.attr("property").or_else(|| tag.attr("name"))?;
                let content = tag.attr("content")?.trim();
                (!content.is_empty()).then(|| (key.trim().to_ascii_lowercase(), content))
            })
            .collect();
        MetaTags(tags)
    }

    /// The first non-empty content for `key` (lowercase).
    fn get(&self, key: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, content)| *content)
    }
}

/// The first meta description long enough to count.
fn meta_description(meta: &MetaTags<'_>) -> Option<String> {
    ["og:description", "twitter:description", "description"]
        .into_iter()
        .filter_map(|key| meta.get(key))
        .map(description_text)
        .find(|text| is_long_enough(text))
}

/// A title from tags or headings. Main content prefers its own `<h1>` (the posting's heading);
/// otherwise tags come first, since a page's first `<h1>` may be a logo.
fn tag_or_heading_title(
    doc: &Html,
    meta: &MetaTags<'_>,
    content_root: Option<ElementRef<'_>>,
    site_names: &[&str],
) -> Option<String> {
    let tagged = || {
        let title_element = doc
            .select(&TITLE)
            .next()
            .map(|t| t.text().collect::<String>());
        meta.get("og:title")
            .or_else(|| meta.get("twitter:title"))
            .map(str::to_owned)
            .or(title_element)
            .map(|title| strip_site_suffix(&inline_text(&title), site_names))
            .filter(|title| !title.is_empty())
    };
    match content_root {
        Some(root) => first_heading(root)
            .or_else(|| first_heading(body(doc)))
            .or_else(tagged),
        None => tagged().or_else(|| first_heading(body(doc))),
    }
}

/// The first non-empty `<h1>` under `root` outside navigation and other chrome.
fn first_heading(root: ElementRef<'_>) -> Option<String> {
    root.select(&H1)
        .filter(|h1| !is_heading_in_chrome(*h1))
        .map(inline_text_of)
        .find(|text| !text.is_empty())
}

/// Whether a heading sits in navigation, a sidebar, a footer, a hidden subtree or the page's
/// banner. Unlike content, a `<header>` inside an article, main region or section heads the
/// posting itself, so its `<h1>` is the job title rather than a logo.
fn is_heading_in_chrome(heading: ElementRef<'_>) -> bool {
    let mut in_header = false;
    for ancestor in heading.ancestors().filter_map(ElementRef::wrap) {
        let element = ancestor.value();
        if is_unreadable(element) || matches!(element.name(), "nav" | "aside" | "footer") {
            return true;
        }
        match element.name() {
            "header" => in_header = true,
            "article" | "main" | "section" => in_header = false,
            _ => {}
        }
    }
    in_header
}

fn inline_text_of(element: ElementRef<'_>) -> String {
    one_line(&render_text(element, |el| is_unreadable(el.value())))
}

/// Drops a " | Site" suffix, and a " - Site" (or en/em dash) suffix that names the site.
fn strip_site_suffix(title: &str, site_names: &[&str]) -> String {
    if let Some((head, _)) = title.rsplit_once(" | ")
        && !head.trim().is_empty()
    {
        return head.trim().to_owned();
    }
    let names_site = |suffix: &str| {
        let suffix = suffix.to_lowercase();
        suffix.contains("careers")
            || suffix.contains("jobs")
            || site_names
                .iter()
                .filter(|name| !name.is_empty())
                .any(|name| suffix.contains(&name.to_lowercase()))
    };
    for separator in [" - ", " – ", " — "] {
        if let Some((head, suffix)) = title.rsplit_once(separator)
            && !head.trim().is_empty()
            && names_site(suffix)
        {
            return head.trim().to_owned();
        }
    }
    title.to_owned()
}

/// The registrable-looking label of the page's host: `jobs.acme.com` → `acme`,
/// `careers.acme.co.uk` → `acme`; an IP address stays as it is.
fn host_label(page_url: &Url) -> String {
    let Some(url::Host::Domain(domain)) = page_url.host() else {
        return page_url.host_str().unwrap_or_default().to_owned();
    };
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    let label = match labels.as_slice() {
        [.., name, second, country] if country.len() == 2 && is_generic_second_level(second) => {
            name
        }
        [.., name, _] | [name] => name,
        [] => return domain.to_owned(),
    };
    (*label).to_owned()
}

/// Second-level labels under country codes that are not the company (`co.uk`, `com.au`).
fn is_generic_second_level(label: &str) -> bool {
    matches!(
        label,
        "co" | "com" | "org" | "net" | "ac" | "gov" | "edu" | "or" | "ne" | "go"
    )
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Main content
// ---------------------------------------------------------------------------------------------

/// The first long-enough content and its element, from the most to the least specific
/// container: a job-description block, the page's main region or article, a block named like a
/// description or posting, the whole body.
fn main_content(doc: &Html) -> Option<(ElementRef<'_>, String)> {
    let body = body(doc);
    let named = |words: &'static [&'static str]| {
        body.descendent_elements()
            .filter(move |el| has_name_containing(el.value(), words))
    };
    first_readable(named(&["jobdescription"]))
        .or_else(|| {
            let semantic = doc
                .select(&MAIN)
                .chain(doc.select(&ROLE_MAIN))
                .chain(doc.select(&ARTICLE));
            first_readable(semantic)
        })
        .or_else(|| first_readable(named(&["description", "posting"])))
        .or_else(|| first_readable(std::iter::once(body)))
}

fn body(doc: &Html) -> ElementRef<'_> {
    doc.select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element())
}

/// The first candidate outside chrome whose text passes the 180-character rule.
fn first_readable<'a>(
    candidates: impl Iterator<Item = ElementRef<'a>>,
) -> Option<(ElementRef<'a>, String)> {
    candidates
        .filter(|el| !is_in_chrome(*el))
        .map(|el| (el, render_text(el, is_skipped_in_content)))
        .find(|(_, text)| is_long_enough(text))
}

/// Whether the element's id or one of its classes contains one of `words`, ignoring case, `-`
/// and `_` (`job-description`, `jobDescription` and `job_description` all contain
/// `jobdescription`).
fn has_name_containing(element: &Element, words: &[&str]) -> bool {
    element
        .id()
        .into_iter()
        .chain(element.classes())
        .any(|name| words.iter().any(|word| folded_contains(name, word)))
}

/// `haystack` lowercased without `-` and `_` contains `word`; only the first 64 such bytes are
/// looked at, which no meaningful class name exceeds.
fn folded_contains(haystack: &str, word: &str) -> bool {
    let mut folded = [0u8; 64];
    let mut len = 0;
    for byte in haystack.bytes().filter(|b| !matches!(b, b'-' | b'_')) {
        if len == folded.len() {
            break;
        }
        folded[len] = byte.to_ascii_lowercase();
        len += 1;
    }
    folded[..len]
        .windows(word.len())
        .any(|w| w == word.as_bytes())
}

/// Whether the element or an ancestor is skipped in content, so a "description" block in a
/// footer or a hidden modal is no candidate. A wrapping `<form>` is no reason: content inside
/// it is read when it is the root.
fn is_in_chrome(element: ElementRef<'_>) -> bool {
    std::iter::once(element)
        .chain(element.ancestors().filter_map(ElementRef::wrap))
        .any(|el| el.value().name() != "form" && is_skipped_in_content(el))
}

/// Subtrees left out of main content: unreadable ones and page chrome.
fn is_skipped_in_content(element: ElementRef<'_>) -> bool {
    let el = element.value();
    is_unreadable(el)
        || matches!(el.name(), "nav" | "header" | "footer" | "aside")
        || matches!(
            el.attr("role"),
            Some("navigation" | "banner" | "contentinfo")
        )
        || (el.name() == "form" && !is_page_wrapper(element))
}

/// A `<form>` right under `<body>` wraps the whole page (ASP.NET does this), so it is content,
/// not a login or search form.
fn is_page_wrapper(form: ElementRef<'_>) -> bool {
    form.parent()
        .and_then(ElementRef::wrap)
        .is_some_and(|parent| parent.value().name() == "body")
}

/// Whether the element or an ancestor has no readable text (a login form in a `<template>`).
fn is_in_unreadable(element: ElementRef<'_>) -> bool {
    std::iter::once(element)
        .chain(element.ancestors().filter_map(ElementRef::wrap))
        .any(|el| is_unreadable(el.value()))
}

/// Subtrees with no readable text: code, styles, the document head, embedded objects, hidden
/// elements.
fn is_unreadable(element: &Element) -> bool {
    matches!(
        element.name(),
        "head"
            | "title"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "iframe"
            | "object"
            | "select"
            | "canvas"
    ) || element.attr("hidden").is_some()
        || element.attr("style").is_some_and(|style| {
            style.contains("display") && style.replace(' ', "").contains("display:none")
        })
}

// ---------------------------------------------------------------------------------------------
// Login walls and script shells
// ---------------------------------------------------------------------------------------------

fn is_sign_in_url(page_url: &Url) -> bool {
    page_url
        .path_segments()
        .into_iter()
        .flatten()
        .any(|segment| {
            let stem = segment
                .split('.')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            SIGN_IN_PATH_SEGMENTS.contains(&stem.as_str())
        })
}

/// Why nothing could be extracted.
fn failure_reason(signals: &PageSignals) -> String {
    if signals.sign_in_prompt {
        SIGN_IN_REASON.to_owned()
    } else if signals.script_shell {
        SCRIPT_SHELL_REASON.to_owned()
    } else {
        format!(
            "no job description of at least {MIN_DESCRIPTION_CHARS} characters was found on the page"
        )
    }
}

/// What the page's visible text and structure say when no long description was found.
struct PageSignals {
    sign_in_prompt: bool,
    script_shell: bool,
}

impl PageSignals {
    fn read(doc: &Html) -> PageSignals {
        let visible = render_text(body(doc), |el| is_unreadable(el.value())).to_lowercase();
        let password_field = doc.select(&INPUT).any(|input| {
            let is_password = input
                .attr("type")
                .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("password"));
            is_password && !is_in_unreadable(input)
        });
        let sign_in_prompt = password_field
            || SIGN_IN_PHRASES
                .iter()
                .any(|phrase| visible.contains(phrase));

        let asks_for_javascript = doc.select(&NOSCRIPT).any(|n| {
            n.text()
                .collect::<String>()
                .to_lowercase()
                .contains("javascript")
        });
        let app_like = asks_for_javascript
            || doc.select(&APP_MOUNT).next().is_some()
            || doc.select(&SCRIPT).count() >= SHELL_MIN_SCRIPTS;
        PageSignals {
            sign_in_prompt,
            script_shell: app_like && char_count(&visible) < SHELL_MAX_TEXT_CHARS,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTML to text
// ---------------------------------------------------------------------------------------------

/// Whether `text` has at least one tag of a known HTML element, a comment or a doctype, so that
/// "salary < 50k" or "a<b" stay plain text.
fn contains_markup(text: &str) -> bool {
    text.match_indices('<')
        .any(|(at, _)| starts_tag(&text[at + 1..]))
}

/// Whether what follows a `<` is an HTML tag, comment or doctype.
fn starts_tag(rest: &str) -> bool {
    if rest.starts_with("!--")
        || rest
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("!doctype"))
    {
        return true;
    }
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let (name, after) = rest.split_at(name_len);
    let ends_name = after
        .chars()
        .next()
        .is_none_or(|c| c == '>' || c == '/' || c.is_ascii_whitespace());
    ends_name && is_known_tag(&name.to_ascii_lowercase())
}

fn is_known_tag(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "article"
            | "b"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "font"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hr"
            | "html"
            | "i"
            | "img"
            | "li"
            | "main"
            | "meta"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "s"
            | "script"
            | "section"
            | "small"
            | "span"
            | "strong"
            | "style"
            | "sub"
            | "sup"
            | "table"
            | "tbody"
            | "td"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "u"
            | "ul"
    )
}

fn looks_like_document(html: &str) -> bool {
    let start = html.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let prefix = start.get(..9).unwrap_or(start).to_ascii_lowercase();
    prefix.starts_with("<!doctype") || prefix.starts_with("<html")
}

/// Text without tags: entities decoded, spaces collapsed within lines, at most one blank line.
fn plain_text(text: &str) -> String {
    let decoded = if text.contains('&') {
        // The parser decodes entities; `<` is escaped first so nothing becomes a tag.
        let fragment = Html::parse_fragment(&text.replace('<', "&lt;"));
        fragment.root_element().text().collect()
    } else {
        text.to_owned()
    };
    let mut out = String::with_capacity(decoded.len());
    let mut blank_lines = 0;
    for line in decoded.lines() {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || is_invisible(c))
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        out.push_str(&words.join(" "));
    }
    out
}

/// Zero-width and soft-hyphen characters that only break copy-pasted words apart.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

/// The text under `root`, leaving out the subtrees `skip` names.
///
/// Walks with an explicit stack rather than recursion: a hostile page can nest elements deeper
/// than the thread's stack.
fn render_text(root: ElementRef<'_>, skip: impl Fn(ElementRef<'_>) -> bool) -> String {
    let mut writer = TextWriter::default();
    writer.open(root.value().name());
    let mut stack = vec![(root, root.children())];
    while let Some((element, children)) = stack.last_mut() {
        let Some(child) = children.next() else {
            writer.close(element.value().name());
            stack.pop();
            continue;
        };
        match child.value() {
            Node::Text(text) => writer.text(text),
            Node::Element(_) => {
                let child_element = ElementRef::wrap(child).expect("an element node");
                if !skip(child_element) {
                    writer.open(child_element.value().name());
                    stack.push((child_element, child.children()));
                }
            }
            _ => {}
        }
    }
    writer.out
}

/// Builds text from a walk over elements. Breaks and spaces are owed and only written before
/// the next visible character, so the text never starts or ends with whitespace and never has
/// more than one blank line in a row.
#[derive(Default)]
struct TextWriter {
    out: String,
    /// Newlines owed: 1 ends the line, 2 leaves a blank line.
    owed_newlines: u8,
    owed_space: bool,
    /// A list item started and its "- " marker, at this nesting depth, is owed.
    owed_marker: Option<usize>,
    list_depth: usize,
    item_depth: usize,
}

impl TextWriter {
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.owed_space = true;
            } else if !is_invisible(c) {
                self.pay_debts();
                self.out.push(c);
            }
        }
    }

    fn pay_debts(&mut self) {
        if !self.out.is_empty() {
            if self.owed_newlines > 0 {
                (0..self.owed_newlines).for_each(|_| self.out.push('\n'));
            } else if self.owed_space {
                self.out.push(' ');
            }
        }
        self.owed_newlines = 0;
        self.owed_space = false;
        if let Some(depth) = self.owed_marker.take() {
            (1..depth).for_each(|_| self.out.push_str("  "));
            self.out.push_str("- ");
        }
    }

    /// Each `<br>` owes one more newline, so two in a row make a paragraph break.
    fn line_break(&mut self) {
        let most = if self.item_depth > 0 { 1 } else { 2 };
        self.owed_newlines = (self.owed_newlines + 1).min(most);
    }

    /// Inside a list item a paragraph only ends the line, so items stay together.
    fn block(&mut self, newlines: u8) {
        let newlines = if self.item_depth > 0 {
            newlines.min(1)
        } else {
            newlines
        };
        self.owed_newlines = self.owed_newlines.max(newlines);
    }

    fn open(&mut self, name: &str) {
        match name {
            "br" => self.line_break(),
            "li" => {
                self.block(1);
                self.item_depth += 1;
                self.owed_marker = Some(self.list_depth.max(1));
            }
            "ul" | "ol" => {
                self.block(2);
                self.list_depth += 1;
            }
            "td" | "th" => self.owed_space = true,
            _ => self.block(block_newlines(name)),
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "li" => {
                self.item_depth = self.item_depth.saturating_sub(1);
                self.block(1);
            }
            "ul" | "ol" => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.block(2);
            }
            _ => self.block(block_newlines(name)),
        }
    }
}

/// Newlines around a block element: 2 for paragraph-like ones, 1 for other blocks, 0 inline.
fn block_newlines(name: &str) -> u8 {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "blockquote" | "pre" | "hr"
        | "dl" => 2,
        "div" | "section" | "article" | "main" | "header" | "footer" | "nav" | "aside" | "form"
        | "tr" | "dt" | "dd" | "address" | "figure" | "figcaption" | "fieldset" | "details"
        | "summary" | "center" | "caption" | "body" | "html" => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTRO: &str = "Acme Robotics builds the software that runs autonomous warehouse robots \
        across three continents, and our platform team keeps hundreds of fleets moving safely \
        every single day.";
    const ROLE: &str = "As a senior engineer you will design, build and operate the Rust services \
        behind fleet planning, and you will mentor two engineers who joined us this year.";

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn page(head: &str, body: &str) -> String {
        format!("<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>")
    }

    fn json_ld(json: &str) -> String {
        format!(r#"<script type="application/ld+json">{json}</script>"#)
    }

    fn posting_json(extra: &str) -> String {
        format!(
            r#"{{"@context": "https://schema.org", "@type": "JobPosting", "title": "Senior Rust Engineer",
                "hiringOrganization": {{"@type": "Organization", "name": "Acme Robotics"}},
                "description": "<p>{INTRO}</p><p>{ROLE}</p>"{extra}}}"#
        )
    }

    fn extracted(title: &str, company: &str, description: &str, method: Method) -> PageVerdict {
        PageVerdict::Extracted(ExtractedJob {
            title: title.into(),
            company: company.into(),
            description: description.into(),
            method,
        })
    }

    fn acme_json_ld_job() -> PageVerdict {
        extracted(
            "Senior Rust Engineer",
            "Acme Robotics",
            &format!("{INTRO}\n\n{ROLE}"),
            Method::JsonLd,
        )
    }

    fn short_reason() -> PageVerdict {
        PageVerdict::NeedsManual(
            "no job description of at least 180 characters was found on the page".into(),
        )
    }

    #[test]
    fn test_texts_straddle_the_threshold() {
        assert!(char_count(INTRO) < MIN_DESCRIPTION_CHARS);
        assert!(char_count(&format!("{INTRO}\n\n{ROLE}")) >= MIN_DESCRIPTION_CHARS);
    }

    #[test]
    fn single_json_ld_object() {
        let html = page(&json_ld(&posting_json("")), "<h1>Ignored heading</h1>");
        assert_eq!(
            extract_job(&html, &url("https://jobs.acme.com/42")),
            acme_json_ld_job()
        );
    }

    #[test]
    fn json_ld_top_level_array_with_plain_string_organization() {
        let json = format!(
            r#"[{{"@type": "WebSite", "name": "Acme"}},
                {{"@type": "JobPosting", "title": "Senior Rust Engineer",
                  "hiringOrganization": "Acme Robotics", "description": "<p>{INTRO}</p><p>{ROLE}</p>"}}]"#
        );
        let html = page(&json_ld(&json), "");
        assert_eq!(
            extract_job(&html, &url("https://example.com/")),
            acme_json_ld_job()
        );
    }

    #[test]
    fn json_ld_graph() {
        let json = format!(
            r#"{{"@context": "https://schema.org", "@graph": [{{"@type": "WebPage", "name": "Jobs"}},
                [{}]]}}"#,
            posting_json("")
        );
        let html = page(&json_ld(&json), "");
        assert_eq!(
            extract_job(&html, &url("https://example.com/")),
            acme_json_ld_job()
        );
    }

    #[test]
    fn json_ld_type_array_and_loose_type_attribute() {
        let json =
            posting_json("").replace(r#""@type": "JobPosting""#, r#""@type": ["JobPosting"]"#);
        let html = page(
            &format!(r#"<script type=" Application/LD+JSON ">{json}</script>"#),
            "",
        );
        assert_eq!(
            extract_job(&html, &url("https://example.com/")),
            acme_json_ld_job()
        );
    }

    #[test]
    fn entity_escaped_html_description_becomes_clean_text_with_list_items() {
        let json = format!(
            r#"{{"@type": "JobPosting", "title": "Platform Engineer &amp; SRE",
                "hiringOrganization": {{"name": "AT&amp;T Labs"}},
                "description": "&lt;p&gt;{INTRO}&lt;/p&gt;&lt;h3&gt;You bring&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;Rust &amp;amp; Tokio&lt;/li&gt;&lt;li&gt;&lt;strong&gt;Kubernetes&lt;/strong&gt; in production&lt;/li&gt;&lt;/ul&gt;"}}"#
        );
        let html = page(&json_ld(&json), "");
        assert_eq!(
            extract_job(&html, &url("https://example.com/")),
            extracted(
                "Platform Engineer & SRE",
                "AT&T Labs",
                &format!("{INTRO}\n\nYou bring\n\n- Rust & Tokio\n- Kubernetes in production"),
                Method::JsonLd,
            )
        );
    }

    #[test]
    fn invalid_json_in_one_script_then_a_wrapped_good_one() {
        let broken = json_ld(r#"{"@type": "JobPosting", "title": "Broken", "#);
        let wrapped = json_ld(&format!("<!--//<![CDATA[\n{};\n//]]>-->", posting_json("")));
        let html = page(&format!("{broken}{wrapped}"), "");
        assert_eq!(
            extract_job(&html, &url("https://example.com/")),
            acme_json_ld_job()
        );
    }

    #[test]
    fn raw_line_breaks_in_a_json_string_are_kept_as_lines() {
        let json = format!(
            "{{\"@type\": \"JobPosting\", \"title\": \"Senior Rust Engineer\",\n\
             \"hiringOrganization\": \"Acme Robotics\",\n\
             \"description\": \"{INTRO}\n\n\n{ROLE}\"}}"
        );
        let html = page(&json_ld(&json), "");
        assert_eq!(
            extract_job(&html, &url("https://example.com/")),
            acme_json_ld_job()
        );
    }

    #[test]
    fn meta_fallback() {
        let head = format!(
            r#"<title>ignored</title>
               <meta property="og:title" content="Data Analyst | Globex Careers">
               <meta property="og:site_name" content="Globex">
               <meta property="og:description" content="{INTRO} {ROLE}">
               <meta name="description" content="Short.">"#
        );
        let html = page(&head, "<p>Apply below.</p>");
        assert_eq!(
            extract_job(&html, &url("https://careers.globex.com/jobs/7")),
            extracted(
                "Data Analyst",
                "Globex",
                &format!("{INTRO} {ROLE}"),
                Method::Meta
            )
        );
    }

    #[test]
    fn main_content_fallback_skips_chrome_and_ignores_a_header_sign_in_link() {
        let body = format!(
            r#"<header><a href="/">Initech</a> <a href="/login">Sign in</a></header>
               <nav><ul><li><a href="/jobs">All jobs</a></li><li><a href="/about">About</a></li></ul></nav>
               <main>
                 <h1>Backend   Developer</h1>
                 <div class="posting-meta">Austin, TX</div>
                 <div class="job-description">
                   <p>{INTRO}</p>
                   <h2>What you will do</h2>
                   <ul><li>Own the billing API</li><li>Review code<br>daily</li></ul>
                   <script>track("view")</script>
                   <form><input type="email" placeholder="Get job alerts"><button>Subscribe</button></form>
                 </div>
               </main>
               <aside class="company-description">{ROLE} {ROLE}</aside>
               <footer>© Initech</footer>"#
        );
        let html = page("<title>Backend Developer - Initech Jobs</title>", &body);
        assert_eq!(
            extract_job(&html, &url("https://jobs.initech.com/postings/9")),
            extracted(
                "Backend Developer",
                "Initech",
                &format!(
                    "{INTRO}\n\nWhat you will do\n\n- Own the billing API\n- Review code\ndaily"
                ),
                Method::MainContent,
            )
        );
    }

    #[test]
    fn body_fallback_takes_the_title_suffix_off() {
        let body = format!("<div><div>{INTRO}</div><div>{ROLE}</div></div>");
        let html = page("<title>Site Reliability Engineer | Hooli</title>", &body);
        assert_eq!(
            extract_job(&html, &url("https://www.hooli.co.uk/careers/1")),
            extracted(
                "Site Reliability Engineer",
                "Hooli",
                &format!("{INTRO}\n{ROLE}"),
                Method::MainContent,
            )
        );
    }

    #[test]
    fn article_header_heading_is_the_title_but_a_banner_logo_is_not() {
        let body = format!(
            r#"<header><h1>Hooli</h1></header>
               <div class="wrapper"><article><header><h1>Product Designer</h1><p>Remote</p></header>
               <p>{INTRO}</p><p>{ROLE}</p></article></div>"#
        );
        let html = page("<title>Careers at Hooli</title>", &body);
        assert_eq!(
            extract_job(&html, &url("https://hooli.com/careers/designer")),
            extracted(
                "Product Designer",
                "Hooli",
                &format!("{INTRO}\n\n{ROLE}"),
                Method::MainContent,
            )
        );
    }

    #[test]
    fn sign_up_wall_url_needs_manual_input() {
        let body = format!("<main><p>{INTRO}</p><p>{ROLE}</p></main>");
        assert_eq!(
            extract_job(
                &page("", &body),
                &url("https://www.linkedin.com/signup/cold-join?session_redirect=%2Fjobs")
            ),
            PageVerdict::NeedsManual("the page asks you to sign in".into())
        );
    }

    #[test]
    fn json_ld_title_is_kept_when_the_description_comes_from_the_page() {
        let json = r#"{"@type": "JobPosting", "title": "Staff Engineer",
                       "hiringOrganization": {"name": "Acme Robotics"}, "description": "Join us!"}"#;
        let body = format!("<h1>Careers</h1><article><p>{INTRO}</p><p>{ROLE}</p></article>");
        let html = page(&json_ld(json), &body);
        assert_eq!(
            extract_job(&html, &url("https://acme.com/jobs/1")),
            extracted(
                "Staff Engineer",
                "Acme Robotics",
                &format!("{INTRO}\n\n{ROLE}"),
                Method::MainContent,
            )
        );
    }

    #[test]
    fn short_description_needs_manual_input() {
        let json =
            r#"{"@type": "JobPosting", "title": "Barista", "description": "<p>Make coffee.</p>"}"#;
        let html = page(
            &json_ld(json),
            "<main><h1>Barista</h1><p>Make coffee.</p></main>",
        );
        assert_eq!(
            extract_job(&html, &url("https://cafe.example/jobs/1")),
            short_reason()
        );
    }

    #[test]
    fn linkedin_authwall_needs_manual_input() {
        let head = r#"<title>Sign Up | LinkedIn</title>
            <meta name="description" content="500 million+ members | Manage your professional identity.">"#;
        let body = r#"<header><a href="/">LinkedIn</a></header>
            <main><section class="authwall-join-form">
              <h1>Join to apply for the Senior Engineer role at Acme</h1>
              <p>Make the most of your professional life. By clicking Agree &amp; Join, you agree to
                 the LinkedIn User Agreement, Privacy Policy and Cookie Policy.</p>
              <form><input type="email" name="email"><input type="password" name="password">
                <button>Agree &amp; Join</button></form>
              <p>Already on LinkedIn? <a href="/login">Sign in</a></p>
            </section></main>"#;
        let verdict = PageVerdict::NeedsManual("the page asks you to sign in".into());
        assert_eq!(
            extract_job(
                &page(head, body),
                &url("https://www.linkedin.com/jobs/view/123")
            ),
            verdict
        );
        assert_eq!(
            extract_job(
                &page(head, body),
                &url("https://www.linkedin.com/authwall?trk=gf&sessionRedirect=x")
            ),
            verdict
        );
    }

    #[test]
    fn sign_in_prompt_wins_over_a_short_site_blurb() {
        let head = format!(r#"<meta property="og:description" content="{INTRO} {ROLE}">"#);
        let body = "<main><p>Please sign in to view this job.</p></main>";
        assert_eq!(
            extract_job(&page(&head, body), &url("https://acme.com/jobs/3")),
            PageVerdict::NeedsManual("the page asks you to sign in".into())
        );
    }

    #[test]
    fn good_json_ld_wins_over_a_sign_in_header_and_login_modal() {
        let body = r#"<header><a href="/login">Sign in</a></header>
            <div class="modal" hidden><form><p>Please log in</p><input type="password"></form></div>
            <main><h1>Senior Rust Engineer</h1><p>See below.</p></main>"#;
        let html = page(&json_ld(&posting_json("")), body);
        assert_eq!(
            extract_job(&html, &url("https://jobs.acme.com/42")),
            acme_json_ld_job()
        );
    }

    #[test]
    fn javascript_shell_needs_manual_input() {
        let head = r#"<title>Careers</title><script src="/static/runtime.js"></script>
            <script src="/static/vendor.js"></script>"#;
        let body = r#"<noscript>You need to enable JavaScript to run this app.</noscript>
            <div id="root"></div><script src="/static/main.js"></script>"#;
        assert_eq!(
            extract_job(&page(head, body), &url("https://careers.acme.com/job/5")),
            PageVerdict::NeedsManual(
                "the page is rendered by JavaScript and has no job description in its HTML".into()
            )
        );
    }

    #[test]
    fn a_short_static_page_is_not_called_a_script_shell() {
        let html = page(
            "<title>Job</title>",
            "<h1>Job</h1><p>Contact us for details.</p>",
        );
        assert_eq!(
            extract_job(&html, &url("https://acme.com/j")),
            short_reason()
        );
    }

    #[test]
    fn html_to_text_keeps_plain_text() {
        assert_eq!(
            html_to_text("  Line one  with\tspaces \n\n\n\nLine two &amp; more, salary < 50k\n"),
            "Line one with spaces\n\nLine two & more, salary < 50k"
        );
    }

    #[test]
    fn html_to_text_structures_blocks_and_lists() {
        let html = "<h2>About</h2><p>Hello&nbsp;<b>wide</b>\n   world</p><ul><li>One</li>\
            <li><p>Two</p><ul><li>Nested</li></ul></li></ul><p>a<br>b<br><br>c</p>\
            <script>x()</script><style>p {}</style><table><tr><td>Pay</td><td>$90k</td></tr></table>";
        assert_eq!(
            html_to_text(html),
            "About\n\nHello wide world\n\n- One\n- Two\n  - Nested\n\na\nb\n\nc\n\nPay $90k"
        );
    }

    #[test]
    fn html_to_text_reads_the_body_of_a_whole_document() {
        let html = "<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head>\
            <body><div>Hi</div><!-- note --><div>there</div></body></html>";
        assert_eq!(html_to_text(html), "Hi\nthere");
    }

    #[test]
    fn html_to_text_survives_very_deep_nesting() {
        let html = format!("{}deep{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
        assert_eq!(html_to_text(&html), "deep");
    }

    #[test]
    fn host_label_takes_the_registrable_label() {
        assert_eq!(host_label(&url("https://jobs.acme.co.uk/x")), "acme");
        assert_eq!(host_label(&url("https://www.initech.com/")), "initech");
        assert_eq!(host_label(&url("http://localhost:8080/")), "localhost");
        assert_eq!(host_label(&url("http://10.0.0.1/")), "10.0.0.1");
    }
}

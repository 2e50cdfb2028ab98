//! Pages that are not a posting, whatever text they carry: an application form, a listing of
//! several jobs, a bot challenge. Each is refused with its reason (the user pastes the posting's
//! own link, or types the fields in) so that no form label or banner is stored as a job.

use super::*;

pub const FORM_REASON: &str =
    "the page is an application form, not the job posting: paste the posting's own link";
pub(super) const LISTING_REASON: &str =
    "the page lists several jobs: paste the link of the one you are applying to";
pub(super) const CHALLENGE_REASON: &str =
    "the site showed a bot check instead of the page; copy the details in by hand";

/// Path segments of application pages (`…/apply`, `…/applications/new`, `…/bewerben`).
const APPLY_SEGMENTS: &[&str] = &[
    "apply",
    "application",
    "applications",
    "bewerben",
    "bewerbung",
    "candidature",
    "postuler",
    "solicitar",
];

/// Text outside forms below this, on a page with an application form, is the form's page.
const FORM_PAGE_MAX_TEXT_CHARS: usize = 1000;
/// Fields that make a form an application (name, email, phone, links, letters).
const APPLICATION_MIN_FIELDS: usize = 5;

/// Phrases of bot checks (Cloudflare, PerimeterX, Akamai, DataDome, captchas).
const CHALLENGE_PHRASES: &[&str] = &[
    "checking your browser",
    "just a moment...",
    "verify you are human",
    "verifying you are human",
    "are you a robot",
    "press & hold",
    "please enable cookies and reload",
    "attention required! | cloudflare",
    "access to this page has been denied",
    "request unsuccessful. incapsula",
    "captcha-delivery.com",
];
/// A bot-check page is short: a real page that mentions one of the phrases is longer.
const CHALLENGE_MAX_TEXT_CHARS: usize = 2000;

/// Headings of a careers page that lists jobs.
const LISTING_HEADINGS: &[&str] = &[
    "careers",
    "jobs",
    "open positions",
    "open roles",
    "current openings",
    "job openings",
    "join us",
    "join our team",
    "work with us",
    "stellenangebote",
    "offene stellen",
    "karriere",
    "emplois",
    "offres d'emploi",
];
/// Links to distinct job pages that make a page a listing.
const LISTING_MIN_JOB_LINKS: usize = 5;

static FIELDS: LazyLock<Selector> = LazyLock::new(|| selector("input, textarea, select"));
static LINKS: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));

/// The posting an application step belongs to: the address without its `apply` part
/// (`jobs.lever.co/acme/123/apply` → `…/acme/123`, `…/jobs/x/applications/new` → `…/jobs/x`),
/// when something is left of the path.
pub fn posting_url_of(apply_url: &Url) -> Option<Url> {
    let segments: Vec<&str> = apply_url.path_segments()?.collect();
    let at = segments
        .iter()
        .position(|s| APPLY_SEGMENTS.contains(&s.to_ascii_lowercase().as_str()))?;
    let kept = &segments[..at];
    if kept.iter().all(|s| s.is_empty()) {
        return None;
    }
    let mut posting = apply_url.clone();
    posting.set_path(&kept.join("/"));
    posting.set_fragment(None);
    Some(posting)
}

/// Whether the URL's path names an application step.
pub(super) fn is_apply_url(page_url: &Url) -> bool {
    page_url
        .path_segments()
        .into_iter()
        .flatten()
        .any(|segment| APPLY_SEGMENTS.contains(&segment.to_ascii_lowercase().as_str()))
}

/// A field a person fills in (not hidden, not a button).
fn is_fillable(field: ElementRef<'_>) -> bool {
    let kind = field
        .value()
        .attr("type")
        .unwrap_or("text")
        .trim()
        .to_ascii_lowercase();
    !matches!(
        kind.as_str(),
        "hidden" | "submit" | "button" | "reset" | "image" | "search"
    )
}

/// A page whose substance is an application form: a resume upload or many fields, and little
/// readable text besides.
fn is_form_page(doc: &Html) -> bool {
    let fields: Vec<ElementRef<'_>> = doc.select(&FIELDS).filter(|f| is_fillable(*f)).collect();
    let uploads = fields
        .iter()
        .filter(|f| {
            f.value()
                .attr("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("file"))
        })
        .count();
    if uploads == 0 && fields.len() < APPLICATION_MIN_FIELDS {
        return false;
    }
    let outside_forms = render_text(body(doc), |el| {
        is_unreadable(el.value()) || el.value().name() == "form"
    });
    char_count(&outside_forms) < FORM_PAGE_MAX_TEXT_CHARS
}

fn is_challenge(doc: &Html, visible: &str) -> bool {
    let title = doc
        .select(&TITLE)
        .next()
        .map(|t| inline_text_of(t).to_lowercase())
        .unwrap_or_default();
    char_count(visible) < CHALLENGE_MAX_TEXT_CHARS
        && CHALLENGE_PHRASES
            .iter()
            .any(|p| visible.contains(p) || title.contains(p))
}

/// Whether an address looks like one job's page (`/jobs/123`, `/job/…`, `/positions/…`).
fn is_job_link(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    [
        "/job/",
        "/jobs/",
        "/position",
        "/vacanc",
        "/stelle",
        "/careers/",
        "/offre",
    ]
    .iter()
    .any(|p| lower.contains(p))
        && lower
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .is_some_and(|last| last.len() > 3)
}

fn is_listing(doc: &Html, postings: &[Posting]) -> bool {
    if postings.len() >= 2 {
        return true;
    }
    let heading = first_heading(body(doc)).unwrap_or_default().to_lowercase();
    if !LISTING_HEADINGS.iter().any(|h| heading.trim() == *h) {
        return false;
    }
    let mut links: Vec<&str> = doc
        .select(&LINKS)
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| is_job_link(href))
        .collect();
    links.sort_unstable();
    links.dedup();
    links.len() >= LISTING_MIN_JOB_LINKS
}

/// A bot check, or several postings at once: checked before anything is read.
/// `visible` is the page's visible text, lowercased (`visible_text`).
pub(super) fn blocked_or_listing(
    doc: &Html,
    visible: &str,
    postings: &[Posting],
) -> Option<&'static str> {
    if is_challenge(doc, visible) {
        return Some(CHALLENGE_REASON);
    }
    (postings.len() >= 2).then_some(LISTING_REASON)
}

/// Why a page without a full JSON-LD posting is not a posting, if it is not one.
pub(super) fn not_a_posting(
    doc: &Html,
    page_url: &Url,
    postings: &[Posting],
) -> Option<&'static str> {
    if is_apply_url(page_url) || is_form_page(doc) {
        return Some(FORM_REASON);
    }
    is_listing(doc, postings).then_some(LISTING_REASON)
}

//! Turning a job URL into a posting: fetch through the guarded client, extract off the async
//! threads, and (for updates) the background job that does it and records the outcome.

use std::time::Duration;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use super::application::{self, STATUS_FAILED, STATUS_NEEDS_MANUAL, STATUS_SUCCESS};
use super::page::{ExtractedJob, FORM_REASON, PageVerdict, posting_url_of};
use super::vendors;
use crate::db;
use crate::queue::worker::{JobError, kinds};
use crate::queue::{Claim, NewJob};
use crate::sandbox::SandboxError;
use crate::sandbox::protocol::{Answer, Task};
use crate::state::AppState;

/// How long one page may take to parse: real pages take milliseconds.
const PAGE_TIME_LIMIT: Duration = Duration::from_secs(10);
/// Why a page that crashed or outlasted its parser needs the fields typed in.
pub const UNREADABLE_PAGE_REASON: &str = "the page is too complex to read";

/// What became of an attempt to read a job page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extraction {
    Found(ExtractedJob),
    /// The user must fill the fields in, for this reason.
    NeedsManual(String),
    /// Something unexpected broke (the extractor panicked).
    Failed(String),
}

/// Fetches `url` and extracts the posting; an application form's URL is followed to the
/// posting it belongs to.
pub async fn extract_from_url(state: &AppState, url: &str) -> Extraction {
    let reader = PageReader::Sandboxed(state);
    read_posting(&state.fetcher, &state.config.vendor_apis, url, reader).await
}

/// How a page's HTML is parsed: in a parser child (users' URLs), or in this process (the
/// evaluation, whose pages are known).
#[derive(Clone, Copy)]
enum PageReader<'a> {
    Sandboxed(&'a AppState),
    InProcess(&'a crate::fetch::PageFetcher),
}

impl PageReader<'_> {
    async fn read(self, url: &str) -> Extraction {
        match self {
            PageReader::Sandboxed(state) => extract_page(state, url).await,
            PageReader::InProcess(fetcher) => read_page_in_process(fetcher, url).await,
        }
    }
}

/// A posting from its vendor's API when the URL is a known board, else from the page, following
/// an application form's URL to its posting once.
async fn read_posting(
    fetcher: &crate::fetch::PageFetcher,
    apis: &vendors::VendorApis,
    url: &str,
    reader: PageReader<'_>,
) -> Extraction {
    if let Some(job) = vendors::read(fetcher, apis, url).await {
        return Extraction::Found(job);
    }
    let first = reader.read(url).await;
    match follow_to_posting(&first, url) {
        Some(posting) => match reader.read(posting.as_str()).await {
            found @ Extraction::Found(_) => found,
            _ => first,
        },
        None => first,
    }
}

/// The posting to read instead, when `url` gave an application form.
fn follow_to_posting(outcome: &Extraction, url: &str) -> Option<url::Url> {
    match outcome {
        Extraction::NeedsManual(reason) if reason == FORM_REASON => {
            posting_url_of(&url::Url::parse(url).ok()?)
        }
        _ => None,
    }
}

async fn extract_page(state: &AppState, url: &str) -> Extraction {
    let page = match state.fetcher.fetch_page(url).await {
        Ok(page) => page,
        Err(err) => return Extraction::NeedsManual(err.to_string()),
    };
    // The HTML is a stranger's: it is parsed in a parser child, under a time limit.
    let task = Task::JobPage {
        url: page.url.to_string(),
    };
    let parsed = state
        .sandbox
        .run(task, page.html.as_bytes(), PAGE_TIME_LIMIT)
        .await;
    // The URL is the user's; the host is enough to find the page that broke the parser.
    let host = || page.url.host_str().map(str::to_owned);
    match parsed {
        Ok((
            Answer::Page {
                verdict: Some(PageVerdict::Extracted(job)),
                ..
            },
            _,
        )) => Extraction::Found(job),
        Ok((
            Answer::Page {
                verdict: Some(PageVerdict::NeedsManual(reason)),
                ..
            },
            _,
        )) => Extraction::NeedsManual(reason),
        Ok((Answer::Page { verdict: None, .. }, _)) => {
            tracing::error!(host = host(), "job-page extraction panicked");
            Extraction::Failed("the page could not be processed".into())
        }
        Ok(_) | Err(SandboxError::Crashed(_) | SandboxError::TimedOut(_)) => {
            tracing::warn!(host = host(), "job page broke or outlasted its parser");
            Extraction::NeedsManual(UNREADABLE_PAGE_REASON.into())
        }
        Err(SandboxError::Unavailable(_)) => {
            Extraction::Failed("pages cannot be read right now".into())
        }
    }
}

/// Reads a posting in this process, without the parser children: for the evaluation, whose
/// pages are known. Production reads go through `extract_from_url`.
pub async fn read_in_process(fetcher: &crate::fetch::PageFetcher, url: &str) -> Extraction {
    let reader = PageReader::InProcess(fetcher);
    read_posting(fetcher, &vendors::VendorApis::default(), url, reader).await
}

async fn read_page_in_process(fetcher: &crate::fetch::PageFetcher, url: &str) -> Extraction {
    let page = match fetcher.fetch_page(url).await {
        Ok(page) => page,
        Err(err) => return Extraction::NeedsManual(err.to_string()),
    };
    match super::page::extract_job(&page.html, &page.url) {
        PageVerdict::Extracted(job) => Extraction::Found(job),
        PageVerdict::NeedsManual(reason) => Extraction::NeedsManual(reason),
    }
}

/// The job that re-extracts a user's application after its URL changed.
pub fn extraction_job(application_id: i64, url: &str, owner_id: i64) -> NewJob {
    NewJob::new(
        kinds::TRACKER_EXTRACT,
        json!({"application_id": application_id, "url": url}),
    )
    .owned_by(owner_id)
}

/// Runs one re-extraction and records the outcome, unless the application has changed its URL
/// since (a newer job owns it then) or is gone.
pub async fn run_extraction_job(
    state: &AppState,
    claim: &Claim,
    payload: &Value,
) -> Result<(), JobError> {
    let (Some(id), Some(url)) = (
        payload.get("application_id").and_then(Value::as_i64),
        payload.get("url").and_then(Value::as_str),
    ) else {
        return Err(JobError::permanent(format!("bad payload {payload}")));
    };
    let outcome = extract_from_url(state, url).await;
    let mut update = application::ActiveModel::default();
    match outcome {
        Extraction::Found(job) => {
            if !job.title.is_empty() {
                update.job_title = Set(job.title);
            }
            if !job.company.is_empty() {
                update.company_name = Set(job.company);
            }
            update.job_description = Set(job.description);
            update.extraction_status = Set(STATUS_SUCCESS.into());
            update.extraction_error = Set(String::new());
            update.extraction_method = Set(Some(job.method.as_str().into()));
            update.details = Set(json!(job.details));
        }
        Extraction::NeedsManual(reason) => {
            update.extraction_status = Set(STATUS_NEEDS_MANUAL.into());
            update.extraction_error = Set(reason);
        }
        Extraction::Failed(reason) => {
            update.extraction_status = Set(STATUS_FAILED.into());
            update.extraction_error = Set(reason);
        }
    }
    update.updated_at = Set(db::now());
    // Only while the application still has this URL (a newer update has its own job), and
    // only under this run's claim.
    let txn = claim
        .begin_result(state.db.writer(), state.clock.now_utc())
        .await?;
    application::Entity::update_many()
        .set(update)
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::JobUrl.eq(url))
        .exec(&txn)
        .await?;
    claim.commit_result(txn).await
}

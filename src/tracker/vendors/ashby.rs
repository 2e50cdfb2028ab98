//! Ashby's job board API: `GET /posting-api/job-board/{org}`, every job of the board, the one
//! asked for picked by id.

use serde_json::Value;

use super::{job, name_from_slug, some, text};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails, html_to_text};

pub(super) fn posting(answer: &Value, org: &str, id: &str) -> Option<ExtractedJob> {
    let posting = answer
        .get("jobs")
        .and_then(Value::as_array)?
        .iter()
        .find(|j| j.get("id").and_then(Value::as_str) == Some(id))?;
    let html = text(posting, "descriptionHtml");
    let description = if html.is_empty() {
        text(posting, "descriptionPlain")
    } else {
        html_to_text(&html)
    };
    job(
        text(posting, "title"),
        name_from_slug(org),
        description,
        Method::AshbyApi,
        PostingDetails {
            location: some(posting, "/location"),
            remote: posting.get("isRemote").and_then(Value::as_bool),
            employment_type: some(posting, "/employmentType"),
            salary: some(posting, "/compensation/compensationTierSummary"),
            date_posted: some(posting, "/publishedAt"),
            seniority: None,
        },
    )
}

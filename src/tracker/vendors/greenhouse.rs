//! Greenhouse's job board API: `GET /v1/boards/{board}/jobs/{id}`, the description HTML-escaped.

use serde_json::Value;

use super::{job, name_from_slug, some, text};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails, html_to_text};

/// Greenhouse escapes the description's HTML (`&lt;p&gt;`); unescaped, it is turned into text.
pub(super) fn posting(answer: &Value, board: &str) -> Option<ExtractedJob> {
    let content = text(answer, "content");
    let unescaped = html_to_text(&content);
    let description = if unescaped.contains('<') {
        html_to_text(&unescaped)
    } else {
        unescaped
    };
    let company = Some(text(answer, "company_name"))
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| name_from_slug(board));
    job(
        text(answer, "title"),
        company,
        description,
        Method::GreenhouseApi,
        PostingDetails {
            location: some(answer, "/location/name"),
            date_posted: some(answer, "/first_published").or_else(|| some(answer, "/updated_at")),
            ..PostingDetails::default()
        },
    )
}

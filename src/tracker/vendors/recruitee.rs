//! Recruitee's careers site API: `GET {company}.recruitee.com/api/offers/`, every offer, the one
//! asked for picked by slug.

use serde_json::Value;

use super::{job, some, text};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails, html_to_text};

/// Recruitee's offers: the one with the slug, its description and requirements.
pub(super) fn posting(answer: &Value, slug: &str) -> Option<ExtractedJob> {
    let offer = answer
        .get("offers")
        .and_then(Value::as_array)?
        .iter()
        .find(|o| o.get("slug").and_then(Value::as_str) == Some(slug))?;
    let description = [text(offer, "description"), text(offer, "requirements")]
        .iter()
        .map(|html| html_to_text(html))
        .filter(|part| !part.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    job(
        text(offer, "title"),
        text(offer, "company_name"),
        description,
        Method::RecruiteeApi,
        PostingDetails {
            location: some(offer, "/location"),
            remote: offer.get("remote").and_then(Value::as_bool),
            employment_type: some(offer, "/employment_type_code"),
            salary: None,
            date_posted: some(offer, "/published_at"),
            seniority: None,
        },
    )
}

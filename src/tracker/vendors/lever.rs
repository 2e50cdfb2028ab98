//! Lever's postings API: `GET /v0/postings/{company}/{id}`, the description, its lists and the
//! closing text.

use serde_json::Value;

use super::{job, name_from_slug, some, text};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails, html_to_text};

/// Lever's description, its lists (requirements, responsibilities) and closing text, in order.
pub(super) fn posting(answer: &Value, company: &str) -> Option<ExtractedJob> {
    let mut parts = vec![html_to_text(&text(answer, "description"))];
    for list in answer
        .get("lists")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let heading = text(list, "text");
        let items = html_to_text(&format!("<ul>{}</ul>", text(list, "content")));
        parts.push(format!("{heading}\n\n{items}"));
    }
    parts.push(html_to_text(&text(answer, "additional")));
    let description = parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    job(
        text(answer, "text"),
        name_from_slug(company),
        description,
        Method::LeverApi,
        PostingDetails {
            location: some(answer, "/categories/location"),
            remote: some(answer, "/workplaceType").map(|w| w.eq_ignore_ascii_case("remote")),
            employment_type: some(answer, "/categories/commitment"),
            salary: answer.get("salaryRange").and_then(|r| {
                Some(format!(
                    "{} {}\u{2013}{} per {}",
                    some(r, "/currency")?,
                    some(r, "/min")?,
                    some(r, "/max")?,
                    some(r, "/interval").unwrap_or_else(|| "year".into())
                ))
            }),
            date_posted: answer
                .get("createdAt")
                .and_then(Value::as_i64)
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|at| at.date_naive().to_string()),
            seniority: None,
        },
    )
}

//! BambooHR's careers site: `GET /careers/{id}/detail` answers the opening as JSON
//! (`result.jobOpening`), the description as HTML.

use serde_json::Value;

use super::{job, name_from_slug, some, text};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails, html_to_text};

pub(super) fn posting(answer: &Value, company: &str) -> Option<ExtractedJob> {
    let opening = answer.pointer("/result/jobOpening")?;
    let location = [
        "/location/city",
        "/location/state",
        "/location/addressCountry",
    ]
    .iter()
    .filter_map(|pointer| some(opening, pointer))
    .collect::<Vec<_>>();
    let employer = some(answer, "/meta/companyName")
        .or_else(|| some(opening, "/companyName"))
        .unwrap_or_else(|| name_from_slug(company));
    job(
        text(opening, "jobOpeningName"),
        employer,
        html_to_text(&text(opening, "description")),
        Method::BambooHrApi,
        PostingDetails {
            location: (!location.is_empty()).then(|| location.join(", ")),
            remote: opening.get("isRemote").and_then(Value::as_bool),
            employment_type: some(opening, "/employmentStatusLabel"),
            salary: some(opening, "/compensation"),
            date_posted: some(opening, "/datePosted"),
            seniority: some(opening, "/minimumExperience"),
        },
    )
}

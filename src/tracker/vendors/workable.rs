//! Workable's public job API: `GET /api/v2/accounts/{account}/jobs/{shortcode}`, the description,
//! requirements and benefits as HTML.

use serde_json::Value;

use super::{job, name_from_slug, sections, some, text};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails};

pub(super) fn posting(answer: &Value, account: &str) -> Option<ExtractedJob> {
    let description = sections([
        ("", text(answer, "description")),
        ("Requirements", text(answer, "requirements")),
        ("Benefits", text(answer, "benefits")),
    ]);
    let location = ["/location/city", "/location/region", "/location/country"]
        .iter()
        .filter_map(|pointer| some(answer, pointer))
        .collect::<Vec<_>>();
    let remote = answer
        .get("remote")
        .and_then(Value::as_bool)
        .or_else(|| some(answer, "/workplace").map(|w| w.eq_ignore_ascii_case("remote")));
    job(
        text(answer, "title"),
        some(answer, "/company/name").unwrap_or_else(|| name_from_slug(account)),
        description,
        Method::WorkableApi,
        PostingDetails {
            location: (!location.is_empty()).then(|| location.join(", ")),
            remote,
            employment_type: some(answer, "/employment_type").or_else(|| some(answer, "/type")),
            salary: None,
            date_posted: some(answer, "/published"),
            seniority: some(answer, "/experience"),
        },
    )
}

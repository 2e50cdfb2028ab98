//! SmartRecruiters' posting API: `GET /v1/companies/{company}/postings/{id}`, the job ad's
//! sections.

use serde_json::Value;

use super::{job, name_from_slug, some, text};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails, html_to_text};

/// SmartRecruiters' job ad: the job's own sections in order (the company blurb left out).
pub(super) fn posting(answer: &Value, company: &str) -> Option<ExtractedJob> {
    let sections = answer.pointer("/jobAd/sections")?;
    let description = ["jobDescription", "qualifications", "additionalInformation"]
        .iter()
        .filter_map(|key| sections.get(*key))
        .map(|section| {
            let heading = text(section, "title");
            let body = html_to_text(&text(section, "text"));
            if heading.is_empty() {
                body
            } else {
                format!("{heading}\n\n{body}")
            }
        })
        .filter(|part| !part.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let employer = answer
        .pointer("/company/name")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| name_from_slug(company));
    job(
        text(answer, "name"),
        employer,
        description,
        Method::SmartRecruitersApi,
        PostingDetails {
            location: some(answer, "/location/city").map(|city| {
                match some(answer, "/location/country") {
                    Some(country) => format!("{city}, {}", country.to_uppercase()),
                    None => city,
                }
            }),
            remote: answer.pointer("/location/remote").and_then(Value::as_bool),
            employment_type: some(answer, "/typeOfEmployment/label"),
            salary: None,
            date_posted: some(answer, "/releasedDate"),
            seniority: None,
        },
    )
}

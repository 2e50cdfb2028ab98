//! Personio's XML job feed (`/xml?language=en` on the company's jobs host): every open position,
//! the one asked for picked by id; its description is a list of named HTML sections.

use super::xml::{RecordExt, records};
use super::{job, name_from_slug, sections};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails};

pub(super) fn posting(feed: &str, company: &str, id: &str) -> Option<ExtractedJob> {
    let position = records(feed, "position")
        .into_iter()
        .find(|p| p.first("id").as_deref() == Some(id))?;
    // A section is a `name` followed by its `value`.
    let mut parts: Vec<(String, String)> = Vec::new();
    for (path, text) in &position {
        match path.as_str() {
            "jobDescriptions/jobDescription/name" => {
                parts.push((text.trim().to_owned(), String::new()))
            }
            "jobDescriptions/jobDescription/value" => match parts.last_mut() {
                Some((_, value)) if value.is_empty() => value.clone_from(text),
                _ => parts.push((String::new(), text.clone())),
            },
            _ => {}
        }
    }
    let description = sections(
        parts
            .iter()
            .map(|(name, value)| (name.as_str(), value.clone())),
    );
    let mut offices = position.all("office");
    offices.extend(position.all("additionalOffices/office"));
    let employment = [position.first("schedule"), position.first("employmentType")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    job(
        position.first("name").unwrap_or_default(),
        position
            .first("subcompany")
            .unwrap_or_else(|| name_from_slug(company)),
        description,
        Method::PersonioFeed,
        PostingDetails {
            location: (!offices.is_empty()).then(|| offices.join("; ")),
            remote: None,
            employment_type: (!employment.is_empty()).then(|| employment.join(", ")),
            salary: None,
            date_posted: position.first("createdAt"),
            seniority: position.first("seniority"),
        },
    )
}

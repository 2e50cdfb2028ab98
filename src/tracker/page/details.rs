//! What a posting says besides its text, when the source gives it: where, whether remote, the
//! employment type, the salary and when it was posted (schema.org `JobPosting` fields; the vendor
//! adapters fill the same struct from their APIs).

use super::*;

/// A posting's facts; every field absent when the source does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PostingDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employment_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_posted: Option<String>,
    /// The level the source states apart from the title (Personio's `seniority`, schema.org's
    /// `experienceRequirements`); the analysis reads it when the title names no level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seniority: Option<String>,
}

/// No details at all: for postings typed in by hand.
pub static NO_DETAILS: PostingDetails = PostingDetails {
    location: None,
    remote: None,
    employment_type: None,
    salary: None,
    date_posted: None,
    seniority: None,
};

fn string_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(one_line(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().filter_map(string_of).collect();
            (!joined.is_empty()).then(|| joined.join(", "))
        }
        _ => None,
    }
}

/// "Berlin, BE, DE" from a `Place` (or a list of them, or a plain string).
fn location_of(value: &Value) -> Option<String> {
    match value {
        Value::Array(places) => {
            let all: Vec<String> = places.iter().filter_map(location_of).collect();
            (!all.is_empty()).then(|| all.join("; "))
        }
        Value::Object(place) => {
            let address = place.get("address").unwrap_or(value);
            if let Some(text) = address.as_str() {
                return Some(one_line(text));
            }
            let parts: Vec<String> = ["addressLocality", "addressRegion", "addressCountry"]
                .iter()
                .filter_map(|k| address.get(*k))
                .filter_map(|v| v.get("name").and_then(string_of).or_else(|| string_of(v)))
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        other => string_of(other),
    }
}

/// "EUR 60000–80000 per YEAR" from a `MonetaryAmount`.
fn salary_of(value: &Value) -> Option<String> {
    let currency = value
        .get("currency")
        .and_then(string_of)
        .unwrap_or_default();
    let amount = value.get("value").unwrap_or(value);
    let range = match (amount.get("minValue"), amount.get("maxValue")) {
        (Some(min), Some(max)) => format!("{}\u{2013}{}", string_of(min)?, string_of(max)?),
        _ => amount
            .get("value")
            .and_then(string_of)
            .or_else(|| string_of(amount))?,
    };
    let unit = amount
        .get("unitText")
        .and_then(string_of)
        .map(|u| format!(" per {u}"))
        .unwrap_or_default();
    Some(format!("{currency} {range}{unit}").trim().to_owned())
}

/// schema.org's `monthsOfExperience` as the level it usually means.
fn months_as_level(months: &Value) -> Option<String> {
    let months = months
        .as_f64()
        .or_else(|| months.as_str()?.trim().parse().ok())?;
    Some(
        match months {
            m if m < 12.0 => "entry-level",
            m if m < 60.0 => "experienced",
            _ => "senior",
        }
        .to_owned(),
    )
}

/// The details of a JSON-LD `JobPosting`.
pub(super) fn json_ld_details(object: &Map<String, Value>) -> PostingDetails {
    let remote = object
        .get("jobLocationType")
        .and_then(string_of)
        .map(|t| t.eq_ignore_ascii_case("TELECOMMUTE"));
    PostingDetails {
        location: object.get("jobLocation").and_then(location_of),
        remote,
        employment_type: object.get("employmentType").and_then(string_of),
        salary: object.get("baseSalary").and_then(salary_of),
        date_posted: object.get("datePosted").and_then(string_of),
        seniority: object.get("experienceRequirements").and_then(|e| {
            e.get("monthsOfExperience")
                .and_then(months_as_level)
                .or_else(|| string_of(e))
        }),
    }
}

//! Teamtailor's career-site RSS feed (`/jobs.rss`): every published job, the one asked for picked
//! by the id its link carries (`/jobs/{id}-{slug}`); the employer is the feed's title.

use super::xml::{RecordExt, records};
use super::{job, leading_digits, name_from_slug, sections};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails};

pub(super) fn posting(feed: &str, company: &str, id: &str) -> Option<ExtractedJob> {
    let item = records(feed, "item").into_iter().find(|item| {
        item.first("link")
            .or_else(|| item.first("guid"))
            .is_some_and(|link| id_in_link(&link) == id)
    })?;
    let employer = records(feed, "channel")
        .first()
        .and_then(|channel| channel.first("title"))
        .map(|title| feed_owner(&title))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| name_from_slug(company));
    let mut places = item.all("locations/location/name");
    if places.is_empty() {
        places = item.all("locations/location/city");
    }
    job(
        item.first("title").unwrap_or_default(),
        employer,
        sections([("", item.first("description").unwrap_or_default())]),
        Method::TeamtailorFeed,
        PostingDetails {
            location: (!places.is_empty()).then(|| places.join("; ")),
            // `fully` remote or `none`; `hybrid` and `temporary` say neither.
            remote: match item.first("remoteStatus").as_deref() {
                Some("fully") => Some(true),
                Some("none") => Some(false),
                _ => None,
            },
            employment_type: None,
            salary: None,
            date_posted: item.first("pubDate"),
            seniority: None,
        },
    )
}

/// The job id in a Teamtailor link: `https://acme.teamtailor.com/jobs/123-engineer` → `123`.
fn id_in_link(link: &str) -> String {
    link.split("/jobs/")
        .nth(1)
        .map(leading_digits)
        .unwrap_or_default()
}

/// A feed title as the company's name: "Jobs at Acme" / "Acme - Jobs" / "Acme careers" → "Acme".
fn feed_owner(title: &str) -> String {
    let mut name = title.trim();
    for prefix in ["Jobs at ", "Careers at ", "Career at "] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest;
        }
    }
    for suffix in [
        " - Jobs",
        " – Jobs",
        " Jobs",
        " - Careers",
        " careers",
        " Careers",
    ] {
        if let Some(rest) = name.strip_suffix(suffix) {
            name = rest;
        }
    }
    name.trim().to_owned()
}

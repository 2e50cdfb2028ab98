//! Workday's candidate-experience API: every posting page `…/{site}/job/{location}/{title}_{id}`
//! has a JSON twin at `/wday/cxs/{tenant}/{site}/job/{location}/{title}_{id}` on the same host,
//! with the description as HTML and the hiring organization's name.

use serde_json::Value;

use super::{HostedPosting, job, name_from_slug, some, text, without_locale};
use crate::tracker::page::{ExtractedJob, Method, PostingDetails, html_to_text};

/// The posting a Workday path names (after any locale): `{site}/job/…` or `{site}/details/…`,
/// an application page (`…/apply`, `…/apply/applyManually`) meaning its posting.
pub(super) fn recognize(host: String, tenant: String, parts: &[String]) -> Option<HostedPosting> {
    let [site, kind, rest @ ..] = without_locale(parts) else {
        return None;
    };
    if kind != "job" && kind != "details" {
        return None;
    }
    let posting: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .take_while(|segment| *segment != "apply")
        .collect();
    if posting.is_empty() || tenant.is_empty() {
        return None;
    }
    Some(HostedPosting::Workday {
        host,
        tenant,
        site: site.clone(),
        path: format!("job/{}", posting.join("/")),
    })
}

pub(super) fn posting(answer: &Value, tenant: &str) -> Option<ExtractedJob> {
    let info = answer.get("jobPostingInfo")?;
    let employer =
        some(answer, "/hiringOrganization/name").unwrap_or_else(|| name_from_slug(tenant));
    let mut locations: Vec<String> = some(info, "/location").into_iter().collect();
    locations.extend(
        info.get("additionalLocations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned),
    );
    job(
        text(info, "title"),
        employer,
        html_to_text(&text(info, "jobDescription")),
        Method::WorkdayApi,
        PostingDetails {
            location: (!locations.is_empty()).then(|| locations.join("; ")),
            remote: some(info, "/remoteType").map(|r| r.eq_ignore_ascii_case("remote")),
            employment_type: some(info, "/timeType"),
            salary: None,
            // `postedOn` is relative ("Posted 3 Days Ago"); `startDate` is the posting's date.
            date_posted: some(info, "/startDate"),
            seniority: None,
        },
    )
}

//! Hosted job boards read through their vendors' public posting APIs instead of their HTML:
//! the exact title, the employer and the whole description. Greenhouse
//! (`boards.greenhouse.io/{board}/jobs/{id}`, `job-boards.greenhouse.io/…`), Lever
//! (`jobs.lever.co/{company}/{id}`, its `/apply` page too), Ashby (`jobs.ashbyhq.com/{org}/{id}`)
//! SmartRecruiters (`jobs.smartrecruiters.com/{company}/{id}-{slug}`) and Recruitee
//! (`{company}.recruitee.com/o/{slug}`). Every request goes through the guarded fetcher; when the API
//! does not answer, the page itself is read as any other.

use serde_json::Value;
use url::Url;

use super::page::{ExtractedJob, MIN_DESCRIPTION_CHARS, Method, PostingDetails, html_to_text};
use crate::fetch::PageFetcher;

/// Where the vendors' APIs are (tests point them at local servers speaking the same protocol).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VendorApis {
    pub greenhouse: String,
    pub lever: String,
    pub ashby: String,
    pub smartrecruiters: String,
    /// A company's careers site, `{company}` standing for its subdomain.
    pub recruitee: String,
}

impl Default for VendorApis {
    fn default() -> Self {
        VendorApis {
            greenhouse: "https://boards-api.greenhouse.io".into(),
            lever: "https://api.lever.co".into(),
            ashby: "https://api.ashbyhq.com".into(),
            smartrecruiters: "https://api.smartrecruiters.com".into(),
            recruitee: "https://{company}.recruitee.com".into(),
        }
    }
}

/// A posting on a known board, as its vendor's API names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostedPosting {
    Greenhouse { board: String, id: String },
    Lever { company: String, id: String },
    Ashby { org: String, id: String },
    SmartRecruiters { company: String, id: String },
    Recruitee { company: String, slug: String },
}

fn segments(url: &Url) -> Vec<String> {
    url.path_segments()
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The hosted posting a URL is, if its host is a known board.
pub fn recognize(url: &Url) -> Option<HostedPosting> {
    let host = url.host_str()?.to_ascii_lowercase();
    let parts = segments(url);
    match (host.as_str(), parts.as_slice()) {
        ("boards.greenhouse.io" | "job-boards.greenhouse.io", [board, jobs, id, ..])
            if jobs == "jobs" && id.chars().all(|c| c.is_ascii_digit()) =>
        {
            Some(HostedPosting::Greenhouse {
                board: board.clone(),
                id: id.clone(),
            })
        }
        ("jobs.lever.co" | "jobs.eu.lever.co", [company, id, ..]) if id.len() >= 8 => {
            Some(HostedPosting::Lever {
                company: company.clone(),
                id: id.clone(),
            })
        }
        ("jobs.ashbyhq.com", [org, id, ..]) if id.len() >= 8 => Some(HostedPosting::Ashby {
            org: org.clone(),
            id: id.clone(),
        }),
        ("jobs.smartrecruiters.com" | "careers.smartrecruiters.com", [company, posting, ..]) => {
            let id: String = posting.chars().take_while(char::is_ascii_digit).collect();
            (id.len() >= 6).then(|| HostedPosting::SmartRecruiters {
                company: company.clone(),
                id,
            })
        }
        (recruitee, [o, slug, ..]) if recruitee.ends_with(".recruitee.com") && o == "o" => {
            let company = recruitee.trim_end_matches(".recruitee.com");
            (!company.is_empty() && !company.contains('.')).then(|| HostedPosting::Recruitee {
                company: company.to_owned(),
                slug: slug.clone(),
            })
        }
        _ => None,
    }
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// A board's slug as a name: `acme-robotics` → "Acme Robotics".
fn name_from_slug(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Greenhouse escapes the description's HTML (`&lt;p&gt;`); unescaped, it is turned into text.
fn greenhouse(answer: &Value, board: &str) -> Option<ExtractedJob> {
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

/// Lever's description, its lists (requirements, responsibilities) and closing text, in order.
fn lever(answer: &Value, company: &str) -> Option<ExtractedJob> {
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
        },
    )
}

fn ashby(answer: &Value, org: &str, id: &str) -> Option<ExtractedJob> {
    let posting = answer
        .get("jobs")
        .and_then(Value::as_array)?
        .iter()
        .find(|j| j.get("id").and_then(Value::as_str) == Some(id))?;
    let html = text(posting, "descriptionHtml");
    let description = if html.is_empty() {
        text(posting, "descriptionPlain")
    } else {
        html_to_text(&html)
    };
    job(
        text(posting, "title"),
        name_from_slug(org),
        description,
        Method::AshbyApi,
        PostingDetails {
            location: some(posting, "/location"),
            remote: posting.get("isRemote").and_then(Value::as_bool),
            employment_type: some(posting, "/employmentType"),
            salary: some(posting, "/compensation/compensationTierSummary"),
            date_posted: some(posting, "/publishedAt"),
        },
    )
}

/// SmartRecruiters' job ad: the job's own sections in order (the company blurb left out).
fn smartrecruiters(answer: &Value, company: &str) -> Option<ExtractedJob> {
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
        },
    )
}

/// Recruitee's offers: the one with the slug, its description and requirements.
fn recruitee(answer: &Value, slug: &str) -> Option<ExtractedJob> {
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
        },
    )
}

fn job(
    title: String,
    company: String,
    description: String,
    method: Method,
    details: PostingDetails,
) -> Option<ExtractedJob> {
    (!title.is_empty() && description.chars().count() >= MIN_DESCRIPTION_CHARS).then_some(
        ExtractedJob {
            title,
            company,
            description,
            method,
            details,
        },
    )
}

/// A string field, absent when empty.
fn some(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(|v| match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .filter(|s| !s.is_empty())
}

/// The posting from its vendor's API, or `None` to read the page instead (not a known board,
/// or the API gave nothing usable).
pub async fn read(fetcher: &PageFetcher, apis: &VendorApis, url: &str) -> Option<ExtractedJob> {
    let url = Url::parse(url).ok()?;
    let posting = recognize(&url)?;
    let (api_url, vendor) = match &posting {
        HostedPosting::Greenhouse { board, id } => (
            format!("{}/v1/boards/{board}/jobs/{id}", apis.greenhouse),
            "greenhouse",
        ),
        HostedPosting::Lever { company, id } => (
            format!("{}/v0/postings/{company}/{id}", apis.lever),
            "lever",
        ),
        HostedPosting::Ashby { org, .. } => (
            format!(
                "{}/posting-api/job-board/{org}?includeCompensation=true",
                apis.ashby
            ),
            "ashby",
        ),
        HostedPosting::SmartRecruiters { company, id } => (
            format!(
                "{}/v1/companies/{company}/postings/{id}",
                apis.smartrecruiters
            ),
            "smartrecruiters",
        ),
        HostedPosting::Recruitee { company, .. } => (
            format!(
                "{}/api/offers/",
                apis.recruitee.replace("{company}", company)
            ),
            "recruitee",
        ),
    };
    let answer = match fetcher.fetch_json(&api_url).await {
        Ok(answer) => answer,
        Err(err) => {
            tracing::info!(vendor, error = %err, "vendor API gave nothing; reading the page");
            return None;
        }
    };
    match &posting {
        HostedPosting::Greenhouse { board, .. } => greenhouse(&answer, board),
        HostedPosting::Lever { company, .. } => lever(&answer, company),
        HostedPosting::Ashby { org, id } => ashby(&answer, org, id),
        HostedPosting::SmartRecruiters { company, .. } => smartrecruiters(&answer, company),
        HostedPosting::Recruitee { slug, .. } => recruitee(&answer, slug),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn board_addresses_are_recognized() {
        let of = |u: &str| recognize(&Url::parse(u).unwrap());
        assert_eq!(
            of("https://boards.greenhouse.io/acme/jobs/4012345?gh_src=x"),
            Some(HostedPosting::Greenhouse {
                board: "acme".into(),
                id: "4012345".into()
            })
        );
        assert_eq!(
            of("https://jobs.lever.co/acme/50d2e8ac-2886-489f-b66a-c44ac049fa3a/apply"),
            Some(HostedPosting::Lever {
                company: "acme".into(),
                id: "50d2e8ac-2886-489f-b66a-c44ac049fa3a".into()
            })
        );
        assert_eq!(
            of("https://jobs.ashbyhq.com/acme/0b1c2d3e-aaaa-bbbb-cccc-111122223333"),
            Some(HostedPosting::Ashby {
                org: "acme".into(),
                id: "0b1c2d3e-aaaa-bbbb-cccc-111122223333".into()
            })
        );
        assert_eq!(
            of(
                "https://jobs.smartrecruiters.com/AcmeRobotics/743999912345678-senior-rust-engineer"
            ),
            Some(HostedPosting::SmartRecruiters {
                company: "AcmeRobotics".into(),
                id: "743999912345678".into()
            })
        );
        assert_eq!(
            of("https://acme.recruitee.com/o/backend-engineer"),
            Some(HostedPosting::Recruitee {
                company: "acme".into(),
                slug: "backend-engineer".into()
            })
        );
        assert_eq!(of("https://acme.recruitee.com/"), None);
        assert_eq!(of("https://boards.greenhouse.io/acme"), None);
        assert_eq!(of("https://acme.com/jobs/1"), None);
        assert_eq!(
            name_from_slug("smart-working-solutions"),
            "Smart Working Solutions"
        );
    }
}

//! Hosted job boards read through their vendors' public posting APIs and feeds instead of their
//! HTML: the exact title, the employer, the whole description and the facts beside it. One file
//! per vendor turns its answer into an [`ExtractedJob`]; this module knows the boards' addresses
//! ([`recognize`]) and where each vendor answers ([`VendorApis`]). Every request goes through the
//! guarded fetcher; when a vendor does not answer, the page itself is read as any other.
//!
//! | vendor | posting address | read from |
//! |---|---|---|
//! | Greenhouse | `boards.greenhouse.io/{board}/jobs/{id}` | `boards-api.greenhouse.io/v1/boards/{board}/jobs/{id}` |
//! | Lever | `jobs.lever.co/{company}/{id}[/apply]` | `api.lever.co/v0/postings/{company}/{id}` |
//! | Ashby | `jobs.ashbyhq.com/{org}/{id}` | `api.ashbyhq.com/posting-api/job-board/{org}` |
//! | SmartRecruiters | `jobs.smartrecruiters.com/{company}/{id}-{slug}` | `api.smartrecruiters.com/v1/companies/{company}/postings/{id}` |
//! | Recruitee | `{company}.recruitee.com/o/{slug}` | `{company}.recruitee.com/api/offers/` |
//! | Workday | `{tenant}.wd{N}.myworkdayjobs.com/[{locale}/]{site}/job/…[/apply]` | the same host's `/wday/cxs/{tenant}/{site}/job/…` |
//! | Workable | `apply.workable.com/{account}/j/{shortcode}[/apply]` | `apply.workable.com/api/v2/accounts/{account}/jobs/{shortcode}` |
//! | Personio | `{company}.jobs.personio.de/job/{id}` | the same host's XML feed, `/xml?language=en` |
//! | Teamtailor | `{company}.teamtailor.com/jobs/{id}-{slug}` | the same host's RSS feed, `/jobs.rss` |
//! | BambooHR | `{company}.bamboohr.com/careers/{id}` | the same host's `/careers/{id}/detail` |

mod ashby;
mod bamboohr;
mod greenhouse;
mod lever;
mod personio;
mod recruitee;
mod smartrecruiters;
mod teamtailor;
mod workable;
mod workday;
mod xml;

use serde_json::Value;
use url::Url;

use super::page::{ExtractedJob, MIN_DESCRIPTION_CHARS, Method, PostingDetails};
use crate::fetch::PageFetcher;

/// Where the vendors' APIs are (tests point them at local servers speaking the same protocol).
/// `{company}` stands for a careers site's subdomain, `{host}` for the posting's own host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VendorApis {
    pub greenhouse: String,
    pub lever: String,
    pub ashby: String,
    pub smartrecruiters: String,
    pub recruitee: String,
    pub workday: String,
    pub workable: String,
    pub personio: String,
    pub teamtailor: String,
    pub bamboohr: String,
}

impl Default for VendorApis {
    fn default() -> Self {
        VendorApis {
            greenhouse: "https://boards-api.greenhouse.io".into(),
            lever: "https://api.lever.co".into(),
            ashby: "https://api.ashbyhq.com".into(),
            smartrecruiters: "https://api.smartrecruiters.com".into(),
            recruitee: "https://{company}.recruitee.com".into(),
            workday: "https://{host}".into(),
            workable: "https://apply.workable.com".into(),
            personio: "https://{host}".into(),
            teamtailor: "https://{host}".into(),
            bamboohr: "https://{host}".into(),
        }
    }
}

/// A posting on a known board, as its vendor's API names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostedPosting {
    Greenhouse {
        board: String,
        id: String,
    },
    Lever {
        company: String,
        id: String,
    },
    Ashby {
        org: String,
        id: String,
    },
    SmartRecruiters {
        company: String,
        id: String,
    },
    Recruitee {
        company: String,
        slug: String,
    },
    /// `path` is the posting's path from `job/` on, without a trailing `apply`.
    Workday {
        host: String,
        tenant: String,
        site: String,
        path: String,
    },
    Workable {
        account: String,
        shortcode: String,
    },
    Personio {
        host: String,
        company: String,
        id: String,
    },
    Teamtailor {
        host: String,
        company: String,
        id: String,
    },
    BambooHr {
        host: String,
        company: String,
        id: String,
    },
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
    recognize_api_hosts(&host, &parts).or_else(|| recognize_careers_sites(&host, &parts, url))
}

/// Boards on their vendor's own domain, the company in the path.
fn recognize_api_hosts(host: &str, parts: &[String]) -> Option<HostedPosting> {
    match (host, parts) {
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
            let id = leading_digits(posting);
            (id.len() >= 6).then(|| HostedPosting::SmartRecruiters {
                company: company.clone(),
                id,
            })
        }
        ("apply.workable.com", [account, j, shortcode, ..]) if j == "j" => {
            Some(HostedPosting::Workable {
                account: account.clone(),
                shortcode: shortcode.clone(),
            })
        }
        _ => None,
    }
}

/// Boards on a subdomain per company (`acme.recruitee.com`, `acme.wd5.myworkdayjobs.com`).
fn recognize_careers_sites(host: &str, parts: &[String], url: &Url) -> Option<HostedPosting> {
    let company = host.split('.').next().unwrap_or_default().to_owned();
    let owned = || host.to_owned();
    if let Some(rest) = host.strip_suffix(".recruitee.com") {
        return match parts {
            [o, slug, ..] if o == "o" && !rest.is_empty() && !rest.contains('.') => {
                Some(HostedPosting::Recruitee {
                    company: rest.to_owned(),
                    slug: slug.clone(),
                })
            }
            _ => None,
        };
    }
    if host.ends_with(".myworkdayjobs.com") {
        return workday::recognize(owned(), company, parts);
    }
    if host.ends_with(".myworkdaysite.com") {
        // `wd3.myworkdaysite.com/recruiting/{tenant}/{site}/job/…`: the tenant is in the path.
        return match parts {
            [recruiting, tenant, rest @ ..] if recruiting == "recruiting" => {
                workday::recognize(owned(), tenant.clone(), rest)
            }
            _ => None,
        };
    }
    if host.ends_with(".jobs.personio.de") || host.ends_with(".jobs.personio.com") {
        return match parts {
            [job, id, ..] if job == "job" && is_number(id) => Some(HostedPosting::Personio {
                host: owned(),
                company,
                id: id.clone(),
            }),
            _ => None,
        };
    }
    if host.ends_with(".teamtailor.com") {
        let parts = without_locale(parts);
        return match parts {
            [jobs, posting, ..] if jobs == "jobs" && !leading_digits(posting).is_empty() => {
                Some(HostedPosting::Teamtailor {
                    host: owned(),
                    company,
                    id: leading_digits(posting),
                })
            }
            _ => None,
        };
    }
    if host.ends_with(".bamboohr.com") {
        let id = match parts {
            [careers, id, ..] if careers == "careers" && is_number(id) => Some(id.clone()),
            [jobs, view] if jobs == "jobs" && view == "view.php" => url
                .query_pairs()
                .find(|(k, _)| k == "id")
                .map(|(_, v)| v.into_owned())
                .filter(|id| is_number(id)),
            _ => None,
        };
        return id.map(|id| HostedPosting::BambooHr {
            host: owned(),
            company,
            id,
        });
    }
    None
}

fn leading_digits(text: &str) -> String {
    text.chars().take_while(char::is_ascii_digit).collect()
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// A path without a leading language segment (`en`, `de-DE`, `en-us`).
fn without_locale(parts: &[String]) -> &[String] {
    match parts {
        [first, rest @ ..] if is_locale(first) => rest,
        _ => parts,
    }
}

fn is_locale(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let letters = |b: &[u8]| b.iter().all(u8::is_ascii_alphabetic);
    match bytes.len() {
        2 => letters(bytes),
        5 => letters(&bytes[..2]) && bytes[2] == b'-' && letters(&bytes[3..]),
        _ => false,
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

/// Sections of a posting as text, each under its heading, blank ones left out.
fn sections<'a>(parts: impl IntoIterator<Item = (&'a str, String)>) -> String {
    parts
        .into_iter()
        .map(|(heading, html)| (heading, super::page::html_to_text(&html)))
        .filter(|(_, body)| !body.trim().is_empty())
        .map(|(heading, body)| {
            if heading.is_empty() {
                body.trim().to_owned()
            } else {
                format!("{heading}\n\n{}", body.trim())
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
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

/// What to ask a vendor for, and in which format it answers.
enum Request {
    Json(String),
    Xml(String),
}

/// The API or feed address of `posting`, and the vendor's name for the logs.
fn request_for(apis: &VendorApis, posting: &HostedPosting) -> (Request, &'static str) {
    let on_host = |template: &str, host: &str| template.replace("{host}", host);
    match posting {
        HostedPosting::Greenhouse { board, id } => (
            Request::Json(format!("{}/v1/boards/{board}/jobs/{id}", apis.greenhouse)),
            "greenhouse",
        ),
        HostedPosting::Lever { company, id } => (
            Request::Json(format!("{}/v0/postings/{company}/{id}", apis.lever)),
            "lever",
        ),
        HostedPosting::Ashby { org, .. } => (
            Request::Json(format!(
                "{}/posting-api/job-board/{org}?includeCompensation=true",
                apis.ashby
            )),
            "ashby",
        ),
        HostedPosting::SmartRecruiters { company, id } => (
            Request::Json(format!(
                "{}/v1/companies/{company}/postings/{id}",
                apis.smartrecruiters
            )),
            "smartrecruiters",
        ),
        HostedPosting::Recruitee { company, .. } => (
            Request::Json(format!(
                "{}/api/offers/",
                apis.recruitee.replace("{company}", company)
            )),
            "recruitee",
        ),
        HostedPosting::Workday {
            host,
            tenant,
            site,
            path,
        } => (
            Request::Json(format!(
                "{}/wday/cxs/{tenant}/{site}/{path}",
                on_host(&apis.workday, host)
            )),
            "workday",
        ),
        HostedPosting::Workable { account, shortcode } => (
            Request::Json(format!(
                "{}/api/v2/accounts/{account}/jobs/{shortcode}",
                apis.workable
            )),
            "workable",
        ),
        HostedPosting::Personio { host, .. } => (
            Request::Xml(format!("{}/xml?language=en", on_host(&apis.personio, host))),
            "personio",
        ),
        HostedPosting::Teamtailor { host, .. } => (
            Request::Xml(format!("{}/jobs.rss", on_host(&apis.teamtailor, host))),
            "teamtailor",
        ),
        HostedPosting::BambooHr { host, id, .. } => (
            Request::Json(format!(
                "{}/careers/{id}/detail",
                on_host(&apis.bamboohr, host)
            )),
            "bamboohr",
        ),
    }
}

/// The posting out of its vendor's JSON answer.
fn from_json(posting: &HostedPosting, answer: &Value) -> Option<ExtractedJob> {
    match posting {
        HostedPosting::Greenhouse { board, .. } => greenhouse::posting(answer, board),
        HostedPosting::Lever { company, .. } => lever::posting(answer, company),
        HostedPosting::Ashby { org, id } => ashby::posting(answer, org, id),
        HostedPosting::SmartRecruiters { company, .. } => smartrecruiters::posting(answer, company),
        HostedPosting::Recruitee { slug, .. } => recruitee::posting(answer, slug),
        HostedPosting::Workday { tenant, .. } => workday::posting(answer, tenant),
        HostedPosting::Workable { account, .. } => workable::posting(answer, account),
        HostedPosting::BambooHr { company, .. } => bamboohr::posting(answer, company),
        HostedPosting::Personio { .. } | HostedPosting::Teamtailor { .. } => None,
    }
}

/// The posting out of its vendor's XML feed.
fn from_xml(posting: &HostedPosting, feed: &str) -> Option<ExtractedJob> {
    match posting {
        HostedPosting::Personio { company, id, .. } => personio::posting(feed, company, id),
        HostedPosting::Teamtailor { company, id, .. } => teamtailor::posting(feed, company, id),
        _ => None,
    }
}

/// The posting from its vendor's API, or `None` to read the page instead (not a known board,
/// or the API gave nothing usable).
pub async fn read(fetcher: &PageFetcher, apis: &VendorApis, url: &str) -> Option<ExtractedJob> {
    let url = Url::parse(url).ok()?;
    let posting = recognize(&url)?;
    let (request, vendor) = request_for(apis, &posting);
    let read = match request {
        Request::Json(api) => fetcher
            .fetch_json(&api)
            .await
            .map(|answer| from_json(&posting, &answer)),
        Request::Xml(feed) => fetcher
            .fetch_xml(&feed)
            .await
            .map(|xml| from_xml(&posting, &xml)),
    };
    match read {
        Ok(Some(job)) => Some(job),
        Ok(None) => {
            tracing::info!(
                vendor,
                "vendor API does not hold the posting; reading the page"
            );
            None
        }
        Err(err) => {
            tracing::info!(vendor, error = %err, "vendor API gave nothing; reading the page");
            None
        }
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
        assert_eq!(
            of(
                "https://acme.wd5.myworkdayjobs.com/de-DE/External/job/Berlin/Engineer_R-1/apply/applyManually"
            ),
            Some(HostedPosting::Workday {
                host: "acme.wd5.myworkdayjobs.com".into(),
                tenant: "acme".into(),
                site: "External".into(),
                path: "job/Berlin/Engineer_R-1".into()
            })
        );
        assert_eq!(
            of("https://wd3.myworkdaysite.com/recruiting/acme/Careers/job/Remote/Analyst_JR9"),
            Some(HostedPosting::Workday {
                host: "wd3.myworkdaysite.com".into(),
                tenant: "acme".into(),
                site: "Careers".into(),
                path: "job/Remote/Analyst_JR9".into()
            })
        );
        assert_eq!(of("https://acme.wd5.myworkdayjobs.com/External"), None);
        assert_eq!(
            of("https://apply.workable.com/acme/j/F00BA12345/apply/"),
            Some(HostedPosting::Workable {
                account: "acme".into(),
                shortcode: "F00BA12345".into()
            })
        );
        assert_eq!(
            of("https://acme.jobs.personio.com/job/998877?display=en"),
            Some(HostedPosting::Personio {
                host: "acme.jobs.personio.com".into(),
                company: "acme".into(),
                id: "998877".into()
            })
        );
        assert_eq!(of("https://acme.jobs.personio.de/"), None);
        assert_eq!(
            of("https://acme.teamtailor.com/en/jobs/123456-data-engineer"),
            Some(HostedPosting::Teamtailor {
                host: "acme.teamtailor.com".into(),
                company: "acme".into(),
                id: "123456".into()
            })
        );
        assert_eq!(
            of("https://acme.bamboohr.com/jobs/view.php?id=17&source=x"),
            Some(HostedPosting::BambooHr {
                host: "acme.bamboohr.com".into(),
                company: "acme".into(),
                id: "17".into()
            })
        );
        assert_eq!(of("https://acme.bamboohr.com/careers"), None);
        assert_eq!(of("https://acme.recruitee.com/"), None);
        assert_eq!(of("https://boards.greenhouse.io/acme"), None);
        assert_eq!(of("https://acme.com/jobs/1"), None);
        assert_eq!(
            name_from_slug("smart-working-solutions"),
            "Smart Working Solutions"
        );
    }
}

//! Who is hiring, and the title without them. The employer comes from JSON-LD, then the page
//! title's patterns ("Title at Company", "Company - Title", "Title — Company", "Company: Title"),
//! then `og:site_name`, then the host; a job board's or hosted-application platform's own name
//! (Lever, Personio, Indeed, …) is never the employer. On a platform's host the company is the
//! first path segment (`jobs.lever.co/acme/…` → "acme"), which also tells which side of a title
//! names the employer.

use super::*;

/// Job boards and application platforms, folded (lowercase letters and digits).
const PLATFORMS: &[&str] = &[
    "lever",
    "greenhouse",
    "workable",
    "personio",
    "teamtailor",
    "ashby",
    "ashbyhq",
    "smartrecruiters",
    "recruitee",
    "bamboohr",
    "workday",
    "myworkdayjobs",
    "jobvite",
    "icims",
    "successfactors",
    "umantis",
    "refline",
    "jobindex",
    "weworkremotely",
    "indeed",
    "linkedin",
    "glassdoor",
    "stepstone",
    "monster",
    "ziprecruiter",
    "gem",
    "breezy",
    "breezyhr",
    "jazzhr",
    "jobsch",
    "jobup",
    "xing",
    "welcometothejungle",
    "wellfound",
    "remotive",
    "remoteok",
    "himalayas",
    "dice",
    "simplyhired",
    "taleo",
    "softgarden",
    "join",
    "homerun",
    "pinpoint",
    "comeet",
    "jobylon",
    "rippling",
    "dover",
];

/// Words a board appends to an organisation's name ("Canonical - Jobs", "Acme Careers").
const NAME_SUFFIXES: &[&str] = &[
    "jobs",
    "careers",
    "career",
    "karriere",
    "stellenangebote",
    "jobboard",
    "job board",
    "hiring",
];

/// Lowercase letters and digits only, `&` read as "and": what names are compared by.
pub(super) fn fold(text: &str) -> String {
    text.replace('&', "and")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a name is a board's or platform's own.
pub(super) fn is_platform(name: &str) -> bool {
    let folded = fold(name);
    !folded.is_empty()
        && PLATFORMS
            .iter()
            .any(|p| folded == *p || folded == format!("{p}com"))
}

fn is_platform_host(page_url: &Url) -> bool {
    let host = page_url.host_str().unwrap_or_default().to_ascii_lowercase();
    host.split('.')
        .any(|label| PLATFORMS.contains(&fold(label).as_str()))
}

/// An organisation name without a board's suffix: "Canonical - Jobs" → "Canonical".
pub(super) fn clean_employer(name: &str) -> String {
    let mut name = one_line(name);
    loop {
        let lower = name.to_lowercase();
        let Some(suffix) = NAME_SUFFIXES.iter().find(|s| {
            lower.ends_with(*s)
                && lower.len() > s.len()
                && !lower[..lower.len() - s.len()].ends_with(char::is_alphanumeric)
        }) else {
            break;
        };
        let kept = name[..name.len() - suffix.len()]
            .trim_end_matches([' ', '-', '|', ':', '\u{2013}', '\u{2014}', '\u{b7}'])
            .to_owned();
        if kept.is_empty() {
            break;
        }
        name = kept;
    }
    name
}

/// Names a title's side may be matched against: the site's name, the host's label or, on a
/// platform's host, the company segment of the path.
pub(super) fn employer_hints(page_url: &Url, site_name: &str) -> Vec<String> {
    let mut hints = Vec::new();
    if !site_name.is_empty() && !is_platform(site_name) {
        hints.push(site_name.to_owned());
    }
    if is_platform_host(page_url) {
        if let Some(slug) = page_url.path_segments().and_then(|mut s| s.next()) {
            hints.push(slug.to_owned());
        }
        // `acme.jobs.personio.de`, `acme.teamtailor.com`: the first label is the company.
        if let Some(first) = page_url.host_str().and_then(|h| h.split('.').next())
            && !PLATFORMS.contains(&fold(first).as_str())
            && !matches!(
                first,
                "www" | "jobs" | "careers" | "apply" | "boards" | "job-boards"
            )
        {
            hints.push(first.to_owned());
        }
    } else {
        hints.push(host_label(page_url));
    }
    hints
}

/// Whether one side of a title names the employer a hint stands for: the hint begins with it
/// ("Sonar" for `sonarsource`), or it is the hint and a legal form ("GotSoccer, LLC"), or, for
/// a trailing side (`loose`), it begins with the hint ("BS-Team SA" on `bs-team.ch`).
fn names(side: &str, hints: &[String], loose: bool) -> bool {
    let side = fold(side);
    side.len() >= 2
        && hints
            .iter()
            .map(|h| fold(h))
            .filter(|h| h.len() >= 2)
            .any(|hint| {
                let rest = side.strip_prefix(hint.as_str()).filter(|_| hint.len() >= 3);
                hint.starts_with(&side)
                    || rest.is_some_and(|rest| loose || LEGAL_FORMS.contains(&rest))
            })
}

/// Legal forms after a company's name ("GotSoccer, LLC"), folded.
const LEGAL_FORMS: &[&str] = &[
    "llc", "inc", "ltd", "limited", "gmbh", "ag", "sa", "sarl", "sas", "bv", "nv", "oy", "ab",
    "as", "aps", "plc", "corp", "co", "srl", "spa", "kg", "se",
];

/// A title split into the job and its employer, when one side names the employer: `(title,
/// employer)`. Without a match the title is kept whole.
pub(super) fn split_title(title: &str, hints: &[String]) -> (String, Option<String>) {
    let title = one_line(title);
    for separator in [" - ", " \u{2013} ", " \u{2014} ", " | ", ": ", " \u{b7} "] {
        let Some((left, right)) = title.split_once(separator) else {
            continue;
        };
        let (left, right) = (left.trim(), right.trim());
        if left.is_empty() || right.is_empty() {
            continue;
        }
        if names(left, hints, false) {
            return (right.to_owned(), Some(left.to_owned()));
        }
        if let Some((head, tail)) = title.rsplit_once(separator)
            && names(tail.trim(), hints, true)
            && !head.trim().is_empty()
        {
            return (head.trim().to_owned(), Some(tail.trim().to_owned()));
        }
    }
    if let Some((head, company)) = title.rsplit_once(" at ") {
        let words = company.split_whitespace().count();
        let capitalised = company.trim().starts_with(char::is_uppercase);
        if !head.trim().is_empty() && (1..=5).contains(&words) && capitalised {
            return (head.trim().to_owned(), Some(company.trim().to_owned()));
        }
    }
    (title, None)
}

/// The employer and the cleaned title, from what the page offers.
pub(super) struct Named {
    pub(super) title: Option<String>,
    pub(super) company: String,
}

/// Resolves the employer (JSON-LD, title patterns, site name, host) and strips it from the
/// title.
pub(super) fn name_posting(
    page_url: &Url,
    site_name: &str,
    json_ld_company: &str,
    title: Option<String>,
    tag_title: Option<String>,
) -> Named {
    let mut hints = employer_hints(page_url, site_name);
    let from_json_ld =
        Some(clean_employer(json_ld_company)).filter(|c| !c.is_empty() && !is_platform(c));
    if let Some(company) = &from_json_ld {
        hints.insert(0, company.clone());
    }
    let (title, from_title) = match title {
        Some(title) => {
            let (title, company) = split_title(&title, &hints);
            (Some(title), company)
        }
        None => (None, None),
    };
    let from_tag = tag_title.and_then(|tag| split_title(&tag, &hints).1);
    let from_site = Some(site_name.to_owned()).filter(|s| !s.is_empty() && !is_platform(s));
    let from_host = if is_platform_host(page_url) {
        hints
            .into_iter()
            .find(|h| !h.is_empty())
            .map(|slug| capitalise(&slug))
    } else {
        Some(capitalise(&host_label(page_url)))
    };
    let company = from_json_ld
        .or(from_title.filter(|c| !is_platform(c)))
        .or(from_tag.filter(|c| !is_platform(c)))
        .or(from_site)
        .or(from_host)
        .unwrap_or_default();
    Named {
        title,
        company: clean_employer(&company),
    }
}

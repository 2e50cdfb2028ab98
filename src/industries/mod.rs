//! Industries: one vocabulary for users and job postings, the employer → industry map
//! (`data/companies.tsv`, described in `data/companies.md`), a job-title fallback, years of
//! experience per industry from a work history (`years`), and the industry match of a user
//! against a posting (`matching`).

pub mod breneo_tags;
pub mod matching;
pub mod years;

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;
use utoipa::ToSchema;

const COMPANIES_TSV: &str = include_str!("../../data/companies.tsv");

/// The industry tags careerhub uses everywhere (stored lowercase, as the Breneo frontend does).
pub const VOCABULARY: &[&str] = &[
    "fintech",
    "banking",
    "insurance",
    "investment",
    "e-commerce",
    "retail",
    "saas",
    "enterprise-software",
    "consumer-internet",
    "social-media",
    "gaming",
    "healthcare",
    "healthtech",
    "biotech",
    "pharma",
    "edtech",
    "education",
    "telecom",
    "semiconductors",
    "hardware",
    "automotive",
    "aerospace-defense",
    "energy",
    "logistics",
    "travel-hospitality",
    "media-entertainment",
    "consulting",
    "government",
    "real-estate",
    "food-beverage",
    "manufacturing",
    "cybersecurity",
    "ai",
    "crypto",
    "adtech",
    "marketplace",
    "mobility",
    "cloud-infrastructure",
    "nonprofit",
];

/// Legal-form words dropped from the end of a company name before matching.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "sa",
    "plc",
    "bv",
    "nv",
    "oy",
    "ab",
    "as",
    "srl",
    "spa",
    "pty",
    "pvt",
    "group",
    "holdings",
    "holding",
];

/// How an experience's industry was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ResolvedBy {
    /// The employer is in the company map.
    Company,
    /// The employer is not, but the job title names an industry.
    Title,
    /// Neither: the experience counts towards no industry.
    Unknown,
}

/// The matching key of a company name: lowercase, `&` as "and", punctuation as spaces, spaces
/// collapsed, trailing legal forms removed ("Acme Holdings, Inc." → "acme").
pub fn company_key(name: &str) -> String {
    key_with(name, true)
}

/// The rule `data/companies.md` states: punctuation deleted rather than spaced ("J.P. Morgan" →
/// "jp morgan", "AT&T" → "atandt"). Lookups try it first, then `company_key`.
fn company_key_joined(name: &str) -> String {
    key_with(name, false)
}

fn key_with(name: &str, punctuation_as_space: bool) -> String {
    let lowered = name
        .to_lowercase()
        .replace('&', if punctuation_as_space { " and " } else { "and" });
    let cleaned: String = lowered
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == ' ' => Some(c),
            _ if punctuation_as_space => Some(' '),
            _ => None,
        })
        .collect();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL_SUFFIXES.contains(w)) {
        words.pop();
    }
    words.join(" ")
}

struct CompanyMap {
    by_key: HashMap<String, &'static str>,
}

fn company_map() -> &'static CompanyMap {
    static MAP: LazyLock<CompanyMap> =
        LazyLock::new(|| CompanyMap::parse(COMPANIES_TSV).expect("data/companies.tsv is valid"));
    &MAP
}

impl CompanyMap {
    fn parse(tsv: &'static str) -> Result<CompanyMap, String> {
        let mut by_key = HashMap::new();
        for (index, line) in tsv.lines().enumerate().skip(1) {
            let line_no = index + 1;
            let columns: Vec<&'static str> = line.split('\t').collect();
            let [name, industry, aliases] = columns[..] else {
                return Err(format!("line {line_no}: expected 3 tab-separated columns"));
            };
            let Some(industry) = VOCABULARY.iter().find(|tag| **tag == industry) else {
                return Err(format!(
                    "line {line_no}: {industry:?} is not in the vocabulary"
                ));
            };
            for text in std::iter::once(name).chain(aliases.split('|').filter(|a| !a.is_empty())) {
                for key in [company_key_joined(text), company_key(text)] {
                    if key.is_empty() {
                        return Err(format!("line {line_no}: {text:?} has an empty key"));
                    }
                    if let Some(previous) = by_key.insert(key.clone(), *industry)
                        && previous != *industry
                    {
                        return Err(format!("line {line_no}: {key:?} maps to two industries"));
                    }
                }
            }
        }
        Ok(CompanyMap { by_key })
    }
}

/// The industry of an employer named in a CV, if the company map knows it.
pub fn industry_of_company(company: &str) -> Option<&'static str> {
    let map = company_map();
    map.by_key
        .get(&company_key_joined(company))
        .or_else(|| map.by_key.get(&company_key(company)))
        .copied()
}

/// Words or phrases in a job title that name an industry, most specific first. A title is
/// matched on whole words, so "bank" does not match "bankruptcy".
const TITLE_KEYWORDS: &[(&str, &str)] = &[
    ("smart contract", "crypto"),
    ("blockchain", "crypto"),
    ("crypto", "crypto"),
    ("machine learning", "ai"),
    ("ml engineer", "ai"),
    ("ai engineer", "ai"),
    ("ai researcher", "ai"),
    ("penetration tester", "cybersecurity"),
    ("security analyst", "cybersecurity"),
    ("security engineer", "cybersecurity"),
    ("soc analyst", "cybersecurity"),
    ("cybersecurity", "cybersecurity"),
    ("game", "gaming"),
    ("games", "gaming"),
    ("gameplay", "gaming"),
    ("level designer", "gaming"),
    ("payments", "fintech"),
    ("fintech", "fintech"),
    ("loan officer", "banking"),
    ("teller", "banking"),
    ("banker", "banking"),
    ("bank", "banking"),
    ("banking", "banking"),
    ("underwriter", "insurance"),
    ("actuary", "insurance"),
    ("claims adjuster", "insurance"),
    ("insurance", "insurance"),
    ("quant", "investment"),
    ("quantitative analyst", "investment"),
    ("trader", "investment"),
    ("portfolio manager", "investment"),
    ("investment", "investment"),
    ("e commerce", "e-commerce"),
    ("ecommerce", "e-commerce"),
    ("store manager", "retail"),
    ("merchandiser", "retail"),
    ("cashier", "retail"),
    ("retail", "retail"),
    ("nurse", "healthcare"),
    ("physician", "healthcare"),
    ("doctor", "healthcare"),
    ("clinical", "healthcare"),
    ("medical", "healthcare"),
    ("pharmacist", "pharma"),
    ("pharmaceutical", "pharma"),
    ("biotech", "biotech"),
    ("instructional designer", "edtech"),
    ("teacher", "education"),
    ("professor", "education"),
    ("lecturer", "education"),
    ("tutor", "education"),
    ("teaching assistant", "education"),
    ("rf engineer", "telecom"),
    ("telecom", "telecom"),
    ("telecommunications", "telecom"),
    ("asic", "semiconductors"),
    ("fpga", "semiconductors"),
    ("vlsi", "semiconductors"),
    ("automotive", "automotive"),
    ("avionics", "aerospace-defense"),
    ("aerospace", "aerospace-defense"),
    ("petroleum", "energy"),
    ("solar", "energy"),
    ("energy", "energy"),
    ("supply chain", "logistics"),
    ("warehouse", "logistics"),
    ("logistics", "logistics"),
    ("hotel", "travel-hospitality"),
    ("flight attendant", "travel-hospitality"),
    ("hospitality", "travel-hospitality"),
    ("journalist", "media-entertainment"),
    ("film", "media-entertainment"),
    ("broadcast", "media-entertainment"),
    ("consultant", "consulting"),
    ("consulting", "consulting"),
    ("civil servant", "government"),
    ("public sector", "government"),
    ("realtor", "real-estate"),
    ("real estate", "real-estate"),
    ("chef", "food-beverage"),
    ("barista", "food-beverage"),
    ("programmatic", "adtech"),
    ("ad operations", "adtech"),
    ("fundraiser", "nonprofit"),
    ("fundraising", "nonprofit"),
];

/// The industry a job title names, when it names one.
pub fn industry_of_title(title: &str) -> Option<&'static str> {
    let words: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let padded = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    TITLE_KEYWORDS
        .iter()
        .find(|(phrase, _)| padded.contains(&format!(" {phrase} ")))
        .map(|(_, industry)| *industry)
}

/// An experience's industry and how it was found: the employer first, then the title.
pub fn resolve(company: &str, job_title: &str) -> (Option<&'static str>, ResolvedBy) {
    if let Some(industry) = industry_of_company(company) {
        (Some(industry), ResolvedBy::Company)
    } else if let Some(industry) = industry_of_title(job_title) {
        (Some(industry), ResolvedBy::Title)
    } else {
        (None, ResolvedBy::Unknown)
    }
}

/// A posting's or a request's industry label in vocabulary form ("E-Commerce" → "e-commerce",
/// "real estate" → "real-estate").
/// Industry names as jobs-data providers give them (TheirStack uses LinkedIn's industry names),
/// lowercased, with the vocabulary tag each means. Names too broad to say (staffing, "IT") are
/// left out: the company map or the title decides those.
const PROVIDER_INDUSTRIES: &[(&str, &str)] = &[
    ("financial services", "fintech"),
    ("banking", "banking"),
    ("insurance", "insurance"),
    ("investment management", "investment"),
    ("investment banking", "investment"),
    ("capital markets", "investment"),
    (
        "venture capital and private equity principals",
        "investment",
    ),
    ("retail", "retail"),
    ("retail apparel and fashion", "retail"),
    ("online and mail order retail", "e-commerce"),
    ("internet marketplace platforms", "marketplace"),
    ("software development", "saas"),
    ("computer software", "saas"),
    ("technology, information and internet", "consumer-internet"),
    ("internet", "consumer-internet"),
    ("social networking platforms", "social-media"),
    ("computer games", "gaming"),
    ("mobile gaming apps", "gaming"),
    ("hospitals and health care", "healthcare"),
    ("medical practices", "healthcare"),
    ("biotechnology research", "biotech"),
    ("biotechnology", "biotech"),
    ("pharmaceutical manufacturing", "pharma"),
    ("e-learning providers", "edtech"),
    ("education", "education"),
    ("higher education", "education"),
    ("primary and secondary education", "education"),
    ("telecommunications", "telecom"),
    ("semiconductor manufacturing", "semiconductors"),
    ("semiconductors", "semiconductors"),
    ("computer hardware manufacturing", "hardware"),
    ("motor vehicle manufacturing", "automotive"),
    ("automotive", "automotive"),
    ("defense and space manufacturing", "aerospace-defense"),
    (
        "aviation and aerospace component manufacturing",
        "aerospace-defense",
    ),
    ("oil and gas", "energy"),
    ("renewable energy power generation", "energy"),
    ("utilities", "energy"),
    (
        "transportation, logistics, supply chain and storage",
        "logistics",
    ),
    ("truck transportation", "logistics"),
    ("hospitality", "travel-hospitality"),
    ("travel arrangements", "travel-hospitality"),
    ("airlines and aviation", "travel-hospitality"),
    ("entertainment providers", "media-entertainment"),
    ("media production", "media-entertainment"),
    (
        "broadcast media production and distribution",
        "media-entertainment",
    ),
    ("business consulting and services", "consulting"),
    ("it services and it consulting", "consulting"),
    ("management consulting", "consulting"),
    ("government administration", "government"),
    ("real estate", "real-estate"),
    ("food and beverage services", "food-beverage"),
    ("food and beverage manufacturing", "food-beverage"),
    ("manufacturing", "manufacturing"),
    ("industrial machinery manufacturing", "manufacturing"),
    ("computer and network security", "cybersecurity"),
    ("advertising services", "adtech"),
    ("non-profit organizations", "nonprofit"),
    ("cloud computing", "cloud-infrastructure"),
];

/// A provider's (or a person's) industry name in careerhub's vocabulary, when it has one:
/// a vocabulary tag as it is, else a known provider name.
pub fn vocabulary_industry(name: &str) -> Option<&'static str> {
    let tag = normalize_tag(name);
    if let Some(known) = VOCABULARY.iter().find(|v| **v == tag) {
        return Some(known);
    }
    let lower = name.trim().to_lowercase();
    PROVIDER_INDUSTRIES
        .iter()
        .find(|(provider, _)| *provider == lower)
        .map(|(_, tag)| *tag)
}

pub fn normalize_tag(raw: &str) -> String {
    raw.trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_company_map_parses_with_at_least_500_employers() {
        let map = CompanyMap::parse(COMPANIES_TSV).unwrap();
        let companies = COMPANIES_TSV.lines().count() - 1;
        assert!(companies >= 500, "{companies}");
        assert!(map.by_key.len() >= companies);
    }

    #[test]
    fn company_names_match_across_case_punctuation_legal_suffixes_and_aliases() {
        assert_eq!(company_key("Acme Holdings, Inc."), "acme");
        assert_eq!(company_key("AT&T"), "at and t");
        assert_eq!(industry_of_company("STRIPE, INC."), Some("fintech"));
        assert_eq!(industry_of_company("stripe llc"), Some("fintech"));
        assert_eq!(industry_of_company("J.P. Morgan"), Some("banking"));
        assert_eq!(industry_of_company("JPMorgan Chase & Co."), Some("banking"));
        assert_eq!(
            industry_of_company("Amazon Web Services"),
            Some("cloud-infrastructure")
        );
        assert_eq!(industry_of_company("Amazon"), Some("e-commerce"));
        assert_eq!(industry_of_company("TBC Bank"), Some("banking"));
        assert_eq!(industry_of_company("Some Garage Startup"), None);
    }

    #[test]
    fn titles_name_industries_on_whole_words_only() {
        assert_eq!(industry_of_title("Senior Game Developer"), Some("gaming"));
        assert_eq!(industry_of_title("Bank Teller"), Some("banking"));
        assert_eq!(industry_of_title("Bankruptcy Paralegal"), None);
        assert_eq!(industry_of_title("Machine-Learning Engineer"), Some("ai"));
        assert_eq!(industry_of_title("Software Engineer"), None);
    }

    #[test]
    fn the_company_wins_over_the_title() {
        assert_eq!(
            resolve("Revolut", "Game Developer"),
            (Some("fintech"), ResolvedBy::Company)
        );
        assert_eq!(
            resolve("Tiny Studio", "Game Developer"),
            (Some("gaming"), ResolvedBy::Title)
        );
        assert_eq!(
            resolve("Tiny Studio", "Developer"),
            (None, ResolvedBy::Unknown)
        );
    }
}

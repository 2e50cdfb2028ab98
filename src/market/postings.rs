//! Job postings: what an ingested posting must hold (`store` writes them) and the spec's
//! lookups (by skills, by keywords and location, recent).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{job_posting, rollups};
use crate::industries;
use crate::skills;

const MAX_TITLE_CHARS: usize = 500;
const MAX_COMPANY_CHARS: usize = 300;
const MAX_URL_CHARS: usize = 2000;
const MAX_TEXT_CHARS: usize = 300;
const MAX_DESCRIPTION_CHARS: usize = 100_000;
const MAX_SLUGS: usize = 200;
/// Bounded so a rollup key stays well inside an index entry.
const MAX_SLUG_CHARS: usize = 100;

/// A posting as a source gives it, in careerhub's own shape (the import formats and the
/// provider client map theirs onto this).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct PostingInput {
    pub job_id: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub company: String,
    pub company_domain: Option<String>,
    /// The company's industry as the source names it; mapped onto careerhub's vocabulary.
    pub company_industry: Option<String>,
    pub location: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub technology_slugs: Vec<String>,
    /// When absent, derived from `technology_slugs` through the skills taxonomy.
    pub skills: Option<Vec<String>>,
    #[serde(default)]
    pub url: String,
    pub search_keywords: Option<String>,
    pub search_location: Option<String>,
    pub date_posted: Option<DateTime<Utc>>,
    pub min_annual_salary_usd: Option<i64>,
    pub max_annual_salary_usd: Option<i64>,
    pub remote: Option<bool>,
    pub coordinates: Option<Value>,
    /// When the source first saw the posting (a backfill's history); new postings only, never
    /// later than now. Absent: now.
    pub scraped_at: Option<DateTime<Utc>>,
}

/// A posting that passed validation, with its derived fields.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidPosting {
    pub(super) input: PostingInput,
    pub(super) skills: Vec<String>,
    pub(super) company_industry: Option<String>,
}

/// Checks what every posting needs and derives normalized skills and the company's industry.
/// The error says what is wrong, for an import's report.
pub fn validate(mut input: PostingInput) -> Result<ValidPosting, String> {
    input.title = input.title.trim().to_owned();
    input.company = input.company.trim().to_owned();
    input.url = input.url.trim().to_owned();
    input.job_id = input
        .job_id
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty());
    require_text("title", &input.title, MAX_TITLE_CHARS)?;
    require_text("company", &input.company, MAX_COMPANY_CHARS)?;
    require_text("url", &input.url, MAX_URL_CHARS)?;
    if !crate::validate::is_web_url(&input.url) {
        return Err(format!("url is not an http(s) URL: {}", input.url));
    }
    for (field, value) in [
        ("location", &input.location),
        ("search_keywords", &input.search_keywords),
        ("search_location", &input.search_location),
        ("company_domain", &input.company_domain),
    ] {
        if value
            .as_ref()
            .is_some_and(|v| v.chars().count() > MAX_TEXT_CHARS)
        {
            return Err(format!(
                "{field} is longer than {MAX_TEXT_CHARS} characters"
            ));
        }
    }
    if input
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
    {
        return Err(format!(
            "description is longer than {MAX_DESCRIPTION_CHARS} characters"
        ));
    }
    if input.technology_slugs.len() > MAX_SLUGS {
        return Err(format!("more than {MAX_SLUGS} technology_slugs"));
    }
    let tags = input.skills.iter().flatten().chain(&input.technology_slugs);
    if let Some(long) = tags
        .into_iter()
        .find(|t| t.chars().count() > MAX_SLUG_CHARS)
    {
        return Err(format!(
            "a skill or technology slug is longer than {MAX_SLUG_CHARS} characters: {long}"
        ));
    }
    refuse_nul(&input)?;
    if let (Some(min), Some(max)) = (input.min_annual_salary_usd, input.max_annual_salary_usd)
        && (min < 0 || max < min)
    {
        return Err(format!("salary range {min}–{max} is not valid"));
    }
    let skills = normalize_skills(input.skills.as_deref().unwrap_or(&input.technology_slugs));
    let company_industry = posting_industry(input.company_industry.as_deref(), &input.company);
    Ok(ValidPosting {
        input,
        skills,
        company_industry,
    })
}

/// PostgreSQL's text and jsonb cannot hold U+0000: refused here, by name, on both engines,
/// rather than failing the whole batch it came in on.
fn refuse_nul(input: &PostingInput) -> Result<(), String> {
    let texts = [
        ("job_id", input.job_id.as_deref()),
        ("title", Some(input.title.as_str())),
        ("company", Some(input.company.as_str())),
        ("company_domain", input.company_domain.as_deref()),
        ("company_industry", input.company_industry.as_deref()),
        ("location", input.location.as_deref()),
        ("description", input.description.as_deref()),
        ("url", Some(input.url.as_str())),
        ("search_keywords", input.search_keywords.as_deref()),
        ("search_location", input.search_location.as_deref()),
    ];
    let tags = input.skills.iter().flatten().chain(&input.technology_slugs);
    let nul = texts
        .into_iter()
        .chain(tags.map(|tag| ("skills or technology_slugs", Some(tag.as_str()))))
        .find(|(_, text)| text.is_some_and(|t| t.contains('\0')))
        .map(|(field, _)| field)
        .or_else(|| {
            input
                .coordinates
                .as_ref()
                .is_some_and(json_holds_nul)
                .then_some("coordinates")
        });
    match nul {
        Some(field) => Err(format!("{field} contains a NUL character (U+0000)")),
        None => Ok(()),
    }
}

/// Whether any string or key anywhere in `value` holds U+0000.
fn json_holds_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(json_holds_nul),
        Value::Object(fields) => fields
            .iter()
            .any(|(key, item)| key.contains('\0') || json_holds_nul(item)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

fn require_text(field: &str, value: &str, max: usize) -> Result<(), String> {
    if value.is_empty() {
        Err(format!("{field} is required"))
    } else if value.chars().count() > max {
        Err(format!("{field} is longer than {max} characters"))
    } else {
        Ok(())
    }
}

/// Skills as Career Navigator shows them: the taxonomy's canonical name, lowercased, or the tag
/// itself lowercased; each once, in order.
pub fn normalize_skills(tags: &[String]) -> Vec<String> {
    let mut normalized: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let name = skill_identity(tag);
        if !normalized.contains(&name) {
            normalized.push(name);
        }
    }
    normalized
}

/// Which skill a tag names: the taxonomy's canonical name, lowercased, or the tag itself
/// lowercased (`k8s` and `Kubernetes` are both `kubernetes`).
pub fn skill_identity(tag: &str) -> String {
    let tag = tag.trim();
    skills::taxonomy()
        .lookup(tag)
        .map_or_else(|| tag.to_lowercase(), |s| s.name.to_lowercase())
}

/// The source's industry in our vocabulary (directly or by a provider's name for it), else the
/// company map's.
fn posting_industry(source: Option<&str>, company: &str) -> Option<String> {
    source
        .and_then(industries::vocabulary_industry)
        .or_else(|| industries::industry_of_company(company))
        .map(str::to_owned)
}

/// Postings requiring any of these skills (normalized names), newest first.
pub async fn jobs_by_skills(
    conn: &impl ConnectionTrait,
    wanted: &[String],
    limit: u64,
) -> Result<Vec<job_posting::Model>, DbErr> {
    let wanted = normalize_skills(wanted);
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    job_posting::Entity::find()
        .filter(names_any_skill(conn, wanted))
        .order_by_desc(job_posting::Column::ScrapedAt)
        .order_by_desc(job_posting::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}

/// `EXISTS` one of `skills` (normalized) in the posting's skills, a JSON array on both engines.
pub(super) fn names_any_skill(conn: &impl ConnectionTrait, skills: Vec<String>) -> Expr {
    let backend = conn.get_database_backend();
    let elements = match backend {
        DbBackend::Postgres => "jsonb_array_elements_text(job_postings.skills) AS s(value)",
        _ => "json_each(job_postings.skills) AS s",
    };
    // A custom expression numbers its own PostgreSQL placeholders from $1; sea-query shifts them.
    let marks: Vec<String> = (1..=skills.len())
        .map(|n| rollups::placeholder(backend, n))
        .collect();
    let marks = marks.join(", ");
    let values: Vec<sea_orm::Value> = skills.into_iter().map(Into::into).collect();
    Expr::cust_with_values(
        format!("EXISTS (SELECT 1 FROM {elements} WHERE s.value IN ({marks}))"),
        values,
    )
}

/// Postings whose title or search keywords contain `keywords`, optionally in a location, any
/// case; newest first.
pub async fn jobs_by_keywords(
    conn: &impl ConnectionTrait,
    keywords: &str,
    location: Option<&str>,
    limit: u64,
) -> Result<Vec<job_posting::Model>, DbErr> {
    let pattern = contains_pattern(keywords);
    let mut query = job_posting::Entity::find().filter(
        lower(job_posting::Column::Title)
            .like(escaped_like(pattern.clone()))
            .or(lower(job_posting::Column::SearchKeywords).like(escaped_like(pattern))),
    );
    if let Some(location) = location.filter(|l| !l.trim().is_empty()) {
        query = query.filter(
            lower(job_posting::Column::Location).like(escaped_like(contains_pattern(location))),
        );
    }
    query
        .order_by_desc(job_posting::Column::ScrapedAt)
        .order_by_desc(job_posting::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}

/// Postings gathered within the last `days`, newest first.
pub async fn recent_jobs(
    conn: &impl ConnectionTrait,
    days: i64,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<job_posting::Model>, DbErr> {
    job_posting::Entity::find()
        .filter(job_posting::Column::ScrapedAt.gte(now - Duration::days(days)))
        .order_by_desc(job_posting::Column::ScrapedAt)
        .order_by_desc(job_posting::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}

pub(super) fn lower(column: job_posting::Column) -> Expr {
    Expr::expr(Func::lower(Expr::col(column)))
}

/// SQLite's LIKE has no escape character unless told; PostgreSQL's is `\` already.
pub(crate) fn escaped_like(pattern: String) -> LikeExpr {
    LikeExpr::new(pattern).escape('\\')
}

/// `%text%` with LIKE's wildcards in the text taken literally.
pub(crate) fn contains_pattern(text: &str) -> String {
    let escaped: String = text
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting() -> PostingInput {
        PostingInput {
            job_id: Some("ts_1".into()),
            title: " Senior Software Engineer ".into(),
            company: "Stripe".into(),
            url: "https://jobs.example.com/1".into(),
            technology_slugs: vec![
                "Python".into(),
                "react-js".into(),
                "k8s".into(),
                "python".into(),
                "homegrown-tool".into(),
            ],
            ..PostingInput::default()
        }
    }

    #[test]
    fn skills_are_normalized_through_the_taxonomy_and_the_slugs_kept_raw() {
        let valid = validate(posting()).unwrap();
        assert_eq!(
            valid.skills,
            ["python", "react", "kubernetes", "homegrown-tool"]
        );
        assert_eq!(valid.input.technology_slugs.len(), 5);
        assert_eq!(valid.input.title, "Senior Software Engineer");
        assert_eq!(valid.company_industry.as_deref(), Some("fintech"));
    }

    #[test]
    fn the_source_industry_is_used_when_it_is_in_the_vocabulary() {
        let mut input = posting();
        input.company = "Unknown Startup".into();
        input.company_industry = Some("E-Commerce".into());
        assert_eq!(
            validate(input.clone()).unwrap().company_industry.as_deref(),
            Some("e-commerce")
        );
        input.company_industry = Some("Financial Services".into());
        assert_eq!(
            validate(input.clone()).unwrap().company_industry.as_deref(),
            Some("fintech")
        );
        input.company_industry = Some("Widgets".into());
        assert_eq!(validate(input).unwrap().company_industry, None);
    }

    #[test]
    fn broken_postings_say_what_is_wrong() {
        let mut no_title = posting();
        no_title.title = "  ".into();
        assert_eq!(validate(no_title).unwrap_err(), "title is required");
        let mut bad_url = posting();
        bad_url.url = "ftp://x".into();
        assert_eq!(
            validate(bad_url).unwrap_err(),
            "url is not an http(s) URL: ftp://x"
        );
        let mut bad_salary = posting();
        bad_salary.min_annual_salary_usd = Some(200_000);
        bad_salary.max_annual_salary_usd = Some(100_000);
        assert_eq!(
            validate(bad_salary).unwrap_err(),
            "salary range 200000–100000 is not valid"
        );
    }

    #[test]
    fn like_wildcards_in_keywords_are_literal() {
        assert_eq!(contains_pattern(" 100% Remote_ "), "%100\\% remote\\_%");
    }
}

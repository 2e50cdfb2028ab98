//! `GET /api/job-postings/`: the posting search behind the frontends' job cards, filtered by
//! text, location, remote and skills, paged with limit/offset; a signed-in user's cards also say
//! how their skills and their industry experience match each posting.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::HeaderName;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::job_posting;
use super::postings::{contains_pattern, escaped_like, lower, names_any_skill, normalize_skills};
use crate::accounts::service::load_account;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, Json, Query};
use crate::industries::matching::{IndustryMatch, industry_match};
use crate::profiles::industry::matching_years;
use crate::state::AppState;

const DEFAULT_LIMIT: u64 = 20;
const MAX_LIMIT: u64 = 100;
const MAX_FILTER_CHARS: usize = 200;
const MAX_FILTER_SKILLS: usize = 20;

/// What a search asks for; every part optional.
#[derive(Debug, Default)]
pub struct PostingFilter {
    /// In the title, the company or the searched role, any case.
    pub text: Option<String>,
    /// In the location, any case.
    pub location: Option<String>,
    pub remote: Option<bool>,
    /// Postings naming any of these (normalized through the taxonomy).
    pub skills: Vec<String>,
    /// Any of these in the title, any case (Breneo's interest chips).
    pub titles: Vec<String>,
    /// Any of these in the location, any case.
    pub locations: Vec<String>,
    /// Any of these in the company name, any case.
    pub companies: Vec<String>,
    /// The searched role is one of these, any case (Breneo's `role_category`).
    pub roles: Vec<String>,
    /// The title says one of these levels (Breneo's seniority filter).
    pub seniority: Vec<Seniority>,
    /// Scraped at or after this.
    pub since: Option<DateTime<Utc>>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
}

/// A job's level as its title states it; postings carry no other level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seniority {
    Intern,
    Junior,
    /// No level word in the title: most postings for an experienced, non-lead engineer.
    Mid,
    Senior,
    Lead,
}

impl Seniority {
    /// `intern`, `junior`, `mid`, `senior` or `lead` (Breneo's values).
    pub fn parse(raw: &str) -> Option<Seniority> {
        Some(match raw.trim().to_ascii_lowercase().as_str() {
            "intern" | "internship" => Seniority::Intern,
            "junior" | "entry" => Seniority::Junior,
            "mid" | "middle" => Seniority::Mid,
            "senior" => Seniority::Senior,
            "lead" => Seniority::Lead,
            _ => return None,
        })
    }

    /// The title words that say this level.
    fn words(self) -> &'static [&'static str] {
        match self {
            Seniority::Intern => &["intern", "trainee"],
            Seniority::Junior => &["junior", "jr", "entry level", "graduate"],
            Seniority::Mid => &["mid", "middle", "intermediate"],
            Seniority::Senior => &["senior", "sr"],
            Seniority::Lead => &["lead", "principal", "staff", "head of"],
        }
    }

    fn title_condition(self) -> Condition {
        let any_word = |words: &[&str]| {
            words
                .iter()
                .fold(Condition::any(), |any, word| any.add(title_says(word)))
        };
        match self {
            // Mid: said outright, or no other level said at all.
            Seniority::Mid => {
                let others = [
                    Seniority::Intern,
                    Seniority::Junior,
                    Seniority::Senior,
                    Seniority::Lead,
                ]
                .iter()
                .fold(Condition::any(), |any, level| {
                    any.add(any_word(level.words()))
                });
                Condition::any()
                    .add(any_word(self.words()))
                    .add(others.not())
            }
            _ => any_word(self.words()),
        }
    }
}

/// The title says `word` as a whole word (`intern` not in "internal", `sr` not in "srs"): the
/// lowercased title with its punctuation made spaces has it alone, first, last or between
/// spaces. Plain `replace` and `LIKE`, so SQLite and PostgreSQL agree.
fn title_says(word: &str) -> Condition {
    use sea_orm::sea_query::{Expr, Func};
    let mut words = lower(job_posting::Column::Title);
    for mark in ["(", ")", "/", "-", ",", ".", "|", ":"] {
        words = Expr::expr(Func::cust("replace").args([words, Expr::val(mark), Expr::val(" ")]));
    }
    Condition::any()
        .add(words.clone().eq(word))
        .add(words.clone().like(escaped_like(format!("{word} %"))))
        .add(words.clone().like(escaped_like(format!("% {word}"))))
        .add(words.like(escaped_like(format!("% {word} %"))))
}

/// One page of matching postings, newest first, and how many match in all.
pub async fn search(
    conn: &impl ConnectionTrait,
    filter: &PostingFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<job_posting::Model>, u64), DbErr> {
    use job_posting::Column;
    let mut condition = Condition::all();
    if let Some(text) = &filter.text {
        let pattern = contains_pattern(text);
        condition = condition.add(
            Condition::any()
                .add(lower(Column::Title).like(escaped_like(pattern.clone())))
                .add(lower(Column::Company).like(escaped_like(pattern.clone())))
                .add(lower(Column::SearchKeywords).like(escaped_like(pattern))),
        );
    }
    if let Some(location) = &filter.location {
        let pattern = escaped_like(contains_pattern(location));
        condition = condition.add(lower(Column::Location).like(pattern));
    }
    if let Some(remote) = filter.remote {
        condition = condition.add(Column::Remote.eq(remote));
    }
    let skills = normalize_skills(&filter.skills);
    if !skills.is_empty() {
        condition = condition.add(names_any_skill(conn, skills));
    }
    let any_of = |column: Column, words: &[String]| {
        words.iter().fold(Condition::any(), |any, word| {
            any.add(lower(column).like(escaped_like(contains_pattern(word))))
        })
    };
    if !filter.titles.is_empty() {
        condition = condition.add(any_of(Column::Title, &filter.titles));
    }
    if !filter.locations.is_empty() {
        condition = condition.add(any_of(Column::Location, &filter.locations));
    }
    if !filter.companies.is_empty() {
        condition = condition.add(any_of(Column::Company, &filter.companies));
    }
    if !filter.roles.is_empty() {
        let roles = filter.roles.iter().map(|role| role.to_lowercase());
        condition = condition.add(lower(Column::SearchKeywords).is_in(roles));
    }
    if !filter.seniority.is_empty() {
        condition = condition.add(
            filter
                .seniority
                .iter()
                .fold(Condition::any(), |any, level| {
                    any.add(level.title_condition())
                }),
        );
    }
    if let Some(since) = filter.since {
        condition = condition.add(Column::ScrapedAt.gte(since));
    }
    let query = job_posting::Entity::find().filter(condition);
    let total = query.clone().count(conn).await?;
    let order = if filter.oldest_first {
        sea_orm::Order::Asc
    } else {
        sea_orm::Order::Desc
    };
    let page = query
        .order_by(Column::ScrapedAt, order.clone())
        .order_by(Column::Id, order)
        .limit(limit)
        .offset(offset)
        .all(conn)
        .await?;
    Ok((page, total))
}

/// How a user's skills cover a posting's.
#[derive(Debug, PartialEq, Serialize, ToSchema)]
pub struct SkillMatch {
    pub matched: Vec<String>,
    pub missing: Vec<String>,
    /// Share of the posting's skills the user has, 0–100, rounded to 2 places.
    pub match_percentage: f64,
}

fn skill_match(posting_skills: &[String], user_skills: &[String]) -> SkillMatch {
    let (matched, missing): (Vec<String>, Vec<String>) = posting_skills
        .iter()
        .cloned()
        .partition(|skill| user_skills.contains(skill));
    let match_percentage = if posting_skills.is_empty() {
        0.0
    } else {
        super::analytics::round2(matched.len() as f64 / posting_skills.len() as f64 * 100.0)
    };
    SkillMatch {
        matched,
        missing,
        match_percentage,
    }
}

/// A job card.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingCard {
    pub id: i64,
    pub job_id: Option<String>,
    pub title: String,
    pub company: String,
    pub company_domain: Option<String>,
    /// The company's industry in careerhub's vocabulary, when known.
    pub company_industry: Option<String>,
    pub location: String,
    pub description: String,
    /// Normalized through the skills taxonomy.
    pub skills: Vec<String>,
    /// As the source tagged them.
    pub technology_slugs: Vec<String>,
    pub url: String,
    pub search_keywords: String,
    pub search_location: String,
    pub date_posted: Option<DateTime<Utc>>,
    pub scraped_at: DateTime<Utc>,
    pub min_annual_salary_usd: Option<i64>,
    pub max_annual_salary_usd: Option<i64>,
    pub remote: Option<bool>,
    /// Signed in: how the user's skills cover the posting's. Anonymous: absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill_match: Option<SkillMatch>,
    /// Signed in: the user's industry experience against the company's industry; `null` when
    /// the company's industry is unknown. Anonymous: absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry_match: Option<Option<IndustryMatch>>,
}

impl From<job_posting::Model> for PostingCard {
    fn from(row: job_posting::Model) -> Self {
        PostingCard {
            id: row.id,
            job_id: row.job_id,
            title: row.title,
            company: row.company,
            company_domain: row.company_domain,
            company_industry: row.company_industry,
            location: row.location,
            description: row.description,
            skills: row.skills.0,
            technology_slugs: row.technology_slugs.0,
            url: row.url,
            search_keywords: row.search_keywords,
            search_location: row.search_location,
            date_posted: row.date_posted,
            scraped_at: row.scraped_at,
            min_annual_salary_usd: row.min_annual_salary_usd,
            max_annual_salary_usd: row.max_annual_salary_usd,
            remote: row.remote,
            skill_match: None,
            industry_match: None,
        }
    }
}

/// Django REST Framework's limit/offset page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingPage {
    pub count: u64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<PostingCard>,
}

/// Job postings for job cards, newest first. The total is also in `X-Total-Count`.
#[utoipa::path(get, path = "/api/job-postings", tag = "career-navigator",
    params(
        ("q" = Option<String>, Query, description = "Text in the title, company or searched role"),
        ("location" = Option<String>, Query, description = "Text in the location"),
        ("remote" = Option<bool>, Query, description = "`true` or `false`"),
        ("skills" = Option<String>, Query, description = "Comma-separated; postings naming any"),
        ("limit" = Option<u64>, Query, description = "1–100, default 20"),
        ("offset" = Option<u64>, Query, description = "default 0"),
    ),
    responses(
        (status = 200, body = PostingPage),
        (status = 400, description = "`{\"detail\": …}` for a bad parameter"),
    ))]
pub async fn search_postings(
    State(state): State<AppState>,
    user: Option<AuthUser>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<impl IntoResponse> {
    let filter = filter_from(&params)?;
    let limit = number_param(&params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?;
    let offset = number_param(&params, "offset", 0, 0, u64::MAX / 2)?;
    let (rows, total) = search(state.db.reader(), &filter, limit, offset).await?;
    let mut cards: Vec<PostingCard> = rows.into_iter().map(PostingCard::from).collect();
    if let Some(user) = user {
        let account = load_account(&state, user.id).await?;
        let (years, source) = matching_years(&state, user.id).await?;
        let user_skills = normalize_skills(&account.skills);
        for card in &mut cards {
            card.skill_match = Some(skill_match(&card.skills, &user_skills));
            card.industry_match = Some(card.company_industry.as_ref().map(|industry| {
                let mut matched = industry_match(&years, std::slice::from_ref(industry));
                matched.years_from = source;
                matched
            }));
        }
    }
    let page_link = |offset: u64| page_url(&params, limit, offset);
    let page = PostingPage {
        count: total,
        next: (offset + limit < total).then(|| page_link(offset + limit)),
        previous: (offset > 0).then(|| page_link(offset.saturating_sub(limit))),
        results: cards,
    };
    Ok((
        [(HeaderName::from_static("x-total-count"), total.to_string())],
        Json(page),
    ))
}

/// The relative link to another page of the same search.
fn page_url(params: &HashMap<String, String>, limit: u64, offset: u64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let mut keys: Vec<&String> = params
        .keys()
        .filter(|k| *k != "limit" && *k != "offset")
        .collect();
    keys.sort();
    for key in keys {
        query.append_pair(key, &params[key]);
    }
    query.append_pair("limit", &limit.to_string());
    query.append_pair("offset", &offset.to_string());
    format!("/api/job-postings/?{}", query.finish())
}

fn filter_from(params: &HashMap<String, String>) -> ApiResult<PostingFilter> {
    let text = |name: &str| -> ApiResult<Option<String>> {
        let value = params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
        match value {
            Some(v) if v.chars().count() > MAX_FILTER_CHARS => Err(ApiError::BadRequest(format!(
                "{name} must be at most {MAX_FILTER_CHARS} characters"
            ))),
            other => Ok(other.map(str::to_owned)),
        }
    };
    let remote = match params.get("remote").map(|v| v.trim().to_ascii_lowercase()) {
        None => None,
        Some(v) if v.is_empty() => None,
        Some(v) if v == "true" || v == "1" => Some(true),
        Some(v) if v == "false" || v == "0" => Some(false),
        Some(_) => {
            return Err(ApiError::BadRequest("remote must be true or false".into()));
        }
    };
    let skills: Vec<String> = text("skills")?
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if skills.len() > MAX_FILTER_SKILLS {
        return Err(ApiError::BadRequest(format!(
            "skills may name at most {MAX_FILTER_SKILLS} skills"
        )));
    }
    Ok(PostingFilter {
        text: text("q")?,
        location: text("location")?,
        remote,
        skills,
        ..PostingFilter::default()
    })
}

pub(super) fn number_param(
    params: &HashMap<String, String>,
    name: &str,
    default: u64,
    min: u64,
    max: u64,
) -> ApiResult<u64> {
    let Some(raw) = params.get(name).filter(|v| !v.trim().is_empty()) else {
        return Ok(default);
    };
    match raw.trim().parse::<u64>() {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        Ok(_) if max < u64::MAX / 2 => Err(ApiError::BadRequest(format!(
            "{name} must be between {min} and {max}"
        ))),
        _ => Err(ApiError::BadRequest(format!(
            "{name} must be a non-negative integer"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skill_match_splits_the_postings_skills() {
        let posting = vec!["python".to_owned(), "aws".to_owned(), "go".to_owned()];
        assert_eq!(
            skill_match(&posting, &["go".to_owned(), "python".to_owned()]),
            SkillMatch {
                matched: vec!["python".into(), "go".into()],
                missing: vec!["aws".into()],
                match_percentage: 66.67,
            }
        );
        assert_eq!(skill_match(&[], &[]).match_percentage, 0.0);
    }

    #[test]
    fn page_links_keep_the_filters() {
        let params = HashMap::from([
            ("q".to_owned(), "rust dev".to_owned()),
            ("offset".to_owned(), "20".to_owned()),
        ]);
        assert_eq!(
            page_url(&params, 20, 40),
            "/api/job-postings/?q=rust+dev&limit=20&offset=40"
        );
    }
}

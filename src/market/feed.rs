//! Breneo's job feed: the routes its job pages call on their "job aggregator" base URL
//! (`/api/search`, `/api/v1/jobs/`, `/api/job-details`, `/api/companies/<name>`, `/api/`), in the
//! shapes they parse, served from careerhub's postings. Each job names its company's industry in
//! `industry_tags` in Breneo's own words (`industries::breneo_tags`), which the job detail page
//! matches against the industry profile for its "Industry Experience Match". The pages send no
//! token; these routes need none.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::job_posting;
use super::search::{PostingFilter, Seniority, number_param, search};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::industries::breneo_tags::breneo_tag;
use crate::state::AppState;
use axum::extract::State;

const DEFAULT_PAGE_SIZE: u64 = 20;
const MAX_PAGE_SIZE: u64 = 100;
const MAX_FILTER_WORDS: usize = 20;
/// `GET /api/` lists at most this many jobs (the skill-path page reads it for market counts).
const MAX_ALL_JOBS: u64 = 500;
const SHORT_DESCRIPTION_CHARS: usize = 300;

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedCompany {
    pub name: String,
    /// careerhub keeps no logos.
    pub logo: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
}

/// A job as Breneo's job pages read it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedJob {
    pub id: i64,
    pub title: String,
    pub company: FeedCompany,
    pub company_name: String,
    pub location: String,
    pub description: String,
    pub description_short: String,
    /// The posting's own page.
    pub apply_url: String,
    pub supports_in_app_apply: bool,
    pub posted_at: chrono::DateTime<Utc>,
    pub fetched_at: chrono::DateTime<Utc>,
    pub is_active: bool,
    /// The company's industry as Breneo's frontend names it, comma-separated (`""` unknown).
    pub industry_tags: String,
    /// The same industry in careerhub's vocabulary.
    pub industry: Option<String>,
    /// `remote` or `on-site`, or `null` when the source does not say.
    pub work_mode: Option<&'static str>,
    pub is_remote: Option<bool>,
    /// The salary as the source gave it (yearly, US dollars), or `null`.
    pub salary: Option<String>,
    pub skills_required: Vec<String>,
    pub role_category: String,
}

impl From<job_posting::Model> for FeedJob {
    fn from(row: job_posting::Model) -> Self {
        let industry = row.company_industry.clone();
        let short: String = row
            .description
            .chars()
            .take(SHORT_DESCRIPTION_CHARS)
            .collect();
        FeedJob {
            id: row.id,
            company: FeedCompany {
                name: row.company.clone(),
                logo: None,
                website: row.company_domain.as_ref().map(|d| format!("https://{d}")),
                industry: industry.clone(),
            },
            company_name: row.company,
            industry_tags: industry
                .as_deref()
                .map(breneo_tag)
                .unwrap_or_default()
                .to_owned(),
            industry,
            title: row.title,
            location: row.location,
            description_short: short,
            description: row.description,
            apply_url: row.url,
            supports_in_app_apply: false,
            posted_at: row.date_posted.unwrap_or(row.scraped_at),
            fetched_at: row.scraped_at,
            is_active: true,
            work_mode: row
                .remote
                .map(|remote| if remote { "remote" } else { "on-site" }),
            is_remote: row.remote,
            salary: salary_text(row.min_annual_salary_usd, row.max_annual_salary_usd),
            skills_required: row
                .skills
                .0
                .iter()
                .map(|skill| display_name(skill))
                .collect(),
            role_category: row.search_keywords,
        }
    }
}

/// A posting's skill (stored as its matching name, `amazon web services`) as the taxonomy
/// writes it (`Amazon Web Services`), which the job pages show as chips.
fn display_name(skill: &str) -> String {
    crate::skills::taxonomy()
        .lookup(skill)
        .map_or_else(|| skill.to_owned(), |known| known.name.clone())
}

fn salary_text(min: Option<i64>, max: Option<i64>) -> Option<String> {
    let dollars = |n: i64| {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        format!("${out}")
    };
    match (min, max) {
        (Some(min), Some(max)) if min != max => {
            Some(format!("{}–{} a year", dollars(min), dollars(max)))
        }
        (Some(one), _) | (None, Some(one)) => Some(format!("{} a year", dollars(one))),
        (None, None) => None,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPagination {
    pub page: u64,
    pub total_pages: u64,
    pub total_results: u64,
    pub has_next: bool,
    pub has_previous: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    pub results: Vec<FeedJob>,
    pub pagination: FeedPagination,
}

fn words(params: &HashMap<String, String>, name: &str) -> ApiResult<Vec<String>> {
    let words: Vec<String> = params
        .get(name)
        .map(|raw| {
            raw.split(',')
                .map(|w| w.trim().to_owned())
                .filter(|w| !w.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if words.len() > MAX_FILTER_WORDS || words.iter().any(|w| w.chars().count() > 200) {
        return Err(ApiError::BadRequest(format!(
            "{name} may name at most {MAX_FILTER_WORDS} values of 200 characters"
        )));
    }
    Ok(words)
}

/// The filter the job pages' query strings ask for.
fn feed_filter(params: &HashMap<String, String>) -> ApiResult<PostingFilter> {
    let text = |name: &str| {
        params
            .get(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty() && v.chars().count() <= 200)
    };
    let mut locations = words(params, "city")?;
    if locations.is_empty() {
        locations = words(params, "location_country")?;
    }
    if locations.is_empty() {
        locations = words(params, "location")?;
    }
    let modes = words(params, "work_mode")?;
    if let Some(other) = modes.iter().find(|m| {
        !["remote", "onsite", "on-site", "hybrid"].contains(&m.to_ascii_lowercase().as_str())
    }) {
        return Err(ApiError::BadRequest(format!(
            "work_mode must be remote, onsite or hybrid, not {other:?}"
        )));
    }
    // Postings say only remote or not: hybrid and on-site jobs are the ones not remote.
    let remote = match (
        modes.iter().any(|m| m.eq_ignore_ascii_case("remote")),
        modes.len(),
    ) {
        (true, 1) => Some(true),
        (false, n) if n > 0 => Some(false),
        _ => None,
    };
    let since = match text("date_posted").as_deref() {
        None => None,
        Some("day") => Some(Utc::now() - Duration::days(1)),
        Some("week") => Some(Utc::now() - Duration::days(7)),
        Some("month") => Some(Utc::now() - Duration::days(30)),
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "date_posted must be day, week or month, not {other:?}"
            )));
        }
    };
    // `recent=true`: fetched in the last day.
    let since = match text("recent").as_deref() {
        None | Some("false") => since,
        Some("true") => Some(Utc::now() - Duration::days(1)).max(since),
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "recent must be true or false, not {other:?}"
            )));
        }
    };
    let seniority = words(params, "seniority")?
        .iter()
        .map(|level| {
            Seniority::parse(level).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "seniority must be intern, junior, mid, senior or lead, not {level:?}"
                ))
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let oldest_first = match text("sort").as_deref() {
        None | Some("newest") | Some("recently_fetched") => false,
        Some("oldest") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "sort must be newest, oldest or recently_fetched, not {other:?}"
            )));
        }
    };
    let mut titles = words(params, "title")?;
    titles.extend(text("title_filter"));
    Ok(PostingFilter {
        text: text("query").or_else(|| text("search")),
        titles,
        locations,
        companies: words(params, "company")?,
        roles: words(params, "role_category")?,
        seniority,
        remote,
        since,
        oldest_first,
        ..PostingFilter::default()
    })
}

async fn feed_page(
    state: &AppState,
    params: &HashMap<String, String>,
    size_param: &str,
) -> ApiResult<FeedPage> {
    let filter = feed_filter(params)?;
    let page = number_param(params, "page", 1, 1, 100_000)?;
    let size = number_param(params, size_param, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)?;
    let (rows, total) = search(state.db.reader(), &filter, size, (page - 1) * size).await?;
    let total_pages = total.div_ceil(size);
    Ok(FeedPage {
        results: rows.into_iter().map(FeedJob::from).collect(),
        pagination: FeedPagination {
            page,
            total_pages,
            total_results: total,
            has_next: page < total_pages,
            has_previous: page > 1,
        },
    })
}

/// Job search: `query` or `title_filter` (title, company or role), `title` (any of,
/// comma-separated, as every list below), `city` or `location_country`, `work_mode`
/// (`remote`, `onsite`, `hybrid`), `seniority` (`intern`, `junior`, `mid`, `senior`, `lead`, read
/// from the title), `company`, `role_category` (exact), `date_posted=day|week|month`,
/// `recent=true` (the last day), `sort=newest|oldest|recently_fetched`, `page` (from 1) and
/// `num_pages` (the page size, despite its name).
#[utoipa::path(get, path = "/api/search", tag = "breneo",
    params(("query" = Option<String>, Query), ("title" = Option<String>, Query), ("city" = Option<String>, Query),
        ("location_country" = Option<String>, Query), ("work_mode" = Option<String>, Query),
        ("seniority" = Option<String>, Query), ("role_category" = Option<String>, Query), ("recent" = Option<bool>, Query),
        ("date_posted" = Option<String>, Query), ("company" = Option<String>, Query), ("sort" = Option<String>, Query),
        ("page" = Option<u64>, Query), ("num_pages" = Option<u64>, Query, description = "Page size, 1–100")),
    responses((status = 200, body = FeedPage), (status = 400, description = "`{\"detail\": …}`")))]
pub async fn search_jobs(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Json<FeedPage>> {
    Ok(Json(feed_page(&state, &params, "num_pages").await?))
}

/// The feed's older listing route (`search`, `page`, `limit`, the same filters).
#[utoipa::path(get, path = "/api/v1/jobs", tag = "breneo",
    params(("search" = Option<String>, Query), ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, body = FeedPage)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Json<FeedPage>> {
    Ok(Json(feed_page(&state, &params, "limit").await?))
}

/// One job, by `job_id`.
#[utoipa::path(get, path = "/api/job-details", tag = "breneo",
    params(("job_id" = i64, Query)),
    responses((status = 200, body = FeedJob), (status = 404, description = "`{\"message\": …}`")))]
pub async fn job_details(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Json<FeedJob>> {
    let not_found = || {
        ApiError::Custom(
            axum::http::StatusCode::NOT_FOUND,
            json!({"message": "Job not found.", "detail": "No Job matches the given query."}),
        )
    };
    let id: i64 = params
        .get("job_id")
        .and_then(|id| id.trim().parse().ok())
        .ok_or_else(not_found)?;
    let row = job_posting::Entity::find_by_id(id)
        .one(state.db.reader())
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(row.into()))
}

/// A company by name: its industry and how many jobs it has.
#[utoipa::path(get, path = "/api/companies/{name}", tag = "breneo", params(("name" = String, Path)),
    responses((status = 200, description = "`{name, company_name, logo, website, industry, jobs}`"),
        (status = 404, description = "No job names this company")))]
pub async fn company(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let rows = job_posting::Entity::find()
        .filter(job_posting::Column::Company.eq(name.trim()))
        .order_by_desc(job_posting::Column::ScrapedAt)
        .limit(MAX_PAGE_SIZE)
        .all(state.db.reader())
        .await?;
    let Some(first) = rows.first() else {
        return Err(ApiError::no_match("Company"));
    };
    let industry = rows.iter().find_map(|row| row.company_industry.clone());
    Ok(Json(json!({
        "name": first.company, "company_name": first.company, "logo": null,
        "website": first.company_domain.as_ref().map(|d| format!("https://{d}")),
        "industry": industry, "industry_tags": industry.as_deref().map(breneo_tag).unwrap_or_default(),
        "jobs": rows.len(),
    })))
}

/// The newest jobs as a plain array (the skill-path page counts demand from it).
#[utoipa::path(get, path = "/api", tag = "breneo",
    responses((status = 200, body = [FeedJob])))]
pub async fn all_jobs(State(state): State<AppState>) -> ApiResult<Json<Vec<FeedJob>>> {
    let (rows, _) = search(
        state.db.reader(),
        &PostingFilter::default(),
        MAX_ALL_JOBS,
        0,
    )
    .await?;
    Ok(Json(rows.into_iter().map(FeedJob::from).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salaries_read_as_yearly_dollars() {
        assert_eq!(
            salary_text(Some(120_000), Some(160_000)).as_deref(),
            Some("$120,000–$160,000 a year")
        );
        assert_eq!(
            salary_text(Some(95_000), None).as_deref(),
            Some("$95,000 a year")
        );
        assert_eq!(salary_text(None, None), None);
    }
}

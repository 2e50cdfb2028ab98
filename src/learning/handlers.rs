//! Career Navigator's learning and projects routes (`docs/career-navigator-learning.md`): the
//! roadmap and project recommendations follow the user's gap for a target role, from the same
//! cached role figures as `/skills/gap-analysis`; the catalog routes search and page the data.

use axum::extract::{RawQuery, State};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::catalog::{LEVELS, LearningResource, RESOURCE_TYPES, catalog};
use super::params::Params;
use super::projects::{self, ProjectIdea, Wants};
use super::roadmap::{self, LearningRoadmap};
use crate::accounts::user::Account;
use crate::db;
use crate::error::ApiResult;
use crate::extract::{ActiveUser, Json};
use crate::market::gap::{self, GapAnalysis};
use crate::skills;
use crate::state::AppState;

/// The window and threshold the roadmap reads a role's gap at (lower than the gap route's 0.25
/// default, as the original's roadmap did, so it names more than the handful every posting has).
const GAP_DAYS: i64 = 30;
const GAP_THRESHOLD: f64 = 0.10;

/// The gap for `role`, from the cached role figures; `None` when the role has no postings or no
/// skill over the threshold.
async fn role_gap(
    state: &AppState,
    account: &Account,
    role: &str,
) -> ApiResult<Option<GapAnalysis>> {
    let key = (role.trim().to_lowercase(), GAP_DAYS);
    let compute = gap::role_skills(state.db.reader(), role, GAP_DAYS, db::now());
    let tally = state
        .market
        .role_skills
        .get_or_compute(key, state.db.postings_generation(), compute)
        .await?;
    Ok(gap::gap_analysis(role, &tally, &account.skills, GAP_THRESHOLD).ok())
}

/// The role asked for, else the user's first target role.
fn role_of(params: &Params, account: &Account) -> Option<String> {
    params
        .text("target_role")
        .or_else(|| account.user.target_roles.0.first().cloned())
}

/// A learning roadmap for the target role, built from the user's gap.
#[utoipa::path(get, path = "/learning/roadmap", tag = "career-navigator", security(("bearer" = [])),
    params(
        ("target_role" = Option<String>, Query, description = "Default: the user's first target role"),
        ("include_gap_analysis" = Option<bool>, Query, description = "Default true: build from the role's gap and embed it"),
    ),
    responses((status = 200, body = LearningRoadmap), (status = 400, description = "`{\"detail\": …}`"), (status = 401)))]
pub async fn get_roadmap(
    State(state): State<AppState>,
    user: ActiveUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<LearningRoadmap>> {
    let params = Params::parse(raw.as_deref());
    let with_gap = params.flag("include_gap_analysis", true)?;
    let account = &user.0;
    let role = role_of(&params, account);
    let gap = match (&role, with_gap) {
        (Some(role), true) => role_gap(&state, account, role).await?,
        _ => None,
    };
    Ok(Json(match gap {
        Some(gap) => {
            let mut built = roadmap::from_gap(catalog(), &gap, &account.skills);
            built.gap_analysis = Some(gap);
            built
        }
        None => roadmap::without_gap(catalog(), role.as_deref(), &account.skills),
    }))
}

/// Resources for the skills asked for, in their order.
#[utoipa::path(get, path = "/learning/resources", tag = "career-navigator", security(("bearer" = [])),
    params(
        ("skills" = Vec<String>, Query, description = "Repeated; at least one"),
        ("resource_type" = Option<String>, Query, description = "Documentation, Video, Course or Book"),
        ("search" = Option<String>, Query, description = "Kept when the title or description contains it"),
    ),
    responses((status = 200, body = [LearningResource]), (status = 400, description = "`{\"detail\": …}`"), (status = 401)))]
pub async fn get_resources(
    _user: ActiveUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Vec<LearningResource>>> {
    let params = Params::parse(raw.as_deref());
    let wanted = params.list("skills");
    if wanted.is_empty() {
        return Err(crate::error::ApiError::BadRequest(
            "skills is required".into(),
        ));
    }
    let kind = params.choice("resource_type", &RESOURCE_TYPES)?;
    let search = params.text("search").map(|s| s.to_lowercase());
    let found = wanted
        .iter()
        .flat_map(|skill| catalog().resources_of(skill))
        .filter(|r| kind.as_deref().is_none_or(|k| r.kind == k))
        .filter(|r| {
            search.as_deref().is_none_or(|q| {
                r.title.to_lowercase().contains(q) || r.description.to_lowercase().contains(q)
            })
        });
    Ok(Json(unique_urls(found)))
}

fn unique_urls<'a>(resources: impl Iterator<Item = &'a LearningResource>) -> Vec<LearningResource> {
    let mut seen = std::collections::HashSet::new();
    resources
        .filter(|r| seen.insert(r.url.as_str()))
        .cloned()
        .collect()
}

#[derive(Serialize, ToSchema)]
pub struct ResourceSearch {
    pub resources: Vec<LearningResource>,
    pub total_found: usize,
    pub search_query: String,
    #[schema(value_type = Object)]
    pub filters_applied: Value,
}

/// Resources whose skill, title or description contains the query, paged.
#[utoipa::path(get, path = "/learning/resources/search", tag = "career-navigator", security(("bearer" = [])),
    params(
        ("query" = String, Query, description = "Required"),
        ("resource_type" = Option<String>, Query, description = "Documentation, Video, Course or Book"),
        ("limit" = Option<i64>, Query, description = "1–100, default 20"),
        ("offset" = Option<i64>, Query, description = "≥ 0, default 0"),
    ),
    responses((status = 200, body = ResourceSearch), (status = 400, description = "`{\"detail\": …}`"), (status = 401)))]
pub async fn search_resources(
    _user: ActiveUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ResourceSearch>> {
    let params = Params::parse(raw.as_deref());
    let query = params.required("query")?;
    let kind = params.choice("resource_type", &RESOURCE_TYPES)?;
    let limit = params.int("limit", 20, 1, 100)?;
    let offset = params.int("offset", 0, 0, i64::MAX)?;
    let needle = query.to_lowercase();
    let matching = unique_urls(catalog().resources.iter().filter(|r| {
        kind.as_deref().is_none_or(|k| r.kind == k)
            && (r.skill.to_lowercase().contains(&needle)
                || r.title.to_lowercase().contains(&needle)
                || r.description.to_lowercase().contains(&needle))
    }));
    Ok(Json(ResourceSearch {
        total_found: matching.len(),
        resources: page(matching, offset, limit),
        search_query: query,
        filters_applied: json!({"resource_type": kind, "limit": limit, "offset": offset}),
    }))
}

fn page<T>(items: Vec<T>, offset: i64, limit: i64) -> Vec<T> {
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(limit).unwrap_or(0);
    items.into_iter().skip(offset).take(limit).collect()
}

/// Ideas with their match against the user's skills, filtered by difficulty.
fn ideas_for(account: &Account, difficulty: Option<&str>) -> Vec<ProjectIdea> {
    let owned = projects::owned_keys(&account.skills);
    catalog()
        .projects
        .iter()
        .filter(|p| difficulty.is_none_or(|d| p.difficulty == d))
        .map(|p| projects::idea(p, &owned))
        .collect()
}

/// Whether an idea exercises at least one of `skills`.
fn exercises_any(idea: &ProjectIdea, skills: &[String]) -> bool {
    let wanted: Vec<String> = skills
        .iter()
        .map(|s| skills::key(&super::catalog::display_name(s)))
        .collect();
    idea.skills.iter().any(|s| wanted.contains(&skills::key(s)))
}

#[derive(Serialize, ToSchema)]
pub struct ProjectRecommendations {
    pub projects: Vec<ProjectIdea>,
    pub total_projects: usize,
    #[schema(value_type = Object)]
    pub filters_applied: Value,
    pub user_skill_count: usize,
    pub recommendations: Vec<String>,
    /// The target role's skills the user lacks, most asked-for first (what the "Skill Building"
    /// tab asks ideas for).
    pub missing_skills: Vec<String>,
}

/// Ideas ranked by the target role's missing skills they exercise and the user's level.
#[utoipa::path(get, path = "/projects/recommendations", tag = "career-navigator", security(("bearer" = [])),
    params(
        ("difficulty" = Option<String>, Query, description = "Beginner, Intermediate or Advanced"),
        ("skill_focus" = Option<Vec<String>>, Query, description = "Repeated: keep ideas exercising one of them"),
        ("limit" = Option<i64>, Query, description = "1–50, default 10"),
        ("target_role" = Option<String>, Query, description = "Default: the user's first target role"),
    ),
    responses((status = 200, body = ProjectRecommendations), (status = 400, description = "`{\"detail\": …}`"), (status = 401)))]
pub async fn get_recommendations(
    State(state): State<AppState>,
    user: ActiveUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ProjectRecommendations>> {
    let params = Params::parse(raw.as_deref());
    let difficulty = params.choice("difficulty", &LEVELS)?;
    let focus = params.list("skill_focus");
    let limit = params.int("limit", 10, 1, 50)?;
    let account = &user.0;
    let role = role_of(&params, account);
    let gap = match &role {
        Some(role) => role_gap(&state, account, role).await?,
        None => None,
    };
    let gap_missing: Vec<(String, f64)> = gap
        .iter()
        .flat_map(|g| &g.required_skills)
        .filter(|r| !r.user_has)
        .map(|r| (r.name.clone(), r.required_percentage))
        .collect();
    let wants = Wants {
        gap_missing: &gap_missing,
        level: projects::user_level(
            account.user.experience_level.as_deref(),
            gap.as_ref().map(|g| g.coverage_percentage),
        ),
        role: role.as_deref(),
    };
    let ideas: Vec<ProjectIdea> = ideas_for(account, difficulty.as_deref())
        .into_iter()
        .filter(|idea| focus.is_empty() || exercises_any(idea, &focus))
        .collect();
    let total = ideas.len();
    let ranked = page(projects::rank(ideas, &wants), 0, limit);
    Ok(Json(ProjectRecommendations {
        recommendations: projects::recommendations(&ranked, &wants),
        projects: ranked,
        total_projects: total,
        filters_applied: json!({"difficulty": difficulty,
            "skill_focus": (!focus.is_empty()).then_some(&focus),
            "target_role": role, "limit": limit}),
        user_skill_count: account.skills.len(),
        missing_skills: gap_missing.into_iter().map(|(name, _)| name).collect(),
    }))
}

/// Ideas exercising the skills asked for, those covering most of them first.
#[utoipa::path(get, path = "/projects/skill-building", tag = "career-navigator", security(("bearer" = [])),
    params(
        ("skills" = Vec<String>, Query, description = "Repeated; at least one"),
        ("difficulty" = Option<String>, Query, description = "Beginner, Intermediate or Advanced"),
        ("limit" = Option<i64>, Query, description = "1–50, default 10"),
    ),
    responses((status = 200, body = [ProjectIdea]), (status = 400, description = "`{\"detail\": …}`"), (status = 401)))]
pub async fn get_skill_building(
    user: ActiveUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Vec<ProjectIdea>>> {
    let params = Params::parse(raw.as_deref());
    let wanted = params.list("skills");
    if wanted.is_empty() {
        return Err(crate::error::ApiError::BadRequest(
            "skills is required".into(),
        ));
    }
    let difficulty = params.choice("difficulty", &LEVELS)?;
    let limit = params.int("limit", 10, 1, 50)?;
    let keys: Vec<String> = wanted
        .iter()
        .map(|s| skills::key(&super::catalog::display_name(s)))
        .collect();
    let covered = |idea: &ProjectIdea| {
        idea.skills
            .iter()
            .filter(|s| keys.contains(&skills::key(s)))
            .count()
    };
    let mut ideas: Vec<(usize, ProjectIdea)> = ideas_for(&user.0, difficulty.as_deref())
        .into_iter()
        .map(|idea| (covered(&idea), idea))
        .filter(|(n, _)| *n > 0)
        .collect();
    ideas.sort_by(|(n, a), (m, b)| {
        m.cmp(n)
            .then(projects::level_index(&a.difficulty).cmp(&projects::level_index(&b.difficulty)))
            .then(
                b.skill_match_percentage
                    .unwrap_or(0.0)
                    .total_cmp(&a.skill_match_percentage.unwrap_or(0.0)),
            )
            .then(a.id.cmp(&b.id))
    });
    Ok(Json(page(
        ideas.into_iter().map(|(_, i)| i).collect(),
        0,
        limit,
    )))
}

/// Every idea, in the catalog's order, paged.
#[utoipa::path(get, path = "/projects/all", tag = "career-navigator", security(("bearer" = [])),
    params(
        ("difficulty" = Option<String>, Query, description = "Beginner, Intermediate or Advanced"),
        ("limit" = Option<i64>, Query, description = "1–100, default 50"),
        ("offset" = Option<i64>, Query, description = "≥ 0, default 0"),
    ),
    responses((status = 200, body = [ProjectIdea]), (status = 400, description = "`{\"detail\": …}`"), (status = 401)))]
pub async fn get_all_projects(
    user: ActiveUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Vec<ProjectIdea>>> {
    let params = Params::parse(raw.as_deref());
    let difficulty = params.choice("difficulty", &LEVELS)?;
    let limit = params.int("limit", 50, 1, 100)?;
    let offset = params.int("offset", 0, 0, i64::MAX)?;
    Ok(Json(page(
        ideas_for(&user.0, difficulty.as_deref()),
        offset,
        limit,
    )))
}

#[derive(Serialize, ToSchema)]
pub struct ProjectSearch {
    pub projects: Vec<ProjectIdea>,
    pub total_found: usize,
    pub search_query: String,
    #[schema(value_type = Object)]
    pub filters_applied: Value,
}

/// Ideas whose title, description, features or skills contain the query, paged.
#[utoipa::path(get, path = "/projects/search", tag = "career-navigator", security(("bearer" = [])),
    params(
        ("query" = String, Query, description = "Required"),
        ("skills" = Option<Vec<String>>, Query, description = "Repeated: keep ideas exercising one of them"),
        ("difficulty" = Option<String>, Query, description = "Beginner, Intermediate or Advanced"),
        ("limit" = Option<i64>, Query, description = "1–100, default 20"),
        ("offset" = Option<i64>, Query, description = "≥ 0, default 0"),
    ),
    responses((status = 200, body = ProjectSearch), (status = 400, description = "`{\"detail\": …}`"), (status = 401)))]
pub async fn search_projects(
    user: ActiveUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ProjectSearch>> {
    let params = Params::parse(raw.as_deref());
    let query = params.required("query")?;
    let wanted = params.list("skills");
    let difficulty = params.choice("difficulty", &LEVELS)?;
    let limit = params.int("limit", 20, 1, 100)?;
    let offset = params.int("offset", 0, 0, i64::MAX)?;
    let needle = query.to_lowercase();
    let contains = |text: &String| text.to_lowercase().contains(&needle);
    let matching: Vec<ProjectIdea> = ideas_for(&user.0, difficulty.as_deref())
        .into_iter()
        .filter(|i| {
            contains(&i.title)
                || contains(&i.description)
                || i.features.iter().any(contains)
                || i.skills.iter().any(contains)
        })
        .filter(|i| wanted.is_empty() || exercises_any(i, &wanted))
        .collect();
    Ok(Json(ProjectSearch {
        total_found: matching.len(),
        projects: page(matching, offset, limit),
        search_query: query,
        filters_applied: json!({"skills": (!wanted.is_empty()).then_some(&wanted),
            "difficulty": difficulty, "limit": limit, "offset": offset}),
    }))
}

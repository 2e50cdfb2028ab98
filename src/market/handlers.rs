//! `GET /market/trending` (no login) and `GET /skills/gap-analysis` (login) with Career
//! Navigator's query ranges, messages and 404 body.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::analytics::{self, Trending};
use super::gap::{self, GapAnalysis, NoGapData};
use super::job_posting;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Query};
use crate::state::AppState;

/// Raw query parameters: each is parsed by hand so a bad one gets the contract's 400.
type Params = Query<HashMap<String, String>>;

fn int_param(
    params: &HashMap<String, String>,
    name: &str,
    default: i64,
    min: i64,
    max: i64,
) -> ApiResult<i64> {
    let Some(raw) = params.get(name) else {
        return Ok(default);
    };
    let value: i64 = raw
        .trim()
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("{name} must be an integer")))?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::BadRequest(format!(
            "{name} must be between {min} and {max}"
        )))
    }
}

fn float_param(
    params: &HashMap<String, String>,
    name: &str,
    default: f64,
    min: f64,
    max: f64,
) -> ApiResult<f64> {
    let Some(raw) = params.get(name) else {
        return Ok(default);
    };
    let value: f64 = raw
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| ApiError::BadRequest(format!("{name} must be a number")))?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::BadRequest(format!(
            "{name} must be between {min} and {max}"
        )))
    }
}

/// Trending skills, locations, salaries and remote share over the last `days`.
#[utoipa::path(get, path = "/market/trending", tag = "career-navigator",
    params(
        ("days" = Option<i64>, Query, description = "1–365, default 30"),
        ("skills_limit" = Option<i64>, Query, description = "1–50, default 15"),
        ("locations_limit" = Option<i64>, Query, description = "1–30, default 10"),
    ),
    responses((status = 200, body = Trending), (status = 400, description = "`{\"detail\": …}` for a parameter out of range")))]
pub async fn get_trending(
    State(state): State<AppState>,
    Query(params): Params,
) -> ApiResult<impl IntoResponse> {
    let days = int_param(&params, "days", 30, 1, 365)?;
    let skills_limit = int_param(&params, "skills_limit", 15, 1, 50)? as usize;
    let locations_limit = int_param(&params, "locations_limit", 10, 1, 30)? as usize;
    let key = (days, skills_limit, locations_limit);
    let compute = analytics::trending(
        state.db.reader(),
        days,
        skills_limit,
        locations_limit,
        db::now(),
    );
    let trending = state
        .market
        .trending
        .get_or_compute(key, state.db.postings_generation(), compute)
        .await?;
    Ok((
        [(header::CACHE_CONTROL, "no-cache, no-store, must-revalidate")],
        Json(trending),
    ))
}

/// What the postings for one of the user's target roles ask for, against the user's skills.
#[utoipa::path(get, path = "/skills/gap-analysis", tag = "career-navigator", security(("bearer" = [])),
    params(
        ("role" = String, Query, description = "One of the user's target roles (exact case)"),
        ("days" = Option<i64>, Query, description = "1–365, default 30"),
        ("threshold" = Option<f64>, Query, description = "0.1–1.0, default 0.25"),
    ),
    responses(
        (status = 200, body = GapAnalysis),
        (status = 400, description = "`{\"detail\": …}`: no target roles, role not among them, or a parameter out of range"),
        (status = 404, description = "`{\"detail\": {\"message\", \"suggestions\", \"alternatives\"}}`"),
    ))]
pub async fn get_gap_analysis(
    State(state): State<AppState>,
    user: ActiveUser,
    Query(params): Params,
) -> ApiResult<Json<GapAnalysis>> {
    let role = params
        .get("role")
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let Some(role) = role else {
        return Err(ApiError::BadRequest("role is required".into()));
    };
    let days = int_param(&params, "days", 30, 1, 365)?;
    let threshold = float_param(&params, "threshold", 0.25, 0.1, 1.0)?;
    let account = &user.0;
    let roles = &account.user.target_roles.0;
    if roles.is_empty() {
        return Err(ApiError::BadRequest(
            "User has no target roles configured. Please update your profile first.".into(),
        ));
    }
    if !roles.contains(&role) {
        return Err(ApiError::BadRequest(format!(
            "Role '{role}' is not in your target roles. Available roles: {}",
            roles.join(", ")
        )));
    }
    let now = db::now();
    let key = (role.trim().to_lowercase(), days);
    let compute = gap::role_skills(state.db.reader(), &role, days, now);
    let tally = state
        .market
        .role_skills
        .get_or_compute(key, state.db.postings_generation(), compute)
        .await?;
    match gap::gap_analysis(&role, &tally, &account.skills, threshold) {
        Ok(analysis) => Ok(Json(analysis)),
        Err(reason) => {
            let alternatives = alternative_roles(&state, &role, roles, days, now).await?;
            Err(no_gap_data(&role, days, threshold, reason, alternatives))
        }
    }
}

fn no_gap_data(
    role: &str,
    days: i64,
    threshold: f64,
    reason: NoGapData,
    alternatives: Vec<String>,
) -> ApiError {
    let window = format!("Try increasing the time window (currently analyzing last {days} days)");
    let (message, suggestions) = match reason {
        NoGapData::NoPostings => (
            format!("No job data found for '{role}'"),
            vec![
                window,
                "Check if the role name is spelled correctly".to_owned(),
                "Consider using a more general role title".to_owned(),
            ],
        ),
        NoGapData::NoSkillOverThreshold { postings } => (
            format!(
                "No skill appears in at least {}% of the {postings} postings for '{role}'",
                threshold * 100.0
            ),
            vec![
                format!("Try lowering the threshold (currently {threshold})"),
                window,
            ],
        ),
    };
    ApiError::Custom(
        StatusCode::NOT_FOUND,
        json!({"detail": {"message": message, "suggestions": suggestions, "alternatives": alternatives}}),
    )
}

/// The user's other target roles, then the roles with the most postings in the window.
async fn alternative_roles(
    state: &AppState,
    role: &str,
    target_roles: &[String],
    days: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Vec<String>> {
    use job_posting::Column;
    let mut alternatives: Vec<String> = target_roles
        .iter()
        .filter(|r| *r != role)
        .cloned()
        .collect();
    let popular: Vec<String> = job_posting::Entity::find()
        .select_only()
        .column(Column::SearchKeywords)
        .filter(Column::ScrapedAt.gte(now - chrono::Duration::days(days)))
        .filter(Column::SearchKeywords.ne(""))
        .group_by(Column::SearchKeywords)
        .order_by_desc(Column::Id.count())
        .limit(5)
        .into_tuple()
        .all(state.db.reader())
        .await?;
    for candidate in popular {
        if alternatives.len() >= 3 {
            break;
        }
        if candidate != role && !alternatives.contains(&candidate) {
            alternatives.push(candidate);
        }
    }
    alternatives.truncate(3);
    Ok(alternatives)
}

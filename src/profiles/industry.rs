//! `GET|PUT|PATCH /api/me/industry-profile/`, its `breakdown/`, and `GET /api/me/industry-match/`,
//! plus the recomputation the work-experience routes call after every change.

use std::sync::Arc;

use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::profile_writer::{ProfileRow, upsert_rows};
use super::{IndustryProfileView, industry_profile, work_experience};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, JsonValue, Query};
use crate::industries::matching::{IndustryMatch, industry_match};
use crate::industries::years::{self, Breakdown, Experience, IndustryYears, Period};
use crate::industries::{self, ResolvedBy};
use crate::state::AppState;

const MAX_INDUSTRIES: usize = 100;
const MAX_INDUSTRY_KEY_CHARS: usize = 100;
const MAX_MATCH_INDUSTRIES: usize = 20;

/// Who wrote the stored profile last.
pub const SOURCE_CLIENT: &str = "client";
pub const SOURCE_SERVER: &str = "server";

#[derive(Debug, Serialize, ToSchema)]
pub struct IndustryProfileResponse {
    /// Years per industry tag, e.g. `{"fintech": 2.5}`; `{}` when none.
    #[schema(value_type = Object)]
    pub industry_years_json: Value,
    /// `null` until a profile exists.
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<Option<&IndustryProfileView>> for IndustryProfileResponse {
    fn from(view: Option<&IndustryProfileView>) -> Self {
        match view {
            Some(view) => IndustryProfileResponse {
                industry_years_json: view.industry_years_json.clone(),
                updated_at: Some(view.updated_at),
            },
            None => IndustryProfileResponse {
                industry_years_json: Value::Object(Map::new()),
                updated_at: None,
            },
        }
    }
}

impl From<industry_profile::Model> for IndustryProfileResponse {
    fn from(row: industry_profile::Model) -> Self {
        IndustryProfileResponse {
            industry_years_json: row.industry_years_json,
            updated_at: Some(row.updated_at),
        }
    }
}

/// The body the frontend sends.
#[derive(Debug, Deserialize, ToSchema)]
pub struct IndustryProfileRequest {
    #[schema(value_type = Object)]
    pub industry_years_json: Option<Value>,
    /// ISO 8601; now when absent.
    pub updated_at: Option<String>,
}

/// The user's industry profile; `{"industry_years_json": {}, "updated_at": null}` when none.
#[utoipa::path(get, path = "/api/me/industry-profile", tag = "breneo", security(("bearer" = [])),
    responses((status = 200, body = IndustryProfileResponse), (status = 401, description = "Missing or invalid token")))]
pub async fn get_industry_profile(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<IndustryProfileResponse>> {
    let view = load_profile(&state, user.id()).await?;
    Ok(Json(IndustryProfileResponse::from(view.as_ref().as_ref())))
}

/// Store the industry profile the frontend computed (an upsert; `PATCH` does the same).
#[utoipa::path(method(put, patch), path = "/api/me/industry-profile", tag = "breneo",
    security(("bearer" = [])), request_body = IndustryProfileRequest,
    responses(
        (status = 200, body = IndustryProfileResponse),
        (status = 400, description = "`{\"detail\": …}`: not an object, a bad value or a bad date"),
    ))]
pub async fn put_industry_profile(
    State(state): State<AppState>,
    user: ActiveUser,
    JsonValue(body): JsonValue,
) -> ApiResult<Json<IndustryProfileResponse>> {
    let (years, updated_at) = validate_industry_profile(body)?;
    let years = Value::Object(years);
    let row = ProfileRow {
        user_id: user.id(),
        years: years.clone(),
        source: SOURCE_CLIENT,
        updated_at,
    };
    state.profile_writer.upsert(row).await?;
    state.industry_profiles.forget(user.id());
    Ok(Json(IndustryProfileResponse {
        industry_years_json: years,
        updated_at: Some(updated_at),
    }))
}

/// The contract's checks, in its order.
fn validate_industry_profile(body: Value) -> ApiResult<(Map<String, Value>, DateTime<Utc>)> {
    let Value::Object(mut body) = body else {
        return Err(ApiError::BadRequest(
            "Request body must be JSON object.".into(),
        ));
    };
    let years = match body.remove("industry_years_json") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(years)) => years,
        Some(_) => {
            return Err(ApiError::BadRequest(
                "industry_years_json must be an object.".into(),
            ));
        }
    };
    if years.len() > MAX_INDUSTRIES {
        return Err(ApiError::BadRequest(format!(
            "industry_years_json may hold at most {MAX_INDUSTRIES} industries."
        )));
    }
    for (industry, value) in &years {
        if industry.trim().is_empty() || industry.chars().count() > MAX_INDUSTRY_KEY_CHARS {
            return Err(ApiError::BadRequest(format!(
                "industry_years_json keys must be 1 to {MAX_INDUSTRY_KEY_CHARS} characters long."
            )));
        }
        if !value
            .as_f64()
            .is_some_and(|years| years.is_finite() && years >= 0.0)
        {
            return Err(ApiError::BadRequest(format!(
                "industry_years_json['{industry}'] must be a finite number greater than or equal to 0."
            )));
        }
    }
    let updated_at = match body.remove("updated_at") {
        None | Some(Value::Null) => db::now(),
        Some(Value::String(raw)) => {
            crate::dates::parse_timestamp(&raw).ok_or_else(invalid_updated_at)?
        }
        Some(_) => return Err(invalid_updated_at()),
    };
    Ok((years, updated_at))
}

fn invalid_updated_at() -> ApiError {
    ApiError::BadRequest("updated_at must be a valid ISO 8601 datetime string.".into())
}

/// The stored profile, from the per-process cache when fresh.
pub(crate) async fn load_profile(
    state: &AppState,
    user_id: i64,
) -> ApiResult<Arc<Option<IndustryProfileView>>> {
    if let Some(view) = state.industry_profiles.get(user_id) {
        return Ok(view);
    }
    let epoch = state.industry_profiles.epoch();
    let row = stored_profile(state.db.reader(), user_id).await?;
    let view = Arc::new(row.map(|row| IndustryProfileView {
        industry_years_json: row.industry_years_json,
        updated_at: row.updated_at,
    }));
    state.industry_profiles.store(user_id, view.clone(), epoch);
    Ok(view)
}

/// The years a match is scored on, and where they came from: the user's own work history when
/// careerhub has it (computed in its vocabulary: the most faithful), else the stored profile
/// (which Breneo's frontend may have written in its own tags).
pub(crate) async fn matching_years(
    state: &AppState,
    user_id: i64,
) -> ApiResult<(Map<String, Value>, &'static str)> {
    let rows = work_history(state.db.reader(), user_id).await?;
    if !rows.is_empty() {
        let breakdown = years::compute(&experiences_of(&rows), Utc::now().date_naive());
        return Ok((breakdown.industry_years_json(), "work_history"));
    }
    let view = load_profile(state, user_id).await?;
    let years = view
        .as_ref()
        .as_ref()
        .and_then(|view| view.industry_years_json.as_object().cloned())
        .unwrap_or_default();
    Ok((years, "industry_profile"))
}

/// A user's stored industry profile row, if any.
pub async fn stored_profile(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<industry_profile::Model>, DbErr> {
    industry_profile::Entity::find()
        .filter(industry_profile::Column::UserId.eq(user_id))
        .one(conn)
        .await
}

/// What the computation needs of the stored work experiences.
fn experiences_of(rows: &[work_experience::Model]) -> Vec<Experience> {
    rows.iter()
        .map(|row| Experience {
            id: row.id,
            company: row.company.clone(),
            job_title: row.job_title.clone(),
            start: row.start(),
            end: row.end(),
            is_current: row.is_current,
        })
        .collect()
}

/// A user's work experiences, newest start first (the order every route shows them in).
pub async fn work_history(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<work_experience::Model>, DbErr> {
    work_experience::Entity::find()
        .filter(work_experience::Column::UserId.eq(user_id))
        .order_by_desc(work_experience::Column::StartDate)
        .order_by_desc(work_experience::Column::Id)
        .all(conn)
        .await
}

/// Recomputes a user's profile from their work history (call inside the transaction that changed
/// it, then `forget` the cached view after commit).
pub async fn recompute(conn: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    let rows = work_history(conn, user_id).await?;
    let breakdown = years::compute(&experiences_of(&rows), Utc::now().date_naive());
    let years = Value::Object(breakdown.industry_years_json());
    upsert_rows(
        conn,
        vec![ProfileRow {
            user_id,
            years,
            source: SOURCE_SERVER,
            updated_at: db::now(),
        }],
    )
    .await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExperienceBreakdown {
    pub id: i64,
    pub company: String,
    pub job_title: String,
    pub start_date: String,
    pub end_date: Option<String>,
    pub is_current: bool,
    /// The industry it counts towards, if any.
    pub industry: Option<&'static str>,
    pub resolved_by: ResolvedBy,
    pub approximate: bool,
    /// The days counted; `null` for a role that has not started.
    pub period: Option<Period>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreakdownResponse {
    pub experiences: Vec<ExperienceBreakdown>,
    /// Per industry: years, whether approximate, and the merged periods.
    pub industries: Vec<IndustryYears>,
    /// What the server computes from the work history now.
    #[schema(value_type = Object)]
    pub computed_industry_years_json: Value,
    /// What is stored (and what `GET /api/me/industry-profile/` answers).
    pub stored: IndustryProfileResponse,
    /// `client` when the frontend's `PUT` is what is stored, `server` when it was computed; `null` with no profile.
    pub stored_source: Option<String>,
}

/// How the server computes the industry profile from the work history, experience by experience.
#[utoipa::path(get, path = "/api/me/industry-profile/breakdown", tag = "breneo", security(("bearer" = [])),
    responses((status = 200, body = BreakdownResponse)))]
pub async fn get_breakdown(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<BreakdownResponse>> {
    let rows = work_history(state.db.reader(), user.id()).await?;
    let breakdown = years::compute(&experiences_of(&rows), Utc::now().date_naive());
    let computed = breakdown.industry_years_json();
    let Breakdown {
        experiences,
        industries,
    } = breakdown;
    let stored = stored_profile(state.db.reader(), user.id()).await?;
    let experiences = rows
        .iter()
        .zip(experiences)
        .map(|(row, resolved)| ExperienceBreakdown {
            id: row.id,
            company: row.company.clone(),
            job_title: row.job_title.clone(),
            start_date: row.start().format(),
            end_date: row.end().map(|end| end.format()),
            is_current: row.is_current,
            industry: resolved.industry,
            resolved_by: resolved.resolved_by,
            approximate: resolved.approximate,
            period: resolved.period,
        })
        .collect();
    Ok(Json(BreakdownResponse {
        experiences,
        industries,
        computed_industry_years_json: Value::Object(computed),
        stored_source: stored.as_ref().map(|row| row.source.clone()),
        stored: stored.map_or_else(|| IndustryProfileResponse::from(None), Into::into),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MatchQuery {
    /// The posting's industries, comma-separated: `fintech,banking`.
    pub industries: Option<String>,
}

/// How well the user's industry experience matches a posting's industries.
#[utoipa::path(get, path = "/api/me/industry-match", tag = "breneo", security(("bearer" = [])),
    params(MatchQuery),
    responses((status = 200, body = IndustryMatch), (status = 400, description = "`{\"detail\": …}` without industries")))]
pub async fn get_industry_match(
    State(state): State<AppState>,
    user: ActiveUser,
    Query(query): Query<MatchQuery>,
) -> ApiResult<Json<IndustryMatch>> {
    let requested: Vec<String> = query
        .industries
        .unwrap_or_default()
        .split(',')
        .map(industries::normalize_tag)
        .filter(|tag| !tag.is_empty())
        .collect();
    if requested.is_empty() {
        return Err(ApiError::BadRequest(
            "The industries query parameter is required, for example ?industries=fintech,banking."
                .into(),
        ));
    }
    if requested.len() > MAX_MATCH_INDUSTRIES {
        return Err(ApiError::BadRequest(format!(
            "At most {MAX_MATCH_INDUSTRIES} industries can be matched at once."
        )));
    }
    let (years, source) = matching_years(&state, user.id()).await?;
    let mut matched = industry_match(&years, &requested);
    matched.years_from = source;
    Ok(Json(matched))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn detail(result: ApiResult<(Map<String, Value>, DateTime<Utc>)>) -> String {
        match result {
            Err(ApiError::BadRequest(detail)) => detail,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_validation_branch_has_its_message() {
        assert_eq!(
            detail(validate_industry_profile(json!([1]))),
            "Request body must be JSON object."
        );
        assert_eq!(
            detail(validate_industry_profile(
                json!({"industry_years_json": [1]})
            )),
            "industry_years_json must be an object."
        );
        assert_eq!(
            detail(validate_industry_profile(
                json!({"industry_years_json": {"fintech": -1}})
            )),
            "industry_years_json['fintech'] must be a finite number greater than or equal to 0."
        );
        assert_eq!(
            detail(validate_industry_profile(
                json!({"industry_years_json": {"fintech": "2"}})
            )),
            "industry_years_json['fintech'] must be a finite number greater than or equal to 0."
        );
        assert_eq!(
            detail(validate_industry_profile(
                json!({"industry_years_json": {}, "updated_at": "yesterday"})
            )),
            "updated_at must be a valid ISO 8601 datetime string."
        );
        assert_eq!(
            detail(validate_industry_profile(json!({"updated_at": 5}))),
            "updated_at must be a valid ISO 8601 datetime string."
        );
    }

    #[test]
    fn missing_values_default_and_the_frontends_timestamp_parses() {
        let (years, _) = validate_industry_profile(json!({})).unwrap();
        assert!(years.is_empty());
        let (years, at) = validate_industry_profile(
            json!({"industry_years_json": {"fintech": 2.5, "e-commerce": 0}, "updated_at": "2026-02-10T12:00:00.000Z"}),
        )
        .unwrap();
        assert_eq!(
            Value::Object(years),
            json!({"fintech": 2.5, "e-commerce": 0})
        );
        assert_eq!(at.to_rfc3339(), "2026-02-10T12:00:00+00:00");
        assert_eq!(
            crate::dates::parse_timestamp("2026-02-10T14:00:00+02:00")
                .unwrap()
                .to_rfc3339(),
            "2026-02-10T12:00:00+00:00"
        );
        assert_eq!(
            crate::dates::parse_timestamp("2026-02-10T12:00:00")
                .unwrap()
                .to_rfc3339(),
            "2026-02-10T12:00:00+00:00"
        );
    }
}

//! `/api/work-experiences/`: list (newest start first), create (at most ten per user), read,
//! update (`PUT` whole, `PATCH` partial) and delete, each user reaching only their own rows.
//! Every change recomputes the industry profile in the same transaction. The dates' rules are
//! shared with `/api/educations/` (`educations`).

use axum::extract::State;
use axum::http::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{industry, work_experience};
use crate::accounts::service;
use crate::dates::{DATE_FORMAT_ERROR, PartialDate};
use crate::db;
use crate::error::{ApiError, ApiResult, FIELD_REQUIRED};
use crate::extract::{ActiveUser, Json, Path, explicit_null};
use crate::state::AppState;
use crate::validate::{FieldErrors, WriteMode, mandatory_text_field, text_field};

pub(super) const MAX_ENTRIES: u64 = 10;
const MAX_TITLE_CHARS: usize = 200;
const MAX_JOB_TYPE_CHARS: usize = 50;
const MAX_LOCATION_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 5000;

// ---------- dates shared by both resources ----------

/// A validated start, end and "current" flag.
#[derive(Clone, Copy, Debug)]
pub(super) struct Span {
    pub(super) start: PartialDate,
    pub(super) end: Option<PartialDate>,
    pub(super) is_current: bool,
}

/// The dates of a write, after the contract's rules: dates as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`;
/// the end on or after the start; a current entry has no end date (marking one current clears
/// a stored end date; sending both is an error).
pub(super) fn validate_span(
    errors: &mut FieldErrors,
    mode: WriteMode,
    start: Option<&str>,
    end: Option<Option<&str>>,
    is_current: Option<bool>,
    existing: Option<Span>,
) -> Option<Span> {
    let start = match start {
        Some(raw) => parse_date(errors, "start_date", raw),
        None if mode.requires_all() => {
            errors.add("start_date", FIELD_REQUIRED);
            None
        }
        None => existing.map(|span| span.start),
    };
    let is_current = is_current
        .or_else(|| {
            existing
                .filter(|_| !mode.requires_all())
                .map(|span| span.is_current)
        })
        .unwrap_or(false);
    let sent_end = end.flatten().map(str::trim).filter(|raw| !raw.is_empty());
    let end = match (sent_end, end) {
        (Some(raw), _) => parse_date(errors, "end_date", raw),
        (None, Some(_)) => None,
        (None, None) if is_current || mode.requires_all() => None,
        (None, None) => existing.and_then(|span| span.end),
    };
    if is_current && sent_end.is_some() {
        errors.add(
            "end_date",
            "An entry marked current cannot have an end date.",
        );
    }
    if let (Some(start), Some(end)) = (start, end)
        && end.last_day() < start.date
    {
        errors.add("end_date", "End date must be on or after the start date.");
    }
    start.map(|start| Span {
        start,
        end,
        is_current,
    })
}

fn parse_date(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<PartialDate> {
    let parsed = PartialDate::parse(raw);
    if parsed.is_none() {
        errors.add(field, DATE_FORMAT_ERROR);
    }
    parsed
}

/// `PUT` replaces, `PATCH` amends.
pub(super) fn mode_of(method: &Method) -> WriteMode {
    if method == Method::PATCH {
        WriteMode::Patch
    } else {
        WriteMode::Replace
    }
}

// ---------- work experiences ----------

#[derive(Debug, Deserialize, ToSchema)]
pub struct WorkExperienceRequest {
    pub job_title: Option<String>,
    pub company: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub start_date: Option<String>,
    /// Same formats; `null` or empty for none.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>)]
    pub end_date: Option<Option<String>>,
    pub is_current: Option<bool>,
    pub job_type: Option<String>,
    pub location: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkExperienceResponse {
    pub id: i64,
    pub job_title: String,
    pub company: String,
    pub start_date: String,
    pub end_date: Option<String>,
    pub is_current: bool,
    pub job_type: String,
    pub location: String,
    pub description: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<work_experience::Model> for WorkExperienceResponse {
    fn from(row: work_experience::Model) -> Self {
        WorkExperienceResponse {
            id: row.id,
            start_date: row.start().format(),
            end_date: row.end().map(|end| end.format()),
            job_title: row.job_title,
            company: row.company,
            is_current: row.is_current,
            job_type: row.job_type,
            location: row.location,
            description: row.description,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// The validated values of a work-experience write.
struct WorkExperienceFields {
    job_title: String,
    company: String,
    span: Span,
    job_type: String,
    location: String,
    description: String,
}

fn validate_work_experience(
    body: &WorkExperienceRequest,
    mode: WriteMode,
    existing: Option<&work_experience::Model>,
) -> ApiResult<WorkExperienceFields> {
    let mut errors = FieldErrors::default();
    let required = mode.requires_all();
    let old = |f: fn(&work_experience::Model) -> &str| existing.filter(|_| !required).map(f);
    let job_title = mandatory_text_field(
        &mut errors,
        "job_title",
        body.job_title.as_deref(),
        old(|r| &r.job_title),
        required,
        MAX_TITLE_CHARS,
    );
    let company = mandatory_text_field(
        &mut errors,
        "company",
        body.company.as_deref(),
        old(|r| &r.company),
        required,
        MAX_TITLE_CHARS,
    );
    let job_type = text_field(
        &mut errors,
        "job_type",
        body.job_type.as_deref(),
        old(|r| &r.job_type),
        false,
        MAX_JOB_TYPE_CHARS,
    );
    let location = text_field(
        &mut errors,
        "location",
        body.location.as_deref(),
        old(|r| &r.location),
        false,
        MAX_LOCATION_CHARS,
    );
    let description = text_field(
        &mut errors,
        "description",
        body.description.as_deref(),
        old(|r| &r.description),
        false,
        MAX_DESCRIPTION_CHARS,
    );
    let existing_span = existing.map(|row| Span {
        start: row.start(),
        end: row.end(),
        is_current: row.is_current,
    });
    let span = validate_span(
        &mut errors,
        mode,
        body.start_date.as_deref(),
        body.end_date.as_ref().map(Option::as_deref),
        body.is_current,
        existing_span,
    );
    match span {
        Some(span) if errors.is_empty() => Ok(WorkExperienceFields {
            job_title,
            company,
            span,
            job_type,
            location,
            description,
        }),
        _ => Err(errors.into_error()),
    }
}

fn apply_work_experience(row: &mut work_experience::ActiveModel, fields: WorkExperienceFields) {
    row.job_title = Set(fields.job_title);
    row.company = Set(fields.company);
    row.start_date = Set(fields.span.start.date);
    row.start_precision = Set(fields.span.start.precision);
    row.end_date = Set(fields.span.end.map(|end| end.date));
    row.end_precision = Set(fields.span.end.map(|end| end.precision));
    row.is_current = Set(fields.span.is_current);
    row.job_type = Set(fields.job_type);
    row.location = Set(fields.location);
    row.description = Set(fields.description);
    row.updated_at = Set(db::now());
}

async fn own_work_experience(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    id: i64,
) -> ApiResult<work_experience::Model> {
    work_experience::Entity::find_by_id(id)
        .filter(work_experience::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::no_match("WorkExperience"))
}

/// The user's work experiences, newest start first.
#[utoipa::path(get, path = "/api/work-experiences", tag = "breneo", security(("bearer" = [])),
    responses((status = 200, body = [WorkExperienceResponse])))]
pub async fn list_work_experiences(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Vec<WorkExperienceResponse>>> {
    let rows = industry::work_history(state.db.reader(), user.id()).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Add a work experience (at most ten per user).
#[utoipa::path(post, path = "/api/work-experiences", tag = "breneo", security(("bearer" = [])),
    request_body = WorkExperienceRequest,
    responses(
        (status = 201, body = WorkExperienceResponse),
        (status = 400, description = "Field errors (DRF shape) or `{\"detail\": \"Maximum 10 work experience entries allowed per user.\"}`"),
    ))]
pub async fn create_work_experience(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<WorkExperienceRequest>,
) -> ApiResult<(StatusCode, Json<WorkExperienceResponse>)> {
    let fields = validate_work_experience(&body, WriteMode::Create, None)?;
    let user_id = user.id();
    let mut row = work_experience::ActiveModel {
        user_id: Set(user_id),
        ..Default::default()
    };
    apply_work_experience(&mut row, fields);
    // A new row was last updated when it was made.
    row.created_at = row.updated_at.clone();
    let created = db::in_transaction(state.db.writer(), async |txn| {
        service::lock_user(txn, user_id).await?;
        let count = work_experience::Entity::find()
            .filter(work_experience::Column::UserId.eq(user_id))
            .count(txn)
            .await?;
        if count >= MAX_ENTRIES {
            return Err(ApiError::BadRequest(
                "Maximum 10 work experience entries allowed per user.".into(),
            ));
        }
        let created = row.insert(txn).await?;
        industry::recompute(txn, user_id).await?;
        Ok(created)
    })
    .await?;
    state.industry_profiles.forget(user_id);
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One of the user's work experiences.
#[utoipa::path(get, path = "/api/work-experiences/{id}", tag = "breneo", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = WorkExperienceResponse), (status = 404, description = "Not the user's")))]
pub async fn get_work_experience(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<WorkExperienceResponse>> {
    Ok(Json(
        own_work_experience(state.db.reader(), user.id(), id)
            .await?
            .into(),
    ))
}

/// Change a work experience: `PUT` sends it whole, `PATCH` only what changes.
#[utoipa::path(method(put, patch), path = "/api/work-experiences/{id}", tag = "breneo",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = WorkExperienceRequest,
    responses(
        (status = 200, body = WorkExperienceResponse),
        (status = 400, description = "Field errors, DRF shape"),
        (status = 404, description = "Not the user's"),
    ))]
pub async fn update_work_experience(
    State(state): State<AppState>,
    user: ActiveUser,
    method: Method,
    Path(id): Path<i64>,
    Json(body): Json<WorkExperienceRequest>,
) -> ApiResult<Json<WorkExperienceResponse>> {
    let user_id = user.id();
    let updated = db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_work_experience(txn, user_id, id).await?;
        let fields = validate_work_experience(&body, mode_of(&method), Some(&existing))?;
        let mut row: work_experience::ActiveModel = existing.into();
        apply_work_experience(&mut row, fields);
        let updated = row.update(txn).await?;
        industry::recompute(txn, user_id).await?;
        Ok::<_, ApiError>(updated)
    })
    .await?;
    state.industry_profiles.forget(user_id);
    Ok(Json(updated.into()))
}

/// Remove a work experience.
#[utoipa::path(delete, path = "/api/work-experiences/{id}", tag = "breneo", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not the user's")))]
pub async fn delete_work_experience(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let user_id = user.id();
    db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_work_experience(txn, user_id, id).await?;
        work_experience::Entity::delete_by_id(existing.id)
            .exec(txn)
            .await?;
        industry::recompute(txn, user_id).await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    state.industry_profiles.forget(user_id);
    Ok(StatusCode::NO_CONTENT)
}

//! `/api/educations/` in Breneo's fields (`school_name`, `major`, `degree_type`, `gpa`, dates,
//! `is_current`): list (newest start first), create (at most ten per user), read, update (`PUT`
//! whole, `PATCH` partial; the profile page re-sends every row and leaves `end_date` out of a
//! current one) and delete, each user reaching only their own rows.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::education;
use super::work_history::{MAX_ENTRIES, Span, mode_of, validate_span};
use crate::accounts::service;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Path, explicit_null};
use crate::state::AppState;
use crate::validate::{FieldErrors, WriteMode, mandatory_text_field, text_field};

const MAX_TITLE_CHARS: usize = 200;
const MAX_GPA_CHARS: usize = 20;

/// Breneo's education form (earlier names accepted for the same fields).
#[derive(Debug, Deserialize, ToSchema)]
pub struct EducationRequest {
    #[serde(alias = "institution")]
    pub school_name: Option<String>,
    /// "High School", "Diploma / Certificate", "Associate", "Bachelor's", "Master's", "MBA",
    /// "Doctorate (PhD)", "Bootcamp / Short Program", "Other", or another text.
    #[serde(alias = "degree")]
    pub degree_type: Option<String>,
    #[serde(alias = "field_of_study")]
    pub major: Option<String>,
    /// As typed ("3.8", "3.8/4"); `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>)]
    pub gpa: Option<Option<String>>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub start_date: Option<String>,
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>)]
    pub end_date: Option<Option<String>>,
    pub is_current: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EducationResponse {
    pub id: i64,
    pub school_name: String,
    pub major: String,
    pub degree_type: String,
    pub gpa: Option<String>,
    pub start_date: String,
    pub end_date: Option<String>,
    pub is_current: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<education::Model> for EducationResponse {
    fn from(row: education::Model) -> Self {
        EducationResponse {
            id: row.id,
            start_date: row.start().format(),
            end_date: row.end().map(|end| end.format()),
            school_name: row.institution,
            degree_type: row.degree,
            major: row.field_of_study,
            gpa: row.gpa,
            is_current: row.is_current,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

struct EducationFields {
    school_name: String,
    degree_type: String,
    major: String,
    gpa: Option<String>,
    span: Span,
}

fn validate_education(
    body: &EducationRequest,
    mode: WriteMode,
    existing: Option<&education::Model>,
) -> ApiResult<EducationFields> {
    let mut errors = FieldErrors::default();
    let required = mode.requires_all();
    let old = |f: fn(&education::Model) -> &str| existing.filter(|_| !required).map(f);
    let school_name = mandatory_text_field(
        &mut errors,
        "school_name",
        body.school_name.as_deref(),
        old(|r| &r.institution),
        required,
        MAX_TITLE_CHARS,
    );
    let degree_type = text_field(
        &mut errors,
        "degree_type",
        body.degree_type.as_deref(),
        old(|r| &r.degree),
        false,
        MAX_TITLE_CHARS,
    );
    let major = text_field(
        &mut errors,
        "major",
        body.major.as_deref(),
        old(|r| &r.field_of_study),
        false,
        MAX_TITLE_CHARS,
    );
    let gpa = match &body.gpa {
        Some(Some(gpa)) if gpa.trim().chars().count() > MAX_GPA_CHARS => {
            errors.add(
                "gpa",
                format!("Ensure this field has no more than {MAX_GPA_CHARS} characters."),
            );
            None
        }
        Some(sent) => sent
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned),
        None if required => None,
        None => existing.and_then(|row| row.gpa.clone()),
    };
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
        Some(span) if errors.is_empty() => Ok(EducationFields {
            school_name,
            degree_type,
            major,
            gpa,
            span,
        }),
        _ => Err(errors.into_error()),
    }
}

fn apply_education(row: &mut education::ActiveModel, fields: EducationFields) {
    row.institution = Set(fields.school_name);
    row.degree = Set(fields.degree_type);
    row.field_of_study = Set(fields.major);
    row.gpa = Set(fields.gpa);
    row.start_date = Set(fields.span.start.date);
    row.start_precision = Set(fields.span.start.precision);
    row.end_date = Set(fields.span.end.map(|end| end.date));
    row.end_precision = Set(fields.span.end.map(|end| end.precision));
    row.is_current = Set(fields.span.is_current);
    row.updated_at = Set(db::now());
}

async fn own_education(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    id: i64,
) -> ApiResult<education::Model> {
    education::Entity::find_by_id(id)
        .filter(education::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::no_match("Education"))
}

/// The user's educations, newest start first.
#[utoipa::path(get, path = "/api/educations", tag = "breneo", security(("bearer" = [])),
    responses((status = 200, body = [EducationResponse])))]
pub async fn list_educations(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Vec<EducationResponse>>> {
    let rows = education::Entity::find()
        .filter(education::Column::UserId.eq(user.id()))
        .order_by_desc(education::Column::StartDate)
        .order_by_desc(education::Column::Id)
        .all(state.db.reader())
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Add an education (at most ten per user).
#[utoipa::path(post, path = "/api/educations", tag = "breneo", security(("bearer" = [])),
    request_body = EducationRequest,
    responses(
        (status = 201, body = EducationResponse),
        (status = 400, description = "Field errors (DRF shape) or `{\"detail\": \"Maximum 10 education entries allowed per user.\"}`"),
    ))]
pub async fn create_education(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<EducationRequest>,
) -> ApiResult<(StatusCode, Json<EducationResponse>)> {
    let fields = validate_education(&body, WriteMode::Create, None)?;
    let user_id = user.id();
    let mut row = education::ActiveModel {
        user_id: Set(user_id),
        ..Default::default()
    };
    apply_education(&mut row, fields);
    // A new row was last updated when it was made.
    row.created_at = row.updated_at.clone();
    let created = db::in_transaction(state.db.writer(), async |txn| {
        service::lock_user(txn, user_id).await?;
        let count = education::Entity::find()
            .filter(education::Column::UserId.eq(user_id))
            .count(txn)
            .await?;
        if count >= MAX_ENTRIES {
            return Err(ApiError::BadRequest(
                "Maximum 10 education entries allowed per user.".into(),
            ));
        }
        Ok(row.insert(txn).await?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One of the user's educations.
#[utoipa::path(get, path = "/api/educations/{id}", tag = "breneo", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = EducationResponse), (status = 404, description = "Not the user's")))]
pub async fn get_education(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<EducationResponse>> {
    Ok(Json(
        own_education(state.db.reader(), user.id(), id)
            .await?
            .into(),
    ))
}

/// Change an education: `PUT` sends it whole, `PATCH` only what changes.
#[utoipa::path(method(put, patch), path = "/api/educations/{id}", tag = "breneo",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = EducationRequest,
    responses(
        (status = 200, body = EducationResponse),
        (status = 400, description = "Field errors, DRF shape"),
        (status = 404, description = "Not the user's"),
    ))]
pub async fn update_education(
    State(state): State<AppState>,
    user: ActiveUser,
    method: Method,
    Path(id): Path<i64>,
    Json(body): Json<EducationRequest>,
) -> ApiResult<Json<EducationResponse>> {
    let user_id = user.id();
    let updated = db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_education(txn, user_id, id).await?;
        let fields = validate_education(&body, mode_of(&method), Some(&existing))?;
        let mut row: education::ActiveModel = existing.into();
        apply_education(&mut row, fields);
        Ok::<_, ApiError>(row.update(txn).await?)
    })
    .await?;
    Ok(Json(updated.into()))
}

/// Remove an education.
#[utoipa::path(delete, path = "/api/educations/{id}", tag = "breneo", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not the user's")))]
pub async fn delete_education(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let user_id = user.id();
    db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_education(txn, user_id, id).await?;
        education::Entity::delete_by_id(existing.id)
            .exec(txn)
            .await?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

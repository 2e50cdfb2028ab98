//! `/api/jobs/…`: create an application from a posting URL (extracted during the request) or
//! by hand, list, read, update (a new URL is re-extracted in the background) and delete, each
//! user reaching only their own.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::application::{self, SOURCE_EXTRACTED, SOURCE_MANUAL, STATUS_PENDING, STATUS_SUCCESS};
use super::extraction::{self, Extraction};
use super::page::PostingDetails;
use crate::accounts::service;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Path};
use crate::queue;
use crate::state::AppState;
use crate::validate::{FieldErrors, check_max_chars, is_web_url};

const MAX_URL_CHARS: usize = 1000;
const MAX_NAME_CHARS: usize = 255;
/// A posting is a few pages of text; this bounds what one row can hold.
const MAX_DESCRIPTION_CHARS: usize = 100_000;
const MANUAL_FIELDS_REQUIRED: &str =
    "Provide a job URL or provide all manual fields: company_name, job_title, and job_description.";

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct JobApplicationRequest {
    pub company_name: Option<String>,
    pub job_title: Option<String>,
    /// The posting's page; extracted when given.
    pub job_url: Option<String>,
    pub job_description: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobApplicationResponse {
    pub id: i64,
    pub job_description: String,
    pub company_name: String,
    pub job_title: String,
    pub job_url: Option<String>,
    /// `manual` or `extracted`.
    pub description_source: String,
    /// `pending`, `success`, `failed` or `needs_manual`.
    pub extraction_status: String,
    pub extraction_error: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The owner's id.
    pub user: i64,
    /// Where the job is, when the posting said (extra to the original's fields).
    pub location: Option<String>,
    pub remote: Option<bool>,
    pub employment_type: Option<String>,
    pub salary: Option<String>,
    pub date_posted: Option<String>,
    /// The level the posting states besides its title (e.g. Personio's `experienced`).
    pub seniority: Option<String>,
}

impl From<application::Model> for JobApplicationResponse {
    fn from(row: application::Model) -> Self {
        let details: PostingDetails = serde_json::from_value(row.details).unwrap_or_default();
        JobApplicationResponse {
            id: row.id,
            job_description: row.job_description,
            company_name: row.company_name,
            job_title: row.job_title,
            job_url: row.job_url,
            description_source: row.description_source,
            extraction_status: row.extraction_status,
            extraction_error: row.extraction_error,
            created_at: row.created_at,
            updated_at: row.updated_at,
            user: row.user_id,
            location: details.location,
            remote: details.remote,
            employment_type: details.employment_type,
            salary: details.salary,
            date_posted: details.date_posted,
            seniority: details.seniority,
        }
    }
}

/// The request's fields after DRF-style cleaning (trimmed; URL checked).
struct Cleaned {
    company_name: Option<String>,
    job_title: Option<String>,
    /// `Some("")` clears the URL.
    job_url: Option<String>,
    job_description: Option<String>,
}

impl Cleaned {
    /// All three manual fields present and not blank.
    fn manual_complete(&self) -> bool {
        [&self.company_name, &self.job_title, &self.job_description]
            .iter()
            .all(|field| field.as_deref().is_some_and(|v| !v.is_empty()))
    }

    fn new_url(&self) -> Option<&str> {
        self.job_url.as_deref().filter(|url| !url.is_empty())
    }
}

fn clean(body: JobApplicationRequest) -> ApiResult<Cleaned> {
    let mut errors = FieldErrors::default();
    let trim = |value: Option<String>| value.map(|v| v.trim().to_owned());
    let cleaned = Cleaned {
        company_name: trim(body.company_name),
        job_title: trim(body.job_title),
        job_url: trim(body.job_url),
        job_description: trim(body.job_description),
    };
    if let Some(url) = cleaned.new_url() {
        if url.chars().count() > MAX_URL_CHARS {
            check_max_chars(&mut errors, "job_url", url, MAX_URL_CHARS);
        } else if !is_web_url(url) {
            errors.add("job_url", "Enter a valid URL.");
        }
    }
    for (field, value, max) in [
        ("company_name", &cleaned.company_name, MAX_NAME_CHARS),
        ("job_title", &cleaned.job_title, MAX_NAME_CHARS),
        (
            "job_description",
            &cleaned.job_description,
            MAX_DESCRIPTION_CHARS,
        ),
    ] {
        if let Some(value) = value {
            check_max_chars(&mut errors, field, value, max);
        }
    }
    errors.into_result()?;
    Ok(cleaned)
}

/// Cuts extracted text to a column's bound (pages can be longer than any posting).
fn bounded(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => text[..cut].to_owned(),
        None => text,
    }
}

/// One of the user's applications, or the contract's 404.
pub(crate) async fn own_application(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    id: i64,
) -> ApiResult<application::Model> {
    application::Entity::find_by_id(id)
        .filter(application::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::no_match("JobApplication"))
}

/// Create an application from a posting URL or from the three manual fields.
#[utoipa::path(post, path = "/api/jobs/create", tag = "jobtracker", security(("bearer" = [])),
    request_body = JobApplicationRequest,
    responses(
        (status = 201, body = JobApplicationResponse),
        (status = 400, description = "`non_field_errors` when neither mode is complete or the user's application limit is reached, `job_url` errors, or `{\"detail\": \"Extraction failed: … Provide manual company_name, job_title, and job_description.\"}` (no row is created)"),
    ))]
pub async fn create_application(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<JobApplicationRequest>,
) -> ApiResult<(StatusCode, Json<JobApplicationResponse>)> {
    let cleaned = clean(body)?;
    if cleaned.new_url().is_none() && !cleaned.manual_complete() {
        return Err(ApiError::non_field(MANUAL_FIELDS_REQUIRED));
    }
    let limit = state.config.user_limits.applications;
    // Before the page is fetched (a full account costs nothing), and again under the lock.
    ensure_room(state.db.reader(), user.id(), limit).await?;
    let now = db::now();
    let mut row = application::ActiveModel {
        user_id: Set(user.id()),
        job_url: Set(cleaned.new_url().map(str::to_owned)),
        extraction_error: Set(String::new()),
        extraction_method: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let typed = |field: &Option<String>| field.clone().filter(|v| !v.is_empty());
    match cleaned.new_url() {
        Some(url) => match extraction::extract_from_url(&state, url).await {
            Extraction::Found(job) => {
                // What the user typed wins over what the page says.
                row.job_title =
                    Set(typed(&cleaned.job_title).unwrap_or(bounded(job.title, MAX_NAME_CHARS)));
                row.company_name =
                    Set(typed(&cleaned.company_name)
                        .unwrap_or(bounded(job.company, MAX_NAME_CHARS)));
                row.job_description = Set(bounded(job.description, MAX_DESCRIPTION_CHARS));
                row.description_source = Set(SOURCE_EXTRACTED.into());
                row.extraction_status = Set(STATUS_SUCCESS.into());
                row.extraction_method = Set(Some(job.method.as_str().into()));
                row.details = Set(serde_json::json!(job.details));
            }
            Extraction::NeedsManual(reason) | Extraction::Failed(reason)
                if !cleaned.manual_complete() =>
            {
                return Err(ApiError::BadRequest(format!(
                    "Extraction failed: {reason}. Provide manual company_name, job_title, and job_description."
                )));
            }
            Extraction::NeedsManual(_) | Extraction::Failed(_) => set_manual(&mut row, &cleaned),
        },
        None => set_manual(&mut row, &cleaned),
    }
    let user_id = user.id();
    let created = db::in_transaction(state.db.writer(), async |txn| {
        service::lock_user(txn, user_id).await?;
        ensure_room(txn, user_id, limit).await?;
        Ok::<_, ApiError>(row.insert(txn).await?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Refuses a new application past the per-user count limit.
async fn ensure_room(conn: &impl ConnectionTrait, user_id: i64, limit: u64) -> ApiResult<()> {
    let count = application::Entity::find()
        .filter(application::Column::UserId.eq(user_id))
        .count(conn)
        .await?;
    if count >= limit {
        return Err(ApiError::non_field(format!(
            "You have reached the limit of {limit} job applications. Delete some to add more."
        )));
    }
    Ok(())
}

fn set_manual(row: &mut application::ActiveModel, cleaned: &Cleaned) {
    row.company_name = Set(cleaned.company_name.clone().unwrap_or_default());
    row.job_title = Set(cleaned.job_title.clone().unwrap_or_default());
    row.job_description = Set(cleaned.job_description.clone().unwrap_or_default());
    row.description_source = Set(SOURCE_MANUAL.into());
    row.extraction_status = Set(STATUS_SUCCESS.into());
    row.extraction_error = Set(String::new());
}

/// The user's applications, newest first.
#[utoipa::path(get, path = "/api/jobs/list", tag = "jobtracker", security(("bearer" = [])),
    responses((status = 200, body = [JobApplicationResponse])))]
pub async fn list_applications(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Vec<JobApplicationResponse>>> {
    let rows = application::Entity::find()
        .filter(application::Column::UserId.eq(user.id()))
        .order_by_desc(application::Column::CreatedAt)
        .order_by_desc(application::Column::Id)
        .all(state.db.reader())
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// One of the user's applications.
#[utoipa::path(get, path = "/api/jobs/{id}", tag = "jobtracker", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = JobApplicationResponse), (status = 404, description = "Not the user's")))]
pub async fn get_application(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<JobApplicationResponse>> {
    Ok(Json(
        own_application(state.db.reader(), user.id(), id)
            .await?
            .into(),
    ))
}

/// Delete one of the user's applications (its analysis goes with it; resumes stay, detached).
#[utoipa::path(delete, path = "/api/jobs/{id}", tag = "jobtracker", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "Not the user's")))]
pub async fn delete_application(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let deleted = application::Entity::delete_many()
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::UserId.eq(user.id()))
        .exec(state.db.writer())
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ApiError::no_match("JobApplication"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Update an application: a new URL answers `pending` at once and is extracted in the
/// background; complete manual fields make it `manual`/`success`.
#[utoipa::path(patch, path = "/api/jobs/{id}/update", tag = "jobtracker", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = JobApplicationRequest,
    responses((status = 200, body = JobApplicationResponse), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn patch_application(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: Json<JobApplicationRequest>,
) -> ApiResult<Json<JobApplicationResponse>> {
    update_application(state, user, id, body).await
}

/// The same as `PATCH`: fields left out keep their values.
#[utoipa::path(put, path = "/api/jobs/{id}/update", tag = "jobtracker", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = JobApplicationRequest,
    responses((status = 200, body = JobApplicationResponse), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn put_application(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: Json<JobApplicationRequest>,
) -> ApiResult<Json<JobApplicationResponse>> {
    update_application(state, user, id, body).await
}

async fn update_application(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
    Json(body): Json<JobApplicationRequest>,
) -> ApiResult<Json<JobApplicationResponse>> {
    let cleaned = clean(body)?;
    let user_id = user.id();
    let updated = db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_application(txn, user_id, id).await?;
        let url_changed = cleaned
            .job_url
            .as_deref()
            .is_some_and(|url| Some(url) != existing.job_url.as_deref().or(Some("")));
        let mut row: application::ActiveModel = existing.clone().into();
        if let Some(value) = &cleaned.company_name {
            row.company_name = Set(value.clone());
        }
        if let Some(value) = &cleaned.job_title {
            row.job_title = Set(value.clone());
        }
        if let Some(value) = &cleaned.job_description {
            row.job_description = Set(value.clone());
        }
        if url_changed {
            row.job_url = Set(cleaned.new_url().map(str::to_owned));
        }
        let manual_edit = [
            &cleaned.company_name,
            &cleaned.job_title,
            &cleaned.job_description,
        ]
        .iter()
        .any(|field| field.is_some());
        let merged_complete = [
            row.company_name.as_ref(),
            row.job_title.as_ref(),
            row.job_description.as_ref(),
        ]
        .iter()
        .all(|value| !value.is_empty());
        // Validated on the row as it would be saved, as the original's serializer does: a URL,
        // or all three manual fields (the UI's "Save" with every field blank would wipe it).
        let merged_url = if url_changed {
            cleaned.new_url()
        } else {
            existing.job_url.as_deref().filter(|url| !url.is_empty())
        };
        if merged_url.is_none() && !merged_complete {
            return Err(ApiError::non_field(MANUAL_FIELDS_REQUIRED));
        }
        match cleaned.new_url().filter(|_| url_changed) {
            Some(url) => {
                row.description_source = Set(SOURCE_EXTRACTED.into());
                row.extraction_status = Set(STATUS_PENDING.into());
                row.extraction_error = Set(String::new());
                queue::enqueue(
                    txn,
                    extraction::extraction_job(id, url, user_id),
                    state.clock.now_utc(),
                )
                .await?;
            }
            None if manual_edit && merged_complete => {
                row.description_source = Set(SOURCE_MANUAL.into());
                row.extraction_status = Set(STATUS_SUCCESS.into());
                row.extraction_error = Set(String::new());
            }
            None => {}
        }
        row.updated_at = Set(db::now());
        Ok::<_, ApiError>(row.update(txn).await?)
    })
    .await?;
    Ok(Json(updated.into()))
}

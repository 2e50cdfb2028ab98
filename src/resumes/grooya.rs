//! Grooya's `/api/resumes/` CRUD on the same resumes as JobTracker's uploads: a resume may have
//! structured `content` (Grooya's editor), a file (an upload), or both. Grooya's frontend sends
//! its `Resume` flat (`fullName`, `experience`, `template`, …): those keys are kept in `content`
//! and answered flat again, beside `content`. Grooya's creates count against the tier's resume
//! allowance; uploads made through JobTracker do not.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::resume;
use crate::accounts::service;
use crate::db;
use crate::error::{ApiError, ApiResult, FIELD_REQUIRED};
use crate::extract::{ActiveUser, Json, Path};
use crate::portfolios::entitlements::{self, Resource};
use crate::portfolios::wire::{self, GrooyaJson, Spellings};
use crate::state::AppState;
use crate::validate::{FieldErrors, check_max_chars};

const MAX_TITLE_CHARS: usize = 255;
/// A resume's structured content, serialized, at most this large.
const MAX_CONTENT_BYTES: usize = 1024 * 1024;

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ResumeRequest {
    pub title: Option<String>,
    /// The editor's sections (summary, experience, …), stored and returned unchanged.
    #[schema(value_type = Value)]
    pub content: Option<Value>,
}

impl Spellings for ResumeRequest {
    const CAMEL_CASE: &'static [(&'static str, &'static str)] = &[];
}

/// Keys of a resume body that are not the frontend's flat resume fields.
const NOT_CONTENT: [&str; 13] = [
    "title",
    "content",
    "id",
    "user",
    "userId",
    "createdAt",
    "created_at",
    "updatedAt",
    "updated_at",
    "file",
    "parsed_text",
    "job_application",
    "file_name",
];

/// The flat resume fields of a body (`fullName`, `summary`, `experience`, …).
fn flat_fields(object: Map<String, Value>) -> Map<String, Value> {
    object
        .into_iter()
        .filter(|(key, _)| !NOT_CONTENT.contains(&key.as_str()))
        .collect()
}

/// A resume in both shapes: the frontend's flat `Resume` (its content's keys at the top, string
/// ids, millisecond timestamps) and the seed's document with `content`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResumeDocument {
    #[serde(serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub id: i64,
    #[serde(rename = "userId", serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub user_id: i64,
    #[serde(rename = "createdAt", serialize_with = "wire::millis")]
    #[schema(value_type = i64)]
    pub created_at_ms: DateTime<Utc>,
    #[serde(rename = "updatedAt", serialize_with = "wire::millis")]
    #[schema(value_type = i64)]
    pub updated_at_ms: DateTime<Utc>,
    pub title: String,
    #[schema(value_type = Value)]
    pub content: Option<Value>,
    /// Signed link to the uploaded file, if the resume has one.
    pub file: Option<String>,
    pub parsed_text: String,
    pub job_application: Option<i64>,
    /// The owner's id.
    #[serde(serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub user: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ResumeDocument {
    /// The answer for a stored resume: the document and its content's keys beside it.
    async fn json(row: resume::Model, state: &AppState) -> Value {
        let flat = match &row.content {
            Some(Value::Object(content)) => content.clone(),
            _ => Map::new(),
        };
        wire::with_extra(&ResumeDocument::of(row, state).await, &flat)
    }

    async fn of(row: resume::Model, state: &AppState) -> ResumeDocument {
        let file = match row.file_key.as_deref() {
            Some(key) => Some(state.storage.link(key).await),
            None => None,
        };
        ResumeDocument {
            id: row.id,
            user_id: row.user_id,
            created_at_ms: row.created_at,
            updated_at_ms: row.updated_at,
            title: row.title,
            content: row.content,
            file,
            parsed_text: row.parsed_text,
            job_application: row.job_application_id,
            user: row.user_id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// `content` as a write leaves it: the content sent (or the stored one) with the flat fields
/// sent over it.
fn merged_content(
    sent: Option<Value>,
    stored: Option<&Value>,
    flat: Map<String, Value>,
) -> Option<Value> {
    if flat.is_empty() {
        return sent;
    }
    let mut content = match sent.as_ref().or(stored) {
        Some(Value::Object(content)) => content.clone(),
        _ => Map::new(),
    };
    content.extend(flat);
    Some(Value::Object(content))
}

fn apply(row: &mut resume::ActiveModel, body: ResumeRequest, creating: bool) -> ApiResult<()> {
    let mut errors = FieldErrors::default();
    match body.title.as_deref().map(str::trim) {
        None if creating => errors.add("title", FIELD_REQUIRED),
        Some("") => errors.add("title", "This field may not be blank."),
        Some(title) => {
            check_max_chars(&mut errors, "title", title, MAX_TITLE_CHARS);
            row.title = Set(title.to_owned());
        }
        None => {}
    }
    match body.content {
        Some(Value::Null) => errors.add("content", "This field may not be null."),
        Some(content) => {
            if serde_json::to_vec(&content).map_or(0, |v| v.len()) > MAX_CONTENT_BYTES {
                errors.add("content", "A resume's content may not exceed 1 MB.");
            }
            row.content = Set(Some(content));
        }
        None if creating => row.content = Set(Some(Value::Object(Default::default()))),
        None => {}
    }
    row.updated_at = Set(db::now());
    errors.into_result()
}

async fn own_resume(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    id: i64,
) -> ApiResult<resume::Model> {
    resume::Entity::find_by_id(id)
        .filter(resume::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::no_match("Resume"))
}

/// All the user's resumes (structured and uploaded), newest first.
#[utoipa::path(get, path = "/api/resumes", tag = "grooya", security(("bearer" = [])),
    responses((status = 200, body = [ResumeDocument])))]
pub async fn list_resume_documents(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Vec<Value>>> {
    let rows = resume::Entity::find()
        .filter(resume::Column::UserId.eq(user.id()))
        .order_by_desc(resume::Column::UpdatedAt)
        .order_by_desc(resume::Column::Id)
        .all(state.db.reader())
        .await?;
    let mut documents = Vec::with_capacity(rows.len());
    for row in rows {
        documents.push(ResumeDocument::json(row, &state).await);
    }
    Ok(Json(documents))
}

/// Create a structured resume (within the tier's allowance).
#[utoipa::path(post, path = "/api/resumes", tag = "grooya", security(("bearer" = [])),
    request_body = ResumeRequest,
    responses((status = 201, body = ResumeDocument), (status = 400, description = "Field errors"),
        (status = 403, description = "Past the tier's limit; the message names the next tier")))]
pub async fn create_resume_document(
    State(state): State<AppState>,
    user: ActiveUser,
    GrooyaJson { mut body, object }: GrooyaJson<ResumeRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    body.content = merged_content(body.content.take(), None, flat_fields(object));
    let now = db::now();
    let mut row = resume::ActiveModel {
        user_id: Set(user.id()),
        job_application_id: Set(None),
        file_key: Set(None),
        file_name: Set(String::new()),
        file_type: Set(None),
        file_size: Set(None),
        parsed_text: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut row, body, true)?;
    let created = db::in_transaction(state.db.writer(), async |txn| {
        service::lock_user(txn, user.id()).await?;
        let held = resume::Entity::find()
            .filter(resume::Column::UserId.eq(user.id()))
            .filter(resume::Column::Content.is_not_null())
            .count(txn)
            .await?;
        entitlements::check(user.0.user.subscription_tier, Resource::Resume, held)?;
        Ok::<_, ApiError>(row.insert(txn).await?)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ResumeDocument::json(created, &state).await),
    ))
}

/// One of the user's resumes.
#[utoipa::path(get, path = "/api/resumes/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ResumeDocument), (status = 404, description = "Not the user's")))]
pub async fn get_resume_document(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let row = own_resume(state.db.reader(), user.id(), id).await?;
    Ok(Json(ResumeDocument::json(row, &state).await))
}

/// Update a resume's title or content (fields left out keep their values).
#[utoipa::path(put, path = "/api/resumes/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ResumeRequest,
    responses((status = 200, body = ResumeDocument), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn put_resume_document(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: GrooyaJson<ResumeRequest>,
) -> ApiResult<Json<Value>> {
    update_resume_document(state, user, id, body).await
}

/// The same as `PUT`.
#[utoipa::path(patch, path = "/api/resumes/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ResumeRequest,
    responses((status = 200, body = ResumeDocument), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn patch_resume_document(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: GrooyaJson<ResumeRequest>,
) -> ApiResult<Json<Value>> {
    update_resume_document(state, user, id, body).await
}

async fn update_resume_document(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
    GrooyaJson { mut body, object }: GrooyaJson<ResumeRequest>,
) -> ApiResult<Json<Value>> {
    let flat = flat_fields(object);
    let updated = db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_resume(txn, user.id(), id).await?;
        body.content = merged_content(body.content.take(), existing.content.as_ref(), flat);
        let mut row: resume::ActiveModel = existing.into();
        apply(&mut row, body, false)?;
        Ok::<_, ApiError>(row.update(txn).await?)
    })
    .await?;
    Ok(Json(ResumeDocument::json(updated, &state).await))
}

/// Delete a resume and its stored file.
#[utoipa::path(delete, path = "/api/resumes/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "Not the user's")))]
pub async fn delete_resume_document(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let row = own_resume(state.db.writer(), user.id(), id).await?;
    resume::Entity::delete_by_id(row.id)
        .exec(state.db.writer())
        .await?;
    if let Some(key) = &row.file_key {
        state.storage.delete_or_log(key).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

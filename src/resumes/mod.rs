//! Resumes, one resource for two products: JobTracker's uploaded files (PDF, DOCX or text, read
//! to text before the upload is answered) and Grooya's structured JSON resumes.
//!
//! `POST /api/resumes/upload/` and `GET /api/resumes/list/` are JobTracker's routes; `grooya`
//! holds Grooya's `/api/resumes/` CRUD.

pub mod grooya;
pub mod ocr;
pub mod resume;
pub mod text;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use utoipa::ToSchema;

use crate::accounts::service;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, FormPart, Json, read_multipart};
use crate::quota::{self, Refusal};
use crate::state::AppState;
use crate::storage::Storage;
use crate::tracker::application;
use text::DocumentKind;

/// Largest resume file accepted.
pub const MAX_RESUME_BYTES: usize = 10 * 1024 * 1024;
/// The upload route's body limit: the file plus the form's own bytes.
pub const MAX_UPLOAD_BODY_BYTES: usize = MAX_RESUME_BYTES + 64 * 1024;
const FOREIGN_APPLICATION: &str = "You can only attach resumes to your own job applications.";
const MAX_FILE_NAME_CHARS: usize = 255;

#[derive(Debug, Serialize, ToSchema)]
pub struct ResumeResponse {
    pub id: i64,
    /// Absolute URL of the uploaded file, signed and valid for at least an hour; `null` for a
    /// JSON resume without one.
    pub file: Option<String>,
    /// The file's text, `""` when it could not be read (or is still being read).
    pub parsed_text: String,
    /// `read`; `pending` while OCR reads a scan or photo (the text fills in after); or
    /// `unreadable` when not even OCR found text. Extra to the original's fields.
    pub text_status: String,
    pub created_at: DateTime<Utc>,
    /// The owner's id.
    pub user: i64,
    pub job_application: Option<i64>,
}

impl ResumeResponse {
    pub async fn new(row: resume::Model, storage: &Storage) -> ResumeResponse {
        let file = match row.file_key.as_deref() {
            Some(key) => Some(storage.link(key).await),
            None => None,
        };
        ResumeResponse {
            id: row.id,
            file,
            parsed_text: row.parsed_text,
            text_status: row.text_status,
            created_at: row.created_at,
            user: row.user_id,
            job_application: row.job_application_id,
        }
    }
}

/// The validated upload form.
struct Upload {
    file_name: String,
    bytes: bytes::Bytes,
    kind: DocumentKind,
    job_application: Option<i64>,
}

fn validate_upload(parts: Option<Vec<FormPart>>) -> ApiResult<Upload> {
    let mut parts = parts.unwrap_or_default();
    let job_application = match parts.iter().find(|p| p.name == "job_application") {
        None => None,
        Some(part) => match part.text().as_str() {
            "" | "null" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| {
                ApiError::field(
                    "job_application",
                    format!("Incorrect type. Expected pk value, received {raw:?}."),
                )
            })?),
        },
    };
    let Some(index) = parts
        .iter()
        .position(|p| p.name == "file" && p.file_name.is_some())
    else {
        return Err(ApiError::field("file", "No file was submitted."));
    };
    let file = parts.swap_remove(index);
    if file.bytes.is_empty() {
        return Err(ApiError::field("file", "The submitted file is empty."));
    }
    if file.bytes.len() > MAX_RESUME_BYTES {
        return Err(ApiError::field(
            "file",
            "The file is larger than the 10 MB limit.",
        ));
    }
    let kind = DocumentKind::sniff(&file.bytes).ok_or_else(|| {
        ApiError::field(
            "file",
            "Unsupported file type. Upload a PDF, DOCX, plain-text, PNG or JPEG resume.",
        )
    })?;
    let file_name: String = file
        .file_name
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    Ok(Upload {
        file_name,
        bytes: file.bytes,
        kind,
        job_application,
    })
}

/// Upload a resume (PDF, DOCX, text, or a PNG/JPEG scan; at most 10 MB), optionally for one of
/// the user's applications; its text is extracted before the answer, or by OCR in the worker for
/// a scan (`text_status: "pending"` until then).
#[utoipa::path(post, path = "/api/resumes/upload", tag = "jobtracker", security(("bearer" = [])),
    request_body(content = String, description = "multipart/form-data: `file` (the resume), optional `job_application` (an id)", content_type = "multipart/form-data"),
    responses(
        (status = 201, body = ResumeResponse),
        (status = 400, description = "`{\"file\": [\"No file was submitted.\"]}`, an unsupported or oversized file, the user's file quota reached, or `{\"job_application\": [\"You can only attach resumes to your own job applications.\"]}`"),
        (status = 413, description = "Body over the route's limit"),
        (status = 503, description = "File storage unavailable; nothing was stored"),
    ))]
pub async fn upload_resume(
    State(state): State<AppState>,
    user: ActiveUser,
    request: Request,
) -> ApiResult<(StatusCode, Json<ResumeResponse>)> {
    let upload = validate_upload(read_multipart(request, &state).await?)?;
    let user_id = user.id();
    if let Some(id) = upload.job_application {
        ensure_own_application(&state, user_id, id).await?;
    }
    let size = upload.bytes.len() as i64;
    let quota = state.config.storage_quota_bytes;
    quota::ensure_room(state.db.reader(), quota, user_id, size, Refusal::FileField).await?;
    let parsed_text = text::extract_text(&state.sandbox, upload.kind, &upload.bytes).await?;
    // No text layer: a scan or a photo, for OCR to read after the answer.
    let scanned = parsed_text.trim().is_empty() && upload.kind.may_be_scanned();
    let text_status = match (scanned, parsed_text.trim().is_empty()) {
        (true, _) => ocr::TEXT_PENDING,
        (false, true) => ocr::TEXT_UNREADABLE,
        (false, false) => ocr::TEXT_READ,
    };
    let key = Storage::new_key("resumes", upload.kind.extension());
    state
        .storage
        .put(&key, upload.bytes, upload.kind.content_type())
        .await?;
    let now = db::now();
    let row = resume::ActiveModel {
        user_id: Set(user_id),
        job_application_id: Set(upload.job_application),
        title: Set(String::new()),
        content: Set(None),
        file_key: Set(Some(key.clone())),
        file_name: Set(upload.file_name),
        file_type: Set(Some(upload.kind.extension().into())),
        file_size: Set(Some(size)),
        parsed_text: Set(parsed_text),
        text_status: Set(text_status.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let inserted = db::in_transaction(state.db.writer(), async |txn| {
        // Checked again here: the application may have been deleted meanwhile, and another
        // upload may have taken the room (the lock makes such uploads take turns).
        service::lock_user(txn, user_id).await?;
        quota::ensure_room(txn, quota, user_id, size, Refusal::FileField).await?;
        if let Some(id) = upload.job_application {
            own_application_exists(txn, user_id, id).await?;
        }
        let row = row.insert(txn).await?;
        if scanned {
            crate::queue::enqueue(txn, ocr::ocr_job(row.id).owned_by(user_id), now).await?;
        }
        Ok::<_, ApiError>(row)
    })
    .await;
    match inserted {
        Ok(row) => Ok((
            StatusCode::CREATED,
            Json(ResumeResponse::new(row, &state.storage).await),
        )),
        Err(err) => {
            // No row points at the file: remove it rather than leave an orphan.
            state.storage.delete_or_log(&key).await;
            Err(err)
        }
    }
}

async fn ensure_own_application(state: &AppState, user_id: i64, id: i64) -> ApiResult<()> {
    own_application_exists(state.db.reader(), user_id, id).await
}

async fn own_application_exists(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    id: i64,
) -> ApiResult<()> {
    application::Entity::find_by_id(id)
        .filter(application::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .map(|_| ())
        .ok_or_else(|| ApiError::field("job_application", FOREIGN_APPLICATION))
}

/// The user's resumes, newest first.
#[utoipa::path(get, path = "/api/resumes/list", tag = "jobtracker", security(("bearer" = [])),
    responses((status = 200, body = [ResumeResponse])))]
pub async fn list_resumes(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Vec<ResumeResponse>>> {
    let rows = resume::Entity::find()
        .filter(resume::Column::UserId.eq(user.id()))
        .order_by_desc(resume::Column::CreatedAt)
        .order_by_desc(resume::Column::Id)
        .all(state.db.reader())
        .await?;
    let mut resumes = Vec::with_capacity(rows.len());
    for row in rows {
        resumes.push(ResumeResponse::new(row, &state.storage).await);
    }
    Ok(Json(resumes))
}

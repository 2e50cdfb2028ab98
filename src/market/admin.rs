//! `POST /api/admin/job-postings/import/`: staff upload the files `careerhub import-jobs` takes
//! (JSON Lines or CSV, careerhub's shape or TheirStack's), as a multipart `file` field or as the
//! raw body, and get the same report.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use serde::Serialize;
use utoipa::ToSchema;

use super::import::{self, Format, ImportDefaults, ImportReport};
use crate::admin::audit;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, multipart_error};
use crate::state::AppState;

/// Largest file the route takes; bigger imports belong to `careerhub import-jobs`.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedRow {
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResponse {
    pub inserted: u64,
    pub updated: u64,
    pub rejected: Vec<RejectedRow>,
}

impl From<ImportReport> for ImportResponse {
    fn from(report: ImportReport) -> Self {
        ImportResponse {
            inserted: report.inserted,
            updated: report.updated,
            rejected: report
                .rejected
                .into_iter()
                .map(|(line, reason)| RejectedRow { line, reason })
                .collect(),
        }
    }
}

/// Imports job postings from a file (staff only).
#[utoipa::path(post, path = "/api/admin/job-postings/import", tag = "career-navigator",
    security(("bearer" = [])),
    params(
        ("search_keywords" = Option<String>, Query, description = "Role recorded on rows without one"),
        ("search_location" = Option<String>, Query, description = "Location recorded on rows without one"),
    ),
    request_body(content = String, description = "JSON Lines or CSV: a multipart `file` field (its name ending .csv, .jsonl or .ndjson), or the raw body with Content-Type text/csv or application/x-ndjson", content_type = "multipart/form-data"),
    responses(
        (status = 200, body = ImportResponse),
        (status = 400, description = "`{\"detail\": …}`: no file, or an empty one"),
        (status = 403, description = "Not staff"),
        (status = 413, description = "Over 64 MB"),
    ))]
pub async fn import_postings(
    State(state): State<AppState>,
    user: ActiveUser,
    request: Request,
) -> ApiResult<Json<ImportResponse>> {
    if !user.0.user.is_staff {
        return Err(ApiError::Forbidden(
            "You do not have permission to perform this action.".into(),
        ));
    }
    let defaults = defaults_from(request.uri().query());
    let (name, content) = uploaded_file(request, &state).await?;
    if content.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest("The submitted file is empty.".into()));
    }
    let format = Format::detect(&name, content.first().copied());
    let report = import::import(
        &state.db,
        std::io::Cursor::new(content),
        format,
        &defaults,
        |_| {},
    )
    .await?;
    let actor = audit::Actor {
        id: user.id(),
        email: &user.0.user.email,
    };
    let summary = serde_json::json!({"file": name, "inserted": report.inserted,
        "updated": report.updated, "rejected": report.rejected.len()});
    audit::record(
        state.db.writer(),
        actor,
        "postings.import",
        ("job_postings", &name),
        None,
        Some(summary),
    )
    .await?;
    tracing::info!(
        user_id = user.id(),
        inserted = report.inserted,
        updated = report.updated,
        rejected = report.rejected.len(),
        "job postings imported"
    );
    Ok(Json(report.into()))
}

fn defaults_from(query: Option<&str>) -> ImportDefaults {
    let mut defaults = ImportDefaults::default();
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let value = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        match key.as_ref() {
            "search_keywords" => defaults.search_keywords = value,
            "search_location" => defaults.search_location = value,
            _ => {}
        }
    }
    defaults
}

/// The file's name (for its format) and bytes, from a multipart `file` field or the raw body.
async fn uploaded_file(request: Request, state: &AppState) -> ApiResult<(String, Bytes)> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|err| ApiError::BadRequest(err.body_text()))?;
        while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
            if field.name() == Some("file") {
                let name = field.file_name().unwrap_or_default().to_owned();
                let content = field.bytes().await.map_err(multipart_error)?;
                return Ok((name, content));
            }
        }
        return Err(ApiError::BadRequest(
            "No file was submitted: send it in the multipart field \"file\".".into(),
        ));
    }
    let name = if content_type.starts_with("text/csv") {
        "upload.csv"
    } else {
        "upload.jsonl"
    };
    let content = Bytes::from_request(request, state)
        .await
        .map_err(|err| match err.status() {
            axum::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            _ => ApiError::BadRequest(err.body_text()),
        })?;
    Ok((name.to_owned(), content))
}

//! `/api/assets/`: the user's images for their portfolios. Uploads (multipart `file`, optional
//! `prompt`) are validated and re-encoded by `images` before anything is stored, kept through
//! the storage layer under a fresh key, and deleted from storage with their row.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use utoipa::ToSchema;

use crate::accounts::service;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Path, read_multipart};
use crate::images::{self, CleanImage, Output};
use crate::quota::{self, Refusal};
use crate::state::AppState;
use crate::storage::Storage;

/// The upload route's body limit: the image plus the form's own bytes.
pub const MAX_UPLOAD_BODY_BYTES: usize = images::MAX_IMAGE_BYTES + 64 * 1024;
/// Portfolio images are scaled down to this side at most.
const MAX_ASSET_SIDE: u32 = 4096;
const MAX_PROMPT_CHARS: usize = 4000;

/// The `assets` table.
pub mod asset {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assets")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub file_key: String,
        pub content_type: String,
        pub width: i32,
        pub height: i32,
        pub size: i64,
        /// The prompt of a generated image; empty for an upload.
        pub prompt: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Debug, Serialize, ToSchema)]
/// An asset as `types.ts`'s `PortfolioAsset` (string id, `url`, `createdAt` in milliseconds)
/// and the seed's fields.
pub struct AssetResponse {
    #[serde(serialize_with = "super::wire::id_string")]
    #[schema(value_type = String)]
    pub id: i64,
    /// Absolute URL of the image.
    pub url: String,
    /// The same URL (the seed's name).
    pub file: String,
    pub prompt: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub size: i64,
    #[serde(rename = "createdAt", serialize_with = "super::wire::millis")]
    #[schema(value_type = i64)]
    pub created_at_ms: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl AssetResponse {
    pub fn new(row: asset::Model, storage: &Storage) -> AssetResponse {
        let url = storage.url(&row.file_key);
        AssetResponse {
            id: row.id,
            url: url.clone(),
            file: url,
            created_at_ms: row.created_at,
            prompt: row.prompt,
            content_type: row.content_type,
            width: row.width,
            height: row.height,
            size: row.size,
            created_at: row.created_at,
        }
    }
}

/// Stores a cleaned image and its row, within the user's file quota (refused as `refusal`
/// says); on a failed insert the file is removed again.
pub async fn store_asset(
    state: &AppState,
    user_id: i64,
    image: CleanImage,
    prompt: String,
    refusal: Refusal,
) -> ApiResult<asset::Model> {
    let key = Storage::new_key("assets", image.extension);
    let size = image.bytes.len() as i64;
    let quota = state.config.storage_quota_bytes;
    quota::ensure_room(state.db.reader(), quota, user_id, size, refusal).await?;
    state
        .storage
        .put(&key, image.bytes, image.content_type)
        .await?;
    let row = asset::ActiveModel {
        user_id: Set(user_id),
        file_key: Set(key.clone()),
        content_type: Set(image.content_type.into()),
        width: Set(image.width as i32),
        height: Set(image.height as i32),
        size: Set(size),
        prompt: Set(prompt),
        created_at: Set(db::now()),
        ..Default::default()
    };
    let inserted = db::in_transaction(state.db.writer(), async |txn| {
        // Another upload may have taken the room since the first check; the lock makes
        // uploads of one user take turns here.
        service::lock_user(txn, user_id).await?;
        quota::ensure_room(txn, quota, user_id, size, refusal).await?;
        Ok::<_, ApiError>(row.insert(txn).await?)
    })
    .await;
    if inserted.is_err() {
        state.storage.delete_or_log(&key).await;
    }
    inserted
}

/// The user's images, newest first.
#[utoipa::path(get, path = "/api/assets", tag = "grooya", security(("bearer" = [])),
    responses((status = 200, body = [AssetResponse])))]
pub async fn list_assets(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Vec<AssetResponse>>> {
    let rows = asset::Entity::find()
        .filter(asset::Column::UserId.eq(user.id()))
        .order_by_desc(asset::Column::CreatedAt)
        .order_by_desc(asset::Column::Id)
        .all(state.db.reader())
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| AssetResponse::new(row, &state.storage))
            .collect(),
    ))
}

/// Upload an image (JPEG, PNG, GIF or WebP, at most 10 MB and 40 megapixels); it is re-encoded
/// without its metadata.
#[utoipa::path(post, path = "/api/assets", tag = "grooya", security(("bearer" = [])),
    request_body(content = String, description = "multipart/form-data: `file` (the image), optional `prompt`", content_type = "multipart/form-data"),
    responses(
        (status = 201, body = AssetResponse),
        (status = 400, description = "`{\"file\": [\"Upload a valid image. …\"]}`, the user's file quota reached, and the other limits"),
        (status = 413, description = "Body over the route's limit"),
        (status = 503, description = "File storage unavailable; nothing was stored"),
    ))]
pub async fn upload_asset(
    State(state): State<AppState>,
    user: ActiveUser,
    request: Request,
) -> ApiResult<(StatusCode, Json<AssetResponse>)> {
    let parts = read_multipart(request, &state).await?.unwrap_or_default();
    let prompt = parts
        .iter()
        .find(|p| p.name == "prompt")
        .map(|p| p.text())
        .unwrap_or_default();
    if prompt.chars().count() > MAX_PROMPT_CHARS {
        return Err(ApiError::field(
            "prompt",
            format!("Ensure this field has no more than {MAX_PROMPT_CHARS} characters."),
        ));
    }
    let Some(file) = parts
        .into_iter()
        .find(|p| p.name == "file" && p.file_name.is_some())
    else {
        return Err(ApiError::field("file", "No file was submitted."));
    };
    if file.bytes.is_empty() {
        return Err(ApiError::field("file", "The submitted file is empty."));
    }
    let image = images::clean(
        &state.sandbox,
        &file.bytes,
        &[Output {
            max_side: Some(MAX_ASSET_SIDE),
        }],
    )
    .await
    .map_err(|err| err.into_api("file"))?
    .remove(0);
    let row = store_asset(&state, user.id(), image, prompt, Refusal::FileField).await?;
    Ok((
        StatusCode::CREATED,
        Json(AssetResponse::new(row, &state.storage)),
    ))
}

/// Delete an image, from storage too.
#[utoipa::path(delete, path = "/api/assets/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "Not the user's")))]
pub async fn delete_asset(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let row = asset::Entity::find_by_id(id)
        .filter(asset::Column::UserId.eq(user.id()))
        .one(state.db.writer())
        .await?
        .ok_or_else(|| ApiError::no_match("PortfolioAsset"))?;
    asset::Entity::delete_by_id(row.id)
        .exec(state.db.writer())
        .await?;
    // The row is gone first: a file without a row is only garbage, never a broken link.
    state.storage.delete_or_log(&row.file_key).await;
    Ok(StatusCode::NO_CONTENT)
}

//! The per-user file quota: a user's uploaded resumes and portfolio images together may hold at
//! most `CAREERHUB_STORAGE_QUOTA_BYTES` and `MAX_FILES_PER_USER` files. Uploads check it before
//! the file is stored (so a full account costs no storage write) and again under the user's row
//! lock just before the row is written (so concurrent uploads cannot pass it together).
//! Profile pictures are not counted: each account keeps one, replaced in place.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Select};

use crate::error::{ApiError, ApiResult};
use crate::portfolios::assets::asset;
use crate::resumes::resume;

/// Files one user may keep, whatever their size: the byte quota alone would let tiny files pile
/// up rows without bound.
pub const MAX_FILES_PER_USER: i64 = 1000;

/// What a user's files take now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    pub files: i64,
    pub bytes: i64,
}

/// How a refusal is worded: under the upload's `file` field, or as the request's `detail`
/// (an image generated from a prompt has no file field).
#[derive(Clone, Copy, Debug)]
pub enum Refusal {
    FileField,
    Detail,
}

/// The files and bytes `user_id` stores (resumes with a file, and assets).
pub async fn usage(conn: &impl ConnectionTrait, user_id: i64) -> Result<Usage, DbErr> {
    let resumes = resume::Entity::find()
        .filter(resume::Column::UserId.eq(user_id))
        .filter(resume::Column::FileKey.is_not_null());
    let (resume_files, resume_bytes) = files_and_bytes(conn, resumes, "file_size").await?;
    let assets = asset::Entity::find().filter(asset::Column::UserId.eq(user_id));
    let (asset_files, asset_bytes) = files_and_bytes(conn, assets, "size").await?;
    Ok(Usage {
        files: resume_files + asset_files,
        bytes: resume_bytes + asset_bytes,
    })
}

/// The rows `files` selects, counted, and the sum of their `size_column`.
async fn files_and_bytes<E: EntityTrait>(
    conn: &impl ConnectionTrait,
    files: Select<E>,
    size_column: &str,
) -> Result<(i64, i64), DbErr> {
    // CAST: PostgreSQL's SUM of a bigint is a numeric, which does not decode as an i64.
    let sum = format!("CAST(COALESCE(SUM({size_column}), 0) AS BIGINT)");
    let row: Option<(i64, i64)> = files
        .select_only()
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "files")
        .column_as(Expr::cust(sum), "bytes")
        .into_tuple()
        .one(conn)
        .await?;
    Ok(row.unwrap_or_default())
}

/// Ok when `user_id` has room for one more file of `adding` bytes under `quota_bytes`.
pub async fn ensure_room(
    conn: &impl ConnectionTrait,
    quota_bytes: u64,
    user_id: i64,
    adding: i64,
    refusal: Refusal,
) -> ApiResult<()> {
    let used = usage(conn, user_id).await?;
    match problem(used, quota_bytes, adding) {
        None => Ok(()),
        Some(message) => Err(match refusal {
            Refusal::FileField => ApiError::field("file", message),
            Refusal::Detail => ApiError::BadRequest(message),
        }),
    }
}

/// Why one more file of `adding` bytes does not fit, if it does not.
fn problem(used: Usage, quota_bytes: u64, adding: i64) -> Option<String> {
    if used.files >= MAX_FILES_PER_USER {
        return Some(format!(
            "You already store {MAX_FILES_PER_USER} files, the most allowed. Delete some resumes or images first."
        ));
    }
    let quota = i64::try_from(quota_bytes).unwrap_or(i64::MAX);
    if used.bytes.saturating_add(adding) > quota {
        return Some(format!(
            "This file would take your stored files past your {} storage quota ({} used). Delete some resumes or images first.",
            size_text(quota),
            size_text(used.bytes)
        ));
    }
    None
}

/// A size as the upload messages give it ("10 MB" for 10 MiB): MB to one decimal below 10,
/// KB below one MB, bytes below one KB.
pub fn size_text(bytes: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * KB;
    if bytes < KB {
        format!("{bytes} bytes")
    } else if bytes < MB {
        format!("{} KB", bytes / KB)
    } else if bytes < 10 * MB && bytes % MB != 0 {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} MB", (bytes as f64 / MB as f64).round() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: i64 = 1024 * 1024;

    #[test]
    fn a_file_fits_up_to_the_quota_exactly() {
        let used = Usage {
            files: 3,
            bytes: 8 * MB,
        };
        assert_eq!(problem(used, 10 * MB as u64, 2 * MB), None);
        assert_eq!(
            problem(used, 10 * MB as u64, 2 * MB + 1).as_deref(),
            Some(
                "This file would take your stored files past your 10 MB storage quota (8 MB used). Delete some resumes or images first."
            )
        );
    }

    #[test]
    fn the_file_count_is_capped_whatever_the_sizes() {
        let used = Usage {
            files: MAX_FILES_PER_USER,
            bytes: 0,
        };
        assert!(problem(used, u64::MAX, 1).unwrap().contains("1000 files"));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_text(500 * MB), "500 MB");
        assert_eq!(size_text(MB + MB / 2), "1.5 MB");
        assert_eq!(size_text(12 * MB + 1), "12 MB");
        assert_eq!(size_text(300 * 1024 + 5), "300 KB");
        assert_eq!(size_text(0), "0 bytes");
    }
}

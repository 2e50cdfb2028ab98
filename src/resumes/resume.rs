//! The `resumes` table: an uploaded file (with its extracted text), a Grooya JSON resume, or both.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "resumes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub job_application_id: Option<i64>,
    pub title: String,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub content: Option<Json>,
    /// Storage key of the uploaded file.
    pub file_key: Option<String>,
    /// The name the client gave the file (shown, never used as a path).
    pub file_name: String,
    /// `pdf`, `docx` or `txt`, decided from the content.
    pub file_type: Option<String>,
    pub file_size: Option<i64>,
    /// The file's text; empty when it could not be read.
    pub parsed_text: String,
    /// `read`, `pending` (OCR is reading a scan) or `unreadable` (no text, OCR included).
    pub text_status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

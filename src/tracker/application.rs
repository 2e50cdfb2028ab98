//! The `job_applications` table.

use sea_orm::entity::prelude::*;

pub const SOURCE_MANUAL: &str = "manual";
pub const SOURCE_EXTRACTED: &str = "extracted";

pub const STATUS_PENDING: &str = "pending";
pub const STATUS_SUCCESS: &str = "success";
pub const STATUS_FAILED: &str = "failed";
pub const STATUS_NEEDS_MANUAL: &str = "needs_manual";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub company_name: String,
    pub job_title: String,
    pub job_url: Option<String>,
    pub job_description: String,
    /// `manual` or `extracted`.
    pub description_source: String,
    /// `pending`, `success`, `failed` or `needs_manual`.
    pub extraction_status: String,
    pub extraction_error: String,
    /// Which strategy found the description (`json_ld`, `microdata`, `meta`, `main_content`,
    /// or a vendor's API: `greenhouse_api`, `lever_api`, `ashby_api`, `smartrecruiters_api`).
    pub extraction_method: Option<String>,
    /// What the posting says besides its text (`page::PostingDetails`): location, remote,
    /// employment type, salary, date posted; `{}` when nothing was read.
    #[sea_orm(column_type = "JsonBinary")]
    pub details: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

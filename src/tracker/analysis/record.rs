//! The `ai_analyses` table: one analysis per application, reused by every re-analysis.

use sea_orm::entity::prelude::*;

pub const STATUS_PROCESSING: &str = "processing";
pub const STATUS_COMPLETED: &str = "completed";
pub const STATUS_FAILED: &str = "failed";

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ai_analyses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub job_application_id: i64,
    pub resume_id: Option<i64>,
    pub candidate_level: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub target_stack: Json,
    /// `processing`, `completed` or `failed` (`pending` is the answer when no row exists).
    pub status: String,
    /// `local`, `llm` or `local_fallback`; empty until a run ends.
    pub engine: String,
    /// Bumped by every re-analysis; a run records its result only while it is current.
    pub generation: i32,
    pub ats_score: i32,
    #[sea_orm(column_type = "JsonBinary")]
    pub score_breakdown: Json,
    #[sea_orm(column_type = "JsonBinary")]
    pub missing_keywords: Json,
    #[sea_orm(column_type = "JsonBinary")]
    pub strengths: Json,
    #[sea_orm(column_type = "JsonBinary")]
    pub suggestions: Json,
    pub error_message: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Whether the analysis has ended (the stream and the pollers stop there).
    pub fn is_finished(&self) -> bool {
        self.status == STATUS_COMPLETED || self.status == STATUS_FAILED
    }
}

//! The `jobs` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What to run, e.g. `market.sync_role`.
    pub kind: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub payload: Json,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: String,
    /// Runs started so far, the one in progress included.
    pub attempts: i32,
    pub max_attempts: i32,
    /// Not before this.
    pub run_at: DateTimeUtc,
    pub locked_by: Option<String>,
    /// A running job whose worker stops renewing this is claimed again after it.
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    /// At most one queued or running job per key.
    pub dedupe_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// The user the job works for (`None` for system jobs): the fair claim takes turns by it.
    pub owner_id: Option<i64>,
    /// When a worker last claimed it.
    pub claimed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

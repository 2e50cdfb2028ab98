//! The schema, as sea-orm-migration migrations: one definition emitted for SQLite and PostgreSQL.
//! Add a new file per change; never edit one that has shipped.

use sea_orm_migration::prelude::*;

mod m20261122_000001_accounts;
mod m20261122_000002_breneo;
mod m20261122_000003_job_postings;
mod m20261122_000004_market_rollups;
mod m20261122_000005_jobs;
mod m20261122_000006_market_sync;
mod m20261122_000007_posting_indexes;
mod m20261130_000008_job_tracker;
mod m20261130_000009_grooya;
mod m20261130_000010_gan7club;
mod m20261130_000011_admin;
mod m20261201_000012_spending_caps;
mod m20261201_000013_role_slug_rollups;
mod m20261201_000014_profile_fields;
mod m20261201_000015_gender_choices;
mod m20261202_000016_breneo_accounts;
mod m20261202_000017_grooya_frontend;
mod m20261202_000018_posting_details;
mod m20261202_000019_resume_text_status;
mod m20261202_000020_change_notifications;
mod m20261202_000021_rate_limits;
mod m20261203_000022_market_buckets;
mod m20261204_000023_market_quarters;
mod m20261206_000024_analysis_notifications;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_accounts::Migration),
            Box::new(m20261122_000002_breneo::Migration),
            Box::new(m20261122_000003_job_postings::Migration),
            Box::new(m20261122_000004_market_rollups::Migration),
            Box::new(m20261122_000005_jobs::Migration),
            Box::new(m20261122_000006_market_sync::Migration),
            Box::new(m20261122_000007_posting_indexes::Migration),
            Box::new(m20261130_000008_job_tracker::Migration),
            Box::new(m20261130_000009_grooya::Migration),
            Box::new(m20261130_000010_gan7club::Migration),
            Box::new(m20261130_000011_admin::Migration),
            Box::new(m20261201_000012_spending_caps::Migration),
            Box::new(m20261201_000013_role_slug_rollups::Migration),
            Box::new(m20261201_000014_profile_fields::Migration),
            Box::new(m20261201_000015_gender_choices::Migration),
            Box::new(m20261202_000016_breneo_accounts::Migration),
            Box::new(m20261202_000017_grooya_frontend::Migration),
            Box::new(m20261202_000018_posting_details::Migration),
            Box::new(m20261202_000019_resume_text_status::Migration),
            Box::new(m20261202_000020_change_notifications::Migration),
            Box::new(m20261202_000021_rate_limits::Migration),
            Box::new(m20261203_000022_market_buckets::Migration),
            Box::new(m20261204_000023_market_quarters::Migration),
            Box::new(m20261206_000024_analysis_notifications::Migration),
        ]
    }
}

/// True when the database holds postings but no `market_counts` row matching `rows` (an SQL
/// condition): its rollups must be counted again from the postings.
async fn postings_without_counts(
    conn: &impl sea_orm::ConnectionTrait,
    rows: &str,
) -> Result<bool, DbErr> {
    let found = conn
        .query_one_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            format!(
                "SELECT EXISTS (SELECT 1 FROM job_postings) AS postings, \
                 EXISTS (SELECT 1 FROM market_counts WHERE {rows}) AS counts"
            ),
        ))
        .await?;
    let Some(found) = found else {
        return Ok(false);
    };
    Ok(found.try_get::<bool>("", "postings")? && !found.try_get::<bool>("", "counts")?)
}

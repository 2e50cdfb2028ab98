//! Career Navigator: a role's skills are rolled up by spelling (`role_slug`, the technology slug
//! as trending shows it, one spelling per skill and posting) instead of by taxonomy name
//! (`role_skill`), so the gap analysis names skills as trending does (`aws`, not "amazon web
//! services"). A database that has the old rows is recounted from its postings.
//!
//! The recount used to run here, with the code of the day; the rollups have since moved to
//! another table, so this now empties the old one and migration 22 recounts a database whose
//! postings have no rollups.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let old = conn
            .query_one_raw(sea_orm::Statement::from_string(
                manager.get_database_backend(),
                "SELECT 1 AS found FROM market_daily_counts WHERE dimension = 'role_skill' LIMIT 1",
            ))
            .await?;
        if old.is_some() {
            conn.execute_unprepared("DELETE FROM market_daily_counts")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The old code reads `role_skill` rows: recount them with `careerhub
        // rebuild-market-rollups` from that version.
        let _ = manager;
        Ok(())
    }
}

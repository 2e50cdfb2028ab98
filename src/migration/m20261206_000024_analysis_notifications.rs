//! PostgreSQL only: analyses announce their changes too (`analysis:<job application id>`, on
//! the channel of migration 20), so an analysis stream open on one instance answers as soon as
//! a worker anywhere records the result, instead of at its next poll.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE TRIGGER careerhub_changes AFTER INSERT OR UPDATE ON ai_analyses \
                 FOR EACH ROW EXECUTE FUNCTION \
                 careerhub_notify_row_change('analysis', 'job_application_id')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared("DROP TRIGGER IF EXISTS careerhub_changes ON ai_analyses")
            .await?;
        Ok(())
    }
}

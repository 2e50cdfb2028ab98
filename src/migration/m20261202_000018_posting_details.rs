//! What a job page says besides its text: location, remote, employment type, salary and the
//! date posted, kept on the application (`job_applications.details`); `extraction_method` wide
//! enough for the vendor APIs' names (`smartrecruiters_api`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JobApplications {
    Table,
    Details,
    ExtractionMethod,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(JobApplications::Table)
                    .add_column(json_binary(JobApplications::Details).default("{}"))
                    .to_owned(),
            )
            .await?;
        // SQLite does not enforce a string's length (and cannot alter a column's type).
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .alter_table(
                    Table::alter()
                        .table(JobApplications::Table)
                        .modify_column(string_len_null(JobApplications::ExtractionMethod, 40))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(JobApplications::Table)
                    .drop_column(JobApplications::Details)
                    .to_owned(),
            )
            .await
    }
}

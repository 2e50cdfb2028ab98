//! What a job page says besides its text: location, remote, employment type, salary and the
//! date posted, kept on the application (`job_applications.details`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JobApplications {
    Table,
    Details,
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
            .await
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

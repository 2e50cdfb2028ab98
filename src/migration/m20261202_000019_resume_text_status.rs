//! Whether a resume's text is read (`read`), still being read by OCR (`pending`: a scan or an
//! image with no text layer) or found to hold none (`unreadable`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Resumes {
    Table,
    TextStatus,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Resumes::Table)
                    .add_column(string_len(Resumes::TextStatus, 16).default("read"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Resumes::Table)
                    .drop_column(Resumes::TextStatus)
                    .to_owned(),
            )
            .await
    }
}

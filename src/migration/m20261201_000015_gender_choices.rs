//! Gan7Club: room in `gan7_profiles.gender` for `prefer_not_to_say` (17 characters), which its
//! signup and profile forms offer; the column held 10.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Gan7Profiles {
    Table,
    Gender,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite does not enforce a VARCHAR length and cannot alter a column's type.
        if manager.get_database_backend() == sea_orm::DbBackend::Sqlite {
            return Ok(());
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Gan7Profiles::Table)
                    .modify_column(string_len(Gan7Profiles::Gender, 20).default(""))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Narrowing would fail on stored `prefer_not_to_say` values; the wider column is kept.
        Ok(())
    }
}

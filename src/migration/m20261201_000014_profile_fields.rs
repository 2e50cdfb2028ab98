//! Fields the real frontends edit and careerhub had nowhere to keep: a user's city (Gan7Club's
//! and Breneo's profile forms; one account, one city) and a Gan7Club profile's country of
//! residency.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    City,
}

#[derive(DeriveIden)]
enum Gan7Profiles {
    Table,
    Residency,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(string_len(Users::City, 100).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Gan7Profiles::Table)
                    .add_column(string_len(Gan7Profiles::Residency, 25).default(""))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Gan7Profiles::Table)
                    .drop_column(Gan7Profiles::Residency)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::City)
                    .to_owned(),
            )
            .await
    }
}

//! Hardening II: whose each job is (a fair queue claims across owners) and when it was last
//! claimed; the provider's spend per day (a cap that holds across instances); when each role's
//! market search last ran (one sync per role and window, whoever asked).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    OwnerId,
    ClaimedAt,
}

#[derive(DeriveIden)]
enum ProviderUsage {
    Table,
    Provider,
    Day,
    Units,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MarketRoleSyncs {
    Table,
    SearchKey,
    SyncedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Jobs::Table)
                    // The user the job works for; none for system jobs (sweeps, syncs).
                    .add_column(big_integer_null(Jobs::OwnerId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Jobs::Table)
                    .add_column(timestamp_with_time_zone_null(Jobs::ClaimedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_owner_status")
                    .table(Jobs::Table)
                    .col(Jobs::OwnerId)
                    .col(Alias::new("status"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_owner_claimed")
                    .table(Jobs::Table)
                    .col(Jobs::OwnerId)
                    .col(Jobs::ClaimedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProviderUsage::Table)
                    .col(string_len(ProviderUsage::Provider, 50))
                    // The UTC day, `YYYY-MM-DD`.
                    .col(string_len(ProviderUsage::Day, 10))
                    // What the provider bills: TheirStack jobs returned.
                    .col(big_integer(ProviderUsage::Units))
                    .col(timestamp_with_time_zone(ProviderUsage::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(ProviderUsage::Provider)
                            .col(ProviderUsage::Day),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MarketRoleSyncs::Table)
                    .col(string_len(MarketRoleSyncs::SearchKey, 400).primary_key())
                    .col(timestamp_with_time_zone(MarketRoleSyncs::SyncedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MarketRoleSyncs::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ProviderUsage::Table).to_owned())
            .await?;
        for index in ["idx_jobs_owner_claimed", "idx_jobs_owner_status"] {
            manager
                .drop_index(Index::drop().name(index).table(Jobs::Table).to_owned())
                .await?;
        }
        for column in [Jobs::ClaimedAt, Jobs::OwnerId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Jobs::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

//! Career Navigator: where each provider search stopped (see `market::sync`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MarketSyncCursors {
    Table,
    SearchKey,
    DiscoveredAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MarketSyncCursors::Table)
                    // The role (lowercase) and the countries searched.
                    .col(string_len(MarketSyncCursors::SearchKey, 400).primary_key())
                    // The latest `discovered_at` stored from that search.
                    .col(timestamp_with_time_zone(MarketSyncCursors::DiscoveredAt))
                    .col(timestamp_with_time_zone(MarketSyncCursors::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MarketSyncCursors::Table).to_owned())
            .await
    }
}

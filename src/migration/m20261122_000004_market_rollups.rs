//! Career Navigator: daily rollups of the job postings (see `market::rollups`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MarketDailyCounts {
    Table,
    Day,
    Dimension,
    Role,
    Key,
    Postings,
    SalaryCount,
    SalaryMinSum,
    SalaryMaxSum,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MarketDailyCounts::Table)
                    // Days since 1970-01-01, UTC.
                    .col(integer(MarketDailyCounts::Day))
                    .col(string_len(MarketDailyCounts::Dimension, 20))
                    .col(string_len(MarketDailyCounts::Role, 300))
                    .col(string_len(MarketDailyCounts::Key, 300))
                    .col(big_integer(MarketDailyCounts::Postings))
                    .col(big_integer(MarketDailyCounts::SalaryCount))
                    .col(big_integer(MarketDailyCounts::SalaryMinSum))
                    .col(big_integer(MarketDailyCounts::SalaryMaxSum))
                    // Dimension and role first: every read asks for one of each and a day range.
                    .primary_key(
                        Index::create()
                            .col(MarketDailyCounts::Dimension)
                            .col(MarketDailyCounts::Role)
                            .col(MarketDailyCounts::Day)
                            .col(MarketDailyCounts::Key),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MarketDailyCounts::Table).to_owned())
            .await
    }
}

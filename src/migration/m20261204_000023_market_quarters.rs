//! Career Navigator: trending's rollups are kept by quarter of a day (6 hours) too, as
//! `market_counts` rows of span `market::window::QUARTER` whose `day` is the quarter's number,
//! so a trending window reads at most 3 hours of postings instead of half a day. A database
//! with postings and no quarter rows has its rollups counted again from the postings.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

use crate::market::window::QUARTER;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        if super::postings_without_counts(conn, &format!("span = {QUARTER}")).await? {
            crate::market::rollups::rebuild(conn).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!("DELETE FROM market_counts WHERE span = {QUARTER}"))
            .await?;
        Ok(())
    }
}

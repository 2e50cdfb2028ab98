//! Career Navigator: the market rollups move to `market_counts`, which keeps every day's counts
//! in buckets of 1, 8 and 64 days (`market::window`), so a year's window reads a dozen buckets
//! instead of 365 days. Its primary key leads with the role and the bucket (every read asks for
//! one role and a few buckets), and on SQLite the table is clustered on it (`WITHOUT ROWID`),
//! so a bucket's rows are read in order with no second lookup per row.
//!
//! On SQLite the posting indexes trending and the gap analysis read a window's first day
//! through also hold the columns those reads take: the rows are read from the index alone,
//! not from a table whose long descriptions sit before the technology slugs.
//!
//! The old daily rows are copied, and summed into the coarser buckets, in SQL; postings without
//! any rollups (emptied by migration 13) are counted again.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The coarser bucket sizes, in days, as `market::window::SPANS` has them after 1.
const COARSER_SPANS: [i32; 2] = [8, 64];

const SUMS: &str = "postings, salary_count, salary_min_sum, salary_max_sum";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let backend = manager.get_database_backend();
        conn.execute_unprepared(&create_table(backend)).await?;
        conn.execute_unprepared(&format!(
            "INSERT INTO market_counts (role, span, day, dimension, key, {SUMS}) \
             SELECT role, 1, day, dimension, key, {SUMS} FROM market_daily_counts"
        ))
        .await?;
        for span in COARSER_SPANS {
            // `%` truncates toward zero on both engines; this is the floor for days before 1970.
            conn.execute_unprepared(&format!(
                "INSERT INTO market_counts (role, span, day, dimension, key, {SUMS}) \
                 SELECT role, {span}, day - (((day % {span}) + {span}) % {span}), dimension, key, \
                 SUM(postings), SUM(salary_count), SUM(salary_min_sum), SUM(salary_max_sum) \
                 FROM market_daily_counts GROUP BY 1, 3, 4, 5"
            ))
            .await?;
        }
        conn.execute_unprepared("DROP TABLE market_daily_counts")
            .await?;
        if super::postings_without_counts(conn, "1 = 1").await? {
            crate::market::rollups::rebuild(conn).await?;
        }
        if backend == DbBackend::Sqlite {
            conn.execute_unprepared(
                "DROP INDEX idx_job_postings_scraped_at; \
                 CREATE INDEX idx_job_postings_trend ON job_postings (scraped_at, location, \
                 min_annual_salary_usd, max_annual_salary_usd, remote, technology_slugs); \
                 DROP INDEX idx_job_postings_keywords; \
                 CREATE INDEX idx_job_postings_keywords ON job_postings \
                 (search_keywords_key, scraped_at, technology_slugs)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Sqlite {
            conn.execute_unprepared(
                "DROP INDEX idx_job_postings_trend; \
                 CREATE INDEX idx_job_postings_scraped_at ON job_postings (scraped_at); \
                 DROP INDEX idx_job_postings_keywords; \
                 CREATE INDEX idx_job_postings_keywords ON job_postings \
                 (search_keywords_key, scraped_at)",
            )
            .await?;
        }
        conn.execute_unprepared(
            "CREATE TABLE market_daily_counts (day integer NOT NULL, \
             dimension varchar(20) NOT NULL, role varchar(300) NOT NULL, \
             key varchar(300) NOT NULL, postings bigint NOT NULL, salary_count bigint NOT NULL, \
             salary_min_sum bigint NOT NULL, salary_max_sum bigint NOT NULL, \
             PRIMARY KEY (dimension, role, day, key))",
        )
        .await?;
        conn.execute_unprepared(&format!(
            "INSERT INTO market_daily_counts (day, dimension, role, key, {SUMS}) \
             SELECT day, dimension, role, key, {SUMS} FROM market_counts WHERE span = 1"
        ))
        .await?;
        conn.execute_unprepared("DROP TABLE market_counts").await?;
        Ok(())
    }
}

fn create_table(backend: DbBackend) -> String {
    let clustered = if backend == DbBackend::Sqlite {
        " WITHOUT ROWID"
    } else {
        ""
    };
    format!(
        "CREATE TABLE market_counts (role varchar(300) NOT NULL, span integer NOT NULL, \
         day integer NOT NULL, dimension varchar(20) NOT NULL, key varchar(300) NOT NULL, \
         postings bigint NOT NULL, salary_count bigint NOT NULL, \
         salary_min_sum bigint NOT NULL, salary_max_sum bigint NOT NULL, \
         PRIMARY KEY (role, span, day, dimension, key)){clustered}"
    )
}

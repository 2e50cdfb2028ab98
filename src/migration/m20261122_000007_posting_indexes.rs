//! Career Navigator: drops the job-posting indexes no query uses. Location and company filters
//! are case-insensitive substring matches, which a b-tree cannot serve, and nothing orders by
//! `date_posted`; each index still cost every imported posting a b-tree insert.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UNUSED: [(&str, &str); 3] = [
    ("idx_job_postings_company", "company"),
    ("idx_job_postings_location", "location"),
    ("idx_job_postings_date_posted", "date_posted"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in UNUSED {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Alias::new("job_postings"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, column) in UNUSED {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Alias::new("job_postings"))
                        .col(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

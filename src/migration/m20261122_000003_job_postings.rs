//! Career Navigator: job postings gathered from the jobs-data provider or imported.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JobPostings {
    Table,
    Id,
    JobId,
    Title,
    Company,
    CompanyDomain,
    CompanyIndustry,
    Location,
    Description,
    Skills,
    TechnologySlugs,
    Url,
    SearchKeywords,
    SearchKeywordsKey,
    SearchLocation,
    DatePosted,
    ScrapedAt,
    UpdatedAt,
    MinAnnualSalaryUsd,
    MaxAnnualSalaryUsd,
    Remote,
    Coordinates,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JobPostings::Table)
                    .col(big_pk_auto(JobPostings::Id))
                    .col(string_len_null(JobPostings::JobId, 200).unique_key())
                    .col(string_len(JobPostings::Title, 500))
                    .col(string_len(JobPostings::Company, 300))
                    .col(string_len_null(JobPostings::CompanyDomain, 300))
                    .col(string_len_null(JobPostings::CompanyIndustry, 40))
                    .col(string_len(JobPostings::Location, 300).default(""))
                    .col(text(JobPostings::Description).default(""))
                    .col(json_binary(JobPostings::Skills))
                    .col(json_binary(JobPostings::TechnologySlugs))
                    .col(string_len_uniq(JobPostings::Url, 2000))
                    .col(string_len(JobPostings::SearchKeywords, 300).default(""))
                    // Lowercased copy: the gap analysis matches roles regardless of case.
                    .col(string_len(JobPostings::SearchKeywordsKey, 300).default(""))
                    .col(string_len(JobPostings::SearchLocation, 300).default(""))
                    .col(timestamp_with_time_zone_null(JobPostings::DatePosted))
                    .col(timestamp_with_time_zone(JobPostings::ScrapedAt))
                    .col(timestamp_with_time_zone(JobPostings::UpdatedAt))
                    .col(big_integer_null(JobPostings::MinAnnualSalaryUsd))
                    .col(big_integer_null(JobPostings::MaxAnnualSalaryUsd))
                    .col(boolean_null(JobPostings::Remote))
                    .col(json_binary_null(JobPostings::Coordinates))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_job_postings_scraped_at", vec![JobPostings::ScrapedAt]),
            (
                "idx_job_postings_date_posted",
                vec![JobPostings::DatePosted],
            ),
            (
                "idx_job_postings_keywords",
                vec![JobPostings::SearchKeywordsKey, JobPostings::ScrapedAt],
            ),
            ("idx_job_postings_company", vec![JobPostings::Company]),
            ("idx_job_postings_location", vec![JobPostings::Location]),
        ] {
            let mut index = Index::create();
            index.name(name).table(JobPostings::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobPostings::Table).to_owned())
            .await
    }
}

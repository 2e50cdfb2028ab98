//! JobTracker: job applications, resumes (shared with Grooya's JSON resumes) and one ATS
//! analysis per application.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum JobApplications {
    Table,
    Id,
    UserId,
    CompanyName,
    JobTitle,
    JobUrl,
    JobDescription,
    DescriptionSource,
    ExtractionStatus,
    ExtractionError,
    ExtractionMethod,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Resumes {
    Table,
    Id,
    UserId,
    JobApplicationId,
    Title,
    Content,
    FileKey,
    FileName,
    FileType,
    FileSize,
    ParsedText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AiAnalyses {
    Table,
    Id,
    UserId,
    JobApplicationId,
    ResumeId,
    CandidateLevel,
    TargetStack,
    Status,
    Engine,
    Generation,
    AtsScore,
    ScoreBreakdown,
    MissingKeywords,
    Strengths,
    Suggestions,
    ErrorMessage,
    CreatedAt,
    UpdatedAt,
}

fn references(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, column: impl IntoIden) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col(column)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JobApplications::Table)
                    .col(big_pk_auto(JobApplications::Id))
                    .col(big_integer(JobApplications::UserId))
                    .col(string_len(JobApplications::CompanyName, 255).default(""))
                    .col(string_len(JobApplications::JobTitle, 255).default(""))
                    .col(string_len_null(JobApplications::JobUrl, 1000))
                    .col(text(JobApplications::JobDescription).default(""))
                    // manual | extracted
                    .col(string_len(JobApplications::DescriptionSource, 16))
                    // pending | success | failed | needs_manual
                    .col(string_len(JobApplications::ExtractionStatus, 16))
                    .col(text(JobApplications::ExtractionError).default(""))
                    // json_ld | meta | main_content, when extraction worked
                    .col(string_len_null(JobApplications::ExtractionMethod, 16))
                    .col(timestamp_with_time_zone(JobApplications::CreatedAt))
                    .col(timestamp_with_time_zone(JobApplications::UpdatedAt))
                    .foreign_key(&mut references(
                        (JobApplications::Table, JobApplications::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_job_applications_user",
                JobApplications::Table,
                JobApplications::UserId,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Resumes::Table)
                    .col(big_pk_auto(Resumes::Id))
                    .col(big_integer(Resumes::UserId))
                    .col(big_integer_null(Resumes::JobApplicationId))
                    .col(string_len(Resumes::Title, 255).default(""))
                    // Grooya's structured resume; null for an uploaded file alone.
                    .col(json_binary_null(Resumes::Content))
                    // The storage key of an uploaded file, and what it was.
                    .col(string_len_null(Resumes::FileKey, 300))
                    .col(string_len(Resumes::FileName, 255).default(""))
                    .col(string_len_null(Resumes::FileType, 8))
                    .col(big_integer_null(Resumes::FileSize))
                    .col(text(Resumes::ParsedText).default(""))
                    .col(timestamp_with_time_zone(Resumes::CreatedAt))
                    .col(timestamp_with_time_zone(Resumes::UpdatedAt))
                    .foreign_key(&mut references(
                        (Resumes::Table, Resumes::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut references(
                        (Resumes::Table, Resumes::JobApplicationId),
                        (JobApplications::Table, JobApplications::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_resumes_user", Resumes::Table, Resumes::UserId))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AiAnalyses::Table)
                    .col(big_pk_auto(AiAnalyses::Id))
                    .col(big_integer(AiAnalyses::UserId))
                    // One analysis per application, reused by every re-analysis.
                    .col(big_integer_uniq(AiAnalyses::JobApplicationId))
                    .col(big_integer_null(AiAnalyses::ResumeId))
                    .col(string_len(AiAnalyses::CandidateLevel, 16))
                    .col(json_binary(AiAnalyses::TargetStack))
                    // pending | processing | completed | failed
                    .col(string_len(AiAnalyses::Status, 16))
                    // local | llm | local_fallback
                    .col(string_len(AiAnalyses::Engine, 16).default(""))
                    // Bumped by every re-analysis; a run writes only if it is still current.
                    .col(integer(AiAnalyses::Generation).default(0))
                    .col(integer(AiAnalyses::AtsScore).default(0))
                    .col(json_binary(AiAnalyses::ScoreBreakdown))
                    .col(json_binary(AiAnalyses::MissingKeywords))
                    .col(json_binary(AiAnalyses::Strengths))
                    .col(json_binary(AiAnalyses::Suggestions))
                    .col(text(AiAnalyses::ErrorMessage).default(""))
                    .col(timestamp_with_time_zone(AiAnalyses::CreatedAt))
                    .col(timestamp_with_time_zone(AiAnalyses::UpdatedAt))
                    .foreign_key(&mut references(
                        (AiAnalyses::Table, AiAnalyses::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut references(
                        (AiAnalyses::Table, AiAnalyses::JobApplicationId),
                        (JobApplications::Table, JobApplications::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut references(
                        (AiAnalyses::Table, AiAnalyses::ResumeId),
                        (Resumes::Table, Resumes::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AiAnalyses::Table.into_iden(),
            Resumes::Table.into_iden(),
            JobApplications::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

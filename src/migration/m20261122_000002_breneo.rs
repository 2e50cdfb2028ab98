//! Breneo: work experiences, educations, the industry profile, and the public-profile switch.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    ProfilePublic,
}

#[derive(DeriveIden)]
enum IndustryProfiles {
    Table,
    Id,
    UserId,
    IndustryYearsJson,
    Source,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WorkExperiences {
    Table,
    Id,
    UserId,
    JobTitle,
    Company,
    StartDate,
    StartPrecision,
    EndDate,
    EndPrecision,
    IsCurrent,
    JobType,
    Location,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Educations {
    Table,
    Id,
    UserId,
    Institution,
    Degree,
    FieldOfStudy,
    StartDate,
    StartPrecision,
    EndDate,
    EndPrecision,
    IsCurrent,
    CreatedAt,
    UpdatedAt,
}

fn owned_by_user(from: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(boolean(Users::ProfilePublic).default(false))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IndustryProfiles::Table)
                    .col(big_pk_auto(IndustryProfiles::Id))
                    // One row per user, enforced here.
                    .col(big_integer_uniq(IndustryProfiles::UserId))
                    .col(json_binary(IndustryProfiles::IndustryYearsJson))
                    .col(string_len(IndustryProfiles::Source, 10))
                    .col(timestamp_with_time_zone(IndustryProfiles::UpdatedAt))
                    .foreign_key(&mut owned_by_user((
                        IndustryProfiles::Table,
                        IndustryProfiles::UserId,
                    )))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WorkExperiences::Table)
                    .col(big_pk_auto(WorkExperiences::Id))
                    .col(big_integer(WorkExperiences::UserId))
                    .col(string_len(WorkExperiences::JobTitle, 200))
                    .col(string_len(WorkExperiences::Company, 200))
                    .col(date(WorkExperiences::StartDate))
                    .col(string_len(WorkExperiences::StartPrecision, 5))
                    .col(date_null(WorkExperiences::EndDate))
                    .col(string_len_null(WorkExperiences::EndPrecision, 5))
                    .col(boolean(WorkExperiences::IsCurrent).default(false))
                    .col(string_len(WorkExperiences::JobType, 50).default(""))
                    .col(string_len(WorkExperiences::Location, 200).default(""))
                    .col(text(WorkExperiences::Description).default(""))
                    .col(timestamp_with_time_zone(WorkExperiences::CreatedAt))
                    .col(timestamp_with_time_zone(WorkExperiences::UpdatedAt))
                    .foreign_key(&mut owned_by_user((
                        WorkExperiences::Table,
                        WorkExperiences::UserId,
                    )))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_work_experiences_user_start")
                    .table(WorkExperiences::Table)
                    .col(WorkExperiences::UserId)
                    .col(WorkExperiences::StartDate)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Educations::Table)
                    .col(big_pk_auto(Educations::Id))
                    .col(big_integer(Educations::UserId))
                    .col(string_len(Educations::Institution, 200))
                    .col(string_len(Educations::Degree, 200).default(""))
                    .col(string_len(Educations::FieldOfStudy, 200).default(""))
                    .col(date(Educations::StartDate))
                    .col(string_len(Educations::StartPrecision, 5))
                    .col(date_null(Educations::EndDate))
                    .col(string_len_null(Educations::EndPrecision, 5))
                    .col(boolean(Educations::IsCurrent).default(false))
                    .col(timestamp_with_time_zone(Educations::CreatedAt))
                    .col(timestamp_with_time_zone(Educations::UpdatedAt))
                    .foreign_key(&mut owned_by_user((Educations::Table, Educations::UserId)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_educations_user_start")
                    .table(Educations::Table)
                    .col(Educations::UserId)
                    .col(Educations::StartDate)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Educations::Table.into_iden(),
            WorkExperiences::Table.into_iden(),
            IndustryProfiles::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::ProfilePublic)
                    .to_owned(),
            )
            .await
    }
}

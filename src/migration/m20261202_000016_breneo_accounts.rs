//! Breneo's real frontend: codes emailed for sign-up, email verification and password resets
//! (`email_codes`, only a hash of each code kept); the profile page's country, social links and
//! uploaded photo on the account; an education's GPA.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EmailCodes {
    Table,
    Id,
    Email,
    Purpose,
    CodeHash,
    Payload,
    Attempts,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    CountryRegion,
    SocialLinks,
    ProfileImageKey,
}

#[derive(DeriveIden)]
enum Educations {
    Table,
    Gpa,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EmailCodes::Table)
                    .col(big_pk_auto(EmailCodes::Id))
                    // Lowercased, as accounts store it.
                    .col(string_len(EmailCodes::Email, 254))
                    // `signup`, `verify_email` or `password_reset`.
                    .col(string_len(EmailCodes::Purpose, 20))
                    .col(string_len(EmailCodes::CodeHash, 64))
                    // A pending sign-up's account fields (its password already hashed).
                    .col(json_binary_null(EmailCodes::Payload))
                    .col(integer(EmailCodes::Attempts).default(0))
                    .col(timestamp_with_time_zone(EmailCodes::ExpiresAt))
                    .col(timestamp_with_time_zone(EmailCodes::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_email_codes_email_purpose")
                    .table(EmailCodes::Table)
                    .col(EmailCodes::Email)
                    .col(EmailCodes::Purpose)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for column in [
            string_len(Users::CountryRegion, 100).default("").to_owned(),
            json_binary(Users::SocialLinks).default("{}").to_owned(),
            string_len_null(Users::ProfileImageKey, 300).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Educations::Table)
                    .add_column(string_len_null(Educations::Gpa, 20))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Educations::Table)
                    .drop_column(Educations::Gpa)
                    .to_owned(),
            )
            .await?;
        for column in [
            Users::ProfileImageKey,
            Users::SocialLinks,
            Users::CountryRegion,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(EmailCodes::Table).to_owned())
            .await
    }
}

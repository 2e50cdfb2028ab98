//! Accounts: one user table for all five products, their skills, and used refresh tokens.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Username,
    FirstName,
    LastName,
    FullName,
    NameKey,
    Password,
    IsActive,
    IsStaff,
    IsSuperuser,
    AccountKind,
    EmailVerified,
    PhoneNumber,
    Title,
    Bio,
    AvatarUrl,
    SubscriptionTier,
    AiTextCredits,
    AiImageCredits,
    TargetRoles,
    ExperienceLevel,
    Location,
    DateJoined,
    UpdatedAt,
    LastLogin,
}

#[derive(DeriveIden)]
enum UserSkills {
    Table,
    Id,
    UserId,
    Name,
    NormalizedName,
    Category,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RevokedTokens {
    Table,
    Jti,
    UserId,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len_uniq(Users::Username, 150))
                    .col(string_len(Users::FirstName, 150).default(""))
                    .col(string_len(Users::LastName, 150).default(""))
                    .col(string_len(Users::FullName, 301).default(""))
                    .col(string_len(Users::NameKey, 301).default(""))
                    .col(string_len(Users::Password, 255))
                    .col(boolean(Users::IsActive).default(true))
                    .col(boolean(Users::IsStaff).default(false))
                    .col(boolean(Users::IsSuperuser).default(false))
                    .col(string_len(Users::AccountKind, 20).default("user"))
                    .col(boolean(Users::EmailVerified).default(false))
                    .col(string_len_null(Users::PhoneNumber, 32))
                    .col(string_len(Users::Title, 200).default(""))
                    .col(text(Users::Bio).default(""))
                    .col(string_len_null(Users::AvatarUrl, 1000))
                    .col(string_len(Users::SubscriptionTier, 20).default("free"))
                    .col(integer(Users::AiTextCredits).default(0))
                    .col(integer(Users::AiImageCredits).default(0))
                    .col(json_binary(Users::TargetRoles))
                    .col(string_len_null(Users::ExperienceLevel, 32))
                    .col(string_len_null(Users::Location, 200))
                    .col(timestamp_with_time_zone(Users::DateJoined))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Users::LastLogin))
                    .to_owned(),
            )
            .await?;
        // Breneo logs in by "First Last": an indexed, lowercased copy of the full name.
        manager
            .create_index(
                Index::create()
                    .name("idx_users_name_key")
                    .table(Users::Table)
                    .col(Users::NameKey)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserSkills::Table)
                    .col(big_pk_auto(UserSkills::Id))
                    .col(big_integer(UserSkills::UserId))
                    .col(string_len(UserSkills::Name, 100))
                    .col(string_len(UserSkills::NormalizedName, 100))
                    .col(string_len_null(UserSkills::Category, 40))
                    .col(integer(UserSkills::Position).default(0))
                    .col(timestamp_with_time_zone(UserSkills::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserSkills::Table, UserSkills::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_user_skills_user_name")
                    .table(UserSkills::Table)
                    .col(UserSkills::UserId)
                    .col(UserSkills::NormalizedName)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RevokedTokens::Table)
                    .col(string_len(RevokedTokens::Jti, 64).primary_key())
                    .col(big_integer(RevokedTokens::UserId))
                    .col(timestamp_with_time_zone(RevokedTokens::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_revoked_tokens_expires_at")
                    .table(RevokedTokens::Table)
                    .col(RevokedTokens::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RevokedTokens::Table.into_iden(),
            UserSkills::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

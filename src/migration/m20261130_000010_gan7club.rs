//! Gan7Club: one profile per talent or background account (picture, country, birth date,
//! gender) and subscriptions (plan, status, dates) managed by admins and the CLI.

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
enum Gan7Profiles {
    Table,
    Id,
    UserId,
    PictureKey,
    ThumbnailKey,
    Country,
    DateOfBirth,
    Gender,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Subscriptions {
    Table,
    Id,
    UserId,
    Plan,
    Status,
    StartsAt,
    EndsAt,
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
            .create_table(
                Table::create()
                    .table(Gan7Profiles::Table)
                    .col(big_pk_auto(Gan7Profiles::Id))
                    .col(big_integer_uniq(Gan7Profiles::UserId))
                    // Storage keys of the picture and its thumbnail.
                    .col(string_len_null(Gan7Profiles::PictureKey, 300))
                    .col(string_len_null(Gan7Profiles::ThumbnailKey, 300))
                    .col(string_len(Gan7Profiles::Country, 25).default(""))
                    .col(date_null(Gan7Profiles::DateOfBirth))
                    .col(string_len(Gan7Profiles::Gender, 10).default(""))
                    .col(timestamp_with_time_zone(Gan7Profiles::CreatedAt))
                    .col(timestamp_with_time_zone(Gan7Profiles::UpdatedAt))
                    .foreign_key(&mut owned_by_user((
                        Gan7Profiles::Table,
                        Gan7Profiles::UserId,
                    )))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(big_pk_auto(Subscriptions::Id))
                    .col(big_integer(Subscriptions::UserId))
                    // starter | pro | premium
                    .col(string_len(Subscriptions::Plan, 20))
                    // active | ended
                    .col(string_len(Subscriptions::Status, 20))
                    .col(timestamp_with_time_zone(Subscriptions::StartsAt))
                    .col(timestamp_with_time_zone_null(Subscriptions::EndsAt))
                    .col(timestamp_with_time_zone(Subscriptions::CreatedAt))
                    .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                    .foreign_key(&mut owned_by_user((
                        Subscriptions::Table,
                        Subscriptions::UserId,
                    )))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_subscriptions_user")
                    .table(Subscriptions::Table)
                    .col(Subscriptions::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Subscriptions::Table.into_iden(),
            Gan7Profiles::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

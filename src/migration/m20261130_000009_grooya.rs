//! Grooya: portfolios (opaque `design` and `pages` JSON, unique slugs), projects and image assets.

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
enum Portfolios {
    Table,
    Id,
    UserId,
    Title,
    Slug,
    Design,
    Pages,
    IsPublished,
    IsGuided,
    Goal,
    Role,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    UserId,
    Title,
    Description,
    ImageUrl,
    Technologies,
    Link,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Assets {
    Table,
    Id,
    UserId,
    FileKey,
    ContentType,
    Width,
    Height,
    Size,
    Prompt,
    CreatedAt,
}

fn owned_by_user(from: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
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
                    .table(Portfolios::Table)
                    .col(big_pk_auto(Portfolios::Id))
                    .col(big_integer(Portfolios::UserId))
                    .col(string_len(Portfolios::Title, 200))
                    // Unique: the public page's address.
                    .col(string_len_uniq(Portfolios::Slug, 120))
                    .col(json_binary(Portfolios::Design))
                    .col(json_binary(Portfolios::Pages))
                    .col(boolean(Portfolios::IsPublished).default(false))
                    .col(boolean(Portfolios::IsGuided).default(false))
                    .col(string_len(Portfolios::Goal, 20).default(""))
                    .col(string_len(Portfolios::Role, 200).default(""))
                    .col(timestamp_with_time_zone(Portfolios::CreatedAt))
                    .col(timestamp_with_time_zone(Portfolios::UpdatedAt))
                    .foreign_key(&mut owned_by_user((Portfolios::Table, Portfolios::UserId)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_portfolios_user",
                Portfolios::Table,
                Portfolios::UserId,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Projects::Table)
                    .col(big_pk_auto(Projects::Id))
                    .col(big_integer(Projects::UserId))
                    .col(string_len(Projects::Title, 200))
                    .col(text(Projects::Description).default(""))
                    .col(string_len(Projects::ImageUrl, 1000).default(""))
                    .col(json_binary(Projects::Technologies))
                    .col(string_len(Projects::Link, 1000).default(""))
                    .col(timestamp_with_time_zone(Projects::CreatedAt))
                    .col(timestamp_with_time_zone(Projects::UpdatedAt))
                    .foreign_key(&mut owned_by_user((Projects::Table, Projects::UserId)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_projects_user",
                Projects::Table,
                Projects::UserId,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Assets::Table)
                    .col(big_pk_auto(Assets::Id))
                    .col(big_integer(Assets::UserId))
                    .col(string_len(Assets::FileKey, 300))
                    .col(string_len(Assets::ContentType, 40))
                    .col(integer(Assets::Width))
                    .col(integer(Assets::Height))
                    .col(big_integer(Assets::Size))
                    // The prompt of a generated image; empty for an upload.
                    .col(text(Assets::Prompt).default(""))
                    .col(timestamp_with_time_zone(Assets::CreatedAt))
                    .foreign_key(&mut owned_by_user((Assets::Table, Assets::UserId)))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_assets_user", Assets::Table, Assets::UserId))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Assets::Table.into_iden(),
            Projects::Table.into_iden(),
            Portfolios::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

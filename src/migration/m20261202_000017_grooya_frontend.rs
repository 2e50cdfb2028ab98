//! Grooya's real frontend: a portfolio's keys careerhub has no column for (`customPalettes`,
//! `designPresets`, `assets`, …) kept as sent; credits refilled once per monthly period
//! (`credits_period`); the free plan's one use of each AI feature (`ai_free_uses`); the
//! early-adopter badge; promo codes and who used them. Slugs become lowercase where that
//! takes no other portfolio's slug.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Portfolios {
    Table,
    Extra,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    CreditsPeriod,
    IsEarlyAdopter,
}

#[derive(DeriveIden)]
enum AiFreeUses {
    Table,
    Id,
    UserId,
    Feature,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PromoCodes {
    Table,
    Id,
    Code,
    GrantsTier,
    GrantsDays,
    TextCredits,
    ImageCredits,
    IsEarlyAdopter,
    UsageLimit,
    TimesUsed,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PromoRedemptions {
    Table,
    Id,
    PromoCodeId,
    UserId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Portfolios::Table)
                    .add_column(json_binary(Portfolios::Extra).default("{}"))
                    .to_owned(),
            )
            .await?;
        for column in [
            // `YYYY-MM`: the month whose credits the account has had; null: refill on next use.
            string_len_null(Users::CreditsPeriod, 7).to_owned(),
            boolean(Users::IsEarlyAdopter).default(false).to_owned(),
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
        create_free_uses(manager).await?;
        create_promo_codes(manager).await?;
        lowercase_slugs(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PromoRedemptions::Table.into_iden(),
            PromoCodes::Table.into_iden(),
            AiFreeUses::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [Users::IsEarlyAdopter, Users::CreditsPeriod] {
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
            .alter_table(
                Table::alter()
                    .table(Portfolios::Table)
                    .drop_column(Portfolios::Extra)
                    .to_owned(),
            )
            .await
    }
}

async fn create_free_uses(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(AiFreeUses::Table)
                .col(big_pk_auto(AiFreeUses::Id))
                .col(big_integer(AiFreeUses::UserId))
                .col(string_len(AiFreeUses::Feature, 40))
                .col(timestamp_with_time_zone(AiFreeUses::CreatedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_ai_free_uses_user_feature")
                .table(AiFreeUses::Table)
                .col(AiFreeUses::UserId)
                .col(AiFreeUses::Feature)
                .unique()
                .to_owned(),
        )
        .await
}

async fn create_promo_codes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PromoCodes::Table)
                .col(big_pk_auto(PromoCodes::Id))
                // Uppercase: codes are matched without regard to case.
                .col(string_len_uniq(PromoCodes::Code, 40))
                // `starter`, `pro` or `premium`; null: the code grants credits only.
                .col(string_len_null(PromoCodes::GrantsTier, 20))
                // How long a granted plan lasts; null: until ended.
                .col(integer_null(PromoCodes::GrantsDays))
                .col(integer(PromoCodes::TextCredits).default(0))
                .col(integer(PromoCodes::ImageCredits).default(0))
                .col(boolean(PromoCodes::IsEarlyAdopter).default(false))
                .col(integer(PromoCodes::UsageLimit))
                .col(integer(PromoCodes::TimesUsed).default(0))
                .col(timestamp_with_time_zone_null(PromoCodes::ExpiresAt))
                .col(timestamp_with_time_zone(PromoCodes::CreatedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(PromoRedemptions::Table)
                .col(big_pk_auto(PromoRedemptions::Id))
                .col(big_integer(PromoRedemptions::PromoCodeId))
                .col(big_integer(PromoRedemptions::UserId))
                .col(timestamp_with_time_zone(PromoRedemptions::CreatedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("idx_promo_redemptions_code_user")
                .table(PromoRedemptions::Table)
                .col(PromoRedemptions::PromoCodeId)
                .col(PromoRedemptions::UserId)
                .unique()
                .to_owned(),
        )
        .await
}

/// Lowercases every slug whose lowercase form no other portfolio has; a clash keeps its
/// spelling (it is still found by its exact spelling).
async fn lowercase_slugs(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT id, slug FROM portfolios WHERE slug <> LOWER(slug)",
        ))
        .await?;
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        let slug: String = row.try_get("", "slug")?;
        let lower = slug.to_lowercase();
        let placeholder = |n: usize| match backend {
            sea_orm::DatabaseBackend::Postgres => format!("${n}"),
            _ => "?".to_owned(),
        };
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            format!(
                "UPDATE portfolios SET slug = {} WHERE id = {} AND NOT EXISTS \
                 (SELECT 1 FROM portfolios other WHERE other.slug = {})",
                placeholder(1),
                placeholder(2),
                placeholder(3)
            ),
            [lower.clone().into(), id.into(), lower.into()],
        ))
        .await?;
    }
    Ok(())
}

//! The `portfolios` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "portfolios")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    /// Unique; the public page's address.
    pub slug: String,
    /// The frontend's design object, stored and returned unchanged.
    #[sea_orm(column_type = "JsonBinary")]
    pub design: Json,
    /// The frontend's pages and blocks, stored and returned unchanged.
    #[sea_orm(column_type = "JsonBinary")]
    pub pages: Json,
    pub is_published: bool,
    pub is_guided: bool,
    /// `job`, `freelance`, `personal` or empty.
    pub goal: String,
    pub role: String,
    /// Top-level keys of the frontend's portfolio that have no column here (`customPalettes`,
    /// `designPresets`, `assets`, …), kept and returned as sent.
    #[sea_orm(column_type = "JsonBinary")]
    pub extra: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

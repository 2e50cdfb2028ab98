//! The `gan7_profiles` table: one per talent or background account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "gan7_profiles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// Storage key of the picture (at most 1024 px) and of its 256 px thumbnail.
    pub picture_key: Option<String>,
    pub thumbnail_key: Option<String>,
    pub country: String,
    pub date_of_birth: Option<Date>,
    /// `Male`, `Female`, `Other` or empty.
    pub gender: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! The `gan7_profiles` table: one per talent or background account.

use sea_orm::entity::prelude::*;
use sea_orm::{ActiveModelTrait, Set};

use crate::db;

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
    /// `Male`, `Female`, `Other`, `prefer_not_to_say` or empty.
    pub gender: String,
    /// Country of residency, as the signup's select sends it (lowercase ISO 3166 alpha-2).
    pub residency: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The user's profile row, made on first use for accounts that have none yet (a talent account
/// made through another product's register route). Concurrent first uses make one row: the
/// insert does nothing when another request's landed first.
pub async fn ensure(conn: &impl ConnectionTrait, user_id: i64) -> Result<Model, DbErr> {
    let find = || Entity::find().filter(Column::UserId.eq(user_id)).one(conn);
    if let Some(existing) = find().await? {
        return Ok(existing);
    }
    let row = filled(<ActiveModel as Default>::default(), user_id);
    Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(Column::UserId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    find()
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("gan7_profiles".into()))
}

/// Inserts a profile for `user_id` with the given fields set (the rest empty).
pub async fn insert(
    conn: &impl ConnectionTrait,
    row: ActiveModel,
    user_id: i64,
) -> Result<Model, DbErr> {
    filled(row, user_id).insert(conn).await
}

/// `row` for `user_id`, every field it leaves unset empty.
fn filled(mut row: ActiveModel, user_id: i64) -> ActiveModel {
    let now = db::now();
    row.user_id = Set(user_id);
    for (field, empty) in [
        (&mut row.country, String::new()),
        (&mut row.gender, String::new()),
        (&mut row.residency, String::new()),
    ] {
        if field.is_not_set() {
            *field = Set(empty);
        }
    }
    if row.picture_key.is_not_set() {
        row.picture_key = Set(None);
    }
    if row.thumbnail_key.is_not_set() {
        row.thumbnail_key = Set(None);
    }
    if row.date_of_birth.is_not_set() {
        row.date_of_birth = Set(None);
    }
    row.created_at = Set(now);
    row.updated_at = Set(now);
    row
}

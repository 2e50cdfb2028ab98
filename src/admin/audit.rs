//! The audit log: who changed what, when, with the record before and after. Every change made
//! through the admin writes one entry, in the same transaction as the change where it can.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde_json::Value;

use super::session::Staff;

/// The `audit_log` table.
pub mod entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// `None` once the actor's account is deleted; the email stays.
        pub actor_id: Option<i64>,
        pub actor_email: String,
        /// What was done, e.g. `user.update`.
        pub action: String,
        /// The kind of record changed, e.g. `user`, and its id.
        pub target_type: String,
        pub target_id: String,
        #[sea_orm(column_type = "JsonBinary", nullable)]
        pub before: Option<Json>,
        #[sea_orm(column_type = "JsonBinary", nullable)]
        pub after: Option<Json>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Who made a change.
#[derive(Clone, Copy)]
pub struct Actor<'a> {
    pub id: i64,
    pub email: &'a str,
}

impl Staff {
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            id: self.user.id,
            email: &self.user.email,
        }
    }
}

/// Records `action` on `target` (its type and id), with the record before and after it.
pub async fn record(
    conn: &impl ConnectionTrait,
    actor: Actor<'_>,
    action: &str,
    target: (&str, impl ToString),
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), DbErr> {
    entry::ActiveModel {
        actor_id: Set(Some(actor.id)),
        actor_email: Set(actor.email.to_owned()),
        action: Set(action.to_owned()),
        target_type: Set(target.0.to_owned()),
        target_id: Set(target.1.to_string()),
        before: Set(before),
        after: Set(after),
        created_at: Set(crate::db::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

//! The owners of listed records: their emails in one query per page, and a link to each.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::user;
use crate::admin::page::{AdminResult, Cell};
use crate::state::AppState;

/// The emails of the users who own `ids`.
pub async fn emails_of(
    state: &AppState,
    ids: impl Iterator<Item = i64>,
) -> AdminResult<HashMap<i64, String>> {
    let ids: Vec<i64> = ids.collect();
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(state.db.reader())
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}

/// A link to a record's owner.
pub fn owner_cell(emails: &HashMap<i64, String>, user_id: i64) -> Cell {
    let email = emails.get(&user_id).map_or("(deleted)", String::as_str);
    Cell::link(email, format!("/admin/users/{user_id}"))
}

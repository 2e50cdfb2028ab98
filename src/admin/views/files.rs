//! Stored images: Grooya assets and Gan7Club profile pictures, shown and deleted (the row first,
//! then the file, so nothing ever points at a missing file).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::owners::{emails_of, owner_cell};
use crate::admin::audit;
use crate::admin::list::{
    Filter, ListPage, ListQuery, ListSpec, Sorts, fetch_page, search_owned, sorted,
};
use crate::admin::page::{AdminError, AdminResult, Cell, render};
use crate::admin::session::{AdminForm, NoFields, Staff};
use crate::db;
use crate::extract::Path;
use crate::portfolios::assets::asset;
use crate::state::AppState;
use crate::talent::profile;

const PATH: &str = "/admin/files";

static ASSET_SORTS: Sorts<asset::Column> = Sorts {
    columns: &[
        ("created", asset::Column::CreatedAt),
        ("size", asset::Column::Size),
    ],
    default_desc: true,
};

static PICTURE_SORTS: Sorts<profile::Column> = Sorts {
    columns: &[("updated", profile::Column::UpdatedAt)],
    default_desc: true,
};

/// `GET /admin/files`: assets, or pictures with `kind=pictures`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    if query.get("kind") == Some("pictures") {
        list_pictures(state, staff, query).await
    } else {
        list_assets(state, staff, query).await
    }
}

fn kind_filter(query: &ListQuery) -> Filter {
    let mut filter = Filter::new("kind", "assets", &[("pictures", "profile pictures")], query);
    filter.options[0].label = "Grooya assets".into();
    filter
}

async fn list_assets(state: AppState, staff: Staff, query: ListQuery) -> AdminResult<Response> {
    let sorting = ASSET_SORTS.resolve(&query);
    let mut select = asset::Entity::find();
    select = select.filter(search_owned(
        &[asset::Column::Prompt, asset::Column::FileKey],
        asset::Column::UserId,
        query.q(),
    ));
    if let Some(user_id) = query.id("user") {
        select = select.filter(asset::Column::UserId.eq(user_id));
    }
    let page = fetch_page(
        state.db.reader(),
        sorted(select, &sorting, asset::Column::Id),
        &query,
    )
    .await?;
    let emails = emails_of(&state, page.rows.iter().map(|a| a.user_id)).await?;
    let rows = page
        .rows
        .iter()
        .map(|a| {
            vec![
                Cell::image(state.storage.url(&a.file_key)),
                owner_cell(&emails, a.user_id),
                Cell::text(format!(
                    "{} · {}×{} · {} KB",
                    a.content_type,
                    a.width,
                    a.height,
                    (a.size + 1023) / 1024
                )),
                Cell::text(&a.prompt),
                Cell::text(a.created_at.format("%Y-%m-%d %H:%M")),
                Cell::button("Delete", format!("{PATH}/assets/{}/delete", a.id)),
            ]
        })
        .collect();
    let spec = ListSpec {
        layout: staff.layout("Assets & pictures", PATH),
        path: PATH,
        query: &query,
        columns: &[
            ("Image", None),
            ("Owner", None),
            ("File", Some("size")),
            ("Prompt", None),
            ("Created", Some("created")),
            ("", None),
        ],
        sorting: &sorting,
        filters: vec![kind_filter(&query)],
    };
    Ok(render(StatusCode::OK, &ListPage::new(spec, &page, rows)))
}

async fn list_pictures(state: AppState, staff: Staff, query: ListQuery) -> AdminResult<Response> {
    let sorting = PICTURE_SORTS.resolve(&query);
    let mut select = profile::Entity::find().filter(profile::Column::PictureKey.is_not_null());
    select = select.filter(search_owned(&[], profile::Column::UserId, query.q()));
    if let Some(user_id) = query.id("user") {
        select = select.filter(profile::Column::UserId.eq(user_id));
    }
    let page = fetch_page(
        state.db.reader(),
        sorted(select, &sorting, profile::Column::Id),
        &query,
    )
    .await?;
    let emails = emails_of(&state, page.rows.iter().map(|p| p.user_id)).await?;
    let rows = page
        .rows
        .iter()
        .map(|p| {
            let shown = p.thumbnail_key.as_ref().or(p.picture_key.as_ref());
            vec![
                shown.map_or_else(|| Cell::text(""), |key| Cell::image(state.storage.url(key))),
                owner_cell(&emails, p.user_id),
                Cell::text(p.updated_at.format("%Y-%m-%d %H:%M")),
                Cell::button("Delete", format!("{PATH}/pictures/{}/delete", p.id)),
            ]
        })
        .collect();
    let spec = ListSpec {
        layout: staff.layout("Assets & pictures", PATH),
        path: PATH,
        query: &query,
        columns: &[
            ("Picture", None),
            ("Owner", None),
            ("Updated", Some("updated")),
            ("", None),
        ],
        sorting: &sorting,
        filters: vec![kind_filter(&query)],
    };
    Ok(render(StatusCode::OK, &ListPage::new(spec, &page, rows)))
}

/// `POST /admin/files/assets/{id}/delete`
pub async fn delete_asset(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm(staff, NoFields {}): AdminForm<NoFields>,
) -> AdminResult<Response> {
    let row = db::in_transaction(state.db.writer(), async |txn| {
        let row = asset::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(AdminError::not_found)?;
        asset::Entity::delete_by_id(id).exec(txn).await?;
        let before =
            json!({"user_id": row.user_id, "file_key": row.file_key, "prompt": row.prompt});
        audit::record(
            txn,
            staff.actor(),
            "asset.delete",
            ("asset", id),
            Some(before),
            None,
        )
        .await?;
        Ok::<_, AdminError>(row)
    })
    .await?;
    state.storage.delete_or_log(&row.file_key).await;
    Ok(Redirect::to(&format!("{PATH}?done=deleted")).into_response())
}

/// `POST /admin/files/pictures/{id}/delete`: clears the profile's picture, if it is still the
/// one shown (a new upload meanwhile is left alone), then deletes the files.
pub async fn delete_picture(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm(staff, NoFields {}): AdminForm<NoFields>,
) -> AdminResult<Response> {
    let row = db::in_transaction(state.db.writer(), async |txn| {
        let row = profile::Entity::find_by_id(id).one(txn).await?.ok_or_else(AdminError::not_found)?;
        let Some(picture) = row.picture_key.clone() else {
            return Err(AdminError::bad_request("This profile has no picture."));
        };
        profile::Entity::update_many()
            .col_expr(profile::Column::PictureKey, Expr::value(Option::<String>::None))
            .col_expr(profile::Column::ThumbnailKey, Expr::value(Option::<String>::None))
            .col_expr(profile::Column::UpdatedAt, Expr::value(db::now()))
            .filter(profile::Column::Id.eq(id))
            .filter(profile::Column::PictureKey.eq(picture))
            .exec(txn)
            .await?;
        let before = json!({"user_id": row.user_id, "picture_key": row.picture_key, "thumbnail_key": row.thumbnail_key});
        let after = json!({"user_id": row.user_id, "picture_key": null, "thumbnail_key": null});
        audit::record(txn, staff.actor(), "picture.delete", ("profile", id), Some(before), Some(after)).await?;
        Ok::<_, AdminError>(row)
    })
    .await?;
    state.accounts.forget(row.user_id);
    for key in row.picture_key.iter().chain(row.thumbnail_key.iter()) {
        state.storage.delete_or_log(key).await;
    }
    Ok(Redirect::to(&format!("{PATH}?kind=pictures&done=deleted")).into_response())
}

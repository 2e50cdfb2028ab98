//! Portfolios: search by title, slug or owner; view one with its pages; unpublish it (the
//! public page is gone at once from this process's cache).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::owners::{emails_of, owner_cell};
use super::truncated;
use crate::admin::audit;
use crate::admin::list::{
    Filter, ListPage, ListQuery, ListSpec, Sorts, fetch_page, search_owned, sorted,
};
use crate::admin::page::{AdminError, AdminResult, Cell, DetailPage, Form, render};
use crate::admin::session::{AdminForm, NoFields, Staff};
use crate::db;
use crate::extract::Path;
use crate::portfolios::portfolio;
use crate::state::AppState;

const PATH: &str = "/admin/portfolios";

static SORTS: Sorts<portfolio::Column> = Sorts {
    columns: &[
        ("updated", portfolio::Column::UpdatedAt),
        ("title", portfolio::Column::Title),
        ("slug", portfolio::Column::Slug),
        ("created", portfolio::Column::CreatedAt),
    ],
    default_desc: true,
};

/// `GET /admin/portfolios`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    let sorting = SORTS.resolve(&query);
    let mut select = portfolio::Entity::find();
    select = select.filter(search_owned(
        &[portfolio::Column::Title, portfolio::Column::Slug],
        portfolio::Column::UserId,
        query.q(),
    ));
    match query.get("published") {
        Some("yes") => select = select.filter(portfolio::Column::IsPublished.eq(true)),
        Some("no") => select = select.filter(portfolio::Column::IsPublished.eq(false)),
        _ => {}
    }
    if let Some(user_id) = query.id("user") {
        select = select.filter(portfolio::Column::UserId.eq(user_id));
    }
    let page = fetch_page(
        state.db.reader(),
        sorted(select, &sorting, portfolio::Column::Id),
        &query,
    )
    .await?;
    let emails = emails_of(&state, page.rows.iter().map(|p| p.user_id)).await?;
    let rows = page
        .rows
        .iter()
        .map(|p| {
            vec![
                Cell::link(&p.title, format!("{PATH}/{}", p.id)),
                Cell::text(&p.slug),
                owner_cell(&emails, p.user_id),
                Cell::text(if p.is_published { "published" } else { "draft" }),
                Cell::text(p.updated_at.format("%Y-%m-%d %H:%M")),
            ]
        })
        .collect();
    let spec = ListSpec {
        layout: staff.layout("Portfolios", PATH),
        path: PATH,
        query: &query,
        columns: &[
            ("Title", Some("title")),
            ("Slug", Some("slug")),
            ("Owner", None),
            ("State", None),
            ("Updated", Some("updated")),
        ],
        sorting: &sorting,
        filters: vec![Filter::new(
            "published",
            "published or not",
            &[("yes", "published"), ("no", "drafts")],
            &query,
        )],
    };
    Ok(render(StatusCode::OK, &ListPage::new(spec, &page, rows)))
}

async fn find(state: &AppState, id: i64) -> AdminResult<portfolio::Model> {
    portfolio::Entity::find_by_id(id)
        .one(state.db.reader())
        .await?
        .ok_or_else(AdminError::not_found)
}

/// `GET /admin/portfolios/{id}`
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
    Path(id): Path<i64>,
) -> AdminResult<Response> {
    let p = find(&state, id).await?;
    let emails = emails_of(&state, std::iter::once(p.user_id)).await?;
    let public = if p.is_published {
        let url = format!("/api/public/portfolios/{}/", p.slug);
        Cell::link(&url, url.clone())
    } else {
        Cell::text("not published")
    };
    let pretty = |value: &serde_json::Value| {
        truncated(&serde_json::to_string_pretty(value).unwrap_or_default())
    };
    let fields = vec![
        ("Id", Cell::text(p.id)),
        ("Title", Cell::text(&p.title)),
        ("Slug", Cell::text(&p.slug)),
        ("Owner", owner_cell(&emails, p.user_id)),
        ("Public page", public),
        ("Goal", Cell::text(&p.goal)),
        ("Role", Cell::text(&p.role)),
        (
            "Created",
            Cell::text(p.created_at.format("%Y-%m-%d %H:%M:%S UTC")),
        ),
        (
            "Updated",
            Cell::text(p.updated_at.format("%Y-%m-%d %H:%M:%S UTC")),
        ),
        ("Design", Cell::pre(pretty(&p.design))),
        ("Pages", Cell::pre(pretty(&p.pages))),
    ];
    let forms = if p.is_published {
        vec![
            Form::new(format!("{PATH}/{id}/unpublish"), "Unpublish", "Unpublish")
                .note("The public page stops answering at once; the owner can publish again."),
        ]
    } else {
        Vec::new()
    };
    let page = DetailPage {
        layout: staff.layout(format!("Portfolio {}", p.title), PATH),
        notice: query.notice(),
        fields,
        forms,
        tables: Vec::new(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /admin/portfolios/{id}/unpublish`
pub async fn unpublish(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm(staff, NoFields {}): AdminForm<NoFields>,
) -> AdminResult<Response> {
    let slug = db::in_transaction(state.db.writer(), async |txn| {
        let p = portfolio::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(AdminError::not_found)?;
        portfolio::Entity::update_many()
            .col_expr(portfolio::Column::IsPublished, Expr::value(false))
            .col_expr(portfolio::Column::UpdatedAt, Expr::value(db::now()))
            .filter(portfolio::Column::Id.eq(id))
            .exec(txn)
            .await?;
        let before = json!({"slug": p.slug, "is_published": p.is_published});
        let after = json!({"slug": p.slug, "is_published": false});
        audit::record(
            txn,
            staff.actor(),
            "portfolio.unpublish",
            ("portfolio", id),
            Some(before),
            Some(after),
        )
        .await?;
        Ok::<_, AdminError>(p.slug)
    })
    .await?;
    state.public_pages.forget(&slug);
    Ok(Redirect::to(&format!("{PATH}/{id}?done=unpublished")).into_response())
}

//! The audit log: every admin change, searchable by who, what and which record, each entry with
//! the record before and after.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::admin::audit::entry;
use crate::admin::list::{
    Filter, ListPage, ListQuery, ListSpec, Sorts, fetch_page, search, sorted,
};
use crate::admin::page::{AdminError, AdminResult, Cell, DetailPage, render};
use crate::admin::session::Staff;
use crate::extract::Path;
use crate::state::AppState;

const PATH: &str = "/admin/audit";
const TARGETS: [(&str, &str); 7] = [
    ("user", "users"),
    ("portfolio", "portfolios"),
    ("analysis", "analyses"),
    ("job", "jobs"),
    ("asset", "assets"),
    ("profile", "pictures"),
    ("job_postings", "imports"),
];

static SORTS: Sorts<entry::Column> = Sorts {
    columns: &[
        ("when", entry::Column::CreatedAt),
        ("action", entry::Column::Action),
        ("actor", entry::Column::ActorEmail),
    ],
    default_desc: true,
};

fn pretty(value: &Option<serde_json::Value>) -> String {
    value.as_ref().map_or_else(
        || "—".to_owned(),
        |v| serde_json::to_string_pretty(v).unwrap_or_default(),
    )
}

/// `GET /admin/audit`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    let sorting = SORTS.resolve(&query);
    let mut select = entry::Entity::find().filter(search(
        &[
            entry::Column::ActorEmail,
            entry::Column::Action,
            entry::Column::TargetId,
        ],
        query.q(),
    ));
    if let Some(target) = query.get("target") {
        select = select.filter(entry::Column::TargetType.eq(target));
    }
    let page = fetch_page(
        state.db.reader(),
        sorted(select, &sorting, entry::Column::Id),
        &query,
    )
    .await?;
    let rows = page
        .rows
        .iter()
        .map(|e| {
            vec![
                Cell::link(
                    e.created_at.format("%Y-%m-%d %H:%M:%S"),
                    format!("{PATH}/{}", e.id),
                ),
                Cell::text(&e.actor_email),
                Cell::text(&e.action),
                Cell::text(format!("{} {}", e.target_type, e.target_id)),
            ]
        })
        .collect();
    let spec = ListSpec {
        layout: staff.layout("Audit log", PATH),
        path: PATH,
        query: &query,
        columns: &[
            ("When", Some("when")),
            ("Who", Some("actor")),
            ("What", Some("action")),
            ("Record", None),
        ],
        sorting: &sorting,
        filters: vec![Filter::new("target", "any record", &TARGETS, &query)],
    };
    Ok(render(StatusCode::OK, &ListPage::new(spec, &page, rows)))
}

/// `GET /admin/audit/{id}`
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> AdminResult<Response> {
    let e = entry::Entity::find_by_id(id)
        .one(state.db.reader())
        .await?
        .ok_or_else(AdminError::not_found)?;
    let actor = match e.actor_id {
        Some(actor_id) => Cell::link(&e.actor_email, format!("/admin/users/{actor_id}")),
        None => Cell::text(format!("{} (deleted)", e.actor_email)),
    };
    let fields = vec![
        (
            "When",
            Cell::text(e.created_at.format("%Y-%m-%d %H:%M:%S UTC")),
        ),
        ("Who", actor),
        ("What", Cell::text(&e.action)),
        (
            "Record",
            Cell::text(format!("{} {}", e.target_type, e.target_id)),
        ),
        ("Before", Cell::pre(pretty(&e.before))),
        ("After", Cell::pre(pretty(&e.after))),
    ];
    let page = DetailPage {
        layout: staff.layout(format!("Audit entry {id}"), PATH),
        notice: None,
        fields,
        forms: Vec::new(),
        tables: Vec::new(),
    };
    Ok(render(StatusCode::OK, &page))
}

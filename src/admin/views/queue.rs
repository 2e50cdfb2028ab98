//! The job queue: jobs by status and kind, one job with its payload and last error; retry a
//! failed job, discard a queued or failed one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::truncated;
use crate::admin::audit;
use crate::admin::list::{
    Filter, ListPage, ListQuery, ListSpec, Sorts, fetch_page, search, sorted,
};
use crate::admin::page::{AdminError, AdminResult, Cell, DetailPage, Form, render};
use crate::admin::session::{AdminForm, NoFields, Staff};
use crate::db;
use crate::extract::Path;
use crate::queue::{FAILED, QUEUED, RUNNING, SUCCEEDED, job};
use crate::state::AppState;

const PATH: &str = "/admin/queue";

static SORTS: Sorts<job::Column> = Sorts {
    columns: &[
        ("updated", job::Column::UpdatedAt),
        ("run_at", job::Column::RunAt),
        ("kind", job::Column::Kind),
        ("status", job::Column::Status),
        ("attempts", job::Column::Attempts),
    ],
    default_desc: true,
};

fn summary(j: &job::Model) -> Value {
    json!({"kind": j.kind, "status": j.status, "attempts": j.attempts, "last_error": j.last_error})
}

fn actions(j: &job::Model) -> Vec<Cell> {
    let mut cells = Vec::new();
    if j.status == FAILED {
        cells.push(Cell::button("Retry", format!("{PATH}/{}/retry", j.id)));
    }
    if j.status == FAILED || j.status == QUEUED {
        cells.push(Cell::button("Discard", format!("{PATH}/{}/discard", j.id)));
    }
    cells
}

/// `GET /admin/queue`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    let sorting = SORTS.resolve(&query);
    let mut select = job::Entity::find().filter(search(
        &[job::Column::Kind, job::Column::LastError],
        query.q(),
    ));
    if let Some(status) = query.get("status") {
        select = select.filter(job::Column::Status.eq(status));
    }
    let page = fetch_page(
        state.db.reader(),
        sorted(select, &sorting, job::Column::Id),
        &query,
    )
    .await?;
    let rows = page
        .rows
        .iter()
        .map(|j| {
            let mut row = vec![
                Cell::link(format!("#{}", j.id), format!("{PATH}/{}", j.id)),
                Cell::text(&j.kind),
                Cell::text(&j.status),
                Cell::text(format!("{}/{}", j.attempts, j.max_attempts)),
                Cell::text(j.run_at.format("%Y-%m-%d %H:%M:%S")),
                Cell::optional(j.last_error.as_ref()),
            ];
            let mut buttons = actions(j).into_iter();
            row.push(buttons.next().unwrap_or_default());
            row.push(buttons.next().unwrap_or_default());
            row
        })
        .collect();
    let statuses = [
        (QUEUED, "queued"),
        (RUNNING, "running"),
        (FAILED, "failed"),
        (SUCCEEDED, "succeeded"),
    ];
    let spec = ListSpec {
        layout: staff.layout("Queue", PATH),
        path: PATH,
        query: &query,
        columns: &[
            ("Job", None),
            ("Kind", Some("kind")),
            ("Status", Some("status")),
            ("Attempts", Some("attempts")),
            ("Due", Some("run_at")),
            ("Last error", None),
            ("", None),
            ("", None),
        ],
        sorting: &sorting,
        filters: vec![Filter::new("status", "any status", &statuses, &query)],
    };
    Ok(render(StatusCode::OK, &ListPage::new(spec, &page, rows)))
}

/// `GET /admin/queue/{id}`
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
    Path(id): Path<i64>,
) -> AdminResult<Response> {
    let j = job::Entity::find_by_id(id)
        .one(state.db.reader())
        .await?
        .ok_or_else(AdminError::not_found)?;
    let fields = vec![
        ("Id", Cell::text(j.id)),
        ("Kind", Cell::text(&j.kind)),
        ("Status", Cell::text(&j.status)),
        (
            "Attempts",
            Cell::text(format!("{} of {}", j.attempts, j.max_attempts)),
        ),
        ("Due", Cell::text(j.run_at.format("%Y-%m-%d %H:%M:%S UTC"))),
        ("Locked by", Cell::optional(j.locked_by.as_ref())),
        (
            "Created",
            Cell::text(j.created_at.format("%Y-%m-%d %H:%M:%S UTC")),
        ),
        (
            "Finished",
            Cell::optional(j.finished_at.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC"))),
        ),
        (
            "Last error",
            Cell::pre(j.last_error.clone().unwrap_or_default()),
        ),
        (
            "Payload",
            Cell::pre(truncated(
                &serde_json::to_string_pretty(&j.payload).unwrap_or_default(),
            )),
        ),
    ];
    let mut forms = Vec::new();
    if j.status == FAILED {
        forms.push(
            Form::new(format!("{PATH}/{id}/retry"), "Retry", "Retry")
                .note("Queues it to run now with a fresh set of attempts."),
        );
    }
    if j.status == FAILED || j.status == QUEUED {
        forms.push(
            Form::new(format!("{PATH}/{id}/discard"), "Discard", "Discard")
                .note("Deletes the job; it will not run.")
                .danger(),
        );
    }
    let page = DetailPage {
        layout: staff.layout(format!("Job #{id}"), PATH),
        notice: query.notice(),
        fields,
        forms,
        tables: Vec::new(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /admin/queue/{id}/retry`: a failed job runs again now, with its attempts reset.
pub async fn retry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm(staff, NoFields {}): AdminForm<NoFields>,
) -> AdminResult<Response> {
    db::in_transaction(state.db.writer(), async |txn| {
        let j = job::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(AdminError::not_found)?;
        let now = db::now();
        let changed = job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value(QUEUED))
            .col_expr(job::Column::Attempts, Expr::value(0))
            .col_expr(job::Column::RunAt, Expr::value(now))
            .col_expr(
                job::Column::FinishedAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(job::Column::UpdatedAt, Expr::value(now))
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::Status.eq(FAILED))
            .exec(txn)
            .await?;
        if changed.rows_affected == 0 {
            return Err(AdminError::bad_request("Only a failed job can be retried."));
        }
        let after =
            json!({"kind": j.kind, "status": QUEUED, "attempts": 0, "last_error": j.last_error});
        audit::record(
            txn,
            staff.actor(),
            "job.retry",
            ("job", id),
            Some(summary(&j)),
            Some(after),
        )
        .await?;
        Ok::<_, AdminError>(())
    })
    .await?;
    Ok(Redirect::to(&format!("{PATH}/{id}?done=retried")).into_response())
}

/// `POST /admin/queue/{id}/discard`: deletes a queued or failed job (a running one finishes).
pub async fn discard(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm(staff, NoFields {}): AdminForm<NoFields>,
) -> AdminResult<Response> {
    db::in_transaction(state.db.writer(), async |txn| {
        let j = job::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(AdminError::not_found)?;
        let deleted = job::Entity::delete_many()
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::Status.is_in([QUEUED, FAILED]))
            .exec(txn)
            .await?;
        if deleted.rows_affected == 0 {
            return Err(AdminError::bad_request(
                "Only a queued or failed job can be discarded.",
            ));
        }
        let mut before = summary(&j);
        before["payload"] = j.payload.clone();
        audit::record(
            txn,
            staff.actor(),
            "job.discard",
            ("job", id),
            Some(before),
            None,
        )
        .await?;
        Ok::<_, AdminError>(())
    })
    .await?;
    Ok(Redirect::to(&format!("{PATH}?done=discarded")).into_response())
}

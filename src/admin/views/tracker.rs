//! JobTracker: job applications (search, view with their analysis) and ATS analyses (filter by
//! status, retry one that failed or never finished).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
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
use crate::queue;
use crate::state::AppState;
use crate::tracker::analysis::record::{self, STATUS_COMPLETED, STATUS_FAILED, STATUS_PROCESSING};
use crate::tracker::analysis::run::analysis_job;
use crate::tracker::application;

const APPLICATIONS: &str = "/admin/applications";
const ANALYSES: &str = "/admin/analyses";

static APPLICATION_SORTS: Sorts<application::Column> = Sorts {
    columns: &[
        ("created", application::Column::CreatedAt),
        ("company", application::Column::CompanyName),
        ("title", application::Column::JobTitle),
        ("extraction", application::Column::ExtractionStatus),
    ],
    default_desc: true,
};

static ANALYSIS_SORTS: Sorts<record::Column> = Sorts {
    columns: &[
        ("updated", record::Column::UpdatedAt),
        ("score", record::Column::AtsScore),
        ("status", record::Column::Status),
    ],
    default_desc: true,
};

/// `GET /admin/applications`
pub async fn list_applications(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    let sorting = APPLICATION_SORTS.resolve(&query);
    let mut select = application::Entity::find();
    select = select.filter(search_owned(
        &[
            application::Column::CompanyName,
            application::Column::JobTitle,
            application::Column::JobUrl,
        ],
        application::Column::UserId,
        query.q(),
    ));
    if let Some(status) = query.get("extraction") {
        select = select.filter(application::Column::ExtractionStatus.eq(status));
    }
    if let Some(user_id) = query.id("user") {
        select = select.filter(application::Column::UserId.eq(user_id));
    }
    let page = fetch_page(
        state.db.reader(),
        sorted(select, &sorting, application::Column::Id),
        &query,
    )
    .await?;
    let emails = emails_of(&state, page.rows.iter().map(|a| a.user_id)).await?;
    let rows = page
        .rows
        .iter()
        .map(|a| {
            vec![
                Cell::link(
                    format!("{} at {}", a.job_title, a.company_name),
                    format!("{APPLICATIONS}/{}", a.id),
                ),
                owner_cell(&emails, a.user_id),
                Cell::text(&a.extraction_status),
                Cell::text(a.created_at.format("%Y-%m-%d %H:%M")),
            ]
        })
        .collect();
    let statuses = [
        ("success", "success"),
        ("needs_manual", "needs manual"),
        ("pending", "pending"),
        ("failed", "failed"),
    ];
    let spec = ListSpec {
        layout: staff.layout("Job applications", APPLICATIONS),
        path: APPLICATIONS,
        query: &query,
        columns: &[
            ("Job", Some("title")),
            ("Owner", None),
            ("Extraction", Some("extraction")),
            ("Created", Some("created")),
        ],
        sorting: &sorting,
        filters: vec![Filter::new(
            "extraction",
            "any extraction",
            &statuses,
            &query,
        )],
    };
    Ok(render(StatusCode::OK, &ListPage::new(spec, &page, rows)))
}

/// `GET /admin/applications/{id}`: the application and its analysis.
pub async fn show_application(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
    Path(id): Path<i64>,
) -> AdminResult<Response> {
    let conn = state.db.reader();
    let a = application::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(AdminError::not_found)?;
    let analysis = record::Entity::find()
        .filter(record::Column::JobApplicationId.eq(id))
        .one(conn)
        .await?;
    let emails = emails_of(&state, std::iter::once(a.user_id)).await?;
    let mut fields = vec![
        ("Id", Cell::text(a.id)),
        ("Owner", owner_cell(&emails, a.user_id)),
        ("Company", Cell::text(&a.company_name)),
        ("Title", Cell::text(&a.job_title)),
        ("URL", Cell::optional(a.job_url.as_ref())),
        ("Extraction", Cell::text(&a.extraction_status)),
        ("Extraction error", Cell::text(&a.extraction_error)),
        (
            "Extraction method",
            Cell::optional(a.extraction_method.as_ref()),
        ),
        (
            "Created",
            Cell::text(a.created_at.format("%Y-%m-%d %H:%M:%S UTC")),
        ),
        ("Description", Cell::pre(truncated(&a.job_description))),
    ];
    let mut forms = Vec::new();
    match &analysis {
        None => fields.push(("Analysis", Cell::text("none yet"))),
        Some(r) => {
            fields.extend([
                ("Analysis status", Cell::text(&r.status)),
                ("Analysis engine", Cell::text(&r.engine)),
                ("ATS score", Cell::text(r.ats_score)),
                ("Analysis error", Cell::text(&r.error_message)),
                (
                    "Analysis updated",
                    Cell::text(r.updated_at.format("%Y-%m-%d %H:%M:%S UTC")),
                ),
                (
                    "Missing keywords",
                    Cell::pre(r.missing_keywords.to_string()),
                ),
            ]);
            if r.status != STATUS_COMPLETED {
                forms.push(retry_form(r.id));
            }
        }
    }
    let page = DetailPage {
        layout: staff.layout(
            format!("{} at {}", a.job_title, a.company_name),
            APPLICATIONS,
        ),
        notice: query.notice(),
        fields,
        forms,
        tables: Vec::new(),
    };
    Ok(render(StatusCode::OK, &page))
}

fn retry_form(analysis_id: i64) -> Form {
    Form::new(
        format!("{ANALYSES}/{analysis_id}/retry"),
        "Retry the analysis",
        "Retry analysis",
    )
    .note("Runs it again with the configured engine; a run still in flight is superseded.")
}

/// `GET /admin/analyses`
pub async fn list_analyses(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    let sorting = ANALYSIS_SORTS.resolve(&query);
    let mut select = record::Entity::find();
    select = select.filter(search_owned(
        &[record::Column::ErrorMessage, record::Column::Engine],
        record::Column::UserId,
        query.q(),
    ));
    if let Some(status) = query.get("status") {
        select = select.filter(record::Column::Status.eq(status));
    }
    let page = fetch_page(
        state.db.reader(),
        sorted(select, &sorting, record::Column::Id),
        &query,
    )
    .await?;
    let emails = emails_of(&state, page.rows.iter().map(|r| r.user_id)).await?;
    let rows = page
        .rows
        .iter()
        .map(|r| {
            let retry = if r.status == STATUS_COMPLETED {
                Cell::text("")
            } else {
                Cell::button("Retry", format!("{ANALYSES}/{}/retry", r.id))
            };
            vec![
                Cell::link(
                    format!("analysis {}", r.id),
                    format!("{APPLICATIONS}/{}", r.job_application_id),
                ),
                owner_cell(&emails, r.user_id),
                Cell::text(&r.status),
                Cell::text(&r.engine),
                Cell::text(r.ats_score),
                Cell::text(&r.error_message),
                Cell::text(r.updated_at.format("%Y-%m-%d %H:%M")),
                retry,
            ]
        })
        .collect();
    let statuses = [
        (STATUS_PROCESSING, "processing"),
        (STATUS_COMPLETED, "completed"),
        (STATUS_FAILED, "failed"),
    ];
    let spec = ListSpec {
        layout: staff.layout("ATS analyses", ANALYSES),
        path: ANALYSES,
        query: &query,
        columns: &[
            ("Analysis", None),
            ("Owner", None),
            ("Status", Some("status")),
            ("Engine", None),
            ("Score", Some("score")),
            ("Error", None),
            ("Updated", Some("updated")),
            ("", None),
        ],
        sorting: &sorting,
        filters: vec![Filter::new("status", "any status", &statuses, &query)],
    };
    Ok(render(StatusCode::OK, &ListPage::new(spec, &page, rows)))
}

/// `POST /admin/analyses/{id}/retry`: a new generation of the analysis, queued in the same
/// transaction; a run of the old generation still in flight records nothing.
pub async fn retry_analysis(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm(staff, NoFields {}): AdminForm<NoFields>,
) -> AdminResult<Response> {
    let application_id = db::in_transaction(state.db.writer(), async |txn| {
        let current = record::Entity::find_by_id(id).one(txn).await?.ok_or_else(AdminError::not_found)?;
        if current.status == STATUS_COMPLETED {
            return Err(AdminError::bad_request("This analysis completed; only failed or unfinished ones are retried."));
        }
        let before = json!({"status": current.status, "generation": current.generation, "error_message": current.error_message});
        let generation = current.generation + 1;
        let application_id = current.job_application_id;
        let owner_id = current.user_id;
        let mut row: record::ActiveModel = current.into();
        row.generation = Set(generation);
        row.status = Set(STATUS_PROCESSING.into());
        row.error_message = Set(String::new());
        row.updated_at = Set(db::now());
        row.update(txn).await?;
        queue::enqueue(txn, analysis_job(id, generation, owner_id), state.clock.now_utc()).await?;
        let after = json!({"status": STATUS_PROCESSING, "generation": generation, "error_message": ""});
        audit::record(txn, staff.actor(), "analysis.retry", ("analysis", id), Some(before), Some(after)).await?;
        Ok::<_, AdminError>(application_id)
    })
    .await?;
    Ok(Redirect::to(&format!("{APPLICATIONS}/{application_id}?done=retried")).into_response())
}

//! Job postings: search by title, company or role; view one; import a file (the formats of
//! `careerhub import-jobs`).

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use sea_orm::EntityTrait;
use sea_orm::QueryFilter;
use serde_json::json;

use super::truncated;
use crate::admin::audit;
use crate::admin::list::{ListPage, ListQuery, ListSpec, Sorts, fetch_page, search, sorted};
use crate::admin::page::{AdminError, AdminResult, Cell, DetailPage, Field, Form, Table, render};
use crate::admin::session::Staff;
use crate::extract::{Path, multipart_error};
use crate::market::import::{self, Format, ImportDefaults};
use crate::market::job_posting;
use crate::state::AppState;

const PATH: &str = "/admin/postings";

static SORTS: Sorts<job_posting::Column> = Sorts {
    columns: &[
        ("scraped", job_posting::Column::ScrapedAt),
        ("posted", job_posting::Column::DatePosted),
        ("title", job_posting::Column::Title),
        ("company", job_posting::Column::Company),
    ],
    default_desc: true,
};

fn import_form() -> Form {
    Form::new(format!("{PATH}/import"), "Import a file", "Import")
        .note("JSON Lines or CSV, in careerhub's shape or TheirStack's; up to 64 MB. Larger files: careerhub import-jobs.")
        .field(Field::input("file", "File", "file").required())
        .field(Field::input("search_keywords", "Role for rows without one", "text"))
        .field(Field::input("search_location", "Location for rows without one", "text"))
        .multipart()
}

/// `GET /admin/postings`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    let sorting = SORTS.resolve(&query);
    let select = job_posting::Entity::find().filter(search(
        &[
            job_posting::Column::Title,
            job_posting::Column::Company,
            job_posting::Column::SearchKeywords,
            job_posting::Column::Location,
        ],
        query.q(),
    ));
    let page = fetch_page(
        state.db.reader(),
        sorted(select, &sorting, job_posting::Column::Id),
        &query,
    )
    .await?;
    let rows = page
        .rows
        .iter()
        .map(|p| {
            vec![
                Cell::link(&p.title, format!("{PATH}/{}", p.id)),
                Cell::text(&p.company),
                Cell::text(&p.location),
                Cell::text(&p.search_keywords),
                Cell::optional(p.date_posted.map(|t| t.format("%Y-%m-%d"))),
                Cell::text(p.scraped_at.format("%Y-%m-%d %H:%M")),
            ]
        })
        .collect();
    let spec = ListSpec {
        layout: staff.layout("Job postings", PATH),
        path: PATH,
        query: &query,
        columns: &[
            ("Title", Some("title")),
            ("Company", Some("company")),
            ("Location", None),
            ("Role searched", None),
            ("Posted", Some("posted")),
            ("Ingested", Some("scraped")),
        ],
        sorting: &sorting,
        filters: Vec::new(),
    };
    Ok(render(
        StatusCode::OK,
        &ListPage::new(spec, &page, rows).with_form(import_form()),
    ))
}

/// `GET /admin/postings/{id}`
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> AdminResult<Response> {
    let p = job_posting::Entity::find_by_id(id)
        .one(state.db.reader())
        .await?
        .ok_or_else(AdminError::not_found)?;
    let fields = vec![
        ("Id", Cell::text(p.id)),
        ("Provider id", Cell::optional(p.job_id.as_ref())),
        ("Title", Cell::text(&p.title)),
        ("Company", Cell::text(&p.company)),
        ("Location", Cell::text(&p.location)),
        ("URL", Cell::text(&p.url)),
        ("Skills", Cell::text(p.skills.0.join(", "))),
        ("Role searched", Cell::text(&p.search_keywords)),
        (
            "Posted",
            Cell::optional(p.date_posted.map(|t| t.format("%Y-%m-%d"))),
        ),
        (
            "Ingested",
            Cell::text(p.scraped_at.format("%Y-%m-%d %H:%M:%S UTC")),
        ),
        ("Description", Cell::pre(truncated(&p.description))),
    ];
    let page = DetailPage {
        layout: staff.layout(format!("Posting {}", p.title), PATH),
        notice: None,
        fields,
        forms: Vec::new(),
        tables: Vec::new(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// The import form's parts.
#[derive(Default)]
struct ImportUpload {
    csrf_token: Option<String>,
    file: Option<(String, bytes::Bytes)>,
    defaults: ImportDefaults,
}

async fn read_upload(mut multipart: Multipart) -> AdminResult<ImportUpload> {
    let mut upload = ImportUpload::default();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            upload.file = Some((file_name, field.bytes().await.map_err(multipart_error)?));
            continue;
        }
        let value = field
            .text()
            .await
            .map_err(multipart_error)?
            .trim()
            .to_owned();
        let value = Some(value).filter(|v| !v.is_empty());
        match name.as_str() {
            "csrf_token" => upload.csrf_token = value,
            "search_keywords" => upload.defaults.search_keywords = value,
            "search_location" => upload.defaults.search_location = value,
            _ => {}
        }
    }
    Ok(upload)
}

/// `POST /admin/postings/import`: the report, with every rejected line.
pub async fn import_file(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Multipart,
) -> AdminResult<Response> {
    let upload = read_upload(multipart).await?;
    staff.check_csrf(upload.csrf_token.as_deref())?;
    let Some((name, content)) = upload
        .file
        .filter(|(_, c)| !c.iter().all(u8::is_ascii_whitespace))
    else {
        return Err(AdminError::bad_request("Choose a file that is not empty."));
    };
    let format = Format::detect(&name, content.first().copied());
    let report = import::import(
        &state.db,
        std::io::Cursor::new(content),
        format,
        &upload.defaults,
        |_| {},
    )
    .await?;
    let after = json!({"file": name, "inserted": report.inserted, "updated": report.updated, "rejected": report.rejected.len()});
    audit::record(
        state.db.writer(),
        staff.actor(),
        "postings.import",
        ("job_postings", &name),
        None,
        Some(after),
    )
    .await?;
    let rejected = report
        .rejected
        .iter()
        .map(|(line, reason)| vec![Cell::text(line), Cell::text(reason)])
        .collect();
    let page = DetailPage {
        layout: staff.layout(format!("Imported {name}"), PATH),
        notice: Some(format!(
            "{} inserted, {} updated, {} rejected.",
            report.inserted,
            report.updated,
            report.rejected.len()
        )),
        fields: vec![("Postings", Cell::link("Back to the postings", PATH))],
        forms: vec![import_form()],
        tables: vec![(
            "Rejected lines".into(),
            Table::plain(&["Line", "Reason"], rejected),
        )],
    };
    Ok(render(StatusCode::OK, &page))
}

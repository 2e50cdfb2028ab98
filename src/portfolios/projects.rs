//! `/api/projects/`: the user's project library (title, description, image, technologies, link),
//! a DRF ModelViewSet: list, create 201, retrieve, `PUT`/`PATCH`, delete 204.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::db;
use crate::error::{ApiError, ApiResult, FIELD_REQUIRED};
use crate::extract::{ActiveUser, Json, Path};
use crate::portfolios::wire::{self, GrooyaJson, Spellings};
use crate::state::AppState;
use crate::validate::{FieldErrors, check_max_chars, portfolio_link};

const MAX_TITLE_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 10_000;
const MAX_URL_CHARS: usize = 1000;
const MAX_TECHNOLOGIES: usize = 50;

/// The `projects` table.
pub mod project {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "projects")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub title: String,
        pub description: String,
        pub image_url: String,
        /// A JSON array of strings.
        #[sea_orm(column_type = "JsonBinary")]
        pub technologies: Json,
        pub link: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProjectRequest {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Also `imageUrl`.
    pub image_url: Option<String>,
    pub technologies: Option<Vec<String>>,
    /// An http(s) URL, a bare domain (stored with `https://`), `#` or empty.
    pub link: Option<String>,
}

impl Spellings for ProjectRequest {
    const CAMEL_CASE: &'static [(&'static str, &'static str)] = &[("imageUrl", "image_url")];
}

/// A project as `types.ts`'s `Project` (string id, `imageUrl`) and the seed's fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectResponse {
    #[serde(serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub id: i64,
    pub title: String,
    pub description: String,
    #[serde(rename = "imageUrl")]
    pub image_url_camel: String,
    pub image_url: String,
    pub technologies: Vec<String>,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<project::Model> for ProjectResponse {
    fn from(row: project::Model) -> Self {
        ProjectResponse {
            id: row.id,
            title: row.title,
            description: row.description,
            image_url_camel: row.image_url.clone(),
            image_url: row.image_url,
            technologies: serde_json::from_value(row.technologies).unwrap_or_default(),
            link: row.link,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// An optional link field (`validate::portfolio_link`): blank, `#`, an http(s) URL or a bare
/// domain.
fn url_field(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<String> {
    let value = value.as_ref()?;
    match portfolio_link(value) {
        Some(link) => {
            check_max_chars(errors, field, &link, MAX_URL_CHARS);
            Some(link)
        }
        None => {
            errors.add(field, "Enter a valid URL.");
            None
        }
    }
}

fn apply(row: &mut project::ActiveModel, body: ProjectRequest, creating: bool) -> ApiResult<()> {
    let mut errors = FieldErrors::default();
    match body.title.as_deref().map(str::trim) {
        None if creating => errors.add("title", FIELD_REQUIRED),
        Some("") => errors.add("title", "This field may not be blank."),
        Some(title) => {
            check_max_chars(&mut errors, "title", title, MAX_TITLE_CHARS);
            row.title = Set(title.to_owned());
        }
        None => {}
    }
    if let Some(description) = &body.description {
        check_max_chars(
            &mut errors,
            "description",
            description,
            MAX_DESCRIPTION_CHARS,
        );
        row.description = Set(description.trim().to_owned());
    }
    if let Some(url) = url_field(&mut errors, "image_url", &body.image_url) {
        row.image_url = Set(url);
    }
    if let Some(link) = url_field(&mut errors, "link", &body.link) {
        row.link = Set(link);
    }
    if let Some(technologies) = body.technologies {
        let technologies: Vec<String> = technologies
            .into_iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        if technologies.len() > MAX_TECHNOLOGIES {
            errors.add(
                "technologies",
                format!("Ensure this field has no more than {MAX_TECHNOLOGIES} elements."),
            );
        }
        row.technologies = Set(json!(technologies));
    }
    row.updated_at = Set(db::now());
    errors.into_result()
}

async fn own_project(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    id: i64,
) -> ApiResult<project::Model> {
    project::Entity::find_by_id(id)
        .filter(project::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::no_match("Project"))
}

/// The user's projects, newest first.
#[utoipa::path(get, path = "/api/projects", tag = "grooya", security(("bearer" = [])),
    responses((status = 200, body = [ProjectResponse])))]
pub async fn list_projects(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Vec<ProjectResponse>>> {
    let rows = project::Entity::find()
        .filter(project::Column::UserId.eq(user.id()))
        .order_by_desc(project::Column::CreatedAt)
        .order_by_desc(project::Column::Id)
        .all(state.db.reader())
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Add a project.
#[utoipa::path(post, path = "/api/projects", tag = "grooya", security(("bearer" = [])),
    request_body = ProjectRequest,
    responses((status = 201, body = ProjectResponse), (status = 400, description = "Field errors")))]
pub async fn create_project(
    State(state): State<AppState>,
    user: ActiveUser,
    GrooyaJson { body, .. }: GrooyaJson<ProjectRequest>,
) -> ApiResult<(StatusCode, Json<ProjectResponse>)> {
    let now = db::now();
    let mut row = project::ActiveModel {
        user_id: Set(user.id()),
        description: Set(String::new()),
        image_url: Set(String::new()),
        technologies: Set(Value::Array(Vec::new())),
        link: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut row, body, true)?;
    let created = row.insert(state.db.writer()).await?;
    state.public_pages.forget_owner(user.id());
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One of the user's projects.
#[utoipa::path(get, path = "/api/projects/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ProjectResponse), (status = 404, description = "Not the user's")))]
pub async fn get_project(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<ProjectResponse>> {
    Ok(Json(
        own_project(state.db.reader(), user.id(), id).await?.into(),
    ))
}

/// Update a project (fields left out keep their values).
#[utoipa::path(put, path = "/api/projects/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ProjectRequest,
    responses((status = 200, body = ProjectResponse), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn put_project(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: GrooyaJson<ProjectRequest>,
) -> ApiResult<Json<ProjectResponse>> {
    update_project(state, user, id, body).await
}

/// Update some of a project's fields.
#[utoipa::path(patch, path = "/api/projects/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ProjectRequest,
    responses((status = 200, body = ProjectResponse), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn patch_project(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: GrooyaJson<ProjectRequest>,
) -> ApiResult<Json<ProjectResponse>> {
    update_project(state, user, id, body).await
}

async fn update_project(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
    GrooyaJson { body, .. }: GrooyaJson<ProjectRequest>,
) -> ApiResult<Json<ProjectResponse>> {
    let existing = own_project(state.db.writer(), user.id(), id).await?;
    let mut row: project::ActiveModel = existing.into();
    apply(&mut row, body, false)?;
    let updated = row.update(state.db.writer()).await?;
    state.public_pages.forget_owner(user.id());
    Ok(Json(updated.into()))
}

/// Delete a project.
#[utoipa::path(delete, path = "/api/projects/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "Not the user's")))]
pub async fn delete_project(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let deleted = project::Entity::delete_many()
        .filter(project::Column::Id.eq(id))
        .filter(project::Column::UserId.eq(user.id()))
        .exec(state.db.writer())
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ApiError::no_match("Project"));
    }
    state.public_pages.forget_owner(user.id());
    Ok(StatusCode::NO_CONTENT)
}

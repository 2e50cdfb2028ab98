//! Subscriptions: every plan granted, active or ended, searchable by the user's email; grant one
//! by email, end an active one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::owners::{emails_of, owner_cell};
use super::users::{self, GrantForm};
use crate::admin::list::{
    Filter, ListPage, ListQuery, ListSpec, Sorts, fetch_page, search_owned, sorted,
};
use crate::admin::page::{AdminResult, Cell, Choice, Field, Form, render};
use crate::admin::session::{AdminForm, Staff};
use crate::state::AppState;
use crate::talent::subscription::{self as sub, STATUS_ACTIVE, STATUS_ENDED};

const PATH: &str = "/admin/subscriptions";

static SORTS: Sorts<sub::Column> = Sorts {
    columns: &[
        ("starts", sub::Column::StartsAt),
        ("ends", sub::Column::EndsAt),
        ("plan", sub::Column::Plan),
    ],
    default_desc: true,
};

/// `GET /admin/subscriptions`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    let sorting = SORTS.resolve(&query);
    let mut select = sub::Entity::find();
    select = select.filter(search_owned(&[], sub::Column::UserId, query.q()));
    if let Some(status) = query
        .get("status")
        .filter(|s| [STATUS_ACTIVE, STATUS_ENDED].contains(s))
    {
        select = select.filter(sub::Column::Status.eq(status));
    }
    if let Some(plan) = query.get("plan") {
        select = select.filter(sub::Column::Plan.eq(plan));
    }
    let page = fetch_page(
        state.db.reader(),
        sorted(select, &sorting, sub::Column::Id),
        &query,
    )
    .await?;
    let emails = emails_of(&state, page.rows.iter().map(|s| s.user_id)).await?;
    let rows = page
        .rows
        .iter()
        .map(|s| {
            let end = if s.status == STATUS_ACTIVE {
                Cell::button(
                    "End",
                    format!(
                        "/admin/users/{}/subscription/end?from=subscriptions",
                        s.user_id
                    ),
                )
            } else {
                Cell::text("")
            };
            vec![
                owner_cell(&emails, s.user_id),
                Cell::text(&s.plan),
                Cell::text(&s.status),
                Cell::text(s.starts_at.format("%Y-%m-%d")),
                Cell::optional(s.ends_at.map(|t| t.format("%Y-%m-%d"))),
                end,
            ]
        })
        .collect();
    let plans = [
        ("starter", "starter"),
        ("pro", "pro"),
        ("premium", "premium"),
    ];
    let spec = ListSpec {
        layout: staff.layout("Subscriptions", PATH),
        path: PATH,
        query: &query,
        columns: &[
            ("User", None),
            ("Plan", Some("plan")),
            ("Status", None),
            ("Starts", Some("starts")),
            ("Ends", Some("ends")),
            ("", None),
        ],
        sorting: &sorting,
        filters: vec![
            Filter::new(
                "status",
                "any status",
                &[("active", "active"), ("ended", "ended")],
                &query,
            ),
            Filter::new("plan", "any plan", &plans, &query),
        ],
    };
    let grant = Form::new(PATH, "Grant a subscription", "Grant")
        .field(Field::input("email", "User's email", "email").required())
        .field(Field::select(
            "plan",
            "Plan",
            Choice::list(&plans, "starter"),
        ))
        .field(Field::input("days", "Days (empty: until ended)", "number"));
    Ok(render(
        StatusCode::OK,
        &ListPage::new(spec, &page, rows).with_form(grant),
    ))
}

#[derive(Deserialize)]
pub struct GrantByEmail {
    email: String,
    #[serde(flatten)]
    grant: GrantForm,
}

/// `POST /admin/subscriptions`: grant a plan to the user with this email.
pub async fn grant(
    State(state): State<AppState>,
    AdminForm(staff, form): AdminForm<GrantByEmail>,
) -> AdminResult<Response> {
    let u = users::by_email(&state, &form.email).await?;
    users::grant_to(&state, &staff, &u, &form.grant).await?;
    Ok(Redirect::to(&format!("{PATH}?done=granted")).into_response())
}

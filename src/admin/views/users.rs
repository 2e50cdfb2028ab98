//! Users: search and filter by kind, tier and active; edit tier, AI credits, staff and active;
//! delete an account (after confirming its email) with all of its data and files. Superusers may
//! change any account; other staff only accounts that are not staff (`Staff::may_change`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::accounts::user::{self, AccountKind, SubscriptionTier};
use crate::admin::audit;
use crate::admin::list::{
    Filter, ListPage, ListQuery, ListSpec, Sorts, fetch_page, search, sorted,
};
use crate::admin::page::{
    AdminError, AdminResult, Cell, Choice, DetailPage, Field, Form, Table, render,
};
use crate::admin::session::{AdminForm, NoFields, SUPERUSERS_ONLY, Staff};
use crate::db;
use crate::extract::Path;
use crate::lifecycle;
use crate::quota;
use crate::state::AppState;
use crate::talent::subscription::{self, plan_name};

const PATH: &str = "/admin/users";
const KINDS: [(&str, &str); 3] = [
    ("user", "user"),
    ("talent", "talent"),
    ("background", "background"),
];
const TIERS: [(&str, &str); 4] = [
    ("free", "free"),
    ("starter", "starter"),
    ("pro", "pro"),
    ("premium", "premium"),
];
/// More credits than anyone could need; a typo of extra digits is refused.
const MAX_CREDITS: i32 = 1_000_000;

static SORTS: Sorts<user::Column> = Sorts {
    columns: &[
        ("joined", user::Column::DateJoined),
        ("email", user::Column::Email),
        ("kind", user::Column::AccountKind),
        ("tier", user::Column::SubscriptionTier),
        ("last_login", user::Column::LastLogin),
    ],
    default_desc: true,
};

pub fn kind_name(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::User => "user",
        AccountKind::Talent => "talent",
        AccountKind::Background => "background",
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// `GET /admin/users`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    let sorting = SORTS.resolve(&query);
    let mut select = user::Entity::find().filter(search(
        &[
            user::Column::Email,
            user::Column::Username,
            user::Column::FullName,
        ],
        query.q(),
    ));
    if let Some(kind) = query.get("kind").and_then(AccountKind::parse) {
        select = select.filter(user::Column::AccountKind.eq(kind));
    }
    if let Some(tier) = query.get("tier").and_then(parse_tier) {
        select = select.filter(user::Column::SubscriptionTier.eq(tier));
    }
    match query.get("active") {
        Some("yes") => select = select.filter(user::Column::IsActive.eq(true)),
        Some("no") => select = select.filter(user::Column::IsActive.eq(false)),
        _ => {}
    }
    if query.get("staff") == Some("yes") {
        select = select.filter(user::Column::IsStaff.eq(true));
    }
    let select = sorted(select, &sorting, user::Column::Id);
    let page = fetch_page(state.db.reader(), select, &query).await?;
    let rows = page
        .rows
        .iter()
        .map(|u| {
            vec![
                Cell::link(&u.email, format!("{PATH}/{}", u.id)),
                Cell::text(&u.full_name),
                Cell::text(kind_name(u.account_kind)),
                Cell::text(plan_name(u.subscription_tier)),
                Cell::text(yes_no(u.is_active)),
                Cell::text(yes_no(u.is_staff)),
                Cell::text(u.date_joined.format("%Y-%m-%d %H:%M")),
                Cell::optional(u.last_login.map(|t| t.format("%Y-%m-%d %H:%M"))),
            ]
        })
        .collect();
    let filters = vec![
        Filter::new("kind", "any kind", &KINDS, &query),
        Filter::new("tier", "any tier", &TIERS, &query),
        Filter::new(
            "active",
            "active or not",
            &[("yes", "active"), ("no", "inactive")],
            &query,
        ),
        Filter::new("staff", "staff or not", &[("yes", "staff only")], &query),
    ];
    let spec = ListSpec {
        layout: staff.layout("Users", PATH),
        path: PATH,
        query: &query,
        columns: &[
            ("Email", Some("email")),
            ("Name", None),
            ("Kind", Some("kind")),
            ("Tier", Some("tier")),
            ("Active", None),
            ("Staff", None),
            ("Joined", Some("joined")),
            ("Last login", Some("last_login")),
        ],
        sorting: &sorting,
        filters,
    };
    Ok(render(StatusCode::OK, &ListPage::new(spec, &page, rows)))
}

fn parse_tier(raw: &str) -> Option<SubscriptionTier> {
    match raw {
        "free" => Some(SubscriptionTier::Free),
        other => subscription::parse_plan(other),
    }
}

async fn find_user(state: &AppState, id: i64) -> AdminResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(state.db.reader())
        .await?
        .ok_or_else(AdminError::not_found)
}

/// What the audit log keeps of a user: the fields the admin can change.
fn editable(u: &user::Model) -> Value {
    json!({
        "email": u.email,
        "subscription_tier": plan_name(u.subscription_tier),
        "ai_text_credits": u.ai_text_credits,
        "ai_image_credits": u.ai_image_credits,
        "is_staff": u.is_staff,
        "is_active": u.is_active,
    })
}

/// `GET /admin/users/{id}`
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
    Path(id): Path<i64>,
) -> AdminResult<Response> {
    let u = find_user(&state, id).await?;
    let subscriptions = subscription::subscriptions_of(state.db.reader(), id).await?;
    let stored = quota::usage(state.db.reader(), id).await?;
    let has_active = subscriptions
        .iter()
        .any(|s| s.is_current(chrono::Utc::now()));
    let mut fields = vec![
        ("Id", Cell::text(u.id)),
        ("Email", Cell::text(&u.email)),
        ("Username", Cell::text(&u.username)),
        ("Name", Cell::text(&u.full_name)),
        ("Kind", Cell::text(kind_name(u.account_kind))),
        ("Tier", Cell::text(plan_name(u.subscription_tier))),
        ("AI text credits", Cell::text(u.ai_text_credits)),
        ("AI image credits", Cell::text(u.ai_image_credits)),
        (
            "Stored files",
            Cell::text(format!(
                "{} of {} files, {} of {}",
                stored.files,
                quota::MAX_FILES_PER_USER,
                quota::size_text(stored.bytes),
                quota::size_text(
                    i64::try_from(state.config.storage_quota_bytes).unwrap_or(i64::MAX)
                ),
            )),
        ),
        ("Active", Cell::text(yes_no(u.is_active))),
        ("Staff", Cell::text(yes_no(u.is_staff))),
        ("Superuser", Cell::text(yes_no(u.is_superuser))),
        (
            "Joined",
            Cell::text(u.date_joined.format("%Y-%m-%d %H:%M:%S UTC")),
        ),
        (
            "Last login",
            Cell::optional(u.last_login.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC"))),
        ),
        (
            "Portfolios",
            Cell::link("their portfolios", format!("/admin/portfolios?user={id}")),
        ),
        (
            "Applications",
            Cell::link(
                "their job applications",
                format!("/admin/applications?user={id}"),
            ),
        ),
        (
            "Files",
            Cell::link("their assets", format!("/admin/files?user={id}")),
        ),
    ];
    let forms = if staff.may_change(&u) {
        fields.push((
            "Delete",
            Cell::link("Delete this account…", format!("{PATH}/{id}/delete")),
        ));
        change_forms(&staff, &u, has_active)
    } else {
        fields.push(("Changes", Cell::text(SUPERUSERS_ONLY)));
        Vec::new()
    };
    let rows = subscriptions
        .iter()
        .map(|s| {
            vec![
                Cell::text(&s.plan),
                Cell::text(&s.status),
                Cell::text(s.starts_at.format("%Y-%m-%d")),
                Cell::optional(s.ends_at.map(|t| t.format("%Y-%m-%d"))),
            ]
        })
        .collect();
    let page = DetailPage {
        layout: staff.layout(format!("User {}", u.email), PATH),
        notice: query.notice(),
        fields,
        forms,
        tables: vec![(
            "Subscriptions".into(),
            Table::plain(&["Plan", "Status", "Starts", "Ends"], rows),
        )],
    };
    Ok(render(StatusCode::OK, &page))
}

/// The edit, grant and end-subscription forms of `u`'s page. The staff box is offered to
/// superusers only; without it the form leaves staff status as it is.
fn change_forms(staff: &Staff, u: &user::Model, has_active: bool) -> Vec<Form> {
    let id = u.id;
    let mut edit = Form::new(format!("{PATH}/{id}"), "Edit", "Save")
        .field(Field::select(
            "subscription_tier",
            "Tier",
            Choice::list(&TIERS, plan_name(u.subscription_tier)),
        ))
        .field(
            Field::input("ai_text_credits", "AI text credits", "number")
                .value(u.ai_text_credits)
                .required(),
        )
        .field(
            Field::input("ai_image_credits", "AI image credits", "number")
                .value(u.ai_image_credits)
                .required(),
        )
        .field(Field::checkbox("is_active", "Active", u.is_active));
    if staff.user.is_superuser {
        edit = edit.field(Field::checkbox("is_staff", "Staff", u.is_staff));
    }
    let grant = Form::new(
        format!("{PATH}/{id}/subscription"),
        "Grant a subscription",
        "Grant",
    )
    .note("Ends any current subscription and sets the tier.")
    .field(Field::select(
        "plan",
        "Plan",
        Choice::list(&TIERS[1..], "starter"),
    ))
    .field(Field::input("days", "Days (empty: until ended)", "number"));
    let mut forms = vec![edit, grant];
    if has_active {
        forms.push(
            Form::new(
                format!("{PATH}/{id}/subscription/end"),
                "End the subscription",
                "End subscription",
            )
            .note("Returns the user to the free tier."),
        );
    }
    forms
}

#[derive(Deserialize)]
pub struct EditForm {
    subscription_tier: String,
    ai_text_credits: String,
    ai_image_credits: String,
    is_staff: Option<String>,
    is_active: Option<String>,
}

fn credits(raw: &str, name: &str) -> AdminResult<i32> {
    raw.trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (0..=MAX_CREDITS).contains(n))
        .ok_or_else(|| {
            AdminError::bad_request(format!(
                "{name} must be a whole number from 0 to {MAX_CREDITS}."
            ))
        })
}

/// `POST /admin/users/{id}`: the edit form.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm(staff, form): AdminForm<EditForm>,
) -> AdminResult<Response> {
    let tier = parse_tier(&form.subscription_tier)
        .ok_or_else(|| AdminError::bad_request("Choose one of the tiers."))?;
    let text = credits(&form.ai_text_credits, "AI text credits")?;
    let image = credits(&form.ai_image_credits, "AI image credits")?;
    let (is_staff, is_active) = (form.is_staff.is_some(), form.is_active.is_some());
    db::in_transaction(state.db.writer(), async |txn| {
        let current = user::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(AdminError::not_found)?;
        staff.check_may_change(&current)?;
        if is_staff != current.is_staff && !staff.user.is_superuser {
            return Err(AdminError::new(StatusCode::FORBIDDEN, SUPERUSERS_ONLY));
        }
        if id == staff.user.id && !(is_staff && is_active) {
            return Err(AdminError::bad_request(
                "You cannot remove your own staff or active status; ask another staff member.",
            ));
        }
        let before = editable(&current);
        let mut row: user::ActiveModel = current.into();
        row.subscription_tier = Set(tier);
        row.ai_text_credits = Set(text);
        row.ai_image_credits = Set(image);
        // The balance set here is this month's: no top-up replaces it before the next month.
        row.credits_period = Set(Some(crate::credits::period(state.clock.now_utc())));
        row.is_staff = Set(is_staff);
        row.is_active = Set(is_active);
        row.updated_at = Set(db::now());
        let saved = row.update(txn).await?;
        audit::record(
            txn,
            staff.actor(),
            "user.update",
            ("user", id),
            Some(before),
            Some(editable(&saved)),
        )
        .await?;
        Ok::<_, AdminError>(())
    })
    .await?;
    state.accounts.forget(id);
    Ok(Redirect::to(&format!("{PATH}/{id}?done=saved")).into_response())
}

#[derive(Deserialize)]
pub struct GrantForm {
    plan: String,
    #[serde(default)]
    days: String,
}

/// `POST /admin/users/{id}/subscription`: grant a plan.
pub async fn grant(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm(staff, form): AdminForm<GrantForm>,
) -> AdminResult<Response> {
    let u = find_user(&state, id).await?;
    grant_to(&state, &staff, &u, &form).await?;
    Ok(Redirect::to(&format!("{PATH}/{id}?done=granted")).into_response())
}

/// Grants `form`'s plan to `u`, recorded in the audit log.
pub async fn grant_to(
    state: &AppState,
    staff: &Staff,
    u: &user::Model,
    form: &GrantForm,
) -> AdminResult<()> {
    staff.check_may_change(u)?;
    let plan = subscription::parse_plan(&form.plan)
        .ok_or_else(|| AdminError::bad_request("Choose a plan: starter, pro or premium."))?;
    let ends_at = match form.days.trim() {
        "" => None,
        days => {
            let days: i64 = days
                .parse()
                .ok()
                .filter(|d| (1..=3660).contains(d))
                .ok_or_else(|| {
                    AdminError::bad_request("Days must be a whole number from 1 to 3660, or empty.")
                })?;
            Some(db::now() + chrono::Duration::days(days))
        }
    };
    let granted = subscription::grant(state.db.writer(), u.id, plan, ends_at).await?;
    state.accounts.forget(u.id);
    let after = json!({"plan": granted.plan, "status": granted.status, "ends_at": granted.ends_at});
    let before = json!({"subscription_tier": plan_name(u.subscription_tier)});
    audit::record(
        state.db.writer(),
        staff.actor(),
        "subscription.grant",
        ("user", u.id),
        Some(before),
        Some(after),
    )
    .await?;
    Ok(())
}

/// `POST /admin/users/{id}/subscription/end`
pub async fn end_subscription(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    query: ListQuery,
    AdminForm(staff, NoFields {}): AdminForm<NoFields>,
) -> AdminResult<Response> {
    let u = find_user(&state, id).await?;
    staff.check_may_change(&u)?;
    let ended = subscription::end(state.db.writer(), id).await?;
    state.accounts.forget(id);
    let before = json!({"subscription_tier": plan_name(u.subscription_tier)});
    let after = json!({"subscription_tier": "free", "subscriptions_ended": ended});
    audit::record(
        state.db.writer(),
        staff.actor(),
        "subscription.end",
        ("user", id),
        Some(before),
        Some(after),
    )
    .await?;
    let back = if query.get("from") == Some("subscriptions") {
        "/admin/subscriptions?done=ended".to_owned()
    } else {
        format!("{PATH}/{id}?done=ended")
    };
    Ok(Redirect::to(&back).into_response())
}

/// `GET /admin/users/{id}/delete`: the confirmation.
pub async fn confirm_delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> AdminResult<Response> {
    let u = find_user(&state, id).await?;
    staff.check_may_change(&u)?;
    let form = Form::new(format!("{PATH}/{id}/delete"), "Delete this account for good", "Delete the account")
        .note(format!(
            "This removes {} from every product: their profile, portfolios, applications, resumes and files. It cannot be undone. Type the email to confirm.",
            u.email
        ))
        .field(Field::input("email", "Email", "text").required())
        .danger();
    let page = DetailPage {
        layout: staff.layout(format!("Delete {}?", u.email), PATH),
        notice: None,
        fields: vec![
            ("Email", Cell::link(&u.email, format!("{PATH}/{id}"))),
            ("Kind", Cell::text(kind_name(u.account_kind))),
        ],
        forms: vec![form],
        tables: Vec::new(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    email: String,
}

/// `POST /admin/users/{id}/delete`: the account deletion of `DELETE /api/auth/user/`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    AdminForm(staff, form): AdminForm<DeleteForm>,
) -> AdminResult<Response> {
    let u = find_user(&state, id).await?;
    staff.check_may_change(&u)?;
    if id == staff.user.id {
        return Err(AdminError::bad_request(
            "You cannot delete your own account here.",
        ));
    }
    if form.email.trim().to_lowercase() != u.email {
        return Err(AdminError::bad_request(
            "The email typed does not match the account; nothing was deleted.",
        ));
    }
    lifecycle::delete_account(&state, id).await?;
    audit::record(
        state.db.writer(),
        staff.actor(),
        "user.delete",
        ("user", id),
        Some(editable(&u)),
        None,
    )
    .await?;
    Ok(Redirect::to(&format!("{PATH}?done=deleted")).into_response())
}

/// Users by email for the subscription grant form.
pub async fn by_email(state: &AppState, email: &str) -> AdminResult<user::Model> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .order_by_asc(user::Column::Id)
        .one(state.db.reader())
        .await?
        .ok_or_else(|| AdminError::bad_request("No user has that email."))
}

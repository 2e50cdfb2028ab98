//! Promo codes: every code with its grant, uses and expiry; create one (a plan for some days,
//! credits, the early-adopter badge, a use limit and an expiry). Users apply them through
//! `POST /api/promo-codes/apply/` (`portfolios::promo`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::EntityTrait;
use serde::Deserialize;
use serde_json::json;

use crate::admin::audit;
use crate::admin::list::{ListPage, ListQuery, ListSpec, Sorts, fetch_page, sorted};
use crate::admin::page::{AdminError, AdminResult, Cell, Choice, Field, Form, render};
use crate::admin::session::{AdminForm, Staff};
use crate::portfolios::promo::{self, CreateCodeError, NewCode, code};
use crate::state::AppState;

const PATH: &str = "/admin/promo-codes";
const MAX_CODE_CHARS: usize = 40;

static SORTS: Sorts<code::Column> = Sorts {
    columns: &[
        ("created", code::Column::CreatedAt),
        ("code", code::Column::Code),
        ("used", code::Column::TimesUsed),
    ],
    default_desc: true,
};

/// `GET /admin/promo-codes`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    query: ListQuery,
) -> AdminResult<Response> {
    let sorting = SORTS.resolve(&query);
    let page = fetch_page(
        state.db.reader(),
        sorted(code::Entity::find(), &sorting, code::Column::Id),
        &query,
    )
    .await?;
    let rows = page
        .rows
        .iter()
        .map(|c| {
            vec![
                Cell::text(&c.code),
                Cell::optional(c.grants_tier.as_deref()),
                Cell::optional(c.grants_days),
                Cell::text(format!(
                    "{} text, {} image",
                    c.text_credits, c.image_credits
                )),
                Cell::text(if c.is_early_adopter { "yes" } else { "" }),
                Cell::text(format!("{} of {}", c.times_used, c.usage_limit)),
                Cell::optional(c.expires_at.map(|t| t.format("%Y-%m-%d"))),
                Cell::text(c.created_at.format("%Y-%m-%d")),
            ]
        })
        .collect();
    let spec = ListSpec {
        layout: staff.layout("Promo codes", PATH),
        path: PATH,
        query: &query,
        columns: &[
            ("Code", Some("code")),
            ("Plan", None),
            ("Days", None),
            ("Credits", None),
            ("Early adopter", None),
            ("Used", Some("used")),
            ("Expires", None),
            ("Created", Some("created")),
        ],
        sorting: &sorting,
        filters: Vec::new(),
    };
    let plans = [
        ("", "none (credits only)"),
        ("starter", "starter"),
        ("pro", "pro"),
        ("premium", "premium"),
    ];
    let create = Form::new(PATH, "Create a promo code", "Create")
        .field(Field::input("code", "Code", "text").required())
        .field(Field::select(
            "plan",
            "Plan granted",
            Choice::list(&plans, ""),
        ))
        .field(Field::input(
            "days",
            "Plan days (empty: until ended)",
            "number",
        ))
        .field(Field::input("text_credits", "Text credits", "number").value(0))
        .field(Field::input("image_credits", "Image credits", "number").value(0))
        .field(Field::checkbox(
            "early_adopter",
            "Grants the early-adopter badge",
            false,
        ))
        .field(
            Field::input("usage_limit", "Uses allowed", "number")
                .value(1)
                .required(),
        )
        .field(Field::input(
            "expires",
            "Expires on (YYYY-MM-DD, empty: never)",
            "date",
        ));
    Ok(render(
        StatusCode::OK,
        &ListPage::new(spec, &page, rows).with_form(create),
    ))
}

#[derive(Deserialize)]
pub struct CreateForm {
    code: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    text_credits: String,
    #[serde(default)]
    image_credits: String,
    early_adopter: Option<String>,
    #[serde(default)]
    usage_limit: String,
    #[serde(default)]
    expires: String,
}

/// A whole number in `range` from a form field; empty is `None`.
fn number(raw: &str, what: &str, range: std::ops::RangeInclusive<i32>) -> AdminResult<Option<i32>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .ok()
        .filter(|n| range.contains(n))
        .map(Some)
        .ok_or_else(|| {
            AdminError::bad_request(format!(
                "{what} must be a whole number from {} to {}.",
                range.start(),
                range.end()
            ))
        })
}

fn new_code(form: &CreateForm) -> AdminResult<NewCode> {
    let code = promo::normalize(&form.code);
    if code.is_empty()
        || code.chars().count() > MAX_CODE_CHARS
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AdminError::bad_request(
            "A code is 1 to 40 letters, digits, - or _.",
        ));
    }
    let grants_tier = match form.plan.trim() {
        "" => None,
        plan @ ("starter" | "pro" | "premium") => Some(plan.to_owned()),
        _ => {
            return Err(AdminError::bad_request(
                "Choose starter, pro, premium or none.",
            ));
        }
    };
    let expires_at = match form.expires.trim() {
        "" => None,
        day => Some(
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|_| AdminError::bad_request("Expires on must be a date, YYYY-MM-DD."))?
                .and_hms_opt(23, 59, 59)
                .unwrap_or_default()
                .and_utc(),
        ),
    };
    let new = NewCode {
        code,
        grants_days: number(&form.days, "Plan days", 1..=3660)?,
        text_credits: number(&form.text_credits, "Text credits", 0..=100_000)?.unwrap_or(0),
        image_credits: number(&form.image_credits, "Image credits", 0..=100_000)?.unwrap_or(0),
        is_early_adopter: form.early_adopter.is_some(),
        usage_limit: number(&form.usage_limit, "Uses allowed", 1..=1_000_000)?
            .ok_or_else(|| AdminError::bad_request("Uses allowed is required."))?,
        expires_at,
        grants_tier,
    };
    if new.grants_tier.is_none()
        && new.text_credits == 0
        && new.image_credits == 0
        && !new.is_early_adopter
    {
        return Err(AdminError::bad_request(
            "A code must grant a plan, credits or the badge.",
        ));
    }
    Ok(new)
}

/// `POST /admin/promo-codes`: create a code, recorded in the audit log.
pub async fn create(
    State(state): State<AppState>,
    AdminForm(staff, form): AdminForm<CreateForm>,
) -> AdminResult<Response> {
    let new = new_code(&form)?;
    let created = promo::create_code(state.db.writer(), new)
        .await
        .map_err(|err| match err {
            CreateCodeError::Taken => AdminError::bad_request("That code exists already."),
            CreateCodeError::Db(err) => err.into(),
        })?;
    let after = json!({"code": created.code, "grants_tier": created.grants_tier,
        "grants_days": created.grants_days, "text_credits": created.text_credits,
        "image_credits": created.image_credits, "is_early_adopter": created.is_early_adopter,
        "usage_limit": created.usage_limit, "expires_at": created.expires_at});
    audit::record(
        state.db.writer(),
        staff.actor(),
        "promo_code.create",
        ("promo_code", created.id),
        None,
        Some(after),
    )
    .await?;
    Ok(Redirect::to(&format!("{PATH}?done=created")).into_response())
}

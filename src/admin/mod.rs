//! The admin dashboard operators run careerhub with: server-rendered pages (askama templates
//! compiled into the binary, no scripts, no external assets) behind a staff session, with CSRF
//! tokens on every form and every change written to the audit log.

pub mod audit;
pub mod list;
pub mod page;
pub mod session;
mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::market::admin::MAX_IMPORT_BYTES;
use crate::state::AppState;
use views::{
    audit_log, dashboard, files, portfolios, postings, promo_codes, queue, subscriptions, tracker,
    users,
};

/// Pages may load only their own inline styles and images; no page may be framed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: http:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Every admin page (paths without their trailing slash, as in the API's route table).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard::show))
        .route(
            "/admin/login",
            get(session::login_page).post(session::login),
        )
        .route("/admin/logout", post(session::logout))
        .route("/admin/users", get(users::list))
        .route("/admin/users/{id}", get(users::show).post(users::update))
        .route(
            "/admin/users/{id}/delete",
            get(users::confirm_delete).post(users::delete),
        )
        .route("/admin/users/{id}/subscription", post(users::grant))
        .route(
            "/admin/users/{id}/subscription/end",
            post(users::end_subscription),
        )
        .route(
            "/admin/subscriptions",
            get(subscriptions::list).post(subscriptions::grant),
        )
        .route(
            "/admin/promo-codes",
            get(promo_codes::list).post(promo_codes::create),
        )
        .route("/admin/portfolios", get(portfolios::list))
        .route("/admin/portfolios/{id}", get(portfolios::show))
        .route(
            "/admin/portfolios/{id}/unpublish",
            post(portfolios::unpublish),
        )
        .route("/admin/postings", get(postings::list))
        .route("/admin/postings/{id}", get(postings::show))
        .route(
            "/admin/postings/import",
            post(postings::import_file).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
        .route("/admin/applications", get(tracker::list_applications))
        .route("/admin/applications/{id}", get(tracker::show_application))
        .route("/admin/analyses", get(tracker::list_analyses))
        .route("/admin/analyses/{id}/retry", post(tracker::retry_analysis))
        .route("/admin/files", get(files::list))
        .route("/admin/files/assets/{id}/delete", post(files::delete_asset))
        .route(
            "/admin/files/pictures/{id}/delete",
            post(files::delete_picture),
        )
        .route("/admin/queue", get(queue::list))
        .route("/admin/queue/{id}", get(queue::show))
        .route("/admin/queue/{id}/retry", post(queue::retry))
        .route("/admin/queue/{id}/discard", post(queue::discard))
        .route("/admin/audit", get(audit_log::list))
        .route("/admin/audit/{id}", get(audit_log::show))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
}

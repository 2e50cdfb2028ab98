//! `/healthz` (the process answers), `/readyz` (the database answers too) and `/metrics`, on
//! the API and on a worker's `--metrics-addr`.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, DATABASE_UNAVAILABLE};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct StatusResponse {
    /// `ok` or `ready`.
    status: &'static str,
}

/// Liveness: the process is up and serving.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, body = StatusResponse, example = json!({"status": "ok"}))))]
pub async fn healthz() -> axum::Json<StatusResponse> {
    axum::Json(StatusResponse { status: "ok" })
}

#[derive(Serialize, ToSchema)]
pub struct NavigatorHealthResponse {
    status: &'static str,
    app: &'static str,
    version: &'static str,
}

/// Career Navigator's health route, answered as its original did (its operations scripts poll
/// it): the process is up.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200,
    body = NavigatorHealthResponse,
    example = json!({"status": "healthy", "app": "Career Navigator API", "version": "1.0.0"}))))]
pub async fn navigator_health() -> axum::Json<NavigatorHealthResponse> {
    axum::Json(NavigatorHealthResponse {
        status: "healthy",
        app: "Career Navigator API",
        version: "1.0.0",
    })
}

/// Readiness: the database answers; a load balancer should route here only when this is 200.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, body = StatusResponse, example = json!({"status": "ready"})),
    (status = 503, description = "The database does not answer")))]
pub async fn readyz(State(state): State<AppState>) -> Result<axum::Json<StatusResponse>, ApiError> {
    if state.db.is_ready().await {
        Ok(axum::Json(StatusResponse { status: "ready" }))
    } else {
        Err(ApiError::Unavailable(DATABASE_UNAVAILABLE.to_owned()))
    }
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, content_type = "text/plain", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    // A database that does not answer leaves the last known depth in place.
    if let Ok(depth) = crate::queue::depth(state.db.reader()).await {
        state.metrics.set_queue_depth(&depth);
    }
    if let Some(theirstack) = &state.theirstack {
        let now = state.clock.now_utc();
        let spent = crate::market::spend::THEIRSTACK;
        if let Ok(today) = crate::market::spend::spent_today(state.db.reader(), spent, now).await {
            state
                .metrics
                .set_theirstack_spend(today, theirstack.config().daily_jobs_cap);
        }
    }
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(&state.db),
    )
}

/// What a `careerhub worker` serves on `--metrics-addr`.
pub fn worker_router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/healthz", axum::routing::get(healthz))
        .route("/readyz", axum::routing::get(worker_readyz))
        .route("/metrics", axum::routing::get(metrics))
        .with_state(state)
}

/// A worker is ready when the database answers and its queue can be read.
async fn worker_readyz(
    State(state): State<AppState>,
) -> Result<axum::Json<StatusResponse>, ApiError> {
    let queue_readable = crate::queue::depth(state.db.reader()).await.is_ok();
    if queue_readable && state.db.is_ready().await {
        Ok(axum::Json(StatusResponse { status: "ready" }))
    } else {
        Err(ApiError::Unavailable(DATABASE_UNAVAILABLE.to_owned()))
    }
}

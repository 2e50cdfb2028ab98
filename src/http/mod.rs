//! HTTP plumbing shared by every route: one log line and one metrics sample per request,
//! trailing-slash handling, the JSON 404/405 answers, and turning a panic into a clean 500.

pub mod metrics;
pub mod process;

use std::any::Any;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, DATABASE_UNAVAILABLE, DatabaseUnreachable, NOT_FOUND};
use crate::state::AppState;

/// Paths whose trailing slash matters (the docs UI resolves its assets relative to `/api/docs/`).
const SLASH_SENSITIVE_PREFIXES: &[&str] = &["/api/docs"];

/// Makes `/x/` and `/x` the same route, with no redirect: routes are registered without their
/// trailing slash and every request is stripped of it before routing.
pub fn strip_trailing_slash(mut req: Request) -> Request {
    let path = req.uri().path();
    if path.len() > 1
        && path.ends_with('/')
        && !SLASH_SENSITIVE_PREFIXES
            .iter()
            .any(|prefix| path.starts_with(prefix))
    {
        let trimmed = path.trim_end_matches('/');
        let trimmed = if trimmed.is_empty() { "/" } else { trimmed };
        let new_path_and_query = match req.uri().query() {
            Some(query) => format!("{trimmed}?{query}"),
            None => trimmed.to_owned(),
        };
        let mut parts = req.uri().clone().into_parts();
        if let Ok(path_and_query) = new_path_and_query.parse() {
            parts.path_and_query = Some(path_and_query);
            if let Ok(uri) = Uri::from_parts(parts) {
                *req.uri_mut() = uri;
            }
        }
    }
    req
}

/// Routes that answer without the database, so they keep answering while it is down.
/// (`/health` covers `/healthz` and Career Navigator's `/health`.)
const DATABASE_FREE_PREFIXES: &[&str] = &["/health", "/metrics", "/api/docs", "/api/openapi.json"];

/// While the database is known to be down, answers 503 `{"detail": …}` at once instead of letting
/// each request wait the pool's acquire timeout; and tells the database handle when a response
/// found it unreachable, which is what marks it down (`Db::report_unreachable`).
pub async fn database_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if state.db.is_down() && !DATABASE_FREE_PREFIXES.iter().any(|p| path.starts_with(p)) {
        let drained = drain_body(req).await;
        let mut response = ApiError::Unavailable(DATABASE_UNAVAILABLE.to_owned()).into_response();
        if !drained {
            // The rest of the body is still on the wire: reusing the connection would read it
            // as the next request, so the client is told to open a new one.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        return response;
    }
    let response = next.run(req).await;
    if response.extensions().get::<DatabaseUnreachable>().is_some() {
        state.db.report_unreachable();
    }
    response
}

/// The most of an unanswered request's body read (and dropped) before an early answer.
const DRAIN_LIMIT: usize = 1024 * 1024;
/// How long an early answer waits for that body.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(2);

/// Reads a request's body to its end so the keep-alive connection stays in step for the
/// client's next request; false when it was too large or too slow (close the connection then).
async fn drain_body(req: Request) -> bool {
    let body = req.into_body();
    matches!(
        tokio::time::timeout(DRAIN_TIME, axum::body::to_bytes(body, DRAIN_LIMIT)).await,
        Ok(Ok(_))
    )
}

/// Logs one line per request (method, route, status, duration, request id) and records it in
/// the metrics: 5xx at error level; the rest at debug, or at info with `CAREERHUB_ACCESS_LOG`.
/// Writing a line for every request cost a sixth of a cheap route's throughput, and the metrics
/// already count every request by route and status (docs/decisions.md).
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();

    let response = next.run(req).await;

    let elapsed = started.elapsed();
    let status = response.status();
    state
        .metrics
        .record_request(&method, &route, status.as_u16(), elapsed);
    let duration_ms = elapsed.as_secs_f64() * 1000.0;
    macro_rules! log_request {
        ($level:ident) => {
            tracing::$level!(
                method = %method, route, status = status.as_u16(), duration_ms, request_id,
                "request"
            )
        };
    }
    if status.is_server_error() {
        log_request!(error);
    } else if state.config.access_log {
        // Every answer, refusals included: failed logins and 429s are what an operator reads
        // an access log for.
        log_request!(info);
    } else {
        log_request!(debug);
    }
    response
}

/// A panic in a handler: logged with its message, answered with the generic 500 body.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    tracing::error!(panic = message, "handler panicked");
    let body = axum::Json(ApiError::Internal(anyhow::anyhow!("panic")).body());
    (StatusCode::INTERNAL_SERVER_ERROR, body).into_response()
}

/// Any path no route matches.
pub async fn not_found() -> ApiError {
    ApiError::NotFound(NOT_FOUND.to_owned())
}

/// A known path with a method it does not offer.
pub async fn method_not_allowed(method: Method) -> ApiError {
    ApiError::MethodNotAllowed(method.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn stripped(uri: &str) -> String {
        let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
        strip_trailing_slash(req).uri().to_string()
    }

    #[test]
    fn trailing_slashes_are_removed_but_queries_and_the_root_are_kept() {
        assert_eq!(stripped("/api/token/"), "/api/token");
        assert_eq!(stripped("/api/jobs/3/?x=1"), "/api/jobs/3?x=1");
        assert_eq!(stripped("/auth/me"), "/auth/me");
        assert_eq!(stripped("/"), "/");
        assert_eq!(stripped("/api/docs/"), "/api/docs/");
    }
}

//! The complete HTTP application: the route table wrapped in every middleware, in one place so
//! the server and the tests run exactly the same stack.

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::from_fn_with_state;
use tower::Layer;
use tower::util::MapRequest;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::CorsOrigins;
use crate::state::AppState;
use crate::{http, routes};

/// The service `serve` runs and tests call with `oneshot`.
pub type App = MapRequest<Router, fn(Request) -> Request>;

pub fn build(state: AppState) -> App {
    let config = &state.config;
    let router = routes::router(state.clone())
        // Innermost first: a panic becomes a 500 that `observe` still logs and counts, and so is
        // a 503 answered at once while the database is down.
        .layer(CatchPanicLayer::custom(http::panic_response))
        .layer(from_fn_with_state(state.clone(), http::database_guard))
        .layer(from_fn_with_state(state.clone(), http::observe))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(cors_layer(&config.cors_origins))
        // On every answer, errors and docs included: no content sniffing, no framing. Routes
        // with a policy of their own (admin pages, stored files) keep it; theirs forbid framing
        // too.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ));
    let strip: fn(Request) -> Request = http::strip_trailing_slash;
    tower::util::MapRequestLayer::new(strip).layer(router)
}

fn cors_layer(origins: &CorsOrigins) -> CorsLayer {
    let base = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            HeaderName::from_static("is-background"),
            HeaderName::from_static("is-talent"),
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            HeaderName::from_static("x-total-count"),
            HeaderName::from_static("x-request-id"),
            header::RETRY_AFTER,
            header::ETAG,
        ])
        .max_age(Duration::from_secs(3600))
        // This layer owns `Vary`; the public portfolio page is also served gzip-compressed.
        .vary([
            header::ORIGIN,
            header::ACCESS_CONTROL_REQUEST_METHOD,
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            header::ACCEPT_ENCODING,
        ]);
    match origins {
        CorsOrigins::None => base.allow_origin(AllowOrigin::list([])),
        CorsOrigins::Any => base.allow_origin(Any),
        CorsOrigins::List(list) => base.allow_origin(AllowOrigin::list(
            list.iter()
                .filter_map(|origin| HeaderValue::from_str(origin).ok()),
        )),
    }
}

//! The ceiling for `scripts/bench-auth.sh`: a minimal axum server whose one route verifies the
//! same JWT careerhub verifies and answers a fixed JSON body, with no database, no middleware.
//! careerhub's authenticated reads are measured as a percentage of this.
//!
//! Run by the script: `auth_ceiling --addr 127.0.0.1:8101` with `CAREERHUB_JWT_SECRET` set.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::get;
use careerhub::accounts::tokens::{TokenKeys, TokenType};

#[tokio::main]
async fn main() {
    let addr: SocketAddr = std::env::args()
        .skip_while(|arg| arg != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8101".into())
        .parse()
        .expect("--addr HOST:PORT");
    let secret = std::env::var("CAREERHUB_JWT_SECRET").expect("CAREERHUB_JWT_SECRET");
    let keys = Arc::new(TokenKeys::new(
        secret.as_bytes(),
        Duration::from_secs(3600),
        Duration::from_secs(3600),
    ));
    let app = Router::new().route(
        "/me",
        get(move |headers: HeaderMap| {
            let keys = keys.clone();
            async move {
                let token = headers
                    .get(header::AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .unwrap_or_default();
                match keys.verify(token, TokenType::Access) {
                    Ok(claims) => (
                        StatusCode::OK,
                        [(header::CONTENT_TYPE, "application/json")],
                        format!(
                            r#"{{"id":"{}","email":"bench@example.com","full_name":"Bench User"}}"#,
                            claims.user_id
                        ),
                    ),
                    Err(_) => (
                        StatusCode::UNAUTHORIZED,
                        [(header::CONTENT_TYPE, "application/json")],
                        "{}".into(),
                    ),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}

//! PostgreSQL going away under a running careerhub, through a TCP proxy the test can cut:
//! requests answer 503 `{"detail": …}` and, once one has found the database unreachable, the rest
//! are refused without touching the pool; when it is back a probe notices and requests succeed
//! again in the same process. (SQLite is a file with no server to lose: the test needs
//! `TEST_DATABASE_URL`, and `.ci/run` runs it in the PostgreSQL pass.)

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use careerhub::config::Secret;
use careerhub::error::DATABASE_UNAVAILABLE;
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;
use url::Url;

use crate::helpers::TestApp;

/// Forwards one local port to PostgreSQL until cut; cutting closes the port and every
/// connection through it, as a stopped server would.
struct Proxy {
    local: SocketAddr,
    upstream: SocketAddr,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let proxy = Proxy {
            local: listener.local_addr().unwrap(),
            upstream,
            tasks: Arc::default(),
        };
        proxy.serve(listener).await;
        proxy
    }

    async fn serve(&self, listener: TcpListener) {
        let (upstream, tasks) = (self.upstream, self.tasks.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let Ok(mut server) = TcpStream::connect(upstream).await else {
                    continue;
                };
                let pipe = tokio::spawn(async move {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                });
                tasks.lock().await.push(pipe);
            }
        });
        self.tasks.lock().await.push(accept);
    }

    async fn cut(&self) {
        for task in self.tasks.lock().await.drain(..) {
            task.abort();
        }
    }

    async fn restore(&self) {
        let listener = TcpListener::bind(self.local)
            .await
            .expect("the same port again");
        self.serve(listener).await;
    }
}

#[tokio::test]
async fn postgres_outage_answers_503_and_recovers_without_a_restart() {
    let Some(url) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres"))
    else {
        return;
    };
    let mut through_proxy = Url::parse(&url).expect("TEST_DATABASE_URL is a URL");
    let upstream = through_proxy
        .socket_addrs(|| Some(5432))
        .expect("a PostgreSQL address")[0];
    let proxy = Proxy::start(upstream).await;
    through_proxy.set_ip_host(proxy.local.ip()).unwrap();
    through_proxy.set_port(Some(proxy.local.port())).unwrap();
    let app = TestApp::with_config(|config| {
        config.database_url = Secret::new(through_proxy.as_str());
    })
    .await;
    let user = app.seed_user("outage@example.com").await;
    let token = app.access_token(user.id);
    app.get("/api/portfolios/", Some(&token))
        .await
        .assert_status(StatusCode::OK);

    proxy.cut().await;
    let unavailable = json!({ "detail": DATABASE_UNAVAILABLE });
    let first = app.get("/api/portfolios/", Some(&token)).await;
    first.assert(StatusCode::SERVICE_UNAVAILABLE, unavailable.clone());
    assert_eq!(first.header("retry-after"), Some("2"));
    assert!(
        app.state.db.is_down(),
        "the failed request marked the database down"
    );
    // Answered by the guard, without waiting for a connection (a body read first, so the
    // connection stays in step); routes that need no database still answer.
    let guarded = app.get("/api/portfolios/", Some(&token)).await;
    guarded.assert(StatusCode::SERVICE_UNAVAILABLE, unavailable.clone());
    assert_eq!(guarded.header("retry-after"), Some("2"));
    let posted = app
        .call(
            Method::POST,
            "/api/portfolios/",
            Some(json!({"title": "During the outage"})),
            Some(&token),
        )
        .await;
    posted.assert(StatusCode::SERVICE_UNAVAILABLE, unavailable);
    assert_eq!(
        posted.header("connection"),
        None,
        "a small body is read, the connection kept"
    );
    app.get("/healthz", None)
        .await
        .assert_status(StatusCode::OK);

    proxy.restore().await;
    let mut recovered = false;
    for _ in 0..100 {
        if app.get("/api/portfolios/", Some(&token)).await.status == StatusCode::OK {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        recovered,
        "careerhub answered again once PostgreSQL was back"
    );
    assert!(!app.state.db.is_down());
}

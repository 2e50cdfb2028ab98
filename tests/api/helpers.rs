//! `TestApp`: the real router over a fresh database per test (a SQLite file in a temp dir, or a
//! PostgreSQL schema of its own when `TEST_DATABASE_URL` is set), driven with `oneshot`.

use std::sync::LazyLock;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use careerhub::accounts::passwords;
use careerhub::accounts::service::{self, NewUser};
use careerhub::accounts::user::{self, AccountKind};
use careerhub::app::{self, App};
use careerhub::config::Config;
use careerhub::state::AppState;
use http_body_util::BodyExt;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use tower::ServiceExt;

/// The password every seeded user has.
pub const PASSWORD: &str = "Correct-Horse-9";
/// Hashed once per test run: only the tests about logging in pay for hashing.
static PASSWORD_HASH: LazyLock<String> =
    LazyLock::new(|| passwords::hash_blocking(PASSWORD).expect("hashing works"));

pub struct TestApp {
    pub app: App,
    pub state: AppState,
    _dir: tempfile::TempDir,
    pg_schema: Option<PgSchema>,
}

/// A PostgreSQL schema made for one test and dropped with it.
struct PgSchema {
    url: String,
    name: String,
}

impl TestApp {
    pub async fn new() -> TestApp {
        Self::with_config(|_| {}).await
    }

    /// A test app whose configuration the test adjusts first.
    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, pg_schema) = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => {
                let schema = create_pg_schema(&url).await;
                (url.clone(), Some(PgSchema { url, name: schema }))
            }
            _ => (
                format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
                None,
            ),
        };
        let mut config = Config::for_tests(&url, dir.path());
        config.db_schema = pg_schema.as_ref().map(|s| s.name.clone());
        // The parser children are the real careerhub binary, which Cargo builds for this suite.
        config.sandbox.program = env!("CARGO_BIN_EXE_careerhub").into();
        adjust(&mut config);
        let state = careerhub::server::prepare(config)
            .await
            .expect("database ready");
        TestApp {
            app: app::build(state.clone()),
            state,
            _dir: dir,
            pg_schema,
        }
    }

    /// Another instance on this test's database (on PostgreSQL the same schema), as a second
    /// `careerhub serve` would be; it leaves the schema to this one.
    pub async fn second_instance(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = self.state.config.clone();
        adjust(&mut config);
        let state = careerhub::server::prepare(config)
            .await
            .expect("database ready");
        TestApp {
            app: app::build(state.clone()),
            state,
            _dir: tempfile::tempdir().expect("temp dir"),
            pg_schema: None,
        }
    }

    pub fn on_postgres(&self) -> bool {
        self.pg_schema.is_some()
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            json,
            text,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.request(builder.body(body).unwrap()).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.call(Method::GET, path, None, token).await
    }

    pub async fn post(&self, path: &str, body: Value) -> TestResponse {
        self.call(Method::POST, path, Some(body), None).await
    }

    /// A user with `PASSWORD`, made without going through a register route.
    pub async fn seed_user(&self, email: &str) -> user::Model {
        self.seed_user_with(NewUser {
            email: email.into(),
            first_name: "Test".into(),
            last_name: "User".into(),
            ..NewUser::default()
        })
        .await
    }

    pub async fn seed_user_of_kind(&self, email: &str, kind: AccountKind) -> user::Model {
        self.seed_user_with(NewUser {
            email: email.into(),
            account_kind: Some(kind),
            ..NewUser::default()
        })
        .await
    }

    pub async fn seed_user_with(&self, new_user: NewUser) -> user::Model {
        let created = service::create_user(&self.state.db, new_user)
            .await
            .expect("user created");
        self.set_password_hash(created.id, &PASSWORD_HASH).await;
        self.user(created.id).await
    }

    pub async fn set_password_hash(&self, user_id: i64, hash: &str) {
        user::Entity::update_many()
            .col_expr(user::Column::Password, Expr::value(hash))
            .filter(user::Column::Id.eq(user_id))
            .exec(self.state.db.writer())
            .await
            .expect("password set");
    }

    pub async fn user(&self, id: i64) -> user::Model {
        user::Entity::find_by_id(id)
            .one(self.state.db.reader())
            .await
            .unwrap()
            .expect("user exists")
    }

    pub async fn user_count(&self) -> u64 {
        user::Entity::find()
            .count(self.state.db.reader())
            .await
            .unwrap()
    }

    pub fn access_token(&self, user_id: i64) -> String {
        self.state.tokens.issue_pair(user_id).unwrap().access
    }

    /// Runs every due background job to its outcome, as the worker would; returns how many ran.
    pub async fn run_pending_jobs(&self) -> usize {
        let (_stop, mut stopping) = tokio::sync::watch::channel(false);
        let mut ran = 0;
        while careerhub::queue::worker::run_once(&self.state, "test-worker", &mut stopping)
            .await
            .expect("queue reachable")
            .is_some()
        {
            ran += 1;
        }
        ran
    }

    /// A multipart/form-data request: `(name, file name, bytes)` parts, file name `None` for a
    /// plain field.
    pub async fn multipart(
        &self,
        path: &str,
        parts: &[FormField<'_>],
        token: Option<&str>,
    ) -> TestResponse {
        self.multipart_as(Method::POST, path, parts, token).await
    }

    /// A multipart/form-data request with another method (Breneo's photo upload is a `PATCH`).
    pub async fn multipart_as(
        &self,
        method: Method,
        path: &str,
        parts: &[FormField<'_>],
        token: Option<&str>,
    ) -> TestResponse {
        let (content_type, body) = multipart_body(parts);
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.request(builder.body(Body::from(body)).unwrap()).await
    }
}

/// One multipart part: (name, file name for a file part, bytes).
pub type FormField<'a> = (&'a str, Option<&'a str>, &'a [u8]);

/// A multipart/form-data body: its Content-Type (with the boundary) and bytes.
pub fn multipart_body(parts: &[FormField<'_>]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "careerhub-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file_name {
            Some(file) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// Serves `router` on a free loopback port until the test ends; returns its base URL.
pub async fn spawn_server(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(schema) = self.pg_schema.take() {
            // Drop is synchronous; the schema is dropped on a thread with its own runtime.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(pg_execute(
                    &schema.url,
                    &format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", schema.name),
                ));
            })
            .join();
        }
    }
}

async fn create_pg_schema(url: &str) -> String {
    let name = format!("test_{}", uuid::Uuid::new_v4().simple());
    pg_execute(url, &format!("CREATE SCHEMA \"{name}\"")).await;
    name
}

async fn pg_execute(url: &str, sql: &str) {
    use sea_orm::sqlx::{Connection, Executor, PgConnection};
    let mut conn = PgConnection::connect(url)
        .await
        .expect("TEST_DATABASE_URL reachable");
    conn.execute(sea_orm::sqlx::AssertSqlSafe(sql.to_owned()))
        .await
        .expect("schema statement");
    let _ = conn.close().await;
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
    pub text: String,
}

impl TestResponse {
    /// Asserts status and whole JSON body at once, printing both on failure.
    #[track_caller]
    pub fn assert(&self, status: StatusCode, body: Value) {
        assert_eq!(
            (self.status, &self.json),
            (status, &body),
            "body: {}",
            self.text
        );
    }

    #[track_caller]
    pub fn assert_status(&self, status: StatusCode) -> &Value {
        assert_eq!(self.status, status, "body: {}", self.text);
        &self.json
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// An answer's `id` as a path segment, whether the answer spells it as a number or (Grooya) a
/// string.
pub fn id_of(value: &Value) -> String {
    match &value["id"] {
        Value::String(id) => id.clone(),
        other => other.to_string(),
    }
}

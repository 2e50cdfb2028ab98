//! The admin dashboard over HTTP (oneshot): sign-in and sessions, CSRF on every form, the
//! lists, each change with its audit entry, and what a change does to the rows and files.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use careerhub::accounts::user::{self, SubscriptionTier};
use careerhub::admin::audit::entry;
use careerhub::market::job_posting;
use careerhub::portfolios::portfolio;
use careerhub::queue::{self, NewJob, job};
use careerhub::tracker::analysis::record;
use careerhub::tracker::application;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, TestResponse, multipart_body};

/// A browser's side of an admin session: its cookie and the CSRF token of its pages.
pub struct AdminClient<'a> {
    app: &'a TestApp,
    cookie: String,
    csrf: String,
}

/// The value of the first `name="csrf_token"` field on a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    let end = start + html[start..].find('"').expect("a closed attribute");
    html[start..end].to_owned()
}

/// `name=value` of the Set-Cookie header setting `name`.
fn set_cookie<'r>(response: &'r TestResponse, name: &str) -> Option<&'r str> {
    response
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
}

fn form_body(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A staff member with `PASSWORD`.
pub async fn seed_staff(app: &TestApp, email: &str) -> user::Model {
    let staff = app.seed_user(email).await;
    user::Entity::update_many()
        .col_expr(user::Column::IsStaff, Expr::value(true))
        .filter(user::Column::Id.eq(staff.id))
        .exec(app.state.db.writer())
        .await
        .unwrap();
    app.user(staff.id).await
}

/// A superuser with `PASSWORD`: staff who may also change staff accounts.
pub async fn seed_superuser(app: &TestApp, email: &str) -> user::Model {
    let root = seed_staff(app, email).await;
    user::Entity::update_many()
        .col_expr(user::Column::IsSuperuser, Expr::value(true))
        .filter(user::Column::Id.eq(root.id))
        .exec(app.state.db.writer())
        .await
        .unwrap();
    app.user(root.id).await
}

/// Opens the login form and posts it; the response and the cookies the form set.
async fn try_login(app: &TestApp, email: &str, password: &str) -> TestResponse {
    let form = app.get("/admin/login", None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    let login_cookie = set_cookie(&form, "careerhub_admin_login")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body = form_body(&[
        ("csrf_token", &csrf_in(&form.text)),
        ("email", email),
        ("password", password),
        ("next", "/admin/users"),
    ]);
    app.request(
        Request::post("/admin/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, login_cookie)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

impl<'a> AdminClient<'a> {
    pub async fn login(app: &'a TestApp, email: &str) -> AdminClient<'a> {
        let response = try_login(app, email, PASSWORD).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text);
        let cookie = set_cookie(&response, "careerhub_admin")
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let mut client = AdminClient {
            app,
            cookie,
            csrf: String::new(),
        };
        client.csrf = csrf_in(&client.get("/admin").await.text);
        client
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.app
            .request(
                Request::get(path)
                    .header(header::COOKIE, &self.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf_token", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, form_body(&all)).await
    }

    pub async fn post_raw(&self, path: &str, body: String) -> TestResponse {
        self.app
            .request(
                Request::post(path)
                    .header(header::COOKIE, &self.cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
    }
}

#[track_caller]
fn assert_redirect(response: &TestResponse, to: &str) {
    assert_eq!(
        (response.status, response.header("location")),
        (StatusCode::SEE_OTHER, Some(to)),
        "{}",
        response.text
    );
}

async fn audit_entries(app: &TestApp) -> Vec<entry::Model> {
    entry::Entity::find()
        .order_by_asc(entry::Column::Id)
        .all(app.state.db.reader())
        .await
        .unwrap()
}

/// (actor, action, target type, target id, before, after) of an entry.
fn summary(e: &entry::Model) -> (String, String, String, String, Option<Value>, Option<Value>) {
    (
        e.actor_email.clone(),
        e.action.clone(),
        e.target_type.clone(),
        e.target_id.clone(),
        e.before.clone(),
        e.after.clone(),
    )
}

#[tokio::test]
async fn staff_sign_in_with_a_session_cookie_and_everyone_else_is_refused() {
    let app = TestApp::new().await;
    seed_staff(&app, "ops@example.com").await;
    app.seed_user("member@example.com").await;

    let anonymous = app.get("/admin/users?q=a", None).await;
    assert_redirect(&anonymous, "/admin/login?next=%2Fadmin%2Fusers%3Fq%3Da");

    for (email, password) in [
        ("member@example.com", PASSWORD),
        ("ops@example.com", "wrong-password"),
    ] {
        let refused = try_login(&app, email, password).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert!(
            refused
                .text
                .contains("Please enter the correct email and password for a staff account.")
        );
        assert!(set_cookie(&refused, "careerhub_admin").is_none());
    }

    let signed_in = try_login(&app, "ops@example.com", PASSWORD).await;
    assert_redirect(&signed_in, "/admin/users");
    let cookie = set_cookie(&signed_in, "careerhub_admin").unwrap();
    assert!(
        cookie.ends_with("; Path=/admin; HttpOnly; SameSite=Lax; Max-Age=43200"),
        "{cookie}"
    );
    let sessions: Vec<(String, String)> = careerhub::admin::session::admin_session::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.token_hash, s.csrf_token))
        .collect();
    assert_eq!(sessions.len(), 1);
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("careerhub_admin=");
    assert_ne!(sessions[0].0, token, "only the token's hash is stored");

    let admin = AdminClient::login(&app, "ops@example.com").await;
    let dashboard = admin.get("/admin").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert_eq!(dashboard.header("cache-control"), Some("no-store"));
    assert_eq!(dashboard.header("x-frame-options"), Some("DENY"));
    assert!(
        dashboard
            .header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(dashboard.text.contains("ops@example.com"));

    // Logging out ends the session for good.
    assert_redirect(&admin.post("/admin/logout", &[]).await, "/admin/login");
    assert_redirect(&admin.get("/admin").await, "/admin/login?next=%2Fadmin");

    // A session stops working once its account is no longer staff.
    let admin = AdminClient::login(&app, "ops@example.com").await;
    user::Entity::update_many()
        .col_expr(user::Column::IsStaff, Expr::value(false))
        .exec(app.state.db.writer())
        .await
        .unwrap();
    assert_redirect(
        &admin.get("/admin/users").await,
        "/admin/login?next=%2Fadmin%2Fusers",
    );
}

#[tokio::test]
async fn the_session_cookie_is_secure_behind_tls_and_logins_are_rate_limited() {
    let app = TestApp::with_config(|config| {
        config.public_base_url = "https://careerhub.example.com".into();
        config.auth_rate_limits.per_account_per_minute = 2;
    })
    .await;
    seed_staff(&app, "ops@example.com").await;
    let signed_in = try_login(&app, "ops@example.com", PASSWORD).await;
    assert!(
        set_cookie(&signed_in, "careerhub_admin")
            .unwrap()
            .ends_with("; Secure")
    );
    assert_eq!(
        try_login(&app, "ops@example.com", "nope").await.status,
        StatusCode::UNAUTHORIZED
    );
    let throttled = try_login(&app, "ops@example.com", PASSWORD).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        throttled.text.contains("Too many attempts. Try again in"),
        "{}",
        throttled.text
    );
}

#[tokio::test]
async fn a_form_without_its_csrf_token_changes_nothing() {
    let app = TestApp::new().await;
    seed_staff(&app, "ops@example.com").await;
    let member = app.seed_user("member@example.com").await;
    let admin = AdminClient::login(&app, "ops@example.com").await;
    let path = format!("/admin/users/{}", member.id);
    let fields = "subscription_tier=premium&ai_text_credits=500&ai_image_credits=5&is_active=on";
    let wrong = format!("{fields}&csrf_token={}", "0".repeat(64));
    for body in [fields.to_owned(), wrong] {
        let refused = admin.post_raw(&path, body).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(
            refused
                .text
                .contains("The form&#39;s security token is missing or wrong."),
            "{}",
            refused.text
        );
    }
    assert_eq!(app.user(member.id).await, member);
    // The login form has its own token: a post without it opens no session.
    let no_token = app
        .request(
            Request::post("/admin/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form_body(&[
                    ("email", "ops@example.com"),
                    ("password", PASSWORD),
                ])))
                .unwrap(),
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert!(set_cookie(&no_token, "careerhub_admin").is_none());
    // Only the one real sign-in is audited.
    let actions: Vec<String> = audit_entries(&app)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["admin.login"]);
}

#[tokio::test]
async fn editing_a_user_changes_the_row_and_writes_the_audit_entry() {
    let app = TestApp::new().await;
    let ops = seed_superuser(&app, "ops@example.com").await;
    let member = app.seed_user("member@example.com").await;
    let admin = AdminClient::login(&app, "ops@example.com").await;
    let path = format!("/admin/users/{}", member.id);
    let saved = admin
        .post(
            &path,
            &[
                ("subscription_tier", "pro"),
                ("ai_text_credits", "42"),
                ("ai_image_credits", "7"),
                ("is_active", "on"),
            ],
        )
        .await;
    assert_redirect(&saved, &format!("{path}?done=saved"));
    let after = app.user(member.id).await;
    assert_eq!(
        (
            after.subscription_tier,
            after.ai_text_credits,
            after.ai_image_credits,
            after.is_active,
            after.is_staff
        ),
        (SubscriptionTier::Pro, 42, 7, true, false)
    );
    // The API sees the change at once (the account cache was dropped).
    let me = app
        .get("/api/auth/user/", Some(&app.access_token(member.id)))
        .await;
    assert_eq!(me.json["subscription_tier"], "pro", "{}", me.text);

    let entries = audit_entries(&app).await;
    assert_eq!(
        summary(entries.last().unwrap()),
        (
            "ops@example.com".into(),
            "user.update".into(),
            "user".into(),
            member.id.to_string(),
            Some(
                json!({"email": "member@example.com", "subscription_tier": "free", "ai_text_credits": member.ai_text_credits, "ai_image_credits": member.ai_image_credits, "is_staff": false, "is_active": true})
            ),
            Some(
                json!({"email": "member@example.com", "subscription_tier": "pro", "ai_text_credits": 42, "ai_image_credits": 7, "is_staff": false, "is_active": true})
            ),
        )
    );
    let page = admin
        .get(&format!("/admin/audit/{}", entries.last().unwrap().id))
        .await;
    assert!(
        page.text
            .contains("&#34;subscription_tier&#34;: &#34;pro&#34;"),
        "{}",
        page.text
    );

    // Bad values and locking oneself out are refused without a change.
    for (fields, message) in [
        (
            vec![
                ("subscription_tier", "gold"),
                ("ai_text_credits", "1"),
                ("ai_image_credits", "1"),
            ],
            "Choose one of the tiers.",
        ),
        (
            vec![
                ("subscription_tier", "pro"),
                ("ai_text_credits", "-1"),
                ("ai_image_credits", "1"),
            ],
            "AI text credits must be a whole number from 0 to 1000000.",
        ),
    ] {
        let refused = admin.post(&path, &fields).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.text.contains(message), "{}", refused.text);
    }
    let own = admin
        .post(
            &format!("/admin/users/{}", ops.id),
            &[
                ("subscription_tier", "free"),
                ("ai_text_credits", "1"),
                ("ai_image_credits", "1"),
                ("is_active", "on"),
            ],
        )
        .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    assert!(app.user(ops.id).await.is_staff);
    assert_eq!(app.user(member.id).await, after);
}

const SUPERUSERS_ONLY: &str =
    "Only a superuser can change staff accounts or make an account staff.";

#[tokio::test]
async fn only_a_superuser_changes_staff_accounts_or_makes_staff() {
    let app = TestApp::new().await;
    let root = seed_superuser(&app, "root@example.com").await;
    let ops = seed_staff(&app, "ops@example.com").await;
    let colleague = seed_staff(&app, "colleague@example.com").await;
    let member = app.seed_user("member@example.com").await;
    let admin = AdminClient::login(&app, "ops@example.com").await;
    let ops = app.user(ops.id).await; // as signed in (last_login set)
    let audit_before = audit_entries(&app).await.len();

    // A staff account's page offers no forms; a member's offers them without the staff box.
    let root_page = admin.get(&format!("/admin/users/{}", root.id)).await;
    assert_eq!(root_page.status, StatusCode::OK);
    assert!(
        root_page.text.contains(SUPERUSERS_ONLY),
        "{}",
        root_page.text
    );
    assert!(
        !root_page
            .text
            .contains("method=\"post\" action=\"/admin/users/"),
        "{}",
        root_page.text
    );
    let member_page = admin.get(&format!("/admin/users/{}", member.id)).await;
    assert!(
        member_page
            .text
            .contains(&format!("action=\"/admin/users/{}\"", member.id))
    );
    assert!(
        !member_page.text.contains("name=\"is_staff\""),
        "{}",
        member_page.text
    );

    let edit = [
        ("subscription_tier", "premium"),
        ("ai_text_credits", "1000"),
        ("ai_image_credits", "1000"),
        ("is_active", "on"),
    ];
    let mut refused = Vec::new();
    for target in [&root, &colleague, &ops] {
        let id = target.id;
        refused.push(admin.post(&format!("/admin/users/{id}"), &edit).await);
        refused.push(admin.get(&format!("/admin/users/{id}/delete")).await);
        refused.push(
            admin
                .post(
                    &format!("/admin/users/{id}/delete"),
                    &[("email", &target.email)],
                )
                .await,
        );
        refused.push(
            admin
                .post(
                    &format!("/admin/users/{id}/subscription"),
                    &[("plan", "premium")],
                )
                .await,
        );
        refused.push(
            admin
                .post(&format!("/admin/users/{id}/subscription/end"), &[])
                .await,
        );
        refused.push(
            admin
                .post(
                    "/admin/subscriptions",
                    &[("email", &target.email), ("plan", "premium"), ("days", "")],
                )
                .await,
        );
    }
    // Nor may they make a member staff by adding the box to the form themselves.
    let mut promote = edit.to_vec();
    promote.push(("is_staff", "on"));
    refused.push(
        admin
            .post(&format!("/admin/users/{}", member.id), &promote)
            .await,
    );
    for response in &refused {
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", response.text);
        assert!(response.text.contains(SUPERUSERS_ONLY), "{}", response.text);
    }
    assert_eq!(app.user(root.id).await, root);
    assert_eq!(app.user(colleague.id).await, colleague);
    assert_eq!(app.user(ops.id).await, ops);
    assert_eq!(app.user(member.id).await, member);
    assert_eq!(app.user_count().await, 4);
    assert_eq!(audit_entries(&app).await.len(), audit_before);

    // A member's account is theirs to change, staff status aside.
    assert_redirect(
        &admin
            .post(&format!("/admin/users/{}", member.id), &edit)
            .await,
        &format!("/admin/users/{}?done=saved", member.id),
    );
    let changed = app.user(member.id).await;
    assert_eq!(
        (
            changed.subscription_tier,
            changed.ai_text_credits,
            changed.is_staff
        ),
        (SubscriptionTier::Premium, 1000, false)
    );

    // The superuser sees the staff box and uses it.
    let root_admin = AdminClient::login(&app, "root@example.com").await;
    let page = root_admin.get(&format!("/admin/users/{}", member.id)).await;
    assert!(page.text.contains("name=\"is_staff\""), "{}", page.text);
    assert_redirect(
        &root_admin
            .post(&format!("/admin/users/{}", member.id), &promote)
            .await,
        &format!("/admin/users/{}?done=saved", member.id),
    );
    assert!(app.user(member.id).await.is_staff);
}

#[tokio::test]
async fn lists_search_filter_sort_and_paginate_with_escaped_text() {
    let app = TestApp::new().await;
    seed_staff(&app, "ops@example.com").await;
    for n in 0..30 {
        app.seed_user(&format!("person{n:02}@example.com")).await;
    }
    let evil = app
        .seed_user_with(careerhub::accounts::service::NewUser {
            email: "evil@example.com".into(),
            first_name: "<script>alert(1)</script>".into(),
            ..Default::default()
        })
        .await;
    let admin = AdminClient::login(&app, "ops@example.com").await;

    let first = admin.get("/admin/users?sort=email&dir=asc").await;
    assert!(
        first.text.contains("Page 1 of 2 · 32 in all"),
        "{}",
        first.text
    );
    assert!(first.text.contains("evil@example.com") && first.text.contains("person22@example.com"));
    assert!(!first.text.contains("person23@example.com"));
    assert!(
        first
            .text
            .contains("href=\"/admin/users?dir=asc&#38;page=2&#38;sort=email\""),
        "{}",
        first.text
    );
    let second = admin.get("/admin/users?sort=email&dir=asc&page=2").await;
    assert!(
        second.text.contains("person23@example.com")
            && second.text.contains("person29@example.com")
    );
    assert!(!second.text.contains("person22@example.com"));

    let found = admin.get("/admin/users?q=PERSON1").await;
    assert!(found.text.contains("10 in all"), "{}", found.text);
    let none = admin.get("/admin/users?q=%25").await;
    assert!(
        none.text.contains("0 in all"),
        "LIKE wildcards are literal: {}",
        none.text
    );
    let staff_only = admin.get("/admin/users?staff=yes").await;
    assert!(staff_only.text.contains("1 in all"));
    let inactive = admin.get("/admin/users?active=no").await;
    assert!(inactive.text.contains("0 in all"));

    let detail = admin.get(&format!("/admin/users/{}", evil.id)).await;
    assert!(
        detail
            .text
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{}",
        detail.text
    );
    assert!(!detail.text.contains("<script>"));
    assert_eq!(
        admin.get("/admin/users/99999").await.status,
        StatusCode::NOT_FOUND
    );

    for path in [
        "/admin",
        "/admin/subscriptions",
        "/admin/portfolios",
        "/admin/postings",
        "/admin/applications",
        "/admin/analyses",
        "/admin/files",
        "/admin/files?kind=pictures",
        "/admin/queue",
        "/admin/audit",
    ] {
        let page = admin.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.text);
    }
}

#[tokio::test]
async fn deleting_a_user_needs_their_email_and_removes_everything() {
    let app = TestApp::new().await;
    seed_staff(&app, "ops@example.com").await;
    let member = app.seed_user("member@example.com").await;
    let admin = AdminClient::login(&app, "ops@example.com").await;
    let path = format!("/admin/users/{}/delete", member.id);
    let confirm = admin.get(&path).await;
    assert!(confirm.text.contains("Type the email to confirm."));
    let mismatch = admin.post(&path, &[("email", "someone@example.com")]).await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.user_count().await, 2);

    assert_redirect(
        &admin.post(&path, &[("email", "Member@Example.com")]).await,
        "/admin/users?done=deleted",
    );
    assert_eq!(app.user_count().await, 1);
    let last = audit_entries(&app).await.pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.target_id.clone(), last.after),
        ("user.delete", member.id.to_string(), None)
    );
}

#[tokio::test]
async fn unpublishing_a_portfolio_takes_its_public_page_down() {
    let app = TestApp::new().await;
    seed_staff(&app, "ops@example.com").await;
    let owner = app.seed_user("owner@example.com").await;
    let token = app.access_token(owner.id);
    let created = app
        .call(Method::POST, "/api/portfolios/", Some(json!({"title": "Ada", "slug": "ada", "design": {}, "pages": [], "is_published": true})), Some(&token))
        .await;
    let id: i64 = crate::helpers::id_of(created.assert_status(StatusCode::CREATED))
        .parse()
        .unwrap();
    assert_eq!(
        app.get("/api/public/portfolios/ada/", None).await.status,
        StatusCode::OK
    );

    let admin = AdminClient::login(&app, "ops@example.com").await;
    assert!(
        admin
            .get("/admin/portfolios?q=owner@")
            .await
            .text
            .contains("/admin/portfolios/")
    );
    let done = admin
        .post(&format!("/admin/portfolios/{id}/unpublish"), &[])
        .await;
    assert_redirect(&done, &format!("/admin/portfolios/{id}?done=unpublished"));
    assert_eq!(
        app.get("/api/public/portfolios/ada/", None).await.status,
        StatusCode::NOT_FOUND
    );
    let row = portfolio::Entity::find_by_id(id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert!(!row.is_published);
    let last = audit_entries(&app).await.pop().unwrap();
    assert_eq!(
        (last.action.as_str(), last.before, last.after),
        (
            "portfolio.unpublish",
            Some(json!({"slug": "ada", "is_published": true})),
            Some(json!({"slug": "ada", "is_published": false}))
        )
    );
}

/// A job that failed for good.
pub async fn failed_job(app: &TestApp) -> i64 {
    let now = careerhub::db::now();
    let id = queue::enqueue(
        app.state.db.writer(),
        NewJob::new("market.sync_role", json!({"role": "nobody"})),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(queue::FAILED))
        .col_expr(job::Column::Attempts, Expr::value(5))
        .col_expr(job::Column::LastError, Expr::value("provider down"))
        .filter(job::Column::Id.eq(id))
        .exec(app.state.db.writer())
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn failed_jobs_are_retried_or_discarded() {
    let app = TestApp::new().await;
    seed_staff(&app, "ops@example.com").await;
    let admin = AdminClient::login(&app, "ops@example.com").await;
    let id = failed_job(&app).await;
    assert!(
        admin
            .get("/admin/queue?status=failed")
            .await
            .text
            .contains("provider down")
    );

    assert_redirect(
        &admin.post(&format!("/admin/queue/{id}/retry"), &[]).await,
        &format!("/admin/queue/{id}?done=retried"),
    );
    let row = job::Entity::find_by_id(id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status.as_str(), row.attempts, row.finished_at),
        (queue::QUEUED, 0, None)
    );
    // Only failed jobs are retried; a queued one can be discarded.
    assert_eq!(
        admin
            .post(&format!("/admin/queue/{id}/retry"), &[])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_redirect(
        &admin.post(&format!("/admin/queue/{id}/discard"), &[]).await,
        "/admin/queue?done=discarded",
    );
    assert_eq!(
        job::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        0
    );
    let actions: Vec<(String, String)> = audit_entries(&app)
        .await
        .into_iter()
        .map(|e| (e.action, e.target_id))
        .collect();
    assert_eq!(
        actions[1..],
        [
            ("job.retry".to_owned(), id.to_string()),
            ("job.discard".to_owned(), id.to_string())
        ]
    );
}

#[tokio::test]
async fn a_failed_analysis_is_retried_as_a_new_generation() {
    let app = TestApp::new().await;
    seed_staff(&app, "ops@example.com").await;
    let owner = app.seed_user("owner@example.com").await;
    let now = careerhub::db::now();
    let application = application::ActiveModel {
        user_id: Set(owner.id),
        company_name: Set("Acme".into()),
        job_title: Set("Engineer".into()),
        job_url: Set(None),
        job_description: Set("Rust and SQL.".into()),
        description_source: Set(application::SOURCE_MANUAL.into()),
        extraction_status: Set(application::STATUS_SUCCESS.into()),
        extraction_error: Set(String::new()),
        extraction_method: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.state.db.writer())
    .await
    .unwrap();
    let analysis = record::ActiveModel {
        user_id: Set(owner.id),
        job_application_id: Set(application.id),
        resume_id: Set(None),
        candidate_level: Set("experienced".into()),
        target_stack: Set(json!([])),
        status: Set(record::STATUS_FAILED.into()),
        engine: Set("local".into()),
        generation: Set(3),
        ats_score: Set(0),
        score_breakdown: Set(json!({})),
        missing_keywords: Set(json!([])),
        strengths: Set(json!([])),
        suggestions: Set(json!([])),
        error_message: Set("The resume has no text.".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.state.db.writer())
    .await
    .unwrap();
    let admin = AdminClient::login(&app, "ops@example.com").await;
    assert!(
        admin
            .get("/admin/analyses?status=failed")
            .await
            .text
            .contains("The resume has no text.")
    );
    let retried = admin
        .post(&format!("/admin/analyses/{}/retry", analysis.id), &[])
        .await;
    assert_redirect(
        &retried,
        &format!("/admin/applications/{}?done=retried", application.id),
    );
    let row = record::Entity::find_by_id(analysis.id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.status.as_str(),
            row.generation,
            row.error_message.as_str()
        ),
        (record::STATUS_PROCESSING, 4, "")
    );
    let jobs = job::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        (jobs[0].kind.as_str(), &jobs[0].payload),
        (
            "tracker.analyze",
            &json!({"analysis_id": analysis.id, "generation": 4})
        )
    );
    // The worker runs it: without a resume it fails again, recorded on the new generation.
    app.run_pending_jobs().await;
    let row = record::Entity::find_by_id(analysis.id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status.as_str(), row.generation),
        (record::STATUS_FAILED, 4)
    );
}

#[tokio::test]
async fn postings_are_imported_from_a_file_and_subscriptions_granted_and_ended() {
    let app = TestApp::new().await;
    seed_staff(&app, "ops@example.com").await;
    let member = app.seed_user("member@example.com").await;
    let admin = AdminClient::login(&app, "ops@example.com").await;

    let file = b"{\"title\": \"Data Engineer\", \"company\": \"Acme\", \"url\": \"https://jobs.example.com/1\", \"skills\": [\"Python\"]}\nnot json\n";
    let (content_type, body) = multipart_body(&[
        ("csrf_token", None, admin.csrf.as_bytes()),
        ("search_keywords", None, b"data engineer"),
        ("file", Some("jobs.jsonl"), file),
    ]);
    let imported = app
        .request(
            Request::post("/admin/postings/import")
                .header(header::COOKIE, &admin.cookie)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.text);
    assert!(
        imported.text.contains("1 inserted, 0 updated, 1 rejected."),
        "{}",
        imported.text
    );
    let postings = job_posting::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(
        postings
            .iter()
            .map(|p| (p.title.as_str(), p.search_keywords.as_str()))
            .collect::<Vec<_>>(),
        [("Data Engineer", "data engineer")]
    );
    assert!(
        admin
            .get("/admin/postings?q=acme")
            .await
            .text
            .contains("Data Engineer")
    );

    // Without the token nothing is imported.
    let (content_type, body) = multipart_body(&[("file", Some("jobs.jsonl"), file)]);
    let refused = app
        .request(
            Request::post("/admin/postings/import")
                .header(header::COOKIE, &admin.cookie)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        job_posting::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        1
    );

    let granted = admin
        .post(
            "/admin/subscriptions",
            &[
                ("email", "member@example.com"),
                ("plan", "premium"),
                ("days", "30"),
            ],
        )
        .await;
    assert_redirect(&granted, "/admin/subscriptions?done=granted");
    assert_eq!(
        app.user(member.id).await.subscription_tier,
        SubscriptionTier::Premium
    );
    assert!(
        admin
            .get("/admin/subscriptions?status=active")
            .await
            .text
            .contains("member@example.com")
    );
    let unknown = admin
        .post(
            "/admin/subscriptions",
            &[
                ("email", "nobody@example.com"),
                ("plan", "pro"),
                ("days", ""),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    let ended = admin
        .post(
            &format!(
                "/admin/users/{}/subscription/end?from=subscriptions",
                member.id
            ),
            &[],
        )
        .await;
    assert_redirect(&ended, "/admin/subscriptions?done=ended");
    assert_eq!(
        app.user(member.id).await.subscription_tier,
        SubscriptionTier::Free
    );
    let actions: Vec<String> = audit_entries(&app)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "admin.login",
            "postings.import",
            "subscription.grant",
            "subscription.end"
        ]
    );
}

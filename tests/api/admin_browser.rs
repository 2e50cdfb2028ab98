//! The admin in a real browser: Debian's chromium, driven through chromedriver by fantoccini,
//! against careerhub served on a loopback port. `.ci/run` installs both; elsewhere set
//! `CAREERHUB_SKIP_BROWSER_TESTS=1` to skip this file knowingly.

use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use careerhub::accounts::user::SubscriptionTier;
use careerhub::portfolios::portfolio;
use careerhub::queue::{self, job};
use fantoccini::{Client, ClientBuilder, Locator};
use sea_orm::EntityTrait;
use serde_json::json;

use crate::admin::{failed_job, seed_staff};
use crate::helpers::{PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(15);

/// chromedriver and its headless chromium, stopped when dropped.
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn program(env: &str, default: &str) -> String {
    std::env::var(env).unwrap_or_else(|_| default.to_owned())
}

/// Starts chromedriver and a headless chromium session; `None` when told to skip.
async fn browser() -> Option<Browser> {
    if std::env::var("CAREERHUB_SKIP_BROWSER_TESTS").is_ok_and(|v| v == "1") {
        eprintln!("browser tests skipped: CAREERHUB_SKIP_BROWSER_TESTS=1");
        return None;
    }
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let driver_path = program("CHROMEDRIVER", "/usr/bin/chromedriver");
    let chromium = program("CHROMIUM", "/usr/bin/chromium");
    let port = free_port();
    let driver = Command::new(&driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|err| {
            panic!("{driver_path}: {err}. Install Debian's chromium and chromium-driver (as .ci/run does), or set CAREERHUB_SKIP_BROWSER_TESTS=1")
        });
    let profile = tempfile::tempdir().unwrap();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({"binary": chromium, "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            format!("--user-data-dir={}", profile.path().display()),
        ]}),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = String::new();
    for _ in 0..100 {
        let mut builder = ClientBuilder::rustls().expect("rustls client");
        match builder
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                return Some(Browser {
                    client,
                    driver,
                    _profile: profile,
                });
            }
            Err(err) => last_error = err.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start a session: {last_error}");
}

/// Serves the test app on a loopback port; its base URL.
async fn serve(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let service = app.app.clone();
    tokio::spawn(careerhub::server::serve(
        listener,
        service,
        std::future::pending(),
    ));
    base
}

/// Clicks the element, retrying while a navigation replaces the page under it.
async fn click(client: &Client, css: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let error = match client.find(Locator::Css(css)).await {
            Ok(element) => match element.click().await {
                Ok(()) => return,
                Err(err) => err.to_string(),
            },
            Err(err) => err.to_string(),
        };
        assert!(std::time::Instant::now() < deadline, "{css}: {error}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn type_into(client: &Client, css: &str, text: &str) {
    let field = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Waits until the element's text satisfies `wanted` (a click's navigation may still be
/// under way, so the old page's element can be found, or go stale, first); returns the text.
async fn wait_for_text(client: &Client, css: &str, wanted: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let text = match client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.ok(),
            Err(_) => None,
        };
        if let Some(text) = text.as_deref().filter(|t| wanted(t)) {
            return text.to_owned();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{css}: last text seen {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_operator_works_through_the_admin_in_a_real_browser() {
    let app = TestApp::new().await;
    let Some(browser) = browser().await else {
        return;
    };
    let client = &browser.client;
    seed_staff(&app, "ops@example.com").await;
    let member = app.seed_user("member@example.com").await;
    let token = app.access_token(member.id);
    let created = app
        .call(
            axum::http::Method::POST,
            "/api/portfolios/",
            Some(json!({"title": "Member's work", "slug": "member", "design": {}, "pages": [], "is_published": true})),
            Some(&token),
        )
        .await;
    let portfolio_id: i64 = crate::helpers::id_of(&created.json).parse().unwrap();
    let job_id = failed_job(&app).await;
    let base = serve(&app).await;

    // Log in: the dashboard asks for it first.
    client.goto(&format!("{base}/admin")).await.unwrap();
    type_into(client, "input[name=email]", "ops@example.com").await;
    type_into(client, "input[name=password]", PASSWORD).await;
    click(client, "form button[type=submit]").await;
    wait_for_text(client, "h1", |t| t == "Dashboard").await;

    // Find the user and change their tier.
    client.goto(&format!("{base}/admin/users")).await.unwrap();
    type_into(client, "input[name=q]", "member@").await;
    click(client, "form.search button").await;
    click(client, &format!("a[href='/admin/users/{}']", member.id)).await;
    let edit = format!("form[action='/admin/users/{}']", member.id);
    click(
        client,
        &format!("{edit} select[name=subscription_tier] option[value=pro]"),
    )
    .await;
    click(client, &format!("{edit} button[type=submit]")).await;
    wait_for_text(client, "#notice", |t| t == "Saved.").await;
    assert_eq!(
        app.user(member.id).await.subscription_tier,
        SubscriptionTier::Pro
    );

    // Unpublish the portfolio.
    client
        .goto(&format!("{base}/admin/portfolios?q=member"))
        .await
        .unwrap();
    click(
        client,
        &format!("a[href='/admin/portfolios/{portfolio_id}']"),
    )
    .await;
    click(client, "form[action$='/unpublish'] button").await;
    wait_for_text(client, "#notice", |t| t == "The portfolio is unpublished.").await;
    let row = portfolio::Entity::find_by_id(portfolio_id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert!(!row.is_published);

    // Retry the failed job.
    client
        .goto(&format!("{base}/admin/queue?status=failed"))
        .await
        .unwrap();
    click(
        client,
        &format!("form[action='/admin/queue/{job_id}/retry'] button"),
    )
    .await;
    wait_for_text(client, "#notice", |t| t == "Queued to run again.").await;
    let row = job::Entity::find_by_id(job_id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, queue::QUEUED);

    // Read the audit entry of the tier change.
    client
        .goto(&format!("{base}/admin/audit?target=user&q=user.update"))
        .await
        .unwrap();
    click(client, "table tbody a").await;
    let wanted = "\"subscription_tier\": \"pro\"";
    wait_for_text(client, "table.fields tr:nth-child(6) pre", |t| {
        t.contains(wanted)
    })
    .await;
    wait_for_text(client, "table.fields", |t| t.contains("user.update")).await;

    // A form whose CSRF token was removed is refused, and nothing changes.
    client
        .goto(&format!("{base}/admin/users/{}", member.id))
        .await
        .unwrap();
    client
        .execute(
            "document.querySelector(arguments[0] + ' input[name=csrf_token]').remove()",
            vec![json!(edit)],
        )
        .await
        .unwrap();
    click(
        client,
        &format!("{edit} select[name=subscription_tier] option[value=premium]"),
    )
    .await;
    click(client, &format!("{edit} button[type=submit]")).await;
    wait_for_text(client, "#error", |t| {
        t.contains("security token is missing or wrong")
    })
    .await;
    assert_eq!(
        app.user(member.id).await.subscription_tier,
        SubscriptionTier::Pro
    );

    client.clone().close().await.unwrap();
}

//! The `careerhub` binary's commands, run as a user would run them.

use std::process::{Command, Output};

use serde_json::Value;

/// Runs the built binary in a fresh data dir with a clean environment.
fn careerhub(data_dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_careerhub"));
    command
        .args(args)
        .current_dir(data_dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command.env("CAREERHUB_DATA_DIR", data_dir.join("data"));
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn openapi_prints_the_document_without_any_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let output = careerhub(dir.path(), &["openapi"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/token/"]["post"].is_object());
    assert!(
        !dir.path().join("data").exists(),
        "openapi must not touch the data dir"
    );
}

#[test]
fn production_without_a_jwt_secret_refuses_to_start_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let output = careerhub(dir.path(), &["migrate"], &[("CAREERHUB_ENV", "production")]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("CAREERHUB_JWT_SECRET"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn migrate_creates_the_embedded_database_and_is_repeatable() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let output = careerhub(dir.path(), &["migrate"], &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(stdout(&output).trim(), "migrations applied");
    }
    assert!(dir.path().join("data/careerhub.db").is_file());
    assert!(dir.path().join("data/jwt_secret").is_file());
}

#[test]
fn createsuperuser_from_flags_and_import_from_a_dumpdata_file() {
    let dir = tempfile::tempdir().unwrap();
    let created = careerhub(
        dir.path(),
        &[
            "createsuperuser",
            "--email",
            "Admin@Example.com",
            "--password",
            "admin-pass-123",
        ],
        &[],
    );
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(
        stdout(&created).starts_with("superuser admin@example.com created"),
        "{}",
        stdout(&created)
    );

    let again = careerhub(
        dir.path(),
        &["createsuperuser", "--no-input"],
        &[
            ("CAREERHUB_SUPERUSER_EMAIL", "admin@example.com"),
            ("CAREERHUB_SUPERUSER_PASSWORD", "admin-pass-123"),
        ],
    );
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    let weak = careerhub(
        dir.path(),
        &[
            "createsuperuser",
            "--email",
            "b@example.com",
            "--password",
            "123",
        ],
        &[],
    );
    assert!(!weak.status.success());
    assert!(stderr(&weak).contains("too short"), "{}", stderr(&weak));

    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/django_dumpdata_users.json"
    );
    let imported = careerhub(dir.path(), &["import-django-users", fixture], &[]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stdout(&imported).starts_with("created 4, updated 0, skipped 1\n"),
        "{}",
        stdout(&imported)
    );
}

#[test]
fn import_jobs_reads_a_file_and_reports_each_rejected_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jobs.jsonl");
    let good = r#"{"title": "Dev", "company": "Acme", "url": "https://x.example/1", "technology_slugs": ["rust"]}"#;
    std::fs::write(&file, format!("{good}\n{{broken\n{good}\n")).unwrap();
    let output = careerhub(
        dir.path(),
        &[
            "import-jobs",
            file.to_str().unwrap(),
            "--search-keywords",
            "Rust Developer",
        ],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.starts_with("inserted 1, updated 1, rejected 1\n  line 2: not valid JSON"),
        "{report}"
    );
}

/// Starts a long-running command in a fresh data dir, logging JSON lines to a captured stderr.
fn spawn_logging_json(data_dir: &std::path::Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_careerhub"))
        .args(args)
        .current_dir(data_dir)
        .env_clear()
        .env("CAREERHUB_DATA_DIR", data_dir.join("data"))
        .env("CAREERHUB_LOG_FORMAT", "json")
        .env("CAREERHUB_ACCESS_LOG", "true")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends SIGTERM, waits, and asserts a clean exit; what the process wrote.
fn stop_with_sigterm(child: std::process::Child) -> Output {
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    output
}

/// A plain HTTP/1.1 GET over a blocking socket; the whole response as text.
fn http_get(addr: &str, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

#[test]
fn serve_logs_each_request_with_the_access_log_and_exits_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = spawn_logging_json(dir.path(), &["serve", "--addr", &addr]);

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let ready = loop {
        match http_get(&addr, "/readyz") {
            Ok(answer) => break answer,
            Err(_) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            Err(err) => panic!("server never answered: {err}"),
        }
    };
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    assert!(
        http_get(&addr, "/healthz/")
            .unwrap()
            .starts_with("HTTP/1.1 200")
    );
    assert!(
        http_get(&addr, "/auth/me")
            .unwrap()
            .starts_with("HTTP/1.1 401")
    );

    let output = stop_with_sigterm(child);

    let logs = stderr(&output);
    let request_lines: Vec<Value> = logs
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["message"] == "request" && line["route"] == "/healthz")
        .collect();
    assert_eq!(request_lines.len(), 1, "{logs}");
    assert_eq!(request_lines[0]["status"], 200);
    assert_eq!(request_lines[0]["method"], "GET");
    assert!(
        request_lines[0]["duration_ms"].is_number() && request_lines[0]["request_id"].is_string()
    );
    // Refusals are logged too.
    let refused = logs
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["message"] == "request" && line["route"] == "/auth/me")
        .map(|line| line["status"].clone())
        .collect::<Vec<_>>();
    assert_eq!(refused, [serde_json::json!(401)], "{logs}");
    assert!(
        !logs.contains("test-secret")
            && !logs
                .contains(&std::fs::read_to_string(dir.path().join("data/jwt_secret")).unwrap())
    );
}

#[test]
fn links_follow_the_address_serve_listens_on() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = spawn_logging_json(dir.path(), &["serve", "--addr", &addr]);
    wait_until_ready(&addr);
    let register = http_request(
        &addr,
        "POST",
        "/api/auth/register/",
        &[("Content-Type", "application/json")],
        br#"{"email": "links@example.com", "password1": "links-pass-123", "password2": "links-pass-123"}"#,
    );
    let token = json_body(&register)["access"].as_str().unwrap().to_owned();
    let (content_type, body) =
        crate::helpers::multipart_body(&[("file", Some("dot.png"), &one_pixel_png())]);
    let uploaded = http_request(
        &addr,
        "POST",
        "/api/assets/",
        &[
            ("Content-Type", &content_type),
            ("Authorization", &format!("Bearer {token}")),
        ],
        &body,
    );
    let link = json_body(&uploaded)["file"].as_str().unwrap().to_owned();
    let prefix = format!("http://{addr}/");
    assert!(link.starts_with(&prefix), "{link}");
    let fetched = http_request(&addr, "GET", &link[prefix.len() - 1..], &[], b"");
    assert!(fetched.starts_with("HTTP/1.1 200"), "{fetched}");
    stop_with_sigterm(child);
}

fn wait_until_ready(addr: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !http_get(addr, "/readyz").is_ok_and(|answer| answer.starts_with("HTTP/1.1 200")) {
        assert!(
            std::time::Instant::now() < deadline,
            "server never became ready"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// An HTTP/1.1 request over a blocking socket; the whole response as text.
fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

fn json_body(response: &str) -> Value {
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    serde_json::from_str(body).unwrap_or_else(|err| panic!("{err}: {response}"))
}

fn one_pixel_png() -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::new_rgb8(1, 1)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn rebuild_market_rollups_counts_every_stored_posting() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jobs.csv");
    std::fs::write(
        &file,
        "title,company,url,technology_slugs\nDev,Acme,https://x.example/1,rust|go\nOps,Acme,https://x.example/2,k8s\n",
    )
    .unwrap();
    let imported = careerhub(dir.path(), &["import-jobs", file.to_str().unwrap()], &[]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let output = careerhub(dir.path(), &["rebuild-market-rollups"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "market rollups rebuilt from 2 postings\n");
}

#[test]
fn worker_runs_alone_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let child = spawn_logging_json(dir.path(), &["worker", "--concurrency", "3"]);
    // It has migrated (and so started) once the database has the jobs table.
    let db = dir.path().join("data/careerhub.db");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !(db.exists() && std::fs::metadata(&db).unwrap().len() > 0) {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let output = stop_with_sigterm(child);
    let logs = stderr(&output);
    let messages: Vec<String> = logs
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|line| line["message"].as_str().map(str::to_owned))
        .collect();
    assert!(
        messages.contains(&"worker started".to_owned())
            && messages.contains(&"worker stopped".to_owned()),
        "{logs}"
    );
}

#[test]
fn subscriptions_are_granted_and_ended_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let created = careerhub(
        dir.path(),
        &[
            "createsuperuser",
            "--email",
            "ops@example.com",
            "--password",
            "ops-pass-1234",
        ],
        &[],
    );
    assert!(created.status.success(), "{}", stderr(&created));
    let granted = careerhub(
        dir.path(),
        &[
            "subscription",
            "grant",
            "--email",
            "OPS@example.com",
            "--plan",
            "Pro",
            "--days",
            "30",
        ],
        &[],
    );
    assert!(granted.status.success(), "{}", stderr(&granted));
    assert_eq!(stdout(&granted), "ops@example.com now has the pro plan\n");
    let ended = careerhub(
        dir.path(),
        &["subscription", "end", "--email", "ops@example.com"],
        &[],
    );
    assert!(ended.status.success(), "{}", stderr(&ended));
    assert_eq!(
        stdout(&ended),
        "ops@example.com is on the free plan (1 subscription ended)\n"
    );
    let unknown = careerhub(
        dir.path(),
        &[
            "subscription",
            "grant",
            "--email",
            "ops@example.com",
            "--plan",
            "gold",
        ],
        &[],
    );
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("the plan must be starter, pro or premium"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn a_worker_with_a_metrics_address_answers_probes_and_metrics_there() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = spawn_logging_json(dir.path(), &["worker", "--metrics-addr", &addr]);
    wait_until_ready(&addr);
    let health = http_get(&addr, "/healthz").unwrap();
    assert!(
        health.starts_with("HTTP/1.1 200") && health.ends_with(r#"{"status":"ok"}"#),
        "{health}"
    );
    let ready = http_get(&addr, "/readyz").unwrap();
    assert!(ready.ends_with(r#"{"status":"ready"}"#), "{ready}");
    let metrics = http_get(&addr, "/metrics").unwrap();
    for series in [
        "careerhub_queue_jobs{status=\"queued\"} 0",
        "careerhub_process_resident_memory_bytes ",
        "careerhub_process_open_fds ",
        "careerhub_process_cpu_seconds ",
    ] {
        assert!(metrics.contains(series), "{series} missing from {metrics}");
    }
    // The API is not served there.
    assert!(
        http_get(&addr, "/api/portfolios/")
            .unwrap()
            .starts_with("HTTP/1.1 404")
    );
    stop_with_sigterm(child);
}

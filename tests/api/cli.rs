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

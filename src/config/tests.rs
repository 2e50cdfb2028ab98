//! Configuration parsing: defaults, secrets, production's refusals.

use super::*;
use std::collections::HashMap;

fn config_from(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|name| map.get(name).cloned())
}

#[test]
fn production_without_a_secret_refuses_to_start_and_names_the_variable() {
    let err = config_from(&[("CAREERHUB_ENV", "production")]).unwrap_err();
    assert!(err.to_string().contains("CAREERHUB_JWT_SECRET"), "{err}");
}

#[test]
fn development_generates_a_secret_once_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let dir_str = dir.path().to_str().unwrap();
    let first = config_from(&[("CAREERHUB_DATA_DIR", dir_str)]).unwrap();
    let second = config_from(&[("CAREERHUB_DATA_DIR", dir_str)]).unwrap();
    assert_eq!(first.jwt_secret, second.jwt_secret);
    assert_eq!(first.jwt_secret.expose().len(), 64);
}

#[test]
fn debug_output_hides_the_secret_and_the_database_password() {
    let config = config_from(&[
        (
            "CAREERHUB_JWT_SECRET",
            "a-very-secret-value-that-is-long-enough-1234",
        ),
        (
            "DATABASE_URL",
            "postgres://app:hunter2pass@db.internal/careerhub",
        ),
    ])
    .unwrap();
    let printed = format!("{config:?}");
    assert!(!printed.contains("a-very-secret-value"), "{printed}");
    assert!(!printed.contains("hunter2pass"), "{printed}");
    assert!(printed.contains("db.internal"), "{printed}");
}

#[test]
fn defaults_are_the_embedded_server() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_from(&[("CAREERHUB_DATA_DIR", dir.path().to_str().unwrap())]).unwrap();
    assert_eq!(config.addr.to_string(), "127.0.0.1:8000");
    assert!(config.is_sqlite());
    assert_eq!(config.access_token_ttl, Duration::from_secs(3600));
    assert_eq!(config.refresh_token_ttl, Duration::from_secs(86400));
    assert_eq!(config.cors_origins, CorsOrigins::None);
}

#[test]
fn cors_origins_are_a_comma_list() {
    assert_eq!(
        parse_cors(Some("https://a.example, https://b.example/")),
        CorsOrigins::List(vec!["https://a.example".into(), "https://b.example".into()])
    );
    assert_eq!(parse_cors(Some("*")), CorsOrigins::Any);
}

#[test]
fn links_follow_the_listen_address_unless_a_public_url_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut derived = config_from(&[("CAREERHUB_DATA_DIR", data)]).unwrap();
    derived.listen_on("127.0.0.1:18104".parse().unwrap());
    assert_eq!(derived.public_base_url, "http://127.0.0.1:18104");
    let mut fixed = config_from(&[
        ("CAREERHUB_DATA_DIR", data),
        ("CAREERHUB_PUBLIC_URL", "https://api.example.com/"),
    ])
    .unwrap();
    fixed.listen_on("127.0.0.1:18104".parse().unwrap());
    assert_eq!(fixed.public_base_url, "https://api.example.com");
}

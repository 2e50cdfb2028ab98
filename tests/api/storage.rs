//! The storage layer on the local directory and on a real S3-compatible server on loopback
//! (moto's server: `TEST_S3_ENDPOINT`, or started here from `target/tools/moto` or `PATH`, as
//! `scripts/test.sh` installs it), and uploads that fail cleanly when storage is down.

use std::sync::OnceLock;

use axum::http::StatusCode;
use careerhub::config::Secret;
use careerhub::resumes::resume;
use careerhub::storage::{S3Config, Storage, StorageConfig};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::helpers::TestApp;
use crate::resumes::{DOCX, upload};

/// The S3 endpoint for this test run, started once.
fn s3_endpoint() -> &'static str {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT.get_or_init(|| {
        if let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") {
            return endpoint;
        }
        let server = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/target/tools/moto/bin/moto_server"),
            "moto_server",
        ]
        .into_iter()
        .find(|candidate| {
            std::process::Command::new(candidate)
                .arg("--help")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok()
        })
        .expect(
            "no S3-compatible server: run the tests with scripts/test.sh, which installs moto, \
             or set TEST_S3_ENDPOINT",
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // The server stops when this test process does (it is watched, not left behind).
        let script = format!(
            "{server} -H 127.0.0.1 -p {port} & m=$!; while kill -0 {} 2>/dev/null; do sleep 1; done; kill $m",
            std::process::id()
        );
        // Not waited for: the script outlives the tests only until it sees this process gone.
        #[allow(clippy::zombie_processes)]
        std::process::Command::new("sh")
            .args(["-c", &script])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start moto_server");
        let endpoint = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return endpoint;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("moto_server did not start on {endpoint}");
    })
}

/// A fresh bucket on the S3 server.
pub async fn new_bucket() -> S3Config {
    let bucket = format!("careerhub-{}", uuid::Uuid::new_v4().simple());
    let endpoint = s3_endpoint();
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{:?}", created.text().await);
    S3Config {
        bucket,
        endpoint: Some(endpoint.to_owned()),
        region: "us-east-1".into(),
        access_key_id: "testing".into(),
        secret_access_key: Secret::new("testing"),
        path_style: true,
    }
}

async fn put_get_delete(storage: &Storage) {
    let key = Storage::new_key("resumes", "txt");
    storage
        .put(&key, bytes::Bytes::from_static(b"hello"), "text/plain")
        .await
        .unwrap();
    assert!(storage.exists(&key).await.unwrap());
    assert_eq!(storage.get(&key).await.unwrap().as_ref(), b"hello");
    storage.delete(&key).await.unwrap();
    assert!(!storage.exists(&key).await.unwrap());
    // Deleting what is gone is not an error.
    storage.delete(&key).await.unwrap();
}

#[tokio::test]
async fn the_local_directory_stores_reads_and_really_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let config = StorageConfig::Local {
        root: dir.path().join("media"),
    };
    let storage =
        Storage::open(&config, "http://api.example.com", None, &Secret::new("k")).unwrap();
    put_get_delete(&storage).await;
    assert_eq!(
        storage.link("assets/a.png").await,
        "http://api.example.com/media/assets/a.png"
    );
    let private = storage.link("resumes/a.pdf").await;
    let link = url::Url::parse(&private).unwrap();
    let query: std::collections::HashMap<_, _> = link.query_pairs().into_owned().collect();
    let expires: i64 = query["expires"].parse().unwrap();
    assert!(storage.verify_link("resumes/a.pdf", expires, &query["signature"]));
    assert!(!storage.verify_link("resumes/b.pdf", expires, &query["signature"]));
    assert!(!storage.verify_link("resumes/a.pdf", expires + 1, &query["signature"]));
}

#[tokio::test]
async fn an_s3_compatible_server_stores_reads_and_really_deletes() {
    let config = StorageConfig::S3(new_bucket().await);
    let storage = Storage::open(&config, "http://unused", None, &Secret::new("k")).unwrap();
    put_get_delete(&storage).await;
}

#[tokio::test]
async fn resumes_upload_to_the_bucket_behind_presigned_links() {
    let s3 = new_bucket().await;
    let prefix = format!("{}/{}", s3_endpoint(), s3.bucket);
    let app = TestApp::with_config(|c| c.storage = StorageConfig::S3(s3)).await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    let body = upload(&app, &token, "cv.docx", DOCX).await;
    let file = body["file"].as_str().unwrap();
    assert!(file.starts_with(&format!("{prefix}/resumes/")), "{file}");
    assert!(file.contains("X-Amz-Signature="), "{file}");
    // The bucket is private: the bare link is refused, the presigned one served.
    let bare = file.split('?').next().unwrap();
    assert_eq!(reqwest::get(bare).await.unwrap().status(), 403);
    let fetched = reqwest::get(file).await.unwrap();
    assert_eq!(fetched.status(), 200);
    assert_eq!(
        fetched.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(fetched.bytes().await.unwrap().as_ref(), DOCX);
}

#[tokio::test]
async fn an_upload_while_storage_is_down_is_a_503_and_stores_no_row() {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = TestApp::with_config(|c| {
        c.storage = StorageConfig::S3(S3Config {
            bucket: "nowhere".into(),
            endpoint: Some(format!("http://127.0.0.1:{closed_port}")),
            region: "us-east-1".into(),
            access_key_id: "k".into(),
            secret_access_key: Secret::new("s"),
            path_style: true,
        })
    })
    .await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    app.multipart(
        "/api/resumes/upload",
        &[("file", Some("cv.docx"), DOCX)],
        Some(&token),
    )
    .await
    .assert(
        StatusCode::SERVICE_UNAVAILABLE,
        json!({"detail": "File storage is temporarily unavailable. Please retry shortly."}),
    );
    let rows = resume::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

//! Resume uploads: real files made by LibreOffice and Chromium (`tests/fixtures`, see
//! `scripts/make-resume-fixtures.sh`), read to text before the answer, kept in storage, and the
//! contract's refusals with nothing stored.

use axum::http::{Method, StatusCode};
use careerhub::resumes::resume;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{FormField, TestApp};

pub const LIBREOFFICE_PDF: &[u8] = include_bytes!("../fixtures/resume-libreoffice.pdf");
pub const CHROMIUM_PDF: &[u8] = include_bytes!("../fixtures/resume-chromium.pdf");
pub const DOCX: &[u8] = include_bytes!("../fixtures/resume.docx");

/// Words every rendering of the fixture resume must keep.
const EXPECTED_PHRASES: [&str; 6] = [
    "Priya Sharma",
    "Backend engineer with 5 years of experience",
    "reducing p99 latency by 40%",
    "PostgreSQL",
    "Celery",
    "IIT Delhi",
];

async fn resume_count(app: &TestApp) -> u64 {
    resume::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap()
}

/// Every file under the local media directory.
fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    let root = app.state.config.data_dir.join("media");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                dirs.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    files
}

pub async fn upload(app: &TestApp, token: &str, name: &str, bytes: &[u8]) -> Value {
    let response = app
        .multipart(
            "/api/resumes/upload/",
            &[("file", Some(name), bytes)],
            Some(token),
        )
        .await;
    response.assert_status(StatusCode::CREATED).clone()
}

#[tokio::test]
async fn pdfs_from_libreoffice_and_chromium_and_a_docx_are_read_before_the_answer() {
    let app = TestApp::new().await;
    let user = app.seed_user("seeker@example.com").await;
    let token = app.access_token(user.id);
    for (name, bytes, extension) in [
        ("cv.pdf", LIBREOFFICE_PDF, "pdf"),
        ("chromium.pdf", CHROMIUM_PDF, "pdf"),
        ("cv.docx", DOCX, "docx"),
        // The name lies; the content decides.
        ("cv.txt", DOCX, "docx"),
    ] {
        let body = upload(&app, &token, name, bytes).await;
        let text = body["parsed_text"].as_str().unwrap();
        for phrase in EXPECTED_PHRASES {
            assert!(
                text.contains(phrase),
                "{name}: {phrase:?} missing from {text:?}"
            );
        }
        let file = body["file"].as_str().unwrap();
        let link = url::Url::parse(file).unwrap();
        assert!(
            link.path().starts_with("/media/resumes/") && link.path().ends_with(extension),
            "{file}"
        );
        assert_eq!(
            body,
            json!({"id": body["id"], "file": file, "parsed_text": text, "text_status": "read",
                   "created_at": body["created_at"], "user": user.id, "job_application": null})
        );
        // The signed link serves the very bytes uploaded; the bare or a forged one nothing.
        let signed = &file["http://testserver".len()..];
        let served = app.get(signed, None).await;
        assert_eq!(served.status, StatusCode::OK);
        let length = bytes.len().to_string();
        assert_eq!(served.header("content-length"), Some(length.as_str()));
        let content_type = if extension == "pdf" {
            "application/pdf"
        } else {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        };
        assert_eq!(served.header("content-type"), Some(content_type));
        assert_eq!(served.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            served.header("cache-control"),
            Some("private, max-age=3600")
        );
        let forged = signed.replace("signature=", "signature=0");
        // A key spelled another way (a leading slash, encoded or not) is not a way around the
        // signature: it names no file at all.
        let doubled = link.path().replacen("/media/", "/media//", 1);
        let encoded = link.path().replacen("/media/", "/media/%2F", 1);
        for path in [link.path(), forged.as_str(), &doubled, &encoded] {
            app.get(path, None)
                .await
                .assert(StatusCode::NOT_FOUND, json!({"detail": "Not found."}));
        }
    }
    assert_eq!(stored_files(&app).len(), 4);
}

#[tokio::test]
async fn a_corrupt_pdf_is_kept_with_empty_text_and_cannot_be_analysed() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    let truncated = &LIBREOFFICE_PDF[..LIBREOFFICE_PDF.len() / 3];
    let body = upload(&app, &token, "broken.pdf", truncated).await;
    // No text layer could be read: OCR tries it after the answer, and finds none either.
    assert_eq!(
        (&body["parsed_text"], &body["text_status"]),
        (&json!(""), &json!("pending"))
    );
    let plain = upload(&app, &token, "cv", b"Jane Doe\nRust and Go engineer\n").await;
    assert_eq!(plain["parsed_text"], "Jane Doe\nRust and Go engineer");
    assert_eq!(plain["text_status"], "read");
    assert_eq!(app.run_pending_jobs().await, 1);
    let listed = app.get("/api/resumes/list/", Some(&token)).await;
    let mut unreadable = body.clone();
    unreadable["text_status"] = json!("unreadable");
    listed.assert(StatusCode::OK, json!([plain, unreadable]));
}

#[tokio::test]
async fn uploads_are_refused_in_the_contracts_shape_with_nothing_stored() {
    let app = TestApp::new().await;
    let owner = app.seed_user("owner@example.com").await;
    let other = app.seed_user("other@example.com").await;
    let token = app.access_token(owner.id);
    let foreign_job = app
        .call(
            Method::POST,
            "/api/jobs/create",
            Some(json!({"company_name": "noon", "job_title": "SDE", "job_description": "JD"})),
            Some(&app.access_token(other.id)),
        )
        .await
        .json["id"]
        .to_string();
    let too_big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let cases: Vec<(Vec<FormField>, Value)> = vec![
        (vec![], json!({"file": ["No file was submitted."]})),
        (
            vec![("file", None, &b"file:///home/me/cv.pdf"[..])],
            json!({"file": ["No file was submitted."]}),
        ),
        (
            vec![("file", Some("cv.pdf"), &b""[..])],
            json!({"file": ["The submitted file is empty."]}),
        ),
        (
            vec![(
                "file",
                Some("cv.pdf"),
                &b"GIF89a\x01\x00\x01\x00\x80\x00\x00"[..],
            )],
            json!({"file": ["Unsupported file type. Upload a PDF, DOCX, plain-text, PNG or JPEG resume."]}),
        ),
        (
            vec![("file", Some("cv.txt"), &too_big[..])],
            json!({"file": ["The file is larger than the 10 MB limit."]}),
        ),
        (
            vec![
                ("file", Some("cv.pdf"), LIBREOFFICE_PDF),
                ("job_application", None, foreign_job.as_bytes()),
            ],
            json!({"job_application": ["You can only attach resumes to your own job applications."]}),
        ),
        (
            vec![
                ("file", Some("cv.pdf"), LIBREOFFICE_PDF),
                ("job_application", None, &b"999999"[..]),
            ],
            json!({"job_application": ["You can only attach resumes to your own job applications."]}),
        ),
    ];
    for (parts, error) in cases {
        app.multipart("/api/resumes/upload", &parts, Some(&token))
            .await
            .assert(StatusCode::BAD_REQUEST, error);
    }
    // A JSON body has no file either.
    app.call(
        Method::POST,
        "/api/resumes/upload",
        Some(json!({"file": "cv.pdf"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"file": ["No file was submitted."]}),
    );
    assert_eq!(resume_count(&app).await, 0);
    assert!(stored_files(&app).is_empty());
}

#[tokio::test]
async fn a_resume_attaches_to_ones_own_application_and_lists_are_per_user() {
    let app = TestApp::new().await;
    let owner = app.seed_user("owner@example.com").await;
    let other = app.seed_user("other@example.com").await;
    let token = app.access_token(owner.id);
    let job = app
        .call(
            Method::POST,
            "/api/jobs/create",
            Some(json!({"company_name": "noon", "job_title": "SDE", "job_description": "JD"})),
            Some(&token),
        )
        .await
        .json["id"]
        .clone();
    let job_id = job.to_string();
    let response = app
        .multipart(
            "/api/resumes/upload",
            &[
                ("job_application", None, job_id.as_bytes()),
                ("file", Some("cv.docx"), DOCX),
            ],
            Some(&token),
        )
        .await;
    assert_eq!(
        response.assert_status(StatusCode::CREATED)["job_application"],
        job
    );
    app.get("/api/resumes/list", Some(&app.access_token(other.id)))
        .await
        .assert(StatusCode::OK, json!([]));
}

//! The per-user file quota: resumes and images share it, a full account stores nothing (no row,
//! no file), deleting frees room, another user's files never count, and concurrent uploads
//! cannot pass it together.

use axum::http::{Method, StatusCode};
use careerhub::portfolios::assets::asset;
use careerhub::quota::size_text;
use careerhub::resumes::resume;
use image::ImageFormat;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::assets::encoded;
use crate::helpers::{TestApp, TestResponse};
use crate::resumes::LIBREOFFICE_PDF;

const PDF: &[u8] = LIBREOFFICE_PDF;

fn over_quota(quota: usize, used: usize) -> Value {
    json!({"file": [format!(
        "This file would take your stored files past your {} storage quota ({} used). Delete some resumes or images first.",
        size_text(quota as i64),
        size_text(used as i64)
    )]})
}

async fn upload_resume(app: &TestApp, token: &str) -> TestResponse {
    app.multipart(
        "/api/resumes/upload/",
        &[("file", Some("cv.pdf"), PDF)],
        Some(token),
    )
    .await
}

async fn upload_image(app: &TestApp, token: &str, png: &[u8]) -> TestResponse {
    app.multipart("/api/assets/", &[("file", Some("a.png"), png)], Some(token))
        .await
}

/// (resume rows, asset rows) of a user.
async fn rows_of(app: &TestApp, user_id: i64) -> (u64, u64) {
    let conn = app.state.db.reader();
    let resumes = resume::Entity::find()
        .filter(resume::Column::UserId.eq(user_id))
        .count(conn)
        .await
        .unwrap();
    let assets = asset::Entity::find()
        .filter(asset::Column::UserId.eq(user_id))
        .count(conn)
        .await
        .unwrap();
    (resumes, assets)
}

/// Files in the local media directory, every prefix.
fn stored_file_count(app: &TestApp) -> usize {
    let root = app.state.config.data_dir.join("media");
    ["resumes", "assets"]
        .iter()
        .map(|prefix| {
            std::fs::read_dir(root.join(prefix))
                .map(|entries| entries.count())
                .unwrap_or(0)
        })
        .sum()
}

#[tokio::test]
async fn resumes_and_images_share_one_quota_and_a_full_account_stores_nothing() {
    let png = encoded(ImageFormat::Png, 64, 64);
    // Room for one resume and a few hundred bytes, less than any re-encoded image.
    let quota = PDF.len() + 200;
    let app = TestApp::with_config(|c| c.storage_quota_bytes = quota as u64).await;
    let jane = app.seed_user("jane@example.com").await;
    let token = app.access_token(jane.id);

    let first = upload_resume(&app, &token).await;
    let resume_id = crate::helpers::id_of(first.assert_status(StatusCode::CREATED));
    upload_resume(&app, &token)
        .await
        .assert(StatusCode::BAD_REQUEST, over_quota(quota, PDF.len()));
    upload_image(&app, &token, &png)
        .await
        .assert(StatusCode::BAD_REQUEST, over_quota(quota, PDF.len()));
    assert_eq!(rows_of(&app, jane.id).await, (1, 0));
    assert_eq!(stored_file_count(&app), 1);

    // Another user's files are theirs to count.
    let sam = app.seed_user("sam@example.com").await;
    upload_resume(&app, &app.access_token(sam.id))
        .await
        .assert_status(StatusCode::CREATED);

    // Deleting the resume makes room for the image.
    app.call(
        Method::DELETE,
        &format!("/api/resumes/{resume_id}/"),
        None,
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    upload_image(&app, &token, &png)
        .await
        .assert_status(StatusCode::CREATED);
    assert_eq!(rows_of(&app, jane.id).await, (0, 1));
    assert_eq!(stored_file_count(&app), 2);
}

#[tokio::test]
async fn concurrent_uploads_cannot_pass_the_quota_together() {
    let quota = 3 * PDF.len();
    let app = TestApp::with_config(|c| c.storage_quota_bytes = quota as u64).await;
    let jane = app.seed_user("jane@example.com").await;
    let token = app.access_token(jane.id);

    let answers = futures::future::join_all((0..8).map(|_| upload_resume(&app, &token))).await;
    let mut statuses: Vec<StatusCode> = answers.iter().map(|a| a.status).collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [
            [StatusCode::CREATED; 3].as_slice(),
            &[StatusCode::BAD_REQUEST; 5]
        ]
        .concat()
    );
    for refused in answers
        .iter()
        .filter(|a| a.status == StatusCode::BAD_REQUEST)
    {
        assert!(
            refused.json["file"][0]
                .as_str()
                .unwrap()
                .starts_with("This file would take your stored files past your"),
            "{}",
            refused.text
        );
    }
    // The refused uploads left no file behind, whichever check refused them.
    assert_eq!(rows_of(&app, jane.id).await, (3, 0));
    assert_eq!(stored_file_count(&app), 3);
}

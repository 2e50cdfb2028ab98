//! The account lifecycle every product shares: the export holds everything, deletion removes
//! every row and file, and the sweep deletes only old files no row points to.

use axum::http::{Method, StatusCode};
use careerhub::accounts::user::AccountKind;
use serde_json::json;

use crate::gan7club::{photo, post_picture, stored};
use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn export_holds_everything_and_deletion_removes_rows_and_files() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_of_kind("tal@example.com", AccountKind::Talent)
        .await;
    let other = app.seed_user("other@example.com").await;
    let token = app.access_token(user.id);
    post_picture(
        &app,
        &token,
        "/api/profile/talent/",
        "me.jpg",
        &photo(40, 40),
    )
    .await
    .assert_status(StatusCode::OK);
    crate::resumes::upload(&app, &token, "cv.docx", crate::resumes::DOCX).await;
    app.call(
        Method::POST,
        "/api/projects/",
        Some(json!({"title": "Ray tracer"})),
        Some(&token),
    )
    .await;
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(json!({"job_title": "Engineer", "company": "Acme", "start_date": "2020"})),
        Some(&token),
    )
    .await;
    let other_resume = crate::resumes::upload(
        &app,
        &app.access_token(other.id),
        "cv.docx",
        crate::resumes::DOCX,
    )
    .await;

    let export = app.get("/api/me/export/", Some(&token)).await;
    let export = export.assert_status(StatusCode::OK).clone();
    assert_eq!(export["account"]["email"], "tal@example.com");
    assert_eq!(export["breneo"]["work_experiences"][0]["company"], "Acme");
    assert_eq!(export["grooya"]["projects"][0]["title"], "Ray tracer");
    assert_eq!(export["jobtracker"]["resumes"].as_array().unwrap().len(), 1);
    assert!(
        export["jobtracker"]["resumes"][0]["file"]
            .as_str()
            .unwrap()
            .contains("/media/resumes/")
    );
    assert!(
        export["gan7club"]["profile"]["profile_picture"]
            .as_str()
            .unwrap()
            .contains("/media/profile_pictures/")
    );
    assert!(!export.to_string().contains("other@example.com"));
    assert_eq!(stored(&app).len(), 4);

    app.call(
        Method::DELETE,
        "/api/auth/user/",
        Some(json!({"password": "wrong"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"password": ["Incorrect password."]}),
    );
    app.call(
        Method::DELETE,
        "/api/auth/user/",
        Some(json!({"password": PASSWORD})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    assert_eq!(app.user_count().await, 1);
    let left = stored(&app);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(other_resume["file"].as_str().unwrap().contains(&left[0]));
    app.get("/api/me/export/", Some(&token))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    for table in [
        "gan7_profiles",
        "resumes",
        "projects",
        "work_experiences",
        "user_skills",
    ] {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = app.state.db.backend();
        let row = app
            .state
            .db
            .reader()
            .query_one_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE user_id = {}",
                    user.id
                ),
            ))
            .await
            .unwrap()
            .unwrap();
        let n: i64 = row.try_get("", "n").unwrap();
        assert_eq!(n, 0, "{table}");
    }
}

#[tokio::test]
async fn the_sweep_deletes_old_unreferenced_files_only() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_of_kind("tal@example.com", AccountKind::Talent)
        .await;
    let token = app.access_token(user.id);
    post_picture(
        &app,
        &token,
        "/api/profile/talent/",
        "me.jpg",
        &photo(40, 40),
    )
    .await
    .assert_status(StatusCode::OK);
    let media = app.state.config.data_dir.join("media");
    let orphan = media.join("profile_pictures").join("orphan.jpg");
    let fresh_orphan = media.join("profile_pictures").join("fresh.jpg");
    std::fs::write(&orphan, b"left behind").unwrap();
    std::fs::write(&fresh_orphan, b"being written").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&orphan)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    // The referenced picture is old too: age alone never deletes.
    for key in stored(&app)
        .iter()
        .filter(|k| !k.ends_with("orphan.jpg") && !k.ends_with("fresh.jpg"))
    {
        std::fs::File::options()
            .write(true)
            .open(media.join(key))
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }
    let deleted = careerhub::lifecycle::sweep_orphans(&app.state)
        .await
        .unwrap();
    assert_eq!(deleted, 1);
    let left = stored(&app);
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(!left.iter().any(|k| k.ends_with("orphan.jpg")));
}

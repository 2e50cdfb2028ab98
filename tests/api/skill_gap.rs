//! Career Navigator's skill gap: the role's postings against the user's skills, skills named as
//! trending names them (the postings' most used spelling, aliases counted once), the contract's
//! errors, the title fallback; and the profile fields the original let through.

use axum::http::{Method, StatusCode};
use careerhub::accounts::service::NewUser;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::market::{at, posting, seed_market, store};

pub async fn navigator_user(app: &TestApp, roles: &[&str], skills: &[&str]) -> String {
    let user = app
        .seed_user_with(NewUser {
            email: "student@example.com".into(),
            target_roles: roles.iter().map(|r| r.to_string()).collect(),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            ..NewUser::default()
        })
        .await;
    app.access_token(user.id)
}

#[tokio::test]
async fn gap_analysis_compares_the_roles_postings_with_the_users_skills() {
    let app = TestApp::new().await;
    seed_market(&app).await;
    let token = navigator_user(
        &app,
        &["Software Engineer", "Data Analyst"],
        &["python", "go"],
    )
    .await;
    let response = app
        .get(
            "/skills/gap-analysis?role=Software%20Engineer&days=30&threshold=0.5",
            Some(&token),
        )
        .await;
    response.assert(
        StatusCode::OK,
        json!({
            "role": "Software Engineer",
            "total_postings_analyzed": 4,
            "required_skills": [
                {"skill": "python", "name": "Python", "required_percentage": 75.0, "user_has": true},
                {"skill": "react", "name": "React", "required_percentage": 50.0, "user_has": false}
            ],
            "missing_skills": ["react"],
            "coverage_percentage": 50.0,
            "skill_match_count": 1,
            "total_required_skills": 2
        }),
    );
}

#[tokio::test]
async fn gap_analysis_errors_follow_the_contract() {
    let app = TestApp::new().await;
    seed_market(&app).await;
    let no_roles = app.access_token(app.seed_user("noroles@example.com").await.id);
    app.get(
        "/skills/gap-analysis?role=Software%20Engineer",
        Some(&no_roles),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "User has no target roles configured. Please update your profile first."}),
    );
    let token = navigator_user(&app, &["Software Engineer", "Data Analyst"], &[]).await;
    app.get("/skills/gap-analysis?role=software%20engineer", Some(&token)).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "Role 'software engineer' is not in your target roles. Available roles: Software Engineer, Data Analyst"}),
    );
    app.get("/skills/gap-analysis", Some(&token)).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "role is required"}),
    );
    app.get(
        "/skills/gap-analysis?role=Software%20Engineer&threshold=0.05",
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "threshold must be between 0.1 and 1"}),
    );
    app.get("/skills/gap-analysis?role=Software%20Engineer", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);

    app.get(
        "/skills/gap-analysis?role=Data%20Analyst&days=30",
        Some(&token),
    )
    .await
    .assert(
        StatusCode::NOT_FOUND,
        json!({"detail": {
            "message": "No job data found for 'Data Analyst'",
            "suggestions": [
                "Try increasing the time window (currently analyzing last 30 days)",
                "Check if the role name is spelled correctly",
                "Consider using a more general role title"
            ],
            "alternatives": ["Software Engineer"]
        }}),
    );
    let high = app
        .get(
            "/skills/gap-analysis?role=Software%20Engineer&days=30&threshold=0.9",
            Some(&token),
        )
        .await;
    high.assert(StatusCode::NOT_FOUND, json!({"detail": {
        "message": "No skill appears in at least 90% of the 4 postings for 'Software Engineer'",
        "suggestions": ["Try lowering the threshold (currently 0.9)", "Try increasing the time window (currently analyzing last 30 days)"],
        "alternatives": ["Data Analyst"]
    }}));
}

#[tokio::test]
async fn gap_analysis_falls_back_to_titles_when_no_posting_was_searched_for_the_role() {
    let app = TestApp::new().await;
    let mut input = posting(1, &["sql", "tableau"]);
    input.title = "Senior Data Analyst".into();
    input.search_keywords = Some("Analytics".into());
    store(&app, input, at(1)).await;
    let token = navigator_user(&app, &["Data Analyst"], &["SQL"]).await;
    let response = app
        .get("/skills/gap-analysis?role=Data%20Analyst", Some(&token))
        .await;
    let body: &Value = response.assert_status(StatusCode::OK);
    assert_eq!(body["total_postings_analyzed"], 1);
    assert_eq!(body["missing_skills"], json!(["tableau"]));
    assert_eq!(body["coverage_percentage"], 50.0);
}

#[tokio::test]
async fn gap_skills_carry_the_keys_trending_shows_with_aliases_counted_once() {
    let app = TestApp::new().await;
    for (n, slugs) in [
        (1, &["aws", "Kubernetes"][..]),
        (2, &["AWS", "k8s", "kubernetes"][..]),
        (3, &["kubernetes", "docker"][..]),
        (4, &["amazon-web-services"][..]),
    ] {
        store(&app, posting(n, slugs), at(1)).await;
    }
    let trending = app.get("/market/trending?days=30", None).await;
    let trending_keys: Vec<Value> = trending.json["top_skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["skill"].clone())
        .collect();
    assert!(trending_keys.contains(&json!("aws")), "{trending_keys:?}");
    assert!(
        trending_keys.contains(&json!("kubernetes")),
        "{trending_keys:?}"
    );
    let token = navigator_user(&app, &["Software Engineer"], &["k8s"]).await;
    let gap = app
        .get(
            "/skills/gap-analysis?role=Software%20Engineer&threshold=0.1",
            Some(&token),
        )
        .await;
    gap.assert(
        StatusCode::OK,
        json!({
            "role": "Software Engineer",
            "total_postings_analyzed": 4,
            "required_skills": [
                {"skill": "aws", "name": "Amazon Web Services", "required_percentage": 75.0, "user_has": false},
                {"skill": "kubernetes", "name": "Kubernetes", "required_percentage": 75.0, "user_has": true},
                {"skill": "docker", "name": "Docker", "required_percentage": 25.0, "user_has": false}
            ],
            "missing_skills": ["aws", "docker"],
            "coverage_percentage": 33.33,
            "skill_match_count": 1,
            "total_required_skills": 3
        }),
    );
}

#[tokio::test]
async fn an_empty_experience_level_means_no_level() {
    let app = TestApp::new().await;
    let registered = app
        .post(
            "/auth/register",
            json!({"email": "level@example.com", "password": "Str0ngPass", "full_name": "Lee Vel",
                "experience_level": ""}),
        )
        .await;
    registered.assert_status(StatusCode::CREATED);
    assert_eq!(registered.json["experience_level"], Value::Null);
    let login = app
        .post(
            "/auth/login",
            json!({"email": "level@example.com", "password": "Str0ngPass"}),
        )
        .await;
    let token = login.json["access_token"].as_str().unwrap().to_owned();
    let set = app
        .call(
            Method::PUT,
            "/auth/me",
            Some(json!({"experience_level": "2nd Year"})),
            Some(&token),
        )
        .await;
    assert_eq!(
        set.assert_status(StatusCode::OK)["experience_level"],
        "2nd Year"
    );
    let cleared = app
        .call(
            Method::PUT,
            "/auth/me",
            Some(json!({"experience_level": ""})),
            Some(&token),
        )
        .await;
    assert_eq!(
        cleared.assert_status(StatusCode::OK)["experience_level"],
        Value::Null
    );
    app.call(Method::PUT, "/auth/me", Some(json!({"experience_level": "5th Year"})), Some(&token))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"detail": "Experience level must be one of: 12th Pass Out, 1st Year, 2nd Year, 3rd Year, 4th Year"}),
        );
}

#[tokio::test]
async fn health_answers_as_the_original_did() {
    let app = TestApp::new().await;
    for path in ["/health", "/health/"] {
        app.get(path, None).await.assert(
            StatusCode::OK,
            json!({"status": "healthy", "app": "Career Navigator API", "version": "1.0.0"}),
        );
    }
}

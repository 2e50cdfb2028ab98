//! Career Navigator's learning roadmap and project ideas against a seeded market: the roadmap
//! follows the role's gap (most asked-for missing skills first, their missing prerequisites
//! before them, owned skills last), recommendations rank ideas by the gap skills they exercise,
//! the catalog routes search and page, and bad parameters or no login get the contract's errors.
//! Expected resources and ideas are read here from the data files themselves.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::market::seed_market;
use crate::skill_gap::navigator_user;

/// The catalog's resources for `skill`, as the API answers them, read from the TSV.
fn resources(skill: &str) -> Vec<Value> {
    include_str!("../../data/learning/resources.tsv")
        .lines()
        .skip(1)
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .filter(|f| f[0] == skill)
        .map(|f| {
            json!({"type": f[1], "title": f[2], "url": f[3], "provider": f[4], "level": f[5],
                   "free": f[6] == "yes", "hours": f[7].parse::<u32>().unwrap(), "description": f[8]})
        })
        .collect()
}

fn step(skill: &str, missing: bool, share: Value, prerequisite_of: &[&str]) -> Value {
    let resources = resources(skill);
    let hours = resources
        .first()
        .map_or(0, |r| (r["hours"].as_f64().unwrap() * 1.25).round() as u64);
    json!({"skill": skill, "resources": resources, "is_missing": missing, "priority_score": share,
           "estimated_hours": hours, "prerequisite_of": prerequisite_of})
}

#[tokio::test]
async fn the_roadmap_follows_the_roles_gap_with_prerequisites_first() {
    let app = TestApp::new().await;
    seed_market(&app).await;
    let token = navigator_user(&app, &["Software Engineer"], &["python"]).await;
    let response = app
        .get(
            "/learning/roadmap?target_role=Software%20Engineer&include_gap_analysis=true",
            Some(&token),
        )
        .await;
    let body = response.assert_status(StatusCode::OK).clone();
    let paths = vec![
        step("JavaScript", true, Value::Null, &["React"]),
        step("HTML", true, Value::Null, &["React", "CSS"]),
        step("CSS", true, Value::Null, &["React"]),
        step("React", true, json!(50.0), &[]),
        step(
            "Cloud Computing",
            true,
            Value::Null,
            &["Amazon Web Services"],
        ),
        step("Amazon Web Services", true, json!(25.0), &[]),
        step("Python", false, json!(75.0), &[]),
    ];
    let hours: Vec<u64> = paths
        .iter()
        .map(|p| p["estimated_hours"].as_u64().unwrap())
        .collect();
    assert_eq!(
        body,
        json!({
            "target_role": "Software Engineer",
            "skill_paths": paths,
            "total_skills": 7,
            "missing_skills_count": 6,
            "coverage_percentage": 33.33,
            "estimated_total_hours": hours[..6].iter().sum::<u64>(),
            "recommendations": [
                "You're missing 6 of the 7 skills on this roadmap for Software Engineer; it starts with what most postings ask for.",
                "Learn JavaScript first: React builds on it.",
                format!("Your first three steps take about {} hours; one a week keeps the roadmap moving.", hours[..3].iter().sum::<u64>()),
            ],
            "gap_analysis": {
                "role": "Software Engineer",
                "total_postings_analyzed": 4,
                "required_skills": [
                    {"skill": "python", "name": "Python", "required_percentage": 75.0, "user_has": true},
                    {"skill": "react", "name": "React", "required_percentage": 50.0, "user_has": false},
                    {"skill": "aws", "name": "Amazon Web Services", "required_percentage": 25.0, "user_has": false}
                ],
                "missing_skills": ["react", "aws"],
                "coverage_percentage": 33.33,
                "skill_match_count": 1,
                "total_required_skills": 3
            }
        })
    );
    // Without the gap, or for a role with no postings: the user's own skills, and a 200.
    for query in [
        "include_gap_analysis=false",
        "target_role=Quantum%20Gardener",
    ] {
        let plain = app
            .get(&format!("/learning/roadmap?{query}"), Some(&token))
            .await;
        let plain = plain.assert_status(StatusCode::OK);
        assert_eq!(
            plain["skill_paths"],
            json!([step("Python", false, Value::Null, &[])]),
            "{query}"
        );
        assert_eq!(plain["coverage_percentage"], Value::Null);
        assert!(plain.get("gap_analysis").is_none());
    }
}

#[tokio::test]
async fn recommendations_rank_ideas_by_the_gap_skills_they_exercise() {
    let app = TestApp::new().await;
    seed_market(&app).await;
    let token = navigator_user(&app, &["Software Engineer"], &["python"]).await;
    let body = app
        .get("/projects/recommendations?limit=5", Some(&token))
        .await
        .assert_status(StatusCode::OK)
        .clone();
    let projects = body["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 5);
    assert_eq!(
        body["missing_skills"],
        json!(["React", "Amazon Web Services"])
    );
    assert_eq!(body["user_skill_count"], 1);
    assert_eq!(
        body["filters_applied"],
        json!({"difficulty": null, "skill_focus": null, "target_role": "Software Engineer", "limit": 5})
    );
    // The best idea exercises React (half the role's postings); none after it covers more share.
    let share = |p: &Value| {
        let builds = p["builds_missing_skills"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        builds
            .iter()
            .map(|s| if s == "React" { 50 } else { 25 })
            .sum::<i32>()
    };
    assert!(
        projects[0]["builds_missing_skills"]
            .as_array()
            .unwrap()
            .contains(&json!("React"))
    );
    assert!(
        projects
            .windows(2)
            .all(|w| share(&w[0]) + 30 >= share(&w[1]))
    );
    // Each idea is the catalog's, with its match against the user's skills.
    let catalog: Vec<Value> =
        serde_json::from_str(include_str!("../../data/learning/projects.json")).unwrap();
    for project in projects {
        let stored = catalog.iter().find(|c| c["id"] == project["id"]).unwrap();
        let skills: Vec<&str> = stored["skills"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let missing: Vec<&str> = skills.iter().copied().filter(|s| *s != "Python").collect();
        let matched = (skills.len() - missing.len()) as f64;
        let mut expected = stored.clone();
        expected["skill_match_percentage"] =
            json!((matched * 10_000.0 / skills.len() as f64).round() / 100.0);
        expected["missing_skills"] = json!(missing);
        expected["builds_missing_skills"] = project["builds_missing_skills"].clone();
        assert_eq!(project, &expected);
    }
    // The "Skill Building" tab asks for those skills: ideas covering most of them first.
    let building = app
        .get(
            "/projects/skill-building?skills=React&skills=Amazon%20Web%20Services&limit=3",
            Some(&token),
        )
        .await;
    let building = building
        .assert_status(StatusCode::OK)
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(building.len(), 3);
    for idea in &building {
        let skills = idea["skills"].as_array().unwrap();
        assert!(skills.contains(&json!("React")) || skills.contains(&json!("Amazon Web Services")));
    }
}

#[tokio::test]
async fn the_catalog_routes_filter_search_and_page() {
    let app = TestApp::new().await;
    let token = navigator_user(&app, &["Software Engineer"], &[]).await;
    let docker = resources("Docker");
    let listed = app
        .get(
            "/learning/resources?skills=docker&skills=Docker",
            Some(&token),
        )
        .await;
    listed.assert(StatusCode::OK, json!(docker));
    let videos: Vec<Value> = docker
        .iter()
        .filter(|r| r["type"] == "Video")
        .cloned()
        .collect();
    app.get(
        "/learning/resources?skills=Docker&resource_type=Video",
        Some(&token),
    )
    .await
    .assert(StatusCode::OK, json!(videos));
    let search = app
        .get(
            "/learning/resources/search?query=kubernetes&limit=2&offset=1",
            Some(&token),
        )
        .await;
    let search = search.assert_status(StatusCode::OK);
    assert_eq!(search["resources"].as_array().unwrap().len(), 2);
    assert!(search["total_found"].as_u64().unwrap() >= 3);
    assert_eq!(search["search_query"], "kubernetes");
    assert_eq!(
        search["filters_applied"],
        json!({"resource_type": null, "limit": 2, "offset": 1})
    );
    let all = app.get("/projects/all?limit=100", Some(&token)).await;
    let all = all
        .assert_status(StatusCode::OK)
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(all.len(), 100);
    assert_eq!(all[0]["id"], 1);
    let found = app
        .get(
            "/projects/search?query=kanban&difficulty=Intermediate",
            Some(&token),
        )
        .await;
    let found = found.assert_status(StatusCode::OK);
    assert!(found["total_found"].as_u64().unwrap() >= 1);
    assert!(
        found["projects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["difficulty"] == "Intermediate")
    );
}

#[tokio::test]
async fn bad_parameters_and_no_login_get_the_contracts_errors() {
    let app = TestApp::new().await;
    let token = navigator_user(&app, &["Software Engineer"], &[]).await;
    let cases = [
        ("/learning/resources", "skills is required"),
        (
            "/learning/resources?skills=Go&resource_type=video",
            "resource_type must be one of: Documentation, Video, Course, Book",
        ),
        ("/learning/resources/search?query=%20", "query is required"),
        (
            "/learning/resources/search?query=go&limit=101",
            "limit must be between 1 and 100",
        ),
        (
            "/learning/resources/search?query=go&offset=-1",
            "offset must be at least 0",
        ),
        (
            "/learning/roadmap?include_gap_analysis=maybe",
            "include_gap_analysis must be true or false",
        ),
        (
            "/projects/recommendations?limit=0",
            "limit must be between 1 and 50",
        ),
        (
            "/projects/recommendations?difficulty=Expert",
            "difficulty must be one of: Beginner, Intermediate, Advanced",
        ),
        ("/projects/skill-building", "skills is required"),
        ("/projects/all?limit=ten", "limit must be an integer"),
        ("/projects/search", "query is required"),
    ];
    for (path, detail) in cases {
        app.get(path, Some(&token))
            .await
            .assert(StatusCode::BAD_REQUEST, json!({"detail": detail}));
    }
    for path in [
        "/learning/roadmap",
        "/projects/recommendations",
        "/projects/all",
    ] {
        app.get(path, None).await.assert(
            StatusCode::UNAUTHORIZED,
            json!({"detail": "Authentication credentials were not provided."}),
        );
    }
}

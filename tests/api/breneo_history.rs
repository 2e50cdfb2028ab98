//! Breneo: work history and educations, in Breneo's field names, validated in DRF's shape.

use axum::http::{Method, StatusCode};
use careerhub::profiles::work_experience;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::TestApp;

fn bad(detail: &str) -> Value {
    json!({"detail": detail})
}

// ---------- work experiences ----------

pub fn stripe_job() -> Value {
    json!({"job_title": "Backend Engineer", "company": "Stripe, Inc.", "start_date": "2020-01-01", "end_date": "2021-12-31",
           "is_current": false, "job_type": "full-time", "location": "Dublin", "description": "Payments APIs"})
}

#[tokio::test]
async fn work_experiences_are_created_listed_newest_first_read_updated_and_deleted() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);

    let created = app
        .call(
            Method::POST,
            "/api/work-experiences/",
            Some(stripe_job()),
            Some(&token),
        )
        .await;
    let first = created.assert_status(StatusCode::CREATED).clone();
    let id = first["id"].as_i64().unwrap();
    assert!(first["created_at"].is_string() && first["created_at"] == first["updated_at"]);
    assert_eq!(
        first,
        json!({"id": id, "job_title": "Backend Engineer", "company": "Stripe, Inc.", "start_date": "2020-01-01",
        "end_date": "2021-12-31", "is_current": false, "job_type": "full-time", "location": "Dublin", "description": "Payments APIs",
        "created_at": first["created_at"], "updated_at": first["created_at"]})
    );

    let newer = json!({"job_title": "Staff Engineer", "company": "Revolut", "start_date": "2022-03", "is_current": true});
    let second = app
        .call(
            Method::POST,
            "/api/work-experiences",
            Some(newer),
            Some(&token),
        )
        .await;
    let second = second.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        (
            second["start_date"].clone(),
            second["end_date"].clone(),
            second["job_type"].clone()
        ),
        (json!("2022-03"), Value::Null, json!(""))
    );

    let list = app.get("/api/work-experiences/", Some(&token)).await;
    assert_eq!(list.assert_status(StatusCode::OK), &json!([second, first]));
    app.get(&format!("/api/work-experiences/{id}/"), Some(&token))
        .await
        .assert(StatusCode::OK, first.clone());

    let patched = app
        .call(
            Method::PATCH,
            &format!("/api/work-experiences/{id}/"),
            Some(json!({"location": "Remote"})),
            Some(&token),
        )
        .await;
    let patched = patched.assert_status(StatusCode::OK).clone();
    assert_ne!(patched["updated_at"], first["updated_at"]);
    let mut expected = first.clone();
    expected["location"] = json!("Remote");
    expected["updated_at"] = patched["updated_at"].clone();
    assert_eq!(patched, expected);

    app.call(
        Method::PATCH,
        &format!("/api/work-experiences/{id}/"),
        Some(json!({"company": "  "})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"company": ["This field may not be blank."]}),
    );
    app.call(Method::PUT, &format!("/api/work-experiences/{id}/"), Some(json!({"location": "Remote"})), Some(&token)).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"job_title": ["This field is required."], "company": ["This field is required."], "start_date": ["This field is required."]}),
    );
    app.call(
        Method::DELETE,
        &format!("/api/work-experiences/{id}/"),
        None,
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    app.get(&format!("/api/work-experiences/{id}/"), Some(&token))
        .await
        .assert(
            StatusCode::NOT_FOUND,
            bad("No WorkExperience matches the given query."),
        );
}

#[tokio::test]
async fn work_experience_fields_are_validated_in_drf_shape_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let post = |body: Value| {
        let token = token.clone();
        let app = &app;
        async move {
            app.call(
                Method::POST,
                "/api/work-experiences/",
                Some(body),
                Some(&token),
            )
            .await
        }
    };
    post(json!({})).await.assert(StatusCode::BAD_REQUEST, json!({
        "job_title": ["This field is required."], "company": ["This field is required."], "start_date": ["This field is required."]
    }));
    post(json!({"job_title": " ", "company": "X", "start_date": "15/01/2020"})).await.assert(StatusCode::BAD_REQUEST, json!({
        "job_title": ["This field may not be blank."],
        "start_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD, YYYY-MM, YYYY."]
    }));
    post(json!({"job_title": "A", "company": "B", "start_date": "2021-05", "end_date": "2021-04-30"})).await
        .assert(StatusCode::BAD_REQUEST, json!({"end_date": ["End date must be on or after the start date."]}));
    post(json!({"job_title": "A", "company": "B", "start_date": "2021-05", "end_date": "2022", "is_current": true})).await
        .assert(StatusCode::BAD_REQUEST, json!({"end_date": ["An entry marked current cannot have an end date."]}));
    post(json!({"job_title": "A".repeat(201), "company": "B", "start_date": "2021", "is_current": "yes"})).await
        .assert(StatusCode::BAD_REQUEST, json!({"is_current": ["Must be a valid boolean."]}));
    post(json!({"job_title": "A".repeat(201), "company": "B", "start_date": "2021"}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"job_title": ["Ensure this field has no more than 200 characters."]}),
        );
    assert_eq!(
        work_experience::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        0
    );

    // A month end date on the start month is fine, and marking a role current clears its end.
    let ok = post(json!({"job_title": "A", "company": "B", "start_date": "2021-05-10", "end_date": "2021-05"})).await;
    let id = ok.assert_status(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let current = app
        .call(
            Method::PATCH,
            &format!("/api/work-experiences/{id}/"),
            Some(json!({"is_current": true})),
            Some(&token),
        )
        .await;
    assert_eq!(
        current.assert_status(StatusCode::OK)["end_date"],
        Value::Null
    );
}

#[tokio::test]
async fn at_most_ten_work_experiences_and_ten_educations() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    for year in 2010..2020 {
        let job = json!({"job_title": "Dev", "company": "Acme", "start_date": year.to_string()});
        app.call(
            Method::POST,
            "/api/work-experiences/",
            Some(job),
            Some(&token),
        )
        .await
        .assert_status(StatusCode::CREATED);
        let school =
            json!({"institution": "Tbilisi State University", "start_date": year.to_string()});
        app.call(Method::POST, "/api/educations/", Some(school), Some(&token))
            .await
            .assert_status(StatusCode::CREATED);
    }
    let job = json!({"job_title": "Dev", "company": "Acme", "start_date": "2021"});
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(job),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        bad("Maximum 10 work experience entries allowed per user."),
    );
    let school = json!({"institution": "Free University", "start_date": "2021"});
    app.call(Method::POST, "/api/educations/", Some(school), Some(&token))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            bad("Maximum 10 education entries allowed per user."),
        );
    // Another user is not affected by the first one's entries.
    let other = app.access_token(app.seed_user("other@breneo.ge").await.id);
    let job = json!({"job_title": "Dev", "company": "Acme", "start_date": "2021"});
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(job),
        Some(&other),
    )
    .await
    .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn educations_round_trip_in_breneos_field_names() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    let body = json!({"school_name": "Tbilisi State University", "degree_type": "Bachelor's", "major": "Computer Science",
                      "gpa": " 3.8/4 ", "start_date": "2016-09", "end_date": "2020-06", "is_current": false});
    let created = app
        .call(Method::POST, "/api/educations/", Some(body), Some(&token))
        .await;
    let created = created.assert_status(StatusCode::CREATED).clone();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        created,
        json!({"id": id, "school_name": "Tbilisi State University", "degree_type": "Bachelor's", "major": "Computer Science",
        "gpa": "3.8/4", "start_date": "2016-09", "end_date": "2020-06", "is_current": false,
        "created_at": created["created_at"], "updated_at": created["created_at"]})
    );
    // The profile page re-sends a current row without `end_date`; gpa `null` clears it.
    let patched = app
        .call(
            Method::PATCH,
            &format!("/api/educations/{id}"),
            Some(json!({"degree_type": "Master's", "gpa": null, "end_date": null, "is_current": true})),
            Some(&token),
        )
        .await;
    let patched = patched.assert_status(StatusCode::OK).clone();
    let mut expected = created.clone();
    expected["degree_type"] = json!("Master's");
    expected["gpa"] = Value::Null;
    expected["end_date"] = Value::Null;
    expected["is_current"] = json!(true);
    expected["updated_at"] = patched["updated_at"].clone();
    assert_eq!(patched, expected);
    app.get("/api/educations/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([patched]));
    app.call(
        Method::PATCH,
        &format!("/api/educations/{id}/"),
        Some(json!({"school_name": " ", "gpa": "9".repeat(21)})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"school_name": ["This field may not be blank."], "gpa": ["Ensure this field has no more than 20 characters."]}),
    );
    app.call(Method::POST, "/api/educations/", Some(json!({"major": "Law"})), Some(&token))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"school_name": ["This field is required."], "start_date": ["This field is required."]}),
        );
    app.call(
        Method::DELETE,
        &format!("/api/educations/{id}/"),
        None,
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    app.get("/api/educations/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([]));
}

#[tokio::test]
async fn educations_still_take_the_earlier_field_names() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    let body = json!({"institution": "Free University", "degree": "BSc", "field_of_study": "Physics", "start_date": "2012"});
    let created = app
        .call(Method::POST, "/api/educations/", Some(body), Some(&token))
        .await;
    let created = created.assert_status(StatusCode::CREATED);
    assert_eq!(
        (
            &created["school_name"],
            &created["degree_type"],
            &created["major"],
            &created["gpa"]
        ),
        (
            &json!("Free University"),
            &json!("BSc"),
            &json!("Physics"),
            &Value::Null
        )
    );
}

//! The JSON body extractors every write route uses (DRF field errors, FastAPI-style `detail`,
//! any JSON value), over arbitrary bodies and content types, into the request types of the
//! routes. A body either becomes the type or is refused with a 4xx JSON error: never a panic,
//! never a 5xx.
#![no_main]

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use careerhub::accounts::handlers::{breneo, grooya, navigator, simplejwt};
use careerhub::extract::{DetailJson, Json, JsonValue};
use careerhub::{portfolios, profiles, resumes, talent, tracker};
use futures::executor::block_on;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;

const CONTENT_TYPES: [Option<&str>; 4] = [
    Some("application/json"),
    None,
    Some("application/problem+json; charset=utf-8"),
    Some("text/plain"),
];

fuzz_target!(|data: &[u8]| {
    let [route, content_type, body @ ..] = data else {
        return;
    };
    let request = || {
        let mut builder = Request::builder().method("POST").uri("/");
        if let Some(media) = CONTENT_TYPES[usize::from(*content_type) % CONTENT_TYPES.len()] {
            builder = builder.header(CONTENT_TYPE, media);
        }
        builder
            .body(Body::from(body.to_vec()))
            .expect("a valid request")
    };
    block_on(async {
        let response = match route % 16 {
            0 => drf::<navigator::RegisterRequest>(request()).await,
            1 => detail::<navigator::RegisterRequest>(request()).await,
            2 => detail::<navigator::UpdateMeRequest>(request()).await,
            3 => drf::<grooya::RegisterRequest>(request()).await,
            4 => drf::<grooya::UpdateUserRequest>(request()).await,
            5 => drf::<breneo::BreneoLoginRequest>(request()).await,
            6 => drf::<simplejwt::TokenObtainRequest>(request()).await,
            7 => drf::<profiles::work_history::WorkExperienceRequest>(request()).await,
            8 => drf::<profiles::work_history::EducationRequest>(request()).await,
            9 => drf::<profiles::public::UpdateMyProfileRequest>(request()).await,
            10 => drf::<tracker::applications::JobApplicationRequest>(request()).await,
            11 => drf::<portfolios::handlers::PortfolioRequest>(request()).await,
            12 => drf::<portfolios::projects::ProjectRequest>(request()).await,
            13 => drf::<resumes::grooya::ResumeRequest>(request()).await,
            14 => drf::<talent::lifecycle::DeleteAccountRequest>(request()).await,
            _ => JsonValue::from_request(request(), &())
                .await
                .err()
                .map(IntoResponse::into_response),
        };
        if let Some(response) = response {
            assert!(response.status().is_client_error(), "{}", response.status());
            let body = to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("a body");
            serde_json::from_slice::<serde_json::Value>(&body).expect("a JSON error body");
        }
    });
});

/// The refusal, if the DRF-style extractor refuses.
async fn drf<T: DeserializeOwned>(request: Request) -> Option<axum::response::Response> {
    Json::<T>::from_request(request, &())
        .await
        .err()
        .map(IntoResponse::into_response)
}

/// The refusal, if Career Navigator's `detail` extractor refuses.
async fn detail<T: DeserializeOwned>(request: Request) -> Option<axum::response::Response> {
    DetailJson::<T>::from_request(request, &())
        .await
        .err()
        .map(IntoResponse::into_response)
}

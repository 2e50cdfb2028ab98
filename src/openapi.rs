//! The OpenAPI 3.1 document (collected from every handler's `#[utoipa::path]`) and the offline
//! interactive docs at `/api/docs/`.

use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "careerhub",
        description = "One backend for Breneo, Career Navigator, JobTracker, Grooya and Gan7Club. \
            Every path answers with and without its trailing slash; the Django-style products \
            (`/api/...`) are listed with it.",
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Logins, registration, tokens and the current user, for every product"),
        (name = "career-navigator", description = "Market trends and skill gaps over job postings"),
        (name = "breneo", description = "Work history, skills, industry experience and public profiles"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

/// The `bearer` security scheme that authenticated operations refer to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Routes are registered without a trailing slash (see `http::strip_trailing_slash`); the
/// document shows the Django-style `/api/...` paths the way their frontends call them.
pub fn with_contract_paths(mut doc: OpenApiDoc) -> OpenApiDoc {
    let paths = std::mem::take(&mut doc.paths.paths);
    for (path, item) in paths {
        let shown = if path.starts_with("/api/") && path != "/api/openapi.json" {
            format!("{path}/")
        } else {
            path
        };
        doc.paths.paths.insert(shown, item);
    }
    doc
}

/// The complete document, as served at `/api/openapi.json` and printed by `careerhub openapi`.
pub fn spec() -> OpenApiDoc {
    let (_, doc) = crate::routes::api().split_for_parts();
    with_contract_paths(doc)
}

//! THE route table: every path of every product, once (our `urls.py`). Handlers live in their
//! feature modules; nothing but wiring belongs here.
//!
//! Paths are written without their trailing slash: `http::strip_trailing_slash` makes both forms
//! reach the same handler.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

use crate::accounts::handlers::{breneo, email_codes, navigator, simplejwt};
use crate::learning::handlers as learning;
use crate::lifecycle;
use crate::market::admin as market_admin;
use crate::market::handlers as market;
use crate::market::{feed, search};
use crate::openapi::{ApiDoc, with_contract_paths};
use crate::portfolios::{
    account as grooya, assets, generate, handlers as portfolios, projects, promo,
    public as public_portfolios, skills as grooya_skills,
};
use crate::profiles::{educations, industry, me, public, skills, work_history};
use crate::resumes;
use crate::resumes::grooya as resume_documents;
use crate::state::AppState;
use crate::talent::{auth as gan7club, handlers as talent, payments};
use crate::tracker::analysis::handlers as analysis;
use crate::tracker::applications;
use crate::{admin, health, http, storage};

/// Every documented route, with the OpenAPI description of each.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        // Operations
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::navigator_health))
        .routes(routes!(health::metrics))
        // Tokens shared by every product (JobTracker logs in here)
        .routes(routes!(simplejwt::obtain_token_pair))
        .routes(routes!(simplejwt::refresh_token_pair))
        .routes(routes!(simplejwt::verify_token))
        // Breneo
        .routes(routes!(breneo::login))
        .routes(routes!(breneo::refresh))
        // Breneo: work history, skills, industry experience, public profiles
        .routes(routes!(public::get_my_profile, public::update_my_profile))
        .routes({
            let (schemas, paths, route) = routes!(me::get_profile, me::update_profile);
            let limit = DefaultBodyLimit::max(crate::portfolios::assets::MAX_UPLOAD_BODY_BYTES);
            (schemas, paths, route.layer(limit))
        })
        .routes(routes!(public::get_public_profile))
        .routes(routes!(
            industry::get_industry_profile,
            industry::put_industry_profile
        ))
        .routes(routes!(industry::get_breakdown))
        .routes(routes!(industry::get_industry_match))
        .routes(routes!(
            work_history::list_work_experiences,
            work_history::create_work_experience
        ))
        .routes(routes!(
            work_history::get_work_experience,
            work_history::update_work_experience,
            work_history::delete_work_experience
        ))
        .routes(routes!(
            educations::list_educations,
            educations::create_education
        ))
        .routes(routes!(
            educations::get_education,
            educations::update_education,
            educations::delete_education
        ))
        .routes(routes!(skills::list_my_skills, skills::add_my_skill))
        .routes(routes!(skills::delete_my_skill))
        .routes(routes!(skills::search_skills))
        // Career Navigator
        .routes(routes!(navigator::register))
        .routes(routes!(navigator::login))
        .routes(routes!(navigator::get_me, navigator::update_me))
        .routes(routes!(market::get_trending))
        .routes(routes!(market::get_gap_analysis))
        .routes(routes!(learning::get_roadmap))
        .routes(routes!(learning::get_resources))
        .routes(routes!(learning::search_resources))
        .routes(routes!(learning::get_recommendations))
        .routes(routes!(learning::get_skill_building))
        .routes(routes!(learning::get_all_projects))
        .routes(routes!(learning::search_projects))
        .routes(routes!(search::search_postings))
        .routes({
            // Staff upload whole import files: a larger body limit on this route alone.
            let (schemas, paths, route) = routes!(market_admin::import_postings);
            let limit = DefaultBodyLimit::max(market_admin::MAX_IMPORT_BYTES);
            (schemas, paths, route.layer(limit))
        })
        // JobTracker (`/api/jobs/create` and `/list` are fixed segments: they win over `{id}`)
        .routes(routes!(applications::create_application))
        .routes(routes!(applications::list_applications))
        .routes(routes!(
            applications::get_application,
            applications::delete_application
        ))
        .routes(routes!(
            applications::patch_application,
            applications::put_application
        ))
        .routes({
            let (schemas, paths, route) = routes!(resumes::upload_resume);
            let limit = DefaultBodyLimit::max(resumes::MAX_UPLOAD_BODY_BYTES);
            (schemas, paths, route.layer(limit))
        })
        .routes(routes!(resumes::list_resumes))
        .routes(routes!(analysis::start_analysis))
        .routes(routes!(analysis::get_analysis))
        .routes(routes!(analysis::stream_analysis))
        // Grooya
        .routes(routes!(grooya::register))
        .routes(routes!(grooya::login))
        .routes(routes!(grooya::logout))
        .routes(routes!(grooya::refresh))
        .routes(routes!(
            grooya::get_user,
            grooya::update_user,
            lifecycle::delete_my_account
        ))
        .routes(routes!(lifecycle::export_my_data))
        // Grooya: portfolios, public pages, projects, skills, resumes, assets, AI
        .routes(routes!(
            portfolios::list_portfolios,
            portfolios::create_portfolio
        ))
        .routes(routes!(
            portfolios::get_portfolio,
            portfolios::put_portfolio,
            portfolios::patch_portfolio,
            portfolios::delete_portfolio
        ))
        .routes(routes!(portfolios::duplicate_portfolio))
        .routes(routes!(public_portfolios::get_public_portfolio))
        .routes(routes!(projects::list_projects, projects::create_project))
        .routes(routes!(
            projects::get_project,
            projects::put_project,
            projects::patch_project,
            projects::delete_project
        ))
        .routes(routes!(
            grooya_skills::list_skills,
            grooya_skills::create_skill
        ))
        .routes(routes!(
            grooya_skills::get_skill,
            grooya_skills::put_skill,
            grooya_skills::patch_skill,
            grooya_skills::delete_skill
        ))
        .routes(routes!(
            resume_documents::list_resume_documents,
            resume_documents::create_resume_document
        ))
        .routes(routes!(
            resume_documents::get_resume_document,
            resume_documents::put_resume_document,
            resume_documents::patch_resume_document,
            resume_documents::delete_resume_document
        ))
        .routes(routes!(assets::list_assets))
        .routes({
            let (schemas, paths, route) = routes!(assets::upload_asset);
            let limit = DefaultBodyLimit::max(assets::MAX_UPLOAD_BODY_BYTES);
            (schemas, paths, route.layer(limit))
        })
        .routes(routes!(assets::delete_asset))
        .routes(routes!(generate::generate_text))
        .routes(routes!(generate::generate_image))
        .routes(routes!(promo::apply_promo_code))
        // Breneo's job feed (its job pages' "aggregator" routes)
        .routes(routes!(feed::search_jobs))
        .routes(routes!(feed::list_jobs))
        .routes(routes!(feed::job_details))
        .routes(routes!(feed::company))
        .routes(routes!(feed::all_jobs))
        // Gan7Club
        .routes(routes!(gan7club::login_background))
        .routes(routes!(gan7club::login_talent))
        .routes(routes!(crate::signup::register))
        .routes(routes!(email_codes::verify_code))
        .routes(routes!(email_codes::resend_code))
        .routes(routes!(email_codes::request_password_reset))
        .routes(routes!(email_codes::verify_password_reset))
        .routes(routes!(email_codes::set_new_password))
        .routes(routes!(payments::list_plans))
        .routes(routes!(payments::list_subscriptions))
        .routes(routes!(payments::my_subscription))
        .routes(routes!(talent::get_social_media, talent::post_social_media))
        .routes({
            let (schemas, paths, route) = routes!(
                talent::get_background_profile,
                talent::post_background_profile
            );
            let limit = DefaultBodyLimit::max(crate::portfolios::assets::MAX_UPLOAD_BODY_BYTES);
            (schemas, paths, route.layer(limit))
        })
        .routes({
            let (schemas, paths, route) =
                routes!(talent::get_talent_profile, talent::post_talent_profile);
            let limit = DefaultBodyLimit::max(crate::portfolios::assets::MAX_UPLOAD_BODY_BYTES);
            (schemas, paths, route.layer(limit))
        })
}

/// The routes plus the docs, the JSON 404/405 answers, and the state.
pub fn router(state: AppState) -> Router {
    let (router, doc) = api().split_for_parts();
    router
        .route("/media/{*key}", axum::routing::get(storage::serve_media))
        .merge(admin::router())
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", with_contract_paths(doc)))
        .fallback(http::not_found)
        .method_not_allowed_fallback(http::method_not_allowed)
        .with_state(state)
}

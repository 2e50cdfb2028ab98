//! Grooya's AI routes, paid in credits (`credits`): `POST /api/ai/generate-text/ {task,
//! payload}` for every AI feature of the frontend (`tasks`), and `POST /api/ai/generate-image/
//! {prompt}`, whose image is stored as an asset. A provider answer that does not fit the task's
//! shape is sent back once for repair; a second misfit, like any provider failure, answers 502
//! and gives the credit (or the free use) back.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::tasks::{self, Task};
use crate::accounts::user::{self, SubscriptionTier};
use crate::ai::{AiError, ChatClient};
use crate::credits::{self, Credit};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json};
use crate::images::{self, Output};
use crate::portfolios::assets::{AssetResponse, store_asset};
use crate::quota::{self, Refusal};
use crate::state::AppState;

const NOT_CONFIGURED: &str = "AI generation is not configured on this server. Set AI_API_KEY (and AI_BASE_URL and AI_MODEL for a provider other than Groq) and restart.";
const MAX_PROMPT_CHARS: usize = 4000;
/// A payload's JSON larger than this is refused (it becomes the prompt).
const MAX_PAYLOAD_BYTES: usize = 32 * 1024;

fn provider(state: &AppState) -> ApiResult<&ChatClient> {
    state
        .ai
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable(NOT_CONFIGURED.into()))
}

fn provider_failed(err: AiError) -> ApiError {
    ApiError::Custom(
        StatusCode::BAD_GATEWAY,
        json!({"detail": format!("AI generation failed: {err}. Your credit was refunded.")}),
    )
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GenerateTextRequest {
    /// One of the frontend's AI features (`projectStory`, `heroContent`, `aboutContent`,
    /// `designSuggestions`, `resumeFromPortfolio`, `resumeFromJobDescription`,
    /// `resumeTailoring`, `portfolioReview`, `experienceEnhancement`, `blockSuggestions`,
    /// `paletteGeneration`, `contentTuning`), `resumeSummary`, `skillsSuggestions`, or an
    /// earlier name (`hero`, `about`, `project_description`, `resume_summary`,
    /// `tailor_resume`, `skills_suggestions`).
    pub task: Option<String>,
    /// What the task works from (the user's details, the project, the resume and posting).
    #[schema(value_type = Object)]
    pub payload: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreditsView {
    pub text: i32,
    pub image: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GenerateTextResponse {
    pub task: String,
    /// The feature's result in the frontend's type: a string for the writing features, an
    /// object or a list for the others.
    #[schema(value_type = Object)]
    pub result: Value,
    /// Whether this was the free plan's one use of the feature (no credit spent).
    pub free_use: bool,
    pub ai_text_credits: i32,
    pub credits: CreditsView,
}

/// How a call is paid for.
enum Payment {
    FreeUse,
    Credit,
}

/// The free plan's one use of the feature if it is left, else a text credit.
async fn pay_for_text(state: &AppState, user: &user::Model, feature: &str) -> ApiResult<Payment> {
    let user_id = user.id;
    credits::top_up_if_due(state.db.writer(), user, state.clock.now_utc()).await?;
    if user.subscription_tier == SubscriptionTier::Free
        && credits::take_free_use(state, user_id, feature).await?
    {
        return Ok(Payment::FreeUse);
    }
    credits::reserve(state, user_id, Credit::Text).await?;
    Ok(Payment::Credit)
}

async fn give_back(state: &AppState, user_id: i64, feature: &str, payment: Payment) {
    match payment {
        Payment::FreeUse => credits::return_free_use(state, user_id, feature).await,
        Payment::Credit => credits::refund(state, user_id, Credit::Text).await,
    }
}

/// Asks the provider for the task's answer, and once more with what was wrong when it does
/// not fit the task's shape.
async fn run_task(client: &ChatClient, task: &Task, payload: &str) -> Result<Value, AiError> {
    let system = format!(
        "You write concise, truthful copy for a person's portfolio and resume. Never invent employers, degrees or numbers that are not in the input. {} Answer with one JSON object only.",
        task.instructions
    );
    let first = match client.complete_json(&system, payload).await {
        Ok(answer) => answer,
        Err(AiError::InvalidResponse(why)) => json!({"unreadable": why}),
        Err(err) => return Err(err),
    };
    let problem = match task.result_of(&first) {
        Ok(result) => return Ok(result),
        Err(problem) => problem,
    };
    tracing::info!(
        feature = task.feature,
        problem,
        "AI answer did not fit; asking for a repair"
    );
    let repair = format!(
        "{payload}\n\nYour previous answer was {first}, which is not valid: {problem}. Answer again, exactly in the shape asked."
    );
    let second = client.complete_json(&system, &repair).await?;
    task.result_of(&second)
        .map_err(|problem| AiError::InvalidResponse(format!("the answer did not fit: {problem}")))
}

/// Run one of the frontend's AI features (the free plan's one use of it, else one text credit).
#[utoipa::path(post, path = "/api/ai/generate-text", tag = "grooya", security(("bearer" = [])),
    request_body = GenerateTextRequest,
    responses(
        (status = 200, body = GenerateTextResponse),
        (status = 400, description = "Unknown task or a payload that is not an object"),
        (status = 402, description = "No text credits left"),
        (status = 502, description = "The provider failed or answered out of shape twice; the credit was given back"),
        (status = 503, description = "No provider configured"),
    ))]
pub async fn generate_text(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<GenerateTextRequest>,
) -> ApiResult<Json<GenerateTextResponse>> {
    let name = body.task.unwrap_or_default().trim().to_owned();
    let payload = body.payload.unwrap_or_else(|| json!({}));
    let Some(task) = tasks::find(&name, &payload) else {
        return Err(ApiError::field(
            "task",
            format!(
                "\"{name}\" is not a valid choice. Choose one of: {}.",
                tasks::names().join(", ")
            ),
        ));
    };
    if !payload.is_object() {
        return Err(ApiError::field("payload", "Expected a JSON object."));
    }
    let payload_text = payload.to_string();
    if payload_text.len() > MAX_PAYLOAD_BYTES {
        return Err(ApiError::field(
            "payload",
            "The payload is larger than 32 KB.",
        ));
    }
    let client = provider(&state)?;
    let user_id = user.id();
    let payment = pay_for_text(&state, &user.0.user, task.feature).await?;
    let free_use = matches!(payment, Payment::FreeUse);
    match run_task(client, task, &payload_text).await {
        Ok(result) => {
            let (text, image) = credits::balance(&state, user_id).await?;
            Ok(Json(GenerateTextResponse {
                task: name,
                result,
                free_use,
                ai_text_credits: text,
                credits: CreditsView { text, image },
            }))
        }
        Err(err) => {
            give_back(&state, user_id, task.feature, payment).await;
            Err(provider_failed(err))
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GenerateImageRequest {
    pub prompt: Option<String>,
}

/// Generate an image from a prompt and keep it as an asset (one image credit; paid plans).
#[utoipa::path(post, path = "/api/ai/generate-image", tag = "grooya", security(("bearer" = [])),
    request_body = GenerateImageRequest,
    responses(
        (status = 201, body = AssetResponse),
        (status = 400, description = "No prompt, or the user's file quota reached (no credit spent)"),
        (status = 402, description = "No image credits left"),
        (status = 403, description = "The plan does not include image generation"),
        (status = 502, description = "The provider failed; the credit was refunded"),
        (status = 503, description = "No provider configured"),
    ))]
pub async fn generate_image(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<GenerateImageRequest>,
) -> ApiResult<(StatusCode, Json<AssetResponse>)> {
    let prompt = body.prompt.unwrap_or_default().trim().to_owned();
    if prompt.is_empty() {
        return Err(ApiError::field("prompt", "This field may not be blank."));
    }
    if prompt.chars().count() > MAX_PROMPT_CHARS {
        return Err(ApiError::field(
            "prompt",
            format!("Ensure this field has no more than {MAX_PROMPT_CHARS} characters."),
        ));
    }
    let client = provider(&state)?;
    let user_id = user.id();
    // A full account is told before a credit is spent or the provider asked (an image takes
    // at least a byte; its real size is checked again when it is stored).
    let quota = state.config.storage_quota_bytes;
    quota::ensure_room(state.db.reader(), quota, user_id, 1, Refusal::Detail).await?;
    credits::check_images_allowed(user.0.user.subscription_tier)?;
    credits::top_up_if_due(state.db.writer(), &user.0.user, state.clock.now_utc()).await?;
    credits::reserve(&state, user_id, Credit::Image).await?;
    let generated = match client.generate_image(&prompt).await {
        Ok(bytes) => images::clean(&state.sandbox, &bytes, &[Output { max_side: None }])
            .await
            .map(|mut images| images.remove(0))
            .map_err(|_| crate::ai::AiError::InvalidResponse("the image is not readable".into())),
        Err(err) => Err(err),
    };
    let image = match generated {
        Ok(image) => image,
        Err(err) => {
            credits::refund(&state, user_id, Credit::Image).await;
            return Err(provider_failed(err));
        }
    };
    match store_asset(&state, user_id, image, prompt, Refusal::Detail).await {
        Ok(row) => Ok((
            StatusCode::CREATED,
            Json(AssetResponse::new(row, &state.storage)),
        )),
        Err(err) => {
            credits::refund(&state, user_id, Credit::Image).await;
            Err(err)
        }
    }
}

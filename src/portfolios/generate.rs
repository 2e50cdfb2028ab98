//! Grooya's AI routes, paid in credits: `POST /api/ai/generate-text/ {task, payload}` for the
//! frontend's writing tasks and `POST /api/ai/generate-image/ {prompt}`, whose image is stored
//! as an asset. Each call reserves one credit of its kind in a single conditional `UPDATE`
//! (so no interleaving of requests spends more than the balance) and refunds it when the
//! provider fails.

use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::accounts::user;
use crate::ai::ChatClient;
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

/// The writing tasks the frontend asks for, and what each answers.
const TASKS: [(&str, &str); 6] = [
    (
        "hero",
        "Write the hero section of a personal portfolio site. Answer {\"headline\": string (at most 10 words), \"subheadline\": string (one sentence)}.",
    ),
    (
        "about",
        "Write the 'About me' text of a personal portfolio, first person, 80-150 words. Answer {\"text\": string}.",
    ),
    (
        "project_description",
        "Describe the project for a portfolio: what it does, the candidate's role, the technologies and a result, 50-100 words. Answer {\"text\": string}.",
    ),
    (
        "resume_summary",
        "Write a professional summary for the top of a resume, 2-4 sentences, no first person. Answer {\"text\": string}.",
    ),
    (
        "tailor_resume",
        "Tailor the resume to the job posting: rewrite the summary and suggest bullet rewrites that use the posting's keywords truthfully. Answer {\"summary\": string, \"bullets\": [string], \"keywords\": [string]}.",
    ),
    (
        "skills_suggestions",
        "Suggest skills this person should list, given their role and experience. Answer {\"skills\": [{\"name\": string, \"category\": string}]}.",
    ),
];

/// Which credit a call spends.
#[derive(Clone, Copy, Debug)]
enum Credit {
    Text,
    Image,
}

impl Credit {
    fn column(self) -> user::Column {
        match self {
            Credit::Text => user::Column::AiTextCredits,
            Credit::Image => user::Column::AiImageCredits,
        }
    }

    fn exhausted(self) -> ApiError {
        let kind = match self {
            Credit::Text => "text",
            Credit::Image => "image",
        };
        ApiError::Custom(
            StatusCode::PAYMENT_REQUIRED,
            json!({"detail": format!("You have no AI {kind} credits left. Upgrade your plan for more.")}),
        )
    }
}

/// Takes one credit if the user has one: one conditional `UPDATE`, so concurrent calls can
/// never take more than the balance.
async fn reserve(state: &AppState, user_id: i64, credit: Credit) -> ApiResult<()> {
    let column = credit.column();
    let taken = user::Entity::update_many()
        .col_expr(column, ExprTrait::sub(Expr::col(column), 1))
        .filter(user::Column::Id.eq(user_id))
        .filter(column.gt(0))
        .exec(state.db.writer())
        .await?;
    state.accounts.forget(user_id);
    if taken.rows_affected == 0 {
        return Err(credit.exhausted());
    }
    Ok(())
}

/// Gives a reserved credit back after a provider failure.
async fn refund(state: &AppState, user_id: i64, credit: Credit) {
    let column = credit.column();
    let refunded = user::Entity::update_many()
        .col_expr(column, ExprTrait::add(Expr::col(column), 1))
        .filter(user::Column::Id.eq(user_id))
        .exec(state.db.writer())
        .await;
    if let Err(err) = refunded {
        tracing::error!(user_id, error = %err, "could not refund an AI credit");
    }
    state.accounts.forget(user_id);
}

async fn credits_left(state: &AppState, user_id: i64, credit: Credit) -> ApiResult<i32> {
    let row = user::Entity::find_by_id(user_id)
        .one(state.db.writer())
        .await?
        .ok_or_else(|| ApiError::no_match("User"))?;
    Ok(match credit {
        Credit::Text => row.ai_text_credits,
        Credit::Image => row.ai_image_credits,
    })
}

fn provider(state: &AppState) -> ApiResult<&ChatClient> {
    state
        .ai
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable(NOT_CONFIGURED.into()))
}

fn provider_failed(err: crate::ai::AiError) -> ApiError {
    ApiError::Custom(
        StatusCode::BAD_GATEWAY,
        json!({"detail": format!("AI generation failed: {err}. Your credit was refunded.")}),
    )
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GenerateTextRequest {
    /// `hero`, `about`, `project_description`, `resume_summary`, `tailor_resume` or
    /// `skills_suggestions`.
    pub task: Option<String>,
    /// What the task works from (the user's details, the project, the resume and posting).
    #[schema(value_type = Object)]
    pub payload: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GenerateTextResponse {
    pub task: String,
    /// The task's answer, shaped as the task says.
    #[schema(value_type = Object)]
    pub result: Value,
    pub ai_text_credits: i32,
}

/// Generate text for one of the frontend's tasks (one text credit).
#[utoipa::path(post, path = "/api/ai/generate-text", tag = "grooya", security(("bearer" = [])),
    request_body = GenerateTextRequest,
    responses(
        (status = 200, body = GenerateTextResponse),
        (status = 400, description = "Unknown task or a payload that is not an object"),
        (status = 402, description = "No text credits left"),
        (status = 502, description = "The provider failed; the credit was refunded"),
        (status = 503, description = "No provider configured"),
    ))]
pub async fn generate_text(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<GenerateTextRequest>,
) -> ApiResult<Json<GenerateTextResponse>> {
    let task = body.task.unwrap_or_default().trim().to_owned();
    let Some((_, instructions)) = TASKS.iter().find(|(name, _)| *name == task) else {
        return Err(ApiError::field(
            "task",
            format!("\"{task}\" is not a valid choice."),
        ));
    };
    let payload = body.payload.unwrap_or_else(|| json!({}));
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
    reserve(&state, user_id, Credit::Text).await?;
    let system = format!(
        "You write concise, truthful copy for a developer's portfolio and resume. Never invent employers, degrees or numbers that are not in the input. {instructions} Answer with one JSON object only."
    );
    match client.complete_json(&system, &payload_text).await {
        Ok(result) => Ok(Json(GenerateTextResponse {
            task,
            result,
            ai_text_credits: credits_left(&state, user_id, Credit::Text).await?,
        })),
        Err(err) => {
            refund(&state, user_id, Credit::Text).await;
            Err(provider_failed(err))
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GenerateImageRequest {
    pub prompt: Option<String>,
}

/// Generate an image from a prompt and keep it as an asset (one image credit).
#[utoipa::path(post, path = "/api/ai/generate-image", tag = "grooya", security(("bearer" = [])),
    request_body = GenerateImageRequest,
    responses(
        (status = 201, body = AssetResponse),
        (status = 400, description = "No prompt, or the user's file quota reached (no credit spent)"),
        (status = 402, description = "No image credits left"),
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
    reserve(&state, user_id, Credit::Image).await?;
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
            refund(&state, user_id, Credit::Image).await;
            return Err(provider_failed(err));
        }
    };
    match store_asset(&state, user_id, image, prompt, Refusal::Detail).await {
        Ok(row) => Ok((
            StatusCode::CREATED,
            Json(AssetResponse::new(row, &state.storage)),
        )),
        Err(err) => {
            refund(&state, user_id, Credit::Image).await;
            Err(err)
        }
    }
}

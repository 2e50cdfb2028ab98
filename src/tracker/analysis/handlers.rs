//! `/api/ai/analyze/<job_id>/` starts an analysis (checked in the contract's order, then run in
//! the worker); `/api/ai/result/<job_id>/` answers its state; `…/stream/` sends every state
//! change as a Server-Sent Event until the analysis ends.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{DateTime, Utc};
use futures::Stream;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::CandidateLevel;
use super::record::{self, STATUS_PROCESSING};
use super::run::analysis_job;
use super::streams::{STREAMS_PER_USER, StreamSlot};
use crate::accounts::service;
use crate::changes::WakeupReceiver;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, JsonValue, Path};
use crate::queue;
use crate::queue::worker::kinds;
use crate::resumes::resume;
use crate::state::AppState;
use crate::tracker::applications::own_application;

const STARTED_MESSAGE: &str = "AI analysis has started. Poll the result endpoint for updates.";
/// How often a stream reads its analysis again when nothing was announced: while other
/// processes' changes cannot be heard (SQLite, whose worker may be another process, or a
/// PostgreSQL listener reconnecting) it polls; while they can, it only checks now and then.
const STREAM_POLL: Duration = Duration::from_millis(500);
const STREAM_POLL_WHILE_HEARD: Duration = Duration::from_secs(5);
/// A stream ends after this even if the analysis has not.
const STREAM_MAX: Duration = Duration::from_secs(600);

#[derive(Debug, Serialize, ToSchema)]
pub struct AnalysisStartedResponse {
    pub analysis_id: i64,
    /// Always `processing`.
    pub status: String,
    pub candidate_level: String,
    pub target_stack: Vec<String>,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnalysisResponse {
    pub id: i64,
    pub candidate_level: String,
    pub target_stack: Vec<String>,
    /// `processing`, `completed` or `failed`.
    pub status: String,
    pub ats_score: i32,
    pub missing_keywords: Vec<String>,
    pub strengths: Vec<String>,
    pub suggestions: Vec<String>,
    /// `skills_match`, `project_impact`, `tools_frameworks`, `role_fit` (0–25 each); `{}` on failure.
    #[schema(value_type = Object)]
    pub score_breakdown: Value,
    pub error_message: String,
    /// Which engine answered: `local`, `llm`, or `local_fallback` (the LLM failed).
    pub engine: String,
    pub created_at: DateTime<Utc>,
    pub job_application: i64,
    pub resume: Option<i64>,
}

fn strings(value: &Value) -> Vec<String> {
    serde_json::from_value(value.clone()).unwrap_or_default()
}

impl From<record::Model> for AnalysisResponse {
    fn from(row: record::Model) -> Self {
        AnalysisResponse {
            id: row.id,
            candidate_level: row.candidate_level,
            target_stack: strings(&row.target_stack),
            status: row.status,
            ats_score: row.ats_score,
            missing_keywords: strings(&row.missing_keywords),
            strengths: strings(&row.strengths),
            suggestions: strings(&row.suggestions),
            score_breakdown: row.score_breakdown,
            error_message: row.error_message,
            engine: row.engine,
            created_at: row.created_at,
            job_application: row.job_application_id,
            resume: row.resume_id,
        }
    }
}

/// The request's `resume_id`: a number or a string holding one; absent, null or blank is
/// missing, and anything else names no resume.
fn resume_id(body: &Value) -> ApiResult<Option<i64>> {
    let missing = || ApiError::BadRequest("resume_id is required.".into());
    match body.get("resume_id") {
        None | Some(Value::Null) => Err(missing()),
        Some(Value::String(s)) if s.trim().is_empty() => Err(missing()),
        Some(Value::String(s)) => Ok(s.trim().parse().ok()),
        Some(Value::Number(n)) => Ok(n.as_i64()),
        Some(_) => Ok(None),
    }
}

fn candidate_level(body: &Value) -> ApiResult<CandidateLevel> {
    let invalid = || {
        ApiError::BadRequest("candidate_level must be either 'fresher' or 'experienced'.".into())
    };
    match body.get("candidate_level") {
        None | Some(Value::Null) => Ok(CandidateLevel::Experienced),
        Some(Value::String(raw)) => CandidateLevel::parse(raw).ok_or_else(invalid),
        Some(_) => Err(invalid()),
    }
}

/// `target_stack` as a list or a comma-separated string, trimmed, blanks dropped.
pub fn target_stack(body: &Value) -> Vec<String> {
    let items: Vec<String> = match body.get("target_stack") {
        Some(Value::String(s)) => s.split(',').map(str::to_owned).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .take(50)
        .collect()
}

/// Start (or restart) the ATS analysis of a resume against an application.
#[utoipa::path(post, path = "/api/ai/analyze/{job_id}", tag = "jobtracker", security(("bearer" = [])),
    params(("job_id" = i64, Path)),
    request_body(content = Object, description = "`{resume_id, candidate_level?: fresher|experienced, target_stack?: list or comma string}`"),
    responses(
        (status = 202, body = AnalysisStartedResponse),
        (status = 400, description = "`{\"detail\": …}`: resume_id missing, bad candidate_level, resume not parsed, job description missing"),
        (status = 404, description = "Not the user's job or resume"),
        (status = 429, description = "`{\"detail\": \"You have N analyses waiting. …\"}`: the user's pending analyses are at the cap"),
    ))]
pub async fn start_analysis(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(job_id): Path<i64>,
    JsonValue(body): JsonValue,
) -> ApiResult<(StatusCode, Json<AnalysisStartedResponse>)> {
    let user_id = user.id();
    let job = own_application(state.db.reader(), user_id, job_id).await?;
    let resume_id = resume_id(&body)?;
    let level = candidate_level(&body)?;
    let no_resume = || ApiError::no_match("Resume");
    let resume = match resume_id {
        Some(id) => resume::Entity::find_by_id(id)
            .filter(resume::Column::UserId.eq(user_id))
            .one(state.db.reader())
            .await?
            .ok_or_else(no_resume)?,
        None => return Err(no_resume()),
    };
    if resume.parsed_text.trim().is_empty() {
        return Err(ApiError::BadRequest(
            unparsed_reason(&resume.text_status).into(),
        ));
    }
    if job.job_description.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "Job description is missing. Add it manually or complete extraction first.".into(),
        ));
    }
    let stack = target_stack(&body);
    let analysis_id = db::in_transaction(state.db.writer(), async |txn| {
        // One analysis per application: serialise this user's starts so two cannot both insert
        // (and the pending count below cannot be passed by racing starts).
        service::lock_user(txn, user_id).await?;
        let limit = state.config.user_limits.pending_analyses;
        if queue::pending_of(txn, user_id, kinds::TRACKER_ANALYZE).await? >= limit {
            return Err(ApiError::Custom(
                StatusCode::TOO_MANY_REQUESTS,
                json!({"detail": format!(
                    "You have {limit} analyses waiting. Start another when one has finished."
                )}),
            ));
        }
        let existing = record::Entity::find()
            .filter(record::Column::JobApplicationId.eq(job_id))
            .one(txn)
            .await?;
        let now = db::now();
        let mut row = match existing {
            Some(existing) => {
                let generation = existing.generation + 1;
                let mut row: record::ActiveModel = existing.into();
                row.generation = Set(generation);
                row
            }
            None => record::ActiveModel {
                user_id: Set(user_id),
                job_application_id: Set(job_id),
                generation: Set(1),
                created_at: Set(now),
                ..Default::default()
            },
        };
        row.resume_id = Set(Some(resume.id));
        row.candidate_level = Set(level.as_str().into());
        row.target_stack = Set(json!(stack));
        row.status = Set(STATUS_PROCESSING.into());
        row.engine = Set(String::new());
        row.ats_score = Set(0);
        row.score_breakdown = Set(json!({}));
        row.missing_keywords = Set(json!([]));
        row.strengths = Set(json!([]));
        row.suggestions = Set(json!([]));
        row.error_message = Set(String::new());
        row.updated_at = Set(now);
        let saved = row.save(txn).await?;
        let id = saved.id.unwrap();
        let generation = saved.generation.unwrap();
        let job = analysis_job(id, generation, user_id);
        queue::enqueue(txn, job, state.clock.now_utc()).await?;
        Ok::<_, ApiError>(id)
    })
    .await?;
    state.analysis_wakeups.announce(job_id);
    Ok((
        StatusCode::ACCEPTED,
        Json(AnalysisStartedResponse {
            analysis_id,
            status: STATUS_PROCESSING.into(),
            candidate_level: level.as_str().into(),
            target_stack: stack,
            message: STARTED_MESSAGE.into(),
        }),
    ))
}

async fn analysis_of(state: &AppState, job_id: i64) -> ApiResult<Option<record::Model>> {
    Ok(record::Entity::find()
        .filter(record::Column::JobApplicationId.eq(job_id))
        .one(state.db.reader())
        .await?)
}

/// What `…/result/` answers: the analysis, or `{"status": "pending"}` before one is started.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum AnalysisResult {
    Analysis(Box<AnalysisResponse>),
    Pending {
        /// Always `pending`.
        status: String,
    },
}

fn result_of(analysis: Option<record::Model>) -> AnalysisResult {
    match analysis {
        None => AnalysisResult::Pending {
            status: "pending".into(),
        },
        Some(row) => AnalysisResult::Analysis(Box::new(row.into())),
    }
}

fn result_body(analysis: Option<record::Model>) -> Value {
    serde_json::to_value(result_of(analysis)).unwrap_or_default()
}

/// The application's analysis: `{"status": "pending"}` before one is started.
#[utoipa::path(get, path = "/api/ai/result/{job_id}", tag = "jobtracker", security(("bearer" = [])),
    params(("job_id" = i64, Path)),
    responses(
        (status = 200, body = AnalysisResult, description = "The analysis, or `{\"status\": \"pending\"}` when none exists yet"),
        (status = 404, description = "Not the user's job"),
    ))]
pub async fn get_analysis(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(job_id): Path<i64>,
) -> ApiResult<Json<AnalysisResult>> {
    own_application(state.db.reader(), user.id(), job_id).await?;
    Ok(Json(result_of(analysis_of(&state, job_id).await?)))
}

/// Server-Sent Events: a `status` event with the result body at once and at every change,
/// ending when the analysis completes or fails.
#[utoipa::path(get, path = "/api/ai/result/{job_id}/stream", tag = "jobtracker", security(("bearer" = [])),
    params(("job_id" = i64, Path)),
    responses(
        (status = 200, content_type = "text/event-stream", description = "`event: status` with the same body as the result route, per change"),
        (status = 404, description = "Not the user's job"),
        (status = 429, description = "The user already holds the most streams allowed at once"),
    ))]
pub async fn stream_analysis(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(job_id): Path<i64>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    own_application(state.db.reader(), user.id(), job_id).await?;
    let slot = state
        .analysis_streams
        .take(user.id(), STREAMS_PER_USER)
        .ok_or_else(too_many_streams)?;
    Ok(Sse::new(status_changes(state, job_id, slot)).keep_alive(KeepAlive::default()))
}

fn too_many_streams() -> ApiError {
    ApiError::Custom(
        StatusCode::TOO_MANY_REQUESTS,
        json!({"detail": format!(
            "You have {STREAMS_PER_USER} analysis streams open already. Close one, or poll the result endpoint."
        )}),
    )
}

/// What the stream remembers between events.
struct Watch {
    state: AppState,
    job_id: i64,
    last: Option<Value>,
    finished: bool,
    started: Instant,
    wakeups: WakeupReceiver,
    /// Held while the stream lives; dropping it frees the user's slot.
    _slot: StreamSlot,
}

fn status_changes(
    state: AppState,
    job_id: i64,
    slot: StreamSlot,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let watch = Watch {
        wakeups: state.analysis_wakeups.subscribe(),
        state,
        job_id,
        last: None,
        finished: false,
        started: Instant::now(),
        _slot: slot,
    };
    futures::stream::unfold(watch, |mut watch| async move {
        if watch.finished {
            return None;
        }
        loop {
            if watch.started.elapsed() > STREAM_MAX {
                return None;
            }
            match analysis_of(&watch.state, watch.job_id).await {
                Ok(analysis) => {
                    let finished = analysis.as_ref().is_some_and(record::Model::is_finished);
                    let body = result_body(analysis);
                    if watch.last.as_ref() != Some(&body) {
                        let event = Event::default().event("status").data(body.to_string());
                        watch.last = Some(body);
                        watch.finished = finished;
                        return Some((Ok(event), watch));
                    }
                }
                Err(err) => tracing::warn!(error = %err, "analysis stream could not read"),
            }
            let poll = if heard_across_processes(&watch.state) {
                STREAM_POLL_WHILE_HEARD
            } else {
                STREAM_POLL
            };
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                () = watch.wakeups.changed(watch.job_id) => {}
            }
        }
    })
}

/// Whether every process's analysis changes reach this one's `changes::Wakeups` now: on PostgreSQL
/// while the change listener is subscribed.
fn heard_across_processes(state: &AppState) -> bool {
    !state.config.is_sqlite() && state.cache_gate.is_open()
}

/// Why a resume without text cannot be analysed: OCR still reading it, nothing readable in it,
/// or (a resume stored before text statuses) the original's words.
fn unparsed_reason(text_status: &str) -> &'static str {
    match text_status {
        crate::resumes::ocr::TEXT_PENDING => {
            "Selected resume is still being read (it is a scan); try again in a minute."
        }
        crate::resumes::ocr::TEXT_UNREADABLE => {
            "Selected resume has no readable text. Upload a text-based PDF or DOCX, or a sharper scan."
        }
        _ => "Selected resume is not parsed yet.",
    }
}

//! The worker job that runs one analysis with the configured engine and records the result,
//! only while the analysis is still at the generation the job was made for (a re-analysis
//! started meanwhile owns the row then).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use super::record::{self, STATUS_COMPLETED, STATUS_FAILED};
use super::{AnalysisInput, CandidateLevel, EngineOutput, llm, local};
use crate::config::AtsEngine;
use crate::db;
use crate::queue::worker::{JobError, kinds};
use crate::queue::{Claim, NewJob};
use crate::resumes::resume;
use crate::state::AppState;
use crate::tracker::application;
use crate::tracker::page::PostingDetails;

/// The job for one generation of a user's analysis.
pub fn analysis_job(analysis_id: i64, generation: i32, owner_id: i64) -> NewJob {
    NewJob::new(
        kinds::TRACKER_ANALYZE,
        json!({"analysis_id": analysis_id, "generation": generation}),
    )
    .owned_by(owner_id)
}

/// How a run ended, before it is recorded.
enum RunResult {
    Done {
        output: EngineOutput,
        engine: &'static str,
    },
    Failed(String),
}

pub async fn run_analysis_job(
    state: &AppState,
    claim: &Claim,
    payload: &Value,
) -> Result<(), JobError> {
    let (Some(id), Some(generation)) = (
        payload.get("analysis_id").and_then(Value::as_i64),
        payload.get("generation").and_then(Value::as_i64),
    ) else {
        return Err(JobError::permanent(format!("bad payload {payload}")));
    };
    let generation = generation as i32;
    let conn = state.db.writer();
    let Some(analysis) = record::Entity::find_by_id(id).one(conn).await? else {
        return Ok(());
    };
    if analysis.generation != generation || analysis.is_finished() {
        return Ok(());
    }
    let result = match inputs(state, &analysis).await? {
        Err(reason) => RunResult::Failed(reason),
        Ok((job, resume_text)) => {
            let target_stack: Vec<String> =
                serde_json::from_value(analysis.target_stack.clone()).unwrap_or_default();
            let level = CandidateLevel::parse(&analysis.candidate_level).unwrap_or_default();
            run_engine(state, &job, &resume_text, level, &target_stack).await
        }
    };
    record_result(state, claim, id, generation, result).await?;
    // This process's streams; other processes hear the row's trigger (PostgreSQL).
    state.analysis_wakeups.announce(analysis.job_application_id);
    Ok(())
}

/// The application and the resume's text, or why the analysis cannot run.
async fn inputs(
    state: &AppState,
    analysis: &record::Model,
) -> Result<Result<(application::Model, String), String>, JobError> {
    let conn = state.db.writer();
    let Some(job) = application::Entity::find_by_id(analysis.job_application_id)
        .one(conn)
        .await?
    else {
        return Ok(Err("The job application was deleted.".into()));
    };
    let resume = match analysis.resume_id {
        Some(id) => resume::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    match resume {
        None => Ok(Err("The selected resume was deleted.".into())),
        Some(resume) => Ok(Ok((job, resume.parsed_text))),
    }
}

async fn run_engine(
    state: &AppState,
    job: &application::Model,
    resume_text: &str,
    level: CandidateLevel,
    target_stack: &[String],
) -> RunResult {
    let llm_client = match state.config.ats_engine {
        AtsEngine::Llm => state.ai.as_ref(),
        AtsEngine::Local => None,
    };
    let Some(client) = llm_client else {
        return run_local(job, resume_text, level, target_stack, "local").await;
    };
    let details = details_of(job);
    let input = AnalysisInput {
        resume_text,
        job_title: &job.job_title,
        company_name: &job.company_name,
        job_description: &job.job_description,
        candidate_level: level,
        target_stack,
        details: &details,
    };
    match llm::analyze(client, &input).await {
        Ok(output) => RunResult::Done {
            output,
            engine: "llm",
        },
        Err(err) if state.config.ai_fallback_local => {
            tracing::warn!(error = %err, "LLM analysis failed; answering with the local engine");
            run_local(job, resume_text, level, target_stack, "local_fallback").await
        }
        Err(err) => RunResult::Failed(format!("AI analysis failed: {err}.")),
    }
}

/// The facts stored with the application (none for one typed in by hand or stored before them).
fn details_of(job: &application::Model) -> PostingDetails {
    serde_json::from_value(job.details.clone()).unwrap_or_default()
}

/// The local engine on the blocking pool (it is CPU work).
async fn run_local(
    job: &application::Model,
    resume_text: &str,
    level: CandidateLevel,
    target_stack: &[String],
    engine: &'static str,
) -> RunResult {
    let (title, company, description) = (
        job.job_title.clone(),
        job.company_name.clone(),
        job.job_description.clone(),
    );
    let resume_text = resume_text.to_owned();
    let target_stack = target_stack.to_vec();
    let details = details_of(job);
    let analysed = tokio::task::spawn_blocking(move || {
        local::analyze(&AnalysisInput {
            resume_text: &resume_text,
            job_title: &title,
            company_name: &company,
            job_description: &description,
            candidate_level: level,
            target_stack: &target_stack,
            details: &details,
        })
    })
    .await;
    match analysed {
        Ok(analysis) => RunResult::Done {
            output: analysis.into(),
            engine,
        },
        Err(err) => {
            tracing::error!(error = %err, "the local ATS engine panicked");
            RunResult::Failed("The analysis could not be completed.".into())
        }
    }
}

/// Writes the result under the job's claim: a run that lost its claim records nothing.
async fn record_result(
    state: &AppState,
    claim: &Claim,
    id: i64,
    generation: i32,
    result: RunResult,
) -> Result<(), JobError> {
    let mut row = record::ActiveModel {
        updated_at: Set(db::now()),
        ..Default::default()
    };
    match result {
        RunResult::Done { output, engine } => {
            row.status = Set(STATUS_COMPLETED.into());
            row.engine = Set(engine.into());
            row.ats_score = Set(output.ats_score);
            row.score_breakdown = Set(output.score_breakdown);
            row.missing_keywords = Set(json!(output.missing_keywords));
            row.strengths = Set(json!(output.strengths));
            row.suggestions = Set(json!(output.suggestions));
            row.error_message = Set(String::new());
        }
        RunResult::Failed(reason) => {
            row.status = Set(STATUS_FAILED.into());
            row.ats_score = Set(0);
            row.score_breakdown = Set(json!({}));
            row.missing_keywords = Set(json!([]));
            row.strengths = Set(json!([]));
            row.suggestions = Set(json!([]));
            row.error_message = Set(reason);
        }
    }
    let txn = claim
        .begin_result(state.db.writer(), state.clock.now_utc())
        .await?;
    record::Entity::update_many()
        .set(row)
        .filter(record::Column::Id.eq(id))
        .filter(record::Column::Generation.eq(generation))
        .exec(&txn)
        .await?;
    claim.commit_result(txn).await
}

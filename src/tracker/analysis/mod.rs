//! ATS analysis of a resume against a job posting: the request that starts one, the job that
//! runs it in the worker, the two engines (local and LLM) and the result, polled or streamed.

pub mod eval;
pub mod handlers;
pub mod llm;
pub mod local;
pub mod record;
pub mod run;
pub mod streams;
mod types;

use serde_json::{Value, json};

pub use types::{Analysis, AnalysisInput, CandidateLevel, ScoreBreakdown};

/// What an engine gives, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineOutput {
    pub ats_score: i32,
    /// The four buckets, or `{}` when the LLM gave none that was valid.
    pub score_breakdown: Value,
    pub missing_keywords: Vec<String>,
    pub strengths: Vec<String>,
    pub suggestions: Vec<String>,
}

impl From<Analysis> for EngineOutput {
    fn from(analysis: Analysis) -> Self {
        let b = &analysis.score_breakdown;
        EngineOutput {
            ats_score: b.total(),
            score_breakdown: json!({
                "skills_match": b.skills_match,
                "project_impact": b.project_impact,
                "tools_frameworks": b.tools_frameworks,
                "role_fit": b.role_fit,
            }),
            missing_keywords: analysis.missing_keywords,
            strengths: analysis.strengths,
            suggestions: analysis.suggestions,
        }
    }
}

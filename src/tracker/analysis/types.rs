//! What an ATS analysis takes and gives, shared by the local engine and the LLM engine.

use serde::{Deserialize, Serialize};

use crate::tracker::page::PostingDetails;

/// The candidate context the prompt and the scoring are tailored to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CandidateLevel {
    Fresher,
    #[default]
    Experienced,
}

impl CandidateLevel {
    /// Trimmed and lowercased, as the contract accepts it.
    pub fn parse(raw: &str) -> Option<CandidateLevel> {
        match raw.trim().to_lowercase().as_str() {
            "fresher" => Some(CandidateLevel::Fresher),
            "experienced" => Some(CandidateLevel::Experienced),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CandidateLevel::Fresher => "fresher",
            CandidateLevel::Experienced => "experienced",
        }
    }
}

/// One resume against one posting.
#[derive(Clone, Debug)]
pub struct AnalysisInput<'a> {
    pub resume_text: &'a str,
    pub job_title: &'a str,
    pub company_name: &'a str,
    pub job_description: &'a str,
    pub candidate_level: CandidateLevel,
    /// The technologies the candidate is aiming at, as given (trimmed, non-empty).
    pub target_stack: &'a [String],
    /// What the posting's source said beside its text: where, whether remote, the level.
    pub details: &'a PostingDetails,
}

/// The four buckets, each 0–25.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreBreakdown {
    pub skills_match: i32,
    pub project_impact: i32,
    pub tools_frameworks: i32,
    pub role_fit: i32,
}

impl ScoreBreakdown {
    pub fn total(&self) -> i32 {
        self.skills_match + self.project_impact + self.tools_frameworks + self.role_fit
    }
}

/// A finished analysis.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// 0–100: the sum of the breakdown.
    pub ats_score: i32,
    pub score_breakdown: ScoreBreakdown,
    /// Most important first.
    pub missing_keywords: Vec<String>,
    pub strengths: Vec<String>,
    pub suggestions: Vec<String>,
}

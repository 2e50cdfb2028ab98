//! The LLM engine: the spec's prompt (tailored to freshers or experienced candidates) sent to
//! the configured chat-completions provider, and its JSON answer validated and normalised: the
//! four buckets clamped to 0–25 and summed into `ats_score` when all are present, otherwise the
//! model's own `ats_score` clamped to 0–100; lists made lists of short, distinct strings.

use serde_json::{Map, Value, json};

use super::{AnalysisInput, CandidateLevel, EngineOutput};
use crate::ai::{AiError, ChatClient};
use crate::tracker::page::PostingDetails;

const BUCKETS: [&str; 4] = [
    "skills_match",
    "project_impact",
    "tools_frameworks",
    "role_fit",
];
/// Resume and posting text beyond this is cut from the prompt (tokens cost money and time).
const MAX_PROMPT_CHARS: usize = 24_000;
const MAX_LIST_ITEMS: usize = 20;
const MAX_ITEM_CHARS: usize = 400;

/// Asks the provider to analyse `input`.
pub async fn analyze(
    client: &ChatClient,
    input: &AnalysisInput<'_>,
) -> Result<EngineOutput, AiError> {
    let answer = client
        .complete_json(&system_prompt(input.candidate_level), &user_prompt(input))
        .await?;
    normalize(&answer)
}

fn system_prompt(level: CandidateLevel) -> String {
    let focus = match level {
        CandidateLevel::Fresher => {
            "The candidate is a fresher: weigh projects, internships, coursework, fundamentals \
             and evidence of learning; do not penalise the lack of years of experience."
        }
        CandidateLevel::Experienced => {
            "The candidate is experienced: weigh measurable impact, ownership, scale, system \
             design and architecture decisions, and seniority against the role."
        }
    };
    format!(
        "You are an applicant tracking system (ATS) reviewer for technology roles. Compare the \
         resume with the job posting. {focus}\n\
         Answer with one JSON object and nothing else, with exactly these keys:\n\
         \"score_breakdown\": {{\"skills_match\": 0-25, \"project_impact\": 0-25, \
         \"tools_frameworks\": 0-25, \"role_fit\": 0-25}} (integers),\n\
         \"ats_score\": 0-100 (the sum of the four),\n\
         \"missing_keywords\": [skills or keywords from the posting missing in the resume, most important first],\n\
         \"strengths\": [3-6 short sentences quoting evidence from the resume],\n\
         \"suggestions\": [3-6 short, specific, actionable improvements]."
    )
}

fn user_prompt(input: &AnalysisInput<'_>) -> String {
    let stack = if input.target_stack.is_empty() {
        "(none given)".to_owned()
    } else {
        input.target_stack.join(", ")
    };
    format!(
        "Candidate level: {}\nTarget stack: {stack}\n\nJOB TITLE: {}\nCOMPANY: {}\n{}\nJOB DESCRIPTION:\n{}\n\nRESUME:\n{}",
        input.candidate_level.as_str(),
        input.job_title,
        input.company_name,
        posting_facts(input.details),
        cut(input.job_description, MAX_PROMPT_CHARS / 2),
        cut(input.resume_text, MAX_PROMPT_CHARS / 2),
    )
}

/// The posting's stated facts, one per line ("LOCATION: Berlin (remote)"), for the model to weigh
/// location and level; nothing when the source gave none.
fn posting_facts(details: &PostingDetails) -> String {
    let remote = match details.remote {
        Some(true) => " (remote)",
        Some(false) => " (on site)",
        None => "",
    };
    let lines = [
        details
            .location
            .as_ref()
            .map(|l| format!("LOCATION: {l}{remote}")),
        details
            .employment_type
            .as_ref()
            .map(|t| format!("EMPLOYMENT TYPE: {t}")),
        details
            .seniority
            .as_ref()
            .map(|s| format!("STATED LEVEL: {s}")),
    ];
    lines
        .into_iter()
        .flatten()
        .map(|line| line + "\n")
        .collect()
}

fn cut(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// The model's answer as a stored result, or why it is unusable.
pub fn normalize(answer: &Value) -> Result<EngineOutput, AiError> {
    let Value::Object(object) = answer else {
        return Err(AiError::InvalidResponse(
            "the answer is not a JSON object".into(),
        ));
    };
    let buckets = object.get("score_breakdown").and_then(breakdown);
    let (ats_score, score_breakdown) = match buckets {
        Some(buckets) => (
            buckets.values().filter_map(Value::as_i64).sum::<i64>() as i32,
            Value::Object(buckets),
        ),
        None => {
            let score = object
                .get("ats_score")
                .and_then(number)
                .ok_or_else(|| AiError::InvalidResponse("no score in the answer".into()))?;
            (score.clamp(0.0, 100.0).round() as i32, json!({}))
        }
    };
    Ok(EngineOutput {
        ats_score,
        score_breakdown,
        missing_keywords: string_list(object.get("missing_keywords")),
        strengths: string_list(object.get("strengths")),
        suggestions: string_list(object.get("suggestions")),
    })
}

/// The four buckets, each clamped to 0–25, when every one is a number.
fn breakdown(value: &Value) -> Option<Map<String, Value>> {
    let object = value.as_object()?;
    BUCKETS
        .iter()
        .map(|name| {
            let score = object.get(*name).and_then(number)?;
            Some((
                name.to_string(),
                json!(score.clamp(0.0, 25.0).round() as i64),
            ))
        })
        .collect()
}

/// A number, or a string holding one ("18", "18/25").
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()),
        Value::String(s) => s
            .split('/')
            .next()?
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite()),
        _ => None,
    }
}

/// Distinct, trimmed, non-empty strings, bounded in count and length; a string becomes its
/// lines.
fn string_list(value: Option<&Value>) -> Vec<String> {
    let items: Vec<String> = match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) => s.lines().map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let item = item.trim().trim_start_matches(['-', '*', '•']).trim();
        let item: String = item.chars().take(MAX_ITEM_CHARS).collect();
        if !item.is_empty() && !out.iter().any(|seen| seen.eq_ignore_ascii_case(&item)) {
            out.push(item);
        }
        if out.len() == MAX_LIST_ITEMS {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_breakdown_is_clamped_and_summed() {
        let out = normalize(&json!({
            "ats_score": 12,
            "score_breakdown": {"skills_match": 30, "project_impact": "18", "tools_frameworks": 20.4, "role_fit": -2},
            "missing_keywords": ["Kubernetes", " kubernetes ", "", 5],
            "strengths": "- Led the migration\n- Owns CI",
            "suggestions": null,
        }))
        .unwrap();
        assert_eq!(out.ats_score, 25 + 18 + 20);
        assert_eq!(
            out.score_breakdown,
            json!({"skills_match": 25, "project_impact": 18, "tools_frameworks": 20, "role_fit": 0})
        );
        assert_eq!(out.missing_keywords, vec!["Kubernetes", "5"]);
        assert_eq!(out.strengths, vec!["Led the migration", "Owns CI"]);
        assert!(out.suggestions.is_empty());
    }

    #[test]
    fn without_a_valid_breakdown_the_score_is_the_models_clamped() {
        let out = normalize(&json!({"ats_score": "140", "score_breakdown": {"skills_match": 3}}))
            .unwrap();
        assert_eq!((out.ats_score, out.score_breakdown), (100, json!({})));
        assert!(normalize(&json!({"strengths": []})).is_err());
    }
}

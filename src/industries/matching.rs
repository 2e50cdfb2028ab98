//! How well a user's industry experience matches a job posting's industries, with the reasons.
//!
//! For each posting industry: years in that very industry score 50 plus 12.5 per year; years in
//! related industries (the table below) add 6.25 per year; with related experience alone the
//! score is 25 plus 6.25 per year, at most 50. Every score is capped at 100, more years never
//! lower it, and the posting's best-matching industry gives the match.

use serde::Serialize;
use utoipa::ToSchema;

use super::breneo_tags::canonical_tag;

/// Pairs of industries whose experience carries over (symmetric).
const RELATED: &[(&str, &str)] = &[
    ("fintech", "banking"),
    ("fintech", "investment"),
    ("fintech", "insurance"),
    ("fintech", "crypto"),
    ("banking", "investment"),
    ("banking", "insurance"),
    ("e-commerce", "retail"),
    ("e-commerce", "marketplace"),
    ("e-commerce", "logistics"),
    ("saas", "enterprise-software"),
    ("saas", "cloud-infrastructure"),
    ("saas", "ai"),
    ("enterprise-software", "cloud-infrastructure"),
    ("enterprise-software", "cybersecurity"),
    ("consumer-internet", "social-media"),
    ("consumer-internet", "adtech"),
    ("social-media", "media-entertainment"),
    ("gaming", "media-entertainment"),
    ("healthcare", "healthtech"),
    ("healthtech", "biotech"),
    ("biotech", "pharma"),
    ("healthcare", "pharma"),
    ("edtech", "education"),
    ("semiconductors", "hardware"),
    ("hardware", "manufacturing"),
    ("automotive", "mobility"),
    ("automotive", "manufacturing"),
    ("aerospace-defense", "manufacturing"),
    ("mobility", "travel-hospitality"),
    ("mobility", "logistics"),
    ("telecom", "cloud-infrastructure"),
    ("energy", "manufacturing"),
    ("government", "nonprofit"),
    ("marketplace", "travel-hospitality"),
];

const DIRECT_BASE: f64 = 50.0;
const DIRECT_PER_YEAR: f64 = 12.5;
const RELATED_BASE: f64 = 25.0;
const RELATED_PER_YEAR: f64 = 6.25;
const RELATED_ONLY_CAP: f64 = 50.0;

/// The industries whose experience carries over to `industry`: careerhub's related pairs, and
/// the Breneo frontend's tags tied to it (`payments` ↔ `fintech`, `technology` ↔ `saas`, …).
pub fn related_industries(industry: &str) -> impl Iterator<Item = &'static str> + '_ {
    RELATED
        .iter()
        .filter_map(move |(a, b)| {
            if *a == industry {
                Some(*b)
            } else if *b == industry {
                Some(*a)
            } else {
                None
            }
        })
        .chain(super::breneo_tags::related_tags(industry))
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct RelatedYears {
    pub industry: String,
    pub years: f64,
}

/// The score for one posting industry.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct IndustryScore {
    pub industry: String,
    pub score: u32,
    pub direct_years: f64,
    pub related: Vec<RelatedYears>,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct IndustryMatch {
    /// The posting industries, normalized.
    pub industries: Vec<String>,
    /// 0–100.
    pub match_percentage: u32,
    /// The posting industry that matched best, when any matched at all.
    pub best_industry: Option<String>,
    /// Sentences a job card can show, best first.
    pub reasons: Vec<String>,
    pub scores: Vec<IndustryScore>,
    /// Whose years the reasons use: `work_history` (computed from the user's experiences) or
    /// `industry_profile` (the stored profile, which Breneo's frontend may have written).
    pub years_from: &'static str,
}

/// Years the user has in an industry, by the keys of their industry-years map (any case).
fn years_in(user_years: &serde_json::Map<String, serde_json::Value>, industry: &str) -> f64 {
    user_years
        .iter()
        .filter(|(key, _)| canonical_tag(key) == industry)
        .filter_map(|(_, value)| value.as_f64())
        .filter(|years| years.is_finite() && *years > 0.0)
        // Not `sum()`: an empty f64 sum is -0.0, which would serialize as `-0.0`.
        .fold(0.0, |total, years| total + years)
}

fn score_one(
    user_years: &serde_json::Map<String, serde_json::Value>,
    industry: &str,
) -> IndustryScore {
    let direct_years = years_in(user_years, industry);
    let related: Vec<RelatedYears> = related_industries(industry)
        .map(|other| RelatedYears {
            industry: other.to_owned(),
            years: years_in(user_years, other),
        })
        .filter(|related| related.years > 0.0)
        .collect();
    let related_years: f64 = related.iter().map(|r| r.years).sum();
    let score = if direct_years > 0.0 {
        DIRECT_BASE + DIRECT_PER_YEAR * direct_years + RELATED_PER_YEAR * related_years
    } else if related_years > 0.0 {
        (RELATED_BASE + RELATED_PER_YEAR * related_years).min(RELATED_ONLY_CAP)
    } else {
        0.0
    };
    IndustryScore {
        industry: industry.to_owned(),
        score: score.min(100.0).floor() as u32,
        direct_years,
        related,
    }
}

/// Matches a user's industry years (`{"fintech": 2.5, …}`) against a posting's industries.
pub fn industry_match(
    user_years: &serde_json::Map<String, serde_json::Value>,
    posting_industries: &[String],
) -> IndustryMatch {
    let mut industries: Vec<String> = Vec::new();
    for tag in posting_industries
        .iter()
        .map(|raw| canonical_tag(raw))
        .filter(|t| !t.is_empty())
    {
        if !industries.contains(&tag) {
            industries.push(tag);
        }
    }
    let mut scores: Vec<IndustryScore> = industries
        .iter()
        .map(|industry| score_one(user_years, industry))
        .collect();
    scores.sort_by_key(|score| std::cmp::Reverse(score.score));
    let best = scores.first().filter(|best| best.score > 0);
    IndustryMatch {
        match_percentage: best.map_or(0, |b| b.score),
        best_industry: best.map(|b| b.industry.clone()),
        reasons: scores.iter().flat_map(reasons_for).collect(),
        industries,
        scores,
        years_from: "industry_profile",
    }
}

fn reasons_for(score: &IndustryScore) -> Vec<String> {
    let mut reasons = Vec::new();
    if score.direct_years > 0.0 {
        reasons.push(format!(
            "{} in {}",
            years_phrase(score.direct_years),
            score.industry
        ));
    }
    for related in &score.related {
        reasons.push(format!(
            "{} in {}, related to {}",
            years_phrase(related.years),
            related.industry,
            score.industry
        ));
    }
    reasons
}

fn years_phrase(years: f64) -> String {
    if (years - 1.0).abs() < f64::EPSILON {
        "1 year".to_owned()
    } else {
        format!("{years} years")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn years(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn direct_experience_scores_and_explains_itself() {
        let matched = industry_match(
            &years(json!({"fintech": 2.0})),
            &["FinTech".into(), "banking".into()],
        );
        assert_eq!(matched.match_percentage, 75);
        assert_eq!(matched.best_industry.as_deref(), Some("fintech"));
        assert_eq!(matched.industries, ["fintech", "banking"]);
        assert_eq!(
            matched.reasons,
            [
                "2 years in fintech",
                "2 years in fintech, related to banking"
            ]
        );
        assert_eq!(matched.scores[1].score, 37);
    }

    #[test]
    fn related_experience_alone_is_capped_at_half() {
        let matched = industry_match(&years(json!({"banking": 30})), &["fintech".into()]);
        assert_eq!(matched.match_percentage, 50);
    }

    #[test]
    fn no_experience_or_no_industries_is_zero() {
        let none = industry_match(&years(json!({"gaming": 3})), &["pharma".into()]);
        assert_eq!(
            (
                none.match_percentage,
                none.best_industry,
                none.reasons.len()
            ),
            (0, None, 0)
        );
        assert_eq!(industry_match(&years(json!({})), &[]).match_percentage, 0);
    }

    #[test]
    fn the_match_never_falls_as_years_grow_and_stops_at_100() {
        let shapes: [fn(f64) -> serde_json::Value; 3] = [
            |y| json!({"fintech": y}),
            |y| json!({"banking": y}),
            |y| json!({"fintech": 1.0, "banking": y}),
        ];
        for shape in shapes {
            let mut previous = 0;
            for tenths in 0..=200 {
                let map = years(shape(f64::from(tenths) / 10.0));
                let score = industry_match(&map, &["fintech".into()]).match_percentage;
                assert!(
                    score >= previous && score <= 100,
                    "{map:?}: {score} after {previous}"
                );
                previous = score;
            }
        }
        assert_eq!(
            industry_match(&years(json!({"fintech": 4})), &["fintech".into()]).match_percentage,
            100
        );
    }
}

//! Market trends and skill gaps as Career Navigator's contract defines them, counted from the
//! postings in the window. These are exact recounts; they are also the reference any later
//! pre-aggregation must agree with.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use super::job_posting;
use crate::accounts::user::StringList;

#[derive(Debug, PartialEq, Serialize, ToSchema)]
pub struct SkillCount {
    pub skill: String,
    pub count: u64,
    pub percentage: f64,
}

#[derive(Debug, PartialEq, Serialize, ToSchema)]
pub struct LocationCount {
    pub location: String,
    pub count: u64,
}

#[derive(Debug, PartialEq, Serialize, ToSchema)]
pub struct TechnologyCount {
    pub technology: String,
    pub count: u64,
}

#[derive(Debug, PartialEq, Serialize, ToSchema)]
pub struct SalaryTrend {
    pub location: String,
    pub avg_min: f64,
    pub avg_max: f64,
    pub count: u64,
}

#[derive(Debug, PartialEq, Serialize, ToSchema)]
pub struct RemoteCount {
    pub remote: bool,
    pub count: u64,
}

#[derive(Debug, PartialEq, Serialize, ToSchema)]
pub struct Trending {
    pub top_skills: Vec<SkillCount>,
    pub top_locations: Vec<LocationCount>,
    pub technology_trends: Vec<TechnologyCount>,
    pub salary_trends: Vec<SalaryTrend>,
    pub remote_distribution: Vec<RemoteCount>,
    pub total_jobs_analyzed: u64,
    pub generated_at: DateTime<Utc>,
    pub window_days: i64,
}

/// What trending reads of one posting.
type TrendRow = (StringList, String, Option<i64>, Option<i64>, Option<bool>);

/// `GET /market/trending` over the postings scraped within `days`.
pub async fn trending(
    conn: &impl ConnectionTrait,
    days: i64,
    skills_limit: usize,
    locations_limit: usize,
    now: DateTime<Utc>,
) -> Result<Trending, DbErr> {
    use job_posting::Column;
    let rows: Vec<TrendRow> = job_posting::Entity::find()
        .select_only()
        .columns([
            Column::TechnologySlugs,
            Column::Location,
            Column::MinAnnualSalaryUsd,
            Column::MaxAnnualSalaryUsd,
            Column::Remote,
        ])
        .filter(Column::ScrapedAt.gte(now - Duration::days(days)))
        .into_tuple()
        .all(conn)
        .await?;
    let total = rows.len() as u64;

    let mut technologies: HashMap<String, u64> = HashMap::new();
    let mut locations: HashMap<&str, u64> = HashMap::new();
    let mut salaries: HashMap<&str, (i64, i64, u64)> = HashMap::new();
    let (mut remote, mut onsite) = (0u64, 0u64);
    for (slugs, location, min, max, is_remote) in &rows {
        let mut seen: Vec<String> = Vec::with_capacity(slugs.0.len());
        for slug in slugs
            .0
            .iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
        {
            if !seen.contains(&slug) {
                seen.push(slug);
            }
        }
        for slug in seen {
            *technologies.entry(slug).or_default() += 1;
        }
        if !location.is_empty() {
            *locations.entry(location).or_default() += 1;
        }
        if let (Some(min), Some(max)) = (min, max) {
            let entry = salaries.entry(location).or_default();
            *entry = (entry.0 + min, entry.1 + max, entry.2 + 1);
        }
        match is_remote {
            Some(true) => remote += 1,
            Some(false) => onsite += 1,
            None => {}
        }
    }

    let ranked_technologies = ranked(technologies.into_iter().collect(), skills_limit);
    let mut salary_trends: Vec<SalaryTrend> = salaries
        .into_iter()
        .map(|(location, (min_sum, max_sum, count))| SalaryTrend {
            location: location.to_owned(),
            avg_min: round2(min_sum as f64 / count as f64),
            avg_max: round2(max_sum as f64 / count as f64),
            count,
        })
        .collect();
    salary_trends.sort_by(|a, b| {
        b.avg_max
            .total_cmp(&a.avg_max)
            .then_with(|| a.location.cmp(&b.location))
    });
    salary_trends.truncate(locations_limit);
    let mut remote_distribution: Vec<RemoteCount> = [(true, remote), (false, onsite)]
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(remote, count)| RemoteCount { remote, count })
        .collect();
    remote_distribution.sort_by(|a, b| b.count.cmp(&a.count).then(b.remote.cmp(&a.remote)));

    Ok(Trending {
        top_skills: ranked_technologies
            .iter()
            .map(|(skill, count)| SkillCount {
                skill: skill.clone(),
                count: *count,
                percentage: percentage(*count, total),
            })
            .collect(),
        technology_trends: ranked_technologies
            .into_iter()
            .map(|(technology, count)| TechnologyCount { technology, count })
            .collect(),
        top_locations: ranked(
            locations
                .into_iter()
                .map(|(l, c)| (l.to_owned(), c))
                .collect(),
            locations_limit,
        )
        .into_iter()
        .map(|(location, count)| LocationCount { location, count })
        .collect(),
        salary_trends,
        remote_distribution,
        total_jobs_analyzed: total,
        generated_at: now,
        window_days: days,
    })
}

/// Most frequent first, ties by name; at most `limit`.
fn ranked(mut counts: Vec<(String, u64)>, limit: usize) -> Vec<(String, u64)> {
    counts.sort_by(|(a_name, a), (b_name, b)| b.cmp(a).then_with(|| a_name.cmp(b_name)));
    counts.truncate(limit);
    counts
}

pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn percentage(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        round2(count as f64 / total as f64 * 100.0)
    }
}

#[derive(Debug, PartialEq, Serialize, ToSchema)]
pub struct RequiredSkill {
    pub skill: String,
    pub required_percentage: f64,
    pub user_has: bool,
}

#[derive(Debug, PartialEq, Serialize, ToSchema)]
pub struct GapAnalysis {
    pub role: String,
    pub total_postings_analyzed: u64,
    pub required_skills: Vec<RequiredSkill>,
    pub missing_skills: Vec<String>,
    pub coverage_percentage: f64,
    pub skill_match_count: u64,
    pub total_required_skills: u64,
}

/// Why a gap analysis has nothing to show.
#[derive(Debug, PartialEq)]
pub enum NoGapData {
    NoPostings,
    NoSkillOverThreshold { postings: u64 },
}

/// The skills of the postings for `role` scraped within `days`: those whose search keywords
/// equal the role (any case), or, when there are none, those whose title contains it.
pub async fn role_posting_skills(
    conn: &impl ConnectionTrait,
    role: &str,
    days: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Vec<String>>, DbErr> {
    use job_posting::Column;
    let since = Column::ScrapedAt.gte(now - Duration::days(days));
    let by_keywords: Vec<StringList> = job_posting::Entity::find()
        .select_only()
        .column(Column::Skills)
        .filter(Column::SearchKeywordsKey.eq(role.trim().to_lowercase()))
        .filter(since.clone())
        .into_tuple()
        .all(conn)
        .await?;
    if !by_keywords.is_empty() {
        return Ok(by_keywords.into_iter().map(|list| list.0).collect());
    }
    let by_title: Vec<(String, StringList)> = job_posting::Entity::find()
        .select_only()
        .columns([Column::Title, Column::Skills])
        .filter(since)
        .into_tuple()
        .all(conn)
        .await?;
    let role = role.trim().to_lowercase();
    Ok(by_title
        .into_iter()
        .filter(|(title, _)| title.to_lowercase().contains(&role))
        .map(|(_, skills)| skills.0)
        .collect())
}

/// The gap between a user's skills and what the role's postings ask for.
pub fn gap_analysis(
    role: &str,
    postings: &[Vec<String>],
    user_skills: &[String],
    threshold: f64,
) -> Result<GapAnalysis, NoGapData> {
    let total = postings.len() as u64;
    if total == 0 {
        return Err(NoGapData::NoPostings);
    }
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for skills in postings {
        let mut seen: Vec<&str> = Vec::with_capacity(skills.len());
        for skill in skills {
            if !seen.contains(&skill.as_str()) {
                seen.push(skill);
            }
        }
        for skill in seen {
            *counts.entry(skill).or_default() += 1;
        }
    }
    let user: Vec<String> = super::postings::normalize_skills(user_skills);
    let required: Vec<RequiredSkill> = ranked(
        counts.into_iter().map(|(s, c)| (s.to_owned(), c)).collect(),
        usize::MAX,
    )
    .into_iter()
    .map(|(skill, count)| (skill, percentage(count, total)))
    .filter(|(_, share)| *share >= threshold * 100.0)
    .map(|(skill, required_percentage)| RequiredSkill {
        user_has: user.contains(&skill),
        skill,
        required_percentage,
    })
    .collect();
    if required.is_empty() {
        return Err(NoGapData::NoSkillOverThreshold { postings: total });
    }
    let matched = required.iter().filter(|s| s.user_has).count() as u64;
    let total_required = required.len() as u64;
    Ok(GapAnalysis {
        role: role.to_owned(),
        total_postings_analyzed: total,
        missing_skills: required
            .iter()
            .filter(|s| !s.user_has)
            .map(|s| s.skill.clone())
            .collect(),
        coverage_percentage: percentage(matched, total_required),
        skill_match_count: matched,
        total_required_skills: total_required,
        required_skills: required,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skills(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn gap_analysis_keeps_skills_over_the_threshold_sorted_by_count() {
        let postings = vec![
            skills(&["python", "docker", "aws"]),
            skills(&["python", "docker"]),
            skills(&["python", "kubernetes", "python"]),
            skills(&["go"]),
        ];
        let result = gap_analysis(
            "Backend Engineer",
            &postings,
            &skills(&["Python", "Go"]),
            0.25,
        )
        .unwrap();
        let required: Vec<(&str, f64, bool)> = result
            .required_skills
            .iter()
            .map(|s| (s.skill.as_str(), s.required_percentage, s.user_has))
            .collect();
        assert_eq!(
            required,
            vec![
                ("python", 75.0, true),
                ("docker", 50.0, false),
                ("aws", 25.0, false),
                ("go", 25.0, true),
                ("kubernetes", 25.0, false),
            ]
        );
        assert_eq!(result.missing_skills, ["docker", "aws", "kubernetes"]);
        assert_eq!(
            (
                result.skill_match_count,
                result.total_required_skills,
                result.coverage_percentage
            ),
            (2, 5, 40.0)
        );
        assert_eq!(result.total_postings_analyzed, 4);
    }

    #[test]
    fn no_postings_and_no_skill_over_the_threshold_are_told_apart() {
        assert_eq!(
            gap_analysis("X", &[], &[], 0.25),
            Err(NoGapData::NoPostings)
        );
        let postings = vec![skills(&["a"]), skills(&["b"]), skills(&["c"])];
        assert_eq!(
            gap_analysis("X", &postings, &[], 0.5),
            Err(NoGapData::NoSkillOverThreshold { postings: 3 })
        );
    }

    #[test]
    fn percentages_round_to_two_places() {
        assert_eq!(percentage(1, 3), 33.33);
        assert_eq!(percentage(2, 3), 66.67);
        assert_eq!(percentage(0, 0), 0.0);
    }
}

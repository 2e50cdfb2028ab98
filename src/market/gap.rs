//! Career Navigator's skill gap (`/skills/gap-analysis`): the skills of a role's postings in a
//! window, counted from the rollups (and the window's partial first day from the postings), or
//! from titles when no posting was searched for the role; each skill named as trending names it
//! (its most used spelling) and compared with the user's skills.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::analytics::{percentage, ranked};
use super::job_posting;
use super::rollups;
use super::window;
use crate::accounts::user::StringList;

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct RequiredSkill {
    /// The skill as `/market/trending` names it: the postings' most used spelling of its
    /// technology slug, lowercased (`aws`, `kubernetes`).
    pub skill: String,
    /// The taxonomy's display name (`Amazon Web Services`), or the slug when it has none.
    pub name: String,
    pub required_percentage: f64,
    pub user_has: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
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

/// How many of a role's postings name each technology spelling, one spelling per skill and
/// posting (`rollups::role_slug_keys`): summing a skill's spellings counts its postings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SkillTally {
    pub postings: u64,
    /// By lowercased technology slug.
    pub slugs: HashMap<String, u64>,
}

/// A [`SkillTally`] while it is counted: signed, since a window's first day may be that day's
/// rollups less its postings before the window.
#[derive(Default)]
struct SignedTally {
    postings: i64,
    slugs: HashMap<String, i64>,
}

impl SignedTally {
    /// Counts a posting's technology slugs in (`sign` 1) or out (-1), one spelling per skill.
    fn add_posting(&mut self, slugs: &[String], sign: i64) {
        self.postings += sign;
        for slug in rollups::role_slug_keys(slugs) {
            *self.slugs.entry(slug.into_owned()).or_default() += sign;
        }
    }

    /// The counts left above zero.
    fn into_tally(self) -> SkillTally {
        SkillTally {
            postings: self.postings.max(0) as u64,
            slugs: self
                .slugs
                .into_iter()
                .filter(|(_, count)| *count > 0)
                .map(|(slug, count)| (slug, count as u64))
                .collect(),
        }
    }
}

/// A skill's postings and the spelling most of them use.
struct SkillGroup {
    postings: u64,
    spelling: String,
    spelling_postings: u64,
}

impl SkillTally {
    /// Counts each posting's technology slugs, one spelling per skill.
    pub fn of_postings(postings: &[Vec<String>]) -> SkillTally {
        let mut tally = SignedTally::default();
        for slugs in postings {
            tally.add_posting(slugs, 1);
        }
        tally.into_tally()
    }

    /// The spellings grouped by the skill they name (`skill_identity`), each named by its most
    /// counted spelling (ties: the first in alphabetical order).
    fn skills(&self) -> HashMap<String, SkillGroup> {
        let mut groups: HashMap<String, SkillGroup> = HashMap::new();
        for (slug, &count) in &self.slugs {
            let group = groups
                .entry(super::postings::skill_identity(slug))
                .or_insert_with(|| SkillGroup {
                    postings: 0,
                    spelling: slug.clone(),
                    spelling_postings: 0,
                });
            group.postings += count;
            let better = count > group.spelling_postings
                || (count == group.spelling_postings && *slug < group.spelling);
            if better {
                group.spelling = slug.clone();
                group.spelling_postings = count;
            }
        }
        groups
    }
}

/// The skills of the postings for `role` scraped within `days`: those whose search keywords
/// equal the role (any case), from the rollups and the window's partial first day; or, when
/// there are none, those whose title contains it, counted from the postings.
pub async fn role_skills(
    conn: &DatabaseConnection,
    role: &str,
    days: i64,
    now: DateTime<Utc>,
) -> Result<SkillTally, DbErr> {
    let role_key = role.trim().to_lowercase();
    let since = now - Duration::days(days);
    let plan = window::plan(since);
    let (partial_day, summed) = window::in_snapshot(conn, async |txn| {
        let (from, until) = (plan.postings_from, plan.postings_until);
        let partial_day = window::role_slugs(txn, &role_key, from, until).await?;
        Ok((
            partial_day,
            window::summed(txn, &role_key, &plan.cover).await?,
        ))
    })
    .await?;
    let mut tally = SignedTally::default();
    for posting in &partial_day {
        tally.add_posting(posting, plan.postings_sign);
    }
    for summed in summed {
        match summed.dimension.as_str() {
            "role" => tally.postings += summed.postings,
            _ => *tally.slugs.entry(summed.key).or_default() += summed.postings,
        }
    }
    if tally.postings > 0 {
        return Ok(tally.into_tally());
    }
    Ok(SkillTally::of_postings(
        &postings_with_title(conn, &role_key, since).await?,
    ))
}

/// The same answer as [`role_skills`], counted from every posting in the window: the
/// reference the rollups are tested against.
pub async fn role_skills_recount(
    conn: &impl ConnectionTrait,
    role: &str,
    days: i64,
    now: DateTime<Utc>,
) -> Result<SkillTally, DbErr> {
    use job_posting::Column;
    let role_key = role.trim().to_lowercase();
    let since = now - Duration::days(days);
    let by_keywords: Vec<StringList> = job_posting::Entity::find()
        .select_only()
        .column(Column::TechnologySlugs)
        .filter(Column::SearchKeywordsKey.eq(role_key.as_str()))
        .filter(Column::ScrapedAt.gte(since))
        .into_tuple()
        .all(conn)
        .await?;
    if !by_keywords.is_empty() {
        let postings: Vec<Vec<String>> = by_keywords.into_iter().map(|list| list.0).collect();
        return Ok(SkillTally::of_postings(&postings));
    }
    Ok(SkillTally::of_postings(
        &postings_with_title(conn, &role_key, since).await?,
    ))
}

/// The technology slugs of the postings since `since` whose title contains `role_key` (any
/// case).
async fn postings_with_title(
    conn: &impl ConnectionTrait,
    role_key: &str,
    since: DateTime<Utc>,
) -> Result<Vec<Vec<String>>, DbErr> {
    use job_posting::Column;
    let by_title: Vec<(String, StringList)> = job_posting::Entity::find()
        .select_only()
        .columns([Column::Title, Column::TechnologySlugs])
        .filter(Column::ScrapedAt.gte(since))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(by_title
        .into_iter()
        .filter(|(title, _)| title.to_lowercase().contains(role_key))
        .map(|(_, skills)| skills.0)
        .collect())
}

/// The gap between a user's skills and what the role's postings ask for.
pub fn gap_analysis(
    role: &str,
    tally: &SkillTally,
    user_skills: &[String],
    threshold: f64,
) -> Result<GapAnalysis, NoGapData> {
    let total = tally.postings;
    if total == 0 {
        return Err(NoGapData::NoPostings);
    }
    let groups = tally.skills();
    // Each skill under its spelling, ranked by its postings (ties by spelling, as trending).
    let identity_of: HashMap<&str, &str> = groups
        .iter()
        .map(|(identity, group)| (group.spelling.as_str(), identity.as_str()))
        .collect();
    let user: Vec<String> = super::postings::normalize_skills(user_skills);
    let required: Vec<RequiredSkill> = ranked(
        groups
            .values()
            .map(|group| (group.spelling.clone(), group.postings))
            .collect(),
        usize::MAX,
    )
    .into_iter()
    .map(|(spelling, count)| (spelling, percentage(count, total)))
    .filter(|(_, share)| *share >= threshold * 100.0)
    .map(|(spelling, required_percentage)| RequiredSkill {
        user_has: user
            .iter()
            .any(|skill| skill == identity_of[spelling.as_str()]),
        name: crate::skills::taxonomy()
            .lookup(&spelling)
            .map_or_else(|| spelling.clone(), |s| s.name.clone()),
        skill: spelling,
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
            &SkillTally::of_postings(&postings),
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
    fn a_skill_is_named_by_its_most_used_spelling_and_counted_once_per_posting() {
        let postings = vec![
            skills(&["Kubernetes", "aws"]),
            skills(&["kubernetes", "k8s"]),
            skills(&["k8s"]),
            skills(&["kubernetes", "amazon-web-services"]),
        ];
        let result = gap_analysis(
            "SRE",
            &SkillTally::of_postings(&postings),
            &skills(&["K8S"]),
            0.1,
        )
        .unwrap();
        let required: Vec<(&str, &str, f64, bool)> = result
            .required_skills
            .iter()
            .map(|s| {
                (
                    s.skill.as_str(),
                    s.name.as_str(),
                    s.required_percentage,
                    s.user_has,
                )
            })
            .collect();
        assert_eq!(
            required,
            vec![
                ("kubernetes", "Kubernetes", 100.0, true),
                ("amazon-web-services", "Amazon Web Services", 50.0, false),
            ]
        );
        assert_eq!(result.missing_skills, ["amazon-web-services"]);
    }

    #[test]
    fn no_postings_and_no_skill_over_the_threshold_are_told_apart() {
        assert_eq!(
            gap_analysis("X", &SkillTally::default(), &[], 0.25),
            Err(NoGapData::NoPostings)
        );
        let postings = vec![skills(&["a"]), skills(&["b"]), skills(&["c"])];
        assert_eq!(
            gap_analysis("X", &SkillTally::of_postings(&postings), &[], 0.5),
            Err(NoGapData::NoSkillOverThreshold { postings: 3 })
        );
    }
}

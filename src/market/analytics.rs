//! Market trends and skill gaps as Career Navigator's contract defines them, counted from the
//! postings in the window. These are exact recounts; they are also the reference any later
//! pre-aggregation must agree with.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use super::job_posting;
use super::rollups::{self, Dimension, Summed, Tally, TrendFields};
use crate::accounts::user::StringList;

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SkillCount {
    pub skill: String,
    pub count: u64,
    pub percentage: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct LocationCount {
    pub location: String,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TechnologyCount {
    pub technology: String,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SalaryTrend {
    pub location: String,
    pub avg_min: f64,
    pub avg_max: f64,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct RemoteCount {
    pub remote: bool,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
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

/// What trending reads of one posting, as stored.
type TrendRow = (StringList, String, Option<i64>, Option<i64>, Option<bool>);

/// `GET /market/trending` over the postings scraped within `days`: the window's whole days from
/// the daily rollups, its first partial day from the postings.
pub async fn trending(
    conn: &impl ConnectionTrait,
    days: i64,
    skills_limit: usize,
    locations_limit: usize,
    now: DateTime<Utc>,
) -> Result<Trending, DbErr> {
    let since = now - Duration::days(days);
    let first_day = rollups::day_of(since);
    let dimensions = [
        Dimension::Total,
        Dimension::Technology,
        Dimension::Location,
        Dimension::Remote,
    ];
    // Two independent reads: on a pool they run on two connections at once.
    let (partial, summed) = futures::try_join!(
        rollups::partial_day(conn, since, rollups::start_of_day(first_day + 1)),
        rollups::summed_after(conn, &dimensions, "", first_day),
    )?;
    let mut counts = TrendCounts::default();
    for posting in &partial {
        counts.add_posting(posting);
    }
    for summed in summed {
        counts.add_summed(summed);
    }
    Ok(counts.finish(days, skills_limit, locations_limit, now))
}

/// The same answer as [`trending`], counted from every posting in the window: the reference
/// the rollups are tested against.
pub async fn trending_recount(
    conn: &impl ConnectionTrait,
    days: i64,
    skills_limit: usize,
    locations_limit: usize,
    now: DateTime<Utc>,
) -> Result<Trending, DbErr> {
    let mut counts = TrendCounts::default();
    for (slugs, location, min, max, remote) in trend_rows(conn, now - Duration::days(days)).await? {
        counts.add_posting(&(slugs.0, location, min, max, remote));
    }
    Ok(counts.finish(days, skills_limit, locations_limit, now))
}

/// The postings scraped from `since`.
async fn trend_rows(
    conn: &impl ConnectionTrait,
    since: DateTime<Utc>,
) -> Result<Vec<TrendRow>, DbErr> {
    use job_posting::Column;
    job_posting::Entity::find()
        .select_only()
        .columns([
            Column::TechnologySlugs,
            Column::Location,
            Column::MinAnnualSalaryUsd,
            Column::MaxAnnualSalaryUsd,
            Column::Remote,
        ])
        .filter(Column::ScrapedAt.gte(since))
        .into_tuple()
        .all(conn)
        .await
}

/// Trending's counters, fed by postings or by rollup sums.
#[derive(Default)]
struct TrendCounts {
    total: u64,
    technologies: HashMap<String, u64>,
    /// Postings and salary sums by location ("" for none: counted in salaries only).
    locations: HashMap<String, Tally>,
    remote: u64,
    onsite: u64,
}

impl TrendCounts {
    fn add_posting(&mut self, (slugs, location, min, max, remote): &TrendFields) {
        self.total += 1;
        self.add_technologies(slugs);
        let entry = self.locations.entry(location.clone()).or_default();
        entry.postings += 1;
        if let (Some(min), Some(max)) = (min, max) {
            entry.salary_count += 1;
            entry.salary_min_sum += min;
            entry.salary_max_sum += max;
        }
        match remote {
            Some(true) => self.remote += 1,
            Some(false) => self.onsite += 1,
            None => {}
        }
    }

    /// One posting's technologies, each counted once.
    fn add_technologies(&mut self, slugs: &[String]) {
        for key in rollups::technology_keys(slugs) {
            *self.technologies.entry(key.into_owned()).or_default() += 1;
        }
    }

    fn add_summed(&mut self, summed: Summed) {
        let postings = summed.postings.max(0) as u64;
        match summed.dimension.as_str() {
            "total" => self.total += postings,
            "technology" => *self.technologies.entry(summed.key).or_default() += postings,
            "location" => {
                let entry = self.locations.entry(summed.key).or_default();
                entry.postings += summed.postings;
                entry.salary_count += summed.salary_count;
                entry.salary_min_sum += summed.salary_min_sum;
                entry.salary_max_sum += summed.salary_max_sum;
            }
            "remote" if summed.key == "true" => self.remote += postings,
            "remote" => self.onsite += postings,
            _ => {}
        }
    }

    fn finish(
        self,
        days: i64,
        skills_limit: usize,
        locations_limit: usize,
        now: DateTime<Utc>,
    ) -> Trending {
        let total = self.total;
        let ranked_technologies = ranked(self.technologies.into_iter().collect(), skills_limit);
        let mut salary_trends: Vec<SalaryTrend> = self
            .locations
            .iter()
            .filter(|(_, tally)| tally.salary_count > 0)
            .map(|(location, tally)| SalaryTrend {
                location: location.clone(),
                avg_min: round2(tally.salary_min_sum as f64 / tally.salary_count as f64),
                avg_max: round2(tally.salary_max_sum as f64 / tally.salary_count as f64),
                count: tally.salary_count as u64,
            })
            .collect();
        salary_trends.sort_by(|a, b| {
            b.avg_max
                .total_cmp(&a.avg_max)
                .then_with(|| a.location.cmp(&b.location))
        });
        salary_trends.truncate(locations_limit);
        let located: Vec<(String, u64)> = self
            .locations
            .into_iter()
            .filter(|(location, tally)| !location.is_empty() && tally.postings > 0)
            .map(|(location, tally)| (location, tally.postings as u64))
            .collect();
        let mut remote_distribution: Vec<RemoteCount> = [(true, self.remote), (false, self.onsite)]
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(remote, count)| RemoteCount { remote, count })
            .collect();
        remote_distribution.sort_by(|a, b| b.count.cmp(&a.count).then(b.remote.cmp(&a.remote)));
        Trending {
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
            top_locations: ranked(located, locations_limit)
                .into_iter()
                .map(|(location, count)| LocationCount { location, count })
                .collect(),
            salary_trends,
            remote_distribution,
            total_jobs_analyzed: total,
            generated_at: now,
            window_days: days,
        }
    }
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

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct RequiredSkill {
    pub skill: String,
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

/// How many of a role's postings name each skill.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SkillTally {
    pub postings: u64,
    pub skills: HashMap<String, u64>,
}

impl SkillTally {
    /// Counts each posting's skills once.
    pub fn of_postings(postings: &[Vec<String>]) -> SkillTally {
        let mut tally = SkillTally::default();
        for skills in postings {
            tally.add_posting(skills);
        }
        tally
    }

    fn add_posting(&mut self, skills: &[String]) {
        self.postings += 1;
        let mut seen: Vec<&str> = Vec::with_capacity(skills.len());
        for skill in skills {
            if !seen.contains(&skill.as_str()) {
                seen.push(skill);
                *self.skills.entry(skill.clone()).or_default() += 1;
            }
        }
    }
}

/// The skills of the postings for `role` scraped within `days`: those whose search keywords
/// equal the role (any case), from the rollups and the window's partial first day; or, when
/// there are none, those whose title contains it, counted from the postings.
pub async fn role_skills(
    conn: &impl ConnectionTrait,
    role: &str,
    days: i64,
    now: DateTime<Utc>,
) -> Result<SkillTally, DbErr> {
    let role_key = role.trim().to_lowercase();
    let since = now - Duration::days(days);
    let first_day = rollups::day_of(since);
    let until = rollups::start_of_day(first_day + 1);
    let partial_day = rollups::partial_day_role_skills(conn, &role_key, since, until).await?;
    let mut tally = SkillTally::default();
    for skills in &partial_day {
        tally.add_posting(skills);
    }
    let dimensions = [Dimension::Role, Dimension::RoleSkill];
    for summed in rollups::summed_after(conn, &dimensions, &role_key, first_day).await? {
        let postings = summed.postings.max(0) as u64;
        match summed.dimension.as_str() {
            "role" => tally.postings += postings,
            _ => *tally.skills.entry(summed.key).or_default() += postings,
        }
    }
    if tally.postings > 0 {
        return Ok(tally);
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
        .column(Column::Skills)
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

/// The skills of the postings since `since` whose title contains `role_key` (any case).
async fn postings_with_title(
    conn: &impl ConnectionTrait,
    role_key: &str,
    since: DateTime<Utc>,
) -> Result<Vec<Vec<String>>, DbErr> {
    use job_posting::Column;
    let by_title: Vec<(String, StringList)> = job_posting::Entity::find()
        .select_only()
        .columns([Column::Title, Column::Skills])
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
    let counts = &tally.skills;
    let user: Vec<String> = super::postings::normalize_skills(user_skills);
    let required: Vec<RequiredSkill> = ranked(
        counts.iter().map(|(s, c)| (s.clone(), *c)).collect(),
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

    #[test]
    fn percentages_round_to_two_places() {
        assert_eq!(percentage(1, 3), 33.33);
        assert_eq!(percentage(2, 3), 66.67);
        assert_eq!(percentage(0, 0), 0.0);
    }
}

//! Market trends and skill gaps as Career Navigator's contract defines them, counted from the
//! postings in the window. These are exact recounts; they are also the reference any later
//! pre-aggregation must agree with.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::job_posting;
use super::rollups::{self, Tally};
use super::window::{self, Summed, TrendFields};
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

/// `GET /market/trending` over the postings scraped within `days`: the rollup buckets that cover
/// the window and part of its first quarter-day from the postings (`window::plan_by_quarter`).
pub async fn trending(
    conn: &DatabaseConnection,
    days: i64,
    skills_limit: usize,
    locations_limit: usize,
    now: DateTime<Utc>,
) -> Result<Trending, DbErr> {
    let plan = window::plan_by_quarter(now - Duration::days(days));
    let (partial, summed) = window::in_snapshot(conn, async |txn| {
        let partial = window::trend_fields(txn, plan.postings_from, plan.postings_until).await?;
        Ok((partial, window::summed(txn, "", &plan.cover).await?))
    })
    .await?;
    let mut counts = TrendCounts::default();
    for posting in &partial {
        counts.add_posting(posting, plan.postings_sign);
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
        counts.add_posting(&(slugs.0, location, min, max, remote), 1);
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

/// Trending's counters, fed by postings (counted in or out) or by rollup sums; signed, since a
/// window's first day may be a day's rollups less its postings before the window.
#[derive(Default)]
struct TrendCounts {
    total: i64,
    technologies: HashMap<String, i64>,
    /// Postings and salary sums by location ("" for none: counted in salaries only).
    locations: HashMap<String, Tally>,
    remote: i64,
    onsite: i64,
}

impl TrendCounts {
    fn add_posting(&mut self, (slugs, location, min, max, remote): &TrendFields, sign: i64) {
        self.total += sign;
        for key in rollups::technology_keys(slugs) {
            *self.technologies.entry(key.into_owned()).or_default() += sign;
        }
        let entry = self.locations.entry(location.clone()).or_default();
        entry.postings += sign;
        if let (Some(min), Some(max)) = (min, max) {
            entry.salary_count += sign;
            entry.salary_min_sum += sign * min;
            entry.salary_max_sum += sign * max;
        }
        match remote {
            Some(true) => self.remote += sign,
            Some(false) => self.onsite += sign,
            None => {}
        }
    }

    fn add_summed(&mut self, summed: Summed) {
        let postings = summed.postings;
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
        let total = self.total.max(0) as u64;
        let technologies = self
            .technologies
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(technology, count)| (technology, count as u64))
            .collect();
        let ranked_technologies = ranked(technologies, skills_limit);
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
            .map(|(remote, count)| RemoteCount {
                remote,
                count: count as u64,
            })
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
pub(super) fn ranked(mut counts: Vec<(String, u64)>, limit: usize) -> Vec<(String, u64)> {
    counts.sort_by(|(a_name, a), (b_name, b)| b.cmp(a).then_with(|| a_name.cmp(b_name)));
    counts.truncate(limit);
    counts
}

pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

pub(super) fn percentage(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        round2(count as f64 / total as f64 * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_two_places() {
        assert_eq!(percentage(1, 3), 33.33);
        assert_eq!(percentage(2, 3), 66.67);
        assert_eq!(percentage(0, 0), 0.0);
    }
}

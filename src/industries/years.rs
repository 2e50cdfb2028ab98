//! Years of experience per industry from a work history. Each experience becomes a period
//! (current roles run to today, a month or year end date runs to that month's or year's end);
//! the periods of one industry are merged where they overlap or touch, so two overlapping jobs in
//! fintech count once; the merged days make the years.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ResolvedBy, resolve};
use crate::dates::{PartialDate, Precision};

/// What the computation needs of one work experience.
#[derive(Clone, Debug)]
pub struct Experience {
    pub id: i64,
    pub company: String,
    pub job_title: String,
    pub start: PartialDate,
    pub end: Option<PartialDate>,
    pub is_current: bool,
}

/// A stretch of days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Period {
    #[schema(value_type = String, format = Date)]
    pub start: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub end: NaiveDate,
}

/// One experience as the computation saw it.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ResolvedExperience {
    pub id: i64,
    pub industry: Option<&'static str>,
    pub resolved_by: ResolvedBy,
    /// The period counted, or none for an experience that has not started yet.
    pub period: Option<Period>,
    /// A year-only date makes the period approximate.
    pub approximate: bool,
}

/// The years in one industry and the merged periods behind them.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct IndustryYears {
    pub industry: &'static str,
    pub years: f64,
    pub approximate: bool,
    pub periods: Vec<Period>,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Breakdown {
    pub experiences: Vec<ResolvedExperience>,
    pub industries: Vec<IndustryYears>,
}

impl Breakdown {
    /// `{"fintech": 2.5, …}`: the map the Breneo frontend stores (unknown industries omitted).
    pub fn industry_years_json(&self) -> serde_json::Map<String, serde_json::Value> {
        self.industries
            .iter()
            .map(|entry| (entry.industry.to_owned(), serde_json::json!(entry.years)))
            .collect()
    }
}

/// Resolves each experience's industry and sums the merged periods per industry.
pub fn compute(experiences: &[Experience], today: NaiveDate) -> Breakdown {
    let mut by_industry: BTreeMap<&'static str, (Vec<Period>, bool)> = BTreeMap::new();
    let resolved = experiences
        .iter()
        .map(|experience| {
            let (industry, resolved_by) = resolve(&experience.company, &experience.job_title);
            let approximate = is_approximate(experience);
            let period = period_of(experience, today);
            if let (Some(industry), Some(period)) = (industry, period) {
                let entry = by_industry.entry(industry).or_default();
                entry.0.push(period);
                entry.1 |= approximate;
            }
            ResolvedExperience {
                id: experience.id,
                industry,
                resolved_by,
                period,
                approximate,
            }
        })
        .collect();
    let industries = by_industry
        .into_iter()
        .map(|(industry, (periods, approximate))| {
            let periods = merge(periods);
            IndustryYears {
                industry,
                years: years_in(&periods),
                approximate,
                periods,
            }
        })
        .collect();
    Breakdown {
        experiences: resolved,
        industries,
    }
}

fn is_approximate(experience: &Experience) -> bool {
    experience.start.precision == Precision::Year
        || experience
            .end
            .is_some_and(|end| end.precision == Precision::Year)
}

/// The days an experience covers up to today: a current role runs to today; an ended one to the
/// last day its end date can mean; one without an end (and not current) covers its start
/// date's own span. A role that starts in the future counts nothing yet.
pub fn period_of(experience: &Experience, today: NaiveDate) -> Option<Period> {
    let start = experience.start.date;
    let end = if experience.is_current {
        today
    } else {
        experience.end.unwrap_or(experience.start).last_day()
    };
    let end = end.min(today);
    (start <= end).then_some(Period { start, end })
}

/// Sorts periods and joins those that overlap or touch (one ends the day before the next starts).
pub fn merge(mut periods: Vec<Period>) -> Vec<Period> {
    periods.sort_by_key(|period| period.start);
    let mut merged: Vec<Period> = Vec::with_capacity(periods.len());
    for period in periods {
        match merged.last_mut() {
            Some(last) if period.start <= last.end.succ_opt().unwrap_or(last.end) => {
                last.end = last.end.max(period.end);
            }
            _ => merged.push(period),
        }
    }
    merged
}

/// Whole days covered, as years of 365.25 days, to two decimals.
pub fn years_in(periods: &[Period]) -> f64 {
    let days: i64 = periods
        .iter()
        .map(|p| (p.end - p.start).num_days() + 1)
        .sum();
    (days as f64 / 365.25 * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(raw: &str) -> PartialDate {
        PartialDate::parse(raw).unwrap()
    }

    fn job(id: i64, company: &str, start: &str, end: Option<&str>) -> Experience {
        Experience {
            id,
            company: company.into(),
            job_title: "Software Engineer".into(),
            start: date(start),
            end: end.map(date),
            is_current: false,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn years(breakdown: &Breakdown, industry: &str) -> Option<f64> {
        breakdown
            .industries
            .iter()
            .find(|e| e.industry == industry)
            .map(|e| e.years)
    }

    #[test]
    fn overlapping_periods_in_one_industry_count_once() {
        let history = [
            job(1, "Stripe", "2020-01-01", Some("2021-12-31")),
            job(2, "Revolut", "2021-01-01", Some("2022-12-31")),
        ];
        let breakdown = compute(&history, today());
        let fintech = &breakdown.industries[0];
        assert_eq!(
            fintech.periods,
            vec![Period {
                start: date("2020-01-01").date,
                end: date("2022-12-31").date
            }]
        );
        assert_eq!(fintech.years, 3.0);
    }

    #[test]
    fn touching_periods_merge_and_a_gap_does_not() {
        let touching = [
            job(1, "Stripe", "2020-01", Some("2020-12")),
            job(2, "Wise", "2021-01", Some("2021-06")),
        ];
        assert_eq!(compute(&touching, today()).industries[0].periods.len(), 1);
        let gap = [
            job(1, "Stripe", "2020-01", Some("2020-11")),
            job(2, "Wise", "2021-01", Some("2021-06")),
        ];
        let breakdown = compute(&gap, today());
        assert_eq!(breakdown.industries[0].periods.len(), 2);
        assert_eq!(years(&breakdown, "fintech"), Some(1.41));
    }

    #[test]
    fn a_nested_period_adds_nothing() {
        let history = [
            job(1, "Stripe", "2018-01-01", Some("2021-12-31")),
            job(2, "Adyen", "2019-03", Some("2019-09")),
        ];
        assert_eq!(years(&compute(&history, today()), "fintech"), Some(4.0));
    }

    #[test]
    fn a_current_role_runs_to_today_and_a_future_one_counts_nothing() {
        let mut current = job(1, "Netflix", "2025-11-22", None);
        current.is_current = true;
        let future = job(2, "Spotify", "2027-01", None);
        let breakdown = compute(&[current, future], today());
        assert_eq!(years(&breakdown, "media-entertainment"), Some(1.0));
        assert_eq!(breakdown.experiences[1].period, None);
    }

    #[test]
    fn year_only_dates_are_marked_approximate() {
        let breakdown = compute(&[job(1, "Pfizer", "2019", Some("2020"))], today());
        assert_eq!(years(&breakdown, "pharma"), Some(2.0));
        assert!(breakdown.industries[0].approximate && breakdown.experiences[0].approximate);
        let exact = compute(&[job(1, "Pfizer", "2019-01", Some("2020-12"))], today());
        assert!(!exact.industries[0].approximate);
    }

    #[test]
    fn unknown_companies_fall_back_to_the_title_or_count_nowhere() {
        let mut game = job(1, "Tiny Studio", "2020-01", Some("2020-12"));
        game.job_title = "Game Programmer".into();
        let unknown = job(2, "Tiny Studio", "2021-01", Some("2021-12"));
        let breakdown = compute(&[game, unknown], today());
        assert_eq!(breakdown.experiences[0].resolved_by, ResolvedBy::Title);
        assert_eq!(breakdown.experiences[1].resolved_by, ResolvedBy::Unknown);
        assert_eq!(breakdown.industries.len(), 1);
        assert_eq!(
            breakdown.industry_years_json(),
            serde_json::json!({"gaming": 1.0})
                .as_object()
                .unwrap()
                .clone()
        );
    }
}

//! Dates as people write them in a CV: a day (`2024-03-15`), a month (`2024-03`) or a year
//! (`2024`). The precision is kept, shown back as given, and marks year-only periods as approximate.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, SubsecRound, Utc};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(5))")]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    #[sea_orm(string_value = "day")]
    Day,
    #[sea_orm(string_value = "month")]
    Month,
    #[sea_orm(string_value = "year")]
    Year,
}

/// A date known to a day, a month or a year; `date` is the first day it could mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialDate {
    pub date: NaiveDate,
    pub precision: Precision,
}

pub const DATE_FORMAT_ERROR: &str =
    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD, YYYY-MM, YYYY.";

impl PartialDate {
    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (years 1900–2100).
    pub fn parse(raw: &str) -> Option<PartialDate> {
        let raw = raw.trim();
        let parts: Vec<&str> = raw.split('-').collect();
        let number = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let year = number(parts.first()?, 4)?;
        if !(1900..=2100).contains(&year) {
            return None;
        }
        let year = i32::try_from(year).ok()?;
        let (date, precision) = match parts[..] {
            [_] => (NaiveDate::from_ymd_opt(year, 1, 1)?, Precision::Year),
            [_, month] => (
                NaiveDate::from_ymd_opt(year, number(month, 2)?, 1)?,
                Precision::Month,
            ),
            [_, month, day] => (
                NaiveDate::from_ymd_opt(year, number(month, 2)?, number(day, 2)?)?,
                Precision::Day,
            ),
            _ => return None,
        };
        Some(PartialDate { date, precision })
    }

    pub fn new(date: NaiveDate, precision: Precision) -> PartialDate {
        PartialDate { date, precision }
    }

    /// A stored optional date and its precision (a day when the precision is missing).
    pub fn optional(date: Option<NaiveDate>, precision: Option<Precision>) -> Option<PartialDate> {
        date.map(|date| PartialDate::new(date, precision.unwrap_or(Precision::Day)))
    }

    /// The last day this date could mean (the month's or the year's end for coarser ones).
    pub fn last_day(&self) -> NaiveDate {
        match self.precision {
            Precision::Day => self.date,
            Precision::Month => {
                let (year, month) = (self.date.year(), self.date.month());
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)
                };
                next.and_then(|d| d.pred_opt()).unwrap_or(self.date)
            }
            Precision::Year => {
                NaiveDate::from_ymd_opt(self.date.year(), 12, 31).unwrap_or(self.date)
            }
        }
    }

    /// As the user gave it: `2024-03-15`, `2024-03` or `2024`.
    pub fn format(&self) -> String {
        match self.precision {
            Precision::Day => self.date.format("%Y-%m-%d").to_string(),
            Precision::Month => self.date.format("%Y-%m").to_string(),
            Precision::Year => self.date.format("%Y").to_string(),
        }
    }
}

/// An ISO 8601 timestamp with any offset (`2026-02-10T12:00:00.000Z`), or without one (taken as
/// UTC, as Django writes them with `USE_TZ = False`), truncated to microseconds as stored.
pub fn parse_timestamp(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let parsed = DateTime::parse_from_rfc3339(raw)
        .map(|dt| dt.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").map(|n| n.and_utc())
        })
        .ok()?;
    Some(parsed.trunc_subsecs(6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_months_and_years_parse_and_format_back() {
        for raw in ["2024-03-15", "2024-03", "2024"] {
            assert_eq!(PartialDate::parse(raw).unwrap().format(), raw);
        }
        assert_eq!(
            PartialDate::parse("2024-02")
                .unwrap()
                .last_day()
                .to_string(),
            "2024-02-29"
        );
        assert_eq!(
            PartialDate::parse("2023-12")
                .unwrap()
                .last_day()
                .to_string(),
            "2023-12-31"
        );
        assert_eq!(
            PartialDate::parse("2021").unwrap().last_day().to_string(),
            "2021-12-31"
        );
    }

    #[test]
    fn malformed_dates_are_refused() {
        for raw in [
            "",
            "24-03-15",
            "2024-3-15",
            "2024-13",
            "2024-02-30",
            "15/03/2024",
            "1850",
            "2024-03-15T00:00:00",
            "abcd",
        ] {
            assert!(PartialDate::parse(raw).is_none(), "{raw}");
        }
    }

    #[test]
    fn timestamps_with_or_without_an_offset_are_utc() {
        assert_eq!(
            parse_timestamp("2026-11-22T02:54:06.835Z")
                .unwrap()
                .to_rfc3339(),
            "2026-11-22T02:54:06.835+00:00"
        );
        assert_eq!(
            parse_timestamp("2026-02-10T14:00:00+02:00")
                .unwrap()
                .to_rfc3339(),
            "2026-02-10T12:00:00+00:00"
        );
        assert_eq!(
            parse_timestamp("2024-01-15T10:00:00").unwrap().to_rfc3339(),
            "2024-01-15T10:00:00+00:00"
        );
        assert!(parse_timestamp("yesterday").is_none());
    }
}

//! Reading a window of the market rollups: `scraped_at >= since`, for any `since`.
//!
//! The rollups keep each day's counts three times over, in buckets of 1, 8 and 64 days
//! ([`SPANS`], aligned to day 0). A window is covered by a handful of signed buckets instead of
//! one bucket per day: from its first whole day, single days up to the next 8-day boundary (or
//! the 8-day bucket minus the days before the window, whichever reads fewer), then 8-day buckets
//! up to the next 64-day boundary (likewise), then every 64-day bucket from there on. A year is
//! at most 4 + 4 + 6 buckets of a few hundred rows each, where it used to be 365.
//!
//! The window's first, partial day is counted from the postings themselves, so the answer stays
//! exact: either the part of that day inside the window is added, or, when that part is the
//! larger, the whole day comes from the rollups and the part before the window is taken away.
//! Trending's dimensions are kept by quarter of a day (6 hours) as well, so trending reads at
//! most 3 hours of postings ([`plan_by_quarter`]); the gap analysis's, by role, only by day
//! ([`plan`]: at most half a day). Postings are read through an index that holds what these
//! reads take of them (see the `market_counts` migration).

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement, Value,
};

use super::rollups::{day_of, placeholder, quarter_of, start_of_day, start_of_quarter};

/// The bucket sizes, in days, finest first; each a multiple of the one before it.
pub const SPANS: [i32; 3] = [1, 8, 64];

/// The `span` of a quarter-day bucket, whose `day` column holds the quarter's number (four a
/// day, counted like days from 1970-01-01 00:00 UTC). Kept for trending's dimensions only.
pub const QUARTER: i32 = 0;

/// Quarter-day buckets in a day.
pub const QUARTERS_PER_DAY: i32 = 4;

/// The first day of the `span`-day bucket holding `day`.
pub fn bucket_start(day: i32, span: i32) -> i32 {
    day - day.rem_euclid(span)
}

/// Which rollup buckets add up to every day from a first day on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cover {
    /// `(span, first day, sign)`: buckets to add (1) or take away (-1); for a [`QUARTER`]
    /// bucket, `(QUARTER, quarter number, sign)`.
    pub buckets: Vec<(i32, i32, i32)>,
    /// Every bucket of the largest span starting on or after this day is added too.
    pub largest_from: i32,
}

/// The buckets whose signed sum counts every day from `first` on (days after today included:
/// a posting dated in the future is in every window, as in a recount).
pub fn cover(first: i32) -> Cover {
    let mut buckets = Vec::new();
    let mut position = first;
    for pair in SPANS.windows(2) {
        let (span, next) = (pair[0], pair[1]);
        let boundary = bucket_start(position + next - 1, next);
        let ahead = (boundary - position) / span;
        if ahead == 0 {
            continue;
        }
        let behind = next / span - ahead;
        if ahead <= behind {
            buckets.extend((0..ahead).map(|n| (span, position + n * span, 1)));
            position = boundary;
        } else {
            let start = boundary - next;
            buckets.extend((0..behind).map(|n| (span, start + n * span, -1)));
            position = start;
        }
    }
    Cover {
        buckets,
        largest_from: position,
    }
}

/// How to count a window from `since`: the postings of part of its first day, with a sign,
/// and the rollup buckets for the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// Postings scraped in `[from, until)`...
    pub postings_from: DateTime<Utc>,
    pub postings_until: DateTime<Utc>,
    /// ...counted in (1) or out (-1).
    pub postings_sign: i64,
    pub cover: Cover,
}

/// Plans the count of the postings scraped at or after `since` from day buckets and at most
/// half a day of postings (the gap analysis: its rollups are kept by day, not by quarter).
pub fn plan(since: DateTime<Utc>) -> Window {
    let day = day_of(since);
    let (midnight, next_midnight) = (start_of_day(day), start_of_day(day + 1));
    if since - midnight <= next_midnight - since {
        // Most of the first day is inside: the whole day, less what is before `since`.
        Window {
            postings_from: midnight,
            postings_until: since,
            postings_sign: -1,
            cover: cover(day),
        }
    } else {
        Window {
            postings_from: since,
            postings_until: next_midnight,
            postings_sign: 1,
            cover: cover(day + 1),
        }
    }
}

/// Plans the count of the postings scraped at or after `since` for trending, whose rollups are
/// kept by quarter of a day too: at most 3 hours of postings (the smaller side of `since`'s
/// quarter), at most 2 quarter buckets (to or from the nearer end of the day), then day buckets.
pub fn plan_by_quarter(since: DateTime<Utc>) -> Window {
    let quarter = quarter_of(since);
    let (start, end) = (start_of_quarter(quarter), start_of_quarter(quarter + 1));
    // `boundary`: the first quarter counted whole from the buckets.
    let (postings_from, postings_until, postings_sign, boundary) = if since - start <= end - since {
        (start, since, -1, quarter)
    } else {
        (since, end, 1, quarter + 1)
    };
    let day = boundary.div_euclid(QUARTERS_PER_DAY);
    let first_of_day = day * QUARTERS_PER_DAY;
    let before = boundary - first_of_day;
    let mut cover = if before == 0 {
        cover(day)
    } else if before <= QUARTERS_PER_DAY - before {
        // The whole day, less its quarters before the boundary.
        let mut whole = cover(day);
        whole
            .buckets
            .extend((first_of_day..boundary).map(|q| (QUARTER, q, -1)));
        whole
    } else {
        // The day's quarters from the boundary on, then the days after it.
        let mut rest = cover(day + 1);
        rest.buckets
            .extend((boundary..first_of_day + QUARTERS_PER_DAY).map(|q| (QUARTER, q, 1)));
        rest
    };
    cover.buckets.sort_unstable();
    Window {
        postings_from,
        postings_until,
        postings_sign,
        cover,
    }
}

/// Runs a window's reads in one read-only transaction. Its partial day and its buckets then
/// come from one snapshot (REPEATABLE READ on PostgreSQL; a SQLite read transaction is one
/// already), so an import committing between the two reads cannot be counted in one and not
/// the other. PostgreSQL also runs them without parallel workers: on a small host, starting
/// two workers cost more than the few milliseconds of the sums themselves (12 ms against 5 for
/// a 30-day window's buckets; docs/decisions.md).
pub async fn in_snapshot<T>(
    conn: &DatabaseConnection,
    reads: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, DbErr>,
) -> Result<T, DbErr> {
    let postgres = conn.get_database_backend() == DbBackend::Postgres;
    crate::db::in_transaction(conn, async |txn| {
        if postgres {
            // One round trip for both settings (a simple query may hold several statements).
            txn.execute_unprepared(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; \
                 SET LOCAL max_parallel_workers_per_gather = 0",
            )
            .await?;
        }
        reads(txn).await
    })
    .await
}

/// One rollup key summed over a window's buckets.
#[derive(Debug, PartialEq, Eq, serde::Deserialize)]
pub struct Summed {
    pub dimension: String,
    pub key: String,
    pub postings: i64,
    pub salary_count: i64,
    pub salary_min_sum: i64,
    pub salary_max_sum: i64,
}

/// The rollups under `role` ("" for trending's dimensions, a role key for the gap analysis's)
/// summed over `cover` by dimension and key, fetched as one JSON document; keys whose postings
/// sum to zero are left out.
pub async fn summed(
    conn: &impl ConnectionTrait,
    role: &str,
    cover: &Cover,
) -> Result<Vec<Summed>, DbErr> {
    let backend = conn.get_database_backend();
    // Bound in the order the placeholders appear: SQLite's `?` are positional.
    let mut values: Vec<Value> = Vec::with_capacity(3 + 3 * cover.buckets.len());
    let mut bind = |value: Value| {
        values.push(value);
        placeholder(backend, values.len())
    };
    let mut with = String::new();
    let mut parts: Vec<String> = Vec::with_capacity(2);
    if !cover.buckets.is_empty() {
        let buckets: Vec<String> = cover
            .buckets
            .iter()
            .map(|&(span, day, sign)| {
                format!(
                    "({}, {}, {})",
                    bind(span.into()),
                    bind(day.into()),
                    bind(sign.into())
                )
            })
            .collect();
        with = format!(
            "WITH buckets(span, day, sign) AS (VALUES {}) ",
            buckets.join(", ")
        );
        parts.push(format!(
            "SELECT c.dimension, c.key, b.sign * c.postings AS postings, \
             b.sign * c.salary_count AS salary_count, \
             b.sign * c.salary_min_sum AS salary_min_sum, \
             b.sign * c.salary_max_sum AS salary_max_sum \
             FROM buckets b JOIN market_counts c \
             ON c.role = {} AND c.span = b.span AND c.day = b.day",
            bind(role.into())
        ));
    }
    let largest = SPANS[SPANS.len() - 1];
    parts.push(format!(
        "SELECT dimension, key, postings, salary_count, salary_min_sum, salary_max_sum \
         FROM market_counts WHERE role = {} AND span = {largest} AND day >= {}",
        bind(role.into()),
        bind(cover.largest_from.into())
    ));
    // SUM of BIGINT is NUMERIC on PostgreSQL: cast back so both engines answer integers.
    let grouped = format!(
        "SELECT dimension, key, CAST(SUM(postings) AS BIGINT) AS postings, \
         CAST(SUM(salary_count) AS BIGINT) AS salary_count, \
         CAST(SUM(salary_min_sum) AS BIGINT) AS salary_min_sum, \
         CAST(SUM(salary_max_sum) AS BIGINT) AS salary_max_sum \
         FROM ({}) AS counted GROUP BY dimension, key HAVING SUM(postings) > 0",
        parts.join(" UNION ALL ")
    );
    let object = "'dimension', dimension, 'key', key, 'postings', postings, \
                  'salary_count', salary_count, 'salary_min_sum', salary_min_sum, \
                  'salary_max_sum', salary_max_sum";
    // json rather than jsonb on PostgreSQL, here and in `posting_rows`: the document is only
    // read back as text, and building jsonb (binary, its keys sorted) cost three times as much.
    let sql = match backend {
        DbBackend::Postgres => format!(
            "{with}SELECT COALESCE(json_agg(json_build_object({object})), '[]')::text \
             AS rows FROM ({grouped}) AS summed"
        ),
        _ => format!(
            "{with}SELECT json_group_array(json_object({object})) AS rows FROM ({grouped}) AS summed"
        ),
    };
    json_document(conn, Statement::from_sql_and_values(backend, sql, values)).await
}

/// What trending reads of one posting: raw technology slugs, location, salary range, remote.
pub type TrendFields = (Vec<String>, String, Option<i64>, Option<i64>, Option<bool>);

/// The trending fields of the postings scraped in `[from, until)`, fetched as one JSON
/// document: one row back instead of one per posting (SQLite hands every row across threads,
/// which at thousands of rows cost more than the query).
pub async fn trend_fields(
    conn: &impl ConnectionTrait,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<TrendFields>, DbErr> {
    let backend = conn.get_database_backend();
    let row = match backend {
        DbBackend::Postgres => {
            "json_build_array(technology_slugs, location, min_annual_salary_usd, \
             max_annual_salary_usd, remote)"
        }
        // Concatenated rather than built with json_array(): the slugs are stored JSON already.
        _ => {
            "'[' || technology_slugs || ',' || json_quote(location) || ',' || \
             COALESCE(min_annual_salary_usd, 'null') || ',' || \
             COALESCE(max_annual_salary_usd, 'null') || ',' || \
             CASE WHEN remote IS NULL THEN 'null' WHEN remote THEN 'true' ELSE 'false' END || ']'"
        }
    };
    let condition = format!(
        "scraped_at >= {} AND scraped_at < {}",
        placeholder(backend, 1),
        placeholder(backend, 2)
    );
    posting_rows(conn, row, &condition, vec![from.into(), until.into()]).await
}

/// The technology slugs of the postings searched for `role_key` and scraped in
/// `[from, until)`.
pub async fn role_slugs(
    conn: &impl ConnectionTrait,
    role_key: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Vec<String>>, DbErr> {
    let backend = conn.get_database_backend();
    let condition = format!(
        "search_keywords_key = {} AND scraped_at >= {} AND scraped_at < {}",
        placeholder(backend, 1),
        placeholder(backend, 2),
        placeholder(backend, 3)
    );
    let values = vec![role_key.into(), from.into(), until.into()];
    posting_rows(conn, "technology_slugs", &condition, values).await
}

/// `row` (a JSON expression) of every matching posting, fetched as one JSON array.
async fn posting_rows<T: serde::de::DeserializeOwned>(
    conn: &impl ConnectionTrait,
    row: &str,
    condition: &str,
    values: Vec<Value>,
) -> Result<Vec<T>, DbErr> {
    let backend = conn.get_database_backend();
    let aggregate = match backend {
        DbBackend::Postgres => format!("COALESCE(json_agg({row}), '[]')::text"),
        _ => format!("'[' || COALESCE(group_concat({row}, ','), '') || ']'"),
    };
    let sql = format!("SELECT {aggregate} AS rows FROM job_postings WHERE {condition}");
    json_document(conn, Statement::from_sql_and_values(backend, sql, values)).await
}

/// The one-column, one-row JSON answer of `statement`, decoded.
async fn json_document<T: serde::de::DeserializeOwned>(
    conn: &impl ConnectionTrait,
    statement: Statement,
) -> Result<Vec<T>, DbErr> {
    let Some(found) = conn.query_one_raw(statement).await? else {
        return Ok(Vec::new());
    };
    let text: String = found.try_get("", "rows")?;
    serde_json::from_str(&text).map_err(|err| DbErr::Custom(format!("stored JSON: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many times `cover` counts `day`.
    fn times_counted(cover: &Cover, day: i32) -> i32 {
        let largest = SPANS[SPANS.len() - 1];
        let mut times: i32 = cover
            .buckets
            .iter()
            .filter(|(span, start, _)| (*start..start + span).contains(&day))
            .map(|(_, _, sign)| sign)
            .sum();
        if bucket_start(day, largest) >= cover.largest_from {
            times += 1;
        }
        times
    }

    #[test]
    fn a_cover_counts_every_day_from_its_first_once_and_none_before() {
        for first in -130..700 {
            let cover = cover(first);
            for day in first - 140..first + 500 {
                let expected = i32::from(day >= first);
                assert_eq!(
                    times_counted(&cover, day),
                    expected,
                    "day {day} from {first}"
                );
            }
            for pair in SPANS.windows(2) {
                let at_span = cover.buckets.iter().filter(|b| b.0 == pair[0]).count();
                assert!(
                    at_span <= 4,
                    "{at_span} buckets of {} from {first}",
                    pair[0]
                );
            }
            let largest_from = cover.largest_from;
            assert!(
                (first - 72..first + 71).contains(&largest_from),
                "{largest_from} for {first}"
            );
        }
    }

    #[test]
    fn buckets_are_aligned_to_day_zero_even_before_it() {
        assert_eq!(bucket_start(17, 8), 16);
        assert_eq!(bucket_start(16, 8), 16);
        assert_eq!(bucket_start(-1, 8), -8);
        assert_eq!(bucket_start(-64, 64), -64);
    }

    /// How many times a plan counts the instant `at`: its buckets and its postings.
    fn instant_counted(window: &Window, at: DateTime<Utc>) -> i64 {
        let (day, quarter) = (day_of(at), quarter_of(at));
        let largest = SPANS[SPANS.len() - 1];
        let mut times: i64 = window
            .cover
            .buckets
            .iter()
            .filter(|&&(span, start, _)| match span {
                QUARTER => start == quarter,
                _ => (start..start + span).contains(&day),
            })
            .map(|&(_, _, sign)| i64::from(sign))
            .sum();
        if bucket_start(day, largest) >= window.cover.largest_from {
            times += 1;
        }
        if (window.postings_from..window.postings_until).contains(&at) {
            times += window.postings_sign;
        }
        times
    }

    #[test]
    fn a_quarter_plan_counts_every_instant_from_since_once_and_reads_at_most_three_hours() {
        let day = 20_000;
        for minutes in (0..2 * 24 * 60).step_by(7) {
            let since = start_of_day(day) + chrono::Duration::minutes(minutes);
            let window = plan_by_quarter(since);
            assert!(
                window.postings_until - window.postings_from <= chrono::Duration::hours(3),
                "{since}: {window:?}"
            );
            let quarters = window.cover.buckets.iter().filter(|b| b.0 == QUARTER);
            assert!(quarters.count() <= 2, "{since}: {window:?}");
            for offset in (-3 * 24 * 60..3 * 24 * 60).step_by(13) {
                let at = since + chrono::Duration::minutes(offset) + chrono::Duration::seconds(11);
                assert_eq!(
                    instant_counted(&window, at),
                    i64::from(at >= since),
                    "{at} in the window from {since}: {window:?}"
                );
            }
            assert_eq!(instant_counted(&window, since), 1, "{since}");
        }
    }

    #[test]
    fn the_first_day_is_counted_from_the_smaller_side() {
        let day = 20_000;
        let morning = start_of_day(day) + chrono::Duration::hours(3);
        let window = plan(morning);
        assert_eq!(window.postings_sign, -1);
        assert_eq!(
            (window.postings_from, window.postings_until),
            (start_of_day(day), morning)
        );
        assert_eq!(window.cover, cover(day));

        let evening = start_of_day(day) + chrono::Duration::hours(20);
        let window = plan(evening);
        assert_eq!(window.postings_sign, 1);
        assert_eq!(
            (window.postings_from, window.postings_until),
            (evening, start_of_day(day + 1))
        );
        assert_eq!(window.cover, cover(day + 1));

        let midnight = plan(start_of_day(day));
        assert_eq!(midnight.postings_from, midnight.postings_until);
    }
}

//! Market rollups: for each UTC day of `scraped_at`, how many postings named each technology,
//! each location (with salary sums), each remote answer, each role, and each spelling of each
//! skill within a role; kept again for every 8 and 64 days (`window::SPANS`). They change in
//! the same transaction as the postings they count, so trending and gap analysis read a few
//! thousand rollup rows instead of a million postings; `window` reads them.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use sea_orm::sea_query::ArrayType;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

use super::job_posting;
use super::window::{QUARTER, QUARTERS_PER_DAY, SPANS, bucket_start};

/// Rows per rollup statement: nine values each, under SQLite's 32,766 bound parameters.
const ROWS_PER_STATEMENT: usize = 2_000;
/// Rows per PostgreSQL rollup statement, sent as one array a column.
const ROWS_PER_ARRAYS: usize = 20_000;

/// The columns a rollup write sets, in the order both statements give them.
const COUNT_COLUMNS: &str =
    "span, day, dimension, role, key, postings, salary_count, salary_min_sum, salary_max_sum";

/// Adds a row's counts to those already kept under its key.
const ADD_ON_CONFLICT: &str = "ON CONFLICT (role, span, day, dimension, key) DO UPDATE SET \
    postings = market_counts.postings + excluded.postings, \
    salary_count = market_counts.salary_count + excluded.salary_count, \
    salary_min_sum = market_counts.salary_min_sum + excluded.salary_min_sum, \
    salary_max_sum = market_counts.salary_max_sum + excluded.salary_max_sum";

/// What a rollup row counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    /// Every posting; key and role empty.
    Total,
    /// A technology slug as trending shows it (trimmed, lowercase).
    Technology,
    /// A location (empty when the posting has none), with salary sums.
    Location,
    /// `true` or `false`; postings that do not say are not counted.
    Remote,
    /// The postings searched for a role (`role` is its lowercase key; key empty).
    Role,
    /// A technology slug as trending shows it, among a role's postings: one per skill and
    /// posting (the posting's first spelling of each skill, `role_slug_keys`), so a skill's
    /// postings are the sum over its spellings and its most counted spelling names it.
    RoleSlug,
}

impl Dimension {
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Total => "total",
            Dimension::Technology => "technology",
            Dimension::Location => "location",
            Dimension::Remote => "remote",
            Dimension::Role => "role",
            Dimension::RoleSlug => "role_slug",
        }
    }
}

/// Counts under one rollup key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub postings: i64,
    pub salary_count: i64,
    pub salary_min_sum: i64,
    pub salary_max_sum: i64,
}

impl Tally {
    fn add(&mut self, other: Tally, sign: i64) {
        self.postings += sign * other.postings;
        self.salary_count += sign * other.salary_count;
        self.salary_min_sum += sign * other.salary_min_sum;
        self.salary_max_sum += sign * other.salary_max_sum;
    }

    fn is_zero(&self) -> bool {
        *self == Tally::default()
    }
}

/// A rollup key, borrowing its strings from the postings being counted. Ordered so that
/// writers upsert rows in one order and never wait on each other in a cycle.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key<'a> {
    /// Days the bucket spans, one of `window::SPANS`, or `window::QUARTER`.
    span: i32,
    /// The bucket's first day (its quarter's number for a quarter).
    day: i32,
    dimension: Dimension,
    role: &'a str,
    key: Cow<'a, str>,
}

/// The UTC day number (days since 1970-01-01) of an instant.
pub fn day_of(at: DateTime<Utc>) -> i32 {
    at.timestamp().div_euclid(86_400) as i32
}

/// The number of the quarter of a UTC day (6 hours, four a day since 1970-01-01) holding an
/// instant: the `day` of a `window::QUARTER` bucket.
pub fn quarter_of(at: DateTime<Utc>) -> i32 {
    at.timestamp().div_euclid(QUARTER_SECONDS) as i32
}

/// The instant a quarter number starts.
pub fn start_of_quarter(quarter: i32) -> DateTime<Utc> {
    DateTime::from_timestamp(i64::from(quarter) * QUARTER_SECONDS, 0).unwrap_or_default()
}

const QUARTER_SECONDS: i64 = 86_400 / QUARTERS_PER_DAY as i64;

/// Midnight UTC starting a day number.
pub fn start_of_day(day: i32) -> DateTime<Utc> {
    DateTime::from_timestamp(i64::from(day) * 86_400, 0).unwrap_or_default()
}

/// A posting's technology slugs as trending counts them: trimmed, lowercase, blanks dropped,
/// each once; borrowed where a slug is already in that form, as most are.
pub fn technology_keys(slugs: &[String]) -> Vec<Cow<'_, str>> {
    let mut keys: Vec<Cow<'_, str>> = Vec::with_capacity(slugs.len());
    for slug in slugs.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let key = if slug.chars().any(char::is_uppercase) {
            Cow::Owned(slug.to_lowercase())
        } else {
            Cow::Borrowed(slug)
        };
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// A posting's technology keys with one spelling per skill: the first of each skill's spellings
/// (`k8s` and `kubernetes` in one posting count once, under `k8s`).
pub fn role_slug_keys(slugs: &[String]) -> Vec<Cow<'_, str>> {
    let mut identities: Vec<String> = Vec::with_capacity(slugs.len());
    technology_keys(slugs)
        .into_iter()
        .filter(|slug| {
            let identity = super::postings::skill_identity(slug);
            let new = !identities.contains(&identity);
            if new {
                identities.push(identity);
            }
            new
        })
        .collect()
}

/// Pending changes to the daily rollups, summed by key before they are written (with the
/// coarser buckets they add up to).
#[derive(Debug, Default)]
pub struct Deltas<'a>(HashMap<Key<'a>, Tally>);

impl<'a> Deltas<'a> {
    /// Counts a stored posting in (`sign` 1) or out (`sign` -1): trending's dimensions by day
    /// and by quarter of a day, the role's by day.
    pub fn count(&mut self, posting: &'a job_posting::Model, sign: i64) {
        let day = day_of(posting.scraped_at);
        let quarter = quarter_of(posting.scraped_at);
        let mut trending = |dimension, key: Cow<'a, str>, tally| {
            self.bump(QUARTER, quarter, dimension, "", key.clone(), tally, sign);
            self.bump(1, day, dimension, "", key, tally, sign);
        };
        let one = Tally {
            postings: 1,
            ..Tally::default()
        };
        trending(Dimension::Total, "".into(), one);
        for key in technology_keys(&posting.technology_slugs.0) {
            trending(Dimension::Technology, key, one);
        }
        let salary = match (posting.min_annual_salary_usd, posting.max_annual_salary_usd) {
            (Some(min), Some(max)) => Tally {
                postings: 1,
                salary_count: 1,
                salary_min_sum: min,
                salary_max_sum: max,
            },
            _ => one,
        };
        trending(
            Dimension::Location,
            posting.location.as_str().into(),
            salary,
        );
        if let Some(remote) = posting.remote {
            let key = if remote { "true" } else { "false" };
            trending(Dimension::Remote, key.into(), one);
        }
        let role = posting.search_keywords_key.as_str();
        if !role.is_empty() {
            self.bump(1, day, Dimension::Role, role, "", one, sign);
            for slug in role_slug_keys(&posting.technology_slugs.0) {
                self.bump(1, day, Dimension::RoleSlug, role, slug, one, sign);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn bump(
        &mut self,
        span: i32,
        day: i32,
        dimension: Dimension,
        role: &'a str,
        key: impl Into<Cow<'a, str>>,
        tally: Tally,
        sign: i64,
    ) {
        let key = Key {
            span,
            day,
            dimension,
            role,
            key: key.into(),
        };
        self.0.entry(key).or_default().add(tally, sign);
    }

    /// Adds the pending changes to the rollup table, in buckets of every span.
    pub async fn apply(self, conn: &impl ConnectionTrait) -> Result<(), DbErr> {
        let mut changes: Vec<(Key<'a>, Tally)> = self
            .with_coarser_buckets()
            .into_iter()
            .filter(|(_, tally)| !tally.is_zero())
            .collect();
        // Two imports touching the same rows lock them in the same order: no deadlock.
        changes.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
        let backend = conn.get_database_backend();
        if backend == DbBackend::Postgres {
            for batch in changes.chunks(ROWS_PER_ARRAYS) {
                conn.execute_raw(upsert_arrays(batch)).await?;
            }
        } else {
            for batch in changes.chunks(ROWS_PER_STATEMENT) {
                conn.execute_raw(upsert_statement(backend, batch)).await?;
            }
        }
        Ok(())
    }
}

impl<'a> Deltas<'a> {
    /// The daily changes and their sums over each coarser bucket: summed here, once per
    /// distinct daily key, rather than bumped per posting.
    fn with_coarser_buckets(self) -> HashMap<Key<'a>, Tally> {
        let mut all = self.0;
        let daily: Vec<(Key<'a>, Tally)> = all
            .iter()
            .filter(|(key, _)| key.span == 1)
            .map(|(key, tally)| (key.clone(), *tally))
            .collect();
        for &span in &SPANS[1..] {
            for (key, tally) in &daily {
                let coarse = Key {
                    span,
                    day: bucket_start(key.day, span),
                    ..key.clone()
                };
                all.entry(coarse).or_default().add(*tally, 1);
            }
        }
        all
    }
}

fn upsert_statement(backend: DbBackend, batch: &[(Key<'_>, Tally)]) -> Statement {
    let mut values: Vec<Value> = Vec::with_capacity(batch.len() * 9);
    let mut rows: Vec<String> = Vec::with_capacity(batch.len());
    for (key, tally) in batch {
        let first = values.len();
        values.extend([
            key.span.into(),
            key.day.into(),
            key.dimension.code().into(),
            key.role.into(),
            key.key.as_ref().into(),
            tally.postings.into(),
            tally.salary_count.into(),
            tally.salary_min_sum.into(),
            tally.salary_max_sum.into(),
        ]);
        let placeholders: Vec<String> = (first + 1..=values.len())
            .map(|n| placeholder(backend, n))
            .collect();
        rows.push(format!("({})", placeholders.join(", ")));
    }
    let sql = format!(
        "INSERT INTO market_counts ({COUNT_COLUMNS}) VALUES {} {ADD_ON_CONFLICT}",
        rows.join(", ")
    );
    Statement::from_sql_and_values(backend, sql, values)
}

/// PostgreSQL: the rows as nine arrays, one a column, bound as nine parameters (nine a row cost
/// more to bind than to upsert, and a JSON document was parsed twice and each of its elements
/// again per field), upserted in the arrays' order, which is the keys' order.
fn upsert_arrays(batch: &[(Key<'_>, Tally)]) -> Statement {
    let column = |value: &dyn Fn(&Key<'_>, &Tally) -> Value| -> Vec<Value> {
        batch.iter().map(|(key, tally)| value(key, tally)).collect()
    };
    let arrays = [
        (ArrayType::Int, column(&|key, _| key.span.into())),
        (ArrayType::Int, column(&|key, _| key.day.into())),
        (
            ArrayType::String,
            column(&|key, _| key.dimension.code().into()),
        ),
        (ArrayType::String, column(&|key, _| key.role.into())),
        (ArrayType::String, column(&|key, _| key.key.as_ref().into())),
        (ArrayType::BigInt, column(&|_, tally| tally.postings.into())),
        (
            ArrayType::BigInt,
            column(&|_, tally| tally.salary_count.into()),
        ),
        (
            ArrayType::BigInt,
            column(&|_, tally| tally.salary_min_sum.into()),
        ),
        (
            ArrayType::BigInt,
            column(&|_, tally| tally.salary_max_sum.into()),
        ),
    ]
    .map(|(kind, values)| Value::Array(kind, Some(Box::new(values))));
    let sql = format!(
        "INSERT INTO market_counts ({COUNT_COLUMNS}) \
         SELECT span, day, dimension, role, key, postings, salary_count, salary_min_sum, \
         salary_max_sum \
         FROM unnest(CAST($1 AS integer[]), CAST($2 AS integer[]), CAST($3 AS text[]), \
         CAST($4 AS text[]), CAST($5 AS text[]), CAST($6 AS bigint[]), CAST($7 AS bigint[]), \
         CAST($8 AS bigint[]), CAST($9 AS bigint[])) WITH ORDINALITY \
         AS rows(span, day, dimension, role, key, postings, salary_count, salary_min_sum, \
         salary_max_sum, n) ORDER BY n \
         {ADD_ON_CONFLICT}"
    );
    Statement::from_sql_and_values(DbBackend::Postgres, sql, arrays)
}

/// Texts as one PostgreSQL `text[]` value, to bind as one statement parameter.
pub fn text_array(texts: &[&str]) -> Value {
    let values = texts.iter().map(|&text| text.into()).collect();
    Value::Array(ArrayType::String, Some(Box::new(values)))
}

/// A value as JSON text, to bind as one statement parameter.
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, DbErr> {
    serde_json::to_string(value).map_err(|err| DbErr::Custom(err.to_string()))
}

/// `$n` on PostgreSQL, `?` elsewhere.
pub fn placeholder(backend: DbBackend, n: usize) -> String {
    if backend == DbBackend::Postgres {
        format!("${n}")
    } else {
        "?".to_owned()
    }
}

/// Recounts every rollup from the postings (for a database filled before the rollups existed,
/// or to prove they have not drifted): deletes them all and counts every posting again.
pub async fn rebuild(conn: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
    conn.execute_unprepared("DELETE FROM market_counts").await?;
    let mut pages = job_posting::Entity::find()
        .order_by_asc(job_posting::Column::Id)
        .paginate(conn, 5_000);
    let mut counted = 0u64;
    while let Some(page) = pages.fetch_and_next().await? {
        let mut deltas = Deltas::default();
        for posting in &page {
            deltas.count(posting, 1);
        }
        counted += page.len() as u64;
        deltas.apply(conn).await?;
    }
    Ok(counted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_utc_calendar_days() {
        let at: DateTime<Utc> = "2026-11-22T23:59:59Z".parse().unwrap();
        let day = day_of(at);
        assert_eq!(start_of_day(day).to_rfc3339(), "2026-11-22T00:00:00+00:00");
        assert_eq!(day_of(start_of_day(day + 1)), day + 1);
        let before_epoch: DateTime<Utc> = "1969-12-31T12:00:00Z".parse().unwrap();
        assert_eq!(day_of(before_epoch), -1);
    }
}

//! Daily market rollups: for each UTC day of `scraped_at`, how many postings named each
//! technology, each location (with salary sums), each remote answer, each role, and each
//! spelling of each skill within a role. They change in the same transaction as the postings they count, so trending
//! and gap analysis read a few thousand rollup rows instead of a million postings.
//!
//! A window (`scraped_at >= now - days`) rarely starts at midnight: its whole days come from the
//! rollups and its first, partial day is counted from the postings themselves, so the answer is
//! exactly the plain recount's (the tests compare them).

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};

use super::job_posting;

/// Rows per rollup statement: eight values each, under SQLite's 32,766 bound parameters.
const ROWS_PER_STATEMENT: usize = 2_000;

/// What a rollup row counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

/// A rollup key, borrowing its strings from the postings being counted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key<'a> {
    day: i32,
    dimension: Dimension,
    role: &'a str,
    key: Cow<'a, str>,
}

/// The UTC day number (days since 1970-01-01) of an instant.
pub fn day_of(at: DateTime<Utc>) -> i32 {
    at.timestamp().div_euclid(86_400) as i32
}

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

/// Pending changes to the rollups, summed by key before they are written.
#[derive(Debug, Default)]
pub struct Deltas<'a>(HashMap<Key<'a>, Tally>);

impl<'a> Deltas<'a> {
    /// Counts a stored posting in (`sign` 1) or out (`sign` -1).
    pub fn count(&mut self, posting: &'a job_posting::Model, sign: i64) {
        let day = day_of(posting.scraped_at);
        let one = Tally {
            postings: 1,
            ..Tally::default()
        };
        self.bump(day, Dimension::Total, "", "", one, sign);
        for key in technology_keys(&posting.technology_slugs.0) {
            self.bump(day, Dimension::Technology, "", key, one, sign);
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
        self.bump(
            day,
            Dimension::Location,
            "",
            posting.location.as_str(),
            salary,
            sign,
        );
        if let Some(remote) = posting.remote {
            let key = if remote { "true" } else { "false" };
            self.bump(day, Dimension::Remote, "", key, one, sign);
        }
        let role = posting.search_keywords_key.as_str();
        if !role.is_empty() {
            self.bump(day, Dimension::Role, role, "", one, sign);
            for slug in role_slug_keys(&posting.technology_slugs.0) {
                self.bump(day, Dimension::RoleSlug, role, slug, one, sign);
            }
        }
    }

    fn bump(
        &mut self,
        day: i32,
        dimension: Dimension,
        role: &'a str,
        key: impl Into<Cow<'a, str>>,
        tally: Tally,
        sign: i64,
    ) {
        let key = Key {
            day,
            dimension,
            role,
            key: key.into(),
        };
        self.0.entry(key).or_default().add(tally, sign);
    }

    /// Adds the pending changes to the rollup table.
    pub async fn apply(self, conn: &impl ConnectionTrait) -> Result<(), DbErr> {
        let changes: Vec<(Key<'a>, Tally)> = self
            .0
            .into_iter()
            .filter(|(_, tally)| !tally.is_zero())
            .collect();
        let backend = conn.get_database_backend();
        for batch in changes.chunks(ROWS_PER_STATEMENT) {
            conn.execute_raw(upsert_statement(backend, batch)).await?;
        }
        Ok(())
    }
}

fn upsert_statement(backend: DbBackend, batch: &[(Key<'_>, Tally)]) -> Statement {
    let mut values: Vec<Value> = Vec::with_capacity(batch.len() * 8);
    let mut rows: Vec<String> = Vec::with_capacity(batch.len());
    for (key, tally) in batch {
        let first = values.len();
        values.extend([
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
        "INSERT INTO market_daily_counts \
         (day, dimension, role, key, postings, salary_count, salary_min_sum, salary_max_sum) \
         VALUES {} ON CONFLICT (dimension, role, day, key) DO UPDATE SET \
         postings = market_daily_counts.postings + excluded.postings, \
         salary_count = market_daily_counts.salary_count + excluded.salary_count, \
         salary_min_sum = market_daily_counts.salary_min_sum + excluded.salary_min_sum, \
         salary_max_sum = market_daily_counts.salary_max_sum + excluded.salary_max_sum",
        rows.join(", ")
    );
    Statement::from_sql_and_values(backend, sql, values)
}

/// `$n` on PostgreSQL, `?` elsewhere.
pub fn placeholder(backend: DbBackend, n: usize) -> String {
    if backend == DbBackend::Postgres {
        format!("${n}")
    } else {
        "?".to_owned()
    }
}

/// One summed rollup key over a range of days.
#[derive(Debug, FromQueryResult)]
pub struct Summed {
    pub dimension: String,
    pub key: String,
    pub postings: i64,
    pub salary_count: i64,
    pub salary_min_sum: i64,
    pub salary_max_sum: i64,
}

/// The rollups of `dimensions` under `role` for the days after `after_day`, summed by key;
/// keys whose postings sum to zero are left out.
pub async fn summed_after(
    conn: &impl ConnectionTrait,
    dimensions: &[Dimension],
    role: &str,
    after_day: i32,
) -> Result<Vec<Summed>, DbErr> {
    let backend = conn.get_database_backend();
    let mut values: Vec<Value> = vec![role.into(), after_day.into()];
    let mut codes: Vec<String> = Vec::with_capacity(dimensions.len());
    for dimension in dimensions {
        values.push(dimension.code().into());
        codes.push(placeholder(backend, values.len()));
    }
    // SUM of BIGINT is NUMERIC on PostgreSQL: cast back so both engines answer integers.
    let sql = format!(
        "SELECT dimension, key, CAST(SUM(postings) AS BIGINT) AS postings, \
         CAST(SUM(salary_count) AS BIGINT) AS salary_count, \
         CAST(SUM(salary_min_sum) AS BIGINT) AS salary_min_sum, \
         CAST(SUM(salary_max_sum) AS BIGINT) AS salary_max_sum \
         FROM market_daily_counts WHERE role = {} AND day > {} AND dimension IN ({}) \
         GROUP BY dimension, key HAVING SUM(postings) > 0",
        placeholder(backend, 1),
        placeholder(backend, 2),
        codes.join(", ")
    );
    Summed::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
        .all(conn)
        .await
}

/// What trending reads of one posting: raw technology slugs, location, salary range, remote.
pub type TrendFields = (Vec<String>, String, Option<i64>, Option<i64>, Option<bool>);

/// The trending fields of the postings scraped in `[from, until)` (a window's partial first
/// day), fetched as one JSON document: one row back instead of one per posting (SQLite hands
/// every row across threads, which at thousands of rows cost more than the query).
pub async fn partial_day(
    conn: &impl ConnectionTrait,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<TrendFields>, DbErr> {
    let backend = conn.get_database_backend();
    let row = match backend {
        DbBackend::Postgres => {
            "jsonb_build_array(technology_slugs, location, min_annual_salary_usd, \
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
    json_rows(conn, row, &condition, vec![from.into(), until.into()]).await
}

/// The technology slugs of the postings searched for `role_key` and scraped in
/// `[from, until)`.
pub async fn partial_day_role_slugs(
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
    json_rows(conn, "technology_slugs", &condition, values).await
}

/// `row` (a JSON expression) of every matching posting, fetched as one JSON array.
async fn json_rows<T: serde::de::DeserializeOwned>(
    conn: &impl ConnectionTrait,
    row: &str,
    condition: &str,
    values: Vec<Value>,
) -> Result<Vec<T>, DbErr> {
    let backend = conn.get_database_backend();
    let aggregate = match backend {
        DbBackend::Postgres => format!("COALESCE(jsonb_agg({row}), '[]'::jsonb)::text"),
        _ => format!("'[' || COALESCE(group_concat({row}, ','), '') || ']'"),
    };
    let sql = format!("SELECT {aggregate} AS rows FROM job_postings WHERE {condition}");
    let Some(found) = conn
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
    else {
        return Ok(Vec::new());
    };
    let text: String = found.try_get("", "rows")?;
    serde_json::from_str(&text).map_err(|err| DbErr::Custom(format!("stored JSON: {err}")))
}

/// Recounts every rollup from the postings (for a database filled before the rollups existed,
/// or to prove they have not drifted): deletes them all and counts every posting again.
pub async fn rebuild(conn: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
    conn.execute_unprepared("DELETE FROM market_daily_counts")
        .await?;
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

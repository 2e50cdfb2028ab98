//! The login and registration budgets kept in PostgreSQL, so every instance spends the same
//! ones: one row per key holding its GCRA "theoretical arrival time", advanced by one upsert
//! per attempt that succeeds only while the budget has room. The figures are those of the
//! in-memory limiter: a burst of `n`, then one more every `60/n` seconds.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

/// How far an attempt's clock may lag the latest one already spent. Concurrent attempts read
/// the clock before they queue on the row, so one that read it a few microseconds earlier may
/// be applied after one that read it later, and would find the burst "ahead" of it by that much;
/// instances' clocks also differ slightly. Far below any interval (a second at 60 a minute), so
/// it never adds an attempt to a budget, only lets an attempt through a little early.
const CLOCK_SLACK_US: i64 = 250_000;

/// A budget of `per_minute` attempts a minute on PostgreSQL.
#[derive(Clone, Copy, Debug)]
pub struct SharedBudget {
    /// Microseconds between two attempts once the burst is spent.
    interval_us: i64,
    /// How far ahead of now the arrival time may run: the whole burst.
    burst_us: i64,
}

impl SharedBudget {
    pub fn per_minute(per_minute: u32) -> SharedBudget {
        let n = i64::from(per_minute.max(1));
        let interval_us = 60_000_000 / n;
        SharedBudget {
            interval_us,
            burst_us: interval_us * n,
        }
    }

    /// Spends one attempt of `key` at `now_us`; `Err(wait)` when the budget is empty.
    pub async fn spend(
        &self,
        db: &DatabaseConnection,
        key: &str,
        now_us: i64,
    ) -> Result<Result<(), Duration>, DbErr> {
        let spent = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "INSERT INTO rate_limits (key, tat_us) VALUES ($1, $2 + $3) \
                 ON CONFLICT (key) DO UPDATE SET tat_us = GREATEST(rate_limits.tat_us, $2) + $3 \
                 WHERE GREATEST(rate_limits.tat_us, $2) + $3 - $2 <= $4 + $5 \
                 RETURNING tat_us",
                [
                    key.into(),
                    now_us.into(),
                    self.interval_us.into(),
                    self.burst_us.into(),
                    CLOCK_SLACK_US.into(),
                ],
            ))
            .await?;
        if spent.is_some() {
            return Ok(Ok(()));
        }
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT tat_us FROM rate_limits WHERE key = $1",
                [key.into()],
            ))
            .await?;
        let tat_us: i64 = match row {
            Some(row) => row.try_get("", "tat_us")?,
            None => now_us,
        };
        Ok(Err(self.wait(tat_us, now_us)))
    }

    /// Until the next attempt fits: the arrival time must come back within the burst.
    fn wait(&self, tat_us: i64, now_us: i64) -> Duration {
        let wait_us = tat_us + self.interval_us - self.burst_us - now_us;
        Duration::from_micros(u64::try_from(wait_us).unwrap_or(0))
    }
}

/// Deletes the rows of budgets that are full again (their arrival time has passed).
pub async fn prune(db: &DatabaseConnection, now_us: i64) -> Result<u64, DbErr> {
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "DELETE FROM rate_limits WHERE tat_us < $1",
            [now_us.into()],
        ))
        .await?;
    Ok(result.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_a_minute_waits_six_seconds_after_the_burst() {
        let budget = SharedBudget::per_minute(10);
        assert_eq!(budget.interval_us, 6_000_000);
        // After ten attempts at t=0 the arrival time is 60 s ahead: the next fits at 6 s.
        assert_eq!(budget.wait(60_000_000, 0), Duration::from_secs(6));
        assert_eq!(budget.wait(60_000_000, 5_000_000), Duration::from_secs(1));
    }
}

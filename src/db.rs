//! Database pools and migrations: the one place that knows SQLite from PostgreSQL.
//!
//! SQLite runs in WAL mode with a busy timeout, a pool of readers and exactly one writer
//! connection, so concurrent writes queue instead of failing with "database is locked".
//! On PostgreSQL the reader and the writer are the same pool.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

pub mod copy;

pub use copy::{CopyCapable, CopyTransaction, in_copy_transaction};

use crate::config::Config;
use crate::migration::Migrator;

/// How long a statement waits for SQLite's write lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Address space each SQLite connection may map of the database file.
const SQLITE_MMAP_BYTES: u64 = 1 << 30;
/// Page cache per SQLite connection, at most.
const SQLITE_CACHE_KIB: u64 = 32 * 1024;
/// How long a request waits for a pooled connection before answering 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// While PostgreSQL is down, how often a probe tries it, and how long one try may take.
const OUTAGE_PROBE_INTERVAL: Duration = Duration::from_millis(200);
const OUTAGE_PROBE_TIMEOUT: Duration = Duration::from_secs(1);
/// An arbitrary constant naming careerhub's migration lock on PostgreSQL.
const MIGRATION_LOCK_KEY: i64 = 0x6361_7265_6572_6875; // "careerhu"

/// The application's database handles.
#[derive(Clone, Debug)]
pub struct Db {
    reader: DatabaseConnection,
    writer: DatabaseConnection,
    /// Counts committed job-posting writes made through this handle, for in-process caches of
    /// answers computed from the postings (`market::cache`).
    postings_generation: Arc<AtomicU64>,
    /// Set while the database server is known to be unreachable (see [`Db::report_unreachable`]).
    down: Arc<AtomicBool>,
}

impl Db {
    /// Opens the pools described by the configuration (creating the SQLite file and its folder).
    pub async fn connect(config: &Config) -> anyhow::Result<Db> {
        let url = config.database_url.expose();
        if config.is_sqlite() {
            ensure_sqlite_parent_dir(url)?;
            let reader = connect_sqlite(url, config.db_max_connections).await?;
            let writer = connect_sqlite(url, 1).await?;
            Ok(Db {
                reader,
                writer,
                postings_generation: Arc::default(),
                down: Arc::default(),
            })
        } else {
            let mut options = ConnectOptions::new(url);
            options
                .max_connections(config.db_max_connections.max(2))
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_timeout(ACQUIRE_TIMEOUT)
                .sqlx_logging(false);
            if let Some(schema) = &config.db_schema {
                options.set_schema_search_path(schema.clone());
            }
            let pool = Database::connect(options)
                .await
                .context("could not connect to PostgreSQL (DATABASE_URL)")?;
            Ok(Db {
                reader: pool.clone(),
                writer: pool,
                postings_generation: Arc::default(),
                down: Arc::default(),
            })
        }
    }

    /// Call after committing job-posting writes: cached market answers are stale from now on.
    pub fn postings_changed(&self) {
        self.postings_generation.fetch_add(1, Ordering::Release);
    }

    /// How many times job postings were written through this handle.
    pub fn postings_generation(&self) -> u64 {
        self.postings_generation.load(Ordering::Acquire)
    }

    /// True while the database server is known to be unreachable: requests answer 503 at once
    /// instead of each waiting the pool's acquire timeout for a connection that cannot come.
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }

    /// Called when a request found the database unreachable. On PostgreSQL this marks it down
    /// and starts one probe that pings it until it answers, then clears the mark: recovery needs
    /// no restart and no request pays for the probing. SQLite is a file that cannot go away, and
    /// its only "unreachable" is a busy writer, which must not shed every other request.
    pub fn report_unreachable(&self) {
        if self.backend() != DbBackend::Postgres || self.down.swap(true, Ordering::AcqRel) {
            return;
        }
        tracing::error!("database unreachable: answering 503 until a probe reaches it again");
        let db = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(OUTAGE_PROBE_INTERVAL).await;
                let ping = tokio::time::timeout(OUTAGE_PROBE_TIMEOUT, db.reader.ping()).await;
                if matches!(ping, Ok(Ok(()))) {
                    break;
                }
            }
            db.down.store(false, Ordering::Release);
            tracing::warn!("database reachable again");
        });
    }

    /// For queries that only read.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.reader
    }

    /// For anything that writes, and for transactions that read then write.
    pub fn writer(&self) -> &DatabaseConnection {
        &self.writer
    }

    pub fn backend(&self) -> DbBackend {
        self.writer.get_database_backend()
    }

    /// True when the database answers a trivial query.
    pub async fn is_ready(&self) -> bool {
        self.reader.ping().await.is_ok()
    }

    /// Applies every pending migration. On PostgreSQL an advisory lock makes instances that
    /// start together migrate one after another instead of racing.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self.backend() {
            DbBackend::Postgres => {
                // Advisory locks belong to a session: hold one pooled connection for the lock
                // while the migrations run on the others (the pool has at least two).
                let pool = self.writer.get_postgres_connection_pool();
                let mut conn = pool
                    .acquire()
                    .await
                    .context("acquiring a migration connection")?;
                sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(MIGRATION_LOCK_KEY)
                    .execute(&mut *conn)
                    .await?;
                let result = Migrator::up(&self.writer, None).await;
                sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(MIGRATION_LOCK_KEY)
                    .execute(&mut *conn)
                    .await?;
                result.context("applying migrations")
            }
            _ => Migrator::up(&self.writer, None)
                .await
                .context("applying migrations"),
        }
    }

    /// Bytes SQLite holds in this process (page caches and prepared statements of every
    /// connection), for `/metrics`; `None` on PostgreSQL.
    pub fn sqlite_memory_bytes(&self) -> Option<i64> {
        (self.backend() == DbBackend::Sqlite).then(|| {
            // SAFETY: sqlite3_memory_used takes no arguments and only reads SQLite's global
            // allocation counter, which the bundled library (built with SQLITE_THREADSAFE=1)
            // guards with its own mutex.
            unsafe { libsqlite3_sys::sqlite3_memory_used() }
        })
    }

    /// Connections open and idle, per pool, for `/metrics`.
    pub fn pool_stats(&self) -> Vec<PoolStats> {
        match self.backend() {
            DbBackend::Sqlite => vec![
                sqlite_stats("read", &self.reader),
                sqlite_stats("write", &self.writer),
            ],
            _ => {
                let pool = self.writer.get_postgres_connection_pool();
                vec![PoolStats {
                    pool: "main",
                    size: pool.size(),
                    idle: pool.num_idle() as u32,
                }]
            }
        }
    }
}

/// One pool's size for `/metrics`.
#[derive(Clone, Copy, Debug)]
pub struct PoolStats {
    pub pool: &'static str,
    pub size: u32,
    pub idle: u32,
}

fn sqlite_stats(name: &'static str, conn: &DatabaseConnection) -> PoolStats {
    let pool = conn.get_sqlite_connection_pool();
    PoolStats {
        pool: name,
        size: pool.size(),
        idle: pool.num_idle() as u32,
    }
}

async fn connect_sqlite(url: &str, max_connections: u32) -> anyhow::Result<DatabaseConnection> {
    // Validate the URL here so a typo gets a clear message rather than a pool error.
    SqliteConnectOptions::from_str(url).with_context(|| "DATABASE_URL is not a SQLite URL")?;
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections.max(1))
        .min_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
                .create_if_missing(true)
                // Reads through memory maps and a larger page cache instead of a read(2) per
                // page: at a million postings the default 2 MB cache made bulk writes spend a
                // third of their time copying pages from the kernel. Both are lazily filled.
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
                .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"))
                .pragma("temp_store", "memory")
        });
    Database::connect(options)
        .await
        .context("could not open the SQLite database")
}

fn ensure_sqlite_parent_dir(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") || path.starts_with("file:") {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    Ok(())
}

/// Runs `work` in a transaction: commits when it succeeds, rolls back when it fails. End every
/// transaction through this. A dropped SeaORM transaction only queues its `ROLLBACK`, which sqlx
/// sends from a task spawned when the connection returns to the pool; until that task runs the
/// connection sits "idle in transaction" holding its locks. In the tests, a `TestApp` dropping
/// its PostgreSQL schema while blocking the test's runtime waited on such a lock forever.
pub async fn in_transaction<T, E>(
    conn: &DatabaseConnection,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DbErr>,
{
    let txn = conn.begin().await?;
    match work(&txn).await {
        Ok(value) => match txn.commit().await {
            Ok(()) => Ok(value),
            Err(err) => {
                end_failed_commit(conn).await;
                Err(err.into())
            }
        },
        Err(err) => {
            if let Err(rollback) = txn.rollback().await {
                tracing::error!(error = %rollback, "could not roll back a failed transaction");
            }
            Err(err)
        }
    }
}

/// SQLite can keep a transaction open when its COMMIT fails (a full disk, an I/O error), while
/// SeaORM counts it as ended. Left so, the single writer connection would run every later write
/// inside it and answer success for changes never committed (found by `scripts/faults.sh`).
async fn end_failed_commit(conn: &DatabaseConnection) {
    if conn.get_database_backend() == DbBackend::Sqlite {
        // Fails harmlessly when SQLite has already rolled the transaction back.
        let _ = sea_orm::ConnectionTrait::execute_unprepared(conn, "ROLLBACK").await;
    }
}

/// The current time as stored: UTC, truncated to microseconds so both engines round-trip it.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// True for errors that mean "the database is unreachable" rather than "the query is wrong".
pub fn is_connection_error(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match &**e {
                sea_orm::sqlx::Error::Io(_)
                | sea_orm::sqlx::Error::PoolTimedOut
                | sea_orm::sqlx::Error::PoolClosed
                | sea_orm::sqlx::Error::WorkerCrashed
                | sea_orm::sqlx::Error::Tls(_) => true,
                sea_orm::sqlx::Error::Database(db) => {
                    db.code().is_some_and(|code| is_connection_sqlstate(&code))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// PostgreSQL's codes for "this connection or server is going away or not there": class 08
/// (connection exception), 57P01-57P03 (administrator or crash shutdown, cannot connect now:
/// a restart), 53300 (too many connections). The same query succeeds once the server is back.
fn is_connection_sqlstate(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

/// True when the database could not write because its disk is full (SQLite's `SQLITE_FULL`,
/// PostgreSQL's `disk_full`): the data is intact, the write is refused.
pub fn is_disk_full(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    match &**e {
        sea_orm::sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("13" | "53100")),
        _ => false,
    }
}

/// True when an insert or update broke a unique constraint.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_parent_dir_is_created_for_file_urls() {
        let dir = tempfile::tempdir().unwrap();
        let db_path = dir.path().join("nested/deeper/app.db");
        ensure_sqlite_parent_dir(&format!("sqlite://{}?mode=rwc", db_path.display())).unwrap();
        assert!(db_path.parent().unwrap().is_dir());
    }

    #[test]
    fn shutdowns_and_connection_exceptions_are_connection_errors() {
        for code in ["57P01", "57P02", "57P03", "08006", "08001", "53300"] {
            assert!(is_connection_sqlstate(code), "{code}");
        }
        for code in ["23505", "42P01", "53100", "40001"] {
            assert!(!is_connection_sqlstate(code), "{code}");
        }
    }

    #[test]
    fn now_is_truncated_to_microseconds() {
        assert_eq!(now().timestamp_subsec_nanos() % 1000, 0);
    }
}

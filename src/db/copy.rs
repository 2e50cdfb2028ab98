//! A PostgreSQL transaction held on a sqlx connection of careerhub's own, so bulk writes can
//! send rows with `COPY … FROM STDIN` (which SeaORM's transactions cannot) beside ordinary
//! statements in the same transaction.

use std::sync::Arc;

use sea_orm::sqlx::{self, Postgres};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement, Values,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;

/// A transaction that can `COPY`. It answers SeaORM's statements too (it is a
/// [`ConnectionTrait`]), so the ORM code of a write and its `COPY` share one transaction.
pub struct CopyTransaction {
    conn: Mutex<sqlx::Transaction<'static, Postgres>>,
}

/// A connection that may be able to take rows by `COPY`.
pub trait CopyCapable: ConnectionTrait {
    /// The transaction to `COPY` into, when this connection is one.
    fn copy_transaction(&self) -> Option<&CopyTransaction> {
        None
    }
}

impl CopyCapable for DatabaseConnection {}
impl CopyCapable for sea_orm::DatabaseTransaction {}
impl CopyCapable for CopyTransaction {
    fn copy_transaction(&self) -> Option<&CopyTransaction> {
        Some(self)
    }
}

impl CopyTransaction {
    /// Begins a transaction on a connection of `pool`'s (PostgreSQL only).
    async fn begin(pool: &DatabaseConnection) -> Result<CopyTransaction, DbErr> {
        let txn = pool
            .get_postgres_connection_pool()
            .begin()
            .await
            .map_err(conn_err)?;
        Ok(CopyTransaction {
            conn: Mutex::new(txn),
        })
    }

    /// Sends the rows `pieces` brings (in the format `statement` names, whole rows a piece) to
    /// `statement`, a `COPY … FROM STDIN`, as they come; the number of rows copied. A piece
    /// that is an error ends the `COPY` with that error, and nothing of it is kept.
    pub async fn copy_in(
        &self,
        statement: &str,
        pieces: &mut tokio::sync::mpsc::Receiver<Result<Vec<u8>, DbErr>>,
    ) -> Result<u64, DbErr> {
        let mut conn = self.conn.lock().await;
        let mut copy = conn.copy_in_raw(statement).await.map_err(exec_err)?;
        while let Some(piece) = pieces.recv().await {
            let sent = match piece {
                Ok(data) => copy.send(data).await.map(|_| ()).map_err(exec_err),
                Err(err) => Err(err),
            };
            if let Err(err) = sent {
                // Ending the COPY hands the connection back in a usable state.
                let _ = copy.abort("careerhub could not send the rows").await;
                return Err(err);
            }
        }
        copy.finish().await.map_err(exec_err)
    }

    async fn commit(self) -> Result<(), DbErr> {
        self.conn.into_inner().commit().await.map_err(exec_err)
    }

    async fn rollback(self) -> Result<(), DbErr> {
        self.conn.into_inner().rollback().await.map_err(exec_err)
    }
}

/// Runs `work` in a [`CopyTransaction`] on `pool` (PostgreSQL): commits when it succeeds, rolls
/// back when it fails, as [`super::in_transaction`] does for SeaORM's.
pub async fn in_copy_transaction<T, E>(
    pool: &DatabaseConnection,
    work: impl AsyncFnOnce(&CopyTransaction) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DbErr>,
{
    let txn = CopyTransaction::begin(pool).await?;
    match work(&txn).await {
        Ok(value) => {
            txn.commit().await?;
            Ok(value)
        }
        Err(err) => {
            if let Err(rollback) = txn.rollback().await {
                tracing::error!(error = %rollback, "could not roll back a failed transaction");
            }
            Err(err)
        }
    }
}

/// The sqlx query for a SeaORM statement, its values bound as SeaORM binds them.
fn query(stmt: &Statement) -> sqlx::query::Query<'_, Postgres, SqlxValues> {
    let values = stmt.values.clone().unwrap_or(Values(Vec::new()));
    sqlx::query_with(sqlx::AssertSqlSafe(stmt.sql.as_str()), SqlxValues(values))
}

// The same `DbErr` shapes SeaORM gives, so `db::is_connection_error`, `is_unique_violation` and
// the rest read these errors as they read the ORM's.
fn conn_err(err: sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(Arc::new(err)))
}

fn exec_err(err: sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(Arc::new(err)))
}

fn query_err(err: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(err)))
}

// SeaORM's traits are `async_trait`s; the migration crate re-exports the macro it uses.
#[sea_orm_migration::async_trait::async_trait]
impl ConnectionTrait for CopyTransaction {
    fn get_database_backend(&self) -> DbBackend {
        DbBackend::Postgres
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        let mut conn = self.conn.lock().await;
        let done = query(&stmt).execute(&mut **conn).await.map_err(exec_err)?;
        Ok(done.into())
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        use sqlx::Executor;
        let mut conn = self.conn.lock().await;
        let done = (&mut **conn)
            .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(sql)))
            .await
            .map_err(exec_err)?;
        Ok(done.into())
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        let mut conn = self.conn.lock().await;
        let row = query(&stmt)
            .fetch_optional(&mut **conn)
            .await
            .map_err(query_err)?;
        Ok(row.map(Into::into))
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let mut conn = self.conn.lock().await;
        let rows = query(&stmt)
            .fetch_all(&mut **conn)
            .await
            .map_err(query_err)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

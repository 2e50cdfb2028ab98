//! PostgreSQL only: triggers that announce, on commit, what changed in the tables the
//! in-process caches copy (`crate::changes`): a user's account or public pages (`user:<id>`), an
//! industry profile (`industry:<user id>`), a portfolio's slug (`slug:<slug>`, the old and the new
//! one), and job postings (`postings`, once per statement). Whoever writes (an instance, a
//! worker, the import CLI, an operator's psql), every instance hears it. The channel is
//! `careerhub_<schema>`, so test schemas in one database do not hear each other.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Notifies `<TG_ARGV[0]>:<the row's TG_ARGV[1] column>` for the new row, and for the old one
/// too when an update changed that column (a renamed slug drops both pages).
const ROW_FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION careerhub_notify_row_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    channel text := 'careerhub_' || TG_TABLE_SCHEMA;
    new_key text;
    old_key text;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        new_key := to_jsonb(NEW) ->> TG_ARGV[1];
        PERFORM pg_notify(channel, TG_ARGV[0] || ':' || new_key);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        old_key := to_jsonb(OLD) ->> TG_ARGV[1];
        IF old_key IS DISTINCT FROM new_key THEN
            PERFORM pg_notify(channel, TG_ARGV[0] || ':' || old_key);
        END IF;
    END IF;
    RETURN NULL;
END $$;
"#;

const STATEMENT_FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION careerhub_notify_table_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('careerhub_' || TG_TABLE_SCHEMA, TG_ARGV[0]);
    RETURN NULL;
END $$;
"#;

/// (table, what is announced, the column naming it).
const ROW_TRIGGERS: &[(&str, &str, &str)] = &[
    ("users", "user", "id"),
    ("user_skills", "user", "user_id"),
    ("projects", "user", "user_id"),
    ("industry_profiles", "industry", "user_id"),
    ("portfolios", "slug", "slug"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        db.execute_unprepared(ROW_FUNCTION).await?;
        db.execute_unprepared(STATEMENT_FUNCTION).await?;
        for (table, what, column) in ROW_TRIGGERS {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER careerhub_changes AFTER INSERT OR UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION careerhub_notify_row_change('{what}', '{column}')"
            ))
            .await?;
        }
        db.execute_unprepared(
            "CREATE TRIGGER careerhub_changes AFTER INSERT OR UPDATE OR DELETE ON job_postings \
             FOR EACH STATEMENT EXECUTE FUNCTION careerhub_notify_table_change('postings')",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for table in ROW_TRIGGERS
            .iter()
            .map(|(table, _, _)| *table)
            .chain(["job_postings"])
        {
            db.execute_unprepared(&format!(
                "DROP TRIGGER IF EXISTS careerhub_changes ON {table}"
            ))
            .await?;
        }
        db.execute_unprepared("DROP FUNCTION IF EXISTS careerhub_notify_row_change()")
            .await?;
        db.execute_unprepared("DROP FUNCTION IF EXISTS careerhub_notify_table_change()")
            .await?;
        Ok(())
    }
}

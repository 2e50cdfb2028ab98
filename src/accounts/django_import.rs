//! `careerhub import-django-users FILE`: brings the users of a Django original across, from the
//! JSON that `manage.py dumpdata auth.user` writes, keeping their password hashes so they log in
//! unchanged.
//!
//! Idempotent on email: an existing account is updated (names, flags, join date), and its
//! password hash is replaced only while it is still the imported Django one, so re-running an
//! old dump never undoes a password changed (or upgraded) on careerhub.

use std::path::Path;

use anyhow::Context;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;

use super::passwords;
use super::service;
use super::user::{self, Names};
use crate::db::{self, Db};

/// One object of a dumpdata file.
#[derive(Debug, Deserialize)]
struct DumpedObject {
    model: String,
    #[serde(default)]
    pk: serde_json::Value,
    fields: Option<DumpedUser>,
}

/// The fields of `auth.user` that careerhub keeps.
#[derive(Debug, Deserialize)]
struct DumpedUser {
    #[serde(default)]
    password: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    is_staff: bool,
    #[serde(default = "default_true")]
    is_active: bool,
    #[serde(default)]
    is_superuser: bool,
    date_joined: Option<String>,
    last_login: Option<String>,
}

fn default_true() -> bool {
    true
}

/// What an import did, for the command's summary.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub skipped: Vec<String>,
    /// Users whose hash format careerhub cannot verify: they must reset their password.
    pub unsupported_hashes: Vec<String>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "created {}, updated {}, skipped {}",
            self.created,
            self.updated,
            self.skipped.len()
        )?;
        for reason in &self.skipped {
            writeln!(f, "  skipped: {reason}")?;
        }
        for who in &self.unsupported_hashes {
            writeln!(
                f,
                "  warning: {who} has a password hash careerhub cannot verify"
            )?;
        }
        Ok(())
    }
}

pub async fn import_file(db: &Db, path: &Path) -> anyhow::Result<ImportReport> {
    let raw = std::fs::read(path).with_context(|| format!("could not read {}", path.display()))?;
    import_json(db, &raw).await
}

pub async fn import_json(db: &Db, raw: &[u8]) -> anyhow::Result<ImportReport> {
    let objects: Vec<DumpedObject> = serde_json::from_slice(raw)
        .context("not a dumpdata file: expected a JSON array of {model, pk, fields} objects")?;
    let mut report = ImportReport::default();
    for object in objects {
        let label = format!("{} pk={}", object.model, object.pk);
        let Some(fields) = object.fields.filter(|_| object.model == "auth.user") else {
            report
                .skipped
                .push(format!("{label}: not an auth.user object"));
            continue;
        };
        import_one(db, &label, fields, &mut report).await?;
    }
    Ok(report)
}

async fn import_one(
    db: &Db,
    label: &str,
    dumped: DumpedUser,
    report: &mut ImportReport,
) -> anyhow::Result<()> {
    let email = service::normalize_email(&dumped.email);
    if !service::is_valid_email(&email) {
        report.skipped.push(format!(
            "{label} ({}): no valid email address",
            dumped.username
        ));
        return Ok(());
    }
    if !passwords::is_supported(&dumped.password) {
        report.unsupported_hashes.push(email.clone());
    }
    let names = Names::from_parts(&dumped.first_name, &dumped.last_name);
    let date_joined = dumped
        .date_joined
        .as_deref()
        .and_then(crate::dates::parse_timestamp);
    let last_login = dumped
        .last_login
        .as_deref()
        .and_then(crate::dates::parse_timestamp);
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(email.clone()))
        .one(db.writer())
        .await?;

    match existing {
        Some(current) => {
            let unchanged = current.first_name == names.first_name
                && current.last_name == names.last_name
                && current.is_staff == dumped.is_staff
                && current.is_active == dumped.is_active
                && current.is_superuser == dumped.is_superuser
                && date_joined.is_none_or(|d| d == current.date_joined)
                && (!still_imported_hash(&current.password) || current.password == dumped.password);
            if unchanged {
                report
                    .skipped
                    .push(format!("{label} ({email}): already up to date"));
                return Ok(());
            }
            let keep_password = !still_imported_hash(&current.password);
            let mut active: user::ActiveModel = current.into();
            active.first_name = Set(names.first_name);
            active.last_name = Set(names.last_name);
            active.full_name = Set(names.full_name);
            active.name_key = Set(names.name_key);
            active.is_staff = Set(dumped.is_staff);
            active.is_active = Set(dumped.is_active);
            active.is_superuser = Set(dumped.is_superuser);
            if let Some(joined) = date_joined {
                active.date_joined = Set(joined);
            }
            if !keep_password {
                active.password = Set(dumped.password);
            }
            active.updated_at = Set(db::now());
            active.update(db.writer()).await?;
            report.updated += 1;
        }
        None => {
            let username = if !dumped.username.is_empty()
                && !service::username_exists(db.writer(), &dumped.username).await?
            {
                dumped.username.clone()
            } else {
                email.clone()
            };
            let now = db::now();
            let mut row = service::new_account_row(email, username, dumped.password, names, now);
            row.is_active = Set(dumped.is_active);
            row.is_staff = Set(dumped.is_staff);
            row.is_superuser = Set(dumped.is_superuser);
            row.date_joined = Set(date_joined.unwrap_or(now));
            row.last_login = Set(last_login);
            row.insert(db.writer()).await?;
            report.created += 1;
        }
    }
    Ok(())
}

/// A hash careerhub did not make itself (not argon2id), so a dump may still replace it.
fn still_imported_hash(stored: &str) -> bool {
    passwords::needs_upgrade(stored)
}

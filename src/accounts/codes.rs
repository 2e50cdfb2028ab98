//! Six-digit codes sent by email: to finish a sign-up, to verify an account's email, to reset a
//! password. One live code per email and purpose (a new one replaces the old); only an HMAC of
//! the code is stored and it is compared in constant time; a code expires after 15 minutes, is
//! used once, and dies after five wrong guesses (the routes' rate limits come on top).

use chrono::{DateTime, Duration, Utc};
use hmac::{KeyInit, Mac};
use rand::Rng;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::NotSet, Set};
use subtle::ConstantTimeEq;

use crate::config::Secret;

/// How long a code is good for.
pub const CODE_LIFETIME_MINUTES: i64 = 15;
/// Wrong guesses a code survives.
const MAX_ATTEMPTS: i32 = 5;
/// How long a pending sign-up is kept after its code died, so "resend" can still send one;
/// rows older than this are deleted whenever a code is issued.
const KEEP_PENDING_HOURS: i64 = 24;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub purpose: String,
    pub code_hash: String,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub payload: Option<Json>,
    pub attempts: i32,
    pub expires_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a code is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Breneo's two-step sign-up: the account is made when the code is given back.
    Signup,
    /// An existing account's email (Gan7Club's banner).
    VerifyEmail,
    PasswordReset,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Signup => "signup",
            Purpose::VerifyEmail => "verify_email",
            Purpose::PasswordReset => "password_reset",
        }
    }
}

/// Why a code was not accepted (the routes answer one message for all, so a guesser learns
/// nothing from which).
#[derive(Debug, PartialEq, Eq)]
pub enum CodeError {
    Unknown,
    Expired,
    Wrong,
    TooManyAttempts,
}

fn hash(secret: &Secret, email: &str, purpose: Purpose, code: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(
        format!("email-codes:{}", secret.expose()).as_bytes(),
    )
    .expect("HMAC takes any key length");
    mac.update(format!("{email}\n{}\n{code}", purpose.code()).as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fresh code for `email` and `purpose`, replacing any live one; its payload is kept with it.
/// Returns the code to send.
pub async fn issue(
    conn: &impl ConnectionTrait,
    secret: &Secret,
    email: &str,
    purpose: Purpose,
    payload: Option<Json>,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    Entity::delete_many()
        .filter(Column::ExpiresAt.lt(now - Duration::hours(KEEP_PENDING_HOURS)))
        .exec(conn)
        .await?;
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    let row = ActiveModel {
        id: NotSet,
        email: Set(email.to_owned()),
        purpose: Set(purpose.code().to_owned()),
        code_hash: Set(hash(secret, email, purpose, &code)),
        payload: Set(payload),
        attempts: Set(0),
        expires_at: Set(now + Duration::minutes(CODE_LIFETIME_MINUTES)),
        created_at: Set(now),
    };
    Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::Email, Column::Purpose])
                .update_columns([
                    Column::CodeHash,
                    Column::Payload,
                    Column::Attempts,
                    Column::ExpiresAt,
                    Column::CreatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(code)
}

/// The live code row for `email` and `purpose`, if any (a pending sign-up, say).
pub async fn live(
    conn: &impl ConnectionTrait,
    email: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<Model>, DbErr> {
    Ok(Entity::find()
        .filter(Column::Email.eq(email))
        .filter(Column::Purpose.eq(purpose.code()))
        .one(conn)
        .await?
        .filter(|row| row.expires_at > now && row.attempts < MAX_ATTEMPTS))
}

/// The row for `email` and `purpose` even if its code has died, while it is kept (a day): what
/// "resend" sends a fresh code for.
pub async fn resendable(
    conn: &impl ConnectionTrait,
    email: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<Model>, DbErr> {
    Ok(Entity::find()
        .filter(Column::Email.eq(email))
        .filter(Column::Purpose.eq(purpose.code()))
        .one(conn)
        .await?
        .filter(|row| row.expires_at > now - Duration::hours(KEEP_PENDING_HOURS)))
}

/// Checks `code`; a wrong one counts an attempt. With `consume`, a right one is used up (the
/// password reset's verify step checks without consuming: its last step sends the code again).
pub async fn check(
    conn: &impl ConnectionTrait,
    secret: &Secret,
    email: &str,
    purpose: Purpose,
    code: &str,
    consume: bool,
    now: DateTime<Utc>,
) -> Result<Result<Model, CodeError>, DbErr> {
    let Some(row) = Entity::find()
        .filter(Column::Email.eq(email))
        .filter(Column::Purpose.eq(purpose.code()))
        .one(conn)
        .await?
    else {
        return Ok(Err(CodeError::Unknown));
    };
    if row.expires_at <= now {
        return Ok(Err(CodeError::Expired));
    }
    if row.attempts >= MAX_ATTEMPTS {
        return Ok(Err(CodeError::TooManyAttempts));
    }
    let expected = hash(secret, email, purpose, code.trim());
    if !bool::from(expected.as_bytes().ct_eq(row.code_hash.as_bytes())) {
        Entity::update_many()
            .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
            .filter(Column::Id.eq(row.id))
            .exec(conn)
            .await?;
        return Ok(Err(CodeError::Wrong));
    }
    if consume {
        // Used once: whoever deletes the row is the one request that gets it.
        let deleted = Entity::delete_many()
            .filter(Column::Id.eq(row.id))
            .filter(Column::CodeHash.eq(row.code_hash.clone()))
            .exec(conn)
            .await?;
        if deleted.rows_affected == 0 {
            return Ok(Err(CodeError::Unknown));
        }
    }
    Ok(Ok(row))
}

/// Issues a code and enqueues the email carrying it, in the caller's transaction.
pub async fn send(
    conn: &impl ConnectionTrait,
    secret: &Secret,
    email: &str,
    purpose: Purpose,
    payload: Option<Json>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let code = issue(conn, secret, email, purpose, payload, now).await?;
    let (subject, what) = match purpose {
        Purpose::Signup => ("Your sign-up code", "finish signing up"),
        Purpose::VerifyEmail => ("Verify your email address", "verify your email address"),
        Purpose::PasswordReset => ("Your password reset code", "choose a new password"),
    };
    let body = format!(
        "Your code is {code}.\n\nEnter it to {what}. It expires in {CODE_LIFETIME_MINUTES} \
         minutes and works once.\n\nIf you did not ask for it, you can ignore this email."
    );
    crate::mail::enqueue(conn, email, subject, &body, now).await
}

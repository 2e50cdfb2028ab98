//! Account rules every product's routes share: creating users, finding them by what a login
//! form sends, checking passwords (with the Django-hash upgrade), rotating refresh tokens, and
//! a user's ordered skills.

use chrono::{TimeZone, Utc};
use sea_orm::sea_query::{ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use std::net::IpAddr;
use std::sync::Arc;

use super::passwords;
use super::revoked_token;
use super::tokens::{TokenPair, TokenType};
use super::user::{self, Account, AccountKind, Names, StringList, SubscriptionTier};
use super::user_skill;
use crate::db::{self, Db};
use crate::error::{ApiError, ApiResult};
use crate::ratelimit::AccountKey;
use crate::state::AppState;

/// AI credits a new account starts with (Grooya's free tier).
pub const STARTING_AI_TEXT_CREDITS: i32 = 10;
pub const STARTING_AI_IMAGE_CREDITS: i32 = 3;
/// At most this many accounts are tried for one "First Last" login.
const MAX_NAME_CANDIDATES: u64 = 5;

/// What a registration route collected; the password is still plain text here.
#[derive(Debug, Default)]
pub struct NewUser {
    pub email: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub account_kind: Option<AccountKind>,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub skills: Vec<String>,
    pub target_roles: Vec<String>,
    pub experience_level: Option<String>,
    pub location: Option<String>,
    /// A password hashed already (a sign-up finished by its emailed code); wins over `password`.
    pub password_hash: Option<String>,
    pub phone_number: Option<String>,
    /// The email was proven (by a code) before the account existed.
    pub email_verified: bool,
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("email already registered")]
    EmailTaken,
    #[error("username already taken")]
    UsernameTaken,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for CreateUserError {
    fn from(err: sea_orm::DbErr) -> Self {
        CreateUserError::Other(err.into())
    }
}

/// Emails are compared and stored lowercased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A strict check: what lettre's RFC 5321/5322 parser (a maintained one) accepts as an
/// address, and within that a plain dot-atom local part (no quoted strings, so no `<`, `"` or
/// spaces ever reach a page that shows the address) and a dotted domain name, 254 bytes at most.
pub fn is_valid_email(email: &str) -> bool {
    let Ok(address) = email.parse::<lettre::Address>() else {
        return false;
    };
    let (local, domain) = (address.user(), address.domain());
    let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    email.len() <= 254
        && !local.is_empty()
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atext))
        && domain.contains('.')
        && !domain.starts_with('[')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Creates an account (and its skills) in one transaction.
pub async fn create_user(db: &Db, new: NewUser) -> Result<user::Model, CreateUserError> {
    create_user_then(db, new, async |_, _| Ok(())).await
}

/// Creates an account (and its skills), then runs `then` in the same transaction: a product
/// writes the rows of its own that a new account of its kind starts with (Gan7Club's profile),
/// so neither exists without the other.
pub async fn create_user_then(
    db: &Db,
    new: NewUser,
    then: impl AsyncFnOnce(&sea_orm::DatabaseTransaction, &user::Model) -> Result<(), sea_orm::DbErr>,
) -> Result<user::Model, CreateUserError> {
    let email = normalize_email(&new.email);
    let username = new
        .username
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| email.clone());
    let password = match (new.password_hash, new.password) {
        (Some(hash), _) => hash,
        (None, Some(plain)) => passwords::hash(plain).await?,
        (None, None) => format!(
            "{}{}",
            passwords::UNUSABLE_PREFIX,
            uuid::Uuid::new_v4().simple()
        ),
    };
    let names = Names::from_parts(&new.first_name, &new.last_name);
    let now = db::now();
    let mut row = new_account_row(email.clone(), username.clone(), password, names, now);
    row.is_staff = Set(new.is_staff);
    row.is_superuser = Set(new.is_superuser);
    row.account_kind = Set(new.account_kind.unwrap_or(AccountKind::User));
    row.target_roles = Set(StringList(new.target_roles));
    row.experience_level = Set(new.experience_level);
    row.phone_number = Set(new.phone_number);
    row.email_verified = Set(new.email_verified);
    row.location = Set(new.location);
    let skills = new.skills;
    let created = db::in_transaction(db.writer(), async |txn| {
        if email_exists(txn, &email).await? {
            return Err(CreateUserError::EmailTaken);
        }
        if username_exists(txn, &username).await? {
            return Err(CreateUserError::UsernameTaken);
        }
        let created = row.insert(txn).await?;
        replace_skills(txn, created.id, &skills).await?;
        then(txn, &created).await?;
        Ok(created)
    })
    .await;
    match created {
        // Lost a race with a concurrent registration (PostgreSQL; SQLite's single writer
        // serializes registrations): say which field was taken.
        Err(CreateUserError::Other(err))
            if err
                .downcast_ref::<sea_orm::DbErr>()
                .is_some_and(db::is_unique_violation) =>
        {
            Err(if email_exists(db.reader(), &email).await? {
                CreateUserError::EmailTaken
            } else {
                CreateUserError::UsernameTaken
            })
        }
        other => other,
    }
}

/// A new account's row with every column at its starting value; callers set what differs.
pub fn new_account_row(
    email: String,
    username: String,
    password_hash: String,
    names: Names,
    now: chrono::DateTime<Utc>,
) -> user::ActiveModel {
    user::ActiveModel {
        email: Set(email),
        username: Set(username),
        first_name: Set(names.first_name),
        last_name: Set(names.last_name),
        full_name: Set(names.full_name),
        name_key: Set(names.name_key),
        password: Set(password_hash),
        is_active: Set(true),
        is_staff: Set(false),
        is_superuser: Set(false),
        account_kind: Set(AccountKind::User),
        email_verified: Set(false),
        phone_number: Set(None),
        title: Set(String::new()),
        bio: Set(String::new()),
        avatar_url: Set(None),
        subscription_tier: Set(SubscriptionTier::Free),
        ai_text_credits: Set(STARTING_AI_TEXT_CREDITS),
        ai_image_credits: Set(STARTING_AI_IMAGE_CREDITS),
        target_roles: Set(StringList::default()),
        experience_level: Set(None),
        location: Set(None),
        date_joined: Set(now),
        updated_at: Set(now),
        last_login: Set(None),
        // Breneo shows profiles publicly unless their owner turns that off, as its original did.
        profile_public: Set(true),
        ..Default::default()
    }
}

/// Locks a user's row until the transaction ends (PostgreSQL; SQLite's single writer serializes
/// writes already), so per-user limits hold under concurrent requests.
pub async fn lock_user(
    txn: &sea_orm::DatabaseTransaction,
    user_id: i64,
) -> Result<(), sea_orm::DbErr> {
    user::Entity::find_by_id(user_id)
        .lock_exclusive()
        .one(txn)
        .await?;
    Ok(())
}

/// The account with this email (compared as stored: normalized).
pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(normalize_email(email)))
        .one(conn)
        .await
}

pub async fn email_exists(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<bool, sea_orm::DbErr> {
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Email.eq(normalize_email(email)))
        .into_tuple::<i64>()
        .one(conn)
        .await?
        .is_some())
}

pub async fn username_exists(
    conn: &impl ConnectionTrait,
    username: &str,
) -> Result<bool, sea_orm::DbErr> {
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Username.eq(username))
        .into_tuple::<i64>()
        .one(conn)
        .await?
        .is_some())
}

pub async fn find_user(db: &Db, id: i64) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find_by_id(id).one(db.reader()).await
}

/// The account behind an authenticated request; a deleted or deactivated account's token is
/// no longer valid.
pub async fn current_user(db: &Db, id: i64) -> ApiResult<user::Model> {
    match find_user(db, id).await? {
        Some(user) if user.is_active => Ok(user),
        _ => Err(ApiError::AccessTokenInvalid),
    }
}

/// The account behind an authenticated request, with its skills, from the in-process cache
/// when it is fresh there.
pub async fn load_account(state: &AppState, id: i64) -> ApiResult<Arc<Account>> {
    if let Some(account) = state.accounts.get(id) {
        return Ok(account);
    }
    let epoch = state.accounts.epoch();
    let user = current_user(&state.db, id).await?;
    let skills = skill_names(&state.db, id).await?;
    let account = Arc::new(Account { user, skills });
    state.accounts.store(id, account.clone(), epoch);
    Ok(account)
}

/// What a login form identified the account by.
#[derive(Clone, Copy, Debug)]
pub enum LoginId<'a> {
    Email(&'a str),
    EmailOrUsername(&'a str),
    /// Breneo: an email in any case, or "First Last".
    EmailOrFullName(&'a str),
}

impl LoginId<'_> {
    /// What the form sent.
    pub fn identifier(&self) -> &str {
        match self {
            LoginId::Email(id) | LoginId::EmailOrUsername(id) | LoginId::EmailOrFullName(id) => id,
        }
    }
}

/// The active account these credentials open, or `None`, after spending the client's and the
/// account's login budgets (429 when either is empty). The account budget is the resolved
/// account's, whatever spelling found it. Takes the same time whether or not the account
/// exists. On success a Django hash is replaced by argon2id and `last_login` set.
pub async fn authenticate(
    state: &AppState,
    ip: IpAddr,
    id: LoginId<'_>,
    password: &str,
) -> ApiResult<Option<user::Model>> {
    state.auth_limiter.check_address(ip).await?;
    let db = &state.db;
    let candidates = login_candidates(db, id).await?;
    let keys: Vec<AccountKey> = if candidates.is_empty() {
        vec![AccountKey::unknown(id.identifier())]
    } else {
        candidates.iter().map(|c| AccountKey::Id(c.id)).collect()
    };
    state.auth_limiter.check_accounts(&keys).await?;
    if candidates.is_empty() {
        passwords::verify_dummy(password.to_owned()).await;
        return Ok(None);
    }
    for candidate in candidates {
        if passwords::verify(password.to_owned(), candidate.password.clone()).await
            && candidate.is_active
        {
            let user = record_login(db, candidate, password).await?;
            state.accounts.forget(user.id);
            return Ok(Some(user));
        }
    }
    Ok(None)
}

async fn login_candidates(db: &Db, id: LoginId<'_>) -> Result<Vec<user::Model>, sea_orm::DbErr> {
    let by_email = user::Column::Email.eq(normalize_email(id.identifier()));
    let condition = match id {
        LoginId::Email(_) => by_email,
        LoginId::EmailOrUsername(raw) => by_email.or(user::Column::Username.eq(raw.trim())),
        LoginId::EmailOrFullName(raw) => by_email.or(user::Column::NameKey.eq(user::name_key(raw))),
    };
    user::Entity::find()
        .filter(condition)
        .order_by_asc(user::Column::Id)
        .limit(MAX_NAME_CANDIDATES)
        .all(db.reader())
        .await
}

async fn record_login(db: &Db, user: user::Model, password: &str) -> ApiResult<user::Model> {
    let upgraded_hash = if passwords::needs_upgrade(&user.password) {
        Some(passwords::hash(password.to_owned()).await?)
    } else {
        None
    };
    let mut active: user::ActiveModel = user.into();
    if let Some(hash) = upgraded_hash {
        active.password = Set(hash);
    }
    active.last_login = Set(Some(db::now()));
    Ok(active.update(db.writer()).await?)
}

/// Mints a new pair for a refresh token's still-active user. The token stays usable until its
/// `exp` (simplejwt's default, which every original ran): the real clients keep the refresh
/// token they got at login and refresh from several components at once, so retiring it on use
/// logged their users out. Only logout (`revoke_refresh_token`), deactivation and deletion
/// end it early.
///
/// A token that does not verify spends the client address's login budget (it is a guess); a
/// valid one spends none: there is no secret left to guess, and Breneo's client sends one
/// refresh per request in flight when its access token expires (a dozen at once on a reload),
/// where any 429 would log the user out.
pub async fn refresh_token_pair(state: &AppState, ip: IpAddr, token: &str) -> ApiResult<TokenPair> {
    let Ok(claims) = state.tokens.verify(token, TokenType::Refresh) else {
        state.auth_limiter.check_address(ip).await?;
        return Err(ApiError::TokenInvalid);
    };
    if is_revoked(&state.db, &claims.jti).await? {
        return Err(ApiError::TokenInvalid);
    }
    match find_user(&state.db, claims.user_id).await? {
        Some(user) if user.is_active => Ok(state.tokens.issue_pair(user.id)?),
        _ => Err(ApiError::TokenInvalid),
    }
}

/// Blacklists a refresh token (logout); an invalid or already-used one is refused.
pub async fn revoke_refresh_token(state: &AppState, token: &str) -> ApiResult<()> {
    let claims = state
        .tokens
        .verify(token, TokenType::Refresh)
        .map_err(|_| ApiError::TokenInvalid)?;
    if revoke(&state.db, &claims.jti, claims.user_id, claims.exp).await? {
        Ok(())
    } else {
        Err(ApiError::TokenInvalid)
    }
}

/// True when the refresh token with this `jti` was logged out.
async fn is_revoked(db: &Db, jti: &str) -> Result<bool, sea_orm::DbErr> {
    Ok(revoked_token::Entity::find_by_id(jti.to_owned())
        .one(db.reader())
        .await?
        .is_some())
}

/// Records a revoked `jti`; false when it was already recorded. Expired entries are pruned on the
/// way, since an expired token is refused by its signature check anyway.
async fn revoke(db: &Db, jti: &str, user_id: i64, exp: i64) -> Result<bool, sea_orm::DbErr> {
    let now = db::now();
    revoked_token::Entity::delete_many()
        .filter(revoked_token::Column::ExpiresAt.lt(now))
        .exec(db.writer())
        .await?;
    let expires_at = Utc.timestamp_opt(exp, 0).single().unwrap_or(now);
    let result = revoked_token::Entity::insert(revoked_token::ActiveModel {
        jti: Set(jti.to_owned()),
        user_id: Set(user_id),
        expires_at: Set(expires_at),
    })
    .on_conflict(
        OnConflict::column(revoked_token::Column::Jti)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db.writer())
    .await?;
    Ok(result == 1)
}

/// A user's skill names in their order.
/// A user's skills in order, each by the taxonomy's name when it knows the skill (whatever the
/// spelling the user typed), else as stored.
pub async fn skill_names(db: &Db, user_id: i64) -> Result<Vec<String>, sea_orm::DbErr> {
    let rows: Vec<(String, String)> = user_skill::Entity::find()
        .select_only()
        .column(user_skill::Column::Name)
        .column(user_skill::Column::NormalizedName)
        .filter(user_skill::Column::UserId.eq(user_id))
        .order_by_asc(user_skill::Column::Position)
        .order_by_asc(user_skill::Column::Id)
        .into_tuple()
        .all(db.reader())
        .await?;
    let taxonomy = crate::skills::taxonomy();
    Ok(rows
        .into_iter()
        .map(|(name, key)| {
            taxonomy
                .lookup(&key)
                .map_or(name, |skill| skill.name.clone())
        })
        .collect())
}

/// Replaces a user's skills with `skills` (Career Navigator's normalized names), in order; names
/// that match one taxonomy key are kept once, and known skills get their category.
pub async fn replace_skills(
    conn: &impl ConnectionTrait,
    user_id: i64,
    skills: &[String],
) -> Result<(), sea_orm::DbErr> {
    user_skill::Entity::delete_many()
        .filter(user_skill::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    let now = db::now();
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<user_skill::ActiveModel> = skills
        .iter()
        .filter(|name| seen.insert(crate::skills::key(name)))
        .enumerate()
        .map(|(position, name)| user_skill::ActiveModel {
            user_id: Set(user_id),
            name: Set(name.clone()),
            normalized_name: Set(crate::skills::key(name)),
            category: Set(crate::skills::taxonomy()
                .lookup(name)
                .map(|s| s.category.as_str().to_owned())),
            position: Set(position as i32),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        user_skill::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_validation_is_plain_and_conservative() {
        for good in ["a@b.co", "first.last+tag@example.co.uk"] {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in [
            "",
            "plain",
            "@b.co",
            "a@b",
            "a@.b.co",
            "a b@c.co",
            "a@b@c.co",
            "a@b.co.",
            "x<svg/onload=alert(1)>@example.com",
            "\"x<y>\"@example.com",
            "a..b@c.co",
            "a@[127.0.0.1]",
            "a@-b.co",
            "a@b_c.co",
            "a@b.co\n",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }
}

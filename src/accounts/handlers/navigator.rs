//! Career Navigator's accounts (`/auth/register`, `/auth/login`, `GET|PUT /auth/me`): a
//! FastAPI contract, so errors are `{"detail": "..."}`, ids are strings, and skills are
//! normalized lowercase names.

use crate::market::sync as market_sync;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::service::{self, CreateUserError, LoginId, NewUser};
use crate::accounts::user::{self, Account, Names, StringList};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AuthUser, ClientIp, DetailJson, Json};
use crate::state::AppState;

pub const EXPERIENCE_LEVELS: [&str; 5] = [
    "12th Pass Out",
    "1st Year",
    "2nd Year",
    "3rd Year",
    "4th Year",
];
const MAX_LIST_ITEMS: usize = 100;
const MAX_ITEM_CHARS: usize = 100;
const MAX_LOCATION_CHARS: usize = 200;

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub full_name: String,
    pub skills: Option<Vec<String>>,
    pub target_roles: Option<Vec<String>>,
    pub experience_level: Option<String>,
    pub location: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A partial update: an absent or null field is left unchanged; `email` cannot change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateMeRequest {
    pub full_name: Option<String>,
    pub skills: Option<Vec<String>>,
    pub target_roles: Option<Vec<String>>,
    pub experience_level: Option<String>,
    pub location: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    /// The user's id, as a string.
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub skills: Vec<String>,
    pub target_roles: Vec<String>,
    pub experience_level: Option<String>,
    pub location: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: &'static str,
    pub user: UserResponse,
}

/// Create an account; answers the user (log in separately).
#[utoipa::path(post, path = "/auth/register", tag = "accounts", request_body = RegisterRequest,
    responses(
        (status = 201, body = UserResponse),
        (status = 400, description = "`{\"detail\": \"Email already registered\"}` and the password and experience-level messages"),
        (status = 429, description = "Too many attempts"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    DetailJson(body): DetailJson<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<UserResponse>)> {
    let email = service::normalize_email(&body.email);
    if !service::is_valid_email(&email) {
        return Err(ApiError::BadRequest(
            "value is not a valid email address".into(),
        ));
    }
    check_password_strength(&body.password)?;
    let experience_level = experience_level(body.experience_level)?;
    let skills = normalize_skills(body.skills.unwrap_or_default())?;
    let max_roles = state.config.user_limits.target_roles;
    let target_roles = clean_target_roles(body.target_roles.unwrap_or_default(), max_roles)?;
    let location = check_location(body.location)?;
    state.auth_limiter.check(ip, Some(&email)).await?;

    let names = Names::from_full_name(&body.full_name);
    let new_user = NewUser {
        email,
        password: Some(body.password),
        first_name: names.first_name,
        last_name: names.last_name,
        skills,
        target_roles,
        experience_level: experience_level.flatten(),
        location,
        ..NewUser::default()
    };
    let user = service::create_user(&state.db, new_user)
        .await
        .map_err(|err| match err {
            CreateUserError::EmailTaken | CreateUserError::UsernameTaken => {
                ApiError::BadRequest("Email already registered".into())
            }
            CreateUserError::Other(err) => ApiError::Internal(err),
        })?;
    let account = service::load_account(&state, user.id).await?;
    Ok((StatusCode::CREATED, Json(UserResponse::from(&*account))))
}

/// Log in with email and password; answers an access token and the user.
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 401, description = "`{\"detail\": \"Incorrect email or password\"}`"),
        (status = 429, description = "Too many attempts"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    DetailJson(body): DetailJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let login = LoginId::Email(&body.email);
    let user = service::authenticate(&state, ip, login, &body.password)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("Incorrect email or password".into()))?;
    let access_token = state.tokens.issue_access(user.id)?;
    let account = service::load_account(&state, user.id).await?;
    Ok(Json(LoginResponse {
        access_token,
        token_type: "bearer",
        user: UserResponse::from(&*account),
    }))
}

/// The current user's profile.
#[utoipa::path(get, path = "/auth/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = UserResponse), (status = 401, description = "Missing or invalid token")))]
pub async fn get_me(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<Json<UserResponse>> {
    let account = service::load_account(&state, auth.id).await?;
    Ok(Json(UserResponse::from(&*account)))
}

/// Update the current user's profile (partial).
#[utoipa::path(put, path = "/auth/me", tag = "accounts", security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses((status = 200, body = UserResponse), (status = 400, description = "`{\"detail\": ...}`")))]
pub async fn update_me(
    State(state): State<AppState>,
    auth: AuthUser,
    DetailJson(body): DetailJson<UpdateMeRequest>,
) -> ApiResult<Json<UserResponse>> {
    let experience_level = experience_level(body.experience_level)?;
    let skills = body.skills.map(normalize_skills).transpose()?;
    let max_roles = state.config.user_limits.target_roles;
    let target_roles = body
        .target_roles
        .map(|roles| clean_target_roles(roles, max_roles))
        .transpose()?;
    let location = check_location(body.location)?;
    let user = service::current_user(&state.db, auth.id).await?;
    // New target roles get their postings gathered from the provider.
    let added_roles: Vec<String> = target_roles
        .iter()
        .flatten()
        .filter(|role| {
            !user
                .target_roles
                .0
                .iter()
                .any(|old| old.eq_ignore_ascii_case(role))
        })
        .cloned()
        .collect();

    let mut active: user::ActiveModel = user.into();
    if let Some(full_name) = &body.full_name {
        let names = Names::from_full_name(full_name);
        active.first_name = Set(names.first_name);
        active.last_name = Set(names.last_name);
        active.full_name = Set(names.full_name);
        active.name_key = Set(names.name_key);
    }
    if let Some(roles) = target_roles {
        active.target_roles = Set(StringList(roles));
    }
    if let Some(level) = experience_level {
        active.experience_level = Set(level);
    }
    if let Some(location) = location {
        active.location = Set(Some(location));
    }
    let now = db::now();
    active.updated_at = Set(now);
    let updated = db::in_transaction(state.db.writer(), async |txn| {
        let updated = active.update(txn).await?;
        if let Some(skills) = skills {
            service::replace_skills(txn, updated.id, &skills).await?;
        }
        market_sync::enqueue_role_syncs(&state, txn, &added_roles, now).await?;
        Ok::<_, ApiError>(updated)
    })
    .await?;
    state.accounts.forget(updated.id);
    let account = service::load_account(&state, updated.id).await?;
    Ok(Json(UserResponse::from(&*account)))
}

impl From<&Account> for UserResponse {
    fn from(Account { user, skills }: &Account) -> Self {
        UserResponse {
            id: user.id.to_string(),
            email: user.email.clone(),
            full_name: user.full_name.clone(),
            // Career Navigator shows skills as lowercase names, whichever product added them.
            skills: skills.iter().map(|skill| skill.to_lowercase()).collect(),
            target_roles: user.target_roles.0.clone(),
            experience_level: user.experience_level.clone(),
            location: user.location.clone(),
            created_at: user.date_joined,
            updated_at: user.updated_at,
        }
    }
}

/// Career Navigator's password rule, checked in the original's order.
pub fn check_password_strength(password: &str) -> ApiResult<()> {
    let problem = if password.chars().count() < 8 {
        Some("Password must be at least 8 characters long")
    } else if !password.chars().any(|c| c.is_uppercase()) {
        Some("Password must contain at least one uppercase letter")
    } else if !password.chars().any(|c| c.is_lowercase()) {
        Some("Password must contain at least one lowercase letter")
    } else if !password.chars().any(|c| c.is_ascii_digit()) {
        Some("Password must contain at least one digit")
    } else {
        None
    };
    problem.map_or(Ok(()), |msg| Err(ApiError::BadRequest(msg.into())))
}

/// What a sent `experience_level` means: absent (`None`), "no level" (`Some(None)`, for `""`,
/// as the original's `if v and v not in valid_levels` lets through), or one of the levels.
fn experience_level(sent: Option<String>) -> ApiResult<Option<Option<String>>> {
    match sent {
        None => Ok(None),
        Some(level) if level.trim().is_empty() => Ok(Some(None)),
        Some(level) => check_experience_level(&level).map(|()| Some(Some(level))),
    }
}

fn check_experience_level(level: &str) -> ApiResult<()> {
    if EXPERIENCE_LEVELS.contains(&level) {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "Experience level must be one of: {}",
            EXPERIENCE_LEVELS.join(", ")
        )))
    }
}

fn check_location(location: Option<String>) -> ApiResult<Option<String>> {
    let location = location.map(|l| l.trim().to_owned());
    match location {
        Some(l) if l.chars().count() > MAX_LOCATION_CHARS => Err(ApiError::BadRequest(format!(
            "Location must be at most {MAX_LOCATION_CHARS} characters"
        ))),
        other => Ok(other),
    }
}

fn check_list_size(name: &str, items: &[String]) -> ApiResult<()> {
    if items.len() > MAX_LIST_ITEMS {
        return Err(ApiError::BadRequest(format!(
            "At most {MAX_LIST_ITEMS} {name} are allowed"
        )));
    }
    if items
        .iter()
        .any(|item| item.chars().count() > MAX_ITEM_CHARS)
    {
        return Err(ApiError::BadRequest(format!(
            "Each of {name} must be at most {MAX_ITEM_CHARS} characters"
        )));
    }
    Ok(())
}

/// Target roles are kept as given (trimmed, blanks and repeats dropped).
/// Roles trimmed and de-duplicated in order, at most `max` of them: each new role may start a
/// paid provider sync, so the count is a spending cap.
fn clean_target_roles(roles: Vec<String>, max: usize) -> ApiResult<Vec<String>> {
    check_list_size("target_roles", &roles)?;
    let mut cleaned: Vec<String> = Vec::with_capacity(roles.len());
    for role in roles.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        if !cleaned.iter().any(|seen| seen == role) {
            cleaned.push(role.to_owned());
        }
    }
    if cleaned.len() > max {
        return Err(ApiError::BadRequest(format!(
            "At most {max} target_roles are allowed"
        )));
    }
    Ok(cleaned)
}

/// Skills are trimmed, lowercased, common aliases resolved, and de-duplicated in order.
pub fn normalize_skills(skills: Vec<String>) -> ApiResult<Vec<String>> {
    check_list_size("skills", &skills)?;
    let mut normalized: Vec<String> = Vec::with_capacity(skills.len());
    for skill in &skills {
        let lowered = skill.trim().to_lowercase();
        if lowered.is_empty() {
            continue;
        }
        let canonical = skill_alias(&lowered).map_or(lowered, str::to_owned);
        if !normalized.contains(&canonical) {
            normalized.push(canonical);
        }
    }
    Ok(normalized)
}

/// The aliases Career Navigator's original normalizer resolves.
fn skill_alias(lowered: &str) -> Option<&'static str> {
    Some(match lowered {
        "js" => "javascript",
        "ts" => "typescript",
        "cpp" => "c++",
        "csharp" => "c#",
        "dotnet" => ".net",
        "node-js" | "node.js" | "node js" => "nodejs",
        "golang" => "go",
        "py" => "python",
        "postgres" => "postgresql",
        "k8s" => "kubernetes",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_are_lowercased_aliased_and_deduplicated_in_order() {
        let skills = [
            "Python",
            " JS",
            "javascript",
            "TS",
            "cpp",
            "CSharp",
            "dotnet",
            "Node-JS",
            "",
            "python",
        ];
        let normalized = normalize_skills(skills.iter().map(|s| s.to_string()).collect()).unwrap();
        assert_eq!(
            normalized,
            [
                "python",
                "javascript",
                "typescript",
                "c++",
                "c#",
                ".net",
                "nodejs"
            ]
        );
    }

    #[test]
    fn password_rules_report_the_first_failure() {
        let message = |pw: &str| match check_password_strength(pw) {
            Err(ApiError::BadRequest(msg)) => msg,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            message("Ab1"),
            "Password must be at least 8 characters long"
        );
        assert_eq!(
            message("lowercase1"),
            "Password must contain at least one uppercase letter"
        );
        assert_eq!(
            message("UPPERCASE1"),
            "Password must contain at least one lowercase letter"
        );
        assert_eq!(
            message("NoDigitsHere"),
            "Password must contain at least one digit"
        );
        assert!(check_password_strength("SecurePass123").is_ok());
    }
}

//! Staff sign-in for the admin: a session cookie (HttpOnly, SameSite=Lax, Secure behind TLS)
//! whose token is stored only as a hash, a CSRF token per session checked on every form, the
//! login form's own CSRF cookie, and the API's login rate limit.

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Digest;
use subtle::ConstantTimeEq;

use super::audit;
use super::page::{AdminError, AdminResult, Layout, render};
use crate::accounts::service::{self, LoginId};
use crate::accounts::user;
use crate::extract::ClientIp;
use crate::state::AppState;

/// The `admin_sessions` table.
pub mod admin_session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "admin_sessions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// SHA-256 of the cookie's token, hex.
        pub token_hash: String,
        pub user_id: i64,
        pub csrf_token: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

const SESSION_COOKIE: &str = "careerhub_admin";
const LOGIN_CSRF_COOKIE: &str = "careerhub_admin_login";
/// How long the login form's CSRF token is good for.
const LOGIN_CSRF_SECONDS: i64 = 3600;
/// A session lasts this long from sign-in, however active.
const SESSION_HOURS: i64 = 12;
/// Admin forms are small; the import form has its own multipart route.
const FORM_LIMIT_BYTES: usize = 64 * 1024;
const BAD_LOGIN: &str = "Please enter the correct email and password for a staff account.";
pub const CSRF_FAILED: &str =
    "The form's security token is missing or wrong. Reload the page and submit it again.";
pub const SUPERUSERS_ONLY: &str =
    "Only a superuser can change staff accounts or make an account staff.";

/// A signed-in, active staff member, and the CSRF token of their session.
pub struct Staff {
    pub user: user::Model,
    pub session_id: i64,
    pub csrf: String,
}

impl Staff {
    /// The page frame for this staff member.
    pub fn layout(&self, title: impl Into<String>, section: &'static str) -> Layout {
        Layout {
            title: title.into(),
            staff_email: self.user.email.clone(),
            csrf: self.csrf.clone(),
            section,
        }
    }

    /// Whether this staff member may change `account`: superusers may change any account, other
    /// staff only accounts that are not staff, so that no ordinary staff member can lock out,
    /// delete or hand credits to a staff account, their own included.
    pub fn may_change(&self, account: &user::Model) -> bool {
        self.user.is_superuser || !(account.is_staff || account.is_superuser)
    }

    /// 403 unless this staff member may change `account` ([`Staff::may_change`]).
    pub fn check_may_change(&self, account: &user::Model) -> AdminResult<()> {
        if self.may_change(account) {
            Ok(())
        } else {
            Err(AdminError::new(StatusCode::FORBIDDEN, SUPERUSERS_ONLY))
        }
    }

    /// 403 unless `token` is this session's CSRF token.
    pub fn check_csrf(&self, token: Option<&str>) -> AdminResult<()> {
        let matches = token.is_some_and(|t| bool::from(t.as_bytes().ct_eq(self.csrf.as_bytes())));
        if matches {
            Ok(())
        } else {
            Err(AdminError::new(StatusCode::FORBIDDEN, CSRF_FAILED))
        }
    }
}

/// Pages need a staff session; without one a visitor is sent to the login form, which brings
/// them back afterwards.
impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match staff_of(&parts.headers, state).await {
            Ok(Some(staff)) => Ok(staff),
            Ok(None) => {
                let back = parts.uri.path_and_query().map_or("/admin", |p| p.as_str());
                let next = if parts.method == axum::http::Method::GET {
                    back
                } else {
                    "/admin"
                };
                let query = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", next)
                    .finish();
                Err(Redirect::to(&format!("/admin/login?{query}")).into_response())
            }
            Err(err) => Err(err.into_response()),
        }
    }
}

async fn staff_of(headers: &HeaderMap, state: &AppState) -> AdminResult<Option<Staff>> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let conn = state.db.reader();
    let Some(session) = admin_session::Entity::find()
        .filter(admin_session::Column::TokenHash.eq(token_hash(token)))
        .filter(admin_session::Column::ExpiresAt.gt(Utc::now()))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let user = user::Entity::find_by_id(session.user_id).one(conn).await?;
    Ok(user
        .filter(|u| u.is_staff && u.is_active)
        .map(|user| Staff {
            user,
            session_id: session.id,
            csrf: session.csrf_token,
        }))
}

/// A posted admin form: the staff member, and the form's fields once its CSRF token checked out.
pub struct AdminForm<T>(pub Staff, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for AdminForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let staff = Staff::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, FORM_LIMIT_BYTES)
            .await
            .map_err(|_| AdminError::bad_request("The form is too large.").into_response())?;
        let token = form_value(&bytes, "csrf_token");
        staff
            .check_csrf(token.as_deref())
            .map_err(IntoResponse::into_response)?;
        let fields = serde_urlencoded::from_bytes::<T>(&bytes).map_err(|err| {
            AdminError::bad_request(format!("The form is incomplete: {err}.")).into_response()
        })?;
        Ok(AdminForm(staff, fields))
    }
}

fn form_value(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The value of one cookie in the request.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

fn random_token() -> String {
    hex(&rand::random::<[u8; 32]>())
}

/// The login form's CSRF token: a random nonce, its expiry and a MAC over both under a key
/// derived from the server's secret. The form and the cookie carry the same token, and only a
/// token this server issued and that has not expired passes, so a cookie an attacker planted
/// (a sibling subdomain can set one) with a matching field of their own is refused.
fn issue_login_csrf(secret: &str, now: i64) -> String {
    let nonce = hex(&rand::random::<[u8; 16]>());
    let expires = now + LOGIN_CSRF_SECONDS;
    let mac = login_csrf_mac(secret, &nonce, expires);
    format!("{nonce}.{expires}.{mac}")
}

fn login_csrf_mac(secret: &str, nonce: &str, expires: i64) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(format!("admin-login-csrf:{secret}").as_bytes())
            .expect("HMAC takes any key length");
    mac.update(format!("{nonce}.{expires}").as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// True when `token` is one `issue_login_csrf` made, unexpired, and equal to the cookie's.
fn login_csrf_valid(secret: &str, token: &str, cookie: &str, now: i64) -> bool {
    if !bool::from(token.as_bytes().ct_eq(cookie.as_bytes())) {
        return false;
    }
    let mut parts = token.splitn(3, '.');
    let (Some(nonce), Some(expires), Some(mac)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Ok(expires) = expires.parse::<i64>() else {
        return false;
    };
    let expected = login_csrf_mac(secret, nonce, expires);
    expires > now && nonce.len() == 32 && bool::from(mac.as_bytes().ct_eq(expected.as_bytes()))
}

fn token_hash(token: &str) -> String {
    hex(&sha2::Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A cookie for the admin paths only; `Secure` when careerhub is reached over TLS.
fn set_cookie(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age: i64,
) -> HeaderValue {
    let secure = if served_over_tls(state, headers) {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{name}={value}; Path=/admin; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&cookie).expect("tokens are hex")
}

/// TLS is known from the public URL, or from a trusted proxy's `X-Forwarded-Proto`.
fn served_over_tls(state: &AppState, headers: &HeaderMap) -> bool {
    state.config.public_base_url.starts_with("https://")
        || (state.config.trusted_proxy_hops > 0
            && headers
                .get("x-forwarded-proto")
                .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https")))
}

/// Where to go after signing in: only a path inside the admin, never another site.
fn safe_next(next: &str) -> &str {
    let inside = next == "/admin" || next.starts_with("/admin/") || next.starts_with("/admin?");
    if inside && !next.contains("//") && !next.contains('\\') {
        next
    } else {
        "/admin"
    }
}

#[derive(askama::Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    layout: Layout,
    error: Option<&'static str>,
    next: String,
    email: String,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

/// `GET /admin/login`: the form, with a fresh CSRF cookie for it.
pub async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<LoginQuery>,
) -> AdminResult<Response> {
    if staff_of(&headers, &state).await?.is_some() {
        return Ok(Redirect::to(safe_next(&query.next)).into_response());
    }
    Ok(login_form(
        &state,
        &headers,
        StatusCode::OK,
        None,
        query.next,
        String::new(),
    ))
}

fn login_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<&'static str>,
    next: String,
    email: String,
) -> Response {
    let csrf = issue_login_csrf(state.config.jwt_secret.expose(), Utc::now().timestamp());
    let page = LoginPage {
        layout: Layout {
            title: "Log in".into(),
            staff_email: String::new(),
            csrf: csrf.clone(),
            section: "",
        },
        error,
        next,
        email,
    };
    let mut response = render(status, &page);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, headers, LOGIN_CSRF_COOKIE, &csrf, LOGIN_CSRF_SECONDS),
    );
    response
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /admin/login`: staff credentials open a session; anything else shows the form again.
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> AdminResult<Response> {
    let planted = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    let secret = state.config.jwt_secret.expose();
    if !login_csrf_valid(secret, &form.csrf_token, planted, Utc::now().timestamp()) {
        return Err(AdminError::new(StatusCode::FORBIDDEN, CSRF_FAILED));
    }
    let user =
        service::authenticate(&state, ip, LoginId::Email(&form.email), &form.password).await?;
    let Some(user) = user.filter(|u| u.is_staff) else {
        tracing::info!(%ip, "admin login refused");
        return Ok(login_form(
            &state,
            &headers,
            StatusCode::UNAUTHORIZED,
            Some(BAD_LOGIN),
            form.next,
            form.email,
        ));
    };
    let token = random_token();
    let now = crate::db::now();
    let conn = state.db.writer();
    admin_session::Entity::delete_many()
        .filter(admin_session::Column::ExpiresAt.lte(now))
        .exec(conn)
        .await?;
    admin_session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user.id),
        csrf_token: Set(random_token()),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(SESSION_HOURS)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let actor = audit::Actor {
        id: user.id,
        email: &user.email,
    };
    audit::record(conn, actor, "admin.login", ("user", user.id), None, None).await?;
    let mut response = Redirect::to(safe_next(&form.next)).into_response();
    let cookies = response.headers_mut();
    cookies.append(
        header::SET_COOKIE,
        set_cookie(
            &state,
            &headers,
            SESSION_COOKIE,
            &token,
            SESSION_HOURS * 3600,
        ),
    );
    cookies.append(
        header::SET_COOKIE,
        set_cookie(&state, &headers, LOGIN_CSRF_COOKIE, "", 0),
    );
    Ok(response)
}

#[derive(Deserialize)]
pub struct NoFields {}

/// `POST /admin/logout`: ends the session here and in the database.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    AdminForm(staff, NoFields {}): AdminForm<NoFields>,
) -> AdminResult<Response> {
    admin_session::Entity::delete_by_id(staff.session_id)
        .exec(state.db.writer())
        .await?;
    let mut response = Redirect::to("/admin/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, &headers, SESSION_COOKIE, "", 0),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_inside_the_admin() {
        assert_eq!(safe_next("/admin/users?q=a"), "/admin/users?q=a");
        assert_eq!(safe_next("/admin"), "/admin");
        assert_eq!(safe_next("https://evil.example/admin"), "/admin");
        assert_eq!(safe_next("//evil.example"), "/admin");
        assert_eq!(safe_next("/admin//evil.example"), "/admin");
        assert_eq!(safe_next("/administrator"), "/admin");
        assert_eq!(safe_next("/api/me"), "/admin");
    }

    #[test]
    fn only_a_login_csrf_token_this_server_issued_and_unexpired_passes() {
        let secret = "a-secret-of-the-server-0123456789abcdef";
        let token = issue_login_csrf(secret, 1_000);
        assert!(login_csrf_valid(secret, &token, &token, 1_001));
        // A planted matching pair, a token of another key, an expired one, a tampered expiry.
        assert!(!login_csrf_valid(secret, "short", "short", 1_001));
        let foreign = issue_login_csrf("another-server-secret-0123456789abcdef", 1_000);
        assert!(!login_csrf_valid(secret, &foreign, &foreign, 1_001));
        assert!(!login_csrf_valid(
            secret,
            &token,
            &token,
            1_000 + LOGIN_CSRF_SECONDS
        ));
        let (nonce, rest) = token.split_once('.').unwrap();
        let mac = rest.split_once('.').unwrap().1;
        let stretched = format!("{nonce}.99999999999.{mac}");
        assert!(!login_csrf_valid(secret, &stretched, &stretched, 1_001));
        assert!(!login_csrf_valid(secret, &token, "", 1_001));
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("careerhub_admin_login=x; careerhub_admin=abc"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, LOGIN_CSRF_COOKIE), Some("x"));
        assert_eq!(cookie(&headers, "other"), None);
    }
}

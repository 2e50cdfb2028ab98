//! Request extractors whose rejections are answered in the contract's shapes: JSON bodies (DRF
//! field errors, or FastAPI-style `detail` for Career Navigator), bearer authentication,
//! path and query parameters, and the client's address for rate limiting.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{
    ConnectInfo, FromRequest, FromRequestParts, OptionalFromRequestParts, Request,
};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::accounts::tokens::TokenType;
use crate::error::{ApiError, FIELD_REQUIRED};
use crate::state::AppState;

/// A JSON body whose errors are DRF serializer errors: `{"field": ["message"]}`.
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// For PATCH-style bodies: an absent field is `None`, an explicit `null` is `Some(None)`.
/// Use with `#[serde(default, deserialize_with = "extract::explicit_null")]`.
pub fn explicit_null<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A JSON body whose errors are `{"detail": "message"}` (the FastAPI-backed Career Navigator).
pub struct DetailJson<T>(pub T);

/// Why a JSON body could not become the requested type.
#[derive(Debug, PartialEq, Eq)]
pub enum JsonProblem {
    TooLarge,
    UnsupportedMediaType(String),
    /// Not JSON at all.
    Syntax(String),
    /// A required field is absent.
    Missing(String),
    /// A field has the wrong type or value.
    Invalid {
        field: String,
        message: String,
    },
    /// The document is JSON but not the object expected.
    NotAnObject(String),
}

impl JsonProblem {
    pub fn into_drf_error(self) -> ApiError {
        match self {
            JsonProblem::TooLarge => ApiError::PayloadTooLarge,
            JsonProblem::UnsupportedMediaType(media) => ApiError::UnsupportedMediaType(media),
            JsonProblem::Syntax(msg) => ApiError::BadRequest(format!("JSON parse error - {msg}")),
            JsonProblem::Missing(field) => ApiError::field(&field, FIELD_REQUIRED),
            JsonProblem::Invalid { field, message } => ApiError::field(&field, message),
            JsonProblem::NotAnObject(got) => ApiError::non_field(format!(
                "Invalid data. Expected a dictionary, but got {got}."
            )),
        }
    }

    fn into_detail_error(self) -> ApiError {
        match self {
            JsonProblem::Missing(field) => ApiError::BadRequest(format!("{field}: Field required")),
            JsonProblem::Invalid { field, message } => {
                ApiError::BadRequest(format!("{field}: {message}"))
            }
            JsonProblem::NotAnObject(got) => {
                ApiError::BadRequest(format!("Request body must be a JSON object, not {got}."))
            }
            other => other.into_drf_error(),
        }
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let body = read_json_body(req, state)
            .await
            .map_err(JsonProblem::into_drf_error)?;
        parse_json(&body)
            .map(Json)
            .map_err(JsonProblem::into_drf_error)
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for DetailJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let body = read_json_body(req, state)
            .await
            .map_err(JsonProblem::into_detail_error)?;
        parse_json(&body)
            .map(DetailJson)
            .map_err(JsonProblem::into_detail_error)
    }
}

/// The body's bytes, after checking its media type and size. A body sent without a
/// `Content-Type` is read as JSON (curl and some mobile clients omit it).
async fn read_json_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, JsonProblem> {
    if let Some(content_type) = req.headers().get(header::CONTENT_TYPE) {
        let media = content_type.to_str().unwrap_or_default();
        let essence = media
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if essence != "application/json" && !essence.ends_with("+json") {
            return Err(JsonProblem::UnsupportedMediaType(media.to_owned()));
        }
    }
    Bytes::from_request(req, state)
        .await
        .map_err(|rejection: BytesRejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                JsonProblem::TooLarge
            } else {
                JsonProblem::Syntax(rejection.body_text())
            }
        })
}

/// Any JSON document, for handlers that word their own errors about its shape (Breneo's
/// industry profile answers "Request body must be JSON object."). Syntax errors are the usual
/// `JSON parse error - …`; an empty body is `{}`.
pub struct JsonValue(pub serde_json::Value);

impl<S: Send + Sync> FromRequest<S> for JsonValue {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let body = read_json_body(req, state)
            .await
            .map_err(JsonProblem::into_drf_error)?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonValue(serde_json::Value::Object(Default::default())));
        }
        serde_json::from_slice(&body)
            .map(JsonValue)
            .map_err(|err| JsonProblem::Syntax(err.to_string()).into_drf_error())
    }
}

/// The authenticated user's account, active and loaded (from the per-process cache when fresh):
/// for routes that must refuse a deactivated or deleted account's still-valid token.
pub struct ActiveUser(pub std::sync::Arc<crate::accounts::user::Account>);

impl ActiveUser {
    pub fn id(&self) -> i64 {
        self.0.user.id
    }
}

impl FromRequestParts<AppState> for ActiveUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth =
            <AuthUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        crate::accounts::service::load_account(state, auth.id)
            .await
            .map(ActiveUser)
    }
}

/// Parses a JSON object body into `T`, naming the offending field on failure. An empty body is
/// `{}`, as Django REST Framework treats it; any other top-level value is refused (serde would
/// otherwise read a struct out of an array, positionally).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, JsonProblem> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(value) => JsonProblem::NotAnObject(json_kind(&value)),
            Err(err) => JsonProblem::Syntax(err.to_string()),
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        classify(&path, &inner)
    })?;
    deserializer
        .end()
        .map_err(|err| JsonProblem::Syntax(err.to_string()))?;
    Ok(value)
}

fn classify(path: &str, err: &serde_json::Error) -> JsonProblem {
    use serde_json::error::Category;
    if matches!(
        err.classify(),
        Category::Syntax | Category::Eof | Category::Io
    ) {
        return JsonProblem::Syntax(err.to_string());
    }
    let message = without_location(&err.to_string());
    if let Some(field) = missing_field_name(&message) {
        return JsonProblem::Missing(join_path(path, &field));
    }
    JsonProblem::Invalid {
        field: top_level_field(path),
        message: drf_message(&message),
    }
}

/// serde says "missing field `email`".
fn missing_field_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.trim_end_matches('`').to_owned())
}

fn join_path(path: &str, field: &str) -> String {
    if path == "." || path.is_empty() {
        field.to_owned()
    } else {
        top_level_field(path)
    }
}

/// DRF keys errors by the top-level field: "skills[2]" and "address.city" → "skills", "address".
fn top_level_field(path: &str) -> String {
    path.split(['.', '[']).next().unwrap_or(path).to_owned()
}

fn without_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// The message DRF would give for the type serde expected.
fn drf_message(serde_message: &str) -> String {
    let expected = serde_message.split("expected ").nth(1).unwrap_or_default();
    if serde_message.starts_with("unknown variant") {
        let value = serde_message.split('`').nth(1).unwrap_or_default();
        return format!("\"{value}\" is not a valid choice.");
    }
    if expected.starts_with("a string") {
        "Not a valid string.".into()
    } else if expected.starts_with("a boolean") {
        "Must be a valid boolean.".into()
    } else if expected.starts_with('i') || expected.starts_with('u') {
        "A valid integer is required.".into()
    } else if expected.starts_with('f') {
        "A valid number is required.".into()
    } else if expected.starts_with("a sequence") {
        "Expected a list of items.".into()
    } else if expected.starts_with("a map") || expected.starts_with("struct") {
        "Expected a dictionary of items.".into()
    } else {
        format!("Invalid value: {serde_message}.")
    }
}

/// How DRF names the type of a top-level JSON value that is not an object.
fn json_kind(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Array(_) => "list",
        Value::String(_) => "str",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::Bool(_) => "bool",
        Value::Null => "NoneType",
        Value::Object(_) => "dict",
    }
    .to_owned()
}

/// The authenticated user, from a verified access token alone (no database read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthUser {
    pub id: i64,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(parts)?.ok_or(ApiError::NotAuthenticated)?;
        let claims = state
            .tokens
            .verify(token, TokenType::Access)
            .map_err(|_| ApiError::AccessTokenInvalid)?;
        Ok(AuthUser { id: claims.user_id })
    }
}

/// `Option<AuthUser>`: no credentials → `None`; bad credentials → still 401.
impl OptionalFromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        if bearer_token(parts)?.is_none() {
            return Ok(None);
        }
        <AuthUser as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

/// The token of an `Authorization: Bearer …` header; `None` when there is no such header
/// (another scheme counts as none, as in simplejwt).
fn bearer_token(parts: &Parts) -> Result<Option<&str>, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::AccessTokenInvalid)?;
    let mut words = value.split_ascii_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some(scheme), Some(token), None) if scheme.eq_ignore_ascii_case("bearer") => {
            Ok(Some(token))
        }
        (Some(scheme), _, _) if scheme.eq_ignore_ascii_case("bearer") => {
            Err(ApiError::AccessTokenInvalid)
        }
        _ => Ok(None),
    }
}

/// Path parameters; a value of the wrong shape is a 404, as Django's URL patterns answer.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        <axum::extract::Path<T> as FromRequestParts<S>>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|_| ApiError::NotFound(crate::error::NOT_FOUND.into()))
    }
}

/// Query parameters; a malformed one is a 400 `{"detail": …}`.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        <axum::extract::Query<T> as FromRequestParts<S>>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|rejection| {
                ApiError::BadRequest(format!(
                    "Invalid query parameters: {}",
                    rejection.body_text()
                ))
            })
    }
}

/// The client's address: the TCP peer, or, behind `CAREERHUB_TRUSTED_PROXY_HOPS` proxies, the
/// address the outermost trusted proxy saw (read from the right of `X-Forwarded-For`, so a
/// client cannot choose it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let hops = state.config.trusted_proxy_hops;
        if hops == 0 {
            return Ok(ClientIp(peer));
        }
        let forwarded: Vec<IpAddr> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|part| part.trim().parse().ok())
            .collect();
        let ip = forwarded
            .len()
            .checked_sub(hops)
            .and_then(|i| forwarded.get(i))
            .copied();
        Ok(ClientIp(ip.unwrap_or(peer)))
    }
}

/// One part of a multipart form, read whole (every route bounds the body size first).
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    /// The part's declared `Content-Type`, if any.
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

impl FormPart {
    /// The part as trimmed text (lossy: form values are meant to be UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).trim().to_owned()
    }
}

/// A `multipart/form-data` body, or `None` when the request is not one (the routes then read
/// their fields from nothing and answer "No file was submitted.").
pub async fn read_multipart(
    request: Request,
    state: &AppState,
) -> Result<Option<Vec<FormPart>>, ApiError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        return Ok(None);
    }
    let mut multipart = axum::extract::Multipart::from_request(request, state)
        .await
        .map_err(|err| ApiError::BadRequest(err.body_text()))?;
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.map_err(multipart_error)?;
        parts.push(FormPart {
            name,
            file_name,
            content_type,
            bytes,
        });
    }
    Ok(Some(parts))
}

/// A multipart read failure: 413 past the route's body limit, else a 400 naming the problem.
pub fn multipart_error(err: axum::extract::multipart::MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::BadRequest(format!("The upload could not be read: {}", err.body_text()))
    }
}

/// A body that is a multipart form (its parts, and its text fields as a JSON object) or a JSON
/// object (no parts): what the profile routes take, since their frontends send either.
pub async fn read_form_or_json(
    request: Request,
    state: &AppState,
) -> Result<(Vec<FormPart>, serde_json::Value), ApiError> {
    let is_json = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
    if is_json {
        let crate::extract::JsonValue(value) =
            <crate::extract::JsonValue as axum::extract::FromRequest<AppState>>::from_request(
                request, state,
            )
            .await?;
        return Ok((Vec::new(), value));
    }
    let parts = read_multipart(request, state).await?.unwrap_or_default();
    let mut fields = serde_json::Map::new();
    for part in parts.iter().filter(|p| p.file_name.is_none()) {
        fields.insert(part.name.clone(), serde_json::json!(part.text()));
    }
    Ok((parts, serde_json::Value::Object(fields)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        remember: Option<bool>,
        tags: Option<Vec<String>>,
    }

    #[test]
    fn missing_wrong_type_and_nested_errors_name_the_top_level_field() {
        assert_eq!(
            parse_json::<Login>(br#"{}"#).unwrap_err(),
            JsonProblem::Missing("email".into())
        );
        assert_eq!(
            parse_json::<Login>(br#"{"email": 5}"#).unwrap_err(),
            JsonProblem::Invalid {
                field: "email".into(),
                message: "Not a valid string.".into()
            }
        );
        assert_eq!(
            parse_json::<Login>(br#"{"email": "a@b.c", "remember": "yes"}"#).unwrap_err(),
            JsonProblem::Invalid {
                field: "remember".into(),
                message: "Must be a valid boolean.".into()
            }
        );
        assert_eq!(
            parse_json::<Login>(br#"{"email": "a@b.c", "tags": ["x", 1]}"#).unwrap_err(),
            JsonProblem::Invalid {
                field: "tags".into(),
                message: "Not a valid string.".into()
            }
        );
    }

    #[test]
    fn syntax_errors_and_non_objects_are_told_apart() {
        assert!(matches!(
            parse_json::<Login>(br#"{"email": "#),
            Err(JsonProblem::Syntax(_))
        ));
        assert!(matches!(
            parse_json::<Login>(br#"{"email": "a"} trailing"#),
            Err(JsonProblem::Syntax(_))
        ));
        assert_eq!(
            parse_json::<Login>(b"[1, 2]").unwrap_err(),
            JsonProblem::NotAnObject("list".into())
        );
        assert_eq!(
            parse_json::<Login>(br#"["a@b.c", true, null]"#).unwrap_err(),
            JsonProblem::NotAnObject("list".into())
        );
        assert_eq!(
            parse_json::<Login>(b"null").unwrap_err(),
            JsonProblem::NotAnObject("NoneType".into())
        );
        assert!(matches!(
            parse_json::<Login>(b"nope"),
            Err(JsonProblem::Syntax(_))
        ));
    }

    #[test]
    fn an_empty_body_is_an_empty_object() {
        assert_eq!(
            parse_json::<Login>(b"  ").unwrap_err(),
            JsonProblem::Missing("email".into())
        );
    }
}

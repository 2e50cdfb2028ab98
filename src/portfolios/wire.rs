//! Grooya's two spellings. Its frontend (`types.ts`) sends and reads camelCase keys, string ids
//! and millisecond timestamps, and sends back whole objects as its state holds them, our answer
//! included; DRF-style clients send and read the seed's snake_case. So every Grooya body is read
//! in either spelling (the camelCase key wins when both come: it is the client's own state) and
//! every answer carries both.

use axum::extract::{FromRequest, Request};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::extract::{Json, JsonProblem, parse_json};

/// A request type's camelCase spellings: `(camelCase, snake_case)` pairs.
pub trait Spellings {
    const CAMEL_CASE: &'static [(&'static str, &'static str)];
}

/// A JSON object body in either spelling, read as `T` (whose fields are snake_case), with the
/// object itself (in snake_case) for handlers that keep what `T` does not name.
pub struct GrooyaJson<T> {
    pub body: T,
    pub object: Map<String, Value>,
}

impl<T: DeserializeOwned + Spellings, S: Send + Sync> FromRequest<S> for GrooyaJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let Json(object) = Json::<Map<String, Value>>::from_request(req, state).await?;
        let object = snake_case(object, T::CAMEL_CASE);
        let bytes = serde_json::to_vec(&object).map_err(anyhow::Error::from)?;
        let body = parse_json::<T>(&bytes).map_err(JsonProblem::into_drf_error)?;
        Ok(GrooyaJson { body, object })
    }
}

/// `object` with each camelCase key of `pairs` renamed to its snake_case one, replacing a
/// snake_case value sent beside it.
pub fn snake_case(mut object: Map<String, Value>, pairs: &[(&str, &str)]) -> Map<String, Value> {
    for (camel, snake) in pairs {
        if let Some(value) = object.remove(*camel) {
            object.insert((*snake).to_owned(), value);
        }
    }
    object
}

/// An id as the frontend compares it with route parameters: a string.
pub fn id_string<S: Serializer>(id: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(id)
}

/// A timestamp as `Date.now()` gives it: milliseconds since the epoch.
pub fn millis<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_i64(at.timestamp_millis())
}

/// `value` serialized, then `extra`'s keys that it does not already have.
pub fn with_extra<T: Serialize>(value: &T, extra: &Map<String, Value>) -> Value {
    let mut object = match serde_json::to_value(value) {
        Ok(Value::Object(object)) => object,
        _ => Map::new(),
    };
    for (key, value) in extra {
        object.entry(key.clone()).or_insert_with(|| value.clone());
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_camel_case_spelling_wins_over_the_snake_case_one() {
        let object = json!({"isGuided": false, "is_guided": true, "title": "T"});
        let Value::Object(object) = object else {
            unreachable!()
        };
        let object = snake_case(object, &[("isGuided", "is_guided")]);
        assert_eq!(
            Value::Object(object),
            json!({"is_guided": false, "title": "T"})
        );
    }
}

//! JWTs as djangorestframework-simplejwt makes them (HS256; `token_type`, `exp`, `iat`, `jti`,
//! `user_id`, plus `sub`), so one access token works on every product's routes.
//!
//! Access tokens are verified without touching the database. Refresh tokens are good until they
//! expire, as simplejwt's are by default; logout records the token's `jti` (see
//! `revoked_token`), and the refresh route refuses a recorded one.

use std::time::Duration;

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::Config;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Access,
    Refresh,
}

/// The claims of both token kinds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub token_type: TokenType,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub user_id: i64,
    pub sub: String,
}

/// A fresh access and refresh token for one user.
#[derive(Clone, Debug)]
pub struct TokenPair {
    pub access: String,
    pub refresh: String,
    pub refresh_claims: Claims,
}

/// Signing and verification keys with their lifetimes.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl: Duration,
    refresh_ttl: Duration,
}

/// Why a token was refused (never shown to the client, which gets one generic body).
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("invalid token: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
    #[error("wrong token type")]
    WrongType,
    /// RFC 7515 §4.1.11: a header naming extensions the verifier must understand; we
    /// understand none, so any `crit` is refused.
    #[error("the token's header has critical extensions")]
    CriticalHeader,
}

impl TokenKeys {
    pub fn from_config(config: &Config) -> TokenKeys {
        Self::new(
            config.jwt_secret.expose().as_bytes(),
            config.access_token_ttl,
            config.refresh_token_ttl,
        )
    }

    pub fn new(secret: &[u8], access_ttl: Duration, refresh_ttl: Duration) -> TokenKeys {
        // Only HS256 is accepted: "alg: none" and algorithm-confusion tokens fail here.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        // A token not valid yet is not valid (simplejwt's tokens carry no `nbf`; others may).
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "sub"]);
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl,
            refresh_ttl,
        }
    }

    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    /// Mints an access and a refresh token for a user.
    pub fn issue_pair(&self, user_id: i64) -> anyhow::Result<TokenPair> {
        let access = self.sign(&self.claims(user_id, TokenType::Access, self.access_ttl))?;
        let refresh_claims = self.claims(user_id, TokenType::Refresh, self.refresh_ttl);
        let refresh = self.sign(&refresh_claims)?;
        Ok(TokenPair {
            access,
            refresh,
            refresh_claims,
        })
    }

    /// Mints an access token alone (Career Navigator's login returns only that).
    pub fn issue_access(&self, user_id: i64) -> anyhow::Result<String> {
        self.sign(&self.claims(user_id, TokenType::Access, self.access_ttl))
    }

    /// Checks signature, algorithm, expiry and type.
    pub fn verify(&self, token: &str, expected: TokenType) -> Result<Claims, TokenError> {
        if has_critical_header(token) {
            return Err(TokenError::CriticalHeader);
        }
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)?;
        if data.claims.token_type != expected {
            return Err(TokenError::WrongType);
        }
        Ok(data.claims)
    }

    fn claims(&self, user_id: i64, token_type: TokenType, ttl: Duration) -> Claims {
        let now = Utc::now().timestamp();
        Claims {
            token_type,
            exp: now + ttl.as_secs() as i64,
            iat: now,
            jti: uuid::Uuid::new_v4().simple().to_string(),
            user_id,
            sub: user_id.to_string(),
        }
    }

    fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &self.encoding,
        )?)
    }
}

/// True when the token's JOSE header carries `crit` (or is not readable JSON, which the
/// library then refuses anyway).
fn has_critical_header(token: &str) -> bool {
    use base64::Engine;
    let Some(header) = token.split('.').next() else {
        return false;
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes)
        .is_ok_and(|fields| fields.contains_key("crit"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn keys() -> TokenKeys {
        TokenKeys::new(
            b"unit-test-secret-unit-test-secret!!",
            Duration::from_secs(60),
            Duration::from_secs(600),
        )
    }

    #[test]
    fn an_issued_pair_verifies_with_its_own_type_only() {
        let keys = keys();
        let pair = keys.issue_pair(42).unwrap();
        let access = keys.verify(&pair.access, TokenType::Access).unwrap();
        assert_eq!((access.user_id, access.sub.as_str()), (42, "42"));
        assert!(matches!(
            keys.verify(&pair.access, TokenType::Refresh),
            Err(TokenError::WrongType)
        ));
        assert!(matches!(
            keys.verify(&pair.refresh, TokenType::Access),
            Err(TokenError::WrongType)
        ));
        assert_eq!(
            keys.verify(&pair.refresh, TokenType::Refresh).unwrap(),
            pair.refresh_claims
        );
    }

    #[test]
    fn unsigned_tampered_and_foreign_tokens_are_refused() {
        let keys = keys();
        let pair = keys.issue_pair(7).unwrap();
        let parts: Vec<&str> = pair.access.split('.').collect();

        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let unsigned = format!("{none_header}.{}.", parts[1]);
        assert!(keys.verify(&unsigned, TokenType::Access).is_err());

        let claims = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        let forged = URL_SAFE_NO_PAD.encode(claims.replace("\"user_id\":7", "\"user_id\":8"));
        let tampered = format!("{}.{forged}.{}", parts[0], parts[2]);
        assert!(keys.verify(&tampered, TokenType::Access).is_err());

        let other = TokenKeys::new(
            b"another-secret-another-secret!!!!!",
            Duration::from_secs(60),
            Duration::from_secs(60),
        );
        assert!(
            keys.verify(&other.issue_access(7).unwrap(), TokenType::Access)
                .is_err()
        );
    }

    #[test]
    fn an_expired_token_is_refused() {
        let keys = keys();
        let mut claims = keys.claims(1, TokenType::Access, Duration::from_secs(60));
        claims.exp = Utc::now().timestamp() - 1;
        let token = keys.sign(&claims).unwrap();
        assert!(keys.verify(&token, TokenType::Access).is_err());
    }

    /// Signs arbitrary claims and header fields with the test key, as a forger holding the key
    /// (or a careless issuer) could.
    fn signed(header: serde_json::Value, claims: serde_json::Value) -> String {
        use hmac::{KeyInit, Mac};
        let head = URL_SAFE_NO_PAD.encode(header.to_string());
        let body = URL_SAFE_NO_PAD.encode(claims.to_string());
        let mut mac =
            hmac::Hmac::<sha2::Sha256>::new_from_slice(b"unit-test-secret-unit-test-secret!!")
                .unwrap();
        mac.update(format!("{head}.{body}").as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{head}.{body}.{signature}")
    }

    fn claims_json(extra: serde_json::Value) -> serde_json::Value {
        let now = Utc::now().timestamp();
        let mut claims = serde_json::json!({"token_type": "access", "exp": now + 60, "iat": now,
            "jti": "j", "user_id": 3, "sub": "3"});
        claims
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        claims
    }

    #[test]
    fn a_token_before_its_nbf_is_refused_and_after_it_accepted() {
        let keys = keys();
        let header = serde_json::json!({"alg": "HS256", "typ": "JWT"});
        let later = Utc::now().timestamp() + 600;
        let early = signed(
            header.clone(),
            claims_json(serde_json::json!({"nbf": later})),
        );
        assert!(keys.verify(&early, TokenType::Access).is_err());
        let past = Utc::now().timestamp() - 10;
        let valid = signed(header, claims_json(serde_json::json!({"nbf": past})));
        assert_eq!(keys.verify(&valid, TokenType::Access).unwrap().user_id, 3);
    }

    #[test]
    fn a_header_with_critical_extensions_is_refused() {
        let keys = keys();
        let header =
            serde_json::json!({"alg": "HS256", "typ": "JWT", "crit": ["exp-ext"], "exp-ext": 1});
        let token = signed(header, claims_json(serde_json::json!({})));
        assert!(matches!(
            keys.verify(&token, TokenType::Access),
            Err(TokenError::CriticalHeader)
        ));
        let plain = signed(
            serde_json::json!({"alg": "HS256", "typ": "JWT"}),
            claims_json(serde_json::json!({})),
        );
        assert!(keys.verify(&plain, TokenType::Access).is_ok());
    }
}

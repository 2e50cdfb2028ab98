//! The AI provider: any OpenAI-compatible chat-completions endpoint (Groq, OpenAI, Gemini's
//! OpenAI layer, Ollama), configured with `AI_BASE_URL`, `AI_API_KEY` and `AI_MODEL`. Requests
//! have a time limit and are retried on rate limits, server errors and timeouts; the answer is
//! asked for, and parsed, as one JSON object.

use std::time::Duration;

use serde_json::{Value, json};

use crate::config::Secret;

/// Groq's endpoint and the model the original JobTracker used there.
pub const DEFAULT_BASE_URL: &str = "https://api.groq.com/openai/v1";
pub const DEFAULT_MODEL: &str = "llama-3.3-70b-versatile";
pub const DEFAULT_IMAGE_MODEL: &str = "gpt-image-1";
/// A generated image larger than this is refused.
const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;
/// The largest answers read from the provider: a chat completion is a few KiB of JSON; an
/// image answer carries the image in base64 (4/3 of its size) plus a little JSON.
const MAX_CHAT_REPLY_BYTES: usize = 4 * 1024 * 1024;
const MAX_IMAGE_REPLY_BYTES: usize = MAX_IMAGE_BYTES / 3 * 4 + 64 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AiConfig {
    /// Up to and including the version segment, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    /// `None` for keyless local servers (Ollama).
    pub api_key: Option<Secret>,
    pub model: String,
    /// The model asked for images (`POST …/images/generations`).
    pub image_model: String,
    /// For one attempt.
    pub timeout: Duration,
    /// Attempts after the first on a retryable failure.
    pub retries: u32,
}

/// Why the provider gave no usable answer; the text is what users see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AiError {
    #[error("the AI provider did not answer in time")]
    Timeout,
    #[error("the AI provider is unavailable (HTTP {status})")]
    Status {
        status: u16,
        /// The provider's `Retry-After`, when it sent one in seconds.
        retry_after: Option<Duration>,
    },
    #[error("the AI provider could not be reached")]
    Unreachable,
    #[error("the AI provider returned an invalid response: {0}")]
    InvalidResponse(String),
}

/// The provider's answer as JSON, read up to `max` bytes.
async fn read_json(response: reqwest::Response, max: usize) -> Result<Value, AiError> {
    let body = crate::fetch::read_capped(response, max)
        .await
        .map_err(|err| match err {
            crate::fetch::CappedReadError::TooLarge => {
                AiError::InvalidResponse("the answer is too large".into())
            }
            crate::fetch::CappedReadError::Transport(err) => classify(err),
        })?;
    serde_json::from_slice(&body)
        .map_err(|_| AiError::InvalidResponse("the body is not JSON".into()))
}

impl AiError {
    fn is_retryable(&self) -> bool {
        match self {
            AiError::Timeout | AiError::Unreachable => true,
            AiError::Status { status, .. } => *status == 429 || *status >= 500,
            AiError::InvalidResponse(_) => false,
        }
    }
}

/// A chat-completions client.
#[derive(Clone, Debug)]
pub struct ChatClient {
    http: reqwest::Client,
    config: AiConfig,
}

impl ChatClient {
    pub fn new(config: AiConfig) -> anyhow::Result<ChatClient> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(10))
            .build()?;
        Ok(ChatClient { http, config })
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// Sends a system and a user message and returns the answer as a JSON object, retrying
    /// what may succeed on a second try.
    pub async fn complete_json(&self, system: &str, user: &str) -> Result<Value, AiError> {
        let mut attempt = 0;
        loop {
            match self.complete_once(system, user).await {
                Err(err) if err.is_retryable() && attempt < self.config.retries => {
                    attempt += 1;
                    let wait = retry_wait(&err, attempt, self.config.timeout);
                    tracing::info!(error = %err, attempt, "AI provider call failed; retrying");
                    tokio::time::sleep(wait).await;
                }
                result => return result,
            }
        }
    }

    async fn complete_once(&self, system: &str, user: &str) -> Result<Value, AiError> {
        let url = format!(
            "{}/chat/completions",
            self.config.base_url.trim_end_matches('/')
        );
        let body = json!({
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": 0.2,
            "response_format": {"type": "json_object"},
        });
        let mut request = self.http.post(url).json(&body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await.map_err(classify)?;
        if !response.status().is_success() {
            return Err(status_error(&response));
        }
        let reply = read_json(response, MAX_CHAT_REPLY_BYTES).await?;
        let content = reply
            .pointer("/choices/0/message/content")
            .and_then(Value::as_str)
            .ok_or_else(|| AiError::InvalidResponse("no message content".into()))?;
        parse_json_object(content)
    }
}

impl ChatClient {
    /// Asks the images endpoint for one image of `prompt` and returns its bytes (the answer's
    /// `b64_json`).
    pub async fn generate_image(&self, prompt: &str) -> Result<bytes::Bytes, AiError> {
        use base64::Engine;
        let url = format!(
            "{}/images/generations",
            self.config.base_url.trim_end_matches('/')
        );
        let body = json!({
            "model": self.config.image_model,
            "prompt": prompt,
            "n": 1,
            "size": "1024x1024",
            "response_format": "b64_json",
        });
        let mut request = self.http.post(url).json(&body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await.map_err(classify)?;
        if !response.status().is_success() {
            return Err(status_error(&response));
        }
        let reply = read_json(response, MAX_IMAGE_REPLY_BYTES).await?;
        let encoded = reply
            .pointer("/data/0/b64_json")
            .and_then(Value::as_str)
            .ok_or_else(|| AiError::InvalidResponse("no image in the answer".into()))?;
        if encoded.len() > MAX_IMAGE_BYTES / 3 * 4 {
            return Err(AiError::InvalidResponse("the image is too large".into()));
        }
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map(bytes::Bytes::from)
            .map_err(|_| AiError::InvalidResponse("the image is not base64".into()))
    }
}

/// A refused call, with the provider's `Retry-After` when it gave seconds.
fn status_error(response: &reqwest::Response) -> AiError {
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    AiError::Status {
        status: response.status().as_u16(),
        retry_after,
    }
}

/// How long to wait before retry number `attempt`: what the provider asked for when it said
/// (never longer than one call's timeout: a longer wait is better spent failing over to the
/// local engine or telling the user), else 0.5 s doubling.
fn retry_wait(err: &AiError, attempt: u32, timeout: Duration) -> Duration {
    match err {
        AiError::Status {
            retry_after: Some(asked),
            ..
        } => (*asked).min(timeout),
        _ => Duration::from_millis(500 * 2u64.pow(attempt.saturating_sub(1).min(10))),
    }
}

fn classify(err: reqwest::Error) -> AiError {
    if err.is_timeout() {
        AiError::Timeout
    } else {
        AiError::Unreachable
    }
}

/// The JSON object in a model's message, tolerating a Markdown code fence around it.
pub fn parse_json_object(content: &str) -> Result<Value, AiError> {
    let trimmed = content.trim();
    let unfenced = trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|rest| rest.trim_end().strip_suffix("```"))
        .unwrap_or(trimmed)
        .trim();
    match serde_json::from_str::<Value>(unfenced) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(AiError::InvalidResponse(
            "the answer is not a JSON object".into(),
        )),
        Err(_) => Err(AiError::InvalidResponse(
            "the answer is not valid JSON".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_providers_retry_after_sets_the_wait_up_to_one_timeout() {
        let throttled = |secs| AiError::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        let timeout = Duration::from_secs(60);
        assert_eq!(
            retry_wait(&throttled(7), 1, timeout),
            Duration::from_secs(7)
        );
        assert_eq!(retry_wait(&throttled(600), 1, timeout), timeout);
        assert_eq!(
            retry_wait(&AiError::Timeout, 2, timeout),
            Duration::from_millis(1000)
        );
    }

    #[test]
    fn fenced_and_bare_json_objects_parse() {
        assert_eq!(
            parse_json_object("```json\n{\"a\": 1}\n```").unwrap(),
            json!({"a": 1})
        );
        assert_eq!(parse_json_object(" {\"a\": 1} ").unwrap(), json!({"a": 1}));
        assert!(parse_json_object("[1]").is_err());
        assert!(parse_json_object("Sure! Here is").is_err());
    }
}

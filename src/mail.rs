//! Outgoing email (sign-up and verification codes, password resets). A message is a background
//! job (`mail.send`), enqueued in the transaction that needs it, so a slow or down mail server
//! never holds up a request and a failed delivery is retried by the queue. Delivery is SMTP
//! through lettre, configured by one URL (`CAREERHUB_SMTP_URL`); with none set, each message is
//! written to the log instead (as Django's console backend does) and start-up says so.

use std::time::Duration;

use anyhow::{Context, bail};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::config::Secret;
use crate::queue::worker::{JobError, kinds};
use crate::queue::{self, NewJob};
use crate::state::AppState;

/// How long one delivery may take before it counts as failed (and is retried).
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Where mail goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailConfig {
    /// Written to the log.
    Console {
        from: String,
    },
    Smtp(SmtpConfig),
}

#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub credentials: Option<(String, Secret)>,
    pub from: String,
}

/// Written by hand so the password never reaches a log.
impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("from", &self.from)
            .finish()
    }
}

/// How the connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// `smtps://`: TLS from the first byte (port 465).
    Wrapper,
    /// `smtp://` (default): STARTTLS required.
    StartTls,
    /// `smtp://…?tls=none`: plain text, for a relay on the same host or tests.
    None,
}

impl MailConfig {
    /// `CAREERHUB_SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…:465`,
    /// `smtp://host:25?tls=none`) and the sender (`CAREERHUB_MAIL_FROM`).
    pub fn parse(url: Option<&str>, from: Option<String>) -> anyhow::Result<MailConfig> {
        let from = from.unwrap_or_else(|| "careerhub <no-reply@localhost>".into());
        from.parse::<Mailbox>()
            .with_context(|| format!("CAREERHUB_MAIL_FROM is not an address: {from}"))?;
        let Some(raw) = url else {
            return Ok(MailConfig::Console { from });
        };
        let parsed = url::Url::parse(raw).context("CAREERHUB_SMTP_URL is not a URL")?;
        let wrapper = match parsed.scheme() {
            "smtp" => false,
            "smtps" => true,
            other => bail!("CAREERHUB_SMTP_URL must be smtp:// or smtps://, not {other}://"),
        };
        let tls = match parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v)
        {
            _ if wrapper => Tls::Wrapper,
            None => Tls::StartTls,
            Some(v) if v == "starttls" => Tls::StartTls,
            Some(v) if v == "none" => Tls::None,
            Some(other) => bail!("CAREERHUB_SMTP_URL: tls must be starttls or none, not {other}"),
        };
        let host = parsed
            .host_str()
            .context("CAREERHUB_SMTP_URL has no host")?
            .to_owned();
        let port = parsed.port().unwrap_or(if wrapper { 465 } else { 587 });
        let credentials = (!parsed.username().is_empty()).then(|| {
            let user = percent_decode(parsed.username());
            let password = percent_decode(parsed.password().unwrap_or_default());
            (user, Secret::new(password))
        });
        Ok(MailConfig::Smtp(SmtpConfig {
            host,
            port,
            tls,
            credentials,
            from,
        }))
    }

    /// One line for the start-up log saying where mail goes.
    pub fn describe(&self) -> String {
        match self {
            MailConfig::Console { .. } => {
                "email: no CAREERHUB_SMTP_URL set; messages are written to the log".into()
            }
            MailConfig::Smtp(smtp) => format!("email: SMTP via {}:{}", smtp.host, smtp.port),
        }
    }
}

fn percent_decode(raw: &str) -> String {
    url::form_urlencoded::parse(format!("x={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Enqueues a message in the caller's transaction.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sea_orm::DbErr> {
    let job = NewJob::new(
        kinds::MAIL_SEND,
        json!({"to": to, "subject": subject, "body": body}),
    );
    queue::enqueue(conn, job, now).await.map(|_| ())
}

/// The `mail.send` job: delivers the message (or logs it). A refusal of the address is final;
/// anything else (the server down, a timeout) is retried by the queue.
pub async fn send_job(state: &AppState, payload: &Value) -> Result<(), JobError> {
    let text = |key: &str| payload.get(key).and_then(Value::as_str).unwrap_or_default();
    let (to, subject, body) = (text("to"), text("subject"), text("body"));
    match &state.config.mail {
        MailConfig::Console { from } => {
            // What Django's console backend prints: the message itself. Codes in it are
            // short-lived; production sets CAREERHUB_SMTP_URL.
            tracing::info!(%from, %to, %subject, %body, "email (console backend)");
            Ok(())
        }
        MailConfig::Smtp(smtp) => deliver(smtp, to, subject, body).await,
    }
}

async fn deliver(smtp: &SmtpConfig, to: &str, subject: &str, body: &str) -> Result<(), JobError> {
    let to: Mailbox = to
        .parse()
        .map_err(|err| JobError::permanent(format!("bad recipient: {err}")))?;
    let from: Mailbox = smtp
        .from
        .parse()
        .map_err(|err| JobError::permanent(format!("bad sender: {err}")))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .body(body.to_owned())
        .map_err(|err| JobError::permanent(format!("message: {err}")))?;
    let mut builder = match smtp.tls {
        Tls::Wrapper => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host),
        Tls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host),
        Tls::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &smtp.host,
        )),
    }
    .map_err(|err| JobError::permanent(format!("SMTP relay: {err}")))?
    .port(smtp.port)
    .timeout(Some(SEND_TIMEOUT));
    if let Some((user, password)) = &smtp.credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
    }
    match builder.build().send(message).await {
        Ok(_) => Ok(()),
        Err(err) if err.is_permanent() => Err(JobError::permanent(format!("SMTP: {err}"))),
        Err(err) => Err(JobError::retry(format!("SMTP: {err}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_url_says_host_port_tls_and_credentials() {
        let MailConfig::Smtp(smtp) = MailConfig::parse(
            Some("smtps://mailer%40example.com:p%40ss@smtp.example.com"),
            Some("Breneo <hello@example.com>".into()),
        )
        .unwrap() else {
            panic!("smtp expected")
        };
        assert_eq!(
            (smtp.host.as_str(), smtp.port, smtp.tls),
            ("smtp.example.com", 465, Tls::Wrapper)
        );
        let (user, password) = smtp.credentials.clone().unwrap();
        assert_eq!(
            (user.as_str(), password.expose()),
            ("mailer@example.com", "p@ss")
        );
        assert!(!format!("{smtp:?}").contains("p@ss"));
        let MailConfig::Smtp(plain) =
            MailConfig::parse(Some("smtp://127.0.0.1:2525?tls=none"), None).unwrap()
        else {
            panic!("smtp expected")
        };
        assert_eq!(
            (plain.port, plain.tls, plain.credentials),
            (2525, Tls::None, None)
        );
        assert!(matches!(
            MailConfig::parse(None, None).unwrap(),
            MailConfig::Console { .. }
        ));
        assert!(MailConfig::parse(Some("http://x"), None).is_err());
        assert!(MailConfig::parse(None, Some("not an address".into())).is_err());
    }
}

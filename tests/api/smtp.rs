//! A local SMTP server for the tests: it speaks enough of RFC 5321 (greeting, EHLO/HELO, MAIL,
//! RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) for a real client, records every message it
//! accepts, and can be told to answer "service not available" to show retries.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use careerhub::mail::{MailConfig, SmtpConfig, Tls};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body, as sent after DATA.
    pub data: String,
}

impl Received {
    /// The value of a header (first occurrence, unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.data
            .split("\r\n")
            .take_while(|line| !line.is_empty())
            .find(|line| line.to_ascii_lowercase().starts_with(&prefix))
            .map(|line| line[prefix.len()..].trim().to_owned())
    }

    /// The six-digit code in the body.
    pub fn code(&self) -> String {
        let body = self.data.split("\r\n\r\n").nth(1).unwrap_or_default();
        let start = body.find("Your code is ").expect("a code in the message") + 13;
        body[start..start + 6].to_owned()
    }
}

#[derive(Clone, Default)]
pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    unavailable: Arc<AtomicBool>,
}

impl SmtpServer {
    /// Listens on a free loopback port until the test ends.
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = SmtpServer {
            port: listener.local_addr().unwrap().port(),
            ..SmtpServer::default()
        };
        let serving = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serving.clone().session(stream));
            }
        });
        server
    }

    /// careerhub's configuration for sending here (plain SMTP, no login).
    pub fn config(&self) -> MailConfig {
        MailConfig::Smtp(SmtpConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            tls: Tls::None,
            credentials: None,
            from: "Breneo <hello@breneo.test>".into(),
        })
    }

    /// While set, every session is greeted with 421 (the server is going away), a temporary
    /// failure a client must retry.
    pub fn set_unavailable(&self, unavailable: bool) {
        self.unavailable.store(unavailable, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The messages received for `to`.
    pub fn to(&self, to: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|message| message.to.iter().any(|rcpt| rcpt == to))
            .collect()
    }

    async fn session(self, stream: TcpStream) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        if self.unavailable.load(Ordering::SeqCst) {
            let _ = write
                .write_all(b"421 4.3.2 Service not available\r\n")
                .await;
            return;
        }
        let _ = write
            .write_all(b"220 localhost ESMTP careerhub-test\r\n")
            .await;
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let command = line.trim_end().to_owned();
            let verb = command
                .split([' ', ':'])
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" => b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                "HELO" | "NOOP" => b"250 OK\r\n",
                "RSET" => {
                    (from, to) = (String::new(), Vec::new());
                    b"250 OK\r\n"
                }
                "MAIL" => {
                    from = address(&command);
                    b"250 OK\r\n"
                }
                "RCPT" => {
                    to.push(address(&command));
                    b"250 OK\r\n"
                }
                "DATA" => {
                    let _ = write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await;
                    let Some(data) = read_data(&mut lines).await else {
                        return;
                    };
                    self.received.lock().unwrap().push(Received {
                        from: std::mem::take(&mut from),
                        to: std::mem::take(&mut to),
                        data,
                    });
                    b"250 OK queued\r\n"
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 Bye\r\n").await;
                    return;
                }
                _ => b"502 Command not implemented\r\n",
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }
}

/// The address in `MAIL FROM:<a@b>` or `RCPT TO:<a@b>`.
fn address(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..]
        .find('>')
        .map_or(command.len(), |i| start + i);
    command[start..end].to_owned()
}

/// The message after DATA, up to the lone dot, with leading dots unstuffed.
async fn read_data(lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        if line == ".\r\n" {
            return Some(data);
        }
        data.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}

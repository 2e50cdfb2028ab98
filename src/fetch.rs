//! Fetching pages from URLs that users give us (job postings), safely: only public addresses are
//! reached (checked on the URL, after DNS resolution and on every redirect hop, since reqwest
//! never resolves IP literals), proxies from the environment are ignored, and the body is capped
//! in size and time.
//!
//! Loopback may be allowed by configuration (`CAREERHUB_FETCH_ALLOW_LOOPBACK`), which the tests
//! use to serve pages from 127.0.0.1; private and metadata addresses never are.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// How untrusted fetches are bounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchConfig {
    pub allow_loopback: bool,
    pub max_bytes: usize,
    pub timeout: Duration,
    pub max_redirects: usize,
    /// Evaluation only (`careerhub eval-extraction`, never from configuration): these hosts are
    /// answered by a local server, over plain HTTP, so saved pages are read under their real
    /// addresses.
    pub local_hosts: Option<LocalHosts>,
}

/// Hosts a local server answers for, and where it listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalHosts {
    pub addr: SocketAddr,
    pub hosts: Vec<String>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            allow_loopback: false,
            max_bytes: 5 * 1024 * 1024,
            timeout: Duration::from_secs(15),
            max_redirects: 5,
            local_hosts: None,
        }
    }
}

/// Why a fetch gave no page; the text is shown to the user as the extraction's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the address is not a public web address")]
    Blocked,
    #[error("the page is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the page did not answer within {0} seconds")]
    Timeout(u64),
    #[error("the page answered HTTP {0}")]
    Status(u16),
    #[error("the page is not HTML ({0})")]
    NotHtml(String),
    #[error("the page could not be reached")]
    Unreachable,
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct FetchedPage {
    /// Where the last redirect led.
    pub url: Url,
    pub html: String,
}

/// Which addresses may be reached.
#[derive(Clone, Copy, Debug)]
struct AddressPolicy {
    allow_loopback: bool,
}

impl AddressPolicy {
    fn allows(self, ip: IpAddr) -> bool {
        is_public(ip) || (self.allow_loopback && ip.is_loopback())
    }

    /// The URL's scheme and, for an IP-literal host, the address.
    fn check_url(self, url: &Url) -> Result<(), FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::Blocked);
        }
        match url.host() {
            Some(Host::Ipv4(ip)) if !self.allows(IpAddr::V4(ip)) => Err(FetchError::Blocked),
            Some(Host::Ipv6(ip)) if !self.allows(IpAddr::V6(ip)) => Err(FetchError::Blocked),
            Some(Host::Domain(name)) if is_local_name(name) && !self.allow_loopback => {
                Err(FetchError::Blocked)
            }
            None => Err(FetchError::Blocked),
            _ => Ok(()),
        }
    }
}

fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// The resolver reqwest uses: the system's, keeping only allowed addresses.
struct GuardedResolver(AddressPolicy);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let resolved = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let allowed: Vec<SocketAddr> = resolved.filter(|a| policy.allows(a.ip())).collect();
            if allowed.is_empty() {
                return Err(Box::new(BlockedAddress) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[derive(Debug, thiserror::Error)]
#[error("blocked: the name resolves to no public address")]
struct BlockedAddress;

/// An HTTP client for untrusted URLs.
#[derive(Clone, Debug)]
pub struct PageFetcher {
    client: reqwest::Client,
    config: FetchConfig,
}

impl PageFetcher {
    pub fn new(config: FetchConfig) -> anyhow::Result<PageFetcher> {
        let policy = AddressPolicy {
            allow_loopback: config.allow_loopback,
        };
        let max_redirects = config.max_redirects;
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                attempt.error("too many redirects")
            } else if policy.check_url(attempt.url()).is_err() {
                attempt.error(BlockedAddress)
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder();
        if let Some(local) = &config.local_hosts {
            for host in &local.hosts {
                builder = builder.resolve(host, local.addr);
            }
        }
        let client = builder
            .dns_resolver(Arc::new(GuardedResolver(policy)))
            .no_proxy()
            .redirect(redirects)
            .connect_timeout(Duration::from_secs(5))
            .timeout(config.timeout)
            .user_agent(concat!(
                "Mozilla/5.0 (compatible; careerhub/",
                env!("CARGO_PKG_VERSION"),
                "; job-page reader)"
            ))
            .build()?;
        Ok(PageFetcher { client, config })
    }

    /// Fetches an HTML page, or says why not.
    pub async fn fetch_page(&self, raw_url: &str) -> Result<FetchedPage, FetchError> {
        let accept = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";
        let (final_url, content_type, body) = self
            .guarded_get(raw_url, accept, |content_type| {
                content_type.contains("html") || content_type.starts_with("text/")
            })
            .await?;
        Ok(FetchedPage {
            url: final_url,
            html: decode_html(&body, &content_type),
        })
    }

    /// Fetches a JSON document (a vendor's public API) under the same guard and limits as
    /// pages.
    pub async fn fetch_json(&self, raw_url: &str) -> Result<serde_json::Value, FetchError> {
        let (_, _, body) = self
            .guarded_get(raw_url, "application/json", |_| true)
            .await?;
        serde_json::from_slice(&body).map_err(|_| FetchError::NotHtml("not JSON".into()))
    }

    /// Fetches an XML feed (a vendor's job feed or RSS) under the same guard and limits as
    /// pages, decoded like a page.
    pub async fn fetch_xml(&self, raw_url: &str) -> Result<String, FetchError> {
        let accept = "application/xml,text/xml;q=0.9,application/rss+xml;q=0.9,*/*;q=0.5";
        let (_, content_type, body) = self
            .guarded_get(raw_url, accept, |content_type| {
                content_type.contains("xml") || content_type.starts_with("text/")
            })
            .await?;
        Ok(decode_html(&body, &content_type))
    }

    /// One GET of an untrusted URL: the address checked before and after resolution and on
    /// every redirect, within the time limit, a success status, a content type `accepts`
    /// (lowercased; `text/html` when absent), the body read up to the size limit. Answers the
    /// final URL, the content type and the body.
    async fn guarded_get(
        &self,
        raw_url: &str,
        accept: &str,
        accepts: impl Fn(&str) -> bool,
    ) -> Result<(Url, String, Vec<u8>), FetchError> {
        let url = Url::parse(raw_url).map_err(|_| FetchError::Blocked)?;
        let policy = AddressPolicy {
            allow_loopback: self.config.allow_loopback,
        };
        policy.check_url(&url)?;
        let url = self.served_locally(url);
        let timeout = self.config.timeout;
        let fetched = async {
            let response = self
                .client
                .get(url)
                .header(reqwest::header::ACCEPT, accept)
                .send()
                .await
                .map_err(|err| self.classify(&err))?;
            if !response.status().is_success() {
                return Err(FetchError::Status(response.status().as_u16()));
            }
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("text/html")
                .to_ascii_lowercase();
            if !accepts(&content_type) {
                let essence = content_type.split(';').next().unwrap_or_default().trim();
                return Err(FetchError::NotHtml(essence.to_owned()));
            }
            let max = self.config.max_bytes;
            let final_url = response.url().clone();
            let body = read_capped(response, max).await.map_err(|err| match err {
                CappedReadError::TooLarge => FetchError::TooLarge(max),
                CappedReadError::Transport(err) => self.classify(&err),
            })?;
            Ok((final_url, content_type, body))
        };
        tokio::time::timeout(timeout, fetched)
            .await
            .unwrap_or(Err(FetchError::Timeout(timeout.as_secs())))
    }

    /// In evaluation, a local host's URL over plain HTTP on the local server's port.
    fn served_locally(&self, mut url: Url) -> Url {
        let Some(local) = &self.config.local_hosts else {
            return url;
        };
        if url
            .host_str()
            .is_some_and(|host| local.hosts.iter().any(|h| h == host))
        {
            let _ = url.set_scheme("http");
            let _ = url.set_port(Some(local.addr.port()));
        }
        url
    }

    fn classify(&self, err: &reqwest::Error) -> FetchError {
        if err.is_timeout() {
            return FetchError::Timeout(self.config.timeout.as_secs());
        }
        let mut source: Option<&dyn std::error::Error> = Some(err);
        while let Some(cause) = source {
            if cause.is::<BlockedAddress>() {
                return FetchError::Blocked;
            }
            source = cause.source();
        }
        FetchError::Unreachable
    }
}

/// A page's bytes as text: in the charset its `Content-Type` names, else its byte-order mark's,
/// else its `<meta charset>`'s (looked for in the first 1,024 bytes, as browsers pre-scan), else
/// UTF-8, or windows-1252 when the bytes are not UTF-8 (what browsers assume for Western pages).
pub fn decode_html(bytes: &[u8], content_type: &str) -> String {
    let encoding = charset_label(content_type)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .or_else(|| encoding_rs::Encoding::for_bom(bytes).map(|(encoding, _)| encoding))
        .or_else(|| meta_charset(bytes))
        .unwrap_or_else(|| {
            if std::str::from_utf8(bytes).is_ok() {
                encoding_rs::UTF_8
            } else {
                encoding_rs::WINDOWS_1252
            }
        });
    // `decode` still lets a byte-order mark win, as browsers do.
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// `charset=…` of a `Content-Type` value.
fn charset_label(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
    })
}

/// The charset a `<meta charset>` or `<meta http-equiv content="…; charset=…">` in the first
/// 1,024 bytes names.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(pos) = tag.find("charset") {
            let value = tag[pos + "charset".len()..]
                .trim_start()
                .strip_prefix('=')?
                .trim_start()
                .trim_start_matches(['"', '\''])
                .split(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace())
                .next()
                .unwrap_or_default();
            if let Some(encoding) = encoding_rs::Encoding::for_label(value.as_bytes()) {
                // A UTF-16 label in a meta tag means UTF-8 (the HTML standard's pre-scan rule).
                return Some(encoding.output_encoding());
            }
        }
    }
    None
}

/// Why a capped read stopped.
#[derive(Debug)]
pub enum CappedReadError {
    /// The body passed the cap (declared or as it streamed in); the rest was not read.
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads a response body of at most `max` bytes, refusing it as soon as it declares or streams
/// more: a server (a job page, the AI provider, TheirStack) cannot make careerhub buffer
/// without bound.
pub async fn read_capped(
    response: reqwest::Response,
    max: usize,
) -> Result<Vec<u8>, CappedReadError> {
    if response
        .content_length()
        .is_some_and(|len| len > max as u64)
    {
        return Err(CappedReadError::TooLarge);
    }
    let mut body = Vec::new();
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(CappedReadError::Transport)?;
        if body.len() + chunk.len() > max {
            return Err(CappedReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Whether `ip` is an ordinary public unicast address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16: cloud metadata lives here
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let embedded = embedded_v4(ip);
    if !embedded.is_empty() {
        return embedded.into_iter().all(is_public_v4);
    }
    let segments = ip.segments();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (segments[0] & 0xfe00) == 0xfc00 // unique local
        || (segments[0] & 0xffc0) == 0xfe80 // link-local
        || (segments[0] == 0x2001 && segments[1] == 0x0db8)) // documentation
}

/// The IPv4 addresses an IPv6 transition form reaches, which decide whether it is public:
/// IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), SIIT's IPv4-translated
/// (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::/96` and the local-use `64:ff9b:1::/48`), 6to4
/// (`2002::/16`, the address after the prefix) and Teredo (`2001::/32`: its server, and its
/// client, stored inverted in the last 32 bits). Empty for any other address.
fn embedded_v4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let s = ip.segments();
    let v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if let Some(mapped) = ip.to_ipv4_mapped() {
        return vec![mapped];
    }
    match s {
        // :: and ::1 are the unspecified and loopback addresses, not IPv4-compatible ones.
        [0, 0, 0, 0, 0, 0, 0, 0 | 1] => vec![],
        [0, 0, 0, 0, 0, 0, high, low] => vec![v4(high, low)],
        [0, 0, 0, 0, 0xffff, 0, high, low] => vec![v4(high, low)],
        [0x64, 0xff9b, 0, 0, 0, 0, high, low] => vec![v4(high, low)],
        [0x64, 0xff9b, 1, ..] => vec![v4(s[6], s[7])],
        [0x2002, high, low, ..] => vec![v4(high, low)],
        [
            0x2001,
            0,
            server_high,
            server_low,
            _,
            _,
            client_high,
            client_low,
        ] => vec![v4(server_high, server_low), v4(!client_high, !client_low)],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_decoded_by_header_then_bom_then_meta() {
        let cafe_1252 = b"<html><body>Caf\xe9 \x93quoted\x94</body></html>";
        assert!(
            decode_html(cafe_1252, "text/html; charset=windows-1252")
                .contains("Caf\u{e9} \u{201c}quoted\u{201d}")
        );
        assert!(
            decode_html(cafe_1252, "text/html").contains("Caf\u{e9}"),
            "not UTF-8: windows-1252"
        );
        let sjis =
            b"<html><head><meta charset=\"Shift_JIS\"></head><body>\x93\xfa\x96\x7b</body></html>";
        assert!(decode_html(sjis, "text/html").contains("\u{65e5}\u{672c}"));
        let http_equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>\xfc</p>";
        assert!(decode_html(http_equiv, "text/html").contains('\u{fc}'));
        let bom = b"\xef\xbb\xbf<p>\xc3\xa9</p>";
        assert_eq!(decode_html(bom, "text/html"), "<p>\u{e9}</p>");
        assert_eq!(
            decode_html("<p>é</p>".as_bytes(), "text/html; charset=utf-8"),
            "<p>é</p>"
        );
    }

    #[test]
    fn ipv6_transition_forms_are_judged_by_the_ipv4_address_they_reach() {
        let public = |raw: &str| is_public_v6(raw.parse().unwrap());
        for blocked in [
            "::127.0.0.1",                          // IPv4-compatible
            "::10.1.2.3",                           // IPv4-compatible, private
            "::ffff:0:169.254.169.254",             // SIIT IPv4-translated
            "64:ff9b::7f00:1",                      // NAT64
            "64:ff9b:1::a00:1",                     // local-use NAT64
            "2002:7f00:1::1",                       // 6to4 of 127.0.0.1
            "2002:a9fe:a9fe::",                     // 6to4 of the metadata address
            "2001:0:4136:e378:8000:63bf:80ff:fffe", // Teredo, client 127.0.0.1
            "2001:0:a00:1:0:0:f7f7:f7f7",           // Teredo, server 10.0.0.1
        ] {
            assert!(!public(blocked), "{blocked} reaches a private address");
        }
        for allowed in [
            "2002:5db8:d822::1",                    // 6to4 of 93.184.216.34
            "64:ff9b::5db8:d822",                   // NAT64 of 93.184.216.34
            "2001:0:4136:e378:8000:63bf:a247:27dd", // Teredo, both ends public
            "2606:4700::6810:85e5",                 // plain global IPv6
        ] {
            assert!(public(allowed), "{allowed} is public");
        }
        assert!(!public("::"));
        assert!(!public("::1"));
    }

    fn blocked(raw: &str, allow_loopback: bool) -> bool {
        let url = Url::parse(raw).unwrap();
        AddressPolicy { allow_loopback }.check_url(&url).is_err()
    }

    #[test]
    fn private_loopback_and_metadata_literals_are_blocked() {
        for raw in [
            "http://127.0.0.1/",
            "http://0x7f000001/",
            "http://2130706433/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.5/",
            "http://172.16.1.1/",
            "http://192.168.1.1/",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://[::ffff:10.0.0.1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://localhost/",
            "http://api.localhost/",
            "file:///etc/passwd",
            "ftp://example.com/",
        ] {
            assert!(blocked(raw, false), "{raw} should be blocked");
        }
    }

    #[test]
    fn public_addresses_pass_and_loopback_only_when_allowed() {
        assert!(!blocked("https://93.184.215.14/job", false));
        assert!(!blocked("https://[2606:4700::1111]/", false));
        assert!(!blocked("https://jobs.example.com/1", false));
        assert!(!blocked("http://127.0.0.1:8080/", true));
        assert!(!blocked("http://localhost:8080/", true));
        // Allowing loopback never opens private or metadata addresses.
        assert!(blocked("http://169.254.169.254/", true));
        assert!(blocked("http://10.1.2.3/", true));
    }
}

//! Stored files (resumes, images, profile pictures) behind one small interface over
//! `object_store`: a local directory by default, served by careerhub itself at `/media/<key>`, or
//! an S3-compatible bucket (AWS, DigitalOcean Spaces, MinIO) configured with `STORAGE_URL`.
//!
//! Keys are always made here (`<prefix>/<uuid v7>.<ext>`), never taken from a client, so no
//! request can name or overwrite another file.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::signer::Signer;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions,
    PutPayload, RetryConfig,
};

use crate::config::Secret;

/// Where files live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageConfig {
    /// A directory on this machine; links point at `<public base>/media/<key>`.
    Local { root: PathBuf },
    /// An S3-compatible bucket.
    S3(S3Config),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// `https://nyc3.digitaloceanspaces.com`, `http://127.0.0.1:9000`; `None` for AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: Secret,
    /// `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (MinIO needs it).
    pub path_style: bool,
}

impl StorageConfig {
    /// Parses `STORAGE_URL`: `s3://<bucket>?endpoint=…&region=…&path_style=true` (keys in the
    /// URL's user info or given separately), or `file:///<dir>`.
    pub fn parse(
        raw: &str,
        access_key_id: Option<String>,
        secret_access_key: Option<String>,
    ) -> anyhow::Result<StorageConfig> {
        let url = url::Url::parse(raw).map_err(|e| anyhow::anyhow!("STORAGE_URL: {e}"))?;
        match url.scheme() {
            "file" => Ok(StorageConfig::Local {
                root: PathBuf::from(url.path()),
            }),
            "s3" => {
                let bucket = url
                    .host_str()
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| anyhow::anyhow!("STORAGE_URL names no bucket: s3://<bucket>"))?
                    .to_owned();
                let query = |name: &str| {
                    url.query_pairs()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.into_owned())
                };
                let user = (!url.username().is_empty()).then(|| decode(url.username()));
                let password = url.password().map(decode);
                let access_key_id = user.or(access_key_id).ok_or_else(|| {
                    anyhow::anyhow!(
                        "S3 storage needs STORAGE_ACCESS_KEY_ID (or keys in STORAGE_URL)"
                    )
                })?;
                let secret = password.or(secret_access_key).ok_or_else(|| {
                    anyhow::anyhow!(
                        "S3 storage needs STORAGE_SECRET_ACCESS_KEY (or keys in STORAGE_URL)"
                    )
                })?;
                Ok(StorageConfig::S3(S3Config {
                    bucket,
                    endpoint: query("endpoint"),
                    region: query("region").unwrap_or_else(|| "us-east-1".into()),
                    access_key_id,
                    secret_access_key: Secret::new(secret),
                    path_style: query("path_style").is_some_and(|v| v == "true" || v == "1"),
                }))
            }
            other => anyhow::bail!("STORAGE_URL must start with s3:// or file://, not {other}://"),
        }
    }
}

fn decode(raw: &str) -> String {
    url::form_urlencoded::parse(format!("x={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A storage failure, as the client should hear it (the cause goes to the log).
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("no stored file at {0}")]
    NotFound(String),
    #[error("file storage is unavailable: {0}")]
    Unavailable(#[source] object_store::Error),
}

impl From<object_store::Error> for StorageError {
    fn from(err: object_store::Error) -> Self {
        match err {
            object_store::Error::NotFound { path, .. } => StorageError::NotFound(path),
            other => StorageError::Unavailable(other),
        }
    }
}

impl From<StorageError> for crate::ApiError {
    fn from(err: StorageError) -> Self {
        tracing::error!(error = %err, "file storage failed");
        crate::ApiError::Unavailable(
            "File storage is temporarily unavailable. Please retry shortly.".into(),
        )
    }
}

/// Files under these prefixes are private (resumes): their links are signed and expire.
const PRIVATE_PREFIXES: [&str; 1] = ["resumes/"];
/// A private link stays valid at least this long (and at most twice as long: expiry is rounded
/// up to a whole period so a link, and a response holding it, stays the same for a while).
pub const PRIVATE_LINK_TTL: Duration = Duration::from_secs(3600);

/// Whether links to `key` must be signed.
pub fn is_private(key: &str) -> bool {
    PRIVATE_PREFIXES
        .iter()
        .any(|prefix| key.starts_with(prefix))
}

/// The files of every product.
#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// Absolute links are this plus the key.
    url_prefix: String,
    /// The bucket, for presigned links; `None` for the local directory (links signed by us).
    s3: Option<Arc<AmazonS3>>,
    /// Signs local private links (derived from the JWT secret).
    link_secret: Secret,
}

impl Storage {
    /// Opens the configured store. `public_base_url` is careerhub's own address (for local files);
    /// `media_base_url` overrides the link prefix (a CDN in front of the bucket or the directory).
    pub fn open(
        config: &StorageConfig,
        public_base_url: &str,
        media_base_url: Option<&str>,
        signing_secret: &Secret,
    ) -> anyhow::Result<Storage> {
        let (store, default_prefix, s3): (Arc<dyn ObjectStore>, String, Option<Arc<AmazonS3>>) =
            match config {
                StorageConfig::Local { root } => {
                    std::fs::create_dir_all(root).map_err(|e| {
                        anyhow::anyhow!("could not create the media dir {}: {e}", root.display())
                    })?;
                    let store = LocalFileSystem::new_with_prefix(root)?;
                    (Arc::new(store), format!("{public_base_url}/media"), None)
                }
                StorageConfig::S3(s3) => {
                    let mut builder = AmazonS3Builder::new()
                        .with_bucket_name(&s3.bucket)
                        .with_region(&s3.region)
                        .with_access_key_id(&s3.access_key_id)
                        .with_secret_access_key(s3.secret_access_key.expose())
                        .with_virtual_hosted_style_request(!s3.path_style)
                        // A request waits for storage seconds, not the default minutes.
                        .with_retry(RetryConfig {
                            backoff: BackoffConfig::default(),
                            max_retries: 2,
                            retry_timeout: Duration::from_secs(10),
                        })
                        .with_client_options(
                            ClientOptions::new()
                                .with_timeout(Duration::from_secs(30))
                                .with_connect_timeout(Duration::from_secs(5)),
                        );
                    let prefix = match &s3.endpoint {
                        Some(endpoint) => {
                            let endpoint = endpoint.trim_end_matches('/');
                            builder = builder
                                .with_endpoint(endpoint)
                                .with_allow_http(endpoint.starts_with("http://"));
                            if s3.path_style {
                                format!("{endpoint}/{}", s3.bucket)
                            } else {
                                virtual_hosted(endpoint, &s3.bucket)
                            }
                        }
                        None => format!("https://{}.s3.{}.amazonaws.com", s3.bucket, s3.region),
                    };
                    let bucket = Arc::new(builder.build()?);
                    (bucket.clone(), prefix, Some(bucket))
                }
            };
        Ok(Storage {
            store,
            url_prefix: media_base_url
                .map(|base| base.trim_end_matches('/').to_owned())
                .unwrap_or(default_prefix),
            s3,
            link_secret: Secret::new(format!("media-links:{}", signing_secret.expose())),
        })
    }

    /// A fresh key under `prefix`, e.g. `resumes/0193…c1.pdf`.
    pub fn new_key(prefix: &str, extension: &str) -> String {
        format!("{prefix}/{}.{extension}", uuid::Uuid::now_v7().simple())
    }

    /// The absolute, unsigned link to a stored key (for public files).
    pub fn url(&self, key: &str) -> String {
        format!("{}/{key}", self.url_prefix)
    }

    /// The link to give a client: public files as they are, private ones signed (presigned by
    /// the bucket, or signed by us for the local directory) and expiring.
    pub async fn link(&self, key: &str) -> String {
        if !is_private(key) {
            return self.url(key);
        }
        let now = chrono::Utc::now().timestamp();
        let period = PRIVATE_LINK_TTL.as_secs() as i64;
        let expires = (now / period + 2) * period;
        match &self.s3 {
            Some(bucket) => {
                let ttl = Duration::from_secs((expires - now) as u64);
                let signed = match location(key) {
                    Ok(path) => bucket
                        .signed_url(axum::http::Method::GET, &path, ttl)
                        .await
                        .ok(),
                    Err(_) => None,
                };
                signed.map(|url| url.to_string()).unwrap_or_else(|| {
                    tracing::error!(key, "could not presign a link");
                    self.url(key)
                })
            }
            None => format!(
                "{}/{key}?expires={expires}&signature={}",
                self.url_prefix,
                self.signature(key, expires)
            ),
        }
    }

    fn signature(&self, key: &str, expires: i64) -> String {
        use hmac::{KeyInit, Mac};
        let mut mac =
            hmac::Hmac::<sha2::Sha256>::new_from_slice(self.link_secret.expose().as_bytes())
                .expect("HMAC takes any key length");
        mac.update(format!("{key}\n{expires}").as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether a local link's signature is ours and unexpired.
    pub fn verify_link(&self, key: &str, expires: i64, signature: &str) -> bool {
        use subtle::ConstantTimeEq;
        expires >= chrono::Utc::now().timestamp()
            && bool::from(
                self.signature(key, expires)
                    .as_bytes()
                    .ct_eq(signature.as_bytes()),
            )
    }

    /// Stores `bytes` at `key` (atomically: readers never see part of a file).
    pub async fn put(
        &self,
        key: &str,
        bytes: Bytes,
        content_type: &str,
    ) -> Result<(), StorageError> {
        let mut options = PutOptions::default();
        // The local filesystem store refuses attributes; a bucket keeps the type for its links.
        if self.s3.is_some() {
            let mut attributes = Attributes::new();
            attributes.insert(Attribute::ContentType, content_type.to_owned().into());
            options.attributes = attributes;
        }
        self.store
            .put_opts(&location(key)?, PutPayload::from_bytes(bytes), options)
            .await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        Ok(self.store.get(&location(key)?).await?.bytes().await?)
    }

    /// Whether an object exists at `key`.
    pub async fn exists(&self, key: &str) -> Result<bool, StorageError> {
        match self.store.head(&location(key)?).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(other) => Err(other.into()),
        }
    }

    /// Every stored key under `prefix` (e.g. `assets/`) with when it was written.
    pub fn list(
        &self,
        prefix: &str,
    ) -> impl futures::Stream<Item = Result<(String, chrono::DateTime<chrono::Utc>), StorageError>> + use<>
    {
        use futures::StreamExt;
        let prefix = ObjectPath::from(prefix.trim_end_matches('/'));
        self.store.list(Some(&prefix)).map(|meta| {
            meta.map(|meta| (meta.location.to_string(), meta.last_modified))
                .map_err(StorageError::from)
        })
    }

    /// Deletes `key`; a key already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&location(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(other) => Err(other.into()),
        }
    }

    /// Deletes `key`, logging a failure instead of returning it: for cleanups after the rows
    /// no longer point at the file.
    pub async fn delete_or_log(&self, key: &str) {
        if let Err(err) = self.delete(key).await {
            tracing::warn!(key, error = %err, "could not delete a stored file; it is orphaned");
        }
    }
}

/// A key as an object path; keys are made by `new_key`, so a bad one is a bug or a forged link.
/// The path must spell the key exactly: `parse` drops a leading `/`, and `/resumes/…` would
/// otherwise name a private file while escaping the `resumes/` check of its link.
fn location(key: &str) -> Result<ObjectPath, StorageError> {
    match ObjectPath::parse(key) {
        Ok(path) if path.as_ref() == key => Ok(path),
        _ => Err(StorageError::NotFound(key.to_owned())),
    }
}

fn virtual_hosted(endpoint: &str, bucket: &str) -> String {
    match endpoint.split_once("://") {
        Some((scheme, host)) => format!("{scheme}://{bucket}.{host}"),
        None => format!("https://{bucket}.{endpoint}"),
    }
}

/// The content type for a stored key or a bare extension (keys are ours, so the extension was
/// decided from the content when the file was stored).
pub fn content_type_of(key: &str) -> &'static str {
    match key.rsplit('.').next() {
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("txt") => "text/plain; charset=utf-8",
        Some("json") => "application/json",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_url_with_keys_in_the_user_info_and_path_style() {
        let config = StorageConfig::parse(
            "s3://AKIA:se%2Fcret@media?endpoint=http://127.0.0.1:9000&path_style=true",
            None,
            None,
        )
        .unwrap();
        assert_eq!(
            config,
            StorageConfig::S3(S3Config {
                bucket: "media".into(),
                endpoint: Some("http://127.0.0.1:9000".into()),
                region: "us-east-1".into(),
                access_key_id: "AKIA".into(),
                secret_access_key: Secret::new("se/cret"),
                path_style: true,
            })
        );
    }

    #[test]
    fn storage_url_without_keys_is_refused_with_the_variable_to_set() {
        let err = StorageConfig::parse("s3://media?region=nyc3", None, None).unwrap_err();
        assert!(err.to_string().contains("STORAGE_ACCESS_KEY_ID"), "{err}");
    }

    #[test]
    fn spaces_links_are_virtual_hosted_unless_path_style() {
        let config = StorageConfig::S3(S3Config {
            bucket: "careerhub".into(),
            endpoint: Some("https://nyc3.digitaloceanspaces.com".into()),
            region: "nyc3".into(),
            access_key_id: "k".into(),
            secret_access_key: Secret::new("s"),
            path_style: false,
        });
        let storage = Storage::open(&config, "http://api", None, &Secret::new("k")).unwrap();
        assert_eq!(
            storage.url("resumes/a.pdf"),
            "https://careerhub.nyc3.digitaloceanspaces.com/resumes/a.pdf"
        );
        let cdn = Storage::open(
            &config,
            "http://api",
            Some("https://cdn.example.com/"),
            &Secret::new("k"),
        )
        .unwrap();
        assert_eq!(
            cdn.url("resumes/a.pdf"),
            "https://cdn.example.com/resumes/a.pdf"
        );
    }

    #[test]
    fn new_keys_are_unique_and_keep_the_prefix() {
        let a = Storage::new_key("resumes", "pdf");
        let b = Storage::new_key("resumes", "pdf");
        assert_ne!(a, b);
        assert!(a.starts_with("resumes/") && a.ends_with(".pdf"), "{a}");
    }
}

/// The query of a signed local link.
#[derive(Debug, serde::Deserialize)]
pub struct SignedLink {
    expires: Option<i64>,
    signature: Option<String>,
}

/// `GET /media/<key>`: a stored file, for the local-directory store (links to an S3 bucket go
/// to the bucket or its CDN). Private files need a valid signed link. Keys are unguessable and
/// immutable, so public answers cache forever; the headers keep a browser from running an
/// uploaded file as a page.
pub async fn serve_media(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    axum::extract::Path(key): axum::extract::Path<String>,
    axum::extract::Query(signed): axum::extract::Query<SignedLink>,
) -> Result<axum::response::Response, crate::ApiError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let not_found = || crate::ApiError::NotFound(crate::error::NOT_FOUND.into());
    if is_private(&key) {
        let (Some(expires), Some(signature)) = (signed.expires, signed.signature.as_deref()) else {
            return Err(not_found());
        };
        if !state.storage.verify_link(&key, expires, signature) {
            return Err(not_found());
        }
    }
    let cache = if is_private(&key) {
        "private, max-age=3600"
    } else {
        "public, max-age=31536000, immutable"
    };
    let bytes = match state.storage.get(&key).await {
        Ok(bytes) => bytes,
        Err(StorageError::NotFound(_)) => return Err(not_found()),
        Err(other) => return Err(other.into()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type_of(&key)),
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; frame-ancestors 'none'; sandbox",
            ),
        ],
        bytes,
    )
        .into_response())
}

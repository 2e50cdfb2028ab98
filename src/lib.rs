//! careerhub: one backend for five career products (Breneo, Career Navigator, JobTracker, Grooya,
//! Gan7Club) over one account table, one token and one database.

/// User accounts, passwords, tokens and every product's login, register and "me" routes.
pub mod accounts;
/// The staff web dashboard at `/admin/`: sessions, CSRF, pages, the audit log.
pub mod admin;
/// The AI provider: an OpenAI-compatible chat-completions client.
pub mod ai;
/// The router with every middleware around it: what `serve` runs and what tests drive.
pub mod app;
/// CPU-heavy work (hashing, decoding, parsing) on the blocking pool, a bounded number at a time.
pub mod blocking;
/// Per-user in-process caches of hot views, invalidated by every write (`changes` for other
/// processes' writes).
pub mod cache;
/// Cross-instance cache invalidation over PostgreSQL LISTEN/NOTIFY, and the gate that keeps
/// caches off while it is not listening.
pub mod changes;
/// The command line: `serve`, `migrate`, `createsuperuser`, `openapi`, `import-django-users`.
pub mod cli;
/// A monotonic clock that tests can move forward (rate limits recover without sleeping).
pub mod clock;
/// Configuration from the environment and `.env`, with secrets redacted.
pub mod config;
/// Grooya's AI credits on the account: monthly top-ups by plan, free uses, spending.
pub mod credits;
/// Dates known to a day, a month or a year, as CVs give them.
pub mod dates;
/// Database pools and migrations: the one place that knows SQLite from PostgreSQL.
pub mod db;
/// `ApiError` and the exact DRF/FastAPI error bodies of CONTRACTS.md.
pub mod error;
/// Request extractors: JSON bodies, authentication, paths, queries, client address.
pub mod extract;
/// Fetching user-given URLs safely: public addresses only, bounded in size and time.
pub mod fetch;
/// Health, readiness and Prometheus metrics routes.
pub mod health;
/// HTTP plumbing: request logging, metrics recording, trailing-slash handling, panics.
pub mod http;
/// Uploaded images validated, cleaned of metadata and re-encoded before storage.
pub mod images;
/// Industries: the vocabulary, employer and job-title resolution, years and matching.
pub mod industries;
/// Career Navigator's learning roadmap and project ideas, from the user's skill gap.
pub mod learning;
/// What spans every product's data: the account export, deletion, and the orphaned-file sweep.
pub mod lifecycle;
/// Outgoing email through the job queue: SMTP, or the log when none is configured.
pub mod mail;
/// Career Navigator's market data: job postings, trends and skill gaps.
pub mod market;
/// The schema, as sea-orm-migration migrations shared by both engines.
pub mod migration;
/// The OpenAPI document and the offline interactive docs.
pub mod openapi;
/// The plans careerhub grants: prices as configured, limits and monthly credits.
pub mod plans;
/// Grooya: portfolios, public pages, projects, skills, assets and AI generation.
pub mod portfolios;
/// Breneo: work history, educations, skills, the industry profile and public profiles.
pub mod profiles;
/// Durable background jobs in the app database and the worker that runs them.
pub mod queue;
/// The per-user file quota: bytes and files of uploaded resumes and images together.
pub mod quota;
/// Per-address and per-account rate limits for the login, register and token routes.
pub mod ratelimit;
/// The rate-limit budgets every instance shares on PostgreSQL.
pub mod ratelimit_shared;
/// Resumes: uploaded files with their text, and Grooya's JSON resumes.
pub mod resumes;
/// THE route table: every path of every product, once.
pub mod routes;
/// Untrusted documents (PDF, DOCX, images, job pages) parsed in limited child processes.
pub mod sandbox;
/// Running the HTTP server with graceful shutdown.
pub mod server;
/// `POST /api/register/`, shared by Gan7Club (with an account kind) and Breneo (without).
pub mod signup;
/// The skills taxonomy: canonical skills, aliases, categories, matching and search.
pub mod skills;
/// Shared application state handed to every handler.
pub mod state;
/// Stored files on a local directory or an S3-compatible bucket.
pub mod storage;
/// Gan7Club's profiles, pictures, score and subscriptions; account export and deletion.
pub mod talent;
/// JobTracker: job applications, page extraction and ATS analysis.
pub mod tracker;
/// Field validation in DRF's shape, shared by every feature's forms.
pub mod validate;

pub use error::{ApiError, ApiResult};
pub use state::AppState;

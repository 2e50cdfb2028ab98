//! Career Navigator's market data (`specs/career-navigator.md`, CONTRACTS.md "Career Navigator"):
//! job postings and their upsert, the trending and gap-analysis routes, and imports.

pub mod admin;
pub mod analytics;
pub mod cache;
pub mod feed;
pub mod gap;
pub mod handlers;
pub mod import;
pub mod job_posting;
mod posting_copy;
pub mod postings;
pub mod rollups;
pub mod search;
pub mod spend;
pub mod store;
pub mod sync;
pub mod theirstack;
pub mod window;

//! The integration tests: one binary, the real router, a fresh database per test.

mod accounts;
mod admin;
mod admin_browser;
mod analysis;
mod assets;
mod breneo;
mod cli;
mod foundation;
mod gan7club;
mod gan7club_signup;
mod grooya;
mod hardening;
mod helpers;
mod isolation;
mod job_cards;
mod lifecycle;
mod market;
mod outage;
mod queue;
mod quota;
mod resumes;
mod skill_gap;
mod storage;
mod theirstack;
mod tokens;
mod tracker;

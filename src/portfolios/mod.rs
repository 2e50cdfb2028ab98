//! Grooya (`specs/portfolio-builder.md`, CONTRACTS.md "Grooya"): portfolios with opaque
//! `design` and `pages` documents and public pages by slug, the project library, skills,
//! image assets, tier entitlements, and AI generation paid in credits.

pub mod account;
pub mod assets;
pub mod document;
pub mod entitlements;
pub mod generate;
pub mod handlers;
pub mod portfolio;
pub mod projects;
pub mod promo;
pub mod public;
pub mod skills;
pub mod tasks;
pub mod wire;

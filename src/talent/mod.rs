//! Gan7Club (`specs/profile-pictures.md`, CONTRACTS.md "Gan7Club"): talent and background
//! profiles with pictures, the profile score, subscriptions, and the account lifecycle every
//! product shares (export, deletion, the orphaned-file sweep).

pub mod handlers;
pub mod lifecycle;
pub mod profile;
pub mod score;
pub mod subscription;

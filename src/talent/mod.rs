//! Gan7Club (`specs/profile-pictures.md`, CONTRACTS.md "Gan7Club"): talent and background
//! accounts (sign-up and logins), their profiles with pictures, the profile score, plans and
//! subscriptions.

pub mod auth;
pub mod fields;
pub mod handlers;
pub mod payments;
pub mod profile;
pub mod score;
pub mod subscription;
pub mod view;

//! Accounts: one user table for all five products, password hashing (argon2id, Django hashes
//! accepted and upgraded), JWTs with single-use refresh tokens, and each product's login,
//! register, refresh and "me" routes as CONTRACTS.md ("Tokens and logins") fixes them.

pub mod django_import;
pub mod handlers;
pub mod passwords;
pub mod revoked_token;
pub mod service;
pub mod tokens;
pub mod user;
pub mod user_skill;

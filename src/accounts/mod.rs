//! Accounts: one user table for all five products, password hashing (argon2id, Django hashes
//! accepted and upgraded), JWTs whose refresh tokens last until they expire or are logged out, and each product's login,
//! register, refresh and "me" routes as CONTRACTS.md ("Tokens and logins") fixes them.

pub mod codes;
pub mod django_import;
pub mod handlers;
pub mod passwords;
pub mod registration;
pub mod revoked_token;
pub mod service;
pub mod social;
pub mod tokens;
pub mod user;
pub mod user_skill;

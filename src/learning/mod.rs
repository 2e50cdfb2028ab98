//! Career Navigator's learning roadmap and project ideas (`/learning/*`, `/projects/*`): a
//! catalog of resources, prerequisites and project ideas kept under `data/learning/`, ranked by
//! the user's skill gap for a target role.

pub mod catalog;
pub mod handlers;
pub mod params;
pub mod projects;
pub mod roadmap;

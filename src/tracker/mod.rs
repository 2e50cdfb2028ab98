//! JobTracker: job applications from a posting URL or by hand, page extraction, and the ATS
//! analysis of a resume against a posting (specs/job-tracker.md, CONTRACTS.md "JobTracker").

pub mod analysis;
pub mod application;
pub mod applications;
pub mod eval;
pub mod extraction;
pub mod page;
pub mod vendors;

//! UMKM programmes: trainings, mentoring, exhibitions and curation events, run in waves
//! (gelombang) with quotas, and the rules that choose their participants.

pub mod selection;

pub use selection::{Applicant, Eligibility, Ineligible, Outcome, Quotas, Waiting, check, select};

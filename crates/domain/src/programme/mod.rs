//! UMKM programmes: trainings, mentoring, exhibitions and curation events, run in waves
//! (gelombang) with quotas, and the rules that choose their participants.

pub mod outcomes;
pub mod selection;
pub mod wave;

pub use outcomes::{GroupOutcome, Growth, summarise};
pub use selection::{Applicant, Eligibility, Ineligible, Outcome, Quotas, Waiting, check, select};
pub use wave::{FOLLOW_UP_MONTHS, Funding, ProgrammeKind, WaveStatus, WaveStepError, completed, follow_up_due};

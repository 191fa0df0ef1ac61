//! The regional laboratory (Labkesda): its test catalogue, the quality standards results are
//! judged against, and the workflow an order goes through from registration to a published
//! certificate.
//!
//! The workflow follows SENAITE's sample workflow (registered → due → received → to be verified
//! → verified → published, with retract, reject and cancel), with the steps a regional lab adds
//! before a sample is taken: a quotation from the Perda's tariffs and the payment of the
//! retribution, which must be in before staff go out to sample.

mod catalogue;
mod workflow;

pub use catalogue::{Limit, LimitError, Medium, Verdict, parse_value};
pub use workflow::{OrderStatus, Reason, Step, StepError, check_second_person, median_p90};

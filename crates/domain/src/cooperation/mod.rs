//! Cooperation (kerja sama daerah): needs, agreements and their stages, and the rules that say
//! when an agreement has stopped on paper.

pub mod agreement;
pub mod documents;
pub mod dormancy;
pub mod evaluation;
pub mod funding;
pub mod meetings;
pub mod needs;
pub mod outcomes;

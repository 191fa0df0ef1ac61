//! Engines that work in memory on data the store hands them, and explain their answers.

pub mod er;
pub mod matching;
pub mod registry_search;
pub mod text;
// Issue 7: demand matching
pub mod supply;

//! The reporting calendar: periods of reported values (a year, a quarter, a month) and the due
//! dates of reports. Dates only: no catalogue, no data, no files.

pub mod due;
pub mod period;

pub use due::DueRule;
pub use period::{Grain, Period};

//! Tasks (nhiệm vụ): parsing the deadline texts of the plans and, later, task status at a date.
//! Knows nothing about files; callers hand it strings and dates.

pub mod deadline;

pub use deadline::{parse_deadline, Deadline};

//! Tasks (nhiệm vụ): parsing the deadline texts of the plans, the progress units report, and
//! the status of a task at an as-of date. Knows nothing about files; callers hand it values.

pub mod deadline;
pub mod progress;
pub mod status;

pub use deadline::{parse_deadline, Deadline};
pub use progress::Progress;
pub use status::TaskStatus;

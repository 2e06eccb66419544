//! Panics of the libraries below chitieu (polars, calamine, plotters) caught where they are
//! called, so that a damaged file gives a located error and exit 1, never exit 101. Knows no
//! file formats; callers add which file was being read.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The text of a panic payload (`assertion failed: ...`), or a generic phrase.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the reader failed".to_string())
}

/// A panic caught by [`catch`]; its text is the panic's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Panicked {
    pub message: String,
}

/// Runs `f`; a panic inside becomes `Err` with its message.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Panicked> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| Panicked {
        message: panic_message(payload.as_ref()),
    })
}

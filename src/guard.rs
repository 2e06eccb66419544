//! Panics of the libraries below chitieu (polars, calamine, plotters) caught where they are
//! called, so that a damaged file gives a located error and exit 1, never exit 101. Knows no
//! file formats; callers add which file was being read.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

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

/// Replaces the default panic hook, which prints `thread 'main' panicked at ...` to stderr, with
/// one that prints nothing: every panic is caught and reported as an error by the code that
/// called the library (with the panic's message), and a message on a closed stderr would itself
/// panic. Set once, by the binary, before any thread starts.
pub fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}

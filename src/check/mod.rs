//! Checking definitions and data: every problem of SPEC §8 as a [`Diagnostic`] with a stable
//! [`Code`], collected in one run. Does not score anything; the diagnostics themselves and their
//! rendering are the leaf module [`crate::diagnostics`], re-exported here.

pub mod rules;

pub(crate) use crate::diagnostics::{
    add_csv_sources, diagnostic, render, sort, Code, Diagnostic, Format, Severity, Sources,
};
pub use rules::check_catalogue;

use std::path::Path;

use crate::definition::{load_catalogue, LoadError, Loaded};

/// Loads the catalogue in `dir` and runs every definition check. Diagnostics are sorted by file
/// and position, so that output is stable.
pub fn check_definitions(dir: &Path) -> Result<Loaded, LoadError> {
    let mut loaded = load_catalogue(dir)?;
    let mut more = check_catalogue(&loaded.catalogue);
    loaded.diagnostics.append(&mut more);
    sort(&mut loaded.diagnostics, &loaded.sources);
    Ok(loaded)
}

//! Checking definitions and data: every problem of SPEC §8 as a [`Diagnostic`] with a stable
//! [`Code`], collected in one run; and rendering them. Does not score anything.

pub mod codes;
pub mod diagnostic;
pub mod render;
pub mod rules;

pub use codes::{Code, Severity};
pub use diagnostic::{Diagnostic, Place};
pub use render::{render, Format, Sources};
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

/// Orders diagnostics by file, then line and column, then code.
pub fn sort(diags: &mut [Diagnostic], sources: &Sources) {
    diags.sort_by_cached_key(|d| (d.path.clone(), sources.position(d), d.code));
}

/// Adds the text of every CSV file that `diags` point into to `sources`, so that data
/// diagnostics quote the offending line.
pub fn add_csv_sources(diags: &[Diagnostic], sources: &mut Sources) {
    for d in diags {
        let is_csv = d
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv && matches!(d.place, Place::Cell { .. }) && sources.get(&d.path).is_none() {
            if let Ok(text) = std::fs::read_to_string(&d.path) {
                sources.insert(d.path.clone(), text);
            }
        }
    }
}

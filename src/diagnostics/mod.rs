//! The vocabulary of problems: a [`Diagnostic`] with a stable [`Code`] and a place (a span of a
//! definition file, a cell of a data file), the sources it quotes, and rendering for people,
//! machines and GitHub. A leaf: the loaders (`definition`, `data`, `eval`) and `check` use it; it
//! uses none of them.

pub(crate) mod codes;
pub(crate) mod diagnostic;
pub(crate) mod render;

pub use codes::{Code, Severity};
pub use diagnostic::{Diagnostic, Note, Place};
pub use render::{render, Format, Sources};

/// Orders diagnostics by file, then line and column, then code.
pub(crate) fn sort(diags: &mut [Diagnostic], sources: &Sources) {
    diags.sort_by_cached_key(|d| (d.path.clone(), sources.position(d), d.code));
}

/// Adds the text of every CSV file that `diags` point into to `sources`, so that data
/// diagnostics quote the offending line.
pub(crate) fn add_csv_sources(diags: &[Diagnostic], sources: &mut Sources) {
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

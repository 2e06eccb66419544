//! chitieu — KPI computation and validation for Vietnamese public-sector plans.
//!
//! The library holds the whole pipeline; the binary (`src/main.rs`) parses the command line,
//! calls it, prints, and maps errors to exit statuses.
//!
//! * [`check`](fn@check): read a catalogue directory and run every definition check (SPEC §8);
//! * [`load_data`]: read a data directory (units, reported values, tasks, datasets) against it;
//! * [`score::admit`](fn@score::admit): what of the data may be scored (every error blocks but
//!   E302, which becomes a warning);
//! * [`score::run`](fn@score::run): score the catalogue on admitted data for one period
//!   (SPEC §5): a [`Scorecard`];
//! * [`report`] renders a scorecard (JSON, CSV, XLSX, HTML), [`chart`] draws its charts.
//!
//! ```no_run
//! use std::path::Path;
//!
//! let loaded = chitieu::check(Path::new("indicators/lao-cai-2026-2030"))?;
//! assert!(!loaded.has_errors());
//! let data = chitieu::score::admit(chitieu::load_data(Path::new("data/lao-cai"), &loaded.catalogue))
//!     .data
//!     .ok_or("the data has errors")?;
//! let opts = chitieu::score::RunOptions {
//!     period: chitieu::data::Period::parse("2026-10"),
//!     ..Default::default()
//! };
//! let card = chitieu::score::run(&loaded.catalogue, &data, &opts)?;
//! for unit in &card.units {
//!     println!("{} {:?} {:?}", unit.name, unit.score, unit.grade);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//! (`examples/score.rs` is this program: `cargo run --example score`.)

pub mod calendar;
pub mod chart;
pub mod check;
pub mod cli;
pub mod commands;
pub mod cycle;
pub mod data;
pub mod definition;
pub mod diagnostics;
pub mod eval;
pub mod forms;
/// The generators of the synthetic data (`chitieu generate`, hidden): for the shipped data, CI
/// and the benchmarks; reached through [`cli`] only. They name the crate `chitieu::`, as they did
/// when they were part of the binary (`extern crate self` below).
mod generate;
pub mod guard;
pub mod history;
pub mod import;
pub mod labels;
pub mod memory;
pub mod project;
pub mod report;
pub mod score;
pub mod tasks;
pub mod text;

/// The crate under its own name, for [`generate`]'s paths (`chitieu::definition::…`).
extern crate self as chitieu;

pub use data::load_data;
pub use definition::{load_catalogue as load, LoadError, Loaded};
pub use score::scorecard::Scorecard;

/// Reads the catalogue in `dir` ([`load`]) and runs every definition check on it; the
/// diagnostics are sorted by file and position.
pub fn check(dir: &std::path::Path) -> Result<Loaded, LoadError> {
    check::check_definitions(dir)
}

//! chitieu — KPI computation and validation for Vietnamese public-sector plans.
//!
//! The library holds the whole pipeline and the command line ([`cli`]); the binary
//! (`src/main.rs`) makes the process-wide settings and calls [`cli::run`].
//!
//! * [`check`](fn@check): read a catalogue directory and run every definition check (SPEC §8);
//! * [`load_data`]: read a data directory (units, reported values, tasks, datasets) against it;
//! * [`score::admit`](fn@score::admit): what of the data may be scored (every error blocks but
//!   E302, which becomes a warning);
//! * [`score::run`](fn@score::run): score the catalogue on admitted data for one period
//!   (SPEC §5): a [`Scorecard`](score::Scorecard);
//! * [`report`] renders a scorecard (JSON, CSV, XLSX, HTML), [`chart`] draws its charts;
//!   [`diagnostics`] are the problems found, with their codes, places and rendering;
//! * [`cli::run`] is the `chitieu` program itself, for a binary's `main`.
//!
//! Nothing else is public: the commands, the scans and the history are the crate's own
//! (README "The library" lists this API; `scripts/public_api.py` counts it).
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
//!     period: chitieu::Period::parse("2026-10"),
//!     ..Default::default()
//! };
//! let card = chitieu::score::run(&loaded.catalogue, &data, &opts)?;
//! for unit in &card.units {
//!     println!("{} {:?} {:?}", unit.name, unit.score, unit.grade);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//! (`examples/score.rs` is this program: `cargo run --example score`.)

// The public API: what the examples and a program built on chitieu need (README "The library").
// Every other module is the crate's own.
pub mod chart;
pub mod cli;
pub mod diagnostics;
pub mod forms;
pub mod report;
pub mod score;

mod calendar;
mod check;
mod commands;
mod cycle;
mod data;
mod definition;
mod eval;
/// The generators of the synthetic data (`chitieu generate`, hidden): for the shipped data, CI
/// and the benchmarks; reached through [`cli`] only. They name the crate `chitieu::`, as they did
/// when they were part of the binary (`extern crate self` below).
mod generate;
mod guard;
mod history;
mod import;
mod labels;
mod memory;
mod project;
mod tasks;
mod text;

/// The crate under its own name, for [`generate`]'s paths (`chitieu::definition::…`).
extern crate self as chitieu;

pub use calendar::{Grain, Period};
pub use data::{load_data, Data, DataLoad};
pub use definition::{load_catalogue as load, Catalogue, LoadError, Loaded};
pub use project::Lang;

/// Not part of the API, and hidden from its documentation: what benches/history.rs times of the
/// history (building, recording and reading snapshots, the alerts and the digest), functions no
/// command lets a benchmark reach alone. Nothing else may use it; tests go through the API, the
/// binary or a unit test.
#[doc(hidden)]
pub mod internals {
    pub use crate::history::alerts::evaluate;
    pub use crate::history::digest::{digest, text as digest_text};
    pub use crate::history::snapshot::{Kind, Snapshot};
    pub use crate::history::store::{read, read_trend};
    pub use crate::history::{fingerprint, History, Key, Row, Source};

    /// The items of a snapshot of `c` but its total, groups first, then indicators: each with
    /// its kind, id, points and definition fingerprint.
    pub fn items(c: &crate::Catalogue) -> Vec<(Kind, String, f64, String)> {
        let groups = c.groups.iter().map(|g| {
            let print = fingerprint::group(c, &g.id);
            (Kind::Group, g.id.clone(), g.points.unwrap_or(0.0), print)
        });
        let indicators = c.indicators.iter().map(|i| {
            let print = fingerprint::indicator(c, i);
            (
                Kind::Indicator,
                i.id.clone(),
                i.points.unwrap_or(0.0),
                print,
            )
        });
        groups.chain(indicators).collect()
    }
}

/// Reads the catalogue in `dir` ([`load`]) and runs every definition check on it; the
/// diagnostics are sorted by file and position.
pub fn check(dir: &std::path::Path) -> Result<Loaded, LoadError> {
    check::check_definitions(dir)
}

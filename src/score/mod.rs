//! Scoring: [`run`](fn@run) scores a catalogue on a data directory for one period (the pipeline of
//! `chitieu score`); the arithmetic it uses — the target in force for a year (SPEC §4.4),
//! attainment and status (§5.3), points, scores and grades (§5.4–5.5), ranks (§5.5) and
//! forecasts (§5.6) — are pure functions over definitions and numbers. Writes no files.

pub mod attainment;
pub mod build;
pub mod change;
pub mod focus;
pub mod forecast;
pub mod in_force;
pub mod monitoring;
pub mod points;
pub mod rank;
pub mod reconcile;
pub mod rules;
pub mod run;
pub mod scorecard;
pub mod status;

pub use attainment::{attainment, gap, resolve_threshold, Attainment};
pub use focus::{Focus, FocusError, FocusOn};
pub use forecast::{forecast, Forecast, ForecastStatus};
pub use in_force::{target_in_force, InForce};
pub use points::{grade, max_points, unit_score, Grade, Item, UnitScore};
pub use rank::competition_ranks;
pub use run::{admit, run, Admission, Admitted, RunError, RunOptions};
pub use status::Status;

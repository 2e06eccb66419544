//! Scoring arithmetic: the target in force for a year (SPEC §4.4); attainment, points, grades,
//! ranks and forecasts come with the scoring engine. Pure functions over definitions and numbers.

pub mod in_force;

pub use in_force::{target_in_force, InForce};

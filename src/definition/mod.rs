//! Definitions: the typed model of a catalogue (indicators, targets, measures, tasks) and its
//! loading from TOML with the source position of every key. Does not read data or score.

pub mod alert;
mod fields;
pub mod load;
pub mod model;
mod rules;
pub mod target;

pub use load::{load_catalogue, LoadError, Loaded};
pub use model::*;
pub use target::{Op, Target};

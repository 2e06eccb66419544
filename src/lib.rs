//! chitieu — KPI computation and validation for Vietnamese public-sector plans.
//!
//! The library holds everything: loading definitions ([`definition`]), checking them
//! ([`check`]), deadlines and task status ([`tasks`]), and the arithmetic of targets ([`score`]).
//! The binary (`src/main.rs`) only parses the command line and calls into it.

pub mod chart;
pub mod check;
pub mod commands;
pub mod data;
pub mod definition;
pub mod diagnostics;
pub mod eval;
pub mod generate;
pub mod guard;
pub mod labels;
pub mod project;
pub mod report;
pub mod score;
pub mod tasks;
pub mod text;

//! Reading data: units and their hierarchy, reported values, task status and record-level
//! datasets from CSV, Parquet or XLSX, with the data checks E300–E307 and W310. No scoring.

pub mod period;

pub use period::Period;

//! Evaluation: computed measures through one fused polars scan per dataset (`fused`), and the
//! values of every (indicator, unit, period) with rollup up the unit hierarchy (`values`).
//! Knows nothing of targets or points.

pub mod fused;
pub mod values;

//! Evaluation: computed measures through one fused polars scan per dataset (`fused`) — or the
//! same partial table computed elsewhere (`dialect` writes its SQL, `partials` reads it back) —,
//! and the values of every (indicator, unit, period) with rollup up the unit hierarchy
//! (`values`). Knows nothing of targets or points.

pub mod dialect;
pub mod fused;
pub mod partials;
pub mod values;

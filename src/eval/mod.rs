//! Evaluation: computed measures through one fused polars scan per dataset (`fused`) — or the
//! same partial table computed elsewhere (`dialect` writes its SQL, `partials` reads it back) —,
//! and the values of every (indicator, unit, period) with rollup up the unit hierarchy
//! (`values`). Knows nothing of targets or points.

pub mod dialect;
pub mod fused;
pub mod partials;
pub mod values;

use crate::data::{Data, Period};

/// The latest period in the data: reported periods and months with records; the one ending
/// last (a year wins over its December).
pub fn latest_period(data: &Data, partials: &[fused::Partials]) -> Option<Period> {
    let mut periods: Vec<Period> = data.reported.iter().map(|r| r.period).collect();
    periods.extend(partials.iter().flat_map(|p| p.periods.iter().copied()));
    periods
        .into_iter()
        .max_by_key(|p| (p.end(), std::cmp::Reverse(p.start())))
}

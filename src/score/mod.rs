//! Scoring: [`run`](fn@run) scores a catalogue on a data directory for one period (the pipeline of
//! `chitieu score`); the arithmetic it uses — the target in force for a year (SPEC §4.4),
//! attainment and status (§5.3), points, scores and grades (§5.4–5.5), ranks (§5.5) and
//! forecasts (§5.6) — are pure functions over definitions and numbers. Writes no files.

pub(crate) mod attainment;
pub(crate) mod build;
pub(crate) mod change;
pub(crate) mod focus;
pub(crate) mod forecast;
pub(crate) mod in_force;
pub(crate) mod monitoring;
pub(crate) mod points;
pub(crate) mod rank;
pub(crate) mod reconcile;
pub(crate) mod rules;
pub(crate) mod run;
pub(crate) mod scorecard;
pub(crate) mod status;

pub(crate) use in_force::target_in_force;

// The public API: scoring a catalogue, and the scorecard it gives.
pub use crate::cycle::{ReportCounts, ReportStatus};
pub use crate::definition::alert::Severity;
pub use crate::definition::{Op, Scoring};
pub use crate::eval::values::Reason;
pub use crate::tasks::TaskStatus;
pub use focus::{Focus, FocusOn};
pub use forecast::ForecastStatus;
pub use monitoring::{ChangeJson, Contributor, Fired, Monitoring, TrendPoint};
pub use points::Grade;
pub use reconcile::{
    Difference, Inconsistency, Item as ReconciledItem, PortalInconsistency, Reconciliation, Tally,
    UnitTally,
};
pub use run::{admit, run, Admission, Admitted, RunError, RunOptions, ScanError};
pub use scorecard::{
    CatalogueRef, ForecastJson, GroupScore, IndicatorCard, PeerSet, PublishedTotal, ReportLine,
    ReportSummary, Scorecard, SeriesPoint, TargetJson, TaskLine, TaskSummary, UnitCard,
};
pub use status::Status;

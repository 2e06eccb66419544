//! What a scorecard shows of monitoring over time (SPEC §10): the run's snapshot and what it is
//! compared with, the change of each unit and item, the alerts that fired. Plain data, made by
//! `history::monitor` and read by the writers; computes nothing.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::definition::alert::Severity;

/// What the outputs of a run with a history show (scorecard.json `history`).
#[derive(Debug, Clone, Serialize)]
pub struct Monitoring {
    /// The snapshot file this run recorded.
    pub snapshot: String,
    /// `chitieu` (computed) or `cong_bo` (the portal's published figures).
    pub source: &'static str,
    /// The snapshot the changes are measured against (null: the first of its series).
    #[serde(serialize_with = "iso_opt")]
    pub previous_as_of: Option<NaiveDate>,
    /// Days since that snapshot (more than 1 for daily snapshots: days are missing).
    pub days: Option<i64>,
    /// The snapshot closest to `--since`, the base of `since` changes.
    #[serde(serialize_with = "iso_opt")]
    pub since_as_of: Option<NaiveDate>,
    /// Snapshots in the series, this one included.
    pub snapshots: usize,
    /// Each unit's total and rank over the latest snapshots (oldest first), for the charts.
    #[serde(skip)]
    pub trend: Vec<TrendPoint>,
}

/// One snapshot of the charts: the date, and per unit (score, rank); per group of the top unit
/// its points as a share of its maximum (%).
#[derive(Debug, Clone)]
pub struct TrendPoint {
    pub as_of: NaiveDate,
    pub totals: HashMap<String, (Option<f64>, Option<u32>)>,
    pub groups: HashMap<String, Option<f64>>,
}

/// A change as the JSON shows it (`since_previous`, `since` of units, groups and indicators).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangeJson {
    pub change: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_change: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub streak: Option<u32>,
    /// Why `change` is null although there was a snapshot to compare with
    /// (`dinh_nghia_thay_doi`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn iso_opt<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
        None => s.serialize_none(),
    }
}

/// An alert that fired for one (unit, item).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fired {
    pub alert: String,
    pub name: String,
    pub severity: Severity,
    pub unit: String,
    pub unit_name: String,
    pub level: String,
    pub item: String,
    pub item_name: String,
    /// The figure in the previous snapshot (points, or the value of an unscored indicator).
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub change: Option<f64>,
    pub rank: Option<u32>,
    pub rank_change: Option<i64>,
    pub streak: u32,
    /// earned / max × 100.
    pub share: Option<f64>,
    /// The items under it that moved most, the largest fall first (groups of a total,
    /// indicators of a group).
    pub contributors: Vec<Contributor>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contributor {
    pub item: String,
    pub name: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub change: f64,
    /// The change of the indicator's counts (e.g. 38 more dossiers in the denominator);
    /// absent when they did not change or are not known (a group, published figures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator_change: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator_change: Option<f64>,
}

//! A score run's monitoring (SPEC §10.2): records the run's snapshot in the history, measures
//! the change since the previous snapshot and since `--since`, evaluates the alerts, and hands
//! the scorecard what its outputs show (JSON fields, summary.csv columns, the "Diễn biến" sheet,
//! the report's charts). The library owns this; `chitieu score` only passes the options.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::alerts;
use super::change::{self, ItemChange};
use super::snapshot::{self, Kind, Snapshot};
use super::store::{History, HistoryError};
use crate::definition::Catalogue;
use crate::score::scorecard::Scorecard;

/// Snapshots shown in the report's charts of total and rank (the latest ones).
pub const CHART_SNAPSHOTS: usize = 30;

/// `--since DATE` or `--since 7d` (days before the run's as-of date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    Date(NaiveDate),
    DaysBefore(u32),
}

impl Since {
    pub fn parse(text: &str) -> Option<Since> {
        let t = text.trim();
        if let Some(n) = t.strip_suffix(['d', 'D']) {
            return n.parse().ok().map(Since::DaysBefore);
        }
        crate::data::number::parse_date(t).map(Since::Date)
    }

    fn date(self, as_of: NaiveDate) -> NaiveDate {
        match self {
            Since::Date(d) => d,
            Since::DaysBefore(n) => as_of - chrono::Duration::days(i64::from(n)),
        }
    }
}

pub use crate::score::monitoring::{ChangeJson, Monitoring, TrendPoint};

/// Records `card`'s snapshot in `history` and fills the card's monitoring fields; with `charts`,
/// also the series of the latest snapshots the report's charts draw (a run without charts reads
/// no earlier snapshot for them).
pub fn record(
    history: &History,
    card: &mut Scorecard,
    c: &Catalogue,
    since: Option<Since>,
    charts: bool,
) -> Result<(), MonitorError> {
    let key = snapshot::key_of(card);
    let path = history.path_of(&key);
    // the series before this snapshot, for `--since` (read while the snapshot is being made)
    let series_before = history.series(&key.series())?;
    let shown: &Scorecard = card;
    let (now, _, evaluated) = history.record_while(
        key,
        || snapshot::from_card(shown, c),
        // while the snapshot is written: the change since `--since` and the alerts
        |now, previous| -> Result<_, MonitorError> {
            let since_snap = match since {
                Some(s) => closest(&series_before, now, s.date(now.key.as_of))?,
                None => None,
            };
            let since_map = since_snap.as_ref().map(|s| change::since(now, s));
            let fired = alerts::evaluate(c, now, previous, since_map.as_ref())?;
            Ok((since_snap, since_map, fired))
        },
    )?;
    let (since_snap, since_map, fired) = evaluated?;
    let series = history.series(&now.key.series())?;
    let trend = if charts {
        trend(&series, &now, card)?
    } else {
        Vec::new()
    };
    attach(card, &now, since_map.as_ref());
    card.history = Some(Monitoring {
        snapshot: path.display().to_string(),
        source: now.key.source.code(),
        previous_as_of: now.previous_as_of,
        days: now.previous_as_of.map(|d| (now.key.as_of - d).num_days()),
        since_as_of: since_snap.map(|s| s.key.as_of),
        snapshots: series.len(),
        alerts: fired.clone(),
        trend,
    });
    card.alerts = Some(fired);
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Alert(#[from] alerts::AlertError),
}

/// The snapshot of the series closest to `date` (the earlier of two as close), other than `now`.
fn closest(
    series: &[super::store::Entry],
    now: &Snapshot,
    date: NaiveDate,
) -> Result<Option<Snapshot>, HistoryError> {
    let best = series
        .iter()
        .filter(|e| e.key.as_of != now.key.as_of)
        .min_by_key(|e| ((e.key.as_of - date).num_days().abs(), e.key.as_of));
    best.map(|e| super::store::read_compared(&e.path))
        .transpose()
}

/// The latest [`CHART_SNAPSHOTS`] of the series: totals and ranks of every unit, the top unit's
/// groups.
fn trend(
    series: &[super::store::Entry],
    now: &Snapshot,
    card: &Scorecard,
) -> Result<Vec<TrendPoint>, HistoryError> {
    let top = card
        .units
        .iter()
        .find(|u| u.parent.is_none())
        .map(|u| u.id.clone());
    let mut out = Vec::new();
    let upto: Vec<&super::store::Entry> = series
        .iter()
        .filter(|e| e.key.as_of <= now.key.as_of)
        .collect();
    let start = upto.len().saturating_sub(CHART_SNAPSHOTS);
    for e in &upto[start..] {
        let figures = if e.key.as_of == now.key.as_of {
            let mut f = super::store::TrendFigures::default();
            for r in &now.rows {
                match r.kind {
                    Kind::Total => {
                        f.totals.insert(r.unit.clone(), (r.earned, r.rank));
                    }
                    Kind::Group if Some(&r.unit) == top.as_ref() => {
                        f.groups.insert(r.item.clone(), r.share());
                    }
                    _ => {}
                }
            }
            f
        } else {
            super::store::read_trend(&e.path, top.as_deref())?
        };
        out.push(TrendPoint {
            as_of: e.key.as_of,
            totals: figures.totals,
            groups: figures.groups,
        });
    }
    Ok(out)
}

fn json(c: &ItemChange, streak: Option<u32>) -> ChangeJson {
    ChangeJson {
        change: c.change,
        rank_change: c.rank_change,
        streak,
        reason: c.reason.clone(),
    }
}

/// The changes of each unit, group and indicator into the card's fields.
fn attach(
    card: &mut Scorecard,
    now: &Snapshot,
    since: Option<&HashMap<(String, String), ItemChange>>,
) {
    let rows: HashMap<(&str, &str), &super::Row> = now
        .rows
        .iter()
        .map(|r| ((r.unit.as_str(), r.item.as_str()), r))
        .collect();
    let previous = |unit: &str, item: &str| -> Option<ChangeJson> {
        let r = rows.get(&(unit, item))?;
        now.previous_as_of?;
        Some(ChangeJson {
            change: r.change,
            rank_change: r.rank_change,
            streak: Some(r.streak),
            reason: r.reason.clone(),
        })
    };
    let since_of = |unit: &str, item: &str| -> Option<ChangeJson> {
        let s = since?;
        s.get(&(unit.to_string(), item.to_string()))
            .map(|c| json(c, None))
    };
    for unit in &mut card.units {
        unit.since_previous = previous(&unit.id, "total");
        unit.since = since_of(&unit.id, "total");
        for g in &mut unit.groups {
            g.since_previous = previous(&unit.id, &g.id);
        }
        for i in &mut unit.indicators {
            i.since_previous = previous(&unit.id, &i.id);
        }
    }
}

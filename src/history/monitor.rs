//! A score run's monitoring (SPEC §10.2): records the run's snapshot in the history, measures
//! the change since the previous snapshot and since `--since`, evaluates the alerts, and hands
//! the scorecard what its outputs show (JSON fields, summary.csv columns, the "Diễn biến" sheet,
//! the report's charts). The library owns this; `chitieu score` only passes the options.

use chrono::NaiveDate;

use super::alerts;
use super::change::{self, ItemChange};
use super::snapshot::{self, Kind, Snapshot};
use super::store::{Entry, History, HistoryError, Pending, Recording};
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
) -> Result<Pending, MonitorError> {
    let key = snapshot::key_of(card);
    let path = history.path_of(&key);
    // the other snapshots of the series, for `--since`, the count and the charts
    let others: Vec<Entry> = history
        .series(&key.series())?
        .into_iter()
        .filter(|e| e.key.as_of != key.as_of)
        .collect();
    let shown: &Scorecard = card;
    let Recording {
        now,
        previous,
        pending,
    } = history.record_behind(key, || snapshot::from_card(shown, c))?;
    // while the snapshot is written: the change since `--since`, the alerts, the charts' series
    let since_snap = match since {
        Some(s) => closest(&others, s.date(now.key.as_of))?,
        None => None,
    };
    let since_changes = since_snap.as_ref().map(|s| change::since(&now, s));
    let fired = alerts::evaluate(c, &now, previous.as_ref(), since_changes.as_deref())?;
    let trend = if charts {
        trend(&others, &now, card)?
    } else {
        Vec::new()
    };
    attach(card, &now, since_changes.as_deref());
    card.history = Some(Monitoring {
        snapshot: path.display().to_string(),
        source: now.key.source.code(),
        previous_as_of: now.previous_as_of,
        days: now.previous_as_of.map(|d| (now.key.as_of - d).num_days()),
        since_as_of: since_snap.map(|s| s.key.as_of),
        snapshots: others.len() + 1,
        trend,
    });
    card.alerts = Some(fired);
    Ok(pending)
}

#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Alert(#[from] alerts::AlertError),
}

/// The snapshot of `others` closest to `date` (the earlier of two as close).
fn closest(others: &[Entry], date: NaiveDate) -> Result<Option<Snapshot>, HistoryError> {
    let best = others
        .iter()
        .min_by_key(|e| ((e.key.as_of - date).num_days().abs(), e.key.as_of));
    best.map(|e| super::store::read_compared(&e.key, &e.path))
        .transpose()
}

/// The latest [`CHART_SNAPSHOTS`] up to `now` of its series (`others` and `now`): totals and
/// ranks of every unit, the top unit's groups.
fn trend(
    others: &[Entry],
    now: &Snapshot,
    card: &Scorecard,
) -> Result<Vec<TrendPoint>, HistoryError> {
    let top = card
        .units
        .iter()
        .find(|u| u.parent.is_none())
        .map(|u| u.id.as_str());
    let earlier: Vec<&Entry> = others
        .iter()
        .filter(|e| e.key.as_of < now.key.as_of)
        .collect();
    let start = earlier.len().saturating_sub(CHART_SNAPSHOTS - 1);
    let mut out = Vec::new();
    for e in &earlier[start..] {
        let figures = super::store::read_trend(&e.path, top)?;
        out.push(TrendPoint {
            as_of: e.key.as_of,
            totals: figures.totals,
            groups: figures.groups,
        });
    }
    let mut figures = super::store::TrendFigures::default();
    for r in &now.rows {
        match r.kind {
            Kind::Total => {
                figures
                    .totals
                    .insert(r.unit.to_string(), (r.earned, r.rank));
            }
            Kind::Group if Some(&*r.unit) == top => {
                figures.groups.insert(r.item.to_string(), r.share());
            }
            _ => {}
        }
    }
    out.push(TrendPoint {
        as_of: now.key.as_of,
        totals: figures.totals,
        groups: figures.groups,
    });
    Ok(out)
}

/// The changes of each unit, group and indicator into the card's fields. The snapshot's rows
/// are the card's, in its order ([`snapshot::from_card`]): each unit's total, groups, indicators.
fn attach(card: &mut Scorecard, now: &Snapshot, since: Option<&[Option<ItemChange>]>) {
    let measured = now.previous_as_of.is_some();
    let mut rows = now.rows.iter().enumerate();
    let mut next = |unit: &str, item: &str| {
        let (i, r) = rows
            .next()
            .filter(|(_, r)| &*r.unit == unit && &*r.item == item)?;
        Some((i, r))
    };
    let previous = |r: &super::Row| {
        measured.then(|| ChangeJson {
            change: r.change,
            rank_change: r.rank_change,
            streak: Some(r.streak),
            reason: r.reason.clone(),
        })
    };
    for unit in &mut card.units {
        let Some((i, total)) = next(&unit.id, "total") else {
            return;
        };
        unit.since_previous = previous(total);
        unit.since = since
            .and_then(|s| s.get(i))
            .and_then(|c| c.as_ref())
            .map(|c| ChangeJson {
                change: c.change,
                rank_change: c.rank_change,
                streak: None,
                reason: c.reason.clone(),
            });
        for g in &mut unit.groups {
            g.since_previous = next(&unit.id, &g.id).and_then(|(_, r)| previous(r));
        }
        for ind in &mut unit.indicators {
            ind.since_previous = next(&unit.id, &ind.id).and_then(|(_, r)| previous(r));
        }
    }
}

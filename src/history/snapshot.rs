//! One snapshot of a scoreboard (SPEC §10.1): (catalogue, period, as-of date, source) and one row
//! per (unit, item) — the unit's total, each group, each indicator — in the long format the
//! history keeps. Built from a scorecard (figures chitieu computed) or from the portal's
//! published figures (`published.csv`); the two are never mixed in one snapshot.

use chrono::NaiveDate;
use polars::prelude::PlHashMap;
use serde::Serialize;

use crate::data::Period;
use crate::definition::Catalogue;
use crate::score::scorecard::Scorecard;

use super::fingerprint;

/// Where a snapshot's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Computed by chitieu from counts and records (`chitieu score`).
    Chitieu,
    /// Published by the portal (`published.csv` of `chitieu import`), taken as published.
    CongBo,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Chitieu => "chitieu",
            Source::CongBo => "cong_bo",
        }
    }

    pub fn parse(text: &str) -> Option<Source> {
        [Source::Chitieu, Source::CongBo]
            .into_iter()
            .find(|s| s.code() == text)
    }
}

/// What a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Total,
    Group,
    Indicator,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Total => "total",
            Kind::Group => "group",
            Kind::Indicator => "indicator",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        [Kind::Total, Kind::Group, Kind::Indicator]
            .into_iter()
            .find(|k| k.code() == text)
    }
}

/// The key of a snapshot: one file of the history per key (SPEC §10.1). A year-to-date run
/// (`--cumulative`) of a period is another series than the period alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub catalogue: String,
    pub period: Period,
    pub cumulative: bool,
    pub as_of: NaiveDate,
    pub source: Source,
}

impl Key {
    /// The series the snapshot belongs to: the key without its date.
    pub fn series(&self) -> Series {
        Series {
            catalogue: self.catalogue.clone(),
            period: self.period,
            cumulative: self.cumulative,
            source: self.source,
        }
    }
}

/// Snapshots that are compared with each other: same catalogue, period, basis and source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Series {
    pub catalogue: String,
    pub period: Period,
    pub cumulative: bool,
    pub source: Source,
}

/// A text of a snapshot's rows: shared, not copied, between the rows that repeat it (a unit's
/// id and name are on each of its 28 rows, a definition's fingerprint on each unit's row).
pub type Text = std::sync::Arc<str>;

/// Why a change is not a number (SPEC §10.2).
pub const DEFINITION_CHANGED: &str = "dinh_nghia_thay_doi";

/// One (unit, item) of a snapshot, with its change since the previous snapshot of its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub unit: Text,
    pub name: Text,
    pub level: Text,
    pub parent: Option<Text>,
    /// `total`, a group id or an indicator id.
    pub item: Text,
    pub kind: Kind,
    /// The score (total), the group's score in % of its maximum, or the indicator's value.
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// The most points the item gives (100 for a total out of 100).
    pub max: Option<f64>,
    /// Points earned (the score for a total).
    pub earned: Option<f64>,
    /// The indicator's status code (`dat`, `chua_dat`, …).
    pub status: Option<Text>,
    pub rank: Option<u32>,
    pub rank_of: Option<u32>,
    pub fingerprint: Text,
    /// Change since the previous snapshot of the series ([`Row::measure`], to the cent).
    pub change: Option<f64>,
    pub rank_change: Option<i64>,
    /// Consecutive snapshots, this one included, in which the item fell.
    pub streak: u32,
    pub previous_status: Option<Text>,
    /// Why `change` is null although there was a previous snapshot (`DEFINITION_CHANGED`).
    pub reason: Option<String>,
    /// What is odd about a published figure: `tong_lech_nhom` (the total is not the sum of its
    /// groups), `vuot_toi_da` (above its maximum), `chua_cap_nhat` (the total did not move
    /// while its groups did).
    pub note: Option<String>,
}

impl Row {
    /// The figure a change is measured on: points earned for a scored item, else the value.
    pub fn measure(&self) -> Option<f64> {
        match self.kind {
            Kind::Total | Kind::Group => self.earned,
            Kind::Indicator => match self.max {
                Some(m) if m > 0.0 => self.earned,
                _ => self.value,
            },
        }
    }

    /// earned / max × 100.
    pub fn share(&self) -> Option<f64> {
        match (self.earned, self.max) {
            (Some(e), Some(m)) if m > 0.0 => Some(e / m * 100.0),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub key: Key,
    /// The chitieu version that recorded it.
    pub chitieu: String,
    /// The date of the snapshot the changes are measured against.
    pub previous_as_of: Option<NaiveDate>,
    pub rows: Vec<Row>,
}

impl Snapshot {
    /// The rows of one unit's total, in unit order.
    pub fn totals(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.kind == Kind::Total)
    }

    pub fn row(&self, unit: &str, item: &str) -> Option<&Row> {
        self.rows
            .iter()
            .find(|r| &*r.unit == unit && &*r.item == item)
    }
}

/// The key of a score run's snapshot: its catalogue, period, basis and as-of date.
pub fn key_of(card: &Scorecard) -> Key {
    Key {
        catalogue: card.catalogue.id.clone(),
        period: card.period,
        cumulative: card.cumulative,
        as_of: card.as_of,
        source: Source::Chitieu,
    }
}

/// The snapshot of a score run: per unit its total, groups and indicators, in the scorecard's
/// order. Changes are filled in when it is recorded (`History::record`).
pub fn from_card(card: &Scorecard, c: &Catalogue) -> Snapshot {
    let total_print: Text = fingerprint::total(c).into();
    let group_prints: PlHashMap<&str, Text> = c
        .groups
        .iter()
        .map(|g| (g.id.as_str(), fingerprint::group(c, &g.id).into()))
        .collect();
    let indicator_prints: PlHashMap<&str, Text> = c
        .indicators
        .iter()
        .map(|i| (i.id.as_str(), fingerprint::indicator(c, i).into()))
        .collect();
    // the texts every unit repeats, made once
    let total: Text = "total".into();
    let items: PlHashMap<&str, Text> = c
        .groups
        .iter()
        .map(|g| g.id.as_str())
        .chain(c.indicators.iter().map(|i| i.id.as_str()))
        .map(|id| (id, Text::from(id)))
        .collect();
    let item = |id: &str| items.get(id).cloned().unwrap_or_else(|| id.into());
    let mut levels: PlHashMap<&str, Text> = PlHashMap::default();
    let mut statuses: PlHashMap<&str, Text> = PlHashMap::default();
    let mut rows = Vec::with_capacity(
        card.units
            .iter()
            .map(|u| 1 + u.groups.len() + u.indicators.len())
            .sum(),
    );
    for unit in &card.units {
        let level = levels
            .entry(unit.level.as_str())
            .or_insert_with(|| unit.level.as_str().into())
            .clone();
        let base = Row {
            unit: unit.id.as_str().into(),
            name: unit.name.as_str().into(),
            level,
            parent: unit.parent.as_deref().map(Text::from),
            item: total.clone(),
            kind: Kind::Total,
            value: unit.score,
            numerator: None,
            denominator: None,
            // a unit's score is out of 100 (SPEC §5.5)
            max: Some(100.0),
            earned: unit.score,
            status: None,
            rank: unit.rank.map(|r| r as u32),
            rank_of: unit.rank_of.map(|r| r as u32),
            fingerprint: total_print.clone(),
            change: None,
            rank_change: None,
            streak: 0,
            previous_status: None,
            reason: None,
            note: None,
        };
        for g in &unit.groups {
            rows.push(Row {
                item: item(&g.id),
                kind: Kind::Group,
                value: g.score,
                max: Some(g.max),
                earned: Some(g.earned),
                rank: None,
                rank_of: None,
                fingerprint: group_prints.get(g.id.as_str()).cloned().unwrap_or_default(),
                ..base.clone()
            });
        }
        for i in &unit.indicators {
            let status = i.status.as_str();
            rows.push(Row {
                item: item(&i.id),
                kind: Kind::Indicator,
                value: i.value,
                numerator: i.numerator,
                denominator: i.denominator,
                max: Some(i.points),
                earned: i.earned,
                status: Some(
                    statuses
                        .entry(status)
                        .or_insert_with(|| status.into())
                        .clone(),
                ),
                rank: None,
                rank_of: None,
                fingerprint: indicator_prints
                    .get(i.id.as_str())
                    .cloned()
                    .unwrap_or_default(),
                ..base.clone()
            });
        }
        // the total first, then its groups and indicators
        let first = rows.len() - unit.groups.len() - unit.indicators.len();
        rows.insert(first, base);
    }
    Snapshot {
        key: key_of(card),
        chitieu: card.chitieu.to_string(),
        previous_as_of: None,
        rows,
    }
}

//! One snapshot of a scoreboard (SPEC §10.1): (catalogue, period, as-of date, source) and one row
//! per (unit, item) — the unit's total, each group, each indicator — in the long format the
//! history keeps. Built from a scorecard (figures chitieu computed) or from the portal's
//! published figures (`published.csv`); the two are never mixed in one snapshot.

use chrono::NaiveDate;
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

/// Why a change is not a number (SPEC §10.2).
pub const DEFINITION_CHANGED: &str = "dinh_nghia_thay_doi";

/// One (unit, item) of a snapshot, with its change since the previous snapshot of its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub unit: String,
    pub name: String,
    pub level: String,
    pub parent: Option<String>,
    /// `total`, a group id or an indicator id.
    pub item: String,
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
    pub status: Option<String>,
    pub rank: Option<u32>,
    pub rank_of: Option<u32>,
    pub fingerprint: String,
    /// Change since the previous snapshot of the series ([`Row::measure`], to the cent).
    pub change: Option<f64>,
    pub rank_change: Option<i64>,
    /// Consecutive snapshots, this one included, in which the item fell.
    pub streak: u32,
    pub previous_status: Option<String>,
    /// Why `change` is null although there was a previous snapshot ([`DEFINITION_CHANGED`]).
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
        self.rows.iter().find(|r| r.unit == unit && r.item == item)
    }
}

fn empty_row(unit: &crate::score::scorecard::UnitCard) -> Row {
    Row {
        unit: unit.id.clone(),
        name: unit.name.clone(),
        level: unit.level.clone(),
        parent: unit.parent.clone(),
        item: "total".into(),
        kind: Kind::Total,
        value: None,
        numerator: None,
        denominator: None,
        max: None,
        earned: None,
        status: None,
        rank: None,
        rank_of: None,
        fingerprint: String::new(),
        change: None,
        rank_change: None,
        streak: 0,
        previous_status: None,
        reason: None,
        note: None,
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
    let total_print = fingerprint::total(c);
    let group_prints: Vec<(String, String)> = c
        .groups
        .iter()
        .map(|g| (g.id.clone(), fingerprint::group(c, &g.id)))
        .collect();
    let indicator_prints: std::collections::HashMap<&str, String> = c
        .indicators
        .iter()
        .map(|i| (i.id.as_str(), fingerprint::indicator(c, i)))
        .collect();
    let mut rows = Vec::new();
    for unit in &card.units {
        let base = empty_row(unit);
        rows.push(Row {
            value: unit.score,
            earned: unit.score,
            // a unit's score is out of 100 (SPEC §5.5)
            max: Some(100.0),
            rank: unit.rank.map(|r| r as u32),
            rank_of: unit.rank_of.map(|r| r as u32),
            fingerprint: total_print.clone(),
            ..base.clone()
        });
        for g in &unit.groups {
            let print = group_prints
                .iter()
                .find(|(id, _)| *id == g.id)
                .map(|(_, p)| p.clone())
                .unwrap_or_default();
            rows.push(Row {
                item: g.id.clone(),
                kind: Kind::Group,
                value: g.score,
                max: Some(g.max),
                earned: Some(g.earned),
                fingerprint: print,
                ..base.clone()
            });
        }
        for i in &unit.indicators {
            rows.push(Row {
                item: i.id.clone(),
                kind: Kind::Indicator,
                value: i.value,
                numerator: i.numerator,
                denominator: i.denominator,
                max: Some(i.points),
                earned: i.earned,
                status: Some(i.status.as_str().to_string()),
                fingerprint: indicator_prints
                    .get(i.id.as_str())
                    .cloned()
                    .unwrap_or_default(),
                ..base.clone()
            });
        }
    }
    Snapshot {
        key: key_of(card),
        chitieu: card.chitieu.to_string(),
        previous_as_of: None,
        rows,
    }
}

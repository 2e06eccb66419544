//! `[[alert]]` (SPEC §10.3): a condition on the change of one item between snapshots, its
//! severity and the units it watches. The model only; `load/alert.rs` reads it, `check::rules`
//! checks what it names, `history::alerts` evaluates it.

use std::ops::Range;

use serde::Serialize;
use toml::Spanned;

use super::model::Loc;

/// How loud an alert is: red, yellow, or for information. Ordered from the loudest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Đỏ: act today.
    Do,
    /// Vàng: watch.
    Vang,
    /// Thông tin.
    ThongTin,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Do, Severity::Vang, Severity::ThongTin];

    /// The code as written in catalogues and JSON: `do`, `vang`, `thong_tin`.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Do => "do",
            Severity::Vang => "vang",
            Severity::ThongTin => "thong_tin",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.code() == text)
    }
}

/// The names a `when` condition may use, one value per (unit, item) of a snapshot, with what
/// each means (the README and E161's help list them from here).
pub const WHEN_NAMES: &[(&str, &str)] = &[
    ("change", "change since the previous snapshot of the same period (points; the value for unscored indicators)"),
    ("change_since", "change since the snapshot of `--since`"),
    ("rank_change", "places moved since the previous snapshot (positive = up; totals only)"),
    ("streak", "consecutive snapshots the item has fallen (0 when it did not fall last time)"),
    ("share", "earned / max × 100 (%)"),
    ("value", "the item's value (the score for a total, the earned points of a group)"),
    ("earned", "points earned"),
    ("rank", "rank among peers (totals only)"),
    ("status", "status code (dat, chua_dat, …; totals and groups: null)"),
    ("previous_status", "status in the previous snapshot"),
];

#[derive(Debug, Clone)]
pub struct Alert {
    pub id: String,
    pub name: String,
    /// The items watched, each with the span of its text (`on = "total"` or a list).
    pub on: Vec<Spanned<String>>,
    /// The condition, an SQL expression over [`WHEN_NAMES`] (polars' SQL front end).
    pub when: Spanned<String>,
    /// Unit levels watched; empty: every level.
    pub levels: Vec<String>,
    pub severity: Severity,
    pub loc: Loc,
    pub id_span: Range<usize>,
    /// False when the definition had errors (it is then never evaluated).
    pub complete: bool,
}

impl Alert {
    /// Whether units of `level` are watched.
    pub fn applies_to_level(&self, level: &str) -> bool {
        self.levels.is_empty() || self.levels.iter().any(|l| l == level)
    }
}

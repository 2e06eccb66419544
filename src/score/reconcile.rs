//! Reconciliation with a scoreboard's published figures (SPEC §11): when the data directory has
//! published.csv (written by `chitieu import`), each of chitieu's figures — sub-indicator
//! points, group points, total, rank — is compared with the one the portal published, to the
//! cent, and the portal's own inconsistencies (a total that is not the sum of its groups, a group
//! above its maximum) are listed. Reads published.csv and a scorecard; renders nothing.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::scorecard::{PublishedTotal, Scorecard};
use super::status::Status;
use crate::data::{find_table, read_table, Period, Table, Units};
use crate::definition::Catalogue;
use crate::diagnostics::{Code, Diagnostic};

/// What a published figure is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    Indicator,
    Group,
    Total,
    Rank,
}

/// One row of published.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedRow {
    pub unit: String,
    pub period: Period,
    pub as_of: NaiveDate,
    pub kind: Item,
    /// Sub-indicator or group id; empty for a total.
    pub id: String,
    pub points: f64,
    pub max: Option<f64>,
    pub rank: Option<usize>,
    pub rank_of: Option<usize>,
    pub source: String,
    /// The row as a spreadsheet shows it.
    pub row: usize,
}

/// The published figures of a data directory.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub rows: Vec<PublishedRow>,
}

/// Reads `dir`'s published.csv, if any: every unreadable cell (E307), missing column (E306) and
/// unit units.csv lacks (E300) at its row and column.
pub fn read_published(dir: &Path, units: &Units) -> Result<Option<Published>, Vec<Diagnostic>> {
    let path = match find_table(dir, "published") {
        Ok(Some(p)) => p,
        Ok(None) => return Ok(None),
        Err(d) => return Err(vec![d]),
    };
    let t = read_table(&path).map_err(|d| vec![d])?;
    let needed = ["unit", "period", "as_of", "kind", "id", "points"];
    let missing = t.require(&needed);
    if !missing.is_empty() {
        return Err(missing);
    }
    let col = |name: &str| t.column(name);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for i in 0..t.rows.len() {
        if t.is_blank(i) {
            continue;
        }
        match read_row(&t, i, units, &col) {
            Ok(row) => rows.push(row),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(Some(Published { rows }))
    } else {
        Err(problems)
    }
}

// One diagnostic per row at most; rows are few.
#[allow(clippy::result_large_err)]
fn read_row(
    t: &Table,
    i: usize,
    units: &Units,
    col: &dyn Fn(&str) -> Option<usize>,
) -> Result<PublishedRow, Diagnostic> {
    let cell = |name: &str| t.cell(i, col(name));
    let bad = |name: &str, what: &str| {
        t.at(
            Code::E307,
            i,
            name,
            format!("published.csv: `{}` is not {what}", cell(name)),
        )
    };
    let unit = cell("unit").to_string();
    if units.index(&unit).is_none() {
        return Err(t.at(
            Code::E300,
            i,
            "unit",
            format!("published.csv names unit `{unit}`, which units.csv lacks"),
        ));
    }
    let period = Period::parse(cell("period")).ok_or_else(|| bad("period", "a period"))?;
    let as_of = NaiveDate::parse_from_str(cell("as_of"), "%Y-%m-%d")
        .map_err(|_| bad("as_of", "a date YYYY-MM-DD"))?;
    let kind = match cell("kind") {
        "indicator" => Item::Indicator,
        "group" => Item::Group,
        "total" => Item::Total,
        _ => return Err(bad("kind", "indicator, group or total")),
    };
    let number = |name: &str| -> Result<Option<f64>, Diagnostic> {
        let text = cell(name);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or_else(|| bad(name, "a number"))
    };
    let whole = |name: &str| -> Result<Option<usize>, Diagnostic> {
        let text = cell(name);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<usize>()
            .map(Some)
            .map_err(|_| bad(name, "a rank (1, 2, …)"))
    };
    Ok(PublishedRow {
        unit,
        period,
        as_of,
        kind,
        id: cell("id").to_string(),
        points: number("points")?.ok_or_else(|| bad("points", "a number"))?,
        max: number("max")?,
        rank: whole("rank")?,
        rank_of: whole("rank_of")?,
        source: cell("source").to_string(),
        row: Table::row_number(i),
    })
}

/// How many of one kind of figure matched of those compared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub matched: usize,
    pub compared: usize,
}

impl Tally {
    fn add(&mut self, same: bool) {
        self.compared += 1;
        self.matched += usize::from(same);
    }
}

/// A figure of chitieu's that differs from the portal's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub unit: String,
    pub item: Item,
    /// Sub-indicator or group id; empty for a total or rank.
    pub id: String,
    pub ours: Option<f64>,
    pub published: f64,
    /// The counts behind chitieu's figure (a sub-indicator's).
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    #[serde(serialize_with = "iso_date")]
    pub as_of: NaiveDate,
    pub source: String,
    /// Its row of published.csv.
    pub row: usize,
}

/// What is inconsistent in the portal's own figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Inconsistency {
    /// The published total is not the sum of the six published groups.
    TotalNotSumOfGroups,
    /// A published group score above the group's maximum.
    GroupAboveMax,
}

/// One inconsistency of the portal's figures with themselves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalInconsistency {
    pub unit: String,
    pub kind: Inconsistency,
    /// The group (group above its maximum); empty for a total.
    pub id: String,
    pub published: f64,
    /// The sum of the groups, or the group's maximum.
    pub expected: f64,
    #[serde(serialize_with = "iso_date")]
    pub as_of: NaiveDate,
    pub source: String,
    pub row: usize,
}

fn iso_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

/// The reconciliation of a run with published.csv.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reconciliation {
    pub indicators: Tally,
    pub groups: Tally,
    pub totals: Tally,
    pub ranks: Tally,
    /// Published figures of the period that chitieu has no counts for (snapshots of totals and
    /// groups only; a rank among another set of units), so cannot compare.
    pub not_compared: usize,
    /// Every difference, in unit order, then sub-indicators, groups, total, rank.
    pub differences: Vec<Difference>,
    /// The portal's own inconsistencies, every published day of the period.
    pub inconsistencies: Vec<PortalInconsistency>,
    /// The tallies of each unit, in unit order (a focused view sums its units').
    #[serde(skip)]
    pub by_unit: Vec<(String, UnitTally)>,
}

/// One unit's tallies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitTally {
    pub indicators: Tally,
    pub groups: Tally,
    pub totals: Tally,
    pub ranks: Tally,
    pub not_compared: usize,
}

impl Reconciliation {
    /// Whether every figure compared matched.
    pub fn all_match(&self) -> bool {
        self.differences.is_empty()
    }

    /// Adds one unit's tallies.
    fn add(&mut self, t: &UnitTally) {
        for (sum, x) in [
            (&mut self.indicators, t.indicators),
            (&mut self.groups, t.groups),
            (&mut self.totals, t.totals),
            (&mut self.ranks, t.ranks),
        ] {
            sum.matched += x.matched;
            sum.compared += x.compared;
        }
        self.not_compared += t.not_compared;
    }

    /// The part about units `keep` (a focused view): their tallies, differences and
    /// inconsistencies.
    pub fn within(&self, keep: &dyn Fn(&str) -> bool) -> Reconciliation {
        let mut out = Reconciliation {
            by_unit: self
                .by_unit
                .iter()
                .filter(|(u, _)| keep(u))
                .cloned()
                .collect(),
            differences: self
                .differences
                .iter()
                .filter(|d| keep(&d.unit))
                .cloned()
                .collect(),
            inconsistencies: self
                .inconsistencies
                .iter()
                .filter(|d| keep(&d.unit))
                .cloned()
                .collect(),
            ..Reconciliation::default()
        };
        for (_, t) in out.by_unit.clone() {
            out.add(&t);
        }
        out
    }
}

/// To the cent: hundredths, rounded.
fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// The rule of the portal's figures against themselves, which the reconciliation and the
/// history's notes both apply: a published total is the sum of its published group scores to the
/// cent (on a day when the portal refreshed everything together — Hà Nội, 2/10/2026 — all 143
/// totals are, exactly; any cent off is a total and groups from different moments).
pub fn total_is_sum_of_groups(total: f64, groups: &[f64]) -> bool {
    groups.iter().map(|g| cents(*g)).sum::<i64>() == cents(total)
}

/// The other rule: a published figure is at most its maximum, to the cent.
pub fn above_max(points: f64, max: f64) -> bool {
    cents(points) > cents(max)
}

/// The row of the latest day of each figure (unit, item, id).
fn latest_figures<'a>(
    rows: &[&'a PublishedRow],
) -> HashMap<(&'a str, Item, &'a str), &'a PublishedRow> {
    let mut latest: HashMap<(&str, Item, &str), &PublishedRow> = HashMap::new();
    for r in rows {
        let key = (r.unit.as_str(), r.kind, r.id.as_str());
        match latest.get(&key) {
            Some(before) if before.as_of >= r.as_of => {}
            _ => {
                latest.insert(key, r);
            }
        }
    }
    latest
}

/// Compares `card` with the published figures of its period (the latest day published for each
/// figure), setting `published` and `differs` on each item compared, and lists the portal's own
/// inconsistencies.
pub fn reconcile(c: &Catalogue, card: &mut Scorecard, published: &Published) -> Reconciliation {
    let mut out = Reconciliation::default();
    let rows: Vec<&PublishedRow> = published
        .rows
        .iter()
        .filter(|r| r.period == card.period)
        .collect();
    let latest = latest_figures(&rows);
    for unit in &mut card.units {
        let mut t = UnitTally::default();
        let id = unit.id.clone();
        let difference = |item: Item, ours: Option<f64>, r: &PublishedRow| Difference {
            unit: id.clone(),
            item,
            id: r.id.clone(),
            ours,
            published: r.points,
            numerator: None,
            denominator: None,
            as_of: r.as_of,
            source: r.source.clone(),
            row: r.row,
        };
        let mut found = Vec::new();
        for ind in &mut unit.indicators {
            let Some(r) = latest.get(&(id.as_str(), Item::Indicator, ind.id.as_str())) else {
                continue;
            };
            let has_counts = ind.value.is_some()
                || ind.numerator.is_some()
                || ind.denominator.is_some()
                || ind.status == Status::KhongPhatSinh;
            if !has_counts {
                t.not_compared += 1;
                continue;
            }
            let same = ind.earned.map(cents) == Some(cents(r.points));
            t.indicators.add(same);
            ind.published = Some(r.points);
            ind.differs = Some(!same);
            if !same {
                found.push(Difference {
                    numerator: ind.numerator,
                    denominator: ind.denominator,
                    ..difference(Item::Indicator, ind.earned, r)
                });
            }
        }
        let with_counts: Vec<bool> = c
            .groups
            .iter()
            .map(|g| {
                c.indicators.iter().zip(&unit.indicators).any(|(i, card)| {
                    i.group.as_deref() == Some(g.id.as_str())
                        && (card.value.is_some()
                            || card.numerator.is_some()
                            || card.denominator.is_some())
                })
            })
            .collect();
        for g in &mut unit.groups {
            let Some(r) = latest.get(&(id.as_str(), Item::Group, g.id.as_str())) else {
                continue;
            };
            let counted = c
                .groups
                .iter()
                .position(|d| d.id == g.id)
                .is_some_and(|k| with_counts[k]);
            if !counted {
                t.not_compared += 1;
                continue;
            }
            let same = cents(g.earned) == cents(r.points);
            t.groups.add(same);
            g.published = Some(r.points);
            g.differs = Some(!same);
            if !same {
                // a group of one scored sub-indicator (tdgq, clgq): its counts are the group's
                let scored: Vec<&super::scorecard::IndicatorCard> = c
                    .indicators
                    .iter()
                    .zip(&unit.indicators)
                    .filter(|(i, card)| {
                        i.group.as_deref() == Some(g.id.as_str()) && card.points > 0.0
                    })
                    .map(|(_, card)| card)
                    .collect();
                let (numerator, denominator) = match scored[..] {
                    [one] => (one.numerator, one.denominator),
                    _ => (None, None),
                };
                found.push(Difference {
                    numerator,
                    denominator,
                    ..difference(Item::Group, Some(g.earned), r)
                });
            }
        }
        if let Some(r) = latest.get(&(id.as_str(), Item::Total, "")) {
            let mut shown = PublishedTotal {
                score: None,
                rank: None,
                rank_of: None,
            };
            let mut differs = false;
            if unit.coverage.is_some_and(|c| c > 0.0) {
                let same = unit.score.map(cents) == Some(cents(r.points));
                t.totals.add(same);
                shown.score = Some(r.points);
                differs |= !same;
                if !same {
                    found.push(difference(Item::Total, unit.score, r));
                }
            } else {
                t.not_compared += 1;
            }
            if let Some(rank) = r.rank {
                // a rank compares only within the same set of ranked units
                if unit.rank_of.is_some() && unit.rank_of == r.rank_of {
                    let same = unit.rank == Some(rank);
                    t.ranks.add(same);
                    shown.rank = Some(rank);
                    shown.rank_of = r.rank_of;
                    differs |= !same;
                    if !same {
                        found.push(Difference {
                            published: rank as f64,
                            ..difference(Item::Rank, unit.rank.map(|x| x as f64), r)
                        });
                    }
                } else {
                    t.not_compared += 1;
                }
            }
            if shown.score.is_some() || shown.rank.is_some() {
                unit.published = Some(shown);
                unit.differs = Some(differs);
            }
        }
        out.differences.extend(found);
        out.add(&t);
        out.by_unit.push((id.clone(), t));
    }
    let group_max = |id: &str| c.groups.iter().find(|g| g.id == id).and_then(|g| g.points);
    out.inconsistencies = inconsistencies(&rows, c.groups.len(), &group_max);
    out
}

/// The portal's figures against themselves, every day: each total against the sum of its
/// `groups` group scores (when all are published), each group against its maximum (as
/// published, else `group_max`). In published.csv order (day, then unit).
pub fn inconsistencies(
    rows: &[&PublishedRow],
    groups_in_total: usize,
    group_max: &dyn Fn(&str) -> Option<f64>,
) -> Vec<PortalInconsistency> {
    let mut groups: HashMap<(&str, NaiveDate), Vec<&PublishedRow>> = HashMap::new();
    let mut out = Vec::new();
    for r in rows {
        if r.kind != Item::Group {
            continue;
        }
        groups
            .entry((r.unit.as_str(), r.as_of))
            .or_default()
            .push(r);
        let max = r.max.or_else(|| group_max(&r.id));
        if let Some(max) = max {
            if above_max(r.points, max) {
                out.push(PortalInconsistency {
                    unit: r.unit.clone(),
                    kind: Inconsistency::GroupAboveMax,
                    id: r.id.clone(),
                    published: r.points,
                    expected: max,
                    as_of: r.as_of,
                    source: r.source.clone(),
                    row: r.row,
                });
            }
        }
    }
    for r in rows {
        if r.kind != Item::Total {
            continue;
        }
        let Some(gs) = groups.get(&(r.unit.as_str(), r.as_of)) else {
            continue;
        };
        if gs.len() < groups_in_total {
            continue;
        }
        let points: Vec<f64> = gs.iter().map(|g| g.points).collect();
        if !total_is_sum_of_groups(r.points, &points) {
            let sum: i64 = points.iter().map(|p| cents(*p)).sum();
            out.push(PortalInconsistency {
                unit: r.unit.clone(),
                kind: Inconsistency::TotalNotSumOfGroups,
                id: String::new(),
                published: r.points,
                expected: sum as f64 / 100.0,
                as_of: r.as_of,
                source: r.source.clone(),
                row: r.row,
            });
        }
    }
    out.sort_by_key(|p| (p.as_of, p.row));
    out
}

#[cfg(test)]
mod tests {
    use super::{inconsistencies, Inconsistency, Item, PublishedRow};
    use crate::data::Period;
    use chrono::NaiveDate;

    fn row(
        unit: &str,
        kind: Item,
        id: &str,
        points: f64,
        max: Option<f64>,
        row: usize,
    ) -> PublishedRow {
        PublishedRow {
            unit: unit.into(),
            period: Period::Year(2026),
            as_of: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default(),
            kind,
            id: id.into(),
            points,
            max,
            rank: None,
            rank_of: None,
            source: "2026-10-01.json".into(),
            row,
        }
    }

    /// Rows of a city's snapshot (shared/portal766-dev, Hà Nội 2026-10-01, and Gia Lai's MDHL
    /// 18.28 of 18): each case checked by hand.
    #[test]
    fn the_portals_figures_against_themselves() {
        let groups = |unit: &str, scores: [f64; 6], first_row: usize| -> Vec<PublishedRow> {
            ["ckmb", "tdgq", "clgq", "tttt", "mdsh", "mdhl"]
                .iter()
                .zip(scores)
                .enumerate()
                .map(|(k, (id, x))| row(unit, Item::Group, id, x, None, first_row + k))
                .collect()
        };
        let mut rows = Vec::new();
        // the city: 52.65 published, its groups sum to 54.27
        rows.push(row("H26", Item::Total, "", 52.65, Some(100.0), 2));
        rows.extend(groups("H26", [11.28, 14.59, 9.25, 4.4, 6.86, 7.89], 3));
        // a unit whose total is the sum of its groups to the cent (0.1 + 0.2 in doubles)
        rows.push(row("H26.1", Item::Total, "", 0.3, None, 9));
        rows.extend(groups("H26.1", [0.1, 0.2, 0.0, 0.0, 0.0, 0.0], 10));
        // a group above its maximum (the catalogue's 18 when none is published), and one at it
        rows.push(row("H21.01", Item::Group, "mdhl", 18.28, None, 16));
        rows.push(row("H21.02", Item::Group, "mdhl", 18.0, Some(18.0), 17));
        // a total without all six groups: not compared
        rows.push(row("H21.03", Item::Total, "", 40.0, None, 18));
        rows.push(row("H21.03", Item::Group, "ckmb", 10.0, None, 19));
        let refs: Vec<&PublishedRow> = rows.iter().collect();
        let max = |id: &str| (id == "mdhl").then_some(18.0);
        let found = inconsistencies(&refs, 6, &max);
        let got: Vec<(&str, Inconsistency, f64, f64)> = found
            .iter()
            .map(|p| (p.unit.as_str(), p.kind, p.published, p.expected))
            .collect();
        assert_eq!(
            got,
            [
                ("H26", Inconsistency::TotalNotSumOfGroups, 52.65, 54.27),
                ("H21.01", Inconsistency::GroupAboveMax, 18.28, 18.0),
            ]
        );
    }
}

//! The portal's published figures as snapshots (SPEC §10.1, §11): `published.csv` of a data
//! directory written by `chitieu import portal766` — one row per (unit, as-of date, item) with
//! the points the portal published — becomes one snapshot per (period, as-of date), labelled
//! `cong_bo` and kept apart from the snapshots chitieu computes. Figures are taken as published:
//! what the reconciliation finds odd in them (a total that is not the sum of its groups, a group
//! above its maximum) is kept and noted. published.csv and units.csv are read by the readers a
//! score run uses (`score::reconcile::read_published`, `data::Units`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;

use super::snapshot::{Key, Kind, Row, Snapshot, Source};
use crate::data::table::{find_table, read_table};
use crate::data::{Period, Units};
use crate::definition::Catalogue;
use crate::diagnostics::{Code, Diagnostic};
use crate::score::reconcile::{inconsistencies, read_published, Inconsistency, Item};

/// A published total that is not the sum of its published groups
/// ([`crate::score::reconcile::total_is_sum_of_groups`]).
pub const TOTAL_NOT_SUM: &str = "tong_lech_nhom";
/// A published group above its maximum ([`crate::score::reconcile::above_max`]).
pub const ABOVE_MAX: &str = "vuot_toi_da";

/// Fingerprint of a published item: the portal's formula is not known, so a series breaks when
/// the published maximum of an item changes.
fn fingerprint(item: &str, max: Option<f64>) -> String {
    format!(
        "cong_bo:{item}:{}",
        max.map(|m| m.to_string()).unwrap_or_default()
    )
}

/// Reads `units.csv` and `published.csv` of `dir`: the snapshots it holds, oldest first, or
/// every problem found (file, row, column).
pub fn snapshots(dir: &Path, c: &Catalogue) -> Result<Vec<Snapshot>, Vec<Diagnostic>> {
    let missing = |name: &str| {
        vec![Diagnostic::new(
            Code::E306,
            dir.join(format!("{name}.csv")),
            crate::diagnostics::Place::File,
            format!("{} has no {name}.csv", dir.display()),
        )
        .help("import the portal's responses first: chitieu import portal766 FILE ... --out DIR")]
    };
    let units = match find_table(dir, "units") {
        Ok(Some(path)) => read_table(&path).map_err(|d| vec![d])?,
        Ok(None) => return Err(missing("units")),
        Err(d) => return Err(vec![d]),
    };
    let units = Units::from_table(&units)?;
    let Some(published) = read_published(dir, &units)? else {
        return Err(missing("published"));
    };
    let group_max = |id: &str| c.groups.iter().find(|g| g.id == id).and_then(|g| g.points);
    let rows: Vec<_> = published.rows.iter().collect();
    // what is odd in the figures, by (unit, as-of, item)
    let mut notes: HashMap<(&str, NaiveDate, &str), &str> = HashMap::new();
    let odd = inconsistencies(&rows, c.groups.len(), &group_max);
    for o in &odd {
        let (item, note) = match o.kind {
            Inconsistency::TotalNotSumOfGroups => ("total", TOTAL_NOT_SUM),
            Inconsistency::GroupAboveMax => (o.id.as_str(), ABOVE_MAX),
        };
        notes.insert((o.unit.as_str(), o.as_of, item), note);
    }
    // (period, as-of) → unit → rows
    let mut days: BTreeMap<(Period, NaiveDate), HashMap<&str, Vec<Row>>> = BTreeMap::new();
    for p in &rows {
        // read_published accepts only units of units.csv
        let Some(u) = units.index(&p.unit).and_then(|i| units.get(i)) else {
            continue;
        };
        let (kind, item) = match p.kind {
            Item::Total => (Kind::Total, "total".to_string()),
            Item::Group => (Kind::Group, p.id.clone()),
            Item::Indicator => (Kind::Indicator, p.id.clone()),
            Item::Rank => continue,
        };
        let max = p.max.or_else(|| match kind {
            Kind::Total => Some(100.0),
            Kind::Group => group_max(&item),
            Kind::Indicator => c.indicator(&item).and_then(|x| x.points),
        });
        let value = match kind {
            Kind::Group => max.filter(|m| *m > 0.0).map(|m| p.points / m * 100.0),
            _ => Some(p.points),
        };
        let count = |x: Option<usize>| x.and_then(|x| u32::try_from(x).ok());
        let note = notes
            .get(&(p.unit.as_str(), p.as_of, item.as_str()))
            .map(|n| n.to_string());
        days.entry((p.period, p.as_of))
            .or_default()
            .entry(p.unit.as_str())
            .or_default()
            .push(Row {
                unit: u.id.as_str().into(),
                name: u.name.as_str().into(),
                level: u.level.as_str().into(),
                parent: u.parent.as_deref().map(Into::into),
                fingerprint: fingerprint(&item, max).into(),
                item: item.into(),
                kind,
                value,
                numerator: None,
                denominator: None,
                max,
                earned: Some(p.points),
                status: None,
                rank: count(p.rank),
                rank_of: count(p.rank_of),
                change: None,
                rank_change: None,
                streak: 0,
                previous_status: None,
                reason: None,
                note,
            });
    }
    let group_order = |item: &str| {
        c.groups
            .iter()
            .position(|g| g.id == item)
            .unwrap_or(usize::MAX)
    };
    let mut out = Vec::new();
    for ((period, as_of), mut by_unit) in days {
        let mut rows = Vec::new();
        // in units.csv order; each unit's total, then its groups in catalogue order, then indicators
        for u in units.list() {
            let Some(mut unit_rows) = by_unit.remove(u.id.as_str()) else {
                continue;
            };
            unit_rows.sort_by_key(|r| (r.kind, group_order(&r.item), r.item.clone()));
            rows.extend(unit_rows);
        }
        out.push(Snapshot {
            key: Key {
                catalogue: c.id.clone(),
                period,
                cumulative: false,
                as_of,
                source: Source::CongBo,
            },
            chitieu: env!("CARGO_PKG_VERSION").to_string(),
            previous_as_of: None,
            rows,
        });
    }
    Ok(out)
}

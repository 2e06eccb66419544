//! The portal's published figures as snapshots (SPEC §10.1, §11): `published.csv` of a data
//! directory written by `chitieu import portal766` — one row per (unit, as-of date, item) with
//! the points the portal published — becomes one snapshot per (period, as-of date), labelled
//! `cong_bo` and kept apart from the snapshots chitieu computes. Figures are taken as published:
//! a total that is not the sum of its groups, or a group above its maximum, is kept and noted.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;

use super::snapshot::{Key, Kind, Row, Snapshot, Source};
use crate::data::number::{parse_date, parse_number};
use crate::data::table::{find_table, read_table, Table};
use crate::data::Period;
use crate::definition::Catalogue;
use crate::diagnostics::{Code, Diagnostic};

/// A published total that is not the sum of its published groups
/// ([`crate::score::reconcile::total_is_sum_of_groups`]).
pub const TOTAL_NOT_SUM: &str = "tong_lech_nhom";
/// A published figure above its maximum.
pub const ABOVE_MAX: &str = "vuot_toi_da";

/// The columns of published.csv (`chitieu import portal766` writes them in this order).
pub const COLUMNS: &[&str] = &[
    "unit", "period", "as_of", "kind", "id", "points", "max", "rank", "rank_of", "source",
];

/// Fingerprint of a published item: the portal's formula is not known, so a series breaks when
/// the published maximum of an item changes.
fn fingerprint(item: &str, max: Option<f64>) -> String {
    format!(
        "cong_bo:{item}:{}",
        max.map(|m| m.to_string()).unwrap_or_default()
    )
}

struct UnitInfo {
    name: String,
    level: String,
    parent: Option<String>,
}

/// Reads `units.csv` and `published.csv` of `dir`: the snapshots it holds, oldest first, or
/// every problem found (file, row, column).
pub fn snapshots(dir: &Path, c: &Catalogue) -> Result<Vec<Snapshot>, Vec<Diagnostic>> {
    let table = |name: &str| -> Result<Table, Vec<Diagnostic>> {
        match find_table(dir, name) {
            Ok(Some(path)) => read_table(&path).map_err(|d| vec![d]),
            Ok(None) => Err(vec![Diagnostic::new(
                Code::E306,
                dir.join(format!("{name}.csv")),
                crate::diagnostics::Place::File,
                format!("{} has no {name}.csv", dir.display()),
            )
            .help(
                "import the portal's responses first: chitieu import portal766 FILE ... --out DIR",
            )]),
            Err(d) => Err(vec![d]),
        }
    };
    let units = table("units")?;
    let published = table("published")?;
    let mut diags = units.require(&["id", "name", "parent", "level"]);
    diags.extend(published.require(&["unit", "period", "as_of", "kind", "id", "points"]));
    if !diags.is_empty() {
        return Err(diags);
    }
    let col = |t: &Table, n: &str| t.column(n);
    let mut order: Vec<String> = Vec::new();
    let mut info: HashMap<String, UnitInfo> = HashMap::new();
    for i in 0..units.rows.len() {
        if units.is_blank(i) {
            continue;
        }
        let id = units.cell(i, col(&units, "id")).to_string();
        let parent = units.cell(i, col(&units, "parent"));
        order.push(id.clone());
        info.insert(
            id,
            UnitInfo {
                name: units.cell(i, col(&units, "name")).to_string(),
                level: units.cell(i, col(&units, "level")).to_string(),
                parent: (!parent.is_empty()).then(|| parent.to_string()),
            },
        );
    }
    // (period, as_of) → unit → rows
    type Day = BTreeMap<(Period, NaiveDate), HashMap<String, Vec<Row>>>;
    let mut days: Day = BTreeMap::new();
    let p = &published;
    for i in 0..p.rows.len() {
        if p.is_blank(i) {
            continue;
        }
        let cell = |n: &str| p.cell(i, col(p, n));
        let mut bad = |column: &str, message: String, help: &str| {
            diags.push(p.at(Code::E307, i, column, message).help(help.to_string()));
        };
        let unit = cell("unit");
        let Some(u) = info.get(unit) else {
            diags.push(
                p.at(
                    Code::E300,
                    i,
                    "unit",
                    format!("unknown unit `{}`", crate::text::clip(unit, 60)),
                )
                .help("every unit of published.csv must be in units.csv (import both together)"),
            );
            continue;
        };
        let period = Period::parse(cell("period"));
        if period.is_none() {
            bad(
                "period",
                format!("`{}` is not a period", cell("period")),
                "write 2026, 2026-Q3 or 2026-08",
            );
        }
        let as_of = parse_date(cell("as_of"));
        if as_of.is_none() {
            bad(
                "as_of",
                format!("`{}` is not a date", cell("as_of")),
                "write the snapshot date as 2026-10-02",
            );
        }
        let kind = Kind::parse(cell("kind"));
        if kind.is_none() {
            bad(
                "kind",
                format!("`{}` is not a kind", cell("kind")),
                "write total, group or indicator",
            );
        }
        let number = |n: &str, bad: &mut dyn FnMut(&str, String, &str)| -> Option<f64> {
            let text = cell(n);
            if text.is_empty() {
                return None;
            }
            let v = parse_number(text).filter(|v| v.is_finite());
            if v.is_none() {
                bad(
                    n,
                    format!("`{}` is not a number", crate::text::clip(text, 40)),
                    "write a number such as 12.5",
                );
            }
            v
        };
        let points = number("points", &mut bad);
        let max = if col(p, "max").is_some() {
            number("max", &mut bad)
        } else {
            None
        };
        let rank = if col(p, "rank").is_some() {
            number("rank", &mut bad)
        } else {
            None
        };
        let rank_of = if col(p, "rank_of").is_some() {
            number("rank_of", &mut bad)
        } else {
            None
        };
        let (Some(period), Some(as_of), Some(kind)) = (period, as_of, kind) else {
            continue;
        };
        let item = match kind {
            Kind::Total => "total".to_string(),
            _ => cell("id").to_string(),
        };
        let max = max.or_else(|| match kind {
            Kind::Total => Some(100.0),
            Kind::Group => c
                .groups
                .iter()
                .find(|g| g.id == item)
                .and_then(|g| g.points),
            Kind::Indicator => c.indicator(&item).and_then(|x| x.points),
        });
        let value = match kind {
            Kind::Group => points
                .zip(max)
                .filter(|(_, m)| *m > 0.0)
                .map(|(e, m)| e / m * 100.0),
            _ => points,
        };
        let as_count = |x: Option<f64>| {
            x.filter(|x| *x >= 1.0 && x.fract() == 0.0)
                .map(|x| x as u32)
        };
        let row = Row {
            unit: unit.to_string(),
            name: u.name.clone(),
            level: u.level.clone(),
            parent: u.parent.clone(),
            fingerprint: fingerprint(&item, max),
            item,
            kind,
            value,
            numerator: None,
            denominator: None,
            max,
            earned: points,
            status: None,
            rank: as_count(rank),
            rank_of: as_count(rank_of),
            change: None,
            rank_change: None,
            streak: 0,
            previous_status: None,
            reason: None,
            note: None,
        };
        days.entry((period, as_of))
            .or_default()
            .entry(unit.to_string())
            .or_default()
            .push(row);
    }
    if !diags.is_empty() {
        return Err(diags);
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
        for unit in &order {
            let Some(mut unit_rows) = by_unit.remove(unit) else {
                continue;
            };
            unit_rows.sort_by_key(|r| (r.kind, group_order(&r.item), r.item.clone()));
            note(&mut unit_rows, c.groups.len());
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

/// Notes what is odd in one unit's published figures: the total against the sum of its groups,
/// and each figure against its maximum.
fn note(rows: &mut [Row], groups_in_total: usize) {
    let groups: Vec<f64> = rows
        .iter()
        .filter(|r| r.kind == Kind::Group)
        .filter_map(|r| r.earned)
        .collect();
    for r in rows.iter_mut() {
        let mut notes = Vec::new();
        // as the reconciliation: only a total whose every group is published
        if r.kind == Kind::Total && !groups.is_empty() && groups.len() >= groups_in_total {
            if let Some(total) = r.earned {
                if !crate::score::reconcile::total_is_sum_of_groups(total, &groups) {
                    notes.push(TOTAL_NOT_SUM);
                }
            }
        }
        if let (Some(e), Some(m)) = (r.earned, r.max) {
            if crate::score::reconcile::above_max(e, m) {
                notes.push(ABOVE_MAX);
            }
        }
        r.note = (!notes.is_empty()).then(|| notes.join(","));
    }
}

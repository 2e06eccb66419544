//! Evaluating a catalogue's `[[alert]]`s on a recorded snapshot (SPEC §10.3): each condition is
//! an SQL expression that polars evaluates over one row per watched (unit, item); each alert
//! that fires names the unit, the item, the figure before and after, and the items that
//! contributed most to the change.

use polars::prelude::*;
use rayon::prelude::*;

use super::change::{self, ItemChange};
use super::snapshot::{Kind, Row, Snapshot};
use crate::definition::alert::Alert;
use crate::definition::Catalogue;

/// How many contributing items an alert names.
pub const CONTRIBUTORS: usize = 3;

pub use crate::score::monitoring::{Contributor, Fired};

#[derive(Debug, thiserror::Error)]
#[error("alert \"{alert}\": {message}")]
pub struct AlertError {
    pub alert: String,
    pub message: String,
}

fn shown(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Evaluates every complete alert of `c` on `now` (with `previous`, the snapshot its changes
/// were measured against, for the figures before, and `since`, the changes since `--since` of
/// each row of `now`, by position). Fired alerts by severity (red first), then in the
/// catalogue's order of alerts (a fall since yesterday before a group's standing, as the shipped
/// catalogues order them), then unit order.
pub fn evaluate(
    c: &Catalogue,
    now: &Snapshot,
    previous: Option<&Snapshot>,
    since: Option<&[Option<ItemChange>]>,
) -> Result<Vec<Fired>, AlertError> {
    let before: Vec<Option<&Row>> = match previous {
        Some(p) => change::matched(now, p)
            .into_iter()
            .map(|j| j.map(|j| &p.rows[j]))
            .collect(),
        None => vec![None; now.rows.len()],
    };
    // each unit's rows (a unit's rows are together, its total first), its place among the
    // units, and each item's name and group, looked up once for every alert that fires
    let mut units: PlHashMap<&str, (usize, std::ops::Range<usize>)> = PlHashMap::default();
    for (i, r) in now.rows.iter().enumerate() {
        let count = units.len();
        units
            .entry(&*r.unit)
            .and_modify(|(_, rows)| rows.end = i + 1)
            .or_insert((count, i..i + 1));
    }
    let mut by_item: PlHashMap<&str, Vec<usize>> = PlHashMap::default();
    for (i, r) in now.rows.iter().enumerate() {
        by_item.entry(&*r.item).or_default().push(i);
    }
    let group_of: PlHashMap<&str, &str> = c
        .indicators
        .iter()
        .filter_map(|i| Some((i.id.as_str(), i.group.as_deref()?)))
        .collect();
    let names: PlHashMap<&str, &str> = c
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.name.as_str()))
        .chain(
            c.indicators
                .iter()
                .map(|i| (i.id.as_str(), i.name.as_str())),
        )
        .collect();
    let name_of = |item: &str| -> String {
        match item {
            "total" => item.to_string(),
            _ => names.get(item).copied().unwrap_or(item).to_string(),
        }
    };
    let under = Under {
        now,
        before: &before,
        units: &units,
        group_of: &group_of,
        name_of: &name_of,
    };
    let mut fired = Vec::new();
    for (a_index, alert) in c.alerts.iter().enumerate().filter(|(_, a)| a.complete) {
        let mut watched: Vec<usize> = alert
            .on
            .iter()
            .flat_map(|o| by_item.get(o.get_ref().as_str()).into_iter().flatten())
            .copied()
            .filter(|&i| alert.applies_to_level(&now.rows[i].level))
            .collect();
        watched.sort_unstable();
        watched.dedup();
        // the fired alerts made on both cores: a national run fires tens of thousands
        let made: Vec<_> = matching(alert, now, &watched, since)?
            .into_par_iter()
            .map(|i| {
                let row = &now.rows[i];
                (
                    alert.severity,
                    units
                        .get(&*row.unit)
                        .map_or(usize::MAX, |(place, _)| *place),
                    a_index,
                    Fired {
                        alert: alert.id.clone(),
                        name: alert.name.clone(),
                        severity: alert.severity,
                        unit: row.unit.to_string(),
                        unit_name: row.name.to_string(),
                        level: row.level.to_string(),
                        item: row.item.to_string(),
                        item_name: name_of(&row.item),
                        before: before[i].and_then(Row::measure).map(shown),
                        after: row.measure().map(shown),
                        change: row.change,
                        rank: row.rank,
                        rank_change: row.rank_change,
                        streak: row.streak,
                        share: row.share().map(shown),
                        contributors: under.contributors(i),
                    },
                )
            })
            .collect();
        fired.extend(made);
    }
    fired.sort_by_key(|(severity, unit, alert, _)| (*severity, *alert, *unit));
    Ok(fired.into_iter().map(|(_, _, _, f)| f).collect())
}

/// The rows of `now` at `watched` on which `alert.when` is true (null is not true).
fn matching(
    alert: &Alert,
    now: &Snapshot,
    watched: &[usize],
    since: Option<&[Option<ItemChange>]>,
) -> Result<Vec<usize>, AlertError> {
    if watched.is_empty() {
        return Ok(Vec::new());
    }
    let err = |e: PolarsError| AlertError {
        alert: alert.id.clone(),
        message: e.to_string().lines().next().unwrap_or("").to_string(),
    };
    let expr = polars::sql::sql_expr(alert.when.get_ref()).map_err(err)?;
    let rows = || watched.iter().map(|&i| &now.rows[i]);
    let since_of = |i: usize| {
        since
            .and_then(|s| s.get(i))
            .and_then(|c| c.as_ref())
            .and_then(|c| c.change)
    };
    let df = DataFrame::new(
        watched.len(),
        vec![
            Column::new(
                "__row".into(),
                watched.iter().map(|&i| i as u32).collect::<Vec<_>>(),
            ),
            Column::new(
                "change".into(),
                rows().map(|r| r.change).collect::<Vec<_>>(),
            ),
            Column::new(
                "change_since".into(),
                watched.iter().map(|&i| since_of(i)).collect::<Vec<_>>(),
            ),
            Column::new(
                "rank_change".into(),
                rows().map(|r| r.rank_change).collect::<Vec<_>>(),
            ),
            Column::new(
                "streak".into(),
                rows().map(|r| r.streak as i64).collect::<Vec<_>>(),
            ),
            Column::new("share".into(), rows().map(Row::share).collect::<Vec<_>>()),
            Column::new("value".into(), rows().map(|r| r.value).collect::<Vec<_>>()),
            Column::new(
                "earned".into(),
                rows().map(|r| r.earned).collect::<Vec<_>>(),
            ),
            Column::new(
                "rank".into(),
                rows().map(|r| r.rank.map(i64::from)).collect::<Vec<_>>(),
            ),
            Column::new(
                "status".into(),
                rows().map(|r| r.status.as_deref()).collect::<Vec<_>>(),
            ),
            Column::new(
                "previous_status".into(),
                rows()
                    .map(|r| r.previous_status.as_deref())
                    .collect::<Vec<_>>(),
            ),
        ],
    )
    .map_err(err)?;
    let out = crate::guard::catch(|| df.lazy().filter(expr).select([col("__row")]).collect())
        .map_err(|crate::guard::Panicked { message }| AlertError {
            alert: alert.id.clone(),
            message,
        })?
        .map_err(err)?;
    let rows = out
        .column("__row")
        .and_then(|c| c.u32().cloned())
        .map_err(err)?;
    Ok(rows.iter().flatten().map(|i| i as usize).collect())
}

/// What [`Under::contributors`] looks up: the snapshot, the row before each of its rows, each
/// unit's place and rows, each indicator's group, each item's name.
struct Under<'a> {
    now: &'a Snapshot,
    before: &'a [Option<&'a Row>],
    units: &'a PlHashMap<&'a str, (usize, std::ops::Range<usize>)>,
    group_of: &'a PlHashMap<&'a str, &'a str>,
    name_of: &'a (dyn Fn(&str) -> String + Sync),
}

impl Under<'_> {
    /// The items under row `at` that moved most: for a total its groups, for a group its
    /// indicators; the largest fall first (the largest rise first when the item rose), at most
    /// [`CONTRIBUTORS`], none that did not move.
    fn contributors(&self, at: usize) -> Vec<Contributor> {
        let row = &self.now.rows[at];
        let under = |r: &Row| match row.kind {
            Kind::Total => r.kind == Kind::Group && r.unit == row.unit,
            Kind::Group => {
                r.kind == Kind::Indicator
                    && r.unit == row.unit
                    && self.group_of.get(&*r.item) == Some(&&*row.item)
            }
            Kind::Indicator => false,
        };
        let rising = row.change.is_some_and(|x| x > 0.0);
        let rows = self.units.get(&*row.unit).map_or(0..0, |(_, r)| r.clone());
        let mut out: Vec<Contributor> = rows
            .filter(|&j| under(&self.now.rows[j]))
            .filter_map(|j| {
                let r = &self.now.rows[j];
                let change = r.change.filter(|x| *x != 0.0)?;
                let prev = self.before[j];
                let diff = |a: Option<f64>, b: Option<f64>| Some(a? - b?).filter(|d| *d != 0.0);
                Some(Contributor {
                    item: r.item.to_string(),
                    name: (self.name_of)(&r.item),
                    before: prev.and_then(Row::measure).map(shown),
                    after: r.measure().map(shown),
                    change,
                    numerator_change: diff(r.numerator, prev.and_then(|p| p.numerator)),
                    denominator_change: diff(r.denominator, prev.and_then(|p| p.denominator)),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            if rising {
                b.change.total_cmp(&a.change)
            } else {
                a.change.total_cmp(&b.change)
            }
        });
        out.truncate(CONTRIBUTORS);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::load::load_from_strings;
    use crate::history::snapshot::{Key, Source};

    const CATALOGUE: &str =
        "id = \"t\"\ntitle = \"T\"\n[[group]]\nid = \"a\"\nname = \"Nhóm A\"\npoints = 20\n";
    const INDICATORS: &str = "[[indicator]]\nid = \"x\"\nname = \"Chỉ tiêu X\"\ngroup = \"a\"\nunit = \"%\"\ndirection = \"higher\"\npoints = 20\n[indicator.targets]\n2026 = \">= 80\"\n";

    fn row(kind: Kind, item: &str, earned: f64, max: f64) -> Row {
        Row {
            unit: "xa-a".into(),
            name: "Xã A".into(),
            level: "xa".into(),
            parent: Some("tinh".into()),
            item: item.into(),
            kind,
            value: Some(earned),
            numerator: None,
            denominator: None,
            max: Some(max),
            earned: Some(earned),
            status: None,
            rank: None,
            rank_of: None,
            fingerprint: "f".into(),
            change: None,
            rank_change: None,
            streak: 0,
            previous_status: None,
            reason: None,
            note: None,
        }
    }

    fn snapshot(rows: Vec<Row>) -> Snapshot {
        Snapshot {
            key: Key {
                catalogue: "t".into(),
                period: crate::data::Period::Year(2026),
                cumulative: false,
                as_of: chrono::NaiveDate::from_ymd_opt(2026, 10, 2).unwrap_or_default(),
                source: Source::Chitieu,
            },
            chitieu: "test".into(),
            previous_as_of: None,
            rows,
        }
    }

    /// Each row: an alert (on, when), the watched row as set by hand, and whether it fires.
    #[test]
    fn alerts_fire_as_worked_out_by_hand() {
        type Case = (&'static str, &'static str, fn(&mut Row), bool);
        #[rustfmt::skip]
        let cases: &[Case] = &[
            // a fall of 0,62 points since yesterday, against "≥ 0,5"
            ("total", "change <= -0.5", |r| r.change = Some(-0.62), true),
            // exactly 0,5: fires (<=)
            ("total", "change <= -0.5", |r| r.change = Some(-0.5), true),
            ("total", "change <= -0.5", |r| r.change = Some(-0.49), false),
            // no previous snapshot: null is never true
            ("total", "change <= -0.5", |_| {}, false),
            // a group at 9,5 of 20 points = 47,5 %: red below 50 %, not the 50–70 % yellow
            ("a", "share < 50", |r| r.earned = Some(9.5), true),
            ("a", "share >= 50 AND share < 70", |r| r.earned = Some(9.5), false),
            // 13 of 20 = 65 %: yellow
            ("a", "share >= 50 AND share < 70", |r| r.earned = Some(13.0), true),
            // three falls in a row
            ("total", "streak >= 3", |r| r.streak = 3, true),
            ("total", "streak >= 3", |r| r.streak = 2, false),
            // 5 places lost (rank 3 → 8)
            ("total", "rank_change <= -3", |r| r.rank_change = Some(-5), true),
            ("total", "rank_change <= -3", |r| r.rank_change = Some(2), false),
            // an indicator that went from dat to chua_dat
            ("x", "previous_status = 'dat' AND status = 'chua_dat'", |r| { r.status = Some("chua_dat".into()); r.previous_status = Some("dat".into()) }, true),
            ("x", "previous_status = 'dat' AND status = 'chua_dat'", |r| { r.status = Some("chua_dat".into()); r.previous_status = Some("chua_dat".into()) }, false),
            // an alert on another item does not fire on this one
            ("a", "change <= -0.5", |r| r.change = Some(-3.0), false),
        ];
        for (on, when, set, fires) in cases {
            let alert = format!("[[alert]]\nid = \"c\"\nname = \"C\"\non = \"{on}\"\nwhen = \"{when}\"\nseverity = \"do\"\n");
            let loaded = load_from_strings(&[
                ("catalogue.toml", CATALOGUE),
                ("i.toml", INDICATORS),
                ("a.toml", &alert),
            ]);
            assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
            let mut rows = vec![
                row(Kind::Total, "total", 70.0, 100.0),
                row(Kind::Group, "a", 14.0, 20.0),
                row(Kind::Indicator, "x", 14.0, 20.0),
            ];
            // the case's item is set; "a" with change <= -0.5 sets the total's change instead
            let target = if *on == "a" && when.starts_with("change") {
                "total"
            } else {
                on
            };
            if let Some(r) = rows.iter_mut().find(|r| &*r.item == target) {
                set(r);
            }
            let fired = evaluate(&loaded.catalogue, &snapshot(rows), None, None)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(!fired.is_empty(), *fires, "on {on}: {when}");
        }
    }

    #[test]
    fn a_fired_alert_names_the_groups_that_fell_most() {
        let alert = "[[alert]]\nid = \"c\"\nname = \"C\"\non = \"total\"\nwhen = \"change <= -0.5\"\nseverity = \"do\"\n";
        let loaded = load_from_strings(&[
            ("catalogue.toml", CATALOGUE),
            ("i.toml", INDICATORS),
            ("a.toml", alert),
        ]);
        let mut total = row(Kind::Total, "total", 70.0, 100.0);
        total.change = Some(-0.62);
        let mut group = row(Kind::Group, "a", 14.0, 20.0);
        group.change = Some(-0.48);
        let mut before_total = row(Kind::Total, "total", 70.62, 100.0);
        before_total.change = None;
        let before_group = row(Kind::Group, "a", 14.48, 20.0);
        let fired = evaluate(
            &loaded.catalogue,
            &snapshot(vec![total, group]),
            Some(&snapshot(vec![before_total, before_group])),
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fired.len(), 1);
        let f = &fired[0];
        assert_eq!(
            (f.before, f.after, f.change),
            (Some(70.62), Some(70.0), Some(-0.62))
        );
        assert_eq!(f.contributors.len(), 1);
        assert_eq!(
            (f.contributors[0].name.as_str(), f.contributors[0].change),
            ("Nhóm A", -0.48)
        );
        assert_eq!(f.contributors[0].before, Some(14.48));
    }
}

//! The value of every (indicator, unit) for a period (SPEC §4.1, §5.2): a unit's own reported
//! row (or the latest row inside the period, recorded as `period_used`), else the rollup of its
//! children; computed indicators from the partials of the fused scan (monthly, or at the grain
//! of the scored period), summed over the period and up the unit hierarchy — or, when no partials
//! cover a computed indicator, from reported.csv like a reported one. A denominator of 0 gives
//! no value, never NaN or infinity.

use std::collections::{BTreeSet, HashMap};

use polars::prelude::PlHashMap;

use crate::data::{Data, Period, ReportedRow};
use crate::definition::{Catalogue, Indicator, Measure, Rollup, UnitKind};
use crate::project::Lang;

use super::fused::Partials;

/// The value of one (indicator, unit) in one period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Value {
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// The period of the row used when it is not the requested one.
    pub period_used: Option<Period>,
    /// Why there is no value although there are figures (a denominator of 0).
    pub reason: Option<Reason>,
    /// The value is the share (0–100) of children meeting a boolean indicator.
    pub share: bool,
}

/// The periods (months, or the buckets of a coarser scan) of one (indicator, unit) with
/// [numerator, denominator, value] sums, sorted.
type PeriodSums = Vec<(Period, [Option<f64>; 3])>;

/// Why an (indicator, unit) has no value, or no score, although it has figures or a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// "mẫu số bằng 0": the denominator is 0 (SPEC §5.2).
    ZeroDenominator,
    /// "không xác định được giá trị gốc": a `reduce` / `increase` target without a baseline
    /// value (SPEC §4.3).
    NoBaseline,
    /// "không áp dụng cho cấp của đơn vị": the indicator names `levels` and the unit's level is
    /// not one of them (SPEC §6.1); shown, never scored.
    NotForLevel,
}

impl Reason {
    /// As a person reads it (the JSON keeps the Vietnamese text of [`Reason::as_str`]).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Reason::ZeroDenominator => lang.pick(self.as_str(), "denominator is 0"),
            Reason::NoBaseline => lang.pick(self.as_str(), "baseline value unknown"),
            Reason::NotForLevel => lang.pick(self.as_str(), "not for this unit's level"),
        }
    }

    pub const ALL: [Reason; 3] = [
        Reason::ZeroDenominator,
        Reason::NoBaseline,
        Reason::NotForLevel,
    ];

    /// The text of the JSON's `reason` (Vietnamese: the scorecard's stable interface).
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ZeroDenominator => "mẫu số bằng 0",
            Reason::NoBaseline => "không xác định được giá trị gốc",
            Reason::NotForLevel => "không áp dụng cho cấp của đơn vị",
        }
    }
}

impl serde::Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Everything needed to compute values for any period: reported rows indexed by
/// (indicator, unit) and computed partials by (indicator, unit, period), already summed up the
/// unit hierarchy.
pub struct Values<'a> {
    catalogue: &'a Catalogue,
    data: &'a Data,
    reported: PlHashMap<(usize, usize), Vec<&'a ReportedRow>>,
    /// The computed slot of each indicator (catalogue order), `None` for reported ones.
    slot_of: Vec<Option<usize>>,
    /// `computed[slot * units + unit]`: the periods of that (indicator, unit) with sums over the
    /// unit's subtree. Dense in (indicator, unit), sparse in periods.
    computed: Vec<PeriodSums>,
    cumulative: bool,
}

impl<'a> Values<'a> {
    /// Indexes reported rows and rolls the partials of every dataset up the hierarchy. Partials
    /// of unit ids that units.csv lacks are skipped (the caller reports them as E300). Computed
    /// values are asked for periods made of whole periods of the partials' grain (a yearly scan
    /// answers for years, not for months).
    pub fn new(
        catalogue: &'a Catalogue,
        data: &'a Data,
        partials: &[Partials],
        cumulative: bool,
    ) -> Values<'a> {
        let mut reported: PlHashMap<(usize, usize), Vec<&ReportedRow>> = PlHashMap::default();
        for row in &data.reported {
            reported
                .entry((row.indicator, row.unit))
                .or_default()
                .push(row);
        }
        for rows in reported.values_mut() {
            rows.sort_by_key(|r| r.period);
        }
        let units = data.units.list().len();
        // A computed indicator that no partials cover (its dataset has no file in the data
        // directory and no --partials were given) is read from reported.csv like a reported one:
        // the counts a scoreboard publishes are the sums the records would give.
        let scanned: BTreeSet<usize> = partials
            .iter()
            .flat_map(|p| p.indicators.iter().copied())
            .collect();
        let mut slot_of = vec![None; catalogue.indicators.len()];
        let mut slots = 0;
        for (k, indicator) in catalogue.indicators.iter().enumerate() {
            if matches!(indicator.measure, Measure::Computed(_)) && scanned.contains(&k) {
                slot_of[k] = Some(slots);
                slots += 1;
            }
        }
        let mut index: HashMap<&str, Option<usize>> = HashMap::new();
        // each unit's rows, so that its sums are allocated once at their size (grown by
        // doubling, 29,000 (indicator, unit) vectors left twice their room's worth of freed
        // memory at national scale)
        let mut rows = vec![0usize; units];
        for p in partials {
            for unit in &p.units {
                let found = *index
                    .entry(unit.as_str())
                    .or_insert_with(|| data.units.index(unit));
                if let Some(u) = found {
                    rows[u] += 1;
                }
            }
        }
        let mut computed: Vec<PeriodSums> = (0..slots * units)
            .map(|i| Vec::with_capacity(rows[i % units]))
            .collect();
        for p in partials {
            let width = p.indicators.len();
            for (row, unit) in p.units.iter().enumerate() {
                let Some(u) = *index
                    .entry(unit.as_str())
                    .or_insert_with(|| data.units.index(unit))
                else {
                    continue;
                };
                let period = p.periods[row];
                for (column, &k) in p.indicators.iter().enumerate() {
                    let parts = p.parts[row * width + column];
                    let Some(slot) = slot_of[k] else {
                        continue;
                    };
                    if parts.iter().all(Option::is_none) {
                        continue;
                    }
                    computed[slot * units + u].push((period, parts));
                }
            }
        }
        // each unit's own sums, sorted; then each unit's subtree sums added into its parent's:
        // children before parents, so that the work grows with the units, not with the depth
        // of the hierarchy
        computed.iter_mut().for_each(merge_periods);
        for u in data.units.bottom_up() {
            let Some(parent) = data.units.parent(u) else {
                continue;
            };
            for slot in 0..slots {
                let child = std::mem::take(&mut computed[slot * units + u]);
                add_periods(&mut computed[slot * units + parent], &child);
                computed[slot * units + u] = child;
            }
        }
        Values {
            catalogue,
            data,
            reported,
            slot_of,
            computed,
            cumulative,
        }
    }

    /// Values of indicator `k` for every unit (units.csv order) in `period`.
    pub fn indicator_at(&self, k: usize, period: Period) -> Vec<Value> {
        if self.slot_of[k].is_some() {
            // a computed indicator: its series of one period
            return self.series_at(k, &[period]).pop().unwrap_or_default();
        }
        let indicator = &self.catalogue.indicators[k];
        let n = self.data.units.list().len();
        let mut out = vec![Value::default(); n];
        for u in self.data.units.bottom_up() {
            let own = self.reported_value(indicator, k, u, period);
            out[u] = match own {
                Some(v) => v,
                None => {
                    let children: Vec<&Value> = self
                        .data
                        .units
                        .children(u)
                        .iter()
                        .map(|&c| &out[c])
                        .collect();
                    rollup(indicator, &children)
                }
            };
        }
        out
    }

    /// The periods (of any granularity) up to and including `until` at which indicator `k` has
    /// figures: reported rows' periods, or for computed indicators every period of `until`'s
    /// granularity from the first month with records.
    pub fn periods_of(&self, k: usize, until: Period) -> Vec<Period> {
        let mut set = BTreeSet::new();
        if let Some(slot) = self.slot_of[k] {
            let units = self.data.units.list().len();
            // a top unit's sums hold the periods of its whole subtree: the tops' hold them all
            let tops = (0..units).filter(|&u| self.data.units.parent(u).is_none());
            for sums in tops.map(|u| &self.computed[slot * units + u]) {
                for (bucket, _) in sums {
                    let p = until.of_date(bucket.start());
                    if p <= until {
                        set.insert(p);
                    }
                }
            }
        } else {
            // the rows in file order (every one of them is indexed by `reported`)
            set.extend(
                self.data
                    .reported
                    .iter()
                    .filter(|r| r.indicator == k)
                    .map(|r| r.period)
                    .filter(|p| p.end() <= until.end()),
            );
        }
        set.into_iter().collect()
    }

    fn reported_value(
        &self,
        indicator: &Indicator,
        k: usize,
        u: usize,
        period: Period,
    ) -> Option<Value> {
        let rows = self.reported.get(&(k, u))?;
        if self.cumulative {
            return cumulative_reported(indicator, rows, period);
        }
        if let Some(row) = rows.iter().find(|r| r.period == period) {
            return Some(row_value(row, None));
        }
        rows.iter()
            .rev()
            .find(|r| period.contains(r.period))
            .map(|row| row_value(row, Some(row.period)))
    }

    /// [`Values::indicator_at`] at each of `periods` (ascending, of one granularity), a computed
    /// indicator's sums read once per unit: a period's sums are those of its months (from
    /// January with `cumulative`), and a cumulative series adds each month to the running sum
    /// of the year's earlier ones instead of adding the months from January again at every
    /// period.
    pub fn series_at(&self, k: usize, periods: &[Period]) -> Vec<Vec<Value>> {
        let Some(slot) = self.slot_of[k] else {
            return periods.iter().map(|&p| self.indicator_at(k, p)).collect();
        };
        let indicator = &self.catalogue.indicators[k];
        let n = self.data.units.list().len();
        let mut out = vec![vec![Value::default(); n]; periods.len()];
        for (u, sums) in self.computed[slot * n..(slot + 1) * n].iter().enumerate() {
            // the running sum, the year it is of and the first of its unit's entries not in it
            let mut total = [None; 3];
            let mut year = None;
            let mut next = 0;
            for (i, &period) in periods.iter().enumerate() {
                if !self.cumulative || year != Some(period.year()) {
                    let from = if self.cumulative {
                        Period::Year(period.year()).start()
                    } else {
                        period.start()
                    };
                    let first = Period::Month(from.year_ce().1 as i32, from.month0() + 1);
                    total = [None; 3];
                    year = Some(period.year());
                    next = sums.partition_point(|(bucket, _)| *bucket < first);
                }
                let last = period.last_month();
                while let Some((bucket, parts)) = sums.get(next) {
                    if bucket.last_month() > last {
                        break;
                    }
                    add_parts(&mut total, parts);
                    next += 1;
                }
                out[i][u] = sums_value(indicator, total);
            }
        }
        out
    }
}

/// The value of a computed indicator's summed [numerator, denominator, value].
fn sums_value(indicator: &Indicator, total: [Option<f64>; 3]) -> Value {
    let [numerator, denominator, value] = total;
    match (numerator, denominator) {
        (Some(n), Some(d)) => ratio_value(indicator, n, d),
        _ => Value {
            value,
            ..Value::default()
        },
    }
}

use chrono::Datelike;

/// Sorts the periods of one (indicator, unit) and sums the entries of the same period (one per
/// dataset or partial file).
fn merge_periods(sums: &mut PeriodSums) {
    sums.sort_by_key(|(period, _)| *period);
    // `later` is removed once added into the `kept` entry of the same period
    sums.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            add_parts(&mut kept.1, &later.1);
        }
        same
    });
    // kept for the whole run: no room beyond its periods
    sums.shrink_to_fit();
}

/// Adds `sums` into `into`, both sorted by period: the sums of a period both have added, the
/// others kept in order. In place when `into` already has every period of `sums` (a parent
/// whose units report the same months).
fn add_periods(into: &mut PeriodSums, sums: &PeriodSums) {
    let mut only_in_sums = Vec::new();
    let mut i = 0;
    for (period, parts) in sums {
        while i < into.len() && into[i].0 < *period {
            i += 1;
        }
        match into.get_mut(i) {
            Some((p, total)) if p == period => add_parts(total, parts),
            _ => only_in_sums.push((*period, *parts)),
        }
    }
    if !only_in_sums.is_empty() {
        into.extend(only_in_sums);
        into.sort_by_key(|(period, _)| *period);
        into.shrink_to_fit();
    }
}

/// Adds `parts` into `into`, part by part; a part without a figure adds nothing.
pub(crate) fn add_parts(into: &mut [Option<f64>; 3], parts: &[Option<f64>; 3]) {
    for (slot, v) in into.iter_mut().zip(parts) {
        if let Some(v) = v {
            *slot = Some(slot.unwrap_or(0.0) + v);
        }
    }
}

/// A value from a numerator and a denominator: 100 × n / d for %, n / d otherwise; no value
/// when d is 0.
fn ratio_value(indicator: &Indicator, n: f64, d: f64) -> Value {
    let scale = if indicator.unit == UnitKind::Percent {
        100.0
    } else {
        1.0
    };
    if d == 0.0 {
        return Value {
            numerator: Some(n),
            denominator: Some(d),
            reason: Some(Reason::ZeroDenominator),
            ..Value::default()
        };
    }
    Value {
        value: Some(scale * n / d),
        numerator: Some(n),
        denominator: Some(d),
        ..Value::default()
    }
}

fn row_value(row: &ReportedRow, period_used: Option<Period>) -> Value {
    let reason =
        (row.value.is_none() && row.denominator == Some(0.0)).then_some(Reason::ZeroDenominator);
    Value {
        value: row.value,
        numerator: row.numerator,
        denominator: row.denominator,
        period_used,
        reason,
        share: false,
    }
}

/// `--cumulative` for reported rows: the rows of the finest granularity from the start of the
/// period's year to its end; ratio of sums when every row has a numerator and denominator, sum
/// for counts, otherwise the latest value (a stock).
fn cumulative_reported(
    indicator: &Indicator,
    rows: &[&ReportedRow],
    period: Period,
) -> Option<Value> {
    let year = Period::Year(period.year());
    let inside: Vec<&&ReportedRow> = rows
        .iter()
        .filter(|r| year.contains(r.period) && r.period.end() <= period.end())
        .collect();
    let finest: Vec<&&ReportedRow> = inside
        .iter()
        .copied()
        .filter(|r| {
            !inside
                .iter()
                .any(|o| o.period != r.period && r.period.contains(o.period))
        })
        .collect();
    let last = finest.last()?;
    if finest
        .iter()
        .all(|r| r.numerator.is_some() && r.denominator.is_some())
    {
        let n: f64 = finest.iter().filter_map(|r| r.numerator).sum();
        let d: f64 = finest.iter().filter_map(|r| r.denominator).sum();
        return Some(ratio_value(indicator, n, d));
    }
    if indicator.unit == UnitKind::Count {
        let sum: f64 = finest.iter().filter_map(|r| r.value).sum();
        return Some(Value {
            value: Some(sum),
            ..Value::default()
        });
    }
    Some(row_value(
        last,
        (last.period != period).then_some(last.period),
    ))
}

/// A parent's value from its children's values (SPEC §5.2).
pub fn rollup(indicator: &Indicator, children: &[&Value]) -> Value {
    let with_value: Vec<&Value> = children
        .iter()
        .copied()
        .filter(|v| v.value.is_some())
        .collect();
    let values: Vec<f64> = with_value.iter().filter_map(|v| v.value).collect();
    let rule = match indicator.rollup {
        Some(rule) => rule,
        None if indicator.unit == UnitKind::Percent => {
            let ratio_ready = children
                .iter()
                .filter(|v| v.value.is_some() || v.denominator.is_some())
                .all(|v| v.numerator.is_some() && v.denominator.is_some());
            if ratio_ready {
                Rollup::Ratio
            } else {
                Rollup::Mean
            }
        }
        None => indicator.unit.default_rollup(),
    };
    let of = |value: Option<f64>| Value {
        value,
        ..Value::default()
    };
    match rule {
        Rollup::Ratio => {
            let parts: Vec<(f64, f64)> = children
                .iter()
                .filter_map(|v| Some((v.numerator?, v.denominator?)))
                .collect();
            if parts.is_empty() {
                return Value::default();
            }
            let n = parts.iter().map(|p| p.0).sum();
            let d = parts.iter().map(|p| p.1).sum();
            ratio_value(indicator, n, d)
        }
        Rollup::Sum => of((!values.is_empty()).then(|| values.iter().sum())),
        Rollup::Mean => {
            of((!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64))
        }
        Rollup::Min => of(values.iter().copied().reduce(f64::min)),
        Rollup::Max => of(values.iter().copied().reduce(f64::max)),
        Rollup::Share => {
            if values.is_empty() {
                return Value::default();
            }
            // a child that is itself a share counts as met only at 100%
            let met = with_value
                .iter()
                .filter(|v| {
                    if v.share {
                        v.value == Some(100.0)
                    } else {
                        v.value == Some(1.0)
                    }
                })
                .count();
            Value {
                value: Some(100.0 * met as f64 / values.len() as f64),
                share: true,
                ..Value::default()
            }
        }
        Rollup::None => Value::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load_data;
    use crate::definition::load::load_from_strings;

    #[test]
    fn a_parents_sums_add_its_childrens_period_by_period() {
        let m = |month| Period::Month(2026, month);
        let parts = |n: f64, d: f64| [Some(n), Some(d), None];
        // the same months: added in place
        let mut parent = vec![(m(1), parts(1.0, 2.0)), (m(2), parts(3.0, 4.0))];
        add_periods(
            &mut parent,
            &vec![(m(1), parts(10.0, 20.0)), (m(2), parts(30.0, 40.0))],
        );
        assert_eq!(
            parent,
            vec![(m(1), parts(11.0, 22.0)), (m(2), parts(33.0, 44.0))]
        );
        // months only one has: kept in order; the months both have added
        let mut parent = vec![(m(2), parts(1.0, 1.0)), (m(5), parts(2.0, 2.0))];
        let child = vec![
            (m(1), parts(7.0, 7.0)),
            (m(2), parts(3.0, 3.0)),
            (m(4), parts(4.0, 5.0)),
            (m(6), [None, None, Some(9.0)]),
        ];
        add_periods(&mut parent, &child);
        assert_eq!(
            parent,
            vec![
                (m(1), parts(7.0, 7.0)),
                (m(2), parts(4.0, 4.0)),
                (m(4), parts(4.0, 5.0)),
                (m(5), parts(2.0, 2.0)),
                (m(6), [None, None, Some(9.0)]),
            ]
        );
        // a unit's own entries of one month (two datasets) are one
        let mut own = vec![
            (m(3), parts(1.0, 2.0)),
            (m(1), parts(5.0, 5.0)),
            (m(3), parts(1.0, 1.0)),
        ];
        merge_periods(&mut own);
        assert_eq!(own, vec![(m(1), parts(5.0, 5.0)), (m(3), parts(2.0, 3.0))]);
    }

    #[test]
    fn a_series_is_each_periods_value_and_a_cumulative_one_the_running_sum() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cat = crate::data::fixture::catalogue(tmp.path());
        let dir = crate::data::fixture::data_dir(
            tmp.path(),
            &[("units.csv", crate::data::fixture::UNITS)],
        );
        let data = load_data(&dir, &cat)
            .data
            .unwrap_or_else(|| panic!("no data"));
        let online = cat
            .indicators
            .iter()
            .position(|i| i.id == "online")
            .unwrap_or_else(|| panic!("no online"));
        let m = |month| Period::Month(2026, month);
        // xa-1: January 1/2, February 3/4, April 5/10 (none in March); so-a: February 1/1
        let partials = Partials {
            indicators: vec![online],
            units: ["xa-1", "xa-1", "xa-1", "so-a"].map(String::from).to_vec(),
            periods: vec![m(1), m(2), m(4), m(2)],
            parts: vec![
                [Some(1.0), Some(2.0), None],
                [Some(3.0), Some(4.0), None],
                [Some(5.0), Some(10.0), None],
                [Some(1.0), Some(1.0), None],
            ],
        };
        let months = [m(1), m(2), m(3), m(4)];
        for cumulative in [false, true] {
            let v = Values::new(&cat, &data, std::slice::from_ref(&partials), cumulative);
            let series = v.series_at(online, &months);
            for (i, &p) in months.iter().enumerate() {
                assert_eq!(series[i], v.indicator_at(online, p), "{p:?} {cumulative}");
            }
            // the province (units.csv's first) sums so-a and xa-1
            let at = |i: usize| (series[i][0].numerator, series[i][0].denominator);
            if cumulative {
                assert_eq!(at(1), (Some(5.0), Some(7.0)));
                assert_eq!(at(2), (Some(5.0), Some(7.0)));
                assert_eq!(at(3), (Some(10.0), Some(17.0)));
            } else {
                assert_eq!(at(1), (Some(4.0), Some(5.0)));
                assert_eq!(at(2), (None, None));
                assert_eq!(at(3), (Some(5.0), Some(10.0)));
            }
            assert_eq!(v.periods_of(online, m(4)), vec![m(1), m(2), m(4)]);
        }
    }

    #[test]
    fn a_computed_indicator_without_records_reads_reported_counts() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cat = crate::data::fixture::catalogue(tmp.path());
        let reported = "unit,period,indicator,numerator,denominator\n\
            xa-1,2026,online,333862,378458\n";
        let dir = crate::data::fixture::data_dir(
            tmp.path(),
            &[
                ("units.csv", crate::data::fixture::UNITS),
                ("reported.csv", reported),
            ],
        );
        let data = load_data(&dir, &cat)
            .data
            .unwrap_or_else(|| panic!("no data"));
        // no partials: the dataset has no file
        let values = Values::new(&cat, &data, &[], false);
        let online = cat
            .indicators
            .iter()
            .position(|i| i.id == "online")
            .unwrap_or(usize::MAX);
        let v = values.indicator_at(online, Period::Year(2026));
        let unit = |id: &str| data.units.index(id).unwrap_or(usize::MAX);
        assert_eq!(v[unit("xa-1")].numerator, Some(333862.0));
        assert_eq!(v[unit("xa-1")].value, Some(100.0 * 333862.0 / 378458.0));
        // rolled up like a reported ratio: the province has the commune's counts
        assert_eq!(v[unit("tinh")].denominator, Some(378458.0));
        assert_eq!(
            values.periods_of(online, Period::Year(2026)),
            [Period::Year(2026)]
        );
    }

    const CATALOGUE: &str = "id = \"t\"\ntitle = \"t\"\n";
    const INDICATORS: &str = r#"
[[indicator]]
id = "ratio"
name = "Tỷ lệ hồ sơ trực tuyến"
unit = "%"
direction = "higher"
[[indicator]]
id = "mean"
name = "Tỷ lệ hồ sơ trực tuyến (trung bình)"
unit = "%"
direction = "higher"
rollup = "mean"
[[indicator]]
id = "signed"
name = "Đã ký số"
unit = "boolean"
[[indicator]]
id = "accounts"
name = "Số tài khoản"
unit = "count"
direction = "higher"
"#;
    const UNITS: &str = "id,name,parent,level\ntinh,Tỉnh,,tinh\nxa-a,Xã A,tinh,xa\nxa-b,Xã B,tinh,xa\nxa-c,Xã C,tinh,xa\n";
    // xa-a: 90 of 100 online; xa-b: 10 of 900; the ratio of sums is 100/1000 = 10%, the mean of
    // percentages (90 + 1.11…)/2 = 45.56%
    const REPORTED: &str = "unit,period,indicator,value,numerator,denominator\n\
        xa-a,2026,ratio,,90,100\n\
        xa-b,2026,ratio,,10,900\n\
        xa-a,2026,mean,,90,100\n\
        xa-b,2026,mean,,10,900\n\
        xa-a,2026,signed,1,,\n\
        xa-b,2026,signed,0,,\n\
        xa-c,2026,signed,có,,\n\
        xa-a,2026-01,accounts,100,,\n\
        xa-a,2026-02,accounts,140,,\n\
        xa-a,2026-03,accounts,180,,\n";

    fn fixture(reported: &str) -> (crate::definition::Catalogue, crate::data::Data) {
        let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("units.csv"), UNITS).unwrap_or_default();
        std::fs::write(dir.path().join("reported.csv"), reported).unwrap_or_default();
        let load = load_data(dir.path(), &loaded.catalogue);
        assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
        let data = load.data.unwrap_or_else(|| panic!("no data"));
        (loaded.catalogue, data)
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn ratio_of_sums_and_mean_of_percentages_differ() {
        let (c, data) = fixture(REPORTED);
        let v = Values::new(&c, &data, &[], false);
        let ratio = v.indicator_at(0, Period::Year(2026));
        assert!(close(ratio[0].value, 10.0), "{:?}", ratio[0]);
        assert_eq!(
            (ratio[0].numerator, ratio[0].denominator),
            (Some(100.0), Some(1000.0))
        );
        let mean = v.indicator_at(1, Period::Year(2026));
        assert!(
            close(mean[0].value, (90.0 + 100.0 * 10.0 / 900.0) / 2.0),
            "{:?}",
            mean[0]
        );
    }

    #[test]
    fn share_of_a_boolean_and_period_used_for_a_stock() {
        let (c, data) = fixture(REPORTED);
        let v = Values::new(&c, &data, &[], false);
        // 2 of 3 communes signed ("1" and "có")
        let signed = v.indicator_at(2, Period::Year(2026));
        assert!(
            close(signed[0].value, 200.0 / 3.0) && signed[0].share,
            "{:?}",
            signed[0]
        );
        // a stock reported monthly, scored for the year: the latest month, recorded
        let accounts = v.indicator_at(3, Period::Year(2026));
        assert_eq!(accounts[1].value, Some(180.0));
        assert_eq!(accounts[1].period_used, Some(Period::Month(2026, 3)));
        // the province sums its communes (a count)
        assert_eq!(accounts[0].value, Some(180.0));
        // cumulative: monthly counts are added up from January
        let ytd = Values::new(&c, &data, &[], true).indicator_at(3, Period::Month(2026, 2));
        assert_eq!(ytd[1].value, Some(240.0));
    }

    #[test]
    fn a_zero_denominator_gives_no_value_and_a_reason() {
        let (c, data) =
            fixture("unit,period,indicator,value,numerator,denominator\nxa-a,2026,ratio,,0,0\n");
        let v = Values::new(&c, &data, &[], false).indicator_at(0, Period::Year(2026));
        assert_eq!(v[1].value, None);
        assert_eq!(v[1].reason, Some(Reason::ZeroDenominator));
        // the province rolls up 0 / 0: no value either, never NaN
        assert_eq!(v[0].value, None);
    }
}

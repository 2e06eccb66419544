//! The dense scan: the fused query's sums made without polars' hash group-by, when the
//! periods are months or quarters. polars reads the records and evaluates, in streamed batches
//! on every core, each record's unit as an index into units.csv (a polars Enum built from its
//! ids) and each measure's per-record term in its own type (the boolean of `SUM(CASE WHEN c
//! THEN 1 ELSE 0 END)`, the integer of `SUM(x)`, the filter's boolean for `COUNT(*)`); chitieu
//! looks up each record's period by its day ([`Calendar`], which also leaves out the days
//! outside the scan's window) and adds the terms of each batch into arrays indexed by (unit,
//! period), each of two threads adding the records of half the units into arrays of its own
//! (see [`Sums`]). An array index costs the same whatever order the records come in, where a
//! hash group-by over 49,000 (unit, month) keys slows down when every morsel holds many of
//! them (a file whose row groups mix months and units; docs/performance.md "Row order").
//!
//! The result is the table [`super::fused_query`] gives, row for row: a (unit, period) with
//! records is a row even when its sums are 0, and the rows are sorted by unit id and period.
//! The sums are exact, so that both give the same figures: the dense scan is taken only when
//! every term is a boolean or an integer, whose sums are exact in any order; a measure that is
//! not a plain sum (`SUM(x)`, `COUNT(*)`), or sums a column of fractions, leaves the dataset to
//! the group-by. So does a record whose unit units.csv lacks: the group-by's result is what
//! names those rows (E300).

use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::{date_window, distinct_parts, plain_sums, FusedError, MONTH_COLUMN, UNIT_COLUMN};
use crate::data::Grain;
use crate::definition::{Catalogue, Dataset};

/// Cells (unit × period) the arrays may hold: 4,114 units × 12 months is 49,368; a dataset
/// spread over more periods than this allows is left to the group-by.
const MAX_CELLS: usize = 4_000_000;

/// A distinct per-record term, as the arrays add it.
#[derive(Debug, Clone, PartialEq)]
enum Term {
    /// `COUNT(*)` without a filter: the records of the cell.
    Records,
    /// A boolean (true counts 1; false and null 0).
    Flag(Expr),
    /// An integer (null counts 0).
    Integer(Expr),
}

/// Where the arrays count a term: the records of the cell, or the n-th flag or integer.
#[derive(Debug, Clone, Copy)]
enum Counter {
    Records,
    Flag(usize),
    Integer(usize),
}

/// The terms of every part of `indicators`, distinct, and each output column's term; `None`
/// when a part is not a plain sum of booleans or integers.
struct Terms {
    terms: Vec<Term>,
    outputs: Vec<(String, usize)>,
}

/// The term of one part of a measure: the `x` of `SUM(x)` (its type read from `schema`), or
/// the records for `COUNT(*)`, with the measure's filter (`mask`): a refused record adds 0.
fn term(sql: &str, mask: Option<&Expr>, schema: &Schema) -> PolarsResult<Option<Term>> {
    let mut expr = plain_sums(polars::sql::sql_expr(sql)?);
    while let Expr::Alias(inner, _) = expr {
        expr = Arc::unwrap_or_clone(inner);
    }
    let mask = mask.map(|m| m.clone().fill_null(lit(false)));
    Ok(match expr {
        Expr::Len => Some(match mask {
            None => Term::Records,
            Some(mask) => Term::Flag(mask),
        }),
        Expr::Agg(AggExpr::Sum(inner)) => {
            let inner = Arc::unwrap_or_clone(inner);
            let dtype = inner.to_field(schema)?.dtype().clone();
            if dtype.is_bool() {
                let flag = inner.fill_null(lit(false));
                Some(Term::Flag(match mask {
                    None => flag,
                    Some(mask) => flag.and(mask),
                }))
            } else if dtype.is_integer() {
                let value = inner.cast(DataType::Int64).fill_null(lit(0i64));
                Some(Term::Integer(match mask {
                    None => value,
                    Some(mask) => when(mask).then(value).otherwise(lit(0i64)),
                }))
            } else {
                None
            }
        }
        _ => None,
    })
}

/// The terms of `indicators`' measures on records of `schema`; `None` when one is not for
/// the dense scan.
fn terms(
    c: &Catalogue,
    dataset: &Dataset,
    indicators: &[usize],
    schema: &Schema,
) -> Result<Option<Terms>, FusedError> {
    let made = distinct_parts(c, dataset, indicators, |sql, mask| term(sql, mask, schema))?;
    Ok(made
        .distinct
        .into_iter()
        .collect::<Option<Vec<Term>>>()
        .map(|terms| Terms {
            terms,
            outputs: made.outputs,
        }))
}

/// The period index of a day: months (or quarters) since January 1900, as
/// [`super::bucket_key`] computes it in the query.
fn bucket_of(day: NaiveDate, grain: Grain) -> u32 {
    let months = (day.year() - 1900) as u32 * 12 + day.month0();
    months / grain.months()
}

/// The period index of each day of the scan's window (`lo` to `hi`, days since 1970-01-01):
/// a record's period is a lookup by its day number, where the same integer arithmetic in the
/// query ([`super::bucket_key`]) took a dozen passes of polars over each batch's column.
struct Calendar {
    /// The first day of the window.
    first: i32,
    index: Vec<u16>,
    /// The period index ([`bucket_of`]) of the first day, and the periods of the window.
    first_bucket: u32,
    periods: usize,
}

impl Calendar {
    /// The calendar of the days `lo` to `hi` in periods of `grain`; `None` when the window
    /// holds more than `u16::MAX` periods (the date window, [`date_window`], holds 2,388
    /// months).
    fn new(lo: NaiveDate, hi: NaiveDate, grain: Grain) -> Option<Calendar> {
        let b0 = bucket_of(lo, grain);
        let periods = (bucket_of(hi, grain) - b0 + 1) as usize;
        let index = lo
            .iter_days()
            .take_while(|d| *d <= hi)
            .map(|d| u16::try_from(bucket_of(d, grain) - b0).ok())
            .collect::<Option<Vec<u16>>>()?;
        Some(Calendar {
            first: lo.to_epoch_days(),
            index,
            first_bucket: b0,
            periods,
        })
    }

    /// The period index of day `day` (days since 1970-01-01); `None` outside the window.
    fn period(&self, day: i32) -> Option<u32> {
        let at = day.wrapping_sub(self.first) as u32 as usize;
        self.index.get(at).map(|&p| u32::from(p))
    }
}

/// The sums of one thread, which adds the records of half the units (those whose index in
/// units.csv has the parity of the half): per cell (the unit's place in the half × periods +
/// period), its records and each flag's count side by side in one row of `counts` (a record's
/// counts are then one cache line, however the records are ordered), and each integer's sum
/// in `integers`. The counts are 1 byte: a cell whose records reach `u8::MAX` has its counts
/// added into the 8-byte `totals` and starts again from 0 (its flags count no more than its
/// records, so none overflows), and each thread holds half the cells: the month's 49,368 cells
/// of 9 counts are then 0.22 MB a thread, which stays in a core's cache (commonly 1 MB) beside
/// polars' own work, where 4-byte counts of every cell (1.8 MB) did not, and the shuffled
/// national file's scatter-add waited on memory.
#[derive(Default)]
struct Sums {
    /// Flags and integers a cell counts: a row of `counts` is `1 + nf` wide (records first),
    /// one of `integers` `ni`.
    nf: usize,
    ni: usize,
    counts: Vec<u8>,
    totals: Vec<u64>,
    integers: Vec<i64>,
    /// Records whose unit units.csv lacks.
    unknown: u64,
    /// A record whose cell lies outside the arrays (its unit index beyond units.csv's).
    outside: bool,
}

impl Sums {
    fn new(cells: usize, flags: usize, integers: usize) -> Sums {
        Sums {
            nf: flags,
            ni: integers,
            counts: vec![0; cells * (1 + flags)],
            totals: vec![0; cells * (1 + flags)],
            integers: vec![0; cells * integers],
            ..Sums::default()
        }
    }

    /// Adds the 1-byte counts of every cell into the totals and starts them again from 0.
    fn flush(&mut self) {
        for (total, count) in self.totals.iter_mut().zip(&mut self.counts) {
            *total += u64::from(std::mem::take(count));
        }
    }

    /// The counts of a cell: its records, then each flag's.
    fn width(&self) -> usize {
        1 + self.nf
    }

    /// The records of `cell` (once flushed).
    fn records(&self, cell: usize) -> u64 {
        self.totals[cell * self.width()]
    }

    /// The count of flag `k` in `cell` (once flushed).
    fn flag(&self, cell: usize, k: usize) -> u64 {
        self.totals[cell * self.width() + 1 + k]
    }
}

/// One batch's columns, as slices: the unit index of each record (`None` where it has none)
/// and its period index, and each flag's and integer's values.
struct Batch<'a> {
    units: &'a [u32],
    valid: Option<&'a polars_arrow::bitmap::Bitmap>,
    /// Each record's day (days since 1970-01-01), and which have one.
    days: &'a [i32],
    dated: Option<&'a polars_arrow::bitmap::Bitmap>,
    flags: Vec<polars_arrow::bitmap::Bitmap>,
    integers: Vec<&'a [i64]>,
}

impl Batch<'_> {
    /// Adds to `s` the records of the batch whose unit is one of half `half` (the units whose
    /// index has that parity) and whose day lies in `calendar`'s window.
    fn add_to(&self, s: &mut Sums, half: u32, calendar: &Calendar) {
        let (width, ni) = (s.width(), s.ni);
        let cells = s.counts.len() / width;
        let periods = calendar.periods;
        // the rows of the half, listed first without a branch: on shuffled rows a branch on
        // the unit's parity is mispredicted every other row, and each misprediction throws
        // away the cache misses the processor was already waiting on for the next rows' cells
        // with each one's cell (below `MAX_CELLS`: a u32; a row left out writes one unread)
        let mut rows = vec![(0u32, 0u32); self.units.len()];
        let mut n = 0;
        for (row, (&unit, &day)) in self.units.iter().zip(self.days).enumerate() {
            let period = calendar.period(day);
            let valid = self.valid.is_none_or(|v| v.get_bit(row))
                & self.dated.is_none_or(|v| v.get_bit(row))
                & period.is_some();
            let cell = (unit >> 1) as usize * periods + period.unwrap_or(0) as usize;
            rows[n] = (row as u32, cell as u32);
            n += usize::from((unit & 1 == half) & valid);
        }
        for &(row, cell) in &rows[..n] {
            let (row, cell) = (row as usize, cell as usize);
            if cell >= cells {
                s.outside = true;
                continue;
            }
            let at = cell * width..cell * width + width;
            let counts = &mut s.counts[at.clone()];
            for (count, bits) in counts[1..].iter_mut().zip(&self.flags) {
                *count += u8::from(bits.get_bit(row));
            }
            // no 1-byte count overflows: a cell's flags count no more than its records, which
            // are added into the totals when they reach u8::MAX
            counts[0] += 1;
            if counts[0] == u8::MAX {
                for (total, count) in s.totals[at].iter_mut().zip(counts) {
                    *total += u64::from(std::mem::take(count));
                }
            }
            let integers = &mut s.integers[cell * ni..cell * ni + ni];
            for (sum, values) in integers.iter_mut().zip(&self.integers) {
                *sum += values[row];
            }
        }
    }
}

/// The partial table of a dataset's records by the dense scan; `Ok(None)` when the dataset is
/// one for the group-by (see the module documentation). The records are read in `parts` (the
/// file's chunks of row groups, one query each: polars maps the file into memory, and the pages
/// a query has read count in the process' memory until it ends); `bounds` are the first and
/// last dates of the records; a failed read is the error `scan_err` makes of polars'.
#[allow(clippy::too_many_arguments)]
pub(super) fn table(
    c: &Catalogue,
    dataset: &Dataset,
    parts: &[LazyFrame],
    indicators: &[usize],
    until: NaiveDate,
    grain: Grain,
    units: &[&str],
    bounds: (NaiveDate, NaiveDate),
    scan_err: impl Fn(PolarsError) -> FusedError + Copy,
) -> Result<Option<DataFrame>, FusedError> {
    // a year's index is counted from 1901 in the query: only months and quarters here
    if !matches!(grain, Grain::Month | Grain::Quarter) || units.is_empty() {
        return Ok(None);
    }
    let Some(source) = parts.first() else {
        return Ok(None);
    };
    let schema = source.clone().collect_schema().map_err(scan_err)?;
    let Some(terms) = terms(c, dataset, indicators, &schema)? else {
        return Ok(None);
    };
    let (first, last) = date_window();
    let (lo, hi) = (bounds.0.max(first), bounds.1.min(until).min(last));
    if lo > hi {
        return Ok(None);
    }
    let Some(calendar) = Calendar::new(lo, hi, grain) else {
        return Ok(None);
    };
    let (b0, periods) = (calendar.first_bucket, calendar.periods);
    let cells = units.len().saturating_mul(periods);
    if cells > MAX_CELLS {
        return Ok(None);
    }
    let enum_type = DataType::from_frozen_categories(
        FrozenCategories::new(units.iter().copied()).map_err(scan_err)?,
    );
    let unit = col(dataset.unit.as_str()).cast(DataType::String);
    let index = unit
        .clone()
        .cast(enum_type)
        .to_physical()
        .cast(DataType::UInt32);
    let date = col(dataset.date.as_str()).cast(DataType::Date);
    // each record's unit index (null for a record without a unit — left out, as the group-by
    // leaves out its null unit — or with an unknown one) and day, whose period the adding
    // threads look up ([`Calendar`])
    let unknown = unit.is_not_null().and(index.clone().is_null());
    let mut select = vec![
        index.alias("__unit"),
        unknown.alias("__unknown"),
        date.cast(DataType::Int32).alias("__day"),
    ];
    // each term's counter: the flags and the integers numbered apart, as the arrays hold them
    let (mut nf, mut ni) = (0, 0);
    let mut counters = Vec::with_capacity(terms.terms.len());
    for term in &terms.terms {
        counters.push(match term {
            Term::Records => Counter::Records,
            Term::Flag(e) => {
                select.push(e.clone().alias(format!("__f{nf}")));
                nf += 1;
                Counter::Flag(nf - 1)
            }
            Term::Integer(e) => {
                select.push(e.clone().alias(format!("__i{ni}")));
                ni += 1;
                Counter::Integer(ni - 1)
            }
        });
    }
    // half the units each: units 0, 2, 4… and 1, 3, 5…
    let half_cells = units.len().div_ceil(2) * periods;
    let halves = Arc::new(Mutex::new([
        Sums::new(half_cells, nf, ni),
        Sums::new(half_cells, nf, ni),
    ]));
    let calendar = Arc::new(calendar);
    for part in parts {
        let into = Arc::clone(&halves);
        let calendar = Arc::clone(&calendar);
        let add = PlanCallback::new(move |batch: DataFrame| -> PolarsResult<bool> {
            // a poisoned lock is a batch that failed half-way: the query fails with it
            let mut halves = into
                .lock()
                .map_err(|_| polars_err!(ComputeError: "the dense scan stopped unexpectedly"))?;
            add_batch(&mut halves, batch, &calendar)?;
            // false: go on with the next batch
            Ok(false)
        });
        // no filter on the dates: the adding threads leave out the days outside the window
        // (polars' filter copied every column of every batch)
        (part.clone())
            .select(select.clone())
            .sink_batches(add, false, None)
            .and_then(|query| query.collect_with_engine(Engine::Streaming))
            .map_err(scan_err)?;
    }
    let mut halves =
        std::mem::take(&mut *halves.lock().map_err(|_| {
            scan_err(polars_err!(ComputeError: "the dense scan stopped unexpectedly"))
        })?);
    if halves.iter().any(|s| s.outside) {
        return Err(scan_err(
            polars_err!(ComputeError: "a record's cell is outside the dense scan's array"),
        ));
    }
    halves.iter_mut().for_each(Sums::flush);
    // a record of an unknown unit is named by the group-by (E300)
    if halves[0].unknown + halves[1].unknown > 0 {
        return Ok(None);
    }
    frame(
        &halves,
        &terms.outputs,
        &counters,
        units,
        periods,
        b0,
        grain,
    )
    .map(Some)
    .map_err(scan_err)
}

/// Adds one batch of (unit, unknown, day, flags…, integers…) to the two threads' sums, each
/// thread the records of its half of the units.
fn add_batch(
    halves: &mut [Sums; 2],
    mut batch: DataFrame,
    calendar: &Calendar,
) -> PolarsResult<()> {
    let (nf, ni) = (halves[0].nf, halves[0].ni);
    batch.rechunk_mut();
    let unknown = batch.column("__unknown")?.bool()?;
    let units = batch.column("__unit")?.u32()?;
    let Some(units) = units.downcast_iter().next() else {
        return Ok(());
    };
    let Some(days) = batch.column("__day")?.i32()?.downcast_iter().next() else {
        return Ok(());
    };
    let mut flags = Vec::with_capacity(nf);
    for f in 0..nf {
        let column = batch.column(&format!("__f{f}"))?.bool()?;
        let Some(array) = column.downcast_iter().next() else {
            return Ok(());
        };
        flags.push(super::true_bits(array));
    }
    let mut integers = Vec::with_capacity(ni);
    for i in 0..ni {
        let column = batch.column(&format!("__i{i}"))?.i64()?;
        let Some(array) = column.downcast_iter().next() else {
            return Ok(());
        };
        // nulls were made 0 by the term's expression
        integers.push(array.values().as_slice());
    }
    let batch = Batch {
        units: units.values().as_slice(),
        valid: units.validity(),
        days: days.values().as_slice(),
        dated: days.validity(),
        flags,
        integers,
    };
    let [a, b] = halves;
    // records of units units.csv lacks, inside the window (rare: the group-by then names them)
    if unknown.any() {
        let inside = |(row, unknown): (usize, Option<bool>)| {
            unknown == Some(true)
                && batch.dated.is_none_or(|v| v.get_bit(row))
                && calendar.period(batch.days[row]).is_some()
        };
        a.unknown += unknown.iter().enumerate().filter(|&r| inside(r)).count() as u64;
    }
    rayon::join(
        || batch.add_to(a, 0, calendar),
        || batch.add_to(b, 1, calendar),
    );
    Ok(())
}

/// The partial table of the sums: a row per (unit, period) with records, sorted by unit id and
/// period, as the group-by's.
#[allow(clippy::too_many_arguments)]
fn frame(
    halves: &[Sums; 2],
    outputs: &[(String, usize)],
    counters: &[Counter],
    units: &[&str],
    periods: usize,
    b0: u32,
    grain: Grain,
) -> PolarsResult<DataFrame> {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&u| units[u]);
    let mut unit_column = Vec::new();
    let mut month_column = Vec::new();
    let mut cells = Vec::new();
    for u in order {
        for p in 0..periods {
            let cell = (u >> 1) * periods + p;
            if halves[u & 1].records(cell) == 0 {
                continue;
            }
            let months = (b0 as usize + p) * grain.months() as usize;
            unit_column.push(units[u]);
            month_column.push((1900 + months / 12) as i32 * 100 + (months % 12) as i32 + 1);
            cells.push((&halves[u & 1], cell));
        }
    }
    let mut columns = vec![
        Column::new(UNIT_COLUMN.into(), unit_column),
        Column::new(MONTH_COLUMN.into(), month_column),
    ];
    for (name, slot) in outputs {
        let values: Vec<f64> = cells
            .iter()
            .map(|&(s, c)| match counters[*slot] {
                // exact: a count below 2^53
                Counter::Records => s.records(c) as f64,
                Counter::Flag(k) => s.flag(c, k) as f64,
                Counter::Integer(k) => s.integers[c * s.ni + k] as f64,
            })
            .collect();
        columns.push(Column::new(name.as_str().into(), values));
    }
    DataFrame::new_infer_height(columns)
}

#[cfg(test)]
mod tests {
    use super::super::{date_bounds, scan, scanned_table};
    use super::*;
    use crate::definition::load::load_from_strings;
    use std::path::Path;

    const CATALOGUE: &str = r#"
id = "t"
title = "t"
[dataset.ho_so]
unit = "ma_don_vi"
date = "ngay"
columns = ["kenh", "mat", "so_trang", "ty_le"]
"#;
    const INDICATORS: &str = r#"
[[indicator]]
id = "truc-tuyen"
name = "Tỷ lệ hồ sơ trực tuyến"
unit = "%"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
numerator = "SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)"
denominator = "COUNT(*)"
[[indicator]]
id = "trang"
name = "Số trang của hồ sơ không mật"
unit = "count"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
value = "SUM(so_trang)"
filter = "NOT mat"
"#;
    /// A plain sum of a column of fractions: left to the group-by.
    const FRACTIONS: &str = r#"
[[indicator]]
id = "ty-le"
name = "Tổng tỷ lệ"
unit = "count"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
value = "SUM(ty_le)"
"#;

    /// 600 records of units a, b, c (and `extra`'s unit, when given) over January–June 2026
    /// in a scrambled order (a linear congruential sequence), with null channels and pages, in
    /// row groups of 50: every row group holds several months and units.
    fn parquet(dir: &Path, extra: Option<&str>) -> std::path::PathBuf {
        let mut x: u64 = 2026;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        let (mut units, mut days, mut kenh, mut mat, mut trang, mut ty_le) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        for i in 0..600 {
            let unit = match (extra, next(3)) {
                (Some(u), _) if i == 299 => u,
                (_, 0) => "a",
                (_, 1) => "b",
                _ => "c",
            };
            units.push(unit.to_string());
            let month = 1 + next(6) as u32;
            days.push(
                NaiveDate::from_ymd_opt(2026, month, 1 + next(28) as u32).unwrap_or_default(),
            );
            kenh.push(match next(4) {
                0 => None,
                1 => Some("truc_tiep"),
                _ => Some("truc_tuyen"),
            });
            mat.push(next(5) == 0);
            trang.push((next(7) > 0).then(|| next(40) as i64));
            ty_le.push(next(100) as f64 / 7.0);
        }
        let mut frame = df!(
            "ma_don_vi" => units,
            "ngay" => days,
            "kenh" => kenh,
            "mat" => mat,
            "so_trang" => trang,
            "ty_le" => ty_le,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join(format!("ho_so-{}.parquet", extra.unwrap_or("known")));
        let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        ParquetWriter::new(file)
            .with_row_group_size(Some(50))
            .finish(&mut frame)
            .unwrap_or_else(|e| panic!("{e}"));
        path
    }

    fn until() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()
    }

    /// The dense scan's table of `path`, `None` when it leaves the file to the group-by.
    fn dense(c: &Catalogue, path: &Path, indicators: &[usize], grain: Grain) -> Option<DataFrame> {
        let ds = &c.datasets[0];
        let source = scan(ds, path).unwrap_or_else(|e| panic!("{e:?}"));
        let bounds = date_bounds(ds, path, &source)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no dates"));
        table(
            c,
            ds,
            &[source],
            indicators,
            until(),
            grain,
            &["c", "a", "b"],
            bounds,
            |source| FusedError::Scan {
                dataset: ds.name.clone(),
                path: path.display().to_string(),
                source,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_calendar_gives_each_day_of_its_window_its_period() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let epoch = day(1970, 1, 1);
        let n = |d: NaiveDate| (d - epoch).num_days() as i32;
        let months = Calendar::new(day(2026, 1, 1), day(2026, 2, 28), Grain::Month)
            .unwrap_or_else(|| panic!("two months"));
        assert_eq!(months.periods, 2);
        assert_eq!(n(day(2026, 1, 1)), 20454);
        assert_eq!(months.period(20454), Some(0));
        assert_eq!(months.period(n(day(2026, 1, 31))), Some(0));
        assert_eq!(months.period(n(day(2026, 2, 1))), Some(1));
        assert_eq!(months.period(n(day(2026, 2, 28))), Some(1));
        assert_eq!(months.period(n(day(2026, 3, 1))), None);
        assert_eq!(months.period(n(day(2025, 12, 31))), None);
        assert_eq!(months.period(i32::MIN), None);
        assert_eq!(months.period(i32::MAX), None);
        // quarters from a window starting mid-quarter: Q1 is index 0, Q2 (from 1 April) 1
        let quarters = Calendar::new(day(2026, 2, 10), day(2026, 7, 1), Grain::Quarter)
            .unwrap_or_else(|| panic!("three quarters"));
        assert_eq!(quarters.periods, 3);
        assert_eq!(quarters.period(n(day(2026, 3, 31))), Some(0));
        assert_eq!(quarters.period(n(day(2026, 4, 1))), Some(1));
        assert_eq!(quarters.period(n(day(2026, 7, 1))), Some(2));
        // the whole date window: 2,388 months
        let (first, last) = date_window();
        let all = Calendar::new(first, last, Grain::Month).unwrap_or_else(|| panic!("window"));
        assert_eq!(all.periods, 199 * 12);
        assert_eq!(all.period(n(last)), Some(199 * 12 - 1));
    }

    #[test]
    fn one_byte_counts_are_added_into_the_totals_before_they_overflow() {
        // 140,000 records of units 0 and 2 — both in half 0 — and unit 1 (half 1), every third
        // one flagged, in January (the first 120,000) and February 2026, the two months of the
        // window: unit 0 has 96,000 records in January, more than a 1- or a 2-byte count
        // holds; 100 more records in March and 100 without a day, which are not counted
        let rows = 140_200;
        let units: Vec<u32> = (0..rows)
            .map(|r| match r % 10 {
                9 => 1,
                8 => 2,
                _ => 0,
            })
            .collect();
        let calendar = Calendar::new(
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap_or_default(),
            Grain::Month,
        )
        .unwrap_or_else(|| panic!("two months"));
        // 2026-01-01 is day 20454, 2026-02-01 day 20485, 2026-03-01 day 20513
        let periods: Vec<u32> = (0..rows).map(|r| u32::from(r >= 120_000)).collect();
        let days: Vec<i32> = (0..rows)
            .map(|r| match r {
                0..120_000 => 20454 + r % 31,
                120_000..140_000 => 20485 + r % 28,
                _ => 20513 + r % 31,
            })
            .collect();
        let dated: polars_arrow::bitmap::Bitmap = (0..rows)
            .map(|r| !(140_000..140_100).contains(&r))
            .collect();
        let flag: polars_arrow::bitmap::Bitmap = (0..rows).map(|r| r % 3 == 0).collect();
        let batch = Batch {
            units: &units,
            valid: None,
            days: &days,
            dated: Some(&dated),
            flags: vec![flag],
            integers: vec![],
        };
        let mut halves = [Sums::new(2 * 2, 1, 0), Sums::new(2 * 2, 1, 0)];
        let [a, b] = &mut halves;
        batch.add_to(a, 0, &calendar);
        batch.add_to(b, 1, &calendar);
        halves.iter_mut().for_each(Sums::flush);
        let count = |u: u32, p: u32, flagged: bool| {
            (0..140_000)
                .filter(|&r| units[r as usize] == u && periods[r as usize] == p)
                .filter(|&r| !flagged || r % 3 == 0)
                .count() as u64
        };
        for (u, p) in [(0, 0), (0, 1), (2, 0), (2, 1), (1, 0), (1, 1)] {
            // unit u's place in its half: u / 2
            let (s, cell) = (&halves[(u & 1) as usize], (u / 2 * 2 + p) as usize);
            assert_eq!(s.records(cell), count(u, p, false), "unit {u} period {p}");
            assert_eq!(s.flag(cell, 0), count(u, p, true), "unit {u} period {p}");
        }
        // by hand: 8 in 10 of the first 120,000 records, a third of them flagged; 8 in 10 of
        // the next 20,000
        assert_eq!(halves[0].records(0), 96_000);
        assert_eq!(halves[0].flag(0, 0), 32_000);
        assert_eq!(halves[0].records(1), 16_000);
        assert!(!halves[0].outside && !halves[1].outside);
    }

    #[test]
    fn the_dense_scan_gives_the_group_bys_table_by_month_and_by_quarter() {
        let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
        let c = &loaded.catalogue;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = parquet(dir.path(), None);
        for grain in [Grain::Month, Grain::Quarter] {
            let by_group =
                scanned_table(c, &c.datasets[0], &path, &[0, 1], until(), grain, 1, None)
                    .unwrap_or_else(|e| panic!("{e}"));
            let dense = dense(c, &path, &[0, 1], grain).unwrap_or_else(|| panic!("not dense"));
            assert_eq!(dense, by_group, "{grain:?}");
            // 3 units × 6 months (2 quarters), every one with records
            let periods = if grain == Grain::Month { 6 } else { 2 };
            assert_eq!(dense.height(), 3 * periods);
            // and through the scan as a run calls it
            let run = scanned_table(
                c,
                &c.datasets[0],
                &path,
                &[0, 1],
                until(),
                grain,
                1,
                Some(&["c", "a", "b"]),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(run, by_group);
        }
        // by hand, from the records: every record counts once in some (unit, month)
        let table = dense(c, &path, &[0, 1], Grain::Month).unwrap_or_else(|| panic!("not dense"));
        let total: f64 = table
            .column("truc-tuyen__denominator")
            .and_then(|c| c.f64().map(|v| v.sum().unwrap_or(0.0)))
            .unwrap_or(0.0);
        assert_eq!(total, 600.0);
    }

    #[test]
    fn fractions_unknown_units_and_years_are_left_to_the_group_by() {
        let all = format!("{INDICATORS}{FRACTIONS}");
        let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", &all)]);
        let c = &loaded.catalogue;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = parquet(dir.path(), None);
        // a sum of fractions depends on the order it is added in: not dense
        assert!(dense(c, &path, &[0, 1, 2], Grain::Month).is_none());
        assert!(dense(c, &path, &[0, 1], Grain::Month).is_some());
        // a year's index is the query's own
        assert!(dense(c, &path, &[0, 1], Grain::Year).is_none());
        // a record of a unit units.csv lacks: the group-by's table names it
        let stranger = parquet(dir.path(), Some("x"));
        assert!(dense(c, &stranger, &[0, 1], Grain::Month).is_none());
        let run = scanned_table(
            c,
            &c.datasets[0],
            &stranger,
            &[0, 1],
            until(),
            Grain::Month,
            1,
            Some(&["c", "a", "b"]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let units: Vec<Option<&str>> = run
            .column(UNIT_COLUMN)
            .and_then(|c| c.str().map(|s| s.iter().collect()))
            .unwrap_or_default();
        assert!(units.contains(&Some("x")));
    }
}

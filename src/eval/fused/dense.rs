//! The dense scan: the fused query's sums made without polars' hash group-by, when the
//! periods are months or quarters. polars evaluates each measure's per-record term (the `x` of
//! `SUM(x)`, 1 for `COUNT(*)`, 0 where the measure's filter refuses the record), the record's
//! unit as an index into units.csv (a polars Enum built from its ids) and its period as an
//! index from its day number, in streamed batches on every core; chitieu adds the terms into
//! one array indexed by (unit, period, term). The cost then does not depend on the order of the
//! records: a hash group-by over 49,000 (unit, month) keys pays for every morsel that holds
//! many of them (a file whose row groups mix months and units, as one made record by record
//! does), while an array index is the same arithmetic whatever came before
//! (docs/performance.md "A scan that does not depend on row order").
//!
//! The result is the table [`super::fused_query`] gives, row for row: a (unit, period) with
//! records is a row even when its sums are 0, and the rows are sorted by unit id and period.
//! The sums are exact, so that both give the same figures: the dense scan is taken only when
//! every term is a whole number (booleans, integer columns, counts), whose sums in f64 are exact
//! below 2^53 in any order; a measure that is not a plain sum, or sums a column of fractions,
//! leaves the dataset to the group-by. So does a record whose unit units.csv lacks: the
//! group-by's result is what names those rows (E300).

use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::{bucket_key, date_window, parts, plain_sums, FusedError, MONTH_COLUMN, UNIT_COLUMN};
use crate::data::Grain;
use crate::definition::{Catalogue, Dataset, Measure};

/// Cells (unit × period) the array may hold: 4,114 units × 12 months is 49,368; a dataset
/// spread over more periods than this allows is left to the group-by.
const MAX_CELLS: usize = 4_000_000;

/// The per-record term of one part of a measure, when the part is a plain sum of one (`SUM(x)`,
/// `COUNT(*)`), with the measure's filter: 0 where it refuses the record.
fn term(sql: &str, filter: Option<&Expr>) -> PolarsResult<Option<Expr>> {
    let mut expr = plain_sums(polars::sql::sql_expr(sql)?);
    while let Expr::Alias(inner, _) = expr {
        expr = Arc::unwrap_or_clone(inner);
    }
    let term = match expr {
        Expr::Agg(AggExpr::Sum(inner)) => Arc::unwrap_or_clone(inner),
        Expr::Len => lit(1i32),
        _ => return Ok(None),
    };
    Ok(Some(match filter {
        None => term,
        Some(mask) => when(mask.clone().fill_null(lit(false)))
            .then(term)
            .otherwise(lit(0i32)),
    }))
}

/// What the array adds: the distinct terms, and for each output column its term.
struct Terms {
    exprs: Vec<Expr>,
    outputs: Vec<(String, usize)>,
}

/// The terms of every part of `indicators`, or `None` when one is not a plain sum.
fn terms(
    c: &Catalogue,
    dataset: &Dataset,
    indicators: &[usize],
) -> Result<Option<Terms>, FusedError> {
    let mut exprs: Vec<Expr> = Vec::new();
    let mut outputs = Vec::new();
    for &k in indicators {
        let indicator = &c.indicators[k];
        let Measure::Computed(m) = &indicator.measure else {
            continue;
        };
        for (part, sql) in parts(m) {
            let err = |source| FusedError::Expression {
                dataset: dataset.name.clone(),
                indicator: indicator.id.clone(),
                part: part.key().to_string(),
                source,
            };
            let filter = match &m.filter {
                Some(f) => Some(polars::sql::sql_expr(f.get_ref()).map_err(err)?),
                None => None,
            };
            let Some(expr) = term(sql, filter.as_ref()).map_err(err)? else {
                return Ok(None);
            };
            let slot = match exprs.iter().position(|e| *e == expr) {
                Some(slot) => slot,
                None => {
                    exprs.push(expr);
                    exprs.len() - 1
                }
            };
            outputs.push((super::column_name(&indicator.id, part), slot));
        }
    }
    Ok(Some(Terms { exprs, outputs }))
}

/// The period index of a day: months (or quarters) since January 1900, as
/// [`super::bucket_key`] computes it in the query.
fn bucket_of(day: NaiveDate, grain: Grain) -> u32 {
    let months = (day.year() - 1900) as u32 * 12 + day.month0();
    months / grain.months()
}

/// The sums of the records, one cell per (unit, period).
#[derive(Default)]
struct Sums {
    /// `cells × terms`, row-major.
    sums: Vec<f64>,
    /// Records in each cell: a cell without any is no row of the result.
    records: Vec<u64>,
    /// Records whose unit units.csv lacks.
    unknown: u64,
}

/// The partial table of `source` (a dataset's records) by the dense scan; `Ok(None)` when the
/// dataset is one for the group-by (see the module documentation). `bounds` are the first and
/// last dates of the records.
#[allow(clippy::too_many_arguments)]
pub(super) fn table(
    c: &Catalogue,
    dataset: &Dataset,
    source: LazyFrame,
    indicators: &[usize],
    until: NaiveDate,
    grain: Grain,
    units: &[&str],
    bounds: (NaiveDate, NaiveDate),
) -> Result<Option<DataFrame>, FusedError> {
    let scan_err = |source| FusedError::Scan {
        dataset: dataset.name.clone(),
        path: String::new(),
        source,
    };
    // a year's index is counted from 1901 in the query: only months and quarters here
    if !matches!(grain, Grain::Month | Grain::Quarter) {
        return Ok(None);
    }
    let Some(terms) = terms(c, dataset, indicators)? else {
        return Ok(None);
    };
    // whole numbers only: their sums are exact in any order
    let schema = source
        .clone()
        .select(
            terms
                .exprs
                .iter()
                .enumerate()
                .map(|(i, e)| e.clone().alias(format!("__t{i}")))
                .collect::<Vec<_>>(),
        )
        .collect_schema()
        .map_err(scan_err)?;
    if !schema
        .iter_values()
        .all(|t| t.is_integer() || t.is_bool() || t.is_null())
    {
        return Ok(None);
    }
    let (first, last) = date_window();
    let (lo, hi) = (bounds.0.max(first), bounds.1.min(until).min(last));
    if lo > hi || units.is_empty() {
        return Ok(None);
    }
    let (b0, b1) = (bucket_of(lo, grain), bucket_of(hi, grain));
    let periods = (b1 - b0 + 1) as usize;
    if units.len().saturating_mul(periods) > MAX_CELLS {
        return Ok(None);
    }
    let width = terms.exprs.len();

    let enum_type =
        DataType::from_frozen_categories(FrozenCategories::new(units.iter().copied()).map_err(scan_err)?);
    let unit = col(dataset.unit.as_str()).cast(DataType::String);
    let index = unit.clone().cast(enum_type).to_physical().cast(DataType::UInt32);
    let date = col(dataset.date.as_str()).cast(DataType::Date);
    let in_range = date
        .clone()
        .gt_eq(lit(lo).cast(DataType::Date))
        .and(date.clone().lt_eq(lit(hi).cast(DataType::Date)));
    // the cell of each record: unit index × periods + period index; null for a record without
    // a unit (left out, as the group-by leaves out its null unit) or with an unknown one
    let cell = index.clone().cast(DataType::UInt64) * lit(periods as u64)
        + (bucket_key(date, grain).cast(DataType::UInt64) - lit(u64::from(b0)));
    let unknown = unit.is_not_null().and(index.is_null());
    let mut select = vec![cell.alias("__cell"), unknown.alias("__unknown")];
    select.extend(
        terms
            .exprs
            .iter()
            .enumerate()
            .map(|(i, e)| e.clone().cast(DataType::Float64).fill_null(lit(0.0)).alias(format!("__t{i}"))),
    );
    if std::env::var("CHITIEU_DENSE").as_deref() == Ok("groupby") {
        let mut aggs = vec![
            col("__unknown").sum().alias("__unknown"),
            len().alias("__n"),
        ];
        aggs.extend((0..width).map(|i| col(format!("__t{i}")).sum()));
        let grouped = source
            .filter(in_range)
            .select(select)
            .group_by([col("__cell")])
            .agg(aggs);
        let out = super::collect(grouped).map_err(scan_err)?;
        let mut s = Sums {
            sums: vec![0.0; units.len() * periods * width],
            records: vec![0; units.len() * periods],
            unknown: 0,
        };
        let fill = |s: &mut Sums| -> PolarsResult<()> {
            let cells = out.column("__cell")?.u64()?;
            let n = out.column("__n")?.cast(&DataType::UInt64)?;
            let n = n.u64()?;
            s.unknown = out.column("__unknown")?.cast(&DataType::UInt64)?.u64()?.sum().unwrap_or(0);
            let terms: Vec<Vec<f64>> = (0..width)
                .map(|i| -> PolarsResult<Vec<f64>> {
                    Ok(out.column(&format!("__t{i}"))?.f64()?.into_no_null_iter().collect())
                })
                .collect::<PolarsResult<_>>()?;
            for (row, (cell, n)) in cells.iter().zip(n.iter()).enumerate() {
                let Some(cell) = cell.map(|c| c as usize) else {
                    continue;
                };
                s.records[cell] += n.unwrap_or(0);
                for (k, t) in terms.iter().enumerate() {
                    s.sums[cell * width + k] += t[row];
                }
            }
            Ok(())
        };
        fill(&mut s).map_err(scan_err)?;
        if s.unknown > 0 {
            return Ok(None);
        }
        return frame(&s, &terms, units, periods, b0, grain).map(Some).map_err(scan_err);
    }
    let sums = Arc::new(Mutex::new(Sums {
        sums: vec![0.0; units.len() * periods * width],
        records: vec![0; units.len() * periods],
        unknown: 0,
    }));
    let into = Arc::clone(&sums);
    let add = PlanCallback::new(move |batch: DataFrame| -> PolarsResult<bool> {
        // a poisoned lock is a batch that failed half-way: the query fails with it
        let mut s = into
            .lock()
            .map_err(|_| polars_err!(ComputeError: "the dense scan stopped unexpectedly"))?;
        add_batch(&mut s, &batch, width)?;
        // false: go on with the next batch
        Ok(false)
    });
    let query = source
        .filter(in_range)
        .select(select)
        .sink_batches(add, false, None)
        .map_err(scan_err)?;
    query
        .collect_with_engine(Engine::Streaming)
        .map_err(scan_err)?;
    // the sums, taken out: the plan may still hold the callback
    let sums = std::mem::take(
        &mut *sums
            .lock()
            .map_err(|_| scan_err(polars_err!(ComputeError: "the dense scan stopped unexpectedly")))?,
    );
    if sums.unknown > 0 {
        return Ok(None);
    }
    frame(&sums, &terms, units, periods, b0, grain).map(Some).map_err(scan_err)
}

/// Adds one batch of (cell, unknown, terms…) to the sums.
fn add_batch(s: &mut Sums, batch: &DataFrame, width: usize) -> PolarsResult<()> {
    let mut batch = batch.clone();
    batch.rechunk_mut();
    let cells = batch.column("__cell")?.u64()?;
    s.unknown += batch.column("__unknown")?.bool()?.sum().unwrap_or(0) as u64;
    let terms: Vec<Vec<f64>> = (0..width)
        .map(|i| -> PolarsResult<Vec<f64>> {
            Ok(batch
                .column(&format!("__t{i}"))?
                .f64()?
                .into_no_null_iter()
                .collect())
        })
        .collect::<PolarsResult<_>>()?;
    for (row, cell) in cells.iter().enumerate() {
        let Some(cell) = cell.map(|c| c as usize) else {
            continue;
        };
        let Some(records) = s.records.get_mut(cell) else {
            polars_bail!(ComputeError: "a record's cell is outside the dense scan's array");
        };
        *records += 1;
        let at = cell * width;
        for (k, t) in terms.iter().enumerate() {
            s.sums[at + k] += t[row];
        }
    }
    Ok(())
}

/// The partial table of the sums: a row per (unit, period) with records, sorted by unit id and
/// period, as the group-by's.
fn frame(
    s: &Sums,
    terms: &Terms,
    units: &[&str],
    periods: usize,
    b0: u32,
    grain: Grain,
) -> PolarsResult<DataFrame> {
    let width = terms.exprs.len();
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&u| units[u]);
    let mut unit_column = Vec::new();
    let mut month_column = Vec::new();
    let mut cells = Vec::new();
    for u in order {
        for p in 0..periods {
            let cell = u * periods + p;
            if s.records[cell] == 0 {
                continue;
            }
            let months = (b0 as usize + p) * grain.months() as usize;
            unit_column.push(units[u]);
            month_column.push((1900 + months / 12) as i32 * 100 + (months % 12) as i32 + 1);
            cells.push(cell);
        }
    }
    let mut columns = vec![
        Column::new(UNIT_COLUMN.into(), unit_column),
        Column::new(MONTH_COLUMN.into(), month_column),
    ];
    for (name, slot) in &terms.outputs {
        let values: Vec<f64> = cells.iter().map(|&c| s.sums[c * width + slot]).collect();
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
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
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
            days.push(NaiveDate::from_ymd_opt(2026, month, 1 + next(28) as u32).unwrap_or_default());
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
        table(c, ds, source, indicators, until(), grain, &["c", "a", "b"], bounds)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_dense_scan_gives_the_group_bys_table_by_month_and_by_quarter() {
        let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
        let c = &loaded.catalogue;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = parquet(dir.path(), None);
        for grain in [Grain::Month, Grain::Quarter] {
            let by_group = scanned_table(c, &c.datasets[0], &path, &[0, 1], until(), grain, 1, None)
                .unwrap_or_else(|e| panic!("{e}"));
            let dense = dense(c, &path, &[0, 1], grain).unwrap_or_else(|| panic!("not dense"));
            assert_eq!(dense, by_group, "{grain:?}");
            // 3 units × 6 months (2 quarters), every one with records
            let periods = if grain == Grain::Month { 6 } else { 2 };
            assert_eq!(dense.height(), 3 * periods);
            // and through the scan as a run calls it
            let run = scanned_table(c, &c.datasets[0], &path, &[0, 1], until(), grain, 1, Some(&["c", "a", "b"]))
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
        let run = scanned_table(c, &c.datasets[0], &stranger, &[0, 1], until(), Grain::Month, 1, Some(&["c", "a", "b"]))
            .unwrap_or_else(|e| panic!("{e}"));
        let units: Vec<Option<&str>> = run
            .column(UNIT_COLUMN)
            .and_then(|c| c.str().map(|s| s.iter().collect()))
            .unwrap_or_default();
        assert!(units.contains(&Some("x")));
    }
}

//! The fused scan (SPEC §4.2): every computed indicator that reads one dataset is compiled into
//! ONE lazy polars query — one scan, one aggregation grouped by unit and period, with every
//! numerator, denominator and value parsed by polars' SQL front end. The period is a month, or
//! the quarter or year of a run that scores one ([`Grain`]); coarser periods, the cumulative
//! year-to-date and the unit hierarchy are sums of these partials.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use polars_core::query_result::QueryResult;

use crate::data::{Grain, Period};
use crate::definition::{Catalogue, ComputedMeasure, Dataset, Measure};

/// Column names of the partial table (the aggregated frame): the unit id as text, the month as
/// i32 yyyymm, then `<indicator id>__<part>` (f64) — the same table whichever engine computes it
/// (see [`super::dialect`]) and what `chitieu score --partials` reads.
pub const UNIT_COLUMN: &str = "unit";
pub const MONTH_COLUMN: &str = "month";
/// The group keys inside the query, renamed to the above at the end so that a dataset column
/// called `unit` or `month` stays readable by the measures.
const UNIT_KEY: &str = "__unit";
const BUCKET_KEY: &str = "__bucket";

/// The parts of a computed measure, in output-column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Numerator,
    Denominator,
    Value,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Numerator, Part::Denominator, Part::Value];

    pub fn key(self) -> &'static str {
        match self {
            Part::Numerator => "numerator",
            Part::Denominator => "denominator",
            Part::Value => "value",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// The partial-table column of `part` of the indicator `id`: `<id>__<part>`.
pub fn column_name(id: &str, part: Part) -> String {
    format!("{id}__{}", part.key())
}

/// The partial-table columns of every computed indicator of `c` (all datasets), in catalogue
/// order.
pub fn partial_columns(c: &Catalogue) -> Vec<String> {
    let mut out = Vec::new();
    for indicator in &c.indicators {
        if let Measure::Computed(m) = &indicator.measure {
            for (part, _) in parts(m) {
                out.push(column_name(&indicator.id, part));
            }
        }
    }
    out
}

/// The indicator id and part a partial-table column names, if it has that form.
pub fn parse_column_name(name: &str) -> Option<(&str, Part)> {
    let (id, key) = name.rsplit_once("__")?;
    let part = Part::ALL.into_iter().find(|p| p.key() == key)?;
    (!id.is_empty()).then_some((id, part))
}

#[derive(Debug, thiserror::Error)]
pub enum FusedError {
    #[error(
        "dataset \"{dataset}\", indicator \"{indicator}\", `{part}`: {}",
        concise(source)
    )]
    Expression {
        dataset: String,
        indicator: String,
        part: String,
        source: PolarsError,
    },
    #[error("dataset \"{dataset}\" ({path}): {}", concise(source))]
    Scan {
        dataset: String,
        path: String,
        source: PolarsError,
    },
    /// The reader failed inside (a panic of polars on a corrupt file), caught.
    #[error("cannot read dataset \"{dataset}\" ({path}): the file is damaged or not what its name says ({reason})")]
    Unreadable {
        dataset: String,
        path: String,
        reason: String,
    },
}

/// A polars error as a user reads it: its first paragraph, without the query plan polars adds
/// ("Resolved plan until failure: …"), which names chitieu's internal columns.
pub fn concise(e: &PolarsError) -> String {
    let text = e.to_string();
    let end = text.find("\n\n").unwrap_or(text.len());
    text[..end].trim().to_string()
}

/// The computed indicators (catalogue indices) that read `dataset`.
pub fn indicators_of(c: &Catalogue, dataset: &str) -> Vec<usize> {
    c.indicators
        .iter()
        .enumerate()
        .filter(
            |(_, i)| matches!(&i.measure, Measure::Computed(m) if m.dataset.get_ref() == dataset),
        )
        .map(|(k, _)| k)
        .collect()
}

/// Opens a dataset file lazily with the schema of its declaration ([`crate::data::records`]):
/// Parquet is scanned, CSV and XLSX are read and typed. The diagnostics say why it cannot be.
pub fn scan(
    dataset: &Dataset,
    path: &Path,
) -> Result<LazyFrame, Vec<crate::diagnostics::Diagnostic>> {
    crate::data::records::open(dataset, path)
}

/// Runs `f`, turning a panic of the readers below chitieu (polars on a corrupt Parquet file)
/// into an error that names the dataset and its file.
fn guarded<T>(
    dataset: &Dataset,
    path: &Path,
    f: impl FnOnce() -> Result<T, FusedError>,
) -> Result<T, FusedError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        Err(FusedError::Unreadable {
            dataset: dataset.name.clone(),
            path: path.display().to_string(),
            reason: crate::guard::panic_message(payload.as_ref()),
        })
    })
}

/// The polars error of the first of `diagnostics` (for callers that checked the file first).
fn first_error(diagnostics: Vec<crate::diagnostics::Diagnostic>) -> PolarsError {
    let message = diagnostics
        .first()
        .map_or_else(|| "cannot read the file".to_string(), |d| d.message.clone());
    polars_err!(ComputeError: "{message}")
}

/// One SQL expression of a measure as a polars expression, with the measure's row filter
/// applied to every column it reads (and `COUNT(*)` counting only the rows that pass).
pub(super) fn part_expr(sql: &str, filter: Option<&Expr>) -> PolarsResult<Expr> {
    let expr = plain_sums(polars::sql::sql_expr(sql)?);
    Ok(match filter {
        None => expr,
        Some(mask) => {
            let mask = mask.clone().fill_null(lit(false));
            expr.map_expr(|e| match e {
                Expr::Column(name) => col(name).filter(mask.clone()),
                Expr::Len => mask.clone().cast(DataType::Int64).sum(),
                other => other,
            })
        }
    })
}

/// polars' SQL front end translates `SUM(x)` to "NULL when every x is null, else sum(x)", which
/// evaluates `x` three times per row. Measures are additive partial sums (an empty group sums to
/// 0, and a denominator of 0 gives no value downstream), so the plain `sum(x)` is what they mean
/// and it evaluates `x` once. The usual count, `SUM(CASE WHEN c THEN 1 ELSE 0 END)`, becomes the
/// sum of the boolean `c` (true counts 1; false and null count 0, as the ELSE does), which
/// polars reads bit by bit instead of building a column of ones and zeros.
fn plain_sums(expr: Expr) -> Expr {
    expr.map_expr(|e| match e {
        Expr::Ternary { truthy, falsy, .. }
            if matches!(truthy.as_ref(), Expr::Agg(AggExpr::Sum(_)))
                && matches!(falsy.as_ref(), Expr::Literal(l) if l.is_null()) =>
        {
            std::sync::Arc::unwrap_or_clone(truthy)
        }
        Expr::Agg(AggExpr::Sum(inner)) => match inner.as_ref() {
            Expr::Ternary {
                predicate,
                truthy,
                falsy,
            } if is_integer(truthy, 1) && is_integer(falsy, 0) => {
                Expr::Agg(AggExpr::Sum(predicate.clone()))
            }
            _ => Expr::Agg(AggExpr::Sum(inner)),
        },
        other => other,
    })
}

/// Whether `expr` is the integer literal `n`.
fn is_integer(expr: &Expr, n: i64) -> bool {
    matches!(expr, Expr::Literal(l) if l.extract_i64().ok() == Some(n))
}

/// The first and last days of records the fused scan reads: 1901-01-01 to 2099-12-31, the
/// years in which every fourth year is a leap year, which `bucket_key` relies on. Records
/// dated outside are left out of computed indicators (a period chitieu scores lies inside).
pub fn date_window() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(1901, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(2099, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

/// The bucket of a record at `grain`, from its day number by integer arithmetic (exact inside
/// [`date_window`]): months since January 1900 divided by the months of the grain, or for
/// years, years since 1901. polars' `dt().year()` and `dt().month()` convert every row through
/// a calendar date, which cost a third of the scan of 50M dossiers; this is elementwise u32
/// arithmetic, streamed. [`bucket_yyyymm`] turns a bucket back into its first month.
fn bucket_key(date: Expr, grain: Grain) -> Expr {
    let days_since = |y, m| {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let from = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
        let offset = (epoch - from).num_days() as i32;
        (date.clone().cast(DataType::Int32) + lit(offset)).cast(DataType::UInt32)
    };
    let u = |n: u32| lit(n);
    let key = match grain {
        // 1901–2099 is cycles of 1,461 days (three years of 365, one of 366) from 1 January 1901
        Grain::Year => (days_since(1901, 1) * u(4) + u(3)).floor_div(u(1461)),
        // the civil-from-days algorithm with March-based years: years since March 1900, day of
        // that year (0 = 1 March), month of it (0 = March); + 2 counts from January
        Grain::Month | Grain::Quarter => {
            let z = days_since(1900, 3);
            let years = (z.clone() * u(4) + u(3)).floor_div(u(1461));
            let day = z - (years.clone() * u(1461)).floor_div(u(4));
            let month = (day * u(5) + u(2)).floor_div(u(153));
            let months = years * u(12) + month + u(2);
            match grain {
                Grain::Quarter => months.floor_div(u(3)),
                _ => months,
            }
        }
    };
    key.alias(BUCKET_KEY)
}

/// yyyymm (i32) of the first month of a [`bucket_key`].
fn bucket_yyyymm(key: Expr, grain: Grain) -> Expr {
    let key = key.cast(DataType::Int32);
    let (year, month0) = match grain {
        Grain::Year => (lit(1901i32) + key, lit(0i32)),
        Grain::Month | Grain::Quarter => {
            let months = key * lit(grain.months() as i32);
            (
                lit(1900i32) + months.clone().floor_div(lit(12i32)),
                months % lit(12i32),
            )
        }
    };
    year * lit(100i32) + month0 + lit(1i32)
}

/// The periods the fused query sums records into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Buckets {
    /// Every period of the grain that holds records.
    Of(Grain),
    /// The one period that holds every record (known from the dates' minimum and maximum, see
    /// `date_bounds`): the query groups by unit alone, without a period key per row.
    Only(Period),
}

/// Builds the fused query of `dataset`: records of [`date_window`] up to `until`, grouped
/// by unit and period (its first month in the [`MONTH_COLUMN`]), with one output column per
/// part of every indicator in `indicators`. Identical aggregations (the `COUNT(*)` of several
/// denominators, say) are computed once.
pub fn fused_query(
    c: &Catalogue,
    dataset: &Dataset,
    source: LazyFrame,
    indicators: &[usize],
    until: NaiveDate,
    buckets: Buckets,
) -> Result<LazyFrame, FusedError> {
    query_of(c, dataset, source, indicators, until, buckets, None)
}

/// [`fused_query`], with the sums of flags packed into integers when `packed_on` gives the
/// records' schema and the integers' layout ([`packed`]).
fn query_of(
    c: &Catalogue,
    dataset: &Dataset,
    source: LazyFrame,
    indicators: &[usize],
    until: NaiveDate,
    buckets: Buckets,
    packed_on: Option<(&Schema, packed::Layout)>,
) -> Result<LazyFrame, FusedError> {
    // distinct aggregations, and for each output column the index of its aggregation
    let Distinct { distinct, outputs } = distinct_parts(c, dataset, indicators, part_expr)?;
    let aggregated = |slot: usize| format!("__agg{slot}");
    let packing = match packed_on {
        Some((schema, layout)) => packed::Packing::of(&distinct, schema, layout),
        None => packed::Packing::none(distinct.len()),
    };
    let mut aggs: Vec<Expr> = distinct
        .into_iter()
        .enumerate()
        .filter(|(slot, _)| !packing.is_packed(*slot))
        .map(|(slot, e)| e.cast(DataType::Float64).alias(aggregated(slot)))
        .collect();
    aggs.extend(packing.aggregations());
    let (first, last) = date_window();
    let date = col(dataset.date.as_str()).cast(DataType::Date);
    let unit = col(dataset.unit.as_str())
        .cast(DataType::String)
        .alias(UNIT_KEY);
    // (key columns, their names, the period column of the result)
    let (keys, key_names, period) = match buckets {
        Buckets::Of(grain) => (
            vec![unit, bucket_key(date.clone(), grain)],
            vec![col(UNIT_KEY), col(BUCKET_KEY)],
            bucket_yyyymm(col(BUCKET_KEY), grain),
        ),
        Buckets::Only(p) => {
            let start = p.start();
            let yyyymm = start.year() * 100 + start.month() as i32;
            (vec![unit], vec![col(UNIT_KEY)], lit(yyyymm))
        }
    };
    let mut select = vec![col(UNIT_KEY).alias(UNIT_COLUMN), period.alias(MONTH_COLUMN)];
    select.extend(outputs.iter().map(|(name, slot)| {
        packing
            .unpacked(*slot)
            .unwrap_or_else(|| col(aggregated(*slot)))
            .alias(name.as_str())
    }));
    select.extend(packing.records());
    // the one period's records only: its bounds come from the file's statistics when it has
    // them (`date_bounds`), and a record those misstate is left out, not counted in a period
    // it is not of (as polars' own skipping of row groups by the same statistics would)
    let (first, last) = match buckets {
        Buckets::Only(p) => (first.max(p.start()), last.min(p.end())),
        Buckets::Of(_) => (first, last),
    };
    let in_range = date.clone().gt_eq(lit(first).cast(DataType::Date)).and(
        date.clone()
            .lt_eq(lit(until.min(last)).cast(DataType::Date)),
    );
    let query = source
        .filter(in_range)
        .with_columns(keys)
        .with_columns(packing.columns())
        .group_by(key_names)
        .agg(aggs)
        .select(select)
        .sort([UNIT_COLUMN, MONTH_COLUMN], SortMultipleOptions::default());
    Ok(query)
}

/// What the parts of some measures make: each distinct one once, and for each output column
/// (`<indicator id>__<part>`) the index of its own among them.
pub(super) struct Distinct<T> {
    pub(super) distinct: Vec<T>,
    pub(super) outputs: Vec<(String, usize)>,
}

/// Every part of the measures of `indicators` made by `make` from its SQL and the measure's
/// parsed filter, identical ones once (the `COUNT(*)` of several denominators, say). An
/// expression polars cannot parse is the error of its indicator and part.
pub(super) fn distinct_parts<T: PartialEq>(
    c: &Catalogue,
    dataset: &Dataset,
    indicators: &[usize],
    make: impl Fn(&str, Option<&Expr>) -> PolarsResult<T>,
) -> Result<Distinct<T>, FusedError> {
    let mut distinct: Vec<T> = Vec::new();
    let mut outputs: Vec<(String, usize)> = Vec::new();
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
            let made = make(sql, filter.as_ref()).map_err(err)?;
            let slot = match distinct.iter().position(|e| *e == made) {
                Some(slot) => slot,
                None => {
                    distinct.push(made);
                    distinct.len() - 1
                }
            };
            outputs.push((column_name(&indicator.id, part), slot));
        }
    }
    Ok(Distinct { distinct, outputs })
}

/// The SQL expressions of a measure's parts, in output-column order.
pub fn parts(m: &ComputedMeasure) -> Vec<(Part, &str)> {
    [
        (Part::Numerator, &m.numerator),
        (Part::Denominator, &m.denominator),
        (Part::Value, &m.value),
    ]
    .into_iter()
    .filter_map(|(p, s)| s.as_ref().map(|s| (p, s.get_ref().as_str())))
    .collect()
}

/// The plan of the fused query of `dataset`, as polars prints it: optimized over the real file
/// when `file` is given (showing the projection and predicate pushed into the scan), else the
/// logical plan over an empty frame of the declared columns.
pub fn describe(
    c: &Catalogue,
    dataset: &Dataset,
    file: Option<&Path>,
) -> Result<String, FusedError> {
    let indicators = indicators_of(c, &dataset.name);
    let until = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX);
    let err = |source| FusedError::Scan {
        dataset: dataset.name.clone(),
        path: file.map(|f| f.display().to_string()).unwrap_or_default(),
        source,
    };
    match file {
        Some(path) => {
            let query = fused_query(
                c,
                dataset,
                scan(dataset, path).map_err(|d| err(first_error(d)))?,
                &indicators,
                until,
                Buckets::Of(Grain::Month),
            )?;
            query.describe_optimized_plan().map_err(err)
        }
        None => {
            let mut names = vec![dataset.unit.clone(), dataset.date.clone()];
            names.extend(dataset.columns.clone().unwrap_or_default());
            let columns: Vec<Column> = names
                .iter()
                .map(|n| Column::new(n.as_str().into(), Vec::<Option<String>>::new()))
                .collect();
            let empty = DataFrame::new_infer_height(columns).map_err(err)?;
            let query = fused_query(
                c,
                dataset,
                empty.lazy(),
                &indicators,
                until,
                Buckets::Of(Grain::Month),
            )?;
            query.describe_plan().map_err(err)
        }
    }
}

/// Partial sums: one row per (unit id, period) as the fused scan or a partial file gives them
/// (months, or the quarters or years of a scan at a coarser [`Grain`]), with the [numerator,
/// denominator, value] of every indicator of `indicators` (columns without a figure are
/// `None`). Rows are in the order read; a (unit, period) may occur in several [`Partials`] (one
/// per dataset), and [`super::values::Values`] sums them.
#[derive(Debug, Default, Clone)]
pub struct Partials {
    /// Catalogue index of the indicator in each slot of a row.
    pub indicators: Vec<usize>,
    /// Unit id of each row.
    pub units: Vec<String>,
    /// Period of each row, all of one grain.
    pub periods: Vec<Period>,
    /// Row-major: `parts[row * indicators.len() + slot]`.
    pub parts: Vec<[Option<f64>; 3]>,
}

impl Partials {
    /// Every (unit, period, indicator index, parts) with at least one figure.
    #[cfg(test)]
    pub fn cells(&self) -> impl Iterator<Item = (&str, Period, usize, [Option<f64>; 3])> + '_ {
        let width = self.indicators.len();
        self.units
            .iter()
            .zip(&self.periods)
            .enumerate()
            .flat_map(move |(row, (unit, &period))| {
                self.indicators
                    .iter()
                    .enumerate()
                    .filter_map(move |(slot, &k)| {
                        let parts = self.parts[row * width + slot];
                        parts.iter().any(Option::is_some).then_some((
                            unit.as_str(),
                            period,
                            k,
                            parts,
                        ))
                    })
            })
    }

    /// The parts of one cell, if it has a figure (summed when the (unit, period) occurs twice).
    #[cfg(test)]
    pub fn cell(&self, unit: &str, period: Period, k: usize) -> Option<[Option<f64>; 3]> {
        let mut found: Option<[Option<f64>; 3]> = None;
        for (u, p, i, parts) in self.cells() {
            if u == unit && p == period && i == k {
                super::values::add_parts(found.get_or_insert([None; 3]), &parts);
            }
        }
        found
    }
}

/// Runs the fused query of `dataset` (file `path`) and collects the partials of `grain`.
pub fn evaluate(
    c: &Catalogue,
    dataset: &Dataset,
    path: &Path,
    until: NaiveDate,
    grain: Grain,
    units: Option<&[&str]>,
) -> Result<Partials, FusedError> {
    let frame = partial_table(c, dataset, path, until, grain, units)?;
    partials_of(&frame, c, grain).map_err(|source| FusedError::Scan {
        dataset: dataset.name.clone(),
        path: path.display().to_string(),
        source,
    })
}

/// The partial table of `dataset` (file `path`): the fused query's result, one row per unit and
/// period of `grain` with records up to `until` (columns [`UNIT_COLUMN`], [`MONTH_COLUMN`] — the
/// period's first month —, `<id>__<part>`). Empty, without indicator columns, when no computed
/// indicator reads the dataset. With the ids of units.csv (`units`), a dataset whose measures
/// allow it is summed by the dense scan ([`dense`]), else by polars' group-by.
pub fn partial_table(
    c: &Catalogue,
    dataset: &Dataset,
    path: &Path,
    until: NaiveDate,
    grain: Grain,
    units: Option<&[&str]>,
) -> Result<DataFrame, FusedError> {
    let indicators = indicators_of(c, &dataset.name);
    let scan_err = |source| FusedError::Scan {
        dataset: dataset.name.clone(),
        path: path.display().to_string(),
        source,
    };
    if indicators.is_empty() {
        return DataFrame::new_infer_height(vec![
            Column::new(UNIT_COLUMN.into(), Vec::<String>::new()),
            Column::new(MONTH_COLUMN.into(), Vec::<i32>::new()),
        ])
        .map_err(scan_err);
    }
    guarded(dataset, path, || {
        scanned_table(
            c,
            dataset,
            path,
            &indicators,
            until,
            grain,
            CHUNK_BYTES,
            units,
        )
    })
}

/// The partial table of `dataset`: records up to `until` into periods of `grain`, in queries of
/// at most `chunk_bytes` of row groups ([`chunks_of`]).
#[allow(clippy::too_many_arguments)]
fn scanned_table(
    c: &Catalogue,
    dataset: &Dataset,
    path: &Path,
    indicators: &[usize],
    until: NaiveDate,
    grain: Grain,
    chunk_bytes: u64,
    units: Option<&[&str]>,
) -> Result<DataFrame, FusedError> {
    let scan_err = |source| FusedError::Scan {
        dataset: dataset.name.clone(),
        path: path.display().to_string(),
        source,
    };
    let source = scan(dataset, path).map_err(|d| scan_err(first_error(d)))?;
    let bounds = date_bounds(dataset, path, &source).map_err(scan_err)?;
    let buckets = match one_period(bounds, grain) {
        Some(p) => Buckets::Only(p),
        None => Buckets::Of(grain),
    };
    // polars' streaming engine: the records pass through in morsels, so memory does not grow
    // with the file
    let query = fused_query(c, dataset, source.clone(), indicators, until, buckets)?;
    // a measure the columns' types do not allow (`SUM(kenh)` of a text column) fails when the
    // plan is resolved, before any record is read: name its indicator
    if let Err(e) = query.clone().collect_schema() {
        for &k in indicators {
            let one = fused_query(c, dataset, source.clone(), &[k], until, buckets)?;
            if let Err(source) = one.clone().collect_schema() {
                return Err(FusedError::Expression {
                    dataset: dataset.name.clone(),
                    indicator: c.indicators[k].id.clone(),
                    part: "measure".to_string(),
                    source,
                });
            }
        }
        return Err(scan_err(e));
    }
    let chunks = chunks_of(path, chunk_bytes).map_err(scan_err)?;
    let schema = source.clone().collect_schema().map_err(scan_err)?;
    // the file's chunks of row groups, one query each (polars reads a Parquet file through a
    // memory map, whose pages count in the process' memory until the query ends), and their
    // records' number (unknown for CSV and XLSX)
    let parts: Vec<(LazyFrame, Option<u64>)> = match chunks.len() {
        0 | 1 => vec![(source, chunks.first().map(|rows| rows.end - rows.start))],
        _ => chunks
            .iter()
            .map(|rows| {
                let n = rows.end - rows.start;
                (
                    source.clone().slice(rows.start as i64, n as IdxSize),
                    Some(n),
                )
            })
            .collect(),
    };
    if let (Buckets::Of(_), Some(units), Some(bounds)) = (buckets, units, bounds) {
        let frames: Vec<LazyFrame> = parts.iter().map(|(part, _)| part.clone()).collect();
        let dense = dense::table(
            c, dataset, &frames, indicators, until, grain, units, bounds, scan_err,
        )?;
        if let Some(table) = dense {
            return Ok(table);
        }
    }
    // the flags of each query packed into integers as wide as the groups before need; the
    // partial sums of several chunks added
    let mut packer = packed::Packer::default();
    let mut frames = Vec::with_capacity(parts.len());
    for (part, rows) in parts {
        let query = |layout: Option<packed::Layout>| {
            let packed_on = layout.map(|l| (schema.as_ref(), l));
            query_of(
                c,
                dataset,
                part.clone(),
                indicators,
                until,
                buckets,
                packed_on,
            )
        };
        frames.push(packer.collect(query, rows, scan_err)?);
    }
    match frames.len() {
        1 => Ok(frames.swap_remove(0)),
        _ => added(frames.into_iter().map(IntoLazy::lazy).collect()).map_err(scan_err),
    }
}

/// The records a flag counts: its true values, a null counting 0 (its value bit and'ed with
/// its validity).
fn true_bits(flag: &polars_arrow::array::BooleanArray) -> polars_arrow::bitmap::Bitmap {
    match flag.validity() {
        Some(valid) => flag.values() & valid,
        None => flag.values().clone(),
    }
}

/// Collects a fused query with polars' streaming engine.
pub(super) fn collect(query: LazyFrame) -> PolarsResult<DataFrame> {
    match query.collect_with_engine(Engine::Streaming)? {
        QueryResult::Single(frame) => Ok(frame),
        QueryResult::Multiple(_) => {
            polars_bail!(ComputeError: "the fused query gave several results")
        }
    }
}

/// Reads a partial table (unit, month, `<id>__<part>`…) into [`Partials`]; columns that name no
/// computed indicator of `c` are left out, and so are rows without a unit or a month. Each row
/// is the period of `grain` that starts with its month (partial files are monthly).
pub fn partials_of(frame: &DataFrame, c: &Catalogue, grain: Grain) -> PolarsResult<Partials> {
    let index: HashMap<&str, usize> = c
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.measure, Measure::Computed(_)))
        .map(|(k, i)| (i.id.as_str(), k))
        .collect();
    let mut indicators: Vec<usize> = Vec::new();
    let mut columns: Vec<(usize, Part, &Float64Chunked)> = Vec::new();
    for column in frame.columns() {
        let Some((id, part)) = parse_column_name(column.name().as_str()) else {
            continue;
        };
        let Some(&k) = index.get(id) else {
            continue;
        };
        let slot = match indicators.iter().position(|&i| i == k) {
            Some(slot) => slot,
            None => {
                indicators.push(k);
                indicators.len() - 1
            }
        };
        columns.push((slot, part, column.f64()?));
    }
    let mut kept = Vec::new();
    let mut units = Vec::new();
    let mut periods = Vec::new();
    let unit_column = frame.column(UNIT_COLUMN)?.str()?;
    let month_column = frame.column(MONTH_COLUMN)?.i32()?;
    for (row, key) in unit_column.iter().zip(month_column.iter()).enumerate() {
        if let (Some(unit), Some(month)) = key {
            kept.push(row);
            units.push(unit.to_string());
            periods.push(grain.period_of(month / 100, (month % 100) as u32));
        }
    }
    let width = indicators.len();
    let mut parts = vec![[None; 3]; periods.len() * width];
    for (slot, part, values) in columns {
        let values: Vec<Option<f64>> = values.iter().collect();
        for (row, &source) in kept.iter().enumerate() {
            parts[row * width + slot][part.slot()] = values[source];
        }
    }
    Ok(Partials {
        indicators,
        units,
        periods,
        parts,
    })
}

mod bounds;
mod check;
mod chunks;
mod dense;
mod packed;

use bounds::{date_bounds, one_period};
pub use check::check_dataset;
use chunks::{added, chunks_of, CHUNK_BYTES};

#[cfg(test)]
mod tests;

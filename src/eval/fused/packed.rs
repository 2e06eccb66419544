//! Flags packed three to an integer: the group-by's sums of booleans (`SUM(CASE WHEN c THEN 1
//! ELSE 0 END)`, which [`super::plain_sums`] makes the sum of `c`) added as 16-bit fields of one
//! `u64` per three flags. polars' group-by updates each aggregation of each record in turn (a
//! read and a write of the group's state: 23 % of the national year's scan with 8 flags); three
//! flags in one integer are one update. A field counts at most the records of its group, so it
//! cannot carry into the next while the group has at most [`MAX_RECORDS`] records: the query
//! counts them ([`RECORDS`]), and a result with a larger group is made again without packing
//! ([`collect`]). The third field ends at bit 48, so that the sum of a query of fewer than
//! [`MAX_ROWS`] records stays below 2^64 even when a field carries; a query of more, or of an
//! unknown number, is not packed. Only sums of elementwise booleans are packed: a measure's
//! filter (`col.filter(mask)`), an aggregation inside the sum or a non-boolean term keeps its
//! own aggregation.

use polars::prelude::*;

use super::FusedError;

/// Bits of a flag's field in a packed integer.
const FIELD_BITS: u32 = 16;
/// Fields of one `u64`: a record's packed value is below 2^33.
const FIELDS: usize = 3;
/// The records a group may have for its packed sums to be exact: a field's largest value.
pub(super) const MAX_RECORDS: u64 = (1 << FIELD_BITS) - 1;
/// The records a packed query may read: their packed values (each below 2^33) sum below 2^64.
const MAX_ROWS: u64 = 1 << 31;
/// The column of the records of each group, when flags are packed.
pub(super) const RECORDS: &str = "__records";

/// Which of the distinct aggregations of a fused query are packed, and where.
#[derive(Debug, Clone, Default)]
pub(super) struct Packing {
    /// For each distinct aggregation, its (pack, field) when it is a packed flag.
    place: Vec<Option<(usize, usize)>>,
    /// Each pack's flags (the booleans summed), in field order.
    packs: Vec<Vec<Expr>>,
}

impl Packing {
    /// No aggregation of `n` packed.
    pub(super) fn none(n: usize) -> Packing {
        Packing {
            place: vec![None; n],
            packs: Vec::new(),
        }
    }

    /// The packing of the aggregations `distinct` on records of `schema`: every sum of an
    /// elementwise boolean, three to a pack; none when fewer than two are.
    pub(super) fn of(distinct: &[Expr], schema: &Schema) -> Packing {
        let flags: Vec<Option<Expr>> = distinct.iter().map(|e| flag_of(e, schema)).collect();
        if flags.iter().flatten().count() < 2 {
            return Packing::none(distinct.len());
        }
        let mut packing = Packing::none(0);
        let mut n = 0;
        for flag in flags {
            packing.place.push(flag.map(|flag| {
                let (pack, field) = (n / FIELDS, n % FIELDS);
                if field == 0 {
                    packing.packs.push(Vec::new());
                }
                packing.packs[pack].push(flag);
                n += 1;
                (pack, field)
            }));
        }
        packing
    }

    /// Whether the distinct aggregation `slot` is packed.
    pub(super) fn is_packed(&self, slot: usize) -> bool {
        self.place.get(slot).is_some_and(Option::is_some)
    }

    /// The packs, each a column of one integer per record (before the group-by: a function of
    /// polars' inside an aggregation would take the group-by out of the streaming engine).
    pub(super) fn columns(&self) -> Vec<Expr> {
        self.packs
            .iter()
            .enumerate()
            .map(|(j, flags)| {
                map_multiple(pack, flags, |_: &Schema, fields: &[Field]| {
                    let name = fields.first().map(|f| f.name().clone()).unwrap_or_default();
                    Ok(Field::new(name, DataType::UInt64))
                })
                .alias(pack_name(j))
            })
            .collect()
    }

    /// The aggregations of the packs, and the records of each group when there are packs.
    pub(super) fn aggregations(&self) -> Vec<Expr> {
        let mut aggs: Vec<Expr> = (0..self.packs.len())
            .map(|j| col(pack_name(j)).sum())
            .collect();
        if !aggs.is_empty() {
            aggs.push(len().cast(DataType::UInt64).alias(RECORDS));
        }
        aggs
    }

    /// The sum of the packed aggregation `slot` (f64, as the others), read from its field.
    pub(super) fn unpacked(&self, slot: usize) -> Option<Expr> {
        let (pack, field) = (*self.place.get(slot)?)?;
        let shifted = col(pack_name(pack)).floor_div(lit(1u64 << (FIELD_BITS as usize * field)));
        Some((shifted % lit(1u64 << FIELD_BITS)).cast(DataType::Float64))
    }

    /// The output columns the packing adds: the records of each group when there are packs.
    pub(super) fn records(&self) -> Option<Expr> {
        (!self.packs.is_empty()).then(|| col(RECORDS))
    }
}

/// The flags of one pack as one integer per record: the k-th flag's bit (a null counts 0) at bit
/// 16k. One pass over each flag's bits, where polars' cast of a boolean to an integer went
/// record by record and its multiplication and sum were three passes more.
fn pack(flags: &mut [Column]) -> PolarsResult<Column> {
    let n = flags.first().map_or(0, Column::len);
    // the first flag's bits written, the others' added: a buffer zeroed by `vec![0; n]` would
    // read as the kernel's zero page until its first write, which then faults every page again
    // (a copy and a flush of every core's TLB: three times the scan)
    let mut packed: Vec<u64> = Vec::with_capacity(n);
    for (field, column) in flags.iter().enumerate() {
        polars_ensure!(column.len() == n, ComputeError: "packed flags of different lengths");
        let shift = FIELD_BITS * field as u32;
        let mut at = 0;
        for array in column.bool()?.downcast_iter() {
            let set = match array.validity() {
                Some(valid) => array.values() & valid,
                None => array.values().clone(),
            };
            match field {
                0 => first_field(&mut packed, &set),
                _ => add_field(&mut packed[at..at + array.len()], &set, shift),
            }
            at += array.len();
        }
    }
    let name = flags.first().map(|c| c.name().clone()).unwrap_or_default();
    Ok(Column::new(name, packed))
}

/// Each byte's eight bits as eight 0s and 1s, lowest bit first.
static SPREAD: [[u64; 8]; 256] = spread();

const fn spread() -> [[u64; 8]; 256] {
    let mut table = [[0u64; 8]; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut j = 0;
        while j < 8 {
            table[byte][j] = ((byte >> j) & 1) as u64;
            j += 1;
        }
        byte += 1;
    }
    table
}

/// Appends to `packed` each flag of `set` as 0 or 1, a byte of flags at a time.
fn first_field(packed: &mut Vec<u64>, set: &polars_arrow::bitmap::Bitmap) {
    let mut words = set.fast_iter_u56();
    for word in &mut words {
        for k in 0..7 {
            packed.extend_from_slice(&SPREAD[((word >> (8 * k)) & 0xFF) as usize]);
        }
    }
    let (last, left) = words.remainder();
    packed.extend((0..left).map(|j| (last >> j) & 1));
}

/// Adds bit `shift` to each of `packed` whose flag in `set` is true (`set` as long as
/// `packed`), a byte of flags at a time.
fn add_field(packed: &mut [u64], set: &polars_arrow::bitmap::Bitmap, shift: u32) {
    let mut words = set.fast_iter_u56();
    let mut at = 0;
    for word in &mut words {
        for (k, eight) in packed[at..at + 56].chunks_exact_mut(8).enumerate() {
            let spread = &SPREAD[((word >> (8 * k)) & 0xFF) as usize];
            for (slot, bit) in eight.iter_mut().zip(spread) {
                *slot |= bit << shift;
            }
        }
        at += 56;
    }
    let (last, left) = words.remainder();
    for (j, slot) in packed[at..at + left].iter_mut().enumerate() {
        *slot |= ((last >> j) & 1) << shift;
    }
}

/// The column of pack `j`.
fn pack_name(j: usize) -> String {
    format!("__pack{j}")
}

/// The boolean `c` of an aggregation `sum(c)` when `c` is elementwise (see [`elementwise`]).
fn flag_of(aggregation: &Expr, schema: &Schema) -> Option<Expr> {
    let Expr::Agg(AggExpr::Sum(inner)) = aggregation else {
        return None;
    };
    let is_bool = inner
        .to_field(schema)
        .is_ok_and(|field| field.dtype().is_bool());
    // a flag of no column (`CASE WHEN TRUE …`) is one value per group, not one per record
    let reads_a_column = inner.into_iter().any(|e| matches!(e, Expr::Column(_)));
    (is_bool && reads_a_column && elementwise(inner)).then(|| inner.as_ref().clone())
}

/// Whether `expr` gives one value per record from that record alone: columns, literals,
/// arithmetic and comparisons, casts, `CASE`, `IS [NOT] NULL` and `NOT` — what polars' SQL
/// makes of a `CASE WHEN` condition. Anything else (a filter, an aggregation, a window) is not
/// packed.
fn elementwise(expr: &Expr) -> bool {
    expr.into_iter().all(|e| match e {
        Expr::Column(_)
        | Expr::Literal(_)
        | Expr::BinaryExpr { .. }
        | Expr::Cast { .. }
        | Expr::Ternary { .. }
        | Expr::Alias(..) => true,
        Expr::Function { function, .. } => matches!(
            function,
            FunctionExpr::Boolean(
                BooleanFunction::IsNull | BooleanFunction::IsNotNull | BooleanFunction::Not
            )
        ),
        _ => false,
    })
}

/// Collects the fused query `make` gives over `rows` records (when known) with flags packed
/// (`make(true)`) when they are fewer than [`MAX_ROWS`], and again without (`make(false)`)
/// when a group has more records than the packed sums count exactly; the records column left
/// out of the result.
pub(super) fn collect(
    make: impl Fn(bool) -> Result<LazyFrame, FusedError>,
    rows: Option<u64>,
    scan_err: impl Fn(PolarsError) -> FusedError,
) -> Result<DataFrame, FusedError> {
    if rows.is_none_or(|n| n >= MAX_ROWS) {
        return super::collect(make(false)?).map_err(scan_err);
    }
    let frame = super::collect(make(true)?).map_err(&scan_err)?;
    let Ok(records) = frame.column(RECORDS) else {
        return Ok(frame);
    };
    let most = records
        .as_materialized_series()
        .max::<u64>()
        .map_err(&scan_err)?
        .unwrap_or(0);
    if most <= MAX_RECORDS {
        return frame.drop(RECORDS).map_err(scan_err);
    }
    super::collect(make(false)?).map_err(scan_err)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::data::Period;
    use crate::definition::load::load_from_strings;
    use crate::definition::Catalogue;
    use crate::eval::fused::{indicators_of, query_of, Buckets};

    const CATALOGUE: &str = r#"
id = "t"
title = "t"
[dataset.ho_so]
unit = "don_vi"
date = "ngay"
columns = ["a", "b", "c"]
"#;
    /// Five flags (three in the first pack, two in the second), a `COUNT(*)` and a filtered
    /// count, which is not packed.
    const INDICATORS: &str = r#"
[[indicator]]
id = "i1"
name = "a"
unit = "%"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
numerator = "SUM(CASE WHEN a THEN 1 ELSE 0 END)"
denominator = "COUNT(*)"
[[indicator]]
id = "i2"
name = "a and b"
unit = "%"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
numerator = "SUM(CASE WHEN a AND b THEN 1 ELSE 0 END)"
denominator = "SUM(CASE WHEN b THEN 1 ELSE 0 END)"
[[indicator]]
id = "i3"
name = "c or none"
unit = "%"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
numerator = "SUM(CASE WHEN c IS NULL OR c THEN 1 ELSE 0 END)"
denominator = "SUM(CASE WHEN NOT b THEN 1 ELSE 0 END)"
[[indicator]]
id = "i4"
name = "not a"
unit = "count"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
value = "COUNT(*)"
filter = "NOT a"
"#;

    fn catalogue() -> Catalogue {
        let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        loaded.catalogue
    }

    /// `n` records of unit `unit`: `a` every second record, `b` every third, `c` null every
    /// fifth and true every other of the rest.
    fn records(unit: &str, n: usize) -> DataFrame {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        let c: Vec<Option<bool>> = (0..n).map(|r| (r % 5 != 0).then_some(r % 2 == 1)).collect();
        df!(
            "don_vi" => vec![unit; n],
            "ngay" => vec![day; n],
            "a" => (0..n).map(|r| r % 2 == 0).collect::<Vec<_>>(),
            "b" => (0..n).map(|r| r % 3 == 0).collect::<Vec<_>>(),
            "c" => c,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The partial table of `frame` for 2026, with flags packed (falling back as the scan
    /// does) or not.
    fn table(c: &Catalogue, frame: &DataFrame, pack: bool) -> DataFrame {
        let schema = frame.schema().clone();
        let make = |packed: bool| {
            let on = (pack && packed).then_some(schema.as_ref());
            let until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
            let buckets = Buckets::Only(Period::Year(2026));
            let indicators = indicators_of(c, "ho_so");
            query_of(
                c,
                &c.datasets[0],
                frame.clone().lazy(),
                &indicators,
                until,
                buckets,
                on,
            )
        };
        collect(make, Some(frame.height() as u64), |e| FusedError::Scan {
            dataset: String::new(),
            path: String::new(),
            source: e,
        })
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn column(frame: &DataFrame, name: &str) -> Vec<Option<f64>> {
        frame
            .column(name)
            .and_then(|c| c.f64().map(|c| c.iter().collect()))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn five_flags_make_two_packs_and_the_filtered_count_its_own_sum() {
        let c = catalogue();
        let (distinct, schema) = {
            let made = crate::eval::fused::distinct_parts(
                &c,
                &c.datasets[0],
                &indicators_of(&c, "ho_so"),
                crate::eval::fused::part_expr,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            (made.distinct, records("x", 1).schema().clone())
        };
        let packing = Packing::of(&distinct, &schema);
        // sum(a), len, sum(a & b), sum(b), sum(c null or c), sum(not b), the filtered len
        assert_eq!(distinct.len(), 7);
        let packed: Vec<bool> = (0..7).map(|slot| packing.is_packed(slot)).collect();
        assert_eq!(packed, [true, false, true, true, true, true, false]);
        assert_eq!(
            packing.packs.iter().map(Vec::len).collect::<Vec<_>>(),
            [3, 2]
        );
    }

    #[test]
    fn packed_sums_are_the_plain_sums() {
        let c = catalogue();
        // 3,000 records: every count below is by hand from the rule of `records`
        let mut frame = records("x", 3_000);
        frame
            .vstack_mut(&records("y", 7))
            .unwrap_or_else(|e| panic!("{e}"));
        let packed = table(&c, &frame, true);
        assert_eq!(packed, table(&c, &frame, false));
        // x: a 1,500; a and b (r divisible by 6) 500; b 1,000; not b 2,000; c null (r % 5 = 0)
        // 600 + c true (odd r not divisible by 5) 1,200 = 1,800; not a 1,500
        // y (r = 0…6): a 4 (0, 2, 4, 6); a and b 2 (0, 6); b 3; not b 4; c null 2 (0, 5) +
        // true 2 (1, 3) = 4; not a 3
        assert_eq!(column(&packed, "i1__numerator"), [Some(1500.0), Some(4.0)]);
        assert_eq!(
            column(&packed, "i1__denominator"),
            [Some(3000.0), Some(7.0)]
        );
        assert_eq!(column(&packed, "i2__numerator"), [Some(500.0), Some(2.0)]);
        assert_eq!(
            column(&packed, "i2__denominator"),
            [Some(1000.0), Some(3.0)]
        );
        assert_eq!(column(&packed, "i3__numerator"), [Some(1800.0), Some(4.0)]);
        assert_eq!(
            column(&packed, "i3__denominator"),
            [Some(2000.0), Some(4.0)]
        );
        assert_eq!(column(&packed, "i4__value"), [Some(1500.0), Some(3.0)]);
        assert!(packed.column(RECORDS).is_err());
    }

    #[test]
    fn a_group_of_more_records_than_a_field_counts_is_summed_without_packing() {
        let c = catalogue();
        // 140,000 records of one unit: the 70,000 of `a` would carry past a field's 65,535
        // into the next field
        let frame = records("x", 140_000);
        let got = table(&c, &frame, true);
        assert_eq!(column(&got, "i1__numerator"), [Some(70_000.0)]);
        assert_eq!(column(&got, "i1__denominator"), [Some(140_000.0)]);
        // b: r divisible by 3 among 0…139,999 = 46,667; not b 93,333
        assert_eq!(column(&got, "i2__denominator"), [Some(46_667.0)]);
        assert_eq!(column(&got, "i3__denominator"), [Some(93_333.0)]);
        assert_eq!(got, table(&c, &frame, false));
    }

    #[test]
    fn a_pack_holds_each_flag_at_its_field_and_a_null_as_false() {
        // 200 records sliced from the 3rd: fields cross 56-bit words and end in a remainder,
        // the bitmaps start mid-byte
        let a: Vec<Option<bool>> = (0..200)
            .map(|r| (r % 7 != 0).then_some(r % 2 == 0))
            .collect();
        let b: Vec<bool> = (0..200).map(|r| r % 3 == 0).collect();
        let frame = df!("a" => a.clone(), "b" => b.clone()).unwrap_or_else(|e| panic!("{e}"));
        let frame = frame.slice(3, 130);
        let mut columns = [frame.column("a"), frame.column("b")]
            .map(|c| c.cloned().unwrap_or_else(|e| panic!("{e}")));
        let packed = pack(&mut columns).unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<Option<u64>> = packed.u64().map(|c| c.iter().collect()).unwrap_or_default();
        let expected: Vec<Option<u64>> = (3..133)
            .map(|r| {
                let a = u64::from(a[r] == Some(true));
                Some(a + (u64::from(b[r]) << 16))
            })
            .collect();
        assert_eq!(got, expected);
    }
}

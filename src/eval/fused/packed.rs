//! Flags packed into integers: the group-by's sums of booleans (`SUM(CASE WHEN c THEN 1 ELSE 0
//! END)`, which [`super::plain_sums`] makes the sum of `c`) added as fields of one `u64` per two
//! or more flags. polars' group-by updates each aggregation of each record in turn (a read and a
//! write of the group's state: 23 % of the national year's scan with 8 flags); several flags in
//! one integer are one update.
//!
//! A field holds the sums of its group exactly while the group has fewer records than its bits
//! count; the query counts each group's records ([`RECORDS`]) and a result with a larger group is
//! made again without packing. How wide ([`Packer`]): a dataset's first query (the first chunk
//! of its file) gives each field the bits that hold all its records, which no group can exceed;
//! each later one the bits that hold twice the most records of a group seen so far — narrower
//! fields, more of them to an integer (the national year: two flags to an integer in the first
//! chunk, four in the others). [`Layout`] keeps the sum of every record's packed value below
//! 2^64 whatever the width, so that no query overflows. A query of an unknown number of records
//! (CSV, XLSX) is not packed. Only sums of elementwise booleans are packed: a measure's filter
//! (`col.filter(mask)`), an aggregation inside the sum or a non-boolean term keeps its own
//! aggregation.

use polars::prelude::*;

use super::FusedError;

/// The column of the records of each group, when flags are packed.
pub(super) const RECORDS: &str = "__records";

/// The bits that hold `n`.
fn bits(n: u64) -> u32 {
    (u64::BITS - n.leading_zeros()).max(1)
}

/// The fields of a query's packed integers: `width` bits each, and as many to a `u64` as keep
/// the sum of `rows` records' packed values below 2^64 (a value is below
/// 2^((fields − 1) · width + 1), `rows` below 2^bits(rows)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    width: u32,
    fields: usize,
}

impl Layout {
    pub(super) fn new(width: u32, rows: u64) -> Layout {
        let room = 63u32.saturating_sub(bits(rows));
        Layout {
            width,
            fields: (room / width.max(1)) as usize + 1,
        }
    }

    /// The most records a group may have for its fields to hold its sums.
    fn most(self) -> u64 {
        (1u64 << self.width) - 1
    }
}

/// How the queries of one dataset pack their flags (see the module documentation).
#[derive(Debug, Clone, Default)]
pub(super) struct Packer {
    /// The most records of a group in the queries so far.
    most: Option<u64>,
}

impl Packer {
    /// The layout of a query of `rows` records.
    pub(super) fn layout(&self, rows: u64) -> Layout {
        let all = bits(rows);
        let width = self
            .most
            .map_or(all, |m| bits(m.saturating_mul(2)).min(all));
        Layout::new(width, rows)
    }

    /// Collects the fused query `make` gives over `rows` records (when known) with flags packed
    /// (`make(Some(layout))`), and again without (`make(None)`) when a group has more records
    /// than the layout's fields hold; the records column left out of the result.
    pub(super) fn collect(
        &mut self,
        make: impl Fn(Option<Layout>) -> Result<LazyFrame, FusedError>,
        rows: Option<u64>,
        scan_err: impl Fn(PolarsError) -> FusedError,
    ) -> Result<DataFrame, FusedError> {
        let Some(layout) = rows.map(|n| self.layout(n)) else {
            return super::collect(make(None)?).map_err(scan_err);
        };
        let frame = super::collect(make(Some(layout))?).map_err(&scan_err)?;
        let Ok(records) = frame.column(RECORDS) else {
            return Ok(frame);
        };
        let most = records
            .as_materialized_series()
            .max::<u64>()
            .map_err(&scan_err)?
            .unwrap_or(0);
        self.most = Some(self.most.unwrap_or(0).max(most));
        if most <= layout.most() {
            return frame.drop(RECORDS).map_err(scan_err);
        }
        super::collect(make(None)?).map_err(scan_err)
    }
}

/// Which of the distinct aggregations of a fused query are packed, and where.
#[derive(Debug, Clone, Default)]
pub(super) struct Packing {
    /// For each distinct aggregation, its (pack, field) when it is a packed flag.
    place: Vec<Option<(usize, usize)>>,
    /// Each pack's flags (the booleans summed), in field order.
    packs: Vec<Vec<Expr>>,
    /// The bits of each field.
    width: u32,
}

impl Packing {
    /// No aggregation of `n` packed.
    pub(super) fn none(n: usize) -> Packing {
        Packing {
            place: vec![None; n],
            packs: Vec::new(),
            width: 0,
        }
    }

    /// The packing of the aggregations `distinct` on records of `schema`: every sum of an
    /// elementwise boolean, as many to a pack as `layout` has fields; none when fewer than two
    /// flags would share a pack.
    pub(super) fn of(distinct: &[Expr], schema: &Schema, layout: Layout) -> Packing {
        let flags: Vec<Option<Expr>> = distinct.iter().map(|e| flag_of(e, schema)).collect();
        let fields = layout.fields;
        if fields < 2 || flags.iter().flatten().count() < 2 {
            return Packing::none(distinct.len());
        }
        let mut packing = Packing {
            width: layout.width,
            ..Packing::none(0)
        };
        let mut n = 0;
        for flag in flags {
            packing.place.push(flag.map(|flag| {
                let (pack, field) = (n / fields, n % fields);
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
        let width = self.width;
        self.packs
            .iter()
            .enumerate()
            .map(|(j, flags)| {
                let packed = move |flags: &mut [Column]| pack(flags, width);
                map_multiple(packed, flags, |_: &Schema, fields: &[Field]| {
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
        let shift = self.width as usize * field;
        let shifted = col(pack_name(pack)).floor_div(lit(1u64 << shift));
        Some((shifted % lit(1u64 << self.width)).cast(DataType::Float64))
    }

    /// The output columns the packing adds: the records of each group when there are packs.
    pub(super) fn records(&self) -> Option<Expr> {
        (!self.packs.is_empty()).then(|| col(RECORDS))
    }
}

/// The flags of one pack as one integer per record: the k-th flag's bit (a null counts 0) at bit
/// `width` · k. One pass over each flag's bits, where polars' cast of a boolean to an integer went
/// record by record and its multiplication and sum were three passes more.
fn pack(flags: &mut [Column], width: u32) -> PolarsResult<Column> {
    let n = flags.first().map_or(0, Column::len);
    // the first flag's bits written, the others' added: a buffer zeroed by `vec![0; n]` would
    // read as the kernel's zero page until its first write, which then faults every page again
    // (a copy and a flush of every core's TLB: three times the scan)
    let mut packed: Vec<u64> = Vec::with_capacity(n);
    for (field, column) in flags.iter().enumerate() {
        polars_ensure!(column.len() == n, ComputeError: "packed flags of different lengths");
        let shift = width * field as u32;
        let mut at = 0;
        for array in column.bool()?.downcast_iter() {
            let set = super::true_bits(array);
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
    /// Five flags, a `COUNT(*)`, and a filtered count and a filtered sum of a flag, which are
    /// not packed.
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
[[indicator]]
id = "i5"
name = "a among b"
unit = "count"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
value = "SUM(CASE WHEN a THEN 1 ELSE 0 END)"
filter = "b"
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

    /// The partial table of `frame` for 2026, with flags packed (by a new [`Packer`]) or not.
    fn table(c: &Catalogue, frame: &DataFrame, pack: bool) -> DataFrame {
        let mut packer = pack.then(Packer::default);
        table_by(c, frame, packer.as_mut(), Buckets::Only(Period::Year(2026)))
    }

    /// [`table`] by the periods `buckets`, packed by `packer` when given.
    fn table_by(
        c: &Catalogue,
        frame: &DataFrame,
        packer: Option<&mut Packer>,
        buckets: Buckets,
    ) -> DataFrame {
        let schema = frame.schema().clone();
        let make = |layout: Option<Layout>| {
            let on = layout.map(|l| (schema.as_ref(), l));
            let until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
            let indicators = indicators_of(c, "ho_so");
            let source = frame.clone().lazy();
            query_of(c, &c.datasets[0], source, &indicators, until, buckets, on)
        };
        let scan_err = |e| FusedError::Scan {
            dataset: String::new(),
            path: String::new(),
            source: e,
        };
        let got = match packer {
            Some(packer) => packer.collect(make, Some(frame.height() as u64), scan_err),
            None => make(None).and_then(|q| crate::eval::fused::collect(q).map_err(scan_err)),
        };
        got.unwrap_or_else(|e| panic!("{e}"))
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
        // 16-bit fields for 65,535 records: three to a pack
        let packing = Packing::of(&distinct, &schema, Layout::new(16, 65_535));
        // sum(a), len, sum(a & b), sum(b), sum(c null or c), sum(not b), the filtered len,
        // sum(a filtered by b)
        assert_eq!(distinct.len(), 8);
        let packed: Vec<bool> = (0..8).map(|slot| packing.is_packed(slot)).collect();
        assert_eq!(packed, [true, false, true, true, true, true, false, false]);
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
        assert_eq!(column(&packed, "i5__value"), [Some(500.0), Some(2.0)]);
        // unit, month and the 8 outputs: no other column
        assert_eq!(packed.width(), 10);
    }

    #[test]
    fn packed_sums_by_month_are_the_plain_sums() {
        let c = catalogue();
        // even records in January, odd ones in February: `a` (even records) all in January
        let mut frame = records("x", 3_000);
        let day = |m| NaiveDate::from_ymd_opt(2026, m, 15).unwrap_or_default();
        let days: Vec<NaiveDate> = (0..3_000).map(|r| day(1 + r % 2)).collect();
        frame
            .with_column(Column::new("ngay".into(), days))
            .unwrap_or_else(|e| panic!("{e}"));
        let by_month = Buckets::Of(crate::data::Grain::Month);
        let packed = table_by(&c, &frame, Some(&mut Packer::default()), by_month);
        assert_eq!(packed, table_by(&c, &frame, None, by_month));
        assert_eq!(column(&packed, "i1__numerator"), [Some(1500.0), Some(0.0)]);
        assert_eq!(
            column(&packed, "i1__denominator"),
            [Some(1500.0), Some(1500.0)]
        );
        // b (r divisible by 3): 500 even, 500 odd
        assert_eq!(
            column(&packed, "i2__denominator"),
            [Some(500.0), Some(500.0)]
        );
    }

    #[test]
    fn a_query_s_fields_hold_its_records_then_twice_the_most_of_a_group_seen() {
        let mut packer = Packer::default();
        // a first query: fields that hold all its records — a national chunk of 7.1M records
        // two to a u64, a province's 1.46M three
        let w = |width, fields| Layout { width, fields };
        assert_eq!(packer.layout(7_100_000), w(23, 2));
        assert_eq!(packer.layout(1_460_000), w(21, 3));
        assert_eq!(packer.layout(3_007), w(12, 5));
        assert_eq!(packer.layout(0), w(1, 63));
        // after groups of at most 2,000 records: 12-bit fields (4,000), four to a u64 in a
        // chunk of 7.1M (23 bits: 3 · 12 + 1 + 23 ≤ 64, the sum below 2^64)
        packer.most = Some(2_000);
        assert_eq!(packer.layout(7_100_000), w(12, 4));
        // never wider than the query's records need
        assert_eq!(packer.layout(100), w(7, 9));
        // 2^63 records: one field to a u64, nothing packed
        assert_eq!(Layout::new(64, 1 << 63).fields, 1);
    }

    #[test]
    fn a_group_of_more_records_than_16_bits_count_is_summed_exactly() {
        let c = catalogue();
        // 140,000 records of one unit, 70,000 of `a`: a first query's fields are 18 bits wide
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
    fn a_group_larger_than_its_fields_hold_is_summed_again_without_packing() {
        let c = catalogue();
        // groups of at most 100 records so far: 8-bit fields (up to 255); x has 1,000 records
        let mut packer = Packer { most: Some(100) };
        let mut frame = records("x", 1_000);
        frame
            .vstack_mut(&records("y", 7))
            .unwrap_or_else(|e| panic!("{e}"));
        let year = Buckets::Only(Period::Year(2026));
        let got = table_by(&c, &frame, Some(&mut packer), year);
        // x: a 500, not b (r not divisible by 3) 666; y as in `packed_sums_are_the_plain_sums`
        assert_eq!(column(&got, "i1__numerator"), [Some(500.0), Some(4.0)]);
        assert_eq!(column(&got, "i3__denominator"), [Some(666.0), Some(4.0)]);
        assert_eq!(got, table(&c, &frame, false));
        // the next query's fields hold 2,000
        assert_eq!(packer.most, Some(1_000));
        assert_eq!(packer.layout(1_000_000).width, 11);
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
        let packed = pack(&mut columns, 16).unwrap_or_else(|e| panic!("{e}"));
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

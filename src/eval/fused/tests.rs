//! Tests of `fused`.

use super::*;
use crate::definition::load::load_from_strings;
use crate::diagnostics::Sources;

const CATALOGUE: &str = r#"
id = "t"
title = "t"
[dataset.ho_so]
unit = "ma_don_vi"
date = "ngay"
columns = ["kenh", "mat"]
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
id = "khong-mat"
name = "Hồ sơ không mật"
unit = "count"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
value = "COUNT(*)"
filter = "NOT mat"
"#;

fn records() -> LazyFrame {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
    df!(
            "ma_don_vi" => ["a", "a", "a", "b", "b", "a"],
            "ngay" => [d(1, 5), d(1, 20), d(2, 1), d(1, 9), d(1, 10), d(3, 1)],
            "kenh" => ["truc_tuyen", "truc_tiep", "truc_tuyen", "truc_tuyen", "truc_tuyen", "truc_tuyen"],
            "mat" => [false, true, false, false, false, false],
        )
        .map(IntoLazy::lazy)
        .unwrap_or_default()
}

#[test]
fn buckets_are_the_calendar_periods_of_every_day_of_the_window() {
    use chrono::Datelike;
    let (first, last) = date_window();
    let days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
    for grain in [Grain::Month, Grain::Quarter, Grain::Year] {
        // the first month of the period of `grain` holding each day, as chrono counts it
        let expected: Vec<i32> = days
            .iter()
            .map(|d| {
                let start = grain.period_of(d.year(), d.month()).start();
                start.year() * 100 + start.month() as i32
            })
            .collect();
        let frame = df!("d" => days.clone())
            .and_then(|f| {
                f.lazy()
                    .select([bucket_yyyymm(bucket_key(col("d"), grain), grain).alias("m")])
                    .collect()
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<Option<i32>> = frame
            .column("m")
            .and_then(|c| c.i32().map(|c| c.iter().collect()))
            .unwrap_or_default();
        assert_eq!(got.len(), expected.len());
        for (k, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(*g, Some(*e), "{grain:?}: day {k} of the window");
        }
    }
    // the window holds 199 years of days, 1901-01-01 … 2099-12-31
    assert_eq!(
        (days.len(), days[0].year(), last.year()),
        (72684, 1901, 2099)
    );
}

#[test]
fn one_query_gives_every_indicator_per_unit_and_month() {
    let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let c = &loaded.catalogue;
    let indicators = indicators_of(c, "ho_so");
    assert_eq!(indicators, vec![0, 1]);
    // records after 28 February are left out
    let until = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap_or_default();
    let frame = run(c, &indicators, until, Buckets::Of(Grain::Month));
    // (a, 2026-01), (a, 2026-02), (b, 2026-01): one row per unit and month
    assert_eq!(frame.height(), 3);
    let names: Vec<&str> = frame
        .get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "unit",
            "month",
            "truc-tuyen__numerator",
            "truc-tuyen__denominator",
            "khong-mat__value"
        ]
    );
    let p = partials_of(&frame, c, Grain::Month).unwrap_or_default();
    let cell = |u: &str, m: u32, k: usize| p.cell(u, Period::Month(2026, m), k);
    // unit a, January: 1 of 2 dossiers online; 1 not secret
    assert_eq!(cell("a", 1, 0), Some([Some(1.0), Some(2.0), None]));
    assert_eq!(cell("a", 1, 1), Some([None, None, Some(1.0)]));
    assert_eq!(cell("a", 2, 0), Some([Some(1.0), Some(1.0), None]));
    assert_eq!(cell("b", 1, 0), Some([Some(2.0), Some(2.0), None]));
    assert_eq!(cell("a", 3, 0), None);
    let _ = Sources::default();
}

/// The fused query of the test catalogue over [`records`], collected.
fn run(c: &Catalogue, indicators: &[usize], until: NaiveDate, buckets: Buckets) -> DataFrame {
    let ds = &c.datasets[0];
    fused_query(c, ds, records(), indicators, until, buckets)
        .and_then(|q| {
            q.collect().map_err(|e| FusedError::Scan {
                dataset: String::new(),
                path: String::new(),
                source: e,
            })
        })
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_coarser_grain_sums_the_months_of_its_period() {
    let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
    let c = &loaded.catalogue;
    let until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    for (grain, period) in [
        (Grain::Quarter, Period::Quarter(2026, 1)),
        (Grain::Year, Period::Year(2026)),
    ] {
        let frame = run(c, &[0, 1], until, Buckets::Of(grain));
        // one row per unit: a's 4 dossiers of January–March, b's 2 of January
        assert_eq!(frame.height(), 2, "{grain:?}");
        let p = partials_of(&frame, c, grain).unwrap_or_default();
        assert_eq!(p.periods, vec![period, period]);
        assert_eq!(p.cell("a", period, 0), Some([Some(3.0), Some(4.0), None]));
        assert_eq!(p.cell("a", period, 1), Some([None, None, Some(3.0)]));
        assert_eq!(p.cell("b", period, 0), Some([Some(2.0), Some(2.0), None]));
    }
}

#[test]
fn the_one_period_of_all_records_gives_the_same_table_without_a_period_key() {
    let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
    let c = &loaded.catalogue;
    let until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let collect = |buckets| run(c, &[0, 1], until, buckets);
    let only = collect(Buckets::Only(Period::Year(2026)));
    assert_eq!(only, collect(Buckets::Of(Grain::Year)));
    assert_eq!(only.height(), 2);
    // bounds that misstate the records (a file's statistics) never put a record in a period
    // it is not of: told January 2026 holds them all, the query counts January's alone — a's
    // 2 and b's 2 dossiers, not a's February and March ones
    let january = Period::Month(2026, 1);
    let frame = collect(Buckets::Only(january));
    let p = partials_of(&frame, c, Grain::Month).unwrap_or_default();
    assert_eq!(p.cell("a", january, 0), Some([Some(1.0), Some(2.0), None]));
    assert_eq!(p.cell("b", january, 0), Some([Some(2.0), Some(2.0), None]));
}

#[test]
fn a_parquet_file_scanned_in_chunks_gives_the_table_of_one_query() {
    let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
    let c = &loaded.catalogue;
    let ds = &c.datasets[0];
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("ho_so.parquet");
    // six records in row groups of two: unit b's two January records fall in two of them
    let mut frame = records().collect().unwrap_or_else(|e| panic!("{e}"));
    let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    ParquetWriter::new(file)
        .with_row_group_size(Some(2))
        .finish(&mut frame)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        chunks_of(&path, 1).unwrap_or_else(|e| panic!("{e}")),
        vec![0..2, 2..4, 4..6]
    );
    assert_eq!(
        chunks_of(&path, u64::MAX).unwrap_or_else(|e| panic!("{e}")),
        vec![0..6]
    );
    let until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let table = |chunk_bytes| {
        scanned_table(
            c,
            ds,
            &path,
            &[0, 1],
            until,
            Grain::Month,
            chunk_bytes,
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let chunked = table(1);
    assert_eq!(chunked, table(u64::MAX));
    // by hand: a has 2 records in January (1 online), 1 in February, 1 in March; b has 2 in
    // January (row groups 2 and 3, both online)
    let months: Vec<Option<i32>> = chunked
        .column(MONTH_COLUMN)
        .and_then(|m| m.i32().map(|m| m.iter().collect()))
        .unwrap_or_default();
    assert_eq!(
        months,
        vec![Some(202601), Some(202602), Some(202603), Some(202601)]
    );
    let p = partials_of(&chunked, c, Grain::Month).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        p.cell("a", Period::Month(2026, 1), 0),
        Some([Some(1.0), Some(2.0), None])
    );
    assert_eq!(
        p.cell("b", Period::Month(2026, 1), 0),
        Some([Some(2.0), Some(2.0), None])
    );
}

#[test]
fn one_period_is_read_from_the_bounds_of_a_parquet_file() {
    let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
    let ds = &loaded.catalogue.datasets[0];
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("ho_so.parquet");
    let mut frame = records().collect().unwrap_or_else(|e| panic!("{e}"));
    let file = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    ParquetWriter::new(file)
        .finish(&mut frame)
        .unwrap_or_else(|e| panic!("{e}"));
    // a record without a date is refused, not left out
    let undated = dir.path().join("undated.parquet");
    let mut with_null = frame
        .clone()
        .lazy()
        .with_column(
            when(col("kenh").eq(lit("truc_tiep")))
                .then(lit(NULL).cast(DataType::Date))
                .otherwise(col("ngay"))
                .alias("ngay"),
        )
        .collect()
        .unwrap_or_else(|e| panic!("{e}"));
    let file = std::fs::File::create(&undated).unwrap_or_else(|e| panic!("{e}"));
    ParquetWriter::new(file)
        .finish(&mut with_null)
        .unwrap_or_else(|e| panic!("{e}"));
    let until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let refused = evaluate(&loaded.catalogue, ds, &undated, until, Grain::Year, None);
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.to_string().contains("have no date in column `ngay`")),
        "{refused:?}"
    );
    let source = scan(ds, &path).unwrap_or_else(|e| panic!("{e:?}"));
    let bounds = date_bounds(ds, &path, &source).unwrap_or_else(|e| panic!("{e}"));
    let one = |grain| one_period(bounds, grain);
    // the records run from 5 January to 1 March 2026
    assert_eq!(one(Grain::Year), Some(Period::Year(2026)));
    assert_eq!(one(Grain::Quarter), Some(Period::Quarter(2026, 1)));
    assert_eq!(one(Grain::Month), None);
    // and through the whole scan: one row per unit, of the year
    let until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let p = evaluate(&loaded.catalogue, ds, &path, until, Grain::Year, None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.periods, vec![Period::Year(2026); 2]);
    assert_eq!(
        p.cell("a", Period::Year(2026), 0),
        Some([Some(3.0), Some(4.0), None])
    );
    // a CSV file is not read twice for it
    let csv = dir.path().join("ho_so.csv");
    std::fs::write(
        &csv,
        "ma_don_vi,ngay,kenh,mat\na,2026-01-05,truc_tuyen,false\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let csv_source = scan(ds, &csv).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        date_bounds(ds, &csv, &csv_source).unwrap_or_else(|e| panic!("{e}")),
        None
    );
}

/// The partial table of tests/fixtures/mini's dossiers, as the fused query computes it, is the
/// one tests/partials.rs scores (`chitieu score --partials`): written as CSV split by unit,
/// `xa-a.csv` (unit xa-a) and `others.csv` (every other unit), in
/// tests/fixtures/mini-partials/. `CHITIEU_BLESS=1` writes them afresh.
#[test]
fn the_fixture_partials_are_the_fused_query_s() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let loaded = crate::definition::load_catalogue(&root.join("mini/catalogue"))
        .unwrap_or_else(|e| panic!("{e}"));
    let c = &loaded.catalogue;
    let until = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or_default();
    let path = root.join("mini/data/ho_so.csv");
    let table = partial_table(c, &c.datasets[0], &path, until, Grain::Month, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = table
        .get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "unit",
            "month",
            "truc-tuyen__numerator",
            "truc-tuyen__denominator"
        ]
    );
    let bless = std::env::var_os("CHITIEU_BLESS").is_some_and(|v| v != "0" && !v.is_empty());
    let is_a = col("unit").eq(lit("xa-a"));
    for (name, keep) in [("xa-a.csv", is_a.clone()), ("others.csv", is_a.not())] {
        let mut part = table
            .clone()
            .lazy()
            .filter(keep)
            // the group-by's order is not polars' promise: the files are sorted
            .sort(["unit", "month"], SortMultipleOptions::default())
            .collect()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(part.height() > 0, "{name} would be empty");
        let mut csv = Vec::new();
        CsvWriter::new(&mut csv)
            .finish(&mut part)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let file = root.join("mini-partials").join(name);
        if bless {
            std::fs::create_dir_all(root.join("mini-partials")).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&file, &csv).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let committed = std::fs::read(&file).unwrap_or_default();
        assert!(
            committed == csv,
            "{}: not the fused query's partials (CHITIEU_BLESS=1 writes them):\n{}",
            file.display(),
            String::from_utf8_lossy(&csv)
        );
    }
}

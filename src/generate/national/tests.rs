//! Tests of the national generator.

use std::collections::HashSet;
use std::path::PathBuf;

use super::*;

/// Rows per row group in the tests: small, so that 20 000 rows make several.
const SMALL_GROUP: usize = 4_096;

fn generate_small(seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), seed, 20_000, SMALL_GROUP, Order::DayUnit).unwrap();
    dir
}

fn units_csv(dir: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir.join("units.csv")).unwrap();
    // Names with a comma ("Sở Văn hóa, Thể thao và Du lịch (…)") are quoted; only the
    // id (first), parent and level (last two) columns are needed.
    text.lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            let n = fields.len();
            vec![
                fields[0].to_string(),
                fields[n - 2].to_string(),
                fields[n - 1].to_string(),
            ]
        })
        .collect()
}

#[test]
fn same_seed_gives_identical_files() {
    let a = generate_small(7);
    let b = generate_small(7);
    for name in ["units.csv", "ho_so.parquet", "reported.csv", "README.md"] {
        let x = std::fs::read(a.path().join(name)).unwrap();
        let y = std::fs::read(b.path().join(name)).unwrap();
        assert!(x == y, "{name} differs between two runs with seed 7");
    }
    let c = generate_small(8);
    let x = std::fs::read(a.path().join("ho_so.parquet")).unwrap();
    let z = std::fs::read(c.path().join("ho_so.parquet")).unwrap();
    assert_ne!(x, z, "seed 8 gives the same dossiers as seed 7");
    let leftovers = std::fs::read_dir(a.path())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with('.')
        })
        .count();
    assert_eq!(leftovers, 0, "no temporary file is left behind");
}

#[test]
fn rows_do_not_depend_on_the_row_group_size() {
    let small = generate_small(3);
    let big = tempfile::tempdir().unwrap();
    write(big.path(), 3, 20_000, ROW_GROUP, Order::DayUnit).unwrap();
    let read = |dir: &Path| {
        let file = std::fs::File::open(dir.join("ho_so.parquet")).unwrap();
        ParquetReader::new(file).finish().unwrap()
    };
    let (a, b) = (read(small.path()), read(big.path()));
    assert_eq!(a.height(), 20_000);
    assert!(a.equals_missing(&b));
}

#[test]
fn interleaved_rows_are_each_days_rows_in_another_order() {
    let ordered = generate_small(5);
    let mixed = tempfile::tempdir().unwrap();
    write(mixed.path(), 5, 20_000, SMALL_GROUP, Order::Interleaved).unwrap();
    let read = |dir: &Path| {
        let file = std::fs::File::open(dir.join("ho_so.parquet")).unwrap();
        ParquetReader::new(file).finish().unwrap()
    };
    let (a, b) = (read(ordered.path()), read(mixed.path()));
    assert_eq!(b.height(), 20_000);
    // the same dossiers: sorted by every column, the two files are one table
    let names: Vec<PlSmallStr> = a.get_column_names_owned();
    let sorted = |df: &DataFrame| {
        df.sort(names.clone(), SortMultipleOptions::default())
            .unwrap()
    };
    assert!(sorted(&a).equals_missing(&sorted(&b)));
    // still by day; within a day, units out of order (ordered: never)
    let pairs = |df: &DataFrame| {
        let day = df
            .column("ngay_tiep_nhan")
            .unwrap()
            .date()
            .unwrap()
            .physical()
            .clone();
        let unit = df.column("ma_don_vi").unwrap().str().unwrap().clone();
        let days: Vec<i32> = day.iter().flatten().collect();
        let units: Vec<String> = unit.iter().flatten().map(str::to_string).collect();
        let later_day = days.windows(2).filter(|w| w[1] < w[0]).count();
        let unit_back = (1..days.len())
            .filter(|&i| days[i] == days[i - 1] && units[i] < units[i - 1])
            .count();
        (later_day, unit_back)
    };
    assert_eq!(pairs(&a), (0, 0));
    let (later_day, unit_back) = pairs(&b);
    assert_eq!(later_day, 0);
    assert!(
        unit_back > 5_000,
        "{unit_back} of 20 000 rows follow a later unit"
    );
    let readme = std::fs::read_to_string(mixed.path().join("README.md")).unwrap();
    assert!(readme.contains("--order interleaved") && readme.contains("units interleaved"));
}

#[test]
fn units_and_dossiers_hold_their_invariants() {
    let dir = generate_small(2026);
    let units = units_csv(dir.path());
    assert_eq!(units[0], ["id", "parent", "level"]);
    let count = |level: &str| units[1..].iter().filter(|r| r[2] == level).count();
    assert_eq!(count("tinh"), 34);
    assert_eq!(count("xa"), 3_400);
    assert_eq!(count("so"), 680);
    assert_eq!(units.len() - 1, 34 + 3_400 + 680);
    let ids: HashSet<&str> = units[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids.len(), units.len() - 1, "unit ids are unique");
    for id in [
        "p01",
        "p34",
        "p01-xa-001",
        "p34-xa-100",
        "p01-so-01",
        "p34-so-20",
    ] {
        assert!(ids.contains(id), "{id} is a unit");
    }
    let leaves: HashSet<&str> = units[1..]
        .iter()
        .filter(|r| r[2] != "tinh")
        .map(|r| r[0].as_str())
        .collect();
    for r in &units[1..] {
        match r[2].as_str() {
            "tinh" => assert_eq!(r[1], ""),
            _ => assert!(ids.contains(r[1].as_str()) && !leaves.contains(r[1].as_str())),
        }
    }

    // ho_so.parquet: the declared schema, only leaf units, dates in 2026, several row groups.
    let path = dir.path().join("ho_so.parquet");
    let mut reader = ParquetReader::new(std::fs::File::open(&path).unwrap());
    let groups = reader.get_metadata().unwrap().row_groups.len();
    assert_eq!(groups, 20_000usize.div_ceil(SMALL_GROUP));
    let df = reader.finish().unwrap();
    assert_eq!(df.height(), 20_000);
    assert_eq!(df.schema().as_ref(), &schema());
    let catalogue = super::super::catalogue("indicators/bo-chi-so-766").unwrap();
    let dataset = catalogue.dataset("ho_so").unwrap();
    let mut declared = vec![dataset.unit.clone(), dataset.date.clone()];
    declared.extend(dataset.columns.clone().unwrap());
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        names, declared,
        "the columns are those the catalogue declares"
    );
    let seen: HashSet<&str> = df
        .column("ma_don_vi")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert!(seen.iter().all(|u| leaves.contains(u)), "only leaf units");
    assert!(seen.len() > 3_000, "dossiers spread over the units");
    let days = df.column("ngay_tiep_nhan").unwrap().date().unwrap();
    let (lo, hi) = (
        days.physical().min().unwrap(),
        days.physical().max().unwrap(),
    );
    let day = |m, d| {
        (NaiveDate::from_ymd_opt(2026, m, d).unwrap() - NaiveDate::default()).num_days() as i32
    };
    assert!(lo >= day(1, 1) && hi == day(12, 31) && lo <= day(1, 5));
    let ratings = df.column("danh_gia").unwrap().i8().unwrap();
    assert!(ratings.iter().flatten().all(|r| (1..=5).contains(&r)));
    assert!(ratings.null_count() > 0 && ratings.null_count() < df.height());
}

#[test]
fn generated_data_scores_every_province() {
    use chitieu::check::check_definitions;
    use chitieu::data::{load_data, Period};
    use chitieu::score::{admit, run, RunOptions};

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), 2026, 60_000, 16_384, Order::DayUnit).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let loaded = check_definitions(&root.join("indicators/bo-chi-so-766")).unwrap();
    assert!(loaded.diagnostics.iter().all(|d| !d.is_error()));
    let c = &loaded.catalogue;
    let load = load_data(dir.path(), c);
    assert!(load.diagnostics.iter().all(|d| !d.is_error()));
    let data = admit(load).data.unwrap();
    let opts = RunOptions {
        period: Some(Period::Year(2026)),
        ..RunOptions::default()
    };
    let card = run(c, &data, &opts).unwrap();
    let provinces: Vec<_> = card.units.iter().filter(|u| u.level == "tinh").collect();
    assert_eq!(provinces.len(), 34);
    let computed = c.indicators.iter().filter(|i| i.is_computed()).count();
    let scored = c
        .indicators
        .iter()
        .filter(|i| i.points != Some(0.0))
        .count();
    assert_eq!((computed, scored), (7, 19));
    let mut ranks = Vec::new();
    for p in &provinces {
        let score = p.score.unwrap_or_else(|| panic!("{} has no score", p.id));
        assert!((0.0..=100.0).contains(&score));
        assert_eq!(p.rank_of, Some(34));
        ranks.push(p.rank.unwrap());
        // the records give the 7 computed sub-indicators of a province, reported.csv the others
        assert_eq!(p.coverage, Some(1.0), "{}", p.id);
    }
    ranks.sort_unstable();
    assert_eq!(ranks[0], 1);
    assert!(ranks.iter().all(|&r| (1..=34).contains(&r)));
    // The provinces differ: not all on one score.
    let scores: Vec<f64> = provinces.iter().filter_map(|p| p.score).collect();
    let spread = scores.iter().cloned().fold(f64::MIN, f64::max)
        - scores.iter().cloned().fold(f64::MAX, f64::min);
    assert!(spread > 1.0, "province scores spread by {spread:.2} points");

    // The catalogue's SQL means what its README says: for province p01, the engine's
    // numerators and denominators equal counts taken directly from the rows.
    let path = data.datasets.get("ho_so").unwrap();
    let file = std::fs::File::open(path).unwrap();
    let rows = ParquetReader::new(file).finish().unwrap();
    let b = |name: &str| col(name);
    let all = || col("ma_don_vi").is_not_null();
    let expected = [
        ("dossier-sync", b("dong_bo_trang_thai"), all()),
        ("dossier-on-time", b("dung_han"), all()),
        (
            "payment-dossier",
            b("co_phi").and(b("thanh_toan_truc_tuyen")),
            b("co_phi"),
        ),
        ("original-result-available", b("ket_qua_dien_tu"), all()),
        ("so-hoa-giay-to-giai-quyet", b("so_hoa"), all()),
        ("reused-digitized-data", b("tai_su_dung"), all()),
        (
            "dossier-receiving-satisfaction",
            col("danh_gia")
                .is_null()
                .or(col("danh_gia").gt_eq(lit(4i8))),
            all(),
        ),
    ];
    assert_eq!(expected.len(), computed, "every computed indicator checked");
    let p01 = card.units.iter().find(|u| u.id == "p01").unwrap();
    let mut aggs = Vec::new();
    for (k, (_, n, d)) in expected.iter().enumerate() {
        let count = |e: &Expr, name: String| e.clone().cast(DataType::UInt32).sum().alias(name);
        aggs.push(count(n, format!("n{k}")));
        aggs.push(count(d, format!("d{k}")));
    }
    let counts = rows
        .lazy()
        .filter(col("ma_don_vi").str().starts_with(lit("p01-")))
        .select(aggs)
        .collect()
        .unwrap();
    let get = |name: String| {
        let c = counts
            .column(&name)
            .unwrap()
            .cast(&DataType::Float64)
            .unwrap();
        c.f64().unwrap().get(0).unwrap()
    };
    for (k, (id, ..)) in expected.iter().enumerate() {
        let card = p01.indicators.iter().find(|i| i.id == *id).unwrap();
        assert_eq!(card.numerator, Some(get(format!("n{k}"))), "{id} numerator");
        assert_eq!(
            card.denominator,
            Some(get(format!("d{k}"))),
            "{id} denominator"
        );
    }
}

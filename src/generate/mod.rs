//! Deterministic, seeded generators of the synthetic data shipped in `data/` (and of larger data
//! for benchmarks): the same seed gives byte-identical files. A module of the binary (`chitieu
//! generate`, used by CI, the benchmarks and scripts/), not of the library. Reads the catalogue it serves for
//! indicators and tasks; never scores or checks anything.
//!
//! Two generators exist. `lao-cai`: the units, reported values, task progress, report
//! submissions and dossiers of
//! UBND tỉnh Lào Cai for the catalogue `indicators/lao-cai-2026-2030`, as of the October 2026
//! report. `national`: 34 provinces with their departments and communes and any
//! number of dossiers of 2026 for `indicators/bo-chi-so-766`, streamed to Parquet row group by
//! row group. Each file draws from its own random stream ([`rng::Rng::new`]), so changing the
//! number of dossiers leaves the other files unchanged.

mod csv;
mod dossiers;
mod national;
mod readme;
mod reported;
mod rng;
mod submissions;
mod tasks;
mod units;

use std::path::{Path, PathBuf};

use chitieu::definition::{load_catalogue, Catalogue, LoadError};

/// The catalogue the Lào Cai data serves, relative to the project root.
const LAO_CAI_CATALOGUE: &str = "indicators/lao-cai-2026-2030";

/// Why a generator cannot run or write its files.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("unknown --order \"{0}\"; the orders are: day-unit, interleaved")]
    UnknownOrder(String),
    #[error("--order applies to the national generator only")]
    OrderOfLaoCai,
    #[error("unknown generator \"{0}\"; the generators are: lao-cai, national")]
    UnknownGenerator(String),
    /// The catalogue served, by its path relative to the project root.
    #[error("cannot find the catalogue {0} (run from the project root)")]
    NoCatalogue(String),
    #[error(transparent)]
    Catalogue(#[from] LoadError),
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A Parquet file polars could not build or write.
    #[error("cannot write {path}: {source}")]
    WriteParquet {
        path: PathBuf,
        source: polars::prelude::PolarsError,
    },
    #[error("cannot build the dossier table: {0}")]
    DossierTable(polars::prelude::PolarsError),
}

/// The error of creating directory `path`.
fn cannot_create(path: &Path) -> impl FnOnce(std::io::Error) -> GenerateError + '_ {
    move |source| GenerateError::Create {
        path: path.to_path_buf(),
        source,
    }
}

/// The error of writing file `path`.
fn cannot_write(path: &Path) -> impl FnOnce(std::io::Error) -> GenerateError + '_ {
    move |source| GenerateError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Generates the data set `which` into `out` with `seed`; returns a one-line summary.
/// Runs generator `which`; `order` (`day-unit` | `interleaved`, the national dossiers' order
/// within a day) only for `national`.
pub fn run(
    which: &str,
    out: &Path,
    seed: u64,
    dossiers: usize,
    order: Option<&str>,
) -> Result<String, GenerateError> {
    let national_order = match order {
        None => national::Order::DayUnit,
        Some(text) => national::Order::parse(text)
            .ok_or_else(|| GenerateError::UnknownOrder(text.to_string()))?,
    };
    match which {
        "lao-cai" if order.is_some() => Err(GenerateError::OrderOfLaoCai),
        "lao-cai" => lao_cai(out, seed, dossiers),
        "national" => national::generate(out, seed, dossiers, national_order),
        _ => Err(GenerateError::UnknownGenerator(which.to_string())),
    }
}

/// Finds and loads the catalogue: from the working directory, else from the crate's own
/// directory (so that tests and a binary run elsewhere still find the shipped catalogue).
fn catalogue(relative: &str) -> Result<Catalogue, GenerateError> {
    let candidates = [
        PathBuf::from(relative),
        Path::new(env!("CARGO_MANIFEST_DIR")).join(relative),
    ];
    let dir = candidates
        .iter()
        .find(|d| d.join("catalogue.toml").is_file())
        .ok_or_else(|| GenerateError::NoCatalogue(relative.to_string()))?;
    Ok(load_catalogue(dir)?.catalogue)
}

/// Writes `contents` to `dir/name` through a temporary file, so that an interrupted run never
/// leaves a half-written file under the final name.
fn write_file(dir: &Path, name: &str, contents: &[u8]) -> Result<(), GenerateError> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, contents).map_err(cannot_write(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(cannot_write(&path))
}

fn lao_cai(out: &Path, seed: u64, dossiers: usize) -> Result<String, GenerateError> {
    let catalogue = catalogue(LAO_CAI_CATALOGUE)?;
    std::fs::create_dir_all(out).map_err(cannot_create(out))?;
    let units = units::build(&catalogue, seed);

    let mut csv = csv::Csv::new();
    csv.row(&["id", "name", "parent", "level"]);
    for unit in &units {
        csv.row(&[
            &unit.id,
            &unit.name,
            unit.parent.as_deref().unwrap_or(""),
            unit.level,
        ]);
    }
    write_file(out, "units.csv", csv.into_string().as_bytes())?;

    let mut csv = csv::Csv::new();
    let reported_rows = reported::write(&mut csv, &catalogue.indicators, &units, seed);
    write_file(out, "reported.csv", csv.into_string().as_bytes())?;

    let mut csv = csv::Csv::new();
    let task_rows = tasks::write(&mut csv, &catalogue.tasks, &units, seed);
    write_file(out, "tasks.csv", csv.into_string().as_bytes())?;

    let mut csv = csv::Csv::new();
    let (submission_rows, _, late, missing) =
        submissions::write(&mut csv, &catalogue, &units, seed);
    write_file(out, "submissions.csv", csv.into_string().as_bytes())?;

    let tmp = out.join(".ho_so.parquet.tmp");
    let bytes = dossiers::write(&tmp, &units, seed, dossiers)?;
    let path = out.join("ho_so.parquet");
    std::fs::rename(&tmp, &path).map_err(cannot_write(&path))?;

    let text = readme::lao_cai(&catalogue, &units, seed, dossiers);
    write_file(out, "README.md", text.as_bytes())?;

    let communes = units.iter().filter(|u| u.commune().is_some()).count();
    Ok(format!(
        "generated {}: {} units ({} departments, {communes} communes and wards), {reported_rows} reported rows, {task_rows} task rows, {submission_rows} submissions ({late} late; {missing} reports never sent), {dossiers} dossiers ({:.1} MB of Parquet), seed {seed}",
        out.display(),
        units.len(),
        units.len() - communes - 1,
        bytes as f64 / 1_048_576.0,
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use polars::prelude::*;

    use super::*;

    fn generate(seed: u64) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        run("lao-cai", dir.path(), seed, 2_000, None).unwrap();
        dir
    }

    #[test]
    fn an_order_is_one_of_the_national_generators_and_named_when_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let e = run("national", dir.path(), 1, 10, Some("random")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown --order \"random\"; the orders are: day-unit, interleaved"
        );
        let e = run("lao-cai", dir.path(), 1, 10, Some("interleaved")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--order applies to the national generator only"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    fn read_csv(path: &Path) -> Vec<Vec<String>> {
        // The generated files quote only fields with commas; split on commas outside quotes.
        let text = std::fs::read_to_string(path).unwrap();
        text.lines()
            .map(|line| {
                let mut fields = vec![String::new()];
                let mut quoted = false;
                for c in line.chars() {
                    match c {
                        '"' => quoted = !quoted,
                        ',' if !quoted => fields.push(String::new()),
                        c => fields.last_mut().unwrap().push(c),
                    }
                }
                fields
            })
            .collect()
    }

    /// Reads a number as SPEC §4.1 does: `12,5` (decimal comma), `24.742` (thousands).
    fn number(s: &str) -> Option<f64> {
        if s.is_empty() {
            return None;
        }
        let grouped = s.contains('.')
            && s.split('.').skip(1).all(|g| g.len() == 3)
            && s.split('.')
                .next()
                .is_some_and(|g| (1..=3).contains(&g.len()));
        let s = if grouped {
            s.replace('.', "")
        } else {
            s.replace(',', ".")
        };
        Some(s.parse().unwrap())
    }

    #[test]
    fn same_seed_gives_identical_files() {
        let a = generate(7);
        let b = generate(7);
        let c = generate(8);
        let names = [
            "units.csv",
            "reported.csv",
            "tasks.csv",
            "submissions.csv",
            "ho_so.parquet",
            "README.md",
        ];
        for name in names {
            let x = std::fs::read(a.path().join(name)).unwrap();
            let y = std::fs::read(b.path().join(name)).unwrap();
            assert!(x == y, "{name} differs between two runs with seed 7");
        }
        let x = std::fs::read(a.path().join("reported.csv")).unwrap();
        let z = std::fs::read(c.path().join("reported.csv")).unwrap();
        assert_ne!(x, z, "seed 8 gives the same reported.csv as seed 7");
        // No temporary file is left behind.
        let leftovers = std::fs::read_dir(a.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with('.')
            })
            .count();
        assert_eq!(leftovers, 0);
    }

    /// The Lào Cai data of seed 2026 (2 000 dossiers), its catalogue and the rows of its
    /// units.csv, header first.
    fn generated() -> (tempfile::TempDir, Catalogue, Vec<Vec<String>>) {
        let dir = generate(2026);
        let catalogue = catalogue(LAO_CAI_CATALOGUE).unwrap();
        let units = read_csv(&dir.path().join("units.csv"));
        (dir, catalogue, units)
    }

    /// The unit ids of units.csv's rows.
    fn unit_ids(units: &[Vec<String>]) -> HashSet<&str> {
        units[1..].iter().map(|r| r[0].as_str()).collect()
    }

    /// units.csv: the province, its departments, 99 communes and wards.
    #[test]
    fn generated_units_are_the_province_its_departments_and_communes() {
        let (_dir, _, units) = generated();
        assert_eq!(units[0], ["id", "name", "parent", "level"]);
        let ids = unit_ids(&units);
        assert_eq!(ids.len(), units.len() - 1, "unit ids are unique");
        let level = |l: &str| units[1..].iter().filter(|r| r[3] == l).count();
        assert_eq!(level("xa"), 99);
        assert_eq!(level("tinh"), 1);
        assert!(level("so") >= 12);
        let names: HashSet<&str> = units[1..].iter().map(|r| r[1].as_str()).collect();
        for name in [
            "Công an tỉnh",
            "Sở Tư pháp",
            "Văn phòng UBND tỉnh",
            "Sở Nội vụ",
            "Phường Sa Pa",
            "Xã Bát Xát",
        ] {
            assert!(names.contains(name), "{name} is a unit");
        }
        assert!(ids.contains("xa-bat-xat") && ids.contains("phuong-sa-pa"));
    }

    /// reported.csv: known units and indicators, no duplicates, numerator <= denominator,
    /// values within limits.
    #[test]
    fn generated_reported_values_are_of_known_units_and_indicators_and_within_limits() {
        let (dir, catalogue, units) = generated();
        let ids = unit_ids(&units);
        let reported = read_csv(&dir.path().join("reported.csv"));
        assert_eq!(
            reported[0],
            [
                "unit",
                "period",
                "indicator",
                "value",
                "numerator",
                "denominator",
                "note"
            ]
        );
        let mut keys = HashSet::new();
        let mut vietnamese_forms = 0;
        for row in &reported[1..] {
            assert!(ids.contains(row[0].as_str()), "unknown unit {}", row[0]);
            let indicator = catalogue.indicator(&row[2]).unwrap();
            assert!(!indicator.is_computed());
            assert!(
                keys.insert((row[0].clone(), row[1].clone(), row[2].clone())),
                "duplicate {row:?}"
            );
            let vn = |f: &String| {
                f.contains(',') || (f.contains('.') && f.split('.').skip(1).all(|g| g.len() == 3))
            };
            if row[3..6].iter().any(vn) {
                vietnamese_forms += 1;
            }
            let (lo, hi) = indicator.limits;
            let value = match (number(&row[4]), number(&row[5])) {
                (Some(n), Some(d)) => {
                    assert!(n <= d && d > 0.0, "numerator > denominator: {row:?}");
                    let v = 100.0 * n / d;
                    if let Some(stated) = number(&row[3]) {
                        assert!((stated - v).abs() <= 0.01, "value disagrees: {row:?}");
                    }
                    v
                }
                _ => number(&row[3]).unwrap(),
            };
            assert!(value >= lo && value <= hi, "value outside limits: {row:?}");
        }
        assert!(
            vietnamese_forms >= 2,
            "a few rows use the Vietnamese number forms"
        );
        // The reduce-from-2025 indicator has 2025 counts.
        assert!(reported
            .iter()
            .any(|r| r[2] == "toi-pham-lua-dao" && r[1] == "2025"));
    }

    /// tasks.csv: known tasks and units, completion dates not after the report.
    #[test]
    fn generated_tasks_are_known_and_completed_by_the_report() {
        let (dir, catalogue, units) = generated();
        let ids = unit_ids(&units);
        let tasks = read_csv(&dir.path().join("tasks.csv"));
        assert!(tasks.len() > 20);
        let mut statuses = HashMap::new();
        for row in &tasks[1..] {
            assert!(catalogue.task(&row[0]).is_some(), "unknown task {}", row[0]);
            assert!(ids.contains(row[1].as_str()), "unknown unit {}", row[1]);
            *statuses.entry(row[2].as_str()).or_insert(0) += 1;
            if !row[3].is_empty() {
                assert!(row[3].as_str() <= "2026-10-31");
            }
        }
        for status in ["hoan_thanh", "dang_thuc_hien", "Hoàn thành"] {
            assert!(statuses.contains_key(status), "no task {status}");
        }
    }

    /// submissions.csv: known units and reports owed by them, one row per (unit, report,
    /// period), sent by 31 October; most on time, some late, some owed reports never sent
    #[test]
    fn generated_submissions_are_owed_mostly_on_time_some_late_some_never_sent() {
        let (dir, catalogue, units) = generated();
        let sent = read_csv(&dir.path().join("submissions.csv"));
        assert_eq!(sent[0], ["unit", "report", "period", "submitted_on"]);
        let level_of: HashMap<&str, &str> = units[1..]
            .iter()
            .map(|r| (r[0].as_str(), r[3].as_str()))
            .collect();
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let (mut on_time, mut late) = (0, 0);
        let mut keys = HashSet::new();
        for row in &sent[1..] {
            let report = catalogue.report(&row[1]).unwrap();
            assert!(
                report.is_owed_by(&row[0], level_of[row[0].as_str()]),
                "{row:?}"
            );
            let period = chitieu::data::Period::parse(&row[2]).unwrap();
            let due = chitieu::cycle::due_for(report, period).unwrap();
            let day = chitieu::data::parse_date(&row[3]).unwrap();
            assert!(day <= as_of && due <= as_of, "{row:?}");
            assert!(
                keys.insert((row[0].clone(), row[1].clone(), period)),
                "{row:?}"
            );
            if day <= due {
                on_time += 1;
            } else {
                late += 1;
            }
        }
        let owed: usize = units[1..]
            .iter()
            .map(|r| {
                chitieu::cycle::owed_until(
                    &catalogue,
                    &r[0],
                    &r[3],
                    chitieu::data::Period::Month(2026, 10),
                )
                .iter()
                .filter(|o| o.due <= as_of)
                .count()
            })
            .sum();
        let missing = owed - (on_time + late);
        assert!(
            on_time > 8 * late && late > 2 * missing && missing > 0,
            "{on_time} {late} {missing}"
        );
    }

    /// ho_so.parquet: the declared columns, every unit known, and every computed measure of
    /// the catalogue gives numerator <= denominator for every unit.
    #[test]
    fn generated_dossiers_have_the_declared_columns_and_numerators_within_denominators() {
        let (dir, catalogue, units) = generated();
        let ids = unit_ids(&units);
        let file = std::fs::File::open(dir.path().join("ho_so.parquet")).unwrap();
        let df = ParquetReader::new(file).finish().unwrap();
        assert_eq!(df.height(), 2_000);
        let expected = [
            ("ma_don_vi", DataType::String),
            ("ngay_tiep_nhan", DataType::Date),
            ("kenh", DataType::String),
            ("co_phi", DataType::Boolean),
            ("thanh_toan_truc_tuyen", DataType::Boolean),
            ("so_hoa", DataType::Boolean),
            ("ket_qua_dien_tu", DataType::Boolean),
            ("da_giai_quyet", DataType::Boolean),
            ("dung_han", DataType::Boolean),
            ("danh_gia", DataType::Int8),
            ("tai_su_dung", DataType::Boolean),
        ];
        let schema = df.schema();
        assert_eq!(schema.len(), expected.len());
        for (name, dtype) in &expected {
            assert_eq!(schema.get(name), Some(dtype), "column {name}");
        }
        let unit_col = df.column("ma_don_vi").unwrap().str().unwrap().clone();
        for id in unit_col.iter().flatten() {
            assert!(ids.contains(id) && id != "lao-cai", "dossier of unit {id}");
        }
        let mut checked = 0;
        for indicator in &catalogue.indicators {
            let chitieu::definition::Measure::Computed(m) = &indicator.measure else {
                continue;
            };
            let (Some(n), Some(d)) = (&m.numerator, &m.denominator) else {
                continue;
            };
            let n = polars::sql::sql_expr(n.get_ref()).unwrap();
            let d = polars::sql::sql_expr(d.get_ref()).unwrap();
            let by_unit = df
                .clone()
                .lazy()
                .group_by([col("ma_don_vi")])
                .agg([
                    n.cast(DataType::Float64).alias("n"),
                    d.cast(DataType::Float64).alias("d"),
                ])
                .collect()
                .unwrap();
            let ns = by_unit.column("n").unwrap().f64().unwrap().clone();
            let ds = by_unit.column("d").unwrap().f64().unwrap().clone();
            for (n, d) in ns.iter().zip(ds.iter()) {
                let (n, d) = (n.unwrap_or(0.0), d.unwrap_or(0.0));
                assert!(n <= d, "{}: numerator {n} > denominator {d}", indicator.id);
            }
            checked += 1;
        }
        assert!(
            checked >= 3,
            "the catalogue computes at least I.5, I.6 and II.1 from ho_so"
        );
    }
}

//! Partial aggregates computed elsewhere (`chitieu score --partials DIR`): CSV / Parquet files
//! holding the partial table of the fused scan (`unit`, `month`, `<indicator id>__<part>`), from
//! any engine and any split of the records (one file per machine or province), concatenated and
//! summed per unit and month into [`Partials`]. Reads no record-level data.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::fused::{self, Partials, MONTH_COLUMN, UNIT_COLUMN};
use crate::data::parquet::{self, ParquetError};
use crate::data::{Grain, Units};
use crate::definition::{Catalogue, Measure};
use crate::diagnostics::{Code, Diagnostic, Place};

/// What [`read`] gives.
#[derive(Debug, Default)]
pub struct Read {
    pub partials: Partials,
    /// The files read, in the order read.
    #[cfg(test)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum PartialsError {
    /// The directory cannot be read or holds no partial file (a usage or I/O error).
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    /// Files with wrong columns or figures, one diagnostic each (errors in data).
    #[error("the partials have {} error(s)", .0.len())]
    Data(Vec<Diagnostic>),
}

/// Why the partials directory gives no file to read.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("partials directory {} does not exist", .0.display())]
    Missing(PathBuf),
    #[error("{}: {source}", .path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} holds no partial file (*.csv, *.parquet)", .0.display())]
    Empty(PathBuf),
}

/// The partial files under `dir`, sorted: `*.csv` and `*.parquet` at any depth (Spark writes a
/// directory of `part-*` files), leaving out names starting with `.` or `_` (`_SUCCESS`,
/// checksums). Symbolic links are followed, but every directory and file is read once: a link
/// back to a parent (`ln -s . self`) or a second name for a file would sum the same figures
/// again.
pub fn files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    seen.insert(std::fs::canonicalize(dir)?);
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || name.starts_with('_') {
                continue;
            }
            let is_partial = is_csv(&path) || parquet::is_parquet(&path);
            if !path.is_dir() && !is_partial {
                continue;
            }
            // a dangling link is reported when the file is opened
            let first_time = match std::fs::canonicalize(&path) {
                Ok(real) => seen.insert(real),
                Err(_) => true,
            };
            if !first_time {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// A partial file, lazily; CSV cells are read as text (unit ids such as `01` keep their zeros)
/// and cast below.
fn open(path: &Path) -> PolarsResult<LazyFrame> {
    if !is_csv(path) {
        return parquet::scan(path).map_err(|e| match e {
            ParquetError::Polars(e) => e,
            e => polars_err!(ComputeError: "{e}"),
        });
    }
    let Some(text) = path.to_str() else {
        polars_bail!(ComputeError: "{}", ParquetError::NotUtf8);
    };
    LazyCsvReader::new(PlRefPath::new(text))
        .with_infer_schema_length(Some(0))
        .finish()
}

/// Reads every partial file under `dir` into [`Partials`]: the files concatenated, one
/// group-by (unit, month) summing each column (a column with no figure in a group stays empty),
/// months after `until` left out, as the fused scan leaves out records after it.
pub fn read(c: &Catalogue, dir: &Path, until: NaiveDate) -> Result<Read, PartialsError> {
    if !dir.is_dir() {
        return Err(DirectoryError::Missing(dir.to_path_buf()).into());
    }
    let files = files(dir).map_err(|source| DirectoryError::Unreadable {
        path: dir.to_path_buf(),
        source,
    })?;
    if files.is_empty() {
        return Err(DirectoryError::Empty(dir.to_path_buf()).into());
    }
    let known = fused::partial_columns(c);
    let mut present = BTreeSet::new();
    let mut problems = Vec::new();
    let mut frames = Vec::new();
    for path in &files {
        match file_frame(path, &known) {
            Ok((lf, names)) => {
                present.extend(names);
                frames.push(lf);
            }
            Err(d) => problems.push(*d),
        }
    }
    if !problems.is_empty() {
        return Err(PartialsError::Data(problems));
    }
    // every computed indicator must have its columns somewhere, as every dataset a computed
    // indicator reads must have its file (E306)
    for indicator in &c.indicators {
        let Measure::Computed(m) = &indicator.measure else {
            continue;
        };
        let columns: Vec<String> = fused::parts(m)
            .iter()
            .map(|(part, _)| fused::column_name(&indicator.id, *part))
            .collect();
        if !columns.iter().all(|k| present.contains(k)) {
            problems.push(
                Diagnostic::new(
                    Code::E306,
                    dir,
                    Place::File,
                    format!(
                        "no partial file under {} has the column(s) {} of indicator \"{}\"",
                        dir.display(),
                        columns.join(", "),
                        indicator.id
                    ),
                )
                .help(format!(
                    "run `chitieu sql` for this catalogue over dataset \"{}\" and add its result",
                    m.dataset.get_ref()
                )),
            );
        }
    }
    if !problems.is_empty() {
        return Err(PartialsError::Data(problems));
    }
    let sums: Vec<Expr> = known
        .iter()
        .map(|k| {
            when(col(k.as_str()).count().gt(lit(0)))
                .then(col(k.as_str()).sum())
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(k.as_str())
        })
        .collect();
    let whole = |e: PolarsError| {
        PartialsError::Data(vec![Diagnostic::new(
            Code::E306,
            dir,
            Place::File,
            format!("cannot read the partials in {}: {e}", dir.display()),
        )])
    };
    let frame = concat(frames, UnionArgs::default())
        .map_err(whole)?
        .filter(
            col(UNIT_COLUMN)
                .is_not_null()
                .and(col(MONTH_COLUMN).is_not_null()),
        )
        .group_by([col(UNIT_COLUMN), col(MONTH_COLUMN)])
        .agg(sums)
        .sort([UNIT_COLUMN, MONTH_COLUMN], SortMultipleOptions::default())
        .collect()
        .map_err(whole)?;
    let months = frame
        .column(MONTH_COLUMN)
        .and_then(|m| m.i32().cloned())
        .map_err(whole)?;
    if let Some(bad) = months
        .iter()
        .flatten()
        .find(|m| !(1000..=9999).contains(&(m / 100)) || !(1..=12).contains(&(m % 100)))
    {
        return Err(PartialsError::Data(vec![Diagnostic::new(
            Code::E306,
            dir,
            Place::File,
            format!("a partial file under {} has month {bad}", dir.display()),
        )
        .help("`month` is year × 100 + month, e.g. 202606")]));
    }
    let last = until.year() * 100 + until.month() as i32;
    let frame = frame
        .lazy()
        .filter(col(MONTH_COLUMN).lt_eq(lit(last)))
        .collect()
        .map_err(whole)?;
    let partials = fused::partials_of(&frame, c, Grain::Month).map_err(whole)?;
    Ok(Read {
        partials,
        #[cfg(test)]
        files,
    })
}

/// One file's frame with the columns of the whole partial table (unit text, month i32, every
/// known part f64, null where the file lacks it), and the part columns it has; or the
/// diagnostic that says why it cannot be used.
fn file_frame(path: &Path, known: &[String]) -> Result<(LazyFrame, Vec<String>), Box<Diagnostic>> {
    let fail = |message: String| Diagnostic::new(Code::E306, path, Place::File, message);
    let mut lf =
        open(path).map_err(|e| Box::new(fail(format!("cannot read partial file: {e}"))))?;
    let schema = lf.collect_schema().map_err(|e| {
        Box::new(fail(format!(
            "cannot read the columns of partial file: {e}"
        )))
    })?;
    let names: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    let lacking: Vec<&str> = [UNIT_COLUMN, MONTH_COLUMN]
        .into_iter()
        .filter(|k| !names.iter().any(|n| n == k))
        .collect();
    if !lacking.is_empty() {
        return Err(Box::new(
            fail(format!(
                "partial file lacks the column(s) {}",
                lacking.join(", ")
            ))
            .help(
                "a partial table has the columns unit, month and <indicator id>__<part>; \
                 see `chitieu sql`",
            ),
        ));
    }
    let unknown: Vec<&String> = names
        .iter()
        .filter(|n| n.as_str() != UNIT_COLUMN && n.as_str() != MONTH_COLUMN)
        .filter(|n| !known.contains(n))
        .collect();
    if !unknown.is_empty() {
        let listed: Vec<String> = unknown.iter().map(|n| format!("\"{n}\"")).collect();
        return Err(Box::new(
            fail(format!(
                "partial file has column(s) {} that name no part of a computed indicator of \
                 this catalogue",
                listed.join(", ")
            ))
            .help("regenerate the query with `chitieu sql` for this catalogue"),
        ));
    }
    let mut select = vec![
        col(UNIT_COLUMN).cast(DataType::String),
        col(MONTH_COLUMN).strict_cast(DataType::Int32),
    ];
    let mut parts = Vec::new();
    for k in known {
        if names.contains(k) {
            select.push(col(k.as_str()).strict_cast(DataType::Float64));
            parts.push(k.clone());
        } else {
            select.push(lit(NULL).cast(DataType::Float64).alias(k.as_str()));
        }
    }
    let frame = lf.select(select).collect().map_err(|e| {
        Box::new(
            fail(format!("cannot read the figures of partial file: {e}"))
                .help("`month` is a whole number (202606) and every part column a number"),
        )
    })?;
    if let Some(d) = bad_figure(path, &frame, &parts) {
        return Err(Box::new(d));
    }
    Ok((frame.lazy(), parts))
}

/// The first figure of a partial file that reported.csv would refuse: a negative part (E303) or a
/// numerator above the denominator of its indicator in the same row (E302), at its row (the
/// header is row 1) and column.
fn bad_figure(path: &Path, frame: &DataFrame, parts: &[String]) -> Option<Diagnostic> {
    let values = |name: &str| -> Option<Vec<Option<f64>>> {
        Some(frame.column(name).ok()?.f64().ok()?.iter().collect())
    };
    let at = |code, row: usize, column: &str, message: String| {
        Diagnostic::new(
            code,
            path,
            Place::Cell {
                row: row + 2,
                column: column.to_string(),
            },
            message,
        )
    };
    for name in parts {
        let column = values(name)?;
        if let Some((row, v)) = column
            .iter()
            .enumerate()
            .find_map(|(row, v)| v.filter(|v| *v < 0.0 || !v.is_finite()).map(|v| (row, v)))
        {
            return Some(
                at(
                    Code::E303,
                    row,
                    name,
                    format!("`{name}` is {v} in a partial file"),
                )
                .help("a partial sum counts records: it is a finite number, 0 or more"),
            );
        }
    }
    for name in parts {
        let Some((id, fused::Part::Numerator)) = fused::parse_column_name(name) else {
            continue;
        };
        let denominator = fused::column_name(id, fused::Part::Denominator);
        let (Some(n), Some(d)) = (values(name), values(&denominator)) else {
            continue;
        };
        if let Some(row) = n
            .iter()
            .zip(&d)
            .position(|(n, d)| matches!((n, d), (Some(n), Some(d)) if n > d))
        {
            return Some(
                at(
                    Code::E302,
                    row,
                    name,
                    format!(
                        "`{name}` ({}) is greater than `{denominator}` ({}) in a partial file",
                        n[row].unwrap_or_default(),
                        d[row].unwrap_or_default()
                    ),
                )
                .help("the numerator counts records among those of the denominator"),
            );
        }
    }
    None
}

/// E300 for every unit id of the partials that units.csv lacks, sorted.
pub fn unknown_units(p: &Partials, units: &Units, dir: &Path) -> Vec<Diagnostic> {
    let ids: BTreeSet<&str> = p
        .units
        .iter()
        .map(String::as_str)
        .filter(|u| units.index(u).is_none())
        .collect();
    ids.into_iter()
        .map(|id| {
            Diagnostic::new(
                Code::E300,
                dir,
                Place::File,
                format!("the partials name unit \"{id}\", which units.csv lacks"),
            )
            .help("add the unit to units.csv or fix the records the partials were computed from")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Period;
    use crate::definition::load::load_from_strings;

    const CATALOGUE: &str = r#"
id = "t"
title = "t"
[dataset.ho_so]
unit = "ma_don_vi"
date = "ngay"
[dataset.phan_anh]
unit = "don_vi"
date = "ngay"
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
id = "phan-anh"
name = "Số phản ánh"
unit = "count"
direction = "lower"
[indicator.measure]
dataset = "phan_anh"
value = "COUNT(*)"
"#;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, text);
    }

    #[test]
    fn files_of_partitions_and_datasets_are_summed_per_unit_and_month() {
        let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let c = &loaded.catalogue;
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path();
        // two partitions of ho_so (unit "01" twice in January; Spark writes doubles as 3.0E0),
        // and phan_anh
        write(
            dir,
            "ho_so/part-00000.csv",
            "unit,month,truc-tuyen__numerator,truc-tuyen__denominator\n\
             01,202601,1.0,2.0\n02,202601,3.0E0,3\n01,202602,0,0\n",
        );
        write(
            dir,
            "ho_so/part-00001.csv",
            "unit,month,truc-tuyen__numerator,truc-tuyen__denominator\n\
             01,202601,2,5\n01,202612,1,1\n",
        );
        write(dir, "ho_so/_SUCCESS", "");
        write(
            dir,
            "phan_anh.csv",
            "unit,month,phan-anh__value\n01,202601,7\n",
        );
        let until = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
        let read = read(c, dir, until).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.files.len(), 3);
        let cell = |u: &str, m: u32, k: usize| read.partials.cell(u, Period::Month(2026, m), k);
        assert_eq!(cell("01", 1, 0), Some([Some(3.0), Some(7.0), None]));
        assert_eq!(cell("02", 1, 0), Some([Some(3.0), Some(3.0), None]));
        // a month with records but none online: 0 of 0, kept (a denominator of 0)
        assert_eq!(cell("01", 2, 0), Some([Some(0.0), Some(0.0), None]));
        // December is after `until`
        assert_eq!(cell("01", 12, 0), None);
        assert_eq!(cell("01", 1, 1), Some([None, None, Some(7.0)]));
        // the other dataset's rows give ho_so's indicator nothing, and conversely
        assert_eq!(cell("02", 1, 1), None);
        assert_eq!(read.partials.cells().count(), 4);
    }

    #[test]
    fn wrong_columns_are_data_errors_and_an_empty_directory_a_usage_error() {
        let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
        let c = &loaded.catalogue;
        let until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            read(c, tmp.path(), until),
            Err(PartialsError::Directory(DirectoryError::Empty(_)))
        ));
        write(
            tmp.path(),
            "a.csv",
            "unit,thang,i0_numerator\n01,202601,1\n",
        );
        write(tmp.path(), "b.csv", "unit,month,khac__value\n01,202601,1\n");
        let Err(PartialsError::Data(d)) = read(c, tmp.path(), until) else {
            panic!("expected data errors");
        };
        assert_eq!(d.len(), 2);
        assert!(
            d[0].message.contains("lacks the column(s) month"),
            "{}",
            d[0].message
        );
        assert!(d[1].message.contains("\"khac__value\""), "{}", d[1].message);
        let _ = std::fs::remove_file(tmp.path().join("a.csv"));
        write(
            tmp.path(),
            "b.csv",
            "unit,month,phan-anh__value\n01,202601,1\n",
        );
        let Err(PartialsError::Data(d)) = read(c, tmp.path(), until) else {
            panic!("expected a missing indicator");
        };
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .contains("truc-tuyen__numerator, truc-tuyen__denominator"),
            "{}",
            d[0].message
        );
        write(
            tmp.path(),
            "a.csv",
            "unit,month,truc-tuyen__numerator,truc-tuyen__denominator\n01,202601,1,1\n",
        );
        write(
            tmp.path(),
            "b.csv",
            "unit,month,phan-anh__value\n01,202613,1\n",
        );
        let Err(PartialsError::Data(d)) = read(c, tmp.path(), until) else {
            panic!("expected a bad month");
        };
        assert!(d[0].message.contains("202613"), "{}", d[0].message);
        write(
            tmp.path(),
            "b.csv",
            "unit,month,phan-anh__value\n01,202601,nhiều\n",
        );
        assert!(matches!(
            read(c, tmp.path(), until),
            Err(PartialsError::Data(_))
        ));
    }

    #[test]
    fn links_are_read_once_and_figures_reported_csv_refuses_are_errors() {
        let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
        let c = &loaded.catalogue;
        let until = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(
            tmp.path(),
            "a.csv",
            "unit,month,truc-tuyen__numerator,truc-tuyen__denominator,phan-anh__value\n\
             01,202601,3,4,2\n",
        );
        // a loop back to the directory, a second loop, and a second name for the file
        std::os::unix::fs::symlink(".", tmp.path().join("self")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(tmp.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("..", tmp.path().join("sub/up"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("a.csv", tmp.path().join("b.csv"))
            .unwrap_or_else(|e| panic!("{e}"));
        let read = read(c, tmp.path(), until).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.files.len(), 1, "{:?}", read.files);
        let jan = Period::Month(2026, 1);
        assert_eq!(
            read.partials.cell("01", jan, 0),
            Some([Some(3.0), Some(4.0), None])
        );
        assert_eq!(
            read.partials.cell("01", jan, 1),
            Some([None, None, Some(2.0)])
        );

        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let header = "unit,month,truc-tuyen__numerator,truc-tuyen__denominator,phan-anh__value\n";
        for (rows, code, row, column) in [
            (
                "01,202601,3,4,2\n01,202602,5,4,1\n",
                Code::E302,
                3,
                "truc-tuyen__numerator",
            ),
            ("01,202601,3,4,-2\n", Code::E303, 2, "phan-anh__value"),
        ] {
            write(tmp.path(), "a.csv", &format!("{header}{rows}"));
            let Err(PartialsError::Data(d)) = super::read(c, tmp.path(), until) else {
                panic!("expected {code:?}");
            };
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(d[0].code, code);
            assert_eq!(
                d[0].place,
                Place::Cell {
                    row,
                    column: column.to_string()
                }
            );
        }
    }
}

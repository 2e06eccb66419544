//! Record-level datasets (SPEC §4.2) as polars frames whose schema comes from the catalogue, not
//! from polars' guesses: the unit column is text, the date column dates, and every unreadable
//! cell an E307 at its file, row and column. Does not aggregate (see `eval::fused`).
//!
//! * Parquet files are scanned lazily with their own types; the date column must be a date or
//!   datetime column.
//! * CSV and XLSX files are read as text ([`read_table`]: calamine for XLSX, percent cells as
//!   percentages) and typed here. The unit column stays text (`00004` keeps its zeros). Dates
//!   are read by [`parse_date`], the rules of tasks.csv: `2026-06-30`, `30/6/2026`,
//!   `30-06-2026`, `30.06.2026`, an Excel serial date, or a spreadsheet datetime. Every other
//!   column is typed by all its cells, not the first hundred: booleans when every filled cell is
//!   a yes/no word ([`parse_bool`]: `true`, `có`, `đạt`, ...), integers when every one is a
//!   whole number without leading zeros, decimals when every one is a number ([`parse_number`]:
//!   `12,44`, `24.742`), otherwise text — except that a column the catalogue declares
//!   (`columns = [...]`) more than half of whose filled cells are booleans or numbers is that
//!   type, and each other cell (`N/A`, `x`) is E307: a measure reads it. An undeclared column
//!   that mixes kinds (record ids `12345` and `HS-001`) is text. Empty cells are nulls.

use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use super::number::{parse_bool, parse_date, parse_number};
use super::parquet::ParquetError;
use super::table::{file_name, read_table, Table};
use crate::definition::Dataset;
use crate::diagnostics::{Code, Diagnostic, Place};

/// At most this many E307 are given per column; the last one says how many more there are.
const ERRORS_PER_COLUMN: usize = 10;

/// A dataset file as a lazy frame with its unit column as text and its date column as dates,
/// or the diagnostics that say why it cannot be read (E306 for a missing column, E307 for an
/// unreadable file or cell).
pub fn open(dataset: &Dataset, path: &Path) -> Result<LazyFrame, Vec<Diagnostic>> {
    let is = |ext: &str| {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    if super::parquet::is_parquet(path) {
        return super::parquet::scan(path).map_err(|e| match e {
            ParquetError::NotUtf8 => vec![non_utf8_path(path)],
            e => vec![unreadable(path, e.to_string())],
        });
    }
    if is("csv") || is("xlsx") || is("xlsm") {
        let table = read_table(path).map_err(|d| vec![d])?;
        return typed_frame(dataset, &table).map(DataFrame::lazy);
    }
    Err(vec![unreadable(
        path,
        "unknown dataset format; expected .parquet, .csv or .xlsx".to_string(),
    )])
}

fn unreadable(path: &Path, reason: String) -> Diagnostic {
    Diagnostic::new(
        Code::E307,
        path,
        Place::File,
        format!("cannot read {}: {reason}", file_name(path)),
    )
    .help("save the dataset as Parquet, CSV (UTF-8, comma-separated, header row) or XLSX")
}

fn non_utf8_path(path: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::E306,
        path,
        Place::File,
        format!(
            "the path {} is not UTF-8 text, which the Parquet reader needs",
            path.display()
        ),
    )
    .help("rename the directory or file with a UTF-8 name")
}

/// The kind of one filled cell of a column typed by its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Float,
    Text,
}

fn kind_of(cell: &str) -> Kind {
    if is_integer(cell) {
        Kind::Int
    } else if parse_number(cell).is_some() && !has_leading_zero(cell) {
        Kind::Float
    } else if parse_bool(cell).is_some() {
        Kind::Bool
    } else {
        Kind::Text
    }
}

/// `-?\d+` without leading zeros (`0` itself is an integer), within i64.
fn is_integer(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !has_leading_zero(digits)
        && cell.parse::<i64>().is_ok()
}

/// `007`, `00004`: an identifier written with zeros, not a number (`0.5` is a number).
fn has_leading_zero(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    digits.len() > 1 && digits.starts_with('0') && digits.as_bytes()[1].is_ascii_digit()
}

/// The typed frame of a dataset read as text, or an E307 for each unreadable cell (E306 for a
/// missing column).
fn typed_frame(dataset: &Dataset, table: &Table) -> Result<DataFrame, Vec<Diagnostic>> {
    let mut needed = vec![dataset.unit.as_str(), dataset.date.as_str()];
    if let Some(columns) = &dataset.columns {
        needed.extend(columns.iter().map(String::as_str));
    }
    let missing = table.require(&needed);
    if !missing.is_empty() {
        return Err(missing);
    }
    let rows: Vec<usize> = (0..table.rows.len())
        .filter(|&i| !table.is_blank(i))
        .collect();
    let (unit, date) = (table.column(&dataset.unit), table.column(&dataset.date));
    let mut diagnostics = Vec::new();
    let mut columns = Vec::new();
    for (c, header) in table.headers.iter().enumerate() {
        if header.is_empty() {
            continue;
        }
        let cells = rows.iter().map(|&i| (i, table.cell(i, Some(c))));
        // the key columns take the catalogue's names (a header `Ma_Don_Vi` finds `ma_don_vi`)
        let declared = dataset
            .columns
            .iter()
            .flatten()
            .any(|d| table.column(d) == Some(c));
        let column = if Some(c) == unit {
            unit_column(table, &dataset.unit, cells, &mut diagnostics)
        } else if Some(c) == date {
            date_column(table, &dataset.date, cells, &mut diagnostics)
        } else {
            other_column(table, header, declared, cells, &mut diagnostics)
        };
        columns.push(column);
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    DataFrame::new_infer_height(columns).map_err(|e| vec![unreadable(&table.path, e.to_string())])
}

/// Collects E307 for one column, at most [`ERRORS_PER_COLUMN`], the last counting the rest.
struct ColumnErrors<'a> {
    table: &'a Table,
    column: &'a str,
    found: Vec<Diagnostic>,
    more: usize,
}

impl<'a> ColumnErrors<'a> {
    fn new(table: &'a Table, column: &'a str) -> Self {
        ColumnErrors {
            table,
            column,
            found: Vec::new(),
            more: 0,
        }
    }

    fn push(&mut self, i: usize, message: String, help: &str) {
        if self.found.len() < ERRORS_PER_COLUMN {
            self.found.push(
                self.table
                    .at(Code::E307, i, self.column, message)
                    .help(help),
            );
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self, into: &mut Vec<Diagnostic>) {
        if let (Some(last), true) = (self.found.last_mut(), self.more > 0) {
            last.message.push_str(&format!(
                " (and {} more such cells in column `{}`)",
                self.more, self.column
            ));
        }
        into.append(&mut self.found);
    }
}

fn unit_column<'a>(
    table: &Table,
    name: &str,
    cells: impl Iterator<Item = (usize, &'a str)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Column {
    let mut errors = ColumnErrors::new(table, name);
    let values: Vec<Option<&str>> = cells
        .map(|(i, cell)| {
            if cell.is_empty() {
                errors.push(
                    i,
                    format!("record without a unit in column `{name}`"),
                    "every record names the unit (an id of units.csv) it belongs to",
                );
                None
            } else {
                Some(cell)
            }
        })
        .collect();
    errors.finish(diagnostics);
    Column::new(name.into(), values)
}

fn date_column<'a>(
    table: &Table,
    name: &str,
    cells: impl Iterator<Item = (usize, &'a str)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Column {
    const HELP: &str = "write the day first — 30/6/2026, 30-06-2026, 30.06.2026 — or \
                        2026-06-30, or store the cell as an Excel date";
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut errors = ColumnErrors::new(table, name);
    let days: Vec<Option<i32>> = cells
        .map(|(i, cell)| match parse_date(cell) {
            Some(d) => i32::try_from((d - epoch).num_days()).ok(),
            None if cell.is_empty() => {
                errors.push(
                    i,
                    format!("record without a date in column `{name}`"),
                    "every record needs its date, which places it in a period",
                );
                None
            }
            None => {
                errors.push(
                    i,
                    format!("cannot read \"{cell}\" in column `{name}` as a date"),
                    HELP,
                );
                None
            }
        })
        .collect();
    errors.finish(diagnostics);
    let column = Column::new(name.into(), days);
    column
        .cast(&DataType::Date)
        .unwrap_or_else(|_| Column::full_null(name.into(), column.len(), &DataType::Date))
}

fn other_column<'a>(
    table: &Table,
    name: &str,
    declared: bool,
    cells: impl Iterator<Item = (usize, &'a str)> + Clone,
    diagnostics: &mut Vec<Diagnostic>,
) -> Column {
    let kinds: Vec<Option<Kind>> = cells
        .clone()
        .map(|(_, c)| (!c.is_empty()).then(|| kind_of(c)))
        .collect();
    let count = |pred: &dyn Fn(Kind) -> bool| kinds.iter().flatten().filter(|k| pred(**k)).count();
    let filled = count(&|_| true);
    let bools = count(&|k| k == Kind::Bool);
    let numbers = count(&|k| matches!(k, Kind::Int | Kind::Float));
    let ints = count(&|k| k == Kind::Int);
    // in a declared column, more than half of the filled cells decide its type
    let dominant = |n: usize| declared && n * 2 > filled;
    let text = || {
        let values: Vec<Option<&str>> = cells
            .clone()
            .map(|(_, c)| (!c.is_empty()).then_some(c))
            .collect();
        Column::new(name.into(), values)
    };
    if filled == 0 {
        return text();
    }
    if bools == filled || (dominant(bools) && bools >= numbers) {
        let mut errors = ColumnErrors::new(table, name);
        let values: Vec<Option<bool>> = cells
            .clone()
            .map(|(i, c)| {
                if c.is_empty() {
                    return None;
                }
                let v = parse_bool(c);
                if v.is_none() {
                    errors.push(
                        i,
                        format!("cannot read \"{c}\" in column `{name}` as yes or no"),
                        "the column's other cells are yes/no: write true/false, có/không, \
                         đạt/chưa đạt, or leave the cell empty",
                    );
                }
                v
            })
            .collect();
        errors.finish(diagnostics);
        return Column::new(name.into(), values);
    }
    if ints == filled {
        let values: Vec<Option<i64>> = cells.map(|(_, c)| c.parse().ok()).collect();
        return Column::new(name.into(), values);
    }
    if numbers == filled || dominant(numbers) {
        let mut errors = ColumnErrors::new(table, name);
        let values: Vec<Option<f64>> = cells
            .map(|(i, c)| {
                if c.is_empty() {
                    return None;
                }
                let v = parse_number(c);
                if v.is_none() {
                    errors.push(
                        i,
                        format!("cannot read \"{c}\" in column `{name}` as a number"),
                        "the column's other cells are numbers: write a number (12.44 or \
                         12,44), or leave the cell empty for no value",
                    );
                }
                v
            })
            .collect();
        errors.finish(diagnostics);
        return Column::new(name.into(), values);
    }
    text()
}

/// The E307 of a dataset file polars' reader fails on inside (a corrupt file): at the file, found
/// when the file is checked before the scan (its metadata) or during the scan (a data page).
pub fn damaged_file(dataset: &str, path: &Path, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E307,
        path,
        Place::File,
        format!(
            "cannot read dataset \"{dataset}\": the file is damaged or not what its name says ({reason})"
        ),
    )
    .help("write the file again from its source (Parquet, CSV or XLSX)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::load::load_from_strings;

    /// `ho_so` with the unit `ma_don_vi`, the date `ngay` and the declared `columns`.
    fn dataset(columns: &str) -> Dataset {
        let loaded = load_from_strings(&[(
            "catalogue.toml",
            &format!(
                "id = \"t\"\ntitle = \"t\"\n[dataset.ho_so]\nunit = \"ma_don_vi\"\n\
                 date = \"ngay\"\ncolumns = [{columns}]\n"
            ),
        )]);
        loaded.catalogue.datasets[0].clone()
    }

    fn open_csv_declaring(
        columns: &str,
        text: &str,
    ) -> (tempfile::TempDir, Result<DataFrame, Vec<Diagnostic>>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ho_so.csv");
        std::fs::write(&path, text).unwrap();
        let frame = open(&dataset(columns), &path).map(|lf| lf.collect().unwrap());
        (dir, frame)
    }

    fn open_csv(text: &str) -> (tempfile::TempDir, Result<DataFrame, Vec<Diagnostic>>) {
        open_csv_declaring("\"kenh\"", text)
    }

    fn cells(diagnostics: &[Diagnostic]) -> Vec<(Code, usize, String)> {
        diagnostics
            .iter()
            .map(|d| match &d.place {
                Place::Cell { row, column } => (d.code, *row, column.clone()),
                _ => (d.code, 0, String::new()),
            })
            .collect()
    }

    #[test]
    fn units_stay_text_and_dates_take_the_forms_of_tasks_csv() {
        let (_dir, frame) = open_csv(
            "ma_don_vi,ngay,kenh,so,ty_le,mat\n\
             00004,2026-06-30,truc_tuyen,3,\"12,44\",có\n\
             00004,30/6/2026,truc_tiep,4,7,không\n\
             4,30-06-2026,truc_tuyen,,0.5,\n\
             x1,30.06.2026,,5,2,true\n\
             x1,46203,truc_tuyen,6,1,false\n",
        );
        let frame = frame.unwrap();
        let units: Vec<Option<&str>> = frame
            .column("ma_don_vi")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            units,
            [
                Some("00004"),
                Some("00004"),
                Some("4"),
                Some("x1"),
                Some("x1")
            ]
        );
        let days = frame.column("ngay").unwrap();
        assert_eq!(days.dtype(), &DataType::Date);
        let days: Vec<Option<i32>> = days
            .cast(&DataType::Int32)
            .unwrap()
            .i32()
            .unwrap()
            .iter()
            .collect();
        // 2026-06-30 is day 20634 after 1970-01-01, in every form
        assert_eq!(days, [Some(20634); 5]);
        assert_eq!(frame.column("so").unwrap().dtype(), &DataType::Int64);
        let rate: Vec<Option<f64>> = frame
            .column("ty_le")
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            rate,
            [Some(12.44), Some(7.0), Some(0.5), Some(2.0), Some(1.0)]
        );
        let secret: Vec<Option<bool>> = frame
            .column("mat")
            .unwrap()
            .bool()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            secret,
            [Some(true), Some(false), None, Some(true), Some(false)]
        );
        assert_eq!(frame.column("kenh").unwrap().dtype(), &DataType::String);
    }

    #[test]
    fn every_unreadable_cell_is_e307_at_its_row_and_column() {
        let mut text = String::from("ma_don_vi,ngay,kenh,so_ngay,mat\n");
        // 120 good rows, then the cells polars would trip on after its first 100
        for _ in 0..120 {
            text.push_str("lc,2026-06-30,truc_tuyen,3,có\n");
        }
        text.push_str("lc,2/15/2026,truc_tuyen,N/A,x\n"); // row 122
        text.push_str(",hôm qua,truc_tuyen,4,không\n"); // row 123
        text.push_str("lc,,truc_tuyen,5,có\n"); // row 124
        let (_dir, frame) = open_csv_declaring("\"kenh\", \"so_ngay\", \"mat\"", &text);
        let errors = frame.unwrap_err();
        assert_eq!(
            cells(&errors),
            [
                (Code::E307, 123, "ma_don_vi".to_string()),
                (Code::E307, 122, "ngay".to_string()),
                (Code::E307, 123, "ngay".to_string()),
                (Code::E307, 124, "ngay".to_string()),
                (Code::E307, 122, "so_ngay".to_string()),
                (Code::E307, 122, "mat".to_string()),
            ]
        );
        assert!(
            errors[1].message.contains("\"2/15/2026\""),
            "{}",
            errors[1].message
        );
        assert!(
            errors[4].message.contains("\"N/A\""),
            "{}",
            errors[4].message
        );
        assert!(errors.iter().all(|d| d.path.ends_with("ho_so.csv")));
    }

    #[test]
    fn a_missing_declared_column_is_e306_and_a_text_column_stays_text() {
        let (_dir, frame) = open_csv("ma_don_vi,ngay\nlc,2026-06-30\n");
        let errors = frame.unwrap_err();
        assert_eq!(errors[0].code, Code::E306);
        assert!(
            errors[0].message.contains("`kenh`"),
            "{}",
            errors[0].message
        );

        // half numbers, half words: text, no error
        let (_dir, frame) = open_csv("ma_don_vi,ngay,kenh\nlc,2026-06-30,1\nlc,2026-06-30,a\n");
        assert_eq!(
            frame.unwrap().column("kenh").unwrap().dtype(),
            &DataType::String
        );

        // a declared column mostly yes/no: `x` is an error; undeclared, the column is text
        let text = "ma_don_vi,ngay,kenh,mat\nlc,2026-06-30,a,có\nlc,2026-06-30,a,không\n\
                    lc,2026-06-30,a,x\n";
        let (_dir, frame) = open_csv_declaring("\"kenh\", \"mat\"", text);
        assert_eq!(
            cells(&frame.unwrap_err()),
            [(Code::E307, 4, "mat".to_string())]
        );
        let (_dir, frame) = open_csv(text);
        assert_eq!(
            frame.unwrap().column("mat").unwrap().dtype(),
            &DataType::String
        );
    }
}

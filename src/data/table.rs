//! Every tabular input — CSV, Parquet or XLSX — as a grid of strings with a header row, so
//! that one set of readers and checks serves all three formats. Does not interpret cells.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data as Cell, Reader, Xlsx, XlsxError};
use polars::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::number::format_number;
use crate::diagnostics::{Code, Diagnostic, Place};
use crate::guard::Panicked;
use crate::text::fold;

/// The extensions a table may have, in the order they are looked for.
pub const EXTENSIONS: [&str; 3] = ["csv", "parquet", "xlsx"];

/// A table read from a file: header names and rows of cells, all as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub path: PathBuf,
    /// How messages name the table when not by its file name: `the form` for the sheet of a
    /// returned form, whose rows are read as reported.csv's are.
    pub called: Option<String>,
    /// Header names, trimmed.
    pub headers: Vec<String>,
    /// `rows[i]` is spreadsheet row `i + 2` (the header is row 1). The readers of files give
    /// every row one cell per header, an empty or null cell as `""`; a row built otherwise may be
    /// shorter ([`Table::cell`] reads a missing cell as `""`).
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The index of column `name`: the header equal to it, else the header equal to it after
    /// folding case and diacritics (`Value`, `VALUE` find `value`).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name).or_else(|| {
            let folded = fold(name);
            self.headers.iter().position(|h| fold(h) == folded)
        })
    }

    /// The row number a spreadsheet shows for `rows[i]`: the header is row 1.
    pub fn row_number(i: usize) -> usize {
        i + 2
    }

    /// The cell of row `i` in column `col`, trimmed; `""` when absent.
    pub fn cell(&self, i: usize, col: Option<usize>) -> &str {
        col.and_then(|c| self.rows.get(i)?.get(c))
            .map_or("", |s| s.trim())
    }

    /// Whether every cell of row `i` is blank (such rows are skipped by the readers).
    pub fn is_blank(&self, i: usize) -> bool {
        self.rows
            .get(i)
            .is_none_or(|r| r.iter().all(|c| c.trim().is_empty()))
    }

    /// A diagnostic at the cell of `rows[i]` in column `column`.
    pub fn at(&self, code: Code, i: usize, column: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(
            code,
            &self.path,
            Place::Cell {
                row: Self::row_number(i),
                column: column.to_string(),
            },
            message,
        )
    }

    /// E306 for each of `names` that is not a column; the help lists the columns present.
    pub fn require(&self, names: &[&str]) -> Vec<Diagnostic> {
        let file = file_name(&self.path);
        names
            .iter()
            .filter(|n| self.column(n).is_none())
            .map(|n| {
                Diagnostic::new(
                    Code::E306,
                    &self.path,
                    Place::File,
                    format!("{file} has no column `{n}`"),
                )
                .help(self.columns_help(names))
            })
            .collect()
    }

    /// The help of a missing-column diagnostic: what the header holds and what it needs.
    pub fn columns_help(&self, needed: &[&str]) -> String {
        let present = if self.headers.is_empty() {
            "no header row".to_string()
        } else {
            format!("columns {}", self.headers.join(", "))
        };
        let mut help = format!(
            "the first row must name the columns {}; found {present}",
            needed.join(", ")
        );
        if self.headers.len() == 1 && self.headers[0].contains(';') {
            help.push_str(" (the file seems separated by `;`: save it as CSV with commas)");
        }
        help
    }
}

/// The file name of `path` for messages (`reported.csv`).
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Finds the table called `name` in `dir`: `name.csv`, `name.parquet` or `name.xlsx`. None when
/// there is none; E306 naming the files when there are several.
// One diagnostic per file, a few files per run: its size does not matter.
#[allow(clippy::result_large_err)]
pub fn find_table(dir: &Path, name: &str) -> Result<Option<PathBuf>, Diagnostic> {
    let found: Vec<PathBuf> = EXTENSIONS
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .filter(|p| p.is_file())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [first, ..] => {
            let names: Vec<String> = found.iter().map(|p| file_name(p)).collect();
            Err(Diagnostic::new(
                Code::E306,
                first,
                Place::File,
                format!("two files for `{name}`: {}", names.join(" and ")),
            )
            .help(format!(
                "keep one file per name in {}: remove or rename all but one of them",
                dir.display()
            )))
        }
    }
}

/// Reads a table by its extension: CSV (UTF-8, comma-separated, header row, a BOM tolerated),
/// Parquet, or XLSX (first sheet, header on its first non-empty row). Cells become text:
/// CSV cells as written; typed cells with [`format_number`] for numbers, ISO dates
/// (`2026-06-30`, or `2026-06-30 08:15:00` when there is a time), `true`/`false` for booleans,
/// and the error text (`#DIV/0!`) for spreadsheet errors. An unreadable file is E307 (E306 when
/// it does not exist).
// One diagnostic per file, a few files per run: its size does not matter.
#[allow(clippy::result_large_err)]
pub fn read_table(path: &Path) -> Result<Table, Diagnostic> {
    if !path.is_file() {
        return Err(Diagnostic::new(
            Code::E306,
            path,
            Place::File,
            format!("{} does not exist", path.display()),
        ));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    // Readers of foreign formats may panic on malformed input; a panic becomes a diagnostic.
    let read = crate::guard::catch(|| match ext.as_deref() {
        Some("csv") => Ok(read_csv(path)?),
        Some("parquet") => Ok(read_parquet(path)?),
        Some("xlsx" | "xlsm") => read_xlsx(path),
        _ => Err(Failure::Reason(Unreadable::Format)),
    });
    let (headers, rows) = match read {
        Ok(Ok(grid)) => grid,
        Ok(Err(Failure::Reason(reason))) => return Err(unreadable(path, reason)),
        Ok(Err(Failure::At(d))) => return Err(*d),
        Err(panicked) => return Err(unreadable(path, Unreadable::Panicked(panicked))),
    };
    let headers: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    if let Some(d) = duplicate_header(path, &headers) {
        return Err(d);
    }
    Ok(Table {
        called: None,
        path: path.to_path_buf(),
        headers,
        rows,
    })
}

/// E306 at the second of two header cells that name one column (equal after folding case and
/// diacritics): a reader would take one and silently ignore the other.
fn duplicate_header(path: &Path, headers: &[String]) -> Option<Diagnostic> {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    folded.iter().enumerate().find_map(|(j, h)| {
        let i = folded[..j].iter().position(|first| first == h)?;
        (!h.is_empty()).then(|| {
            Diagnostic::new(
                Code::E306,
                path,
                Place::Cell {
                    row: 1,
                    column: headers[j].clone(),
                },
                format!(
                    "column `{}` appears twice in the header of {} (columns {} and {})",
                    headers[j],
                    file_name(path),
                    column_letters(i),
                    column_letters(j)
                ),
            )
            .label("a second column of this name")
            .help("give each column one header cell: remove or rename the repeated one")
        })
    })
}

/// The spreadsheet letters of the 0-based column `i`: 0 → `A`, 26 → `AA`.
pub fn column_letters(i: usize) -> String {
    let mut n = i + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

fn normalize_header(h: &str) -> String {
    h.trim().nfc().collect()
}

fn unreadable(path: &Path, reason: Unreadable) -> Diagnostic {
    Diagnostic::new(
        Code::E307,
        path,
        Place::File,
        format!("cannot read {}: {reason}", file_name(path)),
    )
    .help(
        "save the table as CSV (UTF-8, comma-separated, header row), Parquet, or XLSX \
         (first sheet, header row)",
    )
}

type Grid = (Vec<String>, Vec<Vec<String>>);

/// Why a reader gives no grid: a reason about the whole file (E307 at the file), or a
/// diagnostic at a place in it.
enum Failure {
    Reason(Unreadable),
    At(Box<Diagnostic>),
}

impl From<Unreadable> for Failure {
    fn from(reason: Unreadable) -> Self {
        Failure::Reason(reason)
    }
}

/// Why a file cannot be read as a table: the reason an E307 at the file gives, in words.
#[derive(Debug, thiserror::Error)]
enum Unreadable {
    #[error("unknown table format; expected .{}", EXTENSIONS.join(", ."))]
    Format,
    #[error("the file is UTF-16 text, not UTF-8 (save it as \"CSV UTF-8\")")]
    Utf16,
    #[error("line {line} is not UTF-8 text (save the file as \"CSV UTF-8\")")]
    NotUtf8 { line: usize },
    #[error("column `{name}` cannot be read as text: {source}")]
    Column { name: String, source: PolarsError },
    #[error("the file is damaged or not what its name says ({0})")]
    Panicked(Panicked),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Polars(#[from] PolarsError),
    #[error(transparent)]
    Parquet(#[from] super::parquet::ParquetError),
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
}

fn read_csv(path: &Path) -> Result<Grid, Unreadable> {
    let mut bytes = fs::read(path)?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if let Err(e) = std::str::from_utf8(&bytes) {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
        return Err(if utf16 {
            Unreadable::Utf16
        } else {
            Unreadable::NotUtf8 { line }
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok((Vec::new(), Vec::new()));
    }
    // the header is read as a row of text, not by polars, which would rename a repeated name
    let df = CsvReadOptions::default()
        .with_has_header(false)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .into_reader_with_file_handle(Cursor::new(bytes))
        .finish()?;
    let (_, mut rows) = frame_to_grid(&df)?;
    if rows.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let headers = rows.remove(0);
    Ok((headers, rows))
}

fn read_parquet(path: &Path) -> Result<Grid, Unreadable> {
    frame_to_grid(&super::parquet::read(path)?)
}

/// Every column of a frame as text, by type (see [`read_table`]).
fn frame_to_grid(df: &DataFrame) -> Result<Grid, Unreadable> {
    let headers: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let mut columns: Vec<Vec<String>> = Vec::with_capacity(headers.len());
    for column in df.columns() {
        columns.push(column_to_text(column)?);
    }
    let mut cells: Vec<_> = columns.into_iter().map(Vec::into_iter).collect();
    let rows = (0..df.height())
        .map(|_| {
            cells
                .iter_mut()
                .map(|c| c.next().unwrap_or_default())
                .collect()
        })
        .collect();
    Ok((headers, rows))
}

fn column_to_text(column: &Column) -> Result<Vec<String>, Unreadable> {
    let cannot = |source: PolarsError| Unreadable::Column {
        name: column.name().to_string(),
        source,
    };
    if column.dtype().is_float() {
        let floats = column.cast(&DataType::Float64).map_err(cannot)?;
        let floats = floats.f64().map_err(cannot)?;
        return Ok(floats
            .iter()
            .map(|v| v.map(format_number).unwrap_or_default())
            .collect());
    }
    let is_datetime = matches!(column.dtype(), DataType::Datetime(..));
    let text = column.cast(&DataType::String).map_err(cannot)?;
    let text = text.str().map_err(cannot)?;
    Ok(text
        .iter()
        .map(|v| match v {
            None => String::new(),
            Some(s) if is_datetime => trim_midnight(s),
            Some(s) => s.to_string(),
        })
        .collect())
}

/// `2026-06-30 00:00:00.000000` → `2026-06-30`; a datetime with a time keeps it.
fn trim_midnight(s: &str) -> String {
    match s.get(..10) {
        Some(date) if s[10..].bytes().all(|b| b"0:. T".contains(&b)) => date.to_string(),
        _ => s.to_string(),
    }
}

fn read_xlsx(path: &Path) -> Result<Grid, Failure> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).map_err(Unreadable::Xlsx)?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let range = book.worksheet_range(&sheet).map_err(Unreadable::Xlsx)?;
    // number formats tell percentages (`85%` is stored as 0.85); a workbook whose styles cannot
    // be read is read without them
    let styles = book.worksheet_style(&sheet).ok();
    // The header is the first non-empty row of the sheet. When blank rows precede it, as many
    // blank rows are put after it, so that row numbers in diagnostics are the sheet's (blank
    // rows are skipped by the readers). Columns keep their place the same way.
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let merged = book.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
    if let Some(region) = merged
        .iter()
        .find(|m| m.start.0 <= first_row && first_row <= m.end.0 && m.start != m.end)
    {
        let cell = |(r, c): (u32, u32)| format!("{}{}", column_letters(c as usize), r + 1);
        let headers = range.rows().next().unwrap_or_default();
        let column = headers
            .get(region.start.1.saturating_sub(first_column) as usize)
            .map(cell_text)
            .filter(|h| !h.trim().is_empty())
            .unwrap_or_else(|| column_letters(region.start.1 as usize));
        return Err(Failure::At(Box::new(
            Diagnostic::new(
                Code::E307,
                path,
                Place::Cell {
                    row: first_row as usize + 1,
                    column,
                },
                format!(
                    "the header row of {} has merged cells {}:{}",
                    file_name(path),
                    cell(region.start),
                    cell(region.end)
                ),
            )
            .label("merged header cells")
            .help(
                "unmerge them and give the table one header row with one column name per \
                 cell (unit, period, indicator, value, ...)",
            ),
        )));
    }
    let percent = |row: usize, column: usize| {
        styles
            .as_ref()
            .and_then(|s| s.get((first_row + row as u32, first_column + column as u32)))
            .and_then(|style| style.number_format.as_ref())
            .is_some_and(|f| is_percent_format(&f.format_code))
    };
    let mut rows = range.rows().enumerate().map(|(i, r)| {
        let mut cells = vec![String::new(); first_column as usize];
        cells.extend(r.iter().enumerate().map(|(j, cell)| match cell {
            Cell::Float(_) | Cell::Int(_) if percent(i, j) => percent_text(cell),
            _ => cell_text(cell),
        }));
        cells
    });
    let headers = rows.next().unwrap_or_default();
    let width = headers.len();
    let blank = std::iter::repeat_n(Vec::new(), first_row as usize);
    let rows = blank
        .chain(rows)
        .map(|mut r| {
            r.resize(width, String::new());
            r
        })
        .collect();
    Ok((headers, rows))
}

/// Whether an Excel number format shows a percentage: a `%` outside quoted text and escapes
/// (`0%`, `0.00%`, `#,##0.0%`; not `0"%"` nor `0\%`).
pub(crate) fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' => {
                chars.next();
            }
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The text of a number in a percent-formatted cell, in percent: 0.85 (shown `85%`) → `85`,
/// 0.1244 → `12.44`. The decimal point of the shortest form of the stored value is moved two
/// places, so that no binary rounding enters (0.1244 × 100 is 12.440000000000001).
pub(crate) fn percent_text(cell: &Cell) -> String {
    let v = match cell {
        Cell::Float(f) => *f,
        Cell::Int(i) => *i as f64,
        _ => return cell_text(cell),
    };
    if !v.is_finite() {
        return cell_text(cell);
    }
    let text = format!("{}", v.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = format!("{fraction:0<2}");
    let (moved, rest) = fraction.split_at(2);
    let whole = format!("{whole}{moved}");
    let whole = whole.trim_start_matches('0');
    let shifted = format!(
        "{}.{}",
        if whole.is_empty() { "0" } else { whole },
        if rest.is_empty() { "0" } else { rest }
    );
    match shifted.parse::<f64>() {
        Ok(p) => format_number(if v < 0.0 { -p } else { p }),
        Err(_) => cell_text(cell),
    }
}

pub(crate) fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::String(s) => s.clone(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => format_number(*f),
        Cell::Bool(b) => b.to_string(),
        Cell::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Cell::DateTime(dt) => format_number(dt.as_f64()),
        Cell::DateTimeIso(s) | Cell::DurationIso(s) => trim_midnight(s),
        Cell::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn csv_cells_stay_text_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "reported.csv",
            concat!(
                "\u{feff}unit,period,indicator,value\r\n",
                "lc,2026,a,\"24.742\"\r\n",
                "lc,2026-06,b,\"12,44\"\r\n",
                "lc,2026,c,\r\n",
            )
            .as_bytes(),
        );
        let t = read_table(&path).unwrap();
        assert_eq!(t.headers, ["unit", "period", "indicator", "value"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0], ["lc", "2026", "a", "24.742"]);
        assert_eq!(t.rows[1][1], "2026-06");
        assert_eq!(t.rows[1][3], "12,44");
        assert_eq!(t.rows[2][3], "");
        assert_eq!(t.column("value"), Some(3));
        assert_eq!(t.column("VALUE"), Some(3));
        assert_eq!(t.column("note"), None);
        assert_eq!(Table::row_number(0), 2);
    }

    #[test]
    fn leading_zeros_and_ids_are_not_inferred_as_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "units.csv", b"id,name\n007,Xa A\n1e3,Xa B\n");
        let t = read_table(&path).unwrap();
        assert_eq!(t.rows[0][0], "007");
        assert_eq!(t.rows[1][0], "1e3");
    }

    #[test]
    fn unreadable_csv_is_e307_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let latin1 = write(dir.path(), "a.csv", b"id,name\nx,Ha N\xf4i\n");
        let err = read_table(&latin1).unwrap_err();
        assert_eq!(err.code, Code::E307);
        assert!(err.message.contains("line 2"), "{}", err.message);
        let ragged = write(dir.path(), "b.csv", b"id,name\nx,y,z,w\n");
        assert_eq!(read_table(&ragged).unwrap_err().code, Code::E307);
        let fake = write(dir.path(), "c.xlsx", b"not a zip");
        assert_eq!(read_table(&fake).unwrap_err().code, Code::E307);
        let fake = write(dir.path(), "d.parquet", b"not parquet");
        assert_eq!(read_table(&fake).unwrap_err().code, Code::E307);
        assert_eq!(
            read_table(&dir.path().join("none.csv")).unwrap_err().code,
            Code::E306
        );
        let empty = write(dir.path(), "e.csv", b"");
        let t = read_table(&empty).unwrap();
        assert!(t.headers.is_empty() && t.rows.is_empty());
    }

    #[test]
    fn two_files_for_one_name_is_e306_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find_table(dir.path(), "units").unwrap(), None);
        let csv = write(dir.path(), "units.csv", b"id\n");
        assert_eq!(find_table(dir.path(), "units").unwrap(), Some(csv));
        write(dir.path(), "units.xlsx", b"");
        let err = find_table(dir.path(), "units").unwrap_err();
        assert_eq!(err.code, Code::E306);
        assert!(err.message.contains("units.csv"), "{}", err.message);
        assert!(err.message.contains("units.xlsx"), "{}", err.message);
    }

    #[test]
    fn xlsx_numbers_dates_and_blanks_read_back_as_text() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reported.xlsx");
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["unit", "period", "value", "date", "done"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        let date = ExcelDateTime::from_ymd(2026, 6, 30).unwrap();
        let date_format = Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_string(1, 0, "lc").unwrap();
        sheet.write_number(1, 1, 2026).unwrap();
        sheet.write_number(1, 2, 24742).unwrap();
        sheet
            .write_datetime_with_format(1, 3, &date, &date_format)
            .unwrap();
        sheet.write_boolean(1, 4, true).unwrap();
        sheet.write_string(2, 0, "sa-pa").unwrap();
        sheet.write_string(2, 1, "2026-Q2").unwrap();
        sheet.write_number(2, 2, 12.44).unwrap();
        sheet.write_number(3, 2, 24.742).unwrap();
        book.save(&path).unwrap();

        let t = read_table(&path).unwrap();
        assert_eq!(t.headers, ["unit", "period", "value", "date", "done"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0], ["lc", "2026", "24742", "2026-06-30", "true"]);
        assert_eq!(t.rows[1], ["sa-pa", "2026-Q2", "12.44", "", ""]);
        assert_eq!(t.rows[2][2], "24.7420");
        assert_eq!(
            super::super::number::parse_number(&t.rows[2][2]),
            Some(24.742)
        );
    }

    #[test]
    fn xlsx_rows_keep_the_sheets_numbers_when_the_table_starts_lower() {
        use rust_xlsxwriter::Workbook;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("units.xlsx");
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        // header on sheet row 3, from column B; one unit on row 4
        sheet.write_string(2, 1, "id").unwrap();
        sheet.write_string(2, 2, "name").unwrap();
        sheet.write_string(3, 1, "lc").unwrap();
        sheet.write_string(3, 2, "Lào Cai").unwrap();
        book.save(&path).unwrap();

        let t = read_table(&path).unwrap();
        assert_eq!(t.headers, ["", "id", "name"]);
        let unit = t.rows.iter().position(|r| r[1] == "lc").unwrap();
        assert_eq!(Table::row_number(unit), 4);
        assert_eq!(t.rows[unit], ["", "lc", "Lào Cai"]);
        assert!(t.is_blank(0));
    }

    #[test]
    fn parquet_columns_cast_to_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ho_so.parquet");
        let dates = Column::new("ngay".into(), [20634i32, 20635])
            .cast(&DataType::Date)
            .unwrap();
        let mut df = DataFrame::new_infer_height(vec![
            Column::new("ma_don_vi".into(), ["lc", "sa-pa"]),
            Column::new("so".into(), [24742i64, 7]),
            Column::new("ty_le".into(), [Some(12.44f64), None]),
            Column::new("mat".into(), [true, false]),
            dates,
        ])
        .unwrap();
        let file = fs::File::create(&path).unwrap();
        ParquetWriter::new(file).finish(&mut df).unwrap();

        let t = read_table(&path).unwrap();
        assert_eq!(t.headers, ["ma_don_vi", "so", "ty_le", "mat", "ngay"]);
        assert_eq!(t.rows[0], ["lc", "24742", "12.44", "true", "2026-06-30"]);
        assert_eq!(t.rows[1], ["sa-pa", "7", "", "false", "2026-07-01"]);
    }
}

//! Laying out typed cells in a worksheet of scorecard.xlsx: the kinds of column, cells that
//! borrow their text, number and date formats by language, fills with readable text, column
//! widths, and Excel's limits (rows and columns beyond them counted, texts cut). Knows no
//! scorecard: the sheets of `xlsx` hand it their rows.

use super::*;

/// How a column shows its numbers; the stored value is always the full-precision number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Text,
    /// Scores and points: `0.00`.
    Score,
    /// A value in the indicator's own unit: thousands grouped, decimals only when it has some.
    Amount,
    /// Ranks and years.
    Integer,
    /// A fraction shown as a percentage: `0.00%`.
    Percent,
    Date,
}

/// A cell; text borrows from the Scorecard where it can (a national run has 50,000 rows).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(f64),
    Date(NaiveDate),
}

pub(crate) type Rgb = (u8, u8, u8);

pub(crate) struct Column {
    pub(crate) header: String,
    pub(crate) kind: Kind,
    /// A code column beside its label: kept for filtering and machines, hidden from readers.
    pub(crate) hidden: bool,
}

/// The layout of one sheet: its name and columns; its rows go to a [`Sheet`] as they are made.
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) columns: Vec<Column>,
    /// Columns kept in view when scrolling right.
    pub(crate) frozen_columns: u16,
}

/// A row: (cell, fill colour) per column.
pub(crate) type Row<'a> = [(Cell<'a>, Option<Rgb>)];

impl Table {
    pub(crate) fn new(name: &'static str, frozen_columns: u16) -> Table {
        Table {
            name,
            columns: Vec::new(),
            frozen_columns,
        }
    }

    pub(crate) fn column(&mut self, header: impl Into<String>, kind: Kind) {
        self.columns.push(Column {
            header: header.into(),
            kind,
            hidden: false,
        });
    }

    pub(crate) fn hidden_column(&mut self, header: impl Into<String>) {
        self.columns.push(Column {
            header: header.into(),
            kind: Kind::Text,
            hidden: true,
        });
    }
}

/// Excel's limit on the text of one cell, in UTF-16 code units.
pub(crate) const CELL_TEXT_LIMIT: usize = 32_767;

/// `s`, cut to what one cell holds, ending with `…` when cut: a name longer than Excel allows
/// (which `check` accepts) must not fail the workbook of a score run.
pub(crate) fn fit_cell(s: &str) -> Cow<'_, str> {
    if s.len() <= CELL_TEXT_LIMIT {
        // UTF-16 units never outnumber UTF-8 bytes
        return Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > CELL_TEXT_LIMIT - 1 {
            break;
        }
        end = i + c.len_utf8();
    }
    if end == s.len() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("{}…", &s[..end]))
    }
}

pub(crate) fn text(s: &str) -> Cell<'_> {
    Cell::Text(Cow::Borrowed(s))
}

pub(crate) fn optional_text(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Empty, text)
}

/// A number cell; absent and non-finite values are empty cells.
pub(crate) fn number<'a>(v: Option<f64>) -> Cell<'a> {
    match v {
        Some(v) if v.is_finite() => Cell::Number(v),
        _ => Cell::Empty,
    }
}

/// A date cell; none is an empty cell.
pub(crate) fn date(d: Option<NaiveDate>) -> Cell<'static> {
    d.map_or(Cell::Empty, Cell::Date)
}

pub(crate) fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

pub(crate) fn number_format(kind: Kind, v: f64, lang: Lang) -> &'static str {
    match kind {
        Kind::Score => "0.00",
        Kind::Percent => "0.00%",
        Kind::Integer => "0",
        Kind::Amount if v.fract() == 0.0 => "#,##0",
        Kind::Amount => "#,##0.00",
        Kind::Date => date_format(lang),
        Kind::Text => "General",
    }
}

/// The number format a column of `kind` has itself (its cells' usual one): none for text.
/// Whole amounts are the usual ones (counts); an amount with decimals has its own format.
pub(crate) fn column_format(kind: Kind, lang: Lang) -> Option<&'static str> {
    match kind {
        Kind::Text => None,
        Kind::Amount => Some("#,##0"),
        kind => Some(number_format(kind, 0.0, lang)),
    }
}

pub(crate) fn date_format(lang: Lang) -> &'static str {
    lang.pick("dd/mm/yyyy", "yyyy-mm-dd")
}

/// Characters the formatted number takes, for column widths (counted, not formatted: a
/// national workbook has 500,000 numbers).
pub(crate) fn display_width(kind: Kind, v: f64) -> usize {
    let grouped = |digits: usize| digits + digits.saturating_sub(1) / 3;
    match kind {
        // "40.93%": the percentage's integer digits, ".dd" and "%"
        Kind::Percent => integer_digits(v * 100.0, 2) + 3 + 1,
        Kind::Integer => integer_digits(v, 0),
        Kind::Amount if v.fract() == 0.0 => grouped(integer_digits(v, 0)),
        _ => grouped(integer_digits(v, 2)) + 3,
    }
}

/// Characters of the integer part of `v` shown with `decimals` decimals, with its sign.
pub(crate) fn integer_digits(v: f64, decimals: i32) -> usize {
    let scale = 10f64.powi(decimals);
    let rounded = (v.abs() * scale).round() / scale;
    // at most 309 digits (f64::MAX); `inf` and `NaN` are shown as 3 characters
    let digits = if !rounded.is_finite() {
        3
    } else if rounded < 1.0 {
        1
    } else {
        (rounded.log10().floor() as usize).min(308) + 1
    };
    digits + usize::from(v < 0.0 && rounded != 0.0)
}

pub(crate) fn text_on(fill: Rgb) -> Color {
    let (r, g, b) = fill;
    let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luma < 150.0 {
        Color::White
    } else {
        Color::Black
    }
}

pub(crate) fn rgb(fill: Rgb) -> Color {
    let (r, g, b) = fill;
    Color::RGB(u32::from(r) << 16 | u32::from(g) << 8 | u32::from(b))
}

/// A worksheet being written: bold frozen header, then typed and formatted rows as they come;
/// [`Sheet::finish`] sets the widths from the content and the autofilter over the table.
pub(crate) struct Sheet {
    ws: Worksheet,
    table: Table,
    lang: Lang,
    /// Display width of each column so far (the header's leaves room for the filter button).
    widths: Vec<usize>,
    /// One Format per (fill, number format), built once: a national sheet has 1,000,000 cells.
    formats: Formats,
    rows: usize,
    /// The data rows the sheet can hold (Excel's limit less the header and the note row).
    pub(crate) room: usize,
    /// Rows beyond `room`, not written: the sheet's last row says how many, and where they are.
    cut: usize,
    /// Columns beyond Excel's 16,384, not written (the note says so too).
    cut_columns: usize,
    /// A note written below the table (after the note of what was left out, if any).
    pub(crate) note: Option<String>,
}

/// Excel's rows per sheet (1,048,576).
pub(crate) const EXCEL_ROWS: usize = 1 << 20;
/// Excel's columns per sheet (16,384, `XFD`).
pub(crate) const EXCEL_COLUMNS: usize = 1 << 14;

impl Sheet {
    pub(crate) fn new(mut ws: Worksheet, mut table: Table, lang: Lang) -> Result<Sheet, XlsxError> {
        ws.set_name(table.name)?;
        let cut_columns = table.columns.len().saturating_sub(EXCEL_COLUMNS);
        table.columns.truncate(EXCEL_COLUMNS);
        let header = header_format();
        for (j, column) in table.columns.iter().enumerate() {
            ws.write_string_with_format(0, col(j), column.header.as_str(), &header)?;
        }
        let widths = table
            .columns
            .iter()
            .map(|c| c.header.chars().count() + 3)
            .collect();
        // each number column's usual format as the column's own: its cells are then written
        // without one and take it, instead of each cell's format being looked up by the writer
        // (a hash of the whole format per cell: a quarter of the workbook's time at national
        // scale, 1.2 million numbers)
        let mut formats = Formats::default();
        for (j, column) in table.columns.iter().enumerate() {
            if let Some(number) = column_format(column.kind, lang) {
                ws.set_column_format(col(j), format_of(&mut formats, None, number))?;
            }
        }
        Ok(Sheet {
            ws,
            table,
            lang,
            widths,
            formats,
            rows: 0,
            room: EXCEL_ROWS - 2,
            cut: 0,
            cut_columns,
            note: None,
        })
    }

    pub(crate) fn row(&mut self, cells: &Row<'_>) -> Result<(), XlsxError> {
        // beyond what the format holds: counted, and the workbook is still written (the CSV
        // outputs hold every row)
        if self.rows >= self.room {
            self.cut += 1;
            return Ok(());
        }
        self.rows += 1;
        let r = row(self.rows);
        let (ws, formats) = (&mut self.ws, &mut self.formats);
        for (j, (cell, fill)) in cells.iter().take(self.table.columns.len()).enumerate() {
            let kind = self.table.columns.get(j).map_or(Kind::Text, |c| c.kind);
            let width = match cell {
                Cell::Empty => {
                    if fill.is_some() {
                        ws.write_blank(r, col(j), format_of(formats, *fill, ""))?;
                    }
                    0
                }
                Cell::Text(s) if fill.is_none() => {
                    ws.write_string(r, col(j), fit_cell(s))?;
                    s.chars().count()
                }
                Cell::Text(s) => {
                    ws.write_string_with_format(
                        r,
                        col(j),
                        fit_cell(s),
                        format_of(formats, *fill, ""),
                    )?;
                    s.chars().count()
                }
                Cell::Number(v) => {
                    let number = number_format(kind, *v, self.lang);
                    if fill.is_none() && column_format(kind, self.lang) == Some(number) {
                        ws.write_number(r, col(j), *v)?;
                    } else {
                        let format = format_of(formats, *fill, number);
                        ws.write_number_with_format(r, col(j), *v, format)?;
                    }
                    display_width(kind, *v)
                }
                Cell::Date(d) => match excel_date(*d) {
                    Some(x) => {
                        ws.write_datetime_with_format(
                            r,
                            col(j),
                            &x,
                            format_of(formats, *fill, date_format(self.lang)),
                        )?;
                        10
                    }
                    None => {
                        let s = d.format("%Y-%m-%d").to_string();
                        ws.write_string_with_format(
                            r,
                            col(j),
                            s.as_str(),
                            format_of(formats, *fill, ""),
                        )?;
                        s.len()
                    }
                },
            };
            if let Some(w) = self.widths.get_mut(j) {
                *w = (*w).max(width);
            }
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<Worksheet, XlsxError> {
        let ws = &mut self.ws;
        for (j, (column, width)) in self.table.columns.iter().zip(&self.widths).enumerate() {
            ws.set_column_width(col(j), (*width + 1).clamp(6, 50) as f64)?;
            if column.hidden {
                ws.set_column_hidden(col(j))?;
            }
        }
        let last_column = col(self.table.columns.len().saturating_sub(1));
        ws.autofilter(0, 0, row(self.rows), last_column)?;
        if self.cut > 0 || self.cut_columns > 0 {
            super::left_out(LeftOut {
                rows: self.cut,
                columns: self.cut_columns,
            });
            let n = |v: usize| crate::labels::number(v as f64, 0, self.lang);
            let (rows, columns) = (n(self.cut), n(self.cut_columns));
            let note = match self.lang {
                Lang::Vi => format!(
                    "… và {rows} dòng, {columns} cột nữa không ghi được: một sheet Excel chứa \
                     tối đa 1.048.576 dòng và 16.384 cột. Xem đủ số liệu trong các tệp CSV."
                ),
                Lang::En => format!(
                    "… and {rows} more rows, {columns} more columns not written: an Excel sheet \
                     holds at most 1,048,576 rows and 16,384 columns. The CSV outputs hold every \
                     figure."
                ),
            };
            ws.write_string_with_format(row(self.rows + 1), 0, note, &note_format())?;
        }
        if let Some(note) = &self.note {
            let below = self.rows + 1 + usize::from(self.cut > 0 || self.cut_columns > 0);
            ws.write_string_with_format(row(below), 0, note.as_str(), &note_format())?;
        }
        ws.set_freeze_panes(1, self.table.frozen_columns)?;
        Ok(self.ws)
    }
}

/// The cell formats of a sheet by (fill, number format): a dozen at most, so a list searched in
/// order (a hash of the key per cell cost more than the search).
#[derive(Default)]
pub(crate) struct Formats(Vec<((Option<Rgb>, &'static str), Format)>);

/// The cell format with `fill` (status colour) and `number` format ("" for none), made once.
pub(crate) fn format_of<'m>(
    formats: &'m mut Formats,
    fill: Option<Rgb>,
    number: &'static str,
) -> &'m Format {
    let key = (fill, number);
    let at = match formats.0.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            formats.0.push((key, new_format(fill, number)));
            formats.0.len() - 1
        }
    };
    &formats.0[at].1
}

pub(crate) fn new_format(fill: Option<Rgb>, number: &'static str) -> Format {
    let mut format = Format::new();
    if let Some(fill) = fill {
        format = format
            .set_background_color(rgb(fill))
            .set_font_color(text_on(fill));
    }
    if !number.is_empty() {
        format = format.set_num_format(number);
    }
    format
}

/// Every format a sheet without fills can use, in a fixed order: the header's, each kind's
/// column format, the note of rows left out. Registered before sheets are made on several
/// threads, they are numbered the same whichever thread writes first.
pub(crate) fn plain_formats(lang: Lang) -> Vec<Format> {
    let kinds = [
        Kind::Text,
        Kind::Score,
        Kind::Percent,
        Kind::Integer,
        Kind::Amount,
        Kind::Date,
    ];
    let mut out = vec![header_format()];
    for kind in kinds {
        if let Some(number) = column_format(kind, lang) {
            out.push(new_format(None, number));
        }
    }
    // an amount with decimals, and a date that Excel cannot hold, written as text
    out.push(new_format(None, number_format(Kind::Amount, 0.5, lang)));
    out.push(new_format(None, ""));
    out.push(note_format());
    out
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE4EE))
        .set_border_bottom(FormatBorder::Thin)
}

fn note_format() -> Format {
    Format::new()
        .set_bold()
        .set_font_color(Color::RGB(0xC00000))
}

/// A sheet row index; past Excel's last row the writer reports the error.
pub(crate) fn row(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A sheet column index; past Excel's last column the writer reports the error.
pub(crate) fn col(j: usize) -> u16 {
    u16::try_from(j).unwrap_or(u16::MAX)
}

//! Reading one returned form: the workbook opened within its size budget (E324), its meta and
//! form sheet as text cells, its identity checked against the form written for its unit and
//! period (E320–E323), and its figures checked by the rules of reported.csv, each problem at its
//! cell. Merges nothing: `merge` takes what this reads.

use super::*;

/// A form as text cells: its meta values and the form sheet's cells by (row, column), 0-based
/// sheet positions.
pub(super) struct Sheets {
    meta: HashMap<String, (String, u32)>,
    cells: BTreeMap<(u32, u32), String>,
    /// Cells of the form sheet that hold something unreadable as a figure (a formula without
    /// its value, NaN), with why.
    unreadable: BTreeMap<(u32, u32), String>,
}

/// Refuses (E324) a workbook whose zip entries inflate beyond `max_bytes` together, by
/// inflating them into nothing with a budget — the sizes an archive declares can lie — before
/// calamine reads it into memory.
// One diagnostic per file, a few files per run: its size does not matter.
#[allow(clippy::result_large_err)]
pub(super) fn inflated_size(path: &Path, max_bytes: u64) -> Result<u64, Diagnostic> {
    use std::io::Read;
    let damaged = |e: String| {
        Diagnostic::new(
            Code::E307,
            path,
            Place::File,
            format!("cannot read {}: {e}", file_name(path)),
        )
        .help("the file is damaged or not an .xlsx workbook: ask the unit to send it again")
    };
    let file = std::fs::File::open(path).map_err(|e| damaged(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| damaged(e.to_string()))?;
    let mut total: u64 = 0;
    for k in 0..archive.len() {
        let entry = archive.by_index(k).map_err(|e| damaged(e.to_string()))?;
        let budget = max_bytes.saturating_sub(total) + 1;
        let read = std::io::copy(&mut entry.take(budget), &mut std::io::sink())
            .map_err(|e| damaged(e.to_string()))?;
        total += read;
        if total > max_bytes {
            return Err(Diagnostic::new(
                Code::E324,
                path,
                Place::File,
                format!(
                    "{} inflates to more than {} MB ({} MB on disk); collect reads forms of at \
                     most {} MB",
                    file_name(path),
                    max_bytes / (1024 * 1024),
                    std::fs::metadata(path)
                        .map_or(0, |m| m.len())
                        .div_ceil(1024 * 1024),
                    max_bytes / (1024 * 1024)
                ),
            )
            .help(
                "a real form is a few hundred kilobytes: ask the unit for the form it was sent, \
                 or pass --max-form-mb for a form you trust",
            ));
        }
    }
    Ok(total)
}

/// What a form is checked against.
pub(super) struct FormCheck<'a> {
    pub(super) catalogue: &'a Catalogue,
    pub(super) units: &'a Units,
    /// The data directory's secret; `None` when it has none (no form written from it).
    pub(super) secret: Option<&'a Secret>,
    pub(super) trust_unsigned: bool,
    pub(super) received: NaiveDate,
    pub(super) max_bytes: u64,
    pub(super) data_dir: &'a Path,
}

/// Opens the workbook and reads the two sheets; a file that is not a chitieu form, or that
/// cannot be opened, is one diagnostic at the file.
// One diagnostic per file, a few files per run: its size does not matter.
#[allow(clippy::result_large_err)]
pub(super) fn open_form(path: &Path, max_bytes: u64) -> Result<Sheets, Diagnostic> {
    let at_file = |message: String, help: &str| {
        Diagnostic::new(Code::E306, path, Place::File, message).help(help.to_string())
    };
    inflated_size(path, max_bytes)?;
    let read = crate::guard::catch(|| -> Result<Sheets, Diagnostic> {
        let mut book: Xlsx<_> =
            calamine::open_workbook(path).map_err(|e: calamine::XlsxError| {
                Diagnostic::new(
                    Code::E307,
                    path,
                    Place::File,
                    format!("cannot read {}: {e}", file_name(path)),
                )
                .help("the file is damaged or not an .xlsx workbook: ask the unit to send it again")
            })?;
        // hidden as written, or shown again by the user: either way the form's identity
        let has_meta = book.sheet_names().iter().any(|s| s == META_SHEET);
        let not_form = || {
            at_file(
                format!(
                    "{} is not a chitieu form (it has no sheet \"{META_SHEET}\")",
                    file_name(path)
                ),
                "collect reads the forms written by `chitieu form`; copy the figures of other \
                 files into reported.csv by hand",
            )
        };
        if !has_meta {
            return Err(not_form());
        }
        let meta_range = book.worksheet_range(META_SHEET).map_err(|_| not_form())?;
        let mut meta = HashMap::new();
        for (r, row) in meta_range.rows().enumerate() {
            let key = row.first().map(cell_text).unwrap_or_default();
            let value = row.get(1).map(cell_text).unwrap_or_default();
            let abs = meta_range.start().map_or(0, |s| s.0) + r as u32;
            meta.insert(key.trim().to_string(), (value.trim().to_string(), abs));
        }
        if !book.sheet_names().iter().any(|s| s == FORM_SHEET) {
            return Err(at_file(
                format!("{} has no sheet \"{FORM_SHEET}\"", file_name(path)),
                "the sheet of figures was renamed or deleted: ask the unit to fill a fresh form",
            ));
        }
        let range = book.worksheet_range(FORM_SHEET).map_err(|e| {
            at_file(
                format!("cannot read sheet \"{FORM_SHEET}\": {e}"),
                "ask the unit to send the form again",
            )
        })?;
        let styles = book.worksheet_style(FORM_SHEET).ok();
        let mut cells = BTreeMap::new();
        let mut unreadable = BTreeMap::new();
        // a formula saved without its computed value reads as an empty cell: found by its
        // formula, so that a figure is never silently not reported
        if let Ok(formulas) = book.worksheet_formula(FORM_SHEET) {
            let (f0, g0) = formulas.start().unwrap_or((0, 0));
            for (r, c, formula) in formulas.cells() {
                if !formula.trim().is_empty() {
                    let pos = (f0 + r as u32, g0 + c as u32);
                    let empty = range
                        .get_value(pos)
                        .is_none_or(|v| matches!(v, Cell::Empty));
                    if empty {
                        unreadable.insert(
                            pos,
                            format!(
                                "the formula `={}` has no computed value (the file was saved by \
                                 a program that does not compute formulas)",
                                crate::text::clip(formula, 60)
                            ),
                        );
                    }
                }
            }
        }
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, cell) in range.cells() {
            let pos = (r0 + r as u32, c0 + c as u32);
            if let Cell::Float(f) = cell {
                if !f.is_finite() {
                    unreadable.insert(pos, format!("the cell holds `{f}`, not a number"));
                    continue;
                }
            }
            let percent = styles
                .as_ref()
                .and_then(|s| s.get(pos))
                .and_then(|style| style.number_format.as_ref())
                .is_some_and(|f| is_percent_format(&f.format_code));
            let text = match cell {
                Cell::Float(_) | Cell::Int(_) if percent => percent_text(cell),
                _ => cell_text(cell),
            };
            if !text.trim().is_empty() {
                cells.insert(pos, text);
            }
        }
        Ok(Sheets {
            meta,
            cells,
            unreadable,
        })
    });
    match read {
        Ok(result) => result,
        Err(message) => Err(Diagnostic::new(
            Code::E307,
            path,
            Place::File,
            format!(
                "cannot read {}: the file is damaged ({message})",
                file_name(path)
            ),
        )),
    }
}

/// The reference of a cell on the form sheet: `Biểu mẫu!G7` (0-based row and column).
pub(super) fn cell_ref(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}!{}{}", column_letters(col as usize), row + 1)
}

/// Reads and checks one form: its identity (meta sheet), then its figures through
/// [`read_reported`], so that every rule and code of reported.csv applies; each diagnostic is
/// moved to its sheet cell (`Biểu mẫu!G7`). Errors mean the form gives nothing.
pub(super) fn read_form(
    path: &Path,
    check: &FormCheck,
) -> Result<(ReadForm, Vec<Diagnostic>), Vec<Diagnostic>> {
    let sheets = open_form(path, check.max_bytes).map_err(|d| vec![d])?;
    let identity = identify(path, check, &sheets)?;
    let layout = find_layout(path, &sheets)?;
    let errors = layout_errors(path, &sheets, &layout, &identity.asked);
    if !errors.is_empty() {
        return Err(errors);
    }
    let table = figures_table(path, &sheets, &layout, &identity);
    let read = read_reported(&table, check.units, check.catalogue);
    let mut diagnostics: Vec<Diagnostic> = read
        .diagnostics
        .into_iter()
        .map(|d| relocate(d, &layout))
        .collect();
    let (figures, not_asked) = form_figures(
        path,
        check.catalogue,
        &sheets,
        &layout,
        &identity,
        &read.rows,
    );
    diagnostics.extend(not_asked);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let empty = identity.asked.len().saturating_sub(figures.len());
    Ok((
        ReadForm {
            path: path.to_path_buf(),
            unit: identity.unit,
            period: identity.period,
            reports: identity.reports,
            figures,
            empty,
        },
        diagnostics,
    ))
}

/// What a form's meta sheet says it is, checked: the unit (as units.csv spells it), the
/// period, the reports it answers and the indicators it asks for, in the order written.
struct Identified {
    unit: String,
    period: Period,
    reports: Vec<String>,
    asked: Vec<String>,
}

/// Where a form's figures are on its sheet: the header row and the sheet column of each form
/// column found in it.
struct Layout {
    header_row: u32,
    columns: Vec<(Column, u32)>,
}

impl Layout {
    /// The form column holding reported.csv's column `name`, and its sheet column.
    fn holding(&self, name: &str) -> Option<(Column, u32)> {
        self.columns
            .iter()
            .find(|(c, _)| c.reported_column() == Some(name))
            .map(|(c, col)| (*c, *col))
    }
}

/// Reads the form's identity from its meta sheet and checks it: a layout of another version is
/// refused alone; then its catalogue, unit, period and reports, then [`identity_errors`].
fn identify(
    path: &Path,
    check: &FormCheck,
    sheets: &Sheets,
) -> Result<Identified, Vec<Diagnostic>> {
    let (c, units) = (check.catalogue, check.units);
    let meta_cell = |key: &str| -> (String, String) {
        match sheets.meta.get(key) {
            Some((value, row)) => (value.clone(), cell_ref(META_SHEET, *row, 1)),
            None => (String::new(), META_SHEET.to_string()),
        }
    };
    let at_meta = |code: Code, key: &str, message: String| {
        let (_, cell) = meta_cell(key);
        let place = match sheets.meta.get(key) {
            Some((_, r)) => Place::Cell {
                row: *r as usize + 1,
                column: key.to_string(),
            },
            None => Place::File,
        };
        Diagnostic::new(code, path, place, format!("{cell}: {message}"))
    };
    let mut errors = Vec::new();
    let (version, _) = meta_cell(KEY_FORM);
    if version != FORM_VERSION {
        return Err(vec![at_meta(
            Code::E306,
            KEY_FORM,
            format!(
                "the form's layout is `{}`, this chitieu reads `{FORM_VERSION}`",
                crate::text::clip(&version, 60)
            ),
        )
        .help("write the forms again with this chitieu's `chitieu form`")]);
    }
    let (catalogue, _) = meta_cell(KEY_CATALOGUE);
    if catalogue != c.id {
        errors.push(
            at_meta(
                Code::E306,
                KEY_CATALOGUE,
                format!(
                    "the form belongs to catalogue `{}`, not to `{}` which is collected",
                    crate::text::clip(&catalogue, 60),
                    c.id
                ),
            )
            .help("collect it with --catalogue of its own catalogue"),
        );
    }
    let (unit, _) = meta_cell(KEY_UNIT);
    // the id as units.csv has it (found in NFC, however the form spelled it)
    let unit = match units.index(&unit).and_then(|i| units.get(i)) {
        Some(u) => u.id.clone(),
        None => unit,
    };
    if units.index(&unit).is_none() {
        let hint = units
            .suggest(&unit)
            .map(|h| format!("did you mean `{h}`? "))
            .unwrap_or_default();
        errors.push(
            at_meta(
                Code::E300,
                KEY_UNIT,
                format!(
                    "the form names unit `{}`, which units.csv lacks",
                    crate::text::clip(&unit, 80)
                ),
            )
            .help(format!(
                "{hint}the form was written for another data directory, or the unit was \
                 removed from units.csv"
            )),
        );
    }
    let (period_text, _) = meta_cell(KEY_PERIOD);
    let period = Period::parse(&period_text);
    if period.is_none() {
        errors.push(at_meta(
            Code::E307,
            KEY_PERIOD,
            format!(
                "cannot read the form's period `{}`",
                crate::text::clip(&period_text, 60)
            ),
        ));
    }
    let asked: Vec<String> = split_ids(&meta_cell(KEY_INDICATORS).0);
    let reports = split_ids(&meta_cell(KEY_REPORTS).0);
    for id in &reports {
        if !c.reports.iter().any(|r| &r.id == id) {
            errors.push(
                at_meta(
                    Code::E301,
                    KEY_REPORTS,
                    format!(
                        "the form answers report `{}`, which the catalogue does not declare",
                        crate::text::clip(id, 60)
                    ),
                )
                .help(
                    "the catalogue's [[report]] entries changed since the form was written: \
                     write the forms again",
                ),
            );
        }
    }
    let Some(period) = period.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    errors.extend(identity_errors(
        path, check, sheets, &unit, period, &reports, &asked,
    ));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Identified {
        unit,
        period,
        reports,
        asked,
    })
}

/// The header row (the row whose column A reads "Mã chỉ tiêu") and every form column by its
/// label in it; a missing header or column is an error.
fn find_layout(path: &Path, sheets: &Sheets) -> Result<Layout, Vec<Diagnostic>> {
    let header_row = sheets
        .cells
        .iter()
        .find(|(_, text)| fold(text) == fold(Column::Indicator.label()))
        .map(|(&(r, _), _)| r);
    let Some(header_row) = header_row else {
        return Err(vec![Diagnostic::new(
            Code::E306,
            path,
            Place::File,
            format!(
                "sheet \"{FORM_SHEET}\" of {} has no header cell \"{}\"",
                file_name(path),
                Column::Indicator.label()
            ),
        )
        .help("the header row was deleted: ask the unit to fill a fresh form")]);
    };
    let mut errors = Vec::new();
    let mut columns: Vec<(Column, u32)> = Vec::new();
    for column in [
        Column::Indicator,
        Column::Value,
        Column::Numerator,
        Column::Denominator,
        Column::Note,
    ] {
        let found = sheets
            .cells
            .range((header_row, 0)..(header_row + 1, 0))
            .find(|(_, text)| fold(text) == fold(column.label()))
            .map(|(&(_, col), _)| col);
        match found {
            Some(col) => columns.push((column, col)),
            None => errors.push(
                Diagnostic::new(
                    Code::E306,
                    path,
                    Place::Cell {
                        row: header_row as usize + 1,
                        column: column.label().to_string(),
                    },
                    format!(
                        "{}: sheet \"{FORM_SHEET}\" has no column \"{}\"",
                        cell_ref(FORM_SHEET, header_row, 0),
                        column.label()
                    ),
                )
                .help("a column of the form was deleted: ask the unit to fill a fresh form"),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Layout {
        header_row,
        columns,
    })
}

/// The rows of the form changed under its layout: an indicator id not where the form was
/// written with it (E320; the checksum covers the list), and cells below the header that
/// hold no readable figure (E307).
fn layout_errors(
    path: &Path,
    sheets: &Sheets,
    layout: &Layout,
    asked: &[String],
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let header_row = layout.header_row;
    let id_col = layout
        .columns
        .iter()
        .find(|(c, _)| *c == Column::Indicator)
        .map_or(0, |(_, col)| *col);
    for (k, id) in asked.iter().enumerate() {
        let row = header_row + 1 + k as u32;
        let found = sheets.cells.get(&(row, id_col)).map_or("", |s| s.trim());
        if found != id {
            errors.push(
                Diagnostic::new(
                    Code::E320,
                    path,
                    Place::Cell {
                        row: row as usize + 1,
                        column: Column::Indicator.label().to_string(),
                    },
                    format!(
                        "{}: the form was written with indicator `{}` here, the cell reads `{}`",
                        cell_ref(FORM_SHEET, row, id_col),
                        crate::text::clip(id, 60),
                        crate::text::clip(found, 60)
                    ),
                )
                .help(
                    "the rows or ids of the form were changed (its sheet is protected against \
                     that): ask the unit to fill the form it was sent",
                ),
            );
        }
    }
    for (&(r, col), why) in sheets.unreadable.range((header_row + 1, 0)..) {
        errors.push(
            Diagnostic::new(
                Code::E307,
                path,
                Place::Cell {
                    row: r as usize + 1,
                    column: column_letters(col as usize),
                },
                format!("{}: {why}", cell_ref(FORM_SHEET, r, col)),
            )
            .help(
                "type the figure itself into the cell (or open the file in Excel or LibreOffice \
                 and save it again, which computes formulas)",
            ),
        );
    }
    errors
}

/// The figures as a reported table whose rows are the sheet's rows: Table row i is sheet row
/// i + 2 (1-based), so rows up to the header stay blank.
fn figures_table(path: &Path, sheets: &Sheets, layout: &Layout, identity: &Identified) -> Table {
    let header_row = layout.header_row;
    let last_row = sheets
        .cells
        .keys()
        .map(|(r, _)| *r)
        .max()
        .unwrap_or(header_row);
    let headers: Vec<String> = ["unit", "period"]
        .into_iter()
        .chain(
            layout
                .columns
                .iter()
                .filter_map(|(c, _)| c.reported_column()),
        )
        .map(str::to_string)
        .collect();
    // rows without content stay empty vectors (blank to the reader)
    let mut rows = vec![Vec::new(); last_row as usize];
    for r in header_row + 1..=last_row {
        let cells: Vec<Option<&String>> = layout
            .columns
            .iter()
            .map(|(_, col)| sheets.cells.get(&(r, *col)))
            .collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        if let Some(row) = rows.get_mut(r as usize - 1) {
            *row = [identity.unit.clone(), identity.period.to_string()]
                .into_iter()
                .chain(cells.into_iter().map(|c| c.cloned().unwrap_or_default()))
                .collect();
        }
    }
    Table {
        called: Some("the form".to_string()),
        path: path.to_path_buf(),
        headers,
        rows,
    }
}

/// A diagnostic of the reported table moved to its cell of the form sheet: the message begins
/// with the cell (`Biểu mẫu!G7: …`) and the place names the form's column.
fn relocate(mut d: Diagnostic, layout: &Layout) -> Diagnostic {
    if let Place::Cell { row, column } = &d.place {
        let (label, col) = layout
            .holding(column)
            .map(|(c, col)| (c.label(), col))
            .unwrap_or((Column::Indicator.label(), 0));
        d.message = format!(
            "{}: {}",
            cell_ref(FORM_SHEET, *row as u32 - 1, col),
            d.message
        );
        d.place = Place::Cell {
            row: *row,
            column: label.to_string(),
        };
    }
    d
}

/// The figures of the rows read, each named by its first filled figure cell; a row of an
/// indicator the form does not ask for is an E301 instead (the second list).
fn form_figures(
    path: &Path,
    c: &Catalogue,
    sheets: &Sheets,
    layout: &Layout,
    identity: &Identified,
    rows: &[crate::data::ReportedRow],
) -> (Vec<FormFigure>, Vec<Diagnostic>) {
    let mut figures = Vec::new();
    let mut not_asked = Vec::new();
    let filled = |name: &str, sheet_row: u32| {
        layout
            .holding(name)
            .and_then(|(_, col)| sheets.cells.get(&(sheet_row, col)))
    };
    for row in rows {
        let ind = &c.indicators[row.indicator];
        let sheet_row = row.row as u32 - 1;
        // the first figure cell filled in this row, named in messages about the row
        let first_col = [Column::Value, Column::Numerator, Column::Denominator]
            .iter()
            .filter_map(|k| layout.columns.iter().find(|(c, _)| c == k))
            .map(|(_, col)| *col)
            .find(|col| sheets.cells.contains_key(&(sheet_row, *col)))
            .unwrap_or(0);
        if !identity.asked.iter().any(|a| a == &ind.id) {
            let id_col = layout.holding("indicator").map_or(0, |(_, col)| col);
            not_asked.push(
                Diagnostic::new(
                    Code::E301,
                    path,
                    Place::Cell {
                        row: row.row,
                        column: Column::Indicator.label().to_string(),
                    },
                    format!(
                        "{}: indicator `{}` is not on this form",
                        cell_ref(FORM_SHEET, sheet_row, id_col),
                        ind.id
                    ),
                )
                .help(
                    "a row was added to the form: remove it, or report that indicator on its \
                     own form",
                ),
            );
            continue;
        }
        let given_value = filled("value", sheet_row).is_some();
        let note = filled("note", sheet_row)
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        figures.push(FormFigure {
            indicator: ind.id.clone(),
            kind: ind.unit,
            // the value as given; one derived from numerator and denominator is not written
            value: if given_value { row.value } else { None },
            numerator: row.numerator,
            denominator: row.denominator,
            note,
            cell: cell_ref(FORM_SHEET, sheet_row, first_col),
            row: row.row,
        });
    }
    (figures, not_asked)
}

/// Why a form's signature does not verify: its data directory has no secret, its checksum is
/// missing, or its identification (catalogue, unit, period, reports, indicators) is not the one
/// signed. None when it verifies.
fn signature_refusal(
    name: &str,
    check: &FormCheck,
    sheets: &Sheets,
    reports: &[String],
    asked: &[String],
) -> Option<String> {
    let meta = |key: &str| sheets.meta.get(key).map_or("", |(v, _)| v.as_str());
    let cells: Vec<(String, String)> = asked
        .iter()
        .enumerate()
        .map(|(k, id)| {
            (
                format!(
                    "{}{}",
                    column_letters(Column::Indicator.index() as usize),
                    HEADER_ROW + 2 + k as u32
                ),
                id.clone(),
            )
        })
        .collect();
    let identity = Identity {
        version: meta(KEY_FORM),
        catalogue: meta(KEY_CATALOGUE),
        unit: meta(KEY_UNIT),
        period: meta(KEY_PERIOD),
        reports,
        cells: &cells,
    };
    let given = meta(KEY_CHECKSUM);
    match check.secret {
        None => Some(format!(
            "{name} cannot be verified: {} has no {} (no form was written from it)",
            check.data_dir.display(),
            crate::forms::SECRET_FILE
        )),
        Some(_) if given.is_empty() => Some(format!(
            "{name} has no checksum in its hidden sheet \"{META_SHEET}\""
        )),
        Some(secret) if !identity.verifies(secret, given) => Some(format!(
            "the identification of {name} does not verify: its catalogue, unit, period, \
             reports or indicators are not those the form was written with"
        )),
        Some(_) => None,
    }
}

/// The checks that a form is the one `chitieu form` wrote for its unit: its checksum (E320),
/// its file name and title (E321), what its unit owes (E322) and its period against the day
/// it was received (E323).
pub(super) fn identity_errors(
    path: &Path,
    check: &FormCheck,
    sheets: &Sheets,
    unit: &str,
    period: Period,
    reports: &[String],
    asked: &[String],
) -> Vec<Diagnostic> {
    let c = check.catalogue;
    let mut errors = Vec::new();
    let at_meta = |code: Code, key: &str, message: String| match sheets.meta.get(key) {
        Some((_, r)) => Diagnostic::new(
            code,
            path,
            Place::Cell {
                row: *r as usize + 1,
                column: key.to_string(),
            },
            format!("{}: {message}", cell_ref(META_SHEET, *r, 1)),
        ),
        None => Diagnostic::new(code, path, Place::File, message),
    };
    let name = file_name(path);
    if !check.trust_unsigned {
        let refused = signature_refusal(&name, check, sheets, reports, asked);
        if let Some(message) = refused {
            errors.push(at_meta(Code::E320, KEY_CHECKSUM, message).help(
                "the hidden sheet was edited, or the form was written from another data \
                 directory: ask the unit for the form it was sent, or write it a fresh one; a \
                 form written before chitieu signed forms is collected with --trust-unsigned",
            ));
        }
    }
    if !crate::forms::names_unit(&name, unit, period) {
        errors.push(
            at_meta(
                Code::E321,
                KEY_UNIT,
                format!(
                    "{name} holds the form of unit `{}` for {period}, whose file is {}",
                    crate::text::clip(unit, 60),
                    crate::forms::file_name(unit, period)
                ),
            )
            .help(
                "a unit can only submit its own form: ask the unit named in the file name for \
                 its form (forms keep the names chitieu gave them)",
            ),
        );
    }
    let title = sheets.cells.get(&(2, 0)).map_or("", |s| s.as_str());
    if !crate::text::nfc(title).contains(&format!("(mã {unit})")) {
        errors.push(
            Diagnostic::new(
                Code::E321,
                path,
                Place::Cell {
                    row: 3,
                    column: "A".into(),
                },
                format!(
                    "{}: the title reads \"{}\", not the form of unit `{}` it identifies as",
                    cell_ref(FORM_SHEET, 2, 0),
                    crate::text::clip(title, 80),
                    crate::text::clip(unit, 60)
                ),
            )
            .help("the form was relabelled: ask the unit for the form it was sent"),
        );
    }
    if let Some(u) = check.units.index(unit).and_then(|i| check.units.get(i)) {
        let owed: Vec<String> = crate::cycle::owed_for(c, &u.id, &u.level, period)
            .iter()
            .filter(|o| o.period == period)
            .filter_map(|o| c.reports.get(o.report).map(|r| r.id.clone()))
            .collect();
        for r in reports.iter().filter(|r| !owed.contains(r)) {
            errors.push(
                at_meta(
                    Code::E322,
                    KEY_REPORTS,
                    format!(
                        "the form answers report `{}`, which unit `{}` does not owe for {period}",
                        crate::text::clip(r, 60),
                        crate::text::clip(unit, 60)
                    ),
                )
                .help("the hidden sheet was edited: ask the unit for the form it was sent"),
            );
        }
        for id in asked {
            let reported = c
                .indicator(id)
                .is_some_and(|ind| crate::forms::write::on_form(ind, &u.level));
            if !reported {
                errors.push(
                    at_meta(
                        Code::E322,
                        KEY_INDICATORS,
                        format!(
                        "the form asks for indicator `{}`, which a unit of level `{}` does not \
                         report",
                        crate::text::clip(id, 60),
                        crate::text::clip(&u.level, 60)
                    ),
                    )
                    .help(
                        "computed indicators come from the records and each indicator from the \
                     levels it names: the hidden sheet was edited",
                    ),
                );
            }
        }
    }
    if check.received < period.start() {
        errors.push(
            at_meta(
                Code::E323,
                KEY_PERIOD,
                format!(
                    "the form reports {period}, which begins {}, after the day it was received \
                     ({})",
                    period.start(),
                    check.received
                ),
            )
            .help("pass the day the forms were received with --received, or check the form"),
        );
    }
    errors
}

pub(super) fn split_ids(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

//! `chitieu collect`: reads returned forms, verifies that each is the form written for its unit
//! and period (E320–E324), checks every figure by the rules of reported.csv (SPEC §4.1,
//! E300–E307, W310) and merges them into reported.csv and submissions.csv of a data directory —
//! under the directory's lock, all forms checked and the merged files checked again as `score`
//! reads them before one [`Transaction`] commits both, every existing row kept byte for byte.
//! Scores nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use calamine::{Data as Cell, Reader, Xlsx};
use chrono::NaiveDate;

use super::csv::RawCsv;
use super::sign::{Identity, Secret};
use super::{
    Column, FORM_SHEET, FORM_VERSION, HEADER_ROW, KEY_CATALOGUE, KEY_CHECKSUM, KEY_FORM,
    KEY_INDICATORS, KEY_PERIOD, KEY_REPORTS, KEY_UNIT, META_SHEET,
};
use crate::data::commit::{CommitError, StepHook, Transaction};
use crate::data::number::{format_number, parse_bool, parse_date, parse_number};
use crate::data::table::{
    cell_text, column_letters, file_name, find_table, is_percent_format, percent_text,
};
use crate::data::{
    load_data, load_data_held, read_reported, read_submissions, Period, Table, Units,
};
use crate::definition::{Catalogue, UnitKind};
use crate::diagnostics::{Code, Diagnostic, Place};
use crate::text::fold;

/// What to collect and where.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// The directory of returned forms (every `*.xlsx` in it).
    pub forms: PathBuf,
    /// The data directory whose reported.csv and submissions.csv receive the figures.
    pub data: PathBuf,
    /// Replace an existing row of the same (unit, period, indicator) whose figures differ.
    pub replace: bool,
    /// The day the forms were received: `submitted_on` of their submissions.
    pub received: NaiveDate,
    /// Today: `received` may not be later.
    pub today: NaiveDate,
    /// Accept forms without a valid checksum (written before chitieu signed forms); each is
    /// still checked against its file name, title and what its unit owes.
    pub trust_unsigned: bool,
    /// The most bytes a form may inflate to (its zip entries together).
    pub max_form_bytes: u64,
    /// Called at each step of the commit (a test hook; `None` in normal runs).
    #[doc(hidden)]
    pub hook: Option<StepHook>,
}

/// The default of [`CollectOptions::max_form_bytes`]: 200 MB.
pub const MAX_FORM_BYTES: u64 = 200 * 1024 * 1024;

/// What one form gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileOutcome {
    pub path: PathBuf,
    pub unit: String,
    pub period: Period,
    pub added: usize,
    pub unchanged: usize,
    pub replaced: usize,
    /// Indicator rows left empty (not reported).
    pub empty: usize,
    /// (report id, whether its submission row is new).
    pub submissions: Vec<(String, bool)>,
}

/// The result of a collection that wrote (or had nothing to write).
#[derive(Debug, Clone)]
pub struct Collected {
    pub files: Vec<FileOutcome>,
    /// Warnings (W310) of the forms; they do not stop the collection.
    pub warnings: Vec<Diagnostic>,
    pub reported: PathBuf,
    pub submissions: PathBuf,
    /// False when every row was already there: no file was touched.
    pub written: bool,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum CollectError {
    /// Problems in the forms or the data, each at its place; warnings among them.
    Diagnostics(Vec<Diagnostic>),
    /// A usage problem (no forms, a data file chitieu cannot append to).
    Usage(String),
    /// The commit failed: the data directory is as it was.
    Commit(CommitError),
}

/// The key of a reported row: (unit id, period, indicator id).
type RowKey = (String, Period, String);
/// The key of a submission: (unit id, report id, period).
type SubmissionKey = (String, String, Period);

/// A figure row read from a form.
#[derive(Debug, Clone)]
struct FormFigure {
    indicator: String,
    kind: UnitKind,
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
    note: String,
    /// `Biểu mẫu!G7`: the cell of the row's first figure, for messages.
    cell: String,
    row: usize,
}

/// A form read and checked.
#[derive(Debug, Clone)]
struct ReadForm {
    path: PathBuf,
    unit: String,
    period: Period,
    reports: Vec<String>,
    figures: Vec<FormFigure>,
    empty: usize,
}

/// Reads every form of `opts.forms`, checks it against `c` and the units of `opts.data`, and
/// merges the figures (see the module documentation). Forms are read in file-name order; rows
/// are appended in that order, each form's in its row order.
///
/// The data directory is locked for the whole run (`waiting` is called first when another run
/// holds it, then this one waits): the rows merged into are the rows on disk.
pub fn collect(
    c: &Catalogue,
    opts: &CollectOptions,
    waiting: &mut dyn FnMut(),
) -> Result<Collected, CollectError> {
    if opts.received > opts.today {
        return Err(CollectError::Usage(format!(
            "--received {} is after today ({}): pass the day the forms were received",
            opts.received, opts.today
        )));
    }
    if !opts.data.is_dir() {
        return Err(CollectError::Diagnostics(
            load_data(&opts.data, c).diagnostics,
        ));
    }
    let mut t = Transaction::begin(&opts.data, waiting)
        .map_err(|e| CollectError::Diagnostics(vec![crate::data::locked_out(&opts.data, e)]))?;
    let load = load_data_held(&t, c);
    let Some(data) = load.data else {
        let errors = load
            .diagnostics
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        return Err(CollectError::Diagnostics(errors));
    };
    let secret = if opts.trust_unsigned {
        None
    } else {
        match Secret::read(&opts.data) {
            Ok(s) => s,
            Err(e) => return Err(CollectError::Usage(format!("{}: {e}", opts.data.display()))),
        }
    };
    let check = FormCheck {
        catalogue: c,
        units: &data.units,
        secret: secret.as_ref(),
        trust_unsigned: opts.trust_unsigned,
        received: opts.received,
        max_bytes: opts.max_form_bytes,
        data_dir: &opts.data,
    };
    let paths = form_files(&opts.forms)?;
    let mut diagnostics = Vec::new();
    let mut forms = Vec::new();
    for path in &paths.forms {
        match read_form(path, &check) {
            Ok((form, mut warnings)) => {
                diagnostics.append(&mut warnings);
                forms.push(form);
            }
            Err(mut errors) => diagnostics.append(&mut errors),
        }
    }
    diagnostics.extend(paths.refused);

    let reported_path = table_path(&opts.data, "reported")?;
    let submissions_path = table_path(&opts.data, "submissions")?;
    let reported = open_csv(
        &reported_path,
        &[
            "unit",
            "period",
            "indicator",
            "value",
            "numerator",
            "denominator",
            "note",
        ],
    )?;
    let submissions = open_csv(
        &submissions_path,
        &["unit", "report", "period", "submitted_on"],
    )?;
    for (csv, path, needed) in [
        (
            &reported,
            &reported_path,
            &["unit", "period", "indicator"][..],
        ),
        (
            &submissions,
            &submissions_path,
            &["unit", "report", "period", "submitted_on"][..],
        ),
    ] {
        for name in needed {
            if csv.column(name).is_none() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E306,
                        path,
                        Place::File,
                        format!("{} has no column `{name}`", file_name(path)),
                    )
                    .help(format!(
                        "its header must name the columns {}",
                        needed.join(", ")
                    )),
                );
            }
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(CollectError::Diagnostics(diagnostics));
    }

    let mut merge = Merge::new(&reported, &submissions, c);
    let mut outcomes = Vec::new();
    for form in &forms {
        outcomes.push(merge.form(form, opts, &reported_path, &mut diagnostics));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(CollectError::Diagnostics(diagnostics));
    }
    // only the files that change are written (a data directory without submissions.csv gets
    // none when no form answers a report)
    let mut changed = Vec::new();
    if !merge.appended.is_empty() || !merge.replaced.is_empty() {
        changed.push((
            &reported_path,
            reported.render(&merge.replaced, &merge.appended),
        ));
    }
    if !merge.new_submissions.is_empty() {
        changed.push((
            &submissions_path,
            submissions.render(&BTreeMap::new(), &merge.new_submissions),
        ));
    }
    let written = !changed.is_empty();
    for (path, text) in &changed {
        t.put(&file_name(path), text.as_bytes())
            .map_err(CollectError::Commit)?;
    }
    // what score will read: the merged files through the readers of reported.csv and
    // submissions.csv, before anything is committed
    let mut after = Vec::new();
    for (path, _) in &changed {
        let staged = t.staged_path(&file_name(path));
        let mut table = crate::data::read_table(&staged).map_err(|mut d| {
            d.path = path.to_path_buf();
            CollectError::Diagnostics(vec![d])
        })?;
        table.path = path.to_path_buf();
        let found = if **path == reported_path {
            read_reported(&table, &data.units, c).diagnostics
        } else {
            read_submissions(&table, &data.units, c).diagnostics
        };
        after.extend(found.into_iter().filter(Diagnostic::is_error));
    }
    if !after.is_empty() {
        return Err(CollectError::Diagnostics(after));
    }
    t.with_hook(opts.hook)
        .commit()
        .map_err(CollectError::Commit)?;
    Ok(Collected {
        files: outcomes,
        warnings: diagnostics,
        reported: reported_path,
        submissions: submissions_path,
        written,
    })
}

/// The forms of a directory and the files refused in it.
struct FormFiles {
    forms: Vec<PathBuf>,
    refused: Vec<Diagnostic>,
}

/// Every `.xlsx` / `.xlsm` of `dir`, sorted by name; lock files of Office and LibreOffice
/// (`~$…`, `.~lock…`) and hidden files are skipped. A spreadsheet in another format (`.ods`,
/// `.xls`) is refused: the form must be saved as `.xlsx`.
fn form_files(dir: &Path) -> Result<FormFiles, CollectError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        CollectError::Usage(format!(
            "cannot read the forms directory {}: {e}",
            dir.display()
        ))
    })?;
    let mut forms = Vec::new();
    let mut refused = Vec::new();
    let mut names: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    names.sort();
    for path in names {
        let name = file_name(&path);
        if name.starts_with("~$") || name.starts_with('.') || !path.is_file() {
            continue;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "xlsx" | "xlsm" => forms.push(path),
            "ods" | "xls" | "xlsb" => refused.push(
                Diagnostic::new(
                    Code::E307,
                    &path,
                    Place::File,
                    format!("{name} is not an .xlsx workbook"),
                )
                .help("open it and save it as \"Excel 2007-365 (.xlsx)\", then collect again"),
            ),
            _ => {}
        }
    }
    if forms.is_empty() && refused.is_empty() {
        return Err(CollectError::Usage(format!(
            "{} holds no returned form (.xlsx)",
            dir.display()
        )));
    }
    Ok(FormFiles { forms, refused })
}

/// `DIR/name.csv`: the file collect writes. Another format of that table is a usage error:
/// collect appends to CSV only.
fn table_path(dir: &Path, name: &str) -> Result<PathBuf, CollectError> {
    match find_table(dir, name) {
        Ok(None) => Ok(dir.join(format!("{name}.csv"))),
        Ok(Some(path)) if path.extension().is_some_and(|e| e == "csv") => Ok(path),
        Ok(Some(path)) => Err(CollectError::Usage(format!(
            "{} is not CSV: collect merges forms into {name}.csv only (convert it first)",
            path.display()
        ))),
        Err(d) => Err(CollectError::Diagnostics(vec![d])),
    }
}

fn open_csv(path: &Path, header: &[&str]) -> Result<RawCsv, CollectError> {
    if !path.exists() {
        return Ok(RawCsv::new(header));
    }
    let unreadable = |reason: String| {
        CollectError::Diagnostics(vec![Diagnostic::new(
            Code::E307,
            path,
            Place::File,
            format!("cannot read {}: {reason}", file_name(path)),
        )])
    };
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| unreadable("it is not UTF-8 text (save it as \"CSV UTF-8\")".into()))?;
    RawCsv::parse(text).map_err(unreadable)
}

/// A form as text cells: its meta values and the form sheet's cells by (row, column), 0-based
/// sheet positions.
struct Sheets {
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
fn inflated_size(path: &Path, max_bytes: u64) -> Result<u64, Diagnostic> {
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
struct FormCheck<'a> {
    catalogue: &'a Catalogue,
    units: &'a Units,
    /// The data directory's secret; `None` when it has none (no form written from it).
    secret: Option<&'a Secret>,
    trust_unsigned: bool,
    received: NaiveDate,
    max_bytes: u64,
    data_dir: &'a Path,
}

/// Opens the workbook and reads the two sheets; a file that is not a chitieu form, or that
/// cannot be opened, is one diagnostic at the file.
// One diagnostic per file, a few files per run: its size does not matter.
#[allow(clippy::result_large_err)]
fn open_form(path: &Path, max_bytes: u64) -> Result<Sheets, Diagnostic> {
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
fn cell_ref(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}!{}{}", column_letters(col as usize), row + 1)
}

/// Reads and checks one form: its identity (meta sheet), then its figures through
/// [`read_reported`], so that every rule and code of reported.csv applies; each diagnostic is
/// moved to its sheet cell (`Biểu mẫu!G7`). Errors mean the form gives nothing.
fn read_form(
    path: &Path,
    check: &FormCheck,
) -> Result<(ReadForm, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (c, units) = (check.catalogue, check.units);
    let sheets = open_form(path, check.max_bytes).map_err(|d| vec![d])?;
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
        path, check, &sheets, &unit, period, &reports, &asked,
    ));
    if !errors.is_empty() {
        return Err(errors);
    }

    // the header row: the row whose column A reads "Mã chỉ tiêu"; every column by its label
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
    // each indicator id where the form was written with it (the checksum covers the list)
    let id_col = columns
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
    if !errors.is_empty() {
        return Err(errors);
    }
    let last_row = sheets
        .cells
        .keys()
        .map(|(r, _)| *r)
        .max()
        .unwrap_or(header_row);

    // the figures as a reported table whose rows are the sheet's rows: Table row i is sheet
    // row i + 2 (1-based), so rows up to the header stay blank
    let headers: Vec<String> = ["unit", "period"]
        .into_iter()
        .chain(columns.iter().filter_map(|(c, _)| c.reported_column()))
        .map(str::to_string)
        .collect();
    // rows without content stay empty vectors (blank to the reader)
    let mut rows = vec![Vec::new(); last_row as usize];
    for r in header_row + 1..=last_row {
        let cells: Vec<Option<&String>> = columns
            .iter()
            .map(|(_, col)| sheets.cells.get(&(r, *col)))
            .collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        if let Some(row) = rows.get_mut(r as usize - 1) {
            *row = [unit.clone(), period.to_string()]
                .into_iter()
                .chain(cells.into_iter().map(|c| c.cloned().unwrap_or_default()))
                .collect();
        }
    }
    let table = Table {
        called: Some("the form".to_string()),
        path: path.to_path_buf(),
        headers,
        rows,
    };
    let letter_of = |name: &str| {
        columns
            .iter()
            .find(|(c, _)| c.reported_column() == Some(name))
            .map(|(c, col)| (*c, *col))
    };
    let relocate = |mut d: Diagnostic| {
        if let Place::Cell { row, column } = &d.place {
            let (label, col) = letter_of(column)
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
    };
    let read = read_reported(&table, units, c);
    let mut diagnostics: Vec<Diagnostic> = read.diagnostics.into_iter().map(relocate).collect();
    let mut figures = Vec::new();
    for row in &read.rows {
        let ind = &c.indicators[row.indicator];
        let sheet_row = row.row as u32 - 1;
        // the first figure cell filled in this row, named in messages about the row
        let first_col = [Column::Value, Column::Numerator, Column::Denominator]
            .iter()
            .filter_map(|k| columns.iter().find(|(c, _)| c == k))
            .map(|(_, col)| *col)
            .find(|col| sheets.cells.contains_key(&(sheet_row, *col)))
            .unwrap_or(0);
        if !asked.iter().any(|a| a == &ind.id) {
            let id_col = letter_of("indicator").map_or(0, |(_, col)| col);
            diagnostics.push(
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
        let given_value = letter_of("value")
            .and_then(|(_, col)| sheets.cells.get(&(sheet_row, col)))
            .is_some();
        let note = letter_of("note")
            .and_then(|(_, col)| sheets.cells.get(&(sheet_row, col)))
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
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let empty = asked.len().saturating_sub(figures.len());
    Ok((
        ReadForm {
            path: path.to_path_buf(),
            unit,
            period,
            reports,
            figures,
            empty,
        },
        diagnostics,
    ))
}

/// The checks that a form is the one `chitieu form` wrote for its unit: its checksum (E320),
/// its file name and title (E321), what its unit owes (E322) and its period against the day
/// it was received (E323).
fn identity_errors(
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
        let refused = match check.secret {
            None => Some(format!(
                "{name} cannot be verified: {} has no {} (no form was written from it)",
                check.data_dir.display(),
                super::SECRET_FILE
            )),
            Some(_) if given.is_empty() => Some(format!(
                "{name} has no checksum in its hidden sheet \"{META_SHEET}\""
            )),
            Some(secret) if !identity.verifies(secret, given) => Some(format!(
                "the identification of {name} does not verify: its catalogue, unit, period, \
                 reports or indicators are not those the form was written with"
            )),
            Some(_) => None,
        };
        if let Some(message) = refused {
            errors.push(at_meta(Code::E320, KEY_CHECKSUM, message).help(
                "the hidden sheet was edited, or the form was written from another data \
                 directory: ask the unit for the form it was sent, or write it a fresh one; a \
                 form written before chitieu signed forms is collected with --trust-unsigned",
            ));
        }
    }
    if !super::names_unit(&name, unit, period) {
        errors.push(
            at_meta(
                Code::E321,
                KEY_UNIT,
                format!(
                    "{name} holds the form of unit `{}` for {period}, whose file is {}",
                    crate::text::clip(unit, 60),
                    super::file_name(unit, period)
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
                .is_some_and(|ind| super::write::on_form(ind, &u.level));
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

fn split_ids(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The figures of a row as compared: value, numerator, denominator, note.
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
    note: String,
}

impl Figures {
    fn of(f: &FormFigure) -> Figures {
        Figures {
            value: f.value,
            numerator: f.numerator,
            denominator: f.denominator,
            note: f.note.clone(),
        }
    }

    /// How two sets of figures differ, in words: `value 85 ≠ 80`.
    fn difference(&self, other: &Figures) -> String {
        let show = |v: Option<f64>| v.map_or_else(|| "(empty)".to_string(), format_number);
        let mut parts = Vec::new();
        for (name, a, b) in [
            ("value", self.value, other.value),
            ("numerator", self.numerator, other.numerator),
            ("denominator", self.denominator, other.denominator),
        ] {
            if a != b {
                parts.push(format!("{name} {} here, {} there", show(a), show(b)));
            }
        }
        if self.note != other.note {
            parts.push(format!(
                "note \"{}\" here, \"{}\" there",
                self.note, other.note
            ));
        }
        parts.join("; ")
    }
}

/// Where a key's row is: an existing record of reported.csv, or one appended by a form.
#[derive(Debug, Clone)]
enum Origin {
    Existing(usize),
    Added { form: PathBuf, cell: String },
    Replaced { form: PathBuf, cell: String },
}

/// The merge in progress: existing rows by key, what to replace and append.
struct Merge<'a> {
    reported: &'a RawCsv,
    rows: HashMap<RowKey, (Origin, Figures)>,
    submissions: HashMap<SubmissionKey, ()>,
    replaced: BTreeMap<usize, Vec<String>>,
    appended: Vec<Vec<String>>,
    new_submissions: Vec<Vec<String>>,
    submissions_header: Vec<String>,
}

impl<'a> Merge<'a> {
    fn new(reported: &'a RawCsv, submissions: &RawCsv, c: &Catalogue) -> Merge<'a> {
        let col = |name: &str| reported.column(name);
        let (unit, period, indicator) = (col("unit"), col("period"), col("indicator"));
        let mut rows = HashMap::new();
        for (k, record) in reported.records.iter().enumerate() {
            let key = (
                reported.field(record, unit).to_string(),
                read_period(reported.field(record, period)),
                reported.field(record, indicator).to_string(),
            );
            let (Some(p), kind) = (key.1, c.indicator(&key.2).map(|i| i.unit)) else {
                continue;
            };
            let figure = |name: &str| reported.field(record, col(name));
            let value = match kind {
                Some(UnitKind::Boolean) => parse_bool(figure("value"))
                    .map(|b| if b { 1.0 } else { 0.0 })
                    .or_else(|| parse_number(figure("value"))),
                _ => parse_number(figure("value")),
            };
            let figures = Figures {
                value,
                numerator: parse_number(figure("numerator")),
                denominator: parse_number(figure("denominator")),
                note: figure("note").to_string(),
            };
            // the first row of a key stands for it, as reading reported.csv takes the first
            rows.entry((key.0, p, key.2))
                .or_insert((Origin::Existing(k), figures));
        }
        let scol = |name: &str| submissions.column(name);
        let mut seen = HashMap::new();
        for record in &submissions.records {
            let f = |name: &str| submissions.field(record, scol(name)).to_string();
            if let Some(p) = read_period(&f("period")) {
                seen.insert((f("unit"), f("report"), p), ());
            }
        }
        Merge {
            reported,
            rows,
            submissions: seen,
            replaced: BTreeMap::new(),
            appended: Vec::new(),
            new_submissions: Vec::new(),
            submissions_header: submissions.header.clone(),
        }
    }

    /// Merges one form's figures and submissions; a conflict is an error in `diagnostics`.
    fn form(
        &mut self,
        form: &ReadForm,
        opts: &CollectOptions,
        reported_path: &Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> FileOutcome {
        let mut outcome = FileOutcome {
            path: form.path.clone(),
            unit: form.unit.clone(),
            period: form.period,
            added: 0,
            unchanged: 0,
            replaced: 0,
            empty: form.empty,
            submissions: Vec::new(),
        };
        for figure in &form.figures {
            let key = (form.unit.clone(), form.period, figure.indicator.clone());
            let new = Figures::of(figure);
            if let Some(column) = self.missing_column(&new) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E306,
                        reported_path,
                        Place::File,
                        format!(
                            "{} has no column `{column}` for the {column} of {} {}",
                            file_name(reported_path),
                            file_name(&form.path),
                            figure.cell
                        ),
                    )
                    .help(format!(
                        "add a column `{column}` to the header of {}, then collect again",
                        file_name(reported_path)
                    )),
                );
                continue;
            }
            let conflict = |there: String, help: &str| {
                Diagnostic::new(
                    Code::E304,
                    &form.path,
                    Place::Cell {
                        row: figure.row,
                        column: Column::Value.label().to_string(),
                    },
                    format!(
                        "{}: unit `{}`, period {}, indicator `{}` is already in {there} with \
                         other figures ({})",
                        figure.cell,
                        form.unit,
                        form.period,
                        figure.indicator,
                        new.difference(&self.rows[&key].1)
                    ),
                )
                .help(help.to_string())
            };
            match self.rows.get(&key).cloned() {
                None => {
                    self.appended.push(self.fields(None, form, figure, opts));
                    self.rows.insert(
                        key,
                        (
                            Origin::Added {
                                form: form.path.clone(),
                                cell: figure.cell.clone(),
                            },
                            new,
                        ),
                    );
                    outcome.added += 1;
                }
                Some((_, old)) if old == new => outcome.unchanged += 1,
                Some((Origin::Existing(record), _)) if opts.replace => {
                    let fields = self.fields(Some(record), form, figure, opts);
                    self.replaced.insert(record, fields);
                    self.rows.insert(
                        key,
                        (
                            Origin::Replaced {
                                form: form.path.clone(),
                                cell: figure.cell.clone(),
                            },
                            new,
                        ),
                    );
                    outcome.replaced += 1;
                }
                Some((Origin::Existing(record), _)) => {
                    let row = self.reported.records.get(record).map_or(0, |r| r.row);
                    diagnostics.push(conflict(
                        format!("{} row {row}", file_name(reported_path)),
                        "collect with --replace to replace that row with the form's figures, \
                         or correct the form",
                    ));
                }
                Some((
                    Origin::Added { form: other, cell }
                    | Origin::Replaced {
                        form: other, cell, ..
                    },
                    _,
                )) => {
                    diagnostics.push(conflict(
                        format!("{} {cell}", file_name(&other)),
                        "two returned forms give this row: keep one of them in the directory",
                    ));
                }
            }
        }
        if !form.figures.is_empty() {
            for report in form.reports.iter().cloned() {
                let key = (form.unit.clone(), report.clone(), form.period);
                let new = !self.submissions.contains_key(&key);
                if new {
                    self.submissions.insert(key, ());
                    let fields = self
                        .submissions_header
                        .iter()
                        .map(|h| match fold(h).as_str() {
                            "unit" => form.unit.clone(),
                            "report" => report.clone(),
                            "period" => form.period.to_string(),
                            "submitted_on" => opts.received.format("%Y-%m-%d").to_string(),
                            _ => String::new(),
                        })
                        .collect();
                    self.new_submissions.push(fields);
                }
                outcome.submissions.push((report, new));
            }
        }
        outcome
    }

    /// The first column of reported.csv that `figures` needs and the file lacks: a figure
    /// written nowhere would be lost.
    fn missing_column(&self, figures: &Figures) -> Option<&'static str> {
        [
            ("value", figures.value.is_some()),
            ("numerator", figures.numerator.is_some()),
            ("denominator", figures.denominator.is_some()),
            ("note", !figures.note.is_empty()),
        ]
        .into_iter()
        .find(|(name, given)| *given && self.reported.column(name).is_none())
        .map(|(name, _)| name)
    }

    /// The fields of a reported.csv row for `figure` in the file's column order: an existing
    /// record's other columns kept, its figures and note replaced.
    fn fields(
        &self,
        record: Option<usize>,
        form: &ReadForm,
        figure: &FormFigure,
        opts: &CollectOptions,
    ) -> Vec<String> {
        let csv = self.reported;
        let mut fields = match record.and_then(|k| csv.records.get(k)) {
            Some(r) => {
                let mut f = r.fields.clone();
                f.resize(csv.header.len(), String::new());
                f
            }
            None => vec![String::new(); csv.header.len()],
        };
        let text = |v: Option<f64>| v.map(format_number).unwrap_or_default();
        let value = match (figure.kind, figure.value) {
            (UnitKind::Boolean, Some(v)) => format_number(v),
            (_, v) => text(v),
        };
        for (k, h) in csv.header.iter().enumerate() {
            let cell = match fold(h).as_str() {
                "unit" if record.is_none() => form.unit.clone(),
                "period" if record.is_none() => form.period.to_string(),
                "indicator" if record.is_none() => figure.indicator.clone(),
                "value" => value.clone(),
                "numerator" => text(figure.numerator),
                "denominator" => text(figure.denominator),
                "note" => figure.note.clone(),
                "submitted_on" => opts.received.format("%Y-%m-%d").to_string(),
                _ => continue,
            };
            fields[k] = cell;
        }
        fields
    }
}

/// A period cell as reading reported.csv takes it: `2026-06`, or a first-of-month date.
fn read_period(text: &str) -> Option<Period> {
    Period::parse(text).or_else(|| {
        parse_date(text)
            .filter(|d| chrono::Datelike::day(d) == 1)
            .and_then(|d| Period::parse(&d.format("%Y-%m").to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::fixture::{catalogue, UNITS};
    use crate::forms::write::{form_sheet, meta_sheet, plan, Selection};
    use rust_xlsxwriter::{Format, Workbook};

    #[test]
    fn percent_formatted_and_typed_cells_read_as_the_person_meant() {
        let tmp = tempfile::tempdir().unwrap();
        let c = catalogue(tmp.path());
        let data = crate::data::fixture::data_dir(tmp.path(), &[("units.csv", UNITS)]);
        let units = crate::data::load_data(&data, &c)
            .data
            .map(|d| d.units)
            .unwrap();
        let forms = plan(
            &c,
            &units,
            &[],
            Period::Month(2026, 6),
            &Selection::Unit("xa-1".into()),
        )
        .unwrap();
        // the form as a person fills it in Excel: `85%` typed into pct's value (stored 0.85,
        // percent format), `1.234` typed as text into count (Vietnamese thousands), `có` for flag
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        form_sheet(sheet, &forms[0]).unwrap();
        let (pct, count, flag) = (6, 7, 8); // 0-based rows of the three indicators
        let value = Column::Value.index();
        sheet
            .write_number_with_format(pct, value, 0.85, &Format::new().set_num_format("0%"))
            .unwrap();
        sheet.write_string(count, value, "1.234").unwrap();
        sheet.write_string(flag, value, "có").unwrap();
        let secret = Secret::from_bytes([1; 32]);
        meta_sheet(book.add_worksheet(), &forms[0], &secret).unwrap();
        let path = tmp.path().join("xa-1-2026-06.xlsx");
        book.save(&path).unwrap();

        let check = FormCheck {
            catalogue: &c,
            units: &units,
            secret: Some(&secret),
            trust_unsigned: false,
            received: NaiveDate::from_ymd_opt(2026, 7, 3).unwrap(),
            max_bytes: MAX_FORM_BYTES,
            data_dir: &data,
        };
        let (form, warnings) = read_form(&path, &check).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            (form.unit.as_str(), form.period),
            ("xa-1", Period::Month(2026, 6))
        );
        let values: Vec<(&str, Option<f64>, &str)> = form
            .figures
            .iter()
            .map(|f| (f.indicator.as_str(), f.value, f.cell.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("pct", Some(85.0), "Biểu mẫu!G7"),
                ("count", Some(1234.0), "Biểu mẫu!G8"),
                ("flag", Some(1.0), "Biểu mẫu!G9"),
            ]
        );
        assert_eq!(form.empty, 0);
    }
}

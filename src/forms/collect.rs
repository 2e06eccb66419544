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

mod merge;
mod read;
use merge::*;
use read::*;

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
#[cfg(test)]
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

/// A usage problem of `chitieu collect`: what the command was given cannot be collected.
#[derive(Debug, thiserror::Error)]
pub enum Usage {
    #[error(
        "--received {received} is after today ({today}): pass the day the forms were received"
    )]
    ReceivedLater {
        received: NaiveDate,
        today: NaiveDate,
    },
    /// The data directory's secret cannot be read.
    #[error("{}: {source}", .data.display())]
    Secret {
        data: PathBuf,
        source: super::sign::SecretError,
    },
    #[error("cannot read the forms directory {}: {source}", .dir.display())]
    FormsDirectory {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("{} holds no returned form (.xlsx)", .0.display())]
    NoForms(PathBuf),
    /// A table of the data directory in another format than CSV, which collect appends to.
    #[error("{} is not CSV: collect merges forms into {name}.csv only (convert it first)", .path.display())]
    NotCsv { path: PathBuf, name: String },
}

/// Why nothing was written.
#[derive(Debug)]
pub enum CollectError {
    /// Problems in the forms or the data, each at its place; warnings among them.
    Diagnostics(Vec<Diagnostic>),
    /// A usage problem (no forms, a data file chitieu cannot append to).
    Usage(Usage),
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
        return Err(CollectError::Usage(Usage::ReceivedLater {
            received: opts.received,
            today: opts.today,
        }));
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
            Err(source) => {
                return Err(CollectError::Usage(Usage::Secret {
                    data: opts.data.clone(),
                    source,
                }))
            }
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

    let Targets {
        reported_path,
        reported,
        submissions_path,
        submissions,
    } = targets(&opts.data, &mut diagnostics)?;
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

/// reported.csv and submissions.csv of a data directory, which the forms are merged into.
struct Targets {
    reported_path: PathBuf,
    reported: RawCsv,
    submissions_path: PathBuf,
    submissions: RawCsv,
}

/// The files the forms are merged into, read; a column either lacks is an E306 in
/// `diagnostics`.
fn targets(data: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<Targets, CollectError> {
    let reported_path = table_path(data, "reported")?;
    let submissions_path = table_path(data, "submissions")?;
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
    Ok(Targets {
        reported_path,
        reported,
        submissions_path,
        submissions,
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
    let entries = std::fs::read_dir(dir).map_err(|source| {
        CollectError::Usage(Usage::FormsDirectory {
            dir: dir.to_path_buf(),
            source,
        })
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
        return Err(CollectError::Usage(Usage::NoForms(dir.to_path_buf())));
    }
    Ok(FormFiles { forms, refused })
}

/// `DIR/name.csv`: the file collect writes. Another format of that table is a usage error:
/// collect appends to CSV only.
fn table_path(dir: &Path, name: &str) -> Result<PathBuf, CollectError> {
    match find_table(dir, name) {
        Ok(None) => Ok(dir.join(format!("{name}.csv"))),
        Ok(Some(path)) if path.extension().is_some_and(|e| e == "csv") => Ok(path),
        Ok(Some(path)) => Err(CollectError::Usage(Usage::NotCsv {
            path,
            name: name.to_string(),
        })),
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
    RawCsv::parse(text).map_err(|e| unreadable(e.to_string()))
}

#[cfg(test)]
mod tests;

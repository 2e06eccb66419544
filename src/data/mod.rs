//! Reading data: units and their hierarchy, reported values, task status, report submissions and
//! datasets from CSV, Parquet or XLSX, with the data checks E300–E307 and W310. No scoring.
//!
//! [`load_data`] reads a data directory (SPEC §1) and reports every problem it finds, each at
//! its file, row and column, before anything is evaluated.

pub mod commit;
pub mod number;
pub mod parquet;
pub use crate::calendar::period;
pub mod records;
pub mod reported;
pub mod submissions;
pub mod table;
pub mod tasks;
pub mod units;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use period::{Grain, Period};
pub use reported::{read_reported, Reported, ReportedRow};
pub use submissions::{read_submissions, SubmissionRow, SubmissionRows};
pub use table::{find_table, read_table, Table};
pub use tasks::{read_tasks, TaskRow, TaskRows};
pub use units::Units;
// the generators' tests read dates of the data they wrote (src/generate/mod.rs)
#[cfg(test)]
pub use number::parse_date;

use crate::definition::{Catalogue, Measure};
use crate::diagnostics::{Code, Diagnostic, Place};

/// The data of one scoring context (a `data/<name>/` directory), checked and resolved against a
/// catalogue.
#[derive(Debug, Clone)]
pub struct Data {
    pub(crate) dir: PathBuf,
    pub(crate) units: Units,
    /// Usable rows of reported.csv, in file order. Rows with an error that prevents reading them
    /// (E300, E301, E304, E307) and rows whose numerator exceeds their denominator (E302) are
    /// not here.
    pub(crate) reported: Vec<ReportedRow>,
    /// Spreadsheet row numbers of reported.csv rows left out because their numerator exceeds
    /// their denominator (E302); a score run warns of each from its diagnostic.
    #[cfg(test)]
    pub(crate) excluded: Vec<usize>,
    /// Usable rows of tasks.csv, in file order.
    pub(crate) tasks: Vec<TaskRow>,
    /// Usable rows of submissions.csv, in file order (SPEC §6.1).
    pub(crate) submissions: Vec<SubmissionRow>,
    /// Dataset name → file, for the datasets the catalogue declares and the directory holds.
    pub(crate) datasets: BTreeMap<String, PathBuf>,
}

/// What [`load_data`] gives: the data, unless an error makes it unusable, and every diagnostic.
#[derive(Debug, Clone, Default)]
pub struct DataLoad {
    pub data: Option<Data>,
    pub diagnostics: Vec<Diagnostic>,
}

impl DataLoad {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads the data directory `dir` against `catalogue`: units (required), reported values and
/// task status (optional), and the location of each declared dataset.
///
/// Every problem is reported, file by file (units, reported, tasks, datasets), each file's in
/// row order. `data` is `None` when the directory or units cannot be used (no units file, an
/// unreadable file, a missing column, E305) or when reported/tasks lack a required column;
/// otherwise it holds the usable rows and the caller decides what the remaining errors mean
/// (a check run reports them; a score run stops on errors other than E302). When no units can
/// be read, reported and tasks files are not checked, since every unit would look unknown.
/// A dataset file that is missing is E306 only when a computed indicator reads it and
/// reported.csv gives none of that dataset's indicators: a data directory without the records
/// but with their counts (a scoreboard's published figures) scores those indicators from
/// reported.csv (see `eval::values`).
///
/// Reads under the directory's shared lock (`commit::read_guard`): never a commit half
/// applied; a commit a killed run left is finished first.
pub fn load_data(dir: &Path, catalogue: &Catalogue) -> DataLoad {
    if !dir.is_dir() {
        return load_unlocked(dir, catalogue);
    }
    loop {
        let guard = match commit::read_guard(dir) {
            Ok(g) => g,
            Err(e) => {
                return DataLoad {
                    data: None,
                    diagnostics: vec![locked_out(dir, e)],
                }
            }
        };
        let load = load_unlocked(dir, catalogue);
        // read without a lock (no writer ever ran) and a writer began meanwhile: read again
        if guard.still_valid(dir) {
            return load;
        }
    }
}

/// The most units a data directory may hold (E325): far above a nation's (4,114 in the
/// generated national data), far below what would exhaust a machine.
pub const MAX_UNITS: usize = 200_000;
/// The deepest chain of parents (E325): a province's hierarchy is 3 or 4 levels.
pub const MAX_DEPTH: usize = 64;

/// E325 at units.csv.
fn units_beyond(path: &Path, problem: String) -> Diagnostic {
    Diagnostic::new(Code::E325, path, Place::File, problem).help(
        "split the data directory (one province's units per run), or check that units.csv \
         holds units and not records",
    )
}

/// [`load_data`] for a writer: the transaction proves the directory is locked by this run.
pub fn load_data_held(t: &commit::Transaction, catalogue: &Catalogue) -> DataLoad {
    load_unlocked(t.dir(), catalogue)
}

/// E308: the directory's lock or an interrupted commit stops the reading.
pub(crate) fn locked_out(dir: &Path, e: commit::CommitError) -> Diagnostic {
    Diagnostic::new(
        Code::E308,
        dir,
        Place::File,
        format!("cannot lock the data directory {}: {e}", dir.display()),
    )
    .help(
        "chitieu locks the data directory while it reads or writes it (.chitieu.lock) and \
         finishes a commit a killed run left (.chitieu-commit/): make the directory writable",
    )
}

fn load_unlocked(dir: &Path, catalogue: &Catalogue) -> DataLoad {
    let mut diagnostics = Vec::new();
    if !dir.is_dir() {
        diagnostics.push(
            Diagnostic::new(
                Code::E306,
                dir,
                Place::File,
                format!("the data directory {} does not exist", dir.display()),
            )
            .help("pass the directory that holds units.csv (--data DIR)"),
        );
        return DataLoad {
            data: None,
            diagnostics,
        };
    }
    let mut usable = true;

    let units_path = match find_table(dir, "units") {
        Ok(Some(path)) => Some(path),
        Ok(None) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::E306,
                    dir,
                    Place::File,
                    format!("{} has no units.csv", dir.display()),
                )
                .help(
                    "add units.csv (or units.parquet / units.xlsx) with the columns id, name, \
                     parent, level",
                ),
            );
            None
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    let units = units_path.as_ref().and_then(|path| match read_table(path) {
        Err(d) => {
            diagnostics.push(d);
            None
        }
        Ok(t) if t.rows.len() > MAX_UNITS => {
            // refused before the hierarchy is built: its maps would cost more than the rows
            diagnostics.push(units_beyond(
                path,
                format!(
                    "units.csv has {} rows; chitieu scores at most {MAX_UNITS} units (Vietnam has \
                 about 3,300 communes and 34 provinces)",
                    t.rows.len()
                ),
            ));
            None
        }
        Ok(t) => {
            let (units, mut diags) = Units::read(&t);
            usable &= diags.is_empty();
            diagnostics.append(&mut diags);
            match units
                .as_ref()
                .and_then(|u| u.size_problem(MAX_UNITS, MAX_DEPTH))
            {
                Some(problem) => {
                    diagnostics.push(units_beyond(path, problem));
                    None
                }
                None => units,
            }
        }
    });
    let Some(units) = units else {
        diagnostics.extend(datasets(dir, catalogue, &[]).1);
        return DataLoad {
            data: None,
            diagnostics,
        };
    };

    let (_, table) = read_optional(dir, "reported", &mut diagnostics, &mut usable);
    let mut reported = match table {
        Some(t) => read_reported(&t, &units, catalogue),
        None => Reported {
            complete: true,
            ..Reported::default()
        },
    };
    usable &= reported.complete;
    diagnostics.append(&mut reported.diagnostics);

    let (_, table) = read_optional(dir, "tasks", &mut diagnostics, &mut usable);
    let mut tasks = match table {
        Some(t) => read_tasks(&t, &units, catalogue),
        None => TaskRows {
            complete: true,
            ..TaskRows::default()
        },
    };
    usable &= tasks.complete;
    diagnostics.append(&mut tasks.diagnostics);

    let (_, table) = read_optional(dir, "submissions", &mut diagnostics, &mut usable);
    let mut submissions = match table {
        Some(t) => read_submissions(&t, &units, catalogue),
        None => SubmissionRows {
            complete: true,
            ..SubmissionRows::default()
        },
    };
    usable &= submissions.complete;
    diagnostics.append(&mut submissions.diagnostics);
    diagnostics.extend(report_units(catalogue, &units));
    diagnostics.extend(unmatched_levels(catalogue, &units));

    let (datasets, mut dataset_diags) = datasets(dir, catalogue, &reported.rows);
    diagnostics.append(&mut dataset_diags);

    let data = usable.then(|| Data {
        dir: dir.to_path_buf(),
        units,
        reported: reported.rows,
        #[cfg(test)]
        excluded: reported.excluded,
        tasks: tasks.rows,
        submissions: submissions.rows,
        datasets,
    });
    DataLoad { data, diagnostics }
}

/// E300 for each unit id of a report's `from = { units = [...] }` that units.csv lacks, at its
/// place in the catalogue (only the data can tell).
fn report_units(catalogue: &Catalogue, units: &Units) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for report in &catalogue.reports {
        let crate::definition::ReportFrom::Units(ids) = &report.from else {
            continue;
        };
        for (id, span) in ids.iter().zip(&report.spans.from) {
            if units.index(id).is_some() {
                continue;
            }
            let help = match units.suggest(id) {
                Some(near) => format!("did you mean `{near}`? `from` names ids of units.csv"),
                None => "`from = { units = [...] }` names ids of units.csv".to_string(),
            };
            let path = catalogue
                .files
                .get(report.loc.file)
                .map(|f| f.path.clone())
                .unwrap_or_default();
            out.push(
                Diagnostic::at(
                    Code::E300,
                    path,
                    span.clone(),
                    format!(
                        "report `{}` is owed by unit `{}`, which units.csv lacks",
                        crate::text::clip(&report.id, 60),
                        crate::text::clip(id, 60)
                    ),
                )
                .label("not a unit of units.csv")
                .help(help),
            );
        }
    }
    out
}

/// W311 for each indicator's `levels` and each report's `from = { levels = [...] }` that name no
/// level any unit of units.csv has (then they apply to no unit), at the place in the catalogue.
fn unmatched_levels(catalogue: &Catalogue, units: &Units) -> Vec<Diagnostic> {
    let present: std::collections::HashSet<&str> =
        units.list().iter().map(|u| u.level.as_str()).collect();
    let mut out = Vec::new();
    let mut warn = |file: usize, span: std::ops::Range<usize>, what: String, levels: &[String]| {
        if levels.is_empty() || levels.iter().any(|l| present.contains(l.as_str())) {
            return;
        }
        let path = catalogue
            .files
            .get(file)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        let mut known: Vec<&str> = present.iter().copied().collect();
        known.sort_unstable();
        out.push(
            Diagnostic::at(
                Code::W311,
                path,
                span,
                format!(
                    "{what} names levels {} that no unit of units.csv has",
                    levels.join(", ")
                ),
            )
            .label("applies to no unit")
            .help(format!("the levels of units.csv: {}", known.join(", "))),
        );
    };
    for i in &catalogue.indicators {
        if let Some(span) = i.levels_span.clone() {
            warn(i.loc.file, span, format!("indicator `{}`", i.id), &i.levels);
        }
    }
    for r in &catalogue.reports {
        if let crate::definition::ReportFrom::Levels(levels) = &r.from {
            let span = match (r.spans.from.first(), r.spans.from.last()) {
                (Some(a), Some(b)) => a.start..b.end,
                _ => r.loc.span.clone(),
            };
            warn(r.loc.file, span, format!("report `{}`", r.id), levels);
        }
    }
    out
}

/// The optional table `name` of `dir` and its path: none when there is no file. Several files
/// for one name (E306) or an unreadable file (E307) make the data unusable.
fn read_optional(
    dir: &Path,
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
    usable: &mut bool,
) -> (Option<PathBuf>, Option<Table>) {
    let found = match find_table(dir, name) {
        Ok(found) => found,
        Err(d) => {
            diagnostics.push(d);
            *usable = false;
            return (None, None);
        }
    };
    let Some(path) = found else {
        return (None, None);
    };
    match read_table(&path) {
        Ok(t) => (Some(path), Some(t)),
        Err(d) => {
            diagnostics.push(d);
            *usable = false;
            (Some(path), None)
        }
    }
}

/// The file of each dataset the catalogue declares; E306 for a dataset that has several files,
/// or that a computed indicator reads while the directory lacks it and `reported` has no row for
/// any of its indicators.
fn datasets(
    dir: &Path,
    catalogue: &Catalogue,
    reported: &[ReportedRow],
) -> (BTreeMap<String, PathBuf>, Vec<Diagnostic>) {
    let mut found = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for dataset in &catalogue.datasets {
        match find_table(dir, &dataset.name) {
            Ok(Some(path)) => {
                found.insert(dataset.name.clone(), path);
            }
            Ok(None) => {
                let readers: Vec<usize> = catalogue
                    .indicators
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| match &i.measure {
                        Measure::Computed(m) => m.dataset.get_ref() == &dataset.name,
                        Measure::Reported | Measure::ReportOnTimeRate => false,
                    })
                    .map(|(k, _)| k)
                    .collect();
                let counts_reported = reported.iter().any(|r| readers.contains(&r.indicator));
                if let Some(first) = readers
                    .first()
                    .map(|&k| catalogue.indicators[k].id.as_str())
                    .filter(|_| !counts_reported)
                {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::E306,
                            dir,
                            Place::File,
                            format!(
                                "no file for dataset `{}`, read by indicator `{first}`{}",
                                dataset.name,
                                if readers.len() > 1 {
                                    format!(" and {} more", readers.len() - 1)
                                } else {
                                    String::new()
                                }
                            ),
                        )
                        .help(format!(
                            "add {0}.parquet, {0}.csv or {0}.xlsx to {1}",
                            dataset.name,
                            dir.display()
                        )),
                    );
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }
    (found, diagnostics)
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A small catalogue and data directory written to a tempdir, for the data tests.

    use std::fs;
    use std::path::Path;

    use crate::definition::{load_catalogue, Catalogue};

    pub const CATALOGUE: &str = r#"
id = "test"
title = "Test"

[dataset.ho_so]
unit = "ma_don_vi"
date = "ngay"

[dataset.unused]
unit = "ma_don_vi"
date = "ngay"
"#;

    pub const INDICATORS: &str = r#"
[[indicator]]
id = "pct"
name = "Tỷ lệ"
unit = "%"
direction = "higher"
[indicator.targets]
2026 = ">= 80"

[[indicator]]
id = "count"
name = "Số lượng"
unit = "count"
direction = "higher"
[indicator.targets]
2026 = "10"

[[indicator]]
id = "flag"
name = "Hoàn thành"
unit = "boolean"
[indicator.targets]
2026 = "done"

[[indicator]]
id = "online"
name = "Hồ sơ trực tuyến"
unit = "%"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
numerator = "SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)"
denominator = "COUNT(*)"
[indicator.targets]
2026 = ">= 80"

[[task]]
id = "t1"
name = "Nhiệm vụ 1"
deadline = "Hoàn thành trước ngày 30/6/2026"

[[task]]
id = "t2"
name = "Nhiệm vụ 2"
deadline = "Thường xuyên"
"#;

    pub const UNITS: &str = "id,name,parent,level\n\
        tinh,Tỉnh Lào Cai,,tinh\n\
        so-a,Sở A,tinh,so\n\
        xa-1,Xã 1,so-a,xa\n";

    /// Loads the test catalogue from `dir/catalogue` (written there).
    pub fn catalogue(dir: &Path) -> Catalogue {
        let cat = dir.join("catalogue");
        fs::create_dir_all(&cat).unwrap();
        fs::write(cat.join("catalogue.toml"), CATALOGUE).unwrap();
        fs::write(cat.join("indicators.toml"), INDICATORS).unwrap();
        let loaded = load_catalogue(&cat).unwrap();
        assert!(
            loaded.diagnostics.iter().all(|d| !d.is_error()),
            "{:?}",
            loaded.diagnostics
        );
        loaded.catalogue
    }

    /// A data directory `dir/data` with the given files.
    pub fn data_dir(dir: &Path, files: &[(&str, &str)]) -> std::path::PathBuf {
        let data = dir.join("data");
        fs::create_dir_all(&data).unwrap();
        for (name, text) in files {
            fs::write(data.join(name), text).unwrap();
        }
        data
    }
}

#[cfg(test)]
mod tests;

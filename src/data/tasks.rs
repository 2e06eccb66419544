//! Task status reported by units (tasks.csv, SPEC §6): one row per (task, unit) resolved to
//! indices, with the checks E300, E301, E304, E306, E307. No deadline arithmetic here.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::number::parse_date;
use super::reported::unknown;
use super::table::{file_name, Table};
use super::units::{closest, Units};
use crate::definition::Catalogue;
use crate::diagnostics::{Code, Diagnostic};
use crate::tasks::Progress;

/// One usable row of tasks.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    /// Index into `catalogue.tasks`.
    pub task: usize,
    /// Index into [`Units::list`].
    pub unit: usize,
    pub progress: Progress,
    pub completed_on: Option<NaiveDate>,
    /// The row as a spreadsheet shows it (the header is row 1).
    pub row: usize,
}

/// What reading tasks.csv gives: the usable rows and every diagnostic in row order.
#[derive(Debug, Clone, Default)]
pub struct TaskRows {
    pub rows: Vec<TaskRow>,
    pub diagnostics: Vec<Diagnostic>,
    /// False when a required column is missing: nothing could be read.
    pub complete: bool,
}

/// Reads task status from `t` (columns `task`, `unit`, `status`; optional `completed_on` and
/// `note`). A row is kept when its task and unit resolve and its status and date can be read;
/// otherwise it is left out with a diagnostic: unknown task (E301), unknown unit (E300), an
/// unreadable status or date (E307), the second row for one (task, unit) (E304). Blank rows are
/// skipped.
pub fn read_tasks(t: &Table, units: &Units, catalogue: &Catalogue) -> TaskRows {
    let mut out = TaskRows::default();
    let missing = t.require(&["task", "unit", "status"]);
    if !missing.is_empty() {
        out.diagnostics = missing;
        return out;
    }
    out.complete = true;
    let [task_col, unit_col, status_col, done_col] =
        ["task", "unit", "status", "completed_on"].map(|c| t.column(c));
    let tasks: HashMap<&str, usize> = catalogue
        .tasks
        .iter()
        .enumerate()
        .map(|(i, task)| (task.id.as_str(), i))
        .collect();
    let file = file_name(&t.path);
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    for i in 0..t.rows.len() {
        if t.is_blank(i) {
            continue;
        }
        let task_text = t.cell(i, task_col);
        let task = tasks.get(task_text).copied();
        if task_text.is_empty() {
            out.diagnostics.push(
                t.at(Code::E307, i, "task", "the task cell is empty")
                    .help("write the id of a task of the catalogue"),
            );
        } else if task.is_none() {
            let hint = closest(task_text, catalogue.tasks.iter().map(|t| t.id.as_str()));
            out.diagnostics.push(unknown(
                t,
                i,
                Code::E301,
                "task",
                task_text,
                hint,
                "the catalogue",
            ));
        }

        let unit_text = t.cell(i, unit_col);
        let unit = units.index(unit_text);
        if unit_text.is_empty() {
            out.diagnostics.push(
                t.at(Code::E307, i, "unit", "the unit cell is empty")
                    .help("write the id of a unit of units.csv"),
            );
        } else if unit.is_none() {
            let hint = units.suggest(unit_text);
            out.diagnostics.push(unknown(
                t,
                i,
                Code::E300,
                "unit",
                unit_text,
                hint,
                "units.csv",
            ));
        }

        let status_text = t.cell(i, status_col);
        let progress = Progress::parse(status_text);
        if progress.is_none() {
            let message = if status_text.is_empty() {
                "the status cell is empty".to_string()
            } else {
                format!("cannot read the status `{status_text}`")
            };
            out.diagnostics
                .push(t.at(Code::E307, i, "status", message).help(
                    "write hoan_thanh, dang_thuc_hien or chua_thuc_hien (or Hoàn thành, Đang thực \
                 hiện, Chưa thực hiện)",
                ));
        }

        let done_text = t.cell(i, done_col);
        let completed_on = parse_date(done_text);
        let date_ok = done_text.is_empty() || completed_on.is_some();
        if !date_ok {
            out.diagnostics.push(
                t.at(
                    Code::E307,
                    i,
                    "completed_on",
                    format!("cannot read the date `{done_text}`"),
                )
                .help("write dates as 2026-06-30 or 30/6/2026"),
            );
        }

        let (Some(task), Some(unit), Some(progress), true) = (task, unit, progress, date_ok) else {
            continue;
        };
        let row = Table::row_number(i);
        if let Some(&first) = seen.get(&(task, unit)) {
            out.diagnostics.push(
                t.at(
                    Code::E304,
                    i,
                    "task",
                    format!(
                        "a second row for task `{task_text}` and unit `{unit_text}` in {file} \
                         (the first is row {first})"
                    ),
                )
                .help(format!("keep one of rows {first} and {row}")),
            );
            continue;
        }
        seen.insert((task, unit), row);
        out.rows.push(TaskRow {
            task,
            unit,
            progress,
            completed_on,
            row,
        });
    }
    out
}

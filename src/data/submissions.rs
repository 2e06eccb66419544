//! When units sent their reports (submissions.csv, SPEC §6.1): one row per (unit, report,
//! period) resolved to indices, with the checks E300, E301, E304, E306, E307. No due dates here.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::number::parse_date;
use super::period::Period;
use super::reported::unknown;
use super::table::{file_name, Table};
use super::units::{closest, Units};
use crate::calendar::due;
use crate::definition::{Catalogue, Report};
use crate::diagnostics::{Code, Diagnostic};

/// One usable row of submissions.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionRow {
    /// Index into [`Units::list`].
    pub unit: usize,
    /// Index into `catalogue.reports`.
    pub report: usize,
    /// The reporting period the report covers (`2026-10` for the October monthly report).
    pub period: Period,
    pub submitted_on: NaiveDate,
    /// The row as a spreadsheet shows it (the header is row 1).
    pub row: usize,
}

/// What reading submissions.csv gives: the usable rows and every diagnostic in row order.
#[derive(Debug, Clone, Default)]
pub struct SubmissionRows {
    pub rows: Vec<SubmissionRow>,
    pub diagnostics: Vec<Diagnostic>,
    /// False when a required column is missing: nothing could be read.
    pub complete: bool,
}

/// Reads submissions from `t` (columns `unit`, `report`, `period`, `submitted_on`; any other
/// column, such as `note`, is ignored). A row is kept when its unit and report resolve, its period
/// is one of the report's reporting periods and its date can be read; otherwise it is left out
/// with a diagnostic: unknown unit (E300), unknown report (E301, as an unknown indicator of
/// reported.csv), an empty or unreadable cell or a period the report does not have — a quarter
/// for a monthly report — (E307), the second row for one (unit, report, period) (E304). Blank
/// rows are skipped. A row for a unit that does not owe the report is kept with a warning (W312)
/// and never counted; one dated before the period could be reported ([`due::earliest_sending`]) is
/// left out with a warning (W313).
pub fn read_submissions(t: &Table, units: &Units, catalogue: &Catalogue) -> SubmissionRows {
    let mut out = SubmissionRows::default();
    let missing = t.require(&["unit", "report", "period", "submitted_on"]);
    if !missing.is_empty() {
        out.diagnostics = missing;
        return out;
    }
    out.complete = true;
    let [unit_col, report_col, period_col, date_col] =
        ["unit", "report", "period", "submitted_on"].map(|c| t.column(c));
    let reports: HashMap<&str, usize> = catalogue
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let file = file_name(&t.path);
    let mut seen: HashMap<(usize, usize, Period), usize> = HashMap::new();
    for i in 0..t.rows.len() {
        if t.is_blank(i) {
            continue;
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

        let report_text = t.cell(i, report_col);
        let report = reports.get(report_text).copied();
        if report_text.is_empty() {
            out.diagnostics.push(
                t.at(Code::E307, i, "report", "the report cell is empty")
                    .help("write the id of a [[report]] of the catalogue"),
            );
        } else if report.is_none() {
            let hint = closest(report_text, catalogue.reports.iter().map(|r| r.id.as_str()));
            out.diagnostics.push(unknown(
                t,
                i,
                Code::E301,
                "report",
                report_text,
                hint,
                "the catalogue's [[report]]s",
            ));
        }

        let period_text = t.cell(i, period_col);
        let period = row_period(
            t,
            i,
            period_text,
            report.map(|r| &catalogue.reports[r]),
            &mut out.diagnostics,
        );

        let date_text = t.cell(i, date_col);
        let submitted_on = parse_date(date_text);
        if submitted_on.is_none() {
            let message = if date_text.is_empty() {
                "the submitted_on cell is empty".to_string()
            } else {
                format!("cannot read the date `{date_text}`")
            };
            out.diagnostics.push(
                t.at(Code::E307, i, "submitted_on", message)
                    .help("write the day the report was sent, as 2026-06-30 or 30/6/2026"),
            );
        }

        let (Some(unit), Some(report), Some(period), Some(submitted_on)) =
            (unit, report, period, submitted_on)
        else {
            continue;
        };
        let row = Table::row_number(i);
        if let Some(&first) = seen.get(&(unit, report, period)) {
            out.diagnostics.push(
                t.at(
                    Code::E304,
                    i,
                    "report",
                    format!(
                        "a second row for report `{report_text}`, unit `{unit_text}` and period \
                         `{period}` in {file} (the first is row {first})"
                    ),
                )
                .help(format!("keep one of rows {first} and {row}")),
            );
            continue;
        }
        seen.insert((unit, report, period), row);
        let r = &catalogue.reports[report];
        if let Some(owner) = units.get(unit).filter(|u| !r.is_owed_by(&u.id, &u.level)) {
            out.diagnostics.push(
                t.at(
                    Code::W312,
                    i,
                    "report",
                    format!(
                        "unit `{unit_text}` (level `{}`) does not owe report `{report_text}`",
                        owner.level
                    ),
                )
                .help("the row is not counted; check the ids, or the report's `from`"),
            );
        }
        let earliest = due::earliest_sending(&r.due, period);
        if submitted_on < earliest {
            out.diagnostics.push(
                t.at(
                    Code::W313,
                    i,
                    "submitted_on",
                    format!(
                        "report `{report_text}` of unit `{}` for {period} is dated {submitted_on}, \
                         before {earliest}: nobody can report a period before it begins",
                        crate::text::clip(unit_text, 60)
                    ),
                )
                .help("the row is not counted (the report stays missing): correct the date"),
            );
            continue;
        }
        out.rows.push(SubmissionRow {
            unit,
            report,
            period,
            submitted_on,
            row,
        });
    }
    out
}

/// The period of row `i`, read from `text`: E307 when it cannot be read or `report` has no such
/// period (the report's periods of that year in the help); None then.
fn row_period(
    t: &Table,
    i: usize,
    text: &str,
    report: Option<&Report>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Period> {
    let period = Period::parse(text);
    match (period, report) {
        (None, _) => diagnostics.push(
            t.at(
                Code::E307,
                i,
                "period",
                format!("cannot read the period `{text}`"),
            )
            .help("write the period the report covers: `2026-10` (month), `2026-Q4` (quarter)"),
        ),
        (Some(p), Some(r)) if due::due_date(&r.due, p).is_none() => {
            let periods: Vec<String> = due::reporting_periods(&r.due, p.year())
                .iter()
                .map(|(p, _)| p.to_string())
                .collect();
            let help = if periods.is_empty() {
                format!("report `{}` is owed in no period of {}", r.id, p.year())
            } else {
                format!(
                    "the periods of report `{}` in {}: {}",
                    r.id,
                    p.year(),
                    periods.join(", ")
                )
            };
            diagnostics.push(
                t.at(
                    Code::E307,
                    i,
                    "period",
                    format!("report `{}` has no period `{text}`", r.id),
                )
                .help(help),
            );
        }
        _ => {}
    }
    period.filter(|p| report.is_none_or(|r| due::due_date(&r.due, *p).is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::load::load_from_strings;

    #[test]
    fn a_sending_dated_before_its_period_began_is_a_warning_and_not_counted() {
        let loaded = load_from_strings(&[
            ("catalogue.toml", "id = \"t\"\ntitle = \"t\"\n"),
            (
                "r.toml",
                "[[report]]\nid = \"thang\"\nname = \"Tháng\"\nfrom = { levels = [\"xa\"] }\n\
                 carries = []\ndue = \"trước ngày 10 hàng tháng\"\n\
                 [[report]]\nid = \"ke-hoach\"\nname = \"Kế hoạch\"\nfrom = { levels = [\"xa\"] }\n\
                 carries = []\ndue = 2026-06-06\n",
            ),
        ]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let units = Units::read(&Table {
            called: None,
            path: "units.csv".into(),
            headers: ["id", "name", "parent", "level"].map(String::from).to_vec(),
            rows: vec![["xa-a", "Xã A", "", "xa"].map(String::from).to_vec()],
        })
        .0
        .unwrap();
        let row = |report: &str, period: &str, on: &str| {
            ["xa-a", report, period, on].map(String::from).to_vec()
        };
        let t = Table {
            called: None,
            path: "submissions.csv".into(),
            headers: ["unit", "report", "period", "submitted_on"]
                .map(String::from)
                .to_vec(),
            rows: vec![
                row("thang", "2026-02", "2025-01-01"), // a year before February
                row("thang", "2026-03", "1900-01-01"),
                row("thang", "2026-04", "2026-04-30"), // the month's last day: possible
                row("thang", "2026-05", "2026-05-01"),
                row("ke-hoach", "2026-06", "2026-02-11"), // a plan sent early: possible
                row("ke-hoach", "2026-06", "2025-12-30"),
            ],
        };
        let read = read_submissions(&t, &units, &loaded.catalogue);
        let kept: Vec<usize> = read.rows.iter().map(|r| r.row).collect();
        assert_eq!(kept, [4, 5, 6]);
        let warned: Vec<(Code, String)> = read
            .diagnostics
            .iter()
            .map(|d| (d.code, d.message.clone()))
            .collect();
        assert_eq!(warned.len(), 3, "{warned:?}");
        assert!(warned
            .iter()
            .all(|(c, _)| *c == Code::W313 || *c == Code::E304));
        assert!(
            warned[0].1.contains("dated 2025-01-01, before 2026-02-01"),
            "{warned:?}"
        );
    }
}

//! The reporting cycle (SPEC §6.1): which reports a unit owes for which reporting periods (each
//! with the due date `calendar::due` gives), and (in `status`) whether it came in on time at an
//! as-of date. Reads no files; the catalogue and the data are handed in.

use chrono::NaiveDate;

pub mod status;

pub use status::{report_status, ReportCounts, ReportStatus};

use crate::calendar::due;
use crate::data::Period;
use crate::definition::Catalogue;

/// One report a unit owes: the report (index into [`Catalogue::reports`]), the reporting period
/// it covers and its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owed {
    pub report: usize,
    pub period: Period,
    pub due: NaiveDate,
}

/// The reports unit `unit` (of `level`) owes for the reporting periods that lie within `period`
/// (a month: that month's reports and the fixed-date reports named by it; a quarter: also its
/// quarterly report; a year: every one of the year), with their due dates; in catalogue order of
/// the reports, then in period order. `chitieu form` and `chitieu collect` ask this for the
/// period of a form; the compliance of a run asks [`owed_until`].
pub fn owed_for(c: &Catalogue, unit: &str, level: &str, period: Period) -> Vec<Owed> {
    owed_where(c, unit, level, period.year(), |p| period.contains(p))
}

/// The reports unit `unit` owes from the start of `period`'s year up to `period`: every reporting
/// period of that year that starts no later than `period` ends (year to date: at a run for
/// October, the monthly reports of January to October and the quarterly ones of Q1 to Q4). Those
/// whose due date is after the as-of date are still owed, not yet due.
pub fn owed_until(c: &Catalogue, unit: &str, level: &str, period: Period) -> Vec<Owed> {
    let end = period.end();
    owed_where(c, unit, level, period.year(), |p| p.start() <= end)
}

fn owed_where(
    c: &Catalogue,
    unit: &str,
    level: &str,
    year: i32,
    keep: impl Fn(Period) -> bool,
) -> Vec<Owed> {
    let mut out = Vec::new();
    for (r, report) in c.reports.iter().enumerate() {
        if !report.complete || !report.is_owed_by(unit, level) {
            continue;
        }
        for (period, due) in due::reporting_periods(&report.due, year) {
            if keep(period) {
                out.push(Owed {
                    report: r,
                    period,
                    due,
                });
            }
        }
    }
    out
}

/// The due date of `report` for reporting period `period`, if the report has that period.
#[cfg(test)]
pub fn due_for(report: &crate::definition::Report, period: Period) -> Option<NaiveDate> {
    due::due_date(&report.due, period)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::load::load_from_strings;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn owed_for_a_period_and_year_to_date() {
        let loaded = load_from_strings(&[
            ("catalogue.toml", "id = \"t\"\ntitle = \"t\"\n"),
            (
                "r.toml",
                "[[report]]\nid = \"thang\"\nname = \"Tháng\"\nfrom = { levels = [\"xa\"] }\n\
                 carries = [\"*\"]\ndue = \"trước ngày 10 hàng tháng\"\n\
                 [[report]]\nid = \"quy\"\nname = \"Quý\"\nfrom = { units = [\"so-a\"] }\n\
                 carries = []\ndue = \"trước ngày 15 của tháng cuối Quý\"\n\
                 [[report]]\nid = \"ke-hoach\"\nname = \"Kế hoạch\"\nfrom = { levels = [\"xa\", \"so\"] }\n\
                 carries = []\ndue = 2026-06-06\n",
            ),
        ]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let c = &loaded.catalogue;
        let list = |owed: Vec<Owed>| -> Vec<(String, String, NaiveDate)> {
            owed.into_iter()
                .map(|o| (c.reports[o.report].id.clone(), o.period.to_string(), o.due))
                .collect()
        };
        // a commune, June: the June monthly report and the plan due 6 June
        assert_eq!(
            list(owed_for(c, "xa-a", "xa", Period::Month(2026, 6))),
            [
                ("thang".into(), "2026-06".into(), day(2026, 7, 10)),
                ("ke-hoach".into(), "2026-06".into(), day(2026, 6, 6)),
            ]
        );
        // so-a for Q2: its quarterly report and the plan; not the communes' monthly one
        assert_eq!(
            list(owed_for(c, "so-a", "so", Period::Quarter(2026, 2))),
            [
                ("quy".into(), "2026-Q2".into(), day(2026, 6, 15)),
                ("ke-hoach".into(), "2026-06".into(), day(2026, 6, 6)),
            ]
        );
        // another department owes only the plan
        assert_eq!(owed_for(c, "so-b", "so", Period::Year(2026)).len(), 1);
        // year to date at April: 4 monthly reports; so-a: Q1 and Q2 (Q2 starts in April)
        assert_eq!(owed_until(c, "xa-a", "xa", Period::Month(2026, 4)).len(), 4);
        assert_eq!(
            list(owed_until(c, "so-a", "so", Period::Month(2026, 4))),
            [
                ("quy".into(), "2026-Q1".into(), day(2026, 3, 15)),
                ("quy".into(), "2026-Q2".into(), day(2026, 6, 15)),
            ]
        );
    }
}

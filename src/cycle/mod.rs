//! The reporting cycle (SPEC §6.1): which reports a unit owes for which reporting periods, when
//! each is due, and (in `compliance`) whether it came in on time at an as-of date. Reads no
//! files; the catalogue and the data are handed in.

use chrono::NaiveDate;

pub mod status;

pub use status::{report_status, ReportCounts, ReportStatus};

use crate::data::Period;
use crate::definition::{Catalogue, Report};
use crate::tasks::DueRule;

/// One report a unit owes: the report (index into [`Catalogue::reports`]), the reporting period
/// it covers and its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owed {
    pub report: usize,
    pub period: Period,
    pub due: NaiveDate,
}

/// The reporting periods of a due rule in `year`, each with its due date, in calendar order
/// (see [`crate::data::period::reporting_periods`], where the rules are spelled out).
pub fn periods_in_year(rule: &DueRule, year: i32) -> Vec<(Period, NaiveDate)> {
    crate::data::period::reporting_periods(rule, year)
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
        for (period, due) in periods_in_year(&report.due, year) {
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
pub fn due_for(report: &Report, period: Period) -> Option<NaiveDate> {
    periods_in_year(&report.due, period.year())
        .into_iter()
        .find(|(p, _)| *p == period)
        .map(|(_, due)| due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::load::load_from_strings;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn due(rule: &str, period: Period) -> Option<NaiveDate> {
        let rule = crate::tasks::parse_due_rule(rule)?;
        periods_in_year(&rule, period.year())
            .into_iter()
            .find(|(p, _)| *p == period)
            .map(|(_, d)| d)
    }

    /// Each due rule of the seeds and SPEC §6.1, with the due date computed by hand.
    #[test]
    fn due_dates_by_hand() {
        use Period::{Month, Quarter};
        let cases = [
            // Lào Cai: the 10th of the month after
            (
                "Định kỳ trước ngày 10 hàng tháng",
                Month(2026, 10),
                Some(day(2026, 11, 10)),
            ),
            (
                "Định kỳ trước ngày 10 hàng tháng",
                Month(2026, 12),
                Some(day(2027, 1, 10)),
            ),
            (
                "dinh ky truoc ngay 10 hang thang",
                Month(2026, 1),
                Some(day(2026, 2, 10)),
            ),
            // no day: the last day of the month after; February is short
            ("Định kỳ hàng tháng", Month(2026, 1), Some(day(2026, 2, 28))),
            ("Định kỳ hàng tháng", Month(2028, 1), Some(day(2028, 2, 29))),
            // Đồng Nai: the 5th of the month after
            (
                "trước ngày 05 hàng tháng",
                Month(2026, 5),
                Some(day(2026, 6, 5)),
            ),
            // Thanh Sơn: the 15th of the quarter's last month
            (
                "trước ngày 15 của tháng cuối Quý",
                Quarter(2026, 1),
                Some(day(2026, 3, 15)),
            ),
            (
                "trước ngày 15 của tháng cuối Quý",
                Quarter(2026, 4),
                Some(day(2026, 12, 15)),
            ),
            ("trước ngày 15 của tháng cuối Quý", Month(2026, 3), None),
            // two dates a year: the reports of June and December
            (
                "trước ngày 05/6 và 05/12 hằng năm",
                Month(2026, 6),
                Some(day(2026, 6, 5)),
            ),
            (
                "trước ngày 05/6 và 05/12 hằng năm",
                Month(2027, 12),
                Some(day(2027, 12, 5)),
            ),
            ("trước ngày 05/6 và 05/12 hằng năm", Month(2026, 7), None),
            // one date: the report of its month, no other
            (
                "trước ngày 06/6/2026",
                Month(2026, 6),
                Some(day(2026, 6, 6)),
            ),
            (
                "trước ngày 11/02/2026",
                Month(2026, 2),
                Some(day(2026, 2, 11)),
            ),
            ("trước ngày 06/6/2026", Month(2027, 6), None),
        ];
        for (rule, period, expected) in cases {
            assert_eq!(due(rule, period), expected, "{rule} for {period}");
        }
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

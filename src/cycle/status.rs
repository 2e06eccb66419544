//! Whether a report came in on time (SPEC §6.1): the status of one (report, unit, period) at an
//! as-of date, and the counts and on-time rate of a unit. Dates in, status out: no files.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::labels::{palette, Rgb};
use crate::project::Lang;

/// Where one owed report stands at the as-of date. The codes of [`ReportStatus::as_str`] are the
/// stable interface of the JSON and CSV outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    /// `dung_han`: sent on or before the due date.
    DungHan,
    /// `tre_han`: sent after the due date.
    TreHan,
    /// `chua_nop`: not sent, and the due date has passed.
    ChuaNop,
    /// `chua_den_han`: not sent, and not yet due.
    ChuaDenHan,
}

impl ReportStatus {
    /// The label a person reads (SPEC §6.1).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ReportStatus::DungHan => lang.pick("Đúng hạn", "On time"),
            ReportStatus::TreHan => lang.pick("Trễ hạn", "Late"),
            ReportStatus::ChuaNop => lang.pick("Chưa nộp (quá hạn)", "Missing (overdue)"),
            ReportStatus::ChuaDenHan => lang.pick("Chưa đến hạn", "Not yet due"),
        }
    }

    /// The colour of the status: missing red, late amber, on time green, not yet due grey (the
    /// indicator palette's meanings).
    pub fn rgb(self) -> Rgb {
        match self {
            ReportStatus::DungHan => palette::GREEN,
            ReportStatus::TreHan => palette::AMBER,
            ReportStatus::ChuaNop => palette::RED,
            ReportStatus::ChuaDenHan => palette::GREY,
        }
    }

    /// Most urgent first, the order of every list a reader sees: missing, late, not yet due,
    /// on time.
    pub const ALL: [ReportStatus; 4] = [
        ReportStatus::ChuaNop,
        ReportStatus::TreHan,
        ReportStatus::ChuaDenHan,
        ReportStatus::DungHan,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::DungHan => "dung_han",
            ReportStatus::TreHan => "tre_han",
            ReportStatus::ChuaNop => "chua_nop",
            ReportStatus::ChuaDenHan => "chua_den_han",
        }
    }

    /// `tre_han` and `chua_nop`: what the report names first.
    pub fn is_late_or_missing(self) -> bool {
        matches!(self, ReportStatus::TreHan | ReportStatus::ChuaNop)
    }
}

impl fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ReportStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The status of a report due on `due`, sent on `submitted_on` (None: not sent), at `as_of`, and
/// the days it is late: for `tre_han` the days from the due date to the sending, for `chua_nop`
/// the days from the due date to `as_of`. A sending dated after `as_of` is not yet known then
/// and counts as none.
pub fn report_status(
    due: NaiveDate,
    submitted_on: Option<NaiveDate>,
    as_of: NaiveDate,
) -> (ReportStatus, Option<i64>) {
    match submitted_on.filter(|s| *s <= as_of) {
        Some(s) if s <= due => (ReportStatus::DungHan, None),
        Some(s) => (ReportStatus::TreHan, Some((s - due).num_days())),
        None if as_of > due => (ReportStatus::ChuaNop, Some((as_of - due).num_days())),
        None => (ReportStatus::ChuaDenHan, None),
    }
}

/// A unit's reports (its own and, in a scorecard, its descendants'): `due` counts those sent or
/// past due (on_time + late + missing); `not_due` those neither sent nor yet due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReportCounts {
    pub due: usize,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
    pub not_due: usize,
}

impl ReportCounts {
    /// Whether any report is missing or late: the units the report section and the summary
    /// name.
    pub fn missing_or_late(&self) -> bool {
        self.missing + self.late > 0
    }

    pub fn add(&mut self, s: ReportStatus) {
        match s {
            ReportStatus::DungHan => self.on_time += 1,
            ReportStatus::TreHan => self.late += 1,
            ReportStatus::ChuaNop => self.missing += 1,
            ReportStatus::ChuaDenHan => self.not_due += 1,
        }
        if s != ReportStatus::ChuaDenHan {
            self.due += 1;
        }
    }

    /// Adds another unit's counts (a child's, into its parent's).
    pub fn merge(&mut self, other: &ReportCounts) {
        self.due += other.due;
        self.on_time += other.on_time;
        self.late += other.late;
        self.missing += other.missing;
        self.not_due += other.not_due;
    }

    /// 100 × on_time / (on_time + late + missing); None when no report is due.
    pub fn on_time_rate(&self) -> Option<f64> {
        let whole = self.on_time + self.late + self.missing;
        (whole > 0).then(|| 100.0 * self.on_time as f64 / whole as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReportStatus::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn statuses_by_hand() {
        // the October report of "trước ngày 10 hàng tháng" is due 10/11/2026
        let due = d(2026, 11, 10);
        // (sent, as of, status, days late)
        let cases = [
            (Some(d(2026, 11, 10)), d(2026, 11, 30), DungHan, None),
            (Some(d(2026, 11, 2)), d(2026, 11, 5), DungHan, None),
            (Some(d(2026, 11, 13)), d(2026, 11, 30), TreHan, Some(3)),
            (Some(d(2026, 12, 1)), d(2026, 11, 30), ChuaNop, Some(20)),
            (None, d(2026, 11, 11), ChuaNop, Some(1)),
            (None, d(2026, 11, 10), ChuaDenHan, None),
            (None, d(2026, 10, 31), ChuaDenHan, None),
        ];
        for (sent, as_of, status, days) in cases {
            assert_eq!(
                report_status(due, sent, as_of),
                (status, days),
                "{sent:?} at {as_of}"
            );
        }
    }

    #[test]
    fn counts_and_rate() {
        let c: ReportCounts = {
            let mut c = ReportCounts::default();
            for s in [DungHan, DungHan, DungHan, TreHan, ChuaNop, ChuaDenHan] {
                c.add(s);
            }
            c
        };
        assert_eq!(
            (c.due, c.on_time, c.late, c.missing, c.not_due),
            (5, 3, 1, 1, 1)
        );
        assert_eq!(c.on_time_rate(), Some(60.0));
        assert_eq!(ReportCounts::default().on_time_rate(), None);
        let codes: Vec<&str> = ReportStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(codes, ["chua_nop", "tre_han", "chua_den_han", "dung_han"]);
    }
}

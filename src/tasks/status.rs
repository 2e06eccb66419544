//! The status of a task for one unit at an as-of date (SPEC §6), and the counts and rates of the
//! Government Office's task-tracking reports. Values in, status out: no files, no assignment.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::deadline::Deadline;
use super::progress::Progress;
use crate::labels::Rgb;
use crate::project::Lang;

/// Where a task stands for one unit at the as-of date. The codes of [`TaskStatus::as_str`] are the
/// stable interface of the JSON and CSV outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// `hoan_thanh_dung_han`: done, completed on or before the due date.
    HoanThanhDungHan,
    /// `hoan_thanh_qua_han`: done, completed after the due date.
    HoanThanhQuaHan,
    /// `hoan_thanh`: done, without a due date or without a completion date.
    HoanThanh,
    /// `trong_han`: not done, the due date has not passed.
    TrongHan,
    /// `qua_han`: not done, the due date has passed.
    QuaHan,
    /// `thuong_xuyen`: recurring work without a yearly due date, not done.
    ThuongXuyen,
    /// `khong_thoi_han`: conditional, not done.
    KhongThoiHan,
    /// `chua_bao_cao`: the unit has no row for a task that is past due; counts as overdue.
    ChuaBaoCao,
}

impl TaskStatus {
    /// The label a person reads (SPEC §6).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TaskStatus::HoanThanhDungHan => lang.pick("Hoàn thành đúng hạn", "Done on time"),
            TaskStatus::HoanThanhQuaHan => lang.pick("Hoàn thành quá hạn", "Done late"),
            TaskStatus::HoanThanh => lang.pick("Hoàn thành", "Done"),
            TaskStatus::TrongHan => {
                lang.pick("Đang thực hiện (trong hạn)", "In progress (on schedule)")
            }
            TaskStatus::QuaHan => lang.pick("Quá hạn", "Overdue"),
            TaskStatus::ThuongXuyen => lang.pick("Thường xuyên", "Recurring"),
            TaskStatus::KhongThoiHan => lang.pick("Không có thời hạn", "No deadline"),
            TaskStatus::ChuaBaoCao => lang.pick("Chưa báo cáo (quá hạn)", "Not reported (overdue)"),
        }
    }

    /// The colour of the status (the `tasks` chart, the report's badges): done in greens, open
    /// in blues, overdue in reds, without deadline grey.
    pub fn rgb(self) -> Rgb {
        match self {
            TaskStatus::HoanThanhDungHan => (46, 139, 87),
            TaskStatus::HoanThanhQuaHan => (140, 160, 50),
            TaskStatus::HoanThanh => (120, 195, 140),
            TaskStatus::TrongHan => (60, 120, 200),
            TaskStatus::ThuongXuyen => (150, 190, 230),
            TaskStatus::KhongThoiHan => (170, 170, 170),
            TaskStatus::QuaHan => (204, 51, 51),
            TaskStatus::ChuaBaoCao => (130, 25, 25),
        }
    }

    pub const ALL: [TaskStatus; 8] = [
        TaskStatus::HoanThanhDungHan,
        TaskStatus::HoanThanhQuaHan,
        TaskStatus::HoanThanh,
        TaskStatus::TrongHan,
        TaskStatus::QuaHan,
        TaskStatus::ThuongXuyen,
        TaskStatus::KhongThoiHan,
        TaskStatus::ChuaBaoCao,
    ];

    /// Most urgent first: overdue, then open, then done (SPEC §6). Every list of task statuses
    /// shown to a reader follows it: the report's counts, and (reversed, so that overdue ends
    /// the bar) the task chart's stacking.
    pub const BY_URGENCY: [TaskStatus; 8] = [
        TaskStatus::QuaHan,
        TaskStatus::ChuaBaoCao,
        TaskStatus::TrongHan,
        TaskStatus::ThuongXuyen,
        TaskStatus::KhongThoiHan,
        TaskStatus::HoanThanhQuaHan,
        TaskStatus::HoanThanhDungHan,
        TaskStatus::HoanThanh,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::HoanThanhDungHan => "hoan_thanh_dung_han",
            TaskStatus::HoanThanhQuaHan => "hoan_thanh_qua_han",
            TaskStatus::HoanThanh => "hoan_thanh",
            TaskStatus::TrongHan => "trong_han",
            TaskStatus::QuaHan => "qua_han",
            TaskStatus::ThuongXuyen => "thuong_xuyen",
            TaskStatus::KhongThoiHan => "khong_thoi_han",
            TaskStatus::ChuaBaoCao => "chua_bao_cao",
        }
    }

    /// Every `hoan_thanh*` status.
    pub fn is_done(self) -> bool {
        matches!(
            self,
            TaskStatus::HoanThanhDungHan | TaskStatus::HoanThanhQuaHan | TaskStatus::HoanThanh
        )
    }

    /// `qua_han` and `chua_bao_cao`: not done and past due.
    pub fn is_overdue(self) -> bool {
        matches!(self, TaskStatus::QuaHan | TaskStatus::ChuaBaoCao)
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for TaskStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The due date a task is judged against at `as_of`: a fixed date; for recurring work with a
/// yearly due date ("Trong Quý I hàng năm"), that day in the year of `as_of`, once the recurrence
/// has started (`from_year` ≤ that year); otherwise none.
pub fn due_date(deadline: &Deadline, as_of: NaiveDate) -> Option<NaiveDate> {
    match deadline {
        Deadline::Recurring {
            from_year: Some(from),
            ..
        } if *from > as_of.year() => None,
        _ => deadline.due_at(as_of),
    }
}

/// The status of a task for one unit at `as_of` (SPEC §6). `reported` is the unit's row of
/// tasks.csv (progress, completed_on), or None when it has none.
///
/// * Done: `hoan_thanh_dung_han` / `hoan_thanh_qua_han` by completed_on against the due date,
///   `hoan_thanh` when either is missing.
/// * Not done, or no row: with a due date (see [`due_date`]) `trong_han` while `as_of` ≤ due, then
///   `qua_han` — or `chua_bao_cao` without a row; recurring without a due date `thuong_xuyen`;
///   conditional `khong_thoi_han`.
///
/// Recurring work with a yearly due date is judged as a dated task in each year's cycle: "Quý I
/// hằng năm" not done at 15/4/2026 is `qua_han`; at 15/3/2026 `trong_han`; done on 20/3/2026 it is
/// `hoan_thanh_dung_han`. A recurrence that starts in a later year ("Từ năm 2027 ...", judged in
/// 2026) is not yet due: `trong_han`.
pub fn task_status(
    deadline: &Deadline,
    reported: Option<(Progress, Option<NaiveDate>)>,
    as_of: NaiveDate,
) -> TaskStatus {
    let due = due_date(deadline, as_of);
    if let Some((Progress::Done, completed_on)) = reported {
        return match (due, completed_on) {
            (Some(due), Some(on)) if on <= due => TaskStatus::HoanThanhDungHan,
            (Some(_), Some(_)) => TaskStatus::HoanThanhQuaHan,
            _ => TaskStatus::HoanThanh,
        };
    }
    match (deadline, due) {
        (_, Some(due)) if as_of <= due => TaskStatus::TrongHan,
        (_, Some(_)) if reported.is_some() => TaskStatus::QuaHan,
        (_, Some(_)) => TaskStatus::ChuaBaoCao,
        (
            Deadline::Recurring {
                yearly_due: Some(_),
                ..
            },
            None,
        ) => TaskStatus::TrongHan,
        (Deadline::Recurring { .. }, None) => TaskStatus::ThuongXuyen,
        // A Date always has a due date; only Conditional is left.
        (Deadline::Date(_) | Deadline::Conditional, None) => TaskStatus::KhongThoiHan,
    }
}

/// The counts of the JSON `tasks` object (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct TaskCounts {
    /// Every (task, unit).
    pub total: usize,
    /// `hoan_thanh_dung_han`.
    pub done_on_time: usize,
    /// `hoan_thanh_qua_han`.
    pub done_late: usize,
    /// Every `hoan_thanh*`.
    pub done: usize,
    /// `trong_han`.
    pub in_time: usize,
    /// `qua_han` and `chua_bao_cao`.
    pub overdue: usize,
    /// `thuong_xuyen` and `khong_thoi_han`.
    pub no_deadline: usize,
}

impl TaskCounts {
    /// Adds another unit's counts (a child's, into its parent's).
    pub fn merge(&mut self, other: &TaskCounts) {
        self.total += other.total;
        self.done_on_time += other.done_on_time;
        self.done_late += other.done_late;
        self.done += other.done;
        self.in_time += other.in_time;
        self.overdue += other.overdue;
        self.no_deadline += other.no_deadline;
    }

    pub fn add(&mut self, s: TaskStatus) {
        self.total += 1;
        match s {
            TaskStatus::HoanThanhDungHan => self.done_on_time += 1,
            TaskStatus::HoanThanhQuaHan => self.done_late += 1,
            TaskStatus::HoanThanh => {}
            TaskStatus::TrongHan => self.in_time += 1,
            TaskStatus::QuaHan | TaskStatus::ChuaBaoCao => self.overdue += 1,
            TaskStatus::ThuongXuyen | TaskStatus::KhongThoiHan => self.no_deadline += 1,
        }
        if s.is_done() {
            self.done += 1;
        }
    }

    /// 100 × done / (done + overdue), in percent; None when nothing is done or overdue.
    pub fn completion_rate(&self) -> Option<f64> {
        self.rate(self.done)
    }

    /// 100 × done_on_time / (done + overdue), in percent; None when nothing is done or overdue.
    pub fn on_time_rate(&self) -> Option<f64> {
        self.rate(self.done_on_time)
    }

    fn rate(&self, part: usize) -> Option<f64> {
        let whole = self.done + self.overdue;
        (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
    }
}

impl FromIterator<TaskStatus> for TaskCounts {
    fn from_iter<I: IntoIterator<Item = TaskStatus>>(iter: I) -> Self {
        let mut counts = TaskCounts::default();
        iter.into_iter().for_each(|s| counts.add(s));
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Progress::{Done, InProgress, NotStarted};
    use TaskStatus::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("{y}-{m}-{day}"))
    }

    #[test]
    fn every_status_by_hand() {
        // "Hoàn thành trước ngày 30/6/2026"
        let june = Deadline::Date(d(2026, 6, 30));
        // "Trong Quý I hàng năm"
        let yearly_q1 = Deadline::Recurring {
            yearly_due: Some((3, 31)),
            from_year: None,
        };
        // "Từ năm 2027, Quý I hằng năm", judged in 2026
        let later_q1 = Deadline::Recurring {
            yearly_due: Some((3, 31)),
            from_year: Some(2027),
        };
        // "Thực hiện thường xuyên"
        let ongoing = Deadline::Recurring {
            yearly_due: None,
            from_year: Some(2026),
        };
        // "Theo chỉ đạo của Trung ương"
        let conditional = Deadline::Conditional;
        let dec = d(2026, 12, 31);
        let may = d(2026, 5, 15);
        // (case, deadline, reported, as of, status)
        type Row<'a> = (
            &'a str,
            &'a Deadline,
            Option<(Progress, Option<NaiveDate>)>,
            NaiveDate,
            TaskStatus,
        );
        #[rustfmt::skip]
        let cases: &[Row] = &[
            ("done on the due day", &june, Some((Done, Some(d(2026, 6, 30)))), dec, HoanThanhDungHan),
            ("done a day late", &june, Some((Done, Some(d(2026, 7, 1)))), dec, HoanThanhQuaHan),
            ("done, no date given", &june, Some((Done, None)), dec, HoanThanh),
            ("done, ongoing work", &ongoing, Some((Done, Some(d(2026, 3, 1)))), dec, HoanThanh),
            ("done, conditional", &conditional, Some((Done, Some(d(2026, 3, 1)))), dec, HoanThanh),
            ("in progress before due", &june, Some((InProgress, None)), may, TrongHan),
            ("not started on the due day", &june, Some((NotStarted, None)), d(2026, 6, 30), TrongHan),
            ("in progress after due", &june, Some((InProgress, None)), dec, QuaHan),
            ("no row, past due", &june, None, dec, ChuaBaoCao),
            ("no row, not yet due", &june, None, may, TrongHan),
            ("ongoing, in progress", &ongoing, Some((InProgress, None)), dec, ThuongXuyen),
            ("ongoing, no row", &ongoing, None, dec, ThuongXuyen),
            ("conditional, not started", &conditional, Some((NotStarted, None)), dec, KhongThoiHan),
            ("conditional, no row", &conditional, None, dec, KhongThoiHan),
            ("Quý I hằng năm, 15/3", &yearly_q1, Some((InProgress, None)), d(2026, 3, 15), TrongHan),
            ("Quý I hằng năm, 15/4", &yearly_q1, Some((InProgress, None)), d(2026, 4, 15), QuaHan),
            ("Quý I hằng năm, no row, 15/4", &yearly_q1, None, d(2026, 4, 15), ChuaBaoCao),
            ("Quý I hằng năm, done 20/3", &yearly_q1, Some((Done, Some(d(2026, 3, 20)))), dec, HoanThanhDungHan),
            ("Quý I hằng năm, done 2/4", &yearly_q1, Some((Done, Some(d(2026, 4, 2)))), dec, HoanThanhQuaHan),
            ("starts next year", &later_q1, Some((NotStarted, None)), dec, TrongHan),
            ("starts next year, no row", &later_q1, None, dec, TrongHan),
        ];
        for &(case, deadline, reported, as_of, status) in cases {
            assert_eq!(task_status(deadline, reported, as_of), status, "{case}");
        }
    }

    #[test]
    fn the_government_office_example() {
        // done on time 14.068, done late 1.983, open within deadline 5.640, overdue 223
        let counts: TaskCounts = std::iter::repeat_n(HoanThanhDungHan, 14_068)
            .chain(std::iter::repeat_n(HoanThanhQuaHan, 1_983))
            .chain(std::iter::repeat_n(TrongHan, 5_640))
            .chain(std::iter::repeat_n(QuaHan, 223))
            .collect();
        assert_eq!(
            counts,
            TaskCounts {
                total: 21_914,
                done_on_time: 14_068,
                done_late: 1_983,
                done: 16_051,
                in_time: 5_640,
                overdue: 223,
                no_deadline: 0,
            }
        );
        let completion = counts.completion_rate().unwrap_or(f64::NAN);
        // 16.051 / 16.274 = 98,63%
        assert!((completion - 100.0 * 16_051.0 / 16_274.0).abs() < 1e-9);
        assert_eq!(format!("{completion:.2}"), "98.63");
        let on_time = counts.on_time_rate().unwrap_or(f64::NAN);
        assert!((on_time - 100.0 * 14_068.0 / 16_274.0).abs() < 1e-9);
        assert_eq!(format!("{on_time:.2}"), "86.44");
    }

    #[test]
    fn the_scorecard_json_example() {
        // SPEC §7.1: 5 on time, 1 late, 1 done undated, 9 in time, 2 overdue, 3 without deadline
        let counts: TaskCounts = std::iter::repeat_n(HoanThanhDungHan, 5)
            .chain([HoanThanhQuaHan, HoanThanh])
            .chain(std::iter::repeat_n(TrongHan, 9))
            .chain([QuaHan, ChuaBaoCao])
            .chain([ThuongXuyen, ThuongXuyen, KhongThoiHan])
            .collect();
        assert_eq!(
            (
                counts.total,
                counts.done,
                counts.overdue,
                counts.no_deadline
            ),
            (21, 7, 2, 3)
        );
        // 7 / 9 = 77,78%; 5 / 9 = 55,56%
        let rates = (counts.completion_rate(), counts.on_time_rate());
        assert_eq!(
            rates
                .0
                .zip(rates.1)
                .map(|(c, o)| (format!("{c:.2}"), format!("{o:.2}"))),
            Some(("77.78".to_string(), "55.56".to_string()))
        );
    }

    #[test]
    fn counting_every_status() {
        let counts: TaskCounts = TaskStatus::ALL.into_iter().collect();
        // (done, overdue) = (3, 2): 100 × 3 / 5 and 100 × 1 / 5
        assert_eq!(
            counts,
            TaskCounts {
                total: 8,
                done_on_time: 1,
                done_late: 1,
                done: 3,
                in_time: 1,
                overdue: 2,
                no_deadline: 2,
            }
        );
        assert_eq!(counts.completion_rate(), Some(60.0));
        assert_eq!(counts.on_time_rate(), Some(20.0));
        // nothing done or overdue: no rate, not 0 and not NaN
        let open: TaskCounts = [TrongHan, ThuongXuyen].into_iter().collect();
        assert_eq!((open.completion_rate(), open.on_time_rate()), (None, None));
    }

    #[test]
    fn codes_are_the_json_words() {
        let codes: Vec<&str> = TaskStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            codes,
            [
                "hoan_thanh_dung_han",
                "hoan_thanh_qua_han",
                "hoan_thanh",
                "trong_han",
                "qua_han",
                "thuong_xuyen",
                "khong_thoi_han",
                "chua_bao_cao"
            ]
        );
    }
}

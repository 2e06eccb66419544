//! Due dates of reports (SPEC §6.1): the due rule a plan writes ("Định kỳ trước ngày 10 hàng
//! tháng"), read into a [`DueRule`]; the reporting periods it makes in a year, each with its due
//! date; the due date of one period and the first day a report for it can be sent. Dates in,
//! dates out: which reports a unit owes is `cycle`, whether one came in on time `cycle::status`.

use chrono::{Datelike, NaiveDate};

use super::period::{last_day_of_month, Period};
use crate::tasks::deadline::{due_words, parse_deadline, Deadline, DueDay};

/// When a report is due, read from the due rule a plan writes for it (SPEC §6.1). Each rule gives
/// one due date per reporting period: [`reporting_periods`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DueRule {
    /// "Định kỳ trước ngày 10 hàng tháng": a report for each month, due on that day of the month
    /// after it (the month's last day when it is shorter). "Định kỳ hàng tháng" without a day is
    /// due on the last day of the month after (`day` = 31).
    Monthly { day: u32 },
    /// "trước ngày 15 của tháng cuối Quý": a report for each quarter, due on that day of the
    /// quarter's last month. "Định kỳ hàng quý" without a day is due on the quarter's last day.
    QuarterLastMonth { day: u32 },
    /// "trước ngày 05/6 và 05/12 hằng năm": reports due on these (month, day)s every year, in
    /// calendar order.
    Yearly(Vec<(u32, u32)>),
    /// "trước ngày 06/6/2026" (or `due = 2026-06-06`): one report, due on that date.
    Once(NaiveDate),
}

/// One help line listing the due rules a report may state, for its E140.
pub const DUE_RULES_HELP: &str = "write a monthly rule (Định kỳ trước ngày 10 hàng tháng), a \
    quarterly one (trước ngày 15 của tháng cuối Quý), dates every year (trước ngày 05/6 và 05/12 \
    hằng năm) or one date (trước ngày 06/6/2026)";

/// Reads a report's due rule as a plan writes it (case-insensitive, with or without
/// diacritics); None when it is none of the forms of [`DueRule`] (the caller reports E140).
///
/// On the folded words: `hàng/hằng/mỗi tháng` with at most one `ngày N` is [`DueRule::Monthly`];
/// `tháng cuối quý` (or `hàng/hằng/mỗi quý`) with at most one `ngày N` is
/// [`DueRule::QuarterLastMonth`]; `hàng/hằng/mỗi năm` with one or more days of the year
/// (`05/6`, `ngày 5 tháng 6`) is [`DueRule::Yearly`]; otherwise the text must be a fixed date as
/// [`parse_deadline`](crate::tasks::parse_deadline) reads it ([`DueRule::Once`]). Words around ("Định kỳ", "báo cáo", "(...)")
/// are ignored, but two kinds of rule in one text, a date that names its year inside a recurring
/// rule, or an impossible date give None: the author states the rule plainly or gives `due =`.
pub fn parse_due_rule(text: &str) -> Option<DueRule> {
    let words = due_words(text);
    let kinds = [words.monthly, words.quarterly, words.yearly];
    if kinds.iter().filter(|&&b| b).count() > 1 {
        return None;
    }
    if !(words.monthly || words.quarterly || words.yearly) {
        return match parse_deadline(text)? {
            Deadline::Date(date) => Some(DueRule::Once(date)),
            Deadline::Recurring { .. } | Deadline::Conditional => None,
        };
    }
    let days = words.days?;
    if words.monthly || words.quarterly {
        let day = match days.as_slice() {
            [] => 31,
            [Some(DueDay::OfMonth(day))] => *day,
            _ => return None,
        };
        return Some(if words.monthly {
            DueRule::Monthly { day }
        } else {
            DueRule::QuarterLastMonth { day }
        });
    }
    let mut dates = Vec::new();
    for day in days {
        match day {
            Some(DueDay::OfYear { month, day }) => dates.push((month, day)),
            _ => return None,
        }
    }
    dates.sort_unstable();
    dates.dedup();
    (!dates.is_empty()).then_some(DueRule::Yearly(dates))
}

/// The reporting periods of a due rule in `year`, each with its due date, in calendar order:
///
/// * [`DueRule::Monthly`] `{ day }`: each month M of the year, due on `day` of the month after M
///   (the last day of that month when it is shorter: "ngày 31" in February is the 28th/29th);
///   the December report is due in January of the next year;
/// * [`DueRule::QuarterLastMonth`] `{ day }`: each quarter, due on `day` of its last month;
/// * [`DueRule::Yearly`]: one report per date, named by the month it falls in (`05/6` → the
///   report of `2026-06`, `05/12` → `2026-12`): the plans name these reports by when they are
///   sent ("báo cáo 6 tháng", "báo cáo năm"), and a month is the finest period chitieu has;
/// * [`DueRule::Once`]: the month of the date, only when it is in `year`.
pub fn reporting_periods(rule: &DueRule, year: i32) -> Vec<(Period, NaiveDate)> {
    let day_in = |y: i32, m: u32, day: u32| {
        let last = last_day_of_month(y, m);
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(last).min(last)
    };
    match rule {
        DueRule::Monthly { day } => (1..=12)
            .map(|m| {
                let (ny, nm) = if m == 12 {
                    (year + 1, 1)
                } else {
                    (year, m + 1)
                };
                (Period::Month(year, m), day_in(ny, nm, *day))
            })
            .collect(),
        DueRule::QuarterLastMonth { day } => (1..=4)
            .map(|q| (Period::Quarter(year, q), day_in(year, 3 * q, *day)))
            .collect(),
        DueRule::Yearly(dates) => dates
            .iter()
            .map(|&(m, d)| (Period::Month(year, m), day_in(year, m, d)))
            .collect(),
        DueRule::Once(date) => {
            if date.year() == year {
                vec![(Period::Month(year, date.month()), *date)]
            } else {
                Vec::new()
            }
        }
    }
}

/// The due date of a report under `rule` for reporting period `period`, if the rule has that
/// period.
pub fn due_date(rule: &DueRule, period: Period) -> Option<NaiveDate> {
    reporting_periods(rule, period.year())
        .into_iter()
        .find(|(p, _)| *p == period)
        .map(|(_, due)| due)
}

/// The first day a report for `period` can be sent: the period's first day for a monthly or
/// quarterly report (it reports that period), January 1 of its year for a fixed-date one (named
/// by the month it is due in, it may be sent before that month).
pub fn earliest_sending(rule: &DueRule, period: Period) -> NaiveDate {
    match rule {
        DueRule::Monthly { .. } | DueRule::QuarterLastMonth { .. } => period.start(),
        DueRule::Yearly(_) | DueRule::Once(_) => Period::Year(period.year()).start(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// The due rules of the seeds' bodies and of SPEC §6.1, with and without diacritics.
    #[test]
    fn due_rules() {
        let cases: &[(&str, Option<DueRule>)] = &[
            // 002 Lào Cai, mục 4.h and 4.b
            (
                "Định kỳ trước ngày 10 hàng tháng",
                Some(DueRule::Monthly { day: 10 }),
            ),
            (
                "dinh ky truoc ngay 10 hang thang",
                Some(DueRule::Monthly { day: 10 }),
            ),
            ("trước ngày 06/6/2026", Some(DueRule::Once(day(2026, 6, 6)))),
            // 002 Lào Cai, mục 3: monthly without a day
            ("Định kỳ hàng tháng", Some(DueRule::Monthly { day: 31 })),
            // 003 Thanh Sơn, V.3 and V.1
            (
                "định kỳ hàng Quý (trước ngày 15 của tháng cuối Quý)",
                Some(DueRule::QuarterLastMonth { day: 15 }),
            ),
            (
                "truoc ngay 15 cua thang cuoi quy",
                Some(DueRule::QuarterLastMonth { day: 15 }),
            ),
            (
                "trước ngày 11/02/2026",
                Some(DueRule::Once(day(2026, 2, 11))),
            ),
            // 000 Sở KH&CN Đồng Nai, IV.2
            (
                "báo cáo tháng trước ngày 05 hàng tháng",
                Some(DueRule::Monthly { day: 5 }),
            ),
            ("trước ngày 5/6/2026", Some(DueRule::Once(day(2026, 6, 5)))),
            // SPEC §6.1: two dates a year, in calendar order whatever the text's order
            (
                "trước ngày 05/6 và 05/12 hằng năm",
                Some(DueRule::Yearly(vec![(6, 5), (12, 5)])),
            ),
            (
                "TRUOC NGAY 05/12 VA 05/6 HANG NAM",
                Some(DueRule::Yearly(vec![(6, 5), (12, 5)])),
            ),
            // not a due rule: no form, a condition, two kinds, two days, an impossible date
            ("Thường xuyên", None),
            ("Khi có yêu cầu", None),
            ("", None),
            ("trước ngày 10 hàng tháng và 05/12 hằng năm", None),
            ("trước ngày 10 và ngày 20 hàng tháng", None),
            ("trước ngày 32 hàng tháng", None),
            ("trước ngày 30/2 hằng năm", None),
            ("hằng năm", None),
            ("trước ngày 05/6/2026 hằng năm", None),
        ];
        for (text, expected) in cases {
            assert_eq!(&parse_due_rule(text), expected, "parse_due_rule({text:?})");
        }
    }

    fn due(rule: &str, period: Period) -> Option<NaiveDate> {
        let rule = parse_due_rule(rule)?;
        due_date(&rule, period)
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
}

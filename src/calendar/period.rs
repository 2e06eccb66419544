//! Periods of reported and computed values (SPEC §4.1): a year `2026`, a quarter `2026-Q2`, a
//! month `2026-06`. Parsing, ordering, containment and the time axis used by forecasts.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A reporting period. Ordered by start date, then by length (a month sorts before its quarter,
/// which sorts before its year only when they start on the same day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i32),
    Quarter(i32, u32),
    Month(i32, u32),
}

impl Period {
    /// Parses `2026`, `2026-Q2` (or `2026-q2`), `2026-06` (or `2026-6`).
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let year_of = |y: &str| {
            y.parse::<i32>()
                .ok()
                .filter(|y| (1900..=2199).contains(y) && y.to_string().len() == 4)
        };
        match s.split_once('-') {
            None => year_of(s).map(Period::Year),
            Some((y, rest)) => {
                let year = year_of(y)?;
                if let Some(q) = rest.strip_prefix(['Q', 'q']) {
                    let q = q.parse::<u32>().ok().filter(|q| (1..=4).contains(q))?;
                    Some(Period::Quarter(year, q))
                } else {
                    let m = rest
                        .parse::<u32>()
                        .ok()
                        .filter(|m| (1..=12).contains(m) && rest.len() <= 2)?;
                    Some(Period::Month(year, m))
                }
            }
        }
    }

    /// The period before, of the same granularity: the month before a month (January after
    /// December of the previous year), the quarter before a quarter, the year before a year.
    pub fn previous(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
        }
    }

    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// First day of the period.
    pub fn start(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Year(y) => (y, 1),
            Period::Quarter(y, q) => (y, 3 * q - 2),
            Period::Month(y, m) => (y, m),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Last day of the period (the default as-of date of a run).
    pub fn end(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Year(y) => (y, 12),
            Period::Quarter(y, q) => (y, 3 * q),
            Period::Month(y, m) => (y, m),
        };
        last_day_of_month(y, m)
    }

    /// Whether `other` lies inside this period (a period contains itself).
    pub fn contains(self, other: Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// The period of the same granularity that holds `date`.
    pub fn of_date(self, date: NaiveDate) -> Period {
        match self {
            Period::Year(_) => Period::Year(date.year()),
            Period::Quarter(..) => Period::Quarter(date.year(), (date.month() - 1) / 3 + 1),
            Period::Month(..) => Period::Month(date.year(), date.month()),
        }
    }

    /// The middle of the period in fractional years (2026 → 2026.5, 2026-01 → 2026.0417), the
    /// time axis of forecasts (SPEC §5.6).
    pub fn mid_year(self) -> f64 {
        let (y, first, months) = match self {
            Period::Year(y) => (y, 0, 12),
            Period::Quarter(y, q) => (y, 3 * (q - 1), 3),
            Period::Month(y, m) => (y, m - 1, 1),
        };
        f64::from(y) + (f64::from(first) + f64::from(months) / 2.0) / 12.0
    }

    /// The period's last month counted from January of year 0: `a.last_month() > b.last_month()`
    /// exactly when `a.end() > b.end()`, without building dates (summing a unit's months asks it
    /// millions of times at national scale).
    pub fn last_month(self) -> i64 {
        self.sort_key().1
    }

    /// (first month, last month) counted from January of year 0: the order of (start date, end
    /// date), without building dates (periods are sorted by the hundred thousand in a rollup).
    fn sort_key(self) -> (i64, i64) {
        let (y, first, last) = match self {
            Period::Year(y) => (y, 1, 12),
            Period::Quarter(y, q) => (y, 3 * q - 2, 3 * q),
            Period::Month(y, m) => (y, m, m),
        };
        let month = |m: u32| i64::from(y) * 12 + i64::from(m);
        (month(first), month(last))
    }
}

/// The granularity of a period, and of the buckets the fused scan sums records into: a run
/// that scores a year needs no monthly detail, only yearly sums (the forecast series and the
/// baselines are years too), so its scan groups by unit and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grain {
    Month,
    Quarter,
    Year,
}

impl Grain {
    /// Months in one period of this grain.
    pub fn months(self) -> u32 {
        match self {
            Grain::Month => 1,
            Grain::Quarter => 3,
            Grain::Year => 12,
        }
    }

    /// The period of this grain that holds month `m` (1–12) of year `y`.
    pub fn period_of(self, y: i32, m: u32) -> Period {
        match self {
            Grain::Month => Period::Month(y, m),
            Grain::Quarter => Period::Quarter(y, m.saturating_sub(1) / 3 + 1),
            Grain::Year => Period::Year(y),
        }
    }
}

impl Period {
    pub fn grain(self) -> Grain {
        match self {
            Period::Year(_) => Grain::Year,
            Period::Quarter(..) => Grain::Quarter,
            Period::Month(..) => Grain::Month,
        }
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

/// Serialised as written (`2026`, `2026-Q2`, `2026-06`).
impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

/// The last day of month `m` of year `y`.
pub fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let cases = [
            ("2026", Period::Year(2026)),
            ("2026-Q2", Period::Quarter(2026, 2)),
            ("2026-06", Period::Month(2026, 6)),
            ("2026-6", Period::Month(2026, 6)),
        ];
        for (text, p) in cases {
            assert_eq!(Period::parse(text), Some(p), "{text}");
        }
        assert_eq!(Period::Month(2026, 6).to_string(), "2026-06");
        assert_eq!(Period::Quarter(2026, 2).to_string(), "2026-Q2");
        for bad in [
            "", "26", "2026-13", "2026-Q5", "2026-00", "abc", "2026-123", "20260",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn bounds_containment_and_time_axis() {
        assert_eq!(
            Period::Quarter(2026, 1).end(),
            NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default()
        );
        assert_eq!(
            Period::Month(2028, 2).end(),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap_or_default()
        );
        assert!(Period::Year(2026).contains(Period::Month(2026, 10)));
        assert!(Period::Quarter(2026, 4).contains(Period::Month(2026, 10)));
        assert!(!Period::Quarter(2026, 3).contains(Period::Month(2026, 10)));
        assert_eq!(Period::Year(2026).mid_year(), 2026.5);
        assert_eq!(Period::Month(2026, 1).mid_year(), 2026.0 + 0.5 / 12.0);
        assert_eq!(Period::Quarter(2026, 2).mid_year(), 2026.0 + 4.5 / 12.0);
        assert!(Period::Month(2026, 1) < Period::Month(2026, 2));
        assert!(Period::Month(2025, 12) < Period::Year(2026));
    }

    #[test]
    fn the_previous_period_has_the_same_granularity() {
        let cases = [
            (Period::Month(2026, 8), Period::Month(2026, 7)),
            (Period::Month(2026, 1), Period::Month(2025, 12)),
            (Period::Quarter(2026, 3), Period::Quarter(2026, 2)),
            (Period::Quarter(2026, 1), Period::Quarter(2025, 4)),
            (Period::Year(2026), Period::Year(2025)),
        ];
        for (p, before) in cases {
            assert_eq!(p.previous(), before, "{p}");
        }
    }

    #[test]
    fn order_is_that_of_start_then_end_date() {
        let mut all = Vec::new();
        for y in [1999, 2025, 2026, 2028] {
            all.push(Period::Year(y));
            all.extend((1..=4).map(|q| Period::Quarter(y, q)));
            all.extend((1..=12).map(|m| Period::Month(y, m)));
        }
        for a in &all {
            for b in &all {
                let by_dates = (a.start(), a.end()).cmp(&(b.start(), b.end()));
                assert_eq!(a.cmp(b), by_dates, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn last_months_are_ordered_as_the_last_days() {
        let mut periods = Vec::new();
        for y in [2025, 2026] {
            periods.push(Period::Year(y));
            periods.extend((1..=4).map(|q| Period::Quarter(y, q)));
            periods.extend((1..=12).map(|m| Period::Month(y, m)));
        }
        for a in &periods {
            for b in &periods {
                assert_eq!(
                    a.last_month().cmp(&b.last_month()),
                    a.end().cmp(&b.end()),
                    "{a} vs {b}"
                );
            }
        }
    }
}

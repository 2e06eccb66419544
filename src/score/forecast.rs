//! Forecast to the final target year (SPEC §5.6): an ordinary least-squares line through a unit's
//! values over time, projected to the last period of the final year, and whether the unit is on
//! track. Pure numbers: choosing the values and placing periods on the time axis
//! (`Period::mid_year`) is the caller's; [`projection_period`] says where to project.

use std::fmt;

use crate::data::{Grain, Period};
use crate::definition::{Direction, Op};
use crate::labels::Rgb;
use crate::project::Lang;
use crate::score::Status;

/// Whether a unit is on course for its final target (the UN Statistics Division's progress-chart
/// thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForecastStatus {
    /// `da_dat`: the latest value already meets the final target.
    DaDat,
    /// `dung_lo_trinh`: on track, r ≥ 0.95.
    DungLoTrinh,
    /// `can_tang_toc`: needs to speed up, 0.10 ≤ r < 0.95.
    CanTangToc,
    /// `cham_hoac_di_lui`: stagnating or going backwards, r < 0.10.
    ChamHoacDiLui,
    /// `khong_du_du_lieu`: fewer than 2 distinct times.
    KhongDuDuLieu,
}

impl ForecastStatus {
    /// The label a person reads (SPEC §5.6).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ForecastStatus::DaDat => lang.pick("Đã đạt", "Already met"),
            ForecastStatus::DungLoTrinh => lang.pick("Đúng lộ trình", "On track"),
            ForecastStatus::CanTangToc => lang.pick("Cần tăng tốc", "Needs acceleration"),
            ForecastStatus::ChamHoacDiLui => {
                lang.pick("Chậm hoặc đi lùi", "Stagnating or regressing")
            }
            ForecastStatus::KhongDuDuLieu => lang.pick("Không đủ dữ liệu", "Not enough data"),
        }
    }

    /// The colour of the status, in the indicator status colours: on track green, needs
    /// acceleration amber, stagnating red, not enough data grey.
    pub fn rgb(self) -> Rgb {
        match self {
            ForecastStatus::DaDat | ForecastStatus::DungLoTrinh => Status::Dat,
            ForecastStatus::CanTangToc => Status::GanDat,
            ForecastStatus::ChamHoacDiLui => Status::ChuaDat,
            ForecastStatus::KhongDuDuLieu => Status::KhongCoDuLieu,
        }
        .rgb()
    }

    pub const ALL: [ForecastStatus; 5] = [
        ForecastStatus::DaDat,
        ForecastStatus::DungLoTrinh,
        ForecastStatus::CanTangToc,
        ForecastStatus::ChamHoacDiLui,
        ForecastStatus::KhongDuDuLieu,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ForecastStatus::DaDat => "da_dat",
            ForecastStatus::DungLoTrinh => "dung_lo_trinh",
            ForecastStatus::CanTangToc => "can_tang_toc",
            ForecastStatus::ChamHoacDiLui => "cham_hoac_di_lui",
            ForecastStatus::KhongDuDuLieu => "khong_du_du_lieu",
        }
    }
}

impl fmt::Display for ForecastStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ForecastStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The forecast of one (indicator, unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Forecast {
    /// The final target year Yf.
    pub year: i32,
    /// The projection at the time it is made for, clamped to the limits; None without a line.
    pub value: Option<f64>,
    pub status: ForecastStatus,
}

/// The period a series is projected to (SPEC §5.6): the last period of `final_year` at the grain
/// of the series' latest period — December of Yf for a monthly series, Q4 for a quarterly one,
/// the year Yf for a yearly one (a target for a year is due at its end) — or the latest period
/// itself when that lies later: a projection is never made to a time before the latest value.
pub fn projection_period(final_year: i32, latest: Period) -> Period {
    let last = match latest.grain() {
        Grain::Year => Period::Year(final_year),
        Grain::Quarter => Period::Quarter(final_year, 4),
        Grain::Month => Period::Month(final_year, 12),
    };
    if last.mid_year() < latest.mid_year() {
        latest
    } else {
        last
    }
}

/// The r at or above which a unit is on track.
pub const ON_TRACK: f64 = 0.95;
/// The r below which a unit is stagnating or going backwards.
pub const STAGNATING: f64 = 0.10;

/// Forecasts `points` = (time in fractional years, value), in any order, towards the final target
/// `op threshold` of `final_year` (SPEC §5.6), projecting to the time `at` (the middle of
/// [`projection_period`]).
///
/// * Fewer than 2 distinct times: `khong_du_du_lieu`, no value (even when the one value meets the
///   target: there is no line to show).
/// * Otherwise the OLS line is projected to `at`, or to the latest time when `at` lies before it,
///   and clamped to `limits`.
/// * v0 is the earliest value, the latest value the last one (the mean of the values when several
///   share that time, so the input order never matters). `da_dat` when the latest value meets the
///   final target.
/// * Else r = (projection − v0) / (tf − v0) on the clamped projection: ≥ 0.95 `dung_lo_trinh`,
///   ≥ 0.10 `can_tang_toc`, else `cham_hoac_di_lui`. The formula needs no change for a lower
///   target: both differences are negative when the value falls towards it.
/// * When v0 is at or beyond tf (tf − v0 is 0 or points against the target's direction) r has no
///   meaning (a division by zero or a flipped sign): the unit met the target once and slipped
///   back. It is `dung_lo_trinh` if the projection meets the target again, else
///   `cham_hoac_di_lui`. For `=` this applies when tf = v0; otherwise r measures the approach
///   from either side.
///
/// Non-finite points are ignored.
pub fn forecast(
    points: &[(f64, f64)],
    at: f64,
    final_year: i32,
    op: Op,
    threshold: f64,
    limits: (f64, f64),
) -> Forecast {
    let none = Forecast {
        year: final_year,
        value: None,
        status: ForecastStatus::KhongDuDuLieu,
    };
    let mut pts: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(t, v)| t.is_finite() && v.is_finite())
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (Some(&(first, _)), Some(&(last, _))) = (pts.first(), pts.last()) else {
        return none;
    };
    if first == last {
        return none;
    }
    let Some(line) = ols(&pts) else {
        return none;
    };
    let (lo, hi) = limits;
    let projection = line.at(at.max(last)).max(lo).min(hi);
    let v0 = mean_at(&pts, first);
    let latest = mean_at(&pts, last);
    let status = if op.holds(latest, threshold) {
        ForecastStatus::DaDat
    } else {
        let required = threshold - v0;
        let baseline_met = match op.direction() {
            Some(Direction::Higher) => required <= 0.0,
            Some(Direction::Lower) => required >= 0.0,
            None => required == 0.0,
        };
        if baseline_met {
            if op.holds(projection, threshold) {
                ForecastStatus::DungLoTrinh
            } else {
                ForecastStatus::ChamHoacDiLui
            }
        } else {
            let r = (projection - v0) / required;
            if r >= ON_TRACK {
                ForecastStatus::DungLoTrinh
            } else if r >= STAGNATING {
                ForecastStatus::CanTangToc
            } else {
                ForecastStatus::ChamHoacDiLui
            }
        }
    };
    Forecast {
        year: final_year,
        value: Some(projection),
        status,
    }
}

/// A fitted line v = mean_v + slope × (t − mean_t).
struct Line {
    mean_t: f64,
    mean_v: f64,
    slope: f64,
}

impl Line {
    fn at(&self, t: f64) -> f64 {
        self.mean_v + self.slope * (t - self.mean_t)
    }
}

/// Ordinary least squares through `pts`; None when all times are equal.
fn ols(pts: &[(f64, f64)]) -> Option<Line> {
    let n = pts.len() as f64;
    let mean_t = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_v = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let (sxy, sxx) = pts.iter().fold((0.0, 0.0), |(sxy, sxx), &(t, v)| {
        let dt = t - mean_t;
        (sxy + dt * (v - mean_v), sxx + dt * dt)
    });
    (sxx > 0.0).then(|| Line {
        mean_t,
        mean_v,
        slope: sxy / sxx,
    })
}

/// The mean of the values at time `t` (at least one exists).
fn mean_at(pts: &[(f64, f64)], t: f64) -> f64 {
    let (sum, n) = pts
        .iter()
        .filter(|p| p.0 == t)
        .fold((0.0, 0.0), |(s, n), p| (s + p.1, n + 1.0));
    sum / n
}

#[cfg(test)]
mod tests {
    use super::*;
    use ForecastStatus::*;

    const PCT: (f64, f64) = (0.0, 100.0);
    const COUNT: (f64, f64) = (0.0, f64::INFINITY);

    #[test]
    fn each_category_by_hand() {
        // (case, points, op, tf, limits, projection at 2030.5, status)
        type Row<'a> = (
            &'a str,
            &'a [(f64, f64)],
            Op,
            f64,
            (f64, f64),
            Option<f64>,
            ForecastStatus,
        );
        #[rustfmt::skip]
        let cases: &[Row] = &[
            // +10 a year: 60 + 10 × 4 = 100; r = (100 − 50) / (90 − 50) = 1.25
            ("on track", &[(2025.5, 50.0), (2026.5, 60.0)], Op::Ge, 90.0, PCT, Some(100.0), DungLoTrinh),
            // 60 + 20 × 4 = 140 → clamped to 100
            ("clamped to 100", &[(2026.5, 80.0), (2025.5, 60.0)], Op::Ge, 99.0, PCT, Some(100.0), DungLoTrinh),
            // +2 a year: 52 + 2 × 4 = 60; r = (60 − 50) / (90 − 50) = 0.25
            ("needs to speed up", &[(2025.5, 50.0), (2026.5, 52.0)], Op::Ge, 90.0, PCT, Some(60.0), CanTangToc),
            // flat: 50; r = 0
            ("stagnating", &[(2025.5, 50.0), (2026.5, 50.0)], Op::Ge, 90.0, PCT, Some(50.0), ChamHoacDiLui),
            // falling 5 a year: 45 − 20 = 25; r = (25 − 50) / 40 < 0
            ("going backwards", &[(2025.5, 50.0), (2026.5, 45.0)], Op::Ge, 90.0, PCT, Some(25.0), ChamHoacDiLui),
            // −30 a year: 20 − 120 → clamped to 0
            ("clamped to 0", &[(2025.5, 50.0), (2026.5, 20.0)], Op::Ge, 90.0, PCT, Some(0.0), ChamHoacDiLui),
            ("already met", &[(2025.5, 50.0), (2026.5, 92.0)], Op::Ge, 90.0, PCT, Some(100.0), DaDat),
            // lower, by hand: 45 − 5 × 4 = 25; r = (25 − 50) / (10 − 50) = 0.625
            ("lower, needs to speed up", &[(2025.5, 50.0), (2026.5, 45.0)], Op::Le, 10.0, PCT, Some(25.0), CanTangToc),
            // lower: 40 − 10 × 4 = 0; r = (0 − 50) / (10 − 50) = 1.25
            ("lower, on track", &[(2025.5, 50.0), (2026.5, 40.0)], Op::Le, 10.0, PCT, Some(0.0), DungLoTrinh),
            // lower, rising: 55 + 20 = 75; r = (75 − 50) / (−40) < 0
            ("lower, going backwards", &[(2025.5, 50.0), (2026.5, 55.0)], Op::Le, 10.0, PCT, Some(75.0), ChamHoacDiLui),
            ("lower, already met", &[(2025.5, 50.0), (2026.5, 8.0)], Op::Le, 10.0, PCT, Some(0.0), DaDat),
            // counts are not clamped above: 300 + 100 × 4 = 700; r = (700 − 200) / (500 − 200) > 1
            ("count, unbounded", &[(2025.5, 200.0), (2026.5, 300.0)], Op::Ge, 500.0, COUNT, Some(700.0), DungLoTrinh),
            // three points on a line with noise: times 2024.5, 2025.5, 2026.5; values 40, 50, 54
            // mean t 2025.5, mean v 48, slope (−1·−8 + 1·6) / 2 = 7 → 48 + 7 × 5 = 83;
            // r = (83 − 40) / (90 − 40) = 0.86
            ("three points", &[(2024.5, 40.0), (2025.5, 50.0), (2026.5, 54.0)], Op::Ge, 90.0, PCT, Some(83.0), CanTangToc),
            ("one point", &[(2026.5, 50.0)], Op::Ge, 90.0, PCT, None, KhongDuDuLieu),
            ("one time twice", &[(2026.5, 50.0), (2026.5, 70.0)], Op::Ge, 90.0, PCT, None, KhongDuDuLieu),
            ("no points", &[], Op::Ge, 90.0, PCT, None, KhongDuDuLieu),
        ];
        for &(case, pts, op, tf, limits, value, status) in cases {
            let f = forecast(pts, 2030.5, 2030, op, tf, limits);
            assert_eq!(f.year, 2030, "{case}");
            assert_eq!(f.status, status, "{case}: {f:?}");
            match (f.value, value) {
                (Some(got), Some(want)) => assert!((got - want).abs() < 1e-9, "{case}: {got}"),
                (got, want) => assert_eq!(got, want, "{case}"),
            }
        }
    }

    #[test]
    fn a_baseline_at_or_beyond_the_target() {
        // (case, points, final year, op, tf, projection, status)
        type Row<'a> = (&'a str, &'a [(f64, f64)], i32, Op, f64, f64, ForecastStatus);
        #[rustfmt::skip]
        let cases: &[Row] = &[
            // tf = v0 = 90: r would divide by zero. The latest 85 slipped back; the line
            // 85 − 5 × 4 = 65 does not meet `>= 90`
            ("at the target, slipping", &[(2025.5, 90.0), (2026.5, 85.0)], 2030, Op::Ge, 90.0, 65.0, ChamHoacDiLui),
            // `> 90` from exactly 90, flat: 90 never meets `> 90`
            ("at a strict target, flat", &[(2025.5, 90.0), (2026.5, 90.0)], 2030, Op::Gt, 90.0, 90.0, ChamHoacDiLui),
            // v0 = 91 was beyond `>= 90`, then a fall to 60 and a climb: mean t 2026.5, mean v 78,
            // slope (−2·13 − 1·−18 + 0 + 1·2 + 2·11) / 10 = 1.6 → 78 + 1.6 × 9 = 92.4 in 2035.5.
            // The plain formula would say r = (92.4 − 91) / (90 − 91) < 0: going backwards.
            ("beyond, recovering", &[(2024.5, 91.0), (2025.5, 60.0), (2026.5, 70.0), (2027.5, 80.0), (2028.5, 89.0)],
                2035, Op::Ge, 90.0, 92.4, DungLoTrinh),
            // the same line by 2030.5: 78 + 1.6 × 4 = 84.4, short of 90
            ("beyond, recovering too slowly", &[(2024.5, 91.0), (2025.5, 60.0), (2026.5, 70.0), (2027.5, 80.0), (2028.5, 89.0)],
                2030, Op::Ge, 90.0, 84.4, ChamHoacDiLui),
            // lower: v0 = 8 met `<= 10`, now 14 and rising 6 a year: 14 + 24 = 38
            ("lower, beyond and slipping", &[(2025.5, 8.0), (2026.5, 14.0)], 2030, Op::Le, 10.0, 38.0, ChamHoacDiLui),
        ];
        for &(case, pts, year, op, tf, value, status) in cases {
            let f = forecast(pts, f64::from(year) + 0.5, year, op, tf, PCT);
            assert_eq!(f.status, status, "{case}: {f:?}");
            let got = f.value.unwrap_or(f64::NAN);
            assert!((got - value).abs() < 1e-9, "{case}: {got}");
        }
    }

    #[test]
    fn order_of_points_does_not_matter() {
        let a = forecast(
            &[(2024.5, 40.0), (2025.5, 50.0), (2026.5, 54.0)],
            2030.5,
            2030,
            Op::Ge,
            90.0,
            PCT,
        );
        let b = forecast(
            &[(2026.5, 54.0), (2024.5, 40.0), (2025.5, 50.0)],
            2030.5,
            2030,
            Op::Ge,
            90.0,
            PCT,
        );
        assert_eq!(a, b);
    }

    #[test]
    fn a_monthly_series_inside_its_final_year_is_projected_to_december() {
        // IV.3 of the Lào Cai run: monthly values rising 10 points a month to 90 % in October
        // 2026, a target of 100 % for 2026
        let months: Vec<(Period, f64)> = (1..=10)
            .map(|m| (Period::Month(2026, m), f64::from(m) * 10.0 - 10.0))
            .collect();
        let latest = months[months.len() - 1].0;
        let to = projection_period(2026, latest);
        assert_eq!(to, Period::Month(2026, 12));
        let points: Vec<(f64, f64)> = months.iter().map(|(p, v)| (p.mid_year(), *v)).collect();
        let f = forecast(&points, to.mid_year(), 2026, Op::Ge, 100.0, PCT);
        // the line is exact: 90 in October, +10 a month → 110 in December, clamped to 100; it
        // was projected to mid-2026 (≈ 55) before, a time before the latest value
        assert_eq!(f.value, Some(100.0));
        assert_eq!(f.status, DungLoTrinh);

        // the grain of the latest period decides; a later latest value is never projected back
        assert_eq!(
            projection_period(2030, Period::Quarter(2026, 2)),
            Period::Quarter(2030, 4)
        );
        assert_eq!(
            projection_period(2030, Period::Year(2026)),
            Period::Year(2030)
        );
        assert_eq!(
            projection_period(2025, Period::Month(2026, 3)),
            Period::Month(2026, 3)
        );
        assert_eq!(
            projection_period(2026, Period::Year(2026)),
            Period::Year(2026)
        );
        // and a time before the latest one is moved to it
        let flat_then_up = [(2026.0, 10.0), (2026.5, 20.0)];
        let f = forecast(&flat_then_up, 2025.5, 2025, Op::Ge, 90.0, PCT);
        assert_eq!(f.value, Some(20.0));
    }

    #[test]
    fn codes_are_the_json_words() {
        let codes: Vec<&str> = ForecastStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            codes,
            [
                "da_dat",
                "dung_lo_trinh",
                "can_tang_toc",
                "cham_hoac_di_lui",
                "khong_du_du_lieu"
            ]
        );
    }
}

//! The rounding rule of official scoreboards (SPEC §5.7 `[rounding]`): rounding on the exact
//! double, the % value and earned points as published, points lost, sums of rounded points.
//! Numbers in, numbers out: which `[rounding]` applies to an indicator is decided by the caller.

use std::cmp::Ordering;

use crate::definition::{Rounding, RoundingMode};

/// `x` rounded to `decimals` decimals, deciding on the exact value of the double `x` (not on its
/// shortest decimal form): a tie is a tie only when `x` lies exactly on it. `6 × 1/48` is exactly
/// 0.125, a tie (0.12 half-even, 0.13 half-up); 2.675 is stored as 2.674999999999999822… and
/// gives 2.67 in both modes. The result is the double nearest to the rounded decimal.
/// Non-finite values are returned as they are.
pub fn round_exact(x: f64, decimals: u32, mode: RoundingMode) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let bits = x.abs().to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    // |x| = mantissa × 2^power exactly
    let (mantissa, power) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), exponent - 1075)
    };
    if power >= 0 {
        return x; // an integer: nothing to round
    }
    let decimals = decimals.min(18);
    let scale = 10u128.pow(decimals);
    // |x| × 10^decimals = scaled / 2^shift exactly; scaled < 2^53 × 10^18 < 2^113
    let scaled = mantissa as u128 * scale;
    let shift = power.unsigned_abs();
    let rounded = if shift >= 120 {
        0 // |x| × 10^decimals < 2^-7: below any half
    } else {
        let whole = scaled >> shift;
        let rest = scaled & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let up = match rest.cmp(&half) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => match mode {
                RoundingMode::HalfUp => true,
                RoundingMode::HalfEven => whole & 1 == 1,
            },
        };
        whole + u128::from(up)
    };
    // rounded / 10^decimals, correctly rounded to a double: both exact below 2^53
    let magnitude = if rounded < (1u128 << 53) {
        rounded as f64 / scale as f64
    } else {
        let digits = format!("{rounded:0>width$}", width = decimals as usize + 1);
        let (int, frac) = digits.split_at(digits.len() - decimals as usize);
        format!("{int}.{frac}").parse().unwrap_or(f64::INFINITY)
    };
    if x < 0.0 {
        -magnitude
    } else {
        magnitude
    }
}

/// The % value as the indicator's rounding publishes it before attainment (`value` decimals).
pub fn rounded_value(value: f64, rounding: &Rounding) -> f64 {
    match rounding.value {
        Some(d) => round_exact(value, d, rounding.mode()),
        None => value,
    }
}

/// Earned points = points × attainment, rounded to the `points` decimals when set (before any
/// sum: group and unit scores add these).
pub fn earned(points: f64, attainment: f64, rounding: &Rounding) -> f64 {
    let e = points * attainment;
    match rounding.points {
        Some(d) => round_exact(e, d, rounding.mode()),
        None => e,
    }
}

/// max − earned, rounded to the `points` decimals when set, so that 20 − 17.64 reads 2.36 and
/// not 2.3599999999999994.
pub fn points_lost(max: f64, earned: f64, rounding: &Rounding) -> f64 {
    let lost = (max - earned).max(0.0);
    match rounding.points {
        Some(d) => round_exact(lost, d, RoundingMode::HalfEven),
        None => lost,
    }
}

/// A sum (or difference) of points rounded to the `points` decimals: it is a whole number of
/// those decimals, so rounding it again only removes the float noise of the sum
/// (11.379999999999999 → 11.38). Unchanged without `points` rounding.
pub fn sum_of_rounded(x: f64, rounding: &Rounding) -> f64 {
    match rounding.points {
        Some(d) => round_exact(x, d, RoundingMode::HalfEven),
        None => x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RoundingMode::{HalfEven, HalfUp};

    #[test]
    fn rounding_decides_on_the_exact_double() {
        // (x, decimals, mode, expected)
        #[rustfmt::skip]
        let cases: &[(f64, u32, RoundingMode, f64)] = &[
            // the one exact tie of the published figures: 6 × 1/48 = 0.125 → 0.12
            (6.0 * (1.0 / 48.0), 2, HalfEven, 0.12),
            (0.125, 2, HalfUp, 0.13),
            // a payment tie: 2 × 25.00/80 = 0.625 → 0.63 half away from zero
            (2.0 * 25.0 / 80.0, 2, HalfUp, 0.63),
            (0.625, 2, HalfEven, 0.62),
            (0.375, 2, HalfEven, 0.38),
            // 2.675 and 1.005 are stored just below the tie: down in both modes
            (2.675, 2, HalfUp, 2.67),
            (2.675, 2, HalfEven, 2.67),
            (1.005, 2, HalfUp, 1.0),
            // 0.615 is stored just below the tie, 0.635 just above
            (0.615, 2, HalfUp, 0.61),
            (0.635, 2, HalfEven, 0.64),
            (-0.125, 2, HalfUp, -0.13),
            (-0.125, 2, HalfEven, -0.12),
            (0.5, 0, HalfEven, 0.0),
            (1.5, 0, HalfEven, 2.0),
            (2.5, 0, HalfEven, 2.0),
            (2.5, 0, HalfUp, 3.0),
            // 20 × 333862/378458 = 17.6430…; 100 × 210192/248939 = 84.4351… → 84.44
            (20.0 * (333862.0 / 378458.0), 2, HalfEven, 17.64),
            (100.0 * 210192.0 / 248939.0, 2, HalfUp, 84.44),
            (1234567.891, 6, HalfEven, 1234567.891),
            (0.0000004, 6, HalfEven, 0.0),
            (7.0, 2, HalfEven, 7.0),
            (1e300, 2, HalfEven, 1e300),
        ];
        for &(x, d, mode, expected) in cases {
            let got = round_exact(x, d, mode);
            assert_eq!(got, expected, "{x:?} to {d} ({mode:?})");
        }
        assert!(round_exact(f64::NAN, 2, HalfEven).is_nan());
    }

    #[test]
    fn earned_and_lost_under_rounding() {
        let portal = Rounding {
            value: None,
            points: Some(2),
            mode: None,
        };
        let exact = Rounding::default();
        // Đồng Tháp, on-time dossiers: 20 × 333862/378458 → 17.64 published, 2.36 lost
        let a = 333862.0 / 378458.0;
        assert_eq!(earned(20.0, a, &portal), 17.64);
        assert_eq!(points_lost(20.0, 17.64, &portal), 2.36);
        assert_eq!(earned(20.0, a, &exact), 20.0 * a);
        assert_eq!(earned(6.0, 1.0 / 48.0, &portal), 0.12);
        // payments: value 100 × 1/4 → 25.00, then 2 × 25/80 = 0.625 → 0.63 half-up
        let payment = Rounding {
            value: Some(2),
            points: Some(2),
            mode: Some(HalfUp),
        };
        let v = rounded_value(100.0 * 1.0 / 4.0, &payment);
        assert_eq!(earned(2.0, v / 80.0, &payment), 0.63);
        // 100 × 93/310 = 30.0 exactly; 100 × 82913/98459 = 84.2107… → 84.21
        assert_eq!(rounded_value(100.0 * 82913.0 / 98459.0, &payment), 84.21);
        assert_eq!(rounded_value(84.2107, &exact), 84.2107);
        // never a negative loss
        assert_eq!(points_lost(6.0, 6.0, &portal), 0.0);
        // an indicator's keys over the catalogue's
        let own = Rounding {
            value: Some(2),
            points: None,
            mode: Some(HalfUp),
        };
        assert_eq!(own.over(portal), payment);
        assert_eq!(Rounding::default().over(portal), portal);
        assert_eq!(portal.mode(), HalfEven);
    }
}

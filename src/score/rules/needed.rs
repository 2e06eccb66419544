//! The records `needed` to meet a % target (SPEC §5.7): how many more (or fewer) numerator
//! records, at the same denominator, bring a unit's % value to its target. Numbers in, numbers
//! out: the scorecard asks it for each unmet % indicator.

use crate::definition::Op;

/// The smallest whole k ≥ 1 of additional numerator records (`higher`: 100·(n + k)/d; `lower`:
/// fewer, 100·(n − k)/d) that makes the % value meet `op threshold`, at the same denominator d.
/// `value_of` turns 100·n/d into the value compared (the indicator's value rounding). None when
/// the target is already met, for `=`, without a positive denominator, or when no k up to
/// d − n (resp. n) does.
pub fn needed(
    numerator: f64,
    denominator: f64,
    op: Op,
    threshold: f64,
    value_of: &dyn Fn(f64) -> f64,
) -> Option<u64> {
    let positive = denominator.is_finite() && denominator > 0.0;
    if !positive || !numerator.is_finite() || !threshold.is_finite() {
        return None;
    }
    let higher = match op {
        Op::Ge | Op::Gt => true,
        Op::Le | Op::Lt => false,
        Op::Eq => return None,
    };
    let meets = |k: u64| {
        let n = if higher {
            numerator + k as f64
        } else {
            numerator - k as f64
        };
        op.holds(value_of(100.0 * n / denominator), threshold)
    };
    if meets(0) {
        return None;
    }
    let room = if higher {
        denominator - numerator
    } else {
        numerator
    };
    if room.is_nan() || room < 1.0 {
        return None;
    }
    let limit = room.floor() as u64;
    // the exact answer is near threshold·d/100 − n; floating point may move it by one or two
    let guess = if higher {
        threshold * denominator / 100.0 - numerator
    } else {
        numerator - threshold * denominator / 100.0
    };
    let mut k = (guess.ceil().max(1.0) as u64).min(limit);
    while k > 1 && meets(k - 1) {
        k -= 1;
    }
    while !meets(k) {
        if k >= limit {
            return None;
        }
        k += 1;
    }
    Some(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::RoundingMode::HalfUp;
    use crate::score::rules::rounding::round_exact;

    #[test]
    fn records_needed_by_hand() {
        let same = |v: f64| v;
        let two = |v: f64| round_exact(v, 2, HalfUp);
        // (n, d, op, t, value rounding, needed)
        type Row<'a> = (f64, f64, Op, f64, &'a dyn Fn(f64) -> f64, Option<u64>);
        #[rustfmt::skip]
        let cases: &[Row] = &[
            // 333,862 of 378,458 on time against ≥ 100 %: every missing dossier
            (333862.0, 378458.0, Op::Ge, 100.0, &same, Some(44596)),
            // "full points at 80 %": 112,689 of 378,458 → 0.8 × 378,458 = 302,766.4 → 302,767
            (112689.0, 378458.0, Op::Ge, 80.0, &same, Some(190078)),
            // 72 of 100 against ≥ 80: 8 more
            (72.0, 100.0, Op::Ge, 80.0, &same, Some(8)),
            // > 80 needs strictly above: 9
            (72.0, 100.0, Op::Gt, 80.0, &same, Some(9)),
            // already met: nothing needed
            (80.0, 100.0, Op::Ge, 80.0, &same, None),
            // 1 of 3 against ≥ 50: 2 of 3 = 66.7 %
            (1.0, 3.0, Op::Ge, 50.0, &same, Some(1)),
            // lower: 40 of 100 against ≤ 30: 10 fewer
            (40.0, 100.0, Op::Le, 30.0, &same, Some(10)),
            // a target no count reaches: > 100 %
            (5.0, 10.0, Op::Gt, 100.0, &same, None),
            // nothing to count
            (0.0, 0.0, Op::Ge, 100.0, &same, None),
            (1.0, 2.0, Op::Eq, 100.0, &same, None),
            // with the value rounded to 2 decimals first: 7,998 of 10,000 = 79.98 → 2 more;
            // 79,995 of 100,000 = 79.995 → 80.00 half-up: already met
            (7998.0, 10000.0, Op::Ge, 80.0, &two, Some(2)),
            (79995.0, 100000.0, Op::Ge, 80.0, &two, None),
            (79994.0, 100000.0, Op::Ge, 80.0, &two, Some(1)),
        ];
        for &(n, d, op, t, value_of, expected) in cases {
            assert_eq!(
                needed(n, d, op, t, value_of),
                expected,
                "{n}/{d} {op:?} {t}"
            );
        }
    }
}

//! The empty-denominator rule (SPEC §5.7 `zero_denominator`): what an indicator earns when
//! nothing arose to be measured (a denominator of 0, so no value). The key is read with the
//! indicator (`definition::rules`); the scorecard and the score sums ask here, nowhere else.
//!
//! * `"none"` (the default): no value, `khong_co_du_lieu`, counted as the catalogue's `missing`
//!   says (0 earned of its max under `"zero"`, left out of both sums under `"exclude"`);
//! * `"zero"`: no value, and the indicator stays in Σ max with 0 earned even under
//!   `missing = "exclude"`;
//! * `"full"`: `khong_phat_sinh`, attainment 1, all points earned (rounded as points are).

use super::rounding::earned;
use crate::definition::{Rounding, ZeroDenominator};
use crate::score::status::Status;

/// What an indicator without a value is scored when the rule gives it points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FullPoints {
    pub status: Status,
    pub attainment: f64,
    pub earned: f64,
}

/// The score of an indicator that has no value, with its `denominator` and `max_points`: Some
/// under `"full"` when the denominator is 0; None otherwise (the indicator has no data).
pub(crate) fn without_value(
    rule: ZeroDenominator,
    denominator: Option<f64>,
    max_points: f64,
    rounding: &Rounding,
) -> Option<FullPoints> {
    (denominator == Some(0.0) && rule == ZeroDenominator::Full).then(|| FullPoints {
        status: Status::KhongPhatSinh,
        attainment: 1.0,
        earned: earned(max_points, 1.0, rounding),
    })
}

/// Whether a scored indicator without data stays in Σ max (with 0 earned) even under
/// `missing = "exclude"`: a denominator of 0 under `"zero"`.
pub(crate) fn kept_in_sums(
    rule: ZeroDenominator,
    status: Status,
    denominator: Option<f64>,
) -> bool {
    status == Status::KhongCoDuLieu && rule == ZeroDenominator::Zero && denominator == Some(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_on_an_empty_denominator() {
        let exact = Rounding::default();
        let two = Rounding {
            value: None,
            points: Some(2),
            mode: None,
        };
        // (rule, denominator, max, rounding, full points)
        type Row<'a> = (ZeroDenominator, Option<f64>, f64, &'a Rounding, Option<f64>);
        #[rustfmt::skip]
        let cases: &[Row] = &[
            (ZeroDenominator::Full, Some(0.0), 6.0, &exact, Some(6.0)),
            (ZeroDenominator::Full, Some(0.0), 2.0 / 3.0, &two, Some(0.67)),
            // a denominator that is not 0 (or none at all) is not "nothing arose"
            (ZeroDenominator::Full, Some(3.0), 6.0, &exact, None),
            (ZeroDenominator::Full, None, 6.0, &exact, None),
            (ZeroDenominator::Zero, Some(0.0), 6.0, &exact, None),
            (ZeroDenominator::None, Some(0.0), 6.0, &exact, None),
        ];
        for &(rule, d, max, rounding, expected) in cases {
            let got = without_value(rule, d, max, rounding);
            assert_eq!(got.map(|f| f.earned), expected, "{rule:?} {d:?}");
            if let Some(f) = got {
                assert_eq!((f.status, f.attainment), (Status::KhongPhatSinh, 1.0));
            }
        }
    }

    #[test]
    fn only_zero_keeps_an_empty_denominator_in_the_sums() {
        let no_data = Status::KhongCoDuLieu;
        assert!(kept_in_sums(ZeroDenominator::Zero, no_data, Some(0.0)));
        assert!(!kept_in_sums(ZeroDenominator::Zero, no_data, Some(4.0)));
        assert!(!kept_in_sums(ZeroDenominator::Zero, no_data, None));
        assert!(!kept_in_sums(ZeroDenominator::None, no_data, Some(0.0)));
        assert!(!kept_in_sums(ZeroDenominator::Zero, Status::Dat, Some(0.0)));
    }
}

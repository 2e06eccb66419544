//! Attainment of one value against one threshold (SPEC §5.3): the 766 capped rule, linear progress
//! from a baseline, threshold; the status and gap that follow. Numbers in, numbers out: no targets
//! in force, no data lookup.

use crate::definition::{Op, Scoring, Target, UnitKind};

use super::status::Status;

/// How far a value goes towards its threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attainment {
    /// The comparator holds: `op(value, threshold)`.
    pub met: bool,
    /// In [0, 1]; 1 whenever `met`.
    pub attainment: f64,
    /// The rule actually used: `Capped` for boolean and rank indicators and for `linear` without a
    /// baseline, else the rule asked for.
    pub scoring: Scoring,
}

/// The attainment of `value` against `op threshold` (SPEC §5.3).
///
/// * `kind` decides first: boolean indicators score a = v, where `value` is 1 or 0 for a unit's own
///   value and the share **divided by 100** (0.75 for 75 %) for a rolled-up parent; rank
///   indicators use the capped lower rule whatever `scoring` says. Both report `Scoring::Capped`.
/// * `capped`: 1 when met; else for `>=`/`>` clamp(v / t, 0, 1), 0 when t ≤ 0; for `<=`/`<`
///   clamp(t / v, 0, 1), 0 when v ≤ 0 (only reachable through `< 0` or a negative threshold);
///   for `=` 0.
/// * `linear`: 1 when met; else clamp((v − b) / (t − b), 0, 1) with `baseline` b — this works for
///   both directions; 0 when t = b; `=` gives 0. Without a baseline it falls back to capped and
///   reports `Scoring::Capped`.
/// * `threshold`: 1 when met, else 0.
///
/// A value exactly at the threshold of a strict comparator (`> 80` with 80) is not met but has
/// attainment 1 under capped, as the 766 formula gives; its status is `gan_dat`. A non-finite
/// value is never met and attains 0.
pub fn attainment(
    kind: UnitKind,
    scoring: Scoring,
    op: Op,
    threshold: f64,
    value: f64,
    baseline: Option<f64>,
) -> Attainment {
    let met = value.is_finite() && op.holds(value, threshold);
    let (attainment, scoring) = match kind {
        UnitKind::Boolean => (clamp01(value), Scoring::Capped),
        UnitKind::Rank => (capped(met, op, threshold, value), Scoring::Capped),
        UnitKind::Percent | UnitKind::Count | UnitKind::Score => match scoring {
            Scoring::Capped => (capped(met, op, threshold, value), Scoring::Capped),
            Scoring::Threshold => (if met { 1.0 } else { 0.0 }, Scoring::Threshold),
            Scoring::Linear => match baseline.filter(|b| b.is_finite()) {
                Some(b) => (linear(met, op, threshold, value, b), Scoring::Linear),
                None => (capped(met, op, threshold, value), Scoring::Capped),
            },
        },
    };
    Attainment {
        met,
        attainment: if met { 1.0 } else { attainment },
        scoring,
    }
}

fn capped(met: bool, op: Op, t: f64, v: f64) -> f64 {
    if met {
        return 1.0;
    }
    match op {
        Op::Ge | Op::Gt if t > 0.0 => clamp01(v / t),
        Op::Le | Op::Lt if v > 0.0 => clamp01(t / v),
        _ => 0.0,
    }
}

fn linear(met: bool, op: Op, t: f64, v: f64, b: f64) -> f64 {
    if met {
        return 1.0;
    }
    if op == Op::Eq || t == b {
        return 0.0;
    }
    clamp01((v - b) / (t - b))
}

/// Clamps to [0, 1]; NaN becomes 0.
fn clamp01(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

/// The status of a scored value (SPEC §5.3): `dat` when met, `gan_dat` when a ≥ `near`, else
/// `chua_dat`. The no-data and not-scored statuses are decided before any attainment exists.
pub fn status(met: bool, attainment: f64, near: f64) -> Status {
    if met {
        Status::Dat
    } else if attainment >= near {
        Status::GanDat
    } else {
        Status::ChuaDat
    }
}

/// Gap = v − t in the indicator's unit (percentage points for %): the "vượt 2,44%" of the reports.
pub fn gap(value: f64, threshold: f64) -> f64 {
    value - threshold
}

/// The comparator and threshold of a target (SPEC §4.3). `baseline_value` is the value of the
/// year `from` of a `reduce`/`increase` target — the unit's own, else the indicator's
/// `baseline.value` when its year matches (the caller decides which).
///
/// `Compare` → itself; `Done` → `= 1`; `Reduce { p }` → `<= b × (1 − p/100)`; `Increase { p }` →
/// `>= b × (1 + p/100)`; `Text` → None (not scored); reduce/increase without a finite baseline →
/// None (the indicator is `khong_co_du_lieu` for that unit).
pub fn resolve_threshold(target: &Target, baseline_value: Option<f64>) -> Option<(Op, f64)> {
    let baseline = baseline_value.filter(|b| b.is_finite());
    match target {
        Target::Compare { op, value } => Some((*op, *value)),
        Target::Done => Some((Op::Eq, 1.0)),
        Target::Reduce { percent, .. } => baseline.map(|b| (Op::Le, b * (1.0 - percent / 100.0))),
        Target::Increase { percent, .. } => baseline.map(|b| (Op::Ge, b * (1.0 + percent / 100.0))),
        Target::Text(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitKind::{Boolean, Count, Percent, Rank};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn the_rules_by_hand() {
        use Scoring::{Capped, Linear, Threshold};
        // (case, kind, scoring, op, t, v, baseline, met, a, rule used)
        type Row<'a> = (
            &'a str,
            UnitKind,
            Scoring,
            Op,
            f64,
            f64,
            Option<f64>,
            bool,
            f64,
            Scoring,
        );
        #[rustfmt::skip]
        let cases: &[Row] = &[
            ("capped higher: 72 of 80", Percent, Capped, Op::Ge, 80.0, 72.0, None, false, 0.9, Capped),
            ("capped higher: met", Percent, Capped, Op::Ge, 80.0, 83.2, None, true, 1.0, Capped),
            ("12,44% against a 10% plan", Percent, Capped, Op::Ge, 10.0, 12.44, None, true, 1.0, Capped),
            ("capped higher: negative value", Count, Capped, Op::Ge, 10.0, -5.0, None, false, 0.0, Capped),
            ("capped higher: t <= 0 unmet", Count, Capped, Op::Gt, 0.0, 0.0, None, false, 0.0, Capped),
            ("capped higher: at a strict threshold", Percent, Capped, Op::Gt, 80.0, 80.0, None, false, 1.0, Capped),
            ("không quá 30%: 40 → 30/40", Percent, Capped, Op::Le, 30.0, 40.0, None, false, 0.75, Capped),
            ("capped lower: met", Percent, Capped, Op::Le, 30.0, 25.0, None, true, 1.0, Capped),
            ("capped lower: t = 0, v > 0", Count, Capped, Op::Le, 0.0, 3.0, None, false, 0.0, Capped),
            ("capped lower: v <= 0 unmet (< 0)", Count, Capped, Op::Lt, 0.0, 0.0, None, false, 0.0, Capped),
            ("= met", Count, Capped, Op::Eq, 1.0, 1.0, None, true, 1.0, Capped),
            ("= unmet is 0, not 0.9", Count, Capped, Op::Eq, 10.0, 9.0, None, false, 0.0, Capped),
            ("linear: b 60, t 80, v 70", Percent, Linear, Op::Ge, 80.0, 70.0, Some(60.0), false, 0.5, Linear),
            ("linear: below the baseline", Percent, Linear, Op::Ge, 80.0, 50.0, Some(60.0), false, 0.0, Linear),
            ("linear lower: b 100, t 50, v 70", Count, Linear, Op::Le, 50.0, 70.0, Some(100.0), false, 0.6, Linear),
            ("linear: t = b", Percent, Linear, Op::Ge, 80.0, 70.0, Some(80.0), false, 0.0, Linear),
            ("linear: met", Percent, Linear, Op::Ge, 80.0, 90.0, Some(60.0), true, 1.0, Linear),
            ("linear without baseline → capped", Percent, Linear, Op::Ge, 80.0, 70.0, None, false, 0.875, Capped),
            ("threshold: unmet", Percent, Threshold, Op::Ge, 80.0, 79.9, None, false, 0.0, Threshold),
            ("threshold: met", Percent, Threshold, Op::Ge, 80.0, 80.0, None, true, 1.0, Threshold),
            ("boolean: done", Boolean, Capped, Op::Eq, 1.0, 1.0, None, true, 1.0, Capped),
            ("boolean: not done", Boolean, Threshold, Op::Eq, 1.0, 0.0, None, false, 0.0, Capped),
            ("boolean: share 75% of a parent", Boolean, Capped, Op::Eq, 1.0, 0.75, None, false, 0.75, Capped),
            ("rank 25 against top 20", Rank, Capped, Op::Le, 20.0, 25.0, None, false, 0.8, Capped),
            ("rank: linear still capped", Rank, Linear, Op::Le, 20.0, 25.0, Some(40.0), false, 0.8, Capped),
            ("rank 3 in top 20", Rank, Capped, Op::Le, 20.0, 3.0, None, true, 1.0, Capped),
            ("NaN is never met", Percent, Capped, Op::Ge, 80.0, f64::NAN, None, false, 0.0, Capped),
        ];
        for &(case, kind, scoring, op, t, v, b, met, a, used) in cases {
            let got = attainment(kind, scoring, op, t, v, b);
            assert_eq!(got.met, met, "{case}: met");
            assert!(close(got.attainment, a), "{case}: a = {}", got.attainment);
            assert_eq!(got.scoring, used, "{case}: rule");
        }
    }

    #[test]
    fn status_follows_met_and_near() {
        // (met, a, near, status)
        let cases = [
            (true, 1.0, 0.9, Status::Dat),
            (false, 0.9, 0.9, Status::GanDat), // 72 of 80 with near 0.9
            (false, 0.75, 0.9, Status::ChuaDat),
            (false, 1.0, 0.9, Status::GanDat), // `> 80` with exactly 80
            (false, 0.0, 0.9, Status::ChuaDat),
        ];
        for (met, a, near, s) in cases {
            assert_eq!(status(met, a, near), s, "met {met}, a {a}, near {near}");
        }
        let a = attainment(Percent, Scoring::Capped, Op::Ge, 80.0, 72.0, None);
        assert_eq!(status(a.met, a.attainment, 0.9), Status::GanDat);
    }

    #[test]
    fn gap_is_value_minus_threshold() {
        // "vượt 2,44%": 12,44% against 10%
        assert!(close(gap(12.44, 10.0), 2.44));
        assert!(close(gap(72.0, 80.0), -8.0));
        assert!(close(gap(40.0, 30.0), 10.0));
    }

    #[test]
    fn thresholds_of_targets() {
        let compare = Target::Compare {
            op: Op::Ge,
            value: 80.0,
        };
        let reduce = Target::Reduce {
            percent: 50.0,
            from: 2025,
        };
        let increase = Target::Increase {
            percent: 20.0,
            from: 2025,
        };
        // (target, baseline value, resolved)
        type Row<'a> = (&'a Target, Option<f64>, Option<(Op, f64)>);
        let cases: &[Row] = &[
            (&compare, None, Some((Op::Ge, 80.0))),
            (&compare, Some(5.0), Some((Op::Ge, 80.0))),
            (&Target::Done, None, Some((Op::Eq, 1.0))),
            // giảm 50% so với năm 2025 (200) → ≤ 100
            (&reduce, Some(200.0), Some((Op::Le, 100.0))),
            (&reduce, None, None),
            (&reduce, Some(f64::NAN), None),
            // tăng 20% so với năm 2025 (150) → ≥ 180
            (&increase, Some(150.0), Some((Op::Ge, 180.0))),
            (&increase, None, None),
            (
                &Target::Text("Theo chỉ đạo của Bộ Công an".into()),
                Some(1.0),
                None,
            ),
        ];
        for &(target, b, expected) in cases {
            let got = resolve_threshold(target, b);
            let same = match (got, expected) {
                (Some((o1, t1)), Some((o2, t2))) => o1 == o2 && close(t1, t2),
                (None, None) => true,
                _ => false,
            };
            assert!(same, "{target:?} from {b:?}: {got:?}");
        }
    }
}

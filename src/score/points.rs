//! Points, unit and group scores, grades (SPEC §5.4, §5.5): max points from the catalogue, the
//! score S = 100 × Σ earned / Σ max, coverage and the grade band. No attainment, no ranking.

use crate::definition::{Catalogue, GradeBand, Missing};

/// The max points of every indicator of the catalogue, in catalogue order (SPEC §5.4): its own
/// `points`; else, when its group has `points`, the group's points minus the points set by the
/// group's other indicators, shared equally among the group's indicators without `points`; else 1.
///
/// When the explicit points of a group exceed the group's points, the others get 0 (never a
/// negative maximum). An indicator naming a group the catalogue lacks gets 1.
pub fn max_points(c: &Catalogue) -> Vec<f64> {
    // one pass over the indicators for every group's sums: linear in the catalogue
    let sums = group_sums(c);
    c.indicators
        .iter()
        .map(|ind| {
            if let Some(p) = ind.points {
                return p;
            }
            let Some(group) = ind.group.as_deref() else {
                return 1.0;
            };
            let Some(group_points) = c.group(group).and_then(|g| g.points) else {
                return 1.0;
            };
            let (explicit, sharing) = sums.get(group).copied().unwrap_or((0.0, 1));
            // `sharing` ≥ 1: this indicator is one of them.
            ((group_points - explicit) / sharing.max(1) as f64).max(0.0)
        })
        .collect()
}

/// For each group named by an indicator: (Σ the explicit `points` of its indicators, how many
/// have none).
fn group_sums(c: &Catalogue) -> std::collections::HashMap<&str, (f64, usize)> {
    let mut sums: std::collections::HashMap<&str, (f64, usize)> = Default::default();
    for ind in &c.indicators {
        if let Some(group) = ind.group.as_deref() {
            let entry = sums.entry(group).or_default();
            match ind.points {
                Some(p) => entry.0 += p,
                None => entry.1 += 1,
            }
        }
    }
    sums
}

/// The groups whose `points` cannot be what their indicators score (W314): (group id, the
/// group's points, what its indicators sum to) when every indicator of the group sets its own
/// points and they sum to another figure, or the explicit points alone exceed the group's.
pub fn group_points_mismatches(c: &Catalogue) -> Vec<(String, f64, f64)> {
    let sums = group_sums(c);
    c.groups
        .iter()
        .filter_map(|g| {
            let points = g.points?;
            let &(explicit, sharing) = sums.get(g.id.as_str())?;
            let off = (explicit - points).abs() > 1e-9;
            ((sharing == 0 && off) || explicit > points + 1e-9)
                .then(|| (g.id.clone(), points, explicit))
        })
        .collect()
}

/// One scored indicator of a unit (status other than `khong_cham`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Item {
    pub max: f64,
    /// a × max; ignored (taken as 0) when `has_data` is false.
    pub earned: f64,
    /// False for `khong_co_du_lieu`.
    pub has_data: bool,
    /// Stays in Σ max with 0 earned even under `missing = "exclude"`: decided by
    /// [`empty_denominator::kept_in_sums`](crate::score::rules::empty_denominator::kept_in_sums).
    pub kept: bool,
}

/// A unit's (or a group's) score over its scored items.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitScore {
    /// 100 × Σ earned / Σ max; None when Σ max is 0 (no score, no grade, no rank).
    pub score: Option<f64>,
    /// Σ earned over the items counted.
    pub earned: f64,
    /// Σ max over the items counted.
    pub max: f64,
    /// Scored items with data / scored items; None without scored items. Independent of
    /// `missing`.
    pub coverage: Option<f64>,
}

/// S = 100 × Σ earned / Σ max (SPEC §5.5). With `Missing::Zero` an item without data stays in
/// Σ max with 0 earned; with `Missing::Exclude` it leaves both sums, unless it is `kept`.
pub fn unit_score(items: &[Item], missing: Missing) -> UnitScore {
    let counted = items
        .iter()
        .filter(|i| i.has_data || i.kept || missing == Missing::Zero);
    let (earned, max) = counted.fold((0.0, 0.0), |(e, m), i| {
        (e + if i.has_data { i.earned } else { 0.0 }, m + i.max)
    });
    let with_data = items.iter().filter(|i| i.has_data).count();
    UnitScore {
        score: (max > 0.0).then(|| 100.0 * earned / max),
        earned,
        max,
        coverage: (!items.is_empty()).then(|| with_data as f64 / items.len() as f64),
    }
}

/// A unit's grade: its band, an index into the catalogue's `grades` (what renderers colour by),
/// and the band's name (what the JSON and CSV show).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub band: usize,
    pub name: String,
}

/// Serialised as the band's name.
impl serde::Serialize for Grade {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// The grade of a score (SPEC §5.5): the first band whose `min` ≤ S; below every `min`, the last
/// band. None without a score, without bands, or when coverage is below `min_coverage`.
///
/// S is compared rounded to 2 decimals, as it is shown and ranked, so that float noise
/// (89.99999999999999 for a true 90) never drops a unit a band; 89.99 stays below 90.
pub fn grade(
    score: Option<f64>,
    coverage: Option<f64>,
    bands: &[GradeBand],
    min_coverage: f64,
) -> Option<Grade> {
    let score = score.filter(|s| s.is_finite())?;
    if coverage.unwrap_or(0.0) + 1e-12 < min_coverage {
        return None;
    }
    let shown = (score * 100.0).round() / 100.0;
    let band = bands
        .iter()
        .position(|b| b.min <= shown)
        .or(bands.len().checked_sub(1))?;
    Some(Grade {
        band,
        name: bands.get(band)?.name.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::{
        default_grades, Group, Indicator, Loc, Measure, Missing, Scoring, UnitKind,
    };

    fn indicator(id: &str, group: Option<&str>, points: Option<f64>) -> Indicator {
        Indicator {
            id: id.to_string(),
            code: None,
            name: id.to_string(),
            group: group.map(str::to_string),
            unit: UnitKind::Percent,
            unit_label: None,
            direction: None,
            owner: vec![],
            partners: vec![],
            points,
            scoring: None,
            baseline: None,
            limits: (0.0, 100.0),
            rollup: None,
            levels: Vec::new(),
            levels_span: None,
            zero_denominator: Default::default(),
            rounding: Default::default(),
            source: None,
            note: None,
            measure: Measure::Reported,
            targets: vec![],
            loc: Loc::default(),
            id_span: 0..0,
            complete: true,
        }
    }

    fn catalogue(groups: &[(&str, Option<f64>)], indicators: Vec<Indicator>) -> Catalogue {
        Catalogue {
            dir: "indicators/test".into(),
            id: "test".into(),
            title: "test".into(),
            issuer: None,
            document: None,
            scoring: Scoring::Capped,
            missing: Missing::Zero,
            near: 0.9,
            min_coverage: 0.0,
            rounding: Default::default(),
            groups: groups
                .iter()
                .map(|&(id, points)| Group {
                    id: id.into(),
                    name: id.into(),
                    points,
                })
                .collect(),
            grades: default_grades(),
            datasets: vec![],
            indicators,
            tasks: vec![],
            reports: vec![],
            alerts: Vec::new(),
            files: vec![],
        }
    }

    #[test]
    fn max_points_by_hand() {
        let c = catalogue(
            &[("I", Some(20.0)), ("II", None), ("III", Some(10.0))],
            vec![
                // group I: 20 points, one indicator at 8 → (20 − 8) / 3 = 4 for the others
                indicator("i1", Some("I"), Some(8.0)),
                indicator("i2", Some("I"), None),
                indicator("i3", Some("I"), None),
                indicator("i4", Some("I"), None),
                // group II sets no points: 1 each unless given
                indicator("ii1", Some("II"), None),
                indicator("ii2", Some("II"), Some(5.0)),
                // group III: 10 points, explicit 12 → the other gets 0, never −2
                indicator("iii1", Some("III"), Some(12.0)),
                indicator("iii2", Some("III"), None),
                // no group at all
                indicator("x", None, None),
            ],
        );
        assert_eq!(
            max_points(&c),
            [8.0, 4.0, 4.0, 4.0, 1.0, 5.0, 12.0, 0.0, 1.0]
        );
    }

    #[test]
    fn group_points_shared_equally() {
        // the 766 layout: a group of 10 points over 4 indicators without points → 2.5 each
        let c = catalogue(
            &[("II", Some(10.0))],
            (1..=4)
                .map(|n| indicator(&format!("ii{n}"), Some("II"), None))
                .collect(),
        );
        assert_eq!(max_points(&c), [2.5, 2.5, 2.5, 2.5]);
    }

    #[test]
    fn group_points_that_contradict_their_indicators_are_named() {
        let c = catalogue(
            &[
                ("ckmb", Some(10.0)),
                ("ok", Some(10.0)),
                ("over", Some(10.0)),
                ("shared", Some(10.0)),
            ],
            vec![
                // every indicator with its own points, summing to 18, not 10
                indicator("a", Some("ckmb"), Some(8.0)),
                indicator("b", Some("ckmb"), Some(10.0)),
                indicator("c", Some("ok"), Some(4.0)),
                indicator("d", Some("ok"), Some(6.0)),
                // explicit 12 above the group's 10: the other gets 0
                indicator("e", Some("over"), Some(12.0)),
                indicator("f", Some("over"), None),
                // 4 explicit, the other two share 6: consistent
                indicator("g", Some("shared"), Some(4.0)),
                indicator("h", Some("shared"), None),
                indicator("i", Some("shared"), None),
            ],
        );
        assert_eq!(
            group_points_mismatches(&c),
            [
                ("ckmb".to_string(), 10.0, 18.0),
                ("over".to_string(), 10.0, 12.0)
            ]
        );
    }

    #[test]
    fn max_points_is_linear_in_a_groups_indicators() {
        // 50,000 indicators in one group: quadratic, this took 2.5 billion steps
        let n = 50_000;
        let mut indicators: Vec<Indicator> = (0..n)
            .map(|k| indicator(&format!("i{k}"), Some("I"), None))
            .collect();
        indicators[0].points = Some(50.0);
        let c = catalogue(&[("I", Some(100.0))], indicators);
        let start = std::time::Instant::now();
        let max = max_points(&c);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(max[0], 50.0);
        assert!((max[1] - 50.0 / (n - 1) as f64).abs() < 1e-12);
        assert!((max.iter().sum::<f64>() - 100.0).abs() < 1e-6);
    }

    fn item(max: f64, earned: f64, has_data: bool) -> Item {
        Item {
            max,
            earned,
            has_data,
            kept: false,
        }
    }

    #[test]
    fn missing_zero_and_exclude() {
        // earned 10 of 10, plus one without data worth 10
        let items = [item(10.0, 10.0, true), item(10.0, 0.0, false)];
        let zero = unit_score(&items, Missing::Zero);
        let exclude = unit_score(&items, Missing::Exclude);
        assert_eq!(
            (zero.score, zero.earned, zero.max),
            (Some(50.0), 10.0, 20.0)
        );
        assert_eq!(
            (exclude.score, exclude.earned, exclude.max),
            (Some(100.0), 10.0, 10.0)
        );
        assert_eq!(zero.coverage, Some(0.5));
        assert_eq!(exclude.coverage, Some(0.5));
        // zero_denominator = "zero": a 0/0 item stays in Σ max under exclude too
        let kept = Item {
            kept: true,
            ..item(10.0, 0.0, false)
        };
        let s = unit_score(&[item(10.0, 10.0, true), kept], Missing::Exclude);
        assert_eq!((s.score, s.earned, s.max), (Some(50.0), 10.0, 20.0));
    }

    #[test]
    fn unit_scores_by_hand() {
        // (items, missing, score, coverage)
        type Row<'a> = (&'a [Item], Missing, Option<f64>, Option<f64>);
        #[rustfmt::skip]
        let cases: &[Row] = &[
            // 9 + 2.5 + 0 of 10 + 2.5 + 2.5 = 11.5 / 15 → 76.67
            (&[item(10.0, 9.0, true), item(2.5, 2.5, true), item(2.5, 0.0, true)], Missing::Zero,
                Some(100.0 * 11.5 / 15.0), Some(1.0)),
            // SPEC §7.1 group I: 18 of 20 → 90
            (&[item(10.0, 10.0, true), item(4.0, 4.0, true), item(4.0, 2.0, true), item(2.0, 2.0, true)],
                Missing::Zero, Some(90.0), Some(1.0)),
            // the earned of an item without data never counts
            (&[item(4.0, 4.0, true), item(4.0, 3.0, false)], Missing::Zero, Some(50.0), Some(0.5)),
            // nothing with data and exclude: Σ max = 0 → no score
            (&[item(4.0, 0.0, false)], Missing::Exclude, None, Some(0.0)),
            // every item worth 0 points → no score
            (&[item(0.0, 0.0, true)], Missing::Zero, None, Some(1.0)),
            // no scored items at all
            (&[], Missing::Zero, None, None),
        ];
        for (items, missing, score, coverage) in cases {
            let s = unit_score(items, *missing);
            assert_eq!((s.score, s.coverage), (*score, *coverage), "{items:?}");
        }
    }

    #[test]
    fn grades_on_the_default_bands() {
        // a true 90 after float noise: one unit in the last place below 90
        let noisy_90 = f64::from_bits(90.0_f64.to_bits() - 1);
        assert!(noisy_90 < 90.0);
        let bands = default_grades();
        // (score, coverage, min_coverage, grade)
        type Row<'a> = (Option<f64>, Option<f64>, f64, Option<&'a str>);
        #[rustfmt::skip]
        let cases: &[Row] = &[
            (Some(100.0), Some(1.0), 0.0, Some("Xuất sắc")),
            (Some(90.0), Some(1.0), 0.0, Some("Xuất sắc")),
            (Some(89.99), Some(1.0), 0.0, Some("Tốt")),
            (Some(noisy_90), Some(1.0), 0.0, Some("Xuất sắc")),
            (Some(80.0), Some(1.0), 0.0, Some("Tốt")),
            (Some(70.0), Some(1.0), 0.0, Some("Khá")),
            (Some(50.0), Some(1.0), 0.0, Some("Trung bình")),
            (Some(49.99), Some(1.0), 0.0, Some("Yếu")),
            (Some(0.0), Some(1.0), 0.0, Some("Yếu")),
            (None, Some(1.0), 0.0, None),
            (Some(95.0), Some(0.5), 0.8, None),
            (Some(95.0), Some(0.8), 0.8, Some("Xuất sắc")),
        ];
        for &(score, coverage, min_cov, expected) in cases {
            assert_eq!(
                grade(score, coverage, &bands, min_cov).map(|g| g.name),
                expected.map(str::to_string),
                "{score:?} coverage {coverage:?}"
            );
        }
    }

    #[test]
    fn below_the_lowest_band_gets_the_last() {
        let bands = vec![
            GradeBand {
                name: "Đạt".into(),
                min: 50.0,
            },
            GradeBand {
                name: "Không đạt".into(),
                min: 30.0,
            },
        ];
        let band = |score| grade(Some(score), Some(1.0), &bands, 0.0).map(|g| (g.band, g.name));
        assert_eq!(band(10.0), Some((1, "Không đạt".to_string())));
        assert_eq!(band(60.0), Some((0, "Đạt".to_string())));
        assert_eq!(grade(Some(60.0), Some(1.0), &[], 0.0), None);
    }
}

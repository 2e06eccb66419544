//! The target in force for a year (SPEC §4.4): the anchor itself, linear interpolation between
//! two numeric anchors with the same comparator, the first anchor before it, the last after it.

use crate::definition::{Anchor, Target};

/// The target that applies in one year, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct InForce {
    pub target: Target,
    /// The anchor year whose target applies (for an interpolated target, the later anchor).
    pub year: i32,
    /// Both anchors when the threshold was interpolated between them.
    pub between: Option<(i32, i32)>,
}

impl InForce {
    pub fn interpolated(&self) -> bool {
        self.between.is_some()
    }
}

/// The target in force in `year` given anchors sorted by year; `None` without anchors.
pub fn target_in_force(anchors: &[Anchor], year: i32) -> Option<InForce> {
    let first = anchors.first()?;
    let last = anchors.last()?;
    if year <= first.year {
        return Some(InForce {
            target: first.target.clone(),
            year: first.year,
            between: None,
        });
    }
    if year >= last.year {
        return Some(InForce {
            target: last.target.clone(),
            year: last.year,
            between: None,
        });
    }
    if let Some(exact) = anchors.iter().find(|a| a.year == year) {
        return Some(InForce {
            target: exact.target.clone(),
            year,
            between: None,
        });
    }
    let next = anchors.iter().position(|a| a.year > year)?;
    let (a, b) = (&anchors[next - 1], &anchors[next]);
    match (&a.target, &b.target) {
        (
            Target::Compare {
                op: op_a,
                value: va,
            },
            Target::Compare {
                op: op_b,
                value: vb,
            },
        ) if op_a == op_b => {
            let share = f64::from(year - a.year) / f64::from(b.year - a.year);
            let value = va + (vb - va) * share;
            Some(InForce {
                target: Target::Compare { op: *op_a, value },
                year: b.year,
                between: Some((a.year, b.year)),
            })
        }
        _ => Some(InForce {
            target: b.target.clone(),
            year: b.year,
            between: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::{Loc, Op};

    fn ge(year: i32, value: f64) -> Anchor {
        Anchor {
            year,
            target: Target::Compare { op: Op::Ge, value },
            loc: Loc::default(),
        }
    }

    #[test]
    fn the_four_rules() {
        let anchors = [ge(2026, 50.0), ge(2030, 80.0)];
        let at = |y| target_in_force(&anchors, y);
        // 1. an anchor year: its own target
        assert_eq!(
            at(2026).map(|t| t.target),
            Some(Target::Compare {
                op: Op::Ge,
                value: 50.0
            })
        );
        assert_eq!(
            at(2030).map(|t| (t.year, t.interpolated())),
            Some((2030, false))
        );
        // 2. between anchors: 50 + (80 − 50) × 1/4 = 57.5 in 2027
        let y2027 = at(2027);
        assert_eq!(
            y2027.as_ref().map(|t| t.target.clone()),
            Some(Target::Compare {
                op: Op::Ge,
                value: 57.5
            })
        );
        assert_eq!(y2027.and_then(|t| t.between), Some((2026, 2030)));
        // 50 + 30 × 3/4 = 72.5 in 2029
        assert_eq!(
            at(2029).map(|t| t.target),
            Some(Target::Compare {
                op: Op::Ge,
                value: 72.5
            })
        );
        // 3. before the first anchor: the first anchor's target
        assert_eq!(
            at(2025).map(|t| (t.year, t.target)),
            Some((
                2026,
                Target::Compare {
                    op: Op::Ge,
                    value: 50.0
                }
            ))
        );
        // 4. after the last anchor: the last anchor's target
        assert_eq!(
            at(2035).map(|t| (t.year, t.interpolated())),
            Some((2030, false))
        );
        assert_eq!(target_in_force(&[], 2026), None);
    }

    #[test]
    fn mixed_anchors_take_the_next_one() {
        let anchors = [
            ge(2026, 80.0),
            Anchor {
                year: 2030,
                target: Target::Compare {
                    op: Op::Eq,
                    value: 100.0,
                },
                loc: Loc::default(),
            },
        ];
        let t = target_in_force(&anchors, 2028);
        assert_eq!(
            t.map(|t| (t.year, t.target, t.between)),
            Some((
                2030,
                Target::Compare {
                    op: Op::Eq,
                    value: 100.0
                },
                None
            ))
        );
        let text = [
            ge(2026, 80.0),
            Anchor {
                year: 2030,
                target: Target::Text("Theo chỉ đạo".into()),
                loc: Loc::default(),
            },
        ];
        assert_eq!(
            target_in_force(&text, 2027).map(|t| t.target),
            Some(Target::Text("Theo chỉ đạo".into()))
        );
    }
}

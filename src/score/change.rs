//! Change since the previous period (SPEC §5.7): per unit, the score and rank of the period
//! before (same granularity) against this period's. Numbers in, numbers out; scoring the previous
//! period is the caller's.

/// A unit's score and rank in one period.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Standing {
    pub score: Option<f64>,
    pub rank: Option<usize>,
}

/// The change of one unit: `score_change` in points (now − before) and `rank_change` in places,
/// positive when the unit moved up (rank 5 → 2 is +3). Each is None when either period lacks it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Change {
    pub score_change: Option<f64>,
    pub rank_change: Option<i64>,
}

/// The change from `before` to `now`. Scores are compared as shown (rounded to 2 decimals) so
/// that float noise never reads as a change of 0,00 points.
pub fn change(now: Standing, before: Standing) -> Change {
    let shown = |s: f64| (s * 100.0).round() / 100.0;
    Change {
        score_change: match (now.score, before.score) {
            (Some(a), Some(b)) if a.is_finite() && b.is_finite() => {
                Some((shown(a) * 100.0 - shown(b) * 100.0).round() / 100.0)
            }
            _ => None,
        },
        rank_change: match (now.rank, before.rank) {
            (Some(a), Some(b)) => Some(b as i64 - a as i64),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(score: Option<f64>, rank: Option<usize>) -> Standing {
        Standing { score, rank }
    }

    #[test]
    fn changes_by_hand() {
        // (now, before, score change, rank change)
        type Row = (Standing, Standing, Option<f64>, Option<i64>);
        #[rustfmt::skip]
        let cases: &[Row] = &[
            // "▲ 2,31 điểm, ▲ 3 bậc": 64.42 (rank 2) after 62.11 (rank 5)
            (at(Some(64.42), Some(2)), at(Some(62.11), Some(5)), Some(2.31), Some(3)),
            // down: 53.09 (34th) after 55.0 (30th)
            (at(Some(53.09), Some(34)), at(Some(55.0), Some(30)), Some(-1.91), Some(-4)),
            // float noise is no change
            (at(Some(68.30000000000001), Some(1)), at(Some(68.3), Some(1)), Some(0.0), Some(0)),
            // no score before (first period, or no data): null
            (at(Some(68.3), Some(1)), at(None, None), None, None),
            (at(None, None), at(Some(50.0), Some(3)), None, None),
            // a score without a rank (a peer set the unit was not ranked in)
            (at(Some(70.0), None), at(Some(60.0), Some(2)), Some(10.0), None),
        ];
        for &(now, before, score, rank) in cases {
            let c = change(now, before);
            assert_eq!(
                (c.score_change, c.rank_change),
                (score, rank),
                "{now:?} after {before:?}"
            );
        }
    }
}

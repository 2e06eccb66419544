//! Ranking units within one peer set (SPEC §5.5): standard competition ranking (1, 2, 2, 4) of
//! scores rounded to 2 decimals. Choosing the peer set (same parent, same level) is the caller's.

/// Ranks `scores` descending, in input order: equal scores once rounded to 2 decimals share a rank,
/// the next distinct score skips (1, 2, 2, 4). `None` (and non-finite) scores are not ranked.
/// Returns the ranks and `rank_of`, the number of units ranked.
pub fn competition_ranks(scores: &[Option<f64>]) -> (Vec<Option<usize>>, usize) {
    // Scores as integer hundredths: exact comparisons, no float ties missed.
    let keys: Vec<Option<i64>> = scores
        .iter()
        .map(|s| {
            s.filter(|s| s.is_finite())
                .map(|s| (s * 100.0).round() as i64)
        })
        .collect();
    let mut ranked: Vec<i64> = keys.iter().flatten().copied().collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let ranks = keys
        .iter()
        .map(|k| k.map(|k| 1 + ranked.partition_point(|&other| other > k)))
        .collect();
    (ranks, ranked.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranking_by_hand() {
        // (scores, ranks, rank_of)
        type Row<'a> = (&'a [Option<f64>], &'a [Option<usize>], usize);
        #[rustfmt::skip]
        let cases: &[Row] = &[
            // 85.004 shows as 85.00: a tie with 85.0
            (&[Some(90.0), Some(85.004), Some(85.0), Some(70.0), None],
             &[Some(1), Some(2), Some(2), Some(4), None], 4),
            // input order is kept
            (&[Some(70.0), None, Some(90.0), Some(85.0)], &[Some(3), None, Some(1), Some(2)], 3),
            // 85.006 shows as 85.01: above 85.00
            (&[Some(85.0), Some(85.006)], &[Some(2), Some(1)], 2),
            // the portal's 2026 totals of Đồng Tháp, Phú Thọ, Khánh Hòa (national ranks 1, 17,
            // 34) with a fourth province tied with Phú Thọ: 1, 2, 2, 4 whatever the input order
            (&[Some(62.11), Some(68.3), Some(53.09), Some(62.11)],
             &[Some(2), Some(1), Some(4), Some(2)], 4),
            // sums of points rounded to cents: 17.64 + 11.38 + … carries float noise; it ties
            (&[Some(0.1 + 0.2), Some(0.3)], &[Some(1), Some(1)], 2),
            // everyone tied
            (&[Some(50.0), Some(50.0), Some(50.0)], &[Some(1), Some(1), Some(1)], 3),
            // nobody scored
            (&[None, Some(f64::NAN)], &[None, None], 0),
            (&[], &[], 0),
        ];
        for (scores, ranks, rank_of) in cases {
            let (got, of) = competition_ranks(scores);
            assert_eq!((got.as_slice(), of), (*ranks, *rank_of), "{scores:?}");
        }
    }
}

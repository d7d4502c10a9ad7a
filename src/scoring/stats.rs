//! Small numeric helpers shared by the model fits: standardisation, AUC, deterministic splits.

use crate::domain::ContactId;

/// Column means and standard deviations of row-major data; a constant column gets std 1 so
/// standardising it yields zeros instead of NaN.
pub fn column_stats<const N: usize>(rows: &[[f64; N]]) -> ([f64; N], [f64; N]) {
    let mut means = [0.0; N];
    let mut stds = [1.0; N];
    if rows.is_empty() {
        return (means, stds);
    }
    let n = rows.len() as f64;
    for row in rows {
        for (m, v) in means.iter_mut().zip(row) {
            *m += v / n;
        }
    }
    for (j, s) in stds.iter_mut().enumerate() {
        let var = rows.iter().map(|r| (r[j] - means[j]).powi(2)).sum::<f64>() / n;
        let std = var.sqrt();
        *s = if std > 1e-12 { std } else { 1.0 };
    }
    (means, stds)
}

/// (x − mean) / std, element-wise.
pub fn standardise<const N: usize>(x: &[f64; N], means: &[f64], stds: &[f64]) -> [f64; N] {
    let mut out = [0.0; N];
    for j in 0..N {
        out[j] = (x[j] - means[j]) / stds[j];
    }
    out
}

/// Area under the ROC curve: the chance that a random positive scores above a random negative
/// (ties count half). None when either class is missing.
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let positives = labels.iter().filter(|l| **l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*a].total_cmp(&scores[*b]));
    // Mann–Whitney: sum of the positives' ranks, with tied scores sharing their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += order[i..=j].iter().filter(|k| labels[**k]).count() as f64 * mean_rank;
        i = j + 1;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

/// A well-mixed hash of a contact id (splitmix64), so splits and samples do not follow id order.
pub fn mix(id: ContactId) -> u64 {
    let mut z = (id as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// About one contact in five is held out to measure the churn model; the same ones every fit.
pub fn is_holdout(id: ContactId) -> bool {
    mix(id).is_multiple_of(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_perfect_random_and_inverted_rankings() {
        let labels = [false, false, true, true];
        assert_eq!(auc(&[0.1, 0.2, 0.8, 0.9], &labels), Some(1.0));
        assert_eq!(auc(&[0.9, 0.8, 0.2, 0.1], &labels), Some(0.0));
        assert_eq!(auc(&[0.5, 0.5, 0.5, 0.5], &labels), Some(0.5));
        // One positive above one negative, tied with the other: (1 + 0.5) / 2 of 2 pairs each.
        assert_eq!(auc(&[0.1, 0.5, 0.5, 0.9], &labels), Some(0.875));
        assert_eq!(auc(&[0.1, 0.2], &[true, true]), None);
    }

    #[test]
    fn standardising_constant_columns_gives_zeros() {
        let rows = [[1.0, 5.0], [3.0, 5.0]];
        let (m, s) = column_stats(&rows);
        assert_eq!(m, [2.0, 5.0]);
        assert_eq!(s, [1.0, 1.0]);
        assert_eq!(standardise(&rows[0], &m, &s), [-1.0, 0.0]);
    }

    #[test]
    fn holdout_is_about_a_fifth() {
        let held = (0..10_000).filter(|id| is_holdout(*id)).count();
        assert!((1_800..2_200).contains(&held), "{held}");
    }
}

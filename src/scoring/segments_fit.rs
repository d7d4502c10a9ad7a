//! Fits the segment model: K-means (linfa, seeded) over standardised log RFM of every contact
//! who bought; k from config or the best silhouette over min_k..=max_k; clusters named from their
//! centroids. Refits stay stable: with a previous model of the same k, K-means starts from its
//! centroids, k changes only for a clearly better silhouette, and matching clusters keep their ids.

use crate::config::SegmentsConfig;
use crate::domain::ContactId;

use super::kmeans::{count_distinct, kmeans, silhouette, silhouette_sample, Clustering};
use super::segment_names::name_clusters;
use super::segments::{assign_ids, nearest, Segment, SegmentModel};
use super::stats::{column_stats, standardise};

/// Restarts of a cold K-means fit: a few are enough with k-means++ and keep a refit fast.
const N_RUNS: usize = 3;
/// Silhouette must improve by this much before a refit changes the number of segments.
const K_HYSTERESIS: f64 = 0.03;
/// A cold fit replaces the warm-started one only when its inertia is this much lower.
const COLD_GAIN: f64 = 0.95;

#[derive(Debug, Clone, PartialEq)]
pub struct SegmentFit {
    pub model: SegmentModel,
    pub k: usize,
    pub silhouette: Option<f64>,
    /// Mean squared distance of a contact to its centroid, in standardised units.
    pub inertia: Option<f64>,
}

/// `points` are raw log-RFM points of buyers (see `rfm_point`), `ids` their contacts, both in
/// contact-id order so that refits over the same data are identical.
pub fn fit_segments(
    points: &[[f64; 3]],
    ids: &[ContactId],
    cfg: &SegmentsConfig,
    previous: Option<&SegmentModel>,
) -> SegmentFit {
    let (means, stds) = column_stats(points);
    let mut model = SegmentModel {
        means,
        stds,
        segments: Vec::new(),
    };
    let z: Vec<[f64; 3]> = points
        .iter()
        .map(|p| standardise(p, &means, &stds))
        .collect();
    let distinct = count_distinct(&z);
    let empty = |model| SegmentFit {
        model,
        k: 0,
        silhouette: None,
        inertia: None,
    };
    if distinct == 0 {
        return empty(model);
    }
    let sample = silhouette_sample(ids);
    let candidates: Vec<usize> = if cfg.k > 0 {
        vec![cfg.k.min(distinct)]
    } else if distinct < 3 {
        vec![distinct]
    } else {
        let low = cfg.min_k.clamp(2, distinct);
        (low..=cfg.max_k.max(low).min(distinct)).collect()
    };
    // The previous centroids, moved into this fit's standardised space.
    let warm: Option<Vec<[f64; 3]>> = previous.filter(|p| !p.segments.is_empty()).map(|p| {
        p.segments
            .iter()
            .map(|s| model.to_z(&p.from_z(&s.centroid)))
            .collect()
    });
    let k = choose_k(
        &z,
        &sample,
        &candidates,
        cfg.seed,
        warm.as_ref().map(Vec::len),
    );
    let cold = kmeans(&z, k, cfg.seed, N_RUNS, None);
    let warm_fit = warm
        .filter(|w| w.len() == k)
        .and_then(|w| kmeans(&z, k, cfg.seed, 1, Some(&w)));
    let best: Option<Clustering> = match (warm_fit, cold) {
        (Some(w), Some(c)) if c.1 < COLD_GAIN * w.1 => Some(c),
        (Some(w), _) => Some(w),
        (None, c) => c,
    };
    let Some((centroids, inertia)) = best else {
        return empty(model);
    };
    let silhouette = silhouette(&z, &sample, &centroids);
    let mut sizes = vec![0usize; centroids.len()];
    for p in &z {
        if let Some(i) = nearest(centroids.iter().copied(), p) {
            sizes[i] += 1;
        }
    }
    let names = name_clusters(&centroids);
    let order = value_order(&centroids);
    let ordered: Vec<[f64; 3]> = order.iter().map(|i| centroids[*i]).collect();
    let ids_for = assign_ids(&model, &ordered, previous);
    let mut segments: Vec<Segment> = order
        .iter()
        .zip(ids_for)
        .map(|(&i, id)| {
            let raw = model.from_z(&centroids[i]);
            Segment {
                id,
                name: names[i].0.clone(),
                wants: names[i].1.clone(),
                centroid: centroids[i],
                size: sizes[i],
                typical_recency_days: raw[0].exp_m1().max(0.0),
                typical_frequency: raw[1].exp().max(1.0),
                typical_monetary: raw[2].exp_m1().max(0.0),
            }
        })
        .collect();
    segments.sort_by_key(|s| s.id);
    model.segments = segments;
    SegmentFit {
        model,
        k: centroids.len(),
        silhouette,
        inertia: Some(inertia),
    }
}

/// The k with the best silhouette (one K-means run each; ties keep the smaller k), except that
/// the previous k is kept unless another beats it by `K_HYSTERESIS`.
fn choose_k(
    z: &[[f64; 3]],
    sample: &[usize],
    candidates: &[usize],
    seed: u64,
    previous_k: Option<usize>,
) -> usize {
    if candidates.len() == 1 {
        return candidates[0];
    }
    let scored: Vec<(usize, f64)> = candidates
        .iter()
        .filter_map(|&k| {
            kmeans(z, k, seed, 1, None)
                .map(|(c, _)| (k, silhouette(z, sample, &c).unwrap_or(f64::MIN)))
        })
        .collect();
    let mut best: Option<(usize, f64)> = None;
    for &(k, s) in &scored {
        if best.is_none_or(|(_, bs)| s > bs) {
            best = Some((k, s));
        }
    }
    let kept = previous_k.and_then(|pk| scored.iter().find(|(k, _)| *k == pk));
    match (best, kept) {
        (Some((_, bs)), Some(&(pk, ps))) if bs - ps < K_HYSTERESIS => pk,
        (Some((k, _)), _) => k,
        (None, _) => candidates[0],
    }
}

/// Best clusters first (recent, frequent, high-spending), so first-time ids read naturally.
fn value_order(centroids: &[[f64; 3]]) -> Vec<usize> {
    let value = |c: &[f64; 3]| -c[0] + c[1] + c[2];
    let mut order: Vec<usize> = (0..centroids.len()).collect();
    order.sort_by(|a, b| {
        value(&centroids[*b])
            .total_cmp(&value(&centroids[*a]))
            .then(a.cmp(b))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let cfg = SegmentsConfig::default();
        let none = fit_segments(&[], &[], &cfg, None);
        assert_eq!((none.k, none.model.segments.len()), (0, 0));
        let same = fit_segments(&[[1.0, 0.0, 2.0]; 5], &[1, 2, 3, 4, 5], &cfg, None);
        assert_eq!(same.k, 1);
        assert_eq!(same.model.segments[0].size, 5);
    }

    #[test]
    fn a_clearly_better_k_replaces_the_previous_one() {
        // Two well separated groups, each spread along a line: k = 2 wins even after a k = 3 fit.
        let z: Vec<[f64; 3]> = (0..60)
            .map(|i| {
                let t = (i / 2) as f64 * 0.01;
                if i % 2 == 0 {
                    [t, 0.0, 0.0]
                } else {
                    [5.0 + t, 5.0, 5.0]
                }
            })
            .collect();
        let sample: Vec<usize> = (0..z.len()).collect();
        assert_eq!(choose_k(&z, &sample, &[2, 3, 4], 42, Some(3)), 2);
        assert_eq!(choose_k(&z, &sample, &[2, 3, 4], 42, None), 2);
    }
}

//! Clustering primitives over standardised 3-d points: seeded linfa K-means (optionally warm
//! started from given centroids) and the silhouette on a fixed sample.

use linfa::prelude::*;
use linfa::DatasetBase;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::Array2;
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

use crate::domain::ContactId;

use super::segments::nearest;
use super::stats::mix;

const MAX_ITERATIONS: u64 = 100;
/// Silhouette is quadratic, so it is measured on a fixed sample of at most this many contacts.
const SILHOUETTE_SAMPLE: usize = 2000;

/// Centroids and inertia (mean squared distance to the nearest centroid).
pub type Clustering = (Vec<[f64; 3]>, f64);

/// K-means with k-means++ seeding (`runs` restarts), or Lloyd iterations from `start` when given.
pub fn kmeans(
    z: &[[f64; 3]],
    k: usize,
    seed: u64,
    runs: usize,
    start: Option<&[[f64; 3]]>,
) -> Option<Clustering> {
    let records = Array2::from_shape_fn((z.len(), 3), |(i, j)| z[i][j]);
    let mut params = KMeans::params_with_rng(k, Xoshiro256Plus::seed_from_u64(seed))
        .n_runs(runs)
        .max_n_iterations(MAX_ITERATIONS)
        .tolerance(1e-4);
    if let Some(start) = start.filter(|s| s.len() == k) {
        let init = Array2::from_shape_fn((k, 3), |(i, j)| start[i][j]);
        params = params.init_method(KMeansInit::Precomputed(init)).n_runs(1);
    }
    let fitted = params.fit(&DatasetBase::from(records)).ok()?;
    let centroids = fitted
        .centroids()
        .rows()
        .into_iter()
        .map(|r| [r[0], r[1], r[2]])
        .collect();
    Some((centroids, fitted.inertia()))
}

pub fn count_distinct(z: &[[f64; 3]]) -> usize {
    let mut sorted = z.to_vec();
    sorted.sort_by(|a, b| {
        a[0].total_cmp(&b[0])
            .then(a[1].total_cmp(&b[1]))
            .then(a[2].total_cmp(&b[2]))
    });
    sorted.dedup();
    sorted.len()
}

/// Indices of a fixed pseudo-random sample of contacts (by a hash of their id).
pub fn silhouette_sample(ids: &[ContactId]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    if ids.len() > SILHOUETTE_SAMPLE {
        order.sort_by_key(|i| (mix(ids[*i]), ids[*i]));
        order.truncate(SILHOUETTE_SAMPLE);
        order.sort_unstable();
    }
    order
}

/// Mean silhouette of the sampled points under nearest-centroid labels; None with < 2 clusters used.
pub fn silhouette(z: &[[f64; 3]], sample: &[usize], centroids: &[[f64; 3]]) -> Option<f64> {
    let k = centroids.len();
    let labels: Vec<usize> = sample
        .iter()
        .map(|i| nearest(centroids.iter().copied(), &z[*i]).unwrap_or(0))
        .collect();
    let mut counts = vec![0usize; k];
    labels.iter().for_each(|l| counts[*l] += 1);
    if counts.iter().filter(|c| **c > 0).count() < 2 {
        return None;
    }
    // Each pair once: distance sums per (point, cluster), filled symmetrically.
    let points: Vec<[f64; 3]> = sample.iter().map(|i| z[*i]).collect();
    let mut sums = vec![0.0; points.len() * k];
    for a in 0..points.len() {
        let p = points[a];
        for b in a + 1..points.len() {
            let q = points[b];
            let d = ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt();
            sums[a * k + labels[b]] += d;
            sums[b * k + labels[a]] += d;
        }
    }
    let mut total = 0.0;
    for (a, &own) in labels.iter().enumerate() {
        if counts[own] < 2 {
            continue; // a lone point scores 0
        }
        let row = &sums[a * k..(a + 1) * k];
        let inside = row[own] / (counts[own] - 1) as f64;
        let outside = (0..k)
            .filter(|c| *c != own && counts[*c] > 0)
            .map(|c| row[c] / counts[c] as f64)
            .fold(f64::INFINITY, f64::min);
        let spread = inside.max(outside);
        if spread > 0.0 {
            total += (outside - inside) / spread;
        }
    }
    Some(total / sample.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silhouette_prefers_real_clusters() {
        let mut z = Vec::new();
        for i in 0..30 {
            let jitter = (i % 5) as f64 * 0.01;
            z.push([jitter, 0.0, 0.0]);
            z.push([5.0 + jitter, 5.0, 5.0]);
        }
        let sample: Vec<usize> = (0..z.len()).collect();
        let good = silhouette(&z, &sample, &[[0.0; 3], [5.0; 3]]).unwrap();
        // Splitting one real cluster in two lowers the score.
        let bad = silhouette(&z, &sample, &[[0.0; 3], [0.04, 0.0, 0.0], [5.0; 3]]).unwrap();
        assert!(good > 0.95 && bad < good, "{good} {bad}");
        assert_eq!(silhouette(&z, &sample, &[[0.0; 3]]), None);
    }

    #[test]
    fn warm_start_stays_at_a_fixed_point() {
        let z: Vec<[f64; 3]> = (0..40)
            .map(|i| if i % 2 == 0 { [0.0; 3] } else { [4.0; 3] })
            .collect();
        let (centroids, inertia) = kmeans(&z, 2, 1, 1, Some(&[[4.0; 3], [0.0; 3]])).unwrap();
        assert_eq!(centroids, vec![[4.0; 3], [0.0; 3]]);
        assert!(inertia.abs() < 1e-12);
        assert_eq!(count_distinct(&z), 2);
    }
}

//! The stored segment model: standardisation of (log recency, log frequency, log monetary) and
//! named centroids with stable ids. One contact is placed by its nearest stored centroid.

use serde::{Deserialize, Serialize};

use super::exact;
use super::features::Features;
use super::stats::standardise;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Stable across refits: a refitted cluster keeps the id of the old cluster it matches.
    pub id: i64,
    pub name: String,
    /// What this group wants, in one sentence.
    pub wants: String,
    /// Centroid in standardised space.
    #[serde(with = "exact::arr3")]
    pub centroid: [f64; 3],
    /// Members at fit time.
    pub size: usize,
    /// The centroid in plain units: days since last purchase, purchase days, spend (major units).
    pub typical_recency_days: f64,
    pub typical_frequency: f64,
    pub typical_monetary: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SegmentModel {
    #[serde(with = "exact::arr3")]
    pub means: [f64; 3],
    #[serde(with = "exact::arr3")]
    pub stds: [f64; 3],
    /// Ordered by id; empty when nobody has bought yet.
    pub segments: Vec<Segment>,
}

/// log(1 + days since last purchase), log(purchase days), log(1 + spend in major units);
/// None for leads, who have no segment.
pub fn rfm_point(f: &Features) -> Option<[f64; 3]> {
    let recency = f.recency_days?;
    Some([
        (recency.max(0) as f64).ln_1p(),
        f64::from(f.frequency.max(1)).ln(),
        (f.monetary.max(0) as f64 / 100.0).ln_1p(),
    ])
}

/// Index of the nearest centroid (the first one on ties).
pub fn nearest(centroids: impl Iterator<Item = [f64; 3]>, z: &[f64; 3]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, c) in centroids.enumerate() {
        let d: f64 = c.iter().zip(z).map(|(a, b)| (a - b).powi(2)).sum();
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((i, d));
        }
    }
    best.map(|(i, _)| i)
}

impl SegmentModel {
    /// Standardised position of a raw point.
    pub fn to_z(&self, raw: &[f64; 3]) -> [f64; 3] {
        standardise(raw, &self.means, &self.stds)
    }

    /// Raw (log-space) position of a standardised point.
    pub fn from_z(&self, z: &[f64; 3]) -> [f64; 3] {
        [0, 1, 2].map(|j| z[j] * self.stds[j] + self.means[j])
    }

    /// The segment of one contact as of its features' date.
    pub fn predict(&self, f: &Features) -> Option<&Segment> {
        let z = self.to_z(&rfm_point(f)?);
        nearest(self.segments.iter().map(|s| s.centroid), &z).map(|i| &self.segments[i])
    }

    pub fn by_id(&self, id: i64) -> Option<&Segment> {
        self.segments.iter().find(|s| s.id == id)
    }
}

/// Ids for new centroids (given in the new model's standardised space): each old segment hands its
/// id to the nearest new centroid, closest pairs first; the rest get fresh ids after the largest
/// ever used. Without a previous model, ids are 1..=k in the given order.
pub fn assign_ids(
    new: &SegmentModel,
    centroids: &[[f64; 3]],
    previous: Option<&SegmentModel>,
) -> Vec<i64> {
    let mut ids: Vec<Option<i64>> = vec![None; centroids.len()];
    let mut next_id = 1;
    if let Some(prev) = previous {
        next_id = prev.segments.iter().map(|s| s.id + 1).max().unwrap_or(1);
        let old: Vec<[f64; 3]> = prev
            .segments
            .iter()
            .map(|s| new.to_z(&prev.from_z(&s.centroid)))
            .collect();
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (n, c) in centroids.iter().enumerate() {
            for (o, oc) in old.iter().enumerate() {
                pairs.push((c.iter().zip(oc).map(|(a, b)| (a - b).powi(2)).sum(), n, o));
            }
        }
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut used = vec![false; old.len()];
        for (_, n, o) in pairs {
            if ids[n].is_none() && !used[o] {
                ids[n] = Some(prev.segments[o].id);
                used[o] = true;
            }
        }
    }
    ids.into_iter()
        .map(|id| {
            id.unwrap_or_else(|| {
                next_id += 1;
                next_id - 1
            })
        })
        .collect()
}

//! Per-segment figures for the Segments tab, from the current scores and the stored model.

use serde::{Deserialize, Serialize};

use crate::domain::ScorePoint;

use super::engine::Models;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentSummary {
    pub id: i64,
    pub name: String,
    /// Contacts currently in the segment.
    pub size: usize,
    pub avg_recency_days: f64,
    /// Mean distinct purchase days.
    pub avg_frequency: f64,
    /// Mean total spend, minor units.
    pub avg_monetary: i64,
    /// Share of all revenue (all scored contacts) that comes from this segment, 0..1.
    pub revenue_share: f64,
    pub wants: String,
}

/// One summary per stored segment, in id order; scores naming unknown segments are ignored.
pub fn summarise_segments(scores: &[ScorePoint], models: &Models) -> Vec<SegmentSummary> {
    let total: i128 = scores.iter().map(|s| i128::from(s.monetary)).sum();
    models
        .segments
        .segments
        .iter()
        .map(|seg| {
            let members: Vec<&ScorePoint> = scores
                .iter()
                .filter(|s| s.segment_id == Some(seg.id))
                .collect();
            let n = members.len();
            let mean = |sum: f64| if n == 0 { 0.0 } else { sum / n as f64 };
            let revenue: i128 = members.iter().map(|s| i128::from(s.monetary)).sum();
            SegmentSummary {
                id: seg.id,
                name: seg.name.clone(),
                size: n,
                avg_recency_days: mean(
                    members
                        .iter()
                        .filter_map(|s| s.recency_days)
                        .map(|d| d as f64)
                        .sum(),
                ),
                avg_frequency: mean(members.iter().map(|s| s.frequency as f64).sum()),
                avg_monetary: if n == 0 {
                    0
                } else {
                    (revenue / n as i128) as i64
                },
                revenue_share: if total > 0 {
                    revenue as f64 / total as f64
                } else {
                    0.0
                },
                wants: seg.wants.clone(),
            }
        })
        .collect()
}

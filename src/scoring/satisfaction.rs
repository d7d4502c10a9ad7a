//! Satisfaction S = Σ wᵢ·rᵢ / Σ wᵢ over the configured feedback dimensions, ratings normalised to
//! 0..1, and across entries a recency-weighted mean (half-life from config).

use chrono::NaiveDate;

use crate::config::FeedbackConfig;
use crate::domain::{FeedbackEvent, Rating};

/// 1 star → 0.0, 5 stars → 1.0; out-of-range stars are clamped rather than trusted.
pub fn normalise_stars(stars: u8) -> f64 {
    (f64::from(stars.clamp(1, 5)) - 1.0) / 4.0
}

/// Σ wᵢ·rᵢ / Σ wᵢ over (rating, weight) pairs; None when there is no weight at all.
pub fn weighted_mean(pairs: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for (r, w) in pairs {
        num += w * r;
        den += w;
    }
    (den > 0.0).then(|| num / den)
}

/// One feedback entry's satisfaction. Dimensions the entry does not rate are skipped (the weights
/// of the rated ones are renormalised); dimensions not in the config are ignored.
pub fn entry_score(ratings: &[Rating], cfg: &FeedbackConfig) -> Option<f64> {
    weighted_mean(cfg.dimensions.iter().filter_map(|d| {
        ratings
            .iter()
            .find(|r| r.dimension.eq_ignore_ascii_case(&d.name))
            .map(|r| (normalise_stars(r.stars), d.weight))
    }))
}

/// Weight of an entry `age_days` old: halves every `half_life_days`.
pub fn recency_weight(age_days: i64, half_life_days: f64) -> f64 {
    0.5f64.powf(age_days.max(0) as f64 / half_life_days.max(1e-9))
}

/// Satisfaction as of a date from all entries on or before it; None without any usable entry.
pub fn satisfaction(
    feedback: &[FeedbackEvent],
    as_of: NaiveDate,
    cfg: &FeedbackConfig,
) -> Option<f64> {
    weighted_mean(feedback.iter().filter(|e| e.date <= as_of).filter_map(|e| {
        let age = (as_of - e.date).num_days();
        entry_score(&e.ratings, cfg).map(|s| (s, recency_weight(age, cfg.half_life_days)))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(dimension: &str, stars: u8) -> Rating {
        Rating {
            dimension: dimension.into(),
            stars,
        }
    }

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(n)
    }

    #[test]
    fn stars_map_to_unit_interval() {
        assert_eq!(normalise_stars(1), 0.0);
        assert_eq!(normalise_stars(3), 0.5);
        assert_eq!(normalise_stars(5), 1.0);
        assert_eq!(normalise_stars(0), 0.0);
        assert_eq!(normalise_stars(9), 1.0);
    }

    #[test]
    fn missing_dimension_renormalises() {
        let cfg = FeedbackConfig::default();
        // quality 5 (w .4) and service 1 (w .3), price missing → 0.4 / 0.7.
        let s = entry_score(&[rating("quality", 5), rating("service", 1)], &cfg).unwrap();
        assert!((s - 0.4 / 0.7).abs() < 1e-12);
        assert_eq!(entry_score(&[rating("unknown", 5)], &cfg), None);
        assert_eq!(entry_score(&[rating("Quality", 5)], &cfg), Some(1.0));
    }

    #[test]
    fn recent_feedback_weighs_more_and_future_is_ignored() {
        let cfg = FeedbackConfig::default(); // half-life 180 days
        let all = |stars| {
            vec![
                rating("quality", stars),
                rating("price", stars),
                rating("service", stars),
            ]
        };
        let entries = vec![
            FeedbackEvent {
                date: day(0),
                ratings: all(1),
            },
            FeedbackEvent {
                date: day(180),
                ratings: all(5),
            },
            FeedbackEvent {
                date: day(200),
                ratings: all(1),
            },
        ];
        // As of day 180: the old 0.0 weighs 0.5, the new 1.0 weighs 1 → 2/3.
        let s = satisfaction(&entries, day(180), &cfg).unwrap();
        assert!((s - 2.0 / 3.0).abs() < 1e-12, "{s}");
        assert_eq!(satisfaction(&entries, day(-1), &cfg), None);
    }
}

//! Loyalty L = weighted mean (config weights) of three behaviour scores, each in 0..1:
//!
//! - repeat: purchase cadence = 30 / mean days between purchase days, capped at 1 (every 60 days
//!   → 0.5); 0 with fewer than two purchase days.
//! - referral: 1 − 0.5^referrals (none → 0, one → 0.5, two → 0.75): each referral counts, with
//!   diminishing returns.
//! - engagement: half tenure (days since first purchase / 365, capped at 1), half recent contact
//!   (1 − 0.5^n for n calls, emails, meetings and feedback entries in the last 90 days).

use crate::config::LoyaltyConfig;

use super::features::Features;
use super::satisfaction::weighted_mean;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoyaltyParts {
    pub repeat: f64,
    pub referral: f64,
    pub engagement: f64,
}

/// Purchases per 30 days, capped at 1.
pub fn cadence(mean_interval_days: f64) -> f64 {
    if mean_interval_days <= 0.0 {
        return 1.0;
    }
    (30.0 / mean_interval_days).min(1.0)
}

fn saturating(count: u32) -> f64 {
    1.0 - 0.5f64.powi(count.min(64) as i32)
}

pub fn parts(f: &Features) -> LoyaltyParts {
    let tenure = f
        .tenure_days
        .map_or(0.0, |t| (t as f64 / 365.0).clamp(0.0, 1.0));
    let contact = saturating(f.recent_touches() + f.recent_feedback);
    LoyaltyParts {
        repeat: f.interval_mean.map_or(0.0, cadence),
        referral: saturating(f.referrals_made),
        engagement: 0.5 * tenure + 0.5 * contact,
    }
}

/// The weighted mean of the parts; 0 when every weight is 0.
pub fn combine(p: LoyaltyParts, cfg: &LoyaltyConfig) -> f64 {
    weighted_mean([
        (p.repeat, cfg.repeat_weight),
        (p.referral, cfg.referral_weight),
        (p.engagement, cfg.engagement_weight),
    ])
    .unwrap_or(0.0)
}

pub fn loyalty(f: &Features, cfg: &LoyaltyConfig) -> f64 {
    combine(parts(f), cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cadence_examples() {
        assert_eq!(cadence(60.0), 0.5);
        assert_eq!(cadence(30.0), 1.0);
        assert_eq!(cadence(7.0), 1.0);
        assert_eq!(cadence(120.0), 0.25);
    }

    #[test]
    fn referral_and_contact_saturate() {
        assert_eq!(saturating(0), 0.0);
        assert_eq!(saturating(1), 0.5);
        assert_eq!(saturating(2), 0.75);
        assert!(saturating(u32::MAX) <= 1.0);
    }

    #[test]
    fn zero_weights_give_zero() {
        let cfg = LoyaltyConfig {
            repeat_weight: 0.0,
            referral_weight: 0.0,
            engagement_weight: 0.0,
        };
        let p = LoyaltyParts {
            repeat: 1.0,
            referral: 1.0,
            engagement: 1.0,
        };
        assert_eq!(combine(p, &cfg), 0.0);
    }
}

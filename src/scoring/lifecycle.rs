//! Lifecycle stage, measured in the business's rhythm unless the config fixes day counts.
//! Precedence, first match wins:
//!
//! 1. Lead — no purchase yet;
//! 2. Churned — silent for `stages.churned_after_intervals` of the client's rhythm (their usual
//!    interval, shrunk toward the business's typical one; the typical one for one-time buyers),
//!    or for `stages.churned_min_recency_days` when that is set;
//! 3. New — first purchase at most one typical interval of the business ago
//!    (`stages.new_max_tenure_days` when set);
//! 4. At risk — churn probability ≥ `churn.at_risk_threshold` (the one threshold every at-risk
//!    list uses) and slipping: past their usual interval without buying, or unhappy
//!    (satisfaction below 50 %). A client who bought within their own rhythm and has said nothing
//!    negative is not put on the call list, whatever the model thinks of their quiet;
//! 5. Loyal — loyalty ≥ `stages.loyal_min_loyalty`;
//! 6. Active — everyone else.
//!
//! New comes before At risk: a client who bought for the first time recently has not yet had the
//! time a typical client takes to come back, and needs a welcome, not a win-back call. Once that
//! time is over without a second purchase, the risk shows. Churned comes before both so
//! long-gone clients do not crowd the call list.

use crate::config::{ChurnConfig, StagesConfig};
use crate::domain::Stage;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageInputs {
    /// Days since the last purchase; None for a contact who never bought.
    pub recency_days: Option<i64>,
    /// Days since the first purchase.
    pub tenure_days: Option<i64>,
    /// None for a lead.
    pub churn_probability: Option<f64>,
    pub loyalty: f64,
    /// The client's rhythm in days (see `rhythm::Rhythm::of_client`).
    pub rhythm_days: f64,
    /// The business's typical interval in days.
    pub typical_interval_days: f64,
    /// The client's own mean days between purchase days (None: one purchase day).
    pub usual_interval_days: Option<f64>,
    pub satisfaction: Option<f64>,
}

/// Satisfaction below this is a negative signal that makes a risky client worth a call early.
pub const UNHAPPY_BELOW: f64 = 0.5;

/// Past their own usual interval (the business's for a one-time buyer) without buying, or unhappy.
pub fn slipping(x: &StageInputs) -> bool {
    let usual = x.usual_interval_days.unwrap_or(x.typical_interval_days);
    let overdue = x.recency_days.is_some_and(|r| r as f64 > usual);
    overdue || x.satisfaction.is_some_and(|s| s < UNHAPPY_BELOW)
}

/// The day counts a stage is decided by, for one client: fixed by the config or learnt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageThresholds {
    pub new_max_tenure_days: f64,
    pub churned_min_recency_days: f64,
}

pub fn thresholds(x: &StageInputs, cfg: &StagesConfig) -> StageThresholds {
    StageThresholds {
        new_max_tenure_days: cfg
            .new_max_tenure_days
            .map_or(x.typical_interval_days.round(), f64::from),
        churned_min_recency_days: cfg
            .churned_min_recency_days
            .map_or(cfg.churned_after_intervals * x.rhythm_days, f64::from),
    }
}

pub fn stage(x: StageInputs, stages: &StagesConfig, churn: &ChurnConfig) -> Stage {
    let (Some(recency), Some(p)) = (x.recency_days, x.churn_probability) else {
        return Stage::Lead;
    };
    let t = thresholds(&x, stages);
    if recency as f64 >= t.churned_min_recency_days {
        Stage::Churned
    } else if x.tenure_days.unwrap_or(0) as f64 <= t.new_max_tenure_days {
        Stage::New
    } else if p >= churn.at_risk_threshold && slipping(&x) {
        Stage::AtRisk
    } else if x.loyalty >= stages.loyal_min_loyalty {
        Stage::Loyal
    } else {
        Stage::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(recency: i64, tenure: i64, p: f64) -> StageInputs {
        StageInputs {
            recency_days: Some(recency),
            tenure_days: Some(tenure),
            churn_probability: Some(p),
            loyalty: 0.3,
            rhythm_days: 200.0,
            typical_interval_days: 120.0,
            usual_interval_days: Some(150.0),
            satisfaction: None,
        }
    }

    #[test]
    fn stages_follow_the_rhythm() {
        let (s, c) = (StagesConfig::default(), ChurnConfig::default());
        // New for one typical interval (120 days), then the churn model decides.
        assert_eq!(stage(inputs(10, 120, 0.9), &s, &c), Stage::New);
        assert_eq!(stage(inputs(151, 400, 0.9), &s, &c), Stage::AtRisk);
        // Risky but within their usual 150 days and content: not on the call list...
        assert_eq!(stage(inputs(10, 121, 0.9), &s, &c), Stage::Active);
        // ...unless unhappy.
        let unhappy = StageInputs {
            satisfaction: Some(0.4),
            ..inputs(10, 121, 0.9)
        };
        assert_eq!(stage(unhappy, &s, &c), Stage::AtRisk);
        assert_eq!(stage(inputs(10, 400, 0.4), &s, &c), Stage::Active);
        // Churned after three of the client's own 200-day intervals.
        assert_eq!(stage(inputs(599, 900, 0.9), &s, &c), Stage::AtRisk);
        assert_eq!(stage(inputs(600, 900, 0.9), &s, &c), Stage::Churned);
        let lead = StageInputs {
            recency_days: None,
            churn_probability: None,
            ..inputs(0, 0, 0.0)
        };
        assert_eq!(stage(lead, &s, &c), Stage::Lead);
    }

    #[test]
    fn config_can_fix_the_day_counts() {
        let s = StagesConfig {
            new_max_tenure_days: Some(30),
            churned_min_recency_days: Some(365),
            ..StagesConfig::default()
        };
        let c = ChurnConfig::default();
        assert_eq!(stage(inputs(200, 201, 0.9), &s, &c), Stage::AtRisk);
        assert_eq!(stage(inputs(364, 900, 0.9), &s, &c), Stage::AtRisk);
        assert_eq!(stage(inputs(365, 900, 0.1), &s, &c), Stage::Churned);
    }
}

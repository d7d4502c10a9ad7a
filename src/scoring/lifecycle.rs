//! Lifecycle stage from the configured thresholds. Precedence, first match wins:
//!
//! 1. Lead — no purchase yet;
//! 2. Churned — days since last purchase ≥ `churned_min_recency_days`;
//! 3. New — first purchase at most `new_max_tenure_days` ago;
//! 4. At risk — churn probability ≥ `at_risk_min_churn`;
//! 5. Loyal — loyalty ≥ `loyal_min_loyalty`;
//! 6. Active — everyone else.
//!
//! New comes before At risk: one-time buyers are the likeliest to lapse, so the churn model rates
//! almost every first purchase as risky, and a client who bought for the first time last week
//! needs a welcome, not a win-back call. Once the new period is over without a second purchase,
//! the risk shows. Churned comes before both so long-gone clients do not crowd the call list.

use crate::config::StagesConfig;
use crate::domain::Stage;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageInputs {
    /// Days since the last purchase; None for a contact who never bought.
    pub recency_days: Option<i64>,
    /// Days since the first purchase.
    pub tenure_days: Option<i64>,
    pub churn_probability: f64,
    pub loyalty: f64,
}

pub fn stage(x: StageInputs, cfg: &StagesConfig) -> Stage {
    let Some(recency) = x.recency_days else {
        return Stage::Lead;
    };
    if recency >= i64::from(cfg.churned_min_recency_days) {
        Stage::Churned
    } else if x.tenure_days.unwrap_or(0) <= i64::from(cfg.new_max_tenure_days) {
        Stage::New
    } else if x.churn_probability >= cfg.at_risk_min_churn {
        Stage::AtRisk
    } else if x.loyalty >= cfg.loyal_min_loyalty {
        Stage::Loyal
    } else {
        Stage::Active
    }
}

//! Customer lifetime value: CLV = Σₜ₌₁..ₙ Revenueₜ / (1+r)ᵗ, in major units.
//!
//! Revenueₜ = expected spend per purchase day × purchase days a year × P(still buying in year t):
//! - spend per purchase day is the Gamma-Gamma estimate (see `spend`), so one unusually large
//!   order is not taken for a habit;
//! - purchase days a year = 365 × purchase days so far / (days since the first purchase + the
//!   business's typical interval): the client's own pace with one typical interval of the
//!   business's mixed in, so a single order is not extrapolated into a habit (one order 165
//!   days ago, clients usually buying every 79 days: 1.5 a year, not 2.2);
//! - P(still buying) comes from the churn probability p, read as the chance of stopping within a
//!   quarter: the chance of still buying a year on is q = (1 − p)⁴, and the expected share of
//!   year t the client is still buying is ∫ₜ₋₁ᵗ qᵘ du = qᵗ⁻¹·(1 − q) / −ln q (exactly 1 when
//!   q = 1). Reading p per quarter rather than per the client's own window ranked next-year
//!   revenue better on the CDNOW log (top-10 % capture 52.5 % vs 50.9 %), so the window says how
//!   far ahead churn looks and the quarter how fast value decays.

use crate::config::ClvConfig;

/// What CLV is computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClvInputs {
    /// Expected spend per purchase day, major units.
    pub spend_per_day: f64,
    /// Expected purchase days a year while the client keeps buying.
    pub purchase_days_a_year: f64,
    pub churn_probability: f64,
}

/// The period churn is read per (days).
pub const QUARTER_DAYS: f64 = 91.25;

/// Purchase days a year from purchase days so far and days since the first purchase, with one
/// typical interval of the business added to the span.
pub fn purchase_days_a_year(
    frequency: u32,
    tenure_days: Option<i64>,
    typical_interval_days: f64,
) -> f64 {
    let Some(tenure) = tenure_days else {
        return 0.0;
    };
    365.0 * f64::from(frequency) / (tenure.max(0) as f64 + typical_interval_days.max(1.0))
}

/// Chance of still buying a year on, reading the churn probability per quarter.
pub fn yearly_retention(churn_probability: f64) -> f64 {
    let stay = (1.0 - churn_probability).clamp(0.0, 1.0);
    stay.powf(365.0 / QUARTER_DAYS)
}

/// Expected fraction of year t (1-based) during which the client is still active.
pub fn active_share(yearly_retention: f64, t: u32) -> f64 {
    let q = yearly_retention.clamp(0.0, 1.0);
    if q >= 1.0 {
        return 1.0;
    }
    if q <= 0.0 {
        return 0.0;
    }
    q.powi(t as i32 - 1) * (1.0 - q) / -q.ln()
}

/// Σₜ₌₁..ₙ rate·share(t) / (1+r)ᵗ.
pub fn discounted_value(
    yearly_rate: f64,
    yearly_retention: f64,
    discount_rate: f64,
    years: u32,
) -> f64 {
    (1..=years)
        .map(|t| {
            yearly_rate * active_share(yearly_retention, t) / (1.0 + discount_rate).powi(t as i32)
        })
        .sum()
}

/// CLV of one client.
pub fn clv(x: ClvInputs, cfg: &ClvConfig) -> f64 {
    let rate = x.spend_per_day.max(0.0) * x.purchase_days_a_year.max(0.0);
    let retention = yearly_retention(x.churn_probability);
    discounted_value(rate, retention, cfg.discount_rate, cfg.horizon_years)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_leans_on_the_business_for_a_single_order() {
        // One order today, clients usually buying every 73 days: five a year, not one a day.
        assert!((purchase_days_a_year(1, Some(0), 73.0) - 5.0).abs() < 1e-12);
        // One order 292 days ago: 365 / (292 + 73) = once a year.
        assert!((purchase_days_a_year(1, Some(292), 73.0) - 1.0).abs() < 1e-12);
        // Eleven purchase days over 657 days: 365 × 11 / 730 = 5.5 a year.
        assert!((purchase_days_a_year(11, Some(657), 73.0) - 5.5).abs() < 1e-12);
        assert_eq!(purchase_days_a_year(0, None, 73.0), 0.0);
    }

    #[test]
    fn retention_converts_quarterly_churn_to_a_year() {
        assert_eq!(yearly_retention(0.0), 1.0);
        assert_eq!(yearly_retention(1.0), 0.0);
        assert!((yearly_retention(0.2) - 0.8f64.powi(4)).abs() < 1e-12);
    }

    #[test]
    fn active_shares_integrate_the_survival_curve() {
        let q = 0.5;
        let total: f64 = (1..=40).map(|t| active_share(q, t)).sum();
        // ∫₀^∞ 0.5ᵘ du = 1 / ln 2.
        assert!(
            (total - 1.0 / std::f64::consts::LN_2).abs() < 1e-9,
            "{total}"
        );
        assert!(active_share(q, 1) < 1.0 && active_share(q, 1) > q);
        assert_eq!(active_share(0.0, 1), 0.0);
    }

    #[test]
    fn churn_lowers_clv() {
        let cfg = ClvConfig::default();
        let at = |p| ClvInputs {
            spend_per_day: 1_000.0,
            purchase_days_a_year: 1.0,
            churn_probability: p,
        };
        let (safe, risky) = (clv(at(0.05), &cfg), clv(at(0.6), &cfg));
        // Certain to keep buying: 1,000 a year for three years at 10 %.
        let sure = clv(at(0.0), &cfg);
        assert!((sure - 1_000.0 * (1.0 / 1.1 + 1.0 / 1.21 + 1.0 / 1.331)).abs() < 1e-9);
        assert!(safe > risky && risky > 0.0, "{safe} {risky}");
    }
}

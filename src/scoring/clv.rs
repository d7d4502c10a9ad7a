//! Customer lifetime value: CLV = Σₜ₌₁..ₙ Revenueₜ / (1+r)ᵗ, in major units.
//!
//! Revenueₜ = yearly revenue rate × P(still active in year t). The churn probability p is "no
//! purchase within the next horizon"; read as a constant hazard, the chance of staying a whole
//! year is q = (1 − p)^(365 / horizon_days), and the expected share of year t the client is still
//! active is ∫ₜ₋₁ᵗ qᵘ du = qᵗ⁻¹·(1 − q) / −ln q (exactly 1 when q = 1). The yearly rate is spend
//! divided by the observed tenure, never by less than the churn horizon, so a single purchase is
//! not extrapolated into a daily habit.

use crate::config::ClvConfig;

/// Yearly revenue rate in major units from total spend (minor units) and days since first purchase.
pub fn yearly_rate(monetary_minor: i64, tenure_days: Option<i64>, horizon_days: u32) -> f64 {
    let Some(tenure) = tenure_days else {
        return 0.0;
    };
    let window = (tenure.max(0) as f64).max(f64::from(horizon_days.max(1)));
    monetary_minor as f64 / 100.0 / window * 365.0
}

/// Chance of staying active for a whole year given the churn probability over the horizon.
pub fn yearly_retention(churn_probability: f64, horizon_days: u32) -> f64 {
    let stay = (1.0 - churn_probability).clamp(0.0, 1.0);
    stay.powf(365.0 / f64::from(horizon_days.max(1)))
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

/// CLV of one client from its spend, tenure and churn probability.
pub fn clv(
    monetary_minor: i64,
    tenure_days: Option<i64>,
    churn_probability: f64,
    horizon_days: u32,
    cfg: &ClvConfig,
) -> f64 {
    let rate = yearly_rate(monetary_minor, tenure_days, horizon_days);
    let retention = yearly_retention(churn_probability, horizon_days);
    discounted_value(rate, retention, cfg.discount_rate, cfg.horizon_years)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_never_divides_by_less_than_the_horizon() {
        // 900.00 spent on day one: spread over the 90-day horizon, not over zero days.
        assert!((yearly_rate(90_000, Some(0), 90) - 3650.0).abs() < 1e-9);
        assert!((yearly_rate(100_000, Some(730), 90) - 500.0).abs() < 1e-9);
        assert_eq!(yearly_rate(5_000, None, 90), 0.0);
    }

    #[test]
    fn retention_converts_horizon_churn_to_a_year() {
        assert_eq!(yearly_retention(0.0, 90), 1.0);
        assert_eq!(yearly_retention(1.0, 90), 0.0);
        let q = yearly_retention(0.2, 73); // five horizons a year
        assert!((q - 0.8f64.powi(5)).abs() < 1e-12);
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
        let safe = clv(100_000, Some(365), 0.05, 90, &cfg);
        let risky = clv(100_000, Some(365), 0.6, 90, &cfg);
        assert!(safe > risky && risky > 0.0, "{safe} {risky}");
    }
}

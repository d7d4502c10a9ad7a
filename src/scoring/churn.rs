//! Churn probability over the next horizon: a stored logistic regression over standardised
//! features, or the stated rule when no model could be fitted (and always for leads).
//!
//! The rule: x = days since the last purchase / the client's usual interval (the churn horizon for
//! one-time buyers), P = x² / (x² + 1.5²): 0 right after a purchase, 0.31 when a purchase is due
//! (x = 1), 0.5 at one and a half intervals, 0.8 at three. Leads use days since any contact.

use serde::{Deserialize, Serialize};

use crate::domain::{ChurnSource, Reason};

use super::churn_text::{describe, rule_text};
use super::exact;
use super::features::Features;
use super::stats::standardise;

/// Model inputs, in column order. `rhythm` is recency relative to the usual interval (or to the
/// horizon for one-time buyers), and `one_time` flags clients with a single purchase day, so a
/// recent one-time buyer is not read as "certainly alive" just because recency is small.
///
/// Raw days since the last purchase is deliberately not a column of its own: next to `rhythm`
/// the two are nearly collinear, and the fit then gave them opposite signs, so a purchase logged
/// today *raised* churn. `rhythm` alone keeps churn rising with silence.
pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = [
    "frequency",
    "monetary",
    "tenure",
    "rhythm",
    "one_time",
    "satisfaction",
    "interactions",
];
pub const FEATURE_COUNT: usize = 7;

/// The direction each column may push churn (+1 up, −1 down, 0 either), in FEATURE_NAMES order.
/// A fit that gives a column the wrong sign (collinear columns trading off) drops that column,
/// so that logging a purchase, feedback or a call can never make a client look likelier to leave.
pub const EXPECTED_SIGNS: [f64; FEATURE_COUNT] = [-1.0, -1.0, 0.0, 1.0, 1.0, -1.0, -1.0];

/// Ratio of recency to the reference interval at which the rule says 50 %.
const RULE_MIDPOINT: f64 = 1.5;
/// At most this many reasons are listed.
const MAX_REASONS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChurnModel {
    pub source: ChurnSource,
    /// The horizon the model was trained for; scoring uses it, not the live config.
    pub horizon_days: u32,
    /// Why the rule is in use, for the UI (empty for a fitted model).
    pub note: String,
    #[serde(with = "exact::num")]
    pub intercept: f64,
    /// β for each standardised feature, in FEATURE_NAMES order (empty for the rule).
    #[serde(with = "exact::vec")]
    pub coefficients: Vec<f64>,
    #[serde(with = "exact::vec")]
    pub means: Vec<f64>,
    #[serde(with = "exact::vec")]
    pub stds: Vec<f64>,
    /// Satisfaction used for clients without feedback (the training mean).
    #[serde(with = "exact::num")]
    pub satisfaction_impute: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChurnEstimate {
    pub probability: f64,
    pub source: ChurnSource,
    pub reasons: Vec<Reason>,
}

pub fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z.clamp(-500.0, 500.0)).exp())
}

/// The days a client's recency is compared with: the usual interval, or the horizon.
pub fn reference_days(f: &Features, horizon_days: u32) -> f64 {
    f.interval_mean.unwrap_or(f64::from(horizon_days)).max(1.0)
}

/// Raw (unstandardised) model inputs of a client with at least one purchase.
pub fn raw_vector(
    f: &Features,
    horizon_days: u32,
    satisfaction_impute: f64,
) -> [f64; FEATURE_COUNT] {
    let recency = f.recency_days.unwrap_or(0).max(0) as f64;
    [
        f64::from(f.frequency.max(1)).ln(),
        (f.monetary.max(0) as f64 / 100.0).ln_1p(),
        (f.tenure_days.unwrap_or(0).max(0) as f64).ln_1p(),
        (recency / reference_days(f, horizon_days)).ln_1p(),
        if f.is_one_time() { 1.0 } else { 0.0 },
        f.satisfaction.unwrap_or(satisfaction_impute),
        f64::from(f.recent_touches() + f.recent_feedback + f.recent_purchase_days).ln_1p(),
    ]
}

/// The stated rule's probability for `days` of silence against a reference interval.
pub fn rule_probability(days: f64, reference_days: f64) -> f64 {
    let x = days.max(0.0) / reference_days.max(1.0);
    x * x / (x * x + RULE_MIDPOINT * RULE_MIDPOINT)
}

impl ChurnModel {
    /// The rule, with a sentence saying why no model is used.
    pub fn rule(horizon_days: u32, note: impl Into<String>) -> ChurnModel {
        ChurnModel {
            source: ChurnSource::Rule,
            horizon_days,
            note: note.into(),
            intercept: 0.0,
            coefficients: Vec::new(),
            means: Vec::new(),
            stds: Vec::new(),
            satisfaction_impute: 0.5,
        }
    }

    fn is_fitted(&self) -> bool {
        self.source == ChurnSource::Model
            && self.coefficients.len() == FEATURE_COUNT
            && self.means.len() == FEATURE_COUNT
            && self.stds.len() == FEATURE_COUNT
    }

    /// Churn probability with its source and the reasons behind it.
    pub fn estimate(&self, f: &Features) -> ChurnEstimate {
        if f.is_lead() || !self.is_fitted() {
            return self.estimate_by_rule(f);
        }
        let x = standardise(
            &raw_vector(f, self.horizon_days, self.satisfaction_impute),
            &self.means,
            &self.stds,
        );
        let contributions: Vec<f64> = x
            .iter()
            .zip(&self.coefficients)
            .map(|(x, b)| x * b)
            .collect();
        let z = self.intercept + contributions.iter().sum::<f64>();
        ChurnEstimate {
            probability: logistic(z),
            source: ChurnSource::Model,
            reasons: reasons(&contributions, f, self.horizon_days),
        }
    }

    fn estimate_by_rule(&self, f: &Features) -> ChurnEstimate {
        let (days, reference) = match f.recency_days {
            Some(r) => (r as f64, reference_days(f, self.horizon_days)),
            None => {
                // A lead "churns" by going cold: silence since the last contact of any kind.
                let since = f.last_activity.or(f.created_on).unwrap_or(f.as_of);
                (
                    (f.as_of - since).num_days() as f64,
                    f64::from(self.horizon_days),
                )
            }
        };
        let probability = rule_probability(days, reference);
        let reason = Reason {
            feature: "rule".into(),
            weight: probability,
            text: rule_text(f, self.horizon_days),
        };
        ChurnEstimate {
            probability,
            source: ChurnSource::Rule,
            reasons: vec![reason],
        }
    }
}

/// Largest positive β·x contributions first (weights in logit units). Features that say one thing
/// in plain words are one reason: recency with rhythm, purchase days with the one-time flag.
fn reasons(contributions: &[f64], f: &Features, horizon_days: u32) -> Vec<Reason> {
    let mut grouped: Vec<(&str, f64)> = Vec::with_capacity(FEATURE_COUNT);
    for (name, c) in FEATURE_NAMES.iter().zip(contributions) {
        let key = match *name {
            "rhythm" => "recency",
            "one_time" => "frequency",
            other => other,
        };
        match grouped.iter_mut().find(|(k, _)| *k == key) {
            Some((_, total)) => *total += c,
            None => grouped.push((key, *c)),
        }
    }
    grouped.retain(|(_, c)| *c > 1e-9);
    grouped.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    grouped
        .into_iter()
        .take(MAX_REASONS)
        .map(|(key, weight)| Reason {
            feature: key.to_string(),
            weight,
            text: describe(key, f, horizon_days),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_shape() {
        assert_eq!(rule_probability(0.0, 30.0), 0.0);
        assert!((rule_probability(45.0, 30.0) - 0.5).abs() < 1e-12);
        assert!((rule_probability(90.0, 30.0) - 0.8).abs() < 1e-12);
        assert!(rule_probability(30.0, 30.0) < rule_probability(31.0, 30.0));
    }

    #[test]
    fn logistic_is_safe_at_extremes() {
        assert_eq!(logistic(0.0), 0.5);
        assert!(logistic(1e9) <= 1.0 && logistic(-1e9) >= 0.0);
    }
}

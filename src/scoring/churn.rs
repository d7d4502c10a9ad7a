//! Churn probability: the chance that a client makes no purchase within their own window — a
//! number of their usual intervals from today (see `rhythm::Window`) — from a stored logistic
//! regression over standardised features, calibrated on held-out clients, or the stated rule
//! when no model could be fitted. Leads have no churn figure: they have not bought, so there is
//! nothing to lapse from.
//!
//! The rule: x = days since the last purchase / the client's rhythm, P = x² / (x² + 1.5²): 0 right
//! after a purchase, 0.31 when a purchase is due (x = 1), 0.5 at one and a half intervals, 0.8 at
//! three.

use serde::{Deserialize, Serialize};

use crate::domain::{ChurnSource, Reason};

use super::calibration::Platt;
use super::churn_text::{describe, rule_text, window_text};
use super::exact;
use super::features::Features;
use super::rhythm::Window;
use super::stats::standardise;

/// Model inputs, in column order. `rhythm` is recency relative to the client's rhythm (their
/// usual interval shrunk toward the business's, the business's for one-time buyers), and `one_time` flags clients with a single purchase day, so a
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
/// The column of recency against the client's rhythm.
const RHYTHM: usize = 3;

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
    /// The window the model was trained for; scoring uses it, not the live config.
    pub window: Window,
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
    /// Maps the regression's score to probabilities that match held-out outcomes.
    pub calibration: Platt,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChurnEstimate {
    pub probability: f64,
    /// Days ahead the probability speaks of.
    pub window_days: u32,
    pub source: ChurnSource,
    pub reasons: Vec<Reason>,
}

/// Raw (unstandardised) model inputs of a client with at least one purchase.
pub fn raw_vector(f: &Features, window: &Window, satisfaction_impute: f64) -> [f64; FEATURE_COUNT] {
    let recency = f.recency_days.unwrap_or(0).max(0) as f64;
    [
        f64::from(f.frequency.max(1)).ln(),
        (f.monetary.max(0) as f64 / 100.0).ln_1p(),
        (f.tenure_days.unwrap_or(0).max(0) as f64).ln_1p(),
        (recency / window.rhythm.of_client(f)).ln_1p(),
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
    pub fn rule(window: Window, note: impl Into<String>) -> ChurnModel {
        ChurnModel {
            source: ChurnSource::Rule,
            window,
            note: note.into(),
            intercept: 0.0,
            coefficients: Vec::new(),
            means: Vec::new(),
            stds: Vec::new(),
            satisfaction_impute: 0.5,
            calibration: Platt::IDENTITY,
        }
    }

    fn is_fitted(&self) -> bool {
        self.source == ChurnSource::Model
            && self.coefficients.len() == FEATURE_COUNT
            && self.means.len() == FEATURE_COUNT
            && self.stds.len() == FEATURE_COUNT
    }

    /// The regression's score z (before calibration) of a buyer's raw inputs, with each
    /// column's share.
    fn contributions(&self, raw: &[f64; FEATURE_COUNT]) -> (f64, Vec<f64>) {
        let x = standardise(raw, &self.means, &self.stds);
        let contributions: Vec<f64> = x
            .iter()
            .zip(&self.coefficients)
            .map(|(x, b)| x * b)
            .collect();
        (
            self.intercept + contributions.iter().sum::<f64>(),
            contributions,
        )
    }

    /// Churn probability with its source and the reasons behind it; None for a lead.
    pub fn estimate(&self, f: &Features) -> Option<ChurnEstimate> {
        if f.is_lead() {
            return None;
        }
        let window_days = self.window.days(f);
        if !self.is_fitted() {
            return Some(self.estimate_by_rule(f, window_days));
        }
        let raw = raw_vector(f, &self.window, self.satisfaction_impute);
        let (z, mut contributions) = self.contributions(&raw);
        let probability = self.calibration.probability(z);
        // Silence is explained against a client who just bought, not against the average
        // client (who, in a base of mostly lapsed clients, is long silent): 120 quiet days for a
        // fortnightly client is always named, however many others are quieter.
        contributions[RHYTHM] = self.coefficients[RHYTHM] * raw[RHYTHM] / self.stds[RHYTHM];
        Some(ChurnEstimate {
            probability,
            window_days,
            source: ChurnSource::Model,
            reasons: reasons(&contributions, f, &self.window, probability),
        })
    }

    fn estimate_by_rule(&self, f: &Features, window_days: u32) -> ChurnEstimate {
        let days = f.recency_days.unwrap_or(0) as f64;
        let probability = rule_probability(days, self.window.rhythm.of_client(f));
        let reason = Reason {
            feature: "rule".into(),
            weight: probability,
            text: rule_text(f, &self.window),
        };
        ChurnEstimate {
            probability,
            window_days,
            source: ChurnSource::Rule,
            reasons: vec![reason],
        }
    }
}

/// Largest positive β·x contributions first (weights in logit units, against an average client).
/// Features that say one thing in plain words are one reason: recency with rhythm, purchase days
/// with the one-time flag. A client rated risky although nothing about them is worse than average
/// is told so in words (most clients like them lapse), never left without a reason.
fn reasons(contributions: &[f64], f: &Features, window: &Window, probability: f64) -> Vec<Reason> {
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
    let mut out: Vec<Reason> = grouped
        .into_iter()
        .take(MAX_REASONS)
        .map(|(key, weight)| Reason {
            feature: key.to_string(),
            weight,
            text: describe(key, f, window),
        })
        .collect();
    if out.is_empty() {
        out.push(Reason {
            feature: "window".into(),
            weight: 0.0,
            text: window_text(f, window, probability),
        });
    }
    out
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
}

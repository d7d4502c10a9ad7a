//! Trains the churn model exactly as DESIGN.md states: features as of cutoff = today − horizon,
//! over contacts with a purchase on or before the cutoff; label = no purchase in (cutoff, today].
//! About 20 % of contacts (fixed by a hash of their id) are held out to measure AUC; the model
//! kept is then refitted on everyone.

use chrono::{Duration, NaiveDate};
use linfa::prelude::*;
use linfa::Dataset;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};

use crate::config::Config;
use crate::domain::{ChurnSource, ContactHistory, ContactId};

use super::churn::{raw_vector, ChurnModel, EXPECTED_SIGNS, FEATURE_COUNT};
use super::features::{features, Features};
use super::stats::{auc, column_stats, is_holdout, standardise};

const MAX_ITERATIONS: u64 = 200;

/// The fitted model and how well it did on the held-out contacts.
#[derive(Debug, Clone)]
pub struct ChurnFit {
    pub model: ChurnModel,
    /// Labelled contacts (purchase on or before the cutoff).
    pub labelled: usize,
    /// Share of labelled contacts who did not buy again.
    pub churn_rate: Option<f64>,
    pub auc: Option<f64>,
    /// AUC of "days since last purchase" alone on the same held-out contacts, for comparison.
    pub baseline_auc: Option<f64>,
}

struct Row {
    holdout: bool,
    raw: [f64; FEATURE_COUNT],
    recency: f64,
    churned: bool,
}

/// One training row: a client's features as of the cutoff (today − horizon) and whether they
/// bought nothing in (cutoff, today].
#[derive(Debug, Clone)]
pub struct ChurnExample {
    pub contact_id: ContactId,
    pub features: Features,
    pub churned: bool,
}

fn cutoff(today: NaiveDate, cfg: &Config) -> NaiveDate {
    today - Duration::days(i64::from(cfg.churn.horizon_days))
}

/// The training row `h` gives, or None when they had bought nothing by the cutoff.
pub fn churn_example(h: &ContactHistory, today: NaiveDate, cfg: &Config) -> Option<ChurnExample> {
    let cutoff = cutoff(today, cfg);
    let features = features(h, cutoff, cfg);
    if features.is_lead() {
        return None;
    }
    let churned = !h
        .purchases
        .iter()
        .any(|p| p.date > cutoff && p.date <= today);
    Some(ChurnExample {
        contact_id: h.contact_id,
        features,
        churned,
    })
}

/// Fits the churn model on `examples` (in contact-id order, so refits over the same data are
/// identical); falls back to the rule (and says why) when it cannot.
pub fn fit_churn(examples: &[ChurnExample], today: NaiveDate, cfg: &Config) -> ChurnFit {
    let horizon = cfg.churn.horizon_days;
    let cutoff = cutoff(today, cfg);
    let satisfactions: Vec<f64> = examples
        .iter()
        .filter_map(|e| e.features.satisfaction)
        .collect();
    let impute = if satisfactions.is_empty() {
        0.5
    } else {
        satisfactions.iter().sum::<f64>() / satisfactions.len() as f64
    };
    let rows: Vec<Row> = examples
        .iter()
        .map(|e| Row {
            holdout: is_holdout(e.contact_id),
            raw: raw_vector(&e.features, horizon, impute),
            recency: e.features.recency_days.unwrap_or(0) as f64,
            churned: e.churned,
        })
        .collect();
    let positives = rows.iter().filter(|r| r.churned).count();
    let churn_rate = (!rows.is_empty()).then(|| positives as f64 / rows.len() as f64);
    let rule = |note: String| ChurnFit {
        model: ChurnModel::rule(horizon, note),
        labelled: rows.len(),
        churn_rate,
        auc: None,
        baseline_auc: None,
    };
    if rows.len() < cfg.churn.min_training_size {
        return rule(format!(
            "{} clients with history before {}; the model needs {}",
            rows.len(),
            cutoff,
            cfg.churn.min_training_size
        ));
    }
    if positives == 0 || positives == rows.len() {
        let what = if positives == 0 {
            "bought again"
        } else {
            "stopped buying"
        };
        return rule(format!(
            "all {} clients with history before {} {}; nothing to learn from",
            rows.len(),
            cutoff,
            what
        ));
    }
    let raws: Vec<[f64; FEATURE_COUNT]> = rows.iter().map(|r| r.raw).collect();
    let (means, stds) = column_stats(&raws);
    let x: Vec<[f64; FEATURE_COUNT]> = raws.iter().map(|r| standardise(r, &means, &stds)).collect();
    let alpha = cfg.churn.regularisation;

    let (auc, baseline_auc) = holdout_quality(&rows, &x, alpha);
    let all: Vec<usize> = (0..rows.len()).collect();
    let Some((intercept, coefficients)) = train(&rows, &x, &all, alpha) else {
        return rule("the logistic regression did not converge".to_string());
    };
    ChurnFit {
        model: ChurnModel {
            source: ChurnSource::Model,
            horizon_days: horizon,
            note: String::new(),
            intercept,
            coefficients,
            means: means.to_vec(),
            stds: stds.to_vec(),
            satisfaction_impute: impute,
        },
        labelled: rows.len(),
        churn_rate,
        auc,
        baseline_auc,
    }
}

/// AUC of a model trained without the held-out contacts, and of recency alone, on those contacts.
fn holdout_quality(
    rows: &[Row],
    x: &[[f64; FEATURE_COUNT]],
    alpha: f64,
) -> (Option<f64>, Option<f64>) {
    let (held, kept): (Vec<usize>, Vec<usize>) = (0..rows.len()).partition(|i| rows[*i].holdout);
    let labels: Vec<bool> = held.iter().map(|i| rows[*i].churned).collect();
    let baseline: Vec<f64> = held.iter().map(|i| rows[*i].recency).collect();
    let Some((b0, b)) = train(rows, x, &kept, alpha) else {
        return (None, auc(&baseline, &labels));
    };
    let predicted: Vec<f64> = held
        .iter()
        .map(|i| b0 + x[*i].iter().zip(&b).map(|(x, b)| x * b).sum::<f64>())
        .collect();
    (auc(&predicted, &labels), auc(&baseline, &labels))
}

/// Logistic regression on the selected rows; (intercept, β) with positive z meaning churn.
/// Columns whose coefficient comes out against [`EXPECTED_SIGNS`] are dropped (β = 0) one at a
/// time, worst first, and the rest refitted.
fn train(
    rows: &[Row],
    x: &[[f64; FEATURE_COUNT]],
    pick: &[usize],
    alpha: f64,
) -> Option<(f64, Vec<f64>)> {
    let mut used = [true; FEATURE_COUNT];
    loop {
        let (intercept, beta) = train_columns(rows, x, pick, alpha, &used)?;
        let worst = (0..FEATURE_COUNT)
            .filter(|j| used[*j] && beta[*j] * EXPECTED_SIGNS[*j] < 0.0)
            .max_by(|a, b| beta[*a].abs().total_cmp(&beta[*b].abs()));
        match worst {
            Some(j) => used[j] = false,
            None => return Some((intercept, beta)),
        }
    }
}

/// One logistic fit over the `used` columns (the others are zero, so their β is zero).
fn train_columns(
    rows: &[Row],
    x: &[[f64; FEATURE_COUNT]],
    pick: &[usize],
    alpha: f64,
    used: &[bool; FEATURE_COUNT],
) -> Option<(f64, Vec<f64>)> {
    let positives = pick.iter().filter(|i| rows[**i].churned).count();
    if positives == 0 || positives == pick.len() {
        return None;
    }
    let records = Array2::from_shape_fn((pick.len(), FEATURE_COUNT), |(i, j)| {
        if used[j] {
            x[pick[i]][j]
        } else {
            0.0
        }
    });
    let targets: Array1<bool> = pick.iter().map(|i| rows[*i].churned).collect();
    let fitted = LogisticRegression::default()
        .alpha(alpha)
        .max_iterations(MAX_ITERATIONS)
        .fit(&Dataset::new(records, targets))
        .ok()?;
    // linfa calls the larger class "positive"; flip so that z > 0 always means churn.
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let beta: Vec<f64> = fitted
        .params()
        .iter()
        .zip(used)
        .map(|(b, used)| if *used { sign * b } else { 0.0 })
        .collect();
    let intercept = sign * fitted.intercept();
    (intercept.is_finite() && beta.iter().all(|b| b.is_finite())).then_some((intercept, beta))
}

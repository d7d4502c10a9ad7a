//! Trains the churn model on the user's own history. Each client with a purchase gives one
//! training row: their features as of a cutoff one window before today — the window their own
//! rhythm gives at that cutoff (see `rhythm::Window`) — and the label "no purchase between the
//! cutoff and today". About 20 % of clients (fixed by a hash of their id) are held out: a model
//! fitted without them gives the AUC, and Platt scaling fitted on them turns the final model's
//! scores into calibrated probabilities; the model kept is then refitted on everyone.

use chrono::{Duration, NaiveDate};
use linfa::prelude::*;
use linfa::Dataset;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};

use crate::config::Config;
use crate::domain::{ChurnSource, ContactHistory, ContactId};

use super::calibration::{calibration, Calibration, Platt};
use super::churn::{raw_vector, ChurnModel, EXPECTED_SIGNS, FEATURE_COUNT};
use super::features::{features, Features};
use super::rhythm::Window;
use super::stats::{auc, column_stats, is_holdout, mix, standardise};

const MAX_ITERATIONS: u64 = 200;
/// Tries at finding a cutoff whose window reaches exactly to today.
const WINDOW_TRIES: usize = 4;

/// The fitted model and how well it did on the held-out contacts.
#[derive(Debug, Clone)]
pub struct ChurnFit {
    pub model: ChurnModel,
    /// Labelled contacts (purchase on or before their cutoff).
    pub labelled: usize,
    /// Share of labelled contacts who did not buy again within their window.
    pub churn_rate: Option<f64>,
    pub auc: Option<f64>,
    /// AUC of "days since last purchase" alone on the same held-out contacts, for comparison.
    pub baseline_auc: Option<f64>,
    /// Calibrated probabilities against what happened, on the held-out contacts (each half
    /// calibrated on the other half, so the figure is not flattered by its own fit).
    pub calibration: Option<Calibration>,
}

struct Row {
    id: ContactId,
    holdout: bool,
    raw: [f64; FEATURE_COUNT],
    recency: f64,
    churned: bool,
}

/// One training row: a client's features as of their cutoff and whether they bought nothing
/// in (cutoff, today].
#[derive(Debug, Clone)]
pub struct ChurnExample {
    pub contact_id: ContactId,
    pub features: Features,
    pub churned: bool,
}

/// The training row `h` gives, or None when they had bought nothing by their cutoff (or no
/// cutoff's window reaches today). The cutoff is today − W where W is the window of the client
/// as they were at that cutoff, found by fixed-point iteration from the shortest window: what
/// the label asks is exactly what the model will be asked of them later.
pub fn churn_example(
    h: &ContactHistory,
    today: NaiveDate,
    window: &Window,
    cfg: &Config,
) -> Option<ChurnExample> {
    let mut days = window.min_days;
    for _ in 0..WINDOW_TRIES {
        let cutoff = today - Duration::days(i64::from(days));
        let features = features(h, cutoff, cfg);
        if features.is_lead() {
            return None;
        }
        let wanted = window.days(&features);
        if wanted == days {
            let churned = !h
                .purchases
                .iter()
                .any(|p| p.date > cutoff && p.date <= today);
            return Some(ChurnExample {
                contact_id: h.contact_id,
                features,
                churned,
            });
        }
        days = wanted;
    }
    None
}

/// Fits the churn model on `examples` (in contact-id order, so refits over the same data are
/// identical); falls back to the rule (and says why) when it cannot.
pub fn fit_churn(examples: &[ChurnExample], window: Window, cfg: &Config) -> ChurnFit {
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
            id: e.contact_id,
            holdout: is_holdout(e.contact_id),
            raw: raw_vector(&e.features, &window, impute),
            recency: e.features.recency_days.unwrap_or(0) as f64,
            churned: e.churned,
        })
        .collect();
    let positives = rows.iter().filter(|r| r.churned).count();
    let churn_rate = (!rows.is_empty()).then(|| positives as f64 / rows.len() as f64);
    let rule = |note: String| ChurnFit {
        model: ChurnModel::rule(window, note),
        labelled: rows.len(),
        churn_rate,
        auc: None,
        baseline_auc: None,
        calibration: None,
    };
    if rows.len() < cfg.churn.min_training_size {
        return rule(format!(
            "{} clients with enough history to learn from; the model needs {}",
            rows.len(),
            cfg.churn.min_training_size
        ));
    }
    if positives == 0 || positives == rows.len() {
        let what = if positives == 0 {
            "bought again within their window"
        } else {
            "stopped buying"
        };
        return rule(format!(
            "all {} clients with enough history {}; nothing to learn from",
            rows.len(),
            what
        ));
    }
    let raws: Vec<[f64; FEATURE_COUNT]> = rows.iter().map(|r| r.raw).collect();
    let (means, stds) = column_stats(&raws);
    let x: Vec<[f64; FEATURE_COUNT]> = raws.iter().map(|r| standardise(r, &means, &stds)).collect();
    let alpha = cfg.churn.regularisation;

    let held = holdout_quality(&rows, &x, alpha);
    let all: Vec<usize> = (0..rows.len()).collect();
    let Some((intercept, coefficients)) = train(&rows, &x, &all, alpha) else {
        return rule("the logistic regression did not converge".to_string());
    };
    ChurnFit {
        model: ChurnModel {
            source: ChurnSource::Model,
            window,
            note: String::new(),
            intercept,
            coefficients,
            means: means.to_vec(),
            stds: stds.to_vec(),
            satisfaction_impute: impute,
            calibration: held.platt.unwrap_or(Platt::IDENTITY),
        },
        labelled: rows.len(),
        churn_rate,
        auc: held.auc,
        baseline_auc: held.baseline_auc,
        calibration: held.calibration,
    }
}

/// What the held-out contacts say of a model trained without them.
struct HoldoutQuality {
    auc: Option<f64>,
    baseline_auc: Option<f64>,
    platt: Option<Platt>,
    calibration: Option<Calibration>,
}

/// AUC of a model trained without the held-out contacts, and of recency alone, on those
/// contacts; the Platt mapping fitted on them; and the calibration of that mapping measured
/// two-fold (each half of the held-out contacts calibrated on the other).
fn holdout_quality(rows: &[Row], x: &[[f64; FEATURE_COUNT]], alpha: f64) -> HoldoutQuality {
    let (held, kept): (Vec<usize>, Vec<usize>) = (0..rows.len()).partition(|i| rows[*i].holdout);
    let labels: Vec<bool> = held.iter().map(|i| rows[*i].churned).collect();
    let baseline: Vec<f64> = held.iter().map(|i| rows[*i].recency).collect();
    let baseline_auc = auc(&baseline, &labels);
    let Some((b0, b)) = train(rows, x, &kept, alpha) else {
        return HoldoutQuality {
            auc: None,
            baseline_auc,
            platt: None,
            calibration: None,
        };
    };
    let scores: Vec<f64> = held
        .iter()
        .map(|i| b0 + x[*i].iter().zip(&b).map(|(x, b)| x * b).sum::<f64>())
        .collect();
    // A second hash bit splits the held-out contacts in two halves for the honest figure.
    let half: Vec<bool> = held
        .iter()
        .map(|i| (mix(rows[*i].id) / 5).is_multiple_of(2))
        .collect();
    let mut probabilities = vec![f64::NAN; held.len()];
    for side in [true, false] {
        let pick = |want: bool| -> (Vec<f64>, Vec<bool>) {
            (0..held.len())
                .filter(|k| half[*k] == want)
                .map(|k| (scores[k], labels[k]))
                .unzip()
        };
        let (s, l) = pick(!side);
        let platt = Platt::fit(&s, &l).unwrap_or(Platt::IDENTITY);
        for k in (0..held.len()).filter(|k| half[*k] == side) {
            probabilities[k] = platt.probability(scores[k]);
        }
    }
    HoldoutQuality {
        auc: auc(&scores, &labels),
        baseline_auc,
        platt: Platt::fit(&scores, &labels),
        calibration: calibration(&probabilities, &labels),
    }
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

//! Model evaluation on data with a known future: fit as of a cutoff, score everyone as of that
//! cutoff, then compare the rankings with what really happened after it — and with the simple
//! baselines each model has to beat.
//!
//! - Churn: among clients with a purchase on or before the cutoff, label = no purchase within the
//!   client's own window after it (what the churn probability predicts, see `rhythm::Window`).
//!   Rapport's churn probability is compared with "days since last purchase" by ROC AUC, over
//!   everyone and over recent buyers only (bought in the last 90 days), where recency is weakest;
//!   the calibration of the probabilities against the real future is measured too. The fixed
//!   label "no purchase in the next 90 days" of earlier versions is kept for comparison.
//! - CLV: the same clients ranked by Rapport's CLV and by "total spent so far"; the figure is the
//!   share of all their revenue in the next [`REVENUE_DAYS`] captured by the top [`TOP_FRACTION`].
//!
//! Pure functions over plain data: real purchase logs come in as [`ContactHistory`] lists (split
//! at the cutoff with [`outcome_after`]), the demo's hidden future as [`Outcome`]s directly.

use chrono::{Duration, NaiveDate};

use crate::config::Config;
use crate::domain::{ContactHistory, PurchaseEvent};

use super::calibration::{calibration, Calibration};
use super::engine::{fit, score, Models};
use super::evaluate_lists::{ListFigures, ScoredRow};
use super::stats::auc;

/// The revenue window after the cutoff that CLV rankings are judged on.
pub const REVENUE_DAYS: u32 = 365;
/// The share of clients, best-ranked first, whose future revenue is counted.
pub const TOP_FRACTION: f64 = 0.10;

/// The fixed horizon of the earlier churn label, kept for before/after comparisons.
pub const FIXED_HORIZON_DAYS: u32 = 90;

/// What one client really did after the cutoff.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Outcome {
    /// At least one purchase (of any amount) within the horizon given to [`outcome_after`].
    pub bought_within_horizon: bool,
    /// Days from the cutoff to the first purchase after it (None: none seen).
    pub next_purchase_days: Option<i64>,
    /// Net revenue in the revenue window after the cutoff, minor units.
    pub revenue: f64,
}

/// The outcome of purchases dated after `cutoff`: purchases on or before it are ignored, so a
/// whole purchase log can be passed. Several purchases on one day are simply summed; returns
/// (negative amounts) lower the revenue.
pub fn outcome_after(
    purchases: &[PurchaseEvent],
    cutoff: NaiveDate,
    horizon_days: u32,
    revenue_days: u32,
) -> Outcome {
    let horizon_end = cutoff + Duration::days(i64::from(horizon_days));
    let revenue_end = cutoff + Duration::days(i64::from(revenue_days));
    let mut out = Outcome::default();
    for p in purchases.iter().filter(|p| p.date > cutoff) {
        out.bought_within_horizon |= p.date <= horizon_end;
        let days = (p.date - cutoff).num_days();
        out.next_purchase_days = Some(out.next_purchase_days.map_or(days, |d| d.min(days)));
        if p.date <= revenue_end {
            out.revenue += p.amount as f64;
        }
    }
    out
}

/// ROC AUC of `scores` (higher = more likely positive) against `labels`; ties count half.
/// None when either class is missing.
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    auc(scores, labels)
}

/// Share of the total of `actual` captured by the top `fraction` of clients ranked by
/// `predicted` (highest first). The top is `round(fraction × n)` clients, at least one.
///
/// Ties are broken without favouring anyone: when the cut falls inside a group of equal
/// predictions, that group contributes its mean actual value per place taken — the expectation
/// over every order of the tied clients — so the figure does not depend on input order.
/// None when there are no clients or the total is not positive.
pub fn top_share(predicted: &[f64], actual: &[f64], fraction: f64) -> Option<f64> {
    assert_eq!(
        predicted.len(),
        actual.len(),
        "one prediction per actual value"
    );
    let n = predicted.len();
    let total: f64 = actual.iter().sum();
    if n == 0 || total <= 0.0 || !total.is_finite() {
        return None;
    }
    let take = ((fraction.clamp(0.0, 1.0) * n as f64).round() as usize).clamp(1, n);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| predicted[*b].total_cmp(&predicted[*a]).then(a.cmp(b)));
    let mut captured = 0.0;
    let mut start = 0;
    while start < take {
        let mut end = start + 1;
        while end < n && predicted[order[end]] == predicted[order[start]] {
            end += 1;
        }
        let group: f64 = order[start..end].iter().map(|i| actual[*i]).sum();
        let places = end.min(take) - start;
        captured += group * places as f64 / (end - start) as f64;
        start = end;
    }
    Some(captured / total)
}

/// Rapport against a baseline on one question.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Comparison {
    /// Clients the figure is computed over.
    pub clients: usize,
    pub rapport: Option<f64>,
    pub baseline: Option<f64>,
}

impl Comparison {
    /// Rapport strictly better than the baseline (false when either is missing).
    pub fn rapport_wins(&self) -> bool {
        matches!((self.rapport, self.baseline), (Some(r), Some(b)) if r > b)
    }
}

/// The figures of one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub cutoff: NaiveDate,
    pub contacts: usize,
    /// Clients with at least one purchase on or before the cutoff: the evaluated population.
    pub buyers: usize,
    /// Share of buyers with no purchase within their window after the cutoff.
    pub churn_rate: Option<f64>,
    /// Churn AUC: Rapport's churn probability vs days since last purchase, all buyers.
    pub churn: Comparison,
    /// The same over buyers whose last purchase is at most 90 days before the cutoff.
    pub churn_recent: Comparison,
    /// The same against the earlier label: no purchase in the 90 days after the cutoff.
    pub churn_fixed: Comparison,
    /// Rapport's churn probabilities against what happened within each window.
    pub calibration: Option<Calibration>,
    /// Who each list holds and how many of them really lapsed.
    pub lists: ListFigures,
    /// Each buyer's window in days and whether they lapsed in it, aligned with `buyer_index`.
    pub windows: Vec<u32>,
    pub lapsed: Vec<bool>,
    /// Top-10 % capture of next-year revenue: Rapport's CLV vs total spent so far.
    pub clv: Comparison,
    /// Best possible capture (ranked by the future itself), for scale.
    pub clv_oracle: Option<f64>,
    /// Rapport's CLV for each buyer, in `histories` order (for comparing other models).
    pub clv_scores: Vec<f64>,
    /// Index in `histories` of each buyer, aligned with `clv_scores`.
    pub buyer_index: Vec<usize>,
}

/// `history` without anything dated after `cutoff`.
pub fn as_of(history: &ContactHistory, cutoff: NaiveDate) -> ContactHistory {
    ContactHistory {
        contact_id: history.contact_id,
        created_on: history.created_on.filter(|d| *d <= cutoff),
        purchases: history
            .purchases
            .iter()
            .filter(|p| p.date <= cutoff)
            .cloned()
            .collect(),
        feedback: history
            .feedback
            .iter()
            .filter(|f| f.date <= cutoff)
            .cloned()
            .collect(),
        touches: history
            .touches
            .iter()
            .filter(|t| t.date <= cutoff)
            .cloned()
            .collect(),
        referrals: history
            .referrals
            .iter()
            .copied()
            .filter(|d| *d <= cutoff)
            .collect(),
    }
}

/// Fits the models as of `cutoff` and evaluates them against `outcomes` (one per history).
/// Events after the cutoff in `histories` are dropped first, so nothing leaks from the future.
pub fn evaluate(
    histories: &[ContactHistory],
    outcomes: &[Outcome],
    cutoff: NaiveDate,
    cfg: &Config,
) -> Evaluation {
    let past: Vec<ContactHistory> = histories.iter().map(|h| as_of(h, cutoff)).collect();
    let models = fit(&past, cutoff, cfg);
    evaluate_fitted(&past, outcomes, &models, cutoff, cfg, REVENUE_DAYS)
}

/// Evaluates already fitted `models` (fitted as of `cutoff` on these histories); the future is
/// known for `seen_days` after the cutoff, and no window is judged beyond it.
pub fn evaluate_fitted(
    histories: &[ContactHistory],
    outcomes: &[Outcome],
    models: &Models,
    cutoff: NaiveDate,
    cfg: &Config,
    seen_days: u32,
) -> Evaluation {
    assert_eq!(histories.len(), outcomes.len(), "one outcome per history");
    let mut rows = Vec::new();
    for (index, (h, o)) in histories.iter().zip(outcomes).enumerate() {
        if !h.purchases.iter().any(|p| p.date <= cutoff) {
            continue;
        }
        let s = score(&as_of(h, cutoff), models, cutoff, cfg);
        let window = s
            .churn_window_days
            .unwrap_or(FIXED_HORIZON_DAYS)
            .min(seen_days);
        rows.push(ScoredRow {
            index,
            churn: s.churn_probability.unwrap_or(0.0),
            window,
            recency: s.recency_days.unwrap_or(0) as f64,
            lapsed: o.next_purchase_days.is_none_or(|d| d > i64::from(window)),
            lapsed_fixed: !o.bought_within_horizon,
            clv: s.clv,
            spent: s.monetary as f64,
            revenue: o.revenue,
            scores: s,
        });
    }
    let churn_auc = |keep: &dyn Fn(&ScoredRow) -> bool, label: fn(&ScoredRow) -> bool| {
        let picked: Vec<&ScoredRow> = rows.iter().filter(|r| keep(r)).collect();
        let labels: Vec<bool> = picked.iter().map(|r| label(r)).collect();
        let model: Vec<f64> = picked.iter().map(|r| r.churn).collect();
        let recency: Vec<f64> = picked.iter().map(|r| r.recency).collect();
        Comparison {
            clients: picked.len(),
            rapport: roc_auc(&model, &labels),
            baseline: roc_auc(&recency, &labels),
        }
    };
    let recent = f64::from(FIXED_HORIZON_DAYS);
    let revenue: Vec<f64> = rows.iter().map(|r| r.revenue).collect();
    let clv: Vec<f64> = rows.iter().map(|r| r.clv).collect();
    let spent: Vec<f64> = rows.iter().map(|r| r.spent).collect();
    let lapsed: Vec<bool> = rows.iter().map(|r| r.lapsed).collect();
    let probabilities: Vec<f64> = rows.iter().map(|r| r.churn).collect();
    let churned = lapsed.iter().filter(|l| **l).count();
    Evaluation {
        cutoff,
        contacts: histories.len(),
        buyers: rows.len(),
        churn_rate: (!rows.is_empty()).then(|| churned as f64 / rows.len() as f64),
        churn: churn_auc(&|_| true, |r| r.lapsed),
        churn_recent: churn_auc(&|r| r.recency <= recent, |r| r.lapsed),
        churn_fixed: churn_auc(&|_| true, |r| r.lapsed_fixed),
        calibration: calibration(&probabilities, &lapsed),
        lists: ListFigures::of(&rows),
        clv: Comparison {
            clients: rows.len(),
            rapport: top_share(&clv, &revenue, TOP_FRACTION),
            baseline: top_share(&spent, &revenue, TOP_FRACTION),
        },
        clv_oracle: top_share(&revenue, &revenue, TOP_FRACTION),
        buyer_index: rows.iter().map(|r| r.index).collect(),
        windows: rows.iter().map(|r| r.window).collect(),
        lapsed,
        clv_scores: clv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Duration::days(n)
    }

    fn buy(n: i64, amount: i64) -> PurchaseEvent {
        PurchaseEvent {
            date: day(n),
            amount,
            item: None,
        }
    }

    #[test]
    fn auc_of_perfect_reversed_and_tied_rankings() {
        let labels = [false, true, false, true];
        assert_eq!(roc_auc(&[1.0, 4.0, 2.0, 3.0], &labels), Some(1.0));
        assert_eq!(roc_auc(&[4.0, 1.0, 3.0, 2.0], &labels), Some(0.0));
        assert_eq!(roc_auc(&[7.0; 4], &labels), Some(0.5));
        // Positive–negative pairs: 4>1, 4>3, 2.5>1 win, 2.5<3 loses → 3/4.
        assert_eq!(roc_auc(&[1.0, 4.0, 3.0, 2.5], &labels), Some(0.75));
        assert_eq!(roc_auc(&[1.0, 2.0], &[true, true]), None);
    }

    #[test]
    fn top_share_by_hand() {
        // Ten clients, future revenue 100 in total; the top 10 % is one client.
        let actual = [50.0, 10.0, 10.0, 10.0, 5.0, 5.0, 5.0, 5.0, 0.0, 0.0];
        let perfect = [10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0];
        assert_eq!(top_share(&perfect, &actual, 0.1), Some(0.5));
        assert_eq!(top_share(&perfect, &actual, 0.3), Some(0.7));
        assert_eq!(top_share(&perfect, &actual, 1.0), Some(1.0));
        let reversed: Vec<f64> = perfect.iter().map(|p| -p).collect();
        assert_eq!(top_share(&reversed, &actual, 0.1), Some(0.0));
        assert_eq!(top_share(&reversed, &actual, 0.2), Some(0.0));
        // Fewer than ten clients still take one.
        assert_eq!(top_share(&[1.0, 2.0], &[3.0, 1.0], 0.1), Some(0.25));
        assert_eq!(top_share(&[], &[], 0.1), None);
        assert_eq!(top_share(&[1.0], &[0.0], 0.1), None);
    }

    #[test]
    fn ties_at_the_cut_count_their_mean_whatever_the_order() {
        // Top 2 of 4: the leader (revenue 10), then one place shared by a tie of three
        // (revenues 30, 0, 0): it brings 30 / 3 = 10. Total 40 → 20 / 40.
        let predicted = [9.0, 1.0, 1.0, 1.0];
        let actual = [10.0, 30.0, 0.0, 0.0];
        assert_eq!(top_share(&predicted, &actual, 0.5), Some(0.5));
        let predicted = [1.0, 1.0, 9.0, 1.0];
        let actual = [0.0, 0.0, 10.0, 30.0];
        assert_eq!(top_share(&predicted, &actual, 0.5), Some(0.5));
        // Everyone tied: exactly the fraction of the total.
        assert_eq!(
            top_share(&[0.0; 5], &[5.0, 0.0, 0.0, 0.0, 0.0], 0.4),
            Some(0.4)
        );
    }

    #[test]
    fn outcome_counts_only_the_windows_after_the_cutoff() {
        let purchases = [
            buy(0, 900),
            buy(10, 100), // cutoff day itself: the past
            buy(11, 0),   // zero amount: still a purchase
            buy(11, 50),  // same day
            buy(200, -20),
            buy(376, 7), // past the year
        ];
        let o = outcome_after(&purchases, day(10), 90, 365);
        assert_eq!(
            o,
            Outcome {
                bought_within_horizon: true,
                next_purchase_days: Some(1),
                revenue: 30.0
            }
        );
        let late = outcome_after(&purchases[4..], day(10), 90, 365);
        assert!(!late.bought_within_horizon);
        assert_eq!(late.revenue, -20.0);
    }

    #[test]
    fn as_of_drops_the_future() {
        let h = ContactHistory {
            contact_id: 3,
            created_on: Some(day(0)),
            purchases: vec![buy(0, 1), buy(5, 2), buy(6, 3)],
            ..Default::default()
        };
        let past = as_of(&h, day(5));
        assert_eq!(past.purchases, vec![buy(0, 1), buy(5, 2)]);
        assert_eq!(as_of(&h, day(-1)).created_on, None);
    }

    /// A tiny base where the future is the obvious continuation: steady monthly buyers keep
    /// buying, one-time and lapsed buyers do not. Both Rapport figures are exact here.
    #[test]
    fn evaluate_on_a_tiny_base_with_an_obvious_future() {
        let cutoff = day(400);
        let mut histories = Vec::new();
        let mut outcomes = Vec::new();
        for id in 0..60i64 {
            let (purchases, future): (Vec<PurchaseEvent>, Vec<PurchaseEvent>) = match id % 3 {
                // Monthly, still going: buys on after the cutoff.
                0 => (
                    (0..13).map(|k| buy(400 - 30 * k, 10_000)).collect(),
                    (1..=12).map(|k| buy(400 + 30 * k, 10_000)).collect(),
                ),
                // Bought monthly, stopped 200 days ago.
                1 => ((0..6).map(|k| buy(200 - 30 * k, 10_000)).collect(), vec![]),
                // One big purchase long ago, never again.
                _ => (vec![buy(100 + id, 50_000)], vec![]),
            };
            let mut all = purchases.clone();
            all.extend(future);
            outcomes.push(outcome_after(&all, cutoff, 90, REVENUE_DAYS));
            histories.push(ContactHistory {
                contact_id: id + 1,
                created_on: Some(day(0)),
                purchases: all,
                ..Default::default()
            });
        }
        let cfg = Config::default();
        let e = evaluate(&histories, &outcomes, cutoff, &cfg);
        assert_eq!((e.contacts, e.buyers), (60, 60));
        assert_eq!(e.churn_rate, Some(40.0 / 60.0));
        assert_eq!(e.churn.clients, 60);
        assert_eq!(e.churn.rapport, Some(1.0));
        assert_eq!(e.churn.baseline, Some(1.0));
        // Six top places, all taken by the steady buyers who bring all the future revenue.
        assert_eq!(e.clv.rapport, Some(6.0 / 20.0));
        assert_eq!(e.clv_oracle, Some(6.0 / 20.0));
        // Total spent ranks the steady buyers (130,000 each) first too.
        assert_eq!(e.clv.baseline, Some(6.0 / 20.0));
        // Passing the future along changes nothing: it is cut off before fitting.
        let past: Vec<ContactHistory> = histories.iter().map(|h| as_of(h, cutoff)).collect();
        assert_eq!(evaluate(&past, &outcomes, cutoff, &cfg), e);
    }
}

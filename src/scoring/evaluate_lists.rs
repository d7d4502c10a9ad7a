//! What the lists a user reads contain, judged against a known future: how many clients each
//! stage holds and how many of them really lapsed, and whether the At risk list holds clients
//! who bought within their usual interval and are not unhappy (it should not).

use crate::domain::{Scores, Stage};

use super::lifecycle::UNHAPPY_BELOW;

/// One buyer as scored at the cutoff, with what happened next.
#[derive(Debug, Clone)]
pub struct ScoredRow {
    /// Index in the evaluated histories.
    pub index: usize,
    pub churn: f64,
    pub window: u32,
    pub recency: f64,
    /// No purchase within `window` days after the cutoff.
    pub lapsed: bool,
    /// No purchase within 90 days after the cutoff (the earlier label).
    pub lapsed_fixed: bool,
    pub clv: f64,
    pub spent: f64,
    pub revenue: f64,
    pub scores: Scores,
}

/// One stage's share of the buyers and its real lapse rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageFigure {
    pub stage: Stage,
    pub clients: usize,
    /// Share of that stage who bought nothing within their window.
    pub lapse_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListFigures {
    /// Buyers by stage, in lifecycle order (stages nobody is in are left out).
    pub stages: Vec<StageFigure>,
    /// Repeat buyers (two or more purchase days) in At risk.
    pub at_risk_repeat: usize,
    /// Of those, how many bought within their usual interval and are not unhappy.
    pub at_risk_within_rhythm: usize,
}

/// A repeat buyer whose last purchase is within their usual interval and who has given no
/// sign of unhappiness: nothing says they are drifting away.
pub fn within_rhythm_and_content(s: &Scores) -> bool {
    match (s.recency_days, s.usual_interval_days) {
        (Some(recency), Some(usual)) => {
            recency as f64 <= usual && s.satisfaction.is_none_or(|x| x >= UNHAPPY_BELOW)
        }
        _ => false,
    }
}

impl ListFigures {
    pub fn of(rows: &[ScoredRow]) -> ListFigures {
        let order = [
            Stage::New,
            Stage::Active,
            Stage::Loyal,
            Stage::AtRisk,
            Stage::Churned,
        ];
        let stages = order
            .iter()
            .filter_map(|stage| {
                let picked: Vec<&ScoredRow> =
                    rows.iter().filter(|r| r.scores.stage == *stage).collect();
                (!picked.is_empty()).then(|| StageFigure {
                    stage: *stage,
                    clients: picked.len(),
                    lapse_rate: Some(
                        picked.iter().filter(|r| r.lapsed).count() as f64 / picked.len() as f64,
                    ),
                })
            })
            .collect();
        let at_risk: Vec<&Scores> = rows
            .iter()
            .map(|r| &r.scores)
            .filter(|s| s.stage == Stage::AtRisk && s.frequency >= 2)
            .collect();
        ListFigures {
            stages,
            at_risk_repeat: at_risk.len(),
            at_risk_within_rhythm: at_risk
                .iter()
                .filter(|s| within_rhythm_and_content(s))
                .count(),
        }
    }

    /// The share of buyers in `stage` (0 when there are none).
    pub fn share(&self, stage: Stage) -> f64 {
        let total: usize = self.stages.iter().map(|s| s.clients).sum();
        let n = self
            .stages
            .iter()
            .find(|s| s.stage == stage)
            .map_or(0, |s| s.clients);
        if total == 0 {
            0.0
        } else {
            n as f64 / total as f64
        }
    }

    pub fn lapse_rate(&self, stage: Stage) -> Option<f64> {
        self.stages
            .iter()
            .find(|s| s.stage == stage)
            .and_then(|s| s.lapse_rate)
    }
}

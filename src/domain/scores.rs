//! What the scoring engine concludes about a contact.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::contact::ContactId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Stage {
    Lead,
    New,
    Active,
    Loyal,
    AtRisk,
    Churned,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Lead,
        Stage::New,
        Stage::Active,
        Stage::Loyal,
        Stage::AtRisk,
        Stage::Churned,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Lead => "Lead",
            Stage::New => "New",
            Stage::Active => "Active",
            Stage::Loyal => "Loyal",
            Stage::AtRisk => "At risk",
            Stage::Churned => "Churned",
        }
    }

    /// The config key for this stage (`at_risk`).
    pub fn key(self) -> &'static str {
        match self {
            Stage::Lead => "lead",
            Stage::New => "new",
            Stage::Active => "active",
            Stage::Loyal => "loyal",
            Stage::AtRisk => "at_risk",
            Stage::Churned => "churned",
        }
    }

    pub fn from_key(key: &str) -> Option<Stage> {
        Stage::ALL
            .into_iter()
            .find(|s| s.key() == key || s.label() == key)
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Which model produced a churn figure, so every place that shows one can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChurnSource {
    /// The fitted logistic regression.
    Model,
    /// The stated fallback rule (too little or one-class history).
    Rule,
}

/// One contributor to a score, largest first when listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub feature: String,
    /// Signed contribution (e.g. β·x for churn); positive raises the score.
    pub weight: f64,
    pub text: String,
}

/// The few figures of a client's scores that segment summaries and charts use: read from the
/// narrow scores table, without parsing every client's full record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScorePoint {
    pub segment_id: Option<i64>,
    pub churn_probability: Option<f64>,
    pub recency_days: Option<i64>,
    pub frequency: i64,
    /// Minor units.
    pub monetary: i64,
}

impl From<&Scores> for ScorePoint {
    fn from(s: &Scores) -> Self {
        ScorePoint {
            segment_id: s.segment_id,
            churn_probability: s.churn_probability,
            recency_days: s.recency_days,
            frequency: s.frequency,
            monetary: s.monetary,
        }
    }
}

/// A contact's scores as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub contact_id: ContactId,
    pub as_of: NaiveDate,
    pub model_version: i64,
    pub stage: Stage,
    pub segment_id: Option<i64>,
    pub segment_name: Option<String>,
    /// Chance of no purchase within `churn_window_days`; None for a lead (nothing to lapse from).
    pub churn_probability: Option<f64>,
    /// Days ahead the churn probability speaks of: the client's own window.
    #[serde(default)]
    pub churn_window_days: Option<u32>,
    pub churn_source: ChurnSource,
    pub clv: f64,
    /// None when the contact has never given feedback.
    pub satisfaction: Option<f64>,
    pub loyalty: f64,
    /// Days since the last purchase (None: never bought).
    pub recency_days: Option<i64>,
    /// Distinct purchase days.
    pub frequency: i64,
    /// Total spent, minor units.
    pub monetary: i64,
    /// Mean days between purchases (None: fewer than two purchase days).
    pub usual_interval_days: Option<f64>,
    pub churn_reasons: Vec<Reason>,
    pub actions: Vec<String>,
    pub next_offer: Option<String>,
}

/// How one write moved a contact's scores, for the line a `log` command prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreChange {
    pub name: String,
    pub before: Option<Scores>,
    pub after: Scores,
    /// What an automation rule planned because of this change (`follow-up 12 planned: …`).
    pub planned: Option<String>,
}

impl ScoreChange {
    /// `Ana Ruiz: churn 62% → 18%, stage At risk → Active, CLV 2,400 → 3,100`, and what a rule
    /// planned because of it.
    pub fn describe(&self) -> String {
        match &self.planned {
            Some(planned) => format!("{}; {}", self.describe_scores(), planned),
            None => self.describe_scores(),
        }
    }

    fn describe_scores(&self) -> String {
        let after = &self.after;
        let name = super::text::printable(&self.name).into_owned();
        let Some(before) = &self.before else {
            return format!(
                "{}: churn {}, stage {}, CLV {}",
                name,
                churn_figure(after.churn_probability),
                after.stage,
                super::money::format_major(after.clv)
            );
        };
        let mut moved = Vec::new();
        let (old_churn, new_churn) = (
            churn_figure(before.churn_probability),
            churn_figure(after.churn_probability),
        );
        if old_churn != new_churn {
            moved.push(format!("churn {} → {}", old_churn, new_churn));
        }
        if before.stage != after.stage {
            moved.push(format!("stage {} → {}", before.stage, after.stage));
        }
        let (old_clv, new_clv) = (
            super::money::format_major(before.clv),
            super::money::format_major(after.clv),
        );
        if old_clv != new_clv {
            moved.push(format!("CLV {} → {}", old_clv, new_clv));
        }
        if before.segment_name != after.segment_name {
            if let Some(segment) = &after.segment_name {
                moved.push(format!("segment → {}", segment));
            }
        }
        if moved.is_empty() {
            format!(
                "{}: scores unchanged (churn {}, stage {})",
                name,
                churn_figure(after.churn_probability),
                after.stage
            )
        } else {
            format!("{}: {}", name, moved.join(", "))
        }
    }
}

/// A churn figure as shown: a whole percentage, or "—" for a lead, who has none.
pub fn churn_figure(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_string(), percent)
}

/// A probability as a whole percentage (`0.618` → `62%`).
pub fn percent(p: f64) -> String {
    format!("{:.0}%", (p * 100.0).clamp(0.0, 100.0))
}

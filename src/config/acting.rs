//! What Rapport suggests and plans: the recommended actions per stage with the action ledger's
//! keys, and the automation rules that turn entering a stage into a follow-up.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::domain::cadence::{config_cadence, RHYTHM_MIN_PURCHASE_DAYS};
use crate::domain::due::parse_every;
use crate::domain::{Cadence, Every, Stage};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ActionsConfig {
    pub lead: Vec<String>,
    pub new: Vec<String>,
    pub active: Vec<String>,
    pub loyal: Vec<String>,
    pub at_risk: Vec<String>,
    pub churned: Vec<String>,
    /// Days after a suggestion in which a matching touch counts as acted on and a purchase as
    /// came back; the same action is not suggested anew (recorded again) within them.
    pub outcome_window_days: u32,
    /// Share of suggestion episodes held back (recorded, not shown) to measure what showing
    /// them changes; 0 shows everything.
    pub holdback_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FollowUpsConfig {
    /// Automation: when a client enters a stage (key: `new`, `active`, `loyal`, `at_risk`,
    /// `churned`), plan a follow-up with the stage's first recommended action, due this many days
    /// later; 0 switches the rule off.
    pub on_enter: BTreeMap<String, u32>,
    pub stay_in_touch: StayInTouchConfig,
}

impl Default for FollowUpsConfig {
    fn default() -> Self {
        FollowUpsConfig {
            on_enter: BTreeMap::from([("at_risk".to_string(), 2), ("new".to_string(), 7)]),
            stay_in_touch: StayInTouchConfig::default(),
        }
    }
}

/// Stay-in-touch cadences for contacts without one of their own: per stage a cadence (`"3m"`,
/// `"60d"`, `"every 8 weeks"`) or `"off"`, and whether a client's usual rhythm of buying may bring
/// it forward (see [`crate::domain::cadence::config_cadence`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StayInTouchConfig {
    pub lead: String,
    pub new: String,
    pub active: String,
    pub loyal: String,
    pub at_risk: String,
    pub churned: String,
    pub from_rhythm: bool,
}

/// Off everywhere but for Loyal clients: every three months, or sooner on their usual rhythm of
/// buying. They are the few a freelancer most wants to keep close, and they hear from them
/// whenever they buy, so only the quiet ones show — and a regular who has let their usual
/// interval pass gets a touch before they slip into At risk. Leads have
/// `stages.lead_follow_up_days`, New and At risk clients the `on_enter` rules, and cadences for
/// every Active or Churned client would fill the morning list.
impl Default for StayInTouchConfig {
    fn default() -> Self {
        let off = || "off".to_string();
        StayInTouchConfig {
            lead: off(),
            new: off(),
            active: off(),
            loyal: "3m".into(),
            at_risk: off(),
            churned: off(),
            from_rhythm: true,
        }
    }
}

/// A config cadence must be at least this long: shorter ones would put a whole stage on the
/// morning list every few days.
const MIN_STAGE_CADENCE_DAYS: u32 = 7;

impl StayInTouchConfig {
    fn text_for(&self, stage: Stage) -> &str {
        match stage {
            Stage::Lead => &self.lead,
            Stage::New => &self.new,
            Stage::Active => &self.active,
            Stage::Loyal => &self.loyal,
            Stage::AtRisk => &self.at_risk,
            Stage::Churned => &self.churned,
        }
    }

    /// The cadence for clients in `stage` without their own; None when it is off.
    pub fn cadence_for(&self, stage: Stage) -> Option<Every> {
        parse_every(self.text_for(stage)).ok()
    }

    /// The cadence of a client in `stage` without their own, whose last touch was on `since`,
    /// with `purchase_days` and `usual_interval_days` from their scores: the stage's, brought
    /// forward to their rhythm when `from_rhythm` is on and they have bought on at least
    /// [`RHYTHM_MIN_PURCHASE_DAYS`] days; None when the stage has none.
    pub fn cadence_of(
        &self,
        stage: Stage,
        purchase_days: i64,
        usual_interval_days: Option<f64>,
        since: NaiveDate,
    ) -> Option<Cadence> {
        let rhythm = usual_interval_days
            .filter(|_| self.from_rhythm && purchase_days >= RHYTHM_MIN_PURCHASE_DAYS);
        let every = self.cadence_for(stage)?;
        Some(config_cadence(stage, every, rhythm, since))
    }

    fn validate(&self) -> Result<(), String> {
        for stage in Stage::ALL {
            let text = self.text_for(stage);
            if text.trim().eq_ignore_ascii_case("off") {
                continue;
            }
            let key = format!("follow_ups.stay_in_touch.{}", stage.key());
            match parse_every(text) {
                Err(_) => {
                    return Err(format!(
                        "{key} = \"{text}\" is not a cadence; use a duration such as \"60d\", \"8w\" or \"3m\", or \"off\""
                    ))
                }
                Ok(every) if every.min_days() < MIN_STAGE_CADENCE_DAYS => {
                    return Err(format!(
                        "{key} = \"{text}\" is too short; a stage's cadence is at least a week (\"7d\"), or \"off\""
                    ))
                }
                Ok(_) => {}
            }
        }
        Ok(())
    }
}

impl FollowUpsConfig {
    /// Days until a follow-up planned on entering `stage` is due, if a rule is on for it.
    pub fn rule_for(&self, stage: Stage) -> Option<u32> {
        self.on_enter.get(stage.key()).copied().filter(|d| *d > 0)
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        for (key, days) in &self.on_enter {
            if Stage::from_key(key).is_none_or(|s| s.key() != key || s == Stage::Lead) {
                return Err(format!(
                    "follow_ups.on_enter.{} is not a stage a client can enter; use new, active, loyal, at_risk or churned",
                    key
                ));
            }
            if *days > 3650 {
                return Err(format!(
                    "follow_ups.on_enter.{} = {} is out of range (0..=3650 days)",
                    key, days
                ));
            }
        }
        self.stay_in_touch.validate()
    }
}

impl Default for ActionsConfig {
    fn default() -> Self {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        ActionsConfig {
            lead: list(&["introductory call", "send portfolio"]),
            new: list(&["welcome message", "first-project discount"]),
            active: list(&["personalised offer", "loyalty programme"]),
            loyal: list(&["VIP treatment", "personalised recommendations"]),
            at_risk: list(&["win-back call", "retention discount"]),
            churned: list(&["exit survey", "ask for feedback"]),
            outcome_window_days: 60,
            holdback_share: 0.0,
        }
    }
}

impl ActionsConfig {
    pub fn for_stage(&self, stage: Stage) -> &[String] {
        match stage {
            Stage::Lead => &self.lead,
            Stage::New => &self.new,
            Stage::Active => &self.active,
            Stage::Loyal => &self.loyal,
            Stage::AtRisk => &self.at_risk,
            Stage::Churned => &self.churned,
        }
    }

    /// The ledger's two keys make sense: a window of at least a day, at most half held back
    /// (holding back more would hide most advice to measure it).
    pub(super) fn validate(&self) -> Result<(), String> {
        if !(self.holdback_share.is_finite() && (0.0..=0.5).contains(&self.holdback_share)) {
            return Err(format!(
                "actions.holdback_share = {} is out of range (0..=0.5)",
                self.holdback_share
            ));
        }
        if self.outcome_window_days == 0 {
            return Err("actions.outcome_window_days = 0 must be at least 1".into());
        }
        Ok(())
    }
}

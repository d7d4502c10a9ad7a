//! The TOML configuration: every key has a default, unknown keys are errors naming the key and file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

mod acting;
mod drafts;
mod paths;
mod toml_errors;

pub use paths::{default_paths, DefaultPaths};

pub use acting::{ActionsConfig, FollowUpsConfig, StayInTouchConfig};
pub use drafts::{DraftTemplate, DraftsConfig};
use toml_errors::describe_toml_error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// ISO currency code shown beside amounts and stored with purchases.
    pub currency: String,
    pub feedback: FeedbackConfig,
    pub loyalty: LoyaltyConfig,
    pub clv: ClvConfig,
    pub churn: ChurnConfig,
    pub segments: SegmentsConfig,
    pub stages: StagesConfig,
    pub actions: ActionsConfig,
    pub refit: RefitConfig,
    pub follow_ups: FollowUpsConfig,
    pub mail: MailConfig,
    pub drafts: DraftsConfig,
    /// TUI key remapping: action name → key (e.g. `quit = "ctrl-q"`).
    pub keys: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub name: String,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedbackConfig {
    /// Rated 1–5 stars each; satisfaction is their weighted mean normalised to 0..1.
    pub dimensions: Vec<Dimension>,
    /// Older feedback counts half as much after this many days.
    pub half_life_days: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoyaltyConfig {
    pub repeat_weight: f64,
    pub referral_weight: f64,
    pub engagement_weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClvConfig {
    /// Yearly discount rate r.
    pub discount_rate: f64,
    /// Horizon n in years.
    pub horizon_years: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChurnConfig {
    /// Churn is the chance of no purchase within this many of the client's usual intervals (the
    /// business's typical interval for one-time buyers) from today.
    pub window_intervals: f64,
    /// The window is never shorter than this many days...
    pub min_window_days: u32,
    /// ...nor longer than this.
    pub max_window_days: u32,
    /// Churn probability from which a client is At risk: the one threshold, for the stage and
    /// every at-risk list.
    pub at_risk_threshold: f64,
    /// L2 regularisation strength of the logistic regression.
    pub regularisation: f64,
    /// Fewer labelled training clients than this and the stated rule is used instead.
    pub min_training_size: usize,
    /// Replaced by the rhythm-relative window; only read to say so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SegmentsConfig {
    /// Number of clusters; 0 chooses it automatically by silhouette (min_k..=max_k).
    pub k: usize,
    /// Fewest clusters the automatic choice considers: two clusters (buyers once vs. repeat
    /// buyers) often have the best silhouette but tell a freelancer nothing new.
    pub min_k: usize,
    pub max_k: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StagesConfig {
    /// A client whose first purchase is at most this many days old is New; unset, one typical
    /// interval of the business (learnt at each refit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_max_tenure_days: Option<u32>,
    /// Loyalty from which an active client is Loyal.
    pub loyal_min_loyalty: f64,
    /// A client silent for this many of their usual intervals is Churned...
    pub churned_after_intervals: f64,
    /// ...unless a fixed number of days is set here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub churned_min_recency_days: Option<u32>,
    /// A lead is due a follow-up after this many days without contact.
    pub lead_follow_up_days: u32,
    /// Replaced by `churn.at_risk_threshold`; only read to say so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_risk_min_churn: Option<f64>,
}

/// Mail in (`rapport mail ingest`, `import mbox|maildir`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// Your own addresses: never matched to a contact, never added as a lead.
    pub me: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RefitConfig {
    /// Models are refitted over everyone after this many scored writes since the last fit.
    pub changes_before_refit: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            currency: "EUR".into(),
            feedback: FeedbackConfig::default(),
            loyalty: LoyaltyConfig::default(),
            clv: ClvConfig::default(),
            churn: ChurnConfig::default(),
            segments: SegmentsConfig::default(),
            stages: StagesConfig::default(),
            actions: ActionsConfig::default(),
            refit: RefitConfig::default(),
            follow_ups: FollowUpsConfig::default(),
            mail: MailConfig::default(),
            drafts: DraftsConfig::default(),
            keys: BTreeMap::new(),
        }
    }
}

impl Default for FeedbackConfig {
    fn default() -> Self {
        let dim = |name: &str, weight| Dimension {
            name: name.into(),
            weight,
        };
        FeedbackConfig {
            dimensions: vec![dim("quality", 0.4), dim("price", 0.3), dim("service", 0.3)],
            half_life_days: 180.0,
        }
    }
}

impl Default for LoyaltyConfig {
    fn default() -> Self {
        LoyaltyConfig {
            repeat_weight: 0.4,
            referral_weight: 0.3,
            engagement_weight: 0.3,
        }
    }
}

impl Default for ClvConfig {
    fn default() -> Self {
        ClvConfig {
            discount_rate: 0.10,
            horizon_years: 3,
        }
    }
}

impl Default for ChurnConfig {
    fn default() -> Self {
        ChurnConfig {
            window_intervals: 1.5,
            min_window_days: 30,
            max_window_days: 365,
            at_risk_threshold: 0.5,
            regularisation: 1.0,
            min_training_size: 30,
            horizon_days: None,
        }
    }
}

impl Default for SegmentsConfig {
    fn default() -> Self {
        SegmentsConfig {
            k: 0,
            min_k: 3,
            max_k: 6,
            seed: 42,
        }
    }
}

impl Default for StagesConfig {
    fn default() -> Self {
        StagesConfig {
            new_max_tenure_days: None,
            loyal_min_loyalty: 0.6,
            churned_after_intervals: 3.0,
            churned_min_recency_days: None,
            lead_follow_up_days: 14,
            at_risk_min_churn: None,
        }
    }
}

impl Default for RefitConfig {
    fn default() -> Self {
        RefitConfig {
            changes_before_refit: 200,
        }
    }
}

impl Config {
    /// Reads the config file; a missing file means the defaults.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(format!(
                    "config file {} cannot be read: {}",
                    path.display(),
                    e
                ))
            }
        };
        Config::parse(&text).map_err(|e| format!("config file {}: {}", path.display(), e))
    }

    /// Parses config text and checks the values make sense.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| describe_toml_error(text, e))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if self.feedback.dimensions.is_empty() {
            return Err("feedback.dimensions is empty; configure at least one dimension".into());
        }
        for d in &self.feedback.dimensions {
            if !(d.weight.is_finite() && d.weight > 0.0) {
                return Err(format!(
                    "feedback dimension '{}' has weight {}; weights must be positive",
                    d.name, d.weight
                ));
            }
            if d.name.is_empty() || d.name.contains(['=', ',', ' ']) {
                return Err(format!(
                    "feedback dimension name '{}' must be one word",
                    d.name
                ));
            }
        }
        self.reject_replaced_keys()?;
        self.follow_ups.validate()?;
        let checks: [(&str, f64, f64, f64); 9] = [
            ("clv.discount_rate", self.clv.discount_rate, 0.0, 10.0),
            (
                "churn.at_risk_threshold",
                self.churn.at_risk_threshold,
                0.0,
                1.0,
            ),
            ("churn.regularisation", self.churn.regularisation, 0.0, 1e6),
            (
                "stages.loyal_min_loyalty",
                self.stages.loyal_min_loyalty,
                0.0,
                1.0,
            ),
            (
                "churn.window_intervals",
                self.churn.window_intervals,
                0.1,
                100.0,
            ),
            (
                "stages.churned_after_intervals",
                self.stages.churned_after_intervals,
                0.5,
                100.0,
            ),
            (
                "feedback.half_life_days",
                self.feedback.half_life_days,
                1.0,
                1e6,
            ),
            (
                "loyalty.repeat_weight",
                self.loyalty.repeat_weight,
                0.0,
                1e6,
            ),
            (
                "loyalty.referral_weight",
                self.loyalty.referral_weight,
                0.0,
                1e6,
            ),
        ];
        for (key, value, low, high) in checks {
            if !(value.is_finite() && value >= low && value <= high) {
                return Err(format!(
                    "{} = {} is out of range ({}..={})",
                    key, value, low, high
                ));
            }
        }
        if self.segments.min_k < 2 || self.segments.min_k > self.segments.max_k {
            return Err(format!(
                "segments.min_k = {} must be at least 2 and at most segments.max_k ({})",
                self.segments.min_k, self.segments.max_k
            ));
        }
        if self.churn.min_window_days == 0
            || self.churn.min_window_days > self.churn.max_window_days
        {
            return Err(format!(
                "churn.min_window_days = {} must be at least 1 and at most churn.max_window_days ({})",
                self.churn.min_window_days, self.churn.max_window_days
            ));
        }
        if self.clv.horizon_years == 0 {
            return Err("clv.horizon_years = 0 must be at least 1".into());
        }
        self.actions.validate()?;
        self.drafts.validate()?;
        Ok(())
    }

    /// Keys of earlier versions whose meaning changed: one sentence saying what replaced them,
    /// rather than silently ignoring a setting the user relies on.
    fn reject_replaced_keys(&self) -> Result<(), String> {
        if let Some(days) = self.churn.horizon_days {
            return Err(format!(
                "churn.horizon_days = {} is no longer used: churn now looks ahead by each client's own rhythm \
                 (churn.window_intervals, churn.min_window_days, churn.max_window_days); remove the key",
                days
            ));
        }
        if let Some(p) = self.stages.at_risk_min_churn {
            return Err(format!(
                "stages.at_risk_min_churn = {} is no longer used: churn.at_risk_threshold alone decides who is at risk; remove the key",
                p
            ));
        }
        Ok(())
    }

    pub fn dimension_names(&self) -> Vec<&str> {
        self.feedback
            .dimensions
            .iter()
            .map(|d| d.name.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Stage;

    #[test]
    fn empty_text_is_the_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn example_file_matches_defaults() {
        let text = include_str!("../../config.example.toml");
        assert_eq!(Config::parse(text).unwrap(), Config::default());
    }

    #[test]
    fn replaced_keys_say_what_replaced_them() {
        let err = Config::parse("[churn]\nhorizon_days = 90\n").unwrap_err();
        assert!(
            err.starts_with("churn.horizon_days = 90 is no longer used")
                && err.contains("churn.window_intervals"),
            "{err}"
        );
        let err = Config::parse("[stages]\nat_risk_min_churn = 0.4\n").unwrap_err();
        assert!(
            err.starts_with("stages.at_risk_min_churn = 0.4 is no longer used")
                && err.contains("churn.at_risk_threshold"),
            "{err}"
        );
        let err = Config::parse("[churn]\nmin_window_days = 400\n").unwrap_err();
        assert!(err.contains("churn.min_window_days = 400"), "{err}");
        // Fixed day counts are still accepted for those who want them.
        let fixed =
            Config::parse("[stages]\nnew_max_tenure_days = 60\nchurned_min_recency_days = 365\n")
                .unwrap();
        assert_eq!(fixed.stages.churned_min_recency_days, Some(365));
    }

    #[test]
    fn unknown_key_and_wrong_type_name_the_key() {
        let err = Config::parse("[clv]\ndiscount = 0.2\n").unwrap_err();
        assert!(err.contains("discount"), "{err}");
        let err = Config::parse("[clv]\nhorizon_years = \"three\"\n").unwrap_err();
        assert!(
            err.contains("key 'clv.horizon_years'") && err.contains("line 2"),
            "{err}"
        );
        let err = Config::parse("currency = 5\n").unwrap_err();
        assert!(err.contains("key 'currency'"), "{err}");
    }

    #[test]
    fn stay_in_touch_cadences_are_read_and_bad_ones_named() {
        let ok = Config::parse(
            "[follow_ups.stay_in_touch]\nactive = \"every 8 weeks\"\nloyal = \"off\"\nfrom_rhythm = false\n",
        )
        .unwrap();
        let cadences = &ok.follow_ups.stay_in_touch;
        assert_eq!(
            cadences.cadence_for(Stage::Active).map(|e| e.to_text()),
            Some("8w".into())
        );
        assert_eq!(cadences.cadence_for(Stage::Loyal), None);
        assert!(!cadences.from_rhythm);
        // The defaults: Loyal clients every three months, or sooner on their rhythm.
        let defaults = Config::default().follow_ups.stay_in_touch;
        assert_eq!(
            defaults.cadence_for(Stage::Loyal).map(|e| e.to_text()),
            Some("3m".into())
        );
        assert_eq!(defaults.cadence_for(Stage::Active), None);
        assert!(defaults.from_rhythm);
        let err = Config::parse("[follow_ups.stay_in_touch]\nloyal = \"often\"\n").unwrap_err();
        assert_eq!(
            err,
            "follow_ups.stay_in_touch.loyal = \"often\" is not a cadence; use a duration such as \"60d\", \"8w\" or \"3m\", or \"off\""
        );
        let err = Config::parse("[follow_ups.stay_in_touch]\nat_risk = \"3d\"\n").unwrap_err();
        assert!(
            err.starts_with("follow_ups.stay_in_touch.at_risk = \"3d\" is too short"),
            "{err}"
        );
        let err = Config::parse("[follow_ups.stay_in_touch]\nvip = \"1m\"\n").unwrap_err();
        assert!(err.contains("vip") && err.contains("line 2"), "{err}");
        let err = Config::parse("[follow_ups.stay_in_touch]\nloyal = 90\n").unwrap_err();
        assert!(
            err.contains("key 'follow_ups.stay_in_touch.loyal'"),
            "{err}"
        );
    }

    #[test]
    fn holdback_share_is_checked_and_named() {
        let err = Config::parse("[actions]\nholdback_share = 0.7\n").unwrap_err();
        assert_eq!(
            err,
            "actions.holdback_share = 0.7 is out of range (0..=0.5)"
        );
        assert!(Config::parse("[actions]\nholdback_share = -0.1\n").is_err());
        let ok = Config::parse("[actions]\nholdback_share = 0.5\n").unwrap();
        assert_eq!(ok.actions.holdback_share, 0.5);
        let err = Config::parse("[actions]\noutcome_window_days = 0\n").unwrap_err();
        assert!(err.contains("actions.outcome_window_days = 0"), "{err}");
    }
}

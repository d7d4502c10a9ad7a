//! `[drafts]`: who drafts are from, how they leave (a sendmail-compatible command or a drafts
//! folder), and the templates chosen by a contact's stage and recommended action.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::domain::template;
use crate::domain::Stage;

/// The built-in templates, the same text as in config.example.toml (a test holds them equal).
const DEFAULT_TEMPLATES: &str = include_str!("drafts.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DraftsConfig {
    /// `Me <me@example.com>`; unset: the first of `mail.me`, else $EMAIL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// A sendmail-compatible command (`msmtp`, `msmtp -a work`), run through the shell with
    /// `-i -f FROM -- RECIPIENTS` appended and the message on standard input. Unset: drafts are
    /// saved into `folder` instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sendmail: Option<String>,
    /// Where unsent drafts go as `.eml` files (`~/` is the home folder); unset: `drafts` beside
    /// the database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder: Option<PathBuf>,
    /// Setting any template replaces the built-in set.
    pub templates: BTreeMap<String, DraftTemplate>,
}

/// One template: used for contacts in `stage` (any when unset) drafted for `action` (any when
/// unset); the most specific fitting template wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftTemplate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    pub subject: String,
    pub body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    drafts: TemplateSection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateSection {
    templates: BTreeMap<String, DraftTemplate>,
}

/// Parsed once: `Config::default()` is called often.
pub fn default_templates() -> &'static BTreeMap<String, DraftTemplate> {
    static TEMPLATES: OnceLock<BTreeMap<String, DraftTemplate>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        toml::from_str::<TemplateFile>(DEFAULT_TEMPLATES)
            .expect("the built-in draft templates parse")
            .drafts
            .templates
    })
}

impl Default for DraftsConfig {
    fn default() -> Self {
        DraftsConfig {
            from: None,
            sendmail: None,
            folder: None,
            templates: default_templates().clone(),
        }
    }
}

impl DraftTemplate {
    fn stage(&self) -> Option<Stage> {
        self.stage.as_deref().and_then(Stage::from_key)
    }

    fn fits(&self, stage: Stage, action: Option<&str>) -> bool {
        let stage_fits = self.stage.is_none() || self.stage() == Some(stage);
        let action_fits = match (&self.action, action) {
            (None, _) => true,
            (Some(wanted), Some(action)) => wanted.eq_ignore_ascii_case(action),
            (Some(_), None) => false,
        };
        stage_fits && action_fits
    }

    /// An action match counts for more than a stage match: `--action` asks for that message.
    fn specificity(&self) -> u8 {
        2 * u8::from(self.action.is_some()) + u8::from(self.stage.is_some())
    }
}

impl DraftsConfig {
    /// The template for a contact in `stage` drafted for `action`: the most specific that fits.
    pub fn template_for(
        &self,
        stage: Stage,
        action: Option<&str>,
    ) -> Option<(&str, &DraftTemplate)> {
        self.templates
            .iter()
            .filter(|(_, t)| t.fits(stage, action))
            .max_by_key(|(_, t)| t.specificity())
            .map(|(name, t)| (name.as_str(), t))
    }

    /// Actions named by a template, for `--action` beside the stages' actions.
    pub fn template_actions(&self) -> impl Iterator<Item = &str> {
        self.templates.values().filter_map(|t| t.action.as_deref())
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        if let Some(from) = &self.from {
            if !from.contains('@') {
                return Err(format!(
                    "drafts.from = \"{from}\" is not an address; write it as \"Your Name <you@example.com>\""
                ));
            }
        }
        if self
            .sendmail
            .as_deref()
            .is_some_and(|c| c.trim().is_empty())
        {
            return Err("drafts.sendmail is empty; name a command such as \"msmtp\", or remove the key to save drafts into a folder".into());
        }
        let mut selectors: BTreeMap<(Option<Stage>, Option<String>), &str> = BTreeMap::new();
        for (name, t) in &self.templates {
            let key = format!("drafts.templates.{name}");
            if let Some(stage) = &t.stage {
                if t.stage().is_none() {
                    return Err(format!(
                        "{key}.stage = \"{stage}\" is not a stage; use lead, new, active, loyal, at_risk or churned"
                    ));
                }
            }
            if t.subject.contains(['\n', '\r']) {
                return Err(format!(
                    "{key}.subject holds a line break; a subject is one line"
                ));
            }
            for (field, text) in [("subject", &t.subject), ("body", &t.body)] {
                template::check(text).map_err(|e| format!("{key}.{field} {e}"))?;
            }
            let selector = (t.stage(), t.action.as_ref().map(|a| a.to_lowercase()));
            if let Some(other) = selectors.insert(selector, name.as_str()) {
                return Err(format!(
                    "drafts.templates.{other} and {key} are chosen for the same stage and action; give one of them another stage or action"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_most_specific_template_wins() {
        let drafts = Config::default().drafts;
        let (name, _) = drafts
            .template_for(Stage::AtRisk, Some("win-back call"))
            .unwrap();
        assert_eq!(name, "win_back_call");
        // A held-back or unknown action falls back to the stage's own template.
        let (name, _) = drafts.template_for(Stage::AtRisk, None).unwrap();
        assert_eq!(name, "at_risk");
        let (name, _) = drafts
            .template_for(Stage::Loyal, Some("Exit survey"))
            .unwrap();
        assert_eq!(name, "exit_survey", "an action's template fits any stage");
    }

    #[test]
    fn every_stage_and_default_action_has_a_template() {
        let config = Config::default();
        for stage in Stage::ALL {
            assert!(config.drafts.template_for(stage, None).is_some(), "{stage}");
            for action in config.actions.for_stage(stage) {
                let (_, t) = config.drafts.template_for(stage, Some(action)).unwrap();
                assert_eq!(t.action.as_deref(), Some(action.as_str()));
            }
        }
    }

    #[test]
    fn bad_templates_are_named() {
        let err =
            Config::parse("[drafts.templates.hello]\nsubject = \"Hi {firstname}\"\nbody = \"x\"\n")
                .unwrap_err();
        assert!(
            err.starts_with(
                "drafts.templates.hello.subject uses the unknown placeholder {firstname}"
            ),
            "{err}"
        );
        let err =
            Config::parse("[drafts.templates.a]\nstage = \"vip\"\nsubject = \"s\"\nbody = \"b\"\n")
                .unwrap_err();
        assert!(
            err.starts_with("drafts.templates.a.stage = \"vip\""),
            "{err}"
        );
        let err = Config::parse(
            "[drafts.templates.a]\nsubject = \"s\"\nbody = \"b\"\n[drafts.templates.b]\nsubject = \"t\"\nbody = \"c\"\n",
        )
        .unwrap_err();
        assert!(
            err.contains("drafts.templates.a and drafts.templates.b"),
            "{err}"
        );
        let err = Config::parse("[drafts]\nfrom = \"me\"\n").unwrap_err();
        assert!(err.starts_with("drafts.from = \"me\""), "{err}");
    }

    #[test]
    fn own_templates_replace_the_built_in_ones() {
        let config = Config::parse(
            "[drafts.templates.only]\nstage = \"new\"\nsubject = \"s\"\nbody = \"b\"\n",
        )
        .unwrap();
        assert_eq!(config.drafts.templates.len(), 1);
        assert!(config.drafts.template_for(Stage::Lead, None).is_none());
    }
}

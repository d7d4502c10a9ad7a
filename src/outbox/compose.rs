//! A draft for one contact: the template for their stage and action, filled from their record
//! and scores, as the text the editor opens.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail};
use chrono::NaiveDate;
use lettre::message::Mailbox;

use super::message;
use crate::config::Config;
use crate::domain::scores::percent;
use crate::domain::template::{self, first_name};
use crate::domain::text::printable;
use crate::domain::{Contact, InteractionKind, Scores, Stage};
use crate::store::{InteractionFilter, ShownActions, Store};

/// A filled template, ready for the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub contact_id: i64,
    pub contact_name: String,
    /// The template's name in `[drafts.templates]`.
    pub template: String,
    pub action: Option<String>,
    /// Headers (From, To, Subject) and body, as the editor shows them.
    pub text: String,
}

/// Fills the template for `contact`: for `action` when given (it must be a configured action
/// or one a template names), else for their recommended action (none when it is held back).
pub fn prepare(
    store: &Store,
    config: &Config,
    today: NaiveDate,
    contact: &Contact,
    action: Option<&str>,
) -> anyhow::Result<Draft> {
    let name = printable(&contact.name).into_owned();
    let Some(email) = contact.email.as_deref().filter(|e| !e.trim().is_empty()) else {
        bail!("{name} has no email address; add one with `rapport edit` --email");
    };
    let to = Mailbox::new(
        Some(one_line(&contact.name)),
        email.trim().parse().map_err(|_| {
            anyhow!(
                "{name}'s email '{}' is not an address mail can go to",
                printable(email)
            )
        })?,
    );
    let from = message::sender(config)?;
    let scores = store.scores(contact.id)?;
    let stage = scores.as_ref().map_or(Stage::Lead, |s| s.stage);
    let action = match action {
        Some(asked) => Some(known_action(config, asked)?),
        None => recommended(store, config, today, contact.id, stage, scores.as_ref())?,
    };
    let (template_name, chosen) = config
        .drafts
        .template_for(stage, action.as_deref())
        .ok_or_else(|| {
            anyhow!(
                "no draft template fits {name} (stage {stage}{}); add one under [drafts.templates] (see docs/drafts.md)",
                action.as_ref().map_or(String::new(), |a| format!(", action '{a}'"))
            )
        })?;
    let values = values(
        store,
        today,
        contact,
        &from,
        stage,
        action.as_deref(),
        scores.as_ref(),
    )?;
    let fill = |field: &str, text: &str| {
        template::render(text, &values)
            .map_err(|e| anyhow!("drafts.templates.{template_name}.{field} {e} ({name})"))
    };
    let subject = fill("subject", &chosen.subject)?;
    let body = fill("body", &chosen.body)?;
    if let Some(action) = &action {
        // Drafting an action shows it (once the draft exists): the ledger can then tell whether it worked.
        store.record_shown(
            today,
            &[ShownActions {
                contact: contact.id,
                stage,
                actions: vec![action.clone()],
                max: 1,
            }],
        )?;
    }
    Ok(Draft {
        contact_id: contact.id,
        contact_name: contact.name.clone(),
        template: template_name.to_string(),
        action,
        text: message::editable(&from, &to, &subject, &body),
    })
}

/// `--action` as configured (its spelling), case folded; anything else is a typo.
fn known_action(config: &Config, asked: &str) -> anyhow::Result<String> {
    let stage_actions = Stage::ALL
        .into_iter()
        .flat_map(|s| config.actions.for_stage(s).iter().map(String::as_str));
    let mut known: Vec<&str> = Vec::new();
    for action in stage_actions.chain(config.drafts.template_actions()) {
        if !known.contains(&action) {
            known.push(action);
        }
    }
    known
        .iter()
        .find(|k| k.eq_ignore_ascii_case(asked.trim()))
        .map(|k| k.to_string())
        .ok_or_else(|| {
            anyhow!(
                "action '{}' is neither a configured action nor named by a draft template; try one of: {}",
                printable(asked),
                known.join(", ")
            )
        })
}

/// The first of the contact's actions that is not held back.
fn recommended(
    store: &Store,
    config: &Config,
    today: NaiveDate,
    contact: i64,
    stage: Stage,
    scores: Option<&Scores>,
) -> anyhow::Result<Option<String>> {
    let actions = match scores {
        Some(s) => s.actions.clone(),
        None => config.actions.for_stage(stage).to_vec(),
    };
    Ok(store
        .shown_actions(today, contact, &actions)?
        .into_iter()
        .next())
}

/// Every placeholder's value for this contact; a value it does not have is left out.
fn values(
    store: &Store,
    today: NaiveDate,
    contact: &Contact,
    from: &Mailbox,
    stage: Stage,
    action: Option<&str>,
    scores: Option<&Scores>,
) -> anyhow::Result<BTreeMap<&'static str, String>> {
    let last = store
        .list_interactions(&InteractionFilter {
            contact: Some(contact.id),
            kind: Some(InteractionKind::Purchase),
            limit: Some(1),
            ..Default::default()
        })?
        .into_iter()
        .next()
        .map(|row| row.interaction);
    let name = one_line(&contact.name);
    let mut values = BTreeMap::from([
        ("first_name", first_name(&name).to_string()),
        ("name", name.clone()),
        ("stage", stage.label().to_string()),
        (
            "my_name",
            from.name.clone().unwrap_or_else(|| from.email.to_string()),
        ),
    ]);
    let optional = [
        ("company", contact.company.clone()),
        ("action", action.map(str::to_string)),
        ("last_service", last.as_ref().and_then(|p| p.item.clone())),
        (
            "last_purchase",
            last.as_ref().map(|p| p.occurred_at.date().to_string()),
        ),
        (
            "days_since",
            last.as_ref()
                .map(|p| (today - p.occurred_at.date()).num_days().max(0).to_string()),
        ),
        ("next_offer", scores.and_then(|s| s.next_offer.clone())),
        (
            "satisfaction",
            scores.and_then(|s| s.satisfaction).map(percent),
        ),
    ];
    for (key, value) in optional {
        if let Some(value) = value.map(|v| one_line(&v)).filter(|v| !v.is_empty()) {
            values.insert(key, value);
        }
    }
    Ok(values)
}

/// Values go into headers (a name into To, any of them into the Subject), where a line break
/// would end the header (and makes lettre's formatting fail): control characters become spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn values_are_one_line() {
        assert_eq!(one_line(" Eve\n\rEvil\u{1b}[2J "), "Eve Evil [2J");
        assert_eq!(one_line("Zoë Ångström"), "Zoë Ångström");
    }
}

//! Follow-ups: something to do for one contact by a date — a call to plan, a promise made in a
//! meeting — optionally recurring. Done ones are kept as history.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::contact::ContactId;
use super::due::{parse_every, Due, Every};
use super::interaction::{InteractionKind, NewInteraction};

pub type FollowUpId = i64;

/// Where a follow-up came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FollowUpSource {
    /// Typed by the user.
    Manual,
    /// A stay-in-touch cadence.
    Cadence,
    /// An automation rule (a stage change).
    Rule,
}

impl FollowUpSource {
    pub fn key(self) -> &'static str {
        match self {
            FollowUpSource::Manual => "manual",
            FollowUpSource::Cadence => "cadence",
            FollowUpSource::Rule => "rule",
        }
    }

    pub fn from_key(key: &str) -> Option<FollowUpSource> {
        [
            FollowUpSource::Manual,
            FollowUpSource::Cadence,
            FollowUpSource::Rule,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub contact_id: ContactId,
    pub text: String,
    pub due: Due,
    pub every: Option<Every>,
    pub source: FollowUpSource,
    pub created_at: NaiveDateTime,
    /// None while open.
    pub done_at: Option<NaiveDateTime>,
    /// When it was last put off, if ever.
    pub snoozed_at: Option<NaiveDateTime>,
}

impl FollowUp {
    pub fn is_open(&self) -> bool {
        self.done_at.is_none()
    }

    /// The entry that records doing it: a `kind` touch with the contact at `at`, summarised by
    /// `summary` or else by the follow-up's own text.
    pub fn done_by(
        &self,
        kind: InteractionKind,
        summary: &str,
        at: NaiveDateTime,
    ) -> NewInteraction {
        let summary = Some(summary.trim())
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.text);
        NewInteraction {
            contact_id: self.contact_id,
            kind,
            occurred_at: at,
            summary: Some(summary.to_string()),
            amount: None,
            item: None,
            ratings: Vec::new(),
        }
    }
}

/// `call about the renewal (due 2026-12-04, every 1m)`, as confirmations say it.
pub fn plan_text(text: &str, due: Due, every: Option<Every>) -> String {
    let repeat = every.map_or(String::new(), |e| format!(", every {}", e.to_text()));
    format!(
        "{} (due {}{})",
        super::text::printable(text.trim()),
        due,
        repeat
    )
}

/// `Done: follow-up 12 (send the quote); logged a call; next due 2026-12-24.`
pub fn done_text(
    follow_up: &FollowUp,
    logged: Option<InteractionKind>,
    next: Option<Due>,
) -> String {
    let mut what = format!(
        "Done: follow-up {} ({})",
        follow_up.id,
        super::text::printable(&follow_up.text)
    );
    if let Some(kind) = logged {
        what.push_str(&format!("; logged a {}", kind));
    }
    if let Some(next) = next {
        what.push_str(&format!("; next due {}", next));
    }
    what.push('.');
    what
}

/// The kinds of entry a follow-up can be done by: `call`, `email`, `meeting` or `note`.
pub fn parse_touch_kind(text: &str) -> Result<InteractionKind, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "call" => Ok(InteractionKind::Call),
        "email" => Ok(InteractionKind::Email),
        "meeting" => Ok(InteractionKind::Meeting),
        "note" => Ok(InteractionKind::Note),
        other => Err(format!(
            "'{}' is not a kind of touch; use call, email, meeting or note",
            super::text::printable(other)
        )),
    }
}

/// A recurrence as typed when editing: `off` or `none` stops it, else a duration (`2w`, `1m`).
pub fn parse_every_or_off(text: &str) -> Result<Option<Every>, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("off") || text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    parse_every(text).map(Some)
}

/// A follow-up before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFollowUp {
    pub contact_id: ContactId,
    pub text: String,
    pub due: Due,
    pub every: Option<Every>,
    pub source: FollowUpSource,
    pub created_at: NaiveDateTime,
}

//! Follow-ups: something to do for one contact by a date — a call to plan, a promise made in a
//! meeting — optionally recurring. Done ones are kept as history.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::contact::ContactId;
use super::due::{Due, Every};

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

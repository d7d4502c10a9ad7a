//! Everything that happens with a contact: calls, emails, meetings, notes, purchases, feedback.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::contact::ContactId;

pub type InteractionId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum InteractionKind {
    Call,
    Email,
    Meeting,
    Note,
    Purchase,
    Feedback,
}

impl InteractionKind {
    pub const ALL: [InteractionKind; 6] = [
        InteractionKind::Call,
        InteractionKind::Email,
        InteractionKind::Meeting,
        InteractionKind::Note,
        InteractionKind::Purchase,
        InteractionKind::Feedback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InteractionKind::Call => "call",
            InteractionKind::Email => "email",
            InteractionKind::Meeting => "meeting",
            InteractionKind::Note => "note",
            InteractionKind::Purchase => "purchase",
            InteractionKind::Feedback => "feedback",
        }
    }
}

impl std::fmt::Display for InteractionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for InteractionKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // No lowered copy: every stored row's kind passes through here when histories are read.
        let name = s.trim();
        InteractionKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                format!(
                    "kind '{}' is not one of call, email, meeting, note, purchase, feedback",
                    s
                )
            })
    }
}

/// One star rating on a configured feedback dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub dimension: String,
    pub stars: u8,
}

/// An interaction as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: InteractionId,
    pub contact_id: ContactId,
    pub kind: InteractionKind,
    pub occurred_at: NaiveDateTime,
    pub summary: Option<String>,
    /// Purchases only: minor units.
    pub amount: Option<i64>,
    pub item: Option<String>,
    /// Feedback only.
    pub ratings: Vec<Rating>,
}

/// An interaction about to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInteraction {
    pub contact_id: ContactId,
    pub kind: InteractionKind,
    pub occurred_at: NaiveDateTime,
    pub summary: Option<String>,
    pub amount: Option<i64>,
    pub item: Option<String>,
    pub ratings: Vec<Rating>,
}

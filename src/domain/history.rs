//! A contact's history in the plain shape the scoring engine reads: no SQL, no terminal.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::contact::ContactId;
use super::interaction::{InteractionKind, Rating};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseEvent {
    pub date: NaiveDate,
    /// Minor units.
    pub amount: i64,
    pub item: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackEvent {
    pub date: NaiveDate,
    pub ratings: Vec<Rating>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchEvent {
    pub date: NaiveDate,
    /// Call, email, meeting or note.
    pub kind: InteractionKind,
}

/// Everything about one contact that scores depend on, each list in date order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ContactHistory {
    pub contact_id: ContactId,
    pub created_on: Option<NaiveDate>,
    pub purchases: Vec<PurchaseEvent>,
    pub feedback: Vec<FeedbackEvent>,
    pub touches: Vec<TouchEvent>,
    /// When each contact naming this one as `referred_by` was added, in date order: a referral
    /// counts from that day on, so scores as of an earlier date do not see it.
    pub referrals: Vec<NaiveDate>,
}

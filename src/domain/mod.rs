//! Plain types of the CRM: no terminal, no SQL.

pub mod cadence;
pub mod card;
pub mod contact;
pub mod dates;
pub mod due;
pub mod every;
pub mod follow_up;
pub mod history;
pub mod interaction;
pub mod money;
pub mod period;
pub mod scores;
pub mod template;
pub mod text;

pub use cadence::{Cadence, CadenceSource, OwnCadence};
pub use contact::{Contact, ContactFields, ContactId};
pub use due::{Due, Every};
pub use follow_up::{FollowUp, FollowUpId, FollowUpSource, NewFollowUp};
pub use history::{ContactHistory, FeedbackEvent, PurchaseEvent, TouchEvent};
pub use interaction::{Interaction, InteractionId, InteractionKind, NewInteraction, Rating};
pub use scores::{ChurnSource, Reason, ScoreChange, ScorePoint, Scores, Stage};

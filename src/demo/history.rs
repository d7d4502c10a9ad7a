//! Demo contacts in the shape the scoring engine reads, the same way the store would hand them
//! over (contact ids are index + 1), for tests, benches and the model evaluation.

use crate::domain::{
    ContactHistory, ContactId, FeedbackEvent, InteractionKind, PurchaseEvent, TouchEvent,
};

use super::{DemoContact, DemoInteraction};

/// The purchases among `interactions`, in their order; a missing amount is zero.
pub fn purchases_of(interactions: &[DemoInteraction]) -> Vec<PurchaseEvent> {
    interactions
        .iter()
        .filter(|i| i.kind == InteractionKind::Purchase)
        .map(|i| PurchaseEvent {
            date: i.occurred_at.date(),
            amount: i.amount.unwrap_or(0),
            item: i.item.clone(),
        })
        .collect()
}

/// One contact's history under `id`, without referrals (see [`histories`]).
pub fn history_of(contact: &DemoContact, id: ContactId) -> ContactHistory {
    let mut h = ContactHistory {
        contact_id: id,
        created_on: Some(contact.created_at.date()),
        purchases: purchases_of(&contact.interactions),
        ..Default::default()
    };
    for i in &contact.interactions {
        let date = i.occurred_at.date();
        match i.kind {
            InteractionKind::Purchase => {}
            InteractionKind::Feedback => h.feedback.push(FeedbackEvent {
                date,
                ratings: i.ratings.clone(),
            }),
            kind => h.touches.push(TouchEvent { date, kind }),
        }
    }
    h
}

/// Every contact's history, contact `i` under id `i + 1`, with the referrals each one made.
pub fn histories(contacts: &[DemoContact]) -> Vec<ContactHistory> {
    let mut out: Vec<ContactHistory> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| history_of(c, i as ContactId + 1))
        .collect();
    for c in contacts {
        if let Some(h) = c.referred_by_index.and_then(|r| out.get_mut(r)) {
            h.referrals.push(c.created_at.date());
        }
    }
    out.iter_mut().for_each(|h| h.referrals.sort_unstable());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoSpec};
    use chrono::NaiveDate;

    #[test]
    fn histories_keep_every_interaction_and_count_referrals() {
        let spec = DemoSpec {
            contacts: 300,
            seed: 3,
            today: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            dimensions: vec!["quality".into()],
        };
        let contacts: Vec<DemoContact> = generate(&spec).collect();
        let hs = histories(&contacts);
        for (c, h) in contacts.iter().zip(&hs) {
            let events = h.purchases.len() + h.feedback.len() + h.touches.len();
            assert_eq!(events, c.interactions.len());
            assert!(h.purchases.windows(2).all(|w| w[0].date <= w[1].date));
        }
        let referred = contacts
            .iter()
            .filter(|c| c.referred_by_index.is_some())
            .count();
        assert!(referred > 0);
        assert_eq!(
            hs.iter().map(|h| h.referrals.len()).sum::<usize>(),
            referred
        );
    }
}

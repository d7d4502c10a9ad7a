//! Logging a purchase today must never make a client look likelier to leave: the fitted churn
//! model's columns are sign-constrained for exactly this (see scoring::churn::EXPECTED_SIGNS).

use chrono::NaiveDate;
use rapport::config::Config;
use rapport::demo::{generate, DemoSpec};
use rapport::domain::{ChurnSource, ContactHistory, InteractionKind, PurchaseEvent, TouchEvent};
use rapport::scoring::{fit, score};

fn history(index: usize, contact: rapport::demo::DemoContact) -> ContactHistory {
    let mut h = ContactHistory {
        contact_id: index as i64 + 1,
        created_on: Some(contact.created_at.date()),
        ..Default::default()
    };
    for i in contact.interactions {
        let date = i.occurred_at.date();
        match i.kind {
            InteractionKind::Purchase => h.purchases.push(PurchaseEvent {
                date,
                amount: i.amount.unwrap_or(0),
                item: i.item,
            }),
            InteractionKind::Feedback => h.feedback.push(rapport::domain::FeedbackEvent {
                date,
                ratings: i.ratings,
            }),
            kind => h.touches.push(TouchEvent { date, kind }),
        }
    }
    h
}

#[test]
fn a_purchase_today_never_raises_churn() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let config = Config::default();
    let spec = DemoSpec {
        contacts: 400,
        seed: 11,
        today,
        dimensions: vec!["quality".into(), "price".into(), "service".into()],
    };
    let histories: Vec<ContactHistory> = generate(&spec)
        .enumerate()
        .map(|(i, c)| history(i, c))
        .collect();
    let models = fit(&histories, today, &config);
    assert_eq!(
        models.quality.churn_source,
        ChurnSource::Model,
        "the demo has enough history for a fitted model"
    );
    let mut checked = 0;
    for h in histories.iter().filter(|h| !h.purchases.is_empty()) {
        let before = score(h, &models, today, &config);
        let mut after_purchase = h.clone();
        after_purchase.purchases.push(PurchaseEvent {
            date: today,
            amount: 50_000,
            item: Some("Website redesign".into()),
        });
        let after = score(&after_purchase, &models, today, &config);
        let (before, after) = (
            before
                .churn_probability
                .expect("a buyer has a churn figure"),
            after.churn_probability.expect("a buyer has a churn figure"),
        );
        assert!(
            after <= before + 1e-12,
            "contact {}: churn {} → {} after a purchase today",
            h.contact_id,
            before,
            after
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} buyers checked");
}

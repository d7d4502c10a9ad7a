//! Incremental scoring equals a full re-score: after random purchases and feedback entries, the
//! changed contact scored alone with stored (JSON round-tripped) models gives exactly what a full
//! re-score of everyone with those models gives, and what the in-memory models give.

#[path = "scoring_support.rs"]
mod support;

use std::sync::OnceLock;

use chrono::Duration;
use proptest::prelude::*;
use rapport::config::Config;
use rapport::domain::{ContactHistory, FeedbackEvent, PurchaseEvent, Rating};
use rapport::scoring::{fit, score, score_all, Models};
use support::{client_base, today, FAMILIES};

fn base() -> &'static (Vec<ContactHistory>, Models, String) {
    static BASE: OnceLock<(Vec<ContactHistory>, Models, String)> = OnceLock::new();
    BASE.get_or_init(|| {
        let histories = client_base(300, 42);
        let models = fit(&histories, today(), &Config::default());
        assert_eq!(
            models.quality.churn_source,
            rapport::domain::ChurnSource::Model
        );
        let json = models.to_json();
        (histories, models, json)
    })
}

#[derive(Debug, Clone)]
enum Event {
    Purchase {
        contact: usize,
        days_ago: i64,
        amount: i64,
        item: usize,
    },
    Feedback {
        contact: usize,
        days_ago: i64,
        stars: Vec<Option<u8>>,
    },
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (0usize..5, 0i64..400, 0i64..200_000, 0usize..13).prop_map(
            |(contact, days_ago, amount, item)| Event::Purchase {
                contact,
                days_ago,
                amount,
                item
            }
        ),
        (
            0usize..5,
            0i64..400,
            prop::collection::vec(prop::option::of(1u8..=5), 3)
        )
            .prop_map(|(contact, days_ago, stars)| Event::Feedback {
                contact,
                days_ago,
                stars
            }),
    ]
}

/// Applies an event as the store would: appended in date order. Returns the changed contact.
fn apply(histories: &mut [ContactHistory], e: &Event) -> usize {
    match e {
        Event::Purchase {
            contact,
            days_ago,
            amount,
            item,
        } => {
            let name = FAMILIES.iter().flatten().nth(*item).map(|s| s.to_string());
            let p = PurchaseEvent {
                date: today() - Duration::days(*days_ago),
                amount: *amount,
                item: name,
            };
            let h = &mut histories[*contact];
            let at = h.purchases.partition_point(|q| q.date <= p.date);
            h.purchases.insert(at, p);
            *contact
        }
        Event::Feedback {
            contact,
            days_ago,
            stars,
        } => {
            let ratings = ["quality", "price", "service"]
                .iter()
                .zip(stars)
                .filter_map(|(d, s)| {
                    s.map(|stars| Rating {
                        dimension: d.to_string(),
                        stars,
                    })
                })
                .collect();
            let f = FeedbackEvent {
                date: today() - Duration::days(*days_ago),
                ratings,
            };
            let h = &mut histories[*contact];
            let at = h.feedback.partition_point(|q| q.date <= f.date);
            h.feedback.insert(at, f);
            *contact
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn incremental_equals_full_rescore(events in prop::collection::vec(event(), 1..12), leads in 0usize..3) {
        let cfg = Config::default();
        let (base, in_memory, json) = base();
        let stored = Models::from_json(json).unwrap();
        // A few clients of the base, plus leads that may buy for the first time.
        let mut histories: Vec<ContactHistory> = base[..5 - leads].to_vec();
        histories.extend((0..leads).map(|i| ContactHistory { contact_id: 10_000 + i as i64, ..Default::default() }));
        for e in &events {
            let changed = apply(&mut histories, e);
            let incremental = score(&histories[changed], &stored, today(), &cfg);
            let full = score_all(&histories, &stored, today(), &cfg);
            prop_assert_eq!(&incremental, &full[changed]);
            prop_assert_eq!(&incremental, &score(&histories[changed], in_memory, today(), &cfg));
        }
    }
}

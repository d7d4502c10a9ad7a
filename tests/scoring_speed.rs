//! Speed budgets. Scoring one contact is checked in every build; the full fit over 10,000 contacts
//! and ~1,000,000 events is measured in release:
//! `cargo test --release --test scoring_speed -- --ignored --nocapture`.

#[path = "scoring_support.rs"]
mod support;

use std::time::Instant;

use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport::config::Config;
use rapport::domain::{ContactHistory, InteractionKind, TouchEvent};
use rapport::scoring::{fit, score};
use support::{buy, client_base, today, FAMILIES};

/// `n` contacts with about `events` events each, spread over three years before today.
fn dense_base(n: usize, events: usize, seed: u64) -> Vec<ContactHistory> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let count = rng.gen_range(events / 2..=events * 3 / 2);
            let mut days: Vec<i64> = (0..count).map(|_| rng.gen_range(0..3 * 365)).collect();
            days.sort_unstable_by(|a, b| b.cmp(a));
            let family = FAMILIES[i % FAMILIES.len()];
            let mut h = ContactHistory {
                contact_id: i as i64 + 1,
                ..Default::default()
            };
            for (k, d) in days.into_iter().enumerate() {
                let date = today() - Duration::days(d);
                if k % 5 == 4 {
                    h.touches.push(TouchEvent {
                        date,
                        kind: InteractionKind::Email,
                    });
                } else {
                    h.purchases.push(buy(
                        date,
                        rng.gen_range(100..50_000),
                        family[rng.gen_range(0..4)],
                    ));
                }
            }
            h
        })
        .collect()
}

#[test]
fn scoring_one_contact_is_well_under_a_millisecond() {
    let cfg = Config::default();
    let models = fit(&client_base(400, 1), today(), &cfg);
    let contacts = dense_base(200, 100, 2);
    let start = Instant::now();
    for h in &contacts {
        std::hint::black_box(score(h, &models, today(), &cfg));
    }
    let each = start.elapsed() / contacts.len() as u32;
    // Even unoptimised builds must stay under 1 ms; release is far below.
    assert!(each.as_micros() < 1_000, "{each:?} per contact");
    println!("score: {each:?} per contact with ~100 events");
}

#[test]
#[ignore = "release-only timing: run with --release -- --ignored"]
fn fit_ten_thousand_contacts_with_a_million_events() {
    let cfg = Config::default();
    let contacts = dense_base(10_000, 100, 3);
    let events: usize = contacts
        .iter()
        .map(|h| h.purchases.len() + h.touches.len())
        .sum();
    let start = Instant::now();
    let models = fit(&contacts, today(), &cfg);
    let took = start.elapsed();
    println!(
        "fit: {took:?} for {} contacts, {events} events, k = {}",
        contacts.len(),
        models.quality.k
    );
    assert!(events > 900_000);
    if !cfg!(debug_assertions) {
        assert!(took.as_secs_f64() < 2.0, "fit took {took:?}");
    }
}

//! Seeded synthetic client bases for the scoring tests ("buy till you die": every client buys at
//! their own rhythm and may silently stop after any purchase). Included by the scoring_* tests via
//! `#[path]`; as a test target of its own it only checks that the generator is deterministic.
#![allow(dead_code)]

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport::domain::{
    ContactHistory, FeedbackEvent, InteractionKind, PurchaseEvent, Rating, TouchEvent,
};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The "today" of every synthetic base.
pub fn today() -> NaiveDate {
    date(2026, 6, 30)
}

pub const FAMILIES: [[&str; 4]; 3] = [
    [
        "Website redesign",
        "Landing page",
        "SEO audit",
        "Hosting setup",
    ],
    [
        "Logo design",
        "Brand book",
        "Business cards",
        "Social media kit",
    ],
    ["Blog article", "Newsletter", "Case study", "Product copy"],
];

pub fn buy(d: NaiveDate, amount: i64, item: &str) -> PurchaseEvent {
    PurchaseEvent {
        date: d,
        amount,
        item: Some(item.to_string()),
    }
}

/// `n` clients whose events run from three years before `today()` to one year after it, so
/// tests can score as of today and then look at what really happened next.
pub fn client_base(n: usize, seed: u64) -> Vec<ContactHistory> {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = today() - Duration::days(3 * 365);
    let end = today() + Duration::days(365);
    (0..n)
        .map(|i| client(i as i64 + 1, start, end, &mut rng))
        .collect()
}

fn client(id: i64, start: NaiveDate, end: NaiveDate, rng: &mut StdRng) -> ContactHistory {
    // Rhythm: log-uniform mean gap between 7 and 240 days; chance to stop after each purchase.
    let mean_gap = (rng.gen_range(7f64.ln()..240f64.ln())).exp();
    let stop = if rng.gen_bool(0.4) {
        rng.gen_range(0.4..0.9)
    } else {
        rng.gen_range(0.02..0.25)
    };
    let basket = rng.gen_range(2_000.0..60_000.0); // minor units
    let family = rng.gen_range(0..FAMILIES.len());
    let mut day = start + Duration::days(rng.gen_range(0..(end - start).num_days() - 200));
    let mut h = ContactHistory {
        contact_id: id,
        created_on: Some(day),
        ..Default::default()
    };
    let unhappy = stop > 0.4 && rng.gen_bool(0.5);
    while day <= end {
        let fam = if rng.gen_bool(0.85) {
            family
        } else {
            rng.gen_range(0..FAMILIES.len())
        };
        let item = FAMILIES[fam][rng.gen_range(0..4)];
        let amount = (basket * rng.gen_range(0.5..1.5)) as i64;
        h.purchases.push(buy(day, amount, item));
        if rng.gen_bool(0.15) {
            let stars = if unhappy {
                rng.gen_range(1..=3)
            } else {
                rng.gen_range(3..=5)
            };
            let ratings = ["quality", "price", "service"]
                .iter()
                .map(|d| Rating {
                    dimension: d.to_string(),
                    stars,
                })
                .collect();
            h.feedback.push(FeedbackEvent {
                date: day + Duration::days(3),
                ratings,
            });
        }
        if rng.gen_bool(0.3) {
            let kind = [
                InteractionKind::Call,
                InteractionKind::Email,
                InteractionKind::Meeting,
            ][rng.gen_range(0..3)];
            h.touches.push(TouchEvent {
                date: day + Duration::days(rng.gen_range(1..20)),
                kind,
            });
        }
        if rng.gen_bool(stop) {
            break;
        }
        let gap = (-mean_gap * (1.0 - rng.gen::<f64>()).ln()).ceil().max(1.0);
        day += Duration::days(gap as i64);
    }
    h.feedback.sort_by_key(|f| f.date);
    h.touches.sort_by_key(|t| t.date);
    if rng.gen_bool(0.1) {
        h.referrals.push(h.created_on.unwrap_or(start));
    }
    h
}

/// Revenue (minor units) in (from, to].
pub fn revenue_between(h: &ContactHistory, from: NaiveDate, to: NaiveDate) -> i64 {
    h.purchases
        .iter()
        .filter(|p| p.date > from && p.date <= to)
        .map(|p| p.amount)
        .sum()
}

#[test]
fn generator_is_deterministic_and_varied() {
    let a = client_base(200, 7);
    assert_eq!(a, client_base(200, 7));
    let one_time = a.iter().filter(|h| h.purchases.len() == 1).count();
    assert!(one_time > 20 && one_time < 150, "{one_time}");
}

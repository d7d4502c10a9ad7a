//! Recommendations: item-based collaborative filtering and similar clients.

#[path = "scoring_support.rs"]
mod support;

use chrono::Duration;
use rapport::config::Config;
use rapport::domain::ContactHistory;
use rapport::scoring::{fit, score, similar_clients};
use support::{buy, client_base, today, FAMILIES};

fn client(id: i64, items: &[&str]) -> ContactHistory {
    let t = today() - Duration::days(10);
    ContactHistory {
        contact_id: id,
        purchases: items.iter().map(|i| buy(t, 1_000, i)).collect(),
        ..Default::default()
    }
}

#[test]
fn next_offer_comes_from_what_similar_buyers_bought() {
    let cfg = Config::default();
    let models = fit(&client_base(600, 2), today(), &cfg);
    let web = FAMILIES[0];
    let s = score(&client(5000, &web[..2]), &models, today(), &cfg);
    let offer = s.next_offer.expect("an offer");
    assert!(
        web[2..].contains(&offer.as_str()),
        "{offer} should be a web service not yet bought"
    );
    let neighbours = models.items.similar_items(web[0]);
    assert!(!neighbours.is_empty() && neighbours.windows(2).all(|w| w[0].1 >= w[1].1));
    assert!(web.contains(&neighbours[0].0), "{neighbours:?}");
}

#[test]
fn cosine_over_co_purchases_and_nothing_already_bought() {
    let cfg = Config::default();
    // A and B are always bought together; C goes with A half the time; D is alone.
    let mut base = Vec::new();
    for id in 1..=20 {
        let mut items = vec!["A", "B"];
        if id % 2 == 0 {
            items.push("C");
        }
        base.push(client(id, &items));
    }
    base.extend((21..=25).map(|id| client(id, &["D"])));
    let models = fit(&base, today(), &cfg);
    let sims = models.items.similar_items("A");
    assert_eq!(sims[0], ("B", 1.0));
    let c = sims.iter().find(|(n, _)| *n == "C").unwrap().1;
    assert!((c - 10.0 / (20.0f64 * 10.0).sqrt()).abs() < 1e-12, "{c}");
    assert_eq!(
        models
            .items
            .next_offer(&client(99, &["A"]), today())
            .as_deref(),
        Some("B")
    );
    assert_eq!(
        models
            .items
            .next_offer(&client(99, &["A", "B"]), today())
            .as_deref(),
        Some("C")
    );
    // Everything A is linked to already bought: fall back to the most popular item not owned.
    assert_eq!(
        models
            .items
            .next_offer(&client(99, &["A", "B", "C"]), today())
            .as_deref(),
        Some("D")
    );
    // Purchases after the as-of date are not known yet.
    let mut later = client(99, &["A"]);
    later
        .purchases
        .push(buy(today() + Duration::days(1), 1, "B"));
    assert_eq!(
        models.items.next_offer(&later, today()).as_deref(),
        Some("B")
    );
}

#[test]
fn similar_clients_rank_by_cosine() {
    let target = client(1, &["A", "B", "B"]);
    let all = vec![
        target.clone(),
        client(2, &["A", "B", "B"]),
        client(3, &["A"]),
        client(4, &["C"]),
        client(5, &["B", "C"]),
    ];
    let found = similar_clients(&target, &all, 3);
    let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, [2, 5, 3]);
    assert!((found[0].1 - 1.0).abs() < 1e-12);
    // (1,2)·(0,1,1) / (√5·√2) = 2/√10; (1,2)·(1,0) / √5 = 1/√5.
    assert!((found[1].1 - 2.0 / 10f64.sqrt()).abs() < 1e-12);
    assert!((found[2].1 - 1.0 / 5f64.sqrt()).abs() < 1e-12);
    assert!(similar_clients(&client(9, &[]), &all, 3).is_empty());
}

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
fn a_one_purchase_client_is_offered_the_items_closest_neighbour_or_the_most_popular() {
    let cfg = Config::default();
    let models = fit(&client_base(600, 2), today(), &cfg);
    let web = FAMILIES[0];
    let once = client(5000, &web[..1]);
    let offer = score(&once, &models, today(), &cfg)
        .next_offer
        .expect("an offer");
    // With one item owned the summed similarity is that item's own neighbour list.
    assert_eq!(offer, models.items.similar_items(web[0])[0].0);
    assert!(web[1..].contains(&offer.as_str()), "{offer}");
    // A service the model never saw: the most popular one.
    let popular = &models.items.items[models.items.popular[0] as usize].name;
    let unknown = client(5001, &["Calligraphy"]);
    assert_eq!(
        score(&unknown, &models, today(), &cfg).next_offer.as_ref(),
        Some(popular)
    );
}

#[test]
fn one_common_service_in_common_is_weak_three_rare_ones_strong() {
    // 28 buying clients: Website bought by 25 of them (most), Audit, Brand and Copy by 2 or 3.
    let mut base: Vec<ContactHistory> = (1..=24).map(|id| client(id, &["Website"])).collect();
    base.push(client(25, &["Audit", "Brand", "Copy"]));
    base.push(client(26, &["Audit", "Brand", "Copy", "Copy"]));
    base.push(client(27, &["Audit"]));
    base.push(client(28, &["Brand", "Website"]));
    base.push(client(29, &[]));
    let models = fit(&base, today(), &Config::default());
    assert_eq!(models.items.clients, 28);

    let common = similar_clients(&base[0], &base, &models.items, 5);
    assert_eq!(common.len(), 5);
    assert!(common.iter().all(|(_, s)| *s < 0.5), "{common:?}");
    // One shared service bought by 25 of 28: w = ln(1 + 28/25), the shrink alone is w/(w + 2).
    let w = (1.0f64 + 28.0 / 25.0).ln();
    assert!((common[0].1 - w / (w + 2.0)).abs() < 1e-12, "{common:?}");
    // Displayed with two decimals, as `show` and the TUI do: no more "1.00" for one service.
    assert_eq!(format!("{:.2}", common[0].1), "0.27");
    assert_eq!(common[0].0, 2, "equal scores in id order");

    let rare = similar_clients(&base[24], &base, &models.items, 5);
    let ids: Vec<i64> = rare.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, [26, 27, 28], "{rare:?}");
    assert!(rare[0].1 > 0.7, "{rare:?}");
    assert!(rare[1].1 < 0.5 && rare[2].1 < 0.5, "{rare:?}");
}

#[test]
fn the_store_lists_what_scoring_everyone_with_the_stored_rarities_gives() {
    // `Store::clients_like` reads only clients sharing an item; scoring everyone must agree.
    let dir = tempfile::tempdir().unwrap();
    let mut store = rapport::store::Store::open(&dir.path().join("demo.db")).unwrap();
    let spec = rapport::demo::DemoSpec {
        contacts: 150,
        seed: 7,
        today: today(),
        dimensions: vec!["quality".into(), "price".into(), "service".into()],
    };
    rapport::cli::demo::fill(&mut store, &spec, "EUR").unwrap();
    let models = store.refit(today()).unwrap().models;
    let everyone = store.histories().unwrap();
    let mut compared = 0;
    for target in everyone.iter().filter(|h| !h.purchases.is_empty()) {
        let full = similar_clients(target, &everyone, &models.items, 5);
        let listed: Vec<(i64, f64)> = store
            .clients_like(target.contact_id, 5)
            .unwrap()
            .into_iter()
            .map(|(id, _, s)| (id, s))
            .collect();
        assert_eq!(listed, full, "client {}", target.contact_id);
        let named: Vec<f64> = store
            .similar_clients(target.contact_id, 5)
            .unwrap()
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(named, full.iter().map(|(_, s)| *s).collect::<Vec<_>>());
        compared += usize::from(!full.is_empty());
    }
    assert!(compared > 50, "only {compared} clients had similar clients");
}

#[test]
fn models_saved_before_the_client_count_was_kept_still_load_and_rank() {
    let base: Vec<ContactHistory> = (1..=6)
        .map(|id| client(id, if id <= 4 { &["A"] } else { &["A", "B"] }))
        .collect();
    let models = fit(&base, today(), &Config::default());
    let mut json: serde_json::Value = serde_json::from_str(&models.to_json()).unwrap();
    let items = json["items"].as_object_mut().unwrap();
    assert_eq!(items.remove("clients"), Some(serde_json::json!(6)));
    let old = rapport::scoring::Models::from_json(&json.to_string()).unwrap();
    assert_eq!(old.items.clients, 0);
    // N falls back to the most-bought item's 6 buyers, which here is the true count.
    assert_eq!(
        similar_clients(&base[4], &base, &old.items, 3),
        similar_clients(&base[4], &base, &models.items, 3)
    );
}

//! The fitted models on seeded synthetic client bases: churn ranking and AUC, CLV against
//! "total spent so far", determinism, segment ids across refits.

#[path = "scoring_support.rs"]
mod support;

use chrono::Duration;
use rapport::config::Config;
use rapport::domain::{ChurnSource, ContactHistory, ScorePoint, Stage};
use rapport::scoring::{self, auc, features, fit, fit_with_previous, score, score_all, Models};
use support::{buy, client_base, revenue_between, today};

fn base() -> Vec<ContactHistory> {
    client_base(1500, 11)
}

#[test]
fn churn_model_is_fitted_measured_and_beats_recency() {
    let cfg = Config::default();
    let models = fit(&base(), today(), &cfg);
    let q = &models.quality;
    assert_eq!(q.churn_source, ChurnSource::Model, "{}", q.churn_note);
    assert!(q.churn_training_size > 500, "{}", q.churn_training_size);
    assert!(q.churn_auc.unwrap() > 0.8, "{:?}", q);
    assert!(q.churn_baseline_auc.is_some());
    // Out of sample, on another client base: what really happened within each client's window.
    let t = today();
    let mut rows = Vec::new();
    for h in client_base(3000, 99) {
        let f = features(&h, t, &cfg);
        if let (Some(recency), Some(churn)) = (f.recency_days, models.churn.estimate(&f)) {
            let window = Duration::days(i64::from(churn.window_days));
            let churned = !h
                .purchases
                .iter()
                .any(|p| p.date > t && p.date <= t + window);
            rows.push((churn.probability, recency as f64, churned));
        }
    }
    let compare = |keep: &dyn Fn(f64) -> bool| {
        let picked: Vec<&(f64, f64, bool)> = rows.iter().filter(|r| keep(r.1)).collect();
        let labels: Vec<bool> = picked.iter().map(|r| r.2).collect();
        let model = auc(&picked.iter().map(|r| r.0).collect::<Vec<_>>(), &labels).unwrap();
        let recency = auc(&picked.iter().map(|r| r.1).collect::<Vec<_>>(), &labels).unwrap();
        (model, recency)
    };
    let (model, recency) = compare(&|_| true);
    assert!(
        model > recency,
        "all clients: model {model}, days since last purchase {recency}"
    );
    // Among recently active clients, where one-time buyers hide behind a small recency.
    let (model, recency) = compare(&|r| r < 90.0);
    assert!(
        model > recency + 0.02,
        "recent clients: model {model}, days since last purchase {recency}"
    );
}

#[test]
fn lapsed_regulars_and_fresh_one_timers_rank_above_regulars() {
    let cfg = Config::default();
    let models = fit(&base(), today(), &cfg);
    let t = today();
    let every = |id, gap: i64, last_ago: i64| ContactHistory {
        contact_id: id,
        purchases: (0..12)
            .map(|k| {
                buy(
                    t - Duration::days(last_ago + k * gap),
                    20_000,
                    "Blog article",
                )
            })
            .collect(),
        ..Default::default()
    };
    let regular = score(&every(9001, 14, 3), &models, t, &cfg);
    let lapsed = score(&every(9002, 14, 120), &models, t, &cfg);
    let one_time = ContactHistory {
        contact_id: 9003,
        purchases: vec![buy(t - Duration::days(20), 20_000, "Logo design")],
        ..Default::default()
    };
    let one_time = score(&one_time, &models, t, &cfg);
    assert_eq!(lapsed.churn_source, ChurnSource::Model);
    let churn = |s: &rapport::domain::Scores| s.churn_probability.expect("a buyer");
    assert!(
        churn(&lapsed) > churn(&regular) + 0.2,
        "{} vs {}",
        churn(&lapsed),
        churn(&regular)
    );
    // Within a 30-day window (two of their intervals) in a base where many clients stop after any
    // purchase: a real chance, well below the lapsed one.
    assert!(churn(&regular) < 0.4, "{}", churn(&regular));
    // The trap: a one-time buyer 20 days ago is not "certainly alive" just because recency is small.
    assert!(
        churn(&one_time) > churn(&regular) + 0.2,
        "{} vs {}",
        churn(&one_time),
        churn(&regular)
    );
    // 120 silent days are more than three of their 14-day intervals: gone, not a call to make.
    assert_eq!(lapsed.stage, Stage::Churned);
    assert_eq!(lapsed.churn_reasons[0].feature, "recency");
    assert!(
        lapsed.churn_reasons[0]
            .text
            .contains("no purchase for 120 days, usually every 14"),
        "{:?}",
        lapsed.churn_reasons
    );
    assert!(lapsed.clv < regular.clv);
}

#[test]
fn clv_beats_total_spent_at_finding_next_years_revenue() {
    let cfg = Config::default();
    let histories = base();
    let t = today();
    let models = fit(&histories, t, &cfg);
    let scores = score_all(&histories, &models, t, &cfg);
    let future: Vec<i64> = histories
        .iter()
        .map(|h| revenue_between(h, t, t + Duration::days(365)))
        .collect();
    let top_decile_revenue = |key: &dyn Fn(usize) -> f64| {
        let mut order: Vec<usize> = (0..histories.len())
            .filter(|i| scores[*i].frequency > 0)
            .collect();
        order.sort_by(|a, b| key(*b).total_cmp(&key(*a)));
        order
            .iter()
            .take(order.len() / 10)
            .map(|i| future[*i])
            .sum::<i64>()
    };
    let by_clv = top_decile_revenue(&|i| scores[i].clv);
    let by_spent = top_decile_revenue(&|i| scores[i].monetary as f64);
    assert!(
        by_clv as f64 > 1.1 * by_spent as f64,
        "top 10% by CLV {by_clv}, by total spent {by_spent}"
    );
}

#[test]
fn too_little_or_one_class_history_falls_back_to_the_rule() {
    let cfg = Config::default();
    let small = client_base(20, 3);
    let models = fit(&small, today(), &cfg);
    assert_eq!(models.quality.churn_source, ChurnSource::Rule);
    assert!(
        models.quality.churn_note.contains("needs 30"),
        "{}",
        models.quality.churn_note
    );
    let s = score(&small[0], &models, today(), &cfg);
    assert_eq!(s.churn_source, ChurnSource::Rule);
    assert!(
        s.churn_reasons[0].text.contains("rule"),
        "{:?}",
        s.churn_reasons
    );
    // Everyone bought again in the last horizon: nothing to learn.
    let t = today();
    let loyal: Vec<ContactHistory> = (1..=40)
        .map(|id| ContactHistory {
            contact_id: id,
            purchases: vec![
                buy(t - Duration::days(100), 100, "A"),
                buy(t - Duration::days(70), 100, "A"),
                buy(t - Duration::days(40), 100, "A"),
                buy(t - Duration::days(5), 100, "A"),
            ],
            ..Default::default()
        })
        .collect();
    let models = fit(&loyal, t, &cfg);
    assert_eq!(models.quality.churn_source, ChurnSource::Rule);
    assert!(
        models.quality.churn_note.contains("bought again"),
        "{}",
        models.quality.churn_note
    );
}

#[test]
fn an_empty_or_leads_only_base_still_fits_and_scores() {
    let cfg = Config::default();
    let lead = ContactHistory {
        contact_id: 1,
        created_on: Some(today()),
        ..Default::default()
    };
    for base in [vec![], vec![lead.clone()]] {
        let models = fit(&base, today(), &cfg);
        assert_eq!((models.quality.k, models.quality.items), (0, 0));
        assert_eq!(models.quality.churn_source, ChurnSource::Rule);
        let s = score(
            &lead,
            &Models::from_json(&models.to_json()).unwrap(),
            today(),
            &cfg,
        );
        assert_eq!(
            (s.stage, s.segment_id, s.next_offer),
            (Stage::Lead, None, None)
        );
        // A lead has nothing to lapse from: no churn figure, and a follow-up reason instead.
        assert_eq!(s.churn_probability, None);
        assert_eq!(s.churn_reasons[0].feature, "lead");
    }
}

#[test]
fn leads_get_the_rule_no_segment_and_no_clv() {
    let cfg = Config::default();
    let models = fit(&base(), today(), &cfg);
    let lead = ContactHistory {
        contact_id: 77_777,
        created_on: Some(today() - Duration::days(200)),
        ..Default::default()
    };
    let s = score(&lead, &models, today(), &cfg);
    assert_eq!(
        (s.stage, s.churn_probability, s.segment_id, s.clv),
        (Stage::Lead, None, None, 0.0)
    );
    assert!(
        s.churn_reasons[0]
            .text
            .starts_with("lead: added, no contact since, 200 days ago; follow-up overdue"),
        "{:?}",
        s.churn_reasons
    );
    assert_eq!(s.actions, cfg.actions.lead);
    assert!(
        s.next_offer.is_some(),
        "a lead is offered the most popular item"
    );
}

#[test]
fn refits_are_deterministic_and_order_independent() {
    let cfg = Config::default();
    let histories = client_base(600, 5);
    let a = fit(&histories, today(), &cfg);
    let mut reversed = histories.clone();
    reversed.reverse();
    let b = fit(&reversed, today(), &cfg);
    assert_eq!(a, b);
    assert_eq!(a.to_json(), b.to_json());
}

fn assignments(histories: &[ContactHistory], models: &Models, cfg: &Config) -> Vec<Option<i64>> {
    score_all(histories, models, today(), cfg)
        .iter()
        .map(|s| s.segment_id)
        .collect()
}

#[test]
fn segment_ids_survive_a_refit_with_one_more_purchase() {
    let cfg = Config::default();
    let mut histories = client_base(800, 21);
    let before = fit(&histories, today(), &cfg);
    assert!(
        before.quality.k >= 2 && before.quality.silhouette.is_some(),
        "{:?}",
        before.quality
    );
    let names: std::collections::BTreeSet<&str> = before
        .segments
        .segments
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        names.len(),
        before.segments.segments.len(),
        "names are unique"
    );
    histories[3]
        .purchases
        .push(buy(today(), 5_000, "Newsletter"));
    let after = fit_with_previous(&histories, today(), &cfg, Some(&before));
    let old = assignments(&histories, &before, &cfg);
    let new = assignments(&histories, &after, &cfg);
    let same = old.iter().zip(&new).filter(|(a, b)| a == b).count();
    assert!(
        same as f64 >= 0.98 * histories.len() as f64,
        "{same} of {} kept their segment id",
        histories.len()
    );
    for s in &after.segments.segments {
        let was = before.segments.by_id(s.id).expect("same ids");
        assert_eq!(was.name, s.name);
    }
}

#[test]
fn refit_follows_previous_ids_even_when_they_were_renumbered() {
    let cfg = Config {
        segments: rapport::config::SegmentsConfig {
            k: 4,
            ..Default::default()
        },
        ..Default::default()
    };
    let histories = client_base(600, 8);
    let mut before = fit(&histories, today(), &cfg);
    // Give the previous segments other ids (10, 20, ...): the refit must hand them back.
    for (i, s) in before.segments.segments.iter_mut().enumerate() {
        s.id = 10 * (i as i64 + 1);
    }
    let after = fit_with_previous(&histories, today(), &cfg, Some(&before));
    assert_eq!(after.quality.k, 4);
    for s in &after.segments.segments {
        let was = before
            .segments
            .by_id(s.id)
            .unwrap_or_else(|| panic!("id {} is new", s.id));
        assert_eq!(was.name, s.name);
        assert!(
            (was.typical_monetary - s.typical_monetary).abs()
                < 1e-6 * was.typical_monetary.max(1.0)
        );
    }
    assert_eq!(
        assignments(&histories, &before, &cfg),
        assignments(&histories, &after, &cfg)
    );
}

#[test]
fn summaries_cover_every_segment_and_all_revenue() {
    let cfg = Config::default();
    let histories = client_base(600, 9);
    let models = fit(&histories, today(), &cfg);
    let scores = score_all(&histories, &models, today(), &cfg);
    let points: Vec<ScorePoint> = scores.iter().map(ScorePoint::from).collect();
    let summaries = scoring::summarise_segments(&points, &models);
    assert_eq!(summaries.len(), models.quality.k);
    let total_share: f64 = summaries.iter().map(|s| s.revenue_share).sum();
    assert!((total_share - 1.0).abs() < 1e-9, "{total_share}");
    let buyers = scores.iter().filter(|s| s.frequency > 0).count();
    assert_eq!(summaries.iter().map(|s| s.size).sum::<usize>(), buyers);
    assert!(summaries.iter().all(|s| !s.wants.is_empty()));
}

/// One unusually large order is not taken for a habit: the Gamma-Gamma spend leans toward the
/// population, and a one-time buyer long past the business's rhythm is neither Active nor valued
/// at that order again.
#[test]
fn one_huge_one_off_order_is_not_extrapolated() {
    let cfg = Config::default();
    let models = fit(&base(), today(), &cfg);
    assert!(models.spend.is_fitted(), "{:?}", models.spend);
    let t = today();
    let one_off = |id, amount, ago| ContactHistory {
        contact_id: id,
        purchases: vec![buy(t - Duration::days(ago), amount, "Website")],
        ..Default::default()
    };
    // 50,000.00 once, 234 days ago.
    let huge = score(&one_off(9101, 5_000_000, 234), &models, t, &cfg);
    assert!(
        matches!(huge.stage, Stage::AtRisk | Stage::Churned),
        "{:?}",
        huge.stage
    );
    assert!(huge.clv < 0.25 * 50_000.0, "CLV {}", huge.clv);
    // Two recent one-off buyers, one order ten times the other: the estimate is not ten times.
    let big = score(&one_off(9102, 1_000_000, 20), &models, t, &cfg);
    let small = score(&one_off(9103, 100_000, 20), &models, t, &cfg);
    let expected = |amount: f64| models.spend.expected(1, amount);
    assert!(
        expected(10_000.0) < 10.0 * expected(1_000.0) * 0.8,
        "{} vs {}",
        expected(10_000.0),
        expected(1_000.0)
    );
    assert!(
        big.clv < 10.0 * small.clv * 0.8,
        "{} vs {}",
        big.clv,
        small.clv
    );
}

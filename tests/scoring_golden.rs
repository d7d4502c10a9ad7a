//! Golden values from docs/scoring.md, worked by hand, and every stage threshold edge.

use rapport::config::{ChurnConfig, ClvConfig, FeedbackConfig, LoyaltyConfig, StagesConfig};
use rapport::domain::{FeedbackEvent, Rating, Stage};
use rapport::scoring::clv::{clv, discounted_value, purchase_days_a_year, ClvInputs};
use rapport::scoring::cosine;
use rapport::scoring::lifecycle::{stage, StageInputs};
use rapport::scoring::loyalty::{cadence, combine, LoyaltyParts};
use rapport::scoring::satisfaction::{entry_score, satisfaction, weighted_mean};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn satisfaction_is_a_normalised_weighted_mean() {
    let weights = FeedbackConfig::default().dimensions;
    let s = weighted_mean(
        [0.8, 0.6, 0.7]
            .into_iter()
            .zip(weights.iter().map(|d| d.weight)),
    )
    .unwrap();
    assert!(close(s, 0.71, 1e-12), "{s}");
    // All top marks give 1.0, not 0.33 as dividing by the number of dimensions would.
    let top: Vec<Rating> = weights
        .iter()
        .map(|d| Rating {
            dimension: d.name.clone(),
            stars: 5,
        })
        .collect();
    assert_eq!(entry_score(&top, &FeedbackConfig::default()), Some(1.0));
}

#[test]
fn satisfaction_from_stars_over_entries() {
    let cfg = FeedbackConfig::default();
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let r = |dim: &str, stars| Rating {
        dimension: dim.into(),
        stars,
    };
    // quality 4 → .75, price 3 → .5, service 5 → 1 → (.3 + .15 + .3) / 1 = 0.75.
    let one = FeedbackEvent {
        date: day("2026-01-01"),
        ratings: vec![r("quality", 4), r("price", 3), r("service", 5)],
    };
    assert!(close(
        satisfaction(std::slice::from_ref(&one), day("2026-01-01"), &cfg).unwrap(),
        0.75,
        1e-12
    ));
    // A 1-star entry one half-life earlier counts half: (0.75·1 + 0·0.5) / 1.5 = 0.5.
    let old = FeedbackEvent {
        date: day("2025-07-05"),
        ratings: vec![r("quality", 1), r("price", 1), r("service", 1)],
    };
    let s = satisfaction(&[old, one], day("2026-01-01"), &cfg).unwrap();
    assert!(close(s, 0.5, 1e-12), "{s}");
}

#[test]
fn loyalty_is_the_weighted_mean_of_its_parts() {
    let l = combine(
        LoyaltyParts {
            repeat: 0.9,
            referral: 0.8,
            engagement: 0.7,
        },
        &LoyaltyConfig::default(),
    );
    assert!(close(l, 0.81, 1e-12), "{l}");
    assert_eq!(cadence(60.0), 0.5);
}

#[test]
fn cosine_example() {
    let c = cosine(&[0.2, 0.4, 0.6], &[0.3, 0.5, 0.7]);
    assert_eq!((c * 10_000.0).round() / 10_000.0, 0.9974);
    assert!(close(c, 0.997_415, 1e-6), "{c}");
}

#[test]
fn clv_example() {
    let cfg = ClvConfig {
        discount_rate: 0.10,
        horizon_years: 3,
    };
    let v = discounted_value(1000.0, 1.0, cfg.discount_rate, cfg.horizon_years);
    assert!(close(v, 2486.85, 0.005), "{v}");
    // The same through the client-level function: 1,000.00 spent once a year, no churn (one
    // purchase day over 300 days of tenure plus a 65-day typical interval).
    let v = clv(
        ClvInputs {
            spend_per_day: 1_000.0,
            purchase_days_a_year: purchase_days_a_year(1, Some(300), 65.0),
            churn_probability: 0.0,
        },
        &cfg,
    );
    assert!(close(v, 2486.85, 0.005), "{v}");
}

/// A client whose rhythm makes three intervals exactly 365 days, in a business whose typical
/// interval is 90 days, overdue from their second day of silence.
fn inputs(recency: i64, tenure: i64, churn: f64, loyalty: f64) -> StageInputs {
    StageInputs {
        recency_days: Some(recency),
        tenure_days: Some(tenure),
        churn_probability: Some(churn),
        loyalty,
        rhythm_days: 365.0 / 3.0,
        typical_interval_days: 90.0,
        usual_interval_days: Some(1.0),
        satisfaction: None,
    }
}

#[test]
fn stage_edges() {
    // New ≤ one typical interval (90 days), loyal ≥ 0.6, at risk ≥ 0.5, churned ≥ 3 × 121.7 days.
    let cfg = StagesConfig::default();
    let churn = ChurnConfig::default();
    let stage = |x, cfg: &StagesConfig| stage(x, cfg, &churn);
    let lead = StageInputs {
        recency_days: None,
        tenure_days: None,
        churn_probability: None,
        ..inputs(0, 0, 0.9, 0.9)
    };
    assert_eq!(stage(lead, &cfg), Stage::Lead);

    // Churned: recency 364 / 365 / 366 (even with zero churn probability).
    assert_eq!(stage(inputs(364, 800, 0.0, 0.0), &cfg), Stage::Active);
    assert_eq!(stage(inputs(365, 800, 0.0, 0.0), &cfg), Stage::Churned);
    assert_eq!(stage(inputs(366, 800, 0.0, 0.0), &cfg), Stage::Churned);

    // At risk: churn just below / at / above 0.5.
    assert_eq!(stage(inputs(10, 800, 0.499_999, 0.0), &cfg), Stage::Active);
    assert_eq!(stage(inputs(10, 800, 0.5, 0.0), &cfg), Stage::AtRisk);
    assert_eq!(stage(inputs(10, 800, 0.500_001, 0.0), &cfg), Stage::AtRisk);

    // New: tenure 89 / 90 / 91, with loyalty high enough to be Loyal otherwise.
    assert_eq!(stage(inputs(1, 89, 0.1, 0.9), &cfg), Stage::New);
    assert_eq!(stage(inputs(1, 90, 0.1, 0.9), &cfg), Stage::New);
    assert_eq!(stage(inputs(1, 91, 0.1, 0.9), &cfg), Stage::Loyal);

    // Loyal: loyalty just below / at / above 0.6.
    assert_eq!(stage(inputs(1, 400, 0.1, 0.599_999), &cfg), Stage::Active);
    assert_eq!(stage(inputs(1, 400, 0.1, 0.6), &cfg), Stage::Loyal);
    assert_eq!(stage(inputs(1, 400, 0.1, 0.600_001), &cfg), Stage::Loyal);
}

#[test]
fn stage_precedence() {
    let cfg = StagesConfig::default();
    let churn = ChurnConfig::default();
    let stage = |x, cfg: &StagesConfig| stage(x, cfg, &churn);
    // Churned beats New, New beats At risk (a first purchase needs a welcome), At risk beats Loyal.
    assert_eq!(stage(inputs(400, 500, 0.9, 0.9), &cfg), Stage::Churned);
    assert_eq!(stage(inputs(60, 60, 0.9, 0.9), &cfg), Stage::New);
    assert_eq!(stage(inputs(60, 91, 0.9, 0.9), &cfg), Stage::AtRisk);
    assert_eq!(stage(inputs(5, 60, 0.1, 0.9), &cfg), Stage::New);
    // Thresholds come from config.
    let strict = StagesConfig {
        churned_min_recency_days: Some(30),
        ..cfg
    };
    assert_eq!(stage(inputs(30, 500, 0.0, 0.0), &strict), Stage::Churned);
}

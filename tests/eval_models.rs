//! Evaluation on data with a known answer: the demo generator's clients, fitted as of its
//! "today", checked against what the same hidden process does next (`simulate_future`).
//! Rapport's churn ranking must beat "days since last purchase" by ROC AUC, and its CLV ranking
//! must beat "total spent so far" at capturing next year's revenue in the top 10 %.
//! `cargo test --test eval_models -- --nocapture` prints the figures.

use std::sync::OnceLock;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use rapport::config::Config;
use rapport::demo::history::{histories, purchases_of};
use rapport::demo::{generate, simulate_future, DemoContact, DemoSpec};
use rapport::domain::ChurnSource;
use rapport::domain::Stage;
use rapport::scoring::evaluate::{
    as_of, evaluate_fitted, outcome_after, Evaluation, Outcome, FIXED_HORIZON_DAYS, REVENUE_DAYS,
};
use rapport::scoring::evaluate_lists::within_rhythm_and_content;
use rapport::scoring::fit;

const CONTACTS: usize = 1_500;
const SEED: u64 = 7;

struct Run {
    evaluation: Evaluation,
    churn_source: ChurnSource,
    fit_seconds: f64,
}

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let cfg = Config::default();
        let spec = DemoSpec {
            contacts: CONTACTS,
            seed: SEED,
            today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            dimensions: cfg
                .dimension_names()
                .into_iter()
                .map(String::from)
                .collect(),
        };
        let cutoff = spec.today;
        let until = cutoff + Duration::days(i64::from(REVENUE_DAYS));
        let contacts: Vec<DemoContact> = generate(&spec).collect();
        let outcomes: Vec<Outcome> = contacts
            .iter()
            .map(|c| {
                let future = purchases_of(&simulate_future(c, &spec, until));
                outcome_after(&future, cutoff, FIXED_HORIZON_DAYS, REVENUE_DAYS)
            })
            .collect();
        let past: Vec<_> = histories(&contacts)
            .iter()
            .map(|h| as_of(h, cutoff))
            .collect();
        let started = Instant::now();
        let models = fit(&past, cutoff, &cfg);
        let fit_seconds = started.elapsed().as_secs_f64();
        let evaluation = evaluate_fitted(&past, &outcomes, &models, cutoff, &cfg, REVENUE_DAYS);
        let e = &evaluation;
        let f = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.3}"));
        println!(
            "demo: {} contacts (seed {SEED}), cutoff {cutoff}, {} buyers, {} lapsed within their window, fit {:.2}s (debug)",
            e.contacts, e.buyers, f(e.churn_rate), fit_seconds
        );
        println!(
            "churn ROC AUC, all {} buyers:          Rapport {}  vs days since last purchase {}",
            e.churn.clients, f(e.churn.rapport), f(e.churn.baseline)
        );
        println!(
            "churn ROC AUC, {} recent buyers (≤ 90 days): Rapport {}  vs days since last purchase {}",
            e.churn_recent.clients, f(e.churn_recent.rapport), f(e.churn_recent.baseline)
        );
        println!(
            "CLV, next-year revenue captured by the top 10%: Rapport {}  vs total spent {}  (best possible {})",
            f(e.clv.rapport), f(e.clv.baseline), f(e.clv_oracle)
        );
        Run {
            churn_source: models.quality.churn_source,
            evaluation,
            fit_seconds,
        }
    })
}

#[test]
fn the_demo_has_a_fitted_model_and_a_real_future() {
    let r = run();
    let e = &r.evaluation;
    assert_eq!(r.churn_source, ChurnSource::Model);
    assert!(r.fit_seconds.is_finite());
    assert!(e.buyers > CONTACTS / 2, "{} buyers", e.buyers);
    let rate = e.churn_rate.unwrap();
    assert!((0.2..0.9).contains(&rate), "churn rate {rate}");
    assert!(e.churn_recent.clients > 100, "{:?}", e.churn_recent);
}

#[test]
fn churn_ranking_beats_days_since_last_purchase() {
    let c = run().evaluation.churn;
    let (rapport, recency) = (c.rapport.unwrap(), c.baseline.unwrap());
    assert!(
        rapport > recency,
        "churn AUC over {} buyers: Rapport {rapport:.3}, recency {recency:.3}",
        c.clients
    );
}

#[test]
fn churn_ranking_beats_recency_among_recent_buyers() {
    // Where recency says least: everyone bought within the last horizon, and one-time buyers
    // hide among the regulars.
    let c = run().evaluation.churn_recent;
    let (rapport, recency) = (c.rapport.unwrap(), c.baseline.unwrap());
    assert!(
        rapport > recency,
        "churn AUC over {} recent buyers: Rapport {rapport:.3}, recency {recency:.3}",
        c.clients
    );
}

#[test]
fn clv_ranking_beats_total_spent_at_next_years_revenue() {
    let e = &run().evaluation;
    let (rapport, spent) = (e.clv.rapport.unwrap(), e.clv.baseline.unwrap());
    assert!(
        rapport > spent,
        "top-10% capture of next-year revenue: Rapport {rapport:.3}, total spent {spent:.3}"
    );
    assert!(rapport <= e.clv_oracle.unwrap() + 1e-12);
}

#[test]
fn churn_probabilities_match_the_real_future() {
    let e = &run().evaluation;
    let c = e.calibration.unwrap();
    assert!(
        (c.mean_predicted - c.observed_rate).abs() < 0.05 && c.error < 0.06,
        "calibration against the future: {c:?}"
    );
    // Against the earlier fixed label the ranking is still better than recency.
    let fixed = e.churn_fixed;
    assert!(
        fixed.rapport.unwrap() > fixed.baseline.unwrap(),
        "{fixed:?}"
    );
}

#[test]
fn stages_order_the_real_lapse_rate_and_at_risk_stays_short() {
    let lists = &run().evaluation.lists;
    let rate = |s| lists.lapse_rate(s).unwrap();
    assert!(
        rate(Stage::Active) < rate(Stage::AtRisk) && rate(Stage::AtRisk) < rate(Stage::Churned),
        "{lists:?}"
    );
    assert!(lists.share(Stage::AtRisk) <= 0.40, "{lists:?}");
    assert!(
        lists.at_risk_within_rhythm * 20 <= lists.at_risk_repeat,
        "{} of {} repeat buyers at risk bought within their usual interval",
        lists.at_risk_within_rhythm,
        lists.at_risk_repeat
    );
}

/// The demo a new user opens (`demo --contacts 2000 --seed 7` on 2026-12-01): the At risk list
/// holds no client who bought within their usual interval and is content, and no lead carries
/// a churn figure.
#[test]
fn the_demo_at_risk_list_is_trustworthy() {
    let cfg = Config::default();
    let spec = DemoSpec {
        contacts: 2_000,
        seed: 7,
        today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        dimensions: cfg
            .dimension_names()
            .into_iter()
            .map(String::from)
            .collect(),
    };
    let contacts: Vec<DemoContact> = generate(&spec).collect();
    let all = histories(&contacts);
    let models = fit(&all, spec.today, &cfg);
    let scores = rapport::scoring::score_all(&all, &models, spec.today, &cfg);
    let repeat: Vec<_> = scores
        .iter()
        .filter(|s| s.stage == Stage::AtRisk && s.frequency >= 2)
        .collect();
    let within = repeat
        .iter()
        .filter(|s| within_rhythm_and_content(s))
        .count();
    println!(
        "demo 2000/7 on {}: {} repeat buyers at risk, {} of them within their usual interval and content",
        spec.today,
        repeat.len(),
        within
    );
    assert!(repeat.len() > 20, "{}", repeat.len());
    assert!(within * 20 <= repeat.len(), "{within} of {}", repeat.len());
    let leads: Vec<_> = scores.iter().filter(|s| s.stage == Stage::Lead).collect();
    assert!(leads.len() > 100);
    assert!(leads.iter().all(|s| s.churn_probability.is_none()));
    // Every at-risk client is told in words why.
    assert!(scores
        .iter()
        .filter(|s| s.stage == Stage::AtRisk)
        .all(|s| s.churn_reasons.iter().any(|r| !r.text.is_empty())));
}

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
use rapport::scoring::evaluate::{
    as_of, evaluate_fitted, outcome_after, Evaluation, Outcome, REVENUE_DAYS,
};
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
                outcome_after(&future, cutoff, cfg.churn.horizon_days, REVENUE_DAYS)
            })
            .collect();
        let past: Vec<_> = histories(&contacts)
            .iter()
            .map(|h| as_of(h, cutoff))
            .collect();
        let started = Instant::now();
        let models = fit(&past, cutoff, &cfg);
        let fit_seconds = started.elapsed().as_secs_f64();
        let evaluation = evaluate_fitted(&past, &outcomes, &models, cutoff, &cfg);
        let e = &evaluation;
        let f = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.3}"));
        println!(
            "demo: {} contacts (seed {SEED}), cutoff {cutoff}, {} buyers, churn rate {} over {} days, fit {:.2}s (debug)",
            e.contacts, e.buyers, f(e.churn_rate), cfg.churn.horizon_days, fit_seconds
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

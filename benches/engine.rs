//! Scoring-engine benchmarks on a generated business (default 10,000 contacts, ~1M interactions):
//! incremental re-score of one contact, `rapport log purchase` end to end, full re-score with refit,
//! and searches through the full-text indexes (`list interactions|contacts --search`).
//!
//! `cargo bench --bench engine` (set RAPPORT_BENCH_CONTACTS for another size). The generated
//! database is cached under target/bench-data; every run works on a fresh copy of it.

use std::time::{Duration, Instant};

use rapport::config::Config;
use rapport::domain::{InteractionKind, NewInteraction};
use rapport::store::Store;

#[path = "support.rs"]
mod support;

use support::{cached_database, median, ms, percentile, rapport, today, working_copy};

fn purchase(contact_id: i64, amount: i64) -> NewInteraction {
    NewInteraction {
        contact_id,
        kind: InteractionKind::Purchase,
        occurred_at: today().and_hms_opt(12, 0, 0).expect("noon"),
        summary: None,
        amount: Some(amount),
        item: Some("Bench item".into()),
        ratings: Vec::new(),
    }
}

fn main() {
    let contacts: usize = std::env::var("RAPPORT_BENCH_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let source = cached_database(contacts);
    let (_dir, path) = working_copy(&source);
    let size_before = std::fs::metadata(&path).expect("size").len();
    let schema_before: i64 = rusqlite::Connection::open(&path)
        .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
        .expect("schema version");
    let migrating = Instant::now();
    let mut store = Store::open(&path).expect("open");
    let migration = migrating.elapsed();
    store.checkpoint().expect("checkpoint");
    let size_after = std::fs::metadata(&path).expect("size").len();
    let interactions = store.interaction_count().expect("count");
    println!(
        "database: {} contacts, {} interactions",
        contacts, interactions
    );

    // Full re-score with refit (also leaves fresh models for the incremental runs).
    let mut refits = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        store.refit(today()).expect("refit");
        refits.push(started.elapsed());
    }
    let refit = median(refits);

    // Incremental: one purchase written and its contact re-scored in one transaction.
    let mut incremental = Vec::new();
    for i in 0..300 {
        let id = 1 + (i * 7919) % contacts as i64;
        let started = Instant::now();
        let (_, changes) = store
            .write_scored(today(), |w| w.add_interaction(&purchase(id, 50_000), "EUR"))
            .expect("log purchase");
        incremental.push(started.elapsed());
        assert_eq!(changes.len(), 1);
    }

    // The parts of a refit: reading every history, and fitting the models.
    let started = Instant::now();
    let histories = store.histories().expect("histories");
    let load = started.elapsed();
    let config = Config::default();
    let started = Instant::now();
    std::hint::black_box(rapport::scoring::fit(&histories, today(), &config));
    let fit = started.elapsed();

    // Scoring alone: one contact from its history and the stored models.
    let models = store.models().expect("models").expect("fitted");
    let mut pure = Vec::new();
    for i in 0..2000 {
        let history = &histories[(i * 7919) % histories.len()];
        let started = Instant::now();
        std::hint::black_box(rapport::scoring::score(history, &models, today(), &config));
        pure.push(started.elapsed());
    }
    drop(store);

    // `rapport log purchase` and `rapport show` end to end: process start to exit.
    let binary = env!("CARGO_BIN_EXE_rapport");
    let run = |args: &[&str]| -> Duration {
        let started = Instant::now();
        let status = rapport(binary, &path)
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run rapport");
        assert!(status.success(), "rapport {args:?}");
        started.elapsed()
    };
    let contact = |i: usize| format!("C{:05}", 1 + (i * 131) % contacts);
    let end_to_end: Vec<Duration> = (0..40)
        .map(|i| run(&["log", "purchase", &contact(i), "250", "--item", "Bench"]))
        .collect();
    // Every one of these bought something just above, so `show` lists their similar clients.
    let show: Vec<Duration> = (0..40).map(|i| run(&["show", &contact(i)])).collect();

    // Searches, process start to exit (all rows printed, to /dev/null).
    let search = |args: &[&str], runs: usize| -> (Vec<Duration>, usize) {
        let mut samples = Vec::new();
        let mut rows = 0;
        for _ in 0..runs {
            let started = Instant::now();
            let out = rapport(binary, &path)
                .args(args)
                .args(["--format", "csv"])
                .output()
                .expect("run rapport");
            samples.push(started.elapsed());
            assert!(out.status.success());
            rows = out.stdout.iter().filter(|&&b| b == b'\n').count() - 1;
        }
        (samples, rows)
    };
    let searches = [
        (
            vec!["list", "interactions", "--search", "zzqxnothing"],
            "< 30 ms",
        ),
        (
            vec!["list", "interactions", "--search", "invoice"],
            "< 0.5 s",
        ),
        (
            vec![
                "list",
                "interactions",
                "--search",
                "invoice",
                "--limit",
                "50",
            ],
            "—",
        ),
        (
            vec!["list", "interactions", "--search", "an", "--limit", "50"],
            "— (scanned)",
        ),
        (vec!["list", "contacts", "--search", "evans"], "< 10 ms"),
        (
            vec!["list", "interactions", "--contact", "C00042"],
            "≤ 15 ms",
        ),
        (vec!["list", "contacts", "--search", "muller"], "< 10 ms"),
    ]
    .map(|(args, target)| {
        let (samples, rows) = search(&args, 15);
        (args.join(" "), rows, samples, target)
    });

    // The overview: two years of score figures recomputed once (the cached demo predates them),
    // then the report over 24 months.
    let started = Instant::now();
    run(&["score", "--backfill", "24"]);
    let backfill = started.elapsed();
    let two_years_back = (today() - chrono::Months::new(23)).to_string();
    let report_args = ["report", "--from", two_years_back.as_str()];
    let (report, report_rows) = search(&report_args, 15);

    println!(
        "database file: {:.1} MB at schema {}, {:.1} MB after migrating to {} (8: baskets index, 9: full-text indexes, 10: distinct baskets, 11: overview), {:+.1} MB; migrating took {}",
        size_before as f64 / 1e6,
        schema_before,
        size_after as f64 / 1e6,
        rapport::store::CURRENT_VERSION,
        (size_after as f64 - size_before as f64) / 1e6,
        ms(migration)
    );
    println!(
        "| measure ({} contacts, {} interactions) | median | p95 | target |",
        contacts, interactions
    );
    println!("|---|---|---|---|");
    println!(
        "| score one contact (pure) | {} | {} | — |",
        ms(median(pure.clone())),
        ms(percentile(pure, 0.95))
    );
    println!(
        "| incremental re-score: write purchase + re-score in one transaction | {} | {} | < 1 ms |",
        ms(median(incremental.clone())),
        ms(percentile(incremental, 0.95))
    );
    println!(
        "| `rapport log purchase`, process start to exit | {} | {} | < 30 ms |",
        ms(median(end_to_end.clone())),
        ms(percentile(end_to_end, 0.95))
    );
    println!(
        "| `rapport show` of a client with purchases, process start to exit | {} | {} | ≤ 10 ms |",
        ms(median(show.clone())),
        ms(percentile(show, 0.95))
    );
    println!("| full re-score with refit | {} | — | < 3 s |", ms(refit));
    println!("| … of which: read all histories | {} | — | — |", ms(load));
    println!(
        "| … of which: fit segments, churn model, items | {} | — | — |",
        ms(fit)
    );
    println!(
        "| `rapport score --backfill 24` (24 months of score figures, once) | {} | — | — |",
        ms(backfill)
    );
    println!(
        "| `rapport report --from {two_years_back}` ({report_rows} months), process start to exit | {} | {} | ≤ 300 ms |",
        ms(median(report.clone())),
        ms(percentile(report, 0.95))
    );
    for (args, rows, samples, target) in searches {
        println!(
            "| `rapport {args}` ({rows} rows), process start to exit | {} | {} | {target} |",
            ms(median(samples.clone())),
            ms(percentile(samples, 0.95))
        );
    }
}

//! Trust: several sessions on one database at the same moment — one-shot `rapport` processes and
//! a long-lived session (as the TUI holds) — record every entry exactly once, never show the user
//! "database is locked", and leave scores equal to a full re-score with the same models.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use chrono::NaiveDate;
use common::{run_command, Env, TODAY};
use rapport::config::Config;
use rapport::domain::{InteractionKind, NewInteraction};
use rapport::store::Store;

/// Refits only when asked: so that "the same models" is well defined at the end of the run.
const NO_AUTOMATIC_REFIT: &str = "[refit]\nchanges_before_refit = 1000000\n";

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

#[test]
fn sessions_opening_a_brand_new_file_at_once_all_succeed() {
    // Before the fix, the losers of the race failed with "table contacts already exists"
    // (two deferred migrations) or "database is locked" (switching the new file to WAL).
    for round in 0..6 {
        let env = Env::new();
        let children: Vec<_> = (0..6)
            .map(|i| {
                let mut cmd = env.command(&["add", &format!("Person {round}-{i}")]);
                cmd.stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped());
                cmd.spawn().unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(env.query_i64("SELECT count(*) FROM contacts"), 6);
        assert_eq!(
            env.query_i64("PRAGMA user_version"),
            rapport::store::CURRENT_VERSION
        );
    }
}

#[test]
fn concurrent_loggers_and_rescorers_record_everything_once_and_scores_match_a_full_rescore() {
    let env = Env::new().with_config(NO_AUTOMATIC_REFIT);
    env.ok(&["demo", "--contacts", "300", "--no-tui"]);
    let before = env.query_i64("SELECT count(*) FROM interactions");

    const CLI_WORKERS: usize = 2;
    const PER_CLI_WORKER: usize = 120;
    const SESSION_ENTRIES: usize = 120;
    let done = Arc::new(AtomicBool::new(false));
    let env = Arc::new(env);

    // Two shells logging purchases one `rapport log purchase` process after another.
    let loggers: Vec<_> = (0..CLI_WORKERS)
        .map(|w| {
            let env = Arc::clone(&env);
            thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..PER_CLI_WORKER {
                    let contact = format!("C{:05}", 1 + (w * 97 + i * 7) % 300);
                    let item = format!("w{w}-{i:03}");
                    let run = env.run(&["log", "purchase", &contact, "12.34", "--item", &item]);
                    if run.code != 0 || !run.stderr.is_empty() {
                        failures.push(format!("{item}: exit {} {}", run.code, run.stderr));
                    }
                }
                failures
            })
        })
        .collect();

    // A long-lived session (what the TUI holds) writing through the library the whole time.
    let session = {
        let env = Arc::clone(&env);
        thread::spawn(move || {
            let config = Config::parse(NO_AUTOMATIC_REFIT).unwrap();
            let mut store = Store::open_with(&env.db, config).unwrap();
            let mut failures = Vec::new();
            for i in 0..SESSION_ENTRIES {
                let new = NewInteraction {
                    contact_id: 1 + (i as i64 * 13) % 300,
                    kind: InteractionKind::Purchase,
                    occurred_at: today().and_hms_opt(9, 0, 0).unwrap(),
                    summary: None,
                    amount: Some(4_321),
                    item: Some(format!("tui-{i:03}")),
                    ratings: Vec::new(),
                };
                if let Err(e) = store.write(today(), |w| w.add_interaction(&new, "EUR")) {
                    failures.push(format!("tui-{i:03}: {e}"));
                }
                thread::sleep(std::time::Duration::from_millis(5));
            }
            failures
        })
    };

    // Two more shells re-scoring everyone over and over: one refitting, one with the stored models.
    let rescorers: Vec<_> = [&["score", "--refit"][..], &["score"][..]]
        .into_iter()
        .map(|args| {
            let env = Arc::clone(&env);
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let mut runs = 0;
                let mut failures = Vec::new();
                while !done.load(Ordering::SeqCst) || runs == 0 {
                    let run = env.run(args);
                    if run.code != 0 || !run.stderr.is_empty() {
                        failures.push(format!("{args:?}: exit {} {}", run.code, run.stderr));
                    }
                    runs += 1;
                    // A full re-score holds the write lock for a while; leave the loggers room.
                    thread::sleep(std::time::Duration::from_millis(400));
                }
                (runs, failures)
            })
        })
        .collect();

    let mut failures: Vec<String> = Vec::new();
    for logger in loggers {
        failures.extend(logger.join().unwrap());
    }
    failures.extend(session.join().unwrap());
    done.store(true, Ordering::SeqCst);
    let mut rescores = Vec::new();
    for rescorer in rescorers {
        let (runs, fails) = rescorer.join().unwrap();
        rescores.push(runs);
        failures.extend(fails);
    }
    assert!(
        failures.is_empty(),
        "no session may fail (no \"database is locked\"): {failures:#?}"
    );
    assert!(
        rescores.iter().all(|&n| n >= 2),
        "the re-scorers ran during the logging: {rescores:?}"
    );

    // Every entry exactly once.
    let conn = env.sql();
    let counts: BTreeMap<String, i64> = conn
        .prepare("SELECT item, count(*) FROM interactions WHERE item LIKE 'w%-%' OR item LIKE 'tui-%' GROUP BY item")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut expected: Vec<String> = (0..CLI_WORKERS)
        .flat_map(|w| (0..PER_CLI_WORKER).map(move |i| format!("w{w}-{i:03}")))
        .collect();
    expected.extend((0..SESSION_ENTRIES).map(|i| format!("tui-{i:03}")));
    expected.sort();
    assert_eq!(counts.keys().cloned().collect::<Vec<_>>(), expected);
    assert!(counts.values().all(|&n| n == 1), "duplicates: {counts:?}");
    assert_eq!(
        env.query_i64("SELECT count(*) FROM interactions"),
        before + expected.len() as i64
    );
    drop(conn);

    // Scores. What must hold: every contact is scored with the latest models, and each contact's
    // stored (incremental) scores equal what a full re-score with those same models computes.
    let latest = env.query_i64("SELECT max(version) FROM models");
    assert!(latest >= 2, "the refitting re-scorer stored new models");
    assert_eq!(
        env.query_i64(&format!(
            "SELECT count(*) FROM scores WHERE model_version <> {latest}"
        )),
        0,
        "a contact is scored with models older than the latest"
    );
    assert_eq!(
        env.query_i64("SELECT count(*) FROM scores"),
        env.query_i64("SELECT count(*) FROM contacts")
    );
    let incremental_rows = common::scores_table(&env.db);
    let incremental_export = env.ok(&["export", "scores"]);
    let out = env.ok(&["score"]);
    assert!(out.contains("(stored models)"), "{out}");
    assert_eq!(env.query_i64("SELECT max(version) FROM models"), latest);
    let full_rows = common::scores_table(&env.db);
    let full_export = env.ok(&["export", "scores"]);
    assert_eq!(incremental_export.lines().count(), 301);
    assert_eq!(incremental_export, full_export);
    assert_eq!(incremental_rows, full_rows);
}

#[test]
fn readers_never_see_a_locked_database_while_writers_work() {
    // Exports and listings run against a database being written to and re-scored.
    let env = Arc::new(Env::new().with_config(NO_AUTOMATIC_REFIT));
    env.ok(&["demo", "--contacts", "200", "--no-tui"]);
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let env = Arc::clone(&env);
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let mut i = 0;
            while !done.load(Ordering::SeqCst) {
                let args: &[&str] = if i % 10 == 9 {
                    &["score", "--refit"]
                } else {
                    &["log", "call", "C00007", "check-in"]
                };
                let run = env.run(args);
                assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
                i += 1;
            }
        })
    };
    for _ in 0..15 {
        for args in [
            &["export", "scores"][..],
            &["list", "at-risk", "--limit", "5"],
            &["show", "C00007"],
        ] {
            let run = run_command(env.command(args), None);
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            assert_eq!(run.stderr, "", "{args:?}");
        }
    }
    done.store(true, Ordering::SeqCst);
    writer.join().unwrap();
}

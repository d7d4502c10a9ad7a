//! Follow-up commands end to end (process start to exit) on the 10,000-contact demo business
//! (about 1M interactions) with 5,000 open follow-ups: `rapport today`, `follow-up add` and
//! `follow-up done --log call`, beside `rapport log call` as the budget they are held to; and the
//! workspace's first frame on the Today tab (open, load, draw on a 120×40 TestBackend).
//!
//! `cargo bench --bench follow_ups` (RAPPORT_BENCH_CONTACTS for another size; the database is the
//! engine bench's cached one, worked on in a fresh copy).

#[path = "support.rs"]
mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use rapport::config::Config;
use rapport::domain::{Due, FollowUpSource, NewFollowUp};
use rapport::store::Store;
use rapport::tui::keymap::Keymap;
use rapport::tui::session::Session;
use rapport::tui::state::App;
use rapport::tui::theme::Theme;
use rapport::tui::{render, Tab};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use support::{cached_database, median, ms, percentile, rapport, today, working_copy};

const OPEN: usize = 5_000;
const RUNS: usize = 40;

fn main() {
    let contacts: usize = std::env::var("RAPPORT_BENCH_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let (_dir, path) = working_copy(&cached_database(contacts));
    let mut store = Store::open(&path).expect("open bench database");
    // 5,000 open follow-ups spread over the six weeks around today: some overdue, some later.
    store
        .write(today(), |w| {
            for i in 0..OPEN {
                let offset = (i as i64 * 37) % 42 - 21;
                w.add_follow_up(&NewFollowUp {
                    contact_id: 1 + (i as i64 * 7919) % contacts as i64,
                    text: format!("bench follow-up {i}"),
                    due: Due {
                        date: today() + chrono::Duration::days(offset),
                        time: None,
                    },
                    every: None,
                    source: FollowUpSource::Manual,
                    created_at: today().and_hms_opt(9, 0, 0).expect("nine"),
                })?;
            }
            Ok(())
        })
        .expect("add follow-ups");
    store.refit(today()).expect("fresh models");
    store.checkpoint().expect("checkpoint");
    drop(store);

    let binary = env!("CARGO_BIN_EXE_rapport");
    let run = |args: &[String]| -> Duration {
        let started = Instant::now();
        let status = rapport(binary, &path)
            .args(args)
            .stdout(Stdio::null())
            .status()
            .expect("run rapport");
        assert!(status.success(), "rapport {args:?}");
        started.elapsed()
    };
    let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    let contact = |i: usize| format!("C{:05}", 1 + (i * 131) % contacts);
    let measure = |name: &str, args: &dyn Fn(usize) -> Vec<String>| {
        let samples: Vec<Duration> = (0..RUNS).map(|i| run(&args(i))).collect();
        (
            name.to_string(),
            median(samples.clone()),
            percentile(samples, 0.95),
        )
    };
    let today_run = measure("`rapport today`", &|_| words("today"));
    let today_json = measure("`rapport today --format json`", &|_| {
        words("today --format json")
    });
    let log = measure("`rapport log call` (the budget)", &|i| {
        vec!["log".into(), "call".into(), contact(i), "bench".into()]
    });
    let add = measure("`rapport follow-up add`", &|i| {
        vec![
            "fu".into(),
            "add".into(),
            contact(i),
            "bench".into(),
            "--due".into(),
            "friday".into(),
        ]
    });
    // The ids of the follow-ups just added follow the 5,000 made above.
    let done = measure("`rapport follow-up done ID --log call`", &|i| {
        vec![
            "fu".into(),
            "done".into(),
            (OPEN + 1 + i).to_string(),
            "--log".into(),
            "call".into(),
        ]
    });
    let first_frame = || -> Duration {
        let started = Instant::now();
        let store = Store::open_with(&path, Config::default()).expect("open");
        let app = App::new(
            Config::default(),
            Keymap::default(),
            Theme { color: true },
            today(),
            Tab::Today,
            (120, 40),
        );
        let session = Session::new(store, app);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("backend");
        terminal
            .draw(|frame| render::draw(frame, &session.app))
            .expect("draw");
        assert!(
            !session.app.today_tab.items.is_empty(),
            "Today shows something"
        );
        started.elapsed()
    };
    let frames: Vec<Duration> = (0..RUNS).map(|_| first_frame()).collect();
    println!("| {contacts} contacts, {OPEN} open follow-ups, process start to exit | median | p95 | target |");
    println!("|---|---|---|---|");
    let budget = log.1.mul_f64(1.5);
    for (name, m, p) in [&today_run, &today_json, &log, &add, &done] {
        let target = if name.starts_with("`rapport today") {
            "≤ 20 ms".to_string()
        } else if name.contains("budget") {
            "—".to_string()
        } else {
            format!("≤ 1.5 × log = {}", ms(budget))
        };
        println!("| {name} | {} | {} | {target} |", ms(*m), ms(*p));
    }
    println!(
        "| workspace: first frame on Today (in process) | {} | {} | ≤ 50 ms |",
        ms(median(frames.clone())),
        ms(percentile(frames, 0.95))
    );
}

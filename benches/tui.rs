//! TUI speed on a 10,000-client demo business (about a million interactions): time to the first
//! frame, and time from a keypress to the redrawn frame, on a TestBackend; then the peak resident
//! memory of the whole run.
//!
//! `cargo bench --bench tui` (release); `RAPPORT_TUI_CONTACTS=100000 cargo bench --bench tui` for
//! the 100,000-client business. The demo database is generated once with the real binary and reused
//! (the scale bench's cached `target/bench-data/scale-demo-N.db` when it exists). Targets: first
//! frame < 150 ms at 10,000 and < 300 ms at 100,000 (the Overview's: < 500 ms); keypress redraw
//! < 16 ms; memory < 150 MB. The Overview's figures come from a reader thread after its first
//! frame: how long until they show is measured too.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rapport::config::Config;
use rapport::store::Store;
use rapport::tui::keymap::Keymap;
use rapport::tui::session::Session;
use rapport::tui::state::App;
use rapport::tui::theme::Theme;
use rapport::tui::{render, start_tab, Action, Tab};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const DEFAULT_CONTACTS: usize = 10_000;
const SIZE: (u16, u16) = (120, 40);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn contacts() -> usize {
    std::env::var("RAPPORT_TUI_CONTACTS")
        .map(|n| n.parse().expect("RAPPORT_TUI_CONTACTS: a number"))
        .unwrap_or(DEFAULT_CONTACTS)
}

/// First-frame budget: the 150 ms up to 10,000 clients, 300 ms beyond.
fn first_frame_budget(contacts: usize) -> f64 {
    if contacts <= 10_000 {
        150.0
    } else {
        300.0
    }
}

fn database(contacts: usize) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let shared = target.join(format!("bench-data/scale-demo-{contacts}.db"));
    if shared.exists() {
        return shared;
    }
    let path = target.join(format!("tui-bench-{contacts}.db"));
    if !path.exists() {
        eprintln!(
            "generating {} demo clients into {} (once)…",
            contacts,
            path.display()
        );
        let status = Command::new(env!("CARGO_BIN_EXE_rapport"))
            .args([
                "demo",
                "--no-tui",
                "--as-of",
                "2026-11-23",
                "--contacts",
                &contacts.to_string(),
                "--db",
            ])
            .arg(&path)
            .status()
            .expect("the rapport binary runs");
        assert!(status.success(), "demo generation failed");
    }
    path
}

fn draw(terminal: &mut Terminal<TestBackend>, session: &Session) {
    terminal
        .draw(|frame| render::draw(frame, &session.app))
        .unwrap();
}

/// Opening the store, choosing the tab, loading the visible page and drawing it.
fn first_frame(path: &Path, tab: Option<Tab>) -> (Duration, Session) {
    let started = Instant::now();
    let config = Config::default();
    let store = Store::open_with(path, config.clone()).unwrap();
    let tab = tab.unwrap_or_else(start_tab);
    let app = App::new(
        config,
        Keymap::default(),
        Theme { color: true },
        today(),
        tab,
        SIZE,
    );
    let session = Session::new(store, app);
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    draw(&mut terminal, &session);
    (started.elapsed(), session)
}

/// The Overview's first-frame budget: 150 ms up to 10,000 clients, 500 ms beyond.
fn overview_budget(contacts: usize) -> f64 {
    if contacts <= 10_000 {
        150.0
    } else {
        500.0
    }
}

/// Whether the Overview shows the figures of the period chosen (not "reading…").
fn overview_shown(session: &Session) -> bool {
    let state = &session.app.overview;
    state.data_of(state.period(session.app.today)).is_some()
}

/// Takes the reader's answers until the Overview shows the figures of the period chosen.
fn wait_for_overview(session: &mut Session) {
    while !overview_shown(session) {
        std::thread::sleep(Duration::from_millis(1));
        session.take_replies();
    }
}

struct Stats {
    median: Duration,
    p95: Duration,
    max: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p95: at(0.95),
        max: *samples.last().unwrap(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Time of `action` + redraw, `runs` times (after `setup` each time, untimed).
fn keypress(
    session: &mut Session,
    runs: usize,
    setup: impl FnMut(&mut Session),
    action: Action,
) -> Stats {
    measure(session, runs, setup, |s| {
        s.act(action);
    })
}

/// Time of `timed` + redraw, `runs` times (after `setup` each time, untimed).
fn measure(
    session: &mut Session,
    runs: usize,
    mut setup: impl FnMut(&mut Session),
    mut timed: impl FnMut(&mut Session),
) -> Stats {
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    draw(&mut terminal, session);
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        setup(session);
        draw(&mut terminal, session);
        let started = Instant::now();
        timed(session);
        draw(&mut terminal, session);
        samples.push(started.elapsed());
    }
    stats(samples)
}

/// Peak resident memory of this process so far (VmHWM), in MB.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status.lines().find_map(|l| {
        l.strip_prefix("VmHWM:")
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    })?;
    Some(kib / 1024.0)
}

fn report(name: &str, s: &Stats, budget_ms: f64) {
    let verdict = if s.p95.as_secs_f64() * 1000.0 <= budget_ms {
        "ok"
    } else {
        "OVER"
    };
    println!(
        "{:<44} median {:>9}  p95 {:>9}  max {:>9}  [{} {} ms]",
        name,
        ms(s.median),
        ms(s.p95),
        ms(s.max),
        verdict,
        budget_ms
    );
}

/// Replaces the filter being typed with `text`.
fn type_filter(s: &mut Session, text: &str) {
    s.act(Action::ClearLine);
    for c in text.chars() {
        s.act(Action::Insert(c));
    }
}

fn main() {
    // `cargo test --benches` runs benches with --test-ish arguments; only `cargo bench` measures.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let contacts = contacts();
    let path = database(contacts);
    let _ = Store::open(&path).unwrap().contact_count().unwrap();
    println!(
        "TUI on {} ({} contacts), terminal {}×{}",
        path.display(),
        contacts,
        SIZE.0,
        SIZE.1
    );

    for tab in [
        None,
        Some(Tab::AtRisk),
        Some(Tab::Contacts),
        Some(Tab::Interactions),
        Some(Tab::Segments),
    ] {
        let samples: Vec<Duration> = (0..7).map(|_| first_frame(&path, tab).0).collect();
        let name = match tab {
            None => "first frame (start tab: Today)".to_string(),
            Some(t) => format!("first frame on {}", t.title()),
        };
        report(&name, &stats(samples), first_frame_budget(contacts));
    }

    // The Overview: its first frame, then the figures from its reader.
    let mut first = Vec::new();
    let mut shown = Vec::new();
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    for _ in 0..7 {
        let started = Instant::now();
        let (frame, mut s) = first_frame(&path, Some(Tab::Overview));
        wait_for_overview(&mut s);
        draw(&mut terminal, &s);
        first.push(frame);
        shown.push(started.elapsed());
    }
    report(
        "first frame on Overview",
        &stats(first),
        overview_budget(contacts),
    );
    report(
        "Overview: ... until its figures show",
        &stats(shown),
        overview_budget(contacts),
    );
    let (_, mut s) = first_frame(&path, Some(Tab::Overview));
    wait_for_overview(&mut s);
    report(
        "Overview: [ (the month before) until it shows",
        &measure(
            &mut s,
            5,
            |_| {},
            |s| {
                s.act(Action::EarlierPeriod);
                wait_for_overview(s);
            },
        ),
        overview_budget(contacts),
    );
    report(
        "Overview: ] back (read before)",
        &keypress(&mut s, 5, |_| {}, Action::LaterPeriod),
        16.0,
    );
    report(
        "Overview: P (the quarter, then the year) until it shows",
        &measure(
            &mut s,
            2,
            |_| {},
            |s| {
                s.act(Action::CyclePeriod);
                wait_for_overview(s);
            },
        ),
        overview_budget(contacts),
    );

    let (_, mut s) = first_frame(&path, Some(Tab::Contacts));
    report(
        "Contacts: j (next row + its detail)",
        &keypress(&mut s, 200, |_| {}, Action::Down),
        16.0,
    );
    report(
        "Contacts: PgDn",
        &keypress(&mut s, 100, |_| {}, Action::PageDown),
        16.0,
    );
    report(
        "Contacts: G (last page)",
        &keypress(
            &mut s,
            30,
            |s| {
                s.act(Action::Top);
            },
            Action::Bottom,
        ),
        16.0,
    );
    report(
        "Contacts: s (re-sort all)",
        &keypress(&mut s, 30, |_| {}, Action::Sort),
        16.0,
    );
    s.act(Action::Filter);
    report(
        "Contacts: typing a filter letter",
        &keypress(
            &mut s,
            30,
            |s| {
                s.act(Action::ClearLine);
                s.act(Action::Insert('a'));
            },
            Action::Insert('n'),
        ),
        16.0,
    );
    // From three letters on, the filter reads the full-text indexes (migration 9).
    report(
        "Contacts: typing a fourth filter letter (full-text index)",
        &keypress(&mut s, 30, |s| type_filter(s, "eva"), Action::Insert('n')),
        16.0,
    );
    report(
        "Contacts: typing a fourth letter of a filter that matches no one (index)",
        &keypress(&mut s, 30, |s| type_filter(s, "zzq"), Action::Insert('x')),
        16.0,
    );
    // A filter that keeps many clients, kept on while re-sorting: the sort's index is walked.
    s.act(Action::ClearLine);
    s.act(Action::Insert('a'));
    s.act(Action::Submit);
    report(
        "Contacts: s with a filter on",
        &keypress(&mut s, 30, |_| {}, Action::Sort),
        16.0,
    );
    // A filter that keeps nobody: every contact is searched once for the count and the page.
    s.act(Action::Filter);
    report(
        "Contacts: typing a filter that matches no one",
        &keypress(
            &mut s,
            30,
            |s| {
                s.act(Action::ClearLine);
                s.act(Action::Insert('q'));
            },
            Action::Insert('x'),
        ),
        16.0,
    );
    report(
        "Contacts: ... until the worker's answer shows",
        &measure(
            &mut s,
            30,
            |s| {
                s.act(Action::ClearLine);
                s.act(Action::Insert('q'));
            },
            |s| {
                s.act(Action::Insert('x'));
                while s.app.contacts.searching {
                    std::thread::sleep(Duration::from_millis(1));
                    s.take_replies();
                }
            },
        ),
        250.0,
    );
    s.act(Action::Cancel);
    s.tick();
    report(
        "Contacts: idle tick after j (similar clients)",
        &measure(
            &mut s,
            30,
            |s| {
                s.act(Action::Down);
            },
            |s| {
                s.tick();
            },
        ),
        250.0,
    );

    s.act(Action::GoTab(Tab::Interactions));
    report(
        "Interactions: j",
        &keypress(&mut s, 200, |_| {}, Action::Down),
        16.0,
    );
    report(
        "Interactions: PgDn",
        &keypress(&mut s, 100, |_| {}, Action::PageDown),
        16.0,
    );
    report(
        "Interactions: t (filter by kind)",
        &keypress(&mut s, 30, |_| {}, Action::KindFilter),
        16.0,
    );
    report(
        "Interactions: idle tick after t (exact count)",
        &measure(
            &mut s,
            14,
            |s| {
                s.act(Action::KindFilter);
            },
            |s| {
                s.tick();
            },
        ),
        250.0,
    );

    s.act(Action::GoTab(Tab::AtRisk));
    report(
        "At risk: j",
        &keypress(&mut s, 200, |_| {}, Action::Down),
        16.0,
    );
    report(
        "At risk: PgDn",
        &keypress(&mut s, 100, |_| {}, Action::PageDown),
        16.0,
    );

    report(
        "Segments: 3 after data changed (all scores)",
        &keypress(
            &mut s,
            10,
            |s| {
                s.act(Action::GoTab(Tab::AtRisk));
                s.app.data_changed();
            },
            Action::GoTab(Tab::Segments),
        ),
        first_frame_budget(contacts),
    );
    report(
        "Segments: j (cached)",
        &keypress(&mut s, 100, |_| {}, Action::Down),
        16.0,
    );
    match peak_memory_mb() {
        Some(mb) => println!(
            "peak resident memory of this workspace run: {mb:.0} MB [{} 150 MB]",
            if mb <= 150.0 { "ok" } else { "OVER" }
        ),
        None => println!("peak resident memory: /proc/self/status not readable"),
    }
}

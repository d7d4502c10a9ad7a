//! The Overview tab on the fixed business: its keys change the period shown (kind and step), the
//! figures follow the data, nothing is made up before the first sale, and without colour the
//! arrows still say which way each figure went.

mod tui_support;

use std::time::Duration;

use rapport::tui::session::Session;
use rapport::tui::theme::Theme;
use rapport::tui::{Action, Tab};
use ratatui::style::Color;
use tui_support::{draw, screen_text, session};

fn db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    (dir, path)
}

/// Presses `action` and waits for the Overview's reader, as a user who looks would.
fn press(s: &mut Session, action: Action) -> String {
    s.act(action);
    s.wait_for_jobs(Duration::from_secs(30));
    screen_text(s)
}

fn status(s: &Session) -> String {
    s.app
        .status
        .as_ref()
        .map(|st| st.text.clone())
        .unwrap_or_default()
}

/// The headline row of one figure, e.g. `Revenue 1,000 ▲ 100%`, spaces squeezed.
fn figure(screen: &str, label: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no {label} on screen:\n{screen}"));
    let from = line.find(label).unwrap();
    let cell: String = line[from..].chars().take(38).collect();
    cell.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The screen without its status line.
fn body(screen: &str) -> Vec<&str> {
    let lines: Vec<&str> = screen.lines().collect();
    lines[..lines.len() - 1].to_vec()
}

/// The screen with every run of spaces made one.
fn squeezed(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn stepping_back_and_forth_changes_the_period_and_its_figures() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Overview, (80, 24));
    let now = screen_text(&s);
    assert!(
        now.contains("2026-11 so far (day 23 of 30) against 2026-10 · EUR"),
        "{now}"
    );
    // November: Ana's 1,000 maintenance against Li's 500 website in October.
    assert_eq!(figure(&now, "Revenue "), "Revenue 1,000 ▲ 100%");
    assert!(squeezed(&now).contains("Maintenance 1,000 100%"), "{now}");

    let october = press(&mut s, Action::EarlierPeriod);
    assert!(
        october.contains("2026-10 against 2026-09 · EUR"),
        "{october}"
    );
    assert!(!october.contains("so far (day"), "{october}");
    // Nothing sold in September: a rise from nothing shows the amount, not a percentage.
    assert_eq!(figure(&october, "Revenue "), "Revenue 500 ▲ 500");
    assert_eq!(figure(&october, "New clients"), "New clients 1 ▲ 1");
    assert!(squeezed(&october).contains("Website 500 100%"), "{october}");
    // The charts end with the chosen month.
    assert!(
        october.contains("to 2026-10 · highest 3,000 in 2025-07"),
        "{october}"
    );

    let back = press(&mut s, Action::LaterPeriod);
    assert_eq!(back, now, "back on November, as it was");
    assert_eq!(
        s.app.overview.chosen, None,
        "the current month follows today"
    );
    // The current month is the last one.
    let still = press(&mut s, Action::LaterPeriod);
    assert_eq!(body(&still), body(&now));
    assert_eq!(
        status(&s),
        "2026-11 is the current month; the next has not begun."
    );
}

#[test]
fn the_period_key_cycles_months_quarters_and_years() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Overview, (80, 24));
    let quarter = press(&mut s, Action::CyclePeriod);
    assert!(
        quarter.contains("2026-Q4 so far (day 54 of 92) against 2026-Q3"),
        "{quarter}"
    );
    // Q4: Li's 500 in October and Ana's 1,000 in November; Q3: Ana's 1,100 in August.
    assert_eq!(figure(&quarter, "Revenue "), "Revenue 1,500 ▲ 36%");
    assert_eq!(
        figure(&quarter, "Active clients"),
        "Active clients 2 ▲ 100%"
    );
    let year = press(&mut s, Action::CyclePeriod);
    assert!(
        year.contains("2026 so far (day 327 of 365) against 2025"),
        "{year}"
    );
    // 2026: 1,000 + 900 + 1,100 + 1,000 (Ana) + 500 (Bo) + 500 (Li) + 600 (Omar).
    // 2025: 3,850 (Ana) + 3,850 (Bo) + 1,500 (Omar) = 9,200.
    assert_eq!(figure(&year, "Revenue "), "Revenue 5,600 ▼ 39%");
    // Two years back is 2024, the first year with a sale; there is none before it.
    press(&mut s, Action::EarlierPeriod);
    let first = press(&mut s, Action::EarlierPeriod);
    assert!(first.contains(" 2024 against 2023 · EUR"), "{first}");
    let refused = press(&mut s, Action::EarlierPeriod);
    assert_eq!(body(&refused), body(&first));
    assert_eq!(
        status(&s),
        "2024 is the first year: nothing was sold before 2024-04-01."
    );
    // Back to months, around the chosen year's last month.
    let december = press(&mut s, Action::CyclePeriod);
    assert!(december.contains("2024-12 against 2024-11"), "{december}");
}

#[test]
fn figures_follow_a_purchase_logged_elsewhere() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Overview, (80, 24));
    assert_eq!(figure(&screen_text(&s), "Revenue "), "Revenue 1,000 ▲ 100%");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["--db"])
        .arg(&path)
        .args(["--as-of", "2026-11-23", "log", "purchase", "Bo Chen", "500"])
        .args(["--item", "Logo design"])
        .env("RAPPORT_CONFIG", path.with_extension("toml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    s.tick();
    s.wait_for_jobs(Duration::from_secs(30));
    let text = screen_text(&s);
    assert_eq!(figure(&text, "Revenue "), "Revenue 1,500 ▲ 200%");
    assert_eq!(figure(&text, "Active clients"), "Active clients 2 ▲ 100%");
    assert!(text.contains("Logo design"), "{text}");
}

#[test]
fn nothing_sold_yet_says_so() {
    let (_dir, path) = db();
    let store = rapport::store::Store::open(&path).unwrap();
    let s = tui_support::session_on(store, Tab::Overview, (80, 24));
    let text = screen_text(&s);
    assert!(text.contains("Nothing sold yet"), "{text}");
    assert!(!text.contains('▲') && !text.contains('▼'), "{text}");
}

#[test]
fn without_colour_the_arrows_still_say_which_way() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Overview, (120, 40));
    s.app.theme = Theme { color: false };
    let terminal = draw(&s);
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "a colour was drawn under NO_COLOR"
    );
    let text = terminal.backend().to_string();
    assert_eq!(figure(&text, "Revenue "), "Revenue 1,000 ▲ 100%");
    assert_eq!(figure(&text, "New clients"), "New clients 0 ▼ 100%");
    // In colour, the rise is green and the fall red (fewer new clients is worse).
    s.app.theme = Theme { color: true };
    let terminal = draw(&s);
    let cell_of = |symbol: &str| {
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.symbol() == symbol)
            .map(|c| c.fg)
            .collect::<Vec<_>>()
    };
    assert!(cell_of("▲").contains(&Color::Green), "{:?}", cell_of("▲"));
    assert!(cell_of("▼").contains(&Color::Red), "{:?}", cell_of("▼"));
}

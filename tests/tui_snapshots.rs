//! Every tab at 80×24 on a fixed small business, one narrow size and one below the minimum.

mod tui_support;

use rapport::tui::{Action, Tab};
use tui_support::{draw, screen_text, session};

fn db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    (dir, path)
}

#[test]
fn today_tab() {
    let (_dir, path) = db();
    let s = session(&path, Tab::Today, (80, 24));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn today_done_form() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Today, (80, 24));
    s.act(Action::FollowUpDone);
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn today_with_nothing_to_do() {
    let (_dir, path) = db();
    let store = rapport::store::Store::open(&path).unwrap();
    let s = tui_support::session_on(store, Tab::Today, (80, 24));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn contacts_tab() {
    let (_dir, path) = db();
    let s = session(&path, Tab::Contacts, (80, 24));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn contacts_detail_expanded() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Contacts, (80, 24));
    s.act(Action::Open);
    s.wait_for_jobs(std::time::Duration::from_secs(30));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn interactions_tab() {
    let (_dir, path) = db();
    let s = session(&path, Tab::Interactions, (80, 24));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn segments_tab() {
    let (_dir, path) = db();
    let s = session(&path, Tab::Segments, (80, 24));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn at_risk_tab() {
    let (_dir, path) = db();
    let s = session(&path, Tab::AtRisk, (80, 24));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn overview_tab() {
    let (_dir, path) = db();
    let s = session(&path, Tab::Overview, (80, 24));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn overview_tab_wide() {
    let (_dir, path) = db();
    let s = session(&path, Tab::Overview, (120, 40));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn purchase_form_with_an_inline_error() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Contacts, (80, 24));
    s.act(Action::Log(rapport::domain::InteractionKind::Purchase));
    for c in "12x".chars() {
        s.act(Action::Insert(c));
    }
    s.act(Action::Submit);
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn help_overlay() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Contacts, (80, 24));
    s.act(Action::Help);
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn narrow_terminal() {
    let (_dir, path) = db();
    let s = session(&path, Tab::Contacts, (40, 12));
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn below_the_minimum_says_so() {
    let (_dir, path) = db();
    let s = session(&path, Tab::Contacts, (30, 8));
    let text = screen_text(&s);
    assert!(text.contains("at least 40×10"), "{text}");
    insta::assert_snapshot!(draw(&s).backend());
}

#[test]
fn every_tab_survives_every_size_and_no_control_character_reaches_the_screen() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Contacts, (80, 24));
    for tab in Tab::ALL {
        s.act(Action::GoTab(tab));
        for (w, h) in [
            (1, 1),
            (10, 3),
            (39, 9),
            (40, 10),
            (41, 11),
            (55, 17),
            (80, 24),
            (119, 30),
            (120, 40),
            (250, 70),
        ] {
            s.act(Action::Resize(w, h));
            let text = screen_text(&s);
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "control character on {:?} at {}x{}",
                tab,
                w,
                h
            );
        }
    }
}

#[test]
fn action_report_pager() {
    let (_dir, path) = db();
    // Opening At risk records the win-back calls on screen; `r` reports on them.
    let mut s = session(&path, Tab::AtRisk, (100, 30));
    s.act(Action::Report);
    s.wait_for_jobs(std::time::Duration::from_secs(30));
    let text = screen_text(&s);
    assert!(text.contains("Did the suggestions work?"), "{text}");
    insta::assert_snapshot!(draw(&s).backend());
}

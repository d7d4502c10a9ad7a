//! The workspace and the action ledger: what At risk, Today and the contact detail show is recorded
//! once (by the worker, not while drawing), and a held-back action never reaches the screen.

mod tui_support;

use std::time::Duration;

use rapport::config::Config;
use rapport::store::Store;
use rapport::tui::keymap::Keymap;
use rapport::tui::session::Session;
use rapport::tui::state::App;
use rapport::tui::theme::Theme;
use rapport::tui::{Action, Tab};
use tui_support::{build, screen_text, today};

/// Six at-risk actions, half of them held back: some are all but certain to be held.
fn holdback_config() -> Config {
    let mut config = Config::default();
    config.actions.at_risk = (1..=6).map(|i| format!("step{i} call")).collect();
    config.actions.holdback_share = 0.5;
    config
}

fn session_with(path: &std::path::Path, config: Config, tab: Tab) -> Session {
    drop(build(path));
    let mut store = Store::open_with(path, config.clone()).unwrap();
    store.rescore_all(today()).unwrap();
    let app = App::new(
        config,
        Keymap::default(),
        Theme { color: false },
        today(),
        tab,
        (120, 30),
    );
    let mut session = Session::new(store, app);
    session.wait_for_jobs(Duration::from_secs(30));
    session
}

/// (action, shown) recorded for the contact named `name`.
fn recorded(session: &Session, name: &str) -> Vec<(String, bool)> {
    let conn = session.store().conn();
    let mut statement = conn
        .prepare(
            "SELECT s.action, s.shown FROM suggestions s JOIN contacts c ON c.id = s.contact_id
             WHERE c.name = ?1 ORDER BY s.action",
        )
        .unwrap();
    statement
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn at_risk_records_what_it_shows_once_and_hides_held_back_actions() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session_with(&dir.path().join("r.db"), holdback_config(), Tab::AtRisk);
    let selected = s.app.at_risk.rows[0].contact.name.clone();
    let ledger = recorded(&s, &selected);
    // The selected client's pane shows every action: each was recorded, shown or held back.
    assert_eq!(ledger.len(), 6, "{ledger:?}");
    let held: Vec<&String> = ledger
        .iter()
        .filter(|(_, shown)| !shown)
        .map(|(a, _)| a)
        .collect();
    assert!(!held.is_empty() && held.len() < 6, "{ledger:?}");
    let screen = screen_text(&s);
    for (action, shown) in &ledger {
        assert_eq!(
            screen.contains(action.as_str()),
            *shown,
            "{action}:\n{screen}"
        );
    }
    // Moving about, ticking and redrawing record nothing twice.
    let count = |s: &Session| -> i64 {
        s.store()
            .conn()
            .query_row("SELECT count(*) FROM suggestions", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&s);
    for _ in 0..3 {
        s.act(Action::Down);
        s.act(Action::Up);
        s.tick();
        screen_text(&s);
    }
    s.wait_for_jobs(Duration::from_secs(30));
    assert_eq!(count(&s), before);
}

#[test]
fn the_contact_detail_hides_held_back_actions_like_at_risk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let first = session_with(&path, holdback_config(), Tab::AtRisk);
    let name = first.app.at_risk.rows[0].contact.name.clone();
    let ledger = recorded(&first, &name);
    drop(first);
    // The same client's detail on Contacts agrees with what At risk decided.
    let mut s = Session::new(
        Store::open_with(&path, holdback_config()).unwrap(),
        App::new(
            holdback_config(),
            Keymap::default(),
            Theme { color: false },
            today(),
            Tab::Contacts,
            (120, 30),
        ),
    );
    for _ in 0..10 {
        if s.app
            .contacts
            .detail
            .as_ref()
            .map(|d| d.contact.name.as_str())
            == Some(name.as_str())
        {
            break;
        }
        s.act(Action::Down);
    }
    s.wait_for_jobs(Duration::from_secs(30));
    let shown: Vec<String> = ledger
        .iter()
        .filter(|(_, shown)| *shown)
        .map(|(a, _)| a.clone())
        .collect();
    let detail = s.app.contacts.detail.as_ref().unwrap();
    assert_eq!(detail.scores.as_ref().unwrap().actions, shown);
    assert_eq!(
        recorded(&s, &name),
        ledger,
        "nothing new for an episode already recorded"
    );
}

#[test]
fn today_records_the_action_it_suggests_and_never_shows_a_held_back_one() {
    let dir = tempfile::tempdir().unwrap();
    let s = session_with(&dir.path().join("t.db"), holdback_config(), Tab::Today);
    // Bo Chen is the at-risk client without a plan (Omar has a call planned).
    // Its line shows one action: the held-back ones before it are recorded as not shown.
    let ledger = recorded(&s, "Bo Chen");
    assert_eq!(
        ledger.iter().filter(|(_, shown)| *shown).count(),
        1,
        "{ledger:?}"
    );
    assert!(recorded(&s, "Omar Haddad").is_empty());
    let screen = screen_text(&s);
    let line = screen.lines().find(|l| l.contains("Bo Chen")).unwrap();
    for (action, shown) in &ledger {
        assert_eq!(line.contains(action.as_str()), *shown, "{ledger:?}: {line}");
    }
}

//! The workspace with a real database but no terminal: quick logging, undo, live reload,
//! `:` commands, jumps, notes and background refits.

mod tui_support;

use std::time::{Duration, Instant};

use rapport::domain::{InteractionKind, NewInteraction};
use rapport::store::{InteractionFilter, Store};
use rapport::tui::state::Mode;
use rapport::tui::{Action, Tab};
use tui_support::{screen_text, session, session_on, today};

fn db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    (dir, path)
}

fn type_text(s: &mut rapport::tui::session::Session, text: &str) {
    for c in text.chars() {
        s.act(Action::Insert(c));
    }
}

fn count(store: &Store, name: &str, kind: InteractionKind) -> usize {
    let id = store.resolve_contact(name).unwrap().id;
    store
        .list_interactions(&InteractionFilter {
            contact: Some(id),
            kind: Some(kind),
            ..Default::default()
        })
        .unwrap()
        .len()
}

fn status(s: &rapport::tui::session::Session) -> String {
    s.app
        .status
        .as_ref()
        .map(|st| st.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_purchase_logged_on_at_risk_rescores_at_once_and_undo_takes_it_back() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::AtRisk, (80, 24));
    assert_eq!(s.app.selected_contact().unwrap().1, "Bo Chen");
    let before = s
        .store()
        .scores(s.app.selected_contact().unwrap().0)
        .unwrap()
        .unwrap();
    s.act(Action::Log(InteractionKind::Purchase));
    type_text(&mut s, "2,500");
    s.act(Action::NextField);
    type_text(&mut s, "Website");
    s.act(Action::Submit);
    assert_eq!(s.app.mode, Mode::Normal, "{:?}", s.app.mode);
    assert_eq!(count(s.store(), "Bo Chen", InteractionKind::Purchase), 5);
    let after = s
        .store()
        .scores(s.store().resolve_contact("Bo Chen").unwrap().id)
        .unwrap()
        .unwrap();
    assert!(after.churn_probability < before.churn_probability);
    let text = status(&s);
    assert!(
        text.starts_with("Logged purchase with Bo Chen (2,500 EUR)."),
        "{text}"
    );
    assert!(text.contains("churn 55% →"), "what moved is said: {text}");
    // Bo Chen is no longer at risk, so only Omar Haddad is left.
    assert_eq!(s.app.at_risk.cursor.total, 1);

    s.act(Action::Undo);
    assert_eq!(count(s.store(), "Bo Chen", InteractionKind::Purchase), 4);
    assert!(
        status(&s).starts_with("Undid the purchase with Bo Chen."),
        "{}",
        status(&s)
    );
    assert_eq!(s.app.at_risk.cursor.total, 2);
    s.act(Action::Undo);
    assert!(status(&s).contains("Nothing to undo"));
}

#[test]
fn an_invalid_entry_is_refused_inline_and_nothing_is_saved() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Contacts, (80, 24));
    let purchases = count(s.store(), "Ana Ruiz", InteractionKind::Purchase);
    s.act(Action::Log(InteractionKind::Purchase));
    type_text(&mut s, "100");
    s.act(Action::NextField);
    s.act(Action::NextField);
    type_text(&mut s, "2026-12-24");
    s.act(Action::Submit);
    let Mode::Form(form) = &s.app.mode else {
        panic!("the form stays open")
    };
    assert!(
        form.error.as_ref().unwrap().message.contains("after today"),
        "{:?}",
        form.error
    );
    assert!(screen_text(&s).contains("after today"));
    assert_eq!(
        count(s.store(), "Ana Ruiz", InteractionKind::Purchase),
        purchases
    );
    s.act(Action::Cancel);
    assert_eq!(
        count(s.store(), "Ana Ruiz", InteractionKind::Purchase),
        purchases
    );
}

#[test]
fn another_process_writing_shows_up_on_the_next_tick() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Interactions, (80, 24));
    let total = s.app.interactions.cursor.total;
    let mut other = Store::open(&path).unwrap();
    let ana = other.resolve_contact("Ana").unwrap().id;
    let new = NewInteraction {
        contact_id: ana,
        kind: InteractionKind::Call,
        occurred_at: today().and_hms_opt(15, 30, 0).unwrap(),
        summary: Some("from another SSH session".into()),
        amount: None,
        item: None,
        ratings: Vec::new(),
    };
    other
        .write(today(), |w| w.add_interaction(&new, "EUR"))
        .unwrap();
    assert!(s.tick(), "the tick notices the other connection's commit");
    assert_eq!(s.app.interactions.cursor.total, total + 1);
    assert!(screen_text(&s).contains("from another SSH session"));
}

#[test]
fn command_line_runs_cli_words_in_the_background() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Contacts, (80, 24));
    s.act(Action::Command);
    type_text(&mut s, "log purchase ana 1200 --item \"Website redesign\"");
    s.act(Action::Submit);
    s.wait_for_jobs(Duration::from_secs(30));
    assert!(
        status(&s).contains("Logged purchase with Ana Ruiz"),
        "{}",
        status(&s)
    );
    let rows = s
        .store()
        .list_interactions(&InteractionFilter {
            search: Some("Website redesign".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].interaction.amount, Some(120_000));

    s.act(Action::Command);
    type_text(&mut s, "add \"Bo Chen\" --email bo@x.io");
    s.act(Action::Submit);
    s.wait_for_jobs(Duration::from_secs(30));
    assert!(status(&s).starts_with("Added Bo Chen"), "{}", status(&s));
    assert!(
        s.store()
            .list_contacts(Some("bo@x.io"), Default::default(), None)
            .unwrap()
            .len()
            == 1
    );

    s.act(Action::Command);
    type_text(&mut s, "log purchase ana -5");
    s.act(Action::Submit);
    s.wait_for_jobs(Duration::from_secs(30));
    let error = s.app.status.clone().unwrap();
    assert!(error.error && error.text.contains("negative"), "{error:?}");

    s.act(Action::Command);
    type_text(&mut s, "log call 'unclosed");
    s.act(Action::Submit);
    assert!(status(&s).contains("unclosed"));
}

#[test]
fn enter_on_an_interaction_jumps_to_its_contact() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Interactions, (80, 24));
    s.act(Action::Down); // Ana's call of 2026-11-10
    s.act(Action::Open);
    assert_eq!(s.app.tab, Tab::Contacts);
    assert_eq!(s.app.selected_contact().unwrap().1, "Ana Ruiz");
    assert_eq!(
        s.app.contacts.detail.as_ref().unwrap().contact.name,
        "Ana Ruiz"
    );
}

#[test]
fn adding_a_contact_selects_it_even_through_a_filter() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Contacts, (80, 24));
    s.act(Action::Filter);
    type_text(&mut s, "zoë");
    s.act(Action::Submit);
    assert_eq!(s.app.contacts.cursor.total, 1);
    s.act(Action::AddContact);
    type_text(&mut s, "Bo Chen Jr");
    s.act(Action::NextField);
    type_text(&mut s, "bojr@x.io");
    s.act(Action::Submit);
    assert_eq!(s.app.mode, Mode::Normal);
    assert_eq!(status(&s), "Added Bo Chen Jr.");
    assert_eq!(s.app.selected_contact().unwrap().1, "Bo Chen Jr");
    assert_eq!(
        s.app.contacts.filter.text(),
        "",
        "the hiding filter was cleared"
    );
}

#[test]
fn a_saved_note_reaches_the_database() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Contacts, (80, 24));
    let (id, _) = s.app.selected_contact().unwrap();
    let before = s.note(id).unwrap();
    s.save_note(id, &before, "Prefers calls on Mondays\n\n");
    assert_eq!(
        s.store().contact(id).unwrap().note.as_deref(),
        Some("Prefers calls on Mondays")
    );
    s.save_note(id, "Prefers calls on Mondays", "Prefers calls on Mondays\n");
    assert_eq!(status(&s), "Note unchanged.");
}

#[test]
fn refits_run_off_the_ui_thread() {
    let (_dir, path) = db();
    let store = tui_support::build(&path);
    let version = store.latest_models().unwrap().unwrap().version;
    let mut s = session_on(store, Tab::Contacts, (80, 24));
    // A day later the models are due; the refit starts in the background.
    s.app.today = today().succ_opt().unwrap();
    let started = Instant::now();
    s.enable_auto_refit();
    s.act(Action::Down);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "keys do not wait for the refit"
    );
    s.wait_for_jobs(Duration::from_secs(60));
    assert!(s.app.busy.is_none());
    assert!(s.store().latest_models().unwrap().unwrap().version > version);
    assert!(status(&s).contains("Models refitted"), "{}", status(&s));
}

#[test]
fn a_filter_over_many_clients_counts_as_far_as_paging_needs_then_exactly_when_idle() {
    let (_dir, mut s) = contacts_with_clients(1200);
    // What the keypress shows must not depend on how loaded the machine is: a budget no busy CI
    // runner exceeds (the worker hand-off past the budget is the next test's subject).
    s.set_search_budget(Duration::from_secs(5));
    assert!(
        screen_text(&s).contains("Contacts 1–"),
        "{}",
        screen_text(&s)
    );
    s.act(Action::Filter);
    type_text(&mut s, "client");
    // On the keypress: the search stopped once there were more than a list's worth, and the
    // title says there are more.
    let typed = screen_text(&s);
    assert!(typed.contains("of 1,001+"), "{typed}");
    // When the keys are idle the worker counts them all.
    s.wait_for_jobs(Duration::from_secs(30));
    let idle = screen_text(&s);
    assert!(
        idle.contains("of 1,200 ") && !idle.contains("1,200+"),
        "{idle}"
    );
    s.act(Action::Submit);
    s.act(Action::Bottom);
    assert_eq!(
        s.app.contacts.cursor.selected, 1199,
        "G reaches the last client"
    );
    assert!(screen_text(&s).contains("of 1,200 "));
}

/// A session on the Contacts tab over `n` clients named "Client 0000"…
fn contacts_with_clients(n: usize) -> (tempfile::TempDir, rapport::tui::session::Session) {
    let (dir, path) = db();
    let mut store = Store::open(&path).unwrap();
    store
        .write(today(), |w| {
            for i in 0..n {
                let fields = rapport::domain::ContactFields {
                    name: Some(format!("Client {i:04}")),
                    ..Default::default()
                };
                w.add_contact(&fields, today().and_hms_opt(9, 0, 0).unwrap())?;
            }
            Ok(())
        })
        .unwrap();
    (dir, session_on(store, Tab::Contacts, (100, 30)))
}

#[test]
fn a_search_longer_than_a_keypress_goes_to_the_worker_and_shows_when_done() {
    let (_dir, mut s) = contacts_with_clients(300);
    // No time at all for a keypress: every search is the worker's.
    s.set_search_budget(Duration::ZERO);
    s.act(Action::Filter);
    type_text(&mut s, "client 010");
    let typed = screen_text(&s);
    assert!(typed.contains("Contacts searching…"), "{typed}");
    assert!(
        s.app.contacts.rows.is_empty(),
        "no stale rows while searching"
    );
    s.wait_for_jobs(Duration::from_secs(30));
    let found = screen_text(&s);
    assert!(found.contains("of 10 ·"), "{found}");
    assert!(
        found.contains("Client 0100") && found.contains("Client 0109"),
        "{found}"
    );
    // Sorting the matches found needs no new search.
    s.act(Action::Submit);
    s.act(Action::Sort);
    assert!(!s.app.contacts.searching);
    assert_eq!(s.app.contacts.rows.len(), 10);
}

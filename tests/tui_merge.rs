//! Merging duplicates from the workspace: the contact detail shows the selected contact's likely
//! duplicates with the reason, `D` opens a popup with what a merge would move (a dry run), Esc
//! changes nothing, Tab swaps which contact is kept, and `y` merges through the same store
//! function as `rapport merge`, re-scored, selecting the contact kept.

mod common;
mod tui_support;

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use rapport::domain::text::plural;
use rapport::domain::{
    ContactFields, ContactId, FollowUpSource, InteractionKind, NewFollowUp, NewInteraction,
};
use rapport::store::Store;
use rapport::tui::action::Action;
use rapport::tui::keymap::Keymap;
use rapport::tui::merge::Duplicate;
use rapport::tui::session::Session;
use rapport::tui::state::Mode;
use rapport::tui::Tab;
use tui_support::{build, screen_text, session_on, status, today};

fn at(date: &str) -> NaiveDateTime {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

/// Adds a contact with `email`, a purchase, a call and a follow-up; returns its id.
fn person(store: &mut Store, name: &str, email: &str, created: &str) -> ContactId {
    let fields = ContactFields {
        name: Some(name.into()),
        email: Some(email.into()),
        ..ContactFields::default()
    };
    store
        .write(today(), |w| {
            let id = w.add_contact(&fields, at(created))?;
            for (kind, date, amount) in [
                (InteractionKind::Purchase, "2026-06-01", Some(90_000)),
                (InteractionKind::Call, "2026-10-01", None),
            ] {
                let new = NewInteraction {
                    contact_id: id,
                    kind,
                    occurred_at: at(date),
                    summary: None,
                    amount,
                    item: amount.map(|_| "Website".into()),
                    ratings: Vec::new(),
                };
                w.add_interaction(&new, "EUR")?;
            }
            w.add_follow_up(&NewFollowUp {
                contact_id: id,
                text: format!("call {name} back"),
                due: rapport::domain::due::parse_due("2026-12-01", today()).unwrap(),
                every: None,
                source: FollowUpSource::Manual,
                created_at: at("2026-11-16"),
            })?;
            Ok(id)
        })
        .unwrap()
}

fn count(db: &Path, sql: &str, id: ContactId) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [id], |r| r.get(0))
        .unwrap()
}

fn interactions(db: &Path, id: ContactId) -> i64 {
    count(
        db,
        "SELECT count(*) FROM interactions WHERE contact_id = ?1",
        id,
    )
}

fn follow_ups(db: &Path, id: ContactId) -> i64 {
    count(
        db,
        "SELECT count(*) FROM follow_ups WHERE contact_id = ?1",
        id,
    )
}

/// `2 interactions, 1 follow-up`, as a merge says it.
fn moved(interactions: i64, follow_ups: i64) -> String {
    format!(
        "{}, {}",
        plural(interactions, "interaction", "interactions"),
        plural(follow_ups, "follow-up", "follow-ups")
    )
}

fn press(session: &mut Session, code: KeyCode) {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    session.key(KeyEvent::new(code, modifiers));
}

#[test]
fn a_duplicate_is_shown_with_its_reason_and_merged_from_the_detail_after_asking() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.db");
    let mut store = build(&db);
    let older = person(&mut store, "Ada Vogt", "ada@vogt.example", "2025-01-10");
    let newer = person(&mut store, "A. Vogt", "Ada@Vogt.example", "2026-03-01");
    let mut session = session_on(store, Tab::Contacts, (80, 24));
    session.act(Action::Filter);
    for c in "vogt".chars() {
        session.act(Action::Insert(c));
    }
    session.act(Action::Submit);
    session.wait_for_jobs(std::time::Duration::from_secs(30));
    let selected = session.app.selected_contact().unwrap().0;
    assert_eq!(selected, newer, "A. Vogt sorts first");
    let shown = session.app.contacts.detail.as_ref().unwrap();
    assert_eq!(
        shown.duplicates.as_deref(),
        Some(
            &[Duplicate {
                id: older,
                name: "Ada Vogt".into(),
                reasons: vec!["same email ada@vogt.example".into()],
            }][..]
        )
    );
    // The reason wraps in the narrow detail pane.
    let screen = screen_text(&session);
    for part in [
        format!("Duplicate Ada Vogt (#{older}): same email"),
        "ada@vogt.example · D merges".to_string(),
    ] {
        assert!(screen.contains(&part), "{part} not in\n{screen}");
    }

    // The popup: the older is kept by default, and the counts are the dry run's.
    let before = common::dump_db(&db);
    let (older_history, newer_history) = (interactions(&db, older), interactions(&db, newer));
    let (older_plans, newer_plans) = (follow_ups(&db, older), follow_ups(&db, newer));
    press(&mut session, KeyCode::Char('D'));
    assert!(matches!(session.app.mode, Mode::Merge(_)));
    let popup = screen_text(&session);
    insta::assert_snapshot!("merge_popup", popup);
    let counts = format!("It moves {},", moved(newer_history, newer_plans));
    assert!(popup.contains(&counts), "{counts} not in\n{popup}");
    assert_eq!(common::dump_db(&db), before, "the dry run wrote nothing");

    press(&mut session, KeyCode::Esc);
    assert_eq!(session.app.mode, Mode::Normal);
    assert_eq!(status(&session), "Nothing merged.");
    assert_eq!(common::dump_db(&db), before);

    // Again, keeping the newer one this time.
    press(&mut session, KeyCode::Char('D'));
    press(&mut session, KeyCode::Tab);
    let popup = screen_text(&session);
    assert!(
        popup.contains(&format!(
            "Merge Ada Vogt (#{older}) into A. Vogt (#{newer})?"
        )),
        "{popup}"
    );
    assert!(
        popup.contains(&format!("It moves {},", moved(older_history, older_plans))),
        "{popup}"
    );
    press(&mut session, KeyCode::Char('y'));
    assert_eq!(session.app.mode, Mode::Normal);
    let said = status(&session);
    assert!(
        said.starts_with(&format!(
            "Merged Ada Vogt (#{older}) into A. Vogt (#{newer}): {},",
            moved(older_history, older_plans)
        )),
        "{said}"
    );
    assert!(said.contains(&format!("#{older} is erased.")), "{said}");

    // One contact with both histories and both plans, nothing lost or doubled.
    assert_eq!(
        count(&db, "SELECT count(*) FROM contacts WHERE id = ?1", older),
        0
    );
    assert_eq!(interactions(&db, newer), older_history + newer_history);
    assert_eq!(follow_ups(&db, newer), older_plans + newer_plans);
    assert_eq!(session.app.selected_contact().unwrap().0, newer);
    session.wait_for_jobs(std::time::Duration::from_secs(30));
    let screen = screen_text(&session);
    assert!(!screen.contains("Duplicate "), "{screen}");

    // The scores the merge left equal a full re-score with the same models.
    let merged_scores = common::scores_table(&db);
    drop(session);
    let mut store = Store::open(&db).unwrap();
    let version = store.models().unwrap().unwrap().version;
    store.rescore_all(today()).unwrap();
    assert_eq!(
        store.models().unwrap().unwrap().version,
        version,
        "no refit"
    );
    assert_eq!(common::scores_table(&db), merged_scores);
}

#[test]
fn help_lists_the_key_under_contacts_and_it_is_remappable() {
    let help = Keymap::default().help_lines();
    let contacts = help.iter().position(|l| l == "Contacts").unwrap();
    assert!(
        help[contacts..]
            .iter()
            .any(|l| l.starts_with("  D ") && l.contains("merge a likely duplicate")),
        "{help:#?}"
    );
    let keys = [("merge_duplicate".to_string(), "ctrl-y".to_string())].into();
    let remapped = Keymap::from_config(&keys).unwrap();
    assert_eq!(remapped.keys_of(Action::MergeDuplicate), "ctrl-y");
}

#[test]
fn without_duplicates_the_key_says_so_and_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.db");
    let mut session = session_on(build(&db), Tab::Contacts, (100, 30));
    let name = session.app.selected_contact().unwrap().1;
    press(&mut session, KeyCode::Char('D'));
    assert_eq!(session.app.mode, Mode::Normal);
    assert_eq!(
        status(&session),
        format!(
            "No likely duplicates of {name}: no other contact shares its email, phone or name."
        )
    );
}

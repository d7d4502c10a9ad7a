//! The workspace's draft key: `M` on the selected contact asks the runtime for the editor
//! round trip, and the session prepares the draft before it and sends, saves or drops it after,
//! saying which on the status line — the same draft as `rapport draft`.

mod tui_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use rapport::config::Config;
use rapport::store::Store;
use rapport::tui::keymap::Keymap;
use rapport::tui::session::{Outside, Session};
use rapport::tui::state::App;
use rapport::tui::theme::Theme;
use rapport::tui::Tab;
use tui_support::{build, status, today};

const TEMPLATE: &str = "
[drafts.templates.check_in]
subject = \"{first_name}: {last_service}, {days_since} days on\"
body = \"Hi {first_name},\\n\\nall well?\"
";

/// The fixed business with a config whose sendmail is a script keeping the message it gets.
fn session_with_sendmail(dir: &Path) -> (Session, i64) {
    let sendmail = dir.join("sendmail.sh");
    std::fs::write(
        &sendmail,
        format!("#!/bin/sh\ncat > '{}'\n", dir.join("message").display()),
    )
    .unwrap();
    std::fs::set_permissions(&sendmail, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = Config::parse(&format!(
        "[drafts]\nfrom = \"Me <me@example.com>\"\nsendmail = \"{}\"\n{TEMPLATE}",
        sendmail.display()
    ))
    .unwrap();
    let db = dir.join("rapport.db");
    let store = build(&db);
    let ana = store.resolve_contact("Ana Ruiz").unwrap().id;
    drop(store);
    let store = Store::open_with(&db, config.clone()).unwrap();
    let app = App::new(
        config,
        Keymap::default(),
        Theme { color: false },
        today(),
        Tab::Contacts,
        (100, 30),
    );
    (Session::new(store, app), ana)
}

fn emails(dir: &Path) -> usize {
    let store = Store::open(&dir.join("rapport.db")).unwrap();
    store
        .list_interactions(&rapport::store::InteractionFilter {
            kind: Some(rapport::domain::InteractionKind::Email),
            ..Default::default()
        })
        .unwrap()
        .len()
}

#[test]
fn m_on_the_selected_contact_asks_for_the_draft_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, _) = session_with_sendmail(dir.path());
    let selected = session.app.selected_contact().map(|(id, _)| id).unwrap();
    let key = KeyEvent::new(KeyCode::Char('M'), KeyModifiers::SHIFT);
    assert_eq!(session.key(key), Some(Outside::DraftMail(selected)));
}

#[test]
fn an_unchanged_draft_sends_nothing_and_an_edited_one_is_sent_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let (mut session, ana) = session_with_sendmail(dir.path());
    let before = emails(dir.path());
    let draft = session.prepare_draft(ana).unwrap();
    // Ana's last purchase, Maintenance, was on 2026-11-02: 21 days before the fixed today.
    assert!(
        draft.text.contains(
            "To: Ana Ruiz <ana@ruiz.design>\nSubject: Ana: Maintenance, 21 days on\n\nHi Ana,"
        ),
        "{}",
        draft.text
    );
    session.finish_draft(&draft, &draft.text);
    assert_eq!(
        status(&session),
        "The draft was not changed: nothing was sent or logged."
    );
    assert!(!dir.path().join("message").exists());
    session.finish_draft(&draft, &format!("{}\nP.S. Thanks!\n", draft.text));
    assert!(
        status(&session)
            .starts_with("Sent \"Ana: Maintenance, 21 days on\" to Ana Ruiz <ana@ruiz.design>"),
        "{}",
        status(&session)
    );
    let sent = std::fs::read(dir.path().join("message")).unwrap();
    let message = mail_parser::MessageParser::default().parse(&sent).unwrap();
    assert!(message.body_text(0).unwrap().contains("P.S. Thanks!"));
    assert_eq!(emails(dir.path()), before + 1);
}

#[test]
fn a_contact_without_email_is_one_sentence_on_the_status_line() {
    let dir = tempfile::tempdir().unwrap();
    let (session, _) = session_with_sendmail(dir.path());
    let store = Store::open(&dir.path().join("rapport.db")).unwrap();
    let without = store.resolve_contact("李小龙").unwrap();
    assert_eq!(without.email, None);
    assert_eq!(
        session.prepare_draft(without.id).unwrap_err(),
        "李小龙 has no email address; add one with `rapport edit` --email"
    );
}

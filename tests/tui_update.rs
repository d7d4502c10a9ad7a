//! Key handling on plain state: no terminal and no database, just `update(state, action)`.

use chrono::NaiveDate;
use rapport::config::Config;
use rapport::domain::{Contact, InteractionKind};
use rapport::store::{ScoredContact, ScoredSort};
use rapport::tui::form::{FormKind, Submission};
use rapport::tui::keymap::{Key, KeyCodeOrd, Keymap};
use rapport::tui::state::{App, ListCursor, Mode, UndoEntry};
use rapport::tui::theme::Theme;
use rapport::tui::update::{action_for_key, update, Effect};
use rapport::tui::{Action, Tab};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn app() -> App {
    App::new(
        Config::default(),
        Keymap::default(),
        Theme { color: false },
        today(),
        Tab::Contacts,
        (80, 24),
    )
}

fn contact(id: i64, name: &str) -> ScoredContact {
    ScoredContact {
        contact: Contact {
            id,
            external_id: None,
            name: name.into(),
            email: None,
            phone: None,
            company: None,
            tags: Vec::new(),
            note: None,
            referred_by: None,
            created_at: today().and_hms_opt(9, 0, 0).unwrap(),
            archived: false,
        },
        scores: None,
        last_touch: None,
    }
}

/// An app whose Contacts list has `total` rows, the visible window loaded.
fn with_contacts(total: usize) -> App {
    let mut app = app();
    app.contacts.cursor = ListCursor {
        selected: 0,
        offset: 0,
        total,
    };
    app.contacts.rows = (0..total.min(app.list_height(Tab::Contacts)))
        .map(|i| contact(i as i64 + 1, &format!("C{}", i + 1)))
        .collect();
    app
}

fn press(app: &mut App, key: &str) -> Option<Effect> {
    let action = action_for_key(app, Key::parse(key).unwrap())
        .unwrap_or_else(|| panic!("{key} means nothing here"));
    update(app, action)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(
            app,
            &if c == ' ' {
                "space".to_string()
            } else {
                c.to_string()
            },
        );
    }
}

#[test]
fn moving_keeps_the_selection_in_the_list_and_the_window() {
    let mut app = with_contacts(100);
    let height = app.list_height(Tab::Contacts);
    assert!(height >= 3);
    press(&mut app, "j");
    press(&mut app, "down");
    assert_eq!(app.contacts.cursor.selected, 2);
    press(&mut app, "k");
    assert_eq!(app.contacts.cursor.selected, 1);
    press(&mut app, "G");
    assert_eq!(app.contacts.cursor.selected, 99);
    assert_eq!(app.contacts.cursor.offset, 100 - height);
    press(&mut app, "j");
    assert_eq!(app.contacts.cursor.selected, 99, "stays on the last row");
    press(&mut app, "pgup");
    assert_eq!(app.contacts.cursor.selected, 99 - height);
    assert!(app.contacts.cursor.offset <= app.contacts.cursor.selected);
    press(&mut app, "g");
    assert_eq!(
        (app.contacts.cursor.selected, app.contacts.cursor.offset),
        (0, 0)
    );
    press(&mut app, "k");
    assert_eq!(app.contacts.cursor.selected, 0, "stays on the first row");
    press(&mut app, "ctrl-d");
    assert_eq!(app.contacts.cursor.selected, height);
}

#[test]
fn an_empty_list_does_not_move() {
    let mut app = with_contacts(0);
    for key in ["j", "k", "G", "g", "pgdn", "pgup"] {
        press(&mut app, key);
        assert_eq!(app.contacts.cursor, ListCursor::default(), "{key}");
    }
}

#[test]
fn tabs_switch_by_number_and_cycle_both_ways() {
    let mut app = app();
    press(&mut app, "4");
    assert_eq!(app.tab, Tab::Segments);
    press(&mut app, "tab");
    assert_eq!(app.tab, Tab::AtRisk);
    press(&mut app, "tab");
    assert_eq!(app.tab, Tab::Overview);
    press(&mut app, "tab");
    assert_eq!(app.tab, Tab::Today, "Today comes first, after the last tab");
    press(&mut app, "shift-tab");
    assert_eq!(app.tab, Tab::Overview);
    press(&mut app, "6");
    assert_eq!(app.tab, Tab::Overview);
    press(&mut app, "3");
    assert_eq!(app.tab, Tab::Interactions);
    press(&mut app, "1");
    assert_eq!(app.tab, Tab::Today);
    press(&mut app, "2");
    assert_eq!(app.tab, Tab::Contacts);
}

#[test]
fn escape_closes_what_is_open_before_q_quits() {
    let mut app = with_contacts(5);
    press(&mut app, "?");
    assert!(matches!(app.mode, Mode::Help(_)));
    press(&mut app, "j");
    let Mode::Help(pager) = &app.mode else {
        panic!("help stays open while scrolling")
    };
    assert_eq!(pager.scroll, 1);
    press(&mut app, "q");
    assert_eq!(app.mode, Mode::Normal);
    assert!(!app.quit, "q closes help first");
    press(&mut app, "enter");
    assert!(app.contacts.expanded);
    press(&mut app, "esc");
    assert!(!app.contacts.expanded);
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn filter_is_live_resets_the_selection_and_esc_clears_it() {
    let mut app = with_contacts(50);
    press(&mut app, "G");
    press(&mut app, "/");
    assert_eq!(app.mode, Mode::Filter);
    type_text(&mut app, "ana q");
    assert_eq!(
        app.contacts.filter.text(),
        "ana q",
        "q is text while filtering"
    );
    assert!(!app.quit);
    assert_eq!(app.contacts.cursor, ListCursor::default());
    press(&mut app, "backspace");
    press(&mut app, "enter");
    assert_eq!(
        (app.mode.clone(), app.contacts.filter.text()),
        (Mode::Normal, "ana ")
    );
    press(&mut app, "esc");
    assert_eq!(app.contacts.filter.text(), "");
}

#[test]
fn sort_cycles_through_the_columns() {
    let mut app = with_contacts(3);
    press(&mut app, "j");
    let mut seen = vec![app.contacts.sort];
    for _ in 0..5 {
        press(&mut app, "s");
        seen.push(app.contacts.sort);
        // Re-sorting keeps the list's size and starts again at the top.
        assert_eq!(
            (app.contacts.cursor.total, app.contacts.cursor.selected),
            (3, 0)
        );
    }
    assert_eq!(
        seen,
        [
            ScoredSort::Name,
            ScoredSort::ValueAtRisk,
            ScoredSort::Churn,
            ScoredSort::Clv,
            ScoredSort::LastTouch,
            ScoredSort::Name
        ]
    );
    assert!(app.status.as_ref().unwrap().text.contains("name"));
}

#[test]
fn kind_filter_cycles_on_interactions_only() {
    let mut app = app();
    press(&mut app, "3");
    let mut kinds = Vec::new();
    for _ in 0..7 {
        press(&mut app, "t");
        kinds.push(app.interactions.kind);
    }
    assert_eq!(kinds[0], Some(InteractionKind::Call));
    assert_eq!(kinds[5], Some(InteractionKind::Feedback));
    assert_eq!(kinds[6], None);
    press(&mut app, "2");
    assert_eq!(
        action_for_key(&app, Key::parse("t").unwrap()),
        None,
        "t means nothing on Contacts"
    );
}

#[test]
fn quick_log_needs_a_contact_and_saves_only_a_valid_form() {
    let mut app = with_contacts(0);
    assert_eq!(press(&mut app, "c"), None);
    assert!(app
        .status
        .as_ref()
        .is_some_and(|s| s.error && s.text.contains("No contact")));
    assert_eq!(app.mode, Mode::Normal);

    let mut app = with_contacts(3);
    press(&mut app, "j");
    press(&mut app, "p");
    let Mode::Form(form) = &app.mode else {
        panic!("a form opens")
    };
    assert_eq!(form.kind, FormKind::Log(InteractionKind::Purchase));
    assert_eq!(form.target.as_ref().unwrap().id, 2);
    assert_eq!(
        press(&mut app, "enter"),
        None,
        "an empty amount is not saved"
    );
    let Mode::Form(form) = &app.mode else {
        panic!("the form stays open")
    };
    assert!(form.error.as_ref().unwrap().message.contains("amount"));
    type_text(&mut app, "1200");
    press(&mut app, "tab");
    type_text(&mut app, "Website q");
    let effect = press(&mut app, "enter");
    let Some(Effect::Save(Submission::Log { new, .. })) = effect else {
        panic!("saves: {effect:?}")
    };
    assert_eq!(
        (new.contact_id, new.amount, new.item.as_deref()),
        (2, Some(120_000), Some("Website q"))
    );
    assert_eq!(new.occurred_at, today().and_hms_opt(12, 0, 0).unwrap());
    press(&mut app, "esc");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn undo_command_line_and_editor_are_effects() {
    let mut app = with_contacts(2);
    assert_eq!(press(&mut app, "u"), None);
    app.undo.push(UndoEntry {
        interaction: 9,
        description: "call with C1".into(),
    });
    assert_eq!(
        press(&mut app, "u"),
        Some(Effect::Undo(UndoEntry {
            interaction: 9,
            description: "call with C1".into()
        }))
    );
    assert!(app.undo.is_empty());
    press(&mut app, ":");
    type_text(&mut app, "log call C1 hi");
    assert_eq!(
        press(&mut app, "enter"),
        Some(Effect::Run("log call C1 hi".into()))
    );
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(press(&mut app, "E"), Some(Effect::EditNote(1)));
    assert_eq!(press(&mut app, "M"), Some(Effect::DraftMail(1)));
}

#[test]
fn enter_on_at_risk_jumps_to_the_contact() {
    let mut app = app();
    app.tab = Tab::AtRisk;
    app.at_risk.cursor = ListCursor {
        selected: 1,
        offset: 0,
        total: 2,
    };
    app.at_risk.rows = vec![contact(4, "A"), contact(7, "B")];
    assert_eq!(press(&mut app, "enter"), Some(Effect::Jump(7)));
}

#[test]
fn resizing_keeps_the_selection_visible() {
    let mut app = with_contacts(100);
    press(&mut app, "G");
    update(&mut app, Action::Resize(80, 60));
    let c = app.contacts.cursor;
    assert_eq!(c.selected, 99);
    assert!(c.offset <= 99 && 99 < c.offset + app.list_height(Tab::Contacts));
    update(&mut app, Action::Resize(20, 5));
    assert_eq!(app.contacts.cursor.selected, 99);
}

#[test]
fn text_modes_take_letters_as_text() {
    let mut app = with_contacts(1);
    press(&mut app, "a");
    assert!(matches!(app.mode, Mode::Form(_)));
    let key = Key {
        code: KeyCodeOrd::Char('q'),
        ctrl: false,
        alt: false,
    };
    assert_eq!(action_for_key(&app, key), Some(Action::Insert('q')));
    assert_eq!(
        action_for_key(&app, Key::parse("esc").unwrap()),
        Some(Action::Cancel)
    );
}

//! The Today tab with a real database: what its sections hold, and done (with or without an
//! entry), snooze, edit, delete and add acting on the store through the keys' actions.

mod tui_support;

use rapport::domain::InteractionKind;
use rapport::store::{FollowUpFilter, InteractionFilter, Store};
use rapport::tui::session::Session;
use rapport::tui::state::{Mode, TodayItem, TodaySection};
use rapport::tui::{Action, Tab};
use tui_support::{screen_text, session};

fn db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    (dir, path)
}

fn type_text(s: &mut Session, text: &str) {
    for c in text.chars() {
        s.act(Action::Insert(c));
    }
}

fn status(s: &Session) -> String {
    s.app
        .status
        .as_ref()
        .map(|st| st.text.clone())
        .unwrap_or_default()
}

/// The Today rows as (section, contact, text or "").
fn rows(s: &Session) -> Vec<(TodaySection, String, String)> {
    s.app
        .today_tab
        .items
        .iter()
        .map(|(section, item)| {
            let text = match item {
                TodayItem::FollowUp(row) => row.follow_up.text.clone(),
                _ => String::new(),
            };
            (*section, item.contact().1.to_string(), text)
        })
        .collect()
}

/// Moves the selection to the first row of `name`.
fn select(s: &mut Session, name: &str) {
    s.act(Action::Top);
    for _ in 0..s.app.today_tab.items.len() {
        if s.app.selected_contact().is_some_and(|(_, n)| n == name) {
            return;
        }
        s.act(Action::Down);
    }
    panic!("{name} is not on Today: {:?}", rows(s));
}

fn open_texts(store: &Store) -> Vec<String> {
    store
        .follow_ups(&FollowUpFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| r.follow_up.text)
        .collect()
}

fn calls_of(store: &Store, name: &str) -> Vec<String> {
    let id = store.resolve_contact(name).unwrap().id;
    store
        .list_interactions(&InteractionFilter {
            contact: Some(id),
            kind: Some(InteractionKind::Call),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter_map(|r| r.interaction.summary)
        .collect()
}

#[test]
fn today_lists_late_due_touch_and_the_at_risk_without_a_plan_in_that_order() {
    let (_dir, path) = db();
    let s = session(&path, Tab::Today, (80, 24));
    use TodaySection::*;
    assert_eq!(
        rows(&s),
        [
            (Overdue, "Ana Ruiz".into(), "send the renewal quote".into()),
            (DueToday, "李小龙".into(), "monthly check-in".into()),
            (StayInTouch, "Zoë Park".into(), String::new()),
            // Omar is at risk too, but a call is planned with him.
            (Suggested, "Bo Chen".into(), String::new()),
        ]
    );
    let text = screen_text(&s);
    for shown in ["3d late", "14:00", "↻ 1m", "↻ 2m", "of 2 at risk"] {
        assert!(text.contains(shown), "{shown} missing:\n{text}");
    }
}

#[test]
fn done_asks_what_to_log_and_writes_the_call_with_it() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Today, (80, 24));
    select(&mut s, "Ana Ruiz");
    s.act(Action::FollowUpDone);
    assert!(matches!(&s.app.mode, Mode::Form(f) if f.title() == "Done: follow-up #1 for Ana Ruiz"));
    type_text(&mut s, "fax");
    s.act(Action::Submit);
    let Mode::Form(form) = &s.app.mode else {
        panic!("the form stays open on a bad kind")
    };
    assert!(form
        .error
        .as_ref()
        .unwrap()
        .message
        .contains("'fax' is not a kind of touch"));
    assert!(open_texts(s.store()).contains(&"send the renewal quote".to_string()));
    s.act(Action::ClearLine);
    type_text(&mut s, "call");
    s.act(Action::Submit);
    assert_eq!(s.app.mode, Mode::Normal);
    assert!(
        status(&s).starts_with("Done: follow-up 1 (send the renewal quote); logged a call."),
        "{}",
        status(&s)
    );
    assert_eq!(
        calls_of(s.store(), "Ana Ruiz"),
        ["send the renewal quote", "renewal next month"]
    );
    assert!(!open_texts(s.store()).contains(&"send the renewal quote".to_string()));
    assert!(!rows(&s).iter().any(|r| r.1 == "Ana Ruiz"));
}

#[test]
fn done_with_nothing_logged_rolls_a_recurring_one_forward() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Today, (80, 24));
    select(&mut s, "李小龙");
    let before = s.store().interaction_count().unwrap();
    s.act(Action::FollowUpDone);
    s.act(Action::Submit);
    assert_eq!(
        status(&s),
        "Done: follow-up 2 (monthly check-in); next due 2026-12-23 14:00."
    );
    assert_eq!(s.store().interaction_count().unwrap(), before);
    let next = s.store().follow_up(2).unwrap().unwrap();
    assert_eq!(
        (next.due.to_string(), next.done_at),
        ("2026-12-23 14:00".into(), None)
    );
    assert!(!rows(&s).iter().any(|r| r.1 == "李小龙"));
}

#[test]
fn snooze_refuses_a_bad_date_then_puts_it_off() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Today, (80, 24));
    select(&mut s, "Ana Ruiz");
    s.act(Action::FollowUpSnooze);
    type_text(&mut s, "someday");
    s.act(Action::Submit);
    let Mode::Form(form) = &s.app.mode else {
        panic!("the form stays open")
    };
    let error = form.error.clone().unwrap();
    assert_eq!(error.field, Some(0));
    assert!(error.message.contains("'someday'"), "{}", error.message);
    assert_eq!(
        s.store().follow_up(1).unwrap().unwrap().due.to_string(),
        "2026-11-20"
    );
    s.act(Action::ClearLine);
    type_text(&mut s, "fri");
    s.act(Action::Submit);
    assert_eq!(status(&s), "Follow-up #1 put off to 2026-11-27.");
    let f = s.store().follow_up(1).unwrap().unwrap();
    assert_eq!(f.due.to_string(), "2026-11-27");
    assert!(f.snoozed_at.is_some());
    assert!(!rows(&s).iter().any(|r| r.1 == "Ana Ruiz"));
}

#[test]
fn edit_changes_text_and_repeat_and_delete_asks_first() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Today, (80, 24));
    select(&mut s, "Ana Ruiz");
    s.act(Action::FollowUpEdit);
    s.act(Action::ClearLine);
    type_text(&mut s, "send the signed renewal");
    s.act(Action::NextField);
    s.act(Action::NextField);
    type_text(&mut s, "3m");
    s.act(Action::Submit);
    assert_eq!(
        status(&s),
        "Follow-up #1: send the signed renewal (due 2026-11-20, every 3m)."
    );
    let f = s.store().follow_up(1).unwrap().unwrap();
    assert_eq!(
        (f.text.as_str(), f.every.map(|e| e.to_text())),
        ("send the signed renewal", Some("3m".into()))
    );

    select(&mut s, "Ana Ruiz");
    s.act(Action::FollowUpDelete);
    assert!(screen_text(&s).contains("Delete follow-up #1 for Ana Ruiz"));
    s.act(Action::Insert('n'));
    assert_eq!(status(&s), "Nothing deleted.");
    assert!(s.store().follow_up(1).unwrap().is_some());
    s.act(Action::FollowUpDelete);
    s.act(Action::Insert('y'));
    assert!(
        status(&s).starts_with("Deleted follow-up #1"),
        "{}",
        status(&s)
    );
    assert!(s.store().follow_up(1).unwrap().is_none());
}

#[test]
fn a_follow_up_can_be_planned_from_any_tab_and_shows_where_the_contact_is() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Contacts, (120, 40));
    assert_eq!(s.app.selected_contact().unwrap().1, "Ana Ruiz");
    assert!(screen_text(&s).contains("Planned 2026-11-20 send the renewal quote"));
    s.act(Action::AddFollowUp);
    s.act(Action::Submit);
    assert!(
        matches!(&s.app.mode, Mode::Form(f) if f.error.as_ref().is_some_and(|e| e.field == Some(0)))
    );
    type_text(&mut s, "book the kick-off");
    s.act(Action::NextField);
    type_text(&mut s, "today");
    s.act(Action::Submit);
    assert_eq!(
        status(&s),
        "Follow-up #4 for Ana Ruiz: book the kick-off (due 2026-11-23)."
    );
    s.act(Action::GoTab(Tab::Today));
    assert!(rows(&s).contains(&(
        TodaySection::DueToday,
        "Ana Ruiz".into(),
        "book the kick-off".into()
    )));

    // At risk marks the client who already has a plan with its date.
    s.act(Action::GoTab(Tab::AtRisk));
    let text = screen_text(&s);
    let omar = text.lines().find(|l| l.contains("Omar Haddad")).unwrap();
    assert!(omar.contains("Dec 1"), "{omar}");
    let bo = text.lines().find(|l| l.contains("Bo Chen")).unwrap();
    assert!(!bo.contains("Dec") && !bo.contains("Nov"), "{bo}");
}

#[test]
fn done_keys_on_a_touch_or_a_suggestion_say_what_to_do_instead() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Today, (80, 24));
    let before = open_texts(s.store());
    select(&mut s, "Zoë Park");
    s.act(Action::FollowUpDone);
    assert_eq!(s.app.mode, Mode::Normal);
    assert!(status(&s).contains("clears when you log a touch with Zoë Park: c call"));
    select(&mut s, "Bo Chen");
    s.act(Action::FollowUpSnooze);
    assert_eq!(
        status(&s),
        "Nothing is planned for Bo Chen yet; F plans a follow-up."
    );
    // Enter goes to the contact.
    s.act(Action::Open);
    assert_eq!(s.app.tab, Tab::Contacts);
    assert_eq!(s.app.selected_contact().unwrap().1, "Bo Chen");
    assert_eq!(open_texts(s.store()), before);
}

#[test]
fn a_touch_logged_from_today_clears_the_reminder() {
    let (_dir, path) = db();
    let mut s = session(&path, Tab::Today, (80, 24));
    select(&mut s, "Zoë Park");
    s.act(Action::Log(InteractionKind::Email));
    type_text(&mut s, "checking in");
    s.act(Action::Submit);
    assert!(status(&s).starts_with("Logged email with Zoë Park."));
    assert!(!rows(&s).iter().any(|r| r.1 == "Zoë Park"));
}

#[test]
fn a_long_backlog_scrolls_with_the_selection_and_keeps_section_titles() {
    let (_dir, path) = db();
    let mut store = tui_support::build(&path);
    let ana = store.resolve_contact("Ana Ruiz").unwrap().id;
    store
        .write(tui_support::today(), |w| {
            for day in 1..=30 {
                w.add_follow_up(&rapport::domain::NewFollowUp {
                    contact_id: ana,
                    text: format!("backlog item {day}"),
                    due: rapport::domain::due::parse_due(
                        &format!("2026-10-{day:02}"),
                        tui_support::today(),
                    )
                    .unwrap(),
                    every: None,
                    source: rapport::domain::FollowUpSource::Manual,
                    created_at: tui_support::today().and_hms_opt(8, 0, 0).unwrap(),
                })?;
            }
            Ok(())
        })
        .unwrap();
    let mut s = tui_support::session_on(store, Tab::Today, (80, 24));
    for step in 0..s.app.today_tab.items.len() {
        let text = screen_text(&s);
        let (section, item) = s.app.today_tab.selected().unwrap().clone();
        let shown = match &item {
            TodayItem::FollowUp(row) => format!("#{} ", row.follow_up.id),
            other => other.contact().1.to_string(),
        };
        assert!(text.contains(&shown), "step {step}: {shown} not on\n{text}");
        assert!(text.contains(section.title()), "step {step}:\n{text}");
        s.act(Action::Down);
    }
    assert!(screen_text(&s).contains("Suggested"));
    s.act(Action::Top);
    assert!(screen_text(&s).contains("Overdue · 31"));
}

/// Gives `name` a birthday (and a second email) through the store, as an imported card would.
fn with_card(store: &mut Store, name: &str, birthday: &str) {
    use rapport::domain::card::{Birthday, Labeled};
    let id = store.resolve_contact(name).unwrap().id;
    let mut card = store.card(id).unwrap();
    card.birthday = Birthday::from_storage(birthday);
    card.emails
        .push(Labeled::new("zoe@home.example", Some("home"), false));
    card.title = Some("Art director".into());
    store
        .write(tui_support::today(), |w| w.set_card(id, &card))
        .unwrap();
}

#[test]
fn a_birthday_today_has_its_own_section_and_the_detail_shows_the_card() {
    let (_dir, path) = db();
    let mut store = tui_support::build(&path);
    let born = tui_support::today().format("1990-%m-%d").to_string();
    with_card(&mut store, "Zoë Park", &born);
    let mut s = tui_support::session_on(store, Tab::Today, (80, 24));
    assert!(
        rows(&s).contains(&(TodaySection::Birthdays, "Zoë Park".into(), String::new())),
        "{:?}",
        rows(&s)
    );
    let text = screen_text(&s);
    assert!(text.contains("Birthdays · 1"), "{text}");
    assert!(text.contains("birthday: turns"), "{text}");
    // Zoë is on Today twice (her birthday, then a touch due): the first row is the birthday.
    select(&mut s, "Zoë Park");
    s.act(Action::FollowUpDone);
    assert!(
        status(&s).contains("It is Zoë Park's birthday today"),
        "{}",
        status(&s)
    );

    s.act(Action::GoTab(Tab::Contacts));
    for _ in 0..s.app.contacts.cursor.total {
        if s.app
            .selected_contact()
            .is_some_and(|(_, n)| n == "Zoë Park")
        {
            break;
        }
        s.act(Action::Down);
    }
    s.act(Action::Open);
    s.wait_for_jobs(std::time::Duration::from_secs(30));
    let text = screen_text(&s);
    for shown in [
        "Title Art director",
        "Other email zoe@home.example (home)",
        "Birthday ",
    ] {
        assert!(text.contains(shown), "{shown} missing:\n{text}");
    }
}

#[test]
fn without_a_birthday_today_there_is_no_birthday_section() {
    let (_dir, path) = db();
    let mut store = tui_support::build(&path);
    let tomorrow = (tui_support::today() + chrono::Duration::days(1))
        .format("--%m-%d")
        .to_string();
    with_card(&mut store, "Zoë Park", &tomorrow);
    let s = tui_support::session_on(store, Tab::Today, (80, 24));
    assert!(!rows(&s).iter().any(|r| r.0 == TodaySection::Birthdays));
    assert!(!screen_text(&s).contains("Birthdays"));
}

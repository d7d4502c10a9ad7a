//! `rapport export ics`: open follow-ups as an iCalendar feed of VTODOs, read back with a real
//! iCalendar parser (the `icalendar` crate's, enabled for the tests only). TODAY is Monday
//! 2026-11-23; follow-ups added with `--as-of` are created at noon local time.

mod common;

use chrono::{Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use common::Env;
use icalendar::{
    Calendar, CalendarDateTime, Component, DatePerhapsTime, EventLike, Todo, TodoStatus,
};

/// Ana with a dated follow-up, Bo with a timed one every 2 weeks, and a done one (id 3).
fn business(env: &Env) {
    env.ok(&["add", "Ana Ruiz"]);
    env.ok(&["add", "Bo Li"]);
    env.ok(&[
        "fu",
        "add",
        "ana",
        "call about the renewal",
        "--due",
        "2026-11-30",
    ]);
    env.ok(&[
        "fu",
        "add",
        "bo",
        "check-in",
        "--due",
        "2026-11-24 09:30",
        "--every",
        "2w",
    ]);
    env.ok(&["fu", "add", "ana", "send the quote", "--due", "tomorrow"]);
    env.ok(&["fu", "done", "3"]);
}

/// Parses an export, checking it is CRLF-terminated iCalendar text first.
#[track_caller]
fn parse(text: &str) -> Calendar {
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(text.ends_with("END:VCALENDAR\r\n"), "{text}");
    for line in text.split_terminator("\r\n") {
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
        assert!(line.len() <= 75, "a content line over 75 octets: {line:?}");
    }
    text.parse::<Calendar>()
        .unwrap_or_else(|e| panic!("not iCalendar: {e}\n{text}"))
}

fn todos_of(calendar: &Calendar) -> Vec<Todo> {
    assert_eq!(
        calendar.events().count(),
        0,
        "follow-ups are VTODOs, not VEVENTs"
    );
    calendar.todos().cloned().collect()
}

fn export(env: &Env) -> String {
    env.ok(&["export", "ics"])
}

fn noon_local_in_utc(day: &str) -> chrono::DateTime<Utc> {
    let naive = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    Local
        .from_local_datetime(&naive)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn every_open_follow_up_is_a_vtodo_with_all_its_fields() {
    let env = Env::new();
    business(&env);
    let text = export(&env);
    let calendar = parse(&text);
    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    assert!(calendar.property_value("PRODID").is_some());
    let todos = todos_of(&calendar);
    // The done one (id 3) is absent; the rest in id order.
    let uids: Vec<&str> = todos.iter().map(|t| t.get_uid().unwrap()).collect();
    assert_eq!(uids, ["follow-up-1@rapport", "follow-up-2@rapport"]);

    let ana = &todos[0];
    assert_eq!(ana.get_summary(), Some("Ana Ruiz: call about the renewal"));
    assert_eq!(
        ana.get_due(),
        Some(DatePerhapsTime::Date(
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        ))
    );
    let due = ana.properties().get("DUE").unwrap();
    assert_eq!(due.params().get("VALUE").map(|p| p.value()), Some("DATE"));
    assert_eq!(ana.property_value("RRULE"), None);
    assert_eq!(ana.get_status(), Some(TodoStatus::NeedsAction));
    assert_eq!(ana.get_categories(), Some(vec!["rapport".to_string()]));
    assert_eq!(
        ana.get_description(),
        Some("Rapport follow-up 1 (source: manual).")
    );
    // DTSTAMP (and CREATED) are when it was created, in UTC, not when it was exported.
    assert_eq!(ana.get_timestamp(), Some(noon_local_in_utc("2026-11-23")));
    assert_eq!(ana.get_created(), Some(noon_local_in_utc("2026-11-23")));
    assert!(ana.property_value("DTSTAMP").unwrap().ends_with('Z'));

    let bo = &todos[1];
    assert_eq!(bo.get_summary(), Some("Bo Li: check-in"));
    // A time of day: a floating local date-time (no Z, no TZID), not VALUE=DATE.
    let at = NaiveDateTime::parse_from_str("2026-11-24 09:30", "%Y-%m-%d %H:%M").unwrap();
    assert_eq!(
        bo.get_due(),
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Floating(at)))
    );
    let due = bo.properties().get("DUE").unwrap();
    assert!(due.params().is_empty(), "{:?}", due.params());
    assert_eq!(due.value(), "20261124T093000");
    assert_eq!(bo.property_value("RRULE"), Some("FREQ=WEEKLY;INTERVAL=2"));
    assert_eq!(bo.get_status(), Some(TodoStatus::NeedsAction));
    assert_eq!(bo.get_categories(), Some(vec!["rapport".to_string()]));
    assert_eq!(
        bo.get_description(),
        Some("Rapport follow-up 2 (source: manual).")
    );
}

#[test]
fn re_exports_are_byte_identical_and_a_snooze_moves_the_due_date_but_keeps_the_uid() {
    let env = Env::new();
    business(&env);
    let first = env.run(&["export", "ics"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let second = env.run(&["export", "ics"]);
    assert_eq!(first.stdout_bytes, second.stdout_bytes);
    // Later runs of the clock do not leak in either: the same data a second later is the same file.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(env.run(&["export", "ics"]).stdout_bytes, first.stdout_bytes);

    env.ok(&["fu", "snooze", "1", "2026-12-07"]);
    let after = parse(&export(&env));
    let todos = todos_of(&after);
    let ana = todos
        .iter()
        .find(|t| t.get_summary() == Some("Ana Ruiz: call about the renewal"))
        .expect("Ana's follow-up is still there");
    assert_eq!(ana.get_uid(), Some("follow-up-1@rapport"));
    assert_eq!(
        ana.get_due(),
        Some(DatePerhapsTime::Date(
            NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
        ))
    );
    assert_eq!(todos.len(), 2);

    // A recurring one done rolls forward: same UID, the next due date two weeks on.
    env.ok(&["fu", "done", "2"]);
    let after = parse(&export(&env));
    let todos = todos_of(&after);
    let bo = todos
        .iter()
        .find(|t| t.get_uid() == Some("follow-up-2@rapport"))
        .expect("Bo's recurring follow-up keeps its UID");
    let at = NaiveDateTime::parse_from_str("2026-12-08 09:30", "%Y-%m-%d %H:%M").unwrap();
    assert_eq!(
        bo.get_due(),
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Floating(at)))
    );
    assert_eq!(todos.len(), 2, "the done copy is not exported");
}

#[test]
fn a_name_with_a_comma_semicolon_backslash_and_newline_round_trips() {
    let env = Env::new();
    let name = "Díaz, Li; \"Q\" \\ the\nsecond";
    // A newline in a name only comes from an older database now: input refuses it.
    env.ok(&["add", &name.replace('\n', " ")]);
    env.sql()
        .execute("UPDATE contacts SET name = ?1", [name])
        .unwrap();
    env.ok(&[
        "fu",
        "add",
        "díaz",
        "agree on terms, then; sign",
        "--due",
        "2026-12-01",
    ]);
    let text = export(&env);
    // Escaped as RFC 5545 says (checked on the unfolded text, so a fold cannot hide it).
    let unfolded = text.replace("\r\n ", "");
    assert!(
        unfolded
            .contains(r#"SUMMARY:Díaz\, Li\; "Q" \\ the\nsecond: agree on terms\, then\; sign"#),
        "{text}"
    );
    let todos = todos_of(&parse(&text));
    assert_eq!(todos.len(), 1);
    assert_eq!(
        todos[0].get_summary().unwrap(),
        format!("{name}: agree on terms, then; sign")
    );
}

#[test]
fn output_goes_to_a_file_or_with_dash_to_stdout_and_nothing_open_is_an_empty_calendar() {
    let env = Env::new();
    business(&env);
    let stdout = export(&env);
    let file = env.path("rapport.ics");
    let out = env.ok(&["export", "ics", "-o", file.to_str().unwrap()]);
    assert_eq!(out, "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
    let out = env.ok(&["export", "ics", "--output", "-"]);
    assert_eq!(out, stdout);
    assert!(!std::path::Path::new("-").exists());

    env.ok(&["fu", "done", "1"]);
    env.ok(&["fu", "rm", "2"]);
    let empty = export(&env);
    let calendar = parse(&empty);
    assert!(calendar.components.is_empty(), "{empty}");
    assert!(!empty.contains("VTODO"), "{empty}");
    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));

    // An empty database too.
    let fresh = Env::new();
    let calendar = parse(&fresh.empty_database().ok(&["export", "ics"]));
    assert!(calendar.components.is_empty());
}

#[test]
fn format_does_not_apply_to_ics() {
    let env = Env::new();
    business(&env);
    let message = env.fails(&["export", "ics", "--format", "json"]);
    assert!(message.contains("--format"), "{message}");
}

//! `export ics`: open follow-ups as an iCalendar (RFC 5545) feed.
//!
//! Each open follow-up is a **VTODO**, not a VEVENT: a follow-up is a task with a due date, not a
//! slot of time, and to-do lists (khal, calcurse, phone task apps) show VTODOs as such, with a
//! checkbox, instead of blocking an hour of the day. Written with the `icalendar` crate (its
//! writer only: it escapes text values and folds long lines).
//!
//! The output depends on the stored data alone, so exporting unchanged data twice gives the same
//! bytes and a calendar that re-reads the file updates its to-dos instead of duplicating them:
//! - `UID` is `follow-up-<id>@rapport`, from the follow-up's id, which never changes (a snooze or
//!   a recurrence rolling forward keeps it);
//! - `DTSTAMP` is when the follow-up was last changed as far as the store knows: when it was last
//!   snoozed, or else created (local time, written in UTC as RFC 5545 requires);
//! - to-dos come in id order.

use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, Component, EventLike, Property, Todo, TodoStatus};

use crate::domain::due::EveryUnit;
use crate::domain::{Every, FollowUp};
use crate::store::FollowUpRow;

/// The `UID` of a follow-up's VTODO, the same on every export.
pub fn uid(follow_up: &FollowUp) -> String {
    format!("follow-up-{}@rapport", follow_up.id)
}

/// The `RRULE` value of a recurrence: `FREQ=WEEKLY;INTERVAL=2` for every 2 weeks.
pub fn rrule(every: Every) -> String {
    let freq = match every.unit {
        EveryUnit::Day => "DAILY",
        EveryUnit::Week => "WEEKLY",
        EveryUnit::Month => "MONTHLY",
        EveryUnit::Year => "YEARLY",
    };
    format!("FREQ={};INTERVAL={}", freq, every.count.max(1))
}

/// A stored local instant in UTC (in a daylight-saving gap, where no such local time exists, it
/// is read as UTC; in an overlap, the earlier of the two).
fn local_to_utc(at: NaiveDateTime) -> DateTime<Utc> {
    Local
        .from_local_datetime(&at)
        .earliest()
        .map(|local| local.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&at))
}

fn todo(row: &FollowUpRow) -> Todo {
    let follow_up = &row.follow_up;
    let mut todo = Todo::new();
    todo.uid(&uid(follow_up))
        .timestamp(local_to_utc(
            follow_up.snoozed_at.unwrap_or(follow_up.created_at),
        ))
        .created(local_to_utc(follow_up.created_at))
        .summary(&format!("{}: {}", row.contact_name, follow_up.text))
        .description(&format!(
            "Rapport follow-up {} (source: {}).",
            follow_up.id,
            follow_up.source.key()
        ))
        .status(TodoStatus::NeedsAction)
        .categories(["rapport"]);
    match follow_up.due.time {
        // A floating date-time: the time of day wherever the user is.
        Some(time) => todo.due(follow_up.due.date.and_time(time)),
        None => todo.due(follow_up.due.date),
    };
    if let Some(every) = follow_up.every {
        todo.add_property("RRULE", rrule(every));
    }
    todo.done()
}

/// The whole feed: every follow-up in `rows` (the caller passes the open ones) as a VTODO, in id
/// order; none is a valid calendar with no to-dos. Lines end in CRLF, as RFC 5545 requires.
pub fn calendar(rows: &[FollowUpRow]) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            "-//Rapport//Rapport follow-ups//EN",
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name("Rapport follow-ups");
    let mut rows: Vec<&FollowUpRow> = rows.iter().collect();
    rows.sort_by_key(|row| row.follow_up.id);
    for row in rows {
        calendar.push(todo(row));
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::due::Due;
    use crate::domain::FollowUpSource;
    use chrono::{NaiveDate, NaiveTime};

    fn row(id: i64, time: Option<NaiveTime>, every: Option<Every>) -> FollowUpRow {
        let created_at = NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        FollowUpRow {
            follow_up: FollowUp {
                id,
                contact_id: 1,
                text: "call about the renewal".into(),
                due: Due {
                    date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                    time,
                },
                every,
                source: FollowUpSource::Cadence,
                created_at,
                done_at: None,
                snoozed_at: None,
            },
            contact_name: "Ana Ruiz".into(),
        }
    }

    #[test]
    fn recurrences_map_to_rrule_frequencies_with_their_interval() {
        let every = |count, unit| Every { count, unit };
        assert_eq!(rrule(every(1, EveryUnit::Day)), "FREQ=DAILY;INTERVAL=1");
        assert_eq!(rrule(every(2, EveryUnit::Week)), "FREQ=WEEKLY;INTERVAL=2");
        assert_eq!(rrule(every(3, EveryUnit::Month)), "FREQ=MONTHLY;INTERVAL=3");
        assert_eq!(rrule(every(1, EveryUnit::Year)), "FREQ=YEARLY;INTERVAL=1");
    }

    #[test]
    fn a_calendar_has_crlf_lines_one_vtodo_per_row_in_id_order_and_no_random_parts() {
        let rows = vec![
            row(7, Some(NaiveTime::from_hms_opt(9, 30, 0).unwrap()), None),
            row(
                3,
                None,
                Some(Every {
                    count: 2,
                    unit: EveryUnit::Week,
                }),
            ),
        ];
        let text = calendar(&rows);
        assert_eq!(text, calendar(&rows));
        assert!(
            text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{text}"
        );
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{text}");
        assert!(!text.replace("\r\n", "").contains('\n'), "{text}");
        let first = text.find("UID:follow-up-3@rapport").expect("UID 3");
        let second = text.find("UID:follow-up-7@rapport").expect("UID 7");
        assert!(first < second, "{text}");
        assert!(text.contains("DUE;VALUE=DATE:20261130\r\n"), "{text}");
        assert!(text.contains("DUE:20261130T093000\r\n"), "{text}");
        assert!(text.contains("RRULE:FREQ=WEEKLY;INTERVAL=2\r\n"), "{text}");
        assert_eq!(text.matches("RRULE").count(), 1, "{text}");
        assert!(text.contains("(source: cadence)"), "{text}");
        assert_eq!(text.matches("BEGIN:VTODO").count(), 2);
    }

    #[test]
    fn nothing_open_is_an_empty_but_valid_calendar() {
        let text = calendar(&[]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.contains("PRODID:"), "{text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{text}");
        assert!(!text.contains("VTODO"), "{text}");
    }
}

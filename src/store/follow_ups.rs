//! Follow-ups in the store: added, listed by due date, done (optionally with the interaction that
//! did it, in the same transaction), snoozed, edited and removed. Done ones stay as history; a
//! recurring one leaves a done copy behind and moves on to its next date.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, OptionalExtension, Row};

use super::{Result, Store, StoreError, Write};
use crate::domain::dates::{from_storage, to_storage};
use crate::domain::text::check_one_line;
use crate::domain::{
    ContactId, Due, Every, FollowUp, FollowUpId, FollowUpSource, InteractionId, NewFollowUp,
    NewInteraction,
};

const COLUMNS: &str =
    "f.id, f.contact_id, f.text, f.due, f.every, f.source, f.created_at, f.done_at, f.snoozed_at";

/// Which follow-ups to list; open ones by default, oldest due first.
#[derive(Debug, Clone, Default)]
pub struct FollowUpFilter {
    pub contact: Option<ContactId>,
    /// Done ones too (history).
    pub include_done: bool,
    /// Only those due before this day (overdue as of it).
    pub due_before: Option<NaiveDate>,
    /// Only those due on or before this day.
    pub due_until: Option<NaiveDate>,
    /// Only those due on or after this day.
    pub due_from: Option<NaiveDate>,
    /// At most this many (the first by due date).
    pub limit: Option<usize>,
}

impl FollowUpFilter {
    /// Open ones due before `day` (late as of it), at most `limit`.
    pub fn overdue(day: NaiveDate, limit: usize) -> FollowUpFilter {
        FollowUpFilter {
            due_before: Some(day),
            limit: Some(limit),
            ..FollowUpFilter::default()
        }
    }

    /// Open ones due on `day`, at most `limit`.
    pub fn due_on(day: NaiveDate, limit: usize) -> FollowUpFilter {
        FollowUpFilter {
            due_from: Some(day),
            due_until: Some(day),
            limit: Some(limit),
            ..FollowUpFilter::default()
        }
    }
}

/// A follow-up with its contact's name, as lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpRow {
    pub follow_up: FollowUp,
    pub contact_name: String,
}

/// What completing a follow-up did.
#[derive(Debug, Clone, PartialEq)]
pub struct Completed {
    pub follow_up: FollowUp,
    /// A recurring follow-up's next due date (None: it is closed).
    pub next_due: Option<Due>,
    pub logged: Option<InteractionId>,
}

fn read_row(r: &Row) -> rusqlite::Result<FollowUp> {
    let due: String = r.get(3)?;
    let every: Option<String> = r.get(4)?;
    let source: String = r.get(5)?;
    let instant = |i: usize| -> rusqlite::Result<Option<NaiveDateTime>> {
        Ok(r.get::<_, Option<String>>(i)?
            .as_deref()
            .and_then(from_storage))
    };
    Ok(FollowUp {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        text: r.get(2)?,
        due: Due::from_storage(&due).unwrap_or(Due {
            date: NaiveDate::default(),
            time: None,
        }),
        every: every.as_deref().and_then(Every::from_text),
        source: FollowUpSource::from_key(&source).unwrap_or(FollowUpSource::Manual),
        created_at: instant(6)?.unwrap_or_default(),
        done_at: instant(7)?,
        snoozed_at: instant(8)?,
    })
}

fn not_found(id: FollowUpId) -> StoreError {
    StoreError::invalid(format!(
        "there is no follow-up {}; `rapport follow-up list` shows their ids",
        id
    ))
}

fn check_text(text: &str) -> Result<()> {
    check_one_line("follow-up text", text).map_err(StoreError::Invalid)?;
    if text.trim().is_empty() {
        return Err(StoreError::invalid(
            "the follow-up text is empty; say what to do (e.g. 'call about the renewal')",
        ));
    }
    Ok(())
}

/// The first date of `every` after `today`, counting from `due` (so a fortnightly Monday stays
/// on Mondays however late it is done).
pub fn next_after(due: Due, every: Every, today: NaiveDate) -> Due {
    let mut date = every.after(due.date);
    while date <= today {
        date = every.after(date);
    }
    Due { date, ..due }
}

impl Write<'_> {
    pub fn add_follow_up(&mut self, new: &NewFollowUp) -> Result<FollowUpId> {
        check_text(&new.text)?;
        self.tx()
            .prepare_cached(
                "INSERT INTO follow_ups (contact_id, text, due, every, source, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                new.contact_id,
                new.text.trim(),
                new.due.to_storage(),
                new.every.map(|e| e.to_text()),
                new.source.key(),
                to_storage(new.created_at),
            ])?;
        Ok(self.tx().last_insert_rowid())
    }

    fn open_follow_up(&self, id: FollowUpId) -> Result<FollowUp> {
        let found = follow_up_in(self.tx(), id)?.ok_or_else(|| not_found(id))?;
        if !found.is_open() {
            return Err(StoreError::invalid(format!(
                "follow-up {} is already done; `rapport follow-up add` plans a new one",
                id
            )));
        }
        Ok(found)
    }

    /// Marks an open follow-up done at `now`, recording `log` (the call that did it) in the same
    /// transaction. A recurring one leaves a done copy as history and moves to its next date.
    pub fn complete_follow_up(
        &mut self,
        id: FollowUpId,
        now: NaiveDateTime,
        log: Option<(&NewInteraction, &str)>,
    ) -> Result<Completed> {
        let found = self.open_follow_up(id)?;
        let logged = match log {
            Some((new, currency)) => Some(self.add_interaction(new, currency)?),
            None => None,
        };
        let next_due = found.every.map(|e| next_after(found.due, e, self.today()));
        match next_due {
            Some(next) => {
                self.tx().execute(
                    "INSERT INTO follow_ups (contact_id, text, due, every, source, created_at, done_at, snoozed_at)
                     SELECT contact_id, text, due, every, source, created_at, ?2, snoozed_at FROM follow_ups WHERE id = ?1",
                    params![id, to_storage(now)],
                )?;
                self.tx().execute(
                    "UPDATE follow_ups SET due = ?2, snoozed_at = NULL WHERE id = ?1",
                    params![id, next.to_storage()],
                )?;
            }
            None => {
                self.tx().execute(
                    "UPDATE follow_ups SET done_at = ?2 WHERE id = ?1",
                    params![id, to_storage(now)],
                )?;
            }
        }
        Ok(Completed {
            follow_up: found,
            next_due,
            logged,
        })
    }

    /// Puts an open follow-up off to `due`.
    pub fn snooze_follow_up(
        &mut self,
        id: FollowUpId,
        due: Due,
        now: NaiveDateTime,
    ) -> Result<FollowUp> {
        self.open_follow_up(id)?;
        self.tx().execute(
            "UPDATE follow_ups SET due = ?2, snoozed_at = ?3 WHERE id = ?1",
            params![id, due.to_storage(), to_storage(now)],
        )?;
        follow_up_in(self.tx(), id)?.ok_or_else(|| not_found(id))
    }

    /// Changes an open follow-up's text, due date or recurrence (only what is given).
    pub fn edit_follow_up(
        &mut self,
        id: FollowUpId,
        text: Option<&str>,
        due: Option<Due>,
        every: Option<Option<Every>>,
    ) -> Result<FollowUp> {
        let found = self.open_follow_up(id)?;
        if let Some(text) = text {
            check_text(text)?;
        }
        let every = every.unwrap_or(found.every);
        self.tx().execute(
            "UPDATE follow_ups SET text = ?2, due = ?3, every = ?4 WHERE id = ?1",
            params![
                id,
                text.map_or(found.text.clone(), |t| t.trim().to_string()),
                due.unwrap_or(found.due).to_storage(),
                every.map(|e| e.to_text()),
            ],
        )?;
        follow_up_in(self.tx(), id)?.ok_or_else(|| not_found(id))
    }

    /// Deletes a follow-up (open or done) for good.
    pub fn remove_follow_up(&mut self, id: FollowUpId) -> Result<FollowUp> {
        let found = follow_up_in(self.tx(), id)?.ok_or_else(|| not_found(id))?;
        self.tx()
            .execute("DELETE FROM follow_ups WHERE id = ?1", [id])?;
        Ok(found)
    }
}

/// The filter as SQL (parameters 1–5 of [`filter_params`]). Due dates are stored as ISO text
/// ("YYYY-MM-DD[THH:MM]"), so text order is time order and "before a day" is "< its text".
const MATCHES: &str = "(?1 IS NULL OR f.contact_id = ?1) AND (?2 OR f.done_at IS NULL)
     AND (?3 IS NULL OR f.due < ?3) AND (?4 IS NULL OR f.due < ?4) AND (?5 IS NULL OR f.due >= ?5)";

fn filter_params(filter: &FollowUpFilter) -> [rusqlite::types::Value; 5] {
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).into();
    [
        filter.contact.into(),
        filter.include_done.into(),
        day(filter.due_before),
        day(filter.due_until.and_then(|d| d.succ_opt())),
        day(filter.due_from),
    ]
}

fn follow_up_in(conn: &rusqlite::Connection, id: FollowUpId) -> Result<Option<FollowUp>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM follow_ups f WHERE f.id = ?1"
        ))?
        .query_row([id], read_row)
        .optional()?)
}

impl Store {
    pub fn follow_up(&self, id: FollowUpId) -> Result<Option<FollowUp>> {
        follow_up_in(self.conn(), id)
    }

    /// Follow-ups matching `filter` with their contacts' names, due first (then by id).
    pub fn follow_ups(&self, filter: &FollowUpFilter) -> Result<Vec<FollowUpRow>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS}, c.name FROM follow_ups f JOIN contacts c ON c.id = f.contact_id
             WHERE {MATCHES} ORDER BY f.done_at IS NOT NULL, f.due, f.id LIMIT ?6"
        ))?;
        let [a, b, c, d, e] = filter_params(filter);
        let limit = filter
            .limit
            .map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let rows = stmt.query_map(params![a, b, c, d, e, limit], |r| {
            Ok(FollowUpRow {
                follow_up: read_row(r)?,
                contact_name: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// [`Store::follow_ups`] and how many match in all; counted only when the limit cut the list.
    pub fn follow_ups_counted(&self, filter: &FollowUpFilter) -> Result<(Vec<FollowUpRow>, usize)> {
        let rows = self.follow_ups(filter)?;
        let total = match filter.limit {
            Some(limit) if rows.len() >= limit => self.count_follow_ups(filter)?,
            _ => rows.len(),
        };
        Ok((rows, total))
    }

    /// How many follow-ups match `filter` (its limit aside).
    pub fn count_follow_ups(&self, filter: &FollowUpFilter) -> Result<usize> {
        let [a, b, c, d, e] = filter_params(filter);
        let n: i64 = self
            .conn()
            .prepare_cached(&format!(
                "SELECT count(*) FROM follow_ups f WHERE {MATCHES}"
            ))?
            .query_row(params![a, b, c, d, e], |r| r.get(0))?;
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactFields, InteractionKind};

    #[test]
    fn done_with_its_call_is_one_transaction_both_or_neither() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let now = today.and_hms_opt(10, 0, 0).unwrap();
        let (contact, id) = store
            .write(today, |w| {
                let fields = ContactFields {
                    name: Some("Ana".into()),
                    ..ContactFields::default()
                };
                let contact = w.add_contact(&fields, now)?;
                let id = w.add_follow_up(&NewFollowUp {
                    contact_id: contact,
                    text: "call".into(),
                    due: Due {
                        date: today,
                        time: None,
                    },
                    every: None,
                    source: FollowUpSource::Manual,
                    created_at: now,
                })?;
                Ok((contact, id))
            })
            .unwrap();
        let call = NewInteraction {
            contact_id: contact,
            kind: InteractionKind::Call,
            occurred_at: now,
            summary: Some("done".into()),
            amount: None,
            item: None,
            ratings: Vec::new(),
        };
        let count = |store: &Store, sql: &str| -> i64 {
            store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
        };
        // Something later in the same write fails: neither the call nor the done mark stays.
        let failed = store.write(today, |w| {
            w.complete_follow_up(id, now, Some((&call, "EUR")))?;
            Err::<(), _>(StoreError::invalid("a later step failed"))
        });
        assert!(failed.is_err());
        assert_eq!(count(&store, "SELECT count(*) FROM interactions"), 0);
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM follow_ups WHERE done_at IS NULL"
            ),
            1
        );
        // It succeeds: both.
        let done = store
            .write(today, |w| {
                w.complete_follow_up(id, now, Some((&call, "EUR")))
            })
            .unwrap();
        assert!(done.logged.is_some() && done.next_due.is_none());
        assert_eq!(count(&store, "SELECT count(*) FROM interactions"), 1);
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM follow_ups WHERE done_at IS NOT NULL"
            ),
            1
        );
    }

    #[test]
    fn the_next_date_keeps_the_rhythm_and_lies_after_today() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let due = Due {
            date: day(2),
            time: None,
        };
        let fortnight = Every::from_text("2w").unwrap();
        assert_eq!(next_after(due, fortnight, day(1)).date, day(16));
        assert_eq!(next_after(due, fortnight, day(16)).date, day(30));
    }
}

//! Reading contact histories in the plain shape the scoring engine takes.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
use crate::domain::{ContactHistory, ContactId, FeedbackEvent, InteractionKind, PurchaseEvent, Rating, TouchEvent};

/// Stored instants start with the ISO date; only the date matters to scoring.
fn date_of(text: &str) -> NaiveDate {
    text.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or_default()
}

/// Adds one interaction row (and its rating, for feedback rows joined with ratings) to a history.
struct RowSink<'h> {
    history: &'h mut ContactHistory,
    last_feedback: Option<i64>,
}

impl RowSink<'_> {
    fn push(&mut self, id: i64, kind: &str, at: &str, amount: Option<i64>, item: Option<String>, rating: Option<(String, u8)>) {
        let date = date_of(at);
        match kind.parse::<InteractionKind>() {
            Ok(InteractionKind::Purchase) => self.history.purchases.push(PurchaseEvent { date, amount: amount.unwrap_or(0), item }),
            Ok(InteractionKind::Feedback) => {
                if self.last_feedback != Some(id) {
                    self.history.feedback.push(FeedbackEvent { date, ratings: Vec::new() });
                    self.last_feedback = Some(id);
                }
                if let (Some((dimension, stars)), Some(entry)) = (rating, self.history.feedback.last_mut()) {
                    entry.ratings.push(Rating { dimension, stars });
                }
            }
            Ok(kind) => self.history.touches.push(TouchEvent { date, kind }),
            Err(_) => {}
        }
    }
}

const ROWS: &str = "SELECT i.contact_id, i.id, i.kind, i.occurred_at, i.amount, i.item, r.dimension, r.stars
                    FROM interactions i LEFT JOIN ratings r ON r.interaction_id = i.id";

type Row = (ContactId, i64, String, String, Option<i64>, Option<String>, Option<String>, Option<u8>);

fn read_row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
}

fn empty_history(id: ContactId, created_at: &str, referrals: u32) -> ContactHistory {
    ContactHistory { contact_id: id, created_on: Some(date_of(created_at)), referrals_made: referrals, ..Default::default() }
}

/// One contact's history: cost depends only on that contact's own interactions.
pub fn load_one(conn: &Connection, id: ContactId) -> Result<ContactHistory> {
    let (created, referrals): (String, u32) = conn.prepare_cached(
        "SELECT created_at, (SELECT count(*) FROM contacts r WHERE r.referred_by = c.id) FROM contacts c WHERE c.id = ?1",
    )?
    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut history = empty_history(id, &created, referrals);
    let mut sink = RowSink { history: &mut history, last_feedback: None };
    let mut stmt = conn.prepare_cached(&format!("{ROWS} WHERE i.contact_id = ?1 ORDER BY i.occurred_at, i.id, r.rowid"))?;
    let mut rows = stmt.query([id])?;
    while let Some(row) = rows.next()? {
        let (_, iid, kind, at, amount, item, dim, stars) = read_row(row)?;
        sink.push(iid, &kind, &at, amount, item, dim.zip(stars));
    }
    Ok(history)
}

/// Every contact's history, in contact id order, streamed from one pass over the interactions.
pub fn load_all(conn: &Connection) -> Result<Vec<ContactHistory>> {
    let mut histories = Vec::new();
    let mut index: HashMap<ContactId, usize> = HashMap::new();
    let mut contacts = conn.prepare(
        "SELECT c.id, c.created_at, coalesce(r.n, 0) FROM contacts c
         LEFT JOIN (SELECT referred_by, count(*) AS n FROM contacts WHERE referred_by IS NOT NULL GROUP BY referred_by) r
                ON r.referred_by = c.id
         ORDER BY c.id",
    )?;
    let mut rows = contacts.query([])?;
    while let Some(row) = rows.next()? {
        let id: ContactId = row.get(0)?;
        let created: String = row.get(1)?;
        index.insert(id, histories.len());
        histories.push(empty_history(id, &created, row.get(2)?));
    }
    let mut stmt = conn.prepare(&format!("{ROWS} ORDER BY i.contact_id, i.occurred_at, i.id, r.rowid"))?;
    let mut rows = stmt.query([])?;
    let mut current: Option<(ContactId, usize)> = None;
    let mut last_feedback = None;
    while let Some(row) = rows.next()? {
        let (cid, iid, kind, at, amount, item, dim, stars) = read_row(row)?;
        let slot = match current {
            Some((c, slot)) if c == cid => slot,
            _ => {
                let Some(&slot) = index.get(&cid) else { continue };
                current = Some((cid, slot));
                last_feedback = None;
                slot
            }
        };
        let mut sink = RowSink { history: &mut histories[slot], last_feedback };
        sink.push(iid, &kind, &at, amount, item, dim.zip(stars));
        last_feedback = sink.last_feedback;
    }
    Ok(histories)
}

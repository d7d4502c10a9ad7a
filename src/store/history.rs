//! Reading contact histories in the plain shape the scoring engine takes.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
use crate::domain::{
    ContactHistory, ContactId, FeedbackEvent, InteractionKind, PurchaseEvent, Rating, TouchEvent,
};

/// Stored instants start with the ISO date; only the date matters to scoring.
/// Read by hand: this runs once per interaction on every refit.
fn date_of(text: &str) -> NaiveDate {
    let b = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let parsed = (b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-'))
        .then(|| Some((number(0..4)?, number(5..7)?, number(8..10)?)))
        .flatten()
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d));
    parsed.unwrap_or_default()
}

fn empty_history(id: ContactId, created_at: &str, referrals: u32) -> ContactHistory {
    ContactHistory {
        contact_id: id,
        created_on: Some(date_of(created_at)),
        referrals_made: referrals,
        ..Default::default()
    }
}

/// Interactions in the order scoring reads them: by time, then by id.
const INTERACTIONS: &str =
    "SELECT i.contact_id, i.id, i.kind, i.occurred_at, i.amount, i.item FROM interactions i";

/// Adds the interaction in `row` (columns of [`INTERACTIONS`]) to `history`.
fn push_row(
    history: &mut ContactHistory,
    row: &rusqlite::Row,
    ratings: &mut HashMap<i64, Vec<Rating>>,
) -> rusqlite::Result<()> {
    let id: i64 = row.get(1)?;
    let text = |i: usize| row.get_ref(i).and_then(|v| v.as_str().map_err(Into::into));
    let kind = text(2)?;
    let date = date_of(text(3)?);
    match kind.parse::<InteractionKind>() {
        Ok(InteractionKind::Purchase) => history.purchases.push(PurchaseEvent {
            date,
            amount: row.get::<_, Option<i64>>(4)?.unwrap_or(0),
            item: row.get(5)?,
        }),
        Ok(InteractionKind::Feedback) => history.feedback.push(FeedbackEvent {
            date,
            ratings: ratings.remove(&id).unwrap_or_default(),
        }),
        Ok(kind) => history.touches.push(TouchEvent { date, kind }),
        Err(_) => {}
    }
    Ok(())
}

/// Ratings keyed by interaction id (feedback is rare, so one small pass beats a join per row).
fn ratings(conn: &Connection, contact: Option<ContactId>) -> Result<HashMap<i64, Vec<Rating>>> {
    // Two statements, so the one-contact form can use the contact index instead of scanning.
    // `+i.kind` keeps SQLite off the (kind, occurred_at) index: with it, this read every feedback
    // entry of every client (7,000 pages on 10,000 clients) for each `rapport log`.
    let mut stmt = match contact {
        Some(_) => conn.prepare_cached(
            "SELECT r.interaction_id, r.dimension, r.stars FROM interactions i JOIN ratings r ON r.interaction_id = i.id
             WHERE i.contact_id = ?1 AND +i.kind = 'feedback' ORDER BY r.interaction_id, r.rowid",
        )?,
        None => conn.prepare_cached("SELECT r.interaction_id, r.dimension, r.stars FROM ratings r ORDER BY r.interaction_id, r.rowid")?,
    };
    let mut map: HashMap<i64, Vec<Rating>> = HashMap::new();
    let mut rows = match contact {
        Some(id) => stmt.query([id])?,
        None => stmt.query([])?,
    };
    while let Some(row) = rows.next()? {
        map.entry(row.get(0)?).or_default().push(Rating {
            dimension: row.get(1)?,
            stars: row.get(2)?,
        });
    }
    Ok(map)
}

/// One contact's history: cost depends only on that contact's own interactions.
pub fn load_one(conn: &Connection, id: ContactId) -> Result<ContactHistory> {
    let (created, referrals): (String, u32) = conn
        .prepare_cached(
            "SELECT created_at, (SELECT count(*) FROM contacts r WHERE r.referred_by = c.id) FROM contacts c WHERE c.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut history = empty_history(id, &created, referrals);
    let mut ratings = ratings(conn, Some(id))?;
    let mut stmt = conn.prepare_cached(&format!(
        "{INTERACTIONS} WHERE i.contact_id = ?1 ORDER BY i.occurred_at, i.id"
    ))?;
    let mut rows = stmt.query([id])?;
    while let Some(row) = rows.next()? {
        push_row(&mut history, row, &mut ratings)?;
    }
    Ok(history)
}

/// Every contact's history, in contact id order, from one ordered pass over the interactions.
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
        index.insert(id, histories.len());
        let created: String = row.get(1)?;
        histories.push(empty_history(id, &created, row.get(2)?));
    }
    let mut ratings = ratings(conn, None)?;
    let mut stmt = conn.prepare(&format!(
        "{INTERACTIONS} ORDER BY i.contact_id, i.occurred_at, i.id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut current: Option<(ContactId, usize)> = None;
    while let Some(row) = rows.next()? {
        let contact: ContactId = row.get(0)?;
        let slot = match current {
            Some((c, slot)) if c == contact => slot,
            _ => match index.get(&contact) {
                Some(&slot) => {
                    current = Some((contact, slot));
                    slot
                }
                None => continue,
            },
        };
        push_row(&mut histories[slot], row, &mut ratings)?;
    }
    Ok(histories)
}

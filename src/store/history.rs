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
    parse_day(text).unwrap_or_default()
}

/// The day of a stored `YYYY-MM-DD…` text, read by hand (chrono's format parser cost more than
/// the query around it over a million rows).
pub(super) fn parse_day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    (b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-'))
        .then(|| Some((number(0..4)?, number(5..7)?, number(8..10)?)))
        .flatten()
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d))
}

/// `referrals`: the creation instants of the contacts this one referred, comma-separated (SQL
/// `group_concat`), or None.
fn empty_history(id: ContactId, created_at: &str, referrals: Option<&str>) -> ContactHistory {
    let mut dates: Vec<NaiveDate> = referrals
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(date_of)
        .collect();
    dates.sort_unstable();
    ContactHistory {
        contact_id: id,
        created_on: Some(date_of(created_at)),
        referrals: dates,
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
    ratings: &mut impl FnMut(i64) -> rusqlite::Result<Vec<Rating>>,
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
            ratings: ratings(id)?,
        }),
        Ok(kind) => history.touches.push(TouchEvent { date, kind }),
        Err(_) => {}
    }
    Ok(())
}

/// One contact's ratings keyed by interaction id.
fn ratings(conn: &Connection, contact: ContactId) -> Result<HashMap<i64, Vec<Rating>>> {
    // `+i.kind` keeps SQLite off the (kind, occurred_at) index: with it, this read every feedback
    // entry of every client (7,000 pages on 10,000 clients) for each `rapport log`.
    let mut stmt = conn.prepare_cached(
        "SELECT r.interaction_id, r.dimension, r.stars FROM interactions i JOIN ratings r ON r.interaction_id = i.id
         WHERE i.contact_id = ?1 AND +i.kind = 'feedback' ORDER BY r.interaction_id, r.rowid",
    )?;
    let mut map: HashMap<i64, Vec<Rating>> = HashMap::new();
    let mut rows = stmt.query([contact])?;
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
    let (created, referrals): (String, Option<String>) = conn
        .prepare_cached(
            "SELECT created_at, (SELECT group_concat(r.created_at) FROM contacts r WHERE r.referred_by = c.id) FROM contacts c WHERE c.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut history = empty_history(id, &created, referrals.as_deref());
    let mut ratings = ratings(conn, id)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{INTERACTIONS} WHERE i.contact_id = ?1 ORDER BY i.occurred_at, i.id"
    ))?;
    let mut rows = stmt.query([id])?;
    while let Some(row) = rows.next()? {
        push_row(&mut history, row, &mut |id| {
            Ok(ratings.remove(&id).unwrap_or_default())
        })?;
    }
    Ok(history)
}

/// Every contact's history, in contact id order.
pub fn load_all(conn: &Connection) -> Result<Vec<ContactHistory>> {
    let mut histories = Vec::new();
    for_each(conn, |h| {
        histories.push(h);
        Ok(())
    })?;
    Ok(histories)
}

/// Hands every contact's history to `visit`, in contact id order, from one ordered pass over the
/// interactions: only one history is in memory at a time, whatever the size of the database.
pub fn for_each(
    conn: &Connection,
    visit: impl FnMut(ContactHistory) -> Result<()>,
) -> Result<usize> {
    for_each_of(conn, |_| true, visit)
}

/// [`for_each`] of the contacts `wanted` says yes to. Each run of wanted contacts (in id order)
/// is read from where it starts in the contact index, and the read stops at the first contact
/// not wanted, so the others' rows are not read at all (reading each history by itself, as
/// `load_one` does, cost more per row than this pass). Still one history in memory at a time.
pub fn for_each_of(
    conn: &Connection,
    wanted: impl Fn(ContactId) -> bool,
    mut visit: impl FnMut(ContactHistory) -> Result<()>,
) -> Result<usize> {
    let mut contacts = conn.prepare(
        "SELECT c.id, c.created_at, r.dates FROM contacts c
         LEFT JOIN (SELECT referred_by, group_concat(created_at) AS dates FROM contacts WHERE referred_by IS NOT NULL GROUP BY referred_by) r
                ON r.referred_by = c.id
         ORDER BY c.id",
    )?;
    let mut interactions = conn.prepare_cached(&format!(
        "{INTERACTIONS} WHERE i.contact_id >= ?1 ORDER BY i.contact_id, i.occurred_at, i.id"
    ))?;
    let mut ratings_of = conn.prepare_cached(
        "SELECT dimension, stars FROM ratings WHERE interaction_id = ?1 ORDER BY rowid",
    )?;
    let mut ratings = |id: i64| -> rusqlite::Result<Vec<Rating>> {
        ratings_of
            .query_map([id], |r| {
                Ok(Rating {
                    dimension: r.get(0)?,
                    stars: r.get(1)?,
                })
            })?
            .collect()
    };
    let mut contact_rows = contacts.query([])?;
    let mut next_contact = || -> rusqlite::Result<Option<(ContactId, String, Option<String>)>> {
        contact_rows
            .next()?
            .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .transpose()
    };
    let mut visited = 0;
    let mut start = next_contact()?;
    while let Some(first) = start.take() {
        if !wanted(first.0) {
            start = next_contact()?;
            continue;
        }
        let mut rows = interactions.query([first.0])?;
        // Both lists are in contact id order: walk them side by side.
        let mut pending = rows.next()?;
        let mut contact = Some(first);
        while let Some((id, created, referrals)) = contact.take() {
            if !wanted(id) {
                start = Some((id, created, referrals));
                break;
            }
            let mut history = empty_history(id, &created, referrals.as_deref());
            while let Some(row) = pending {
                let owner: ContactId = row.get(0)?;
                if owner > id {
                    break;
                }
                if owner == id {
                    push_row(&mut history, row, &mut ratings)?;
                }
                pending = rows.next()?;
            }
            visit(history)?;
            visited += 1;
            contact = next_contact()?;
        }
    }
    Ok(visited)
}

/// Every buyer's purchase days as (first, last, distinct days), day numbers counted from the
/// common era, for purchases on or before `today`: what the business's rhythm is learnt from
/// (`scoring::Rhythm::from_spans`), read from the purchase index alone before a refit reads
/// every history.
pub fn purchase_spans(conn: &Connection, today: NaiveDate) -> Result<Vec<(i64, i64, u32)>> {
    use chrono::Datelike;
    let until = (today + chrono::Duration::days(1)).to_string();
    let mut stmt = conn.prepare(
        "SELECT min(substr(occurred_at, 1, 10)), max(substr(occurred_at, 1, 10)),
                count(DISTINCT substr(occurred_at, 1, 10))
         FROM interactions WHERE kind = 'purchase' AND occurred_at < ?1 GROUP BY contact_id",
    )?;
    let day = |text: &str| i64::from(date_of(text).num_days_from_ce());
    let rows = stmt.query_map([until], |r| {
        let (first, last): (String, String) = (r.get(0)?, r.get(1)?);
        Ok((day(&first), day(&last), r.get::<_, u32>(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

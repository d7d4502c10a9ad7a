//! Interactions: logging them, the timeline, per-contact totals and the history scoring reads.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Row};
use serde::Serialize;

use super::search::Search;
use super::{Result, Store, StoreError, Write};
use crate::domain::text::{check_multiline, check_one_line};
use crate::domain::{
    dates, ContactId, Interaction, InteractionId, InteractionKind, NewInteraction, Rating,
};

/// An interaction with the name of its contact, for timelines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InteractionRow {
    #[serde(flatten)]
    pub interaction: Interaction,
    pub contact_name: String,
    pub contact_external_id: Option<String>,
}

/// What to show of the timeline.
#[derive(Debug, Clone, Default)]
pub struct InteractionFilter {
    pub contact: Option<ContactId>,
    pub kind: Option<InteractionKind>,
    pub search: Option<String>,
    /// Only entries at or after this instant.
    pub since: Option<NaiveDateTime>,
    pub limit: Option<usize>,
    pub offset: usize,
}

/// A contact's totals for `show`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ContactTotals {
    pub interactions: i64,
    pub purchases: i64,
    /// Minor units.
    pub total_spent: i64,
    pub first_purchase: Option<NaiveDateTime>,
    pub last_purchase: Option<NaiveDateTime>,
    pub last_touch: Option<NaiveDateTime>,
    pub feedback_entries: i64,
}

impl Write<'_> {
    /// Records an interaction (and its ratings) for an existing contact.
    pub fn add_interaction(
        &mut self,
        new: &NewInteraction,
        currency: &str,
    ) -> Result<InteractionId> {
        self.insert_interaction(None, new, currency)
    }

    /// Records an interaction with a chosen id when one is given (imports of an export keep their ids).
    pub fn insert_interaction(
        &mut self,
        id: Option<InteractionId>,
        new: &NewInteraction,
        currency: &str,
    ) -> Result<InteractionId> {
        self.insert_row(id, new, currency, None)
    }

    /// Records an email logged from a message, with its Message-ID in the same statement.
    pub(crate) fn add_mail_interaction(
        &mut self,
        new: &NewInteraction,
        message_id: Option<&str>,
    ) -> Result<InteractionId> {
        self.insert_row(None, new, "", message_id)
    }

    fn insert_row(
        &mut self,
        id: Option<InteractionId>,
        new: &NewInteraction,
        currency: &str,
        message_id: Option<&str>,
    ) -> Result<InteractionId> {
        validate(new, self.today())?;
        if matches!(
            new.kind,
            InteractionKind::Purchase | InteractionKind::Feedback
        ) {
            self.keep_models = false;
        }
        let tx = self.tx();
        let mut insert = tx.prepare_cached(
            "INSERT INTO interactions (id, contact_id, kind, occurred_at, summary, amount, currency, item, message_id)
             VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9)",
        )?;
        let currency = new.amount.map(|_| currency);
        insert
            .execute(params![
                new.contact_id,
                new.kind.as_str(),
                dates::to_storage(new.occurred_at),
                new.summary
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty()),
                new.amount,
                currency,
                new.item.as_deref().map(str::trim).filter(|s| !s.is_empty()),
                id,
                message_id,
            ])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
                {
                    StoreError::invalid(format!("contact #{} does not exist", new.contact_id))
                }
                rusqlite::Error::SqliteFailure(f, _)
                    if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
                {
                    StoreError::invalid(format!(
                        "id '{}' is already taken by another interaction",
                        id.unwrap_or_default()
                    ))
                }
                other => other.into(),
            })?;
        let id = tx.last_insert_rowid();
        let mut rate = tx.prepare_cached(
            "INSERT INTO ratings (interaction_id, dimension, stars) VALUES (?1, ?2, ?3)",
        )?;
        for rating in &new.ratings {
            rate.execute(params![id, rating.dimension, rating.stars])?;
        }
        drop(insert);
        drop(rate);
        self.touch(new.contact_id);
        self.indexes.row_added(&self.tx, id)?;
        Ok(id)
    }

    /// Removes one interaction (undo of a quick log).
    pub fn remove_interaction(&mut self, id: InteractionId) -> Result<()> {
        let contact: ContactId = self
            .tx()
            .query_row(
                "SELECT contact_id FROM interactions WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(|_| StoreError::invalid(format!("interaction #{} does not exist", id)))?;
        self.tx()
            .execute("DELETE FROM interactions WHERE id = ?1", [id])?;
        self.touch(contact);
        Ok(())
    }
}

/// Checks an interaction before it is written; the message names the field and value.
pub fn validate(new: &NewInteraction, today: NaiveDate) -> Result<()> {
    if let Some(item) = &new.item {
        check_one_line("item", item).map_err(StoreError::Invalid)?;
    }
    if let Some(summary) = &new.summary {
        check_multiline("summary", summary).map_err(StoreError::Invalid)?;
    }
    match new.kind {
        InteractionKind::Purchase => {
            let amount = new.amount.ok_or_else(|| {
                StoreError::invalid("amount is missing; a purchase needs an amount")
            })?;
            if amount < 0 {
                return Err(StoreError::invalid(format!(
                    "amount '{}' is negative; amounts must be zero or more",
                    amount
                )));
            }
            if new.occurred_at.date() > today {
                return Err(StoreError::invalid(format!(
                    "date '{}' is after today ({}); a purchase cannot be in the future",
                    new.occurred_at.date(),
                    today
                )));
            }
        }
        InteractionKind::Feedback => {
            if new.ratings.is_empty() {
                return Err(StoreError::invalid(
                    "ratings are missing; feedback needs at least one DIMENSION=STARS",
                ));
            }
            if let Some(bad) = new.ratings.iter().find(|r| !(1..=5).contains(&r.stars)) {
                return Err(StoreError::invalid(format!(
                    "rating {}={} is out of range; stars go from 1 to 5",
                    bad.dimension, bad.stars
                )));
            }
        }
        _ => {}
    }
    if new.kind != InteractionKind::Purchase && new.amount.is_some() {
        return Err(StoreError::invalid(format!(
            "amount is only for purchases, not for a {}",
            new.kind
        )));
    }
    Ok(())
}

const ROW_COLUMNS: &str =
    "i.id, i.contact_id, i.kind, i.occurred_at, i.summary, i.amount, i.item, c.name, c.external_id";

fn interaction_row(row: &Row) -> rusqlite::Result<InteractionRow> {
    let kind: String = row.get(2)?;
    let at: String = row.get(3)?;
    Ok(InteractionRow {
        interaction: Interaction {
            id: row.get(0)?,
            contact_id: row.get(1)?,
            kind: kind.parse().unwrap_or(InteractionKind::Note),
            occurred_at: dates::from_storage(&at).unwrap_or_default(),
            summary: row.get(4)?,
            amount: row.get(5)?,
            item: row.get(6)?,
            ratings: Vec::new(),
        },
        contact_name: row.get(7)?,
        contact_external_id: row.get(8)?,
    })
}

impl Store {
    /// The timeline, newest first (a search ranks whole-word matches first: [`Search`]), with
    /// feedback ratings filled in.
    /// Only the filters given become SQL conditions, so one contact's timeline uses its index.
    pub fn list_interactions(&self, filter: &InteractionFilter) -> Result<Vec<InteractionRow>> {
        let mut conditions = vec!["1".to_string()];
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(contact) = filter.contact {
            values.push(contact.into());
            conditions.push(format!("i.contact_id = ?{}", values.len()));
        }
        if let Some(kind) = filter.kind {
            values.push(kind.as_str().to_string().into());
            conditions.push(format!("i.kind = ?{}", values.len()));
        }
        let mut rank = String::new();
        if let Some(search) = Search::new(filter.search.as_deref()) {
            values.push(search.value());
            let n = values.len();
            conditions.push(search.interactions(n));
            rank = search.interaction_rank(n);
        }
        if let Some(since) = filter.since {
            // Instants are stored as ISO text, so text order is time order.
            values.push(crate::domain::dates::to_storage(since).into());
            conditions.push(format!("i.occurred_at >= ?{}", values.len()));
        }
        values.push(filter.limit.map(|l| l as i64).unwrap_or(-1).into());
        values.push((filter.offset as i64).into());
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM interactions i JOIN contacts c ON c.id = i.contact_id WHERE {}
             ORDER BY {rank}i.occurred_at DESC, i.id DESC LIMIT ?{} OFFSET ?{}",
            conditions.join(" AND "),
            values.len() - 1,
            values.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt
            .query_map(rusqlite::params_from_iter(values), interaction_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.fill_ratings(&mut rows)?;
        Ok(rows)
    }

    fn fill_ratings(&self, rows: &mut [InteractionRow]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT dimension, stars FROM ratings WHERE interaction_id = ?1 ORDER BY rowid",
        )?;
        for row in rows
            .iter_mut()
            .filter(|r| r.interaction.kind == InteractionKind::Feedback)
        {
            row.interaction.ratings = stmt
                .query_map([row.interaction.id], |r| {
                    Ok(Rating {
                        dimension: r.get(0)?,
                        stars: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
        }
        Ok(())
    }

    /// Counts and sums for one contact.
    pub fn contact_totals(&self, id: ContactId) -> Result<ContactTotals> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT count(*),
                    count(*) FILTER (WHERE kind = 'purchase'),
                    coalesce(sum(amount), 0),
                    min(occurred_at) FILTER (WHERE kind = 'purchase'),
                    max(occurred_at) FILTER (WHERE kind = 'purchase'),
                    max(occurred_at),
                    count(*) FILTER (WHERE kind = 'feedback')
             FROM interactions WHERE contact_id = ?1",
        )?;
        let totals = stmt.query_row([id], |r| {
            let at = |i: usize| -> rusqlite::Result<Option<NaiveDateTime>> {
                Ok(r.get::<_, Option<String>>(i)?
                    .as_deref()
                    .and_then(dates::from_storage))
            };
            Ok(ContactTotals {
                interactions: r.get(0)?,
                purchases: r.get(1)?,
                total_spent: r.get(2)?,
                first_purchase: at(3)?,
                last_purchase: at(4)?,
                last_touch: at(5)?,
                feedback_entries: r.get(6)?,
            })
        })?;
        Ok(totals)
    }

    pub fn interaction_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))?)
    }
}

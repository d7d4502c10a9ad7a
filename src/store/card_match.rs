//! Which contact an imported card is when its UID is not known: the one contact that has one of
//! its emails (any case), else one of its phone numbers (by [`phone_key`]), else — for a card
//! with neither — its exact name (any case). A phone's export often has no UIDs, so without
//! this every import of it would add everyone again.

use std::collections::{BTreeSet, HashMap};

use rusqlite::Connection;

use super::{Result, Write};
use crate::domain::card::{phone_key, Card};
use crate::domain::ContactId;

/// Every contact's phone numbers by key, read once per import and kept up to date as cards
/// are imported (so two cards of one file with the same number are one contact).
pub(super) struct CardMatcher {
    phones: HashMap<String, BTreeSet<ContactId>>,
}

impl CardMatcher {
    pub fn new(conn: &Connection) -> Result<CardMatcher> {
        let mut phones: HashMap<String, BTreeSet<ContactId>> = HashMap::new();
        let mut stmt = conn.prepare("SELECT number, contact_id FROM contact_phones")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
        for row in rows {
            let (number, id) = row?;
            if let Some(key) = phone_key(&number) {
                phones.entry(key).or_default().insert(id);
            }
        }
        Ok(CardMatcher { phones })
    }

    /// The contact `card` is, if exactly one contact answers to one of its emails, phones or
    /// (having neither) its name.
    pub fn find(&self, w: &Write, card: &Card) -> Result<Option<ContactId>> {
        for email in &card.emails {
            if let [id] = w.contacts_with_email(&email.value.trim().to_lowercase())?[..] {
                return Ok(Some(id));
            }
        }
        for phone in &card.phones {
            let ids = phone_key(&phone.value).and_then(|k| self.phones.get(&k));
            if let Some(ids) = ids.filter(|ids| ids.len() == 1) {
                return Ok(ids.first().copied());
            }
        }
        if card.emails.is_empty() && card.phones.is_empty() {
            let mut stmt = w
                .tx()
                .prepare_cached("SELECT id FROM contacts WHERE name = ?1 COLLATE NOCASE LIMIT 2")?;
            let ids = stmt
                .query_map([card.name.trim()], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<ContactId>>>()?;
            if let [id] = ids[..] {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Remembers the phones of a card just imported as contact `id`'s.
    pub fn learn(&mut self, id: ContactId, card: &Card) {
        for key in card.phones.iter().filter_map(|p| phone_key(&p.value)) {
            self.phones.entry(key).or_default().insert(id);
        }
    }
}

//! A contact's card-side fields (schema 13): several emails and phones with labels, birthday,
//! address, title, url, and the vCard UID. The preferred email and phone are also
//! `contacts.email` / `contacts.phone`; the migration's triggers keep the lists in step when
//! only those columns are written.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Result, Store, StoreError, Write};
use crate::domain::card::{Address, Birthday, Card, Labeled};
use crate::domain::{ContactFields, ContactId};

const CARD_SQL: &str = "SELECT vcard_uid, name, birthday, street, locality, region, postal_code,
        country, company, title, url FROM contacts WHERE id = ?1";

/// The card of contact `id`, or None when there is no such contact.
pub(crate) fn card_of(conn: &Connection, id: ContactId) -> Result<Option<Card>> {
    let card = conn
        .prepare_cached(CARD_SQL)?
        .query_row([id], |r| {
            let text = |i: usize| r.get::<_, Option<String>>(i);
            let address = Address {
                street: text(3)?,
                locality: text(4)?,
                region: text(5)?,
                postal_code: text(6)?,
                country: text(7)?,
            };
            Ok(Card {
                uid: text(0)?,
                name: r.get(1)?,
                emails: Vec::new(),
                phones: Vec::new(),
                birthday: text(2)?.as_deref().and_then(Birthday::from_storage),
                address: Some(address).filter(|a| !a.is_empty()),
                company: text(8)?,
                title: text(9)?,
                url: text(10)?,
            })
        })
        .optional()?;
    let Some(mut card) = card else {
        return Ok(None);
    };
    card.emails = labeled_of(conn, "contact_emails", "address", id)?;
    card.phones = labeled_of(conn, "contact_phones", "number", id)?;
    Ok(Some(card))
}

/// The preferred entry first, then the others in the order they were given.
fn labeled_of(conn: &Connection, table: &str, column: &str, id: ContactId) -> Result<Vec<Labeled>> {
    // Table and column names come from the two fixed call sites above.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {column}, label, preferred FROM {table} WHERE contact_id = ?1
         ORDER BY preferred DESC, id"
    ))?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(Labeled {
                value: r.get(0)?,
                label: r.get(1)?,
                preferred: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Store {
    /// The card-side fields of a contact (for `show`, the detail pane, `export vcard`).
    pub fn card(&self, id: ContactId) -> Result<Card> {
        card_of(self.conn(), id)?
            .ok_or_else(|| StoreError::invalid(format!("contact #{id} does not exist")))
    }
}

impl Write<'_> {
    /// Adds a contact from a card (a new person in an imported address book).
    pub fn add_card(
        &mut self,
        card: &Card,
        created_at: chrono::NaiveDateTime,
    ) -> Result<ContactId> {
        let fields = ContactFields {
            name: Some(card.name.clone()),
            ..ContactFields::default()
        };
        let id = self.add_contact(&fields, created_at)?;
        self.set_card(id, card)?;
        Ok(id)
    }

    /// Replaces the card-side fields of `id` with `card`'s (the UID only when the card has one);
    /// the contact's notes, tags, scores and history are not touched.
    pub fn set_card(&mut self, id: ContactId, card: &Card) -> Result<()> {
        card.validate().map_err(StoreError::Invalid)?;
        let card = card.clone().normalized();
        let fields = ContactFields {
            name: Some(card.name.clone()),
            email: Some(card.preferred_email().unwrap_or_default().to_string()),
            phone: Some(card.preferred_phone().unwrap_or_default().to_string()),
            company: Some(card.company.clone().unwrap_or_default()),
            ..ContactFields::default()
        };
        // Through the contact's own edit, so the search index and re-scoring follow.
        self.edit_contact(id, &fields)?;
        let address = card.address.clone().unwrap_or_default();
        self.tx().execute(
            "UPDATE contacts SET birthday = ?2, street = ?3, locality = ?4, region = ?5,
                 postal_code = ?6, country = ?7, title = ?8, url = ?9,
                 vcard_uid = coalesce(?10, vcard_uid)
             WHERE id = ?1",
            params![
                id,
                card.birthday.map(|b| b.to_storage()),
                address.street,
                address.locality,
                address.region,
                address.postal_code,
                address.country,
                card.title,
                card.url,
                card.uid,
            ],
        )?;
        self.set_labeled("contact_emails", "address", id, &card.emails)?;
        self.set_labeled("contact_phones", "number", id, &card.phones)?;
        Ok(())
    }

    /// Makes the contact's rows of `table` exactly `entries`, keeping the rows that already say
    /// the same (so a phone added is one row added, nothing else rewritten).
    fn set_labeled(
        &self,
        table: &str,
        column: &str,
        id: ContactId,
        entries: &[Labeled],
    ) -> Result<()> {
        let tx = self.tx();
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT id, {column}, label, preferred FROM {table} WHERE contact_id = ?1 ORDER BY id"
        ))?;
        let mut rows: Vec<Option<(i64, Labeled)>> = stmt
            .query_map([id], |r| {
                let entry = Labeled {
                    value: r.get(1)?,
                    label: r.get(2)?,
                    preferred: r.get(3)?,
                };
                Ok(Some((r.get(0)?, entry)))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut insert = tx.prepare_cached(&format!(
            "INSERT INTO {table} (contact_id, {column}, label, preferred) VALUES (?1, ?2, ?3, ?4)"
        ))?;
        for entry in entries {
            match rows
                .iter_mut()
                .find(|r| r.as_ref().is_some_and(|(_, e)| e == entry))
            {
                Some(kept) => *kept = None,
                None => {
                    insert.execute(params![id, entry.value, entry.label, entry.preferred])?;
                }
            }
        }
        let mut delete = tx.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?;
        for (row, _) in rows.into_iter().flatten() {
            delete.execute([row])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn the_preferred_email_and_phone_stay_the_contact_columns() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("c.db")).unwrap();
        let card = Card {
            name: "Ana Ruiz".into(),
            emails: vec![
                Labeled::new("ana@home.org", Some("home"), false),
                Labeled::new("ana@work.org", Some("work"), true),
            ],
            phones: vec![Labeled::new("+34 600 1", None, false)],
            birthday: Some(Birthday::new(Some(1980), 5, 17).unwrap()),
            ..Card::default()
        };
        let id = store
            .write(day(), |w| {
                w.add_card(&card, day().and_hms_opt(9, 0, 0).unwrap())
            })
            .unwrap();
        let contact = store.contact(id).unwrap();
        assert_eq!(contact.email.as_deref(), Some("ana@work.org"));
        assert_eq!(contact.phone.as_deref(), Some("+34 600 1"));
        let stored = store.card(id).unwrap();
        assert_eq!(stored.emails.len(), 2);
        assert_eq!(stored.preferred_email(), Some("ana@work.org"));
        assert_eq!(stored.birthday, card.birthday);
        // `edit --email` replaces the preferred address and keeps the others.
        store
            .write(day(), |w| {
                w.edit_contact(
                    id,
                    &ContactFields {
                        email: Some("ana@new.org".into()),
                        ..ContactFields::default()
                    },
                )
            })
            .unwrap();
        let emails: Vec<String> = store
            .card(id)
            .unwrap()
            .emails
            .into_iter()
            .map(|e| e.value)
            .collect();
        assert_eq!(emails, vec!["ana@new.org", "ana@home.org"]);
    }
}

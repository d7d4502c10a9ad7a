//! vCard import and export on the database side: which contact a card is (its UID, else
//! [`CardMatcher`]), what importing it changes, the stable UIDs an export writes, and the vdirs'
//! memory of which contacts they held, so a card deleted from a vdir archives its contact.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rand::Rng;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::card_match::CardMatcher;
use super::cards::card_of;
use super::{Result, Store, StoreError, Write};
use crate::domain::card::Card;
use crate::domain::ContactId;

/// One card to import, with where it was read ("cards.vcf line 12") for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct CardInput {
    pub place: String,
    pub card: Card,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VcardReport {
    pub cards: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Contacts whose card is gone from the vdir they were exported to: archived, never erased.
    pub archived: Vec<String>,
    /// Where and what; when there is any, nothing was written.
    pub problems: Vec<(String, String)>,
    pub dry_run: bool,
}

enum Outcome {
    Added,
    Updated,
    Unchanged,
}

impl Store {
    /// Imports `cards` in one transaction: all of them or, on any problem, none. `vdir` (a
    /// canonical directory path) is where the cards came from when they are a whole vdir.
    pub fn import_vcards(
        &mut self,
        cards: &[CardInput],
        vdir: Option<&str>,
        dry_run: bool,
        today: NaiveDate,
    ) -> Result<VcardReport> {
        let mut report = VcardReport {
            cards: cards.len(),
            dry_run,
            ..VcardReport::default()
        };
        let created = today.and_hms_opt(12, 0, 0).unwrap_or_default();
        self.write_if(today, |w| {
            let mut matcher = CardMatcher::new(w.tx())?;
            let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
            let mut present = BTreeSet::new();
            for input in cards {
                if let Some(uid) = input.card.uid.as_deref() {
                    if let Some(first) = seen.insert(uid, &input.place) {
                        report.problems.push((
                            input.place.clone(),
                            format!(
                                "UID '{}' is also on the card at {first}; each card needs its own UID",
                                crate::domain::text::printable(uid)
                            ),
                        ));
                        continue;
                    }
                }
                match w.import_card(&input.card, &matcher, created) {
                    Ok((id, outcome)) => {
                        matcher.learn(id, &input.card);
                        present.insert(id);
                        match outcome {
                            Outcome::Added => report.added += 1,
                            Outcome::Updated => report.updated += 1,
                            Outcome::Unchanged => report.unchanged += 1,
                        }
                    }
                    Err(StoreError::Invalid(message)) => {
                        report.problems.push((input.place.clone(), message))
                    }
                    Err(other) => return Err(other),
                }
            }
            let mut remembered = false;
            if let Some(dir) = vdir {
                report.archived = w.archive_gone(dir, &present)?;
                remembered = w.remember_vdir(dir, &present)?;
            }
            // An import that changes nothing writes nothing (not even a new write generation).
            let changed = report.added + report.updated + report.archived.len() > 0 || remembered;
            let commit = report.problems.is_empty() && !dry_run && changed;
            Ok((std::mem::take(&mut report), commit))
        })
        .map(|(report, _)| report)
    }

    /// Every contact not archived as a card with its UID (given now to those without one), in
    /// id order; `vdir` remembers them as that directory's contacts. `write_out` writes the cards
    /// out before the transaction commits, so a failed write leaves no UID or vdir half-recorded.
    pub fn export_vcards(
        &mut self,
        vdir: Option<&str>,
        today: NaiveDate,
        write_out: impl FnOnce(&[Card]) -> std::io::Result<()>,
    ) -> Result<usize> {
        let path = vdir.unwrap_or("-").to_string();
        // Once every contact has its UID and the vdir remembers them, exporting only reads.
        let missing: i64 = self.conn().query_row(
            "SELECT count(*) FROM contacts WHERE vcard_uid IS NULL AND archived = 0",
            [],
            |r| r.get(0),
        )?;
        let exported = ids(
            self.conn(),
            "SELECT id FROM contacts WHERE archived = 0 ORDER BY id",
        )?;
        let remembered = match vdir {
            Some(dir) => held_by(self.conn(), dir)? == exported.iter().copied().collect(),
            None => true,
        };
        if missing == 0 && remembered {
            let mut cards = Vec::with_capacity(exported.len());
            for &id in &exported {
                cards.extend(card_of(self.conn(), id)?);
            }
            write_out(&cards).map_err(|source| StoreError::Io {
                path: path.into(),
                source,
            })?;
            return Ok(cards.len());
        }
        self.write(today, |w| {
            let missing: Vec<ContactId> = ids(
                w.tx(),
                "SELECT id FROM contacts WHERE vcard_uid IS NULL AND archived = 0 ORDER BY id",
            )?;
            for id in missing {
                w.tx().execute(
                    "UPDATE contacts SET vcard_uid = ?2 WHERE id = ?1",
                    params![id, new_uid()],
                )?;
            }
            let exported = ids(
                w.tx(),
                "SELECT id FROM contacts WHERE archived = 0 ORDER BY id",
            )?;
            let mut cards = Vec::with_capacity(exported.len());
            for &id in &exported {
                cards.extend(card_of(w.tx(), id)?);
            }
            write_out(&cards).map_err(|source| StoreError::Io {
                path: path.clone().into(),
                source,
            })?;
            if let Some(dir) = vdir {
                w.remember_vdir(dir, &exported.into_iter().collect())?;
            }
            Ok(cards.len())
        })
    }
}

fn ids(conn: &rusqlite::Connection, sql: &str) -> Result<Vec<ContactId>> {
    let mut stmt = conn.prepare(sql)?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<ContactId>>>()?;
    Ok(ids)
}

/// The contacts `dir` held at its last export or import.
fn held_by(conn: &rusqlite::Connection, dir: &str) -> Result<BTreeSet<ContactId>> {
    let mut stmt = conn.prepare_cached("SELECT contact_id FROM vdir_cards WHERE dir = ?1")?;
    let held = stmt
        .query_map([dir], |r| r.get(0))?
        .collect::<rusqlite::Result<BTreeSet<ContactId>>>()?;
    Ok(held)
}

/// A random (version 4) UUID, the form khard and phones give their cards.
fn new_uid() -> String {
    let mut rng = rand::thread_rng();
    let a: u32 = rng.gen();
    let b: u16 = rng.gen();
    let c: u16 = rng.gen::<u16>() & 0x0fff | 0x4000;
    let d: u16 = rng.gen::<u16>() & 0x3fff | 0x8000;
    let e: u64 = rng.gen::<u64>() & 0xffff_ffff_ffff;
    format!("{a:08x}-{b:04x}-{c:04x}-{d:04x}-{e:012x}")
}

impl Write<'_> {
    /// The contact this card is: its UID's, else the one [`CardMatcher`] finds (by email, phone
    /// or name), else a new one.
    fn import_card(
        &mut self,
        card: &Card,
        matcher: &CardMatcher,
        created: chrono::NaiveDateTime,
    ) -> Result<(ContactId, Outcome)> {
        card.validate().map_err(StoreError::Invalid)?;
        let card = card.clone().normalized();
        if let Some(id) = self.contact_with_uid(card.uid.as_deref())? {
            // The card is the truth about the fields it carries; a card back in its vdir brings
            // its archived contact back.
            let existing = self.existing(id)?;
            let archived = self.unarchive(id)?;
            if !archived && existing.same_as(&card) {
                return Ok((id, Outcome::Unchanged));
            }
            self.set_card(id, &card)?;
            return Ok((id, Outcome::Updated));
        }
        if let Some(id) = matcher.find(self, &card)? {
            let existing = self.existing(id)?;
            let mut merged = card.filled_into(&existing);
            // Rapport's UID stays; a contact that has none takes the card's.
            merged.uid = existing.uid.clone().or(card.uid.clone());
            if merged.same_as(&existing) && merged.uid == existing.uid {
                return Ok((id, Outcome::Unchanged));
            }
            self.set_card(id, &merged)?;
            return Ok((id, Outcome::Updated));
        }
        Ok((self.add_card(&card, created)?, Outcome::Added))
    }

    fn existing(&self, id: ContactId) -> Result<Card> {
        card_of(self.tx(), id)?
            .map(Card::normalized)
            .ok_or_else(|| StoreError::invalid(format!("contact #{id} does not exist")))
    }

    fn contact_with_uid(&self, uid: Option<&str>) -> Result<Option<ContactId>> {
        let Some(uid) = uid else { return Ok(None) };
        Ok(self
            .tx()
            .prepare_cached("SELECT id FROM contacts WHERE vcard_uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?)
    }

    fn unarchive(&mut self, id: ContactId) -> Result<bool> {
        let changed = self.tx().execute(
            "UPDATE contacts SET archived = 0 WHERE id = ?1 AND archived = 1",
            [id],
        )?;
        if changed > 0 {
            self.touch(id);
        }
        Ok(changed > 0)
    }

    /// Archives the contacts `dir` held whose card is no longer there, returning their names.
    fn archive_gone(&mut self, dir: &str, present: &BTreeSet<ContactId>) -> Result<Vec<String>> {
        let mut stmt = self.tx().prepare(
            "SELECT c.id, c.name FROM vdir_cards v JOIN contacts c ON c.id = v.contact_id
             WHERE v.dir = ?1 AND c.archived = 0 ORDER BY c.name COLLATE NOCASE, c.id",
        )?;
        let held = stmt
            .query_map([dir], |r| {
                Ok((r.get::<_, ContactId>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        let mut names = Vec::new();
        for (id, name) in held.into_iter().filter(|(id, _)| !present.contains(id)) {
            self.tx()
                .execute("UPDATE contacts SET archived = 1 WHERE id = ?1", [id])?;
            self.touch(id);
            names.push(name);
        }
        Ok(names)
    }

    /// Records the contacts `dir` holds now; false when it already held exactly those.
    fn remember_vdir(&mut self, dir: &str, held: &BTreeSet<ContactId>) -> Result<bool> {
        let tx = self.tx();
        if held_by(tx, dir)? == *held {
            return Ok(false);
        }
        tx.execute("DELETE FROM vdir_cards WHERE dir = ?1", [dir])?;
        let mut insert =
            tx.prepare_cached("INSERT INTO vdir_cards (dir, contact_id) VALUES (?1, ?2)")?;
        for id in held {
            insert.execute(params![dir, id])?;
        }
        Ok(true)
    }
}

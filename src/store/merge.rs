//! The same person twice: likely duplicate pairs, and merging one contact into another.
//!
//! Names are compared as SQLite's full-text word index folds them (case and diacritics, the
//! same folding `--search` uses), as a set of words, so "Müller, Lukas" and "lukas muller" match.
//! Emails match case-insensitively; phones by their last nine digits (so `+49 30 1234567` and
//! `030 1234567` match), or all of them when shorter, six at least.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::params;
use serde::Serialize;

use super::{Result, Store, StoreError, Write};
use crate::domain::card::phone_key;
use crate::domain::ContactId;

/// Two contacts that are probably one person, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicatePair {
    /// The older contact (lower id): the one to keep by default.
    pub keep: ContactId,
    pub other: ContactId,
    /// "same name", "same email a@b.c", "same phone …4567".
    pub reasons: Vec<String>,
}

impl Store {
    /// Likely duplicate pairs, those with most reasons first, then by id.
    pub fn duplicates(&self) -> Result<Vec<DuplicatePair>> {
        self.duplicate_pairs(None)
    }

    /// The pairs of [`Store::duplicates`] that involve contact `id`, in the same order: what
    /// the workspace shows beside one contact, without pairing up everyone else.
    pub fn duplicates_of(&self, id: ContactId) -> Result<Vec<DuplicatePair>> {
        self.duplicate_pairs(Some(id))
    }

    /// Every likely pair, or only those involving `of`.
    fn duplicate_pairs(&self, of: Option<ContactId>) -> Result<Vec<DuplicatePair>> {
        let mut reasons: BTreeMap<(ContactId, ContactId), Vec<String>> = BTreeMap::new();
        let mut add = |group: &[ContactId], reason: &str| {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    if of.is_some_and(|id| id != *a && id != *b) {
                        continue;
                    }
                    let key = ((*a).min(*b), (*a).max(*b));
                    reasons.entry(key).or_default().push(reason.to_string());
                }
            }
        };
        for (_, ids) in self.groups_by_folded_name(of)? {
            add(&ids, "same name");
        }
        let email = |e: &str| Some(e.to_string());
        // Every email and phone of a contact counts, not only the preferred one (schema 13).
        // For one contact, only the addresses it has are read.
        for (email, ids) in self.groups_by(
            "SELECT lower(trim(address)), contact_id FROM contact_emails
             WHERE ?1 IS NULL OR lower(trim(address)) IN
                 (SELECT lower(trim(address)) FROM contact_emails WHERE contact_id = ?1)",
            [of],
            email,
        )? {
            add(&ids, &format!("same email {email}"));
        }
        // Phones are compared by a key computed here, so all of them are read.
        for (key, ids) in self.groups_by(
            "SELECT number, contact_id FROM contact_phones",
            [],
            phone_key,
        )? {
            add(
                &ids,
                &format!("same phone …{}", &key[key.len().saturating_sub(4)..]),
            );
        }
        let mut pairs: Vec<DuplicatePair> = reasons
            .into_iter()
            .map(|((keep, other), reasons)| DuplicatePair {
                keep,
                other,
                reasons,
            })
            .collect();
        pairs.sort_by(|a, b| {
            b.reasons
                .len()
                .cmp(&a.reasons.len())
                .then((a.keep, a.other).cmp(&(b.keep, b.other)))
        });
        Ok(pairs)
    }

    /// Contacts sharing a key, in groups of two or more: `sql` gives (value, id) rows from
    /// `args` and `key` what of a value is compared (None: nothing to compare).
    fn groups_by(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
        key: impl Fn(&str) -> Option<String>,
    ) -> Result<Vec<(String, Vec<ContactId>)>> {
        let mut stmt = self.conn().prepare(sql)?;
        let mut groups: BTreeMap<String, Vec<ContactId>> = BTreeMap::new();
        let rows = stmt.query_map(args, |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
        for row in rows {
            let (value, id) = row?;
            if let Some(key) = key(&value) {
                groups.entry(key).or_default().push(id);
            }
        }
        // A contact with the same address twice is one contact, not a pair.
        Ok(groups
            .into_iter()
            .map(|(key, mut ids)| {
                ids.sort_unstable();
                ids.dedup();
                (key, ids)
            })
            .filter(|(_, ids)| ids.len() > 1)
            .collect())
    }

    /// Contacts whose names fold to the same set of words, read from the word index's own
    /// folding (its `instance` vocabulary: each word of each contact's name). With `of`, only
    /// the contacts sharing a word with it are read: a name with the same words shares them all.
    fn groups_by_folded_name(
        &self,
        of: Option<ContactId>,
    ) -> Result<Vec<(String, Vec<ContactId>)>> {
        self.conn().execute_batch(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.contact_name_words
                 USING fts5vocab(main, contacts_words, 'instance')",
        )?;
        let mut stmt = self.conn().prepare(
            "SELECT doc, term FROM temp.contact_name_words
             WHERE col = 'name' AND (?1 IS NULL OR doc IN (
                 SELECT doc FROM temp.contact_name_words WHERE col = 'name' AND term IN (
                     SELECT term FROM temp.contact_name_words WHERE col = 'name' AND doc = ?1)))
             ORDER BY doc, term",
        )?;
        let mut words: HashMap<ContactId, BTreeSet<String>> = HashMap::new();
        let rows = stmt.query_map([of], |r| {
            Ok((r.get::<_, ContactId>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, term) = row?;
            words.entry(id).or_default().insert(term);
        }
        let mut groups: BTreeMap<String, Vec<ContactId>> = BTreeMap::new();
        for (id, set) in words {
            let key = set.into_iter().collect::<Vec<_>>().join(" ");
            groups.entry(key).or_default().push(id);
        }
        Ok(groups
            .into_iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(key, mut ids)| {
                ids.sort_unstable();
                (key, ids)
            })
            .collect())
    }
}

/// What a merge moved onto the contact kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Merged {
    pub interactions: usize,
    pub follow_ups: usize,
    pub suggestions: usize,
    pub referrals: usize,
    /// Emails and phones of the other that the kept contact did not have.
    pub emails: usize,
    pub phones: usize,
    /// The fields the kept contact had empty and took from the other.
    pub fields_taken: Vec<&'static str>,
}

impl Write<'_> {
    /// Moves everything of `other` onto `keep` (interactions, follow-ups, recorded suggestions,
    /// the clients it referred, tags, note, and the fields `keep` has empty), then erases `other`;
    /// `keep` is re-scored with the write.
    pub fn merge_contacts(&mut self, keep: ContactId, other: ContactId) -> Result<Merged> {
        if keep == other {
            return Err(StoreError::invalid(format!(
                "cannot merge contact #{keep} into itself"
            )));
        }
        let tx = self.tx();
        let mut merged = Merged::default();
        let moved = |table: &str| -> Result<usize> {
            Ok(tx.execute(
                &format!("UPDATE {table} SET contact_id = ?1 WHERE contact_id = ?2"),
                params![keep, other],
            )?)
        };
        merged.interactions = moved("interactions")?;
        merged.follow_ups = moved("follow_ups")?;
        merged.suggestions = moved("suggestions")?;
        merged.referrals = tx.execute(
            "UPDATE contacts SET referred_by = ?1 WHERE referred_by = ?2 AND id <> ?1",
            params![keep, other],
        )?;
        merged.fields_taken = take_fields(tx, keep, other)?;
        // After the preferred ones (taken above when the kept contact had none), the other's
        // emails and phones the kept contact lacks move over as further ones.
        merged.emails = move_labeled(tx, "contact_emails", "lower(trim(address))", keep, other)?;
        merged.phones = move_labeled(tx, "contact_phones", "trim(number)", keep, other)?;
        // The other's external id may move to the kept contact: free it first.
        let (other_external, other_uid): (Option<String>, Option<String>) = tx.query_row(
            "SELECT external_id, vcard_uid FROM contacts WHERE id = ?1",
            [other],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let referrer: Option<ContactId> = tx.query_row(
            "SELECT referred_by FROM contacts WHERE id = ?1",
            [other],
            |r| r.get(0),
        )?;
        tx.execute("DELETE FROM contacts WHERE id = ?1", [other])?;
        if tx.execute(
            "UPDATE contacts SET external_id = ?2 WHERE id = ?1 AND external_id IS NULL AND ?2 IS NOT NULL",
            params![keep, other_external],
        )? > 0
        {
            merged.fields_taken.push("external id");
        }
        // The kept contact answers to the other's card in an address book when it had none.
        tx.execute(
            "UPDATE contacts SET vcard_uid = ?2 WHERE id = ?1 AND vcard_uid IS NULL",
            params![keep, other_uid],
        )?;
        if tx.execute(
            "UPDATE contacts SET referred_by = ?2 WHERE id = ?1 AND referred_by IS NULL AND ?2 IS NOT NULL AND ?2 <> ?1",
            params![keep, referrer],
        )? > 0
        {
            merged.fields_taken.push("referred by");
        }
        self.touch(keep);
        if let Some(referrer) = referrer {
            self.touch(referrer);
        }
        self.touched.remove(&other);
        Ok(merged)
    }
}

/// Moves `other`'s rows of `table` whose `key` the kept contact has no row for, as not preferred.
fn move_labeled(
    tx: &rusqlite::Transaction,
    table: &str,
    key: &str,
    keep: ContactId,
    other: ContactId,
) -> Result<usize> {
    // Table and key expressions come from the two fixed call sites above.
    Ok(tx.execute(
        &format!(
            "UPDATE {table} SET contact_id = ?1, preferred = 0
             WHERE contact_id = ?2 AND {key} NOT IN (SELECT {key} FROM {table} WHERE contact_id = ?1)"
        ),
        params![keep, other],
    )?)
}

/// Fills the kept contact's empty fields from the other, joins tags and notes; returns what it took.
fn take_fields(
    tx: &rusqlite::Transaction,
    keep: ContactId,
    other: ContactId,
) -> Result<Vec<&'static str>> {
    let mut taken = Vec::new();
    for (column, label) in [
        ("email", "email"),
        ("phone", "phone"),
        ("company", "company"),
        ("stay_in_touch", "stay in touch"),
        ("birthday", "birthday"),
        ("title", "title"),
        ("url", "url"),
    ] {
        let changed = tx.execute(
            &format!(
                "UPDATE contacts SET {column} = (SELECT {column} FROM contacts WHERE id = ?2)
                 WHERE id = ?1 AND trim(coalesce({column}, '')) = ''
                   AND (SELECT trim(coalesce({column}, '')) FROM contacts WHERE id = ?2) <> ''"
            ),
            params![keep, other],
        )?;
        if changed > 0 {
            taken.push(label);
        }
    }
    let (keep_tags, other_tags): (String, String) = tx.query_row(
        "SELECT k.tags, o.tags FROM contacts k, contacts o WHERE k.id = ?1 AND o.id = ?2",
        params![keep, other],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut tags = crate::domain::contact::split_tags(&keep_tags);
    for tag in crate::domain::contact::split_tags(&other_tags) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags != crate::domain::contact::split_tags(&keep_tags) {
        tx.execute(
            "UPDATE contacts SET tags = ?2 WHERE id = ?1",
            params![keep, tags.join(",")],
        )?;
        taken.push("tags");
    }
    // Both notes are kept, the other's after a blank line.
    let changed = tx.execute(
        "UPDATE contacts SET note = CASE
             WHEN trim(coalesce(note, '')) = '' THEN (SELECT note FROM contacts WHERE id = ?2)
             ELSE note || char(10) || char(10) || (SELECT note FROM contacts WHERE id = ?2) END
         WHERE id = ?1 AND (SELECT trim(coalesce(note, '')) FROM contacts WHERE id = ?2) <> ''",
        params![keep, other],
    )?;
    if changed > 0 {
        taken.push("note");
    }
    // The kept contact is as old as the older of the two.
    tx.execute(
        "UPDATE contacts SET created_at = min(created_at, (SELECT created_at FROM contacts WHERE id = ?2))
         WHERE id = ?1",
        params![keep, other],
    )?;
    Ok(taken)
}

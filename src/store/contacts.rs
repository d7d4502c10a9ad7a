//! Contacts: adding, editing, resolving what the user typed, listing, forgetting.

use chrono::NaiveDateTime;
use rusqlite::{params, OptionalExtension, Row};

use super::search::{like_escape, Search};
use super::{Result, Store, StoreError, Write};
use crate::domain::contact::split_tags;
use crate::domain::dates;
use crate::domain::{Contact, ContactFields, ContactId};

const COLUMNS: &str = "c.id, c.external_id, c.name, c.email, c.phone, c.company, c.tags, c.note, c.referred_by, c.created_at, c.archived";

pub(crate) fn contact_from_row(row: &Row) -> rusqlite::Result<Contact> {
    let created: String = row.get(9)?;
    Ok(Contact {
        id: row.get(0)?,
        external_id: row.get(1)?,
        name: row.get(2)?,
        email: row.get(3)?,
        phone: row.get(4)?,
        company: row.get(5)?,
        tags: split_tags(&row.get::<_, String>(6)?),
        note: row.get(7)?,
        referred_by: row.get(8)?,
        created_at: dates::from_storage(&created).unwrap_or_default(),
        archived: row.get(10)?,
    })
}

/// A contact with what a list shows beside it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContactRow {
    #[serde(flatten)]
    pub contact: Contact,
    pub last_touch: Option<NaiveDateTime>,
}

/// Orders for contact lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContactSort {
    #[default]
    Name,
    LastTouch,
}

fn empty_to_none(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Write<'_> {
    /// Adds a contact created at `created_at`; the name is required.
    pub fn add_contact(
        &mut self,
        fields: &ContactFields,
        created_at: NaiveDateTime,
    ) -> Result<ContactId> {
        self.insert_contact(None, fields, created_at)
    }

    /// Adds a contact, with a chosen id when one is given (imports of an export keep their ids).
    pub fn insert_contact(
        &mut self,
        id: Option<ContactId>,
        fields: &ContactFields,
        created_at: NaiveDateTime,
    ) -> Result<ContactId> {
        fields.validate().map_err(StoreError::Invalid)?;
        let name = empty_to_none(&fields.name)
            .ok_or_else(|| StoreError::invalid("name is missing; a contact needs a name"))?;
        self.check_external_id_free(fields.external_id.as_deref(), None)?;
        self.check_referrer(fields.referred_by, None)?;
        self.tx().execute(
            "INSERT INTO contacts (id, external_id, name, email, phone, company, tags, note, referred_by, created_at)
             VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                empty_to_none(&fields.external_id),
                name,
                empty_to_none(&fields.email),
                empty_to_none(&fields.phone),
                empty_to_none(&fields.company),
                fields.tags.as_deref().unwrap_or_default().join(","),
                fields.note.as_deref().filter(|n| !n.is_empty()),
                fields.referred_by,
                dates::to_storage(created_at),
                id,
            ],
        )
        .map_err(|e| match (e, id) {
            (rusqlite::Error::SqliteFailure(f, _), Some(id)) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                StoreError::invalid(format!("id '{}' is already taken by another contact", id))
            }
            (e, _) => e.into(),
        })?;
        let id = self.tx().last_insert_rowid();
        self.touch(id);
        if let Some(referrer) = fields.referred_by {
            self.touch(referrer);
        }
        Ok(id)
    }

    /// Changes the given fields of a contact; an empty text clears an optional field.
    pub fn edit_contact(&mut self, id: ContactId, fields: &ContactFields) -> Result<()> {
        fields.validate().map_err(StoreError::Invalid)?;
        self.check_external_id_free(fields.external_id.as_deref(), Some(id))?;
        self.check_referrer(fields.referred_by, Some(id))?;
        let old_referrer: Option<ContactId> = self.tx().query_row(
            "SELECT referred_by FROM contacts WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let text_columns = [
            ("name", &fields.name),
            ("external_id", &fields.external_id),
            ("email", &fields.email),
            ("phone", &fields.phone),
            ("company", &fields.company),
            ("note", &fields.note),
        ];
        for (column, value) in text_columns {
            if let Some(value) = value {
                let value = if column == "note" {
                    Some(value.as_str()).filter(|v| !v.is_empty())
                } else {
                    Some(value.trim()).filter(|v| !v.is_empty())
                };
                // Column names come from the fixed list above, never from input.
                self.tx().execute(
                    &format!("UPDATE contacts SET {column} = ?1 WHERE id = ?2"),
                    params![value, id],
                )?;
            }
        }
        if let Some(tags) = &fields.tags {
            self.tx().execute(
                "UPDATE contacts SET tags = ?1 WHERE id = ?2",
                params![tags.join(","), id],
            )?;
        }
        if let Some(referrer) = fields.referred_by {
            self.tx().execute(
                "UPDATE contacts SET referred_by = ?1 WHERE id = ?2",
                params![referrer, id],
            )?;
            self.touch(referrer);
            if let Some(old) = old_referrer {
                self.touch(old);
            }
        }
        self.touch(id);
        Ok(())
    }

    /// Erases a contact and everything recorded about them (interactions, ratings, scores).
    pub fn forget_contact(&mut self, id: ContactId) -> Result<()> {
        let referrer: Option<ContactId> = self.tx().query_row(
            "SELECT referred_by FROM contacts WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        self.tx()
            .execute("DELETE FROM contacts WHERE id = ?1", [id])?;
        if let Some(referrer) = referrer {
            self.touch(referrer);
        }
        self.touched.remove(&id);
        Ok(())
    }

    fn check_external_id_free(
        &self,
        external_id: Option<&str>,
        except: Option<ContactId>,
    ) -> Result<()> {
        let Some(external_id) = external_id.map(str::trim).filter(|e| !e.is_empty()) else {
            return Ok(());
        };
        let owner: Option<(ContactId, String)> = self
            .tx()
            .query_row(
                "SELECT id, name FROM contacts WHERE external_id = ?1 COLLATE NOCASE
                 ORDER BY external_id = ?1 DESC LIMIT 1",
                [external_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match owner {
            Some((owner, name)) if Some(owner) != except => Err(StoreError::invalid(format!(
                "external id '{}' already belongs to {}",
                external_id,
                crate::domain::text::printable(&name)
            ))),
            _ => Ok(()),
        }
    }

    fn check_referrer(&self, referrer: Option<ContactId>, own: Option<ContactId>) -> Result<()> {
        if let Some(referrer) = referrer {
            if Some(referrer) == own {
                return Err(StoreError::invalid(
                    "referred-by names the contact itself; a contact cannot refer itself",
                ));
            }
            let exists: bool = self.tx().query_row(
                "SELECT EXISTS(SELECT 1 FROM contacts WHERE id = ?1)",
                [referrer],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::invalid(format!(
                    "referred-by contact #{} does not exist",
                    referrer
                )));
            }
        }
        Ok(())
    }
}

impl Store {
    pub fn contact(&self, id: ContactId) -> Result<Contact> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM contacts c WHERE c.id = ?1"),
                [id],
                contact_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::invalid(format!("contact #{} does not exist", id)))
    }

    /// Finds the one contact the user means: exact external id, then exact name (any case),
    /// then a unique prefix, then a unique substring of the name.
    pub fn resolve_contact(&self, query: &str) -> Result<Contact> {
        let query = query.trim();
        if query.is_empty() {
            return Err(StoreError::invalid(
                "contact '' is empty; give a name or external id",
            ));
        }
        let select = |condition: &str, arg: &str| -> Result<Vec<Contact>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM contacts c WHERE {condition} ORDER BY c.name COLLATE NOCASE, c.id LIMIT 11"
            ))?;
            let rows = stmt
                .query_map([arg], contact_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        };
        // `#12`: the id Rapport shows beside names, for contacts that share a name.
        if let Some(id) = query
            .strip_prefix('#')
            .and_then(|n| n.parse::<ContactId>().ok())
        {
            return match select("c.id = ?1", &id.to_string())?.pop() {
                Some(contact) => Ok(contact),
                None => Err(StoreError::invalid(format!("no contact has the id #{id}"))),
            };
        }
        let pattern = like_escape(query);
        let attempts: [(&str, String); 5] = [
            ("c.external_id = ?1", query.to_string()),
            ("c.name = ?1 COLLATE NOCASE", query.to_string()),
            // After the exact name, so an id that folds to someone's name never hides them.
            ("c.external_id = ?1 COLLATE NOCASE", query.to_string()),
            ("c.name LIKE ?1 ESCAPE '\\'", format!("{pattern}%")),
            ("c.name LIKE ?1 ESCAPE '\\'", format!("%{pattern}%")),
        ];
        for (condition, arg) in attempts {
            let mut found = select(condition, &arg)?;
            match found.len() {
                0 => continue,
                1 => return Ok(found.remove(0)),
                _ => return Err(ambiguous(query, &found)),
            }
        }
        Err(StoreError::invalid(format!(
            "no contact matches '{}'",
            crate::domain::text::printable(query)
        )))
    }

    /// Contacts matching `search` ([`Search`]: name, company, email, tags or note; or the exact
    /// external id), with their last touch.
    pub fn list_contacts(
        &self,
        search: Option<&str>,
        sort: ContactSort,
        limit: Option<usize>,
    ) -> Result<Vec<ContactRow>> {
        let order = match sort {
            ContactSort::Name => "c.name COLLATE NOCASE, c.id",
            ContactSort::LastTouch => "c.last_touch DESC, c.id",
        };
        let search_text = Search::new(search);
        let matching = match &search_text {
            Some(s) => format!(
                "{} OR c.external_id = ?2 COLLATE NOCASE",
                s.contacts(1, true)
            ),
            None => "?1 IS NULL".to_string(),
        };
        let sql = format!(
            "SELECT {COLUMNS}, c.last_touch
             FROM contacts c
             WHERE {matching}
             ORDER BY {order} LIMIT ?3"
        );
        let pattern = search_text.map(|s| s.value());
        let limit = limit.map(|l| l as i64).unwrap_or(-1);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![pattern, search, limit], |row| {
                let last: Option<String> = row.get(11)?;
                Ok(ContactRow {
                    contact: contact_from_row(row)?,
                    last_touch: last.as_deref().and_then(dates::from_storage),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// How many contacts name `id` as their referrer.
    pub fn referrals_made(&self, id: ContactId) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM contacts WHERE referred_by = ?1",
            [id],
            |r| r.get(0),
        )?)
    }
}

fn ambiguous(query: &str, candidates: &[Contact]) -> StoreError {
    let mut names: Vec<String> = candidates
        .iter()
        .take(10)
        .map(|c| match &c.external_id {
            Some(ext) => format!(
                "{} ({})",
                crate::domain::text::printable(&c.name),
                crate::domain::text::printable(ext)
            ),
            None => format!("{} (#{})", crate::domain::text::printable(&c.name), c.id),
        })
        .collect();
    if candidates.len() > 10 {
        names.push("…".into());
    }
    StoreError::invalid(format!(
        "contact '{}' is ambiguous; it matches {}",
        crate::domain::text::printable(query),
        names.join(", ")
    ))
}

//! Mail in: a message becomes an email logged with every contact among its addresses, once per
//! contact whatever how often it is fed in (by Message-ID, schema 12).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDateTime;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{Result, Write};
use crate::domain::{ContactFields, ContactId, InteractionKind, NewInteraction};

/// One message as the store logs it (parsed by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct MailMessage {
    pub message_id: Option<String>,
    pub at: NaiveDateTime,
    pub subject: Option<String>,
    /// From, To, Cc and Bcc: address and display name.
    pub addresses: Vec<(String, Option<String>)>,
}

/// What feeding messages in did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MailReport {
    pub messages: usize,
    /// Email interactions logged (one per contact per message).
    pub logged: usize,
    /// Contact and message pairs logged before, left alone.
    pub already_logged: usize,
    /// Leads added for unknown addresses (`--add-unknown`).
    pub added: Vec<String>,
    /// Addresses no contact has, with how many messages named them.
    pub unmatched: BTreeMap<String, usize>,
}

/// One feeding-in of messages: the user's own addresses, what to do with unknown ones, and the
/// contacts of each address met so far (a mailbox names the same few hundred addresses over and
/// over: 20,000 lookups in an mbox of 10,000 messages, 6,000 distinct).
pub struct MailBatch {
    mine: BTreeSet<String>,
    add_unknown: bool,
    contacts_of: HashMap<String, Vec<ContactId>>,
    pub report: MailReport,
}

impl MailBatch {
    /// Skips the addresses in `me`; unknown ones become leads when `add_unknown`, else are counted.
    pub fn new(me: &[String], add_unknown: bool) -> MailBatch {
        MailBatch {
            mine: me.iter().map(|a| fold(a)).collect(),
            add_unknown,
            contacts_of: HashMap::new(),
            report: MailReport::default(),
        }
    }
}

impl Write<'_> {
    /// Logs `message` with every contact whose email is one of its addresses (case folded), but
    /// the batch's own addresses.
    pub fn log_mail(&mut self, batch: &mut MailBatch, message: &MailMessage) -> Result<()> {
        batch.report.messages += 1;
        let mut seen = BTreeSet::new();
        for (address, name) in &message.addresses {
            let address = fold(address);
            if address.is_empty() || batch.mine.contains(&address) || !seen.insert(address.clone())
            {
                continue;
            }
            let contacts = match batch.contacts_of.get(&address) {
                Some(contacts) => contacts.clone(),
                None => {
                    let found = self.contacts_with_email(&address)?;
                    batch.contacts_of.insert(address.clone(), found.clone());
                    found
                }
            };
            let contacts = if !contacts.is_empty() {
                contacts
            } else if batch.add_unknown {
                let lead = self.add_lead(&address, name.as_deref(), message.at)?;
                batch.contacts_of.insert(address.clone(), vec![lead]);
                batch.report.added.push(address);
                vec![lead]
            } else {
                *batch.report.unmatched.entry(address).or_default() += 1;
                continue;
            };
            for contact in contacts {
                if self.already_logged(contact, message)? {
                    batch.report.already_logged += 1;
                } else {
                    self.log_message(contact, message)?;
                    batch.report.logged += 1;
                }
            }
        }
        Ok(())
    }

    /// Logs a message Rapport sent to `contact` (a draft), with its Message-ID so a later
    /// ingest of the sent copy finds it; false when it was logged before.
    pub fn log_sent_mail(&mut self, contact: ContactId, message: &MailMessage) -> Result<bool> {
        if self.already_logged(contact, message)? {
            return Ok(false);
        }
        self.log_message(contact, message)?;
        Ok(true)
    }

    /// Every contact that has the address among its emails (schema 13), not only as preferred.
    pub(crate) fn contacts_with_email(&self, folded: &str) -> Result<Vec<ContactId>> {
        let mut stmt = self.tx().prepare_cached(
            "SELECT DISTINCT contact_id FROM contact_emails WHERE lower(trim(address)) = ?1
             ORDER BY contact_id",
        )?;
        let ids = stmt
            .query_map([folded], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<ContactId>>>()?;
        Ok(ids)
    }

    fn add_lead(
        &mut self,
        address: &str,
        name: Option<&str>,
        at: NaiveDateTime,
    ) -> Result<ContactId> {
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| address.split('@').next().unwrap_or(address));
        let fields = ContactFields {
            name: Some(name.to_string()),
            email: Some(address.to_string()),
            ..ContactFields::default()
        };
        self.add_contact(&fields, at)
    }

    /// By Message-ID; a message without one by its date and subject.
    fn already_logged(&self, contact: ContactId, message: &MailMessage) -> Result<bool> {
        let found: Option<i64> = match &message.message_id {
            Some(id) => self
                .tx()
                .prepare_cached(
                    "SELECT 1 FROM interactions WHERE contact_id = ?1 AND message_id = ?2",
                )?
                .query_row(params![contact, id], |r| r.get(0))
                .optional()?,
            None => self
                .tx()
                .prepare_cached(
                    "SELECT 1 FROM interactions WHERE contact_id = ?1 AND kind = 'email'
                     AND occurred_at = ?2 AND summary IS ?3",
                )?
                .query_row(
                    params![
                        contact,
                        crate::domain::dates::to_storage(message.at),
                        summary_of(message)
                    ],
                    |r| r.get(0),
                )
                .optional()?,
        };
        Ok(found.is_some())
    }

    fn log_message(&mut self, contact: ContactId, message: &MailMessage) -> Result<()> {
        let new = NewInteraction {
            contact_id: contact,
            kind: InteractionKind::Email,
            occurred_at: message.at,
            summary: Some(summary_of(message)),
            amount: None,
            item: None,
            ratings: Vec::new(),
        };
        self.add_mail_interaction(&new, message.message_id.as_deref())?;
        Ok(())
    }
}

fn summary_of(message: &MailMessage) -> String {
    message
        .subject
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("(no subject)")
        .to_string()
}

fn fold(address: &str) -> String {
    address.trim().to_lowercase()
}

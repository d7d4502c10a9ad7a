//! Mail in: a message becomes an email logged with every contact among its addresses, once per
//! contact whatever how often it is fed in (by Message-ID, schema 12).

use std::collections::{BTreeMap, BTreeSet};

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

impl Write<'_> {
    /// Logs `message` with every contact whose email is one of its addresses (case folded), but
    /// the addresses in `me`; unknown ones become leads when `add_unknown`, else are counted.
    pub fn log_mail(
        &mut self,
        message: &MailMessage,
        me: &[String],
        add_unknown: bool,
        report: &mut MailReport,
    ) -> Result<()> {
        report.messages += 1;
        let mine: BTreeSet<String> = me.iter().map(|a| fold(a)).collect();
        let mut seen = BTreeSet::new();
        for (address, name) in &message.addresses {
            let address = fold(address);
            if address.is_empty() || mine.contains(&address) || !seen.insert(address.clone()) {
                continue;
            }
            let mut contacts = self.contacts_with_email(&address)?;
            if contacts.is_empty() {
                if !add_unknown {
                    *report.unmatched.entry(address).or_default() += 1;
                    continue;
                }
                contacts.push(self.add_lead(&address, name.as_deref(), message.at)?);
                report.added.push(address);
            }
            for contact in contacts {
                if self.already_logged(contact, message)? {
                    report.already_logged += 1;
                } else {
                    self.log_message(contact, message)?;
                    report.logged += 1;
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
        let id = self.add_interaction(&new, "")?;
        if let Some(message_id) = &message.message_id {
            self.tx()
                .prepare_cached("UPDATE interactions SET message_id = ?2 WHERE id = ?1")?
                .execute(params![id, message_id])?;
        }
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

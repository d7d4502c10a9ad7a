//! People the freelancer works with.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::text::{check_multiline, check_one_line};

pub type ContactId = i64;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub external_id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub tags: Vec<String>,
    pub note: Option<String>,
    pub referred_by: Option<ContactId>,
    pub created_at: NaiveDateTime,
    pub archived: bool,
}

/// The fields a user sets when adding or editing a contact; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactFields {
    pub name: Option<String>,
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub tags: Option<Vec<String>>,
    pub note: Option<String>,
    pub referred_by: Option<ContactId>,
}

impl ContactFields {
    /// Checks what a user typed; the message names the field and the value.
    pub fn validate(&self) -> Result<(), String> {
        let one_line = [
            ("name", &self.name),
            ("external id", &self.external_id),
            ("email", &self.email),
            ("phone", &self.phone),
            ("company", &self.company),
        ];
        for (field, value) in one_line {
            if let Some(value) = value {
                check_one_line(field, value)?;
            }
        }
        for tag in self.tags.iter().flatten() {
            check_one_line("tag", tag)?;
        }
        if let Some(note) = &self.note {
            check_multiline("note", note)?;
        }
        if let Some(name) = &self.name {
            if name.trim().is_empty() {
                return Err(format!("name '{}' is empty; a contact needs a name", name));
            }
        }
        if let Some(email) = self.email.as_deref().filter(|e| !e.is_empty()) {
            check_email(email)?;
        }
        if let Some(tags) = &self.tags {
            if let Some(bad) = tags.iter().find(|t| t.contains(',')) {
                return Err(format!(
                    "tag '{}' contains a comma; give each tag separately",
                    bad
                ));
            }
        }
        Ok(())
    }
}

/// Refuses text that cannot be an address (`user@host`, no spaces), naming it.
pub fn check_email(email: &str) -> Result<(), String> {
    let valid = email
        .split_once('@')
        .map(|(user, host)| {
            !user.is_empty() && !host.is_empty() && !email.contains(char::is_whitespace)
        })
        .unwrap_or(false);
    if valid {
        Ok(())
    } else {
        Err(format!("email '{}' is not an email address", email))
    }
}

/// Splits a stored or imported tag list (`vip, web`) into clean tags.
pub fn split_tags(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

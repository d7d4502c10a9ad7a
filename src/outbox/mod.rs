//! Mail out, for `rapport draft` and the workspace's draft key: a template filled for one
//! contact ([`compose`]), edited as headers and body and built by lettre ([`message`]), sent
//! through a sendmail-compatible command or saved as an `.eml` ([`deliver`]), then logged as an
//! email with its Message-ID, so `mail ingest` of the sent copy does not log it again.

pub mod compose;
pub mod deliver;
pub mod message;

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::{NaiveDate, NaiveDateTime};

pub use compose::{prepare, Draft};

use crate::config::Config;
use crate::domain::text::printable;
use crate::domain::ScoreChange;
use crate::store::mail::MailMessage;
use crate::store::Store;

/// What became of an edited draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sent {
        to: String,
        subject: String,
    },
    Saved {
        path: PathBuf,
        subject: String,
    },
    /// Saved as it was opened: the user changed their mind.
    Unchanged,
    /// Emptied, or with nothing left in the body.
    Empty,
}

impl Outcome {
    /// One line for the command line and the workspace's status line.
    pub fn describe(&self, contact: &str) -> String {
        let contact = printable(contact);
        match self {
            Outcome::Sent { to, subject } => format!(
                "Sent \"{}\" to {} and logged it as an email with {contact}.",
                printable(subject),
                printable(to)
            ),
            Outcome::Saved { path, subject } => format!(
                "Saved \"{}\" to {} and logged it as an email with {contact}.",
                printable(subject),
                printable(&path.display().to_string())
            ),
            Outcome::Unchanged => {
                "The draft was not changed: nothing was sent or logged.".to_string()
            }
            Outcome::Empty => "The draft is empty: nothing was sent or logged.".to_string(),
        }
    }

    pub fn delivered(&self) -> bool {
        matches!(self, Outcome::Sent { .. } | Outcome::Saved { .. })
    }
}

/// The drafts folder: `[drafts] folder`, else `drafts` beside the database.
pub fn drafts_folder(config: &Config, db: &std::path::Path) -> PathBuf {
    match &config.drafts.folder {
        Some(folder) => deliver::expand_home(folder),
        None => db
            .parent()
            .unwrap_or_else(|| std::path::Path::new("."))
            .join("drafts"),
    }
}

/// The draft as the message that would leave, with a fresh Message-ID (`--print`).
pub fn preview(draft: &Draft, now: NaiveDateTime) -> anyhow::Result<Vec<u8>> {
    let edited = message::parse_edited(&draft.text)?;
    let id = message::new_message_id(&edited.from, now);
    Ok(message::build(&edited, &id, true)?.formatted())
}

/// Sends or saves what the editor left (unless it is unchanged or empty) and logs it with the
/// draft's contact, at `now`, scored; nothing is logged when delivery fails.
pub fn finish(
    store: &mut Store,
    config: &Config,
    today: NaiveDate,
    now: NaiveDateTime,
    draft: &Draft,
    edited: &str,
) -> anyhow::Result<(Outcome, Vec<ScoreChange>)> {
    if edited.trim().is_empty() {
        return Ok((Outcome::Empty, Vec::new()));
    }
    if edited.replace("\r\n", "\n").trim_end() == draft.text.trim_end() {
        return Ok((Outcome::Unchanged, Vec::new()));
    }
    let parsed = message::parse_edited(edited)?;
    if parsed.body.trim().is_empty() {
        return Ok((Outcome::Empty, Vec::new()));
    }
    let id = message::new_message_id(&parsed.from, now);
    let outcome = match config.drafts.sendmail.as_deref() {
        Some(command) => {
            deliver::send(command, &message::build(&parsed, &id, false)?)?;
            Outcome::Sent {
                to: parsed
                    .to
                    .iter()
                    .map(message::shown)
                    .collect::<Vec<_>>()
                    .join(", "),
                subject: parsed.subject.clone(),
            }
        }
        None => {
            let folder = drafts_folder(config, store.path());
            let stem = deliver::file_stem(&draft.contact_name, now);
            let path = deliver::save(&folder, &stem, &message::build(&parsed, &id, true)?)?;
            Outcome::Saved {
                path,
                subject: parsed.subject.clone(),
            }
        }
    };
    let logged = MailMessage {
        // Stored as mail-parser reads it back from the sent copy: without the angle brackets.
        message_id: Some(id.trim_matches(['<', '>']).to_string()),
        at: now,
        subject: Some(parsed.subject.clone()),
        addresses: Vec::new(),
    };
    let (_, changes) = store
        .write_scored(today, |w| w.log_sent_mail(draft.contact_id, &logged))
        .context("the message went out but could not be logged")?;
    Ok((outcome, changes))
}

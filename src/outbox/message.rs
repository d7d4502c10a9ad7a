//! The draft as the editor shows it — mutt's edit_headers: `From:`, `To:`, `Cc:`, `Bcc:` and
//! `Subject:` lines, a blank line, the body — and as lettre builds it for the wire.

use anyhow::{anyhow, bail};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Mailboxes};
use lettre::Message;
use rand::Rng;

use crate::config::Config;
use crate::domain::text::printable;

/// Who drafts are from: `[drafts] from`, else the first of `[mail] me`, else $EMAIL.
pub fn sender(config: &Config) -> anyhow::Result<Mailbox> {
    let (key, text) = if let Some(from) = &config.drafts.from {
        ("drafts.from", from.clone())
    } else if let Some(me) = config.mail.me.first() {
        ("mail.me", me.clone())
    } else if let Some(email) = std::env::var("EMAIL").ok().filter(|e| !e.trim().is_empty()) {
        ("$EMAIL", email)
    } else {
        bail!("drafts need a sender; set [drafts] from = \"Your Name <you@example.com>\" in the config (or $EMAIL)");
    };
    text.trim().parse().map_err(|_| {
        anyhow!(
            "{key} = \"{}\" is not an address; write it as \"Your Name <you@example.com>\"",
            printable(&text)
        )
    })
}

/// The text the editor opens.
pub fn editable(from: &Mailbox, to: &Mailbox, subject: &str, body: &str) -> String {
    format!(
        "From: {}\nTo: {}\nSubject: {subject}\n\n{}\n",
        shown(from),
        shown(to),
        body.trim_end()
    )
}

/// `Name <address>`; lettre's Display fails (and `format!` would panic) on a name holding a
/// line break, so such a name is left out rather than trusted.
pub fn shown(mailbox: &Mailbox) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    match write!(text, "{mailbox}") {
        Ok(()) => text,
        Err(_) => mailbox.email.to_string(),
    }
}

/// A draft as saved by the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    pub from: Mailbox,
    pub to: Mailboxes,
    pub cc: Mailboxes,
    pub bcc: Mailboxes,
    pub subject: String,
    pub body: String,
}

/// Reads the headers back (a line starting with a space continues the one before) and the
/// body after the first blank line; a header Rapport does not write is refused, not dropped.
pub fn parse_edited(text: &str) -> anyhow::Result<Edited> {
    let text = text.replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((text.as_str(), ""));
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
                continue;
            }
        }
        let Some((name, value)) = line.split_once(':') else {
            bail!(
                "the draft's header line '{}' is not `Name: value`; keep a blank line between the headers and the body",
                printable(line)
            );
        };
        fields.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let mut edited = Edited {
        from: "nobody@invalid".parse().expect("a valid address"),
        to: Mailboxes::new(),
        cc: Mailboxes::new(),
        bcc: Mailboxes::new(),
        subject: String::new(),
        body: body.trim_end().to_string(),
    };
    let mut has_from = false;
    for (name, value) in fields {
        match name.as_str() {
            "from" => {
                edited.from = value.parse().map_err(|_| bad_address("From", &value))?;
                has_from = true;
            }
            "to" | "cc" | "bcc" => {
                let list = if name == "to" {
                    &mut edited.to
                } else if name == "cc" {
                    &mut edited.cc
                } else {
                    &mut edited.bcc
                };
                if !value.is_empty() {
                    let parsed: Mailboxes =
                        value.parse().map_err(|_| bad_address(&name, &value))?;
                    list.extend(parsed);
                }
            }
            "subject" => edited.subject = value,
            other => bail!(
                "the draft has a '{}' header; only From, To, Cc, Bcc and Subject can be set",
                printable(other)
            ),
        }
    }
    if !has_from {
        bail!("the draft has no From header; nothing was sent");
    }
    if edited.to.iter().next().is_none() {
        bail!("the draft has no recipient in To; nothing was sent");
    }
    Ok(edited)
}

fn bad_address(header: &str, value: &str) -> anyhow::Error {
    anyhow!(
        "the draft's {header} '{}' is not a list of addresses such as \"Name <name@example.com>\"",
        printable(value)
    )
}

/// `<20261202.061500.5f3a9c1e2b@example.com>`: unique enough for one person's mail, on the
/// sender's own domain as mail clients do.
pub fn new_message_id(from: &Mailbox, now: chrono::NaiveDateTime) -> String {
    let token: u64 = rand::thread_rng().gen();
    format!(
        "<{}.{:016x}@{}>",
        now.format("%Y%m%d.%H%M%S"),
        token,
        from.email.domain()
    )
}

/// The message lettre builds: headers encoded for non-ASCII names and subjects, a plain-text
/// UTF-8 body. `keep_bcc` for a saved draft, whose Bcc the mail client sends later.
pub fn build(edited: &Edited, message_id: &str, keep_bcc: bool) -> anyhow::Result<Message> {
    let mut builder = Message::builder()
        .from(edited.from.clone())
        .subject(edited.subject.clone())
        .message_id(Some(message_id.to_string()))
        .date_now()
        .user_agent(format!("rapport {}", env!("CARGO_PKG_VERSION")));
    for mailbox in edited.to.iter() {
        builder = builder.to(mailbox.clone());
    }
    for mailbox in edited.cc.iter() {
        builder = builder.cc(mailbox.clone());
    }
    for mailbox in edited.bcc.iter() {
        builder = builder.bcc(mailbox.clone());
    }
    if keep_bcc {
        builder = builder.keep_bcc();
    }
    builder
        .header(ContentType::TEXT_PLAIN)
        .body(format!("{}\n", edited.body))
        .map_err(|e| anyhow!("the draft cannot be made into a message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editable_text_reads_back() {
        let from: Mailbox = "Me <me@example.com>".parse().unwrap();
        let to = Mailbox::new(
            Some("Zoë Ångström".into()),
            "zoe@example.se".parse().unwrap(),
        );
        let text = editable(&from, &to, "Hej, Zoë", "Hi Zoë,\n\nThanks.\n\n");
        let edited = parse_edited(&text).unwrap();
        assert_eq!(edited.from, from);
        assert_eq!(edited.to.iter().collect::<Vec<_>>(), vec![&to]);
        assert_eq!(edited.subject, "Hej, Zoë");
        assert_eq!(edited.body, "Hi Zoë,\n\nThanks.");
    }

    #[test]
    fn headers_continue_and_lists_split() {
        let edited = parse_edited(
            "From: me@example.com\nTo: a@example.com,\n  \"B, Bo\" <b@example.com>\nCc:\nSubject: s\n\nbody",
        )
        .unwrap();
        assert_eq!(edited.to.iter().count(), 2);
        assert_eq!(edited.cc.iter().count(), 0);
    }

    #[test]
    fn bad_drafts_say_why() {
        let no_to = parse_edited("From: me@example.com\nSubject: s\n\nbody").unwrap_err();
        assert!(no_to.to_string().contains("no recipient"), "{no_to}");
        let odd = parse_edited("From: me@example.com\nTo: a@b.c\nX-Spam: 1\n\nbody").unwrap_err();
        assert!(odd.to_string().contains("'x-spam' header"), "{odd}");
        let bad = parse_edited("From: me@example.com\nTo: not an address\n\nbody").unwrap_err();
        assert!(bad.to_string().contains("not a list of addresses"), "{bad}");
        let no_colon = parse_edited("From: me@example.com\nTo: a@b.c\nHello there\n\nbody");
        assert!(no_colon.is_err());
    }

    #[test]
    fn bcc_goes_to_the_envelope_and_stays_only_in_a_saved_draft() {
        let edited = parse_edited(
            "From: me@example.com\nTo: a@example.com\nBcc: hidden@example.com\nSubject: s\n\nbody",
        )
        .unwrap();
        let sent = build(&edited, "<x@example.com>", false).unwrap();
        let recipients: Vec<String> = sent.envelope().to().iter().map(|a| a.to_string()).collect();
        assert_eq!(recipients, ["a@example.com", "hidden@example.com"]);
        let wire = String::from_utf8(sent.formatted()).unwrap();
        assert!(!wire.contains("hidden@example.com"), "{wire}");
        let saved = String::from_utf8(build(&edited, "<x@example.com>", true).unwrap().formatted())
            .unwrap();
        assert!(saved.contains("Bcc: hidden@example.com"), "{saved}");
    }

    #[test]
    fn message_ids_are_on_the_senders_domain_and_differ() {
        let from: Mailbox = "Me <me@example.com>".parse().unwrap();
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(6, 15, 0)
            .unwrap();
        let a = new_message_id(&from, now);
        assert!(
            a.starts_with("<20261202.061500.") && a.ends_with("@example.com>"),
            "{a}"
        );
        assert_ne!(a, new_message_id(&from, now));
    }
}

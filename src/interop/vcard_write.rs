//! [`Card`] → vCard 4.0 text, written by calcard's writer (escaping, CRLF, folding at 75 octets).
//! The same card always gives the same bytes (no REV, no time stamps), so exporting again
//! rewrites identical files.

use calcard::common::PartialDateTime;
use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterValue, VCardProperty, VCardValue, VCardVersion,
};

use crate::domain::card::{Card, Labeled};

/// The properties Rapport writes; a card's others are not Rapport's to drop.
const OWNED: [VCardProperty; 13] = [
    VCardProperty::Begin,
    VCardProperty::End,
    VCardProperty::Version,
    VCardProperty::Uid,
    VCardProperty::Fn,
    VCardProperty::N,
    VCardProperty::Email,
    VCardProperty::Tel,
    VCardProperty::Bday,
    VCardProperty::Adr,
    VCardProperty::Org,
    VCardProperty::Title,
    VCardProperty::Url,
];

/// The card as vCard 4.0 text; `uid` is the contact's stable UID.
pub fn write_card(card: &Card, uid: &str) -> String {
    write_card_over(card, uid, None)
}

/// Like [`write_card`], over the card already in a vdir file (`previous`, its text): what khard
/// or a phone put there that Rapport does not keep (a photo, a note, a nickname) stays.
pub fn write_card_over(card: &Card, uid: &str, previous: Option<&str>) -> String {
    let kept: Vec<VCardEntry> = previous
        .and_then(|text| VCard::parse(text).ok())
        .map(|old| {
            old.entries
                .into_iter()
                .filter(|e| !OWNED.contains(&e.name))
                .collect()
        })
        .unwrap_or_default();
    let mut entries = vec![
        VCardEntry::new(VCardProperty::Uid).with_value(uid.to_string()),
        VCardEntry::new(VCardProperty::Fn).with_value(card.name.clone()),
        name_entry(&card.name),
    ];
    entries.extend(card.emails.iter().map(|e| labeled(VCardProperty::Email, e)));
    entries.extend(card.phones.iter().map(|p| labeled(VCardProperty::Tel, p)));
    if let Some(b) = card.birthday {
        let date = PartialDateTime {
            year: b.year.and_then(|y| u16::try_from(y).ok()),
            month: u8::try_from(b.month).ok(),
            day: u8::try_from(b.day).ok(),
            ..PartialDateTime::default()
        };
        entries.push(
            VCardEntry::new(VCardProperty::Bday).with_value(VCardValue::PartialDateTime(date)),
        );
    }
    if let Some(a) = &card.address {
        let part = |p: &Option<String>| VCardValue::Text(p.clone().unwrap_or_default());
        entries.push(VCardEntry::new(VCardProperty::Adr).with_values(vec![
            VCardValue::Text(String::new()),
            VCardValue::Text(String::new()),
            part(&a.street),
            part(&a.locality),
            part(&a.region),
            part(&a.postal_code),
            part(&a.country),
        ]));
    }
    for (prop, value) in [
        (VCardProperty::Org, &card.company),
        (VCardProperty::Title, &card.title),
        (VCardProperty::Url, &card.url),
    ] {
        if let Some(value) = value {
            entries.push(VCardEntry::new(prop).with_value(value.clone()));
        }
    }
    entries.extend(kept);
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = VCard { entries }.write_to(&mut out, VCardVersion::V4_0);
    out
}

/// N for readers that sort by it (khard): the last word as family name, the rest as given names.
fn name_entry(name: &str) -> VCardEntry {
    let (given, family) = match name.trim().rsplit_once(' ') {
        Some((given, family)) => (given.trim(), family),
        None => ("", name.trim()),
    };
    let text = |s: &str| VCardValue::Text(s.to_string());
    VCardEntry::new(VCardProperty::N).with_values(vec![
        text(family),
        text(given),
        text(""),
        text(""),
        text(""),
    ])
}

fn labeled(prop: VCardProperty, entry: &Labeled) -> VCardEntry {
    let mut out = VCardEntry::new(prop).with_value(entry.value.clone());
    for t in entry.label.iter().flat_map(|l| l.split(',')) {
        out.add_param(VCardParameter::typ(VCardParameterValue::Text(
            t.to_string(),
        )));
    }
    if entry.preferred {
        out.add_param(VCardParameter::pref(1u32));
    }
    out
}

/// `<uid>.vcf`, the UID kept to the characters any file system takes; a UID that had others
/// (they become `_`) also gets a hash of itself, so two such UIDs never share a file.
pub fn file_name(uid: &str) -> String {
    let bare = uid.trim_start_matches("urn:uuid:");
    let safe: String = bare
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = safe.trim_start_matches('.');
    let name = if trimmed.is_empty() { "card" } else { trimmed };
    if name == bare {
        format!("{name}.vcf")
    } else {
        format!("{name}-{:08x}.vcf", fnv1a(uid))
    }
}

/// FNV-1a, 32 bits: stable across Rust versions and machines, unlike the std hasher.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::card::{Address, Birthday};
    use crate::interop::vcard_read::read_cards;

    fn sample() -> Card {
        Card {
            uid: None,
            name: "Jürgen Müller-Lüdenscheidt, Sr.".into(),
            emails: vec![
                Labeled::new("j@work.example", Some("work"), true),
                Labeled::new("j@home.example", Some("home"), false),
            ],
            phones: vec![Labeled::new("+49 30 1234567", Some("cell,voice"), true)],
            birthday: Some(Birthday::new(None, 5, 17).unwrap()),
            address: Some(Address {
                street: Some("Hauptstraße 1; Hinterhaus".into()),
                locality: Some("Berlin".into()),
                postal_code: Some("10115".into()),
                country: Some("Germany".into()),
                ..Address::default()
            }),
            company: Some("Müller, Schulz & Co".into()),
            title: Some("Director of a very long title that needs folding to fit in a line".into()),
            url: Some("https://example.org/a;b".into()),
        }
    }

    #[test]
    fn a_written_card_reads_back_the_same() {
        let text = write_card(&sample(), "urn:uuid:1234");
        assert!(text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{text}");
        assert!(text.lines().all(|l| l.len() <= 76), "folded: {text}");
        let back = read_cards(&text).remove(0).unwrap().card;
        let mut expected = sample().normalized();
        expected.uid = Some("urn:uuid:1234".into());
        assert_eq!(back, expected, "{text}");
        assert_eq!(write_card(&back, "urn:uuid:1234"), text, "stable bytes");
    }

    #[test]
    fn what_rapport_does_not_keep_stays_in_a_vdir_card() {
        let previous = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:k1\r\nFN:Old Name\r\nNICKNAME:Jay\r\nNOTE:from khard\r\nEMAIL:old@x.org\r\nEND:VCARD\r\n";
        let text = write_card_over(&sample(), "k1", Some(previous));
        assert!(
            text.contains("NICKNAME:Jay\r\n") && text.contains("NOTE:from khard\r\n"),
            "{text}"
        );
        assert!(
            !text.contains("Old Name") && !text.contains("old@x.org"),
            "{text}"
        );
        assert_eq!(
            write_card_over(&sample(), "k1", Some(&text)),
            text,
            "stable"
        );
    }

    #[test]
    fn file_names_keep_to_safe_characters() {
        assert_eq!(file_name("urn:uuid:ab-12"), "ab-12.vcf");
        let odd = file_name("../x/y");
        assert!(odd.starts_with("_x_y-") && odd.ends_with(".vcf"), "{odd}");
        assert_ne!(file_name("a/b"), file_name("a_b"));
        assert_ne!(file_name("a/b"), file_name("a:b"));
        assert!(file_name("").starts_with("card"));
    }
}

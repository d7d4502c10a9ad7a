//! vCard 3.0 / 4.0 text → [`Card`]s, parsed by `calcard`. The text is only split here at its
//! `BEGIN:VCARD` / `END:VCARD` lines, so every card (and every problem) has a line number;
//! unfolding, QUOTED-PRINTABLE, charsets, escaping and dates are calcard's.

use calcard::common::PartialDateTime;
use calcard::vcard::{VCard, VCardEntry, VCardParameterName, VCardProperty, VCardValue};

use crate::domain::card::{Address, Birthday, Card, Labeled};

/// One card read from a file, with the line its `BEGIN:VCARD` is on.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadCard {
    pub line: usize,
    pub card: Card,
}

/// What is wrong with one card (or with the text between cards), at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardProblem {
    pub line: usize,
    pub message: String,
}

fn problem(line: usize, message: impl Into<String>) -> CardProblem {
    CardProblem {
        line,
        message: message.into(),
    }
}

/// Every card of `text`, in order; a card that cannot be read, has no name or holds a bad value
/// is a problem at its line instead.
pub fn read_cards(text: &str) -> Vec<Result<ReadCard, CardProblem>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim().trim_start_matches('\u{feff}');
        if trimmed.eq_ignore_ascii_case("BEGIN:VCARD") {
            if let Some((start, _)) = open.take() {
                out.push(Err(problem(
                    start,
                    "the card has no END:VCARD before the next BEGIN:VCARD",
                )));
            }
            open = Some((line, format!("{raw}\n")));
        } else if let Some((start, mut body)) = open.take() {
            body.push_str(raw);
            body.push('\n');
            if trimmed.eq_ignore_ascii_case("END:VCARD") {
                out.push(card_at(start, &body));
            } else {
                open = Some((start, body));
            }
        } else if !trimmed.is_empty() {
            out.push(Err(problem(
                line,
                format!(
                    "'{}' is outside any card (BEGIN:VCARD … END:VCARD)",
                    crate::domain::text::printable(short(trimmed))
                ),
            )));
        }
    }
    if let Some((start, _)) = open {
        out.push(Err(problem(start, "the card has no END:VCARD")));
    }
    out
}

fn short(text: &str) -> &str {
    match text.char_indices().nth(40) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

fn card_at(line: usize, body: &str) -> Result<ReadCard, CardProblem> {
    let vcard = VCard::parse(body).map_err(|e| {
        problem(
            line,
            format!("the card cannot be read ({})", entry_text(&e)),
        )
    })?;
    let card = to_card(&vcard).map_err(|m| problem(line, m))?;
    card.validate().map_err(|m| problem(line, m))?;
    Ok(ReadCard { line, card })
}

fn entry_text(entry: &calcard::Entry) -> String {
    match entry {
        calcard::Entry::InvalidLine(text) => format!(
            "invalid line '{}'",
            crate::domain::text::printable(short(text))
        ),
        calcard::Entry::UnterminatedComponent(_) => "it does not end".into(),
        _ => "it is not a vCard".into(),
    }
}

/// The fields Rapport keeps; the rest of a card (photos, notes, anniversaries) is left out.
pub fn to_card(vcard: &VCard) -> Result<Card, String> {
    let text = |prop: VCardProperty| -> Option<String> {
        vcard
            .property(&prop)
            .and_then(|e| joined(&e.values, " "))
            .filter(|t| !t.trim().is_empty())
    };
    let name = text(VCardProperty::Fn)
        .or_else(|| vcard.property(&VCardProperty::N).and_then(name_from_n))
        .unwrap_or_default();
    let birthday = match vcard.property(&VCardProperty::Bday) {
        Some(entry) => birthday(entry)?,
        None => None,
    };
    let company = vcard
        .property(&VCardProperty::Org)
        .and_then(|e| e.values.first())
        .and_then(value_text);
    let card = Card {
        uid: vcard
            .uid()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(String::from),
        name,
        emails: labeled(vcard, VCardProperty::Email, &["internet", "x400"]),
        phones: labeled(vcard, VCardProperty::Tel, &[]),
        birthday,
        address: vcard.property(&VCardProperty::Adr).map(address),
        company,
        title: text(VCardProperty::Title),
        url: text(VCardProperty::Url),
    };
    Ok(card.normalized())
}

fn value_text(value: &VCardValue) -> Option<String> {
    let text = match value {
        VCardValue::Component(parts) => parts.join(", "),
        other => other.as_text()?.to_string(),
    };
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

fn joined(values: &[VCardValue], separator: &str) -> Option<String> {
    let parts: Vec<String> = values.iter().filter_map(value_text).collect();
    (!parts.is_empty()).then(|| parts.join(separator))
}

/// N is family;given;additional;prefix;suffix: shown as "prefix given additional family suffix".
fn name_from_n(entry: &VCardEntry) -> Option<String> {
    let part = |i: usize| entry.values.get(i).and_then(value_text);
    let name = [part(3), part(1), part(2), part(0), part(4)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Some(name).filter(|n| !n.is_empty())
}

/// Each EMAIL or TEL with its TYPEs as label; the preferred one is the lowest PREF (vCard 4.0)
/// or the one typed `pref` (3.0).
fn labeled(vcard: &VCard, prop: VCardProperty, noise: &[&str]) -> Vec<Labeled> {
    let mut ranked: Vec<(Labeled, Option<u32>)> = Vec::new();
    for entry in vcard.properties(&prop) {
        let Some(value) = entry.values.first().and_then(value_text) else {
            continue;
        };
        // A vCard 4.0 TEL may be a `tel:` URI.
        let value = value.strip_prefix("tel:").unwrap_or(&value).to_string();
        let mut rank = entry
            .parameters(&VCardParameterName::Pref)
            .find_map(|p| p.as_integer().and_then(|i| i.iana().copied()));
        let mut types = Vec::new();
        for t in entry.parameters(&VCardParameterName::Type) {
            let Some(t) = t.as_text() else { continue };
            for t in t.split(',').map(|t| t.trim().to_lowercase()) {
                if t == "pref" {
                    rank = rank.or(Some(1));
                } else if !t.is_empty() && !noise.contains(&t.as_str()) && !types.contains(&t) {
                    types.push(t);
                }
            }
        }
        let label = (!types.is_empty()).then(|| types.join(","));
        ranked.push((Labeled::new(&value, label.as_deref(), false), rank));
    }
    let best = ranked.iter().filter_map(|(_, r)| *r).min();
    ranked
        .into_iter()
        .map(|(mut entry, rank)| {
            entry.preferred = best.is_some() && rank == best;
            entry
        })
        .collect()
}

/// ADR is box;extended;street;locality;region;code;country.
fn address(entry: &VCardEntry) -> Address {
    let part = |i: usize| entry.values.get(i).and_then(value_text);
    let street = [part(0), part(1), part(2)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    Address {
        street: Some(street).filter(|s| !s.is_empty()),
        locality: part(3),
        region: part(4),
        postal_code: part(5),
        country: part(6),
    }
}

fn birthday(entry: &VCardEntry) -> Result<Option<Birthday>, String> {
    let date: Option<&PartialDateTime> = entry.values.iter().find_map(|v| v.as_partial_date_time());
    match date {
        Some(d) => match (d.month, d.day) {
            (Some(m), Some(day)) => {
                Birthday::new(d.year.map(i32::from), u32::from(m), u32::from(day)).map(Some)
            }
            _ => Ok(None),
        },
        None => match entry.values.first().and_then(value_text) {
            // A text birthday ("in spring") says nothing a calendar can use.
            Some(text) if text.chars().any(|c| c.is_ascii_digit()) => Err(format!(
                "birthday '{}' is not a date",
                crate::domain::text::printable(&text)
            )),
            _ => Ok(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_are_numbered_by_their_begin_line() {
        let text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\n\nBEGIN:VCARD\nVERSION:3.0\nFN:Bo\nEND:VCARD\n";
        let cards: Vec<ReadCard> = read_cards(text).into_iter().map(Result::unwrap).collect();
        assert_eq!(
            cards
                .iter()
                .map(|c| (c.line, c.card.name.as_str()))
                .collect::<Vec<_>>(),
            vec![(1, "Ana"), (6, "Bo")]
        );
    }

    #[test]
    fn broken_cards_are_problems_at_their_line() {
        let text = "BEGIN:VCARD\nVERSION:3.0\nEMAIL:a@b.c\nEND:VCARD\nhello\nBEGIN:VCARD\nFN:X\n";
        let problems: Vec<CardProblem> = read_cards(text)
            .into_iter()
            .filter_map(Result::err)
            .collect();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(problems[0].line, 1);
        assert!(problems[0].message.contains("no name (FN or N)"));
        assert_eq!(problems[1].line, 5);
        assert_eq!(problems[2].message, "the card has no END:VCARD");
    }

    #[test]
    fn a_name_comes_from_n_when_fn_is_missing_and_pref_marks_the_preferred() {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Ruiz;Ana;;Dr.;\r\nEMAIL;TYPE=work:a@w.org\r\nEMAIL;PREF=1;TYPE=home:a@h.org\r\nTEL;VALUE=uri:tel:+34-600\r\nBDAY:--0517\r\nEND:VCARD\r\n";
        let card = read_cards(text).remove(0).unwrap().card;
        assert_eq!(card.name, "Dr. Ana Ruiz");
        assert_eq!(card.preferred_email(), Some("a@h.org"));
        assert_eq!(card.emails[1].label.as_deref(), Some("work"));
        assert_eq!(card.preferred_phone(), Some("+34-600"));
        assert_eq!(
            card.birthday.map(|b| b.to_storage()),
            Some("--05-17".into())
        );
    }
}

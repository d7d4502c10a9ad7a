//! What a contact shares with an address book (a vCard): the fields a card may change. The
//! rest of a contact (notes, tags, scores, history, follow-ups) belongs to Rapport alone.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::contact::check_email;

/// An email address or phone number with its optional label (`work`, `cell,voice`) and whether it
/// is the preferred one (the one `contacts.email` / `contacts.phone` hold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Labeled {
    pub value: String,
    pub label: Option<String>,
    pub preferred: bool,
}

impl Labeled {
    pub fn new(value: &str, label: Option<&str>, preferred: bool) -> Labeled {
        Labeled {
            value: value.trim().to_string(),
            label: label
                .map(|l| l.trim().to_lowercase())
                .filter(|l| !l.is_empty()),
            preferred,
        }
    }
}

/// A postal address, the parts a CRM uses (a card's post office box and extended address are
/// joined to the street).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Address {
    pub street: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        self.parts().iter().all(|p| p.is_none())
    }

    fn parts(&self) -> [&Option<String>; 5] {
        [
            &self.street,
            &self.locality,
            &self.region,
            &self.postal_code,
            &self.country,
        ]
    }

    /// `Calle Mayor 1, 28013 Madrid, Spain` for one line of a listing.
    pub fn one_line(&self) -> String {
        let town = [&self.postal_code, &self.locality, &self.region]
            .iter()
            .filter_map(|p| p.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        [self.street.clone(), Some(town), self.country.clone()]
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A birthday, with or without the year (cards often leave it out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl Birthday {
    /// Checks that the day exists (29 February only without a year or in a leap year).
    pub fn new(year: Option<i32>, month: u32, day: u32) -> Result<Birthday, String> {
        let shown = match year {
            Some(y) => format!("{y:04}-{month:02}-{day:02}"),
            None => format!("--{month:02}-{day:02}"),
        };
        let check_year = year.unwrap_or(2000);
        if NaiveDate::from_ymd_opt(check_year, month, day).is_none() {
            return Err(format!("birthday '{shown}' is not a date"));
        }
        Ok(Birthday { year, month, day })
    }

    /// `1980-05-17`, or `--05-17` without a year (the vCard 4.0 form, also what is stored).
    pub fn to_storage(&self) -> String {
        match self.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", self.month, self.day),
            None => format!("--{:02}-{:02}", self.month, self.day),
        }
    }

    pub fn from_storage(text: &str) -> Option<Birthday> {
        let (year, rest) = match text.strip_prefix("--") {
            Some(rest) => (None, rest),
            None => {
                let (y, rest) = text.split_once('-')?;
                (Some(y.parse().ok()?), rest)
            }
        };
        let (m, d) = rest.split_once('-')?;
        Birthday::new(year, m.parse().ok()?, d.parse().ok()?).ok()
    }

    /// Whether the birthday falls on `day`; 29 February is kept on 28 February in other years.
    pub fn falls_on(&self, day: NaiveDate) -> bool {
        let (month, dom) = if self.month == 2 && self.day == 29 && !is_leap(day.year()) {
            (2, 28)
        } else {
            (self.month, self.day)
        };
        day.month() == month && day.day() == dom
    }

    /// The age reached on `day`'s birthday, when the year is known.
    pub fn age_on(&self, day: NaiveDate) -> Option<i32> {
        self.year
            .map(|y| day.year() - y)
            .filter(|age| *age > 0 && *age < 150)
    }
}

fn is_leap(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

/// The card-side fields of one contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Card {
    /// The vCard UID, stable across exports.
    pub uid: Option<String>,
    pub name: String,
    pub emails: Vec<Labeled>,
    pub phones: Vec<Labeled>,
    pub birthday: Option<Birthday>,
    pub address: Option<Address>,
    /// The organisation (a card's ORG).
    pub company: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
}

impl Card {
    /// Drops blank and repeated entries and leaves exactly one preferred email and phone (the
    /// first one marked so, else the first), so two cards meaning the same compare equal.
    pub fn normalized(mut self) -> Card {
        self.name = self.name.trim().to_string();
        for list in [&mut self.emails, &mut self.phones] {
            normalize_list(list);
        }
        self.address = self.address.filter(|a| !a.is_empty());
        for field in [&mut self.company, &mut self.title, &mut self.url] {
            *field = field
                .take()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
        }
        self
    }

    /// Checks what a card says: a name, and emails that are addresses.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("the card has no name (FN or N); a contact needs a name".into());
        }
        self.emails
            .iter()
            .try_for_each(|email| check_email(&email.value))
    }

    /// Whether the two say the same (the UID aside, and the order of the entries after the
    /// preferred one: the database lists those in the order they were added).
    pub fn same_as(&self, other: &Card) -> bool {
        let key = |card: &Card| {
            let mut card = Card {
                uid: None,
                ..card.clone()
            }
            .normalized();
            for list in [&mut card.emails, &mut card.phones] {
                list.sort_by(|a, b| (!a.preferred, &a.value).cmp(&(!b.preferred, &b.value)));
            }
            card
        };
        key(self) == key(other)
    }

    pub fn preferred_email(&self) -> Option<&str> {
        preferred(&self.emails)
    }

    pub fn preferred_phone(&self) -> Option<&str> {
        preferred(&self.phones)
    }

    /// This card's fields added to what `existing` (the same person, found by email) has: emails
    /// and phones it lacks are added, fields it has empty are filled, nothing it has is replaced —
    /// a card from another address book is not the truth about a Rapport contact.
    pub fn filled_into(&self, existing: &Card) -> Card {
        let mut out = existing.clone();
        for (mine, theirs) in [
            (&mut out.emails, &self.emails),
            (&mut out.phones, &self.phones),
        ] {
            for entry in theirs {
                if !mine.iter().any(|m| same_value(&m.value, &entry.value)) {
                    mine.push(Labeled {
                        preferred: false,
                        ..entry.clone()
                    });
                }
            }
        }
        let fill = |mine: &mut Option<String>, theirs: &Option<String>| {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        };
        fill(&mut out.company, &self.company);
        fill(&mut out.title, &self.title);
        fill(&mut out.url, &self.url);
        if out.birthday.is_none() {
            out.birthday = self.birthday;
        }
        if out.address.is_none() {
            out.address.clone_from(&self.address);
        }
        out.normalized()
    }
}

impl Card {
    /// The card's fields as (label, text) lines for `show` and the detail pane, in reading
    /// order: the preferred email and phone first, the others after them.
    pub fn detail_lines(&self) -> Vec<(&'static str, String)> {
        let mut lines = Vec::new();
        let mut push = |label: &'static str, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                lines.push((label, value));
            }
        };
        push("Company", self.company.clone());
        push("Title", self.title.clone());
        for (one, other, list) in [
            ("Email", "Other email", &self.emails),
            ("Phone", "Other phone", &self.phones),
        ] {
            for (i, entry) in list.iter().enumerate() {
                let text = match &entry.label {
                    Some(label) => format!("{} ({label})", entry.value),
                    None => entry.value.clone(),
                };
                push(if i == 0 { one } else { other }, Some(text));
            }
        }
        push("Birthday", self.birthday.map(|b| b.display()));
        push("Address", self.address.as_ref().map(Address::one_line));
        push("URL", self.url.clone());
        lines
    }
}

impl Birthday {
    /// `17 May 1980`, or `17 May` without the year.
    pub fn display(&self) -> String {
        let month = NaiveDate::from_ymd_opt(2000, self.month, 1)
            .map(|d| d.format("%B").to_string())
            .unwrap_or_default();
        match self.year {
            Some(y) => format!("{} {month} {y}", self.day),
            None => format!("{} {month}", self.day),
        }
    }
}

/// Digits of a phone number compared: the subscriber part, without country or trunk prefixes.
const PHONE_DIGITS: usize = 9;
/// Fewer digits than this are no evidence (extensions, typos).
const MIN_PHONE_DIGITS: usize = 6;

/// What of a phone number tells two apart: its last nine digits (so `+49 30 1234567` and
/// `030 1234567` are one number), or all of them when shorter, six at least.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= MIN_PHONE_DIGITS)
        .then(|| digits[digits.len().saturating_sub(PHONE_DIGITS)..].to_string())
}

fn preferred(list: &[Labeled]) -> Option<&str> {
    list.iter()
        .find(|e| e.preferred)
        .or(list.first())
        .map(|e| e.value.as_str())
}

/// Emails compare in any case; phone numbers by their digits and `+`.
fn same_value(a: &str, b: &str) -> bool {
    let key = |v: &str| -> String {
        v.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '(' | ')' | '.' | '/'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    key(a) == key(b)
}

fn normalize_list(list: &mut Vec<Labeled>) {
    let mut kept: Vec<Labeled> = Vec::with_capacity(list.len());
    for mut entry in list.drain(..) {
        entry.value = entry.value.trim().to_string();
        if entry.value.is_empty() {
            continue;
        }
        match kept.iter_mut().find(|k| same_value(&k.value, &entry.value)) {
            Some(k) => k.preferred |= entry.preferred,
            None => kept.push(entry),
        }
    }
    // The preferred one first, as the database lists them, the others in their order.
    let first = kept.iter().position(|e| e.preferred).unwrap_or(0);
    for (i, entry) in kept.iter_mut().enumerate() {
        entry.preferred = i == first;
    }
    if first > 0 {
        let preferred = kept.remove(first);
        kept.insert(0, preferred);
    }
    *list = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(v: &str, pref: bool) -> Labeled {
        Labeled::new(v, None, pref)
    }

    #[test]
    fn one_preferred_entry_is_left_and_repeats_go() {
        let card = Card {
            name: " Ana ".into(),
            emails: vec![
                email("a@x.org", false),
                email("b@x.org", true),
                email("B@X.org", true),
            ],
            phones: vec![Labeled::new("+34 600 1", Some("CELL"), false)],
            ..Card::default()
        }
        .normalized();
        assert_eq!(card.name, "Ana");
        assert_eq!(card.emails.len(), 2);
        assert_eq!(card.preferred_email(), Some("b@x.org"));
        assert_eq!(card.emails[1].value, "a@x.org", "the preferred one first");
        assert_eq!(card.preferred_phone(), Some("+34 600 1"));
        assert_eq!(card.phones[0].label.as_deref(), Some("cell"));
    }

    #[test]
    fn a_card_found_by_email_adds_and_fills_but_replaces_nothing() {
        let existing = Card {
            name: "Ana Ruiz".into(),
            emails: vec![email("ana@x.org", true)],
            company: Some("Ruiz".into()),
            ..Card::default()
        };
        let phone = Card {
            name: "Ana".into(),
            emails: vec![email("ANA@x.org", true), email("ana@home.org", false)],
            phones: vec![email("+1 555", true)],
            company: Some("Other".into()),
            title: Some("CEO".into()),
            ..Card::default()
        };
        let merged = phone.filled_into(&existing);
        assert_eq!(merged.name, "Ana Ruiz");
        assert_eq!(merged.company.as_deref(), Some("Ruiz"));
        assert_eq!(merged.title.as_deref(), Some("CEO"));
        assert_eq!(merged.preferred_email(), Some("ana@x.org"));
        assert_eq!(merged.emails.len(), 2);
        assert_eq!(merged.preferred_phone(), Some("+1 555"));
    }

    #[test]
    fn birthdays_round_trip_and_fall_on_their_day() {
        let b = Birthday::from_storage("1980-02-29").unwrap();
        assert_eq!(b.to_storage(), "1980-02-29");
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(b.falls_on(d("2027-02-28")) && !b.falls_on(d("2028-02-28")));
        assert!(b.falls_on(d("2028-02-29")));
        assert_eq!(b.age_on(d("2026-02-28")), Some(46));
        let no_year = Birthday::from_storage("--12-24").unwrap();
        assert_eq!(
            (no_year.year, no_year.to_storage()),
            (None, "--12-24".into())
        );
        assert_eq!(no_year.age_on(d("2026-12-24")), None);
        assert_eq!(
            Birthday::new(Some(1981), 2, 29).unwrap_err(),
            "birthday '1981-02-29' is not a date"
        );
    }

    #[test]
    fn a_card_needs_a_name_and_real_addresses() {
        let mut card = Card::default();
        assert!(card.validate().unwrap_err().contains("no name (FN or N)"));
        card.name = "Bo".into();
        card.emails.push(email("not-an-address", true));
        assert_eq!(
            card.validate().unwrap_err(),
            "email 'not-an-address' is not an email address"
        );
    }
}

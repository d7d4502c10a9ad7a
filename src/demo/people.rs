//! Names, companies, emails, phones, tags and notes of demo contacts.

use rand::Rng;

use super::catalog::{Group, Persona};
use super::names::{is_cjk, JAPANESE, LOCALES};
use super::rng::{pick, stream, weighted, DemoRng, Stream};

pub struct Person {
    /// As shown in the CRM.
    pub name: String,
    /// How the freelancer addresses them ("Coffee with Ana").
    pub first: String,
    ascii_first: String,
    ascii_last: String,
    locale: usize,
}

/// Splits `"王|Wang"` into the native and Latin forms; plain names are both.
fn forms(entry: &'static str) -> (&'static str, String) {
    match entry.split_once('|') {
        Some((native, latin)) => (native, latin.to_string()),
        None => (entry, fold_ascii(entry)),
    }
}

/// Lower-case ASCII letters only, for email addresses and domains.
pub fn fold_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match ch {
            'a'..='z' | '0'..='9' => {
                out.push(ch);
                continue;
            }
            'á' | 'à' | 'â' | 'ä' | 'å' | 'ã' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
            'ú' | 'ù' | 'û' | 'ü' => "u",
            'ñ' => "n",
            'ç' | 'ć' => "c",
            'ß' => "ss",
            'æ' => "ae",
            'ł' => "l",
            'ś' => "s",
            'ź' | 'ż' => "z",
            _ => "",
        };
        out.push_str(mapped);
    }
    out
}

/// Draws a person; the first draws of a contact's identity stream, so a referral note can name
/// the referrer by replaying only this.
pub fn person(rng: &mut DemoRng) -> Person {
    let weights: Vec<f64> = LOCALES.iter().map(|l| l.weight).collect();
    let locale = weighted(rng, &weights);
    let (first, ascii_first) = forms(pick(rng, LOCALES[locale].first));
    let (last, ascii_last) = forms(pick(rng, LOCALES[locale].last));
    let romanised = rng.gen_bool(0.35);
    let (name, first) = if !is_cjk(locale) {
        (format!("{first} {last}"), first.to_string())
    } else if romanised {
        let first = capitalise(&ascii_first);
        (format!("{} {}", first, capitalise(&ascii_last)), first)
    } else if locale == JAPANESE {
        (format!("{last} {first}"), format!("{last}さん"))
    } else {
        (format!("{last}{first}"), format!("{last}{first}"))
    };
    Person {
        name,
        first,
        ascii_first: fold_ascii(&ascii_first),
        ascii_last: fold_ascii(&ascii_last),
        locale,
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The display name of the contact with this seed.
pub fn name_of(contact_seed: u64) -> String {
    person(&mut stream(contact_seed, Stream::Identity)).name
}

pub struct Identity {
    pub person: Person,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub tags: Vec<String>,
    pub note: Option<String>,
}

const INDUSTRIES: [(&str, &[&str]); 8] = [
    ("restaurant", &["Bistro", "Café", "Kitchen", "Bakery"]),
    ("legal", &["Legal", "Law Office", "Notaries"]),
    ("health", &["Dental", "Physio", "Clinic", "Yoga Studio"]),
    ("retail", &["Boutique", "Books", "Home Store", "Bike Shop"]),
    ("startup", &["Labs", "Technologies", "Apps", "Analytics"]),
    ("architecture", &["Architects", "Interiors", "Builders"]),
    ("nonprofit", &["Foundation", "Trust", "Collective"]),
    ("agency", &["Agency", "Media", "Events", "Travel"]),
];
/// The start-ups' place in [`INDUSTRIES`]: a key account is one of them.
const STARTUP: usize = 4;
const ADJECTIVES: [&str; 12] = [
    "Blue", "Northern", "Bright", "Little", "Golden", "Green", "Quiet", "Urban", "Silver", "Wild",
    "Red", "Open",
];
const NOUNS: [&str; 12] = [
    "Harbor", "Oak", "Fox", "Lantern", "Pine", "River", "Summit", "Maple", "Anchor", "Sparrow",
    "Pebble", "Compass",
];
const NOTES: [&str; 10] = [
    "Prefers calls in the morning",
    "Prefers email over calls",
    "Invoices go to the accounts department",
    "Decision maker is the co-founder",
    "Works part-time, answers on Fridays",
    "Very detail-oriented about typography",
    "Pays on time",
    "Wants monthly progress summaries",
    "Budget approved quarterly",
    "Met at a local business meetup",
];

fn fill_digits(pattern: &str, rng: &mut DemoRng) -> String {
    pattern
        .chars()
        .map(|c| {
            if c == '#' {
                char::from(b'0' + rng.gen_range(0..10u8))
            } else {
                c
            }
        })
        .collect()
}

/// Everything about a contact that is not behaviour. A key account is a start-up's.
pub fn identity(
    contact_seed: u64,
    persona: Persona,
    sector: Group,
    referred: bool,
    key_account: bool,
) -> Identity {
    let mut rng = stream(contact_seed, Stream::Identity);
    let person = person(&mut rng);
    let locale = &LOCALES[person.locale];
    let company_chance = match persona {
        _ if key_account => 1.0,
        Persona::Retainer | Persona::BigProject => 0.9,
        Persona::Regular => 0.7,
        Persona::OneTime => 0.45,
        Persona::Lead => 0.5,
    };
    let (industry, kinds) = if key_account {
        INDUSTRIES[STARTUP]
    } else {
        pick(&mut rng, &INDUSTRIES)
    };
    let company = rng.gen_bool(company_chance).then(|| {
        let kind = pick(&mut rng, kinds);
        if rng.gen_bool(0.4) && !is_cjk(person.locale) {
            let last = person.name.rsplit(' ').next().unwrap_or(&person.name);
            format!("{last} {kind}")
        } else {
            format!(
                "{} {} {kind}",
                pick(&mut rng, &ADJECTIVES),
                pick(&mut rng, &NOUNS)
            )
        }
    });
    let (f, l) = (&person.ascii_first, &person.ascii_last);
    let email = rng.gen_bool(0.93).then(|| match &company {
        Some(company) if rng.gen_bool(0.7) => {
            let domain = fold_ascii(company);
            let local = if rng.gen_bool(0.5) {
                f.clone()
            } else {
                format!("{f}.{l}")
            };
            format!("{local}@{domain}.{}", locale.tld)
        }
        _ => {
            let host = if rng.gen_bool(0.6) {
                locale.host
            } else {
                "outlook.com"
            };
            match rng.gen_range(0..3) {
                0 => format!("{f}.{l}@{host}"),
                1 => format!("{}{l}@{host}", &f[..f.len().min(1)]),
                _ => format!("{f}.{l}{}@{host}", rng.gen_range(1..99)),
            }
        }
    });
    let phone = rng
        .gen_bool(if persona == Persona::Lead { 0.5 } else { 0.85 })
        .then(|| fill_digits(locale.phone, &mut rng));
    let mut tags = Vec::new();
    if persona.buys() || rng.gen_bool(0.5) {
        tags.push(sector.tag().to_string());
    }
    if company.is_some() && rng.gen_bool(0.6) {
        tags.push(industry.to_string());
    }
    match persona {
        Persona::Retainer => tags.push("retainer".into()),
        _ if key_account => tags.push("key-account".into()),
        Persona::BigProject if rng.gen_bool(0.5) => tags.push("key-account".into()),
        Persona::Lead => tags.push("prospect".into()),
        _ => {}
    }
    if referred {
        tags.push("referral".into());
    }
    if rng.gen_bool(0.25) {
        tags.push(if rng.gen_bool(0.6) { "local" } else { "remote" }.into());
    }
    let note = rng
        .gen_bool(0.3)
        .then(|| pick(&mut rng, &NOTES).to_string());
    Identity {
        person,
        email,
        phone,
        company,
        tags,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ContactFields;

    #[test]
    fn folding_keeps_only_ascii_letters() {
        assert_eq!(fold_ascii("Íñigo"), "inigo");
        assert_eq!(fold_ascii("O'Brien"), "obrien");
        assert_eq!(fold_ascii("Weiß Łukasz"), "weisslukasz");
        assert_eq!(fold_ascii("Blue Harbor Café"), "blueharborcafe");
    }

    #[test]
    fn identities_are_valid_contact_fields() {
        let mut cjk = 0;
        for seed in 0..2_000u64 {
            let id = identity(seed, Persona::Regular, Group::Web, seed % 3 == 0, false);
            assert_eq!(id.person.name, name_of(seed));
            let fields = ContactFields {
                name: Some(id.person.name.clone()),
                email: id.email.clone(),
                tags: Some(id.tags.clone()),
                ..ContactFields::default()
            };
            assert_eq!(fields.validate(), Ok(()), "{}", id.person.name);
            if let Some(email) = &id.email {
                assert!(email.is_ascii() && !email.contains("@."), "{email}");
            }
            cjk += usize::from(
                !id.person.name.is_ascii() && id.person.name.chars().any(|c| c > '\u{3000}'),
            );
        }
        assert!(cjk > 50 && cjk < 600, "{cjk} CJK names");
    }

    #[test]
    fn a_key_account_is_a_start_up() {
        assert_eq!(INDUSTRIES[STARTUP].0, "startup");
        for seed in 0..50u64 {
            let id = identity(seed, Persona::Regular, Group::Dev, false, true);
            assert!(id.company.is_some() && id.tags.contains(&"key-account".to_string()));
        }
    }
}

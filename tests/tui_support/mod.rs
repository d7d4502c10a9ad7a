//! A small fixed business for the TUI tests, written through the store with a fixed "today".
#![allow(dead_code)]

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use rapport::config::Config;
use rapport::domain::{
    ContactFields, FollowUpSource, InteractionKind, NewFollowUp, NewInteraction, Rating,
};
use rapport::store::Store;
use rapport::tui::keymap::Keymap;
use rapport::tui::session::Session;
use rapport::tui::state::App;
use rapport::tui::theme::Theme;
use rapport::tui::Tab;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn at(date: &str) -> NaiveDateTime {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

struct Person {
    name: &'static str,
    company: Option<&'static str>,
    email: Option<&'static str>,
    tags: &'static [&'static str],
    created: &'static str,
    /// (date, amount in major units, item)
    purchases: &'static [(&'static str, i64, &'static str)],
    touches: &'static [(&'static str, InteractionKind, &'static str)],
    feedback: &'static [(&'static str, [u8; 3])],
}

const PEOPLE: &[Person] = &[
    Person {
        name: "Ana Ruiz",
        company: Some("Ruiz Design"),
        email: Some("ana@ruiz.design"),
        tags: &["vip", "web"],
        created: "2025-01-10",
        purchases: &[
            ("2025-02-01", 1200, "Website"),
            ("2025-05-02", 800, "Maintenance"),
            ("2025-08-01", 900, "Maintenance"),
            ("2025-11-03", 950, "Maintenance"),
            ("2026-02-02", 1000, "Maintenance"),
            ("2026-05-04", 900, "Maintenance"),
            ("2026-08-03", 1100, "Maintenance"),
            ("2026-11-02", 1000, "Maintenance"),
        ],
        touches: &[("2026-11-10", InteractionKind::Call, "renewal next month")],
        feedback: &[("2026-09-20", [5, 4, 5])],
    },
    Person {
        name: "Bo Chen",
        company: Some("Chen & Co"),
        email: Some("bo@chen.co"),
        tags: &["design"],
        created: "2025-06-01",
        purchases: &[
            ("2025-07-01", 3000, "Branding"),
            ("2025-09-01", 400, "Logo design"),
            ("2025-11-01", 450, "Logo design"),
            ("2026-06-01", 500, "Website"),
        ],
        touches: &[("2026-03-01", InteractionKind::Email, "sent a proposal")],
        feedback: &[("2025-12-01", [3, 2, 3])],
    },
    Person {
        name: "李小龙",
        company: Some("龍 Studio"),
        email: None,
        tags: &[],
        created: "2026-09-01",
        purchases: &[("2026-10-30", 500, "Website")],
        touches: &[("2026-11-20", InteractionKind::Meeting, "kick-off 🌟")],
        feedback: &[],
    },
    Person {
        name: "Eve\u{1b}[2J Mallory",
        company: Some("Evil\u{7} Corp"),
        email: Some("eve@evil.example"),
        tags: &["prospect"],
        created: "2026-10-01",
        purchases: &[],
        touches: &[(
            "2026-10-02",
            InteractionKind::Note,
            "asked for \u{1b}]0;pwned\u{7} a quote",
        )],
        feedback: &[],
    },
    Person {
        name: "Zoë Park",
        company: None,
        email: Some("zoe@park.example"),
        tags: &[],
        created: "2024-03-01",
        purchases: &[
            ("2024-04-01", 2000, "Website"),
            ("2024-07-01", 700, "Maintenance"),
            ("2024-10-01", 600, "Maintenance"),
        ],
        touches: &[],
        feedback: &[],
    },
    Person {
        name: "Omar Haddad",
        company: Some("Haddad Legal"),
        email: Some("omar@haddad.law"),
        tags: &["legal"],
        created: "2025-10-01",
        purchases: &[
            ("2025-10-15", 1500, "Website"),
            ("2026-04-15", 600, "SEO audit"),
        ],
        touches: &[(
            "2026-06-01",
            InteractionKind::Call,
            "no budget until next year",
        )],
        feedback: &[],
    },
];

/// Writes the fixed business into a fresh database at `path` and fits the models.
pub fn build(path: &Path) -> Store {
    let config = Config::default();
    let mut store = Store::open_with(path, config.clone()).unwrap();
    let dims = config
        .dimension_names()
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    for p in PEOPLE {
        // Input refuses control characters; a name from an older database still has them, so
        // it is stored plain here and given them back below, behind the store's back.
        let fields = ContactFields {
            name: Some(p.name.replace(char::is_control, "")),
            company: p.company.map(|c| c.replace(char::is_control, "")),
            email: p.email.map(Into::into),
            tags: Some(p.tags.iter().map(|t| t.to_string()).collect()),
            ..ContactFields::default()
        };
        store
            .write(today(), |w| {
                let id = w.add_contact(&fields, at(p.created))?;
                let mut log = |kind,
                               date: &str,
                               summary: Option<&str>,
                               amount: Option<i64>,
                               item: Option<&str>,
                               ratings: Vec<Rating>| {
                    let new = NewInteraction {
                        contact_id: id,
                        kind,
                        occurred_at: at(date),
                        summary: summary.map(|s| s.replace(char::is_control, "")),
                        amount,
                        item: item.map(Into::into),
                        ratings,
                    };
                    w.add_interaction(&new, &config.currency).map(|_| ())
                };
                for (date, amount, item) in p.purchases {
                    log(
                        InteractionKind::Purchase,
                        date,
                        None,
                        Some(amount * 100),
                        Some(item),
                        Vec::new(),
                    )?;
                }
                for (date, kind, summary) in p.touches {
                    log(*kind, date, Some(summary), None, None, Vec::new())?;
                }
                for (date, stars) in p.feedback {
                    let ratings = dims
                        .iter()
                        .zip(stars)
                        .map(|(d, s)| Rating {
                            dimension: d.clone(),
                            stars: *s,
                        })
                        .collect();
                    log(InteractionKind::Feedback, date, None, None, None, ratings)?;
                }
                Ok(())
            })
            .unwrap();
    }
    let raw = rusqlite::Connection::open(path).unwrap();
    for p in PEOPLE.iter().filter(|p| p.name.contains(char::is_control)) {
        raw.execute(
            "UPDATE contacts SET name = ?1, company = ?3 WHERE name = ?2",
            [
                p.name,
                &p.name.replace(char::is_control, ""),
                p.company.unwrap_or(""),
            ],
        )
        .unwrap();
        for (_, _, summary) in p.touches.iter().filter(|t| t.2.contains(char::is_control)) {
            raw.execute(
                "UPDATE interactions SET summary = ?1 WHERE summary = ?2",
                [*summary, &summary.replace(char::is_control, "")],
            )
            .unwrap();
        }
    }
    drop(raw);
    store.refit(today()).unwrap();
    plan_follow_ups(&mut store);
    store
}

/// What the freelancer planned: a promise three days late, a monthly check-in at 14:00 today, a
/// call next week with a client at risk, and a two-monthly cadence with a client not heard of since 2024.
fn plan_follow_ups(store: &mut Store) {
    let id_of = |store: &Store, name: &str| store.resolve_contact(name).unwrap().id;
    let due = |text: &str| rapport::domain::due::parse_due(text, today()).unwrap();
    let plans = [
        ("Ana Ruiz", "send the renewal quote", "2026-11-20", None),
        ("李小龙", "monthly check-in", "today 14:00", Some("1m")),
        (
            "Omar Haddad",
            "ask about next year's budget",
            "2026-12-01",
            None,
        ),
    ];
    let news: Vec<NewFollowUp> = plans
        .iter()
        .map(|(name, text, when, every)| NewFollowUp {
            contact_id: id_of(store, name),
            text: text.to_string(),
            due: due(when),
            every: every.map(|e| rapport::domain::due::parse_every(e).unwrap()),
            source: FollowUpSource::Manual,
            created_at: at("2026-11-16"),
        })
        .collect();
    let zoe = id_of(store, "Zoë Park");
    store
        .write(today(), |w| {
            for new in &news {
                w.add_follow_up(new)?;
            }
            w.set_stay_in_touch(
                zoe,
                rapport::domain::cadence::OwnCadence::Every(
                    rapport::domain::due::parse_every("2m").unwrap(),
                ),
            )
        })
        .unwrap();
}

/// A session on the fixed business, opened on `tab` at `size`, everything visible loaded.
pub fn session(path: &Path, tab: Tab, size: (u16, u16)) -> Session {
    let store = build(path);
    session_on(store, tab, size)
}

pub fn session_on(store: Store, tab: Tab, size: (u16, u16)) -> Session {
    let app = App::new(
        Config::default(),
        Keymap::default(),
        Theme { color: true },
        today(),
        tab,
        size,
    );
    let mut session = Session::new(store, app);
    // The idle extras (similar clients) too, as a user who pauses would see them.
    session.wait_for_jobs(std::time::Duration::from_secs(30));
    session
}

/// The status line's text (empty when there is none).
pub fn status(session: &Session) -> String {
    session
        .app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The frame as text.
pub fn draw(session: &Session) -> Terminal<TestBackend> {
    let (w, h) = session.app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| rapport::tui::render::draw(f, &session.app))
        .unwrap();
    terminal
}

pub fn screen_text(session: &Session) -> String {
    draw(session).backend().to_string()
}

//! Trust: the parsers that take user text — amounts, dates and CSV imports — never panic, refuse
//! with a sentence, and what they accept is exactly what the user wrote and survives storage.
//!
//! Property tests (proptest, at most 256 cases each; seeded from the test name, so a failure
//! reproduces), fast enough for the default `cargo test`.

mod common;

use std::cell::RefCell;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use rapport::domain::dates::{from_storage, parse_date, parse_when, to_storage};
use rapport::domain::money::{format_amount, minor_to_decimal, parse_amount, MAX_AMOUNT};
use rapport::store::import::{ImportKind, ImportSettings};
use rapport::store::Store;

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// The exact value of an accepted amount text, in minor units, computed independently of the
/// parser: digits without '+' and thousands commas, the fraction padded to two places.
fn decimal_value(text: &str) -> Option<u128> {
    let text = text.trim();
    let text = text.strip_prefix('+').unwrap_or(text).replace(',', "");
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac: u128 = format!("{frac:0<2}").parse().ok()?;
    Some(whole * 100 + frac)
}

/// Text made of what amounts are made of, so that many cases are accepted and many nearly so.
fn amount_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            8 => "[0-9]",
            2 => Just(",".to_string()),
            2 => Just(".".to_string()),
            1 => Just("+".to_string()),
            1 => Just("-".to_string()),
            1 => Just(" ".to_string()),
            1 => Just("e".to_string()),
            1 => Just("٣".to_string()),
        ],
        0..20,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn every_amount_round_trips_through_its_display(minor in 0..=MAX_AMOUNT) {
        prop_assert_eq!(parse_amount(&format_amount(minor, false)), Ok(minor));
        prop_assert_eq!(parse_amount(&format_amount(minor, true)), Ok(minor));
        prop_assert_eq!(parse_amount(&minor_to_decimal(minor)), Ok(minor));
    }

    #[test]
    fn small_amounts_round_trip_too(minor in 0i64..1_000_000) {
        prop_assert_eq!(parse_amount(&format_amount(minor, false)), Ok(minor));
    }

    #[test]
    fn an_accepted_amount_is_exactly_what_was_typed(text in amount_like()) {
        match parse_amount(&text) {
            Ok(minor) => {
                prop_assert!((0..=MAX_AMOUNT).contains(&minor));
                prop_assert_eq!(decimal_value(&text), Some(minor as u128), "{:?}", text);
                prop_assert_eq!(parse_amount(&format_amount(minor, false)), Ok(minor));
            }
            Err(message) => {
                prop_assert!(message.starts_with("amount '"), "{}", message);
                prop_assert!(message.contains(&text), "the message names the input: {}", message);
            }
        }
    }

    #[test]
    fn any_text_as_an_amount_is_a_value_or_a_sentence(text in "\\PC{0,30}") {
        if let Ok(minor) = parse_amount(&text) {
            prop_assert_eq!(decimal_value(&text), Some(minor as u128));
        }
    }

    #[test]
    fn every_calendar_date_parses_to_itself_at_noon(days in 0i64..(366 * 400)) {
        let date = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap() + Duration::days(days);
        let at = parse_when(&date.format("%Y-%m-%d").to_string(), today()).unwrap();
        prop_assert_eq!(at, date.and_hms_opt(12, 0, 0).unwrap());
        prop_assert_eq!(from_storage(&to_storage(at)), Some(at));
    }

    #[test]
    fn date_and_time_forms_keep_the_minute(
        days in 0i64..(366 * 200),
        minute in 0u32..(24 * 60),
        form in 0usize..4,
    ) {
        let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
        let at = date.and_hms_opt(minute / 60, minute % 60, 0).unwrap();
        let text = at
            .format(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"][form])
            .to_string();
        prop_assert_eq!(parse_when(&text, today()), Ok(at));
    }

    #[test]
    fn relative_days_and_weeks_count_back_from_today(n in 0i64..(365 * 200 / 7)) {
        prop_assert_eq!(parse_date(&format!("{n}d"), today()), Ok(today() - Duration::days(n)));
        prop_assert_eq!(parse_date(&format!("{n}w"), today()), Ok(today() - Duration::days(7 * n)));
    }

    /// Whatever is accepted is storable as it was read: fixed-width ISO text that sorts by time
    /// and reads back to the same instant.
    #[test]
    fn an_accepted_date_survives_storage(text in date_like(), today_days in -800_000i64..800_000) {
        let today = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Duration::days(today_days);
        if let Ok(at) = parse_when(&text, today) {
            let stored = to_storage(at);
            prop_assert_eq!(stored.len(), 19, "{:?} stored as {:?}", text, stored);
            prop_assert_eq!(from_storage(&stored), Some(at), "{:?}", text);
        }
    }

    #[test]
    fn any_text_as_a_date_is_a_date_or_a_sentence(text in "\\PC{0,30}") {
        match parse_when(&text, today()) {
            Ok(at) => prop_assert_eq!(from_storage(&to_storage(at)), Some(at)),
            Err(message) => prop_assert!(message.contains("is not a valid date"), "{}", message),
        }
    }
}

/// Text made of what dates are made of, edges included (far years, signs, offsets, fractions).
fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        // Well-formed but extreme: years beyond four digits or before year 1, leap days.
        (-300_000i64..300_000, 1u32..13, 1u32..32)
            .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (-300_000i64..300_000).prop_map(|y| format!("+{y:05}-02-29")),
        // Times with fractions, leap seconds and offsets.
        (0u32..24, 0u32..61, 0u32..1_000_000)
            .prop_map(|(h, s, f)| format!("2026-06-30T{h:02}:59:{s:02}.{f}Z")),
        (0u32..25, 0u32..61).prop_map(|(h, s)| format!("2026-06-30 {h:02}:00:{s:02}")),
        (-15i32..16).prop_map(|o| format!("2026-01-01T00:30:00{:+03}:00", o)),
        // Relative words, with large counts.
        (0u64..10_000_000_000).prop_map(|n| format!("{n}d")),
        (0u64..10_000_000).prop_map(|n| format!("{n}w")),
        prop::sample::select(vec![
            "today",
            "yesterday",
            "now",
            "monday",
            "Sun",
            "FRIDAY",
            "tue"
        ])
        .prop_map(String::from),
        "[0-9dwT:+ -]{0,24}",
    ]
}

#[test]
fn words_work_on_the_first_and_last_days_chrono_knows() {
    // "Today" comes from --as-of, which accepts any date; counting back must not overflow.
    for today in [
        NaiveDate::MIN,
        NaiveDate::MAX,
        NaiveDate::MIN + Duration::days(3),
    ] {
        for word in [
            "today",
            "yesterday",
            "monday",
            "sunday",
            "0d",
            "1d",
            "2w",
            "73000d",
        ] {
            match parse_when(word, today) {
                Ok(at) => assert!(at.date() <= today, "{word} on {today}"),
                Err(message) => assert!(message.contains("not a valid date"), "{message}"),
            }
        }
    }
}

#[test]
fn amounts_at_their_edges() {
    assert_eq!(parse_amount("0"), Ok(0));
    assert_eq!(parse_amount("0.00"), Ok(0));
    assert_eq!(parse_amount("0.01"), Ok(1));
    assert_eq!(parse_amount(" +7.5 "), Ok(750));
    assert_eq!(parse_amount("1,000,000,000,000"), Ok(MAX_AMOUNT));
    assert_eq!(parse_amount("1000000000000.00"), Ok(MAX_AMOUNT));
    for too_large in [
        "1000000000000.01",
        "1,000,000,000,001",
        "92233720368547758.07",
        "9223372036854775807",
        "99999999999999999999999999999999",
    ] {
        let message = parse_amount(too_large).unwrap_err();
        assert!(message.contains("too large"), "{too_large}: {message}");
    }
    for bad in [
        "-0", "-0.01", "0.001", "1.2.3", "1,00", "١٢", "１２", "1 200", "∞", "0x10",
    ] {
        assert!(parse_amount(bad).is_err(), "{bad}");
    }
}

#[test]
fn dates_at_their_edges() {
    let t = today();
    assert_eq!(
        parse_date("2024-02-29", t),
        Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
    );
    assert!(parse_date("2023-02-29", t).is_err());
    assert!(parse_date("2026-04-31", t).is_err());
    assert_eq!(
        parse_when("2026-12-31 23:59", t).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 31)
            .unwrap()
            .and_hms_opt(23, 59, 0)
            .unwrap()
    );
    assert!(parse_when("2026-12-31 24:00", t).is_err());
    assert_eq!(parse_date("0d", t), Ok(t));
    assert_eq!(parse_date("73000d", t), Ok(t - Duration::days(73_000)));
    assert!(parse_date("73001d", t).is_err(), "more than 200 years back");
    // An offset keeps the wall-clock time that was written.
    let at = parse_when("2026-03-01T23:30:00-08:00", t).unwrap();
    assert_eq!((at.day(), at.hour(), at.minute()), (1, 23, 30));
}

// --- CSV import -------------------------------------------------------------------------------

/// One field of an interactions row: valid values, near misses and hostile text.
fn field(valid: Vec<&'static str>) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(valid).prop_map(String::from),
        1 => Just(String::new()),
        1 => "\\PC{0,12}",
        1 => prop::sample::select(vec![
            "'; DROP TABLE contacts; --",
            "\u{1b}[2J\u{1b}]0;pwned\u{7}",
            "Zoë 🌟 李小龍",
            "a,b",
            "line\nbreak",
            "\"quoted\"",
            "\u{feff}",
            "\r",
        ])
        .prop_map(String::from),
    ]
}

fn interaction_row() -> impl Strategy<Value = Vec<String>> {
    (
        field(vec![
            "purchase", "call", "feedback", "note", "Purchase", "meeting",
        ]),
        field(vec![
            "2026-11-01",
            "2026-11-23",
            "yesterday",
            "3d",
            "2026-02-30",
            "2027-01-01",
        ]),
        field(vec!["C1", "C2", "Ana Ruiz", "#2", "nobody", "c1"]),
        field(vec!["100", "0", "1,200.50", "-5", "1.234", ""]),
        field(vec!["Website", "", "Logo"]),
        field(vec!["5", "1", "", "6", "0"]),
    )
        .prop_map(|(kind, date, contact, amount, item, quality)| {
            vec![kind, date, contact, amount, item, quality]
        })
}

/// Hostile text that is still a valid item or summary: it must be stored exactly.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "'; DROP TABLE contacts; --",
            "Robert'); DELETE FROM interactions;--",
            "\u{1b}[2J\u{1b}]0;pwned\u{7}",
            "Zoë 🌟 李小龍 🇯🇵",
            "a, b, c",
            "two\nlines",
            "say \"hi\"",
            "",
        ])
        .prop_map(String::from),
        "\\PC{1,16}",
    ]
}

/// A row the importer must accept, with hostile text where text is free.
fn valid_row() -> impl Strategy<Value = Vec<String>> {
    let date = prop::sample::select(vec![
        "2026-11-01",
        "2026-11-23",
        "yesterday",
        "3d",
        "2026-02-28 09:30",
        "2026-11-20T08:00:00+02:00",
    ]);
    let contact = prop::sample::select(vec!["C1", "C2", "Ana Ruiz", "#2", "bo li"]);
    let amount = prop::sample::select(vec!["100", "0", "1,200.50", " 7.5 ", "+3"]);
    (0..3usize, date, contact, amount, hostile_text(), 1..=5u8).prop_map(
        |(kind, date, contact, amount, item, stars)| {
            let (kind, amount, quality) = match kind {
                0 => ("purchase", amount.to_string(), String::new()),
                1 => ("call", String::new(), String::new()),
                _ => ("feedback", String::new(), stars.to_string()),
            };
            vec![
                kind.into(),
                date.into(),
                contact.into(),
                amount,
                item,
                quality,
            ]
        },
    )
}

fn csv_text(rows: &[Vec<String>], header: &str, crlf: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let end = if crlf { "\r\n" } else { "\n" };
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(end.as_bytes());
    for row in rows {
        let mut writer = csv::WriterBuilder::new()
            .terminator(if crlf {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .from_writer(Vec::new());
        writer.write_record(row).unwrap();
        out.extend(writer.into_inner().unwrap());
    }
    out
}

/// Every row of every table, to show an import that reports problems wrote nothing.
fn snapshot(store: &Store) -> String {
    common::rows_of(
        store.conn(),
        &[
            "contacts",
            "interactions",
            "ratings",
            "scores",
            "models",
            "meta",
            "score_details",
        ],
    )
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A store with two contacts, shared by the cases of one property (an import that fails must
/// leave it as it was; one that succeeds adds exactly its rows).
fn store_with_contacts(dir: &tempfile::TempDir) -> Store {
    let mut store = Store::open(&dir.path().join("props.db")).unwrap();
    let dims = vec![
        "quality".to_string(),
        "price".to_string(),
        "service".to_string(),
    ];
    let settings = ImportSettings {
        currency: "EUR",
        dimensions: &dims,
        dry_run: false,
        max_errors: 10,
    };
    let report = store
        .import_csv(
            ImportKind::Contacts,
            "external_id,name\nC1,Ana Ruiz\nC2,Bo Li\n".as_bytes(),
            &settings,
            today(),
        )
        .unwrap();
    assert!(report.committed());
    store
}

#[test]
fn random_interaction_rows_import_cleanly_or_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = RefCell::new(store_with_contacts(&dir));
    let dims = vec![
        "quality".to_string(),
        "price".to_string(),
        "service".to_string(),
    ];
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 192,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let rows = prop_oneof![
        prop::collection::vec(valid_row(), 0..10),
        prop::collection::vec(prop_oneof![2 => valid_row(), 1 => interaction_row()], 1..10),
    ];
    let strategy = (rows, any::<bool>(), any::<bool>(), any::<bool>());
    let (clean, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&strategy, |(rows, crlf, bom, dry_run)| {
            let mut store = store.borrow_mut();
            let before = snapshot(&store);
            let interactions = count(&store, "SELECT count(*) FROM interactions");
            let input = csv_text(&rows, "kind,date,contact,amount,item,quality", crlf, bom);
            let settings = ImportSettings {
                currency: "EUR",
                dimensions: &dims,
                dry_run,
                max_errors: 5,
            };
            let report = store
                .import_csv(
                    ImportKind::Interactions,
                    input.as_slice(),
                    &settings,
                    today(),
                )
                .map_err(|e| TestCaseError::fail(format!("a whole-file error for rows: {e}")))?;
            prop_assert_eq!(report.rows, rows.len() as u64);
            if report.committed() {
                clean.set(clean.get() + 1);
                prop_assert_eq!(report.interactions_added, rows.len() as u64);
                prop_assert_eq!(
                    count(&store, "SELECT count(*) FROM interactions"),
                    interactions + rows.len() as i64
                );
                // Text arrives exactly as written (trimmed), SQL and escapes included.
                let stored: Vec<Option<String>> = store
                    .conn()
                    .prepare("SELECT item FROM interactions WHERE id > ?1 ORDER BY id")
                    .unwrap()
                    .query_map([interactions], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                let written: Vec<Option<String>> = rows
                    .iter()
                    .map(|r| Some(r[4].trim().to_string()).filter(|t| !t.is_empty()))
                    .collect();
                prop_assert_eq!(stored, written);
            } else {
                refused.set(refused.get() + usize::from(!dry_run));
                prop_assert!(dry_run || !report.errors.is_empty());
                prop_assert!(report.errors.len() <= 5);
                prop_assert!(report.errors.windows(2).all(|w| w[0].line <= w[1].line));
                prop_assert!(report.errors.iter().all(|e| !e.message.is_empty()));
                prop_assert_eq!(
                    snapshot(&store),
                    before,
                    "a refused or dry-run import wrote"
                );
            }
            Ok(())
        })
        .unwrap();
    let (clean, refused) = (clean.get(), refused.get());
    assert!(
        clean >= 10 && refused >= 10,
        "both outcomes are exercised: {clean} clean, {refused} refused"
    );
    let integrity: String = store
        .borrow()
        .conn()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

#[test]
fn arbitrary_bytes_as_csv_never_panic_and_never_half_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = RefCell::new(store_with_contacts(&dir));
    let dims = vec!["quality".to_string()];
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 256,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let header = prop::sample::select(vec![
        "kind,date,contact\n",
        "name,email,external_id\n",
        "contact,date,amount\n",
        "\u{feff}name\r\n",
        "",
    ]);
    let body = prop::collection::vec(
        prop_oneof![
            4 => any::<u8>(),
            2 => prop::sample::select(b",\"\n\r;\t\xef\xbb\xbf\xff\xfe\x00".to_vec()),
            3 => prop::sample::select(b"abcCN12-#".to_vec()),
        ],
        0..200,
    );
    let kind = prop::sample::select(vec![
        ImportKind::Contacts,
        ImportKind::Purchases,
        ImportKind::Interactions,
    ]);
    runner
        .run(&(header, body, kind), |(header, body, kind)| {
            let mut store = store.borrow_mut();
            let before = snapshot(&store);
            let mut input = header.as_bytes().to_vec();
            input.extend(body);
            let settings = ImportSettings {
                currency: "EUR",
                dimensions: &dims,
                dry_run: false,
                max_errors: 3,
            };
            match store.import_csv(kind, input.as_slice(), &settings, today()) {
                Ok(report) if report.committed() => {
                    prop_assert!(report.contacts_added + report.interactions_added == report.rows);
                }
                Ok(_) | Err(_) => prop_assert_eq!(snapshot(&store), before),
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn an_accepted_instant_keeps_no_fraction_of_a_second_it_cannot_store() {
    // Exports and imports go through the stored text; an instant must not change on the way.
    let at = parse_when("2026-06-30T10:59:58.75Z", today()).unwrap();
    let stored = to_storage(at);
    assert_eq!(from_storage(&stored), Some(at), "{stored}");
    let _: NaiveDateTime = at;
}

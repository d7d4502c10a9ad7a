//! `log call|email|meeting|note|purchase|feedback`: dates, amounts, ratings, and bad input.

mod common;

use common::{Env, TODAY};

fn env_with_ana() -> Env {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    env.ok(&["add", "Bo Li"]);
    env
}

/// (kind, occurred_at, summary, amount, item) of the last interaction.
fn last(env: &Env) -> (String, String, Option<String>, Option<i64>, Option<String>) {
    env.sql()
        .query_row(
            "SELECT kind, occurred_at, summary, amount, item FROM interactions ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap()
}

#[test]
fn touches_are_logged_with_their_summary_words() {
    let env = env_with_ana();
    for kind in ["call", "email", "meeting", "note"] {
        let out = env.log(&[
            kind,
            "ana",
            "renewal",
            "next",
            "month",
            "--date",
            "2026-11-20",
        ]);
        assert_eq!(out, format!("Logged {kind} with Ana Ruiz on 2026-11-20."));
        assert_eq!(
            last(&env),
            (
                kind.to_string(),
                "2026-11-20T12:00:00".into(),
                Some("renewal next month".into()),
                None,
                None
            )
        );
    }
    env.ok(&["log", "call", "C-1", "--date", "2026-11-20"]);
    assert_eq!(
        last(&env),
        (
            "call".into(),
            "2026-11-20T12:00:00".into(),
            None,
            None,
            None
        )
    );
    assert_eq!(
        env.query_i64("SELECT count(*) FROM interactions WHERE contact_id = 1"),
        5
    );
}

#[test]
fn an_undated_entry_happens_today() {
    let env = env_with_ana();
    let out = env.log(&["call", "ana", "catch-up"]);
    assert!(
        out.starts_with(&format!("Logged call with Ana Ruiz on {TODAY}")),
        "{out}"
    );
    assert!(env
        .query_string("SELECT occurred_at FROM interactions")
        .starts_with(TODAY));
}

#[test]
fn dates_accept_iso_words_offsets_and_weekdays() {
    let env = env_with_ana();
    // 2026-11-23 is a Monday.
    let cases = [
        ("2026-11-02", "2026-11-02T12:00:00"),
        ("2026-11-02 09:30", "2026-11-02T09:30:00"),
        ("2026-11-02T17:45", "2026-11-02T17:45:00"),
        ("today", "2026-11-23T12:00:00"),
        ("yesterday", "2026-11-22T12:00:00"),
        ("3d", "2026-11-20T12:00:00"),
        ("2w", "2026-11-09T12:00:00"),
        ("friday", "2026-11-20T12:00:00"),
        ("Sunday", "2026-11-22T12:00:00"),
        ("tue", "2026-11-17T12:00:00"),
        ("monday", "2026-11-23T12:00:00"),
    ];
    for (typed, stored) in cases {
        env.ok(&["log", "meeting", "ana", "--date", typed]);
        assert_eq!(last(&env).1, stored, "--date {typed}");
    }
    assert_eq!(
        env.log(&["call", "ana", "--date", "2026-11-02 09:30"]),
        "Logged call with Ana Ruiz on 2026-11-02 09:30."
    );
    // A meeting may be planned ahead; only purchases are refused in the future.
    assert_eq!(
        env.log(&["meeting", "ana", "--date", "2026-12-01"]),
        "Logged meeting with Ana Ruiz on 2026-12-01."
    );
}

#[test]
fn impossible_or_unreadable_dates_are_refused() {
    let env = env_with_ana();
    for bad in ["2026-02-30", "2026-13-01", "31/12/2026", "soon", "3y", ""] {
        let message = env.fails(&["log", "call", "ana", "--date", bad]);
        assert_eq!(
            message,
            format!("date '{bad}' is not a valid date (use YYYY-MM-DD, 'today', 'yesterday', '3d', '2w' or a weekday)")
        );
    }
    assert_eq!(
        env.fails(&["log", "purchase", "ana", "10", "--date", "2026-02-30"]),
        "date '2026-02-30' is not a valid date (use YYYY-MM-DD, 'today', 'yesterday', '3d', '2w' or a weekday)"
    );
}

#[test]
fn purchases_accept_plain_decimal_grouped_and_zero_amounts() {
    let env = env_with_ana();
    let cases = [
        ("1200", 120_000, "1,200"),
        ("1200.50", 120_050, "1,200.50"),
        ("1,200.50", 120_050, "1,200.50"),
        ("0", 0, "0"),
        ("0.5", 50, "0.50"),
    ];
    for (typed, minor, shown) in cases {
        let out = env.log(&["purchase", "ana", typed, "--date", "2026-11-20"]);
        assert_eq!(
            out,
            format!("Logged purchase with Ana Ruiz on 2026-11-20: {shown} EUR.")
        );
        assert_eq!(last(&env).3, Some(minor), "{typed}");
    }
    env.ok(&[
        "log",
        "purchase",
        "C-1",
        "800",
        "--item",
        "Website redesign",
        "--date",
        "yesterday",
    ]);
    assert_eq!(
        last(&env),
        (
            "purchase".into(),
            "2026-11-22T12:00:00".into(),
            None,
            Some(80_000),
            Some("Website redesign".into())
        )
    );
    assert_eq!(
        env.query_string("SELECT currency FROM interactions ORDER BY id DESC LIMIT 1"),
        "EUR"
    );
    // Today is allowed.
    env.ok(&["log", "purchase", "ana", "1", "--date", TODAY]);
}

#[test]
fn bad_purchases_are_refused_with_the_field_and_value() {
    let env = env_with_ana();
    env.ok(&["log", "purchase", "ana", "100", "--date", "2026-11-01"]);
    let cases: [(&[&str], &str); 9] = [
        (
            &["log", "purchase", "ana", "-5"],
            "amount '-5' is negative; amounts must be zero or more",
        ),
        (
            &["log", "purchase", "ana", "-0.01"],
            "amount '-0.01' is negative; amounts must be zero or more",
        ),
        (
            &["log", "purchase", "ana", "abc"],
            "amount 'abc' is not a valid amount (use e.g. 1200, 1200.50 or 1,200.50)",
        ),
        (
            &["log", "purchase", "ana", "12.345"],
            "amount '12.345' is not a valid amount (use e.g. 1200, 1200.50 or 1,200.50)",
        ),
        (
            &["log", "purchase", "ana", "12,00"],
            "amount '12,00' is not a valid amount (use e.g. 1200, 1200.50 or 1,200.50)",
        ),
        (
            &["log", "purchase", "ana", "1e3"],
            "amount '1e3' is not a valid amount (use e.g. 1200, 1200.50 or 1,200.50)",
        ),
        (
            &["log", "purchase", "ana", "10", "--date", "2026-11-24"],
            "date '2026-11-24' is after today (2026-11-23); a purchase cannot be in the future",
        ),
        (
            &["log", "purchase", "zed", "10"],
            "no contact matches 'zed'",
        ),
        (
            &["log", "purchase", "i", "10"],
            "contact 'i' is ambiguous; it matches Ana Ruiz (C-1), Bo Li (#2)",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(env.fails(args), expected, "{args:?}");
    }
    assert_eq!(env.query_i64("SELECT count(*) FROM interactions"), 1);
    env.usage_error(&["log", "purchase", "ana"]);
    env.usage_error(&["log", "purchase"]);
    env.usage_error(&["log", "visit", "ana"]);
}

#[test]
fn feedback_stores_one_rating_per_dimension() {
    let env = env_with_ana();
    let out = env.log(&[
        "feedback",
        "ana",
        "quality=5",
        "price=3",
        "service=4",
        "--note",
        "very happy",
        "--date",
        "2026-11-20",
    ]);
    assert_eq!(out, "Logged feedback with Ana Ruiz on 2026-11-20.");
    assert_eq!(
        last(&env),
        (
            "feedback".into(),
            "2026-11-20T12:00:00".into(),
            Some("very happy".into()),
            None,
            None
        )
    );
    let ratings: Vec<(String, i64)> = env
        .sql()
        .prepare("SELECT dimension, stars FROM ratings ORDER BY rowid")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        ratings,
        [
            ("quality".to_string(), 5),
            ("price".to_string(), 3),
            ("service".to_string(), 4)
        ]
    );
    // A subset of the dimensions is fine, in any case.
    env.ok(&["log", "feedback", "bo", "Service=1", "--date", "2026-11-20"]);
    assert_eq!(
        env.query_string(
            "SELECT dimension || '=' || stars FROM ratings ORDER BY rowid DESC LIMIT 1"
        ),
        "service=1"
    );
}

#[test]
fn bad_feedback_is_refused_listing_what_is_valid() {
    let env = env_with_ana();
    let cases: [(&[&str], &str); 7] = [
        (
            &["log", "feedback", "ana", "speed=4"],
            "dimension 'speed' is not configured; valid dimensions are quality, price, service",
        ),
        (
            &["log", "feedback", "ana", "quality=5", "speed=4"],
            "dimension 'speed' is not configured; valid dimensions are quality, price, service",
        ),
        (
            &["log", "feedback", "ana", "quality=6"],
            "rating quality=6 is out of range; stars go from 1 to 5",
        ),
        (
            &["log", "feedback", "ana", "quality=0"],
            "rating quality=0 is out of range; stars go from 1 to 5",
        ),
        (
            &["log", "feedback", "ana", "price=good"],
            "rating price=good is out of range; stars go from 1 to 5",
        ),
        (
            &["log", "feedback", "ana", "quality"],
            "rating 'quality' is not DIMENSION=STARS (e.g. quality=5)",
        ),
        (
            &["log", "feedback", "ana", "quality=4", "quality=5"],
            "dimension 'quality' is rated twice",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(env.fails(args), expected, "{args:?}");
    }
    env.usage_error(&["log", "feedback", "ana"]);
}

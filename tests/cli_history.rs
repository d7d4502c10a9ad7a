//! `rapport list interactions --contact C [--kind K] [--since DATE]`: one client's history,
//! newest first, filtered by kind and date; bad values are one sentence. TODAY is 2026-11-23.

mod common;

use common::Env;
use serde_json::Value;

fn history(env: &Env, args: &[&str]) -> Vec<(String, String, String)> {
    let mut full = vec!["list", "interactions", "--format", "json"];
    full.extend_from_slice(args);
    let rows: Vec<Value> = serde_json::from_str(&env.ok(&full)).unwrap();
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    rows.iter()
        .map(|r| {
            (
                text(&r["date"])[..10].to_string(),
                text(&r["kind"]),
                text(&r["contact"]),
            )
        })
        .collect()
}

fn row(date: &str, kind: &str, contact: &str) -> (String, String, String) {
    (date.into(), kind.into(), contact.into())
}

#[test]
fn one_clients_history_by_kind_and_since_a_date() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    env.ok(&["add", "Bo Li"]);
    env.log(&["call", "ana", "intro", "--date", "2026-09-01"]);
    env.log(&["purchase", "ana", "1200", "--date", "2026-10-01"]);
    env.log(&["email", "bo", "hello", "--date", "2026-10-02"]);
    env.log(&["purchase", "ana", "300", "--date", "2026-11-20"]);
    assert_eq!(
        history(&env, &["--contact", "ana"]),
        [
            row("2026-11-20", "purchase", "Ana Ruiz"),
            row("2026-10-01", "purchase", "Ana Ruiz"),
            row("2026-09-01", "call", "Ana Ruiz"),
        ]
    );
    assert_eq!(
        history(
            &env,
            &[
                "--contact",
                "ana",
                "--kind",
                "purchase",
                "--since",
                "2026-10-02"
            ]
        ),
        [row("2026-11-20", "purchase", "Ana Ruiz")]
    );
    // `--since` takes the past forms of every date option: 60 days before 2026-11-23.
    assert_eq!(
        history(&env, &["--kind", "email", "--since", "60d"]),
        [row("2026-10-02", "email", "Bo Li")]
    );
    assert_eq!(
        history(&env, &["--contact", "ana", "--limit", "1"]),
        [row("2026-11-20", "purchase", "Ana Ruiz")]
    );
}

#[test]
fn bad_history_options_are_one_sentence() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    assert_eq!(
        env.fails(&["list", "interactions", "--kind", "fax"]),
        "--kind: kind 'fax' is not one of call, email, meeting, note, purchase, feedback"
    );
    assert!(env
        .fails(&["list", "interactions", "--since", "someday"])
        .starts_with("--since: date 'someday' is not a valid date"));
    assert!(env
        .fails(&["list", "interactions", "--contact", "nobody"])
        .contains("nobody"));
    assert_eq!(
        env.fails(&["list", "contacts", "--since", "3d"]),
        "--since applies to `rapport list interactions` only"
    );
}

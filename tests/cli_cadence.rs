//! Stay-in-touch cadences from the config (`[follow_ups.stay_in_touch]`) as `today` shows them:
//! a stage's cadence makes a touch due after that long without any interaction, any interaction
//! resets it, a contact's own cadence wins, `off` opts out of both, the client's usual rhythm
//! brings it forward, and a bad value is one sentence. TODAY is Monday 2026-11-23.

mod common;

use common::Env;
use serde_json::Value;

/// Rules off, so no follow-up they plan silences a cadence (an open follow-up does: tested below).
const NO_RULES: &str = "[follow_ups.on_enter]\nnew = 0\nat_risk = 0\n";

fn with_cadences(cadences: &str) -> Env {
    Env::new().with_config(&format!(
        "{NO_RULES}\n[follow_ups.stay_in_touch]\n{cadences}\n"
    ))
}

/// `today`'s stay-in-touch list as (contact, every, source, due).
fn touches(env: &Env) -> Vec<(String, String, String, String)> {
    let doc: Value = serde_json::from_str(&env.ok(&["today", "--format", "json"])).unwrap();
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    doc["stay_in_touch"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                text(&t["contact"]),
                text(&t["every"]),
                text(&t["source"]),
                text(&t["due"]),
            )
        })
        .collect()
}

fn touch(contact: &str, every: &str, source: &str, due: &str) -> (String, String, String, String) {
    (contact.into(), every.into(), source.into(), due.into())
}

#[test]
fn a_stage_cadence_falls_due_and_any_interaction_resets_it() {
    let env = with_cadences("lead = \"30d\"\nnew = \"30d\"\nfrom_rhythm = false");
    env.ok(&["add", "Ana Ruiz"]);
    env.ok(&["add", "Bo Li"]);
    env.log(&["call", "ana", "catch-up", "--date", "2026-10-01"]);
    // Ana, a lead last called on 2026-10-01: due 30 days later. Bo was added today: not yet.
    assert_eq!(
        touches(&env),
        [touch("Ana Ruiz", "30d", "stage Lead", "2026-10-31")]
    );
    let text = env.ok(&["today"]);
    assert!(
        text.contains(
            "Stay in touch (1)\n  Ana Ruiz — every 30d (stage Lead); last touch 2026-10-01, due 23 days ago\n"
        ),
        "{text}"
    );
    // A note is an interaction too: it resets the cadence.
    env.log(&["note", "ana", "prefers Fridays", "--date", "2026-11-02"]);
    assert_eq!(touches(&env), []);
    // So does a purchase, which also makes Bo New (30 days there as well).
    env.log(&["call", "bo", "intro", "--date", "2026-09-01"]);
    assert_eq!(
        touches(&env),
        [touch("Bo Li", "30d", "stage Lead", "2026-10-01")]
    );
    env.ok(&["log", "purchase", "bo", "400", "--date", "2026-11-10"]);
    assert_eq!(touches(&env), []);
    // Bo is New now, whose cadence is also 30 days: the purchase reset it, not a stage without one.
    assert_eq!(
        env.query_string("SELECT stage FROM scores WHERE contact_id = 2"),
        "new"
    );
}

#[test]
fn a_contacts_own_cadence_wins_and_off_opts_out_of_the_config_too() {
    let env = with_cadences("lead = \"30d\"");
    env.ok(&["add", "Ana Ruiz"]);
    env.log(&["call", "ana", "catch-up", "--date", "2026-10-01"]);
    assert_eq!(
        touches(&env),
        [touch("Ana Ruiz", "30d", "stage Lead", "2026-10-31")]
    );
    // Her own two months are not up yet, though the stage's 30 days are.
    env.ok(&["edit", "ana", "--stay-in-touch", "2m"]);
    assert_eq!(touches(&env), []);
    // A shorter one of her own says so.
    env.ok(&["edit", "ana", "--stay-in-touch", "weekly"]);
    assert_eq!(
        touches(&env),
        [touch("Ana Ruiz", "1w", "own", "2026-10-08")]
    );
    // Off: none at all, not even the stage's.
    env.ok(&["edit", "ana", "--stay-in-touch", "off"]);
    assert_eq!(touches(&env), []);
    assert!(env.ok(&["show", "ana"]).contains("\nStay in touch: off\n"));
    assert_eq!(
        env.query_string("SELECT stay_in_touch FROM contacts WHERE id = 1"),
        "off"
    );
    // `default` hands her back to the config.
    env.ok(&["edit", "ana", "--stay-in-touch", "default"]);
    assert_eq!(
        touches(&env),
        [touch("Ana Ruiz", "30d", "stage Lead", "2026-10-31")]
    );
    let message = env.fails(&["edit", "ana", "--stay-in-touch", "often"]);
    assert!(
        message.starts_with("--stay-in-touch: recurrence 'often' is not valid")
            && message.ends_with("or 'off' (no cadence at all) or 'default' (the config's)"),
        "{message}"
    );
    // A follow-up already planned for her is the touch: the config's cadence waits for it...
    env.ok(&["fu", "add", "ana", "call", "--due", "friday"]);
    assert_eq!(touches(&env), []);
    // ...her own does not (she asked for it).
    env.ok(&["edit", "ana", "--stay-in-touch", "30d"]);
    assert_eq!(
        touches(&env),
        [touch("Ana Ruiz", "30d", "own", "2026-10-31")]
    );
}

/// The rule, by hand: a repeat buyer with three purchase days or more whose usual interval is
/// shorter than their stage's cadence is due that interval (whole days, at least 14) after the
/// last touch.
#[test]
fn the_usual_rhythm_brings_the_stage_cadence_forward() {
    let stages = "new = \"3m\"\nactive = \"3m\"\nloyal = \"3m\"\nat_risk = \"3m\"";
    let env = with_cadences(&format!("{stages}\nfrom_rhythm = true"));
    let buy = |env: &Env, who: &str, dates: &[&str]| {
        for date in dates {
            env.ok(&["log", "purchase", who, "500", "--date", date]);
        }
    };
    let business = |env: &Env| {
        for name in ["Cy Park", "Dee Moss", "Eve Lund"] {
            env.ok(&["add", name]);
        }
        // Cy buys every 30 days, last on 2026-10-04: due 30 days later, on 2026-11-03, long
        // before the stage's three months (2027-01-04).
        buy(env, "cy", &["2026-08-05", "2026-09-04", "2026-10-04"]);
        // Dee's two purchases 30 days apart are one interval, not yet a rhythm: three months.
        buy(env, "dee", &["2026-09-04", "2026-10-04"]);
        // Eve buys every 4 days (gaps 5 and 3): held to 14, due 2026-11-09 + 14 = today.
        buy(env, "eve", &["2026-11-01", "2026-11-06", "2026-11-09"]);
    };
    business(&env);
    assert_eq!(
        touches(&env),
        [
            touch("Cy Park", "30d", "usual rhythm", "2026-11-03"),
            touch("Eve Lund", "14d", "usual rhythm", "2026-11-23"),
        ]
    );
    assert!(env
        .ok(&["today"])
        .contains("  Eve Lund — every 14d (usual rhythm); last touch 2026-11-09, due today\n"));
    // `show` says the same of one client, and when Dee's touch is due on the stage's cadence.
    assert!(env.ok(&["show", "cy"]).contains(
        "\nStay in touch: every 30d (usual rhythm); a touch is due (since 2026-11-03)\n"
    ));
    let dee: Value = serde_json::from_str(&env.ok(&["show", "dee", "--format", "json"])).unwrap();
    assert_eq!(dee["stay_in_touch"]["due"], "2027-01-04");
    assert_eq!(
        dee["stay_in_touch"]["source"]
            .as_str()
            .map(|s| s.starts_with("stage ")),
        Some(true)
    );
    // Without from_rhythm the stage's three months hold for everyone: nobody is due.
    let plain = with_cadences(&format!("{stages}\nfrom_rhythm = false"));
    business(&plain);
    assert_eq!(touches(&plain), []);
}

#[test]
fn a_bad_cadence_in_the_config_is_one_sentence() {
    let env = with_cadences("loyal = \"often\"");
    let message = env.fails(&["today"]);
    assert!(
        message.ends_with(
            "follow_ups.stay_in_touch.loyal = \"often\" is not a cadence; use a duration such as \"60d\", \"8w\" or \"3m\", or \"off\""
        ),
        "{message}"
    );
    let env = with_cadences("at_risk = \"2d\"");
    let message = env.fails(&["today"]);
    assert!(
        message.contains("follow_ups.stay_in_touch.at_risk = \"2d\" is too short"),
        "{message}"
    );
    let env = with_cadences("from_rhythm = \"yes\"");
    let message = env.fails(&["add", "Ana Ruiz"]);
    assert!(
        message.contains("key 'follow_ups.stay_in_touch.from_rhythm'"),
        "{message}"
    );
}

/// Out of the box (no config file): Loyal clients, every three months or on their rhythm; other
/// stages have none, so a lapsed lead or a churned client does not fill the morning list.
#[test]
fn the_defaults_leave_other_stages_alone() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    env.log(&["call", "ana", "catch-up", "--date", "2025-01-10"]);
    env.ok(&["add", "Bo Li"]);
    env.ok(&["log", "purchase", "bo", "500", "--date", "2025-03-01"]);
    assert_eq!(touches(&env), []);
}

#[test]
fn a_long_stay_in_touch_list_is_cut_at_the_limit_saying_how_many_more() {
    let env = with_cadences("lead = \"30d\"\nfrom_rhythm = false");
    for (name, day) in [("Ana Ruiz", "01"), ("Bo Li", "02"), ("Cy Oh", "03")] {
        env.ok(&["add", name]);
        env.log(&["call", name, "hello", "--date", &format!("2026-09-{day}")]);
    }
    let text = env.ok(&["today", "--limit", "2"]);
    assert!(text.contains("Stay in touch (3)\n  Ana Ruiz"), "{text}");
    assert!(
        text.contains("  … and 1 more (rapport today --limit 3)\n"),
        "{text}"
    );
    assert!(!text.contains("Cy Oh"), "{text}");
    let doc: Value =
        serde_json::from_str(&env.ok(&["today", "--limit", "2", "--format", "json"])).unwrap();
    assert_eq!(doc["stay_in_touch"].as_array().unwrap().len(), 2);
    assert_eq!(doc["stay_in_touch_count"], 3);
}

//! The action ledger as a user meets it: the actions `list at-risk` and `show` print are recorded
//! once per episode, acting on them and coming back are read from what is logged afterwards,
//! held-back actions are never printed, and `report actions` says so in numbers.

mod common;

use chrono::NaiveDate;
use common::{run_command, write_file, Env, TODAY};
use serde_json::Value;

/// `rapport --as-of DATE ARGS...` on the env's database, which must succeed.
#[track_caller]
fn ok_at(env: &Env, date: &str, args: &[&str]) -> String {
    let mut cmd = env.bare();
    cmd.arg("--db")
        .arg(&env.db)
        .arg("--config")
        .arg(&env.config)
        .arg("--as-of")
        .arg(date);
    cmd.args(args);
    let run = run_command(cmd, None);
    assert_eq!(run.code, 0, "rapport {:?} failed: {}", args, run.stderr);
    run.stdout
}

/// `TODAY` plus `days`.
fn day(days: i64) -> String {
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    (today + chrono::Duration::days(days)).to_string()
}

/// Clients who bought every two months until August and then went quiet (114 days by TODAY, twice
/// their interval but short of three): At risk by the stated rule, with the actions "win-back
/// call", "retention discount".
fn lapsed_clients(env: &Env, names: &[&str]) {
    for name in names {
        env.ok(&["add", name]);
        for date in ["2026-04-01", "2026-06-01", "2026-08-01"] {
            env.ok(&["log", "purchase", name, "100", "--date", date]);
        }
    }
}

fn report_json(env: &Env, date: &str) -> Value {
    serde_json::from_str(&ok_at(
        env,
        date,
        &["report", "actions", "--format", "json"],
    ))
    .unwrap()
}

/// The report's entry for one action.
fn action<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == name)
        .unwrap_or_else(|| panic!("no {name} in {report}"))
}

/// (count, of) of a rate.
fn counts(rate: &Value) -> (i64, i64) {
    (
        rate["count"].as_i64().unwrap(),
        rate["of"].as_i64().unwrap(),
    )
}

#[test]
fn listing_at_risk_twice_records_one_suggestion_per_contact_and_action() {
    let env = Env::new();
    lapsed_clients(&env, &["Ana Ruiz", "Bo Li"]);
    assert_eq!(env.query_i64("SELECT count(*) FROM suggestions"), 0);
    let listed = env.ok(&["list", "at-risk"]);
    assert!(listed.contains("win-back call"), "{listed}");
    env.ok(&["list", "at-risk"]);
    env.ok(&["list", "at-risk", "--format", "json"]);
    // The list prints each client's first action: that one is recorded, once.
    assert_eq!(
        env.query_string(
            "SELECT group_concat(c.name || ':' || s.action || ':' || s.stage || ':' || s.suggested_on || ':' || s.shown, '|')
             FROM suggestions s JOIN contacts c ON c.id = s.contact_id ORDER BY s.id"
        ),
        format!("Ana Ruiz:win-back call:at_risk:{TODAY}:1|Bo Li:win-back call:at_risk:{TODAY}:1")
    );
    // `show` prints every action: the second one joins, the first is not recorded again.
    let shown = env.ok(&["show", "ana"]);
    assert!(
        shown.contains("win-back call, retention discount"),
        "{shown}"
    );
    env.ok(&["show", "ana", "--format", "json"]);
    assert_eq!(env.query_i64("SELECT count(*) FROM suggestions"), 3);
    // Still within the 60-day window a month later: nothing new.
    ok_at(&env, &day(30), &["list", "at-risk"]);
    assert_eq!(env.query_i64("SELECT count(*) FROM suggestions"), 3);
    // Once the window has passed, showing it again is a new episode.
    ok_at(&env, &day(61), &["list", "at-risk"]);
    assert_eq!(
        env.query_i64(&format!(
            "SELECT count(*) FROM suggestions WHERE suggested_on = '{}'",
            day(61)
        )),
        2
    );
}

#[test]
fn a_call_after_a_win_back_call_suggestion_marks_it_acted_on() {
    let env = Env::new();
    lapsed_clients(&env, &["Ana Ruiz", "Bo Li", "Cy Doe"]);
    env.ok(&["list", "at-risk"]);
    // Ana gets the call; Bo only an email, which is not acting on a call; Cy nothing.
    ok_at(&env, &day(5), &["log", "call", "ana", "checking in"]);
    ok_at(&env, &day(5), &["log", "email", "bo", "newsletter"]);
    let open = report_json(&env, &day(10));
    let call = action(&open, "win-back call");
    assert_eq!(call["shown"], 3);
    assert_eq!(call["open"], 3, "nobody's window is over yet");
    assert_eq!(counts(&call["acted"]), (0, 0));
    let done = report_json(&env, &day(70));
    let call = action(&done, "win-back call");
    assert_eq!(call["open"], 0);
    assert_eq!(counts(&call["acted"]), (1, 3));
    assert_eq!(counts(&call["came_back_acted"]), (0, 1));
    assert_eq!(counts(&call["came_back_not_acted"]), (0, 2));
}

#[test]
fn a_purchase_within_60_days_counts_as_came_back_and_one_on_day_61_does_not() {
    let env = Env::new();
    lapsed_clients(&env, &["Ana Ruiz", "Bo Li", "Cy Doe"]);
    env.ok(&["list", "at-risk"]);
    ok_at(&env, &day(10), &["log", "purchase", "cy", "300"]);
    // Cy came back on day 10: decided at once, though the window runs on.
    let early = report_json(&env, &day(10));
    let call = action(&early, "win-back call");
    assert_eq!(
        (call["open"].as_i64(), counts(&call["came_back_shown"])),
        (Some(2), (1, 1))
    );
    ok_at(&env, &day(60), &["log", "purchase", "ana", "500"]);
    ok_at(&env, &day(61), &["log", "purchase", "bo", "500"]);
    let report = report_json(&env, &day(61));
    let call = action(&report, "win-back call");
    assert_eq!(call["open"], 0, "day 61 is past every window");
    assert_eq!(
        counts(&call["came_back_shown"]),
        (2, 3),
        "Cy and Ana, not Bo"
    );
    assert_eq!(counts(&call["came_back_not_acted"]), (2, 3));
}

#[test]
fn the_json_report_has_the_numbers_of_the_table() {
    let env = Env::new();
    lapsed_clients(&env, &["Ana Ruiz", "Bo Li"]);
    env.ok(&["list", "at-risk"]);
    ok_at(&env, &day(3), &["log", "call", "ana", "win-back"]);
    ok_at(&env, &day(20), &["log", "purchase", "ana", "800"]);
    let report = report_json(&env, &day(90));
    assert_eq!(report["outcome_window_days"], 60);
    assert_eq!(report["holdback_share"], 0.0);
    let call = action(&report, "win-back call");
    assert_eq!(
        (call["shown"].as_i64(), call["held_back"].as_i64()),
        (Some(2), Some(0))
    );
    assert_eq!(counts(&call["acted"]), (1, 2));
    assert_eq!(call["acted"]["rate"], 0.5);
    // Jeffreys Beta(1.5, 1.5): 5 % and 95 % points 0.0973 and 0.9027 (found independently by
    // numerical integration; symmetric).
    let (low, high) = (
        call["acted"]["low"].as_f64().unwrap(),
        call["acted"]["high"].as_f64().unwrap(),
    );
    assert!(
        (low - 0.0973).abs() < 1e-3 && (low + high - 1.0).abs() < 1e-9,
        "{low} {high}"
    );
    assert_eq!(counts(&call["came_back_acted"]), (1, 1));
    assert_eq!(counts(&call["came_back_held_back"]), (0, 0));
    assert_eq!(call["came_back_held_back"]["rate"], Value::Null);
    let table = ok_at(&env, &day(90), &["report", "actions"]);
    for needed in [
        "win-back call: 2 shown, 0 held back",
        "acted on (a call)",
        "1 of 2     50%  (90%: 10%–90%)",
        "1 of 1    100%  (90%: 23%–100%)",
        "came back, held back                    —  none decided yet",
        "not the effect of acting",
        "none are held back",
        "(actions.holdback_share = 0)",
    ] {
        assert!(table.contains(needed), "{needed:?} missing from:\n{table}");
    }
}

#[test]
fn held_back_suggestions_are_deterministic_near_their_share_and_never_printed() {
    let env = Env::new().with_config("[actions]\nholdback_share = 0.3\n");
    let mut contacts = String::from("name,external_id\n");
    let mut purchases = String::from("contact,date,amount\n");
    for i in 1..=300 {
        contacts.push_str(&format!("Client {i},K{i}\n"));
        for date in ["2026-04-01", "2026-06-01", "2026-08-01"] {
            purchases.push_str(&format!("K{i},{date},100\n"));
        }
    }
    env.ok(&["import", "contacts", &write_file(&env, "c.csv", &contacts)]);
    env.ok(&[
        "import",
        "purchases",
        &write_file(&env, "p.csv", &purchases),
    ]);
    let twin = env.path("twin.db");
    env.ok(&["backup", twin.to_str().unwrap()]);

    let listed: Value =
        serde_json::from_str(&env.ok(&["list", "at-risk", "--format", "json"])).unwrap();
    let ledger = "SELECT group_concat(c.external_id || ':' || s.action || ':' || s.shown, '|')
        FROM (SELECT * FROM suggestions ORDER BY contact_id, action) s
        JOIN contacts c ON c.id = s.contact_id";
    let first = env.query_string(ledger);
    env.ok(&["list", "at-risk"]);
    assert_eq!(
        env.query_string(ledger),
        first,
        "a second showing decides the same"
    );

    // The same database listed again from scratch holds back the same clients.
    let twin_env = Env {
        db: twin,
        ..Env::new().with_config("[actions]\nholdback_share = 0.3\n")
    };
    twin_env.ok(&["list", "at-risk"]);
    assert_eq!(twin_env.query_string(ledger), first);

    let held = env
        .query_i64("SELECT count(*) FROM suggestions WHERE action = 'win-back call' AND shown = 0");
    let all = env.query_i64("SELECT count(*) FROM suggestions WHERE action = 'win-back call'");
    assert_eq!(all, 300);
    assert!(
        (60..=120).contains(&held),
        "{held} of 300 held back at share 0.3"
    );

    // A held-back action is never the one printed; its next action takes its place.
    let printed = |name: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .map(|r| r["action"].clone())
            .unwrap()
    };
    let held_names = env.query_string(
        "SELECT group_concat(c.name, '|') FROM suggestions s JOIN contacts c ON c.id = s.contact_id
         WHERE s.action = 'win-back call' AND s.shown = 0",
    );
    for name in held_names.split('|') {
        assert_ne!(printed(name), "win-back call", "{name}");
    }
    let shown_name = env.query_string(
        "SELECT c.name FROM suggestions s JOIN contacts c ON c.id = s.contact_id
         WHERE s.action = 'win-back call' AND s.shown = 1 LIMIT 1",
    );
    assert_eq!(printed(&shown_name), "win-back call");
    let shown = env.ok(&["show", held_names.split('|').next().unwrap()]);
    let stage_line = shown.lines().find(|l| l.contains("Stage")).unwrap();
    assert!(!stage_line.contains("win-back call"), "{stage_line}");

    let report = report_json(&env, &day(70));
    assert_eq!(action(&report, "win-back call")["held_back"], held);
    let table = ok_at(&env, &day(70), &["report", "actions"]);
    assert!(
        table.contains("30% of new suggestions are held back"),
        "{table}"
    );
}

#[test]
fn forget_erases_the_contacts_suggestions() {
    let env = Env::new();
    lapsed_clients(&env, &["Ana Ruiz", "Bo Li"]);
    env.ok(&["show", "ana"]);
    env.ok(&["list", "at-risk"]);
    assert_eq!(env.query_i64("SELECT count(*) FROM suggestions"), 3);
    env.ok(&["forget", "ana", "--yes"]);
    assert_eq!(
        env.query_string("SELECT group_concat(action, '|') FROM suggestions"),
        "win-back call",
        "only Bo's suggestion is left"
    );
}

#[test]
fn a_read_only_database_shows_advice_and_records_nothing() {
    use rapport::domain::Stage;
    use rapport::store::{ShownActions, Store};
    let env = Env::new();
    lapsed_clients(&env, &["Ana Ruiz"]);
    let store = Store::open(&env.db).unwrap();
    store.conn().execute_batch("PRAGMA query_only = 1").unwrap();
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let actions = vec![
        "win-back call".to_string(),
        "retention discount".to_string(),
    ];
    let shown = ShownActions {
        contact: 1,
        stage: Stage::AtRisk,
        actions: actions.clone(),
        max: usize::MAX,
    };
    assert_eq!(store.record_shown(today, &[shown]).unwrap(), vec![actions]);
    assert_eq!(store.suggestion_count().unwrap(), 0);
}

//! Follow-ups as a user meets them on the command line: planned, listed, done (with the call that
//! did it, in one step), recurring, snoozed, edited, removed, erased with their contact, and the
//! morning agenda (`today`, `agenda`). TODAY is Monday 2026-11-23.

mod common;

use common::Env;
use serde_json::Value;

fn business(env: &Env) {
    env.ok(&["add", "Ana Ruiz"]);
    env.ok(&["add", "Bo Li"]);
}

fn list_json(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["follow-up", "list", "--format", "json"];
    full.extend_from_slice(args);
    serde_json::from_str::<Value>(&env.ok(&full))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn add_prints_the_id_and_list_shows_open_ones_oldest_due_first() {
    let env = Env::new();
    business(&env);
    let out = env.ok(&[
        "follow-up",
        "add",
        "ana",
        "call",
        "about",
        "the",
        "renewal",
        "--due",
        "2026-11-30",
    ]);
    assert_eq!(
        out,
        "Follow-up 1 for Ana Ruiz: call about the renewal (due 2026-11-30).\n"
    );
    // The alias, a time of day and a recurrence.
    let out = env.ok(&[
        "fu",
        "add",
        "bo",
        "weekly check-in",
        "--due",
        "2026-11-20 09:30",
        "--every",
        "every 1w",
    ]);
    assert_eq!(
        out,
        "Follow-up 2 for Bo Li: weekly check-in (due 2026-11-20 09:30, every 1w).\n"
    );
    let rows = list_json(&env, &[]);
    assert_eq!(rows.len(), 2);
    // Oldest due first: Bo's (overdue since the 20th) before Ana's.
    assert_eq!(rows[0]["id"], 2);
    assert_eq!(rows[0]["contact"], "Bo Li");
    assert_eq!(rows[0]["due"], "2026-11-20T09:30");
    assert_eq!(rows[0]["every"], "1w");
    assert_eq!(rows[0]["source"], "manual");
    assert!(rows[0]["done_at"].is_null());
    assert_eq!(rows[1]["text"], "call about the renewal");
    assert!(rows[1]["every"].is_null());
    let overdue = list_json(&env, &["--overdue"]);
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(list_json(&env, &["--contact", "ana"]).len(), 1);
    let table = env.ok(&["follow-up", "list"]);
    assert!(table.starts_with("ID  CONTACT"), "{table}");
    let csv = env.ok(&["follow-up", "list", "--format", "csv"]);
    assert!(
        csv.starts_with("id,contact,text,due,every,source,done_at\n"),
        "{csv}"
    );
}

#[test]
fn done_with_log_records_the_call_in_the_same_step() {
    let env = Env::new();
    business(&env);
    env.ok(&[
        "fu",
        "add",
        "ana",
        "call about the renewal",
        "--due",
        "2026-11-23",
    ]);
    let calls = || env.query_i64("SELECT count(*) FROM interactions WHERE kind = 'call'");
    assert_eq!(calls(), 0);
    let out = env.ok(&[
        "fu", "done", "1", "--log", "call", "she", "renews", "in", "January",
    ]);
    assert!(
        out.starts_with("Done: follow-up 1 (call about the renewal); logged a call."),
        "{out}"
    );
    assert_eq!(calls(), 1);
    assert_eq!(
        env.query_string("SELECT summary FROM interactions WHERE kind = 'call'"),
        "she renews in January"
    );
    assert!(list_json(&env, &[]).is_empty());
    let all = list_json(&env, &["--all"]);
    assert_eq!(all.len(), 1);
    assert!(all[0]["done_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-23T"));
    // Done twice, a bad kind or a bad id: one sentence each, nothing written (neither the call
    // nor the follow-up change).
    assert!(env
        .fails(&["fu", "done", "1", "--log", "call"])
        .contains("already done"));
    env.ok(&["fu", "add", "bo", "send the quote", "--due", "tomorrow"]);
    let msg = env.fails(&["fu", "done", "2", "--log", "fax"]);
    assert_eq!(
        msg,
        "--log 'fax' is not a kind of touch; use call, email, meeting or note"
    );
    let msg = env.fails(&["fu", "done", "abc"]);
    assert_eq!(
        msg,
        "follow-up id 'abc' is not a number; `rapport follow-up list` shows their ids"
    );
    let msg = env.fails(&["fu", "done", "77"]);
    assert_eq!(
        msg,
        "there is no follow-up 77; `rapport follow-up list` shows their ids"
    );
}

#[test]
fn a_recurring_follow_up_rolls_forward_and_keeps_its_history() {
    let env = Env::new();
    business(&env);
    // Due on Monday the 9th, every two weeks; done (late) today, the 23rd: the next date keeps
    // the fortnightly Mondays and lies after today.
    env.ok(&[
        "fu",
        "add",
        "bo",
        "check in",
        "--due",
        "2026-11-09",
        "--every",
        "2w",
    ]);
    let out = env.ok(&["fu", "done", "1"]);
    assert_eq!(out, "Done: follow-up 1 (check in); next due 2026-12-07.\n");
    let open = list_json(&env, &[]);
    assert_eq!(open.len(), 1);
    assert_eq!(
        (open[0]["id"].as_i64(), open[0]["due"].as_str()),
        (Some(1), Some("2026-12-07"))
    );
    let all = list_json(&env, &["--all"]);
    assert_eq!(all.len(), 2, "the done occurrence is kept: {all:?}");
    let done: Vec<&Value> = all.iter().filter(|r| !r["done_at"].is_null()).collect();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0]["due"], "2026-11-09");
    // Monthly from the 31st clamps to the month's end.
    env.ok(&[
        "fu",
        "add",
        "ana",
        "invoice",
        "--due",
        "2026-10-31",
        "--every",
        "1m",
    ]);
    let out = env.ok(&["fu", "done", "3"]);
    assert_eq!(out, "Done: follow-up 3 (invoice); next due 2026-11-30.\n");
}

#[test]
fn snooze_edit_and_rm() {
    let env = Env::new();
    business(&env);
    env.ok(&["fu", "add", "ana", "call", "--due", "today"]);
    assert_eq!(
        env.ok(&["fu", "snooze", "1", "2026-12-02"]),
        "Follow-up 1 put off to 2026-12-02.\n"
    );
    assert!(!env
        .query_string("SELECT snoozed_at FROM follow_ups WHERE id = 1")
        .is_empty());
    assert_eq!(
        env.ok(&[
            "fu",
            "edit",
            "1",
            "--text",
            "call about the launch",
            "--every",
            "3m"
        ]),
        "Follow-up 1: call about the launch (due 2026-12-02, every 3m).\n"
    );
    assert_eq!(
        env.ok(&["fu", "edit", "1", "--every", "off"]),
        "Follow-up 1: call about the launch (due 2026-12-02).\n"
    );
    assert!(env
        .fails(&["fu", "snooze", "1", "someday"])
        .contains("'someday'"));
    assert!(env
        .fails(&["fu", "edit", "1", "--every", "sometimes"])
        .starts_with("--every: recurrence 'sometimes'"));
    assert!(env
        .fails(&["fu", "edit", "1", "--text", "  "])
        .contains("text is empty"));
    assert!(env
        .fails(&["fu", "add", "ana", "x", "--due", "next blue moon"])
        .starts_with("--due: "));
    assert!(env
        .fails(&["fu", "add", "zed", "x", "--due", "today"])
        .contains("zed"));
    assert_eq!(
        env.ok(&["fu", "rm", "1"]),
        "Deleted follow-up 1: call about the launch.\n"
    );
    assert!(list_json(&env, &["--all"]).is_empty());
    assert!(env.fails(&["fu", "rm", "1"]).contains("no follow-up 1"));
}

#[test]
fn forget_erases_a_contacts_follow_ups() {
    let env = Env::new();
    business(&env);
    env.ok(&["fu", "add", "ana", "call", "--due", "today"]);
    env.ok(&["fu", "add", "bo", "email", "--due", "today"]);
    env.ok(&["fu", "done", "1"]);
    env.ok(&["forget", "ana", "--yes"]);
    let left = list_json(&env, &["--all"]);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["contact"], "Bo Li");
    assert_eq!(env.query_i64("SELECT count(*) FROM follow_ups"), 1);
}

#[test]
fn today_shows_overdue_due_today_and_the_at_risk_without_a_plan() {
    // Without automation, so that Ana's entry into At risk plans nothing by itself.
    let env = Env::new().with_config("[follow_ups.on_enter]\nat_risk = 0\nnew = 0\n");
    // Nothing at all: a calm morning, exit 0.
    assert!(env
        .empty_database()
        .ok(&["today"])
        .ends_with("Nothing due and nobody at risk without a plan.\n"));
    business(&env);
    // Ana bought every two months until August: slipping, At risk by the stated rule.
    for date in ["2026-04-01", "2026-06-01", "2026-08-01"] {
        env.ok(&["log", "purchase", "ana", "900", "--date", date]);
    }
    env.ok(&["fu", "add", "bo", "send the quote", "--due", "2026-11-20"]);
    env.ok(&["fu", "add", "bo", "call back", "--due", "2026-11-23 15:00"]);
    env.ok(&["fu", "add", "bo", "later", "--due", "2026-11-30"]);
    let text = env.ok(&["today"]);
    assert!(
        text.starts_with("Today, Monday 23 November 2026\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "Overdue (1)\n  #1    Bo Li — send the quote (due 2026-11-20, 3 days late)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("Due today (1)\n  #2    Bo Li — call back (at 15:00)\n"),
        "{text}"
    );
    assert!(
        text.contains("At risk with nothing planned (1 of 1 at risk)\n  Ana Ruiz — churn"),
        "{text}"
    );
    assert!(text.contains("→ win-back call"), "{text}");
    assert!(!text.contains("later"), "{text}");
    let doc: Value = serde_json::from_str(&env.ok(&["today", "--format", "json"])).unwrap();
    assert_eq!(doc["date"], "2026-11-23");
    assert_eq!(doc["overdue"][0]["text"], "send the quote");
    assert_eq!(doc["today"][0]["due"], "2026-11-23T15:00");
    assert_eq!(doc["suggested"][0]["contact"], "Ana Ruiz");
    assert_eq!(doc["suggested"][0]["action"], "win-back call");
    assert_eq!(
        (doc["overdue_count"].as_i64(), doc["today_count"].as_i64()),
        (Some(1), Some(1))
    );
    // A long backlog is cut with a pointer to the rest; the count stays whole.
    env.ok(&["fu", "add", "bo", "older", "--due", "2026-11-10"]);
    let text = env.ok(&["today", "--limit", "1"]);
    assert!(
        text.contains("Overdue (2)\n  #4    Bo Li — older (due 2026-11-10, 13 days late)\n  … and 1 more (rapport follow-up list --overdue)\n"),
        "{text}"
    );
    // Once Ana has a plan, she is no longer suggested.
    env.ok(&["fu", "add", "ana", "win-back call", "--due", "2026-11-25"]);
    let doc: Value = serde_json::from_str(&env.ok(&["today", "--format", "json"])).unwrap();
    assert_eq!(doc["suggested"].as_array().unwrap().len(), 0, "{doc}");
}

#[test]
fn agenda_groups_the_coming_days_with_overdue_ones_on_today() {
    let env = Env::new();
    business(&env);
    assert_eq!(
        env.ok(&["agenda"]),
        "Nothing planned from 2026-11-23 to 2026-11-29.\n"
    );
    env.ok(&["fu", "add", "bo", "late one", "--due", "2026-11-19"]);
    env.ok(&["fu", "add", "ana", "wednesday call", "--due", "2026-11-25"]);
    env.ok(&["fu", "add", "ana", "far off", "--due", "2026-12-25"]);
    let text = env.ok(&["agenda", "--days", "3"]);
    assert_eq!(
        text,
        "Mon 2026-11-23\n  #1    Bo Li — late one (due 2026-11-19, 4 days late)\n\
         Wed 2026-11-25\n  #2    Ana Ruiz — wednesday call (due 2026-11-25)\n"
    );
    let doc: Value =
        serde_json::from_str(&env.ok(&["agenda", "--days", "3", "--format", "json"])).unwrap();
    let days = doc["days"].as_array().unwrap();
    assert_eq!(days.len(), 3);
    assert_eq!(days[1]["date"], "2026-11-24");
    assert!(days[1]["follow_ups"].as_array().unwrap().is_empty());
    assert_eq!(days[2]["follow_ups"][0]["id"], 2);
}

#[test]
fn stay_in_touch_falls_due_after_the_last_interaction_of_any_kind() {
    let env = Env::new();
    business(&env);
    env.log(&["call", "ana", "catch-up", "--date", "2026-10-01"]);
    env.ok(&["edit", "ana", "--stay-in-touch", "30d"]);
    // Due since 2026-10-31.
    let doc: Value = serde_json::from_str(&env.ok(&["today", "--format", "json"])).unwrap();
    assert_eq!(doc["stay_in_touch"][0]["contact"], "Ana Ruiz");
    assert_eq!(doc["stay_in_touch"][0]["due"], "2026-10-31");
    let text = env.ok(&["today"]);
    assert!(
        text.contains(
            "Stay in touch (1)\n  Ana Ruiz — every 30d (own); last touch 2026-10-01, due 23 days ago\n"
        ),
        "{text}"
    );
    // Any touch resets it: a purchase last week.
    env.ok(&["log", "purchase", "ana", "100", "--date", "2026-11-16"]);
    let doc: Value = serde_json::from_str(&env.ok(&["today", "--format", "json"])).unwrap();
    assert!(doc["stay_in_touch"].as_array().unwrap().is_empty(), "{doc}");
    // A contact never touched counts from when they were added (today): not due yet.
    env.ok(&["edit", "bo", "--stay-in-touch", "2w"]);
    let doc: Value = serde_json::from_str(&env.ok(&["today", "--format", "json"])).unwrap();
    assert!(doc["stay_in_touch"].as_array().unwrap().is_empty(), "{doc}");
    // Off stops it (kept as `off`, so no config cadence takes over: tests/cli_cadence.rs); a
    // bad cadence is one sentence and changes nothing.
    env.ok(&["edit", "ana", "--stay-in-touch", "off"]);
    assert_eq!(
        env.query_i64("SELECT count(*) FROM contacts WHERE stay_in_touch = 'off'"),
        1
    );
    assert!(env
        .fails(&["edit", "bo", "--stay-in-touch", "often"])
        .starts_with("--stay-in-touch: recurrence 'often'"));
}

/// The natural forms reach the commands (the full table lives with the parser).
#[test]
fn due_dates_take_the_natural_forms() {
    let env = Env::new();
    business(&env);
    for (when, due) in [
        ("friday", "2026-11-27"),
        ("next friday", "2026-11-27"),
        ("in 3 days", "2026-11-26"),
        ("2w", "2026-12-07"),
        ("eow", "2026-11-29"),
        ("eom", "2026-11-30"),
        ("tomorrow 09:30", "2026-11-24T09:30"),
    ] {
        env.ok(&["fu", "add", "ana", when, "--due", when]);
        let rows = list_json(&env, &["--all"]);
        let row = rows.iter().find(|r| r["text"] == when).unwrap();
        assert_eq!(row["due"], due, "{when}");
    }
    let msg = env.fails(&["fu", "add", "ana", "x", "--due", "whenever"]);
    assert!(
        msg.starts_with("--due: ") && msg.contains("'whenever'"),
        "{msg}"
    );
}

#[test]
fn show_lists_a_contacts_open_follow_ups() {
    let env = Env::new();
    business(&env);
    env.ok(&[
        "fu",
        "add",
        "ana",
        "call about the launch",
        "--due",
        "2026-11-30",
        "--every",
        "1m",
    ]);
    env.ok(&["fu", "add", "ana", "old promise", "--due", "2026-11-01"]);
    env.ok(&["fu", "done", "2"]);
    let text = env.ok(&["show", "ana"]);
    assert!(
        text.contains("Follow-ups:\n  #1    due 2026-11-30, every 1m — call about the launch\n"),
        "{text}"
    );
    assert!(!text.contains("old promise"), "{text}");
    let json: Value = serde_json::from_str(&env.ok(&["show", "ana", "--format", "json"])).unwrap();
    assert_eq!(json["follow_ups"][0]["text"], "call about the launch");
    assert_eq!(json["follow_ups"].as_array().unwrap().len(), 1);
    assert!(!env.ok(&["show", "bo"]).contains("Follow-ups:"));
}

/// Automation (config `follow_ups.on_enter`, on by default for New and At risk): entering a stage
/// plans that stage's first action once, named in the output; a re-score that leaves the stage
/// as it was plans nothing more.
#[test]
fn entering_a_stage_plans_its_first_action_once() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    // A lead's first purchase: New, and a welcome message due in a week.
    let out = env.ok(&["log", "purchase", "ana", "900"]);
    assert!(
        out.contains("stage Lead → New")
            && out.contains("; follow-up 1 planned: welcome message (due 2026-11-30)"),
        "{out}"
    );
    env.ok(&["log", "purchase", "ana", "300"]);
    let rows = list_json(&env, &[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["source"].as_str(), rows[0]["text"].as_str()),
        (Some("rule"), Some("welcome message"))
    );
    // Bo's purchases, logged today, already put him in At risk: a win-back call in two days.
    env.ok(&["add", "Bo Li"]);
    for date in ["2026-04-01", "2026-06-01", "2026-08-01"] {
        env.ok(&["log", "purchase", "bo", "500", "--date", date]);
    }
    // Cy buys every two months and is Active today (logged newest first, so he passes through
    // New, not At risk); the refit of a day in February finds him slipping: At risk, and a
    // win-back call — once, however often it re-scores.
    env.ok(&["add", "Cy Park"]);
    for date in ["2026-11-01", "2026-09-01", "2026-07-01"] {
        env.ok(&["log", "purchase", "cy", "500", "--date", date]);
    }
    let later = |args: &[&str]| {
        let mut cmd = env.bare();
        cmd.arg("--db")
            .arg(&env.db)
            .arg("--config")
            .arg(&env.config)
            .arg("--as-of")
            .arg("2027-02-20");
        cmd.args(args);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    later(&["score", "--refit"]);
    later(&["score", "--refit"]);
    let rule_rows: Vec<Value> =
        serde_json::from_str::<Value>(&later(&["fu", "list", "--format", "json"]))
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["text"] == "win-back call")
            .cloned()
            .collect();
    assert_eq!(rule_rows.len(), 2, "{rule_rows:?}");
    assert_eq!(
        (
            rule_rows[0]["contact"].as_str(),
            rule_rows[0]["due"].as_str()
        ),
        (Some("Bo Li"), Some("2026-11-25"))
    );
    assert_eq!(
        (
            rule_rows[1]["contact"].as_str(),
            rule_rows[1]["due"].as_str()
        ),
        (Some("Cy Park"), Some("2027-02-22"))
    );
}

#[test]
fn a_rule_can_be_switched_off() {
    let env = Env::new().with_config("[follow_ups.on_enter]\nnew = 0\nat_risk = 0\n");
    env.ok(&["add", "Ana Ruiz"]);
    let out = env.ok(&["log", "purchase", "ana", "900"]);
    assert!(!out.contains("planned"), "{out}");
    assert!(list_json(&env, &["--all"]).is_empty());
    let bad = Env::new().with_config("[follow_ups.on_enter]\nlead = 3\n");
    let run = bad.run(&["today"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("follow_ups.on_enter.lead is not a stage a client can enter"),
        "{}",
        run.stderr
    );
}

/// Several sessions logging a lead's first purchase at once: the rule still plans exactly one.
#[test]
fn concurrent_writers_plan_one_follow_up_per_entry() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    let children: Vec<_> = (0..4)
        .map(|i| {
            env.command(&["log", "purchase", "ana", &format!("{}", 100 + i)])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        env.query_i64("SELECT count(*) FROM interactions WHERE kind = 'purchase'"),
        4
    );
    assert_eq!(
        env.query_i64("SELECT count(*) FROM follow_ups WHERE source = 'rule'"),
        1
    );
}

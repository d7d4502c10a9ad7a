//! `rapport report`: every figure of a hand-computed fixture (three months with a month without
//! purchases, a zero-amount purchase, a client back after a gap), the JSON shape, what has no
//! data, the running period, the backfill, and bad options. TODAY is 2026-11-23.

mod common;

use common::Env;
use serde_json::Value;

/// July backs August's retention; August to October are reported.
///
/// | month | purchases                                   | feedback                    |
/// |-------|---------------------------------------------|-----------------------------|
/// | Jul   | Ana 100 Website, Bo 50 Logo                 |                             |
/// | Aug   | Ana 200 Website, Cy 0 Audit, Ana 100 Hosting | Ana 5/5/5 (1.0), Cy 1/1/1 (0.0) |
/// | Sep   | none                                        |                             |
/// | Oct   | Bo 300 Logo, Di 600 Website, Ana 100 Website | Di 4/3/5 (0.75)             |
fn fixture() -> Env {
    let env = Env::new();
    for name in ["Ana Ruiz", "Bo Li", "Cy Dee", "Di Ode"] {
        env.ok(&["add", name]);
    }
    for (who, amount, item, date) in [
        ("ana", "100", "Website", "2026-07-10"),
        ("bo", "50", "Logo", "2026-07-20"),
        ("ana", "200", "Website", "2026-08-03"),
        ("cy", "0", "Audit", "2026-08-15"),
        ("ana", "100", "Hosting", "2026-08-31"),
        ("bo", "300", "Logo", "2026-10-01"),
        ("di", "600", "Website", "2026-10-12"),
        ("ana", "100", "Website", "2026-10-31"),
    ] {
        env.log(&["purchase", who, amount, "--item", item, "--date", date]);
    }
    for (who, stars, date) in [
        ("ana", ["quality=5", "price=5", "service=5"], "2026-08-04"),
        ("cy", ["quality=1", "price=1", "service=1"], "2026-08-16"),
        ("di", ["quality=4", "price=3", "service=5"], "2026-10-13"),
    ] {
        let mut args = vec!["feedback", who];
        args.extend(stars);
        args.extend(["--date", date]);
        env.log(&args);
    }
    env
}

fn report(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["report", "--format", "json"];
    full.extend_from_slice(args);
    let value: Value = serde_json::from_str(&env.ok(&full)).unwrap();
    assert_eq!(value["amounts_in"], "minor units (cents)");
    value["periods"].as_array().unwrap().clone()
}

fn close(value: &Value, want: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - want).abs() < 1e-9)
}

#[test]
fn every_figure_of_a_hand_computed_fixture() {
    let env = fixture();
    let months = report(&env, &["--from", "2026-08-01", "--to", "2026-10-31"]);
    let labels: Vec<&str> = months
        .iter()
        .map(|m| m["period"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2026-08", "2026-09", "2026-10"]);
    let (aug, sep, oct) = (&months[0], &months[1], &months[2]);

    // August: Ana twice and Cy's zero-amount audit; Cy is new (Ana first bought in July); of
    // July's two buyers only Ana came back.
    assert_eq!(aug["revenue"], 30000);
    assert_eq!(aug["purchases"], 3);
    assert_eq!(aug["active_clients"], 2);
    assert_eq!(aug["new_clients"], 1);
    assert!(close(&aug["retention"], 0.5), "{aug}");
    assert!(close(&aug["satisfaction"], 0.5), "{aug}");
    assert_eq!(aug["feedback_entries"], 2);
    assert!(close(&aug["concentration"]["top_1"], 1.0));
    let services: Vec<(&str, i64)> = aug["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["item"].as_str().unwrap(), s["revenue"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        services,
        [("Website", 20000), ("Hosting", 10000), ("Audit", 0)]
    );

    // September: nothing sold, so nobody of August's came back, and shares mean nothing.
    assert_eq!(
        (&sep["revenue"], &sep["purchases"], &sep["active_clients"]),
        (&Value::from(0), &Value::from(0), &Value::from(0))
    );
    assert!(close(&sep["retention"], 0.0), "{sep}");
    assert!(sep["satisfaction"].is_null() && sep["concentration"].is_null());
    assert_eq!(sep["services"], Value::Array(Vec::new()));
    assert!(close(&sep["change"]["revenue"]["by"], -30000.0));
    assert!(close(&sep["change"]["revenue"]["percent"], -100.0));

    // October: Bo back after a gap (not new), Di new; September had no buyers to retain.
    assert_eq!(oct["revenue"], 100000);
    assert_eq!(
        (&oct["active_clients"], &oct["new_clients"]),
        (&Value::from(3), &Value::from(1))
    );
    assert!(oct["retention"].is_null(), "{oct}");
    assert!(close(&oct["satisfaction"], 0.75), "{oct}");
    assert!(close(&oct["concentration"]["top_1"], 0.6));
    assert!(close(&oct["concentration"]["top_3"], 1.0));
    assert!(close(&oct["concentration"]["top_10_percent"], 0.6));
    assert_eq!(oct["services"][0]["item"], "Website");
    assert_eq!(oct["services"][0]["revenue"], 70000);
    assert_eq!(oct["services"][0]["purchases"], 2);
    assert!(close(&oct["change"]["revenue"]["by"], 100000.0));
    assert!(oct["change"]["revenue"]["percent"].is_null(), "up from 0");

    // Rapport recorded no scores in those months: their score figures are "no data".
    for month in &months {
        for key in ["value_at_risk", "total_clv", "churned_clients", "stages"] {
            assert!(month[key].is_null(), "{key} in {}", month["period"]);
        }
    }
}

#[test]
fn the_running_month_holds_the_scores_as_kept_and_the_table_says_what_is_missing() {
    let env = fixture();
    let months = report(&env, &[]);
    let now = months.last().unwrap();
    assert_eq!(now["period"], "2026-11");
    assert_eq!(
        months.first().unwrap()["period"],
        "2026-07",
        "from the first sale"
    );
    // The snapshot is the scores summed: Σ churn × CLV and Σ CLV in cents, one client per row.
    let sums = env.query_string(
        "SELECT count(*) || ' ' || sum(CAST(round(clv * 100) AS INTEGER)) || ' '
                || sum(CAST(round(coalesce(churn_probability, 0) * clv * 100) AS INTEGER))
         FROM scores",
    );
    let kept = format!(
        "{} {} {}",
        now["stages"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_i64().unwrap())
            .sum::<i64>(),
        now["total_clv"],
        now["value_at_risk"]
    );
    assert_eq!(kept, sums);
    assert_eq!(now["scores_recomputed"], false);

    let table = env.ok(&["report", "--from", "2026-09-01"]);
    assert!(table.starts_with("PERIOD   REVENUE"), "{table}");
    assert!(
        table.contains("2026-11 so far (day 23 of 30) against 2026-10:"),
        "{table}"
    );
    assert!(table.contains("value at risk    no data yet"), "{table}");
    assert!(
        table.contains("Score figures as Rapport recorded them"),
        "{table}"
    );
}

#[test]
fn a_backfill_recomputes_the_months_before_rapport_kept_scores() {
    let env = fixture();
    let out = env.ok(&["score", "--backfill", "3"]);
    assert!(
        out.contains("Recomputed the overview's score figures of 3 months (2026-08 to 2026-10)"),
        "{out}"
    );
    let months = report(&env, &["--from", "2026-08-01", "--to", "2026-10-31"]);
    for month in &months {
        assert_eq!(month["scores_recomputed"], true, "{}", month["period"]);
        assert!(month["value_at_risk"].is_i64() && month["churned_clients"].is_u64());
    }
    // Clients counted as of each month's end: all were added today, but what they bought is
    // older; Di first bought in October.
    let clients = |m: &Value| -> i64 {
        m["stages"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_i64().unwrap())
            .sum()
    };
    assert_eq!(months.iter().map(clients).collect::<Vec<_>>(), [3, 3, 4]);
    // A second backfill recomputes the same months again; the stage moves read.
    let again = env.ok(&["score", "--backfill", "3"]);
    assert!(again.contains("3 months"), "{again}");
    let moves: Vec<Value> =
        serde_json::from_str(&env.ok(&["report", "segments", "--format", "json"])).unwrap();
    assert!(
        moves.iter().all(|m| m["clients"].as_i64().unwrap() > 0),
        "{moves:?}"
    );
}

#[test]
fn bad_report_options_are_one_sentence() {
    let env = fixture();
    assert_eq!(
        env.fails(&["report", "--from", "2026-10-01", "--to", "2026-09-01"]),
        "--from 2026-10-01 is after --to 2026-09-01"
    );
    let bad = env.fails(&["report", "--from", "someday"]);
    assert!(
        bad.starts_with("--from: ") && bad.contains("someday"),
        "{bad}"
    );
    // Before the first sale: the period asked for, with nothing in it.
    let before = report(&env, &["--to", "2026-06-30"]);
    let labels: Vec<&str> = before
        .iter()
        .map(|m| m["period"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2026-06"]);
    assert_eq!(before[0]["revenue"], 0);
    let empty = Env::new();
    assert_eq!(
        empty.empty_database().ok(&["report"]),
        "Nothing sold yet: the overview starts with the first purchase (`rapport log purchase`).\n"
    );
}

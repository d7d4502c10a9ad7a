//! `add`, `edit`, `show`, `list` and how a typed contact is resolved.

mod common;

use common::{Env, TODAY};

/// `show` output with the `Since` line (creation time of day depends on the clock) checked and removed,
/// and without the scores block (scoring has its own tests).
fn show_text(env: &Env, contact: &str) -> String {
    let text = env.ok(&["show", contact]);
    let mut kept = Vec::new();
    let mut in_scores = false;
    for line in text.lines() {
        if line.starts_with("Scores (") {
            in_scores = true;
        } else if in_scores {
            in_scores = !line.is_empty();
        } else if let Some(since) = line.strip_prefix("  Since        ") {
            assert!(since.starts_with(TODAY), "created today: {line}");
        } else {
            kept.push(line);
        }
    }
    kept.join("\n") + "\n"
}

fn ana_with_history(env: &Env) {
    env.ok(&["add", "Bo Li", "--external-id", "C-2"]);
    let out = env.ok(&[
        "add",
        "Ana Ruiz",
        "--email",
        "ana@ruiz.example",
        "--phone",
        "+34 600 000 000",
        "--company",
        "Ruiz Design",
        "--tag",
        "vip",
        "--tag",
        "web",
        "--external-id",
        "C-1",
        "--referred-by",
        "bo",
        "--note",
        "Met at \"Codemotion\", Madrid\nprefers mornings",
    ]);
    assert_eq!(out, "Added Ana Ruiz (#2).\n");
    env.ok(&[
        "log",
        "call",
        "ana",
        "renewal",
        "next",
        "month",
        "--date",
        "2026-11-19 09:30",
    ]);
    env.ok(&[
        "log",
        "purchase",
        "ana",
        "1,200.50",
        "--item",
        "Website redesign",
        "--date",
        "2026-11-20",
    ]);
    env.ok(&[
        "log",
        "feedback",
        "ana",
        "quality=5",
        "price=4",
        "--note",
        "great work",
        "--date",
        "2026-11-21",
    ]);
}

#[test]
fn add_stores_every_field_and_show_prints_the_card_totals_and_timeline() {
    let env = Env::new();
    ana_with_history(&env);
    // Her first purchase made her New, and the default rule planned a welcome a week later.
    assert_eq!(
        show_text(&env, "ana"),
        "Ana Ruiz (#2)
  External id  C-1
  Company      Ruiz Design
  Email        ana@ruiz.example
  Phone        +34 600 000 000
  Tags         vip, web
  Referred by  Bo Li
  Note:
    Met at \"Codemotion\", Madrid
    prefers mornings

Totals: 1 purchase, 1,200.50 EUR spent, 3 interactions, 1 feedback entry
First purchase 2026-11-20, last purchase 2026-11-20

Follow-ups:
  #1    due 2026-11-30 — welcome message

Recent interactions:
  2026-11-21       feedback  quality=5 price=4  great work
  2026-11-20       purchase  1,200.50 EUR  Website redesign
  2026-11-19 09:30 call      renewal next month
"
    );
    let row: (String, String, String, String, String, String, i64) = env
        .sql()
        .query_row(
            "SELECT external_id, name, email, phone, company, note, referred_by FROM contacts WHERE id = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        (
            "C-1".into(),
            "Ana Ruiz".into(),
            "ana@ruiz.example".into(),
            "+34 600 000 000".into(),
            "Ruiz Design".into(),
            "Met at \"Codemotion\", Madrid\nprefers mornings".into(),
            1
        )
    );
}

#[test]
fn show_as_json_holds_the_contact_totals_and_interactions() {
    let env = Env::new();
    ana_with_history(&env);
    let value: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "C-1", "--format", "json"])).unwrap();
    assert_eq!(value["contact"]["name"], "Ana Ruiz");
    assert_eq!(value["contact"]["tags"], serde_json::json!(["vip", "web"]));
    assert_eq!(
        value["contact"]["note"],
        "Met at \"Codemotion\", Madrid\nprefers mornings"
    );
    assert_eq!(value["referred_by_name"], "Bo Li");
    assert_eq!(value["totals"]["purchases"], 1);
    assert_eq!(value["totals"]["total_spent"], 120050);
    assert_eq!(value["totals"]["interactions"], 3);
    let recent = value["recent_interactions"].as_array().unwrap();
    let kinds: Vec<&str> = recent.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["feedback", "purchase", "call"]);
    assert_eq!(
        recent[0]["ratings"],
        serde_json::json!([{"dimension": "quality", "stars": 5}, {"dimension": "price", "stars": 4}])
    );
    assert_eq!(recent[1]["amount"], 120050);
    // Bo made one referral.
    let bo: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "bo", "--format", "json"])).unwrap();
    assert_eq!(bo["referrals_made"], 1);
}

#[test]
fn bad_input_to_add_is_refused_with_the_field_and_value_and_nothing_is_written() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    let cases: [(&[&str], &str); 6] = [
        (&["add", ""], "name '' is empty; a contact needs a name"),
        (
            &["add", "   "],
            "name '   ' is empty; a contact needs a name",
        ),
        (
            &["add", "Bo", "--email", "bo.example"],
            "email 'bo.example' is not an email address",
        ),
        (
            &["add", "Bo", "--external-id", "C-1"],
            "external id 'C-1' already belongs to Ana Ruiz",
        ),
        (
            &["add", "Bo", "--tag", "a,b"],
            "tag 'a,b' contains a comma; give each tag separately",
        ),
        (
            &["add", "Bo", "--referred-by", "nobody"],
            "--referred-by: no contact matches 'nobody'",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(env.fails(args), expected, "{args:?}");
    }
    env.usage_error(&["add"]);
    env.usage_error(&["add", "Bo", "--colour", "red"]);
}

#[test]
fn edit_changes_only_the_options_given() {
    let env = Env::new();
    env.ok(&["add", "Bo Li"]);
    env.ok(&[
        "add",
        "Ana Ruiz",
        "--email",
        "ana@old.example",
        "--tag",
        "vip",
        "--company",
        "Old Co",
        "--external-id",
        "C-1",
    ]);
    assert_eq!(
        env.ok(&[
            "edit",
            "ana",
            "--name",
            "Ana María Ruiz",
            "--email",
            "ana@new.example",
            "--tag",
            "web",
            "--referred-by",
            "bo"
        ]),
        "Updated Ana María Ruiz (#2).\n"
    );
    assert_eq!(
        show_text(&env, "C-1"),
        "Ana María Ruiz (#2)
  External id  C-1
  Company      Old Co
  Email        ana@new.example
  Tags         vip, web
  Referred by  Bo Li

Totals: 0 purchases, 0 EUR spent, 0 interactions, 0 feedback entries

Recent interactions:
  (none yet)
"
    );
    // An empty value clears an optional field; --clear-tags removes the tags.
    env.ok(&["edit", "C-1", "--company", "", "--clear-tags"]);
    let (company, tags): (Option<String>, String) = env
        .sql()
        .query_row("SELECT company, tags FROM contacts WHERE id = 2", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((company, tags.as_str()), (None, ""));
}

#[test]
fn bad_input_to_edit_is_refused_and_nothing_changes() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    env.ok(&["add", "Bo Li", "--external-id", "C-2"]);
    let cases: [(&[&str], &str); 6] = [
        (
            &["edit", "bo"],
            "nothing to change for Bo Li; give at least one option such as --email",
        ),
        (
            &["edit", "bo", "--external-id", "C-1"],
            "external id 'C-1' already belongs to Ana Ruiz",
        ),
        (
            &["edit", "bo", "--email", "bo at li"],
            "email 'bo at li' is not an email address",
        ),
        (
            &["edit", "bo", "--name", " "],
            "name ' ' is empty; a contact needs a name",
        ),
        (
            &["edit", "bo", "--referred-by", "bo li"],
            "referred-by names the contact itself; a contact cannot refer itself",
        ),
        (
            &["edit", "zed", "--email", "z@z.example"],
            "no contact matches 'zed'",
        ),
    ];
    for (args, expected) in cases {
        assert_eq!(env.fails(args), expected, "{args:?}");
    }
}

#[test]
fn contacts_resolve_by_external_id_then_exact_name_then_unique_prefix_or_substring() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "ana"]);
    env.ok(&["add", "Ana", "--external-id", "X-2"]);
    env.ok(&["add", "Anabel Sousa"]);
    env.ok(&["add", "Bo Li"]);
    env.ok(&["add", "Carla Lima"]);
    let who = |query: &str| {
        let value: serde_json::Value =
            serde_json::from_str(&env.ok(&["show", query, "--format", "json"])).unwrap();
        value["contact"]["name"].as_str().unwrap().to_string()
    };
    assert_eq!(who("ana"), "Ana Ruiz", "an exact external id comes first");
    assert_eq!(who("ANA"), "Ana", "then an exact name in any case");
    assert_eq!(who("X-2"), "Ana");
    assert_eq!(who("anab"), "Anabel Sousa", "then a unique prefix");
    assert_eq!(who("sousa"), "Anabel Sousa", "then a unique substring");
    assert_eq!(who("bo"), "Bo Li");
    assert_eq!(
        env.fails(&["show", "an"]),
        "contact 'an' is ambiguous; it matches Ana (X-2), Ana Ruiz (ana), Anabel Sousa (#3)"
    );
    assert_eq!(
        env.fails(&["show", "li"]),
        "contact 'li' is ambiguous; it matches Bo Li (#4), Carla Lima (#5)"
    );
    assert_eq!(env.fails(&["show", "zed"]), "no contact matches 'zed'");
    assert_eq!(
        env.fails(&["log", "call", "li", "hello"]),
        "contact 'li' is ambiguous; it matches Bo Li (#4), Carla Lima (#5)"
    );
    assert_eq!(
        env.fails(&["log", "call", "zed"]),
        "no contact matches 'zed'"
    );
    // LIKE wildcards are literal.
    assert_eq!(env.fails(&["show", "%"]), "no contact matches '%'");
    assert_eq!(env.fails(&["show", "_"]), "no contact matches '_'");
}

#[test]
fn list_contacts_as_a_table_csv_and_json_with_search_and_limit() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Carla Lima",
        "--company",
        "Lima & Co",
        "--email",
        "carla@lima.example",
    ]);
    env.ok(&["add", "Ana Ruiz", "--tag", "vip", "--tag", "web"]);
    env.ok(&["add", "Bo Li", "--company", "Li Studio"]);
    env.ok(&["log", "call", "ana", "--date", "2026-11-20"]);
    assert_eq!(
        env.ok(&["list", "contacts"]),
        "ID  NAME        COMPANY    EMAIL               TAGS     LAST_TOUCH
2   Ana Ruiz                                   vip,web  2026-11-20
3   Bo Li       Li Studio
1   Carla Lima  Lima & Co  carla@lima.example
"
    );
    assert_eq!(
        env.ok(&["list", "contacts", "--search", "li", "--format", "csv"]),
        "id,name,company,email,tags,last_touch\n3,Bo Li,Li Studio,,,\n1,Carla Lima,Lima & Co,carla@lima.example,,\n"
    );
    assert_eq!(
        env.ok(&["list", "contacts", "--search", "VIP", "--format", "csv"]),
        "id,name,company,email,tags,last_touch\n2,Ana Ruiz,,,\"vip,web\",2026-11-20\n"
    );
    assert_eq!(
        env.ok(&["list", "contacts", "--limit", "1", "--format", "csv"]),
        "id,name,company,email,tags,last_touch\n2,Ana Ruiz,,,\"vip,web\",2026-11-20\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["list", "contacts", "--format", "json"])).unwrap();
    assert_eq!(
        json[0],
        serde_json::json!({"id": 2, "name": "Ana Ruiz", "company": null, "email": null, "tags": ["vip", "web"], "last_touch": "2026-11-20"})
    );
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(
        env.ok(&["list", "contacts", "--search", "nobody"]),
        "ID  NAME  COMPANY  EMAIL  TAGS  LAST_TOUCH\n"
    );
    env.usage_error(&["list", "contacts", "--limit", "many"]);
    env.usage_error(&["list", "contacts", "--format", "xml"]);
    env.usage_error(&["list", "people"]);
}

#[test]
fn list_interactions_newest_first_with_search_and_limit() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    env.ok(&["add", "Bo Li"]);
    env.ok(&["log", "call", "ana", "renewal", "--date", "2026-11-18"]);
    env.ok(&[
        "log",
        "purchase",
        "bo",
        "1200",
        "--item",
        "Logo",
        "--date",
        "2026-11-19",
    ]);
    env.ok(&[
        "log",
        "email",
        "bo",
        "invoice sent",
        "--date",
        "2026-11-20 16:05",
    ]);
    assert_eq!(
        env.ok(&["list", "interactions"]),
        "ID  DATE              CONTACT   KIND      AMOUNT  ITEM  SUMMARY
3   2026-11-20 16:05  Bo Li     email                   invoice sent
2   2026-11-19        Bo Li     purchase  1,200   Logo
1   2026-11-18        Ana Ruiz  call                    renewal
"
    );
    assert_eq!(
        env.ok(&[
            "list",
            "interactions",
            "--search",
            "logo",
            "--format",
            "csv"
        ]),
        "id,date,contact,kind,amount,item,summary\n2,2026-11-19,Bo Li,purchase,1200.00,Logo,\n"
    );
    assert_eq!(
        env.ok(&["list", "interactions", "--search", "ana", "--format", "csv"]),
        "id,date,contact,kind,amount,item,summary\n1,2026-11-18,Ana Ruiz,call,,,renewal\n"
    );
    let json: serde_json::Value = serde_json::from_str(&env.ok(&[
        "list",
        "interactions",
        "--limit",
        "2",
        "--format",
        "json",
    ]))
    .unwrap();
    let ids: Vec<i64> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [3, 2]);
}

#[test]
fn control_characters_stored_by_an_older_rapport_are_never_printed_raw() {
    let env = Env::new();
    let name = "Eve\x1b[2J\x1b]0;pwned\x07 Evil";
    let note = "line one\n\x1b[31mred\x1b[0m";
    assert_eq!(env.ok(&["add", "Eve Evil"]), "Added Eve Evil (#1).\n");
    env.ok(&[
        "log",
        "call",
        "evil",
        "about blinking",
        "--date",
        "2026-11-20",
    ]);
    env.ok(&[
        "log",
        "purchase",
        "evil",
        "5",
        "--item",
        "item",
        "--date",
        "2026-11-20",
    ]);
    // Input refuses control characters now (tests/cli_hardening.rs); before, they were stored
    // as given, and a database may still hold them.
    let conn = env.sql();
    conn.execute(
        "UPDATE contacts SET name = ?1, note = ?2, company = 'Co\x1b[1m', tags = 't\x1bx'",
        [name, note],
    )
    .unwrap();
    conn.execute(
        "UPDATE interactions SET summary = 'about \x1b[5m blinking' WHERE kind = 'call'",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE interactions SET item = 'i\x1b[8m' WHERE kind = 'purchase'",
        [],
    )
    .unwrap();
    drop(conn);
    // Shown escaped, everywhere on the terminal.
    let outputs = [
        env.run(&["show", "evil"]),
        env.run(&["show", "evil", "--format", "json"]),
        env.run(&["list", "contacts"]),
        env.run(&["list", "contacts", "--format", "csv"]),
        env.run(&["list", "contacts", "--format", "json"]),
        env.run(&["list", "interactions"]),
        env.run(&["list", "interactions", "--format", "csv"]),
        env.run(&["list", "interactions", "--format", "json"]),
        env.run(&["log", "note", "evil", "x\x1b[2Jy"]),
        env.run(&["forget", "evil"]),
    ];
    for run in &outputs {
        assert!(
            !run.stdout_bytes.contains(&0x1b),
            "ESC on stdout: {:?}",
            run.stdout
        );
        assert!(
            !run.stderr.contains('\x1b'),
            "ESC on stderr: {:?}",
            run.stderr
        );
        assert!(
            !run.stdout.contains('\x07'),
            "BEL on stdout: {:?}",
            run.stdout
        );
    }
    assert!(
        outputs[0]
            .stdout
            .starts_with("Eve\\u{1b}[2J\\u{1b}]0;pwned\\u{7} Evil (#1)\n"),
        "{}",
        outputs[0].stdout
    );
    assert!(
        outputs[0].stdout.contains("    \\u{1b}[31mred\\u{1b}[0m\n"),
        "{}",
        outputs[0].stdout
    );
    assert!(
        outputs[9].stderr.contains("Eve\\u{1b}[2J"),
        "{}",
        outputs[9].stderr
    );
    // An error message quoting the input is escaped too.
    assert_eq!(
        env.fails(&["show", "\x1b[2Jzed"]),
        "no contact matches '\\u{1b}[2Jzed'"
    );
}

#[test]
fn show_lists_similar_clients_weighed_by_how_rare_the_shared_services_are() {
    let env = Env::new();
    let contacts = "name\nAna\nBo\nCy\nDi\nEd\n";
    let run = env.run_stdin(&["import", "contacts", "-"], contacts.as_bytes());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let mut purchases = String::from("contact,date,amount,item\n");
    for (who, items) in [
        ("Ana", &["Website"][..]),
        ("Bo", &["Website"]),
        ("Ed", &["Website"]),
        ("Cy", &["Website", "Audit", "Brand", "Copy"]),
        ("Di", &["Audit", "Brand", "Copy"]),
    ] {
        for item in items {
            purchases.push_str(&format!("{who},2026-11-01,100,{item}\n"));
        }
    }
    let run = env.run_stdin(&["import", "purchases", "-"], purchases.as_bytes());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    env.ok(&["score", "--refit"]);
    let similar = |who: &str| {
        env.ok(&["show", who])
            .lines()
            .find(|l| l.starts_with("  Similar"))
            .map(str::to_string)
    };
    // Website is bought by 4 of the 5: w = ln(1 + 5/4) = 0.8109, shrink 0.8109 / 2.8109 = 0.2885.
    // Sharing only it with Cy (who also bought three services of w = ln 3.5 = 1.2528):
    // cos = 0.8109 / √(0.8109² + 3 · 1.2528²) = 0.3501 → 0.3501 · 0.2885 = 0.10.
    // Plain cosine over counts listed "Bo (1.00), Ed (1.00), Cy (0.50)".
    assert_eq!(
        similar("ana").as_deref(),
        Some("  Similar      Bo (0.29), Ed (0.29), Cy (0.10)")
    );
    // Di shares three services: cos = √3 · 1.2528 / 2.3164 = 0.9368, evidence 3.7583,
    // 0.9368 · 3.7583 / 5.7583 = 0.61; Ana, Bo and Ed only the common Website.
    assert_eq!(
        similar("cy").as_deref(),
        Some("  Similar      Di (0.61), Ana (0.10), Bo (0.10)")
    );
}

/// A lead has bought nothing to lapse from: no churn figure anywhere it could be read — "—" in
/// the table and `show`, an empty CSV field, JSON null — and a follow-up reason instead.
#[test]
fn a_lead_has_no_churn_figure_anywhere() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    env.ok(&["log", "purchase", "ana", "900", "--date", "2026-10-01"]);
    env.ok(&["add", "Lee Lead"]);
    env.ok(&["log", "call", "lee", "intro", "--date", "2026-11-03"]);
    let show = env.ok(&["show", "lee"]);
    assert!(show.contains("Churn        — (a lead"), "{show}");
    assert!(
        show.contains("lead: last contact 20 days ago; follow-up overdue by 6 days"),
        "{show}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "lee", "--format", "json"])).unwrap();
    assert!(json["scores"]["churn_probability"].is_null(), "{json}");
    let csv = env.ok(&["export", "scores"]);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let churn = header
        .iter()
        .position(|h| *h == "churn_probability")
        .unwrap();
    let lee: Vec<&str> = csv
        .lines()
        .find(|l| l.contains("Lee Lead"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(lee[churn], "", "{csv}");
    let ana: Vec<&str> = csv
        .lines()
        .find(|l| l.contains("Ana Ruiz"))
        .unwrap()
        .split(',')
        .collect();
    assert!(ana[churn].parse::<f64>().is_ok(), "{csv}");
}

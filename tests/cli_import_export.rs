//! `import contacts|purchases|interactions` (all-or-nothing, dry run, stdin) and
//! `export contacts|interactions` (CSV/JSON, `-o`), including the export → import → export round trip.

mod common;

use common::{write_file, Env};

/// Runs an import that must fail: exit 1, the bad rows on stderr, nothing on stdout, database unchanged.
/// Returns stderr's lines.
#[track_caller]
fn import_fails(env: &Env, args: &[&str], input: Option<&str>) -> Vec<String> {
    let before = env.dump();
    let run = match input {
        Some(text) => env.run_stdin(args, text.as_bytes()),
        None => env.run(args),
    };
    assert_eq!(run.code, 1, "{args:?} should fail: {}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        env.dump(),
        before,
        "{args:?} failed but changed the database"
    );
    run.stderr.lines().map(String::from).collect()
}

#[test]
fn contacts_import_with_every_column_and_referrals_in_any_order() {
    let env = Env::new();
    let csv = write_file(
        &env,
        "contacts.csv",
        "name,external_id,email,phone,company,tags,note,referred_by\n\
         Ana Ruiz,C-1,ana@ruiz.example,+34 600,Ruiz Design,\"vip, web\",\"Met at \"\"Codemotion\"\", Madrid\nprefers mornings\",Bo Li\n\
         Bo Li,C-2,,,,,,\n\
         Zoë 李,,,,,,,C-1\n",
    );
    assert_eq!(
        env.ok(&["import", "contacts", &csv]),
        "Imported 3 rows: 3 contacts, 0 interactions.\n"
    );
    assert_eq!(
        env.ok(&["list", "contacts", "--format", "csv"]),
        "id,name,company,email,tags,last_touch\n1,Ana Ruiz,Ruiz Design,ana@ruiz.example,\"vip,web\",\n2,Bo Li,,,,\n3,Zoë 李,,,,\n"
    );
    assert_eq!(
        env.query_string("SELECT note FROM contacts WHERE id = 1"),
        "Met at \"Codemotion\", Madrid\nprefers mornings"
    );
    // Ana names Bo (a later row) by name, Zoë names Ana by external id.
    assert_eq!(env.query_string("SELECT group_concat(r, ' ') FROM (SELECT id || '<-' || referred_by AS r FROM contacts ORDER BY id)"), "1<-2 3<-1");
}

#[test]
fn purchases_import_by_external_id_or_name_and_from_stdin() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    env.ok(&["add", "Bo Li"]);
    let text = "contact,date,amount,item\nC-1,2026-11-01,1200,Website\nbo li,2026-11-02,\"1,200.50\",Logo\nBo Li,yesterday,0,Pro bono\n";
    let run = env.run_stdin(&["import", "purchases", "-"], text.as_bytes());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, "Imported 3 rows: 0 contacts, 3 interactions.\n");
    assert_eq!(
        env.ok(&["list", "interactions", "--format", "csv"]),
        "id,date,contact,kind,amount,item,summary\n\
         3,2026-11-22,Bo Li,purchase,0.00,Pro bono,\n\
         2,2026-11-02,Bo Li,purchase,1200.50,Logo,\n\
         1,2026-11-01,Ana Ruiz,purchase,1200.00,Website,\n"
    );
}

#[test]
fn interactions_import_with_kinds_amounts_and_feedback_dimensions() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    let csv = write_file(
        &env,
        "interactions.csv",
        "contact,kind,date,summary,amount,item,quality,price,service\n\
         C-1,call,2026-11-01 09:30,renewal,,,,,\n\
         C-1,purchase,2026-11-02,,99.90,Audit,,,\n\
         Ana Ruiz,Feedback,2026-11-03,\"good, fast\",,,5,,3\n",
    );
    assert_eq!(
        env.ok(&["import", "interactions", &csv]),
        "Imported 3 rows: 0 contacts, 3 interactions.\n"
    );
    assert_eq!(
        env.ok(&["list", "interactions", "--format", "csv"]),
        "id,date,contact,kind,amount,item,summary\n\
         3,2026-11-03,Ana Ruiz,feedback,,,\"good, fast\"\n\
         2,2026-11-02,Ana Ruiz,purchase,99.90,Audit,\n\
         1,2026-11-01 09:30,Ana Ruiz,call,,,renewal\n"
    );
    assert_eq!(env.query_string("SELECT group_concat(r, ' ') FROM (SELECT dimension || '=' || stars AS r FROM ratings ORDER BY rowid)"), "quality=5 service=3");
}

#[test]
fn a_csv_with_some_invalid_rows_reports_each_bad_line_and_imports_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    env.ok(&["add", "Ana Other"]);
    env.ok(&["add", "ana other"]);
    let text = "contact,date,amount,item\n\
                C-1,2026-11-01,100,Good row\n\
                C-1,2026-11-02,-5,\n\
                nobody,2026-11-03,10,\n\
                C-1,2026-02-30,10,\n\
                C-1,2026-11-05,abc,\n\
                C-1,2026-11-24,10,\n\
                ana other,2026-11-06,10,\n\
                C-1,2026-11-07,10,\"multi\nline item\"\n\
                C-1,2026-11-08,\n\
                C-1,2026-11-09,1.234,\n";
    let csv = write_file(&env, "bad.csv", text);
    let expected = [
        "line 3: amount '-5' is negative; amounts must be zero or more",
        "line 4: no contact has the external id or name 'nobody'",
        "line 5: date '2026-02-30' is not a valid date (use YYYY-MM-DD, 'today', 'yesterday', '3d', '2w' or a weekday)",
        "line 6: amount 'abc' is not a valid amount (use e.g. 1200, 1200.50 or 1,200.50)",
        "line 7: date '2026-11-24' is after today (2026-11-23); a purchase cannot be in the future",
        "line 8: contact 'ana other' is ambiguous: several contacts have that name; use their external id",
        "line 9: item 'multi\\nline item' contains the control character \\u{a}; type it without control characters",
        "line 11: the row has 3 fields but the header has 4",
        "line 12: amount '1.234' is not a valid amount (use e.g. 1200, 1200.50 or 1,200.50)",
        "rapport: nothing was imported: 9 of 10 rows are invalid (listed above); fix them and import again",
    ];
    assert_eq!(
        import_fails(&env, &["import", "purchases", &csv], None),
        expected
    );
    // The same from stdin, and as a dry run.
    assert_eq!(
        import_fails(&env, &["import", "purchases", "-"], Some(text)),
        expected
    );
    assert_eq!(
        import_fails(&env, &["import", "purchases", &csv, "--dry-run"], None),
        expected
    );
    assert_eq!(env.query_i64("SELECT count(*) FROM interactions"), 0);
}

#[test]
fn bad_contact_and_interaction_rows_are_each_reported() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    let contacts = write_file(
        &env,
        "contacts.csv",
        "name,external_id,email,referred_by\n\
         Good,G-1,g@x.example,\n\
         Lost,L-1,,nobody\n\
         ,N-1,,\n\
         Bad Mail,B-1,not-an-email,\n\
         Dup,C-1,,\n\
         Twin,G-1,,\n\
         Self,S-1,,S-1\n",
    );
    assert_eq!(
        import_fails(&env, &["import", "contacts", &contacts], None),
        [
            "line 3: referred_by: no contact has the external id or name 'nobody'",
            "line 4: name is missing; a contact needs a name",
            "line 5: email 'not-an-email' is not an email address",
            "line 6: external id 'C-1' already belongs to Ana Ruiz",
            "line 7: external id 'G-1' already belongs to Good",
            "line 8: referred_by 'S-1' names the contact itself",
            "rapport: nothing was imported: 6 of 7 rows are invalid (listed above); fix them and import again",
        ]
    );
    let interactions = write_file(
        &env,
        "interactions.csv",
        "contact,kind,date,summary,amount,quality,price\n\
         C-1,call,2026-11-01,hello,,,\n\
         C-1,chat,2026-11-01,,,,\n\
         C-1,call,2026-11-01,,5,,\n\
         C-1,feedback,2026-11-01,,,,\n\
         C-1,feedback,2026-11-01,,,6,\n\
         C-1,feedback,2026-11-01,,,4,x\n",
    );
    assert_eq!(
        import_fails(&env, &["import", "interactions", &interactions], None),
        [
            "line 3: kind 'chat' is not one of call, email, meeting, note, purchase, feedback",
            "line 4: amount is only for purchases, not for a call",
            "line 5: ratings are missing; feedback needs at least one DIMENSION=STARS",
            "line 6: rating quality=6 is out of range; stars go from 1 to 5",
            "line 7: rating price=x is out of range; stars go from 1 to 5",
            "rapport: nothing was imported: 5 of 6 rows are invalid (listed above); fix them and import again",
        ]
    );
}

#[test]
fn a_bad_header_or_file_is_one_sentence() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    let unknown = write_file(&env, "unknown.csv", "name,speed\nAna,3\n");
    assert_eq!(
        env.fails(&["import", "contacts", &unknown]),
        "column 'speed' is not known; valid columns are name, id, external_id, email, phone, company, tags, note, referred_by, created_at"
    );
    let dimension = write_file(
        &env,
        "dimension.csv",
        "contact,kind,date,speed\nAna,feedback,2026-11-01,3\n",
    );
    assert_eq!(
        env.fails(&["import", "interactions", &dimension]),
        "column 'speed' is not known; valid columns are kind, date, contact, contact_id, id, summary, amount, item, quality, price, service"
    );
    let missing = write_file(&env, "missing.csv", "email\na@b.example\n");
    assert_eq!(
        env.fails(&["import", "contacts", &missing]),
        "column 'name' is missing from the header"
    );
    let missing = write_file(&env, "missing2.csv", "contact,date\nAna,2026-11-01\n");
    assert_eq!(
        env.fails(&["import", "purchases", &missing]),
        "column 'amount' is missing from the header"
    );
    let absent = env.path("absent.csv");
    assert_eq!(
        env.fails(&["import", "contacts", absent.to_str().unwrap()]),
        format!(
            "cannot read the file '{}': No such file or directory (os error 2)",
            absent.display()
        )
    );
    env.usage_error(&["import", "people", "-"]);
    env.usage_error(&["import", "contacts"]);
}

#[test]
fn a_dry_run_checks_everything_and_writes_nothing() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    let contacts = write_file(
        &env,
        "contacts.csv",
        "name,external_id\nBo Li,C-2\nCarla,C-3\n",
    );
    let before = env.dump();
    assert_eq!(
        env.ok(&["import", "contacts", &contacts, "--dry-run"]),
        "Would import 2 rows: 2 contacts, 0 interactions (dry run: nothing written).\n"
    );
    let purchases = write_file(
        &env,
        "purchases.csv",
        "contact,date,amount\nC-1,2026-11-01,10\n",
    );
    assert_eq!(
        env.ok(&["import", "purchases", &purchases, "--dry-run"]),
        "Would import 1 row: 0 contacts, 1 interaction (dry run: nothing written).\n"
    );
    assert_eq!(env.dump(), before);
    assert_eq!(
        env.ok(&["import", "contacts", &contacts]),
        "Imported 2 rows: 2 contacts, 0 interactions.\n"
    );
    assert_ne!(env.dump(), before);
}

/// A database with everything an export must carry: referrals, tags, notes with commas, newlines and
/// quotes, unicode, control characters, every interaction kind, amounts and feedback ratings.
fn rich_database(env: &Env) {
    env.ok(&[
        "add",
        "Bo Li",
        "--external-id",
        "C-2",
        "--email",
        "bo@li.example",
        "--phone",
        "+86 10 1234",
    ]);
    env.ok(&[
        "add",
        "Ana Ruiz, \"the\" designer",
        "--external-id",
        "C-1",
        "--company",
        "Ruiz, Design & Co",
        "--tag",
        "vip",
        "--tag",
        "web design",
        "--referred-by",
        "bo",
        "--note",
        "Line one, with comma\n\"quoted\" line two\r\nline three ✓",
    ]);
    env.ok(&[
        "add",
        "Zoë 李 😀",
        "--referred-by",
        "Ana Ruiz, \"the\" designer",
        "--note",
        "tab\there red",
    ]);
    env.ok(&["add", "Dana Plain"]);
    env.ok(&[
        "log",
        "call",
        "C-1",
        "renewal, next \"month\"",
        "--date",
        "2026-11-01 09:30",
    ]);
    env.ok(&[
        "log",
        "email",
        "zoë",
        "multi\nline ✓",
        "--date",
        "2026-11-02",
    ]);
    env.ok(&[
        "log",
        "meeting",
        "C-2",
        "  padded  ",
        "--date",
        "2026-11-03",
    ]);
    env.ok(&[
        "log",
        "note",
        "C-1",
        "remember: 50% off",
        "--date",
        "2026-11-04",
    ]);
    env.ok(&[
        "log",
        "purchase",
        "C-1",
        "1,200.50",
        "--item",
        "Website, redesign",
        "--date",
        "2026-11-05",
    ]);
    env.ok(&["log", "purchase", "zoë", "0", "--date", "2026-11-06"]);
    env.ok(&[
        "log",
        "purchase",
        "C-2",
        "99999.99",
        "--item",
        " Logo \"v2\" ",
        "--date",
        "2026-11-07",
    ]);
    env.ok(&[
        "log",
        "feedback",
        "C-1",
        "quality=5",
        "price=3",
        "service=4",
        "--note",
        "great, fast",
        "--date",
        "2026-11-08",
    ]);
    env.ok(&[
        "log",
        "feedback",
        "zoë",
        "service=2",
        "--date",
        "2026-11-09",
    ]);
    env.ok(&["log", "call", "dana", "--date", "2026-11-09"]);
    env.ok(&["forget", "Dana Plain", "--yes"]);
    env.ok(&[
        "log",
        "note",
        "C-2",
        "after a gap in ids",
        "--date",
        "2026-11-10",
    ]);
}

#[test]
fn export_then_import_into_an_empty_database_gives_identical_csv() {
    let a = Env::new();
    rich_database(&a);
    let contacts = a.ok(&["export", "contacts"]);
    let interactions = a.ok(&["export", "interactions"]);
    assert_eq!(
        contacts.lines().next(),
        Some("id,external_id,name,email,phone,company,tags,note,referred_by,created_at")
    );
    assert_eq!(
        interactions.lines().next(),
        Some("id,contact_id,contact,kind,date,summary,amount,item,quality,price,service")
    );
    assert!(contacts.contains("2,C-1,\"Ana Ruiz, \"\"the\"\" designer\",,,\"Ruiz, Design & Co\",\"vip,web design\",\"Line one, with comma\n\"\"quoted\"\" line two\r\nline three ✓\",C-2,"), "{contacts}");
    assert!(
        contacts.contains("tab\there red"),
        "an export is the raw data (escapes from an older database too: tests/cli_hardening.rs)"
    );
    assert!(
        interactions.contains("\n8,2,C-1,feedback,2026-11-08T12:00:00,\"great, fast\",,,5,3,4\n"),
        "{interactions}"
    );
    assert!(
        interactions
            .contains("\n5,2,C-1,purchase,2026-11-05T12:00:00,,1200.50,\"Website, redesign\",,,\n"),
        "{interactions}"
    );

    let b = Env::new();
    let contacts_file = write_file(&b, "contacts.csv", &contacts);
    let interactions_file = write_file(&b, "interactions.csv", &interactions);
    assert_eq!(
        b.ok(&["import", "contacts", &contacts_file]),
        "Imported 3 rows: 3 contacts, 0 interactions.\n"
    );
    assert_eq!(
        b.ok(&["import", "interactions", &interactions_file]),
        "Imported 10 rows: 0 contacts, 10 interactions.\n"
    );
    assert_eq!(b.ok(&["export", "contacts"]), contacts);
    assert_eq!(b.ok(&["export", "interactions"]), interactions);
    // JSON exports agree too.
    for what in ["contacts", "interactions"] {
        assert_eq!(
            b.ok(&["export", what, "--format", "json"]),
            a.ok(&["export", what, "--format", "json"]),
            "{what}"
        );
    }
    // And the stored rows are the same.
    for table in ["contacts", "interactions", "ratings"] {
        let rows = |env: &Env| {
            common::dump_db(&env.db)
                .split(&format!("[{table}]\n"))
                .nth(1)
                .unwrap()
                .split("\n[")
                .next()
                .unwrap()
                .to_string()
        };
        assert_eq!(rows(&b), rows(&a), "{table}");
    }
}

#[test]
fn export_as_json_and_to_a_file() {
    let env = Env::new();
    rich_database(&env);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", "contacts", "--format", "json"])).unwrap();
    let ana = &json.as_array().unwrap()[1];
    assert_eq!(ana["id"], 2);
    assert_eq!(ana["external_id"], "C-1");
    assert_eq!(ana["name"], "Ana Ruiz, \"the\" designer");
    assert_eq!(ana["tags"], serde_json::json!(["vip", "web design"]));
    assert_eq!(ana["referred_by"], "C-2");
    assert_eq!(
        ana["note"],
        "Line one, with comma\n\"quoted\" line two\r\nline three ✓"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", "interactions", "--format", "json"])).unwrap();
    let feedback = json
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == 8)
        .unwrap();
    assert_eq!(feedback["kind"], "feedback");
    assert_eq!(
        (
            feedback["quality"].clone(),
            feedback["price"].clone(),
            feedback["service"].clone()
        ),
        (5.into(), 3.into(), 4.into())
    );
    let purchase = json
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == 5)
        .unwrap();
    assert_eq!(purchase["amount"], 1200.5);
    assert_eq!(purchase["contact"], "C-1");

    let file = env.path("out.csv");
    assert_eq!(
        env.ok(&["export", "interactions", "-o", file.to_str().unwrap()]),
        ""
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        env.ok(&["export", "interactions"])
    );
    let file = env.path("out.json");
    env.ok(&[
        "export",
        "contacts",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        env.ok(&["export", "contacts", "--format", "json"])
    );
    let nowhere = env.path("no/such/dir/out.csv");
    assert_eq!(
        env.fails(&["export", "contacts", "-o", nowhere.to_str().unwrap()]),
        format!(
            "cannot write the file '{}': No such file or directory (os error 2)",
            nowhere.display()
        )
    );
    env.usage_error(&["export", "contacts", "--format", "xml"]);
}

#[test]
fn importing_an_export_twice_reports_every_taken_id() {
    let a = Env::new();
    a.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    a.ok(&["add", "Bo Li"]);
    a.ok(&["log", "call", "bo", "--date", "2026-11-01"]);
    let contacts = write_file(&a, "contacts.csv", &a.ok(&["export", "contacts"]));
    let interactions = write_file(&a, "interactions.csv", &a.ok(&["export", "interactions"]));
    assert_eq!(
        import_fails(&a, &["import", "contacts", &contacts], None),
        [
            "line 2: external id 'C-1' already belongs to Ana Ruiz",
            "line 3: id '2' is already taken by another contact",
            "rapport: nothing was imported: 2 of 2 rows are invalid (listed above); fix them and import again",
        ]
    );
    assert_eq!(
        import_fails(&a, &["import", "interactions", &interactions], None),
        [
            "line 2: id '1' is already taken by another interaction",
            "rapport: nothing was imported: 1 of 1 row is invalid (listed above); fix them and import again",
        ]
    );
}

#[test]
fn interactions_are_never_attached_to_the_wrong_contact_when_ids_differ() {
    let a = Env::new();
    a.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    a.ok(&["add", "Bo Li", "--external-id", "C-2"]);
    a.ok(&["log", "call", "C-2", "hello Bo", "--date", "2026-11-01"]);
    let interactions = a.ok(&["export", "interactions"]);
    // B has the same people under other ids.
    let b = Env::new();
    b.ok(&["add", "Bo Li", "--external-id", "C-2"]);
    b.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    let file = write_file(&b, "interactions.csv", &interactions);
    assert_eq!(
        import_fails(&b, &["import", "interactions", &file], None),
        [
            "line 2: contact_id '2' does not match contact 'C-2' (#1); leave one of the two columns empty",
            "rapport: nothing was imported: 1 of 1 row is invalid (listed above); fix them and import again",
        ]
    );
}

//! Trust: hostile files and arguments through the real binary. Each case gets either a correct
//! import (every byte of text kept, an export round trip gives the same file) or exit 1 with the
//! bad lines named and nothing written — never a panic, never a partial write, and never a byte
//! of the user's data driving the terminal.

mod common;

use common::{contains_bytes, write_file, Env};
use unicode_width::UnicodeWidthStr;

/// Runs an import that must be refused: exit 1, the listed line errors, nothing written.
#[track_caller]
fn refused(env: &Env, args: &[&str]) -> Vec<String> {
    let before = env.dump();
    let run = env.run(args);
    assert_eq!(run.code, 1, "{args:?} must be refused: {}", run.stdout);
    assert_eq!(run.stdout, "");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(env.dump(), before, "{args:?} was refused but wrote");
    run.stderr.lines().map(String::from).collect()
}

/// No control character reaches the terminal from the user's data (newlines end lines).
#[track_caller]
fn assert_terminal_safe(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect();
    assert!(bad.is_empty(), "control characters {bad:?} in: {text}");
}

#[test]
fn bom_crlf_and_quoted_commas_and_newlines_import_exactly_and_round_trip() {
    let env = Env::new();
    let csv = "\u{feff}external_id,name,company,note,tags\r\n\
               K-1,\"Ruiz, Ana\",\"Acme, Inc.\",\"first line\r\nsecond, with comma\nthird \"\"quoted\"\"\",\"vip,web\"\r\n\
               K-2,李小龍,🌟 Stars,,\r\n\
               K-3,  Padded Name  ,,\" keeps its spaces \",\r\n";
    let file = write_file(&env, "contacts.csv", csv);
    assert_eq!(
        env.ok(&["import", "contacts", &file]),
        "Imported 3 rows: 3 contacts, 0 interactions.\n"
    );
    assert_eq!(
        env.query_string("SELECT name || '|' || company FROM contacts WHERE external_id = 'K-1'"),
        "Ruiz, Ana|Acme, Inc."
    );
    assert_eq!(
        env.query_string("SELECT note FROM contacts WHERE external_id = 'K-1'"),
        "first line\r\nsecond, with comma\nthird \"quoted\""
    );
    assert_eq!(
        env.query_string("SELECT tags FROM contacts WHERE external_id = 'K-1'"),
        "vip,web"
    );
    assert_eq!(
        env.query_string("SELECT name || '|' || company FROM contacts WHERE external_id = 'K-2'"),
        "李小龍|🌟 Stars"
    );
    assert_eq!(
        env.query_string("SELECT name || '|' || note FROM contacts WHERE external_id = 'K-3'"),
        "Padded Name| keeps its spaces "
    );
    // Export, import into a fresh database, export again: the same bytes.
    let exported = env.ok(&["export", "contacts"]);
    let other = Env::new();
    let file = write_file(&other, "again.csv", &exported);
    other.ok(&["import", "contacts", &file]);
    assert_eq!(other.ok(&["export", "contacts"]), exported);
}

#[test]
fn wrong_column_counts_are_named_by_line_even_after_multiline_fields() {
    let env = Env::new();
    env.ok(&["add", "Kept"]);
    let csv = "name,company\n\
               Ana,Acme\n\
               \"Two\nline name\",x,extra\n\
               Bo\n\
               Cy,Co\n";
    let file = write_file(&env, "bad.csv", csv);
    assert_eq!(
        refused(&env, &["import", "contacts", &file]),
        vec![
            "line 3: the row has 3 fields but the header has 2",
            "line 5: the row has 1 field but the header has 2",
            "rapport: nothing was imported: 2 of 4 rows are invalid (listed above); fix them and import again",
        ]
    );
    // A header that is not one.
    let file = write_file(&env, "empty.csv", "");
    assert_eq!(
        refused(&env, &["import", "contacts", &file]),
        vec!["rapport: column 'name' is missing from the header"]
    );
    let file = write_file(&env, "unknown.csv", "name,\u{1b}[31mevil\n");
    let lines = refused(&env, &["import", "contacts", &file]);
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("rapport: column '\\u{1b}[31mevil' is not known"),
        "{lines:?}"
    );
}

#[test]
fn a_one_megabyte_field_imports_whole() {
    let env = Env::new();
    let note: String = "Zoë 李 🌟, \"q\"\n".repeat(1 << 16); // 1 MiB of UTF-8 with commas, quotes and newlines
    assert!(note.len() >= 1 << 20);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["name", "note"]).unwrap();
    writer.write_record(["Big Note", note.as_str()]).unwrap();
    writer.write_record(["Small", "x"]).unwrap();
    let path = env.path("big.csv");
    std::fs::write(&path, writer.into_inner().unwrap()).unwrap();
    let started = std::time::Instant::now();
    env.ok(&["import", "contacts", path.to_str().unwrap()]);
    assert!(started.elapsed().as_secs() < 10);
    assert_eq!(
        env.query_i64("SELECT length(CAST(note AS BLOB)) FROM contacts WHERE name = 'Big Note'"),
        note.len() as i64
    );
    assert_eq!(
        env.query_string("SELECT note FROM contacts WHERE name = 'Big Note'"),
        note
    );
    let shown = env.run(&["show", "big note"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert_terminal_safe(&shown.stdout_bytes);
}

#[test]
fn invalid_utf8_is_refused_by_line_and_writes_nothing() {
    let env = Env::new();
    env.ok(&["add", "Kept"]);
    let path = env.path("latin1.csv");
    std::fs::write(&path, b"name,company\nAna,x\nJos\xe9,y\nBo,z\n").unwrap();
    assert_eq!(
        refused(&env, &["import", "contacts", path.to_str().unwrap()]),
        vec![
            "line 3: the row is not valid UTF-8 text",
            "rapport: nothing was imported: 1 of 3 rows are invalid (listed above); fix them and import again",
        ]
    );
    std::fs::write(&path, b"na\xffme\nAna\n").unwrap();
    assert_eq!(
        refused(&env, &["import", "contacts", path.to_str().unwrap()]),
        vec!["rapport: the CSV header cannot be read: the row is not valid UTF-8 text"]
    );
    // UTF-16 (what some spreadsheets save) is not mistaken for data either.
    let utf16: Vec<u8> = "\u{feff}name\nAna\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    std::fs::write(&path, utf16).unwrap();
    let lines = refused(&env, &["import", "contacts", path.to_str().unwrap()]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(env.query_i64("SELECT count(*) FROM contacts"), 1);
}

#[test]
fn sql_and_escape_sequences_in_names_are_refused_or_kept_as_data_and_shown_harmlessly() {
    let env = Env::new();
    let hostile = [
        "Robert'); DROP TABLE contacts;--",
        "Eve\u{1b}[2J\u{1b}]0;pwned\u{7}",
        "C1\u{9b}31mred",
        "Bidi \u{202e}evil",
        "李小龍",
        "🌟🇯🇵 Star",
    ];
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(["external_id", "name", "company"])
        .unwrap();
    for (i, name) in hostile.iter().enumerate() {
        writer
            .write_record([format!("H-{i}").as_str(), name, "株式会社 🌟"])
            .unwrap();
    }
    let path = env.path("hostile.csv");
    std::fs::write(&path, writer.into_inner().unwrap()).unwrap();
    // Control characters are refused at input, by line, writing nothing.
    let lines = refused(&env, &["import", "contacts", path.to_str().unwrap()]);
    assert!(
        lines[0].starts_with("line 3: name 'Eve\\u{1b}[2J"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("line 4: name 'C1\\u{9b}31mred'"),
        "{lines:?}"
    );
    // Without them the rest imports exactly; a database from before the refusal may still
    // hold them, so two names get theirs back behind the CLI's back.
    let stripped = std::fs::read_to_string(&path)
        .unwrap()
        .replace('\u{1b}', "")
        .replace(['\u{7}', '\u{9b}'], "");
    std::fs::write(&path, stripped).unwrap();
    env.ok(&["import", "contacts", path.to_str().unwrap()]);
    for (i, name) in hostile
        .iter()
        .enumerate()
        .filter(|(i, _)| [1, 2].contains(i))
    {
        env.sql()
            .execute(
                "UPDATE contacts SET name = ?1 WHERE external_id = ?2",
                [*name, &format!("H-{i}")],
            )
            .unwrap();
    }
    for (i, name) in hostile.iter().enumerate() {
        assert_eq!(
            env.query_string(&format!(
                "SELECT name FROM contacts WHERE external_id = 'H-{i}'"
            )),
            *name,
            "stored exactly"
        );
        env.ok(&[
            "log",
            "purchase",
            &format!("H-{i}"),
            "10",
            "--item",
            &format!("{} item", name.replace(char::is_control, "")),
        ]);
    }
    assert_eq!(
        env.query_i64("SELECT count(*) FROM contacts"),
        hostile.len() as i64
    );

    // Tables, details and errors show the escapes as visible text.
    let list = env.run(&["list", "contacts"]);
    assert_terminal_safe(&list.stdout_bytes);
    assert!(list.stdout.contains("Eve\\u{1b}[2J"), "{}", list.stdout);
    // Columns line up by display width, wide characters included.
    let lines: Vec<&str> = list.stdout.lines().collect();
    let company_at = lines[0].find("COMPANY").unwrap();
    for line in &lines[1..] {
        let start = line.find("株式会社").expect("company shown");
        assert_eq!(line[..start].width(), company_at, "misaligned: {line}");
    }
    for args in [
        &["show", "H-1"][..],
        &["list", "interactions"],
        &["list", "contacts", "--search", "\u{1b}["],
        &["export", "scores", "--format", "json"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        if args[0] != "export" {
            assert_terminal_safe(&run.stdout_bytes);
        }
    }
    let run = env.run(&["show", "\u{1b}]0;x\u{7}"]);
    assert_eq!(run.code, 1);
    assert_terminal_safe(run.stderr.as_bytes());
    let run = env.run(&["log", "purchase", "H-1", "\u{1b}[2J"]);
    assert_eq!(run.code, 1);
    assert_terminal_safe(run.stderr.as_bytes());
    // The data itself is the user's: machine exports keep it byte for byte.
    let exported = env.ok(&["export", "contacts"]);
    assert!(contains_bytes(
        exported.as_bytes(),
        "Eve\u{1b}[2J".as_bytes()
    ));
    assert!(exported.contains("Robert'); DROP TABLE contacts;--"));
}

#[test]
fn amounts_and_dates_at_their_edges_in_a_purchase_import() {
    let env = Env::new();
    env.ok(&["add", "Ana", "--external-id", "A"]);
    let csv = "contact,date,amount,item\n\
               A,2026-11-23,\"1,000,000,000,000\",max\n\
               A,0001-01-01,0,first day\n\
               A,2026-11-23T23:59:59,0.01,last second\n\
               A,2026-06-30T10:59:58.75Z,5,fraction\n";
    let file = write_file(&env, "edges.csv", csv);
    env.ok(&["import", "purchases", &file]);
    assert_eq!(
        env.query_i64("SELECT amount FROM interactions WHERE item = 'max'"),
        100_000_000_000_000
    );
    assert_eq!(
        env.query_string("SELECT group_concat(occurred_at, ' ') FROM (SELECT occurred_at FROM interactions ORDER BY occurred_at)"),
        "0001-01-01T12:00:00 2026-06-30T10:59:58 2026-11-23T12:00:00 2026-11-23T23:59:59"
    );
    env.ok(&["score", "--refit"]);

    let bad = "contact,date,amount\n\
               A,2026-11-23,\"1000000000000.01\"\n\
               A,2026-11-23,-1\n\
               A,2026-11-23,1e3\n\
               A,2026-11-23,12.345\n\
               A,2026-11-24,5\n\
               A,2026-02-29,5\n\
               A,+12345-01-01,5\n\
               A,é,5\n\
               A,99999999999d,5\n\
               A,2026-11-23,\n";
    let file = write_file(&env, "bad.csv", bad);
    let lines = refused(&env, &["import", "purchases", &file]);
    assert_eq!(lines.len(), 11, "{lines:#?}");
    for (line, expected) in lines.iter().zip([
        "line 2: amount '1000000000000.01' is too large",
        "line 3: amount '-1' is negative",
        "line 4: amount '1e3' is not a valid amount",
        "line 5: amount '12.345' is not a valid amount",
        "line 6: date '2026-11-24' is after today",
        "line 7: date '2026-02-29' is not a valid date",
        "line 8: date '+12345-01-01' is not a valid date",
        "line 9: date 'é' is not a valid date",
        "line 10: date '99999999999d' is not a valid date",
        "line 11: amount is missing",
        "rapport: nothing was imported: 10 of 10 rows are invalid",
    ]) {
        assert!(
            line.starts_with(expected),
            "{line:?} should start with {expected:?}"
        );
    }
    // The same edges typed on the command line: one sentence each, no panic.
    for (args, expected) in [
        (
            &["log", "call", "A", "x", "--date", "é"][..],
            "date 'é' is not a valid date",
        ),
        (
            &["log", "call", "A", "x", "--date", "+12345-01-01"],
            "date '+12345-01-01' is not a valid date",
        ),
        (
            &["log", "purchase", "A", "99999999999999999999"],
            "amount '99999999999999999999' is too large",
        ),
    ] {
        let message = env.fails(args);
        assert!(message.starts_with(expected), "{args:?}: {message}");
    }
    let mut cmd = env.bare();
    cmd.arg("--db")
        .arg(&env.db)
        .arg("--config")
        .arg(&env.config);
    cmd.args(["--as-of=+12345-01-01", "log", "call", "A", "x"]);
    let run = common::run_command(cmd, None);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, "rapport: --as-of: date '+12345-01-01' is not a valid date (use YYYY-MM-DD, 'today', 'yesterday', '3d', '2w' or a weekday)\n")
    );
}

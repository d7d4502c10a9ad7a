//! Mail in: `rapport mail ingest` (one message on standard input) and `rapport import mbox|maildir`
//! log an email with every contact a message names, dated by its Date, once per Message-ID.
//! Fixtures: multipart, encoded-word subjects (UTF-8 and Latin-1), several recipients, an unknown
//! sender, a message without a Message-ID, and the same message twice.

mod common;

use common::Env;

const MULTIPART: &str = "From: Ana Ruiz <Ana@Studio.example>\r
To: Me <me@example.com>, \"Bo\" <bo@li.example>\r
Cc: stranger@unknown.example\r
Subject: =?UTF-8?Q?Angebot_f=C3=BCr_die_Website?=\r
Date: Mon, 16 Nov 2026 14:05:00 +0000\r
Message-ID: <abc123@studio.example>\r
MIME-Version: 1.0\r
Content-Type: multipart/alternative; boundary=\"b1\"\r
\r
--b1\r
Content-Type: text/plain; charset=utf-8\r
\r
Hallo!\r
--b1\r
Content-Type: text/html; charset=utf-8\r
\r
<p>Hallo!</p>\r
--b1--\r
";

const LATIN1: &str = "From: \"=?ISO-8859-1?B?Sm9z6Q==?=\" <jose@new.example>\r
To: me@example.com\r
Subject: =?ISO-8859-1?Q?Caf=E9_next_week?=\r
Date: Tue, 17 Nov 2026 09:30:00 +0000\r
Message-ID: <latin@new.example>\r
\r
Hola\r
";

const NO_ID: &str = "From: bo@li.example\r
To: me@example.com\r
Subject: Invoice question\r
Date: Wed, 18 Nov 2026 10:00:00 +0000\r
\r
Hi\r
";

fn business() -> Env {
    let env = Env::new().with_config("[mail]\nme = [\"ME@example.com\"]\n");
    env.ok(&["add", "Ana Ruiz", "--email", "ana@studio.example"]);
    env.ok(&["add", "Bo Li", "--email", "BO@li.example"]);
    env
}

fn emails(env: &Env) -> String {
    env.query_string(
        "SELECT group_concat(row, ' | ') FROM (SELECT c.name || ', ' || substr(i.occurred_at, 1, 10)
             || ', ' || i.summary AS row FROM interactions i JOIN contacts c ON c.id = i.contact_id
         WHERE i.kind = 'email' ORDER BY i.occurred_at, c.name)",
    )
}

#[test]
fn a_message_is_logged_with_every_contact_it_names_once() {
    let env = business();
    let out = env
        .run_stdin(&["mail", "ingest"], MULTIPART.as_bytes())
        .stdout;
    assert_eq!(
        out,
        "Logged 2 emails from 1 message.\nNo contact has 1 address: stranger@unknown.example (1); `--add-unknown` adds them as leads.\n"
    );
    assert_eq!(
        emails(&env),
        "Ana Ruiz, 2026-11-16, Angebot für die Website | Bo Li, 2026-11-16, Angebot für die Website"
    );
    // The same message again (a key pressed twice) changes nothing.
    let before = env.dump();
    let again = env.run_stdin(&["mail", "ingest"], MULTIPART.as_bytes());
    assert!(
        again
            .stdout
            .starts_with("Logged 0 emails from 1 message (2 logged before, left alone)."),
        "{}",
        again.stdout
    );
    assert_eq!(env.dump(), before);
    // Without a Message-ID, the date and subject tell it apart.
    for _ in 0..2 {
        env.run_stdin(&["mail", "ingest"], NO_ID.as_bytes());
    }
    assert_eq!(
        env.query_i64("SELECT count(*) FROM interactions WHERE summary = 'Invoice question'"),
        1
    );
}

#[test]
fn unknown_senders_become_leads_when_asked_but_never_your_own_address() {
    let env = business();
    let out = env.run_stdin(&["mail", "ingest", "--add-unknown"], LATIN1.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "Logged 1 email from 1 message; added 1 address as leads.\n"
    );
    assert_eq!(
        env.query_string("SELECT name || ' <' || email || '>' FROM contacts WHERE id = 3"),
        "José <jose@new.example>"
    );
    assert_eq!(emails(&env), "José, 2026-11-17, Café next week");
    assert_eq!(
        env.query_i64("SELECT count(*) FROM contacts WHERE email LIKE 'me@%'"),
        0
    );
}

#[test]
fn a_whole_mbox_or_maildir_is_logged_in_one_write() {
    let env = business();
    // Two messages, the first twice (an mbox written by two clients).
    let mbox = format!(
        "From ana@studio.example Mon Nov 16 14:05:00 2026\n{}\nFrom bo@li.example Wed Nov 18 10:00:00 2026\n{}\nFrom ana@studio.example Mon Nov 16 14:05:00 2026\n{}\n",
        MULTIPART.replace("\r\n", "\n"),
        NO_ID.replace("\r\n", "\n"),
        MULTIPART.replace("\r\n", "\n")
    );
    let path = env.path("old.mbox");
    std::fs::write(&path, mbox).unwrap();
    let path = path.to_str().unwrap();
    let before = env.dump();
    let dry = env.ok(&["import", "mbox", path, "--dry-run"]);
    assert!(
        dry.starts_with("Would log 3 emails from 3 messages (2 logged before, left alone)."),
        "{dry}"
    );
    assert_eq!(env.dump(), before, "a dry run writes nothing");
    let done = env.ok(&["import", "mbox", path]);
    assert!(
        done.starts_with("Logged 3 emails from 3 messages (2 logged before"),
        "{done}"
    );
    assert_eq!(
        env.query_i64("SELECT count(*) FROM interactions WHERE kind = 'email'"),
        3
    );
    // A mailbox is indexed for search once at the end of its write, not row by row: every
    // message is found all the same.
    let found = env.ok(&["list", "interactions", "--search", "Angebot"]);
    assert_eq!(
        found.matches("Angebot für die Website").count(),
        2,
        "{found}"
    );
    assert!(env
        .ok(&["list", "interactions", "--search", "invoice"])
        .contains("Invoice question"));

    // A maildir (cur and new) with the Latin-1 message and one already logged.
    let maildir = env.path("Mail");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    std::fs::write(maildir.join("new/1.host"), LATIN1).unwrap();
    std::fs::write(maildir.join("cur/2.host:2,S"), MULTIPART).unwrap();
    let out = env.ok(&[
        "import",
        "maildir",
        maildir.to_str().unwrap(),
        "--add-unknown",
    ]);
    assert!(out.starts_with("Logged 2 emails from 2 messages (2 logged before, left alone); added 2 addresses as leads."), "{out}");
}

#[test]
fn bad_mail_input_is_one_sentence_and_writes_nothing() {
    let env = business();
    let empty = env.run_stdin(&["mail", "ingest"], b"");
    assert_eq!(
        (empty.code, empty.stderr.as_str()),
        (
            1,
            "rapport: standard input holds no mail message (no header was found)\n"
        )
    );
    assert_eq!(
        env.fails(&["import", "maildir", env.path("none").to_str().unwrap()]),
        format!(
            "the maildir '{}' is not a folder",
            env.path("none").display()
        )
    );
    let missing = env.fails(&["import", "mbox", env.path("none.mbox").to_str().unwrap()]);
    assert!(
        missing.starts_with("cannot read the mbox file"),
        "{missing}"
    );
    let csv = env.path("c.csv");
    std::fs::write(&csv, "name\nZed\n").unwrap();
    assert_eq!(
        env.fails(&["import", "contacts", csv.to_str().unwrap(), "--add-unknown"]),
        "--add-unknown applies to mbox and maildir imports only"
    );
}

/// A mailbox naming most clients adds only emails: they are re-scored with the models in use
/// (exactly what a full re-score with those models gives), no refit runs inside the import, and
/// the changes count toward the next one.
#[test]
fn a_mailbox_over_most_clients_rescores_them_with_the_models_in_use() {
    let env = Env::new().with_config("[refit]\nchanges_before_refit = 100000\n");
    let clients = 1_200;
    let contacts: String = (0..clients)
        .map(|i| format!("Client {i},c{i}@example.com\n"))
        .collect();
    let contacts = common::write_file(&env, "c.csv", &format!("name,email\n{contacts}"));
    env.ok(&["import", "contacts", &contacts]);
    let purchases: String = (0..clients)
        .filter(|i| i % 3 == 0)
        .map(|i| {
            format!(
                "2026-0{}-1{},Client {i},purchase,{},Logo,\n",
                1 + i % 9,
                i % 10,
                100 + i
            )
        })
        .collect();
    let purchases = common::write_file(
        &env,
        "p.csv",
        &format!("date,contact,kind,amount,item,summary\n{purchases}"),
    );
    env.ok(&["import", "interactions", &purchases]);
    env.ok(&["score", "--refit"]);
    let version = "SELECT max(version) FROM models";
    let fitted = env.query_i64(version);

    let mbox: String = (0..1_100)
        .map(|i| {
            format!(
                "From c{i}@example.com Mon Nov 16 10:00:00 2026\nFrom: c{i}@example.com\nTo: me@example.com\nSubject: Question {i}\nDate: Mon, 16 Nov 2026 10:00:00 +0000\nMessage-ID: <q{i}@example.com>\n\nHi\n\n"
            )
        })
        .collect();
    let mbox = common::write_file(&env, "in.mbox", &mbox);
    let said = env.ok(&["import", "mbox", &mbox]);
    assert!(
        said.starts_with("Logged 1100 emails from 1100 messages."),
        "{said}"
    );
    assert_eq!(env.query_i64(version), fitted, "no refit inside the import");
    assert_eq!(
        env.query_i64(
            "SELECT count(*) FROM scores s JOIN contacts c ON c.id = s.contact_id
             WHERE c.last_touch LIKE '2026-11-16%' AND s.as_of = '2026-11-23'"
        ),
        1_100
    );
    let imported = common::scores_table(&env.db);
    env.ok(&["score"]);
    assert_eq!(env.query_i64(version), fitted);
    assert_eq!(
        common::scores_table(&env.db),
        imported,
        "the import's scores equal a full re-score with the same models"
    );

    // With the default config those 1,100 re-scored clients make a refit due.
    let env = env.with_config("");
    assert!(env.ok(&["score"]).contains("models refitted"));
    assert_eq!(env.query_i64(version), fitted + 1);
}

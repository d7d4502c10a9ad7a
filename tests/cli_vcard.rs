//! `rapport import vcard` and `rapport export vcard`: round trips through a file and a vdir, a
//! phone's vCard 3.0 export, bad cards refused whole, and birthdays on Today and the agenda.

mod common;

use std::path::{Path, PathBuf};

use common::{rows_of, write_file, Env};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

fn business() -> Env {
    let env = Env::new();
    common::address_book(&env);
    env
}

fn vcf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vcf"))
        .collect();
    files.sort();
    files
}

/// The vdir file holding the card whose FN is `name`.
fn card_file(dir: &Path, name: &str) -> PathBuf {
    vcf_files(dir)
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains(&format!("FN:{name}\r\n"))
        })
        .unwrap_or_else(|| panic!("no card for {name}"))
}

#[test]
fn exporting_and_importing_again_changes_nothing() {
    let env = business();
    let file = env.path("all.vcf");
    env.ok(&["export", "vcard", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.matches("BEGIN:VCARD\r\n").count(), 3, "{text}");
    assert!(text.contains("EMAIL;PREF=1:ana@ruiz.example\r\n"), "{text}");
    assert!(text.contains("ORG:Ruiz Studio\r\n"), "{text}");
    // The UIDs are given once and kept: a second export is the same text.
    let before = env.dump();
    env.ok(&["export", "vcard", "-o", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(env.dump(), before, "a second export changes nothing");

    let out = env.ok(&["import", "vcard", file.to_str().unwrap()]);
    assert_eq!(out, "Imported 3 cards: 0 added, 0 updated, 3 unchanged.\n");
    assert_eq!(env.dump(), before, "importing an export changes nothing");
}

#[test]
fn a_vdir_edited_outside_gives_exactly_those_changes() {
    let env = business();
    let vdir = env.path("contacts");
    let out = env.ok(&["export", "vcard", "--vdir", vdir.to_str().unwrap()]);
    assert!(out.starts_with("Exported 3 cards to "), "{out}");
    assert_eq!(vcf_files(&vdir).len(), 3);
    // Again: the same files, none rewritten.
    let again = env.ok(&["export", "vcard", "--vdir", vdir.to_str().unwrap()]);
    assert!(
        again.contains("(0 written, the others unchanged)"),
        "{again}"
    );

    // A phone number added to Ana's card, Eve's card deleted.
    let ana = card_file(&vdir, "Ana Ruiz");
    let text = std::fs::read_to_string(&ana).unwrap();
    let edited = text.replace(
        "END:VCARD\r\n",
        "TEL;TYPE=cell:+34 611 222 333\r\nEND:VCARD\r\n",
    );
    std::fs::write(&ana, edited).unwrap();
    std::fs::remove_file(card_file(&vdir, "Jürgen Müller")).unwrap();

    let conn = env.sql();
    let kept = ["interactions", "follow_ups", "contact_emails", "ratings"];
    let history = rows_of(&conn, &kept);
    let dry = env.ok(&["import", "vcard", vdir.to_str().unwrap(), "--dry-run"]);
    assert!(
        dry.starts_with(
            "Would import 2 cards: 0 added, 1 updated, 1 unchanged (dry run: nothing written).\n"
        ),
        "{dry}"
    );
    assert!(
        dry.contains("Would archive 1 contact whose card is gone"),
        "{dry}"
    );
    let out = env.ok(&["import", "vcard", vdir.to_str().unwrap()]);
    assert!(
        out.starts_with("Imported 2 cards: 0 added, 1 updated, 1 unchanged.\n"),
        "{out}"
    );
    assert!(
        out.contains("Archived 1 contact whose card is gone from"),
        "{out}"
    );
    assert!(out.trim_end().ends_with(": Jürgen Müller."), "{out}");

    assert_eq!(
        rows_of(&conn, &kept),
        history,
        "history and emails untouched"
    );
    let phones = env.query_string(
        "SELECT group_concat(number || '/' || coalesce(label, '') || '/' || preferred, ' | ')
         FROM (SELECT * FROM contact_phones ORDER BY id)",
    );
    assert_eq!(phones, "+34 600 000 001//1 | +34 611 222 333/cell/0");
    assert_eq!(
        env.query_string("SELECT phone FROM contacts WHERE name = 'Ana Ruiz'"),
        "+34 600 000 001",
        "the preferred phone stays the contact's phone"
    );
    assert_eq!(
        env.query_string(
            "SELECT group_concat(name || ':' || archived, ' ') FROM (SELECT * FROM contacts ORDER BY id)"
        ),
        "Ana Ruiz:0 Bo Li:0 Jürgen Müller:1",
        "the deleted card's contact is archived, not erased"
    );
    let shown = env.ok(&["show", "Jürgen"]);
    assert!(
        shown.contains("  Archived     yes: its card is gone from the address book\n"),
        "{shown}"
    );
    // Importing the same vdir again changes nothing more.
    let out = env.ok(&["import", "vcard", vdir.to_str().unwrap()]);
    assert_eq!(out, "Imported 2 cards: 0 added, 0 updated, 2 unchanged.\n");
}

#[test]
fn a_phone_s_vcard_3_export_imports_every_field() {
    let env = Env::new();
    env.ok(&[
        "add",
        "Bo Li",
        "--email",
        "bo@li.example",
        "--note",
        "met at the fair",
    ]);
    let out = env.ok(&["import", "vcard", &fixture("phone-export-v3.vcf")]);
    assert_eq!(out, "Imported 3 cards: 2 added, 1 updated, 0 unchanged.\n");

    let shown = env.ok(&["show", "Jürgen"]);
    for line in [
        "Jürgen Müller (#2)",
        "  Company      Müller GmbH",
        "  Title        Head of Sales and Partnerships",
        "  Email        j.mueller@work.example (work)",
        "  Other email  juergen@home.example (home)",
        "  Phone        +49 170 1234567 (cell)",
        "  Other phone  +49 30 7654321 (work,voice)",
        "  Birthday     17 May 1980",
        "  Address      Hauptstraße 1, 10115 Berlin, Germany",
        "  URL          https://mueller.example/",
    ] {
        assert!(shown.lines().any(|l| l == line), "{line:?} not in\n{shown}");
    }
    assert_eq!(
        env.query_string("SELECT email || ' ' || phone || ' ' || vcard_uid || ' ' || birthday FROM contacts WHERE id = 2"),
        "j.mueller@work.example +49 170 1234567 phone-3f2a-0001 1980-05-17"
    );
    assert_eq!(
        env.query_string(
            "SELECT name || ' ' || email || ' ' || birthday FROM contacts WHERE id = 3"
        ),
        "Élodie François elodie@example.fr 1992-11-23"
    );
    // Bo Li was found by email (in another case): his note stays, the card's new address and
    // phone are added, his own email stays the preferred one.
    let bo = env.ok(&["show", "Bo Li"]);
    assert!(bo.contains("  Email        bo@li.example\n"), "{bo}");
    assert!(
        bo.contains("  Other email  bo.li@private.example\n"),
        "{bo}"
    );
    assert!(
        bo.contains("  Phone        +86 138 0000 0000 (cell)\n"),
        "{bo}"
    );
    assert!(bo.contains("met at the fair"), "{bo}");
    // The second email is an email of Bo's for mail and duplicates too.
    let mail = "From: Bo <bo.li@private.example>\nTo: me@example.org\nSubject: hello\nMessage-ID: <1@x>\nDate: Mon, 23 Nov 2026 09:00:00 +0000\n\nhi\n";
    let logged = env.run_stdin(&["mail", "ingest"], mail.as_bytes());
    assert_eq!(logged.code, 0, "{}", logged.stderr);
    assert_eq!(
        env.query_i64("SELECT count(*) FROM interactions WHERE contact_id = 1 AND kind = 'email'"),
        1
    );
    // The same file again: nothing new.
    let out = env.ok(&["import", "vcard", &fixture("phone-export-v3.vcf")]);
    assert_eq!(out, "Imported 3 cards: 0 added, 0 updated, 3 unchanged.\n");
}

#[test]
fn birthdays_are_on_today_and_the_agenda() {
    let env = Env::new();
    env.ok(&["import", "vcard", &fixture("phone-export-v3.vcf")]);
    let today = env.ok(&["today"]);
    assert!(
        today.contains("Birthdays (1)\n  birthday: Élodie François turns 34\n"),
        "{today}"
    );
    let agenda = env.ok(&["agenda", "--days", "3"]);
    assert!(
        agenda.starts_with("Mon 2026-11-23\n  birthday: Élodie François turns 34\n"),
        "{agenda}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["today", "--format", "json"])).unwrap();
    assert_eq!(json["birthdays"][0]["contact"], "Élodie François");
    assert_eq!(json["birthdays"][0]["age"], 34);
}

#[test]
fn bad_cards_are_refused_in_one_sentence_and_nothing_is_written() {
    let env = business();
    let good = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:New Person\r\nEND:VCARD\r\n";
    let cases = [
        (
            "unterminated.vcf",
            format!("{good}BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Half a card\r\n"),
            "unterminated.vcf line 5: the card has no END:VCARD",
        ),
        (
            "nameless.vcf",
            format!("{good}BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:x@y.example\r\nEND:VCARD\r\n"),
            "nameless.vcf line 5: the card has no name (FN or N); a contact needs a name",
        ),
        (
            "bad-email.vcf",
            format!("{good}BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy\r\nEMAIL:not-an-address\r\nEND:VCARD\r\n"),
            "bad-email.vcf line 5: email 'not-an-address' is not an email address",
        ),
        (
            "stray.vcf",
            format!("{good}garbage here\r\n"),
            "stray.vcf line 5: 'garbage here' is outside any card (BEGIN:VCARD … END:VCARD)",
        ),
    ];
    for (name, text, expected) in cases {
        let path = write_file(&env, name, &text);
        let path = Path::new(&path);
        let shown = path.display().to_string();
        let message = env.fails(&["import", "vcard", path.to_str().unwrap()]);
        let expected = expected.replacen(name, &shown, 1);
        assert_eq!(
            message,
            format!("nothing was imported: {expected}; fix it and import again")
        );
        env.fails(&["import", "vcard", path.to_str().unwrap(), "--dry-run"]);
    }
    // Two bad cards: both listed, then the count.
    let two = write_file(
        &env,
        "two.vcf",
        "BEGIN:VCARD\r\nEMAIL:a@b.example\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:X\r\nEMAIL:bad\r\nEND:VCARD\r\n",
    );
    let before = env.dump();
    let run = env.run(&["import", "vcard", &two]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(lines[0]
        .ends_with("two.vcf line 1: the card has no name (FN or N); a contact needs a name"));
    assert!(lines[1].ends_with("two.vcf line 4: email 'bad' is not an email address"));
    assert_eq!(
        lines[2],
        "rapport: nothing was imported: 2 of 2 cards are invalid (listed above); fix them and import again"
    );
    assert_eq!(env.dump(), before);
    // An empty folder is not an address book with everyone deleted.
    let empty = env.path("empty");
    std::fs::create_dir(&empty).unwrap();
    let message = env.fails(&["import", "vcard", empty.to_str().unwrap()]);
    assert!(message.contains("holds no vCard"), "{message}");
}

#[test]
fn a_card_with_the_same_uid_twice_is_refused() {
    let env = Env::new();
    let card = |name: &str| {
        format!("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:same\r\nFN:{name}\r\nEND:VCARD\r\n")
    };
    let path = write_file(&env, "twice.vcf", &format!("{}{}", card("A"), card("B")));
    env.empty_database();
    let message = env.fails(&["import", "vcard", &path]);
    assert!(
        message.contains("twice.vcf line 6: UID 'same' is also on the card at ")
            && message.contains("twice.vcf line 1; each card needs its own UID"),
        "{message}"
    );
    assert_eq!(env.query_i64("SELECT count(*) FROM contacts"), 0);
}

#[test]
fn doctor_checks_that_the_email_column_is_the_preferred_email() {
    let env = business();
    let healthy = env.run(&["doctor"]);
    assert!(
        healthy
            .stdout
            .contains("each contact's email and phone are its preferred ones"),
        "{}",
        healthy.stdout
    );
    env.sql()
        .execute(
            "UPDATE contact_emails SET preferred = 0 WHERE contact_id = 2",
            [],
        )
        .unwrap();
    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.code, 1, "{}", doctor.stdout);
    assert!(
        doctor
            .stdout
            .contains("1 contact has an email or phone that is not its preferred one"),
        "{}",
        doctor.stdout
    );
}

#[test]
fn a_card_in_a_file_not_named_after_its_uid_is_rewritten_in_place() {
    let env = business();
    let vdir = env.path("contacts");
    env.ok(&["export", "vcard", "--vdir", vdir.to_str().unwrap()]);
    // As a CardDAV server synced by vdirsyncer may name it.
    let ana = card_file(&vdir, "Ana Ruiz");
    let renamed = vdir.join("server-item-17.vcf");
    std::fs::rename(&ana, &renamed).unwrap();
    env.ok(&["edit", "ana", "--company", "Ruiz & Co"]);
    env.ok(&["export", "vcard", "--vdir", vdir.to_str().unwrap()]);
    assert_eq!(vcf_files(&vdir).len(), 3, "no second card for Ana");
    assert!(std::fs::read_to_string(&renamed)
        .unwrap()
        .contains("ORG:Ruiz & Co\r\n"));
    assert_eq!(
        env.ok(&["import", "vcard", vdir.to_str().unwrap()]),
        "Imported 3 cards: 0 added, 0 updated, 3 unchanged.\n"
    );
}

#[test]
fn cards_without_uid_or_email_are_found_again_by_phone_then_by_name() {
    let env = Env::new();
    env.ok(&["add", "Mia Klein", "--phone", "030 1234567"]);
    let cards = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mia K.\r\nTEL;TYPE=CELL:+49 30 1234567\r\nTITLE:Architect\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Olga Berg\r\nBDAY:1975-03-08\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Piet Jansen\r\nTEL:+31 20 555 0101\r\nEND:VCARD\r\n";
    let file = write_file(&env, "phone.vcf", cards);
    assert_eq!(
        env.ok(&["import", "vcard", &file]),
        "Imported 3 cards: 2 added, 1 updated, 0 unchanged.\n"
    );
    // Mia was found by her number in another form: her name stays, the title is filled in.
    let mia = env.ok(&["show", "Mia Klein"]);
    assert!(mia.contains("  Title        Architect\n"), "{mia}");
    assert!(mia.contains("  Phone        030 1234567\n"), "{mia}");
    assert_eq!(
        env.ok(&["import", "vcard", &file]),
        "Imported 3 cards: 0 added, 0 updated, 3 unchanged.\n"
    );
    assert_eq!(env.query_i64("SELECT count(*) FROM contacts"), 3);
}

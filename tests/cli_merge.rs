//! `rapport duplicates` and `rapport merge KEEP OTHER`: the same person twice is found by email,
//! phone or folded name, and merging moves everything onto KEEP in one write, re-scored.

mod common;

use common::Env;
use serde_json::Value;

fn business() -> Env {
    let env = Env::new();
    env.ok(&[
        "add",
        "Lukas Müller",
        "--external-id",
        "L1",
        "--email",
        "Lukas@Example.com",
        "--tag",
        "web",
        "--note",
        "Met at the fair",
    ]);
    env.ok(&[
        "add",
        "Müller, Lukas",
        "--phone",
        "+49 30 1234567",
        "--company",
        "Müller GmbH",
        "--tag",
        "vip",
        "--note",
        "Prefers calls",
    ]);
    env.ok(&["add", "lukas muller", "--email", "lukas@example.com"]);
    env.ok(&[
        "add",
        "Mia Klein",
        "--phone",
        "030 1234567",
        "--referred-by",
        "#2",
    ]);
    env.ok(&["add", "Ana Ruiz", "--phone", "12345"]);
    env.ok(&["add", "Bo Ruiz", "--phone", "12345"]);
    env
}

fn pairs(env: &Env) -> Vec<(String, String, String)> {
    let rows: Vec<Value> =
        serde_json::from_str(&env.ok(&["duplicates", "--format", "json"])).unwrap();
    rows.iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap().to_string();
            (text("keep"), text("other"), text("why"))
        })
        .collect()
}

#[test]
fn duplicates_are_found_by_email_phone_and_folded_name() {
    let env = business();
    let found = pairs(&env);
    let pair = |a: &str, b: &str, why: &str| (a.to_string(), b.to_string(), why.to_string());
    assert_eq!(
        found,
        [
            // Two reasons first; then by id. The phones differ in format, not in number; five
            // digits (Ana and Bo) are no evidence.
            pair("L1", "#3", "same name; same email lukas@example.com"),
            pair("L1", "#2", "same name"),
            pair("#2", "#3", "same name"),
            pair("#2", "#4", "same phone …4567"),
        ]
    );
    let table = env.ok(&["duplicates"]);
    assert!(table.contains("rapport merge L1 #3"), "{table}");
    assert!(
        table.ends_with(
            "4 likely pairs; check each with `rapport show`, then merge with `--dry-run` first.\n"
        ),
        "{table}"
    );
}

#[test]
fn a_merge_moves_everything_onto_the_contact_kept_and_rescores_it() {
    let env = business();
    env.log(&[
        "purchase",
        "#2",
        "800",
        "--item",
        "Audit",
        "--date",
        "2026-10-01",
    ]);
    env.log(&["call", "L1", "intro", "--date", "2026-09-01"]);
    env.ok(&[
        "follow-up",
        "add",
        "#2",
        "send",
        "the",
        "quote",
        "--due",
        "2026-12-01",
    ]);

    // A dry run says what would move and writes nothing. (The purchase made #2 New, and that
    // stage's rule planned a welcome message: a second follow-up.)
    let before = env.dump();
    let dry = env.ok(&["merge", "L1", "#2", "--dry-run"]);
    assert_eq!(
        dry,
        "Would merge Müller, Lukas (#2) into Lukas Müller (#1): 1 interaction, 2 follow-ups, 0 recorded suggestions and 1 referral moved; taken from #2: phone, company, tags, note. Nothing was written (--dry-run).\n"
    );
    assert_eq!(env.dump(), before);

    let done = env.ok(&["merge", "L1", "#2"]);
    assert!(
        done.starts_with("Merged Müller, Lukas (#2) into Lukas Müller (#1): 1 interaction"),
        "{done}"
    );
    assert!(done.contains("#2 is erased."), "{done}");
    assert_eq!(
        env.query_i64("SELECT count(*) FROM contacts WHERE id = 2"),
        0
    );
    assert_eq!(
        env.query_string("SELECT phone || ' | ' || company || ' | ' || tags || ' | ' || note FROM contacts WHERE id = 1"),
        "+49 30 1234567 | Müller GmbH | web,vip | Met at the fair\n\nPrefers calls"
    );
    // What #2 bought is #1's now: history, scores, basket, search; Mia was referred by #1.
    assert_eq!(
        env.query_i64("SELECT count(*) FROM interactions WHERE contact_id = 1"),
        2
    );
    assert_eq!(
        env.query_i64("SELECT monetary FROM scores WHERE contact_id = 1"),
        80000
    );
    assert_eq!(
        env.query_string("SELECT b.items FROM contact_baskets cb JOIN baskets b ON b.id = cb.basket_id WHERE cb.contact_id = 1"),
        "[\"Audit\"]"
    );
    assert_eq!(
        env.query_i64("SELECT referred_by FROM contacts WHERE name = 'Mia Klein'"),
        1
    );
    assert_eq!(
        env.query_i64("SELECT count(*) FROM follow_ups WHERE contact_id = 1"),
        2
    );
    let found = env.ok(&["list", "contacts", "--search", "calls", "--format", "csv"]);
    assert!(
        found.contains("Lukas Müller") && !found.contains("Müller, Lukas"),
        "{found}"
    );
    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.code, 0, "{}", doctor.stdout);
}

#[test]
fn a_contact_is_named_by_its_id_and_bad_merges_are_one_sentence() {
    let env = business();
    let ambiguous = env.fails(&["show", "lukas"]);
    assert!(
        ambiguous.contains("lukas muller (#3), Lukas Müller (L1)"),
        "{ambiguous}"
    );
    assert!(env.ok(&["show", "#2"]).starts_with("Müller, Lukas (#2)"));
    assert_eq!(env.fails(&["show", "#99"]), "no contact has the id #99");
    assert_eq!(
        env.fails(&["merge", "#2", "#2"]),
        "cannot merge contact #2 into itself"
    );
    // Moving the external id would clash with nobody: KEEP without one takes OTHER's.
    let out = env.ok(&["merge", "#3", "L1"]);
    assert!(out.contains("external id"), "{out}");
    assert_eq!(
        env.query_string("SELECT external_id FROM contacts WHERE id = 3"),
        "L1"
    );
}

#[test]
fn every_email_and_phone_counts_for_duplicates_and_moves_in_a_merge() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--email", "ana@ruiz.example"]);
    env.ok(&[
        "add",
        "A. Ruiz",
        "--email",
        "a@home.example",
        "--phone",
        "+34 600 000 001",
    ]);
    // Cards found by their first email add a second one each (the same, in another case) and a
    // second phone.
    let cards = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana Ruiz\r\nEMAIL;PREF=1:ana@ruiz.example\r\nEMAIL:studio@ruiz.example\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A. Ruiz\r\nEMAIL;PREF=1:a@home.example\r\nEMAIL:Studio@Ruiz.example\r\nTEL;PREF=1:+34 600 000 001\r\nTEL;TYPE=cell:+34 611 222 333\r\nEND:VCARD\r\n";
    let file = common::write_file(&env, "two.vcf", cards);
    assert_eq!(
        env.ok(&["import", "vcard", &file]),
        "Imported 2 cards: 0 added, 2 updated, 0 unchanged.\n"
    );
    assert_eq!(
        pairs(&env),
        vec![(
            "#1".to_string(),
            "#2".to_string(),
            "same email studio@ruiz.example".to_string()
        )]
    );
    let out = env.ok(&["merge", "#1", "#2"]);
    assert!(
        out.starts_with("Merged A. Ruiz (#2) into Ana Ruiz (#1): 0 interactions, 0 follow-ups, 0 recorded suggestions and 0 referrals moved; taken from #2: phone; also 1 email and 1 phone more; #2 is erased."),
        "{out}"
    );
    let shown = env.ok(&["show", "Ana Ruiz"]);
    for line in [
        "  Email        ana@ruiz.example",
        "  Other email  studio@ruiz.example",
        "  Other email  a@home.example",
        "  Phone        +34 600 000 001",
        "  Other phone  +34 611 222 333 (cell)",
    ] {
        assert!(shown.lines().any(|l| l == line), "{line:?} not in\n{shown}");
    }
    assert_eq!(
        env.query_i64("SELECT count(*) FROM contact_emails"),
        3,
        "no email twice"
    );
}

#[test]
fn the_duplicates_of_one_contact_are_its_pairs_among_all() {
    let env = business();
    let store = rapport::store::Store::open(&env.db).unwrap();
    let all = store.duplicates().unwrap();
    for id in 1..=6 {
        let involving: Vec<_> = all
            .iter()
            .filter(|p| p.keep == id || p.other == id)
            .cloned()
            .collect();
        assert_eq!(store.duplicates_of(id).unwrap(), involving, "contact #{id}");
    }
    assert_eq!(
        store.duplicates_of(5).unwrap(),
        [],
        "five digits are no evidence"
    );
    assert_eq!(store.duplicates_of(2).unwrap().len(), 3);
}

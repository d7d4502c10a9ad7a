//! What triggers keep beside the rows: after any mix of writes the full-text indexes (migration 9)
//! find exactly what a plain scan of the rows finds, and every client's basket (migration 10) is
//! the one its purchases give, so the similar clients read through it are those of scoring
//! everyone; the score sums (migration 11) equal a recount; and words, prefixes, diacritics, CJK, ranking and hostile input behave as the README
//! says.

use chrono::NaiveDate;
use rapport::domain::{ContactFields, InteractionKind, NewInteraction};
use rapport::scoring::items::items_of;
use rapport::scoring::similar_clients;
use rapport::store::import::{ImportKind, ImportSettings};
use rapport::store::{ContactSort, InteractionFilter, Store, Write};
use rusqlite::{params, Connection};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const WORDS: &[&str] = &[
    "invoice", "logo", "renewal", "design", "redesign", "website", "web", "quote", "call", "ana",
    "joana", "lima", "li", "bo", "50%", "a_b", "shop",
];
/// Single words and pieces of words: where the index's semantics (substring or word prefix) and a
/// plain `LIKE '%q%'` agree on ASCII text.
const QUERIES: &[&str] = &[
    "invoice", "nvoi", "logo", "design", "esig", "web", "site", "ana", "an", "li", "lima", "50%",
    "a_b", "_", "%", "shop", "nothing",
];

fn text(rng: &mut Rng, words: usize) -> String {
    (0..words)
        .map(|_| rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

fn like(q: &str) -> String {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn scan_interactions(conn: &Connection, q: &str) -> Vec<i64> {
    let mut stmt = conn
        .prepare(
            "SELECT i.id FROM interactions i JOIN contacts c ON c.id = i.contact_id
             WHERE i.summary LIKE ?1 ESCAPE '\\' OR i.item LIKE ?1 ESCAPE '\\' OR c.name LIKE ?1 ESCAPE '\\'
             ORDER BY i.id",
        )
        .unwrap();
    let rows = stmt.query_map([like(q)], |r| r.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn scan_contacts(conn: &Connection, q: &str) -> Vec<i64> {
    let mut stmt = conn
        .prepare(
            "SELECT id FROM contacts c
             WHERE name LIKE ?1 ESCAPE '\\' OR company LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\'
                OR tags LIKE ?1 ESCAPE '\\' OR note LIKE ?1 ESCAPE '\\' OR external_id = ?2
             ORDER BY id",
        )
        .unwrap();
    let rows = stmt.query_map(params![like(q), q], |r| r.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn found_interactions(store: &Store, q: &str) -> Vec<i64> {
    let filter = InteractionFilter {
        search: Some(q.into()),
        ..Default::default()
    };
    let mut ids: Vec<i64> = store
        .list_interactions(&filter)
        .unwrap()
        .iter()
        .map(|r| r.interaction.id)
        .collect();
    assert_eq!(store.count_interactions(&filter).unwrap(), ids.len(), "{q}");
    ids.sort_unstable();
    ids
}

fn found_contacts(store: &Store, q: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = store
        .list_contacts(Some(q), ContactSort::Name, None)
        .unwrap()
        .iter()
        .map(|r| r.contact.id)
        .collect();
    ids.sort_unstable();
    ids
}

fn assert_index_agrees(store: &Store, conn: &Connection, step: &str) {
    for q in QUERIES {
        assert_eq!(
            found_interactions(store, q),
            scan_interactions(conn, q),
            "{step}: interactions matching {q:?}"
        );
        let contacts = scan_contacts(conn, q);
        assert_eq!(
            found_contacts(store, q),
            contacts,
            "{step}: contacts matching {q:?}"
        );
        let mut matching = store.matching_ids(q, usize::MAX).unwrap();
        matching.sort_unstable();
        // The TUI filter searches the same fields but the external id.
        assert!(
            matching.iter().all(|id| contacts.contains(id)),
            "{step}: {q:?}"
        );
        assert_eq!(
            store.count_contacts(Some(q)).unwrap(),
            matching.len(),
            "{step}: {q:?}"
        );
    }
    // The external-content indexes hold exactly the rows' text.
    for index in [
        "interactions_words",
        "interactions_grams",
        "contacts_words",
        "contacts_grams",
    ] {
        conn.execute_batch(&format!(
            "INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)"
        ))
        .unwrap_or_else(|e| panic!("{step}: {index}: {e}"));
    }
    assert_baskets_agree(store, conn, step);
    assert_score_sums_agree(conn, step);
}

/// The summed scores the triggers keep (schema 11) equal a recount of the scores, and this
/// month's snapshot holds them.
fn assert_score_sums_agree(conn: &Connection, step: &str) {
    let one = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let recount = one(
        "SELECT count(*) || ' ' || coalesce(sum(CAST(round(clv * 100) AS INTEGER)), 0) || ' '
                || coalesce(sum(CAST(round(coalesce(churn_probability, 0) * clv * 100) AS INTEGER)), 0)
                || ' ' || coalesce((SELECT group_concat(n, ',') FROM (SELECT stage, count(*) AS n
                           FROM scores GROUP BY stage ORDER BY stage)), '')
         FROM scores",
    );
    let kept = one(
        "SELECT clients || ' ' || total_clv || ' ' || value_at_risk || ' '
                || coalesce((SELECT group_concat(clients, ',') FROM (SELECT clients
                    FROM score_stage_totals WHERE clients > 0 ORDER BY stage)), '')
         FROM score_totals",
    );
    assert_eq!(
        kept.trim_end(),
        recount.trim_end(),
        "{step}: the kept score sums"
    );
    let month = one(
        "SELECT clients || ' ' || total_clv || ' ' || value_at_risk FROM score_months
         WHERE month = (SELECT max(month) FROM score_months)",
    );
    assert!(
        kept.starts_with(&month),
        "{step}: this month's snapshot {month} vs {kept}"
    );
}

/// Each client's kept basket is the distinct, trimmed items its purchases give; no basket is
/// left that nobody holds; and the similar clients read through them are those of scoring
/// everyone with the same rarities.
fn assert_baskets_agree(store: &Store, conn: &Connection, step: &str) {
    let histories = store.histories().unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT b.items FROM contacts c LEFT JOIN contact_baskets cb ON cb.contact_id = c.id
             LEFT JOIN baskets b ON b.id = cb.basket_id ORDER BY c.id",
        )
        .unwrap();
    let kept: Vec<Option<String>> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kept.len(), histories.len(), "{step}");
    for (h, kept) in histories.iter().zip(kept) {
        let kept: Vec<String> = kept.map_or(Vec::new(), |k| serde_json::from_str(&k).unwrap());
        let bought = items_of(h, NaiveDate::MAX);
        assert_eq!(
            kept, bought,
            "{step}: the basket of client {}",
            h.contact_id
        );
    }
    let loose: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM baskets WHERE id NOT IN (SELECT basket_id FROM contact_baskets))
                  + (SELECT count(*) FROM basket_refresh)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        loose, 0,
        "{step}: baskets nobody holds, or a refresh left queued"
    );
    let items = store.models().unwrap().map(|m| m.items).unwrap_or_default();
    for target in histories.iter().filter(|h| !h.purchases.is_empty()).take(8) {
        let listed: Vec<(i64, f64)> = store
            .clients_like(target.contact_id, 4)
            .unwrap()
            .into_iter()
            .map(|(id, _, s)| (id, s))
            .collect();
        let everyone = similar_clients(target, &histories, &items, 4);
        assert_eq!(
            listed, everyone,
            "{step}: clients like {}",
            target.contact_id
        );
    }
}

fn contact_fields(rng: &mut Rng) -> ContactFields {
    ContactFields {
        name: Some(format!("{} {}", rng.pick(WORDS), rng.pick(WORDS))),
        company: (rng.below(2) == 0).then(|| text(rng, 2)),
        note: (rng.below(3) == 0).then(|| text(rng, 3)),
        tags: (rng.below(3) == 0).then(|| vec![rng.pick(&["vip", "web", "shop"]).to_string()]),
        ..ContactFields::default()
    }
}

fn entry(rng: &mut Rng, contact: i64) -> NewInteraction {
    let purchase = rng.below(3) == 0;
    NewInteraction {
        contact_id: contact,
        kind: if purchase {
            InteractionKind::Purchase
        } else {
            InteractionKind::Call
        },
        occurred_at: today()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .checked_sub_signed(chrono::Duration::days(rng.below(400) as i64))
            .unwrap(),
        summary: (rng.below(4) != 0).then(|| text(rng, 3)),
        amount: purchase.then_some(1000),
        item: purchase.then(|| item(rng)).flatten(),
        ratings: Vec::new(),
    }
}

/// A service bought: a word, now and then padded or blank, or none at all.
fn item(rng: &mut Rng) -> Option<String> {
    let word = rng.pick(&WORDS[..6]);
    match rng.below(8) {
        0 => None,
        1 => Some("  ".into()),
        2 => Some(format!(" {word} ")),
        _ => Some(word.into()),
    }
}

fn ids(conn: &Connection, table: &str) -> Vec<i64> {
    let mut stmt = conn
        .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn after_a_random_mix_of_writes_the_index_finds_what_a_scan_finds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let mut store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let created = today().and_hms_opt(8, 0, 0).unwrap();
    for round in 0..120 {
        let contacts = ids(&conn, "contacts");
        let interactions = ids(&conn, "interactions");
        let op = if contacts.is_empty() {
            0
        } else {
            rng.below(10)
        };
        let step = format!("round {round}, op {op}");
        match op {
            0 | 7 => {
                let fields = contact_fields(&mut rng);
                store
                    .write(today(), |w| w.add_contact(&fields, created))
                    .unwrap();
            }
            1 => {
                let id = contacts[rng.below(contacts.len())];
                let mut fields = contact_fields(&mut rng);
                // An empty text clears an optional field.
                fields.note.get_or_insert_with(String::new);
                store
                    .write(today(), |w| w.edit_contact(id, &fields))
                    .unwrap();
            }
            2 | 3 | 8 | 9 => {
                let id = contacts[rng.below(contacts.len())];
                let new = entry(&mut rng, id);
                store
                    .write(today(), |w| w.add_interaction(&new, "EUR"))
                    .unwrap();
            }
            4 if !interactions.is_empty() => {
                // Undo of a quick log; half the time of a purchase, which may empty a basket.
                let purchases = ids(&conn, "interactions WHERE kind = 'purchase'");
                let from = if purchases.is_empty() || rng.below(2) == 0 {
                    &interactions
                } else {
                    &purchases
                };
                let id = from[rng.below(from.len())];
                store.write(today(), |w| w.remove_interaction(id)).unwrap();
            }
            5 => {
                let id = contacts[rng.below(contacts.len())];
                store.write(today(), |w| w.forget_contact(id)).unwrap();
            }
            _ => {
                let id = contacts[rng.below(contacts.len())];
                let mut csv = String::from("contact_id,kind,date,summary,amount,item\n");
                for _ in 0..3 {
                    let (kind, amount, item) = match item(&mut rng) {
                        Some(item) if rng.below(2) == 0 => ("purchase", "120", item),
                        _ => ("note", "", String::new()),
                    };
                    csv.push_str(&format!(
                        "{id},{kind},2026-0{}-1{},{},{amount},{item}\n",
                        1 + rng.below(9),
                        rng.below(10),
                        text(&mut rng, 2)
                    ));
                }
                let settings = ImportSettings {
                    currency: "EUR",
                    dimensions: &[],
                    dry_run: false,
                    max_errors: 10,
                };
                let report = store
                    .import_csv(ImportKind::Interactions, csv.as_bytes(), &settings, today())
                    .unwrap();
                assert!(report.committed(), "{step}: {report:?}");
            }
        }
        if round % 10 == 9 {
            assert_index_agrees(&store, &conn, &step);
        }
    }
    assert!(
        ids(&conn, "interactions").len() > 40,
        "the mix logged a fair number"
    );
    assert_index_agrees(&store, &conn, "end");
}

#[test]
fn a_bulk_write_rebuilds_the_index_it_set_aside() {
    // Past 200 rows a write sets the full-text insert trigger aside, past 20,000 all the
    // interactions' indexes and triggers (`bulk.rs`).
    for rows in [450, 20_050] {
        bulk_write(rows);
    }
}

fn bulk_write(rows: i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let mut store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let mut rng = Rng(42);
    let created = today().and_hms_opt(8, 0, 0).unwrap();
    store
        .write(today(), |w| {
            let mut first = 0;
            for n in 0..20 {
                let fields = contact_fields(&mut rng);
                let id = w.add_contact(&fields, created)?;
                if n == 0 {
                    first = id;
                }
            }
            for n in 0..rows {
                let mut new = entry(&mut rng, first + (n % 20));
                if n + 20 >= rows {
                    // Services nobody bought before: baskets change after the triggers went.
                    new.kind = InteractionKind::Purchase;
                    new.amount = Some(1000);
                    new.item = Some(format!("late{}", n % 3));
                }
                w.add_interaction(&new, "EUR")?;
            }
            Ok(())
        })
        .unwrap();
    let triggers: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'interactions_text_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 3, "the triggers are back");
    assert_index_agrees(&store, &conn, &format!("bulk of {rows}"));
}

fn add(w: &mut Write, name: &str, note: Option<&str>) -> rapport::store::Result<i64> {
    let fields = ContactFields {
        name: Some(name.into()),
        note: note.map(Into::into),
        ..ContactFields::default()
    };
    w.add_contact(&fields, today().and_hms_opt(8, 0, 0).unwrap())
}

fn log(w: &mut Write, who: i64, day: u32, summary: &str) -> rapport::store::Result<i64> {
    let new = NewInteraction {
        contact_id: who,
        kind: InteractionKind::Note,
        occurred_at: NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
        summary: Some(summary.into()),
        amount: None,
        item: None,
        ratings: Vec::new(),
    };
    w.add_interaction(&new, "EUR")
}

fn fixture() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("rapport.db")).unwrap();
    store
        .write(today(), |w| {
            let muller = add(w, "Jürgen Müller", None)?;
            let tokyo = add(w, "山田太郎", Some("東京都庁の近く"))?;
            let ana = add(w, "Ana Ruiz", None)?;
            log(w, muller, 1, "Café crème at the Straße")?;
            log(w, tokyo, 2, "見積書を送付しました")?;
            log(w, ana, 3, "invoice sent")?;
            log(w, ana, 4, "invoices for the quarter")?;
            log(w, ana, 5, "reinvoiced the client")?;
            log(w, ana, 6, "invoice reminder")?;
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn summaries(store: &Store, q: &str) -> Vec<String> {
    store
        .list_interactions(&InteractionFilter {
            search: Some(q.into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|r| r.interaction.summary.unwrap_or_default())
        .collect()
}

fn names(store: &Store, q: &str) -> Vec<String> {
    store
        .list_contacts(Some(q), ContactSort::Name, None)
        .unwrap()
        .into_iter()
        .map(|r| r.contact.name)
        .collect()
}

#[test]
fn diacritics_are_folded_and_words_match_by_prefix() {
    let (_dir, store) = fixture();
    assert_eq!(names(&store, "muller"), ["Jürgen Müller"]);
    assert_eq!(names(&store, "MÜLLER"), ["Jürgen Müller"]);
    assert_eq!(names(&store, "jurg mul"), ["Jürgen Müller"]);
    assert_eq!(
        names(&store, "mü"),
        ["Jürgen Müller"],
        "short text: a substring only"
    );
    assert_eq!(names(&store, "mu").len(), 0);
    assert_eq!(summaries(&store, "cafe"), ["Café crème at the Straße"]);
    assert_eq!(summaries(&store, "creme strasse").len(), 0, "ß is not ss");
    assert_eq!(
        summaries(&store, "creme stra"),
        ["Café crème at the Straße"]
    );
    // The client's name finds their interactions.
    assert_eq!(summaries(&store, "muller"), ["Café crème at the Straße"]);
}

#[test]
fn cjk_is_found_by_substring() {
    let (_dir, store) = fixture();
    assert_eq!(summaries(&store, "見積書"), ["見積書を送付しました"]);
    assert_eq!(
        summaries(&store, "送付"),
        ["見積書を送付しました"],
        "two characters: scanned"
    );
    assert_eq!(names(&store, "都庁の"), ["山田太郎"], "in the note");
    assert_eq!(names(&store, "田太郎"), ["山田太郎"]);
    assert_eq!(summaries(&store, "山田"), ["見積書を送付しました"]);
}

#[test]
fn whole_words_rank_first_then_the_newest() {
    let (_dir, store) = fixture();
    assert_eq!(
        summaries(&store, "invoice"),
        [
            "invoice reminder",
            "invoice sent",
            "reinvoiced the client",
            "invoices for the quarter"
        ]
    );
    assert_eq!(
        summaries(&store, "voice"),
        [
            "invoice reminder",
            "reinvoiced the client",
            "invoices for the quarter",
            "invoice sent"
        ],
        "no whole word: newest first"
    );
}

#[test]
fn hostile_search_text_is_looked_for_never_parsed() {
    let (_dir, store) = fixture();
    for q in [
        "\"",
        "\"\"",
        "*",
        "**",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "NEAR(a b",
        "(",
        ")",
        "\"invoice",
        "invoice\"",
        "in*voice",
        "^invoice",
        "name:invoice",
        "{name}:x",
        "-",
        "+",
        "'",
        "\\",
        "a'b",
        "%%",
        "__",
        "\u{1b}[",
        "invoice AND",
        "NOT invoice",
        "\0",
    ] {
        let filter = InteractionFilter {
            search: Some(q.into()),
            ..Default::default()
        };
        store
            .list_interactions(&filter)
            .unwrap_or_else(|e| panic!("{q:?}: {e}"));
        store
            .count_interactions_capped(&filter, 100)
            .unwrap_or_else(|e| panic!("{q:?}: {e}"));
        store
            .list_contacts(Some(q), ContactSort::Name, None)
            .unwrap_or_else(|e| panic!("{q:?}: {e}"));
        store
            .matching_ids(q, 100)
            .unwrap_or_else(|e| panic!("{q:?}: {e}"));
    }
    // Operators are words like any other.
    assert_eq!(summaries(&store, "invoice AND").len(), 0);
    assert_eq!(
        summaries(&store, "\"invoice"),
        [
            "invoice reminder",
            "invoice sent",
            "invoices for the quarter"
        ]
    );
}

#[test]
fn the_words_of_a_search_may_lie_in_different_fields() {
    let (_dir, mut store) = fixture();
    let fields = ContactFields {
        name: Some("Carla Lima".into()),
        company: Some("Li Studio".into()),
        ..ContactFields::default()
    };
    let created = today().and_hms_opt(8, 0, 0).unwrap();
    store
        .write(today(), |w| w.add_contact(&fields, created))
        .unwrap();
    assert_eq!(names(&store, "lima studio"), ["Carla Lima"]);
    assert_eq!(names(&store, "studio lima"), ["Carla Lima"]);
    assert_eq!(names(&store, "lima nowhere").len(), 0);
}

//! Every way a page of contacts is found (walking a sort's index, filtering first, with and without
//! every client scored) lists exactly what a plain, unindexed query over the same file lists, and
//! each contact's kept last touch is its latest interaction after any change.

mod tui_support;

use std::path::Path;

use chrono::NaiveDate;
use rapport::domain::{ContactFields, InteractionKind, NewInteraction};
use rapport::store::tui_queries::PageOf;
use rapport::store::{ScoredSort, Store};
use rusqlite::{params, Connection};

/// The order each sort promises, written the slow, obvious way (last touch computed, no index).
fn reference_order(sort: ScoredSort) -> &'static str {
    match sort {
        ScoredSort::Name => "c.name COLLATE NOCASE, c.id",
        ScoredSort::Id => "c.id",
        ScoredSort::ValueAtRisk => "s.churn_probability * s.clv DESC, c.id",
        ScoredSort::Churn => "s.churn_probability DESC, c.id",
        ScoredSort::Clv => "s.clv DESC, c.id",
        ScoredSort::LastTouch => {
            "(SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = c.id) DESC, c.id"
        }
    }
}

fn like_pattern(search: Option<&str>) -> Option<String> {
    search.map(|s| {
        let escaped = s
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    })
}

fn reference_page(
    conn: &Connection,
    search: Option<&str>,
    sort: ScoredSort,
    offset: usize,
    limit: usize,
) -> Vec<i64> {
    let sql = format!(
        "SELECT c.id FROM contacts c LEFT JOIN scores s ON s.contact_id = c.id
         WHERE ?1 IS NULL OR c.name LIKE ?1 ESCAPE '\\' OR c.company LIKE ?1 ESCAPE '\\'
            OR c.email LIKE ?1 ESCAPE '\\' OR c.tags LIKE ?1 ESCAPE '\\' OR c.note LIKE ?1 ESCAPE '\\'
         ORDER BY {} LIMIT ?2 OFFSET ?3",
        reference_order(sort)
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let rows = stmt
        .query_map(
            params![like_pattern(search), limit as i64, offset as i64],
            |r| r.get(0),
        )
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn reference_at_risk(conn: &Connection, offset: usize, limit: usize) -> Vec<i64> {
    let mut stmt = conn
        .prepare(
            "SELECT contact_id FROM scores WHERE stage = 'at_risk'
             ORDER BY churn_probability * clv DESC, contact_id LIMIT ?1 OFFSET ?2",
        )
        .unwrap();
    let rows = stmt
        .query_map(params![limit as i64, offset as i64], |r| r.get(0))
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// Every contact's latest interaction, computed from the timeline.
fn latest_touches(conn: &Connection) -> Vec<(i64, Option<String>)> {
    let mut stmt = conn
        .prepare(
            "SELECT c.id, (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = c.id)
             FROM contacts c ORDER BY c.id",
        )
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn kept_touches(conn: &Connection) -> Vec<(i64, Option<String>)> {
    let mut stmt = conn
        .prepare("SELECT id, last_touch FROM contacts ORDER BY id")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

fn ids_of(store: &Store, of: PageOf, sort: ScoredSort, offset: usize, limit: usize) -> Vec<i64> {
    let rows = store.scored_page(of, sort, offset, limit).unwrap();
    rows.iter().map(|r| r.contact.id).collect()
}

/// Every sort, search, page and plan against the reference.
fn assert_pages_match(store: &Store, conn: &Connection, case: &str) {
    for search in [
        None,
        Some("an"),
        Some("zz"),
        Some("%"),
        Some("design"),
        Some("龍"),
    ] {
        for sort in ScoredSort::ALL {
            for (offset, limit) in [(0, 3), (2, 3), (0, 100), (5, 10)] {
                let expected = reference_page(conn, search, sort, offset, limit);
                // 0 known matches: a filter is applied first; usize::MAX: the index is walked.
                for matching in [0, 7, usize::MAX] {
                    let of = PageOf::Search {
                        text: search,
                        matching,
                    };
                    assert_eq!(
                        ids_of(store, of, sort, offset, limit),
                        expected,
                        "{case}: {search:?} {sort:?} {offset}+{limit}, {matching} known to match"
                    );
                }
            }
        }
    }
    for (offset, limit) in [(0, 2), (1, 5), (0, 100)] {
        assert_eq!(
            ids_of(
                store,
                PageOf::AtRisk,
                ScoredSort::ValueAtRisk,
                offset,
                limit
            ),
            reference_at_risk(conn, offset, limit),
            "{case}: at risk, {offset}+{limit}"
        );
    }
}

/// The TUI fixture plus a lead nobody has talked to yet (no last touch), open twice: through
/// the store, and plainly for the reference queries.
fn open_both(path: &Path) -> (Store, Connection) {
    let mut store = tui_support::build(path);
    let lead = ContactFields {
        name: Some("zed Quiet".into()),
        ..ContactFields::default()
    };
    let created = tui_support::today().and_hms_opt(8, 0, 0).unwrap();
    store
        .write(tui_support::today(), |w| w.add_contact(&lead, created))
        .unwrap();
    (store, Connection::open(path).unwrap())
}

#[test]
fn pages_match_a_plain_query_for_every_sort_search_offset_and_plan() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let (store, conn) = open_both(&path);
    assert!(
        reference_at_risk(&conn, 0, 100).len() > 1,
        "the fixture has at-risk rows to order"
    );
    assert_pages_match(&store, &conn, "everyone scored");

    // A client not scored yet (e.g. a file scored by an older Rapport) sorts last by scores.
    conn.execute(
        "DELETE FROM scores WHERE contact_id = (SELECT min(contact_id) FROM scores)",
        [],
    )
    .unwrap();
    assert_pages_match(&store, &conn, "one client unscored");
}

#[test]
fn the_page_rows_carry_each_clients_latest_touch() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let (store, conn) = open_both(&path);
    let rows = store
        .scored_page(PageOf::search(None), ScoredSort::Id, 0, 1000)
        .unwrap();
    let shown: Vec<(i64, Option<String>)> = rows
        .iter()
        .map(|r| {
            let touch = r.last_touch.map(|t| t.format("%Y-%m-%d").to_string());
            (r.contact.id, touch)
        })
        .collect();
    let expected: Vec<(i64, Option<String>)> = latest_touches(&conn)
        .into_iter()
        .map(|(id, t)| (id, t.map(|t| t[..10].to_string())))
        .collect();
    assert_eq!(shown, expected);
    assert!(
        shown.iter().any(|(_, t)| t.is_none()) && shown.iter().any(|(_, t)| t.is_some()),
        "the fixture has clients with and without a touch"
    );
}

#[test]
fn the_kept_last_touch_follows_every_change_to_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let (mut store, conn) = open_both(&path);
    assert_eq!(
        kept_touches(&conn),
        latest_touches(&conn),
        "after the build"
    );
    let latest = latest_touches(&conn);
    let (id, _) = latest.iter().find(|(_, t)| t.is_some()).unwrap().clone();

    let log = |store: &mut Store, date: NaiveDate| {
        store
            .write(tui_support::today(), |w| {
                let call = NewInteraction {
                    contact_id: id,
                    kind: InteractionKind::Call,
                    occurred_at: date.and_hms_opt(9, 0, 0).unwrap(),
                    summary: None,
                    amount: None,
                    item: None,
                    ratings: Vec::new(),
                };
                w.add_interaction(&call, "EUR")
            })
            .unwrap()
    };
    // Newer, then older than the latest: only the newer one moves it.
    let newest = log(&mut store, tui_support::today());
    assert_eq!(
        kept_touches(&conn),
        latest_touches(&conn),
        "after a new entry"
    );
    log(&mut store, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
    assert_eq!(
        kept_touches(&conn),
        latest_touches(&conn),
        "after an old entry"
    );
    // Removing the latest falls back to the one before.
    store
        .write(tui_support::today(), |w| w.remove_interaction(newest))
        .unwrap();
    assert_eq!(kept_touches(&conn), latest_touches(&conn), "after an undo");
    // An entry moved in time or to another client (nothing in Rapport edits these yet, but the
    // file is the user's: a hand edit must not leave the lists wrong).
    conn.execute(
        "UPDATE interactions SET occurred_at = '2019-06-01T10:00:00'
         WHERE id = (SELECT id FROM interactions WHERE contact_id = ?1 ORDER BY occurred_at DESC LIMIT 1)",
        [id],
    )
    .unwrap();
    assert_eq!(
        kept_touches(&conn),
        latest_touches(&conn),
        "after a move in time"
    );
    conn.execute(
        "UPDATE interactions SET contact_id = (SELECT max(id) FROM contacts)
         WHERE id = (SELECT min(id) FROM interactions WHERE contact_id = ?1)",
        [id],
    )
    .unwrap();
    assert_eq!(
        kept_touches(&conn),
        latest_touches(&conn),
        "after a move to another client"
    );
    assert_ne!(latest_touches(&conn), latest, "the timeline did change");
}

//! The TUI's id-first pages list exactly what the store's common page queries list.

mod tui_support;

use rapport::store::tui_queries::PageOf;
use rapport::store::{ScoredContact, ScoredSort};

fn ids(rows: &[ScoredContact]) -> Vec<i64> {
    rows.iter().map(|r| r.contact.id).collect()
}

#[test]
fn pages_match_the_store_queries_for_every_sort_search_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let store = tui_support::build(&dir.path().join("rapport.db"));
    let sorts = [
        ScoredSort::Name,
        ScoredSort::Id,
        ScoredSort::ValueAtRisk,
        ScoredSort::Churn,
        ScoredSort::Clv,
        ScoredSort::LastTouch,
    ];
    for search in [None, Some("an"), Some("zz"), Some("%"), Some("design")] {
        for sort in sorts {
            for (offset, limit) in [(0, 3), (2, 3), (0, 100), (5, 10)] {
                let ours = store
                    .scored_page(PageOf::Search(search), sort, offset, limit)
                    .unwrap();
                let theirs = store.scored_contacts(search, sort, offset, limit).unwrap();
                assert_eq!(
                    ids(&ours),
                    ids(&theirs),
                    "{search:?} {sort:?} {offset} {limit}"
                );
                assert_eq!(ours, theirs);
            }
        }
    }
    for min in [0.0, 0.3, 0.5, 0.9] {
        for (offset, limit) in [(0, 2), (1, 5), (0, 100)] {
            let ours = store
                .scored_page(PageOf::AtRisk(min), ScoredSort::ValueAtRisk, offset, limit)
                .unwrap();
            let theirs = store.at_risk_contacts(min, offset, limit).unwrap();
            assert_eq!(ours, theirs, "at risk from {min}, {offset} {limit}");
        }
        assert_eq!(
            store
                .scored_page(PageOf::AtRisk(min), ScoredSort::ValueAtRisk, 0, 1000)
                .unwrap()
                .len(),
            store.count_at_risk(min).unwrap()
        );
    }
    assert!(
        !store.at_risk_contacts(0.0, 0, 100).unwrap().is_empty(),
        "the comparison saw some at-risk rows"
    );
}

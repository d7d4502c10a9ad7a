//! Small read-only queries the TUI needs beyond the common ones: timeline counts for paging,
//! and where a contact sits in a sorted list (to jump to it).

use rusqlite::params;

use super::contacts::contact_from_row;
use super::interactions::{InteractionFilter, InteractionRow};
use super::scores::AT_RISK_CONDITION as AT_RISK;
use super::search::{contacts_matching, Search};
use super::{Result, ScoredContact, ScoredSort, Store, StoreError};
use crate::domain::{dates, ContactId};

impl Store {
    /// One page of contacts matching `search`, with their scores and last touch.
    pub fn scored_contacts(
        &self,
        search: Option<&str>,
        sort: ScoredSort,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ScoredContact>> {
        self.scored_page(PageOf::search(search), sort, offset, limit)
    }

    /// Clients in the At risk stage, by value at risk (churn × CLV).
    pub fn at_risk_contacts(&self, offset: usize, limit: usize) -> Result<Vec<ScoredContact>> {
        self.scored_page(PageOf::AtRisk, ScoredSort::ValueAtRisk, offset, limit)
    }

    /// How many interactions [`Store::list_interactions`] would list without limit and offset.
    pub fn count_interactions(&self, filter: &InteractionFilter) -> Result<usize> {
        self.count_interactions_capped(filter, usize::MAX)
    }

    /// The 0-based row of contact `id` in [`Store::scored_contacts`] with the same search and sort,
    /// or None when the search hides it.
    pub fn contact_position(
        &self,
        search: Option<&str>,
        sort: ScoredSort,
        id: ContactId,
    ) -> Result<Option<usize>> {
        let order = match sort {
            ScoredSort::Name => "t.name COLLATE NOCASE, t.id",
            ScoredSort::ValueAtRisk => "t.churn * t.clv DESC, t.id",
            ScoredSort::Churn => "t.churn DESC, t.id",
            ScoredSort::Clv => "t.clv DESC, t.id",
            ScoredSort::LastTouch => "t.last_touch DESC, t.id",
            ScoredSort::Id => "t.id",
        };
        let (matching, value) = contacts_matching(search, true);
        let sql = format!(
            "SELECT pos FROM (
                SELECT t.id, row_number() OVER (ORDER BY {order}) - 1 AS pos FROM (
                    SELECT c.id, c.name, s.churn_probability AS churn, s.clv, c.last_touch
                    FROM contacts c LEFT JOIN scores s ON s.contact_id = c.id WHERE {matching}) t)
             WHERE id = ?2"
        );
        let pos: Option<i64> = rusqlite::OptionalExtension::optional(
            self.conn()
                .prepare_cached(&sql)?
                .query_row(params![value, id], |r| r.get(0)),
        )?;
        Ok(pos.map(|p| p as usize))
    }
}

impl Store {
    /// One contact's latest `limit` interactions, newest first, with ratings: read through the
    /// (contact, time) index, so the cost depends on that contact only, not on the whole timeline.
    pub fn contact_timeline(&self, id: ContactId, limit: usize) -> Result<Vec<InteractionRow>> {
        self.list_interactions(&InteractionFilter {
            contact: Some(id),
            limit: Some(limit),
            ..Default::default()
        })
    }

    /// Like [`Store::count_interactions`] but stops counting at `cap` (for paging without
    /// scanning a million rows on every keypress); the exact figure can follow when idle.
    pub fn count_interactions_capped(
        &self,
        filter: &InteractionFilter,
        cap: usize,
    ) -> Result<usize> {
        let search = Search::new(filter.search.as_deref());
        let (kind_sql, contact_sql) = (
            if filter.kind.is_some() {
                "i.kind = ?2"
            } else {
                "?2 IS NULL"
            },
            if filter.contact.is_some() {
                "i.contact_id = ?1"
            } else {
                "?1 IS NULL"
            },
        );
        let search_sql = match &search {
            Some(search) => search.interactions(3),
            None => "?3 IS NULL".to_string(),
        };
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM interactions i JOIN contacts c ON c.id = i.contact_id
             WHERE {contact_sql} AND {kind_sql} AND {search_sql}
               AND (?5 IS NULL OR i.occurred_at >= ?5) LIMIT ?4)"
        );
        let n: i64 = self.conn().prepare_cached(&sql)?.query_row(
            params![
                filter.contact,
                filter.kind.map(|k| k.as_str()),
                search.map(|s| s.value()),
                i64::try_from(cap).unwrap_or(i64::MAX),
                filter.since.map(crate::domain::dates::to_storage)
            ],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }
}

/// Which contacts a page lists.
#[derive(Debug, Clone, Copy)]
pub enum PageOf<'a> {
    /// Contacts matching a search (None: everyone). `matching` is how many are known to match, at
    /// least (a capped count will do): it decides how the page is found (see [`Plan`]).
    Search {
        text: Option<&'a str>,
        matching: usize,
    },
    /// Clients at risk from this churn probability (as [`Store::at_risk_contacts`]).
    AtRisk,
    /// These contacts (a filter's matches found earlier, see [`Store::matching_ids`]), sorted.
    Among(&'a [ContactId]),
}

impl<'a> PageOf<'a> {
    /// Contacts matching `text`, with nothing known of how many do.
    pub fn search(text: Option<&'a str>) -> Self {
        PageOf::Search {
            text,
            matching: usize::MAX,
        }
    }
}

/// How a page's ids are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Walk the sort's index from the top, skipping rows the filter hides, and stop once the page
    /// is full: the cost is the page, not the table, as long as most rows match.
    WalkIndex,
    /// Find every match, then sort only those: cheaper when a filter keeps few rows, which the
    /// walk would look for all over the index.
    FilterFirst,
}

impl Plan {
    fn for_page(of: PageOf, offset: usize, limit: usize) -> Plan {
        match of {
            PageOf::Search {
                text: Some(_),
                matching,
            } if matching < offset.saturating_add(limit).saturating_mul(2) => Plan::FilterFirst,
            PageOf::Among(_) => Plan::FilterFirst,
            _ => Plan::WalkIndex,
        }
    }
}

/// The ORDER BY key of a sort, over contacts `c` and scores `s`, and whether it needs the scores.
/// `indexed: false` hides the key from the index (unary `+`), so SQLite sorts the matches.
fn sort_key(sort: ScoredSort, indexed: bool) -> (String, bool) {
    let (key, scores) = match sort {
        ScoredSort::Name => ("c.name", false),
        ScoredSort::Id => return (String::new(), false),
        ScoredSort::ValueAtRisk => ("(s.churn_probability * s.clv)", true),
        ScoredSort::Churn => ("s.churn_probability", true),
        ScoredSort::Clv => ("s.clv", true),
        ScoredSort::LastTouch => ("c.last_touch", false),
    };
    let plus = if indexed { "" } else { "+" };
    let direction = match sort {
        ScoredSort::Name => " COLLATE NOCASE",
        _ => " DESC",
    };
    (format!("{plus}{key}{direction}, "), scores)
}

/// The ids of one page (parameters: 1 the search ([`Search::value`]), unused for the at-risk list, 2 limit, 3 offset).
/// `everyone_scored`: every contact has a scores row, so a scores index can drive the page.
fn page_ids_sql(of: PageOf, sort: ScoredSort, plan: Plan, everyone_scored: bool) -> String {
    let (key, needs_scores) = sort_key(sort, plan == Plan::WalkIndex);
    let search = match of {
        PageOf::Search { text, .. } => contacts_matching(text, plan == Plan::FilterFirst).0,
        _ => String::new(),
    };
    let (from, id) = match of {
        PageOf::AtRisk if needs_scores || sort == ScoredSort::Id => {
            (format!("scores s WHERE {AT_RISK}"), "s.contact_id")
        }
        PageOf::AtRisk => (
            format!("scores s JOIN contacts c ON c.id = s.contact_id WHERE {AT_RISK}"),
            "c.id",
        ),
        PageOf::Search { text: None, .. } if needs_scores && everyone_scored => {
            ("scores s WHERE ?1 IS NULL".to_string(), "s.contact_id")
        }
        PageOf::Search { .. } if needs_scores && everyone_scored && plan == Plan::WalkIndex => (
            format!("scores s JOIN contacts c ON c.id = s.contact_id WHERE {search}"),
            "s.contact_id",
        ),
        // Clients not scored yet (none once scored) sort last, as a missing score is NULL.
        PageOf::Search { .. } if needs_scores => (
            format!("contacts c LEFT JOIN scores s ON s.contact_id = c.id WHERE {search}"),
            "c.id",
        ),
        PageOf::Search { .. } => (format!("contacts c WHERE {search}"), "c.id"),
        PageOf::Among(_) => (
            "contacts c LEFT JOIN scores s ON s.contact_id = c.id
             WHERE c.id IN (SELECT value FROM json_each(?1))"
                .to_string(),
            "c.id",
        ),
    };
    format!("SELECT {id} FROM {from} ORDER BY {key}{id} LIMIT ?2 OFFSET ?3")
}

impl Store {
    /// One page of contacts with their scores and last touch, read ids first: the sort and the
    /// offset go over ids only (from an index where the sort has one), and only the page's rows
    /// are read in full, so deep pages and re-sorts stay cheap at 100,000 clients.
    pub fn scored_page(
        &self,
        of: PageOf,
        sort: ScoredSort,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ScoredContact>> {
        let plan = Plan::for_page(of, offset, limit);
        let everyone_scored = match (of, sort_key(sort, true).1) {
            (PageOf::Search { .. }, true) => self.everyone_scored()?,
            _ => false,
        };
        let first: rusqlite::types::Value = match of {
            PageOf::Search { text, .. } => contacts_matching(text, true).1,
            PageOf::AtRisk => rusqlite::types::Value::Null,
            PageOf::Among(ids) => serde_json::to_string(ids)
                .map_err(|e| StoreError::invalid(e.to_string()))?
                .into(),
        };
        let sql = page_ids_sql(of, sort, plan, everyone_scored);
        let ids = self
            .conn()
            .prepare_cached(&sql)?
            .query_map(
                params![
                    first,
                    i64::try_from(limit).unwrap_or(i64::MAX),
                    i64::try_from(offset).unwrap_or(i64::MAX)
                ],
                |r| r.get::<_, ContactId>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.scored_rows(&ids)
    }

    /// Up to `cap` ids of contacts matching `search`, in no order: all of them when fewer come back.
    /// One pass that stops at `cap` (many matches are found at once; few need the whole table).
    pub fn matching_ids(&self, search: &str, cap: usize) -> Result<Vec<ContactId>> {
        let (matching, value) = contacts_matching(Some(search), true);
        let ids = self
            .conn()
            .prepare_cached(&format!(
                "SELECT c.id FROM contacts c WHERE {matching} LIMIT ?2"
            ))?
            .query_map(
                params![value, i64::try_from(cap).unwrap_or(i64::MAX)],
                |r| r.get::<_, ContactId>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// Whether every contact has a scores row (scores reference contacts, so equal counts say so).
    fn everyone_scored(&self) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT (SELECT count(*) FROM contacts) = (SELECT count(*) FROM scores)",
            )?
            .query_row([], |r| r.get(0))?)
    }

    /// Every client [`Store::at_risk_contacts`] lists, as ids in its order (one pass; pages of it
    /// are then read with [`Store::scored_rows`]).
    pub fn at_risk_ids(&self) -> Result<Vec<ContactId>> {
        let sql = at_risk_ids_sql();
        let ids = self
            .conn()
            .prepare_cached(&sql)?
            .query_map([], |r| r.get::<_, ContactId>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// These contacts with their scores and last touch, in the order given (missing ones skipped).
    pub fn scored_rows(&self, ids: &[ContactId]) -> Result<Vec<ScoredContact>> {
        let mut row = self.conn().prepare_cached(
            "SELECT c.id, c.external_id, c.name, c.email, c.phone, c.company, c.tags, c.note, c.referred_by, c.created_at, c.archived,
                    d.body, c.last_touch
             FROM contacts c LEFT JOIN score_details d ON d.contact_id = c.id WHERE c.id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let found = row.query_row([id], |r| Ok((contact_from_row(r)?, r.get(11)?, r.get(12)?)));
            let (contact, body, last): (crate::domain::Contact, Option<String>, Option<String>) =
                match found {
                    Ok(found) => found,
                    Err(rusqlite::Error::QueryReturnedNoRows) => continue,
                    Err(e) => return Err(e.into()),
                };
            let scores = body
                .map(|b| serde_json::from_str(&b))
                .transpose()
                .map_err(|e| {
                    StoreError::invalid(format!(
                        "stored scores cannot be read ({}); run `rapport score --refit`",
                        e
                    ))
                })?;
            out.push(ScoredContact {
                contact,
                scores,
                last_touch: last.as_deref().and_then(dates::from_storage),
            });
        }
        Ok(out)
    }
}

fn at_risk_ids_sql() -> String {
    format!("SELECT s.contact_id FROM scores s WHERE {AT_RISK} ORDER BY s.churn_probability * s.clv DESC, s.contact_id")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// SQLite's plan for `sql`, its steps joined by "; " (parameters bound to NULL).
    pub(in crate::store) fn plan(store: &Store, sql: &str) -> String {
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let unbound = vec![rusqlite::types::Value::Null; stmt.parameter_count()];
        let rows = stmt
            .query_map(rusqlite::params_from_iter(unbound), |r| {
                r.get::<_, String>(3)
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        rows.join("; ")
    }

    #[test]
    fn the_at_risk_ranking_reads_one_index_and_no_table_rows() {
        // With a lookup per client, ranking 100,000 clients took 270 ms of the first frame.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.db")).unwrap();
        let ranking = plan(&store, &at_risk_ids_sql());
        assert!(
            ranking.contains("COVERING INDEX scores_value_at_risk")
                && !ranking.contains("TEMP B-TREE FOR ORDER BY"),
            "{ranking}"
        );
        // Counting them (the start tab, `list at-risk`) too, not the churn index plus lookups.
        let count = plan(
            &store,
            &format!("SELECT count(*) FROM scores s WHERE {AT_RISK}"),
        );
        assert!(
            count.contains("COVERING INDEX scores_value_at_risk"),
            "{count}"
        );
    }

    #[test]
    fn every_contacts_sort_walks_an_index_and_a_narrow_filter_sorts_its_matches() {
        // Sorting 100,000 clients for every page took 25-150 ms a keypress; a walk takes one page.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.db")).unwrap();
        for sort in ScoredSort::ALL {
            for text in [None, Some("ana")] {
                let of = PageOf::search(text);
                let walk = plan(&store, &page_ids_sql(of, sort, Plan::WalkIndex, true));
                assert!(
                    !walk.contains("TEMP B-TREE FOR ORDER BY"),
                    "{sort:?} {text:?}: {walk}"
                );
                if sort != ScoredSort::Id {
                    let first = plan(&store, &page_ids_sql(of, sort, Plan::FilterFirst, true));
                    assert!(
                        first.contains("TEMP B-TREE FOR ORDER BY"),
                        "{sort:?} {text:?}: {first}"
                    );
                }
            }
        }
    }

    #[test]
    fn few_known_matches_filter_first_and_many_walk() {
        let search = |matching| PageOf::Search {
            text: Some("ana"),
            matching,
        };
        assert_eq!(Plan::for_page(search(10), 0, 30), Plan::FilterFirst);
        assert_eq!(Plan::for_page(search(200), 0, 30), Plan::WalkIndex);
        assert_eq!(Plan::for_page(search(200), 90, 30), Plan::FilterFirst);
        assert_eq!(Plan::for_page(PageOf::search(None), 0, 30), Plan::WalkIndex);
        let everyone = PageOf::Search {
            text: None,
            matching: 0,
        };
        assert_eq!(Plan::for_page(everyone, 0, 30), Plan::WalkIndex);
    }
}

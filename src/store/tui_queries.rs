//! Small read-only queries the TUI needs beyond the common ones: timeline counts for paging,
//! where a contact sits in a sorted list (to jump to it), and the clients most like a client.

use std::collections::HashMap;

use rusqlite::params;

use super::contacts::{contact_from_row, like_escape};
use super::interactions::{InteractionFilter, InteractionRow};
use super::scores::{AT_RISK_CONDITION as AT_RISK, SEARCH_CONDITION as SEARCH};
use super::{history, Result, ScoredContact, ScoredSort, Store, StoreError};
use crate::domain::{dates, ContactHistory, ContactId, PurchaseEvent};

fn pattern(search: Option<&str>) -> Option<String> {
    search
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", like_escape(s)))
}

impl Store {
    /// How many interactions [`Store::list_interactions`] would list without limit and offset.
    pub fn count_interactions(&self, filter: &InteractionFilter) -> Result<usize> {
        let search = pattern(filter.search.as_deref());
        let n: i64 = self
            .conn()
            .prepare_cached(
                "SELECT count(*) FROM interactions i JOIN contacts c ON c.id = i.contact_id
                 WHERE (?1 IS NULL OR i.contact_id = ?1) AND (?2 IS NULL OR i.kind = ?2)
                   AND (?3 IS NULL OR i.summary LIKE ?3 ESCAPE '\\' OR i.item LIKE ?3 ESCAPE '\\' OR c.name LIKE ?3 ESCAPE '\\')",
            )?
            .query_row(params![filter.contact, filter.kind.map(|k| k.as_str()), search], |r| r.get(0))?;
        Ok(n as usize)
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
        let sql = format!(
            "SELECT pos FROM (
                SELECT t.id, row_number() OVER (ORDER BY {order}) - 1 AS pos FROM (
                    SELECT c.id, c.name, s.churn_probability AS churn, s.clv,
                           (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = c.id) AS last_touch
                    FROM contacts c LEFT JOIN scores s ON s.contact_id = c.id WHERE {SEARCH}) t)
             WHERE id = ?2"
        );
        let pos: Option<i64> = rusqlite::OptionalExtension::optional(
            self.conn()
                .prepare_cached(&sql)?
                .query_row(params![pattern(search), id], |r| r.get(0)),
        )?;
        Ok(pos.map(|p| p as usize))
    }

    /// The `n` clients whose purchases look most like `id`'s (cosine over item counts), with names.
    /// Same result as [`Store::similar_clients`], but only clients sharing at least one item (the only
    /// ones that can score above zero) are read, so the cost does not grow with the whole database.
    pub fn clients_like(&self, id: ContactId, n: usize) -> Result<Vec<(ContactId, String, f64)>> {
        let target = history::load_one(self.conn(), id)?;
        let mut items: Vec<&str> = target
            .purchases
            .iter()
            .filter_map(|p| p.item.as_deref().map(str::trim))
            .filter(|s| !s.is_empty())
            .collect();
        items.sort_unstable();
        items.dedup();
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let items_json = serde_json::to_string(&items).unwrap_or_else(|_| "[]".into());
        let mut stmt = self.conn().prepare_cached(
            "SELECT p.contact_id, p.amount, p.item FROM interactions p
             WHERE p.kind = 'purchase' AND p.contact_id <> ?1 AND p.contact_id IN (
                 SELECT DISTINCT q.contact_id FROM interactions q
                 WHERE q.kind = 'purchase' AND trim(q.item) IN (SELECT value FROM json_each(?2)))",
        )?;
        let mut others: HashMap<ContactId, ContactHistory> = HashMap::new();
        let mut rows = stmt.query(params![id, items_json])?;
        while let Some(row) = rows.next()? {
            let contact: ContactId = row.get(0)?;
            let history = others.entry(contact).or_insert_with(|| ContactHistory {
                contact_id: contact,
                ..Default::default()
            });
            history.purchases.push(PurchaseEvent {
                date: Default::default(),
                amount: row.get::<_, Option<i64>>(1)?.unwrap_or(0),
                item: row.get(2)?,
            });
        }
        let others: Vec<ContactHistory> = others.into_values().collect();
        let found = crate::scoring::similar_clients(&target, &others, n);
        let mut name = self
            .conn()
            .prepare_cached("SELECT name FROM contacts WHERE id = ?1")?;
        let mut out = Vec::with_capacity(found.len());
        for (other, similarity) in found {
            out.push((other, name.query_row([other], |r| r.get(0))?, similarity));
        }
        Ok(out)
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
        let search = pattern(filter.search.as_deref());
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
        let search_sql = if search.is_some() {
            "(i.summary LIKE ?3 ESCAPE '\\' OR i.item LIKE ?3 ESCAPE '\\' OR c.name LIKE ?3 ESCAPE '\\')"
        } else {
            "?3 IS NULL"
        };
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM interactions i JOIN contacts c ON c.id = i.contact_id
             WHERE {contact_sql} AND {kind_sql} AND {search_sql} LIMIT ?4)"
        );
        let n: i64 = self.conn().prepare_cached(&sql)?.query_row(
            params![
                filter.contact,
                filter.kind.map(|k| k.as_str()),
                search,
                cap as i64
            ],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }
}

/// Which contacts a TUI page lists.
#[derive(Debug, Clone, Copy)]
pub enum PageOf<'a> {
    /// Contacts matching a search (as [`Store::scored_contacts`]).
    Search(Option<&'a str>),
    /// Clients at risk from this churn probability (as [`Store::at_risk_contacts`]).
    AtRisk(f64),
}

impl Store {
    /// The same page as [`Store::scored_contacts`] / [`Store::at_risk_contacts`], read ids first:
    /// the sort and the offset skip over ids only, and only the page's rows are read in full
    /// (their score bodies and last touch), so deep pages and re-sorts stay cheap.
    pub fn scored_page(
        &self,
        of: PageOf,
        sort: ScoredSort,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ScoredContact>> {
        let order = sort.order_sql();
        let (condition, first): (&str, rusqlite::types::Value) = match of {
            PageOf::Search(search) => (
                SEARCH,
                pattern(search)
                    .map(Into::into)
                    .unwrap_or(rusqlite::types::Value::Null),
            ),
            PageOf::AtRisk(min) => (AT_RISK, min.into()),
        };
        let sql = match of {
            // From the scores table alone, so the value-at-risk index gives the order and the
            // scan stops once the page is full.
            PageOf::AtRisk(_) if sort == ScoredSort::ValueAtRisk => format!(
                "SELECT s.contact_id FROM scores s WHERE {condition}
                 ORDER BY s.churn_probability * s.clv DESC, s.contact_id LIMIT ?2 OFFSET ?3"
            ),
            _ => format!(
                "SELECT c.id FROM contacts c LEFT JOIN scores s ON s.contact_id = c.id WHERE {condition}
                 ORDER BY {order} LIMIT ?2 OFFSET ?3"
            ),
        };
        let ids = self
            .conn()
            .prepare_cached(&sql)?
            .query_map(params![first, limit as i64, offset as i64], |r| {
                r.get::<_, ContactId>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.scored_rows(&ids)
    }

    /// Every client [`Store::at_risk_contacts`] lists, as ids in its order (one pass; pages of it
    /// are then read with [`Store::scored_rows`]).
    pub fn at_risk_ids(&self, min_churn: f64) -> Result<Vec<ContactId>> {
        let sql = at_risk_ids_sql();
        let ids = self
            .conn()
            .prepare_cached(&sql)?
            .query_map([min_churn], |r| r.get::<_, ContactId>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// These contacts with their scores and last touch, in the order given (missing ones skipped).
    pub fn scored_rows(&self, ids: &[ContactId]) -> Result<Vec<ScoredContact>> {
        let mut row = self.conn().prepare_cached(
            "SELECT c.id, c.external_id, c.name, c.email, c.phone, c.company, c.tags, c.note, c.referred_by, c.created_at, c.archived,
                    d.body, (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = c.id)
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
mod tests {
    use super::*;

    fn plan(store: &Store, sql: &str) -> String {
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = stmt
            .query_map([0.5], |r| r.get::<_, String>(3))
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
        let plan = plan(&store, &at_risk_ids_sql());
        assert!(
            plan.contains("COVERING INDEX scores_value_at_risk")
                && !plan.contains("TEMP B-TREE FOR ORDER BY"),
            "{plan}"
        );
    }
}

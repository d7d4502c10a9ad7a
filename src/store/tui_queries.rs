//! Small read-only queries the TUI needs beyond the common ones: timeline counts for paging,
//! where a contact sits in a sorted list (to jump to it), and the clients most like a client.

use std::collections::HashMap;

use rusqlite::params;

use super::contacts::like_escape;
use super::interactions::InteractionFilter;
use super::{history, Result, ScoredSort, Store};
use crate::domain::{ContactHistory, ContactId, PurchaseEvent};

const SEARCH: &str = "?1 IS NULL OR c.name LIKE ?1 ESCAPE '\\' OR c.company LIKE ?1 ESCAPE '\\'
                      OR c.email LIKE ?1 ESCAPE '\\' OR c.tags LIKE ?1 ESCAPE '\\'";

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

//! The clients most like a client ([`crate::scoring::similarity`]), read through the basket index
//! of migration 10: each distinct basket is scored once, and only the members of the best ones
//! are read, so the cost follows the number of distinct baskets (a few hundred) rather than the
//! purchases in the file.

use super::{history, Result, Store, StoreError};
use crate::domain::ContactId;
use crate::scoring::{most_alike, BasketScorer};

/// Every distinct basket a client holds, as a JSON array of item names.
const BASKETS_SQL: &str = "SELECT id, items FROM baskets";
/// The first clients holding a basket by id, one left out.
const MEMBERS_SQL: &str = "SELECT contact_id FROM contact_baskets
     WHERE basket_id = ?1 AND contact_id <> ?2 ORDER BY contact_id LIMIT ?3";

impl Store {
    /// The `n` clients whose purchases look most like `id`'s, with names: the same list as
    /// [`crate::scoring::similar_clients`] over everyone, with the stored item model's rarities.
    pub fn clients_like(&self, id: ContactId, n: usize) -> Result<Vec<(ContactId, String, f64)>> {
        let target = history::load_one(self.conn(), id)?;
        let items = self.models()?.map(|m| m.items).unwrap_or_default();
        let scorer = BasketScorer::new(&target, &items);
        if !scorer.has_basket() || n == 0 {
            return Ok(Vec::new());
        }
        let mut scored = Vec::new();
        let mut stmt = self.conn().prepare_cached(BASKETS_SQL)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let basket: i64 = row.get(0)?;
            let items = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            let names: Vec<String> = serde_json::from_str(items)
                .map_err(|e| StoreError::invalid(format!("basket {basket} is damaged: {e}")))?;
            scored.push((basket, scorer.score(&names)));
        }
        let mut members = self.conn().prepare_cached(MEMBERS_SQL)?;
        let found = most_alike(scored, n, |basket, k| {
            members
                .query_map(rusqlite::params![basket, id, k as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<ContactId>>>()
                .map_err(StoreError::from)
        })?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tui_queries::tests::plan;

    #[test]
    fn a_basket_s_members_are_read_from_the_members_index_in_id_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.db")).unwrap();
        let members = plan(&store, MEMBERS_SQL);
        assert!(
            members.contains("COVERING INDEX contact_baskets_members")
                && !members.contains("TEMP B-TREE"),
            "{members}"
        );
    }
}

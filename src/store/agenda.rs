//! What the morning view reads beyond the follow-up lists: the most valuable at-risk clients
//! with nothing planned, and the next planned date of the clients on a page.

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use super::scores::AT_RISK_CONDITION as AT_RISK;
use super::{Result, ScoredContact, Store};
use crate::domain::{ContactId, Due};

/// An at-risk client "has a plan" while any follow-up of theirs is open.
const UNPLANNED: &str = "NOT EXISTS (SELECT 1 FROM follow_ups f
     WHERE f.contact_id = s.contact_id AND f.done_at IS NULL)";

impl Store {
    /// The `n` at-risk clients with the most value at risk (churn × CLV) that have no open
    /// follow-up, best first, and how many clients are at risk in all.
    pub fn at_risk_unplanned(&self, n: usize) -> Result<(Vec<ScoredContact>, usize)> {
        let ids = self
            .conn()
            .prepare_cached(&format!(
                "SELECT s.contact_id FROM scores s WHERE {AT_RISK} AND {UNPLANNED}
                 ORDER BY s.churn_probability * s.clv DESC, s.contact_id LIMIT ?1"
            ))?
            .query_map([i64::try_from(n).unwrap_or(i64::MAX)], |r| {
                r.get::<_, ContactId>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((self.scored_rows(&ids)?, self.count_at_risk()?))
    }

    /// The earliest open follow-up's due date of each of `ids` that has one.
    pub fn next_follow_ups(&self, ids: &[ContactId]) -> Result<HashMap<ContactId, Due>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT min(due) FROM follow_ups WHERE contact_id = ?1 AND done_at IS NULL",
        )?;
        let mut next = HashMap::new();
        for &id in ids {
            let due: Option<String> = stmt.query_row([id], |r| r.get(0)).optional()?.flatten();
            if let Some(due) = due.as_deref().and_then(Due::from_storage) {
                next.insert(id, due);
            }
        }
        Ok(next)
    }
}

//! What the morning view reads beyond the follow-up lists: the most valuable at-risk clients
//! with nothing planned, the next planned date of the clients on a page, and birthdays.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::scores::AT_RISK_CONDITION as AT_RISK;
use super::{Result, ScoredContact, Store};
use crate::domain::card::Birthday;
use crate::domain::{ContactId, Due};

/// A contact's birthday on a day of the agenda.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BirthdayRow {
    pub contact_id: ContactId,
    pub name: String,
    pub day: NaiveDate,
    /// The age reached that day, when the year of birth is known.
    pub age: Option<i32>,
}

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

    /// The birthdays of contacts not archived from `from` to `until` (both included), by day
    /// then name; 29 February falls on 28 February in other years.
    pub fn birthdays(&self, from: NaiveDate, until: NaiveDate) -> Result<Vec<BirthdayRow>> {
        let mut days = Vec::new();
        let mut day = from;
        while day <= until && days.len() < 366 {
            days.push(day);
            day += Duration::days(1);
        }
        let mut keys: Vec<String> = days.iter().map(|d| d.format("%m-%d").to_string()).collect();
        keys.push("02-29".into());
        let keys = serde_json::to_string(&keys).unwrap_or_default();
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, birthday FROM contacts
             WHERE birthday IS NOT NULL AND archived = 0
               AND substr(birthday, -5) IN (SELECT value FROM json_each(?1))",
        )?;
        let found = stmt
            .query_map([keys], |r| {
                Ok((
                    r.get::<_, ContactId>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut rows: Vec<BirthdayRow> = found
            .into_iter()
            .filter_map(|(id, name, text)| {
                let birthday = Birthday::from_storage(&text)?;
                let day = *days.iter().find(|d| birthday.falls_on(**d))?;
                Some(BirthdayRow {
                    contact_id: id,
                    name,
                    day,
                    age: birthday.age_on(day),
                })
            })
            .collect();
        rows.sort_by_key(|b| (b.day, b.name.to_lowercase()));
        Ok(rows)
    }
}

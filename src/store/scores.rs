//! Persisted scores (one row per contact) and fitted models (one row per fit).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, OptionalExtension};

use super::search::contacts_matching;
use super::{Result, Store, StoreError, Write};
use crate::domain::{dates, Contact, ContactId, ScorePoint, Scores};

/// A fitted model set as stored: the engine's own JSON plus what lists show about it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredModels {
    pub version: i64,
    pub fitted_at: NaiveDateTime,
    pub as_of: NaiveDate,
    pub training_size: i64,
    pub body: String,
}

/// A contact with its scores (None until first scored) and last touch, for tables.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScoredContact {
    pub contact: Contact,
    pub scores: Option<Scores>,
    pub last_touch: Option<NaiveDateTime>,
}

/// Sort orders for scored contact tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScoredSort {
    #[default]
    Name,
    /// Contact id (stable, for exports).
    Id,
    /// Churn probability × CLV, largest first.
    ValueAtRisk,
    Churn,
    Clv,
    LastTouch,
}

impl ScoredSort {
    pub const ALL: [ScoredSort; 6] = [
        ScoredSort::Name,
        ScoredSort::Id,
        ScoredSort::ValueAtRisk,
        ScoredSort::Churn,
        ScoredSort::Clv,
        ScoredSort::LastTouch,
    ];
}

/// Clients worth a call: those in the At risk stage, which `churn.at_risk_threshold` alone decides
/// (see `scoring::lifecycle`), so every list and count agrees with the stage shown.
///
/// The value-at-risk index holds the stage, so counting and ranking read that index alone.
pub(super) const AT_RISK_CONDITION: &str = "s.stage = 'at_risk'";

fn json_error(e: serde_json::Error) -> StoreError {
    StoreError::invalid(format!(
        "stored scores cannot be read ({}); run `rapport score --refit`",
        e
    ))
}

impl Write<'_> {
    pub fn save_scores(&mut self, scores: &Scores) -> Result<()> {
        save_scores(self.tx(), scores)
    }
}

/// Stores one contact's scores (inside the caller's transaction), replacing what was there.
pub(super) fn save_scores(conn: &rusqlite::Connection, scores: &Scores) -> Result<()> {
    let body = serde_json::to_string(scores).map_err(json_error)?;
    conn.prepare_cached(
        "INSERT INTO scores (contact_id, as_of, model_version, stage, segment_id, churn_probability, clv,
                             satisfaction, loyalty, recency_days, frequency, monetary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (contact_id) DO UPDATE SET
            as_of = excluded.as_of, model_version = excluded.model_version, stage = excluded.stage,
            segment_id = excluded.segment_id, churn_probability = excluded.churn_probability, clv = excluded.clv,
            satisfaction = excluded.satisfaction, loyalty = excluded.loyalty, recency_days = excluded.recency_days,
            frequency = excluded.frequency, monetary = excluded.monetary",
    )?
    .execute(params![
        scores.contact_id,
        scores.as_of.to_string(),
        scores.model_version,
        scores.stage.key(),
        scores.segment_id,
        scores.churn_probability,
        scores.clv,
        scores.satisfaction,
        scores.loyalty,
        scores.recency_days,
        scores.frequency,
        scores.monetary,
    ])?;
    conn.prepare_cached(
        "INSERT INTO score_details (contact_id, body) VALUES (?1, ?2)
         ON CONFLICT (contact_id) DO UPDATE SET body = excluded.body",
    )?
    .execute(params![scores.contact_id, body])?;
    Ok(())
}

impl Write<'_> {
    /// The version the next fitted model set will get.
    pub fn next_model_version(&self) -> Result<i64> {
        Ok(self.tx().query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM models",
            [],
            |r| r.get(0),
        )?)
    }

    /// Stores a model set under `version` (from [`Write::next_model_version`]).
    pub fn save_models(
        &mut self,
        version: i64,
        as_of: NaiveDate,
        training_size: usize,
        body: &str,
        fitted_at: NaiveDateTime,
    ) -> Result<()> {
        self.tx().execute(
            "INSERT INTO models (version, fitted_at, as_of, training_size, body) VALUES (?5, ?1, ?2, ?3, ?4)",
            params![dates::to_storage(fitted_at), as_of.to_string(), training_size as i64, body, version],
        )?;
        // Older fits are not needed once a newer one scored everyone; keep the last few for reference.
        self.tx()
            .execute("DELETE FROM models WHERE version <= ?1 - 5", [version])?;
        Ok(())
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx().execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

impl Store {
    pub fn scores(&self, id: ContactId) -> Result<Option<Scores>> {
        read_scores(&self.conn, id)
    }

    /// Every scored client's segment, churn, recency, frequency and spend, in contact order.
    pub fn score_points(&self) -> Result<Vec<ScorePoint>> {
        let mut stmt = self.conn.prepare(
            "SELECT segment_id, churn_probability, recency_days, frequency, monetary
             FROM scores ORDER BY contact_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ScorePoint {
                segment_id: r.get(0)?,
                churn_probability: r.get(1)?,
                recency_days: r.get(2)?,
                frequency: r.get(3)?,
                monetary: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many clients [`Store::at_risk_contacts`] would list.
    pub fn count_at_risk(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM scores s WHERE {AT_RISK_CONDITION}"
            ))?
            .query_row([], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// How many contacts match `search` (for scroll bars and paging).
    pub fn count_contacts(&self, search: Option<&str>) -> Result<usize> {
        let (matching, value) = contacts_matching(search, true);
        let n: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM contacts c WHERE {matching}"))?
            .query_row([value], |r| r.get(0))?;
        Ok(n as usize)
    }

    pub fn latest_models(&self) -> Result<Option<StoredModels>> {
        latest_models(&self.conn)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        meta(&self.conn, key)
    }
}

pub(crate) fn read_scores(conn: &rusqlite::Connection, id: ContactId) -> Result<Option<Scores>> {
    let body: Option<String> = conn
        .prepare_cached("SELECT body FROM score_details WHERE contact_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    body.map(|b| serde_json::from_str(&b).map_err(json_error))
        .transpose()
}

pub(crate) fn meta(conn: &rusqlite::Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn latest_models(conn: &rusqlite::Connection) -> Result<Option<StoredModels>> {
    conn
            .prepare_cached("SELECT version, fitted_at, as_of, training_size, body FROM models ORDER BY version DESC LIMIT 1")?
            .query_row([], |r| {
                let fitted: String = r.get(1)?;
                let as_of: String = r.get(2)?;
                Ok(StoredModels {
                    version: r.get(0)?,
                    fitted_at: dates::from_storage(&fitted).unwrap_or_default(),
                    as_of: as_of.parse().unwrap_or_default(),
                    training_size: r.get(3)?,
                    body: r.get(4)?,
                })
            })
            .optional()
            .map_err(Into::into)
}

/// The stored models, or the one sentence that says to refit them.
pub(super) fn parse_models(body: &str) -> Result<crate::scoring::Models> {
    crate::scoring::Models::from_json(body).map_err(|e| {
        StoreError::invalid(format!(
            "{}; run `rapport score --refit`",
            e.trim_end_matches("; refit them")
        ))
    })
}

//! The action ledger: each recommended action Rapport showed (or held back), one row per
//! (contact, action) episode, and — read from the interactions when the report asks — whether it
//! was acted on and whether the client came back. Nothing derived is stored, so nothing goes stale.

use chrono::NaiveDate;
use rusqlite::{params, ErrorCode, OptionalExtension, Transaction, TransactionBehavior};

use super::{Result, Store, StoreError};
use crate::domain::{ContactId, Stage};
use crate::scoring::ledger::{acting_kinds, held_back, SuggestionOutcome};

/// The actions a screen is about to show for one contact, in order: it shows the first `max`
/// of them that are not held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownActions {
    pub contact: ContactId,
    pub stage: Stage,
    pub actions: Vec<String>,
    pub max: usize,
}

/// The suggestion of an action that is still within its window today, if any: an episode.
const CURRENT_EPISODE: &str = "SELECT shown FROM suggestions
    WHERE contact_id = ?1 AND action = ?2 AND suggested_on <= ?3
      AND date(suggested_on, '+' || window_days || ' days') >= ?3
    ORDER BY suggested_on DESC LIMIT 1";

/// Adds the episode unless another session just did (or the contact was just forgotten).
const INSERT_EPISODE: &str = "INSERT INTO suggestions
        (contact_id, action, stage, suggested_on, window_days, shown)
    SELECT ?1, ?2, ?3, ?4, ?5, ?6
    WHERE EXISTS (SELECT 1 FROM contacts WHERE id = ?1)
      AND NOT EXISTS (SELECT 1 FROM suggestions
        WHERE contact_id = ?1 AND action = ?2 AND suggested_on <= ?4
          AND date(suggested_on, '+' || window_days || ' days') >= ?4)";

/// Every suggestion up to `today` with the touches and purchases inside its window (and not
/// after `today`).
const OUTCOMES: &str = "SELECT s.action, s.shown,
        date(s.suggested_on, '+' || s.window_days || ' days') < ?1,
        (SELECT group_concat(DISTINCT i.kind) FROM interactions i
          WHERE i.contact_id = s.contact_id AND i.kind IN ('call', 'email', 'meeting')
            AND i.occurred_at >= s.suggested_on
            AND i.occurred_at < min(date(s.suggested_on, '+' || (s.window_days + 1) || ' days'),
                                    date(?1, '+1 day'))),
        EXISTS (SELECT 1 FROM interactions i
          WHERE i.contact_id = s.contact_id AND i.kind = 'purchase'
            AND i.occurred_at >= s.suggested_on
            AND i.occurred_at < min(date(s.suggested_on, '+' || (s.window_days + 1) || ' days'),
                                    date(?1, '+1 day')))
    FROM suggestions s WHERE s.suggested_on <= ?1";

/// Whether an action is in a recorded episode, and whether that episode is shown.
struct Episode {
    shown: bool,
    recorded: bool,
}

impl Store {
    fn episode(&self, today: NaiveDate, contact: ContactId, action: &str) -> Result<Episode> {
        let recorded = self
            .conn
            .prepare_cached(CURRENT_EPISODE)?
            .query_row(params![contact, action, today.to_string()], |r| {
                r.get::<_, bool>(0)
            })
            .optional()?;
        Ok(match recorded {
            Some(shown) => Episode {
                shown,
                recorded: true,
            },
            // A new episode would start today: its hold-back is decided by the hash alone.
            None => Episode {
                shown: !held_back(contact, action, today, self.config.actions.holdback_share),
                recorded: false,
            },
        })
    }

    /// `actions` without the held-back ones: what a screen may show. Only reads.
    pub fn shown_actions(
        &self,
        today: NaiveDate,
        contact: ContactId,
        actions: &[String],
    ) -> Result<Vec<String>> {
        let mut shown = Vec::new();
        for action in actions {
            if self.episode(today, contact, action)?.shown {
                shown.push(action.clone());
            }
        }
        Ok(shown)
    }

    /// Records what a screen shows: per contact, its actions in order up to the `max`th shown one
    /// (held-back ones on the way with shown = 0), each as a new suggestion unless its episode is
    /// already recorded. Returns each contact's actions without the held-back ones.
    ///
    /// A read-only database, or one still locked after the busy timeout, records nothing and is
    /// not an error: showing advice must not fail because the ledger cannot be written.
    pub fn record_shown(
        &self,
        today: NaiveDate,
        shown: &[ShownActions],
    ) -> Result<Vec<Vec<String>>> {
        let mut visible = Vec::with_capacity(shown.len());
        let mut new = Vec::new();
        for item in shown {
            let mut listed = Vec::new();
            for action in &item.actions {
                let episode = self.episode(today, item.contact, action)?;
                if listed.len() < item.max && !episode.recorded {
                    new.push((item.contact, item.stage, action.as_str(), episode.shown));
                }
                if episode.shown {
                    listed.push(action.clone());
                }
            }
            visible.push(listed);
        }
        if new.is_empty() {
            return Ok(visible);
        }
        match self.insert_episodes(today, &new) {
            Err(StoreError::Sqlite(e))
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::ReadOnly | ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) =>
            {
                Ok(visible)
            }
            Err(e) => Err(e),
            Ok(()) => Ok(visible),
        }
    }

    /// One short immediate transaction for all of a screen's new suggestions.
    fn insert_episodes(
        &self,
        today: NaiveDate,
        new: &[(ContactId, Stage, &str, bool)],
    ) -> Result<()> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        {
            let mut insert = tx.prepare_cached(INSERT_EPISODE)?;
            let window = self.config.actions.outcome_window_days;
            for (contact, stage, action, shown) in new {
                insert.execute(params![
                    contact,
                    action,
                    stage.key(),
                    today.to_string(),
                    window,
                    shown
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every suggestion made up to `today` and what followed it within its window.
    pub fn suggestion_outcomes(&self, today: NaiveDate) -> Result<Vec<SuggestionOutcome>> {
        let mut statement = self.conn.prepare(OUTCOMES)?;
        let rows = statement.query_map([today.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?;
        let mut outcomes = Vec::new();
        for row in rows {
            let (action, shown, elapsed, touched, came_back) = row?;
            let kinds = acting_kinds(&action);
            let acted = touched
                .unwrap_or_default()
                .split(',')
                .any(|kind| kinds.iter().any(|k| k.as_str() == kind));
            outcomes.push(SuggestionOutcome {
                action,
                shown,
                acted,
                came_back,
                decided: elapsed || came_back,
            });
        }
        Ok(outcomes)
    }

    /// How many suggestions the ledger holds (for tests and `doctor`-style summaries).
    pub fn suggestion_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM suggestions", [], |r| r.get(0))?)
    }
}

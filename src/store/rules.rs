//! Automation: when a client enters a stage with a rule (`follow_ups.on_enter`), a follow-up
//! with that stage's first recommended action is planned, due some days later. Once per entry:
//! only a change of stage triggers it, never a re-score that leaves the stage as it was, and
//! not while a follow-up from the same rule is still open. It runs inside the write that changed
//! the stage — the incremental re-score of a log, or a refit — so it is done exactly once even
//! with several sessions writing (their writes are serialised by the write lock).

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use rusqlite::params;

use super::{Result, Write};
use crate::config::Config;
use crate::domain::dates::to_storage;
use crate::domain::{ContactId, Due, FollowUpId, Scores, Stage};

/// A follow-up a rule planned.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub id: FollowUpId,
    pub contact_id: ContactId,
    pub text: String,
    pub due: Due,
}

/// Every contact's stage before a full re-score, for the rules to compare with; empty (and no
/// rule fires) when no rule is on or nobody was scored before (a first fit is nobody's entry).
pub struct StagesBefore(HashMap<ContactId, Stage>);

impl StagesBefore {
    pub fn read(w: &Write, config: &Config) -> Result<StagesBefore> {
        let mut stages = HashMap::new();
        if Stage::ALL
            .iter()
            .any(|s| config.follow_ups.rule_for(*s).is_some())
        {
            let mut stmt = w.tx().prepare("SELECT contact_id, stage FROM scores")?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, ContactId>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (id, key) = row?;
                if let Some(stage) = Stage::from_key(&key) {
                    stages.insert(id, stage);
                }
            }
        }
        Ok(StagesBefore(stages))
    }

    pub fn get(&self, id: ContactId) -> Option<Stage> {
        self.0.get(&id).copied()
    }
}

impl Write<'_> {
    /// Plans the rule's follow-up if `after` entered a stage with a rule on (from a different
    /// stage `before`; a contact scored for the first time enters nothing) and none from that
    /// rule is open for the contact.
    pub fn apply_stage_rule(
        &mut self,
        before: Option<Stage>,
        after: &Scores,
        config: &Config,
        now: NaiveDateTime,
    ) -> Result<Option<Planned>> {
        let Some(before) = before else {
            return Ok(None);
        };
        let stage = after.stage;
        let Some(days) = config
            .follow_ups
            .rule_for(stage)
            .filter(|_| before != stage)
        else {
            return Ok(None);
        };
        let Some(action) = config.actions.for_stage(stage).first() else {
            return Ok(None);
        };
        let open: bool = self.tx().prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM follow_ups WHERE contact_id = ?1 AND rule = ?2 AND done_at IS NULL)",
        )?
        .query_row(params![after.contact_id, stage.key()], |r| r.get(0))?;
        if open {
            return Ok(None);
        }
        let due = Due {
            date: self.today() + Duration::days(i64::from(days)),
            time: None,
        };
        self.tx()
            .prepare_cached(
                "INSERT INTO follow_ups (contact_id, text, due, source, rule, created_at)
                 VALUES (?1, ?2, ?3, 'rule', ?4, ?5)",
            )?
            .execute(params![
                after.contact_id,
                action,
                due.to_storage(),
                stage.key(),
                to_storage(now)
            ])?;
        Ok(Some(Planned {
            id: self.tx().last_insert_rowid(),
            contact_id: after.contact_id,
            text: action.clone(),
            due,
        }))
    }
}

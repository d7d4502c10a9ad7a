//! Automation: when a client enters a stage with a rule (`follow_ups.on_enter`), a follow-up
//! with that stage's first recommended action is planned, due some days later. Once per entry:
//! only a change of stage triggers it, never a re-score that leaves the stage as it was, and
//! not while a follow-up from the same rule is still open. It runs inside the write that changed
//! the stage — the incremental re-score of a log, or a refit — so it is done exactly once even
//! with several sessions writing (their writes are serialised by the write lock).
//!
//! A history written all at once (the demo) was never re-scored day by day, so nobody entered
//! anything; [`Write::replay_stage_rules`] plans what those days would have.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::scores::{latest_models, parse_models};
use super::{history, Result, Write};
use crate::config::Config;
use crate::domain::dates::{from_storage, to_storage};
use crate::domain::{ContactHistory, ContactId, Due, FollowUpId, Scores, Stage};
use crate::scoring::{self, Models};

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
        // `now` is on the write's day (see `rescore::now`), or a replayed day of entry.
        let due = Due {
            date: now.date() + Duration::days(i64::from(days)),
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

    /// Plans what the rules would have planned had Rapport re-scored every day of the `days`
    /// before today: each client now in a stage with a rule who entered it within them (the
    /// stored models applied to each of those days) gets the rule's follow-up through
    /// [`Write::apply_stage_rule`], planned when they entered that day and due the rule's days
    /// after it; oldest entries first. Clients added within the window who bought on their first
    /// day enter nothing, as a contact scored for the first time does.
    pub fn replay_stage_rules(&mut self, config: &Config, days: u32) -> Result<Vec<Planned>> {
        let stages: Vec<String> = Stage::ALL
            .into_iter()
            .filter(|s| config.follow_ups.rule_for(*s).is_some())
            .map(|s| format!("'{}'", s.key()))
            .collect();
        let models = latest_models(self.tx())?
            .map(|m| parse_models(&m.body))
            .transpose()?;
        let (Some(models), false) = (models, stages.is_empty()) else {
            return Ok(Vec::new());
        };
        let ids: Vec<ContactId> = self
            .tx()
            .prepare(&format!(
                "SELECT contact_id FROM scores WHERE stage IN ({}) ORDER BY contact_id",
                stages.join(", ")
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut entries = Vec::new();
        for id in ids {
            let history = history::load_one(self.tx(), id)?;
            entries.extend(entry_within(&history, &models, config, self.today(), days));
        }
        entries.sort_by_key(|(before, after)| (after.as_of, *before, after.contact_id));
        let mut planned = Vec::new();
        for (before, after) in entries {
            let at = self.entered_at(after.contact_id, after.as_of)?;
            planned.extend(self.apply_stage_rule(Some(before), &after, config, at)?);
        }
        Ok(planned)
    }

    /// When a re-score would have moved a contact on `day`: on logging their last entry of that
    /// day (a first purchase), or else at the morning's refit (time passing: At risk).
    fn entered_at(&self, contact: ContactId, day: NaiveDate) -> Result<NaiveDateTime> {
        let next = day.succ_opt().unwrap_or(day);
        let logged: Option<String> = self
            .tx()
            .prepare_cached(
                "SELECT max(occurred_at) FROM interactions
                 WHERE contact_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3",
            )?
            .query_row(params![contact, day.to_string(), next.to_string()], |r| {
                r.get(0)
            })?;
        let morning = day.and_hms_opt(8, 0, 0).expect("eight o'clock");
        Ok(logged
            .as_deref()
            .and_then(from_storage)
            .map_or(morning, |at| at.max(morning)))
    }
}

/// When the client of `history` entered the stage they are in on `today`, if that was within
/// the `days` before: the stage they came from and their scores on the day they entered.
fn entry_within(
    history: &ContactHistory,
    models: &Models,
    config: &Config,
    today: NaiveDate,
    days: u32,
) -> Option<(Stage, Scores)> {
    let mut entered = scoring::score(history, models, today, config);
    for back in 1..=i64::from(days) {
        let day = today - Duration::days(back);
        // Not there yet that day: they were scored first when they already were where they are.
        if history.created_on.is_none_or(|added| added > day) {
            return None;
        }
        let scores = scoring::score(history, models, day, config);
        if scores.stage != entered.stage {
            return Some((scores.stage, entered));
        }
        entered = scores;
    }
    None
}

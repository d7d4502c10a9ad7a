//! Stay in touch: which contacts' cadences have come round (`today`'s "Stay in touch"), from
//! their own cadence or, for those without, the config's for their stage and their rhythm of
//! buying ([`crate::domain::cadence`]). Nothing is stored but a contact's own setting: the due
//! day is worked out from the kept last touch each time, so any interaction resets it.

use chrono::{Days, NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::{Result, Store, Write};
use crate::domain::cadence::{RHYTHM_MIN_DAYS, RHYTHM_MIN_PURCHASE_DAYS};
use crate::domain::dates::from_storage;
use crate::domain::{Cadence, CadenceSource, ContactId, Every, OwnCadence, Scores, Stage};

/// A contact whose stay-in-touch cadence has come round.
#[derive(Debug, Clone, PartialEq)]
pub struct TouchDue {
    pub contact_id: ContactId,
    pub contact_name: String,
    pub every: Every,
    /// Where `every` came from: the contact's own, their stage's in the config, their rhythm.
    pub source: CadenceSource,
    /// The last interaction of any kind (None: none yet, counted from when they were added).
    pub last_touch: Option<NaiveDateTime>,
    /// When the next touch was due.
    pub due: NaiveDate,
}

impl TouchDue {
    /// Due if a touch on `cadence` after `since` (the last touch, else when they were added)
    /// falls on or before `today`.
    fn if_due(
        (contact_id, contact_name): (ContactId, String),
        cadence: Cadence,
        last_touch: Option<NaiveDateTime>,
        since: NaiveDate,
        today: NaiveDate,
    ) -> Option<TouchDue> {
        let due = cadence.due_after(since);
        (due <= today).then_some(TouchDue {
            contact_id,
            contact_name,
            every: cadence.every,
            source: cadence.source,
            last_touch,
            due,
        })
    }
}

impl Write<'_> {
    /// Sets a contact's own stay-in-touch cadence, opts them out of any (`Off`), or hands them
    /// back to the config's for their stage (`FromConfig`).
    pub fn set_stay_in_touch(&mut self, contact: ContactId, cadence: OwnCadence) -> Result<()> {
        self.tx().execute(
            "UPDATE contacts SET stay_in_touch = ?2 WHERE id = ?1",
            params![contact, cadence.to_storage()],
        )?;
        Ok(())
    }
}

impl Store {
    /// Contacts whose stay-in-touch cadence — their own, else the config's for their stage
    /// ([`crate::domain::cadence`]) — has come round: the next touch (last interaction, or when
    /// they were added, plus the cadence) falls on or before `today`. Longest overdue first.
    pub fn touches_due(&self, today: NaiveDate) -> Result<Vec<TouchDue>> {
        let mut due = self.own_touches_due(today)?;
        due.extend(self.config_touches_due(today)?);
        due.sort_by(|a, b| a.due.cmp(&b.due).then(a.contact_id.cmp(&b.contact_id)));
        Ok(due)
    }

    /// Touches due on contacts' own cadences.
    fn own_touches_due(&self, today: NaiveDate) -> Result<Vec<TouchDue>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, stay_in_touch, last_touch, created_at FROM contacts
             WHERE stay_in_touch IS NOT NULL AND stay_in_touch <> 'off' AND archived = 0",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                (r.get::<_, ContactId>(0)?, r.get::<_, String>(1)?),
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut due = Vec::new();
        for row in rows {
            let (contact, cadence, last, created) = row?;
            let OwnCadence::Every(every) = OwnCadence::from_storage(Some(&cadence)) else {
                continue;
            };
            let (last_touch, since) = touched_since(last, &created, today);
            let cadence = Cadence {
                every,
                source: CadenceSource::Own,
            };
            due.extend(TouchDue::if_due(contact, cadence, last_touch, since, today));
        }
        Ok(due)
    }

    /// Touches due on the config's cadences, for contacts without their own (and not opted
    /// out) and with no follow-up open: one already planned is the touch.
    fn config_touches_due(&self, today: NaiveDate) -> Result<Vec<TouchDue>> {
        let config = &self.config().follow_ups.stay_in_touch;
        let stages: Vec<(Stage, Every)> = Stage::ALL
            .into_iter()
            .filter_map(|s| config.cadence_for(s).map(|every| (s, every)))
            .collect();
        // (The stages' cadences only bound the search; `cadence_of` decides each client's.)
        // Nobody can be due whose last touch is more recent than the shortest cadence allows:
        // SQL skips them (the exact date is worked out below), first by the days since their
        // last purchase, which are at least those since their last touch and sit in the narrow
        // scores table, so only the few left are looked up among the contacts.
        let Some(shortest) = stages
            .iter()
            .map(|(_, every)| every.min_days())
            .chain(config.from_rhythm.then_some(RHYTHM_MIN_DAYS))
            .min()
        else {
            return Ok(Vec::new());
        };
        let cutoff = today
            .checked_sub_days(Days::new(u64::from(shortest)))
            .and_then(|d| d.succ_opt())
            .unwrap_or(today);
        let keys: Vec<String> = stages
            .iter()
            .map(|(s, _)| format!("'{}'", s.key()))
            .collect();
        // The usual interval is read from the stored scores only for repeat buyers the rule may
        // concern (a JSON read each; the rest never pay for it).
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT c.id, c.name, c.last_touch, c.created_at, s.stage,
                    s.frequency,
                    CASE WHEN ?2 AND s.frequency >= ?3 THEN
                        (SELECT json_extract(d.body, '$.usual_interval_days')
                         FROM score_details d WHERE d.contact_id = c.id)
                    END
             FROM scores s JOIN contacts c ON c.id = s.contact_id
             WHERE s.stage IN ({})
               AND (s.recency_days IS NULL
                    OR s.recency_days + CAST(julianday(?4) - julianday(s.as_of) AS INTEGER) >= ?5)
               AND c.stay_in_touch IS NULL AND c.archived = 0
               AND coalesce(c.last_touch, c.created_at) < ?1
               AND NOT EXISTS (SELECT 1 FROM follow_ups f
                               WHERE f.contact_id = c.id AND f.done_at IS NULL)",
            keys.join(", ")
        ))?;
        let rows = stmt.query_map(
            params![
                cutoff.to_string(),
                config.from_rhythm,
                RHYTHM_MIN_PURCHASE_DAYS,
                today.to_string(),
                shortest,
            ],
            |r| {
                Ok((
                    (r.get::<_, ContactId>(0)?, r.get::<_, String>(1)?),
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<f64>>(6)?,
                ))
            },
        )?;
        let mut due = Vec::new();
        for row in rows {
            let (contact, last, created, stage, purchase_days, usual) = row?;
            let (last_touch, since) = touched_since(last, &created, today);
            let cadence = Stage::from_key(&stage)
                .and_then(|stage| config.cadence_of(stage, purchase_days, usual, since));
            if let Some(cadence) = cadence {
                due.extend(TouchDue::if_due(contact, cadence, last_touch, since, today));
            }
        }
        Ok(due)
    }

    /// A contact's cadence as of `today` and when the next touch is (or was) due: their own, else
    /// the config's for their stage in `scores`; None when none applies.
    pub fn stay_in_touch_of(
        &self,
        contact: ContactId,
        scores: Option<&Scores>,
        today: NaiveDate,
    ) -> Result<Option<StayInTouch>> {
        let (own, last, created): (Option<String>, Option<String>, String) = self
            .conn()
            .prepare_cached(
                "SELECT stay_in_touch, last_touch, created_at FROM contacts WHERE id = ?1",
            )?
            .query_row([contact], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let (_, since) = touched_since(last, &created, today);
        let cadence = match OwnCadence::from_storage(own.as_deref()) {
            OwnCadence::Off => return Ok(Some(StayInTouch::Off)),
            OwnCadence::Every(every) => Some(Cadence {
                every,
                source: CadenceSource::Own,
            }),
            OwnCadence::FromConfig => scores.and_then(|s| {
                self.config().follow_ups.stay_in_touch.cadence_of(
                    s.stage,
                    s.frequency,
                    s.usual_interval_days,
                    since,
                )
            }),
        };
        Ok(cadence.map(|cadence| StayInTouch::On {
            cadence,
            due: cadence.due_after(since),
        }))
    }
}

/// A contact's staying in touch, as `show` tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayInTouch {
    /// Opted out of every cadence (`--stay-in-touch off`).
    Off,
    /// A cadence applies; the next touch falls (or fell) due on `due`.
    On { cadence: Cadence, due: NaiveDate },
}

/// The last touch as stored, and the day a cadence counts from: that touch, or when the contact
/// was added.
fn touched_since(
    last: Option<String>,
    created: &str,
    today: NaiveDate,
) -> (Option<NaiveDateTime>, NaiveDate) {
    let last_touch = last.as_deref().and_then(from_storage);
    let since = last_touch
        .or_else(|| from_storage(created))
        .map_or(today, |at| at.date());
    (last_touch, since)
}

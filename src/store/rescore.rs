//! Keeping scores current: each write re-scores the contacts it touched with the stored models,
//! inside its own transaction; refits over everyone happen when due.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::history;
use super::rules::StagesBefore;
use super::scores::{latest_models, meta, parse_models, read_scores, save_scores};
use super::{Result, Store, StoreError, Write};
use crate::config::Config;
use crate::domain::{ContactId, ScoreChange};
use crate::scoring::{self, Models};

const CHANGES_KEY: &str = "changes_since_fit";
/// Counts committed writes (see [`Store::refit`]).
const GENERATION_KEY: &str = "write_generation";

/// What a full refit did, for `rapport score` and the TUI.
#[derive(Debug, Clone)]
pub struct RefitReport {
    pub contacts: usize,
    pub elapsed: Duration,
    pub models: Models,
    /// False when the stored models were reused.
    pub refitted: bool,
}

/// Why a refit is due, or None.
pub fn refit_reason(
    conn: &rusqlite::Connection,
    config: &Config,
    today: NaiveDate,
) -> Result<Option<&'static str>> {
    let Some(stored) = latest_models(conn)? else {
        let any: bool =
            conn.query_row("SELECT EXISTS(SELECT 1 FROM contacts)", [], |r| r.get(0))?;
        return Ok(any.then_some("no models have been fitted yet"));
    };
    if stored.as_of != today {
        return Ok(Some("the models were fitted for another day"));
    }
    if !Models::is_current(&stored.body) {
        return Ok(Some("the models were fitted by another version of Rapport"));
    }
    let changes: u32 = meta(conn, CHANGES_KEY)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if changes >= config.refit.changes_before_refit {
        return Ok(Some("enough has changed since the last fit"));
    }
    Ok(None)
}

impl Store {
    /// Refits every model over everyone and re-scores all contacts, in one transaction.
    /// The reading and fitting happen on a snapshot without the write lock, so other sessions
    /// (and the TUI's quick logs) can write meanwhile; only saving takes the lock. If anything was
    /// written since the snapshot, the refit is redone under the lock so no write is scored stale.
    pub fn refit(&mut self, today: NaiveDate) -> Result<RefitReport> {
        let started = Instant::now();
        let config = self.config.clone();
        let (generation, fitter, models) = {
            let snapshot = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
            let generation = meta(&snapshot, GENERATION_KEY)?;
            let stored = latest_models(&snapshot)?;
            let version = stored.as_ref().map_or(1, |m| m.version + 1);
            let previous = stored.and_then(|m| parse_models(&m.body).ok());
            let (fitter, mut models) = fit_all(&snapshot, &config, today, previous.as_ref())?;
            models.version = version;
            (generation, fitter, models)
        };
        self.write_unscored(today, |w| {
            if meta(w.tx(), GENERATION_KEY)? != generation
                || w.next_model_version()? != models.version
            {
                return refit_in(w, &config, today);
            }
            save_fit(w, &models, today)?;
            let contacts = save_all(w, &fitter, &models, &config)?;
            Ok(RefitReport {
                contacts,
                elapsed: started.elapsed(),
                models,
                refitted: true,
            })
        })
    }

    /// Refits when the models are missing, from another day, or enough has changed.
    pub fn refit_if_due(&mut self, today: NaiveDate) -> Result<Option<RefitReport>> {
        if refit_reason(&self.conn, &self.config, today)?.is_none() {
            return Ok(None);
        }
        self.refit(today).map(Some)
    }

    /// Re-scores everyone with the stored models (refitting first only when due).
    pub fn rescore_all(&mut self, today: NaiveDate) -> Result<RefitReport> {
        if let Some(report) = self.refit_if_due(today)? {
            return Ok(report);
        }
        let config = self.config.clone();
        self.write_unscored(today, |w| {
            let started = Instant::now();
            // Read inside the transaction: another session may have refitted since the check above,
            // and scoring everyone with the models it replaced would leave them all out of date.
            let models = latest_models(w.tx())?
                .map(|m| parse_models(&m.body))
                .transpose()?
                .ok_or_else(|| {
                    StoreError::invalid("there is nothing to score yet; add a contact first")
                })?;
            let contacts = score_everyone(w, &models, &config, today, None)?;
            Ok(RefitReport {
                contacts,
                elapsed: started.elapsed(),
                models,
                refitted: false,
            })
        })
    }

    /// The clients whose purchases look most like this one's (shared services weighed by rarity,
    /// see [`crate::scoring::similarity`]), with names.
    pub fn similar_clients(&self, id: ContactId, n: usize) -> Result<Vec<(String, f64)>> {
        Ok(self
            .clients_like(id, n)?
            .into_iter()
            .map(|(_, name, similarity)| (name, similarity))
            .collect())
    }

    /// Every contact's history, as the scoring engine reads it.
    pub fn histories(&self) -> Result<Vec<crate::domain::ContactHistory>> {
        history::load_all(&self.conn)
    }

    /// The models in use (parsed once per version).
    pub fn models(&self) -> Result<Option<Models>> {
        latest_models(&self.conn)?
            .map(|m| parse_models(&m.body))
            .transpose()
    }
}

/// Fits on all histories, stores the models, and re-scores everyone.
pub(crate) fn refit_in(w: &mut Write, config: &Config, today: NaiveDate) -> Result<RefitReport> {
    let started = Instant::now();
    let previous = latest_models(w.tx())?
        .map(|m| parse_models(&m.body))
        .transpose()
        .ok()
        .flatten();
    let (fitter, mut models) = fit_all(w.tx(), config, today, previous.as_ref())?;
    models.version = w.next_model_version()?;
    save_fit(w, &models, today)?;
    let contacts = save_all(w, &fitter, &models, config)?;
    Ok(RefitReport {
        contacts,
        elapsed: started.elapsed(),
        models,
        refitted: true,
    })
}

/// Fits every model over everyone, reading one history at a time; the fitter keeps what scoring
/// everyone with the new models needs.
fn fit_all<'c>(
    conn: &rusqlite::Connection,
    config: &'c Config,
    today: NaiveDate,
    previous: Option<&Models>,
) -> Result<(scoring::Fitter<'c>, Models)> {
    let rhythm = scoring::Rhythm::from_spans(history::purchase_spans(conn, today)?);
    let mut fitter = scoring::Fitter::new(today, config, rhythm);
    history::for_each(conn, |h| {
        fitter.add(&h);
        Ok(())
    })?;
    let models = fitter.finish(previous);
    Ok((fitter, models))
}

/// Saves the scores of everyone the fitter saw, with the models it fitted; returns how many.
fn save_all(
    w: &mut Write,
    fitter: &scoring::Fitter,
    models: &Models,
    config: &Config,
) -> Result<usize> {
    let before = StagesBefore::read(w, config)?;
    let now = now(w.today());
    let mut contacts = 0;
    for s in fitter.scores(models) {
        w.save_scores(&s)?;
        w.apply_stage_rule(before.get(s.contact_id), &s, config, now)?;
        contacts += 1;
    }
    Ok(contacts)
}

/// When rules plan a follow-up: now, or noon of an `--as-of` day (reproducible).
fn now(today: NaiveDate) -> chrono::NaiveDateTime {
    crate::domain::dates::default_instant(today, chrono::Local::now().naive_local())
}

/// Scores and saves everyone (or the contacts in `only`) with `models`, one history at a time,
/// from one pass over the interactions; returns how many.
fn score_everyone(
    w: &mut Write,
    models: &Models,
    config: &Config,
    today: NaiveDate,
    only: Option<&BTreeSet<ContactId>>,
) -> Result<usize> {
    let before = StagesBefore::read(w, config)?;
    let mut scored = Vec::new();
    let wanted = |id| only.is_none_or(|only| only.contains(&id));
    let contacts = history::for_each_of(w.tx(), wanted, |h| {
        let s = scoring::score(&h, models, today, config);
        save_scores(w.tx(), &s)?;
        if before.get(s.contact_id).is_some_and(|b| b != s.stage) {
            scored.push((before.get(s.contact_id), s));
        }
        Ok(())
    })?;
    // Rules write follow-ups, which cannot happen while the histories are being read.
    for (stage, s) in scored {
        w.apply_stage_rule(stage, &s, config, now(today))?;
    }
    Ok(contacts)
}

/// Stores a fitted model set and starts counting changes since it afresh.
fn save_fit(w: &mut Write, models: &Models, today: NaiveDate) -> Result<()> {
    let body = serde_json::to_string(models)
        .map_err(|e| StoreError::invalid(format!("models cannot be saved: {}", e)))?;
    w.save_models(
        models.version,
        today,
        models.training_size,
        &body,
        chrono::Local::now().naive_local(),
    )?;
    w.set_meta(CHANGES_KEY, "0")?;
    bump_generation(w)
}

/// Every committed write moves the generation on, so a refit can tell whether its snapshot is current.
fn bump_generation(w: &mut Write) -> Result<()> {
    let generation: u64 = meta(w.tx(), GENERATION_KEY)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    w.set_meta(GENERATION_KEY, &(generation + 1).to_string())
}

/// Re-scores the touched contacts of a write and says how each moved.
/// A write that touched a large share of contacts (an import) refits instead, and says nothing.
pub(crate) fn rescore_touched(
    w: &mut Write,
    config: &Config,
    cache: &mut Option<Models>,
) -> Result<Vec<ScoreChange>> {
    bump_generation(w)?;
    let touched: Vec<ContactId> = w.touched().iter().copied().collect();
    if touched.is_empty() {
        return Ok(Vec::new());
    }
    let today = w.today();
    let total: i64 = w
        .tx()
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))?;
    if touched.len() > 1000 && touched.len() as i64 * 10 > total {
        // An import over a large share of everyone: nobody reads how each of a hundred thousand
        // clients moved, and holding their old and new scores side by side would cost hundreds
        // of megabytes. One pass re-scores them all: with the models in use when the write
        // added only touches, else after a refit.
        let stored = latest_models(w.tx())?.filter(|_| w.keeps_models());
        *cache = Some(match stored {
            Some(stored) => {
                let models = match cache.take().filter(|m| m.version == stored.version) {
                    Some(models) => models,
                    None => parse_models(&stored.body)?,
                };
                let touched: BTreeSet<ContactId> = touched.into_iter().collect();
                score_everyone(w, &models, config, today, Some(&touched))?;
                count_changes(w, touched.len())?;
                models
            }
            None => refit_in(w, config, today)?.models,
        });
        return Ok(Vec::new());
    }
    let before: Vec<_> = touched
        .iter()
        .map(|id| read_scores(w.tx(), *id))
        .collect::<Result<_>>()?;
    let stored = latest_models(w.tx())?;
    let refitted = stored.is_none();
    let models = match stored {
        Some(stored) if !refitted => match cache.take().filter(|m| m.version == stored.version) {
            Some(models) => models,
            None => parse_models(&stored.body)?,
        },
        _ => {
            let report = refit_in(w, config, today)?;
            report.models
        }
    };
    let mut changes = Vec::with_capacity(touched.len());
    for (id, before) in touched.iter().zip(before) {
        let name: Option<String> = rusqlite::OptionalExtension::optional(
            w.tx()
                .prepare_cached("SELECT name FROM contacts WHERE id = ?1")?
                .query_row([id], |r| r.get(0)),
        )?;
        let Some(name) = name else { continue };
        let after = match read_scores(w.tx(), *id)?
            .filter(|s| s.model_version == models.version && s.as_of == today && refitted)
        {
            Some(already) => already,
            None => {
                let history = history::load_one(w.tx(), *id)?;
                let scores = scoring::score(&history, &models, today, config);
                w.save_scores(&scores)?;
                scores
            }
        };
        let planned = w
            .apply_stage_rule(before.as_ref().map(|b| b.stage), &after, config, now(today))?
            .map(|p| format!("follow-up {} planned: {} (due {})", p.id, p.text, p.due));
        changes.push(ScoreChange {
            name,
            before,
            after,
            planned,
        });
    }
    if !refitted {
        count_changes(w, touched.len())?;
    }
    *cache = Some(models);
    Ok(changes)
}

/// Adds `contacts` re-scored with the models in use to the changes a refit waits for.
fn count_changes(w: &mut Write, contacts: usize) -> Result<()> {
    let count: u32 = meta(w.tx(), CHANGES_KEY)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    w.set_meta(
        CHANGES_KEY,
        &count.saturating_add(contacts as u32).to_string(),
    )
}

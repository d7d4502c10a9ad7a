//! What the overview reads (schema 11): every purchase in time order, the period's feedback, the
//! monthly score snapshots and the stage log; the snapshot each write takes; and the backfill
//! that recomputes snapshots of months before Rapport kept them.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use super::{history, Result, Store, StoreError};
use crate::config::FeedbackConfig;
use crate::domain::period::Period;
use crate::domain::{Rating, Stage};
use crate::scoring::overview::{MonthSnapshot, Move, OverviewInput, PeriodFigures, Sale, Tallies};
use crate::scoring::satisfaction::entry_score;

impl Store {
    /// The figures of `periods` (consecutive, oldest first; the first one only backs the second's
    /// retention and changes, so callers pass one more than they show).
    pub fn overview(
        &self,
        periods: &[Period],
        feedback: &FeedbackConfig,
    ) -> Result<Vec<PeriodFigures>> {
        Ok(self
            .overviews(&[periods], feedback)?
            .pop()
            .unwrap_or_default())
    }

    /// [`Store::overview`] of several lists of periods (each consecutive, oldest first) from one
    /// read of the purchases: the Overview tab's months and the quarter or year chosen.
    pub fn overviews(
        &self,
        lists: &[&[Period]],
        feedback: &FeedbackConfig,
    ) -> Result<Vec<Vec<PeriodFigures>>> {
        let starts = lists.iter().filter_map(|l| l.first()).map(|p| p.start);
        let ends = lists
            .iter()
            .filter_map(|l| l.last())
            .map(|p| p.end_exclusive());
        let (Some(from), Some(to)) = (starts.min(), ends.max()) else {
            return Ok(lists.iter().map(|_| Vec::new()).collect());
        };
        let feedback = self.feedback_scores(from, to, feedback)?;
        let months = self.month_snapshots()?;
        let moves = self.score_moves(to)?;
        let input = OverviewInput {
            feedback: &feedback,
            months: &months,
            moves: &moves,
        };
        let mut tallies = Tallies::new(lists);
        self.for_each_sale(to, |sale| {
            tallies.add(&sale);
            Ok(())
        })?;
        Ok(tallies.figures(&input))
    }

    /// Every purchase before `until`, oldest first, from the sales index alone.
    pub fn for_each_sale(
        &self,
        until: NaiveDate,
        mut each: impl FnMut(Sale) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT occurred_at, contact_id, amount, item FROM interactions INDEXED BY interactions_sales
             WHERE kind = 'purchase' AND occurred_at < ?1 ORDER BY occurred_at",
        )?;
        let mut rows = stmt.query([until.to_string()])?;
        while let Some(row) = rows.next()? {
            each(Sale {
                day: day_of(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?)?,
                contact: row.get(1)?,
                amount: row.get::<_, Option<i64>>(2)?.unwrap_or(0),
                item: row.get(3)?,
            })?;
        }
        Ok(())
    }

    /// Each feedback entry from `from` to before `to`: its day and satisfaction (entries rating
    /// none of the configured dimensions are left out). Read in the order of the kind and time
    /// index, so nothing is sorted (a third faster at 100,000 clients); an entry's ratings still
    /// come together.
    fn feedback_scores(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        cfg: &FeedbackConfig,
    ) -> Result<Vec<(NaiveDate, f64)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT i.id, i.occurred_at, r.dimension, r.stars FROM interactions i
             JOIN ratings r ON r.interaction_id = i.id
             WHERE i.kind = 'feedback' AND i.occurred_at >= ?1 AND i.occurred_at < ?2
             ORDER BY i.occurred_at, i.id",
        )?;
        let mut rows = stmt.query([from.to_string(), to.to_string()])?;
        let mut out = Vec::new();
        let mut entry: Option<(i64, NaiveDate, Vec<Rating>)> = None;
        let mut close = |entry: Option<(i64, NaiveDate, Vec<Rating>)>| {
            if let Some((_, day, ratings)) = entry {
                if let Some(score) = entry_score(&ratings, cfg) {
                    out.push((day, score));
                }
            }
        };
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            if entry.as_ref().is_none_or(|(at, _, _)| *at != id) {
                let day = day_of(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)?;
                close(entry.replace((id, day, Vec::new())));
            }
            if let Some((_, _, ratings)) = entry.as_mut() {
                ratings.push(Rating {
                    dimension: row.get(2)?,
                    stars: row.get(3)?,
                });
            }
        }
        close(entry);
        Ok(out)
    }

    /// Every month's snapshot of the summed scores, oldest first.
    pub fn month_snapshots(&self) -> Result<Vec<MonthSnapshot>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT month, clients, total_clv, value_at_risk, stages, recomputed
             FROM score_months ORDER BY month",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let month: String = row.get(0)?;
            let stages: String = row.get(4)?;
            out.push(MonthSnapshot {
                month: day_of(&format!("{month}-01"))?,
                clients: row.get(1)?,
                total_clv: row.get(2)?,
                value_at_risk: row.get(3)?,
                stages: stage_counts(&stages)?,
                recomputed: row.get(5)?,
            });
        }
        Ok(out)
    }

    /// Every logged stage or segment change before `until`, oldest first.
    pub fn score_moves(&self, until: NaiveDate) -> Result<Vec<Move>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT day, contact_id, from_stage, to_stage, from_segment, to_segment
             FROM score_moves WHERE day < ?1 ORDER BY day, id",
        )?;
        let mut rows = stmt.query([until.to_string()])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let from: Option<String> = row.get(2)?;
            let to: String = row.get(3)?;
            out.push(Move {
                day: day_of(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?)?,
                contact: row.get(1)?,
                from_stage: from.as_deref().map(stage).transpose()?,
                to_stage: stage(&to)?,
                from_segment: row.get(4)?,
                to_segment: row.get(5)?,
            });
        }
        Ok(out)
    }

    /// Recomputes the snapshots (and stage log) of up to `months` months before the current one
    /// that Rapport did not record live, scoring every client as of each month's last day with the
    /// current models. Returns the months written.
    pub fn backfill_months(&mut self, months: u32, today: NaiveDate) -> Result<Vec<Period>> {
        let models = self.models()?.ok_or_else(|| {
            StoreError::invalid("there is nothing to score yet; add a contact first")
        })?;
        let config = self.config.clone();
        let current = Period::containing(crate::domain::period::PeriodKind::Month, today);
        let mut wanted: Vec<Period> = Vec::new();
        let mut at = current;
        for _ in 0..months {
            at = at.previous();
            wanted.push(at);
        }
        wanted.reverse();
        let recorded: Vec<NaiveDate> = self
            .month_snapshots()?
            .into_iter()
            .filter(|m| !m.recomputed)
            .map(|m| m.month)
            .collect();
        // Only months before the first recorded one: a later gap is a month Rapport was not used.
        let first_recorded = recorded.iter().min().copied().unwrap_or(current.start);
        wanted.retain(|p| p.start < first_recorded);
        if wanted.is_empty() {
            return Ok(wanted);
        }
        self.write_unscored(today, |w| {
            let conn: &Connection = w.tx();
            // A backfill again replaces the log it recomputed before.
            conn.execute(
                "DELETE FROM score_moves WHERE day < ?1",
                [first_recorded.to_string()],
            )?;
            let mut sums: Vec<MonthSums> = wanted.iter().map(|_| MonthSums::default()).collect();
            let mut log = conn.prepare_cached(
                "INSERT INTO score_moves (contact_id, day, from_stage, to_stage, from_segment, to_segment)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            history::for_each(conn, |h| {
                let mut before: Option<(Stage, Option<i64>)> = None;
                for (period, sum) in wanted.iter().zip(sums.iter_mut()) {
                    let end = period.last_day();
                    if !known_by(&h, end) {
                        continue;
                    }
                    let s = crate::scoring::score(&h, &models, end, &config);
                    sum.add(&s);
                    let now = (s.stage, s.segment_id);
                    if before != Some(now) {
                        log.execute(params![
                            h.contact_id,
                            end.to_string(),
                            before.map(|b| b.0.key()),
                            s.stage.key(),
                            before.and_then(|b| b.1),
                            s.segment_id
                        ])?;
                    }
                    before = Some(now);
                }
                Ok(())
            })?;
            for (period, sum) in wanted.iter().zip(&sums) {
                sum.save(conn, *period)?;
            }
            Ok(())
        })?;
        Ok(wanted)
    }
}

/// Whether a client counts as of `day`: added by then, or with anything recorded by then (a
/// history imported later keeps its old dates).
fn known_by(h: &crate::domain::ContactHistory, day: NaiveDate) -> bool {
    h.created_on.is_some_and(|c| c <= day)
        || h.purchases.first().is_some_and(|p| p.date <= day)
        || h.feedback.first().is_some_and(|f| f.date <= day)
        || h.touches.first().is_some_and(|t| t.date <= day)
}

/// The sums of one recomputed month.
#[derive(Default)]
struct MonthSums {
    clients: i64,
    total_clv: i64,
    value_at_risk: i64,
    stages: [i64; 6],
}

impl MonthSums {
    fn add(&mut self, s: &crate::domain::Scores) {
        self.clients += 1;
        // In cents, rounded per client as the triggers of schema 11 round them.
        self.total_clv += (s.clv * 100.0).round() as i64;
        self.value_at_risk += (s.churn_probability.unwrap_or(0.0) * s.clv * 100.0).round() as i64;
        let at = Stage::ALL.iter().position(|x| *x == s.stage).unwrap_or(0);
        self.stages[at] += 1;
    }

    fn save(&self, conn: &Connection, period: Period) -> Result<()> {
        let stages: serde_json::Map<String, serde_json::Value> = Stage::ALL
            .iter()
            .zip(self.stages)
            .map(|(s, n)| (s.key().to_string(), n.into()))
            .collect();
        conn.execute(
            "INSERT INTO score_months (month, clients, total_clv, value_at_risk, stages, recomputed)
             VALUES (?1, ?2, ?3, ?4, ?5, 1)
             ON CONFLICT (month) DO UPDATE SET clients = excluded.clients, total_clv = excluded.total_clv,
                 value_at_risk = excluded.value_at_risk, stages = excluded.stages
             WHERE recomputed = 1",
            params![
                month_key(period.start),
                self.clients,
                self.total_clv,
                self.value_at_risk,
                serde_json::Value::Object(stages).to_string()
            ],
        )?;
        Ok(())
    }
}

/// Copies the summed scores into this month's snapshot, as every write commits.
pub(super) fn snapshot_month(conn: &Connection, today: NaiveDate) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO score_months (month, clients, total_clv, value_at_risk, stages, recomputed)
         SELECT ?1, clients, total_clv, value_at_risk,
                (SELECT json_group_object(stage, clients) FROM score_stage_totals), 0
         FROM score_totals WHERE true
         ON CONFLICT (month) DO UPDATE SET clients = excluded.clients, total_clv = excluded.total_clv,
             value_at_risk = excluded.value_at_risk, stages = excluded.stages, recomputed = 0",
    )?
    .execute([month_key(today)])?;
    Ok(())
}

fn month_key(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

fn day_of(text: &str) -> Result<NaiveDate> {
    history::parse_day(text)
        .ok_or_else(|| StoreError::invalid(format!("a stored date is damaged: {text:?}")))
}

fn stage(key: &str) -> Result<Stage> {
    Stage::from_key(key)
        .ok_or_else(|| StoreError::invalid(format!("a stored stage is unknown: {key:?}")))
}

fn stage_counts(json: &str) -> Result<[u32; 6]> {
    let map: std::collections::HashMap<String, u32> = serde_json::from_str(json)
        .map_err(|e| StoreError::invalid(format!("a month's stage counts are damaged: {e}")))?;
    Ok(Stage::ALL.map(|s| map.get(s.key()).copied().unwrap_or(0)))
}

impl Store {
    /// The day of the first purchase, if any.
    pub fn first_sale(&self) -> Result<Option<NaiveDate>> {
        let first: Option<String> = self.conn().query_row(
            "SELECT min(occurred_at) FROM interactions INDEXED BY interactions_sales WHERE kind = 'purchase'",
            [],
            |r| r.get(0),
        )?;
        first.as_deref().map(day_of).transpose()
    }
}

//! A write that inserts many interactions (an import, a demo) sets the table's secondary indexes
//! and triggers aside and rebuilds them before it commits, inside the same transaction: building an
//! index from all rows at once (one sort) is several times faster than inserting a million rows
//! into three indexes one by one, which thrashes the page cache and spills to the write-ahead log,
//! and the triggers' work (each contact's last touch, the full-text indexes, the baskets) is done
//! once for everyone instead of once a row (which made an import of a million entries half again
//! as slow). A rollback restores all of it by itself.

use rusqlite::{Connection, OptionalExtension};

use super::Result;

/// Rows an import adds before the indexes are set aside: small imports keep them (rebuilding
/// over a large table would cost more than it saves).
const MIN_ROWS: u64 = 20_000;

/// Rows a write adds before the trigger that puts each new interaction in the full-text indexes
/// is set aside: FTS5 writes its pending rows out at every statement that changes it (its
/// savepoint), so a trigger costs about 60 µs a row, while one `INSERT … SELECT` of the rows added
/// since costs a few. A single log keeps the trigger (no schema change).
const TEXT_ROWS: u64 = 200;
/// That trigger (migration 9).
const TEXT_TRIGGER: &str = "interactions_text_insert";

/// Counts the interactions a write inserts, and sets the indexes aside once there are many.
#[derive(Default)]
pub(super) struct DeferredIndexes {
    added: u64,
    /// Rows to add before the indexes go; computed at the first insert.
    threshold: Option<u64>,
    /// `CREATE INDEX` / `CREATE TRIGGER` statements of what was dropped.
    dropped: Vec<String>,
    /// The full-text insert trigger while set aside, and the interactions added since (until
    /// everything is set aside, when the full-text indexes are rebuilt instead).
    text_trigger: Option<String>,
    unindexed: Vec<i64>,
    /// Set by a write that knows it adds many rows (an mbox, a CSV file): the full-text trigger
    /// goes after the first row, not the [`TEXT_ROWS`]th. Each of those first rows cost a
    /// full-text flush and, on a large index, a merge of its segments (a third of an mbox import).
    many: bool,
}

impl DeferredIndexes {
    /// The write will add many interactions: set the full-text trigger aside at once.
    pub fn expect_many(&mut self) {
        self.many = true;
    }

    /// Called after each interaction insert. The indexes go once the write has added a quarter of
    /// the rows that were there before it (and at least [`MIN_ROWS`]).
    pub fn row_added(&mut self, conn: &Connection, id: i64) -> Result<()> {
        self.added += 1;
        if self.text_trigger.is_some() {
            if self.dropped.is_empty() {
                self.unindexed.push(id);
            }
        } else if self.added == TEXT_ROWS || (self.many && self.added == 1) {
            let sql: Option<String> = conn
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                    [TEXT_TRIGGER],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(sql) = sql {
                conn.execute_batch(&format!("DROP TRIGGER {TEXT_TRIGGER}"))?;
                self.text_trigger = Some(sql);
            }
        }
        let threshold = match self.threshold {
            Some(threshold) => threshold,
            None => {
                let existing: i64 = conn.query_row(
                    "SELECT coalesce(max(rowid), 0) FROM interactions",
                    [],
                    |r| r.get(0),
                )?;
                *self
                    .threshold
                    .insert(MIN_ROWS.max(existing.max(0) as u64 / 4))
            }
        };
        if self.added != threshold || !self.dropped.is_empty() {
            return Ok(());
        }
        let mut stmt = conn.prepare(
            "SELECT type, name, sql FROM sqlite_master
             WHERE type IN ('index', 'trigger') AND tbl_name = 'interactions' AND sql IS NOT NULL
             ORDER BY type, name",
        )?;
        let aside: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (kind, name, sql) in aside {
            let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
            conn.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
            self.dropped.push(sql);
        }
        Ok(())
    }

    /// Rebuilds whatever was dropped and does the triggers' work for the rows added without them;
    /// the write calls it before re-scoring and committing.
    /// (The sort behind each build spills to a temporary file past the cache size: see `open`.)
    pub fn restore(&mut self, conn: &Connection) -> Result<()> {
        if let Some(sql) = self.text_trigger.take() {
            conn.execute_batch(&sql)?;
            let ids = serde_json::to_string(&std::mem::take(&mut self.unindexed))
                .map_err(|e| super::StoreError::invalid(e.to_string()))?;
            if self.dropped.is_empty() {
                conn.execute(
                    "INSERT INTO interactions_words (rowid, summary, item)
                     SELECT id, summary, item FROM interactions
                     WHERE id IN (SELECT value FROM json_each(?1))",
                    [&ids],
                )?;
                conn.execute(
                    "INSERT INTO interactions_grams (rowid, text)
                     SELECT id, text FROM interactions_text WHERE id IN (SELECT value FROM json_each(?1))",
                    [&ids],
                )?;
            }
        }
        if self.dropped.is_empty() {
            return Ok(());
        }
        for sql in std::mem::take(&mut self.dropped) {
            conn.execute_batch(&sql)?;
        }
        // What the triggers keep (migration 4), for everyone at once; only changed rows are written.
        conn.execute_batch(
            "UPDATE contacts SET last_touch =
                 (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = contacts.id)
             WHERE last_touch IS NOT
                 (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = contacts.id)",
        )?;
        // The full-text indexes (migration 9), built from every row at once as the others are.
        conn.execute_batch(
            "INSERT INTO interactions_words (interactions_words) VALUES ('rebuild');
             INSERT INTO interactions_grams (interactions_grams) VALUES ('rebuild');",
        )?;
        // Every client's basket (migration 10): whoever bought anything or held a basket.
        conn.execute_batch(
            "INSERT INTO basket_refresh (contact_id)
                 SELECT contact_id FROM interactions WHERE kind = 'purchase'
                 UNION SELECT contact_id FROM contact_baskets",
        )?;
        Ok(())
    }
}

//! A write that inserts many interactions (an import, a demo) sets the table's secondary indexes
//! and triggers aside and rebuilds them before it commits, inside the same transaction: building an
//! index from all rows at once (one sort) is several times faster than inserting a million rows
//! into three indexes one by one, which thrashes the page cache and spills to the write-ahead log,
//! and the triggers' work (each contact's last touch, the full-text indexes) is done once for everyone instead of once a
//! row (which made an import of a million entries half again as slow). A rollback restores all of
//! it by itself.

use rusqlite::Connection;

use super::Result;

/// Rows an import adds before the indexes are set aside: small imports keep them (rebuilding
/// over a large table would cost more than it saves).
const MIN_ROWS: u64 = 20_000;

/// Counts the interactions a write inserts, and sets the indexes aside once there are many.
#[derive(Default)]
pub(super) struct DeferredIndexes {
    added: u64,
    /// Rows to add before the indexes go; computed at the first insert.
    threshold: Option<u64>,
    /// `CREATE INDEX` / `CREATE TRIGGER` statements of what was dropped.
    dropped: Vec<String>,
}

impl DeferredIndexes {
    /// Called after each interaction insert. The indexes go once the write has added a quarter of
    /// the rows that were there before it (and at least [`MIN_ROWS`]).
    pub fn row_added(&mut self, conn: &Connection) -> Result<()> {
        self.added += 1;
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
        // The full-text indexes (migration 8), built from every row at once as the others are.
        conn.execute_batch(
            "INSERT INTO interactions_words (interactions_words) VALUES ('rebuild');
             INSERT INTO interactions_grams (interactions_grams) VALUES ('rebuild');",
        )?;
        Ok(())
    }
}

//! A write that inserts many interactions (an import, a demo) sets the table's secondary indexes
//! aside and rebuilds them before it commits, inside the same transaction: building an index from all rows at once (one sort) is several
//! times faster than inserting a million rows into three indexes one by one, which thrashes the
//! page cache and spills to the write-ahead log. A rollback restores the indexes by itself.

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
    /// `CREATE INDEX` statements of the indexes dropped.
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
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = 'interactions' AND sql IS NOT NULL ORDER BY name",
        )?;
        let indexes: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, sql) in indexes {
            conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            self.dropped.push(sql);
        }
        Ok(())
    }

    /// Rebuilds whatever was dropped; the write calls it before re-scoring and committing.
    /// (The sort behind each build spills to a temporary file past the cache size: see `open`.)
    pub fn restore(&mut self, conn: &Connection) -> Result<()> {
        for sql in std::mem::take(&mut self.dropped) {
            conn.execute_batch(&sql)?;
        }
        Ok(())
    }
}

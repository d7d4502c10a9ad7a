//! Large imports set the interactions table's secondary indexes aside and rebuild them at the end,
//! inside the same transaction: building an index from all rows at once (one sort) is several
//! times faster than inserting a million rows into three indexes one by one, which thrashes the
//! page cache and spills to the write-ahead log. A rollback restores the indexes by itself.

use rusqlite::Connection;

use super::Result;

/// Rows an import adds before the indexes are set aside: small imports keep them (rebuilding
/// over a large table would cost more than it saves).
const MIN_ROWS: u64 = 20_000;

pub(super) struct DeferredIndexes {
    threshold: u64,
    /// `CREATE INDEX` statements of the indexes dropped so far.
    dropped: Vec<String>,
}

impl DeferredIndexes {
    /// Plans for an import into `interactions`: indexes go once the import has added a quarter
    /// of the rows already there (and at least [`MIN_ROWS`]).
    pub fn new(conn: &Connection) -> Result<Self> {
        let existing: i64 = conn.query_row(
            "SELECT coalesce(max(rowid), 0) FROM interactions",
            [],
            |r| r.get(0),
        )?;
        Ok(DeferredIndexes {
            threshold: MIN_ROWS.max(existing.max(0) as u64 / 4),
            dropped: Vec::new(),
        })
    }

    /// Called with the number of rows added so far; drops the indexes when it reaches the threshold.
    pub fn rows_added(&mut self, conn: &Connection, added: u64) -> Result<()> {
        if added != self.threshold || !self.dropped.is_empty() {
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

    /// Rebuilds whatever was dropped (before anything reads through the indexes again).
    /// The sort behind each build may spill to a temporary file: in memory (the connection's usual
    /// setting) ten million rows would cost hundreds of megabytes.
    pub fn restore(self, conn: &Connection) -> Result<()> {
        if self.dropped.is_empty() {
            return Ok(());
        }
        conn.execute_batch("PRAGMA temp_store = FILE")?;
        let built = self
            .dropped
            .iter()
            .try_for_each(|sql| conn.execute_batch(sql));
        conn.execute_batch("PRAGMA temp_store = MEMORY")?;
        Ok(built?)
    }
}

//! Reads that may be given up: the TUI gives a search a keypress's worth of time and hands what
//! does not finish to its worker thread, so typing never waits on a scan of every client.

use std::time::{Duration, Instant};

use rusqlite::ErrorCode;

use super::{Result, Store, StoreError};

/// Virtual machine steps between looks at the clock (a few microseconds of work).
const STEPS_BETWEEN_CHECKS: i32 = 1000;

impl Store {
    /// Runs `read`, interrupting it once `budget` has passed: None when it did not finish in time.
    pub fn within<T>(
        &mut self,
        budget: Duration,
        read: impl FnOnce(&Store) -> Result<T>,
    ) -> Result<Option<T>> {
        let deadline = Instant::now() + budget;
        self.conn.progress_handler(
            STEPS_BETWEEN_CHECKS,
            Some(move || Instant::now() >= deadline),
        )?;
        let result = read(self);
        self.conn.progress_handler(0, None::<fn() -> bool>)?;
        match result {
            Ok(value) => Ok(Some(value)),
            Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                if e.code == ErrorCode::OperationInterrupted =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A read of about a million virtual machine steps.
    fn count_to_a_million(store: &Store) -> Result<i64> {
        Ok(store.conn.query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
             SELECT count(*) FROM n",
            [],
            |r| r.get(0),
        )?)
    }

    #[test]
    fn a_read_past_its_budget_is_given_up_and_the_next_one_runs_in_full() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("deadline.db")).unwrap();
        assert_eq!(
            store.within(Duration::ZERO, count_to_a_million).unwrap(),
            None
        );
        assert_eq!(
            store
                .within(Duration::from_secs(60), count_to_a_million)
                .unwrap(),
            Some(1_000_000)
        );
        // The limit ends with the call.
        assert_eq!(count_to_a_million(&store).unwrap(), 1_000_000);
        // Other errors are not taken for a timeout.
        let failed = store.within(Duration::from_secs(60), |s| {
            Ok(s.conn
                .query_row("SELECT * FROM no_such_table", [], |r| r.get::<_, i64>(0))?)
        });
        assert!(failed.is_err());
    }
}

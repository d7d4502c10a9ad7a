//! The SQLite store: one file, WAL, foreign keys, migrations; every write is one transaction
//! through [`Store::write`], so nothing is ever half-written.

mod agenda;
mod alike;
mod backup;
mod bulk;
mod card_match;
mod cards;
mod contacts;
mod deadline;
pub mod disk_full;
pub mod export;
mod follow_ups;
mod history;
pub mod import;
mod interactions;
mod ledger;
pub mod mail;
pub mod maintenance;
mod merge;
mod migrations;
mod open;
mod overview;
mod rescore;
mod rules;
mod scores;
mod search;
mod touches;
pub mod tui_queries;
pub mod vcard;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use agenda::BirthdayRow;
pub use contacts::{ContactRow, ContactSort};
pub use follow_ups::{next_after, Completed, FollowUpFilter, FollowUpRow};
pub use interactions::{ContactTotals, InteractionFilter, InteractionRow};
pub use ledger::ShownActions;
pub use merge::{DuplicatePair, Merged};
pub use migrations::{migrate_to, CURRENT_VERSION};
pub use rescore::RefitReport;
pub use rules::Planned;
pub use scores::{ScoredContact, ScoredSort, StoredModels};
pub use touches::{StayInTouch, TouchDue};

use crate::config::Config;
use crate::domain::{ContactId, ScoreChange};
use crate::scoring::Models;

/// Errors of the store. `Invalid` carries one sentence for the user about their input.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Invalid(String),
    #[error("the database was written by a newer Rapport (schema version {found}, this build knows {supported}); it was left untouched — upgrade Rapport to open it")]
    TooNew { found: i64, supported: i64 },
    #[error("there is no database at {}; `rapport add NAME`, `rapport import` or `rapport demo` creates one", .0.display())]
    Missing(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    pub fn invalid(message: impl Into<String>) -> Self {
        StoreError::Invalid(message.into())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What a checkpoint achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    /// Everything in the write-ahead log is in the main file and the log is empty.
    Complete,
    /// Another session is reading an older state of the database, so the log could not be emptied:
    /// what it holds (erased data included) stays in the `-wal` file until a later checkpoint.
    Blocked,
}

/// The size of write-ahead log a write leaves behind before it empties the log into the file.
const WAL_LIMIT: u64 = 1 << 20;

/// How long a checkpoint waits for other sessions' reads to end before it reports [`Checkpoint::Blocked`].
const CHECKPOINT_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// `PRAGMA wal_checkpoint(TRUNCATE)`, which answers busy = 1 when a reader kept it from finishing.
pub(crate) fn truncate_wal(conn: &Connection) -> Result<Checkpoint> {
    conn.busy_timeout(CHECKPOINT_WAIT)?;
    let busy = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    });
    conn.busy_timeout(open::BUSY_TIMEOUT)?;
    match busy {
        Ok(0) => Ok(Checkpoint::Complete),
        Ok(_) => Ok(Checkpoint::Blocked),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => {
            Ok(Checkpoint::Blocked)
        }
        Err(e) => Err(e.into()),
    }
}

/// An open database, with the configuration its scores are computed under.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    config: Config,
    /// The last model set used, so consecutive writes do not parse it again.
    models_cache: Option<Models>,
}

/// The open transaction of one write, remembering which contacts it touched
/// so their scores can be brought up to date before it commits.
pub struct Write<'a> {
    tx: Transaction<'a>,
    touched: BTreeSet<ContactId>,
    today: NaiveDate,
    indexes: bulk::DeferredIndexes,
    /// Set by a write that adds only touches, such as emails (see [`Write::keep_models`]).
    keep_models: bool,
}

impl Store {
    /// Opens (creating if needed) the database at `path` with the default configuration.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Config::default())
    }

    /// Opens (creating if needed) the database at `path`, migrating it to the current schema.
    pub fn open_with(path: &Path, config: Config) -> Result<Store> {
        let conn = open::open_connection(path)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            config,
            models_cache: None,
        };
        // A migration (or a session that died before it could) may have left a large log, which
        // every later process would otherwise read in full when it opens the file.
        store.keep_wal_small();
        Ok(store)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access for queries in this module's submodules and in tests.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `body` in one immediate transaction dated `today`, re-scores the contacts it touched,
    /// and commits only if all of it succeeds.
    pub fn write<T>(
        &mut self,
        today: NaiveDate,
        body: impl FnOnce(&mut Write) -> Result<T>,
    ) -> Result<T> {
        self.write_scored(today, body).map(|(value, _)| value)
    }

    /// Like [`Store::write`], also returning how each touched contact's scores moved.
    pub fn write_scored<T>(
        &mut self,
        today: NaiveDate,
        body: impl FnOnce(&mut Write) -> Result<T>,
    ) -> Result<(T, Vec<ScoreChange>)> {
        self.write_if(today, |w| body(w).map(|value| (value, true)))
    }

    /// Like [`Store::write_scored`], but `body` also says whether to commit (false: roll back, e.g. a dry run).
    pub fn write_if<T>(
        &mut self,
        today: NaiveDate,
        body: impl FnOnce(&mut Write) -> Result<(T, bool)>,
    ) -> Result<(T, Vec<ScoreChange>)> {
        let committed = {
            let mut write = Write::begin(&mut self.conn, today)?;
            let (value, commit) = body(&mut write)?;
            if !commit {
                return Ok((value, Vec::new()));
            }
            write.indexes.restore(&write.tx)?;
            let changes =
                rescore::rescore_touched(&mut write, &self.config, &mut self.models_cache)?;
            overview::snapshot_month(&write.tx, today)?;
            write.tx.commit()?;
            (value, changes)
        };
        self.keep_wal_small();
        Ok(committed)
    }

    /// A transaction that writes scores itself (refits), so touched contacts are not re-scored again.
    fn write_unscored<T>(
        &mut self,
        today: NaiveDate,
        body: impl FnOnce(&mut Write) -> Result<T>,
    ) -> Result<T> {
        let value = {
            let mut write = Write::begin(&mut self.conn, today)?;
            let value = body(&mut write)?;
            write.indexes.restore(&write.tx)?;
            overview::snapshot_month(&write.tx, today)?;
            write.tx.commit()?;
            value
        };
        self.keep_wal_small();
        Ok(value)
    }

    /// Empties the write-ahead log into the file once it passes [`WAL_LIMIT`], if no other session is
    /// reading at that moment (otherwise a later write does it).
    ///
    /// Why: every `rapport` process is the first to open the file, so SQLite rebuilds its index of
    /// the log by reading all of it (WAL recovery), and that rebuild also forgets that the log was
    /// already copied into the file, so the log is never reused and only grows. Left alone, each
    /// `rapport log` made the next one slower (10 MB after 300 entries on 10,000 clients: 100 ms),
    /// and after an import or a refit of everyone every command took about a second.
    fn keep_wal_small(&self) {
        let mut wal = self.path.as_os_str().to_owned();
        wal.push("-wal");
        let large = std::fs::metadata(&wal).is_ok_and(|m| m.len() > WAL_LIMIT);
        if large {
            // Best effort, without waiting: the data is committed whether or not this succeeds.
            let _ = self.conn.busy_timeout(std::time::Duration::ZERO);
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            let _ = self.conn.busy_timeout(open::BUSY_TIMEOUT);
        }
    }

    /// SQLite's counter of commits by other connections; changes when another process writes.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Moves the write-ahead log into the main file and empties it, so erased data leaves no copy behind.
    /// Says [`Checkpoint::Blocked`] when another session's read kept the log from being emptied.
    pub fn checkpoint(&self) -> Result<Checkpoint> {
        truncate_wal(&self.conn)
    }

    /// Number of contacts (archived included).
    pub fn contact_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))?)
    }
}

impl Write<'_> {
    /// Starts a write transaction, taking the write lock at once (waiting up to the busy timeout)
    /// so it cannot fail half-way on a lock.
    fn begin(conn: &mut Connection, today: NaiveDate) -> Result<Write<'_>> {
        Ok(Write {
            tx: conn.transaction_with_behavior(TransactionBehavior::Immediate)?,
            touched: BTreeSet::new(),
            today,
            indexes: bulk::DeferredIndexes::default(),
            keep_models: false,
        })
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The contacts this write changed so far.
    pub fn touched(&self) -> &BTreeSet<ContactId> {
        &self.touched
    }

    /// Says the write will add many interactions (an import), so their full-text indexing is
    /// done once at the end instead of row by row, and the page cache holds the pages of the
    /// several indexes each row goes into (64 MB instead of SQLite's 2 MB: an mbox of 10,000
    /// messages into a 10k-client file reads a third fewer pages back from the OS).
    pub fn expect_many(&mut self) -> Result<()> {
        self.indexes.expect_many();
        self.tx.execute_batch("PRAGMA cache_size = -65536")?;
        Ok(())
    }

    /// Says the write adds only touches (a mailbox): however many clients it touches, they are
    /// re-scored with the models in use instead of a refit over everyone. Segments, spend and
    /// services are learnt from purchases alone; the churn model, which also weighs recent
    /// touches, learns from them at the next refit (the workspace's, or `rapport score`'s, once
    /// enough has changed or the day has). A purchase or feedback entry added in the same write
    /// cancels this.
    pub fn keep_models(&mut self) {
        self.keep_models = true;
    }

    pub(crate) fn keeps_models(&self) -> bool {
        self.keep_models
    }

    pub(crate) fn touch(&mut self, id: ContactId) {
        self.touched.insert(id);
    }

    pub(crate) fn tx(&self) -> &Transaction<'_> {
        &self.tx
    }
}

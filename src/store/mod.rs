//! The SQLite store: one file, WAL, foreign keys, migrations; every write is one transaction
//! through [`Store::write`], so nothing is ever half-written.

mod backup;
mod contacts;
pub mod export;
mod history;
pub mod import;
mod interactions;
mod migrations;
mod open;
mod rescore;
mod scores;
pub mod tui_queries;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use contacts::{ContactRow, ContactSort};
pub use interactions::{ContactTotals, InteractionFilter, InteractionRow};
pub use migrations::CURRENT_VERSION;
pub use rescore::RefitReport;
pub use scores::{ScoredContact, ScoredSort, StoredModels};

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
}

impl Store {
    /// Opens (creating if needed) the database at `path` with the default configuration.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Config::default())
    }

    /// Opens (creating if needed) the database at `path`, migrating it to the current schema.
    pub fn open_with(path: &Path, config: Config) -> Result<Store> {
        let conn = open::open_connection(path)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            config,
            models_cache: None,
        })
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut write = Write {
            tx,
            touched: BTreeSet::new(),
            today,
        };
        let (value, commit) = body(&mut write)?;
        if !commit {
            return Ok((value, Vec::new()));
        }
        let changes = rescore::rescore_touched(&mut write, &self.config, &mut self.models_cache)?;
        write.tx.commit()?;
        Ok((value, changes))
    }

    /// A transaction that writes scores itself (refits), so touched contacts are not re-scored again.
    fn write_unscored<T>(
        &mut self,
        today: NaiveDate,
        body: impl FnOnce(&mut Write) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut write = Write {
            tx,
            touched: BTreeSet::new(),
            today,
        };
        let value = body(&mut write)?;
        write.tx.commit()?;
        Ok(value)
    }

    /// SQLite's counter of commits by other connections; changes when another process writes.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Moves the write-ahead log into the main file and empties it, so erased data leaves no copy behind.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Number of contacts (archived included).
    pub fn contact_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))?)
    }
}

impl Write<'_> {
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The contacts this write changed so far.
    pub fn touched(&self) -> &BTreeSet<ContactId> {
        &self.touched
    }

    pub(crate) fn touch(&mut self, id: ContactId) {
        self.touched.insert(id);
    }

    pub(crate) fn tx(&self) -> &Transaction<'_> {
        &self.tx
    }
}

//! Numbered schema migrations, tracked in `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Each entry moves the schema from version i to i+1. Never edit a released entry: append.
const MIGRATIONS: &[&str] = &[
    // 1: contacts, interactions, feedback ratings, scores and fitted models.
    r#"
    CREATE TABLE contacts (
        id          INTEGER PRIMARY KEY,
        external_id TEXT UNIQUE,
        name        TEXT NOT NULL,
        email       TEXT,
        phone       TEXT,
        company     TEXT,
        tags        TEXT NOT NULL DEFAULT '',
        note        TEXT,
        referred_by INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
        created_at  TEXT NOT NULL,
        archived    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);
    CREATE INDEX contacts_referred_by ON contacts(referred_by);

    CREATE TABLE interactions (
        id          INTEGER PRIMARY KEY,
        contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('call','email','meeting','note','purchase','feedback')),
        occurred_at TEXT NOT NULL,
        summary     TEXT,
        amount      INTEGER CHECK (amount IS NULL OR amount >= 0),
        currency    TEXT,
        item        TEXT
    );
    CREATE INDEX interactions_contact ON interactions(contact_id, occurred_at);
    CREATE INDEX interactions_time ON interactions(occurred_at);

    CREATE TABLE ratings (
        interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
        dimension      TEXT NOT NULL,
        stars          INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
        PRIMARY KEY (interaction_id, dimension)
    );

    CREATE TABLE models (
        version       INTEGER PRIMARY KEY,
        fitted_at     TEXT NOT NULL,
        as_of         TEXT NOT NULL,
        training_size INTEGER NOT NULL,
        body          TEXT NOT NULL
    );

    CREATE TABLE scores (
        contact_id        INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
        as_of             TEXT NOT NULL,
        model_version     INTEGER NOT NULL,
        stage             TEXT NOT NULL,
        segment_id        INTEGER,
        churn_probability REAL NOT NULL,
        clv               REAL NOT NULL,
        satisfaction      REAL,
        loyalty           REAL NOT NULL,
        recency_days      INTEGER,
        frequency         INTEGER NOT NULL,
        monetary          INTEGER NOT NULL,
        body              TEXT NOT NULL
    );
    CREATE INDEX scores_value_at_risk ON scores(churn_probability * clv DESC);

    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // 2: the timeline filtered by kind (the Interactions tab's `t`) reads an index, not every row.
    "CREATE INDEX interactions_kind_time ON interactions(kind, occurred_at);",
    // 3: the full scores (reasons, actions, offer: about 600 bytes a client) move beside the narrow
    // table the lists sort and filter on, so ranking 100,000 clients reads 6 MB instead of 70 MB.
    r#"
    CREATE TABLE score_details (
        contact_id INTEGER PRIMARY KEY REFERENCES scores(contact_id) ON DELETE CASCADE,
        body       TEXT NOT NULL
    );
    INSERT INTO score_details (contact_id, body) SELECT contact_id, body FROM scores;
    ALTER TABLE scores DROP COLUMN body;
    -- The at-risk ranking is read from this index alone (it also holds what the filter needs),
    -- instead of one table lookup per client.
    DROP INDEX scores_value_at_risk;
    CREATE INDEX scores_value_at_risk ON scores(churn_probability * clv DESC, churn_probability, stage);
    "#,
];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the schema up to date; a database from a newer Rapport is refused untouched.
///
/// Several sessions may open a brand-new file at the same moment: the migrations run inside one
/// immediate transaction that reads the version again once it holds the write lock, so exactly
/// one session creates the schema and the others find it done (a deferred transaction here let
/// two sessions both try `CREATE TABLE`, and the loser failed with "table contacts already exists").
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version = schema_version(conn)?;
    if version == CURRENT_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version = schema_version(&tx)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

/// `PRAGMA user_version`, refusing a database from a newer Rapport.
fn schema_version(conn: &Connection) -> Result<i64, StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > CURRENT_VERSION {
        return Err(StoreError::TooNew {
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    Ok(version)
}

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
    // 4: every Contacts sort reads an index, so a page of 100,000 clients sorted by churn, CLV or
    // last touch walks the first rows of an index instead of sorting everyone on each keypress.
    // A contact's last touch (its latest interaction) is kept beside it by triggers, so every
    // way an entry is added, moved or removed keeps it right.
    r#"
    CREATE INDEX scores_churn ON scores(churn_probability DESC);
    CREATE INDEX scores_clv ON scores(clv DESC);
    ALTER TABLE contacts ADD COLUMN last_touch TEXT;
    UPDATE contacts SET last_touch =
        (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = contacts.id);
    CREATE INDEX contacts_last_touch ON contacts(last_touch DESC);
    CREATE TRIGGER interactions_touch_insert AFTER INSERT ON interactions BEGIN
        UPDATE contacts SET last_touch = NEW.occurred_at
        WHERE id = NEW.contact_id AND (last_touch IS NULL OR last_touch < NEW.occurred_at);
    END;
    CREATE TRIGGER interactions_touch_delete AFTER DELETE ON interactions BEGIN
        UPDATE contacts SET last_touch =
            (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = OLD.contact_id)
        WHERE id = OLD.contact_id AND last_touch = OLD.occurred_at;
    END;
    CREATE TRIGGER interactions_touch_update AFTER UPDATE OF contact_id, occurred_at ON interactions BEGIN
        UPDATE contacts SET last_touch =
            (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = contacts.id)
        WHERE id IN (OLD.contact_id, NEW.contact_id);
    END;
    "#,
    // 5: leads have no churn figure (they have bought nothing to lapse from), so the column takes
    // NULL. SQLite cannot relax NOT NULL in place: both score tables are rebuilt under new names
    // and renamed back (the rename carries score_details' reference along), keeping every row.
    r#"
    CREATE TABLE scores_v5 (
        contact_id        INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
        as_of             TEXT NOT NULL,
        model_version     INTEGER NOT NULL,
        stage             TEXT NOT NULL,
        segment_id        INTEGER,
        churn_probability REAL,
        clv               REAL NOT NULL,
        satisfaction      REAL,
        loyalty           REAL NOT NULL,
        recency_days      INTEGER,
        frequency         INTEGER NOT NULL,
        monetary          INTEGER NOT NULL
    );
    INSERT INTO scores_v5
        SELECT contact_id, as_of, model_version, stage, segment_id,
               CASE WHEN stage = 'lead' THEN NULL ELSE churn_probability END,
               clv, satisfaction, loyalty, recency_days, frequency, monetary
        FROM scores;
    CREATE TABLE score_details_v5 (
        contact_id INTEGER PRIMARY KEY REFERENCES scores_v5(contact_id) ON DELETE CASCADE,
        body       TEXT NOT NULL
    );
    INSERT INTO score_details_v5 SELECT contact_id, body FROM score_details;
    DROP TABLE score_details;
    DROP TABLE scores;
    ALTER TABLE scores_v5 RENAME TO scores;
    ALTER TABLE score_details_v5 RENAME TO score_details;
    CREATE INDEX scores_value_at_risk ON scores(churn_probability * clv DESC, churn_probability, stage);
    CREATE INDEX scores_churn ON scores(churn_probability DESC);
    CREATE INDEX scores_clv ON scores(clv DESC);
    "#,
    // 6: the action ledger: every recommended action Rapport showed (or held back), once per
    // episode, so `report actions` can tell whether it was acted on and whether the client came
    // back. Outcomes are read from the interactions at report time, never stored.
    r#"
    CREATE TABLE suggestions (
        id           INTEGER PRIMARY KEY,
        contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        action       TEXT NOT NULL,
        stage        TEXT NOT NULL,
        suggested_on TEXT NOT NULL,
        window_days  INTEGER NOT NULL CHECK (window_days >= 1),
        shown        INTEGER NOT NULL CHECK (shown IN (0, 1))
    );
    CREATE INDEX suggestions_episode ON suggestions(contact_id, action, suggested_on);
    "#,
    // 7: follow-ups: what to do for a contact by when (optionally recurring). Done ones stay as
    // history; the partial index keeps the agenda (open ones by due date) a short index walk.
    r#"
    CREATE TABLE follow_ups (
        id         INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        text       TEXT NOT NULL CHECK (length(trim(text)) > 0),
        due        TEXT NOT NULL,
        every      TEXT,
        source     TEXT NOT NULL CHECK (source IN ('manual', 'cadence', 'rule')),
        -- The stage whose entry planned it (source 'rule').
        rule       TEXT,
        created_at TEXT NOT NULL,
        done_at    TEXT,
        snoozed_at TEXT
    );
    CREATE INDEX follow_ups_open ON follow_ups(due) WHERE done_at IS NULL;
    CREATE INDEX follow_ups_contact ON follow_ups(contact_id, done_at);
    -- A contact's stay-in-touch cadence (`30d`, `2m`): the next touch is due that long after
    -- the last interaction of any kind (the kept last_touch), so any call or purchase resets it.
    ALTER TABLE contacts ADD COLUMN stay_in_touch TEXT;
    CREATE INDEX contacts_stay_in_touch ON contacts(stay_in_touch) WHERE stay_in_touch IS NOT NULL;
    "#,
    // 8: every client's basket (which services they bought) in one small index, so the similar
    // clients of `show`, the detail pane and Today read 31,000 index entries instead of looking
    // up as many rows across a million-row table (at 10,000 clients: 6 ms instead of 150 ms).
    "CREATE INDEX interactions_baskets ON interactions(contact_id, item) WHERE kind = 'purchase';",
    // 9: full-text search (`list ... --search`, the TUI's `/`). Two external-content FTS5 indexes a
    // table (they hold no copy of the text, only the index): words (diacritics folded, for word
    // and prefix queries) and trigrams (substrings, CJK; `detail=none` keeps it a third the size
    // of a full trigram index, SQLite checks the candidates against the rows). No bm25 is asked
    // for, so no column sizes are kept (`columnsize=0`: one write less a row). Triggers keep them
    // in the same transaction as every write, whatever the path (a cascade from forgetting a
    // client included); existing databases are indexed here.
    //
    // A trigram index has one column, the searched fields joined by a unit separator (char 31):
    // `detail=none` cannot tell columns apart, so each column searched read every candidate again.
    r#"
    CREATE VIEW interactions_text (id, text) AS
        SELECT id, coalesce(summary, '') || char(31) || coalesce(item, '') FROM interactions;
    CREATE VIEW contacts_text (id, text) AS
        SELECT id, name || char(31) || coalesce(company, '') || char(31) || coalesce(email, '')
                   || char(31) || tags || char(31) || coalesce(note, '')
        FROM contacts;
    CREATE VIRTUAL TABLE interactions_words USING fts5(summary, item, content='interactions',
        content_rowid='id', tokenize='unicode61 remove_diacritics 2', columnsize=0);
    CREATE VIRTUAL TABLE interactions_grams USING fts5(text, content='interactions_text',
        content_rowid='id', tokenize='trigram', detail='none', columnsize=0);
    CREATE VIRTUAL TABLE contacts_words USING fts5(name, company, email, tags, note, content='contacts',
        content_rowid='id', tokenize='unicode61 remove_diacritics 2', columnsize=0);
    CREATE VIRTUAL TABLE contacts_grams USING fts5(text, content='contacts_text',
        content_rowid='id', tokenize='trigram', detail='none', columnsize=0);
    CREATE TRIGGER interactions_text_insert AFTER INSERT ON interactions BEGIN
        INSERT INTO interactions_words (rowid, summary, item) VALUES (NEW.id, NEW.summary, NEW.item);
        INSERT INTO interactions_grams (rowid, text)
            VALUES (NEW.id, coalesce(NEW.summary, '') || char(31) || coalesce(NEW.item, ''));
    END;
    CREATE TRIGGER interactions_text_delete AFTER DELETE ON interactions BEGIN
        INSERT INTO interactions_words (interactions_words, rowid, summary, item)
            VALUES ('delete', OLD.id, OLD.summary, OLD.item);
        INSERT INTO interactions_grams (interactions_grams, rowid, text)
            VALUES ('delete', OLD.id, coalesce(OLD.summary, '') || char(31) || coalesce(OLD.item, ''));
    END;
    CREATE TRIGGER interactions_text_update AFTER UPDATE OF id, summary, item ON interactions BEGIN
        INSERT INTO interactions_words (interactions_words, rowid, summary, item)
            VALUES ('delete', OLD.id, OLD.summary, OLD.item);
        INSERT INTO interactions_grams (interactions_grams, rowid, text)
            VALUES ('delete', OLD.id, coalesce(OLD.summary, '') || char(31) || coalesce(OLD.item, ''));
        INSERT INTO interactions_words (rowid, summary, item) VALUES (NEW.id, NEW.summary, NEW.item);
        INSERT INTO interactions_grams (rowid, text)
            VALUES (NEW.id, coalesce(NEW.summary, '') || char(31) || coalesce(NEW.item, ''));
    END;
    CREATE TRIGGER contacts_text_insert AFTER INSERT ON contacts BEGIN
        INSERT INTO contacts_words (rowid, name, company, email, tags, note)
            VALUES (NEW.id, NEW.name, NEW.company, NEW.email, NEW.tags, NEW.note);
        INSERT INTO contacts_grams (rowid, text) SELECT id, text FROM contacts_text WHERE id = NEW.id;
    END;
    CREATE TRIGGER contacts_text_delete BEFORE DELETE ON contacts BEGIN
        INSERT INTO contacts_words (contacts_words, rowid, name, company, email, tags, note)
            VALUES ('delete', OLD.id, OLD.name, OLD.company, OLD.email, OLD.tags, OLD.note);
        INSERT INTO contacts_grams (contacts_grams, rowid, text)
            SELECT 'delete', id, text FROM contacts_text WHERE id = OLD.id;
    END;
    CREATE TRIGGER contacts_text_update_before BEFORE UPDATE OF id, name, company, email, tags, note
    ON contacts BEGIN
        INSERT INTO contacts_words (contacts_words, rowid, name, company, email, tags, note)
            VALUES ('delete', OLD.id, OLD.name, OLD.company, OLD.email, OLD.tags, OLD.note);
        INSERT INTO contacts_grams (contacts_grams, rowid, text)
            SELECT 'delete', id, text FROM contacts_text WHERE id = OLD.id;
    END;
    CREATE TRIGGER contacts_text_update AFTER UPDATE OF id, name, company, email, tags, note
    ON contacts BEGIN
        INSERT INTO contacts_words (rowid, name, company, email, tags, note)
            VALUES (NEW.id, NEW.name, NEW.company, NEW.email, NEW.tags, NEW.note);
        INSERT INTO contacts_grams (rowid, text) SELECT id, text FROM contacts_text WHERE id = NEW.id;
    END;
    -- `forget` leaves no trace of a name in the file: deletes take the words out of the index
    -- itself instead of adding a delete marker beside them (freed pages are zeroed: see `open`).
    INSERT INTO interactions_words (interactions_words, rank) VALUES ('secure-delete', 1);
    INSERT INTO interactions_grams (interactions_grams, rank) VALUES ('secure-delete', 1);
    INSERT INTO contacts_words (contacts_words, rank) VALUES ('secure-delete', 1);
    INSERT INTO contacts_grams (contacts_grams, rank) VALUES ('secure-delete', 1);
    INSERT INTO interactions_words (interactions_words) VALUES ('rebuild');
    INSERT INTO interactions_grams (interactions_grams) VALUES ('rebuild');
    INSERT INTO contacts_words (contacts_words) VALUES ('rebuild');
    INSERT INTO contacts_grams (contacts_grams) VALUES ('rebuild');
    "#,
    // 10: every client's basket (the distinct services bought, trimmed, sorted, as a JSON array)
    // kept as a reference to one row per distinct basket. Similarity depends on the basket alone,
    // so `show` scores the few hundred distinct baskets and reads the members of the best ones,
    // instead of every purchase in the file (at 10,000 clients: 779 baskets against 31,000
    // purchases; at 100,000: 2,310).
    //
    // Triggers keep it in every write's transaction. A purchase changed queues its client in
    // `basket_refresh`, whose trigger recomputes that client's basket from its purchases (the
    // baskets index of migration 8) and dequeues it, so the refresh is written once. A purchase of
    // an item the client already bought changes nothing and queues nothing. A basket nobody holds
    // any more is deleted; a forgotten client's row goes with the contact.
    r#"
    CREATE TABLE baskets (
        id    INTEGER PRIMARY KEY,
        items TEXT NOT NULL UNIQUE
    );
    CREATE TABLE contact_baskets (
        contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
        basket_id  INTEGER NOT NULL REFERENCES baskets(id)
    );
    CREATE INDEX contact_baskets_members ON contact_baskets(basket_id, contact_id);
    CREATE TABLE basket_refresh (
        contact_id INTEGER PRIMARY KEY,
        items      TEXT
    );
    CREATE TRIGGER basket_refresh_run AFTER INSERT ON basket_refresh BEGIN
        UPDATE basket_refresh SET items =
            (SELECT json_group_array(item ORDER BY item)
             FROM (SELECT DISTINCT trim(item) AS item FROM interactions
                   WHERE contact_id = NEW.contact_id AND kind = 'purchase' AND trim(item) <> ''))
        WHERE contact_id = NEW.contact_id AND EXISTS (SELECT 1 FROM contacts WHERE id = NEW.contact_id);
        INSERT OR IGNORE INTO baskets (items)
            SELECT items FROM basket_refresh WHERE contact_id = NEW.contact_id AND items <> '[]';
        DELETE FROM contact_baskets WHERE contact_id = NEW.contact_id
            AND (SELECT coalesce(items, '[]') FROM basket_refresh WHERE contact_id = NEW.contact_id) = '[]';
        INSERT INTO contact_baskets (contact_id, basket_id)
            SELECT r.contact_id, b.id FROM basket_refresh r JOIN baskets b ON b.items = r.items
            WHERE r.contact_id = NEW.contact_id
            ON CONFLICT (contact_id) DO UPDATE SET basket_id = excluded.basket_id
            WHERE basket_id <> excluded.basket_id;
        DELETE FROM basket_refresh WHERE contact_id = NEW.contact_id;
    END;
    CREATE TRIGGER contact_baskets_left AFTER DELETE ON contact_baskets BEGIN
        DELETE FROM baskets WHERE id = OLD.basket_id
            AND NOT EXISTS (SELECT 1 FROM contact_baskets WHERE basket_id = OLD.basket_id);
    END;
    CREATE TRIGGER contact_baskets_moved AFTER UPDATE OF basket_id ON contact_baskets BEGIN
        DELETE FROM baskets WHERE id = OLD.basket_id
            AND NOT EXISTS (SELECT 1 FROM contact_baskets WHERE basket_id = OLD.basket_id);
    END;
    CREATE TRIGGER interactions_basket_insert AFTER INSERT ON interactions
    WHEN NEW.kind = 'purchase' AND trim(coalesce(NEW.item, '')) <> ''
        AND NOT EXISTS (SELECT 1 FROM interactions
                        WHERE contact_id = NEW.contact_id AND kind = 'purchase'
                          AND trim(item) = trim(NEW.item) AND id <> NEW.id)
    BEGIN
        INSERT INTO basket_refresh (contact_id) VALUES (NEW.contact_id);
    END;
    CREATE TRIGGER interactions_basket_delete AFTER DELETE ON interactions
    WHEN OLD.kind = 'purchase' AND trim(coalesce(OLD.item, '')) <> ''
    BEGIN
        INSERT INTO basket_refresh (contact_id) VALUES (OLD.contact_id);
    END;
    CREATE TRIGGER interactions_basket_update AFTER UPDATE OF contact_id, kind, item ON interactions
    WHEN OLD.kind = 'purchase' OR NEW.kind = 'purchase'
    BEGIN
        INSERT INTO basket_refresh (contact_id) VALUES (OLD.contact_id);
        INSERT INTO basket_refresh (contact_id) SELECT NEW.contact_id WHERE NEW.contact_id <> OLD.contact_id;
    END;
    INSERT INTO basket_refresh (contact_id)
        SELECT DISTINCT contact_id FROM interactions WHERE kind = 'purchase';
    "#,
    // 11: the overview (`rapport report`, the Overview tab). Every purchase in time order from one
    // small index (no table rows); the scores summed over everyone, kept by triggers in every
    // write (integers: CLV and churn × CLV in cents, so a sum kept by differences equals a
    // recount); a copy of those sums per month, taken as each write commits; and a log of each
    // client's stage and segment changes, from which the stage moves of any period are read.
    // Existing scores give the sums; the log starts now.
    include_str!("migration_11.sql"),
    // 12: mail in. An email logged from a message keeps its Message-ID, so the same message fed in
    // again (a mutt key pressed twice, an mbox imported twice) is logged once per contact; and
    // contacts are found by address through an index, case folded as the match is. And ratings
    // get a covering index for the overview.
    r#"
    ALTER TABLE interactions ADD COLUMN message_id TEXT;
    CREATE UNIQUE INDEX interactions_message ON interactions(contact_id, message_id)
        WHERE message_id IS NOT NULL;
    CREATE INDEX contacts_email_folded ON contacts(lower(trim(email))) WHERE email IS NOT NULL;
    -- The overview's satisfaction reads every rating of a period: from the index alone, not a
    -- table row a rating (184,000 of them at 100,000 clients).
    CREATE INDEX ratings_stars ON ratings(interaction_id, dimension, stars);
    -- and the stage log is read from its index alone.
    DROP INDEX score_moves_day;
    CREATE INDEX score_moves_by_day
        ON score_moves(day, contact_id, from_stage, to_stage, from_segment, to_segment);
    "#,
    // 13: what an address book (vCard) has and a CRM needs. Several emails and phones a contact,
    // each with an optional label, one of them preferred; `contacts.email` / `contacts.phone` go
    // on meaning "the preferred one", so every reader of those columns keeps working. Triggers
    // keep the two in step in every write's transaction, whoever writes the column (add, edit,
    // CSV import, mail leads, merge): a new preferred value replaces the preferred row, a cleared
    // one removes it. The card-side fields (birthday, address, title, url) and a stable vCard UID
    // (given at the first vCard export, or taken from an imported card) sit on the contact; and
    // the contacts each vdir held at its last export or import, so a card deleted from the vdir
    // can be told from a card that was never there. Existing emails and phones become the
    // preferred rows of their contact.
    include_str!("migration_13.sql"),
    // 14: external ids match in any case, like names; the unique index stays exact (two ids an
    // older Rapport let differ only by case keep working), this one finds them folded.
    r#"
    CREATE INDEX contacts_external_id_folded ON contacts(external_id COLLATE NOCASE);
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
    migrate_to(conn, CURRENT_VERSION)
}

/// Brings the schema to `target` and no further: [`migrate`], and for the upgrade tests, a
/// database exactly as an earlier release left it.
#[doc(hidden)]
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<(), StoreError> {
    let version = schema_version(conn)?;
    if version >= target {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version = schema_version(&tx)?;
    let wanted = usize::try_from(target).unwrap_or(0);
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(wanted)
        .skip(version as usize)
    {
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

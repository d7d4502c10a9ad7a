
    CREATE INDEX interactions_sales ON interactions(occurred_at, contact_id, amount, item)
        WHERE kind = 'purchase';
    CREATE TABLE score_totals (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        clients       INTEGER NOT NULL,
        total_clv     INTEGER NOT NULL,
        value_at_risk INTEGER NOT NULL
    );
    INSERT INTO score_totals
        SELECT 1, count(*), coalesce(sum(CAST(round(clv * 100) AS INTEGER)), 0),
               coalesce(sum(CAST(round(coalesce(churn_probability, 0) * clv * 100) AS INTEGER)), 0)
        FROM scores;
    CREATE TABLE score_stage_totals (
        stage   TEXT PRIMARY KEY,
        clients INTEGER NOT NULL
    );
    INSERT INTO score_stage_totals (stage, clients)
        VALUES ('lead', 0), ('new', 0), ('active', 0), ('loyal', 0), ('at_risk', 0), ('churned', 0);
    UPDATE score_stage_totals SET clients = (SELECT count(*) FROM scores s WHERE s.stage = score_stage_totals.stage);
    CREATE TABLE score_months (
        month         TEXT PRIMARY KEY,
        clients       INTEGER NOT NULL,
        total_clv     INTEGER NOT NULL,
        value_at_risk INTEGER NOT NULL,
        stages        TEXT NOT NULL,
        recomputed    INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE score_moves (
        id           INTEGER PRIMARY KEY,
        contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        day          TEXT NOT NULL,
        from_stage   TEXT,
        to_stage     TEXT NOT NULL,
        from_segment INTEGER,
        to_segment   INTEGER
    );
    CREATE INDEX score_moves_day ON score_moves(day);
    CREATE INDEX score_moves_contact ON score_moves(contact_id);
    CREATE TRIGGER scores_totals_insert AFTER INSERT ON scores BEGIN
        UPDATE score_totals SET clients = clients + 1,
            total_clv = total_clv + CAST(round(NEW.clv * 100) AS INTEGER),
            value_at_risk = value_at_risk + CAST(round(coalesce(NEW.churn_probability, 0) * NEW.clv * 100) AS INTEGER);
        UPDATE score_stage_totals SET clients = clients + 1 WHERE stage = NEW.stage;
        INSERT INTO score_moves (contact_id, day, from_stage, to_stage, from_segment, to_segment)
            VALUES (NEW.contact_id, NEW.as_of, NULL, NEW.stage, NULL, NEW.segment_id);
    END;
    CREATE TRIGGER scores_totals_update AFTER UPDATE OF clv, churn_probability, stage ON scores BEGIN
        UPDATE score_totals SET
            total_clv = total_clv - CAST(round(OLD.clv * 100) AS INTEGER) + CAST(round(NEW.clv * 100) AS INTEGER),
            value_at_risk = value_at_risk
                - CAST(round(coalesce(OLD.churn_probability, 0) * OLD.clv * 100) AS INTEGER)
                + CAST(round(coalesce(NEW.churn_probability, 0) * NEW.clv * 100) AS INTEGER);
        UPDATE score_stage_totals SET clients = clients - 1 WHERE stage = OLD.stage AND OLD.stage <> NEW.stage;
        UPDATE score_stage_totals SET clients = clients + 1 WHERE stage = NEW.stage AND OLD.stage <> NEW.stage;
    END;
    CREATE TRIGGER scores_moves_update AFTER UPDATE OF stage, segment_id ON scores
    WHEN OLD.stage IS NOT NEW.stage OR OLD.segment_id IS NOT NEW.segment_id
    BEGIN
        INSERT INTO score_moves (contact_id, day, from_stage, to_stage, from_segment, to_segment)
            VALUES (NEW.contact_id, NEW.as_of, OLD.stage, NEW.stage, OLD.segment_id, NEW.segment_id);
    END;
    CREATE TRIGGER scores_totals_delete AFTER DELETE ON scores BEGIN
        UPDATE score_totals SET clients = clients - 1,
            total_clv = total_clv - CAST(round(OLD.clv * 100) AS INTEGER),
            value_at_risk = value_at_risk - CAST(round(coalesce(OLD.churn_probability, 0) * OLD.clv * 100) AS INTEGER);
        UPDATE score_stage_totals SET clients = clients - 1 WHERE stage = OLD.stage;
    END;
    
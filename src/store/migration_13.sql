-- Migration 13 (see its comment in migrations.rs): several emails and phones, card fields,
-- vCard UIDs and the vdirs' memory. Released: never edit, append a new migration instead.
CREATE TABLE contact_emails (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    address    TEXT NOT NULL CHECK (length(trim(address)) > 0),
    label      TEXT,
    preferred  INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1))
);
CREATE INDEX contact_emails_contact ON contact_emails(contact_id, preferred DESC, id);
CREATE INDEX contact_emails_folded ON contact_emails(lower(trim(address)), contact_id);
CREATE TABLE contact_phones (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    number     TEXT NOT NULL CHECK (length(trim(number)) > 0),
    label      TEXT,
    preferred  INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1))
);
CREATE INDEX contact_phones_contact ON contact_phones(contact_id, preferred DESC, id);
ALTER TABLE contacts ADD COLUMN birthday TEXT;
ALTER TABLE contacts ADD COLUMN street TEXT;
ALTER TABLE contacts ADD COLUMN locality TEXT;
ALTER TABLE contacts ADD COLUMN region TEXT;
ALTER TABLE contacts ADD COLUMN postal_code TEXT;
ALTER TABLE contacts ADD COLUMN country TEXT;
ALTER TABLE contacts ADD COLUMN title TEXT;
ALTER TABLE contacts ADD COLUMN url TEXT;
ALTER TABLE contacts ADD COLUMN vcard_uid TEXT;
CREATE UNIQUE INDEX contacts_vcard_uid ON contacts(vcard_uid) WHERE vcard_uid IS NOT NULL;
-- Birthdays by month and day (`--05-17` and `1980-05-17` both end in `05-17`), for Today.
CREATE INDEX contacts_birthday ON contacts(substr(birthday, -5)) WHERE birthday IS NOT NULL;
CREATE TABLE vdir_cards (
    dir        TEXT NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (dir, contact_id)
);
CREATE INDEX vdir_cards_contact ON vdir_cards(contact_id);
INSERT INTO contact_emails (contact_id, address, preferred)
    SELECT id, trim(email), 1 FROM contacts WHERE trim(coalesce(email, '')) <> '';
INSERT INTO contact_phones (contact_id, number, preferred)
    SELECT id, trim(phone), 1 FROM contacts WHERE trim(coalesce(phone, '')) <> '';
CREATE TRIGGER contacts_email_insert AFTER INSERT ON contacts
WHEN trim(coalesce(NEW.email, '')) <> '' BEGIN
    INSERT INTO contact_emails (contact_id, address, preferred) VALUES (NEW.id, trim(NEW.email), 1);
END;
CREATE TRIGGER contacts_phone_insert AFTER INSERT ON contacts
WHEN trim(coalesce(NEW.phone, '')) <> '' BEGIN
    INSERT INTO contact_phones (contact_id, number, preferred) VALUES (NEW.id, trim(NEW.phone), 1);
END;
CREATE TRIGGER contacts_email_update AFTER UPDATE OF email ON contacts
WHEN NEW.email IS NOT OLD.email BEGIN
    DELETE FROM contact_emails WHERE contact_id = NEW.id
        AND (preferred = 1 OR lower(trim(address)) = lower(trim(coalesce(NEW.email, ''))));
    INSERT INTO contact_emails (contact_id, address, preferred)
        SELECT NEW.id, trim(NEW.email), 1 WHERE trim(coalesce(NEW.email, '')) <> '';
END;
CREATE TRIGGER contacts_phone_update AFTER UPDATE OF phone ON contacts
WHEN NEW.phone IS NOT OLD.phone BEGIN
    DELETE FROM contact_phones WHERE contact_id = NEW.id
        AND (preferred = 1 OR trim(number) = trim(coalesce(NEW.phone, '')));
    INSERT INTO contact_phones (contact_id, number, preferred)
        SELECT NEW.id, trim(NEW.phone), 1 WHERE trim(coalesce(NEW.phone, '')) <> '';
END;

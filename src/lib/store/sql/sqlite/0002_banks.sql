-- 0002_banks: hash banks (shared lists of known content: GIFCT, TCAP,
-- ThreatExchange, own lists) and their entries. Matches go to `matches`
-- (0001). bank_state holds counters such as the PDQ generation that tells
-- a saved index file whether it is stale. Times are UTC epoch seconds.
CREATE TABLE banks (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    signal_types   TEXT NOT NULL DEFAULT 'pdq,md5,sha256,vpdq',
    threshold      INTEGER NOT NULL DEFAULT 31
                   CHECK (threshold BETWEEN 0 AND 256),
    enabled        INTEGER NOT NULL DEFAULT 1,
    is_suppression INTEGER NOT NULL DEFAULT 0,
    description    TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER
);

CREATE TABLE bank_entries (
    id          INTEGER PRIMARY KEY,
    bank_id     INTEGER NOT NULL REFERENCES banks(id) ON DELETE CASCADE,
    signal_type TEXT NOT NULL,      -- pdq md5 sha256 vpdq (checked by the library:
                                    -- an IN-list CHECK costs SQLite an ephemeral
                                    -- table per inserted row)
    value       BLOB NOT NULL,      -- pdq, md5, sha256: the raw digest bytes
                                    -- (32, 16, 32; half the size of hex, which
                                    -- keeps bulk imports and the index small);
                                    -- vPDQ: the JSON array text as bytes
    label       TEXT,
    outlet      TEXT,
    category    TEXT,
    source_list TEXT,
    date_added  TEXT,               -- as given by the list (ISO 8601 usually)
    note        TEXT,
    added_at    INTEGER NOT NULL,
    -- one index serves both duplicate checks and exact-digest lookups;
    -- value first: its bytes differ between neighbours, so comparisons end
    -- at the first column (imports insert in this order, see bank.c)
    UNIQUE (value, signal_type, bank_id)
);

CREATE TABLE bank_state (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO bank_state (key, value) VALUES ('pdq_generation', 0);
CREATE INDEX items_md5 ON items(md5) WHERE md5 IS NOT NULL;

-- 0001_base: sources, items, channel events, ingest runs, and the tables
-- that later stages fill (matches, watchlist hits, indicators, reviews,
-- actions). Times are UTC epoch seconds. Enumerated columns are checked by
-- the library, not by CHECK (x IN (...)): SQLite evaluates such a CHECK
-- through an ephemeral table per row, which made inserts 7x slower.
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    external_id TEXT NOT NULL,
    handle      TEXT,
    title       TEXT,
    url         TEXT,
    kind        TEXT,
    created_at  INTEGER NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE items (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER NOT NULL REFERENCES sources(id),
    external_id    TEXT NOT NULL,
    posted_at      INTEGER,
    posted_local   TEXT,
    posted_month   TEXT,            -- 'YYYY-MM' of posted_at (UTC)
    edited_at      INTEGER,
    kind           TEXT NOT NULL,   -- text photo video audio animation sticker file
    text           TEXT,
    urls           TEXT,            -- JSON array of strings, NULL when none
    author         TEXT,
    forwarded_from TEXT,
    is_forward     INTEGER NOT NULL DEFAULT 0,
    reply_to       INTEGER,
    media_state    TEXT NOT NULL DEFAULT 'none',  -- none present skipped missing refused
    media_path     TEXT,
    media_note     TEXT,
    mime_type      TEXT,
    media_size     INTEGER,
    sha256         TEXT,
    md5            TEXT,
    lang           TEXT,
    ingested_at    INTEGER NOT NULL,
    updated_at     INTEGER,
    UNIQUE (source_id, external_id)
);
-- No index on posted_at: nothing queries by it yet (series group by
-- posted_month), and keeping it in the ingest hot path cost ~10% of the
-- instructions per message. A later migration can add one, built once.
CREATE INDEX items_sha256 ON items(sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    external_id TEXT NOT NULL,
    at          INTEGER,
    action      TEXT,
    actor       TEXT,
    detail      TEXT,
    UNIQUE (source_id, external_id)
);

CREATE TABLE ingest_runs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    path        TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    status      TEXT NOT NULL DEFAULT 'running',
    counts      TEXT,               -- JSON object of counters
    error       TEXT
);

-- Filled by the matching stage (hash banks).
CREATE TABLE matches (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    bank        TEXT NOT NULL,
    entry_id    INTEGER,
    signal_type TEXT NOT NULL,      -- pdq, md5, sha256, ...
    distance    INTEGER,
    variant     TEXT,               -- dihedral variant when used
    label       TEXT,
    matched_at  INTEGER NOT NULL,
    UNIQUE (item_id, bank, entry_id, variant)
);

-- Filled by text triage (outlet watchlist).
CREATE TABLE watchlist_hits (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    outlet      TEXT NOT NULL,
    term        TEXT NOT NULL,
    start_byte  INTEGER NOT NULL,
    end_byte    INTEGER NOT NULL,
    weight      REAL
);
CREATE INDEX watchlist_hits_item ON watchlist_hits(item_id);

-- Filled by text triage (wallets, handles, links).
CREATE TABLE indicators (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    value       TEXT NOT NULL,
    valid       INTEGER,
    UNIQUE (item_id, type, value)
);
CREATE INDEX indicators_value ON indicators(type, value);

-- Filled by the review queue: one row per reviewer decision.
CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    match_id    INTEGER REFERENCES matches(id) ON DELETE SET NULL,
    reviewer    TEXT NOT NULL,
    decision    TEXT NOT NULL,      -- confirm, reject, escalate
    note        TEXT,
    at          INTEGER NOT NULL
);

-- Filled by takedown tracking: reports sent and what became of them.
CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,      -- reported, removed, persists
    platform    TEXT,
    reference   TEXT,
    at          INTEGER NOT NULL
);

-- 0004_incidents: dated incidents (attacks, foiled plots, arrests and
-- counter-operations) from ACLED, UCDP GED and vigil's own CSV, one row per
-- (dataset, source_id). Raw values are kept as imported; actor and place
-- aliases are applied at query time (src/lib/incidents/aliases.c).
-- Portable SQL only: the PostgreSQL backend translates the few type
-- words (store_pg.c, pg_translate).
CREATE TABLE incidents (
    id               INTEGER PRIMARY KEY,
    dataset          TEXT NOT NULL,     -- 'acled', 'ucdp-ged', 'vigil', ...
    source_id        TEXT NOT NULL,     -- event_id_cnty, GED id, SEED-0001
    event_date       TEXT NOT NULL,     -- 'YYYY-MM-DD' (start date)
    date_end         TEXT,              -- 'YYYY-MM-DD' when a range (GED)
    time_precision   INTEGER,           -- ACLED scale: 1 day, 2 week, 3 month+
    kind             TEXT NOT NULL CHECK (kind IN ('attack',
                     'counter-operation', 'foiled-plot', 'arrest', 'other')),
    event_type       TEXT,              -- ACLED event type, 'Foiled plot', 'Arrest'
    sub_event_type   TEXT,              -- ACLED sub-event type
    raw_type         TEXT,              -- the source's own type label
    disorder_type    TEXT,
    actor1           TEXT,
    assoc_actor1     TEXT,
    inter1           TEXT,              -- actor type as text (ACLED labels)
    actor2           TEXT,
    assoc_actor2     TEXT,
    inter2           TEXT,
    interaction      TEXT,
    civilian_targeting TEXT,
    attribution      TEXT CHECK (attribution IS NULL OR attribution IN
                     ('claimed', 'attributed', 'alleged', 'linked', 'inspired')),
    iso              TEXT,
    region           TEXT,
    country          TEXT,
    admin1           TEXT,
    admin2           TEXT,
    admin3           TEXT,
    location         TEXT,
    latitude         REAL,
    longitude        REAL,
    geo_precision    INTEGER,           -- ACLED scale: 1 exact, 2 near, 3 region
    fatalities       INTEGER,           -- best estimate; NULL = not stated
    fatalities_low   INTEGER,
    fatalities_high  INTEGER,
    injured          INTEGER,
    target           TEXT,
    nationalities    TEXT,
    notes            TEXT,
    sources          TEXT,              -- ';'-separated
    source_titles    TEXT,
    source_scale     TEXT,
    tags             TEXT,
    source_timestamp INTEGER,           -- the source's last update, epoch s
    ingested_at      INTEGER NOT NULL,
    updated_at       INTEGER,
    UNIQUE (dataset, source_id)
);
-- No index on event_date: reports stream every row once (grouping and
-- alias resolution happen in C), and a second b-tree costs about a tenth
-- of bulk-import time (bench/bench_incidents_import.c).

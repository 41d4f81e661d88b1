-- 0005_bank_pdq_log: the change log of PDQ bank entries, so that a saved
-- PDQ index file is brought up to date by applying the few changes made
-- since it was written instead of a rebuild (docs/internals/index.md).
-- Every transaction that adds or removes PDQ entries first bumps
-- bank_state.pdq_generation (which serialises such writers: SQLite has one
-- writer, PostgreSQL row-locks the counter) and then writes one row per
-- entry added (op 1) or removed (op -1) tagged with that generation, so
-- generations commit in increasing order. An index file records the last
-- generation it covers; rows above it are the tail to apply. Rows at or
-- below pdq_log_floor have been pruned: older files are rebuilt.
CREATE TABLE bank_pdq_log (
    id       INTEGER PRIMARY KEY,   -- order inside one generation
    gen      INTEGER NOT NULL,      -- bank_state.pdq_generation of the change
    op       INTEGER NOT NULL,      -- 1 added, -1 removed
    entry_id INTEGER NOT NULL,      -- bank_entries.id (not a foreign key:
                                    -- removed entries stay in the log)
    value    BLOB NOT NULL          -- the 32 PDQ bytes, so that a removal
                                    -- can be applied after the row is gone
);
CREATE INDEX bank_pdq_log_gen ON bank_pdq_log(gen);

-- pdq_count: live PDQ entries, checked against the index after the tail is
-- applied (a mismatch means the file is not this store's: rebuild).
INSERT INTO bank_state (key, value)
    SELECT 'pdq_count', COUNT(*) FROM bank_entries WHERE signal_type = 'pdq';
INSERT INTO bank_state (key, value) VALUES ('pdq_log_floor', 0);

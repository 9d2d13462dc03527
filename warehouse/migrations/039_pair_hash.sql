-- Issue 18: agg_cooccurrence loses its unique index and gets a fixed-width pair_hash (md5 of
-- pair_key, as a UUID: 128 bits, so two pairs never share one; DuckLake has UUID, not UHUGEINT).
-- A watch-mode run's 1,000-3,000 pairs in a 60M-key index (1M articles) cost a cold lookup of
-- ~0.3 ms a key and, at the checkpoint, a write of every index buffer a new key landed in
-- (1,500 new keys: 1.5-1.9 s measured alone). A hash join of the batch's pairs against this one
-- column reads 16 bytes a stored pair (0.5 s cold at 60M) and writes no index: the load finds the
-- stored pairs' rows by it, adds to them by rowid and appends the others (warehouse/aggregates.py).
-- The pairs stay unique by that one code path; the aggregates check flags a pair stored twice.
-- DuckLake keeps no index anyway: its upsert stays a MERGE on pair_key (lake.table_keys, 032).
DROP INDEX IF EXISTS agg_cooccurrence_key;
ALTER TABLE agg_cooccurrence ADD COLUMN pair_hash UUID;
-- Filled by a type change, not an UPDATE (as in 032).
ALTER TABLE agg_cooccurrence ALTER pair_hash TYPE UUID USING md5(entity_a || '|' || entity_b)::UUID;

-- Issue 18, ninth pass: agg_cooccurrence gets a one-column key. In DuckDB 1.5.5 an INSERT ... ON
-- CONFLICT costs a scan of its target whatever its unique index (at 1M articles, 700 pairs into
-- 60M: ~1 s warm, 3-9 s on a fresh connection), and an index on two columns serves no lookup. On
-- one column, `pair_key IN (<literals>)` is an index lookup, so a small batch (a watch-mode run)
-- reads, deletes and re-inserts only its own pairs (warehouse/aggregates.py, _upsert_pairs).
DROP INDEX IF EXISTS agg_cooccurrence_pair;
ALTER TABLE agg_cooccurrence ADD COLUMN pair_key VARCHAR;
-- Filled by a type change, not an UPDATE: DuckDB builds no index over a transaction's updates.
ALTER TABLE agg_cooccurrence ALTER pair_key TYPE VARCHAR USING entity_a || '|' || entity_b;
CREATE UNIQUE INDEX agg_cooccurrence_key ON agg_cooccurrence (pair_key);

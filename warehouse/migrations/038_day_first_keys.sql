-- Issue 18: the upsert keys of the per-entity-day tables put the day first. A key index is used
-- only by a load's ON CONFLICT (no query reads through these compound keys), and a checkpoint
-- writes every index buffer a load touched: with the entity first, a watch-mode run's few hundred
-- new (entity, day) keys land all over a 7.6M-key index (at 1M articles), one buffer each; with the
-- day first they share the subtree of their day. 400 new keys, one such table at 1M articles: the
-- checkpoint 0.18-0.21 s entity first, 0.06 s day first (docs/performance.md, session 39).
-- New names: DuckDB refuses to make an index under the name of one dropped in the same transaction.
DROP INDEX IF EXISTS agg_entity_day_key;
CREATE UNIQUE INDEX agg_entity_day_key_by_day ON agg_entity_day (day, entity_id);
DROP INDEX IF EXISTS agg_entity_sentiment_day_key;
CREATE UNIQUE INDEX agg_entity_sentiment_day_key_by_day ON agg_entity_sentiment_day (day, entity_id);
DROP INDEX IF EXISTS agg_spike_baseline_key;
CREATE UNIQUE INDEX agg_spike_baseline_key_by_day ON agg_spike_baseline (day, entity_id);
DROP INDEX IF EXISTS agg_entity_language_day_key;
CREATE UNIQUE INDEX agg_entity_language_day_key_by_day ON agg_entity_language_day (day, entity_id, language);
DROP INDEX IF EXISTS agg_entity_source_day_key;
CREATE UNIQUE INDEX agg_entity_source_day_key_by_day ON agg_entity_source_day (day, entity_id, source);
DROP INDEX IF EXISTS agg_entity_tone_day_key;
CREATE UNIQUE INDEX agg_entity_tone_day_key_by_day ON agg_entity_tone_day (day, entity_id);

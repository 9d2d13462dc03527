-- Issue 18, seventh pass: an entity's name and label kept on its per-day rows, as the newer
-- aggregates (agg_coverage_day, agg_entity_language_day, ...) keep them. The views over these
-- tables joined `entities` for the name, and at 1M articles that join built a hash table of 1.5M
-- entities for every count or top 20 of entity_mentions_daily, share_of_voice,
-- entity_attention_daily, entity_article_sentiment_daily and spikes (1-4 s). An entity's name and
-- label never change (its id is the hash of label|name), so the copies cannot go stale; the
-- aggregates check compares them with `entities`.
ALTER TABLE agg_entity_day ADD COLUMN name VARCHAR;
ALTER TABLE agg_entity_day ADD COLUMN label VARCHAR;
UPDATE agg_entity_day d SET name = e.name, label = e.label FROM entities e WHERE e.entity_id = d.entity_id;

ALTER TABLE agg_entity_sentiment_day ADD COLUMN name VARCHAR;
ALTER TABLE agg_entity_sentiment_day ADD COLUMN label VARCHAR;
UPDATE agg_entity_sentiment_day d SET name = e.name, label = e.label FROM entities e WHERE e.entity_id = d.entity_id;

ALTER TABLE agg_spike_baseline ADD COLUMN name VARCHAR;
ALTER TABLE agg_spike_baseline ADD COLUMN label VARCHAR;
UPDATE agg_spike_baseline b SET name = e.name, label = e.label FROM entities e WHERE e.entity_id = b.entity_id;

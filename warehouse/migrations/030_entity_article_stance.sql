-- Issue 18, seventh pass: agg_entity_article keeps the entity's name and label and the article's
-- stored stance toward it, so entity_article_sentiment is one scan. Joined to `entities` and
-- `entity_stance` (one row per article and entity: 1.6M at 100k articles), its count and its top
-- 20 built a hash table of every stance row at each query (0.8 s at 100k, ~10x at 1M). A name
-- never changes (the id is the hash of label|name) and a stance is written once, with its article,
-- so the copies cannot go stale; the aggregates check compares them with their tables.
ALTER TABLE agg_entity_article ADD COLUMN name VARCHAR;
ALTER TABLE agg_entity_article ADD COLUMN label VARCHAR;
ALTER TABLE agg_entity_article ADD COLUMN stance VARCHAR;
ALTER TABLE agg_entity_article ADD COLUMN stance_score DOUBLE;
UPDATE agg_entity_article a SET name = e.name, label = e.label FROM entities e WHERE e.entity_id = a.entity_id;
UPDATE agg_entity_article a SET stance = st.stance, stance_score = st.score
FROM entity_stance st WHERE st.article_id = a.article_id AND st.entity_id = a.entity_id;

-- Issue 18, fifth pass: each candidate spike day's explanation lists (the articles most about the
-- entity, the outlets, the entities named beside it, the quotes: 10 of each), kept at load by
-- warehouse/aggregates.py (and rebuilt, checked there), so `spike_explanations` is `spikes` joined
-- to this table instead of making the lists of every spike at read (6 s at 100k articles).
-- One row per agg_spike_baseline row (an entity-day with >= 3 articles). A day's lists depend
-- only on its articles (which never change once loaded), so a load recomputes the rows of the
-- candidate entity-days its articles are on.
CREATE TABLE agg_spike_explanation (
    entity_id    VARCHAR NOT NULL,
    day          DATE NOT NULL,
    top_articles STRUCT(article_id VARCHAR, title VARCHAR, source VARCHAR, url VARCHAR, tone DOUBLE,
                        mentions BIGINT)[] NOT NULL,
    outlets      STRUCT(source VARCHAR, articles BIGINT)[] NOT NULL,
    co_mentioned STRUCT(entity_id VARCHAR, name VARCHAR, label VARCHAR, articles BIGINT)[] NOT NULL,
    quotes       STRUCT(article_id VARCHAR, speaker VARCHAR, text VARCHAR, about_entity BOOLEAN)[] NOT NULL
);

-- Backfill (the same SQL as warehouse/aggregates.py at the time of writing; a migration stays
-- as it was applied) in 32 slices, each about as many candidate articles, in the order the
-- rebuild leaves the table: (first character of entity_id, day), so a filter on a day or on an
-- entity skips most of it. All lists at once take ~2.3 GB at 100k articles, 10x that at 1M.
CREATE OR REPLACE TEMP TABLE agg_spike_list_parts AS
SELECT entity_id, day,
       floor((sum(articles) OVER (ORDER BY left(entity_id, 1), day, entity_id) - 1) * 32
             / sum(articles) OVER ())::INTEGER AS part
FROM agg_spike_baseline;

CREATE TEMP MACRO agg_spike_lists_part(k) AS TABLE
WITH spike_articles AS (
    SELECT ea.entity_id, ea.day, ea.article_id, ea.mentions
    FROM (SELECT * FROM agg_entity_article SEMI JOIN (SELECT DISTINCT day FROM agg_spike_list_parts WHERE part = k) d USING (day)) ea SEMI JOIN (SELECT entity_id, day FROM agg_spike_list_parts WHERE part = k) c USING (entity_id, day)
),
article_ids AS (SELECT DISTINCT article_id FROM spike_articles),
arts AS (
    SELECT article_id, title, source, url, tone FROM articles SEMI JOIN article_ids USING (article_id)
),
co_rows AS (SELECT article_id, entity_id FROM (SELECT * FROM agg_entity_article SEMI JOIN (SELECT DISTINCT day FROM agg_spike_list_parts WHERE part = k) d USING (day)) SEMI JOIN article_ids USING (article_id)),
quote_rows AS (
    SELECT article_id, quote_idx, kind, text, speaker, speaker_entity_id
    FROM quotes SEMI JOIN article_ids USING (article_id)
),
-- the names of those rows' entities only: a hash table of every entity costs more than the rest
names AS (
    SELECT entity_id, name, label FROM entities
    SEMI JOIN (SELECT entity_id FROM co_rows UNION SELECT speaker_entity_id FROM quote_rows) USING (entity_id)
),
article_lists AS (
    SELECT sa.entity_id, sa.day,
           arg_min({'article_id': a.article_id, 'title': a.title, 'source': a.source, 'url': a.url,
                    'tone': round(a.tone, 3), 'mentions': sa.mentions},
                   {'mentions': -sa.mentions, 'no_tone': a.tone IS NULL, 'tone': coalesce(-abs(a.tone), 0),
                    'id': a.article_id}, 10) AS top_articles
    FROM spike_articles sa JOIN arts a USING (article_id)
    GROUP BY ALL
),
outlet_lists AS (
    SELECT entity_id, day, arg_min({'source': source, 'articles': n}, {'n': -n, 'source': source}, 10) AS outlets
    FROM (SELECT sa.entity_id, sa.day, coalesce(a.source, '(unknown)') AS source, count(*) AS n
          FROM spike_articles sa JOIN arts a USING (article_id) GROUP BY ALL)
    GROUP BY ALL
),
co_mentioned_lists AS (
    SELECT entity_id, day,
           coalesce(arg_min({'entity_id': other_id, 'name': other_name, 'label': other_label, 'articles': n},
                            {'n': -n, 'name': other_name, 'id': other_id}, 10)
                    FILTER (WHERE other_id IS NOT NULL), []) AS co_mentioned
    FROM (SELECT sa.entity_id, sa.day, e.entity_id AS other_id, e.name AS other_name, e.label AS other_label,
                 count(DISTINCT sa.article_id) AS n
          FROM spike_articles sa
          LEFT JOIN co_rows m ON m.article_id = sa.article_id AND m.entity_id <> sa.entity_id
          LEFT JOIN names e ON e.entity_id = m.entity_id
          GROUP BY ALL)
    GROUP BY ALL
),
quote_lists AS (
    SELECT sa.entity_id, sa.day,
           coalesce(arg_min({'article_id': q.article_id, 'speaker': coalesce(e.name, q.speaker), 'text': q.text,
                             'about_entity': q.speaker_entity_id = sa.entity_id},
                            {'about': CASE WHEN q.speaker_entity_id = sa.entity_id THEN 0
                                           WHEN q.speaker_entity_id <> sa.entity_id THEN 1 ELSE 2 END,
                             'no_kind': q.kind IS NULL, 'kind': coalesce(q.kind, ''), 'id': q.article_id,
                             'idx': q.quote_idx}, 10)
                    FILTER (WHERE q.article_id IS NOT NULL), []) AS quotes
    FROM spike_articles sa
    LEFT JOIN quote_rows q USING (article_id)
    LEFT JOIN names e ON e.entity_id = q.speaker_entity_id
    GROUP BY ALL
)
SELECT a.entity_id, a.day, a.top_articles, o.outlets, c.co_mentioned, q.quotes
FROM article_lists a
JOIN outlet_lists o USING (entity_id, day)
JOIN co_mentioned_lists c USING (entity_id, day)
JOIN quote_lists q USING (entity_id, day);

INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(0) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(1) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(2) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(3) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(4) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(5) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(6) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(7) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(8) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(9) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(10) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(11) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(12) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(13) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(14) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(15) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(16) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(17) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(18) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(19) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(20) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(21) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(22) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(23) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(24) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(25) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(26) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(27) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(28) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(29) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(30) ORDER BY left(entity_id, 1), day;
INSERT INTO agg_spike_explanation BY NAME SELECT * FROM agg_spike_lists_part(31) ORDER BY left(entity_id, 1), day;

DROP MACRO TABLE temp.agg_spike_lists_part;
DROP TABLE temp.agg_spike_list_parts;

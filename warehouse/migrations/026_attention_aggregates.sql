-- Issue 18, fifth pass: the attention views' groups kept at load by warehouse/attention_aggregates.py
-- (rebuilt and checked with the others), so theme_attention_* and entity_attention_by_* are a
-- scan and a join with a small table, not a group over every article-theme or article-entity row.
-- Every key is an article's own attribute or a raw entity id (nothing re-decided after load);
-- rows without a day are left out (the views join their denominators on the day).

-- All articles per (article day, source, language): the attention views' denominators.
CREATE TABLE agg_article_day (
    day      DATE NOT NULL,
    source   VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    articles BIGINT NOT NULL
);

-- The articles with a theme per (theme, day, source, language), and the sum and count of their
-- document tones (theme_attention_daily's mean).
CREATE TABLE agg_theme_day (
    theme      VARCHAR,
    day        DATE NOT NULL,
    source     VARCHAR NOT NULL,
    language   VARCHAR NOT NULL,
    articles   BIGINT NOT NULL,
    tone_sum   DOUBLE,
    tone_count BIGINT NOT NULL
);

-- The articles naming an entity per (entity, day, language) and per (entity, day, source), with
-- its name and label (an entity id is the hash of label|name: they never change).
CREATE TABLE agg_entity_language_day (
    entity_id VARCHAR NOT NULL,
    name      VARCHAR,
    label     VARCHAR,
    day       DATE NOT NULL,
    language  VARCHAR NOT NULL,
    articles  BIGINT NOT NULL
);
CREATE TABLE agg_entity_source_day (
    entity_id VARCHAR NOT NULL,
    name      VARCHAR,
    label     VARCHAR,
    day       DATE NOT NULL,
    source    VARCHAR NOT NULL,
    articles  BIGINT NOT NULL
);

-- Backfill (the same SQL as warehouse/attention_aggregates.py at the time of writing; a migration
-- stays as it was applied), in day order so a day filter skips by zone map; the entity tables
-- in name order (a name filter is a string compare on every row otherwise, a day one is cheap).
INSERT INTO agg_article_day
SELECT day, coalesce(source, '(unknown)'), coalesce(language, '(unknown)'), count(*)
FROM (SELECT coalesce(published_at, cast(ingested_at AS DATE)) AS day, source, language FROM articles)
WHERE day IS NOT NULL
GROUP BY ALL
ORDER BY 1;

INSERT INTO agg_theme_day
SELECT t.theme, a.day, coalesce(a.source, '(unknown)'), coalesce(a.language, '(unknown)'),
       count(*), sum(a.tone), count(a.tone)
FROM (SELECT DISTINCT theme, article_id FROM article_themes) t
JOIN (SELECT article_id, coalesce(published_at, cast(ingested_at AS DATE)) AS day, source, language, tone
      FROM articles) a USING (article_id)
WHERE a.day IS NOT NULL
GROUP BY ALL
ORDER BY 2;

INSERT INTO agg_entity_language_day
SELECT r.entity_id, e.name, e.label, r.day, coalesce(a.language, '(unknown)'), count(*)
FROM agg_entity_article r
JOIN articles a USING (article_id)
JOIN entities e USING (entity_id)
WHERE r.day IS NOT NULL
GROUP BY ALL
ORDER BY 2, 4;

INSERT INTO agg_entity_source_day
SELECT r.entity_id, e.name, e.label, r.day, coalesce(a.source, '(unknown)'), count(*)
FROM agg_entity_article r
JOIN articles a USING (article_id)
JOIN entities e USING (entity_id)
WHERE r.day IS NOT NULL
GROUP BY ALL
ORDER BY 2, 4;

CREATE UNIQUE INDEX agg_article_day_key ON agg_article_day (day, source, language);
CREATE UNIQUE INDEX agg_theme_day_key ON agg_theme_day (theme, day, source, language);
CREATE UNIQUE INDEX agg_entity_language_day_key ON agg_entity_language_day (entity_id, day, language);
CREATE UNIQUE INDEX agg_entity_source_day_key ON agg_entity_source_day (entity_id, day, source);

-- entity_tone_daily's rows (its 7-day window computed), one per entity-day: the view reads them
-- instead of a window over every entity-day. A load recomputes the rows whose window (day-6..day)
-- holds an entity-day it added to. Rows without a day (the view shows them) come from a rebuild
-- only: a load sets every article's ingested_at, so its day.
CREATE TABLE agg_entity_tone_day (
    entity_id     VARCHAR NOT NULL,
    name          VARCHAR,
    label         VARCHAR,
    day           DATE,
    articles      BIGINT NOT NULL,
    mentions      BIGINT NOT NULL,
    avg_sentiment DOUBLE,
    sentiment_7d  DOUBLE,
    articles_7d   BIGINT NOT NULL
);

INSERT INTO agg_entity_tone_day
WITH entity_days AS (
    SELECT d.entity_id, e.name, e.label, d.day, d.articles, d.mentions,
           round(d.sentiment_sum / nullif(d.sentiment_count, 0), 4) AS avg_sentiment
    FROM agg_entity_day d
    JOIN entities e USING (entity_id)
)
SELECT entity_id, name, label, day, articles, mentions, avg_sentiment,
       round(sum(avg_sentiment * mentions) OVER w
             / nullif(sum(mentions) FILTER (WHERE avg_sentiment IS NOT NULL) OVER w, 0), 4),
       sum(articles) OVER w
FROM entity_days
WINDOW w AS (PARTITION BY entity_id ORDER BY day RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW)
ORDER BY name, day;

CREATE UNIQUE INDEX agg_entity_tone_day_key ON agg_entity_tone_day (entity_id, day);
